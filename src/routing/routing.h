// Routing (ACD) core: which waiting task goes to which agent. Plain data in,
// decisions out — no I/O, no clock (time is an argument), so the server, the
// tests, the simulator and the benchmark run the same code. Not thread-safe:
// one engine per workspace, driven from one strand.
//
// Rules: a task goes to an eligible agent — routable status, free
// capacity on the task's channel, every required skill at or above its level,
// in the task's team if it names one, and not one who declined it. Tasks are
// served by priority (higher first), then by waiting time (older first), then
// by id. Among eligible agents the best has the lowest load on that channel
// relative to capacity, then has been idle longest, then the lowest id.
//
// Fallback (per task, measured from arrival): after widen_skills_after the
// skill requirements are dropped; after widen_team_after the team is too; after
// overflow_after the task leaves the queue through take_overflowed() so the
// caller can offer the customer a call-back or the offline form instead.
#pragma once

#include <array>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/core.h"

namespace sb::routing {

enum class Channel { kChat = 0, kCallback, kTicket, kEmail, kSms };
constexpr std::size_t kChannels = 5;
constexpr Millis kNever = std::numeric_limits<Millis>::max();

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

// Delays after arrival; kNever switches a step off.
struct Fallback {
  Millis widen_skills_after = kNever;
  Millis widen_team_after = kNever;
  Millis overflow_after = kNever;
};

struct Task {
  Id id = 0;
  Channel channel = Channel::kChat;
  int priority = 0;
  Millis arrived_at = 0;
  std::vector<Requirement> required;
  std::optional<Id> team;
  std::set<Id> declined_by;
  Fallback fallback;
};

struct Assignment {
  Id task = 0, agent = 0;
  bool widened = false;       // skills were dropped to place it
  bool team_widened = false;  // the team was dropped to place it
};

// Pure rule: may this agent take this task now (with the given relaxations)?
bool eligible(const Agent& a, const Task& t, bool ignore_skills, bool ignore_team);
// Pure rule: is agent a a better choice than b for a task on this channel?
bool better(const Agent& a, const Agent& b, Channel channel);

// Honest wait estimate for a task with `ahead` tasks before it on its channel:
// zero while a slot is free for it, else the time until enough slots turn over
// at the observed rate (busy slots / mean handle time). nullopt when nobody can
// serve the channel at all (no slots), so the caller says so instead of a number.
std::optional<Millis> estimate_wait(int ahead, int free_slots, int busy_slots,
                                    Millis mean_handle_ms);

class RoutingEngine {
 public:
  void upsert_agent(const Agent& a);  // keeps the agent's current load
  void remove_agent(Id agent);
  void set_routable(Id agent, bool routable, Millis now);
  // Resynchronises one channel's load with the durable truth (another process
  // may have assigned to this agent); never below zero.
  void set_load(Id agent, Channel c, int load, Millis now);
  void enqueue(const Task& t);      // also re-enqueues: same id replaces the waiting task
  void cancel(Id task);             // the customer left, or it was answered elsewhere
  void decline(Id task, Id agent);  // never offered to this agent again
  void release(Id agent, Channel c, Millis now);  // a task of theirs ended (or an offer lapsed)

  // Places as many waiting tasks as possible; each placement raises the agent's load.
  std::vector<Assignment> assign(Millis now);
  // Removes and returns the tasks whose overflow delay has passed.
  std::vector<Task> take_overflowed(Millis now);
  // The earliest moment after `now` at which a fallback step changes some
  // task's eligibility (timers and the simulator wake up then); kNever if none.
  Millis next_fallback_after(Millis now) const;

  std::size_t waiting() const { return tasks_.size(); }
  const Task* task(Id id) const;
  // Waiting tasks on the same channel served before this one; nullopt if not waiting.
  std::optional<int> position(Id task) const;
  int waiting_on(Channel c) const { return static_cast<int>(queue_[idx(c)].size()); }
  // Slots of the routable agents who could ever take this task (skills and team
  // as widened at `now`, capacity aside): {free, busy}. An estimate built on
  // these does not promise a Hungarian speaker's time to a Hungarian chat.
  std::pair<int, int> slots_for(const Task& t, Millis now) const;
  // Slots of routable agents on a channel: free ones and busy ones.
  int free_slots(Channel c) const;
  int busy_slots(Channel c) const;
  const Agent* agent(Id id) const;
  const std::map<Id, Agent>& agents() const { return agents_; }
  const std::map<Id, Task>& tasks() const { return tasks_; }

 private:
  struct Key {
    int priority;
    Millis arrived_at;
    Id id;
    bool operator<(const Key& o) const;
  };
  using Deadlines = std::set<std::pair<Millis, Id>>;
  static std::size_t idx(Channel c) { return static_cast<std::size_t>(c); }
  static Key key_of(const Task& t) { return {t.priority, t.arrived_at, t.id}; }
  // Keeps free_ in step with status, load and capacity. `maybe_more` marks the
  // agent fresh: it may now fit tasks it did not fit before.
  void refresh_free(const Agent& a, bool maybe_more);
  void assign_channel(std::size_t c, Millis now, std::vector<std::pair<Key, Assignment>>& out);
  Agent* best_for(const Task& t, const std::set<Id>& candidates, Millis now);
  void remove_task(std::map<Id, Task>::iterator it);
  template <class Fn>
  void each_index(const Task& t, Fn add_or_remove);

  std::map<Id, Agent> agents_;
  std::map<Id, Task> tasks_;
  // Per channel: the queue in service order, the routable agents with a free
  // slot, and what changed since the last assign(). Between calls every free
  // agent has been tried against every waiting task, so a decision only has to
  // look at fresh tasks (new, or just widened) and fresh agents (a slot freed,
  // came online): with 10,000 waiting that is what keeps it under a millisecond.
  std::array<std::set<Key>, kChannels> queue_{};
  std::array<std::set<Id>, kChannels> free_{};
  std::array<std::set<Key>, kChannels> fresh_tasks_{};
  std::array<std::set<Id>, kChannels> fresh_agents_{};
  Deadlines widen_at_, overflow_at_;
};

}  // namespace sb::routing
