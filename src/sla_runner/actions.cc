// What the SLA timer does: each action is one store write with its key, then the
// realtime notices. The events' texts are English; their notice codes let clients
// say them in the reader's language.
#include <algorithm>

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

// "SLA Standard: first response at risk", for the note's text (clients that know
// the notice code say it in the reader's language).
std::string headline(const std::string& policy, sla::Metric m, sla::Badge b) {
  auto metric = std::string(sla::to_string(m));
  std::replace(metric.begin(), metric.end(), '_', ' ');
  return "SLA " + policy + ": " + metric + (b == sla::Badge::kBreached ? " overdue" : " at risk");
}

std::string what_was_done(const sla::Escalation& e) {
  switch (e.action) {
    case sla::EscalationAction::kNotifyAssignee:
      return "the assignee was notified";
    case sla::EscalationAction::kNotifySupervisor:
      return "the supervisors were notified";
    case sla::EscalationAction::kRaisePriority:
      return "priority raised to " + std::string(to_string(*e.priority));
    case sla::EscalationAction::kReassignTeam:
      return "moved to the queue of team " + (e.team ? std::to_string(*e.team) : std::string("?"));
    case sla::EscalationAction::kUnassign:
      return "back to the queue";
  }
  return "";
}

}  // namespace

bool SlaService::Impl::escalate(const Loaded& t, const sla::Escalation& e, sla::Badge state) {
  const auto& c = t.ticket;
  std::string metric(sla::to_string(e.metric));
  std::string action(sla::to_string(e.action));
  std::string badge(sla::to_string(state));
  SlaActionWrite w{c.workspace_id, c.id, e.key, {}, "note", std::nullopt, std::nullopt, false, {}};
  std::string text = headline(t.policy->name, e.metric, state) + ": " + what_was_done(e);
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
  if (!deps.sla.take_sla_action(w)) return false;
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
