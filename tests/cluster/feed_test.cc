// Two nodes in one process: two stores on one SQLite file, each with its hub
// and feed, joined by a LocalBus. A client on node B gets node A's events in
// seq order without gaps, also when A's doorbell never came and B's own
// commit is the next thing it hears of.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <mutex>
#include <thread>

#include "bus/bus.h"
#include "cluster/cluster.h"

namespace sb {
namespace {

namespace fs = std::filesystem;

class Collector : public RealtimeClient {
 public:
  void deliver(Outgoing out) override {
    std::lock_guard lock(mu_);
    if (out.seq > 0) seqs_.push_back(out.seq);
  }
  void disconnect() override {}
  std::vector<std::int64_t> seqs() {
    std::lock_guard lock(mu_);
    return seqs_;
  }

 private:
  std::mutex mu_;
  std::vector<std::int64_t> seqs_;
};

struct Node {
  std::unique_ptr<Store> store;
  Hub hub;
  std::unique_ptr<cluster::Feed> feed;
};

class FeedTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "sb-feed-test-XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    bus_ = bus::make_local_bus();
    for (auto* n : {&a_, &b_}) {
      SqliteOptions o;
      o.path = (dir_ / "switchboard.db").string();
      n->store = open_sqlite_store(o);
      n->feed = std::make_unique<cluster::Feed>(
          *bus_, *n->store, n->hub, n == &a_ ? "node-a" : "node-b", cluster::FeedHooks{});
      n->store->set_change_listener([n](const ChangeBatch& b) { n->feed->committed(b); });
    }
    ws_ = a_.store->create_workspace("Acme");
    Inbox i;
    i.workspace_id = ws_;
    i.name = "Support";
    i.public_key = "k-acme";
    NewConversation c;
    c.workspace_id = ws_;
    c.inbox_id = a_.store->create_inbox(i).id;
    c.visitor_id = "v-1";
    c.client_id = "c-1";
    c.name = "Maria";
    c.first_message = "Hello";
    conv_ = a_.store->create_conversation(c).first.id;
    client_ = std::make_shared<Collector>();
    client_->workspace_id = ws_;
    client_->is_agent = true;
    b_.hub.add(client_);
    b_.hub.subscribe(client_, conv_);
    b_.feed->caught_up(ws_, conv_, 1);  // its backlog: the first message
  }

  void TearDown() override {
    for (auto* n : {&a_, &b_}) {
      n->store->set_change_listener(nullptr);
      n->feed->stop();
    }
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  void say(Node& n, const std::string& body) {
    NewEvent e;
    e.workspace_id = ws_;
    e.conversation_id = conv_;
    e.author = {AuthorType::kVisitor, 0, "Maria"};
    e.body = body;
    (void)n.store->append_event(e);
  }

  std::vector<std::int64_t> seqs_until(std::size_t n) {
    auto end = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (client_->seqs().size() < n && std::chrono::steady_clock::now() < end)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    return client_->seqs();
  }

  fs::path dir_;
  std::unique_ptr<bus::Bus> bus_;
  Node a_, b_;
  Id ws_ = 0, conv_ = 0;
  std::shared_ptr<Collector> client_;
};

TEST_F(FeedTest, AnotherNodesCommitsArriveInOrder) {
  a_.feed->start();
  b_.feed->start();
  say(a_, "two");
  say(a_, "three");
  say(b_, "four");
  EXPECT_EQ(seqs_until(3), (std::vector<std::int64_t>{2, 3, 4}));
  EXPECT_GE(b_.feed->stats().doorbells, 1u);
}

TEST_F(FeedTest, ALostDoorbellIsReadWithTheNextCommit) {
  b_.feed->start();  // node A is not on the bus: its doorbells never come
  say(a_, "two");
  say(a_, "three");
  say(b_, "four");  // not the next seq on B: B reads 2..4 from the database
  EXPECT_EQ(seqs_until(3), (std::vector<std::int64_t>{2, 3, 4}));
  a_.feed->start();
  say(a_, "five");
  EXPECT_EQ(seqs_until(4), (std::vector<std::int64_t>{2, 3, 4, 5}));
}

}  // namespace
}  // namespace sb
