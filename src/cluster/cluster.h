// The public header of cluster/: what joins this node to the others through
// the bus (bus/). The database stays the truth; the bus only rings.
//
// Subjects, per workspace:
//   sb.<ws>.conv.<id>  a conversation changed; the payload names the seq it
//                      reached (a doorbell, not the data: receivers read
//                      events_after from the last seq they delivered)
//   sb.<ws>.hub        frames that are not stored: typing, offers for an agent,
//                      sign-outs, the number of agents online
//   sb.<ws>.routing    routing changed (an agent, the settings), an agent connected,
//                      SLA settings or an inbox's e-mail settings saved
//   sb.<ws>.ask        a request for the workspace's routing leader (accept, decline)
//   sb.reply.<node>    answers to this node's requests
// Every payload names the node that sent it; a node ignores its own.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "bus/bus.h"
#include "realtime/realtime.h"
#include "store/store.h"

namespace sb::cluster {

std::string conversation_subject(Id workspace, Id conversation);
std::string hub_subject(Id workspace);
std::string routing_subject(Id workspace);
std::string ask_subject(Id workspace);
std::string reply_subject(std::string_view node);
// A node id as one subject token: characters other than letters, digits, '-'
// and '_' become '_' (empty: "node").
std::string node_token(std::string_view node);

struct FeedStats {
  std::uint64_t doorbells = 0;    // from other nodes, handled
  std::uint64_t catch_ups = 0;    // conversations re-read after the bus came back
  std::uint64_t events_read = 0;  // events read from the database for doorbells
  std::uint64_t asks = 0;         // requests sent to a leader
  std::uint64_t ask_timeouts = 0;
  double lag_ms = 0;      // the last doorbell: from its commit to its delivery here
  double lag_ms_max = 0;  // the worst one so far
};

// What the feed calls besides the hub. Set at construction; each must not block
// long (they post to their own threads), but `answer`, which may wait for the
// dispatcher.
struct FeedHooks {
  std::function<void(const ChangeBatch&)> remote_changes;
  std::function<void(Id workspace, std::optional<Id> agent)> routing_changed;
  std::function<void(Id workspace, Id agent)> agent_connected;
  // A request for the leader: the answer, or nullopt when this node is not it.
  std::function<std::optional<boost::json::object>(Id workspace, const boost::json::object&)>
      answer;
  std::function<void()> reconnected;  // the bus came back: re-read what may have changed
  // Another node saved SLA policies, automation or hours; an inbox's e-mail
  // settings. Called on the bus thread: hand the work on, don't do it there.
  std::function<void(Id workspace)> sla_changed;
  std::function<void(Id workspace, Id inbox)> mail_changed;
};

// Rings other nodes after this node's commits and answers their rings. Event
// frames reach local clients in seq order with no gaps: a local commit whose
// seq is not the next one (another node committed in between, its doorbell
// still on the way) is delivered by reading the database from the last seq
// delivered here, like a doorbell. Its own thread does the reads.
class Feed {
 public:
  Feed(bus::Bus& bus, ConversationStore& store, Hub& hub, std::string node, FeedHooks hooks);
  ~Feed();
  void start();  // subscribes; call once the hooks' targets are running
  void stop();   // unsubscribes and joins the thread (idempotent)

  // After a COMMIT, in commit order: hands the batch to the hub here (see
  // above) and rings the other nodes.
  void committed(const ChangeBatch& batch);
  // Rings a conversation's doorbell for what is already committed: a resent
  // message the store had (the node that stored it may have died before ringing).
  void ring(const Conversation& conversation);
  // The hub's cluster hooks (Hub::on_broadcast, Hub::on_caught_up).
  void broadcast(Id workspace, const boost::json::object& message);
  void caught_up(Id workspace, Id conversation, std::int64_t seq);
  // The dispatcher's peers (DispatcherPeers).
  void routing_changed(Id workspace, std::optional<Id> agent);
  void agent_connected(Id workspace, Id agent);
  // The SLA service's and the mail channel's: their settings were saved here.
  void sla_changed(Id workspace);
  void mail_changed(Id workspace, Id inbox);
  std::optional<boost::json::object> ask_leader(Id workspace, const boost::json::object& request,
                                                std::chrono::milliseconds timeout);

  const std::string& node() const;
  FeedStats stats() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace sb::cluster
