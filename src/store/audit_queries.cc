#include "store/audit_queries.h"

#include <algorithm>

#include "store/rows.h"

namespace sb::sqlite::audit_queries {
namespace {

namespace json = boost::json;

std::optional<std::string> state_text(const json::value& v) {
  if (v.is_null()) return std::nullopt;
  return json::serialize(v);
}

json::value state_of(const sql::Statement& q, int col) {
  if (q.is_null(col)) return nullptr;
  return parse_or(q.text(col), json::value(nullptr));
}

AuditEntry read_entry(const sql::Statement& q) {
  constexpr const auto& c = kAuditColumns;
  AuditEntry e;
  e.id = q.int64(c["id"]);
  e.workspace_id = q.int64(c["workspace_id"]);
  e.at = q.int64(c["at"]);
  e.actor_type = q.text(c["actor_type"]);
  e.actor_id = q.int64(c["actor_id"]);
  e.actor_name = q.text(c["actor_name"]);
  e.ip = q.text(c["ip"]);
  e.action = q.text(c["action"]);
  e.target_type = q.text(c["target_type"]);
  e.target_id = q.text(c["target_id"]);
  e.before = state_of(q, c["before"]);
  e.after = state_of(q, c["after"]);
  return e;
}

// LIKE with the caller's % and _ taken literally.
std::string like_pattern(std::string_view text) {
  std::string out = "%";
  for (char c : text) {
    if (c == '%' || c == '_' || c == '\\') out += '\\';
    out += c;
  }
  return out + "%";
}

}  // namespace

void append(sql::Connection& db, const AuditEntry& e, Millis now) {
  sql::Statement q(db,
                   "INSERT INTO audit_log (workspace_id, at, actor_type, actor_id, actor_name, ip, "
                   "action, target_type, target_id, before, after) "
                   "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  q.bind(1, e.workspace_id)
      .bind(2, e.at ? e.at : now)
      .bind(3, e.actor_type)
      .bind(4, e.actor_id)
      .bind(5, e.actor_name)
      .bind(6, e.ip)
      .bind(7, e.action)
      .bind(8, e.target_type)
      .bind(9, e.target_id)
      .bind(10, state_text(e.before))
      .bind(11, state_text(e.after))
      .run();
}

std::vector<AuditEntry> search(sql::Connection& db, Id ws, const AuditQuery& f) {
  bool prefix = !f.action.empty() && f.action.back() == '.';
  sql::Statement q(db,
                   "SELECT " + kAuditColumns.list() +
                       " FROM audit_log "
                       "WHERE workspace_id = ?1 AND (?2 = '' OR action = ?2 OR (?3 AND "
                       "substr(action, 1, length(?2)) = ?2)) AND (?4 = 0 OR actor_id = ?4) "
                       "AND (?5 = 0 OR at >= ?5) AND (?6 = 0 OR at < ?6) AND (?7 = 0 OR id < ?7) "
                       "AND (?8 = '%%' OR lower(action) LIKE lower(?8) ESCAPE '\\' "
                       "OR lower(actor_name) LIKE lower(?8) ESCAPE '\\' OR lower(target_id) LIKE "
                       "lower(?8) ESCAPE '\\' "
                       "OR lower(ip) LIKE lower(?8) ESCAPE '\\' OR lower(CAST(before AS TEXT)) "
                       "LIKE lower(?8) ESCAPE '\\' "
                       "OR lower(CAST(after AS TEXT)) LIKE lower(?8) ESCAPE '\\') "
                       "ORDER BY id DESC LIMIT ?9");
  q.bind(1, ws)
      .bind(2, f.action)
      .bind(3, prefix)
      .bind(4, f.actor_id)
      .bind(5, f.from)
      .bind(6, f.to)
      .bind(7, f.before_id)
      .bind(8, like_pattern(f.text))
      .bind(9, std::clamp(f.limit, 1, 1000));
  std::vector<AuditEntry> out;
  while (q.step()) out.push_back(read_entry(q));
  return out;
}

}  // namespace sb::sqlite::audit_queries
