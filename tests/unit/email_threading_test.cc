// The threading matrix: each way help desks end up with duplicate tickets, played
// through the real threading rules and the real SQLite store. Every case counts
// tickets and events, because a wrong answer shows up as one ticket too many.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <set>

#include "email/email.h"
#include "store/store.h"
#include "support/test_store.h"

namespace sb {
namespace {

namespace fs = std::filesystem;

constexpr const char* kSupport = "support@shop.example";

mime::Address addr(std::string address, std::string name = "") {
  return {std::move(name), std::move(address)};
}

mime::ParsedMail mail(std::string from, std::string subject, std::string id,
                      std::string text = "Hello") {
  mime::ParsedMail m;
  m.from = addr(std::move(from), "Customer");
  m.to = {addr(kSupport)};
  m.subject = std::move(subject);
  m.message_id = std::move(id);
  m.text = std::move(text);
  return m;
}

mime::ParsedMail reply_to(mime::ParsedMail m, std::string parent,
                          std::vector<std::string> references = {}) {
  m.in_reply_to = std::move(parent);
  m.references = std::move(references);
  return m;
}

class Threading : public ::testing::TestWithParam<storetest::Backend> {
 protected:
  void SetUp() override {
    db_ = std::make_unique<storetest::TestStore>(GetParam(), [this] { return now_ += 1000; });
    store_ = db_->open();
    Inbox i;
    i.name = "Mail";
    i.public_key = "k-mail";
    i.workspace_id = store_->create_workspace("Shop");
    auto in = store_->create_inbox(i);
    inbox_.workspace_id = in.workspace_id;
    inbox_.inbox_id = in.id;
    inbox_.address = kSupport;
    inbox_.display_name = "Shop support";
    inbox_.token_key = "0123456789abcdef0123456789abcdef";
  }

  void TearDown() override {
    store_.reset();
    db_.reset();
  }

  // One inbound mail through threading and the store, as ingest does it.
  MailIngested receive(const mime::ParsedMail& m, std::string_view raw = "") {
    auto in = email::thread_input(m, raw);
    InboundMail im;
    im.workspace_id = inbox_.workspace_id;
    im.inbox_id = inbox_.inbox_id;
    im.message_id = in.message_id;
    im.content.subject = m.subject;
    im.content.from = {m.from.name, lower_ascii(m.from.address)};
    for (const auto* list : {&m.to, &m.cc})
      for (const auto& a : *list)
        if (!inbox_.is_own(a.address) && !email::ticket_of_address(inbox_, a.address))
          im.participants.push_back({a.name, lower_ascii(a.address)});
    im.body = m.text;
    im.auto_reply = m.auto_reply;
    im.bounce = m.bounce.has_value();
    im.plan = [&](MailLookups& l) { return email::thread_mail(in, inbox_, l); };
    return store_->ingest_mail(im);
  }

  // An agent's answer on the ticket, recorded as our mail; returns its Message-ID.
  std::string answer(Id ticket, bool acknowledgement = false) {
    auto id = "our-" + std::to_string(++sent_) + "@shop.example";
    std::optional<NewEvent> e;
    if (!acknowledgement) {
      e = NewEvent{inbox_.workspace_id,  ticket, "message", {AuthorType::kAgent, 1, "Anna"},
                   "Here is the answer", "",     {}};
    }
    auto [appended, queued] = store_->append_with_mail(e, inbox_.workspace_id, ticket,
                                                       [&](const MailThread&, const Event* ev) {
                                                         OutboxMail m;
                                                         m.message_id = id;
                                                         m.envelope_from = kSupport;
                                                         m.recipients = {"customer@example.com"};
                                                         m.raw = "...";
                                                         if (ev) m.event_id = ev->id;
                                                         return std::optional<OutboxMail>(m);
                                                       });
    EXPECT_TRUE(queued);
    return id;
  }

  int tickets() {
    int n = 0;
    for (auto status : {ConversationStatus::kOpen, ConversationStatus::kClosed})
      n += static_cast<int>(
          store_
              ->list_conversations(inbox_.workspace_id,
                                   {ConversationFilter::View::kAll, 0, status, 1000, {}})
              .size());
    return n;
  }

