// Private to store/: a table's columns as one list. The SELECT text and the
// positions its row reader uses both come from that list, so they cannot drift;
// a unit test compares every list with the migrated schema.
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <vector>

namespace sb::sqlite {

// A list as the schema test sees it.
struct ColumnList {
  std::string_view table;
  std::vector<std::string_view> names;
  bool whole = false;  // every column of the table, no more
};

template <std::size_t N>
struct Columns {
  std::string_view table;
  int first = 0;  // the position of names[0] in the SELECT that reads this list
  bool whole = false;
  std::array<std::string_view, N> names;

  // The position of `name` in the row; a name not in the list does not compile.
  consteval int operator[](std::string_view name) const {
    for (std::size_t i = 0; i < N; ++i)
      if (names[i] == name) return first + static_cast<int>(i);
    throw "no such column in this list";
  }
  constexpr int end() const { return first + static_cast<int>(N); }

  // "alias.a, alias.b, ..." (bare names without an alias).
  std::string list(std::string_view alias = "") const {
    std::string out;
    for (auto name : names) {
      if (!out.empty()) out += ", ";
      if (!alias.empty()) (out += alias) += '.';
      out += name;
    }
    return out;
  }
  ColumnList describe() const { return {table, {names.begin(), names.end()}, whole}; }
};

// Every column of `table`, read from position `first` on.
template <class... Names>
consteval auto table_columns(std::string_view table, int first, Names... names) {
  return Columns<sizeof...(Names)>{table, first, true, {std::string_view(names)...}};
}

// Some columns of `table` (a join's part, or what one reader needs).
template <class... Names>
consteval auto some_columns(std::string_view table, int first, Names... names) {
  return Columns<sizeof...(Names)>{table, first, false, {std::string_view(names)...}};
}

}  // namespace sb::sqlite
