// The NATS protocol parser on its own: whole and split input, and hostile input.
#include "bus/nats_parser.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace sb::bus {
namespace {

using K = ServerOp::Kind;

std::vector<ServerOp> parse_all(std::string_view in, bool expect_ok = true) {
  NatsParser p(1024, 4096);
  std::vector<ServerOp> out;
  EXPECT_EQ(p.feed(in, out), expect_ok) << p.error();
  return out;
}

TEST(NatsParser, ParsesEveryServerOperation) {
  auto ops = parse_all(
      "INFO {\"max_payload\":1024}\r\nPING\r\nPONG\r\n+OK\r\n-ERR 'Unknown Protocol Operation'\r\n"
      "MSG conv.1 7 5\r\nhello\r\nMSG a.b 9 inbox.x 0\r\n\r\nmsg  x\t3  2\r\nhi\r\n");
  ASSERT_EQ(ops.size(), 8u);
  EXPECT_EQ(ops[0].kind, K::info);
  EXPECT_EQ(ops[0].body, "{\"max_payload\":1024}");
  EXPECT_EQ(ops[1].kind, K::ping);
  EXPECT_EQ(ops[2].kind, K::pong);
  EXPECT_EQ(ops[3].kind, K::ok);
  EXPECT_EQ(ops[4].kind, K::err);
  EXPECT_EQ(ops[4].body, "Unknown Protocol Operation");
  EXPECT_EQ(ops[5].kind, K::msg);
  EXPECT_EQ(ops[5].subject, "conv.1");
  EXPECT_EQ(ops[5].sid, 7u);
  EXPECT_EQ(ops[5].body, "hello");
  EXPECT_EQ(ops[6].reply, "inbox.x");
  EXPECT_EQ(ops[6].body, "");
  EXPECT_EQ(ops[7].subject, "x");
  EXPECT_EQ(ops[7].body, "hi");
}

TEST(NatsParser, AcceptsInputSplitAtEveryByte) {
  std::string in = "PING\r\nMSG s 1 4\r\na\r\nb\r\nPONG\r\n";
  NatsParser p(1024, 4096);
  std::vector<ServerOp> out;
  for (char c : in) ASSERT_TRUE(p.feed(std::string_view(&c, 1), out)) << p.error();
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[1].body, "a\r\nb");  // the payload is counted, never scanned
  EXPECT_EQ(out[2].kind, K::pong);
}

TEST(NatsParser, RefusesHostileInput) {
  struct Case {
    std::string in;
    const char* why;
  };
  std::vector<Case> cases = {
      {std::string(2000, 'A'), "longer than the limit"},
      {"INFO " + std::string(2000, 'x') + "\r\n", "longer than the limit"},
      {"MSG s 1 -5\r\n", "bad size"},
      {"MSG s 1 99999999999999999999999\r\n", "bad size"},
      {"MSG s 1 5000\r\n", "over the limit"},
      {"MSG s x 1\r\na\r\n", "bad sid"},
      {"MSG s 1\r\n", "fields"},
      {"MSG s 1 2 3 4\r\n", "fields"},
      {"MSG s 1 2\r\nabcd\r\n", "not followed by CRLF"},
      {"HMSG s 1 10 12\r\n", "HMSG"},
      {"BOGUS\r\n", "unknown operation"},
      {"PING\n", "CRLF"},
      {"\x01\x02\xff\r\n", "unknown operation"},
      {"PINGPONG\r\n", "unknown operation"},
  };
  for (auto& c : cases) {
    NatsParser p(1024, 4096);
    std::vector<ServerOp> out;
    EXPECT_FALSE(p.feed(c.in, out)) << c.in.substr(0, 40);
    EXPECT_NE(p.error().find(c.why), std::string::npos) << p.error();
    // Failed is final, whatever follows.
    EXPECT_FALSE(p.feed("PING\r\n", out));
  }
}

TEST(NatsParser, KeepsOperationsBeforeTheFault) {
  auto ops = parse_all("PING\r\nMSG s 1 1\r\nx\r\nGARBAGE\r\nPONG\r\n", false);
  ASSERT_EQ(ops.size(), 2u);
  EXPECT_EQ(ops[1].body, "x");
}

TEST(NatsParser, MaxPayloadFollowsInfo) {
  NatsParser p(1024, 4096);
  std::vector<ServerOp> out;
  p.set_max_payload(3);
  EXPECT_TRUE(p.feed("MSG s 1 3\r\nabc\r\n", out));
  EXPECT_FALSE(p.feed("MSG s 1 4\r\nabcd\r\n", out));
}

}  // namespace
}  // namespace sb::bus
