// SLA clock benchmark: compute_clocks for 10,000 synthetic tickets in Europe/Rome
// business hours (Mon-Fri 09:00-18:00, two holidays), as a ticket list does.
// Each ticket lives 0-30 days with 2-20 events. Prints one JSON line; then
// the two business-time primitives alone.
#include "sla/sla.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

using namespace sb;
using namespace sb::sla;

namespace {

constexpr Millis kDay = 86'400'000;
constexpr Millis kStart = 1'772'000'000'000;  // February 2026

TimeZone rome() {
  std::ifstream in("/usr/share/zoneinfo/Europe/Rome", std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  auto tz = TimeZone::from_tzif(bytes.str());
  if (!tz) {
    std::fprintf(stderr, "cannot read Europe/Rome\n");
    std::exit(1);
  }
  return *tz;
}

Timeline random_ticket(std::mt19937_64& rng) {
  Timeline t{kStart + static_cast<Millis>(rng() % (60 * kDay))};
  Millis span = static_cast<Millis>(rng() % (30 * kDay)) + 60'000;
  int events = 2 + static_cast<int>(rng() % 19);
  for (int i = 0; i < events; ++i) {
    TicketEvent e;
    e.at = t.created_at + static_cast<Millis>(rng() % static_cast<std::uint64_t>(span));
    switch (rng() % 6) {
      case 0:
      case 1:
        e.kind = TicketEvent::Kind::kCustomerMessage;
        break;
      case 2:
      case 3:
        e.kind = TicketEvent::Kind::kAgentReply;
        break;
      case 4:
        e.kind = TicketEvent::Kind::kStatus;
        e.status = static_cast<TicketStatus>(1 + rng() % 4);  // open..solved
        break;
      default:
        e.kind = TicketEvent::Kind::kPriority;
        e.priority = static_cast<TicketPriority>(rng() % 4);
    }
    t.events.push_back(e);
  }
  return t;
}

}  // namespace

int main(int argc, char** argv) {
  int tickets = argc > 1 ? std::atoi(argv[1]) : 10'000;
  std::string error;
  auto hours = BusinessHours::from_json(boost::json::parse(R"({"weekly":[
      {"day":1,"open":"09:00","close":"18:00"},{"day":2,"open":"09:00","close":"18:00"},
      {"day":3,"open":"09:00","close":"18:00"},{"day":4,"open":"09:00","close":"18:00"},
      {"day":5,"open":"09:00","close":"18:00"}],"holidays":["2026-04-06","2026-04-25"]})"),
                                        &error);
  auto policy = Policy::from_json(boost::json::parse(R"({"name":"bench","hours":"business",
      "targets":{"first_response":{"low":480,"normal":240,"high":60,"urgent":30},
                 "next_response":{"low":480,"normal":240,"high":120,"urgent":60},
                 "resolution":{"low":4800,"normal":2400,"high":960,"urgent":480}}})"),
                                  &error);
  if (!hours || !policy) {
    std::fprintf(stderr, "%s\n", error.c_str());
    return 1;
  }
  Calendar calendar(*hours, rome());
  std::mt19937_64 rng(20261203);
  std::vector<Timeline> timelines;
  for (int i = 0; i < tickets; ++i) timelines.push_back(random_ticket(rng));

  // Tickets were created over 60 days; at day 45 some are new, some weeks old.
  Millis now = kStart + 45 * kDay;
  std::vector<double> runs;
  long breached = 0;
  for (int run = 0; run < 5; ++run) {
    auto begin = std::chrono::steady_clock::now();
    breached = 0;
    for (const auto& t : timelines)
      breached += worst_badge(compute_clocks(t, *policy, calendar, now), now) == Badge::kBreached;
    runs.push_back(
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - begin)
            .count());
  }
  std::sort(runs.begin(), runs.end());

  // The two primitives alone: one business hour from a random instant, and the
  // open time over a random range of up to 30 days.
  constexpr int kCalls = 100'000;
  Millis sink = 0;
  auto begin = std::chrono::steady_clock::now();
  for (int i = 0; i < kCalls; ++i)
    sink += calendar.add(kStart + static_cast<Millis>(rng() % (60 * kDay)), 3'600'000);
  auto add_ns =
      std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - begin).count() /
      kCalls;
  begin = std::chrono::steady_clock::now();
  for (int i = 0; i < kCalls; ++i) {
    Millis a = kStart + static_cast<Millis>(rng() % (60 * kDay));
    sink += calendar.between(a, a + static_cast<Millis>(rng() % (30 * kDay)));
  }
  auto between_ns =
      std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - begin).count() /
      kCalls;
  std::printf(
      "{\"tickets\":%d,\"median_ms\":%.2f,\"best_ms\":%.2f,\"breached\":%ld,"
      "\"add_1h_ns\":%.0f,\"between_30d_ns\":%.0f,\"sink\":%lld}\n",
      tickets, runs[runs.size() / 2], runs.front(), breached, add_ns, between_ns,
      static_cast<long long>(sink % 10));
  return 0;
}
