// Private to store/: the Store on SQL. One class implements every facet; each
// facet's methods live in their own file (sqlite_<facet>.cc), written once
// against sql::Connection; the shared machinery in sqlite_store.cc, and the
// rows several facets read in rows.h. Two engines run the facets: on SQLite a
// reader pool and the group-commit writer (one writer thread, WAL readers, the
// search index file); on PostgreSQL a connection pool, each write its own
// transaction (pg_engine.h).
#pragma once

#include <array>
#include <condition_variable>
#include <deque>
#include <mutex>

#include "store/checkpointer.h"
#include "store/pg_engine.h"
#include "store/rows.h"
#include "store/search_index.h"
#include "store/store.h"
#include "store/write_queue.h"

namespace sb::sqlite {

// Writes an event with the conversation's next seq (kNotFound: no such conversation).
Event insert_event(sql::Connection& db, const NewEvent& e, Millis now);
// A conversation row (the ticket fields from ticket_of) for `contact`; returns its id.
Id insert_conversation(sql::Connection& db, const NewConversation& c, Id contact, Millis now);
// The ticket a new conversation is: as given, else every e-mail and offline form is one.
std::optional<TicketFields> ticket_of(const NewConversation& c);
// A system event from `n`, to write with insert_event.
NewEvent system_event(Id ws, Id conversation, const Notice& n);
// Every complaint of a conversation, withdrawn ones too, with its tick history; oldest first.
std::vector<complaint::Complaint> load_complaints(sql::Connection& db, Id ws, Id conversation);

class SqlStore final : public Store {
 public:
  explicit SqlStore(const SqliteOptions& o);
  explicit SqlStore(const PostgresOptions& o);
  ~SqlStore() override;

  // ConversationStore (sqlite_conversations.cc)
  void set_change_listener(ChangeListener l) override;
  std::pair<Conversation, bool> create_conversation(const NewConversation& c) override;
  std::optional<Conversation> get_conversation(Id ws, Id id) override;
  std::vector<Conversation> list_conversations(Id ws, const ConversationFilter& f) override;
  std::vector<Conversation> list_visitor_conversations(Id ws, const std::string& visitor) override;
  std::vector<Conversation> contact_history(Id ws, Id contact, Id except) override;
  AppendResult append_event(const NewEvent& e) override;
  void append_event_async(NewEvent e, AppendDone done) override;
  std::vector<Event> events_after(Id ws, Id conversation, std::int64_t after, bool notes,
                                  int limit) override;
  Conversation set_status(Id ws, Id id, ConversationStatus status, const Author& by) override;
  Conversation set_ticket_status(Id ws, Id id, TicketStatus status, const Author& by) override;
  Conversation update_receipts(Id ws, Id id, AuthorType who, std::int64_t delivered,
                               std::int64_t read) override;
  Conversation set_detected_language(Id ws, Id id, const std::string& language) override;
  Conversation flag_emotional_peak(Id ws, Id id, const EmotionPeak& peak,
                                   int priority_boost) override;
  Conversation set_bot_state(Id ws, Id id, const BotState& bot, bool requeue_now) override;
  Conversation set_meta_value(Id ws, Id id, const std::string& key, const boost::json::value& value,
                              bool notify) override;
  void save_attachment(const Attachment& a) override;
  std::optional<Attachment> get_attachment(Id ws, const std::string& id) override;
  std::optional<std::string> attachment_bytes(Id ws, const std::string& id) override;
  bool bind_attachment(Id ws, const std::string& id, Id conversation) override;
  std::vector<Attachment> delete_orphan_attachments(Millis before) override;
  bool move_attachment(Id ws, const std::string& id, const std::string& from,
                       const std::string& to) override;
  std::optional<Attachment> delete_attachment(Id ws, const std::string& id,
                                              const std::string& uploader) override;

