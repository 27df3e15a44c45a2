// Help-desk rules: SLA clocks, badges, escalation and ticket automation. Pure: no
// I/O and no clock (`now` is always an argument), so the ticket list, the timer
// service, the reports and the tests all run the same code.
//
// Business time. A `Calendar` is an inbox's `BusinessHours` in its IANA zone, or
// always open (24/7). `add(from, d)` is the instant by which `d` of open time has
// passed since `from`; `between(a, b)` is the open time in [a, b). "Open" means
// exactly what `availability_at` says: the local wall clock (offset in force at
// the instant) is inside a weekly span on a day that is not a holiday, so a
// fall-back night holds 25 hours of a 24/7-weekday span and a spring-forward one
// 23. Both walk whole stretches of one UTC offset day by day, never minute by
// minute: a weekend costs three steps.
//
// Policies. A policy names conditions (inbox ids, priorities, tags; an empty
// list matches anything, tags match when the ticket has any of them), targets in
// minutes per metric and priority (none = the metric is not measured for that
// priority), calendar or business time, when a clock counts as at risk, and
// escalation rules. The first policy in order whose conditions match applies.
//
// Clocks (metrics), from a ticket's timeline up to `now`:
//  - first response: from creation to the first public agent reply. Internal
//    notes never count. It does not pause: a customer waiting for a first answer
//    waits whatever the status says. Solving or closing the ticket stops it.
//  - next response: each customer message after an agent reply (or after the
//    ticket was solved, which handles what the customer last wrote) starts a cycle
//    (more messages before the answer do not restart it: the oldest unanswered
//    one is what the customer is waiting on); the next public reply, or solving
//    the ticket, ends it. Every cycle has the full target.
//  - resolution: from creation until solved or closed. A reopened ticket carries
//    on from the time it had already used; the last solve is the achievement.
//  pending_customer pauses next response and resolution: we wait for the customer,
//  and blaming the team for that time would teach agents to avoid "pending".
//  on_hold (waiting on a third party) does NOT pause by default — the customer is
//  still waiting on us — unless the policy sets `on_hold_pauses`.
//  A priority change re-targets every clock as if the ticket had had the new
//  priority since creation (Zendesk does the same): the time already used stays,
//  the target changes, so raising the priority may breach at once. A finished
//  cycle keeps the target of the priority it finished under.
//
// Badges: breached once the wall clock passes the due instant (where the target
// is used up), so a clock due at closing time is breached that evening by zero
// open minutes; at risk when less than `at_risk_percent` of the target or
// `at_risk_minutes` of open time is left (either one); otherwise ok. Escalation
// rules fire when a clock is at risk (or worse) or breached; each firing has a
// key made of what it does (metric, when, action, team) and the cycle, never
// of the rule's position, and is not repeated once the key is in the caller's
// done-set. A new next-response cycle may escalate again: it is a new wait.
//
// Automation: an agent may move a ticket between any statuses except back to
// `new`, and nothing leaves `closed`. A customer reply reopens pending, on-hold
// and solved tickets (on hold too: the customer added something an agent must
// read); a reply to a closed ticket opens a new ticket. `next_automation` says
// which timed action comes next and when, so a timer can sleep until then: a
// reminder to the customer once after N days pending, closing (to solved or
// closed) after M days pending, closing solved tickets after K days, and the
// follow-up 24 h after a chat that could not be finished became a ticket. These
// delays are calendar days and hours: the customer's time, not the team's.
//
// Use: one Calendar per inbox (its hours, and the zone from env's TimeZones);
// pick_policy, then compute_clocks on every read — a ticket costs about 2 µs,
// so clocks need not be stored. No matching policy: no clocks. Durations are
// milliseconds of open time (divide by kMinute for business minutes).
#pragma once

#include <array>
#include <boost/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/core.h"

namespace sb::sla {

constexpr Millis kMinute = 60'000;
constexpr Millis kNever = INT64_MAX;
// Instants are clamped to about ±30,000 years, so that arithmetic on them cannot overflow.
constexpr Millis kFarInstant = 1'000'000'000'000'000;

// ---------------------------------------------------------------- business time
class Calendar {
 public:
  static Calendar always_open() { return Calendar{}; }
  Calendar(const BusinessHours& hours, TimeZone zone);

  // The earliest instant t >= from with between(from, t) == open_ms; kNever when
  // no open time is found within ten years (every day a holiday).
  Millis add(Millis from, Millis open_ms) const;
  // Open time in [a, b); 0 when b <= a.
  Millis between(Millis a, Millis b) const;

 private:
  Calendar() = default;
  struct Span {
    Millis open, close;  // milliseconds after local midnight
  };
  bool holiday(std::int64_t local_day) const;
  template <typename Visit>
  void walk(Millis from, Millis until, std::int64_t max_days, Visit&& visit) const;

