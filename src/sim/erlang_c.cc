#include "sim/erlang_c.h"

#include <cmath>

namespace sb::sim {
namespace {

constexpr int kMaxServers = 100000;

// Erlang C quantities from a known Erlang B value (shared by both entry points).
ErlangC from_b(double offered, int servers, double b, double mean_handle_s, double target_s) {
  ErlangC r;
  r.offered = offered;
  r.servers = servers;
  if (offered <= 0) {
    r.p_wait = 0;
    r.service_level = 1;
    r.asa_s = 0.0;
    return r;
  }
  if (offered >= servers) return r;  // overloaded: defaults say "everyone waits, forever"
  double c = servers;
  r.p_wait = c * b / (c - offered * (1 - b));
  // Given a wait, the wait is exponential with rate (c - A) / h.
  r.service_level = 1 - r.p_wait * std::exp(-(c - offered) * target_s / mean_handle_s);
  r.asa_s = r.p_wait * mean_handle_s / (c - offered);
  return r;
}

}  // namespace

double erlang_b(double offered, int servers) {
  // B(0) = 1; B(k) = A B(k-1) / (k + A B(k-1)): every step is a ratio in [0, 1].
  double b = 1;
  for (int k = 1; k <= servers; ++k) b = offered * b / (k + offered * b);
  return b;
}

ErlangC erlang_c(double arrivals_per_hour, double mean_handle_s, int servers, double target_s) {
  double offered = arrivals_per_hour / 3600.0 * mean_handle_s;
  return from_b(offered, servers, erlang_b(offered, servers), mean_handle_s, target_s);
}

std::optional<int> servers_needed(double arrivals_per_hour, double mean_handle_s, double target_s,
                                  double percent) {
  if (arrivals_per_hour <= 0 || mean_handle_s <= 0) return 0;
  double offered = arrivals_per_hour / 3600.0 * mean_handle_s;
  if (!(offered < kMaxServers)) return std::nullopt;
  // Climb one server at a time, carrying Erlang B along: O(n) in total.
  double b = 1;
  for (int n = 1; n <= kMaxServers; ++n) {
    b = offered * b / (n + offered * b);
    if (n <= offered) continue;
    if (from_b(offered, n, b, mean_handle_s, target_s).service_level * 100 >= percent - 1e-9)
      return n;
  }
  return std::nullopt;
}

}  // namespace sb::sim
