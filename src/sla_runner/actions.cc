// What the SLA timer does: each action is one store write with its key, then the
// realtime notices. The events' texts are English; their notice codes let clients
// say them in the reader's language.
#include "sla_runner/impl.h"

namespace sb {
namespace json = boost::json;
namespace {

constexpr Millis kDayMs = 86'400'000;

std::string days(Millis ms) {
  return std::to_string(ms / kDayMs);
}

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

bool SlaService::Impl::escalate(const Loaded& t, const sla::Escalation& e) {
  const auto& c = t.ticket;
  std::string metric(sla::to_string(e.metric));
  std::string action(sla::to_string(e.action));
  SlaActionWrite w{c.workspace_id, c.id, e.key, {}, "note", std::nullopt, std::nullopt, false, {}};
  json::object args{{"metric", metric}, {"action", action}, {"policy", t.policy->name}};
  w.notice = {"SLA " + metric + ": " + action, "sla_escalation", args};
  switch (e.action) {
    case sla::EscalationAction::kRaisePriority: {
      w.priority = e.priority;
      auto from = std::string(to_string(t.read.facts.priority));
      auto to = std::string(to_string(*e.priority));
      w.notice = {"SLA " + metric + ": priority raised to " + to,
                  "ticket_priority",
                  {{"priority", to}, {"from", from}, {"by", "SLA"}, {"metric", metric}}};
      break;
    }
    case sla::EscalationAction::kReassignTeam:
      w.unassign = true;
      w.team = e.team;
      args["team"] = e.team ? json::value(*e.team) : json::value(nullptr);
      w.notice = {"SLA " + metric + ": back to the queue of team " +
                      (e.team ? std::to_string(*e.team) : std::string("?")),
                  "sla_escalation", args};
      break;
    case sla::EscalationAction::kUnassign:
      w.unassign = true;
      w.notice.text = "SLA " + metric + ": back to the queue";
      break;
    default:
      break;
  }
  auto written = deps.sla.take_sla_action(w);
  if (!written) return false;
  bool supervisors = e.action != sla::EscalationAction::kNotifyAssignee;
  auto to = recipients(deps.directory, c, supervisors);
  if (e.action == sla::EscalationAction::kNotifyAssignee && to.empty())
    to = recipients(deps.directory, c, true);  // nobody has it: someone must know
  tell(deps.hub, to, c, {{"type", "sla_alert"}, {"metric", metric}, {"action", action}});
  return true;
}

bool SlaService::Impl::automate(const Loaded& t, const sla::Automation& a) {
  const auto& c = t.ticket;
  auto since = std::to_string(t.read.automation.status_since);
  auto settings = automation(c.workspace_id);
  SlaActionWrite w{c.workspace_id, c.id, "", {}, "system", std::nullopt, std::nullopt, false, {}};
  switch (a.kind) {
    case sla::AutomationKind::kRemindCustomer: {
      auto d = std::to_string(settings.pending_reminder_after_days.value_or(0));
      w.key = "remind:" + since;
      w.notice = {
          "We are still waiting for your reply. This request closes by itself if we do "
          "not hear from you.",
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
      w.notice = {
          "Ticket " + status + " automatically after " +
              days(t.read.automation.status_since == 0 ? 0
                                                       : a.at - t.read.automation.status_since) +
              " days",
          "ticket_status",
          {{"status", status}, {"by", "automation"}}};
      break;
    }
    case sla::AutomationKind::kFollowUpChat:
      w.key = "follow_up";
      w.event_kind = "note";
      w.notice = {"Follow-up due: this chat became a ticket " +
                      std::to_string(settings.chat_follow_up_after_hours) +
                      " hours ago and has no answer yet",
                  "sla_follow_up",
                  {{"hours", settings.chat_follow_up_after_hours}}};
      break;
    case sla::AutomationKind::kNone:
      return false;
  }
  if (!deps.sla.take_sla_action(w)) return false;
  if (a.kind == sla::AutomationKind::kFollowUpChat)
    tell(deps.hub, recipients(deps.directory, c, !c.assignee_id), c,
         {{"type", "sla_alert"}, {"action", "follow_up"}});
  return true;
}

}  // namespace sb
