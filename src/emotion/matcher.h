// Finds lexicon patterns (see lexicon.h for their syntax) in a message's words.
#pragma once

#include <string>
#include <vector>

#include "emotion/lexicon.h"
#include "emotion/text.h"

namespace sb::emotion {

struct PatternWord {
  std::u32string text;     // folded
  bool stem = false;       // matches words starting with text
  bool after_gap = false;  // up to kMaxGap other words may come before it
};

using Phrase = std::vector<PatternWord>;

inline constexpr std::size_t kMaxGap = 3;

// Parses and folds patterns once; longer phrases come first, so that "how many
// times" is found before "many times" claims its words.
std::vector<Phrase> compile(Patterns patterns);

struct MatchOptions {
  bool masked_words = false;  // let "f***" stand for "fuck" (swearing only)
  bool skip_negated = false;  // ignore a match right after "not", "non", "не", ...
};

// How many of the phrases occur, each match on words no earlier match used.
int count_matches(const std::vector<Phrase>& phrases, const std::vector<Word>& words,
                  MatchOptions options);

}  // namespace sb::emotion
