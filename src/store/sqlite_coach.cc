// CoachStore: the etiquette coach's rules as admins changed them, and its counts.
#include <algorithm>

#include "store/sqlite_store.h"

namespace sb::sqlite {

namespace {
constexpr Millis kDay = 86'400'000;
}

std::map<std::string, std::string> SqlStore::coach_rules(Id ws) {
  return read([&](sql::Connection& db) {
    std::map<std::string, std::string> out;
    sql::Statement q(db, "SELECT language, rules FROM coach_rules WHERE workspace_id = ?");
    q.bind(1, ws);
    while (q.step()) out[q.text(0)] = q.text(1);
    return out;
  });
}

void SqlStore::set_coach_rules(Id ws, const std::string& language,
                               const std::optional<std::string>& rules_json) {
  write([&](sql::Connection& db) {
    if (!rules_json) {
      sql::Statement q(db, "DELETE FROM coach_rules WHERE workspace_id = ? AND language = ?");
      q.bind(1, ws).bind(2, language).run();
      return 0;
    }
    sql::Statement q(db,
                     "INSERT INTO coach_rules (workspace_id, language, rules) VALUES (?, ?, ?) "
                     "ON CONFLICT (workspace_id, language) DO UPDATE SET rules = excluded.rules");
    q.bind(1, ws).bind(2, language).bind(3, *rules_json).run();
    return 0;
  });
}

void SqlStore::count_coach_feedback(Id ws, Millis at, const std::vector<CoachFeedback>& events,
                                    std::optional<Id> conversation) {
  if (events.empty()) return;
  write([&](sql::Connection& db) {
    if (conversation) {
      std::int64_t accepted = std::count_if(events.begin(), events.end(),
                                            [](const CoachFeedback& e) { return e.accepted; });
      auto shown = static_cast<std::int64_t>(events.size()) - accepted;
      // Dated by the conversation's start, as every report is.
      sql::Statement c(db,
                       "INSERT INTO coach_conversation (conversation_id, workspace_id, shown, "
                       "accepted, created_at) SELECT id, workspace_id, CAST(? AS BIGINT), "
                       "CAST(? AS BIGINT), created_at FROM conversation WHERE workspace_id = ? "
                       "AND id = ? ON CONFLICT (conversation_id) DO UPDATE SET shown = "
                       "coach_conversation.shown + excluded.shown, accepted = "
                       "coach_conversation.accepted + excluded.accepted");
      c.bind(1, shown).bind(2, accepted).bind(3, ws).bind(4, *conversation).run();
    }
    for (const auto& e : events) {
      sql::Statement q(db,
                       "INSERT INTO coach_count (workspace_id, day, language, rule, shown, "
                       "accepted) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (workspace_id, day, "
                       "language, rule) DO UPDATE SET shown = coach_count.shown + excluded.shown, "
                       "accepted = coach_count.accepted + excluded.accepted");
      q.bind(1, ws).bind(2, at / kDay).bind(3, e.language).bind(4, e.rule);
      q.bind(5, e.accepted ? 0 : 1).bind(6, e.accepted ? 1 : 0).run();
    }
    return 0;
  });
}

std::vector<CoachRuleCount> SqlStore::coach_counts(Id ws, Millis from, Millis to) {
  return read([&](sql::Connection& db) {
    std::vector<CoachRuleCount> out;
    sql::Statement q(
        db,
        "SELECT rule, language, CAST(SUM(shown) AS BIGINT), CAST(SUM(accepted) AS BIGINT) "
        "FROM coach_count "
        "WHERE workspace_id = ? AND day >= ? AND day <= ? GROUP BY rule, language "
        "ORDER BY SUM(shown) DESC, rule, language LIMIT 1000");
    q.bind(1, ws).bind(2, from / kDay).bind(3, (to - 1) / kDay);
    while (q.step()) out.push_back({q.text(0), q.text(1), q.int64(2), q.int64(3)});
    return out;
  });
}

}  // namespace sb::sqlite
