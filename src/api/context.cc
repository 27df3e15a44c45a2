#include "api/context.h"

#include <algorithm>

#include "api/services.h"
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

Conversation accessible_conversation(ConversationStore& store, const Actor& actor, Id id) {
  auto conv = store.get_conversation(actor.workspace_id, id);
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

bool may_download_attachment(ConversationStore& store, const Actor& actor, const Attachment& a) {
  if (a.uploader == uploader_of(actor)) return true;
  // Unsent: an agent's upload, or a canned answer's file (any agent may preview it).
  if (!a.conversation_id)
    return actor.is_agent() &&
           (a.uploader.rfind("agent:", 0) == 0 || a.uploader.rfind("canned:", 0) == 0);
  if (actor.is_agent() && actor.scope.unrestricted()) return true;
  auto conv = store.get_conversation(actor.workspace_id, *a.conversation_id);
  if (!conv) return false;
  return actor.is_agent() ? actor.covers(*conv) : conv->visitor_id == actor.visitor_id;
}

bool message_check_reads_store(const Actor& actor, const json::object& body) {
  if (actor.is_agent() && !actor.at_least(Role::kAdmin) && !actor.scope.unrestricted()) return true;
  const auto* ids = body.if_contains("attachment_ids");
  return ids && !(ids->is_array() && ids->as_array().empty());
}

std::string_view InboxAvailability::closed_reason() const {
  if (hours.reason == ClosedReason::kHoliday) return "holiday";
  if (hours.reason == ClosedReason::kClosed) return "closed";
  return agents_online == 0 ? "no_agents" : "";
}

InboxAvailability InboxStatus::availability(const Inbox& inbox) {
  auto tz = zones_.get(inbox.timezone).value_or(TimeZone::utc());
  return {availability_at(inbox.hours, tz, clock_()),
          routing_.count_online_agents(inbox.workspace_id)};
}

}  // namespace sb
