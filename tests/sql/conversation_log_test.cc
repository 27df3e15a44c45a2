// The conversation-log prototype on both backends: gap-free seq, idempotent
// client ids, conditional claims and workspace scoping, alone and with several
// connections (threads, then processes) writing at once.
#include "sql/conversation_log.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <latch>
#include <set>
#include <thread>

#include "test_db.h"

namespace sb::sqltest {
namespace {

using namespace sql::log;
using sql::Statement;

std::int64_t insert_id(sql::Connection& c, const std::string& sql,
                       const std::function<void(Statement&)>& bind) {
  Statement q(c, sql + " RETURNING id");
  bind(q);
  if (!q.step()) throw std::runtime_error("no id from: " + sql);
  return q.int64(0);
}

std::int64_t count(sql::Connection& c, const std::string& sql, std::int64_t arg) {
  Statement q(c, sql);
  q.bind(1, arg).step();
  return q.int64(0);
}

// A workspace with an inbox, a contact and agents, in rows as the store writes them.
struct Workspace {
  std::int64_t id = 0, inbox = 0, contact = 0;
  std::vector<std::int64_t> agents;
};

Workspace seed(sql::Connection& c, const std::string& name, int agents) {
  Workspace w;
  w.id = insert_id(c, "INSERT INTO workspace (name, created_at, slug) VALUES (?, 0, ?)",
                   [&](Statement& q) { q.bind(1, name).bind(2, name); });
  w.inbox = insert_id(c,
                      "INSERT INTO inbox (workspace_id, name, public_key, timezone, "
                      "business_hours, widget, prechat_fields, topics, created_at) "
                      "VALUES (?, 'Web', ?, 'UTC', '{}', '{}', '[]', '[]', 0)",
                      [&](Statement& q) { q.bind(1, w.id).bind(2, "key-" + name); });
  w.contact = insert_id(c, "INSERT INTO contact (workspace_id, name, created_at) VALUES (?, ?, 0)",
                        [&](Statement& q) { q.bind(1, w.id).bind(2, "Customer"); });
  for (int i = 0; i < agents; ++i)
    w.agents.push_back(insert_id(c,
                                 "INSERT INTO agent (workspace_id, name, email, password_hash, "
                                 "role, created_at) VALUES (?, ?, ?, '', 'agent', 0)",
                                 [&](Statement& q) {
                                   auto who = name + "-agent" + std::to_string(i);
                                   q.bind(1, w.id).bind(2, who).bind(3, who + "@example.com");
                                 }));
  return w;
}

class ConversationLog : public BackendTest {
 protected:
  void SetUp() override {
    db_.create_core_schema();
    conn_ = db_.connect();
    ws_ = seed(c(), "acme", 8);
    other_ = seed(c(), "other", 1);
  }
  sql::Connection& c() { return *conn_; }

  std::int64_t conversation(const std::string& client_id, const Workspace& w) {
    return create_conversation(c(), {w.id, w.inbox, w.contact, "visitor-1", client_id, "chat"}, 1)
        .first;
  }
  std::int64_t conversation(const std::string& client_id) { return conversation(client_id, ws_); }

  NewEvent message(std::int64_t conv, std::string body, std::string client_id = "") {
    return {ws_.id,      conv,       "message",       "visitor",
            ws_.contact, "Customer", std::move(body), std::move(client_id)};
  }

  // Every seq 1..n once, in order, and the conversation's last_seq is n.
  void expect_gap_free(std::int64_t conv, std::int64_t n) {
    auto events = events_after(c(), ws_.id, conv, 0, 1000000);
    ASSERT_EQ(static_cast<std::int64_t>(events.size()), n);
    for (std::int64_t i = 0; i < n; ++i) ASSERT_EQ(events[i].seq, i + 1) << "at " << i;
    EXPECT_EQ(routing_of(c(), ws_.id, conv)->last_seq, n);
  }

