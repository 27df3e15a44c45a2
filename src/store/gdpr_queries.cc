#include "store/gdpr_queries.h"

#include "store/rows.h"

namespace sb::sqlite::gdpr_queries {

namespace {

constexpr Millis kDayMs = 24LL * 3600 * 1000;

std::vector<Attachment> read_attachments(sql::Statement& q) {
  std::vector<Attachment> out;
  while (q.step()) out.push_back(read_attachment(q));
  return out;
}

std::vector<ContactIdentity> identities(sql::Connection& db, Id ws, Id contact) {
  sql::Statement q(db,
                   "SELECT kind, value FROM identity WHERE workspace_id = ? AND contact_id = ? "
                   "ORDER BY kind, value");
  q.bind(1, ws).bind(2, contact);
  std::vector<ContactIdentity> out;
  while (q.step()) out.push_back({q.text(0), q.text(1)});
  return out;
}

// Visitor-authored bodies become the marker and lose the contact's name; returns
// how many events changed (0 when erased before).
int redact_visitor_events(sql::Connection& db, Id ws, Id conversation) {
  sql::Statement q(
      db,
      "UPDATE event SET body = CASE WHEN body = '' THEN '' ELSE ?1 END, author_name = '' "
      "WHERE workspace_id = ?2 AND conversation_id = ?3 AND author_type = 'visitor' "
      "AND ((body != '' AND body != ?1) OR author_name != '')");
  q.bind(1, kErased).bind(2, ws).bind(3, conversation).run();
  return static_cast<int>(q.affected());
}

// Agent replies, notes and notices stay, but not where they quote the contact's
// name, e-mail or phone ("Giulia closed the conversation", a note with the phone).
void scrub_mentions(sql::Connection& db, Id ws, Id conversation, const Contact& c) {
  std::string instr(db.pick("instr(", "strpos("));
  // A notice is JSON: text on SQLite, jsonb on PostgreSQL (replaced as its text;
  // the mark has nothing JSON would escape, so the document stays valid).
  std::string notice(db.pick("notice", "CAST(notice AS text)"));
  std::string new_notice(
      db.pick("replace(notice, ?1, ?2)", "CAST(replace(CAST(notice AS text), ?1, ?2) AS jsonb)"));
  for (const std::string& value : {c.name, c.email, c.phone}) {
    if (value.size() < 3) continue;  // "Al" would eat "Also"; such names stay unmatched
    sql::Statement q(db, "UPDATE event SET body = replace(body, ?1, ?2), notice = " + new_notice +
                             " WHERE workspace_id = ?3 AND conversation_id = ?4 AND (" + instr +
                             "body, ?1) > 0 OR " + instr + "COALESCE(" + notice +
                             ", ''), ?1) > 0)");
    q.bind(1, value).bind(2, kErased).bind(3, ws).bind(4, conversation).run();
    // Complaints stay for the reports; their notes and reasons are agents' words too.
    sql::Statement steps(
        db,
        "UPDATE complaint_step SET note = replace(note, ?1, ?2) WHERE complaint_id IN "
        "(SELECT id FROM complaint WHERE workspace_id = ?3 AND conversation_id = ?4)");
    steps.bind(1, value).bind(2, kErased).bind(3, ws).bind(4, conversation).run();
    sql::Statement notes(db,
                         "UPDATE complaint SET resolution_note = replace(resolution_note, ?1, ?2), "
                         "withdraw_reason = replace(withdraw_reason, ?1, ?2) "
                         "WHERE workspace_id = ?3 AND conversation_id = ?4");
    notes.bind(1, value).bind(2, kErased).bind(3, ws).bind(4, conversation).run();
  }
}

// Attachment rows of the conversation (returned, for their files), the event
// references to them, and the bot's log of the customer's questions.
std::vector<Attachment> delete_files_and_questions(sql::Connection& db, Id ws, Id conversation) {
  sql::Statement refs(db,
                      "UPDATE event SET attachments = '[]' WHERE workspace_id = ? AND "
                      "conversation_id = ? AND attachments != '[]'");
  refs.bind(1, ws).bind(2, conversation).run();
  sql::Statement questions(
      db, "DELETE FROM bot_question WHERE workspace_id = ? AND conversation_id = ?");
  questions.bind(1, ws).bind(2, conversation).run();
  sql::Statement files(db, std::string("DELETE FROM attachment WHERE workspace_id = ? AND "
                                       "conversation_id = ? RETURNING ") +
                               kAttachmentColumns.list());
  files.bind(1, ws).bind(2, conversation);
  return read_attachments(files);
}

// A mail ticket keeps its Message-IDs (a late reply still finds it), not the
// mail: headers, HTML, quoted history, other addresses, and unsent mail to them.
void erase_mail(sql::Connection& db, Id ws, Id conversation) {
  sql::Statement mail(db,
                      "UPDATE mail_message SET subject = '', sender = '{}', recipients = '[]', "
                      "html = '', quoted = '' WHERE workspace_id = ? AND conversation_id = ?");
  mail.bind(1, ws).bind(2, conversation).run();
  sql::Statement people(db, "DELETE FROM mail_participant WHERE conversation_id = ?");
  people.bind(1, conversation).run();
  sql::Statement outbox(
      db,
      "UPDATE mail_outbox SET raw = '', recipients = '[]', status = CASE status "
      "WHEN 'queued' THEN 'failed' ELSE status END, last_error = CASE status WHEN "
      "'queued' THEN 'erased' ELSE last_error END "
      "WHERE workspace_id = ? AND conversation_id = ?");
  outbox.bind(1, ws).bind(2, conversation).run();
}

// The conversation stays for reports, but without what the customer told us:
// subject, language, meta (pages, prechat answers, callback phone), a ticket's
// custom field values (an order number, an address) and the triage state read
// from their words. Its visitor id goes too, so the old widget cookie no longer
// shows it.
void mark_conversation_erased(sql::Connection& db, Id ws, Id conversation, Millis now) {
  sql::Statement q(db,
                   "UPDATE conversation SET subject = '', language = '', meta = " +
                       std::string(db.pick("json_object", "jsonb_build_object")) +
                       "('erased_at', COALESCE(erased_at, ?1)), "
                       "ticket_custom = NULL, "
                       "detected_language = '', bot_state = '', bot_reason = '', bot_at = NULL, "
                       "emotion_peak_at = NULL, emotion_score = 0, emotion_reasons = '[]', "
                       "visitor_id = 'erased:' || id, erased_at = COALESCE(erased_at, ?1), "
                       "version = version + 1 WHERE workspace_id = ?2 AND id = ?3");
  q.bind(1, now).bind(2, ws).bind(3, conversation).run();
  erase_mail(db, ws, conversation);
  // The rating's score stays for the reports; the customer's words go, also
  // from the note that showed them to the agents (client id "rating:...").
  sql::Statement rating(
      db, "UPDATE chat_rating SET comment = '' WHERE workspace_id = ? AND conversation_id = ?");
  rating.bind(1, ws).bind(2, conversation).run();
  sql::Statement note(
      db, "UPDATE event SET body = ?1, notice = " + std::string(db.pick("'{}'", "'{}'::jsonb")) +
              " WHERE workspace_id = ?2 AND conversation_id = ?3 AND client_id "
              "LIKE 'rating:%'");
  note.bind(1, kErased).bind(2, ws).bind(3, conversation).run();
}

// Deleting identities makes the same visitor cookie or e-mail start a fresh contact.
void blank_contact(sql::Connection& db, Id ws, Id contact, Millis now) {
  sql::Statement q(db,
                   "UPDATE contact SET name = '', email = '', phone = '', notes = '', "
                   "erased_at = COALESCE(erased_at, ?) WHERE workspace_id = ? AND id = ?");
  q.bind(1, now).bind(2, ws).bind(3, contact).run();
  sql::Statement ids(db, "DELETE FROM identity WHERE workspace_id = ? AND contact_id = ?");
  ids.bind(1, ws).bind(2, contact).run();
}

std::vector<std::pair<Id, Id>> expired(sql::Connection& db, Millis now, int limit) {
  sql::Statement q(db,
                   "SELECT c.workspace_id, c.id FROM workspace w JOIN conversation c "
                   "ON c.workspace_id = w.id AND c.status = 'closed' "
                   "AND c.updated_at < ?1 - w.retention_days * ?2 "
                   "WHERE w.retention_days IS NOT NULL LIMIT ?3");
  q.bind(1, now).bind(2, kDayMs).bind(3, limit);
  std::vector<std::pair<Id, Id>> out;
  while (q.step()) out.emplace_back(q.int64(0), q.int64(1));
  return out;
}

}  // namespace

std::optional<ContactData> contact(sql::Connection& db, Id ws, Id id) {
  sql::Statement q(db,
                   "SELECT name, email, phone, created_at, erased_at, notes FROM contact "
                   "WHERE workspace_id = ? AND id = ?");
  q.bind(1, ws).bind(2, id);
  if (!q.step()) return std::nullopt;
  ContactData d;
  d.contact = {id, ws, q.text(0), q.text(1), q.text(2), q.int64(3), q.text(5)};
  if (!q.is_null(4)) d.erased_at = q.int64(4);
  d.identities = identities(db, ws, id);
  return d;
}

std::vector<Id> conversation_ids(sql::Connection& db, Id ws, Id contact) {
  sql::Statement q(
      db, "SELECT id FROM conversation WHERE workspace_id = ? AND contact_id = ? ORDER BY id");
  q.bind(1, ws).bind(2, contact);
  std::vector<Id> out;
  while (q.step()) out.push_back(q.int64(0));
  return out;
}

std::optional<Millis> conversation_erased_at(sql::Connection& db, Id ws, Id conversation) {
  sql::Statement q(db, "SELECT erased_at FROM conversation WHERE workspace_id = ? AND id = ?");
  q.bind(1, ws).bind(2, conversation);
  if (!q.step() || q.is_null(0)) return std::nullopt;
  return q.int64(0);
}

std::vector<Attachment> attachments(sql::Connection& db, Id ws, Id conversation) {
  sql::Statement q(db,
                   select_attachments() +
                       "WHERE workspace_id = ? AND conversation_id = ? ORDER BY created_at, id");
  q.bind(1, ws).bind(2, conversation);
  return read_attachments(q);
}

EraseResult erase(sql::Connection& db, Id ws, const Contact& c, const std::vector<Id>& ids,
                  Millis now) {
  EraseResult r;
  for (Id id : ids) {
    r.messages_redacted += redact_visitor_events(db, ws, id);
    scrub_mentions(db, ws, id, c);
    auto files = delete_files_and_questions(db, ws, id);
    r.attachments.insert(r.attachments.end(), files.begin(), files.end());
    mark_conversation_erased(db, ws, id, now);
    ++r.conversations;
  }
  blank_contact(db, ws, c.id, now);
  return r;
}

std::optional<int> retention_days(sql::Connection& db, Id ws) {
  sql::Statement q(db, "SELECT retention_days FROM workspace WHERE id = ?");
  q.bind(1, ws);
  if (!q.step()) throw StoreError(StoreError::Code::kNotFound, "workspace not found");
  if (q.is_null(0)) return std::nullopt;
  return static_cast<int>(q.int64(0));
}

void set_retention_days(sql::Connection& db, Id ws, std::optional<int> days) {
  sql::Statement q(db, "UPDATE workspace SET retention_days = ? WHERE id = ?");
  q.bind(1, days).bind(2, ws).run();
  if (q.affected() == 0) throw StoreError(StoreError::Code::kNotFound, "workspace not found");
}

PurgeResult purge(sql::Connection& db, Millis now, int limit) {
  PurgeResult r;
  for (auto [ws, id] : expired(db, now, limit)) {
    auto files = delete_files_and_questions(db, ws, id);
    r.attachments.insert(r.attachments.end(), files.begin(), files.end());
    sql::Statement events(db, "DELETE FROM event WHERE workspace_id = ? AND conversation_id = ?");
    events.bind(1, ws).bind(2, id).run();
    sql::Statement conv(db, "DELETE FROM conversation WHERE workspace_id = ? AND id = ?");
    conv.bind(1, ws).bind(2, id).run();
    ++r.conversations;
  }
  return r;
}

}  // namespace sb::sqlite::gdpr_queries
