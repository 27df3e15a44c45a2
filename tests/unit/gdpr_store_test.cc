// GDPR in the store: a contact's export and erasure stay inside their workspace,
// erasure is idempotent and leaves agents' replies; retention deletes only closed
// conversations past their workspace's period, bounded per call.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <atomic>
#include <filesystem>

#include "store/store.h"
#include "support/test_store.h"

namespace sb {
namespace {

namespace fs = std::filesystem;
constexpr Millis kDay = 24LL * 3600 * 1000;

class GdprStore : public ::testing::TestWithParam<storetest::Backend> {
 protected:
  void SetUp() override {
    db_ = std::make_unique<storetest::TestStore>(GetParam(), [this] { return now_.load(); });
    store_ = db_->open();
    ws_ = store_->create_workspace("Acme");
    other_ws_ = store_->create_workspace("Globex");
    inbox_ = inbox(ws_, "k-acme");
    other_inbox_ = inbox(other_ws_, "k-globex");
  }

  void TearDown() override {
    store_.reset();
    db_.reset();
  }

  Id inbox(Id ws, const std::string& key) {
    Inbox i;
    i.workspace_id = ws;
    i.name = key;
    i.public_key = key;
    return store_->create_inbox(i).id;
  }

  Conversation chat(const std::string& visitor, const std::string& message, Id ws = 0) {
    NewConversation c;
    c.workspace_id = ws ? ws : ws_;
    c.inbox_id = ws == other_ws_ ? other_inbox_ : inbox_;
    c.visitor_id = visitor;
    c.client_id = "c-" + std::to_string(++serial_);
    c.name = "Giulia Bianchi";
    c.email = "giulia@example.com";
    c.subject = "Order 4711";
    c.meta = {{"page_url", "https://shop.example/cart"}};
    c.first_message = message;
    return store_->create_conversation(c).first;
  }

  Event append(const Conversation& c, AuthorType who, const std::string& kind,
               const std::string& body) {
    NewEvent e{c.workspace_id, c.id, kind, {who, 7, who == AuthorType::kAgent ? "Anna" : ""}, body};
    return store_->append_event(e).event;
  }

  void close(const Conversation& c) {
    store_->set_status(c.workspace_id, c.id, ConversationStatus::kClosed,
                       {AuthorType::kAgent, 7, "Anna"});
  }

  void attach(const Conversation& c, const std::string& id) {
    store_->save_attachment({id, c.workspace_id, "receipt.png", "image/png", 3, now_.load(),
                             "visitor:" + c.visitor_id});
    ASSERT_TRUE(store_->bind_attachment(c.workspace_id, id, c.id));
  }

  std::vector<Event> events(const Conversation& c) {
    return store_->events_after(c.workspace_id, c.id, 0, true, 1000);
  }

