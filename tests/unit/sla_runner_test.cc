// The SLA timer in virtual time: a real store on a TestEnv clock, the runner in
// manual mode, time moved by the test. Each action must happen once, at its time,
// be recorded on the timeline, and not repeat after a restart.
#include "sla_runner/sla_runner.h"

#include <gtest/gtest.h>

#include "env/env.h"
#include "realtime/realtime.h"
#include "store/store.h"
#include "support/test_store.h"

namespace sb {
namespace {

namespace json = boost::json;
constexpr Millis kMin = 60'000;
constexpr Millis kHour = 60 * kMin;
constexpr Millis kDay = 24 * kHour;

class SlaRunnerTest : public ::testing::TestWithParam<storetest::Backend> {
 protected:
  void SetUp() override {
    db_ = std::make_unique<storetest::TestStore>(GetParam(), [this] { return env_.now_ms(); });
    store_ = db_->open();
    ws_ = store_->create_workspace("Shop");
    Inbox i;
    i.workspace_id = ws_;
    i.name = "Support";
    i.public_key = "k";
    inbox_ = store_->create_inbox(i).id;
    Agent a;
    a.workspace_id = ws_;
    a.name = "Anna";
    a.email = "anna@example.com";
    a.role = "agent";
    anna_ = *store_->create_agent(a);
    sla_ = make_service();
  }

  std::unique_ptr<SlaService> make_service(SlaOptions o = {}) {
    o.manual = true;
    return std::make_unique<SlaService>(SlaDeps{*store_, *store_, *store_, hub_, zones_, env_}, o);
  }

  Conversation ticket(ConversationKind kind = ConversationKind::kOffline) {
    NewConversation c;
    c.workspace_id = ws_;
    c.inbox_id = inbox_;
    c.visitor_id = "v" + std::to_string(++n_);
    c.client_id = "c" + std::to_string(n_);
    c.kind = kind;
    c.name = "Carla";
    c.email = "carla@example.com";
    c.first_message = "My kettle leaks";
    if (kind == ConversationKind::kChat) c.ticket = TicketFields{};
    return store_->create_conversation(c).first;
  }

  void policy(const std::string& text) {
    sla_->save_policy(ws_, 0, json::parse(text), std::nullopt);
  }

  void reply(Id conv, const std::string& text) {
    store_->append_event(
        {ws_, conv, "message", {AuthorType::kAgent, anna_.id, "Anna"}, text, "", {}});
  }

  std::vector<Event> events(Id conv) { return store_->events_after(ws_, conv, 0, true, 1000); }

  int count_code(Id conv, const std::string& code) {
    int n = 0;
    for (const auto& e : events(conv))
      if (auto* c = e.notice.if_contains("code"); c && c->is_string() && c->as_string() == code)
        ++n;
    return n;
  }

  Conversation get(Id conv) { return *store_->get_conversation(ws_, conv); }

