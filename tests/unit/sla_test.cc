// Help-desk rules: business-time arithmetic, SLA clocks, badges, escalation and
// ticket automation, all on virtual instants in Europe/Rome.
#include "sla/sla.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <random>
#include <sstream>

namespace sb::sla {
namespace {

namespace chr = std::chrono;
constexpr Millis kHour = 60 * kMinute;
constexpr Millis kDay = 24 * kHour;
using Kind = TicketEvent::Kind;

TimeZone rome_zone() {
  std::ifstream in("/usr/share/zoneinfo/Europe/Rome", std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  auto tz = TimeZone::from_tzif(bytes.str());
  if (!tz) throw std::runtime_error("Europe/Rome zoneinfo missing");
  return *tz;
}

const TimeZone& rome() {
  static const TimeZone tz = rome_zone();
  return tz;
}

// A Rome wall-clock time (unambiguous ones only) as an instant.
Millis at(int y, unsigned mo, unsigned d, int h = 0, int mi = 0) {
  chr::sys_days day{chr::year{y} / chr::month{mo} / chr::day{d}};
  Millis local = day.time_since_epoch().count() * kDay + h * kHour + mi * kMinute;
  Millis guess = local - Millis{rome().offset_seconds_at(local)} * 1000;
  return local - Millis{rome().offset_seconds_at(guess)} * 1000;
}

BusinessHours hours_json(const char* json) {
  std::string error;
  auto h = BusinessHours::from_json(boost::json::parse(json), &error);
  if (!h) throw std::runtime_error(error);
  return *h;
}

// Monday-Friday 09:00-18:00, plus the given holidays.
BusinessHours office(const char* holidays = "[]") {
  std::string json = R"({"weekly":[)";
  for (int d = 1; d <= 5; ++d)
    json += std::string(d > 1 ? "," : "") + R"({"day":)" + std::to_string(d) +
            R"(,"open":"09:00","close":"18:00"})";
  json += std::string(R"(],"holidays":)") + holidays + "}";
  return hours_json(json.c_str());
}

Calendar office_calendar(const char* holidays = "[]") {
  return Calendar(office(holidays), rome());
}

Policy policy_json(const char* json) {
  std::string error;
  auto p = Policy::from_json(boost::json::parse(json), &error);
  if (!p) throw std::runtime_error("bad test policy: " + error);
  return *p;
}

// Calendar time; first response 4 h (2 h high, 1 h urgent), next response 2 h,
// resolution 8 h; low priority has no targets.
Policy calendar_policy(const char* extra = "") {
  std::string json = std::string(R"({"name":"default","targets":{
    "first_response":{"normal":240,"high":120,"urgent":60},
    "next_response":{"normal":120,"high":60,"urgent":30},
    "resolution":{"normal":480,"high":360,"urgent":240}})") +
                     extra + "}";
  return policy_json(json.c_str());
}

TicketEvent event(Kind kind, Millis when) {
  return {kind, when};
}
TicketEvent status(TicketStatus s, Millis when) {
  return {Kind::kStatus, when, s};
}
TicketEvent priority(TicketPriority p, Millis when) {
  return {Kind::kPriority, when, TicketStatus::kOpen, p};
}

// ---------------------------------------------------------------- business time

struct AddCase {
  const char* name;
  const char* holidays;
  Millis from, open_time, expected;
};

TEST(SlaCalendar, AddsBusinessMinutesAcrossNightsWeekendsHolidaysAndDst) {
  const AddCase cases[] = {
      {"friday evening to monday", "[]", at(2026, 3, 6, 17, 55), 60 * kMinute,
       at(2026, 3, 9, 9, 55)},
      {"holiday monday to tuesday", R"(["2026-03-09"])", at(2026, 3, 6, 17, 55), 60 * kMinute,
       at(2026, 3, 10, 9, 55)},
      {"spring-forward weekend", "[]", at(2026, 3, 27, 17, 55), 60 * kMinute,
       at(2026, 3, 30, 9, 55)},
      {"fall-back weekend", "[]", at(2026, 10, 23, 17, 55), 60 * kMinute, at(2026, 10, 26, 9, 55)},
      {"within the day", "[]", at(2026, 3, 4, 10, 0), 90 * kMinute, at(2026, 3, 4, 11, 30)},
      {"before opening", "[]", at(2026, 3, 4, 6, 0), 30 * kMinute, at(2026, 3, 4, 9, 30)},
      {"ends exactly at closing", "[]", at(2026, 3, 4, 17, 0), 60 * kMinute, at(2026, 3, 4, 18, 0)},
      {"a full week", "[]", at(2026, 3, 2, 9, 0), 45 * kHour, at(2026, 3, 6, 18, 0)},
      {"three days over a weekend", "[]", at(2026, 3, 5, 12, 0), 27 * kHour,
       at(2026, 3, 10, 12, 0)},
      {"zero", "[]", at(2026, 3, 7, 3, 0), 0, at(2026, 3, 7, 3, 0)},
  };
  for (const auto& c : cases) {
    auto cal = office_calendar(c.holidays);
    EXPECT_EQ(cal.add(c.from, c.open_time), c.expected) << c.name;
    if (c.open_time > 0) {
      EXPECT_EQ(cal.between(c.from, c.expected), c.open_time) << c.name;
    }
  }
}

TEST(SlaCalendar, DstShiftsTheUtcInstantOfOpening) {
  auto cal = office_calendar();
  // 09:55 in Rome is 08:55 UTC before the change and 07:55 UTC after it.
  EXPECT_EQ(cal.add(at(2026, 3, 27, 17, 55), 60 * kMinute) - at(2026, 3, 27, 0, 0),
            3 * kDay + 9 * kHour + 55 * kMinute - kHour);
}

TEST(SlaCalendar, DstNightsHold23And25HoursOfAnAllDaySpan) {
  Calendar all_day(hours_json(R"({"weekly":[{"day":0,"open":"00:00","close":"24:00"}]})"), rome());
  EXPECT_EQ(all_day.between(at(2026, 3, 28, 12), at(2026, 3, 30, 12)), 23 * kHour);
  EXPECT_EQ(all_day.between(at(2026, 10, 24, 12), at(2026, 10, 26, 12)), 25 * kHour);
  EXPECT_EQ(all_day.add(at(2026, 3, 28, 12), 23 * kHour), at(2026, 3, 30, 0));
}

TEST(SlaCalendar, AlwaysOpenIsWallTimeAndHolidaysCloseWholeDays) {
  auto always = Calendar::always_open();
  EXPECT_EQ(always.add(1000, 5 * kHour), 1000 + 5 * kHour);
  EXPECT_EQ(always.between(1000, 500), 0);
  Calendar with_holiday(hours_json(R"({"holidays":["2026-03-04"]})"), rome());
  EXPECT_EQ(with_holiday.between(at(2026, 3, 3, 12), at(2026, 3, 5, 12)), 24 * kHour);
  EXPECT_EQ(with_holiday.add(at(2026, 3, 3, 23), 2 * kHour), at(2026, 3, 5, 1));
}

TEST(SlaCalendar, HostileInstantsDoNotCrashOrLoopForever) {
  auto cal = office_calendar();
  EXPECT_EQ(cal.add(kNever, kHour), kNever);
  EXPECT_EQ(cal.add(0, kNever), kNever);
  EXPECT_GE(cal.between(INT64_MIN, INT64_MAX), 0);
  EXPECT_EQ(cal.between(INT64_MAX, INT64_MIN), 0);
}

// The reference, minute by minute: the local wall clock (offset in force at the
// instant) inside a weekly span on a day that is not a holiday.
bool open_at(const BusinessHours& h, Millis t) {
  Millis local = t + Millis{rome().offset_seconds_at(t)} * 1000;
  chr::sys_days day{chr::days{local / kDay}};
  chr::year_month_day ymd{day};
  char date[16];
  std::snprintf(date, sizeof date, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  for (const auto& holiday : h.holidays)
    if (holiday == date) return false;
  int weekday = static_cast<int>(chr::weekday{day}.c_encoding());
  int minute = static_cast<int>(local % kDay / kMinute);
  for (const auto& s : h.weekly)
    if (s.day == weekday && minute >= s.open_minute && minute < s.close_minute) return true;
  return false;
}

TEST(SlaCalendar, AgreesWithMinuteByMinuteReferenceAroundDstAndHolidays) {
  auto hours = hours_json(R"({"weekly":[
    {"day":0,"open":"01:30","close":"03:30"},{"day":1,"open":"08:00","close":"12:00"},
    {"day":1,"open":"13:00","close":"19:00"},{"day":3,"open":"00:00","close":"24:00"},
    {"day":6,"open":"22:00","close":"24:00"}],"holidays":["2026-03-30","2026-10-28"]})");
  Calendar cal(hours, rome());
  std::mt19937_64 rng(7);
  for (Millis base : {at(2026, 3, 25), at(2026, 10, 21)}) {
    std::vector<Millis> open_before{0};  // open minutes before minute i of a 12-day window
    for (int i = 0; i < 12 * 24 * 60; ++i)
      open_before.push_back(open_before.back() + (open_at(hours, base + i * kMinute) ? 1 : 0));
    for (int n = 0; n < 300; ++n) {
      int a = static_cast<int>(rng() % 5000), b = a + static_cast<int>(rng() % 8000);
      Millis from = base + a * kMinute, until = base + b * kMinute;
      ASSERT_EQ(cal.between(from, until), (open_before[b] - open_before[a]) * kMinute)
          << "minutes " << a << ".." << b;
      Millis want = (open_before[b] - open_before[a]) * kMinute;
      if (want > 0) {
        Millis due = cal.add(from, want);
        ASSERT_LE(due, until);
        ASSERT_EQ(cal.between(from, due), want);
        ASSERT_TRUE(open_at(hours, due - kMinute)) << "the due minute is an open one";
      }
    }
  }
}

// ---------------------------------------------------------------- policies

TEST(SlaPolicy, JsonRoundTripKeepsEveryField) {
  auto p = policy_json(R"({"name":"VIP","when":{"inboxes":[3],"priorities":["high"],
    "tags":["VIP"]},"targets":{"first_response":{"high":30},"resolution":{"low":2880}},
    "hours":"business","on_hold_pauses":true,"at_risk":{"percent":10,"minutes":5},
    "escalations":[{"metric":"first_response","when":"at_risk","action":"notify_assignee"},
                   {"metric":"resolution","when":"breached","action":"reassign_team","team":4}]})");
  EXPECT_EQ(p.tags, std::vector<std::string>{"vip"});
  EXPECT_EQ(p.target(Metric::kFirstResponse, TicketPriority::kHigh), 30 * kMinute);
  EXPECT_FALSE(p.target(Metric::kFirstResponse, TicketPriority::kLow));
  EXPECT_TRUE(p.business_hours);
  EXPECT_EQ(p.escalations.at(1).team, 4);
  std::string error;
  auto again = Policy::from_json(p.to_json(), &error);
  ASSERT_TRUE(again) << error;
  EXPECT_EQ(boost::json::serialize(again->to_json()), boost::json::serialize(p.to_json()));
}

