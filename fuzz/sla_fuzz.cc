// SLA policies and automation settings as admins send them, then clocks over a
// timeline built from the same input: nothing may crash or run unbounded.
#include <boost/json.hpp>

#include "sla/sla.h"

namespace {

using namespace sb;
using namespace sb::sla;

// {"policy": {...}, "hours": {...}, "automation": {...}, "events": [[kind, at, arg], ...],
//  "created": ms, "now": ms}; every part optional.
Timeline timeline_from(const boost::json::object& o) {
  Timeline t;
  t.created_at = json_int(o, "created").value_or(1'772'000'000'000);
  auto* events = o.if_contains("events");
  if (!events || !events->is_array()) return t;
  for (const auto& e : events->as_array()) {
    if (!e.is_array() || e.as_array().size() != 3 || t.events.size() >= 1000) continue;
    const auto& a = e.as_array();
    if (!a[0].is_int64() || !a[1].is_int64() || !a[2].is_int64()) continue;
    TicketEvent ev;
    ev.kind = static_cast<TicketEvent::Kind>(static_cast<std::uint64_t>(a[0].as_int64()) % 5);
    ev.at = a[1].as_int64();
    ev.status = static_cast<TicketStatus>(static_cast<std::uint64_t>(a[2].as_int64()) % 6);
    ev.priority = static_cast<TicketPriority>(static_cast<std::uint64_t>(a[2].as_int64()) % 4);
    t.events.push_back(ev);
  }
  return t;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const unsigned char* data, std::size_t size) {
  boost::system::error_code ec;
  auto v = boost::json::parse(std::string_view(reinterpret_cast<const char*>(data), size), ec);
  if (ec || !v.is_object()) return 0;
  const auto& o = v.as_object();
  std::string error;
  if (auto* a = o.if_contains("automation")) {
    if (auto settings = AutomationSettings::from_json(*a, &error)) {
      AutomationState s{TicketStatus::kPendingCustomer, json_int(o, "created").value_or(0)};
      s.chat_turned_ticket_at = s.status_since;
      next_automation(s, *settings, json_int(o, "now").value_or(0));
    }
  }
  auto* p = o.if_contains("policy");
  auto policy = p ? Policy::from_json(*p, &error) : std::nullopt;
  if (!policy) return 0;
  Calendar calendar = Calendar::always_open();
  if (auto* h = o.if_contains("hours"))
    if (auto hours = BusinessHours::from_json(*h, &error))
      calendar = Calendar(*hours, TimeZone::utc());
  Millis now = json_int(o, "now").value_or(1'772'000'000'000);
  auto clocks = compute_clocks(timeline_from(o), *policy, calendar, now);
  escalations(*policy, clocks, {}, now);
  next_escalation_check(*policy, clocks, {}, now);
  to_json(clocks, now);
  return 0;
}
