// Mailbox settings: the API's JSON never shows a password, the stored JSON
// keeps them sealed, and validation names what is wrong.
#include <gtest/gtest.h>

#include "env/env.h"
#include "mailbox/mailbox.h"

namespace sb::mailbox {
namespace {

namespace json = boost::json;

MailboxSettings sample() {
  MailboxSettings s;
  s.imap = {"imap.example.com", 993, Security::tls, "support@example.com", "imap-secret"};
  s.smtp = {"smtp.example.com", 587, Security::starttls, "support@example.com", "smtp-secret"};
  s.from_address = "support@example.com";
  s.display_name = "Example Support";
  return s;
}

TEST(MailboxSettings, ValidSettingsHaveNoProblems) {
  EXPECT_TRUE(validate(sample()).empty());
}

TEST(MailboxSettings, ValidationNamesEachProblem) {
  auto s = sample();
  s.imap.port = 0;
  s.smtp.host = "";
  s.from_address = "not an address";
  s.imap.password = "line\r\nA LOGOUT";
  s.after_fetch = AfterFetch::move;
  auto problems = validate(s);
  EXPECT_EQ(problems.size(), 5u) << json::serialize(json::value_from(problems));
}

TEST(MailboxSettings, FoldersArePlainAscii) {
  auto s = sample();
  s.folder = "Posta in arrivo/Entrata";
  EXPECT_TRUE(validate(s).empty());
  s.folder = "Входящие";  // would need modified UTF-7
  EXPECT_EQ(validate(s).size(), 1u);
  s.folder = "INBOX\r\na2 DELETE INBOX";
  EXPECT_EQ(validate(s).size(), 1u);
}

TEST(MailboxSettings, PlainConnectionsOnlyToLoopback) {
  auto s = sample();
  s.imap.security = Security::none;
  EXPECT_EQ(validate(s).size(), 1u);
  s.imap.host = "127.0.0.1";
  EXPECT_TRUE(validate(s).empty());
}

TEST(MailboxSettings, ApiJsonHidesPasswords) {
  auto text = json::serialize(to_json(sample()));
  EXPECT_EQ(text.find("secret"), std::string::npos) << text;
  EXPECT_NE(text.find("\"password_set\":true"), std::string::npos) << text;
}

TEST(MailboxSettings, ApiJsonRoundTripsAndKeepsPasswordsLeftOut) {
  auto previous = sample();
  auto v = json::value(to_json(previous));
  v.as_object()["imap"].as_object()["host"] = "imap2.example.com";
  auto s = from_json(v, &previous);
  EXPECT_EQ(s.imap.host, "imap2.example.com");
  EXPECT_EQ(s.imap.password, "imap-secret");
  EXPECT_EQ(s.smtp.password, "smtp-secret");
  EXPECT_EQ(s.smtp.security, Security::starttls);
  EXPECT_EQ(s.display_name, "Example Support");
  v.as_object()["smtp"].as_object()["password"] = "changed";
  EXPECT_EQ(from_json(v, &previous).smtp.password, "changed");
}

TEST(MailboxSettings, WrongShapesAreRefused) {
  EXPECT_THROW(from_json(json::parse("[]")), std::invalid_argument);
  EXPECT_THROW(from_json(json::parse(R"({"imap":{"port":"993"}})")), std::invalid_argument);
  EXPECT_THROW(from_json(json::parse(R"({"imap":{"security":"ssl"}})")), std::invalid_argument);
  EXPECT_THROW(from_json(json::parse(R"({"after_fetch":"delete"})")), std::invalid_argument);
}

TEST(PasswordBox, StoredSettingsKeepPasswordsSealed) {
  TestEnv env;
  auto box = PasswordBox::open(env, "/data");
  auto stored = to_stored_json(sample(), box);
  EXPECT_EQ(stored.find("secret"), std::string::npos) << stored;
  auto back = from_stored_json(stored, box);
  EXPECT_EQ(back.imap.password, "imap-secret");
  EXPECT_EQ(back.smtp.password, "smtp-secret");
  EXPECT_EQ(back.imap.host, "imap.example.com");
}

TEST(PasswordBox, TheKeyFileIsMadeOnceAndReused) {
  TestEnv env;
  auto sealed = PasswordBox::open(env, "/data").seal("p4ss");
  auto key = env.read_file("/data/mailbox-secret.key");
  ASSERT_TRUE(key);
  EXPECT_EQ(PasswordBox::open(env, "/data").unseal(sealed), "p4ss");
  EXPECT_EQ(env.read_file("/data/mailbox-secret.key"), key);
}

TEST(PasswordBox, AnotherKeyOrATamperedBoxIsRefused) {
  TestEnv env;
  auto box = PasswordBox::open(env, "/a");
  auto sealed = box.seal("p4ss");
  EXPECT_FALSE(PasswordBox::open(env, "/b").unseal(sealed));
  auto tampered = sealed;
  tampered[tampered.size() / 2] = tampered[tampered.size() / 2] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(box.unseal(tampered));
  EXPECT_FALSE(box.unseal("not base64 !"));
  EXPECT_NE(box.seal("p4ss"), sealed);  // a fresh nonce each time
  EXPECT_THROW(from_stored_json(to_stored_json(sample(), box), PasswordBox::open(env, "/b")),
               std::invalid_argument);
}

TEST(PasswordBox, ACorruptKeyFileIsAnError) {
  TestEnv env;
  env.write_file("/data/mailbox-secret.key", "short");
  EXPECT_THROW(PasswordBox::open(env, "/data"), std::runtime_error);
}

}  // namespace
}  // namespace sb::mailbox
