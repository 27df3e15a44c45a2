// The public header of sla_runner/: SLA in the running server, around the pure
// rules of sla/. It reads a ticket's clocks from its events on every request (a
// ticket costs microseconds), keeps the workspace's policies parsed, builds the SLA
// report, keeps each ticket's watch (sla::watch: when it is breaching soon, when it
// is due) in the store for the ticket lists, and runs the timer that acts:
// escalations (notify the assignee or the supervisors, raise the priority, back to
// the queue or to a team) and ticket automation (remind a customer we wait for
// once, close pending and solved tickets after their days, the 24 h follow-up of a
// chat turned ticket).
//
// The timeline. Customer messages, public agent replies, internal notes, and
// system events whose notice code is `ticket_status` (args.status) or
// `ticket_priority` (args.priority) — what set_ticket_status and a priority
// change write. Bot answers and system messages are neither side's reply.
//
// Every action is one store write with its key (`SlaStore::take_sla_action`):
// the action, the timeline event that records it and the key commit together,
// so a restart, a second process or a replayed change cannot repeat it. Keys:
// an escalation's own key (sla/), `remind:<since>`, `close_pending:<since>`,
// `close_solved:<since>` (since: when the ticket entered that status, so a
// ticket that goes pending again gets a new reminder) and `follow_up`.
//
// The timer sleeps until the earliest due instant of any live ticket (at most
// `max_sleep_ms`), and wakes early for committed changes to tickets (their
// clocks moved). In a cluster only the node that leads a workspace (holds its
// routing lease) acts for it and keeps its watches; the others skip it, look
// every `follow_ms` whether they lead it now, and scan it whole when they do. Time is the Env's:
// with `manual`, there is no thread and a test calls run_due() after moving a TestEnv's clock.
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "env/env.h"
#include "realtime/realtime.h"
#include "sla/sla.h"
#include "store/store.h"

namespace sb {

struct SlaDeps {
  SlaStore& sla;
  ConversationStore& conversations;
  DirectoryStore& directory;
  Hub& hub;
  TimeZones& zones;
  Env& env;
};

struct SlaOptions {
  Millis max_sleep_ms = 60'000;  // the longest the timer sleeps without looking
  bool manual = false;           // no thread: the caller runs run_due()
  int max_live_tickets = 5000;   // per workspace and pass
  // Cluster: whether this node acts for a workspace now (unset: always), and
  // how often a node that skipped one asks again.
  std::function<bool(Id workspace)> leads;
  Millis follow_ms = 1'000;
  // Cluster: a policy, the automation or an inbox's hours changed here; the
  // other nodes' services should forget what they cached (changed_elsewhere).
  std::function<void(Id workspace)> changed;
};

// A policy as stored: its id and position with the parsed rules.
struct StoredPolicy {
  SlaPolicyRow row;
  sla::Policy policy;
};

class SlaService {
 public:
  SlaService(SlaDeps deps, SlaOptions options = {});
  ~SlaService();
  SlaService(const SlaService&) = delete;
  SlaService& operator=(const SlaService&) = delete;

  void start();
  void stop();
  void on_changes(const ChangeBatch& batch);  // the writer thread: only queues

  // Policies. Throws std::invalid_argument (the field, in words) on a bad policy;
  // StoreError kNotFound for an unknown id (another workspace's too).
  std::vector<StoredPolicy> policies(Id workspace);
  StoredPolicy save_policy(Id workspace, Id id, const boost::json::value& body,
                           std::optional<int> position);
  void delete_policy(Id workspace, Id id);
  sla::AutomationSettings automation(Id workspace);
  sla::AutomationSettings save_automation(Id workspace, const boost::json::value& body);

  // {policy, hours, first_response{...}, next_response{...}, resolution{...}, badge,
  //  status, priority}; {policy: null, badge: "none"} when no policy applies.
  boost::json::object clocks(const Conversation& ticket);
  // Of the tickets the breaching-soon view listed (TicketView::kBreachingSoon, in its
  // order), those breaching soon now with their clocks. The view reads the watch
  // this service keeps; a change it has not read yet (an answer a moment ago) is
  // caught here, from the events.
  struct AtRisk {
    Conversation ticket;
    boost::json::object clocks;
    Millis due_at = 0;
  };
  std::vector<AtRisk> at_risk(const std::vector<Conversation>& listed);
  // Every live ticket of the workspace looked at again (its inboxes' hours changed).
  void rescan(Id workspace);
  // Another node saved policies, automation or hours: cached ones are dropped
  // and the workspace looked at again (without telling the others back).
  void changed_elsewhere(Id workspace);
  // Breaches by policy, metric and priority, first-response percentiles, achieved
  // share per metric, over tickets created in [from, to).
  boost::json::object report(Id workspace, Millis from, Millis to);

  // The timer's actions since start: taken here, and refused because they were
  // taken already (a restart, a replayed change, another node). For /metrics.
  struct Figures {
    std::uint64_t taken = 0, refused = 0;
  };
  Figures figures() const;

  // One pass of the timer over what is due (every live ticket the first time);
  // returns the next due instant (sla::kNever: nothing).
  Millis run_due();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace sb
