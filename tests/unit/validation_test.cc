// Input validation at the edge: e-mails, phones, uploads, UTF-8 text, json fields.
#include <gtest/gtest.h>

#include "core/core.h"

namespace sb {
namespace {

// ---------------------------------------------------------------- e-mail

TEST(Email, AcceptsOrdinaryAddresses) {
  for (const char* s : {"anna@example.com", "a.b+tag@sub.example.co.uk", "ANNA@EXAMPLE.COM",
                        "x@y.io", "o'brien@example.ie"})
    EXPECT_TRUE(is_valid_email(s)) << s;
}

TEST(Email, RejectsMissingOrDoubledParts) {
  for (const char* s : {"", "anna", "@example.com", "anna@", "anna@example", "anna@example.",
                        "anna@.com", "a@b@example.com"})
    EXPECT_FALSE(is_valid_email(s)) << s;
}

TEST(Email, RejectsSpacesControlAndHeaderInjectionCharacters) {
  for (const char* s : {"anna @example.com", "anna@exa mple.com", "<anna@example.com>",
                        "\"anna\"@example.com", "anna@example.com,bob@example.com",
                        "anna@example.com\r\nBcc: x@y.com", "anna\t@example.com"})
    EXPECT_FALSE(is_valid_email(s)) << s;
}

TEST(Email, RejectsOverlongAddresses) {
  std::string local(64, 'a');
  std::string ok = local + "@" + std::string(254 - 64 - 1 - 4, 'b') + ".com";
  ASSERT_EQ(ok.size(), 254u);
  EXPECT_TRUE(is_valid_email(ok));
  EXPECT_FALSE(is_valid_email("c" + ok));
}

// ---------------------------------------------------------------- phone

TEST(Phone, AcceptsCommonFormats) {
  for (const char* s : {"+39 02 1234 5678", "(555) 123-4567", "123456", "+7 (495) 123-45-67",
                        "+36-1-234-5678", "12345678901234567890"})
    EXPECT_TRUE(is_valid_phone(s)) << s;
}

TEST(Phone, RejectsTooFewOrTooManyDigits) {
  EXPECT_FALSE(is_valid_phone(""));
  EXPECT_FALSE(is_valid_phone("+"));
  EXPECT_FALSE(is_valid_phone("12345"));
  EXPECT_FALSE(is_valid_phone("(12) - 3 4 5"));
  EXPECT_FALSE(is_valid_phone("123456789012345678901"));  // 21 digits
}

TEST(Phone, PlusOnlyAtTheStartAndNoOtherCharacters) {
  for (const char* s : {"++39 123456", "39+123456", "123456+", "12345a6", "123.456.789", "123456\n",
                        "+39 123456; DROP TABLE"})
    EXPECT_FALSE(is_valid_phone(s)) << s;
}

// ---------------------------------------------------------------- content types

TEST(UploadTypes, InlineImagesAreTheFourRasterFormats) {
  for (const char* t : {"image/png", "image/jpeg", "image/gif", "image/webp"}) {
    EXPECT_TRUE(is_inline_image_type(t)) << t;
    EXPECT_TRUE(is_allowed_upload_type(t)) << t;
  }
}

TEST(UploadTypes, SvgAndHtmlAreNeverInlineOrAllowed) {
  // Scriptable types would let a visitor run script on the console's origin.
  for (const char* t : {"image/svg+xml", "text/html", "application/xhtml+xml", "text/javascript",
                        "application/javascript"}) {
    EXPECT_FALSE(is_inline_image_type(t)) << t;
    EXPECT_FALSE(is_allowed_upload_type(t)) << t;
  }
}

TEST(UploadTypes, DocumentsAreAllowedButNotInline) {
  for (const char* t :
       {"application/pdf", "text/plain", "text/csv", "application/zip", "application/msword",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.ms-excel",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}) {
    EXPECT_TRUE(is_allowed_upload_type(t)) << t;
    EXPECT_FALSE(is_inline_image_type(t)) << t;
  }
}

TEST(UploadTypes, UnknownAndExecutableTypesAreRejected) {
  for (const char* t : {"", "application/octet-stream", "application/x-msdownload",
                        "application/x-sh", "image/", "image/png2", "video/mp4"})
    EXPECT_FALSE(is_allowed_upload_type(t)) << t;
}

TEST(UploadTypes, LimitsMatchTheProtocol) {
  EXPECT_EQ(kMaxUploadBytes, 10u * 1024 * 1024);
  EXPECT_EQ(kMaxMessageChars, 10'000u);
}

// ---------------------------------------------------------------- UTF-8

TEST(Utf8, AcceptsAsciiAndEmpty) {
  EXPECT_TRUE(is_valid_utf8(""));
  EXPECT_TRUE(is_valid_utf8("Hello, where is my order #123?"));
}

TEST(Utf8, AcceptsTheSupportedLanguages) {
  for (const char* s :
       {"Perché la consegna è così lenta? Città, più", "Привет! Где мой заказ? Ёё",
        "Árvíztűrő tükörfúrógép ŐŰőű", "Zażółć gęślą jaźń ŁŚĆ", "emoji 😀👍 and € sign", "日本語"})
    EXPECT_TRUE(is_valid_utf8(s)) << s;
}

TEST(Utf8, RejectsBadContinuationBytes) {
  EXPECT_FALSE(is_valid_utf8("\xC3\x28"));          // 2-byte lead, ASCII follows
  EXPECT_FALSE(is_valid_utf8("a\xE2\x28\xA1z"));    // 3-byte, second byte not continuation
  EXPECT_FALSE(is_valid_utf8("\xF0\x9F\x98\x41"));  // 4-byte, last byte not continuation
}

TEST(Utf8, RejectsTruncatedSequencesAtTheEnd) {
  EXPECT_FALSE(is_valid_utf8("perch\xC3"));
  EXPECT_FALSE(is_valid_utf8("\xE2\x82"));
  EXPECT_FALSE(is_valid_utf8("ok \xF0\x9F\x98"));
  // The same text cut anywhere inside a multibyte character.
  std::string s = "Zażółć";
  for (std::size_t n = 0; n <= s.size(); ++n) {
    bool boundary = n == s.size() || (static_cast<unsigned char>(s[n]) & 0xC0) != 0x80;
    EXPECT_EQ(is_valid_utf8(s.substr(0, n)), boundary) << n;
  }
}

TEST(Utf8, RejectsLoneContinuationAndImpossibleBytes) {
  EXPECT_FALSE(is_valid_utf8("\x80"));
  EXPECT_FALSE(
      is_valid_utf8("abc\xBF"
                    "def"));
  EXPECT_FALSE(is_valid_utf8("\xFF"));
  EXPECT_FALSE(is_valid_utf8("\xFE\xFF"));
  EXPECT_FALSE(is_valid_utf8("\xF8\x88\x80\x80\x80"));  // 5-byte form
}

TEST(Utf8, RejectsOverlongEncodings) {
  EXPECT_FALSE(is_valid_utf8("\xC0\xAF"));  // '/'
  EXPECT_FALSE(is_valid_utf8("\xC1\xBF"));
  EXPECT_FALSE(is_valid_utf8("\xE0\x80\xAF"));      // '/' in three bytes
  EXPECT_FALSE(is_valid_utf8("\xF0\x80\x80\xAF"));  // '/' in four bytes
}

TEST(Utf8, RejectsSurrogatesAndCodePointsAboveU10FFFF) {
  EXPECT_FALSE(is_valid_utf8("\xED\xA0\x80"));      // U+D800
  EXPECT_FALSE(is_valid_utf8("\xED\xBF\xBF"));      // U+DFFF
  EXPECT_FALSE(is_valid_utf8("\xF4\x90\x80\x80"));  // U+110000
  EXPECT_FALSE(is_valid_utf8("\xF5\x80\x80\x80"));
  EXPECT_TRUE(is_valid_utf8("\xED\x9F\xBF"));      // U+D7FF
  EXPECT_TRUE(is_valid_utf8("\xEE\x80\x80"));      // U+E000
  EXPECT_TRUE(is_valid_utf8("\xF4\x8F\xBF\xBF"));  // U+10FFFF
}

TEST(Utf8, NulBytesAreValid) {
  EXPECT_TRUE(is_valid_utf8(std::string_view("a\0b", 3)));
}

// ---------------------------------------------------------------- trim

TEST(Trim, RemovesSurroundingWhitespaceOnly) {
  EXPECT_EQ(trim("  hello \t\r\n"), "hello");
  EXPECT_EQ(trim("\n\tciao  mondo \n"), "ciao  mondo");
  EXPECT_EQ(trim("Привет"), "Привет");
}

TEST(Trim, AllWhitespaceOrEmptyBecomesEmpty) {
  EXPECT_EQ(trim(""), "");
  EXPECT_EQ(trim(" \t\r\n "), "");
}

// ---------------------------------------------------------------- json helpers

boost::json::object sample() {
  return boost::json::parse(
             R"({"s":"text","i":42,"neg":-7,"d":3.0,"frac":3.5,"big":18446744073709551615,
                               "huge":1e300,"b":true,"n":null,"arr":[1],"obj":{},"si":"5"})")
      .as_object();
}

TEST(JsonFields, MissingFieldsAreNullopt) {
  auto o = sample();
  EXPECT_FALSE(json_string(o, "nope"));
  EXPECT_FALSE(json_int(o, "nope"));
  EXPECT_FALSE(json_bool(o, "nope"));
}

TEST(JsonFields, StringOnlyFromStrings) {
  auto o = sample();
  EXPECT_EQ(json_string(o, "s"), "text");
  for (const char* k : {"i", "b", "n", "arr", "obj"}) EXPECT_FALSE(json_string(o, k)) << k;
}

TEST(JsonFields, IntFromIntegersAndWholeDoubles) {
  auto o = sample();
  EXPECT_EQ(json_int(o, "i"), 42);
  EXPECT_EQ(json_int(o, "neg"), -7);
  EXPECT_EQ(json_int(o, "d"), 3);
}

TEST(JsonFields, IntRejectsFractionsOverflowAndOtherTypes) {
  auto o = sample();
  for (const char* k : {"frac", "big", "huge", "s", "si", "b", "n", "arr", "obj"})
    EXPECT_FALSE(json_int(o, k)) << k;
}

TEST(JsonFields, IntRejectsDoublesJustOutsideInt64) {
  boost::json::object o{{"two63", 9223372036854775808.0},
                        {"minus_two64", -18446744073709551616.0},
                        {"min", -9223372036854775808.0}};
  EXPECT_FALSE(json_int(o, "two63"));
  EXPECT_FALSE(json_int(o, "minus_two64"));
  EXPECT_EQ(json_int(o, "min"), INT64_MIN);
}

TEST(JsonFields, BoolOnlyFromBooleans) {
  auto o = sample();
  EXPECT_EQ(json_bool(o, "b"), true);
  EXPECT_EQ(json_bool(boost::json::object{{"f", false}}, "f"), false);
  for (const char* k : {"i", "s", "n"}) EXPECT_FALSE(json_bool(o, k)) << k;
}

// ---------------------------------------------------------------- enums

TEST(DomainStrings, RoundTripAndRejectUnknown) {
  for (auto k : {ConversationKind::kChat, ConversationKind::kCallback, ConversationKind::kOffline})
    EXPECT_EQ(parse_conversation_kind(to_string(k)), k);
  for (auto s : {AgentStatus::kOnline, AgentStatus::kAway, AgentStatus::kOffline})
    EXPECT_EQ(parse_agent_status(to_string(s)), s);
  for (auto a : {AuthorType::kVisitor, AuthorType::kAgent, AuthorType::kSystem, AuthorType::kBot})
    EXPECT_EQ(parse_author_type(to_string(a)), a);
  EXPECT_FALSE(parse_conversation_kind("Chat"));
  EXPECT_FALSE(parse_agent_status(""));
  EXPECT_FALSE(parse_author_type("robot"));
}

TEST(Languages, OnlyTheFiveSupported) {
  for (const char* l : {"en", "it", "ru", "hu", "pl"}) EXPECT_TRUE(is_supported_language(l)) << l;
  for (const char* l : {"", "de", "EN", "en-US", "auto"})
    EXPECT_FALSE(is_supported_language(l)) << l;
}

}  // namespace
}  // namespace sb

namespace sb {
namespace {

TEST(RoutingSettings, RoundTripAndFieldNamedErrors) {
  namespace json = boost::json;
  std::string error;
  auto w =
      WorkspaceRouting::from_json(json::parse(R"({"skills":[{"name":"lang:it","label":"Italian"}],
                      "teams":[{"name":"Billing"},{"id":7,"name":"VIP"}],
                      "statuses":[{"name":" Lunch ","routable":false}]})"),
                                  &error);
  ASSERT_TRUE(w) << error;
  EXPECT_EQ(w->teams[0].id, 8) << "new ids after the largest given";
  EXPECT_EQ(w->statuses[0].name, "Lunch") << "trimmed";
  EXPECT_EQ(WorkspaceRouting::from_json(w->to_json(), nullptr)->to_json(), w->to_json());
  EXPECT_FALSE(WorkspaceRouting::from_json(json::parse(R"({"teams":[{"name":"  "}]})"), &error));
  EXPECT_NE(error.find("teams"), std::string::npos);
  EXPECT_FALSE(WorkspaceRouting::from_json(json::parse(R"({"skills":[{"name":"x"},{"name":"x"}]})"),
                                           &error));
  EXPECT_NE(error.find("twice"), std::string::npos);

