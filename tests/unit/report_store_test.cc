// Reports (Q3) on a small fixed event log, on both backends: the timings the
// store keeps on commit (schema step 28) give the figures computed by hand.
#include <gtest/gtest.h>

#include "store/store.h"
#include "support/test_store.h"

namespace sb {
namespace {

constexpr Millis kSecond = 1000;

class ReportStoreTest : public ::testing::TestWithParam<storetest::Backend> {
 protected:
  void SetUp() override {
    db_ = std::make_unique<storetest::TestStore>(GetParam(), [this] { return now_; });
    store_ = db_->open();
    ws_ = store_->create_workspace("Shop");
    Inbox i;
    i.workspace_id = ws_;
    i.name = "Chat";
    i.public_key = "k";
    inbox_ = store_->create_inbox(i).id;
    Agent a;
    a.workspace_id = ws_;
    a.name = "Anna";
    a.email = "anna@shop.test";
    a.role = "agent";
    a.password_hash = "hash";
    auto created = store_->create_agent(a);
    ASSERT_TRUE(created);
    anna_ = {AuthorType::kAgent, created->id, "Anna"};
  }
  void TearDown() override {
    store_.reset();
    db_.reset();
  }

  void at(Millis offset) { now_ = t0_ + offset * kSecond; }

  Conversation start(const std::string& visitor) {
    NewConversation c;
    c.workspace_id = ws_;
    c.inbox_id = inbox_;
    c.visitor_id = visitor;
    c.client_id = visitor;
    c.kind = ConversationKind::kChat;
    c.first_message = "Hello, my order is late";
    return store_->create_conversation(c).first;
  }
  void say(const Conversation& c, const Author& who, const std::string& text) {
    store_->append_event({ws_, c.id, "message", who, text, "", {}});
  }
  Author visitor(const Conversation& c) { return {AuthorType::kVisitor, c.contact.id, "Eva"}; }
  void claim(const Conversation& c) {
    ASSERT_TRUE(store_->claim(ws_, c.id, anna_.id, std::nullopt, anna_, "", Notice{}));
  }
  void close(const Conversation& c) {
    store_->set_status(ws_, c.id, ConversationStatus::kClosed, anna_);
  }
  reports::ConversationFacts facts_of(Id id) {
    for (const auto& f :
         store_->conversation_facts(ws_, {.from = t0_, .to = t0_ + 1'000'000'000}, 100))
      if (f.id == id) return f;
    ADD_FAILURE() << "no facts for " << id;
    return {};
  }

  std::unique_ptr<storetest::TestStore> db_;
  std::unique_ptr<Store> store_;
  Id ws_ = 0, inbox_ = 0;
  Author anna_;
  Millis t0_ = 1'700'000'000'000, now_ = t0_;
};

// The fixed log (seconds after t0):
//   A: customer 0, claimed 30, agent 60, customer 120 and 150, agent 210,
//      closed 600, rated positive       -> first response 60, wait 30,
//      replies 60 + 90 (two), handle 540
//   B: customer 1000, closed 1300, nobody answered          -> abandoned
//   C: customer 2000, claimed 2100, agent 2400, still open  -> first response 400,
//      wait 100, one reply of 400
//   D: customer 3000, the bot keeps it, closed 3100         -> deflected
//   E: customer 5000, waiting (outside the period asked for)
TEST_P(ReportStoreTest, FiguresFromTheLogMatchTheHandComputedOnes) {
  auto a = start("a");
  at(30), claim(a);
  at(60), say(a, anna_, "Hi Eva, let me check");
  at(120), say(a, visitor(a), "Thanks");
  at(150), say(a, visitor(a), "Any news?");
  at(210), say(a, anna_, "It ships today");
  at(600), close(a);
  ChatRating r;
  r.workspace_id = ws_;
  r.conversation_id = a.id;
  r.inbox_id = inbox_;
  r.channel = "chat";
  r.scale = "3";
  r.score = 3;
  r.positive = true;
  store_->save_chat_rating(r);
  at(1000);
  auto b = start("b");
  at(1300), close(b);
  at(2000);
  auto c = start("c");
  at(2100), claim(c);
  at(2400), say(c, anna_, "Hello!");
  at(3000);
  auto d = start("d");
  store_->set_bot_state(ws_, d.id, {BotPhase::kActive, "", now_}, false);
  at(3100), close(d);
  at(5000);
  start("e");

  auto facts = store_->conversation_facts(ws_, {.from = t0_, .to = t0_ + 3500 * kSecond}, 100);
  ASSERT_EQ(facts.size(), 4u);
  auto s = reports::summarize(facts);
  EXPECT_EQ(s.conversations, 4);
  EXPECT_EQ(s.open, 1);
  EXPECT_EQ(s.closed, 3);
  EXPECT_EQ(s.first_response.n, 2);
  EXPECT_EQ(s.first_response.median, 60 * kSecond);
  EXPECT_EQ(s.first_response.p90, 400 * kSecond);
  EXPECT_EQ(s.first_response.mean, 230 * kSecond);
  EXPECT_EQ(s.response.n, 2);                                 // conversations with a reply
  EXPECT_EQ(s.response.mean, (60 + 90 + 400) * kSecond / 3);  // over the 3 replies
  EXPECT_EQ(s.wait.n, 2);
  EXPECT_EQ(s.wait.median, 30 * kSecond);
  EXPECT_EQ(s.wait.mean, 65 * kSecond);
  EXPECT_EQ(s.handle.n, 1);
  EXPECT_EQ(s.handle.median, 540 * kSecond);
  EXPECT_EQ(s.abandoned, 1);
  EXPECT_EQ(s.bot_handled, 1);
  EXPECT_EQ(s.bot_deflected, 1);
  EXPECT_EQ(s.rated, 1);
  EXPECT_EQ(s.rated_positive, 1);

  // Filtered by agent: the two Anna took.
  auto annas = store_->conversation_facts(
      ws_, {.from = t0_, .to = t0_ + 3500 * kSecond, .agent_id = anna_.id}, 100);
  ASSERT_EQ(annas.size(), 2u);
  EXPECT_EQ(annas[0].id, a.id);
  EXPECT_EQ(annas[1].id, c.id);
  EXPECT_TRUE(store_
                  ->conversation_facts(
                      ws_, {.from = t0_, .to = t0_ + 3500 * kSecond, .channel = "email"}, 100)
                  .empty());

  // The queue now: C with Anna, E waiting since 5000.
  auto q = store_->live_queue(ws_);
  EXPECT_EQ(q.open, 2);
  EXPECT_EQ(q.waiting, 1);
  EXPECT_EQ(q.oldest_waiting_since, t0_ + 5000 * kSecond);
  EXPECT_EQ(q.open_by_agent[anna_.id], 1);
}

// A customer writing in a closed chat reopens it: it is open again in the
// reports until the next close, which is the one handle time counts to.
TEST_P(ReportStoreTest, ReopeningClearsTheCloseAndTheNextCloseCounts) {
  auto a = start("a");
  at(10), claim(a);
  at(20), say(a, anna_, "Hi");
  at(100), close(a);
  EXPECT_EQ(facts_of(a.id).closed_at, t0_ + 100 * kSecond);
  at(200), say(a, visitor(a), "One more thing");
  auto reopened = facts_of(a.id);
  EXPECT_FALSE(reopened.closed_at);
  EXPECT_EQ(reopened.customer_messages, 2);
  at(260), say(a, anna_, "Sure");
  at(300), close(a);
  auto f = facts_of(a.id);
  EXPECT_EQ(f.closed_at, t0_ + 300 * kSecond);
  EXPECT_EQ(f.first_reply_at, t0_ + 20 * kSecond);
  EXPECT_EQ(f.replies, 2);
  EXPECT_EQ(f.reply_ms, (20 + 60) * kSecond);
}

// Notes and system events do not answer the customer.
TEST_P(ReportStoreTest, AnInternalNoteIsNotAReply) {
  auto a = start("a");
  at(10);
  store_->append_event({ws_, a.id, "note", anna_, "checking with the warehouse", "", {}});
  auto f = facts_of(a.id);
  EXPECT_FALSE(f.first_reply_at);
  EXPECT_EQ(f.replies, 0);
  EXPECT_EQ(f.customer_messages, 1);
}

SB_STORE_BACKENDS(ReportStoreTest);

}  // namespace
}  // namespace sb