TEST(SlaPolicy, ValidationErrorsSayWhatIsWrong) {
  struct Case {
    const char* json;
    const char* error;
  };
  const Case cases[] = {
      {R"({"targets":{}})", "name must be"},
      {R"({"name":"x"})", "targets must be an object"},
      {R"({"name":"x","targets":{"first_reply":{}}})", "unknown metric 'first_reply'"},
      {R"({"name":"x","targets":{"resolution":{"asap":5}}})", "targets.resolution.asap"},
      {R"({"name":"x","targets":{"resolution":{"low":0}}})", "must be minutes from 1"},
      {R"({"name":"x","targets":{},"hours":"office"})", "hours must be calendar or business"},
      {R"({"name":"x","targets":{},"when":{"priorities":["p1"]}})", "when.priorities"},
      {R"({"name":"x","targets":{},"at_risk":{"percent":150}})", "at_risk.percent"},
      {R"({"name":"x","targets":{},"escalations":[{"metric":"resolution","when":"breached",
          "action":"reassign_team"}]})",
       "team"},
      {R"({"name":"x","targets":{},"escalations":[{"metric":"resolution","when":"late",
          "action":"unassign"}]})",
       "at_risk or breached"},
      {R"({"name":"x","targets":{},"on_hold_pause":true})", "unknown field 'on_hold_pause'"},
      {R"({"name":"x","targets":{},"at_risk":{"percentage":10}})", "at_risk: unknown field"},
  };
  for (const auto& c : cases) {
    std::string error;
    EXPECT_FALSE(Policy::from_json(boost::json::parse(c.json), &error)) << c.json;
    EXPECT_NE(error.find(c.error), std::string::npos) << error;
  }
  std::string error;
  EXPECT_FALSE(policies_from_json(
      boost::json::parse(R"([{"name":"a","targets":{}},{"name":"","targets":{}}])"), &error));
  EXPECT_NE(error.find("policy 2: name"), std::string::npos) << error;
}

