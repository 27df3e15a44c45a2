// The store's column lists (rows.h) against the schema the migrations build: a
// list naming a column the table lacks, or a whole-table list missing one, fails
// here rather than at the first query.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "store/rows.h"

namespace sb::sqlite {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> schema_columns(Connection& db, std::string_view table) {
  Statement q(db, "SELECT name FROM pragma_table_info(?) ORDER BY cid");
  q.bind(1, table);
  std::vector<std::string> out;
  while (q.step()) out.push_back(q.text(0));
  return out;
}

TEST(ColumnListsTest, EveryListMatchesTheMigratedSchema) {
  auto path = fs::temp_directory_path() / ("sb-columns-" + std::to_string(::getpid()) + ".db");
  {
    Connection db(path.string());
    migrate(db);
    for (const auto& list : column_lists()) {
      SCOPED_TRACE(std::string(list.table));
      auto schema = schema_columns(db, list.table);
      ASSERT_FALSE(schema.empty()) << "no such table";
      for (auto name : list.names)
        EXPECT_NE(std::find(schema.begin(), schema.end(), name), schema.end())
            << "no column " << name;
      if (list.whole) {
        std::vector<std::string> names(list.names.begin(), list.names.end());
        std::sort(names.begin(), names.end());
        std::sort(schema.begin(), schema.end());
        EXPECT_EQ(names, schema);
      }
    }
  }
  fs::remove(path);
  fs::remove(path.string() + "-wal");
  fs::remove(path.string() + "-shm");
}

}  // namespace
}  // namespace sb::sqlite
