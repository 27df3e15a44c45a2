// `switchboard lang-eval DIR`: language identification measured on DIR/{en,it,
// ru,hu,pl}.txt (one item per line, the file name is the label).
#pragma once

#include <string>

namespace sb {
int lang_eval(const std::string& dir);  // prints progress to stderr, one JSON line last
}
