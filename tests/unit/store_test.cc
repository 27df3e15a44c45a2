// The store, on SQLite and on PostgreSQL: workspace isolation, gap-free event logs, idempotency,
// optimistic concurrency, receipts, contact linking, change delivery, durability.
#include "store/store.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <filesystem>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "support/test_store.h"

namespace sb {
namespace {

namespace fs = std::filesystem;
using Code = StoreError::Code;

template <class Fn>
std::optional<Code> error_of(Fn&& fn) {
  try {
    fn();
  } catch (const StoreError& e) {
    return e.code();
  }
  return std::nullopt;
}

// A write the test expects to happen.
template <class T>
T done(const Outcome<T>& r) {
  EXPECT_TRUE(r) << (r ? "" : r.refused().reason);
  return r ? *r : T{};
}

template <class T>
std::optional<Refusal> refusal_of(const Outcome<T>& r) {
  if (r) return std::nullopt;
  return r.refused().why;
}

class StoreTest : public ::testing::TestWithParam<storetest::Backend> {
 protected:
  void SetUp() override {
    db_ = std::make_unique<storetest::TestStore>(GetParam(), [this] { return now_.load(); });
    open();
    ws_ = store_->create_workspace("Acme");
    other_ws_ = store_->create_workspace("Globex");
    inbox_ = make_inbox(ws_, "key-acme");
    other_inbox_ = make_inbox(other_ws_, "key-globex");
  }

  void TearDown() override {
    store_.reset();
    db_.reset();
  }

  void open() { store_ = db_->open(); }

  Inbox make_inbox(Id ws, const std::string& key) {
    Inbox i;
    i.workspace_id = ws;
    i.name = "Support " + key;
    i.public_key = key;
    return store_->create_inbox(i);
  }

  Agent make_agent(Id ws, const std::string& name, const std::string& email) {
    return done(add_agent(ws, name, email));
  }

  Outcome<Agent> add_agent(Id ws, const std::string& name, const std::string& email) {
    Agent a;
    a.workspace_id = ws;
    a.name = name;
    a.email = email;
    a.role = "agent";
    a.password_hash = "hash";
    return store_->create_agent(a);
  }

  NewConversation new_conv(const std::string& visitor, const std::string& client_id,
                           const std::string& message = "Hello") {
    NewConversation c;
    c.workspace_id = ws_;
    c.inbox_id = inbox_.id;
    c.visitor_id = visitor;
    c.client_id = client_id;
    c.name = "Maria";
    c.first_message = message;
    return c;
  }

  Conversation start(const std::string& visitor = "visitor-1",
                     const std::string& client_id = "c-1") {
    return store_->create_conversation(new_conv(visitor, client_id)).first;
  }

  NewEvent message(const Conversation& c, const std::string& body,
                   const std::string& client_id = "", AuthorType who = AuthorType::kVisitor) {
    NewEvent e;
    e.workspace_id = c.workspace_id;
    e.conversation_id = c.id;
    e.author = {who, who == AuthorType::kAgent ? 1 : 0,
                who == AuthorType::kAgent ? "Anna" : "Maria"};
    e.body = body;
    e.client_id = client_id;
    return e;
  }

  // Routing's conditional write, as the dispatcher does it: only if nobody has it.
  Outcome<Conversation> try_take(const Conversation& c, Id agent) {
    return store_->claim(c.workspace_id, c.id, agent, std::nullopt, {AuthorType::kSystem, 0, ""},
                         "", {});
  }
  Conversation take(const Conversation& c, Id agent) { return done(try_take(c, agent)); }

