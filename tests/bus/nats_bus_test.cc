// NatsBus against real nats-server processes (NatsBusLive) and against a fake,
// hostile server in the test (NatsBusHostile). Every wait is for a positive
// signal, bounded by kWait.
#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio.hpp>
#include <chrono>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "bus/bus.h"
#include "nats_server.h"

namespace sb::bus {
namespace {

using namespace std::chrono_literals;
using bustest::NatsServer;

constexpr auto kWait = 20s;

bool wait_for(const std::function<bool()>& done) {
  auto until = std::chrono::steady_clock::now() + kWait;
  while (!done()) {
    if (std::chrono::steady_clock::now() > until) return false;
    std::this_thread::sleep_for(5ms);
  }
  return true;
}

// What a subscription received, from the bus thread.
class Inbox {
 public:
  Handler handler() {
    return [this](std::string_view s, std::string_view p) {
      std::lock_guard lock(mutex_);
      subjects_.emplace_back(s);
      payloads_.emplace_back(p);
    };
  }
  std::vector<std::string> payloads() const {
    std::lock_guard lock(mutex_);
    return payloads_;
  }
  std::vector<std::string> subjects() const {
    std::lock_guard lock(mutex_);
    return subjects_;
  }
  bool has(const std::string& payload) const {
    auto p = payloads();
    return std::find(p.begin(), p.end(), payload) != p.end();
  }

