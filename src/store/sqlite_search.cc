// SearchStore: full-text search. The SQL is in search_queries.cc.
#include <chrono>

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

namespace {
constexpr std::int64_t kIndexBatch = 256;
constexpr auto kIndexLag = std::chrono::milliseconds(500);
}  // namespace

void index_pending_when_due(Connection& db, bool more_waiting) {
  // Each store has its own writer thread: the state is per thread.
  thread_local std::chrono::steady_clock::time_point last_indexed{};
  auto now = std::chrono::steady_clock::now();
  if (more_waiting && now - last_indexed < kIndexLag) {
    Statement count(db,
                    "SELECT (SELECT count(*) FROM search_event_pending) + "
                    "(SELECT count(*) FROM search_conversation_pending) + "
                    "(SELECT count(*) FROM search_contact_pending)");
    if (count.step() && count.int64(0) < kIndexBatch) return;
  }
  last_indexed = now;
  index_pending(db);
}

namespace {

// Each list in one statement, all or nothing: if indexing fails, the list stays
// for the next batch and the rows commit (their search lags; they are not
// lost). Emptying a list fails only when the transaction does: then nothing commits.
void index_list(Connection& db, const std::string& list, const char* index) {
  {
    Statement q(db, "SELECT EXISTS (SELECT 1 FROM " + list + ")");
    if (!q.step() || q.int64(0) == 0) return;
  }
  try {
    Statement(db, index).run();
  } catch (const StoreError&) {
    return;
  }
  Statement(db, "DELETE FROM " + list).run();
}

}  // namespace

void index_pending(Connection& db) {
  index_list(db, "search_event_pending",
             "INSERT INTO search_event (rowid, body) SELECT e.id, e.body "
             "FROM search_event_pending p CROSS JOIN event e ON e.id = p.id "
             "WHERE e.kind IN ('message', 'note')");
  // Contacts before conversations: a conversation's row repeats its contact's.
  index_list(db, "search_contact_pending",
             "INSERT INTO search_contact (rowid, name, email, phone) "
             "SELECT s.id, s.name, s.email, s.phone "
             "FROM search_contact_pending p CROSS JOIN search_contact_source s ON s.id = p.id");
  index_list(db, "search_conversation_pending",
             "INSERT INTO search_conversation (rowid, subject, name, email, phone) "
             "SELECT s.id, s.subject, s.name, s.email, s.phone "
             "FROM search_conversation_pending p "
             "CROSS JOIN search_conversation_source s ON s.id = p.id");
}

SearchResults SqliteStore::search(const SearchQuery& q) {
  auto match = search_queries::match_expression(q.text);
  if (!match) throw StoreError(StoreError::Code::kInvalid, "the search has no words to look for");
  using Type = SearchQuery::Type;
  auto wants = [&](Type t) { return q.type == Type::kAll || q.type == t; };
  return read([&](Connection& db) {
    SearchResults r;
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