  std::vector<Event> all_events(const Conversation& c, bool notes = true) {
    return store_->events_after(c.workspace_id, c.id, 0, notes, 10'000);
  }

  Conversation reload(const Conversation& c) {
    return *store_->get_conversation(c.workspace_id, c.id);
  }

  std::atomic<Millis> now_{1'767'225'600'000};  // 2026-01-01T00:00:00Z
  std::unique_ptr<storetest::TestStore> db_;
  std::unique_ptr<Store> store_;
  Id ws_ = 0, other_ws_ = 0;
  Inbox inbox_, other_inbox_;
};

// ---------------------------------------------------------------- workspace isolation

TEST_P(StoreTest, GettersWithAnotherWorkspaceIdFindNothing) {
  auto agent = make_agent(ws_, "Anna", "anna@acme.test");
  auto conv = start();
  store_->save_attachment({"att1", ws_, "invoice.pdf", "application/pdf", 100, 0});

  EXPECT_FALSE(store_->get_agent(other_ws_, agent.id));
  EXPECT_FALSE(store_->get_inbox(other_ws_, inbox_.id));
  EXPECT_FALSE(store_->get_conversation(other_ws_, conv.id));
  EXPECT_FALSE(store_->get_attachment(other_ws_, "att1"));
  EXPECT_TRUE(store_->events_after(other_ws_, conv.id, 0, true, 100).empty());
  // ...while the owner still sees them all.
  EXPECT_TRUE(store_->get_agent(ws_, agent.id));
  EXPECT_TRUE(store_->get_inbox(ws_, inbox_.id));
  EXPECT_TRUE(store_->get_conversation(ws_, conv.id));
  EXPECT_TRUE(store_->get_attachment(ws_, "att1"));
  EXPECT_EQ(store_->events_after(ws_, conv.id, 0, true, 100).size(), 1u);
}

TEST_P(StoreTest, WritesWithAnotherWorkspaceIdAreNotFoundAndChangeNothing) {
  auto agent = make_agent(ws_, "Anna", "anna@acme.test");
  auto conv = start();
  auto foreign = message(conv, "injected");
  foreign.workspace_id = other_ws_;
  EXPECT_EQ(error_of([&] { store_->append_event(foreign); }), Code::kNotFound);
  EXPECT_EQ(error_of([&] {
              (void)store_->claim(other_ws_, conv.id, agent.id, std::nullopt, {}, "", {});
            }),
            Code::kNotFound);
  EXPECT_EQ(error_of([&] {
              (void)store_->requeue(other_ws_, conv.id, std::nullopt, 0, {}, {"x", "x", {}});
            }),
            Code::kNotFound);
  EXPECT_EQ(
      error_of([&] { store_->set_status(other_ws_, conv.id, ConversationStatus::kClosed, {}); }),
      Code::kNotFound);
  EXPECT_EQ(
      error_of([&] { store_->update_receipts(other_ws_, conv.id, AuthorType::kAgent, 1, 1); }),
      Code::kNotFound);
  EXPECT_EQ(error_of([&] { store_->set_agent_status(other_ws_, agent.id, AgentStatus::kOnline); }),
            Code::kNotFound);
  auto a = agent;
  a.workspace_id = other_ws_;
  a.name = "Hijacked";
  EXPECT_EQ(error_of([&] { store_->update_agent(a); }), Code::kNotFound);
  auto i = inbox_;
  i.workspace_id = other_ws_;
  i.name = "Hijacked";
  EXPECT_EQ(error_of([&] { store_->update_inbox(i); }), Code::kNotFound);

  auto after = reload(conv);
  EXPECT_EQ(after.last_seq, 1);
  EXPECT_EQ(after.status, ConversationStatus::kOpen);
  EXPECT_EQ(after.receipts.agent_read, 0);
  EXPECT_EQ(store_->get_agent(ws_, agent.id)->name, "Anna");
  EXPECT_EQ(store_->get_agent(ws_, agent.id)->status, AgentStatus::kOffline);
  EXPECT_EQ(store_->get_inbox(ws_, inbox_.id)->name, inbox_.name);
  EXPECT_EQ(store_->get_inbox(ws_, inbox_.id)->workspace_id, ws_);
}

TEST_P(StoreTest, CannotAssignAnAgentOfAnotherWorkspace) {
  auto outsider = make_agent(other_ws_, "Eve", "eve@globex.test");
  auto conv = start();
  EXPECT_EQ(error_of([&] { (void)try_take(conv, outsider.id); }), Code::kNotFound);
  EXPECT_FALSE(reload(conv).assignee_id);
}

TEST_P(StoreTest, ListsNeverLeakAcrossWorkspaces) {
  auto anna = make_agent(ws_, "Anna", "anna@acme.test");
  store_->set_agent_status(ws_, anna.id, AgentStatus::kOnline);
  auto conv = start("visitor-1", "c-1");
  take(conv, anna.id);
  auto closed = start("visitor-1", "c-2");
  store_->set_status(ws_, closed.id, ConversationStatus::kClosed, {});

  EXPECT_TRUE(store_->list_agents(other_ws_).empty());
  EXPECT_EQ(store_->count_online_agents(other_ws_), 0);
  EXPECT_EQ(store_->count_online_agents(ws_), 1);
  auto inboxes = store_->list_inboxes(other_ws_);
  ASSERT_EQ(inboxes.size(), 1u);
  EXPECT_EQ(inboxes[0].id, other_inbox_.id);
  for (auto view : {ConversationFilter::View::kAll, ConversationFilter::View::kUnassigned,
                    ConversationFilter::View::kMine})
    for (auto status : {ConversationStatus::kOpen, ConversationStatus::kClosed}) {
      ConversationFilter f;
      f.view = view;
      f.status = status;
      f.agent_id = anna.id;
      EXPECT_TRUE(store_->list_conversations(other_ws_, f).empty());
    }
  EXPECT_TRUE(store_->list_visitor_conversations(other_ws_, "visitor-1").empty());
  EXPECT_TRUE(store_->contact_history(other_ws_, conv.contact.id, 0).empty());
  EXPECT_EQ(store_->list_visitor_conversations(ws_, "visitor-1").size(), 2u);
}

TEST_P(StoreTest, SameVisitorAndEmailInAnotherWorkspaceIsAnotherContact) {
  auto c1 = new_conv("visitor-1", "c-1");
  c1.email = "maria@example.com";
  auto mine = store_->create_conversation(c1).first;
  auto c2 = c1;
  c2.workspace_id = other_ws_;
  c2.inbox_id = other_inbox_.id;
  auto theirs = store_->create_conversation(c2);
  EXPECT_TRUE(theirs.second);  // not the idempotent repeat of the first workspace's conversation
  EXPECT_NE(theirs.first.id, mine.id);
  EXPECT_NE(theirs.first.contact.id, mine.contact.id);
  EXPECT_TRUE(store_->contact_history(ws_, mine.contact.id, mine.id).empty());
}

// ---------------------------------------------------------------- agents and sessions

TEST_P(StoreTest, AgentRoundTrip) {
  auto a = make_agent(ws_, "Anna", "anna@acme.test");
  EXPECT_GT(a.id, 0);
  auto got = store_->get_agent(ws_, a.id);
  ASSERT_TRUE(got);
  EXPECT_EQ(got->name, "Anna");
  EXPECT_EQ(got->email, "anna@acme.test");
  EXPECT_EQ(got->role, "agent");
  EXPECT_EQ(got->password_hash, "hash");
  EXPECT_EQ(got->status, AgentStatus::kOffline);
  EXPECT_FALSE(got->avatar_color.empty());
}

TEST_P(StoreTest, DuplicateAgentEmailConflictsCaseInsensitively) {
  make_agent(ws_, "Anna", "anna@acme.test");
  EXPECT_EQ(refusal_of(add_agent(ws_, "Anna 2", "anna@acme.test")), Refusal::kEmailTaken);
  EXPECT_EQ(refusal_of(add_agent(ws_, "Anna 3", "ANNA@Acme.Test")), Refusal::kEmailTaken);
  EXPECT_EQ(store_->list_agents(ws_).size(), 1u);
}

TEST_P(StoreTest, OneAddressMayWorkForSeveralWorkspaces) {
  auto one = make_agent(ws_, "Anna", "anna@acme.test");
  auto two = make_agent(other_ws_, "Anna", "ANNA@acme.test");
  auto both = store_->find_agents_by_email("anna@ACME.test");
  ASSERT_EQ(both.size(), 2u);
  EXPECT_EQ(both[0].id, one.id);
  EXPECT_EQ(both[1].id, two.id);
  EXPECT_EQ(both[1].workspace_id, other_ws_);
}

TEST_P(StoreTest, FindAgentByEmailIgnoresCase) {
  auto a = make_agent(ws_, "Anna", "anna@acme.test");
  auto found = store_->find_agents_by_email("Anna@ACME.test");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].id, a.id);
  EXPECT_TRUE(store_->find_agents_by_email("nobody@acme.test").empty());
}

TEST_P(StoreTest, ConcurrentSignupsWithOneEmailCreateExactlyOneAgent) {
  // A refused write in a group-commit batch must not undo the others in it.
  std::atomic<int> conflicts{0}, created{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t)
    threads.emplace_back([&, t] {
      make_agent(ws_, "Own " + std::to_string(t), "own" + std::to_string(t) + "@acme.test");
      ++created;
      if (refusal_of(add_agent(ws_, "Shared", "shared@acme.test")) == Refusal::kEmailTaken)
        ++conflicts;
      else
        ++created;
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(conflicts, 7);
  EXPECT_EQ(created, 9);
  EXPECT_EQ(store_->list_agents(ws_).size(), 9u);
}

TEST_P(StoreTest, UpdateAgentChangesNameRoleAndPassword) {
  auto a = make_agent(ws_, "Anna", "anna@acme.test");
  a.name = "Anna Rossi";
  a.role = "admin";
  a.password_hash = "new-hash";
  store_->update_agent(a);
  auto got = store_->get_agent(ws_, a.id);
  EXPECT_EQ(got->name, "Anna Rossi");
  EXPECT_EQ(got->role, "admin");
  EXPECT_EQ(got->password_hash, "new-hash");
}

TEST_P(StoreTest, AgentStatusDrivesOnlineCount) {
  auto a = make_agent(ws_, "Anna", "anna@acme.test");
  auto b = make_agent(ws_, "Bob", "bob@acme.test");
  store_->set_agent_status(ws_, a.id, AgentStatus::kOnline);
  store_->set_agent_status(ws_, b.id, AgentStatus::kAway);
  EXPECT_EQ(store_->count_online_agents(ws_), 1);
  EXPECT_EQ(store_->get_agent(ws_, b.id)->status, AgentStatus::kAway);
  store_->set_agent_status(ws_, a.id, AgentStatus::kOffline);
  EXPECT_EQ(store_->count_online_agents(ws_), 0);
}

TEST_P(StoreTest, SessionIsFoundUntilItExpires) {
  auto a = make_agent(ws_, "Anna", "anna@acme.test");
  Millis expires = now_ + 3'600'000;
  store_->create_session("token-hash", {a.id, ws_, "csrf", expires});
  auto s = store_->find_session("token-hash", now_);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->agent_id, a.id);
  EXPECT_EQ(s->workspace_id, ws_);
  EXPECT_EQ(s->csrf_token, "csrf");
  EXPECT_EQ(s->expires_at, expires);
  EXPECT_TRUE(store_->find_session("token-hash", expires - 1));
  EXPECT_FALSE(store_->find_session("token-hash", expires));
  EXPECT_FALSE(store_->find_session("other-hash", now_));
}

TEST_P(StoreTest, DeletedSessionIsNotFound) {
  auto a = make_agent(ws_, "Anna", "anna@acme.test");
  store_->create_session("token-hash", {a.id, ws_, "csrf", now_ + 3'600'000});
  store_->create_session("other-hash", {a.id, ws_, "csrf2", now_ + 3'600'000});
  ASSERT_TRUE(store_->find_session("token-hash", now_));
  store_->delete_session("token-hash");
  EXPECT_FALSE(store_->find_session("token-hash", now_));
  EXPECT_TRUE(store_->find_session("other-hash", now_)) << "only that session ends";
}

// ---------------------------------------------------------------- inboxes

TEST_P(StoreTest, InboxRoundTripKeepsHoursAndWidgetJson) {
  Inbox i;
  i.workspace_id = ws_;
  i.name = "Vendite";
  i.public_key = "pk-vendite";
  i.timezone = "Europe/Rome";
  std::string err;
  i.hours = *BusinessHours::from_json(
      boost::json::parse(
          R"({"weekly":[{"day":1,"open":"09:00","close":"18:00"}],"holidays":["2026-12-25"]})"),
      &err);
  i.widget =
      boost::json::parse(
          R"({"color":"#2563eb","position":"left","greeting":"Ciao! Come possiamo aiutarti? Привет","language":"it","button_style":"pill"})")
          .as_object();
  i.prechat_fields = boost::json::parse(R"(["name","email","topic"])").as_array();
  i.topics = boost::json::parse(R"(["Ordini","Fatture"])").as_array();
  auto created = store_->create_inbox(i);

  for (const auto& got :
       {*store_->get_inbox(ws_, created.id), *store_->find_inbox_by_key("pk-vendite")}) {
    EXPECT_EQ(got.id, created.id);
    EXPECT_EQ(got.workspace_id, ws_);
    EXPECT_EQ(got.name, "Vendite");
    EXPECT_EQ(got.timezone, "Europe/Rome");
    EXPECT_EQ(got.hours.to_json(), i.hours.to_json());
    EXPECT_EQ(got.widget, i.widget);
    EXPECT_EQ(got.prechat_fields, i.prechat_fields);
    EXPECT_EQ(got.topics, i.topics);
  }
  EXPECT_FALSE(store_->find_inbox_by_key("pk-unknown"));
}

TEST_P(StoreTest, UpdateInboxReplacesFields) {
  auto i = inbox_;
  i.name = "Renamed";
  i.timezone = "America/New_York";
  i.widget = boost::json::object{{"color", "#000000"}};
  store_->update_inbox(i);
  auto got = store_->get_inbox(ws_, inbox_.id);
  EXPECT_EQ(got->name, "Renamed");
  EXPECT_EQ(got->timezone, "America/New_York");
  EXPECT_EQ(got->widget, i.widget);
  EXPECT_EQ(got->public_key, inbox_.public_key);
}

TEST_P(StoreTest, InboxPublicKeysAreUnique) {
  EXPECT_EQ(error_of([&] { make_inbox(other_ws_, "key-acme"); }), Code::kConflict);
}

// ---------------------------------------------------------------- conversations

TEST_P(StoreTest, CreateConversationStoresFirstMessageAsSeq1) {
  auto [conv, created] =
      store_->create_conversation(new_conv("visitor-1", "c-1", "Where is my order?"));
  EXPECT_TRUE(created);
  EXPECT_EQ(conv.workspace_id, ws_);
  EXPECT_EQ(conv.inbox_id, inbox_.id);
  EXPECT_EQ(conv.status, ConversationStatus::kOpen);
  EXPECT_EQ(conv.last_seq, 1);
  EXPECT_EQ(conv.created_at, now_.load());
  ASSERT_TRUE(conv.last_message);
  EXPECT_EQ(conv.last_message->body, "Where is my order?");
  auto events = all_events(conv);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].seq, 1);
  EXPECT_EQ(events[0].kind, "message");
  EXPECT_EQ(events[0].author.type, AuthorType::kVisitor);
  EXPECT_EQ(events[0].body, "Where is my order?");
  EXPECT_EQ(events[0].created_at, now_.load());
}

TEST_P(StoreTest, CreateConversationWithoutMessageHasNoEvents) {
  auto conv = store_->create_conversation(new_conv("visitor-1", "c-1", "")).first;
  EXPECT_EQ(conv.last_seq, 0);
  EXPECT_FALSE(conv.last_message);
  EXPECT_TRUE(all_events(conv).empty());
}

TEST_P(StoreTest, CreateConversationIsIdempotentByVisitorAndClientId) {
  auto first = store_->create_conversation(new_conv("visitor-1", "c-1", "Hello"));
  now_ += 5000;
  auto retry = store_->create_conversation(new_conv("visitor-1", "c-1", "Hello"));
  EXPECT_TRUE(first.second);
  EXPECT_FALSE(retry.second);
  EXPECT_EQ(retry.first.id, first.first.id);
  EXPECT_EQ(retry.first.last_seq, 1);
  EXPECT_EQ(all_events(first.first).size(), 1u);
  EXPECT_EQ(store_->list_visitor_conversations(ws_, "visitor-1").size(), 1u);
  // Another client id, or another visitor with the same client id, is a new conversation.
  EXPECT_TRUE(store_->create_conversation(new_conv("visitor-1", "c-2")).second);
  EXPECT_TRUE(store_->create_conversation(new_conv("visitor-2", "c-1")).second);
}

TEST_P(StoreTest, ConversationKeepsKindSubjectLanguageAndMeta) {
  auto c = new_conv("visitor-1", "c-1", "");
  c.kind = ConversationKind::kCallback;
  c.subject = "Billing";
  c.language = "hu";
  c.phone = "+36 1 234 5678";
  c.meta = boost::json::parse(
               R"({"page_url":"https://shop.test/p/1","callback":{"phone":"+36 1 234 5678",
                                 "window_from":1,"window_to":2}})")
               .as_object();
  auto conv = store_->create_conversation(c).first;
  auto got = reload(conv);
  EXPECT_EQ(got.kind, ConversationKind::kCallback);
  EXPECT_EQ(got.subject, "Billing");
  EXPECT_EQ(got.language, "hu");
  // Meta as sent, plus the name given in this conversation (visitor messages carry it).
  auto meta = c.meta;
  meta["visitor_name"] = c.name;
  EXPECT_EQ(got.meta, meta);
  EXPECT_EQ(got.meta.at("callback").at("phone"), "+36 1 234 5678") << "the call-back as typed";
  EXPECT_EQ(got.contact.phone, "+3612345678") << "the contact's number normalised";
}

