// Rules <-> the admins' JSON (docs/COACH.md). Reading names the field that is
// wrong, and bounds every list and string: the rules run on every keystroke batch.
#include <boost/json.hpp>
#include <stdexcept>

#include "coach/coach.h"

namespace sb::coach {
namespace json = boost::json;
namespace {

constexpr std::size_t kMaxList = 500;
constexpr std::size_t kMaxText = 500;

[[noreturn]] void fail(const std::string& field, const std::string& why) {
  throw std::invalid_argument(field + ": " + why);
}

const json::object& object_at(const json::value& v, const std::string& field) {
  if (!v.is_object()) fail(field, "must be an object");
  return v.as_object();
}

std::string text_of(const json::value& v, const std::string& field, bool may_be_empty = true) {
  if (!v.is_string()) fail(field, "must be a string");
  std::string s(v.as_string());
  if (s.size() > kMaxText) fail(field, "is longer than 500 bytes");
  if (!may_be_empty && s.find_first_not_of(" \t\r\n") == std::string::npos)
    fail(field, "must not be empty");
  return s;
}

std::vector<std::string> texts_of(const json::value& v, const std::string& field) {
  if (!v.is_array()) fail(field, "must be a list of strings");
  if (v.as_array().size() > kMaxList) fail(field, "has more than 500 entries");
  std::vector<std::string> out;
  for (std::size_t i = 0; i < v.as_array().size(); ++i)
    out.push_back(text_of(v.as_array()[i], field + "[" + std::to_string(i) + "]", false));
  return out;
}

int count_of(const json::value& v, const std::string& field, int low, int high) {
  if (!v.is_int64() || v.as_int64() < low || v.as_int64() > high)
    fail(field,
         "must be a whole number from " + std::to_string(low) + " to " + std::to_string(high));
  return static_cast<int>(v.as_int64());
}

// The member when present; a missing one keeps the default.
const json::value* member(const json::object& o, std::string_view key) {
  auto it = o.find(key);
  return it == o.end() ? nullptr : &it->value();
}

std::string_view when_name(When w) {
  switch (w) {
    case When::first:
      return "first";
    case When::closing:
      return "closing";
    case When::any:
      return "any";
  }
  return "any";
}

When when_of(const json::value& v, const std::string& field) {
  auto s = text_of(v, field);
  if (s == "first") return When::first;
  if (s == "closing") return When::closing;
  if (s == "any") return When::any;
  fail(field, "must be first, closing or any");
}

std::string id_of(const json::value& v, const std::string& field) {
  auto id = text_of(v, field, false);
  if (id.size() > 60) fail(field, "is longer than 60 characters");
  for (char c : id)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-'))
      fail(field, "may hold only letters, digits, _ and -");
  return id;
}

json::array to_array(const std::vector<std::string>& v) {
  json::array a;
  for (const auto& s : v) a.emplace_back(s);
  return a;
}

void read_phrases(const json::value& v, Rules& r) {
  if (!v.is_array()) fail("phrases", "must be a list");
  if (v.as_array().size() > kMaxList) fail("phrases", "has more than 500 entries");
  r.phrases.clear();
  for (std::size_t i = 0; i < v.as_array().size(); ++i) {
    auto field = "phrases[" + std::to_string(i) + "]";
    const auto& o = object_at(v.as_array()[i], field);
    PhraseRule p;
    p.id = id_of(o.contains("id") ? o.at("id") : json::value(), field + ".id");
    p.match = texts_of(o.contains("match") ? o.at("match") : json::value(), field + ".match");
    if (p.match.empty()) fail(field + ".match", "needs at least one phrase");
    if (auto s = member(o, "suggest")) p.suggest = texts_of(*s, field + ".suggest");
    for (const auto& other : r.phrases)
      if (other.id == p.id) fail(field + ".id", "\"" + p.id + "\" is used twice");
    r.phrases.push_back(std::move(p));
  }
}

void read_required(const json::value& v, Rules& r) {
  if (!v.is_array()) fail("required", "must be a list");
  if (v.as_array().size() > 50) fail("required", "has more than 50 entries");
  r.required.clear();
  for (std::size_t i = 0; i < v.as_array().size(); ++i) {
    auto field = "required[" + std::to_string(i) + "]";
    const auto& o = object_at(v.as_array()[i], field);
    RequiredKeyword k;
    k.id = id_of(o.contains("id") ? o.at("id") : json::value(), field + ".id");
    k.any = texts_of(o.contains("any") ? o.at("any") : json::value(), field + ".any");
    if (k.any.empty()) fail(field + ".any", "needs at least one keyword");
    if (auto w = member(o, "when")) k.when = when_of(*w, field + ".when");
    r.required.push_back(std::move(k));
  }
}

}  // namespace

json::object to_json(const Rules& r) {
  json::array phrases;
  for (const auto& p : r.phrases)
    phrases.push_back(
        json::object{{"id", p.id}, {"match", to_array(p.match)}, {"suggest", to_array(p.suggest)}});
  json::array required;
  for (const auto& k : r.required)
    required.push_back(
        json::object{{"id", k.id}, {"any", to_array(k.any)}, {"when", when_name(k.when)}});
  return {
      {"phrases", std::move(phrases)},
      {"impolite_words", to_array(r.impolite_words)},
      {"no", json::object{{"words", to_array(r.no_words)},
                          {"followed_by", to_array(r.no_followed_by)},
                          {"suggest", r.no_suggest}}},
      {"greeting", json::object{{"min_words", r.greeting_min_words},
                                {"max_words", r.greeting_max_words},
                                {"informal", to_array(r.greeting_informal)},
                                {"suggest", r.greeting_suggest}}},
      {"closing", json::object{{"closers", to_array(r.closers)},
                               {"questions", to_array(r.closing_questions)},
                               {"suggest", r.closing_suggest}}},
      {"readability", json::object{{"max_sentence_words", r.max_sentence_words},
                                   {"max_word_letters", r.max_word_letters}}},
      {"name_check", r.name_check},
      {"required", std::move(required)},
  };
}

Rules rules_from_json(const json::value& v) {
  const auto& o = object_at(v, "rules");
  Rules r;
  if (auto p = member(o, "phrases")) read_phrases(*p, r);
  if (auto w = member(o, "impolite_words")) r.impolite_words = texts_of(*w, "impolite_words");
  if (auto n = member(o, "no")) {
    const auto& no = object_at(*n, "no");
    if (auto w = member(no, "words")) r.no_words = texts_of(*w, "no.words");
    if (auto f = member(no, "followed_by")) r.no_followed_by = texts_of(*f, "no.followed_by");
    if (auto s = member(no, "suggest")) r.no_suggest = text_of(*s, "no.suggest");
  }
  if (auto g = member(o, "greeting")) {
    const auto& greeting = object_at(*g, "greeting");
    if (auto m = member(greeting, "min_words"))
      r.greeting_min_words = count_of(*m, "greeting.min_words", 0, 100);
    if (auto m = member(greeting, "max_words"))
      r.greeting_max_words = count_of(*m, "greeting.max_words", 1, 500);
    if (r.greeting_min_words > r.greeting_max_words)
      fail("greeting.min_words", "must not be above max_words");
    if (auto i = member(greeting, "informal"))
      r.greeting_informal = texts_of(*i, "greeting.informal");
    if (auto s = member(greeting, "suggest")) r.greeting_suggest = text_of(*s, "greeting.suggest");
  }
  if (auto c = member(o, "closing")) {
    const auto& closing = object_at(*c, "closing");
    if (auto x = member(closing, "closers")) r.closers = texts_of(*x, "closing.closers");
    if (auto q = member(closing, "questions"))
      r.closing_questions = texts_of(*q, "closing.questions");
    if (auto s = member(closing, "suggest")) r.closing_suggest = text_of(*s, "closing.suggest");
  }
  if (auto rd = member(o, "readability")) {
    const auto& readability = object_at(*rd, "readability");
    if (auto m = member(readability, "max_sentence_words"))
      r.max_sentence_words = count_of(*m, "readability.max_sentence_words", 5, 200);
    if (auto m = member(readability, "max_word_letters"))
      r.max_word_letters = count_of(*m, "readability.max_word_letters", 5, 100);
  }
  if (auto n = member(o, "name_check")) {
    if (!n->is_bool()) fail("name_check", "must be true or false");
    r.name_check = n->as_bool();
  }
  if (auto q = member(o, "required")) read_required(*q, r);
  return r;
}

}  // namespace sb::coach
