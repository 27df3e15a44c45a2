// Private to api/: CSV exports that a spreadsheet opens safely.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "http/http.h"

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

// One line: every cell made safe, comma-separated, CRLF-ended.
inline std::string csv_row(const std::vector<std::string>& cells) {
  std::string out;
  for (const auto& c : cells) out += csv_cell(c) + ",";
  if (out.empty()) return "\r\n";
  out.back() = '\r';
  return out + "\n";
}

// `body` as the download <name>.csv.
inline http::Response csv_file(std::string body, const std::string& name) {
  http::Response r;
  r.body = std::move(body);
  r.header("Content-Type", "text/csv; charset=utf-8");
  r.header("Content-Disposition", "attachment; filename=\"" + name + ".csv\"");
  return r;
}

}  // namespace sb
