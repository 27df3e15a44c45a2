// Part of api/, exported by api/api.h: who is acting and the rules REST and WebSocket
// handlers share (access checks, attachments, parsing), so each rule lives in one place.
#pragma once

#include <stdexcept>

#include "http/http.h"
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

constexpr const char* kSessionCookie = "sb_session";
constexpr Millis kSessionLifetime = 7LL * 24 * 3600 * 1000;

boost::json::object parse_json_object(const std::string& body);  // HttpError 400 on bad input
// An agent as the one acting (no session yet: no CSRF token, not restricted).
Actor actor_of(const Agent& agent);
constexpr std::string_view kApiTokenPrefix = "sbp_";
// The router checks a route's access and the handler asks again: within one
// request on one thread the agent is looked up once.
class ActorMemo {
 public:
  explicit ActorMemo(const http::Request& req);
  ~ActorMemo();
  ActorMemo(const ActorMemo&) = delete;
  ActorMemo& operator=(const ActorMemo&) = delete;
};

// The conversation, if this actor may see it; 404 otherwise (also across workspaces).
Conversation accessible_conversation(ConversationStore& store, const Actor& actor, Id conversation);
// Agents move only conversations that are theirs or nobody's; taking over or moving
// a colleague's is for supervisors and admins (403).
void require_may_reassign(const Actor& actor, const Conversation& conv);
// "visitor:<id>" / "agent:<id>": who uploaded an attachment.
std::string uploader_of(const Actor& actor);
// Attachments belong to their uploader, then to the conversation they were sent in.
bool may_send_attachment(const Actor& actor, const Attachment& a, Id conversation);
bool may_download_attachment(ConversationStore& store, const Actor& actor, const Attachment& a);
// Whether checking a message reads the database (attachments, a scoped agent's
// access): if not, Messaging::prepare costs only CPU and may run on an I/O thread.
bool message_check_reads_store(const Actor& actor, const boost::json::object& body);
Id parse_id(const std::string& text);                // 404 on anything but a positive integer
std::int64_t parse_after(const http::Request& req);  // ?after=N, 400 unless a non-negative integer

}  // namespace sb
