// The audit log: every admin and agent action, searchable and exportable by
// admins. Entries are written by AuditLog::record, called from the handlers that act.
#include <charconv>

#include "api/csv.h"
#include "api/routes.h"

namespace sb {
namespace {

namespace json = boost::json;

constexpr int kExportRows = 50000;

std::int64_t number_param(const http::Request& req, const std::string& name) {
  auto text = req.param(name).value_or("");
  if (text.empty()) return 0;
  std::int64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || v < 0)
    throw HttpError(400, "bad_request", name + " must be a non-negative integer");
  return v;
}

AuditQuery query_of(const http::Request& req) {
  AuditQuery q;
  q.text = req.param("q").value_or("");
  q.action = req.param("action").value_or("");
  if (q.text.size() > 200 || q.action.size() > 100)
    throw HttpError(400, "bad_request", "q or action is too long");
  q.actor_id = number_param(req, "actor_id");
  q.from = number_param(req, "from");
  q.to = number_param(req, "to");
  q.before_id = number_param(req, "before_id");
  if (auto limit = number_param(req, "limit"))
    q.limit = static_cast<int>(std::min<std::int64_t>(limit, 500));
  return q;
}

json::object entry_view(const AuditEntry& e) {
  return {{"id", e.id},
          {"at", e.at},
          {"actor", {{"type", e.actor_type}, {"id", e.actor_id}, {"name", e.actor_name}}},
          {"ip", e.ip},
          {"action", e.action},
          {"target", {{"type", e.target_type}, {"id", e.target_id}}},
          {"before", e.before},
          {"after", e.after}};
}

std::string state_text(const json::value& v) {
  return v.is_null() ? "" : json::serialize(v);
}

http::Response search(const AuditServices& svc, const http::Request& req, const Params&) {
  auto admin = svc.auth.require_admin(req);
  auto q = query_of(req);
  auto entries = svc.access.search_audit(admin.workspace_id, q);
  json::array out;
  for (const auto& e : entries) out.push_back(entry_view(e));
  json::value next = nullptr;
  if (static_cast<int>(entries.size()) == q.limit) next = entries.back().id;
  return http::json(200, {{"entries", out}, {"next_before_id", next}});
}

http::Response export_log(const AuditServices& svc, const http::Request& req, const Params&) {
  auto admin = svc.auth.require_admin(req);
  auto q = query_of(req);
  bool as_json = req.param("format").value_or("csv") == "json";
  std::string body =
      as_json
          ? "["
          : "id,at,actor_type,actor_id,actor_name,ip,action,target_type,target_id,before,after\r\n";
  int rows = 0;
  for (q.limit = 1000; rows < kExportRows;) {
    auto page = svc.access.search_audit(admin.workspace_id, q);
    for (const auto& e : page) {
      if (as_json) {
        body += (rows ? "," : "") + json::serialize(entry_view(e));
      } else {
        body += csv_row({std::to_string(e.id), std::to_string(e.at), e.actor_type,
                         std::to_string(e.actor_id), e.actor_name, e.ip, e.action, e.target_type,
                         e.target_id, state_text(e.before), state_text(e.after)});
      }
      ++rows;
    }
    if (page.size() < 1000) break;
    q.before_id = page.back().id;
  }
  if (as_json) body += "]";
  svc.audit.record(admin, req, "audit.export", "audit", "", nullptr, {{"rows", rows}});
  http::Response r;
  r.body = std::move(body);
  r.header("Content-Type", as_json ? "application/json" : "text/csv; charset=utf-8");
  r.header("Content-Disposition",
           std::string("attachment; filename=\"audit-log.") + (as_json ? "json\"" : "csv\""));
  return r;
}

}  // namespace

void AuditLog::record(const Actor& actor, const http::Request& req, std::string action,
                      std::string target_type, std::string target_id, json::value before,
                      json::value after) {
  AuditEntry e;
  e.workspace_id = actor.workspace_id;
  e.at = clock_();
  e.actor_type = actor.is_agent() ? "agent" : "visitor";
  e.actor_id = actor.agent_id;
  e.actor_name = actor.is_agent() ? actor.name : actor.visitor_id;
  e.ip = req.remote;
  e.action = std::move(action);
  e.target_type = std::move(target_type);
  e.target_id = std::move(target_id);
  e.before = std::move(before);
  e.after = std::move(after);
  store_.append_audit(e);
}

void add_audit_routes(Router& r, const AuditServices& svc) {
  r.add(Access::kAdmin, "GET", "/api/v1/audit", with(svc, search));
  r.add(Access::kAdmin, "GET", "/api/v1/audit/export", with(svc, export_log));
}

}  // namespace sb
