// SearchStore: full-text search. The SQL is in search_queries.cc.
#include "store/search_queries.h"
#include "store/sqlite_store.h"

namespace sb::sqlite {

SearchResults SqliteStore::search(const SearchQuery& q) {
  auto match = search_queries::match_expression(q.text);
  if (!match) throw StoreError(StoreError::Code::kInvalid, "the search has no words to look for");
  using Type = SearchQuery::Type;
  return read([&](Connection& db) {
    SearchResults r;
    if (q.type == Type::kAll || q.type == Type::kMessages)
      r.messages = search_queries::messages(db, q, *match);
    if (q.type == Type::kAll || q.type == Type::kConversations)
      r.conversations = search_queries::conversations(db, q, *match);
    if (q.type == Type::kAll || q.type == Type::kContacts)
      r.contacts = search_queries::contacts(db, q, *match);
    return r;
  });
}

}  // namespace sb::sqlite
