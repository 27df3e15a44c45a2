// Knowledge base and bot administration: categories, articles, intents,
// import/export (JSON, CSV), search for agents, bot settings, the questions the
// bot could not answer, and the self-service report. Agents read; admins write.
#include "api/routes.h"
#include "bot/bot.h"
#include "kb_io/kb_io.h"

namespace sb {
namespace {

namespace json = boost::json;

constexpr std::size_t kMaxImportBytes = 4 * 1024 * 1024;
constexpr Millis kDay = 86'400'000;

json::value parse_body(const http::Request& req) {
  if (req.body.size() > kMaxImportBytes) throw HttpError(413, "too_large", "at most 4 MiB");
  return parse_json_object(req.body);
}

// Runs a codec step, turning its complaint into a 400 naming the field.
template <class Fn>
auto checked(Fn fn) -> decltype(fn()) {
  try {
    return fn();
  } catch (const std::invalid_argument& e) {
    throw HttpError(400, "bad_request", e.what());
  }
}

http::Response list(const KbServices& svc, const http::Request& req, const Params&) {
  auto a = svc.auth.require_agent(req);
  auto out = kb_to_json(svc.kb.kb_content(a.workspace_id));
  out["revision"] = svc.kb.kb_revision(a.workspace_id);
  if (auto ws = svc.directory.get_workspace(a.workspace_id))
    out["help_center"] = "/help/" + ws->slug;
  return http::json(200, out);
}

http::Response save_category(const KbServices& svc, const http::Request& req, const Params&) {
  auto a = svc.auth.require_admin(req);
  auto c = checked([&] { return category_from_json(parse_body(req), "category"); });
  c.workspace_id = a.workspace_id;
  auto saved = to_json(svc.kb.save_kb_category(c));
  svc.audit.record(a, req, "kb.category.save", "kb_category", json::serialize(saved["id"]), nullptr,
                   saved);
  return http::json(200, saved);
}

http::Response delete_category(const KbServices& svc, const http::Request& req, const Params& p) {
  auto a = svc.auth.require_admin(req);
  svc.kb.delete_kb_category(a.workspace_id, parse_id(p[0]));
  svc.audit.record(a, req, "kb.category.delete", "kb_category", p[0]);
  return http::json(200, {{"deleted", true}});
}

http::Response get_article(const KbServices& svc, const http::Request& req, const Params& p) {
  auto a = svc.auth.require_agent(req);
  auto article = svc.kb.get_kb_article(a.workspace_id, parse_id(p[0]));
  if (!article) throw HttpError(404, "not_found", "article not found");
  auto out = to_json(*article);
  out["html"] = kb::render_markdown(article->body);
  return http::json(200, out);
}

http::Response save_article(const KbServices& svc, const http::Request& req, const Params& p) {
  auto a = svc.auth.require_admin(req);
  auto article = checked([&] { return article_from_json(parse_body(req), "article"); });
  article.workspace_id = a.workspace_id;
  article.id = p.empty() ? 0 : parse_id(p[0]);
  auto saved = svc.kb.save_kb_article(article);
  // The article itself is in the knowledge base; the log says which one changed.
  svc.audit.record(a, req, p.empty() ? "kb.article.create" : "kb.article.update", "kb_article",
                   std::to_string(saved.id), nullptr,
                   {{"slug", saved.slug},
                    {"language", saved.language},
                    {"title", saved.title},
                    {"published", saved.published}});
  return http::json(p.empty() ? 201 : 200, to_json(saved));
}

http::Response delete_article(const KbServices& svc, const http::Request& req, const Params& p) {
  auto a = svc.auth.require_admin(req);
  svc.kb.delete_kb_article(a.workspace_id, parse_id(p[0]));
  svc.audit.record(a, req, "kb.article.delete", "kb_article", p[0]);
  return http::json(200, {{"deleted", true}});
}

http::Response save_intent(const KbServices& svc, const http::Request& req, const Params& p) {
  auto a = svc.auth.require_admin(req);
  auto intent = checked([&] { return intent_from_json(parse_body(req), "intent"); });
  intent.workspace_id = a.workspace_id;
  intent.id = p.empty() ? 0 : parse_id(p[0]);
  auto saved = svc.kb.save_faq_intent(intent);
  svc.audit.record(
      a, req, p.empty() ? "kb.intent.create" : "kb.intent.update", "faq_intent",
      std::to_string(saved.id), nullptr,
      {{"name", saved.name}, {"language", saved.language}, {"enabled", saved.enabled}});
  return http::json(p.empty() ? 201 : 200, to_json(saved));
}

http::Response delete_intent(const KbServices& svc, const http::Request& req, const Params& p) {
  auto a = svc.auth.require_admin(req);
  svc.kb.delete_faq_intent(a.workspace_id, parse_id(p[0]));
  svc.audit.record(a, req, "kb.intent.delete", "faq_intent", p[0]);
  return http::json(200, {{"deleted", true}});
}

// ?format=json (default) | articles.csv | intents.csv
http::Response export_kb(const KbServices& svc, const http::Request& req, const Params&) {
  auto a = svc.auth.require_admin(req);
  auto content = svc.kb.kb_content(a.workspace_id);
  svc.audit.record(a, req, "kb.export", "kb", "");
  auto format = req.query.count("format") ? req.query.at("format") : "json";
  http::Response r;
  if (format == "json") {
    r = http::json(200, kb_to_json(content));
  } else if (format == "articles.csv" || format == "intents.csv") {
    r.body = format == "articles.csv" ? articles_to_csv(content.articles)
                                      : intents_to_csv(content.intents);
    r.header("Content-Type", "text/csv; charset=utf-8");
  } else {
    throw HttpError(400, "bad_request", "format must be json, articles.csv or intents.csv");
  }
  r.header("Content-Disposition", "attachment; filename=\"knowledge-base." +
                                      (format == "json" ? std::string("json") : format) + "\"");
  return r;
}

// Body: the JSON document, or CSV with ?table=articles|intents. ?mode=merge
// (default: upsert by slug+language / name+language) or replace (also deletes
// what the upload does not name). All or nothing.
http::Response import_kb(const KbServices& svc, const http::Request& req, const Params&) {
  auto a = svc.auth.require_admin(req);
  if (req.body.size() > kMaxImportBytes) throw HttpError(413, "too_large", "at most 4 MiB");
  auto mode = req.query.count("mode") ? req.query.at("mode") : "merge";
  if (mode != "merge" && mode != "replace")
    throw HttpError(400, "bad_request", "mode must be merge or replace");
  auto table = req.query.count("table") ? req.query.at("table") : "";
  KbContent content;
  if (req.header("content-type").starts_with("text/csv")) {
    if (table != "articles" && table != "intents")
      throw HttpError(400, "bad_request", "CSV needs ?table=articles or ?table=intents");
    if (mode == "replace")
      throw HttpError(400, "bad_request", "replace needs the whole knowledge base as JSON");
    content = checked([&] { return kb_from_csv(req.body, table); });
  } else {
    auto doc = parse_json_object(req.body);
    content = checked([&] { return kb_from_json(doc); });
  }
  auto r = svc.kb.import_kb(a.workspace_id, content, mode == "replace");
  json::object summary{{"categories", r.categories},
                       {"articles", r.articles},
                       {"intents", r.intents},
                       {"revision", svc.kb.kb_revision(a.workspace_id)}};
  svc.audit.record(a, req, "kb.import", "kb", mode, nullptr, summary);
  return http::json(200, summary);
}

http::Response search(const KbServices& svc, const http::Request& req, const Params&) {
  auto a = svc.auth.require_agent(req);
  auto q = req.query.count("q") ? req.query.at("q") : "";
  auto lang = req.query.count("language") ? req.query.at("language") : "";
  if (!lang.empty() && !is_supported_language(lang))
    throw HttpError(400, "bad_request", "language must be one of en, it, ru, hu, pl");
  auto k = svc.knowledge.get(a.workspace_id);
  json::array hits;
  for (const auto& h : k->articles->search(q.substr(0, 500), lang, 10)) {
    const auto* article = k->article(h.id);
    if (!article) continue;
    hits.push_back({{"id", article->id},
                    {"slug", article->slug},
                    {"language", article->language},
                    {"title", article->title},
                    {"snippet", kb::plain_text(article->body, 200)},
                    {"score", h.score}});
  }
  return http::json(200, {{"results", hits}});
}

http::Response get_bot(const KbServices& svc, const http::Request& req, const Params&) {
  auto a = svc.auth.require_agent(req);
  return http::json(200, svc.bot.settings(a.workspace_id));
}

http::Response put_bot(const KbServices& svc, const http::Request& req, const Params&) {
  auto a = svc.auth.require_admin(req);
  auto body = parse_json_object(req.body);
  auto s = svc.bot.settings(a.workspace_id);
  const auto before = s;
  if (auto* v = body.if_contains("enabled")) {
    if (!v->is_bool()) throw HttpError(400, "bad_request", "enabled must be true or false");
    s["enabled"] = v->as_bool();
  }
  if (auto* v = body.if_contains("name")) {
    auto name = v->is_string() ? trim(std::string(v->as_string())) : "";
    if (name.empty() || name.size() > 60)
      throw HttpError(400, "bad_request", "name must be 1-60 characters");
    s["name"] = name;
  }
  if (auto* v = body.if_contains("min_confidence")) {
    if (!v->is_null() &&
        (!v->is_number() || v->to_number<double>() <= 0 || v->to_number<double>() >= 1))
      throw HttpError(400, "bad_request", "min_confidence must be null or between 0 and 1");
    s["min_confidence"] = *v;
  }
  svc.kb.set_bot_settings(a.workspace_id, s);
  svc.audit.record(a, req, "bot.update", "bot", "", before, s);
  return http::json(200, s);
}

Millis since_days(const KbServices& svc, const http::Request& req) {
  int days = 30;
  if (req.query.count("days")) {
    try {
      days = std::stoi(req.query.at("days"));
    } catch (...) {
      days = -1;
    }
    if (days < 1 || days > 365) throw HttpError(400, "bad_request", "days must be 1-365");
  }
  return svc.env.now_ms() - days * kDay;
}

http::Response unanswered(const KbServices& svc, const http::Request& req, const Params&) {
  auto a = svc.auth.require_admin(req);
  json::array out;
  for (const auto& q : svc.kb.unanswered_questions(a.workspace_id, since_days(svc, req), 200))
    out.push_back({{"text", q.text},
                   {"language", q.language},
                   {"count", q.count},
                   {"last_at", q.last_at},
                   {"last_conversation_id", q.last_conversation_id}});
  return http::json(200, {{"questions", out}});
}

http::Response dismiss(const KbServices& svc, const http::Request& req, const Params&) {
  auto a = svc.auth.require_admin(req);
  auto text = json_string(parse_json_object(req.body), "text").value_or("");
  if (text.empty()) throw HttpError(400, "bad_request", "text is required");
  svc.kb.dismiss_unanswered(a.workspace_id, text);
  return http::json(200, {{"dismissed", true}});
}

json::object bot_json(const BotOutcomes& o, std::int64_t open_questions) {
  auto seen = o.answered + o.unanswered + o.handed_off;
  auto rated = o.helpful + o.not_helpful;
  auto share = [](std::int64_t part, std::int64_t whole) {
    return whole ? json::value(static_cast<double>(part) / static_cast<double>(whole)) : nullptr;
  };
  return {{"unanswered_or_handed_off", open_questions},
          {"questions", seen},
          {"answered", o.answered},
          {"unanswered", o.unanswered},
          {"handed_off", o.handed_off},
          {"answer_rate", share(o.answered, seen)},
          {"helpful", o.helpful},
          {"not_helpful", o.not_helpful},
          {"helpful_rate", share(o.helpful, rated)}};
}

// Deflection (suggestions shown before contact), votes, and the bot's outcomes.
http::Response self_service_report(const KbServices& svc, const http::Request& req, const Params&) {
  auto a = svc.auth.require_supervisor(req);
  auto since = since_days(svc, req);
  auto d = svc.kb.deflection_stats(a.workspace_id, since);
  json::array articles;
  for (const auto& art : svc.kb.kb_content(a.workspace_id).articles)
    if (art.helpful + art.not_helpful > 0)
      articles.push_back({{"id", art.id},
                          {"slug", art.slug},
                          {"language", art.language},
                          {"title", art.title},
                          {"helpful", art.helpful},
                          {"not_helpful", art.not_helpful}});
  auto unanswered = svc.kb.unanswered_questions(a.workspace_id, since, 10000);
  std::int64_t open_questions = 0;
  for (const auto& q : unanswered) open_questions += q.count;
  return http::json(
      200, {{"deflection",
             {{"shown", d.shown},
              {"helped", d.helped},
              {"continued", d.continued},
              {"rate", d.shown ? json::value(static_cast<double>(d.helped) / d.shown) : nullptr}}},
            {"articles", articles},
            {"bot", bot_json(svc.kb.bot_outcomes(a.workspace_id, since), open_questions)}});
}

}  // namespace

void add_kb_routes(Router& r, const KbServices& svc) {
  // KB writes are the admins', up to 4 MiB; a large body waits for that check.
  const BodyRule admin_body{kMaxImportBytes, false,
                            [&auth = svc.auth](const http::Request& q) { auth.require_admin(q); }};
  r.add(Access::kAgent, "GET", "/api/v1/kb", with(svc, list));
  r.add(Access::kAdmin, "POST", "/api/v1/kb/categories", with(svc, save_category), admin_body);
  r.add(Access::kAdmin, "DELETE", "/api/v1/kb/categories/:id", with(svc, delete_category));
  r.add(Access::kAdmin, "POST", "/api/v1/kb/articles", with(svc, save_article), admin_body);
  r.add(Access::kAgent, "GET", "/api/v1/kb/articles/:id", with(svc, get_article));
  r.add(Access::kAdmin, "PUT", "/api/v1/kb/articles/:id", with(svc, save_article), admin_body);
  r.add(Access::kAdmin, "DELETE", "/api/v1/kb/articles/:id", with(svc, delete_article));
  r.add(Access::kAdmin, "POST", "/api/v1/kb/intents", with(svc, save_intent), admin_body);
  r.add(Access::kAdmin, "PUT", "/api/v1/kb/intents/:id", with(svc, save_intent), admin_body);
  r.add(Access::kAdmin, "DELETE", "/api/v1/kb/intents/:id", with(svc, delete_intent));
  r.add(Access::kAdmin, "GET", "/api/v1/kb/export", with(svc, export_kb));
  auto import_body = admin_body;
  import_body.csv_too = true;
  r.add(Access::kAdmin, "POST", "/api/v1/kb/import", with(svc, import_kb), import_body);
  r.add(Access::kAgent, "GET", "/api/v1/kb/search", with(svc, search));
  r.add(Access::kAgent, "GET", "/api/v1/bot", with(svc, get_bot));
  r.add(Access::kAdmin, "PUT", "/api/v1/bot", with(svc, put_bot));
  r.add(Access::kAdmin, "GET", "/api/v1/bot/unanswered", with(svc, unanswered));
  r.add(Access::kAdmin, "POST", "/api/v1/bot/unanswered/dismiss", with(svc, dismiss));
  r.add(Access::kSupervisor, "GET", "/api/v1/reports/self-service", with(svc, self_service_report));
}

}  // namespace sb