  // Mail events (customer mail, auto-replies, bounces), not system notices.
  int mail_events(Id ticket) {
    int n = 0;
    for (const auto& e : store_->events_after(inbox_.workspace_id, ticket, 0, true, 1000))
      if (e.client_id.starts_with("mail:")) ++n;
    return n;
  }

  Conversation ticket(Id id) { return *store_->get_conversation(inbox_.workspace_id, id); }

  void closed_for_good(Id id) {
    store_->set_ticket_status(inbox_.workspace_id, id, TicketStatus::kClosed, {});
  }

  std::unique_ptr<storetest::TestStore> db_;
  std::unique_ptr<Store> store_;
  email::MailInbox inbox_;
  Millis now_ = 1'700'000'000'000;
  int sent_ = 0;
};

TEST_P(Threading, CustomerReplyToOurReplyJoinsTheTicket) {
  auto first = receive(mail("customer@example.com", "Broken kettle", "c1@example.com"));
  ASSERT_TRUE(first.created);
  auto ours = answer(first.conversation->id);
  auto second =
      receive(reply_to(mail("customer@example.com", "Re: Broken kettle", "c2@example.com"), ours,
                       {"c1@example.com", ours}));
  EXPECT_FALSE(second.created);
  EXPECT_EQ(second.conversation->id, first.conversation->id);
  EXPECT_EQ(tickets(), 1);
  EXPECT_EQ(mail_events(first.conversation->id), 2);
}

TEST_P(Threading, ReplyAllFromTheCcdColleaguesOtherAddressJoinsTheTicket) {
  auto m = mail("customer@example.com", "Invoice", "c1@example.com");
  m.cc = {addr("colleague@example.com", "Colleague")};
  auto first = receive(m);
  auto ours = answer(first.conversation->id);
  // The colleague answers from their private address, with the thread's headers.
  auto r = reply_to(mail("colleague.private@gmail.example", "Re: Invoice", "p1@gmail.example"),
                    ours, {"c1@example.com", ours});
  r.cc = {addr("customer@example.com"), addr(kSupport)};
  auto second = receive(r);
  EXPECT_EQ(second.conversation->id, first.conversation->id);
  EXPECT_EQ(tickets(), 1);
  EXPECT_EQ(mail_events(first.conversation->id), 2);
  // Both are on the ticket now: replies go to them too.
  auto thread = store_->mail_thread(inbox_.workspace_id, first.conversation->id);
  ASSERT_TRUE(thread);
  std::set<std::string> on;
  for (const auto& p : thread->participants) on.insert(p.address);
  EXPECT_TRUE(on.contains("colleague@example.com"));
  EXPECT_TRUE(on.contains("colleague.private@gmail.example"));
  EXPECT_FALSE(on.contains(kSupport));
}

TEST_P(Threading, ReplyToOurAcknowledgementJoinsTheTicket) {
  auto first = receive(mail("customer@example.com", "Where is my order?", "c1@example.com"));
  auto ack = answer(first.conversation->id, /*acknowledgement=*/true);
  auto second = receive(reply_to(mail("customer@example.com", "Re: Where is my order? [#1]",
                                      "c2@example.com", "Also: the order number is 77"),
                                 ack, {"c1@example.com", ack}));
  EXPECT_EQ(second.conversation->id, first.conversation->id);
  EXPECT_EQ(tickets(), 1);
  EXPECT_EQ(mail_events(first.conversation->id), 2);
}

TEST_P(Threading, OutlookReplyWithOnlyInReplyToJoinsTheTicket) {
  auto first = receive(mail("customer@example.com", "Refund", "c1@example.com"));
  auto ours = answer(first.conversation->id);
  auto second =
      receive(reply_to(mail("customer@example.com", "RE: Refund", "outlook-2@example.com"), ours));
  EXPECT_EQ(second.conversation->id, first.conversation->id);
  EXPECT_EQ(tickets(), 1);
  EXPECT_EQ(mail_events(first.conversation->id), 2);
}

TEST_P(Threading, OutlookReplyWithNeitherHeaderThreadsByTheNumberFromTheCustomer) {
  auto first = receive(mail("customer@example.com", "Refund", "c1@example.com"));
  auto n = std::to_string(first.conversation->id);
  auto second = receive(mail("Customer@Example.com", "RE: [#" + n + "] Refund", "c2@example.com"));
  EXPECT_EQ(second.conversation->id, first.conversation->id);
  EXPECT_EQ(second.plan.reason, "subject number");
  EXPECT_EQ(tickets(), 1);
  EXPECT_EQ(mail_events(first.conversation->id), 2);
}

TEST_P(Threading, CustomerChangingTheSubjectStaysOnTheTicket) {
  auto first = receive(mail("customer@example.com", "Kettle", "c1@example.com"));
  auto ours = answer(first.conversation->id);
  auto second = receive(
      reply_to(mail("customer@example.com", "Something completely different", "c2@example.com"),
               ours, {"c1@example.com", ours}));
  EXPECT_EQ(second.conversation->id, first.conversation->id);
  EXPECT_EQ(tickets(), 1);
}

TEST_P(Threading, TheSameMailFetchedTwiceIsStoredOnce) {
  auto m = mail("customer@example.com", "Kettle", "c1@example.com");
  auto first = receive(m);
  auto again = receive(m);
  EXPECT_TRUE(again.duplicate);
  EXPECT_FALSE(again.event);
  EXPECT_EQ(again.conversation->id, first.conversation->id);
  EXPECT_EQ(tickets(), 1);
  EXPECT_EQ(mail_events(first.conversation->id), 1);
}

TEST_P(Threading, AMailWithoutMessageIdFetchedTwiceIsStoredOnce) {
  auto m = mail("customer@example.com", "No id", "");
  std::string raw = "From: customer@example.com\r\nSubject: No id\r\n\r\nHello\r\n";
  auto first = receive(m, "Delivered-To: support@shop.example\r\n" + raw);
  // The second fetch went through another hop: its trace headers differ.
  auto again = receive(m, "Received: from mx2\r\nDelivered-To: support@shop.example\r\n" + raw);
  EXPECT_TRUE(first.created);
  EXPECT_TRUE(again.duplicate);
  EXPECT_EQ(tickets(), 1);
  EXPECT_EQ(mail_events(first.conversation->id), 1);
}

TEST_P(Threading, AMailForwardedToTheInboxIsANewTicket) {
  auto first = receive(mail("customer@example.com", "Kettle", "c1@example.com"));
  answer(first.conversation->id);
  // A colleague forwards an old conversation of theirs: quoted, but no header of ours.
  auto fwd = mail("colleague@example.com", "Fwd: Kettle", "f1@example.com",
                  "See below\n\n---------- Forwarded message ---------\nFrom: someone");
  fwd.references = {"their-old-thread@elsewhere.example"};
  auto second = receive(fwd);
  EXPECT_TRUE(second.created);
  EXPECT_EQ(tickets(), 2);
  EXPECT_EQ(mail_events(first.conversation->id), 1);
  EXPECT_EQ(mail_events(second.conversation->id), 1);
}

TEST_P(Threading, AStrangersNumberInTheSubjectDoesNotGetIntoTheTicket) {
  auto first = receive(mail("customer@example.com", "Private matter", "c1@example.com"));
  auto n = std::to_string(first.conversation->id);
  auto second =
      receive(mail("stranger@evil.example", "Re: [#" + n + "] let me in", "s1@evil.example"));
  EXPECT_TRUE(second.created);
  EXPECT_NE(second.conversation->id, first.conversation->id);
  EXPECT_EQ(tickets(), 2);
  EXPECT_EQ(mail_events(first.conversation->id), 1);
}

TEST_P(Threading, AForgedReplyAddressDoesNotGetIntoTheTicket) {
  auto first = receive(mail("customer@example.com", "Private matter", "c1@example.com"));
  auto n = std::to_string(first.conversation->id);
  auto forged = mail("stranger@evil.example", "hi", "s1@evil.example");
  forged.to = {addr("support+t" + n + "-000000000000@shop.example")};
  EXPECT_TRUE(receive(forged).created);
  // The real one, as our reply's Reply-To gives it, works without any header.
  auto real = mail("customer@example.com", "hi again", "c2@example.com");
  real.to = {addr(email::ticket_address(inbox_, first.conversation->id))};
  auto joined = receive(real);
  EXPECT_EQ(joined.conversation->id, first.conversation->id);
  EXPECT_EQ(joined.plan.reason, "reply address");
  EXPECT_EQ(tickets(), 2);
}

TEST_P(Threading, AReplyAfterCloseOpensANewTicketThatFollowsTheOldOne) {
  auto first = receive(mail("customer@example.com", "Kettle", "c1@example.com"));
  auto ours = answer(first.conversation->id);
  store_->set_status(inbox_.workspace_id, first.conversation->id, ConversationStatus::kClosed, {});
  // An agent closing solves it; a final close is its own status.
  EXPECT_EQ(ticket(first.conversation->id).ticket->status, TicketStatus::kSolved);
  auto reopened = receive(reply_to(mail("customer@example.com", "Re: Kettle", "c2@example.com"),
                                   ours, {"c1@example.com", ours}));
  EXPECT_EQ(reopened.conversation->id, first.conversation->id);
  EXPECT_EQ(reopened.conversation->status, ConversationStatus::kOpen);
  EXPECT_EQ(reopened.conversation->ticket->status, TicketStatus::kOpen);
  EXPECT_EQ(tickets(), 1);

  closed_for_good(first.conversation->id);
  auto later = receive(reply_to(mail("customer@example.com", "Re: Kettle", "c3@example.com"),
                                "c2@example.com", {"c1@example.com", ours, "c2@example.com"}));
  EXPECT_TRUE(later.created);
  EXPECT_EQ(later.conversation->ticket->follows, first.conversation->id);
  EXPECT_EQ(tickets(), 2);
  EXPECT_EQ(mail_events(first.conversation->id), 2);
  EXPECT_EQ(mail_events(later.conversation->id), 1);
}

TEST_P(Threading, TwoMailsWithTheSameSubjectAndNoHeadersAreTwoTickets) {
  auto a = receive(mail("customer@example.com", "Question", "", "First question"),
                   "From: customer@example.com\r\nSubject: Question\r\n\r\nFirst question\r\n");
  auto b = receive(mail("customer@example.com", "Question", "", "Second question"),
                   "From: customer@example.com\r\nSubject: Question\r\n\r\nSecond question\r\n");
  EXPECT_TRUE(a.created);
  EXPECT_TRUE(b.created);
  EXPECT_EQ(tickets(), 2);
}

TEST_P(Threading, OurOwnMailComingBackIsDropped) {
  auto loop = receive(mail(kSupport, "Re: Kettle", "loop@shop.example"));
  EXPECT_EQ(loop.plan.action, MailPlan::Action::kIgnore);
  EXPECT_FALSE(loop.event);
  EXPECT_EQ(tickets(), 0);
}

TEST_P(Threading, MailFromOurOwnReplyAddressesIsDroppedToo) {
  auto first = receive(mail("customer@example.com", "Kettle", "c1@example.com"));
  auto loop = receive(mail(email::ticket_address(inbox_, first.conversation->id), "Re: Kettle",
                           "loop2@shop.example"));
  EXPECT_EQ(loop.plan.action, MailPlan::Action::kIgnore);
  EXPECT_EQ(tickets(), 1);
}

TEST_P(Threading, AnAutoReplyJoinsAsANoteWithoutReopening) {
  auto first = receive(mail("customer@example.com", "Kettle", "c1@example.com"));
  auto ours = answer(first.conversation->id);
  store_->set_status(inbox_.workspace_id, first.conversation->id, ConversationStatus::kClosed, {});
  auto away = reply_to(mail("customer@example.com", "Out of office", "ooo@example.com"), ours);
  away.auto_reply = true;
  auto r = receive(away);
  EXPECT_EQ(r.conversation->id, first.conversation->id);
  EXPECT_EQ(r.event->kind, "note");
  EXPECT_EQ(r.conversation->status, ConversationStatus::kClosed);
  EXPECT_EQ(r.conversation->ticket->status, TicketStatus::kSolved);
  EXPECT_EQ(tickets(), 1);
}

TEST_P(Threading, ABounceJoinsTheTicketOfTheMailThatBouncedAndMarksItFailed) {
  auto first = receive(mail("customer@exampel.com", "Kettle", "c1@exampel.com"));
  auto ours = answer(first.conversation->id);
  auto dsn = mail("mailer-daemon@mx.shop.example", "Undelivered Mail Returned to Sender",
                  "dsn1@mx.shop.example");
  dsn.bounce = mime::Bounce{"customer@exampel.com", "5.1.2", "domain not found", ours};
  auto r = receive(dsn);
  EXPECT_EQ(r.conversation->id, first.conversation->id);
  EXPECT_EQ(r.event->kind, "note");
  auto out = store_->outbox_mail(inbox_.workspace_id, ours);
  ASSERT_TRUE(out);
  EXPECT_EQ(out->status, OutboxStatus::kFailed);
  EXPECT_EQ(tickets(), 1);
  // A bounce of nothing we sent is no ticket.
  auto stray = mail("mailer-daemon@mx.other.example", "Undelivered", "dsn2@mx.other.example");
  stray.bounce = mime::Bounce{"x@y.example", "5.1.1", "", "unknown@else.example"};
  EXPECT_EQ(receive(stray).plan.action, MailPlan::Action::kIgnore);
  EXPECT_EQ(tickets(), 1);
}

TEST_P(Threading, ReferencesAreTriedNewestFirst) {
  auto a = receive(mail("customer@example.com", "A", "a1@example.com"));
  auto b = receive(mail("customer@example.com", "B", "b1@example.com"));
  // Names both, B last: B is the mail it answers.
  auto r = receive(reply_to(mail("customer@example.com", "Re", "r1@example.com"), "",
                            {"a1@example.com", "b1@example.com"}));
  EXPECT_EQ(r.conversation->id, b.conversation->id);
  EXPECT_EQ(r.plan.reason, "references");
  EXPECT_EQ(tickets(), 2);
  (void)a;
}

TEST(BuildReply, ThreadsOnTheLastCustomerMailAndKeepsTheChainShort) {
  email::MailInbox in;
  in.workspace_id = 1;
  in.address = "support@shop.example";
  in.token_key = "k";
  MailThread t;
  t.ticket.id = 5;
  t.ticket.subject = "RE: Fwd: re: Broken kettle [#5]";
  t.ticket.contact = {1, 1, "Carla", "carla@example.org", "", 0};
  for (int i = 0; i < 15; ++i)
    t.ids.push_back({"m" + std::to_string(i), 5, std::nullopt,
                     i == 12 ? MailDirection::kIn : MailDirection::kOut, i});
  t.participants = {{"Bob", "bob@example.org"}, {"", "carla@example.org"}};
  auto m = email::build_reply(t, in, {"Anna", "Support"}, "Hello", "new@shop.example", 0);
  EXPECT_EQ(m.subject, "Re: Broken kettle [#5]");
  EXPECT_EQ(m.in_reply_to, "m12");  // the customer's last, not our own later ones
  std::vector<std::string> chain{"m0",  "m5",  "m6",  "m7",  "m8", "m9",
                                 "m10", "m11", "m12", "m13", "m14"};
  EXPECT_EQ(m.references, chain);
  ASSERT_EQ(m.to.size(), 1u);
  EXPECT_EQ(m.to[0].address, "carla@example.org");
  ASSERT_EQ(m.cc.size(), 1u);  // the contact is not copied twice
  EXPECT_EQ(m.cc[0].address, "bob@example.org");
  ASSERT_EQ(m.extra_headers.size(), 1u);
  EXPECT_EQ(m.extra_headers[0].first, "Reply-To");
  EXPECT_EQ(email::ticket_of_address(in, m.extra_headers[0].second), 5);
}

TEST(BuildReply, GoesWhereTheCustomerLastWroteFromNotToTheirOtherAddress) {
  email::MailInbox in;
  in.workspace_id = 1;
  in.address = "support@shop.example";
  in.token_key = "k";
  MailThread t;
  t.ticket.id = 6;
  t.ticket.subject = "Kettle";
  t.ticket.contact = {1, 1, "Carla", "carla@example.org", "", 0};
  t.ids.push_back({"w1", 6, std::nullopt, MailDirection::kIn, 1});
  // The second address came in as a participant when they first wrote from it.
  t.participants = {{"Carla R.", "carla.work@example.com"}, {"Bob", "bob@example.org"}};
  t.customer = {"Carla R.", "carla.work@example.com"};
  auto m = email::build_reply(t, in, {"Anna", ""}, "Hello", "new@shop.example", 0);
  ASSERT_EQ(m.to.size(), 1u);
  EXPECT_EQ(m.to[0].address, "carla.work@example.com");
  EXPECT_EQ(m.to[0].name, "Carla R.");
  ASSERT_EQ(m.cc.size(), 1u) << "neither of the customer's addresses in Cc";
  EXPECT_EQ(m.cc[0].address, "bob@example.org");
}

TEST(TicketAddress, SignedPerTicketAndWorkspace) {
  email::MailInbox in;
  in.workspace_id = 1;
  in.address = "Support@Shop.example";
  in.token_key = "key";
  auto a = email::ticket_address(in, 42);
  EXPECT_TRUE(a.starts_with("Support+t42-"));
  EXPECT_EQ(email::ticket_of_address(in, a), 42);
  EXPECT_EQ(email::ticket_of_address(in, lower_ascii(a)), 42);
  auto other = in;
  other.workspace_id = 2;
  EXPECT_FALSE(email::ticket_of_address(other, a));
  EXPECT_FALSE(email::ticket_of_address(in, "support+t43-" + a.substr(a.find('-') + 1)));
  EXPECT_FALSE(email::ticket_of_address(in, "support+t42@shop.example"));
  EXPECT_FALSE(email::ticket_of_address(in, "support+t42-x@other.example"));
}

TEST(TicketAddress, NumberInSubject) {
  EXPECT_EQ(email::ticket_in_subject("RE: [#12] Refund"), 12);
  EXPECT_EQ(email::ticket_in_subject("Re: Refund [#7]"), 7);
  EXPECT_EQ(email::ticket_in_subject("[#] [#x] [#5]"), 5);
  EXPECT_FALSE(email::ticket_in_subject("Refund #12"));
  EXPECT_FALSE(email::ticket_in_subject("[#99999999999999999999]"));
  EXPECT_FALSE(email::ticket_in_subject(std::string(100000, '[')));
}

}  // namespace
}  // namespace sb

