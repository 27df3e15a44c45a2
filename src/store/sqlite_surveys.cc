// SurveyStore: the workspace's survey settings and each chat's rating (Q2).
#include "store/sqlite_store.h"

namespace sb::sqlite {

namespace json = boost::json;

namespace {

constexpr std::string_view kRatingColumns =
    "workspace_id, conversation_id, inbox_id, agent_id, agent_name, channel, scale, score, "
    "positive, comment, created_at, updated_at";

ChatRating read_rating(const sql::Statement& q) {
  ChatRating r;
  r.workspace_id = q.int64(0);
  r.conversation_id = q.int64(1);
  r.inbox_id = q.int64(2);
  r.agent_id = q.maybe_int64(3);
  r.agent_name = q.text(4);
  r.channel = q.text(5);
  r.scale = q.text(6);
  r.score = static_cast<int>(q.int64(7));
  r.positive = q.int64(8) != 0;
  r.comment = q.text(9);
  r.created_at = q.int64(10);
  r.updated_at = q.int64(11);
  return r;
}

}  // namespace

json::object SqlStore::survey_settings(Id ws) {
  return read([&](sql::Connection& db) {
    sql::Statement q(db, "SELECT settings FROM workspace_survey WHERE workspace_id = ?");
    q.bind(1, ws);
    if (!q.step()) return json::object{};
    auto v = parse_or(q.text(0), json::object{});
    return v.is_object() ? v.as_object() : json::object{};
  });
}

void SqlStore::set_survey_settings(Id ws, const json::object& settings) {
  write([&](sql::Connection& db) {
    sql::Statement q(db,
                     "INSERT INTO workspace_survey (workspace_id, settings) VALUES (?, ?) "
                     "ON CONFLICT (workspace_id) DO UPDATE SET settings = excluded.settings");
    q.bind(1, ws).bind(2, json::serialize(settings)).run();
    return 0;
  });
}

ChatRating SqlStore::save_chat_rating(const ChatRating& r) {
  return write([&](sql::Connection& db) {
    sql::Statement q(
        db, "INSERT INTO chat_rating (" + std::string(kRatingColumns) +
                ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (conversation_id) DO "
                "UPDATE SET agent_id = excluded.agent_id, agent_name = excluded.agent_name, "
                "scale = excluded.scale, score = excluded.score, positive = excluded.positive, "
                "comment = excluded.comment, updated_at = excluded.updated_at RETURNING " +
                std::string(kRatingColumns));
    q.bind(1, r.workspace_id).bind(2, r.conversation_id).bind(3, r.inbox_id).bind(4, r.agent_id);
    q.bind(5, r.agent_name).bind(6, r.channel).bind(7, r.scale).bind(8, r.score);
    q.bind(9, r.positive ? 1 : 0).bind(10, r.comment).bind(11, r.created_at);
    q.bind(12, r.updated_at);
    if (!q.step()) throw StoreError(StoreError::Code::kInternal, "rating not saved");
    auto saved = read_rating(q);
    // Beside the report timings (schema step 28): the reports read no join.
    sql::Statement mark(db, "UPDATE conversation SET rated_positive = ? WHERE id = ?");
    mark.bind(1, saved.positive ? 1 : 0).bind(2, saved.conversation_id).run();
    return saved;
  });
}

std::optional<ChatRating> SqlStore::chat_rating(Id ws, Id conversation) {
  return read([&](sql::Connection& db) -> std::optional<ChatRating> {
    sql::Statement q(db, "SELECT " + std::string(kRatingColumns) +
                             " FROM chat_rating WHERE workspace_id = ? AND conversation_id = ?");
    q.bind(1, ws).bind(2, conversation);
    if (!q.step()) return std::nullopt;
    return read_rating(q);
  });
}

std::vector<ChatRating> SqlStore::chat_ratings(Id ws, Millis from, Millis to, int limit) {
  return read([&](sql::Connection& db) {
    sql::Statement q(db, "SELECT " + std::string(kRatingColumns) +
                             " FROM chat_rating WHERE workspace_id = ? AND created_at >= ? AND "
                             "created_at < ? ORDER BY created_at, conversation_id LIMIT ?");
    q.bind(1, ws).bind(2, from).bind(3, to).bind(4, limit);
    std::vector<ChatRating> out;
    while (q.step()) out.push_back(read_rating(q));
    return out;
  });
}

}  // namespace sb::sqlite