TEST_P(StoreTest, ListConversationsNewestActivityFirst) {
  auto older = start("visitor-1", "c-1");
  now_ += 1000;
  auto newer = start("visitor-2", "c-1");
  ConversationFilter f;
  auto list = store_->list_conversations(ws_, f);
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0].id, newer.id);
  now_ += 1000;
  store_->append_event(message(older, "still there?"));
  list = store_->list_conversations(ws_, f);
  EXPECT_EQ(list[0].id, older.id);
  EXPECT_EQ(list[0].last_message->body, "still there?");
}

// ---------------------------------------------------------------- events

TEST_P(StoreTest, AppendGivesNextSeqAndUpdatesLastMessage) {
  auto conv = start();
  auto r = store_->append_event(message(conv, "second", "m-2"));
  EXPECT_FALSE(r.duplicate);
  EXPECT_EQ(r.event.seq, 2);
  EXPECT_EQ(r.event.body, "second");
  EXPECT_EQ(r.event.client_id, "m-2");
  auto after = reload(conv);
  EXPECT_EQ(after.last_seq, 2);
  EXPECT_EQ(after.last_message->body, "second");
}

TEST_P(StoreTest, ConcurrentAppendsAreGapFree) {
  auto conv = start();
  constexpr int kThreads = 8, kEach = 25;
  std::mutex mu;
  std::vector<std::int64_t> returned;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        auto id = "t" + std::to_string(t) + "-" + std::to_string(i);
        auto r = store_->append_event(message(conv, id, id));
        std::lock_guard lock(mu);
        returned.push_back(r.event.seq);
      }
    });
  for (auto& t : threads) t.join();

  constexpr int kTotal = 1 + kThreads * kEach;
  std::sort(returned.begin(), returned.end());
  ASSERT_EQ(returned.size(), static_cast<std::size_t>(kThreads * kEach));
  for (std::size_t i = 0; i < returned.size(); ++i)
    ASSERT_EQ(returned[i], static_cast<std::int64_t>(i) + 2);
  auto events = all_events(conv);
  ASSERT_EQ(events.size(), static_cast<std::size_t>(kTotal));
  for (int i = 0; i < kTotal; ++i) ASSERT_EQ(events[i].seq, i + 1);
  EXPECT_EQ(reload(conv).last_seq, kTotal);
}

TEST_P(StoreTest, AppendIsIdempotentByClientId) {
  auto conv = start();
  auto first = store_->append_event(message(conv, "original", "m-1"));
  auto retry = store_->append_event(message(conv, "edited on retry", "m-1"));
  EXPECT_FALSE(first.duplicate);
  EXPECT_TRUE(retry.duplicate);
  EXPECT_EQ(retry.event.seq, first.event.seq);
  EXPECT_EQ(retry.event.id, first.event.id);
  EXPECT_EQ(retry.event.body, "original");
  EXPECT_EQ(reload(conv).last_seq, 2);
  EXPECT_EQ(all_events(conv).size(), 2u);
}

