// Tickets and mail in the store: which conversations are tickets, the outbox's
// retries, the upgrade of old offline forms, and retention taking mail rows along.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>
#include <filesystem>

#include "store/sqlite_db.h"
#include "store/store.h"
#include "support/test_store.h"

namespace sb {
namespace {

namespace fs = std::filesystem;
constexpr Millis kDay = 24LL * 3600 * 1000;

class MailStoreTest : public ::testing::TestWithParam<storetest::Backend> {
 protected:
  void SetUp() override {
    db_ = std::make_unique<storetest::TestStore>(GetParam(), [this] { return now_; });
    store_ = db_->open();
    ws_ = store_->create_workspace("Shop");
    Inbox i;
    i.workspace_id = ws_;
    i.name = "Mail";
    i.public_key = "k";
    inbox_ = store_->create_inbox(i).id;
  }
  void TearDown() override {
    store_.reset();
    db_.reset();
  }

  Conversation create(ConversationKind kind, const std::string& client) {
    NewConversation c;
    c.workspace_id = ws_;
    c.inbox_id = inbox_;
    c.visitor_id = "v";
    c.client_id = client;
    c.kind = kind;
    c.email = "c@example.com";
    c.first_message = "hello";
    return store_->create_conversation(c).first;
  }

  MailIngested receive(const std::string& id) {
    InboundMail m;
    m.workspace_id = ws_;
    m.inbox_id = inbox_;
    m.message_id = id;
    m.content.from = {"Carla", "carla@example.com"};
    m.content.subject = "Kettle";
    m.content.html = "<p>Hello</p>";
    m.content.quoted = "> earlier";
    m.body = "Hello";
    return store_->ingest_mail(m);
  }

  std::optional<OutboxMail> queue(Id ticket, const std::string& id) {
    return store_
        ->append_with_mail(std::nullopt, ws_, ticket,
                           [&](const MailThread& t, const Event*) {
                             EXPECT_EQ(t.ticket.id, ticket);
                             OutboxMail m;
                             m.message_id = id;
                             m.envelope_from = "support@shop.example";
                             m.recipients = {"carla@example.com"};
                             m.raw = "Subject: hi\r\n\r\nhi\r\n";
                             return std::optional<OutboxMail>(m);
                           })
        .second;
  }

