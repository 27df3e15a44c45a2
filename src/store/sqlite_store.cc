#include "store/sqlite_store.h"

#include <pthread.h>

#include <chrono>
#include <thread>

#include "store/search_queries.h"

namespace sb {

Millis system_now() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

namespace sqlite {

// Checkpoints the WAL from its own connection and thread, twice a second, so the
// writer never stalls copying pages back into the database file (the writer's
// own automatic checkpoints are turned off).
class Checkpointer {
 public:
  explicit Checkpointer(const std::string& path) : db_(path), thread_([this] { loop(); }) {}
  ~Checkpointer() {
    {
      std::lock_guard lock(mu_);
      stopping_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }

 private:
  void loop() {
    pthread_setname_np(pthread_self(), "sb-checkpoint");
    std::unique_lock lock(mu_);
    while (!cv_.wait_for(lock, std::chrono::milliseconds(500), [&] { return stopping_; })) {
      lock.unlock();
      try {
        db_.exec("PRAGMA wal_checkpoint(PASSIVE)");
      } catch (const StoreError&) {
        // Busy or I/O trouble: the next pass tries again; the WAL keeps the data safe.
      }
      lock.lock();
    }
  }

  Connection db_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::thread thread_;
};

SqliteStore::SqliteStore(const SqliteOptions& o)
    : clock_(o.clock),
      path_(o.path),
      writer_(o.path, index_pending_messages_when_due, [this](bool ok) { flush_changes(ok); }),
      checkpointer_(std::make_unique<Checkpointer>(path_)) {
  for (int i = 0; i < o.read_connections; ++i)
    readers_.push_back(std::make_unique<Connection>(o.path));
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
