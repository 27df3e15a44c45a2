// Store: the durable truth of Switchboard. Every query is scoped to a workspace;
// an id from another workspace behaves exactly like an id that does not exist.
//
// Thread safety: all methods may be called from any thread at once. Writes are
// serialized through one writer that batches concurrent calls into a single
// transaction (group commit); a write method returns only after COMMIT. The
// change listener is called on the writer thread, after COMMIT, in commit
// order — that order is what realtime delivery relies on.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <variant>
#include <vector>

#include "complaint/complaint.h"
#include "core/core.h"
#include "reports/reports.h"

namespace sb {

class StoreError : public std::runtime_error {
 public:
  enum class Code { kNotFound, kConflict, kInvalid, kInternal };
  StoreError(Code code, const std::string& msg) : std::runtime_error(msg), code_(code) {}
  Code code() const { return code_; }

 private:
  Code code_;
};

// Why a write did not happen when that is an answer rather than a fault: a race
// routing lost, an address someone else has. Callers check it; StoreError stays
// for faults and for ids that do not exist.
enum class Refusal {
  kClosed,            // the conversation is closed
  kChangedMeanwhile,  // its assignee or version moved since the caller read it
  kAlreadyAssigned,   // to the agent it would go to
  kTakenByAnother,    // another agent has it
  kAtCapacity,        // the agent has no free slot on its channel
  kEmailTaken,        // another agent of the workspace has the address
  kSlugTaken,         // another workspace's help center has the address
  kIdentityTaken,     // another contact has the e-mail address or phone number
  kMerged,            // the contact was merged into another (or erased) meanwhile
  kUndoUnsafe,        // what a merge moved has changed since; undoing would lose it
  kFenced,            // the routing lease moved to another node since the caller took it
};

struct Refused {
  Refusal why;
  std::string reason;  // in words, for logs and the API's 409
};

// A write's result: its value, or why it was refused.
template <class T>
class [[nodiscard]] Outcome {
 public:
  Outcome(T value) : v_(std::move(value)) {}
  Outcome(Refused refused) : v_(std::move(refused)) {}
  explicit operator bool() const { return std::holds_alternative<T>(v_); }
  const T& operator*() const { return std::get<T>(v_); }
  const T* operator->() const { return &std::get<T>(v_); }
  const Refused& refused() const { return std::get<Refused>(v_); }

 private:
  std::variant<T, Refused> v_;
};

// Two-factor sign-in (TOTP). Secrets are raw bytes, hex-encoded.
struct TwoFactor {
  std::string secret_hex, pending_hex;
  std::optional<Millis> enabled_at;
  std::int64_t last_step = 0;
  std::vector<std::string> recovery_hashes;  // SHA-256 hex of each unused code
  bool enabled() const { return enabled_at.has_value(); }
};

struct Agent {
  Id id = 0, workspace_id = 0;
  std::string name, email, role, avatar_color, password_hash;
  std::string title;  // "Customer care lead": under the name in mail signatures
  AgentStatus status = AgentStatus::kOffline;
  std::optional<Id> custom_status;  // one of the workspace's custom statuses
  Millis status_since = 0;
  Millis last_seen = 0;  // last heartbeat of a console connection; 0: never connected
  AgentRouting routing;
  std::optional<Millis> deactivated_at;  // set: cannot sign in; history stays readable
  AgentScope scope;                      // ignored for admins
  TwoFactor two_factor;
  bool super_admin = false;  // may create workspaces (the first workspace's admin)
  bool active() const { return !deactivated_at; }
};

// Failed logins that locked an account, shown to its owner at the next login.
struct LoginNotice {
  int failures = 0;
  Millis first_at = 0, last_at = 0;
  std::string last_ip;
};

// One line of the audit log: who did what to which thing, when, from where, and
// the state before and after (null where there was none).
struct AuditEntry {
  Id id = 0, workspace_id = 0;
  Millis at = 0;
  std::string actor_type = "agent";  // agent | system
  Id actor_id = 0;
  std::string actor_name, ip, action, target_type, target_id;
  boost::json::value before, after;
};

struct AuditQuery {
  std::string text;    // in the action, actor, target or states
  std::string action;  // exact, or a prefix ending in '.': "agent."
  Id actor_id = 0;
  Millis from = 0, to = 0;  // 0: open
  Id before_id = 0;         // paging: entries older than this id
  int limit = 100;
};

// A personal API token: acts as its agent, limited to its scopes ("read": GET
// only; "write": everything the agent may do). Only the hash of the secret is kept.
struct ApiToken {
  Id id = 0, workspace_id = 0, agent_id = 0;
  std::string name, prefix;  // prefix: the first characters, to recognise it
  std::vector<std::string> scopes;
  Millis created_at = 0;
  std::optional<Millis> expires_at, last_used_at;
  std::string last_used_ip;
  std::string agent_name;  // filled when listed
};

struct AgentSession {
  Id agent_id = 0, workspace_id = 0;
  std::string csrf_token;
  Millis expires_at = 0;
  Millis created_at = 0;
  std::string ip, user_agent;
  std::string token_hash;   // filled when listed
  bool restricted = false;  // may only set up two-factor sign-in
};

struct Inbox {
  Id id = 0, workspace_id = 0;
  std::string name, public_key, timezone = "UTC";
  BusinessHours hours;
  // colour, position, greeting, language, button_style; these are a new inbox's defaults
  boost::json::object widget{{"color", "#2563eb"},
                             {"position", "right"},
                             {"greeting", "Hi! How can we help?"},
                             {"language", "auto"},
                             {"button_style", "bubble"}};
  boost::json::array prechat_fields{"name", "email"}, topics;
  InboxRouting routing;
};

// An inbox's e-mail side: its mailbox settings as the mail channel stores them
// (secrets sealed; the store does not read them) and how far fetching got.
struct InboxMail {
  Id inbox_id = 0, workspace_id = 0;
  bool enabled = false;
  std::string settings;  // JSON text, owned by the mail channel
  std::uint32_t uidvalidity = 0, last_uid = 0;
  Millis updated_at = 0;
};

struct Contact {
  Id id = 0, workspace_id = 0;
  std::string name, email, phone;
  Millis created_at = 0;
  std::string notes;  // agents' notes (R5); filled by the contact and GDPR reads only
};

struct Author {
  AuthorType type = AuthorType::kSystem;
  Id id = 0;
  std::string name;
};

struct Event {
  Id id = 0, workspace_id = 0, conversation_id = 0;
  std::int64_t seq = 0;
  std::string kind;  // message | system | note
  Author author;
  std::string body, client_id;
  boost::json::array attachments;
  Millis created_at = 0;
  // System events: what the body says, as {code, args}, for clients to say it
  // in the reader's language (the body is the English fallback). Else empty.
  boost::json::object notice;
};

// A system event to write: the English text and its translatable form.
struct Notice {
  std::string text, code;
  boost::json::object args;
  boost::json::object json() const { return {{"code", code}, {"args", args}}; }
};

struct Receipts {
  std::int64_t visitor_delivered = 0, visitor_read = 0, agent_delivered = 0, agent_read = 0;
};

// The FAQ bot's part in a conversation: none (the bot was off when it started),
// answering, or handed off to the agents (why, when).
enum class BotPhase { kNone, kActive, kHandedOff };
// As stored and shown: "", "active", "handed_off"; anything else reads as none.
inline std::string_view to_string(BotPhase p) {
  return p == BotPhase::kActive ? "active" : p == BotPhase::kHandedOff ? "handed_off" : "";
}
inline BotPhase parse_bot_phase(std::string_view s) {
  return s == "active"       ? BotPhase::kActive
         : s == "handed_off" ? BotPhase::kHandedOff
                             : BotPhase::kNone;
}

struct BotState {
  BotPhase phase = BotPhase::kNone;
  std::string reason;  // handed off: asked_for_human | low_confidence | emotional_peak | ...
  std::optional<Millis> at;
};

// The emotional-peak flag: set once, with what the detector saw.
struct EmotionPeak {
  double score = 0;
  std::vector<std::string> reasons;
  Millis at = 0;
};

// The help-desk side of a conversation that is a ticket (every e-mail thread and
// offline form; a chat can become one). Its number is the conversation's id.
struct TicketFields {
  TicketStatus status = TicketStatus::kNew;
  TicketPriority priority = TicketPriority::kNormal;
  std::vector<std::string> tags;
  std::optional<Millis> follow_up_at, first_response_at, solved_at;
  std::optional<Id> follows;      // the closed ticket a reply to it reopened as this one
  boost::json::object custom;     // the workspace's custom fields: key -> value
  std::optional<Id> merged_into;  // closed by a merge: its mail now threads into this one
};

struct Conversation {
  Id id = 0, workspace_id = 0, inbox_id = 0;
  std::string visitor_id;
  ConversationKind kind = ConversationKind::kChat;
  ConversationStatus status = ConversationStatus::kOpen;
  std::optional<Id> assignee_id;
  std::string assignee_name, subject, language;
  Contact contact;
  std::int64_t last_seq = 0, version = 0;
  int priority = 0;           // routing: higher is served first
  std::optional<Id> team_id;  // routing: only this team's agents (until it widens)
  Millis queued_at = 0;       // routing: when it (last) started waiting
  Receipts receipts;
  boost::json::object
      meta;  // page_url, user_agent, referrer, callback{phone, window_from, window_to}
  std::optional<Event> last_message;
  Millis created_at = 0, updated_at = 0;

