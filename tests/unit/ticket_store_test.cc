// The ticket workflow in the store: views and counts as an agent's scope sees
// them, changes written as notes the SLA replay can read, chats turned tickets,
// follow-up reminders announced once, custom field definitions.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>
#include <filesystem>
#include <map>

#include "store/store.h"
#include "support/test_store.h"

namespace sb {
namespace {

namespace fs = std::filesystem;
constexpr Millis kHour = 3'600'000;

class TicketStoreTest : public ::testing::TestWithParam<storetest::Backend> {
 protected:
  void SetUp() override {
    db_ = std::make_unique<storetest::TestStore>(GetParam(), [this] { return now_; });
    store_ = db_->open();
    ws_ = store_->create_workspace("Shop");
    for (auto* id : {&inbox_, &other_inbox_}) {
      Inbox i;
      i.workspace_id = ws_;
      i.name = "Inbox";
      i.public_key = "k" + std::to_string(id == &inbox_);
      *id = store_->create_inbox(i).id;
    }
  }
  void TearDown() override {
    store_.reset();
    db_.reset();
  }

  Conversation create(ConversationKind kind, Id inbox, const std::string& subject) {
    now_ += 1000;
    NewConversation c;
    c.workspace_id = ws_;
    c.inbox_id = inbox;
    c.visitor_id = "v" + subject;
    c.client_id = subject;
    c.kind = kind;
    c.subject = subject;
    c.email = "c@example.com";
    c.first_message = "hello";
    return store_->create_conversation(c).first;
  }

  std::int64_t count(const TicketCounts& c, TicketView v) {
    for (const auto& [view, n] : c.views)
      if (view == v) return n;
    return -1;
  }

  TicketQuery query(TicketView v) {
    TicketQuery q;
    q.view = v;
    q.agent_id = 7;
    q.now = now_;
    return q;
  }

  std::unique_ptr<storetest::TestStore> db_;
  std::unique_ptr<Store> store_;
  Id ws_ = 0, inbox_ = 0, other_inbox_ = 0;
  Millis now_ = 1'700'000'000'000;
  Author anna_{AuthorType::kAgent, 7, "Anna"};
};

TEST_P(TicketStoreTest, ViewsCountAndFilterWhatTheAgentMaySee) {
  auto a = create(ConversationKind::kEmail, inbox_, "Kettle broken");
  auto b = create(ConversationKind::kEmail, inbox_, "Refund please");
  create(ConversationKind::kEmail, other_inbox_, "Other inbox");
  create(ConversationKind::kChat, inbox_, "Just a chat");  // not a ticket
  TicketChange c;
  c.status = TicketStatus::kPendingCustomer;
  c.tags = std::vector<std::string>{"refund", "vip"};
  store_->update_ticket(ws_, b.id, c, anna_);
  TicketChange mine;
  mine.assignee = std::optional<Id>{};  // no-op: nobody already
  mine.tags = std::vector<std::string>{"refund"};
  store_->update_ticket(ws_, a.id, mine, anna_);

  auto all = store_->ticket_counts(ws_, query(TicketView::kAllOpen), 10);
  EXPECT_EQ(count(all, TicketView::kAllOpen), 3);
  EXPECT_EQ(count(all, TicketView::kPending), 1);
  EXPECT_EQ(count(all, TicketView::kUnassigned), 3);
  EXPECT_EQ(count(all, TicketView::kMineOpen), 0);
  ASSERT_FALSE(all.tags.empty());
  EXPECT_EQ(all.tags[0], (std::pair<std::string, std::int64_t>{"refund", 2}));

  auto scoped = query(TicketView::kAllOpen);
  scoped.scope.inboxes = {inbox_};
  EXPECT_EQ(count(store_->ticket_counts(ws_, scoped, 10), TicketView::kAllOpen), 2);
  EXPECT_EQ(store_->list_tickets(ws_, scoped).size(), 2u);

  auto by_tag = query(TicketView::kAllOpen);
  by_tag.tag = "vip";
  auto found = store_->list_tickets(ws_, by_tag);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].id, b.id);

  auto by_text = query(TicketView::kAll);
  by_text.text = "kettle";
  ASSERT_EQ(store_->list_tickets(ws_, by_text).size(), 1u);

