// NPS and custom surveys (Q2): admins build a survey from a few questions (NPS
// 0-10, a 1-3 or 1-5 rating, a choice, free text); supervisors send a contact
// a link (/s/<token>: only the token's hash is stored, it expires, it is
// answered once); the customer answers on a public page; the NPS report gives
// seed 003's score (% promoters - % detractors) with its interval, per day,
// and each question's answers, also as CSV.
#include <regex>
#include <set>

#include "api/csv.h"
#include "api/problems.h"
#include "api/routes.h"
#include "api/survey_forms.h"
#include "coach/coach.h"
#include "http/http.h"

namespace sb {
namespace {

namespace json = boost::json;

constexpr std::size_t kMaxQuestions = 20, kMaxOptions = 10;
constexpr std::size_t kMaxLabel = 300, kMaxOption = 100, kMaxText = 2000, kMaxName = 120;
constexpr Millis kDay = 86'400'000;
constexpr int kMaxResponses = 200000;

json::object survey_view(const Survey& s) {
  return {{"id", s.id},
          {"name", s.name},
          {"status", s.status},
          {"questions", s.questions},
          {"translations", s.translations},
          {"responses", s.responses},
          {"created_at", s.created_at},
          {"updated_at", s.updated_at}};
}

Survey visible_survey(const SurveyServices& svc, Id ws, const std::string& id) {
  auto s = svc.surveys.survey(ws, parse_id(id));
  if (!s) throw HttpError(404, "not_found", "no such survey");
  return *s;
}

bool text_of(const json::value* v, std::size_t most, std::string& out) {
  if (!v || !v->is_string() || !is_valid_utf8(v->as_string())) return false;
  out = trim(std::string(v->as_string()));
  return !out.empty() && utf8_chars(out) <= most;
}

int number_of(const std::string& id) {
  return std::atoi(id.c_str() + 1);
}

// One question as sent; `used` holds the ids taken so far. Problems name
// "questions[i].field".
json::object read_question(const json::value& v, std::size_t i, std::set<std::string>& used,
                           int& next_id, Problems& bad) {
  const std::string at = "questions[" + std::to_string(i) + "]";
  json::object q;
  if (!v.is_object()) {
    bad.add(at, "must be an object");
    return q;
  }
  const auto& o = v.as_object();
  static const std::regex kId("q[1-9][0-9]{0,3}");
  if (auto* id = o.if_contains("id"); id && !id->is_null()) {
    std::string s = id->is_string() ? std::string(id->as_string()) : "";
    if (!std::regex_match(s, kId) || used.count(s))
      bad.add(at + ".id", "must be a question id (q1, q2, ...) used once");
    else
      q["id"] = s;
  }
  std::string type = json_string(o, "type").value_or("");
  if (type != "nps" && type != "rating" && type != "choice" && type != "text")
    bad.add(at + ".type", "must be nps, rating, choice or text");
  q["type"] = type;
  std::string label;
  if (!text_of(o.if_contains("label"), kMaxLabel, label))
    bad.add(at + ".label", "must be text of 1 to 300 characters");
  q["label"] = label;
  auto required = o.if_contains("required");
  if (required && !required->is_bool()) bad.add(at + ".required", "must be true or false");
  q["required"] = required && required->is_bool() && required->as_bool();
  if (type == "rating") {
    auto scale = json_string(o, "scale").value_or("5");
    if (scale != "3" && scale != "5") bad.add(at + ".scale", "must be \"3\" or \"5\"");
    q["scale"] = scale;
  }
  if (type == "choice") {
    json::array options;
    std::set<std::string> seen;
    auto* list = o.if_contains("options");
    bool ok = list && list->is_array() && list->as_array().size() >= 2 &&
              list->as_array().size() <= kMaxOptions;
    for (std::size_t k = 0; ok && k < list->as_array().size(); ++k) {
      std::string option;
      ok = text_of(&list->as_array()[k], kMaxOption, option) && seen.insert(option).second;
      options.emplace_back(option);
    }
    if (!ok) bad.add(at + ".options", "must be 2 to 10 different texts of up to 100 characters");
    q["options"] = std::move(options);
    auto multiple = o.if_contains("multiple");
    q["multiple"] = multiple && multiple->is_bool() && multiple->as_bool();
  }
  if (!q.contains("id")) q["id"] = "q" + std::to_string(next_id++);
  used.insert(std::string(q["id"].as_string()));
  return q;
}

// The questions of a body; ids kept when sent, new ones numbered after every id
// the survey ever had (`highest`), so an answer never changes question.
json::array read_questions(const json::value* v, int highest, Problems& bad) {
  json::array out;
  if (!v || !v->is_array() || v->as_array().empty() || v->as_array().size() > kMaxQuestions) {
    bad.add("questions", "must be 1 to 20 questions");
    return out;
  }
  std::set<std::string> used;
  int next_id = highest + 1;
  for (const auto& q : v->as_array())
    if (q.is_object())
      if (auto* id = q.as_object().if_contains("id");
          id && id->is_string() && id->as_string().size() > 1)
        next_id = std::max(next_id, number_of(std::string(id->as_string())) + 1);
  int nps = 0;
  for (std::size_t i = 0; i < v->as_array().size(); ++i) {
    auto q = read_question(v->as_array()[i], i, used, next_id, bad);
    nps += q["type"] == "nps";
    out.push_back(std::move(q));
  }
  if (nps > 1) bad.add("questions", "may have one NPS question");
  return out;
}

int highest_id(const json::array& questions) {
  int most = 0;
  for (const auto& q : questions)
    if (q.is_object())
      if (auto id = json_string(q.as_object(), "id")) most = std::max(most, number_of(*id));
  return most;
}

const json::object* question_of(const json::array& questions, std::string_view id) {
  for (const auto& q : questions)
    if (q.as_object().at("id").as_string() == id) return &q.as_object();
  return nullptr;
}

// One question's translation: {label?, options?} (as many options as it has).
json::object read_question_text(const json::object& q, const json::value& v, const std::string& at,
                                Problems& bad) {
  json::object out;
  if (!v.is_object()) {
    bad.add(at, "must be {label?, options?}");
    return out;
  }
  std::string label;
  if (auto* l = v.as_object().if_contains("label")) {
    if (!text_of(l, kMaxLabel, label))
      bad.add(at + ".label", "must be text of 1 to 300 characters");
    else
      out["label"] = label;
  }
  if (auto* o = v.as_object().if_contains("options")) {
    const auto* base = q.if_contains("options");
    bool ok = base && o->is_array() && o->as_array().size() == base->as_array().size();
    json::array options;
    for (std::size_t k = 0; ok && k < o->as_array().size(); ++k) {
      std::string option;
      ok = text_of(&o->as_array()[k], kMaxOption, option);
      options.emplace_back(option);
    }
    if (!ok)
      bad.add(at + ".options", "must be one text of up to 100 characters per option, in order");
    else
      out["options"] = std::move(options);
  }
  return out;
}

// translations: {it: {name?, questions: {q1: {label?, options?}}}, ...}.
json::object read_translations(const json::value& v, const json::array& questions, Problems& bad) {
  json::object out;
  if (!v.is_object()) {
    bad.add("translations", "must be an object by language (it, ru, hu, pl, en)");
    return out;
  }
  for (const auto& [language, t] : v.as_object()) {
    const std::string at = "translations." + std::string(language);
    if (!coach::is_language(language) || !t.is_object()) {
      bad.add(at, "must be a language (en, it, ru, hu, pl) with {name?, questions?}");
      continue;
    }
    json::object one;
    std::string name;
    if (auto* n = t.as_object().if_contains("name")) {
      if (!text_of(n, kMaxName, name))
        bad.add(at + ".name", "must be text of 1 to 120 characters");
      else
        one["name"] = name;
    }
    json::object texts;
    if (auto* qs = t.as_object().if_contains("questions")) {
      if (!qs->is_object()) bad.add(at + ".questions", "must be an object by question id");
      for (const auto& [id, text] : qs->is_object() ? qs->as_object() : json::object{}) {
        const auto* q = question_of(questions, id);
        if (!q)
          bad.add(at + ".questions." + std::string(id), "no such question");
        else
          texts[id] = read_question_text(*q, text, at + ".questions." + std::string(id), bad);
      }
    }
    one["questions"] = std::move(texts);
    out[language] = std::move(one);
  }
  return out;
}

// Questions removed or options changed: their translations go with them.
json::object prune_translations(const json::object& all, const json::array& questions) {
  json::object out;
  for (const auto& [language, t] : all) {
    json::object one = t.as_object();
    json::object texts;
    if (auto* qs = one.if_contains("questions"); qs && qs->is_object())
      for (const auto& [id, text] : qs->as_object()) {
        const auto* q = question_of(questions, id);
        if (!q) continue;
        auto kept = text.as_object();
        const auto* base = q->if_contains("options");
        if (auto* o = kept.if_contains("options");
            o && (!base || o->as_array().size() != base->as_array().size()))
          kept.erase("options");
        texts[id] = std::move(kept);
      }
    one["questions"] = std::move(texts);
    out[language] = std::move(one);
  }
  return out;
}

http::Response save(const SurveyServices& svc, const http::Request& req, const Actor& a, Survey s,
                    int status) {
  auto body = body_of(req);
  Problems bad;
  if (auto* n = body.if_contains("name"); n || s.id == 0) {
    if (!text_of(n, kMaxName, s.name)) bad.add("name", "must be text of 1 to 120 characters");
  }
  if (auto* st = body.if_contains("status")) {
    if (!st->is_string() || (st->as_string() != "active" && st->as_string() != "archived"))
      bad.add("status", "must be active or archived");
    else
      s.status = std::string(st->as_string());
  }
  if (auto* q = body.if_contains("questions"); q || s.id == 0)
    s.questions = read_questions(q, highest_id(s.questions), bad);
  if (auto* t = body.if_contains("translations"); t && bad.empty())
    s.translations = read_translations(*t, s.questions, bad);
  s.translations = prune_translations(s.translations, s.questions);
  if (!bad.empty()) return invalid(bad);
  auto saved = svc.surveys.save_survey(s);
  svc.audit.record(a, req, status == 201 ? "survey.create" : "survey.update", "survey",
                   std::to_string(saved.id), nullptr, {{"name", saved.name}});
  return http::json(status, survey_view(saved));
}

// --- the console ---

http::Response list(const SurveyServices& svc, const http::Request& req, const Params&) {
  auto a = svc.auth.require_agent(req);
  json::array out;
  for (const auto& s : svc.surveys.surveys(a.workspace_id)) out.push_back(survey_view(s));
  return http::json(200, {{"surveys", std::move(out)}});
}

http::Response create(const SurveyServices& svc, const http::Request& req, const Params&) {
  auto a = svc.auth.require_agent(req);
  Survey s;
  s.workspace_id = a.workspace_id;
  s.created_by = a.agent_id;
  return save(svc, req, a, std::move(s), 201);
}

http::Response change(const SurveyServices& svc, const http::Request& req, const Params& p) {
  auto a = svc.auth.require_agent(req);
  return save(svc, req, a, visible_survey(svc, a.workspace_id, p[0]), 200);
}

http::Response remove(const SurveyServices& svc, const http::Request& req, const Params& p) {
  auto a = svc.auth.require_agent(req);
  auto s = visible_survey(svc, a.workspace_id, p[0]);
  try {
    svc.surveys.delete_survey(a.workspace_id, s.id);
  } catch (const StoreError& e) {
    if (e.code() != StoreError::Code::kConflict) throw;
    throw HttpError(409, "has_responses", "the survey has responses: archive it instead");
  }
  svc.audit.record(a, req, "survey.delete", "survey", std::to_string(s.id), {{"name", s.name}},
                   nullptr);
  return http::json(200, {{"deleted", true}});
}

std::optional<Id> optional_id(const json::object& body, const char* name, Problems& bad) {
  auto* v = body.if_contains(name);
  if (!v || v->is_null()) return std::nullopt;
  if (!v->is_int64() || v->as_int64() <= 0) {
    bad.add(name, "must be an id");
    return std::nullopt;
  }
  return v->as_int64();
}

http::Response make_link(const SurveyServices& svc, const http::Request& req, const Params& p) {
  auto a = svc.auth.require_agent(req);
  auto s = visible_survey(svc, a.workspace_id, p[0]);
  if (s.status != "active") throw HttpError(409, "archived", "the survey is archived");
  auto body = body_of(req);
  Problems bad;
  SurveyLink l;
  l.workspace_id = a.workspace_id;
  l.survey_id = s.id;
  l.contact_id = optional_id(body, "contact_id", bad);
  l.conversation_id = optional_id(body, "conversation_id", bad);
  std::int64_t days = 30;
  if (auto* d = body.if_contains("expires_in_days"); d && !d->is_null()) {
    if (!d->is_int64() || d->as_int64() < 1 || d->as_int64() > 365)
      bad.add("expires_in_days", "must be 1 to 365");
    else
      days = d->as_int64();
  }
  if (!bad.empty()) return invalid(bad);
  auto token = svc.env.random_hex(24);
  l.token_hash = security::sha256_hex(token);
  l.expires_at = svc.env.now_ms() + days * kDay;
  try {
    svc.surveys.create_survey_link(l);
  } catch (const StoreError& e) {
    if (e.code() != StoreError::Code::kNotFound) throw;
    Problems unknown;
    unknown.add(std::string(e.what()).find("contact") != std::string::npos ? "contact_id"
                                                                           : "conversation_id",
                e.what());
    return invalid(unknown);
  }
  svc.audit.record(a, req, "survey.link", "survey", std::to_string(s.id), nullptr,
                   {{"contact_id", l.contact_id ? json::value(*l.contact_id) : nullptr}});
  return http::json(201, {{"token", token}, {"url", "/s/" + token}, {"expires_at", l.expires_at}});
}

// --- the customer's page ---

struct Opened {
  SurveyLink link;
  Survey survey;
};

Opened open_link(const SurveyServices& svc, const std::string& token) {
  static const std::regex kToken("[0-9a-f]{48}");
  auto link = std::regex_match(token, kToken) ? svc.surveys.survey_link(security::sha256_hex(token))
                                              : std::nullopt;
  if (!link) throw HttpError(404, "not_found", "no such survey link");
  auto s = svc.surveys.survey(link->workspace_id, link->survey_id);
  if (!s) throw HttpError(404, "not_found", "no such survey link");
  if (link->expires_at <= svc.env.now_ms() || s->status != "active")
    throw HttpError(410, "expired", "this survey is closed");
  return {*link, *s};
}

// The reader's language: ?lang= (the page's), else the conversation's the link
// was sent for, else the survey as written.
std::string reader_language(const SurveyServices& svc, const http::Request& req,
                            const SurveyLink& link) {
  auto asked = req.param("lang").value_or("");
  if (coach::is_language(asked)) return asked;
  if (link.conversation_id)
    if (auto c = svc.conversations.get_conversation(link.workspace_id, *link.conversation_id))
      return c->customer_language();
  return "";
}

http::Response public_survey(const SurveyServices& svc, const http::Request& req, const Params& p) {
  auto o = open_link(svc, p[0]);
  return http::json(200, {{"survey", localized_survey(o.survey, reader_language(svc, req, o.link))},
                          {"answered", o.link.answered_at.has_value()},
                          {"expires_at", o.link.expires_at}});
}

// One answer checked against its question; the problem under "answers.<id>".
void check_answer(const json::object& q, const json::value* a, json::object& out,
                  std::optional<int>& nps, Problems& bad) {
  std::string id(q.at("id").as_string());
  std::string type(q.at("type").as_string());
  bool required = q.at("required").as_bool();
  const std::string field = "answers." + id;
  bool empty = !a || a->is_null() ||
               (a->is_string() && trim(std::string(a->as_string())).empty()) ||
               (a->is_array() && a->as_array().empty());
  if (empty) {
    if (required) bad.add(field, "is required");
    return;
  }
  if (type == "nps" || type == "rating") {
    int top = type == "nps" ? 10 : q.at("scale") == "3" ? 3 : 5;
    int bottom = type == "nps" ? 0 : 1;
    if (!a->is_int64() || a->as_int64() < bottom || a->as_int64() > top) {
      bad.add(field, "must be a whole number from " + std::to_string(bottom) + " to " +
                         std::to_string(top));
      return;
    }
    if (type == "nps") nps = static_cast<int>(a->as_int64());
    out[id] = a->as_int64();
  } else if (type == "choice") {
    const auto& options = q.at("options").as_array();
    auto known = [&](const json::value& v) {
      return v.is_string() && std::find(options.begin(), options.end(), v) != options.end();
    };
    bool multiple = q.at("multiple").as_bool();
    bool ok = multiple
                  ? a->is_array() && std::all_of(a->as_array().begin(), a->as_array().end(), known)
                  : known(*a);
    if (ok && multiple) {
      std::set<std::string> distinct;
      for (const auto& v : a->as_array()) distinct.insert(std::string(v.as_string()));
      ok = distinct.size() == a->as_array().size();
    }
    if (!ok) {
      bad.add(field, multiple ? "must be some of the options" : "must be one of the options");
      return;
    }
    out[id] = *a;
  } else {
    std::string text;
    if (!text_of(a, kMaxText, text)) {
      bad.add(field, "must be text of up to 2,000 characters");
      return;
    }
    out[id] = text;
  }
}

http::Response answer(const SurveyServices& svc, const http::Request& req, const Params& p) {
  auto o = open_link(svc, p[0]);
  if (o.link.answered_at)
    throw HttpError(409, "already_answered", "this survey was answered already");
  auto body = body_of(req);
  Problems bad;
  auto* given = body.if_contains("answers");
  if (!given || !given->is_object()) {
    bad.add("answers", "must be an object of answers by question id");
    return invalid(bad);
  }
  SurveyResponse r;
  std::set<std::string> ids;
  for (const auto& q : o.survey.questions) {
    const auto& question = q.as_object();
    ids.insert(std::string(question.at("id").as_string()));
    check_answer(question, given->as_object().if_contains(question.at("id").as_string()), r.answers,
                 r.nps, bad);
  }
  for (const auto& [key, value] : given->as_object())
    if (!ids.count(std::string(key))) bad.add("answers." + std::string(key), "no such question");
  if (!bad.empty()) return invalid(bad);
  r.workspace_id = o.link.workspace_id;
  r.survey_id = o.link.survey_id;
  r.contact_id = o.link.contact_id;
  r.conversation_id = o.link.conversation_id;
  r.channel = o.link.channel;
  if (!svc.surveys.answer_survey(o.link.token_hash, r))
    throw HttpError(409, "already_answered", "this survey was answered already");
  return http::json(201, {{"thanks", true}});
}

// --- the report ---

std::string answer_text(const json::value& v) {
  if (v.is_string()) return std::string(v.as_string());
  if (v.is_array()) {
    std::string out;
    for (const auto& x : v.as_array())
      out += (out.empty() ? "" : "; ") + (x.is_string() ? std::string(x.as_string()) : "");
    return out;
  }
  return json::serialize(v);
}

http::Response responses_csv(const Survey& s, const std::vector<SurveyResponse>& all) {
  std::string body;
  auto row = [&](const std::vector<std::string>& cells) { body += csv_row(cells); };
  std::vector<std::string> head{"created_at", "channel", "contact_id", "conversation_id"};
  for (const auto& q : s.questions) head.push_back(std::string(q.at("label").as_string()));
  row(head);
  for (const auto& r : all) {
    std::vector<std::string> cells{std::to_string(r.created_at), r.channel,
                                   r.contact_id ? std::to_string(*r.contact_id) : "",
                                   r.conversation_id ? std::to_string(*r.conversation_id) : ""};
    for (const auto& q : s.questions) {
      auto* a = r.answers.if_contains(q.at("id").as_string());
      cells.push_back(a ? answer_text(*a) : "");
    }
    row(cells);
  }
  return csv_file(std::move(body), "survey");
}

json::object nps_json(const reports::Nps& n) {
  auto opt = [](const std::optional<double>& v) { return v ? json::value(*v) : nullptr; };
  return {{"n", n.n},
          {"promoters", n.promoters},
          {"passives", n.passives},
          {"detractors", n.detractors},
          {"score", opt(n.score)},
          {"lower", opt(n.lower)},
          {"upper", opt(n.upper)}};
}

json::object question_summary(const json::object& q, const std::vector<SurveyResponse>& all) {
  std::string id(q.at("id").as_string());
  std::string type(q.at("type").as_string());
  json::object out{{"id", id}, {"type", type}, {"label", q.at("label")}};
  std::int64_t n = 0;
  std::map<std::string, std::int64_t> counts;
  json::array texts;
  for (auto it = all.rbegin(); it != all.rend(); ++it) {
    auto* a = it->answers.if_contains(id);
    if (!a) continue;
    ++n;
    if (type == "text") {
      if (texts.size() < 50) texts.push_back(json::object{{"text", *a}, {"at", it->created_at}});
    } else if (a->is_array()) {
      for (const auto& x : a->as_array()) ++counts[answer_text(x)];
    } else {
      ++counts[answer_text(*a)];
    }
  }
  out["n"] = n;
  if (type == "nps" || type == "rating") {
    int top = type == "nps" ? 10 : q.at("scale") == "3" ? 3 : 5;
    json::object distribution;
    for (int s = type == "nps" ? 0 : 1; s <= top; ++s)
      distribution[std::to_string(s)] = counts[std::to_string(s)];
    out["distribution"] = std::move(distribution);
  } else if (type == "choice") {
    json::array options;
    for (const auto& o : q.at("options").as_array())
      options.push_back(json::object{{"option", o}, {"n", counts[std::string(o.as_string())]}});
    out["options"] = std::move(options);
  } else {
    out["answers"] = std::move(texts);
  }
  return out;
}

http::Response report(const SurveyServices& svc, const http::Request& req, const Params&) {
  auto a = svc.auth.require_agent(req);
  Problems bad;
  auto [from, to] = report_range(req, svc.env.now_ms(), bad);
  auto id = int_param(req, "survey_id", bad);
  if (!id && bad.empty()) bad.add("survey_id", "is required");
  TimeZone tz = zone_param(req, svc.time_zones, bad, nullptr);
  if (!bad.empty()) return invalid(bad);
  auto s = visible_survey(svc, a.workspace_id, std::to_string(*id));
  auto all = svc.surveys.survey_responses(a.workspace_id, s.id, from, to, kMaxResponses);
  if (req.param("format").value_or("") == "csv") return responses_csv(s, all);
  std::vector<int> scores;
  std::map<std::string, std::vector<int>> per_day;
  for (const auto& r : all)
    if (r.nps) {
      scores.push_back(*r.nps);
      per_day[local_time(tz, r.created_at).date].push_back(*r.nps);
    }
  json::array by_day;
  for (const auto& [date, day] : per_day) {
    auto n = reports::nps(day);
    by_day.push_back(json::object{
        {"date", date}, {"n", n.n}, {"score", n.score ? json::value(*n.score) : nullptr}});
  }
  json::array questions;
  for (const auto& q : s.questions) questions.push_back(question_summary(q.as_object(), all));
  return http::json(200, {{"survey_id", s.id},
                          {"from", from},
                          {"to", to},
                          {"responses", all.size()},
                          {"truncated", all.size() >= static_cast<std::size_t>(kMaxResponses)},
                          {"nps", nps_json(reports::nps(scores))},
                          {"by_day", std::move(by_day)},
                          {"questions", std::move(questions)}});
}

// --- the widget's NPS question after a chat ---

bool has_nps(const Survey& s) {
  return std::any_of(s.questions.begin(), s.questions.end(),
                     [](const json::value& q) { return q.at("type") == "nps"; });
}

// Once the chat has ended: a link for this conversation, unless the contact
// was asked within every_days (or this chat was asked already: the widget keeps
// the token it was given).
http::Response widget_survey(const SurveyServices& svc, const http::Request& req, const Params& p) {
  auto v = svc.auth.require_visitor(req);
  auto conv = accessible_conversation(svc.conversations, v, parse_id(p[0]));
  auto nps = widget_nps(svc.surveys, v.workspace_id);
  auto none = [] { return http::json(200, {{"survey", nullptr}}); };
  if (!nps.enabled || !nps.survey_id || conv.status != ConversationStatus::kClosed) return none();
  auto s = svc.surveys.survey(v.workspace_id, *nps.survey_id);
  if (!s || s->status != "active" || !has_nps(*s)) return none();
  if (svc.surveys.has_survey_link(v.workspace_id, conv.id, "widget")) return none();
  Millis now = svc.env.now_ms();
  std::optional<Id> contact;
  if (conv.contact.id != 0) contact = conv.contact.id;
  if (contact)
    if (auto last = svc.surveys.last_survey_link(v.workspace_id, s->id, *contact);
        last && now - *last < nps.every_days * kDay)
      return none();
  auto token = svc.env.random_hex(24);
  SurveyLink l{security::sha256_hex(token),
               v.workspace_id,
               s->id,
               contact,
               conv.id,
               "widget",
               now,
               now + 7 * kDay,
               std::nullopt};
  svc.surveys.create_survey_link(l);
  auto out = localized_survey(*s, conv.customer_language());
  out["token"] = token;
  out["url"] = "/s/" + token;
  return http::json(200, {{"survey", std::move(out)}});
}

}  // namespace

json::object WidgetNps::json() const {
  return {{"enabled", enabled},
          {"survey_id", survey_id ? json::value(*survey_id) : nullptr},
          {"every_days", every_days}};
}

WidgetNps widget_nps(SurveyStore& store, Id ws) {
  WidgetNps w;
  auto settings = store.survey_settings(ws);
  if (auto* o = settings.if_contains("widget_nps"); o && o->is_object()) {
    w.enabled = json_bool(o->as_object(), "enabled").value_or(false);
    w.survey_id = json_int(o->as_object(), "survey_id");
    w.every_days = json_int(o->as_object(), "every_days").value_or(90);
  }
  return w;
}

void read_widget_nps(SurveyStore& store, Id ws, const json::value& v, WidgetNps& w, Problems& bad) {
  if (!v.is_object()) {
    bad.add("widget_nps", "must be {enabled, survey_id, every_days}");
    return;
  }
  const auto& o = v.as_object();
  read_survey_choice(store, ws, o, "widget_nps", w.enabled, w.survey_id, true, bad);
  if (auto* d = o.if_contains("every_days")) {
    if (!d->is_int64() || d->as_int64() < 1 || d->as_int64() > 365)
      bad.add("widget_nps.every_days", "must be 1 to 365");
    else
      w.every_days = d->as_int64();
  }
  if (w.enabled && !w.survey_id) bad.add("widget_nps.survey_id", "is required to ask");
}

void read_survey_choice(SurveyStore& store, Id ws, const json::object& o, const std::string& part,
                        bool& enabled, std::optional<Id>& survey_id, bool needs_nps,
                        Problems& bad) {
  if (auto* e = o.if_contains("enabled")) {
    if (!e->is_bool())
      bad.add(part + ".enabled", "must be true or false");
    else
      enabled = e->as_bool();
  }
  auto* id = o.if_contains("survey_id");
  if (!id) return;
  std::optional<Survey> s;
  if (id->is_int64()) s = store.survey(ws, id->as_int64());
  if (id->is_null())
    survey_id.reset();
  else if (!s)
    bad.add(part + ".survey_id", "no such survey");
  else if (needs_nps && !has_nps(*s))
    bad.add(part + ".survey_id", "has no NPS question");
  else
    survey_id = s->id;
}

json::object localized_survey(const Survey& s, const std::string& language) {
  const json::object* t = nullptr;
  if (auto* x = s.translations.if_contains(language); x && x->is_object()) t = &x->as_object();
  auto text = [&](std::string_view key) -> const json::object* {
    if (!t) return nullptr;
    auto* qs = t->if_contains("questions");
    auto* q = qs && qs->is_object() ? qs->as_object().if_contains(key) : nullptr;
    return q && q->is_object() ? &q->as_object() : nullptr;
  };
  json::array questions;
  for (const auto& v : s.questions) {
    auto q = v.as_object();
    const auto* own = text(q.at("id").as_string());
    if (own && own->contains("label")) q["label"] = own->at("label");
    if (q.contains("options"))
      q["option_labels"] = own && own->contains("options") ? own->at("options") : q.at("options");
    questions.push_back(std::move(q));
  }
  auto* name = t ? t->if_contains("name") : nullptr;
  return {{"name", name ? *name : json::value(s.name)},
          {"language", t ? language : ""},
          {"questions", std::move(questions)}};
}

void add_survey_form_routes(Router& r, const SurveyServices& svc) {
  const BodyRule small{64 * 1024};
  r.add(Access::kSupervisor, "GET", "/api/v1/surveys", with(svc, list));
  r.add(Access::kAdmin, "POST", "/api/v1/surveys", with(svc, create), small);
  r.add(Access::kAdmin, "PATCH", "/api/v1/surveys/:id", with(svc, change), small);
  r.add(Access::kAdmin, "DELETE", "/api/v1/surveys/:id", with(svc, remove), small);
  r.add(Access::kSupervisor, "POST", "/api/v1/surveys/:id/links", with(svc, make_link), small);
  r.add(Access::kPublic, "GET", "/api/v1/public/surveys/:token", with(svc, public_survey));
  r.add(Access::kPublic, "POST", "/api/v1/public/surveys/:token", with(svc, answer),
        BodyRule{32 * 1024});
  r.add(Access::kSupervisor, "GET", "/api/v1/reports/nps", with(svc, report));
  // The widget: the question after a chat, and its answer (the widget's API
  // prefix, for its cross-origin headers; the token is the key, as on /s/).
  r.add(Access::kVisitor, "GET", "/api/v1/widget/conversations/:id/survey",
        with(svc, widget_survey));
  r.add(Access::kPublic, "POST", "/api/v1/widget/surveys/:token", with(svc, answer),
        BodyRule{32 * 1024});
}

}  // namespace sb
