// The discrete-event loop: a queue of timed events (arrival, completion,
// abandonment, shift start/end, fallback wake-up); after each batch of events
// at one instant the engine takes overflows and assigns, exactly as the server
// would after each change.
#include "sim/sim.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <queue>
#include <set>
#include <tuple>
#include <utility>

#include "sim/random.h"
#include "sim/staffing.h"

namespace sb::sim {
namespace {

using routing::RoutingEngine;
constexpr Millis kHourMs = 3'600'000;

std::size_t ix(Channel c) {
  return static_cast<std::size_t>(c);
}

Millis to_ms(double seconds) {
  return static_cast<Millis>(std::llround(seconds * 1000));
}

enum class EventKind { kShiftStart, kShiftEnd, kArrival, kCompletion, kAbandon, kWake };

struct Event {
  Millis at = 0;
  std::uint64_t seq = 0;  // ties broken by scheduling order: deterministic
  EventKind kind = EventKind::kWake;
  Id id = 0;  // agent (shift, completion) or task (abandon)
  Channel channel = Channel::kChat;
  Millis started = 0;  // completion: when the work began
  bool operator>(const Event& o) const { return std::tie(at, seq) > std::tie(o.at, o.seq); }
};

enum class State { kWaiting, kAnswered, kAbandoned, kOverflowed };

struct Customer {
  Channel channel = Channel::kChat;
  Millis arrived = 0;
  std::optional<Millis> promised;  // the engine's estimate at arrival
  State state = State::kWaiting;
};

struct AgentState {
  AgentResult result;
  std::array<int, kChannels> capacity{}, load{};
  bool on_shift = false;
  Millis shift_end = 0, last = 0;
  double busy_ms = 0;  // integral of load/capacity on the fullest channel
  std::array<double, kChannels> slot_ms{};

  // Integrates occupancy up to now; called before every change of load or shift.
  void accrue(Millis now) {
    if (on_shift) {
      double fullest = 0;
      for (std::size_t c = 0; c < kChannels; ++c) {
        if (capacity[c] == 0) continue;
        fullest = std::max(fullest, static_cast<double>(load[c]) / capacity[c]);
        slot_ms[c] += static_cast<double>(load[c]) * static_cast<double>(now - last);
      }
      busy_ms += fullest * static_cast<double>(now - last);
    }
    last = now;
  }
};

struct ChannelState {
  Outcome outcome;
  std::vector<double> waits;  // answered customers, seconds
  double handle_sum_s = 0;
  int handled = 0;
  EstimateAccuracy estimate;
  double arrival_clock_s = 0;  // the arrival process's own clock
};

class Run {
 public:
  Run(const Scenario& s, std::vector<AssignmentRecord>* log);
  Result run(Deadline deadline);

 private:
  void push(Event e);
  void setup_agents();
  void schedule_arrival(Channel c);
  void dispatch(const Event& e);
  void on_arrival(Channel c, Millis now);
  void on_completion(const Event& e);
  void on_abandon(Id task);
  void on_shift(Id agent, bool start, Millis now);
  void settle(Millis now);
  void answer(const routing::Assignment& a, Millis now);
  void resolve(Customer& cu, State state);
  routing::Task make_task(Channel c, Millis now, Id id);
  Millis mean_handle_ms(Channel c) const;
  std::array<Outcome*, 2> outcomes(const Customer& cu);
  Result result(Millis end);

