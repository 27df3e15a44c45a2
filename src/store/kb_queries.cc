#include "store/kb_queries.h"

#include <cmath>
#include <set>

#include "store/rows.h"

namespace sb::sqlite::kb_queries {

namespace json = boost::json;

namespace {

[[noreturn]] void not_found(std::string_view what) {
  throw StoreError(StoreError::Code::kNotFound, std::string(what) + " not found");
}

// After the article's columns: its helpful and not-helpful vote counts.
constexpr int kHelpful = kArticleColumns.end(), kNotHelpful = kHelpful + 1;

const std::string& select_articles() {
  static const std::string s =
      "SELECT " + kArticleColumns.list("a") +
      ", (SELECT COUNT(*) FROM kb_vote v WHERE v.article_id = a.id AND v.helpful = 1), "
      "(SELECT COUNT(*) FROM kb_vote v WHERE v.article_id = a.id AND v.helpful = 0) "
      "FROM kb_article a ";
  return s;
}

KbArticle read_article(const sql::Statement& q) {
  constexpr const auto& c = kArticleColumns;
  KbArticle a;
  a.id = q.int64(c["id"]);
  a.workspace_id = q.int64(c["workspace_id"]);
  a.slug = q.text(c["slug"]);
  a.language = q.text(c["language"]);
  a.category = q.text(c["category"]);
  a.title = q.text(c["title"]);
  a.body = q.text(c["body"]);
  a.keywords = parse_strings(q.text(c["keywords"]));
  a.published = q.int64(c["published"]) != 0;
  a.created_at = q.int64(c["created_at"]);
  a.updated_at = q.int64(c["updated_at"]);
  a.helpful = q.int64(kHelpful);
  a.not_helpful = q.int64(kNotHelpful);
  return a;
}

const std::string& select_intents() {
  static const std::string s = "SELECT " + kIntentColumns.list() + " FROM faq_intent ";
  return s;
}

FaqIntent read_intent(const sql::Statement& q) {
  constexpr const auto& c = kIntentColumns;
  FaqIntent i;
  i.id = q.int64(c["id"]);
  i.workspace_id = q.int64(c["workspace_id"]);
  i.name = q.text(c["name"]);
  i.language = q.text(c["language"]);
  i.question = q.text(c["question"]);
  i.phrasings = parse_strings(q.text(c["phrasings"]));
  i.answer = q.text(c["answer"]);
  i.enabled = q.int64(c["enabled"]) != 0;
  i.created_at = q.int64(c["created_at"]);
  i.updated_at = q.int64(c["updated_at"]);
  return i;
}

KbCategory read_category(const sql::Statement& q) {
  constexpr const auto& c = kCategoryColumns;
  auto names = parse_or(q.text(c["names"]), json::object{});
  return {q.int64(c["id"]), q.int64(c["workspace_id"]), q.text(c["slug"]),
          static_cast<int>(q.int64(c["position"])),
          names.is_object() ? names.as_object() : json::object{}};
}

std::optional<FaqIntent> load_intent(sql::Connection& db, Id ws, Id id) {
  sql::Statement q(db, select_intents() + "WHERE workspace_id = ? AND id = ?");
  q.bind(1, ws).bind(2, id);
  if (!q.step()) return std::nullopt;
  return read_intent(q);
}

// The row id of the natural key, if it exists.
std::optional<Id> find_id(sql::Connection& db, std::string_view sql, Id ws, const std::string& a,
                          const std::string& b) {
  sql::Statement q(db, sql);
  q.bind(1, ws).bind(2, a).bind(3, b);
  if (!q.step()) return std::nullopt;
  return q.int64(0);
}

}  // namespace

std::string unique_slug(sql::Connection& db, const std::string& name) {
  std::string base;
  for (char ch : lower_ascii(name)) {
    bool word = (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9');
    if (word)
      base += ch;
    else if (!base.empty() && base.back() != '-')
      base += '-';
  }
  while (!base.empty() && base.back() == '-') base.pop_back();
  if (base.size() > 40) base.resize(40);
  if (base.empty()) base = "help";
  for (int n = 1;; ++n) {
    std::string candidate = n == 1 ? base : base + "-" + std::to_string(n);
    if (!load_workspace_by_slug(db, candidate)) return candidate;
  }
}

std::int64_t revision(sql::Connection& db, Id ws) {
  sql::Statement q(db, "SELECT revision FROM workspace_kb WHERE workspace_id = ?");
  q.bind(1, ws);
  return q.step() ? q.int64(0) : 0;
}

void bump_revision(sql::Connection& db, Id ws) {
  sql::Statement q(db,
                   "INSERT INTO workspace_kb (workspace_id, revision) VALUES (?, 1) "
                   "ON CONFLICT (workspace_id) DO UPDATE SET revision = workspace_kb.revision + 1");
  q.bind(1, ws).run();
}

KbContent content(sql::Connection& db, Id ws) {
  KbContent c;
  {
    sql::Statement q(db, "SELECT " + kCategoryColumns.list() +
                             " FROM kb_category WHERE workspace_id = ? ORDER BY position, slug");
    q.bind(1, ws);
    while (q.step()) c.categories.push_back(read_category(q));
  }
  {
    sql::Statement q(
        db, select_articles() + "WHERE a.workspace_id = ? ORDER BY a.category, a.slug, a.language");
    q.bind(1, ws);
    while (q.step()) c.articles.push_back(read_article(q));
  }
  {
    sql::Statement q(db, select_intents() + "WHERE workspace_id = ? ORDER BY name, language");
    q.bind(1, ws);
    while (q.step()) c.intents.push_back(read_intent(q));
  }
  return c;
}

namespace {

// The row writers: insert when id is 0, else update (kNotFound for an unknown
// id). No uniqueness check, revision bump or read-back: save_* and import do
// those once.
Id write_category(sql::Connection& db, const KbCategory& c) {
  sql::Statement q(
      db,
      "INSERT INTO kb_category (workspace_id, slug, position, names) VALUES (?, ?, ?, ?) "
      "ON CONFLICT (workspace_id, slug) DO UPDATE SET position = excluded.position, "
      "names = excluded.names RETURNING id");
  q.bind(1, c.workspace_id).bind(2, c.slug).bind(3, c.position).bind(4, json::serialize(c.names));
  q.step();
  Id id = q.int64(0);
  q.run();
  return id;
}

Id write_article(sql::Connection& db, const KbArticle& a, Millis now) {
  if (a.id == 0) {
    sql::Statement q(
        db,
        "INSERT INTO kb_article (workspace_id, slug, language, category, title, body, "
        "keywords, published, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "RETURNING id");
    q.bind(1, a.workspace_id).bind(2, a.slug).bind(3, a.language).bind(4, a.category);
    q.bind(5, a.title)
        .bind(6, a.body)
        .bind(7, serialize_strings(a.keywords))
        .bind(8, a.published ? 1 : 0);
    q.bind(9, now).bind(10, now).step();
    Id id = q.int64(0);
    q.run();
    return id;
  }
  sql::Statement q(
      db,
      "UPDATE kb_article SET slug = ?, language = ?, category = ?, title = ?, body = ?, "
      "keywords = ?, published = ?, updated_at = ? WHERE workspace_id = ? AND id = ?");
  q.bind(1, a.slug).bind(2, a.language).bind(3, a.category).bind(4, a.title).bind(5, a.body);
  q.bind(6, serialize_strings(a.keywords)).bind(7, a.published ? 1 : 0).bind(8, now);
  q.bind(9, a.workspace_id).bind(10, a.id).run();
  if (q.affected() == 0) not_found("article");
  return a.id;
}

Id write_intent(sql::Connection& db, const FaqIntent& i, Millis now) {
  if (i.id == 0) {
    sql::Statement q(db,
                     "INSERT INTO faq_intent (workspace_id, name, language, question, phrasings, "
                     "answer, enabled, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
                     "RETURNING id");
    q.bind(1, i.workspace_id).bind(2, i.name).bind(3, i.language).bind(4, i.question);
    q.bind(5, serialize_strings(i.phrasings)).bind(6, i.answer).bind(7, i.enabled ? 1 : 0);
    q.bind(8, now).bind(9, now).step();
    Id id = q.int64(0);
    q.run();
    return id;
  }
  sql::Statement q(db,
                   "UPDATE faq_intent SET name = ?, language = ?, question = ?, phrasings = ?, "
                   "answer = ?, enabled = ?, updated_at = ? WHERE workspace_id = ? AND id = ?");
  q.bind(1, i.name).bind(2, i.language).bind(3, i.question).bind(4, serialize_strings(i.phrasings));
  q.bind(5, i.answer).bind(6, i.enabled ? 1 : 0).bind(7, now).bind(8, i.workspace_id).bind(9, i.id);
  q.run();
  if (q.affected() == 0) not_found("intent");
  return i.id;
}

constexpr std::string_view kArticleByKey =
    "SELECT id FROM kb_article WHERE workspace_id = ? AND slug = ? AND language = ?";
constexpr std::string_view kIntentByKey =
    "SELECT id FROM faq_intent WHERE workspace_id = ? AND name = ? AND language = ?";

}  // namespace

KbCategory save_category(sql::Connection& db, const KbCategory& c) {
  KbCategory out = c;
  out.id = write_category(db, c);
  bump_revision(db, c.workspace_id);
  return out;
}

std::optional<KbArticle> article(sql::Connection& db, Id ws, Id id) {
  sql::Statement q(db, select_articles() + "WHERE a.workspace_id = ? AND a.id = ?");
  q.bind(1, ws).bind(2, id);
  if (!q.step()) return std::nullopt;
  return read_article(q);
}

KbArticle save_article(sql::Connection& db, const KbArticle& a, Millis now) {
  if (a.id != 0 && !article(db, a.workspace_id, a.id)) not_found("article");
  auto same = find_id(db, kArticleByKey, a.workspace_id, a.slug, a.language);
  if (same && *same != a.id)
    throw StoreError(StoreError::Code::kConflict,
                     "an article '" + a.slug + "' in " + a.language + " already exists");
  Id id = write_article(db, a, now);
  bump_revision(db, a.workspace_id);
  return *article(db, a.workspace_id, id);
}

FaqIntent save_intent(sql::Connection& db, const FaqIntent& i, Millis now) {
  if (i.id != 0 && !load_intent(db, i.workspace_id, i.id)) not_found("intent");
  auto same = find_id(db, kIntentByKey, i.workspace_id, i.name, i.language);
  if (same && *same != i.id)
    throw StoreError(StoreError::Code::kConflict,
                     "an intent '" + i.name + "' in " + i.language + " already exists");
  Id id = write_intent(db, i, now);
  bump_revision(db, i.workspace_id);
  return *load_intent(db, i.workspace_id, id);
}

void delete_row(sql::Connection& db, std::string_view table, Id ws, Id id) {
  sql::Statement q(db, "DELETE FROM " + std::string(table) + " WHERE workspace_id = ? AND id = ?");
  q.bind(1, ws).bind(2, id).run();
  if (q.affected() == 0) not_found(table);
}

// One statement to find each row by its natural key and one to write it; the
// revision moves once for the whole import.
KbImportResult import(sql::Connection& db, Id ws, const KbContent& content, bool replace,
                      Millis now) {
  KbImportResult r;
  std::set<std::string> categories, articles, intents;
  for (auto c : content.categories) {
    c.workspace_id = ws;
    write_category(db, c);
    categories.insert(c.slug);
    ++r.categories;
  }
  for (auto a : content.articles) {
    a.workspace_id = ws;
    a.id = find_id(db, kArticleByKey, ws, a.slug, a.language).value_or(0);
    write_article(db, a, now);
    articles.insert(a.slug + "\n" + a.language);
    ++r.articles;
  }
  for (auto i : content.intents) {
    i.workspace_id = ws;
    i.id = find_id(db, kIntentByKey, ws, i.name, i.language).value_or(0);
    write_intent(db, i, now);
    intents.insert(i.name + "\n" + i.language);
    ++r.intents;
  }
  if (replace) {
    auto existing = kb_queries::content(db, ws);
    for (const auto& c : existing.categories)
      if (!categories.count(c.slug)) delete_row(db, "kb_category", ws, c.id);
    for (const auto& a : existing.articles)
      if (!articles.count(a.slug + "\n" + a.language)) delete_row(db, "kb_article", ws, a.id);
    for (const auto& i : existing.intents)
      if (!intents.count(i.name + "\n" + i.language)) delete_row(db, "faq_intent", ws, i.id);
  }
  bump_revision(db, ws);
  return r;
}

void vote(sql::Connection& db, Id ws, Id article_id, const std::string& voter, bool helpful,
          Millis now) {
  if (!article(db, ws, article_id)) not_found("article");
  sql::Statement q(
      db,
      "INSERT INTO kb_vote (article_id, voter, helpful, created_at) VALUES (?, ?, ?, ?) "
      "ON CONFLICT (article_id, voter) DO UPDATE SET helpful = excluded.helpful, "
      "created_at = excluded.created_at");
  q.bind(1, article_id).bind(2, voter).bind(3, helpful ? 1 : 0).bind(4, now).run();
}

json::object bot_settings(sql::Connection& db, Id ws) {
  sql::Statement q(db, "SELECT bot FROM workspace_kb WHERE workspace_id = ?");
  q.bind(1, ws);
  if (!q.step()) return {};
  auto v = parse_or(q.text(0), json::object{});
  return v.is_object() ? v.as_object() : json::object{};
}

void set_bot_settings(sql::Connection& db, Id ws, const json::object& settings) {
  sql::Statement q(db,
                   "INSERT INTO workspace_kb (workspace_id, revision, bot) VALUES (?, 1, ?) "
                   "ON CONFLICT (workspace_id) DO UPDATE SET bot = excluded.bot, revision = "
                   "workspace_kb.revision + 1");
  q.bind(1, ws).bind(2, json::serialize(settings)).run();
}

Id record_question(sql::Connection& db, const BotQuestion& b, Millis now) {
  sql::Statement q(
      db,
      "INSERT INTO bot_question (workspace_id, conversation_id, language, text, outcome, "
      "answer_ref, confidence_pm, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
  q.bind(1, b.workspace_id).bind(2, b.conversation_id).bind(3, b.language).bind(4, b.text);
  q.bind(5, b.outcome).bind(6, b.answer_ref);
  q.bind(7, static_cast<std::int64_t>(std::lround(b.confidence * 1000))).bind(8, now);
  if (!q.step()) throw StoreError(StoreError::Code::kInternal, "question not recorded");
  return q.int64(0);
}

std::vector<UnansweredQuestion> unanswered(sql::Connection& db, Id ws, Millis since, int limit) {
  // Grouped by the text as typed, ignoring case and surrounding spaces.
  sql::Statement q(db,
                   "SELECT MIN(text), MAX(language), COUNT(*), MAX(created_at), "
                   "MAX(conversation_id) FROM bot_question WHERE workspace_id = ? AND outcome != "
                   "'answered' AND dismissed = 0 AND created_at >= ? GROUP BY lower(trim(text)) "
                   "ORDER BY COUNT(*) DESC, MAX(created_at) DESC LIMIT ?");
  q.bind(1, ws).bind(2, since).bind(3, limit);
  std::vector<UnansweredQuestion> out;
  while (q.step()) out.push_back({q.text(0), q.text(1), q.int64(2), q.int64(3), q.int64(4)});
  return out;
}

void dismiss(sql::Connection& db, Id ws, const std::string& text) {
  sql::Statement q(db,
                   "UPDATE bot_question SET dismissed = 1 WHERE workspace_id = ? AND "
                   "lower(trim(text)) = lower(trim(?)) AND outcome != 'answered'");
  q.bind(1, ws).bind(2, text).run();
  if (q.affected() == 0) not_found("question");
}

std::vector<BotQuestion> questions(sql::Connection& db, Id ws, Id conversation) {
  sql::Statement q(db,
                   "SELECT id, language, text, outcome, answer_ref, confidence_pm, created_at FROM "
                   "bot_question WHERE workspace_id = ? AND conversation_id = ? ORDER BY id");
  q.bind(1, ws).bind(2, conversation);
  std::vector<BotQuestion> out;
  while (q.step())
    out.push_back({q.int64(0), ws, conversation, q.text(1), q.text(2), q.text(3), q.text(4),
                   static_cast<double>(q.int64(5)) / 1000.0, q.int64(6)});
  return out;
}

Id record_deflection(sql::Connection& db, Id ws, const std::string& source,
                     const std::string& query, const std::vector<Id>& articles, Millis now) {
  json::array ids;
  for (Id a : articles) ids.push_back(a);
  sql::Statement q(
      db,
      "INSERT INTO deflection (workspace_id, source, query, articles, created_at) VALUES "
      "(?, ?, ?, ?, ?) RETURNING id");
  q.bind(1, ws).bind(2, source).bind(3, query).bind(4, json::serialize(ids)).bind(5, now).step();
  Id id = q.int64(0);
  q.run();
  return id;
}

void set_deflection_outcome(sql::Connection& db, Id ws, Id id, const std::string& outcome) {
  sql::Statement q(db, "SELECT outcome FROM deflection WHERE workspace_id = ? AND id = ?");
  q.bind(1, ws).bind(2, id);
  if (!q.step()) not_found("deflection");
  if (q.text(0) != "shown")
    throw StoreError(StoreError::Code::kConflict, "this suggestion was already answered");
  q.run();
  sql::Statement u(db, "UPDATE deflection SET outcome = ? WHERE workspace_id = ? AND id = ?");
  u.bind(1, outcome).bind(2, ws).bind(3, id).run();
}

DeflectionStats deflection_stats(sql::Connection& db, Id ws, Millis since) {
  sql::Statement q(db,
                   "SELECT COUNT(*), SUM(CASE WHEN outcome = 'helped' THEN 1 ELSE 0 END), "
                   "SUM(CASE WHEN outcome = 'continued' THEN 1 ELSE 0 END) FROM deflection WHERE "
                   "workspace_id = ? AND created_at >= ?");
  q.bind(1, ws).bind(2, since);
  q.step();
  return {q.int64(0), q.is_null(1) ? 0 : q.int64(1), q.is_null(2) ? 0 : q.int64(2)};
}

}  // namespace sb::sqlite::kb_queries
