#include "protocol/views.h"

namespace sb::views {

namespace json = boost::json;

json::object agent(const Agent& a) {
  return {{"id", a.id},
          {"name", a.name},
          {"title", a.title},
          {"email", a.email},
          {"role", a.role},
          {"status", to_string(a.status)},
          {"custom_status_id", a.custom_status ? json::value(*a.custom_status) : nullptr},
          {"status_since", a.status_since},
          {"routing", a.routing.to_json()},
          {"avatar_color", a.avatar_color},
          {"scope", a.scope.to_json()},
          {"two_factor", a.two_factor.enabled()},
          {"super_admin", a.super_admin},
          {"active", a.active()}};
}

json::object inbox(const Inbox& i) {
  return {{"id", i.id},
          {"name", i.name},
          {"public_key", i.public_key},
          {"timezone", i.timezone},
          {"business_hours", i.hours.to_json()},
          {"widget", i.widget},
          {"prechat_fields", i.prechat_fields},
          {"topics", i.topics},
          {"routing", i.routing.to_json()}};
}

json::object contact(const Contact& c) {
  return {{"id", c.id},
          {"name", c.name},
          {"email", c.email},
          {"phone", c.phone},
          {"created_at", c.created_at}};
}

json::object event(const Event& e) {
  return {{"id", e.id},
          {"conversation_id", e.conversation_id},
          {"seq", e.seq},
          {"kind", e.kind},
          {"author",
           {{"type", to_string(e.author.type)}, {"id", e.author.id}, {"name", e.author.name}}},
          {"body", e.body},
          {"attachments", e.attachments},
          {"client_id", e.client_id},
          {"notice", e.notice.empty() ? json::value(nullptr) : json::value(e.notice)},
          {"created_at", e.created_at}};
}

namespace {

// Triage state is typed in the store; the API has always shown it in meta.
json::object meta_with_triage(const Conversation& c) {
  auto meta = c.meta;
  if (!c.detected_language.empty()) meta["detected_language"] = c.detected_language;
  if (c.bot.phase != BotPhase::kNone) {
    json::object bot{{"state", to_string(c.bot.phase)}};
    if (!c.bot.reason.empty()) bot["reason"] = c.bot.reason;
    if (c.bot.at) bot["at"] = *c.bot.at;
    meta["bot"] = std::move(bot);
  }
  if (const auto& e = c.emotion_peak) {
    json::array reasons(e->reasons.begin(), e->reasons.end());
    meta["emotion"] = {{"peak", true}, {"score", e->score}, {"reasons", reasons}, {"at", e->at}};
  }
  return meta;
}

}  // namespace

namespace {

json::value optional_ms(const std::optional<Millis>& at) {
  return at ? json::value(*at) : json::value(nullptr);
}

json::value ticket(const Conversation& c) {
  if (!c.ticket) return nullptr;
  const auto& t = *c.ticket;
  json::array tags;
  for (const auto& tag : t.tags) tags.push_back(json::value(tag));
  return json::object{
      {"number", c.id},
      {"status", to_string(t.status)},
      {"priority", to_string(t.priority)},
      {"tags", std::move(tags)},
      {"follow_up_at", optional_ms(t.follow_up_at)},
      {"first_response_at", optional_ms(t.first_response_at)},
      {"solved_at", optional_ms(t.solved_at)},
      {"follows", t.follows ? json::value(*t.follows) : json::value(nullptr)},
      {"custom_fields", t.custom},
      {"merged_into", t.merged_into ? json::value(*t.merged_into) : json::value(nullptr)}};
}

}  // namespace

json::object conversation(const Conversation& c) {
  json::value assignee = nullptr;
  if (c.assignee_id) assignee = json::object{{"id", *c.assignee_id}, {"name", c.assignee_name}};
  json::value last = nullptr;
  if (c.last_message)
    last = json::object{{"body", c.last_message->body},
                        {"author_type", to_string(c.last_message->author.type)},
                        {"author_name", c.last_message->author.name},
                        {"created_at", c.last_message->created_at}};
  return {{"id", c.id},
          {"inbox_id", c.inbox_id},
          {"kind", to_string(c.kind)},
          {"status", to_string(c.status)},
          {"assignee", assignee},
          {"contact", contact(c.contact)},
          {"subject", c.subject},
          {"language", c.language},
          {"last_seq", c.last_seq},
          {"last_message", last},
          {"visitor_delivered_seq", c.receipts.visitor_delivered},
          {"visitor_read_seq", c.receipts.visitor_read},
          {"agent_delivered_seq", c.receipts.agent_delivered},
          {"agent_read_seq", c.receipts.agent_read},
          {"meta", meta_with_triage(c)},
          {"version", c.version},
          {"priority", c.priority},
          {"team_id", c.team_id ? json::value(*c.team_id) : nullptr},
          {"queued_at", c.queued_at},
          {"ticket", ticket(c)},
          {"created_at", c.created_at},
          {"updated_at", c.updated_at}};
}

json::object attachment(const Attachment& a) {
  return {{"id", a.id},
          {"name", a.name},
          {"content_type", a.content_type},
          {"size", a.size},
          {"url", "/api/v1/attachments/" + a.id}};
}

json::array conversations(const std::vector<Conversation>& list) {
  json::array out;
  for (const auto& c : list) out.push_back(conversation(c));
  return out;
}

json::object visitor_conversation(const Conversation& c) {
  auto out = conversation(c);
  if (auto* t = out["ticket"].if_object()) t->erase("custom_fields");
  out.erase("contact");
  return out;
}

json::array visitor_conversations(const std::vector<Conversation>& list) {
  json::array out;
  for (const auto& c : list) out.push_back(visitor_conversation(c));
  return out;
}

json::value complaint_who(const complaint::Who& w) {
  if (w.id == 0 && w.name.empty()) return nullptr;
  return {{"id", w.id}, {"name", w.name}};
}

json::object complaint(const complaint::Complaint& c) {
  auto list = complaint::checklist(c.history);
  json::array steps, history;
  for (std::size_t i = 0; i < complaint::kStepCount; ++i) {
    const auto& s = list[i];
    steps.push_back({{"key", complaint::key(complaint::kSteps[i])},
                     {"done", s.done},
                     {"by", s.last ? complaint_who(s.last->by) : nullptr},
                     {"at", s.last ? json::value(s.last->at) : nullptr},
                     {"note", s.last ? s.last->note : ""}});
  }
  for (const auto& t : c.history)
    history.push_back({{"step", complaint::key(t.step)},
                       {"done", t.done},
                       {"note", t.note},
                       {"by", complaint_who(t.by)},
                       {"at", t.at}});
  auto resolution = complaint::to_string(c.resolution);
  return {{"id", c.id},
          {"conversation_id", c.conversation_id},
          {"category", c.category.empty() ? json::value(nullptr) : json::value(c.category)},
          {"status", complaint::to_string(c.status)},
          {"resolution", resolution.empty() ? json::value(nullptr) : json::value(resolution)},
          {"suggested", c.suggested},
          {"marked_by", complaint_who(c.marked_by)},
          {"marked_at", c.marked_at},
          {"resolved_at", optional_ms(c.resolved_at)},
          {"resolved_by", complaint_who(c.resolved_by)},
          {"resolution_note", c.resolution_note},
          {"revision", c.revision},
          {"progress", {{"done", complaint::done_count(list)}, {"total", complaint::kStepCount}}},
          {"steps", steps},
          {"history", history}};
}

}  // namespace sb::views
