#include "acd/acd.h"

#include <chrono>
#include <future>
#include <map>
#include <mutex>
#include <thread>

#include "asio/asio.h"
#include "bot/bot.h"
#include "http/http.h"
#include "protocol/protocol.h"
#include "routing/routing.h"

namespace sb {
namespace {

namespace asio = boost::asio;
namespace json = boost::json;
using routing::Channel;

constexpr int kRequeueBoost = 10;  // chats dropped by a vanished agent go first

Millis seconds_or_never(std::optional<int> s) {
  return s ? static_cast<Millis>(*s) * 1000 : routing::kNever;
}

bool rule_matches(const InboxRouting::Rule& r, const Conversation& c) {
  if (r.when == "topic") return lower_ascii(c.subject) == lower_ascii(r.value);
  if (r.when == "language") return lower_ascii(c.customer_language()) == lower_ascii(r.value);
  auto url = json_string(c.meta, "page_url").value_or("");
  return lower_ascii(url).find(lower_ascii(r.value)) != std::string::npos;
}

routing::Agent engine_agent(const Agent& a) {
  routing::Agent r;
  r.id = a.id;
  r.routable = a.status == AgentStatus::kOnline;
  r.skills = a.routing.skills;
  r.capacity = a.routing.capacity;
  r.teams = {a.routing.teams.begin(), a.routing.teams.end()};
  r.idle_since = a.status_since;
  return r;
}

}  // namespace

struct Dispatcher::Impl {
  struct Offer {
    Id agent = 0;
    Millis expires_at = 0;
    routing::Task task;
  };
  struct Held {  // an assignment we count in an agent's load
    Id agent = 0;
    Millis since = 0;
  };
  struct Space {
    routing::RoutingEngine engine;
    std::map<Id, Inbox> inboxes;
    std::map<Id, Held> held;             // open assigned conversation -> agent
    std::map<Id, std::int64_t> version;  // newest conversation version seen
    std::map<Id, Offer> offers;
    std::map<Id, Id> inbox_of;        // open conversation -> its inbox (for the queue figures)
    std::set<Id> overflowed;          // left to the call-back / offline form
    std::map<Id, AgentScope> scoped;  // agents limited to some inboxes or teams
    std::map<Id, int> sockets;        // agent -> open sockets in this process
    Millis heartbeat_at = 0;
    std::array<double, routing::kChannels> mean_handle{};
    Millis reconciled_at = 0;
    // A resync reads every open conversation: with many (tickets stay open for
    // days) it runs less often, at most a twentieth of the dispatcher's time.
    Millis reconcile_every = 0;
    bool pass_pending = false;
    std::optional<std::int64_t> fence;  // the lease's token while this node holds it
    Millis lease_until = 0;             // when it lapses unless renewed (our clock)
    Millis lease_tried_at = 0;          // a follower asks every third of the ttl
  };
  static constexpr std::size_t kChannels = routing::kChannels;

  ConversationStore& conversations;
  DirectoryStore& directory;
  RoutingStore& routing_store;
  Hub& hub;
  Env& env;
  DispatcherOptions opt;
  asio::io_context io;
  asio::executor_work_guard<asio::io_context::executor_type> work{io.get_executor()};
  asio::steady_timer ticker{io};
  std::map<Id, Space> spaces;
  std::atomic<bool> stopped{false};
  std::thread thread;
  DispatcherPeers peers;
  // When each followed workspace's lease lapses (0: not held), copied from the
  // spaces for Dispatcher::leads on other threads.
  std::mutex held_mu;
  std::map<Id, Millis> held_until;

  Impl(ConversationStore& c, DirectoryStore& d, RoutingStore& r, Hub& h, Env& e,
       DispatcherOptions o)
      : conversations(c), directory(d), routing_store(r), hub(h), env(e), opt(o) {
    if (opt.manual) return;
    schedule_tick();
    thread = std::thread([this] { io.run(); });
  }

  std::size_t drain() {
    io.restart();
    return io.poll();
  }

  // Runs fn on the dispatcher thread and waits for it. Once stopped, answers
  // 503 instead of waiting for a thread that will not run it.
  template <class Fn>
  auto sync(Fn fn) -> decltype(fn()) {
    if (opt.manual) {  // the caller is the dispatcher's thread
      drain();
      return fn();
    }
    auto task = std::make_shared<std::packaged_task<decltype(fn())()>>(std::move(fn));
    auto result = task->get_future();
    asio::post(io, [task] { (*task)(); });
    while (result.wait_for(std::chrono::milliseconds(100)) != std::future_status::ready)
      if (stopped.load()) throw HttpError(503, "unavailable", "the server is shutting down");
    return result.get();
  }

