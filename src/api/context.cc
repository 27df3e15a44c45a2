#include "api/context.h"

#include <algorithm>

#include "api/abuse.h"
#include "http/http.h"

namespace sb {

namespace json = boost::json;

json::object parse_json_object(const std::string& body) {
  boost::system::error_code ec;
  auto v = json::parse(body, ec);
  if (ec) throw HttpError(400, "invalid_json", "request body is not valid JSON: " + ec.message());
  if (!v.is_object()) throw HttpError(400, "invalid_json", "request body must be a JSON object");
  return std::move(v.as_object());
}

bool Actor::covers(const Conversation& c) const {
  if (!is_agent()) return false;
  return at_least(Role::kAdmin) || scope.covers(c.inbox_id, c.team_id, c.assignee_id, agent_id);
}

Actor actor_of(const Agent& agent) {
  return {AuthorType::kAgent, agent.workspace_id, agent.id, agent.role,
          agent.scope,        agent.name,         "",       ""};
}

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

std::optional<Actor> agent_from_api_token(Context& ctx, const http::Request& req,
                                          std::string_view secret) {
  auto now = ctx.clock();
  auto token = ctx.store.find_api_token(security::sha256_hex(secret), now);
  if (!token) return std::nullopt;
  auto agent = ctx.store.get_agent(token->workspace_id, token->agent_id);
  if (!agent || !agent->active()) return std::nullopt;
  if (!token->last_used_at || now - *token->last_used_at > kTokenTouchMs ||
      token->last_used_ip != req.remote)
    ctx.store.touch_api_token(token->id, now, req.remote);
  auto a = actor_of(*agent);
  a.api_token = token->id;
  // A workspace that requires two-factor sign-in holds the tokens of agents
  // without it, as it holds their sessions.
  if (!agent->two_factor.enabled())
    if (auto ws = ctx.store.get_workspace(agent->workspace_id); ws && ws->require_2fa)
      a.restricted = true;
  a.token_may_write =
      std::find(token->scopes.begin(), token->scopes.end(), "write") != token->scopes.end();
  a.remote = req.remote;
  if (memo.req == &req) memo.agent = a;
  return a;
}

std::optional<Actor> agent_from_cookie(Context& ctx, const http::Request& req) {
  if (memo.req == &req && memo.agent) return memo.agent;
  auto token = req.cookie(kSessionCookie);
  if (!token) {
    auto auth = req.header("authorization");
    if (auth.rfind("Bearer ", 0) == 0 &&
        auth.compare(7, kApiTokenPrefix.size(), kApiTokenPrefix) == 0)
      return agent_from_api_token(ctx, req, std::string_view(auth).substr(7));
    return std::nullopt;
  }
  auto session = ctx.store.find_session(security::sha256_hex(*token), ctx.clock());
  if (!session) return std::nullopt;
  auto agent = ctx.store.get_agent(session->workspace_id, session->agent_id);
  if (!agent || !agent->active()) return std::nullopt;
  auto a = actor_of(*agent);
  a.csrf_token = session->csrf_token;
  a.restricted = session->restricted;
  a.super_admin = agent->super_admin;
  if (memo.req == &req) memo.agent = a;
  return a;
}

Actor require_agent(Context& ctx, const http::Request& req) {
  auto actor = agent_from_cookie(ctx, req);
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

Actor require_supervisor(Context& ctx, const http::Request& req) {
  auto actor = require_agent(ctx, req);
  if (!actor.at_least(Role::kSupervisor))
    throw HttpError(403, "forbidden", "only supervisors and admins may do this");
  return actor;
}

Actor require_admin(Context& ctx, const http::Request& req) {
  auto actor = require_agent(ctx, req);
  if (!actor.at_least(Role::kAdmin)) throw HttpError(403, "forbidden", "only admins may do this");
  return actor;
}

std::optional<Actor> visitor_from_token(Context& ctx, std::string_view token) {
  auto claims = ctx.visitor_keys.verify(token, ctx.clock());
  if (!claims) return std::nullopt;
  return Actor{AuthorType::kVisitor, claims->workspace_id, 0, "", {}, "", claims->visitor_id, ""};
}

Actor require_visitor(Context& ctx, const http::Request& req) {
  if (memo.req == &req && memo.visitor) return *memo.visitor;
  std::string token;
  auto auth = req.header("authorization");
  if (auth.rfind("Bearer ", 0) == 0) token = auth.substr(7);
  if (token.empty()) token = req.param("visitor_token").value_or("");
  if (token.empty()) throw HttpError(401, "unauthenticated", "missing visitor token");
  auto actor = visitor_from_token(ctx, token);
  if (!actor) throw HttpError(401, "unauthenticated", "invalid visitor token");
  actor->remote = req.remote;
  if (memo.req == &req) memo.visitor = actor;
  return *actor;
}

namespace {

// A non-negative decimal integer of at most 18 digits (fits int64), else nullopt.
std::optional<std::int64_t> parse_digits(std::string_view text) {
  if (text.empty() || text.size() > 18) return std::nullopt;
  std::int64_t v = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  return v;
}

}  // namespace

Id parse_id(const std::string& text) {
  auto v = parse_digits(text);
  if (!v || *v == 0) throw HttpError(404, "not_found", "no such id: " + text);
  return *v;
}

std::int64_t parse_after(const http::Request& req) {
  auto v = parse_digits(req.param("after").value_or("0"));
  if (!v) throw HttpError(400, "bad_request", "after must be a non-negative integer");
  return *v;
}

Conversation accessible_conversation(Context& ctx, const Actor& actor, Id id) {
  auto conv = ctx.store.get_conversation(actor.workspace_id, id);
  bool allowed =
      conv && (actor.is_agent() ? actor.covers(*conv) : conv->visitor_id == actor.visitor_id);
  if (!allowed)
    throw HttpError(404, "not_found", "conversation " + std::to_string(id) + " not found");
  return *conv;
}

void require_may_reassign(const Actor& actor, const Conversation& conv) {
  if (actor.at_least(Role::kSupervisor)) return;
  if (conv.assignee_id && *conv.assignee_id != actor.agent_id)
    throw HttpError(403, "forbidden",
                    "this conversation is a colleague's: only supervisors may move it");
}

std::string uploader_of(const Actor& actor) {
  return actor.is_agent() ? "agent:" + std::to_string(actor.agent_id)
                          : "visitor:" + actor.visitor_id;
}

// A visitor sends only what they uploaded; an agent their team's uploads, or a
// file already in this conversation — never a customer's file into another chat.
bool may_send_attachment(const Actor& actor, const Attachment& a, Id conversation) {
  if (a.conversation_id == conversation) return true;
  if (!actor.is_agent()) return a.uploader == uploader_of(actor);
  return a.uploader.rfind("agent:", 0) == 0;
}

bool may_download_attachment(Context& ctx, const Actor& actor, const Attachment& a) {
  if (a.uploader == uploader_of(actor)) return true;
  if (!a.conversation_id) return actor.is_agent() && a.uploader.rfind("agent:", 0) == 0;
  if (actor.is_agent() && actor.scope.unrestricted()) return true;
  auto conv = ctx.store.get_conversation(actor.workspace_id, *a.conversation_id);
  if (!conv) return false;
  return actor.is_agent() ? actor.covers(*conv) : conv->visitor_id == actor.visitor_id;
}

bool message_check_reads_store(const Actor& actor, const json::object& body) {
  if (actor.is_agent() && !actor.at_least(Role::kAdmin) && !actor.scope.unrestricted()) return true;
  const auto* ids = body.if_contains("attachment_ids");
  return ids && !(ids->is_array() && ids->as_array().empty());
}

AppendResult post_message(Context& ctx, const Actor& actor, Id id, const json::object& body) {
  auto result = ctx.store.append_event(prepare_message(ctx, actor, id, body));
  count_message(ctx, result);
  return result;  // triage (language, emotion, bot) follows the commit, off this request
}

void count_message(Context& ctx, const AppendResult& stored) {
  if (!stored.duplicate) ctx.metrics.messages_stored.fetch_add(1, std::memory_order_relaxed);
}

NewEvent prepare_message(Context& ctx, const Actor& actor, Id id, const json::object& body) {
  if (!actor.is_agent()) {
    auto now = ctx.clock();
    enforce_rate(ctx.abuse.messages_visitor, actor.visitor_id, now);
    enforce_rate(ctx.abuse.messages_ip, actor.remote, now);
  } else if (!actor.at_least(Role::kAdmin) && !actor.scope.unrestricted()) {
    accessible_conversation(ctx, actor, id);  // the store checks only the workspace
  }
  auto client_id = json_string(body, "client_id").value_or("");
  if (client_id.empty() || client_id.size() > 64)
    throw HttpError(400, "bad_request", "client_id (1-64 characters) is required");
  auto text = trim(json_string(body, "body").value_or(""));
  if (!is_valid_utf8(text)) throw HttpError(400, "bad_request", "body must be UTF-8 text");
  if (text.size() > kMaxMessageChars * 4) throw HttpError(413, "too_large", "message is too long");

  json::array attachments;
  if (auto* ids = body.if_contains("attachment_ids")) {
    if (!ids->is_array() || ids->as_array().size() > 10)
      throw HttpError(400, "bad_request", "attachment_ids must be an array of at most 10 ids");
    if (!ids->as_array().empty()) accessible_conversation(ctx, actor, id);  // before binding
    for (const auto& v : ids->as_array()) {
      auto a = v.is_string()
                   ? ctx.store.get_attachment(actor.workspace_id, std::string(v.as_string()))
                   : std::nullopt;
      if (!a || !may_send_attachment(actor, *a, id))
        throw HttpError(400, "bad_request", "unknown attachment id");
      if (!ctx.store.bind_attachment(actor.workspace_id, a->id, id))
        throw HttpError(409, "conflict", "that attachment was sent in another conversation");
      attachments.push_back(json::object{{"id", a->id},
                                         {"name", a->name},
                                         {"content_type", a->content_type},
                                         {"size", a->size},
                                         {"url", "/api/v1/attachments/" + a->id}});
    }
  }
  if (text.empty() && attachments.empty())
    throw HttpError(400, "bad_request", "a message needs text or an attachment");

  return {actor.workspace_id,
          id,
          "message",
          {actor.type, actor.agent_id, actor.name},
          text,
          client_id,
          attachments,
          actor.is_agent() ? "" : actor.visitor_id};
}

Conversation update_receipts(Context& ctx, const Actor& actor, Id id, std::int64_t delivered,
                             std::int64_t read) {
  accessible_conversation(ctx, actor, id);
  return ctx.store.update_receipts(actor.workspace_id, id, actor.type, delivered, read);
}

InboxAvailability inbox_availability(Context& ctx, const Inbox& inbox) {
  auto tz = ctx.time_zones.get(inbox.timezone).value_or(TimeZone::utc());
  return {availability_at(inbox.hours, tz, ctx.clock()),
          ctx.store.count_online_agents(inbox.workspace_id)};
}

}  // namespace sb
