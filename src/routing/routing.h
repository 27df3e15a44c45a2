// Routing (ACD) core: which waiting task goes to which agent. Plain data in,
// decisions out — no I/O, no clock (time is an argument), so the server, the
// tests and the simulator run the same code. Not thread-safe: one engine per
// workspace, driven from one strand.
//
// Rules (SPEC R1): a task goes to an eligible agent — routable status, free
// capacity on the task's channel, every required skill at or above its level,
// in the task's team if it names one, and not one who declined it. Tasks are
// served by priority (higher first), then by waiting time (older first).
// Among eligible agents the best has the lowest load on that channel relative
// to capacity, then has been idle longest, then the lowest id (deterministic).
// A task still waiting `widen_after` after it arrived drops its skill
// requirements (team and capacity rules stay).
#pragma once

#include <array>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/core.h"

namespace sb::routing {

enum class Channel { kChat = 0, kCallback, kTicket, kEmail, kSms };
constexpr std::size_t kChannels = 5;

struct Agent {
  Id id = 0;
  bool routable = false;                  // status online (or a custom status that allows routing)
  std::map<std::string, int> skills;      // e.g. {"lang:it", 4}, {"billing", 2}; levels 1-5
  std::array<int, kChannels> capacity{};  // e.g. 3 chats + 1 call-back + 10 tickets
  std::array<int, kChannels> load{};
  std::set<Id> teams;
  Millis idle_since = 0;  // last time their load dropped to zero, or they came online
};

struct Requirement {
  std::string skill;
  int min_level = 1;
};

struct Task {
  Id id = 0;
  Channel channel = Channel::kChat;
  int priority = 0;
  Millis arrived_at = 0;
  std::vector<Requirement> required;
  std::optional<Id> team;
  std::set<Id> declined_by;
};

struct Assignment {
  Id task = 0, agent = 0;
  bool widened = false;  // skills were dropped to place it
};

struct Options {
  Millis widen_after = 60'000;
};

// Pure rule: may this agent take this task now?
bool eligible(const Agent& a, const Task& t, bool ignore_skills);
// Pure rule: is agent a a better choice than b for a task on this channel?
bool better(const Agent& a, const Agent& b, Channel channel);

class RoutingEngine {
 public:
  explicit RoutingEngine(Options options = {}) : options_(options) {}

  void upsert_agent(const Agent& a);  // keeps the agent's current load
  void remove_agent(Id agent);
  void set_routable(Id agent, bool routable, Millis now);
  void enqueue(const Task& t);
  void cancel(Id task);             // the customer left, or it was answered elsewhere
  void decline(Id task, Id agent);  // offered and refused: never offered to them again
  void release(Id agent, Channel c, Millis now);  // a task of theirs ended

  // Places as many waiting tasks as possible; each placement raises the agent's load.
  std::vector<Assignment> assign(Millis now);

  std::size_t waiting() const { return tasks_.size(); }
  const Agent* agent(Id id) const;
  const std::map<Id, Agent>& agents() const { return agents_; }

 private:
  Options options_;
  std::map<Id, Agent> agents_;
  std::map<Id, Task> tasks_;
};

}  // namespace sb::routing
