// AccessStore: sessions, login notices, personal API tokens, the audit log.
#include "store/audit_queries.h"
#include "store/sqlite_store.h"
#include "store/token_queries.h"

namespace sb::sqlite {

namespace {

AgentSession read_session(const sql::Statement& q) {
  constexpr const auto& c = kSessionColumns;
  AgentSession s{q.int64(c["agent_id"]),   q.int64(c["workspace_id"]), q.text(c["csrf_token"]),
                 q.int64(c["expires_at"]), q.int64(c["created_at"]),   q.text(c["ip"]),
                 q.text(c["user_agent"]),  q.text(c["token_hash"])};
  s.restricted = q.int64(c["restricted"]) != 0;
  return s;
}

const std::string& select_sessions() {
  static const std::string s = "SELECT " + kSessionColumns.list() + " FROM agent_session ";
  return s;
}

}  // namespace

void SqlStore::create_session(const std::string& token_hash, const AgentSession& s) {
  write([&](sql::Connection& db) {
    sql::Statement del(db, "DELETE FROM agent_session WHERE expires_at < ?");
    del.bind(1, clock_()).run();
    sql::Statement q(db,
                     "INSERT INTO agent_session (token_hash, agent_id, workspace_id, csrf_token, "
                     "expires_at, created_at, ip, user_agent, restricted) "
                     "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    q.bind(1, token_hash)
        .bind(2, s.agent_id)
        .bind(3, s.workspace_id)
        .bind(4, s.csrf_token)
        .bind(5, s.expires_at)
        .bind(6, s.created_at)
        .bind(7, s.ip)
        .bind(8, s.user_agent)
        .bind(9, s.restricted ? 1 : 0)
        .run();
    return 0;
  });
}

std::optional<AgentSession> SqlStore::find_session(const std::string& token_hash, Millis now) {
  return read([&](sql::Connection& db) -> std::optional<AgentSession> {
    sql::Statement q(db, select_sessions() + "WHERE token_hash = ? AND expires_at > ?");
    if (!q.bind(1, token_hash).bind(2, now).step()) return std::nullopt;
    return read_session(q);
  });
}

void SqlStore::delete_session(const std::string& token_hash) {
  write([&](sql::Connection& db) {
    sql::Statement q(db, "DELETE FROM agent_session WHERE token_hash = ?");
    q.bind(1, token_hash).run();
    return 0;
  });
}

std::vector<AgentSession> SqlStore::list_sessions(Id ws, Id agent, Millis now) {
  return read([&](sql::Connection& db) {
    return read_rows(
        db,
        select_sessions() +
            "WHERE workspace_id = ? AND agent_id = ? AND expires_at > ? ORDER BY created_at DESC",
        [&](sql::Statement& q) { q.bind(1, ws).bind(2, agent).bind(3, now); }, read_session);
  });
}

int SqlStore::delete_agent_sessions(Id ws, Id agent, const std::string& keep) {
  return write([&](sql::Connection& db) {
    sql::Statement q(db,
                     "DELETE FROM agent_session WHERE workspace_id = ? AND agent_id = ? AND "
                     "token_hash != ?");
    q.bind(1, ws).bind(2, agent).bind(3, keep).run();
    return static_cast<int>(q.affected());
  });
}

void SqlStore::record_login_lockout(Id agent, int failures, Millis at, const std::string& ip) {
  write([&](sql::Connection& db) {
    sql::Statement q(
        db,
        "INSERT INTO login_notice VALUES (?1, ?2, ?3, ?3, ?4) ON CONFLICT(agent_id) DO "
        "UPDATE SET failures = login_notice.failures + ?2, last_at = ?3, last_ip = ?4");
    q.bind(1, agent).bind(2, static_cast<std::int64_t>(failures)).bind(3, at).bind(4, ip).run();
    return 0;
  });
}

std::optional<LoginNotice> SqlStore::take_login_notice(Id agent) {
  return write([&](sql::Connection& db) -> std::optional<LoginNotice> {
    sql::Statement q(db,
                     "DELETE FROM login_notice WHERE agent_id = ? "
                     "RETURNING failures, first_at, last_at, last_ip");
    q.bind(1, agent);
    if (!q.step()) return std::nullopt;
    return LoginNotice{static_cast<int>(q.int64(0)), q.int64(1), q.int64(2), q.text(3)};
  });
}

ApiToken SqlStore::create_api_token(const ApiToken& t, const std::string& hash) {
  return write([&](sql::Connection& db) { return token_queries::create(db, t, hash, clock_()); });
}

std::optional<ApiToken> SqlStore::find_api_token(const std::string& hash, Millis now) {
  return read([&](sql::Connection& db) { return token_queries::find(db, hash, now); });
}

std::vector<ApiToken> SqlStore::list_api_tokens(Id ws, std::optional<Id> agent) {
  return read([&](sql::Connection& db) { return token_queries::list(db, ws, agent); });
}

bool SqlStore::delete_api_token(Id ws, Id id, std::optional<Id> agent) {
  return write([&](sql::Connection& db) { return token_queries::remove(db, ws, id, agent); });
}

void SqlStore::touch_api_token(Id id, Millis at, const std::string& ip) {
  write([&](sql::Connection& db) {
    token_queries::touch(db, id, at, ip);
    return 0;
  });
}

void SqlStore::append_audit(const AuditEntry& e) {
  write([&](sql::Connection& db) {
    audit_queries::append(db, e, clock_());
    return 0;
  });
}

std::vector<AuditEntry> SqlStore::search_audit(Id ws, const AuditQuery& q) {
  return read([&](sql::Connection& db) { return audit_queries::search(db, ws, q); });
}

}  // namespace sb::sqlite