  // Triage state (the API shows it in meta: detected_language, bot, emotion).
  std::string detected_language;  // "" until a confident guess
  BotState bot;
  std::optional<EmotionPeak> emotion_peak;

  std::optional<TicketFields> ticket;  // nullopt: not a ticket

  // What we speak to the customer and route by: what they write, else their browser's.
  std::string customer_language() const {
    return detected_language.empty() ? language : detected_language;
  }
  // The FAQ bot answers; routing waits for its handoff.
  bool bot_active() const { return bot.phase == BotPhase::kActive; }
  // Flagged once; later messages are not checked again.
  bool emotional_peak() const { return emotion_peak.has_value(); }
};

struct Attachment {
  std::string id;
  Id workspace_id = 0;
  std::string name, content_type;
  std::int64_t size = 0;
  Millis created_at = 0;
  std::string uploader;               // "visitor:<id>" or "agent:<id>"
  std::optional<Id> conversation_id;  // set when first sent in a message; then fixed
};

struct NewConversation {
  Id workspace_id = 0, inbox_id = 0;
  std::string visitor_id, client_id;
  ConversationKind kind = ConversationKind::kChat;
  std::string name, email, phone, subject, language;
  boost::json::object meta;
  std::string first_message;      // empty: none
  std::string detected_language;  // see Conversation
  BotState bot;
  // E-mail and offline forms are tickets even when this is not set.
  std::optional<TicketFields> ticket;
};

struct NewEvent {
  Id workspace_id = 0, conversation_id = 0;
  std::string kind = "message";
  Author author;
  std::string body, client_id;
  boost::json::array attachments;
  // When set, the conversation must be this visitor's (else kNotFound), and its
  // contact becomes the author.
  std::string only_visitor;
  boost::json::object notice;  // see Event::notice
};

struct AppendResult {
  Event event;
  bool duplicate = false;     // the client id was seen before: nothing new was written
  Conversation conversation;  // as it is after the append (saves a read for triage)
};

struct ConversationFilter {
  enum class View { kAll, kUnassigned, kMine } view = View::kAll;
  Id agent_id = 0;
  ConversationStatus status = ConversationStatus::kOpen;
  int limit = 200;
  AgentScope scope;  // only conversations it covers
};

struct Workspace {
  Id id = 0;
  std::string name, slug;  // slug: the help center's address, /help/<slug>
  bool require_2fa = false;
};

// Knowledge base. Articles and intents exist once per language;
// translations share the slug / name.
struct KbCategory {
  Id id = 0, workspace_id = 0;
  std::string slug;
  int position = 0;
  boost::json::object names;  // language -> display name
};

struct KbArticle {
  Id id = 0, workspace_id = 0;
  std::string slug, language, category, title, body;  // body: Markdown
  std::vector<std::string> keywords;
  bool published = true;
  std::int64_t helpful = 0, not_helpful = 0;  // votes
  Millis created_at = 0, updated_at = 0;
};

struct FaqIntent {
  Id id = 0, workspace_id = 0;
  std::string name, language, question, answer;
  std::vector<std::string> phrasings;
  bool enabled = true;
  Millis created_at = 0, updated_at = 0;
};

struct KbContent {
  std::vector<KbCategory> categories;
  std::vector<KbArticle> articles;
  std::vector<FaqIntent> intents;
};

struct KbImportResult {
  int categories = 0, articles = 0, intents = 0;  // rows written (inserted or updated)
};

// One customer question the bot saw and what it did with it.
struct BotQuestion {
  Id id = 0, workspace_id = 0, conversation_id = 0;
  std::string language, text;
  std::string outcome;     // answered | unanswered | handoff
  std::string answer_ref;  // intent:<name> or article:<slug>, when answered
  double confidence = 0;
  Millis created_at = 0;
};

// Questions the bot could not answer, grouped by their text.
struct UnansweredQuestion {
  std::string text, language;
  std::int64_t count = 0;
  Millis last_at = 0;
  Id last_conversation_id = 0;
};

struct DeflectionStats {
  std::int64_t shown = 0, helped = 0, continued = 0;
};

// What the bot did with the questions it saw, and the customers' verdicts.
struct BotOutcomes {
  std::int64_t answered = 0, unanswered = 0, handed_off = 0;
  std::int64_t helpful = 0, not_helpful = 0;  // of the answered ones rated
};

// GDPR: everything kept about one contact, for export; erasure; retention.
struct ContactIdentity {
  std::string kind, value;  // visitor | email | phone
};

struct ConversationRecord {
  Conversation conversation;
  std::vector<Event> events;  // every event, internal notes included
  std::vector<BotQuestion> bot_questions;
  std::optional<Millis> erased_at;
  std::vector<complaint::Complaint> complaints;  // withdrawn ones too, with their ticks
};

// A custom ticket field of a workspace; values live in TicketFields::custom.
struct TicketFieldDef {
  Id id = 0, workspace_id = 0;
  std::string key, label, type;      // type: text | number | select | date
  std::vector<std::string> options;  // select
  bool required = false;             // to solve or close a ticket
  int position = 0;
  Millis created_at = 0;
};

struct ContactData {
  Contact contact;
  std::optional<Millis> erased_at;
  std::vector<ContactIdentity> identities;
  std::vector<ConversationRecord> conversations;
  std::vector<Attachment> attachments;        // of those conversations
  std::vector<Contact> merged;                // records merged into this one (R5), notes too
  std::vector<TicketFieldDef> ticket_fields;  // the workspace's, to name custom values
};

struct EraseResult {
  int conversations = 0, messages_redacted = 0;
  std::vector<Attachment> attachments;  // rows deleted; the caller removes their files
};

struct PurgeResult {
  int conversations = 0;
  std::vector<Attachment> attachments;  // rows deleted; the caller removes their files
};

// Identities compare these (on top of core's is_valid_phone/is_valid_email): a
// phone as '+' (also for a leading "00") and its digits, or digits alone without a
// country prefix; "" if not valid. An address trimmed and lower-cased (domains are
// case-blind and nobody relies on a case-sensitive mailbox).
std::string normalize_phone(std::string_view s);
std::string normalize_email(std::string_view s);

// R5, one customer record: a contact's identities (visitor ids, e-mail addresses,
// normalised phone numbers), what its conversations add up to, and merges that
// record what they moved so they can be undone.
struct ContactChannel {
  std::string channel;  // chat | callback | offline | email | help_center
  int conversations = 0;
};

struct ContactProfile {
  Contact contact;  // with its notes
  std::optional<Millis> erased_at;
  std::optional<Id> merged_into;  // set: this record lives on in that contact
  std::vector<ContactIdentity> identities;
  std::vector<ContactChannel> channels;  // the ones used, most used first
  int conversations = 0, open_conversations = 0;
  std::optional<Millis> last_activity_at;
};

// Lists and timelines: newest first, `before_id` pages; a scoped agent sees
// the contacts and conversations its scope covers.
struct ContactQuery {
  std::string text;  // in the name, an e-mail address or a phone number; empty: all
  Id before_id = 0;
  int limit = 50;
  AgentScope scope;
  Id agent_id = 0;  // the scope's "self": their own conversations are covered
};

struct ContactChanges {
  std::optional<std::string> name, notes;
  std::vector<ContactIdentity> add, remove;  // values normalised by the caller
};

struct ContactFields {
  std::string name, email, phone, notes;
};

struct ContactMerge {
  Id id = 0, workspace_id = 0, into_id = 0, from_id = 0, by_agent = 0;
  Millis at = 0;
  std::vector<Id> conversations;            // moved from `from` to `into`
  std::vector<ContactIdentity> identities;  // likewise
  ContactFields into_before, into_after;    // what the merge filled in on `into`
  std::optional<Millis> undone_at;
};

// What a committed write changed; delivered to the listener in commit order.
struct Change {
  Conversation conversation;
  std::optional<Event> event;
  bool receipts = false;
  bool created = false;  // the conversation is new (`event` is its first message, if any)
};

// The changes of one committed transaction (a group commit holds many writes):
// consumers wake once per batch, not once per change.
using ChangeBatch = std::shared_ptr<const std::vector<Change>>;
using ChangeListener = std::function<void(const ChangeBatch&)>;
// A listener that takes one change at a time.
inline ChangeListener each_change(std::function<void(const Change&)> f) {
  return [f = std::move(f)](const ChangeBatch& batch) {
    for (const auto& c : *batch) f(c);
  };
}

// The store in facets, one per aggregate: a service may take only the facet it
// uses. Store is all of them (one SQLite implementation, a file per facet:
// sqlite_conversations.cc, sqlite_directory.cc...).

// Conversations, their event logs and attachments; committed changes go to the listener.
class ConversationStore {
 public:
  virtual ~ConversationStore() = default;
  // Called on the writer thread after each commit, before the writers' callers
  // wake (so a caller's change is handed on before its request is answered).
  virtual void set_change_listener(ChangeListener listener) = 0;

