// FAQ bot intent model: a small shop FAQ as admins write it (a few phrasings
// per intent, several languages, no out-of-scope examples).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "intent/intent.h"
#include "intent/text.h"

namespace {

using sb::bot::Example;
using sb::bot::IntentModel;

std::vector<Example> shop_faq() {
  return {
      {"How do I return an item?", "returns"},
      {"I want to send back my order", "returns"},
      {"Can I return a product I bought?", "returns"},
      {"What is your return policy?", "returns"},
      {"Come posso restituire un prodotto?", "returns"},
      {"Voglio fare un reso", "returns"},
      {"Jak zwrócić towar?", "returns"},
      {"Chcę zwrócić zamówienie", "returns"},
      {"When will my order arrive?", "delivery"},
      {"How long does delivery take?", "delivery"},
      {"Where is my package?", "delivery"},
      {"How much is shipping?", "delivery"},
      {"Quando arriva il mio ordine?", "delivery"},
      {"Quanto costa la spedizione?", "delivery"},
      {"Kiedy dotrze moja przesyłka?", "delivery"},
      {"Ile kosztuje dostawa?", "delivery"},
      {"Which payment methods do you accept?", "payment"},
      {"Can I pay with PayPal?", "payment"},
      {"Can I pay by credit card?", "payment"},
      {"My payment failed", "payment"},
      {"Posso pagare con carta di credito?", "payment"},
      {"Quali metodi di pagamento accettate?", "payment"},
      {"Czy mogę zapłacić kartą?", "payment"},
      {"Jakie formy płatności akceptujecie?", "payment"},
      {"I want to make a complaint", "complaint"},
      {"The product arrived broken", "complaint"},
      {"I am not happy with the service", "complaint"},
      {"The item is damaged", "complaint"},
      {"Voglio fare un reclamo", "complaint"},
      {"Il prodotto è arrivato rotto", "complaint"},
      {"Chcę złożyć reklamację", "complaint"},
      {"Produkt przyszedł uszkodzony", "complaint"},
  };
}

const IntentModel& shop_model() {
  static const IntentModel model = IntentModel::train(shop_faq());
  return model;
}

void expect_answer(const std::string& text, const std::string& intent) {
  auto p = shop_model().classify(text);
  EXPECT_EQ(p.intent, intent) << text;
  EXPECT_FALSE(p.out_of_scope) << text << " confidence " << p.confidence;
}

void expect_refusal(const std::string& text) {
  auto p = shop_model().classify(text);
  EXPECT_TRUE(p.out_of_scope) << text << " -> " << p.intent << " confidence " << p.confidence;
}

TEST(BotText, FoldsCaseOfLatinAndCyrillicAndSplitsOnPunctuation) {
  auto ws = sb::bot::words("ŁÓDŹ, Perché? ÀÈ ŐŰ Ёлка-ПРИВЕТ 42x");
  std::vector<std::u32string> want = {U"łódź", U"perché", U"àè", U"őű", U"ёлка", U"привет", U"42x"};
  EXPECT_EQ(ws, want);
  EXPECT_EQ(sb::bot::strip_diacritics(U"łódź"), U"lodz");
  EXPECT_EQ(sb::bot::strip_diacritics(U"ёлка"), U"елка");
  EXPECT_TRUE(sb::bot::words("\xff\xfe ...").empty());  // invalid UTF-8 and punctuation only
}

TEST(BotShopFaq, AnswersParaphrasesInSeveralLanguages) {
  EXPECT_EQ(shop_model().intents(), 4u);
  expect_answer("how can I return this product", "returns");
  expect_answer("when does my order arrive", "delivery");
  expect_answer("do you accept paypal payments", "payment");
  expect_answer("my item arrived damaged", "complaint");
  expect_answer("quanto costa spedire", "delivery");
  expect_answer("czy mogę zapłacić kartą kredytową", "payment");
}

TEST(BotShopFaq, AnswersTyposAndMissingAccents) {
  expect_answer("how do i retrun an itme", "returns");
  expect_answer("wich paymnet methods do you acept", "payment");
  expect_answer("chce zlozyc reklamacje", "complaint");  // Polish typed without diacritics
}

TEST(BotShopFaq, RefusesUnrelatedQuestions) {
  expect_refusal("what is the capital of France?");
  expect_refusal("my cat is sick");
  expect_refusal("tell me a joke");
  expect_refusal("qual è la capitale d'Italia");
  expect_refusal("");
}

TEST(BotShopFaq, CallerCanOverrideTheThreshold) {
  auto strict = shop_model().classify("when does my order arrive", 1.01);
  EXPECT_TRUE(strict.out_of_scope);
  EXPECT_EQ(strict.intent, "delivery");  // still names its best guess
  auto lax = shop_model().classify("my cat is sick", 0.0);
  EXPECT_FALSE(lax.out_of_scope);
}

TEST(BotShopFaq, ListsTopIntentsBestFirst) {
  auto p = shop_model().classify("where is my package");
  ASSERT_EQ(p.top.size(), 3u);
  EXPECT_EQ(p.top[0].first, "delivery");
  EXPECT_GE(p.top[0].second, p.top[1].second);
  EXPECT_GE(p.top[1].second, p.top[2].second);
}

TEST(BotOutOfScopeExamples, AreLearnedAsNotToAnswer) {
  auto examples = shop_faq();
  for (const char* text : {"what is the weather today", "tell me about the weather tomorrow",
                           "will it rain today", "is it sunny outside"})
    examples.push_back({text, "oos"});
  auto model = IntentModel::train(examples);
  EXPECT_EQ(model.intents(), 4u);  // "oos" is not an intent
  auto p = model.classify("what's the weather like today");
  EXPECT_TRUE(p.out_of_scope);
  EXPECT_NE(p.intent, "oos");
  EXPECT_FALSE(model.classify("how do I return an item").out_of_scope);
}

TEST(BotEdgeCases, EmptyTrainingSetRefusesEverything) {
  auto model = IntentModel::train({});
  EXPECT_EQ(model.intents(), 0u);
  auto p = model.classify("hello");
  EXPECT_TRUE(p.out_of_scope);
  EXPECT_EQ(p.intent, "");
  EXPECT_TRUE(p.top.empty());
  EXPECT_TRUE(IntentModel().classify("hello").out_of_scope);  // default-constructed
}

TEST(BotEdgeCases, OneIntentAnswersItsPhrasingsOnly) {
  auto model = IntentModel::train({{"what are your opening hours", "hours"},
                                   {"when are you open", "hours"},
                                   {"", "ignored"},
                                   {"are you open on sunday", "hours"}});
  EXPECT_EQ(model.intents(), 1u);
  auto yes = model.classify("when are you open on saturday");
  EXPECT_EQ(yes.intent, "hours");
  EXPECT_FALSE(yes.out_of_scope);
  EXPECT_TRUE(model.classify("my cat is sick").out_of_scope);
}

// Labels permuted at random must not be learned as well as the real ones:
// the model fits the phrasings' content, not chance.
TEST(BotQuality, BeatsChanceByFarOnHeldOutPhrasings) {
  auto train = shop_faq();
  std::vector<Example> held = {
      {"how to return an item", "returns"},       {"is shipping free", "delivery"},
      {"do you take credit cards", "payment"},    {"the product I got is broken", "complaint"},
      {"come restituire il prodotto", "returns"}, {"kiedy przyjdzie przesyłka", "delivery"},
      {"pagamento con carta", "payment"},         {"reklamacja produktu", "complaint"}};
  auto model = IntentModel::train(train);
  int right = 0;
  for (auto& e : held) right += model.classify(e.text, 0.0).intent == e.intent;
  EXPECT_GE(right, 7) << "chance is 2 of 8";
}

}  // namespace
