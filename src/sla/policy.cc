// SLA policies: JSON with errors that name the field, names, and picking one.
#include <algorithm>

#include "sla/sla.h"

namespace sb::sla {
namespace json = boost::json;
namespace {

constexpr std::array<std::string_view, kMetrics> kMetricNames = {"first_response", "next_response",
                                                                 "resolution"};
constexpr std::array<std::string_view, 4> kPriorityNames = {"low", "normal", "high", "urgent"};
constexpr std::array<std::string_view, 5> kActionNames = {
    "notify_assignee", "notify_supervisor", "raise_priority", "reassign_team", "unassign"};
constexpr int kMaxTargetMinutes = 366 * 24 * 60;
constexpr std::size_t kMaxListItems = 100;
constexpr std::size_t kMaxPolicies = 100;
constexpr std::size_t kMaxEscalations = 20;

// Builds the message and returns false, so parsers read `return fail(...)`.
struct Errors {
  std::string* out;
  bool fail(std::string msg) const {
    if (out) *out = std::move(msg);
    return false;
  }
};

// A misspelt setting would silently keep its default, so unknown keys are refused.
bool only_keys(const json::object& o, std::initializer_list<std::string_view> known,
               std::string_view where, Errors e) {
  for (const auto& [key, value] : o)
    if (std::find(known.begin(), known.end(), key) == known.end())
      return e.fail(std::string(where) + ": unknown field '" + std::string(key) + "'");
  return true;
}

bool valid_text(const std::string& s, std::size_t max) {
  return !trim(s).empty() && s.size() <= max && is_valid_utf8(s);
}

const json::array* array_field(const json::object& o, std::string_view key, bool* ok) {
  auto* v = o.if_contains(key);
  if (!v || v->is_null()) return nullptr;
  if (!v->is_array() || v->as_array().size() > kMaxListItems) *ok = false;
  return *ok ? &v->as_array() : nullptr;
}

bool parse_conditions(const json::object& o, Policy& p, Errors e) {
  if (!only_keys(o, {"inboxes", "priorities", "tags"}, "when", e)) return false;
  bool ok = true;
  if (auto* a = array_field(o, "inboxes", &ok))
    for (const auto& v : *a) {
      if (!v.is_int64() || v.as_int64() <= 0) return e.fail("when.inboxes must be inbox ids");
      p.inboxes.push_back(v.as_int64());
    }
  if (!ok) return e.fail("when.inboxes must be a list of at most 100 inbox ids");
  if (auto* a = array_field(o, "priorities", &ok))
    for (const auto& v : *a) {
      auto pr = v.is_string() ? parse_ticket_priority(v.as_string()) : std::nullopt;
      if (!pr) return e.fail("when.priorities must be low, normal, high or urgent");
      p.priorities.push_back(*pr);
    }
  if (!ok) return e.fail("when.priorities must be a list");
  if (auto* a = array_field(o, "tags", &ok))
    for (const auto& v : *a) {
      if (!v.is_string() || !valid_text(std::string(v.as_string()), 60))
        return e.fail("when.tags must be non-empty texts of at most 60 bytes");
      p.tags.push_back(lower_ascii(trim(v.as_string())));
    }
  if (!ok) return e.fail("when.tags must be a list of at most 100 tags");
  return true;
}

bool parse_targets(const json::object& o, Policy& p, Errors e) {
  for (const auto& [metric, per_priority] : o) {
    auto m = parse_metric(metric);
    if (!m) return e.fail("targets: unknown metric '" + std::string(metric) + "'");
    if (!per_priority.is_object())
      return e.fail("targets." + std::string(metric) + " must map priorities to minutes");
    for (const auto& [prio, minutes] : per_priority.as_object()) {
      auto pr = parse_ticket_priority(prio);
      std::string field = "targets." + std::string(metric) + "." + std::string(prio);
      if (!pr) return e.fail(field + ": unknown priority");
      if (minutes.is_null()) continue;
      if (!minutes.is_int64() || minutes.as_int64() < 1 || minutes.as_int64() > kMaxTargetMinutes)
        return e.fail(field + " must be minutes from 1 to a year (527040)");
      p.targets[static_cast<std::size_t>(*m)][static_cast<std::size_t>(*pr)] =
          static_cast<int>(minutes.as_int64());
    }
  }
  return true;
}

bool parse_escalation(const json::value& v, EscalationRule& r, Errors e) {
  if (!v.is_object()) return e.fail("each escalation must be an object");
  const auto& o = v.as_object();
  if (!only_keys(o, {"metric", "when", "action", "team"}, "escalation", e)) return false;
  auto metric = json_string(o, "metric");
  auto m = metric ? parse_metric(*metric) : std::nullopt;
  if (!m) return e.fail("escalation.metric must be first_response, next_response or resolution");
  r.metric = *m;
  auto when = json_string(o, "when");
  if (!when || (*when != "at_risk" && *when != "breached"))
    return e.fail("escalation.when must be at_risk or breached");
  r.when = *when == "at_risk" ? Badge::kAtRisk : Badge::kBreached;
  auto action = json_string(o, "action");
  auto it =
      action ? std::find(kActionNames.begin(), kActionNames.end(), *action) : kActionNames.end();
  if (it == kActionNames.end())
    return e.fail(
        "escalation.action must be notify_assignee, notify_supervisor, raise_priority, "
        "reassign_team or unassign");
  r.action = static_cast<EscalationAction>(it - kActionNames.begin());
  auto team = json_int(o, "team");
  if (r.action == EscalationAction::kReassignTeam && (!team || *team <= 0))
    return e.fail("escalation.team (a team id) is needed to reassign_team");
  if (r.action == EscalationAction::kReassignTeam) r.team = *team;
  return true;
}

bool parse_at_risk(const json::object& o, Policy& p, Errors e) {
  if (!only_keys(o, {"percent", "minutes"}, "at_risk", e)) return false;
  if (auto pct = o.if_contains("percent")) {
    if (!pct->is_int64() || pct->as_int64() < 0 || pct->as_int64() > 100)
      return e.fail("at_risk.percent must be 0 to 100");
    p.at_risk_percent = static_cast<int>(pct->as_int64());
  }
  if (auto mins = o.if_contains("minutes")) {
    if (!mins->is_int64() || mins->as_int64() < 0 || mins->as_int64() > kMaxTargetMinutes)
      return e.fail("at_risk.minutes must be 0 to 527040");
    p.at_risk_minutes = static_cast<int>(mins->as_int64());
  }
  return true;
}

bool parse_policy(const json::object& o, Policy& p, Errors e) {
  if (!only_keys(
          o, {"id", "name", "when", "targets", "hours", "on_hold_pauses", "at_risk", "escalations"},
          "policy", e))
    return false;
  auto name = json_string(o, "name");
  if (!name || !valid_text(*name, 100)) return e.fail("name must be a text of 1 to 100 bytes");
  p.name = trim(*name);
  if (auto* when = o.if_contains("when")) {
    if (!when->is_object()) return e.fail("when must be an object");
    if (!parse_conditions(when->as_object(), p, e)) return false;
  }
  auto* targets = o.if_contains("targets");
  if (!targets || !targets->is_object()) return e.fail("targets must be an object");
  if (!parse_targets(targets->as_object(), p, e)) return false;
  auto hours = json_string(o, "hours").value_or("calendar");
  if (hours != "calendar" && hours != "business")
    return e.fail("hours must be calendar or business");
  p.business_hours = hours == "business";
  if (o.contains("on_hold_pauses")) {
    auto b = json_bool(o, "on_hold_pauses");
    if (!b) return e.fail("on_hold_pauses must be true or false");
    p.on_hold_pauses = *b;
  }
  if (auto* risk = o.if_contains("at_risk")) {
    if (!risk->is_object()) return e.fail("at_risk must be an object");
    if (!parse_at_risk(risk->as_object(), p, e)) return false;
  }
  if (auto* esc = o.if_contains("escalations")) {
    if (!esc->is_array() || esc->as_array().size() > kMaxEscalations)
      return e.fail("escalations must be a list of at most 20 rules");
    for (const auto& v : esc->as_array()) {
      EscalationRule r;
      if (!parse_escalation(v, r, e)) return false;
      p.escalations.push_back(r);
    }
  }
  return true;
}

template <typename T>
json::array ints_json(const std::vector<T>& v) {
  json::array a;
  for (auto x : v) a.push_back(static_cast<std::int64_t>(x));
  return a;
}

}  // namespace

std::string_view to_string(Metric m) {
  return kMetricNames.at(static_cast<std::size_t>(m));
}

std::optional<Metric> parse_metric(std::string_view s) {
  for (std::size_t i = 0; i < kMetricNames.size(); ++i)
    if (kMetricNames[i] == s) return static_cast<Metric>(i);
  return std::nullopt;
}

std::string_view to_string(EscalationAction a) {
  return kActionNames.at(static_cast<std::size_t>(a));
}

std::optional<Millis> Policy::target(Metric m, TicketPriority p) const {
  auto minutes = targets[static_cast<std::size_t>(m)][static_cast<std::size_t>(p)];
  if (!minutes) return std::nullopt;
  return Millis{*minutes} * kMinute;
}

std::optional<Policy> Policy::from_json(const json::value& v, std::string* error) {
  if (!v.is_object()) return Errors{error}.fail("a policy must be an object"), std::nullopt;
  Policy p;
  if (!parse_policy(v.as_object(), p, Errors{error})) return std::nullopt;
  return p;
}

json::object Policy::to_json() const {
  json::array prios, tag_list, esc;
  for (auto p : priorities) prios.push_back(json::string(sb::to_string(p)));
  for (const auto& t : tags) tag_list.push_back(json::string(t));
  json::object target_json;
  for (std::size_t m = 0; m < kMetrics; ++m) {
    json::object per;
    for (std::size_t p = 0; p < 4; ++p)
      if (targets[m][p]) per[kPriorityNames[p]] = *targets[m][p];
    if (!per.empty()) target_json[kMetricNames[m]] = std::move(per);
  }
  for (const auto& r : escalations) {
    json::object o{{"metric", to_string(r.metric)},
                   {"when", r.when == Badge::kAtRisk ? "at_risk" : "breached"},
                   {"action", to_string(r.action)}};
    if (r.team) o["team"] = *r.team;
    esc.push_back(std::move(o));
  }
  return {{"name", name},
          {"when", {{"inboxes", ints_json(inboxes)}, {"priorities", prios}, {"tags", tag_list}}},
          {"targets", std::move(target_json)},
          {"hours", business_hours ? "business" : "calendar"},
          {"on_hold_pauses", on_hold_pauses},
          {"at_risk", {{"percent", at_risk_percent}, {"minutes", at_risk_minutes}}},
          {"escalations", std::move(esc)}};
}

std::optional<std::vector<Policy>> policies_from_json(const json::value& v, std::string* error) {
  if (!v.is_array() || v.as_array().size() > kMaxPolicies)
    return Errors{error}.fail("policies must be a list of at most 100"), std::nullopt;
  std::vector<Policy> out;
  for (const auto& item : v.as_array()) {
    std::string why;
    auto p = Policy::from_json(item, &why);
    if (!p) {
      Errors{error}.fail("policy " + std::to_string(out.size() + 1) + ": " + why);
      return std::nullopt;
    }
    out.push_back(std::move(*p));
  }
  return out;
}

json::array policies_to_json(const std::vector<Policy>& policies) {
  json::array a;
  for (const auto& p : policies) a.push_back(p.to_json());
  return a;
}

bool matches(const Policy& p, const TicketFacts& t) {
  auto in = [](const auto& list, const auto& x) {
    return list.empty() || std::find(list.begin(), list.end(), x) != list.end();
  };
  if (!in(p.inboxes, t.inbox) || !in(p.priorities, t.priority)) return false;
  if (p.tags.empty()) return true;
  return std::any_of(t.tags.begin(), t.tags.end(),
                     [&](const std::string& tag) { return in(p.tags, lower_ascii(tag)); });
}

const Policy* pick_policy(const std::vector<Policy>& policies, const TicketFacts& t) {
  for (const auto& p : policies)
    if (matches(p, t)) return &p;
  return nullptr;
}

}  // namespace sb::sla