  template <class Fn>
  void later(Fn fn) {
    asio::post(io, [this, fn = std::move(fn)]() mutable {
      try {
        fn();
      } catch (const std::exception& e) {
        log_json({{"level", "error"}, {"msg", "routing failed"}, {"error", e.what()}});
      }
    });
  }

  void schedule_tick() {
    ticker.expires_after(std::chrono::milliseconds(opt.tick_ms));
    ticker.async_wait([this](boost::system::error_code ec) {
      if (ec) return;
      tick_all();
      schedule_tick();
    });
  }

  void tick_all() {
    for (auto& [ws, s] : spaces) {
      try {
        tick(ws, s);
      } catch (const std::exception& e) {
        log_json({{"level", "error"}, {"msg", "routing tick failed"}, {"error", e.what()}});
      }
    }
  }

  // ------------------------------------------------------------ loading

  Space& space(Id ws) {
    auto [it, fresh] = spaces.try_emplace(ws);
    if (fresh) {
      for (auto& m : it->second.mean_handle) m = static_cast<double>(opt.default_handle_ms);
      reload(ws, it->second);
    }
    return it->second;
  }

  routing::Task task_of(const Space& s, const Conversation& c) {
    routing::Task t;
    t.id = c.id;
    t.channel = static_cast<Channel>(channel_index(c.kind));
    t.arrived_at = c.queued_at;
    t.priority = c.priority;
    t.team = c.team_id;
    if (auto in = s.inboxes.find(c.inbox_id); in != s.inboxes.end()) {
      const auto& r = in->second.routing;
      t.priority += r.priority;
      if (!t.team) t.team = r.team;
      for (const auto& rule : r.rules)
        if (rule_matches(rule, c)) t.required.push_back({rule.skill, rule.min_level});
      t.fallback = {seconds_or_never(r.widen_skills_after_s),
                    seconds_or_never(r.widen_team_after_s), seconds_or_never(r.overflow_after_s)};
    }
    if (const auto* old = s.engine.task(c.id)) t.declined_by = old->declined_by;
    // Nobody is offered what they may not see: as if they had declined it.
    for (const auto& [agent, scope] : s.scoped)
      if (!scope.covers(c.inbox_id, t.team, std::nullopt, agent)) t.declined_by.insert(agent);
    return t;
  }

  // Rebuilds the engine from the database, keeping what only this process
  // knows: live offers, declines, idle times, overflowed conversations.
  void reload(Id ws, Space& s) {
    Millis now = env.now_ms();
    auto started = std::chrono::steady_clock::now();  // its real cost, not virtual time
    s.inboxes.clear();
    for (auto& in : directory.list_inboxes(ws)) s.inboxes[in.id] = in;
    routing::RoutingEngine next;
    auto agents = directory.list_agents(ws);
    if (leads(s) && expire_vanished(ws, s, agents, now)) agents = directory.list_agents(ws);
    s.scoped.clear();
    for (const auto& a : agents) {
      if (a.role != "admin" && !a.scope.unrestricted()) s.scoped[a.id] = a.scope;
      auto r = engine_agent(a);
      if (const auto* old = s.engine.agent(a.id)) r.idle_since = old->idle_since;
      next.upsert_agent(r);
    }
    for (const auto& [agent, load] : routing_store.agent_loads(ws))
      for (std::size_t c = 0; c < kChannels; ++c)
        next.set_load(agent, static_cast<Channel>(c), load[c], now);
    for (const auto& [conv, offer] : s.offers) {
      const auto* a = next.agent(offer.agent);
      if (a)
        next.set_load(offer.agent, offer.task.channel, a->load[idx(offer.task.channel)] + 1, now);
    }
    s.held.clear();
    s.inbox_of.clear();
    for (const auto& c : routing_store.open_for_routing(ws)) {
      s.version[c.id] = std::max(s.version[c.id], c.version);
      s.inbox_of[c.id] = c.inbox_id;
      if (c.assignee_id) {
        s.held[c.id] = {*c.assignee_id, c.updated_at};
      } else if (!s.offers.contains(c.id) && !s.overflowed.contains(c.id) && !c.bot_active()) {
        next.enqueue(task_of(s, c));
      }
    }
    s.engine = std::move(next);
    s.reconciled_at = now;
    auto took = std::chrono::duration_cast<std::chrono::milliseconds>(
                    std::chrono::steady_clock::now() - started)
                    .count();
    s.reconcile_every = std::max<Millis>(opt.reconcile_ms, 20 * took);
  }

