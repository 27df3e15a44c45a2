// The complaint playbook's rules (complaint/, pure) and its store facet: the
// resolution rule, ticks and unticks, withdrawing and the suggestion, recurrence
// and the report's aggregation; then one round trip through SQLite.
#include "complaint/complaint.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>

#include "store/store.h"

namespace sb::complaint {
namespace {

constexpr Millis kDay = 24LL * 3600 * 1000;
const Who kAnna{1, "Anna"}, kMarek{2, "Marek"};

Action tick_action(Step s, bool done, const Who& by = kAnna, std::string note = "") {
  return {.kind = Action::Kind::kTick, .by = by, .text = std::move(note), .step = s, .done = done};
}

// Marks, then applies each action in turn as the store would.
Complaint run(const std::vector<Action>& actions, std::vector<Timeline>* notes = nullptr) {
  auto c = apply(std::nullopt, {.kind = Action::Kind::kMark, .by = kAnna}, 0).complaint;
  Millis t = 0;
  for (const auto& a : actions) {
    auto r = apply(c, a, ++t);
    EXPECT_EQ(r.problem, Problem::kNone);
    if (notes) notes->insert(notes->end(), r.notes.begin(), r.notes.end());
    c = r.complaint;
  }
  return c;
}

TEST(ComplaintRules, StepsHaveStableKeysInThePlaybookOrder) {
  std::vector<std::string> keys;
  for (Step s : kSteps) keys.emplace_back(key(s));
  EXPECT_EQ(keys, (std::vector<std::string>{"thank", "explain", "apologise",
                                            "say_what_will_be_done", "fix", "report_fix",
                                            "check_satisfaction", "prevent_recurrence"}));
  for (Step s : kSteps) EXPECT_EQ(parse_step(key(s)), s);
  EXPECT_FALSE(parse_step("Thank"));
  EXPECT_TRUE(valid_category("delivery"));
  EXPECT_TRUE(valid_category("late-2nd_try"));
  EXPECT_FALSE(valid_category(""));
  EXPECT_FALSE(valid_category("-x"));
  EXPECT_FALSE(valid_category("Billing"));
  EXPECT_FALSE(valid_category(std::string(41, 'a')));
}

TEST(ComplaintRules, FixReportAndCheckResolveTheOthersDoNot) {
  std::vector<Timeline> notes;
  auto c = run({tick_action(Step::kThank, true), tick_action(Step::kExplain, true),
                tick_action(Step::kApologise, true), tick_action(Step::kSayWhatWillBeDone, true),
                tick_action(Step::kPreventRecurrence, true), tick_action(Step::kFix, true),
                tick_action(Step::kReportFix, true)},
               &notes);
  EXPECT_EQ(c.status, Status::kOpen);
  EXPECT_TRUE(notes.empty());
  auto r = apply(c, tick_action(Step::kCheckSatisfaction, true, kMarek), 50);
  EXPECT_EQ(r.complaint.status, Status::kResolved);
  EXPECT_EQ(r.complaint.resolution, Resolution::kSteps);
  EXPECT_EQ(r.complaint.resolved_at, 50);
  EXPECT_EQ(r.notes, std::vector<Timeline>{Timeline::kResolvedBySteps});
  EXPECT_EQ(done_count(checklist(r.complaint.history)), 8);
}

TEST(ComplaintRules, UntickingReopensWhatTheStepsResolvedNotWhatAnAgentDid) {
  std::vector<Timeline> notes;
  auto c =
      run({tick_action(Step::kFix, true), tick_action(Step::kReportFix, true),
           tick_action(Step::kCheckSatisfaction, true), tick_action(Step::kFix, false, kMarek)},
          &notes);
  EXPECT_EQ(c.status, Status::kOpen);
  EXPECT_FALSE(c.resolved_at);
  EXPECT_EQ(notes, (std::vector<Timeline>{Timeline::kResolvedBySteps, Timeline::kReopened}));

  auto by_agent = run({{.kind = Action::Kind::kResolve, .by = kMarek, .text = "refunded"},
                       tick_action(Step::kFix, true),
                       tick_action(Step::kFix, false)});
  EXPECT_EQ(by_agent.status, Status::kResolved);
  EXPECT_EQ(by_agent.resolution, Resolution::kAgent);
  EXPECT_EQ(by_agent.resolved_by.name, "Marek");
  auto reopened = apply(by_agent, {.kind = Action::Kind::kReopen, .by = kAnna}, 9);
  EXPECT_EQ(reopened.complaint.status, Status::kOpen);
  EXPECT_EQ(apply(reopened.complaint, {.kind = Action::Kind::kReopen}, 10).problem,
            Problem::kNotResolved);
}

TEST(ComplaintRules, HistoryKeepsTicksAndUnticksTheStepShowsTheLatest) {
  auto c = run({tick_action(Step::kThank, true, kAnna, "thanked"),
                tick_action(Step::kThank, false, kMarek, "wrong customer")});
  ASSERT_EQ(c.history.size(), 2u);
  auto list = checklist(c.history);
  EXPECT_FALSE(list[0].done);
  EXPECT_EQ(list[0].last->by.name, "Marek");
  EXPECT_EQ(list[0].last->note, "wrong customer");
  // The same state again without a note changes nothing (a double click).
  auto same = apply(c, tick_action(Step::kThank, false), 99);
  EXPECT_FALSE(same.changed);
  EXPECT_EQ(same.complaint.revision, c.revision);
  EXPECT_FALSE(apply(c, tick_action(Step::kFix, false), 99).changed);  // never ticked
  EXPECT_TRUE(apply(c, tick_action(Step::kThank, false, kAnna, "a note"), 99).changed);
}

TEST(ComplaintRules, MarkWithdrawAndTheSuggestion) {
  Action mark{.kind = Action::Kind::kMark, .by = kAnna, .category = "delivery", .peak = true};
  auto m = apply(std::nullopt, mark, 5);
  EXPECT_TRUE(m.created);
  EXPECT_TRUE(m.complaint.suggested);
  EXPECT_EQ(m.notes, std::vector<Timeline>{Timeline::kMarked});
  // Marking a live one only recategorises it.
  auto again = apply(m.complaint, {.kind = Action::Kind::kMark, .category = "billing"}, 6);
  EXPECT_FALSE(again.created);
  EXPECT_EQ(again.complaint.category, "billing");
  EXPECT_TRUE(again.notes.empty());
  EXPECT_FALSE(apply(m.complaint, {.kind = Action::Kind::kMark}, 6).changed);

  Action withdraw{.kind = Action::Kind::kWithdraw, .by = kMarek, .text = "not one"};
  auto w = apply(m.complaint, withdraw, 7);
  EXPECT_EQ(w.complaint.status, Status::kWithdrawn);
  EXPECT_EQ(w.notes, std::vector<Timeline>{Timeline::kWithdrawn});
  EXPECT_EQ(apply(w.complaint, tick_action(Step::kFix, true), 8).problem, Problem::kNoComplaint);
  EXPECT_TRUE(apply(w.complaint, mark, 9).created);  // a new one

  // Suggested only while the detector fired and nobody decided yet.
  EXPECT_TRUE(suggested(true, std::nullopt));
  EXPECT_FALSE(suggested(false, std::nullopt));
  EXPECT_FALSE(suggested(true, w.complaint));
  withdraw.peak = true;
  auto dismissed = apply(std::nullopt, withdraw, 10);
  EXPECT_TRUE(dismissed.created);
  EXPECT_EQ(dismissed.complaint.status, Status::kWithdrawn);
  EXPECT_EQ(dismissed.notes, std::vector<Timeline>{Timeline::kDismissed});
  withdraw.peak = false;
  EXPECT_EQ(apply(std::nullopt, withdraw, 10).problem, Problem::kNoComplaint);
}

Record rec(Id id, Id contact, std::string category, Millis at, std::optional<Millis> resolved = {},
           std::uint32_t mask = 0) {
  return {id, contact, std::move(category), at, resolved, mask};
}

TEST(ComplaintReport, CountsTimesAndCategories) {
  Millis t0 = 100 * kDay;
  std::vector<Record> rs;
  // Ten resolved complaints taking 1..10 hours, two open.
  for (int i = 1; i <= 10; ++i)
    rs.push_back(rec(i, 100 + i, i % 2 ? "delivery" : "billing", t0 + i, t0 + i + i * 3600000LL));
  rs.push_back(rec(11, 200, "", t0 + 20));
  rs.push_back(rec(12, 201, "delivery", t0 + 21));
  rs.push_back(rec(13, 202, "delivery", t0 + 5 * kDay));  // after the window
  auto r = report(rs, {t0, t0 + kDay, 30});
  EXPECT_EQ(r.total, 12);
  EXPECT_EQ(r.open, 2);
  EXPECT_EQ(r.resolved, 10);
  EXPECT_EQ(r.median_ms, 5 * 3600000LL);  // nearest rank: the 5th of 10
  EXPECT_EQ(r.p90_ms, 9 * 3600000LL);
  ASSERT_EQ(r.by_category.size(), 3u);
  EXPECT_EQ(r.by_category[0].category, "delivery");
  EXPECT_EQ(r.by_category[0].total, 6);
  EXPECT_EQ(r.by_category[0].open, 1);
  EXPECT_EQ(r.by_category[1].category, "billing");
  EXPECT_EQ(r.by_category[2].category, "");
  EXPECT_EQ(report({}, {t0, t0 + kDay, 30}).median_ms, std::nullopt);
}

TEST(ComplaintReport, RecurrenceLooksBackNDaysAlsoBeforeTheWindow) {
  Millis t0 = 100 * kDay;
  std::vector<Record> rs = {
      rec(1, 7, "delivery", t0 - 10 * kDay),  // before the window: only a predecessor
      rec(2, 7, "delivery", t0 + 1),          // repeat, same category
      rec(3, 7, "billing", t0 + 2),           // repeat, other category
      rec(4, 8, "delivery", t0 - 40 * kDay),  // too long ago
      rec(5, 8, "delivery", t0 + 3),          // not a repeat
      rec(6, 9, "product", t0 + 4),
  };
  auto r = report(rs, {t0, t0 + kDay, 30});
  EXPECT_EQ(r.total, 4);
  EXPECT_EQ(r.contact_repeats, 2);
  EXPECT_EQ(r.same_category_repeats, 1);
  EXPECT_EQ(r.repeat_contacts, 1);
  EXPECT_EQ(r.by_category[0].category, "delivery");
  EXPECT_EQ(r.by_category[0].repeats, 1);
  // With a 5-day look-back the first is too old as well.
  EXPECT_EQ(report(rs, {t0, t0 + kDay, 5}).contact_repeats, 1);
}

TEST(ComplaintReport, SkippedStepsCountResolvedComplaintsOnly) {
  std::uint32_t fix_report_check = (1U << 4) | (1U << 5) | (1U << 6);
  std::vector<Record> rs = {rec(1, 1, "a", 10, 20, fix_report_check),
                            rec(2, 2, "a", 11, 30, fix_report_check | 1U),
                            rec(3, 3, "a", 12, std::nullopt, 0)};
  auto r = report(rs, {0, 100, 30});
  ASSERT_EQ(r.skipped.size(), kStepCount);
  EXPECT_EQ(r.skipped[0].step, Step::kExplain);  // 2 skipped; ties keep the playbook order
  EXPECT_EQ(r.skipped[0].skipped, 2);
  EXPECT_EQ(r.skipped[3].step, Step::kPreventRecurrence);
  auto thank = std::find_if(r.skipped.begin(), r.skipped.end(),
                            [](const StepSkips& s) { return s.step == Step::kThank; });
  EXPECT_EQ(thank->skipped, 1);
  EXPECT_EQ(r.skipped.back().skipped, 0);
}

// The store: the rules applied in one write, the history and the timeline kept,
// another workspace sees nothing, the report's records carry the steps done.
TEST(ComplaintStore, RoundTrip) {
  namespace fs = std::filesystem;
  std::string tmpl = (fs::temp_directory_path() / "sb-complaint-test-XXXXXX").string();
  ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
  {
    Millis now = 1000;
    SqliteOptions o;
    o.path = tmpl + "/switchboard.db";
    o.clock = [&] { return now; };
    auto store = open_sqlite_store(o);
    Id ws = store->create_workspace("Acme"), other = store->create_workspace("Globex");
    Inbox i;
    i.workspace_id = ws;
    i.name = i.public_key = "k";
    NewConversation nc{.workspace_id = ws, .inbox_id = store->create_inbox(i).id};
    nc.visitor_id = "v1", nc.client_id = "c1", nc.first_message = "hello";
    nc.email = "laura@example.com";
    Id conv = store->create_conversation(nc).first.id;

    EXPECT_FALSE(store->latest_complaint(ws, conv));
    auto m = store->act_on_complaint(ws, conv, {.kind = Action::Kind::kMark, .by = kAnna});
    EXPECT_TRUE(m.applied.created);
    for (Step s : {Step::kFix, Step::kReportFix, Step::kCheckSatisfaction}) {
      now += 60000;
      store->act_on_complaint(ws, conv, tick_action(s, true, kMarek, "done"));
    }
    auto c = store->latest_complaint(ws, conv);
    ASSERT_TRUE(c);
    EXPECT_EQ(c->status, Status::kResolved);
    EXPECT_EQ(c->resolved_at, 1000 + 3 * 60000);
    ASSERT_EQ(c->history.size(), 3u);
    EXPECT_EQ(c->history[2].by.name, "Marek");
    EXPECT_EQ(c->revision, 4);
    auto events = store->events_after(ws, conv, 0, true, 100);
    std::vector<std::string> codes;
    for (const auto& e : events)
      if (e.kind == "note")
        codes.push_back(boost::json::value_to<std::string>(e.notice.at("code")));
    EXPECT_EQ(codes, (std::vector<std::string>{"complaint_marked", "complaint_resolved_steps"}));
    EXPECT_TRUE(store->events_after(ws, conv, 0, false, 100).size() == 1) << "notes are agents'";

    EXPECT_FALSE(store->latest_complaint(other, conv));
    EXPECT_THROW(store->act_on_complaint(other, conv, {.kind = Action::Kind::kMark}), StoreError);
    auto records = store->complaint_records(ws, 0, now + 1, 10);
    ASSERT_EQ(records.size(), 1u);
    EXPECT_EQ(records[0].done_mask, (1U << 4) | (1U << 5) | (1U << 6));
    EXPECT_TRUE(store->complaint_records(other, 0, now + 1, 10).empty());

    // Erasing the contact (GDPR) keeps the complaint for reports, not their details.
    store->act_on_complaint(ws, conv,
                            tick_action(Step::kThank, true, kAnna, "called laura@example.com"));
    auto contact = store->get_conversation(ws, conv)->contact.id;
    ASSERT_TRUE(store->erase_contact(ws, contact));
    auto erased = store->latest_complaint(ws, conv);
    ASSERT_TRUE(erased);
    EXPECT_EQ(erased->history.back().note.find("laura@example.com"), std::string::npos);
    EXPECT_EQ(erased->history.size(), 4u);
  }
  fs::remove_all(tmpl);
}

}  // namespace
}  // namespace sb::complaint
