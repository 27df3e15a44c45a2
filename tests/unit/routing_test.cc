// Routing core: rules, and a randomized comparison with a naive reference model.
#include "routing/routing.h"

#include <gtest/gtest.h>

#include <random>

namespace sb::routing {
namespace {

Agent agent(Id id, std::map<std::string, int> skills, int chats = 3, Millis idle = 0) {
  Agent a;
  a.id = id;
  a.routable = true;
  a.skills = std::move(skills);
  a.capacity = {chats, 1, 10, 10, 10};
  a.idle_since = idle;
  return a;
}

Task task(Id id, int priority, Millis arrived, std::vector<Requirement> req = {}) {
  Task t;
  t.id = id;
  t.priority = priority;
  t.arrived_at = arrived;
  t.required = std::move(req);
  return t;
}

TEST(RoutingRules, SkillLevelMustBeMet) {
  RoutingEngine e;
  e.upsert_agent(agent(1, {{"lang:it", 2}}));
  e.upsert_agent(agent(2, {{"lang:it", 4}}));
  e.enqueue(task(10, 0, 0, {{"lang:it", 3}}));
  auto out = e.assign(1000);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].agent, 2);
  EXPECT_FALSE(out[0].widened);
}

TEST(RoutingRules, LowestLoadThenLongestIdleWins) {
  RoutingEngine e;
  e.upsert_agent(agent(1, {}, 3, /*idle*/ 500));
  e.upsert_agent(agent(2, {}, 3, /*idle*/ 100));
  e.enqueue(task(10, 0, 0));
  e.enqueue(task(11, 0, 1));
  auto out = e.assign(1000);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].agent, 2) << "idle longest takes the first";
  EXPECT_EQ(out[1].agent, 1) << "then the one with the lower load";
}

TEST(RoutingRules, PriorityThenWaitingTimeDecideTheOrder) {
  RoutingEngine e;
  e.upsert_agent(agent(1, {}, 1));
  e.enqueue(task(10, 0, 0));
  e.enqueue(task(11, 5, 900));
  auto out = e.assign(1000);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].task, 11);
  EXPECT_EQ(e.waiting(), 1u);
}

TEST(RoutingRules, CapacityIsNeverExceeded) {
  RoutingEngine e;
  e.upsert_agent(agent(1, {}, 2));
  for (Id t = 1; t <= 5; ++t) e.enqueue(task(t, 0, t));
  EXPECT_EQ(e.free_slots(Channel::kChat), 2);
  EXPECT_EQ(e.assign(100).size(), 2u);
  EXPECT_EQ(e.free_slots(Channel::kChat), 0);
  EXPECT_EQ(e.busy_slots(Channel::kChat), 2);
  EXPECT_EQ(e.waiting_on(Channel::kChat), 3);
  EXPECT_EQ(e.assign(200).size(), 0u);
  e.release(1, Channel::kChat, 300);
  EXPECT_EQ(e.assign(400).size(), 1u);
  EXPECT_EQ(e.agent(1)->load[0], 2);
}

TEST(RoutingRules, UnroutableDeclinedAndOtherTeamsAreSkipped) {
  RoutingEngine e;
  e.upsert_agent(agent(1, {}));
  auto away = agent(2, {});
  away.routable = false;
  e.upsert_agent(away);
  auto other_team = agent(3, {});
  other_team.teams = {7};
  e.upsert_agent(other_team);
  auto t = task(10, 0, 0);
  t.team = 8;
  e.enqueue(t);
  EXPECT_TRUE(e.assign(10).empty());
  auto u = task(11, 0, 0);
  e.enqueue(u);
  e.decline(11, 1);
  auto out = e.assign(10);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].agent, 3);
}

