#include "intent/text.h"

#include "core/core.h"
#include "kb/kb.h"

namespace sb::bot {
namespace {

// Letters and digits of the scripts we care about; anything else above
// ASCII is a letter unless it is punctuation, symbols or emoji.
bool is_word_char(char32_t c) {
  if (c < 0x80) return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
  if (c < 0xC0) return c == 0xAA || c == 0xB5 || c == 0xBA;
  if (c == 0xD7 || c == 0xF7) return false;
  if (c >= 0x2000 && c < 0x2C00) return false;  // punctuation, symbols, arrows, boxes
  if (c >= 0x3000 && c < 0x3040) return false;  // CJK punctuation
  if (c >= 0xFE00 && c < 0xFE70) return false;  // variation selectors, small forms
  if (c >= 0xFF00 && c < 0xFF10) return false;  // fullwidth punctuation
  if (c >= 0x1F000) return false;               // emoji and pictographs
  return true;
}

// 64-bit FNV-1a over code points, seeded by the feature kind, then mixed.
struct Hasher {
  std::uint64_t h;
  explicit Hasher(std::uint64_t kind) : h(0xcbf29ce484222325ULL ^ (kind * 0x9E3779B97F4A7C15ULL)) {}
  void add(char32_t c) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  void add(const std::u32string& s) {
    for (char32_t c : s) add(c);
    add(U'\x1F');
  }
  std::uint64_t done() const {
    std::uint64_t z = h + 0x9E3779B97F4A7C15ULL;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
};

enum Kind : std::uint64_t { kWord = 1, kBigram, kPlainWord, kCharGram, kStem, kStemBigram };

// The English (Snowball) stem of an all-ASCII word; any other word is its
// own stem. The language of a message is unknown here, so stems are extra
// features next to the words: an Italian or Polish word typed without
// diacritics just gains a feature no English phrase shares.
std::u32string english_stem(const std::u32string& word) {
  std::string ascii;
  for (char32_t c : word) {
    if (c >= 0x80) return word;
    ascii.push_back(static_cast<char>(c));
  }
  std::string stem = kb::stem(ascii, "en");
  return std::u32string(stem.begin(), stem.end());
}

void add_char_grams(const std::u32string& word, std::vector<std::uint64_t>& out) {
  std::u32string padded = U"<" + word + U">";
  for (std::size_t n = 2; n <= 5; ++n) {
    for (std::size_t i = 0; i + n <= padded.size(); ++i) {
      Hasher h(kCharGram);
      for (std::size_t k = i; k < i + n; ++k) h.add(padded[k]);
      out.push_back(h.done());
    }
  }
}

}  // namespace

std::vector<std::u32string> words(std::string_view utf8) {
  std::vector<std::u32string> out;
  std::u32string word;
  for (std::size_t i = 0; i < utf8.size();) {
    char32_t c = next_code_point(utf8, i);
    if (c != 0xFFFD && is_word_char(c)) {  // invalid UTF-8 separates words
      word.push_back(to_lower(c));
    } else if (!word.empty()) {
      out.push_back(std::move(word));
      word.clear();
    }
  }
  if (!word.empty()) out.push_back(std::move(word));
  return out;
}

std::u32string strip_diacritics(std::u32string word) {
  for (char32_t& c : word) c = without_diacritics(c);
  return word;
}

PhraseFeatures phrase_features(std::string_view utf8) {
  PhraseFeatures out;
  auto ws = words(utf8);
  std::vector<std::u32string> stems;
  for (const auto& w : ws) stems.push_back(english_stem(w));
  for (std::size_t i = 0; i < ws.size(); ++i) {
    Hasher unigram(kWord);
    unigram.add(ws[i]);
    out.words.push_back(unigram.done());
    // Diacritics are often left out in chat: the plain form is a feature of
    // every word, and character n-grams are taken from it.
    std::u32string plain = strip_diacritics(ws[i]);
    Hasher plain_unigram(kPlainWord);
    plain_unigram.add(plain);
    out.words.push_back(plain_unigram.done());
    Hasher bigram(kBigram);
    bigram.add(i == 0 ? U"<s>" : ws[i - 1]);
    bigram.add(ws[i]);
    out.words.push_back(bigram.done());
    add_char_grams(plain, out.chars);
    // Stem unigrams and bigrams ("cancel my booking" ~ "cancelling bookings").
    Hasher stem(kStem);
    stem.add(stems[i]);
    out.words.push_back(stem.done());
    Hasher stem_bigram(kStemBigram);
    stem_bigram.add(i == 0 ? U"<s>" : stems[i - 1]);
    stem_bigram.add(stems[i]);
    out.words.push_back(stem_bigram.done());
  }
  if (!ws.empty()) {
    Hasher end(kBigram);
    end.add(ws.back());
    end.add(U"</s>");
    out.words.push_back(end.done());
  }
  return out;
}

}  // namespace sb::bot
