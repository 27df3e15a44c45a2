// Which ticket a mail belongs to (the rules are at the top of email.h).
#include <sodium.h>

#include <algorithm>

#include "email/email.h"

namespace sb::email {
namespace {

constexpr std::size_t kMaxReferences = 100;  // newest first; a longer chain is hostile
constexpr std::size_t kMaxMessageId = 500;
constexpr std::size_t kMaxHeaderScan = 256 << 10;

using Action = MailPlan::Action;

bool iequals_prefix(std::string_view line, std::string_view name) {
  if (line.size() < name.size()) return false;
  for (std::size_t i = 0; i < name.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(line[i])) != name[i]) return false;
  return true;
}

// Header lines (unfolded: continuation lines are skipped) until the blank line.
template <class F>
void each_header_line(std::string_view raw, F f) {
  raw = raw.substr(0, kMaxHeaderScan);
  std::size_t pos = 0;
  while (pos < raw.size()) {
    auto end = raw.find('\n', pos);
    if (end == std::string_view::npos) end = raw.size();
    auto line = raw.substr(pos, end - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) return;
    if (line.front() != ' ' && line.front() != '\t' && !f(line, pos)) return;
    pos = end + 1;
  }
}

std::string trim_id(std::string_view id) {
  auto b = id.find_first_not_of(" \t<");
  if (b == std::string_view::npos) return "";
  auto e = id.find_last_not_of(" \t>");
  return std::string(id.substr(b, e - b + 1));
}

std::string hex_sha256(std::string_view bytes) {
  unsigned char h[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(h, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
  char hex[2 * sizeof h + 1];
  sodium_bin2hex(hex, sizeof hex, h, sizeof h);
  return hex;
}

bool is_trace_header(std::string_view line) {
  for (std::string_view name : {"received:", "return-path:", "delivered-to:", "x-original-to:",
                                "envelope-to:", "x-delivered-to:"})
    if (iequals_prefix(line, name)) return true;
  return false;
}

// A ticket found by a rule: joined, reopened, or followed by a new one if closed.
MailPlan attach(const ThreadInput& m, MailLookups& lookups, Id number, std::string why) {
  auto ticket = lookups.find_ticket(number);
  if (!ticket) return {Action::kNewTicket, 0, std::nullopt, false, "", why + " of no ticket"};
  if (ticket->ticket->status == TicketStatus::kClosed && !m.auto_reply)
    return {Action::kNewTicket, 0, ticket->id, false, "", why + " of a closed ticket"};
  // ticket->id, not number: a merged ticket's number finds the ticket it went into.
  return {Action::kJoin, ticket->id, std::nullopt, !m.auto_reply, "", why};
}

// In-Reply-To, then References newest first.
std::vector<std::string> named_mails(const ThreadInput& m) {
  std::vector<std::string> ids;
  if (!m.in_reply_to.empty()) ids.push_back(m.in_reply_to);
  auto n = std::min(m.references.size(), kMaxReferences);
  for (auto it = m.references.rbegin(); it != m.references.rbegin() + n; ++it)
    if (!it->empty() && *it != m.in_reply_to) ids.push_back(*it);
  return ids;
}

MailPlan thread_bounce(const ThreadInput& m, MailLookups& lookups) {
  auto ids = named_mails(m);
  if (!m.bounced_message_id.empty()) ids.insert(ids.begin(), m.bounced_message_id);
  for (const auto& id : ids)
    if (auto found = lookups.find_mail(id)) {
      MailPlan p{Action::kJoin, found->conversation_id, std::nullopt, false, "", "bounce"};
      if (found->direction == MailDirection::kOut) p.failed_message_id = id;
      if (!lookups.find_ticket(found->conversation_id)) break;
      return p;
    }
  return {Action::kIgnore, 0, std::nullopt, false, "", "bounce of no mail of ours"};
}

}  // namespace

std::vector<std::string> delivery_addresses(std::string_view raw) {
  std::vector<std::string> out;
  each_header_line(raw, [&](std::string_view line, std::size_t) {
    for (std::string_view name : {"delivered-to:", "x-original-to:", "envelope-to:"})
      if (iequals_prefix(line, name) && out.size() < 20) {
        auto v = trim_id(line.substr(name.size()));
        if (!v.empty()) out.push_back(lower_ascii(v));
      }
    return true;
  });
  return out;
}

std::string mail_id_of(const mime::ParsedMail& mail, std::string_view raw) {
  auto id = trim_id(mail.message_id);
  if (!id.empty() && id.size() <= kMaxMessageId) return id;
  // Trace headers come first and differ between two deliveries of the same mail.
  std::size_t start = 0;
  bool trace = true;
  each_header_line(raw, [&](std::string_view line, std::size_t pos) {
    if (!is_trace_header(line)) {
      start = pos;
      trace = false;
      return false;
    }
    return true;
  });
  return "sha256-" + hex_sha256(trace ? raw : raw.substr(start)) + "@switchboard.invalid";
}

ThreadInput thread_input(const mime::ParsedMail& mail, std::string_view raw) {
  ThreadInput in;
  in.message_id = mail_id_of(mail, raw);
  in.in_reply_to = trim_id(mail.in_reply_to);
  for (const auto& r : mail.references) in.references.push_back(trim_id(r));
  in.subject = mail.subject;
  in.from = lower_ascii(mail.from.address);
  for (const auto* list : {&mail.to, &mail.cc})
    for (const auto& a : *list) in.recipients.push_back(lower_ascii(a.address));
  for (auto& a : delivery_addresses(raw)) in.recipients.push_back(std::move(a));
  in.auto_reply = mail.auto_reply;
  in.bounce = mail.bounce.has_value();
  if (mail.bounce) in.bounced_message_id = trim_id(mail.bounce->original_message_id);
  return in;
}

MailPlan thread_mail(const ThreadInput& m, const MailInbox& inbox, MailLookups& lookups) {
  if (inbox.is_own(m.from)) return {Action::kIgnore, 0, std::nullopt, false, "", "our own mail"};
  if (m.bounce) return thread_bounce(m, lookups);
  for (const auto& id : named_mails(m))
    if (id != m.message_id)
      if (auto found = lookups.find_mail(id))
        return attach(m, lookups, found->conversation_id,
                      id == m.in_reply_to ? "in-reply-to" : "references");
  for (const auto& to : m.recipients)
    if (auto n = ticket_of_address(inbox, to)) return attach(m, lookups, *n, "reply address");
  if (auto n = ticket_in_subject(m.subject); n && lookups.on_ticket(*n, m.from))
    return attach(m, lookups, *n, "subject number");
  return {Action::kNewTicket, 0, std::nullopt, false, "", "new"};
}

}  // namespace sb::email
