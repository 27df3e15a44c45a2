// E-mail tickets: mail in (parse, drop what was seen, thread, store) and replies
// out (composed, recorded, queued). Sending and fetching are mailbox/'s; the MIME
// reading and writing is mime/'s.
//
// Threading never joins mail to a ticket by its subject text alone. In order:
//  1. a Message-ID stored already in the workspace: the same mail again, nothing
//     is written (no Message-ID: a hash of the bytes stands in for it);
//  2. In-Reply-To, then References newest first, naming a mail we stored (ours or
//     the customer's);
//  3. the ticket's reply address in To/Cc/Delivered-To, support+t<n>-<mac>@domain,
//     signed so nobody can write into a ticket by guessing its number;
//  4. "[#<n>]" in the subject, only from the ticket's contact or participants;
//  5. else a new ticket.
// A reply to a closed ticket opens a new one that follows it; to a solved one
// reopens it. Our own address as the sender is a loop and is dropped. Auto-replies
// join their ticket as a note without reopening it; bounces join the ticket of the
// mail that bounced and mark that mail failed.
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "env/env.h"
#include "mime/mime.h"
#include "store/store.h"

namespace sb::email {

// An inbox's mail identity: what ingest and replies need of its settings.
struct MailInbox {
  Id workspace_id = 0, inbox_id = 0;
  std::string address;               // support@shop.example
  std::vector<std::string> aliases;  // other addresses that deliver here
  std::string display_name;          // "Shop support"
  std::string token_key;             // secret bytes that sign ticket reply addresses
  // What a business signature carries below the agent's name and title.
  struct Company {
    std::string name, department, address, phone, email, tax_id, website;
  } company;
  std::string answer_promise;  // the acknowledgement's honest answer time, in words
  bool acknowledge = true;     // new tickets get an acknowledgement
  bool is_own(std::string_view address) const;
};

// support+t<number>-<mac>@domain: where replies to a ticket go.
std::string ticket_address(const MailInbox& inbox, Id ticket);
// The ticket a reply address names, when its signature is right.
std::optional<Id> ticket_of_address(const MailInbox& inbox, std::string_view address);
// "[#<number>]" in a subject.
std::optional<Id> ticket_in_subject(std::string_view subject);

// What threading reads of a mail.
struct ThreadInput {
  std::string message_id;  // the mail's own (or its stand-in)
  std::string in_reply_to;
  std::vector<std::string> references;  // oldest first
  std::string subject;
  std::string from;                     // address
  std::vector<std::string> recipients;  // To, Cc, Delivered-To, X-Original-To
  bool auto_reply = false, bounce = false;
  std::string bounced_message_id;  // a bounce's original mail, when it says
};
ThreadInput thread_input(const mime::ParsedMail& mail, std::string_view raw);

// Where a mail goes (see the top of this file). Pure but for the lookups.
MailPlan thread_mail(const ThreadInput& mail, const MailInbox& inbox, MailLookups& lookups);

// The mail's Message-ID, or for mail without one a hash of its bytes after the
// trace headers a second delivery would change.
std::string mail_id_of(const mime::ParsedMail& mail, std::string_view raw);
// Delivered-To / X-Original-To / Envelope-To addresses from the header block.
std::vector<std::string> delivery_addresses(std::string_view raw);

struct IngestLimits {
  std::size_t max_raw_bytes = 25 << 20;  // larger: a ticket saying so, from the headers
  std::size_t max_files = 100;           // attachments kept per mail
  std::size_t max_body_bytes = 256 << 10;
  bool keep_source = true;  // the raw mail as a downloadable .eml
};

struct IngestResult {
  std::optional<Conversation> conversation;
  std::optional<Event> event;
  bool created = false, duplicate = false, ignored = false;
  std::string reason;  // how it was threaded or why it was not stored
};

// Mail in: bytes and the inbox they came to, to a ticket, and for a new ticket
// from a person its acknowledgement (at most five an hour per contact), all in one
// write. Thread-safe; several threads may ingest at once (their writes share group
// commits).
class MailIngest {
 public:
  // Files up to 1 MiB (the source, its parts) are kept in the database with the
  // mail; bigger ones go where the attachment routes serve them:
  // <files_root>/<workspace>/<id>.
  MailIngest(MailStore& mail, ConversationStore& conversations, Env& env,
             std::filesystem::path files_root, IngestLimits limits = {});
  IngestResult ingest(std::string_view raw, const MailInbox& inbox);

 private:
  MailStore& mail_;
  ConversationStore& conversations_;
  Env& env_;
  std::filesystem::path files_;
  IngestLimits limits_;
};

// An agent's reply, ready to compose: To the contact, Cc the participants,
// In-Reply-To the customer's last mail, References the chain (the first and the
// last ten), "Re: <subject> [#n]", Reply-To the ticket's address, the signature.
struct AgentSignature {
  std::string name, title;
};
// The signature below an agent's reply: name, title, the company's data.
std::string signature_text(const AgentSignature& agent, const MailInbox& inbox);
// What the agent chose for one reply beyond its text.
struct ReplyExtras {
  std::optional<std::vector<MailAddress>> cc;  // nullopt: the ticket's participants
  std::vector<MailAddress> bcc;                // this reply only, never in the headers
  std::vector<mime::Attachment> files;         // mailed as attachments
  std::string quote;  // the earlier mail quoted below the signature ("> " lines), or ""
};
mime::OutgoingMail build_reply(const MailThread& thread, const MailInbox& inbox,
                               const AgentSignature& agent, std::string_view text,
                               std::string message_id, Millis now, const ReplyExtras& extras = {});
// The acknowledgement of a new ticket, with the inbox's answer-time promise.
mime::OutgoingMail build_acknowledgement(const MailThread& thread, const MailInbox& inbox,
                                         std::string message_id, Millis now);
// Queues the acknowledgement of a new ticket (its Message-ID stored as ours).
// MailIngest queues its own in the ingest's write; this is for tickets made otherwise.
std::optional<OutboxMail> acknowledge(MailStore& store, Env& env, const MailInbox& inbox,
                                      Id ticket);
// <random>@<inbox domain>
std::string new_message_id(const MailInbox& inbox, Env& env);

// An agent's reply posted to a mail ticket and queued for sending in one write.
std::pair<std::optional<AppendResult>, std::optional<OutboxMail>> post_reply(
    MailStore& store, Env& env, const MailInbox& inbox, const NewEvent& message,
    const AgentSignature& agent, const ReplyExtras& extras = {});

// A conversation's transcript (what the customer, agents and bot said; never
// internal notes) mailed to `to`, queued in the outbox.
std::optional<OutboxMail> queue_transcript(MailStore& store, Env& env, const MailInbox& inbox,
                                           const Conversation& conversation,
                                           const std::vector<Event>& events, const std::string& to);

// A solved ticket's customer asked how we did (Q2): the survey link `url`,
// mailed to `to` in the ticket's thread, queued in the outbox.
std::optional<OutboxMail> queue_survey_invite(MailStore& store, Env& env, const MailInbox& inbox,
                                              const Conversation& ticket, const std::string& to,
                                              const std::string& url);

// The mail of an agent's message already committed (the change feed's path): queued
// once per event (the outbox is unique by event), for mail tickets and for
// offline-form tickets that have the customer's address. nullopt: nothing to send
// (also when post_reply mailed it already).
std::optional<OutboxMail> queue_reply(MailStore& store, Env& env, const MailInbox& inbox,
                                      const Event& message, const AgentSignature& agent,
                                      const ReplyExtras& extras = {});

}  // namespace sb::email
