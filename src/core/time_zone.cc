#include <algorithm>
#include <cstdint>
#include <cstring>

#include "core/core.h"

namespace sb {
namespace {

// Big-endian readers over an untrusted buffer; callers check bounds first.
std::int64_t read_be(std::string_view b, std::size_t at, int width) {
  std::uint64_t v = 0;
  for (int i = 0; i < width; ++i) v = (v << 8) | static_cast<unsigned char>(b[at + i]);
  if (width == 4) return static_cast<std::int32_t>(static_cast<std::uint32_t>(v));
  return static_cast<std::int64_t>(v);
}

struct Header {
  std::int64_t isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt;
};

std::optional<Header> read_header(std::string_view b, std::size_t at) {
  if (b.size() < at + 44 || b.substr(at, 4) != "TZif") return std::nullopt;
  Header h{};
  std::int64_t* fields[] = {&h.isutcnt, &h.isstdcnt, &h.leapcnt,
                            &h.timecnt, &h.typecnt,  &h.charcnt};
  for (int i = 0; i < 6; ++i) *fields[i] = read_be(b, at + 20 + 4 * i, 4);
  for (auto* f : fields)
    if (*f < 0 || *f > 100000) return std::nullopt;
  if (h.typecnt == 0) return std::nullopt;
  return h;
}

std::int64_t data_size(const Header& h, int time_width) {
  return h.timecnt * time_width + h.timecnt + h.typecnt * 6 + h.charcnt +
         h.leapcnt * (time_width + 4) + h.isstdcnt + h.isutcnt;
}

}  // namespace

std::optional<TimeZone> TimeZone::from_tzif(std::string_view b) {
  auto h1 = read_header(b, 0);
  if (!h1) return std::nullopt;
  std::size_t at = 44;
  int width = 4;
  Header h = *h1;
  if (b[4] >= '2') {  // skip the 32-bit block, use the 64-bit one
    at += static_cast<std::size_t>(data_size(*h1, 4));
    auto h2 = read_header(b, at);
    if (!h2) return std::nullopt;
    h = *h2;
    at += 44;
    width = 8;
  }
  if (b.size() < at + static_cast<std::size_t>(data_size(h, width))) return std::nullopt;

  std::vector<std::int64_t> times(h.timecnt);
  for (std::int64_t i = 0; i < h.timecnt; ++i) times[i] = read_be(b, at + i * width, width);
  std::size_t idx_at = at + h.timecnt * width;
  std::size_t types_at = idx_at + h.timecnt;
  auto utoff = [&](std::int64_t type) {
    return static_cast<int>(read_be(b, types_at + type * 6, 4));
  };

  // RFC 8536 keeps offsets within about a day; anything else is a damaged file.
  for (std::int64_t type = 0; type < h.typecnt; ++type)
    if (utoff(type) < -89'999 || utoff(type) > 93'599) return std::nullopt;

  TimeZone tz;
  tz.initial_offset_ = utoff(0);
  for (std::int64_t i = 0; i < h.timecnt; ++i) {
    auto type = static_cast<unsigned char>(b[idx_at + i]);
    if (type >= h.typecnt) return std::nullopt;
    tz.transitions_.push_back(times[i]);
    tz.offsets_.push_back(utoff(type));
  }
  if (!std::is_sorted(tz.transitions_.begin(), tz.transitions_.end())) return std::nullopt;
  return tz;
}

int TimeZone::offset_seconds_at(Millis utc) const {
  std::int64_t s = utc >= 0 ? utc / 1000 : (utc - 999) / 1000;
  auto it = std::upper_bound(transitions_.begin(), transitions_.end(), s);
  if (it == transitions_.begin()) return initial_offset_;
  return offsets_[static_cast<std::size_t>(it - transitions_.begin() - 1)];
}

std::optional<Millis> TimeZone::next_transition_after(Millis utc) const {
  std::int64_t s = utc >= 0 ? utc / 1000 : (utc - 999) / 1000;
  auto it = std::upper_bound(transitions_.begin(), transitions_.end(), s);
  // A damaged file may hold times past what milliseconds can express.
  if (it == transitions_.end() || *it > INT64_MAX / 1000) return std::nullopt;
  return *it * 1000;
}

}  // namespace sb
