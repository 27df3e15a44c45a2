// SearchStore: full-text search. The SQL is in search_queries.cc.
#include <chrono>
#include <optional>

#include "store/search_index.h"
#include "store/search_queries.h"
#include "store/sqlite_store.h"

namespace sb::sqlite {
namespace {

// A list walks the matches newest first until it has a page, so an agent whose
// scope covers few of a common word's many matches would make it walk them
// all. Past its budget a list stops and answers with what it found.
class Budget {
 public:
  Budget(sqlite3* db, std::chrono::milliseconds limit) : db_(db), limit_(limit) {
    sqlite3_progress_handler(db_, 1000, &Budget::check, this);
  }
  ~Budget() { sqlite3_progress_handler(db_, 0, nullptr, nullptr); }
  Budget(const Budget&) = delete;
  Budget& operator=(const Budget&) = delete;
  void restart() { end_ = std::chrono::steady_clock::now() + limit_; }

 private:
  static int check(void* self) {
    auto* b = static_cast<Budget*>(self);
    return std::chrono::steady_clock::now() > b->end_ ? 1 : 0;
  }
  sqlite3* db_;
  std::chrono::milliseconds limit_;
  std::chrono::steady_clock::time_point end_ = std::chrono::steady_clock::now() + limit_;
};

constexpr std::chrono::milliseconds kListBudget{150};

}  // namespace

SearchResults SqlStore::search(const SearchQuery& q) {
  auto match = search_queries::match_expression(q.text);
  if (!match) throw StoreError(StoreError::Code::kInvalid, "the search has no words to look for");
  // Changes of the last moments may still wait for the index thread: it takes
  // them now, so a search finds everything committed before it. While the index
  // is still being built from the tables, the answer says it may miss rows.
  if (pg_) return search_postgres(q);
  bool built = search_index_->catch_up();
  using Type = SearchQuery::Type;
  auto wants = [&](Type t) { return q.type == Type::kAll || q.type == t; };
  return read([&](Connection& db) {
    SearchResults r;
    r.complete = built;
    Budget budget(db.get(), kListBudget);
    bool complete = true;
    auto done = [&] {
      r.complete = r.complete && complete;
      budget.restart();
    };
    if (wants(Type::kMessages)) {
      r.messages = search_queries::messages(db, q, *match, &complete);
      done();
    }
    if (wants(Type::kConversations)) {
      auto ids = search_queries::conversation_ids(db, q, *match, &complete);
      done();
      r.conversations = search_queries::conversations(db, q.workspace_id, ids);
    }
    if (wants(Type::kContacts)) {
      r.contacts = search_queries::contacts(db, q, *match, &complete);
      done();
    }
    return r;
  });
}

}  // namespace sb::sqlite