 private:
  mutable std::mutex mutex_;
  std::vector<std::string> subjects_, payloads_;
};

// Connection state changes as seen through on_state, and the last reason.
struct States {
  std::atomic<int> ups{0}, downs{0};
  std::mutex mutex;
  std::string last_why;
  void watch(Bus& bus) {
    bus.on_state([this, was = std::optional<bool>()](bool up, std::string_view why) mutable {
      if (was && *was != up) (up ? ups : downs)++;  // the first call is the state now
      was = up;
      std::lock_guard lock(mutex);
      if (!up) last_why = why;
    });
  }
  std::string why() {
    std::lock_guard lock(mutex);
    return last_why;
  }
};

NatsOptions options(const std::string& url, const std::string& name) {
  NatsOptions o;
  o.url = url;
  o.name = name;
  o.connect_timeout = 2000ms;
  o.reconnect_min = 20ms;
  o.reconnect_max = 300ms;
  return o;
}

// The server has our SUBs once it sent us back a message we published after
// them (it handles one connection's operations in order).
void fence(Bus& bus, const std::string& name) {
  Inbox inbox;
  auto sub = bus.subscribe("fence." + name, inbox.handler());
  auto token = std::to_string(std::chrono::steady_clock::now().time_since_epoch().count());
  ASSERT_TRUE(wait_for([&] {
    bus.publish("fence." + name, token);
    return wait_for([&] { return inbox.has(token); });
  }));
}

TEST(NatsBusLive, TwoNodesPublishAndSubscribeAcross) {
  NatsServer server;
  auto a = make_nats_bus(options(server.url(), "node-a"));
  auto b = make_nats_bus(options(server.url(), "node-b"));
  ASSERT_TRUE(wait_for([&] { return a->connected() && b->connected(); }));

  Inbox events, all_conv, routing;
  auto s1 = b->subscribe("conv.*.events", events.handler());
  auto s2 = b->subscribe("conv.>", all_conv.handler());
  auto s3 = a->subscribe("routing.>", routing.handler());
  fence(*a, "a");
  fence(*b, "b");

  a->publish("conv.1.events", "seq=5");
  a->publish("conv.2.assigned", "agent=7");
  a->publish("conv.3.events", "");
  b->publish("routing.changed", "ws=1");
  ASSERT_TRUE(wait_for([&] { return all_conv.payloads().size() == 3; }));
  ASSERT_TRUE(wait_for([&] { return routing.payloads().size() == 1; }));
  EXPECT_EQ(events.subjects(), (std::vector<std::string>{"conv.1.events", "conv.3.events"}));
  EXPECT_EQ(events.payloads(), (std::vector<std::string>{"seq=5", ""}));
  EXPECT_EQ(all_conv.payloads(), (std::vector<std::string>{"seq=5", "agent=7", ""}));
  EXPECT_EQ(routing.payloads(), (std::vector<std::string>{"ws=1"}));
  EXPECT_EQ(a->counters().reconnects, 0u);
  EXPECT_EQ(a->counters().dropped, 0u);
}

TEST(NatsBusLive, UnsubscribeStopsDelivery) {
  NatsServer server;
  auto a = make_nats_bus(options(server.url(), "node-a"));
  auto b = make_nats_bus(options(server.url(), "node-b"));
  Inbox gone, kept;
  auto sub = b->subscribe("x.*", gone.handler());
  auto keep = b->subscribe("y", kept.handler());
  fence(*b, "b");
  a->publish("x.1", "before");
  ASSERT_TRUE(wait_for([&] { return gone.has("before"); }));
  sub.reset();
  fence(*b, "b");  // the server has handled the UNSUB
  a->publish("x.1", "after");
  a->publish("y", "marker");  // same publisher, so it arrives after "after" would have
  ASSERT_TRUE(wait_for([&] { return kept.has("marker"); }));
  EXPECT_EQ(gone.payloads(), (std::vector<std::string>{"before"}));
}

TEST(NatsBusLive, PayloadOverServerMaxPayloadIsRefused) {
  NatsServer server(1024);
  auto a = make_nats_bus(options(server.url(), "node-a"));
  ASSERT_TRUE(wait_for([&] { return a->connected(); }));
  EXPECT_EQ(a->max_payload(), 1024u);
  Inbox inbox;
  auto sub = a->subscribe("big", inbox.handler());
  fence(*a, "a");
  try {
    a->publish("big", std::string(1025, 'x'));
    FAIL() << "a payload over max_payload was accepted";
  } catch (const BusError& e) {
    EXPECT_NE(std::string(e.what()).find("max_payload of 1024"), std::string::npos) << e.what();
  }
  a->publish("big", std::string(1024, 'y'));
  ASSERT_TRUE(wait_for([&] { return inbox.payloads().size() == 1; }));
  EXPECT_EQ(inbox.payloads()[0].size(), 1024u);
  EXPECT_TRUE(a->connected());
  EXPECT_THROW(a->publish("bad subject", "x"), BusError);
  EXPECT_THROW(a->subscribe("a.>.b", inbox.handler()), BusError);
}

TEST(NatsBusLive, SignsInWithUserAndPassword) {
  NatsServer server(0, "node", "s3cret");
  auto wrong =
      make_nats_bus(options("nats://node:nope@127.0.0.1:" + std::to_string(server.port()), "w"));
  States refused;
  refused.watch(*wrong);
  auto right =
      make_nats_bus(options("nats://node:s3cret@127.0.0.1:" + std::to_string(server.port()), "r"));
  ASSERT_TRUE(wait_for([&] { return right->connected(); }));
  // The refused one says why on its state; it never counted as connected.
  ASSERT_TRUE(wait_for([&] { return refused.why().find("Authorization") != std::string::npos; }))
      << refused.why();
  EXPECT_FALSE(wrong->connected());
  EXPECT_EQ(refused.ups.load(), 0);
}

TEST(NatsBusLive, ReconnectsAndResubscribesAfterTheServerRestarts) {
  NatsServer server;
  auto oa = options(server.url(), "node-a");
  oa.max_pending_messages = 3;
  auto a = make_nats_bus(oa);
  auto b = make_nats_bus(options(server.url(), "node-b"));
  States sa, sb;
  sa.watch(*a);
  sb.watch(*b);
  Inbox inbox;
  auto sub = b->subscribe("conv.>", inbox.handler());
  ASSERT_TRUE(wait_for([&] { return a->connected(); }));
  fence(*b, "b");
  a->publish("conv.1.events", "m1");
  ASSERT_TRUE(wait_for([&] { return inbox.has("m1"); }));
  // Whether the first "up" counted depends on whether the bus had connected before
  // watch() (its first call is the state then): count from here.
  const int ups_a = sa.ups.load(), ups_b = sb.ups.load(), downs_a = sa.downs.load();

  server.stop();  // kill -9
  ASSERT_TRUE(wait_for([&] { return !a->connected() && !b->connected(); }));
  // The state callback runs after connected() changes: wait for it, then count.
  ASSERT_TRUE(wait_for([&] { return sa.downs.load() > downs_a; }));
  EXPECT_EQ(sa.downs.load(), downs_a + 1);
  EXPECT_NE(sa.why(), "");
  // While down, the outgoing buffer keeps the newest 3 and counts the rest dropped.
  for (int i = 0; i < 5; ++i) a->publish("conv.1.events", "queued" + std::to_string(i));
  ASSERT_TRUE(wait_for([&] { return a->counters().dropped == 2; }));

  server.restart();  // same port
  ASSERT_TRUE(wait_for([&] { return a->connected() && b->connected(); }));
  ASSERT_TRUE(wait_for([&] { return sa.ups.load() > ups_a && sb.ups.load() > ups_b; }));
  EXPECT_EQ(sa.ups.load(), ups_a + 1);
  EXPECT_EQ(sb.ups.load(), ups_b + 1);
  fence(*b, "b");  // b's subscription is back on the new server
  a->publish("conv.1.events", "m2");
  ASSERT_TRUE(wait_for([&] { return inbox.has("m2"); }));
  auto c = a->counters();
  EXPECT_EQ(c.reconnects, 1u);
  EXPECT_EQ(b->counters().reconnects, 1u);
  EXPECT_EQ(c.dropped, 2u);
  EXPECT_EQ(c.published, 5u);  // m1, the 3 kept, m2
  EXPECT_FALSE(inbox.has("queued0"));
  EXPECT_FALSE(inbox.has("queued1"));
  EXPECT_GE(b->counters().delivered, 2u);
}

// A server in the test: each accepted connection gets the next script.
class FakeServer {
 public:
  struct Script {
    std::string greeting;  // sent at once
    int pongs = 0;         // PINGs answered before falling silent
  };
  explicit FakeServer(std::vector<Script> scripts)
      : scripts_(std::move(scripts)),
        acceptor_(io_, {boost::asio::ip::make_address("127.0.0.1"), 0}) {
    accept();
    thread_ = std::thread([this] { io_.run(); });
  }
  ~FakeServer() {
    io_.stop();
    thread_.join();
  }
  std::string url() const {
    return "nats://127.0.0.1:" + std::to_string(acceptor_.local_endpoint().port());
  }
  int accepted() const { return accepted_.load(); }
  int pongs_seen() const { return pongs_seen_.load(); }  // the client's answers to our PINGs

