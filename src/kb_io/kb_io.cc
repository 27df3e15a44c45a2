// The knowledge base's exchange formats. JSON holds everything; CSV holds one
// table (articles or intents) for spreadsheets, lists joined with " | ".
// Every field is checked and the first bad one is named: "articles[3].title: ...".
#include "kb_io/kb_io.h"

#include <regex>
#include <stdexcept>

#include "core/core.h"
#include "server/server.h"

namespace sb {
namespace {

namespace json = boost::json;

[[noreturn]] void bad(const std::string& where, const std::string& why) {
  throw std::invalid_argument(where + ": " + why);
}

std::string text_field(const json::object& o, std::string_view key, const std::string& where,
                       std::size_t max, bool required) {
  const auto* v = o.if_contains(key);
  std::string field = where + "." + std::string(key);
  if (!v || v->is_null()) {
    if (required) bad(field, "is required");
    return "";
  }
  if (!v->is_string()) bad(field, "must be a string");
  auto s = trim(std::string(v->as_string()));
  if (!is_valid_utf8(s)) bad(field, "must be UTF-8");
  if (required && s.empty()) bad(field, "must not be empty");
  if (s.size() > max) bad(field, "is longer than " + std::to_string(max) + " bytes");
  return s;
}

std::vector<std::string> list_field(const json::object& o, std::string_view key,
                                    const std::string& where, std::size_t max_items,
                                    std::size_t max_len) {
  std::vector<std::string> out;
  const auto* v = o.if_contains(key);
  std::string field = where + "." + std::string(key);
  if (!v || v->is_null()) return out;
  if (!v->is_array()) bad(field, "must be a list of strings");
  if (v->as_array().size() > max_items) bad(field, "has more than " + std::to_string(max_items));
  for (const auto& item : v->as_array()) {
    if (!item.is_string()) bad(field, "must be a list of strings");
    auto s = trim(std::string(item.as_string()));
    if (s.size() > max_len || !is_valid_utf8(s)) bad(field, "has an item too long or not UTF-8");
    if (!s.empty()) out.push_back(s);
  }
  return out;
}

bool bool_field(const json::object& o, std::string_view key, const std::string& where) {
  const auto* v = o.if_contains(key);
  if (!v || v->is_null()) return true;
  if (!v->is_bool()) bad(where + "." + std::string(key), "must be true or false");
  return v->as_bool();
}

std::string language_field(const json::object& o, const std::string& where) {
  auto l = text_field(o, "language", where, 10, true);
  if (!is_supported_language(l)) bad(where + ".language", "must be one of en, it, ru, hu, pl");
  return l;
}

std::string slug_field(const json::object& o, std::string_view key, const std::string& where,
                       bool required) {
  static const std::regex kSlug("[a-z0-9][a-z0-9-]{0,79}");
  auto s = text_field(o, key, where, 80, required);
  if (!s.empty() && !std::regex_match(s, kSlug))
    bad(where + "." + std::string(key), "use lower-case letters, digits and dashes");
  return s;
}

const json::array& array_of(const json::object& o, std::string_view key) {
  static const json::array kEmpty;
  const auto* v = o.if_contains(key);
  if (!v || v->is_null()) return kEmpty;
  if (!v->is_array()) bad(std::string(key), "must be a list");
  return v->as_array();
}

const json::object& object_at(const json::value& v, const std::string& where) {
  if (!v.is_object()) bad(where, "must be an object");
  return v.as_object();
}

json::array strings(const std::vector<std::string>& list) {
  json::array a;
  for (const auto& s : list) a.emplace_back(s);
  return a;
}

}  // namespace

KbCategory category_from_json(const json::value& v, const std::string& where) {
  const auto& o = object_at(v, where);
  KbCategory c;
  c.slug = slug_field(o, "slug", where, true);
  if (const auto* p = o.if_contains("position"); p && !p->is_null()) {
    if (!p->is_int64() || p->as_int64() < 0 || p->as_int64() > 10000)
      bad(where + ".position", "must be a number 0-10000");
    c.position = static_cast<int>(p->as_int64());
  }
  if (const auto* n = o.if_contains("names"); n && !n->is_null()) {
    if (!n->is_object()) bad(where + ".names", "must map languages to names");
    for (const auto& [lang, name] : n->as_object()) {
      if (!is_supported_language(lang))
        bad(where + ".names", "unknown language " + std::string(lang));
      c.names[lang] = text_field(n->as_object(), lang, where + ".names", 100, true);
    }
  }
  return c;
}

KbArticle article_from_json(const json::value& v, const std::string& where) {
  const auto& o = object_at(v, where);
  KbArticle a;
  a.slug = slug_field(o, "slug", where, true);
  a.language = language_field(o, where);
  a.category = slug_field(o, "category", where, false);
  a.title = text_field(o, "title", where, 200, true);
  a.body = text_field(o, "body", where, 100 * 1024, true);
  a.keywords = list_field(o, "keywords", where, 30, 60);
  a.published = bool_field(o, "published", where);
  return a;
}

FaqIntent intent_from_json(const json::value& v, const std::string& where) {
  static const std::regex kName("[A-Za-z0-9_.-]{1,80}");
  const auto& o = object_at(v, where);
  FaqIntent i;
  i.name = text_field(o, "name", where, 80, true);
  if (!std::regex_match(i.name, kName))
    bad(where + ".name", "use letters, digits, dots, dashes and underscores");
  i.language = language_field(o, where);
  i.question = text_field(o, "question", where, 500, true);
  i.phrasings = list_field(o, "phrasings", where, 100, 500);
  i.answer = text_field(o, "answer", where, 4000, true);
  i.enabled = bool_field(o, "enabled", where);
  return i;
}

KbContent kb_from_json(const json::value& v) {
  const auto& o = object_at(v, "document");
  KbContent c;
  const auto& cats = array_of(o, "categories");
  const auto& arts = array_of(o, "articles");
  const auto& ints = array_of(o, "intents");
  if (cats.size() + arts.size() + ints.size() > 20000) bad("document", "has more than 20000 items");
  for (std::size_t i = 0; i < cats.size(); ++i)
    c.categories.push_back(category_from_json(cats[i], "categories[" + std::to_string(i) + "]"));
  for (std::size_t i = 0; i < arts.size(); ++i)
    c.articles.push_back(article_from_json(arts[i], "articles[" + std::to_string(i) + "]"));
  for (std::size_t i = 0; i < ints.size(); ++i)
    c.intents.push_back(intent_from_json(ints[i], "intents[" + std::to_string(i) + "]"));
  return c;
}

KbContent parse_kb_content(std::string_view text) {
  boost::system::error_code ec;
  auto v = json::parse(text, ec);
  if (ec) throw std::invalid_argument("not valid JSON: " + ec.message());
  return kb_from_json(v);
}

json::object to_json(const KbCategory& c) {
  return {{"id", c.id}, {"slug", c.slug}, {"position", c.position}, {"names", c.names}};
}

json::object to_json(const KbArticle& a) {
  return {{"id", a.id},
          {"slug", a.slug},
          {"language", a.language},
          {"category", a.category},
          {"title", a.title},
          {"body", a.body},
          {"keywords", strings(a.keywords)},
          {"published", a.published},
          {"helpful", a.helpful},
          {"not_helpful", a.not_helpful},
          {"updated_at", a.updated_at}};
}

json::object to_json(const FaqIntent& i) {
  return {{"id", i.id},
          {"name", i.name},
          {"language", i.language},
          {"question", i.question},
          {"phrasings", strings(i.phrasings)},
          {"answer", i.answer},
          {"enabled", i.enabled},
          {"updated_at", i.updated_at}};
}

json::object kb_to_json(const KbContent& c) {
  json::array cats, arts, ints;
  for (const auto& x : c.categories) cats.push_back(to_json(x));
  for (const auto& x : c.articles) arts.push_back(to_json(x));
  for (const auto& x : c.intents) ints.push_back(to_json(x));
  return {{"version", 1}, {"categories", cats}, {"articles", arts}, {"intents", ints}};
}

// ------------------------------------------------------------------ CSV

namespace {

std::string csv_cell(std::string_view s) {
  if (s.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(s);
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string join(const std::vector<std::string>& list) {
  std::string out;
  for (const auto& s : list) out += (out.empty() ? "" : " | ") + s;
  return out;
}

json::array split_list(std::string_view s) {
  json::array out;
  while (!s.empty()) {
    auto bar = s.find('|');
    auto item = trim(std::string(s.substr(0, bar)));
    if (!item.empty()) out.emplace_back(item);
    if (bar == std::string_view::npos) break;
    s.remove_prefix(bar + 1);
  }
  return out;
}

// RFC 4180 rows; a quote inside a quoted cell is doubled.
std::vector<std::vector<std::string>> csv_rows(std::string_view text) {
  std::vector<std::vector<std::string>> rows(1);
  std::string cell;
  bool quoted = false, was_quoted = false;
  auto end_cell = [&] {
    rows.back().push_back(was_quoted ? cell : trim(cell));
    cell.clear();
    was_quoted = false;
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        cell += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        cell += c;
      }
    } else if (c == '"') {
      quoted = was_quoted = true;
    } else if (c == ',') {
      end_cell();
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      end_cell();
      rows.emplace_back();
    } else {
      cell += c;
    }
  }
  if (quoted) bad("csv", "a quoted cell is not closed");
  if (!cell.empty() || !rows.back().empty()) end_cell();
  std::erase_if(rows, [](const auto& r) { return r.empty() || (r.size() == 1 && r[0].empty()); });
  return rows;
}

constexpr std::string_view kArticleColumns[] = {"slug",     "language",  "category", "title",
                                                "keywords", "published", "body"};
constexpr std::string_view kIntentColumns[] = {"name",      "language", "question",
                                               "phrasings", "answer",   "enabled"};

template <std::size_t N>
std::string csv_header(const std::string_view (&columns)[N]) {
  std::string out;
  for (auto c : columns) out += (out.empty() ? "" : ",") + std::string(c);
  return out + "\r\n";
}

}  // namespace

std::string articles_to_csv(const std::vector<KbArticle>& articles) {
  std::string out = csv_header(kArticleColumns);
  for (const auto& a : articles)
    out += csv_cell(a.slug) + "," + a.language + "," + csv_cell(a.category) + "," +
           csv_cell(a.title) + "," + csv_cell(join(a.keywords)) + "," +
           (a.published ? "true" : "false") + "," + csv_cell(a.body) + "\r\n";
  return out;
}

std::string intents_to_csv(const std::vector<FaqIntent>& intents) {
  std::string out = csv_header(kIntentColumns);
  for (const auto& i : intents)
    out += csv_cell(i.name) + "," + i.language + "," + csv_cell(i.question) + "," +
           csv_cell(join(i.phrasings)) + "," + csv_cell(i.answer) + "," +
           (i.enabled ? "true" : "false") + "\r\n";
  return out;
}

KbContent kb_from_csv(std::string_view text, std::string_view table) {
  if (!is_valid_utf8(text)) bad("csv", "must be UTF-8");
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);  // Excel's byte-order mark
  auto rows = csv_rows(text);
  if (rows.empty()) bad("csv", "is empty");
  const auto& header = rows[0];
  if (rows.size() > 20001) bad("csv", "has more than 20000 rows");
  KbContent c;
  for (std::size_t r = 1; r < rows.size(); ++r) {
    std::string where = "row " + std::to_string(r + 1);
    if (rows[r].size() != header.size())
      bad(where, "has " + std::to_string(rows[r].size()) + " cells, the header " +
                     std::to_string(header.size()));
    json::object o;
    for (std::size_t i = 0; i < header.size(); ++i) {
      const auto& key = header[i];
      const auto& cell = rows[r][i];
      if (key == "keywords" || key == "phrasings")
        o[key] = split_list(cell);
      else if (key == "published" || key == "enabled")
        o[key] = cell.empty() || cell == "true" || cell == "1" || cell == "yes";
      else
        o[key] = cell;
    }
    if (table == "articles")
      c.articles.push_back(article_from_json(o, where));
    else
      c.intents.push_back(intent_from_json(o, where));
  }
  return c;
}

}  // namespace sb
