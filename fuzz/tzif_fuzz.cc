// TZif reader: any bytes; an accepted zone answers with real-world offsets.
#include <cstdlib>

#include "core/core.h"

extern "C" int LLVMFuzzerTestOneInput(const unsigned char* data, std::size_t size) {
  auto tz = sb::TimeZone::from_tzif(std::string(reinterpret_cast<const char*>(data), size));
  if (!tz) return 0;
  for (sb::Millis at : {-4'000'000'000'000LL, 0LL, 1'800'000'000'000LL, 9'000'000'000'000LL}) {
    int off = tz->offset_seconds_at(at);
    if (off < -26 * 3600 || off > 26 * 3600) std::abort();
  }
  return 0;
}
