#include "store/search_index.h"

#include <pthread.h>
#include <sys/resource.h>
#include <unistd.h>

#include <filesystem>
#include <optional>

namespace sb::sqlite {
namespace {

// Bumped when the index's tables change: a file of another version is built again.
constexpr std::int64_t kIndexVersion = 2;

// A list of the change log (search_change.list) and where its rows' text comes
// from. Contacts before conversations: a conversation's row repeats its contact's.
struct IndexedList {
  int list;
  const char* table;    // the FTS5 table in the index file
  const char* columns;  // its columns (after the rowid)
  const char* values;   // the same read from the source `s`
  const char* from;     // the source and the start of its WHERE, to end in "s.id ..."
  const char* rows;     // the table whose ids the build walks
};

constexpr IndexedList kLists[] = {
    {2, "search_contact", "name, email, phone", "s.name, s.email, s.phone",
     "main.search_contact_source s WHERE", "contact"},
    {1, "search_conversation", "subject, name, email, phone", "s.subject, s.name, s.email, s.phone",
     "main.search_conversation_source s WHERE", "conversation"},
    {0, "search_event", "body", "s.body", "main.event s WHERE s.kind IN ('message', 'note') AND",
     "event"},
};
constexpr int kListCount = 3;

// The index keeps its own copy of the text (snippets are cut from it): an
// external-content table must live in the same file as its content.
constexpr const char* kIndexSchema = R"sql(
DROP TABLE IF EXISTS search.search_event;
DROP TABLE IF EXISTS search.search_conversation;
DROP TABLE IF EXISTS search.search_contact;
CREATE VIRTUAL TABLE search.search_event USING fts5(body, tokenize = 'sb_words');
CREATE VIRTUAL TABLE search.search_conversation USING fts5(subject, name, email, phone,
  tokenize = 'sb_words', prefix = '2 3');
CREATE VIRTUAL TABLE search.search_contact USING fts5(name, email, phone,
  tokenize = 'sb_words', prefix = '2 3');
)sql";

// A chunk is read from the database into temporary tables, in one short read
// transaction, and only then written to the index in another: a read
// transaction held through FTS5's work (up to seconds for a chunk of long
// mails, on a thread that yields to everything) would pin the database's WAL,
// which then cannot start over and grows until the writer must wait.
std::string chunk_table(const IndexedList& l) {
  return std::string("temp.chunk_") + l.table;
}

void create_chunk_tables(Connection& db) {
  db.exec("CREATE TEMP TABLE chunk_ids (list INTEGER, id INTEGER, PRIMARY KEY (list, id))");
  for (const auto& l : kLists)
    db.exec("CREATE TEMP TABLE " + std::string("chunk_") + l.table + " (id INTEGER PRIMARY KEY, " +
            l.columns + ")");
}

void clear_chunk(Connection& db) {
  db.exec("DELETE FROM temp.chunk_ids");
  for (const auto& l : kLists) db.exec("DELETE FROM " + chunk_table(l));
}

// The ids' rows as they are now; an id without one (deleted, or no longer a
// message) is only struck from the index.
void read_chunk_rows(Connection& db) {
  for (const auto& l : kLists)
    Statement(db, "INSERT INTO " + chunk_table(l) + " (id, " + l.columns + ") SELECT s.id, " +
                      l.values + " FROM " + l.from +
                      " s.id IN (SELECT id FROM temp.chunk_ids WHERE list = " +
                      std::to_string(l.list) + ")")
        .run();
}

// Replaces the index's rows for the chunk's ids with the rows read: inserts,
// changes and deletes alike.
void write_chunk(Connection& db) {
  for (const auto& l : kLists) {
    Statement(db, std::string("DELETE FROM search.") + l.table +
                      " WHERE rowid IN (SELECT id FROM temp.chunk_ids WHERE list = " +
                      std::to_string(l.list) + ")")
        .run();
    Statement(db, std::string("INSERT INTO search.") + l.table + " (rowid, " + l.columns +
                      ") SELECT id, " + l.columns + " FROM " + chunk_table(l))
        .run();
  }
}

std::int64_t changes_high_water(Connection& db) {
  Statement q(db,
              "SELECT coalesce((SELECT seq FROM main.sqlite_sequence "
              "WHERE name = 'search_change'), 0)");
  return q.step() ? q.int64(0) : 0;
}

struct State {
  std::int64_t indexed = 0;  // the last change taken
  std::int64_t list = 0;     // the build: the list it walks (kListCount: done)
  std::int64_t next = 0;     // and the last id it took there
  bool operator==(const State&) const = default;
};

State read_state(Connection& db) {
  Statement q(db, "SELECT indexed_seq, build_list, build_next FROM search.search_state");
  q.step();
  return {q.int64(0), q.int64(1), q.int64(2)};
}

// A query's one number (nullopt: NULL), its statement done before the next.
std::optional<std::int64_t> scalar_or_null(Connection& db, const std::string& sql, std::int64_t a,
                                           std::int64_t b) {
  Statement q(db, sql);
  q.bind(1, a).bind(2, b);
  if (!q.step() || q.is_null(0)) return std::nullopt;
  return q.int64(0);
}

}  // namespace