  // conversations and their event logs
  // Idempotent by (visitor_id, client_id): a repeat returns the first result, created = false.
  virtual std::pair<Conversation, bool> create_conversation(const NewConversation& c) = 0;
  virtual std::optional<Conversation> get_conversation(Id workspace, Id id) = 0;
  virtual std::vector<Conversation> list_conversations(Id workspace,
                                                       const ConversationFilter& f) = 0;
  virtual std::vector<Conversation> list_visitor_conversations(Id workspace,
                                                               const std::string& visitor_id) = 0;
  virtual std::vector<Conversation> contact_history(Id workspace, Id contact, Id except) = 0;
  // Appends with the next seq; idempotent by (conversation, client_id). A visitor
  // message reopens a closed conversation.
  virtual AppendResult append_event(const NewEvent& e) = 0;
  // append_event for callers that must not block a thread: `done` runs on the
  // writer thread once committed (or failed); it should only hand the result on.
  using AppendDone = std::function<void(std::optional<AppendResult>, std::exception_ptr)>;
  virtual void append_event_async(NewEvent e, AppendDone done) = 0;
  virtual std::vector<Event> events_after(Id workspace, Id conversation, std::int64_t after_seq,
                                          bool include_notes, int limit) = 0;
  virtual Conversation set_status(Id workspace, Id conversation, ConversationStatus status,
                                  const Author& by) = 0;
  // A ticket's workflow status: solved and closed close the conversation (closed is
  // final: a customer's reply then opens a new ticket), the others keep it open.
  // kNotFound unless it is a ticket.
  virtual Conversation set_ticket_status(Id workspace, Id conversation, TicketStatus status,
                                         const Author& by) = 0;
  // Receipts only move forward; values above last_seq are clamped.
  virtual Conversation update_receipts(Id workspace, Id conversation, AuthorType who,
                                       std::int64_t delivered, std::int64_t read) = 0;

  // Triage's writes; each bumps the version and notifies listeners.
  virtual Conversation set_detected_language(Id workspace, Id conversation,
                                             const std::string& language) = 0;
  // Flags the peak and raises the priority by `priority_boost`.
  virtual Conversation flag_emotional_peak(Id workspace, Id conversation, const EmotionPeak& peak,
                                           int priority_boost) = 0;
  // `requeue_now`: back to the queue's tail (waiting starts now).
  virtual Conversation set_bot_state(Id workspace, Id conversation, const BotState& bot,
                                     bool requeue_now) = 0;

  // Sets one key of the conversation's meta (current_page, visitor_name), leaving
  // the others. `notify`: bumps the version and notifies listeners (agents'
  // lists); without it, a frequent write (the visitor's page heartbeat) changes
  // no version an agent's edit is checked against. `key` is a plain identifier
  // chosen by the server, never the caller's input.
  virtual Conversation set_meta_value(Id workspace, Id conversation, const std::string& key,
                                      const boost::json::value& value, bool notify) = 0;

  // attachments (metadata; the bytes live in the file store, except small files
  // that came by mail, whose bytes the store keeps)
  virtual void save_attachment(const Attachment& a) = 0;
  virtual std::optional<Attachment> get_attachment(Id workspace, const std::string& id) = 0;
  // The bytes the store keeps for this attachment; nullopt: look in the file store.
  virtual std::optional<std::string> attachment_bytes(Id workspace, const std::string& id) = 0;
  // Ties the attachment to the conversation it is sent in; false if it already
  // belongs to another one.
  virtual bool bind_attachment(Id workspace, const std::string& id, Id conversation) = 0;
  // Deletes uploads never sent in a message and created before `before` (not
  // those a canned answer keeps); returns them so their files can be removed.
  virtual std::vector<Attachment> delete_orphan_attachments(Millis before) = 0;
  // A canned answer's files: an unsent upload passes from `from` (its uploader)
  // to `to` ("canned:<id>"); false when it is not `from`'s or was sent.
  virtual bool move_attachment(Id workspace, const std::string& id, const std::string& from,
                               const std::string& to) = 0;
  // Deletes an unsent upload of `uploader`; the row as it was, for its file.
  virtual std::optional<Attachment> delete_attachment(Id workspace, const std::string& id,
                                                      const std::string& uploader) = 0;
};

// Workspaces, agents (with two-factor state) and inboxes.
class DirectoryStore {
 public:
  virtual ~DirectoryStore() = default;
  // workspaces and agents
  virtual Id create_workspace(const std::string& name) = 0;
  // A workspace with its first admin and inbox, all or nothing (`switchboard init`,
  // a super-admin in the console). The very first workspace's admin is a super-admin.
  struct WorkspaceSetup {
    Id workspace_id = 0;
    Agent admin;
    Inbox inbox;
  };
  virtual WorkspaceSetup create_workspace(const std::string& name, const Agent& admin,
                                          const Inbox& inbox) = 0;
  virtual Outcome<Agent> create_agent(const Agent& a) = 0;  // refused: e-mail taken there
  virtual Agent update_agent(const Agent& a) = 0;
  // One address may work for several workspaces (an agency serving clients); oldest first.
  virtual std::vector<Agent> find_agents_by_email(const std::string& email) = 0;
  virtual std::optional<Agent> get_agent(Id workspace, Id id) = 0;
  virtual std::vector<Agent> list_agents(Id workspace) = 0;
  // Also records when the status changed (status_since), if it did.
  virtual Agent set_agent_status(Id workspace, Id agent, AgentStatus status,
                                 std::optional<Id> custom_status = std::nullopt) = 0;
  // Heartbeat: these agents have a console connection open right now.
  virtual void touch_agents(Id workspace, const std::vector<Id>& agents) = 0;

  // A workspace gets a help-center slug from its name (made unique).
  virtual std::optional<Workspace> get_workspace(Id workspace) = 0;
  virtual std::vector<Workspace> list_workspaces() = 0;
  virtual std::optional<Workspace> find_workspace_by_slug(const std::string& slug) = 0;
  virtual Outcome<Workspace> set_workspace_slug(Id workspace, const std::string& slug) = 0;

  virtual void set_two_factor(Id workspace, Id agent, const TwoFactor& tf) = 0;
  // Marks a TOTP step used; false when it (or a later one) already was: a replay.
  virtual bool use_totp_step(Id workspace, Id agent, std::int64_t step) = 0;
  // Removes one unused recovery code by its hash; false when there is none such.
  virtual bool use_recovery_code(Id workspace, Id agent, const std::string& hash) = 0;
  // Turning it on restricts the live sessions of agents without two-factor sign-in.
  virtual void set_require_2fa(Id workspace, bool required) = 0;
  virtual void unrestrict_session(const std::string& token_hash) = 0;

