// The schema migration runner for both backends.
#include <algorithm>

#include "sql/cursor.h"

namespace sb::sql {
namespace {

// One row per step applied. On SQLite the table the store has always kept, as
// it always declared it.
std::string_view create_table(const Connection& c) {
  return c.pick(
      "CREATE TABLE IF NOT EXISTS schema_migration (version INTEGER PRIMARY KEY, "
      "applied_at INTEGER NOT NULL)",
      "CREATE TABLE IF NOT EXISTS schema_migration (version BIGINT PRIMARY KEY, "
      "applied_at BIGINT NOT NULL)");
}

// Any constant: the key of the advisory lock migrating processes take turns on.
constexpr std::int64_t kMigrationLock = 0x5B'4D49'4752;

int current_version(Connection& c) {
  Statement q(c, "SELECT COALESCE(MAX(version), 0) FROM schema_migration");
  return q.step() ? static_cast<int>(q.int64(0)) : 0;
}

// One step in its own transaction. False when another process applied it first.
bool apply(Connection& c, const Migration& m, std::int64_t now_ms) {
  bool sqlite = c.backend() == Backend::kSqlite;
  Transaction tx(c, TxMode::kWrite);
  if (!sqlite) Statement(c, "SELECT pg_advisory_xact_lock(?)").bind(1, kMigrationLock).run();
  if (current_version(c) >= m.version) return false;
  auto text = sqlite ? m.sqlite : m.postgres;
  if (!text.empty()) c.exec(text);
  if (sqlite) {
    // Foreign keys are off while SQLite rebuilds tables (its documented
    // procedure), so they are checked here, before the step commits.
    Statement fk(c, "PRAGMA foreign_key_check");
    if (fk.step())
      throw Error(ErrorKind::kConstraint, "",
                  "migration " + std::to_string(m.version) + " broke a foreign key");
  }
  Statement(c, "INSERT INTO schema_migration (version, applied_at) VALUES (?, ?)")
      .bind(1, m.version)
      .bind(2, now_ms)
      .run();
  tx.commit();
  return true;
}

}  // namespace

int schema_version(Connection& c) {
  if (c.backend() == Backend::kSqlite) {
    c.exec(create_table(c));
    return current_version(c);
  }
  // Two processes creating the table at once can collide in the catalogue: take turns.
  Transaction tx(c, TxMode::kWrite);
  Statement(c, "SELECT pg_advisory_xact_lock(?)").bind(1, kMigrationLock).run();
  c.exec(create_table(c));
  int version = current_version(c);
  tx.commit();
  return version;
}

int migrate(Connection& c, std::span<const Migration> steps, std::int64_t now_ms) {
  if (!std::is_sorted(steps.begin(), steps.end(),
                      [](const auto& a, const auto& b) { return a.version < b.version; }))
    throw Error(ErrorKind::kOther, "", "migrations are not in order");
  int version = schema_version(c);
  bool sqlite = c.backend() == Backend::kSqlite;
  if (sqlite) c.exec("PRAGMA foreign_keys = OFF");  // a no-op inside a transaction: here, outside
  try {
    for (const auto& m : steps)
      if (m.version > version) apply(c, m, now_ms);
  } catch (...) {
    if (sqlite) c.exec("PRAGMA foreign_keys = ON");
    throw;
  }
  if (sqlite) c.exec("PRAGMA foreign_keys = ON");
  return current_version(c);
}

}  // namespace sb::sql
