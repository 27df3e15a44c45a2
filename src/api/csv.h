// Private to api/: CSV exports that a spreadsheet opens safely.
#pragma once

#include <string>
#include <string_view>

namespace sb {

// A cell a spreadsheet will not run: quoted, and a leading = + - @ made text.
inline std::string csv_cell(std::string_view v) {
  std::string out = "\"";
  if (!v.empty() && (v[0] == '=' || v[0] == '+' || v[0] == '-' || v[0] == '@')) out += '\'';
  for (char c : v) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

}  // namespace sb