  TestEnv env_;
  TimeZones zones_{env_};
  Hub hub_;
  std::unique_ptr<storetest::TestStore> db_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<SlaService> sla_;
  Id ws_ = 0, inbox_ = 0;
  Agent anna_;
  int n_ = 0;
};

TEST_P(SlaRunnerTest, RaisesThePriorityOnceWhenAtRiskAndNotAgainAfterARestart) {
  policy(R"({"name":"Standard","targets":{"first_response":{"normal":60,"high":240}},
             "at_risk":{"percent":0,"minutes":15},
             "escalations":[{"metric":"first_response","when":"at_risk","action":"raise_priority"}]})");
  auto t = ticket();
  // Nothing due yet; the timer knows when to look: 45 minutes in (15 left of 60).
  EXPECT_EQ(sla_->run_due(), t.created_at + 45 * kMin);
  EXPECT_EQ(get(t.id).ticket->priority, TicketPriority::kNormal);
  env_.advance(44 * kMin);
  sla_->run_due();
  EXPECT_EQ(get(t.id).ticket->priority, TicketPriority::kNormal);
  env_.advance(2 * kMin);
  sla_->run_due();
  EXPECT_EQ(get(t.id).ticket->priority, TicketPriority::kHigh);
  EXPECT_EQ(count_code(t.id, "ticket_priority"), 1);
  // The new priority's target is used from creation: 46 of 240 minutes, fine.
  auto clocks = sla_->clocks(get(t.id));
  EXPECT_EQ(clocks["priority"].as_string(), "high");
  EXPECT_EQ(clocks["first_response"].as_object().at("badge").as_string(), "ok");
  // Raised once: not again by this runner, nor by a fresh one over the same database.
  env_.advance(4 * kHour);
  sla_->run_due();
  sla_ = make_service();
  sla_->run_due();
  EXPECT_EQ(count_code(t.id, "ticket_priority"), 1);
  EXPECT_EQ(get(t.id).ticket->priority, TicketPriority::kHigh);
}

// In a cluster: a node that does not lead the workspace takes nothing, however
// due; once it leads, it looks at the whole workspace and acts once.
TEST_P(SlaRunnerTest, ActsOnlyWhileItLeadsTheWorkspace) {
  bool leading = false;
  std::vector<Id> told;
  SlaOptions o;
  o.leads = [&](Id ws) { return ws == ws_ && leading; };
  o.changed = [&](Id ws) { told.push_back(ws); };
  sla_ = make_service(o);
  policy(R"({"name":"Fast","targets":{"first_response":{"normal":10}},
             "escalations":[{"metric":"first_response","when":"breached","action":"notify_supervisor"}]})");
  EXPECT_EQ(told, std::vector<Id>{ws_});  // the other nodes are told to read it again
  auto t = ticket();
  env_.advance(11 * kMin);
  sla_->run_due();
  sla_->on_changes(std::make_shared<const std::vector<Change>>(
      std::vector<Change>{{get(t.id), std::nullopt, false, false}}));
  sla_->run_due();
  EXPECT_EQ(count_code(t.id, "sla_escalation"), 0);
  EXPECT_EQ(sla_->figures().taken + sla_->figures().refused, 0u);
  leading = true;  // the leader died: this node took the lease
  sla_->run_due();
  EXPECT_EQ(count_code(t.id, "sla_escalation"), 1);
  EXPECT_EQ(sla_->figures().taken, 1u);
  // Settings saved on another node: read again, not told back.
  sla_->changed_elsewhere(ws_);
  sla_->run_due();
  EXPECT_EQ(told.size(), 1u);
  EXPECT_EQ(count_code(t.id, "sla_escalation"), 1);
  leading = false;  // lost again: pending looks are dropped, nothing is taken
  env_.advance(kHour);
  sla_->run_due();
  EXPECT_EQ(sla_->figures().taken, 1u);
}

TEST_P(SlaRunnerTest, NotifiesOnBreachWithANoteAgentsAlone) {
  policy(R"({"name":"Fast","targets":{"first_response":{"normal":10}},
             "escalations":[{"metric":"first_response","when":"breached","action":"notify_supervisor"}]})");
  auto t = ticket();
  env_.advance(9 * kMin);
  sla_->run_due();
  EXPECT_EQ(count_code(t.id, "sla_escalation"), 0);
  env_.advance(2 * kMin);
  sla_->run_due();
  ASSERT_EQ(count_code(t.id, "sla_escalation"), 1);
  EXPECT_EQ(events(t.id).back().kind, "note");  // the customer does not see it
  EXPECT_EQ(sla_->clocks(get(t.id))["badge"].as_string(), "breached");
  sla_->run_due();
  EXPECT_EQ(count_code(t.id, "sla_escalation"), 1);
}

TEST_P(SlaRunnerTest, AnAnswerInTimeStopsTheEscalation) {
  policy(R"({"name":"Fast","targets":{"first_response":{"normal":10}},
             "escalations":[{"metric":"first_response","when":"breached","action":"unassign"}]})");
  auto t = ticket();
  env_.advance(5 * kMin);
  reply(t.id, "We are on it");
  env_.advance(20 * kMin);
  sla_->run_due();
  EXPECT_EQ(count_code(t.id, "sla_escalation"), 0);
  auto c = sla_->clocks(get(t.id));
  EXPECT_EQ(c["first_response"].as_object().at("state").as_string(), "achieved");
}

