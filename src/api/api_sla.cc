// SLA: admins keep the policies (in order: the first that matches a ticket
// applies) and the ticket automation settings; agents read a ticket's clocks,
// many tickets' clocks for list rows, and the tickets breaching soon;
// supervisors read the SLA report. Clocks are computed from the ticket's events
// on every read (sla_runner/), so they are never stale; the breaching-soon list
// starts from the tickets' stored watch, an indexed query.
#include <charconv>

#include "api/routes.h"
#include "protocol/protocol.h"
#include "sla_runner/sla_runner.h"

namespace sb {
namespace {

namespace json = boost::json;

constexpr std::size_t kPolicyBodyBytes = 64 * 1024;
constexpr std::size_t kMaxClockIds = 100;
constexpr Millis kDay = 86'400'000;
constexpr Millis kMaxReportSpan = 366 * kDay;

// A refused policy or setting names the field: 422 with the parser's words.
template <class Fn>
auto checked(Fn fn) -> decltype(fn()) {
  try {
    return fn();
  } catch (const std::invalid_argument& e) {
    throw HttpError(422, "invalid_policy", e.what());
  }
}

json::object policy_json(const StoredPolicy& p) {
  auto o = p.policy.to_json();
  o["id"] = p.row.id;
  o["position"] = p.row.position;
  o["updated_at"] = p.row.updated_at;
  return o;
}

// The body without "position" (where the policy goes, not part of it).
std::pair<json::object, std::optional<int>> policy_body(const http::Request& req) {
  auto body = parse_json_object(req.body);
  std::optional<int> position;
  if (auto* p = body.if_contains("position")) {
    if (!p->is_int64() || p->as_int64() < 0 || p->as_int64() > 1000)
      throw HttpError(422, "invalid_policy", "position must be 0 to 1000");
    position = static_cast<int>(p->as_int64());
    body.erase("position");
  }
  return {std::move(body), position};
}

http::Response list_policies(const SlaRouteServices& svc, const http::Request& req, const Params&) {
  auto a = svc.auth.require_admin(req);
  json::array out;
  for (const auto& p : svc.sla.policies(a.workspace_id)) out.push_back(policy_json(p));
  return http::json(200, {{"policies", std::move(out)},
                          {"automation", svc.sla.automation(a.workspace_id).to_json()}});
}

const StoredPolicy& find_policy(const std::vector<StoredPolicy>& all, Id id) {
  for (const auto& p : all)
    if (p.row.id == id) return p;
  throw HttpError(404, "not_found", "policy not found");
}

http::Response get_policy(const SlaRouteServices& svc, const http::Request& req, const Params& p) {
  auto a = svc.auth.require_admin(req);
  auto all = svc.sla.policies(a.workspace_id);
  return http::json(200, policy_json(find_policy(all, parse_id(p[0]))));
}

http::Response save_policy(const SlaRouteServices& svc, const http::Request& req, const Params& p) {
  auto a = svc.auth.require_admin(req);
  Id id = p.empty() ? 0 : parse_id(p[0]);
  auto [body, position] = policy_body(req);
  json::value before = nullptr;
  if (id) before = policy_json(find_policy(svc.sla.policies(a.workspace_id), id));
  auto saved = checked([&] { return svc.sla.save_policy(a.workspace_id, id, body, position); });
  auto out = policy_json(saved);
  svc.audit.record(a, req, id ? "sla.policy.update" : "sla.policy.create", "sla_policy",
                   std::to_string(saved.row.id), before, out);
  return http::json(id ? 200 : 201, out);
}

http::Response delete_policy(const SlaRouteServices& svc, const http::Request& req,
                             const Params& p) {
  auto a = svc.auth.require_admin(req);
  svc.sla.delete_policy(a.workspace_id, parse_id(p[0]));
  svc.audit.record(a, req, "sla.policy.delete", "sla_policy", p[0]);
  return http::json(200, {{"deleted", true}});
}

http::Response get_settings(const SlaRouteServices& svc, const http::Request& req, const Params&) {
  auto a = svc.auth.require_admin(req);
  return http::json(200, svc.sla.automation(a.workspace_id).to_json());
}

http::Response save_settings(const SlaRouteServices& svc, const http::Request& req, const Params&) {
  auto a = svc.auth.require_admin(req);
  auto body = parse_json_object(req.body);
  auto before = svc.sla.automation(a.workspace_id).to_json();
  auto saved = checked([&] { return svc.sla.save_automation(a.workspace_id, body); });
  svc.audit.record(a, req, "sla.settings.update", "workspace", std::to_string(a.workspace_id),
                   before, saved.to_json());
  return http::json(200, saved.to_json());
}

http::Response ticket_clocks(const SlaRouteServices& svc, const http::Request& req,
                             const Params& p) {
  auto a = svc.auth.require_agent(req);
  auto conv = accessible_conversation(svc.conversations, a, parse_id(p[0]));
  if (!conv.ticket) throw HttpError(404, "not_found", "not a ticket");
  auto out = svc.sla.clocks(conv);
  out["ticket"] = conv.id;
  return http::json(200, out);
}

// ?ids=1,2,3 (at most 100): the clocks of those the agent may see, by id.
std::vector<Id> parse_ids(const http::Request& req) {
  auto it = req.query.find("ids");
  if (it == req.query.end() || it->second.empty())
    throw HttpError(400, "bad_request", "ids: a comma-separated list of ticket ids");
  std::vector<Id> ids;
  std::string_view rest = it->second;
  while (!rest.empty()) {
    auto comma = rest.find(',');
    auto part = rest.substr(0, comma);
    Id id = 0;
    auto [end, ec] = std::from_chars(part.data(), part.data() + part.size(), id);
    if (ec != std::errc() || end != part.data() + part.size() || id <= 0)
      throw HttpError(400, "bad_request", "ids: a comma-separated list of ticket ids");
    ids.push_back(id);
    if (ids.size() > kMaxClockIds) throw HttpError(400, "bad_request", "ids: at most 100");
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
  }
  return ids;
}

http::Response many_clocks(const SlaRouteServices& svc, const http::Request& req, const Params&) {
  auto a = svc.auth.require_agent(req);
  json::object out;
  for (Id id : parse_ids(req)) {
    auto conv = svc.conversations.get_conversation(a.workspace_id, id);
    if (!conv || !conv->ticket || !a.covers(*conv)) continue;  // as if it did not exist
    out[std::to_string(id)] = svc.sla.clocks(*conv);
  }
  return http::json(200, {{"clocks", std::move(out)}});
}

// The breaching-soon view (the SLA runner's watch, one indexed query) with each
// ticket's clocks; the count is the view's.
http::Response at_risk(const SlaRouteServices& svc, const http::Request& req, const Params&) {
  auto a = svc.auth.require_agent(req);
  constexpr int kMaxListed = 200;
  TicketQuery q;
  q.view = TicketView::kBreachingSoon;
  q.agent_id = a.agent_id;
  if (!a.at_least(Role::kAdmin)) q.scope = a.scope;
  q.now = svc.env.now_ms();
  q.limit = kMaxListed;
  auto listed = svc.tickets.list_tickets(a.workspace_id, q);
  auto found = svc.sla.at_risk(listed);
  std::int64_t count = static_cast<std::int64_t>(found.size());
  if (listed.size() == static_cast<std::size_t>(kMaxListed)) {
    for (const auto& [view, n] : svc.tickets.ticket_counts(a.workspace_id, q, 0).views)
      if (view == TicketView::kBreachingSoon)
        count = n - static_cast<std::int64_t>(listed.size() - found.size());
  }
  json::array out;
  for (auto& t : found) {
    auto o = views::conversation(t.ticket);
    o["sla"] = std::move(t.clocks);
    out.push_back(std::move(o));
  }
  return http::json(200, {{"count", count}, {"tickets", std::move(out)}});
}

Millis query_instant(const http::Request& req, const char* name, Millis fallback) {
  auto it = req.query.find(name);
  if (it == req.query.end() || it->second.empty()) return fallback;
  Millis v = 0;
  const auto& s = it->second;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || v < 0)
    throw HttpError(400, "bad_request", std::string(name) + ": milliseconds since the epoch");
  return v;
}

http::Response report(const SlaRouteServices& svc, const http::Request& req, const Params&) {
  auto a = svc.auth.require_supervisor(req);
  Millis now = svc.env.now_ms();
  Millis to = query_instant(req, "to", now);
  Millis from = query_instant(req, "from", to - 30 * kDay);
  if (from >= to || to - from > kMaxReportSpan)
    throw HttpError(400, "bad_request", "from must be before to, at most 366 days apart");
  return http::json(200, svc.sla.report(a.workspace_id, from, to));
}

}  // namespace

