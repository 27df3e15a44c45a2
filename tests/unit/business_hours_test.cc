// Time zones (TZif), business hours and availability: what the widget shows as
// "we're open" / "back at ..." depends on all of these being exact.
#include <gtest/gtest.h>

#include "core/core.h"
#include "support/hours_fixtures.h"

namespace sb {
namespace {

using namespace test_hours;  // NOLINT: fixtures shared with the other hours tests

// ---------------------------------------------------------------- TimeZone

TEST(TimeZone, UtcHasZeroOffset) {
  EXPECT_EQ(TimeZone::utc().offset_seconds_at(utc(2026, 7, 1)), 0);
}

TEST(TimeZone, RomeIsUtcPlusOneInWinterAndTwoInSummer) {
  auto rome = zone("Europe/Rome");
  EXPECT_EQ(rome.offset_seconds_at(utc(2026, 1, 15, 12)), 3600);
  EXPECT_EQ(rome.offset_seconds_at(utc(2026, 7, 15, 12)), 7200);
}

TEST(TimeZone, RomeSwitchesToSummerTimeAtLastSundayOfMarch0100Utc) {
  auto rome = zone("Europe/Rome");
  Millis at = utc(2026, 3, 29, 1);
  EXPECT_EQ(rome.offset_seconds_at(at - 1), 3600);
  EXPECT_EQ(rome.offset_seconds_at(at), 7200);
}

TEST(TimeZone, NextTransitionAfterFindsTheNextOffsetChange) {
  auto rome = zone("Europe/Rome");
  EXPECT_EQ(rome.next_transition_after(utc(2026, 1, 15)), utc(2026, 3, 29, 1));
  EXPECT_EQ(rome.next_transition_after(utc(2026, 3, 29, 1) - 1), utc(2026, 3, 29, 1));
  EXPECT_EQ(rome.next_transition_after(utc(2026, 3, 29, 1)), utc(2026, 10, 25, 1));
  EXPECT_EQ(rome.next_transition_after(utc(2040, 1, 1)), std::nullopt) << "past the table";
  EXPECT_EQ(TimeZone::utc().next_transition_after(0), std::nullopt);
}

TEST(TimeZone, RomeSwitchesBackAtLastSundayOfOctober0100Utc) {
  auto rome = zone("Europe/Rome");
  Millis at = utc(2026, 10, 25, 1);
  EXPECT_EQ(rome.offset_seconds_at(at - 1), 7200);
  EXPECT_EQ(rome.offset_seconds_at(at), 3600);
}

TEST(TimeZone, NewYorkOffsetsAndSwitchInstants2026) {
  auto ny = zone("America/New_York");
  EXPECT_EQ(ny.offset_seconds_at(utc(2026, 1, 15)), -5 * 3600);
  EXPECT_EQ(ny.offset_seconds_at(utc(2026, 7, 15)), -4 * 3600);
  // Second Sunday of March 02:00 EST, first Sunday of November 02:00 EDT.
  EXPECT_EQ(ny.offset_seconds_at(utc(2026, 3, 8, 7) - 1), -5 * 3600);
  EXPECT_EQ(ny.offset_seconds_at(utc(2026, 3, 8, 7)), -4 * 3600);
  EXPECT_EQ(ny.offset_seconds_at(utc(2026, 11, 1, 6) - 1), -4 * 3600);
  EXPECT_EQ(ny.offset_seconds_at(utc(2026, 11, 1, 6)), -5 * 3600);
}

TEST(TimeZone, NegativeTimesBeforeEpochUseHistoricOffsets) {
  auto rome = zone("Europe/Rome");
  // 1960-01-01: Rome was on CET, +1 h.
  EXPECT_EQ(rome.offset_seconds_at(utc(1960, 1, 1, 12)), 3600);
}

TEST(TimeZone, GarbageInputIsRejected) {
  EXPECT_FALSE(TimeZone::from_tzif(""));
  EXPECT_FALSE(TimeZone::from_tzif("TZif"));
  EXPECT_FALSE(
      TimeZone::from_tzif("not a time zone file at all, but long enough to have a header"));
  EXPECT_FALSE(TimeZone::from_tzif(std::string(200, '\0')));
  EXPECT_FALSE(TimeZone::from_tzif(std::string(200, '\xff')));
}

TEST(TimeZone, EveryTruncationOfARealFileIsHandledWithoutCrashing) {
  auto bytes = read_zone("Europe/Rome");
  ASSERT_GT(bytes.size(), 1000u);
  for (std::size_t n = 0; n < bytes.size(); ++n) {
    auto tz = TimeZone::from_tzif(std::string_view(bytes).substr(0, n));
    // Cut inside the header or the transition data: refused, not read past the end.
    if (n < bytes.size() / 2) {
      EXPECT_FALSE(tz) << n;
    }
  }
}

TEST(TimeZone, CorruptedHeaderCountsAndTypeIndexesAreRejected) {
  auto bytes = read_zone("Europe/Rome");
  ASSERT_GT(bytes.size(), 100u);
  {
    auto b = bytes;  // timecnt of the v1 header set to a huge value
    b[32] = '\x7f';
    EXPECT_FALSE(TimeZone::from_tzif(b));
  }
  {
    auto b = bytes;  // typecnt = 0
    for (int i = 36; i < 40; ++i) b[i] = '\0';
    EXPECT_FALSE(TimeZone::from_tzif(b));
  }
  {
    auto b = bytes;  // negative counts
    b[20] = '\x80';
    EXPECT_FALSE(TimeZone::from_tzif(b));
  }
}

TEST(TimeZone, RandomByteFlipsNeverCrash) {
  auto bytes = read_zone("Europe/Rome");
  std::uint32_t state = 12345;
  auto next = [&] { return state = state * 1664525u + 1013904223u; };
  int parsed = 0;
  for (int round = 0; round < 2000; ++round) {
    auto b = bytes;
    for (int k = 0; k < 4; ++k) b[next() % b.size()] = static_cast<char>(next() >> 24);
    if (auto tz = TimeZone::from_tzif(b)) {
      // Whatever a damaged file says, what is accepted is a real-world offset.
      for (auto at : {utc(1900, 1, 1), utc(2026, 1, 1), utc(2026, 7, 1), utc(2100, 1, 1)}) {
        int off = tz->offset_seconds_at(at);
        ASSERT_GE(off, -26 * 3600) << "round " << round;
        ASSERT_LE(off, 26 * 3600) << "round " << round;
      }
      ++parsed;
    }
  }
  // Both paths were taken: damage in the data parses, damage in the header is refused.
  EXPECT_GT(parsed, 0);
  EXPECT_LT(parsed, 2000);
}

// A minimal TZif file: version byte, 64-bit (v2) or 32-bit (v1) data.
std::string tzif(char version, std::vector<std::int64_t> times, std::vector<unsigned char> idx,
                 std::vector<std::int32_t> offsets) {
  auto be = [](std::string& out, std::int64_t v, int width) {
    for (int i = width - 1; i >= 0; --i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
  };
  auto block = [&](int width) {
    std::string b = "TZif";
    b.push_back(version);
    b.append(15, '\0');
    for (std::int64_t n :
         {0, 0, 0, static_cast<int>(times.size()), static_cast<int>(offsets.size()), 4})
      be(b, n, 4);  // isutcnt isstdcnt leapcnt timecnt typecnt charcnt
    for (auto t : times) be(b, t, width);
    for (auto i : idx) b.push_back(static_cast<char>(i));
    for (auto o : offsets) {
      be(b, o, 4);
      b.push_back('\0');  // isdst
      b.push_back('\0');  // abbreviation index
    }
    b.append("XXX", 4);
    return b;
  };
  if (version == '\0') return block(4);
  return block(4) + block(8) + "\n\n";
}

TEST(TimeZone, ParsesMinimalVersion1And2Files) {
  for (char version : {'\0', '2', '3'}) {
    auto tz = TimeZone::from_tzif(tzif(version, {1000, 2000}, {1, 0}, {0, 3600}));
    ASSERT_TRUE(tz) << int(version);
    EXPECT_EQ(tz->offset_seconds_at(999'999), 0);
    EXPECT_EQ(tz->offset_seconds_at(1'000'000), 3600);
    EXPECT_EQ(tz->offset_seconds_at(1'999'999), 3600);
    EXPECT_EQ(tz->offset_seconds_at(2'000'000), 0);
  }
}

TEST(TimeZone, FileWithoutTransitionsHasOneFixedOffset) {
  auto tz = TimeZone::from_tzif(tzif('2', {}, {}, {-3 * 3600}));
  ASSERT_TRUE(tz);
  EXPECT_EQ(tz->offset_seconds_at(utc(2026, 6, 1)), -3 * 3600);
}

TEST(TimeZone, OutOfRangeTypeIndexIsRejected) {
  EXPECT_FALSE(TimeZone::from_tzif(tzif('2', {1000}, {2}, {0, 3600})));
}

TEST(TimeZone, UnsortedTransitionsAreRejected) {
  EXPECT_FALSE(TimeZone::from_tzif(tzif('2', {2000, 1000}, {1, 0}, {0, 3600})));
}

// ---------------------------------------------------------------- clock strings

TEST(Clock, ParsesValidTimes) {
  EXPECT_EQ(parse_clock("00:00"), 0);
  EXPECT_EQ(parse_clock("09:05"), 9 * 60 + 5);
  EXPECT_EQ(parse_clock("23:59"), 23 * 60 + 59);
  EXPECT_EQ(parse_clock("24:00"), 24 * 60);
}

TEST(Clock, RejectsOutOfRangeAndMalformedTimes) {
  for (const char* s : {"24:01", "25:00", "12:60", "9:00", "09:0", "009:00", "09-00", "ab:cd", "",
                        "09:00 ", " 9:00", "+9:00", "-1:00", "12:5x"})
    EXPECT_FALSE(parse_clock(s)) << '"' << s << '"';
}

TEST(Clock, FormatsWithLeadingZerosAndRoundTripsEveryMinute) {
  EXPECT_EQ(format_clock(0), "00:00");
  EXPECT_EQ(format_clock(9 * 60 + 5), "09:05");
  EXPECT_EQ(format_clock(1440), "24:00");
  for (int m = 0; m <= 1440; ++m) ASSERT_EQ(parse_clock(format_clock(m)), m) << m;
}

// ---------------------------------------------------------------- BusinessHours json

TEST(BusinessHoursJson, ParsesWeeklySpansAndHolidays) {
  auto h = hours_from(
      R"({"weekly":[{"day":0,"open":"10:00","close":"24:00"}],"holidays":["2026-12-25"]})");
  ASSERT_EQ(h.weekly.size(), 1u);
  EXPECT_EQ(h.weekly[0].day, 0);
  EXPECT_EQ(h.weekly[0].open_minute, 600);
  EXPECT_EQ(h.weekly[0].close_minute, 1440);
  EXPECT_EQ(h.holidays, std::vector<std::string>{"2026-12-25"});
}

TEST(BusinessHoursJson, EmptyObjectMeansAlwaysOpen) {
  auto h = hours_from("{}");
  EXPECT_TRUE(h.weekly.empty());
  EXPECT_TRUE(h.holidays.empty());
}

void expect_rejected(const char* json) {
  std::string error;
  EXPECT_FALSE(BusinessHours::from_json(boost::json::parse(json), &error)) << json;
  EXPECT_FALSE(error.empty()) << "no error message for " << json;
}

TEST(BusinessHoursJson, RejectsBadDays) {
  expect_rejected(R"({"weekly":[{"day":7,"open":"09:00","close":"17:00"}]})");
  expect_rejected(R"({"weekly":[{"day":-1,"open":"09:00","close":"17:00"}]})");
  expect_rejected(R"({"weekly":[{"day":"1","open":"09:00","close":"17:00"}]})");
  expect_rejected(R"({"weekly":[{"open":"09:00","close":"17:00"}]})");
}

TEST(BusinessHoursJson, RejectsOpenNotBeforeClose) {
  expect_rejected(R"({"weekly":[{"day":1,"open":"17:00","close":"09:00"}]})");
  expect_rejected(R"({"weekly":[{"day":1,"open":"09:00","close":"09:00"}]})");
  expect_rejected(R"({"weekly":[{"day":1,"open":"9:00","close":"17:00"}]})");
  expect_rejected(R"({"weekly":[{"day":1,"open":"09:00"}]})");
  expect_rejected(R"({"weekly":[{"day":1,"open":"09:00","close":"24:01"}]})");
}

TEST(BusinessHoursJson, RejectsBadHolidayDates) {
  for (const char* d :
       {R"("2026-13-01")", R"("2026-00-10")", R"("2026-12-32")", R"("2026-12-00")", R"("26-12-25")",
        R"("2026-12-25x")", R"("2026/12/25")", R"("2026-12-5")", R"("2026-1-05")",
        R"("2026-+1-05")", R"("2026- 1-05")", "20261225", "null"}) {
    std::string json = std::string(R"({"holidays":[)") + d + "]}";
    expect_rejected(json.c_str());
  }
}

TEST(BusinessHoursJson, RejectsWrongShapes) {
  expect_rejected("[]");
  expect_rejected(R"("09:00-17:00")");
  expect_rejected(R"({"weekly":{}})");
  expect_rejected(R"({"weekly":[1]})");
  expect_rejected(R"({"holidays":"2026-12-25"})");
}

TEST(BusinessHoursJson, NullErrorPointerIsAllowed) {
  EXPECT_FALSE(BusinessHours::from_json(boost::json::parse("[]"), nullptr));
}

TEST(BusinessHoursJson, ToJsonRoundTrips) {
  auto h = hours_from(R"({"weekly":[{"day":1,"open":"09:00","close":"12:30"},
                                    {"day":1,"open":"13:30","close":"18:00"},
                                    {"day":6,"open":"00:00","close":"24:00"}],
                         "holidays":["2026-01-01","2026-12-25"]})");
  auto json = h.to_json();
  EXPECT_EQ(json, boost::json::parse(R"({"weekly":[{"day":1,"open":"09:00","close":"12:30"},
                                        {"day":1,"open":"13:30","close":"18:00"},
                                        {"day":6,"open":"00:00","close":"24:00"}],
                                        "holidays":["2026-01-01","2026-12-25"]})"));
  auto again = BusinessHours::from_json(json, nullptr);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->to_json(), json);
}

// ---------------------------------------------------------------- availability

TEST(Availability, EmptyWeeklyIsAlwaysOpen) {
  BusinessHours h;
  for (Millis t : {utc(2026, 1, 4, 3), utc(2026, 1, 5, 12), utc(2026, 7, 11, 23, 59)}) {
    auto a = availability_at(h, TimeZone::utc(), t);
    EXPECT_TRUE(a.open);
    EXPECT_EQ(a.reason, ClosedReason::kNone);
    EXPECT_FALSE(a.next_open_at);
  }
}

TEST(Availability, OpenInsideASpan) {
  // 2026-01-05 is a Monday.
  for (Millis t : {utc(2026, 1, 5, 9), utc(2026, 1, 5, 12, 30), utc(2026, 1, 5, 16, 59, 59)}) {
    auto a = availability_at(office_hours(), TimeZone::utc(), t);
    EXPECT_TRUE(a.open);
    EXPECT_EQ(a.reason, ClosedReason::kNone);
    EXPECT_FALSE(a.next_open_at);
  }
}

TEST(Availability, ClosedBeforeOpeningNextOpenIsSameDay) {
  auto a = availability_at(office_hours(), TimeZone::utc(), utc(2026, 1, 5, 8, 59, 30));
  EXPECT_FALSE(a.open);
  EXPECT_EQ(a.reason, ClosedReason::kClosed);
  EXPECT_EQ(a.next_open_at, utc(2026, 1, 5, 9));
}

TEST(Availability, CloseTimeIsExclusiveNextOpenIsNextDay) {
  auto a = availability_at(office_hours(), TimeZone::utc(), utc(2026, 1, 5, 17));
  EXPECT_FALSE(a.open);
  EXPECT_EQ(a.reason, ClosedReason::kClosed);
  EXPECT_EQ(a.next_open_at, utc(2026, 1, 6, 9));
}

TEST(Availability, FridayEveningNextOpenIsMonday) {
  auto a = availability_at(office_hours(), TimeZone::utc(), utc(2026, 1, 9, 18));
  EXPECT_FALSE(a.open);
  EXPECT_EQ(a.next_open_at, utc(2026, 1, 12, 9));
}

TEST(Availability, HolidayIsClosedWithReasonAndNextWorkingDay) {
  auto h = office_hours();
  h.holidays = {"2026-01-06"};  // a Tuesday
  auto a = availability_at(h, TimeZone::utc(), utc(2026, 1, 6, 10));
  EXPECT_FALSE(a.open);
  EXPECT_EQ(a.reason, ClosedReason::kHoliday);
  EXPECT_EQ(a.next_open_at, utc(2026, 1, 7, 9));
}

TEST(Availability, HolidayIsSkippedWhenSearchingNextOpening) {
  auto h = office_hours();
  h.holidays = {"2026-01-06"};
  auto a = availability_at(h, TimeZone::utc(), utc(2026, 1, 5, 18));  // Monday evening
  EXPECT_EQ(a.reason, ClosedReason::kClosed);
  EXPECT_EQ(a.next_open_at, utc(2026, 1, 7, 9));
}

TEST(Availability, HolidayDateIsTheLocalDate) {
  auto h = office_hours();
  h.holidays = {"2026-01-06"};
  // Monday 23:30 UTC is already Tuesday 00:30 in Rome.
  auto a = availability_at(h, zone("Europe/Rome"), utc(2026, 1, 5, 23, 30));
  EXPECT_EQ(a.reason, ClosedReason::kHoliday);
}

TEST(Availability, NoNextOpenWhenNothingOpensWithinTwoWeeks) {
  auto h = hours_from(R"({"weekly":[{"day":1,"open":"09:00","close":"17:00"}],
                         "holidays":["2026-01-12","2026-01-19"]})");
  auto a = availability_at(h, TimeZone::utc(), utc(2026, 1, 6, 10));
  EXPECT_FALSE(a.open);
  EXPECT_FALSE(a.next_open_at);
}

