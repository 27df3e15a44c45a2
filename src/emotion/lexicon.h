// Per-language word lists for the emotion rules. A pattern is one word or a
// phrase of words separated by spaces, written as people write it (diacritics
// and all; matching folds both sides):
//   "scandal*"     a stem: any word that starts with it (scandalo, scandaloso)
//   "vergogna"     exactly that word
//   "nobody .. answer*"  ".." lets up to three other words in between
// Stems are kept long enough not to start ordinary words ("csaló*", not "csal*",
// which starts "család").
#pragma once

#include <span>
#include <string_view>

namespace sb::emotion {

using Patterns = std::span<const std::string_view>;

struct Lexicon {
  std::string_view language;
  Patterns swearing;
  Patterns anger;             // anger and frustration words; skipped right after "not"
  Patterns threats;           // leaving, lawyers, authorities, bad reviews
  Patterns repeated_contact;  // "third time", "still no answer", "nobody answers"
  Patterns gratitude;         // thanks: "!!!" in a thank-you is not anger
};

const Lexicon& english_lexicon();
const Lexicon& italian_lexicon();
const Lexicon& russian_lexicon();
const Lexicon& hungarian_lexicon();
const Lexicon& polish_lexicon();

// Swearing understood in every language's chats ("wtf", "fuck").
Patterns international_swearing();

// Upper-case words that are names, not shouting: "DHL", "IBAN", "СДЭК".
Patterns acronyms();

// Words that negate the anger word right after them: "not", "non", "не".
Patterns negations();

}  // namespace sb::emotion
