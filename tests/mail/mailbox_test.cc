// The mailbox against real servers: Dovecot (IMAP, LMTP, submission) and
// OpenSMTPD, started by each test in a temporary directory.
#include "mailbox/mailbox.h"

#include <gtest/gtest.h>

#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <mutex>

#include "mail_servers.h"

namespace sb::mailbox {
namespace {

using namespace std::chrono_literals;
using mailtest::MailServers;
using Clock = std::chrono::steady_clock;

// Short enough that a failing test ends quickly, long enough for a 2-core box.
const Timeouts kTimeouts{3s, 10s};

// Collects what a poller hands over, for a test to wait on.
struct Inbox {
  std::mutex mu;
  std::condition_variable cv;
  std::vector<FetchedMail> mails;

  ImapPoller::OnMail callback() {
    return [this](const FetchedMail& m) {
      std::lock_guard lock(mu);
      mails.push_back(m);
      cv.notify_all();
    };
  }
  bool wait_for(std::size_t n, std::chrono::milliseconds timeout = 30s) {
    std::unique_lock lock(mu);
    return cv.wait_for(lock, timeout, [&] { return mails.size() >= n; });
  }
  std::size_t size() {
    std::lock_guard lock(mu);
    return mails.size();
  }
};

PollerOptions poller_options(const MailboxSettings& s) {
  PollerOptions o;
  o.settings = s;
  o.timeouts = kTimeouts;
  o.poll_interval = 300ms;
  o.reconnect_delay = 100ms;
  return o;
}

bool wait_until(const std::function<bool()>& done, std::chrono::milliseconds timeout = 10s) {
  auto deadline = Clock::now() + timeout;
  while (!done()) {
    if (Clock::now() > deadline) return false;
    std::this_thread::sleep_for(10ms);
  }
  return true;
}

class MailboxTest : public ::testing::Test {
 protected:
  void SetUp() override { servers = MailServers::start(); }
  void need_smtp() {
    if (!servers->has_smtp) GTEST_SKIP() << "OpenSMTPD needs root and mount namespaces";
  }
  std::unique_ptr<MailServers> servers;
};

TEST_F(MailboxTest, SmtpSendThenImapFetchIsByteIdentical) {
  need_smtp();
  auto s = servers->settings(Security::tls, Security::starttls);
  auto sent = mailtest::make_message(servers->address, "byte for byte", 20'000);
  auto r = send_mail(s, "customer@example.test", {servers->address}, sent, kTimeouts);
  ASSERT_TRUE(r.ok) << stage_name(r.stage) << ": " << r.text;
  EXPECT_EQ(r.code, 250);

  Inbox inbox;
  ImapPoller poller(poller_options(s), inbox.callback());
  poller.start();
  ASSERT_TRUE(inbox.wait_for(1)) << poller.last_error();
  // The servers prepend trace headers (Received, Return-Path); the rest is ours.
  const auto& got = inbox.mails[0].raw;
  EXPECT_TRUE(got.ends_with(sent)) << got.substr(0, 600);
  EXPECT_EQ(inbox.mails[0].uid, 1u);
  EXPECT_NE(inbox.mails[0].uidvalidity, 0u);
  EXPECT_TRUE(wait_until([&] { return poller.state().last_uid == 1u; }));
}

TEST_F(MailboxTest, SmtpOverImplicitTlsAndPlainLoopback) {
  need_smtp();
  for (auto security : {Security::tls, Security::none}) {
    auto s = servers->settings(Security::tls, security);
    auto r = send_mail(s, "customer@example.test", {servers->address},
                       mailtest::make_message(servers->address, "over tls", 500), kTimeouts);
    EXPECT_TRUE(r.ok) << security_name(security) << " " << stage_name(r.stage) << ": " << r.text;
  }
  Inbox inbox;
  ImapPoller poller(poller_options(servers->settings()), inbox.callback());
  poller.start();
  EXPECT_TRUE(inbox.wait_for(2)) << poller.last_error();
}

TEST_F(MailboxTest, ImapOverTlsStarttlsAndPlainLoopback) {
  servers->deliver(mailtest::make_message(servers->address, "paths", 100));
  for (auto security : {Security::tls, Security::starttls, Security::none}) {
    auto s = servers->settings(security);
    auto check = check_imap(s, kTimeouts);
    EXPECT_TRUE(check.ok) << security_name(security) << ": " << check.message;
    Inbox inbox;
    ImapPoller poller(poller_options(s), inbox.callback());
    poller.start();
    EXPECT_TRUE(inbox.wait_for(1)) << security_name(security) << ": " << poller.last_error();
  }
}

TEST_F(MailboxTest, IdleWakesOnDelivery) {
  Inbox inbox;
  ImapPoller poller(poller_options(servers->settings()), inbox.callback());
  poller.start();
  ASSERT_TRUE(wait_until([&] { return poller.idling(); })) << poller.last_error();
  for (int i = 0; i < 2; ++i) {
    servers->deliver(mailtest::make_message(servers->address, "wake up", 300));
    // Without IDLE nothing would come before the 25-minute renewal; the bound is loose
    // for loaded CI machines (it usually takes milliseconds).
    ASSERT_TRUE(inbox.wait_for(i + 1, 20s)) << "IDLE did not wake; " << poller.last_error();
    ASSERT_TRUE(wait_until([&] { return poller.idling(); }));  // back in IDLE
  }
  EXPECT_EQ(poller.connections(), 1u);  // one session throughout
  auto stop_started = Clock::now();
  poller.stop();
  EXPECT_LT(Clock::now() - stop_started, 10s);
}

// A mail that lands while the poller is busy is announced (EXISTS) in the reply
// to whatever command runs then (here the STORE that marks the first one seen),
// not again in the IDLE that follows: the poller must fetch it before idling, not
// 25 minutes later at the renewal (seen on CI: the last of 75 mails never came).
TEST_F(MailboxTest, MailArrivingWhileBusyIsFetchedBeforeIdling) {
  servers->deliver(mailtest::make_message(servers->address, "first", 100));
  auto o = poller_options(servers->settings());
  o.settings.after_fetch = AfterFetch::mark_seen;
  Inbox inbox;
  bool delivered_meanwhile = false;
  ImapPoller poller(o, [&](const FetchedMail& m) {
    if (!delivered_meanwhile) {
      delivered_meanwhile = true;
      servers->deliver(mailtest::make_message(servers->address, "while busy", 100));
    }
    inbox.callback()(m);
  });
  poller.start();
  ASSERT_TRUE(inbox.wait_for(2, 20s))
      << "the second mail waited for the IDLE renewal; " << poller.last_error();
  EXPECT_EQ(poller.connections(), 1u);
}

TEST_F(MailboxTest, IdleIsRenewedBeforeTheServerDropsIt) {
  auto o = poller_options(servers->settings());
  o.idle_renewal = 150ms;
  Inbox inbox;
  ImapPoller poller(o, inbox.callback());
  poller.start();
  EXPECT_TRUE(wait_until([&] { return poller.idle_commands() >= 3; }));  // renewed
  servers->deliver(mailtest::make_message(servers->address, "after renewals", 300));
  ASSERT_TRUE(inbox.wait_for(1, 20s)) << poller.last_error();
  EXPECT_EQ(poller.connections(), 1u);
  EXPECT_EQ(poller.last_error(), "");
}

TEST_F(MailboxTest, ExpungeDuringIdleFetchesNothingAgain) {
  Inbox inbox;
  ImapPoller poller(poller_options(servers->settings()), inbox.callback());
  servers->deliver(mailtest::make_message(servers->address, "to expunge", 100));
  servers->deliver(mailtest::make_message(servers->address, "to keep", 100));
  poller.start();
  ASSERT_TRUE(inbox.wait_for(2)) << poller.last_error();
  ASSERT_TRUE(wait_until([&] { return poller.idling(); }));
  ASSERT_EQ(servers->doveadm("expunge -u test mailbox INBOX uid 1"), 0);
  servers->deliver(mailtest::make_message(servers->address, "after expunge", 100));
  ASSERT_TRUE(inbox.wait_for(3)) << poller.last_error();
  std::this_thread::sleep_for(300ms);
  EXPECT_EQ(inbox.size(), 3u);
  EXPECT_EQ(inbox.mails[2].uid, 3u);
}

TEST(MailboxPolling, PollsWhenTheServerHasNoIdle) {
  auto servers = MailServers::start(/*idle=*/false);
  Inbox inbox;
  ImapPoller poller(poller_options(servers->settings()), inbox.callback());
  poller.start();
  ASSERT_TRUE(wait_until([&] { return poller.connections() == 1; })) << poller.last_error();
  servers->deliver(mailtest::make_message(servers->address, "polled", 300));
  ASSERT_TRUE(inbox.wait_for(1, 20s)) << poller.last_error();
  servers->deliver(mailtest::make_message(servers->address, "polled again", 300));
  ASSERT_TRUE(inbox.wait_for(2, 20s)) << poller.last_error();
  EXPECT_FALSE(poller.idling());
  EXPECT_EQ(poller.connections(), 1u);
  EXPECT_EQ(inbox.mails[1].uid, 2u);
}

TEST_F(MailboxTest, TenMegabyteMail) {
  need_smtp();
  auto s = servers->settings(Security::tls, Security::tls);
  auto sent = mailtest::make_message(servers->address, "big", 10 * 1024 * 1024);
  auto r = send_mail(s, "customer@example.test", {servers->address}, sent, kTimeouts);
  ASSERT_TRUE(r.ok) << stage_name(r.stage) << ": " << r.text;
  Inbox inbox;
  ImapPoller poller(poller_options(s), inbox.callback());
  poller.start();
  ASSERT_TRUE(inbox.wait_for(1, 90s)) << poller.last_error();
  EXPECT_GT(inbox.mails[0].raw.size(), 10u * 1024 * 1024);
  EXPECT_TRUE(inbox.mails[0].raw.ends_with(sent));
}

TEST_F(MailboxTest, OversizedMailIsSkippedNotRetriedForever) {
  servers->deliver(mailtest::make_message(servers->address, "too big", 200'000));
  servers->deliver(mailtest::make_message(servers->address, "fine", 1000));
  auto o = poller_options(servers->settings());
  o.max_message_bytes = 100'000;
  Inbox inbox;
  ImapPoller poller(o, inbox.callback());
  poller.start();
  ASSERT_TRUE(inbox.wait_for(1)) << poller.last_error();
  EXPECT_EQ(inbox.mails[0].uid, 2u);
  EXPECT_TRUE(wait_until([&] { return poller.state().last_uid == 2u; }));
}

TEST_F(MailboxTest, UidValidityChangeFetchesTheFolderAgain) {
  servers->deliver(mailtest::make_message(servers->address, "one", 100));
  servers->deliver(mailtest::make_message(servers->address, "two", 100));
  FetchState saved;
  {
    Inbox inbox;
    ImapPoller poller(poller_options(servers->settings()), inbox.callback());
    poller.start();
    ASSERT_TRUE(inbox.wait_for(2)) << poller.last_error();
    poller.stop();
    saved = poller.state();
  }
  EXPECT_EQ(saved.last_uid, 2u);
  {  // Same validity: nothing is fetched twice.
    auto o = poller_options(servers->settings());
    o.start = saved;
    Inbox inbox;
    ImapPoller poller(o, inbox.callback());
    poller.start();
    ASSERT_TRUE(wait_until([&] { return poller.idling(); }));
    EXPECT_EQ(inbox.size(), 0u);
  }
  ASSERT_EQ(servers->doveadm("mailbox update -u test --uid-validity " +
                             std::to_string(saved.uidvalidity + 7) + " INBOX"),
            0);
  auto o = poller_options(servers->settings());
  o.start = saved;
  Inbox inbox;
  ImapPoller poller(o, inbox.callback());
  poller.start();
  ASSERT_TRUE(inbox.wait_for(2)) << poller.last_error();
  EXPECT_EQ(poller.state().uidvalidity, saved.uidvalidity + 7);
  EXPECT_EQ(inbox.mails[0].uidvalidity, saved.uidvalidity + 7);
}

TEST_F(MailboxTest, DroppedConnectionMidFetchLosesAndRepeatsNothing) {
  std::vector<std::string> sent;
  for (int i = 0; i < 5; ++i) {
    sent.push_back(mailtest::make_message(servers->address, "batch " + std::to_string(i), 100'000));
    servers->deliver(sent.back());
  }
  // Cut the first session in the middle of the third message.
  mailtest::CuttingProxy proxy(servers->imap_plain, 250'000);
  auto s = servers->settings(Security::none);
  s.imap.port = proxy.port();
  Inbox inbox;
  ImapPoller poller(poller_options(s), inbox.callback());
  poller.start();
  ASSERT_TRUE(inbox.wait_for(5)) << poller.last_error();
  std::this_thread::sleep_for(300ms);
  ASSERT_EQ(inbox.size(), 5u);
  for (std::size_t i = 0; i < 5; ++i) {
    EXPECT_EQ(inbox.mails[i].uid, i + 1);
    EXPECT_TRUE(inbox.mails[i].raw.ends_with(sent[i])) << i;
  }
  EXPECT_GE(proxy.connections(), 2);
  EXPECT_GE(poller.connections(), 2u);
}

TEST_F(MailboxTest, MarkSeenWhenConfigured) {
  servers->deliver(mailtest::make_message(servers->address, "seen", 100));
  auto o = poller_options(servers->settings());
  o.settings.after_fetch = AfterFetch::mark_seen;
  Inbox inbox;
  ImapPoller poller(o, inbox.callback());
  poller.start();
  ASSERT_TRUE(inbox.wait_for(1)) << poller.last_error();
  auto seen = [&] {
    for (const auto& f : std::filesystem::directory_iterator(servers->maildir + "/cur"))
      if (f.path().filename().string().ends_with(":2,S")) return true;
    return false;
  };
  EXPECT_TRUE(wait_until(seen));
}

TEST_F(MailboxTest, MoveToAnotherFolderWhenConfigured) {
  ASSERT_EQ(servers->doveadm("mailbox create -u test Archive"), 0);
  servers->deliver(mailtest::make_message(servers->address, "moved", 100));
  auto o = poller_options(servers->settings());
  o.settings.after_fetch = AfterFetch::move;
  o.settings.move_to = "Archive";
  Inbox inbox;
  ImapPoller poller(o, inbox.callback());
  poller.start();
  ASSERT_TRUE(inbox.wait_for(1)) << poller.last_error();
  auto files_in = [](const std::string& dir) {
    std::size_t n = 0;
    for (auto sub : {"/cur", "/new"})
      if (std::filesystem::exists(dir + sub))
        for ([[maybe_unused]] const auto& f : std::filesystem::directory_iterator(dir + sub)) ++n;
    return n;
  };
  EXPECT_TRUE(wait_until([&] { return files_in(servers->maildir + "/.Archive") == 1; }));
  EXPECT_TRUE(wait_until([&] { return files_in(servers->maildir) == 0; }));
  EXPECT_EQ(poller.last_error(), "");
}

TEST_F(MailboxTest, LeavesMailUnseenByDefault) {
  servers->deliver(mailtest::make_message(servers->address, "unseen", 100));
  Inbox inbox;
  ImapPoller poller(poller_options(servers->settings()), inbox.callback());
  poller.start();
  ASSERT_TRUE(inbox.wait_for(1)) << poller.last_error();
  poller.stop();
  for (const auto& f : std::filesystem::directory_iterator(servers->maildir + "/cur"))
    EXPECT_EQ(f.path().filename().string().find(":2,S"), std::string::npos);
}

// Each stage of the connection test, against the real servers.
TEST_F(MailboxTest, CheckImapSaysWhichStageFailed) {
  auto ok = servers->settings();
  EXPECT_TRUE(check_imap(ok, kTimeouts).ok);

  auto s = ok;
  s.imap.host = "no-such-host.invalid";
  auto r = check_imap(s, kTimeouts);
  EXPECT_EQ(r.stage, Stage::dns) << r.message;

  s = ok;
  {
    mailtest::CannedServer silent;  // its port is then closed: refused
    s.imap.port = silent.port();
  }
  r = check_imap(s, kTimeouts);
  EXPECT_EQ(r.stage, Stage::connect) << r.message;

  mailtest::CannedServer silent;  // accepts, never answers: bounded by the timeouts
  s.imap.port = silent.port();
  s.imap.security = Security::none;
  auto started = Clock::now();
  r = check_imap(s, {500ms, 500ms});
  EXPECT_EQ(r.stage, Stage::connect) << r.message;
  s.imap.security = Security::tls;
  r = check_imap(s, {500ms, 500ms});
  EXPECT_EQ(r.stage, Stage::tls) << r.message;
  EXPECT_LT(Clock::now() - started, 10s);  // timeouts of 1 s bound it

  s = ok;
  s.ca_file.clear();  // the self-signed certificate is not trusted
  r = check_imap(s, kTimeouts);
  EXPECT_EQ(r.stage, Stage::tls) << r.message;
  EXPECT_NE(r.message.find("certificate verify failed"), std::string::npos) << r.message;
  s.allow_self_signed = true;
  EXPECT_TRUE(check_imap(s, kTimeouts).ok);

  s = ok;
  s.imap.port = servers->imap_plain;  // TLS to a plain port
  r = check_imap(s, kTimeouts);
  EXPECT_EQ(r.stage, Stage::tls) << r.message;

  s = ok;
  s.imap.host = "192.0.2.1";  // plain IMAP off this machine is refused before connecting
  s.imap.security = Security::none;
  EXPECT_EQ(check_imap(s, kTimeouts).stage, Stage::settings);

  s = ok;
  s.folder = "Missing";
  r = check_imap(s, kTimeouts);
  EXPECT_EQ(r.stage, Stage::mailbox) << r.message;

  // Last: Dovecot slows down logins from an address after a failed one.
  s = ok;
  s.imap.password = "wrong";
  r = check_imap(s, kTimeouts);
  EXPECT_EQ(r.stage, Stage::auth) << r.message;
  EXPECT_EQ(r.message.find("wrong"), std::string::npos) << r.message;
}

// Dovecot then refuses the LOGIN command too (LOGINDISABLED): AUTHENTICATE LOGIN.
TEST_F(MailboxTest, AuthenticateLoginWhenPlainIsNotOffered) {
  {
    std::ofstream conf(servers->dir + "/dovecot/dovecot.conf", std::ios::app);
    conf << "auth_mechanisms = login\n";
  }
  servers->deliver(mailtest::make_message(servers->address, "login", 100));
  ASSERT_EQ(servers->doveadm("reload"), 0);
  ASSERT_TRUE(wait_until([&] {
    auto greeting = servers->imap_greeting();
    return greeting.find("AUTH=LOGIN") != std::string::npos &&
           greeting.find("AUTH=PLAIN") == std::string::npos;
  }));
  auto s = servers->settings();
  auto r = check_imap(s, kTimeouts);
  EXPECT_TRUE(r.ok) << r.message;
  Inbox inbox;
  ImapPoller poller(poller_options(s), inbox.callback());
  poller.start();
  EXPECT_TRUE(inbox.wait_for(1)) << poller.last_error();
  s.imap.password = "wrong \"quoted\" \\ password";
  EXPECT_EQ(check_imap(s, kTimeouts).stage, Stage::auth);
}

// A hostile or broken server ends the session with an error, quickly, whatever it sends.
TEST(MailboxHostileServer, GarbageEndlessLinesAndHugeLiteralsAreBounded) {
  MailboxSettings s;
  s.imap = {"127.0.0.1", 0, Security::none, "u", "p"};
  auto check = [&](std::string says) {
    mailtest::CannedServer server(std::move(says));
    s.imap.port = server.port();
    auto started = Clock::now();
    auto r = check_imap(s, {1s, 1s});
    EXPECT_LT(Clock::now() - started, 10s);  // timeouts of 1 s bound it
    return r;
  };
  auto r = check("HTTP/1.1 400 Bad Request\r\n\r\n");
  EXPECT_EQ(r.stage, Stage::protocol) << r.message;
  EXPECT_NE(r.message.find("not an IMAP server"), std::string::npos) << r.message;

  r = check("* OK " + std::string(2 * 1024 * 1024, 'x'));  // a line without end
  EXPECT_EQ(r.stage, Stage::connect) << r.message;
  EXPECT_NE(r.message.find("too long"), std::string::npos) << r.message;

  // A reply announcing a literal bigger than anything expected.
  r = check("* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN SASL-IR] hi\r\n* 1 LIST {99999999999}\r\n");
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.stage, Stage::protocol) << r.message;

  r = check("* BYE go away\r\n");
  EXPECT_EQ(r.stage, Stage::connect) << r.message;
}

TEST_F(MailboxTest, ACallbackThatThrowsGetsTheMessageAgain) {
  servers->deliver(mailtest::make_message(servers->address, "retry me", 100));
  std::atomic<int> calls{0};
  Inbox inbox;
  auto record = inbox.callback();
  ImapPoller poller(poller_options(servers->settings()), [&](const FetchedMail& m) {
    if (++calls == 1) throw std::runtime_error("store unavailable");
    record(m);
  });
  poller.start();
  ASSERT_TRUE(inbox.wait_for(1)) << poller.last_error();
  EXPECT_EQ(calls, 2);
  EXPECT_EQ(inbox.mails[0].uid, 1u);
  EXPECT_TRUE(wait_until([&] { return poller.state().last_uid == 1u; }));
}

TEST_F(MailboxTest, CheckSmtpSaysWhichStageFailed) {
  need_smtp();
  auto ok = servers->settings(Security::tls, Security::starttls);
  auto r = check_smtp(ok, kTimeouts);
  EXPECT_TRUE(r.ok) << stage_name(r.stage) << ": " << r.message;
  EXPECT_TRUE(check_smtp(servers->settings(Security::tls, Security::tls), kTimeouts).ok);

  auto s = ok;
  s.smtp.host = "no-such-host.invalid";
  EXPECT_EQ(check_smtp(s, kTimeouts).stage, Stage::dns);

  s = ok;
  {
    mailtest::CannedServer closed;
    s.smtp.port = closed.port();
  }
  EXPECT_EQ(check_smtp(s, kTimeouts).stage, Stage::connect);

  mailtest::CannedServer silent;  // accepts, never greets: bounded by the connect timeout
  s.smtp.port = silent.port();
  s.smtp.security = Security::starttls;
  auto started = Clock::now();
  r = check_smtp(s, {500ms, 1s});
  EXPECT_EQ(r.stage, Stage::connect) << r.message;
  EXPECT_LT(Clock::now() - started, 10s);  // timeouts of 1 s bound it

  s = ok;
  s.ca_file.clear();
  r = check_smtp(s, kTimeouts);
  EXPECT_EQ(r.stage, Stage::tls) << r.message;

  s = ok;
  s.from_address = "refused@localhost";
  r = check_smtp(s, kTimeouts);
  EXPECT_EQ(r.stage, Stage::mail_from) << r.message;
  EXPECT_NE(r.message.find("550"), std::string::npos) << r.message;

  // Last: Dovecot slows down logins from an address after a failed one.
  s = ok;
  s.smtp.password = "wrong";
  r = check_smtp(s, kTimeouts);
  EXPECT_EQ(r.stage, Stage::auth) << r.message;
  EXPECT_EQ(r.message.find("wrong"), std::string::npos) << r.message;
}

TEST_F(MailboxTest, SendReportsRefusalsWithCodeAndPermanence) {
  need_smtp();
  auto s = servers->settings(Security::tls, Security::starttls);
  auto msg = mailtest::make_message(servers->address, "refused", 100);
  auto r = send_mail(s, "customer@example.test", {"refused@localhost"}, msg, kTimeouts);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.stage, Stage::rcpt) << r.text;
  EXPECT_EQ(r.code / 100, 5) << r.text;
  EXPECT_TRUE(r.permanent);

  r = send_mail(s, "refused@localhost", {servers->address}, msg, kTimeouts);
  EXPECT_EQ(r.stage, Stage::mail_from) << r.text;
  EXPECT_TRUE(r.permanent);

  s.smtp.password = "wrong";
  r = send_mail(s, "customer@example.test", {servers->address}, msg, kTimeouts);
  EXPECT_EQ(r.stage, Stage::auth) << r.text;
  EXPECT_FALSE(r.permanent);  // fixable by the admin: the outbox keeps it

  {
    mailtest::CannedServer closed;
    s.smtp.port = closed.port();
  }
  r = send_mail(s, "customer@example.test", {servers->address}, msg, kTimeouts);
  EXPECT_EQ(r.stage, Stage::connect) << r.text;
  EXPECT_FALSE(r.permanent);
}

}  // namespace
}  // namespace sb::mailbox
