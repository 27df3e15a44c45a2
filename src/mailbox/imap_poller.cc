// The poller's thread: one IMAP session at a time, IDLE when the server offers
// it, else NOOP + fetch every poll interval; any failure ends the session and a
// new one starts after a growing delay.
#include <algorithm>

#include "mailbox/imap_connection.h"
#include "mailbox/mailbox.h"

namespace sb::mailbox {

using std::chrono::milliseconds;

namespace {

constexpr milliseconds kMaxReconnectDelay{5 * 60'000};

void after_fetch(ImapConnection& c, const MailboxSettings& s,
                 const std::vector<std::uint32_t>& uids) {
  for (auto uid : uids) {
    if (s.after_fetch == AfterFetch::mark_seen) c.mark_seen(uid);
    if (s.after_fetch == AfterFetch::move) c.move(uid, s.move_to);
  }
}

}  // namespace

CheckResult check_imap(const MailboxSettings& s, const Timeouts& t) {
  try {
    ImapConnection c(s, t);
    c.connect();
    c.login();
    c.select(s.folder);
    c.logout();
    return {true, Stage::none, "connected, logged in and opened " + s.folder};
  } catch (const MailError& e) {
    return {false, e.stage, e.what()};
  } catch (const std::exception& e) {
    return {false, Stage::protocol, e.what()};
  }
}

ImapPoller::ImapPoller(PollerOptions options, OnMail on_mail)
    : options_(std::move(options)), on_mail_(std::move(on_mail)), state_(options_.start) {}

ImapPoller::~ImapPoller() {
  stop();
}

void ImapPoller::start() {
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this] { run(); });
}

void ImapPoller::stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

FetchState ImapPoller::state() const {
  std::lock_guard lock(mu_);
  return state_;
}

std::string ImapPoller::last_error() const {
  std::lock_guard lock(mu_);
  return last_error_;
}

bool ImapPoller::sleep_for(milliseconds d) {
  std::unique_lock lock(mu_);
  wake_.wait_for(lock, d, [&] { return stopping_.load(); });
  return !stopping_;
}

void ImapPoller::run() {
  auto delay = options_.reconnect_delay;
  while (!stopping_) {
    try {
      session();
      delay = options_.reconnect_delay;
    } catch (const std::exception& e) {
      std::lock_guard lock(mu_);
      last_error_ = e.what();
    }
    idling_ = false;
    if (!sleep_for(delay)) break;
    delay = std::min(delay * 2, kMaxReconnectDelay);
  }
}

void ImapPoller::session() {
  const auto& s = options_.settings;
  ImapConnection c(s, options_.timeouts);
  c.connect();
  c.login();
  auto folder = c.select(s.folder);
  ++connections_;
  {
    std::lock_guard lock(mu_);
    if (state_.uidvalidity != folder.uidvalidity) {
      // The server renumbered the folder: every UID we know is meaningless.
      if (state_.uidvalidity != 0) state_.last_uid = 0;
      state_.uidvalidity = folder.uidvalidity;
    }
    last_error_.clear();
  }
  bool use_idle = c.has_capability("IDLE");
  while (!stopping_) {
    c.take_mail_announcement();  // this fetch gets everything announced so far
    std::vector<std::uint32_t> fetched;
    c.fetch_from(state().last_uid + 1, options_.max_message_bytes,
                 [&](std::uint32_t uid, std::string raw, bool oversized) {
                   if (!oversized) on_mail_(FetchedMail{std::move(raw), uid, folder.uidvalidity});
                   std::lock_guard lock(mu_);
                   state_.last_uid = std::max(state_.last_uid, uid);
                   fetched.push_back(uid);
                 });
    after_fetch(c, s, fetched);
    if (c.take_mail_announcement()) continue;  // arrived meanwhile: fetch it now
    if (use_idle) {
      idling_ = true;
      ++idle_commands_;
      auto outcome = c.idle(options_.idle_renewal, stopping_);
      idling_ = false;
      if (outcome == IdleOutcome::stopping) break;
    } else {
      if (!sleep_for(options_.poll_interval)) break;
      c.noop();  // lets the server announce what arrived
    }
  }
  c.logout();
}

}  // namespace sb::mailbox
