#include "app/lang_eval.h"

#include <algorithm>
#include <boost/json.hpp>
#include <chrono>
#include <fstream>
#include <iostream>
#include <stdexcept>
#include <vector>

#include "app/percentile.h"
#include "core/core.h"
#include "langid/langid.h"

namespace sb {

int lang_eval(const std::string& dir) {
  namespace json = boost::json;
  auto detector = langid::open_detector();
  json::object per_language;
  std::vector<double> us;
  long n = 0, right = 0;
  for (std::string_view code : kLanguages) {
    std::string lang(code);
    std::ifstream in(dir + "/" + lang + ".txt");
    if (!in) throw std::invalid_argument("cannot read " + dir + "/" + lang + ".txt");
    long lang_n = 0, lang_right = 0;
    for (std::string line; std::getline(in, line);) {
      if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
      auto t0 = std::chrono::steady_clock::now();
      auto got = detector->detect(line);
      us.push_back(
          std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count());
      ++lang_n;
      lang_right += got.language == lang;
    }
    n += lang_n;
    right += lang_right;
    per_language[lang] = lang_n ? static_cast<double>(lang_right) / lang_n : 0.0;
    std::cerr << lang << ": " << lang_right << "/" << lang_n << "\n";
  }
  std::cout << json::serialize(json::object{{"n", n},
                                            {"accuracy", n ? static_cast<double>(right) / n : 0.0},
                                            {"per_language", per_language},
                                            {"p50_us", percentile(us, 0.5)},
                                            {"p99_us", percentile(us, 0.99)}})
            << std::endl;
  return 0;
}

}  // namespace sb
