#include <algorithm>
#include <chrono>
#include <cstdio>

#include "core/core.h"

namespace sb {
namespace {

namespace chr = std::chrono;
constexpr Millis kMinute = 60'000;
constexpr Millis kDay = 86'400'000;

// Local wall-clock milliseconds (since the local epoch) -> the local day number.
Millis local_day_number(Millis local) {
  return local >= 0 ? local / kDay : (local - kDay + 1) / kDay;
}

// The local date "YYYY-MM-DD" and weekday (0 = Sunday) of a local day number; minute 0.
LocalTime local_day(Millis day) {
  chr::sys_days days{chr::days{day}};
  chr::year_month_day ymd{days};
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return {buf, static_cast<int>(chr::weekday{days}.c_encoding()), 0};
}

}  // namespace

LocalTime local_time(const TimeZone& tz, Millis utc) {
  Millis local = utc + Millis{tz.offset_seconds_at(utc)} * 1000;
  Millis day = local_day_number(local);
  auto t = local_day(day);
  t.minute = static_cast<int>((local - day * kDay) / kMinute);
  return t;
}

namespace {

bool is_holiday(const BusinessHours& h, const std::string& date) {
  for (const auto& d : h.holidays)
    if (d == date) return true;
  return false;
}

bool in_span(const BusinessHours& h, const LocalTime& t) {
  for (const auto& s : h.weekly)
    if (s.day == t.weekday && t.minute >= s.open_minute && t.minute < s.close_minute) return true;
  return false;
}

// Holidays close the inbox even when it has no weekly hours (= always open).
bool is_open(const BusinessHours& h, const TimeZone& tz, Millis utc) {
  if (h.weekly.empty() && h.holidays.empty()) return true;
  auto t = local_time(tz, utc);
  return !is_holiday(h, t.date) && (h.weekly.empty() || in_span(h, t));
}

// sscanf's %u skips blanks and accepts signs, so also insist on digits.
bool is_date_shape(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (int i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (s[i] < '0' || s[i] > '9') return false;
  return true;
}

}  // namespace

Availability availability_at(const BusinessHours& hours, const TimeZone& tz, Millis now) {
  if (is_open(hours, tz, now)) return {};
  Availability a;
  a.open = false;
  a.reason =
      is_holiday(hours, local_time(tz, now).date) ? ClosedReason::kHoliday : ClosedReason::kClosed;
  // Minute steps over two weeks: 20k cheap checks, exact across DST changes.
  Millis t = (now / kMinute + 1) * kMinute;
  for (Millis end = now + 14 * kDay; t <= end; t += kMinute) {
    if (is_open(hours, tz, t)) {
      a.next_open_at = t;
      break;
    }
  }
  return a;
}

namespace {

// The instant a local wall-clock time (ms since the local epoch) names. A time
// repeated when clocks go back is its first pass; one skipped when they go
// forward lands past the gap (02:30 on the spring day in Rome is 03:30 CEST).
Millis utc_of_local(const TimeZone& tz, Millis local) {
  int before = tz.offset_seconds_at(local - kDay), after = tz.offset_seconds_at(local + kDay);
  Millis a = local - Millis{before} * 1000, b = local - Millis{after} * 1000;
  bool a_ok = tz.offset_seconds_at(a) == before, b_ok = tz.offset_seconds_at(b) == after;
  if (a_ok && b_ok) return std::min(a, b);
  if (b_ok) return b;
  return a;
}

// The opening spans of one local day, earliest first.
std::vector<OpeningSpan> spans_of(const BusinessHours& h, int weekday) {
  constexpr OpeningSpan kAlwaysOpen{0, 8 * 60, 20 * 60};  // call-backs at night help nobody
  std::vector<OpeningSpan> out;
  if (h.weekly.empty()) out.push_back(kAlwaysOpen);
  for (const auto& s : h.weekly)
    if (s.day == weekday) out.push_back(s);
  std::sort(out.begin(), out.end(), [](const OpeningSpan& x, const OpeningSpan& y) {
    return x.open_minute < y.open_minute;
  });
  return out;
}

}  // namespace

std::vector<TimeWindow> callback_slots(const BusinessHours& hours, const TimeZone& tz, Millis now) {
  constexpr std::size_t kMaxSlots = 60;
  constexpr Millis kNotice = 30 * kMinute;  // time to see the request and call
  std::vector<TimeWindow> out;
  Millis today = local_day_number(now + Millis{tz.offset_seconds_at(now)} * 1000);
  for (Millis day = today; day < today + 7; ++day) {
    auto local = local_day(day);
    if (is_holiday(hours, local.date)) continue;
    for (const auto& span : spans_of(hours, local.weekday)) {
      for (int start = span.open_minute; start < span.close_minute; start += 60) {
        int end = std::min(start + 60, span.close_minute);
        TimeWindow w{utc_of_local(tz, day * kDay + start * kMinute),
                     utc_of_local(tz, day * kDay + end * kMinute)};
        // Overlapping spans, or a DST gap, must not offer a window twice.
        if (w.to <= w.from || w.to < now + kNotice || (!out.empty() && w.from < out.back().to))
          continue;
        out.push_back(w);
        if (out.size() == kMaxSlots) return out;
      }
    }
  }
  return out;
}

bool within_hours(const BusinessHours& hours, const TimeZone& tz, Millis from, Millis to) {
  if (to <= from || to - from > 14 * kDay) return false;
  if (!is_open(hours, tz, from)) return false;
  // Opening hours change on whole minutes: one check per minute covers the window.
  for (Millis t = (from / kMinute + 1) * kMinute; t < to; t += kMinute)
    if (!is_open(hours, tz, t)) return false;
  return true;
}

std::optional<int> parse_clock(std::string_view s) {
  if (s.size() != 5 || s[2] != ':') return std::nullopt;
  auto digit = [&](int i) { return s[i] >= '0' && s[i] <= '9' ? s[i] - '0' : -1; };
  for (int i : {0, 1, 3, 4})
    if (digit(i) < 0) return std::nullopt;
  int h = digit(0) * 10 + digit(1), m = digit(3) * 10 + digit(4);
  if (m > 59 || h > 24 || (h == 24 && m != 0)) return std::nullopt;
  return h * 60 + m;
}

std::string format_clock(int minute) {
  char buf[24];  // room for any int: keeps -Wformat-truncation quiet
  std::snprintf(buf, sizeof buf, "%02d:%02d", minute / 60, minute % 60);
  return buf;
}

std::optional<BusinessHours> BusinessHours::from_json(const boost::json::value& v,
                                                      std::string* error) {
  auto fail = [&](std::string msg) -> std::optional<BusinessHours> {
    if (error) *error = std::move(msg);
    return std::nullopt;
  };
  if (!v.is_object()) return fail("business_hours must be an object");
  BusinessHours h;
  const auto& o = v.as_object();
  if (auto* w = o.if_contains("weekly")) {
    if (!w->is_array()) return fail("business_hours.weekly must be an array");
    for (const auto& item : w->as_array()) {
      if (!item.is_object()) return fail("each weekly entry must be an object");
      auto day = json_int(item.as_object(), "day");
      auto open = json_string(item.as_object(), "open");
      auto close = json_string(item.as_object(), "close");
      if (!day || *day < 0 || *day > 6) return fail("weekly.day must be 0 (Sunday) to 6");
      auto om = open ? parse_clock(*open) : std::nullopt;
      auto cm = close ? parse_clock(*close) : std::nullopt;
      if (!om || !cm || *cm <= *om)
        return fail("weekly open/close must be HH:MM with open < close");
      h.weekly.push_back({static_cast<int>(*day), *om, *cm});
    }
  }
  if (auto* hol = o.if_contains("holidays")) {
    if (!hol->is_array()) return fail("business_hours.holidays must be an array");
    for (const auto& d : hol->as_array()) {
      unsigned y, m, dd;
      char tail;
      if (!d.is_string() ||
          std::sscanf(d.as_string().c_str(), "%4u-%2u-%2u%c", &y, &m, &dd, &tail) != 3 ||
          !is_date_shape(d.as_string()) || m < 1 || m > 12 || dd < 1 || dd > 31)
        return fail("holidays must be dates YYYY-MM-DD");
      h.holidays.emplace_back(d.as_string().c_str());
    }
  }
  return h;
}

boost::json::value BusinessHours::to_json() const {
  boost::json::array weekly_json;
  for (const auto& s : weekly)
    weekly_json.push_back(boost::json::object{{"day", s.day},
                                              {"open", format_clock(s.open_minute)},
                                              {"close", format_clock(s.close_minute)}});
  boost::json::array hol;
  for (const auto& d : holidays) hol.push_back(boost::json::string(d));
  return boost::json::object{{"weekly", weekly_json}, {"holidays", hol}};
}

}  // namespace sb