  std::unique_ptr<storetest::TestStore> db_;
  std::unique_ptr<Store> store_;
  Id ws_ = 0, inbox_ = 0;
  Millis now_ = 1'700'000'000'000;
};

TEST_P(MailStoreTest, OfflineFormsAndMailAreTicketsChatsAreNot) {
  auto offline = create(ConversationKind::kOffline, "a");
  ASSERT_TRUE(offline.ticket);
  EXPECT_EQ(offline.ticket->status, TicketStatus::kNew);
  EXPECT_EQ(offline.ticket->priority, TicketPriority::kNormal);
  EXPECT_FALSE(create(ConversationKind::kChat, "b").ticket);
  auto mail = receive("m1@example.com");
  ASSERT_TRUE(mail.created);
  EXPECT_EQ(mail.conversation->kind, ConversationKind::kEmail);
  EXPECT_EQ(mail.conversation->contact.email, "carla@example.com");
  EXPECT_EQ(mail.conversation->ticket->status, TicketStatus::kNew);
  auto content = store_->mail_content(ws_, mail.event->id);
  ASSERT_TRUE(content);
  EXPECT_EQ(content->html, "<p>Hello</p>");
  EXPECT_EQ(content->quoted, "> earlier");
  EXPECT_EQ(content->from.address, "carla@example.com");
}

TEST_P(MailStoreTest, OneContactPerAddressAcrossTickets) {
  auto a = receive("m1@example.com");
  auto b = receive("m2@example.com");
  EXPECT_NE(a.conversation->id, b.conversation->id);
  EXPECT_EQ(a.conversation->contact.id, b.conversation->contact.id);
}

// A reply goes where the customer last wrote from: one of their contact's
// addresses (a merge gave them two), not an auto-reply's, not a colleague's in Cc.
TEST_P(MailStoreTest, TheThreadNamesTheAddressTheCustomerLastWroteFrom) {
  auto mail = [&](const std::string& id, MailAddress from, std::optional<Id> into,
                  bool auto_reply = false) {
    now_ += 1000;
    InboundMail m;
    m.workspace_id = ws_;
    m.inbox_id = inbox_;
    m.message_id = id;
    m.content.from = from;
    m.content.subject = "Kettle";
    m.body = "Hello";
    m.auto_reply = auto_reply;
    if (into) m.plan = [t = *into](MailLookups&) { return MailPlan{MailPlan::Action::kJoin, t}; };
    return store_->ingest_mail(m);
  };
  auto first = mail("m1@example.com", {"Carla", "carla@example.com"}, std::nullopt);
  Id ticket = first.conversation->id;
  EXPECT_EQ(store_->mail_thread(ws_, ticket)->customer.address, "carla@example.com");
  auto work = mail("w1@example.org", {"Carla R.", "Carla.Work@Example.org"}, std::nullopt);
  ASSERT_NE(work.conversation->contact.id, first.conversation->contact.id);
  ASSERT_TRUE(store_->merge_contacts(ws_, first.conversation->contact.id,
                                     work.conversation->contact.id, 1));

  mail("m2@example.org", {"Carla R.", "carla.work@example.org"}, ticket);
  auto t = store_->mail_thread(ws_, ticket);
  EXPECT_EQ(t->ticket.contact.email, "carla@example.com") << "the main address stays";
  EXPECT_EQ(t->customer.address, "carla.work@example.org");
  EXPECT_EQ(t->customer.name, "Carla R.");
  // An out-of-office from the main address, a colleague writing in: not the customer writing.
  mail("m3@example.com", {"Carla", "carla@example.com"}, ticket, true);
  mail("m4@example.net", {"Bob", "bob@example.net"}, ticket);
  EXPECT_EQ(store_->mail_thread(ws_, ticket)->customer.address, "carla.work@example.org");
  // They write from the main address again: that is where the answer goes.
  mail("m5@example.com", {"Carla", "carla@example.com"}, ticket);
  EXPECT_EQ(store_->mail_thread(ws_, ticket)->customer.address, "carla@example.com");
}

TEST_P(MailStoreTest, TheOutboxRetriesUntilSentAndRecordsOurMessageId) {
  auto t = receive("m1@example.com");
  auto queued = queue(t.conversation->id, "r1@shop.example");
  ASSERT_TRUE(queued);
  EXPECT_EQ(store_->find_mail(ws_, "r1@shop.example")->direction, MailDirection::kOut);
  auto due = store_->due_mail(now_, 10);
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0].raw, "Subject: hi\r\n\r\nhi\r\n");
  store_->mark_mail_failed(ws_, due[0].id, "421 try later", now_ + 60'000);
  EXPECT_TRUE(store_->due_mail(now_, 10).empty());
  ASSERT_EQ(store_->due_mail(now_ + 60'000, 10).size(), 1u);
  store_->mark_mail_sent(ws_, due[0].id);
  EXPECT_TRUE(store_->due_mail(now_ + kDay, 10).empty());
  auto sent = store_->outbox_mail(ws_, "r1@shop.example");
  EXPECT_EQ(sent->status, OutboxStatus::kSent);
  EXPECT_EQ(sent->attempts, 2);
  // Given up for good: never due again.
  auto second = queue(t.conversation->id, "r2@shop.example");
  store_->mark_mail_failed(ws_, second->id, "550 no such user", std::nullopt);
  EXPECT_TRUE(store_->due_mail(now_ + kDay, 10).empty());
  EXPECT_EQ(store_->outbox_mail(ws_, "r2@shop.example")->status, OutboxStatus::kFailed);
}

TEST_P(MailStoreTest, AnAgentsFirstMailAnswerOpensTheTicketAndTimesIt) {
  auto t = receive("m1@example.com");
  now_ += 5000;
  NewEvent e{ws_, t.conversation->id, "message", {AuthorType::kAgent, 1, "Anna"}, "Answer", "", {}};
  store_->append_with_mail(e, ws_, t.conversation->id, [](const MailThread&, const Event* ev) {
    OutboxMail m;
    m.message_id = "r1@shop.example";
    m.event_id = ev->id;
    return std::optional<OutboxMail>(m);
  });
  auto after = store_->get_conversation(ws_, t.conversation->id);
  EXPECT_EQ(after->ticket->status, TicketStatus::kOpen);
  EXPECT_EQ(after->ticket->first_response_at, now_);
}

TEST_P(MailStoreTest, AMailQueuedForAnAgentsCommittedMessageTimesTheFirstResponse) {
  auto t = receive("m1@example.com");
  now_ += 5000;
  auto written = store_->append_event(
      {ws_, t.conversation->id, "message", {AuthorType::kAgent, 1, "Anna"}, "Answer", "", {}});
  Millis answered = now_;
  now_ += 2000;  // the change feed queues its mail a little later
  store_->append_with_mail(std::nullopt, ws_, t.conversation->id,
                           [&](const MailThread&, const Event*) {
                             OutboxMail m;
                             m.message_id = "r1@shop.example";
                             m.event_id = written.event.id;
                             return std::optional<OutboxMail>(m);
                           });
  auto after = store_->get_conversation(ws_, t.conversation->id);
  EXPECT_EQ(after->ticket->status, TicketStatus::kOpen);
  EXPECT_EQ(after->ticket->first_response_at, answered);
}

TEST_P(MailStoreTest, RetentionDeletesATicketsMailRowsWithIt) {
  auto t = receive("m1@example.com");
  auto q = queue(t.conversation->id, "r1@shop.example");
  store_->set_ticket_status(ws_, t.conversation->id, TicketStatus::kClosed, {});
  store_->set_retention_days(ws_, 1);
  now_ += 2 * kDay;
  EXPECT_EQ(store_->purge_expired_conversations(now_, 10).conversations, 1);
  EXPECT_FALSE(store_->find_mail(ws_, "m1@example.com"));
  EXPECT_FALSE(store_->outbox_mail(ws_, "r1@shop.example"));
}

// The console's view: each mail with its headers, our replies with their delivery
// state and copies; the Cc of a reply join the ticket, its Bcc do not.
TEST_P(MailStoreTest, TicketMailShowsHeadersDeliveryAndKeepsTheCopies) {
  auto t = receive("m1@example.com");
  Id ticket = t.conversation->id;
  NewEvent e{ws_, ticket, "message", {AuthorType::kAgent, 1, "Anna"}, "Answer", "c1", {}};
  auto [stored, mail] =
      store_->append_with_mail(e, ws_, ticket, [](const MailThread&, const Event* ev) {
        OutboxMail m;
        m.message_id = "r1@shop.example";
        m.event_id = ev->id;
        m.shown.subject = "Re: Kettle [#1]";
        m.shown.to = {{"Carla", "carla@example.com"}};
        m.shown.cc = {{"Marco", "marco@partner.example"}};
        m.shown.bcc = {{"", "boss@shop.example"}};
        return std::optional<OutboxMail>(m);
      });
  ASSERT_TRUE(mail);
  auto entries = store_->ticket_mail(ws_, ticket, 10);
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].id.direction, MailDirection::kIn);
  EXPECT_EQ(entries[0].content.subject, "Kettle");
  EXPECT_FALSE(entries[0].outbox);
  EXPECT_EQ(entries[1].id.event_id, stored->event.id);
  ASSERT_TRUE(entries[1].outbox);
  EXPECT_EQ(entries[1].outbox->status, OutboxStatus::kQueued);
  EXPECT_TRUE(entries[1].outbox->raw.empty());
  ASSERT_EQ(entries[1].content.bcc.size(), 1u);
  EXPECT_EQ(entries[1].content.bcc[0].address, "boss@shop.example");
  auto thread = store_->mail_thread(ws_, ticket);
  std::vector<std::string> on_ticket;
  for (const auto& p : thread->participants) on_ticket.push_back(p.address);
  EXPECT_NE(std::find(on_ticket.begin(), on_ticket.end(), "marco@partner.example"),
            on_ticket.end());
  EXPECT_EQ(std::find(on_ticket.begin(), on_ticket.end(), "boss@shop.example"), on_ticket.end());
  EXPECT_TRUE(store_->ticket_mail(ws_ + 1, ticket, 10).empty()) << "another workspace";
}

TEST_P(MailStoreTest, OnlyAFailedReplyIsQueuedAgain) {
  auto t = receive("m1@example.com");
  Id ticket = t.conversation->id;
  auto written = store_->append_event(
      {ws_, ticket, "message", {AuthorType::kAgent, 1, "Anna"}, "Answer", "c1", {}});
  auto queued =
      store_->append_with_mail(std::nullopt, ws_, ticket, [&](const MailThread&, const Event*) {
        OutboxMail m;
        m.message_id = "r1@shop.example";
        m.event_id = written.event.id;
        return std::optional<OutboxMail>(m);
      });
  EXPECT_FALSE(store_->retry_mail(ws_, ticket, written.event.id)) << "queued, not failed";
  store_->mark_mail_failed(ws_, queued.second->id, "rcpt: 550 no", std::nullopt);
  EXPECT_FALSE(store_->retry_mail(ws_ + 1, ticket, written.event.id)) << "another workspace";
  EXPECT_FALSE(store_->retry_mail(ws_, ticket + 1, written.event.id)) << "another ticket";
  now_ += 1000;
  EXPECT_TRUE(store_->retry_mail(ws_, ticket, written.event.id));
  auto due = store_->due_mail(now_, 10);
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0].last_error, "");
}

