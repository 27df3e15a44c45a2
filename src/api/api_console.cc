// The agent side: conversation lists, a conversation with its contact's
// history, replies, assignment, closing.
#include "api/routes.h"
#include "protocol/protocol.h"

namespace sb {
namespace {

namespace json = boost::json;

http::Response list(const ConsoleServices& svc, const http::Request& req, const Params&) {
  auto a = svc.auth.require_agent(req);
  ConversationFilter f;
  auto view = req.param("view").value_or("all");
  if (view == "unassigned")
    f.view = ConversationFilter::View::kUnassigned;
  else if (view == "mine")
    f.view = ConversationFilter::View::kMine;
  else if (view != "all")
    throw HttpError(400, "bad_request", "view must be unassigned, mine or all");
  auto status = req.param("status").value_or("open");
  if (status != "open" && status != "closed")
    throw HttpError(400, "bad_request", "status must be open or closed");
  f.status = status == "open" ? ConversationStatus::kOpen : ConversationStatus::kClosed;
  f.agent_id = a.agent_id;
  if (!a.at_least(Role::kAdmin)) f.scope = a.scope;
  return http::json(
      200, {{"conversations",
             views::conversations(svc.conversations.list_conversations(a.workspace_id, f))}});
}

http::Response show(const ConsoleServices& svc, const http::Request& req, const Params& p) {
  auto a = svc.auth.require_agent(req);
  auto conv = accessible_conversation(svc.conversations, a, parse_id(p[0]));
  auto history = svc.conversations.contact_history(a.workspace_id, conv.contact.id, conv.id);
  std::erase_if(history, [&](const Conversation& c) { return !a.covers(c); });
  return http::json(200, {{"conversation", views::conversation(conv)},
                          {"contact_history", views::conversations(history)}});
}

http::Response events(const ConsoleServices& svc, const http::Request& req, const Params& p) {
  return conversation_events(svc.conversations, svc.auth.require_agent(req), req, p[0]);
}

http::Response post(const ConsoleServices& svc, const http::Request& req, const Params& p) {
  return message_response(svc.messaging, svc.auth.require_agent(req), req, p[0]);
}

http::Response assign(const ConsoleServices& svc, const http::Request& req, const Params& p) {
  auto a = svc.auth.require_agent(req);
  Id id = parse_id(p[0]);
  auto body = req.body.empty() ? json::object{} : parse_json_object(req.body);
  std::optional<Id> target = a.agent_id;
  if (auto* v = body.if_contains("agent_id")) {
    if (v->is_null())
      target = std::nullopt;
    else if (auto n = json_int(body, "agent_id"))
      target = *n;
    else
      throw HttpError(400, "bad_request", "agent_id must be a number or null");
  }
  auto conv = accessible_conversation(svc.conversations, a, id);
  if (auto v = json_int(body, "version"); v && *v != conv.version)
    throw HttpError(409, "conflict", "conversation changed meanwhile");
  if (conv.assignee_id == target) return http::json(200, views::conversation(conv));
  require_may_reassign(a, conv);
  auto id_or_null = [](std::optional<Id> v) { return v ? json::value(*v) : nullptr; };
  svc.audit.record(a, req, "conversation.assign", "conversation", std::to_string(id),
                   {{"assignee_id", id_or_null(conv.assignee_id)}},
                   {{"assignee_id", id_or_null(target)}});
  // Both go through routing's conditional writes: capacity holds for manual picks too.
  auto moved = target ? svc.routing.claim(a.workspace_id, id, *target, conv.assignee_id,
                                          {AuthorType::kAgent, a.agent_id, a.name}, "", {})
                      : svc.routing.requeue(
                            a.workspace_id, id, conv.assignee_id, conv.priority, conv.team_id,
                            {"Conversation returned to the queue", "returned_to_queue", {}});
  if (!moved) throw HttpError(409, "conflict", moved.refused().reason);
  return http::json(200, views::conversation(*moved));
}

http::Response set_status(const ConsoleServices& svc, const http::Request& req,
                          ConversationStatus status, Id id) {
  auto a = svc.auth.require_agent(req);
  auto conv = accessible_conversation(svc.conversations, a, id);
  if (status == ConversationStatus::kOpen && conv.ticket && conv.ticket->merged_into)
    throw HttpError(409, "conflict",
                    "this ticket was merged into #" + std::to_string(*conv.ticket->merged_into));
  auto changed = svc.conversations.set_status(a.workspace_id, id, status,
                                              {AuthorType::kAgent, a.agent_id, a.name});
  if (conv.status != changed.status)
    svc.audit.record(
        a, req,
        std::string("conversation.") + (status == ConversationStatus::kOpen ? "reopen" : "close"),
        "conversation", std::to_string(id), {{"status", to_string(conv.status)}},
        {{"status", to_string(changed.status)}});
  return http::json(200, views::conversation(changed));
}

http::Response upload(const ConsoleServices& svc, const http::Request& req, const Params&) {
  return svc.uploads.store(svc.auth.require_agent(req), req);
}

}  // namespace

http::Response message_response(Messaging& messaging, const Actor& actor, const http::Request& req,
                                const std::string& id) {
  return message_answer(messaging.post(actor, parse_id(id), parse_json_object(req.body)));
}

http::Response message_answer(const AppendResult& stored) {
  return http::json(stored.duplicate ? 200 : 201, views::event(stored.event));
}

http::Response conversation_events(ConversationStore& store, const Actor& actor,
                                   const http::Request& req, const std::string& id_text) {
  Id id = parse_id(id_text);
  accessible_conversation(store, actor, id);
  json::array out;
  for (const auto& e :
       store.events_after(actor.workspace_id, id, parse_after(req), actor.is_agent(), 1000))
    out.push_back(views::event(e));
  return http::json(200, {{"events", out}});
}

void add_console_routes(Router& r, const ConsoleServices& svc) {
  r.add(Access::kAgent, "GET", "/api/v1/conversations", with(svc, list));
  r.add(Access::kAgent, "GET", "/api/v1/conversations/:id", with(svc, show));
  r.add(Access::kAgent, "GET", "/api/v1/conversations/:id/events", with(svc, events));
  r.add(Access::kAgent, "POST", "/api/v1/conversations/:id/messages", with(svc, post));
  r.add(Access::kAgent, "POST", "/api/v1/conversations/:id/assign", with(svc, assign));
  r.add(Access::kAgent, "POST", "/api/v1/conversations/:id/close",
        [svc](const http::Request& q, const Params& p) {
          return set_status(svc, q, ConversationStatus::kClosed, parse_id(p[0]));
        });
  r.add(Access::kAgent, "POST", "/api/v1/conversations/:id/reopen",
        [svc](const http::Request& q, const Params& p) {
          return set_status(svc, q, ConversationStatus::kOpen, parse_id(p[0]));
        });
  r.add(Access::kAgent, "POST", "/api/v1/uploads", with(svc, upload),
        {kMaxUploadBytes, true, nullptr});
}

}  // namespace sb
