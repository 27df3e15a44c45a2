// E-mail inbox settings: the mailbox (IMAP, SMTP), the mail identity, a
// connection test that says what failed, and the poller's status. Admins only;
// passwords go in and never come out. And a mail ticket's mail for the agents who
// may see the ticket: what each mail was (HTML, quoted history, headers), how our
// replies fared, replies with Cc/Bcc, and sending a failed one again.
#include <stdexcept>

#include "api/abuse.h"
#include "api/routes.h"
#include "http/http.h"
#include "mail_channel/mail_channel.h"
#include "protocol/protocol.h"

namespace sb {
namespace {

namespace json = boost::json;

// A refused setting is the admin's to fix: 422 with every problem in words.
template <class F>
json::object settings_call(F&& f) {
  try {
    return f();
  } catch (const std::invalid_argument& e) {
    throw HttpError(422, "invalid_settings", e.what());
  }
}

http::Response get_settings(const MailServices& svc, const http::Request& req, const Params& p) {
  auto admin = svc.auth.require_admin(req);
  return http::json(200, svc.channel.settings(admin.workspace_id, parse_id(p[0])));
}

http::Response put_settings(const MailServices& svc, const http::Request& req, const Params& p) {
  auto admin = svc.auth.require_admin(req);
  Id inbox = parse_id(p[0]);
  auto before = svc.channel.settings(admin.workspace_id, inbox);
  json::value body = parse_json_object(req.body);
  auto after =
      settings_call([&] { return svc.channel.save_settings(admin.workspace_id, inbox, body); });
  svc.audit.record(admin, req, "inbox.email", "inbox", std::to_string(inbox), before, after);
  return http::json(200, after);
}

http::Response test_settings(const MailServices& svc, const http::Request& req, const Params& p) {
  auto admin = svc.auth.require_admin(req);
  enforce_rate(svc.abuse.mail_tests, std::to_string(admin.workspace_id), svc.env.now_ms());
  Id inbox = parse_id(p[0]);
  std::optional<json::value> body;
  if (!req.body.empty()) body = parse_json_object(req.body);
  return http::json(200, settings_call([&] {
                      return svc.channel.test(admin.workspace_id, inbox, body ? &*body : nullptr);
                    }));
}

http::Response status(const MailServices& svc, const http::Request& req, const Params& p) {
  auto admin = svc.auth.require_admin(req);
  return http::json(200, svc.channel.status(admin.workspace_id, parse_id(p[0])));
}

// A ticket's mail: bounded (a long ticket shows its first mails; the events show all).
constexpr int kMaxMailShown = 200;
constexpr std::size_t kMaxCopies = 20;            // Cc and Bcc each
constexpr std::size_t kMaxQuoteBytes = 64 << 10;  // the quoted mail below the signature

json::array addresses_json(const std::vector<MailAddress>& list) {
  json::array out;
  for (const auto& a : list) out.push_back({{"name", a.name}, {"address", a.address}});
  return out;
}

bool is_mail_ticket(const Conversation& c) {
  return c.kind == ConversationKind::kEmail ||
         (c.kind == ConversationKind::kOffline && !c.contact.email.empty());
}

json::object delivery_json(const OutboxMail& m) {
  return {{"status", m.status == OutboxStatus::kSent     ? "sent"
                     : m.status == OutboxStatus::kFailed ? "failed"
                                                         : "queued"},
          {"attempts", m.attempts},
          {"last_error", m.last_error},
          {"next_attempt_at", m.next_attempt_at},
          {"sent_at", m.sent_at ? json::value(*m.sent_at) : nullptr}};
}

json::object entry_json(const MailEntry& e) {
  json::object o{{"event_id", e.id.event_id ? json::value(*e.id.event_id) : nullptr},
                 {"message_id", e.id.message_id},
                 {"direction", e.id.direction == MailDirection::kIn ? "in" : "out"},
                 {"created_at", e.id.created_at},
                 {"subject", e.content.subject},
                 {"from", {{"name", e.content.from.name}, {"address", e.content.from.address}}},
                 {"to", addresses_json(e.content.to)},
                 {"cc", addresses_json(e.content.cc)},
                 {"bcc", addresses_json(e.content.bcc)},
                 {"html", e.content.html},
                 {"quoted", e.content.quoted}};
  o["delivery"] = e.outbox ? json::value(delivery_json(*e.outbox)) : nullptr;
  return o;
}

http::Response ticket_mail(const MailServices& svc, const http::Request& req, const Params& p) {
  auto actor = svc.auth.require_agent(req);
  auto conv = accessible_conversation(svc.conversations, actor, parse_id(p[0]));
  json::object out{{"conversation_id", conv.id}, {"mail", is_mail_ticket(conv)}};
  json::array messages, participants;
  // A reply goes where the customer last wrote from (their contact may have several).
  MailAddress to{conv.contact.name, conv.contact.email};
  if (is_mail_ticket(conv)) {
    for (const auto& e : svc.mail.ticket_mail(actor.workspace_id, conv.id, kMaxMailShown))
      messages.push_back(entry_json(e));
    if (auto t = svc.mail.mail_thread(actor.workspace_id, conv.id)) {
      if (!t->customer.address.empty())
        to = {t->customer.name.empty() ? to.name : t->customer.name, t->customer.address};
      std::vector<MailAddress> others;  // the composer's Cc: not the To again
      for (const auto& p : t->participants)
        if (lower_ascii(p.address) != lower_ascii(to.address)) others.push_back(p);
      participants = addresses_json(others);
    }
  }
  out["to"] = {{"name", to.name}, {"address", to.address}};
  out["participants"] = std::move(participants);
  auto sig = is_mail_ticket(conv)
                 ? svc.channel.signature(actor.workspace_id, conv.inbox_id, actor.agent_id)
                 : std::nullopt;
  out["signature"] = sig ? json::value(*sig) : nullptr;
  out["messages"] = std::move(messages);
  return http::json(200, out);
}

// Cc/Bcc as the composer sends them: addresses, or {name, address}.
std::vector<MailAddress> copies(const json::object& body, std::string_view field) {
  std::vector<MailAddress> out;
  auto* v = body.if_contains(field);
  if (!v || v->is_null()) return out;
  auto bad = [&](const std::string& why) {
    throw HttpError(422, "validation", std::string(field) + ": " + why);
  };
  if (!v->is_array()) bad("must be a list of e-mail addresses");
  if (v->as_array().size() > kMaxCopies) bad("at most 20 addresses");
  for (const auto& item : v->as_array()) {
    MailAddress a;
    if (item.is_string()) {
      a.address = trim(std::string(item.as_string()));
    } else if (item.is_object()) {
      a.address = trim(json_string(item.as_object(), "address").value_or(""));
      a.name = trim(json_string(item.as_object(), "name").value_or(""));
    }
    if (a.address.size() > 254 || !is_valid_email(a.address) || a.name.size() > 200 ||
        !is_valid_utf8(a.name) || a.name.find_first_of("\r\n") != std::string::npos)
      bad("'" +
          (a.address.size() > 80 || !is_valid_utf8(a.address) ? std::string("…") : a.address) +
          "' is not an e-mail address");
    a.address = lower_ascii(a.address);
    out.push_back(std::move(a));
  }
  return out;
}

http::Response post_reply(const MailServices& svc, const http::Request& req, const Params& p) {
  auto actor = svc.auth.require_agent(req);
  auto conv = accessible_conversation(svc.conversations, actor, parse_id(p[0]));
  auto body = parse_json_object(req.body);
  MailReply reply;
  if (body.contains("cc") && !body.at("cc").is_null()) reply.cc = copies(body, "cc");
  reply.bcc = copies(body, "bcc");
  if (auto* q = body.if_contains("quote"); q && !q->is_null()) {
    if (!q->is_string() || q->as_string().size() > kMaxQuoteBytes ||
        !is_valid_utf8(std::string_view(q->as_string())))
      throw HttpError(422, "validation", "quote: UTF-8 text of at most 64 KiB");
    reply.quote = std::string(q->as_string());
  }
  if (!is_mail_ticket(conv))
    throw HttpError(409, "not_mail", "this conversation is not answered by e-mail");
  auto message = svc.messaging.prepare(actor, conv.id, body);
  try {
    auto stored = svc.channel.post_reply(message, reply);
    svc.messaging.count(stored);
    return message_answer(stored);
  } catch (const std::invalid_argument& e) {
    throw HttpError(409, "no_mail_inbox", e.what());
  }
}

// "Show original formatting": the page a sandboxed frame shows (its own CSP: no
// script, no requests but images it carries, and remote ones only when asked).
http::Response mail_page(const MailServices& svc, const http::Request& req, const Params& p) {
  auto actor = svc.auth.require_agent(req);
  auto conv = accessible_conversation(svc.conversations, actor, parse_id(p[0]));
  bool remote = req.param("remote").value_or("") == "1";
  std::string policy;
  auto page = svc.channel.mail_page(actor.workspace_id, conv.id, parse_id(p[1]), remote, policy);
  if (!page) throw HttpError(404, "not_found", "that mail has no HTML");
  http::Response r;
  r.body = std::move(*page);
  r.header("Content-Type", "text/html; charset=utf-8");
  r.header("Content-Security-Policy", policy);
  r.header("X-Content-Type-Options", "nosniff");
  r.header("X-Frame-Options", "SAMEORIGIN");
  r.header("Referrer-Policy", "no-referrer");
  r.header("Cache-Control", "no-store");
  return r;
}

http::Response retry(const MailServices& svc, const http::Request& req, const Params& p) {
  auto actor = svc.auth.require_agent(req);
  auto conv = accessible_conversation(svc.conversations, actor, parse_id(p[0]));
  if (!svc.channel.retry(actor.workspace_id, conv.id, parse_id(p[1])))
    throw HttpError(409, "not_failed", "that reply has no failed mail to send again");
  return http::json(200, {{"status", "queued"}});
}

}  // namespace

void add_mail_routes(Router& r, const MailServices& svc) {
  r.add(Access::kAdmin, "GET", "/api/v1/inboxes/:id/email", with(svc, get_settings));
  r.add(Access::kAdmin, "PUT", "/api/v1/inboxes/:id/email", with(svc, put_settings));
  r.add(Access::kAdmin, "POST", "/api/v1/inboxes/:id/email/test", with(svc, test_settings));
  r.add(Access::kAdmin, "GET", "/api/v1/inboxes/:id/email/status", with(svc, status));
  r.add(Access::kAgent, "GET", "/api/v1/conversations/:id/mail", with(svc, ticket_mail));
  r.add(Access::kAgent, "POST", "/api/v1/conversations/:id/mail/replies", with(svc, post_reply));
  r.add(Access::kAgent, "POST", "/api/v1/conversations/:id/mail/:event/retry", with(svc, retry));
  r.add(Access::kAgent, "GET", "/api/v1/conversations/:id/mail/:event/html", with(svc, mail_page));
}

}  // namespace sb
