// KnowledgeStore: the knowledge base, the FAQ bot's settings and questions,
// deflections. The SQL is in kb_queries.cc.
#include "store/kb_queries.h"
#include "store/sqlite_store.h"

namespace sb::sqlite {

namespace json = boost::json;

std::int64_t SqlStore::kb_revision(Id ws) {
  return read([&](sql::Connection& db) { return kb_queries::revision(db, ws); });
}

KbContent SqlStore::kb_content(Id ws) {
  return read([&](sql::Connection& db) { return kb_queries::content(db, ws); });
}

KbCategory SqlStore::save_kb_category(const KbCategory& c) {
  return write([&](sql::Connection& db) { return kb_queries::save_category(db, c); });
}

void SqlStore::delete_kb_category(Id ws, Id id) {
  delete_kb_row("kb_category", ws, id);
}

std::optional<KbArticle> SqlStore::get_kb_article(Id ws, Id id) {
  return read([&](sql::Connection& db) { return kb_queries::article(db, ws, id); });
}

KbArticle SqlStore::save_kb_article(const KbArticle& a) {
  return write([&](sql::Connection& db) { return kb_queries::save_article(db, a, clock_()); });
}

void SqlStore::delete_kb_article(Id ws, Id id) {
  delete_kb_row("kb_article", ws, id);
}

FaqIntent SqlStore::save_faq_intent(const FaqIntent& i) {
  return write([&](sql::Connection& db) { return kb_queries::save_intent(db, i, clock_()); });
}

void SqlStore::delete_faq_intent(Id ws, Id id) {
  delete_kb_row("faq_intent", ws, id);
}

void SqlStore::delete_kb_row(std::string_view table, Id ws, Id id) {
  write([&](sql::Connection& db) {
    kb_queries::delete_row(db, table, ws, id);
    kb_queries::bump_revision(db, ws);
    return 0;
  });
}

KbImportResult SqlStore::import_kb(Id ws, const KbContent& content, bool replace) {
  return write(
      [&](sql::Connection& db) { return kb_queries::import(db, ws, content, replace, clock_()); });
}

KbArticle SqlStore::vote_kb_article(Id ws, Id article, const std::string& voter, bool helpful) {
  return write([&](sql::Connection& db) {
    kb_queries::vote(db, ws, article, voter, helpful, clock_());
    return *kb_queries::article(db, ws, article);
  });
}

json::object SqlStore::bot_settings(Id ws) {
  return read([&](sql::Connection& db) { return kb_queries::bot_settings(db, ws); });
}

void SqlStore::set_bot_settings(Id ws, const json::object& settings) {
  write([&](sql::Connection& db) {
    kb_queries::set_bot_settings(db, ws, settings);
    return 0;
  });
}

Id SqlStore::record_bot_question(const BotQuestion& q) {
  return write([&](sql::Connection& db) { return kb_queries::record_question(db, q, clock_()); });
}

bool SqlStore::rate_bot_answer(Id ws, Id conversation, Id question, bool helpful) {
  return write([&](sql::Connection& db) {
    sql::Statement q(db,
                     "UPDATE bot_question SET helpful = ? WHERE workspace_id = ? AND "
                     "conversation_id = ? AND id = ? AND outcome = 'answered'");
    q.bind(1, helpful ? 1 : 0).bind(2, ws).bind(3, conversation).bind(4, question).run();
    return q.affected() == 1;
  });
}

BotOutcomes SqlStore::bot_outcomes(Id ws, Millis since) {
  return read([&](sql::Connection& db) {
    sql::Statement q(db,
                     "SELECT outcome, helpful, COUNT(*) FROM bot_question WHERE workspace_id = ? "
                     "AND created_at >= ? GROUP BY outcome, helpful");
    q.bind(1, ws).bind(2, since);
    BotOutcomes out;
    while (q.step()) {
      auto outcome = q.text(0);
      auto n = q.int64(2);
      auto helpful = q.maybe_int64(1);
      if (outcome == "answered") out.answered += n;
      if (outcome == "unanswered") out.unanswered += n;
      if (outcome == "handoff") out.handed_off += n;
      if (helpful) (*helpful ? out.helpful : out.not_helpful) += n;
    }
    return out;
  });
}

std::vector<UnansweredQuestion> SqlStore::unanswered_questions(Id ws, Millis since, int limit) {
  return read([&](sql::Connection& db) { return kb_queries::unanswered(db, ws, since, limit); });
}

void SqlStore::dismiss_unanswered(Id ws, const std::string& text) {
  write([&](sql::Connection& db) {
    kb_queries::dismiss(db, ws, text);
    return 0;
  });
}

std::vector<BotQuestion> SqlStore::bot_questions(Id ws, Id conversation) {
  return read([&](sql::Connection& db) { return kb_queries::questions(db, ws, conversation); });
}

Id SqlStore::record_deflection(Id ws, const std::string& source, const std::string& query,
                               const std::vector<Id>& articles) {
  return write([&](sql::Connection& db) {
    return kb_queries::record_deflection(db, ws, source, query, articles, clock_());
  });
}

void SqlStore::set_deflection_outcome(Id ws, Id id, const std::string& outcome) {
  write([&](sql::Connection& db) {
    kb_queries::set_deflection_outcome(db, ws, id, outcome);
    return 0;
  });
}

DeflectionStats SqlStore::deflection_stats(Id ws, Millis since) {
  return read([&](sql::Connection& db) { return kb_queries::deflection_stats(db, ws, since); });
}

}  // namespace sb::sqlite
