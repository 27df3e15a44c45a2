// Call-back windows offered by the widget: one-hour slots inside an inbox's
// opening hours in its own zone, across DST changes and local day boundaries.
#include <gtest/gtest.h>

#include "core/core.h"
#include "support/hours_fixtures.h"

namespace sb {
namespace {

using namespace test_hours;  // NOLINT: fixtures shared with the other hours tests

// Every day 09:00-11:00.
BusinessHours mornings() {
  std::string weekly;
  for (int d = 0; d < 7; ++d)
    weekly += std::string(d ? "," : "") + R"({"day":)" + std::to_string(d) +
              R"(,"open":"09:00","close":"11:00"})";
  return hours_from(("{\"weekly\":[" + weekly + "]}").c_str());
}

TEST(CallbackSlots, OfficeHoursInRomeFromMidMorning) {
  // Monday 2 March 2026, 10:10 in Rome (CET, +1).
  auto slots = callback_slots(office_hours(), zone("Europe/Rome"), utc(2026, 3, 2, 9, 10));
  // Today 10-11 (ends 50 min from now) to 16-17: 7; Tuesday-Friday 8 each; no weekend.
  ASSERT_EQ(slots.size(), 7u + 4 * 8);
  EXPECT_EQ(slots.front().from, utc(2026, 3, 2, 9));
  EXPECT_EQ(slots.front().to, utc(2026, 3, 2, 10));
  EXPECT_EQ(slots.back().from, utc(2026, 3, 6, 15));  // Friday 16:00 CET
  for (std::size_t i = 1; i < slots.size(); ++i) EXPECT_GT(slots[i].from, slots[i - 1].from);
}

TEST(CallbackSlots, WindowsEndingWithinHalfAnHourAreNotOffered) {
  // Monday 10:31 in Rome: 10-11 ends in 29 minutes.
  auto slots = callback_slots(office_hours(), zone("Europe/Rome"), utc(2026, 3, 2, 9, 31));
  EXPECT_EQ(slots.front().from, utc(2026, 3, 2, 10));  // 11:00 CET
}

TEST(CallbackSlots, LocalMidnightStartsTheNextDay) {
  // Monday 23:50 in Rome is 22:50 UTC: nothing is left today, Tuesday starts at 09:00 CET.
  auto slots = callback_slots(office_hours(), zone("Europe/Rome"), utc(2026, 3, 2, 22, 50));
  EXPECT_EQ(slots.front().from, utc(2026, 3, 3, 8));
  // Sunday 23:30 UTC is already Monday 00:30 in Rome: the 7 days run Monday to Sunday.
  slots = callback_slots(office_hours(), zone("Europe/Rome"), utc(2026, 3, 1, 23, 30));
  ASSERT_EQ(slots.size(), 5u * 8);
  EXPECT_EQ(slots.front().from, utc(2026, 3, 2, 8));
}

TEST(CallbackSlots, SpringForwardInRomeMovesTheUtcInstants) {
  // Clocks go from 02:00 CET to 03:00 CEST on Sunday 29 March 2026.
  auto slots = callback_slots(mornings(), zone("Europe/Rome"), utc(2026, 3, 28, 0));
  ASSERT_GE(slots.size(), 4u);
  EXPECT_EQ(slots[0].from, utc(2026, 3, 28, 8));  // Saturday 09:00 CET
  EXPECT_EQ(slots[1].from, utc(2026, 3, 28, 9));
  EXPECT_EQ(slots[2].from, utc(2026, 3, 29, 7));  // Sunday 09:00 CEST
  EXPECT_EQ(slots[2].to - slots[2].from, kHour);
}

TEST(CallbackSlots, FallBackInRomeAndAWindowAcrossTheChange) {
  // Clocks go from 03:00 CEST back to 02:00 CET on Sunday 25 October 2026.
  auto slots = callback_slots(mornings(), zone("Europe/Rome"), utc(2026, 10, 24, 0));
  EXPECT_EQ(slots[0].from, utc(2026, 10, 24, 7));  // Saturday 09:00 CEST
  EXPECT_EQ(slots[2].from, utc(2026, 10, 25, 8));  // Sunday 09:00 CET
  // A night span 01:00-04:00 on that Sunday is four real hours long.
  auto night = hours_from(R"({"weekly":[{"day":0,"open":"01:00","close":"04:00"}]})");
  slots = callback_slots(night, zone("Europe/Rome"), utc(2026, 10, 24, 12));
  ASSERT_EQ(slots.size(), 3u);
  EXPECT_EQ(slots[0].from, utc(2026, 10, 24, 23));    // 01:00 CEST
  EXPECT_EQ(slots[1].from, utc(2026, 10, 25, 0));     // 02:00 CEST, first pass
  EXPECT_EQ(slots[2].from, utc(2026, 10, 25, 2));     // 03:00 CET
  EXPECT_EQ(slots[1].to - slots[1].from, 2 * kHour);  // 02:00 CEST to 03:00 CET
}

TEST(CallbackSlots, FarEastZoneWhereTheLocalDayIsAheadOfUtc) {
  // Monday 7 December 2026 20:00 UTC is Tuesday 09:00 in Auckland (NZDT, +13).
  auto slots = callback_slots(office_hours(), zone("Pacific/Auckland"), utc(2026, 12, 7, 20));
  EXPECT_EQ(slots.front().from, utc(2026, 12, 7, 20));
  // Tuesday to Monday: Tuesday-Friday, then Monday 14 December.
  ASSERT_EQ(slots.size(), 5u * 8);
  EXPECT_EQ(slots.back().from, utc(2026, 12, 14, 3));  // Monday 16:00 NZDT
}

TEST(CallbackSlots, FarWestZoneWhereTheLocalDayIsBehindUtc) {
  // Tuesday 8 December 2026 03:00 UTC is still Monday 19:00 in Los Angeles (PST, -8).
  auto slots = callback_slots(office_hours(), zone("America/Los_Angeles"), utc(2026, 12, 8, 3));
  EXPECT_EQ(slots.front().from, utc(2026, 12, 8, 17));  // Tuesday 09:00 PST
  ASSERT_EQ(slots.size(), 4u * 8);                      // Tuesday-Friday; Saturday-Sunday closed
}

TEST(CallbackSlots, AlwaysOpenOffersDaytimeAndSkipsHolidays) {
  auto hours = hours_from(R"({"holidays":["2026-03-03"]})");
  auto slots = callback_slots(hours, zone("Europe/Rome"), utc(2026, 3, 2, 0));
  EXPECT_EQ(slots.front().from, utc(2026, 3, 2, 7));  // 08:00 CET
  EXPECT_EQ(slots[11].to, utc(2026, 3, 2, 19));       // 20:00 CET
  EXPECT_EQ(slots[12].from, utc(2026, 3, 4, 7));      // the holiday has none
  EXPECT_EQ(slots.size(), 60u);                       // 6 days of 12 would be 72
}

TEST(CallbackSlots, AtMostSixtyAndShortLastWindows) {
  auto all_day = callback_slots(hours_from(R"({"weekly":[{"day":1,"open":"00:00","close":"24:00"},
    {"day":2,"open":"00:00","close":"24:00"},{"day":3,"open":"00:00","close":"24:00"}]})"),
                                TimeZone::utc(), utc(2026, 3, 2, 0));
  EXPECT_EQ(all_day.size(), 60u);
  auto short_span =
      callback_slots(hours_from(R"({"weekly":[{"day":1,"open":"09:00","close":"10:30"}]})"),
                     TimeZone::utc(), utc(2026, 3, 2, 0));
  ASSERT_EQ(short_span.size(), 2u);
  EXPECT_EQ(short_span[1].to - short_span[1].from, 30 * kMinute);
}

