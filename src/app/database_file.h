// What the binary does with the SQLite file itself, beside the store: an online
// backup (`switchboard backup`) and the schema check behind /readyz. Both are
// about the file, not the data, so they are not part of the Store interface; a
// PostgreSQL deployment backs up with pg_dump and checks its schema its own way.
#pragma once

#include <cstdint>
#include <string>

#include "server/server.h"

namespace sb {

struct BackupResult {
  std::string path;
  std::int64_t bytes = 0;
  std::int64_t pages = 0;
  std::int64_t schema_version = 0;
  std::int64_t ms = 0;
};

// Copies the database at `db_path` into `to` while servers keep writing to it:
// SQLite's online backup API in one step, i.e. one read transaction, so the copy
// is one consistent moment (WAL lets the writers carry on meanwhile). The copy is
// written beside `to`, checked (quick_check), made a single file (no WAL),
// synced, and only then renamed over `to`; it is readable by its owner only.
// Throws std::runtime_error naming what failed.
BackupResult backup_database(const std::string& db_path, const std::string& to);

// The newest migration applied to the database at `db_path`.
std::int64_t schema_version(const std::string& db_path);

// /readyz's "migrations" check: the schema must stay at `expected` (the version
// this binary migrated to at start). Newer means another node with a newer
// binary has migrated it: this one should be upgraded, not serve.
ReadinessCheck schema_check(const std::string& db_path, std::int64_t expected);
// The same for a PostgreSQL database, which must also answer.
ReadinessCheck postgres_schema_check(const std::string& url, std::int64_t expected);

}  // namespace sb