TEST_P(SlaRunnerTest, RemindsAPendingCustomerOnceThenClosesAfterTheConfiguredDays) {
  sla_->save_automation(ws_, json::parse(R"({"pending_reminder_after_days":2,
      "pending_close_after_days":5,"pending_close_to":"solved","solved_close_after_days":3})"));
  auto t = ticket();
  reply(t.id, "Which model is it?");
  store_->set_ticket_status(ws_, t.id, TicketStatus::kPendingCustomer,
                            {AuthorType::kAgent, anna_.id, "Anna"});
  env_.advance(2 * kDay - kMin);
  sla_->run_due();
  EXPECT_EQ(count_code(t.id, "sla_reminder"), 0);
  env_.advance(2 * kMin);
  sla_->run_due();
  sla_->run_due();
  EXPECT_EQ(count_code(t.id, "sla_reminder"), 1);
  EXPECT_EQ(events(t.id).back().kind, "system");  // the customer sees the reminder
  EXPECT_EQ(get(t.id).ticket->status, TicketStatus::kPendingCustomer);
  env_.advance(3 * kDay);
  sla_->run_due();
  EXPECT_EQ(get(t.id).ticket->status, TicketStatus::kSolved);
  EXPECT_EQ(count_code(t.id, "sla_reminder"), 1);
  // Solved -> closed after three more days.
  env_.advance(3 * kDay + kMin);
  sla_->run_due();
  EXPECT_EQ(get(t.id).ticket->status, TicketStatus::kClosed);
}

TEST_P(SlaRunnerTest, ACustomerReplyCancelsTheReminder) {
  policy(R"({"name":"Std","targets":{"resolution":{"normal":100000}}})");
  sla_->save_automation(
      ws_, json::parse(R"({"pending_reminder_after_days":2,"pending_close_after_days":5})"));
  auto t = ticket();
  store_->set_ticket_status(ws_, t.id, TicketStatus::kPendingCustomer,
                            {AuthorType::kAgent, anna_.id, "Anna"});
  env_.advance(kDay);
  store_->append_event(
      {ws_, t.id, "message", {AuthorType::kVisitor, 0, "Carla"}, "It is the K2", "", {}});
  env_.advance(3 * kDay);
  sla_->run_due();
  EXPECT_EQ(count_code(t.id, "sla_reminder"), 0);
  // The rules reopen it (the customer wrote), whatever status the row still has.
  EXPECT_EQ(sla_->clocks(get(t.id))["status"].as_string(), "open");
  env_.advance(5 * kDay);
  sla_->run_due();
  EXPECT_NE(get(t.id).ticket->status, TicketStatus::kSolved) << "not closed as if still waiting";
}

TEST_P(SlaRunnerTest, FollowsUpAChatTurnedTicketAfter24HoursUnlessAnswered) {
  auto unanswered = ticket(ConversationKind::kChat);
  auto answered = ticket(ConversationKind::kChat);
  env_.advance(2 * kHour);
  reply(answered.id, "Here is what we found");
  env_.advance(22 * kHour - kMin);
  sla_->run_due();
  EXPECT_EQ(count_code(unanswered.id, "sla_follow_up"), 0);
  env_.advance(2 * kMin);
  sla_->run_due();
  EXPECT_EQ(count_code(unanswered.id, "sla_follow_up"), 1);
  EXPECT_EQ(count_code(answered.id, "sla_follow_up"), 0);
  env_.advance(kDay);
  sla_->run_due();
  EXPECT_EQ(count_code(unanswered.id, "sla_follow_up"), 1);
}

// The timer's words: agents' notes in the inbox's language, what the customer reads
// in theirs (what they wrote in, else the inbox's); English without either.
TEST_P(SlaRunnerTest, WritesInTheInboxsLanguageAndTheCustomersToThem) {
  store_->set_change_listener([this](const ChangeBatch& b) { sla_->on_changes(b); });
  auto body = [&](Id conv, const std::string& code) {  // the latest with that code
    std::string out = "(none)";
    for (const auto& e : events(conv))
      if (auto* c = e.notice.if_contains("code"); c && c->is_string() && c->as_string() == code)
        out = e.body;
    return out;
  };
  policy(R"({"name":"Fast","targets":{"first_response":{"normal":10}},
             "escalations":[{"metric":"first_response","when":"breached","action":"notify_assignee"}]})");
  sla_->save_automation(ws_, json::parse(R"({"pending_reminder_after_days":1,
      "pending_close_after_days":2,"pending_close_to":"closed"})"));
  auto english = ticket();
  env_.advance(11 * kMin);
  sla_->run_due();
  EXPECT_EQ(body(english.id, "sla_escalation"),
            "SLA Fast: first response overdue: the assignee was notified");
  auto inbox = *store_->get_inbox(ws_, inbox_);
  inbox.widget["language"] = "pl";
  store_->update_inbox(inbox);
  auto polish = ticket();
  auto chat = ticket(ConversationKind::kChat);
  auto italian = ticket();
  store_->set_detected_language(ws_, italian.id, "it");
  reply(italian.id, "Quale modello?");
  store_->set_ticket_status(ws_, italian.id, TicketStatus::kPendingCustomer,
                            {AuthorType::kAgent, anna_.id, "Anna"});
  env_.advance(11 * kMin);
  sla_->run_due();
  EXPECT_EQ(body(polish.id, "sla_escalation"),
            "SLA Fast: pierwsza odpowiedź — po terminie: powiadomiono przypisaną osobę");
  env_.advance(kDay);
  sla_->run_due();
  EXPECT_EQ(body(chat.id, "sla_follow_up"),
            "Czas na kontakt: ten czat stał się zgłoszeniem 24 godz. temu i nie ma jeszcze "
            "odpowiedzi");
  EXPECT_EQ(body(italian.id, "sla_reminder"),
            "Stiamo ancora aspettando una tua risposta. Se non ti sentiamo, la richiesta si "
            "chiuderà da sola.");
  env_.advance(kDay);
  sla_->run_due();
  EXPECT_EQ(get(italian.id).ticket->status, TicketStatus::kClosed);
  EXPECT_EQ(
      body(italian.id, "ticket_status").rfind("Ticket chiuso automaticamente dopo 2 giorni", 0), 0u)
      << body(italian.id, "ticket_status");
}

