// Private to sla_runner/: SlaService's state, shared by its files (service.cc:
// policies, clocks, reports; runner.cc: the timer; actions.cc: what it does).
#pragma once

#include <atomic>
#include <condition_variable>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "sla_runner/sla_runner.h"
#include "sla_runner/timeline.h"

namespace sb {

struct SlaService::Impl {
  SlaDeps deps;
  SlaOptions options;

  // Parsed policies and settings by workspace; dropped when an admin saves.
  std::mutex cache_mu;
  std::map<Id, std::vector<StoredPolicy>> policy_cache;
  std::map<Id, sla::AutomationSettings> automation_cache;

  // The timer: next due instant per ticket, tickets to look at again, workspaces
  // to scan whole (at start, after a policy or settings change).
  std::mutex mu;
  std::condition_variable wake;
  std::map<std::pair<Id, Id>, Millis> due;  // (workspace, ticket) -> instant
  std::set<std::pair<Id, Id>> dirty;
  std::set<Id> rescan;
  std::set<Id> skipped;  // led by another node: scanned whole once this one leads
  std::atomic<std::uint64_t> taken{0}, refused{0};
  bool scanned_all = false, stopping = false;
  std::thread worker;

  Impl(SlaDeps d, SlaOptions o) : deps(d), options(o) {}

  std::vector<StoredPolicy> policies(Id ws);
  sla::AutomationSettings automation(Id ws);
  void forget(Id ws);   // cache dropped, workspace rescanned
  void changed(Id ws);  // forget, and tell the other nodes
  bool leads(Id ws) const { return !options.leads || options.leads(ws); }

  // A ticket read for the rules: its facts, the policy that applies (or none),
  // the calendar, the keys of the actions taken.
  struct Loaded {
    Conversation ticket;
    sla_runner::TicketFactsRead read;
    std::optional<sla::Policy> policy;
    sla::Calendar calendar = sla::Calendar::always_open();
    std::set<std::string> done;
  };
  Loaded load(const Conversation& ticket, bool with_keys);
  sla::Calendar calendar(Id ws, Id inbox);

  // runner.cc
  Millis process(const Conversation& ticket, Millis now);  // acts; returns the next due
  void keep_watch(const Conversation& ticket, std::optional<sla::Watch> w);
  Millis pass();  // SlaService::run_due
  void skip_others(std::set<Id>& scan, std::set<std::pair<Id, Id>>& look);
  void run();  // the worker thread
  // actions.cc
  bool escalate(const Loaded& t, const sla::Escalation& e, sla::Badge now);
  bool automate(const Loaded& t, const sla::Automation& a);
  bool take(const SlaActionWrite& w);  // the store's write, counted
};

}  // namespace sb
