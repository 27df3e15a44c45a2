// Report helpers: pure aggregation over clocks the caller has computed.
#include <algorithm>
#include <tuple>

#include "sla/sla.h"

namespace sb::sla {

std::vector<Breach> breach_list(const std::vector<TicketClocks>& tickets) {
  std::vector<Breach> out;
  for (const auto& t : tickets)
    for (std::size_t m = 0; m < kMetrics; ++m) {
      const Clock& c = t.clocks.metrics[m];
      if (!c.breached || !c.due_at) continue;
      out.push_back({t.ticket, static_cast<Metric>(m), *c.due_at, c.breached_by,
                     c.state != Clock::State::kAchieved});
    }
  std::sort(out.begin(), out.end(), [](const Breach& a, const Breach& b) {
    if (a.breached_by != b.breached_by) return a.breached_by > b.breached_by;
    if (a.due_at != b.due_at) return a.due_at < b.due_at;
    return std::tie(a.ticket, a.metric) < std::tie(b.ticket, b.metric);
  });
  return out;
}

Percentiles first_response_percentiles(const std::vector<TicketClocks>& tickets) {
  std::vector<Millis> times;
  for (const auto& t : tickets) {
    const Clock& c = t.clocks[Metric::kFirstResponse];
    if (c.answered) times.push_back(c.used);
  }
  Percentiles p;
  p.count = times.size();
  if (times.empty()) return p;
  std::sort(times.begin(), times.end());
  auto rank = [&](int pct) {
    std::size_t n = times.size();
    std::size_t r = (n * static_cast<std::size_t>(pct) + 99) / 100;  // nearest rank, 1-based
    return times[std::clamp<std::size_t>(r, 1, n) - 1];
  };
  p.p50 = rank(50);
  p.p90 = rank(90);
  p.p95 = rank(95);
  p.max = times.back();
  return p;
}

}  // namespace sb::sla
