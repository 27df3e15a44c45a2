// Versioned schema migrations, one list for both backends: each step is its SQL
// for SQLite and for PostgreSQL. Append new steps, with both texts; never edit a
// released one. PostgreSQL has nothing to do before its baseline (step 21,
// postgres_schema.cc): the steps before it rebuilt tables and moved data that a
// new PostgreSQL database never had.
#include "store/migrations.h"

#include <algorithm>
#include <array>

#include "sql/sql.h"
#include "store/sqlite_db.h"

namespace sb::sqlite {
namespace {

// Not constexpr only because the baseline's text is in another file.
const std::array<sql::Migration, 31> kSteps = {
    {{1, R"sql(
CREATE TABLE workspace (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  created_at INTEGER NOT NULL);

CREATE TABLE agent (
  id INTEGER PRIMARY KEY,
  workspace_id INTEGER NOT NULL REFERENCES workspace(id),
  name TEXT NOT NULL,
  email TEXT NOT NULL UNIQUE COLLATE NOCASE,
  password_hash TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('agent', 'admin')),
  status TEXT NOT NULL DEFAULT 'offline',
  avatar_color TEXT NOT NULL DEFAULT '#6366f1',
  created_at INTEGER NOT NULL);

CREATE TABLE agent_session (
  token_hash TEXT PRIMARY KEY,
  agent_id INTEGER NOT NULL REFERENCES agent(id),
  workspace_id INTEGER NOT NULL,
  csrf_token TEXT NOT NULL,
  expires_at INTEGER NOT NULL);

CREATE TABLE inbox (
  id INTEGER PRIMARY KEY,
  workspace_id INTEGER NOT NULL REFERENCES workspace(id),
  name TEXT NOT NULL,
  public_key TEXT NOT NULL UNIQUE,
  timezone TEXT NOT NULL,
  business_hours TEXT NOT NULL,
  widget TEXT NOT NULL,
  prechat_fields TEXT NOT NULL,
  topics TEXT NOT NULL,
  created_at INTEGER NOT NULL);

CREATE TABLE contact (
  id INTEGER PRIMARY KEY,
  workspace_id INTEGER NOT NULL REFERENCES workspace(id),
  name TEXT NOT NULL DEFAULT '',
  email TEXT NOT NULL DEFAULT '',
  phone TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL);

-- One contact, many identities (visitor cookie, e-mail, phone): R5.
CREATE TABLE identity (
  workspace_id INTEGER NOT NULL,
  kind TEXT NOT NULL,
  value TEXT NOT NULL,
  contact_id INTEGER NOT NULL REFERENCES contact(id),
  PRIMARY KEY (workspace_id, kind, value));

CREATE TABLE conversation (
  id INTEGER PRIMARY KEY,
  workspace_id INTEGER NOT NULL REFERENCES workspace(id),
  inbox_id INTEGER NOT NULL REFERENCES inbox(id),
  contact_id INTEGER NOT NULL REFERENCES contact(id),
  visitor_id TEXT NOT NULL,
  client_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  status TEXT NOT NULL,
  assignee_id INTEGER REFERENCES agent(id),
  subject TEXT NOT NULL DEFAULT '',
  language TEXT NOT NULL DEFAULT '',
  last_seq INTEGER NOT NULL DEFAULT 0,
  last_message_seq INTEGER NOT NULL DEFAULT 0,
  visitor_delivered_seq INTEGER NOT NULL DEFAULT 0,
  visitor_read_seq INTEGER NOT NULL DEFAULT 0,
  agent_delivered_seq INTEGER NOT NULL DEFAULT 0,
  agent_read_seq INTEGER NOT NULL DEFAULT 0,
  meta TEXT NOT NULL DEFAULT '{}',
  version INTEGER NOT NULL DEFAULT 1,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  UNIQUE (workspace_id, visitor_id, client_id));
CREATE INDEX conversation_by_activity ON conversation(workspace_id, status, updated_at);
CREATE INDEX conversation_by_contact ON conversation(workspace_id, contact_id);

-- The append-only, gap-free log each client resumes from.
CREATE TABLE event (
  id INTEGER PRIMARY KEY,
  workspace_id INTEGER NOT NULL,
  conversation_id INTEGER NOT NULL REFERENCES conversation(id),
  seq INTEGER NOT NULL,
  kind TEXT NOT NULL,
  author_type TEXT NOT NULL,
  author_id INTEGER NOT NULL DEFAULT 0,
  author_name TEXT NOT NULL DEFAULT '',
  body TEXT NOT NULL DEFAULT '',
  attachments TEXT NOT NULL DEFAULT '[]',
  client_id TEXT,
  created_at INTEGER NOT NULL,
  UNIQUE (conversation_id, seq),
  UNIQUE (conversation_id, client_id));

CREATE TABLE attachment (
  id TEXT PRIMARY KEY,
  workspace_id INTEGER NOT NULL,
  name TEXT NOT NULL,
  content_type TEXT NOT NULL,
  size INTEGER NOT NULL,
  created_at INTEGER NOT NULL);
)sql",
      ""},
     // 2: routing. The catalogue (skills, teams, custom statuses) is one
     // JSON document per workspace; profiles and inbox rules are JSON on their rows.
     {2, R"sql(
CREATE TABLE workspace_routing (
  workspace_id INTEGER PRIMARY KEY REFERENCES workspace(id),
  settings TEXT NOT NULL);
ALTER TABLE agent ADD COLUMN routing TEXT NOT NULL DEFAULT '{}';
ALTER TABLE agent ADD COLUMN custom_status_id INTEGER;
ALTER TABLE agent ADD COLUMN status_since INTEGER NOT NULL DEFAULT 0;
-- Heartbeat of an agent's console connection, from whichever process holds it.
ALTER TABLE agent ADD COLUMN last_seen INTEGER NOT NULL DEFAULT 0;
ALTER TABLE inbox ADD COLUMN routing TEXT NOT NULL DEFAULT '{}';
ALTER TABLE conversation ADD COLUMN priority INTEGER NOT NULL DEFAULT 0;
ALTER TABLE conversation ADD COLUMN team_id INTEGER;
ALTER TABLE conversation ADD COLUMN queued_at INTEGER NOT NULL DEFAULT 0;
UPDATE conversation SET queued_at = created_at;
-- System events in a translatable form: {"code": "joined", "args": {"agent": "Anna"}}.
ALTER TABLE event ADD COLUMN notice TEXT;
CREATE INDEX conversation_by_assignee ON conversation(workspace_id, assignee_id, status);
)sql",
      ""},
     // 3: knowledge base, FAQ bot, help center.
     {3, R"sql(
-- The public help center's address: /help/<slug>.
ALTER TABLE workspace ADD COLUMN slug TEXT;
UPDATE workspace SET slug = 'ws' || id;
CREATE UNIQUE INDEX workspace_by_slug ON workspace(slug);
-- Bumped by every KB write, so servers know when to rebuild search and bot models;
-- the bot's settings document lives here too.
CREATE TABLE workspace_kb (
  workspace_id INTEGER PRIMARY KEY REFERENCES workspace(id),
  revision INTEGER NOT NULL DEFAULT 0,
  bot TEXT NOT NULL DEFAULT '{}');
CREATE TABLE kb_category (
  id INTEGER PRIMARY KEY,
  workspace_id INTEGER NOT NULL REFERENCES workspace(id),
  slug TEXT NOT NULL,
  position INTEGER NOT NULL DEFAULT 0,
  names TEXT NOT NULL DEFAULT '{}',
  UNIQUE (workspace_id, slug));
-- One row per article and language; translations share the slug.
CREATE TABLE kb_article (
  id INTEGER PRIMARY KEY,
  workspace_id INTEGER NOT NULL REFERENCES workspace(id),
  slug TEXT NOT NULL,
  language TEXT NOT NULL,
  category TEXT NOT NULL DEFAULT '',
  title TEXT NOT NULL,
  body TEXT NOT NULL,
  keywords TEXT NOT NULL DEFAULT '[]',
  published INTEGER NOT NULL DEFAULT 1,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  UNIQUE (workspace_id, slug, language));
-- One vote per reader and article; a second vote replaces the first.
CREATE TABLE kb_vote (
  article_id INTEGER NOT NULL REFERENCES kb_article(id) ON DELETE CASCADE,
  voter TEXT NOT NULL,
  helpful INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (article_id, voter));
CREATE TABLE faq_intent (
  id INTEGER PRIMARY KEY,
  workspace_id INTEGER NOT NULL REFERENCES workspace(id),
  name TEXT NOT NULL,
  language TEXT NOT NULL,
  question TEXT NOT NULL,
  phrasings TEXT NOT NULL DEFAULT '[]',
  answer TEXT NOT NULL,
  enabled INTEGER NOT NULL DEFAULT 1,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  UNIQUE (workspace_id, name, language));
-- Every customer question the bot saw, and what it did: the unanswered report.
CREATE TABLE bot_question (
  id INTEGER PRIMARY KEY,
  workspace_id INTEGER NOT NULL,
  conversation_id INTEGER NOT NULL,
  language TEXT NOT NULL DEFAULT '',
  text TEXT NOT NULL,
  outcome TEXT NOT NULL CHECK (outcome IN ('answered', 'unanswered', 'handoff')),
  answer_ref TEXT NOT NULL DEFAULT '',
  confidence_pm INTEGER NOT NULL DEFAULT 0,
  dismissed INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL);
CREATE INDEX bot_question_by_outcome ON bot_question(workspace_id, outcome, created_at);
-- Suggested articles shown before a ticket or chat is created, and whether they helped.
CREATE TABLE deflection (
  id INTEGER PRIMARY KEY,
  workspace_id INTEGER NOT NULL,
  source TEXT NOT NULL,
  query TEXT NOT NULL,
  articles TEXT NOT NULL DEFAULT '[]',
  outcome TEXT NOT NULL DEFAULT 'shown' CHECK (outcome IN ('shown', 'helped', 'continued')),
  created_at INTEGER NOT NULL);
CREATE INDEX deflection_by_time ON deflection(workspace_id, created_at);
)sql",
      ""},
     // 4: security. Failed logins that locked an account, told to its owner at the next login.
     {4, R"sql(
-- Attachments belong to the conversation they were sent in, and to their uploader before.
ALTER TABLE attachment ADD COLUMN uploader TEXT NOT NULL DEFAULT '';
ALTER TABLE attachment ADD COLUMN conversation_id INTEGER;
UPDATE attachment SET conversation_id = (
  SELECT e.conversation_id FROM event e, json_each(e.attachments) j
  WHERE json_extract(j.value, '$.id') = attachment.id LIMIT 1);
CREATE INDEX attachment_orphans ON attachment(created_at) WHERE conversation_id IS NULL;
-- Sessions an agent can list and end; agents who left keep their history.
ALTER TABLE agent_session ADD COLUMN created_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE agent_session ADD COLUMN ip TEXT NOT NULL DEFAULT '';
ALTER TABLE agent_session ADD COLUMN user_agent TEXT NOT NULL DEFAULT '';
CREATE INDEX agent_session_by_agent ON agent_session(workspace_id, agent_id);
ALTER TABLE agent ADD COLUMN deactivated_at INTEGER;
CREATE TABLE login_notice (
  agent_id INTEGER PRIMARY KEY REFERENCES agent(id) ON DELETE CASCADE,
  failures INTEGER NOT NULL,
  first_at INTEGER NOT NULL,
  last_at INTEGER NOT NULL,
  last_ip TEXT NOT NULL);
)sql",
      ""},
     // 5: roles and scopes, one address for several workspaces, the audit log. The
     // agent table is rebuilt (SQLite cannot alter a CHECK or a UNIQUE); migrate()
     // runs with foreign keys off and checks them before committing.
     {5, R"sql(
CREATE TABLE agent_v5 (
  id INTEGER PRIMARY KEY,
  workspace_id INTEGER NOT NULL REFERENCES workspace(id),
  name TEXT NOT NULL,
  email TEXT NOT NULL COLLATE NOCASE,
  password_hash TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('agent', 'supervisor', 'admin')),
  status TEXT NOT NULL DEFAULT 'offline',
  avatar_color TEXT NOT NULL DEFAULT '#6366f1',
  created_at INTEGER NOT NULL,
  routing TEXT NOT NULL DEFAULT '{}',
  custom_status_id INTEGER,
  status_since INTEGER NOT NULL DEFAULT 0,
  last_seen INTEGER NOT NULL DEFAULT 0,
  deactivated_at INTEGER,
  scope TEXT NOT NULL DEFAULT '{}',
  -- Two-factor sign-in: the TOTP secret (hex), one being set up, the last step
  -- used (a code works once) and the SHA-256 of unused recovery codes.
  totp_secret TEXT NOT NULL DEFAULT '',
  totp_pending TEXT NOT NULL DEFAULT '',
  totp_enabled_at INTEGER,
  totp_last_step INTEGER NOT NULL DEFAULT 0,
  recovery_codes TEXT NOT NULL DEFAULT '[]',
  -- Runs the installation: may create workspaces from the console.
  super_admin INTEGER NOT NULL DEFAULT 0,
  UNIQUE (workspace_id, email));
