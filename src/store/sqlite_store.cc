#include "store/sqlite_store.h"

#include <algorithm>
#include <chrono>

#include "store/migrations.h"

namespace sb {

Millis system_now() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

namespace sqlite {

SqlStore::SqlStore(const SqliteOptions& o) : clock_(o.clock), path_(o.path) {
  for (int i = 0; i < o.read_connections; ++i) {
    readers_.push_back(std::make_unique<Connection>(o.path));
    attach_search(*readers_.back(), o.path);
  }
  checkpointer_ = std::make_unique<Checkpointer>(path_);
  search_index_ = std::make_unique<SearchIndex>(path_);
  writer_ = std::make_unique<WriteQueue>(
      o.path, [this](bool ok) { flush_changes(ok); },
      [this](sqlite3* db, int frames) { checkpointer_->after_commit(db, frames); },
      [this](Connection& db) {
        return forget_indexed_changes(db, search_index_->indexed_through());
      });
}

SqlStore::SqlStore(const PostgresOptions& o)
    : clock_(o.clock), pg_(std::make_unique<PgEngine>(o.url, o.connections, o.async_writers)) {}

SqlStore::~SqlStore() {
  // The writers first: their last jobs may still record changes.
  pg_.reset();
  writer_.reset();
}

SqlStore::Lease::Lease(SqlStore& s) : store(s) {
  std::unique_lock lock(store.readers_mu_);
  store.readers_cv_.wait(lock, [&] { return !store.readers_.empty(); });
  c = std::move(store.readers_.back());
  store.readers_.pop_back();
}

SqlStore::Lease::~Lease() {
  std::lock_guard lock(store.readers_mu_);
  store.readers_.push_back(std::move(c));
  store.readers_cv_.notify_one();
}

void SqlStore::flush_changes(bool committed) {
  std::vector<Change> changes;
  changes.swap(batch_changes_);
  if (committed) publish(std::move(changes));
}

// On PostgreSQL several threads commit at once: the listener still hears one
// batch at a time (the cluster feed puts each conversation's events in seq order).
void SqlStore::publish(std::vector<Change> changes) {
  if (changes.empty()) return;
  auto batch = std::make_shared<const std::vector<Change>>(std::move(changes));
  std::lock_guard lock(changes_mu_);
  if (listener_) listener_(batch);
}

std::vector<std::unique_lock<std::mutex>> SqlStore::hold_publication(
    const std::vector<Change>& changes) {
  std::vector<std::size_t> stripes;
  for (const auto& c : changes)
    stripes.push_back(static_cast<std::size_t>(c.conversation.id) % publication_stripes_.size());
  std::sort(stripes.begin(), stripes.end());  // one order for all: no deadlock
  stripes.erase(std::unique(stripes.begin(), stripes.end()), stripes.end());
  std::vector<std::unique_lock<std::mutex>> held;
  for (auto s : stripes) held.emplace_back(publication_stripes_[s]);
  return held;
}

}  // namespace sqlite

std::unique_ptr<Store> open_sqlite_store(const SqliteOptions& options) {
  {
    sqlite::Connection db(options.path);
    sqlite::migrate(db);
  }
  return std::make_unique<sqlite::SqlStore>(options);
}

std::unique_ptr<Store> open_postgres_store(const PostgresOptions& options) {
  {
    auto db = sql::connect(options.url);
    int have = sql::schema_version(*db);
    int want = sqlite::schema_steps().back().version;
    if (have != want)
      throw std::runtime_error("the database is at schema version " + std::to_string(have) +
                               ", this binary needs " + std::to_string(want) +
                               ": run `switchboard migrate --database …`");
  }
  return std::make_unique<sqlite::SqlStore>(options);
}

}  // namespace sb
