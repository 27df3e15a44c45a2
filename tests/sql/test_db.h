// One database per test on the backend under test, so a suite written once runs
// on SQLite and on a real PostgreSQL: a parameterised suite instantiated with
// SB_ON_BOTH_BACKENDS gets tests named ".../sqlite" and ".../postgres" (ctest
// labels the second kind "postgres").
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <string>

#include "pg/pg_server.h"
#include "sql/sql.h"

namespace sb::sqlite {
class Connection;
}

namespace sb::sqltest {

// A connection to the test database. On SQLite it is the store's own
// sqlite::Connection, borrowed, so the store's tokenizer and triggers work.
struct Conn {
  std::shared_ptr<sqlite::Connection> store;  // SQLite only
  std::unique_ptr<sql::Connection> c;
  sql::Connection& operator*() const { return *c; }
  sql::Connection* operator->() const { return c.get(); }
};

class TestDatabase {
 public:
  explicit TestDatabase(sql::Backend backend);
  ~TestDatabase();
  TestDatabase(const TestDatabase&) = delete;
  TestDatabase& operator=(const TestDatabase&) = delete;

  sql::Backend backend() const { return backend_; }
  Conn connect() const;  // one per thread or process
  // The store's schema, by its own migrations (on SQLite every step, on
  // PostgreSQL the baseline and what follows it).
  void create_core_schema() const;

 private:
  sql::Backend backend_;
  std::filesystem::path dir_;  // SQLite: the database file's directory
  std::unique_ptr<pgtest::PgServer::Database> pg_;
};

std::string backend_name(sql::Backend b);

class BackendTest : public ::testing::TestWithParam<sql::Backend> {
 protected:
  sql::Backend backend() const { return GetParam(); }
  bool postgres() const { return GetParam() == sql::Backend::kPostgres; }
  TestDatabase db_{GetParam()};
};

}  // namespace sb::sqltest

#define SB_ON_BOTH_BACKENDS(suite)                                                   \
  INSTANTIATE_TEST_SUITE_P(                                                          \
      Backends, suite,                                                               \
      ::testing::Values(::sb::sql::Backend::kSqlite, ::sb::sql::Backend::kPostgres), \
      [](const ::testing::TestParamInfo<::sb::sql::Backend>& info) {                 \
        return ::sb::sqltest::backend_name(info.param);                              \
      })