  // inboxes
  virtual Inbox create_inbox(const Inbox& inbox) = 0;
  virtual Inbox update_inbox(const Inbox& inbox) = 0;
  virtual std::optional<Inbox> get_inbox(Id workspace, Id id) = 0;
  virtual std::optional<Inbox> find_inbox_by_key(const std::string& public_key) = 0;
  virtual std::vector<Inbox> list_inboxes(Id workspace) = 0;
  // E-mail inboxes. save_inbox_mail keeps the fetch position unless the mailbox changed
  // (then the caller passes zeros).
  virtual std::optional<InboxMail> get_inbox_mail(Id workspace, Id inbox) = 0;
  virtual std::vector<InboxMail> list_inbox_mail() = 0;  // every workspace's, enabled or not
  virtual InboxMail save_inbox_mail(const InboxMail& m) = 0;
  virtual void set_inbox_mail_fetched(Id workspace, Id inbox, std::uint32_t uidvalidity,
                                      std::uint32_t last_uid) = 0;
};

// Sign-in: sessions, login notices, personal API tokens, and the audit log.
class AccessStore {
 public:
  virtual ~AccessStore() = default;
  // agent sessions, by the hash of their token
  virtual void create_session(const std::string& token_hash, const AgentSession& s) = 0;
  virtual std::optional<AgentSession> find_session(const std::string& token_hash, Millis now) = 0;
  virtual void delete_session(const std::string& token_hash) = 0;
  // The agent's live sessions, newest first.
  virtual std::vector<AgentSession> list_sessions(Id workspace, Id agent, Millis now) = 0;
  // Ends every session of the agent but `keep` (a token hash; empty: all). Returns how many.
  virtual int delete_agent_sessions(Id workspace, Id agent, const std::string& keep = "") = 0;
  // Adds to the agent's pending notice (failures counted since it was last taken).
  virtual void record_login_lockout(Id agent, int failures, Millis at, const std::string& ip) = 0;
  virtual std::optional<LoginNotice> take_login_notice(Id agent) = 0;  // read and cleared

  // personal API tokens; `agent` empty: any of the workspace's (admins)
  virtual ApiToken create_api_token(const ApiToken& t, const std::string& token_hash) = 0;
  virtual std::optional<ApiToken> find_api_token(const std::string& token_hash, Millis now) = 0;
  virtual std::vector<ApiToken> list_api_tokens(Id workspace, std::optional<Id> agent) = 0;
  virtual bool delete_api_token(Id workspace, Id id, std::optional<Id> agent) = 0;
  virtual void touch_api_token(Id id, Millis at, const std::string& ip) = 0;

  // audit log: append-only (the database refuses updates and deletes); newest first
  virtual void append_audit(const AuditEntry& e) = 0;
  virtual std::vector<AuditEntry> search_audit(Id workspace, const AuditQuery& q) = 0;
};

// What routing reads and its conditional writes (claim, requeue).
class RoutingStore {
 public:
  virtual ~RoutingStore() = default;
  virtual Agent set_agent_routing(Id workspace, Id agent, const AgentRouting& routing) = 0;
  virtual WorkspaceRouting workspace_routing(Id workspace) = 0;
  virtual void set_workspace_routing(Id workspace, const WorkspaceRouting& settings) = 0;
  virtual int count_online_agents(Id workspace) = 0;

  // Routing's conditional write. Succeeds only if the conversation is open, its
  // assignee is still `expected_assignee` (nullopt: nobody) and the agent has a
  // free slot on its channel (capacity from their profile, load counted from
  // their open conversations) — all inside one write transaction, so two
  // processes on one database cannot both win. Refused otherwise, with the reason.
  // `note` (agents only, by `by`, e.g. why it was transferred) is written before
  // the notice so the receiver reads it first; an empty notice says "<agent> joined".
  // `fence`: the routing lease's token the deciding dispatcher holds; the claim
  // is refused (kFenced) unless the lease still carries it. Nullopt for a person's
  // decision (accepting an offer is the dispatcher's, a transfer is the agent's).
  virtual Outcome<Conversation> claim(Id workspace, Id conversation, Id agent,
                                      std::optional<Id> expected_assignee, const Author& by,
                                      const std::string& note, const Notice& notice,
                                      std::optional<std::int64_t> fence = std::nullopt) = 0;
  // Back to the queue (assignee cleared) with a new priority and team, if the
  // assignee is still `expected_assignee` and it is open (else refused); `notice` is
  // a system event both sides see.
  virtual Outcome<Conversation> requeue(Id workspace, Id conversation,
                                        std::optional<Id> expected_assignee, int priority,
                                        std::optional<Id> team, const Notice& notice,
                                        std::optional<std::int64_t> fence = std::nullopt) = 0;
  // Open conversations per agent and channel: the durable truth of load.
  virtual std::vector<std::pair<Id, Capacity>> agent_loads(Id workspace) = 0;
  // Open conversations with only what routing reads (no contact, no last
  // message, no assignee name): the dispatcher's periodic resync, kept cheap.
  virtual std::vector<Conversation> open_for_routing(Id workspace) = 0;

