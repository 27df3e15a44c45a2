#include "store/write_queue.h"

#include <pthread.h>

namespace sb::sqlite {

WriteQueue::WriteQueue(
    const std::string& path, std::function<void(bool committed)> after_commit,
    std::function<void(sqlite3*, int frames)> wal_committed,
    std::function<std::optional<std::chrono::milliseconds>(Connection&)> idle_work)
    : db_(path),
      after_commit_(std::move(after_commit)),
      wal_committed_(std::move(wal_committed)),
      idle_work_(std::move(idle_work)) {
  // Replaces SQLite's automatic checkpoints, which would stall this thread.
  sqlite3_wal_hook(db_.get(), &WriteQueue::on_wal_commit, this);
  // Each job's savepoint keeps a statement journal; past 64 KiB (a mail with an
  // attachment) SQLite spills it to a temporary file, created and deleted per
  // batch. Kept in memory instead: it is at most the size of one batch's changes.
  db_.exec("PRAGMA temp_store = MEMORY");
  thread_ = std::thread([this] { loop(); });
}

int WriteQueue::on_wal_commit(void* self, sqlite3*, const char*, int frames) {
  static_cast<WriteQueue*>(self)->wal_frames_ = frames;
  return SQLITE_OK;
}

WriteQueue::~WriteQueue() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

void WriteQueue::submit(std::function<void(Connection&)> work,
                        std::function<void(std::exception_ptr)> finish) {
  {
    std::lock_guard lock(mu_);
    pending_.push_back({std::move(work), std::move(finish), nullptr});
  }
  cv_.notify_one();
}

void WriteQueue::loop() {
  // Named for top -H and perf: the one thread every write waits for.
  pthread_setname_np(pthread_self(), "sb-writer");
  using Clock = std::chrono::steady_clock;
  std::optional<Clock::time_point> idle_at;  // when idle work is due
  for (;;) {
    std::deque<Job> batch;
    {
      std::unique_lock lock(mu_);
      auto ready = [&] { return stopping_ || !pending_.empty(); };
      if (idle_at && !ready() && Clock::now() >= *idle_at) {
        lock.unlock();
        auto next = run_idle_work();
        idle_at = next ? std::optional(Clock::now() + *next) : std::nullopt;
        continue;
      }
      if (idle_at)
        cv_.wait_until(lock, *idle_at, ready);
      else
        cv_.wait(lock, ready);
      if (pending_.empty()) {
        if (stopping_) return;  // nothing left to write
        continue;               // idle work is due
      }
      batch.swap(pending_);
    }
    run_batch(batch);
    if (idle_work_ && !idle_at) idle_at = Clock::now();
  }
}

// Idle work that fails (another process holds the write lock, a full disk)
// waits for the next batch to be tried again.
std::optional<std::chrono::milliseconds> WriteQueue::run_idle_work() {
  std::optional<std::chrono::milliseconds> next;
  try {
    next = idle_work_(db_);
  } catch (...) {
    next.reset();
  }
  report_wal();
  return next;
}

void WriteQueue::report_wal() {
  if (wal_frames_ > 0 && wal_committed_) wal_committed_(db_.get(), wal_frames_);
  wal_frames_ = 0;
}

// Another process on the same file (a second node in a test cluster, a backup)
// may hold the write lock: each attempt waits the connection's busy timeout, and
// the batch fails only when the lock stays taken for all of them.
void WriteQueue::begin() {
  constexpr int kAttempts = 6;
  for (int attempt = 1;; ++attempt) {
    try {
      Statement(db_, "BEGIN IMMEDIATE").run();
      return;
    } catch (const StoreError&) {
      if ((sqlite3_errcode(db_.get()) & 0xff) != SQLITE_BUSY || attempt == kAttempts) throw;
    }
  }
}

void WriteQueue::run_batch(std::deque<Job>& batch) {
  std::exception_ptr batch_error;
  try {
    begin();
    for (auto& job : batch) {
      Statement(db_, "SAVEPOINT job").run();
      try {
        job.work(db_);
        Statement(db_, "RELEASE job").run();
      } catch (...) {
        job.error = std::current_exception();
        Statement(db_, "ROLLBACK TO job").run();
        Statement(db_, "RELEASE job").run();
      }
    }
    Statement(db_, "COMMIT").run();
    if (after_commit_) after_commit_(true);
  } catch (...) {
    batch_error = std::current_exception();
    try {
      db_.exec("ROLLBACK");
    } catch (...) {
    }
    if (after_commit_) after_commit_(false);
  }
  for (auto& job : batch) job.finish(batch_error ? batch_error : job.error);
  report_wal();
}

}  // namespace sb::sqlite
