// The public header of realtime/: realtime fan-out. The store's change listener feeds it in
// commit order; it turns changes into frames and hands them to connected
// clients. Thread-safe; deliver() must not block (clients queue and return).
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <unordered_set>

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
  void to_conversation_agents(Id conversation, const boost::json::object& frame);
  // Closes the agent's sockets but those of session `keep` (sessions ended:
  // password changed, signed out elsewhere, deactivated).
  void disconnect_agent(Id workspace, Id agent, const std::string& keep = "");
  // Told whenever an agent's number of open sockets here changes (routing presence).
  // Set once before serving; called with the hub's lock held, so it must only post.
  std::function<void(Id workspace, Id agent, int sockets)> on_presence;

 private:
  int agent_sockets(Id workspace, Id agent) const;  // lock held
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
