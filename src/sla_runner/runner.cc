// SlaService's timer: one thread that sleeps until the earliest due instant of
// any live ticket, then acts on what is due. Committed changes to tickets wake it
// (their clocks moved); a policy or settings change rescans the workspace. Each
// ticket it looks at leaves its watch (sla::watch) in the store for the lists.
#include <algorithm>

#include "http/http.h"
#include "sla_runner/impl.h"

namespace sb {
namespace {

void log_error(const char* what, Id id, const std::string& error) {
  log_json({{"level", "error"}, {"msg", what}, {"ticket", id}, {"error", error}});
}

}  // namespace

// Acts on what is due now (escalations, then one automation) and returns when
// this ticket next needs a look. An action writes an event, whose change brings
// the ticket back here: the next step (e.g. the escalation after a raised
// priority) is taken from the new state, never from a stale one.
Millis SlaService::Impl::process(const Conversation& ticket, Millis now) {
  if (!ticket.ticket || ticket.ticket->status == TicketStatus::kClosed) {
    keep_watch(ticket, std::nullopt);
    return sla::kNever;
  }
  auto t = load(ticket, true);
  Millis next = sla::kNever;
  if (!t.policy) keep_watch(ticket, std::nullopt);
  if (t.policy) {
    auto clocks = sla::compute_clocks(t.read.timeline, *t.policy, t.calendar, now);
    keep_watch(ticket, sla::watch(clocks));
    for (const auto& e : sla::escalations(*t.policy, clocks, t.done, now))
      if (escalate(t, e, sla::badge(clocks[e.metric], now)))
        return now;  // look again once its change is in
    if (auto at = sla::next_escalation_check(*t.policy, clocks, t.done, now))
      next = std::min(next, *at);
  }
  auto a = sla::next_automation(t.read.automation, automation(ticket.workspace_id), now);
  if (a.kind != sla::AutomationKind::kNone) {
    if (a.at <= now) {
      if (automate(t, a)) return now;
    } else {
      next = std::min(next, a.at);
    }
  }
  return next;
}

// The list's copy of the watch, written only when it changed: most changes to a
// ticket (a note, a tag) leave its instants where they were.
void SlaService::Impl::keep_watch(const Conversation& ticket, std::optional<sla::Watch> w) {
  TicketSlaWatch row{ticket.workspace_id, ticket.id, ticket.last_seq, std::nullopt, std::nullopt};
  if (w) {
    row.at_risk_at = w->at_risk_at;
    row.due_at = w->due_at;
  }
  auto stored = deps.sla.sla_watch(ticket.workspace_id, ticket.id);
  if (stored && stored->at_risk_at == row.at_risk_at && stored->due_at == row.due_at) return;
  if (stored && stored->basis_seq > row.basis_seq) return;  // computed from a later state
  deps.sla.set_sla_watch(row);
}

Millis SlaService::Impl::pass() {
  auto& s = *this;
  Millis now = s.deps.env.now_ms();
  std::set<std::pair<Id, Id>> look;
  std::set<Id> scan;
  {
    std::lock_guard lock(s.mu);
    look.swap(s.dirty);
    scan.swap(s.rescan);
    if (!s.scanned_all) {
      for (const auto& w : s.deps.directory.list_workspaces()) scan.insert(w.id);
      s.scanned_all = true;
    }
    for (auto it = s.due.begin(); it != s.due.end();)
      if (it->second <= now) {
        look.insert(it->first);
        it = s.due.erase(it);
      } else {
        ++it;
      }
  }
  s.skip_others(scan, look);
  std::vector<Conversation> tickets;
  for (Id ws : scan)
    for (auto& c : s.deps.sla.live_tickets(ws, s.options.max_live_tickets))
      tickets.push_back(std::move(c));
  for (const auto& [ws, id] : look)
    if (!scan.count(ws))
      if (auto c = s.deps.conversations.get_conversation(ws, id)) tickets.push_back(std::move(*c));
  std::map<std::pair<Id, Id>, Millis> found;
  for (const auto& c : tickets) {
    Millis next = sla::kNever;
    try {
      next = s.process(c, now);
    } catch (const std::exception& e) {
      log_error("sla: ticket not processed", c.id, e.what());
      next = now + s.options.max_sleep_ms;  // try again later, not in a loop
    }
    found[{c.workspace_id, c.id}] = next;
  }
  std::lock_guard lock(s.mu);
  for (const auto& [key, next] : found)
    if (next == sla::kNever)
      s.due.erase(key);
    else if (next > now)
      s.due[key] = next;
    else
      s.dirty.insert(key);  // acted: its change may come before this returns
  Millis earliest = sla::kNever;
  for (const auto& [key, at] : s.due) earliest = std::min(earliest, at);
  return earliest;
}

// In a cluster another node leads some workspaces: what was due there is left
// to it (dropped here), and a workspace skipped before that this node leads
// now (the leader stopped, or was killed and its lease lapsed) is scanned whole.
void SlaService::Impl::skip_others(std::set<Id>& scan, std::set<std::pair<Id, Id>>& look) {
  if (!options.leads) return;
  std::set<Id> before;
  {
    std::lock_guard lock(mu);
    before = skipped;
  }
  std::set<Id> asked = scan, others;
  asked.insert(before.begin(), before.end());
  for (const auto& key : look) asked.insert(key.first);
  for (Id ws : asked)
    if (!leads(ws))
      others.insert(ws);
    else if (before.count(ws))
      scan.insert(ws);
  for (Id ws : others) scan.erase(ws);
  std::erase_if(look, [&](const auto& key) { return others.count(key.first) > 0; });
  std::lock_guard lock(mu);
  for (Id ws : before) skipped.erase(ws);
  skipped.insert(others.begin(), others.end());
  std::erase_if(due, [&](const auto& entry) { return others.count(entry.first.first) > 0; });
}

void SlaService::Impl::run() {
  std::unique_lock lock(mu);
  while (!stopping) {
    lock.unlock();
    Millis next = sla::kNever;
    try {
      next = pass();
    } catch (const std::exception& e) {  // the database is busy or gone: try again later
      log_error("sla: pass failed", 0, e.what());
      next = deps.env.now_ms() + options.max_sleep_ms;
    }
    lock.lock();
    if (stopping) break;
    if (!dirty.empty() || !rescan.empty()) continue;
    Millis wait = options.max_sleep_ms;
    if (next != sla::kNever) wait = std::clamp<Millis>(next - deps.env.now_ms(), 0, wait);
    if (!skipped.empty()) wait = std::min(wait, options.follow_ms);  // does it lead them now?
    wake.wait_for(lock, std::chrono::milliseconds(wait),
                  [&] { return stopping || !dirty.empty() || !rescan.empty(); });
  }
}

SlaService::Figures SlaService::figures() const {
  return {impl_->taken.load(), impl_->refused.load()};
}

Millis SlaService::run_due() {
  return impl_->pass();
}

void SlaService::start() {
  if (!impl_->options.manual && !impl_->worker.joinable())
    impl_->worker = std::thread([this] { impl_->run(); });
}

void SlaService::stop() {
  {
    std::lock_guard lock(impl_->mu);
    impl_->stopping = true;
  }
  impl_->wake.notify_all();
  if (impl_->worker.joinable()) impl_->worker.join();
}

void SlaService::on_changes(const ChangeBatch& batch) {
  bool any = false;
  {
    std::lock_guard lock(impl_->mu);
    for (const auto& c : *batch)
      if (c.conversation.ticket) {
        impl_->dirty.insert({c.conversation.workspace_id, c.conversation.id});
        any = true;
      }
  }
  if (any) impl_->wake.notify_all();
}

}  // namespace sb
