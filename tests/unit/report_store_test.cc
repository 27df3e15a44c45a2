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

// The quality tools' outcomes (schema step 31): the last canned variant used in
// a conversation answers for it; the coach's conversations split by whether a
// suggestion was taken; a changed answer forgets the uses of variants it lost.
TEST_P(ReportStoreTest, CannedAndCoachOutcomesFollowTheirConversations) {
  CannedAnswer answer;
  answer.workspace_id = ws_;
  answer.shortcut = "delay";
  answer.title = "Delay";
  answer.variants = {"Sorry for the wait.", "Thanks for waiting!"};
  answer.owner_id = anna_.id;
  answer.created_by = anna_.id;
  answer = store_->save_canned_answer(answer);
  auto a = start("a"), b = start("b");
  at(10), claim(a);
  at(20), say(a, anna_, "Sorry for the wait.");
  at(30), close(a);
  auto use = [&](const Conversation& c, int variant) {
    EXPECT_TRUE(store_->count_canned_use(ws_, {.answer = answer.id,
                                               .variant = variant,
                                               .at = now_,
                                               .conversation = c.id,
                                               .agent = anna_.id}));
  };
  use(a, 0), use(a, 1), use(b, 0);
  EXPECT_FALSE(store_->count_canned_use(ws_, {.answer = 999999, .variant = 0, .at = now_}));
  auto outcomes = store_->canned_outcomes(ws_, answer.id, 100);
  ASSERT_EQ(outcomes.size(), 2u);
  EXPECT_EQ(outcomes[0].variant, 1);  // a: its last use
  EXPECT_EQ(outcomes[0].facts.id, a.id);
  EXPECT_TRUE(outcomes[0].facts.closed_at);
  EXPECT_EQ(outcomes[1].facts.id, b.id);
  EXPECT_EQ(store_->canned_answer(ws_, answer.id)->uses, (std::vector<std::int64_t>{2, 1}));
  answer.variants = {"Sorry for the wait."};
  store_->save_canned_answer(answer);
  outcomes = store_->canned_outcomes(ws_, answer.id, 100);
  ASSERT_EQ(outcomes.size(), 1u);
  EXPECT_EQ(outcomes[0].facts.id, b.id);
  EXPECT_TRUE(store_->canned_outcomes(ws_ + 1, answer.id, 100).empty());

  store_->count_coach_feedback(ws_, now_, {{"bare_no", "en", false}, {"bare_no", "en", true}},
                               a.id);
  store_->count_coach_feedback(ws_, now_, {{"bare_no", "en", false}}, b.id);
  store_->count_coach_feedback(ws_, now_, {{"bare_no", "en", false}}, b.id);
  store_->count_coach_feedback(ws_, now_, {{"bare_no", "en", false}}, std::nullopt);
  auto other = store_->create_workspace("Other");
  store_->count_coach_feedback(other, now_, {{"bare_no", "en", true}}, b.id);  // not theirs
  auto coached = store_->coach_outcomes(ws_, t0_, t0_ + 1'000'000, 100);
  ASSERT_EQ(coached.size(), 2u);
  EXPECT_EQ(coached[0].facts.id, a.id);
  EXPECT_EQ(coached[0].variant, 1);
  EXPECT_EQ(coached[1].variant, 0);
  EXPECT_TRUE(store_->coach_outcomes(ws_, t0_ + 1'000'000, t0_ + 2'000'000, 100).empty());
  EXPECT_EQ(store_->coach_counts(ws_, t0_, t0_ + 1)[0].shown, 4);
}

// A canned answer's files: an unsent upload passes from its uploader to the
// answer (and out of the orphan sweep); only the answer's owner string deletes it.
TEST_P(ReportStoreTest, AnUploadPassesToACannedAnswerAndLeavesTheSweep) {
  Attachment f{"f1", ws_, "form.pdf", "application/pdf", 10, now_, "agent:1"};
  store_->save_attachment(f);
  EXPECT_FALSE(store_->move_attachment(ws_, "f1", "agent:2", "canned:7"));
  EXPECT_TRUE(store_->move_attachment(ws_, "f1", "agent:1", "canned:7"));
  EXPECT_EQ(store_->get_attachment(ws_, "f1")->uploader, "canned:7");
  EXPECT_TRUE(store_->delete_orphan_attachments(now_ + 1'000'000).empty());
  EXPECT_FALSE(store_->delete_attachment(ws_, "f1", "agent:1"));
  EXPECT_EQ(store_->delete_attachment(ws_, "f1", "canned:7")->name, "form.pdf");
  EXPECT_FALSE(store_->get_attachment(ws_, "f1"));
  // A sent file is the message's: it does not move.
  auto c = start("a");
  store_->save_attachment({"f2", ws_, "x.pdf", "application/pdf", 10, now_, "agent:1"});
  ASSERT_TRUE(store_->bind_attachment(ws_, "f2", c.id));
  EXPECT_FALSE(store_->move_attachment(ws_, "f2", "agent:1", "canned:7"));
}

// Surveys keep their translations; the last link a contact was sent is known.
TEST_P(ReportStoreTest, SurveyTranslationsAndTheContactsLastLink) {
  Survey s;
  s.workspace_id = ws_;
  s.name = "NPS";
  s.questions = boost::json::parse(R"([{"id":"q1","type":"nps","label":"Recommend?"}])").as_array();
  s.translations = boost::json::parse(R"({"it":{"name":"NPS it"}})").as_object();
  s = store_->save_survey(s);
  EXPECT_EQ(store_->survey(ws_, s.id)->translations.at("it").at("name"), "NPS it");
  auto c = start("a");
  EXPECT_FALSE(store_->last_survey_link(ws_, s.id, c.contact.id));
  at(50);
  store_->create_survey_link({"h1", ws_, s.id, c.contact.id, c.id, "widget", 0, now_ + 1000, {}});
  at(90);
  store_->create_survey_link({"h2", ws_, s.id, c.contact.id, c.id, "email", 0, now_ + 1000, {}});
  EXPECT_EQ(store_->last_survey_link(ws_, s.id, c.contact.id), t0_ + 90 * kSecond);
  EXPECT_TRUE(store_->has_survey_link(ws_, c.id, "widget"));
  EXPECT_FALSE(store_->last_survey_link(ws_ + 1, s.id, c.contact.id));
}

SB_STORE_BACKENDS(ReportStoreTest);

}  // namespace
}  // namespace sb
