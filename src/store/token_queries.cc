#include "store/token_queries.h"

#include "store/rows.h"

namespace sb::sqlite::token_queries {
namespace {

namespace json = boost::json;

ApiToken read_token(const sql::Statement& q) {
  constexpr const auto& c = kTokenColumns;
  ApiToken t;
  t.id = q.int64(c["id"]);
  t.workspace_id = q.int64(c["workspace_id"]);
  t.agent_id = q.int64(c["agent_id"]);
  t.name = q.text(c["name"]);
  t.prefix = q.text(c["prefix"]);
  t.scopes = parse_strings(q.text(c["scopes"]));
  t.created_at = q.int64(c["created_at"]);
  if (!q.is_null(c["expires_at"])) t.expires_at = q.int64(c["expires_at"]);
  if (!q.is_null(c["last_used_at"])) t.last_used_at = q.int64(c["last_used_at"]);
  t.last_used_ip = q.text(c["last_used_ip"]);
  t.agent_name = q.text(kTokenAgentColumns["name"]);
  return t;
}

std::string select(std::string_view where) {
  static const std::string head = "SELECT " + kTokenColumns.list("t") + ", " +
                                  kTokenAgentColumns.list("a") +
                                  " FROM api_token t JOIN agent a ON a.id = t.agent_id ";
  return head + std::string(where);
}

}  // namespace

ApiToken create(sql::Connection& db, const ApiToken& t, const std::string& hash, Millis now) {
  sql::Statement q(
      db,
      "INSERT INTO api_token (workspace_id, agent_id, name, token_hash, prefix, scopes, "
      "created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
  q.bind(1, t.workspace_id)
      .bind(2, t.agent_id)
      .bind(3, t.name)
      .bind(4, hash)
      .bind(5, t.prefix)
      .bind(6, serialize_strings(t.scopes))
      .bind(7, now)
      .bind(8, t.expires_at)
      .step();
  Id id = q.int64(0);
  q.run();
  sql::Statement back(db, select("WHERE t.id = ?"));
  back.bind(1, id).step();
  return read_token(back);
}

std::optional<ApiToken> find(sql::Connection& db, const std::string& hash, Millis now) {
  sql::Statement q(db,
                   select("WHERE t.token_hash = ? AND (t.expires_at IS NULL OR t.expires_at > ?)"));
  q.bind(1, hash).bind(2, now);
  if (!q.step()) return std::nullopt;
  return read_token(q);
}

std::vector<ApiToken> list(sql::Connection& db, Id ws, std::optional<Id> agent) {
  sql::Statement q(
      db, select("WHERE t.workspace_id = ? AND (CAST(? AS BIGINT) IS NULL OR t.agent_id = ?) "
                 "ORDER BY t.id DESC LIMIT 500"));
  q.bind(1, ws).bind(2, agent).bind(3, agent);
  std::vector<ApiToken> out;
  while (q.step()) out.push_back(read_token(q));
  return out;
}

bool remove(sql::Connection& db, Id ws, Id id, std::optional<Id> agent) {
  sql::Statement q(
      db,
      "DELETE FROM api_token WHERE workspace_id = ? AND id = ? AND (CAST(? AS BIGINT) IS NULL OR "
      "agent_id = ?)");
  q.bind(1, ws).bind(2, id).bind(3, agent).bind(4, agent).run();
  return q.affected() == 1;
}

void touch(sql::Connection& db, Id id, Millis at, const std::string& ip) {
  sql::Statement q(db, "UPDATE api_token SET last_used_at = ?, last_used_ip = ? WHERE id = ?");
  q.bind(1, at).bind(2, ip).bind(3, id).run();
}

}  // namespace sb::sqlite::token_queries
