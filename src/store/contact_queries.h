// Private to store/: the SQL behind one customer record (R5) — which contact a new
// conversation belongs to, profiles, search, timelines, edits, merge and undo.
// Called inside the store's read or write transactions.
#pragma once

#include "store/sqlite_db.h"
#include "store/store.h"

namespace sb::sqlite::contact_queries {

// The contact a conversation from the widget or the help center belongs to,
// found by one of its identities or made; its unclaimed identities join it.
Id resolve(sql::Connection& db, Id ws, const NewConversation& c, Millis now);

std::vector<ContactIdentity> identities(sql::Connection& db, Id ws, Id contact);
std::optional<ContactProfile> profile(sql::Connection& db, Id ws, Id id, const ContactQuery& scope);
std::vector<Id> search(sql::Connection& db, Id ws, const ContactQuery& q);
std::vector<Conversation> timeline(sql::Connection& db, Id ws, Id contact,
                                   const ContactQuery& page);

Outcome<ContactProfile> update(sql::Connection& db, Id ws, Id id, const ContactChanges& changes);

// Also the ids of the conversations that changed contact, for the change listener.
struct Moved {
  ContactMerge merge;
  std::vector<Id> conversations;
};
Outcome<Moved> merge(sql::Connection& db, Id ws, Id into, Id from, Id by, Millis now);
Outcome<Moved> undo(sql::Connection& db, Id ws, Id merge, Millis now);

// GDPR: the records merged (directly or in a chain) into `contact`, and forgetting
// the merges of those records (their snapshots hold names and notes).
std::vector<Contact> merged_into(sql::Connection& db, Id ws, Id contact);
void forget_merges(sql::Connection& db, Id ws, const std::vector<Id>& contacts);

}  // namespace sb::sqlite::contact_queries
