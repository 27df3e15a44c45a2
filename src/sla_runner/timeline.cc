// A ticket's log as the SLA rules see it: who wrote (customer, agent, note) and
// the status and priority changes, and when the ticket entered its status.
#include "sla_runner/timeline.h"

namespace sb::sla_runner {
namespace {

std::string notice_code(const Event& e) {
  auto* code = e.notice.if_contains("code");
  return code && code->is_string() ? std::string(code->as_string()) : std::string();
}

std::string notice_arg(const Event& e, const char* name) {
  auto* args = e.notice.if_contains("args");
  if (!args || !args->is_object()) return "";
  auto* v = args->as_object().if_contains(name);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

// nullopt: the event is nothing the clocks count (bot answers, other notices).
std::optional<sla::TicketEvent> as_ticket_event(const Event& e) {
  using Kind = sla::TicketEvent::Kind;
  sla::TicketEvent t;
  t.at = e.created_at;
  auto code = notice_code(e);
  if (code == "ticket_status") {
    auto s = parse_ticket_status(notice_arg(e, "status"));
    if (!s) return std::nullopt;
    t.kind = Kind::kStatus;
    t.status = *s;
    return t;
  }
  if (code == "ticket_priority") {
    auto p = parse_ticket_priority(notice_arg(e, "priority"));
    if (!p) return std::nullopt;
    t.kind = Kind::kPriority;
    t.priority = *p;
    return t;
  }
  if (e.kind == "note" && e.author.type == AuthorType::kAgent) {
    t.kind = Kind::kInternalNote;
    return t;
  }
  if (e.kind != "message") return std::nullopt;
  if (e.author.type == AuthorType::kVisitor)
    t.kind = Kind::kCustomerMessage;
  else if (e.author.type == AuthorType::kAgent)
    t.kind = Kind::kAgentReply;
  else
    return std::nullopt;
  return t;
}

// The workflow replayed for the timers: the status and since when.
void track_status(const sla::TicketEvent& t, sla::AutomationState& s) {
  using Kind = sla::TicketEvent::Kind;
  auto before = s.status;
  if (t.kind == Kind::kStatus) s.status = t.status;
  if (t.kind == Kind::kCustomerMessage) {
    auto r = sla::on_customer_reply(s.status);
    if (!r.opens_new_ticket) s.status = r.status;
  }
  if (t.kind == Kind::kAgentReply) s.status = sla::on_agent_reply(s.status);
  if (s.status != before || t.kind == Kind::kStatus) s.status_since = t.at;
}

// When a chat became a ticket: its first ticket notice, else its creation.
std::optional<Millis> chat_turned_ticket_at(const Conversation& ticket,
                                            const std::vector<Event>& events) {
  if (ticket.kind != ConversationKind::kChat) return std::nullopt;
  for (const auto& e : events)
    if (notice_code(e).rfind("ticket", 0) == 0) return e.created_at;
  return ticket.created_at;
}

// The replayed status is the rule; the stored one wins where the store knows
// better (a closed chat reopened by the visitor, statuses older than their
// events) — but not over a customer's reply to a ticket waiting on them, which
// the store leaves pending while the rules reopen it.
void reconcile(sla::AutomationState& s, const TicketFields& stored, Millis updated_at,
               Millis last_status_event, Millis last_customer) {
  if (s.status == stored.status) return;
  bool customer_reopened =
      s.status == TicketStatus::kOpen &&
      (stored.status == TicketStatus::kPendingCustomer || stored.status == TicketStatus::kOnHold) &&
      last_customer > last_status_event;
  if (customer_reopened) return;
  s.status = stored.status;
  s.status_since = updated_at;
}

}  // namespace

TicketFactsRead read_ticket(const Conversation& ticket, const std::vector<Event>& events,
                            const std::set<std::string>& done) {
  using Kind = sla::TicketEvent::Kind;
  TicketFactsRead r;
  const auto& fields = ticket.ticket.value_or(TicketFields{});
  r.facts = {ticket.inbox_id, fields.priority, fields.tags};
  r.timeline.created_at = ticket.created_at;
  r.timeline.priority = fields.priority;
  r.automation.status = TicketStatus::kNew;
  r.automation.status_since = ticket.created_at;
  r.automation.chat_turned_ticket_at = chat_turned_ticket_at(ticket, events);
  bool first_priority = true;
  Millis last_status_event = 0, last_customer = 0;
  for (const auto& e : events) {
    auto t = as_ticket_event(e);
    if (!t) continue;
    if (t->kind == Kind::kPriority && first_priority) {
      // Until its first change the ticket had the priority that change came from.
      if (auto from = parse_ticket_priority(notice_arg(e, "from"))) r.timeline.priority = *from;
      first_priority = false;
    }
    if (t->kind == Kind::kStatus) last_status_event = t->at;
    if (t->kind == Kind::kCustomerMessage) last_customer = t->at;
    track_status(*t, r.automation);
    if (t->kind == Kind::kAgentReply && r.automation.chat_turned_ticket_at &&
        t->at >= *r.automation.chat_turned_ticket_at)
      r.automation.replied_since_chat = true;
    r.timeline.events.push_back(*t);
  }
  reconcile(r.automation, fields, ticket.updated_at, last_status_event, last_customer);
  r.automation.pending_reminder_sent =
      done.count("remind:" + std::to_string(r.automation.status_since)) > 0;
  r.automation.follow_up_done = done.count("follow_up") > 0;
  return r;
}

}  // namespace sb::sla_runner
