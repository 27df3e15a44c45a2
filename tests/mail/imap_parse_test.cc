// The IMAP client's small parsers, on the shapes servers really send.
#include <gtest/gtest.h>

#include "mailbox/imap_text.h"

namespace sb::mailbox {
namespace {

TEST(ImapParse, LiteralSizeAtTheEndOfALine) {
  EXPECT_EQ(literal_size("* 3 FETCH (UID 7 RFC822.SIZE 12 BODY[] {12}"), 12u);
  EXPECT_EQ(literal_size("* 3 FETCH (BODY[] {0}"), 0u);
  EXPECT_EQ(literal_size("a1 LOGIN {5+}"), 5u);
  EXPECT_FALSE(literal_size("* 3 FETCH (FLAGS (\\Seen))"));
  EXPECT_FALSE(literal_size("* OK {x}"));
  EXPECT_FALSE(literal_size("* OK {}"));
  EXPECT_FALSE(literal_size("* OK {99999999999999999999999}"));  // overflows: refused
}

TEST(ImapParse, NumbersAfterKeys) {
  std::string line = "* 3 FETCH (UID 42 RFC822.SIZE 1234 BODY[] {1234}";
  EXPECT_EQ(number_after(line, "UID"), 42u);
  EXPECT_EQ(number_after(line, "RFC822.SIZE"), 1234u);
  EXPECT_EQ(number_after("* OK [UIDVALIDITY 1700000000] UIDs valid", "[UIDVALIDITY"), 1700000000u);
  EXPECT_EQ(number_after("* OK [UIDNEXT 9] Predicted", "[uidnext"), 9u);
  EXPECT_FALSE(number_after("* 3 FETCH (XUID 5)", "UID"));  // only whole words
  EXPECT_FALSE(number_after("* 3 FETCH (UID x)", "UID"));
}

TEST(ImapParse, QuotedStringsEscapeQuotesAndBackslashes) {
  EXPECT_EQ(quoted("INBOX"), "\"INBOX\"");
  EXPECT_EQ(quoted("a\"b\\c"), "\"a\\\"b\\\\c\"");
  EXPECT_THROW(quoted("INBOX\r\na2 DELETE INBOX"), std::invalid_argument);
}

TEST(ImapParse, LoopbackHosts) {
  EXPECT_TRUE(is_loopback_host("127.0.0.1"));
  EXPECT_TRUE(is_loopback_host("127.1.2.3"));
  EXPECT_TRUE(is_loopback_host("::1"));
  EXPECT_TRUE(is_loopback_host("localhost"));
  EXPECT_FALSE(is_loopback_host("mail.example.com"));
  EXPECT_FALSE(is_loopback_host("10.0.0.1"));
}

}  // namespace
}  // namespace sb::mailbox
