// Mail in through the real parser and store: files where downloads find them,
// the HTML's inline images pointing at them, the acknowledgement a customer can
// answer, and an agent's reply that threads back.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "email/email.h"
#include "env/env.h"
#include "store/store.h"
#include "support/test_store.h"

namespace sb {
namespace {

namespace fs = std::filesystem;

std::string fixture(const std::string& name) {
  std::ifstream in(std::string(SB_SOURCE_DIR) + "/tests/fixtures/mail/" + name, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string plain(const std::string& from, const std::string& id, const std::string& subject,
                  const std::string& extra_headers, const std::string& body) {
  return "From: " + from + "\r\nTo: support@example.com\r\nSubject: " + subject +
         "\r\nMessage-ID: <" + id + ">\r\n" + extra_headers +
         "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + body + "\r\n";
}

class Ingest : public ::testing::TestWithParam<storetest::Backend> {
 protected:
  void SetUp() override {
    db_ = std::make_unique<storetest::TestStore>(GetParam(), [this] { return env_.now_ms(); });
    store_ = db_->open();
    Inbox i;
    i.name = "Mail";
    i.public_key = "k";
    i.workspace_id = store_->create_workspace("Shop");
    auto in = store_->create_inbox(i);
    inbox_.workspace_id = in.workspace_id;
    inbox_.inbox_id = in.id;
    inbox_.address = "support@example.com";
    inbox_.display_name = "Shop support";
    inbox_.token_key = "a secret of the workspace";
    inbox_.answer_promise = "We answer within one business day.";
    inbox_.company = {"Shop S.r.l.",
                      "Customer service",
                      "Via Roma 1, 00100 Roma",
                      "+39 06 123456",
                      "support@example.com",
                      "IT01234567890",
                      ""};
    ingest_ = std::make_unique<email::MailIngest>(*store_, *store_, env_, "/data/files");
  }
  void TearDown() override { store_.reset(); }

  fs::path file(const std::string& id) {
    return env_.root() / "data/files" / std::to_string(inbox_.workspace_id) / id;
  }
  std::size_t files() {
    std::error_code ec;
    auto dir = env_.root() / "data/files" / std::to_string(inbox_.workspace_id);
    std::size_t n = 0;
    for (auto it = fs::directory_iterator(dir, ec); !ec && it != fs::directory_iterator(); ++it)
      ++n;
    return n;
  }
  std::vector<OutboxMail> outbox() { return store_->due_mail(env_.now_ms() + 1, 100); }

  TestEnv env_;
  std::unique_ptr<storetest::TestStore> db_;
  std::unique_ptr<Store> store_;
  email::MailInbox inbox_;
  std::unique_ptr<email::MailIngest> ingest_;
};

TEST_P(Ingest, InlineImagesAndTheSourceAreDownloadsAndTheHtmlPointsAtThem) {
  auto raw = fixture("cid-inline-image.eml");
  auto r = ingest_->ingest(raw, inbox_);
  ASSERT_TRUE(r.created);
  EXPECT_EQ(r.conversation->kind, ConversationKind::kEmail);
  EXPECT_EQ(r.conversation->contact.email, "marta@freemail.example");
  EXPECT_EQ(r.conversation->subject, "Képernyőkép a hibáról");
  const auto& parts = r.event->attachments;
  ASSERT_EQ(parts.size(), 2u);
  auto image = parts[0].as_object();
  auto source = parts[1].as_object();
  EXPECT_EQ(image.at("content_type"), "image/png");
  EXPECT_EQ(image.at("inline"), true);
  EXPECT_EQ(source.at("name"), "message.eml");
  // Small files stay in the database with the mail: nothing on disk.
  EXPECT_EQ(store_->attachment_bytes(inbox_.workspace_id, std::string(source.at("id").as_string())),
            raw);
  EXPECT_EQ(files(), 0u);
  auto att = store_->get_attachment(inbox_.workspace_id, std::string(image.at("id").as_string()));
  ASSERT_TRUE(att);
  EXPECT_EQ(att->conversation_id, r.conversation->id);
  auto content = store_->mail_content(inbox_.workspace_id, r.event->id);
  ASSERT_TRUE(content);
  EXPECT_NE(content->html.find(std::string(image.at("url").as_string())), std::string::npos);
  EXPECT_EQ(content->html.find("cid:"), std::string::npos);
}

// `inline` says the HTML shows the part, so the console need not list it again; an
// image labelled inline that no HTML shows (a phone's photo in a plain mail, a
// Content-ID nothing points at) stays a listed attachment.
TEST_P(Ingest, OnlyPartsTheHtmlShowsAreInline) {
  const std::string png =
      "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+"
      "M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";
  auto part = [&](const std::string& cid, const std::string& name) {
    return "--r\r\nContent-Type: image/png\r\nContent-Transfer-Encoding: base64\r\nContent-ID: <" +
           cid + ">\r\nContent-Disposition: inline; filename=\"" + name + "\"\r\n\r\n" + png +
           "\r\n";
  };
  auto raw =
      "From: Marta <marta@freemail.example>\r\nTo: support@example.com\r\nSubject: Photos\r\n"
      "Message-ID: <photos-1@freemail.example>\r\nMIME-Version: 1.0\r\n"
      "Content-Type: multipart/related; boundary=\"r\"\r\n\r\n"
      "--r\r\nContent-Type: text/html; charset=utf-8\r\n\r\n"
      "<p>Here: <img src=\"cid:shown@x\" alt=\"shown\"></p>\r\n" +
      part("shown@x", "shown.png") + part("unused@x", "photo.png") + "--r--\r\n";
  auto r = ingest_->ingest(raw, inbox_);
  ASSERT_TRUE(r.created);
  const auto& parts = r.event->attachments;
  ASSERT_EQ(parts.size(), 3u);
  auto shown = parts[0].as_object(), photo = parts[1].as_object(), source = parts[2].as_object();
  EXPECT_EQ(shown.at("name"), "shown.png");
  EXPECT_EQ(shown.at("inline"), true);
  EXPECT_EQ(shown.at("content_id"), "shown@x");
  EXPECT_EQ(photo.at("name"), "photo.png");
  EXPECT_EQ(photo.at("inline"), false);
  EXPECT_EQ(photo.at("content_id"), "unused@x");
  EXPECT_EQ(source.at("inline"), false);
  EXPECT_EQ(source.at("content_id"), "");
  auto content = store_->mail_content(inbox_.workspace_id, r.event->id);
  ASSERT_TRUE(content);
  EXPECT_NE(content->html.find(std::string(shown.at("url").as_string())), std::string::npos);
  EXPECT_EQ(content->html.find(std::string(photo.at("url").as_string())), std::string::npos);
}

TEST_P(Ingest, TheSameMailTwiceWritesNothingTheSecondTime) {
  auto raw = fixture("cid-inline-image.eml");
  auto first = ingest_->ingest(raw, inbox_);
  auto kept = files();
  auto again = ingest_->ingest(raw, inbox_);
  EXPECT_TRUE(again.duplicate);
  EXPECT_EQ(again.conversation->id, first.conversation->id);
  EXPECT_EQ(files(), kept);
  EXPECT_EQ(outbox().size(), 1u);  // one acknowledgement
}

TEST_P(Ingest, TwoPollersFetchingTheSameMailAtOnceMakeOneTicket) {
  auto raw = fixture("cid-inline-image.eml");
  std::vector<email::IngestResult> results(8);
  std::vector<std::thread> pollers;
  for (auto& r : results)
    pollers.emplace_back([&, out = &r] { *out = ingest_->ingest(raw, inbox_); });
  for (auto& t : pollers) t.join();
  int created = 0, duplicates = 0;
  for (const auto& r : results) {
    created += r.created;
    duplicates += r.duplicate;
    ASSERT_TRUE(r.conversation);
    EXPECT_EQ(r.conversation->id, results[0].conversation->id);
  }
  EXPECT_EQ(created, 1);
  EXPECT_EQ(duplicates, 7);
  EXPECT_EQ(files(), 0u);  // the image and the source are in the database, once
  auto first = std::find_if(results.begin(), results.end(), [](auto& r) { return r.created; });
  ASSERT_NE(first, results.end());
  ASSERT_TRUE(first->event);
  ASSERT_EQ(first->event->attachments.size(), 2u);
  for (const auto& a : first->event->attachments)
    EXPECT_TRUE(store_->attachment_bytes(inbox_.workspace_id,
                                         std::string(a.as_object().at("id").as_string())));
  EXPECT_EQ(outbox().size(), 1u);
}

TEST_P(Ingest, AFileOverAMegabyteIsWrittenToTheFileStoreAndTheRestStayInTheDatabase) {
  std::string big(1'600'000, 'x');  // base64 of ~1.2 MB of bytes
  for (std::size_t i = 0; i < big.size(); i += 77) big[i] = '\n';
  auto raw = std::string(
                 "From: Ana <ana@example.org>\r\nTo: support@example.com\r\n"
                 "Subject: logs\r\nMessage-ID: <big-1@example.org>\r\nMIME-Version: 1.0\r\n"
                 "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n"
                 "Content-Type: text/plain\r\n\r\nThe logs are attached.\r\n--b\r\n"
                 "Content-Type: application/octet-stream; name=big.log\r\n"
                 "Content-Transfer-Encoding: base64\r\n\r\n") +
             big + "\r\n--b--\r\n";
  auto r = ingest_->ingest(raw, inbox_);
  ASSERT_TRUE(r.created);
  const auto& files = r.event->attachments;
  ASSERT_EQ(files.size(), 2u);
  auto log_id = std::string(files[0].as_object().at("id").as_string());
  auto source_id = std::string(files[1].as_object().at("id").as_string());
  EXPECT_FALSE(store_->attachment_bytes(inbox_.workspace_id, log_id));
  EXPECT_FALSE(store_->attachment_bytes(inbox_.workspace_id, source_id));
  EXPECT_TRUE(fs::exists(file(log_id)));
  EXPECT_EQ(fs::file_size(file(source_id)), raw.size());
  EXPECT_GT(fs::file_size(file(log_id)), std::size_t{1} << 20);
}

TEST_P(Ingest, TheAcknowledgementCanBeAnsweredIntoTheTicket) {
  auto r = ingest_->ingest(
      plain("Carla <carla@example.org>", "c1@example.org", "Kettle", "", "My kettle leaks."),
      inbox_);
  ASSERT_TRUE(r.created);
  auto sent = outbox();
  ASSERT_EQ(sent.size(), 1u);
  std::string error;
  auto ack = mime::parse(sent[0].raw, &error);
  ASSERT_TRUE(ack) << error;
  auto n = std::to_string(r.conversation->id);
  EXPECT_EQ(ack->subject, "Re: Kettle [#" + n + "]");
  EXPECT_EQ(ack->in_reply_to, "c1@example.org");
  EXPECT_TRUE(ack->auto_reply);  // Auto-Submitted: their auto-responder must not answer
  ASSERT_EQ(ack->reply_to.size(), 1u);
  EXPECT_EQ(email::ticket_of_address(inbox_, ack->reply_to[0].address), r.conversation->id);
  EXPECT_NE(ack->text.find("one business day"), std::string::npos);
  EXPECT_EQ(sent[0].recipients, std::vector<std::string>{"carla@example.org"});

  auto answer =
      ingest_->ingest(plain("carla@example.org", "c2@example.org", "Re: Kettle [#" + n + "]",
                            "In-Reply-To: <" + ack->message_id + ">\r\n",
                            "It is model K2.\r\n\r\nOn Mon, Shop support wrote:\r\n> thank you"),
                      inbox_);
  EXPECT_FALSE(answer.created);
  EXPECT_EQ(answer.conversation->id, r.conversation->id);
  EXPECT_EQ(answer.event->body, "It is model K2.");
  EXPECT_EQ(outbox().size(), 1u);  // no second acknowledgement
}

TEST_P(Ingest, AMachineWritingNewMailsInALoopGetsFiveAcknowledgementsAnHour) {
  for (int i = 0; i < 8; ++i)
    EXPECT_TRUE(ingest_
                    ->ingest(plain("robot@example.org", "r" + std::to_string(i) + "@example.org",
                                   "Ticket received", "", "We got your mail."),
                             inbox_)
                    .created);
  EXPECT_EQ(outbox().size(), 5u);
  env_.advance(3601 * 1000);
  ingest_->ingest(plain("robot@example.org", "r9@example.org", "Ticket received", "", "Again."),
                  inbox_);
  EXPECT_EQ(store_->due_mail(env_.now_ms() + 1, 100).size(), 6u);
}

TEST_P(Ingest, ARealBounceMarksOurMailFailedOnItsTicket) {
  auto r = ingest_->ingest(
      plain("nobody@customer.example", "c1@customer.example", "Quote", "", "Please send a quote."),
      inbox_);
  // Our answer, with the Message-ID the bounce in the fixture returns.
  store_->append_with_mail(std::nullopt, inbox_.workspace_id, r.conversation->id,
                           [](const MailThread&, const Event*) {
                             OutboxMail m;
                             m.message_id = "reply-1050-2@example.com";
                             m.recipients = {"nobody@customer.example"};
                             return std::optional<OutboxMail>(m);
                           });
  auto bounce = ingest_->ingest(fixture("dsn-bounce.eml"), inbox_);
  EXPECT_FALSE(bounce.created);
  ASSERT_TRUE(bounce.conversation);
  EXPECT_EQ(bounce.conversation->id, r.conversation->id);
  EXPECT_EQ(bounce.event->kind, "note");
  EXPECT_EQ(store_->outbox_mail(inbox_.workspace_id, "reply-1050-2@example.com")->status,
            OutboxStatus::kFailed);
}

TEST_P(Ingest, AnOutOfOfficeReplyGetsNoAcknowledgement) {
  auto r = ingest_->ingest(fixture("out-of-office-it.eml"), inbox_);
  EXPECT_TRUE(r.created);
  EXPECT_TRUE(outbox().empty());
}

TEST_P(Ingest, AMailOverTheLimitIsATicketFromItsHeaders) {
  email::IngestLimits small;
  small.max_raw_bytes = 1000;
  email::MailIngest ingest(*store_, *store_, env_, "/data/files", small);
  auto raw = plain("big@example.org", "big@example.org", "Scan", "", std::string(5000, 'x'));
  auto r = ingest.ingest(raw, inbox_);
  ASSERT_TRUE(r.created);
  EXPECT_EQ(r.conversation->subject, "Scan");
  EXPECT_NE(r.event->body.find("over the limit"), std::string::npos);
  EXPECT_EQ(files(), 0u);
}

TEST_P(Ingest, MailWithoutASenderIsKeptButJoinsNobodyAndGetsNoAnswer) {
  auto raw = "To: support@example.com\r\nSubject: [#1] anonymous\r\n\r\nWho am I?\r\n";
  auto a = ingest_->ingest(raw, inbox_);
  auto b =
      ingest_->ingest("To: support@example.com\r\nSubject: [#1] again\r\n\r\nAnd I?\r\n", inbox_);
  ASSERT_TRUE(a.created);
  ASSERT_TRUE(b.created);  // "[#1]" from nobody on the ticket
  EXPECT_NE(a.conversation->contact.id, b.conversation->contact.id);
  EXPECT_TRUE(outbox().empty());
}

TEST_P(Ingest, NotAMailIsRefusedWithoutATicket) {
  auto r = ingest_->ingest(fixture("not-a-mail.jpg"), inbox_);
  EXPECT_TRUE(r.ignored);
  EXPECT_FALSE(r.conversation);
}

TEST_P(Ingest, AnAgentsReplyGoesToTheContactAndTheOthersAndThreadsBack) {
  auto raw =
      "From: Carla <carla@example.org>\r\nTo: support@example.com\r\n"
      "Cc: Bob <bob@example.org>\r\nSubject: Kettle\r\nMessage-ID: <c1@example.org>\r\n"
      "\r\nIt leaks.\r\n";
  auto r = ingest_->ingest(raw, inbox_);
  ASSERT_TRUE(r.created);
  NewEvent e{inbox_.workspace_id,
             r.conversation->id,
             "message",
             {AuthorType::kAgent, 7, "Anna"},
             "Please send a photo.",
             "",
             {}};
  auto [appended, queued] = email::post_reply(*store_, env_, inbox_, e, {"Anna Rossi", "Agent"});
  ASSERT_TRUE(appended);
  ASSERT_TRUE(queued);
  EXPECT_EQ(queued->event_id, appended->event.id);
  std::string error;
  auto out = mime::parse(queued->raw, &error);
  ASSERT_TRUE(out) << error;
  auto n = std::to_string(r.conversation->id);
  EXPECT_EQ(out->subject, "Re: Kettle [#" + n + "]");
  ASSERT_EQ(out->to.size(), 1u);
  EXPECT_EQ(out->to[0].address, "carla@example.org");
  ASSERT_EQ(out->cc.size(), 1u);
  EXPECT_EQ(out->cc[0].address, "bob@example.org");
  EXPECT_EQ(out->in_reply_to, "c1@example.org");
  // The business signature: person, title, company with address and tax id.
  for (std::string part : {"Please send a photo.", "Anna Rossi", "Agent", "Shop S.r.l.",
                           "Via Roma 1", "+39 06 123456", "IT01234567890"})
    EXPECT_NE(out->text.find(part), std::string::npos) << part;
  // Bob answers from his phone, headers intact: same ticket.
  auto bob = ingest_->ingest(
      "From: bob@example.org\r\nTo: " + email::ticket_address(inbox_, r.conversation->id) +
          "\r\nSubject: Re: Kettle\r\nMessage-ID: <b1@example.org>\r\n"
          "In-Reply-To: <" +
          out->message_id + ">\r\n\r\nPhoto attached.\r\n",
      inbox_);
  EXPECT_EQ(bob.conversation->id, r.conversation->id);
}

SB_STORE_BACKENDS(Ingest);

}  // namespace
}  // namespace sb
