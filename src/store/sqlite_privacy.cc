// PrivacyStore: GDPR export and erasure, and retention. The SQL is in gdpr_queries.cc.
#include "store/contact_queries.h"
#include "store/gdpr_queries.h"
#include "store/kb_queries.h"
#include "store/sqlite_store.h"

namespace sb::sqlite {

std::optional<ContactData> SqlStore::contact_data(Id ws, Id id) {
  auto found = read([&](sql::Connection& db) -> std::optional<ContactData> {
    auto data = gdpr_queries::contact(db, ws, id);
    if (!data) return std::nullopt;
    data->merged = contact_queries::merged_into(db, ws, id);
    for (Id c : gdpr_queries::conversation_ids(db, ws, id)) {
      data->conversations.push_back(
          {must_load_conversation(db, ws, c), load_events(db, ws, c, 0, true, -1),  // -1: no limit
           kb_queries::questions(db, ws, c), gdpr_queries::conversation_erased_at(db, ws, c),
           load_complaints(db, ws, c)});
      auto files = gdpr_queries::attachments(db, ws, c);
      data->attachments.insert(data->attachments.end(), files.begin(), files.end());
    }
    return data;
  });
  if (found) found->ticket_fields = ticket_fields(ws);
  return found;
}

std::optional<EraseResult> SqlStore::erase_contact(Id ws, Id id) {
  auto erased = write([&](sql::Connection& db) -> std::optional<EraseResult> {
    auto data = gdpr_queries::contact(db, ws, id);
    if (!data) return std::nullopt;
    auto ids = gdpr_queries::conversation_ids(db, ws, id);
    // The records merged into this one go too: they hold the same person's name,
    // addresses and notes, and so do the merges that could have brought them back.
    auto merged = contact_queries::merged_into(db, ws, id);
    std::vector<Id> forget{id};
    for (const auto& m : merged) forget.push_back(m.id);
    contact_queries::forget_merges(db, ws, forget);
    auto result = gdpr_queries::erase(db, ws, data->contact, ids, clock_());
    // Their names and addresses are scrubbed from the same conversations.
    for (const auto& m : merged) (void)gdpr_queries::erase(db, ws, m, ids, clock_());
    // Consoles showing these conversations get them as they are now.
    for (Id c : ids) record({must_load_conversation(db, ws, c), std::nullopt, false});
    return result;
  });
  // The index keeps a copy of the text: erased there now, not at its next pass.
  if (erased) search_catch_up();
  return erased;
}

std::optional<int> SqlStore::retention_days(Id ws) {
  return read([&](sql::Connection& db) { return gdpr_queries::retention_days(db, ws); });
}

void SqlStore::set_retention_days(Id ws, std::optional<int> days) {
  write([&](sql::Connection& db) {
    gdpr_queries::set_retention_days(db, ws, days);
    return 0;
  });
}

PurgeResult SqlStore::purge_expired_conversations(Millis now, int limit) {
  auto purged = write([&](sql::Connection& db) { return gdpr_queries::purge(db, now, limit); });
  if (purged.conversations > 0) search_catch_up();  // as for an erasure
  return purged;
}

}  // namespace sb::sqlite