// The path the widget's messages take. On PostgreSQL appends queued together
// share a transaction; one that fails (an unknown conversation) must fail alone,
// resends must stay single, and every conversation's seq must stay gap-free.
TEST_P(StoreTest, AsyncAppendsFromManyThreadsEachGetTheirOwnAnswer) {
  constexpr int kConversations = 6, kThreads = 4, kEach = 60;
  std::vector<Conversation> convs;
  for (int i = 0; i < kConversations; ++i)
    convs.push_back(start("visitor-" + std::to_string(i), "c-" + std::to_string(i)));
  Conversation unknown = convs[0];
  unknown.id = 999'999;
  std::mutex mu;
  std::condition_variable cv;
  int answered = 0, not_found = 0, duplicates = 0;
  std::map<std::string, Event> stored_as;  // client id -> its event
  auto done = [&](const std::string& client_id, std::optional<AppendResult> r,
                  std::exception_ptr error) {
    std::lock_guard lock(mu);
    if (error) {
      try {
        std::rethrow_exception(error);
      } catch (const StoreError& e) {
        if (e.code() == StoreError::Code::kNotFound) ++not_found;
      } catch (...) {
      }
    } else if (r->duplicate) {
      ++duplicates;
    } else {
      EXPECT_TRUE(stored_as.emplace(client_id, r->event).second) << client_id;
    }
    ++answered;
    cv.notify_all();
  };
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        auto id = "t" + std::to_string(t) + "-" + std::to_string(i);
        const auto& conv =
            i % 10 == 9 ? unknown : convs[static_cast<std::size_t>(i + t) % kConversations];
        store_->append_event_async(message(conv, "hello " + id, id),
                                   [&, id](auto r, auto e) { done(id, std::move(r), e); });
      }
    });
  for (auto& th : threads) th.join();
  {
    std::unique_lock lock(mu);
    ASSERT_TRUE(
        cv.wait_for(lock, std::chrono::seconds(60), [&] { return answered == kThreads * kEach; }));
  }
  EXPECT_EQ(not_found, kThreads * kEach / 10);
  EXPECT_EQ(duplicates, 0);
  ASSERT_EQ(static_cast<int>(stored_as.size()), kThreads * kEach * 9 / 10);
  // The same client ids again, as a widget resends: answered with what is stored.
  int resent = 0;
  for (const auto& [id, event] : stored_as) {
    Conversation in = convs[0];
    in.id = event.conversation_id;
    store_->append_event_async(message(in, "ignored", id),
                               [&, id, seq = event.seq](auto r, auto e) {
                                 std::lock_guard lock(mu);
                                 EXPECT_FALSE(e) << id;
                                 if (r && r->duplicate && r->event.seq == seq) ++resent;
                                 cv.notify_all();
                                 ++answered;
                               });
  }
  {
    std::unique_lock lock(mu);
    ASSERT_TRUE(cv.wait_for(lock, std::chrono::seconds(60), [&] {
      return answered == kThreads * kEach + static_cast<int>(stored_as.size());
    }));
  }
  EXPECT_EQ(resent, static_cast<int>(stored_as.size()));
  int stored = 0;
  for (const auto& c : convs) {
    auto events = all_events(c);
    for (std::size_t i = 0; i < events.size(); ++i)
      ASSERT_EQ(events[i].seq, static_cast<std::int64_t>(i + 1));
    EXPECT_EQ(reload(c).last_seq, static_cast<std::int64_t>(events.size()));
    stored += static_cast<int>(events.size()) - 1;  // less the first message
  }
  EXPECT_EQ(stored, kThreads * kEach * 9 / 10);
}

TEST_P(StoreTest, SameClientIdInAnotherConversationIsNotADuplicate) {
  auto a = start("visitor-1", "c-1");
  auto b = start("visitor-2", "c-1");
  store_->append_event(message(a, "hi", "m-1"));
  auto r = store_->append_event(message(b, "hi", "m-1"));
  EXPECT_FALSE(r.duplicate);
  EXPECT_EQ(r.event.conversation_id, b.id);
}

TEST_P(StoreTest, MessagesWithoutClientIdAreNeverDeduplicated) {
  auto conv = start();
  EXPECT_FALSE(store_->append_event(message(conv, "same")).duplicate);
  EXPECT_FALSE(store_->append_event(message(conv, "same")).duplicate);
  EXPECT_EQ(reload(conv).last_seq, 3);
}

TEST_P(StoreTest, AttachmentsAreStoredWithTheEvent) {
  auto conv = start();
  auto e = message(conv, "see file", "m-1");
  e.attachments = boost::json::parse(
                      R"([{"id":"abc","name":"a.pdf","content_type":"application/pdf","size":3}])")
                      .as_array();
  store_->append_event(e);
  EXPECT_EQ(all_events(conv).back().attachments, e.attachments);
}

TEST_P(StoreTest, AppendToUnknownConversationIsNotFound) {
  auto conv = start();
  conv.id += 1000;
  EXPECT_EQ(error_of([&] { store_->append_event(message(conv, "x")); }), Code::kNotFound);
}

TEST_P(StoreTest, VisitorMessageReopensClosedConversation) {
  auto conv = start();
  store_->set_status(ws_, conv.id, ConversationStatus::kClosed, {AuthorType::kAgent, 1, "Anna"});
  ASSERT_EQ(reload(conv).status, ConversationStatus::kClosed);
  store_->append_event(message(conv, "one more question"));
  EXPECT_EQ(reload(conv).status, ConversationStatus::kOpen);
  ConversationFilter open;
  auto list = store_->list_conversations(ws_, open);
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].id, conv.id);
}

TEST_P(StoreTest, CloseEmitsSystemEventAndMovesToClosedList) {
  auto conv = start();
  auto closed = store_->set_status(ws_, conv.id, ConversationStatus::kClosed,
                                   {AuthorType::kAgent, 1, "Anna"});
  EXPECT_EQ(closed.status, ConversationStatus::kClosed);
  EXPECT_EQ(closed.version, conv.version + 1);
  auto last = all_events(conv).back();
  EXPECT_EQ(last.seq, 2);
  EXPECT_EQ(last.kind, "system");
  EXPECT_EQ(last.body, "Conversation closed by Anna");
  ConversationFilter f;
  EXPECT_TRUE(store_->list_conversations(ws_, f).empty());
  f.status = ConversationStatus::kClosed;
  EXPECT_EQ(store_->list_conversations(ws_, f).size(), 1u);
}