INSERT INTO agent_v5 (id, workspace_id, name, email, password_hash, role, status, avatar_color,
  created_at, routing, custom_status_id, status_since, last_seen, deactivated_at)
SELECT id, workspace_id, name, email, password_hash, role, status, avatar_color, created_at,
  routing, custom_status_id, status_since, last_seen, deactivated_at FROM agent;
DROP TABLE agent;
ALTER TABLE agent_v5 RENAME TO agent;
CREATE INDEX agent_by_email ON agent(email);
-- The first admin there ever was (who ran the first `init`) runs the installation.
UPDATE agent SET super_admin = 1 WHERE id = (SELECT MIN(id) FROM agent WHERE role = 'admin');
ALTER TABLE workspace ADD COLUMN require_2fa INTEGER NOT NULL DEFAULT 0;
-- A session of an agent who must still set up two-factor sign-in reaches only that.
ALTER TABLE agent_session ADD COLUMN restricted INTEGER NOT NULL DEFAULT 0;
-- Who did what, when, from where, with the state before and after. Append-only:
-- the triggers refuse any change, whoever asks.
CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY,
  workspace_id INTEGER NOT NULL,
  at INTEGER NOT NULL,
  actor_type TEXT NOT NULL,
  actor_id INTEGER NOT NULL DEFAULT 0,
  actor_name TEXT NOT NULL DEFAULT '',
  ip TEXT NOT NULL DEFAULT '',
  action TEXT NOT NULL,
  target_type TEXT NOT NULL DEFAULT '',
  target_id TEXT NOT NULL DEFAULT '',
  before TEXT,
  after TEXT);
