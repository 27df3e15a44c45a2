#include "kb/kb.h"

#include <gtest/gtest.h>

namespace sb::kb {
namespace {

TEST(KbText, FoldsCaseAndDiacriticsInAllFiveLanguages) {
  EXPECT_EQ(fold("Perché SPEDIZIONE"), "perche spedizione");
  EXPECT_EQ(fold("ZAŻÓŁĆ Gęślą"), "zazolc gesla");
  EXPECT_EQ(fold("Árvíztűrő TÜKÖRFÚRÓGÉP"), "arvizturo tukorfurogep");
  EXPECT_EQ(fold("ДОСТАВКА Ёлка"), "доставка елка");
}

TEST(KbText, SplitsWordsOnPunctuationAndKeepsLetters) {
  auto w = words("Dov'è il mio ordine #123? Łódź—Kraków!");
  std::vector<std::string> expected = {"dov", "è", "il", "mio", "ordine", "123", "łódź", "kraków"};
  EXPECT_EQ(w, expected);
}

// The search tokenizer's scanner: the same words as words(), each with the
// bytes it covers in the original text (what FTS5 highlights in snippets).
TEST(KbText, WordScannerFindsWordsAndTheirBytes) {
  std::string text = "Dov'è il MIO ordine #123? Łódź—Kraków! Заказ\xff№7";
  std::vector<std::string> seen, covered;
  for (WordScanner s(text); s.next();) {
    seen.emplace_back(s.lower());
    covered.push_back(text.substr(s.begin(), s.end() - s.begin()));
  }
  std::vector<std::string> lower = {"dov", "è",    "il",     "mio",   "ordine",
                                    "123", "łódź", "kraków", "заказ", "7"};
  std::vector<std::string> original = {"Dov", "è",    "il",     "MIO",   "ordine",
                                       "123", "Łódź", "Kraków", "Заказ", "7"};
  EXPECT_EQ(seen, lower);
  EXPECT_EQ(covered, original);
  EXPECT_EQ(seen, words(text));
  WordScanner none("  ,.;  ");
  EXPECT_FALSE(none.next());
}

TEST(KbStem, WordFormsMeetInEachLanguage) {
  EXPECT_EQ(stem("returns", "en"), stem("returning", "en"));
  EXPECT_EQ(stem("spedizioni", "it"), stem("spedizione", "it"));
  EXPECT_EQ(stem("доставки", "ru"), stem("доставка", "ru"));
  EXPECT_EQ(stem("szállítási", "hu"), stem("szállítás", "hu"));
  EXPECT_EQ(stem("zwrotu", "pl"), stem("zwrot", "pl"));
  EXPECT_EQ(stem("dostawy", "pl"), stem("dostawa", "pl"));
  EXPECT_EQ(stem("reklamacji", "pl"), stem("reklamacja", "pl"));
  EXPECT_EQ(stem("ok", "pl"), "ok");  // too short to strip
}

std::vector<Document> shop() {
  return {
      {1, "en", "How to return an item", "refund, send back",
       "You have 14 days to return any order."},
      {2, "en", "Delivery times and costs", "shipping, courier", "We deliver in 2-3 working days."},
      {3, "en", "Payment methods", "card, paypal", "Pay by card, PayPal or bank transfer."},
      {4, "it", "Come restituire un prodotto", "reso, rimborso", "Hai 14 giorni per il reso."},
      {5, "it", "Tempi e costi di spedizione", "consegna, corriere", "Spediamo in 2-3 giorni."},
      {6, "pl", "Jak zwrócić towar", "zwrot, pieniądze", "Masz 14 dni na zwrot zamówienia."},
      {7, "pl", "Czas i koszt dostawy", "kurier, wysyłka", "Dostarczamy w 2-3 dni robocze."},
      {8, "ru", "Как вернуть товар", "возврат", "У вас есть 14 дней на возврат заказа."},
  };
}

TEST(KbSearch, FindsByWordFormTypoAndPrefixWithinTheLanguage) {
  SearchIndex index(shop());
  auto top = [&](std::string_view q, std::string_view lang) {
    auto hits = index.search(q, lang, 3);
    return hits.empty() ? 0 : hits.front().id;
  };
  EXPECT_EQ(top("returning my order", "en"), 1);
  EXPECT_EQ(top("delivary costs", "en"), 2);  // typo
  EXPECT_EQ(top("payp", "en"), 3);            // prefix while typing
  EXPECT_EQ(top("quanto costa la spedizioni", "it"), 5);
  EXPECT_EQ(top("zwrotu towaru", "pl"), 6);
  EXPECT_EQ(top("koszty dostawy", "pl"), 7);
  EXPECT_EQ(top("возврата", "ru"), 8);
  for (const auto& h : index.search("reso", "it", 10)) EXPECT_TRUE(h.id == 4 || h.id == 5);
}

TEST(KbSearch, CoverageSaysHowMuchOfTheQueryMatched) {
  SearchIndex index(shop());
  auto hits = index.search("how do I return an item", "en", 1);
  ASSERT_FALSE(hits.empty());
  EXPECT_EQ(hits[0].id, 1);
  EXPECT_DOUBLE_EQ(hits[0].coverage, 1.0);
  auto vague = index.search("return my bicycle helmet", "en", 1);
  ASSERT_FALSE(vague.empty());
  EXPECT_LT(vague[0].coverage, 0.5);
  EXPECT_TRUE(index.search("zebra quantum", "en", 5).empty());
  EXPECT_TRUE(index.search("", "en", 5).empty());
}

// Every article of a shop mentions an order; only one is about tracking it.
TEST(KbSearch, RelevantKeepsTheDistinctiveMatchesNearTheBest) {
  SearchIndex index({
      {1, "en", "Where is my parcel?", "tracking", "Track your order with the link we send."},
      {2, "en", "How to return an item", "refund", "Return any order within 14 days."},
      {3, "en", "Payment methods", "card", "Pay for your order by card."},
      {4, "en", "Cancel an order", "cancel", "Cancel the order before it ships."},
      {5, "en", "Delivery costs", "shipping", "Each order ships in 2 days."},
  });
  auto all = index.search("track my order", "en", 10);
  EXPECT_EQ(all.size(), 5u);  // BM25 alone: every document with "order"
  auto kept = relevant(all);
  ASSERT_EQ(kept.size(), 1u);
  EXPECT_EQ(kept[0].id, 1);
  EXPECT_EQ(kept[0].match, Match::kDistinctiveWord);
  // A common word alone still finds its documents, within a share of the best.
  EXPECT_EQ(relevant(index.search("order", "en", 10)).size(), 5u);
  EXPECT_TRUE(relevant(index.search("how do I", "en", 10)).empty());  // stop-words only
  EXPECT_TRUE(relevant({}).empty());
}

TEST(KbMarkdown, RendersMarkdownAndDropsRawHtmlAndScriptLinks) {
  auto html = render_markdown("**Bold** <script>alert(1)</script> [x](javascript:alert(1))");
  EXPECT_NE(html.find("<strong>Bold</strong>"), std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("javascript:"), std::string::npos);
  EXPECT_EQ(plain_text("# Title\n\nSome *text* & more", 100), "Title Some text & more");
  EXPECT_EQ(plain_text("one two three four five", 12), "one two…");
  EXPECT_EQ(plain_text("See **tracking**. Or [the page](/x), `code`!\n\n- a\n- b", 100),
            "See tracking. Or the page, code! a b");
}

TEST(KbHandoff, RecognisesRequestsForAPersonInFiveLanguages) {
  for (auto text : {"Can I talk to a real person?", "voglio parlare con un operatore",
                    "соедините с оператором", "Kérem, egy ügyintézővel szeretnék beszélni",
                    "chcę rozmawiać z konsultantem", "HUMAN please"})
    EXPECT_TRUE(asks_for_human(text)) << text;
  for (auto text : {"How do I return an item?", "quanto costa la spedizione", "где мой заказ",
                    "mennyi a szállítási díj", "ile kosztuje dostawa"})
    EXPECT_FALSE(asks_for_human(text)) << text;
}

}  // namespace
}  // namespace sb::kb
