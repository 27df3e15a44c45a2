// SQLite's parameters as PostgreSQL's: numbering, and what is left alone.
#include <gtest/gtest.h>

#include "sql/cursor.h"

namespace sb::sql::detail {
namespace {

std::string pg(std::string_view sql) {
  return postgres_placeholders(sql);
}

TEST(Placeholders, BareOnesCountUp) {
  EXPECT_EQ(pg("SELECT * FROM t WHERE a = ? AND b = ?"), "SELECT * FROM t WHERE a = $1 AND b = $2");
  EXPECT_EQ(pg("VALUES (?,?,?)"), "VALUES ($1,$2,$3)");
}

TEST(Placeholders, NumberedOnesKeepTheirNumberAndMayRepeat) {
  EXPECT_EQ(pg("SET a = ?2 WHERE id = ?1 OR parent = ?1"),
            "SET a = $2 WHERE id = $1 OR parent = $1");
}

TEST(Placeholders, ABareOneAfterNumberedOnesFollowsTheLargestAsSqliteDoes) {
  // SQLite: "?" takes the number one greater than the largest assigned so far.
  std::vector<bool> used;
  EXPECT_EQ(postgres_placeholders("VALUES (?, ?5, ?, ?2, ?)", &used),
            "VALUES ($1, $5, $6, $2, $7)");
  EXPECT_EQ(used, (std::vector<bool>{true, true, false, false, true, true, true}));
}

TEST(Placeholders, QuotedTextAndCommentsAreLeftAlone) {
  EXPECT_EQ(pg("SELECT '?', 'it''s ?', \"odd?name\", ? -- why?\n, ? /* ?1 */ , ?"),
            "SELECT '?', 'it''s ?', \"odd?name\", $1 -- why?\n, $2 /* ?1 */ , $3");
}

TEST(Placeholders, AnUnterminatedQuoteOrCommentEndsTheText) {
  EXPECT_EQ(pg("SELECT ? || 'open ?"), "SELECT $1 || 'open ?");
  EXPECT_EQ(pg("SELECT ? /* open ?"), "SELECT $1 /* open ?");
}

TEST(Placeholders, TextWithoutParametersIsUnchanged) {
  std::vector<bool> used{true};
  EXPECT_EQ(postgres_placeholders("SELECT 1 - 2, 'a' || 'b'", &used), "SELECT 1 - 2, 'a' || 'b'");
  EXPECT_TRUE(used.empty());
}

}  // namespace
}  // namespace sb::sql::detail
