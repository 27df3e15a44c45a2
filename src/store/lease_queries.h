// Private to store/: the SQL of the routing lease (table routing_lease). Plain
// conditional statements that run unchanged on SQLite and PostgreSQL, called
// inside the store's write transactions.
#pragma once

#include <optional>
#include <string>

#include "store/sqlite_db.h"
#include "store/store.h"

namespace sb::sqlite::lease_queries {

// Renews the lease if `holder` has it and it has not expired, else takes it
// over if it is free or expired (a new token). The token if `holder` has it now.
std::optional<std::int64_t> take(sql::Connection& db, Id ws, const std::string& holder, Millis now,
                                 Millis ttl);
// Expires it now if `holder` has it, so another node need not wait out the ttl.
void release(sql::Connection& db, Id ws, const std::string& holder);
// Whether the lease still carries `token`. Written as an UPDATE that changes
// nothing: on PostgreSQL it locks the lease row until the claim commits, so a
// takeover waits for the claim instead of slipping in between check and claim.
bool fence_holds(sql::Connection& db, Id ws, std::int64_t token);

}  // namespace sb::sqlite::lease_queries
