// The public header of realtime/: realtime fan-out. The store's change listener feeds it in
// commit order; it turns changes into frames and hands them to connected
// clients. Thread-safe; deliver() must not block (clients queue and return).
//
// In a cluster a client's conversation may change on another node: that node's
// changes arrive through the bus (cluster/) and come in through on_change too.
// Frames that are not stored (typing, offers, sign-outs) reach the other nodes
// through on_broadcast, and theirs come in through apply_remote.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "store/store.h"

namespace sb {

class Metrics;

struct Outgoing {
  std::shared_ptr<const std::string> frame;
  Id conversation_id = 0;
  std::int64_t seq = 0;     // > 0 for event frames: clients use it to drop repeats
  Millis committed_at = 0;  // for the delivery latency histogram
  // A state frame (a conversation's list entry): a queued, unsent frame with the
  // same key is replaced in place, so a busy chat costs a slow reader one frame.
  Id replaces = 0;
};

class RealtimeClient {
 public:
  virtual ~RealtimeClient() = default;
  virtual void deliver(Outgoing out) = 0;
  virtual void disconnect() = 0;  // the credentials it opened with are no longer valid
  Id workspace_id = 0;
  bool is_agent = false;
  Id agent_id = 0;
  std::string visitor_id;
  std::string name;
  std::string session_hash;         // agents: the session the socket opened with
  std::optional<AgentScope> scope;  // agents limited to some inboxes or teams
};

class Hub {
 public:
  using ClientPtr = std::shared_ptr<RealtimeClient>;
  void add(const ClientPtr& c);
  void remove(const ClientPtr& c);
  void subscribe(const ClientPtr& c, Id conversation);
  void on_change(const Change& change);
  void typing(const RealtimeClient& from, Id conversation, bool typing);
  void agents_online(Id workspace, int count);
  // A frame for one agent's sockets (offers, mentions) or for every agent of a workspace.
  void to_agent(Id workspace, Id agent, const boost::json::object& frame);
  // A frame for the agents subscribed to a conversation (they were let in: no
  // scope check here), e.g. its complaint's new state.
  void to_conversation_agents(Id workspace, Id conversation, const boost::json::object& frame);
  // A frame for every agent whose scope covers the conversation: those viewing it
  // and those whose conversation list shows it (the visitor's current page).
  void to_covering_agents(const Conversation& conv, const boost::json::object& frame);
  // Closes the agent's sockets but those of session `keep` (sessions ended:
  // password changed, signed out elsewhere, deactivated).
  void disconnect_agent(Id workspace, Id agent, const std::string& keep = "");
  // Told whenever an agent's number of open sockets here changes (routing presence).
  // Set once before serving; called with the hub's lock held, so it must only post.
  std::function<void(Id workspace, Id agent, int sockets)> on_presence;

  // Cluster. Set once before serving; called without the hub's lock.
  // A message for the other nodes' hubs (typing, a frame for an agent...).
  std::function<void(Id workspace, const boost::json::object& message)> on_broadcast;
  // A client finished reading a conversation's backlog up to `seq`.
  std::function<void(Id workspace, Id conversation, std::int64_t seq)> on_caught_up;
  // What another node's on_broadcast sent: delivered to the clients here only.
  void apply_remote(Id workspace, const boost::json::object& message);
  void caught_up(Id workspace, Id conversation, std::int64_t seq);
  // Conversations with a client here, as (workspace, conversation).
  std::vector<std::pair<Id, Id>> subscribed();
  bool has_subscribers(Id conversation);

 private:
  int agent_sockets(Id workspace, Id agent) const;  // lock held
  void broadcast(Id workspace, const boost::json::object& message);
  void typing_here(Id conversation, bool agent, const std::string& name, bool typing,
                   const RealtimeClient* skip);
  void to_agent_here(Id workspace, Id agent, const boost::json::object& frame);
  void disconnect_agent_here(Id workspace, Id agent, const std::string& keep);
  void to_conversation_agents_here(Id conversation, const boost::json::object& frame);
  void to_covering_agents_here(Id workspace, Id inbox, std::optional<Id> team,
                               std::optional<Id> assignee, const boost::json::object& frame);
  void agents_online_here(Id workspace, int count);
  void send_to_conversation(Id conversation, const Outgoing& out, bool agents_only,
                            const RealtimeClient* skip);
  std::mutex mu_;
  std::unordered_map<Id, std::unordered_set<ClientPtr>> by_workspace_;
  std::unordered_map<Id, std::unordered_set<ClientPtr>>
      agents_by_workspace_;  // subset: on_change fans out to these
  std::unordered_map<Id, std::unordered_set<ClientPtr>> by_conversation_;
  std::unordered_map<RealtimeClient*, std::unordered_set<Id>> subscriptions_;
};

}  // namespace sb