  static std::size_t idx(Channel c) { return static_cast<std::size_t>(c); }

  // ------------------------------------------------------------ the lease

  bool leads(const Space& s) const {
    return opt.lease_holder.empty() || (s.fence && env.now_ms() < s.lease_until);
  }

  // Takes or renews the lease every third of its ttl. A node that cannot tell
  // (the database failing) stops deciding: a lease it cannot renew lapses.
  void keep_lease(Id ws, Space& s, Millis now) {
    if (opt.lease_holder.empty()) return;
    if (s.fence && now < s.lease_until - 2 * opt.lease_ttl_ms / 3) return;
    if (!s.fence && now - s.lease_tried_at < opt.lease_ttl_ms / 3) return;
    s.lease_tried_at = now;
    std::optional<std::int64_t> token;
    try {
      token = routing_store.take_routing_lease(ws, opt.lease_holder, opt.lease_ttl_ms);
    } catch (const std::exception& e) {
      log_json({{"level", "warn"}, {"msg", "routing lease not renewed"}, {"error", e.what()}});
    }
    if (!token) {
      if (s.fence) lose_lease(ws, s, now);
      return;
    }
    bool gained = s.fence != token;
    s.fence = token;
    s.lease_until = now + opt.lease_ttl_ms;
    publish_held(ws, s.lease_until);
    if (!gained) return;
    log_json({{"level", "info"},
              {"msg", "routing lease taken"},
              {"workspace", ws},
              {"token", *token},
              {"node", opt.lease_holder}});
    reload(ws, s);  // the previous leader's decisions are in the database
    request_pass(ws);
  }

  void lose_lease(Id ws, Space& s, Millis now) {
    log_json({{"level", "warn"},
              {"msg", "routing lease lost"},
              {"workspace", ws},
              {"node", opt.lease_holder}});
    s.fence.reset();
    s.lease_until = 0;
    publish_held(ws, 0);
    std::vector<Id> offered;
    for (const auto& [conv, o] : s.offers) offered.push_back(conv);
    for (Id conv : offered) withdraw_offer(ws, s, conv, now);
    reload(ws, s);
  }

  void release_leases() {
    if (opt.lease_holder.empty()) return;
    for (auto& [ws, s] : spaces) {
      if (!s.fence) continue;
      try {
        routing_store.release_routing_lease(ws, opt.lease_holder);
      } catch (const std::exception& e) {
        log_json({{"level", "warn"}, {"msg", "routing lease not released"}, {"error", e.what()}});
      }
      s.fence.reset();
      publish_held(ws, 0);
    }
  }

  void publish_held(Id ws, Millis until) {
    std::lock_guard lock(held_mu);
    held_until[ws] = until;
  }

  // Dispatcher::leads: a workspace not followed yet is followed from now on
  // and its lease tried at once (the other services wait for it, not a tick).
  bool leads_now(Id ws) {
    if (opt.lease_holder.empty()) return true;
    {
      std::lock_guard lock(held_mu);
      auto [it, fresh] = held_until.try_emplace(ws, 0);
      if (!fresh) return env.now_ms() < it->second;
    }
    if (!stopped.load())
      later([this, ws] {
        Space& s = space(ws);
        keep_lease(ws, s, env.now_ms());
      });
    return false;
  }

  // ------------------------------------------------------------ events

  void changed(const Conversation& c) {
    auto it = spaces.find(c.workspace_id);
    if (it == spaces.end()) {
      space(c.workspace_id);  // loads the current state, this change included
      request_pass(c.workspace_id);
      return;
    }
    Space& s = it->second;
    auto& seen = s.version[c.id];
    // Older than one already applied, or the same version again: a message or
    // receipt, which never changes routing (assignment, status, priority,
    // team and reopening all bump the version). Chats stay cheap to route.
    if (c.version <= seen) return;
    seen = c.version;
    Millis now = env.now_ms();
    bool open = c.status == ConversationStatus::kOpen;
    if (open)
      s.inbox_of[c.id] = c.inbox_id;
    else
      s.inbox_of.erase(c.id);
    auto ch = static_cast<Channel>(channel_index(c.kind));
    Id was = 0, is = open && c.assignee_id ? *c.assignee_id : 0;  // 0: nobody
    if (auto h = s.held.find(c.id); h != s.held.end()) was = h->second.agent;
    if (was != is) {
      if (was) {
        if (!open) record_handle_time(s, ch, now - s.held[c.id].since);
        s.engine.release(was, ch, now);
        s.held.erase(c.id);
      }
      if (is) {
        const auto* a = s.engine.agent(is);
        if (a) s.engine.set_load(is, ch, a->load[idx(ch)] + 1, now);
        s.held[c.id] = {is, now};
      }
    }
    if (!open || c.assignee_id || c.bot_active()) {  // the bot's chats wait for its handoff
      s.engine.cancel(c.id);
      withdraw_offer(c.workspace_id, s, c.id, now);
      if (!open) {
        s.overflowed.erase(c.id);
        s.version.erase(c.id);
      }
    } else if (!s.offers.contains(c.id) && !s.overflowed.contains(c.id)) {
      s.engine.enqueue(task_of(s, c));
    }
    request_pass(c.workspace_id);
  }