TEST(Availability, SpansAreLocalTimeInTheInboxZone) {
  auto rome = zone("Europe/Rome");
  // Monday 2026-01-05 09:00 in Rome is 08:00 UTC.
  EXPECT_TRUE(availability_at(office_hours(), rome, utc(2026, 1, 5, 8)).open);
  EXPECT_FALSE(availability_at(office_hours(), rome, utc(2026, 1, 5, 16)).open);
  EXPECT_EQ(availability_at(office_hours(), rome, utc(2026, 1, 5, 7)).next_open_at,
            utc(2026, 1, 5, 8));
}

TEST(Availability, NextOpenAcrossSpringForwardUsesSummerOffset) {
  auto rome = zone("Europe/Rome");
  // Friday 2026-03-27 17:00 CET; DST starts Sunday 29th; Monday 30th 09:00 CEST = 07:00 UTC.
  auto a = availability_at(office_hours(), rome, utc(2026, 3, 27, 16));
  EXPECT_FALSE(a.open);
  EXPECT_EQ(a.next_open_at, utc(2026, 3, 30, 7));
  EXPECT_FALSE(availability_at(office_hours(), rome, utc(2026, 3, 30, 6, 59)).open);
  EXPECT_TRUE(availability_at(office_hours(), rome, utc(2026, 3, 30, 7)).open);
  EXPECT_TRUE(availability_at(office_hours(), rome, utc(2026, 3, 30, 14, 59)).open);
  EXPECT_FALSE(availability_at(office_hours(), rome, utc(2026, 3, 30, 15)).open);
}

