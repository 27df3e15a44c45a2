// Private to mime/: the two small text helpers every part of the reader uses.
#pragma once

#include <algorithm>
#include <cctype>
#include <string>
#include <string_view>

namespace sb::mime {

// ASCII lower case (header names, keywords, URL schemes); other bytes unchanged.
inline std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// Without leading and trailing ASCII white space; a view into `s`.
inline std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

}  // namespace sb::mime