TEST(SlaPolicy, FirstMatchingPolicyInOrderApplies) {
  std::string error;
  auto policies = policies_from_json(boost::json::parse(R"([
    {"name":"vip","when":{"tags":["vip","gold"]},"targets":{}},
    {"name":"sales urgent","when":{"inboxes":[2],"priorities":["urgent"]},"targets":{}},
    {"name":"everything","targets":{}}])"),
                                     &error);
  ASSERT_TRUE(policies) << error;
  auto pick = [&](TicketFacts t) { return pick_policy(*policies, t)->name; };
  EXPECT_EQ(pick({2, TicketPriority::kUrgent, {"Gold"}}), "vip");
  EXPECT_EQ(pick({2, TicketPriority::kUrgent, {}}), "sales urgent");
  EXPECT_EQ(pick({2, TicketPriority::kHigh, {}}), "everything");
  EXPECT_EQ(pick({1, TicketPriority::kUrgent, {"other"}}), "everything");
  policies->pop_back();
  EXPECT_EQ(pick_policy(*policies, {1, TicketPriority::kLow, {}}), nullptr);
}

// ---------------------------------------------------------------- clocks

TEST(SlaClocks, FirstResponseInBusinessHoursIsDueMondayMorning) {
  auto p =
      policy_json(R"({"name":"b","hours":"business","targets":{"first_response":{"normal":60}}})");
  auto cal = office_calendar();
  Timeline t{at(2026, 3, 6, 17, 55)};
  auto c = compute_clocks(t, p, cal, at(2026, 3, 7, 12))[Metric::kFirstResponse];
  EXPECT_EQ(c.state, Clock::State::kRunning);
  EXPECT_EQ(c.due_at, at(2026, 3, 9, 9, 55));
  EXPECT_EQ(c.used, 5 * kMinute) << "five business minutes on Friday";
  EXPECT_EQ(c.left, 55 * kMinute);
  EXPECT_EQ(c.left_wall, at(2026, 3, 9, 9, 55) - at(2026, 3, 7, 12));

  t.events = {event(Kind::kAgentReply, at(2026, 3, 9, 9, 30))};
  c = compute_clocks(t, p, cal, at(2026, 3, 9, 12))[Metric::kFirstResponse];
  EXPECT_EQ(c.state, Clock::State::kAchieved);
  EXPECT_EQ(c.achieved_at, at(2026, 3, 9, 9, 30));
  EXPECT_EQ(c.used, 35 * kMinute);
  EXPECT_FALSE(c.breached);

  auto holiday = office_calendar(R"(["2026-03-09"])");
  t.events.clear();
  EXPECT_EQ(compute_clocks(t, p, holiday, at(2026, 3, 7))[Metric::kFirstResponse].due_at,
            at(2026, 3, 10, 9, 55));
}

TEST(SlaClocks, CalendarPolicyIgnoresBusinessHours) {
  auto cal = office_calendar();
  Timeline t{at(2026, 3, 6, 17, 55)};
  auto c = compute_clocks(t, calendar_policy(), cal, at(2026, 3, 6, 18))[Metric::kFirstResponse];
  EXPECT_EQ(c.due_at, at(2026, 3, 6, 21, 55));
}

TEST(SlaClocks, InternalNotesDoNotAnswerTheCustomer) {
  Timeline t{at(2026, 3, 2, 10)};
  t.events = {event(Kind::kInternalNote, at(2026, 3, 2, 10, 5))};
  auto c = compute_clocks(t, calendar_policy(), Calendar::always_open(), at(2026, 3, 2, 11));
  EXPECT_EQ(c[Metric::kFirstResponse].state, Clock::State::kRunning);
  EXPECT_EQ(c.status, TicketStatus::kNew);
}