  // MailStore (sqlite_mail.cc)
  MailIngested ingest_mail(const InboundMail& mail) override;
  std::optional<MailId> find_mail(Id ws, const std::string& message_id) override;
  std::optional<MailThread> mail_thread(Id ws, Id ticket) override;
  std::optional<MailContent> mail_content(Id ws, Id event) override;
  std::pair<std::optional<AppendResult>, std::optional<OutboxMail>> append_with_mail(
      const std::optional<NewEvent>& event, Id ws, Id ticket, const BuildMail& build) override;
  std::vector<OutboxMail> due_mail(Millis now, int limit) override;
  void mark_mail_sent(Id ws, Id id) override;
  void mark_mail_failed(Id ws, Id id, const std::string& error,
                        std::optional<Millis> retry_at) override;
  std::optional<OutboxMail> outbox_mail(Id ws, const std::string& message_id) override;
  std::vector<MailEntry> ticket_mail(Id ws, Id ticket, int limit) override;
  bool retry_mail(Id ws, Id ticket, Id event) override;
  std::vector<Event> unmailed_replies(Millis since, int limit) override;

  // TicketStore (sqlite_tickets.cc)
  std::vector<Conversation> list_tickets(Id ws, const TicketQuery& q) override;
  TicketCounts ticket_counts(Id ws, const TicketQuery& q, int top_tags) override;
  Conversation update_ticket(Id ws, Id id, const TicketChange& change, const Author& by) override;
  Conversation make_ticket(Id ws, Id id, TicketStatus status, std::optional<Millis> follow_up_at,
                           const std::string& subject, const Author& by) override;
  Conversation merge_tickets(Id ws, Id source, Id target, const Author& by) override;
  Conversation split_ticket(Id ws, Id id, Id event, const Author& by) override;
  std::vector<TicketFieldDef> ticket_fields(Id ws) override;
  TicketFieldDef save_ticket_field(const TicketFieldDef& f) override;
  void delete_ticket_field(Id ws, Id id) override;
  std::vector<Conversation> announce_due_follow_ups(Millis now, int limit) override;
  // SlaStore (sqlite_sla.cc)
  std::vector<SlaPolicyRow> sla_policies(Id ws) override;
  SlaPolicyRow save_sla_policy(const SlaPolicyRow& p, std::optional<int> move_to) override;
  void delete_sla_policy(Id ws, Id id) override;
  std::string sla_automation(Id ws) override;
  void set_sla_automation(Id ws, const std::string& json) override;
  std::vector<Conversation> live_tickets(Id ws, int limit) override;
  std::vector<Conversation> tickets_created(Id ws, Millis from, Millis to, int limit) override;
  std::vector<std::string> sla_keys(Id ws, Id conversation) override;
  std::optional<Conversation> take_sla_action(const SlaActionWrite& a) override;
  std::optional<TicketSlaWatch> sla_watch(Id ws, Id conversation) override;
  void set_sla_watch(const TicketSlaWatch& w) override;
  std::vector<TicketSlaWatch> sla_watches(Id ws, const std::vector<Id>& conversations) override;
  // CoachStore (sqlite_coach.cc)
  std::map<std::string, std::string> coach_rules(Id workspace) override;
  void set_coach_rules(Id workspace, const std::string& language,
                       const std::optional<std::string>& rules_json) override;
  void count_coach_feedback(Id workspace, Millis at, const std::vector<CoachFeedback>& events,
                            std::optional<Id> conversation) override;
  std::vector<CoachRuleCount> coach_counts(Id workspace, Millis from, Millis to) override;

