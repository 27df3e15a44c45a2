// Erlang C (M/M/c queue): the textbook staffing formula the simulator compares
// itself with. Computed through the Erlang B recursion, never factorials, so it
// stays finite and accurate for hundreds of servers.
#pragma once

#include <optional>

namespace sb::sim {

struct ErlangC {
  double offered = 0;           // traffic in Erlangs: arrivals per second x mean handle seconds
  int servers = 0;              // parallel slots (agents x capacity on the channel)
  double p_wait = 1;            // probability that an arrival has to wait at all
  double service_level = 0;     // probability of being answered within the target
  std::optional<double> asa_s;  // average speed of answer; nullopt when overloaded
  bool stable() const { return asa_s.has_value(); }
};

// Erlang B blocking probability for `offered` Erlangs on `servers` servers.
double erlang_b(double offered, int servers);

// arrivals_per_hour and mean_handle_s give the offered load; target_s is the
// service-level threshold. With offered >= servers the queue grows without bound:
// p_wait = 1, service_level = 0, no asa.
ErlangC erlang_c(double arrivals_per_hour, double mean_handle_s, int servers, double target_s);

// The fewest servers reaching `percent` (0-100) answered within target_s; 0 when
// there is no traffic. Capped at 100000 servers (nullopt past it).
std::optional<int> servers_needed(double arrivals_per_hour, double mean_handle_s, double target_s,
                                  double percent);

}  // namespace sb::sim
