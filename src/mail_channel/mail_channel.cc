#include "mail_channel/mail_channel.h"

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <set>
#include <thread>
#include <utility>

#include "email/email.h"
#include "http/http.h"
#include "mail_channel/inbox_config.h"
#include "mail_channel/mail_page.h"
#include "mailbox/mailbox.h"

namespace sb {
namespace {

namespace json = boost::json;
using mail_channel::InboxConfig;

constexpr int kSendBatch = 20;
constexpr int kMaxAttempts = 8;
constexpr Millis kFirstRetryMs = 60'000;              // then doubling
constexpr auto kIdleWake = std::chrono::seconds(15);  // outbox rows a crash left behind
// Replies a crash lost between their commit and the worker: looked for at start,
// this far back (older ones would surprise a customer more than help).
constexpr Millis kLostReplyWindowMs = 3LL * 24 * 3600 * 1000;
constexpr int kLostReplyLimit = 1000;
constexpr Millis kSurveyLinkMs = 30LL * 24 * 3600 * 1000;  // a ticket survey link lives
// An agent's attachments go with the mail up to this much in all (SMTP servers
// commonly refuse above 25 MB, and base64 adds a third).
constexpr std::int64_t kMaxMailedBytes = 18 << 20;

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

// A mail ticket just solved (by its status, or by closing it) whose customer
// has an address: the moment to ask how we did.
bool is_solved_mail_ticket(const Change& c) {
  if (!c.event || c.event->kind != "system" || !c.conversation.ticket) return false;
  auto code = json_string(c.event->notice, "code").value_or("");
  if (code != "ticket_status" && code != "closed") return false;
  const auto& conv = c.conversation;
  bool mail_ticket =
      conv.kind == ConversationKind::kEmail || conv.kind == ConversationKind::kOffline;
  return mail_ticket && conv.ticket->status == TicketStatus::kSolved && !conv.contact.email.empty();
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

// An attachment's bytes: kept in the store (small files that came by mail) or in
// the file store (uploads, big parts).
std::optional<std::string> attachment_bytes(const MailChannelDeps& d, Id workspace,
                                            const std::string& id) {
  if (auto kept = d.conversations.attachment_bytes(workspace, id)) return kept;
  return d.env.read_file((d.files_root / std::to_string(workspace) / id).string());
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
  std::deque<Conversation> solved;    // tickets whose customer is asked how we did
  std::condition_variable wake;
  // Inboxes whose settings another node changed, read again by the worker:
  // stopping a poller may wait seconds for its IMAP connection.
  std::set<std::pair<Id, Id>> reloads;  // workspace, inbox
  bool stopping = false;
  std::thread worker;

  explicit Impl(MailChannelDeps d)
      : deps(std::move(d)),
        box(mailbox::PasswordBox::open(deps.env, deps.data_dir)),
        ingest(deps.mail, deps.conversations, deps.env, deps.files_root) {}

  InboxConfig load(const InboxMail& row) { return mail_channel::read_stored(row, box); }

  bool leads(Id workspace) const { return !deps.leads || deps.leads(workspace); }

  // Replaces the inbox's poller by one for `c` (none when e-mail is off, or
  // while another node leads the workspace).
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
    if (!c.enabled || !leads(c.identity.workspace_id)) return;
    {
      std::lock_guard lock(mu);
      if (stopping) return;  // another node's news came in late
    }
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

  // The inbox's settings and fetch state as the database has them now.
  void reload(Id workspace, Id inbox) {
    auto row = deps.directory.get_inbox_mail(workspace, inbox);
    if (!row) return;
    auto c = load(*row);
    {
      std::lock_guard lock(mu);
      configs[inbox] = c;
    }
    restart_poller(c, {row->uidvalidity, row->last_uid});
  }

  // Pollers follow the lease: a workspace this node leads now gets its pollers,
  // from the database (the previous leader fetched and may have saved since);
  // one it no longer leads loses them.
  void follow_leases() {
    if (!deps.leads) return;
    std::vector<std::pair<Id, Id>> gained;  // workspace, inbox
    std::vector<InboxConfig> lost;
    {
      std::lock_guard lock(mu);
      for (const auto& [inbox, c] : configs) {
        bool polled = pollers.count(inbox) > 0;
        bool ours = c.enabled && leads(c.identity.workspace_id);
        if (ours && !polled) gained.push_back({c.identity.workspace_id, inbox});
        if (!ours && polled) lost.push_back(c);
      }
    }
    for (const auto& c : lost) restart_poller(c, {});  // stops it: not ours
    for (const auto& [ws, inbox] : gained)
      guarded("starting an e-mail inbox", [&] { reload(ws, inbox); });
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

  // The agent's name and title as the signature shows them.
  email::AgentSignature signer(Id workspace, const Author& author) {
    auto agent = deps.directory.get_agent(workspace, author.id);
    return {agent ? agent->name : author.name, agent ? agent->title : ""};
  }

  // The files an agent sent with a message, read back from where uploads are kept.
  std::vector<mime::Attachment> files_of(const Event& e) {
    std::vector<mime::Attachment> out;
    std::int64_t total = 0;
    for (const auto& v : e.attachments) {
      if (!v.is_object()) continue;
      const auto& a = v.as_object();
      auto id = json_string(a, "id").value_or("");
      if (id.empty() || id.find('/') != std::string::npos) continue;
      auto bytes = attachment_bytes(deps, e.workspace_id, id);
      if (!bytes || total + static_cast<std::int64_t>(bytes->size()) > kMaxMailedBytes) continue;
      total += static_cast<std::int64_t>(bytes->size());
      mime::Attachment f;
      f.filename = json_string(a, "name").value_or("attachment");
      f.content_type = json_string(a, "content_type").value_or("application/octet-stream");
      f.size = static_cast<std::int64_t>(bytes->size());
      f.data = std::move(*bytes);
      out.push_back(std::move(f));
    }
    return out;
  }

  // A reply posted with its mail (post_reply): its files need not be read again.
  bool mailed_already(const Event& e) {
    auto thread = deps.mail.mail_thread(e.workspace_id, e.conversation_id);
    if (!thread) return false;
    return std::any_of(thread->ids.begin(), thread->ids.end(),
                       [&](const MailId& m) { return m.event_id == e.id; });
  }

  // The change carries the conversation as committed: its inbox, no read needed.
  void queue(const Event& e, const Conversation& conv) {
    auto sender = sender_for(e.workspace_id, conv.inbox_id);
    if (!sender) {
      log_error("no e-mail inbox to send a reply from", conv.inbox_id, "");
      return;
    }
    try {
      email::ReplyExtras extras;
      if (!e.attachments.empty() && !mailed_already(e)) extras.files = files_of(e);
      email::queue_reply(deps.mail, deps.env, sender->identity, e, signer(e.workspace_id, e.author),
                         extras);
    } catch (const StoreError& err) {  // queued before (unique per event), or the ticket is gone
      log_error("reply not queued", conv.inbox_id, err.what());
    }
  }

  // Agents' messages committed but never turned into mail (a crash in between).
  void requeue_lost() {
    auto since = deps.env.now_ms() - kLostReplyWindowMs;
    for (const auto& e : deps.mail.unmailed_replies(since, kLostReplyLimit)) {
      auto conv = deps.conversations.get_conversation(e.workspace_id, e.conversation_id);
      if (conv) guarded("queueing a lost reply", [&] { queue(e, *conv); });
    }
  }

  void acknowledge(const Conversation& c) {
    auto sender = sender_for(c.workspace_id, c.inbox_id);
    if (!sender || !sender->identity.acknowledge) return;
    email::acknowledge(deps.mail, deps.env, sender->identity, c.id);
  }

  // The workspace's ticket survey, if it has one and it is active.
  std::optional<Survey> ticket_survey(Id ws) {
    auto settings = deps.surveys->survey_settings(ws);
    auto* t = settings.if_contains("tickets");
    if (!t || !t->is_object() || !json_bool(t->as_object(), "enabled").value_or(false))
      return std::nullopt;
    auto id = json_int(t->as_object(), "survey_id");
    auto s = id ? deps.surveys->survey(ws, *id) : std::nullopt;
    if (!s || s->status != "active") return std::nullopt;
    return s;
  }

  void ask_rating(const Conversation& c) {
    if (!deps.surveys || !deps.public_url) return;
    auto survey = ticket_survey(c.workspace_id);
    if (!survey || deps.surveys->has_survey_link(c.workspace_id, c.id, "email")) return;
    auto sender = sender_for(c.workspace_id, c.inbox_id);
    if (!sender) return;
    auto token = deps.env.random_hex(24);
    SurveyLink link;
    link.token_hash = security::sha256_hex(token);
    link.workspace_id = c.workspace_id;
    link.survey_id = survey->id;
    link.contact_id = c.contact.id;
    link.conversation_id = c.id;
    link.channel = "email";
    link.expires_at = deps.env.now_ms() + kSurveyLinkMs;
    deps.surveys->create_survey_link(link);
    email::queue_survey_invite(deps.mail, deps.env, sender->identity, c, c.contact.email,
                               deps.public_url() + "/s/" + token);
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

  // Turns what the change feed handed over into outbox rows (database only).
  void take_queued(std::unique_lock<std::mutex>& lock) {
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
      guarded("queueing a reply", [&] { queue(*e.event, e.conversation); });
      lock.lock();
    }
    while (!solved.empty()) {
      auto c = std::move(solved.front());
      solved.pop_front();
      lock.unlock();
      guarded("asking a customer how we did", [&] { ask_rating(c); });
      lock.lock();
    }
  }

  void run() {
    std::unique_lock lock(mu);
    while (!stopping) {
      take_queued(lock);
      auto changed = std::exchange(reloads, {});
      lock.unlock();
      for (const auto& [ws, inbox] : changed)
        guarded("reading an inbox's mail settings again", [&] { reload(ws, inbox); });
      follow_leases();
      guarded("sending mail", [&] {
        for (const auto& m : deps.mail.due_mail(deps.env.now_ms(), kSendBatch))
          if (leads(m.workspace_id)) send(m);  // else its leader's worker sends it
      });
      lock.lock();
      auto idle = deps.leads ? std::min<std::chrono::milliseconds>(
                                   kIdleWake, std::chrono::milliseconds(deps.follow_ms))
                             : std::chrono::milliseconds(kIdleWake);
      wake.wait_for(lock, idle, [&] {
        return stopping || !replies.empty() || !arrivals.empty() || !solved.empty() ||
               !reloads.empty();
      });
    }
    // Stopping: what was committed before still gets its outbox row, so a restart
    // sends it (the rows survive; a list in memory would not). Sending waits.
    take_queued(lock);
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
  impl_->worker = std::thread([this] {
    impl_->guarded("looking for lost replies", [this] { impl_->requeue_lost(); });
    impl_->run();
  });
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
      } else if (is_solved_mail_ticket(c)) {
        impl_->solved.push_back(c.conversation);
        queued = true;
      }
    }
  }
  if (queued) impl_->wake.notify_all();
}

AppendResult MailChannel::post_reply(const NewEvent& message, const MailReply& reply) {
  auto& d = impl_->deps;
  auto conv = d.conversations.get_conversation(message.workspace_id, message.conversation_id);
  if (!conv) throw StoreError(StoreError::Code::kNotFound, "conversation not found");
  auto sender = impl_->sender_for(message.workspace_id, conv->inbox_id);
  if (!sender) throw std::invalid_argument("no e-mail inbox of this workspace sends mail");
  Event as_sent;  // what files_of reads: the workspace and the attachments
  as_sent.workspace_id = message.workspace_id;
  as_sent.attachments = message.attachments;
  email::ReplyExtras extras{reply.cc, reply.bcc, impl_->files_of(as_sent), reply.quote};
  auto [stored, mail] =
      email::post_reply(d.mail, d.env, sender->identity, message,
                        impl_->signer(message.workspace_id, message.author), extras);
  if (mail) impl_->wake.notify_all();
  return *stored;
}

bool MailChannel::retry(Id workspace, Id ticket, Id event) {
  bool queued = impl_->deps.mail.retry_mail(workspace, ticket, event);
  if (queued) impl_->wake.notify_all();
  return queued;
}

std::optional<std::string> MailChannel::mail_page(Id workspace, Id ticket, Id event, bool remote,
                                                  std::string& policy) {
  auto& d = impl_->deps;
  constexpr int kMailsLooked = 1000;
  std::optional<MailEntry> mail;
  for (auto& e : d.mail.ticket_mail(workspace, ticket, kMailsLooked))
    if (e.id.event_id == event) mail = std::move(e);
  if (!mail || mail->content.html.empty()) return std::nullopt;
  policy = mail_channel::page_policy(remote, true);
  auto image = [&](std::string_view id) -> std::optional<mail_channel::ImageBytes> {
    auto a = d.conversations.get_attachment(workspace, std::string(id));
    if (!a || a->conversation_id != ticket || a->content_type.rfind("image/", 0) != 0 ||
        id.find('/') != std::string_view::npos)
      return std::nullopt;
    auto bytes = attachment_bytes(d, workspace, a->id);
    if (!bytes) return std::nullopt;
    return mail_channel::ImageBytes{a->content_type, std::move(*bytes)};
  };
  return mail_channel::mail_page(std::move(mail->content.html), remote, image);
}

std::optional<std::string> MailChannel::signature(Id workspace, Id inbox, Id agent) {
  auto sender = impl_->sender_for(workspace, inbox);
  if (!sender) return std::nullopt;
  return email::signature_text(impl_->signer(workspace, {AuthorType::kAgent, agent, ""}),
                               sender->identity);
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
  if (d.changed) d.changed(workspace, inbox);
  return mail_channel::to_api(next);
}

int MailChannel::pollers_running() {
  std::lock_guard lock(impl_->mu);
  return static_cast<int>(impl_->pollers.size());
}

void MailChannel::reload_inbox(Id workspace, Id inbox) {
  {
    std::lock_guard lock(impl_->mu);
    impl_->reloads.insert({workspace, inbox});
  }
  impl_->wake.notify_all();
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
  {
    std::lock_guard lock(impl_->mu);
    auto it = impl_->pollers.find(inbox);
    if (it != impl_->pollers.end()) {
      const auto& p = *it->second;
      auto state = p.state();
      return {{"running", true},
              {"idling", p.idling()},
              {"last_error", p.last_error()},
              {"connections", p.connections()},
              {"uidvalidity", state.uidvalidity},
              {"last_uid", state.last_uid}};
    }
  }
  // Not here: e-mail is off, or (cluster mode) the node that leads the
  // workspace fetches it, so the admin is not told that nothing is received.
  auto row = impl_->deps.directory.get_inbox_mail(workspace, inbox);
  bool elsewhere = row && row->enabled && !impl_->leads(workspace);
  return {{"running", false}, {"elsewhere", elsewhere}};
}

}  // namespace sb
