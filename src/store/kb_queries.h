// Private to store/: the SQL behind the knowledge base, the bot's question log,
// deflection counting and workspace slugs. Called inside the store's read or
// write transactions.
#pragma once

#include "store/sqlite_db.h"
#include "store/store.h"

namespace sb::sqlite::kb_queries {

std::string unique_slug(sql::Connection& db,
                        const std::string& name);  // from the name, made unique
std::int64_t revision(sql::Connection& db, Id ws);
void bump_revision(sql::Connection& db, Id ws);
KbContent content(sql::Connection& db, Id ws);
KbCategory save_category(sql::Connection& db, const KbCategory& c);
KbArticle save_article(sql::Connection& db, const KbArticle& a, Millis now);
std::optional<KbArticle> article(sql::Connection& db, Id ws, Id id);
FaqIntent save_intent(sql::Connection& db, const FaqIntent& i, Millis now);
// kNotFound; the caller bumps the revision.
void delete_row(sql::Connection& db, std::string_view table, Id ws, Id id);
KbImportResult import(sql::Connection& db, Id ws, const KbContent& content, bool replace,
                      Millis now);
void vote(sql::Connection& db, Id ws, Id article, const std::string& voter, bool helpful,
          Millis now);
boost::json::object bot_settings(sql::Connection& db, Id ws);
void set_bot_settings(sql::Connection& db, Id ws, const boost::json::object& settings);
Id record_question(sql::Connection& db, const BotQuestion& q, Millis now);
std::vector<UnansweredQuestion> unanswered(sql::Connection& db, Id ws, Millis since, int limit);
void dismiss(sql::Connection& db, Id ws, const std::string& text);
std::vector<BotQuestion> questions(sql::Connection& db, Id ws, Id conversation);
Id record_deflection(sql::Connection& db, Id ws, const std::string& source,
                     const std::string& query, const std::vector<Id>& articles, Millis now);
void set_deflection_outcome(sql::Connection& db, Id ws, Id id, const std::string& outcome);
DeflectionStats deflection_stats(sql::Connection& db, Id ws, Millis since);

}  // namespace sb::sqlite::kb_queries
