// `switchboard bot-eval --train FILE --test FILE`: the FAQ bot's intent model
// measured on JSON lines {"text","intent"} ("oos" = out of scope; contract in
// ../shared/data/README.md).
#pragma once

#include <string>

namespace sb {
int bot_eval(const std::string& train_file,
             const std::string& test_file);  // progress to stderr, one JSON line last
}