  auto a = AgentRouting::from_json(json::parse(R"({"skills":{"billing":5},"capacity":{"chat":2}})"),
                                   &error);
  ASSERT_TRUE(a) << error;
  EXPECT_EQ(a->capacity[0], 2);
  EXPECT_EQ(a->capacity[1], 1) << "defaults for channels not given";
  EXPECT_FALSE(AgentRouting::from_json(json::parse(R"({"capacity":{"sms":-1}})"), &error));
  EXPECT_NE(error.find("capacity.sms"), std::string::npos);

  auto in = InboxRouting::from_json(
      json::parse(
          R"({"mode":"offer","rules":[{"when":"url_contains","value":"/pl/","skill":"lang:pl"}],
                      "fallback":{"widen_skills_after_s":30,"widen_team_after_s":null}})"),
      &error);
  ASSERT_TRUE(in) << error;
  EXPECT_EQ(in->mode, InboxRouting::Mode::kOffer);
  EXPECT_EQ(in->widen_skills_after_s, 30);
  EXPECT_FALSE(in->widen_team_after_s);
  EXPECT_EQ(InboxRouting::from_json(in->to_json(), nullptr)->to_json(), in->to_json());
  EXPECT_FALSE(InboxRouting::from_json(json::parse(R"({"rules":[{"when":"weather"}]})"), &error));
  EXPECT_NE(error.find("routing.rules"), std::string::npos);
  EXPECT_EQ(channel_index(ConversationKind::kOffline), 2u) << "offline messages are tickets";
}

}  // namespace
}  // namespace sb