  bool always_ = true;
  TimeZone zone_ = TimeZone::utc();
  std::array<std::vector<Span>, 7> week_;  // by weekday, 0 = Sunday; sorted, merged
  std::vector<std::int64_t> holidays_;     // local days since 1970-01-01, sorted
};

// ---------------------------------------------------------------- policies
enum class Metric { kFirstResponse, kNextResponse, kResolution };
constexpr std::size_t kMetrics = 3;
std::string_view to_string(Metric m);  // first_response | next_response | resolution
std::optional<Metric> parse_metric(std::string_view s);

enum class Badge { kNone, kOk, kAtRisk, kBreached };  // kNone: no target, nothing measured
std::string_view to_string(Badge b);                  // none | ok | at_risk | breached

enum class EscalationAction {
  kNotifyAssignee,
  kNotifySupervisor,
  kRaisePriority,  // one step, never past urgent
  kReassignTeam,   // to `team`
  kUnassign,       // back to the queue
};
std::string_view to_string(EscalationAction a);

struct EscalationRule {
  Metric metric = Metric::kFirstResponse;
  Badge when = Badge::kBreached;  // kAtRisk (fires at risk or breached) or kBreached
  EscalationAction action = EscalationAction::kNotifyAssignee;
  std::optional<Id> team;  // kReassignTeam only
};

struct Policy {
  std::string name;
  std::vector<Id> inboxes;                 // conditions; empty = any
  std::vector<TicketPriority> priorities;  // empty = any
  std::vector<std::string> tags;           // empty = any; else any one of them
  // Minutes by metric, then priority (low..urgent); nullopt = not measured.
  std::array<std::array<std::optional<int>, 4>, kMetrics> targets{};
  bool business_hours = false;  // count only the inbox's open time
  bool on_hold_pauses = false;
  int at_risk_percent = 25;
  int at_risk_minutes = 30;
  std::vector<EscalationRule> escalations;

