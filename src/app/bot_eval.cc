#include "app/bot_eval.h"

#include <stdexcept>

namespace sb {
int bot_eval(const std::string&, const std::string&) {
  throw std::runtime_error("bot-eval: not built yet");
}
}  // namespace sb
