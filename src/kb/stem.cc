// Stemming: Snowball (libstemmer) for en/it/ru/hu; Polish by stripping the
// commonest inflectional endings, longest first, keeping at least a 3-letter stem
// (Snowball has no Polish; this light approach is what e.g. Elasticsearch's
// "polish light" does in spirit). The result is folded, so "perché"/"perche" meet.
#include <libstemmer.h>

#include <map>

#include "kb/kb.h"
#include "kb/utf8.h"

namespace sb::kb {
namespace {

class SnowballStemmers {
 public:
  ~SnowballStemmers() {
    for (auto& [lang, s] : stemmers_)
      if (s) sb_stemmer_delete(s);
  }
  sb_stemmer* get(std::string_view language) {
    auto it = stemmers_.find(std::string(language));
    if (it != stemmers_.end()) return it->second;
    const char* algorithm = language == "en"   ? "english"
                            : language == "it" ? "italian"
                            : language == "ru" ? "russian"
                            : language == "hu" ? "hungarian"
                                               : nullptr;
    sb_stemmer* s = algorithm ? sb_stemmer_new(algorithm, "UTF_8") : nullptr;
    stemmers_.emplace(std::string(language), s);
    return s;
  }

 private:
  std::map<std::string, sb_stemmer*, std::less<>> stemmers_;
};

// Endings of Polish nouns, adjectives and verbs, longest first.
constexpr std::u32string_view kPolishEndings[] = {
    U"owaniami", U"owaniach", U"owaniem", U"owania", U"owanie", U"owaniu", U"ościami", U"ościach",
    U"ością",    U"ości",     U"eniami",  U"eniach", U"eniem",  U"enia",   U"enie",    U"eniu",
    U"ami",      U"ach",      U"ego",     U"emu",    U"ymi",    U"imi",    U"ych",     U"ich",
    U"owi",      U"iem",      U"ów",      U"om",     U"em",     U"ie",     U"ej",      U"ym",
    U"im",       U"ą",        U"ę",       U"y",      U"i",      U"a",      U"o",       U"u",
    U"e",        U"ać",       U"ić",      U"yć",     U"eć",     U"uję",    U"ujesz",   U"uje",
    U"ujemy",    U"ujecie",   U"ują",     U"esz",    U"emy",    U"ecie",   U"ał",      U"ała"};

std::string polish_stem(std::string_view word) {
  auto w = to_u32(word);
  std::size_t best = 0;
  for (auto ending : kPolishEndings)
    if (ending.size() > best && w.size() >= ending.size() + 3 &&
        w.compare(w.size() - ending.size(), ending.size(), ending) == 0)
      best = ending.size();
  w.resize(w.size() - best);
  std::string out;
  for (char32_t c : w) append_utf8(out, c);
  return out;
}

}  // namespace

std::string stem(std::string_view lower_word, std::string_view language) {
  if (language == "pl") return fold(polish_stem(lower_word));
  thread_local SnowballStemmers stemmers;
  sb_stemmer* s = stemmers.get(language);
  if (!s) return fold(lower_word);
  const sb_symbol* out = sb_stemmer_stem(s, reinterpret_cast<const sb_symbol*>(lower_word.data()),
                                         static_cast<int>(lower_word.size()));
  if (!out) return fold(lower_word);
  return fold(std::string_view(reinterpret_cast<const char*>(out),
                               static_cast<std::size_t>(sb_stemmer_length(s))));
}

}  // namespace sb::kb