  // Paging: newest updated first, then strictly before the cursor.
  auto page = query(TicketView::kAllOpen);
  page.limit = 2;
  auto first = store_->list_tickets(ws_, page);
  ASSERT_EQ(first.size(), 2u);
  page.before = std::pair{first.back().updated_at, first.back().id};
  auto second = store_->list_tickets(ws_, page);
  ASSERT_EQ(second.size(), 1u);
  EXPECT_NE(second[0].id, first[0].id);
  EXPECT_NE(second[0].id, first[1].id);
}

TEST_P(TicketStoreTest, EveryChangeIsANoteTheTimelineKeeps) {
  auto t = create(ConversationKind::kEmail, inbox_, "Order late");
  TicketChange c;
  c.priority = TicketPriority::kUrgent;
  c.status = TicketStatus::kOnHold;
  c.add_tags = {"courier"};
  c.custom = boost::json::object{{"order", "4711"}};
  c.follow_up_at = std::optional<Millis>{now_ + kHour};
  auto updated = store_->update_ticket(ws_, t.id, c, anna_);
  EXPECT_EQ(updated.ticket->priority, TicketPriority::kUrgent);
  EXPECT_EQ(updated.ticket->status, TicketStatus::kOnHold);
  EXPECT_EQ(updated.ticket->custom.at("order"), "4711");
  std::map<std::string, boost::json::object> notices;
  for (const auto& e : store_->events_after(ws_, t.id, 0, true, 100))
    if (!e.notice.empty()) notices[std::string(e.notice.at("code").as_string())] = e.notice;
  ASSERT_TRUE(notices.contains("ticket_priority"));
  EXPECT_EQ(notices["ticket_priority"].at("args").at("priority"), "urgent");
  EXPECT_EQ(notices["ticket_priority"].at("args").at("from"), "normal");
  EXPECT_EQ(notices["ticket_priority"].at("args").at("by"), "Anna");
  ASSERT_TRUE(notices.contains("ticket_status"));
  EXPECT_EQ(notices["ticket_status"].at("args").at("status"), "on_hold");
  EXPECT_TRUE(notices.contains("ticket_tags"));
  EXPECT_TRUE(notices.contains("ticket_fields"));
  EXPECT_TRUE(notices.contains("ticket_follow_up"));
  // Nothing changed: nothing written.
  auto seq = updated.last_seq;
  EXPECT_EQ(store_->update_ticket(ws_, t.id, c, anna_).last_seq, seq);
  // A null value removes a custom field.
  TicketChange clear;
  clear.custom = boost::json::object{{"order", nullptr}};
  EXPECT_FALSE(store_->update_ticket(ws_, t.id, clear, anna_).ticket->custom.contains("order"));
}

TEST_P(TicketStoreTest, AChatBecomesATicketWithAFollowUpAnnouncedOnce) {
  auto chat = create(ConversationKind::kChat, inbox_, "Cannot finish now");
  EXPECT_FALSE(chat.ticket);
  auto t = store_->make_ticket(ws_, chat.id, TicketStatus::kPendingCustomer, now_ + 24 * kHour,
                               "Printer setup", anna_);
  ASSERT_TRUE(t.ticket);
  EXPECT_EQ(t.ticket->status, TicketStatus::kPendingCustomer);
  EXPECT_EQ(t.subject, "Printer setup");
  EXPECT_EQ(t.ticket->follow_up_at, now_ + 24 * kHour);
  EXPECT_THROW(store_->make_ticket(ws_, chat.id, TicketStatus::kOpen, std::nullopt, "", anna_),
               StoreError);

  EXPECT_TRUE(store_->announce_due_follow_ups(now_ + 23 * kHour, 10).empty());
  now_ += 24 * kHour;
  auto due = store_->announce_due_follow_ups(now_, 10);
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0].id, chat.id);
  EXPECT_TRUE(store_->announce_due_follow_ups(now_ + kHour, 10).empty());
  EXPECT_EQ(
      count(store_->ticket_counts(ws_, query(TicketView::kAllOpen), 5), TicketView::kFollowUpDue),
      1);
  // A new follow-up time is announced again when it comes.
  TicketChange later;
  later.follow_up_at = std::optional<Millis>{now_ + kHour};
  store_->update_ticket(ws_, chat.id, later, anna_);
  now_ += 2 * kHour;
  EXPECT_EQ(store_->announce_due_follow_ups(now_, 10).size(), 1u);
}