TEST(Availability, SpanOnTheSwitchDayItselfUsesTheNewOffset) {
  auto rome = zone("Europe/Rome");
  auto h = hours_from(R"({"weekly":[{"day":0,"open":"09:00","close":"12:00"}]})");
  // Saturday 28 March evening; Sunday 29 March 09:00 CEST = 07:00 UTC.
  EXPECT_EQ(availability_at(h, rome, utc(2026, 3, 28, 20)).next_open_at, utc(2026, 3, 29, 7));
  // Sunday 25 October (back to CET) 09:00 = 08:00 UTC.
  EXPECT_EQ(availability_at(h, rome, utc(2026, 10, 24, 20)).next_open_at, utc(2026, 10, 25, 8));
}

TEST(Availability, NextOpenAcrossFallBackUsesWinterOffset) {
  auto rome = zone("Europe/Rome");
  // Friday 2026-10-23 after closing; Monday 26th 09:00 CET = 08:00 UTC.
  auto a = availability_at(office_hours(), rome, utc(2026, 10, 23, 16));
  EXPECT_EQ(a.next_open_at, utc(2026, 10, 26, 8));
  EXPECT_FALSE(availability_at(office_hours(), rome, utc(2026, 10, 26, 7, 59)).open);
  EXPECT_TRUE(availability_at(office_hours(), rome, utc(2026, 10, 26, 8)).open);
}

