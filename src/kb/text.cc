// Word splitting, case and diacritic folding for the five product languages.
#include <array>
#include <unordered_set>

#include "kb/kb.h"
#include "kb/utf8.h"

namespace sb::kb {
namespace {

// Lower case for Latin-1, Latin Extended-A (Polish, Hungarian) and Cyrillic.
char32_t lower(char32_t c) {
  if (c >= 'A' && c <= 'Z') return c + 32;
  if (c >= 0xC0 && c <= 0xDE && c != 0xD7) return c + 32;
  if (c >= 0x100 && c <= 0x17F) {
    // Pairs: even upper / odd lower, except 0x139-0x148 and 0x179-0x17E (odd upper).
    bool odd_upper = (c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E);
    if (odd_upper) return (c % 2 == 1) ? c + 1 : c;
    return (c % 2 == 0 && c != 0x138) ? c + 1 : c;
  }
  if (c >= 0x410 && c <= 0x42F) return c + 32;
  if (c >= 0x400 && c <= 0x40F) return c + 80;
  return c;
}

// Base letter of an accented lower-case Latin letter; 0 when it has none.
char32_t base_letter(char32_t c) {
  static constexpr std::array<std::pair<char32_t, char32_t>, 40> kMap = {{
      {0xE0, 'a'},  {0xE1, 'a'},  {0xE2, 'a'},  {0xE3, 'a'},    {0xE4, 'a'},  {0xE5, 'a'},
      {0xE7, 'c'},  {0xE8, 'e'},  {0xE9, 'e'},  {0xEA, 'e'},    {0xEB, 'e'},  {0xEC, 'i'},
      {0xED, 'i'},  {0xEE, 'i'},  {0xEF, 'i'},  {0xF1, 'n'},    {0xF2, 'o'},  {0xF3, 'o'},
      {0xF4, 'o'},  {0xF5, 'o'},  {0xF6, 'o'},  {0xF9, 'u'},    {0xFA, 'u'},  {0xFB, 'u'},
      {0xFC, 'u'},  {0xFD, 'y'},  {0x105, 'a'}, {0x107, 'c'},   {0x119, 'e'}, {0x142, 'l'},
      {0x144, 'n'}, {0x151, 'o'}, {0x15B, 's'}, {0x171, 'u'},   {0x17A, 'z'}, {0x17C, 'z'},
      {0x10D, 'c'}, {0x161, 's'}, {0x17E, 'z'}, {0x451, 0x435},  // ё → е
  }};
  for (auto [from, to] : kMap)
    if (from == c) return to;
  return 0;
}

bool is_word_char(char32_t c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= 0xC0 && c <= 0x24F && c != 0xD7 && c != 0xF7) || (c >= 0x400 && c <= 0x4FF);
}

}  // namespace

std::string fold(std::string_view utf8) {
  std::string out;
  out.reserve(utf8.size());
  for_each_code_point(utf8, [&](char32_t c) {
    c = lower(c);
    if (char32_t b = base_letter(c)) c = b;
    append_utf8(out, c);
  });
  return out;
}

std::vector<std::string> words(std::string_view utf8) {
  std::vector<std::string> out;
  std::string current;
  auto flush = [&] {
    if (!current.empty()) out.push_back(std::move(current));
    current.clear();
  };
  for_each_code_point(utf8, [&](char32_t c) {
    if (is_word_char(c))
      append_utf8(current, lower(c));
    else
      flush();
  });
  flush();
  return out;
}

bool is_stopword(std::string_view w, std::string_view language) {
  // Folded forms. Short lists: the function words of customer questions.
  static const std::unordered_set<std::string_view> kEn = {
      "a",     "an",     "the", "i",     "my",   "me",    "you",   "your",  "we",    "our",
      "is",    "are",    "was", "be",    "do",   "does",  "did",   "can",   "could", "would",
      "will",  "to",     "of",  "in",    "on",   "for",   "at",    "it",    "this",  "that",
      "and",   "or",     "how", "what",  "when", "where", "which", "with",  "have",  "has",
      "there", "please", "hi",  "hello", "if",   "so",    "am",    "about", "get",   "any"};
  static const std::unordered_set<std::string_view> kIt = {
      "il",   "lo",    "la",         "i",     "gli",    "le",    "un",   "una",   "uno",
      "di",   "a",     "da",         "in",    "con",    "su",    "per",  "tra",   "fra",
      "e",    "o",     "che",        "come",  "quando", "dove",  "cosa", "mi",    "ti",
      "si",   "ci",    "vi",         "non",   "del",    "della", "dei",  "delle", "al",
      "alla", "ai",    "nel",        "nella", "e",      "ho",    "ha",   "sono",  "posso",
      "puo",  "salve", "buongiorno", "ciao",  "mio",    "mia",   "il"};
  static const std::unordered_set<std::string_view> kRu = {"и",
                                                           "в",
                                                           "во",
                                                           "не",
                                                           "что",
                                                           "он",
                                                           "на",
                                                           "я",
                                                           "с",
                                                           "со",
                                                           "как",
                                                           "а",
                                                           "то",
                                                           "все",
                                                           "она",
                                                           "так",
                                                           "его",
                                                           "но",
                                                           "да",
                                                           "ты",
                                                           "к",
                                                           "у",
                                                           "же",
                                                           "вы",
                                                           "за",
                                                           "бы",
                                                           "по",
                                                           "мне",
                                                           "мой",
                                                           "моя",
                                                           "мои",
                                                           "от",
                                                           "меня",
                                                           "о",
                                                           "из",
                                                           "ли",
                                                           "если",
                                                           "можно",
                                                           "где",
                                                           "когда",
                                                           "какой",
                                                           "здравствуите",
                                                           "здравствуйте",
                                                           "добрый",
                                                           "день",
                                                           "пожалуйста",
                                                           "это",
                                                           "есть",
                                                           "мы"};
  static const std::unordered_set<std::string_view> kHu = {
      "a",   "az",     "egy",  "es",    "is",     "hogy",     "nem",   "de",    "meg",
      "mar", "van",    "vagy", "el",    "ki",     "be",       "fel",   "le",    "mi",
      "mit", "hogyan", "hol",  "mikor", "mennyi", "kell",     "lehet", "tudok", "tudom",
      "en",  "on",     "jo",   "napot", "kerem",  "koszonom", "szia",  "udv",   "ha"};
  static const std::unordered_set<std::string_view> kPl = {
      "i",     "w",   "we",   "na",    "z",     "ze",    "do",     "o",     "a",   "to",
      "nie",   "sie", "jak",  "co",    "czy",   "jest",  "sa",     "mam",   "moj", "moja",
      "moje",  "mi",  "mnie", "od",    "po",    "za",    "dla",    "ten",   "ta",  "gdzie",
      "kiedy", "ile", "moge", "mozna", "dzien", "dobry", "prosze", "czesc", "ja"};
  auto in = [&](const std::unordered_set<std::string_view>& set) { return set.count(w) > 0; };
  if (language == "en") return in(kEn);
  if (language == "it") return in(kIt);
  if (language == "ru") return in(kRu);
  if (language == "hu") return in(kHu);
  if (language == "pl") return in(kPl);
  return in(kEn) || in(kIt) || in(kRu) || in(kHu) || in(kPl);
}

}  // namespace sb::kb