 private:
  struct Conn {
    explicit Conn(boost::asio::io_context& io) : socket(io) {}
    boost::asio::ip::tcp::socket socket;
    std::array<char, 4096> buf;
    std::string seen;
    int pongs = 0;
  };
  void accept() {
    auto c = std::make_shared<Conn>(io_);
    acceptor_.async_accept(c->socket, [this, c](boost::system::error_code ec) {
      if (ec) return;
      auto& s = scripts_[std::min<std::size_t>(accepted_++, scripts_.size() - 1)];
      c->pongs = s.pongs;
      auto greeting = std::make_shared<std::string>(s.greeting);
      boost::asio::async_write(c->socket, boost::asio::buffer(*greeting),
                               [greeting](boost::system::error_code, std::size_t) {});
      read(c);
      accept();
    });
  }
  void read(std::shared_ptr<Conn> c) {
    c->socket.async_read_some(boost::asio::buffer(c->buf), [this, c](auto ec, std::size_t n) {
      if (ec) return;
      c->seen.append(c->buf.data(), n);
      for (std::size_t at; (at = c->seen.find("PONG\r\n")) != std::string::npos;) {
        c->seen.erase(at, 6);
        ++pongs_seen_;
      }
      for (std::size_t at; (at = c->seen.find("PING\r\n")) != std::string::npos;) {
        c->seen.erase(0, at + 6);
        if (c->pongs-- > 0) {
          static const std::string pong = "PONG\r\n";
          boost::asio::async_write(c->socket, boost::asio::buffer(pong), [c](auto, auto) {});
        }
      }
      if (c->seen.size() > 65536) c->seen.erase(0, c->seen.size() - 8);
      read(c);
    });
  }

