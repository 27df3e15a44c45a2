#include "store/checkpointer.h"

#include <pthread.h>

#include <chrono>

namespace sb::sqlite {

Checkpointer::Checkpointer(const std::string& path) : db_(path), thread_([this] { loop(); }) {}

Checkpointer::~Checkpointer() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

void Checkpointer::after_commit(sqlite3* writer, int frames) {
  if (frames < kCheckpointAfterFrames) {
    writer_retry_at_ = 0;  // the WAL started over
    return;
  }
  int copied = copied_.load();
  int residue = copied <= frames ? frames - copied : frames;  // a pass before a restart
  bool small = residue <= kWriterCopyFrames;
  if (small || frames >= kWriterMustCopyFrames) {
    // A reader still on an old snapshot keeps the WAL from starting over; then
    // the writer tries again only after another kWriterCopyFrames, not at every commit.
    if (frames < writer_retry_at_) return;
    // A small rest is copied only if no pass is under way; past the bound the
    // writer waits for the pass (the checkpointer is not keeping up).
    std::unique_lock pass(pass_mu_, std::defer_lock);
    if (!small)
      pass.lock();
    else if (!pass.try_lock())
      return;
    int log = 0, done = 0;
    sqlite3_wal_checkpoint_v2(writer, nullptr, SQLITE_CHECKPOINT_PASSIVE, &log, &done);
    copied_ = done;
    writer_retry_at_ = frames + kWriterCopyFrames;
    return;
  }
  {
    std::lock_guard lock(mu_);
    if (due_ || running_) return;
    due_ = true;
  }
  cv_.notify_one();
}

void Checkpointer::loop() {
  pthread_setname_np(pthread_self(), "sb-checkpoint");
  std::unique_lock lock(mu_);
  for (;;) {
    // Twice a second when quiet, at once when the WAL grew long.
    cv_.wait_for(lock, std::chrono::milliseconds(500), [&] { return stopping_ || due_; });
    if (stopping_) return;
    due_ = false;
    running_ = true;
    lock.unlock();
    // PASSIVE never waits for or blocks the writer or readers. Busy or I/O
    // trouble: the next pass tries again; the WAL keeps the data safe.
    {
      std::lock_guard pass(pass_mu_);
      int log = 0, done = 0;
      if (sqlite3_wal_checkpoint_v2(db_.get(), nullptr, SQLITE_CHECKPOINT_PASSIVE, &log, &done) ==
          SQLITE_OK)
        copied_ = done;
    }
    lock.lock();
    running_ = false;
  }
}

}  // namespace sb::sqlite