TEST_P(StoreTest, EventsAfterPagesInSeqOrder) {
  auto conv = start();
  for (int i = 2; i <= 10; ++i) store_->append_event(message(conv, "m" + std::to_string(i)));
  std::vector<std::int64_t> seen;
  std::int64_t after = 0;
  for (;;) {
    auto page = store_->events_after(ws_, conv.id, after, false, 4);
    if (page.empty()) break;
    EXPECT_LE(page.size(), 4u);
    for (const auto& e : page) seen.push_back(e.seq);
    after = page.back().seq;
  }
  std::vector<std::int64_t> expected{1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
  EXPECT_EQ(seen, expected);
  auto tail = store_->events_after(ws_, conv.id, 7, false, 100);
  ASSERT_EQ(tail.size(), 3u);
  EXPECT_EQ(tail[0].seq, 8);
  EXPECT_EQ(tail[0].body, "m8");
}

TEST_P(StoreTest, NotesAreHiddenUnlessRequested) {
  auto conv = start();
  auto note = message(conv, "VIP customer", "", AuthorType::kAgent);
  note.kind = "note";
  store_->append_event(note);
  store_->append_event(message(conv, "hello?"));

  auto visitor_view = store_->events_after(ws_, conv.id, 0, false, 100);
  ASSERT_EQ(visitor_view.size(), 2u);
  for (const auto& e : visitor_view) EXPECT_NE(e.kind, "note");
  EXPECT_EQ(visitor_view[1].seq, 3);  // the note still took seq 2
  auto agent_view = store_->events_after(ws_, conv.id, 0, true, 100);
  ASSERT_EQ(agent_view.size(), 3u);
  EXPECT_EQ(agent_view[1].kind, "note");
  EXPECT_EQ(agent_view[1].body, "VIP customer");
}

TEST_P(StoreTest, NotesAndSystemEventsDoNotBecomeLastMessage) {
  auto conv = start();
  auto note = message(conv, "internal", "", AuthorType::kAgent);
  note.kind = "note";
  store_->append_event(note);
  store_->set_status(ws_, conv.id, ConversationStatus::kClosed, {});
  auto got = reload(conv);
  EXPECT_EQ(got.last_seq, 3);
  ASSERT_TRUE(got.last_message);
  EXPECT_EQ(got.last_message->body, "Hello");
}

// ---------------------------------------------------------------- assignment

TEST_P(StoreTest, SecondAgentTakingTheSameConversationLoses) {
  auto anna = make_agent(ws_, "Anna", "anna@acme.test");
  auto bob = make_agent(ws_, "Bob", "bob@acme.test");
  auto conv = start();
  take(conv, anna.id);
  EXPECT_EQ(refusal_of(try_take(conv, bob.id)), Refusal::kTakenByAnother);
  EXPECT_EQ(reload(conv).assignee_id, anna.id);
}

TEST_P(StoreTest, ClaimEmitsSystemEventAndBumpsVersion) {
  auto anna = make_agent(ws_, "Anna", "anna@acme.test");
  auto conv = start();
  auto assigned = take(conv, anna.id);
  EXPECT_EQ(assigned.assignee_id, anna.id);
  EXPECT_EQ(assigned.assignee_name, "Anna");
  EXPECT_EQ(assigned.version, conv.version + 1);
  EXPECT_EQ(assigned.last_seq, 2);
  auto last = all_events(conv).back();
  EXPECT_EQ(last.seq, 2);
  EXPECT_EQ(last.kind, "system");
  EXPECT_EQ(last.author.type, AuthorType::kSystem);
  EXPECT_EQ(last.body, "Anna joined the conversation");
  // ...and in a form clients translate.
  EXPECT_EQ(last.notice, (boost::json::object{{"code", "joined"}, {"args", {{"agent", "Anna"}}}}));
  EXPECT_EQ(store_->events_after(ws_, conv.id, 1, false, 10).back().notice, last.notice)
      << "read back from the database";
}

TEST_P(StoreTest, RequeueReturnsToQueueWithSystemEvent) {
  auto anna = make_agent(ws_, "Anna", "anna@acme.test");
  auto conv = start();
  take(conv, anna.id);
  auto back = *store_->requeue(ws_, conv.id, anna.id, 0, std::nullopt,
                               {"Conversation returned to the queue", "returned_to_queue", {}});
  EXPECT_FALSE(back.assignee_id);
  EXPECT_EQ(all_events(conv).back().body, "Conversation returned to the queue");
}

TEST_P(StoreTest, ClaimingForTheCurrentAssigneeAgainConflictsAndWritesNothing) {
  auto anna = make_agent(ws_, "Anna", "anna@acme.test");
  auto conv = start();
  auto once = take(conv, anna.id);
  EXPECT_EQ(refusal_of(try_take(conv, anna.id)), Refusal::kAlreadyAssigned);
  auto after = reload(conv);
  EXPECT_EQ(after.version, once.version);
  EXPECT_EQ(after.last_seq, once.last_seq);
}

TEST_P(StoreTest, UnassignedAndMineViews) {
  auto anna = make_agent(ws_, "Anna", "anna@acme.test");
  auto bob = make_agent(ws_, "Bob", "bob@acme.test");
  auto a = start("visitor-1", "c-1");
  auto b = start("visitor-2", "c-1");
  start("visitor-3", "c-1");
  take(a, anna.id);
  take(b, bob.id);
  ConversationFilter f;
  f.view = ConversationFilter::View::kUnassigned;
  EXPECT_EQ(store_->list_conversations(ws_, f).size(), 1u);
  f.view = ConversationFilter::View::kMine;
  f.agent_id = anna.id;
  auto mine = store_->list_conversations(ws_, f);
  ASSERT_EQ(mine.size(), 1u);
  EXPECT_EQ(mine[0].id, a.id);
  f.view = ConversationFilter::View::kAll;
  EXPECT_EQ(store_->list_conversations(ws_, f).size(), 3u);
}

// ---------------------------------------------------------------- receipts

TEST_P(StoreTest, ReceiptsOnlyMoveForward) {
  auto conv = start();
  for (int i = 0; i < 4; ++i) store_->append_event(message(conv, "m"));
  store_->update_receipts(ws_, conv.id, AuthorType::kAgent, 4, 3);
  auto r = store_->update_receipts(ws_, conv.id, AuthorType::kAgent, 2, 1).receipts;
  EXPECT_EQ(r.agent_delivered, 4);
  EXPECT_EQ(r.agent_read, 3);
  EXPECT_EQ(r.visitor_delivered, 0);
  EXPECT_EQ(r.visitor_read, 0);
}

TEST_P(StoreTest, ReceiptsAreClampedToLastSeq) {
  auto conv = start();
  store_->append_event(message(conv, "m"));
  auto r = store_->update_receipts(ws_, conv.id, AuthorType::kVisitor, 99, 50).receipts;
  EXPECT_EQ(r.visitor_delivered, 2);
  EXPECT_EQ(r.visitor_read, 2);
  EXPECT_EQ(r.agent_read, 0);
}

TEST_P(StoreTest, ReadImpliesDelivered) {
  auto conv = start();
  store_->append_event(message(conv, "m"));
  auto r = store_->update_receipts(ws_, conv.id, AuthorType::kAgent, 0, 2).receipts;
  EXPECT_EQ(r.agent_delivered, 2);
  EXPECT_EQ(r.agent_read, 2);
}

// ---------------------------------------------------------------- contacts

TEST_P(StoreTest, SameVisitorReusesContact) {
  auto c1 = new_conv("visitor-1", "c-1");
  c1.email = "maria@example.com";
  auto first = store_->create_conversation(c1).first;
  auto c2 = new_conv("visitor-1", "c-2");
  c2.name = "";
  auto second = store_->create_conversation(c2).first;
  EXPECT_EQ(second.contact.id, first.contact.id);
  EXPECT_EQ(second.contact.email, "maria@example.com");
  EXPECT_EQ(second.contact.name, "Maria");
}

TEST_P(StoreTest, NewVisitorWithSameEmailReusesContactIgnoringCase) {
  auto c1 = new_conv("visitor-1", "c-1");
  c1.email = "maria@example.com";
  auto first = store_->create_conversation(c1).first;
  auto c2 = new_conv("visitor-on-phone", "c-1");
  c2.email = "Maria@Example.COM";
  auto second = store_->create_conversation(c2).first;
  EXPECT_EQ(second.contact.id, first.contact.id);
}

TEST_P(StoreTest, DifferentPeopleGetDifferentContacts) {
  auto c1 = new_conv("visitor-1", "c-1");
  c1.email = "maria@example.com";
  auto c2 = new_conv("visitor-2", "c-1");
  c2.email = "luigi@example.com";
  EXPECT_NE(store_->create_conversation(c1).first.contact.id,
            store_->create_conversation(c2).first.contact.id);
}

TEST_P(StoreTest, KnownContactDetailsAreNotOverwrittenButGapsAreFilled) {
  auto c1 = new_conv("visitor-1", "c-1");
  c1.email = "maria@example.com";
  store_->create_conversation(c1);
  auto c2 = new_conv("visitor-1", "c-2");
  c2.name = "Someone Else";
  c2.phone = "+39 333 1234567";
  auto contact = store_->create_conversation(c2).first.contact;
  EXPECT_EQ(contact.name, "Maria");
  EXPECT_EQ(contact.email, "maria@example.com");
  EXPECT_EQ(contact.phone, "+393331234567");
}

TEST_P(StoreTest, ContactHistoryListsTheOtherConversations) {
  auto c1 = new_conv("visitor-1", "c-1");
  c1.email = "maria@example.com";
  auto first = store_->create_conversation(c1).first;
  auto second = start("visitor-1", "c-2");
  auto c3 = new_conv("visitor-2", "c-1");
  c3.email = "maria@example.com";
  auto third = store_->create_conversation(c3).first;
  start("stranger", "c-1");

  auto history = store_->contact_history(ws_, third.contact.id, third.id);
  std::set<Id> ids;
  for (const auto& c : history) ids.insert(c.id);
  EXPECT_EQ(ids, (std::set<Id>{first.id, second.id}));
}

// ---------------------------------------------------------------- change listener

TEST_P(StoreTest, ListenerRunsAfterCommitWithTheEvent) {
  auto conv = start();
  std::vector<Change> changes;
  std::vector<bool> visible;
  store_->set_change_listener(each_change([&](const Change& c) {
    changes.push_back(c);
    // A reader on its own connection already sees the event: the write is committed.
    auto seen = store_->events_after(ws_, c.conversation.id, 0, true, 1000);
    visible.push_back(c.event && !seen.empty() && seen.back().seq == c.event->seq);
  }));
  auto r = store_->append_event(message(conv, "ping", "m-1"));
  ASSERT_EQ(changes.size(), 1u);
  ASSERT_TRUE(changes[0].event);
  EXPECT_EQ(changes[0].event->seq, r.event.seq);
  EXPECT_EQ(changes[0].event->body, "ping");
  EXPECT_EQ(changes[0].conversation.last_seq, r.event.seq);
  EXPECT_FALSE(changes[0].receipts);
  EXPECT_EQ(visible, std::vector<bool>{true});
}

TEST_P(StoreTest, ListenerSeesEveryWriteKind) {
  auto anna = make_agent(ws_, "Anna", "anna@acme.test");
  std::vector<Change> changes;
  store_->set_change_listener(each_change([&](const Change& c) { changes.push_back(c); }));
  auto conv = start();
  take(conv, anna.id);
  store_->set_status(ws_, conv.id, ConversationStatus::kClosed, {});
  store_->update_receipts(ws_, conv.id, AuthorType::kAgent, 3, 3);
  ASSERT_EQ(changes.size(), 4u);
  EXPECT_EQ(changes[0].event->seq, 1);  // the first message
  EXPECT_EQ(changes[1].conversation.assignee_id, anna.id);
  EXPECT_EQ(changes[1].event->kind, "system");
  EXPECT_EQ(changes[2].conversation.status, ConversationStatus::kClosed);
  EXPECT_TRUE(changes[3].receipts);
  EXPECT_FALSE(changes[3].event);
  EXPECT_EQ(changes[3].conversation.receipts.agent_read, 3);
}

TEST_P(StoreTest, ListenerNotCalledForDuplicatesOrUnchangedReceipts) {
  auto conv = start();
  store_->append_event(message(conv, "hi", "m-1"));
  store_->update_receipts(ws_, conv.id, AuthorType::kVisitor, 2, 2);
  int calls = 0;
  store_->set_change_listener(each_change([&](const Change&) { ++calls; }));
  EXPECT_TRUE(store_->append_event(message(conv, "hi", "m-1")).duplicate);
  EXPECT_FALSE(store_->create_conversation(new_conv("visitor-1", "c-1")).second);
  store_->update_receipts(ws_, conv.id, AuthorType::kVisitor, 1, 1);
  EXPECT_EQ(calls, 0);
}

TEST_P(StoreTest, ListenerNotCalledForFailedWrites) {
  auto anna = make_agent(ws_, "Anna", "anna@acme.test");
  auto conv = start();
  int calls = 0;
  store_->set_change_listener(each_change([&](const Change&) { ++calls; }));
  // Expects anna to hold it already: nobody does, so the conditional write fails.
  EXPECT_EQ(refusal_of(store_->claim(ws_, conv.id, anna.id, anna.id, {}, "note", {})),
            Refusal::kChangedMeanwhile);
  EXPECT_EQ(calls, 0);
}

TEST_P(StoreTest, ListenerGetsConcurrentAppendsInCommitOrder) {
  auto conv = start();
  std::mutex mu;
  std::vector<std::int64_t> order;
  store_->set_change_listener(each_change([&](const Change& c) {
    std::lock_guard lock(mu);
    if (c.event) order.push_back(c.event->seq);
  }));
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 20; ++i)
        store_->append_event(message(conv, "x", "t" + std::to_string(t) + "-" + std::to_string(i)));
    });
  for (auto& t : threads) t.join();
  std::lock_guard lock(mu);
  ASSERT_EQ(order.size(), 160u);
  for (std::size_t i = 0; i < order.size(); ++i)
    ASSERT_EQ(order[i], static_cast<std::int64_t>(i) + 2);
}