  std::unique_ptr<storetest::TestStore> db_;
  std::atomic<Millis> now_{1'700'000'000'000};
  std::unique_ptr<Store> store_;
  Id ws_ = 0, other_ws_ = 0, inbox_ = 0, other_inbox_ = 0;
  int serial_ = 0;
};

TEST_P(GdprStore, ExportHoldsEverythingIncludingNotesAndFiles) {
  auto c = chat("v1", "Where is my parcel?");
  append(c, AuthorType::kAgent, "note", "VIP");
  attach(c, "a1");
  auto data = store_->contact_data(ws_, c.contact.id);
  ASSERT_TRUE(data);
  EXPECT_EQ(data->contact.email, "giulia@example.com");
  EXPECT_EQ(data->identities.size(), 2u);  // visitor and e-mail
  ASSERT_EQ(data->conversations.size(), 1u);
  ASSERT_EQ(data->conversations[0].events.size(), 2u);
  EXPECT_EQ(data->conversations[0].events[1].kind, "note");
  ASSERT_EQ(data->attachments.size(), 1u);
  EXPECT_EQ(data->attachments[0].id, "a1");
  EXPECT_FALSE(data->erased_at);
}

TEST_P(GdprStore, AnotherWorkspaceSeesAndErasesNothing) {
  auto c = chat("v1", "Hello");
  EXPECT_FALSE(store_->contact_data(other_ws_, c.contact.id));
  EXPECT_FALSE(store_->erase_contact(other_ws_, c.contact.id));
  EXPECT_EQ(events(c)[0].body, "Hello");
  EXPECT_EQ(store_->get_conversation(ws_, c.id)->contact.name, "Giulia Bianchi");
}

TEST_P(GdprStore, EraseRedactsTheCustomerKeepsAgentsAndIsIdempotent) {
  auto c = chat("v1", "My phone is 333 1234567");
  append(c, AuthorType::kAgent, "message", "Hi Giulia Bianchi, checking");
  append(c, AuthorType::kAgent, "note", "mail giulia@example.com later");
  attach(c, "a1");
  store_->set_detected_language(ws_, c.id, "it");
  store_->flag_emotional_peak(ws_, c.id, {0.9, {"swearing"}, 1}, 20);

  auto r = store_->erase_contact(ws_, c.contact.id);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->conversations, 1);
  EXPECT_EQ(r->messages_redacted, 1);
  ASSERT_EQ(r->attachments.size(), 1u);
  auto evs = events(c);
  EXPECT_EQ(evs[0].body, "[erased]");
  EXPECT_EQ(evs[0].author.name, "");
  EXPECT_EQ(evs[1].body, "Hi [erased], checking");
  EXPECT_EQ(evs[2].body, "mail [erased] later");
  EXPECT_FALSE(store_->get_attachment(ws_, "a1"));
  auto conv = *store_->get_conversation(ws_, c.id);
  EXPECT_EQ(conv.subject, "");
  EXPECT_EQ(conv.contact.name, "");
  EXPECT_EQ(conv.contact.email, "");
  EXPECT_TRUE(conv.meta.contains("erased_at"));
  EXPECT_EQ(conv.meta.size(), 1u);
  EXPECT_EQ(conv.detected_language, "");  // read from their words: erased with them
  EXPECT_FALSE(conv.emotional_peak());
  EXPECT_NE(conv.visitor_id, "v1");
  EXPECT_TRUE(store_->list_visitor_conversations(ws_, "v1").empty());

  auto again = store_->erase_contact(ws_, c.contact.id);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->conversations, 1);
  EXPECT_EQ(again->messages_redacted, 0);
  EXPECT_TRUE(again->attachments.empty());
  auto data = store_->contact_data(ws_, c.contact.id);
  EXPECT_TRUE(data->erased_at);
  EXPECT_TRUE(data->identities.empty());

  auto fresh = chat("v1", "Hello again");  // same cookie and e-mail: a new contact
  EXPECT_NE(fresh.contact.id, c.contact.id);
}