  // The routing lease: one node decides for a workspace at a time. Takes the
  // lease for `holder` if it is free or expired, or renews it if `holder` has
  // it, until now + ttl. Returns the fencing token if `holder` holds it after
  // the call (a takeover bumps it), nullopt if another node does. Node clocks
  // decide expiry, so ttl must be well above their skew.
  virtual std::optional<std::int64_t> take_routing_lease(Id workspace, const std::string& holder,
                                                         Millis ttl) = 0;
  // Gives it up at once (a node stopping), if `holder` still has it.
  virtual void release_routing_lease(Id workspace, const std::string& holder) = 0;
};

// The knowledge base, the FAQ bot's settings and questions, deflections.
class KnowledgeStore {
 public:
  virtual ~KnowledgeStore() = default;
  // knowledge base: every write bumps the workspace's kb_revision
  virtual std::int64_t kb_revision(Id workspace) = 0;
  virtual KbContent kb_content(Id workspace) = 0;                // everything, with vote counts
  virtual KbCategory save_kb_category(const KbCategory& c) = 0;  // upsert by slug
  virtual void delete_kb_category(Id workspace, Id id) = 0;      // kNotFound
  virtual std::optional<KbArticle> get_kb_article(Id workspace, Id id) = 0;
  virtual KbArticle save_kb_article(
      const KbArticle& a) = 0;  // id 0 inserts; kConflict on slug+language
  virtual void delete_kb_article(Id workspace, Id id) = 0;
  virtual FaqIntent save_faq_intent(
      const FaqIntent& i) = 0;  // id 0 inserts; kConflict on name+language
  virtual void delete_faq_intent(Id workspace, Id id) = 0;
  // Upserts by slug / slug+language / name+language in one transaction;
  // `replace` deletes what the content does not name.
  virtual KbImportResult import_kb(Id workspace, const KbContent& content, bool replace) = 0;
  // A reader's vote; their second vote replaces the first. Returns the new counts.
  virtual KbArticle vote_kb_article(Id workspace, Id article, const std::string& voter,
                                    bool helpful) = 0;
  virtual boost::json::object bot_settings(Id workspace) = 0;
  virtual void set_bot_settings(Id workspace, const boost::json::object& settings) = 0;
  virtual Id record_bot_question(const BotQuestion& q) = 0;
  // The customer's "did this help?" on an answer given in their conversation (a
  // second one replaces the first); false when there is no such answer there.
  virtual bool rate_bot_answer(Id workspace, Id conversation, Id question, bool helpful) = 0;
  virtual BotOutcomes bot_outcomes(Id workspace, Millis since) = 0;
  virtual std::vector<UnansweredQuestion> unanswered_questions(Id workspace, Millis since,
                                                               int limit) = 0;
  virtual void dismiss_unanswered(Id workspace, const std::string& text) = 0;
  virtual std::vector<BotQuestion> bot_questions(Id workspace, Id conversation) = 0;
  virtual Id record_deflection(Id workspace, const std::string& source, const std::string& query,
                               const std::vector<Id>& articles) = 0;
  // shown -> helped | continued, once; kNotFound / kConflict otherwise.
  virtual void set_deflection_outcome(Id workspace, Id deflection, const std::string& outcome) = 0;
  virtual DeflectionStats deflection_stats(Id workspace, Millis since) = 0;
};

// GDPR export and erasure, and retention.
class PrivacyStore {
 public:
  virtual ~PrivacyStore() = default;
  // GDPR. Everything about a contact; nullopt if unknown in this workspace.
  virtual std::optional<ContactData> contact_data(Id workspace, Id contact) = 0;
  // Redacts the contact's messages, blanks the contact, deletes its identities and
  // the attachments of its conversations; the conversations stay, marked erased.
  // Idempotent; nullopt if the contact is unknown in this workspace.
  virtual std::optional<EraseResult> erase_contact(Id workspace, Id contact) = 0;
  // Days closed conversations are kept; nullopt: forever.
  virtual std::optional<int> retention_days(Id workspace) = 0;
  virtual void set_retention_days(Id workspace, std::optional<int> days) = 0;
  // Deletes at most `limit` closed conversations (events, attachments) whose last
  // activity is older than their workspace's retention, in every workspace.
  virtual PurgeResult purge_expired_conversations(Millis now, int limit) = 0;
};

// Full-text search. Words match case- and accent-blind and by stem in
// en/it/ru/hu/pl; the last word also as a prefix (search as you type). Every
// word must match; the text's quotes, stars and operators are only words.
struct SearchQuery {
  enum class Type { kAll, kMessages, kConversations, kContacts };
  Id workspace_id = 0;
  std::string text;
  Type type = Type::kAll;
  int limit = 20;
  std::optional<Id> before;  // only ids below this one: the next page of one list
  // Who asks: an agent sees what their scope covers (admins: everything).
  Id agent_id = 0;
  bool unrestricted = false;
  AgentScope scope;
};

// A stretch of a snippet; `match` marks the words the query found.
struct SnippetPart {
  std::string text;
  bool match = false;
};

struct MessageHit {
  Id event_id = 0, conversation_id = 0;
  std::int64_t seq = 0;
  std::string kind;  // "message" or "note"
  AuthorType author_type = AuthorType::kVisitor;
  std::string author_name;
  Millis created_at = 0;
  std::vector<SnippetPart> snippet;
};

struct ContactHit {
  Id id = 0;
  std::string name, email, phone;
  std::optional<Id> conversation_id;  // the newest one the asker may open
};

// Newest first. Erased contacts and their conversations never appear.
struct SearchResults {
  std::vector<MessageHit> messages;
  std::vector<Conversation> conversations;
  std::vector<ContactHit> contacts;
  // False when a list ran out of time before it had a page (an agent whose
  // scope covers few of a common word's matches): older matches may exist.
  bool complete = true;
};

// How far behind its writes the full-text index is, for /metrics. A backend
// that indexes in the same transaction (PostgreSQL) is never behind.
struct SearchIndexFigures {
  std::int64_t behind = 0;  // changes committed and not yet indexed (at the last pass)
  bool building = false;    // being built again from the tables
};

class SearchStore {
 public:
  virtual ~SearchStore() = default;
  // Throws StoreError kInvalid when the text has no word to look for.
  virtual SearchResults search(const SearchQuery& q) = 0;
  virtual SearchIndexFigures search_index_figures() { return {}; }
};

// One customer record across channels (R5): search, profile, timeline, edits,
// merge and undo. Unknown ids and other workspaces' ids throw kNotFound.
class ContactStore {
 public:
  virtual ~ContactStore() = default;
  // Contacts not merged away, newest first.
  virtual std::vector<ContactProfile> search_contacts(Id workspace, const ContactQuery& q) = 0;
  // Also a merged-away or erased one (the caller decides what to show).
  virtual std::optional<ContactProfile> contact_profile(Id workspace, Id contact,
                                                        const ContactQuery& scope) = 0;
  // Every channel's conversations, newest first (text is ignored).
  virtual std::vector<Conversation> contact_timeline(Id workspace, Id contact,
                                                     const ContactQuery& page) = 0;
  // Refused kIdentityTaken (another contact's), kMerged (merged away or erased).
  virtual Outcome<ContactProfile> update_contact(Id workspace, Id contact,
                                                 const ContactChanges& changes) = 0;
  // Moves `from`'s conversations and identities to `into` and hides `from`.
  // Refused kMerged when either was merged away or erased.
  virtual Outcome<ContactMerge> merge_contacts(Id workspace, Id into, Id from, Id by_agent) = 0;
  // Puts back exactly what the merge moved; refused kUndoUnsafe (with why) when some
  // of it has changed since, kMerged when already undone.
  virtual Outcome<ContactMerge> undo_merge(Id workspace, Id merge) = 0;
};

// E-mail: the Message-IDs of every mail in and out, the other addresses on a
// mail ticket, and the outbox.
enum class MailDirection { kIn, kOut };

struct MailAddress {
  std::string name, address;  // address lower-cased
};

// One mail's Message-ID as stored: the ticket and event it became.
struct MailId {
  std::string message_id;
  Id conversation_id = 0;
  std::optional<Id> event_id;
  MailDirection direction = MailDirection::kIn;
  Millis created_at = 0;
};

// What a mail event's body leaves out: the headers shown, the (sanitised) HTML
// and the quoted history below what the sender wrote.
struct MailContent {
  std::string subject;
  MailAddress from;
  std::vector<MailAddress> to, cc, bcc;  // bcc: our own replies only
  std::string html, quoted;
};

// What threading asks while it decides, answered inside the ingest's write
// transaction: two mails of one thread in one batch see each other.
class MailLookups {
 public:
  virtual ~MailLookups() = default;
  virtual std::optional<MailId> find_mail(const std::string& message_id) = 0;
  virtual std::optional<Conversation> find_ticket(Id number) = 0;  // tickets only
  // The ticket's contact or one of its participants.
  virtual bool on_ticket(Id number, const std::string& address) = 0;
};

enum class OutboxStatus { kQueued, kSent, kFailed };

struct OutboxMail {
  Id id = 0, workspace_id = 0, conversation_id = 0;
  std::optional<Id> event_id;
  std::string message_id, envelope_from;
  std::vector<std::string> recipients;  // envelope: to, cc and bcc
  std::string raw;                      // the composed bytes
  OutboxStatus status = OutboxStatus::kQueued;
  int attempts = 0;
  Millis next_attempt_at = 0, created_at = 0;
  std::optional<Millis> sent_at;
  std::string last_error;
  MailContent shown;  // the headers as composed, kept with its Message-ID for the console
};

// A mail ticket's mail as agents see it: each Message-ID stored, what the event's
// body leaves out, and for ours the outbox's delivery state (raw bytes left out).
struct MailEntry {
  MailId id;
  MailContent content;
  std::optional<OutboxMail> outbox;
};

// A mail ticket as a reply needs it: its ids oldest first, its other addresses, and
// where the customer wrote from last — the From of their latest mail on it (not an
// auto-reply) that is one of their contact's addresses; a customer with two
// addresses is answered where they wrote. Empty when they never mailed.
struct MailThread {
  Conversation ticket;
  std::vector<MailId> ids;
  std::vector<MailAddress> participants;
  MailAddress customer;
};

// Where an inbound mail goes.
struct MailPlan {
  enum class Action {
    kIgnore,     // written nowhere: our own mail coming back, a bounce of nothing of ours
    kNewTicket,  // `follows`: the closed ticket it answers
    kJoin,       // an event on `ticket`
  } action = Action::kNewTicket;
  Id ticket = 0;
  std::optional<Id> follows;
  bool reopen = false;            // the customer wrote: a solved or waiting ticket opens
  std::string failed_message_id;  // a bounce: the outgoing mail that failed
  std::string reason;             // how it was threaded, in words (logs, tests)
};

struct InboundMail {
  Id workspace_id = 0, inbox_id = 0;
  std::string message_id;  // the mail's own, or one made from its bytes
  MailContent content;
  std::vector<MailAddress> participants;  // To/Cc that are not the inbox: replies go there
  std::string body;                       // what the sender wrote now (the event's body)
  std::string language;
  bool auto_reply = false, bounce = false;
  std::string bounce_error;
  boost::json::array attachments;  // as an event lists them
  std::vector<Attachment> files;   // their rows (tied to the ticket as it is written)
  // file_bytes[i]: files[i]'s bytes when they are kept in the database (they must
  // outlive the call); nullopt when they were written to the file store.
  std::vector<std::optional<std::string_view>> file_bytes;
  // Decides where it goes; runs on the writer, inside the transaction.
  std::function<MailPlan(MailLookups&)> plan;
  // For a new ticket: the acknowledgement to queue in the same write.
  std::function<std::optional<OutboxMail>(const MailThread&, const Event*)> acknowledgement;
};

struct MailIngested {
  MailPlan plan;
  bool duplicate = false;  // the Message-ID was stored already: nothing new was written
  bool created = false;    // a new ticket
  std::optional<Conversation> conversation;
  std::optional<Event> event;
  std::optional<OutboxMail> acknowledgement;
};

class MailStore {
 public:
  virtual ~MailStore() = default;
  // One inbound mail in one write: the Message-ID checked again, then `plan` asked,
  // then the contact, the ticket (new, reopened or as it is), the event, the
  // Message-ID, the participants and the files.
  virtual MailIngested ingest_mail(const InboundMail& mail) = 0;
  // A cheap look before the work of a write: is this Message-ID stored already?
  virtual std::optional<MailId> find_mail(Id workspace, const std::string& message_id) = 0;
  virtual std::optional<MailThread> mail_thread(Id workspace, Id ticket) = 0;
  virtual std::optional<MailContent> mail_content(Id workspace, Id event) = 0;

