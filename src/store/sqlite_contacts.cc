// ContactStore: one customer record (R5). The SQL is in contact_queries.cc and
// contact_merge_queries.cc.
#include "store/contact_queries.h"
#include "store/sqlite_store.h"

namespace sb::sqlite {

std::vector<ContactProfile> SqlStore::search_contacts(Id ws, const ContactQuery& q) {
  return read([&](sql::Connection& db) {
    std::vector<ContactProfile> out;
    for (Id id : contact_queries::search(db, ws, q))
      if (auto p = contact_queries::profile(db, ws, id, q)) out.push_back(std::move(*p));
    return out;
  });
}

std::optional<ContactProfile> SqlStore::contact_profile(Id ws, Id id, const ContactQuery& scope) {
  return read([&](sql::Connection& db) { return contact_queries::profile(db, ws, id, scope); });
}

std::vector<Conversation> SqlStore::contact_timeline(Id ws, Id id, const ContactQuery& page) {
  return read([&](sql::Connection& db) { return contact_queries::timeline(db, ws, id, page); });
}

Outcome<ContactProfile> SqlStore::update_contact(Id ws, Id id, const ContactChanges& changes) {
  return write([&](sql::Connection& db) { return contact_queries::update(db, ws, id, changes); });
}

namespace {

Outcome<ContactMerge> merge_of(const Outcome<contact_queries::Moved>& moved) {
  if (!moved) return moved.refused();
  return moved->merge;
}

}  // namespace

// Consoles showing the moved conversations get them with their new contact.
Outcome<ContactMerge> SqlStore::merge_contacts(Id ws, Id into, Id from, Id by_agent) {
  return write([&](sql::Connection& db) {
    auto moved = contact_queries::merge(db, ws, into, from, by_agent, clock_());
    if (moved)
      for (Id c : moved->conversations) record({must_load_conversation(db, ws, c), std::nullopt});
    return merge_of(moved);
  });
}

Outcome<ContactMerge> SqlStore::undo_merge(Id ws, Id merge) {
  return write([&](sql::Connection& db) {
    auto moved = contact_queries::undo(db, ws, merge, clock_());
    if (moved)
      for (Id c : moved->conversations) record({must_load_conversation(db, ws, c), std::nullopt});
    return merge_of(moved);
  });
}

}  // namespace sb::sqlite
