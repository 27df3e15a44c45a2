// SurveyStore, part two: NPS and custom surveys, the links sent to contacts and
// their responses (Q2).
#include "store/sqlite_store.h"

namespace sb::sqlite {

namespace json = boost::json;

namespace {

constexpr std::string_view kSurveyColumns =
    "s.id, s.workspace_id, s.name, s.status, s.questions, s.created_by, s.created_at, "
    "s.updated_at, (SELECT COUNT(*) FROM survey_response r WHERE r.survey_id = s.id), "
    "s.translations";
constexpr std::string_view kLinkColumns =
    "token_hash, workspace_id, survey_id, contact_id, conversation_id, channel, created_at, "
    "expires_at, answered_at";
constexpr std::string_view kResponseColumns =
    "id, workspace_id, survey_id, contact_id, conversation_id, channel, answers, nps, created_at";

Survey read_survey(const sql::Statement& q) {
  Survey s;
  s.id = q.int64(0);
  s.workspace_id = q.int64(1);
  s.name = q.text(2);
  s.status = q.text(3);
  auto questions = parse_or(q.text(4), json::array{});
  if (questions.is_array()) s.questions = questions.as_array();
  s.created_by = q.int64(5);
  s.created_at = q.int64(6);
  s.updated_at = q.int64(7);
  s.responses = q.int64(8);
  auto translations = parse_or(q.text(9), json::object{});
  if (translations.is_object()) s.translations = translations.as_object();
  return s;
}

SurveyLink read_link(const sql::Statement& q) {
  SurveyLink l;
  l.token_hash = q.text(0);
  l.workspace_id = q.int64(1);
  l.survey_id = q.int64(2);
  l.contact_id = q.maybe_int64(3);
  l.conversation_id = q.maybe_int64(4);
  l.channel = q.text(5);
  l.created_at = q.int64(6);
  l.expires_at = q.int64(7);
  l.answered_at = q.maybe_int64(8);
  return l;
}

SurveyResponse read_response(const sql::Statement& q) {
  SurveyResponse r;
  r.id = q.int64(0);
  r.workspace_id = q.int64(1);
  r.survey_id = q.int64(2);
  r.contact_id = q.maybe_int64(3);
  r.conversation_id = q.maybe_int64(4);
  r.channel = q.text(5);
  auto answers = parse_or(q.text(6), json::object{});
  if (answers.is_object()) r.answers = answers.as_object();
  if (auto n = q.maybe_int64(7)) r.nps = static_cast<int>(*n);
  r.created_at = q.int64(8);
  return r;
}

bool exists(sql::Connection& db, const char* table, Id ws, Id id) {
  sql::Statement q(db,
                   std::string("SELECT 1 FROM ") + table + " WHERE workspace_id = ? AND id = ?");
  q.bind(1, ws).bind(2, id);
  return q.step();
}

}  // namespace

std::vector<Survey> SqlStore::surveys(Id ws) {
  return read([&](sql::Connection& db) {
    sql::Statement q(db, "SELECT " + std::string(kSurveyColumns) +
                             " FROM survey s WHERE s.workspace_id = ? ORDER BY s.status, s.name, "
                             "s.id LIMIT 500");
    q.bind(1, ws);
    std::vector<Survey> out;
    while (q.step()) out.push_back(read_survey(q));
    return out;
  });
}

std::optional<Survey> SqlStore::survey(Id ws, Id id) {
  return read([&](sql::Connection& db) -> std::optional<Survey> {
    sql::Statement q(db, "SELECT " + std::string(kSurveyColumns) +
                             " FROM survey s WHERE s.workspace_id = ? AND s.id = ?");
    q.bind(1, ws).bind(2, id);
    if (!q.step()) return std::nullopt;
    return read_survey(q);
  });
}

Survey SqlStore::save_survey(const Survey& s) {
  Id id = write([&](sql::Connection& db) {
    Millis now = clock_();
    auto questions = json::serialize(s.questions);
    auto translations = json::serialize(s.translations);
    if (s.id == 0) {
      sql::Statement q(db,
                       "INSERT INTO survey (workspace_id, name, status, questions, created_by, "
                       "created_at, updated_at, translations) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
                       "RETURNING id");
      q.bind(1, s.workspace_id).bind(2, s.name).bind(3, s.status).bind(4, questions);
      q.bind(5, s.created_by).bind(6, now).bind(7, now).bind(8, translations);
      if (!q.step()) throw StoreError(StoreError::Code::kInternal, "survey not saved");
      return q.int64(0);
    }
    sql::Statement q(db,
                     "UPDATE survey SET name = ?, status = ?, questions = ?, updated_at = ?, "
                     "translations = ? WHERE workspace_id = ? AND id = ?");
    q.bind(1, s.name).bind(2, s.status).bind(3, questions).bind(4, now).bind(5, translations);
    q.bind(6, s.workspace_id).bind(7, s.id).run();
    if (q.affected() == 0) throw StoreError(StoreError::Code::kNotFound, "no such survey");
    return s.id;
  });
  return *survey(s.workspace_id, id);
}

bool SqlStore::delete_survey(Id ws, Id id) {
  return write([&](sql::Connection& db) {
    sql::Statement answered(db, "SELECT 1 FROM survey_response WHERE survey_id = ? LIMIT 1");
    answered.bind(1, id);
    if (exists(db, "survey", ws, id) && answered.step())
      throw StoreError(StoreError::Code::kConflict, "the survey has responses: archive it");
    sql::Statement q(db, "DELETE FROM survey WHERE workspace_id = ? AND id = ?");
    q.bind(1, ws).bind(2, id).run();
    return q.affected() > 0;
  });
}

void SqlStore::create_survey_link(const SurveyLink& l) {
  write([&](sql::Connection& db) {
    if (!exists(db, "survey", l.workspace_id, l.survey_id))
      throw StoreError(StoreError::Code::kNotFound, "no such survey");
    if (l.contact_id && !exists(db, "contact", l.workspace_id, *l.contact_id))
      throw StoreError(StoreError::Code::kNotFound, "no such contact");
    if (l.conversation_id && !exists(db, "conversation", l.workspace_id, *l.conversation_id))
      throw StoreError(StoreError::Code::kNotFound, "no such conversation");
    sql::Statement q(db, "INSERT INTO survey_link (" + std::string(kLinkColumns) +
                             ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL)");
    q.bind(1, l.token_hash).bind(2, l.workspace_id).bind(3, l.survey_id).bind(4, l.contact_id);
    q.bind(5, l.conversation_id).bind(6, l.channel).bind(7, clock_()).bind(8, l.expires_at);
    q.run();
    return 0;
  });
}

std::optional<SurveyLink> SqlStore::survey_link(const std::string& token_hash) {
  return read([&](sql::Connection& db) -> std::optional<SurveyLink> {
    sql::Statement q(
        db, "SELECT " + std::string(kLinkColumns) + " FROM survey_link WHERE token_hash = ?");
    q.bind(1, token_hash);
    if (!q.step()) return std::nullopt;
    return read_link(q);
  });
}

bool SqlStore::has_survey_link(Id ws, Id conversation, const std::string& channel) {
  return read([&](sql::Connection& db) {
    sql::Statement q(db,
                     "SELECT 1 FROM survey_link WHERE workspace_id = ? AND conversation_id = ? "
                     "AND channel = ? LIMIT 1");
    q.bind(1, ws).bind(2, conversation).bind(3, channel);
    return q.step();
  });
}

std::optional<Millis> SqlStore::last_survey_link(Id ws, Id survey, Id contact) {
  return read([&](sql::Connection& db) -> std::optional<Millis> {
    sql::Statement q(db,
                     "SELECT MAX(created_at) FROM survey_link WHERE workspace_id = ? AND "
                     "survey_id = ? AND contact_id = ?");
    q.bind(1, ws).bind(2, survey).bind(3, contact);
    if (!q.step()) return std::nullopt;
    return q.maybe_int64(0);
  });
}

bool SqlStore::answer_survey(const std::string& token_hash, const SurveyResponse& r) {
  return write([&](sql::Connection& db) {
    Millis now = clock_();
    // Only an unanswered link moves: two submits at once, one response.
    sql::Statement mark(db,
                        "UPDATE survey_link SET answered_at = ? WHERE token_hash = ? AND "
                        "answered_at IS NULL");
    mark.bind(1, now).bind(2, token_hash).run();
    if (mark.affected() == 0) return false;
    sql::Statement q(db,
                     "INSERT INTO survey_response (workspace_id, survey_id, contact_id, "
                     "conversation_id, channel, answers, nps, created_at) "
                     "VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    q.bind(1, r.workspace_id).bind(2, r.survey_id).bind(3, r.contact_id);
    q.bind(4, r.conversation_id).bind(5, r.channel).bind(6, json::serialize(r.answers));
    if (r.nps)
      q.bind(7, static_cast<std::int64_t>(*r.nps));
    else
      q.bind_null(7);
    q.bind(8, now).run();
    return true;
  });
}

std::vector<SurveyResponse> SqlStore::survey_responses(Id ws, Id survey, Millis from, Millis to,
                                                       int limit) {
  return read([&](sql::Connection& db) {
    sql::Statement q(db, "SELECT " + std::string(kResponseColumns) +
                             " FROM survey_response WHERE workspace_id = ? AND survey_id = ? AND "
                             "created_at >= ? AND created_at < ? ORDER BY created_at, id LIMIT ?");
    q.bind(1, ws).bind(2, survey).bind(3, from).bind(4, to).bind(5, limit);
    std::vector<SurveyResponse> out;
    while (q.step()) out.push_back(read_response(q));
    return out;
  });
}

}  // namespace sb::sqlite
