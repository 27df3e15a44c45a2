#include "store/lease_queries.h"

namespace sb::sqlite::lease_queries {

std::optional<std::int64_t> take(sql::Connection& db, Id ws, const std::string& holder, Millis now,
                                 Millis ttl) {
  sql::Statement make(db,
                      "INSERT INTO routing_lease (workspace_id, holder, token, expires_at) "
                      "VALUES (?, '', 0, 0) ON CONFLICT (workspace_id) DO NOTHING");
  make.bind(1, ws).run();
  sql::Statement renew(db,
                       "UPDATE routing_lease SET expires_at = ? "
                       "WHERE workspace_id = ? AND holder = ? AND expires_at > ?");
  renew.bind(1, now + ttl).bind(2, ws).bind(3, holder).bind(4, now).run();
  if (renew.affected() == 0) {
    sql::Statement over(db,
                        "UPDATE routing_lease SET holder = ?, token = token + 1, expires_at = ? "
                        "WHERE workspace_id = ? AND expires_at <= ?");
    over.bind(1, holder).bind(2, now + ttl).bind(3, ws).bind(4, now).run();
  }
  sql::Statement q(db, "SELECT holder, token FROM routing_lease WHERE workspace_id = ?");
  q.bind(1, ws);
  if (!q.step() || q.text(0) != holder) return std::nullopt;
  return q.int64(1);
}

void release(sql::Connection& db, Id ws, const std::string& holder) {
  sql::Statement q(db,
                   "UPDATE routing_lease SET expires_at = 0 WHERE workspace_id = ? AND holder = ?");
  q.bind(1, ws).bind(2, holder).run();
}

bool fence_holds(sql::Connection& db, Id ws, std::int64_t token) {
  sql::Statement q(db,
                   "UPDATE routing_lease SET token = token WHERE workspace_id = ? AND token = ?");
  q.bind(1, ws).bind(2, token).run();
  return q.affected() == 1;
}

}  // namespace sb::sqlite::lease_queries
