// The NATS protocol parser on hostile server bytes: fed whole, then split at
// a point the input chooses; it must never crash, and a split must not change
// the outcome.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <vector>

#include "bus/nats_parser.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  sb::bus::NatsParser whole(256, 1024);
  std::vector<sb::bus::ServerOp> a;
  bool ok_whole = whole.feed(in, a);

  sb::bus::NatsParser split(256, 1024);
  std::vector<sb::bus::ServerOp> b;
  std::size_t cut = size ? data[0] % (size + 1) : 0;
  bool ok_split = split.feed(in.substr(0, cut), b) && split.feed(in.substr(cut), b);
  if (ok_whole != ok_split || a.size() != b.size()) std::abort();
  for (std::size_t i = 0; i < a.size(); ++i)
    if (a[i].body != b[i].body || a[i].subject != b[i].subject) std::abort();
  return 0;
}
