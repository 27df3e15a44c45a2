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
  if (frames >= kRestartAfterFrames) {
    std::lock_guard pass(pass_mu_);
    sqlite3_wal_checkpoint_v2(writer, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    // Every frame is copied back now (unless a reader still needed an old one):
    // the writer's next commit starts the WAL over.
    return;
  }
  if (frames < kCheckpointAfterFrames) return;
  {
    std::lock_guard lock(mu_);
    if (due_) return;
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
    lock.unlock();
    // PASSIVE never waits for or blocks the writer or readers. Busy or I/O
    // trouble: the next pass tries again; the WAL keeps the data safe.
    {
      std::lock_guard pass(pass_mu_);
      sqlite3_wal_checkpoint_v2(db_.get(), nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    }
    lock.lock();
  }
}

}  // namespace sb::sqlite
