// Private to store/: the SQL behind the audit log. Called inside the store's read
// or write transactions.
#pragma once

#include "store/sqlite_db.h"
#include "store/store.h"

namespace sb::sqlite::audit_queries {

void append(sql::Connection& db, const AuditEntry& e, Millis now);  // e.at == 0: now
std::vector<AuditEntry> search(sql::Connection& db, Id ws, const AuditQuery& q);

}  // namespace sb::sqlite::audit_queries
