// Emotional-peak detector: messages written for this test, one block per
// language, then the rules that span messages and languages.
#include "emotion/emotion.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "emotion/text.h"

namespace sb::emotion {
namespace {

bool has(const Signal& s, std::string_view reason) {
  return std::find(s.reasons.begin(), s.reasons.end(), reason) != s.reasons.end();
}

bool calm(const Signal& s) {
  return !s.peak && s.score < 0.3;
}

Signal thread(std::vector<std::string_view> messages, std::string_view language) {
  return assess(std::span<const std::string_view>(messages), language);
}

TEST(EmotionText, CaseFoldCoversTheFiveAlphabets) {
  EXPECT_EQ(fold(U"ŻENADA"), U"zenada");
  EXPECT_EQ(fold(U"FELHÁBORÍTÓ Ő Ű"), U"felhaborito o u");
  EXPECT_EQ(fold(U"ŁÓDŹ ŚĆŃĄĘ"), U"lodz scnae");
  EXPECT_EQ(fold(U"È PIÙ"), U"e piu");
  EXPECT_EQ(fold(U"БЕЗОБРАЗИЕ ЁЛКА"), U"безобразие елка");
  EXPECT_EQ(to_lower(U'Ё'), U'ё');
}

TEST(EmotionText, WordsUndoMaskingAndKeepBoundaries) {
  auto words = split_words("c@zz0, f***ing *really* dell'assistenza sh!t AB12345");
  std::vector<std::u32string> keys;
  for (const auto& w : words) keys.push_back(w.key);
  EXPECT_EQ(keys, (std::vector<std::u32string>{U"cazzo", U"f***ing", U"really", U"dell",
                                               U"assistenza", U"shit", U"ab12345"}));
  EXPECT_TRUE(words[1].masked);
  EXPECT_FALSE(words[2].masked);
  EXPECT_TRUE(split_words("\xff\xfe broken \xc3").size() == 1);  // invalid UTF-8 is harmless
}

TEST(EmotionEn, AngryMessageFiresWithItsReasons) {
  auto s = assess("This is ridiculous!!! Third time I write and still no answer", "en");
  EXPECT_TRUE(s.peak);
  EXPECT_TRUE(has(s, "anger_words"));
  EXPECT_TRUE(has(s, "repeated_contact"));
  EXPECT_TRUE(has(s, "exclamations"));
  EXPECT_TRUE(has(assess("What the f*** is wrong with you people", "en"), "swearing"));
  auto threat = assess("I'll contact my lawyer and leave a bad review.", "en");
  EXPECT_TRUE(threat.peak);
  EXPECT_EQ(threat.reasons, std::vector<std::string>{"threat_to_leave"});
  EXPECT_TRUE(assess("I will never buy from you again", "en").peak);
}

TEST(EmotionEn, PoliteAndNeutralMessagesStayCalm) {
  EXPECT_TRUE(
      calm(assess("Hello, my order arrived damaged. Could you please help me with a "
                  "replacement? Thank you.",
                  "en")));
  EXPECT_TRUE(calm(assess("I can't wait!", "en")));
  EXPECT_TRUE(
      calm(assess("Hi, this is Sue from accounting. Do you price-match competitors?", "en")));
  EXPECT_TRUE(calm(assess("I'm not angry, just asking where it is.", "en")));
  EXPECT_FALSE(assess("THANK YOU SO MUCH!!!", "en").peak);
}

TEST(EmotionEn, CapitalsAndExclamationsAddUp) {
  auto s = assess("WHERE IS MY ORDER!!!", "en");
  EXPECT_TRUE(s.peak);
  EXPECT_EQ(s.reasons, (std::vector<std::string>{"exclamations", "all_caps"}));
  EXPECT_FALSE(assess("Where is my order!!!", "en").peak);  // "!!!" alone is not a peak
  EXPECT_FALSE(assess("WHERE IS MY ORDER", "en").peak);     // nor are capitals alone
  EXPECT_FALSE(has(assess("I need it NOW, please", "en"), "all_caps"));  // one word
}

TEST(EmotionEn, AcronymsAreNotShouting) {
  auto s = assess(
      "Please send the IBAN and BIC for the SEPA transfer, the DHL tracking "
      "number and a PDF invoice. My ZIP is in the USA.",
      "en");
  EXPECT_TRUE(calm(s));
  EXPECT_FALSE(has(s, "all_caps"));
}

TEST(EmotionIt, AngryMessageFiresWithItsReasons) {
  auto s = assess("È una vergogna!!! Vi ho già scritto e nessuno risponde", "it");
  EXPECT_TRUE(s.peak);
  EXPECT_TRUE(has(s, "anger_words"));
  EXPECT_TRUE(has(s, "repeated_contact"));
  EXPECT_TRUE(has(s, "exclamations"));
  auto swear = assess("Ma che c@zzo state facendo? Siete dei ladri", "it");
  EXPECT_TRUE(swear.peak);
  EXPECT_TRUE(has(swear, "swearing"));
  EXPECT_TRUE(has(assess("Contatterò il mio avvocato e l'associazione dei consumatori", "it"),
                  "threat_to_leave"));
  // From seed 000: "la prima e ultima bolletta", "servizio pessimo".
  EXPECT_TRUE(assess("Servizio clienti pessimo. Questa è la prima e ultima bolletta", "it").peak);
}

TEST(EmotionIt, PoliteAndNeutralMessagesStayCalm) {
  EXPECT_TRUE(
      calm(assess("Buongiorno, il pacco è arrivato con la scatola rovinata. Potreste "
                  "gentilmente sostituirlo? Grazie",
                  "it")));
  EXPECT_TRUE(calm(assess("Basta compilare il modulo? Se si vuole disdire ci sono costi?", "it")));
  EXPECT_FALSE(assess("Grazie!!!! Gentilissimo", "it").peak);  // seed 000
}

TEST(EmotionIt, CapitalsExclamationsAndAcronyms) {
  auto s = assess("VOGLIO I MIEI SOLDI INDIETRO!!!", "it");
  EXPECT_TRUE(s.peak);
  EXPECT_TRUE(has(s, "all_caps"));
  EXPECT_TRUE(has(s, "exclamations"));
  EXPECT_TRUE(calm(assess("Mi servono IBAN, CAP e PEC per la fattura, grazie", "it")));
}

TEST(EmotionRu, AngryMessageFiresWithItsReasons) {
  auto s = assess("Это безобразие!!! Вы меня обманули, верните деньги", "ru");
  EXPECT_TRUE(s.peak);
  EXPECT_TRUE(has(s, "anger_words"));
  EXPECT_TRUE(has(s, "exclamations"));
  EXPECT_TRUE(assess("Пишу уже третий раз, никто не отвечает", "ru").peak);
  auto swear = assess("Бл*ть, где мой заказ?!", "ru");
  EXPECT_TRUE(has(swear, "swearing"));
  auto threat = assess("Обманщики! Подам в суд и напишу в Роспотребнадзор", "ru");
  EXPECT_TRUE(has(threat, "threat_to_leave"));
  EXPECT_TRUE(has(threat, "anger_words"));
}

TEST(EmotionRu, WordFormsShareAStem) {
  for (std::string_view form : {"обман", "обманули", "обманщики", "ОБМАНЩИКИ"}) {
    EXPECT_TRUE(has(assess(form, "ru"), "anger_words")) << form;
  }
}

TEST(EmotionRu, PoliteAndNeutralMessagesStayCalm) {
  EXPECT_TRUE(
      calm(assess("Здравствуйте, заказ пришёл с повреждённой упаковкой. Подскажите, "
                  "пожалуйста, как оформить возврат? Спасибо",
                  "ru")));
  EXPECT_TRUE(calm(assess("Ничего страшного, спасибо за помощь!", "ru")));
}

TEST(EmotionRu, CapitalsExclamationsAndAcronyms) {
  auto s = assess("ГДЕ МОЙ ЗАКАЗ???", "ru");
  EXPECT_TRUE(s.peak);
  EXPECT_TRUE(has(s, "all_caps"));
  EXPECT_TRUE(calm(assess("Отправил через СДЭК в ПВЗ, ИНН и БИК указал", "ru")));
}

TEST(EmotionHu, AngryMessageFiresWithItsReasons) {
  auto s = assess("Ez felháborító!!! Már harmadszor írok, és senki nem válaszol", "hu");
  EXPECT_TRUE(s.peak);
  EXPECT_TRUE(has(s, "anger_words"));
  EXPECT_TRUE(has(s, "repeated_contact"));
  EXPECT_TRUE(has(s, "exclamations"));
  EXPECT_TRUE(has(assess("Kurva életbe, hol a csomagom?", "hu"), "swearing"));
  auto threat = assess("Ez egy csalás, átvertek, ügyvédhez fordulok", "hu");
  EXPECT_TRUE(threat.peak);
  EXPECT_TRUE(has(threat, "threat_to_leave"));
  // Typed without accents.
  EXPECT_TRUE(assess("Felhaboritoan pofatlan ceg, feljelentem magukat", "hu").peak);
}

TEST(EmotionHu, PoliteAndNeutralMessagesStayCalm) {
  EXPECT_TRUE(
      calm(assess("Jó napot kívánok! A csomag sérülten érkezett. Kérem, segítsenek a "
                  "cseréjében. Köszönöm",
                  "hu")));
  // "csalás" (fraud) is a stem of its own; "család" (family) is not anger.
  EXPECT_TRUE(calm(assess("Családi csomagot rendeltem, mikor érkezik? Köszönöm szépen!", "hu")));
}

TEST(EmotionHu, CapitalsExclamationsAndAcronyms) {
  auto s = assess("HOL VAN MÁR A RENDELÉSEM???", "hu");
  EXPECT_TRUE(s.peak);
  EXPECT_TRUE(has(s, "all_caps"));
  EXPECT_TRUE(
      calm(assess("Az OTP kártyámmal fizettem, GLS vagy MPL is jó, ÁFÁS számla kell", "hu")));
}

TEST(EmotionPl, AngryMessageFiresWithItsReasons) {
  auto s = assess("To jest skandal!!! Piszę po raz trzeci i nikt nie odpowiada", "pl");
  EXPECT_TRUE(s.peak);
  EXPECT_TRUE(has(s, "anger_words"));
  EXPECT_TRUE(has(s, "repeated_contact"));
  EXPECT_TRUE(has(s, "exclamations"));
  EXPECT_TRUE(has(assess("k*rwa, gdzie jest moja paczka", "pl"), "swearing"));
  auto threat = assess("Oszuści! Oszukaliście mnie, zgłoszę sprawę do UOKiK", "pl");
  EXPECT_TRUE(threat.peak);
  EXPECT_TRUE(has(threat, "threat_to_leave"));
  EXPECT_TRUE(assess("zenada, oszusci, nigdy wiecej", "pl").peak);  // no diacritics
}

TEST(EmotionPl, PoliteNeutralAndNegatedMessagesStayCalm) {
  EXPECT_TRUE(
      calm(assess("Dzień dobry, paczka dotarła uszkodzona. Czy mogą Państwo wymienić "
                  "produkt? Pozdrawiam",
                  "pl")));
  EXPECT_TRUE(calm(assess("Czy mogę pozwolić sobie na pytanie? Duplikat faktury proszę", "pl")));
  EXPECT_TRUE(calm(assess("To nie jest skandal, po prostu pytam", "pl")));
  EXPECT_FALSE(assess("Dziękuję bardzo!!! Super obsługa!!!", "pl").peak);
}

TEST(EmotionPl, CapitalsExclamationsAndAcronyms) {
  auto s = assess("GDZIE JEST MOJA PACZKA!!!", "pl");
  EXPECT_TRUE(s.peak);
  EXPECT_TRUE(has(s, "all_caps"));
  EXPECT_TRUE(has(s, "exclamations"));
  EXPECT_TRUE(
      calm(assess("Płaciłem BLIK-iem, NIP i PESEL podałem, paczka przez InPost i DPD", "pl")));
}

TEST(EmotionHistory, RisingScoresAcrossMessagesAreAnEscalation) {
  std::string_view last = "This is ridiculous.";
  EXPECT_FALSE(assess(last, "en").peak);
  auto s = thread({"Hello, where is my order?", "Any news???", last}, "en");
  EXPECT_TRUE(s.peak);
  EXPECT_TRUE(has(s, "escalation"));
  auto pl = thread({"Gdzie jest moja paczka?", "Halo???", "Żenada."}, "pl");
  EXPECT_TRUE(has(pl, "escalation"));
  // Angry earlier, calm now: no escalation and no peak.
  auto settled = thread({"This is ridiculous!!!", "ok, thank you"}, "en");
  EXPECT_TRUE(calm(settled));
  // The same level three times is not rising.
  EXPECT_FALSE(has(thread({"Ridiculous.", "Ridiculous.", "Ridiculous."}, "en"), "escalation"));
}

TEST(EmotionHistory, SendingTheSameQuestionAgainIsRepeatedContact) {
  auto s = thread({"Where is my order 1234?", "Hello?", "Where is my order 1234?"}, "en");
  EXPECT_TRUE(has(s, "repeated_contact"));
  EXPECT_FALSE(has(thread({"ok", "ok"}, "en"), "repeated_contact"));
}

TEST(EmotionLanguages, UnknownLanguageUsesEveryLexicon) {
  EXPECT_TRUE(has(assess("Vergogna, siete dei truffatori", ""), "anger_words"));
  EXPECT_TRUE(has(assess("Это безобразие", ""), "anger_words"));
  EXPECT_TRUE(has(assess("Felháborító", ""), "anger_words"));
  EXPECT_TRUE(has(assess("Żenada", ""), "anger_words"));
  EXPECT_TRUE(assess("Oszuści, idę do prawnika", "").peak);
  EXPECT_TRUE(calm(assess("Dzień dobry, kiedy dotrze paczka?", "")));
  // A known language uses its own lexicon (plus international swearing).
  EXPECT_FALSE(has(assess("Vergogna", "pl"), "anger_words"));
  EXPECT_TRUE(has(assess("wtf, gdzie paczka", "pl"), "swearing"));
}

TEST(EmotionEdges, EmptyAndOddInputIsHarmless) {
  EXPECT_TRUE(calm(assess(std::span<const std::string_view>{}, "en")));
  EXPECT_TRUE(assess(std::span<const std::string_view>{}, "en").reasons.empty());
  EXPECT_TRUE(calm(assess("", "")));
  EXPECT_TRUE(calm(assess("   \n\t ", "ru")));
  EXPECT_TRUE(calm(assess("\xff\xfe\xc3", "hu")));
  EXPECT_TRUE(calm(assess("12345 :-) ...", "xx")));
  EXPECT_LE(assess(std::string(5000, '!'), "en").score, 1.0);
}

}  // namespace
}  // namespace sb::emotion
