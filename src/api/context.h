// Part of api/, exported by api/api.h: what every handler works with, and the small shared
// services (authentication, access checks, posting a message) that REST and
// WebSocket handlers both use, so each rule lives in one place.
#pragma once

#include <filesystem>
#include <stdexcept>

#include "bot/bot.h"
#include "env/env.h"
#include "http/http.h"
#include "realtime/realtime.h"
#include "store/store.h"

namespace sb {

// Thrown by handlers and services; the router turns it into a JSON error.
class HttpError : public std::runtime_error {
 public:
  HttpError(int status, std::string code, const std::string& message, long retry_after_s = 0)
      : std::runtime_error(message),
        status(status),
        code(std::move(code)),
        retry_after_s(retry_after_s) {}
  int status;
  std::string code;
  long retry_after_s;  // > 0: sent as Retry-After (429, 503)
};

// Who is acting: an agent (by session) or a visitor (by signed token).
struct Actor {
  AuthorType type = AuthorType::kVisitor;
  Id workspace_id = 0;
  Id agent_id = 0;
  std::string role;  // agents: "agent" | "supervisor" | "admin"
  AgentScope scope;  // agents: what they may see; never restricts admins
  std::string name;
  std::string visitor_id;
  std::string csrf_token;
  std::string remote;        // the client's IP, for per-IP limits
  bool restricted = false;   // agents: a session that may only set up two-factor sign-in
  bool super_admin = false;  // may create workspaces
  // Agents signed in by a personal API token rather than a session cookie.
  std::optional<Id> api_token;
  bool token_may_write = false;
  bool is_agent() const { return type == AuthorType::kAgent; }
  bool at_least(Role r) const {
    auto mine = parse_role(role);
    return is_agent() && mine && *mine >= r;
  }
  // Whether this agent may see the conversation (workspace checked by the caller).
  bool covers(const Conversation& c) const;
};

// The live routing service as the handlers see it; acd/'s Dispatcher is it.
// Declared here so that api/ does not depend on acd/ (acd/ builds on api/).
class LiveRouting {
 public:
  virtual ~LiveRouting() = default;
  virtual void agent_changed(Id workspace, Id agent) = 0;  // status or routing profile
  virtual void settings_changed(Id workspace) = 0;         // catalogue or inbox rules
  // Offers (push mode). HttpError 409 when there is no live offer for this agent.
  virtual Conversation accept(const Actor& agent, Id conversation) = 0;
  virtual void decline(const Actor& agent, Id conversation) = 0;
  // Supervisor view: queues, offers and agents with load and status.
  virtual boost::json::object live(Id workspace) = 0;
  // For a visitor: {position, estimated_wait_s} while waiting; nulls otherwise.
  virtual boost::json::object queue_info(Id workspace, Id conversation) = 0;
  // For a new chat on this workspace: estimated wait in seconds, or null.
  virtual boost::json::value new_chat_wait(Id workspace) = 0;
};

class VisitorKeys;
struct Abuse;

struct Context {
  Store& store;
  Hub& hub;
  Metrics& metrics;
  std::string data_dir;
  std::string web_root;
  VisitorKeys& visitor_keys;  // sign and verify visitor tokens
  Abuse& abuse;               // login back-off, password gate, rate limits
  Env& env;                   // the clock, random bytes and files
  TimeZones time_zones{env};
  LiveRouting* dispatcher = nullptr;  // set by the server once it exists
  LanguageDetection languages;
  Knowledge knowledge{store};
  Bot bot{{store, store, store, knowledge, languages, time_zones, env}};
  // Canonical forms, resolved once at start: static files must stay inside the
  // web root and never come from the data directory.
  std::filesystem::path web_root_real;
  std::filesystem::path data_dir_real;
  std::string public_url;  // no trailing slash
  std::string metrics_token;
  std::vector<std::string> trusted_proxies;
  bool secure_cookies() const { return public_url.rfind("https://", 0) == 0; }
  Millis clock() const { return env.now_ms(); }
};

constexpr const char* kSessionCookie = "sb_session";
constexpr Millis kSessionLifetime = 7LL * 24 * 3600 * 1000;

boost::json::object parse_json_object(const std::string& body);  // HttpError 400 on bad input
// An agent as the one acting (no session yet: no CSRF token, not restricted).
Actor actor_of(const Agent& agent);
// The agent of a session cookie, or of a personal API token (Bearer sbp_...).
std::optional<Actor> agent_from_cookie(Context& ctx, const http::Request& req);
constexpr std::string_view kApiTokenPrefix = "sbp_";
Actor require_agent(Context& ctx, const http::Request& req);  // 401, and 403 csrf on unsafe methods
Actor require_supervisor(Context& ctx, const http::Request& req);  // supervisors and admins
Actor require_admin(Context& ctx, const http::Request& req);
// The router checks a route's access and the handler asks again: within one
// request on one thread the agent is looked up once.
class ActorMemo {
 public:
  explicit ActorMemo(const http::Request& req);
  ~ActorMemo();
  ActorMemo(const ActorMemo&) = delete;
  ActorMemo& operator=(const ActorMemo&) = delete;
};
Actor require_visitor(Context& ctx, const http::Request& req);  // Bearer token or ?visitor_token=
std::optional<Actor> visitor_from_token(Context& ctx, std::string_view token);

// The conversation, if this actor may see it; 404 otherwise (also across workspaces).
Conversation accessible_conversation(Context& ctx, const Actor& actor, Id conversation);
// Agents move only conversations that are theirs or nobody's; taking over or moving
// a colleague's is for supervisors and admins (403).
void require_may_reassign(const Actor& actor, const Conversation& conv);
// "visitor:<id>" / "agent:<id>": who uploaded an attachment.
std::string uploader_of(const Actor& actor);
// Attachments belong to their uploader, then to the conversation they were sent in.
bool may_send_attachment(const Actor& actor, const Attachment& a, Id conversation);
bool may_download_attachment(Context& ctx, const Actor& actor, const Attachment& a);
// Validates and stores a message (body and/or attachment ids); idempotent by client_id.
AppendResult post_message(Context& ctx, const Actor& actor, Id conversation,
                          const boost::json::object& body);
// The two halves of post_message, for callers that write without blocking a thread.
// Whether checking the message reads the database (attachments, a scoped agent's
// access): if not, prepare_message costs only CPU and may run on an I/O thread.
bool message_check_reads_store(const Actor& actor, const boost::json::object& body);
NewEvent prepare_message(Context& ctx, const Actor& actor, Id conversation,
                         const boost::json::object& body);  // HttpError on bad input
void count_message(Context& ctx, const AppendResult& stored);
Conversation update_receipts(Context& ctx, const Actor& actor, Id conversation,
                             std::int64_t delivered, std::int64_t read);
// Appends to the workspace's audit log: who (and from which IP) did what to which
// thing, with its state before and after. Never holds secrets: pass views.
void audit(Context& ctx, const Actor& actor, const http::Request& req, std::string action,
           std::string target_type, std::string target_id, boost::json::value before = nullptr,
           boost::json::value after = nullptr);
Id parse_id(const std::string& text);                // 404 on anything but a positive integer
std::int64_t parse_after(const http::Request& req);  // ?after=N, 400 unless a non-negative integer

struct InboxAvailability {
  Availability hours;
  int agents_online = 0;
};
InboxAvailability inbox_availability(Context& ctx, const Inbox& inbox);

}  // namespace sb
