// SlaService's reads: policies (parsed once per save), a ticket's clocks from
// its events, the at-risk list's clocks and the SLA report.
#include <algorithm>
#include <stdexcept>

#include "sla_runner/impl.h"

namespace sb {
namespace json = boost::json;
namespace {

constexpr int kMaxEvents = 2000;  // a ticket's log read for its clocks
constexpr int kMaxReportTickets = 10'000;

json::value parse_stored(const std::string& text) {
  boost::system::error_code ec;
  auto v = json::parse(text, ec);
  return ec ? json::value(nullptr) : v;
}

}  // namespace

std::vector<StoredPolicy> SlaService::Impl::policies(Id ws) {
  {
    std::lock_guard lock(cache_mu);
    if (auto it = policy_cache.find(ws); it != policy_cache.end()) return it->second;
  }
  std::vector<StoredPolicy> out;
  for (auto& row : deps.sla.sla_policies(ws)) {
    std::string why;
    auto p = sla::Policy::from_json(parse_stored(row.body), &why);
    if (p) out.push_back({std::move(row), std::move(*p)});  // stored ones were checked
  }
  std::lock_guard lock(cache_mu);
  policy_cache[ws] = out;
  return out;
}

sla::AutomationSettings SlaService::Impl::automation(Id ws) {
  {
    std::lock_guard lock(cache_mu);
    if (auto it = automation_cache.find(ws); it != automation_cache.end()) return it->second;
  }
  auto text = deps.sla.sla_automation(ws);
  sla::AutomationSettings s;
  if (!text.empty())
    if (auto parsed = sla::AutomationSettings::from_json(parse_stored(text), nullptr)) s = *parsed;
  std::lock_guard lock(cache_mu);
  automation_cache[ws] = s;
  return s;
}

void SlaService::Impl::forget(Id ws) {
  {
    std::lock_guard lock(cache_mu);
    policy_cache.erase(ws);
    automation_cache.erase(ws);
  }
  {
    std::lock_guard lock(mu);
    rescan.insert(ws);
  }
  wake.notify_all();
}

void SlaService::Impl::changed(Id ws) {
  forget(ws);
  if (options.changed) options.changed(ws);
}

sla::Calendar SlaService::Impl::calendar(Id ws, Id inbox) {
  auto in = deps.directory.get_inbox(ws, inbox);
  if (!in || in->hours.weekly.empty()) return sla::Calendar::always_open();
  auto zone = deps.zones.get(in->timezone);
  return sla::Calendar(in->hours, zone.value_or(TimeZone::utc()));
}

SlaService::Impl::Loaded SlaService::Impl::load(const Conversation& ticket, bool with_keys) {
  Loaded t{ticket, {}, std::nullopt, sla::Calendar::always_open(), {}};
  if (with_keys)
    for (auto& k : deps.sla.sla_keys(ticket.workspace_id, ticket.id)) t.done.insert(std::move(k));
  auto events =
      deps.conversations.events_after(ticket.workspace_id, ticket.id, 0, true, kMaxEvents);
  t.read = sla_runner::read_ticket(ticket, events, t.done);
  auto all = policies(ticket.workspace_id);
  std::vector<sla::Policy> plain;
  for (const auto& p : all) plain.push_back(p.policy);
  if (const auto* p = sla::pick_policy(plain, t.read.facts)) {
    t.policy = *p;
    if (p->business_hours) t.calendar = calendar(ticket.workspace_id, ticket.inbox_id);
  }
  return t;
}

SlaService::SlaService(SlaDeps deps, SlaOptions options)
    : impl_(std::make_unique<Impl>(deps, options)) {}

SlaService::~SlaService() {
  stop();
}

std::vector<StoredPolicy> SlaService::policies(Id ws) {
  return impl_->policies(ws);
}

StoredPolicy SlaService::save_policy(Id ws, Id id, const json::value& body,
                                     std::optional<int> position) {
  std::string why;
  auto p = sla::Policy::from_json(body, &why);
  if (!p) throw std::invalid_argument(why);
  SlaPolicyRow row{id, ws, 0, json::serialize(p->to_json()), 0};
  auto saved = impl_->deps.sla.save_sla_policy(row, position);
  impl_->changed(ws);
  return {saved, *p};
}

void SlaService::delete_policy(Id ws, Id id) {
  impl_->deps.sla.delete_sla_policy(ws, id);
  impl_->changed(ws);
}

sla::AutomationSettings SlaService::automation(Id ws) {
  return impl_->automation(ws);
}

sla::AutomationSettings SlaService::save_automation(Id ws, const json::value& body) {
  std::string why;
  auto s = sla::AutomationSettings::from_json(body, &why);
  if (!s) throw std::invalid_argument(why);
  impl_->deps.sla.set_sla_automation(ws, json::serialize(s->to_json()));
  impl_->changed(ws);
  return *s;
}

json::object SlaService::clocks(const Conversation& ticket) {
  if (!ticket.ticket) return {{"policy", nullptr}, {"badge", "none"}};
  auto t = impl_->load(ticket, false);
  if (!t.policy) return {{"policy", nullptr}, {"badge", "none"}};
  Millis now = impl_->deps.env.now_ms();
  auto c = sla::compute_clocks(t.read.timeline, *t.policy, t.calendar, now);
  auto o = sla::to_json(c, now);
  o["policy"] = t.policy->name;
  o["hours"] = t.policy->business_hours ? "business" : "calendar";
  o["status"] = to_string(c.status);
  o["priority"] = to_string(c.priority);
  o["now"] = now;
  return o;
}

std::vector<SlaService::AtRisk> SlaService::at_risk(const std::vector<Conversation>& listed) {
  std::vector<AtRisk> out;
  Millis now = impl_->deps.env.now_ms();
  for (const auto& ticket : listed) {
    if (!ticket.ticket) continue;
    auto t = impl_->load(ticket, false);
    if (!t.policy) continue;
    auto c = sla::compute_clocks(t.read.timeline, *t.policy, t.calendar, now);
    auto w = sla::watch(c);
    if (!w || w->at_risk_at > now) continue;
    auto o = sla::to_json(c, now);
    o["policy"] = t.policy->name;
    out.push_back({ticket, std::move(o), w->due_at});
  }
  return out;
}

void SlaService::rescan(Id ws) {
  impl_->changed(ws);
}

void SlaService::changed_elsewhere(Id ws) {
  impl_->forget(ws);
}

json::object SlaService::report(Id ws, Millis from, Millis to) {
  Millis now = impl_->deps.env.now_ms();
  std::vector<sla::TicketClocks> all;
  // (policy, metric, priority) -> breaches; per metric: measured, achieved in time
  std::map<std::tuple<std::string, std::string, std::string>, int> breaches;
  std::array<int, sla::kMetrics> measured{}, in_time{};
  for (const auto& ticket : impl_->deps.sla.tickets_created(ws, from, to, kMaxReportTickets)) {
    auto t = impl_->load(ticket, false);
    if (!t.policy) continue;
    auto c = sla::compute_clocks(t.read.timeline, *t.policy, t.calendar, now);
    for (std::size_t m = 0; m < sla::kMetrics; ++m) {
      const auto& clock = c.metrics[m];
      if (!clock.has_target) continue;
      bool done = clock.state == sla::Clock::State::kAchieved;
      if (clock.breached)
        breaches[{t.policy->name, std::string(sla::to_string(static_cast<sla::Metric>(m))),
                  std::string(to_string(c.priority))}] += 1;
      if (done || clock.breached) ++measured[m];
      if (done && !clock.breached) ++in_time[m];
    }
    all.push_back({ticket.id, c});
  }
  json::array by;
  for (const auto& [k, n] : breaches)
    by.push_back({{"policy", std::get<0>(k)},
                  {"metric", std::get<1>(k)},
                  {"priority", std::get<2>(k)},
                  {"breaches", n}});
  json::object metrics;
  for (std::size_t m = 0; m < sla::kMetrics; ++m)
    metrics[sla::to_string(static_cast<sla::Metric>(m))] = {
        {"measured", measured[m]},
        {"achieved", in_time[m]},
        {"achieved_percent",
         measured[m] ? json::value(100.0 * in_time[m] / measured[m]) : json::value(nullptr)}};
  auto p = sla::first_response_percentiles(all);
  json::array worst;
  for (const auto& b : sla::breach_list(all)) {
    if (worst.size() >= 20) break;
    worst.push_back({{"ticket", b.ticket},
                     {"metric", sla::to_string(b.metric)},
                     {"due_at", b.due_at},
                     {"breached_by_ms", b.breached_by},
                     {"open", b.open}});
  }
  return {{"from", from},
          {"to", to},
          {"tickets", static_cast<std::int64_t>(all.size())},
          {"breaches", std::move(by)},
          {"metrics", std::move(metrics)},
          {"first_response",
           {{"count", static_cast<std::int64_t>(p.count)},
            {"p50_ms", p.p50},
            {"p90_ms", p.p90},
            {"p95_ms", p.p95},
            {"max_ms", p.max}}},
          {"worst", std::move(worst)}};
}

}  // namespace sb
