#include "emotion/text.h"

namespace sb::emotion {
namespace {

// Decodes one UTF-8 code point at s[i], advancing i; invalid bytes give 0xFFFD.
char32_t next_code_point(std::string_view s, std::size_t& i) {
  auto b = static_cast<unsigned char>(s[i++]);
  if (b < 0x80) return b;
  int extra = b >= 0xF0 ? 3 : b >= 0xE0 ? 2 : b >= 0xC0 ? 1 : -1;
  if (extra < 0) return 0xFFFD;
  char32_t cp = b & (0x3F >> extra);
  for (int k = 0; k < extra; ++k) {
    if (i >= s.size() || (static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) return 0xFFFD;
    cp = (cp << 6) | (static_cast<unsigned char>(s[i++]) & 0x3F);
  }
  return cp;
}

bool is_letter(char32_t c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= 0xC0 && c <= 0x24F && c != 0xD7 && c != 0xF7) || (c >= 0x400 && c <= 0x4FF);
}

bool is_digit(char32_t c) {
  return c >= '0' && c <= '9';
}

// Symbols people put inside a word to soften it: "f***", "c@zzo", "$hit", "k#rwa".
bool is_mask_symbol(char32_t c) {
  return c == '*' || c == '@' || c == '$' || c == '#';
}

// Base letters of U+0100..U+017F (Latin Extended-A), upper and lower case alike.
constexpr std::u32string_view kExtendedABase =
    U"aaaaaaccccccccddddeeeeeeeeeegggggggghhhhiiiiiiiiiiiijjkkkllllllllllnnnnnnnnn"
    U"oooooooorrrrrrssssssssttttttuuuuuuuuuuuuwwyyyzzzzzzs";
static_assert(kExtendedABase.size() == 0x80);

// Base letters of U+00E0..U+00FF (lower-case Latin-1); '\xF7' is the division sign.
constexpr std::u32string_view kLatin1Base = U"aaaaaaaceeeeiiiidnooooo\xF7ouuuuyty";
static_assert(kLatin1Base.size() == 0x20);

char32_t without_diacritics(char32_t lower) {
  if (lower >= 0xE0 && lower <= 0xFF) return kLatin1Base[lower - 0xE0];
  if (lower >= 0x100 && lower <= 0x17F) return kExtendedABase[lower - 0x100];
  if (lower == U'ё') return U'е';
  return lower;
}

// Digits and symbols that stand for letters in "sh1t", "cazz0", "c@zzo", "sh!t".
char32_t unmasked(char32_t c, bool digits_are_letters) {
  switch (c) {
    case '@':
      return 'a';
    case '$':
      return 's';
    case '!':
      return 'i';
    case '#':
      return '*';
    default:
      break;
  }
  if (!digits_are_letters) return c;
  switch (c) {
    case '0':
      return 'o';
    case '1':
      return 'i';
    case '3':
      return 'e';
    case '4':
      return 'a';
    case '5':
      return 's';
    default:
      return c;
  }
}

// "fuuuuck", "сууука": three or more of the same letter read as one. No word
// of the five languages has a letter three times in a row.
std::u32string collapse_runs(const std::u32string& s) {
  std::u32string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    std::size_t run = 1;
    while (i + run < s.size() && s[i + run] == s[i]) ++run;
    out.append(run >= 3 && s[i] != '*' ? 1 : run, s[i]);
    i += run - 1;
  }
  return out;
}

// Leading symbols are punctuation or emphasis ("*really*"), not masked letters;
// a leading "$" before a letter is an S ("$hit").
std::u32string_view trim_symbols(std::u32string_view raw) {
  bool emphasis = false;
  while (!raw.empty() && is_mask_symbol(raw.front()) &&
         !(raw.front() == '$' && raw.size() > 1 && is_letter(raw[1]))) {
    emphasis = emphasis || raw.front() == '*';
    raw.remove_prefix(1);
  }
  while (!raw.empty() && (raw.back() == '@' || raw.back() == '$' || raw.back() == '#' ||
                          (emphasis && raw.back() == '*'))) {
    raw.remove_suffix(1);
  }
  return raw;
}

Word make_word(std::u32string_view raw) {
  Word w;
  int upper = 0, digits = 0;
  for (char32_t c : raw) {
    if (is_letter(c)) {
      ++w.letters;
      if (to_lower(c) != c) ++upper;
    } else if (is_digit(c)) {
      ++digits;
    }
  }
  w.uppercase = w.letters > 0 && upper == w.letters;
  w.has_digit = digits > 0;
  // Order numbers like "AB12345" keep their digits.
  bool digits_are_letters = w.letters >= 2 && digits <= 2;
  std::u32string key;
  for (char32_t c : raw) {
    key += is_letter(c) ? without_diacritics(to_lower(c)) : unmasked(c, digits_are_letters);
  }
  w.key = collapse_runs(key);
  w.masked = w.key.find(U'*') != std::u32string::npos;
  return w;
}

bool inside_word(const std::u32string& cps, std::size_t i) {
  char32_t c = cps[i];
  if (is_letter(c) || is_digit(c) || is_mask_symbol(c)) return true;
  // "sh!t": an exclamation mark between two letters is a masked i.
  return c == '!' && i > 0 && i + 1 < cps.size() && is_letter(cps[i - 1]) && is_letter(cps[i + 1]);
}

}  // namespace

char32_t to_lower(char32_t c) {
  if (c >= 'A' && c <= 'Z') return c + 0x20;
  if (c >= 0xC0 && c <= 0xDE && c != 0xD7) return c + 0x20;
  if ((c >= 0x100 && c <= 0x137) || (c >= 0x14A && c <= 0x177)) return c | 1;
  if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E)) return c % 2 ? c + 1 : c;
  if (c == 0x178) return 0xFF;
  if (c >= 0x410 && c <= 0x42F) return c + 0x20;
  if (c >= 0x400 && c <= 0x40F) return c + 0x50;
  return c;
}

std::u32string fold(std::u32string_view word) {
  std::u32string out;
  for (char32_t c : word) out += without_diacritics(to_lower(c));
  return collapse_runs(out);
}

std::vector<Word> split_words(std::string_view utf8) {
  std::u32string cps;
  for (std::size_t i = 0; i < utf8.size();) cps += next_code_point(utf8, i);
  std::vector<Word> words;
  for (std::size_t i = 0; i < cps.size();) {
    if (!inside_word(cps, i)) {
      ++i;
      continue;
    }
    std::size_t end = i;
    while (end < cps.size() && inside_word(cps, end)) ++end;
    auto raw = trim_symbols(std::u32string_view(cps).substr(i, end - i));
    if (!raw.empty()) words.push_back(make_word(raw));
    i = end;
  }
  return words;
}

}  // namespace sb::emotion
