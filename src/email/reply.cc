// Mail out: an agent's reply and the acknowledgement of a new ticket, composed
// so the customer's answer threads back (Message-ID stored, token Reply-To).
#include <algorithm>
#include <ctime>

#include "email/outbox.h"

namespace sb::email {
namespace {

constexpr std::size_t kReferencesKeptAtEnd = 10;

std::string domain_of(std::string_view address) {
  auto at = address.rfind('@');
  return at == std::string_view::npos ? "localhost" : std::string(address.substr(at + 1));
}

bool starts_with_icase(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && lower_ascii(s.substr(0, prefix.size())) == prefix;
}

// The ticket's subject without reply prefixes and without its number tag.
std::string bare_subject(std::string_view s, Id number) {
  for (bool again = true; again;) {
    again = false;
    while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
    for (std::string_view p : {"re:", "fwd:", "fw:", "aw:", "odp:", "r:", "sv:", "vs:"})
      if (starts_with_icase(s, p)) {
        s.remove_prefix(p.size());
        again = true;
      }
  }
  std::string out(s);
  auto tag = "[#" + std::to_string(number) + "]";
  if (auto at = out.find(tag); at != std::string::npos) out.erase(at, tag.size());
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

std::string reply_subject(const Conversation& ticket) {
  auto bare = bare_subject(ticket.subject, ticket.id);
  return "Re: " + (bare.empty() ? std::string("your message") : bare) + " [#" +
         std::to_string(ticket.id) + "]";
}

// The chain for References: the first mail and the last ten, oldest first.
std::vector<std::string> references_of(const MailThread& t) {
  std::vector<std::string> all;
  for (const auto& m : t.ids) all.push_back(m.message_id);
  if (all.size() <= kReferencesKeptAtEnd + 1) return all;
  std::vector<std::string> kept{all.front()};
  kept.insert(kept.end(), all.end() - kReferencesKeptAtEnd, all.end());
  return kept;
}

// Where the customer wrote from last, else their contact's address.
MailAddress customer_of(const MailThread& t) {
  if (!t.customer.address.empty())
    return {t.customer.name.empty() ? t.ticket.contact.name : t.customer.name, t.customer.address};
  return {t.ticket.contact.name, t.ticket.contact.email};
}

std::string last_inbound(const MailThread& t) {
  for (auto it = t.ids.rbegin(); it != t.ids.rend(); ++it)
    if (it->direction == MailDirection::kIn) return it->message_id;
  return t.ids.empty() ? "" : t.ids.back().message_id;
}

std::string company_block(const MailInbox::Company& c) {
  std::string out;
  auto line = [&out](const std::string& s) {
    if (!s.empty()) out += s + "\n";
  };
  line(c.department);
  std::string contact;
  if (!c.phone.empty()) contact += "tel. " + c.phone;
  if (!c.email.empty())
    contact += (contact.empty() ? "" : "  ") + std::string("e-mail: ") + c.email;
  line(contact);
  line(c.name.empty() || c.address.empty() ? c.name + c.address : c.name + ", " + c.address);
  if (!c.tax_id.empty()) line("Tax ID: " + c.tax_id);
  line(c.website);
  return out;
}

mime::OutgoingMail addressed(const MailThread& t, const MailInbox& inbox, std::string message_id,
                             Millis now) {
  mime::OutgoingMail m;
  m.from = {inbox.display_name, inbox.address};
  auto to = customer_of(t);
  m.to.push_back({to.name, to.address});
  m.subject = reply_subject(t.ticket);
  m.message_id = std::move(message_id);
  m.in_reply_to = last_inbound(t);
  m.references = references_of(t);
  m.date_ms = now;
  m.extra_headers.push_back({"Reply-To", ticket_address(inbox, t.ticket.id)});
  return m;
}

}  // namespace

std::string new_message_id(const MailInbox& inbox, Env& env) {
  return env.random_hex(16) + "@" + domain_of(inbox.address);
}

std::string signature_text(const AgentSignature& agent, const MailInbox& inbox) {
  return agent.name + "\n" + (agent.title.empty() ? "" : agent.title + "\n") +
         company_block(inbox.company);
}

mime::OutgoingMail build_reply(const MailThread& t, const MailInbox& inbox,
                               const AgentSignature& agent, std::string_view text,
                               std::string message_id, Millis now, const ReplyExtras& extras) {
  auto m = addressed(t, inbox, std::move(message_id), now);
  auto to = lower_ascii(m.to.front().address), contact = lower_ascii(t.ticket.contact.email);
  // The customer is To already (at the address they wrote from; their other one is
  // not copied), and our own addresses would loop.
  auto copy = [&](const MailAddress& p, std::vector<mime::Address>& list) {
    auto address = lower_ascii(p.address);
    if (address.empty() || address == to || address == contact || inbox.is_own(address)) return;
    for (const auto& a : m.cc)
      if (a.address == address) return;
    for (const auto& a : m.bcc)
      if (a.address == address) return;
    list.push_back({p.name, address});
  };
  for (const auto& p : extras.cc ? *extras.cc : t.participants) copy(p, m.cc);
  for (const auto& p : extras.bcc) copy(p, m.bcc);
  m.attachments = extras.files;
  m.text = std::string(text) + "\n\n" + signature_text(agent, inbox);
  if (!extras.quote.empty()) m.text += "\n" + extras.quote + "\n";
  return m;
}

mime::OutgoingMail build_acknowledgement(const MailThread& t, const MailInbox& inbox,
                                         std::string message_id, Millis now) {
  auto m = addressed(t, inbox, std::move(message_id), now);
  m.auto_submitted = true;
  auto number = std::to_string(t.ticket.id);
  m.text = "Hello,\n\nthank you for writing to us. We have received your message; its number is #" +
           number + ".\n" + (inbox.answer_promise.empty() ? "" : inbox.answer_promise + "\n") +
           "\nTo add anything, reply to this mail and keep [#" + number + "] in the subject.\n\n" +
           company_block(inbox.company);
  return m;
}

OutboxMail outbox_of(const mime::OutgoingMail& m, const MailInbox& inbox, std::optional<Id> event) {
  OutboxMail out;
  out.event_id = event;
  out.message_id = m.message_id;
  out.envelope_from = inbox.address;
  for (const auto* list : {&m.to, &m.cc, &m.bcc})
    for (const auto& a : *list) out.recipients.push_back(a.address);
  out.raw = mime::compose(m);
  auto shown = [](const std::vector<mime::Address>& list) {
    std::vector<MailAddress> v;
    for (const auto& a : list) v.push_back({a.name, a.address});
    return v;
  };
  out.shown.subject = m.subject;
  out.shown.from = {m.from.name, m.from.address};
  out.shown.to = shown(m.to);
  out.shown.cc = shown(m.cc);
  out.shown.bcc = shown(m.bcc);
  return out;
}

std::pair<std::optional<AppendResult>, std::optional<OutboxMail>> post_reply(
    MailStore& store, Env& env, const MailInbox& inbox, const NewEvent& message,
    const AgentSignature& agent, const ReplyExtras& extras) {
  auto id = new_message_id(inbox, env);
  return store.append_with_mail(
      message, message.workspace_id, message.conversation_id,
      [&](const MailThread& t, const Event* e) -> std::optional<OutboxMail> {
        bool mail_ticket = t.ticket.kind == ConversationKind::kEmail ||
                           t.ticket.kind == ConversationKind::kOffline;
        if (!e || e->kind != "message" || !mail_ticket || customer_of(t).address.empty())
          return std::nullopt;
        return outbox_of(build_reply(t, inbox, agent, e->body, id, e->created_at, extras), inbox,
                         e->id);
      });
}

namespace {

std::string utc_minute(Millis ms) {
  std::time_t t = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M UTC", &tm);
  return buf;
}

std::string transcript_text(const Conversation& c, const std::vector<Event>& events) {
  std::string out = "Transcript of your conversation #" + std::to_string(c.id) +
                    (c.subject.empty() ? "" : " (" + c.subject + ")") + "\n\n";
  for (const auto& e : events) {
    if (e.kind == "note") continue;  // internal: never to the customer
    auto who = e.kind == "system"                      ? std::string("—")
               : e.author.type == AuthorType::kVisitor ? std::string("You")
               : e.author.name.empty()                 ? std::string(to_string(e.author.type))
                                                       : e.author.name;
    out += "[" + utc_minute(e.created_at) + "] " + who + ": " + e.body + "\n";
  }
  return out;
}

}  // namespace

std::optional<OutboxMail> queue_transcript(MailStore& store, Env& env, const MailInbox& inbox,
                                           const Conversation& conversation,
                                           const std::vector<Event>& events,
                                           const std::string& to) {
  mime::OutgoingMail m;
  m.from = {inbox.display_name, inbox.address};
  m.to.push_back({conversation.contact.name, to});
  m.subject = "Transcript of your conversation [#" + std::to_string(conversation.id) + "]";
  m.message_id = new_message_id(inbox, env);
  m.date_ms = env.now_ms();
  m.auto_submitted = true;
  m.text = transcript_text(conversation, events) + "\n" + company_block(inbox.company);
  auto mail = outbox_of(m, inbox, std::nullopt);
  return store
      .append_with_mail(std::nullopt, conversation.workspace_id, conversation.id,
                        [&](const MailThread&, const Event*) { return mail; })
      .second;
}

std::optional<OutboxMail> queue_survey_invite(MailStore& store, Env& env, const MailInbox& inbox,
                                              const Conversation& ticket, const std::string& to,
                                              const std::string& url) {
  mime::OutgoingMail m;
  m.from = {inbox.display_name, inbox.address};
  m.to.push_back({ticket.contact.name, to});
  auto number = std::to_string(ticket.id);
  m.subject = "How did we do? [#" + number + "]";
  m.message_id = new_message_id(inbox, env);
  m.date_ms = env.now_ms();
  m.auto_submitted = true;
  m.text = "Hello,\n\nyour request #" + number +
           (ticket.subject.empty() ? "" : " (" + ticket.subject + ")") +
           " is solved. Would you tell us how we did? It takes a minute:\n\n" + url +
           "\n\nThe link is yours alone and works once. Thank you!\n\n" +
           company_block(inbox.company);
  auto mail = outbox_of(m, inbox, std::nullopt);
  return store
      .append_with_mail(std::nullopt, ticket.workspace_id, ticket.id,
                        [&](const MailThread&, const Event*) { return mail; })
      .second;
}

std::optional<OutboxMail> queue_reply(MailStore& store, Env& env, const MailInbox& inbox,
                                      const Event& message, const AgentSignature& agent,
                                      const ReplyExtras& extras) {
  auto id = new_message_id(inbox, env);
  return store
      .append_with_mail(std::nullopt, message.workspace_id, message.conversation_id,
                        [&](const MailThread& t, const Event*) -> std::optional<OutboxMail> {
                          bool mail_ticket = t.ticket.kind == ConversationKind::kEmail ||
                                             t.ticket.kind == ConversationKind::kOffline;
                          if (!mail_ticket || customer_of(t).address.empty()) return std::nullopt;
                          for (const auto& m : t.ids)  // post_reply queued it with the message
                            if (m.event_id == message.id) return std::nullopt;
                          return outbox_of(build_reply(t, inbox, agent, message.body, id,
                                                       message.created_at, extras),
                                           inbox, message.id);
                        })
      .second;
}

std::optional<OutboxMail> acknowledge(MailStore& store, Env& env, const MailInbox& inbox,
                                      Id ticket) {
  auto id = new_message_id(inbox, env);
  auto now = env.now_ms();
  return store
      .append_with_mail(std::nullopt, inbox.workspace_id, ticket,
                        [&](const MailThread& t, const Event*) -> std::optional<OutboxMail> {
                          return outbox_of(build_acknowledgement(t, inbox, id, now), inbox,
                                           std::nullopt);
                        })
      .second;
}

}  // namespace sb::email
