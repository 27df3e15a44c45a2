// Messages and receipts: the checks and limits a message passes before it is
// stored, the same for REST and WebSocket senders.
#include "api/abuse.h"
#include "api/services.h"

namespace sb {

namespace json = boost::json;

Messaging::Messaging(ConversationStore& store, Abuse& abuse, Metrics& metrics, ClockFn clock)
    : store_(store), abuse_(abuse), metrics_(metrics), clock_(std::move(clock)) {}

AppendResult Messaging::post(const Actor& actor, Id id, const json::object& body) {
  auto result = store_.append_event(prepare(actor, id, body));
  count(result);
  return result;  // triage (language, emotion, bot) follows the commit, off this request
}

void Messaging::count(const AppendResult& stored) {
  if (!stored.duplicate)
    metrics_.messages_stored.fetch_add(1, std::memory_order_relaxed);
  else if (on_repeat)
    on_repeat(stored);
}

NewEvent Messaging::prepare(const Actor& actor, Id id, const json::object& body) {
  if (!actor.is_agent()) {
    auto now = clock_();
    enforce_rate(abuse_.messages_visitor, actor.visitor_id, now);
    enforce_rate(abuse_.messages_ip, actor.remote, now);
  } else if (!actor.at_least(Role::kAdmin) && !actor.scope.unrestricted()) {
    accessible_conversation(store_, actor, id);  // the store checks only the workspace
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
    if (!ids->as_array().empty()) accessible_conversation(store_, actor, id);  // before binding
    for (const auto& v : ids->as_array()) {
      auto a = v.is_string() ? store_.get_attachment(actor.workspace_id, std::string(v.as_string()))
                             : std::nullopt;
      if (!a || !may_send_attachment(actor, *a, id))
        throw HttpError(400, "bad_request", "unknown attachment id");
      if (!store_.bind_attachment(actor.workspace_id, a->id, id))
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

Conversation Messaging::update_receipts(const Actor& actor, Id id, std::int64_t delivered,
                                        std::int64_t read) {
  accessible_conversation(store_, actor, id);
  return store_.update_receipts(actor.workspace_id, id, actor.type, delivered, read);
}

}  // namespace sb