TEST(WithinHours, WholeWindowMustBeOpen) {
  auto rome = zone("Europe/Rome");
  auto h = office_hours();
  EXPECT_TRUE(within_hours(h, rome, utc(2026, 3, 2, 8), utc(2026, 3, 2, 16)));      // 09-17 CET
  EXPECT_FALSE(within_hours(h, rome, utc(2026, 3, 2, 15), utc(2026, 3, 2, 17)));    // past 17:00
  EXPECT_FALSE(within_hours(h, rome, utc(2026, 3, 2, 7, 30), utc(2026, 3, 2, 9)));  // before 09
  EXPECT_FALSE(within_hours(h, rome, utc(2026, 3, 1, 9), utc(2026, 3, 1, 10)));     // Sunday
  EXPECT_FALSE(within_hours(h, rome, utc(2026, 3, 2, 10), utc(2026, 3, 2, 9)));     // reversed
  // Always open takes any window but on a holiday.
  auto open = hours_from(R"({"holidays":["2026-03-03"]})");
  EXPECT_TRUE(within_hours(open, rome, utc(2026, 3, 2, 1), utc(2026, 3, 2, 3)));
  EXPECT_FALSE(within_hours(open, rome, utc(2026, 3, 3, 10), utc(2026, 3, 3, 11)));
  EXPECT_FALSE(within_hours(BusinessHours{}, rome, 0, 15 * 24 * kHour));  // too long
}

}  // namespace
}  // namespace sb