// ---------------------------------------------------------------- durability

TEST_P(StoreTest, DataSurvivesClosingAndReopening) {
  auto anna = make_agent(ws_, "Anna", "anna@acme.test");
  auto conv = start();
  store_->append_event(message(conv, "before restart", "m-1"));
  take(conv, anna.id);
  store_->save_attachment({"att-1", ws_, "photo.png", "image/png", 1234, 0});

  store_.reset();
  open();

  auto got = store_->get_conversation(ws_, conv.id);
  ASSERT_TRUE(got);
  EXPECT_EQ(got->last_seq, 3);
  EXPECT_EQ(got->assignee_id, anna.id);
  EXPECT_EQ(store_->find_agents_by_email("anna@acme.test").at(0).id, anna.id);
  EXPECT_EQ(store_->find_inbox_by_key("key-acme")->id, inbox_.id);
  auto att = store_->get_attachment(ws_, "att-1");
  ASSERT_TRUE(att);
  EXPECT_EQ(att->name, "photo.png");
  EXPECT_EQ(att->size, 1234);
  // The log continues where it stopped, and idempotency still remembers old client ids.
  EXPECT_TRUE(store_->append_event(message(conv, "before restart", "m-1")).duplicate);
  EXPECT_EQ(store_->append_event(message(conv, "after restart")).event.seq, 4);
  EXPECT_FALSE(store_->create_conversation(new_conv("visitor-1", "c-1")).second);
}

// ---------------------------------------------------------------- routing writes

TEST_P(StoreTest, ClaimIsConditionalOnAssigneeAndCapacity) {
  auto anna = make_agent(ws_, "Anna", "anna@acme.test");
  auto marek = make_agent(ws_, "Marek", "marek@acme.test");
  AgentRouting one_chat;
  one_chat.capacity = {1, 1, 10, 10, 5};
  store_->set_agent_routing(ws_, anna.id, one_chat);
  auto a = start("v-a", "c-a");
  auto b = start("v-b", "c-b");
  Author sys{AuthorType::kSystem, 0, ""};
  auto got = done(store_->claim(ws_, a.id, anna.id, std::nullopt, sys, "", {}));
  EXPECT_EQ(got.assignee_id, anna.id);
  EXPECT_EQ(refusal_of(store_->claim(ws_, b.id, anna.id, std::nullopt, sys, "", {})),
            Refusal::kAtCapacity)
      << "anna is at capacity";
  EXPECT_EQ(refusal_of(store_->claim(ws_, a.id, marek.id, std::nullopt, sys, "", {})),
            Refusal::kTakenByAnother)
      << "already taken";
  // A transfer names the current assignee; the note comes before the notice.
  Author by{AuthorType::kAgent, anna.id, "Anna"};
  auto moved =
      *store_->claim(ws_, a.id, marek.id, anna.id, by, "VIP, wants a refund",
                     {"Anna transferred the conversation to Marek", "transferred_to_agent", {}});
  EXPECT_EQ(moved.assignee_id, marek.id);
  auto log = store_->events_after(ws_, a.id, moved.last_seq - 2, true, 10);
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(log[0].kind, "note");
  EXPECT_EQ(log[0].body, "VIP, wants a refund");
  EXPECT_EQ(log[1].kind, "system");
  EXPECT_EQ(done(store_->claim(ws_, b.id, anna.id, std::nullopt, sys, "", {})).assignee_id,
            anna.id);
  auto loads = store_->agent_loads(ws_);
  ASSERT_EQ(loads.size(), 2u);
  EXPECT_EQ(loads[0].second[0] + loads[1].second[0], 2);
}

TEST_P(StoreTest, RequeueClearsTheAssigneeWithPriorityAndTeam) {
  auto anna = make_agent(ws_, "Anna", "anna@acme.test");
  auto a = start();
  Author sys{AuthorType::kSystem, 0, ""};
  done(store_->claim(ws_, a.id, anna.id, std::nullopt, sys, "", {}));
  EXPECT_EQ(refusal_of(store_->requeue(ws_, a.id, std::nullopt, 5, 2, {"x", "x", {}})),
            Refusal::kChangedMeanwhile);
  auto back =
      *store_->requeue(ws_, a.id, anna.id, 5, 2, {"Back in the queue", "returned_to_queue", {}});
  EXPECT_FALSE(back.assignee_id);
  EXPECT_EQ(back.priority, 5);
  EXPECT_EQ(back.team_id, 2);
  EXPECT_EQ(back.queued_at, a.queued_at) << "keeps its place in line";
}

