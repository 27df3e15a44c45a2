#include "sim/staffing.h"

#include <algorithm>

#include "sim/erlang_c.h"

namespace sb::sim {
namespace {

std::size_t ix(Channel c) {
  return static_cast<std::size_t>(c);
}

bool has_arrivals(const Scenario& s, Channel c) {
  const auto& r = s.arrivals[ix(c)];
  return std::any_of(r.begin(), r.end(), [](double x) { return x > 0; });
}

// Turning servers into agents needs a capacity per agent; the smallest one in
// the scenario is the cautious choice (a mixed team never needs more agents).
int capacity_per_agent(const Scenario& s, Channel c) {
  int best = 0;
  for (const auto& g : s.agents) {
    int cap = g.capacity[ix(c)];
    if (cap > 0 && g.count > 0 && (best == 0 || cap < best)) best = cap;
  }
  return std::max(best, 1);
}

// Erlang C needs a whole number of servers: agents count for an hour only when
// their shift covers all of it (shifts are whole clock hours anyway).
void count_staff(const Scenario& s, int clock_hour, HourResult& row) {
  for (const auto& g : s.agents) {
    int cap = g.capacity[ix(row.channel)];
    if (cap == 0 || g.shift_start > clock_hour || g.shift_end < clock_hour + 1) continue;
    row.agents += g.count;
    row.servers += g.count * cap;
  }
}

HourResult row_for(const Scenario& s, int i, Channel c) {
  HourResult row;
  row.hour = s.start_hour + i;
  row.channel = c;
  row.rate_per_hour = s.arrivals[ix(c)][static_cast<std::size_t>(i)];
  row.mean_handle_s = s.handle[ix(c)]->mean_s;
  count_staff(s, row.hour, row);
  const ServiceLevel& target = s.target[ix(c)];
  ErlangC e = erlang_c(row.rate_per_hour, row.mean_handle_s, row.servers, target.seconds);
  row.offered_erlangs = e.offered;
  row.erlang_p_wait = e.p_wait;
  row.erlang_service_level = e.service_level;
  row.erlang_asa_s = e.asa_s;
  if (s.find_agents) {
    row.capacity_per_agent = capacity_per_agent(s, c);
    row.needed_servers =
        servers_needed(row.rate_per_hour, row.mean_handle_s, target.seconds, target.percent);
    if (row.needed_servers)
      row.needed_agents =
          (*row.needed_servers + row.capacity_per_agent - 1) / row.capacity_per_agent;
  }
  return row;
}

}  // namespace

std::vector<HourResult> erlang_by_hour(const Scenario& s) {
  std::vector<HourResult> out;
  for (int i = 0; i < s.hours; ++i)
    for (std::size_t c = 0; c < kChannels; ++c)
      if (has_arrivals(s, static_cast<Channel>(c)))
        out.push_back(row_for(s, i, static_cast<Channel>(c)));
  return out;
}

}  // namespace sb::sim