void add_sla_routes(Router& r, const SlaRouteServices& svc) {
  BodyRule small{kPolicyBodyBytes};
  r.add(Access::kAdmin, "GET", "/api/v1/sla-policies", with(svc, list_policies));
  r.add(Access::kAdmin, "POST", "/api/v1/sla-policies", with(svc, save_policy), small);
  r.add(Access::kAdmin, "GET", "/api/v1/sla-policies/:id", with(svc, get_policy));
  r.add(Access::kAdmin, "PUT", "/api/v1/sla-policies/:id", with(svc, save_policy), small);
  r.add(Access::kAdmin, "DELETE", "/api/v1/sla-policies/:id", with(svc, delete_policy));
  r.add(Access::kAdmin, "GET", "/api/v1/sla-settings", with(svc, get_settings));
  r.add(Access::kAdmin, "PUT", "/api/v1/sla-settings", with(svc, save_settings), small);
  r.add(Access::kAgent, "GET", "/api/v1/conversations/:id/sla", with(svc, ticket_clocks));
  r.add(Access::kAgent, "GET", "/api/v1/sla/clocks", with(svc, many_clocks));
  r.add(Access::kAgent, "GET", "/api/v1/sla/at-risk", with(svc, at_risk));
  r.add(Access::kSupervisor, "GET", "/api/v1/reports/sla", with(svc, report));
}

}  // namespace sb
