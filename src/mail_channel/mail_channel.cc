#include "mail_channel/mail_channel.h"

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <thread>

#include "email/email.h"
#include "http/http.h"
#include "mail_channel/inbox_config.h"
#include "mailbox/mailbox.h"

namespace sb {
namespace {

namespace json = boost::json;
using mail_channel::InboxConfig;

constexpr int kSendBatch = 20;
constexpr int kMaxAttempts = 8;
constexpr Millis kFirstRetryMs = 60'000;              // then doubling
constexpr auto kIdleWake = std::chrono::seconds(15);  // outbox rows a crash left behind

// A ticket from the widget's offline form or the help center's contact form: the
// customer gets the same acknowledgement as a mail would.
bool is_form_ticket(const Change& c) {
  return c.created && c.conversation.kind == ConversationKind::kOffline &&
         !c.conversation.contact.email.empty();
}

// The SLA timer's reminder to a customer we wait for (sla_runner/) is mailed like a reply.
bool is_sla_reminder(const Event& e) {
  auto* code = e.notice.if_contains("code");
  return e.kind == "system" && code && code->is_string() && code->as_string() == "sla_reminder";
}

bool is_reply(const Change& c) {
  if (!c.event) return false;
  bool agent_message = c.event->kind == "message" && c.event->author.type == AuthorType::kAgent;
  if (!agent_message && !is_sla_reminder(*c.event)) return false;
  const auto& conv = c.conversation;
  bool mail_ticket =
      conv.kind == ConversationKind::kEmail || conv.kind == ConversationKind::kOffline;
  return mail_ticket && !conv.contact.email.empty();
}

json::object check_json(const mailbox::CheckResult& r) {
  return {{"ok", r.ok}, {"stage", mailbox::stage_name(r.stage)}, {"message", r.message}};
}

void log_error(const std::string& what, Id id, const std::string& error) {
  log_json({{"level", "error"}, {"msg", what}, {"id", id}, {"error", error}});
}

}  // namespace

struct MailChannel::Impl {
  MailChannelDeps deps;
  mailbox::PasswordBox box;
  email::MailIngest ingest;

  std::mutex mu;
  std::map<Id, InboxConfig> configs;  // by inbox
  std::map<Id, std::unique_ptr<mailbox::ImapPoller>> pollers;
  std::deque<Change> replies;         // committed agent messages to turn into mail
  std::deque<Conversation> arrivals;  // form tickets to acknowledge
  std::condition_variable wake;
  bool stopping = false;
  std::thread worker;

  explicit Impl(MailChannelDeps d)
      : deps(std::move(d)),
        box(mailbox::PasswordBox::open(deps.env, deps.data_dir)),
        ingest(deps.mail, deps.conversations, deps.env, deps.files_root) {}

  InboxConfig load(const InboxMail& row) { return mail_channel::read_stored(row, box); }

  // Replaces the inbox's poller by one for `c` (none when e-mail is off).
  void restart_poller(const InboxConfig& c, const mailbox::FetchState& from) {
    std::unique_ptr<mailbox::ImapPoller> old;
    {
      std::lock_guard lock(mu);
      auto it = pollers.find(c.identity.inbox_id);
      if (it != pollers.end()) {
        old = std::move(it->second);
        pollers.erase(it);
      }
    }
    old.reset();  // stops it, outside the lock: its last on_mail may be running
    if (!c.enabled) return;
    mailbox::PollerOptions o;
    o.settings = c.mailbox;
    o.start = from;
    auto identity = c.identity;
    auto poller = std::make_unique<mailbox::ImapPoller>(
        o, [this, identity](const mailbox::FetchedMail& m) { on_mail(identity, m); });
    poller->start();
    std::lock_guard lock(mu);
    pollers[c.identity.inbox_id] = std::move(poller);
  }

  void on_mail(const email::MailInbox& inbox, const mailbox::FetchedMail& m) {
    auto r = ingest.ingest(m.raw, inbox);  // throws: the poller fetches it again later
    deps.directory.set_inbox_mail_fetched(inbox.workspace_id, inbox.inbox_id, m.uidvalidity, m.uid);
    if (r.created) wake.notify_all();  // its acknowledgement is queued
    log_json({{"level", "info"},
              {"msg", "mail received"},
              {"inbox", inbox.inbox_id},
              {"ticket", r.conversation ? json::value(r.conversation->id) : json::value(nullptr)},
              {"how", r.reason}});
  }