TEST_P(MailStoreTest, AgentsMessagesWithoutMailAreFoundForTheRestart) {
  auto t = receive("m1@example.com");
  Id ticket = t.conversation->id;
  auto lost = store_->append_event(
      {ws_, ticket, "message", {AuthorType::kAgent, 1, "Anna"}, "Lost", "c1", {}});
  store_->append_event({ws_, ticket, "note", {AuthorType::kAgent, 1, "Anna"}, "Note", "c2", {}});
  auto chat = create(ConversationKind::kChat, "chat");
  store_->append_event(
      {ws_, chat.id, "message", {AuthorType::kAgent, 1, "Anna"}, "Chat", "c3", {}});
  auto found = store_->unmailed_replies(now_ - kDay, 10);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].id, lost.event.id);
  EXPECT_EQ(found[0].body, "Lost");
  store_->append_with_mail(std::nullopt, ws_, ticket, [&](const MailThread&, const Event*) {
    OutboxMail m;
    m.message_id = "r1@shop.example";
    m.event_id = lost.event.id;
    return std::optional<OutboxMail>(m);
  });
  EXPECT_TRUE(store_->unmailed_replies(now_ - kDay, 10).empty());
  EXPECT_TRUE(store_->unmailed_replies(now_ + 1, 10).empty()) << "older than the window";
}

