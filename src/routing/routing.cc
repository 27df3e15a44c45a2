#include "routing/routing.h"

#include <algorithm>

namespace sb::routing {
namespace {

bool has_skills(const Agent& a, const Task& t) {
  return std::all_of(t.required.begin(), t.required.end(), [&](const Requirement& r) {
    auto it = a.skills.find(r.skill);
    return it != a.skills.end() && it->second >= r.min_level;
  });
}

bool past(const Task& t, Millis delay, Millis now) {
  return delay != kNever && now - t.arrived_at >= delay;
}

bool idle(const Agent& a) {
  return std::all_of(a.load.begin(), a.load.end(), [](int l) { return l == 0; });
}

}  // namespace

bool eligible(const Agent& a, const Task& t, bool ignore_skills, bool ignore_team) {
  auto c = static_cast<std::size_t>(t.channel);
  if (!a.routable || a.load[c] >= a.capacity[c] || t.declined_by.contains(a.id)) return false;
  if (!ignore_team && t.team && !a.teams.contains(*t.team)) return false;
  return ignore_skills || has_skills(a, t);
}

bool better(const Agent& a, const Agent& b, Channel channel) {
  auto c = static_cast<std::size_t>(channel);
  // load/capacity compared without division: a.load/a.cap < b.load/b.cap
  long lhs = static_cast<long>(a.load[c]) * b.capacity[c];
  long rhs = static_cast<long>(b.load[c]) * a.capacity[c];
  if (lhs != rhs) return lhs < rhs;
  if (a.idle_since != b.idle_since) return a.idle_since < b.idle_since;
  return a.id < b.id;
}

std::optional<Millis> estimate_wait(int ahead, int free_slots, int busy_slots,
                                    Millis mean_handle_ms) {
  if (free_slots > ahead) return 0;
  if (busy_slots + free_slots == 0) return std::nullopt;
  // Slots free up at busy/mean per ms; we need (ahead - free + 1) of them.
  int needed = ahead - free_slots + 1;
  int serving = std::max(busy_slots, 1);
  return static_cast<Millis>(static_cast<double>(needed) * static_cast<double>(mean_handle_ms) /
                             serving);
}

bool RoutingEngine::Key::operator<(const Key& o) const {
  if (priority != o.priority) return priority > o.priority;
  if (arrived_at != o.arrived_at) return arrived_at < o.arrived_at;
  return id < o.id;
}

void RoutingEngine::refresh_free(const Agent& a, bool maybe_more) {
  for (std::size_t c = 0; c < kChannels; ++c) {
    if (a.routable && a.load[c] < a.capacity[c]) {
      free_[c].insert(a.id);
      if (maybe_more) fresh_agents_[c].insert(a.id);
    } else {
      free_[c].erase(a.id);
      fresh_agents_[c].erase(a.id);
    }
  }
}

void RoutingEngine::upsert_agent(const Agent& a) {
  Agent next = a;
  if (auto it = agents_.find(a.id); it != agents_.end()) next.load = it->second.load;
  refresh_free(agents_[a.id] = next, true);
}

void RoutingEngine::remove_agent(Id agent) {
  agents_.erase(agent);
  for (std::size_t c = 0; c < kChannels; ++c) {
    free_[c].erase(agent);
    fresh_agents_[c].erase(agent);
  }
}

void RoutingEngine::set_routable(Id agent, bool routable, Millis now) {
  auto it = agents_.find(agent);
  if (it == agents_.end()) return;
  bool coming = routable && !it->second.routable;
  if (coming) it->second.idle_since = now;
  it->second.routable = routable;
  refresh_free(it->second, coming);
}

void RoutingEngine::set_load(Id agent, Channel c, int load, Millis now) {
  auto it = agents_.find(agent);
  if (it == agents_.end()) return;
  auto& a = it->second;
  bool was_idle = idle(a);
  int before = a.load[idx(c)];
  a.load[idx(c)] = std::max(load, 0);
  if (!was_idle && idle(a)) a.idle_since = now;
  refresh_free(a, a.load[idx(c)] < before);
}

// Calls add_or_remove(set, entry) for each index a waiting task is in.
template <class Fn>
void RoutingEngine::each_index(const Task& t, Fn add_or_remove) {
  auto c = idx(t.channel);
  add_or_remove(queue_[c], key_of(t));
  add_or_remove(fresh_tasks_[c], key_of(t));
  for (Millis d : {t.fallback.widen_skills_after, t.fallback.widen_team_after})
    if (d != kNever) add_or_remove(widen_at_, std::pair{t.arrived_at + d, t.id});
  if (t.fallback.overflow_after != kNever)
    add_or_remove(overflow_at_, std::pair{t.arrived_at + t.fallback.overflow_after, t.id});
}

void RoutingEngine::enqueue(const Task& t) {
  cancel(t.id);
  tasks_[t.id] = t;
  each_index(t, [](auto& set, const auto& entry) { set.insert(entry); });
}

void RoutingEngine::remove_task(std::map<Id, Task>::iterator it) {
  each_index(it->second, [](auto& set, const auto& entry) { set.erase(entry); });
  tasks_.erase(it);
}

void RoutingEngine::cancel(Id task) {
  if (auto it = tasks_.find(task); it != tasks_.end()) remove_task(it);
}

void RoutingEngine::decline(Id task, Id agent) {
  if (auto it = tasks_.find(task); it != tasks_.end()) it->second.declined_by.insert(agent);
}

void RoutingEngine::release(Id agent, Channel c, Millis now) {
  auto it = agents_.find(agent);
  if (it == agents_.end() || it->second.load[idx(c)] == 0) return;
  auto& a = it->second;
  --a.load[idx(c)];
  if (idle(a)) a.idle_since = now;
  refresh_free(a, true);
}

const Agent* RoutingEngine::agent(Id id) const {
  auto it = agents_.find(id);
  return it == agents_.end() ? nullptr : &it->second;
}

const Task* RoutingEngine::task(Id id) const {
  auto it = tasks_.find(id);
  return it == tasks_.end() ? nullptr : &it->second;
}

Agent* RoutingEngine::best_for(const Task& t, const std::set<Id>& candidates, Millis now) {
  bool widen_skills = past(t, t.fallback.widen_skills_after, now);
  bool widen_team = past(t, t.fallback.widen_team_after, now);
  Agent* best = nullptr;
  for (Id id : candidates) {
    Agent& a = agents_.at(id);
    if (eligible(a, t, widen_skills, widen_team) && (!best || better(a, *best, t.channel)))
      best = &a;
  }
  return best;
}

// Walks the channel's queue in service order. A task that was already waiting
// at the last call is only tried against fresh agents (the others were tried
// and did not fit); a fresh task is tried against every free agent. Once no
// fresh agent is free, it jumps from fresh task to fresh task.
void RoutingEngine::assign_channel(std::size_t c, Millis now,
                                   std::vector<std::pair<Key, Assignment>>& out) {
  auto& queue = queue_[c];
  auto& fresh = fresh_tasks_[c];
  auto q = fresh_agents_[c].empty() ? queue.end() : queue.begin();
  if (q == queue.end() && !fresh.empty()) q = queue.find(*fresh.begin());
  while (q != queue.end() && !free_[c].empty()) {
    Key key = *q;
    const Task& t = tasks_.at(key.id);
    bool is_fresh = fresh.contains(key);
    Agent* best = best_for(t, is_fresh ? free_[c] : fresh_agents_[c], now);
    if (best) {
      Assignment placed{
          t.id, best->id, past(t, t.fallback.widen_skills_after, now) && !has_skills(*best, t),
          past(t, t.fallback.widen_team_after, now) && t.team && !best->teams.contains(*t.team)};
      ++best->load[c];
      refresh_free(*best, false);
      out.emplace_back(key, placed);
      remove_task(tasks_.find(placed.task));
    }
    if (!fresh_agents_[c].empty()) {
      q = queue.upper_bound(key);
    } else {
      auto f = fresh.upper_bound(key);
      q = f == fresh.end() ? queue.end() : queue.find(*f);
    }
  }
  fresh.clear();
  fresh_agents_[c].clear();
}

std::vector<Assignment> RoutingEngine::assign(Millis now) {
  // Tasks whose skills or team just widened may now fit agents they did not.
  while (!widen_at_.empty() && widen_at_.begin()->first <= now) {
    const Task& t = tasks_.at(widen_at_.begin()->second);
    fresh_tasks_[idx(t.channel)].insert(key_of(t));
    widen_at_.erase(widen_at_.begin());
  }
  std::vector<std::pair<Key, Assignment>> out;
  for (std::size_t c = 0; c < kChannels; ++c) {
    if (free_[c].empty()) continue;  // fresh marks stay until someone can use them
    assign_channel(c, now, out);
  }
  // Report in service order across channels, as one queue would.
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<Assignment> placed;
  placed.reserve(out.size());
  for (const auto& [key, a] : out) placed.push_back(a);
  return placed;
}

std::vector<Task> RoutingEngine::take_overflowed(Millis now) {
  std::vector<Task> out;
  while (!overflow_at_.empty() && overflow_at_.begin()->first <= now) {
    Id id = overflow_at_.begin()->second;
    out.push_back(tasks_.at(id));
    cancel(id);
  }
  return out;
}

Millis RoutingEngine::next_fallback_after(Millis now) const {
  Millis next = kNever;
  for (const Deadlines* d : {&widen_at_, &overflow_at_})
    if (auto it = d->upper_bound({now, std::numeric_limits<Id>::max()}); it != d->end())
      next = std::min(next, it->first);
  return next;
}

std::optional<int> RoutingEngine::position(Id id) const {
  const Task* t = task(id);
  if (!t) return std::nullopt;
  const auto& queue = queue_[idx(t->channel)];
  return static_cast<int>(std::distance(queue.begin(), queue.find(key_of(*t))));
}

std::pair<int, int> RoutingEngine::slots_for(const Task& t, Millis now) const {
  auto c = idx(t.channel);
  bool widen_skills = past(t, t.fallback.widen_skills_after, now);
  bool widen_team = past(t, t.fallback.widen_team_after, now);
  int free = 0, busy = 0;
  for (const auto& [id, a] : agents_) {
    if (!a.routable || a.capacity[c] == 0) continue;
    if (!widen_team && t.team && !a.teams.contains(*t.team)) continue;
    if (!widen_skills && !has_skills(a, t)) continue;
    free += std::max(a.capacity[c] - a.load[c], 0);
    busy += a.load[c];
  }
  return {free, busy};
}

int RoutingEngine::free_slots(Channel c) const {
  int n = 0;
  for (Id id : free_[idx(c)]) {
    const Agent& a = agents_.at(id);
    n += a.capacity[idx(c)] - a.load[idx(c)];
  }
  return n;
}

int RoutingEngine::busy_slots(Channel c) const {
  int n = 0;
  for (const auto& [id, a] : agents_)
    if (a.routable) n += a.load[idx(c)];
  return n;
}

}  // namespace sb::routing
