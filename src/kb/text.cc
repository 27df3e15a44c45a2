// Word splitting, case and diacritic folding for the five product languages.
#include <unordered_set>

#include "kb/kb.h"
#include "kb/utf8.h"

namespace sb::kb {
namespace {

bool is_word_char(char32_t c) {
  return is_letter(c) || (c >= '0' && c <= '9');
}

}  // namespace

std::string fold(std::string_view utf8) {
  std::string out;
  out.reserve(utf8.size());
  for_each_code_point(utf8, [&](char32_t c) { append_utf8(out, without_diacritics(to_lower(c))); });
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
      append_utf8(current, to_lower(c));
    else
      flush();
  });
  flush();
  return out;
}

bool WordScanner::next() {
  lower_.clear();
  while (pos_ < text_.size()) {
    std::size_t start = pos_;
    auto byte = static_cast<unsigned char>(text_[pos_]);
    if (byte < 0x80) {
      ++pos_;
      bool letter = (byte >= 'a' && byte <= 'z') || (byte >= 'A' && byte <= 'Z');
      if (letter || (byte >= '0' && byte <= '9')) {
        if (lower_.empty()) begin_ = start;
        lower_.push_back(static_cast<char>(byte >= 'A' && byte <= 'Z' ? byte + ('a' - 'A') : byte));
        end_ = pos_;
        continue;
      }
    } else if (char32_t c = next_code_point(text_, pos_); is_word_char(c)) {
      if (lower_.empty()) begin_ = start;
      append_utf8(lower_, to_lower(c));
      end_ = pos_;
      continue;
    }
    if (!lower_.empty()) return true;
  }
  return !lower_.empty();
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
