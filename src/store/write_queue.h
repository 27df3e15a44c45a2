// Private to store/: the group-commit writer. Jobs submitted from many threads
// are run on one writer thread inside one transaction per batch; each caller is
// released only after that transaction's COMMIT. A job that throws is rolled
// back alone (savepoint) and its exception is rethrown to its caller.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <exception>
#include <functional>
#include <future>
#include <mutex>
#include <optional>
#include <thread>

#include "store/sqlite_db.h"

namespace sb::sqlite {

class WriteQueue {
 public:
  // after_commit(true) runs on the writer thread after each COMMIT, before callers
  // wake; after_commit(false) after a batch that failed as a whole.
  // wal_committed(connection, frames) on the writer thread after a batch that
  // committed, once its callers are released, with the WAL's length: for a
  // checkpointer (SQLite's automatic checkpoints are off on this connection).
  // idle_work(connection): work that may wait, kept off the commits. It runs
  // on the writer thread when no write is queued, after a batch and then when
  // it asks to (its answer: in how long; nullopt: not until the next batch),
  // in transactions of its own.
  WriteQueue(
      const std::string& path, std::function<void(bool committed)> after_commit,
      std::function<void(sqlite3*, int frames)> wal_committed = nullptr,
      std::function<std::optional<std::chrono::milliseconds>(Connection&)> idle_work = nullptr);
  ~WriteQueue();

  template <class Fn>
  auto run(Fn fn) -> decltype(fn(std::declval<Connection&>())) {
    using R = decltype(fn(std::declval<Connection&>()));
    std::promise<R> done;
    auto result = done.get_future();
    std::optional<R> value;
    submit([&](Connection& db) { value.emplace(fn(db)); },
           [&](std::exception_ptr e) {
             if (e)
               done.set_exception(e);
             else
               done.set_value(std::move(*value));
           });
    return result.get();
  }

  // The same job without waiting: done(value, nullptr) or done(nullopt, error)
  // runs on the writer thread after the COMMIT (or failure). Keep it short: hand on.
  template <class R>
  void run_async(std::function<R(Connection&)> fn,
                 std::function<void(std::optional<R>, std::exception_ptr)> done) {
    auto value = std::make_shared<std::optional<R>>();
    submit([value, fn = std::move(fn)](Connection& db) { value->emplace(fn(db)); },
           [value, done = std::move(done)](std::exception_ptr e) {
             if (e)
               done(std::nullopt, e);
             else
               done(std::move(*value), nullptr);
           });
  }

 private:
  struct Job {
    std::function<void(Connection&)> work;
    std::function<void(std::exception_ptr)> finish;
    std::exception_ptr error;
  };
  void submit(std::function<void(Connection&)> work,
              std::function<void(std::exception_ptr)> finish);
  void loop();
  void begin();
  void run_batch(std::deque<Job>& batch);
  std::optional<std::chrono::milliseconds> run_idle_work();
  void report_wal();
  static int on_wal_commit(void* self, sqlite3* db, const char* name, int frames);

  Connection db_;
  std::function<void(bool committed)> after_commit_;
  std::function<void(sqlite3*, int frames)> wal_committed_;
  std::function<std::optional<std::chrono::milliseconds>(Connection&)> idle_work_;
  int wal_frames_ = 0;  // set by on_wal_commit; writer thread only
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Job> pending_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace sb::sqlite