  // The inbox that sends a ticket's mail: its own when it has e-mail, else the
  // workspace's first that has (offline forms come from widget inboxes).
  std::optional<InboxConfig> sender_for(Id workspace, Id inbox) {
    std::lock_guard lock(mu);
    if (auto it = configs.find(inbox); it != configs.end() && it->second.enabled) return it->second;
    for (const auto& [id, c] : configs)
      if (c.identity.workspace_id == workspace && c.enabled) return c;
    return std::nullopt;
  }

  std::optional<InboxConfig> config_by_address(Id workspace, const std::string& address) {
    std::lock_guard lock(mu);
    for (const auto& [id, c] : configs)
      if (c.identity.workspace_id == workspace && c.identity.is_own(address)) return c;
    return std::nullopt;
  }

  // The change carries the conversation as committed: its inbox, no read needed.
  void queue(const Change& c) {
    const auto& e = *c.event;
    const auto& conv = c.conversation;
    auto sender = sender_for(e.workspace_id, conv.inbox_id);
    if (!sender) {
      log_error("no e-mail inbox to send a reply from", conv.inbox_id, "");
      return;
    }
    try {
      email::queue_reply(deps.mail, deps.env, sender->identity, e, {e.author.name, ""});
    } catch (const StoreError& err) {  // queued before (unique per event), or the ticket is gone
      log_error("reply not queued", conv.inbox_id, err.what());
    }
  }

  void acknowledge(const Conversation& c) {
    auto sender = sender_for(c.workspace_id, c.inbox_id);
    if (!sender || !sender->identity.acknowledge) return;
    email::acknowledge(deps.mail, deps.env, sender->identity, c.id);
  }

  void send(const OutboxMail& m) {
    auto c = config_by_address(m.workspace_id, m.envelope_from);
    if (!c) {
      deps.mail.mark_mail_failed(m.workspace_id, m.id, "no e-mail inbox sends from this address",
                                 std::nullopt);
      return;
    }
    auto r = mailbox::send_mail(c->mailbox, m.envelope_from, m.recipients, m.raw);
    if (r.ok) {
      deps.mail.mark_mail_sent(m.workspace_id, m.id);
      return;
    }
    std::optional<Millis> retry;
    if (!r.permanent && m.attempts + 1 < kMaxAttempts)
      retry = deps.env.now_ms() + (kFirstRetryMs << std::min(m.attempts, 10));
    auto error = std::string(mailbox::stage_name(r.stage)) + ": " + r.text;
    deps.mail.mark_mail_failed(m.workspace_id, m.id, error, retry);
    log_error("mail not sent", m.conversation_id, error);
  }

  void run() {
    std::unique_lock lock(mu);
    while (!stopping) {
      while (!arrivals.empty()) {
        auto c = std::move(arrivals.front());
        arrivals.pop_front();
        lock.unlock();
        guarded("acknowledging a form ticket", [&] { acknowledge(c); });
        lock.lock();
      }
      while (!replies.empty()) {
        auto e = std::move(replies.front());
        replies.pop_front();
        lock.unlock();
        guarded("queueing a reply", [&] { queue(e); });
        lock.lock();
      }
      lock.unlock();
      guarded("sending mail", [&] {
        for (const auto& m : deps.mail.due_mail(deps.env.now_ms(), kSendBatch)) send(m);
      });
      lock.lock();
      wake.wait_for(lock, kIdleWake,
                    [&] { return stopping || !replies.empty() || !arrivals.empty(); });
    }
  }