TEST(SlaClocks, PendingCustomerPausesResolutionAndResumesOnReply) {
  Timeline t{at(2026, 3, 2, 10)};
  t.events = {event(Kind::kAgentReply, at(2026, 3, 2, 11)),
              status(TicketStatus::kPendingCustomer, at(2026, 3, 2, 12))};
  auto p = calendar_policy();
  auto paused = compute_clocks(t, p, Calendar::always_open(), at(2026, 3, 2, 14));
  const Clock& r = paused[Metric::kResolution];
  EXPECT_EQ(r.state, Clock::State::kPaused);
  EXPECT_EQ(r.used, 2 * kHour);
  EXPECT_EQ(r.left, 6 * kHour);
  EXPECT_FALSE(r.due_at) << "no due time while we wait for the customer";
  EXPECT_EQ(paused[Metric::kFirstResponse].state, Clock::State::kAchieved);

  t.events.push_back(event(Kind::kCustomerMessage, at(2026, 3, 2, 15)));
  auto resumed = compute_clocks(t, p, Calendar::always_open(), at(2026, 3, 2, 17));
  EXPECT_EQ(resumed.status, TicketStatus::kOpen) << "a customer reply reopens pending";
  EXPECT_EQ(resumed[Metric::kResolution].state, Clock::State::kRunning);
  EXPECT_EQ(resumed[Metric::kResolution].used, 4 * kHour);
  EXPECT_EQ(resumed[Metric::kResolution].due_at, at(2026, 3, 2, 21));
  EXPECT_EQ(resumed[Metric::kNextResponse].due_at, at(2026, 3, 2, 17));
}

TEST(SlaClocks, OnHoldPausesOnlyWhenThePolicySaysSo) {
  Timeline t{at(2026, 3, 2, 10)};
  t.events = {status(TicketStatus::kOnHold, at(2026, 3, 2, 11))};
  auto now = at(2026, 3, 2, 13);
  EXPECT_EQ(
      compute_clocks(t, calendar_policy(), Calendar::always_open(), now)[Metric::kResolution].used,
      3 * kHour);
  auto pausing = calendar_policy(R"(,"on_hold_pauses":true)");
  EXPECT_EQ(compute_clocks(t, pausing, Calendar::always_open(), now)[Metric::kResolution].used,
            1 * kHour);
}

TEST(SlaClocks, NextResponseStartsAtEachCustomerMessageAfterAnAgentReply) {
  Timeline t{at(2026, 3, 2, 9)};
  t.events = {
      event(Kind::kCustomerMessage, at(2026, 3, 2, 9, 5)),  // first response covers it
      event(Kind::kAgentReply, at(2026, 3, 2, 9, 10)),
      event(Kind::kCustomerMessage, at(2026, 3, 2, 10)),
      event(Kind::kCustomerMessage, at(2026, 3, 2, 11)),  // still waiting: no restart
      event(Kind::kAgentReply, at(2026, 3, 2, 12, 30)),   // 2h30 after 10:00: breached
      event(Kind::kCustomerMessage, at(2026, 3, 2, 14)),
  };
  auto c = compute_clocks(t, calendar_policy(), Calendar::always_open(), at(2026, 3, 2, 15));
  const Clock& next = c[Metric::kNextResponse];
  EXPECT_EQ(next.cycle, 2);
  EXPECT_EQ(next.state, Clock::State::kRunning);
  EXPECT_EQ(next.due_at, at(2026, 3, 2, 16));
  EXPECT_FALSE(next.breached);
  EXPECT_EQ(next.breaches, 1) << "the first cycle breached";

  t.events.resize(5);
  auto done = compute_clocks(t, calendar_policy(), Calendar::always_open(), at(2026, 3, 2, 13));
  EXPECT_EQ(done[Metric::kNextResponse].state, Clock::State::kAchieved);
  EXPECT_EQ(done[Metric::kNextResponse].used, 150 * kMinute);
  EXPECT_TRUE(done[Metric::kNextResponse].breached);
  EXPECT_EQ(done[Metric::kNextResponse].breached_by, 30 * kMinute);
  EXPECT_EQ(done[Metric::kNextResponse].due_at, at(2026, 3, 2, 12));
}

TEST(SlaClocks, RaisingThePriorityRetargetsFromCreation) {
  Timeline t{at(2026, 3, 2, 10)};
  t.events = {priority(TicketPriority::kUrgent, at(2026, 3, 2, 10, 30))};
  auto p = calendar_policy();
  auto c = compute_clocks(t, p, Calendar::always_open(), at(2026, 3, 2, 10, 45));
  EXPECT_EQ(c.priority, TicketPriority::kUrgent);
  EXPECT_EQ(c[Metric::kFirstResponse].due_at, at(2026, 3, 2, 11)) << "1 h from creation";
  auto late = compute_clocks(t, p, Calendar::always_open(), at(2026, 3, 2, 11, 30));
  EXPECT_TRUE(late[Metric::kFirstResponse].breached);
  EXPECT_EQ(late[Metric::kFirstResponse].breached_by, 30 * kMinute);

  // A response given under normal priority keeps the normal target.
  t.events = {event(Kind::kAgentReply, at(2026, 3, 2, 12)),
              priority(TicketPriority::kUrgent, at(2026, 3, 2, 12, 30))};
  auto kept = compute_clocks(t, p, Calendar::always_open(), at(2026, 3, 2, 13));
  EXPECT_EQ(kept[Metric::kFirstResponse].target, 4 * kHour);
  EXPECT_FALSE(kept[Metric::kFirstResponse].breached);
  EXPECT_EQ(kept[Metric::kResolution].target, 4 * kHour) << "the running one is retargeted";
}

