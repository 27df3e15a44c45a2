// Fresh text and quoted history in the shapes real clients write them.
#include <gtest/gtest.h>

#include "mime/mime.h"

namespace {

using sb::mime::fold_quoted;

void expect_fold(const std::string& text, const std::string& fresh,
                 const std::string& quoted_start) {
  auto f = fold_quoted(text);
  EXPECT_EQ(f.fresh, fresh) << text;
  EXPECT_TRUE(f.quoted.starts_with(quoted_start)) << "quoted: " << f.quoted;
}

TEST(MimeFold, AngleQuotesAfterEnglishAttribution) {
  expect_fold(
      "Yes, please.\n\nOn Mon, 4 Mar 2024 at 10:12, Support <s@example.com> wrote:\n> Shall we?\n> "
      "Thanks\n",
      "Yes, please.", "On Mon, 4 Mar 2024 at 10:12");
}

TEST(MimeFold, AttributionWrappedOverTwoLines) {
  expect_fold(
      "Fine.\n\nOn Mon, Mar 4, 2024 at 10:12 AM Switchboard Support "
      "<support@example.com>\nwrote:\n\n> old\n",
      "Fine.", "On Mon, Mar 4, 2024");
}

TEST(MimeFold, BareAngleQuotesAtTheEnd) {
  expect_fold("Answer\n\n> question one\n>> older\n", "Answer", "> question one");
}

TEST(MimeFold, OutlookOriginalMessage) {
  expect_fold(
      "Thanks\nJohn\n\n-----Original Message-----\nFrom: Support\nSent: Monday\n\nold text\n",
      "Thanks\nJohn", "-----Original Message-----");
}

TEST(MimeFold, OutlookHeaderBlocksInFiveLanguages) {
  expect_fold(
      "New text\n\n________________________________\nFrom: Support <s@example.com>\nSent: Monday, "
      "March 4, 2024 10:12 AM\nTo: John\nSubject: RE: x\n\nold\n",
      "New text", "________________________________");
  expect_fold(
      "Grazie\n\nDa: Assistenza <s@example.com>\nInviato: lunedì 4 marzo 2024 10:12\nA: "
      "Mario\nOggetto: R: x\n\nvecchio\n",
      "Grazie", "Da: Assistenza");
  expect_fold(
      "Спасибо\n\nОт: Поддержка <s@example.com>\nОтправлено: 4 марта 2024 г. 10:12\nКому: "
      "Иван\nТема: RE: x\n\nстарое\n",
      "Спасибо", "От: Поддержка");
  expect_fold(
      "Köszönöm\n\nFeladó: Ügyfélszolgálat <s@example.com>\nElküldve: 2024. március 4. "
      "10:12\nCímzett: Marta\nTárgy: x\n\nrégi\n",
      "Köszönöm", "Feladó:");
  expect_fold(
      "Dziękuję\n\nOd: Pomoc <s@example.com>\nWysłano: poniedziałek, 4 marca 2024 10:12\nDo: "
      "Anna\nTemat: x\n\nstare\n",
      "Dziękuję", "Od: Pomoc");
  expect_fold("Bold\n\n*From:* Support <s@example.com>\n*Sent:* Monday\n*To:* x\n\nold\n", "Bold",
              "*From:*");
}

TEST(MimeFold, GmailAttributionsInFourLanguages) {
  expect_fold(
      "Va bene\n\nIl giorno lun 4 mar 2024 alle ore 10:12 Assistenza <s@example.com> ha "
      "scritto:\n> vecchio\n",
      "Va bene", "Il giorno lun 4 mar 2024");
  expect_fold(
      "Хорошо\n\n4 марта 2024 г., в 10:12, Поддержка <s@example.com> написал(а):\n> старое\n",
      "Хорошо", "4 марта 2024 г.");
  expect_fold("Хорошо\n\nпн, 4 мар. 2024 г. в 10:12, Поддержка <s@example.com>:\n> старое\n",
              "Хорошо", "пн, 4 мар. 2024 г.");
  expect_fold(
      "Rendben\n\nÜgyfélszolgálat <s@example.com> ezt írta (időpont: 2024. márc. 4., H, 10:12):\n> "
      "régi\n",
      "Rendben", "Ügyfélszolgálat");
  expect_fold("Dobrze\n\npon., 4 mar 2024 o 10:12 Pomoc <s@example.com> napisał(a):\n> stare\n",
              "Dobrze", "pon., 4 mar 2024");
  expect_fold("OK\n\nAnna Kowalska <anna@example.com> napisała:\n> stare\n", "OK", "Anna Kowalska");
}

TEST(MimeFold, Hungarian_IrtaLineEndsTheFreshText) {
  auto f = fold_quoted("Rendben\n\n2024. márc. 4. 10:12 keltezéssel, Marta írta:\n> régi\n");
  EXPECT_EQ(f.fresh, "Rendben");
}

TEST(MimeFold, SignatureStaysInFresh) {
  expect_fold("Thanks!\n-- \nJohn Smith\nAcme Ltd\n\nOn Mon, 4 Mar 2024, Support wrote:\n> old\n",
              "Thanks!\n-- \nJohn Smith\nAcme Ltd", "On Mon, 4 Mar 2024");
}

TEST(MimeFold, BottomPostedAnswerIsFresh) {
  auto f =
      fold_quoted("On Mon, 4 Mar 2024, Support wrote:\n> Did it work?\n\nYes it did.\n-- \nJohn\n");
  EXPECT_EQ(f.fresh, "Yes it did.\n-- \nJohn");
  EXPECT_EQ(f.quoted, "On Mon, 4 Mar 2024, Support wrote:\n> Did it work?");
}

TEST(MimeFold, NoQuoteLeavesEverythingFresh) {
  auto f = fold_quoted("Hello,\nI wrote: the invoice is wrong.\nFrom: me\n");
  EXPECT_EQ(f.fresh, "Hello,\nI wrote: the invoice is wrong.\nFrom: me");
  EXPECT_EQ(f.quoted, "");
}

TEST(MimeFold, CrlfInput) {
  auto f = fold_quoted("New\r\n\r\nOn Mon, X wrote:\r\n> old\r\n");
  EXPECT_EQ(f.fresh, "New");
  EXPECT_EQ(f.quoted, "On Mon, X wrote:\n> old");
}

}  // namespace
