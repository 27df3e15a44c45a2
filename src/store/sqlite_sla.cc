// SlaStore: SLA policies in order, the automation settings, the actions the SLA
// runner took (by key, so that none is taken twice, across restarts too), and what
// it watches per ticket for the "breaching soon" view.
#include "store/sqlite_store.h"

namespace sb::sqlite {

namespace {

SlaPolicyRow read_policy(const sql::Statement& q) {
  return {q.int64(0), q.int64(1), static_cast<int>(q.int64(2)), q.text(3), q.int64(4)};
}

constexpr const char* kSelectPolicies =
    "SELECT id, workspace_id, position, body, updated_at FROM sla_policy ";

std::vector<SlaPolicyRow> load_policies(sql::Connection& db, Id ws) {
  return read_rows(
      db, std::string(kSelectPolicies) + "WHERE workspace_id = ? ORDER BY position, id",
      [&](sql::Statement& q) { q.bind(1, ws); }, read_policy);
}

// Positions 0..n-1 in `order`.
void renumber(sql::Connection& db, const std::vector<Id>& order) {
  for (std::size_t i = 0; i < order.size(); ++i)
    sql::Statement(db, "UPDATE sla_policy SET position = ? WHERE id = ?")
        .bind(1, static_cast<std::int64_t>(i))
        .bind(2, order[i])
        .run();
}

void move_policy(sql::Connection& db, Id ws, Id id, int to) {
  std::vector<Id> order;
  for (const auto& p : load_policies(db, ws))
    if (p.id != id) order.push_back(p.id);
  auto at = std::clamp<std::size_t>(static_cast<std::size_t>(std::max(to, 0)), 0, order.size());
  order.insert(order.begin() + static_cast<std::ptrdiff_t>(at), id);
  renumber(db, order);
}

// The ticket workflow's closing statuses, as set_ticket_status writes them.
void close_ticket(sql::Connection& db, Id id, TicketStatus status, Millis now) {
  sql::Statement(db,
                 "UPDATE conversation SET ticket_status = ?1, status = 'closed', updated_at = ?2, "
                 "solved_at = COALESCE(solved_at, ?2), closed_at = ?2, version = version + 1 "
                 "WHERE id = ?3")
      .bind(1, to_string(status))
      .bind(2, now)
      .bind(3, id)
      .run();
}

constexpr const char* kSelectWatch =
    "SELECT workspace_id, conversation_id, basis_seq, at_risk_at, due_at FROM ticket_sla ";

TicketSlaWatch read_watch(const sql::Statement& q) {
  TicketSlaWatch w{q.int64(0), q.int64(1), q.int64(2), std::nullopt, std::nullopt};
  if (!q.is_null(3)) w.at_risk_at = q.int64(3);
  if (!q.is_null(4)) w.due_at = q.int64(4);
  return w;
}

}  // namespace

std::vector<SlaPolicyRow> SqlStore::sla_policies(Id ws) {
  return read([&](sql::Connection& db) { return load_policies(db, ws); });
}

SlaPolicyRow SqlStore::save_sla_policy(const SlaPolicyRow& p, std::optional<int> move_to) {
  return write([&](sql::Connection& db) {
    Millis now = clock_();
    Id id = p.id;
    if (id == 0) {
      sql::Statement ins(
          db,
          "INSERT INTO sla_policy (workspace_id, position, body, updated_at) VALUES (?1, "
          "(SELECT COUNT(*) FROM sla_policy WHERE workspace_id = ?1), ?2, ?3) RETURNING id");
      ins.bind(1, p.workspace_id).bind(2, p.body).bind(3, now).step();
      id = ins.int64(0);
      ins.run();
    } else {
      sql::Statement up(
          db, "UPDATE sla_policy SET body = ?, updated_at = ? WHERE id = ? AND workspace_id = ?");
      up.bind(1, p.body).bind(2, now).bind(3, id).bind(4, p.workspace_id).run();
      if (up.affected() == 0) throw StoreError(StoreError::Code::kNotFound, "policy not found");
    }
    if (move_to) move_policy(db, p.workspace_id, id, *move_to);
    sql::Statement q(db, std::string(kSelectPolicies) + "WHERE id = ?");
    q.bind(1, id);
    q.step();
    return read_policy(q);
  });
}

void SqlStore::delete_sla_policy(Id ws, Id id) {
  write([&](sql::Connection& db) {
    sql::Statement del(db, "DELETE FROM sla_policy WHERE id = ? AND workspace_id = ?");
    del.bind(1, id).bind(2, ws).run();
    if (del.affected() == 0) throw StoreError(StoreError::Code::kNotFound, "policy not found");
    std::vector<Id> order;
    for (const auto& p : load_policies(db, ws)) order.push_back(p.id);
    renumber(db, order);
    return 0;
  });
}

std::string SqlStore::sla_automation(Id ws) {
  return read([&](sql::Connection& db) {
    sql::Statement q(db, "SELECT automation FROM sla_settings WHERE workspace_id = ?");
    q.bind(1, ws);
    return q.step() ? q.text(0) : std::string();
  });
}

void SqlStore::set_sla_automation(Id ws, const std::string& json) {
  write([&](sql::Connection& db) {
    sql::Statement(db,
                   "INSERT INTO sla_settings (workspace_id, automation) VALUES (?, ?) "
                   "ON CONFLICT (workspace_id) DO UPDATE SET automation = excluded.automation")
        .bind(1, ws)
        .bind(2, json)
        .run();
    return 0;
  });
}

std::vector<Conversation> SqlStore::live_tickets(Id ws, int limit) {
  return read([&](sql::Connection& db) {
    return load_conversations(db,
                              "WHERE c.workspace_id = ? AND c.ticket_status IS NOT NULL AND "
                              "c.ticket_status IN ('new', 'open', "
                              "'pending_customer', 'on_hold', 'solved') "
                              "ORDER BY c.updated_at, c.id LIMIT ?",
                              [&](sql::Statement& q) { q.bind(1, ws).bind(2, limit); });
  });
}

std::vector<Conversation> SqlStore::tickets_created(Id ws, Millis from, Millis to, int limit) {
  return read([&](sql::Connection& db) {
    return load_conversations(
        db,
        "WHERE c.workspace_id = ? AND c.ticket_status IS NOT NULL AND "
        "c.created_at >= ? AND c.created_at < ? ORDER BY c.id LIMIT ?",
        [&](sql::Statement& q) { q.bind(1, ws).bind(2, from).bind(3, to).bind(4, limit); });
  });
}

std::vector<std::string> SqlStore::sla_keys(Id ws, Id conversation) {
  return read([&](sql::Connection& db) {
    return read_rows(
        db,
        "SELECT a.key FROM sla_action a JOIN conversation c ON c.id = a.conversation_id "
        "WHERE c.workspace_id = ? AND a.conversation_id = ? ORDER BY a.taken_at",
        [&](sql::Statement& q) { q.bind(1, ws).bind(2, conversation); },
        [](const sql::Statement& q) { return q.text(0); });
  });
}

std::optional<Conversation> SqlStore::take_sla_action(const SlaActionWrite& a) {
  return write([&](sql::Connection& db) -> std::optional<Conversation> {
    auto conv = load_conversation(db, a.workspace_id, a.conversation_id);
    if (!conv || !conv->ticket || conv->ticket->status == TicketStatus::kClosed)
      return std::nullopt;
    Millis now = clock_();
    sql::Statement take(db,
                        "INSERT INTO sla_action (conversation_id, key, taken_at) VALUES (?, ?, ?) "
                        "ON CONFLICT DO NOTHING");
    take.bind(1, a.conversation_id).bind(2, a.key).bind(3, now).run();
    if (take.affected() == 0) return std::nullopt;  // taken before
    if (a.priority)
      sql::Statement(
          db, "UPDATE conversation SET ticket_priority = ?, version = version + 1 WHERE id = ?")
          .bind(1, to_string(*a.priority))
          .bind(2, a.conversation_id)
          .run();
    if (a.unassign)
      sql::Statement(db,
                     "UPDATE conversation SET assignee_id = NULL, team_id = COALESCE(?, team_id), "
                     "queued_at = ?, version = version + 1 WHERE id = ?")
          .bind(1, a.team)
          .bind(2, now)
          .bind(3, a.conversation_id)
          .run();
    if (a.status) close_ticket(db, a.conversation_id, *a.status, now);
    auto e = system_event(a.workspace_id, a.conversation_id, a.notice);
    e.kind = a.event_kind;
    auto event = insert_event(db, e, now);
    auto updated = must_load_conversation(db, a.workspace_id, a.conversation_id);
    record({updated, event, false});
    return updated;
  });
}

std::optional<TicketSlaWatch> SqlStore::sla_watch(Id ws, Id conversation) {
  return read([&](sql::Connection& db) -> std::optional<TicketSlaWatch> {
    sql::Statement q(db,
                     std::string(kSelectWatch) + "WHERE conversation_id = ? AND workspace_id = ?");
    if (!q.bind(1, conversation).bind(2, ws).step()) return std::nullopt;
    return read_watch(q);
  });
}

void SqlStore::set_sla_watch(const TicketSlaWatch& w) {
  write([&](sql::Connection& db) {
    sql::Statement(
        db,
        "INSERT INTO ticket_sla (conversation_id, workspace_id, at_risk_at, due_at, "
        "basis_seq, computed_at) SELECT ?1, ?2, ?3, ?4, ?5, ?6 WHERE EXISTS (SELECT 1 "
        "FROM conversation WHERE id = ?1 AND workspace_id = ?2) "
        "ON CONFLICT (conversation_id) DO UPDATE SET at_risk_at = excluded.at_risk_at, "
        "due_at = excluded.due_at, basis_seq = excluded.basis_seq, "
        "computed_at = excluded.computed_at WHERE excluded.basis_seq >= ticket_sla.basis_seq")
        .bind(1, w.conversation_id)
        .bind(2, w.workspace_id)
        .bind(3, w.at_risk_at)
        .bind(4, w.due_at)
        .bind(5, w.basis_seq)
        .bind(6, clock_())
        .run();
    return 0;
  });
}

std::vector<TicketSlaWatch> SqlStore::sla_watches(Id ws, const std::vector<Id>& ids) {
  if (ids.empty()) return {};
  return read([&](sql::Connection& db) {
    return read_rows(
        db,
        std::string(kSelectWatch) + "WHERE conversation_id " + in_json_list(db, "?1") +
            " AND workspace_id = ?2 AND at_risk_at IS NOT NULL",
        [&](sql::Statement& q) {
          q.bind(1, boost::json::serialize(boost::json::value_from(ids))).bind(2, ws);
        },
        read_watch);
  });
}

}  // namespace sb::sqlite
