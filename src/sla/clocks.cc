// SLA clocks: replay a ticket's timeline, keeping for each metric the stretches
// in which its clock ran; targets are applied at the end, so a priority change
// re-targets the whole cycle.
#include <algorithm>

#include "sla/sla.h"

namespace sb::sla {
namespace {

struct Segment {
  Millis from, open_time;  // start instant; open time it held
};

// One metric's current cycle, and what earlier cycles left behind.
class Tracker {
 public:
  Tracker(const Calendar& cal, const Policy& policy, Metric metric)
      : cal_(cal), policy_(policy), metric_(metric) {}

  bool active() const { return started_ && !done_; }
  void start(Millis at, bool paused) {
    if (started_ && !done_) return;
    if (started_ && finished_late()) ++earlier_breaches_;
    started_ = true;
    done_ = false;
    segments_.clear();
    achieved_at_.reset();
    ++cycle_;
    running_ = false;
    if (!paused) resume(at);
  }
  void pause(Millis at) {
    if (!running_) return;
    segments_.push_back({since_, cal_.between(since_, at)});
    running_ = false;
  }
  void resume(Millis at) {
    if (!active() || running_) return;
    since_ = at;
    running_ = true;
  }
  void finish(Millis at, TicketPriority p, bool by_reply = false) {
    if (!active()) return;
    pause(at);
    done_ = true;
    by_reply_ = by_reply;
    achieved_at_ = at;
    achieved_priority_ = p;
  }
  void reopen(Millis at, bool paused) {
    if (!started_ || !done_) return;
    done_ = false;
    achieved_at_.reset();
    if (!paused) resume(at);
  }
  Clock result(TicketPriority current, Millis now) const;

 private:
  std::optional<Millis> instant_of(Millis used) const;
  // A finished cycle is judged by the priority it finished under.
  bool finished_late() const {
    auto target = policy_.target(metric_, achieved_priority_);
    auto due = target ? instant_of(*target) : std::nullopt;
    return due && *achieved_at_ > *due;
  }

  const Calendar& cal_;
  const Policy& policy_;
  Metric metric_;
  bool started_ = false, done_ = false, running_ = false, by_reply_ = false;
  Millis since_ = 0;
  std::vector<Segment> segments_;
  std::optional<Millis> achieved_at_;
  TicketPriority achieved_priority_ = TicketPriority::kNormal;
  int cycle_ = 0, earlier_breaches_ = 0;
};

// The instant at which the cycle had used `used` of open time; nullopt if it
// has not (yet) and is not running.
std::optional<Millis> Tracker::instant_of(Millis used) const {
  Millis left = used;
  for (const auto& s : segments_) {
    if (s.open_time >= left) return cal_.add(s.from, left);
    left -= s.open_time;
  }
  if (running_) return cal_.add(since_, left);
  return std::nullopt;
}

// kNever (no open time within reach) is no due time at all.
std::optional<Millis> reachable(std::optional<Millis> t) {
  return t && *t != kNever ? t : std::nullopt;
}

Clock Tracker::result(TicketPriority current, Millis now) const {
  Clock c;
  if (!started_) return c;
  c.cycle = cycle_;
  c.state =
      done_ ? Clock::State::kAchieved : (running_ ? Clock::State::kRunning : Clock::State::kPaused);
  c.achieved_at = achieved_at_;
  c.answered = done_ && by_reply_;
  for (const auto& s : segments_) c.used += s.open_time;
  if (running_) c.used += cal_.between(since_, now);
  c.breaches = earlier_breaches_;
  auto target = policy_.target(metric_, done_ ? achieved_priority_ : current);
  if (!target) return c;
  c.has_target = true;
  c.target = *target;
  c.left = c.target - c.used;
  c.due_at = reachable(instant_of(c.target));
  Millis threshold =
      std::max(c.target * policy_.at_risk_percent / 100, Millis{policy_.at_risk_minutes} * kMinute);
  c.at_risk_at = reachable(instant_of(std::max<Millis>(0, c.target - threshold)));
  Millis end = done_ ? *achieved_at_ : now;
  c.breached = c.due_at && end > *c.due_at;
  c.breached_by = std::max<Millis>(0, c.used - c.target);
  if (running_ && c.due_at) c.left_wall = *c.due_at - now;
  c.breaches += c.breached ? 1 : 0;
  return c;
}

bool ends_work(TicketStatus s) {
  return s == TicketStatus::kSolved || s == TicketStatus::kClosed;
}

// Replays the timeline in time order (ties keep the caller's order).
class Replay {
 public:
  Replay(const Timeline& t, Millis created, const Policy& p, const Calendar& cal)
      : policy_(p),
        status_(t.status),
        priority_(t.priority),
        first_(cal, p, Metric::kFirstResponse),
        next_(cal, p, Metric::kNextResponse),
        resolution_(cal, p, Metric::kResolution) {
    first_.start(created, false);
    resolution_.start(created, pauses(status_));
    if (ends_work(status_)) stop_all(created);
  }

