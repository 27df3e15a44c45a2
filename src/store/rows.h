// Private to store/: per table one column list (the schema test checks them
// all); for the rows several facets read, also the SELECT built from it once and
// the reader of its row (the others' readers live with their queries).
#pragma once

#include <functional>

#include "store/columns.h"
#include "store/sqlite_db.h"

namespace sb::sqlite {

inline constexpr auto kWorkspaceColumns = table_columns("workspace", 0, "id", "name", "created_at",
                                                        "slug", "require_2fa", "retention_days");

inline constexpr auto kAgentColumns = table_columns(
    "agent", 0, "id", "workspace_id", "name", "email", "password_hash", "role", "status",
    "avatar_color", "created_at", "routing", "custom_status_id", "status_since", "last_seen",
    "deactivated_at", "scope", "totp_secret", "totp_pending", "totp_enabled_at", "totp_last_step",
    "recovery_codes", "super_admin", "title");

inline constexpr auto kInboxColumns =
    table_columns("inbox", 0, "id", "workspace_id", "name", "public_key", "timezone",
                  "business_hours", "widget", "prechat_fields", "topics", "created_at", "routing");

inline constexpr auto kInboxMailColumns =
    table_columns("inbox_mail", 0, "inbox_id", "workspace_id", "enabled", "settings", "uidvalidity",
                  "last_uid", "updated_at");

inline constexpr auto kEventColumns = table_columns(
    "event", 0, "id", "workspace_id", "conversation_id", "seq", "kind", "author_type", "author_id",
    "author_name", "body", "attachments", "client_id", "created_at", "notice");

inline constexpr auto kAttachmentColumns =
    table_columns("attachment", 0, "id", "workspace_id", "name", "content_type", "size",
                  "created_at", "uploader", "conversation_id");

// A conversation's row is four lists one after the other: its own columns, its
// contact's, its last message's (null without one) and its assignee's name.
inline constexpr auto kConversationColumns = table_columns(
    "conversation", 0, "id", "workspace_id", "inbox_id", "contact_id", "visitor_id", "client_id",
    "kind", "status", "assignee_id", "subject", "language", "last_seq", "last_message_seq",
    "visitor_delivered_seq", "visitor_read_seq", "agent_delivered_seq", "agent_read_seq", "meta",
    "version", "created_at", "updated_at", "priority", "team_id", "queued_at", "erased_at",
    "detected_language", "bot_state", "bot_reason", "bot_at", "emotion_peak_at", "emotion_score",
    "emotion_reasons", "ticket_status", "ticket_priority", "ticket_tags", "follow_up_at",
    "first_response_at", "solved_at", "follows_ticket_id", "ticket_custom", "merged_into",
    "follow_up_announced_at",
    // The report timings (schema step 28): kept by the writes, read by sqlite_reports.cc.
    "first_reply_at", "first_assigned_at", "closed_at", "awaiting_since", "reply_ms", "replies",
    "customer_messages", "rated_positive");
inline constexpr auto kContactColumns =
    table_columns("contact", kConversationColumns.end(), "id", "workspace_id", "name", "email",
                  "phone", "created_at", "erased_at", "notes", "merged_into");
inline constexpr auto kLastMessageColumns = some_columns(
    "event", kContactColumns.end(), "seq", "body", "author_type", "author_name", "created_at");
inline constexpr auto kAssigneeColumns = some_columns("agent", kLastMessageColumns.end(), "name");

// What the dispatcher's resync reads of an open conversation.
inline constexpr auto kRoutingColumns = some_columns(
    "conversation", 0, "id", "inbox_id", "kind", "assignee_id", "subject", "language", "version",
    "meta", "updated_at", "priority", "team_id", "queued_at", "detected_language", "bot_state");

// Rows one facet's queries read (their readers live there).
inline constexpr auto kSessionColumns =
    table_columns("agent_session", 0, "token_hash", "agent_id", "workspace_id", "csrf_token",
                  "expires_at", "created_at", "ip", "user_agent", "restricted");
// Not the hash; then the agent's name.
inline constexpr auto kTokenColumns =
    some_columns("api_token", 0, "id", "workspace_id", "agent_id", "name", "prefix", "scopes",
                 "created_at", "expires_at", "last_used_at", "last_used_ip");
inline constexpr auto kTokenAgentColumns = some_columns("agent", kTokenColumns.end(), "name");
inline constexpr auto kAuditColumns =
    table_columns("audit_log", 0, "id", "workspace_id", "at", "actor_type", "actor_id",
                  "actor_name", "ip", "action", "target_type", "target_id", "before", "after");
inline constexpr auto kCategoryColumns =
    table_columns("kb_category", 0, "id", "workspace_id", "slug", "position", "names");
// Then the helpful and not-helpful vote counts.
inline constexpr auto kArticleColumns =
    table_columns("kb_article", 0, "id", "workspace_id", "slug", "language", "category", "title",
                  "body", "keywords", "published", "created_at", "updated_at");
inline constexpr auto kIntentColumns =
    table_columns("faq_intent", 0, "id", "workspace_id", "name", "language", "question",
                  "phrasings", "answer", "enabled", "created_at", "updated_at");

// E-mail: message ids (with the parts of a mail the event leaves out), a ticket's
// other addresses, and the outbox.
inline constexpr auto kMailMessageColumns =
    table_columns("mail_message", 0, "workspace_id", "message_id", "conversation_id", "event_id",
                  "direction", "created_at", "subject", "sender", "recipients", "html", "quoted");
inline constexpr auto kMailParticipantColumns =
    table_columns("mail_participant", 0, "conversation_id", "address", "name");
inline constexpr auto kOutboxColumns =
    table_columns("mail_outbox", 0, "id", "workspace_id", "conversation_id", "event_id",
                  "message_id", "envelope_from", "recipients", "raw", "status", "attempts",
                  "next_attempt_at", "last_error", "created_at", "sent_at");

// A workspace's custom ticket fields (sqlite_tickets.cc reads them).
inline constexpr auto kTicketFieldColumns =
    table_columns("ticket_field", 0, "id", "workspace_id", "key", "label", "type", "options",
                  "required", "position", "created_at");
// Complaints (R7) and every tick of their checklists.
inline constexpr auto kComplaintColumns = table_columns(
    "complaint", 0, "id", "workspace_id", "conversation_id", "category", "suggested",
    "marked_by_id", "marked_by_name", "marked_at", "status", "resolution", "resolved_at",
    "resolved_by_id", "resolved_by_name", "resolution_note", "withdrawn_at", "withdrawn_by_id",
    "withdrawn_by_name", "withdraw_reason", "revision");
inline constexpr auto kComplaintStepColumns =
    table_columns("complaint_step", 0, "id", "complaint_id", "step", "done", "note", "agent_id",
                  "agent_name", "at");

// "IN (...)" over the ids in a JSON array bound to `param` ("?5"): json_each on
// SQLite, jsonb_array_elements_text on PostgreSQL.
inline std::string in_json_list(const sql::Connection& c, std::string_view param) {
  std::string p(param);
  return c.backend() == sql::Backend::kSqlite
             ? "IN (SELECT value FROM json_each(" + p + "))"
             : "IN (SELECT CAST(jsonb_array_elements_text(CAST(" + p + " AS jsonb)) AS bigint))";
}

// Every list above and the other readers' own, for the schema test.
std::vector<ColumnList> column_lists();

// "SELECT <list> FROM <table> " (events: "FROM event e "; conversations: with
// their joins, aliases c, ct, m, a); the caller appends WHERE and ORDER.
const std::string& select_workspaces();
const std::string& select_agents();
const std::string& select_inboxes();
const std::string& select_events();
const std::string& select_attachments();
const std::string& select_conversations();

Workspace read_workspace(const sql::Statement& q);
Agent read_agent(const sql::Statement& q);
Inbox read_inbox(const sql::Statement& q);
Event read_event(const sql::Statement& q);
Attachment read_attachment(const sql::Statement& q);
Conversation read_conversation(const sql::Statement& q);

// Runs `sql` with `bind` and reads every row with `read`.
template <class Read>
auto read_rows(sql::Connection& db, const std::string& text,
               const std::function<void(sql::Statement&)>& bind, Read read) {
  sql::Statement q(db, text);
  bind(q);
  std::vector<decltype(read(q))> out;
  while (q.step()) out.push_back(read(q));
  return out;
}

std::optional<Workspace> load_workspace(sql::Connection& db, Id ws);
std::optional<Workspace> load_workspace_by_slug(sql::Connection& db, std::string_view slug);
std::optional<Agent> load_agent(sql::Connection& db, Id ws, Id id);
std::optional<Inbox> load_inbox(sql::Connection& db, const std::string& where,
                                const std::function<void(sql::Statement&)>& bind);
std::optional<Conversation> load_conversation(sql::Connection& db, Id ws, Id id);
// On PostgreSQL inside a write, locks the row of `table` (conversation, agent)
// until COMMIT: what the write reads next is what committed before it, and
// other writes of that row wait. SQLite's single writer needs nothing.
// Lock order: agent, then conversation; several conversations by id.
void lock_row(sql::Connection& db, std::string_view table, Id ws, Id id);
// Loads a conversation to change it, its row locked as lock_row does.
Conversation must_load_conversation(sql::Connection& db, Id ws, Id id);  // kNotFound
std::vector<Conversation> load_conversations(sql::Connection& db, const std::string& where,
                                             const std::function<void(sql::Statement&)>& bind);
// limit < 0: all of them.
std::vector<Event> load_events(sql::Connection& db, Id ws, Id conversation, std::int64_t after_seq,
                               bool include_notes, int limit);

}  // namespace sb::sqlite