TEST(Availability, NewYorkSpansUseNegativeOffset) {
  auto ny = zone("America/New_York");
  // Monday 2026-01-05 09:00 EST = 14:00 UTC; Monday 2026-07-06 09:00 EDT = 13:00 UTC.
  EXPECT_EQ(availability_at(office_hours(), ny, utc(2026, 1, 5, 12)).next_open_at,
            utc(2026, 1, 5, 14));
  EXPECT_EQ(availability_at(office_hours(), ny, utc(2026, 7, 6, 12)).next_open_at,
            utc(2026, 7, 6, 13));
  // Friday 2026-01-09 20:00 EST is Saturday 01:00 UTC: closed locally on Friday evening.
  EXPECT_FALSE(availability_at(office_hours(), ny, utc(2026, 1, 10, 1)).open);
}

}  // namespace
}  // namespace sb

TEST(AvailabilityRegression, HolidayClosesAnAlwaysOpenInbox) {
  sb::BusinessHours h;
  h.holidays = {"2026-12-25"};
  auto christmas_noon = sb::Millis{1798200000000};  // 2026-12-25 12:00 UTC
  auto a = sb::availability_at(h, sb::TimeZone::utc(), christmas_noon);
  EXPECT_FALSE(a.open);
  EXPECT_EQ(a.reason, sb::ClosedReason::kHoliday);
  ASSERT_TRUE(a.next_open_at.has_value());
  EXPECT_EQ(*a.next_open_at, sb::Millis{1798243200000});  // 2026-12-26 00:00 UTC
}