  Conn conn_;
  Workspace ws_, other_;
};

TEST_P(ConversationLog, AppendsNumberEachConversationFromOne) {
  auto a = conversation("a"), b = conversation("b");
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(append_event(c(), message(a, "a" + std::to_string(i)), 10 + i).event.seq, i + 1);
    EXPECT_EQ(append_event(c(), message(b, "b" + std::to_string(i)), 10 + i).event.seq, i + 1);
  }
  auto note = message(a, "agents only");
  note.kind = "note";
  EXPECT_EQ(append_event(c(), note, 20).event.seq, 4);
  expect_gap_free(a, 4);
  auto after = events_after(c(), ws_.id, a, 2, 10);
  ASSERT_EQ(after.size(), 2u);
  EXPECT_EQ(after[0].body, "a2");
  EXPECT_EQ(after[1].kind, "note");
  // The note moved last_seq but not last_message_seq.
  EXPECT_EQ(count(c(), "SELECT last_message_seq FROM conversation WHERE id = ?", a), 3);
}

TEST_P(ConversationLog, AClientIdIsStoredOnce) {
  auto conv = conversation("a");
  auto first = append_event(c(), message(conv, "hello", "cid-1"), 10);
  EXPECT_FALSE(first.duplicate);
  auto again = append_event(c(), message(conv, "hello (resent)", "cid-1"), 11);
  EXPECT_TRUE(again.duplicate);
  EXPECT_EQ(again.event.id, first.event.id);
  EXPECT_EQ(again.event.seq, 1);
  EXPECT_EQ(again.event.body, "hello");
  // The retry took no seq; another conversation may use the same client id.
  EXPECT_EQ(append_event(c(), message(conv, "next", "cid-2"), 12).event.seq, 2);
  EXPECT_FALSE(append_event(c(), message(conversation("b"), "x", "cid-1"), 13).duplicate);
  expect_gap_free(conv, 2);
}

TEST_P(ConversationLog, CreatingAConversationTwiceFindsTheFirst) {
  auto [id, created] =
      create_conversation(c(), {ws_.id, ws_.inbox, ws_.contact, "visitor-1", "c1", "chat"}, 1);
  EXPECT_TRUE(created);
  auto [again, created_again] =
      create_conversation(c(), {ws_.id, ws_.inbox, ws_.contact, "visitor-1", "c1", "chat"}, 2);
  EXPECT_EQ(again, id);
  EXPECT_FALSE(created_again);
}

TEST_P(ConversationLog, AnotherWorkspacesRowsAreNotFound) {
  auto conv = conversation("a");
  append_event(c(), message(conv, "secret"), 1);
  auto foreign = message(conv, "intrusion");
  foreign.workspace_id = other_.id;
  EXPECT_THROW(append_event(c(), foreign, 2), NotFound);
  EXPECT_TRUE(events_after(c(), other_.id, conv, 0, 100).empty());
  EXPECT_FALSE(routing_of(c(), other_.id, conv));
  EXPECT_THROW(claim(c(), other_.id, conv, other_.agents[0], std::nullopt, 1, 5, 3), NotFound);
  // Their agent in our conversation, our agent with their workspace id.
  EXPECT_THROW(claim(c(), ws_.id, conv, other_.agents[0], std::nullopt, 1, 5, 3), NotFound);
  EXPECT_THROW(create_conversation(c(), {other_.id, ws_.inbox, ws_.contact, "v", "x", "chat"}, 1),
               NotFound);
  expect_gap_free(conv, 1);
}

TEST_P(ConversationLog, AClaimIsAConditionalWrite) {
  auto conv = conversation("a");
  auto agent = ws_.agents[0], rival = ws_.agents[1];
  auto r = routing_of(c(), ws_.id, conv);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->version, 1);
  // A stale reader (an old version) loses, and changes nothing.
  EXPECT_EQ(claim(c(), ws_.id, conv, agent, std::nullopt, 0, 5, 2).outcome,
            ClaimOutcome::kChangedMeanwhile);
  auto won = claim(c(), ws_.id, conv, agent, std::nullopt, 1, 5, 2);
  ASSERT_EQ(won.outcome, ClaimOutcome::kClaimed);
  EXPECT_EQ(won.version, 2);
  ASSERT_TRUE(won.event);
  EXPECT_EQ(won.event->kind, "system");
  EXPECT_EQ(won.event->seq, 1);
  EXPECT_EQ(claim(c(), ws_.id, conv, agent, std::nullopt, 2, 5, 3).outcome,
            ClaimOutcome::kAlreadyAssigned);
  EXPECT_EQ(claim(c(), ws_.id, conv, rival, std::nullopt, 2, 5, 3).outcome,
            ClaimOutcome::kTakenByAnother);
  // A transfer names the holder it expects.
  EXPECT_EQ(claim(c(), ws_.id, conv, rival, agent, 2, 5, 3).outcome, ClaimOutcome::kClaimed);
  EXPECT_EQ(routing_of(c(), ws_.id, conv)->assignee_id, rival);
  Statement(c(), "UPDATE conversation SET status = 'closed' WHERE id = ?").bind(1, conv).run();
  EXPECT_EQ(claim(c(), ws_.id, conv, agent, rival, 3, 5, 4).outcome, ClaimOutcome::kClosed);
  expect_gap_free(conv, 2);
}

