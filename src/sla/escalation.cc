// Badges from clocks, escalation actions that are done once each, and what a
// ticket list watches.
#include <algorithm>

#include "sla/sla.h"

namespace sb::sla {
namespace {

bool fires(const EscalationRule& r, Badge b) {
  return r.when == Badge::kBreached ? b == Badge::kBreached
                                    : (b == Badge::kAtRisk || b == Badge::kBreached);
}

// Content, not position: reordering or adding rules does not repeat old actions.
std::string key_of(const EscalationRule& r, int cycle) {
  std::string key(to_string(r.metric));
  key += r.when == Badge::kAtRisk ? ":at_risk:" : ":breached:";
  key += to_string(r.action);
  if (r.team) key += ":" + std::to_string(*r.team);
  return key + ":" + std::to_string(cycle);
}

std::optional<TicketPriority> raised(TicketPriority p) {
  if (p == TicketPriority::kUrgent) return std::nullopt;
  return static_cast<TicketPriority>(static_cast<int>(p) + 1);
}

}  // namespace

std::string_view to_string(Badge b) {
  static constexpr std::array<std::string_view, 4> kNames = {"none", "ok", "at_risk", "breached"};
  return kNames.at(static_cast<std::size_t>(b));
}

Badge badge(const Clock& c, Millis now) {
  if (!c.has_target || c.state == Clock::State::kNone) return Badge::kNone;
  if (c.breached) return Badge::kBreached;
  if (c.state == Clock::State::kAchieved) return Badge::kOk;
  if (c.state == Clock::State::kRunning && c.due_at && now > *c.due_at) return Badge::kBreached;
  if (c.at_risk_at && now >= *c.at_risk_at) return Badge::kAtRisk;
  return Badge::kOk;
}

Badge worst_badge(const Clocks& c, Millis now) {
  Badge worst = Badge::kNone;
  for (const auto& clock : c.metrics) worst = std::max(worst, badge(clock, now));
  return worst;
}

std::vector<Escalation> escalations(const Policy& p, const Clocks& c,
                                    const std::set<std::string>& done, Millis now) {
  std::vector<Escalation> out;
  bool raising = false;  // one step per call: the caller recomputes clocks after it
  for (const auto& rule : p.escalations) {
    const Clock& clock = c[rule.metric];
    if (clock.state == Clock::State::kAchieved || !fires(rule, badge(clock, now))) continue;
    std::string key = key_of(rule, clock.cycle);
    if (done.count(key) ||
        std::any_of(out.begin(), out.end(), [&](const Escalation& e) { return e.key == key; }))
      continue;
    Escalation e{key, rule.metric, rule.action, rule.team, std::nullopt};
    if (rule.action == EscalationAction::kRaisePriority) {
      e.priority = raised(c.priority);
      if (!e.priority || raising) continue;
      raising = true;
    }
    out.push_back(std::move(e));
  }
  return out;
}

std::optional<Millis> next_escalation_check(const Policy& p, const Clocks& c,
                                            const std::set<std::string>& done, Millis now) {
  std::optional<Millis> next;
  for (const auto& rule : p.escalations) {
    const Clock& clock = c[rule.metric];
    if (clock.state != Clock::State::kRunning || done.count(key_of(rule, clock.cycle))) continue;
    auto at = rule.when == Badge::kAtRisk ? clock.at_risk_at : clock.due_at;
    if (!at) continue;
    Millis when = rule.when == Badge::kAtRisk ? *at : *at + 1;  // breached: strictly after due
    if (when > now && (!next || when < *next)) next = when;
  }
  return next;
}

std::optional<Watch> watch(const Clocks& c) {
  std::optional<Watch> out;
  for (const auto& clock : c.metrics) {
    // A paused clock has a due instant only once it used its whole target.
    bool open = clock.state == Clock::State::kRunning || clock.state == Clock::State::kPaused;
    if (!open || !clock.has_target || !clock.due_at || !clock.at_risk_at) continue;
    if (!out) out = Watch{*clock.at_risk_at, *clock.due_at};
    out->at_risk_at = std::min(out->at_risk_at, *clock.at_risk_at);
    out->due_at = std::min(out->due_at, *clock.due_at);
  }
  return out;
}

}  // namespace sb::sla
