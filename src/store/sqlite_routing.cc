// RoutingStore: what routing reads and its conditional writes (claim, requeue).
// The SQL of loads and the claim's checks is in routing_queries.cc.
#include "store/lease_queries.h"
#include "store/routing_queries.h"
#include "store/sqlite_store.h"

namespace sb::sqlite {

namespace json = boost::json;

Agent SqlStore::set_agent_routing(Id ws, Id agent, const AgentRouting& routing) {
  return write([&](sql::Connection& db) {
    sql::Statement q(db, "UPDATE agent SET routing = ? WHERE workspace_id = ? AND id = ?");
    q.bind(1, json::serialize(routing.to_json())).bind(2, ws).bind(3, agent).run();
    if (q.affected() == 0) throw StoreError(StoreError::Code::kNotFound, "agent not found");
    return *load_agent(db, ws, agent);
  });
}

WorkspaceRouting SqlStore::workspace_routing(Id ws) {
  return read([&](sql::Connection& db) { return routing_queries::workspace_routing(db, ws); });
}

void SqlStore::set_workspace_routing(Id ws, const WorkspaceRouting& settings) {
  write([&](sql::Connection& db) {
    routing_queries::set_workspace_routing(db, ws, settings);
    return 0;
  });
}

int SqlStore::count_online_agents(Id ws) {
  return read([&](sql::Connection& db) {
    sql::Statement q(db, "SELECT COUNT(*) FROM agent WHERE workspace_id = ? AND status = 'online'");
    q.bind(1, ws);
    q.step();
    return static_cast<int>(q.int64(0));
  });
}

namespace {

Refused changed_meanwhile() {
  return {Refusal::kChangedMeanwhile, "conversation changed meanwhile"};
}

Refused fenced() {
  return {Refusal::kFenced, "the routing lease moved to another node"};
}

}  // namespace

Outcome<Conversation> SqlStore::claim(Id ws, Id id, Id agent, std::optional<Id> expected,
                                      const Author& by, const std::string& note,
                                      const Notice& notice, std::optional<std::int64_t> fence) {
  return write([&](sql::Connection& db) -> Outcome<Conversation> {
    if (fence && !lease_queries::fence_holds(db, ws, *fence)) return fenced();
    lock_row(db, "agent", ws, agent);  // claims for one agent take turns: capacity holds
    auto conv = must_load_conversation(db, ws, id);
    auto who = load_agent(db, ws, agent);
    if (!who) throw StoreError(StoreError::Code::kNotFound, "agent not found");
    if (auto refused = routing_queries::check_claim(db, conv, *who, expected)) return *refused;
    if (!update_assignment(db, conv, agent, conv.priority, conv.team_id, conv.queued_at))
      return changed_meanwhile();
    return finish_assignment(
        db, ws, id,
        notice.text.empty()
            ? Notice{who->name + " joined the conversation", "joined", {{"agent", who->name}}}
            : notice,
        note, by);
  });
}

Outcome<Conversation> SqlStore::requeue(Id ws, Id id, std::optional<Id> expected, int priority,
                                        std::optional<Id> team, const Notice& notice,
                                        std::optional<std::int64_t> fence) {
  return write([&](sql::Connection& db) -> Outcome<Conversation> {
    if (fence && !lease_queries::fence_holds(db, ws, *fence)) return fenced();
    auto conv = must_load_conversation(db, ws, id);
    if (conv.assignee_id != expected) return changed_meanwhile();
    if (conv.status != ConversationStatus::kOpen)
      return Refused{Refusal::kClosed, "conversation is closed"};
    if (!update_assignment(db, conv, std::nullopt, priority, team, conv.queued_at))
      return changed_meanwhile();
    auto event = insert_event(db, system_event(ws, id, notice), clock_());
    auto updated = must_load_conversation(db, ws, id);
    record({updated, event, false});
    return updated;
  });
}

std::vector<std::pair<Id, Capacity>> SqlStore::agent_loads(Id ws) {
  return read([&](sql::Connection& db) { return routing_queries::agent_loads(db, ws); });
}

std::vector<Conversation> SqlStore::open_for_routing(Id ws) {
  return read([&](sql::Connection& db) { return routing_queries::open_for_routing(db, ws); });
}

std::optional<std::int64_t> SqlStore::take_routing_lease(Id ws, const std::string& holder,
                                                         Millis ttl) {
  return write(
      [&](sql::Connection& db) { return lease_queries::take(db, ws, holder, clock_(), ttl); });
}

void SqlStore::release_routing_lease(Id ws, const std::string& holder) {
  write([&](sql::Connection& db) {
    lease_queries::release(db, ws, holder);
    return 0;
  });
}

// False when the conversation's version moved since `conv` was read.
bool SqlStore::update_assignment(sql::Connection& db, const Conversation& conv,
                                 std::optional<Id> agent, int priority, std::optional<Id> team,
                                 Millis queued_at) {
  sql::Statement q(
      db,
      "UPDATE conversation SET assignee_id = ?1, priority = ?2, team_id = ?3, queued_at = ?4, "
      "version = version + 1, updated_at = ?5, first_assigned_at = CASE WHEN ?8 THEN "
      "COALESCE(first_assigned_at, ?5) ELSE first_assigned_at END WHERE id = ?6 AND version = ?7");
  q.bind(1, agent).bind(2, priority).bind(3, team).bind(4, queued_at).bind(5, clock_());
  // Whether someone is assigned, as its own parameter: PostgreSQL cannot type a NULL ?1 twice.
  q.bind(6, conv.id).bind(7, conv.version).bind(8, agent.has_value()).run();
  return q.affected() == 1;
}

// The note (agents only, e.g. why it was transferred) comes before the
// notice, so the receiving agent reads it first.
Conversation SqlStore::finish_assignment(sql::Connection& db, Id ws, Id id, const Notice& notice,
                                         const std::string& note, const Author& by) {
  if (!note.empty()) {
    auto n = insert_event(db, {ws, id, "note", by, note, "", {}}, clock_());
    record({must_load_conversation(db, ws, id), n, false});
  }
  auto event = insert_event(db, system_event(ws, id, notice), clock_());
  auto updated = must_load_conversation(db, ws, id);
  record({updated, event, false});
  return updated;
}

}  // namespace sb::sqlite