TEST_P(ConversationLog, AClaimRespectsTheAgentsCapacity) {
  auto agent = ws_.agents[0];
  auto a = conversation("a"), b = conversation("b");
  EXPECT_EQ(claim(c(), ws_.id, a, agent, std::nullopt, 1, 1, 2).outcome, ClaimOutcome::kClaimed);
  EXPECT_EQ(claim(c(), ws_.id, b, agent, std::nullopt, 1, 1, 2).outcome, ClaimOutcome::kAtCapacity);
  EXPECT_EQ(claim(c(), ws_.id, b, agent, std::nullopt, 1, 2, 2).outcome, ClaimOutcome::kClaimed);
}

// Threads, each on its own connection, append to one conversation; some resend
// client ids others also send. Every seq is used once, none is skipped, and
// each client id is stored once.
TEST_P(ConversationLog, ConcurrentAppendsAreGapFreeAndIdempotent) {
  constexpr int kThreads = 6, kEach = 40, kShared = 15;
  auto conv = conversation("a");
  std::vector<std::thread> threads;
  std::atomic<int> duplicates{0}, failures{0};
  std::latch ready(kThreads);
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      Conn conn;
      try {
        conn = db_.connect();
      } catch (const std::exception& e) {
        ADD_FAILURE() << "thread " << t << ": " << e.what();
        ++failures;
      }
      ready.arrive_and_wait();  // all start together, to collide
      if (!conn.c) return;
      try {
        for (int i = 0; i < kEach; ++i) {
          auto own = "t" + std::to_string(t) + "-" + std::to_string(i);
          append_event(*conn, message(conv, own, own), i);
          // Every thread resends the same shared ids, as retrying clients do.
          if (i < kShared) {
            auto shared = "shared-" + std::to_string(i);
            duplicates += append_event(*conn, message(conv, shared, shared), i).duplicate;
          }
        }
      } catch (const std::exception& e) {
        ADD_FAILURE() << "thread " << t << ": " << e.what();
        ++failures;
      }
    });
  for (auto& t : threads) t.join();
  ASSERT_EQ(failures, 0);
  const int stored = kThreads * kEach + kShared;
  EXPECT_EQ(duplicates, (kThreads - 1) * kShared);
  expect_gap_free(conv, stored);
  std::set<std::string> ids;
  for (const auto& e : events_after(c(), ws_.id, conv, 0, stored)) ids.insert(e.client_id);
  EXPECT_EQ(static_cast<int>(ids.size()), stored);
}

// Several routers (threads) offer one conversation to their own agent at once,
// each having read the same version: exactly one wins, the others are refused,
// and the log has exactly one "joined" notice.
TEST_P(ConversationLog, RacingClaimsHaveExactlyOneWinner) {
  constexpr int kRounds = 12, kRouters = 6;
  for (int round = 0; round < kRounds; ++round) {
    auto conv = conversation("race-" + std::to_string(round));
    std::vector<ClaimOutcome> outcomes(kRouters);
    std::latch ready(kRouters);
    std::vector<std::thread> threads;
    for (int r = 0; r < kRouters; ++r)
      threads.emplace_back([&, r] {
        auto conn = db_.connect();
        ready.arrive_and_wait();
        outcomes[r] =
            claim(*conn, ws_.id, conv, ws_.agents[r], std::nullopt, 1, 100, round).outcome;
      });
    for (auto& t : threads) t.join();
    int won = 0;
    std::optional<std::int64_t> winner;
    for (int r = 0; r < kRouters; ++r) {
      if (outcomes[r] == ClaimOutcome::kClaimed) {
        ++won;
        winner = ws_.agents[r];
      } else {
        EXPECT_TRUE(outcomes[r] == ClaimOutcome::kChangedMeanwhile ||
                    outcomes[r] == ClaimOutcome::kTakenByAnother)
            << "router " << r << " outcome " << static_cast<int>(outcomes[r]);
      }
    }
    ASSERT_EQ(won, 1) << "round " << round;
    auto r = routing_of(c(), ws_.id, conv);
    EXPECT_EQ(r->assignee_id, winner);
    EXPECT_EQ(r->version, 2);
    expect_gap_free(conv, 1);
  }
}

