// A contact's erasure on both backends: what the customer wrote is redacted,
// and their name, e-mail and phone are struck from agents' words — message
// bodies and the JSON of system notices alike.
#include <gtest/gtest.h>

#include "sql/test_db.h"
#include "store/gdpr_queries.h"

namespace sb {
namespace {

using sql::Statement;

class Erasure : public sqltest::BackendTest {
 protected:
  void SetUp() override {
    db_.create_core_schema();
    conn_ = db_.connect();
    c().exec(R"sql(
      INSERT INTO workspace (id, name, created_at) VALUES (1, 'Acme', 0);
      INSERT INTO inbox (id, workspace_id, name, public_key, timezone, business_hours, widget,
        prechat_fields, topics, created_at) VALUES (1, 1, 'Web', 'k', 'UTC', '{}', '{}', '[]', '[]', 0);
      INSERT INTO contact (id, workspace_id, name, email, phone, created_at)
        VALUES (1, 1, 'Giulia Bianchi', 'giulia@example.com', '+393331234567', 0);
      INSERT INTO identity (workspace_id, kind, value, contact_id)
        VALUES (1, 'email', 'giulia@example.com', 1);
      INSERT INTO conversation (id, workspace_id, inbox_id, contact_id, visitor_id, client_id, kind,
        status, subject, created_at, updated_at, last_seq)
        VALUES (1, 1, 1, 1, 'v', 'c', 'chat', 'closed', 'Refund for Giulia', 0, 0, 3);
      INSERT INTO event (workspace_id, conversation_id, seq, kind, author_type, body, created_at)
        VALUES (1, 1, 1, 'message', 'visitor', 'I live in Via Roma 1', 0);
      INSERT INTO event (workspace_id, conversation_id, seq, kind, author_type, author_name, body,
        created_at) VALUES (1, 1, 2, 'message', 'agent', 'Anna', 'Dear Giulia Bianchi, done', 0);
    )sql");
    Statement(c(),
              "INSERT INTO event (workspace_id, conversation_id, seq, kind, author_type, body, "
              "created_at, notice) VALUES (1, 1, 3, 'system', 'system', '', 0, ?)")
        .bind(1, R"({"key":"closed_by_visitor","args":{"name":"Giulia Bianchi"}})")
        .run();
  }
  sql::Connection& c() { return *conn_; }
  std::string text(const std::string& sql) {
    Statement q(c(), sql);
    return q.step() && !q.is_null(0) ? q.text(0) : std::string("(null)");
  }
  sqltest::Conn conn_;
};

TEST_P(Erasure, RedactsTheCustomersWordsAndStrikesTheirNameFromAgentsWordsAndNotices) {
  Contact giulia{1, 1, "Giulia Bianchi", "giulia@example.com", "+393331234567", 0, ""};
  auto r = sqlite::gdpr_queries::erase(c(), 1, giulia, {1}, 1000);
  EXPECT_EQ(r.conversations, 1);
  EXPECT_EQ(r.messages_redacted, 1);
  EXPECT_EQ(text("SELECT body FROM event WHERE seq = 1"), "[erased]");
  EXPECT_EQ(text("SELECT body FROM event WHERE seq = 2"), "Dear [erased], done");
  auto notice = text("SELECT notice FROM event WHERE seq = 3");
  EXPECT_EQ(notice.find("Giulia"), std::string::npos) << notice;
  EXPECT_NE(notice.find("[erased]"), std::string::npos) << notice;
  EXPECT_NE(notice.find("closed_by_visitor"), std::string::npos) << notice;
  EXPECT_EQ(text("SELECT subject FROM conversation WHERE id = 1"), "");
  EXPECT_EQ(text("SELECT name FROM contact WHERE id = 1"), "");
  EXPECT_EQ(text("SELECT count(*) FROM identity"), "0");
}

SB_ON_BOTH_BACKENDS(Erasure);

}  // namespace
}  // namespace sb
