#include "emotion/text.h"

namespace sb::emotion {
namespace {

bool is_digit(char32_t c) {
  return c >= '0' && c <= '9';
}

// Symbols people put inside a word to soften it: "f***", "c@zzo", "$hit", "k#rwa".
bool is_mask_symbol(char32_t c) {
  return c == '*' || c == '@' || c == '$' || c == '#';
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
