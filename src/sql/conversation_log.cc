#include "sql/conversation_log.h"

namespace sb::sql::log {
namespace {

constexpr const char* kEventColumns =
    "SELECT id, conversation_id, seq, kind, author_type, author_id, body, client_id, created_at "
    "FROM event ";

Event read_event(const Statement& q) {
  return {q.int64(0), q.int64(1), q.int64(2), q.text(3), q.text(4),
          q.int64(5), q.text(6),  q.text(7),  q.int64(8)};
}

// The conversation's row, locked until the transaction ends: appends to one
// conversation take turns here, so each sees the seq and the client ids the
// others committed. On SQLite the write transaction is that lock already.
std::optional<std::int64_t> lock_last_seq(Connection& c, std::int64_t ws, std::int64_t id) {
  Statement q(c,
              std::string("SELECT last_seq FROM conversation WHERE workspace_id = ? AND id = ?") +
                  std::string(c.for_update()));
  if (!q.bind(1, ws).bind(2, id).step()) return std::nullopt;
  return q.int64(0);
}

std::optional<Event> by_client_id(Connection& c, std::int64_t conversation,
                                  const std::string& client_id) {
  Statement q(c, std::string(kEventColumns) + "WHERE conversation_id = ? AND client_id = ?");
  if (!q.bind(1, conversation).bind(2, client_id).step()) return std::nullopt;
  return read_event(q);
}

// Claims for one agent take turns on its row, so each counts the load the
// others committed; without it two claims could each see the last free slot.
bool lock_agent(Connection& c, std::int64_t ws, std::int64_t agent) {
  Statement q(c, std::string("SELECT id FROM agent WHERE workspace_id = ? AND id = ? "
                             "AND deactivated_at IS NULL") +
                     std::string(c.for_update()));
  return q.bind(1, ws).bind(2, agent).step();
}

std::int64_t open_load(Connection& c, std::int64_t ws, std::int64_t agent,
                       const std::string& kind) {
  Statement q(c,
              "SELECT COUNT(*) FROM conversation WHERE workspace_id = ? AND assignee_id = ? "
              "AND status = 'open' AND kind = ?");
  q.bind(1, ws).bind(2, agent).bind(3, kind).step();
  return q.int64(0);
}

}  // namespace

std::pair<std::int64_t, bool> create_conversation(Connection& c, const NewConversation& n,
                                                  std::int64_t now) {
  return transact(c, TxMode::kWrite, [&](Connection& c) -> std::pair<std::int64_t, bool> {
    // A retry with the same client id meets the unique key and inserts nothing;
    // on PostgreSQL a concurrent first attempt is waited for, then seen below.
    {
      Statement ins(c,
                    "INSERT INTO conversation (workspace_id, inbox_id, contact_id, visitor_id, "
                    "client_id, kind, status, created_at, updated_at, queued_at) "
                    "SELECT ?1, ?2, ?3, ?4, ?5, ?6, 'open', ?7, ?7, ?7 WHERE EXISTS (SELECT 1 "
                    "FROM inbox WHERE workspace_id = ?1 AND id = ?2) "
                    "ON CONFLICT (workspace_id, visitor_id, client_id) DO NOTHING RETURNING id");
      ins.bind(1, n.workspace_id).bind(2, n.inbox_id).bind(3, n.contact_id);
      ins.bind(4, n.visitor_id).bind(5, n.client_id).bind(6, n.kind).bind(7, now);
      if (ins.step()) return {ins.int64(0), true};
    }
    Statement q(c,
                "SELECT id FROM conversation WHERE workspace_id = ? AND visitor_id = ? "
                "AND client_id = ?");
    if (!q.bind(1, n.workspace_id).bind(2, n.visitor_id).bind(3, n.client_id).step())
      throw NotFound("inbox " + std::to_string(n.inbox_id) + " not found");
    return {q.int64(0), false};
  });
}

Appended append_event(Connection& c, const NewEvent& e, std::int64_t now) {
  return transact(c, TxMode::kWrite, [&](Connection& c) { return append_in(c, e, now); });
}

Appended append_in(Connection& c, const NewEvent& e, std::int64_t now) {
  auto last = lock_last_seq(c, e.workspace_id, e.conversation_id);
  if (!last) throw NotFound("conversation " + std::to_string(e.conversation_id) + " not found");
  if (!e.client_id.empty())
    if (auto seen = by_client_id(c, e.conversation_id, e.client_id)) return {*seen, true};
  std::int64_t seq = *last + 1;
  Statement(c,
            "UPDATE conversation SET last_seq = ?1, updated_at = ?2, "
            "last_message_seq = CASE WHEN ?3 THEN ?1 ELSE last_message_seq END WHERE id = ?4")
      .bind(1, seq)
      .bind(2, now)
      .bind(3, e.kind == "message")
      .bind(4, e.conversation_id)
      .run();
  Statement ins(c,
                "INSERT INTO event (workspace_id, conversation_id, seq, kind, author_type, "
                "author_id, author_name, body, client_id, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
  ins.bind(1, e.workspace_id)
      .bind(2, e.conversation_id)
      .bind(3, seq)
      .bind(4, e.kind)
      .bind(5, e.author_type)
      .bind(6, e.author_id)
      .bind(7, e.author_name)
      .bind(8, e.body)
      .bind(10, now);
  if (e.client_id.empty())
    ins.bind_null(9);
  else
    ins.bind(9, e.client_id);
  ins.step();
  Event out{ins.int64(0), e.conversation_id, seq, e.kind, e.author_type, e.author_id,
            e.body,       e.client_id,       now};
  return {std::move(out), false};
}

Claim claim(Connection& c, std::int64_t ws, std::int64_t conversation, std::int64_t agent,
            std::optional<std::int64_t> expected_assignee, std::int64_t expected_version,
            int capacity, std::int64_t now) {
  return transact(c, TxMode::kWrite, [&](Connection& c) -> Claim {
    if (!lock_agent(c, ws, agent)) throw NotFound("agent " + std::to_string(agent) + " not found");
    std::string kind;
    Routing r;
    {
      Statement q(c,
                  "SELECT status, assignee_id, version, kind FROM conversation "
                  "WHERE workspace_id = ? AND id = ?");
      if (!q.bind(1, ws).bind(2, conversation).step())
        throw NotFound("conversation " + std::to_string(conversation) + " not found");
      r = {q.text(0), q.maybe_int64(1), q.int64(2), 0};
      kind = q.text(3);
    }
    if (r.status != "open") return {ClaimOutcome::kClosed, r.version, {}};
    if (r.assignee_id == agent) return {ClaimOutcome::kAlreadyAssigned, r.version, {}};
    if (r.assignee_id != expected_assignee)
      return {r.assignee_id ? ClaimOutcome::kTakenByAnother : ClaimOutcome::kChangedMeanwhile,
              r.version,
              {}};
    if (r.version != expected_version) return {ClaimOutcome::kChangedMeanwhile, r.version, {}};
    if (open_load(c, ws, agent, kind) >= capacity)
      return {ClaimOutcome::kAtCapacity, r.version, {}};
    // The conditional write: whatever was read above, only one writer can move
    // the version from what the caller saw. On PostgreSQL a concurrent claim
    // waits for this row, then finds the version moved and changes nothing.
    Statement up(c,
                 "UPDATE conversation SET assignee_id = ?, version = version + 1, updated_at = ? "
                 "WHERE workspace_id = ? AND id = ? AND version = ? AND status = 'open'");
    up.bind(1, agent).bind(2, now).bind(3, ws).bind(4, conversation).bind(5, expected_version);
    up.run();
    if (up.affected() != 1) return {ClaimOutcome::kChangedMeanwhile, r.version, {}};
    NewEvent joined{ws, conversation, "system", "system", 0, "", "joined", ""};
    auto event = append_in(c, joined, now).event;
    return {ClaimOutcome::kClaimed, r.version + 1, std::move(event)};
  });
}

std::optional<Routing> routing_of(Connection& c, std::int64_t ws, std::int64_t conversation) {
  Statement q(c,
              "SELECT status, assignee_id, version, last_seq FROM conversation "
              "WHERE workspace_id = ? AND id = ?");
  if (!q.bind(1, ws).bind(2, conversation).step()) return std::nullopt;
  return Routing{q.text(0), q.maybe_int64(1), q.int64(2), q.int64(3)};
}

std::vector<Event> events_after(Connection& c, std::int64_t ws, std::int64_t conversation,
                                std::int64_t after_seq, int limit) {
  Statement q(c, std::string(kEventColumns) +
                     "WHERE workspace_id = ? AND conversation_id = ? AND seq > ? "
                     "ORDER BY seq LIMIT ?");
  q.bind(1, ws).bind(2, conversation).bind(3, after_seq).bind(4, limit);
  std::vector<Event> out;
  while (q.step()) out.push_back(read_event(q));
  return out;
}

}  // namespace sb::sql::log