  void record_handle_time(Space& s, Channel ch, Millis took) {
    auto& m = s.mean_handle[idx(ch)];
    m = 0.8 * m + 0.2 * static_cast<double>(std::max<Millis>(took, 1000));
  }

  void withdraw_offer(Id ws, Space& s, Id conv, Millis now) {
    auto it = s.offers.find(conv);
    if (it == s.offers.end()) return;
    s.engine.release(it->second.agent, it->second.task.channel, now);
    hub.to_agent(ws, it->second.agent, {{"type", "offer_withdrawn"}, {"conversation_id", conv}});
    s.offers.erase(it);
  }

  void refresh_agent(Id ws, Space& s, Id agent_id) {
    auto a = directory.get_agent(ws, agent_id);
    Millis now = env.now_ms();
    if (!a) {
      s.engine.remove_agent(agent_id);
      return;
    }
    auto r = engine_agent(*a);
    if (const auto* old = s.engine.agent(a->id)) r.idle_since = old->idle_since;
    bool routable = r.routable;
    r.routable = s.engine.agent(a->id) && s.engine.agent(a->id)->routable;
    s.engine.upsert_agent(r);
    s.engine.set_routable(a->id, routable, now);
    if (!routable) {  // offers to someone who left are passed on
      std::vector<Id> theirs;
      for (const auto& [conv, o] : s.offers)
        if (o.agent == agent_id) theirs.push_back(conv);
      for (Id conv : theirs) decline_offer(ws, s, conv, now);
    }
    request_pass(ws);
  }

  // Presence is a heartbeat in the database (agent.last_seen), written by the
  // process holding the agent's sockets, so any process — or this one after a
  // restart — can tell an agent who vanished from one connected elsewhere.
  void presence(Id ws, Id agent, int sockets) {
    Space& s = space(ws);
    int before = s.sockets[agent];
    s.sockets[agent] = sockets;
    if (sockets == 0) return;
    directory.touch_agents(ws, {agent});
    if (sockets > before) {  // a reloaded console gets its live offers again
      resend_offers(ws, s, agent);
      if (peers.agent_connected) peers.agent_connected(ws, agent);
    }
  }

  void resend_offers(Id ws, const Space& s, Id agent) {
    for (const auto& [conv, o] : s.offers)
      if (o.agent == agent)
        if (auto c = conversations.get_conversation(ws, conv)) send_offer(ws, s, *c, o);
  }

  void send_offer(Id ws, const Space& s, const Conversation& conv, const Offer& o) {
    auto in = s.inboxes.find(conv.inbox_id);
    int timeout = in == s.inboxes.end() ? 30 : in->second.routing.offer_timeout_s;
    hub.to_agent(ws, o.agent,
                 {{"type", "offer"},
                  {"conversation", views::conversation(conv)},
                  {"expires_at", o.expires_at},
                  {"timeout_s", timeout}});
  }

