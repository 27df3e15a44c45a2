// Upgrades of a database written by an older version keep every row and every
// reference (the agent table is rebuilt by migration 5).
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "store/search_index.h"
#include "store/sqlite_db.h"

namespace sb::sqlite {
namespace {

namespace fs = std::filesystem;

class MigrationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("sb-migration-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
    path_ = (dir_ / "old.db").string();
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::int64_t count(Connection& db, const std::string& sql) {
    Statement q(db, sql);
    return q.step() ? q.int64(0) : -1;
  }
  fs::path dir_;
  std::string path_;
};

TEST_F(MigrationTest, AgentsSessionsAndAssignmentsSurviveTheAgentTableRebuild) {
  {
    Connection db(path_);
    migrate(db, 4);  // the schema of the previous release
    db.exec(R"sql(
      INSERT INTO workspace (id, name, created_at, slug) VALUES (1, 'Acme', 0, 'acme');
      INSERT INTO agent (id, workspace_id, name, email, password_hash, role, created_at, routing)
        VALUES (7, 1, 'Anna', 'anna@acme.test', 'h', 'agent', 5, '{"teams":[1]}');
      INSERT INTO agent (id, workspace_id, name, email, password_hash, role, created_at)
        VALUES (9, 1, 'Owner', 'owner@acme.test', 'h', 'admin', 1);
      INSERT INTO agent_session (token_hash, agent_id, workspace_id, csrf_token, expires_at)
        VALUES ('t', 7, 1, 'c', 99);
      INSERT INTO login_notice VALUES (7, 3, 1, 2, '127.0.0.9');
      INSERT INTO inbox (id, workspace_id, name, public_key, timezone, business_hours, widget,
        prechat_fields, topics, created_at) VALUES (1, 1, 'Web', 'k', 'UTC', '{}', '{}', '[]', '[]', 0);
      INSERT INTO contact (id, workspace_id, created_at) VALUES (1, 1, 0);
      INSERT INTO conversation (id, workspace_id, inbox_id, contact_id, visitor_id, client_id, kind,
        status, assignee_id, created_at, updated_at) VALUES (1, 1, 1, 1, 'v', 'c', 'chat', 'open', 7, 0, 0);
    )sql");
  }
  Connection db(path_);
  migrate(db);
  EXPECT_EQ(count(db,
                  "SELECT count(*) FROM agent WHERE id = 7 AND email = 'anna@acme.test' "
                  "AND routing = '{\"teams\":[1]}' AND scope = '{}'"),
            1);
  EXPECT_EQ(count(db, "SELECT count(*) FROM agent_session WHERE agent_id = 7"), 1);
  // The admin who was there first now runs the installation.
  EXPECT_EQ(count(db, "SELECT group_concat(id) FROM agent WHERE super_admin = 1"), 9);
  EXPECT_EQ(count(db, "SELECT failures FROM login_notice WHERE agent_id = 7"), 3);
  EXPECT_EQ(count(db, "SELECT assignee_id FROM conversation WHERE id = 1"), 7);
  Statement fk(db, "PRAGMA foreign_key_check");
  EXPECT_FALSE(fk.step());
  // What the new schema allows: supervisors, and the same address in another workspace.
  db.exec("INSERT INTO workspace (id, name, created_at, slug) VALUES (2, 'Other', 0, 'other')");
  db.exec(
      "INSERT INTO agent (workspace_id, name, email, password_hash, role, created_at) "
      "VALUES (2, 'Anna', 'ANNA@acme.test', 'h', 'supervisor', 0)");
  EXPECT_THROW(db.exec("INSERT INTO agent (workspace_id, name, email, password_hash, role, "
                       "created_at) VALUES (1, 'Dup', 'Anna@Acme.test', 'h', 'agent', 0)"),
               StoreError);
  // References still point at the rebuilt table.
  EXPECT_THROW(db.exec("INSERT INTO agent_session (token_hash, agent_id, workspace_id, csrf_token, "
                       "expires_at) VALUES ('u', 999, 1, 'c', 9)"),
               StoreError);
}

TEST_F(MigrationTest, TriageStateMovesFromMetaIntoItsColumns) {
  {
    Connection db(path_);
    migrate(db, 7);  // triage state still in meta
    db.exec(R"sql(
      INSERT INTO workspace (id, name, created_at, slug) VALUES (1, 'Acme', 0, 'acme');
      INSERT INTO inbox (id, workspace_id, name, public_key, timezone, business_hours, widget,
        prechat_fields, topics, created_at) VALUES (1, 1, 'Web', 'k', 'UTC', '{}', '{}', '[]', '[]', 0);
      INSERT INTO contact (id, workspace_id, created_at) VALUES (1, 1, 0);
      INSERT INTO conversation (id, workspace_id, inbox_id, contact_id, visitor_id, client_id, kind,
        status, created_at, updated_at, meta) VALUES
        (1, 1, 1, 1, 'v', 'a', 'chat', 'open', 0, 0, '{"page_url":"/p","detected_language":"pl",
          "bot":{"state":"handed_off","reason":"low_confidence","at":5},
          "emotion":{"peak":true,"score":0.8,"reasons":["swearing"],"at":6}}'),
        (2, 1, 1, 1, 'v', 'b', 'chat', 'open', 0, 0, '{"bot":{"state":"active"}}'),
        (3, 1, 1, 1, 'v', 'c', 'chat', 'open', 0, 0, '{"bot":"active","detected_language":3}');
    )sql");
  }
  Connection db(path_);
  migrate(db);
  auto row = [&](int id) {
    Statement q(db,
                "SELECT detected_language, bot_state, bot_reason, COALESCE(bot_at, -1), "
                "COALESCE(emotion_peak_at, -1), emotion_score, emotion_reasons, meta "
                "FROM conversation WHERE id = ?");
    q.bind(1, id).step();
    return q.text(0) + "|" + q.text(1) + "|" + q.text(2) + "|" + std::to_string(q.int64(3)) + "|" +
           std::to_string(q.int64(4)) + "|" + std::to_string(q.real(5)) + "|" + q.text(6) + "|" +
           q.text(7);
  };
  EXPECT_EQ(row(1), R"(pl|handed_off|low_confidence|5|6|0.800000|["swearing"]|{"page_url":"/p"})");
  EXPECT_EQ(row(2), "|active||-1|-1|0.000000|[]|{}");
  // Malformed state is dropped, as the old accessors ignored it.
  EXPECT_EQ(row(3), "|||-1|-1|0.000000|[]|{}");
}

TEST_F(MigrationTest, TheSearchIndexIsBuiltFromExistingRows) {
  {
    Connection db(path_);
    migrate(db, 11);  // before full-text search
    db.exec(R"sql(
      INSERT INTO workspace (id, name, created_at, slug) VALUES (1, 'Acme', 0, 'acme');
      INSERT INTO inbox (id, workspace_id, name, public_key, timezone, business_hours, widget,
        prechat_fields, topics, created_at) VALUES (1, 1, 'Web', 'k', 'UTC', '{}', '{}', '[]', '[]', 0);
      INSERT INTO contact (id, workspace_id, name, email, phone, created_at)
        VALUES (1, 1, 'Olga Ivanova', 'olga@example.com', '+7 495 123-45-67', 0);
      INSERT INTO conversation (id, workspace_id, inbox_id, contact_id, visitor_id, client_id, kind,
        status, subject, created_at, updated_at) VALUES (1, 1, 1, 1, 'v', 'a', 'chat', 'open', 'Доставка', 0, 0);
      INSERT INTO event (workspace_id, conversation_id, seq, kind, author_type, body, created_at) VALUES
        (1, 1, 1, 'message', 'visitor', 'Где мой заказ?', 0),
        (1, 1, 2, 'note', 'agent', 'courier delayed', 0),
        (1, 1, 3, 'system', 'system', 'conversation closed', 0);
    )sql");
  }
  Connection db(path_);
  migrate(db);
  {
    // The index thread builds its file from the tables, a chunk at a time.
    SearchIndex index(path_);
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (!index.catch_up() && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    ASSERT_TRUE(index.catch_up());
  }
  attach_search(db, path_);
  EXPECT_EQ(count(db, "SELECT count(*) FROM search_event WHERE search_event MATCH 'заказа'"), 1);
  EXPECT_EQ(count(db, "SELECT count(*) FROM search_event WHERE search_event MATCH 'courier'"), 1);
  EXPECT_EQ(count(db, "SELECT count(*) FROM search_event WHERE search_event MATCH 'closed'"), 0);
  EXPECT_EQ(
      count(db, "SELECT rowid FROM search_conversation WHERE search_conversation MATCH 'доставки'"),
      1);
  EXPECT_EQ(count(db, "SELECT rowid FROM search_contact WHERE search_contact MATCH '74951234567'"),
            1);
}

}  // namespace
}  // namespace sb::sqlite
