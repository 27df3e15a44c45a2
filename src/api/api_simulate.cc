// Admin: the staffing simulator over HTTP (POST /api/v1/simulate). The body is
// a scenario in the format of docs/SIMULATOR.md; the answer is the same JSON as
// `switchboard simulate --json`. The simulation runs on the worker pool like any
// handler, so the request is bounded: a small body, a cap on the expected
// number of customers, a time limit (an overloaded queue or thousands of agents
// make every event dearer), and one simulation at a time.
#include <atomic>
#include <chrono>
#include <numeric>

#include "api/routes.h"
#include "sim/sim.h"

namespace sb {
namespace {

constexpr std::size_t kMaxScenarioBytes = 256 * 1024;
constexpr double kMaxExpectedArrivals = 200000;
constexpr int kMaxConcurrent = 1;
constexpr auto kTimeLimit = std::chrono::seconds(5);

std::atomic<int> running{0};

// Holds one of the kMaxConcurrent slots for the lifetime of a request.
class Slot {
 public:
  Slot() {
    if (running.fetch_add(1) >= kMaxConcurrent) {
      running.fetch_sub(1);
      throw HttpError(429, "rate_limited",
                      "another simulation is running; try again in a few seconds");
    }
  }
  ~Slot() { running.fetch_sub(1); }
  Slot(const Slot&) = delete;
  Slot& operator=(const Slot&) = delete;
};

bool truthy(const std::optional<std::string>& v) {
  return v && (*v == "1" || *v == "true" || *v == "yes");
}

http::Response simulate(Authenticator& auth, const http::Request& req) {
  auth.require_admin(req);
  if (req.body.size() > kMaxScenarioBytes)
    throw HttpError(413, "too_large", "scenario is larger than 256 KiB");
  sim::Scenario s;
  try {
    s = sim::parse_scenario(req.body);
  } catch (const sim::ScenarioError& e) {
    throw HttpError(400, "bad_request", e.what());
  }
  double expected = 0;
  for (const auto& rates : s.arrivals)
    expected = std::accumulate(rates.begin(), rates.end(), expected);
  if (expected > kMaxExpectedArrivals)
    throw HttpError(400, "bad_request",
                    "scenario: arrivals: about " +
                        std::to_string(static_cast<long long>(expected)) +
                        " customers expected; the server simulates at most 200000 per run "
                        "(use `switchboard simulate` for bigger days)");
  if (truthy(req.param("find_agents"))) s.find_agents = true;
  Slot slot;
  try {
    return http::json(
        200, sim::simulate(s, nullptr, std::chrono::steady_clock::now() + kTimeLimit).to_json());
  } catch (const sim::SimulationTimeout&) {
    throw HttpError(400, "bad_request",
                    "scenario: the simulation ran longer than 5 s and was stopped; simulate fewer "
                    "hours, customers or agents (or a queue that does not grow without end), or "
                    "use `switchboard simulate` for big days");
  }
}

}  // namespace

void add_simulate_routes(Router& r, Authenticator& auth) {
  r.add(Access::kAdmin, "POST", "/api/v1/simulate",
        [&auth](const http::Request& req, const Params&) { return simulate(auth, req); });
}

}  // namespace sb
