// Personal API tokens for integrators: created and revoked by their agent in the
// console, listed and revoked by admins. Shown once; only the hash is kept.
#include "api/routes.h"
#include "http/http.h"

namespace sb {
namespace {

namespace json = boost::json;

constexpr std::size_t kTokensPerAgent = 50;
constexpr int kMaxDays = 3650;

json::value millis_or_null(const std::optional<Millis>& v) {
  return v ? json::value(*v) : json::value(nullptr);
}

json::object token_view(const ApiToken& t, bool with_owner) {
  json::object o{{"id", t.id},
                 {"name", t.name},
                 {"scopes", json::value_from(t.scopes)},
                 {"prefix", t.prefix + "…"},
                 {"created_at", t.created_at},
                 {"expires_at", millis_or_null(t.expires_at)},
                 {"last_used_at", millis_or_null(t.last_used_at)},
                 {"last_used_ip", t.last_used_ip}};
  if (with_owner) o["agent"] = {{"id", t.agent_id}, {"name", t.agent_name}};
  return o;
}

std::vector<std::string> parse_scopes(const json::object& body) {
  const auto* v = body.if_contains("scopes");
  if (!v || !v->is_array() || v->as_array().empty() || v->as_array().size() > 2)
    throw HttpError(400, "bad_request", "scopes must be [\"read\"] or [\"read\", \"write\"]");
  std::vector<std::string> out;
  for (const auto& s : v->as_array()) {
    if (!s.is_string() || (s.as_string() != "read" && s.as_string() != "write"))
      throw HttpError(400, "bad_request", "scopes may hold only \"read\" and \"write\"");
    out.emplace_back(s.as_string());
  }
  return out;
}

std::optional<Millis> parse_expiry(const TokenServices& svc, const json::object& body) {
  const auto* v = body.if_contains("expires_in_days");
  if (!v || v->is_null()) return std::nullopt;
  if (!v->is_int64() || v->as_int64() < 1 || v->as_int64() > kMaxDays)
    throw HttpError(400, "bad_request", "expires_in_days must be null or 1-3650");
  return svc.env.now_ms() + v->as_int64() * 24 * 3600 * 1000;
}

http::Response list_mine(const TokenServices& svc, const http::Request& req, const Params&) {
  auto me = svc.auth.require_agent(req);
  json::array out;
  for (const auto& t : svc.access.list_api_tokens(me.workspace_id, me.agent_id))
    out.push_back(token_view(t, false));
  return http::json(200, {{"tokens", out}});
}

http::Response create(const TokenServices& svc, const http::Request& req, const Params&) {
  auto me = svc.auth.require_agent(req);
  auto body = parse_json_object(req.body);
  ApiToken t;
  t.workspace_id = me.workspace_id;
  t.agent_id = me.agent_id;
  t.name = trim(json_string(body, "name").value_or(""));
  if (t.name.empty() || t.name.size() > 100)
    throw HttpError(400, "bad_request", "name is required (at most 100 characters)");
  t.scopes = parse_scopes(body);
  t.expires_at = parse_expiry(svc, body);
  if (svc.access.list_api_tokens(me.workspace_id, me.agent_id).size() >= kTokensPerAgent)
    throw HttpError(409, "too_many_tokens", "revoke a token first: at most 50 per person");
  auto secret = std::string(kApiTokenPrefix) + svc.env.random_hex(24);
  t.prefix = secret.substr(0, kApiTokenPrefix.size() + 6);
  auto saved = token_view(svc.access.create_api_token(t, security::sha256_hex(secret)), false);
  svc.audit.record(me, req, "token.create", "api_token", json::serialize(saved["id"]), nullptr,
                   saved);
  saved["token"] = secret;
  return http::json(201, saved);
}

http::Response revoke(const TokenServices& svc, const Actor& who, const http::Request& req,
                      const Params& p, std::optional<Id> owner) {
  Id id = parse_id(p[0]);
  if (!svc.access.delete_api_token(who.workspace_id, id, owner))
    throw HttpError(404, "not_found", "no such token");
  svc.audit.record(who, req, "token.revoke", "api_token", std::to_string(id));
  return http::json(200, {{"revoked", true}});
}

http::Response revoke_mine(const TokenServices& svc, const http::Request& req, const Params& p) {
  auto me = svc.auth.require_agent(req);
  return revoke(svc, me, req, p, me.agent_id);
}

http::Response list_all(const TokenServices& svc, const http::Request& req, const Params&) {
  auto admin = svc.auth.require_admin(req);
  json::array out;
  for (const auto& t : svc.access.list_api_tokens(admin.workspace_id, std::nullopt))
    out.push_back(token_view(t, true));
  return http::json(200, {{"tokens", out}});
}

http::Response revoke_any(const TokenServices& svc, const http::Request& req, const Params& p) {
  return revoke(svc, svc.auth.require_admin(req), req, p, std::nullopt);
}

}  // namespace

void add_token_routes(Router& r, const TokenServices& svc) {
  r.add(Access::kAgent, "GET", "/api/v1/me/tokens", with(svc, list_mine));
  r.add(Access::kAgent, "POST", "/api/v1/me/tokens", with(svc, create));
  r.add(Access::kAgent, "DELETE", "/api/v1/me/tokens/:id", with(svc, revoke_mine));
  r.add(Access::kAdmin, "GET", "/api/v1/admin/tokens", with(svc, list_all));
  r.add(Access::kAdmin, "DELETE", "/api/v1/admin/tokens/:id", with(svc, revoke_any));
}

}  // namespace sb
