// Latency percentiles for the eval commands (lang-eval, bot-eval).
#pragma once

#include <algorithm>
#include <vector>

namespace sb {

// The p-quantile (0..1) by nearest rank below; 0 for no samples. Sorts `samples`.
inline double percentile(std::vector<double>& samples, double p) {
  if (samples.empty()) return 0.0;
  std::sort(samples.begin(), samples.end());
  return samples[static_cast<std::size_t>(p * static_cast<double>(samples.size() - 1))];
}

}  // namespace sb
