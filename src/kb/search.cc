// BM25F over title (x3), keywords (x2) and body, on folded stems. A query word
// that is not in the vocabulary matches terms one typo away (two for long
// words); the last query word also matches as a prefix, for search as you type.
#include <algorithm>
#include <cmath>
#include <unordered_map>

#include "kb/kb.h"
#include "kb/utf8.h"

namespace sb::kb {
namespace {

constexpr double kK1 = 1.2, kB = 0.75;
constexpr int kTitleWeight = 3, kKeywordWeight = 2;
constexpr double kTypoWeight = 0.75, kPrefixWeight = 0.85;
// relevant(): a hit scoring under this share of the best is noise next to it.
constexpr double kRelevantShare = 0.3;

struct Posting {
  std::uint32_t doc;
  std::uint32_t tf;  // weighted: title x3, keywords x2, body x1
};

// Optimal string alignment distance, or max + 1 once it is certainly above max.
// Three rolling rows, reused per thread: the typo scan runs it over the vocabulary.
int edit_distance(const std::u32string& a, const std::u32string& b, int max) {
  if (std::abs(static_cast<int>(a.size()) - static_cast<int>(b.size())) > max) return max + 1;
  thread_local std::vector<int> rows;
  std::size_t w = b.size() + 1;
  rows.resize(3 * w);
  int* two_up = rows.data();
  int* up = two_up + w;
  int* row = up + w;
  for (std::size_t j = 0; j < w; ++j) up[j] = static_cast<int>(j);
  for (std::size_t i = 1; i <= a.size(); ++i) {
    row[0] = static_cast<int>(i);
    int row_min = row[0];
    for (std::size_t j = 1; j < w; ++j) {
      int cost = a[i - 1] == b[j - 1] ? 0 : 1;
      row[j] = std::min({up[j] + 1, row[j - 1] + 1, up[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        row[j] = std::min(row[j], two_up[j - 2] + 1);
      row_min = std::min(row_min, row[j]);
    }
    if (row_min > max) return max + 1;
    std::swap(two_up, up);
    std::swap(up, row);
  }
  return up[w - 1];
}

int allowed_typos(std::size_t letters) {
  return letters >= 8 ? 2 : letters >= 4 ? 1 : 0;
}

}  // namespace

struct SearchIndex::Impl {
  struct Doc {
    std::int64_t id;
    std::string language;
    double length;
    // Set once all documents are in: BM25's length normalisation and the
    // number of documents in this one's language (for idf).
    double norm = 0;
    int language_docs = 0;
  };
  struct Term {
    std::vector<Posting> postings;
    std::unordered_map<std::string, int> df;  // documents per language
  };
  std::vector<Doc> docs;
  std::unordered_map<std::string, Term> terms;
  std::vector<std::pair<const Term*, std::u32string>> vocabulary;        // each term's code points
  std::unordered_map<std::string, std::pair<int, double>> per_language;  // docs, avg length

  void add(const Document& d) {
    std::unordered_map<std::string, std::uint32_t> tf;
    double length = 0;
    auto count = [&](std::string_view text, int weight) {
      for (const auto& w : words(text)) {
        tf[stem(w, d.language)] += weight;
        length += weight;
      }
    };
    count(d.title, kTitleWeight);
    count(d.keywords, kKeywordWeight);
    count(d.body, 1);
    auto doc = static_cast<std::uint32_t>(docs.size());
    docs.push_back({d.id, d.language, length});
    for (const auto& [term, n] : tf) {
      auto& t = terms[term];
      t.postings.push_back({doc, n});
      ++t.df[d.language];
    }
    auto& lang = per_language[d.language];
    lang.second += length;
    ++lang.first;
  }

  // Terms a query word stands for, with how much a match counts.
  std::vector<std::pair<const Term*, double>> expand(const std::string& word,
                                                     std::string_view language, bool last) const {
    std::vector<std::pair<const Term*, double>> out;
    std::vector<std::string_view> languages;
    if (language.empty())
      languages = {kLanguages.begin(), kLanguages.end()};
    else
      languages = {language};
    for (auto l : languages)
      if (auto it = terms.find(stem(word, l)); it != terms.end()) out.push_back({&it->second, 1.0});
    if (!out.empty()) return out;
    auto q = to_u32(fold(word));
    int typos = allowed_typos(q.size());
    for (const auto& [term, letters] : vocabulary) {
      if (last && q.size() >= 3 && letters.size() > q.size() && letters.starts_with(q))
        out.push_back({term, kPrefixWeight});
      else if (typos > 0 && edit_distance(q, letters, typos) <= typos)
        out.push_back({term, kTypoWeight});
    }
    return out;
  }

  int df(const Term& t, std::string_view language) const {
    if (!language.empty()) {
      auto it = t.df.find(std::string(language));
      return it == t.df.end() ? 0 : it->second;
    }
    return static_cast<int>(t.postings.size());
  }
};

SearchIndex::SearchIndex(const std::vector<Document>& docs) : impl_(std::make_unique<Impl>()) {
  for (const auto& d : docs) impl_->add(d);
  for (auto& [lang, stats] : impl_->per_language)
    if (stats.first) stats.second /= stats.first;
  for (auto& doc : impl_->docs) {
    auto [n, avg] = impl_->per_language.at(doc.language);
    doc.norm = kK1 * (1 - kB + kB * doc.length / std::max(avg, 1.0));
    doc.language_docs = n;
  }
  for (const auto& [term, t] : impl_->terms) impl_->vocabulary.push_back({&t, to_u32(term)});
}

SearchIndex::~SearchIndex() = default;
SearchIndex::SearchIndex(SearchIndex&&) noexcept = default;

std::size_t SearchIndex::size() const {
  return impl_->docs.size();
}

std::vector<Hit> SearchIndex::search(std::string_view query, std::string_view language,
                                     int limit) const {
  auto all = words(query);
  std::vector<std::string> content;
  for (const auto& w : all)
    if (!is_stopword(fold(w), language)) content.push_back(w);
  bool stop_words_only = content.empty();
  if (stop_words_only) content = all;  // "how to?" still searches something
  if (content.size() > 32) content.resize(32);
  bool typing = !query.empty() && query.back() != ' ';
  // Dense per-document accumulators: cheaper than hash maps when common words
  // touch thousands of documents.
  std::vector<double> score(impl_->docs.size()), best(impl_->docs.size());
  std::vector<int> matched(impl_->docs.size());
  std::vector<Match> match(impl_->docs.size(), Match::kStopWords);
  std::vector<std::uint32_t> touched, word_touched;
  for (std::size_t i = 0; i < content.size(); ++i) {
    word_touched.clear();
    for (auto [term, weight] :
         impl_->expand(content[i], language, typing && i + 1 == content.size())) {
      int df = impl_->df(*term, language);
      for (const auto& p : term->postings) {
        const auto& doc = impl_->docs[p.doc];
        if (!language.empty() && doc.language != language) continue;
        double idf = std::log(1.0 + (doc.language_docs - df + 0.5) / (df + 0.5));
        double s = weight * idf * (p.tf * (kK1 + 1)) / (p.tf + doc.norm);
        if (best[p.doc] == 0) word_touched.push_back(p.doc);
        if (!stop_words_only)  // a word in most documents of the language is common
          match[p.doc] =
              std::max(match[p.doc],
                       2 * df > doc.language_docs ? Match::kCommonWord : Match::kDistinctiveWord);
        best[p.doc] = std::max(best[p.doc], s);
      }
    }
    for (auto doc : word_touched) {
      if (matched[doc] == 0) touched.push_back(doc);
      score[doc] += best[doc];
      ++matched[doc];
      best[doc] = 0;
    }
  }
  std::vector<Hit> hits;
  for (auto doc : touched)
    hits.push_back({impl_->docs[doc].id, score[doc],
                    static_cast<double>(matched[doc]) / static_cast<double>(content.size()),
                    match[doc]});
  std::sort(hits.begin(), hits.end(), [](const Hit& a, const Hit& b) {
    return a.score != b.score ? a.score > b.score : a.id < b.id;
  });
  if (limit >= 0 && hits.size() > static_cast<std::size_t>(limit)) hits.resize(limit);
  return hits;
}

std::vector<Hit> relevant(std::vector<Hit> hits) {
  if (hits.empty()) return hits;
  double best_score = 0;
  auto best_match = Match::kStopWords;
  for (const auto& h : hits) {
    best_score = std::max(best_score, h.score);
    best_match = std::max(best_match, h.match);
  }
  if (best_match == Match::kStopWords) return {};
  std::erase_if(hits, [&](const Hit& h) {
    return h.match < best_match || h.score < kRelevantShare * best_score;
  });
  return hits;
}

}  // namespace sb::kb
