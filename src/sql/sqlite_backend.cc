// The SQLite backend: statements prepared once per connection and text (as the
// store's own sqlite::Connection does), on an owned or a borrowed handle.
#include <sqlite3.h>

#include <functional>
#include <string>
#include <tuple>
#include <unordered_map>

#include "sql/cursor.h"

namespace sb::sql::detail {
namespace {

ErrorKind kind_of(int extended) {
  switch (extended) {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
      return ErrorKind::kUniqueViolation;
    default:
      break;
  }
  switch (extended & 0xff) {
    case SQLITE_CONSTRAINT:
      return ErrorKind::kConstraint;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return ErrorKind::kRetry;
    default:
      return ErrorKind::kOther;
  }
}

[[noreturn]] void fail(sqlite3* db, std::string_view what) {
  int code = sqlite3_extended_errcode(db);
  throw Error(kind_of(code), std::to_string(code), std::string(what) + ": " + sqlite3_errmsg(db));
}

class SqliteConnection;

class SqliteCursor final : public Cursor {
 public:
  // `in_use` is the cache entry's flag when the statement is the cached one.
  SqliteCursor(sqlite3* db, sqlite3_stmt* stmt, bool* in_use)
      : db_(db), stmt_(stmt), in_use_(in_use), params_(sqlite3_bind_parameter_count(stmt)) {}
  ~SqliteCursor() override {
    if (!in_use_) {  // a nested use of a busy text got a statement of its own
      sqlite3_finalize(stmt_);
      return;
    }
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
    *in_use_ = false;
  }

  void bind_int64(int i, std::int64_t v) override { check(i, sqlite3_bind_int64(prep(i), i, v)); }
  void bind_bool(int i, bool v) override { check(i, sqlite3_bind_int64(prep(i), i, v ? 1 : 0)); }
  void bind_double(int i, double v) override { check(i, sqlite3_bind_double(prep(i), i, v)); }
  void bind_text(int i, std::string_view v) override {
    check(i, sqlite3_bind_text64(prep(i), i, v.data(), v.size(), SQLITE_TRANSIENT, SQLITE_UTF8));
  }
  void bind_blob(int i, std::string_view v) override {
    // A zero-length blob from a null pointer would read as NULL.
    check(i,
          sqlite3_bind_blob64(prep(i), i, v.empty() ? "" : v.data(), v.size(), SQLITE_TRANSIENT));
  }
  void bind_null(int i) override { check(i, sqlite3_bind_null(prep(i), i)); }

  bool step() override {
    if (done_) return false;
    started_ = true;
    int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) {
      done_ = true;
      affected_ = sqlite3_changes64(db_);
      return false;
    }
    fail(db_, "step");
  }
  std::int64_t affected() const override { return affected_; }
  std::int64_t int64(int col) const override { return sqlite3_column_int64(stmt_, col); }
  double real(int col) const override { return sqlite3_column_double(stmt_, col); }
  std::string text(int col) const override {
    auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, col));
    return p ? std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col))) : "";
  }
  std::string blob(int col) const override {
    auto* p = static_cast<const char*>(sqlite3_column_blob(stmt_, col));
    return p ? std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col))) : "";
  }
  bool is_null(int col) const override { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }

 private:
  // Binding after a run starts the statement afresh; the other values stay.
  sqlite3_stmt* prep(int i) {
    if (i < 1 || i > params_)
      throw Error(ErrorKind::kOther, "", "no parameter " + std::to_string(i) + " in the statement");
    if (started_) {
      sqlite3_reset(stmt_);
      started_ = done_ = false;
      affected_ = 0;
    }
    return stmt_;
  }
  void check(int i, int rc) {
    if (rc != SQLITE_OK) fail(db_, "bind " + std::to_string(i));
  }

  sqlite3* db_;
  sqlite3_stmt* stmt_;
  bool* in_use_;
  int params_;
  bool started_ = false;
  bool done_ = false;
  std::int64_t affected_ = 0;
};

class SqliteConnection final : public Connection {
 public:
  SqliteConnection(sqlite3* db, bool owned) : db_(db), owned_(owned) {}
  ~SqliteConnection() override {
    for (auto& [sql, cached] : cache_) sqlite3_finalize(cached.stmt);
    if (owned_) sqlite3_close(db_);
  }

  Backend backend() const override { return Backend::kSqlite; }
  bool in_transaction() const override { return sqlite3_get_autocommit(db_) == 0; }
  bool usable() const override { return true; }

  void exec(std::string_view sql) override {
    std::string s(sql);
    char* err = nullptr;
    if (sqlite3_exec(db_, s.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
      std::string msg = err ? err : "unknown error";
      sqlite3_free(err);
      fail(db_, "exec: " + msg);
    }
  }

 private:
  struct Cached {
    sqlite3_stmt* stmt = nullptr;
    bool in_use = false;
  };
  // Looked up by string_view: the common case (a cached text) copies nothing.
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept {
      return std::hash<std::string_view>{}(s);
    }
  };

  std::unique_ptr<Cursor> prepare(std::string_view sql) override {
    auto it = cache_.find(sql);
    bool inserted = false;
    if (it == cache_.end()) std::tie(it, inserted) = cache_.try_emplace(std::string(sql));
    if (it->second.stmt && !it->second.in_use) {  // the common case: reuse
      it->second.in_use = true;
      return std::make_unique<SqliteCursor>(db_, it->second.stmt, &it->second.in_use);
    }
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr) !=
        SQLITE_OK) {
      if (inserted) cache_.erase(it);
      fail(db_, "prepare");
    }
    if (it->second.stmt)  // the cached one is busy (a nested use): this one is private
      return std::make_unique<SqliteCursor>(db_, stmt, nullptr);
    it->second = {stmt, true};  // map nodes never move
    return std::make_unique<SqliteCursor>(db_, stmt, &it->second.in_use);
  }

  sqlite3* db_;
  bool owned_;
  std::unordered_map<std::string, Cached, Hash, std::equal_to<>> cache_;
};

}  // namespace

std::unique_ptr<Connection> open_sqlite(const std::string& path) {
  sqlite3* db = nullptr;
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  if (sqlite3_open_v2(path.c_str(), &db, flags, nullptr) != SQLITE_OK) {
    std::string msg = db ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close(db);
    throw Error(ErrorKind::kOther, "", "open " + path + ": " + msg);
  }
  sqlite3_extended_result_codes(db, 1);
  sqlite3_busy_timeout(db, 5000);
  auto c = std::make_unique<SqliteConnection>(db, true);
  c->exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;");
  return c;
}

}  // namespace sb::sql::detail

namespace sb::sql {

std::unique_ptr<Connection> borrow_sqlite(sqlite3* db) {
  return std::make_unique<detail::SqliteConnection>(db, false);
}

}  // namespace sb::sql
