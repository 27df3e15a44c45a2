// Business-time arithmetic: open stretches found day by day within runs of one
// UTC offset, so the result matches availability_at to the millisecond.
#include <algorithm>
#include <charconv>
#include <chrono>

#include "sla/sla.h"

namespace sb::sla {
namespace {

namespace chr = std::chrono;
constexpr Millis kDay = 86'400'000;
// How far add() looks for open time before giving up.
constexpr std::int64_t kAddHorizonDays = 3660;
// between() walks at most this many days (40 years), a bound on hostile ranges.
constexpr std::int64_t kBetweenHorizonDays = 40 * 366;

std::int64_t floor_div(Millis a, Millis b) {
  return a >= 0 ? a / b : -((-a + b - 1) / b);
}

int weekday(std::int64_t day) {
  return static_cast<int>(((day % 7) + 7 + 4) % 7);
}  // 1970-01-01: Thu

Millis clamp_instant(Millis t) {
  return std::clamp(t, -kFarInstant, kFarInstant);
}

std::optional<std::int64_t> day_number(const std::string& date) {
  int y = 0;
  unsigned m = 0, d = 0;
  if (date.size() != 10) return std::nullopt;
  const char* s = date.data();
  if (std::from_chars(s, s + 4, y).ptr != s + 4 || std::from_chars(s + 5, s + 7, m).ptr != s + 7 ||
      std::from_chars(s + 8, s + 10, d).ptr != s + 10)
    return std::nullopt;
  chr::year_month_day ymd{chr::year{y}, chr::month{m}, chr::day{d}};
  if (!ymd.ok()) return std::nullopt;
  return chr::sys_days{ymd}.time_since_epoch().count();
}

}  // namespace

Calendar::Calendar(const BusinessHours& hours, TimeZone zone) : zone_(std::move(zone)) {
  always_ = hours.weekly.empty() && hours.holidays.empty();
  for (const auto& s : hours.weekly) {
    if (s.day < 0 || s.day > 6 || s.close_minute <= s.open_minute) continue;
    week_[static_cast<std::size_t>(s.day)].push_back(
        {Millis{s.open_minute} * kMinute, Millis{std::min(s.close_minute, 1440)} * kMinute});
  }
  if (hours.weekly.empty())
    for (auto& day : week_) day.push_back({0, kDay});  // open all day, except holidays
  for (auto& day : week_) {
    std::sort(day.begin(), day.end(), [](Span a, Span b) { return a.open < b.open; });
    std::vector<Span> merged;
    for (Span s : day) {
      if (!merged.empty() && s.open <= merged.back().close)
        merged.back().close = std::max(merged.back().close, s.close);
      else
        merged.push_back(s);
    }
    day = std::move(merged);
  }
  for (const auto& h : hours.holidays)
    if (auto d = day_number(h)) holidays_.push_back(*d);
  std::sort(holidays_.begin(), holidays_.end());
}

bool Calendar::holiday(std::int64_t local_day) const {
  return std::binary_search(holidays_.begin(), holidays_.end(), local_day);
}

// Calls visit(open_from, open_until) for each open stretch inside [from, until), in
// order, until it returns false or `max_days` local days have been looked at (a
// day holding an offset change is looked at twice).
template <typename Visit>
void Calendar::walk(Millis from, Millis until, std::int64_t max_days, Visit&& visit) const {
  std::int64_t days_left = max_days;
  Millis t = from;
  while (t < until && days_left > 0) {
    Millis offset = Millis{zone_.offset_seconds_at(t)} * 1000;
    auto next = zone_.next_transition_after(t);
    Millis run_end = next ? std::min(until, *next) : until;
    for (std::int64_t day = floor_div(t + offset, kDay); days_left > 0; ++day, --days_left) {
      Millis day_start = day * kDay - offset;
      if (day_start >= run_end) break;
      if (holiday(day)) continue;
      for (Span s : week_[static_cast<std::size_t>(weekday(day))]) {
        Millis a = std::max(t, day_start + s.open), b = std::min(run_end, day_start + s.close);
        if (a < b && !visit(a, b)) return;
      }
    }
    t = run_end;
  }
}

Millis Calendar::add(Millis from, Millis open_ms) const {
  from = clamp_instant(from);
  if (open_ms <= 0) return from;
  if (always_) return open_ms > kFarInstant - from ? kNever : from + open_ms;
  Millis result = kNever, left = open_ms;
  walk(from, kFarInstant, kAddHorizonDays, [&](Millis a, Millis b) {
    if (b - a >= left) {
      result = a + left;
      return false;
    }
    left -= b - a;
    return true;
  });
  return result;
}

Millis Calendar::between(Millis a, Millis b) const {
  a = clamp_instant(a);
  b = clamp_instant(b);
  if (b <= a) return 0;
  if (always_) return b - a;
  b = std::min(b, a + kBetweenHorizonDays * kDay);
  Millis total = 0;
  walk(a, b, floor_div(b - a, kDay) * 2 + 8, [&](Millis x, Millis y) {
    total += y - x;
    return true;
  });
  return total;
}

}  // namespace sb::sla