TEST_P(StoreTest, ReopenedConversationKeepsItsAgentOnlyWithAFreeSlot) {
  auto anna = make_agent(ws_, "Anna", "anna@acme.test");
  AgentRouting one_chat;
  one_chat.capacity = {1, 1, 10, 10, 5};
  store_->set_agent_routing(ws_, anna.id, one_chat);
  Author sys{AuthorType::kSystem, 0, ""};
  auto a = start("v-a", "c-a");
  auto b = start("v-b", "c-b");
  done(store_->claim(ws_, a.id, anna.id, std::nullopt, sys, "", {}));
  store_->set_status(ws_, a.id, ConversationStatus::kClosed, sys);
  done(store_->claim(ws_, b.id, anna.id, std::nullopt, sys, "", {}));
  now_ += 1000;
  // The customer writes again: anna is full, so it waits for someone else.
  NewEvent again = message(a, "one more thing");
  again.only_visitor = "v-a";
  store_->append_event(again);
  auto reopened = *store_->get_conversation(ws_, a.id);
  EXPECT_EQ(reopened.status, ConversationStatus::kOpen);
  EXPECT_FALSE(reopened.assignee_id);
  EXPECT_EQ(reopened.queued_at, now_.load());
  // With a free slot the agent keeps it.
  store_->set_status(ws_, b.id, ConversationStatus::kClosed, sys);
  done(store_->claim(ws_, a.id, anna.id, std::nullopt, sys, "", {}));
  store_->set_status(ws_, a.id, ConversationStatus::kClosed, sys);
  store_->append_event(again);
  EXPECT_EQ(store_->get_conversation(ws_, a.id)->assignee_id, anna.id);
}

TEST_P(StoreTest, AgentStatusRemembersSinceWhen) {
  auto anna = make_agent(ws_, "Anna", "anna@acme.test");
  auto a = store_->set_agent_status(ws_, anna.id, AgentStatus::kOnline);
  EXPECT_EQ(a.status_since, now_.load());
  now_ += 5000;
  EXPECT_EQ(store_->set_agent_status(ws_, anna.id, AgentStatus::kOnline).status_since,
            a.status_since)
      << "same status: the clock keeps running";
  auto lunch = store_->set_agent_status(ws_, anna.id, AgentStatus::kAway, 3);
  EXPECT_EQ(lunch.custom_status, 3);
  EXPECT_EQ(lunch.status_since, now_.load());
  WorkspaceRouting w;
  w.statuses.push_back({3, "Lunch", false});
  w.skills.push_back({"lang:it", "Italian"});
  store_->set_workspace_routing(ws_, w);
  EXPECT_EQ(store_->workspace_routing(ws_).to_json(), w.to_json());
  EXPECT_TRUE(store_->workspace_routing(other_ws_).statuses.empty());
}

// Two stores on one database stand for two server processes: each has its own
// writers, so only the database's own transaction can keep the invariants.
TEST_P(StoreTest, TwoWritersOnOneDatabaseNeverBreakCapacityOrDoubleAssign) {
  auto second = db_->open();
  std::vector<Agent> agents;
  AgentRouting two;
  two.capacity = {2, 1, 10, 10, 5};
  for (int i = 0; i < 4; ++i) {
    agents.push_back(make_agent(ws_, "A" + std::to_string(i), std::to_string(i) + "@acme.test"));
    store_->set_agent_routing(ws_, agents.back().id, two);
  }
  std::vector<Conversation> convs;
  for (int i = 0; i < 30; ++i)
    convs.push_back(start("v-" + std::to_string(i), "c-" + std::to_string(i)));
  std::atomic<int> wins{0};
  std::mutex mu;
  std::map<Id, int> winners;  // conversation -> successful claims
  auto worker = [&](Store* s, int seed) {
    for (int k = 0; k < 60; ++k) {
      const auto& c = convs[static_cast<std::size_t>((seed * 7 + k * 13) % 30)];
      const auto& a = agents[static_cast<std::size_t>((seed + k) % 4)];
      if (s->claim(ws_, c.id, a.id, std::nullopt, {AuthorType::kSystem, 0, ""}, "", {})) {
        ++wins;
        std::lock_guard lock(mu);
        ++winners[c.id];
      }
    }
  };
  std::vector<std::thread> threads;
  for (int t = 0; t < 6; ++t) threads.emplace_back(worker, t % 2 ? second.get() : store_.get(), t);
  for (auto& t : threads) t.join();
  EXPECT_EQ(wins.load(), 8) << "4 agents x 2 chats, then everyone is full";
  for (const auto& [conv, n] : winners) EXPECT_EQ(n, 1) << "conversation " << conv;
  for (const auto& [agent, load] : store_->agent_loads(ws_)) EXPECT_LE(load[0], 2);
}

TEST_P(StoreTest, WorkspaceWithAdminAndInboxIsCreatedAllOrNothing) {
  Agent admin;
  admin.name = "Owner";
  admin.email = "owner@broken.test";
  admin.role = "owner";  // refused by the schema after the workspace row is written
  admin.password_hash = "x";
  Inbox inbox;
  inbox.name = "Broken";
  inbox.public_key = "key-broken";
  EXPECT_THROW(store_->create_workspace("Broken Co", admin, inbox), StoreError);
  EXPECT_FALSE(store_->find_workspace_by_slug("broken-co"));
  EXPECT_FALSE(store_->find_inbox_by_key("key-broken"));

  admin.role = "admin";
  auto made = store_->create_workspace("Broken Co", admin, inbox);
  EXPECT_EQ(made.admin.workspace_id, made.workspace_id);
  EXPECT_EQ(made.inbox.workspace_id, made.workspace_id);
  EXPECT_EQ(store_->find_workspace_by_slug("broken-co")->id, made.workspace_id);
}

// SQLite reuses its WAL only once everything in it was copied back; under a
// steady stream of writes that never happens by itself, and the WAL grew by all
// that was written (hundreds of MB under mail ingest). It must stay near its
// restart length (64 MiB) however much goes through it.
TEST_P(StoreTest, TheWalStaysShortUnderASteadyStreamOfWrites) {
  if (db_->postgres()) GTEST_SKIP() << "SQLite's write-ahead log";
  auto conv = start("v-wal", "c-wal");
  const std::string big(256 << 10, 'x');
  std::vector<std::thread> writers;
  for (int t = 0; t < 2; ++t)
    writers.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i) {  // 2 x 200 x 256 KiB: 100 MiB in all
        auto e = message(conv, big, "w" + std::to_string(t) + "-" + std::to_string(i));
        e.kind = "system";  // not indexed for search: the test is about the WAL
        store_->append_event(e);
      }
    });
  for (auto& w : writers) w.join();
  auto wal = fs::file_size(db_->sqlite_path() + "-wal");
  EXPECT_LT(wal, std::uintmax_t{80} << 20) << "WAL of " << (wal >> 20) << " MiB";
}

}  // namespace
}  // namespace sb

