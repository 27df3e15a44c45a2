// Clocks as the API shows them: instants in milliseconds since the epoch (as every
// other view), durations in milliseconds of open time, a badge per clock.
#include "sla/sla.h"

namespace sb::sla {
namespace json = boost::json;
namespace {

std::string_view state_name(Clock::State s) {
  static constexpr std::array<std::string_view, 4> kNames = {"none", "running", "paused",
                                                             "achieved"};
  return kNames.at(static_cast<std::size_t>(s));
}

json::value instant(const std::optional<Millis>& t) {
  return t ? json::value(*t) : json::value(nullptr);
}

json::object clock_json(const Clock& c, Millis now) {
  json::object o{{"state", state_name(c.state)},
                 {"badge", to_string(badge(c, now))},
                 {"due_at", instant(c.due_at)},
                 {"at_risk_at", instant(c.at_risk_at)},
                 {"achieved_at", instant(c.achieved_at)},
                 {"answered", c.answered},
                 {"used_ms", c.used},
                 {"cycle", c.cycle},
                 {"breaches", c.breaches}};
  if (!c.has_target) {
    o["target_ms"] = nullptr;
    return o;
  }
  o["target_ms"] = c.target;
  o["left_ms"] = c.left;
  o["left_wall_ms"] = instant(c.left_wall);
  o["breached"] = c.breached;
  o["breached_by_ms"] = c.breached_by;
  return o;
}

}  // namespace

json::object to_json(const Clocks& c, Millis now) {
  json::object o;
  for (std::size_t m = 0; m < kMetrics; ++m)
    o[to_string(static_cast<Metric>(m))] = clock_json(c.metrics[m], now);
  o["badge"] = to_string(worst_badge(c, now));
  return o;
}

}  // namespace sb::sla
