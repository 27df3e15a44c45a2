// Routing benchmark: decision latency of the real routing core with
// 10,000 waiting conversations and 1,000 agents, then 1,000,000 randomized
// operations checked against invariants. Prints one JSON line at the end.
//
// Decision = one RoutingEngine::assign() call after the event that triggers it
// (a slot freed, a conversation arrived), which is what the server runs.
#include "routing/routing.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

using namespace sb;
using namespace sb::routing;

namespace {

struct Config {
  int agents = 1000, waiting = 10'000, decisions = 20'000;
  long operations = 1'000'000;
  unsigned seed = 20261123;
};

const std::vector<std::string> kSkills = {"lang:en", "lang:it", "lang:ru", "lang:hu",
                                          "lang:pl", "billing", "tech",    "sales"};

class Bench {
 public:
  explicit Bench(const Config& c) : cfg_(c), rng_(c.seed) {}

  void add_agents() {
    for (Id id = 1; id <= cfg_.agents; ++id) {
      Agent a;
      a.id = id;
      a.routable = true;
      for (const auto& s : kSkills)
        if (pick(3) == 0) a.skills[s] = 1 + pick(5);
      a.skills["lang:en"] = 3;
      a.capacity = {3, 1, 10, 10, 5};
      if (pick(4) == 0) a.teams = {1 + pick(5)};
      engine_.upsert_agent(a);
      agents_[id] = a;
    }
  }

  Task new_task(Millis now) {
    Task t;
    t.id = next_task_++;
    t.channel = static_cast<Channel>(pick(100) < 70 ? 0 : pick(static_cast<int>(kChannels)));
    t.priority = pick(10) == 0 ? 1 : 0;
    t.arrived_at = now;
    if (pick(2)) t.required.push_back({kSkills[static_cast<std::size_t>(pick(8))], 1 + pick(3)});
    if (pick(10) == 0) t.team = 1 + pick(5);
    t.fallback.widen_skills_after = 60'000;
    t.fallback.widen_team_after = 120'000;
    return t;
  }

  void arrive(Millis now) {
    auto t = new_task(now);
    engine_.enqueue(t);
    waiting_.insert(t.id);
    channel_[t.id] = t.channel;
  }

  // Applies the engine's decisions to our own bookkeeping, checking each one.
  void apply(const std::vector<Assignment>& out) {
    for (const auto& a : out) {
      if (!waiting_.erase(a.task)) ++violations_;  // placed twice, or never waiting
      auto c = static_cast<std::size_t>(channel_.at(a.task));
      auto& ag = agents_.at(a.agent);
      if (++ag.load[c] > ag.capacity[c] || !ag.routable) ++violations_;
      busy_.push_back({a.agent, a.task});
    }
  }

  void release_one(Millis now) {
    if (busy_.empty()) return;
    auto i = static_cast<std::size_t>(pick(static_cast<int>(busy_.size())));
    auto [agent, task] = busy_[i];
    busy_[i] = busy_.back();
    busy_.pop_back();
    auto ch = channel_.at(task);
    engine_.release(agent, ch, now);
    --agents_.at(agent).load[static_cast<std::size_t>(ch)];
    channel_.erase(task);
  }

  void fill(Millis& now) {
    while (static_cast<int>(waiting_.size()) < cfg_.waiting) {
      arrive(now += 1);
      apply(engine_.assign(now));
    }
  }

  // Timed decisions in steady state: alternately a slot frees and a chat arrives.
  std::vector<double> measure(Millis& now) {
    std::vector<double> us;
    us.reserve(static_cast<std::size_t>(cfg_.decisions));
    for (int i = 0; i < cfg_.decisions; ++i) {
      if (i % 2)
        release_one(now += 10);
      else
        arrive(now += 10);
      auto t0 = std::chrono::steady_clock::now();
      auto out = engine_.assign(now);
      auto t1 = std::chrono::steady_clock::now();
      us.push_back(std::chrono::duration<double, std::micro>(t1 - t0).count());
      apply(out);
    }
    return us;
  }

