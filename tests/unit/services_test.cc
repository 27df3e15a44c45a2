// api/'s services built from store facets and a clock alone, without a server:
// a session ends when the clock passes its expiry, unsafe calls need the CSRF
// token, and a visitor's messages are checked, rate-limited and counted.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>

#include "api/api.h"
#include "env/env.h"

namespace sb {
namespace {

namespace fs = std::filesystem;
constexpr Millis kStart = 1'800'000'000'000, kHour = 3'600'000;

class Services : public ::testing::Test {
 protected:
  void SetUp() override {
    security::init();
    std::string tmpl = (fs::temp_directory_path() / "sb-services-test-XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    SqliteOptions o;
    o.path = (dir_ / "switchboard.db").string();
    o.clock = clock_;
    store_ = open_sqlite_store(o);
    keys_ = std::make_unique<VisitorKeys>(env_, dir_.string(), 24 * kHour, env_.now_ms());
    ws_ = store_->create_workspace("Acme");
    Agent a;
    a.workspace_id = ws_;
    a.name = "Ada";
    a.email = "ada@example.com";
    a.role = "agent";
    a.password_hash = "hash";
    agent_ = *store_->create_agent(a);
    AgentSession s{agent_.id,     ws_,         "csrf-1", env_.now_ms() + kHour,
                   env_.now_ms(), "127.0.0.1", "test"};
    store_->create_session(security::sha256_hex("secret"), s);
  }

  void TearDown() override {
    store_.reset();
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  // A request of the signed-in agent: the session cookie, and the CSRF token if given.
  http::Request agent_request(std::string method, const std::string& csrf) {
    http::Request req;
    req.method = std::move(method);
    req.headers["cookie"] = std::string(kSessionCookie) + "=secret";
    if (!csrf.empty()) req.headers["x-csrf-token"] = csrf;
    return req;
  }

  TestEnv env_{kStart};
  ClockFn clock_ = [this] { return env_.now_ms(); };
  fs::path dir_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<VisitorKeys> keys_;
  Id ws_ = 0;
  Agent agent_;
};

TEST_F(Services, AuthenticatorFollowsTheClockAndWantsTheCsrfToken) {
  Authenticator auth(*store_, *store_, *keys_, clock_);
  EXPECT_EQ(auth.require_agent(agent_request("GET", "")).agent_id, agent_.id);
  EXPECT_EQ(auth.require_agent(agent_request("POST", "csrf-1")).agent_id, agent_.id);
  try {
    auth.require_agent(agent_request("POST", ""));
    FAIL() << "an unsafe call without the CSRF token passed";
  } catch (const HttpError& e) {
    EXPECT_EQ(e.code, "csrf");
  }
  auto req = agent_request("GET", "");
  env_.advance(2 * kHour);  // past the session's expiry
  EXPECT_FALSE(auth.agent_from_cookie(req));
}

TEST_F(Services, AuthenticatorVerifiesVisitorTokensByTheClock) {
  Authenticator auth(*store_, *store_, *keys_, clock_);
  auto token = keys_->issue(ws_, "visitor-1", env_.now_ms());
  auto v = auth.visitor_from_token(token);
  ASSERT_TRUE(v);
  EXPECT_EQ(v->visitor_id, "visitor-1");
  EXPECT_FALSE(auth.visitor_from_token(token + "x"));
  env_.advance(25 * kHour);  // past the token's lifetime
  EXPECT_FALSE(auth.visitor_from_token(token));
}

TEST_F(Services, MessagingChecksLimitsAndCountsVisitorMessages) {
  Inbox inbox;
  inbox.workspace_id = ws_;
  inbox.name = "Support";
  inbox.public_key = "k-1";
  NewConversation c;
  c.workspace_id = ws_;
  c.inbox_id = store_->create_inbox(inbox).id;
  c.visitor_id = "visitor-1";
  c.client_id = "c-1";
  auto conv = store_->create_conversation(c).first;

  AbuseLimits limits;
  limits.messages_per_visitor = {60, 1};  // one at once, then one a second
  Abuse abuse(limits);
  Metrics metrics;
  Messaging messaging(*store_, abuse, metrics, clock_);
  Actor visitor{AuthorType::kVisitor, ws_, 0, "", {}, "", "visitor-1", ""};
  visitor.remote = "192.0.2.1";

  auto stored = messaging.post(visitor, conv.id, {{"client_id", "m-1"}, {"body", "Hello"}});
  EXPECT_EQ(stored.event.body, "Hello");
  EXPECT_EQ(metrics.messages_stored.load(), 1);
  try {
    messaging.post(visitor, conv.id, {{"client_id", "m-2"}, {"body", "Again"}});
    FAIL() << "the second message within the burst passed";
  } catch (const HttpError& e) {
    EXPECT_EQ(e.status, 429);
  }
  env_.advance(1000);  // the bucket refills by the clock
  try {
    messaging.prepare(visitor, conv.id, {{"body", "no client id"}});
    FAIL() << "a message without a client id passed";
  } catch (const HttpError& e) {
    EXPECT_EQ(e.status, 400);
  }
  EXPECT_EQ(metrics.messages_stored.load(), 1);
}

}  // namespace
}  // namespace sb
