// A Store on a fresh database of either backend, so one store suite runs on
// SQLite and on a real PostgreSQL (tests/pg/pgserver.sh). Suites instantiate
// with SB_STORE_BACKENDS; their PostgreSQL tests end in "/postgres", which
// ctest labels "postgres" and runs against the server it started.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <string>

#include "pg/pg_server.h"
#include "store/store.h"

namespace sb::storetest {

enum class Backend { kSqlite, kPostgres };

class TestStore {
 public:
  TestStore(Backend backend, ClockFn clock);
  ~TestStore();
  TestStore(const TestStore&) = delete;
  TestStore& operator=(const TestStore&) = delete;

  // A store on this database; a second one is a second node sharing it.
  std::unique_ptr<Store> open() const;
  Backend backend() const { return backend_; }
  bool postgres() const { return backend_ == Backend::kPostgres; }
  // A scratch directory of the test's (SQLite keeps its file here).
  const std::filesystem::path& dir() const { return dir_; }
  std::string sqlite_path() const { return (dir_ / "switchboard.db").string(); }

 private:
  Backend backend_;
  ClockFn clock_;
  std::filesystem::path dir_;
  std::unique_ptr<pgtest::PgServer::Database> pg_;
};

inline std::string backend_name(const ::testing::TestParamInfo<Backend>& info) {
  return info.param == Backend::kSqlite ? "sqlite" : "postgres";
}

}  // namespace sb::storetest

#define SB_STORE_BACKENDS(Suite)                                                                 \
  INSTANTIATE_TEST_SUITE_P(                                                                      \
      Backends, Suite,                                                                           \
      ::testing::Values(::sb::storetest::Backend::kSqlite, ::sb::storetest::Backend::kPostgres), \
      ::sb::storetest::backend_name)