CREATE INDEX audit_by_time ON audit_log(workspace_id, at);
CREATE TRIGGER audit_log_append_only_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_append_only_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
)sql",
      ""},
     // 6: GDPR. Erased contacts and conversations stay for reports, marked;
     // closed conversations older than a workspace's retention are deleted.
     {6, R"sql(
ALTER TABLE workspace ADD COLUMN retention_days INTEGER;
ALTER TABLE contact ADD COLUMN erased_at INTEGER;
ALTER TABLE conversation ADD COLUMN erased_at INTEGER;
CREATE INDEX identity_by_contact ON identity(workspace_id, contact_id);
CREATE INDEX attachment_by_conversation ON attachment(conversation_id);
CREATE INDEX bot_question_by_conversation ON bot_question(conversation_id);
)sql",
      ""},
     // 7: personal API tokens for integrators, stored as hashes.
     {7, R"sql(
CREATE TABLE api_token (
  id INTEGER PRIMARY KEY,
  workspace_id INTEGER NOT NULL REFERENCES workspace(id),
  agent_id INTEGER NOT NULL REFERENCES agent(id),
  name TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  prefix TEXT NOT NULL,
  scopes TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER,
  last_used_at INTEGER,
  last_used_ip TEXT NOT NULL DEFAULT '');
CREATE INDEX api_token_by_agent ON api_token(workspace_id, agent_id);
)sql",
      ""},
     // 8: triage state in columns of its own instead of meta keys (detected_language,
     // bot {state, reason, at}, emotion {peak, score, reasons, at}); the API still
     // shows it in meta. SET reads the row as it was, so meta is cleared last.
     {8, R"sql(
ALTER TABLE conversation ADD COLUMN detected_language TEXT NOT NULL DEFAULT '';
ALTER TABLE conversation ADD COLUMN bot_state TEXT NOT NULL DEFAULT '';
ALTER TABLE conversation ADD COLUMN bot_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE conversation ADD COLUMN bot_at INTEGER;
-- Null: no emotional peak flagged.
ALTER TABLE conversation ADD COLUMN emotion_peak_at INTEGER;
ALTER TABLE conversation ADD COLUMN emotion_score REAL NOT NULL DEFAULT 0;
ALTER TABLE conversation ADD COLUMN emotion_reasons TEXT NOT NULL DEFAULT '[]';
UPDATE conversation SET
  detected_language = CASE WHEN json_type(meta, '$.detected_language') = 'text'
    THEN json_extract(meta, '$.detected_language') ELSE '' END,
  bot_state = CASE WHEN json_type(meta, '$.bot.state') = 'text'
    THEN json_extract(meta, '$.bot.state') ELSE '' END,
  bot_reason = CASE WHEN json_type(meta, '$.bot.reason') = 'text'
    THEN json_extract(meta, '$.bot.reason') ELSE '' END,
  bot_at = CASE WHEN json_type(meta, '$.bot.at') IN ('integer', 'real')
    THEN CAST(json_extract(meta, '$.bot.at') AS INTEGER) END,
  emotion_peak_at = CASE WHEN json_type(meta, '$.emotion.peak') IS NOT NULL
    THEN COALESCE(CAST(json_extract(meta, '$.emotion.at') AS INTEGER), 0) END,
  emotion_score = CASE WHEN json_type(meta, '$.emotion.score') IN ('integer', 'real')
    THEN json_extract(meta, '$.emotion.score') ELSE 0 END,
  emotion_reasons = CASE WHEN json_type(meta, '$.emotion.reasons') = 'array'
    THEN json_extract(meta, '$.emotion.reasons') ELSE '[]' END,
  meta = json_remove(meta, '$.detected_language', '$.bot', '$.emotion')
WHERE json_valid(meta) AND json_type(meta) = 'object';
)sql",
      ""},
     // 9: tickets and e-mail. A ticket is a conversation whose ticket_status is set;
     // offline forms already were tickets in all but name.
     {9, R"sql(
ALTER TABLE conversation ADD COLUMN ticket_status TEXT;
ALTER TABLE conversation ADD COLUMN ticket_priority TEXT;
ALTER TABLE conversation ADD COLUMN ticket_tags TEXT;
ALTER TABLE conversation ADD COLUMN follow_up_at INTEGER;
ALTER TABLE conversation ADD COLUMN first_response_at INTEGER;
ALTER TABLE conversation ADD COLUMN solved_at INTEGER;
-- A reply to a closed ticket opens a new one that points at it.
-- No foreign key: retention may delete the old ticket before the new one.
ALTER TABLE conversation ADD COLUMN follows_ticket_id INTEGER;
UPDATE conversation SET
  ticket_status = CASE status WHEN 'closed' THEN 'closed' ELSE 'open' END,
  ticket_priority = 'normal', ticket_tags = '[]'
WHERE kind = 'offline';
CREATE INDEX conversation_tickets ON conversation(workspace_id, ticket_status, updated_at)
  WHERE ticket_status IS NOT NULL;
-- Every Message-ID we received or sent, for threading and to drop mail fetched
-- twice; with what the event's body leaves out (the HTML, the quoted history).
CREATE TABLE mail_message (
  workspace_id INTEGER NOT NULL,
  message_id TEXT NOT NULL,
  conversation_id INTEGER NOT NULL REFERENCES conversation(id) ON DELETE CASCADE,
  event_id INTEGER,
  direction TEXT NOT NULL CHECK (direction IN ('in', 'out')),
  created_at INTEGER NOT NULL,
  subject TEXT NOT NULL DEFAULT '',
  sender TEXT NOT NULL DEFAULT '',
  recipients TEXT NOT NULL DEFAULT '[]',
  html TEXT NOT NULL DEFAULT '',
  quoted TEXT NOT NULL DEFAULT '',
  UNIQUE (workspace_id, message_id));
CREATE INDEX mail_message_by_conversation ON mail_message(conversation_id, created_at);
CREATE INDEX mail_message_by_event ON mail_message(event_id) WHERE event_id IS NOT NULL;
-- Who else is on a mail ticket (To/Cc): replies go to them too, and their mail
-- may thread by the ticket number in the subject.
CREATE TABLE mail_participant (
  conversation_id INTEGER NOT NULL REFERENCES conversation(id) ON DELETE CASCADE,
  address TEXT NOT NULL COLLATE NOCASE,
  name TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (conversation_id, address)) WITHOUT ROWID;
-- Mail waiting to be sent, sent, or given up on, with the bytes as composed.
CREATE TABLE mail_outbox (
  id INTEGER PRIMARY KEY,
  workspace_id INTEGER NOT NULL,
  conversation_id INTEGER NOT NULL REFERENCES conversation(id) ON DELETE CASCADE,
  event_id INTEGER,
  message_id TEXT NOT NULL,
  envelope_from TEXT NOT NULL,
  recipients TEXT NOT NULL,
  raw BLOB NOT NULL,
  status TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sent', 'failed')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  last_error TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  sent_at INTEGER);
CREATE INDEX mail_outbox_due ON mail_outbox(next_attempt_at) WHERE status = 'queued';
CREATE INDEX mail_outbox_by_message ON mail_outbox(workspace_id, message_id);
)sql",
      ""},
     // 10: e-mail inboxes. The mailbox settings (passwords sealed by the server, never
     // shown) and how far fetching got; one outgoing mail per agent message at most.
     {10, R"sql(
CREATE TABLE inbox_mail (
  inbox_id INTEGER PRIMARY KEY REFERENCES inbox(id) ON DELETE CASCADE,
  workspace_id INTEGER NOT NULL,
  enabled INTEGER NOT NULL DEFAULT 0,
  settings TEXT NOT NULL,
  uidvalidity INTEGER NOT NULL DEFAULT 0,
  last_uid INTEGER NOT NULL DEFAULT 0,
  updated_at INTEGER NOT NULL);
CREATE INDEX inbox_mail_by_workspace ON inbox_mail(workspace_id);
CREATE UNIQUE INDEX mail_outbox_by_event ON mail_outbox(event_id) WHERE event_id IS NOT NULL;
)sql",
      ""},
     // 11: a ticket's outgoing mail by ticket: retention's cascade and the count of
     // recent acknowledgements (a loop guard) without a scan.
     {11, R"sql(
CREATE INDEX mail_outbox_by_conversation ON mail_outbox(conversation_id, created_at);
)sql",
      ""},
     // 12: full-text search ("sb_words": folded words with their stems, see
     // search_tokenizer.cc). The indexes read their text from the tables
     // (external content) and are exact at every commit. New messages are only
     // listed by their trigger (search_event_pending) and indexed together just
     // before the write batch's COMMIT (index_pending): FTS5 writes
     // a segment at every savepoint, and the writer runs each job in one, so
     // indexing row by row cost a message three times its own write. Changes to
     // indexed rows (erasure's redactions, retention's deletes) go to the index
     // at once; a row still pending is only struck from or left on the list.
     // A 'delete' must repeat what was indexed, so conversations and contacts are
     // indexed from views that both their triggers read. Phones are indexed also
     // as digits only, with and without the country code, so "3331234567" and
     // "393331234567" find "+39 333 123 4567".
     {12, R"sql(
CREATE VIRTUAL TABLE search_event USING fts5(body, content = 'event',
  content_rowid = 'id', tokenize = 'sb_words', prefix = '2 3');

CREATE TABLE search_event_pending (id INTEGER PRIMARY KEY);
CREATE TRIGGER search_event_insert AFTER INSERT ON event
WHEN new.kind IN ('message', 'note') BEGIN
  INSERT OR IGNORE INTO search_event_pending (id) VALUES (new.id);
END;
CREATE TRIGGER search_event_delete AFTER DELETE ON event
WHEN old.kind IN ('message', 'note') BEGIN
  INSERT INTO search_event (search_event, rowid, body)
    SELECT 'delete', old.id, old.body
    WHERE NOT EXISTS (SELECT 1 FROM search_event_pending WHERE id = old.id);
  DELETE FROM search_event_pending WHERE id = old.id;
END;
CREATE TRIGGER search_event_update AFTER UPDATE OF body, kind ON event
WHEN (old.body IS NOT new.body OR old.kind IS NOT new.kind)
  AND NOT EXISTS (SELECT 1 FROM search_event_pending WHERE id = old.id) BEGIN
  INSERT INTO search_event (search_event, rowid, body)
    SELECT 'delete', old.id, old.body WHERE old.kind IN ('message', 'note');
  INSERT INTO search_event (rowid, body)
    SELECT new.id, new.body WHERE new.kind IN ('message', 'note');
END;

CREATE VIEW search_contact_source AS
  SELECT id, workspace_id, name, email, phone || ' ' ||
    replace(replace(replace(replace(replace(replace(
      phone, ' ', ''), '-', ''), '(', ''), ')', ''), '+', ''), '.', '') || ' ' ||
    replace(replace(replace(replace(replace(
      local_phone, ' ', ''), '-', ''), '(', ''), ')', ''), '.', '') ||
    -- A number stored as + and digits: also without a country code of 1-3 digits,
    -- so the local number finds it.
    CASE WHEN phone GLOB '+[0-9]*' AND phone NOT LIKE '% %' THEN
      ' ' || substr(phone, 3) || ' ' || substr(phone, 4) || ' ' || substr(phone, 5) ELSE '' END
    AS phone
  FROM (SELECT *, CASE WHEN phone LIKE '+% %' THEN substr(phone, instr(phone, ' ') + 1)
    ELSE '' END AS local_phone FROM contact);
CREATE VIEW search_conversation_source AS
  SELECT c.id AS id, c.workspace_id AS workspace_id, c.contact_id AS contact_id,
    c.subject AS subject, s.name AS name, s.email AS email, s.phone AS phone
  FROM conversation c JOIN search_contact_source s ON s.id = c.contact_id;

CREATE VIRTUAL TABLE search_conversation USING fts5(subject, name, email, phone,
  content = 'search_conversation_source', content_rowid = 'id', tokenize = 'sb_words',
  prefix = '2 3');
CREATE VIRTUAL TABLE search_contact USING fts5(name, email, phone,
  content = 'search_contact_source', content_rowid = 'id', tokenize = 'sb_words',
  prefix = '2 3');

CREATE TRIGGER search_conversation_insert AFTER INSERT ON conversation BEGIN
  INSERT INTO search_conversation (rowid, subject, name, email, phone)
    SELECT id, subject, name, email, phone FROM search_conversation_source WHERE id = new.id;
END;
CREATE TRIGGER search_conversation_unindex BEFORE UPDATE OF subject, contact_id ON conversation
WHEN old.subject IS NOT new.subject OR old.contact_id IS NOT new.contact_id BEGIN
  INSERT INTO search_conversation (search_conversation, rowid, subject, name, email, phone)
    SELECT 'delete', id, subject, name, email, phone FROM search_conversation_source
    WHERE id = old.id;
END;
CREATE TRIGGER search_conversation_reindex AFTER UPDATE OF subject, contact_id ON conversation
WHEN old.subject IS NOT new.subject OR old.contact_id IS NOT new.contact_id BEGIN
  INSERT INTO search_conversation (rowid, subject, name, email, phone)
    SELECT id, subject, name, email, phone FROM search_conversation_source WHERE id = new.id;
END;
CREATE TRIGGER search_conversation_delete BEFORE DELETE ON conversation BEGIN
  INSERT INTO search_conversation (search_conversation, rowid, subject, name, email, phone)
    SELECT 'delete', id, subject, name, email, phone FROM search_conversation_source
    WHERE id = old.id;
END;

CREATE TRIGGER search_contact_insert AFTER INSERT ON contact BEGIN
  INSERT INTO search_contact (rowid, name, email, phone)
    SELECT id, name, email, phone FROM search_contact_source WHERE id = new.id;
END;
CREATE TRIGGER search_contact_unindex BEFORE UPDATE OF name, email, phone ON contact
WHEN old.name IS NOT new.name OR old.email IS NOT new.email OR old.phone IS NOT new.phone BEGIN
  INSERT INTO search_contact (search_contact, rowid, name, email, phone)
    SELECT 'delete', id, name, email, phone FROM search_contact_source WHERE id = old.id;
  INSERT INTO search_conversation (search_conversation, rowid, subject, name, email, phone)
    SELECT 'delete', id, subject, name, email, phone FROM search_conversation_source
    WHERE workspace_id = old.workspace_id AND contact_id = old.id;
END;
CREATE TRIGGER search_contact_reindex AFTER UPDATE OF name, email, phone ON contact
WHEN old.name IS NOT new.name OR old.email IS NOT new.email OR old.phone IS NOT new.phone BEGIN
  INSERT INTO search_contact (rowid, name, email, phone)
    SELECT id, name, email, phone FROM search_contact_source WHERE id = new.id;
  INSERT INTO search_conversation (rowid, subject, name, email, phone)
    SELECT id, subject, name, email, phone FROM search_conversation_source
    WHERE workspace_id = new.workspace_id AND contact_id = new.id;
END;
CREATE TRIGGER search_contact_delete BEFORE DELETE ON contact BEGIN
  INSERT INTO search_contact (search_contact, rowid, name, email, phone)
    SELECT 'delete', id, name, email, phone FROM search_contact_source WHERE id = old.id;
END;

INSERT INTO search_event (rowid, body)
  SELECT id, body FROM event WHERE kind IN ('message', 'note');
INSERT INTO search_conversation (rowid, subject, name, email, phone)
  SELECT id, subject, name, email, phone FROM search_conversation_source;
INSERT INTO search_contact (rowid, name, email, phone)
  SELECT id, name, email, phone FROM search_contact_source;
)sql",
      ""},
     // 13: the ticket workflow. Custom field values (JSON object by key), the ticket a
     // merge closed this one into, and when its follow-up was announced; the
     // workspace's custom field definitions. The follow-up index holds only
     // reminders still to announce, so the timer reads just what is due.
     {13, R"sql(
ALTER TABLE conversation ADD COLUMN ticket_custom TEXT;
ALTER TABLE conversation ADD COLUMN merged_into INTEGER;
ALTER TABLE conversation ADD COLUMN follow_up_announced_at INTEGER;
CREATE INDEX conversation_follow_up_due ON conversation(follow_up_at)
  WHERE follow_up_at IS NOT NULL AND follow_up_announced_at IS NULL;
CREATE TABLE ticket_field (
  id INTEGER PRIMARY KEY,
  workspace_id INTEGER NOT NULL REFERENCES workspace(id),
  key TEXT NOT NULL,
  label TEXT NOT NULL,
  type TEXT NOT NULL CHECK (type IN ('text', 'number', 'select', 'date')),
  options TEXT NOT NULL DEFAULT '[]',
  required INTEGER NOT NULL DEFAULT 0,
  position INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  UNIQUE (workspace_id, key));
)sql",
      ""},
     // 14: SLA policies in order, ticket automation settings, and the SLA actions
     // taken on each ticket by key (escalations and timers never repeat).
     {14, R"sql(
CREATE TABLE sla_policy (
  id INTEGER PRIMARY KEY,
  workspace_id INTEGER NOT NULL REFERENCES workspace(id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  body TEXT NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX sla_policy_by_workspace ON sla_policy(workspace_id, position);
CREATE TABLE sla_settings (
  workspace_id INTEGER PRIMARY KEY REFERENCES workspace(id) ON DELETE CASCADE,
  automation TEXT NOT NULL
);
CREATE TABLE sla_action (
  conversation_id INTEGER NOT NULL REFERENCES conversation(id) ON DELETE CASCADE,
  key TEXT NOT NULL,
  taken_at INTEGER NOT NULL,
  PRIMARY KEY (conversation_id, key)
) WITHOUT ROWID;
)sql",
      ""},
     // 15: one customer record (R5). Agents' notes on a contact; a contact merged into
     // another stays, hidden, with what the merge moved, so the merge can be undone.
     // Phone identities are compared normalised ('+' and digits, "00" as '+') from now on.
     {15, R"sql(
ALTER TABLE contact ADD COLUMN notes TEXT NOT NULL DEFAULT '';
ALTER TABLE contact ADD COLUMN merged_into INTEGER REFERENCES contact(id);
CREATE INDEX contact_by_merged_into ON contact(merged_into) WHERE merged_into IS NOT NULL;
CREATE TABLE contact_merge (
  id INTEGER PRIMARY KEY,
  workspace_id INTEGER NOT NULL REFERENCES workspace(id),
  into_id INTEGER NOT NULL REFERENCES contact(id),
  from_id INTEGER NOT NULL REFERENCES contact(id),
  by_agent_id INTEGER NOT NULL DEFAULT 0,
  at INTEGER NOT NULL,
  conversations TEXT NOT NULL,
  identities TEXT NOT NULL,
  into_before TEXT NOT NULL,
  into_after TEXT NOT NULL,
  undone_at INTEGER);
CREATE INDEX contact_merge_by_into ON contact_merge(workspace_id, into_id);
CREATE INDEX contact_merge_by_from ON contact_merge(workspace_id, from_id);
UPDATE OR IGNORE identity SET value =
  CASE WHEN replace(replace(replace(replace(value, ' ', ''), '-', ''), '(', ''), ')', '')
            LIKE '00%'
       THEN '+' || substr(replace(replace(replace(replace(value, ' ', ''), '-', ''), '(', ''),
                                  ')', ''), 3)
       ELSE replace(replace(replace(replace(value, ' ', ''), '-', ''), '(', ''), ')', '') END
WHERE kind = 'phone';
)sql",
      ""},
     // 16: complaints (R7): a conversation marked as one, and every tick of its
     // checklist (unticks too: the history is the record). A conversation has at most
     // one live complaint; withdrawn ones stay for the record.
     {16, R"sql(
CREATE TABLE complaint (
  id INTEGER PRIMARY KEY,
  workspace_id INTEGER NOT NULL,
  conversation_id INTEGER NOT NULL REFERENCES conversation(id) ON DELETE CASCADE,
  category TEXT NOT NULL DEFAULT '',
  suggested INTEGER NOT NULL DEFAULT 0,
  marked_by_id INTEGER NOT NULL,
  marked_by_name TEXT NOT NULL DEFAULT '',
  marked_at INTEGER NOT NULL,
  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved', 'withdrawn')),
  resolution TEXT NOT NULL DEFAULT '',
  resolved_at INTEGER,
  resolved_by_id INTEGER NOT NULL DEFAULT 0,
  resolved_by_name TEXT NOT NULL DEFAULT '',
  resolution_note TEXT NOT NULL DEFAULT '',
  withdrawn_at INTEGER,
  withdrawn_by_id INTEGER NOT NULL DEFAULT 0,
  withdrawn_by_name TEXT NOT NULL DEFAULT '',
  withdraw_reason TEXT NOT NULL DEFAULT '',
  revision INTEGER NOT NULL DEFAULT 1);
CREATE UNIQUE INDEX complaint_live ON complaint(conversation_id) WHERE status != 'withdrawn';
CREATE INDEX complaint_by_conversation ON complaint(conversation_id, id);
CREATE INDEX complaint_by_time ON complaint(workspace_id, marked_at);
CREATE TABLE complaint_step (
  id INTEGER PRIMARY KEY,
  complaint_id INTEGER NOT NULL REFERENCES complaint(id) ON DELETE CASCADE,
  step TEXT NOT NULL,
  done INTEGER NOT NULL,
  note TEXT NOT NULL DEFAULT '',
  agent_id INTEGER NOT NULL,
  agent_name TEXT NOT NULL DEFAULT '',
  at INTEGER NOT NULL);
CREATE INDEX complaint_step_by_complaint ON complaint_step(complaint_id, id);
)sql",
      ""},
     // 17: an agent's job title, under their name in mail signatures.
     {17, R"sql(
ALTER TABLE agent ADD COLUMN title TEXT NOT NULL DEFAULT '';
)sql",
      ""},
     // 18: the bytes of small files that came by mail (the source and its parts),
     // kept in the database: one write per mail instead of a file each, and every
     // node of a cluster sees them. Uploads stay files.
     {18, R"sql(
CREATE TABLE attachment_bytes (
  attachment_id TEXT PRIMARY KEY,
  bytes BLOB NOT NULL);
CREATE TRIGGER attachment_bytes_follow_row AFTER DELETE ON attachment BEGIN
  DELETE FROM attachment_bytes WHERE attachment_id = old.id;
END;
)sql",
      ""},
     // 19: what the SLA runner watches per ticket (sla::watch): from when it is
     // breaching soon and when it is due, so the "breaching soon" view and its count
     // are one indexed query. NULL: nothing to watch. basis_seq is the ticket's
     // last_seq the row was computed from: a slower computation of an older state
     // never overwrites a newer one.
     {19, R"sql(
CREATE TABLE ticket_sla (
  conversation_id INTEGER PRIMARY KEY REFERENCES conversation(id) ON DELETE CASCADE,
  workspace_id INTEGER NOT NULL,
  at_risk_at INTEGER,
  due_at INTEGER,
  basis_seq INTEGER NOT NULL,
  computed_at INTEGER NOT NULL);
CREATE INDEX ticket_sla_watch ON ticket_sla(workspace_id, at_risk_at)
  WHERE at_risk_at IS NOT NULL;
)sql",
      ""},
     // 20: messages are indexed without FTS5's prefix indexes. Every word is
     // indexed with its stems, and the prefix indexes added two entries for each
     // of those: with long mail bodies they were half of a mail's whole ingest
     // cost (docs/BENCHMARKS.md). A typed prefix now scans the term list instead;
     // conversations and contacts (short, typed as names) keep theirs. Upgrading
     // reindexes the messages once, here.
     {20, R"sql(
DROP TABLE search_event;
CREATE VIRTUAL TABLE search_event USING fts5(body, content = 'event',
  content_rowid = 'id', tokenize = 'sb_words');
INSERT INTO search_event (rowid, body)
  SELECT id, body FROM event WHERE kind IN ('message', 'note')
    AND id NOT IN (SELECT id FROM search_event_pending);
)sql",
      ""},
     // 21: new conversations and contacts are indexed like messages: listed by
     // their insert trigger and indexed once per write batch. Indexed at once,
     // every later savepoint of the batch made FTS5 write a segment for them:
     // a quarter of a mail's whole ingest (docs/BENCHMARKS.md). A change to a
     // row still listed leaves the index alone (the batch indexes the row as it
     // is then); a delete strikes it from the list.
     {21, R"sql(
CREATE TABLE search_conversation_pending (id INTEGER PRIMARY KEY);
CREATE TABLE search_contact_pending (id INTEGER PRIMARY KEY);

DROP TRIGGER search_conversation_insert;
DROP TRIGGER search_conversation_unindex;
DROP TRIGGER search_conversation_reindex;
DROP TRIGGER search_conversation_delete;
DROP TRIGGER search_contact_insert;
DROP TRIGGER search_contact_unindex;
DROP TRIGGER search_contact_reindex;
DROP TRIGGER search_contact_delete;

CREATE TRIGGER search_conversation_insert AFTER INSERT ON conversation BEGIN
  INSERT OR IGNORE INTO search_conversation_pending (id) VALUES (new.id);
END;
CREATE TRIGGER search_conversation_unindex BEFORE UPDATE OF subject, contact_id ON conversation
WHEN (old.subject IS NOT new.subject OR old.contact_id IS NOT new.contact_id)
  AND NOT EXISTS (SELECT 1 FROM search_conversation_pending WHERE id = old.id) BEGIN
  INSERT INTO search_conversation (search_conversation, rowid, subject, name, email, phone)
    SELECT 'delete', id, subject, name, email, phone FROM search_conversation_source
    WHERE id = old.id;
END;
CREATE TRIGGER search_conversation_reindex AFTER UPDATE OF subject, contact_id ON conversation
WHEN (old.subject IS NOT new.subject OR old.contact_id IS NOT new.contact_id)
  AND NOT EXISTS (SELECT 1 FROM search_conversation_pending WHERE id = new.id) BEGIN
  INSERT INTO search_conversation (rowid, subject, name, email, phone)
    SELECT id, subject, name, email, phone FROM search_conversation_source WHERE id = new.id;
END;
CREATE TRIGGER search_conversation_delete BEFORE DELETE ON conversation BEGIN
  INSERT INTO search_conversation (search_conversation, rowid, subject, name, email, phone)
    SELECT 'delete', id, subject, name, email, phone FROM search_conversation_source
    WHERE id = old.id
      AND NOT EXISTS (SELECT 1 FROM search_conversation_pending WHERE id = old.id);
  DELETE FROM search_conversation_pending WHERE id = old.id;
END;

CREATE TRIGGER search_contact_insert AFTER INSERT ON contact BEGIN
  INSERT OR IGNORE INTO search_contact_pending (id) VALUES (new.id);
END;
CREATE TRIGGER search_contact_unindex BEFORE UPDATE OF name, email, phone ON contact
WHEN old.name IS NOT new.name OR old.email IS NOT new.email OR old.phone IS NOT new.phone BEGIN
  INSERT INTO search_contact (search_contact, rowid, name, email, phone)
    SELECT 'delete', id, name, email, phone FROM search_contact_source WHERE id = old.id
      AND NOT EXISTS (SELECT 1 FROM search_contact_pending WHERE id = old.id);
  INSERT INTO search_conversation (search_conversation, rowid, subject, name, email, phone)
    SELECT 'delete', id, subject, name, email, phone FROM search_conversation_source
    WHERE workspace_id = old.workspace_id AND contact_id = old.id
      AND id NOT IN (SELECT id FROM search_conversation_pending);
END;
CREATE TRIGGER search_contact_reindex AFTER UPDATE OF name, email, phone ON contact
WHEN old.name IS NOT new.name OR old.email IS NOT new.email OR old.phone IS NOT new.phone BEGIN
  INSERT INTO search_contact (rowid, name, email, phone)
    SELECT id, name, email, phone FROM search_contact_source WHERE id = new.id
      AND NOT EXISTS (SELECT 1 FROM search_contact_pending WHERE id = new.id);
  INSERT INTO search_conversation (rowid, subject, name, email, phone)
    SELECT id, subject, name, email, phone FROM search_conversation_source
    WHERE workspace_id = new.workspace_id AND contact_id = new.id
      AND id NOT IN (SELECT id FROM search_conversation_pending);
END;
CREATE TRIGGER search_contact_delete BEFORE DELETE ON contact BEGIN
  INSERT INTO search_contact (search_contact, rowid, name, email, phone)
    SELECT 'delete', id, name, email, phone FROM search_contact_source WHERE id = old.id
      AND NOT EXISTS (SELECT 1 FROM search_contact_pending WHERE id = old.id);
  DELETE FROM search_contact_pending WHERE id = old.id;
END;
)sql",
      postgres_baseline()},
     // 22: the routing lease: which node's dispatcher decides for a workspace
     // (holder), until when unless renewed, and the fencing token that every
     // claim it makes carries. A new holder bumps the token, so a claim of a
     // node that lost the lease is refused by the database.
     {22, R"sql(
CREATE TABLE routing_lease (
  workspace_id INTEGER PRIMARY KEY REFERENCES workspace(id) ON DELETE CASCADE,
  holder TEXT NOT NULL,
  token INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
);
)sql",
      R"sql(
