// Private to store/: a thin RAII layer over the SQLite C API.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "sql/sql.h"
#include "store/store.h"

namespace sb::sqlite {

class Connection;

// A prepared statement borrowed from its connection's cache (prepared once per
// SQL text); reset and handed back on destruction.
class Statement {
 public:
  Statement(Connection& db, std::string_view sql);
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  Statement& bind(int i, std::int64_t v);
  Statement& bind(int i, int v) { return bind(i, static_cast<std::int64_t>(v)); }
  Statement& bind(int i, std::string_view v);
  Statement& bind(int i, const char* v) { return bind(i, std::string_view(v)); }
  Statement& bind(int i, const std::string& v) { return bind(i, std::string_view(v)); }
  Statement& bind(int i, double v);
  Statement& bind_null(int i);
  // Binds without copying: `v` must stay alive until the statement has run.
  Statement& bind_blob(int i, std::string_view v);
  template <class T>
  Statement& bind(int i, const std::optional<T>& v) {
    return v ? bind(i, *v) : bind_null(i);
  }

  bool step();  // true while a row is available
  void run();   // step to completion
  std::int64_t int64(int col) const;
  double real(int col) const;
  std::string text(int col) const;
  std::string blob(int col) const;
  bool is_null(int col) const;

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
  bool* in_use_ = nullptr;  // set when stmt_ came from the cache
};

class Connection {
 public:
  explicit Connection(const std::string& path);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  sqlite3* get() const { return db_; }
  // The same handle through the neutral layer (one transaction, its own
  // statement cache kept for the connection's life). The facets ported to
  // sql::Connection are handed this wherever they are given a Connection.
  sql::Connection& sql() { return *sql_; }
  operator sql::Connection&() { return *sql_; }  // NOLINT: implicit on purpose
  void exec(std::string_view sql);
  std::int64_t last_insert_id() const { return sqlite3_last_insert_rowid(db_); }
  int changes() const { return sqlite3_changes(db_); }

 private:
  friend class Statement;
  struct Cached {
    sqlite3_stmt* stmt = nullptr;
    bool in_use = false;
  };
  sqlite3* db_ = nullptr;
  std::unordered_map<std::string, Cached> cache_;
  std::unique_ptr<sql::Connection> sql_;  // borrows db_; destroyed before it closes
};

// The neutral layer's error as the store reports it: a constraint refusing a row
// is a conflict, anything else internal.
[[noreturn]] void throw_store_error(const sql::Error& e);

// Runs fn(args...) with the neutral layer's errors reported as StoreErrors.
template <class Fn, class... Args>
decltype(auto) store_errors(Fn&& fn, Args&&... args) {
  try {
    return fn(std::forward<Args>(args)...);
  } catch (const sql::Error& e) {
    throw_store_error(e);
  }
}

// Applies the migrations not applied yet, up to `through` (all by default; tests
// stop early to build an old database).
void migrate(Connection& db, std::size_t through = SIZE_MAX);

// A JSON array of strings (keywords, scopes, hashes) as a column, both ways;
// anything else in the column reads as no strings.
std::vector<std::string> parse_strings(const std::string& text);
std::string serialize_strings(const std::vector<std::string>& list);

// A JSON column's value, or `fallback` when it does not parse.
inline boost::json::value parse_or(const std::string& text, boost::json::value fallback) {
  boost::system::error_code ec;
  auto v = boost::json::parse(text, ec);
  return ec ? fallback : v;
}

}  // namespace sb::sqlite
