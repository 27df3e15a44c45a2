// The FTS5 tokenizer "sb_words": kb's words, folded (case, Latin accents, ё), each
// indexed with its Snowball stems for every product language as colocated
// tokens, so a search finds "refund" from "refunds", "rimborso" from "rimborsi"
// and "заказ" from "заказа" without knowing which language a message is in:
// detection runs after the commit and is unreliable on short texts, agents
// reply in any language, and a two-word query has no language at all.
#include <algorithm>
#include <array>
#include <string>
#include <unordered_map>

#include "kb/kb.h"
#include "store/search_queries.h"

namespace sb::sqlite {
namespace {

constexpr std::size_t kMaxWordBytes = 64;    // longer "words" (hashes, base64) are not indexed
constexpr std::size_t kCachedWords = 10000;  // per thread: at most ~3 MB

bool is_cyrillic(std::string_view lower) {
  // Cyrillic letters start with 0xD0..0xD3 in UTF-8.
  return !lower.empty() && static_cast<unsigned char>(lower[0]) >= 0xD0 &&
         static_cast<unsigned char>(lower[0]) <= 0xD3;
}

// The word and its distinct stems: Russian for Cyrillic, the four Latin-script
// languages otherwise. At most five, the folded word first.
std::vector<std::string> index_terms(const std::string& lower, bool stems) {
  std::vector<std::string> out{kb::fold(lower)};
  if (!stems) return out;
  static constexpr std::array<std::string_view, 4> kLatin = {"en", "it", "hu", "pl"};
  auto add = [&](std::string_view language) {
    auto s = kb::stem(lower, language);
    if (!s.empty() && std::find(out.begin(), out.end(), s) == out.end()) out.push_back(s);
  };
  if (is_cyrillic(lower))
    add("ru");
  else
    for (auto language : kLatin) add(language);
  return out;
}

// Customers and agents repeat their words, and four stemmers per word are most
// of the tokenizer's time: each thread remembers the terms of recent words.
struct ViewHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

const std::vector<std::string>& stemmed_terms(std::string_view lower) {
  thread_local std::unordered_map<std::string, std::vector<std::string>, ViewHash, std::equal_to<>>
      cache;
  if (auto it = cache.find(lower); it != cache.end()) return it->second;
  if (cache.size() >= kCachedWords) cache.clear();
  std::string word(lower);
  auto terms = index_terms(word, true);
  return cache.emplace(std::move(word), std::move(terms)).first->second;
}

using TokenFn = int (*)(void*, int, const char*, int, int, int);

int tokenize(Fts5Tokenizer*, void* ctx, int flags, const char* text, int size, TokenFn token) {
  if (!text || size <= 0) return SQLITE_OK;
  // A prefix is matched as typed (folded): its stem would be another word's.
  bool stems = (flags & FTS5_TOKENIZE_PREFIX) == 0;
  try {
    kb::WordScanner words(std::string_view(text, static_cast<std::size_t>(size)));
    std::vector<std::string> typed;
    while (words.next()) {
      if (words.lower().size() > kMaxWordBytes) continue;
      if (!stems) typed = index_terms(std::string(words.lower()), false);
      int colocated = 0;
      for (const auto& term : stems ? stemmed_terms(words.lower()) : typed) {
        int rc = token(ctx, colocated, term.data(), static_cast<int>(term.size()),
                       static_cast<int>(words.begin()), static_cast<int>(words.end()));
        if (rc != SQLITE_OK) return rc;
        colocated = FTS5_TOKEN_COLOCATED;
      }
    }
  } catch (const std::bad_alloc&) {
    return SQLITE_NOMEM;
  }
  return SQLITE_OK;
}

int create(void*, const char**, int, Fts5Tokenizer** out) {
  static int instance = 0;  // stateless: any non-null handle will do
  *out = reinterpret_cast<Fts5Tokenizer*>(&instance);
  return SQLITE_OK;
}

void destroy(Fts5Tokenizer*) {}

fts5_api* fts5_of(sqlite3* db) {
  fts5_api* api = nullptr;
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &stmt, nullptr) != SQLITE_OK) return nullptr;
  sqlite3_bind_pointer(stmt, 1, static_cast<void*>(&api), "fts5_api_ptr", nullptr);
  sqlite3_step(stmt);
  sqlite3_finalize(stmt);
  return api;
}

}  // namespace

void register_search_tokenizer(sqlite3* db) {
  static fts5_tokenizer kTokenizer = {create, destroy, tokenize};
  fts5_api* api = fts5_of(db);
  if (!api || api->xCreateTokenizer(api, "sb_words", nullptr, &kTokenizer, nullptr) != SQLITE_OK)
    throw StoreError(StoreError::Code::kInternal, "SQLite has no FTS5 for the search index");
}

}  // namespace sb::sqlite