// The breaching-soon view reads the SLA runner's watch: tickets whose at-risk
// instant has come, least time left first, open ones in the agent's scope only.
TEST_P(TicketStoreTest, BreachingSoonIsTheWatchUpToNowLeastTimeLeftFirst) {
  auto soon = create(ConversationKind::kEmail, inbox_, "Due in ten minutes");
  auto overdue = create(ConversationKind::kEmail, inbox_, "Overdue");
  auto later = create(ConversationKind::kEmail, inbox_, "At risk tomorrow");
  auto elsewhere = create(ConversationKind::kEmail, other_inbox_, "Other inbox, due soon");
  auto solved = create(ConversationKind::kEmail, inbox_, "Solved");
  auto watch = [&](const Conversation& c, Millis at_risk, Millis due) {
    store_->set_sla_watch({ws_, c.id, c.last_seq, now_ + at_risk, now_ + due});
  };
  watch(soon, -5 * 60'000, 10 * 60'000);
  watch(overdue, -2 * kHour, -kHour);
  watch(later, 20 * kHour, 24 * kHour);
  watch(elsewhere, -60'000, 5 * 60'000);
  watch(solved, -kHour, kHour);
  TicketChange done;
  done.status = TicketStatus::kSolved;
  store_->update_ticket(ws_, solved.id, done, anna_);

  auto q = query(TicketView::kBreachingSoon);
  auto ids = [&](const TicketQuery& q) {
    std::vector<Id> out;
    for (const auto& c : store_->list_tickets(ws_, q)) out.push_back(c.id);
    return out;
  };
  EXPECT_EQ(ids(q), (std::vector<Id>{overdue.id, elsewhere.id, soon.id}));
  EXPECT_EQ(count(store_->ticket_counts(ws_, q, 0), TicketView::kBreachingSoon), 3);
  auto scoped = q;
  scoped.scope.inboxes = {inbox_};
  EXPECT_EQ(ids(scoped), (std::vector<Id>{overdue.id, soon.id}));
  EXPECT_EQ(count(store_->ticket_counts(ws_, scoped, 0), TicketView::kBreachingSoon), 2);
  // Paging goes on after the last row's (due_at, id).
  q.limit = 2;
  auto first = ids(q);
  ASSERT_EQ(first.size(), 2u);
  q.before = std::pair{now_ + 5 * 60'000, elsewhere.id};
  EXPECT_EQ(ids(q), (std::vector<Id>{soon.id}));
  // Time moves it in without a write: tomorrow's ticket is at risk tomorrow.
  auto tomorrow = query(TicketView::kBreachingSoon);
  tomorrow.now = now_ + 21 * kHour;
  EXPECT_EQ(ids(tomorrow).size(), 4u);

  // Nothing to watch any more (answered): it leaves the view. A slower writer with an
  // older state does not bring it back.
  auto read = store_->sla_watch(ws_, soon.id);
  ASSERT_TRUE(read && read->at_risk_at);
  store_->set_sla_watch({ws_, soon.id, soon.last_seq + 1, std::nullopt, std::nullopt});
  store_->set_sla_watch({ws_, soon.id, soon.last_seq, now_ - 60'000, now_ + 60'000});
  EXPECT_FALSE(store_->sla_watch(ws_, soon.id)->at_risk_at);
  EXPECT_EQ(ids(query(TicketView::kBreachingSoon)), (std::vector<Id>{overdue.id, elsewhere.id}));
  // List rows read the watches of the tickets they show; another workspace's are unknown.
  EXPECT_EQ(store_->sla_watches(ws_, {soon.id, later.id, overdue.id}).size(), 2u);
  auto other = store_->create_workspace("Other");
  EXPECT_TRUE(store_->sla_watches(other, {later.id, overdue.id}).empty());
  store_->set_sla_watch({other, later.id, 99, now_, now_});  // not its ticket: ignored
  EXPECT_EQ(store_->sla_watch(ws_, later.id)->basis_seq, later.last_seq);
  EXPECT_FALSE(store_->sla_watch(other, later.id));
}

// A merged ticket lives on in its target: nothing reopens it.
TEST_P(TicketStoreTest, AMergedTicketCannotBeReopened) {
  auto target = create(ConversationKind::kEmail, inbox_, "Order 77");
  auto source = create(ConversationKind::kEmail, inbox_, "Where is 77");
  store_->merge_tickets(ws_, source.id, target.id, anna_);
  try {
    store_->set_status(ws_, source.id, ConversationStatus::kOpen, anna_);
    FAIL() << "reopened";
  } catch (const StoreError& e) {
    EXPECT_EQ(e.code(), StoreError::Code::kConflict);
    EXPECT_EQ(std::string(e.what()), "this ticket was merged into #" + std::to_string(target.id));
  }
  TicketChange open;
  open.status = TicketStatus::kOpen;
  EXPECT_THROW(store_->update_ticket(ws_, source.id, open, anna_), StoreError);
  EXPECT_THROW(store_->set_ticket_status(ws_, source.id, TicketStatus::kOpen, anna_), StoreError);
  auto s = *store_->get_conversation(ws_, source.id);
  EXPECT_EQ(s.status, ConversationStatus::kClosed);
  EXPECT_EQ(s.ticket->status, TicketStatus::kClosed);
}

TEST_P(TicketStoreTest, CustomFieldKeysAreUniquePerWorkspace) {
  TicketFieldDef f{.workspace_id = ws_, .key = "order", .label = "Order", .type = "text"};
  auto saved = store_->save_ticket_field(f);
  EXPECT_GT(saved.id, 0);
  EXPECT_THROW(store_->save_ticket_field(f), StoreError);
  auto other = store_->create_workspace("Other");
  f.workspace_id = other;
  EXPECT_NO_THROW(store_->save_ticket_field(f));
  EXPECT_EQ(store_->ticket_fields(ws_).size(), 1u);
  EXPECT_THROW(store_->delete_ticket_field(other, saved.id), StoreError);
  store_->delete_ticket_field(ws_, saved.id);
  EXPECT_TRUE(store_->ticket_fields(ws_).empty());
}

// The complaints view: tickets whose complaint is not resolved yet, whatever their
// status, as the agent's scope sees them; list rows read each one's state.
TEST_P(TicketStoreTest, ComplaintsViewAndRowStates) {
  using complaint::Action;
  auto open = create(ConversationKind::kEmail, inbox_, "Broken again");
  auto resolved = create(ConversationKind::kEmail, inbox_, "Late parcel");
  auto withdrawn = create(ConversationKind::kEmail, inbox_, "A question");
  auto elsewhere = create(ConversationKind::kEmail, other_inbox_, "Wrong size");
  auto plain = create(ConversationKind::kEmail, inbox_, "Colours?");
  complaint::Who anna{7, "Anna"};
  for (const auto* c : {&open, &resolved, &withdrawn, &elsewhere})
    store_->act_on_complaint(ws_, c->id, {.kind = Action::Kind::kMark, .by = anna});
  store_->act_on_complaint(ws_, resolved.id, {.kind = Action::Kind::kResolve, .by = anna});
  store_->act_on_complaint(ws_, withdrawn.id,
                           {.kind = Action::Kind::kWithdraw, .by = anna, .text = "no"});
  TicketChange solve;
  solve.status = TicketStatus::kSolved;
  store_->update_ticket(ws_, open.id, solve, anna_);

  auto ids = [&](const TicketQuery& q) {
    std::vector<Id> out;
    for (const auto& c : store_->list_tickets(ws_, q)) out.push_back(c.id);
    std::sort(out.begin(), out.end());
    return out;
  };
  auto q = query(TicketView::kComplaints);
  EXPECT_EQ(ids(q), (std::vector<Id>{open.id, elsewhere.id}));
  EXPECT_EQ(count(store_->ticket_counts(ws_, q, 0), TicketView::kComplaints), 2);
  auto scoped = q;
  scoped.scope.inboxes = {inbox_};
  EXPECT_EQ(ids(scoped), (std::vector<Id>{open.id}));
  EXPECT_EQ(count(store_->ticket_counts(ws_, scoped, 0), TicketView::kComplaints), 1);
  EXPECT_EQ(parse_ticket_view("complaints"), TicketView::kComplaints);
  EXPECT_EQ(to_string(TicketView::kComplaints), "complaints");

  auto states = store_->complaint_states(ws_, {open.id, resolved.id, withdrawn.id, plain.id});
  std::map<Id, complaint::Status> by_id(states.begin(), states.end());
  EXPECT_EQ(by_id.size(), 2u);
  EXPECT_EQ(by_id[open.id], complaint::Status::kOpen);
  EXPECT_EQ(by_id[resolved.id], complaint::Status::kResolved);
  auto other_ws = store_->create_workspace("Other");
  EXPECT_TRUE(store_->complaint_states(other_ws, {open.id}).empty());
  EXPECT_TRUE(store_->complaint_states(ws_, {}).empty());
}

SB_STORE_BACKENDS(TicketStoreTest);

}  // namespace
}  // namespace sb