  void apply(const TicketEvent& e) {
    switch (e.kind) {
      case TicketEvent::Kind::kCustomerMessage:
        return customer_message(e.at);
      case TicketEvent::Kind::kAgentReply:
        return agent_reply(e.at);
      case TicketEvent::Kind::kInternalNote:
        return;
      case TicketEvent::Kind::kStatus:
        return change_status(e.status, e.at);
      case TicketEvent::Kind::kPriority:
        priority_ = e.priority;
        return;
    }
  }

  Clocks result(Millis now) {
    Clocks c;
    c.status = status_;
    c.priority = priority_;
    c.metrics[0] = first_.result(priority_, now);
    c.metrics[1] = next_.result(priority_, now);
    c.metrics[2] = resolution_.result(priority_, now);
    return c;
  }

 private:
  bool pauses(TicketStatus s) const {
    return s == TicketStatus::kPendingCustomer ||
           (s == TicketStatus::kOnHold && policy_.on_hold_pauses);
  }

  // Solving handles whatever the customer last wrote, so their next message
  // starts a next-response wait even if no reply preceded it.
  void stop_all(Millis at) {
    first_.finish(at, priority_);
    next_.finish(at, priority_);
    resolution_.finish(at, priority_);
    agent_replied_last_ = true;
  }

  // The workflow applies even when the caller logs no status change for it.
  void customer_message(Millis at) {
    if (status_ == TicketStatus::kClosed) return;  // belongs to a new ticket
    auto reply = on_customer_reply(status_);
    if (reply.status != status_) change_status(reply.status, at);
    if (agent_replied_last_) next_.start(at, pauses(status_));
    agent_replied_last_ = false;
  }

  void agent_reply(Millis at) {
    if (status_ == TicketStatus::kNew) change_status(TicketStatus::kOpen, at);
    first_.finish(at, priority_, true);
    next_.finish(at, priority_, true);
    agent_replied_last_ = true;
  }

  void change_status(TicketStatus s, Millis at) {
    TicketStatus before = status_;
    if (before == TicketStatus::kClosed) return;  // final
    status_ = s;
    if (ends_work(s)) return stop_all(at);
    if (ends_work(before)) resolution_.reopen(at, pauses(s));
    for (Tracker* t : {&next_, &resolution_}) pauses(s) ? t->pause(at) : t->resume(at);
  }

  const Policy& policy_;
  TicketStatus status_;
  TicketPriority priority_;
  Tracker first_, next_, resolution_;
  bool agent_replied_last_ = false;
};

}  // namespace

Clocks compute_clocks(const Timeline& t, const Policy& p, const Calendar& calendar, Millis now) {
  static const Calendar kAlways = Calendar::always_open();
  const Calendar& cal = p.business_hours ? calendar : kAlways;
  now = std::clamp(now, -kFarInstant, kFarInstant);
  Millis created = std::clamp(t.created_at, -kFarInstant, kFarInstant);
  std::vector<const TicketEvent*> events;
  events.reserve(t.events.size());
  for (const auto& e : t.events)
    if (e.at <= now) events.push_back(&e);
  std::stable_sort(events.begin(), events.end(),
                   [](const TicketEvent* a, const TicketEvent* b) { return a->at < b->at; });
  Replay replay(t, created, p, cal);
  for (const TicketEvent* e : events) {
    TicketEvent clamped = *e;
    clamped.at = std::max(e->at, created);
    replay.apply(clamped);
  }
  return replay.result(std::max(now, created));
}

}  // namespace sb::sla
