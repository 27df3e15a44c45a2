// What the SLA timer does: each action is one store write with its key, then the
// realtime notices. The events' texts are in the inbox's language (the customer's
// for what they read, texts.h); their notice codes let clients say them in the
// reader's.
#include "sla_runner/impl.h"
#include "sla_runner/texts.h"

namespace sb {
namespace json = boost::json;
namespace {

constexpr Millis kDayMs = 86'400'000;

// The agents told of an escalation: the assignee, or the supervisors and admins.
std::vector<Id> recipients(DirectoryStore& directory, const Conversation& c, bool supervisors) {
  std::vector<Id> out;
  if (!supervisors) {
    if (c.assignee_id) out.push_back(*c.assignee_id);
    return out;
  }
  for (const auto& a : directory.list_agents(c.workspace_id))
    if (a.active() && (a.role == "supervisor" || a.role == "admin")) out.push_back(a.id);
  return out;
}

void tell(Hub& hub, const std::vector<Id>& agents, const Conversation& c, json::object frame) {
  frame["conversation_id"] = c.id;
  frame["subject"] = c.subject;
  for (Id a : agents) hub.to_agent(c.workspace_id, a, frame);
}

}  // namespace

bool SlaService::Impl::take(const SlaActionWrite& w) {
  bool done = deps.sla.take_sla_action(w).has_value();
  ++(done ? taken : refused);
  return done;
}

bool SlaService::Impl::escalate(const Loaded& t, const sla::Escalation& e, sla::Badge state) {
  const auto& c = t.ticket;
  std::string metric(sla::to_string(e.metric));
  std::string action(sla::to_string(e.action));
  std::string badge(sla::to_string(state));
  SlaActionWrite w{c.workspace_id, c.id, e.key, {}, "note", std::nullopt, std::nullopt, false, {}};
  auto inbox = deps.directory.get_inbox(c.workspace_id, c.inbox_id);
  auto text = sla_runner::escalation_text(sla_runner::agents_language(inbox ? &*inbox : nullptr),
                                          t.policy->name, e, state);
  json::object args{
      {"metric", metric}, {"action", action}, {"policy", t.policy->name}, {"badge", badge}};
  if (e.team) args["team"] = *e.team;
  w.notice = {text, "sla_escalation", args};
  if (e.action == sla::EscalationAction::kRaisePriority) {
    w.priority = e.priority;
    // The priority change as every priority change is written, so the clocks see it.
    w.notice = {text,
                "ticket_priority",
                {{"priority", to_string(*e.priority)},
                 {"from", to_string(t.read.facts.priority)},
                 {"by", "SLA"},
                 {"metric", metric}}};
  }
  if (e.action == sla::EscalationAction::kReassignTeam ||
      e.action == sla::EscalationAction::kUnassign) {
    w.unassign = true;
    w.team = e.team;
  }
  if (!take(w)) return false;
  bool supervisors = e.action != sla::EscalationAction::kNotifyAssignee;
  auto to = recipients(deps.directory, c, supervisors);
  if (e.action == sla::EscalationAction::kNotifyAssignee && to.empty())
    to = recipients(deps.directory, c, true);  // nobody has it: someone must know
  tell(deps.hub, to, c,
       {{"type", "sla_alert"}, {"metric", metric}, {"action", action}, {"badge", badge}});
  return true;
}

bool SlaService::Impl::automate(const Loaded& t, const sla::Automation& a) {
  const auto& c = t.ticket;
  auto since = std::to_string(t.read.automation.status_since);
  auto settings = automation(c.workspace_id);
  auto inbox = deps.directory.get_inbox(c.workspace_id, c.inbox_id);
  const Inbox* in = inbox ? &*inbox : nullptr;
  SlaActionWrite w{c.workspace_id, c.id, "", {}, "system", std::nullopt, std::nullopt, false, {}};
  switch (a.kind) {
    case sla::AutomationKind::kRemindCustomer: {
      auto d = std::to_string(settings.pending_reminder_after_days.value_or(0));
      w.key = "remind:" + since;
      w.notice = {sla_runner::reminder_text(sla_runner::customer_language(c, in)),
                  "sla_reminder",
                  {{"days", d}}};
      break;
    }
    case sla::AutomationKind::kClosePending:
    case sla::AutomationKind::kCloseSolved: {
      bool pending = a.kind == sla::AutomationKind::kClosePending;
      w.key = (pending ? "close_pending:" : "close_solved:") + since;
      w.status = a.to;
      auto status = std::string(to_string(a.to));
      Millis since_ms = t.read.automation.status_since;
      w.notice = {sla_runner::auto_close_text(sla_runner::customer_language(c, in), a.to,
                                              since_ms == 0 ? 0 : (a.at - since_ms) / kDayMs),
                  "ticket_status",
                  {{"status", status}, {"by", "automation"}}};
      break;
    }
    case sla::AutomationKind::kFollowUpChat:
      w.key = "follow_up";
      w.event_kind = "note";
      w.notice = {sla_runner::follow_up_text(sla_runner::agents_language(in),
                                             settings.chat_follow_up_after_hours),
                  "sla_follow_up",
                  {{"hours", settings.chat_follow_up_after_hours}}};
      break;
    case sla::AutomationKind::kNone:
      return false;
  }
  if (!take(w)) return false;
  if (a.kind == sla::AutomationKind::kFollowUpChat)
    tell(deps.hub, recipients(deps.directory, c, !c.assignee_id), c,
         {{"type", "sla_alert"}, {"action", "follow_up"}});
  return true;
}

}  // namespace sb
