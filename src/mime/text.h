// Private to mime/: the two small text helpers every part of the reader uses.
#pragma once

#include <algorithm>
#include <cctype>
#include <string>
#include <string_view>

namespace sb::mime {

// ASCII lower case (header names, keywords, URL schemes); other bytes unchanged,
// as std::tolower in the "C" locale but without a call per byte: it runs over
// whole mail bodies.
inline std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + ('a' - 'A'));
  return out;
}

// Without leading and trailing ASCII white space; a view into `s`.
inline std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

}  // namespace sb::mime
