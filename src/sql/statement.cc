// sql::Statement, Transaction, transact() and connect(): the backend-neutral
// parts; each call goes to the backend's Cursor or SQL.
#include <algorithm>
#include <random>
#include <thread>

#include "sql/cursor.h"

namespace sb::sql {

Statement::Statement(Connection& c, std::string_view sql) : cursor_(c.prepare(sql)) {}

Statement::~Statement() = default;

Statement& Statement::bind(int i, std::int64_t v) {
  cursor_->bind_int64(i, v);
  return *this;
}

Statement& Statement::bind(int i, bool v) {
  cursor_->bind_bool(i, v);
  return *this;
}

Statement& Statement::bind(int i, double v) {
  cursor_->bind_double(i, v);
  return *this;
}

Statement& Statement::bind(int i, std::string_view v) {
  cursor_->bind_text(i, v);
  return *this;
}

Statement& Statement::bind_blob(int i, std::string_view bytes) {
  cursor_->bind_blob(i, bytes);
  return *this;
}

Statement& Statement::bind_null(int i) {
  cursor_->bind_null(i);
  return *this;
}

bool Statement::step() {
  return cursor_->step();
}

void Statement::run() {
  while (cursor_->step()) {
  }
}

std::int64_t Statement::affected() const {
  return cursor_->affected();
}

std::int64_t Statement::int64(int col) const {
  return cursor_->int64(col);
}

double Statement::real(int col) const {
  return cursor_->real(col);
}

std::string Statement::text(int col) const {
  return cursor_->text(col);
}

std::string Statement::blob(int col) const {
  return cursor_->blob(col);
}

bool Statement::is_null(int col) const {
  return cursor_->is_null(col);
}

namespace {

std::string_view begin_sql(Backend b, TxMode mode) {
  if (b == Backend::kSqlite) return mode == TxMode::kRead ? "BEGIN" : "BEGIN IMMEDIATE";
  switch (mode) {
    case TxMode::kWrite:
      return "BEGIN ISOLATION LEVEL READ COMMITTED";
    case TxMode::kSerializable:
      return "BEGIN ISOLATION LEVEL SERIALIZABLE";
    case TxMode::kRead:
      return "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY";
  }
  return "BEGIN";
}

}  // namespace

Transaction::Transaction(Connection& c, TxMode mode) : c_(c) {
  // Nesting would silently join the outer transaction (PostgreSQL warns, SQLite
  // refuses): the caller is meant to own it.
  if (c.in_transaction()) throw Error(ErrorKind::kOther, "", "a transaction is already open");
  c.exec(begin_sql(c.backend(), mode));
}

Transaction::~Transaction() {
  if (!open_) return;
  try {
    if (c_.usable() && c_.in_transaction()) c_.exec("ROLLBACK");
  } catch (const Error&) {
    // The connection is gone or the transaction already ended: nothing to undo.
  }
}

void Transaction::commit() {
  open_ = false;
  try {
    c_.exec("COMMIT");
  } catch (const Error&) {
    // PostgreSQL ends a transaction whose COMMIT failed; SQLite may keep it open
    // (busy): either way the next BEGIN must find none.
    try {
      if (c_.usable() && c_.in_transaction()) c_.exec("ROLLBACK");
    } catch (const Error&) {
    }
    throw;
  }
}

namespace detail {

void transact_loop(Connection& c, TxMode mode, const std::function<void()>& attempt,
                   const RetryPolicy& policy) {
  thread_local std::minstd_rand jitter{std::random_device{}()};
  auto backoff = policy.first_backoff;
  for (int n = 1;; ++n) {
    try {
      Transaction tx(c, mode);
      attempt();
      tx.commit();
      return;
    } catch (const Error& e) {
      if (e.kind() != ErrorKind::kRetry || n >= policy.attempts) throw;
    }
    // Jitter keeps the losers of one race from meeting again at the same instant.
    auto wait = backoff + std::chrono::microseconds(jitter() % 1000);
    std::this_thread::sleep_for(wait);
    backoff = std::min(backoff * 2, std::chrono::milliseconds(100));
  }
}

}  // namespace detail

bool is_postgres_url(std::string_view target) {
  return target.starts_with("postgresql://") || target.starts_with("postgres://");
}

std::unique_ptr<Connection> connect(const std::string& target) {
  if (is_postgres_url(target)) return detail::open_postgres(target);
  if (target.starts_with("sqlite:")) return detail::open_sqlite(target.substr(7));
  return detail::open_sqlite(target);
}

}  // namespace sb::sql
