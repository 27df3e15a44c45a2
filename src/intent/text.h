// Text normalization for the FAQ bot: UTF-8 words, case-folded for the
// project's languages (en, it, ru, hu, pl), and the hashed n-gram features a
// phrase is described by.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sb::bot {

// Lowercased words of `utf8`, split on everything that is not a letter or a
// digit. Invalid UTF-8 bytes count as separators.
std::vector<std::u32string> words(std::string_view utf8);

// The word without Latin diacritics (à→a, ł→l, ő→o) and with ё→е.
std::u32string strip_diacritics(std::u32string word);

// Hashed features of a phrase, repeated as often as they occur.
struct PhraseFeatures {
  std::vector<std::uint64_t> words;  // word unigrams and bigrams, diacritic-free unigrams,
                                     // English stem unigrams and bigrams of ASCII words
  std::vector<std::uint64_t>
      chars;  // 2..5-grams inside each diacritic-free word, with boundary marks
};
PhraseFeatures phrase_features(std::string_view utf8);

}  // namespace sb::bot
