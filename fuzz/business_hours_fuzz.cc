// Business-hours JSON as admins (or attackers with an admin cookie) send it.
#include <boost/json.hpp>

#include "core/core.h"

extern "C" int LLVMFuzzerTestOneInput(const unsigned char* data, std::size_t size) {
  boost::system::error_code ec;
  auto v = boost::json::parse(std::string_view(reinterpret_cast<const char*>(data), size), ec);
  if (ec) return 0;
  std::string error;
  if (auto hours = sb::BusinessHours::from_json(v, &error)) {
    auto tz = sb::TimeZone::utc();
    sb::availability_at(*hours, tz, 1'800'000'000'000LL);
  }
  return 0;
}
