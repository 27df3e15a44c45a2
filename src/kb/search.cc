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

struct Posting {
  std::uint32_t doc;
  std::uint32_t tf;  // weighted: title x3, keywords x2, body x1
};

// Optimal string alignment distance, or max + 1 once it is certainly above max.
int edit_distance(const std::u32string& a, const std::u32string& b, int max) {
  if (std::abs(static_cast<int>(a.size()) - static_cast<int>(b.size())) > max) return max + 1;
  std::vector<std::vector<int>> d(a.size() + 1, std::vector<int>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = static_cast<int>(i);
  for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = static_cast<int>(j);
  for (std::size_t i = 1; i <= a.size(); ++i) {
    int row_min = max + 1;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      int cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      row_min = std::min(row_min, d[i][j]);
    }
    if (row_min > max) return max + 1;
  }
  return d[a.size()][b.size()];
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
  };
  std::vector<Doc> docs;
  std::unordered_map<std::string, std::vector<Posting>> postings;
  std::vector<std::pair<std::string, std::u32string>> vocabulary;        // term, its code points
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
    for (const auto& [term, n] : tf) postings[term].push_back({doc, n});
    auto& lang = per_language[d.language];
    lang.second += length;
    ++lang.first;
  }

  // Terms a query word stands for, with how much a match counts.
  std::vector<std::pair<const std::string*, double>> expand(const std::string& word,
                                                            std::string_view language,
                                                            bool last) const {
    std::vector<std::pair<const std::string*, double>> out;
    std::vector<std::string_view> languages;
    if (language.empty())
      languages = {"en", "it", "ru", "hu", "pl"};
    else
      languages = {language};
    for (auto l : languages)
      if (auto it = postings.find(stem(word, l)); it != postings.end())
        out.push_back({&it->first, 1.0});
    if (!out.empty()) return out;
    auto folded = fold(word);
    auto q = to_u32(folded);
    int typos = allowed_typos(q.size());
    for (const auto& [term, letters] : vocabulary) {
      if (last && q.size() >= 3 && letters.size() > q.size() && letters.starts_with(q))
        out.push_back({&term, kPrefixWeight});
      else if (typos > 0 && edit_distance(q, letters, typos) <= typos)
        out.push_back({&term, kTypoWeight});
    }
    return out;
  }
};

SearchIndex::SearchIndex(const std::vector<Document>& docs) : impl_(std::make_unique<Impl>()) {
  for (const auto& d : docs) impl_->add(d);
  for (auto& [lang, stats] : impl_->per_language)
    if (stats.first) stats.second /= stats.first;
  for (const auto& [term, list] : impl_->postings)
    impl_->vocabulary.push_back({term, to_u32(term)});
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
  if (content.empty()) content = all;  // "how to?" still searches something
  bool typing = !query.empty() && query.back() != ' ';
  std::unordered_map<std::uint32_t, std::pair<double, int>> scores;  // doc -> score, words matched
  for (std::size_t i = 0; i < content.size(); ++i) {
    std::unordered_map<std::uint32_t, double> best;  // per document, the word's best match
    for (auto [term, weight] :
         impl_->expand(content[i], language, typing && i + 1 == content.size())) {
      const auto& list = impl_->postings.at(*term);
      auto df = std::count_if(list.begin(), list.end(), [&](const Posting& p) {
        return language.empty() || impl_->docs[p.doc].language == language;
      });
      for (const auto& p : list) {
        const auto& doc = impl_->docs[p.doc];
        if (!language.empty() && doc.language != language) continue;
        auto [n, avg] = impl_->per_language.at(doc.language);
        double idf = std::log(1.0 + (n - df + 0.5) / (df + 0.5));
        double norm = kK1 * (1 - kB + kB * doc.length / std::max(avg, 1.0));
        double s = weight * idf * (p.tf * (kK1 + 1)) / (p.tf + norm);
        best[p.doc] = std::max(best[p.doc], s);
      }
    }
    for (auto [doc, s] : best) {
      scores[doc].first += s;
      ++scores[doc].second;
    }
  }
  std::vector<Hit> hits;
  for (auto [doc, sw] : scores)
    hits.push_back({impl_->docs[doc].id, sw.first,
                    static_cast<double>(sw.second) / static_cast<double>(content.size())});
  std::sort(hits.begin(), hits.end(), [](const Hit& a, const Hit& b) {
    return a.score != b.score ? a.score > b.score : a.id < b.id;
  });
  if (limit >= 0 && hits.size() > static_cast<std::size_t>(limit)) hits.resize(limit);
  return hits;
}

}  // namespace sb::kb
