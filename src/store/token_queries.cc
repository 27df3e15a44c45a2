#include "store/token_queries.h"

namespace sb::sqlite::token_queries {
namespace {

namespace json = boost::json;

constexpr std::string_view kColumns =
    "t.id, t.workspace_id, t.agent_id, t.name, t.prefix, t.scopes, t.created_at, t.expires_at, "
    "t.last_used_at, t.last_used_ip, a.name";

ApiToken read_token(const Statement& q) {
  ApiToken t;
  t.id = q.int64(0);
  t.workspace_id = q.int64(1);
  t.agent_id = q.int64(2);
  t.name = q.text(3);
  t.prefix = q.text(4);
  t.scopes = parse_strings(q.text(5));
  t.created_at = q.int64(6);
  if (!q.is_null(7)) t.expires_at = q.int64(7);
  if (!q.is_null(8)) t.last_used_at = q.int64(8);
  t.last_used_ip = q.text(9);
  t.agent_name = q.text(10);
  return t;
}

std::string select(std::string_view where) {
  return "SELECT " + std::string(kColumns) +
         " FROM api_token t JOIN agent a ON a.id = t.agent_id " + std::string(where);
}

}  // namespace

ApiToken create(Connection& db, const ApiToken& t, const std::string& hash, Millis now) {
  Statement q(db,
              "INSERT INTO api_token (workspace_id, agent_id, name, token_hash, prefix, scopes, "
              "created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  q.bind(1, t.workspace_id)
      .bind(2, t.agent_id)
      .bind(3, t.name)
      .bind(4, hash)
      .bind(5, t.prefix)
      .bind(6, serialize_strings(t.scopes))
      .bind(7, now)
      .bind(8, t.expires_at)
      .run();
  Statement back(db, select("WHERE t.id = ?"));
  back.bind(1, db.last_insert_id()).step();
  return read_token(back);
}

std::optional<ApiToken> find(Connection& db, const std::string& hash, Millis now) {
  Statement q(db, select("WHERE t.token_hash = ? AND (t.expires_at IS NULL OR t.expires_at > ?)"));
  q.bind(1, hash).bind(2, now);
  if (!q.step()) return std::nullopt;
  return read_token(q);
}

std::vector<ApiToken> list(Connection& db, Id ws, std::optional<Id> agent) {
  Statement q(db, select("WHERE t.workspace_id = ? AND (? IS NULL OR t.agent_id = ?) "
                         "ORDER BY t.id DESC LIMIT 500"));
  q.bind(1, ws).bind(2, agent).bind(3, agent);
  std::vector<ApiToken> out;
  while (q.step()) out.push_back(read_token(q));
  return out;
}

bool remove(Connection& db, Id ws, Id id, std::optional<Id> agent) {
  Statement q(db,
              "DELETE FROM api_token WHERE workspace_id = ? AND id = ? AND (? IS NULL OR "
              "agent_id = ?)");
  q.bind(1, ws).bind(2, id).bind(3, agent).bind(4, agent).run();
  return db.changes() == 1;
}

void touch(Connection& db, Id id, Millis at, const std::string& ip) {
  Statement q(db, "UPDATE api_token SET last_used_at = ?, last_used_ip = ? WHERE id = ?");
  q.bind(1, at).bind(2, ip).bind(3, id).run();
}

}  // namespace sb::sqlite::token_queries