  Millis heartbeat_every() const {
    return std::max<Millis>(opt.tick_ms, std::min<Millis>(opt.grace_ms / 3, 5'000));
  }

  void heartbeat(Id ws, Space& s, Millis now) {
    if (now - s.heartbeat_at < heartbeat_every()) return;
    s.heartbeat_at = now;
    std::vector<Id> here;
    for (const auto& [agent, n] : s.sockets)
      if (n > 0) here.push_back(agent);
    directory.touch_agents(ws, here);
  }

  // Online (or busy) agents who had a connection and have not been seen for
  // the grace period are set away and their chats requeued first. Agents who
  // never connected (API-only integrations) are left alone.
  bool expire_vanished(Id ws, Space& s, const std::vector<Agent>& agents, Millis now) {
    bool any = false;
    for (const auto& a : agents) {
      bool present = a.status == AgentStatus::kOnline || a.status == AgentStatus::kBusy;
      auto here = s.sockets.find(a.id);
      if (!present || a.last_seen == 0 || (here != s.sockets.end() && here->second > 0)) continue;
      if (now - a.last_seen < opt.grace_ms) continue;
      set_away_and_requeue(ws, s, a.id);
      any = true;
    }
    return any;
  }

  // ------------------------------------------------------------ decisions

  void request_pass(Id ws) {
    Space& s = spaces.at(ws);
    if (s.pass_pending) return;
    s.pass_pending = true;
    later([this, ws] {
      Space& sp = spaces.at(ws);
      sp.pass_pending = false;
      pass(ws, sp);
    });
  }

  void tick(Id ws, Space& s) {
    Millis now = env.now_ms();
    keep_lease(ws, s, now);
    std::vector<Id> lapsed;
    for (const auto& [conv, o] : s.offers)
      if (o.expires_at <= now) lapsed.push_back(conv);
    for (Id conv : lapsed) decline_offer(ws, s, conv, now);
    heartbeat(ws, s, now);
    if (now - s.reconciled_at >= s.reconcile_every) reload(ws, s);
    pass(ws, s);
  }

  void pass(Id ws, Space& s) {
    if (!leads(s)) return;  // the leader decides; this node keeps its queues for the figures
    Millis now = env.now_ms();
    for (const auto& t : s.engine.take_overflowed(now)) overflow(ws, s, t);
    for (const auto& a : s.engine.assign(now)) place(ws, s, a, now);
  }

  void place(Id ws, Space& s, const routing::Assignment& a, Millis now) {
    auto conv = conversations.get_conversation(ws, a.task);
    if (!conv) return;
    auto task = task_of(s, *conv);
    auto in = s.inboxes.find(conv->inbox_id);
    if (in != s.inboxes.end() && in->second.routing.mode == InboxRouting::Mode::kOffer) {
      Millis expires = now + in->second.routing.offer_timeout_s * 1000LL;
      s.offers[a.task] = {a.agent, expires, task};
      send_offer(ws, s, *conv, s.offers[a.task]);
      return;
    }
    claim(ws, s, task, a.agent, now, true);
  }

  // The conditional write. Losing it is normal with two processes: resync.
  // `fenced`: the dispatcher's own decision, refused if the lease moved; an
  // agent accepting an offer is theirs, and the claim's conditions suffice.
  std::optional<Conversation> claim(Id ws, Space& s, const routing::Task& task, Id agent,
                                    Millis now, bool fenced) {
    auto won = routing_store.claim(ws, task.id, agent, std::nullopt, {AuthorType::kSystem, 0, ""},
                                   "", {}, fenced ? s.fence : std::nullopt);
    if (!won && won.refused().why == Refusal::kFenced) {
      s.engine.release(agent, task.channel, now);
      lose_lease(ws, s, now);
      return std::nullopt;
    }
    if (!won) {
      log_json({{"level", "info"},
                {"msg", "routing claim lost"},
                {"conversation", task.id},
                {"agent", agent},
                {"reason", won.refused().reason}});
      s.engine.release(agent, task.channel, now);
      for (const auto& [id, load] : routing_store.agent_loads(ws))
        if (id == agent) s.engine.set_load(agent, task.channel, load[idx(task.channel)], now);
      auto fresh = conversations.get_conversation(ws, task.id);
      if (fresh && fresh->status == ConversationStatus::kOpen && !fresh->assignee_id)
        s.engine.enqueue(task);
      return std::nullopt;
    }
    s.held[won->id] = {agent, now};
    s.version[won->id] = std::max(s.version[won->id], won->version);
    return *won;
  }

  void decline_offer(Id ws, Space& s, Id conv, Millis now) {
    auto it = s.offers.find(conv);
    if (it == s.offers.end()) return;
    Offer o = it->second;
    s.offers.erase(it);
    s.engine.release(o.agent, o.task.channel, now);
    hub.to_agent(ws, o.agent, {{"type", "offer_withdrawn"}, {"conversation_id", conv}});
    o.task.declined_by.insert(o.agent);
    auto c = conversations.get_conversation(ws, conv);
    if (c && c->status == ConversationStatus::kOpen && !c->assignee_id) s.engine.enqueue(o.task);
    request_pass(ws);
  }

  void overflow(Id ws, Space& s, const routing::Task& t) {
    s.overflowed.insert(t.id);
    NewEvent e{ws,
               t.id,
               "system",
               {AuthorType::kSystem, 0, ""},
               "All our agents are still busy. You can keep waiting here, or leave your phone "
               "number and we will call you back.",
               "overflow",
               {}};
    e.notice = Notice{"", "overflow", {}}.json();
    conversations.append_event(e);
  }

  void set_away_and_requeue(Id ws, Space& s, Id agent) {
    auto a = directory.get_agent(ws, agent);
    if (!a || a->status == AgentStatus::kOffline || a->status == AgentStatus::kAway) return;
    directory.set_agent_status(ws, agent, AgentStatus::kAway, a->custom_status);
    refresh_agent(ws, s, agent);
    std::vector<Id> theirs;
    for (const auto& [conv, h] : s.held)
      if (h.agent == agent) theirs.push_back(conv);
    for (Id conv : theirs) {
      auto c = conversations.get_conversation(ws, conv);
      if (!c || c->ticket) continue;  // tickets (e-mail, offline forms) wait for them
      // Refused if it changed meanwhile: that change is routed instead.
      [[maybe_unused]] auto back = routing_store.requeue(
          ws, conv, agent, c->priority + kRequeueBoost, c->team_id,
          {a->name + " was disconnected; the conversation is back in the queue "
                     "and will be answered first.",
           "agent_disconnected",
           {{"agent", a->name}}},
          s.fence);
    }
    log_json({{"level", "info"}, {"msg", "agent vanished"}, {"agent", agent}});
  }

  // In a cluster, on a node that does not lead the workspace's routing: what
  // lives in the leader's memory (offers) is asked of it.
  bool follows(Id ws);
  std::optional<json::object> forward(const Actor& agent, Id conv, const char* op);

  // ------------------------------------------------------------ views

  std::optional<Millis> estimate(const Space& s, Channel ch, int ahead) const {
    return routing::estimate_wait(ahead, s.engine.free_slots(ch), s.engine.busy_slots(ch),
                                  static_cast<Millis>(s.mean_handle[idx(ch)]));
  }

  // Only agents who could take this task count towards its estimate.
  std::optional<Millis> task_wait(const Space& s, const routing::Task& t, int ahead,
                                  Millis now) const {
    auto [free, busy] = s.engine.slots_for(t, now);
    return routing::estimate_wait(ahead, free, busy,
                                  static_cast<Millis>(s.mean_handle[idx(t.channel)]));
  }

  static json::value seconds(std::optional<Millis> ms) {
    if (!ms) return nullptr;
    return (*ms + 999) / 1000;
  }

  QueueFigures figures() const {
    QueueFigures out;
    Millis now = env.now_ms();
    for (const auto& [ws, s] : spaces) {
      std::map<Id, QueueFigures::InboxQueue> per_inbox;
      for (const auto& [id, inbox] : s.inboxes) per_inbox[id] = {ws, id, 0, 0};
      for (const auto& [id, t] : s.engine.tasks()) {
        auto in = s.inbox_of.find(id);
        Id inbox = in == s.inbox_of.end() ? 0 : in->second;
        auto& q =
            per_inbox.try_emplace(inbox, QueueFigures::InboxQueue{ws, inbox, 0, 0}).first->second;
        ++q.waiting;
        q.oldest_wait_ms = std::max(q.oldest_wait_ms, now - t.arrived_at);
      }
      for (const auto& [id, q] : per_inbox) out.inboxes.push_back(q);
      out.offers.emplace_back(ws, static_cast<int>(s.offers.size()));
    }
    return out;
  }

  // A console open here, or (in a cluster) on another node: that node's
  // heartbeat in agent.last_seen is recent.
  bool connected(const Space& s, const Agent& a, Millis now) const {
    auto here = s.sockets.find(a.id);
    if (here != s.sockets.end() && here->second > 0) return true;
    return !opt.lease_holder.empty() && a.last_seen > 0 &&
           now - a.last_seen <= 2 * heartbeat_every();
  }

  json::object live_view(Id ws, Space& s) {
    Millis now = env.now_ms();
    json::array agents, queue, offers;
    for (const auto& a : directory.list_agents(ws)) {
      json::object load, cap;
      const auto* e = s.engine.agent(a.id);
      for (std::size_t c = 0; c < kChannels; ++c) {
        load[kChannelNames[c]] = e ? e->load[c] : 0;
        cap[kChannelNames[c]] = a.routing.capacity[c];
      }
      agents.push_back(
          {{"id", a.id},
           {"name", a.name},
           {"status", to_string(a.status)},
           {"custom_status_id", a.custom_status ? json::value(*a.custom_status) : nullptr},
           {"status_since", a.status_since},
           {"connected", connected(s, a, now)},
           {"load", load},
           {"capacity", cap},
           {"routable", e && e->routable}});
    }
    for (const auto& [id, t] : s.engine.tasks()) {
      int ahead = s.engine.position(id).value_or(0);
      json::array skills;
      for (const auto& r : t.required)
        skills.push_back({{"skill", r.skill}, {"min_level", r.min_level}});
      queue.push_back({{"conversation_id", id},
                       {"channel", kChannelNames[idx(t.channel)]},
                       {"priority", t.priority},
                       {"team_id", t.team ? json::value(*t.team) : nullptr},
                       {"required", skills},
                       {"waiting_s", (now - t.arrived_at) / 1000},
                       {"position", ahead + 1},
                       {"estimated_wait_s", seconds(task_wait(s, t, ahead, now))}});
    }
    for (const auto& [conv, o] : s.offers)
      offers.push_back(
          {{"conversation_id", conv}, {"agent_id", o.agent}, {"expires_at", o.expires_at}});
    json::object per_channel;
    for (std::size_t c = 0; c < kChannels; ++c)
      per_channel[kChannelNames[c]] =
          json::object{{"waiting", s.engine.waiting_on(static_cast<Channel>(c))},
                       {"free_slots", s.engine.free_slots(static_cast<Channel>(c))},
                       {"mean_handle_s", s.mean_handle[c] / 1000.0}};
    return {{"agents", agents},
            {"queue", queue},
            {"offers", offers},
            {"channels", per_channel},
            {"now", now}};
  }
};

Dispatcher::Dispatcher(ConversationStore& conversations, DirectoryStore& directory,
                       RoutingStore& routing, Hub& hub, Env& env, DispatcherOptions options)
    : impl_(std::make_unique<Impl>(conversations, directory, routing, hub, env, options)) {}

Dispatcher::~Dispatcher() {
  stop();
}

void Dispatcher::stop() {
  if (!impl_->thread.joinable()) return;
  try {  // another node takes over at once instead of waiting out the ttl
    impl_->sync([this] {
      impl_->release_leases();
      return 0;
    });
  } catch (const std::exception&) {
  }
  impl_->stopped = true;
  asio::post(impl_->io, [this] { impl_->ticker.cancel(); });
  impl_->work.reset();
  impl_->io.stop();
  impl_->thread.join();
}

std::size_t Dispatcher::drain() {
  return impl_->drain();
}

void Dispatcher::tick() {
  impl_->drain();
  impl_->tick_all();
  impl_->drain();
}

void Dispatcher::on_changes(const ChangeBatch& batch) {
  impl_->later([this, batch] {
    for (const auto& c : *batch)
      if (!c.receipts || c.event) impl_->changed(c.conversation);  // receipts never move work
  });
}

void Dispatcher::on_presence(Id ws, Id agent, int sockets) {
  impl_->later([this, ws, agent, sockets] { impl_->presence(ws, agent, sockets); });
}

void Dispatcher::agent_changed(Id ws, Id agent) {
  peer_routing_changed(ws, agent);
  if (impl_->peers.routing_changed) impl_->peers.routing_changed(ws, agent);
}

void Dispatcher::settings_changed(Id ws) {
  peer_routing_changed(ws, std::nullopt);
  if (impl_->peers.routing_changed) impl_->peers.routing_changed(ws, std::nullopt);
}

void Dispatcher::set_peers(DispatcherPeers peers) {
  impl_->peers = std::move(peers);
}

void Dispatcher::peer_routing_changed(Id ws, std::optional<Id> agent) {
  impl_->later([this, ws, agent] {
    auto& s = impl_->space(ws);
    if (agent) {
      impl_->refresh_agent(ws, s, *agent);
      return;
    }
    impl_->reload(ws, s);
    impl_->request_pass(ws);
  });
}

void Dispatcher::peer_agent_connected(Id ws, Id agent) {
  impl_->later([this, ws, agent] {
    auto it = impl_->spaces.find(ws);
    if (it != impl_->spaces.end()) impl_->resend_offers(ws, it->second, agent);
  });
}

void Dispatcher::resync() {
  impl_->later([this] {
    for (auto& [ws, s] : impl_->spaces) {
      impl_->reload(ws, s);
      impl_->request_pass(ws);
    }
  });
}

std::vector<Id> Dispatcher::leading() {
  return impl_->sync([&] {
    std::vector<Id> out;
    for (const auto& [ws, s] : impl_->spaces)
      if (s.fence && impl_->leads(s)) out.push_back(ws);
    return out;
  });
}

bool Dispatcher::leads(Id ws) {
  return impl_->leads_now(ws);
}

json::object Dispatcher::answer_peer(Id ws, const json::object& request) {
  Actor agent;
  agent.workspace_id = ws;
  agent.agent_id = json_int(request, "agent").value_or(0);
  Id conv = json_int(request, "conversation").value_or(0);
  auto op = json_string(request, "op").value_or("");
  try {
    bool here = impl_->sync([&] { return impl_->leads(impl_->space(ws)); });
    if (!here) return {{"status", 503}, {"code", "not_leader"}, {"message", "not the leader"}};
    if (op == "live") return {{"ok", true}, {"live", live(ws)}};
    if (op == "accept")
      accept(agent, conv);
    else if (op == "decline")
      decline(agent, conv);
    else
      return {{"status", 400}, {"code", "bad_request"}, {"message", "unknown operation"}};
    return {{"ok", true}};
  } catch (const HttpError& e) {
    return {{"status", e.status}, {"code", e.code}, {"message", e.what()}};
  }
}

// Offers live in the leader's memory: another node's agent accepts or declines
// through it. An answer of "not the leader" (the lease just moved) is a 503
// the console retries; the new leader offers again anyway.
bool Dispatcher::Impl::follows(Id ws) {
  return !opt.lease_holder.empty() && peers.ask_leader && !sync([&] { return leads(space(ws)); });
}

std::optional<json::object> Dispatcher::Impl::forward(const Actor& agent, Id conv, const char* op) {
  if (!follows(agent.workspace_id)) return std::nullopt;
  auto answer = peers.ask_leader(agent.workspace_id,
                                 {{"op", op}, {"agent", agent.agent_id}, {"conversation", conv}});
  if (!answer) throw HttpError(503, "unavailable", "the routing leader did not answer; try again");
  if (answer->contains("ok")) return answer;
  auto status = static_cast<int>(json_int(*answer, "status").value_or(503));
  throw HttpError(status, json_string(*answer, "code").value_or("unavailable"),
                  json_string(*answer, "message").value_or("the routing leader refused"));
}

Conversation Dispatcher::accept(const Actor& agent, Id conv) {
  if (impl_->forward(agent, conv, "accept")) {
    auto c = impl_->conversations.get_conversation(agent.workspace_id, conv);
    if (!c) throw HttpError(404, "not_found", "conversation not found");
    return *c;
  }
  return impl_->sync([&]() -> Conversation {
    auto& s = impl_->space(agent.workspace_id);
    auto it = s.offers.find(conv);
    if (it == s.offers.end() || it->second.agent != agent.agent_id)
      throw HttpError(409, "conflict", "no open offer of this conversation for you (it expired?)");
    auto task = it->second.task;
    s.offers.erase(it);
    Millis now = impl_->env.now_ms();
    auto c = impl_->claim(agent.workspace_id, s, task, agent.agent_id, now, false);
    if (!c) throw HttpError(409, "conflict", "the conversation was taken meanwhile");
    return *c;
  });
}

void Dispatcher::decline(const Actor& agent, Id conv) {
  if (impl_->forward(agent, conv, "decline")) return;
  impl_->sync([&] {
    auto& s = impl_->space(agent.workspace_id);
    auto it = s.offers.find(conv);
    if (it == s.offers.end() || it->second.agent != agent.agent_id)
      throw HttpError(409, "conflict", "no open offer of this conversation for you (it expired?)");
    impl_->decline_offer(agent.workspace_id, s, conv, impl_->env.now_ms());
  });
}

// Offers live in the leader's memory, so in a cluster the leader draws the
// view; this node's own (its queues, no offers) when the leader is silent.
json::object Dispatcher::live(Id ws) {
  auto& i = *impl_;
  if (i.follows(ws))
    if (auto answer = i.peers.ask_leader(ws, {{"op", "live"}});
        answer && answer->contains("live") && answer->at("live").is_object())
      return answer->at("live").as_object();
  return i.sync([&] { return i.live_view(ws, i.space(ws)); });
}

json::object Dispatcher::queue_info(Id ws, Id conv) {
  return impl_->sync([&]() -> json::object {
    auto& s = impl_->space(ws);
    const auto* t = s.engine.task(conv);
    if (!t) return {{"position", nullptr}, {"estimated_wait_s", nullptr}};
    int ahead = s.engine.position(conv).value_or(0);
    return {
        {"position", ahead + 1},
        {"estimated_wait_s", Impl::seconds(impl_->task_wait(s, *t, ahead, impl_->env.now_ms()))}};
  });
}

QueueFigures Dispatcher::queue_figures() {
  return impl_->sync([&] { return impl_->figures(); });
}

json::value Dispatcher::new_chat_wait(Id ws) {
  return impl_->sync([&] {
    auto& s = impl_->space(ws);
    return Impl::seconds(impl_->estimate(s, Channel::kChat, s.engine.waiting_on(Channel::kChat)));
  });
}

}  // namespace sb
