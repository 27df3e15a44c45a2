#include "store/routing_queries.h"

#include "store/rows.h"

namespace sb::sqlite::routing_queries {

namespace json = boost::json;

WorkspaceRouting workspace_routing(sql::Connection& db, Id ws) {
  sql::Statement q(db, "SELECT settings FROM workspace_routing WHERE workspace_id = ?");
  q.bind(1, ws);
  if (!q.step()) return {};
  return WorkspaceRouting::from_json(parse_or(q.text(0), json::object{}), nullptr)
      .value_or(WorkspaceRouting{});
}

void set_workspace_routing(sql::Connection& db, Id ws, const WorkspaceRouting& settings) {
  sql::Statement q(db,
                   "INSERT INTO workspace_routing (workspace_id, settings) VALUES (?, ?) "
                   "ON CONFLICT (workspace_id) DO UPDATE SET settings = excluded.settings");
  q.bind(1, ws).bind(2, json::serialize(settings.to_json())).run();
}

std::vector<std::pair<Id, Capacity>> agent_loads(sql::Connection& db, Id ws) {
  sql::Statement q(
      db,
      "SELECT assignee_id, kind, COUNT(*) FROM conversation WHERE workspace_id = ? AND "
      "status = 'open' AND assignee_id IS NOT NULL GROUP BY assignee_id, kind "
      "ORDER BY assignee_id");
  q.bind(1, ws);
  std::vector<std::pair<Id, Capacity>> out;
  while (q.step()) {
    Id agent = q.int64(0);
    if (out.empty() || out.back().first != agent) out.push_back({agent, Capacity{}});
    auto kind = parse_conversation_kind(q.text(1)).value_or(ConversationKind::kChat);
    out.back().second[channel_index(kind)] += static_cast<int>(q.int64(2));
  }
  return out;
}

// Runs inside every claim's write transaction: only this agent's rows (the
// conversation_by_assignee index), not the whole workspace's.
int load_on(sql::Connection& db, Id ws, Id agent, ConversationKind kind) {
  sql::Statement q(
      db,
      "SELECT kind, COUNT(*) FROM conversation WHERE workspace_id = ? AND assignee_id = ? "
      "AND status = 'open' GROUP BY kind");
  q.bind(1, ws).bind(2, agent);
  int n = 0;
  while (q.step())
    if (channel_index(parse_conversation_kind(q.text(0)).value_or(ConversationKind::kChat)) ==
        channel_index(kind))
      n += static_cast<int>(q.int64(1));
  return n;
}

std::optional<Refused> check_claim(sql::Connection& db, const Conversation& conv,
                                   const Agent& agent, std::optional<Id> expected_assignee) {
  if (conv.status != ConversationStatus::kOpen)
    return Refused{Refusal::kClosed, "conversation is closed"};
  if (conv.assignee_id == agent.id)
    return Refused{Refusal::kAlreadyAssigned, "already assigned to this agent"};
  if (conv.assignee_id != expected_assignee)
    return conv.assignee_id
               ? Refused{Refusal::kTakenByAnother, "conversation already taken by another agent"}
               : Refused{Refusal::kChangedMeanwhile, "conversation changed meanwhile"};
  auto c = channel_index(conv.kind);
  if (load_on(db, conv.workspace_id, agent.id, conv.kind) >= agent.routing.capacity[c])
    return Refused{Refusal::kAtCapacity,
                   "agent is at capacity for " + std::string(kChannelNames[c])};
  return std::nullopt;
}

std::vector<Conversation> open_for_routing(sql::Connection& db, Id ws) {
  constexpr const auto& c = kRoutingColumns;
  auto read = [ws](const sql::Statement& q) {
    Conversation v;
    v.id = q.int64(c["id"]);
    v.workspace_id = ws;
    v.inbox_id = q.int64(c["inbox_id"]);
    v.kind = parse_conversation_kind(q.text(c["kind"])).value_or(ConversationKind::kChat);
    if (!q.is_null(c["assignee_id"])) v.assignee_id = q.int64(c["assignee_id"]);
    v.subject = q.text(c["subject"]);
    v.language = q.text(c["language"]);
    v.version = q.int64(c["version"]);
    auto meta = parse_or(q.text(c["meta"]), json::object{});
    if (meta.is_object()) v.meta = std::move(meta.as_object());
    v.updated_at = q.int64(c["updated_at"]);
    v.priority = static_cast<int>(q.int64(c["priority"]));
    if (!q.is_null(c["team_id"])) v.team_id = q.int64(c["team_id"]);
    v.queued_at = q.int64(c["queued_at"]);
    v.detected_language = q.text(c["detected_language"]);
    v.bot.phase = parse_bot_phase(q.text(c["bot_state"]));
    return v;
  };
  static const std::string sql =
      "SELECT " + c.list() + " FROM conversation WHERE workspace_id = ? AND status = 'open'";
  return read_rows(
      db, sql, [&](sql::Statement& q) { q.bind(1, ws); }, read);
}

}  // namespace sb::sqlite::routing_queries
