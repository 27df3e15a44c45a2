// Erlang C per hour and channel for a scenario (private to src/sim/).
#pragma once

#include <vector>

#include "sim/sim.h"

namespace sb::sim {

// One row per simulated hour and per channel that has arrivals at some hour,
// with the Erlang C fields (and the staffing search when s.find_agents) filled
// in; the simulated outcome is left for the caller.
std::vector<HourResult> erlang_by_hour(const Scenario& s);

}  // namespace sb::sim
