// The ways customers ask for a person, per language, as folded word sequences.
// A message asks for one when it contains a phrase's words in order.
#include <array>

#include "kb/kb.h"

namespace sb::kb {
namespace {

// Each entry: folded words that must appear in this order (gaps allowed).
// Single words are ones that, in a support chat, only mean "a person".
constexpr std::string_view kPhrases[] = {
    // en
    "human", "agent", "operator", "real person", "live person", "talk to someone",
    "speak to someone", "talk to a person", "speak to a person", "representative",
    "customer service", "speak with someone", "not a bot",
    // it
    "operatore", "operatrice", "persona reale", "parlare con una persona", "persona vera", "umano",
    "assistenza clienti", "parlare con qualcuno",
    // ru
    "оператор", "оператора", "оператором", "живой человек", "живым человеком", "живого человека",
    "с человеком", "сотрудник", "сотрудником", "менеджер", "менеджером", "консультант",
    // hu
    "ugyintezo", "ugyintezovel", "ugyintezot", "operator", "elo ember", "emberrel",
    "ugyfelszolgalat", "ugyfelszolgalattal", "munkatars", "munkatarssal",
    // pl
    "konsultant", "konsultanta", "konsultantem", "czlowiek", "czlowiekiem", "z czlowiekiem",
    "z osoba", "prawdziwa osoba", "pracownik"};

bool contains_in_order(const std::vector<std::string>& text, std::string_view phrase) {
  std::size_t at = 0;
  while (!phrase.empty()) {
    auto space = phrase.find(' ');
    auto word = phrase.substr(0, space);
    while (at < text.size() && text[at] != word) ++at;
    if (at == text.size()) return false;
    ++at;
    phrase = space == std::string_view::npos ? std::string_view() : phrase.substr(space + 1);
  }
  return true;
}

}  // namespace

bool asks_for_human(std::string_view utf8) {
  std::vector<std::string> folded;
  for (const auto& w : words(utf8)) folded.push_back(fold(w));
  for (auto phrase : kPhrases)
    if (contains_in_order(folded, phrase)) return true;
  return false;
}

}  // namespace sb::kb
