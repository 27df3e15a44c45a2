// Private to store/: the schema's history as one list of steps, each with its
// SQL for SQLite and for PostgreSQL (migrations.cc).
#pragma once

#include <span>
#include <string_view>

#include "sql/sql.h"

namespace sb::sqlite {

// Every step, in order, versions 1, 2, 3, ...
std::span<const sql::Migration> schema_steps();

// PostgreSQL's first step: the whole schema as SQLite has it at this version,
// in PostgreSQL's DDL (postgres_schema.cc). The steps before it have no
// PostgreSQL text; every step after it must have one.
inline constexpr int kPostgresBaseline = 21;
std::string_view postgres_baseline();

}  // namespace sb::sqlite
