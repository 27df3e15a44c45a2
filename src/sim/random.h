// Deterministic random numbers for the simulator. The distributions are written
// out here instead of using <random>'s, whose algorithms differ between standard
// libraries: a seed must give the same day everywhere.
#pragma once

#include <cmath>
#include <cstdint>
#include <numbers>
#include <random>

#include "sim/sim.h"

namespace sb::sim {

class Rng {
 public:
  // One independent stream per purpose, so that e.g. more chats do not shift
  // every handle time drawn after them.
  Rng(std::uint64_t seed, std::uint64_t stream) : gen_(mix(seed ^ mix(stream + 1))) {}

  double uniform() {  // in (0, 1): both logs below stay finite
    return (static_cast<double>(gen_() >> 11) + 0.5) * 0x1.0p-53;
  }
  double exponential(double mean) { return -mean * std::log(uniform()); }
  double normal() {  // Box-Muller; one of the pair is enough here
    return std::sqrt(-2 * std::log(uniform())) * std::cos(2 * std::numbers::pi * uniform());
  }
  double sample(const Distribution& d) {
    switch (d.kind) {
      case DistKind::kFixed:
        return d.mean_s;
      case DistKind::kLognormal:  // mean of the duration = exp(mu + sigma^2 / 2)
        return std::exp(std::log(d.mean_s) - d.sigma * d.sigma / 2 + d.sigma * normal());
      case DistKind::kExponential:
        break;
    }
    return exponential(d.mean_s);
  }

 private:
  static std::uint64_t mix(std::uint64_t x) {  // splitmix64 finaliser
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
  }
  std::mt19937_64 gen_;  // mt19937_64's output sequence is fixed by the standard
};

}  // namespace sb::sim
