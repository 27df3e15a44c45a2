// The ticket API's pure rules: tags, custom field definitions and values, the
// list's paging cursor, field-named problems.
#include "api/ticket_rules.h"

#include <gtest/gtest.h>

namespace sb::tickets {
namespace {

namespace json = boost::json;

TEST(TicketRules, TagsAreTrimmedLowerCasedAndRefusedWithCommasOrWhenTooLong) {
  EXPECT_EQ(normalize_tag("  Billing "), "billing");
  EXPECT_EQ(normalize_tag("Rückgabe"), "rückgabe");  // only ASCII is folded
  EXPECT_FALSE(normalize_tag("   "));
  EXPECT_FALSE(normalize_tag("a,b"));
  EXPECT_FALSE(normalize_tag("tab\there"));
  EXPECT_FALSE(normalize_tag(std::string(41, 'x')));
  EXPECT_TRUE(normalize_tag(std::string(40, 'x')));
}

TEST(TicketRules, ATagListDropsRepeatsAndNamesItsField) {
  Problems p;
  auto tags = parse_tags(json::parse(R"(["VIP", "vip", "refund"])"), "tags", p);
  ASSERT_TRUE(tags);
  EXPECT_EQ(*tags, (std::vector<std::string>{"vip", "refund"}));
  EXPECT_FALSE(parse_tags(json::parse(R"(["ok", 3])"), "add_tags", p));
  EXPECT_FALSE(parse_tags(json::parse(R"("vip")"), "tags", p));
  auto out = p.to_json();
  EXPECT_EQ(out["error"].at("code"), "invalid");
  EXPECT_TRUE(out["error"].at("fields").as_object().contains("add_tags"));
  EXPECT_TRUE(out["error"].at("fields").as_object().contains("tags"));
}

TEST(TicketRules, DatesMustBeRealDays) {
  EXPECT_TRUE(valid_date("2024-02-29"));
  EXPECT_FALSE(valid_date("2023-02-29"));
  EXPECT_FALSE(valid_date("2024-13-01"));
  EXPECT_FALSE(valid_date("2024-1-01"));
  EXPECT_FALSE(valid_date("24-01-01xx"));
}

TEST(TicketRules, ValuesAreCheckedByTheFieldsType) {
  TicketFieldDef number{.key = "n", .type = "number"};
  EXPECT_EQ(check_value(number, json::value(3)), "");
  EXPECT_EQ(check_value(number, json::value(2.5)), "");
  EXPECT_NE(check_value(number, json::value("3")), "");
  TicketFieldDef select{.key = "s", .type = "select", .options = {"red", "green"}};
  EXPECT_EQ(check_value(select, json::value("red")), "");
  EXPECT_NE(check_value(select, json::value("blue")), "");
  TicketFieldDef date{.key = "d", .type = "date"};
  EXPECT_EQ(check_value(date, json::value("2026-12-03")), "");
  EXPECT_NE(check_value(date, json::value("tomorrow")), "");
  TicketFieldDef text{.key = "t", .type = "text"};
  EXPECT_EQ(check_value(text, json::value("anything")), "");
  EXPECT_NE(check_value(text, json::value(std::string(2001, 'x'))), "");
  EXPECT_NE(check_value(text, json::value(true)), "");
}

TEST(TicketRules, RequiredFieldsWithoutAValueAreNamed) {
  std::vector<TicketFieldDef> defs = {{.key = "order", .type = "text", .required = true},
                                      {.key = "note", .type = "text"},
                                      {.key = "size", .type = "number", .required = true}};
  auto missing = missing_required(defs, json::parse(R"({"order": "", "size": 2})").as_object());
  EXPECT_EQ(missing, std::vector<std::string>{"order"});
}

TEST(TicketRules, DefinitionsAreValidatedMemberByMember) {
  TicketFieldDef f;
  Problems p;
  apply_definition(json::parse(R"({"key": "Order No", "type": "colour", "extra": 1})").as_object(),
                   true, f, p);
  auto fields = p.to_json()["error"].at("fields").as_object();
  for (auto k : {"key", "type", "label", "extra"}) EXPECT_TRUE(fields.contains(k)) << k;

  TicketFieldDef s;
  Problems q;
  apply_definition(
      json::parse(R"({"key": "size", "label": "Size", "type": "select", "options": ["S", "S"]})")
          .as_object(),
      true, s, q);
  EXPECT_FALSE(q.empty());
  TicketFieldDef ok;
  Problems r;
  apply_definition(json::parse(R"({"key": "size", "label": "Size", "type": "select",
                                   "options": ["S", "M"], "required": true})")
                       .as_object(),
                   true, ok, r);
  EXPECT_TRUE(r.empty());
  EXPECT_EQ(ok.options, (std::vector<std::string>{"S", "M"}));
  EXPECT_TRUE(ok.required);
}

TEST(TicketRules, TheCursorRoundTripsAndRefusesGarbage) {
  auto c = parse_cursor(cursor(1700000000123, 42));
  ASSERT_TRUE(c);
  EXPECT_EQ(c->first, 1700000000123);
  EXPECT_EQ(c->second, 42);
  EXPECT_FALSE(parse_cursor("12"));
  EXPECT_FALSE(parse_cursor("12.x"));
  EXPECT_FALSE(parse_cursor("12.0"));
  EXPECT_FALSE(parse_cursor(".5"));
}

}  // namespace
}  // namespace sb::tickets
