// Another process on the same SQLite file (a second node in a test cluster)
// may hold the write lock for longer than one busy timeout (5 s): the store's
// writer waits and retries instead of failing the writes it was handed.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <stdlib.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "store/store.h"

namespace sb {
namespace {

namespace fs = std::filesystem;

TEST(WriteLock, AWriteWaitsOutAnotherConnectionsLongWriteLock) {
  std::string tmpl = (fs::temp_directory_path() / "sb-write-lock-XXXXXX").string();
  ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
  fs::path dir = tmpl;
  auto path = (dir / "switchboard.db").string();
  {
    auto store = open_sqlite_store({.path = path});
    store->create_workspace("Acme");
    sqlite3* other = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &other), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(other, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);
    std::thread holder([other] {
      std::this_thread::sleep_for(std::chrono::milliseconds(6'500));
      sqlite3_exec(other, "COMMIT", nullptr, nullptr, nullptr);
    });
    auto started = std::chrono::steady_clock::now();
    Id made = 0;
    EXPECT_NO_THROW(made = store->create_workspace("Globex"));
    auto waited = std::chrono::steady_clock::now() - started;
    holder.join();
    sqlite3_close(other);
    EXPECT_GT(made, 0);
    EXPECT_GE(waited, std::chrono::seconds(6)) << "it waited for the other connection";
  }
  std::error_code ec;
  fs::remove_all(dir, ec);
}

}  // namespace
}  // namespace sb
