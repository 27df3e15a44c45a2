// Private to kb/: iterating UTF-8 by code point (the decoding lives in core).
#pragma once

#include <string>
#include <string_view>

#include "core/core.h"

namespace sb::kb {

template <class Fn>
void for_each_code_point(std::string_view s, Fn fn) {
  for (std::size_t i = 0; i < s.size();) fn(next_code_point(s, i));
}

inline std::u32string to_u32(std::string_view s) {
  std::u32string out;
  for_each_code_point(s, [&](char32_t c) { out += c; });
  return out;
}

}  // namespace sb::kb