std::string search_file(const std::string& db_path) {
  return db_path + ".search";
}

void attach_search(Connection& db, const std::string& db_path) {
  Statement(db, "ATTACH DATABASE ?1 AS search").bind(1, search_file(db_path)).run();
  // Erased text is overwritten, not left in free pages.
  db.exec(
      "PRAGMA search.journal_mode = WAL; PRAGMA search.synchronous = NORMAL; "
      "PRAGMA search.secure_delete = ON;");
}

SearchIndex::SearchIndex(const std::string& db_path, bool background) : db_(db_path) {
  db_.exec("PRAGMA temp_store = MEMORY");
  create_chunk_tables(db_);
  try {
    attach_search(db_, db_path);
    open();
  } catch (const StoreError&) {
    // Not a database, or a damaged one: it is derived, so it is made again
    // rather than keeping the server from starting.
    try {
      db_.exec("DETACH DATABASE search");
    } catch (const StoreError&) {  // it was not attached
    }
    for (const char* suffix : {"", "-wal", "-shm"})
      std::filesystem::remove(search_file(db_path) + suffix);
    attach_search(db_, db_path);
    open();
  }
  if (background) thread_ = std::thread([this] { loop(); });
}

SearchIndex::~SearchIndex() {
  {
    std::lock_guard lock(wait_mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

// Checks the file against the database; builds it anew when it is missing, of
// another version, or ahead of the database's changes (a restored backup).
void SearchIndex::open() {
  std::lock_guard lock(mu_);
  db_.exec(
      "CREATE TABLE IF NOT EXISTS search.search_state (id INTEGER PRIMARY KEY CHECK (id = 1), "
      "version INTEGER NOT NULL, indexed_seq INTEGER NOT NULL, build_list INTEGER NOT NULL, "
      "build_next INTEGER NOT NULL, origin TEXT NOT NULL); "
      "INSERT OR IGNORE INTO search.search_state VALUES (1, 0, 0, 0, 0, '');");
  db_.exec("BEGIN");
  try {
    Statement(db_, "UPDATE search.search_state SET id = 1").run();  // the index's write lock first
    std::int64_t version = 0;
    std::string made_for, origin;
    {
      Statement file(db_, "SELECT version, origin FROM search.search_state");
      file.step();
      version = file.int64(0);
      made_for = file.text(1);
      Statement db(db_, "SELECT id FROM main.search_origin");
      if (db.step()) origin = db.text(0);
    }
    auto state = read_state(db_);
    auto high = changes_high_water(db_);
    if (version != kIndexVersion || made_for != origin || state.indexed > high) {
      db_.exec(kIndexSchema);
      // Changes up to now are in the tables the build reads; later ones are followed.
      Statement(db_,
                "UPDATE search.search_state SET version = ?1, indexed_seq = ?2, build_list = 0, "
                "build_next = 0, origin = ?3")
          .bind(1, kIndexVersion)
          .bind(2, high)
          .bind(3, origin)
          .run();
      state = {high, 0, 0};
    }
    db_.exec("COMMIT");
    indexed_ = state.indexed;
    behind_ = high - state.indexed;
    built_ = state.list >= kListCount;
  } catch (...) {
    db_.exec("ROLLBACK");
    throw;
  }
}

// The next chunk of changes and, with `build`, the next chunk of the build
// from the tables: read, then written. Each chunk reads the rows as they are
// then, so a change and the build may index a row twice: the second replaces
// the first.
SearchIndex::Pass SearchIndex::pass(bool build) {
  Pass p;
  State from, to;
  db_.exec("BEGIN");
  try {
    from = to = read_state(db_);
    clear_chunk(db_);
    if (auto last = scalar_or_null(db_,
                                   "SELECT max(seq) FROM (SELECT seq FROM main.search_change "
                                   "WHERE seq > ?1 ORDER BY seq LIMIT ?2)",
                                   from.indexed, kIndexChunk)) {
      Statement(db_,
                "INSERT OR IGNORE INTO temp.chunk_ids SELECT list, id FROM main.search_change "
                "WHERE seq > ?1 AND seq <= ?2")
          .bind(1, from.indexed)
          .bind(2, *last)
          .run();
      p.more = *last - from.indexed >= kIndexChunk;
      to.indexed = *last;
    }
    if (build && from.list < kListCount) {
      const auto& l = kLists[from.list];
      if (auto last = scalar_or_null(db_,
                                     std::string("SELECT max(id) FROM (SELECT id FROM main.") +
                                         l.rows + " WHERE id > ?1 ORDER BY id LIMIT ?2)",
                                     from.next, kIndexChunk)) {
        Statement(db_, "INSERT OR IGNORE INTO temp.chunk_ids SELECT " + std::to_string(l.list) +
                           ", id FROM main." + l.rows + " WHERE id > ?1 AND id <= ?2")
            .bind(1, from.next)
            .bind(2, *last)
            .run();
        to.next = *last;
      } else {
        to = {to.indexed, from.list + 1, 0};
      }
      p.more = true;
    }
    read_chunk_rows(db_);
    behind_ = changes_high_water(db_) - to.indexed;
    db_.exec("COMMIT");
  } catch (...) {
    db_.exec("ROLLBACK");
    throw;
  }
  p.built = to.list >= kListCount;
  if (to == from) {  // nothing new: nothing written
    built_ = p.built;
    return p;
  }
  db_.exec("BEGIN");
  try {
    Statement(db_, "UPDATE search.search_state SET id = 1").run();  // the index's write lock
    if (read_state(db_) != from) {  // another process on this file took the chunk
      db_.exec("ROLLBACK");
      p.more = true;
      return p;
    }
    write_chunk(db_);
    Statement(db_,
              "UPDATE search.search_state SET indexed_seq = ?1, build_list = ?2, build_next = ?3")
        .bind(1, to.indexed)
        .bind(2, to.list)
        .bind(3, to.next)
        .run();
    db_.exec("COMMIT");
    indexed_ = to.indexed;
    built_ = p.built;
  } catch (...) {
    db_.exec("ROLLBACK");
    throw;
  }
  return p;
}

void SearchIndex::build() {
  std::lock_guard lock(mu_);
  while (!pass(true).built) {
  }
}

bool SearchIndex::catch_up() {
  std::lock_guard lock(mu_);
  auto target = changes_high_water(db_);
  Pass p;
  do p = pass(false);
  while (p.more && indexed_ < target);
  return p.built;
}

void SearchIndex::loop() {
  pthread_setname_np(pthread_self(), "sb-search");
  // Below the threads that answer requests: indexing may lag (a search or an
  // erasure catches up on its own thread), a reply may not. Not SCHED_IDLE: on a
  // busy machine that starves a pass halfway, holding the index's write lock.
  setpriority(PRIO_PROCESS, static_cast<id_t>(gettid()), 10);
  for (;;) {
    Pass p;
    try {
      std::lock_guard lock(mu_);
      p = pass(true);
    } catch (...) {
      p = {};  // another process holds the index (a second node), a full disk: later
    }
    std::unique_lock lock(wait_mu_);
    if (!p.more) cv_.wait_for(lock, kIndexPollEvery, [&] { return stopping_; });
    if (stopping_) return;
  }
}

std::optional<std::chrono::milliseconds> forget_indexed_changes(Connection& db,
                                                                std::int64_t through) {
  // Per writer thread (each store has one): forgotten through here.
  thread_local std::int64_t forgotten = 0;
  thread_local auto last = std::chrono::steady_clock::time_point{};
  constexpr int kForgetAtOnce = 1024;
  constexpr auto kForgetEvery = std::chrono::seconds(2);
  auto now = std::chrono::steady_clock::now();
  // Nothing new taken: look again later (the index thread may be behind).
  if (through <= forgotten) return kForgetEvery;
  // A few thousand rows at a time, not a few at every idle moment.
  if (through - forgotten < 2 * kForgetAtOnce && now - last < kForgetEvery)
    return std::chrono::ceil<std::chrono::milliseconds>(kForgetEvery - (now - last));
  Statement(db,
            "DELETE FROM search_change WHERE seq IN (SELECT seq FROM search_change "
            "WHERE seq <= ?1 ORDER BY seq LIMIT ?2)")
      .bind(1, through)
      .bind(2, kForgetAtOnce)
      .run();
  last = now;
  if (db.changes() == kForgetAtOnce) return std::chrono::milliseconds(0);
  forgotten = through;
  return kForgetEvery;
}

}  // namespace sb::sqlite
