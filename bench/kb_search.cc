// Help-center search at scale: 10,000 articles built from CLINC150's training
// questions (real English words, 100 questions an article), queried with the
// validation questions, some with a typo. Prints one JSON line with build time
// and per-query latency. Usage: switchboard-kb-search-bench TRAIN.jsonl VAL.jsonl
#include <algorithm>
#include <boost/json.hpp>
#include <chrono>
#include <fstream>
#include <iostream>

#include "kb/kb.h"

namespace {

std::vector<std::string> texts(const char* path) {
  std::ifstream in(path);
  std::vector<std::string> out;
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) out.emplace_back(boost::json::parse(line).at("text").as_string());
  return out;
}

double ms_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: " << argv[0] << " TRAIN.jsonl VAL.jsonl\n";
    return 2;
  }
  auto train = texts(argv[1]);
  auto queries = texts(argv[2]);
  std::vector<sb::kb::Document> docs;
  for (int d = 0; d < 10000; ++d) {
    sb::kb::Document doc{d, "en", train[static_cast<std::size_t>(d * 7) % train.size()], "", ""};
    for (int k = 0; k < 100; ++k)
      doc.body += train[static_cast<std::size_t>(d * 131 + k * 17) % train.size()] + ". ";
    docs.push_back(std::move(doc));
  }
  auto t0 = std::chrono::steady_clock::now();
  sb::kb::SearchIndex index(docs);
  double build_s = ms_since(t0) / 1000;
  std::vector<double> ms;
  std::size_t hits = 0;
  for (std::size_t i = 0; i < queries.size(); ++i) {
    auto q = queries[i];
    if (i % 3 == 0 && q.size() > 6) std::swap(q[q.size() / 2], q[q.size() / 2 + 1]);  // a typo
    auto t = std::chrono::steady_clock::now();
    hits += !index.search(q, "en", 5).empty();
    ms.push_back(ms_since(t));
  }
  std::sort(ms.begin(), ms.end());
  auto pct = [&](double p) { return ms[static_cast<std::size_t>(p * (ms.size() - 1))]; };
  std::cout << boost::json::serialize(boost::json::object{{"articles", docs.size()},
                                                          {"queries", ms.size()},
                                                          {"with_results", hits},
                                                          {"build_s", build_s},
                                                          {"p50_ms", pct(0.5)},
                                                          {"p99_ms", pct(0.99)}})
            << std::endl;
}
