// The public header of acd/: the ACD. Feeds the routing core (routing/) from the
// store's committed changes and agent presence, and turns its decisions into
// conditional writes (Store::claim) or offers an agent accepts or declines.
//
// The database stays the truth: the engine is a cache of it per workspace,
// rebuilt on start and every few seconds (another process may share the
// database), and a lost race (claim conflict) only resynchronises it.
//
// Threading: everything runs on the dispatcher's own thread. Events post to
// it and return; the synchronous calls (accept, live, estimates) wait for it,
// so they must never be called from that thread.
#pragma once

#include <functional>
#include <memory>
#include <optional>

#include "api/api.h"
#include "env/env.h"
#include "realtime/realtime.h"

namespace sb {

struct DispatcherOptions {
  Millis tick_ms = 500;                // offers, grace periods and fallbacks are checked this often
  Millis reconcile_ms = 5'000;         // full resync with the database
  Millis grace_ms = 60'000;            // an agent without sockets this long is set away
  Millis default_handle_ms = 300'000;  // handle time assumed before any was measured
  // No thread and no ticker: whoever drives it (a test in virtual time) calls
  // drain() and tick(), and the synchronous calls run on their thread.
  bool manual = false;
  // Several nodes: this node's name as the routing lease's holder. Only the
  // holder of a workspace's lease decides for it (routes, offers, sets vanished
  // agents away), and its claims carry the lease's fencing token. Empty: no
  // lease, this process decides (a single node).
  std::string lease_holder;
  Millis lease_ttl_ms = 3'000;  // renewed every third of it; a dead holder's lapses after it
};

// How a dispatcher reaches the dispatchers of other nodes (the cluster's bus).
struct DispatcherPeers {
  // Routing changed here (an agent's status or profile, settings): the others re-read it.
  std::function<void(Id workspace, std::optional<Id> agent)> routing_changed;
  // An agent's sockets here went up: the leader re-sends their live offers.
  std::function<void(Id workspace, Id agent)> agent_connected;
  // Asks the workspace's leader to run `request` ({"op": "accept"|"decline",
  // "agent", "conversation"}); its answer ({"ok"} or {"status","code","message"}),
  // or nullopt when no leader answered in time.
  std::function<std::optional<boost::json::object>(Id workspace, const boost::json::object&)>
      ask_leader;
};

// What /metrics shows of the queues: per inbox of every workspace this process
// routes, the conversations waiting for an agent (not yet offered) and how long
// the oldest has waited; per workspace, offers sent and not yet answered. In a
// cluster every node rebuilds the same queues from the database, so a dashboard
// takes the max over nodes, not the sum.
struct QueueFigures {
  struct InboxQueue {
    Id workspace = 0, inbox = 0;
    int waiting = 0;
    Millis oldest_wait_ms = 0;
  };
  std::vector<InboxQueue> inboxes;
  std::vector<std::pair<Id, int>> offers;  // workspace, outstanding offers
};

// The handlers' calls (LiveRouting, api/context.h) plus what the server feeds it.
class Dispatcher final : public LiveRouting {
 public:
  Dispatcher(ConversationStore& conversations, DirectoryStore& directory, RoutingStore& routing,
             Hub& hub, Env& env, DispatcherOptions options);
  ~Dispatcher() override;
  void stop();

  // Manual mode only: runs the queued events (returns how many ran), or a tick
  // (offer timeouts, heartbeats, resync, a routing pass) and what it queued.
  std::size_t drain();
  void tick();

  // Events (non-blocking).
  void on_changes(const ChangeBatch& batch);
  void on_presence(Id workspace, Id agent, int sockets);
  void agent_changed(Id workspace, Id agent) override;
  void settings_changed(Id workspace) override;

  Conversation accept(const Actor& agent, Id conversation) override;
  void decline(const Actor& agent, Id conversation) override;
  boost::json::object live(Id workspace) override;
  boost::json::object queue_info(Id workspace, Id conversation) override;
  boost::json::value new_chat_wait(Id workspace) override;
  // Waits for the dispatcher's thread; throws HttpError 503 once stopped.
  QueueFigures queue_figures();

  // Cluster: set once before serving.
  void set_peers(DispatcherPeers peers);
  // From another node: routing changed there; an agent connected there; the
  // bus came back (anything may have changed meanwhile). Non-blocking.
  void peer_routing_changed(Id workspace, std::optional<Id> agent);
  void peer_agent_connected(Id workspace, Id agent);
  void resync();
  // A request another node's ask_leader sent; the answer it waits for.
  boost::json::object answer_peer(Id workspace, const boost::json::object& request);
  // Workspaces whose lease this node holds (for /metrics).
  std::vector<Id> leading();
  // Whether this node decides for the workspace right now (alone: always).
  // Any thread, never waits for the dispatcher's: the timers and pollers of
  // other services ask it before acting. A workspace asked about for the first
  // time starts being followed, so its lease is tried at the next tick.
  bool leads(Id workspace);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace sb