TEST(MailMigration, OldOfflineFormsBecomeTickets) {
  std::string tmpl = (fs::temp_directory_path() / "sb-mail-migration-XXXXXX").string();
  ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
  auto path = (fs::path(tmpl) / "old.db").string();
  {
    sqlite::Connection db(path);
    sqlite::migrate(db, 8);
    db.exec(R"sql(
      INSERT INTO workspace (id, name, created_at, slug) VALUES (1, 'Acme', 0, 'acme');
      INSERT INTO inbox (id, workspace_id, name, public_key, timezone, business_hours, widget,
        prechat_fields, topics, created_at) VALUES (1, 1, 'Web', 'k', 'UTC', '{}', '{}', '[]', '[]', 0);
      INSERT INTO contact (id, workspace_id, created_at) VALUES (1, 1, 0);
      INSERT INTO conversation (id, workspace_id, inbox_id, contact_id, visitor_id, client_id, kind,
        status, created_at, updated_at) VALUES
        (1, 1, 1, 1, 'v', 'a', 'offline', 'open', 0, 0),
        (2, 1, 1, 1, 'v', 'b', 'offline', 'closed', 0, 0),
        (3, 1, 1, 1, 'v', 'c', 'chat', 'open', 0, 0);
    )sql");
  }
  {
    sqlite::Connection db(path);
    sqlite::migrate(db);
    sqlite::Statement q(db, "SELECT group_concat(coalesce(ticket_status, '-')) FROM conversation");
    ASSERT_TRUE(q.step());
    EXPECT_EQ(q.text(0), "open,closed,-");
  }
  fs::remove_all(tmpl);
}

SB_STORE_BACKENDS(MailStoreTest);

}  // namespace
}  // namespace sb