// ---------------------------------------------------------------- merge and split
// A merge moves the source's Message-IDs and participants to the target and closes
// the source with a pointer; every way the customer may answer the source's mail
// must land in the target, never in a new ticket.
namespace sb {
namespace {

class MergeThreading : public Threading {
 protected:
  // Two tickets of one customer; the second merged into the first.
  void SetUp() override {
    Threading::SetUp();
    target_ =
        receive(mail("customer@example.com", "Order 77 late", "t1@example.com")).conversation->id;
    source_ =
        receive(mail("customer@example.com", "Where is 77??", "s1@example.com")).conversation->id;
    ours_ = answer(source_);
    store_->merge_tickets(inbox_.workspace_id, source_, target_, {AuthorType::kAgent, 1, "Anna"});
  }
  Id target_ = 0, source_ = 0;
  std::string ours_;
};

TEST_P(MergeThreading, TheSourceIsClosedWithAPointer) {
  auto s = ticket(source_);
  EXPECT_EQ(s.ticket->status, TicketStatus::kClosed);
  EXPECT_EQ(s.ticket->merged_into, target_);
  EXPECT_EQ(tickets(), 2);
}

TEST_P(MergeThreading, AReplyToOurMailOfTheSourceLandsInTheTarget) {
  auto r = receive(reply_to(mail("customer@example.com", "Re: Where is 77??", "s2@example.com"),
                            ours_, {"s1@example.com", ours_}));
  EXPECT_FALSE(r.created);
  EXPECT_EQ(r.conversation->id, target_);
  EXPECT_EQ(tickets(), 2);
}

TEST_P(MergeThreading, AReplyToTheCustomersOwnSourceMailLandsInTheTarget) {
  auto r = receive(reply_to(mail("customer@example.com", "Fwd: Where is 77??", "s3@example.com"),
                            "s1@example.com"));
  EXPECT_EQ(r.conversation->id, target_);
  EXPECT_EQ(tickets(), 2);
}

TEST_P(MergeThreading, TheSourcesNumberInTheSubjectLandsInTheTarget) {
  auto r = receive(mail("customer@example.com", "Still nothing [#" + std::to_string(source_) + "]",
                        "s4@example.com"));
  EXPECT_EQ(r.conversation->id, target_);
  EXPECT_EQ(tickets(), 2);
}

TEST_P(MergeThreading, TheSourcesReplyAddressLandsInTheTarget) {
  auto m = mail("customer@example.com", "Re: Where is 77??", "s5@example.com");
  m.to = {addr(email::ticket_address(inbox_, source_))};
  auto r = receive(m);
  EXPECT_EQ(r.conversation->id, target_);
  EXPECT_EQ(tickets(), 2);
  // The source stays closed, merged: the customer goes on in the target.
  auto s = ticket(source_);
  EXPECT_EQ(s.status, ConversationStatus::kClosed);
  EXPECT_EQ(s.ticket->status, TicketStatus::kClosed);
  EXPECT_EQ(s.ticket->merged_into, target_);
}

TEST_P(Threading, SplitMailThreadsIntoTheNewTicket) {
  auto first = receive(mail("customer@example.com", "Two things", "a1@example.com"));
  Id id = first.conversation->id;
  auto second = receive(reply_to(mail("customer@example.com", "Re: Two things", "a2@example.com",
                                      "And a second, unrelated question"),
                                 "a1@example.com"));
  ASSERT_EQ(second.conversation->id, id);
  auto split = store_->split_ticket(inbox_.workspace_id, id, second.event->id,
                                    {AuthorType::kAgent, 1, "Anna"});
  EXPECT_NE(split.id, id);
  ASSERT_TRUE(split.ticket);
  EXPECT_EQ(split.ticket->status, TicketStatus::kOpen);
  auto moved = store_->events_after(inbox_.workspace_id, split.id, 0, false, 100);
  ASSERT_FALSE(moved.empty());
  EXPECT_EQ(moved.front().body, "And a second, unrelated question");
  EXPECT_EQ(moved.front().created_at, second.event->created_at);
  // The customer answers their own second mail: the new ticket, not the first.
  auto third = receive(
      reply_to(mail("customer@example.com", "Re: Two things", "a3@example.com"), "a2@example.com"));
  EXPECT_EQ(third.conversation->id, split.id);
  EXPECT_EQ(tickets(), 2);
}

TEST_P(Threading, SplitRefusesAnythingButACustomerMessageOfTheTicket) {
  auto first = receive(mail("customer@example.com", "One", "b1@example.com"));
  auto other = receive(mail("other@example.com", "Two", "b2@example.com"));
  EXPECT_THROW(
      store_->split_ticket(inbox_.workspace_id, first.conversation->id, other.event->id, {}),
      StoreError);
}

SB_STORE_BACKENDS(Threading);
SB_STORE_BACKENDS(MergeThreading);

}  // namespace
}  // namespace sb
