// Who is calling: session cookies, personal API tokens and visitor tokens.
#include "api/services.h"
#include "http/http.h"

namespace sb {

Authenticator::Authenticator(AccessStore& access, DirectoryStore& directory, VisitorKeys& keys,
                             ClockFn clock)
    : access_(access), directory_(directory), keys_(keys), clock_(std::move(clock)) {}

namespace {

struct Memo {
  const http::Request* req = nullptr;
  std::optional<Actor> agent, visitor;
};
thread_local Memo memo;

}  // namespace

ActorMemo::ActorMemo(const http::Request& req) {
  memo = {&req, std::nullopt, std::nullopt};
}
ActorMemo::~ActorMemo() {
  memo = {};
}

// last_used_at is written at most once a minute per token, not on every request.
constexpr Millis kTokenTouchMs = 60 * 1000;

std::optional<Actor> Authenticator::agent_from_api_token(const http::Request& req,
                                                         std::string_view secret) {
  auto now = clock_();
  auto token = access_.find_api_token(security::sha256_hex(secret), now);
  if (!token) return std::nullopt;
  auto agent = directory_.get_agent(token->workspace_id, token->agent_id);
  if (!agent || !agent->active()) return std::nullopt;
  if (!token->last_used_at || now - *token->last_used_at > kTokenTouchMs ||
      token->last_used_ip != req.remote)
    access_.touch_api_token(token->id, now, req.remote);
  auto a = actor_of(*agent);
  a.api_token = token->id;
  // A workspace that requires two-factor sign-in holds the tokens of agents
  // without it, as it holds their sessions.
  if (!agent->two_factor.enabled())
    if (auto ws = directory_.get_workspace(agent->workspace_id); ws && ws->require_2fa)
      a.restricted = true;
  a.token_may_write =
      std::find(token->scopes.begin(), token->scopes.end(), "write") != token->scopes.end();
  a.remote = req.remote;
  if (memo.req == &req) memo.agent = a;
  return a;
}

std::optional<Actor> Authenticator::agent_from_cookie(const http::Request& req) {
  if (memo.req == &req && memo.agent) return memo.agent;
  auto token = req.cookie(kSessionCookie);
  if (!token) {
    auto auth = req.header("authorization");
    if (auth.rfind("Bearer ", 0) == 0 &&
        auth.compare(7, kApiTokenPrefix.size(), kApiTokenPrefix) == 0)
      return agent_from_api_token(req, std::string_view(auth).substr(7));
    return std::nullopt;
  }
  auto session = access_.find_session(security::sha256_hex(*token), clock_());
  if (!session) return std::nullopt;
  auto agent = directory_.get_agent(session->workspace_id, session->agent_id);
  if (!agent || !agent->active()) return std::nullopt;
  auto a = actor_of(*agent);
  a.csrf_token = session->csrf_token;
  a.restricted = session->restricted;
  a.super_admin = agent->super_admin;
  if (memo.req == &req) memo.agent = a;
  return a;
}

Actor Authenticator::require_agent(const http::Request& req) {
  auto actor = agent_from_cookie(req);
  if (!actor) throw HttpError(401, "unauthenticated", "log in first (no session, or it expired)");
  bool safe = req.method == "GET" || req.method == "HEAD" || req.method == "OPTIONS";
  if (actor->api_token) {  // no cookie, so no CSRF; the token's scope decides
    if (!safe && !actor->token_may_write)
      throw HttpError(403, "token_read_only", "this API token may only read");
    return *actor;
  }
  if (!safe && !security::constant_time_equal(req.header("x-csrf-token"), actor->csrf_token))
    throw HttpError(403, "csrf", "missing or wrong X-CSRF-Token header");
  return *actor;
}

Actor Authenticator::require_supervisor(const http::Request& req) {
  auto actor = require_agent(req);
  if (!actor.at_least(Role::kSupervisor))
    throw HttpError(403, "forbidden", "only supervisors and admins may do this");
  return actor;
}

Actor Authenticator::require_admin(const http::Request& req) {
  auto actor = require_agent(req);
  if (!actor.at_least(Role::kAdmin)) throw HttpError(403, "forbidden", "only admins may do this");
  return actor;
}

std::optional<Actor> Authenticator::visitor_from_token(std::string_view token) {
  auto claims = keys_.verify(token, clock_());
  if (!claims) return std::nullopt;
  return Actor{AuthorType::kVisitor, claims->workspace_id, 0, "", {}, "", claims->visitor_id, ""};
}

Actor Authenticator::require_visitor(const http::Request& req) {
  if (memo.req == &req && memo.visitor) return *memo.visitor;
  std::string token;
  auto auth = req.header("authorization");
  if (auth.rfind("Bearer ", 0) == 0) token = auth.substr(7);
  if (token.empty()) token = req.param("visitor_token").value_or("");
  if (token.empty()) throw HttpError(401, "unauthenticated", "missing visitor token");
  auto actor = visitor_from_token(token);
  if (!actor) throw HttpError(401, "unauthenticated", "invalid visitor token");
  actor->remote = req.remote;
  if (memo.req == &req) memo.visitor = actor;
  return *actor;
}

}  // namespace sb
