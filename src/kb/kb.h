// Knowledge-base text tools, no I/O: word splitting and folding for
// en/it/ru/hu/pl, stemming (Snowball from Debian's libstemmer for en/it/ru/hu;
// a light suffix stripper for Polish, which Snowball lacks), a BM25 search
// index that copes with typos and word forms, safe Markdown rendering, and the
// phrases with which a customer asks for a person.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace sb::kb {

// Lower case; Latin letters lose their diacritics (è→e, ł→l, ő→o), ё→е.
std::string fold(std::string_view utf8);
// Lower-cased words (letters and digits; apostrophes split), not folded.
std::vector<std::string> words(std::string_view utf8);
bool is_stopword(std::string_view folded_word, std::string_view language);

// words(), one at a time, each with where it stands in the text (bytes), for
// indexes that mark matches. Made for long texts: no allocation per word, and
// ASCII without decoding. lower() is valid until the next call to next().
class WordScanner {
 public:
  explicit WordScanner(std::string_view utf8) : text_(utf8) {}
  bool next();  // false at the end of the text
  std::string_view lower() const { return lower_; }
  std::size_t begin() const { return begin_; }
  std::size_t end() const { return end_; }

 private:
  std::string_view text_;
  std::size_t pos_ = 0, begin_ = 0, end_ = 0;
  std::string lower_;
};

// The word's stem in `language` ("" or unknown: the word itself), folded.
// Thread-safe: each thread keeps its own Snowball stemmers.
std::string stem(std::string_view lower_word, std::string_view language);

struct Document {
  std::int64_t id = 0;
  std::string language, title, keywords, body;  // body: plain text or Markdown
};

// What the best word a document matched says about it: a query of stop-words
// only ("how do I") or a word most documents share ("order") says little.
enum class Match { kStopWords, kCommonWord, kDistinctiveWord };

struct Hit {
  std::int64_t id = 0;
  double score = 0;     // BM25F
  double coverage = 0;  // share of the query's content words the document matched, 0..1
  Match match = Match::kStopWords;
};

// Immutable after construction; search() is safe from many threads.
class SearchIndex {
 public:
  explicit SearchIndex(const std::vector<Document>& docs);
  ~SearchIndex();
  SearchIndex(SearchIndex&&) noexcept;
  // Documents in `language` (all when empty), best first. Query words match
  // by stem, then within one or two typos, and the last word also as a prefix
  // (search as you type).
  std::vector<Hit> search(std::string_view query, std::string_view language, int limit) const;
  std::size_t size() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The hits worth showing a reader, best first: BM25 ranks every document that
// shares a word with the query, so "track my order" finds each article that
// mentions an order. Keeps those that matched as well as the best one did (a
// distinctive word when any did; nothing for stop-words alone) and score
// within a share of the best.
std::vector<Hit> relevant(std::vector<Hit> hits);

// CommonMark to HTML with raw HTML and unsafe links (javascript:, data:) removed.
std::string render_markdown(std::string_view markdown);
// Plain text of Markdown, whitespace collapsed, cut at a word boundary near max_bytes.
std::string plain_text(std::string_view markdown, std::size_t max_bytes);

// "Can I talk to a person?", "operatore", "оператор", "ügyintéző", "konsultant"...
bool asks_for_human(std::string_view utf8);

}  // namespace sb::kb
