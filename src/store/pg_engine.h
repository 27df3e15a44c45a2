// Private to store/: what runs the store's facets on PostgreSQL. There is no
// single writer: each write takes a pooled connection and is a transaction of
// its own, run again when PostgreSQL reports a serialization failure, a
// deadlock, or a unique key another node took first (the rerun reads the
// winner's row). Correctness across nodes comes from row locks and conditional
// updates in the facets, not from this class.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "sql/sql.h"

namespace sb::sqlite {

class PgEngine {
 public:
  // `connections`: the most this process opens (writes and reads together);
  // `writers`: threads for writes whose callers don't wait (append_event_async).
  PgEngine(std::string url, int connections, int writers);
  ~PgEngine();
  PgEngine(const PgEngine&) = delete;
  PgEngine& operator=(const PgEngine&) = delete;

  // A connection from the pool, back to it when the lease ends (dropped
  // instead when it is no longer usable: the server restarted, the socket died).
  class Lease {
   public:
    explicit Lease(PgEngine& e);
    ~Lease();
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    sql::Connection& operator*() const { return *c_; }

   private:
    PgEngine& engine_;
    std::unique_ptr<sql::Connection> c_;
  };

  // Runs `attempt` in a write transaction on a pooled connection and commits;
  // again in a new transaction when the database says a rerun can succeed.
  void write(const std::function<void(sql::Connection&)>& attempt);
  // Runs `read` on a pooled connection outside a transaction; once more on a
  // new connection when the first one turns out dead.
  void read(const std::function<void(sql::Connection&)>& read);
  // Queues `job` for a writer thread.
  void post(std::function<void()> job);

  const std::string& url() const { return url_; }

 private:
  std::unique_ptr<sql::Connection> take();
  void give(std::unique_ptr<sql::Connection> c);
  void drop_idle();  // after a lost connection: the others went with the server
  void work();

  std::string url_;
  int max_connections_;
  std::mutex pool_mu_;
  std::condition_variable pool_cv_;
  std::vector<std::unique_ptr<sql::Connection>> idle_;
  int open_ = 0;  // leased + idle

  std::mutex jobs_mu_;
  std::condition_variable jobs_cv_;
  std::deque<std::function<void()>> jobs_;
  bool stopping_ = false;
  std::vector<std::thread> writers_;
};

}  // namespace sb::sqlite