  const Scenario& s_;
  std::vector<AssignmentRecord>* log_;
  RoutingEngine engine_;
  std::priority_queue<Event, std::vector<Event>, std::greater<>> events_;
  std::uint64_t seq_ = 0;
  Millis last_activity_ = 0;  // stale abandonment timers do not extend the day
  std::set<Millis> wakes_;    // fallback wake-ups already queued
  std::map<std::string, Id> team_ids_;
  std::vector<Customer> customers_;  // task id = index + 1
  std::vector<AgentState> agents_;   // agent id = index + 1
  std::array<ChannelState, kChannels> channels_;
  std::vector<std::array<Outcome, kChannels>> hourly_;
  std::array<Rng, kChannels> arrival_rng_, handle_rng_, patience_rng_;
  Rng class_rng_;
};

template <std::size_t... I>
std::array<Rng, kChannels> streams(std::uint64_t seed, std::uint64_t base,
                                   std::index_sequence<I...>) {
  return {Rng(seed, base + I)...};
}

Run::Run(const Scenario& s, std::vector<AssignmentRecord>* log)
    : s_(s),
      log_(log),
      hourly_(static_cast<std::size_t>(s.hours)),
      arrival_rng_(streams(s.seed, 10, std::make_index_sequence<kChannels>())),
      handle_rng_(streams(s.seed, 20, std::make_index_sequence<kChannels>())),
      patience_rng_(streams(s.seed, 30, std::make_index_sequence<kChannels>())),
      class_rng_(s.seed, 1) {}

void Run::push(Event e) {
  e.seq = seq_++;
  events_.push(e);
}

void Run::setup_agents() {
  for (const auto& g : s_.agents) {
    for (int k = 0; k < g.count; ++k) {
      AgentState st;
      st.result.id = static_cast<Id>(agents_.size()) + 1;
      st.result.name = g.count > 1 ? g.name + " " + std::to_string(k + 1) : g.name;
      st.result.shift_start = g.shift_start;
      st.result.shift_end = g.shift_end;
      st.capacity = g.capacity;
      st.shift_end = (g.shift_end - s_.start_hour) * kHourMs;
      routing::Agent a;
      a.id = st.result.id;
      a.skills = g.skills;
      a.capacity = g.capacity;
      for (const auto& t : g.teams)
        a.teams.insert(team_ids_.emplace(t, team_ids_.size() + 1).first->second);
      engine_.upsert_agent(a);  // not routable until the shift starts
      Millis start = (g.shift_start - s_.start_hour) * kHourMs;
      push({.at = start, .kind = EventKind::kShiftStart, .id = a.id});
      push({.at = st.shift_end, .kind = EventKind::kShiftEnd, .id = a.id});
      agents_.push_back(std::move(st));
    }
  }
}

// Poisson arrivals with a rate that changes on the hour: exponential gaps, and
// since the process is memoryless a gap that crosses the hour is redrawn there.
void Run::schedule_arrival(Channel c) {
  auto& st = channels_[ix(c)];
  const auto& rates = s_.arrivals[ix(c)];
  while (true) {
    auto hour = static_cast<std::size_t>(st.arrival_clock_s / 3600);
    if (hour >= rates.size()) return;  // the day is over for this channel
    double hour_end = static_cast<double>(hour + 1) * 3600;
    double rate = rates[hour];
    double next =
        rate > 0 ? st.arrival_clock_s + arrival_rng_[ix(c)].exponential(3600 / rate) : hour_end;
    if (next < hour_end) {
      st.arrival_clock_s = next;
      // Truncated, not rounded, so an arrival never lands in the next hour.
      push({.at = static_cast<Millis>(next * 1000), .kind = EventKind::kArrival, .channel = c});
      return;
    }
    st.arrival_clock_s = hour_end;
  }
}

void Run::dispatch(const Event& e) {
  if (e.kind != EventKind::kAbandon ||
      customers_[static_cast<std::size_t>(e.id - 1)].state == State::kWaiting)
    last_activity_ = e.at;
  switch (e.kind) {
    case EventKind::kArrival:
      on_arrival(e.channel, e.at);
      schedule_arrival(e.channel);
      break;
    case EventKind::kCompletion:
      on_completion(e);
      break;
    case EventKind::kAbandon:
      on_abandon(e.id);
      break;
    case EventKind::kShiftStart:
    case EventKind::kShiftEnd:
      on_shift(e.id, e.kind == EventKind::kShiftStart, e.at);
      break;
    case EventKind::kWake:
      wakes_.erase(e.at);  // nothing else: settle() applies the fallback step
      break;
  }
}

Millis Run::mean_handle_ms(Channel c) const {
  const auto& st = channels_[ix(c)];
  return to_ms(st.handled > 0 ? st.handle_sum_s / st.handled : s_.handle[ix(c)]->mean_s);
}

routing::Task Run::make_task(Channel c, Millis now, Id id) {
  routing::Task t;
  t.id = id;
  t.channel = c;
  t.arrived_at = now;
  t.priority = s_.priority[ix(c)];
  // One draw picks the customer's class; the rest of the share has no needs.
  double u = class_rng_.uniform(), acc = 0;
  for (const auto& k : s_.classes) {
    if (k.channel && *k.channel != c) continue;
    acc += k.share;
    if (u >= acc) continue;
    t.required = k.skills;
    if (k.team) t.team = team_ids_.at(*k.team);
    if (k.priority) t.priority = *k.priority;
    break;
  }
  const FallbackSpec& f = s_.fallback[ix(c)];
  auto delay = [](const std::optional<double>& sec) { return sec ? to_ms(*sec) : routing::kNever; };
  t.fallback = {delay(f.widen_skills_after_s), delay(f.widen_team_after_s),
                delay(f.overflow_after_s)};
  return t;
}

void Run::on_arrival(Channel c, Millis now) {
  Id id = static_cast<Id>(customers_.size()) + 1;
  customers_.push_back({.channel = c, .arrived = now});
  for (Outcome* o : outcomes(customers_.back())) ++o->arrived;
  int ahead = engine_.waiting_on(c);
  engine_.enqueue(make_task(c, now, id));
  if (auto pos = engine_.position(id)) ahead = *pos;  // priorities may put it further ahead
  customers_.back().promised = routing::estimate_wait(ahead, engine_.free_slots(c),
                                                      engine_.busy_slots(c), mean_handle_ms(c));
  if (const auto& p = s_.patience[ix(c)])
    push({.at = now + std::max<Millis>(1, to_ms(patience_rng_[ix(c)].sample(*p))),
          .kind = EventKind::kAbandon,
          .id = id});
}

void Run::on_completion(const Event& e) {
  AgentState& a = agents_[static_cast<std::size_t>(e.id - 1)];
  a.accrue(e.at);
  --a.load[ix(e.channel)];
  engine_.release(e.id, e.channel, e.at);
  auto& st = channels_[ix(e.channel)];
  st.handle_sum_s += static_cast<double>(e.at - e.started) / 1000;
  ++st.handled;
  if (!a.on_shift) a.result.overtime_s = static_cast<double>(e.at - a.shift_end) / 1000;
}

void Run::on_abandon(Id task) {
  Customer& cu = customers_[static_cast<std::size_t>(task - 1)];
  if (cu.state != State::kWaiting) return;  // answered (or overflowed) before giving up
  engine_.cancel(task);
  resolve(cu, State::kAbandoned);
}

// Shift end only stops new work: the agent finishes what they have (overtime).
void Run::on_shift(Id agent, bool start, Millis now) {
  AgentState& a = agents_[static_cast<std::size_t>(agent - 1)];
  a.accrue(now);
  a.on_shift = start;
  engine_.set_routable(agent, start, now);
}

void Run::settle(Millis now) {
  for (const auto& a : engine_.assign(now)) answer(a, now);
  for (const auto& t : engine_.take_overflowed(now))
    resolve(customers_[static_cast<std::size_t>(t.id - 1)], State::kOverflowed);
  Millis wake = engine_.next_fallback_after(now);
  if (wake != routing::kNever && wake > now && wakes_.insert(wake).second)
    push({.at = wake, .kind = EventKind::kWake});
}

std::array<Outcome*, 2> Run::outcomes(const Customer& cu) {
  auto hour = static_cast<std::size_t>(cu.arrived / kHourMs);
  return {&channels_[ix(cu.channel)].outcome, &hourly_[hour][ix(cu.channel)]};
}

// Counts a customer who left the queue without being answered.
void Run::resolve(Customer& cu, State state) {
  cu.state = state;
  for (Outcome* o : outcomes(cu)) {
    ++o->waited;
    if (state == State::kAbandoned) ++o->abandoned;
    if (state == State::kOverflowed) ++o->overflowed;
    if (state == State::kWaiting) ++o->unserved;
  }
}

void Run::answer(const routing::Assignment& as, Millis now) {
  Customer& cu = customers_[static_cast<std::size_t>(as.task - 1)];
  cu.state = State::kAnswered;
  Channel c = cu.channel;
  Millis wait = now - cu.arrived;
  double wait_s = static_cast<double>(wait) / 1000;
  for (Outcome* o : outcomes(cu)) {
    ++o->answered;
    o->wait_sum_s += wait_s;
    if (wait > 0) ++o->waited;
    if (wait_s <= s_.target[ix(c)].seconds) ++o->answered_in_target;
  }
  auto& st = channels_[ix(c)];
  st.waits.push_back(wait_s);
  if (cu.promised) {
    ++st.estimate.compared;
    st.estimate.abs_error_sum_s += std::abs(static_cast<double>(wait - *cu.promised)) / 1000;
    if (wait <= *cu.promised) ++st.estimate.kept;
  } else {
    ++st.estimate.no_estimate;
  }
  AgentState& a = agents_[static_cast<std::size_t>(as.agent - 1)];
  a.accrue(now);
  ++a.load[ix(c)];
  ++a.result.assigned;
  Millis handle = std::max<Millis>(1, to_ms(handle_rng_[ix(c)].sample(*s_.handle[ix(c)])));
  push({.at = now + handle,
        .kind = EventKind::kCompletion,
        .id = as.agent,
        .channel = c,
        .started = now});
  if (log_) log_->push_back({now, as.task, as.agent, c});
}

Result Run::run(Deadline deadline) {
  setup_agents();
  for (std::size_t c = 0; c < kChannels; ++c) schedule_arrival(static_cast<Channel>(c));
  std::uint64_t batches = 0;
  while (!events_.empty()) {
    if (deadline && ++batches % 256 == 0 && std::chrono::steady_clock::now() > *deadline)
      throw SimulationTimeout("simulation stopped at its time limit");
    Millis now = events_.top().at;
    // Everything at this instant first, then one routing pass, as the server does.
    while (!events_.empty() && events_.top().at == now) {
      Event e = events_.top();
      events_.pop();
      dispatch(e);
    }
    settle(now);
  }
  for (auto& cu : customers_)
    if (cu.state == State::kWaiting) resolve(cu, State::kWaiting);
  return result(last_activity_);
}

std::optional<double> p90(std::vector<double> v) {
  if (v.empty()) return std::nullopt;
  // Nearest rank: the smallest wait that at least 90% of answered customers had.
  auto k = static_cast<std::size_t>(std::ceil(0.9 * static_cast<double>(v.size()))) - 1;
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(k), v.end());
  return v[k];
}

Result Run::result(Millis end) {
  Result r;
  r.seed = s_.seed;
  r.start_hour = s_.start_hour;
  r.hours = s_.hours;
  r.find_agents = s_.find_agents;
  r.simulated_s = static_cast<double>(end) / 1000;
  r.hourly = erlang_by_hour(s_);
  for (auto& row : r.hourly)
    row.sim = hourly_[static_cast<std::size_t>(row.hour - s_.start_hour)][ix(row.channel)];
  for (std::size_t c = 0; c < kChannels; ++c) {
    const auto& st = channels_[c];
    bool listed = std::any_of(r.hourly.begin(), r.hourly.end(),
                              [&](const HourResult& h) { return ix(h.channel) == c; });
    if (!listed) continue;
    ChannelResult ch{static_cast<Channel>(c), s_.target[c], st.outcome,
                     p90(st.waits),           std::nullopt, st.estimate};
    if (st.handled > 0) ch.avg_handle_s = st.handle_sum_s / st.handled;
    r.channels.push_back(ch);
  }
  for (auto& a : agents_) {
    double shift_ms = static_cast<double>((a.result.shift_end - a.result.shift_start) * kHourMs);
    a.result.logged_in_s = shift_ms / 1000;
    a.result.occupancy = a.busy_ms / shift_ms;
    for (std::size_t c = 0; c < kChannels; ++c)
      if (a.capacity[c] > 0)
        a.result.channel_occupancy[c] = a.slot_ms[c] / (a.capacity[c] * shift_ms);
    r.agents.push_back(a.result);
  }
  return r;
}

}  // namespace

Result simulate(const Scenario& s, std::vector<AssignmentRecord>* log, Deadline deadline) {
  return Run(s, log).run(deadline);
}

}  // namespace sb::sim
