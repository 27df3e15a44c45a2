// Tests as data: every tests/scenarios/*.json runs through the real services in
// virtual time (see README.md for the format).
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "world.h"

namespace sb::scenario {
namespace {

namespace fs = std::filesystem;

Millis days_from_civil(int y, int m, int d) {  // H. Hinnant's algorithm
  y -= m <= 2;
  int era = (y >= 0 ? y : y - 399) / 400;
  int yoe = y - era * 400;
  int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return static_cast<Millis>(era) * 146097 + doe - 719468;
}

std::vector<fs::path> scenario_files() {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(SB_SCENARIO_DIR))
    if (e.path().extension() == ".json") out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

json::object read_scenario(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return json::parse(text.str()).as_object();
}

class Scenario : public ::testing::TestWithParam<fs::path> {};

TEST_P(Scenario, Holds) {
  auto scenario = read_scenario(GetParam());
  World world(scenario);
  int n = 0;
  for (const auto& s : scenario.at("steps").as_array()) {
    ++n;
    for (const auto& failure : world.step(s.as_object()))
      ADD_FAILURE() << GetParam().filename().string() << ", step " << n << " " << json::serialize(s)
                    << "\n  " << failure;
  }
}

INSTANTIATE_TEST_SUITE_P(Files, Scenario, ::testing::ValuesIn(scenario_files()),
                         [](const auto& info) {
                           auto name = info.param.stem().string();
                           for (auto& c : name)
                             if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                           return name;
                         });

}  // namespace

Millis parse_time(const json::value& v) {
  int y, mo, d, h, mi, s;
  std::string text(v.as_string());
  if (std::sscanf(text.c_str(), "%d-%d-%dT%d:%d:%dZ", &y, &mo, &d, &h, &mi, &s) != 6)
    throw BadScenario("not a UTC time like 2026-03-02T09:30:00Z: " + text);
  return ((days_from_civil(y, mo, d) * 24 + h) * 60 + mi) * 60'000LL + s * 1000LL;
}

Millis parse_duration(const json::value& v) {
  if (v.is_int64()) return v.as_int64();
  static const std::map<std::string, Millis> kUnits = {
      {"ms", 1}, {"s", 1000}, {"m", 60'000}, {"h", 3'600'000}, {"d", 86'400'000}};
  std::string text(v.as_string());
  Millis total = 0;
  std::size_t at = 0;
  while (at < text.size()) {  // "90s", "14h29m"
    std::size_t digits = text.find_first_not_of("0123456789", at);
    std::size_t end = text.find_first_of("0123456789", digits);
    auto unit = kUnits.find(text.substr(digits, end - digits));
    if (digits == at || digits == std::string::npos || unit == kUnits.end())
      throw BadScenario("not a duration like 90s, 5m, 14h29m: " + text);
    total += std::stoll(text.substr(at, digits - at)) * unit->second;
    at = end == std::string::npos ? text.size() : end;
  }
  return total;
}

}  // namespace sb::scenario