TEST(SlaClocks, SolvingStopsAndReopeningCarriesOn) {
  Timeline t{at(2026, 3, 2, 10)};
  t.events = {event(Kind::kAgentReply, at(2026, 3, 2, 10, 30)),
              status(TicketStatus::kSolved, at(2026, 3, 2, 11)),
              event(Kind::kCustomerMessage, at(2026, 3, 2, 20))};
  auto c = compute_clocks(t, calendar_policy(), Calendar::always_open(), at(2026, 3, 2, 21));
  EXPECT_EQ(c.status, TicketStatus::kOpen) << "solved reopens on a customer reply";
  EXPECT_EQ(c[Metric::kResolution].state, Clock::State::kRunning);
  EXPECT_EQ(c[Metric::kResolution].used, 2 * kHour);
  EXPECT_EQ(c[Metric::kNextResponse].due_at, at(2026, 3, 2, 22));

  t.events[1].status = TicketStatus::kClosed;
  auto closed = compute_clocks(t, calendar_policy(), Calendar::always_open(), at(2026, 3, 2, 21));
  EXPECT_EQ(closed.status, TicketStatus::kClosed) << "closed stays closed";
  EXPECT_EQ(closed[Metric::kResolution].state, Clock::State::kAchieved);
  EXPECT_EQ(closed[Metric::kResolution].achieved_at, at(2026, 3, 2, 11));
}

TEST(SlaClocks, AReplyToATicketSolvedWithoutAnswerStartsANextResponseWait) {
  Timeline t{at(2026, 3, 2, 10)};
  t.events = {status(TicketStatus::kSolved, at(2026, 3, 2, 10, 5)),
              event(Kind::kCustomerMessage, at(2026, 3, 2, 11))};
  auto c = compute_clocks(t, calendar_policy(), Calendar::always_open(), at(2026, 3, 2, 12));
  EXPECT_FALSE(c[Metric::kFirstResponse].answered);
  EXPECT_EQ(c[Metric::kNextResponse].state, Clock::State::kRunning);
  EXPECT_EQ(c[Metric::kNextResponse].due_at, at(2026, 3, 2, 13));
}

TEST(SlaClocks, PausedBusinessClockAcrossAWeekend) {
  auto p =
      policy_json(R"({"name":"b","hours":"business","targets":{"resolution":{"normal":600}}})");
  auto cal = office_calendar();
  Timeline t{at(2026, 3, 5, 9)};  // Thursday
  t.events = {status(TicketStatus::kPendingCustomer, at(2026, 3, 5, 13)),
              event(Kind::kCustomerMessage, at(2026, 3, 7, 10)),  // Saturday
              status(TicketStatus::kPendingCustomer, at(2026, 3, 9, 10)),
              status(TicketStatus::kOpen, at(2026, 3, 9, 15))};
  auto c = compute_clocks(t, p, cal, at(2026, 3, 9, 16))[Metric::kResolution];
  EXPECT_EQ(c.used, 4 * kHour + 1 * kHour + 1 * kHour);
  EXPECT_EQ(c.due_at, at(2026, 3, 10, 11)) << "4 h left: 2 on Monday, 2 on Tuesday";
}

// Random timelines in business time: the clocks never contradict the calendar.
TEST(SlaClocks, RandomTimelinesKeepTheirInvariants) {
  auto p = policy_json(R"({"name":"b","hours":"business","targets":{
    "first_response":{"low":480,"normal":240,"high":60,"urgent":30},
    "next_response":{"low":480,"normal":120,"high":60,"urgent":30},
    "resolution":{"low":4800,"normal":2400,"high":960,"urgent":480}}})");
  auto cal = office_calendar(R"(["2026-03-30"])");
  std::mt19937_64 rng(11);
  for (int n = 0; n < 2000; ++n) {
    Timeline t{at(2026, 3, 20) + static_cast<Millis>(rng() % (10 * kDay))};
    for (int i = 0, events = static_cast<int>(rng() % 12); i < events; ++i) {
      TicketEvent e{static_cast<Kind>(rng() % 5),
                    t.created_at + static_cast<Millis>(rng() % (12 * kDay))};
      e.status = static_cast<TicketStatus>(rng() % 6);
      e.priority = static_cast<TicketPriority>(rng() % 4);
      t.events.push_back(e);
    }
    Millis now = t.created_at + static_cast<Millis>(rng() % (14 * kDay));
    auto clocks = compute_clocks(t, p, cal, now);
    for (const Clock& c : clocks.metrics) {
      if (c.state == Clock::State::kNone) continue;
      ASSERT_GE(c.used, 0);
      ASSERT_LE(c.used, cal.between(t.created_at, now)) << "never more than the open time";
      ASSERT_EQ(c.left, c.target - c.used);
      ASSERT_EQ(c.breached_by, std::max<Millis>(0, c.used - c.target));
      if (c.state == Clock::State::kRunning && !c.breached) {
        ASSERT_TRUE(c.due_at);
        ASSERT_EQ(cal.between(now, *c.due_at), c.left) << "due when the time left is used";
      }
      if (c.state == Clock::State::kPaused) {
        ASSERT_EQ(c.due_at.has_value(), c.breached);
      }
      if (c.achieved_at) {
        ASSERT_LE(*c.achieved_at, now);
      }
      ASSERT_LE(c.breaches, c.cycle);
    }
  }
}

// ---------------------------------------------------------------- badges, escalation

