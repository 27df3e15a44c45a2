// The running e-mail channel: for every inbox with e-mail on, a mailbox poller
// (IMAP IDLE, else polling) whose mail goes through email::MailIngest into
// tickets; one worker that turns agents' replies on mail tickets into outgoing
// mail (from the change feed, after COMMIT) and sends the outbox over SMTP with
// retries; and the admin's view of it all (settings, test, status).
//
// Outgoing mail is queued from the committed event, not inside the request (so
// every path that posts a message, REST or WebSocket, sends mail the same way);
// the outbox row is unique per event, so a replayed change cannot send twice.
//
// In a cluster only the node that leads a workspace (holds its routing lease)
// polls its mailboxes and sends its outbox; every node still queues the replies
// committed on it. The others look every `follow_ms` whether they lead it now,
// and then start its pollers from the fetch state in the database.
#pragma once

#include <boost/json.hpp>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>

#include "env/env.h"
#include "store/store.h"

namespace sb {

// What an inbox's e-mail settings look like in the API (passwords never shown):
// {enabled, imap{host,port,security,user,password_set}, folder, smtp{...},
//  from_address, display_name, allow_self_signed, aliases[], company{name,
//  department, address, phone, email, tax_id, website}, answer_promise, acknowledge}
struct MailChannelDeps {
  MailStore& mail;
  ConversationStore& conversations;
  DirectoryStore& directory;
  Env& env;
  std::string data_dir;              // the password key file lives here
  std::filesystem::path files_root;  // attachments: <files_root>/<workspace>/<id>
  // Cluster: whether this node polls and sends for a workspace now (unset:
  // always), and how often the worker asks again.
  std::function<bool(Id workspace)> leads = {};
  Millis follow_ms = 1'000;
  // Cluster: an inbox's e-mail settings were saved here; the other nodes
  // should read them again (reload_inbox).
  std::function<void(Id workspace, Id inbox)> changed = {};
  // Ticket CSAT (Q2): when the workspace's survey settings name a survey for
  // tickets, a solved mail ticket's customer is mailed a link to it, once per
  // ticket. Unset: never.
  SurveyStore* surveys = nullptr;
  std::function<std::string()> public_url = {};  // links: <public_url>/s/<token>
};

// An agent's choices for one reply beyond its text: Cc (nullopt: the ticket's
// participants), Bcc (this reply only), the earlier mail quoted below the signature.
struct MailReply {
  std::optional<std::vector<MailAddress>> cc;
  std::vector<MailAddress> bcc;
  std::string quote;
};

class MailChannel {
 public:
  explicit MailChannel(MailChannelDeps deps);
  ~MailChannel();
  MailChannel(const MailChannel&) = delete;
  MailChannel& operator=(const MailChannel&) = delete;

  void start();  // pollers for enabled inboxes, the worker; queues replies left unqueued
  void stop();   // returns within a few seconds

  // The admin API. Throws std::invalid_argument (message: every problem, in words)
  // on bad settings, StoreError kNotFound for an inbox of another workspace.
  boost::json::object settings(Id workspace, Id inbox);
  boost::json::object save_settings(Id workspace, Id inbox, const boost::json::value& body);
  // Connects to IMAP and SMTP with the saved settings, or with `body` over them
  // (unsaved edits), and says per side what failed.
  boost::json::object test(Id workspace, Id inbox, const boost::json::value* body);
  // Poller and outbox state: idling, last error, mail waiting, failed.
  boost::json::object status(Id workspace, Id inbox);
  // Mailbox pollers running in this process (for /metrics).
  int pollers_running();
  // Another node saved the inbox's settings: read again (soon, on the channel's
  // worker, not the caller's thread), its poller restarted if this node polls it.
  void reload_inbox(Id workspace, Id inbox);

  // Mails a conversation's transcript to `to` from its inbox's mailbox (or the
  // workspace's first); false when the workspace has no e-mail inbox.
  bool send_transcript(Id workspace, Id conversation, const std::string& to);

  // An agent's reply on a mail ticket: the message and its mail (with the agent's
  // attachments and signature) in one write. StoreError kNotFound: no such ticket;
  // std::invalid_argument: the workspace has no e-mail inbox to send from.
  AppendResult post_reply(const NewEvent& message, const MailReply& reply);
  // A failed reply sent again; false: that event has no failed mail.
  bool retry(Id workspace, Id ticket, Id event);
  // The page "show original formatting" frames: the mail's sanitised HTML, its inline
  // images as data: URLs, its remote images loading only when `remote`. nullopt:
  // that event of that ticket has no HTML. `policy` gets the page's CSP header.
  std::optional<std::string> mail_page(Id workspace, Id ticket, Id event, bool remote,
                                       std::string& policy);
  // What the composer shows below the agent's text; nullopt: no inbox sends it.
  std::optional<std::string> signature(Id workspace, Id inbox, Id agent);

  // The change feed (called on the store's writer thread: only queues work).
  void on_changes(const ChangeBatch& batch);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace sb