  std::vector<Script> scripts_;
  boost::asio::io_context io_;
  boost::asio::ip::tcp::acceptor acceptor_;
  std::thread thread_;
  std::atomic<int> accepted_{0}, pongs_seen_{0};
};

const std::string kInfo = "INFO {\"server_id\":\"fake\",\"max_payload\":1048576}\r\n";

TEST(NatsBusHostile, SurvivesGarbageAndReconnects) {
  FakeServer fake({
      {kInfo + std::string(200000, 'A'), 100},                    // a control line with no end
      {kInfo + "MSG x 1 -1\r\n", 100},                            // a negative size
      {kInfo + "MSG x 1 99999999999999999999\r\n", 100},          // a huge size
      {kInfo + "MSG x 1 4294967296\r\n", 100},                    // over max_payload
      {std::string("\x00\xff\x16\x03\x01garbage\r\n", 14), 100},  // not NATS at all
      {"PING\r\n", 100},                                          // no INFO first
      {"INFO not json\r\n", 100},
      {"INFO {\"tls_required\":true}\r\n", 100},
      {kInfo + "HMSG x 1 4 6\r\nNATS\r\nab\r\n", 100},
      {kInfo + "-ERR 'Authorization Violation'\r\n", 0},
      {kInfo, 1000},  // finally a server that behaves
  });
  auto bus = make_nats_bus(options(fake.url(), "node-h"));
  States states;
  states.watch(*bus);
  ASSERT_TRUE(wait_for([&] { return bus->connected(); })) << "accepted " << fake.accepted();
  EXPECT_EQ(fake.accepted(), 11);
  ASSERT_TRUE(wait_for([&] { return states.ups.load() >= 1; }));  // the callback follows
  EXPECT_EQ(states.ups.load(), 1);
  EXPECT_EQ(bus->counters().reconnects, 0u);  // counts reconnections after a first success
}

TEST(NatsBusHostile, TwoMissingPongsMeanADeadConnection) {
  // The first server answers the handshake's PING only; the second all of
  // them, and pings the client itself.
  FakeServer fake({{kInfo, 1}, {kInfo + "PING\r\n", 100000}});
  auto o = options(fake.url(), "node-p");
  o.ping_interval = 50ms;
  auto bus = make_nats_bus(o);
  States states;
  states.watch(*bus);
  ASSERT_TRUE(wait_for([&] { return states.downs.load() >= 1; }));
  EXPECT_NE(states.why().find("PONG"), std::string::npos) << states.why();
  ASSERT_TRUE(wait_for([&] { return fake.accepted() == 2 && bus->connected(); }));
  EXPECT_EQ(bus->counters().reconnects, 1u);
  EXPECT_TRUE(wait_for([&] { return fake.pongs_seen() >= 1; }));
}

TEST(NatsBusHostile, QueuesWhileNoServerAndShutsDownCleanly) {
  // Nothing listens here: the bus keeps trying, queues, and its destructor
  // still returns promptly.
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor probe(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
  auto port = probe.local_endpoint().port();
  probe.close();
  auto o = options("nats://127.0.0.1:" + std::to_string(port), "node-q");
  o.max_pending_messages = 2;
  auto bus = make_nats_bus(o);
  for (int i = 0; i < 10; ++i) bus->publish("a", "x");
  ASSERT_TRUE(wait_for([&] { return bus->counters().dropped == 8; }));
  EXPECT_FALSE(bus->connected());
  EXPECT_EQ(bus->counters().published, 0u);
  auto sub = bus->subscribe("a", [](auto, auto) {});
  auto start = std::chrono::steady_clock::now();
  bus.reset();
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
  sub.reset();  // outlived the bus: must not touch it
}

}  // namespace
}  // namespace sb::bus
