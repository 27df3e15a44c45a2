// Shared by the business-hours and call-back-slot tests: instants in UTC, real
// zoneinfo files from the system, and hours written as the API's JSON.
#pragma once

#include <boost/json.hpp>
#include <chrono>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

#include "core/core.h"

namespace sb::test_hours {

namespace chr = std::chrono;
inline constexpr Millis kMinute = 60'000;
inline constexpr Millis kHour = 60 * kMinute;

// UTC wall clock -> Millis.
inline Millis utc(int y, unsigned mo, unsigned d, int h = 0, int mi = 0, int s = 0) {
  chr::sys_days day{chr::year{y} / chr::month{mo} / chr::day{d}};
  return chr::duration_cast<chr::milliseconds>(day.time_since_epoch()).count() + h * kHour +
         mi * kMinute + s * 1000;
}

inline std::string read_zone(const std::string& name) {
  std::ifstream in("/usr/share/zoneinfo/" + name, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

inline TimeZone zone(const std::string& name) {
  auto bytes = read_zone(name);
  if (bytes.empty()) throw std::runtime_error("missing zoneinfo file " + name);
  auto tz = TimeZone::from_tzif(bytes);
  if (!tz) throw std::runtime_error("could not parse " + name);
  return *tz;
}

inline BusinessHours hours_from(const char* json) {
  std::string error;
  auto h = BusinessHours::from_json(boost::json::parse(json), &error);
  if (!h) throw std::runtime_error("bad test hours: " + error);
  return *h;
}

// Monday-Friday 09:00-17:00.
inline BusinessHours office_hours() {
  return hours_from(R"({"weekly":[
    {"day":1,"open":"09:00","close":"17:00"},{"day":2,"open":"09:00","close":"17:00"},
    {"day":3,"open":"09:00","close":"17:00"},{"day":4,"open":"09:00","close":"17:00"},
    {"day":5,"open":"09:00","close":"17:00"}]})");
}

}  // namespace sb::test_hours
