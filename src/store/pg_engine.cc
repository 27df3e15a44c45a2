#include "store/pg_engine.h"

#include <pthread.h>

namespace sb::sqlite {

PgEngine::PgEngine(std::string url, int connections, int writers)
    : url_(std::move(url)), max_connections_(std::max(connections, writers + 1)) {
  give(take());  // fail now, at startup, when the database can't be reached
  for (int i = 0; i < writers; ++i) writers_.emplace_back([this] { work(); });
}

PgEngine::~PgEngine() {
  {
    std::lock_guard lock(jobs_mu_);
    stopping_ = true;
  }
  jobs_cv_.notify_all();
  for (auto& t : writers_) t.join();
}

std::unique_ptr<sql::Connection> PgEngine::take() {
  {
    std::unique_lock lock(pool_mu_);
    pool_cv_.wait(lock, [&] { return !idle_.empty() || open_ < max_connections_; });
    if (!idle_.empty()) {
      auto c = std::move(idle_.back());
      idle_.pop_back();
      return c;
    }
    ++open_;
  }
  try {
    return sql::connect(url_);
  } catch (...) {
    std::lock_guard lock(pool_mu_);
    --open_;
    pool_cv_.notify_one();
    throw;
  }
}

void PgEngine::give(std::unique_ptr<sql::Connection> c) {
  std::lock_guard lock(pool_mu_);
  // A connection left inside a transaction (an exception between BEGIN and the
  // rollback) or cut off is closed rather than handed to the next caller.
  if (c && c->usable() && !c->in_transaction())
    idle_.push_back(std::move(c));
  else
    --open_;
  pool_cv_.notify_one();
}

void PgEngine::drop_idle() {
  std::lock_guard lock(pool_mu_);
  open_ -= static_cast<int>(idle_.size());
  idle_.clear();
  pool_cv_.notify_all();
}

PgEngine::Lease::Lease(PgEngine& e) : engine_(e), c_(e.take()) {}
PgEngine::Lease::~Lease() {
  engine_.give(std::move(c_));
}

void PgEngine::write(const std::function<void(sql::Connection&)>& attempt) {
  // A unique key taken by a concurrent transaction (two nodes creating the
  // same contact, a resent message) succeeds when run again: the rerun reads
  // the winner's committed row. A key that is really taken fails again.
  for (int n = 1;; ++n) {
    Lease lease(*this);
    try {
      sql::transact(*lease, sql::TxMode::kWrite, [&](sql::Connection& c) { attempt(c); });
      return;
    } catch (const sql::Error& e) {
      // The server restarted: every idle connection is as dead as this one.
      // The write itself is not run again (its COMMIT may have happened): the
      // caller resends with its client id.
      if (e.kind() == sql::ErrorKind::kConnectionLost) drop_idle();
      if (e.kind() != sql::ErrorKind::kUniqueViolation || n >= 3) throw;
    }
  }
}

void PgEngine::read(const std::function<void(sql::Connection&)>& read) {
  for (int n = 1;; ++n) {
    Lease lease(*this);
    try {
      read(*lease);
      return;
    } catch (const sql::Error& e) {
      // An idle pooled connection may have died with a server restart; a read
      // is safe to run again on a fresh one.
      if (e.kind() != sql::ErrorKind::kConnectionLost || n >= 2) throw;
      drop_idle();
    }
  }
}

void PgEngine::post(std::function<void()> job) {
  {
    std::lock_guard lock(jobs_mu_);
    jobs_.push_back(std::move(job));
  }
  jobs_cv_.notify_one();
}

void PgEngine::work() {
  pthread_setname_np(pthread_self(), "sb-pg-writer");
  for (;;) {
    std::function<void()> job;
    {
      std::unique_lock lock(jobs_mu_);
      jobs_cv_.wait(lock, [&] { return stopping_ || !jobs_.empty(); });
      if (jobs_.empty()) return;  // stopping, and everything queued has run
      job = std::move(jobs_.front());
      jobs_.pop_front();
    }
    job();
  }
}

}  // namespace sb::sqlite
