#include "store/sqlite_db.h"

#include "store/search_queries.h"

namespace sb::sqlite {
namespace {

[[noreturn]] void fail(sqlite3* db, std::string_view what) {
  int code = sqlite3_extended_errcode(db);
  auto msg = std::string(what) + ": " + sqlite3_errmsg(db);
  if ((code & 0xff) == SQLITE_CONSTRAINT) throw StoreError(StoreError::Code::kConflict, msg);
  throw StoreError(StoreError::Code::kInternal, msg);
}

}  // namespace

Statement::Statement(Connection& c, std::string_view sql) : db_(c.get()) {
  auto [it, inserted] = c.cache_.try_emplace(std::string(sql));
  if (!it->second.in_use && it->second.stmt) {  // the common case: reuse
    stmt_ = it->second.stmt;
    it->second.in_use = true;
    in_use_ = &it->second.in_use;  // map nodes never move
    return;
  }
  if (sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt_, nullptr) !=
      SQLITE_OK)
    fail(db_, "prepare");
  if (!it->second.stmt) {  // first use of this text: keep it
    it->second = {stmt_, true};
    in_use_ = &it->second.in_use;
  }
}

Statement::~Statement() {
  if (!in_use_) {  // a nested use of a busy text got its own statement
    sqlite3_finalize(stmt_);
    return;
  }
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
  *in_use_ = false;
}

Statement& Statement::bind(int i, std::int64_t v) {
  sqlite3_bind_int64(stmt_, i, v);
  return *this;
}

Statement& Statement::bind(int i, std::string_view v) {
  sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
  return *this;
}

Statement& Statement::bind_blob(int i, std::string_view v) {
  if (v.empty())
    sqlite3_bind_zeroblob(stmt_, i, 0);  // a null pointer would bind NULL
  else
    sqlite3_bind_blob(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_STATIC);
  return *this;
}

Statement& Statement::bind(int i, double v) {
  sqlite3_bind_double(stmt_, i, v);
  return *this;
}

Statement& Statement::bind_null(int i) {
  sqlite3_bind_null(stmt_, i);
  return *this;
}

bool Statement::step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  fail(db_, "step");
}

void Statement::run() {
  while (step()) {
  }
}

std::int64_t Statement::int64(int col) const {
  return sqlite3_column_int64(stmt_, col);
}

double Statement::real(int col) const {
  return sqlite3_column_double(stmt_, col);
}

std::string Statement::text(int col) const {
  auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, col));
  return p ? std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col))) : "";
}

std::string Statement::blob(int col) const {
  auto* p = static_cast<const char*>(sqlite3_column_blob(stmt_, col));
  return p ? std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col))) : "";
}

bool Statement::is_null(int col) const {
  return sqlite3_column_type(stmt_, col) == SQLITE_NULL;
}

Connection::Connection(const std::string& path) {
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  if (sqlite3_open_v2(path.c_str(), &db_, flags, nullptr) != SQLITE_OK) {
    std::string msg = db_ ? sqlite3_errmsg(db_) : "out of memory";
    sqlite3_close(db_);
    throw StoreError(StoreError::Code::kInternal, "open " + path + ": " + msg);
  }
  sqlite3_busy_timeout(db_, 5000);
  try {
    register_search_tokenizer(db_);
  } catch (...) {
    sqlite3_close(db_);
    throw;
  }
  exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;");
  sql_ = sql::borrow_sqlite(db_);
}

Connection::~Connection() {
  sql_.reset();  // finalizes its statements, which would keep the handle open
  for (auto& [sql, cached] : cache_) sqlite3_finalize(cached.stmt);
  sqlite3_close(db_);
}

void Connection::exec(std::string_view sql) {
  std::string s(sql);
  char* err = nullptr;
  if (sqlite3_exec(db_, s.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err ? err : "unknown error";
    sqlite3_free(err);
    fail(db_, "exec: " + msg);
  }
}

void throw_store_error(const sql::Error& e) {
  bool constraint =
      e.kind() == sql::ErrorKind::kUniqueViolation || e.kind() == sql::ErrorKind::kConstraint;
  throw StoreError(constraint ? StoreError::Code::kConflict : StoreError::Code::kInternal,
                   e.what());
}

std::vector<std::string> parse_strings(const std::string& text) {
  std::vector<std::string> out;
  auto v = parse_or(text, boost::json::array{});
  if (v.is_array())
    for (const auto& s : v.as_array())
      if (s.is_string()) out.emplace_back(s.as_string());
  return out;
}

std::string serialize_strings(const std::vector<std::string>& list) {
  boost::json::array a;
  for (const auto& s : list) a.emplace_back(s);
  return boost::json::serialize(a);
}

}  // namespace sb::sqlite
