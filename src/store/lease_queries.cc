#include "store/lease_queries.h"

namespace sb::sqlite::lease_queries {

std::optional<std::int64_t> take(Connection& db, Id ws, const std::string& holder, Millis now,
                                 Millis ttl) {
  Statement make(db,
                 "INSERT INTO routing_lease (workspace_id, holder, token, expires_at) "
                 "VALUES (?, '', 0, 0) ON CONFLICT (workspace_id) DO NOTHING");
  make.bind(1, ws).run();
  Statement renew(db,
                  "UPDATE routing_lease SET expires_at = ? "
                  "WHERE workspace_id = ? AND holder = ? AND expires_at > ?");
  renew.bind(1, now + ttl).bind(2, ws).bind(3, holder).bind(4, now).run();
  if (db.changes() == 0) {
    Statement over(db,
                   "UPDATE routing_lease SET holder = ?, token = token + 1, expires_at = ? "
                   "WHERE workspace_id = ? AND expires_at <= ?");
    over.bind(1, holder).bind(2, now + ttl).bind(3, ws).bind(4, now).run();
  }
  Statement q(db, "SELECT holder, token FROM routing_lease WHERE workspace_id = ?");
  q.bind(1, ws);
  if (!q.step() || q.text(0) != holder) return std::nullopt;
  return q.int64(1);
}

void release(Connection& db, Id ws, const std::string& holder) {
  Statement q(db, "UPDATE routing_lease SET expires_at = 0 WHERE workspace_id = ? AND holder = ?");
  q.bind(1, ws).bind(2, holder).run();
}

bool fence_holds(Connection& db, Id ws, std::int64_t token) {
  Statement q(db, "UPDATE routing_lease SET token = token WHERE workspace_id = ? AND token = ?");
  q.bind(1, ws).bind(2, token).run();
  return db.changes() == 1;
}

}  // namespace sb::sqlite::lease_queries