// One agent with three free slots, ten conversations claimed for them at once
// (routers on different nodes): exactly three claims win. Each round another agent.
TEST_P(ConversationLog, RacingClaimsNeverExceedCapacity) {
  constexpr int kConversations = 10, kCapacity = 3;
  for (std::size_t round = 0; round < ws_.agents.size(); ++round) {
    auto agent = ws_.agents[round];
    std::vector<std::int64_t> convs;
    for (int i = 0; i < kConversations; ++i)
      convs.push_back(conversation("r" + std::to_string(round) + "c" + std::to_string(i)));
    std::vector<ClaimOutcome> outcomes(kConversations);
    std::latch ready(kConversations);
    std::vector<std::thread> threads;
    for (int i = 0; i < kConversations; ++i)
      threads.emplace_back([&, i] {
        auto conn = db_.connect();
        ready.arrive_and_wait();
        outcomes[i] = claim(*conn, ws_.id, convs[i], agent, std::nullopt, 1, kCapacity, 5).outcome;
      });
    for (auto& t : threads) t.join();
    int won = 0;
    for (auto o : outcomes) {
      won += o == ClaimOutcome::kClaimed;
      if (o != ClaimOutcome::kClaimed) {
        EXPECT_EQ(o, ClaimOutcome::kAtCapacity);
      }
    }
    EXPECT_EQ(won, kCapacity) << "round " << round;
    Statement load(c(),
                   "SELECT COUNT(*) FROM conversation WHERE assignee_id = ? AND status = 'open'");
    ASSERT_TRUE(load.bind(1, agent).step());
    EXPECT_EQ(load.int64(0), kCapacity);
  }
}

TEST_P(ConversationLog, ConcurrentCreatesOfOneConversationMakeOne) {
  constexpr int kThreads = 6;
  std::vector<std::pair<std::int64_t, bool>> results(kThreads);
  std::latch ready(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      auto conn = db_.connect();
      ready.arrive_and_wait();
      results[t] = create_conversation(
          *conn, {ws_.id, ws_.inbox, ws_.contact, "visitor-9", "same", "chat"}, t);
    });
  for (auto& t : threads) t.join();
  int created = 0;
  for (const auto& [id, made] : results) {
    EXPECT_EQ(id, results[0].first);
    created += made;
  }
  EXPECT_EQ(created, 1);
}

// The same with processes, as nodes of a cluster are: each child opens its own
// connection after fork() and appends; the parent checks the log.
TEST_P(ConversationLog, ProcessesAppendingTogetherLeaveNoGaps) {
  constexpr int kProcesses = 4, kEach = 30;
  auto conv = conversation("procs");
  std::vector<pid_t> children;
  for (int p = 0; p < kProcesses; ++p) {
    pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      int status = 0;
      try {
        auto conn = db_.connect();
        for (int i = 0; i < kEach; ++i) {
          auto id = "p" + std::to_string(p) + "-" + std::to_string(i);
          append_event(*conn, message(conv, id, id), i);
          append_event(*conn, message(conv, id, id), i);  // a resend
        }
      } catch (...) {
        status = 1;
      }
      ::_exit(status);  // no gtest teardown, no atexit handlers in the child
    }
    children.push_back(pid);
  }
  for (pid_t pid : children) {
    int status = 0;
    ASSERT_EQ(::waitpid(pid, &status, 0), pid);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "a child failed";
  }
  expect_gap_free(conv, kProcesses * kEach);
}

SB_ON_BOTH_BACKENDS(ConversationLog);

}  // namespace
}  // namespace sb::sqltest
