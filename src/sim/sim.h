// Staffing simulator: runs the real routing core (RoutingEngine) on a
// synthetic day in virtual time and measures what customers would live through
// — service level, waits, abandonment, agent occupancy, how honest the wait
// estimate is — next to the Erlang C prediction for the same traffic and staff.
// No I/O: the scenario comes in as a JSON string, the result goes out as a
// struct, JSON or text. Same scenario and seed, same result. Format and outputs:
// docs/SIMULATOR.md.
#pragma once

#include <array>
#include <boost/json.hpp>
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "routing/routing.h"

namespace sb::sim {

using routing::Channel;
using routing::kChannels;

// A bad scenario; what() names the field, e.g. "agents[1].shift.end: ...".
struct ScenarioError : std::invalid_argument {
  using std::invalid_argument::invalid_argument;
};

enum class DistKind { kExponential, kLognormal, kFixed };

// Durations in seconds. Lognormal: sigma is that of the underlying normal; the
// mean is the mean of the duration itself (not of its logarithm).
struct Distribution {
  DistKind kind = DistKind::kExponential;
  double mean_s = 0;
  double sigma = 0;
};

struct ServiceLevel {
  double seconds = 20;  // answered within this long ...
  double percent = 80;  // ... for at least this share of customers
};

// A share of a channel's arrivals (or of every channel's) with extra needs.
struct CustomerClass {
  std::optional<Channel> channel;  // nullopt: every channel
  double share = 0;                // 0-1 of that channel's arrivals
  std::vector<routing::Requirement> skills;
  std::optional<std::string> team;
  std::optional<int> priority;  // overrides the channel's priority
};

struct AgentGroup {
  std::string name;
  int count = 1;
  std::map<std::string, int> skills;
  std::array<int, kChannels> capacity{};
  std::vector<std::string> teams;
  int shift_start = 0, shift_end = 0;  // clock hours, same clock as Scenario::start_hour
};

// Fallback delays in seconds after arrival; nullopt = that step never happens.
struct FallbackSpec {
  std::optional<double> widen_skills_after_s, widen_team_after_s, overflow_after_s;
};

struct Scenario {
  std::uint64_t seed = 1;
  int start_hour = 0;  // clock hour of the first simulated hour (labels and shifts)
  int hours = 24;      // arrivals stop after this many hours; work in hand finishes
  std::array<ServiceLevel, kChannels> target{};
  std::array<std::vector<double>, kChannels> arrivals;  // Poisson rate per hour; empty = none
  std::array<std::optional<Distribution>, kChannels> handle;
  std::array<std::optional<Distribution>, kChannels> patience;  // nullopt = never abandons
  std::array<int, kChannels> priority{};
  std::array<FallbackSpec, kChannels> fallback;
  std::vector<CustomerClass> classes;
  std::vector<AgentGroup> agents;
  bool find_agents = false;  // add Erlang C's minimum staffing per hour to the result
};

// Throws ScenarioError for anything malformed or out of range.
Scenario parse_scenario(std::string_view json);

std::string_view channel_name(Channel c);

// Outcomes of one set of customers (a channel over the day, or one hour of it).
struct Outcome {
  int arrived = 0;
  int answered = 0;
  int answered_in_target = 0;
  int waited = 0;  // not answered the moment they arrived
  int abandoned = 0;
  int overflowed = 0;  // left the queue through the overflow fallback
  int unserved = 0;    // still waiting when the last agent went home
  double wait_sum_s = 0;
  std::optional<double> service_level() const;  // answered within target / arrived
  std::optional<double> p_wait() const;         // waited / arrived
  std::optional<double> avg_wait_s() const;     // over answered customers
  std::optional<double> abandonment() const;    // abandoned / arrived
};

// The engine's promised wait (estimate_wait at arrival) against the real wait,
// over answered customers who got an estimate.
struct EstimateAccuracy {
  int compared = 0;
  int no_estimate = 0;  // nobody on shift could serve the channel at arrival
  int kept = 0;         // real wait <= promised wait
  double abs_error_sum_s = 0;
  std::optional<double> mean_abs_error_s() const;
  std::optional<double> kept_share() const;
};

struct ChannelResult {
  Channel channel = Channel::kChat;
  ServiceLevel target;
  Outcome outcome;
  std::optional<double> p90_wait_s;  // over answered customers
  std::optional<double> avg_handle_s;
  EstimateAccuracy estimate;
};

// One hour and channel: what the simulation saw for customers arriving in that
// hour, and what Erlang C predicts for the same rate, handle time and staff.
struct HourResult {
  int hour = 0;  // clock hour
  Channel channel = Channel::kChat;
  double rate_per_hour = 0;
  double mean_handle_s = 0;
  int agents = 0;   // on shift for the whole hour with capacity on this channel
  int servers = 0;  // their summed capacity on this channel
  Outcome sim;
  double offered_erlangs = 0;
  double erlang_p_wait = 1, erlang_service_level = 0;
  std::optional<double> erlang_asa_s;                // nullopt: overloaded
  std::optional<int> needed_servers, needed_agents;  // with find_agents
  int capacity_per_agent = 1;                        // used to turn servers into agents
};

struct AgentResult {
  Id id = 0;
  std::string name;
  int shift_start = 0, shift_end = 0;
  int assigned = 0;
  double logged_in_s = 0;
  // Time average over the shift of load / capacity on the agent's fullest channel.
  double occupancy = 0;
  std::array<std::optional<double>, kChannels> channel_occupancy;  // slot-time used / offered
  double overtime_s = 0;  // finishing work after the shift ended
};

struct Result {
  std::uint64_t seed = 0;
  int start_hour = 0, hours = 0;
  bool find_agents = false;
  std::vector<ChannelResult> channels;  // channels with arrivals only
  std::vector<HourResult> hourly;
  std::vector<AgentResult> agents;
  double simulated_s = 0;  // until the last event, past the day when work ran over

  boost::json::object to_json() const;
  std::string to_text() const;
};

// One assignment as it happened, for tests that check the rules held.
struct AssignmentRecord {
  Millis at = 0;
  Id task = 0, agent = 0;
  Channel channel = Channel::kChat;
};

// Thrown by simulate() when the deadline passes before the day is done: the
// server bounds the work of one request (an overloaded queue makes every event dearer).
struct SimulationTimeout : std::runtime_error {
  using std::runtime_error::runtime_error;
};

using Deadline = std::optional<std::chrono::steady_clock::time_point>;

Result simulate(const Scenario& s, std::vector<AssignmentRecord>* log = nullptr,
                Deadline deadline = std::nullopt);

}  // namespace sb::sim
