// The playbook's steps, the checklist replay and the rule for every action.
#include "complaint/complaint.h"

namespace sb::complaint {

namespace {

constexpr std::array<std::string_view, kStepCount> kKeys = {
    "thank", "explain",    "apologise",          "say_what_will_be_done",
    "fix",   "report_fix", "check_satisfaction", "prevent_recurrence"};

std::size_t index(Step s) {
  return static_cast<std::size_t>(s);
}

Complaint fresh(const Action& a, Millis now) {
  Complaint c;
  c.category = a.category;
  c.suggested = a.peak;
  c.marked_by = a.by;
  c.marked_at = now;
  return c;
}

void mark(Applied& out, const std::optional<Complaint>& latest, const Action& a, Millis now) {
  if (!latest || !latest->active()) {
    out.complaint = fresh(a, now);
    out.created = out.changed = true;
    out.notes.push_back(Timeline::kMarked);
    return;
  }
  out.complaint = *latest;
  if (!a.category.empty() && a.category != latest->category) {
    out.complaint.category = a.category;
    out.changed = true;
  }
}

void withdraw(Applied& out, const std::optional<Complaint>& latest, const Action& a, Millis now) {
  if (latest && latest->active()) {
    out.complaint = *latest;
    out.notes.push_back(Timeline::kWithdrawn);
  } else if (suggested(a.peak, latest)) {
    out.complaint = fresh(a, now);  // created and withdrawn at once: "not a complaint"
    out.complaint.category.clear();
    out.created = true;
    out.notes.push_back(Timeline::kDismissed);
  } else {
    out.problem = Problem::kNoComplaint;
    return;
  }
  out.complaint.status = Status::kWithdrawn;
  out.complaint.withdrawn_at = now;
  out.complaint.withdrawn_by = a.by;
  out.complaint.withdraw_reason = a.text;
  out.changed = true;
}

void tick(Applied& out, const Action& a, Millis now) {
  Complaint& c = out.complaint;
  Tick t{a.step, a.done, a.text, a.by, now};
  const auto prev = checklist(c.history)[index(a.step)];
  // The same state again with no new note: nothing happened (a double click).
  if (prev.done == a.done && a.text.empty()) return;
  c.history.push_back(t);
  out.tick = t;
  out.changed = true;
  bool resolves = steps_resolve(checklist(c.history));
  if (c.status == Status::kOpen && resolves) {
    c.status = Status::kResolved;
    c.resolution = Resolution::kSteps;
    c.resolved_at = now;
    out.notes.push_back(Timeline::kResolvedBySteps);
  } else if (c.status == Status::kResolved && c.resolution == Resolution::kSteps && !resolves) {
    c.status = Status::kOpen;
    c.resolution = Resolution::kNone;
    c.resolved_at.reset();
    out.notes.push_back(Timeline::kReopened);
  }
}

void resolve(Applied& out, const Action& a, Millis now) {
  Complaint& c = out.complaint;
  if (c.status == Status::kResolved) return;
  c.status = Status::kResolved;
  c.resolution = Resolution::kAgent;
  c.resolved_at = now;
  c.resolved_by = a.by;
  c.resolution_note = a.text;
  out.changed = true;
  out.notes.push_back(Timeline::kResolvedByAgent);
}

void reopen(Applied& out) {
  Complaint& c = out.complaint;
  if (c.status != Status::kResolved) {
    out.problem = Problem::kNotResolved;
    return;
  }
  c.status = Status::kOpen;
  c.resolution = Resolution::kNone;
  c.resolved_at.reset();
  c.resolved_by = {};
  c.resolution_note.clear();
  out.changed = true;
  out.notes.push_back(Timeline::kReopened);
}

}  // namespace

std::string_view key(Step s) {
  return kKeys[index(s)];
}

std::optional<Step> parse_step(std::string_view k) {
  for (Step s : kSteps)
    if (key(s) == k) return s;
  return std::nullopt;
}

bool valid_category(std::string_view c) {
  if (c.empty() || c.size() > 40) return false;
  auto alnum = [](char ch) { return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9'); };
  if (!alnum(c.front())) return false;
  for (char ch : c)
    if (!alnum(ch) && ch != '_' && ch != '-') return false;
  return true;
}

Checklist checklist(const std::vector<Tick>& history) {
  Checklist list{};
  for (const auto& t : history) {
    auto& s = list[index(t.step)];
    s.done = t.done;
    s.last = t;
  }
  return list;
}

bool steps_resolve(const Checklist& list) {
  return list[index(Step::kFix)].done && list[index(Step::kReportFix)].done &&
         list[index(Step::kCheckSatisfaction)].done;
}

int done_count(const Checklist& list) {
  int n = 0;
  for (const auto& s : list) n += s.done ? 1 : 0;
  return n;
}

std::string_view to_string(Status s) {
  return s == Status::kResolved ? "resolved" : s == Status::kWithdrawn ? "withdrawn" : "open";
}

std::string_view to_string(Resolution r) {
  return r == Resolution::kSteps ? "steps" : r == Resolution::kAgent ? "agent" : "";
}

Status parse_status(std::string_view s) {
  return s == "resolved"    ? Status::kResolved
         : s == "withdrawn" ? Status::kWithdrawn
                            : Status::kOpen;
}

Resolution parse_resolution(std::string_view r) {
  return r == "steps" ? Resolution::kSteps : r == "agent" ? Resolution::kAgent : Resolution::kNone;
}

bool suggested(bool emotional_peak, const std::optional<Complaint>& latest) {
  return emotional_peak && !latest;
}

Applied apply(const std::optional<Complaint>& latest, const Action& a, Millis now) {
  Applied out;
  using K = Action::Kind;
  if (a.kind == K::kMark) {
    mark(out, latest, a, now);
  } else if (a.kind == K::kWithdraw) {
    withdraw(out, latest, a, now);
  } else if (!latest || !latest->active()) {
    out.problem = Problem::kNoComplaint;
  } else {
    out.complaint = *latest;
    if (a.kind == K::kTick)
      tick(out, a, now);
    else if (a.kind == K::kResolve)
      resolve(out, a, now);
    else
      reopen(out);
  }
  if (out.changed) ++out.complaint.revision;
  return out;
}

}  // namespace sb::complaint
