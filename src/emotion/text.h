// Text handling for the emotion rules: UTF-8 decoding, a case fold for the
// letters of en, it, ru, hu and pl, and splitting a message into words that
// are ready to compare with the lexicons.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/core.h"

namespace sb::emotion {

// The key words are compared by: lower case, diacritics dropped (customers often
// type "zenada" for "żenada", "felhaborito" for "felháborító"), ё read as е.
std::u32string fold(std::u32string_view word);

struct Word {
  std::u32string key;      // folded; obfuscations undone ("c@zz0" -> "cazzo"), "*" kept
  int letters = 0;         // letters in the word as written
  bool uppercase = false;  // every letter upper case, at least one
  bool has_digit = false;
  bool masked = false;  // has "*" standing for hidden letters ("f***", "бл*ть")
};

// Words on word boundaries; apostrophes and hyphens separate ("dell'assistenza"
// gives "dell" and "assistenza"). Invalid UTF-8 never throws.
std::vector<Word> split_words(std::string_view utf8);

}  // namespace sb::emotion
