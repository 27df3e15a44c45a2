// SQLite's `?` and `?N` parameters as PostgreSQL's `$N`.
#include <algorithm>
#include <cctype>

#include "sql/cursor.h"

namespace sb::sql::detail {
namespace {

// The end of the quoted text starting at `i` (a doubled quote stays inside).
std::size_t skip_quoted(std::string_view sql, std::size_t i) {
  char quote = sql[i];
  for (++i; i < sql.size(); ++i) {
    if (sql[i] != quote) continue;
    if (i + 1 < sql.size() && sql[i + 1] == quote) {
      ++i;
      continue;
    }
    return i + 1;
  }
  return sql.size();
}

std::size_t skip_comment(std::string_view sql, std::size_t i) {
  if (sql[i] == '-') {
    auto end = sql.find('\n', i);
    return end == std::string_view::npos ? sql.size() : end;
  }
  auto end = sql.find("*/", i + 2);
  return end == std::string_view::npos ? sql.size() : end + 2;
}

}  // namespace

std::string postgres_placeholders(std::string_view sql, std::vector<bool>* used) {
  std::string out;
  out.reserve(sql.size() + 16);
  int largest = 0;
  std::vector<bool> named;
  std::size_t i = 0;
  while (i < sql.size()) {
    char c = sql[i];
    std::size_t next = i + 1;
    if (c == '\'' || c == '"') {
      next = skip_quoted(sql, i);
    } else if ((c == '-' && sql.substr(i, 2) == "--") || (c == '/' && sql.substr(i, 2) == "/*")) {
      next = skip_comment(sql, i);
    } else if (c == '?') {
      int n = 0;
      while (next < sql.size() && std::isdigit(static_cast<unsigned char>(sql[next])) && n < 100000)
        n = n * 10 + (sql[next++] - '0');
      if (next == i + 1) n = largest + 1;  // a bare ?
      largest = std::max(largest, n);
      if (n >= 1) {
        if (static_cast<std::size_t>(n) > named.size()) named.resize(static_cast<std::size_t>(n));
        named[static_cast<std::size_t>(n - 1)] = true;
      }
      out += '$';
      out += std::to_string(n);
      i = next;
      continue;
    }
    out.append(sql.substr(i, next - i));
    i = next;
  }
  if (used) *used = std::move(named);
  return out;
}

}  // namespace sb::sql::detail
