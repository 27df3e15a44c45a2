// What the binary does with the SQLite file itself, beside the store: the schema
// check behind /readyz. It is about the file, not the data, so it is not part of
// the Store interface; a PostgreSQL deployment checks its schema its own way.
#pragma once

#include <cstdint>
#include <string>

#include "server/server.h"

namespace sb {

// The newest migration applied to the database at `db_path`.
std::int64_t schema_version(const std::string& db_path);

// /readyz's "migrations" check: the schema must stay at `expected` (the version
// this binary migrated to at start). Newer means another node with a newer
// binary has migrated it: this one should be upgraded, not serve.
ReadinessCheck schema_check(const std::string& db_path, std::int64_t expected);

}  // namespace sb
