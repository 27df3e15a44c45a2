#include "store/rows.h"

namespace sb::sqlite {

namespace json = boost::json;

namespace {

json::object object_or_empty(const std::string& text) {
  auto v = parse_or(text, json::object{});
  return v.is_object() ? std::move(v.as_object()) : json::object{};
}

json::array array_or_empty(const std::string& text) {
  auto v = parse_or(text, json::array{});
  return v.is_array() ? std::move(v.as_array()) : json::array{};
}

std::optional<Millis> optional_int(const sql::Statement& q, int col) {
  return q.maybe_int64(col);
}

std::string select(const std::string& list, std::string_view from) {
  return "SELECT " + list + " FROM " + std::string(from) + " ";
}

}  // namespace

std::vector<ColumnList> column_lists() {
  return {kWorkspaceColumns.describe(),       kAgentColumns.describe(),
          kInboxColumns.describe(),           kEventColumns.describe(),
          kAttachmentColumns.describe(),      kConversationColumns.describe(),
          kContactColumns.describe(),         kLastMessageColumns.describe(),
          kAssigneeColumns.describe(),        kRoutingColumns.describe(),
          kSessionColumns.describe(),         kTokenColumns.describe(),
          kTokenAgentColumns.describe(),      kAuditColumns.describe(),
          kCategoryColumns.describe(),        kArticleColumns.describe(),
          kIntentColumns.describe(),          kMailMessageColumns.describe(),
          kMailParticipantColumns.describe(), kOutboxColumns.describe(),
          kTicketFieldColumns.describe(),     kComplaintColumns.describe(),
          kComplaintStepColumns.describe()};
}

const std::string& select_workspaces() {
  static const std::string s = select(kWorkspaceColumns.list(), "workspace");
  return s;
}

const std::string& select_agents() {
  static const std::string s = select(kAgentColumns.list(), "agent");
  return s;
}

const std::string& select_inboxes() {
  static const std::string s = select(kInboxColumns.list(), "inbox");
  return s;
}

const std::string& select_events() {
  static const std::string s = select(kEventColumns.list("e"), "event e");
  return s;
}

const std::string& select_attachments() {
  static const std::string s = select(kAttachmentColumns.list(), "attachment");
  return s;
}

const std::string& select_conversations() {
  static const std::string s =
      select(kConversationColumns.list("c") + ", " + kContactColumns.list("ct") + ", " +
                 kLastMessageColumns.list("m") + ", " + kAssigneeColumns.list("a"),
             "conversation c JOIN contact ct ON ct.id = c.contact_id "
             "LEFT JOIN agent a ON a.id = c.assignee_id "
             "LEFT JOIN event m ON m.conversation_id = c.id AND m.seq = c.last_message_seq");
  return s;
}

Workspace read_workspace(const sql::Statement& q) {
  constexpr const auto& w = kWorkspaceColumns;
  return {q.int64(w["id"]), q.text(w["name"]), q.text(w["slug"]), q.int64(w["require_2fa"]) != 0};
}

Agent read_agent(const sql::Statement& q) {
  constexpr const auto& c = kAgentColumns;
  Agent a;
  a.id = q.int64(c["id"]);
  a.workspace_id = q.int64(c["workspace_id"]);
  a.name = q.text(c["name"]);
  a.email = q.text(c["email"]);
  a.role = q.text(c["role"]);
  a.avatar_color = q.text(c["avatar_color"]);
  a.password_hash = q.text(c["password_hash"]);
  a.status = parse_agent_status(q.text(c["status"])).value_or(AgentStatus::kOffline);
  a.routing = AgentRouting::from_json(object_or_empty(q.text(c["routing"])), nullptr)
                  .value_or(AgentRouting{});
  a.custom_status = optional_int(q, c["custom_status_id"]);
  a.status_since = q.int64(c["status_since"]);
  a.last_seen = q.int64(c["last_seen"]);
  a.deactivated_at = optional_int(q, c["deactivated_at"]);
  a.scope =
      AgentScope::from_json(object_or_empty(q.text(c["scope"])), nullptr).value_or(AgentScope{});
  a.two_factor.secret_hex = q.text(c["totp_secret"]);
  a.two_factor.pending_hex = q.text(c["totp_pending"]);
  a.two_factor.enabled_at = optional_int(q, c["totp_enabled_at"]);
  a.two_factor.last_step = q.int64(c["totp_last_step"]);
  a.two_factor.recovery_hashes = parse_strings(q.text(c["recovery_codes"]));
  a.super_admin = q.int64(c["super_admin"]) != 0;
  a.title = q.text(c["title"]);
  return a;
}

Inbox read_inbox(const sql::Statement& q) {
  constexpr const auto& c = kInboxColumns;
  Inbox i;
  i.id = q.int64(c["id"]);
  i.workspace_id = q.int64(c["workspace_id"]);
  i.name = q.text(c["name"]);
  i.public_key = q.text(c["public_key"]);
  i.timezone = q.text(c["timezone"]);
  i.hours = BusinessHours::from_json(object_or_empty(q.text(c["business_hours"])), nullptr)
                .value_or(BusinessHours{});
  i.widget = object_or_empty(q.text(c["widget"]));
  i.prechat_fields = array_or_empty(q.text(c["prechat_fields"]));
  i.topics = array_or_empty(q.text(c["topics"]));
  i.routing = InboxRouting::from_json(object_or_empty(q.text(c["routing"])), nullptr)
                  .value_or(InboxRouting{});
  return i;
}

Event read_event(const sql::Statement& q) {
  constexpr const auto& c = kEventColumns;
  Event e;
  e.id = q.int64(c["id"]);
  e.workspace_id = q.int64(c["workspace_id"]);
  e.conversation_id = q.int64(c["conversation_id"]);
  e.seq = q.int64(c["seq"]);
  e.kind = q.text(c["kind"]);
  e.author.type = parse_author_type(q.text(c["author_type"])).value_or(AuthorType::kSystem);
  e.author.id = q.int64(c["author_id"]);
  e.author.name = q.text(c["author_name"]);
  e.body = q.text(c["body"]);
  e.attachments = array_or_empty(q.text(c["attachments"]));
  e.client_id = q.text(c["client_id"]);  // null reads as ""
  e.created_at = q.int64(c["created_at"]);
  e.notice = object_or_empty(q.text(c["notice"]));
  return e;
}

Attachment read_attachment(const sql::Statement& q) {
  constexpr const auto& c = kAttachmentColumns;
  Attachment a{q.text(c["id"]),           q.int64(c["workspace_id"]), q.text(c["name"]),
               q.text(c["content_type"]), q.int64(c["size"]),         q.int64(c["created_at"]),
               q.text(c["uploader"])};
  a.conversation_id = optional_int(q, c["conversation_id"]);
  return a;
}

namespace {

std::optional<Event> read_last_message(const sql::Statement& q, Id conversation) {
  constexpr const auto& m = kLastMessageColumns;
  if (q.is_null(m["seq"])) return std::nullopt;
  Event e;
  e.conversation_id = conversation;
  e.seq = q.int64(m["seq"]);
  e.body = q.text(m["body"]);
  e.author.type = parse_author_type(q.text(m["author_type"])).value_or(AuthorType::kSystem);
  e.author.name = q.text(m["author_name"]);
  e.created_at = q.int64(m["created_at"]);
  return e;
}

void read_triage(const sql::Statement& q, Conversation& v) {
  constexpr const auto& c = kConversationColumns;
  v.detected_language = q.text(c["detected_language"]);
  v.bot = {parse_bot_phase(q.text(c["bot_state"])), q.text(c["bot_reason"]),
           optional_int(q, c["bot_at"])};
  if (auto at = optional_int(q, c["emotion_peak_at"]))
    v.emotion_peak =
        EmotionPeak{q.real(c["emotion_score"]), parse_strings(q.text(c["emotion_reasons"])), *at};
}

std::optional<TicketFields> read_ticket(const sql::Statement& q) {
  constexpr const auto& c = kConversationColumns;
  if (q.is_null(c["ticket_status"])) return std::nullopt;
  TicketFields t;
  t.status = parse_ticket_status(q.text(c["ticket_status"])).value_or(TicketStatus::kOpen);
  t.priority =
      parse_ticket_priority(q.text(c["ticket_priority"])).value_or(TicketPriority::kNormal);
  t.tags = parse_strings(q.text(c["ticket_tags"]));
  t.follow_up_at = optional_int(q, c["follow_up_at"]);
  t.first_response_at = optional_int(q, c["first_response_at"]);
  t.solved_at = optional_int(q, c["solved_at"]);
  t.follows = optional_int(q, c["follows_ticket_id"]);
  t.custom = object_or_empty(q.text(c["ticket_custom"]));
  t.merged_into = optional_int(q, c["merged_into"]);
  return t;
}

}  // namespace

Conversation read_conversation(const sql::Statement& q) {
  constexpr const auto& c = kConversationColumns;
  constexpr const auto& ct = kContactColumns;
  Conversation v;
  v.id = q.int64(c["id"]);
  v.workspace_id = q.int64(c["workspace_id"]);
  v.inbox_id = q.int64(c["inbox_id"]);
  v.visitor_id = q.text(c["visitor_id"]);
  v.kind = parse_conversation_kind(q.text(c["kind"])).value_or(ConversationKind::kChat);
  v.status =
      q.text(c["status"]) == "closed" ? ConversationStatus::kClosed : ConversationStatus::kOpen;
  v.assignee_id = optional_int(q, c["assignee_id"]);
  v.assignee_name = q.text(kAssigneeColumns["name"]);  // null (nobody) reads as ""
  v.subject = q.text(c["subject"]);
  v.language = q.text(c["language"]);
  v.last_seq = q.int64(c["last_seq"]);
  v.version = q.int64(c["version"]);
  v.receipts = {q.int64(c["visitor_delivered_seq"]), q.int64(c["visitor_read_seq"]),
                q.int64(c["agent_delivered_seq"]), q.int64(c["agent_read_seq"])};
  v.meta = object_or_empty(q.text(c["meta"]));
  v.created_at = q.int64(c["created_at"]);
  v.updated_at = q.int64(c["updated_at"]);
  v.contact = {q.int64(ct["id"]),   v.workspace_id,      q.text(ct["name"]),
               q.text(ct["email"]), q.text(ct["phone"]), q.int64(ct["created_at"])};
  v.last_message = read_last_message(q, v.id);
  v.priority = static_cast<int>(q.int64(c["priority"]));
  v.team_id = optional_int(q, c["team_id"]);
  v.queued_at = q.int64(c["queued_at"]);
  read_triage(q, v);
  v.ticket = read_ticket(q);
  return v;
}

std::optional<Workspace> load_workspace(sql::Connection& db, Id ws) {
  sql::Statement q(db, select_workspaces() + "WHERE id = ?");
  if (!q.bind(1, ws).step()) return std::nullopt;
  return read_workspace(q);
}

std::optional<Workspace> load_workspace_by_slug(sql::Connection& db, std::string_view slug) {
  sql::Statement q(db, select_workspaces() + "WHERE slug = ?");
  if (!q.bind(1, slug).step()) return std::nullopt;
  return read_workspace(q);
}

std::optional<Agent> load_agent(sql::Connection& db, Id ws, Id id) {
  sql::Statement q(db, select_agents() + "WHERE workspace_id = ? AND id = ?");
  if (!q.bind(1, ws).bind(2, id).step()) return std::nullopt;
  return read_agent(q);
}

std::optional<Inbox> load_inbox(sql::Connection& db, const std::string& where,
                                const std::function<void(sql::Statement&)>& bind) {
  sql::Statement q(db, select_inboxes() + where);
  bind(q);
  if (!q.step()) return std::nullopt;
  return read_inbox(q);
}

namespace {

// `lock`: PostgreSQL's row lock taken by the same statement (one round trip).
std::optional<Conversation> read_one_conversation(sql::Connection& db, Id ws, Id id, bool lock) {
  sql::Statement q(db, select_conversations() + "WHERE c.workspace_id = ? AND c.id = ?" +
                           (lock ? " FOR UPDATE OF c" : ""));
  if (!q.bind(1, ws).bind(2, id).step()) return std::nullopt;
  return read_conversation(q);
}

}  // namespace

std::optional<Conversation> load_conversation(sql::Connection& db, Id ws, Id id) {
  return read_one_conversation(db, ws, id, false);
}

void lock_row(sql::Connection& db, std::string_view table, Id ws, Id id) {
  if (db.backend() != sql::Backend::kPostgres || !db.in_transaction()) return;
  sql::Statement q(
      db, "SELECT id FROM " + std::string(table) + " WHERE workspace_id = ? AND id = ? FOR UPDATE");
  q.bind(1, ws).bind(2, id);
  q.step();
}

Conversation must_load_conversation(sql::Connection& db, Id ws, Id id) {
  auto c = read_one_conversation(db, ws, id,
                                 db.backend() == sql::Backend::kPostgres && db.in_transaction());
  if (!c)
    throw StoreError(StoreError::Code::kNotFound,
                     "conversation " + std::to_string(id) + " not found");
  return *c;
}

std::vector<Conversation> load_conversations(sql::Connection& db, const std::string& where,
                                             const std::function<void(sql::Statement&)>& bind) {
  return read_rows(db, select_conversations() + where, bind, read_conversation);
}

std::vector<Event> load_events(sql::Connection& db, Id ws, Id conversation, std::int64_t after,
                               bool notes, int limit) {
  return read_rows(
      db,
      select_events() +
          "WHERE e.workspace_id = ? AND e.conversation_id = ? AND e.seq > ? "
          "AND (? OR e.kind != 'note') ORDER BY e.seq LIMIT ?",
      [&](sql::Statement& q) {
        q.bind(1, ws).bind(2, conversation).bind(3, after);
        // A negative LIMIT means none on SQLite only; PostgreSQL refuses it.
        q.bind(4, notes).bind(5, limit < 0 ? INT64_MAX : std::int64_t{limit});
      },
      read_event);
}

}  // namespace sb::sqlite
