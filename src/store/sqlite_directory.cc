// DirectoryStore: workspaces, agents (with two-factor state) and inboxes.
#include "store/kb_queries.h"
#include "store/sqlite_store.h"

namespace sb::sqlite {

namespace json = boost::json;

namespace {

InboxMail read_inbox_mail(const sql::Statement& q) {
  constexpr auto& c = kInboxMailColumns;
  InboxMail m;
  m.inbox_id = q.int64(c["inbox_id"]);
  m.workspace_id = q.int64(c["workspace_id"]);
  m.enabled = q.int64(c["enabled"]) != 0;
  m.settings = q.text(c["settings"]);
  m.uidvalidity = static_cast<std::uint32_t>(q.int64(c["uidvalidity"]));
  m.last_uid = static_cast<std::uint32_t>(q.int64(c["last_uid"]));
  m.updated_at = q.int64(c["updated_at"]);
  return m;
}

const std::string& select_inbox_mail() {
  static const std::string s = "SELECT " + kInboxMailColumns.list() + " FROM inbox_mail ";
  return s;
}

[[noreturn]] void agent_not_found() {
  throw StoreError(StoreError::Code::kNotFound, "agent not found");
}

Id insert_workspace(sql::Connection& db, const std::string& name, Millis now) {
  std::string slug = kb_queries::unique_slug(db, name);
  sql::Statement q(db,
                   "INSERT INTO workspace (name, created_at, slug) VALUES (?, ?, ?) RETURNING id");
  q.bind(1, name).bind(2, now).bind(3, slug).step();
  return q.int64(0);
}

sql::Statement& bind_inbox(sql::Statement& q, const Inbox& i) {
  return q.bind(1, i.workspace_id)
      .bind(2, i.name)
      .bind(3, i.public_key)
      .bind(4, i.timezone)
      .bind(5, json::serialize(i.hours.to_json()))
      .bind(6, json::serialize(i.widget))
      .bind(7, json::serialize(i.prechat_fields))
      .bind(8, json::serialize(i.topics))
      .bind(9, json::serialize(i.routing.to_json()));
}

std::optional<Inbox> load_inbox_by_id(sql::Connection& db, Id id) {
  return load_inbox(db, "WHERE id = ?", [&](sql::Statement& s) { s.bind(1, id); });
}

}  // namespace

Id SqlStore::create_workspace(const std::string& name) {
  return write([&](sql::Connection& db) { return insert_workspace(db, name, clock_()); });
}

SqlStore::WorkspaceSetup SqlStore::create_workspace(const std::string& name, const Agent& admin,
                                                    const Inbox& inbox) {
  return write([&](sql::Connection& db) {
    Id ws = insert_workspace(db, name, clock_());
    Agent a = admin;
    a.workspace_id = ws;
    sql::Statement first(db, "SELECT count(*) FROM workspace");
    if (first.step() && first.int64(0) == 1) a.super_admin = true;
    auto first_admin = insert_agent(db, a);
    if (!first_admin)  // a new workspace has no agents: not an answer, a fault
      throw StoreError(StoreError::Code::kInternal, first_admin.refused().reason);
    Inbox i = inbox;
    i.workspace_id = ws;
    return WorkspaceSetup{ws, *first_admin, insert_inbox(db, i)};
  });
}

std::optional<Workspace> SqlStore::get_workspace(Id ws) {
  return read([&](sql::Connection& db) { return load_workspace(db, ws); });
}

std::vector<Workspace> SqlStore::list_workspaces() {
  return read([&](sql::Connection& db) {
    return read_rows(
        db, select_workspaces() + "ORDER BY id", [](sql::Statement&) {}, read_workspace);
  });
}

std::optional<Workspace> SqlStore::find_workspace_by_slug(const std::string& slug) {
  return read([&](sql::Connection& db) { return load_workspace_by_slug(db, slug); });
}

Outcome<Workspace> SqlStore::set_workspace_slug(Id ws, const std::string& slug) {
  return write([&](sql::Connection& db) -> Outcome<Workspace> {
    auto taken = load_workspace_by_slug(db, slug);
    if (taken && taken->id != ws) return Refused{Refusal::kSlugTaken, "this address is taken"};
    sql::Statement q(db, "UPDATE workspace SET slug = ? WHERE id = ?");
    q.bind(1, slug).bind(2, ws).run();
    if (q.affected() == 0) throw StoreError(StoreError::Code::kNotFound, "workspace not found");
    return *load_workspace(db, ws);
  });
}

Outcome<Agent> SqlStore::create_agent(const Agent& a) {
  return write([&](sql::Connection& db) { return insert_agent(db, a); });
}

Outcome<Agent> SqlStore::insert_agent(sql::Connection& db, const Agent& a) {
  sql::Statement taken(db,
                       "SELECT 1 FROM agent WHERE workspace_id = ? AND lower(email) = lower(?)");
  if (taken.bind(1, a.workspace_id).bind(2, a.email).step())
    return Refused{Refusal::kEmailTaken, "e-mail already in use"};
  sql::Statement q(db,
                   "INSERT INTO agent (workspace_id, name, email, password_hash, role, status, "
                   "avatar_color, created_at, scope, super_admin, title) "
                   "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
  q.bind(1, a.workspace_id)
      .bind(2, a.name)
      .bind(3, a.email)
      .bind(4, a.password_hash)
      .bind(5, a.role)
      .bind(6, to_string(a.status))
      .bind(7, a.avatar_color.empty() ? "#6366f1" : a.avatar_color)
      .bind(8, clock_())
      .bind(9, json::serialize(a.scope.to_json()))
      .bind(10, a.super_admin ? 1 : 0)
      .bind(11, a.title)
      .step();
  Id id = q.int64(0);
  q.run();
  return *load_agent(db, a.workspace_id, id);
}

Agent SqlStore::update_agent(const Agent& a) {
  return write([&](sql::Connection& db) {
    sql::Statement q(db,
                     "UPDATE agent SET name = ?, role = ?, password_hash = ?, deactivated_at = ?, "
                     "scope = ?, title = ? WHERE workspace_id = ? AND id = ?");
    q.bind(1, a.name)
        .bind(2, a.role)
        .bind(3, a.password_hash)
        .bind(4, a.deactivated_at)
        .bind(5, json::serialize(a.scope.to_json()))
        .bind(6, a.title)
        .bind(7, a.workspace_id)
        .bind(8, a.id)
        .run();
    if (q.affected() == 0) agent_not_found();
    return *load_agent(db, a.workspace_id, a.id);
  });
}

std::vector<Agent> SqlStore::find_agents_by_email(const std::string& email) {
  return read([&](sql::Connection& db) {
    return read_rows(
        db, select_agents() + "WHERE lower(email) = lower(?) ORDER BY id LIMIT 20",
        [&](sql::Statement& q) { q.bind(1, email); }, read_agent);
  });
}

std::optional<Agent> SqlStore::get_agent(Id ws, Id id) {
  return read([&](sql::Connection& db) { return load_agent(db, ws, id); });
}

std::vector<Agent> SqlStore::list_agents(Id ws) {
  return read([&](sql::Connection& db) {
    return read_rows(
        db, select_agents() + "WHERE workspace_id = ? ORDER BY name",
        [&](sql::Statement& q) { q.bind(1, ws); }, read_agent);
  });
}

Agent SqlStore::set_agent_status(Id ws, Id agent, AgentStatus status, std::optional<Id> custom) {
  return write([&](sql::Connection& db) {
    sql::Statement q(
        db,
        "UPDATE agent SET status_since = CASE WHEN status = ?1 AND "
        "custom_status_id IS NOT DISTINCT FROM ?2 THEN status_since ELSE ?3 END, status = ?1, "
        "custom_status_id = ?2 WHERE workspace_id = ?4 AND id = ?5");
    q.bind(1, to_string(status)).bind(2, custom).bind(3, clock_()).bind(4, ws).bind(5, agent);
    q.run();
    if (q.affected() == 0) agent_not_found();
    return *load_agent(db, ws, agent);
  });
}

void SqlStore::touch_agents(Id ws, const std::vector<Id>& agents) {
  if (agents.empty()) return;
  write([&](sql::Connection& db) {
    for (Id a : agents) {
      sql::Statement q(db, "UPDATE agent SET last_seen = ? WHERE workspace_id = ? AND id = ?");
      q.bind(1, clock_()).bind(2, ws).bind(3, a).run();
    }
    return 0;
  });
}

void SqlStore::set_two_factor(Id ws, Id agent, const TwoFactor& tf) {
  write([&](sql::Connection& db) {
    sql::Statement q(db,
                     "UPDATE agent SET totp_secret = ?, totp_pending = ?, totp_enabled_at = ?, "
                     "totp_last_step = ?, recovery_codes = ? WHERE workspace_id = ? AND id = ?");
    q.bind(1, tf.secret_hex)
        .bind(2, tf.pending_hex)
        .bind(3, tf.enabled_at)
        .bind(4, tf.last_step)
        .bind(5, serialize_strings(tf.recovery_hashes))
        .bind(6, ws)
        .bind(7, agent)
        .run();
    if (q.affected() == 0) agent_not_found();
    return 0;
  });
}

bool SqlStore::use_totp_step(Id ws, Id agent, std::int64_t step) {
  return write([&](sql::Connection& db) {
    sql::Statement q(db,
                     "UPDATE agent SET totp_last_step = ?1 WHERE workspace_id = ?2 AND id = ?3 "
                     "AND totp_last_step < ?1");
    q.bind(1, step).bind(2, ws).bind(3, agent).run();
    return q.affected() == 1;
  });
}

bool SqlStore::use_recovery_code(Id ws, Id agent, const std::string& hash) {
  return write([&](sql::Connection& db) {
    sql::Statement q(
        db, db.pick("UPDATE agent SET recovery_codes = (SELECT json_group_array(value) FROM "
                    "json_each(recovery_codes) WHERE value != ?1) WHERE workspace_id = ?2 AND "
                    "id = ?3 AND EXISTS (SELECT 1 FROM json_each(recovery_codes) WHERE value = ?1)",
                    "UPDATE agent SET recovery_codes = recovery_codes - ?1 WHERE workspace_id = "
                    "?2 AND id = ?3 AND jsonb_exists(recovery_codes, ?1)"));
    q.bind(1, hash).bind(2, ws).bind(3, agent).run();
    return q.affected() == 1;
  });
}

void SqlStore::set_require_2fa(Id ws, bool required) {
  write([&](sql::Connection& db) {
    sql::Statement q(db, "UPDATE workspace SET require_2fa = ? WHERE id = ?");
    q.bind(1, required ? 1 : 0).bind(2, ws).run();
    if (required) {
      sql::Statement r(
          db,
          "UPDATE agent_session SET restricted = 1 WHERE workspace_id = ?1 AND agent_id "
          "IN (SELECT id FROM agent WHERE workspace_id = ?1 AND totp_enabled_at IS NULL)");
      r.bind(1, ws).run();
    }
    return 0;
  });
}

void SqlStore::unrestrict_session(const std::string& token_hash) {
  write([&](sql::Connection& db) {
    sql::Statement q(db, "UPDATE agent_session SET restricted = 0 WHERE token_hash = ?");
    q.bind(1, token_hash).run();
    return 0;
  });
}

Inbox SqlStore::create_inbox(const Inbox& i) {
  return write([&](sql::Connection& db) { return insert_inbox(db, i); });
}

Inbox SqlStore::insert_inbox(sql::Connection& db, const Inbox& i) {
  sql::Statement q(db,
                   "INSERT INTO inbox (workspace_id, name, public_key, timezone, business_hours, "
                   "widget, prechat_fields, topics, routing, created_at) "
                   "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
  bind_inbox(q, i).bind(10, clock_()).step();
  Id id = q.int64(0);
  q.run();
  return *load_inbox_by_id(db, id);
}

Inbox SqlStore::update_inbox(const Inbox& i) {
  return write([&](sql::Connection& db) {
    sql::Statement q(db,
                     "UPDATE inbox SET workspace_id = ?, name = ?, public_key = ?, timezone = ?, "
                     "business_hours = ?, widget = ?, prechat_fields = ?, topics = ?, routing = ? "
                     "WHERE workspace_id = ?1 AND id = ?10");
    bind_inbox(q, i).bind(10, i.id).run();
    if (q.affected() == 0) throw StoreError(StoreError::Code::kNotFound, "inbox not found");
    return *load_inbox_by_id(db, i.id);
  });
}

std::optional<Inbox> SqlStore::get_inbox(Id ws, Id id) {
  return read([&](sql::Connection& db) {
    return load_inbox(db, "WHERE workspace_id = ? AND id = ?",
                      [&](sql::Statement& s) { s.bind(1, ws).bind(2, id); });
  });
}

std::optional<Inbox> SqlStore::find_inbox_by_key(const std::string& key) {
  return read([&](sql::Connection& db) {
    return load_inbox(db, "WHERE public_key = ?", [&](sql::Statement& s) { s.bind(1, key); });
  });
}

std::vector<Inbox> SqlStore::list_inboxes(Id ws) {
  return read([&](sql::Connection& db) {
    return read_rows(
        db, select_inboxes() + "WHERE workspace_id = ? ORDER BY id",
        [&](sql::Statement& q) { q.bind(1, ws); }, read_inbox);
  });
}

std::optional<InboxMail> SqlStore::get_inbox_mail(Id ws, Id inbox) {
  return read([&](sql::Connection& db) -> std::optional<InboxMail> {
    auto rows = read_rows(
        db, select_inbox_mail() + "WHERE workspace_id = ? AND inbox_id = ?",
        [&](sql::Statement& q) { q.bind(1, ws).bind(2, inbox); }, read_inbox_mail);
    if (rows.empty()) return std::nullopt;
    return rows.front();
  });
}

std::vector<InboxMail> SqlStore::list_inbox_mail() {
  return read([&](sql::Connection& db) {
    return read_rows(
        db, select_inbox_mail() + "ORDER BY inbox_id", [](sql::Statement&) {}, read_inbox_mail);
  });
}

InboxMail SqlStore::save_inbox_mail(const InboxMail& m) {
  return write([&](sql::Connection& db) {
    sql::Statement owner(db, "SELECT 1 FROM inbox WHERE workspace_id = ? AND id = ?");
    owner.bind(1, m.workspace_id).bind(2, m.inbox_id);
    if (!owner.step()) throw StoreError(StoreError::Code::kNotFound, "inbox not found");
    sql::Statement q(
        db,
        "INSERT INTO inbox_mail (inbox_id, workspace_id, enabled, settings, uidvalidity, "
        "last_uid, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (inbox_id) DO "
        "UPDATE SET enabled = excluded.enabled, settings = excluded.settings, "
        "uidvalidity = excluded.uidvalidity, last_uid = excluded.last_uid, "
        "updated_at = excluded.updated_at");
    q.bind(1, m.inbox_id)
        .bind(2, m.workspace_id)
        .bind(3, m.enabled ? 1 : 0)
        .bind(4, m.settings)
        .bind(5, static_cast<std::int64_t>(m.uidvalidity))
        .bind(6, static_cast<std::int64_t>(m.last_uid))
        .bind(7, clock_())
        .run();
    auto rows = read_rows(
        db, select_inbox_mail() + "WHERE inbox_id = ?",
        [&](sql::Statement& s) { s.bind(1, m.inbox_id); }, read_inbox_mail);
    return rows.front();
  });
}

void SqlStore::set_inbox_mail_fetched(Id ws, Id inbox, std::uint32_t uidvalidity,
                                      std::uint32_t last_uid) {
  write([&](sql::Connection& db) {
    sql::Statement q(db,
                     "UPDATE inbox_mail SET uidvalidity = ?, last_uid = ? "
                     "WHERE workspace_id = ? AND inbox_id = ?");
    q.bind(1, static_cast<std::int64_t>(uidvalidity))
        .bind(2, static_cast<std::int64_t>(last_uid))
        .bind(3, ws)
        .bind(4, inbox)
        .run();
    return 0;
  });
}

}  // namespace sb::sqlite
