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

void RoutingEngine::refresh_free(const Agent& a) {
  for (std::size_t c = 0; c < kChannels; ++c) {
    if (a.routable && a.load[c] < a.capacity[c])
      free_[c].insert(a.id);
    else
      free_[c].erase(a.id);
  }
}

void RoutingEngine::upsert_agent(const Agent& a) {
  Agent next = a;
  if (auto it = agents_.find(a.id); it != agents_.end()) next.load = it->second.load;
  refresh_free(agents_[a.id] = next);
}

void RoutingEngine::remove_agent(Id agent) {
  agents_.erase(agent);
  for (auto& f : free_) f.erase(agent);
}

void RoutingEngine::set_routable(Id agent, bool routable, Millis now) {
  auto it = agents_.find(agent);
  if (it == agents_.end()) return;
  if (routable && !it->second.routable) it->second.idle_since = now;
  it->second.routable = routable;
  refresh_free(it->second);
}

void RoutingEngine::set_load(Id agent, Channel c, int load, Millis now) {
  auto it = agents_.find(agent);
  if (it == agents_.end()) return;
  auto& a = it->second;
  bool was_idle = idle(a);
  a.load[idx(c)] = std::max(load, 0);
  if (!was_idle && idle(a)) a.idle_since = now;
  refresh_free(a);
}

void RoutingEngine::enqueue(const Task& t) {
  cancel(t.id);
  tasks_[t.id] = t;
  queue_.insert(key_of(t));
  ++waiting_by_channel_[idx(t.channel)];
}

void RoutingEngine::cancel(Id task) {
  auto it = tasks_.find(task);
  if (it == tasks_.end()) return;
  queue_.erase(key_of(it->second));
  --waiting_by_channel_[idx(it->second.channel)];
  tasks_.erase(it);
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
  refresh_free(a);
}

const Agent* RoutingEngine::agent(Id id) const {
  auto it = agents_.find(id);
  return it == agents_.end() ? nullptr : &it->second;
}

const Task* RoutingEngine::task(Id id) const {
  auto it = tasks_.find(id);
  return it == tasks_.end() ? nullptr : &it->second;
}

std::vector<Assignment> RoutingEngine::assign(Millis now) {
  std::vector<Assignment> out;
  // Only agents with a free slot can take anything: scanning them (usually few)
  // instead of every agent keeps a decision cheap with thousands waiting.
  auto any_free = [&] {
    return std::any_of(free_.begin(), free_.end(), [](const auto& f) { return !f.empty(); });
  };
  for (auto q = queue_.begin(); q != queue_.end() && any_free();) {
    const Task& t = tasks_.at(q->id);
    auto c = idx(t.channel);
    bool widen_skills = past(t, t.fallback.widen_skills_after, now);
    bool widen_team = past(t, t.fallback.widen_team_after, now);
    Agent* best = nullptr;
    for (Id id : free_[c]) {
      Agent& a = agents_.at(id);
      if (eligible(a, t, widen_skills, widen_team) && (!best || better(a, *best, t.channel)))
        best = &a;
    }
    if (!best) {
      ++q;
      continue;
    }
    Assignment placed{t.id, best->id, widen_skills && !has_skills(*best, t),
                      widen_team && t.team && !best->teams.contains(*t.team)};
    ++best->load[c];
    refresh_free(*best);
    out.push_back(placed);
    q = queue_.erase(q);
    --waiting_by_channel_[c];
    tasks_.erase(placed.task);
  }
  return out;
}

std::vector<Task> RoutingEngine::take_overflowed(Millis now) {
  std::vector<Task> out;
  for (const auto& [id, t] : tasks_)
    if (past(t, t.fallback.overflow_after, now)) out.push_back(t);
  for (const auto& t : out) cancel(t.id);
  return out;
}

Millis RoutingEngine::next_fallback_after(Millis now) const {
  Millis next = kNever;
  for (const auto& [id, t] : tasks_)
    for (Millis delay :
         {t.fallback.widen_skills_after, t.fallback.widen_team_after, t.fallback.overflow_after})
      if (delay != kNever && t.arrived_at + delay > now)
        next = std::min(next, t.arrived_at + delay);
  return next;
}

std::optional<int> RoutingEngine::position(Id id) const {
  const Task* t = task(id);
  if (!t) return std::nullopt;
  int ahead = 0;
  for (auto q = queue_.begin(); q != queue_.end() && q->id != id; ++q)
    ahead += tasks_.at(q->id).channel == t->channel;
  return ahead;
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
