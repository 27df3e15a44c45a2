// The backend-neutral SQL layer: connections, prepared statements and
// transactions with one interface over SQLite and PostgreSQL (libpq), so the
// store's SQL is written once and runs on both. docs/CLUSTER-PLAN.md has the
// design; the rules of the common dialect are at the end of this header.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

struct sqlite3;

namespace sb::sql {

enum class Backend { kSqlite, kPostgres };

// What went wrong, in the terms a caller acts on.
enum class ErrorKind {
  kUniqueViolation,  // a UNIQUE or PRIMARY KEY refused the row: a duplicate, often a lost race
  kConstraint,       // another constraint: foreign key, CHECK, NOT NULL
  kRetry,            // serialization failure, deadlock, SQLite busy: run the transaction again
  kConnectionLost,   // the server went away; this connection cannot be used again
  kOther,            // syntax, types, a bad parameter index: a bug or a fault
};

class Error : public std::runtime_error {
 public:
  Error(ErrorKind kind, std::string code, const std::string& message)
      : std::runtime_error(message), kind_(kind), code_(std::move(code)) {}
  ErrorKind kind() const noexcept { return kind_; }
  // The SQLSTATE on PostgreSQL ("23505"), the extended result code on SQLite ("2067").
  const std::string& code() const noexcept { return code_; }

 private:
  ErrorKind kind_;
  std::string code_;
};

namespace detail {
class Cursor;  // one backend's prepared statement (private to sql/)
}

// One connection to one database. Not thread-safe: one thread at a time, as with
// the store's SQLite connections; a pool hands connections to threads.
class Connection {
 public:
  virtual ~Connection() = default;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  virtual Backend backend() const = 0;
  // SQL without parameters or rows, possibly several statements (a migration).
  virtual void exec(std::string_view sql) = 0;
  // Whether a transaction is open on this connection.
  virtual bool in_transaction() const = 0;
  // False once the server went away (PostgreSQL); a pool drops such a connection.
  virtual bool usable() const = 0;

  // The text for this backend, where the dialects differ ("instr(" / "strpos(").
  std::string_view pick(std::string_view sqlite, std::string_view postgres) const {
    return backend() == Backend::kSqlite ? sqlite : postgres;
  }
  // Appended to a SELECT that must lock the rows it reads until the transaction
  // ends. SQLite needs nothing: a write transaction there already excludes
  // every other writer.
  std::string_view for_update() const { return pick("", " FOR UPDATE"); }

 protected:
  Connection() = default;

 private:
  friend class Statement;
  virtual std::unique_ptr<detail::Cursor> prepare(std::string_view sql) = 0;
};

// A prepared statement, prepared once per connection and SQL text (both backends
// keep a cache). Parameters are `?` or `?N` as in SQLite, numbered from 1.
// Binding after the statement ran starts it afresh with the other values kept.
class Statement {
 public:
  Statement(Connection& c, std::string_view sql);
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  Statement& bind(int i, std::int64_t v);
  Statement& bind(int i, int v) { return bind(i, static_cast<std::int64_t>(v)); }
  // A boolean on PostgreSQL, 0 or 1 on SQLite: usable as a condition on both.
  Statement& bind(int i, bool v);
  Statement& bind(int i, double v);
  Statement& bind(int i, std::string_view v);
  Statement& bind(int i, const char* v) { return bind(i, std::string_view(v)); }
  Statement& bind(int i, const std::string& v) { return bind(i, std::string_view(v)); }
  Statement& bind_blob(int i, std::string_view bytes);
  Statement& bind_null(int i);
  template <class T>
  Statement& bind(int i, const std::optional<T>& v) {
    return v ? bind(i, *v) : bind_null(i);
  }

  bool step();  // runs the statement the first time; true while a row is available
  void run();   // runs it to completion
  // Rows inserted, updated or deleted by the last run, once it completed.
  std::int64_t affected() const;

  // Columns of the current row, from 0. Values convert as SQLite converts them:
  // NULL reads as 0 or "", a boolean as 0 or 1.
  std::int64_t int64(int col) const;
  double real(int col) const;
  std::string text(int col) const;
  std::string blob(int col) const;
  bool is_null(int col) const;
  std::optional<std::int64_t> maybe_int64(int col) const {
    return is_null(col) ? std::nullopt : std::optional(int64(col));
  }

