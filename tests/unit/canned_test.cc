// Canned answers' rules: variables with fallbacks and what is missing, the
// variant offered next, matching what the agent types after "/", and an inbox's
// hours today in the customer's language.
#include "canned/canned.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace sb::canned {
namespace {

TEST(Canned, FillsVariablesUsesFallbacksAndListsWhatIsMissing) {
  std::map<std::string, std::string> v{{"contact.first_name", "Giulia"},
                                       {"agent.name", "Anna Rossi"}};
  auto f = fill(
      "Ciao {{contact.first_name}}, sono {{ agent.name }}. Ordine {{ticket.custom.order}}.", v);
  EXPECT_EQ(f.text, "Ciao Giulia, sono Anna Rossi. Ordine .");
  EXPECT_EQ(f.missing, std::vector<std::string>{"ticket.custom.order"});
  auto g = fill("Hi {{contact.first_name|there}}! {{contact.email}} {{contact.email}}", {});
  EXPECT_EQ(g.text, "Hi there!  ");
  EXPECT_EQ(g.missing, std::vector<std::string>{"contact.email"});  // once
  EXPECT_EQ(fill("Braces {{ not closed", v).text, "Braces {{ not closed");
  // A value is text: braces in it are not read again.
  EXPECT_EQ(fill("{{contact.name}}", {{"contact.name", "{{agent.name}}"}}).text, "{{agent.name}}");
}

TEST(Canned, KnowsItsVariables) {
  for (auto name : {"contact.name", "contact.first_name", "agent.name", "inbox.hours_today",
                    "ticket.subject", "ticket.custom.order_number", "workspace.name"})
    EXPECT_TRUE(known_variable(name)) << name;
  for (auto name : {"contact", "contact.password", "ticket.custom.", "system.env", ""})
    EXPECT_FALSE(known_variable(name)) << name;
  auto p = placeholders("{{a.b|x y}} and {{ c }}");
  ASSERT_EQ(p.size(), 2u);
  EXPECT_EQ(p[0].name, "a.b");
  EXPECT_EQ(p[0].fallback, "x y");
  EXPECT_EQ(p[1].name, "c");
}

TEST(Canned, OffersTheLeastUsedVariant) {
  EXPECT_EQ(pick_variant({}), 0u);
  EXPECT_EQ(pick_variant({5, 2, 2}), 1u);
  EXPECT_EQ(pick_variant({0, 0}), 0u);
  // Used as offered, the variants take turns.
  std::vector<std::int64_t> uses(3, 0);
  std::vector<std::size_t> offered;
  for (int i = 0; i < 6; ++i) {
    auto v = pick_variant(uses);
    offered.push_back(v);
    ++uses[v];
  }
  EXPECT_EQ(offered, (std::vector<std::size_t>{0, 1, 2, 0, 1, 2}));
}

TEST(Canned, MatchesTheShortcutFirstThenTitleAndText) {
  auto refund = match_score("ref", "refund", "Refund on its way", "We have refunded your order");
  auto exact = match_score("refund", "refund", "Refund", "");
  auto letters = match_score("rfd", "refund", "Refund", "");
  auto title = match_score("way", "refund", "Refund on its way", "");
  auto text = match_score("order", "refund", "Refund", "We have refunded your order");
  EXPECT_GT(exact, refund);
  EXPECT_GT(refund, letters);
  EXPECT_GT(letters, title);
  EXPECT_GT(title, text);
  EXPECT_GT(text, 0);
  EXPECT_EQ(match_score("shipping", "refund", "Refund", "We have refunded your order"), 0);
  // Accents and case folded: "szallitas" finds "Szállítás".
  EXPECT_GT(match_score("szallitas", "delivery-hu", "Szállítás", ""), 0);
  EXPECT_GT(match_score("", "x", "y", "z"), 0);  // an empty query lists everything
}

TimeZone rome() {
  std::ifstream in("/usr/share/zoneinfo/Europe/Rome", std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  return *TimeZone::from_tzif(bytes.str());
}

TEST(Canned, HoursTodayOnTheInboxsLocalDate) {
  BusinessHours h;
  for (int day = 1; day <= 5; ++day) {
    h.weekly.push_back({day, 14 * 60, 18 * 60});
    h.weekly.push_back({day, 9 * 60, 13 * 60});
  }
  h.holidays = {"2026-12-08"};
  const Millis friday_noon_utc = 1'796'385'600'000;  // 2026-12-04T12:00:00Z
  // 12.5 hours later it is Saturday 01:30 in Rome; four days later, a holiday.
  EXPECT_EQ(hours_today(h, rome(), friday_noon_utc, "en"), "09:00–13:00, 14:00–18:00");
  EXPECT_EQ(hours_today(h, rome(), friday_noon_utc + 12 * 3'600'000 + 1'800'000, "it"),
            "oggi siamo chiusi");
  EXPECT_EQ(hours_today(h, rome(), friday_noon_utc + 4 * 86'400'000, "hu"), "ma zárva vagyunk");
  EXPECT_EQ(hours_today(BusinessHours{}, rome(), friday_noon_utc, "pl"), "czynne całą dobę");
}

}  // namespace
}  // namespace sb::canned

namespace sb::canned {
namespace {

// The composer's script suggestion (P2) in the five languages.
TEST(Situation, FollowsTheConversationAndTheDraft) {
  EXPECT_EQ(suggest_situation(false, "Hi, my order is late", ""), "greeting");
  EXPECT_EQ(suggest_situation(true, "Where is my order?", ""), "information");
  EXPECT_EQ(suggest_situation(true, "Where is my order?", "One moment please"), "hold");
  EXPECT_EQ(suggest_situation(true, "Dov'è il mio ordine?", "Un attimo, controllo"), "hold");
  EXPECT_EQ(suggest_situation(true, "Где мой заказ?", "Минуту, проверю"), "hold");
  EXPECT_EQ(suggest_situation(true, "Hol a csomagom?", "Egy pillanat türelmet"), "hold");
  EXPECT_EQ(suggest_situation(true, "Gdzie paczka?", "Chwileczkę, sprawdzę"), "hold");
  EXPECT_EQ(suggest_situation(true, "", "I'll transfer you to billing"), "transfer");
  EXPECT_EQ(suggest_situation(true, "", "Ti passo un collega"), "transfer");
  EXPECT_EQ(suggest_situation(true, "", "Przekażę Panią do działu reklamacji"), "transfer");
  EXPECT_EQ(suggest_situation(true, "Can I get a refund?", "No, but"), "saying_no");
  EXPECT_EQ(suggest_situation(true, "", "Nem, de"), "saying_no");
  EXPECT_EQ(suggest_situation(true, "", "Niestety"), "saying_no");
  EXPECT_EQ(suggest_situation(true, "", "Now let me see"), "information");  // "no" is a word
  EXPECT_EQ(suggest_situation(true, "Thanks a lot, bye!", ""), "closing");
  EXPECT_EQ(suggest_situation(true, "Ciao! Ho un problema", ""), "information");
  EXPECT_EQ(suggest_situation(true, "Grazie mille, arrivederci", ""), "closing");
  EXPECT_EQ(suggest_situation(true, "Köszönöm szépen", ""), "closing");
  EXPECT_EQ(suggest_situation(true, "Спасибо!", ""), "closing");
  EXPECT_EQ(suggest_situation(true, "Dziękuję", ""), "closing");
  EXPECT_TRUE(known_situation("wrong_company"));
  EXPECT_FALSE(known_situation("small_talk"));
}

}  // namespace
}  // namespace sb::canned
