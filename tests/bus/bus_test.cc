// Subjects and patterns, nats:// URLs, and the in-process bus.
#include "bus/bus.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace sb::bus {
namespace {

TEST(BusSubjects, ValidSubjectsAndPatterns) {
  EXPECT_TRUE(valid_subject("conv.42.events"));
  EXPECT_TRUE(valid_subject("routing"));
  EXPECT_FALSE(valid_subject(""));
  EXPECT_FALSE(valid_subject("conv..x"));
  EXPECT_FALSE(valid_subject(".conv"));
  EXPECT_FALSE(valid_subject("conv."));
  EXPECT_FALSE(valid_subject("conv 42"));
  EXPECT_FALSE(valid_subject("conv\r\n42"));
  EXPECT_FALSE(valid_subject("conv.*"));
  EXPECT_FALSE(valid_subject("conv.>"));
  EXPECT_FALSE(valid_subject(std::string(kMaxSubject + 1, 'a')));
  EXPECT_TRUE(valid_pattern("conv.*.events"));
  EXPECT_TRUE(valid_pattern("conv.>"));
  EXPECT_TRUE(valid_pattern(">"));
  EXPECT_FALSE(valid_pattern("conv.>.x"));
  EXPECT_FALSE(valid_pattern("conv.a*"));
  EXPECT_FALSE(valid_pattern("conv.>x"));
  EXPECT_FALSE(valid_pattern("conv. x"));
}

TEST(BusSubjects, WildcardMatching) {
  EXPECT_TRUE(subject_matches("a.b", "a.b"));
  EXPECT_FALSE(subject_matches("a.b", "a.b.c"));
  EXPECT_FALSE(subject_matches("a.b.c", "a.b"));
  EXPECT_TRUE(subject_matches("a.*", "a.b"));
  EXPECT_FALSE(subject_matches("a.*", "a.b.c"));
  EXPECT_FALSE(subject_matches("a.*", "a"));
  EXPECT_TRUE(subject_matches("*.b.*", "x.b.y"));
  EXPECT_TRUE(subject_matches("a.>", "a.b"));
  EXPECT_TRUE(subject_matches("a.>", "a.b.c.d"));
  EXPECT_FALSE(subject_matches("a.>", "a"));
  EXPECT_TRUE(subject_matches(">", "a"));
  EXPECT_TRUE(subject_matches("*.>", "a.b"));
  EXPECT_FALSE(subject_matches("*.>", "a"));
}

TEST(NatsUrl, ParsesHostPortAndCredentials) {
  auto u = parse_nats_url("nats://127.0.0.1:4333");
  EXPECT_EQ(u.host, "127.0.0.1");
  EXPECT_EQ(u.port, 4333);
  EXPECT_EQ(parse_nats_url("nats://localhost").port, 4222);
  auto c = parse_nats_url("nats://node:s3cret@127.0.0.1:4222");
  EXPECT_EQ(c.user, "node");
  EXPECT_EQ(c.pass, "s3cret");
  EXPECT_EQ(parse_nats_url("nats://tok@127.0.0.1:4222").token, "tok");
  auto v6 = parse_nats_url("nats://[::1]:4999");
  EXPECT_EQ(v6.host, "::1");
  EXPECT_EQ(v6.port, 4999);
}

TEST(NatsUrl, RejectsBadUrlsClearly) {
  for (const char* bad : {"http://127.0.0.1:4222", "nats://", "nats://:4222", "nats://h:0",
                          "nats://h:65536", "nats://h:x", "nats://h:", "nats://h:4222/path",
                          "nats://:pw@h:4222", "nats://::1:4222", "nats://[::1"}) {
    EXPECT_THROW(parse_nats_url(bad), BusError) << bad;
  }
  try {
    parse_nats_url("http://x");
    FAIL();
  } catch (const BusError& e) {
    EXPECT_NE(std::string(e.what()).find("nats://"), std::string::npos);
  }
  EXPECT_THROW(make_nats_bus({.url = "tcp://127.0.0.1:1"}), BusError);
}

struct Received {
  std::vector<std::string> subjects, payloads;
  Handler handler() {
    return [this](std::string_view s, std::string_view p) {
      subjects.emplace_back(s);
      payloads.emplace_back(p);
    };
  }
};

TEST(LocalBus, DeliversByWildcardPattern) {
  auto bus = make_local_bus();
  Received exact, star, tail;
  auto s1 = bus->subscribe("conv.1.events", exact.handler());
  auto s2 = bus->subscribe("conv.*.events", star.handler());
  auto s3 = bus->subscribe("conv.>", tail.handler());
  bus->publish("conv.1.events", "seq=5");
  bus->publish("conv.2.events", "seq=7");
  bus->publish("conv.2.assigned", "a");
  bus->publish("routing", "changed");
  EXPECT_EQ(exact.payloads, (std::vector<std::string>{"seq=5"}));
  EXPECT_EQ(star.subjects, (std::vector<std::string>{"conv.1.events", "conv.2.events"}));
  EXPECT_EQ(tail.payloads, (std::vector<std::string>{"seq=5", "seq=7", "a"}));
  auto c = bus->counters();
  EXPECT_EQ(c.published, 4u);
  EXPECT_EQ(c.delivered, 6u);
  EXPECT_EQ(c.dropped, 0u);
}

TEST(LocalBus, UnsubscribeStopsDelivery) {
  auto bus = make_local_bus();
  Received r;
  auto sub = bus->subscribe("a.*", r.handler());
  bus->publish("a.x", "1");
  sub.reset();
  EXPECT_FALSE(sub);
  bus->publish("a.x", "2");
  {
    auto scoped = bus->subscribe("a.*", r.handler());
    bus->publish("a.y", "3");
  }
  bus->publish("a.y", "4");
  EXPECT_EQ(r.payloads, (std::vector<std::string>{"1", "3"}));
}

TEST(LocalBus, HandlerMayCancelItself) {
  auto bus = make_local_bus();
  int calls = 0;
  Subscription sub;
  sub = bus->subscribe("x", [&](std::string_view, std::string_view) {
    ++calls;
    sub.reset();
  });
  bus->publish("x", "");
  bus->publish("x", "");
  EXPECT_EQ(calls, 1);
}

TEST(LocalBus, RejectsBadInput) {
  auto bus = make_local_bus(16);
  EXPECT_THROW(bus->publish("a.*", "x"), BusError);
  EXPECT_THROW(bus->publish("", "x"), BusError);
  EXPECT_THROW(bus->subscribe("a.>.b", [](auto, auto) {}), BusError);
  EXPECT_NO_THROW(bus->publish("a", std::string(16, 'x')));
  EXPECT_THROW(bus->publish("a", std::string(17, 'x')), BusError);
  bool up = false;
  bus->on_state([&](bool c, std::string_view) { up = c; });
  EXPECT_TRUE(up);
}

TEST(LocalBus, SubscriptionMayOutliveTheBus) {
  Subscription sub;
  {
    auto bus = make_local_bus();
    sub = bus->subscribe("a", [](auto, auto) {});
  }
  sub.reset();  // must not touch the destroyed bus
}

}  // namespace
}  // namespace sb::bus
