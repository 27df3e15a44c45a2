// Private to store/: the SQL behind GDPR export and erasure of a contact and the
// retention janitor. Called inside the store's read or write transactions.
#pragma once

#include "store/sqlite_db.h"
#include "store/store.h"

namespace sb::sqlite::gdpr_queries {

// What visitor-authored message bodies become when their contact is erased.
constexpr std::string_view kErased = "[erased]";

// The contact with its identities (no conversations yet); nullopt outside `ws`.
std::optional<ContactData> contact(sql::Connection& db, Id ws, Id id);
std::vector<Id> conversation_ids(sql::Connection& db, Id ws, Id contact);
std::optional<Millis> conversation_erased_at(sql::Connection& db, Id ws, Id conversation);
std::vector<Attachment> attachments(sql::Connection& db, Id ws, Id conversation);
// Erases `c` and its conversations `ids` (see Store::erase_contact).
EraseResult erase(sql::Connection& db, Id ws, const Contact& c, const std::vector<Id>& ids,
                  Millis now);
std::optional<int> retention_days(sql::Connection& db, Id ws);
void set_retention_days(sql::Connection& db, Id ws, std::optional<int> days);
PurgeResult purge(sql::Connection& db, Millis now, int limit);

}  // namespace sb::sqlite::gdpr_queries
