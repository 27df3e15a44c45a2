#include "routing/routing.h"

#include <algorithm>

namespace sb::routing {
namespace {

std::size_t idx(Channel c) {
  return static_cast<std::size_t>(c);
}

// Served first: higher priority, then longer waiting, then lower id.
bool served_before(const Task& a, const Task& b) {
  if (a.priority != b.priority) return a.priority > b.priority;
  if (a.arrived_at != b.arrived_at) return a.arrived_at < b.arrived_at;
  return a.id < b.id;
}

}  // namespace

bool eligible(const Agent& a, const Task& t, bool ignore_skills) {
  auto c = idx(t.channel);
  if (!a.routable || a.load[c] >= a.capacity[c] || t.declined_by.contains(a.id)) return false;
  if (t.team && !a.teams.contains(*t.team)) return false;
  if (ignore_skills) return true;
  return std::all_of(t.required.begin(), t.required.end(), [&](const Requirement& r) {
    auto it = a.skills.find(r.skill);
    return it != a.skills.end() && it->second >= r.min_level;
  });
}

bool better(const Agent& a, const Agent& b, Channel channel) {
  auto c = idx(channel);
  // load/capacity compared without division: a.load/a.cap < b.load/b.cap
  long lhs = static_cast<long>(a.load[c]) * b.capacity[c];
  long rhs = static_cast<long>(b.load[c]) * a.capacity[c];
  if (lhs != rhs) return lhs < rhs;
  if (a.idle_since != b.idle_since) return a.idle_since < b.idle_since;
  return a.id < b.id;
}

void RoutingEngine::upsert_agent(const Agent& a) {
  auto it = agents_.find(a.id);
  Agent next = a;
  if (it != agents_.end()) next.load = it->second.load;
  agents_[a.id] = next;
}

void RoutingEngine::remove_agent(Id agent) {
  agents_.erase(agent);
}

void RoutingEngine::set_routable(Id agent, bool routable, Millis now) {
  auto it = agents_.find(agent);
  if (it == agents_.end()) return;
  if (routable && !it->second.routable) it->second.idle_since = now;
  it->second.routable = routable;
}

void RoutingEngine::enqueue(const Task& t) {
  tasks_[t.id] = t;
}

void RoutingEngine::cancel(Id task) {
  tasks_.erase(task);
}

void RoutingEngine::decline(Id task, Id agent) {
  if (auto it = tasks_.find(task); it != tasks_.end()) it->second.declined_by.insert(agent);
}

void RoutingEngine::release(Id agent, Channel c, Millis now) {
  auto it = agents_.find(agent);
  if (it == agents_.end() || it->second.load[idx(c)] == 0) return;
  auto& a = it->second;
  --a.load[idx(c)];
  bool idle = std::all_of(a.load.begin(), a.load.end(), [](int l) { return l == 0; });
  if (idle) a.idle_since = now;
}

const Agent* RoutingEngine::agent(Id id) const {
  auto it = agents_.find(id);
  return it == agents_.end() ? nullptr : &it->second;
}

std::vector<Assignment> RoutingEngine::assign(Millis now) {
  std::vector<const Task*> order;
  order.reserve(tasks_.size());
  for (const auto& [id, t] : tasks_) order.push_back(&t);
  std::sort(order.begin(), order.end(),
            [](const Task* a, const Task* b) { return served_before(*a, *b); });

  std::vector<Assignment> out;
  for (const Task* t : order) {
    bool widen = now - t->arrived_at >= options_.widen_after;
    Agent* best = nullptr;
    for (auto& [id, a] : agents_)
      if (eligible(a, *t, widen) && (!best || better(a, *best, t->channel))) best = &a;
    if (!best) continue;
    bool widened = widen && !eligible(*best, *t, false);
    ++best->load[idx(t->channel)];
    out.push_back({t->id, best->id, widened});
  }
  for (const auto& a : out) tasks_.erase(a.task);
  return out;
}

}  // namespace sb::routing
