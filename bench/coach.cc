// Etiquette coach benchmark: one check of a ~2,000-character draft per call, in
// each language, with every rule on (first message, the customer's name known,
// two mandatory keywords). Drafts are the language's test sentences
// (tests/coach/cases.json) shuffled and joined until 2,000 characters, so they
// hold the phrases the rules look for. Prints a line per language, then
// {"checks":..,"languages":..,"p50_ms":..,"p99_ms":..} over all of them.
#include <algorithm>
#include <boost/json.hpp>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <random>
#include <sstream>

#include "coach/coach.h"

using namespace sb;
using Clock = std::chrono::steady_clock;

namespace {

std::size_t characters(const std::string& s) {
  std::size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

double percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<std::size_t>(p * static_cast<double>(v.size())))];
}

}  // namespace

int main(int argc, char** argv) {
  const char* cases_path = argc > 1 ? argv[1] : "tests/coach/cases.json";
  int per_language = argc > 2 ? std::atoi(argv[2]) : 20000;
  std::ifstream in(cases_path);
  std::stringstream text;
  text << in.rdbuf();
  std::map<std::string, std::vector<std::string>> sentences;
  auto parsed = boost::json::parse(text.str());
  for (const auto& c : parsed.at("cases").as_array())
    sentences[std::string(c.at("language").as_string())].emplace_back(c.at("text").as_string());

  std::mt19937 rng(7);
  std::vector<double> all;
  for (const auto& language : coach::languages()) {
    auto rules = coach::default_rules(language);
    rules.required.push_back({"order", {"order number", "numero d'ordine", "номер заказа"}, coach::When::any});
    rules.required.push_back({"thanks", {"thank you", "grazie", "спасибо", "köszönöm", "dziękuję"},
                              coach::When::first});
    coach::Coach coach(rules);
    coach::Context ctx{true, false, "Zsófia Kovács-Nowak", "Anna"};
    std::vector<std::string> drafts;
    for (int d = 0; d < 64; ++d) {
      auto pool = sentences[language];
      std::shuffle(pool.begin(), pool.end(), rng);
      std::string draft;
      for (std::size_t i = 0; characters(draft) < 2000; i = (i + 1) % pool.size())
        draft += pool[i] + (i % 3 == 2 ? "\n" : " ");
      drafts.push_back(draft);
    }
    std::vector<double> ms;
    std::size_t flags = 0;
    for (int i = 0; i < per_language; ++i) {
      const auto& draft = drafts[static_cast<std::size_t>(i) % drafts.size()];
      auto t0 = Clock::now();
      flags += coach.check(draft, ctx).size();
      ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
    }
    std::printf("%s: %d checks of ~2,000 characters, %.1f flags each, p50 %.4f ms, p99 %.4f ms\n",
                language.c_str(), per_language, static_cast<double>(flags) / per_language,
                percentile(ms, 0.5), percentile(ms, 0.99));
    all.insert(all.end(), ms.begin(), ms.end());
  }
  std::printf("{\"checks\":%zu,\"languages\":%zu,\"p50_ms\":%.4f,\"p99_ms\":%.4f}\n", all.size(),
              coach::languages().size(), percentile(all, 0.5), percentile(all, 0.99));
}