TEST_P(SlaRunnerTest, PoliciesAreOrderedAndTheFirstMatchApplies) {
  policy(
      R"({"name":"Urgent only","when":{"priorities":["urgent"]},"targets":{"first_response":{"urgent":5}}})");
  policy(R"({"name":"Everything","targets":{"first_response":{"normal":60}}})");
  auto t = ticket();
  EXPECT_EQ(sla_->clocks(t)["policy"].as_string(), "Everything");
  auto all = sla_->policies(ws_);
  ASSERT_EQ(all.size(), 2u);
  sla_->save_policy(
      ws_, all[1].row.id,
      json::parse(R"({"name":"Everything","targets":{"first_response":{"normal":30}}})"), 0);
  all = sla_->policies(ws_);
  EXPECT_EQ(all[0].policy.name, "Everything");
  EXPECT_EQ(all[1].row.position, 1);
  EXPECT_THROW(sla_->save_policy(
                   ws_, 0, json::parse(R"({"name":"x","targets":{"first_response":{"normal":0}}})"),
                   std::nullopt),
               std::invalid_argument);
  EXPECT_THROW(sla_->delete_policy(ws_ + 1, all[0].row.id), StoreError);
}

// What the breaching-soon view reads: each ticket's watch, rewritten when its
// events move the clocks (the change feed wakes the runner), never otherwise.
TEST_P(SlaRunnerTest, KeepsEachTicketsWatchForTheBreachingSoonView) {
  store_->set_change_listener([this](const ChangeBatch& b) { sla_->on_changes(b); });
  policy(R"({"name":"Std","targets":{"first_response":{"normal":60},"resolution":{"normal":480}},
             "at_risk":{"percent":0,"minutes":15}})");
  auto t = ticket();
  sla_->run_due();
  auto w = store_->sla_watch(ws_, t.id);
  ASSERT_TRUE(w && w->at_risk_at && w->due_at);
  EXPECT_EQ(*w->at_risk_at, t.created_at + 45 * kMin);
  EXPECT_EQ(*w->due_at, t.created_at + 60 * kMin);
  auto breaching = [&] {
    TicketQuery q;
    q.view = TicketView::kBreachingSoon;
    q.now = env_.now_ms();
    return store_->list_tickets(ws_, q);
  };
  EXPECT_TRUE(breaching().empty());
  env_.advance(46 * kMin);
  ASSERT_EQ(breaching().size(), 1u) << "time alone brings it in";
  EXPECT_EQ(sla_->at_risk(breaching()).size(), 1u);

  // Answered: the resolution is what is left (at risk 15 minutes before 480).
  reply(t.id, "On it");
  // Until the runner reads the answer the view still has it; at-risk checks the events.
  EXPECT_TRUE(sla_->at_risk(breaching()).empty());
  sla_->run_due();
  EXPECT_TRUE(breaching().empty());
  EXPECT_EQ(*store_->sla_watch(ws_, t.id)->at_risk_at, t.created_at + 465 * kMin);
  // Waiting for the customer pauses the resolution: nothing can breach.
  store_->set_ticket_status(ws_, t.id, TicketStatus::kPendingCustomer,
                            {AuthorType::kAgent, anna_.id, "Anna"});
  sla_->run_due();
  EXPECT_FALSE(store_->sla_watch(ws_, t.id)->at_risk_at);
  env_.advance(10 * kDay);
  EXPECT_TRUE(breaching().empty());
  // The customer writes: the clock runs again from the time it had used.
  store_->append_event(
      {ws_, t.id, "message", {AuthorType::kVisitor, 0, "Carla"}, "Still broken", "", {}});
  sla_->run_due();
  w = store_->sla_watch(ws_, t.id);
  ASSERT_TRUE(w && w->at_risk_at);
  EXPECT_GT(*w->due_at, env_.now_ms());
  // Closed: nothing to watch.
  store_->set_ticket_status(ws_, t.id, TicketStatus::kClosed,
                            {AuthorType::kAgent, anna_.id, "Anna"});
  sla_->run_due();
  EXPECT_FALSE(store_->sla_watch(ws_, t.id)->at_risk_at);
}

