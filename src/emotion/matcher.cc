#include "emotion/matcher.h"

#include <algorithm>
#include <optional>

namespace sb::emotion {
namespace {

std::u32string decode(std::string_view utf8) {
  std::u32string out;
  for (const Word& w : split_words(utf8)) out += w.key;
  return out;
}

// A masked word matches when every "*" stands for one letter of the pattern and
// the letters it shows agree: "f**k", "f***ing", "k*rwa", "бл*ть".
bool masked_match(const std::u32string& word, const PatternWord& p) {
  if (word.size() < p.text.size() || (!p.stem && word.size() != p.text.size())) return false;
  for (std::size_t i = 0; i < p.text.size(); ++i) {
    if (word[i] != '*' && word[i] != p.text[i]) return false;
  }
  return word.front() != '*';
}

bool word_matches(const Word& w, const PatternWord& p, bool masked_words) {
  if (w.masked) return masked_words && masked_match(w.key, p);
  return p.stem ? w.key.starts_with(p.text) : w.key == p.text;
}

// Where the phrase ends if it starts at words[start], or nothing.
std::optional<std::size_t> match_at(const Phrase& phrase, const std::vector<Word>& words,
                                    std::size_t start, std::size_t k, bool masked_words) {
  if (start >= words.size() || !word_matches(words[start], phrase[k], masked_words)) {
    return std::nullopt;
  }
  if (k + 1 == phrase.size()) return start + 1;
  std::size_t last = phrase[k + 1].after_gap ? start + 1 + kMaxGap : start + 1;
  for (std::size_t next = start + 1; next <= last && next < words.size(); ++next) {
    if (auto end = match_at(phrase, words, next, k + 1, masked_words)) return end;
  }
  return std::nullopt;
}

bool negated(const std::vector<Word>& words, std::size_t start) {
  static const std::vector<Phrase> kNegations = compile(negations());
  for (std::size_t back = 1; back <= 2 && back <= start; ++back) {
    for (const Phrase& n : kNegations) {
      if (word_matches(words[start - back], n.front(), false)) return true;
    }
  }
  return false;
}

}  // namespace

std::vector<Phrase> compile(Patterns patterns) {
  std::vector<Phrase> phrases;
  for (std::string_view pattern : patterns) {
    Phrase phrase;
    bool gap = false;
    for (std::size_t pos = 0; pos < pattern.size();) {
      std::size_t end = std::min(pattern.find(' ', pos), pattern.size());
      std::string_view token = pattern.substr(pos, end - pos);
      pos = end + 1;
      if (token == "..") {
        gap = true;
        continue;
      }
      bool stem = token.ends_with('*');
      if (stem) token.remove_suffix(1);
      phrase.push_back({decode(token), stem, gap});
      gap = false;
    }
    if (!phrase.empty()) phrases.push_back(std::move(phrase));
  }
  std::stable_sort(phrases.begin(), phrases.end(),
                   [](const Phrase& a, const Phrase& b) { return a.size() > b.size(); });
  return phrases;
}

int count_matches(const std::vector<Phrase>& phrases, const std::vector<Word>& words,
                  MatchOptions options) {
  // A phrase can only start at a word with its first letter (a masked word shows
  // its first letter too), so a message costs its own words, not the lexicon's.
  std::u32string firsts;
  for (const Word& w : words)
    if (!w.key.empty()) firsts.push_back(w.key.front());
  std::sort(firsts.begin(), firsts.end());
  std::vector<bool> used(words.size(), false);
  int count = 0;
  for (const Phrase& phrase : phrases) {
    const auto& first = phrase.front().text;
    if (!first.empty() && !std::binary_search(firsts.begin(), firsts.end(), first.front()))
      continue;
    for (std::size_t start = 0; start < words.size(); ++start) {
      auto end = match_at(phrase, words, start, 0, options.masked_words);
      if (!end ||
          std::any_of(used.begin() + start, used.begin() + *end, [](bool u) { return u; })) {
        continue;
      }
      if (options.skip_negated && negated(words, start)) continue;
      std::fill(used.begin() + start, used.begin() + *end, true);
      ++count;
      break;  // a phrase counts once per message
    }
  }
  return count;
}

}  // namespace sb::emotion
