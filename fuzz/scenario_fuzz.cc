// Simulator scenario JSON: bad input is a ScenarioError, never a crash.
#include "sim/sim.h"

extern "C" int LLVMFuzzerTestOneInput(const unsigned char* data, std::size_t size) {
  try {
    sb::sim::parse_scenario(std::string_view(reinterpret_cast<const char*>(data), size));
  } catch (const sb::sim::ScenarioError&) {
  }
  return 0;
}