  // The outbox. `build` composes the mail from the thread as written in this
  // transaction and decides whether there is one (any conversation may have a
  // transcript; replies go from tickets); the agent's message (if any) and the mail
  // commit together, and the mail's Message-ID is stored as ours.
  using BuildMail = std::function<std::optional<OutboxMail>(const MailThread&, const Event*)>;
  virtual std::pair<std::optional<AppendResult>, std::optional<OutboxMail>> append_with_mail(
      const std::optional<NewEvent>& event, Id workspace, Id ticket, const BuildMail& build) = 0;
  virtual std::vector<OutboxMail> due_mail(Millis now, int limit) = 0;
  virtual void mark_mail_sent(Id workspace, Id id) = 0;
  // retry_at nullopt: failed for good.
  virtual void mark_mail_failed(Id workspace, Id id, const std::string& error,
                                std::optional<Millis> retry_at) = 0;
  virtual std::optional<OutboxMail> outbox_mail(Id workspace, const std::string& message_id) = 0;
  // A ticket's mail oldest first (at most `limit`), with delivery states.
  virtual std::vector<MailEntry> ticket_mail(Id workspace, Id ticket, int limit) = 0;
  // A failed reply of `ticket` queued again now; false: no failed mail for that event.
  virtual bool retry_mail(Id workspace, Id ticket, Id event) = 0;
  // Agents' messages since `since` on mail tickets (e-mail, or offline forms with an
  // address) that have no outgoing mail: lost between their commit and the worker.
  virtual std::vector<Event> unmailed_replies(Millis since, int limit) = 0;
};

// Tickets: views with counts, property changes, merge and split, custom fields,
// follow-up reminders. Every property change writes an agent-only note whose
// notice says what changed, so the timeline can be replayed (sla::compute_clocks):
// status changes are system events {code "ticket_status", args {status}} as
// set_ticket_status writes them; priority changes are notes {code
// "ticket_priority", args {priority, from}}.
enum class TicketView {
  kAllOpen,      // new, open, pending customer, on hold
  kMineOpen,     // ... assigned to the agent
  kUnassigned,   // ... assigned to nobody
  kPending,      // pending customer
  kFollowUpDue,  // open, with a follow-up time that has passed
  kSolved,
  kClosed,
  kAll,  // any status
  // Open, with an SLA target at risk or breached now (sla::watch, kept in
  // ticket_sla by the SLA runner), the least time left first.
  kBreachingSoon,
  // Any status, with a complaint not yet resolved: a solved ticket's complaint
  // still waits for its satisfaction check and prevention step.
  kComplaints,
};
std::string_view to_string(TicketView v);
std::optional<TicketView> parse_ticket_view(std::string_view s);

struct TicketQuery {
  TicketView view = TicketView::kAllOpen;
  Id agent_id = 0;   // "mine", and the scope's own assignments
  AgentScope scope;  // only tickets it covers (unrestricted for admins)
  std::optional<TicketStatus> status;
  std::optional<TicketPriority> priority;
  std::string tag, text;  // text: in the subject
  std::optional<Id> inbox;
  std::optional<std::optional<Id>> assignee;  // set: this agent, or nobody
  Millis now = 0;                             // follow-up due, breaching soon
  // Paging, newest updated first: only tickets strictly before (updated_at, id).
  // Breaching soon pages in its own order: strictly after (due_at, id).
  std::optional<std::pair<Millis, Id>> before;
  int limit = 50;
};

struct TicketCounts {
  // Solved and closed (and so all) count at most 10,000 each: "10,000 or more".
  std::vector<std::pair<TicketView, std::int64_t>> views;
  std::vector<std::pair<std::string, std::int64_t>> tags;  // open tickets, most used first
};

// What a PATCH or a bulk action changes; unset members stay as they are. The
// caller validates (the store trusts values and ids of this workspace).
struct TicketChange {
  std::optional<TicketStatus> status;
  std::optional<TicketPriority> priority;
  std::optional<std::vector<std::string>> tags;  // replaces
  std::vector<std::string> add_tags, remove_tags;
  std::optional<std::optional<Id>> team;
  // Written as is: for a closed conversation; open ones go through routing's claim.
  std::optional<std::optional<Id>> assignee;
  boost::json::object custom;  // merged in; a null value removes the key
  std::optional<std::optional<Millis>> follow_up_at;
  std::optional<std::string> subject;
};

class TicketStore {
 public:
  virtual ~TicketStore() = default;
  virtual std::vector<Conversation> list_tickets(Id workspace, const TicketQuery& q) = 0;
  // Counts per view and the top tags (of open tickets) as the query's agent sees them.
  virtual TicketCounts ticket_counts(Id workspace, const TicketQuery& q, int top_tags) = 0;
  // One write: the fields, then one note (or status event) per change. kNotFound unless a ticket.
  virtual Conversation update_ticket(Id workspace, Id ticket, const TicketChange& change,
                                     const Author& by) = 0;
  // A conversation (a chat) becomes a ticket; kConflict if it is one already.
  virtual Conversation make_ticket(Id workspace, Id conversation, TicketStatus status,
                                   std::optional<Millis> follow_up_at, const std::string& subject,
                                   const Author& by) = 0;
  // Merges `source` into `target` (both tickets); returns the target.
  virtual Conversation merge_tickets(Id workspace, Id source, Id target, const Author& by) = 0;
  // The customer's messages from `event` on become a new ticket; returns it.
  virtual Conversation split_ticket(Id workspace, Id ticket, Id event, const Author& by) = 0;
  // Custom fields. save: id 0 inserts; kConflict when the key is taken.
  virtual std::vector<TicketFieldDef> ticket_fields(Id workspace) = 0;
  virtual TicketFieldDef save_ticket_field(const TicketFieldDef& f) = 0;
  virtual void delete_ticket_field(Id workspace, Id id) = 0;  // kNotFound
  // Follow-ups whose time passed and that were not announced yet, in every
  // workspace (by the follow-up index, at most `limit`): each gets a note and is
  // marked announced, in one write. Returns them.
  virtual std::vector<Conversation> announce_due_follow_ups(Millis now, int limit) = 0;
};

// SLA (help desk): a workspace's policies in order (JSON that sla/ parses; the
// store does not read it), its ticket automation settings, and the timed actions
// taken on each ticket by key, so that none is taken twice, restarts included.
struct SlaPolicyRow {
  Id id = 0, workspace_id = 0;
  int position = 0;  // 0 first: the first policy that matches applies
  std::string body;  // JSON text
  Millis updated_at = 0;
};

// One SLA action on a ticket, written with its key in one transaction.
struct SlaActionWrite {
  Id workspace_id = 0, conversation_id = 0;
  std::string key;
  Notice notice;                    // the timeline event that records it
  std::string event_kind = "note";  // note: agents only; system: the customer sees it too
  std::optional<TicketPriority> priority;
  std::optional<TicketStatus> status;  // through the ticket workflow (solved, closed)
  bool unassign = false;               // back to the queue (with `team`, if set)
  std::optional<Id> team;
};

// What the SLA runner keeps per ticket for lists (sla::Watch): from when it is
// breaching soon and when it is due; unset when nothing is watched (no policy, all
// targets met or paused in time, closed). `basis_seq`: the ticket's last_seq it was
// computed from (an older state never overwrites a newer one).
struct TicketSlaWatch {
  Id workspace_id = 0, conversation_id = 0;
  std::int64_t basis_seq = 0;
  std::optional<Millis> at_risk_at, due_at;
  bool operator==(const TicketSlaWatch&) const = default;
};

class SlaStore {
 public:
  virtual ~SlaStore() = default;
  virtual std::vector<SlaPolicyRow> sla_policies(Id workspace) = 0;  // in order
  // id 0 appends; else replaces the body (kNotFound). `move_to`: its new position.
  virtual SlaPolicyRow save_sla_policy(const SlaPolicyRow& p, std::optional<int> move_to) = 0;
  virtual void delete_sla_policy(Id workspace, Id id) = 0;  // kNotFound
  virtual std::string sla_automation(Id workspace) = 0;     // JSON text; "" = the defaults
  virtual void set_sla_automation(Id workspace, const std::string& json) = 0;
  // Tickets the clocks and timers watch: not closed (solved ones too, for
  // auto-close), oldest activity first, through the ticket index.
  virtual std::vector<Conversation> live_tickets(Id workspace, int limit) = 0;
  // Tickets created in [from, to), for reports.
  virtual std::vector<Conversation> tickets_created(Id workspace, Millis from, Millis to,
                                                    int limit) = 0;
  virtual std::vector<std::string> sla_keys(Id workspace, Id conversation) = 0;
  // Writes the action, its event and its key; nullopt (nothing written) when the
  // key was taken before or the ticket is closed.
  virtual std::optional<Conversation> take_sla_action(const SlaActionWrite& a) = 0;
  // The watch as stored (nullopt: never computed).
  virtual std::optional<TicketSlaWatch> sla_watch(Id workspace, Id conversation) = 0;
  // Stores it unless a watch of a later basis_seq is there; an unknown ticket is ignored.
  virtual void set_sla_watch(const TicketSlaWatch& w) = 0;
  // The watched ones among `conversations` (list rows), by id.
  virtual std::vector<TicketSlaWatch> sla_watches(Id workspace,
                                                  const std::vector<Id>& conversations) = 0;
};

// Complaints (R7). The rules are complaint::apply's; the store keeps each
// conversation's complaints with their checklist history and writes the timeline.
struct ComplaintChange {
  complaint::Applied applied;  // applied.problem set: nothing was written
  Conversation conversation;   // as it is after the write
};

class ComplaintStore {
 public:
  virtual ~ComplaintStore() = default;
  // The conversation's latest complaint, withdrawn ones included; nullopt: never one.
  virtual std::optional<complaint::Complaint> latest_complaint(Id workspace, Id conversation) = 0;
  // In one write: reads the latest complaint and the conversation (whose emotional
  // peak becomes `action.peak`), applies the action, stores the result and its
  // timeline as agent-only notes. kNotFound: no such conversation.
  virtual ComplaintChange act_on_complaint(Id workspace, Id conversation,
                                           complaint::Action action) = 0;
  // Live complaints marked in [from, to), oldest first, at most `limit`.
  virtual std::vector<complaint::Record> complaint_records(Id workspace, Millis from, Millis to,
                                                           int limit) = 0;
  // The live (not withdrawn) complaint's status of those of `conversations` that
  // have one (list rows), by id.
  virtual std::vector<std::pair<Id, complaint::Status>> complaint_states(
      Id workspace, const std::vector<Id>& conversations) = 0;
};

// The etiquette coach (Q1): the rules admins changed, per language (the shipped
// ones are coach::default_rules), and how often each flag was shown and taken.
struct CoachFeedback {
  std::string rule, language;
  bool accepted = false;  // false: shown
};
// What followed one use of a variant (a script's, a canned answer's, the
// coach's taken-or-not): the conversation's report row.
struct VariantOutcome {
  int variant = 0;
  reports::ConversationFacts facts;
};

struct CoachRuleCount {
  std::string rule, language;
  std::int64_t shown = 0, accepted = 0;
};

class CoachStore {
 public:
  virtual ~CoachStore() = default;
  // language -> the admin's rules as JSON text; languages left as shipped are absent.
  virtual std::map<std::string, std::string> coach_rules(Id workspace) = 0;
  // nullopt: back to the shipped rules.
  virtual void set_coach_rules(Id workspace, const std::string& language,
                               const std::optional<std::string>& rules_json) = 0;
  // Counted per UTC day of `at`, and per conversation when it is known (the
  // coach's effect on its outcome).
  virtual void count_coach_feedback(Id workspace, Millis at,
                                    const std::vector<CoachFeedback>& events,
                                    std::optional<Id> conversation) = 0;
  // The conversations created in [from, to) where the coach flagged a draft,
  // oldest first, at most `limit`: variant 1 when a suggestion was taken, else 0.
  virtual std::vector<VariantOutcome> coach_outcomes(Id workspace, Millis from, Millis to,
                                                     int limit) = 0;
  // Totals of the days [from, to) touches, most shown first.
  virtual std::vector<CoachRuleCount> coach_counts(Id workspace, Millis from, Millis to) = 0;
};

// Satisfaction (Q2): the customer's rating of a chat at its end (1-3 by
// default, as seed 004 asks; 1-5 or thumbs by the workspace's settings).
struct ChatRating {
  Id workspace_id = 0, conversation_id = 0, inbox_id = 0;
  std::optional<Id> agent_id;  // who had the conversation when it was rated
  std::string agent_name;
  std::string channel;    // the conversation's kind
  std::string scale;      // "3" | "5" | "thumbs"
  int score = 0;          // 1..3, 1..5; thumbs: 0 down, 1 up
  bool positive = false;  // counts towards CSAT: the top of the scale
  std::string comment;
  Millis created_at = 0, updated_at = 0;
};

struct Survey {
  Id id = 0, workspace_id = 0;
  std::string name, status = "active";  // active | archived
  boost::json::array questions;  // [{id, type, label, required, scale?, options?, multiple?}]
  // language -> {name?, questions: {id -> {label?, options?}}}: what the customer reads
  boost::json::object translations;
  std::int64_t responses = 0;  // filled on read
  Id created_by = 0;
  Millis created_at = 0, updated_at = 0;
};
struct SurveyLink {
  std::string token_hash;  // SHA-256 of the token in the link
  Id workspace_id = 0, survey_id = 0;
  std::optional<Id> contact_id, conversation_id;
  std::string channel = "link";
  Millis created_at = 0, expires_at = 0;
  std::optional<Millis> answered_at;
};
struct SurveyResponse {
  Id id = 0, workspace_id = 0, survey_id = 0;
  std::optional<Id> contact_id, conversation_id;
  std::string channel;
  boost::json::object answers;  // question id -> answer
  std::optional<int> nps;       // the NPS question's 0-10, when there is one
  Millis created_at = 0;
};

class SurveyStore {
 public:
  virtual ~SurveyStore() = default;
  virtual boost::json::object survey_settings(Id workspace) = 0;  // {} until set
  virtual void set_survey_settings(Id workspace, const boost::json::object& settings) = 0;
  // Creates or replaces the conversation's rating (created_at kept).
  virtual ChatRating save_chat_rating(const ChatRating& r) = 0;
  virtual std::optional<ChatRating> chat_rating(Id workspace, Id conversation) = 0;
  // Ratings given in [from, to), oldest first, at most `limit`.
  virtual std::vector<ChatRating> chat_ratings(Id workspace, Millis from, Millis to, int limit) = 0;

