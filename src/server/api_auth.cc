// Agent login, logout, the current agent and their status.
#include "server/dispatcher.h"
#include "server/router.h"
#include "server/security.h"
#include "server/views.h"

namespace sb {
namespace {

namespace json = boost::json;

std::string session_cookie(const std::string& value, Millis max_age_ms) {
  return std::string(kSessionCookie) + "=" + value +
         "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" + std::to_string(max_age_ms / 1000);
}

http::Response login(Context& ctx, const http::Request& req, const Params&) {
  auto body = parse_json_object(req.body);
  auto email = json_string(body, "email").value_or("");
  auto password = json_string(body, "password").value_or("");
  if (email.empty() || password.empty())
    throw HttpError(400, "bad_request", "email and password are required");
  auto agent = ctx.store.find_agent_by_email(trim(email));
  // Verify against a dummy hash too, so a wrong e-mail costs as long as a wrong password.
  static const std::string dummy = security::hash_password("not-a-password");
  bool ok = security::verify_password(agent ? agent->password_hash : dummy, password) && agent;
  if (!ok) throw HttpError(401, "unauthenticated", "wrong e-mail or password");

  auto token = security::random_hex(32);
  AgentSession s{agent->id, agent->workspace_id, security::random_hex(16),
                 ctx.clock() + kSessionLifetime};
  ctx.store.create_session(security::sha256_hex(token), s);
  auto resp = http::json(200, {{"agent", views::agent(*agent)}, {"csrf_token", s.csrf_token}});
  resp.header("Set-Cookie", session_cookie(token, kSessionLifetime));
  return resp;
}

http::Response logout(Context& ctx, const http::Request& req, const Params&) {
  auto actor = require_agent(ctx, req);
  ctx.store.delete_session(security::sha256_hex(*req.cookie(kSessionCookie)));
  ctx.store.set_agent_status(actor.workspace_id, actor.agent_id, AgentStatus::kOffline);
  ctx.dispatcher->agent_changed(actor.workspace_id, actor.agent_id);
  ctx.hub.agents_online(actor.workspace_id, ctx.store.count_online_agents(actor.workspace_id));
  auto resp = http::json(200, {{"ok", true}});
  resp.header("Set-Cookie", session_cookie("", 0));
  return resp;
}

http::Response me(Context& ctx, const http::Request& req, const Params&) {
  auto actor = require_agent(ctx, req);
  auto agent = ctx.store.get_agent(actor.workspace_id, actor.agent_id);
  return http::json(200, {{"agent", views::agent(*agent)}, {"csrf_token", actor.csrf_token}});
}

http::Response set_status(Context& ctx, const http::Request& req, const Params&) {
  auto actor = require_agent(ctx, req);
  auto body = parse_json_object(req.body);
  std::optional<AgentStatus> status;
  std::optional<Id> custom;
  if (body.contains("custom_status_id")) {
    auto id = json_int(body, "custom_status_id");
    const auto catalogue = ctx.store.workspace_routing(actor.workspace_id);
    const auto* def = id ? catalogue.status(*id) : nullptr;
    if (!def) throw HttpError(400, "bad_request", "custom_status_id: no such status");
    custom = def->id;
    status = def->routable ? AgentStatus::kOnline : AgentStatus::kAway;
  } else {
    status = parse_agent_status(json_string(body, "status").value_or(""));
    if (!status)
      throw HttpError(400, "bad_request", "status must be online, busy, away or offline");
  }
  auto agent = ctx.store.set_agent_status(actor.workspace_id, actor.agent_id, *status, custom);
  ctx.hub.agents_online(actor.workspace_id, ctx.store.count_online_agents(actor.workspace_id));
  ctx.dispatcher->agent_changed(actor.workspace_id, actor.agent_id);
  return http::json(200, views::agent(agent));
}

}  // namespace

void add_auth_routes(Router& r) {
  r.add("POST", "/api/v1/auth/login", login);
  r.add("POST", "/api/v1/auth/logout", logout);
  r.add("GET", "/api/v1/me", me);
  r.add("PUT", "/api/v1/me/status", set_status);
}

}  // namespace sb