  // SurveyStore (sqlite_surveys.cc)
  boost::json::object survey_settings(Id workspace) override;
  void set_survey_settings(Id workspace, const boost::json::object& settings) override;
  ChatRating save_chat_rating(const ChatRating& r) override;
  std::optional<ChatRating> chat_rating(Id workspace, Id conversation) override;
  std::vector<ChatRating> chat_ratings(Id workspace, Millis from, Millis to, int limit) override;
  std::vector<Survey> surveys(Id workspace) override;
  std::optional<Survey> survey(Id workspace, Id id) override;
  Survey save_survey(const Survey& s) override;
  bool delete_survey(Id workspace, Id id) override;
  void create_survey_link(const SurveyLink& link) override;
  std::optional<SurveyLink> survey_link(const std::string& token_hash) override;
  bool has_survey_link(Id workspace, Id conversation, const std::string& channel) override;
  std::optional<Millis> last_survey_link(Id workspace, Id survey, Id contact) override;
  bool answer_survey(const std::string& token_hash, const SurveyResponse& r) override;
  std::vector<SurveyResponse> survey_responses(Id workspace, Id survey, Millis from, Millis to,
                                               int limit) override;

  // CannedStore (sqlite_canned.cc)
  std::vector<CannedAnswer> canned_answers(Id workspace) override;
  std::optional<CannedAnswer> canned_answer(Id workspace, Id id) override;
  CannedAnswer save_canned_answer(const CannedAnswer& a) override;
  bool delete_canned_answer(Id workspace, Id id) override;
  bool count_canned_use(Id workspace, const CannedUse& use) override;

  // ReportStore (sqlite_reports.cc)
  std::vector<reports::ConversationFacts> conversation_facts(Id workspace, const ReportFilter& f,
                                                             int limit) override;
  LiveQueue live_queue(Id workspace) override;

  // ScriptStore (sqlite_scripts.cc)
  std::vector<Script> scripts(Id workspace) override;
  std::optional<Script> script(Id workspace, Id id) override;
  Script save_script(const Script& s) override;
  bool delete_script(Id workspace, Id id) override;
  ScriptProposal propose_script(const ScriptProposal& p) override;
  std::vector<ScriptProposal> script_proposals(Id workspace, const std::string& status,
                                               int limit) override;
  std::optional<ScriptProposal> script_proposal(Id workspace, Id id) override;
  ScriptProposal review_script_proposal(Id workspace, Id id, bool approve, Id reviewer,
                                        const std::string& note) override;
  bool record_script_use(Id workspace, Id script, int variant, Id conversation, Id agent) override;
  std::vector<VariantOutcome> script_outcomes(Id workspace, Id script, int limit) override;
  // (sqlite_reports.cc, beside the other outcomes)
  std::vector<VariantOutcome> canned_outcomes(Id workspace, Id answer, int limit) override;
  std::vector<VariantOutcome> coach_outcomes(Id workspace, Millis from, Millis to,
                                             int limit) override;

  // ComplaintStore (sqlite_complaints.cc)
  std::optional<complaint::Complaint> latest_complaint(Id ws, Id conversation) override;
  ComplaintChange act_on_complaint(Id ws, Id conversation, complaint::Action action) override;
  std::vector<std::pair<Id, complaint::Status>> complaint_states(
      Id ws, const std::vector<Id>& conversations) override;
  std::vector<complaint::Record> complaint_records(Id ws, Millis from, Millis to,
                                                   int limit) override;

  // DirectoryStore (sqlite_directory.cc)
  Id create_workspace(const std::string& name) override;
  WorkspaceSetup create_workspace(const std::string& name, const Agent& admin,
                                  const Inbox& inbox) override;
  Outcome<Agent> create_agent(const Agent& a) override;
  Agent update_agent(const Agent& a) override;
  std::vector<Agent> find_agents_by_email(const std::string& email) override;
  std::optional<Agent> get_agent(Id ws, Id id) override;
  std::vector<Agent> list_agents(Id ws) override;
  Agent set_agent_status(Id ws, Id agent, AgentStatus status, std::optional<Id> custom) override;
  void touch_agents(Id ws, const std::vector<Id>& agents) override;
  std::optional<Workspace> get_workspace(Id ws) override;
  std::vector<Workspace> list_workspaces() override;
  std::optional<Workspace> find_workspace_by_slug(const std::string& slug) override;
  Outcome<Workspace> set_workspace_slug(Id ws, const std::string& slug) override;
  void set_two_factor(Id ws, Id agent, const TwoFactor& tf) override;
  bool use_totp_step(Id ws, Id agent, std::int64_t step) override;
  bool use_recovery_code(Id ws, Id agent, const std::string& hash) override;
  void set_require_2fa(Id ws, bool required) override;
  void unrestrict_session(const std::string& token_hash) override;
  Inbox create_inbox(const Inbox& i) override;
  Inbox update_inbox(const Inbox& i) override;
  std::optional<Inbox> get_inbox(Id ws, Id id) override;
  std::optional<Inbox> find_inbox_by_key(const std::string& key) override;
  std::vector<Inbox> list_inboxes(Id ws) override;
  std::optional<InboxMail> get_inbox_mail(Id ws, Id inbox) override;
  std::vector<InboxMail> list_inbox_mail() override;
  InboxMail save_inbox_mail(const InboxMail& m) override;
  void set_inbox_mail_fetched(Id ws, Id inbox, std::uint32_t uidvalidity,
                              std::uint32_t last_uid) override;

