#include "support/test_store.h"

#include <stdlib.h>

#include "sql/sql.h"

namespace sb::storetest {
namespace {

// The migrated schema as a PostgreSQL template, built once per server (the
// first test process to need it builds it under another name and renames it;
// a loser drops its copy), so each test copies it instead of migrating.
std::string migrated_template(const pgtest::PgServer& server) {
  std::string name = "sb_migrated_" + std::to_string(latest_schema_version());
  auto admin = sql::connect(server.url("postgres"));
  auto exists = [&] {
    sql::Statement q(*admin, "SELECT 1 FROM pg_database WHERE datname = ?");
    q.bind(1, name);
    return q.step();
  };
  if (exists()) return name;
  auto building = server.create_database();
  migrate_postgres(building->url());
  try {
    admin->exec("ALTER DATABASE " + building->name() + " RENAME TO " + name);
    building->forget();  // it is the template now
  } catch (const sql::Error&) {
    if (!exists()) throw;  // not a lost race
  }
  return name;
}

}  // namespace

TestStore::TestStore(Backend backend, ClockFn clock) : backend_(backend), clock_(std::move(clock)) {
  std::string tmpl = (std::filesystem::temp_directory_path() / "sb-store-test-XXXXXX").string();
  if (!::mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
  dir_ = tmpl;
  if (postgres()) {
    auto& server = pgtest::PgServer::shared();
    pg_ = server.create_database(migrated_template(server));
  }
}

TestStore::~TestStore() {
  pg_.reset();
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

std::unique_ptr<Store> TestStore::open() const {
  if (postgres()) {
    PostgresOptions o;
    o.url = pg_->url();
    o.clock = clock_;
    return open_postgres_store(o);
  }
  SqliteOptions o;
  o.path = sqlite_path();
  o.clock = clock_;
  return open_sqlite_store(o);
}

}  // namespace sb::storetest
