// Language identification: short phrases of the kind customers type, written
// for this test (not taken from the evaluation data).
#include "langid/langid.h"

#include <gtest/gtest.h>

namespace sb::langid {
namespace {

const Detector& detector() {
  static auto d = open_detector();
  return *d;
}

TEST(LangId, ShortCustomerPhrases) {
  EXPECT_EQ(detector().detect("where is my parcel").language, "en");
  EXPECT_EQ(detector().detect("dov'è il mio pacco").language, "it");
  EXPECT_EQ(detector().detect("grazie mille").language, "it");
  EXPECT_EQ(detector().detect("где мой заказ?").language, "ru");
  EXPECT_EQ(detector().detect("hol van a csomagom").language, "hu");
  EXPECT_EQ(detector().detect("köszönöm szépen").language, "hu");
  EXPECT_EQ(detector().detect("gdzie jest moja paczka").language, "pl");
  EXPECT_EQ(detector().detect("dziękuję bardzo").language, "pl");
}

TEST(LangId, LettersOnlyOneLanguageWritesDecide) {
  EXPECT_EQ(detector().detect("łóżko").language, "pl");
  EXPECT_EQ(detector().detect("győződés").language, "hu");
}

TEST(LangId, NothingToGoOnGivesNoLanguage) {
  EXPECT_EQ(detector().detect("").language, "");
  EXPECT_EQ(detector().detect("12345 !!! :-)").language, "");
  auto d = detector().detect("\xff\xfe broken \xc3");  // invalid UTF-8 never crashes
  EXPECT_LE(d.confidence, 1.0);
}

TEST(LangId, LongerTextIsConfident) {
  auto d = detector().detect(
      "Buongiorno, ho ordinato una lampada la settimana scorsa ma non è ancora arrivata.");
  EXPECT_EQ(d.language, "it");
  EXPECT_GT(d.confidence, 0.5);
}

TEST(LangId, MissingDictionariesAreNamed) {
  try {
    open_detector("/nonexistent");
    FAIL() << "expected an error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/en_US.aff"), std::string::npos);
  }
}

}  // namespace
}  // namespace sb::langid