  // AccessStore (sqlite_access.cc)
  void create_session(const std::string& token_hash, const AgentSession& s) override;
  std::optional<AgentSession> find_session(const std::string& token_hash, Millis now) override;
  void delete_session(const std::string& token_hash) override;
  std::vector<AgentSession> list_sessions(Id ws, Id agent, Millis now) override;
  int delete_agent_sessions(Id ws, Id agent, const std::string& keep) override;
  void record_login_lockout(Id agent, int failures, Millis at, const std::string& ip) override;
  std::optional<LoginNotice> take_login_notice(Id agent) override;
  ApiToken create_api_token(const ApiToken& t, const std::string& hash) override;
  std::optional<ApiToken> find_api_token(const std::string& hash, Millis now) override;
  std::vector<ApiToken> list_api_tokens(Id ws, std::optional<Id> agent) override;
  bool delete_api_token(Id ws, Id id, std::optional<Id> agent) override;
  void touch_api_token(Id id, Millis at, const std::string& ip) override;
  void append_audit(const AuditEntry& e) override;
  std::vector<AuditEntry> search_audit(Id ws, const AuditQuery& q) override;

  // RoutingStore (sqlite_routing.cc)
  Agent set_agent_routing(Id ws, Id agent, const AgentRouting& routing) override;
  WorkspaceRouting workspace_routing(Id ws) override;
  void set_workspace_routing(Id ws, const WorkspaceRouting& settings) override;
  int count_online_agents(Id ws) override;
  Outcome<Conversation> claim(Id ws, Id id, Id agent, std::optional<Id> expected, const Author& by,
                              const std::string& note, const Notice& notice,
                              std::optional<std::int64_t> fence = std::nullopt) override;
  Outcome<Conversation> requeue(Id ws, Id id, std::optional<Id> expected, int priority,
                                std::optional<Id> team, const Notice& notice,
                                std::optional<std::int64_t> fence = std::nullopt) override;
  std::vector<std::pair<Id, Capacity>> agent_loads(Id ws) override;
  std::vector<Conversation> open_for_routing(Id ws) override;
  // the routing lease (sqlite_routing.cc, SQL in lease_queries.cc)
  std::optional<std::int64_t> take_routing_lease(Id ws, const std::string& holder,
                                                 Millis ttl) override;
  void release_routing_lease(Id ws, const std::string& holder) override;