// Business hours: the instants are open time, and move when the inbox's hours do.
TEST_P(SlaRunnerTest, TheWatchCountsBusinessHoursAndFollowsTheirChange) {
  store_->set_change_listener([this](const ChangeBatch& b) { sla_->on_changes(b); });
  policy(R"({"name":"Office","hours":"business","targets":{"first_response":{"normal":120}},
             "at_risk":{"percent":0,"minutes":30}})");
  auto set_hours = [&](const char* json) {
    auto inbox = *store_->get_inbox(ws_, inbox_);
    inbox.hours = *BusinessHours::from_json(json::parse(json), nullptr);
    store_->update_inbox(inbox);
    return sla::Calendar(inbox.hours, TimeZone::utc());
  };
  auto nine_to_five = set_hours(
      R"({"weekly":[{"day":1,"open":"09:00","close":"17:00"},{"day":2,"open":"09:00","close":"17:00"},
         {"day":3,"open":"09:00","close":"17:00"},{"day":4,"open":"09:00","close":"17:00"},
         {"day":5,"open":"09:00","close":"17:00"}],"holidays":[]})");
  auto t = ticket();  // Tuesday 22:13 UTC: closed until Wednesday 09:00
  sla_->run_due();
  auto w = store_->sla_watch(ws_, t.id);
  ASSERT_TRUE(w && w->due_at);
  EXPECT_EQ(*w->due_at, nine_to_five.add(t.created_at, 120 * kMin));
  EXPECT_EQ(*w->at_risk_at, nine_to_five.add(t.created_at, 90 * kMin));
  auto always = set_hours(
      R"({"weekly":[{"day":0,"open":"00:00","close":"24:00"},{"day":1,"open":"00:00","close":"24:00"},
         {"day":2,"open":"00:00","close":"24:00"},{"day":3,"open":"00:00","close":"24:00"},
         {"day":4,"open":"00:00","close":"24:00"},{"day":5,"open":"00:00","close":"24:00"},
         {"day":6,"open":"00:00","close":"24:00"}],"holidays":[]})");
  sla_->rescan(ws_);
  sla_->run_due();
  EXPECT_EQ(*store_->sla_watch(ws_, t.id)->due_at, always.add(t.created_at, 120 * kMin));
  EXPECT_EQ(*store_->sla_watch(ws_, t.id)->due_at, t.created_at + 120 * kMin);
}

TEST_P(SlaRunnerTest, ReportCountsBreachesAndAnsweredTimes) {
  policy(R"({"name":"Std","targets":{"first_response":{"normal":30}}})");
  auto fast = ticket();
  auto slow = ticket();
  env_.advance(10 * kMin);
  reply(fast.id, "Hi");
  env_.advance(50 * kMin);
  reply(slow.id, "Sorry for the wait");
  auto r = sla_->report(ws_, fast.created_at - kMin, env_.now_ms());
  EXPECT_EQ(r["tickets"].as_int64(), 2);
  auto fr = r["metrics"].as_object()["first_response"].as_object();
  EXPECT_EQ(fr["measured"].as_int64(), 2);
  EXPECT_EQ(fr["achieved"].as_int64(), 1);
  auto breaches = r["breaches"].as_array();
  ASSERT_EQ(breaches.size(), 1u);
  EXPECT_EQ(breaches[0].as_object().at("metric").as_string(), "first_response");
  EXPECT_EQ(r["first_response"].as_object()["p50_ms"].as_int64(), 10 * kMin);
}

SB_STORE_BACKENDS(SlaRunnerTest);

}  // namespace
}  // namespace sb
