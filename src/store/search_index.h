// Private to store/: the full-text index, kept in a file of its own beside the
// database and written by a thread of its own.
//
// Why: SQLite has one writer per file. Indexed by the database's writer, every
// chunk of FTS5 work (a few ms) held up the messages that arrived meanwhile —
// the chat stream's p99. Here the writer only lists what changed (triggers add
// rows to `search_change`: which list, which id); this thread reads the list
// and the rows from the database and writes the index into `<db>.search`,
// whose write lock is not the writer's. Readers attach that file, so the
// search queries join the index with the database's tables as before.
//
// The index is derived data: a missing, older or foreign file (a restored
// backup: its changes end before what the file has indexed) is built again
// from the tables, a chunk at a time, while searches go on (they say they are
// incomplete until it is done).
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

#include "store/sqlite_db.h"

namespace sb::sqlite {

// Rows a list per transaction (a chunk); the thread looks for changes this often
// when it has found none, so a row is searchable within about that long unless a
// search asks sooner.
inline constexpr std::int64_t kIndexChunk = 512;
inline constexpr auto kIndexPollEvery = std::chrono::milliseconds(250);

// The index file beside the database at `db_path`.
std::string search_file(const std::string& db_path);

// Makes the index readable on `db` (a connection to the database at `db_path`)
// under the schema name "search". Every reader of search needs it.
void attach_search(Connection& db, const std::string& db_path);

class SearchIndex {
 public:
  // `background`: run the thread (tests drive catch_up by hand without it).
  SearchIndex(const std::string& db_path, bool background = true);
  ~SearchIndex();
  SearchIndex(const SearchIndex&) = delete;
  SearchIndex& operator=(const SearchIndex&) = delete;

  // Indexes every change committed before the call. False while the index is
  // still being built from the tables (what it has is searchable).
  bool catch_up();
  // Builds what is left of the file from the tables, now (tests and tools).
  void build();
  // The last change indexed: the database's writer may forget those before it.
  std::int64_t indexed_through() const { return indexed_.load(std::memory_order_relaxed); }
  // As of the last pass.
  SearchIndexFigures figures() const {
    return {behind_.load(std::memory_order_relaxed), !built_.load(std::memory_order_relaxed)};
  }

 private:
  struct Pass {
    bool more = false;   // a chunk was full: call again now
    bool built = false;  // the build from the tables is done
  };
  void open();
  Pass pass(bool build);
  void loop();

  Connection db_;
  std::mutex mu_;  // one pass at a time: the thread's or a search's
  std::atomic<std::int64_t> indexed_{0};
  std::atomic<std::int64_t> behind_{0};
  std::atomic<bool> built_{false};
  std::mutex wait_mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::thread thread_;
};

// The writer's idle work: forgets the changes the index has taken (`through`),
// a few thousand at a time. Says when to come back.
std::optional<std::chrono::milliseconds> forget_indexed_changes(Connection& db,
                                                                std::int64_t through);

}  // namespace sb::sqlite
