// Private to store/: the SQL behind personal API tokens. Called inside the
// store's read or write transactions.
#pragma once

#include "store/sqlite_db.h"
#include "store/store.h"

namespace sb::sqlite::token_queries {

ApiToken create(sql::Connection& db, const ApiToken& t, const std::string& hash, Millis now);
std::optional<ApiToken> find(sql::Connection& db, const std::string& hash, Millis now);
std::vector<ApiToken> list(sql::Connection& db, Id ws, std::optional<Id> agent);
bool remove(sql::Connection& db, Id ws, Id id, std::optional<Id> agent);
void touch(sql::Connection& db, Id id, Millis at, const std::string& ip);

}  // namespace sb::sqlite::token_queries