 private:
  std::unique_ptr<detail::Cursor> cursor_;
};

// How a transaction isolates itself.
enum class TxMode {
  // Writes. SQLite: BEGIN IMMEDIATE (one writer at a time). PostgreSQL: READ
  // COMMITTED; correctness comes from row locks (for_update), conditional
  // UPDATE ... WHERE version = ?, and unique constraints.
  kWrite,
  // Writes that read a set of rows and decide on it (no row to lock).
  // PostgreSQL: SERIALIZABLE, which may fail with ErrorKind::kRetry.
  kSerializable,
  // Several reads from one snapshot. SQLite: BEGIN; PostgreSQL: REPEATABLE READ, READ ONLY.
  kRead,
};

// An open transaction, rolled back on destruction unless committed.
class Transaction {
 public:
  explicit Transaction(Connection& c, TxMode mode = TxMode::kWrite);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  void commit();

 private:
  Connection& c_;
  bool open_ = true;
};

struct RetryPolicy {
  int attempts = 10;
  std::chrono::milliseconds first_backoff{1};  // doubles, with jitter, up to 100 ms
};

// Runs fn(c) in a transaction and commits; runs it again, in a new transaction,
// when the database says to (ErrorKind::kRetry), up to policy.attempts times.
// Anything else fn throws rolls back and propagates. fn must not keep side
// effects outside the database from a failed attempt.
template <class Fn>
auto transact(Connection& c, TxMode mode, Fn&& fn, RetryPolicy policy = {})
    -> std::invoke_result_t<Fn&, Connection&>;

// Opens a database: a "postgresql://" or "postgres://" URL (libpq's syntax), or
// a SQLite file path, optionally written "sqlite:PATH". A new SQLite file is
// created, in WAL mode with foreign keys on and a 5 s busy timeout.
std::unique_ptr<Connection> connect(const std::string& target);
bool is_postgres_url(std::string_view target);

// A Connection over an SQLite handle someone else owns (the store's
// sqlite::Connection): both use one transaction, one set of registered
// functions (the search tokenizer). The handle must outlive the result.
std::unique_ptr<Connection> borrow_sqlite(sqlite3* db);

// One schema step, as SQL for each backend. An empty text means nothing to do
// on that backend (a step only one of them needs).
struct Migration {
  int version;
  std::string_view sqlite;
  std::string_view postgres;
};

// Applies, in order, the steps above the version recorded in schema_migration,
// each in its own transaction with its row there, and returns the version
// reached. Several processes may run it at once: on PostgreSQL an advisory
// lock makes them take turns, on SQLite the write lock does.
int migrate(Connection& c, std::span<const Migration> steps, std::int64_t now_ms);
int schema_version(Connection& c);

// The common dialect: what runs unchanged on both (SQLite 3.40, PostgreSQL 15).
//  * Parameters `?`/`?N`; on PostgreSQL they become $N. Never the `?` jsonb
//    operators (use jsonb_exists).
//  * Integers bind as bigint, booleans as boolean: a condition on a parameter is
//    a bound bool ("CASE WHEN ?3 THEN"), never an integer. A parameter whose type
//    PostgreSQL cannot infer from its context ("? IS NULL") takes a CAST(? AS BIGINT).
//  * New ids come from RETURNING id, never last_insert_rowid(); rows changed from
//    Statement::affected(); null-safe equality is IS NOT DISTINCT FROM;
//    INSERT OR IGNORE is INSERT ... ON CONFLICT DO NOTHING; upserts are
//    ON CONFLICT (...) DO UPDATE SET x = excluded.x.
//  * Case-insensitive matching is lower(a) = lower(?) / lower(a) LIKE lower(?).
//  * Whatever is left differs per backend and is chosen with Connection::pick:
//    JSON functions, string_agg/group_concat, strpos/instr, full-text search.

// ---------------------------------------------------------------------------

namespace detail {
void transact_loop(Connection& c, TxMode mode, const std::function<void()>& attempt,
                   const RetryPolicy& policy);
}

template <class Fn>
auto transact(Connection& c, TxMode mode, Fn&& fn, RetryPolicy policy)
    -> std::invoke_result_t<Fn&, Connection&> {
  using R = std::invoke_result_t<Fn&, Connection&>;
  if constexpr (std::is_void_v<R>) {
    detail::transact_loop(
        c, mode, [&] { fn(c); }, policy);
  } else {
    std::optional<R> result;
    detail::transact_loop(
        c, mode, [&] { result.emplace(fn(c)); }, policy);
    return std::move(*result);
  }
}

}  // namespace sb::sql