TEST(SlaBadges, AtRiskWhenFewerMinutesOrPercentLeft) {
  struct Case {
    const char* risk;
    int target_minutes, at_minute;
    Badge want;
  };
  const Case cases[] = {
      {R"({"percent":25,"minutes":30})", 60, 29, Badge::kOk},
      {R"({"percent":25,"minutes":30})", 60, 30, Badge::kAtRisk},
      {R"({"percent":25,"minutes":30})", 60, 60, Badge::kAtRisk},
      {R"({"percent":25,"minutes":30})", 60, 61, Badge::kBreached},
      {R"({"percent":25,"minutes":30})", 480, 359, Badge::kOk},
      {R"({"percent":25,"minutes":30})", 480, 360, Badge::kAtRisk},
      {R"({"percent":0,"minutes":0})", 60, 59, Badge::kOk},
      {R"({"percent":100,"minutes":0})", 60, 0, Badge::kAtRisk},
  };
  for (const auto& c : cases) {
    auto p = policy_json((std::string(R"({"name":"r","targets":{"first_response":{"normal":)") +
                          std::to_string(c.target_minutes) + "}},\"at_risk\":" + c.risk + "}")
                             .c_str());
    Timeline t{at(2026, 3, 2, 10)};
    Millis now = t.created_at + c.at_minute * kMinute;
    auto clocks = compute_clocks(t, p, Calendar::always_open(), now);
    EXPECT_EQ(badge(clocks[Metric::kFirstResponse], now), c.want)
        << c.risk << " target " << c.target_minutes << " at minute " << c.at_minute;
    EXPECT_EQ(worst_badge(clocks, now), c.want);
  }
}

TEST(SlaBadges, ClocksWithoutTargetShowNone) {
  auto p = policy_json(R"({"name":"r","targets":{"first_response":{"urgent":60}}})");
  Timeline t{at(2026, 3, 2, 10)};
  auto clocks = compute_clocks(t, p, Calendar::always_open(), at(2026, 3, 9));
  EXPECT_EQ(worst_badge(clocks, at(2026, 3, 9)), Badge::kNone);
}

TEST(SlaBadges, JsonShowsEachClockAndTheWorstBadge) {
  Timeline t{at(2026, 3, 2, 10)};
  t.events = {event(Kind::kAgentReply, at(2026, 3, 2, 10, 20)),
              status(TicketStatus::kPendingCustomer, at(2026, 3, 2, 10, 30))};
  auto now = at(2026, 3, 2, 11);
  auto p = calendar_policy(R"(,"at_risk":{"percent":95,"minutes":0})");
  auto json = to_json(compute_clocks(t, p, Calendar::always_open(), now), now);
  const auto& first = json.at("first_response").as_object();
  EXPECT_EQ(first.at("state").as_string(), "achieved");
  EXPECT_EQ(first.at("badge").as_string(), "ok");
  EXPECT_EQ(first.at("achieved_at").as_int64(), at(2026, 3, 2, 10, 20));
  EXPECT_EQ(first.at("used_ms").as_int64(), 20 * kMinute);
  EXPECT_TRUE(first.at("answered").as_bool());
  const auto& resolution = json.at("resolution").as_object();
  EXPECT_EQ(resolution.at("state").as_string(), "paused");
  EXPECT_EQ(resolution.at("badge").as_string(), "at_risk") << "24 of 480 minutes at risk";
  EXPECT_TRUE(resolution.at("due_at").is_null());
  EXPECT_EQ(resolution.at("left_ms").as_int64(), 450 * kMinute);
  EXPECT_EQ(json.at("next_response").at("state").as_string(), "none");
  EXPECT_EQ(json.at("badge").as_string(), "at_risk");
}

// What a ticket list stores: from when a ticket is breaching soon, and when it is due.
TEST(SlaWatch, OpenTargetsFromTheirAtRiskInstantPausedOnlyOnceBreached) {
  auto p = calendar_policy(R"(,"at_risk":{"percent":25,"minutes":30})");
  Millis t0 = at(2026, 3, 2, 10);
  Timeline fresh{t0};
  auto w = watch(compute_clocks(fresh, p, Calendar::always_open(), t0));
  ASSERT_TRUE(w);
  EXPECT_EQ(w->at_risk_at, t0 + 180 * kMinute) << "60 of 240 minutes left";
  EXPECT_EQ(w->due_at, t0 + 240 * kMinute);
  // The instants do not move with the time of the reading.
  auto later = watch(compute_clocks(fresh, p, Calendar::always_open(), t0 + 300 * kMinute));
  ASSERT_TRUE(later);
  EXPECT_EQ(later->at_risk_at, w->at_risk_at);
  EXPECT_EQ(later->due_at, w->due_at);

  // Answered: the resolution clock is what is left (120 of 480 minutes at risk).
  Timeline answered{t0};
  answered.events = {event(Kind::kAgentReply, t0 + 20 * kMinute)};
  w = watch(compute_clocks(answered, p, Calendar::always_open(), t0 + kHour));
  ASSERT_TRUE(w);
  EXPECT_EQ(w->at_risk_at, t0 + 360 * kMinute);
  EXPECT_EQ(w->due_at, t0 + 480 * kMinute);

  // Waiting for the customer, before the target ran out: nothing can breach.
  answered.events.push_back(status(TicketStatus::kPendingCustomer, t0 + 30 * kMinute));
  EXPECT_FALSE(watch(compute_clocks(answered, p, Calendar::always_open(), t0 + 7 * kHour)));
  // Paused after its target ran out: still breached, and listed.
  Timeline late{t0};
  late.events = {event(Kind::kAgentReply, t0 + 20 * kMinute),
                 status(TicketStatus::kPendingCustomer, t0 + 500 * kMinute)};
  w = watch(compute_clocks(late, p, Calendar::always_open(), t0 + 600 * kMinute));
  ASSERT_TRUE(w);
  EXPECT_EQ(w->due_at, t0 + 480 * kMinute);
  // Solved: nothing open.
  late.events.push_back(status(TicketStatus::kSolved, t0 + 610 * kMinute));
  EXPECT_FALSE(watch(compute_clocks(late, p, Calendar::always_open(), t0 + 620 * kMinute)));
}

TEST(SlaWatch, BusinessHoursPlaceTheInstantsInOpenTime) {
  auto p = calendar_policy(R"(,"hours":"business","at_risk":{"percent":25,"minutes":30})");
  // Friday 17:00: one open hour left that day, three more from Monday 09:00.
  Timeline t{at(2026, 3, 6, 17)};
  auto w = watch(compute_clocks(t, p, office_calendar(), at(2026, 3, 6, 17)));
  ASSERT_TRUE(w);
  EXPECT_EQ(w->at_risk_at, at(2026, 3, 9, 11));
  EXPECT_EQ(w->due_at, at(2026, 3, 9, 12));
}