  // NPS and custom surveys: the questions (JSON, checked by the API), links
  // sent to contacts (only the token's hash is kept), one response per link.
  virtual std::vector<Survey> surveys(Id workspace) = 0;  // at most 500, with response counts
  virtual std::optional<Survey> survey(Id workspace, Id id) = 0;
  virtual Survey save_survey(const Survey& s) = 0;  // id 0: a new one
  // kConflict when it has responses (archive it instead).
  virtual bool delete_survey(Id workspace, Id id) = 0;
  virtual void create_survey_link(const SurveyLink& link) = 0;
  virtual std::optional<SurveyLink> survey_link(const std::string& token_hash) = 0;
  // Whether the conversation was sent a survey link on that channel already.
  virtual bool has_survey_link(Id workspace, Id conversation, const std::string& channel) = 0;
  // When the contact was last sent a link to this survey (any channel).
  virtual std::optional<Millis> last_survey_link(Id workspace, Id survey, Id contact) = 0;
  // The response, and the link marked answered, at once; false when the link
  // was answered already (or is gone).
  virtual bool answer_survey(const std::string& token_hash, const SurveyResponse& r) = 0;
  // Given in [from, to), oldest first, at most `limit`.
  virtual std::vector<SurveyResponse> survey_responses(Id workspace, Id survey, Millis from,
                                                       Millis to, int limit) = 0;
};

// Canned answers (P1): short stored replies with a shortcut, in variants, for
// the workspace, a team or one agent; the rules are canned/'s.
struct CannedAnswer {
  Id id = 0, workspace_id = 0;
  std::string scope = "personal";  // workspace | team | personal
  std::optional<Id> team_id;       // scope team
  std::optional<Id> owner_id;      // scope personal
  std::string language;            // "" any, else en/it/ru/hu/pl
  std::string shortcut, title;
  std::vector<std::string> variants;
  boost::json::object actions;     // {status?, priority?, tags?}: set on the ticket when used
  boost::json::array attachments;  // [{id, name, content_type, size}]
  std::vector<std::int64_t> uses;  // per variant, all time (filled on read)
  Id created_by = 0;
  Millis created_at = 0, updated_at = 0;
};

struct CannedUse {
  Id answer = 0;
  int variant = 0;
  Millis at = 0;
  std::optional<Id> conversation;
  Id agent = 0;
};

class CannedStore {
 public:
  virtual ~CannedStore() = default;
  // Every answer of the workspace with its uses (at most 5,000); the caller
  // keeps those the agent may see.
  virtual std::vector<CannedAnswer> canned_answers(Id workspace) = 0;
  virtual std::optional<CannedAnswer> canned_answer(Id workspace, Id id) = 0;
  // id 0: a new one. kConflict when its shortcut is taken in the same scope
  // (the workspace's, the team's, the agent's own).
  virtual CannedAnswer save_canned_answer(const CannedAnswer& a) = 0;
  virtual bool delete_canned_answer(Id workspace, Id id) = 0;
  // Counted per UTC day, and per conversation when it is given (the variant's
  // effect); false when there is no such answer.
  virtual bool count_canned_use(Id workspace, const CannedUse& use) = 0;
  // The conversations the answer was used in (its last use in each), oldest first.
  virtual std::vector<VariantOutcome> canned_outcomes(Id workspace, Id answer, int limit) = 0;
};

// Scripts (P2): what to say in each of seed 001's situations, per language, in
// variants whose effect is measured. A variant keeps its id for life (its
// figures are its own); an approved edit that changes a text adds a new variant
// and retires the old one.
struct ScriptVariant {
  int id = 0;
  std::string text;
  bool retired = false;
  std::int64_t uses = 0;  // conversations it was used in (filled on read)
};
struct Script {
  Id id = 0, workspace_id = 0;
  std::string situation, language, title;  // language "" any
  std::vector<ScriptVariant> variants;
  Id created_by = 0;
  Millis created_at = 0, updated_at = 0;
};
// An agent's proposal: a new script (no script_id) or new texts for one.
struct ScriptProposal {
  Id id = 0, workspace_id = 0;
  std::optional<Id> script_id;
  std::string situation, language, title, note;
  std::vector<std::string> variants;
  std::string status = "pending";  // pending | approved | rejected
  Id proposed_by = 0;
  std::optional<Id> reviewed_by;
  std::string review_note;
  Millis created_at = 0;
  std::optional<Millis> reviewed_at;
};

class ScriptStore {
 public:
  virtual ~ScriptStore() = default;
  virtual std::vector<Script> scripts(Id workspace) = 0;  // at most 2,000
  virtual std::optional<Script> script(Id workspace, Id id) = 0;
  // id 0: a new one. Variants with id 0 get the next free id.
  virtual Script save_script(const Script& s) = 0;
  virtual bool delete_script(Id workspace, Id id) = 0;
  virtual ScriptProposal propose_script(const ScriptProposal& p) = 0;
  virtual std::vector<ScriptProposal> script_proposals(Id workspace, const std::string& status,
                                                       int limit) = 0;  // newest first
  virtual std::optional<ScriptProposal> script_proposal(Id workspace, Id id) = 0;
  // Approves (applying it: a new script, or its texts merged into the script)
  // or rejects a pending proposal, at once; kConflict when it is no longer
  // pending, kNotFound when it or its script is gone.
  virtual ScriptProposal review_script_proposal(Id workspace, Id id, bool approve, Id reviewer,
                                                const std::string& note) = 0;
  // The variant an agent used in a conversation (one per conversation and
  // script: the latest). False when the script or the conversation is unknown.
  virtual bool record_script_use(Id workspace, Id script, int variant, Id conversation,
                                 Id agent) = 0;
  // Each conversation the script was used in, with its variant and timings.
  virtual std::vector<VariantOutcome> script_outcomes(Id workspace, Id script, int limit) = 0;
};

// Reports (Q3): each conversation's timings, kept on commit (schema step 28).
struct ReportFilter {
  Millis from = 0, to = 0;  // created in [from, to)
  std::optional<Id> inbox_id, team_id, agent_id;
  std::string channel;  // "" any
};

// The queue as it is now, for the live dashboard.
struct LiveQueue {
  std::int64_t open = 0, waiting = 0;  // waiting: open, nobody assigned
  std::optional<Millis> oldest_waiting_since;
  std::map<Id, std::int64_t> open_by_agent;
};

class ReportStore {
 public:
  virtual ~ReportStore() = default;
  // Oldest first, at most `limit` (the caller says when a report was cut).
  virtual std::vector<reports::ConversationFacts> conversation_facts(Id workspace,
                                                                     const ReportFilter& f,
                                                                     int limit) = 0;
  virtual LiveQueue live_queue(Id workspace) = 0;
};

class Store : public ConversationStore,
              public DirectoryStore,
              public AccessStore,
              public RoutingStore,
              public KnowledgeStore,
              public PrivacyStore,
              public MailStore,
              public SearchStore,
              public TicketStore,
              public SlaStore,
              public ContactStore,
              public ComplaintStore,
              public CoachStore,
              public SurveyStore,
              public CannedStore,
              public ReportStore,
              public ScriptStore {
 public:
  ~Store() override = default;
};

Millis system_now();
using ClockFn = std::function<Millis()>;

struct SqliteOptions {
  std::string path;               // database file
  ClockFn clock = system_now;     // the time seam: tests substitute virtual time
  int read_connections = 4;       // pooled readers (WAL lets them run beside the writer)
  bool synchronous_full = false;  // NORMAL in WAL is durable across process crashes
};

std::unique_ptr<Store> open_sqlite_store(const SqliteOptions& options);

struct PostgresOptions {
  std::string url;  // libpq's postgresql:// URL
  ClockFn clock = system_now;
  int connections = 8;    // the most this process opens
  int async_writers = 2;  // threads for append_event_async
};

// The same store on PostgreSQL, for cluster mode: the schema must be current
// (migrate_postgres), else std::runtime_error.
std::unique_ptr<Store> open_postgres_store(const PostgresOptions& options);

struct SchemaVersions {
  int database = 0;  // the newest step the database has
  int binary = 0;    // the newest step this binary knows
};
// Creates or upgrades the schema of the PostgreSQL database at `url` (libpq's
// postgresql:// syntax); several processes may run it at once. A database newer
// than the binary is left as it is: the caller compares the two. Throws
// std::invalid_argument for another kind of URL, sql's Error when the database
// refuses or cannot be reached.
SchemaVersions migrate_postgres(const std::string& url);
// The newest schema step this binary knows.
int latest_schema_version();
// The schema version of the PostgreSQL database at `url`, on a connection of its
// own (a readiness probe: it also proves the database answers). Throws when not.
int postgres_schema_version(const std::string& url);

}  // namespace sb
