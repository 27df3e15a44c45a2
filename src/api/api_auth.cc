// Agent login, logout, the current agent and their status.
#include "api/abuse.h"
#include "api/routes.h"
#include "http/http.h"
#include "protocol/protocol.h"

namespace sb {
namespace {

namespace json = boost::json;

std::string session_cookie(const AuthServices& svc, const std::string& value, Millis max_age_ms) {
  return std::string(kSessionCookie) + "=" + value + "; Path=/; HttpOnly; SameSite=Strict; " +
         (svc.config.secure_cookies() ? "Secure; " : "") +
         "Max-Age=" + std::to_string(max_age_ms / 1000);
}

[[noreturn]] void throw_locked(Millis wait_ms) {
  throw HttpError(429, "login_locked",
                  "too many failed sign-ins; try again in " +
                      std::to_string(limits::retry_after_seconds(wait_ms)) + " s",
                  limits::retry_after_seconds(wait_ms));
}

// Failed logins lock the account (by e-mail, existing or not, so the answer tells
// nothing) and the IP with a doubling back-off; a locked attempt is refused before
// any hashing. The owner is told at their next login.
void check_not_locked(const AuthServices& svc, const std::string& account, const std::string& ip,
                      Millis now) {
  auto wait = std::max(svc.abuse.login_account.locked_for(account, now),
                       svc.abuse.login_ip.locked_for(ip, now));
  if (wait > 0) throw_locked(wait);
}

[[noreturn]] void login_failed(const AuthServices& svc, const std::optional<Agent>& agent,
                               const std::string& account, const http::Request& req, Millis now) {
  const auto& ip = req.remote;
  auto lock =
      std::max(svc.abuse.login_account.fail(account, now), svc.abuse.login_ip.fail(ip, now));
  if (lock > 0 && agent) svc.access.record_login_lockout(agent->id, 1, now, ip);
  if (agent)
    svc.audit.record(actor_of(*agent), req, "auth.login_failed", "agent", std::to_string(agent->id),
                     nullptr, {{"locked", lock > 0}});
  svc.metrics.login_failures.fetch_add(1, std::memory_order_relaxed);
  throw HttpError(401, "unauthenticated", "wrong e-mail or password");
}

bool verify(const AuthServices& svc, const std::optional<Agent>& agent,
            const std::string& password) {
  // Verify against a dummy hash too, so a wrong e-mail costs as long as a wrong password.
  static const std::string dummy = security::hash_password("not-a-password");
  return with_password_slot(svc.abuse, [&] {
    return security::verify_password(agent ? agent->password_hash : dummy, password);
  });
}

std::optional<Agent> first_account(const AuthServices& svc, const std::string& email) {
  auto all = svc.directory.find_agents_by_email(email);
  if (all.empty()) return std::nullopt;
  return all.front();
}

// One address may sign in to several workspaces. The password picks the account;
// if it opens more than one, the caller must say which workspace (409 with the
// list — shown only to someone who knows the password).
std::vector<Agent> match_accounts(const AuthServices& svc, const std::string& email,
                                  const std::string& password, std::optional<Id> workspace) {
  auto candidates = svc.directory.find_agents_by_email(email);
  if (workspace)
    std::erase_if(candidates, [&](const Agent& a) { return a.workspace_id != *workspace; });
  if (candidates.size() > 5) candidates.resize(5);  // each check is a full password hash
  std::vector<Agent> opened;
  if (candidates.empty()) verify(svc, std::nullopt, password);
  for (const auto& c : candidates)
    if (verify(svc, c, password) && c.active()) opened.push_back(c);
  return opened;
}

http::Response choose_workspace(const AuthServices& svc, const std::vector<Agent>& opened) {
  json::array choices;
  for (const auto& a : opened)
    if (auto ws = svc.directory.get_workspace(a.workspace_id))
      choices.push_back({{"id", ws->id}, {"name", ws->name}});
  return http::json(409, {{"error",
                           {{"code", "choose_workspace"},
                            {"message", "this address signs in to several workspaces: pick one"}}},
                          {"workspaces", choices}});
}

json::value notice_view(const std::optional<LoginNotice>& n) {
  if (!n) return nullptr;
  return {{"failed_logins", n->failures},
          {"first_at", n->first_at},
          {"last_at", n->last_at},
          {"last_ip", n->last_ip}};
}

http::Response login(const AuthServices& svc, const http::Request& req, const Params&) {
  auto body = parse_json_object(req.body);
  auto email = trim(json_string(body, "email").value_or(""));
  auto password = json_string(body, "password").value_or("");
  if (email.empty() || password.empty())
    throw HttpError(400, "bad_request", "email and password are required");
  if (email.size() > 254 || password.size() > 1024)
    throw HttpError(400, "bad_request", "email or password is too long");
  auto account = lower_ascii(email);
  auto now = svc.env.now_ms();
  check_not_locked(svc, account, req.remote, now);
  auto opened = match_accounts(svc, email, password, json_int(body, "workspace_id"));
  if (opened.empty()) login_failed(svc, first_account(svc, email), account, req, now);
  svc.abuse.login_account.succeed(account);
  if (opened.size() > 1) return choose_workspace(svc, opened);
  const auto* agent = &opened.front();
  check_second_factor({svc.auth, svc.audit, svc.directory, svc.abuse, svc.env}, *agent, body, req);
  auto ws = svc.directory.get_workspace(agent->workspace_id);
  bool restricted = ws && ws->require_2fa && !agent->two_factor.enabled();

  auto token = svc.env.random_hex(32);
  AgentSession s{agent->id,
                 agent->workspace_id,
                 svc.env.random_hex(16),
                 now + kSessionLifetime,
                 now,
                 req.remote,
                 req.header("user-agent").substr(0, 300)};
  s.restricted = restricted;
  auto hash = security::sha256_hex(token);
  svc.access.create_session(hash, s);
  svc.audit.record(actor_of(*agent), req, "auth.login", "session", hash.substr(0, 16));
  auto resp =
      http::json(200, {{"agent", views::agent(*agent)},
                       {"csrf_token", s.csrf_token},
                       {"two_factor_setup_required", restricted},
                       {"security_notice", notice_view(svc.access.take_login_notice(agent->id))}});
  resp.header("Set-Cookie", session_cookie(svc, token, kSessionLifetime));
  return resp;
}

http::Response logout(const AuthServices& svc, const http::Request& req, const Params&) {
  auto actor = svc.auth.require_agent(req);
  auto hash = security::sha256_hex(*req.cookie(kSessionCookie));
  svc.access.delete_session(hash);
  svc.audit.record(actor, req, "auth.logout", "session", hash.substr(0, 16));
  svc.directory.set_agent_status(actor.workspace_id, actor.agent_id, AgentStatus::kOffline);
  svc.live.agent_changed(actor.workspace_id, actor.agent_id);
  svc.hub.agents_online(actor.workspace_id, svc.routing.count_online_agents(actor.workspace_id));
  auto resp = http::json(200, {{"ok", true}});
  resp.header("Set-Cookie", session_cookie(svc, "", 0));
  return resp;
}

http::Response me(const AuthServices& svc, const http::Request& req, const Params&) {
  auto actor = svc.auth.require_agent(req);
  auto agent = svc.directory.get_agent(actor.workspace_id, actor.agent_id);
  return http::json(200, {{"agent", views::agent(*agent)},
                          {"csrf_token", actor.csrf_token},
                          {"two_factor_setup_required", actor.restricted}});
}

http::Response set_status(const AuthServices& svc, const http::Request& req, const Params&) {
  auto actor = svc.auth.require_agent(req);
  auto body = parse_json_object(req.body);
  std::optional<AgentStatus> status;
  std::optional<Id> custom;
  if (body.contains("custom_status_id")) {
    auto id = json_int(body, "custom_status_id");
    const auto catalogue = svc.routing.workspace_routing(actor.workspace_id);
    const auto* def = id ? catalogue.status(*id) : nullptr;
    if (!def) throw HttpError(400, "bad_request", "custom_status_id: no such status");
    custom = def->id;
    status = def->routable ? AgentStatus::kOnline : AgentStatus::kAway;
  } else {
    status = parse_agent_status(json_string(body, "status").value_or(""));
    if (!status)
      throw HttpError(400, "bad_request", "status must be online, busy, away or offline");
  }
  auto agent = svc.directory.set_agent_status(actor.workspace_id, actor.agent_id, *status, custom);
  svc.hub.agents_online(actor.workspace_id, svc.routing.count_online_agents(actor.workspace_id));
  svc.live.agent_changed(actor.workspace_id, actor.agent_id);
  return http::json(200, views::agent(agent));
}

std::string current_hash(const http::Request& req) {
  return security::sha256_hex(req.cookie(kSessionCookie).value_or(""));
}

// A session is named by the first 16 hex digits of its token's hash: enough to
// pick it, useless for signing in.
http::Response list_sessions(const AuthServices& svc, const http::Request& req, const Params&) {
  auto me = svc.auth.require_agent(req);
  auto current = current_hash(req);
  json::array out;
  for (const auto& s : svc.access.list_sessions(me.workspace_id, me.agent_id, svc.env.now_ms()))
    out.push_back({{"id", s.token_hash.substr(0, 16)},
                   {"created_at", s.created_at},
                   {"expires_at", s.expires_at},
                   {"ip", s.ip},
                   {"user_agent", s.user_agent},
                   {"current", s.token_hash == current}});
  return http::json(200, {{"sessions", out}});
}

http::Response end_session(const AuthServices& svc, const http::Request& req, const Params& p) {
  auto me = svc.auth.require_agent(req);
  for (const auto& s : svc.access.list_sessions(me.workspace_id, me.agent_id, svc.env.now_ms()))
    if (p[0].size() == 16 && s.token_hash.rfind(p[0], 0) == 0) {
      svc.access.delete_session(s.token_hash);
      svc.audit.record(me, req, "auth.session_end", "session", s.token_hash.substr(0, 16));
      return http::json(200, {{"ended", 1}, {"current", s.token_hash == current_hash(req)}});
    }
  throw HttpError(404, "not_found", "no such session");
}

http::Response sign_out_others(const AuthServices& svc, const http::Request& req, const Params&) {
  auto me = svc.auth.require_agent(req);
  int ended = svc.access.delete_agent_sessions(me.workspace_id, me.agent_id, current_hash(req));
  svc.hub.disconnect_agent(me.workspace_id, me.agent_id, current_hash(req));
  svc.audit.record(me, req, "auth.sign_out_others", "agent", std::to_string(me.agent_id), nullptr,
                   {{"ended", ended}});
  return http::json(200, {{"ended", ended}});
}

// Needs the current password (failures count like failed logins); ends every
// other session, so a stolen cookie dies with the old password.
http::Response change_password(const AuthServices& svc, const http::Request& req, const Params&) {
  auto me = svc.auth.require_agent(req);
  auto body = parse_json_object(req.body);
  auto current = json_string(body, "current_password").value_or("");
  auto fresh = json_string(body, "new_password").value_or("");
  if (fresh.size() < 8 || fresh.size() > 1024)
    throw HttpError(400, "bad_request", "new_password must have 8 to 1024 characters");
  auto agent = svc.directory.get_agent(me.workspace_id, me.agent_id);
  auto account = lower_ascii(agent->email);
  auto now = svc.env.now_ms();
  check_not_locked(svc, account, req.remote, now);
  if (!verify(svc, agent, current)) {
    svc.abuse.login_account.fail(account, now);
    svc.audit.record(me, req, "auth.password_change_failed", "agent", std::to_string(me.agent_id));
    throw HttpError(403, "wrong_password", "the current password is wrong");
  }
  agent->password_hash =
      with_password_slot(svc.abuse, [&] { return security::hash_password(fresh); });
  svc.directory.update_agent(*agent);
  int ended = svc.access.delete_agent_sessions(me.workspace_id, me.agent_id, current_hash(req));
  svc.hub.disconnect_agent(me.workspace_id, me.agent_id, current_hash(req));
  svc.audit.record(me, req, "auth.password_change", "agent", std::to_string(me.agent_id), nullptr,
                   {{"ended_sessions", ended}});
  return http::json(200, {{"ok", true}, {"ended_sessions", ended}});
}

}  // namespace

void add_auth_routes(Router& r, const AuthServices& svc) {
  r.add(Access::kAgent, "GET", "/api/v1/me/sessions", with(svc, list_sessions));
  r.add(Access::kAgent, "DELETE", "/api/v1/me/sessions/:id", with(svc, end_session));
  r.add(Access::kAgent, "POST", "/api/v1/me/sessions/sign-out-others", with(svc, sign_out_others));
  r.add(Access::kAgent, "PUT", "/api/v1/me/password", with(svc, change_password));
  r.add(Access::kPublic, "POST", "/api/v1/auth/login", with(svc, login));
  r.add(Access::kSelf, "POST", "/api/v1/auth/logout", with(svc, logout));
  r.add(Access::kSelf, "GET", "/api/v1/me", with(svc, me));
  r.add(Access::kAgent, "PUT", "/api/v1/me/status", with(svc, set_status));
}

}  // namespace sb