// A ticket's custom field values are the customer's (an order number, an address):
// exported with the workspace's field names, and blanked by erasure. Complaints
// are exported with their whole checklist history (who ticked what, when).
TEST_P(GdprStore, TicketFieldsAndComplaintsAreExportedAndFieldValuesErased) {
  NewConversation n;
  n.workspace_id = ws_;
  n.inbox_id = inbox_;
  n.visitor_id = "v9";
  n.client_id = "form-1";
  n.kind = ConversationKind::kOffline;
  n.email = "giulia@example.com";
  n.first_message = "The lamp arrived broken";
  auto t = store_->create_conversation(n).first;
  store_->save_ticket_field(
      {.workspace_id = ws_, .key = "order", .label = "Order", .type = "text"});
  TicketChange c;
  c.custom = {{"order", "4711"}, {"address", "Via Roma 2"}};
  store_->update_ticket(ws_, t.id, c, {AuthorType::kAgent, 7, "Anna"});
  complaint::Action mark{.kind = complaint::Action::Kind::kMark, .by = {7, "Anna"}};
  mark.category = "damaged";
  store_->act_on_complaint(ws_, t.id, mark);
  now_ += 60'000;
  store_->act_on_complaint(ws_, t.id,
                           {.kind = complaint::Action::Kind::kTick,
                            .by = {8, "Marek"},
                            .text = "called her",
                            .step = complaint::Step::kApologise,
                            .done = true});

  auto data = store_->contact_data(ws_, t.contact.id);
  ASSERT_TRUE(data);
  ASSERT_EQ(data->conversations.size(), 1u);
  const auto& r = data->conversations[0];
  EXPECT_EQ(r.conversation.ticket->custom.at("order").as_string(), "4711");
  ASSERT_EQ(data->ticket_fields.size(), 1u);
  EXPECT_EQ(data->ticket_fields[0].label, "Order");
  ASSERT_EQ(r.complaints.size(), 1u);
  EXPECT_EQ(r.complaints[0].category, "damaged");
  EXPECT_EQ(r.complaints[0].marked_by.name, "Anna");
  ASSERT_EQ(r.complaints[0].history.size(), 1u);
  EXPECT_EQ(r.complaints[0].history[0].by.name, "Marek");
  EXPECT_EQ(r.complaints[0].history[0].at, now_.load());
  EXPECT_EQ(r.complaints[0].history[0].note, "called her");

  store_->erase_contact(ws_, t.contact.id);
  EXPECT_TRUE(store_->get_conversation(ws_, t.id)->ticket->custom.empty());
  auto after = store_->contact_data(ws_, t.contact.id);
  EXPECT_TRUE(after->conversations[0].conversation.ticket->custom.empty());
}

TEST_P(GdprStore, RetentionIsPerWorkspaceAndValidatedByTheCaller) {
  EXPECT_FALSE(store_->retention_days(ws_));
  store_->set_retention_days(ws_, 30);
  EXPECT_EQ(store_->retention_days(ws_), 30);
  EXPECT_FALSE(store_->retention_days(other_ws_));
  store_->set_retention_days(ws_, std::nullopt);
  EXPECT_FALSE(store_->retention_days(ws_));
}

TEST_P(GdprStore, PurgeDeletesOnlyExpiredClosedConversationsBoundedPerCall) {
  store_->set_retention_days(ws_, 30);
  std::vector<Conversation> old_closed;
  for (int i = 0; i < 3; ++i) {
    old_closed.push_back(chat("old" + std::to_string(i), "bye"));
    close(old_closed.back());
  }
  attach(old_closed[0], "a-old");
  auto old_open = chat("open", "still waiting");
  auto other = chat("other", "elsewhere", other_ws_);  // a workspace that keeps forever
  close(other);
  now_ += 31 * kDay;
  auto recent = chat("recent", "just now");
  close(recent);

  auto first = store_->purge_expired_conversations(now_.load(), 2);
  EXPECT_EQ(first.conversations, 2);
  auto second = store_->purge_expired_conversations(now_.load(), 2);
  EXPECT_EQ(second.conversations, 1);
  EXPECT_EQ(store_->purge_expired_conversations(now_.load(), 2).conversations, 0);
  EXPECT_EQ(first.attachments.size() + second.attachments.size(), 1u);
  for (const auto& c : old_closed) {
    EXPECT_FALSE(store_->get_conversation(ws_, c.id));
    EXPECT_TRUE(events(c).empty());
  }
  EXPECT_FALSE(store_->get_attachment(ws_, "a-old"));
  EXPECT_TRUE(store_->get_conversation(ws_, old_open.id));
  EXPECT_TRUE(store_->get_conversation(ws_, recent.id));
  EXPECT_TRUE(store_->get_conversation(other_ws_, other.id));
}

SB_STORE_BACKENDS(GdprStore);

}  // namespace
}  // namespace sb
