// Private to store/: the SQL behind personal API tokens. Called inside the
// store's read or write transactions.
#pragma once

#include "store/sqlite_db.h"
#include "store/store.h"

namespace sb::sqlite::token_queries {

ApiToken create(Connection& db, const ApiToken& t, const std::string& hash, Millis now);
std::optional<ApiToken> find(Connection& db, const std::string& hash, Millis now);
std::vector<ApiToken> list(Connection& db, Id ws, std::optional<Id> agent);
bool remove(Connection& db, Id ws, Id id, std::optional<Id> agent);
void touch(Connection& db, Id id, Millis at, const std::string& ip);

}  // namespace sb::sqlite::token_queries