TEST(RoutingRules, FallbackWidensSkillsThenTeamThenOverflows) {
  RoutingEngine e;
  auto other_team = agent(1, {{"lang:en", 5}});
  other_team.teams = {2};
  e.upsert_agent(other_team);
  auto t = task(10, 0, 0, {{"lang:hu", 1}});
  t.team = 1;
  t.fallback = {30'000, 60'000, 90'000};
  e.enqueue(t);
  auto u = task(11, 0, 0, {{"lang:hu", 1}});
  u.team = 1;
  u.fallback = {30'000, kNever, 90'000};
  e.enqueue(u);
  EXPECT_EQ(e.next_fallback_after(0), 30'000);
  EXPECT_TRUE(e.assign(29'999).empty());
  EXPECT_TRUE(e.assign(30'000).empty()) << "skills dropped, but the team still applies";
  EXPECT_EQ(e.next_fallback_after(30'000), 60'000);
  auto out = e.assign(60'000);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].task, 10);
  EXPECT_TRUE(out[0].widened);
  EXPECT_TRUE(out[0].team_widened);
  EXPECT_TRUE(e.take_overflowed(89'999).empty());
  auto gone = e.take_overflowed(90'000);
  ASSERT_EQ(gone.size(), 1u);
  EXPECT_EQ(gone[0].id, 11);
  EXPECT_EQ(e.waiting(), 0u);
  EXPECT_EQ(e.next_fallback_after(90'000), kNever);
}

TEST(RoutingRules, ResyncedLoadIsRespected) {
  RoutingEngine e;
  e.upsert_agent(agent(1, {}, 2));
  e.set_load(1, Channel::kChat, 2, 0);  // another process gave them two chats
  e.enqueue(task(10, 0, 0));
  EXPECT_TRUE(e.assign(1).empty());
  e.set_load(1, Channel::kChat, 1, 5);
  EXPECT_EQ(e.assign(6).size(), 1u);
}

TEST(RoutingRules, RequeuedTaskKeepsItsPlaceAndPriority) {
  RoutingEngine e;
  e.enqueue(task(10, 0, 100));
  e.enqueue(task(11, 0, 50));
  auto back = task(12, 1, 900);  // an agent dropped it: it goes back with priority
  e.enqueue(back);
  EXPECT_EQ(e.position(12), 0);
  EXPECT_EQ(e.position(10), 2);
  EXPECT_EQ(e.position(99), std::nullopt);
  e.enqueue(task(12, 0, 900));  // same id replaces
  EXPECT_EQ(e.waiting(), 3u);
  EXPECT_EQ(e.position(12), 2);
}

TEST(RoutingRules, WaitEstimateFollowsQueueAndThroughput) {
  EXPECT_EQ(estimate_wait(0, 1, 5, 300'000), 0) << "a free slot: no wait";
  EXPECT_EQ(estimate_wait(2, 0, 0, 300'000), std::nullopt) << "nobody serves the channel";
  // 6 busy slots, 5 minutes each: a slot frees every 50 s; third in line waits 150 s.
  EXPECT_EQ(estimate_wait(2, 0, 6, 300'000), 150'000);
  EXPECT_EQ(estimate_wait(3, 1, 6, 300'000), 150'000);
}

TEST(RoutingRules, ChannelsHaveTheirOwnCapacity) {
  RoutingEngine e;
  e.upsert_agent(agent(1, {}, 1));
  auto call = task(10, 0, 0);
  call.channel = Channel::kCallback;
  e.enqueue(call);
  e.enqueue(task(11, 0, 0));
  auto call2 = task(12, 0, 1);
  call2.channel = Channel::kCallback;
  e.enqueue(call2);
  EXPECT_EQ(e.assign(5).size(), 2u) << "one chat and one call-back fit; the second call-back waits";
  EXPECT_EQ(e.waiting(), 1u);
}

// ---- randomized comparison with a naive model --------------------------------

// The reference states the rules as directly as possible, with no shared code.
struct Reference {
  std::vector<Agent> agents;
  std::vector<Task> tasks;

  bool ok(const Agent& a, const Task& t, bool widen, bool any_team) const {
    auto c = static_cast<std::size_t>(t.channel);
    if (!a.routable || a.load[c] >= a.capacity[c]) return false;
    if (t.declined_by.count(a.id)) return false;
    if (!any_team && t.team && !a.teams.count(*t.team)) return false;
    if (widen) return true;
    for (const auto& r : t.required) {
      bool has = false;
      for (const auto& [name, level] : a.skills)
        has = has || (name == r.skill && level >= r.min_level);
      if (!has) return false;
    }
    return true;
  }

  std::vector<Assignment> assign(Millis now) {
    std::vector<Task> queue = tasks;
    std::stable_sort(queue.begin(), queue.end(), [](const Task& a, const Task& b) {
      if (a.priority != b.priority) return a.priority > b.priority;
      if (a.arrived_at != b.arrived_at) return a.arrived_at < b.arrived_at;
      return a.id < b.id;
    });
    std::vector<Assignment> out;
    for (const auto& t : queue) {
      auto c = static_cast<std::size_t>(t.channel);
      bool widen = t.fallback.widen_skills_after != kNever &&
                   now - t.arrived_at >= t.fallback.widen_skills_after;
      bool any_team = t.fallback.widen_team_after != kNever &&
                      now - t.arrived_at >= t.fallback.widen_team_after;
      int best = -1;
      for (int i = 0; i < static_cast<int>(agents.size()); ++i) {
        if (!ok(agents[i], t, widen, any_team)) continue;
        if (best < 0) {
          best = i;
          continue;
        }
        const auto& a = agents[i];
        const auto& b = agents[best];
        double la = double(a.load[c]) / a.capacity[c], lb = double(b.load[c]) / b.capacity[c];
        if (la < lb || (la == lb && (a.idle_since < b.idle_since ||
                                     (a.idle_since == b.idle_since && a.id < b.id))))
          best = i;
      }
      if (best < 0) continue;
      const auto& chosen = agents[best];
      bool widened = widen && !ok(chosen, t, false, true);
      bool team_widened = any_team && t.team && !chosen.teams.count(*t.team);
      agents[best].load[c]++;
      out.push_back({t.id, agents[best].id, widened, team_widened});
      tasks.erase(
          std::find_if(tasks.begin(), tasks.end(), [&](const Task& x) { return x.id == t.id; }));
    }
    return out;
  }
};

TEST(RoutingProperty, MatchesTheReferenceAndKeepsInvariants) {
  std::mt19937 rng(20261123);
  auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<unsigned>(n)); };
  const std::vector<std::string> skills = {"lang:it", "lang:ru", "lang:hu", "lang:pl", "billing"};
  RoutingEngine engine;
  Reference ref;
  std::map<Id, std::pair<Id, Channel>> assigned;  // task -> agent, channel
  std::map<Id, Channel> channel_of;
  int placed = 0, widened = 0, team_widened = 0;
  Millis now = 0;
  Id next_task = 1;

  for (int step = 0; step < 20'000; ++step) {
    now += pick(400);
    int op = pick(100);
    if (op < 10 && ref.agents.size() < 12) {  // an agent joins
      Agent a;
      a.id = static_cast<Id>(ref.agents.size() + 1);
      a.routable = pick(4) != 0;
      for (const auto& s : skills)
        if (pick(2)) a.skills[s] = 1 + pick(5);
      for (auto& c : a.capacity) c = 1 + pick(3);
      if (pick(3) == 0) a.teams = {1 + pick(2)};
      a.idle_since = now;
      engine.upsert_agent(a);
      ref.agents.push_back(a);
    } else if (op < 20 && !ref.agents.empty()) {  // status change
      auto& a = ref.agents[pick(static_cast<int>(ref.agents.size()))];
      bool routable = pick(3) != 0;
      if (routable && !a.routable) a.idle_since = now;
      a.routable = routable;
      engine.set_routable(a.id, routable, now);
    } else if (op < 55) {  // a task arrives
      Task t;
      t.id = next_task++;
      t.channel = static_cast<Channel>(pick(static_cast<int>(kChannels)));
      t.priority = pick(3);
      t.arrived_at = now;
      if (pick(2)) t.required.push_back({skills[pick(5)], 1 + pick(5)});
      if (pick(6) == 0) t.team = 1 + pick(2);
      t.fallback.widen_skills_after = pick(4) ? 5'000 : kNever;
      t.fallback.widen_team_after = pick(3) ? 20'000 : kNever;
      engine.enqueue(t);
      ref.tasks.push_back(t);
      channel_of[t.id] = t.channel;
    } else if (op < 65 && !ref.tasks.empty() && !ref.agents.empty()) {  // declined
      auto& t = ref.tasks[pick(static_cast<int>(ref.tasks.size()))];
      Id who = ref.agents[pick(static_cast<int>(ref.agents.size()))].id;
      t.declined_by.insert(who);
      engine.decline(t.id, who);
    } else if (op < 70 && !ref.tasks.empty()) {  // the customer leaves
      auto it = ref.tasks.begin() + pick(static_cast<int>(ref.tasks.size()));
      engine.cancel(it->id);
      ref.tasks.erase(it);
    } else if (op < 85 && !assigned.empty()) {  // a conversation ends
      auto it = std::next(assigned.begin(), pick(static_cast<int>(assigned.size())));
      auto [agent_id, channel] = it->second;
      engine.release(agent_id, channel, now);
      auto& a = ref.agents[static_cast<std::size_t>(agent_id - 1)];
      a.load[static_cast<std::size_t>(channel)]--;
      if (std::all_of(a.load.begin(), a.load.end(), [](int l) { return l == 0; }))
        a.idle_since = now;
      assigned.erase(it);
    } else {
      auto got = engine.assign(now);
      auto want = ref.assign(now);
      ASSERT_EQ(got.size(), want.size()) << "step " << step;
      for (std::size_t i = 0; i < got.size(); ++i) {
        ASSERT_EQ(got[i].task, want[i].task) << "step " << step;
        ASSERT_EQ(got[i].agent, want[i].agent) << "step " << step;
        ASSERT_EQ(got[i].widened, want[i].widened) << "step " << step;
        ASSERT_EQ(got[i].team_widened, want[i].team_widened) << "step " << step;
        ASSERT_FALSE(assigned.count(got[i].task)) << "a task assigned twice";
        assigned[got[i].task] = {got[i].agent, channel_of.at(got[i].task)};
        ++placed;
        widened += got[i].widened;
        team_widened += got[i].team_widened;
      }
    }
    // Invariants after every step: loads within capacity and equal to the reference.
    for (const auto& a : ref.agents) {
      const Agent* e = engine.agent(a.id);
      ASSERT_NE(e, nullptr);
      for (std::size_t c = 0; c < kChannels; ++c) {
        ASSERT_LE(e->load[c], e->capacity[c]) << "agent above capacity at step " << step;
        ASSERT_EQ(e->load[c], a.load[c]) << "step " << step;
      }
    }
    ASSERT_EQ(engine.waiting(), ref.tasks.size());
  }
  // The run must have exercised the interesting paths, or it proves little.
  EXPECT_GT(placed, 1000);
  EXPECT_GT(widened, 10);
  EXPECT_GT(team_widened, 3);
}

}  // namespace
}  // namespace sb::routing
