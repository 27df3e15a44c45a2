// The complaint playbook (SPEC R7, seed 003: "complaints are gifts"). Pure: no I/O
// and no clock (`now` is an argument), so the store's writes, the reports and the
// tests run the same rules.
//
// A conversation marked as a complaint carries a checklist of eight steps, in the
// seed's order: thank the customer, explain why the complaint matters to us,
// apologise, say what will be done, fix it, report the fix, check the customer is
// satisfied, make sure it does not happen again. Every tick and untick is kept
// (who, when, a note); a step's state is its latest tick.
//
// Resolution. A complaint is resolved when the fix, its report and the
// satisfaction check are all done ("by steps"), or when an agent resolves it
// explicitly. Unticking one of those three reopens a complaint the steps had
// resolved — the fix was not a fix after all — but not one an agent resolved
// explicitly: that was a decision, undone only by reopening it. Thanking,
// apologising and preventing recurrence matter but do not gate resolution:
// prevention often happens weeks later, and the report shows which steps were
// skipped instead.
//
// Withdrawn: an agent unmarked it (with a reason), or dismissed the emotional-peak
// detector's suggestion (a complaint withdrawn as it was created). Withdrawn
// complaints are kept for the record and left out of reports; a conversation
// with one is no longer suggested.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/core.h"

namespace sb::complaint {

enum class Step {
  kThank,
  kExplain,
  kApologise,
  kSayWhatWillBeDone,
  kFix,
  kReportFix,
  kCheckSatisfaction,
  kPreventRecurrence,
};
inline constexpr std::size_t kStepCount = 8;
inline constexpr std::array<Step, kStepCount> kSteps = {
    Step::kThank, Step::kExplain,   Step::kApologise,         Step::kSayWhatWillBeDone,
    Step::kFix,   Step::kReportFix, Step::kCheckSatisfaction, Step::kPreventRecurrence};
// Stable keys (API, storage, the console's strings): thank, explain, apologise,
// say_what_will_be_done, fix, report_fix, check_satisfaction, prevent_recurrence.
std::string_view key(Step s);
std::optional<Step> parse_step(std::string_view key);

// Categories are short slugs ("delivery", "billing"...): [a-z0-9_-], 1..40, starting
// with a letter or digit. Empty means uncategorised.
bool valid_category(std::string_view c);

struct Who {
  Id id = 0;
  std::string name;
};

struct Tick {
  Step step = Step::kThank;
  bool done = false;
  std::string note;
  Who by;
  Millis at = 0;
};

struct StepState {
  bool done = false;
  std::optional<Tick> last;  // the latest tick, ticked or unticked
};
using Checklist = std::array<StepState, kStepCount>;
// Replays the history (oldest first).
Checklist checklist(const std::vector<Tick>& history);
// Fix, report of the fix and satisfaction check all done.
bool steps_resolve(const Checklist& list);
int done_count(const Checklist& list);

enum class Status { kOpen, kResolved, kWithdrawn };
enum class Resolution { kNone, kSteps, kAgent };
std::string_view to_string(Status s);
std::string_view to_string(Resolution r);
Status parse_status(std::string_view s);  // unknown: open
Resolution parse_resolution(std::string_view r);

struct Complaint {
  Id id = 0, workspace_id = 0, conversation_id = 0;
  std::string category;
  bool suggested = false;  // the emotional-peak detector had fired when it was marked
  Who marked_by;
  Millis marked_at = 0;
  Status status = Status::kOpen;
  Resolution resolution = Resolution::kNone;
  std::optional<Millis> resolved_at;
  Who resolved_by;  // explicit resolutions
  std::string resolution_note;
  std::optional<Millis> withdrawn_at;
  Who withdrawn_by;
  std::string withdraw_reason;
  std::int64_t revision = 0;  // +1 per write: clients keep the newest state
  std::vector<Tick> history;  // oldest first
  bool active() const { return status != Status::kWithdrawn; }
};

// What an agent does to a conversation's complaint.
struct Action {
  enum class Kind { kMark, kWithdraw, kTick, kResolve, kReopen } kind = Kind::kMark;
  Who by;
  std::string category;  // kMark: empty keeps the current one
  bool peak = false;     // kMark / kWithdraw: the emotional-peak detector fired
  std::string text;      // withdraw reason, resolution note, tick note
  Step step = Step::kThank;
  bool done = false;
};

// What the timeline says about a change (agent-only notes).
enum class Timeline {
  kMarked,
  kWithdrawn,
  kDismissed,
  kResolvedBySteps,
  kResolvedByAgent,
  kReopened
};

enum class Problem {
  kNone,
  kNoComplaint,  // nothing to withdraw, tick, resolve or reopen (404)
  kNotResolved,  // reopening an open complaint (409)
};

struct Applied {
  Problem problem = Problem::kNone;
  Complaint complaint;          // as it is to be stored (valid unless problem)
  bool created = false;         // a new complaint (id 0 until stored)
  bool changed = false;         // anything to write
  std::optional<Tick> tick;     // kTick: the history entry to append
  std::vector<Timeline> notes;  // in order
};

// The rule for every action: `latest` is the conversation's latest complaint
// (withdrawn ones included), nullopt if it never had one. Marking when a live one
// exists changes only its category; marking after a withdrawal starts a new one;
// withdrawing with none live dismisses the suggestion (when the detector fired).
Applied apply(const std::optional<Complaint>& latest, const Action& action, Millis now);

// Whether the console should offer "Treat as complaint".
bool suggested(bool emotional_peak, const std::optional<Complaint>& latest);

// Reports. One complaint as the report reads it (withdrawn ones are never given).
struct Record {
  Id id = 0, contact_id = 0;
  std::string category;
  Millis marked_at = 0;
  std::optional<Millis> resolved_at;
  std::uint32_t done_mask = 0;  // bit i: kSteps[i] done now
};

struct ReportQuery {
  Millis from = 0, to = 0;  // complaints marked in [from, to)
  int recurrence_days = 30;
};

struct CategoryStats {
  std::string category;  // "" uncategorised
  int total = 0, open = 0, resolved = 0;
  int repeats = 0;  // by a contact who complained about this category within N days before
};

struct StepSkips {
  Step step = Step::kThank;
  int skipped = 0;  // resolved complaints on which the step is not done
};

struct Report {
  int total = 0, open = 0, resolved = 0;
  std::optional<Millis> median_ms, p90_ms;  // time to resolve, nearest rank
  std::vector<CategoryStats> by_category;   // most complaints first
  // Complaints in the window from a contact with another complaint within N days
  // before it (it may lie before the window); of those, about the same category;
  // and how many contacts that is.
  int contact_repeats = 0, same_category_repeats = 0, repeat_contacts = 0;
  std::vector<StepSkips> skipped;  // all eight, most skipped first (ties: playbook order)
};

// `records`: complaints marked in [from - N days, to); the earlier ones only count
// as what a complaint in the window recurs after.
Report report(std::vector<Record> records, const ReportQuery& q);

}  // namespace sb::complaint