  void random_op(Millis& now) {
    now += pick(50);
    int op = pick(100);
    if (op < 30) {
      arrive(now);
    } else if (op < 55) {
      release_one(now);
    } else if (op < 60 && !waiting_.empty()) {  // the customer leaves
      Id t = random_waiting();
      engine_.cancel(t);
      waiting_.erase(t);
      channel_.erase(t);
    } else if (op < 65 && !waiting_.empty()) {
      engine_.decline(random_waiting(), 1 + pick(cfg_.agents));
    } else if (op < 70) {  // status change
      Id id = 1 + pick(cfg_.agents);
      bool routable = pick(5) != 0;
      engine_.set_routable(id, routable, now);
      agents_.at(id).routable = routable;
    } else {
      apply(engine_.assign(now));
    }
    if (++ops_ % 1000 == 0) full_check();
  }

  // Everything the engine knows agrees with our bookkeeping.
  void full_check() {
    if (engine_.waiting() != waiting_.size()) ++violations_;
    for (const auto& [id, mine] : agents_) {
      const Agent* a = engine_.agent(id);
      for (std::size_t c = 0; c < kChannels; ++c)
        if (a->load[c] != mine.load[c] || a->load[c] > a->capacity[c]) ++violations_;
    }
    for (Id t : waiting_)
      if (!engine_.task(t)) ++violations_;  // lost
  }

  long ops() const { return ops_; }
  long violations() const { return violations_; }

 private:
  int pick(int n) { return static_cast<int>(rng_() % static_cast<unsigned>(n)); }
  Id random_waiting() {
    // Waiting ids are dense-ish and recent; probe a few random ids, else take the oldest.
    for (int i = 0; i < 8; ++i) {
      Id probe = next_task_ - 1 - pick(static_cast<int>(std::min<Id>(next_task_ - 1, 50'000)));
      if (waiting_.contains(probe)) return probe;
    }
    return *waiting_.begin();
  }

  Config cfg_;
  std::mt19937_64 rng_;
  RoutingEngine engine_;
  std::map<Id, Agent> agents_;
  std::set<Id> waiting_;
  std::map<Id, Channel> channel_;
  std::vector<std::pair<Id, Id>> busy_;  // (agent, task)
  Id next_task_ = 1;
  long ops_ = 0, violations_ = 0;
};

double percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  return v[static_cast<std::size_t>(p * static_cast<double>(v.size() - 1))];
}

}  // namespace

int main(int argc, char** argv) {
  Config cfg;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string f = argv[i];
    long v = std::atol(argv[i + 1]);
    if (f == "--agents")
      cfg.agents = static_cast<int>(v);
    else if (f == "--waiting")
      cfg.waiting = static_cast<int>(v);
    else if (f == "--decisions")
      cfg.decisions = static_cast<int>(v);
    else if (f == "--operations")
      cfg.operations = v;
    else if (f == "--seed")
      cfg.seed = static_cast<unsigned>(v);
    else {
      std::fprintf(stderr, "unknown flag %s\n", f.c_str());
      return 2;
    }
  }
  Bench b(cfg);
  Millis now = 1'000'000;
  b.add_agents();
  b.fill(now);
  auto us = b.measure(now);
  std::fprintf(stderr, "decisions: %zu, max %.1f us\n", us.size(), percentile(us, 1.0));
  auto t0 = std::chrono::steady_clock::now();
  while (b.ops() < cfg.operations) b.random_op(now);
  b.full_check();
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::fprintf(stderr, "%ld operations in %.1f s\n", b.ops(), secs);
  std::printf(
      "{\"waiting\":%d,\"agents\":%d,\"p50_us\":%.2f,\"p99_us\":%.2f,\"operations\":%ld,"
      "\"violations\":%ld}\n",
      cfg.waiting, cfg.agents, percentile(us, 0.5), percentile(us, 0.99), b.ops(), b.violations());
  return b.violations() == 0 ? 0 : 1;
}
