#include "test_db.h"

#include <cstdlib>

#include "store/migrations.h"
#include "store/sqlite_db.h"

namespace sb::sqltest {

std::string backend_name(sql::Backend b) {
  return b == sql::Backend::kSqlite ? "sqlite" : "postgres";
}

TestDatabase::TestDatabase(sql::Backend backend) : backend_(backend) {
  if (backend == sql::Backend::kPostgres) {
    pg_ = pgtest::PgServer::shared().create_database();
    return;
  }
  char tmpl[] = "/tmp/sb-sqltest-XXXXXX";
  if (!::mkdtemp(tmpl)) throw std::runtime_error("mkdtemp failed");
  dir_ = tmpl;
}

TestDatabase::~TestDatabase() {
  if (!dir_.empty()) {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
}

Conn TestDatabase::connect() const {
  if (pg_) return {nullptr, sql::connect(pg_->url())};
  auto store = std::make_shared<sqlite::Connection>((dir_ / "test.db").string());
  auto c = sql::borrow_sqlite(store->get());
  return {std::move(store), std::move(c)};
}

void TestDatabase::create_core_schema() const {
  auto conn = connect();
  if (conn.store)
    sqlite::migrate(*conn.store);
  else
    sql::migrate(*conn, sqlite::schema_steps(), 0);
}

}  // namespace sb::sqltest
