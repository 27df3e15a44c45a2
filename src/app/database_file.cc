#include "app/database_file.h"

#include <sqlite3.h>

#include <memory>
#include <mutex>
#include <stdexcept>

namespace sb {
namespace {

struct CloseDb {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
using Db = std::unique_ptr<sqlite3, CloseDb>;

Db open_db(const std::string& path, int flags) {
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  Db db(raw);
  if (rc != SQLITE_OK)
    throw std::runtime_error("cannot open " + path + ": " +
                             (raw ? sqlite3_errmsg(raw) : sqlite3_errstr(rc)));
  sqlite3_busy_timeout(raw, 5000);
  return db;
}

// The first column of the first row, as text ("" when there is no row).
std::string scalar(sqlite3* db, const char* sql) {
  sqlite3_stmt* raw = nullptr;
  if (sqlite3_prepare_v2(db, sql, -1, &raw, nullptr) != SQLITE_OK)
    throw std::runtime_error(std::string(sql) + ": " + sqlite3_errmsg(db));
  std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)> stmt(raw, sqlite3_finalize);
  int rc = sqlite3_step(raw);
  if (rc == SQLITE_ROW) {
    const auto* text = sqlite3_column_text(raw, 0);
    return text ? reinterpret_cast<const char*>(text) : "";
  }
  if (rc != SQLITE_DONE) throw std::runtime_error(std::string(sql) + ": " + sqlite3_errmsg(db));
  return "";
}

std::int64_t version_of(sqlite3* db) {
  return std::stoll(scalar(db, "SELECT COALESCE(MAX(version), 0) FROM schema_migration"));
}

}  // namespace

std::int64_t schema_version(const std::string& db_path) {
  Db db = open_db(db_path, SQLITE_OPEN_READONLY);
  return version_of(db.get());
}

ReadinessCheck schema_check(const std::string& db_path, std::int64_t expected) {
  // One connection, opened on first use (after the server gave up root) and
  // kept: the readiness thread is its only user.
  struct State {
    std::mutex mu;
    Db db;
  };
  auto state = std::make_shared<State>();
  return {"migrations", [state, db_path, expected]() -> std::optional<std::string> {
            std::lock_guard lock(state->mu);
            if (!state->db) {
              state->db = open_db(db_path, SQLITE_OPEN_READONLY);
              sqlite3_busy_timeout(state->db.get(), 1000);
            }
            auto now = version_of(state->db.get());
            if (now == expected) return std::nullopt;
            if (now > expected)
              return "the database is at schema " + std::to_string(now) + ", this binary at " +
                     std::to_string(expected) + ": a newer node migrated it; upgrade this one";
            return "the database went back to schema " + std::to_string(now) + " from " +
                   std::to_string(expected) + " (restored from an older backup?): restart";
          }};
}

}  // namespace sb