  // KnowledgeStore (sqlite_knowledge.cc)
  std::int64_t kb_revision(Id ws) override;
  KbContent kb_content(Id ws) override;
  KbCategory save_kb_category(const KbCategory& c) override;
  void delete_kb_category(Id ws, Id id) override;
  std::optional<KbArticle> get_kb_article(Id ws, Id id) override;
  KbArticle save_kb_article(const KbArticle& a) override;
  void delete_kb_article(Id ws, Id id) override;
  FaqIntent save_faq_intent(const FaqIntent& i) override;
  void delete_faq_intent(Id ws, Id id) override;
  KbImportResult import_kb(Id ws, const KbContent& content, bool replace) override;
  KbArticle vote_kb_article(Id ws, Id article, const std::string& voter, bool helpful) override;
  boost::json::object bot_settings(Id ws) override;
  void set_bot_settings(Id ws, const boost::json::object& settings) override;
  Id record_bot_question(const BotQuestion& q) override;
  bool rate_bot_answer(Id ws, Id conversation, Id question, bool helpful) override;
  BotOutcomes bot_outcomes(Id ws, Millis since) override;
  std::vector<UnansweredQuestion> unanswered_questions(Id ws, Millis since, int limit) override;
  void dismiss_unanswered(Id ws, const std::string& text) override;
  std::vector<BotQuestion> bot_questions(Id ws, Id conversation) override;
  Id record_deflection(Id ws, const std::string& source, const std::string& query,
                       const std::vector<Id>& articles) override;
  void set_deflection_outcome(Id ws, Id id, const std::string& outcome) override;
  DeflectionStats deflection_stats(Id ws, Millis since) override;

  // ContactStore (sqlite_contacts.cc)
  std::vector<ContactProfile> search_contacts(Id ws, const ContactQuery& q) override;
  std::optional<ContactProfile> contact_profile(Id ws, Id id, const ContactQuery& scope) override;
  std::vector<Conversation> contact_timeline(Id ws, Id id, const ContactQuery& page) override;
  Outcome<ContactProfile> update_contact(Id ws, Id id, const ContactChanges& changes) override;
  Outcome<ContactMerge> merge_contacts(Id ws, Id into, Id from, Id by_agent) override;
  Outcome<ContactMerge> undo_merge(Id ws, Id merge) override;

  // PrivacyStore (sqlite_privacy.cc)
  std::optional<ContactData> contact_data(Id ws, Id id) override;
  std::optional<EraseResult> erase_contact(Id ws, Id id) override;
  std::optional<int> retention_days(Id ws) override;
  void set_retention_days(Id ws, std::optional<int> days) override;
  PurgeResult purge_expired_conversations(Millis now, int limit) override;

  // SearchStore (sqlite_search.cc)
  SearchResults search(const SearchQuery& q) override;
  SearchIndexFigures search_index_figures() override {
    return search_index_ ? search_index_->figures() : SearchIndexFigures{};
  }

 private:
  // sqlite_search.cc
  SearchResults search_postgres(const SearchQuery& q);
  // sqlite_conversations.cc
  AppendResult append_in(sql::Connection& db, const NewEvent& e);
  // PostgreSQL: runs the appends queued by append_event_async meanwhile, several
  // in one transaction (one COMMIT, fewer round trips a message).
  void append_queued();
  void append_alone(NewEvent e, const AppendDone& done);
  void reopen(sql::Connection& db, Conversation& conv, Millis now);
  Event write_ticket_status(sql::Connection& db, Conversation& conv, TicketStatus status,
                            const Author& by);
  void forward_to_merged(sql::Connection& db, const Conversation& from, const NewEvent& e,
                         Millis now);
  // sqlite_tickets.cc
  Conversation note_changes(sql::Connection& db, Id ws, Id id, const std::vector<Notice>& notes,
                            const Author& by, std::vector<Event> events);
  Conversation update_triage(Id ws, Id id, std::string_view set,
                             const std::function<void(sql::Statement&)>& bind);
  // sqlite_mail.cc
  void reopen_ticket(sql::Connection& db, Conversation& conv, Millis now);
  // sqlite_directory.cc
  Outcome<Agent> insert_agent(sql::Connection& db, const Agent& a);
  Inbox insert_inbox(sql::Connection& db, const Inbox& i);
  // sqlite_routing.cc
  bool update_assignment(sql::Connection& db, const Conversation& conv, std::optional<Id> agent,
                         int priority, std::optional<Id> team, Millis queued_at);
  Conversation finish_assignment(sql::Connection& db, Id ws, Id id, const Notice& notice,
                                 const std::string& note, const Author& by);
  // sqlite_knowledge.cc
  void delete_kb_row(std::string_view table, Id ws, Id id);