TEST(SlaEscalation, EachActionHappensOnceAndRaisesOneStep) {
  auto p = calendar_policy(R"(,"at_risk":{"percent":25,"minutes":0},"escalations":[
    {"metric":"first_response","when":"at_risk","action":"notify_assignee"},
    {"metric":"first_response","when":"breached","action":"raise_priority"},
    {"metric":"first_response","when":"breached","action":"reassign_team","team":7},
    {"metric":"next_response","when":"breached","action":"notify_supervisor"}])");
  Timeline t{at(2026, 3, 2, 10)};
  std::set<std::string> done;
  auto run = [&](Millis now) {
    auto actions = escalations(p, compute_clocks(t, p, Calendar::always_open(), now), done, now);
    for (const auto& a : actions) done.insert(a.key);
    return actions;
  };
  EXPECT_TRUE(run(at(2026, 3, 2, 12)).empty());
  auto risk = run(at(2026, 3, 2, 13));
  ASSERT_EQ(risk.size(), 1u);
  EXPECT_EQ(risk[0].action, EscalationAction::kNotifyAssignee);
  EXPECT_TRUE(run(at(2026, 3, 2, 13, 30)).empty()) << "not repeated";

  auto breach = run(at(2026, 3, 2, 14, 1));
  ASSERT_EQ(breach.size(), 2u);
  EXPECT_EQ(breach[0].action, EscalationAction::kRaisePriority);
  EXPECT_EQ(breach[0].priority, TicketPriority::kHigh);
  EXPECT_EQ(breach[1].action, EscalationAction::kReassignTeam);
  EXPECT_EQ(breach[1].team, 7);
  t.events.push_back(priority(TicketPriority::kHigh, at(2026, 3, 2, 14, 1)));
  EXPECT_TRUE(run(at(2026, 3, 2, 15)).empty()) << "the raised ticket is not raised again";

  // Each next-response cycle is a new wait and may escalate again.
  t.events.push_back(event(Kind::kAgentReply, at(2026, 3, 2, 15)));
  t.events.push_back(event(Kind::kCustomerMessage, at(2026, 3, 2, 15, 10)));
  EXPECT_EQ(run(at(2026, 3, 2, 20)).size(), 1u);
  t.events.push_back(event(Kind::kAgentReply, at(2026, 3, 2, 20)));
  t.events.push_back(event(Kind::kCustomerMessage, at(2026, 3, 2, 20, 10)));
  EXPECT_EQ(run(at(2026, 3, 3, 9)).size(), 1u);
  EXPECT_TRUE(run(at(2026, 3, 3, 10)).empty());
}

TEST(SlaEscalation, UrgentTicketsAreNotRaisedAndTimersKnowTheNextCheck) {
  auto p = calendar_policy(R"(,"at_risk":{"percent":50,"minutes":0},"escalations":[
    {"metric":"first_response","when":"at_risk","action":"notify_assignee"},
    {"metric":"first_response","when":"breached","action":"raise_priority"}])");
  Timeline t{at(2026, 3, 2, 10), TicketStatus::kNew, TicketPriority::kUrgent};
  auto now = at(2026, 3, 2, 10, 5);
  auto clocks = compute_clocks(t, p, Calendar::always_open(), now);
  EXPECT_EQ(next_escalation_check(p, clocks, {}, now), at(2026, 3, 2, 10, 30));
  EXPECT_EQ(next_escalation_check(p, clocks, {"first_response:at_risk:notify_assignee:1"}, now),
            at(2026, 3, 2, 11) + 1);
  auto later = at(2026, 3, 2, 12);
  auto actions = escalations(p, compute_clocks(t, p, Calendar::always_open(), later), {}, later);
  ASSERT_EQ(actions.size(), 1u);
  EXPECT_EQ(actions[0].action, EscalationAction::kNotifyAssignee);
}

// ---------------------------------------------------------------- workflow

TEST(SlaWorkflow, StatusTransitions) {
  using S = TicketStatus;
  EXPECT_TRUE(can_change_status(S::kNew, S::kOpen));
  EXPECT_TRUE(can_change_status(S::kOpen, S::kPendingCustomer));
  EXPECT_TRUE(can_change_status(S::kSolved, S::kOpen));
  EXPECT_TRUE(can_change_status(S::kSolved, S::kClosed));
  EXPECT_FALSE(can_change_status(S::kOpen, S::kNew));
  for (auto to : {S::kNew, S::kOpen, S::kPendingCustomer, S::kOnHold, S::kSolved})
    EXPECT_FALSE(can_change_status(S::kClosed, to)) << to_string(to);

  struct ReplyCase {
    S before, after;
    bool new_ticket;
  };
  for (auto c :
       {ReplyCase{S::kNew, S::kNew, false}, ReplyCase{S::kOpen, S::kOpen, false},
        ReplyCase{S::kPendingCustomer, S::kOpen, false}, ReplyCase{S::kOnHold, S::kOpen, false},
        ReplyCase{S::kSolved, S::kOpen, false}, ReplyCase{S::kClosed, S::kClosed, true}}) {
    auto r = on_customer_reply(c.before);
    EXPECT_EQ(r.status, c.after) << to_string(c.before);
    EXPECT_EQ(r.opens_new_ticket, c.new_ticket) << to_string(c.before);
  }
  EXPECT_EQ(on_agent_reply(S::kNew), S::kOpen);
  EXPECT_EQ(on_agent_reply(S::kPendingCustomer), S::kPendingCustomer);
}

