// Ticket workflow: status transitions, reply rules and timed automation.
#include <algorithm>

#include "sla/sla.h"

namespace sb::sla {
namespace json = boost::json;
namespace {

constexpr Millis kHour = 60 * kMinute;
constexpr Millis kDay = 24 * kHour;
constexpr int kMaxDays = 365;
constexpr int kMaxFollowUpHours = 30 * 24;

Millis after(Millis from, Millis delay) {
  delay = std::max<Millis>(0, delay);
  return from > kNever - delay ? kNever : from + delay;
}

bool fail(std::string* error, std::string msg) {
  if (error) *error = std::move(msg);
  return false;
}

// Reads an optional day count in 1..365; null or absent turns the rule off.
bool read_days(const json::object& o, std::string_view key, std::optional<int>& out,
               std::string* error) {
  auto* v = o.if_contains(key);
  if (!v) return true;
  if (v->is_null()) {
    out.reset();
    return true;
  }
  if (!v->is_int64() || v->as_int64() < 1 || v->as_int64() > kMaxDays)
    return fail(error, std::string(key) + " must be 1 to 365 days, or null for never");
  out = static_cast<int>(v->as_int64());
  return true;
}

json::value days_json(std::optional<int> d) {
  return d ? json::value(*d) : json::value(nullptr);
}

}  // namespace

bool can_change_status(TicketStatus from, TicketStatus to) {
  if (from == to) return true;
  if (from == TicketStatus::kClosed) return false;  // final: a reply opens a new ticket
  return to != TicketStatus::kNew;                  // "new" means nobody has touched it
}

ReplyOutcome on_customer_reply(TicketStatus current) {
  switch (current) {
    case TicketStatus::kNew:
      return {TicketStatus::kNew, false};
    case TicketStatus::kClosed:
      return {TicketStatus::kClosed, true};
    default:
      return {TicketStatus::kOpen, false};
  }
}

TicketStatus on_agent_reply(TicketStatus current) {
  return current == TicketStatus::kNew ? TicketStatus::kOpen : current;
}

std::string_view to_string(AutomationKind k) {
  static constexpr std::array<std::string_view, 5> kNames = {
      "none", "remind_customer", "close_pending", "close_solved", "follow_up_chat"};
  return kNames.at(static_cast<std::size_t>(k));
}

namespace {

// Pending customer: the reminder once, then the close; when both are overdue
// (the timer was down) only the close.
Automation pending_action(const AutomationState& s, const AutomationSettings& settings,
                          Millis now) {
  std::optional<Millis> close_at;
  if (settings.pending_close_after_days)
    close_at = after(s.status_since, *settings.pending_close_after_days * kDay);
  if (settings.pending_reminder_after_days && !s.pending_reminder_sent &&
      !(close_at && *close_at <= now)) {
    Millis remind_at = after(s.status_since, *settings.pending_reminder_after_days * kDay);
    if (!close_at || remind_at < *close_at)
      return {AutomationKind::kRemindCustomer, remind_at, s.status};
  }
  if (close_at) return {AutomationKind::kClosePending, *close_at, settings.pending_close_to};
  return {};
}

}  // namespace

Automation next_automation(const AutomationState& s, const AutomationSettings& settings,
                           Millis now) {
  Automation best;
  if (s.status == TicketStatus::kPendingCustomer) best = pending_action(s, settings, now);
  auto consider = [&](AutomationKind kind, Millis at, TicketStatus to) {
    if (at < best.at) best = {kind, at, to};
  };
  if (s.status == TicketStatus::kSolved && settings.solved_close_after_days)
    consider(AutomationKind::kCloseSolved,
             after(s.status_since, *settings.solved_close_after_days * kDay),
             TicketStatus::kClosed);
  bool finished = s.status == TicketStatus::kSolved || s.status == TicketStatus::kClosed;
  if (s.chat_turned_ticket_at && !s.follow_up_done && !s.replied_since_chat && !finished)
    consider(AutomationKind::kFollowUpChat,
             after(*s.chat_turned_ticket_at, settings.chat_follow_up_after_hours * kHour),
             s.status);
  return best;
}

json::object AutomationSettings::to_json() const {
  return {{"pending_reminder_after_days", days_json(pending_reminder_after_days)},
          {"pending_close_after_days", days_json(pending_close_after_days)},
          {"pending_close_to", sb::to_string(pending_close_to)},
          {"solved_close_after_days", days_json(solved_close_after_days)},
          {"chat_follow_up_after_hours", chat_follow_up_after_hours}};
}

std::optional<AutomationSettings> AutomationSettings::from_json(const json::value& v,
                                                                std::string* error) {
  if (!v.is_object()) return fail(error, "automation settings must be an object"), std::nullopt;
  const auto& o = v.as_object();
  static constexpr std::array<std::string_view, 5> kKnown = {
      "pending_reminder_after_days", "pending_close_after_days", "pending_close_to",
      "solved_close_after_days", "chat_follow_up_after_hours"};
  for (const auto& [key, value] : o)
    if (std::find(kKnown.begin(), kKnown.end(), key) == kKnown.end())
      return fail(error, "automation: unknown field '" + std::string(key) + "'"), std::nullopt;
  AutomationSettings s;
  if (!read_days(o, "pending_reminder_after_days", s.pending_reminder_after_days, error) ||
      !read_days(o, "pending_close_after_days", s.pending_close_after_days, error) ||
      !read_days(o, "solved_close_after_days", s.solved_close_after_days, error))
    return std::nullopt;
  if (s.pending_reminder_after_days && s.pending_close_after_days &&
      *s.pending_reminder_after_days >= *s.pending_close_after_days)
    return fail(error, "pending_reminder_after_days must come before pending_close_after_days"),
           std::nullopt;
  if (o.contains("pending_close_to")) {
    auto to = json_string(o, "pending_close_to");
    auto st = to ? parse_ticket_status(*to) : std::nullopt;
    if (!st || (*st != TicketStatus::kSolved && *st != TicketStatus::kClosed))
      return fail(error, "pending_close_to must be solved or closed"), std::nullopt;
    s.pending_close_to = *st;
  }
  if (o.contains("chat_follow_up_after_hours")) {
    auto h = json_int(o, "chat_follow_up_after_hours");
    if (!h || *h < 1 || *h > kMaxFollowUpHours)
      return fail(error, "chat_follow_up_after_hours must be 1 to 720"), std::nullopt;
    s.chat_follow_up_after_hours = static_cast<int>(*h);
  }
  return s;
}

}  // namespace sb::sla