  // A write: on SQLite a job on the writer thread inside the batch's
  // transaction, on PostgreSQL a transaction of its own (run again when the
  // database says so: `fn` keeps no side effects outside it but record()).
  // Returns after COMMIT. `fn` takes a sql::Connection.
  template <class Fn>
  auto write(Fn fn) -> decltype(fn(std::declval<sql::Connection&>())) {
    if (!pg_) return writer_->run([&](Connection& db) { return store_errors(fn, db); });
    std::optional<decltype(fn(std::declval<sql::Connection&>()))> result;
    std::vector<Change> changes;
    std::vector<std::unique_lock<std::mutex>> in_order;
    store_errors([&] {
      pg_->write([&](sql::Connection& db) {
        in_order.clear();
        changes.clear();
        {
          ChangeScope scope(changes);
          result.emplace(fn(db));
        }
        in_order = hold_publication(changes);  // through COMMIT and publish()
      });
    });
    publish(std::move(changes));
    return std::move(*result);
  }

  // A read on a pooled connection (waits for a free one). A reader that needs
  // SQLite's own connection (search) takes a sqlite::Connection& and runs on
  // SQLite only.
  template <class Fn>
  auto read(Fn fn) -> decltype(fn(std::declval<Connection&>())) {
    if constexpr (std::is_invocable_v<Fn&, sql::Connection&>) {
      if (pg_) {
        std::optional<decltype(fn(std::declval<Connection&>()))> result;
        store_errors([&] { pg_->read([&](sql::Connection& db) { result.emplace(fn(db)); }); });
        return std::move(*result);
      }
    }
    Lease lease(*this);
    return store_errors(fn, *lease.c);
  }

  struct Lease {
    explicit Lease(SqlStore& s);
    ~Lease();
    SqlStore& store;
    std::unique_ptr<Connection> c;
  };

  // Where record() collects on PostgreSQL: the changes of the write this
  // thread is running.
  struct ChangeScope {
    explicit ChangeScope(std::vector<Change>& to) : saved(collecting) { collecting = &to; }
    ~ChangeScope() { collecting = saved; }
    std::vector<Change>* saved;
  };
  static inline thread_local std::vector<Change>* collecting = nullptr;

  // The last step of a write job: what the change listener hears after COMMIT.
  void record(Change change) {
    (collecting ? *collecting : batch_changes_).push_back(std::move(change));
  }
  void flush_changes(bool committed);
  void publish(std::vector<Change> changes);
  // PostgreSQL: the changes of one conversation reach the listener in commit
  // order. Its row lock orders the commits; these locks, taken before COMMIT
  // and released after publish(), keep the order to the listener.
  std::vector<std::unique_lock<std::mutex>> hold_publication(const std::vector<Change>& changes);
  // The search index file catches up (SQLite; PostgreSQL indexes with the row).
  void search_catch_up() {
    if (search_index_) search_index_->catch_up();
  }

  ClockFn clock_;
  std::string path_;
  std::vector<Change> batch_changes_;  // writer thread only
  std::mutex changes_mu_;
  ChangeListener listener_;
  std::mutex readers_mu_;
  std::condition_variable readers_cv_;
  std::vector<std::unique_ptr<Connection>> readers_;
  // SQLite only; its threads start after everything above exists.
  std::unique_ptr<Checkpointer> checkpointer_;
  std::unique_ptr<SearchIndex> search_index_;  // its thread reads what the writer commits
  std::unique_ptr<WriteQueue> writer_;
  std::unique_ptr<PgEngine> pg_;  // PostgreSQL only
  struct QueuedAppend {
    NewEvent event;
    AppendDone done;
  };
  std::mutex appends_mu_;
  std::deque<QueuedAppend> appends_;  // PostgreSQL: append_event_async's, for append_queued
  std::array<std::mutex, 64> publication_stripes_;  // by conversation id
};

}  // namespace sb::sqlite
