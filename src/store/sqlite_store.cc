#include "store/sqlite_store.h"

#include <chrono>

namespace sb {

Millis system_now() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

namespace sqlite {

SqliteStore::SqliteStore(const SqliteOptions& o)
    : clock_(o.clock),
      path_(o.path),
      checkpointer_(path_),
      search_index_(path_),
      writer_(
          o.path, [this](bool ok) { flush_changes(ok); },
          [this](sqlite3* db, int frames) { checkpointer_.after_commit(db, frames); },
          [this](Connection& db) {
            return forget_indexed_changes(db, search_index_.indexed_through());
          }) {
  for (int i = 0; i < o.read_connections; ++i) {
    readers_.push_back(std::make_unique<Connection>(o.path));
    attach_search(*readers_.back(), o.path);
  }
}

SqliteStore::~SqliteStore() = default;

SqliteStore::Lease::Lease(SqliteStore& s) : store(s) {
  std::unique_lock lock(store.readers_mu_);
  store.readers_cv_.wait(lock, [&] { return !store.readers_.empty(); });
  c = std::move(store.readers_.back());
  store.readers_.pop_back();
}

SqliteStore::Lease::~Lease() {
  std::lock_guard lock(store.readers_mu_);
  store.readers_.push_back(std::move(c));
  store.readers_cv_.notify_one();
}

void SqliteStore::flush_changes(bool committed) {
  auto changes = std::make_shared<std::vector<Change>>();
  changes->swap(batch_changes_);
  if (!committed || changes->empty()) return;
  std::lock_guard lock(changes_mu_);
  if (listener_) listener_(changes);
}

}  // namespace sqlite

std::unique_ptr<Store> open_sqlite_store(const SqliteOptions& options) {
  {
    sqlite::Connection db(options.path);
    sqlite::migrate(db);
  }
  return std::make_unique<sqlite::SqliteStore>(options);
}

}  // namespace sb
