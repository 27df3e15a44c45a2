// The routing lease on a real SQLite file shared by two stores, as two nodes
// share it: one holder at a time, renewal, takeover after expiry with a new
// fencing token, release, and a stale holder's claim refused by the database.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <atomic>
#include <filesystem>

#include "acd/acd.h"
#include "env/env.h"
#include "realtime/realtime.h"
#include "store/store.h"

namespace sb {
namespace {

namespace fs = std::filesystem;

constexpr Millis kTtl = 3'000;

class LeaseTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "sb-lease-test-XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    a_ = open();
    b_ = open();
    ws_ = a_->create_workspace("Acme");
    other_ws_ = a_->create_workspace("Globex");
    Inbox i;
    i.workspace_id = ws_;
    i.name = "Support";
    i.public_key = "k-acme";
    inbox_ = a_->create_inbox(i).id;
    Agent agent;
    agent.workspace_id = ws_;
    agent.name = "Anna";
    agent.email = "anna@acme.test";
    agent.role = "agent";
    agent.password_hash = "hash";
    auto made = a_->create_agent(agent);
    ASSERT_TRUE(made);
    agent_ = made->id;
  }

  void TearDown() override {
    a_.reset();
    b_.reset();
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  std::unique_ptr<Store> open() {
    SqliteOptions o;
    o.path = (dir_ / "switchboard.db").string();
    o.clock = [this] { return now_.load(); };
    return open_sqlite_store(o);
  }

  Conversation start(const std::string& visitor) {
    NewConversation c;
    c.workspace_id = ws_;
    c.inbox_id = inbox_;
    c.visitor_id = visitor;
    c.client_id = visitor;
    c.name = "Maria";
    c.first_message = "Hello";
    return a_->create_conversation(c).first;
  }

  Outcome<Conversation> claim(Store& s, const Conversation& c, std::int64_t fence) {
    return s.claim(ws_, c.id, agent_, std::nullopt, {AuthorType::kSystem, 0, ""}, "", {}, fence);
  }

  fs::path dir_;
  std::atomic<Millis> now_{1'000'000};
  std::unique_ptr<Store> a_, b_;
  Id ws_ = 0, other_ws_ = 0, inbox_ = 0, agent_ = 0;
};

TEST_F(LeaseTest, OneHolderAtATimeAndATakeoverBumpsTheToken) {
  auto first = a_->take_routing_lease(ws_, "node-a", kTtl);
  ASSERT_TRUE(first);
  EXPECT_FALSE(b_->take_routing_lease(ws_, "node-b", kTtl)) << "held and not expired";
  now_ += kTtl - 1;
  EXPECT_EQ(a_->take_routing_lease(ws_, "node-a", kTtl), first) << "renewed: same token";
  now_ += kTtl - 1;
  EXPECT_FALSE(b_->take_routing_lease(ws_, "node-b", kTtl)) << "the renewal moved the expiry";
  now_ += 2;  // node-a stopped renewing: its lease lapsed
  auto second = b_->take_routing_lease(ws_, "node-b", kTtl);
  ASSERT_TRUE(second);
  EXPECT_GT(*second, *first);
  EXPECT_FALSE(a_->take_routing_lease(ws_, "node-a", kTtl)) << "the old holder cannot renew";
}

TEST_F(LeaseTest, AStaleHoldersClaimIsRefusedAndTheHoldersSucceeds) {
  auto stale = *a_->take_routing_lease(ws_, "node-a", kTtl);
  now_ += kTtl;
  auto current = *b_->take_routing_lease(ws_, "node-b", kTtl);
  auto conv = start("v-1");
  auto refused = claim(*a_, conv, stale);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.refused().why, Refusal::kFenced);
  EXPECT_FALSE(a_->get_conversation(ws_, conv.id)->assignee_id) << "nothing changed";
  auto won = claim(*b_, conv, current);
  ASSERT_TRUE(won) << won.refused().reason;
  EXPECT_EQ(won->assignee_id, agent_);
}

TEST_F(LeaseTest, ReleaseLetsAnotherTakeOverAtOnce) {
  auto first = *a_->take_routing_lease(ws_, "node-a", kTtl);
  b_->release_routing_lease(ws_, "node-b");  // not the holder: nothing happens
  EXPECT_FALSE(b_->take_routing_lease(ws_, "node-b", kTtl));
  a_->release_routing_lease(ws_, "node-a");
  auto second = b_->take_routing_lease(ws_, "node-b", kTtl);
  ASSERT_TRUE(second);
  EXPECT_GT(*second, first);
}

TEST_F(LeaseTest, WorkspacesHaveTheirOwnLeases) {
  ASSERT_TRUE(a_->take_routing_lease(ws_, "node-a", kTtl));
  EXPECT_TRUE(b_->take_routing_lease(other_ws_, "node-b", kTtl));
  EXPECT_FALSE(a_->take_routing_lease(other_ws_, "node-a", kTtl));
}

// What the SLA timer, the pollers and the outbox sender ask before acting: a
// dispatcher leads a workspace while its lease is its own, by its own clock.
TEST_F(LeaseTest, ADispatcherLeadsWhileItHoldsTheLease) {
  TestEnv env(now_.load());
  Hub hub;
  DispatcherOptions o;
  o.manual = true;
  o.lease_ttl_ms = kTtl;
  o.lease_holder = "node-a";
  Dispatcher a(*a_, *a_, *a_, hub, env, o);
  o.lease_holder = "node-b";
  Dispatcher b(*b_, *b_, *b_, hub, env, o);
  EXPECT_FALSE(a.leads(ws_)) << "asked first: followed from now on, the lease tried";
  a.drain();
  EXPECT_TRUE(a.leads(ws_));
  EXPECT_FALSE(b.leads(ws_));
  b.drain();
  EXPECT_FALSE(b.leads(ws_)) << "held by node-a";
  EXPECT_FALSE(a.leads(other_ws_)) << "each workspace has its own lease";
  now_ += kTtl;  // node-a stopped renewing
  env.set_now(now_.load());
  EXPECT_FALSE(a.leads(ws_)) << "lapsed by its own clock";
  b.tick();
  EXPECT_TRUE(b.leads(ws_));
  a.tick();
  EXPECT_FALSE(a.leads(ws_));

  DispatcherOptions alone;
  alone.manual = true;
  Dispatcher c(*a_, *a_, *a_, hub, env, alone);
  EXPECT_TRUE(c.leads(ws_)) << "a single node leads every workspace";
}

}  // namespace
}  // namespace sb