  template <class F>
  void guarded(const char* what, F&& f) {
    try {
      f();
    } catch (const std::exception& e) {
      log_error(what, 0, e.what());
    }
  }
};

MailChannel::MailChannel(MailChannelDeps deps) : impl_(std::make_unique<Impl>(std::move(deps))) {}

MailChannel::~MailChannel() {
  stop();
}

void MailChannel::start() {
  for (const auto& row : impl_->deps.directory.list_inbox_mail()) {
    try {
      auto c = impl_->load(row);
      {
        std::lock_guard lock(impl_->mu);
        impl_->configs[row.inbox_id] = c;
      }
      impl_->restart_poller(c, {row.uidvalidity, row.last_uid});
    } catch (const std::exception& e) {
      log_error("e-mail inbox not started", row.inbox_id, e.what());
    }
  }
  impl_->worker = std::thread([this] { impl_->run(); });
}

void MailChannel::stop() {
  {
    std::lock_guard lock(impl_->mu);
    if (impl_->stopping) return;
    impl_->stopping = true;
  }
  impl_->wake.notify_all();
  if (impl_->worker.joinable()) impl_->worker.join();
  std::map<Id, std::unique_ptr<mailbox::ImapPoller>> pollers;
  {
    std::lock_guard lock(impl_->mu);
    pollers.swap(impl_->pollers);
  }
  pollers.clear();  // each stops its thread
}

void MailChannel::on_changes(const ChangeBatch& batch) {
  bool queued = false;
  {
    std::lock_guard lock(impl_->mu);
    for (const auto& c : *batch) {
      if (is_reply(c)) {
        impl_->replies.push_back(c);
        queued = true;
      } else if (is_form_ticket(c)) {
        impl_->arrivals.push_back(c.conversation);
        queued = true;
      }
    }
  }
  if (queued) impl_->wake.notify_all();
}

bool MailChannel::send_transcript(Id workspace, Id conversation, const std::string& to) {
  auto& d = impl_->deps;
  auto conv = d.conversations.get_conversation(workspace, conversation);
  if (!conv) throw StoreError(StoreError::Code::kNotFound, "conversation not found");
  auto sender = impl_->sender_for(workspace, conv->inbox_id);
  if (!sender) return false;
  std::vector<Event> events;
  constexpr int kPage = 500, kMaxEvents = 5000;  // a transcript, not an archive
  for (std::int64_t after = 0; events.size() < kMaxEvents;) {
    auto page = d.conversations.events_after(workspace, conversation, after, false, kPage);
    events.insert(events.end(), page.begin(), page.end());
    if (page.size() < kPage) break;
    after = page.back().seq;
  }
  email::queue_transcript(d.mail, d.env, sender->identity, *conv, events, to);
  impl_->wake.notify_all();
  return true;
}

json::object MailChannel::settings(Id workspace, Id inbox) {
  if (!impl_->deps.directory.get_inbox(workspace, inbox))
    throw StoreError(StoreError::Code::kNotFound, "inbox not found");
  auto row = impl_->deps.directory.get_inbox_mail(workspace, inbox);
  if (!row) return mail_channel::to_api(InboxConfig{});
  return mail_channel::to_api(impl_->load(*row));
}

json::object MailChannel::save_settings(Id workspace, Id inbox, const json::value& body) {
  auto& d = impl_->deps;
  if (!d.directory.get_inbox(workspace, inbox))
    throw StoreError(StoreError::Code::kNotFound, "inbox not found");
  auto row = d.directory.get_inbox_mail(workspace, inbox);
  InboxConfig previous = row ? impl_->load(*row) : InboxConfig{};
  if (!row) previous.identity.token_key = d.env.random_hex(32);
  auto next = mail_channel::from_api(body, previous);
  next.identity.workspace_id = workspace;
  next.identity.inbox_id = inbox;
  // Another mailbox: fetching starts again from its beginning (duplicates are dropped).
  bool same_mailbox = row && previous.mailbox.imap.host == next.mailbox.imap.host &&
                      previous.mailbox.imap.user == next.mailbox.imap.user &&
                      previous.mailbox.folder == next.mailbox.folder;
  InboxMail saved{inbox,
                  workspace,
                  next.enabled,
                  mail_channel::to_stored(next, impl_->box),
                  same_mailbox ? row->uidvalidity : 0u,
                  same_mailbox ? row->last_uid : 0u,
                  0};
  saved = d.directory.save_inbox_mail(saved);
  {
    std::lock_guard lock(impl_->mu);
    impl_->configs[inbox] = next;
  }
  impl_->restart_poller(next, {saved.uidvalidity, saved.last_uid});
  return mail_channel::to_api(next);
}

json::object MailChannel::test(Id workspace, Id inbox, const json::value* body) {
  auto& d = impl_->deps;
  if (!d.directory.get_inbox(workspace, inbox))
    throw StoreError(StoreError::Code::kNotFound, "inbox not found");
  auto row = d.directory.get_inbox_mail(workspace, inbox);
  InboxConfig c = row ? impl_->load(*row) : InboxConfig{};
  if (body) c.mailbox = mailbox::from_json(*body, &c.mailbox);
  mail_channel::refuse_if_any(mailbox::validate(c.mailbox));
  return {{"imap", check_json(mailbox::check_imap(c.mailbox))},
          {"smtp", check_json(mailbox::check_smtp(c.mailbox))}};
}

json::object MailChannel::status(Id workspace, Id inbox) {
  if (!impl_->deps.directory.get_inbox(workspace, inbox))
    throw StoreError(StoreError::Code::kNotFound, "inbox not found");
  std::lock_guard lock(impl_->mu);
  auto it = impl_->pollers.find(inbox);
  if (it == impl_->pollers.end()) return {{"running", false}};
  const auto& p = *it->second;
  auto state = p.state();
  return {{"running", true},
          {"idling", p.idling()},
          {"last_error", p.last_error()},
          {"connections", p.connections()},
          {"uidvalidity", state.uidvalidity},
          {"last_uid", state.last_uid}};
}

}  // namespace sb
