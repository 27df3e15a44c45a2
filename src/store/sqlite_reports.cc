// Reports (Q3): one row per conversation with the timings insert_event and the
// status changes keep (schema step 28), the customer's rating among them;
// the same rows for the conversations a script was used in (P2).
#include "store/sqlite_store.h"

namespace sb::sqlite {
namespace {

constexpr const char* kFactColumns =
    "c.id, c.inbox_id, c.kind, c.team_id, c.assignee_id, c.created_at, c.first_assigned_at, "
    "c.first_reply_at, c.closed_at, c.reply_ms, c.replies, c.customer_messages, c.bot_state, "
    "c.rated_positive";

reports::ConversationFacts read_facts(const sql::Statement& q, int at = 0) {
  reports::ConversationFacts r;
  r.id = q.int64(at + 0);
  r.inbox_id = q.int64(at + 1);
  r.channel = q.text(at + 2);
  r.team_id = q.maybe_int64(at + 3);
  r.agent_id = q.maybe_int64(at + 4);
  r.created_at = q.int64(at + 5);
  r.first_assigned_at = q.maybe_int64(at + 6);
  r.first_reply_at = q.maybe_int64(at + 7);
  r.closed_at = q.maybe_int64(at + 8);
  r.reply_ms = q.int64(at + 9);
  r.replies = q.int64(at + 10);
  r.customer_messages = q.int64(at + 11);
  auto bot = parse_bot_phase(q.text(at + 12));
  r.bot_active = bot == BotPhase::kActive;
  r.bot_handed_off = bot == BotPhase::kHandedOff;
  if (auto positive = q.maybe_int64(at + 13)) r.rated_positive = *positive != 0;
  return r;
}

}  // namespace

std::vector<reports::ConversationFacts> SqlStore::conversation_facts(Id ws, const ReportFilter& f,
                                                                     int limit) {
  return read([&](sql::Connection& db) {
    // Plain ? bound in order: PostgreSQL wants every numbered parameter used.
    std::string where = "c.workspace_id = ? AND c.created_at >= ? AND c.created_at < ? ";
    if (f.inbox_id) where += "AND c.inbox_id = ? ";
    if (f.team_id) where += "AND c.team_id = ? ";
    if (f.agent_id) where += "AND c.assignee_id = ? ";
    if (!f.channel.empty()) where += "AND c.kind = ? ";
    // A merged ticket is counted in the one it went into.
    where += "AND c.merged_into IS NULL ";
    sql::Statement q(db, std::string("SELECT ") + kFactColumns + " FROM conversation c WHERE " +
                             where + "ORDER BY c.created_at, c.id LIMIT ?");
    int n = 0;
    q.bind(++n, ws);
    q.bind(++n, f.from);
    q.bind(++n, f.to);
    if (f.inbox_id) q.bind(++n, *f.inbox_id);
    if (f.team_id) q.bind(++n, *f.team_id);
    if (f.agent_id) q.bind(++n, *f.agent_id);
    if (!f.channel.empty()) q.bind(++n, f.channel);
    q.bind(++n, limit);
    std::vector<reports::ConversationFacts> out;
    out.reserve(4096);
    while (q.step()) out.push_back(read_facts(q));
    return out;
  });
}

LiveQueue SqlStore::live_queue(Id ws) {
  return read([&](sql::Connection& db) {
    LiveQueue out;
    sql::Statement q(db,
                     "SELECT assignee_id, COUNT(*), MIN(queued_at) FROM conversation "
                     "WHERE workspace_id = ? AND status = 'open' GROUP BY assignee_id");
    q.bind(1, ws);
    while (q.step()) {
      auto n = q.int64(1);
      out.open += n;
      if (auto agent = q.maybe_int64(0)) {
        out.open_by_agent[*agent] = n;
      } else {
        out.waiting = n;
        out.oldest_waiting_since = q.maybe_int64(2);
      }
    }
    return out;
  });
}

namespace {

// Rows of (variant, the conversation's facts...).
std::vector<VariantOutcome> read_outcomes(sql::Statement& q) {
  std::vector<VariantOutcome> out;
  while (q.step()) out.push_back({static_cast<int>(q.int64(0)), read_facts(q, 1)});
  return out;
}

}  // namespace

std::vector<VariantOutcome> SqlStore::script_outcomes(Id ws, Id script, int limit) {
  return read([&](sql::Connection& db) {
    sql::Statement q(db, std::string("SELECT u.variant, ") + kFactColumns +
                             " FROM script_use u JOIN script s ON s.id = u.script_id "
                             "JOIN conversation c ON c.id = u.conversation_id "
                             "WHERE s.workspace_id = ? AND u.script_id = ? "
                             "ORDER BY u.used_at, u.conversation_id LIMIT ?");
    q.bind(1, ws).bind(2, script).bind(3, limit);
    return read_outcomes(q);
  });
}

std::vector<VariantOutcome> SqlStore::canned_outcomes(Id ws, Id answer, int limit) {
  return read([&](sql::Connection& db) {
    sql::Statement q(db, std::string("SELECT u.variant, ") + kFactColumns +
                             " FROM canned_conversation_use u "
                             "JOIN canned_answer a ON a.id = u.answer_id "
                             "JOIN conversation c ON c.id = u.conversation_id "
                             "WHERE a.workspace_id = ? AND u.answer_id = ? "
                             "ORDER BY u.used_at, u.conversation_id LIMIT ?");
    q.bind(1, ws).bind(2, answer).bind(3, limit);
    return read_outcomes(q);
  });
}

std::vector<VariantOutcome> SqlStore::coach_outcomes(Id ws, Millis from, Millis to, int limit) {
  return read([&](sql::Connection& db) {
    sql::Statement q(
        db, std::string("SELECT CASE WHEN k.accepted > 0 THEN 1 ELSE 0 END, ") + kFactColumns +
                " FROM coach_conversation k "
                "JOIN conversation c ON c.id = k.conversation_id "
                "WHERE k.workspace_id = ? AND k.created_at >= ? AND k.created_at < ? "
                "AND k.shown + k.accepted > 0 ORDER BY k.created_at, k.conversation_id LIMIT ?");
    q.bind(1, ws).bind(2, from).bind(3, to).bind(4, limit);
    return read_outcomes(q);
  });
}

}  // namespace sb::sqlite