CREATE TABLE routing_lease (
  workspace_id BIGINT PRIMARY KEY REFERENCES workspace(id) ON DELETE CASCADE,
  holder TEXT NOT NULL,
  token BIGINT NOT NULL,
  expires_at BIGINT NOT NULL
);
)sql"},
     // 23: the full-text index moves to a file of its own, written by a thread of
     // its own (search_index.h): indexed on the writer, each chunk of FTS5 work
     // held up the messages behind it. Here triggers only log what changed,
     // which list and which id; the index thread reads the rows as they are then,
     // so an insert, a change and a delete are all "index this id again". The
     // log's seq only grows (AUTOINCREMENT): the index records how far it got,
     // and the writer forgets what is behind that. The new file is built from
     // the tables. PostgreSQL searches its own tsvector columns.
     {23, R"sql(
DROP TRIGGER search_event_insert;
DROP TRIGGER search_event_delete;
DROP TRIGGER search_event_update;
DROP TRIGGER search_conversation_insert;
DROP TRIGGER search_conversation_unindex;
DROP TRIGGER search_conversation_reindex;
DROP TRIGGER search_conversation_delete;
DROP TRIGGER search_contact_insert;
DROP TRIGGER search_contact_unindex;
DROP TRIGGER search_contact_reindex;
DROP TRIGGER search_contact_delete;
DROP TABLE search_event;
DROP TABLE search_conversation;
DROP TABLE search_contact;
DROP TABLE search_event_pending;
DROP TABLE search_conversation_pending;
DROP TABLE search_contact_pending;

-- Which database this is, for the index file: one made for another is rebuilt.
CREATE TABLE search_origin (id TEXT NOT NULL);
INSERT INTO search_origin VALUES (lower(hex(randomblob(16))));
-- list: 0 event, 1 conversation, 2 contact.
CREATE TABLE search_change (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  list INTEGER NOT NULL,
  id INTEGER NOT NULL
);
CREATE TRIGGER search_event_insert AFTER INSERT ON event
WHEN new.kind IN ('message', 'note') BEGIN
  INSERT INTO search_change (list, id) VALUES (0, new.id);
END;
CREATE TRIGGER search_event_update AFTER UPDATE OF body, kind ON event
WHEN (old.body IS NOT new.body OR old.kind IS NOT new.kind)
  AND (old.kind IN ('message', 'note') OR new.kind IN ('message', 'note')) BEGIN
  INSERT INTO search_change (list, id) VALUES (0, new.id);
END;
CREATE TRIGGER search_event_delete AFTER DELETE ON event
WHEN old.kind IN ('message', 'note') BEGIN
  INSERT INTO search_change (list, id) VALUES (0, old.id);
END;
CREATE TRIGGER search_conversation_insert AFTER INSERT ON conversation BEGIN
  INSERT INTO search_change (list, id) VALUES (1, new.id);
END;
CREATE TRIGGER search_conversation_update AFTER UPDATE OF subject, contact_id ON conversation
WHEN old.subject IS NOT new.subject OR old.contact_id IS NOT new.contact_id BEGIN
  INSERT INTO search_change (list, id) VALUES (1, new.id);
END;
CREATE TRIGGER search_conversation_delete AFTER DELETE ON conversation BEGIN
  INSERT INTO search_change (list, id) VALUES (1, old.id);
END;
-- A conversation's entry repeats its contact's name, e-mail and phone.
CREATE TRIGGER search_contact_update AFTER UPDATE OF name, email, phone ON contact
WHEN old.name IS NOT new.name OR old.email IS NOT new.email OR old.phone IS NOT new.phone BEGIN
  INSERT INTO search_change (list, id) VALUES (2, new.id);
  INSERT INTO search_change (list, id) SELECT 1, id FROM conversation
    WHERE workspace_id = new.workspace_id AND contact_id = new.id;
END;
CREATE TRIGGER search_contact_insert AFTER INSERT ON contact BEGIN
  INSERT INTO search_change (list, id) VALUES (2, new.id);
END;
CREATE TRIGGER search_contact_delete AFTER DELETE ON contact BEGIN
  INSERT INTO search_change (list, id) VALUES (2, old.id);
  INSERT INTO search_change (list, id) SELECT 1, id FROM conversation
    WHERE workspace_id = old.workspace_id AND contact_id = old.id;
END;
)sql",
      R"sql(