namespace sb {
namespace {

// ------------------------------------------------------------ knowledge base

KbArticle article(Id ws, const std::string& slug, const std::string& lang) {
  KbArticle a;
  a.workspace_id = ws;
  a.slug = slug;
  a.language = lang;
  a.title = "Title " + slug;
  a.body = "Body";
  return a;
}

TEST_P(StoreTest, WorkspacesGetUniqueHelpCenterSlugsFromTheirNames) {
  EXPECT_EQ(store_->get_workspace(ws_)->slug, "acme");
  Id again = store_->create_workspace("ACME!");
  EXPECT_EQ(store_->get_workspace(again)->slug, "acme-2");
  EXPECT_EQ(store_->find_workspace_by_slug("globex")->id, other_ws_);
  EXPECT_EQ(refusal_of(store_->set_workspace_slug(ws_, "globex")), Refusal::kSlugTaken);
}

TEST_P(StoreTest, EveryKnowledgeBaseWriteMovesTheRevision) {
  auto r0 = store_->kb_revision(ws_);
  auto a = store_->save_kb_article(article(ws_, "returns", "en"));
  auto r1 = store_->kb_revision(ws_);
  EXPECT_GT(r1, r0);
  a.title = "Returns";
  store_->save_kb_article(a);
  EXPECT_GT(store_->kb_revision(ws_), r1);
  EXPECT_EQ(store_->kb_revision(other_ws_), 0);
  EXPECT_EQ(error_of([&] { store_->save_kb_article(article(ws_, "returns", "en")); }),
            Code::kConflict);
  EXPECT_EQ(error_of([&] { store_->delete_kb_article(other_ws_, a.id); }), Code::kNotFound);
}

TEST_P(StoreTest, ImportUpsertsByNaturalKeysAndReplaceDeletesTheRest) {
  KbContent c;
  c.articles = {article(ws_, "a", "en"), article(ws_, "a", "it"), article(ws_, "b", "en")};
  EXPECT_EQ(store_->import_kb(ws_, c, false).articles, 3);
  c.articles[0].title = "New title";
  store_->import_kb(ws_, c, false);
  auto now = store_->kb_content(ws_);
  ASSERT_EQ(now.articles.size(), 3u);
  EXPECT_EQ(std::count_if(now.articles.begin(), now.articles.end(),
                          [](const KbArticle& a) { return a.title == "New title"; }),
            1);
  c.articles.pop_back();
  store_->import_kb(ws_, c, true);
  EXPECT_EQ(store_->kb_content(ws_).articles.size(), 2u);
  EXPECT_TRUE(store_->kb_content(other_ws_).articles.empty());
}

TEST_P(StoreTest, AVoteIsOnePerReaderAndDeflectionOutcomesAreSetOnce) {
  auto a = store_->save_kb_article(article(ws_, "pay", "en"));
  store_->vote_kb_article(ws_, a.id, "reader-1", true);
  store_->vote_kb_article(ws_, a.id, "reader-1", false);
  auto counted = store_->vote_kb_article(ws_, a.id, "reader-2", false);
  EXPECT_EQ(counted.helpful, 0);
  EXPECT_EQ(counted.not_helpful, 2);
  EXPECT_EQ(error_of([&] { store_->vote_kb_article(other_ws_, a.id, "x", true); }),
            Code::kNotFound);

  Id d = store_->record_deflection(ws_, "help_center", "how to pay", {a.id});
  store_->set_deflection_outcome(ws_, d, "helped");
  EXPECT_EQ(error_of([&] { store_->set_deflection_outcome(ws_, d, "continued"); }),
            Code::kConflict);
  EXPECT_EQ(error_of([&] { store_->set_deflection_outcome(other_ws_, d, "helped"); }),
            Code::kNotFound);
  auto stats = store_->deflection_stats(ws_, 0);
  EXPECT_EQ(stats.shown, 1);
  EXPECT_EQ(stats.helped, 1);
}

TEST_P(StoreTest, UnansweredQuestionsGroupByTextAndCanBeDismissed) {
  auto c = start();
  for (auto text : {"Do you ship to Mars?", "do you ship to mars? ", "Gift wrap?"})
    store_->record_bot_question({0, ws_, c.id, "en", text, "unanswered", "", 0, 0});
  store_->record_bot_question(
      {0, ws_, c.id, "en", "How to pay?", "answered", "intent:pay", 0.9, 0});
  auto list = store_->unanswered_questions(ws_, 0, 10);
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0].count, 2);
  EXPECT_EQ(list[0].last_conversation_id, c.id);
  store_->dismiss_unanswered(ws_, "DO YOU SHIP TO MARS?");
  EXPECT_EQ(store_->unanswered_questions(ws_, 0, 10).size(), 1u);
  EXPECT_TRUE(store_->unanswered_questions(other_ws_, 0, 10).empty());
}

TEST_P(StoreTest, TriageWritesItsTypedStateAndBumpsTheVersion) {
  auto c = start();
  auto lang = store_->set_detected_language(ws_, c.id, "pl");
  EXPECT_EQ(lang.detected_language, "pl");
  EXPECT_EQ(lang.version, c.version + 1);
  EXPECT_EQ(lang.meta, c.meta);  // meta keeps only what the widget sent

  auto flagged = store_->flag_emotional_peak(ws_, c.id, {0.75, {"swearing", "caps"}, 42}, 20);
  ASSERT_TRUE(flagged.emotion_peak);
  EXPECT_EQ(flagged.emotion_peak->score, 0.75);
  EXPECT_EQ(flagged.emotion_peak->reasons, (std::vector<std::string>{"swearing", "caps"}));
  EXPECT_EQ(flagged.emotion_peak->at, 42);
  EXPECT_EQ(flagged.priority, c.priority + 20);

  auto active = store_->set_bot_state(ws_, c.id, {BotPhase::kActive, "", std::nullopt}, false);
  EXPECT_TRUE(active.bot_active());
  EXPECT_EQ(active.queued_at, c.queued_at);
  now_ += 5000;
  auto handed =
      store_->set_bot_state(ws_, c.id, {BotPhase::kHandedOff, "asked_for_human", 7}, true);
  EXPECT_FALSE(handed.bot_active());
  EXPECT_EQ(handed.bot.phase, BotPhase::kHandedOff);
  EXPECT_EQ(handed.bot.reason, "asked_for_human");
  EXPECT_EQ(handed.bot.at, 7);
  EXPECT_GT(handed.queued_at, c.queued_at);  // back to the queue's tail
  auto again = *store_->get_conversation(ws_, c.id);
  EXPECT_EQ(again.detected_language, "pl");
  EXPECT_TRUE(again.emotional_peak());
  EXPECT_EQ(again.bot.reason, "asked_for_human");
  EXPECT_EQ(error_of([&] { store_->set_detected_language(other_ws_, c.id, "en"); }),
            Code::kNotFound);
}

TEST(ConversationTriageState, OneRuleForTheCustomersLanguageBotAndFlag) {
  Conversation c;
  c.language = "it";  // the browser's
  EXPECT_EQ(c.customer_language(), "it");
  c.detected_language = "pl";
  EXPECT_EQ(c.customer_language(), "pl");
  EXPECT_FALSE(c.bot_active());
  c.bot.phase = BotPhase::kActive;
  EXPECT_TRUE(c.bot_active());
  c.bot.phase = BotPhase::kHandedOff;
  EXPECT_FALSE(c.bot_active());
  EXPECT_FALSE(c.emotional_peak());
  c.emotion_peak = EmotionPeak{};
  EXPECT_TRUE(c.emotional_peak());
}

TEST_P(StoreTest, OpenForRoutingHasWhatRoutingReadsOfOpenConversationsOnly) {
  auto anna = make_agent(ws_, "Anna", "anna@acme.test");
  auto waiting = start("visitor-1", "c-1");
  auto taken = start("visitor-2", "c-2");
  auto closed = start("visitor-3", "c-3");
  take(taken, anna.id);
  store_->set_status(ws_, closed.id, ConversationStatus::kClosed, {});
  store_->set_detected_language(ws_, waiting.id, "pl");
  store_->flag_emotional_peak(ws_, waiting.id, {1, {"swearing"}, 0}, 7);
  store_->set_bot_state(ws_, taken.id, {BotPhase::kActive, "", std::nullopt}, false);

  auto rows = store_->open_for_routing(ws_);
  ASSERT_EQ(rows.size(), 2u);
  for (const auto& r : rows) {
    auto full = *store_->get_conversation(ws_, r.id);
    EXPECT_NE(r.id, closed.id);
    EXPECT_EQ(r.workspace_id, full.workspace_id);
    EXPECT_EQ(r.inbox_id, full.inbox_id);
    EXPECT_EQ(r.kind, full.kind);
    EXPECT_EQ(r.assignee_id, full.assignee_id);
    EXPECT_EQ(r.version, full.version);
    EXPECT_EQ(r.priority, full.priority);
    EXPECT_EQ(r.team_id, full.team_id);
    EXPECT_EQ(r.queued_at, full.queued_at);
    EXPECT_EQ(r.updated_at, full.updated_at);
    EXPECT_EQ(r.meta, full.meta);
    EXPECT_EQ(r.detected_language, full.detected_language);
    EXPECT_EQ(r.bot_active(), full.bot_active());
  }
  auto w = std::find_if(rows.begin(), rows.end(), [&](auto& r) { return r.id == waiting.id; });
  ASSERT_NE(w, rows.end());
  EXPECT_EQ(w->priority, 7);
  EXPECT_EQ(w->customer_language(), "pl");
  EXPECT_TRUE(store_->open_for_routing(ws_ + 1000).empty());  // another workspace's: none
}

SB_STORE_BACKENDS(StoreTest);

}  // namespace
}  // namespace sb
