// The etiquette coach: the per-language cases of tests/coach/cases.json (exactly
// the expected rules flag, and a rule's first suggestion gives the expected
// text), offsets in UTF-16, the rules' JSON, and admins' rules replacing ours.
#include "coach/coach.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>
#include <fstream>
#include <sstream>

#include "core/core.h"

namespace sb::coach {
namespace {

namespace json = boost::json;

json::value load_cases() {
  std::ifstream in(SB_COACH_CASES);
  std::stringstream s;
  s << in.rdbuf();
  return json::parse(s.str());
}

// The draft with `e` applied: the text up to `start` and from `end`, counted in
// UTF-16 units as the console counts them.
std::string applied(const std::string& text, const Edit& e) {
  std::string out;
  int unit = 0;
  bool inserted = false;
  for (std::size_t i = 0; i < text.size();) {
    if (unit >= e.start && !inserted) {
      out += e.text;
      inserted = true;
    }
    auto begin = i;
    char32_t c = next_code_point(text, i);
    if (unit < e.start || unit >= e.end) out += text.substr(begin, i - begin);
    unit += c > 0xFFFF ? 2 : 1;
  }
  EXPECT_LE(e.start, e.end);
  EXPECT_LE(e.end, unit);
  return inserted ? out : out + e.text;
}

Context context_of(const json::object& c) {
  Context ctx;
  ctx.agent_name = "Anna";
  auto it = c.find("context");
  if (it == c.end()) return ctx;
  const auto& o = it->value().as_object();
  if (auto v = o.if_contains("first_message")) ctx.first_message = v->as_bool();
  if (auto v = o.if_contains("asked_anything_else")) ctx.asked_anything_else = v->as_bool();
  if (auto v = o.if_contains("customer_name")) ctx.customer_name = std::string(v->as_string());
  if (auto v = o.if_contains("agent_name")) ctx.agent_name = std::string(v->as_string());
  return ctx;
}

TEST(Coach, EveryLanguageCaseFlagsExactlyWhatItShouldAndItsFixReads) {
  auto cases = load_cases().at("cases").as_array();
  ASSERT_GE(cases.size(), 50u);
  std::map<std::string, int> per_language;
  for (const auto& v : cases) {
    const auto& c = v.as_object();
    std::string language(c.at("language").as_string());
    std::string text(c.at("text").as_string());
    ++per_language[language];
    Coach coach(default_rules(language));
    auto flags = coach.check(text, context_of(c));
    std::vector<std::string> got, want;
    for (const auto& f : flags) got.push_back(f.rule);
    for (const auto& r : c.at("expect").as_array()) want.emplace_back(r.as_string());
    std::sort(got.begin(), got.end());
    std::sort(want.begin(), want.end());
    EXPECT_EQ(got, want) << language << ": " << text;
    if (auto a = c.if_contains("apply"))
      for (const auto& [rule, expected] : a->as_object()) {
        auto f =
            std::find_if(flags.begin(), flags.end(), [&](const Flag& f) { return f.rule == rule; });
        ASSERT_NE(f, flags.end()) << rule << " in " << text;
        ASSERT_FALSE(f->suggestions.empty()) << rule << " in " << text;
        EXPECT_EQ(applied(text, f->suggestions.front()), std::string(expected.as_string()))
            << language << " " << rule;
      }
  }
  for (const auto& l : languages()) EXPECT_GE(per_language[l], 6) << l;
}

TEST(Coach, OffsetsAreUtf16CodeUnitsAndCoverTheWordsAsWritten) {
  Coach coach(default_rules("en"));
  // The emoji is two UTF-16 units and four bytes; "é" one unit and two bytes.
  std::string text = "Café 😀 ok. I don't know.";
  auto flags = coach.check(text, {});
  ASSERT_EQ(flags.size(), 1u);
  EXPECT_EQ(flags[0].text, "I don't know");
  EXPECT_EQ(flags[0].start, 12);  // C a f é ␠ 😀(2) ␠ o k . ␠
  EXPECT_EQ(flags[0].end, 24);
}

TEST(Coach, GreetingRulesApplyOnlyToTheFirstMessage) {
  Coach coach(default_rules("en"));
  Context first;
  first.first_message = true;
  EXPECT_EQ(coach.check("Hi!", first).size(), 1u);
  EXPECT_TRUE(coach.check("Hi!", {}).empty());
}

TEST(Coach, AnEarlierAnythingElseLetsTheGoodbyePass) {
  Coach coach(default_rules("pl"));
  EXPECT_TRUE(coach.asks_anything_else("Czy mogę pomóc w czymś jeszcze?"));
  EXPECT_FALSE(coach.asks_anything_else("Paczka jest w drodze."));
}

TEST(Coach, MandatoryKeywordsAreSpottedWhenTheyApply) {
  auto rules = default_rules("en");
  rules.required.push_back({"order_number", {"order number", "order no"}, When::closing});
  rules.required.push_back({"recording", {"recorded"}, When::first});
  Coach coach(rules);
  auto flags = coach.check("Is there anything else? Have a nice day!", {});
  ASSERT_EQ(flags.size(), 1u);
  EXPECT_EQ(flags[0].rule, "required.order_number");
  EXPECT_EQ(flags[0].kind, "missing_keyword");
  EXPECT_EQ(flags[0].params.at("keyword").as_string(), "order number");
  EXPECT_TRUE(coach.check("Your order number is 5. Anything else? Bye!", {}).empty());
  Context first;
  first.first_message = true;
  auto greeting = coach.check("Hello, welcome to the shop! How can I help you?", first);
  ASSERT_EQ(greeting.size(), 1u);
  EXPECT_EQ(greeting[0].rule, "required.recording");
}

TEST(CoachRules, JsonRoundTripsForEveryLanguage) {
  for (const auto& l : languages()) {
    auto j = to_json(default_rules(l));
    EXPECT_EQ(json::serialize(to_json(rules_from_json(j))), json::serialize(j)) << l;
  }
}

TEST(CoachRules, WrongShapesNameTheField) {
  auto error = [](std::string_view text) {
    try {
      rules_from_json(json::parse(text));
    } catch (const std::invalid_argument& e) {
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  EXPECT_EQ(error(R"({"phrases": [{"id": "x", "match": []}]})"),
            "phrases[0].match: needs at least one phrase");
  EXPECT_EQ(error(R"({"phrases": [{"id": "bad id", "match": ["a"]}]})"),
            "phrases[0].id: may hold only letters, digits, _ and -");
  EXPECT_EQ(error(R"({"phrases": [{"id": "a", "match": ["x"]}, {"id": "a", "match": ["y"]}]})"),
            "phrases[1].id: \"a\" is used twice");
  EXPECT_EQ(error(R"({"greeting": {"min_words": 9, "max_words": 3}})"),
            "greeting.min_words: must not be above max_words");
  EXPECT_EQ(error(R"({"readability": {"max_sentence_words": "long"}})"),
            "readability.max_sentence_words: must be a whole number from 5 to 200");
  EXPECT_EQ(error(R"({"required": [{"id": "k", "any": ["x"], "when": "later"}]})"),
            "required[0].when: must be first, closing or any");
  EXPECT_EQ(error(R"({"impolite_words": ["ok", 3]})"), "impolite_words[1]: must be a string");
  EXPECT_EQ(error(R"([])"), "rules: must be an object");
  EXPECT_EQ(error(R"({"name_check": false})"), "accepted");
}

TEST(CoachRules, AnAdminsPhraseFlagsAndOursAreGoneWhenRemoved) {
  auto rules = rules_from_json(json::parse(
      R"({"phrases": [{"id": "sajnos", "match": ["sajnos nem"], "suggest": ["Sajnos ez most nem megy, de"]}]})"));
  Coach coach(rules);
  auto flags = coach.check("Sajnos nem tudjuk. Nem tudom.", {});
  ASSERT_EQ(flags.size(), 1u);
  EXPECT_EQ(flags[0].rule, "phrase.sajnos");
}

}  // namespace
}  // namespace sb::coach