-- Nothing to change: PostgreSQL has no index file (its search reads the rows).
SELECT 1;
)sql"},
     {24, R"sql(
-- PostgreSQL's search folds accents (unaccent, shipped with PostgreSQL).
SELECT 1;
)sql",
      R"sql(
CREATE EXTENSION IF NOT EXISTS unaccent;
)sql"},
     // 25: the etiquette coach: the rules an admin changed, per language (JSON),
     // and per UTC day how often each flag was shown to agents and taken.
     {25, R"sql(
CREATE TABLE coach_rules (
  workspace_id INTEGER NOT NULL REFERENCES workspace(id) ON DELETE CASCADE,
  language TEXT NOT NULL,
  rules TEXT NOT NULL,
  PRIMARY KEY (workspace_id, language)
);
CREATE TABLE coach_count (
  workspace_id INTEGER NOT NULL REFERENCES workspace(id) ON DELETE CASCADE,
  day INTEGER NOT NULL,
  language TEXT NOT NULL,
  rule TEXT NOT NULL,
  shown INTEGER NOT NULL DEFAULT 0,
  accepted INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (workspace_id, day, language, rule)
);
)sql",
      R"sql(
CREATE TABLE coach_rules (
  workspace_id BIGINT NOT NULL REFERENCES workspace(id) ON DELETE CASCADE,
  language TEXT NOT NULL,
  rules TEXT NOT NULL,
  PRIMARY KEY (workspace_id, language)
);
CREATE TABLE coach_count (
  workspace_id BIGINT NOT NULL REFERENCES workspace(id) ON DELETE CASCADE,
  day BIGINT NOT NULL,
  language TEXT NOT NULL,
  rule TEXT NOT NULL,
  shown BIGINT NOT NULL DEFAULT 0,
  accepted BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (workspace_id, day, language, rule)
);
)sql"},
     // 26: satisfaction (Q2): the workspace's survey settings, and each chat's
     // rating at its end (score on its scale, whether it counts towards CSAT, the
     // comment, who had the conversation). The comment is erased with the
     // customer's data (GDPR); the score stays for the reports.
     {26, R"sql(
CREATE TABLE workspace_survey (
  workspace_id INTEGER PRIMARY KEY REFERENCES workspace(id) ON DELETE CASCADE,
  settings TEXT NOT NULL
);
CREATE TABLE chat_rating (
  conversation_id INTEGER PRIMARY KEY REFERENCES conversation(id) ON DELETE CASCADE,
  workspace_id INTEGER NOT NULL REFERENCES workspace(id) ON DELETE CASCADE,
  inbox_id INTEGER NOT NULL,
  agent_id INTEGER,
  agent_name TEXT NOT NULL DEFAULT '',
  channel TEXT NOT NULL,
  scale TEXT NOT NULL,
  score INTEGER NOT NULL,
  positive INTEGER NOT NULL,
  comment TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX chat_rating_by_time ON chat_rating (workspace_id, created_at);
)sql",
      R"sql(
CREATE TABLE workspace_survey (
  workspace_id BIGINT PRIMARY KEY REFERENCES workspace(id) ON DELETE CASCADE,
  settings TEXT NOT NULL
);
CREATE TABLE chat_rating (
  conversation_id BIGINT PRIMARY KEY REFERENCES conversation(id) ON DELETE CASCADE,
  workspace_id BIGINT NOT NULL REFERENCES workspace(id) ON DELETE CASCADE,
  inbox_id BIGINT NOT NULL,
  agent_id BIGINT,
  agent_name TEXT NOT NULL DEFAULT '',
  channel TEXT NOT NULL,
  scale TEXT NOT NULL,
  score BIGINT NOT NULL,
  positive BIGINT NOT NULL,
  comment TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX chat_rating_by_time ON chat_rating (workspace_id, created_at);
)sql"},
     // 27: canned answers (P1): per workspace, team or agent, per language, with
     // a /shortcut, variants, ticket fields to set and files; uses per variant
     // and UTC day (which variant to offer next, and the reports).
     {27, R"sql(
CREATE TABLE canned_answer (
  id INTEGER PRIMARY KEY,
  workspace_id INTEGER NOT NULL REFERENCES workspace(id) ON DELETE CASCADE,
  scope TEXT NOT NULL,
  team_id INTEGER,
  owner_id INTEGER,
  scope_key INTEGER NOT NULL,
  language TEXT NOT NULL DEFAULT '',
  shortcut TEXT NOT NULL,
  title TEXT NOT NULL,
  variants TEXT NOT NULL,
  actions TEXT NOT NULL DEFAULT '{}',
  attachments TEXT NOT NULL DEFAULT '[]',
  created_by INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
-- One /shortcut per scope: the workspace's, a team's, an agent's own
-- (scope_key: the team's or the owner's id, 0 for the workspace).
CREATE UNIQUE INDEX canned_answer_shortcut
  ON canned_answer (workspace_id, scope, scope_key, shortcut);
CREATE TABLE canned_use (
  answer_id INTEGER NOT NULL REFERENCES canned_answer(id) ON DELETE CASCADE,
  variant INTEGER NOT NULL,
  day INTEGER NOT NULL,
  uses INTEGER NOT NULL,
  PRIMARY KEY (answer_id, variant, day)
);
)sql",
      R"sql(
CREATE TABLE canned_answer (
  id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  workspace_id BIGINT NOT NULL REFERENCES workspace(id) ON DELETE CASCADE,
  scope TEXT NOT NULL,
  team_id BIGINT,
  owner_id BIGINT,
  scope_key BIGINT NOT NULL,
  language TEXT NOT NULL DEFAULT '',
  shortcut TEXT NOT NULL,
  title TEXT NOT NULL,
  variants TEXT NOT NULL,
  actions TEXT NOT NULL DEFAULT '{}',
  attachments TEXT NOT NULL DEFAULT '[]',
  created_by BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
-- One /shortcut per scope: the workspace's, a team's, an agent's own
-- (scope_key: the team's or the owner's id, 0 for the workspace).
CREATE UNIQUE INDEX canned_answer_shortcut
  ON canned_answer (workspace_id, scope, scope_key, shortcut);
CREATE TABLE canned_use (
  answer_id BIGINT NOT NULL REFERENCES canned_answer(id) ON DELETE CASCADE,
  variant BIGINT NOT NULL,
  day BIGINT NOT NULL,
  uses BIGINT NOT NULL,
  PRIMARY KEY (answer_id, variant, day)
);
)sql"},
     // 28: reports (Q3): each conversation's timings, kept by the statements that
     // append its events and change its status (rollups on commit: a report
     // reads one row per conversation, never the event log). first_reply_at: the
     // first agent message; awaiting_since: the customer's oldest unanswered
     // message; reply_ms / replies: the sum and count of the agent's response
     // times to it; closed_at: the last close (cleared on reopen); rated_positive:
     // the customer's rating at the top of its scale (1), below (0), none (NULL).
     {28, R"sql(
ALTER TABLE conversation ADD COLUMN first_reply_at INTEGER;
ALTER TABLE conversation ADD COLUMN first_assigned_at INTEGER;
ALTER TABLE conversation ADD COLUMN closed_at INTEGER;
ALTER TABLE conversation ADD COLUMN awaiting_since INTEGER;
ALTER TABLE conversation ADD COLUMN reply_ms INTEGER NOT NULL DEFAULT 0;
ALTER TABLE conversation ADD COLUMN replies INTEGER NOT NULL DEFAULT 0;
ALTER TABLE conversation ADD COLUMN customer_messages INTEGER NOT NULL DEFAULT 0;
ALTER TABLE conversation ADD COLUMN rated_positive INTEGER;
-- What the event log already says, for the conversations before this step
-- (response times before it are not known: their count stays 0).
UPDATE conversation SET
  first_reply_at = (SELECT MIN(e.created_at) FROM event e WHERE e.conversation_id = conversation.id
                    AND e.kind = 'message' AND e.author_type = 'agent'),
  customer_messages = (SELECT COUNT(*) FROM event e WHERE e.conversation_id = conversation.id
                       AND e.kind = 'message' AND e.author_type = 'visitor'),
  closed_at = CASE WHEN status = 'closed' THEN updated_at END,
  rated_positive = (SELECT r.positive FROM chat_rating r WHERE r.conversation_id = conversation.id);
UPDATE conversation SET first_assigned_at = COALESCE(first_reply_at, queued_at)
  WHERE assignee_id IS NOT NULL;
-- Covering: a report reads the index alone, in creation order, never the wide rows.
CREATE INDEX conversation_report ON conversation (workspace_id, created_at, id, inbox_id, kind,
  team_id, assignee_id, first_assigned_at, first_reply_at, closed_at, reply_ms, replies,
  customer_messages, bot_state, rated_positive, merged_into);
)sql",
      R"sql(
ALTER TABLE conversation ADD COLUMN first_reply_at BIGINT;
ALTER TABLE conversation ADD COLUMN first_assigned_at BIGINT;
ALTER TABLE conversation ADD COLUMN closed_at BIGINT;
ALTER TABLE conversation ADD COLUMN awaiting_since BIGINT;
ALTER TABLE conversation ADD COLUMN reply_ms BIGINT NOT NULL DEFAULT 0;
ALTER TABLE conversation ADD COLUMN replies BIGINT NOT NULL DEFAULT 0;
ALTER TABLE conversation ADD COLUMN customer_messages BIGINT NOT NULL DEFAULT 0;
ALTER TABLE conversation ADD COLUMN rated_positive BIGINT;
-- What the event log already says, for the conversations before this step
-- (response times before it are not known: their count stays 0).
UPDATE conversation SET
  first_reply_at = (SELECT MIN(e.created_at) FROM event e WHERE e.conversation_id = conversation.id
                    AND e.kind = 'message' AND e.author_type = 'agent'),
  customer_messages = (SELECT COUNT(*) FROM event e WHERE e.conversation_id = conversation.id
                       AND e.kind = 'message' AND e.author_type = 'visitor'),
  closed_at = CASE WHEN status = 'closed' THEN updated_at END,
  rated_positive = (SELECT r.positive FROM chat_rating r WHERE r.conversation_id = conversation.id);
UPDATE conversation SET first_assigned_at = COALESCE(first_reply_at, queued_at)
  WHERE assignee_id IS NOT NULL;
-- Covering: a report reads the index alone, in creation order, never the wide rows.
CREATE INDEX conversation_report ON conversation (workspace_id, created_at, id, inbox_id, kind,
  team_id, assignee_id, first_assigned_at, first_reply_at, closed_at, reply_ms, replies,
  customer_messages, bot_state, rated_positive, merged_into);
)sql"},
     // 29: scripts (P2): per situation and language, variants as JSON
     // [{id, text, retired}]; agents' proposals a supervisor approves; which
     // variant was used in which conversation (its effect: reports/).
     {29, R"sql(
CREATE TABLE script (
  id INTEGER PRIMARY KEY,
  workspace_id INTEGER NOT NULL REFERENCES workspace(id) ON DELETE CASCADE,
  situation TEXT NOT NULL,
  language TEXT NOT NULL DEFAULT '',
  title TEXT NOT NULL,
  variants TEXT NOT NULL,
  created_by INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX script_by_situation ON script (workspace_id, situation, language);
CREATE TABLE script_proposal (
  id INTEGER PRIMARY KEY,
  workspace_id INTEGER NOT NULL REFERENCES workspace(id) ON DELETE CASCADE,
  script_id INTEGER REFERENCES script(id) ON DELETE CASCADE,
  situation TEXT NOT NULL,
  language TEXT NOT NULL DEFAULT '',
  title TEXT NOT NULL,
  variants TEXT NOT NULL,
  note TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL,
  proposed_by INTEGER NOT NULL,
  reviewed_by INTEGER,
  review_note TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  reviewed_at INTEGER
);
CREATE INDEX script_proposal_by_status ON script_proposal (workspace_id, status, created_at);
CREATE TABLE script_use (
  conversation_id INTEGER NOT NULL REFERENCES conversation(id) ON DELETE CASCADE,
  script_id INTEGER NOT NULL REFERENCES script(id) ON DELETE CASCADE,
  variant INTEGER NOT NULL,
  agent_id INTEGER NOT NULL,
  used_at INTEGER NOT NULL,
  PRIMARY KEY (conversation_id, script_id)
);
CREATE INDEX script_use_by_script ON script_use (script_id, variant);
)sql",
      R"sql(
CREATE TABLE script (
  id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  workspace_id BIGINT NOT NULL REFERENCES workspace(id) ON DELETE CASCADE,
  situation TEXT NOT NULL,
  language TEXT NOT NULL DEFAULT '',
  title TEXT NOT NULL,
  variants TEXT NOT NULL,
  created_by BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX script_by_situation ON script (workspace_id, situation, language);
CREATE TABLE script_proposal (
  id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  workspace_id BIGINT NOT NULL REFERENCES workspace(id) ON DELETE CASCADE,
  script_id BIGINT REFERENCES script(id) ON DELETE CASCADE,
  situation TEXT NOT NULL,
  language TEXT NOT NULL DEFAULT '',
  title TEXT NOT NULL,
  variants TEXT NOT NULL,
  note TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL,
  proposed_by BIGINT NOT NULL,
  reviewed_by BIGINT,
  review_note TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  reviewed_at BIGINT
);
CREATE INDEX script_proposal_by_status ON script_proposal (workspace_id, status, created_at);
CREATE TABLE script_use (
  conversation_id BIGINT NOT NULL REFERENCES conversation(id) ON DELETE CASCADE,
  script_id BIGINT NOT NULL REFERENCES script(id) ON DELETE CASCADE,
  variant BIGINT NOT NULL,
  agent_id BIGINT NOT NULL,
  used_at BIGINT NOT NULL,
  PRIMARY KEY (conversation_id, script_id)
);
CREATE INDEX script_use_by_script ON script_use (script_id, variant);
)sql"},
     // 30: NPS and custom surveys (Q2): the questions (JSON), the links sent to
     // contacts (the token's hash only), one response per link (answers as
     // JSON; the NPS question's 0-10 beside them for the report).
     {30, R"sql(
CREATE TABLE survey (
  id INTEGER PRIMARY KEY,
  workspace_id INTEGER NOT NULL REFERENCES workspace(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  status TEXT NOT NULL,
  questions TEXT NOT NULL,
  created_by INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX survey_by_workspace ON survey (workspace_id);
CREATE TABLE survey_link (
  token_hash TEXT PRIMARY KEY,
  workspace_id INTEGER NOT NULL REFERENCES workspace(id) ON DELETE CASCADE,
  survey_id INTEGER NOT NULL REFERENCES survey(id) ON DELETE CASCADE,
  contact_id INTEGER,
  conversation_id INTEGER,
  channel TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  answered_at INTEGER
);
CREATE INDEX survey_link_by_survey ON survey_link (survey_id);
CREATE INDEX survey_link_by_conversation ON survey_link (conversation_id);
CREATE TABLE survey_response (
  id INTEGER PRIMARY KEY,
  workspace_id INTEGER NOT NULL REFERENCES workspace(id) ON DELETE CASCADE,
  survey_id INTEGER NOT NULL REFERENCES survey(id) ON DELETE CASCADE,
  contact_id INTEGER,
  conversation_id INTEGER,
  channel TEXT NOT NULL,
  answers TEXT NOT NULL,
  nps INTEGER,
  created_at INTEGER NOT NULL
);
CREATE INDEX survey_response_by_time ON survey_response (survey_id, created_at);
)sql",
      R"sql(
CREATE TABLE survey (
  id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  workspace_id BIGINT NOT NULL REFERENCES workspace(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  status TEXT NOT NULL,
  questions TEXT NOT NULL,
  created_by BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX survey_by_workspace ON survey (workspace_id);
CREATE TABLE survey_link (
  token_hash TEXT PRIMARY KEY,
  workspace_id BIGINT NOT NULL REFERENCES workspace(id) ON DELETE CASCADE,
  survey_id BIGINT NOT NULL REFERENCES survey(id) ON DELETE CASCADE,
  contact_id BIGINT,
  conversation_id BIGINT,
  channel TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  answered_at BIGINT
);
CREATE INDEX survey_link_by_survey ON survey_link (survey_id);
CREATE INDEX survey_link_by_conversation ON survey_link (conversation_id);
CREATE TABLE survey_response (
  id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  workspace_id BIGINT NOT NULL REFERENCES workspace(id) ON DELETE CASCADE,
  survey_id BIGINT NOT NULL REFERENCES survey(id) ON DELETE CASCADE,
  contact_id BIGINT,
  conversation_id BIGINT,
  channel TEXT NOT NULL,
  answers TEXT NOT NULL,
  nps BIGINT,
  created_at BIGINT NOT NULL
);
CREATE INDEX survey_response_by_time ON survey_response (survey_id, created_at);
)sql"},
     // 31: outcomes of the quality tools (Q3 "coach and script effect"): which
     // canned answer variant was used in which conversation, and per
     // conversation how many coach flags were shown and taken. Surveys in the
     // customer's language (translations of the name and questions), and how
     // recently a contact was asked (the widget's NPS asks each one rarely).
     // The customer's "did this help?" on a bot answer.
     {31, R"sql(
CREATE TABLE canned_conversation_use (
  conversation_id INTEGER NOT NULL REFERENCES conversation(id) ON DELETE CASCADE,
  answer_id INTEGER NOT NULL REFERENCES canned_answer(id) ON DELETE CASCADE,
  variant INTEGER NOT NULL,
  agent_id INTEGER NOT NULL,
  used_at INTEGER NOT NULL,
  PRIMARY KEY (conversation_id, answer_id)
);
CREATE INDEX canned_conversation_use_by_answer ON canned_conversation_use (answer_id, variant);
CREATE TABLE coach_conversation (
  conversation_id INTEGER PRIMARY KEY REFERENCES conversation(id) ON DELETE CASCADE,
  workspace_id INTEGER NOT NULL REFERENCES workspace(id) ON DELETE CASCADE,
  shown INTEGER NOT NULL DEFAULT 0,
  accepted INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL
);
CREATE INDEX coach_conversation_by_time ON coach_conversation (workspace_id, created_at);
ALTER TABLE survey ADD COLUMN translations TEXT NOT NULL DEFAULT '{}';
CREATE INDEX survey_link_by_contact ON survey_link (survey_id, contact_id, created_at);
ALTER TABLE bot_question ADD COLUMN helpful INTEGER;
)sql",
      R"sql(
CREATE TABLE canned_conversation_use (
  conversation_id BIGINT NOT NULL REFERENCES conversation(id) ON DELETE CASCADE,
  answer_id BIGINT NOT NULL REFERENCES canned_answer(id) ON DELETE CASCADE,
  variant BIGINT NOT NULL,
  agent_id BIGINT NOT NULL,
  used_at BIGINT NOT NULL,
  PRIMARY KEY (conversation_id, answer_id)
);
CREATE INDEX canned_conversation_use_by_answer ON canned_conversation_use (answer_id, variant);
CREATE TABLE coach_conversation (
  conversation_id BIGINT PRIMARY KEY REFERENCES conversation(id) ON DELETE CASCADE,
  workspace_id BIGINT NOT NULL REFERENCES workspace(id) ON DELETE CASCADE,
  shown BIGINT NOT NULL DEFAULT 0,
  accepted BIGINT NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL
);
CREATE INDEX coach_conversation_by_time ON coach_conversation (workspace_id, created_at);
ALTER TABLE survey ADD COLUMN translations TEXT NOT NULL DEFAULT '{}';
CREATE INDEX survey_link_by_contact ON survey_link (survey_id, contact_id, created_at);
ALTER TABLE bot_question ADD COLUMN helpful BIGINT;
)sql"}}};

}  // namespace

std::span<const sql::Migration> schema_steps() {
  return kSteps;
}

void migrate(Connection& db, std::size_t through) {
  auto steps = schema_steps();
  steps = steps.first(std::min(through, steps.size()));
  auto c = sql::borrow_sqlite(db.get());
  try {
    sql::migrate(*c, steps, system_now());
  } catch (const sql::Error& e) {
    throw StoreError(StoreError::Code::kInternal, e.what());
  }
}

}  // namespace sb::sqlite

namespace sb {

SchemaVersions migrate_postgres(const std::string& url) {
  // sql::connect would take anything else for an SQLite file name and create it.
  if (!sql::is_postgres_url(url))
    throw std::invalid_argument("not a postgresql:// or postgres:// URL");
  auto steps = sqlite::schema_steps();
  auto c = sql::connect(url);
  return {sql::migrate(*c, steps, system_now()), steps.back().version};
}

int latest_schema_version() {
  return sqlite::schema_steps().back().version;
}

int postgres_schema_version(const std::string& url) {
  if (!sql::is_postgres_url(url))
    throw std::invalid_argument("not a postgresql:// or postgres:// URL");
  return sql::schema_version(*sql::connect(url));
}

}  // namespace sb
