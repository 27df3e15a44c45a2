// Private to store/: keeps the WAL short. SQLite's own automatic checkpoints run
// on the committing connection — the writer — and stall it while pages are
// copied back into the database file; here a thread of its own does that work.
#pragma once

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "store/sqlite_db.h"

namespace sb::sqlite {

// WAL sizes in frames (pages of 4 KiB by default).
// ~16 MiB: from here the WAL should start over. SQLite reuses a WAL only when a
// write begins with every frame copied back, which the checkpointer never sees
// under a steady stream of writes (each commit lands while it copies); such a
// WAL grows by everything written, and every page appended is a new block for
// the file system to allocate (an eighth of the writer's time under mail ingest).
inline constexpr int kCheckpointAfterFrames = 4096;
// ~1 MiB: what the writer copies itself, right after its commit, so that its
// next write starts the WAL over; more than that is the checkpointer's work.
inline constexpr int kWriterCopyFrames = 256;
// ~64 MiB: the checkpointer is not keeping up (mail ingest); the writer copies
// the rest itself, waiting for a pass under way.
inline constexpr int kWriterMustCopyFrames = 16384;

class Checkpointer {
 public:
  explicit Checkpointer(const std::string& path);
  ~Checkpointer();
  Checkpointer(const Checkpointer&) = delete;
  Checkpointer& operator=(const Checkpointer&) = delete;

  // The writer's call after each batch that committed, with the WAL's length
  // in frames. Past kCheckpointAfterFrames: if much is still to copy it wakes
  // the checkpointer (one pass at a time, not one per commit: each pass ends
  // with an fsync); once the rest is small it copies that itself, on its own
  // connection and only if no pass is under way, never waiting for one.
  void after_commit(sqlite3* writer, int frames);

 private:
  void loop();

  Connection db_;
  std::mutex pass_mu_;  // one checkpoint at a time: a second one fails as busy
  std::mutex mu_;
  std::condition_variable cv_;
  bool due_ = false;      // a pass is asked for
  bool running_ = false;  // a pass is under way
  bool stopping_ = false;
  std::atomic<int> copied_{0};  // frames copied back by the last pass
  int writer_retry_at_ = 0;     // writer thread only: see after_commit
  std::thread thread_;
};

}  // namespace sb::sqlite