  std::optional<Millis> target(Metric m, TicketPriority p) const;
  boost::json::object to_json() const;
  static std::optional<Policy> from_json(const boost::json::value& v, std::string* error);
};

// A workspace's policies in order; errors name the policy's position.
std::optional<std::vector<Policy>> policies_from_json(const boost::json::value& v,
                                                      std::string* error);
boost::json::array policies_to_json(const std::vector<Policy>& policies);

struct TicketFacts {
  Id inbox = 0;
  TicketPriority priority = TicketPriority::kNormal;
  std::vector<std::string> tags;
};
bool matches(const Policy& p, const TicketFacts& t);
// The first matching policy, or nullptr.
const Policy* pick_policy(const std::vector<Policy>& policies, const TicketFacts& t);

// ---------------------------------------------------------------- clocks
struct TicketEvent {
  enum class Kind { kCustomerMessage, kAgentReply, kInternalNote, kStatus, kPriority };
  Kind kind = Kind::kCustomerMessage;
  Millis at = 0;
  TicketStatus status = TicketStatus::kOpen;          // kStatus: the new status
  TicketPriority priority = TicketPriority::kNormal;  // kPriority: the new priority
};

// The replay applies the workflow by itself: a customer message reopens a pending,
// on-hold or solved ticket and is ignored on a closed one; a public reply opens a
// new one. An agent-started ticket is a reply at created_at.
struct Timeline {
  Millis created_at = 0;
  TicketStatus status = TicketStatus::kNew;  // at creation
  TicketPriority priority = TicketPriority::kNormal;
  std::vector<TicketEvent> events;  // any order; events after `now` are ignored
};

struct Clock {
  enum class State { kNone, kRunning, kPaused, kAchieved };
  State state = State::kNone;  // kNone: not started (next response) or no target
  bool has_target = false;
  Millis target = 0;  // open time allowed (business or calendar, per policy)
  Millis used = 0;    // open time used so far, or until achieved
  bool breached = false;
  Millis breached_by = 0;            // used - target when breached
  Millis left = 0;                   // target - used; negative once breached
  std::optional<Millis> due_at;      // the breach instant (past when breached); none while paused
  std::optional<Millis> at_risk_at;  // when it turns at risk, same rules
  std::optional<Millis> achieved_at;
  bool answered = false;            // achieved by a public reply (not by solving without one)
  std::optional<Millis> left_wall;  // due_at - now, while running
  int cycle = 0;                    // next response: which cycle (1, 2...); others 1 once started
  int breaches = 0;                 // cycles of this metric that breached, this one included
};

struct Clocks {
  std::array<Clock, kMetrics> metrics;  // indexed by Metric
  TicketStatus status = TicketStatus::kNew;
  TicketPriority priority = TicketPriority::kNormal;
  const Clock& operator[](Metric m) const { return metrics[static_cast<std::size_t>(m)]; }
};

// `calendar` is used only when the policy counts business hours.
Clocks compute_clocks(const Timeline& t, const Policy& p, const Calendar& calendar, Millis now);
// {"first_response": {state, badge, due_at, at_risk_at, achieved_at, answered, used_ms, cycle,
// breaches, target_ms, left_ms, left_wall_ms, breached, breached_by_ms}, ...,
// "badge": the worst}; instants in ms since the epoch, null when there is none.
boost::json::object to_json(const Clocks& c, Millis now);

// ---------------------------------------------------------------- badges, escalation
Badge badge(const Clock& c, Millis now);
Badge worst_badge(const Clocks& c, Millis now);

struct Escalation {
  std::string key;  // stable: store it in the done-set once acted on
  Metric metric = Metric::kFirstResponse;
  EscalationAction action = EscalationAction::kNotifyAssignee;
  std::optional<Id> team;                  // kReassignTeam
  std::optional<TicketPriority> priority;  // kRaisePriority: the new priority
};

// What to do now; nothing whose key is in `done`. Raising an urgent ticket is
// not an action (there is nothing to raise).
std::vector<Escalation> escalations(const Policy& p, const Clocks& c,
                                    const std::set<std::string>& done, Millis now);
// When the next escalation could become due (at-risk or due instant), for a timer.
std::optional<Millis> next_escalation_check(const Policy& p, const Clocks& c,
                                            const std::set<std::string>& done, Millis now);

// What a ticket list needs without replaying the timeline: from when the ticket is
// "breaching soon" and when it is due. Open targets only (achieved ones are done):
// a running clock from its at-risk instant; a paused one only once it breached (it
// cannot run out while we wait for the customer, and `pending` is not a way to
// hide a breach). Both instants hold until the timeline changes — a running
// clock's come from the calendar, a paused one's from the time it used — so they
// can be stored and compared with the time in a query. nullopt: nothing to watch.
struct Watch {
  Millis at_risk_at = 0;  // breaching soon (or breached) from this instant on
  Millis due_at = 0;      // the earliest due instant among those clocks: time left
};
std::optional<Watch> watch(const Clocks& c);

// ---------------------------------------------------------------- workflow
bool can_change_status(TicketStatus from, TicketStatus to);

struct ReplyOutcome {
  TicketStatus status = TicketStatus::kOpen;  // of this ticket after the reply
  bool opens_new_ticket = false;              // the reply belongs to a fresh ticket
};
ReplyOutcome on_customer_reply(TicketStatus current);
// A public agent reply takes a new ticket to open; other statuses are the agent's choice.
TicketStatus on_agent_reply(TicketStatus current);

struct AutomationSettings {
  std::optional<int> pending_reminder_after_days = 3;  // nullopt = off
  std::optional<int> pending_close_after_days = 7;
  TicketStatus pending_close_to = TicketStatus::kSolved;  // solved or closed
  std::optional<int> solved_close_after_days = 4;
  int chat_follow_up_after_hours = 24;

  boost::json::object to_json() const;
  static std::optional<AutomationSettings> from_json(const boost::json::value& v,
                                                     std::string* error);
};

struct AutomationState {
  TicketStatus status = TicketStatus::kNew;
  Millis status_since = 0;             // when the ticket entered `status`
  bool pending_reminder_sent = false;  // in this pending period
  std::optional<Millis> chat_turned_ticket_at;
  bool replied_since_chat = false;  // a public agent reply after the chat ended
  bool follow_up_done = false;
};

enum class AutomationKind { kNone, kRemindCustomer, kClosePending, kCloseSolved, kFollowUpChat };
std::string_view to_string(AutomationKind k);

struct Automation {
  AutomationKind kind = AutomationKind::kNone;
  Millis at = kNever;                       // may be <= now: due already
  TicketStatus to = TicketStatus::kSolved;  // kClosePending, kCloseSolved
};

// The earliest timed action still to do. When a reminder and the close it warns
// about are both overdue (the timer was down), only the close is returned.
Automation next_automation(const AutomationState& s, const AutomationSettings& settings,
                           Millis now);

// ---------------------------------------------------------------- reports
struct TicketClocks {
  Id ticket = 0;
  Clocks clocks;
};

struct Breach {
  Id ticket = 0;
  Metric metric = Metric::kFirstResponse;
  Millis due_at = 0;
  Millis breached_by = 0;
  bool open = false;  // still running or paused (not yet achieved)
};
// Every breached clock, worst first.
std::vector<Breach> breach_list(const std::vector<TicketClocks>& tickets);

struct Percentiles {
  std::size_t count = 0;
  Millis p50 = 0, p90 = 0, p95 = 0, max = 0;
};
// Over tickets answered by a public reply: the open time to it (nearest rank).
Percentiles first_response_percentiles(const std::vector<TicketClocks>& tickets);

}  // namespace sb::sla
