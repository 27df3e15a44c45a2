// Private to store/: keeps the WAL short. SQLite's own automatic checkpoints run
// on the committing connection — the writer — and stall it while pages are
// copied back into the database file; here a thread of its own does that work.
#pragma once

#include <condition_variable>
#include <mutex>
#include <thread>

#include "store/sqlite_db.h"

namespace sb::sqlite {

// WAL sizes in frames (pages of 4 KiB by default).
inline constexpr int kCheckpointAfterFrames = 4096;  // ~16 MiB: copy back at once
// ~64 MiB: the writer finishes the copy itself, so that its next write starts
// the WAL over. SQLite reuses a WAL only when a write begins with every frame
// copied back, which a steady stream of writes never lets the checkpointer
// reach; such a WAL grows by everything written, and every page appended is a
// new block for the file system to allocate (an eighth of the writer's time
// under mail ingest).
inline constexpr int kRestartAfterFrames = 16384;

class Checkpointer {
 public:
  explicit Checkpointer(const std::string& path);
  ~Checkpointer();
  Checkpointer(const Checkpointer&) = delete;
  Checkpointer& operator=(const Checkpointer&) = delete;

  // The writer's call after each batch that committed, with the WAL's length
  // in frames: a long WAL wakes the checkpointer before its next tick, and past
  // kRestartAfterFrames the rest is copied on the writer's own connection
  // (little, since the checkpointer copied most; it waits for a pass under way).
  void after_commit(sqlite3* writer, int frames);

 private:
  void loop();

  Connection db_;
  std::mutex pass_mu_;  // one checkpoint at a time: a second one fails as busy
  std::mutex mu_;
  std::condition_variable cv_;
  bool due_ = false;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace sb::sqlite