TEST(SlaAutomation, RemindsOnceThenCloses) {
  AutomationSettings settings;  // remind after 3 days, close to solved after 7
  AutomationState s{TicketStatus::kPendingCustomer, at(2026, 3, 2, 10)};
  auto now = at(2026, 3, 2, 10);
  auto a = next_automation(s, settings, now);
  EXPECT_EQ(a.kind, AutomationKind::kRemindCustomer);
  EXPECT_EQ(a.at, at(2026, 3, 5, 10));

  s.pending_reminder_sent = true;
  a = next_automation(s, settings, at(2026, 3, 5, 10));
  EXPECT_EQ(a.kind, AutomationKind::kClosePending) << "the reminder only once";
  EXPECT_EQ(a.at, at(2026, 3, 9, 10));
  EXPECT_EQ(a.to, TicketStatus::kSolved);

  std::string error;
  auto closing = AutomationSettings::from_json(
      boost::json::parse(R"({"pending_close_to":"closed","pending_reminder_after_days":null})"),
      &error);
  ASSERT_TRUE(closing) << error;
  s.pending_reminder_sent = false;
  a = next_automation(s, *closing, now);
  EXPECT_EQ(a.kind, AutomationKind::kClosePending);
  EXPECT_EQ(a.to, TicketStatus::kClosed);

  // The timer was down past both: close, do not remind first.
  a = next_automation(s, settings, at(2026, 3, 20));
  EXPECT_EQ(a.kind, AutomationKind::kClosePending);

  s.status = TicketStatus::kOpen;
  EXPECT_EQ(next_automation(s, settings, now).kind, AutomationKind::kNone);
  s.status = TicketStatus::kSolved;
  a = next_automation(s, settings, now);
  EXPECT_EQ(a.kind, AutomationKind::kCloseSolved);
  EXPECT_EQ(a.at, at(2026, 3, 6, 10));
}

TEST(SlaAutomation, UnfinishedChatIsFollowedUpIn24Hours) {
  AutomationSettings settings;
  AutomationState s{TicketStatus::kOpen, at(2026, 3, 2, 16)};
  s.chat_turned_ticket_at = at(2026, 3, 2, 16);
  auto a = next_automation(s, settings, at(2026, 3, 2, 16));
  EXPECT_EQ(a.kind, AutomationKind::kFollowUpChat);
  EXPECT_EQ(a.at, at(2026, 3, 3, 16));
  s.replied_since_chat = true;
  EXPECT_EQ(next_automation(s, settings, at(2026, 3, 3, 17)).kind, AutomationKind::kNone);
  s.replied_since_chat = false;
  s.follow_up_done = true;
  EXPECT_EQ(next_automation(s, settings, at(2026, 3, 3, 17)).kind, AutomationKind::kNone);
}

TEST(SlaAutomation, SettingsValidation) {
  const char* bad[] = {
      R"({"pending_reminder_after_days":0})",
      R"({"pending_reminder_after_days":7,"pending_close_after_days":3})",
      R"({"pending_close_to":"open"})",
      R"({"chat_follow_up_after_hours":"24"})",
      R"({"pending_remind_after_days":2})",
      R"([])",
  };
  for (const char* json : bad) {
    std::string error;
    EXPECT_FALSE(AutomationSettings::from_json(boost::json::parse(json), &error)) << json;
    EXPECT_FALSE(error.empty()) << json;
  }
  AutomationSettings s;
  std::string error;
  auto again = AutomationSettings::from_json(s.to_json(), &error);
  ASSERT_TRUE(again) << error;
  EXPECT_EQ(boost::json::serialize(again->to_json()), boost::json::serialize(s.to_json()));
}

// ---------------------------------------------------------------- reports

TEST(SlaReports, BreachListWorstFirstAndFirstResponsePercentiles) {
  auto p = calendar_policy();
  std::vector<TicketClocks> tickets;
  auto now = at(2026, 3, 3, 12);
  for (int i = 1; i <= 20; ++i) {
    Timeline t{at(2026, 3, 2, 8)};
    t.events = {event(Kind::kAgentReply, t.created_at + i * 15 * kMinute)};
    tickets.push_back({i, compute_clocks(t, p, Calendar::always_open(), now)});
  }
  Timeline unanswered{at(2026, 3, 3, 10)};
  tickets.push_back({99, compute_clocks(unanswered, p, Calendar::always_open(), now)});
  Timeline solved_silently{at(2026, 3, 3, 9)};  // spam: solved without a reply
  solved_silently.events = {status(TicketStatus::kSolved, at(2026, 3, 3, 9, 1))};
  tickets.push_back({98, compute_clocks(solved_silently, p, Calendar::always_open(), now)});

  auto pct = first_response_percentiles(tickets);
  EXPECT_EQ(pct.count, 20u);
  EXPECT_EQ(pct.p50, 150 * kMinute);
  EXPECT_EQ(pct.p90, 270 * kMinute);
  EXPECT_EQ(pct.p95, 285 * kMinute);
  EXPECT_EQ(pct.max, 300 * kMinute);

  auto breaches = breach_list(tickets);
  // First responses after 4 h (tickets 17-20), and every resolution (8 h) by now.
  ASSERT_GE(breaches.size(), 4u);
  EXPECT_EQ(breaches.front().metric, Metric::kResolution);
  EXPECT_TRUE(breaches.front().open);
  for (std::size_t i = 1; i < breaches.size(); ++i)
    EXPECT_GE(breaches[i - 1].breached_by, breaches[i].breached_by);
  int late_first = 0;
  for (const auto& b : breaches) late_first += b.metric == Metric::kFirstResponse ? 1 : 0;
  EXPECT_EQ(late_first, 4);
}

}  // namespace
}  // namespace sb::sla
