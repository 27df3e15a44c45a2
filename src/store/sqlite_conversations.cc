#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "store/audit_queries.h"
#include "store/gdpr_queries.h"
#include "store/kb_queries.h"
#include "store/routing_queries.h"
#include "store/sqlite_db.h"
#include "store/token_queries.h"
#include "store/write_queue.h"

namespace sb {

Millis system_now() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

namespace sqlite {
namespace {

namespace json = boost::json;

constexpr std::string_view kAgentColumns =
    "id, workspace_id, name, email, role, avatar_color, password_hash, status, routing, "
    "custom_status_id, status_since, last_seen, deactivated_at, scope, totp_secret, totp_pending, "
    "totp_enabled_at, totp_last_step, recovery_codes, super_admin";
constexpr std::string_view kInboxColumns =
    "id, workspace_id, name, public_key, timezone, business_hours, widget, prechat_fields, topics, "
    "routing";
constexpr std::string_view kEventColumns =
    "e.id, e.workspace_id, e.conversation_id, e.seq, e.kind, e.author_type, e.author_id, "
    "e.author_name, e.body, e.attachments, COALESCE(e.client_id, ''), e.created_at, "
    "COALESCE(e.notice, '{}')";
constexpr std::string_view kAttachmentColumns =
    "id, workspace_id, name, content_type, size, created_at, uploader, conversation_id";
constexpr std::string_view kConversationSelect =
    "SELECT c.id, c.workspace_id, c.inbox_id, c.visitor_id, c.kind, c.status, c.assignee_id, "
    "COALESCE(a.name, ''), c.subject, c.language, c.last_seq, c.version, "
    "c.visitor_delivered_seq, c.visitor_read_seq, c.agent_delivered_seq, c.agent_read_seq, "
    "c.meta, c.created_at, c.updated_at, ct.id, ct.name, ct.email, ct.phone, ct.created_at, "
    "m.seq, m.body, m.author_type, m.author_name, m.created_at, c.priority, c.team_id, "
    "c.queued_at "
    "FROM conversation c JOIN contact ct ON ct.id = c.contact_id "
    "LEFT JOIN agent a ON a.id = c.assignee_id "
    "LEFT JOIN event m ON m.conversation_id = c.id AND m.seq = c.last_message_seq ";

template <class... Parts>
std::string sql(const Parts&... parts) {
  std::string out;
  ((out += std::string_view(parts)), ...);
  return out;
}

Agent read_agent(const Statement& q) {
  Agent a;
  a.id = q.int64(0);
  a.workspace_id = q.int64(1);
  a.name = q.text(2);
  a.email = q.text(3);
  a.role = q.text(4);
  a.avatar_color = q.text(5);
  a.password_hash = q.text(6);
  a.status = parse_agent_status(q.text(7)).value_or(AgentStatus::kOffline);
  a.routing = AgentRouting::from_json(parse_or(q.text(8), json::object{}), nullptr)
                  .value_or(AgentRouting{});
  if (!q.is_null(9)) a.custom_status = q.int64(9);
  a.status_since = q.int64(10);
  a.last_seen = q.int64(11);
  if (!q.is_null(12)) a.deactivated_at = q.int64(12);
  a.scope =
      AgentScope::from_json(parse_or(q.text(13), json::object{}), nullptr).value_or(AgentScope{});
  a.two_factor.secret_hex = q.text(14);
  a.two_factor.pending_hex = q.text(15);
  if (!q.is_null(16)) a.two_factor.enabled_at = q.int64(16);
  a.two_factor.last_step = q.int64(17);
  a.two_factor.recovery_hashes = parse_strings(q.text(18));
  a.super_admin = q.int64(19) != 0;
  return a;
}

Attachment read_attachment(const Statement& q) {
  Attachment a{q.text(0), q.int64(1), q.text(2), q.text(3), q.int64(4), q.int64(5), q.text(6)};
  if (!q.is_null(7)) a.conversation_id = q.int64(7);
  return a;
}

Inbox read_inbox(const Statement& q) {
  Inbox i;
  i.id = q.int64(0);
  i.workspace_id = q.int64(1);
  i.name = q.text(2);
  i.public_key = q.text(3);
  i.timezone = q.text(4);
  i.hours = BusinessHours::from_json(parse_or(q.text(5), json::object{}), nullptr)
                .value_or(BusinessHours{});
  auto obj = [](json::value v) { return v.is_object() ? v.as_object() : json::object{}; };
  auto arr = [](json::value v) { return v.is_array() ? v.as_array() : json::array{}; };
  i.widget = obj(parse_or(q.text(6), json::object{}));
  i.prechat_fields = arr(parse_or(q.text(7), json::array{}));
  i.topics = arr(parse_or(q.text(8), json::array{}));
  i.routing = InboxRouting::from_json(parse_or(q.text(9), json::object{}), nullptr)
                  .value_or(InboxRouting{});
  return i;
}

Event read_event(const Statement& q) {
  Event e;
  e.id = q.int64(0);
  e.workspace_id = q.int64(1);
  e.conversation_id = q.int64(2);
  e.seq = q.int64(3);
  e.kind = q.text(4);
  e.author.type = parse_author_type(q.text(5)).value_or(AuthorType::kSystem);
  e.author.id = q.int64(6);
  e.author.name = q.text(7);
  e.body = q.text(8);
  auto att = parse_or(q.text(9), json::array{});
  e.attachments = att.is_array() ? att.as_array() : json::array{};
  e.client_id = q.text(10);
  e.created_at = q.int64(11);
  auto notice = parse_or(q.text(12), json::object{});
  if (notice.is_object()) e.notice = notice.as_object();
  return e;
}

Conversation read_conversation(const Statement& q) {
  Conversation c;
  c.id = q.int64(0);
  c.workspace_id = q.int64(1);
  c.inbox_id = q.int64(2);
  c.visitor_id = q.text(3);
  c.kind = parse_conversation_kind(q.text(4)).value_or(ConversationKind::kChat);
  c.status = q.text(5) == "closed" ? ConversationStatus::kClosed : ConversationStatus::kOpen;
  if (!q.is_null(6)) c.assignee_id = q.int64(6);
  c.assignee_name = q.text(7);
  c.subject = q.text(8);
  c.language = q.text(9);
  c.last_seq = q.int64(10);
  c.version = q.int64(11);
  c.receipts = {q.int64(12), q.int64(13), q.int64(14), q.int64(15)};
  auto meta = parse_or(q.text(16), json::object{});
  c.meta = meta.is_object() ? meta.as_object() : json::object{};
  c.created_at = q.int64(17);
  c.updated_at = q.int64(18);
  c.contact = {q.int64(19), c.workspace_id, q.text(20), q.text(21), q.text(22), q.int64(23)};
  if (!q.is_null(24)) {
    Event m;
    m.conversation_id = c.id;
    m.seq = q.int64(24);
    m.body = q.text(25);
    m.author.type = parse_author_type(q.text(26)).value_or(AuthorType::kSystem);
    m.author.name = q.text(27);
    m.created_at = q.int64(28);
    c.last_message = std::move(m);
  }
  c.priority = static_cast<int>(q.int64(29));
  if (!q.is_null(30)) c.team_id = q.int64(30);
  c.queued_at = q.int64(31);
  return c;
}

std::optional<Conversation> load_conversation(Connection& db, Id ws, Id id) {
  Statement q(db, sql(kConversationSelect, "WHERE c.workspace_id = ? AND c.id = ?"));
  q.bind(1, ws).bind(2, id);
  if (!q.step()) return std::nullopt;
  return read_conversation(q);
}

Conversation must_load_conversation(Connection& db, Id ws, Id id) {
  auto c = load_conversation(db, ws, id);
  if (!c)
    throw StoreError(StoreError::Code::kNotFound,
                     "conversation " + std::to_string(id) + " not found");
  return *c;
}

std::vector<Conversation> load_conversations(Connection& db, const std::string& where,
                                             const std::function<void(Statement&)>& bind) {
  Statement q(db, sql(kConversationSelect, where));
  bind(q);
  std::vector<Conversation> out;
  while (q.step()) out.push_back(read_conversation(q));
  return out;
}

std::optional<Event> load_event_by_client_id(Connection& db, Id conversation,
                                             const std::string& client_id) {
  Statement q(db, sql("SELECT ", kEventColumns,
                      " FROM event e WHERE e.conversation_id = ? AND e.client_id = ?"));
  q.bind(1, conversation).bind(2, client_id);
  if (!q.step()) return std::nullopt;
  return read_event(q);
}

// Finds the contact behind an identity, or makes one.
Id resolve_contact(Connection& db, Id ws, const NewConversation& c, Millis now) {
  auto find = [&](std::string_view kind, const std::string& value) -> std::optional<Id> {
    if (value.empty()) return std::nullopt;
    Statement q(
        db, "SELECT contact_id FROM identity WHERE workspace_id = ? AND kind = ? AND value = ?");
    q.bind(1, ws).bind(2, kind).bind(3, value);
    if (q.step()) return q.int64(0);
    return std::nullopt;
  };
  auto link = [&](std::string_view kind, const std::string& value, Id contact) {
    if (value.empty()) return;
    Statement q(db,
                "INSERT OR IGNORE INTO identity (workspace_id, kind, value, contact_id) VALUES (?, "
                "?, ?, ?)");
    q.bind(1, ws).bind(2, kind).bind(3, value).bind(4, contact).run();
  };
  std::string email = lower_ascii(c.email);
  auto contact = find("visitor", c.visitor_id);
  if (!contact) contact = find("email", email);
  if (!contact) contact = find("phone", c.phone);
  if (!contact) {
    Statement ins(db,
                  "INSERT INTO contact (workspace_id, name, email, phone, created_at) VALUES (?, "
                  "?, ?, ?, ?)");
    ins.bind(1, ws).bind(2, c.name).bind(3, email).bind(4, c.phone).bind(5, now).run();
    contact = db.last_insert_id();
  } else {
    // Fill what we did not know yet; never overwrite what the customer told us before.
    Statement up(db,
                 "UPDATE contact SET name = CASE WHEN name = '' THEN ? ELSE name END, "
                 "email = CASE WHEN email = '' THEN ? ELSE email END, "
                 "phone = CASE WHEN phone = '' THEN ? ELSE phone END WHERE id = ?");
    up.bind(1, c.name).bind(2, email).bind(3, c.phone).bind(4, *contact).run();
  }
  link("visitor", c.visitor_id, *contact);
  link("email", email, *contact);
  link("phone", c.phone, *contact);
  return *contact;
}

// Checkpoints the WAL from its own connection and thread, twice a second, so the
// writer never stalls copying pages back into the database file (the writer's
// own automatic checkpoints are turned off).
class Checkpointer {
 public:
  explicit Checkpointer(const std::string& path) : db_(path), thread_([this] { loop(); }) {}
  ~Checkpointer() {
    {
      std::lock_guard lock(mu_);
      stopping_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }

 private:
  void loop() {
    std::unique_lock lock(mu_);
    while (!cv_.wait_for(lock, std::chrono::milliseconds(500), [&] { return stopping_; })) {
      lock.unlock();
      try {
        db_.exec("PRAGMA wal_checkpoint(PASSIVE)");
      } catch (const StoreError&) {
        // Busy or I/O trouble: the next pass tries again; the WAL keeps the data safe.
      }
      lock.lock();
    }
  }

  Connection db_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::thread thread_;
};

class SqliteStore final : public Store {
 public:
  explicit SqliteStore(const SqliteOptions& o)
      : clock_(o.clock), path_(o.path), writer_(o.path, [this](bool ok) { flush_changes(ok); }) {
    for (int i = 0; i < o.read_connections; ++i)
      readers_.push_back(std::make_unique<Connection>(o.path));
  }

  void set_change_listener(ChangeListener l) override {
    std::lock_guard lock(changes_mu_);
    listener_ = std::move(l);
  }

  Id create_workspace(const std::string& name) override {
    return write([&](Connection& db) {
      Statement q(db, "INSERT INTO workspace (name, created_at, slug) VALUES (?, ?, ?)");
      q.bind(1, name).bind(2, clock_()).bind(3, kb_queries::unique_slug(db, name)).run();
      return db.last_insert_id();
    });
  }

  std::optional<Workspace> get_workspace(Id ws) override {
    return read(
        [&](Connection& db) { return kb_queries::workspace(db, "id", std::to_string(ws)); });
  }

  std::vector<Workspace> list_workspaces() override {
    return read([&](Connection& db) {
      Statement q(db,
                  "SELECT id, name, COALESCE(slug, ''), require_2fa FROM workspace ORDER BY id");
      std::vector<Workspace> out;
      while (q.step()) out.push_back({q.int64(0), q.text(1), q.text(2), q.int64(3) != 0});
      return out;
    });
  }

  std::optional<Workspace> find_workspace_by_slug(const std::string& slug) override {
    return read([&](Connection& db) { return kb_queries::workspace(db, "slug", slug); });
  }

  Workspace set_workspace_slug(Id ws, const std::string& slug) override {
    return write([&](Connection& db) {
      auto taken = kb_queries::workspace(db, "slug", slug);
      if (taken && taken->id != ws)
        throw StoreError(StoreError::Code::kConflict, "this address is taken");
      Statement q(db, "UPDATE workspace SET slug = ? WHERE id = ?");
      q.bind(1, slug).bind(2, ws).run();
      if (db.changes() == 0) throw StoreError(StoreError::Code::kNotFound, "workspace not found");
      return *kb_queries::workspace(db, "id", std::to_string(ws));
    });
  }

  Conversation patch_conversation(Id ws, Id id, const ConversationPatch& p) override {
    return write([&](Connection& db) {
      auto conv = must_load_conversation(db, ws, id);
      for (const auto& [k, v] : p.meta) {
        if (v.is_null())
          conv.meta.erase(k);
        else
          conv.meta[k] = v;
      }
      Statement q(db,
                  "UPDATE conversation SET meta = ?, priority = ?, queued_at = ?, "
                  "version = version + 1 WHERE workspace_id = ? AND id = ?");
      q.bind(1, json::serialize(conv.meta)).bind(2, p.priority.value_or(conv.priority));
      q.bind(3, p.requeue_now ? clock_() : conv.queued_at).bind(4, ws).bind(5, id).run();
      auto updated = must_load_conversation(db, ws, id);
      record({updated, std::nullopt, false});
      return updated;
    });
  }

  std::int64_t kb_revision(Id ws) override {
    return read([&](Connection& db) { return kb_queries::revision(db, ws); });
  }

  KbContent kb_content(Id ws) override {
    return read([&](Connection& db) { return kb_queries::content(db, ws); });
  }

  KbCategory save_kb_category(const KbCategory& c) override {
    return write([&](Connection& db) { return kb_queries::save_category(db, c); });
  }

  void delete_kb_category(Id ws, Id id) override { delete_kb_row("kb_category", ws, id); }

  std::optional<KbArticle> get_kb_article(Id ws, Id id) override {
    return read([&](Connection& db) { return kb_queries::article(db, ws, id); });
  }

  KbArticle save_kb_article(const KbArticle& a) override {
    return write([&](Connection& db) { return kb_queries::save_article(db, a, clock_()); });
  }

  void delete_kb_article(Id ws, Id id) override { delete_kb_row("kb_article", ws, id); }

  FaqIntent save_faq_intent(const FaqIntent& i) override {
    return write([&](Connection& db) { return kb_queries::save_intent(db, i, clock_()); });
  }

  void delete_faq_intent(Id ws, Id id) override { delete_kb_row("faq_intent", ws, id); }

  KbImportResult import_kb(Id ws, const KbContent& content, bool replace) override {
    return write(
        [&](Connection& db) { return kb_queries::import(db, ws, content, replace, clock_()); });
  }

  KbArticle vote_kb_article(Id ws, Id article, const std::string& voter, bool helpful) override {
    return write([&](Connection& db) {
      kb_queries::vote(db, ws, article, voter, helpful, clock_());
      return *kb_queries::article(db, ws, article);
    });
  }

  json::object bot_settings(Id ws) override {
    return read([&](Connection& db) { return kb_queries::bot_settings(db, ws); });
  }

  void set_bot_settings(Id ws, const json::object& settings) override {
    write([&](Connection& db) {
      kb_queries::set_bot_settings(db, ws, settings);
      return 0;
    });
  }

  void record_bot_question(const BotQuestion& q) override {
    write([&](Connection& db) {
      kb_queries::record_question(db, q, clock_());
      return 0;
    });
  }

  std::vector<UnansweredQuestion> unanswered_questions(Id ws, Millis since, int limit) override {
    return read([&](Connection& db) { return kb_queries::unanswered(db, ws, since, limit); });
  }

  void dismiss_unanswered(Id ws, const std::string& text) override {
    write([&](Connection& db) {
      kb_queries::dismiss(db, ws, text);
      return 0;
    });
  }

  std::vector<BotQuestion> bot_questions(Id ws, Id conversation) override {
    return read([&](Connection& db) { return kb_queries::questions(db, ws, conversation); });
  }

  Id record_deflection(Id ws, const std::string& source, const std::string& query,
                       const std::vector<Id>& articles) override {
    return write([&](Connection& db) {
      return kb_queries::record_deflection(db, ws, source, query, articles, clock_());
    });
  }

  void set_deflection_outcome(Id ws, Id id, const std::string& outcome) override {
    write([&](Connection& db) {
      kb_queries::set_deflection_outcome(db, ws, id, outcome);
      return 0;
    });
  }

  DeflectionStats deflection_stats(Id ws, Millis since) override {
    return read([&](Connection& db) { return kb_queries::deflection_stats(db, ws, since); });
  }

  Agent create_agent(const Agent& a) override {
    return write([&](Connection& db) { return insert_agent(db, a); });
  }

  WorkspaceSetup create_workspace(const std::string& name, const Agent& admin,
                                  const Inbox& inbox) override {
    return write([&](Connection& db) {
      Statement q(db, "INSERT INTO workspace (name, created_at, slug) VALUES (?, ?, ?)");
      q.bind(1, name).bind(2, clock_()).bind(3, kb_queries::unique_slug(db, name)).run();
      Id ws = db.last_insert_id();
      Agent a = admin;
      a.workspace_id = ws;
      Statement first(db, "SELECT count(*) FROM workspace");
      if (first.step() && first.int64(0) == 1) a.super_admin = true;
      Inbox i = inbox;
      i.workspace_id = ws;
      return WorkspaceSetup{ws, insert_agent(db, a), insert_inbox(db, i)};
    });
  }

  Agent insert_agent(Connection& db, const Agent& a) {
    {
      Statement taken(db, "SELECT 1 FROM agent WHERE workspace_id = ? AND email = ?");
      if (taken.bind(1, a.workspace_id).bind(2, a.email).step())
        throw StoreError(StoreError::Code::kConflict, "e-mail already in use");
      Statement q(db,
                  "INSERT INTO agent (workspace_id, name, email, password_hash, role, status, "
                  "avatar_color, created_at, scope, super_admin) "
                  "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
      q.bind(1, a.workspace_id)
          .bind(2, a.name)
          .bind(3, a.email)
          .bind(4, a.password_hash)
          .bind(5, a.role)
          .bind(6, to_string(a.status))
          .bind(7, a.avatar_color.empty() ? "#6366f1" : a.avatar_color)
          .bind(8, clock_())
          .bind(9, json::serialize(a.scope.to_json()))
          .bind(10, a.super_admin ? 1 : 0)
          .run();
    }
    return *load_agent(db, a.workspace_id, db.last_insert_id());
  }

  Agent update_agent(const Agent& a) override {
    return write([&](Connection& db) {
      Statement q(db,
                  "UPDATE agent SET name = ?, role = ?, password_hash = ?, deactivated_at = ?, "
                  "scope = ? WHERE workspace_id = ? AND id = ?");
      q.bind(1, a.name)
          .bind(2, a.role)
          .bind(3, a.password_hash)
          .bind(4, a.deactivated_at)
          .bind(5, json::serialize(a.scope.to_json()))
          .bind(6, a.workspace_id)
          .bind(7, a.id)
          .run();
      if (db.changes() == 0) throw StoreError(StoreError::Code::kNotFound, "agent not found");
      return *load_agent(db, a.workspace_id, a.id);
    });
  }

  std::vector<Agent> find_agents_by_email(const std::string& email) override {
    return read([&](Connection& db) {
      Statement q(
          db, sql("SELECT ", kAgentColumns, " FROM agent WHERE email = ? ORDER BY id LIMIT 20"));
      q.bind(1, email);
      std::vector<Agent> out;
      while (q.step()) out.push_back(read_agent(q));
      return out;
    });
  }

  std::optional<Agent> get_agent(Id ws, Id id) override {
    return read([&](Connection& db) { return load_agent(db, ws, id); });
  }

  std::vector<Agent> list_agents(Id ws) override {
    return read([&](Connection& db) {
      Statement q(
          db, sql("SELECT ", kAgentColumns, " FROM agent WHERE workspace_id = ? ORDER BY name"));
      q.bind(1, ws);
      std::vector<Agent> out;
      while (q.step()) out.push_back(read_agent(q));
      return out;
    });
  }

  Agent set_agent_status(Id ws, Id agent, AgentStatus status, std::optional<Id> custom) override {
    return write([&](Connection& db) {
      Statement q(db,
                  "UPDATE agent SET status_since = CASE WHEN status = ?1 AND "
                  "custom_status_id IS ?2 THEN status_since ELSE ?3 END, status = ?1, "
                  "custom_status_id = ?2 WHERE workspace_id = ?4 AND id = ?5");
      q.bind(1, to_string(status)).bind(2, custom).bind(3, clock_()).bind(4, ws).bind(5, agent);
      q.run();
      if (db.changes() == 0) throw StoreError(StoreError::Code::kNotFound, "agent not found");
      return *load_agent(db, ws, agent);
    });
  }

  void touch_agents(Id ws, const std::vector<Id>& agents) override {
    if (agents.empty()) return;
    write([&](Connection& db) {
      for (Id a : agents) {
        Statement q(db, "UPDATE agent SET last_seen = ? WHERE workspace_id = ? AND id = ?");
        q.bind(1, clock_()).bind(2, ws).bind(3, a).run();
      }
      return 0;
    });
  }

  Agent set_agent_routing(Id ws, Id agent, const AgentRouting& routing) override {
    return write([&](Connection& db) {
      Statement q(db, "UPDATE agent SET routing = ? WHERE workspace_id = ? AND id = ?");
      q.bind(1, json::serialize(routing.to_json())).bind(2, ws).bind(3, agent).run();
      if (db.changes() == 0) throw StoreError(StoreError::Code::kNotFound, "agent not found");
      return *load_agent(db, ws, agent);
    });
  }

  WorkspaceRouting workspace_routing(Id ws) override {
    return read([&](Connection& db) { return routing_queries::workspace_routing(db, ws); });
  }

  void set_workspace_routing(Id ws, const WorkspaceRouting& settings) override {
    write([&](Connection& db) {
      routing_queries::set_workspace_routing(db, ws, settings);
      return 0;
    });
  }

  Conversation claim(Id ws, Id id, Id agent, std::optional<Id> expected, const Author& by,
                     const std::string& note, const Notice& notice) override {
    return write([&](Connection& db) {
      auto conv = must_load_conversation(db, ws, id);
      auto who = load_agent(db, ws, agent);
      if (!who) throw StoreError(StoreError::Code::kNotFound, "agent not found");
      routing_queries::check_claim(db, conv, *who, expected);
      update_assignment(db, conv, agent, conv.priority, conv.team_id, conv.queued_at);
      return finish_assignment(
          db, ws, id,
          notice.text.empty()
              ? Notice{who->name + " joined the conversation", "joined", {{"agent", who->name}}}
              : notice,
          note, by);
    });
  }

  Conversation requeue(Id ws, Id id, std::optional<Id> expected, int priority,
                       std::optional<Id> team, const Notice& notice) override {
    return write([&](Connection& db) {
      auto conv = must_load_conversation(db, ws, id);
      if (conv.assignee_id != expected)
        throw StoreError(StoreError::Code::kConflict, "conversation changed meanwhile");
      if (conv.status != ConversationStatus::kOpen)
        throw StoreError(StoreError::Code::kConflict, "conversation is closed");
      update_assignment(db, conv, std::nullopt, priority, team, conv.queued_at);
      auto event = insert_event(db, system_event(ws, id, notice), clock_());
      auto updated = must_load_conversation(db, ws, id);
      record({updated, event, false});
      return updated;
    });
  }

  std::vector<std::pair<Id, Capacity>> agent_loads(Id ws) override {
    return read([&](Connection& db) { return routing_queries::agent_loads(db, ws); });
  }

  std::vector<Conversation> open_for_routing(Id ws) override {
    return read([&](Connection& db) { return routing_queries::open_for_routing(db, ws); });
  }

  int count_online_agents(Id ws) override {
    return read([&](Connection& db) {
      Statement q(db, "SELECT COUNT(*) FROM agent WHERE workspace_id = ? AND status = 'online'");
      q.bind(1, ws);
      q.step();
      return static_cast<int>(q.int64(0));
    });
  }

  void create_session(const std::string& token_hash, const AgentSession& s) override {
    write([&](Connection& db) {
      Statement del(db, "DELETE FROM agent_session WHERE expires_at < ?");
      del.bind(1, clock_()).run();
      Statement q(db,
                  "INSERT INTO agent_session (token_hash, agent_id, workspace_id, csrf_token, "
                  "expires_at, created_at, ip, user_agent, restricted) "
                  "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
      q.bind(1, token_hash)
          .bind(2, s.agent_id)
          .bind(3, s.workspace_id)
          .bind(4, s.csrf_token)
          .bind(5, s.expires_at)
          .bind(6, s.created_at)
          .bind(7, s.ip)
          .bind(8, s.user_agent)
          .bind(9, s.restricted ? 1 : 0)
          .run();
      return 0;
    });
  }

  std::optional<AgentSession> find_session(const std::string& token_hash, Millis now) override {
    return read([&](Connection& db) -> std::optional<AgentSession> {
      Statement q(db,
                  "SELECT agent_id, workspace_id, csrf_token, expires_at, restricted FROM "
                  "agent_session WHERE token_hash = ? AND expires_at > ?");
      q.bind(1, token_hash).bind(2, now);
      if (!q.step()) return std::nullopt;
      AgentSession s{q.int64(0), q.int64(1), q.text(2), q.int64(3)};
      s.restricted = q.int64(4) != 0;
      return s;
    });
  }

  void set_two_factor(Id ws, Id agent, const TwoFactor& tf) override {
    write([&](Connection& db) {
      Statement q(db,
                  "UPDATE agent SET totp_secret = ?, totp_pending = ?, totp_enabled_at = ?, "
                  "totp_last_step = ?, recovery_codes = ? WHERE workspace_id = ? AND id = ?");
      q.bind(1, tf.secret_hex)
          .bind(2, tf.pending_hex)
          .bind(3, tf.enabled_at)
          .bind(4, tf.last_step)
          .bind(5, serialize_strings(tf.recovery_hashes))
          .bind(6, ws)
          .bind(7, agent)
          .run();
      if (db.changes() == 0) throw StoreError(StoreError::Code::kNotFound, "agent not found");
      return 0;
    });
  }

  bool use_totp_step(Id ws, Id agent, std::int64_t step) override {
    return write([&](Connection& db) {
      Statement q(db,
                  "UPDATE agent SET totp_last_step = ?1 WHERE workspace_id = ?2 AND id = ?3 "
                  "AND totp_last_step < ?1");
      q.bind(1, step).bind(2, ws).bind(3, agent).run();
      return db.changes() == 1;
    });
  }

  bool use_recovery_code(Id ws, Id agent, const std::string& hash) override {
    return write([&](Connection& db) {
      Statement q(
          db,
          "UPDATE agent SET recovery_codes = (SELECT json_group_array(value) FROM "
          "json_each(recovery_codes) WHERE value != ?1) WHERE workspace_id = ?2 AND id = ?3 "
          "AND EXISTS (SELECT 1 FROM json_each(recovery_codes) WHERE value = ?1)");
      q.bind(1, hash).bind(2, ws).bind(3, agent).run();
      return db.changes() == 1;
    });
  }

  void set_require_2fa(Id ws, bool required) override {
    write([&](Connection& db) {
      Statement q(db, "UPDATE workspace SET require_2fa = ? WHERE id = ?");
      q.bind(1, required ? 1 : 0).bind(2, ws).run();
      if (required) {
        Statement r(
            db,
            "UPDATE agent_session SET restricted = 1 WHERE workspace_id = ?1 AND agent_id "
            "IN (SELECT id FROM agent WHERE workspace_id = ?1 AND totp_enabled_at IS NULL)");
        r.bind(1, ws).run();
      }
      return 0;
    });
  }

  void unrestrict_session(const std::string& token_hash) override {
    write([&](Connection& db) {
      Statement q(db, "UPDATE agent_session SET restricted = 0 WHERE token_hash = ?");
      q.bind(1, token_hash).run();
      return 0;
    });
  }

  void delete_session(const std::string& token_hash) override {
    write([&](Connection& db) {
      Statement q(db, "DELETE FROM agent_session WHERE token_hash = ?");
      q.bind(1, token_hash).run();
      return 0;
    });
  }

  std::vector<AgentSession> list_sessions(Id ws, Id agent, Millis now) override {
    return read([&](Connection& db) {
      Statement q(db,
                  "SELECT agent_id, workspace_id, csrf_token, expires_at, created_at, ip, "
                  "user_agent, token_hash FROM agent_session WHERE workspace_id = ? AND "
                  "agent_id = ? AND expires_at > ? ORDER BY created_at DESC");
      q.bind(1, ws).bind(2, agent).bind(3, now);
      std::vector<AgentSession> out;
      while (q.step())
        out.push_back({q.int64(0), q.int64(1), q.text(2), q.int64(3), q.int64(4), q.text(5),
                       q.text(6), q.text(7)});
      return out;
    });
  }

  int delete_agent_sessions(Id ws, Id agent, const std::string& keep) override {
    return write([&](Connection& db) {
      Statement q(db,
                  "DELETE FROM agent_session WHERE workspace_id = ? AND agent_id = ? AND "
                  "token_hash != ?");
      q.bind(1, ws).bind(2, agent).bind(3, keep).run();
      return db.changes();
    });
  }

  void record_login_lockout(Id agent, int failures, Millis at, const std::string& ip) override {
    write([&](Connection& db) {
      Statement q(db,
                  "INSERT INTO login_notice VALUES (?1, ?2, ?3, ?3, ?4) ON CONFLICT(agent_id) DO "
                  "UPDATE SET failures = failures + ?2, last_at = ?3, last_ip = ?4");
      q.bind(1, agent).bind(2, static_cast<std::int64_t>(failures)).bind(3, at).bind(4, ip).run();
      return 0;
    });
  }

  std::optional<LoginNotice> take_login_notice(Id agent) override {
    return write([&](Connection& db) -> std::optional<LoginNotice> {
      Statement q(db,
                  "DELETE FROM login_notice WHERE agent_id = ? "
                  "RETURNING failures, first_at, last_at, last_ip");
      q.bind(1, agent);
      if (!q.step()) return std::nullopt;
      return LoginNotice{static_cast<int>(q.int64(0)), q.int64(1), q.int64(2), q.text(3)};
    });
  }

  ApiToken create_api_token(const ApiToken& t, const std::string& hash) override {
    return write([&](Connection& db) { return token_queries::create(db, t, hash, clock_()); });
  }

  std::optional<ApiToken> find_api_token(const std::string& hash, Millis now) override {
    return read([&](Connection& db) { return token_queries::find(db, hash, now); });
  }

  std::vector<ApiToken> list_api_tokens(Id ws, std::optional<Id> agent) override {
    return read([&](Connection& db) { return token_queries::list(db, ws, agent); });
  }

  bool delete_api_token(Id ws, Id id, std::optional<Id> agent) override {
    return write([&](Connection& db) { return token_queries::remove(db, ws, id, agent); });
  }

  void touch_api_token(Id id, Millis at, const std::string& ip) override {
    write([&](Connection& db) {
      token_queries::touch(db, id, at, ip);
      return 0;
    });
  }

  void append_audit(const AuditEntry& e) override {
    write([&](Connection& db) {
      audit_queries::append(db, e, clock_());
      return 0;
    });
  }

  std::vector<AuditEntry> search_audit(Id ws, const AuditQuery& q) override {
    return read([&](Connection& db) { return audit_queries::search(db, ws, q); });
  }

  Inbox create_inbox(const Inbox& i) override {
    return write([&](Connection& db) { return insert_inbox(db, i); });
  }

  Inbox insert_inbox(Connection& db, const Inbox& i) {
    Statement q(db,
                "INSERT INTO inbox (workspace_id, name, public_key, timezone, business_hours, "
                "widget, prechat_fields, topics, routing, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    bind_inbox(q, i).bind(10, clock_()).run();
    return *load_inbox(db, "WHERE id = ?", [&](Statement& s) { s.bind(1, db.last_insert_id()); });
  }

  Inbox update_inbox(const Inbox& i) override {
    return write([&](Connection& db) {
      Statement q(db,
                  "UPDATE inbox SET workspace_id = ?, name = ?, public_key = ?, timezone = ?, "
                  "business_hours = ?, "
                  "widget = ?, prechat_fields = ?, topics = ?, routing = ? "
                  "WHERE workspace_id = ?1 AND id = ?10");
      bind_inbox(q, i).bind(10, i.id).run();
      if (db.changes() == 0) throw StoreError(StoreError::Code::kNotFound, "inbox not found");
      return *load_inbox(db, "WHERE id = ?", [&](Statement& s) { s.bind(1, i.id); });
    });
  }

  std::optional<Inbox> get_inbox(Id ws, Id id) override {
    return read([&](Connection& db) {
      return load_inbox(db, "WHERE workspace_id = ? AND id = ?",
                        [&](Statement& s) { s.bind(1, ws).bind(2, id); });
    });
  }

  std::optional<Inbox> find_inbox_by_key(const std::string& key) override {
    return read([&](Connection& db) {
      return load_inbox(db, "WHERE public_key = ?", [&](Statement& s) { s.bind(1, key); });
    });
  }

  std::vector<Inbox> list_inboxes(Id ws) override {
    return read([&](Connection& db) {
      Statement q(db,
                  sql("SELECT ", kInboxColumns, " FROM inbox WHERE workspace_id = ? ORDER BY id"));
      q.bind(1, ws);
      std::vector<Inbox> out;
      while (q.step()) out.push_back(read_inbox(q));
      return out;
    });
  }

  std::pair<Conversation, bool> create_conversation(const NewConversation& c) override {
    return write([&](Connection& db) -> std::pair<Conversation, bool> {
      Statement existing(db,
                         "SELECT id FROM conversation WHERE workspace_id = ? AND visitor_id = ? "
                         "AND client_id = ?");
      existing.bind(1, c.workspace_id).bind(2, c.visitor_id).bind(3, c.client_id);
      if (existing.step())
        return {must_load_conversation(db, c.workspace_id, existing.int64(0)), false};

      Millis now = clock_();
      Id contact = resolve_contact(db, c.workspace_id, c, now);
      Statement ins(db,
                    "INSERT INTO conversation (workspace_id, inbox_id, contact_id, visitor_id, "
                    "client_id, kind, status, "
                    "subject, language, meta, created_at, updated_at, queued_at) VALUES (?, ?, ?, "
                    "?, ?, ?, 'open', ?, ?, ?, ?, ?, ?11)");
      ins.bind(1, c.workspace_id)
          .bind(2, c.inbox_id)
          .bind(3, contact)
          .bind(4, c.visitor_id)
          .bind(5, c.client_id)
          .bind(6, to_string(c.kind))
          .bind(7, c.subject)
          .bind(8, c.language)
          .bind(9, json::serialize(c.meta))
          .bind(10, now)
          .bind(11, now)
          .run();
      Id id = db.last_insert_id();
      std::optional<Event> first;
      if (!c.first_message.empty()) {
        NewEvent e{c.workspace_id,  id,          "message", {AuthorType::kVisitor, contact, c.name},
                   c.first_message, c.client_id, {}};
        first = insert_event(db, e, now);
      }
      auto conv = must_load_conversation(db, c.workspace_id, id);
      record({conv, first, false, true});
      return {conv, true};
    });
  }

  std::optional<Conversation> get_conversation(Id ws, Id id) override {
    return read([&](Connection& db) { return load_conversation(db, ws, id); });
  }

  std::vector<Conversation> list_conversations(Id ws, const ConversationFilter& f) override {
    return read([&](Connection& db) {
      std::string where = "WHERE c.workspace_id = ?1 AND c.status = ?2 ";
      if (f.view == ConversationFilter::View::kUnassigned) where += "AND c.assignee_id IS NULL ";
      if (f.view == ConversationFilter::View::kMine) where += "AND c.assignee_id = ?3 ";
      // AgentScope::covers, in SQL
      if (!f.scope.unrestricted())
        where +=
            "AND (c.assignee_id IS ?3 OR ((?5 = '[]' OR c.inbox_id IN (SELECT value FROM "
            "json_each(?5))) AND (?6 = '[]' OR c.team_id IS NULL OR c.team_id IN (SELECT value "
            "FROM json_each(?6))))) ";
      where += "ORDER BY c.updated_at DESC, c.id DESC LIMIT ?4";
      return load_conversations(db, where, [&](Statement& q) {
        q.bind(1, ws).bind(2, to_string(f.status)).bind(3, f.agent_id).bind(4, f.limit);
        if (!f.scope.unrestricted())
          q.bind(5, json::serialize(json::value_from(f.scope.inboxes)))
              .bind(6, json::serialize(json::value_from(f.scope.teams)));
      });
    });
  }

  std::vector<Conversation> list_visitor_conversations(Id ws, const std::string& visitor) override {
    return read([&](Connection& db) {
      return load_conversations(
          db, "WHERE c.workspace_id = ? AND c.visitor_id = ? ORDER BY c.id DESC LIMIT 50",
          [&](Statement& q) { q.bind(1, ws).bind(2, visitor); });
    });
  }

  std::vector<Conversation> contact_history(Id ws, Id contact, Id except) override {
    return read([&](Connection& db) {
      return load_conversations(
          db,
          "WHERE c.workspace_id = ? AND c.contact_id = ? AND c.id != ? ORDER BY c.id DESC LIMIT 50",
          [&](Statement& q) { q.bind(1, ws).bind(2, contact).bind(3, except); });
    });
  }

  AppendResult append_event(const NewEvent& e) override {
    return write([&](Connection& db) { return append_in(db, e); });
  }

  void append_event_async(NewEvent e, AppendDone done) override {
    writer_.run_async<AppendResult>(
        [this, e = std::move(e)](Connection& db) { return append_in(db, e); }, std::move(done));
  }

  // On the writer thread, inside its transaction.
  AppendResult append_in(Connection& db, const NewEvent& e) {
    auto conv = must_load_conversation(db, e.workspace_id, e.conversation_id);
    if (!e.only_visitor.empty() && conv.visitor_id != e.only_visitor)
      throw StoreError(StoreError::Code::kNotFound,
                       "conversation " + std::to_string(e.conversation_id) + " not found");
    if (!e.client_id.empty())
      if (auto seen = load_event_by_client_id(db, e.conversation_id, e.client_id))
        return {*seen, true, conv};
    NewEvent by = e;
    if (!e.only_visitor.empty())
      by.author = {AuthorType::kVisitor, conv.contact.id, conv.contact.name};
    Millis now = clock_();
    auto event = insert_event(db, by, now);
    if (by.author.type == AuthorType::kVisitor && conv.status == ConversationStatus::kClosed)
      reopen(db, conv, now);
    // What insert_event changed, applied in memory rather than read back.
    conv.last_seq = event.seq;
    conv.updated_at = now;
    if (event.kind == "message") conv.last_message = event;
    record({conv, event, false});
    return {event, false, std::move(conv)};
  }

  std::vector<Event> events_after(Id ws, Id conversation, std::int64_t after, bool notes,
                                  int limit) override {
    return read(
        [&](Connection& db) { return load_events(db, ws, conversation, after, notes, limit); });
  }

  Conversation set_status(Id ws, Id id, ConversationStatus status, const Author& by) override {
    return write([&](Connection& db) {
      auto conv = must_load_conversation(db, ws, id);
      if (conv.status == status) return conv;
      if (status == ConversationStatus::kOpen) {
        reopen(db, conv, clock_());
      } else {
        Statement q(db,
                    "UPDATE conversation SET status = 'closed', version = version + 1, "
                    "updated_at = ? WHERE id = ?");
        q.bind(1, clock_()).bind(2, id).run();
      }
      bool closed = status == ConversationStatus::kClosed;
      Notice n{closed ? "Conversation closed" : "Conversation reopened",
               closed ? "closed" : "reopened",
               {}};
      if (!by.name.empty()) {
        n.text += " by " + by.name;
        n.args["by"] = by.name;
      }
      auto event = insert_event(db, system_event(ws, id, n), clock_());
      auto updated = must_load_conversation(db, ws, id);
      record({updated, event, false});
      return updated;
    });
  }

  Conversation update_receipts(Id ws, Id id, AuthorType who, std::int64_t delivered,
                               std::int64_t read) override {
    return write([&](Connection& db) {
      auto conv = must_load_conversation(db, ws, id);
      bool visitor = who == AuthorType::kVisitor;
      auto& r = conv.receipts;
      auto& d = visitor ? r.visitor_delivered : r.agent_delivered;
      auto& rd = visitor ? r.visitor_read : r.agent_read;
      auto new_read = std::max(rd, std::min(read, conv.last_seq));
      auto new_delivered = std::max({d, new_read, std::min(delivered, conv.last_seq)});
      if (new_read == rd && new_delivered == d) return conv;  // nothing moved: no write
      std::string prefix = visitor ? "visitor" : "agent";
      Statement q(db, "UPDATE conversation SET " + prefix + "_delivered_seq = ?, " + prefix +
                          "_read_seq = ? WHERE id = ?");
      q.bind(1, new_delivered).bind(2, new_read).bind(3, id).run();
      d = new_delivered;
      rd = new_read;
      record({conv, std::nullopt, true});
      return conv;
    });
  }

  void save_attachment(const Attachment& a) override {
    write([&](Connection& db) {
      Statement q(db,
                  "INSERT INTO attachment (id, workspace_id, name, content_type, size, created_at, "
                  "uploader) VALUES (?, ?, ?, ?, ?, ?, ?)");
      q.bind(1, a.id)
          .bind(2, a.workspace_id)
          .bind(3, a.name)
          .bind(4, a.content_type)
          .bind(5, a.size)
          .bind(6, clock_())
          .bind(7, a.uploader)
          .run();
      return 0;
    });
  }

  bool bind_attachment(Id ws, const std::string& id, Id conversation) override {
    return write([&](Connection& db) {
      Statement q(db,
                  "UPDATE attachment SET conversation_id = ?3 WHERE workspace_id = ?1 AND id = ?2 "
                  "AND (conversation_id IS NULL OR conversation_id = ?3)");
      q.bind(1, ws).bind(2, id).bind(3, conversation).run();
      return db.changes() == 1;
    });
  }

  std::vector<Attachment> delete_orphan_attachments(Millis before) override {
    return write([&](Connection& db) {
      Statement q(db, sql("DELETE FROM attachment WHERE conversation_id IS NULL AND created_at < ? "
                          "RETURNING ",
                          kAttachmentColumns));
      q.bind(1, before);
      std::vector<Attachment> out;
      while (q.step()) out.push_back(read_attachment(q));
      return out;
    });
  }

  std::optional<ContactData> contact_data(Id ws, Id id) override {
    return read([&](Connection& db) -> std::optional<ContactData> {
      auto data = gdpr_queries::contact(db, ws, id);
      if (!data) return std::nullopt;
      for (Id c : gdpr_queries::conversation_ids(db, ws, id)) {
        data->conversations.push_back({must_load_conversation(db, ws, c),
                                       load_events(db, ws, c, 0, true, -1),  // -1: no limit
                                       kb_queries::questions(db, ws, c),
                                       gdpr_queries::conversation_erased_at(db, ws, c)});
        auto files = gdpr_queries::attachments(db, ws, c);
        data->attachments.insert(data->attachments.end(), files.begin(), files.end());
      }
      return data;
    });
  }

  std::optional<EraseResult> erase_contact(Id ws, Id id) override {
    return write([&](Connection& db) -> std::optional<EraseResult> {
      auto data = gdpr_queries::contact(db, ws, id);
      if (!data) return std::nullopt;
      auto ids = gdpr_queries::conversation_ids(db, ws, id);
      auto result = gdpr_queries::erase(db, ws, data->contact, ids, clock_());
      // Consoles showing these conversations get them as they are now.
      for (Id c : ids) record({must_load_conversation(db, ws, c), std::nullopt, false});
      return result;
    });
  }

  std::optional<int> retention_days(Id ws) override {
    return read([&](Connection& db) { return gdpr_queries::retention_days(db, ws); });
  }

  void set_retention_days(Id ws, std::optional<int> days) override {
    write([&](Connection& db) {
      gdpr_queries::set_retention_days(db, ws, days);
      return 0;
    });
  }

  PurgeResult purge_expired_conversations(Millis now, int limit) override {
    return write([&](Connection& db) { return gdpr_queries::purge(db, now, limit); });
  }

  std::optional<Attachment> get_attachment(Id ws, const std::string& id) override {
    return read([&](Connection& db) -> std::optional<Attachment> {
      Statement q(db, sql("SELECT ", kAttachmentColumns,
                          " FROM attachment WHERE workspace_id = ? AND id = ?"));
      q.bind(1, ws).bind(2, id);
      if (!q.step()) return std::nullopt;
      return read_attachment(q);
    });
  }

 private:
  // The agent keeps a reopened conversation only while they have a free slot
  // for it; otherwise it waits in the queue again (capacity is never exceeded).
  void reopen(Connection& db, Conversation& conv, Millis now) {
    std::optional<Id> keep;
    if (conv.assignee_id)
      if (auto a = load_agent(db, conv.workspace_id, *conv.assignee_id))
        if (routing_queries::load_on(db, conv.workspace_id, a->id, conv.kind) <
            a->routing.capacity[channel_index(conv.kind)])
          keep = a->id;
    Statement q(db,
                "UPDATE conversation SET status = 'open', assignee_id = ?, queued_at = ?, "
                "version = version + 1 WHERE id = ?");
    q.bind(1, keep).bind(2, now).bind(3, conv.id).run();
    conv.status = ConversationStatus::kOpen;
    conv.assignee_id = keep;
    if (!keep) conv.assignee_name.clear();
    conv.queued_at = now;
    ++conv.version;
  }

  void update_assignment(Connection& db, const Conversation& conv, std::optional<Id> agent,
                         int priority, std::optional<Id> team, Millis queued_at) {
    Statement q(
        db,
        "UPDATE conversation SET assignee_id = ?, priority = ?, team_id = ?, queued_at = ?, "
        "version = version + 1, updated_at = ? WHERE id = ? AND version = ?");
    q.bind(1, agent).bind(2, priority).bind(3, team).bind(4, queued_at).bind(5, clock_());
    q.bind(6, conv.id).bind(7, conv.version).run();
    if (db.changes() == 0)
      throw StoreError(StoreError::Code::kConflict, "conversation changed meanwhile");
  }

  // The note (agents only, e.g. why it was transferred) comes before the
  // notice, so the receiving agent reads it first.
  static NewEvent system_event(Id ws, Id id, const Notice& n) {
    NewEvent e{ws, id, "system", {AuthorType::kSystem, 0, ""}, n.text, "", {}};
    e.notice = n.json();
    return e;
  }

  Conversation finish_assignment(Connection& db, Id ws, Id id, const Notice& notice,
                                 const std::string& note, const Author& by) {
    if (!note.empty()) {
      auto n = insert_event(db, {ws, id, "note", by, note, "", {}}, clock_());
      record({must_load_conversation(db, ws, id), n, false});
    }
    auto event = insert_event(db, system_event(ws, id, notice), clock_());
    auto updated = must_load_conversation(db, ws, id);
    record({updated, event, false});
    return updated;
  }

  void delete_kb_row(std::string_view table, Id ws, Id id) {
    write([&](Connection& db) {
      kb_queries::delete_row(db, table, ws, id);
      kb_queries::bump_revision(db, ws);
      return 0;
    });
  }

  template <class Fn>
  auto write(Fn fn) -> decltype(fn(std::declval<Connection&>())) {
    return writer_.run(fn);
  }

  template <class Fn>
  auto read(Fn fn) -> decltype(fn(std::declval<Connection&>())) {
    std::unique_ptr<Connection> c;
    {
      std::unique_lock lock(readers_mu_);
      readers_cv_.wait(lock, [&] { return !readers_.empty(); });
      c = std::move(readers_.back());
      readers_.pop_back();
    }
    struct Return {
      SqliteStore* self;
      std::unique_ptr<Connection>& c;
      ~Return() {
        std::lock_guard lock(self->readers_mu_);
        self->readers_.push_back(std::move(c));
        self->readers_cv_.notify_one();
      }
    } give_back{this, c};
    return fn(*c);
  }

  // Called on the writer thread only, as the last step of a write job.
  void record(Change change) { batch_changes_.push_back(std::move(change)); }

  void flush_changes(bool committed) {
    auto changes = std::make_shared<std::vector<Change>>();
    changes->swap(batch_changes_);
    if (!committed || changes->empty()) return;
    std::lock_guard lock(changes_mu_);
    if (listener_) listener_(changes);
  }

  Event insert_event(Connection& db, const NewEvent& e, Millis now) {
    Statement seq(
        db,
        "UPDATE conversation SET last_seq = last_seq + 1, updated_at = ?, "
        "last_message_seq = CASE WHEN ? = 'message' THEN last_seq + 1 ELSE last_message_seq END "
        "WHERE workspace_id = ? AND id = ? RETURNING last_seq");
    seq.bind(1, now).bind(2, e.kind).bind(3, e.workspace_id).bind(4, e.conversation_id);
    if (!seq.step()) throw StoreError(StoreError::Code::kNotFound, "conversation not found");
    std::int64_t next = seq.int64(0);
    seq.run();
    Statement ins(
        db,
        "INSERT INTO event (workspace_id, conversation_id, seq, kind, author_type, author_id, "
        "author_name, "
        "body, attachments, client_id, created_at, notice) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
        "?, "
        "?)");
    ins.bind(1, e.workspace_id)
        .bind(2, e.conversation_id)
        .bind(3, next)
        .bind(4, e.kind)
        .bind(5, to_string(e.author.type))
        .bind(6, e.author.id)
        .bind(7, e.author.name)
        .bind(8, e.body)
        .bind(9, json::serialize(e.attachments));
    if (e.client_id.empty())
      ins.bind_null(10);
    else
      ins.bind(10, e.client_id);
    ins.bind(11, now);
    if (e.notice.empty())
      ins.bind_null(12);
    else
      ins.bind(12, json::serialize(e.notice));
    ins.run();
    return Event{db.last_insert_id(),
                 e.workspace_id,
                 e.conversation_id,
                 next,
                 e.kind,
                 e.author,
                 e.body,
                 e.client_id,
                 e.attachments,
                 now,
                 e.notice};
  }

  static std::vector<Event> load_events(Connection& db, Id ws, Id conversation, std::int64_t after,
                                        bool notes, int limit) {
    Statement q(
        db, sql("SELECT ", kEventColumns,
                " FROM event e WHERE e.workspace_id = ? AND e.conversation_id = ? AND e.seq > ? "
                "AND (? OR e.kind != 'note') ORDER BY e.seq LIMIT ?"));
    q.bind(1, ws).bind(2, conversation).bind(3, after).bind(4, notes ? 1 : 0).bind(5, limit);
    std::vector<Event> out;
    while (q.step()) out.push_back(read_event(q));
    return out;
  }

  static std::optional<Agent> load_agent(Connection& db, Id ws, Id id) {
    Statement q(db, sql("SELECT ", kAgentColumns, " FROM agent WHERE workspace_id = ? AND id = ?"));
    q.bind(1, ws).bind(2, id);
    if (!q.step()) return std::nullopt;
    return read_agent(q);
  }

  static Statement& bind_inbox(Statement& q, const Inbox& i) {
    return q.bind(1, i.workspace_id)
        .bind(2, i.name)
        .bind(3, i.public_key)
        .bind(4, i.timezone)
        .bind(5, json::serialize(i.hours.to_json()))
        .bind(6, json::serialize(i.widget))
        .bind(7, json::serialize(i.prechat_fields))
        .bind(8, json::serialize(i.topics))
        .bind(9, json::serialize(i.routing.to_json()));
  }

  static std::optional<Inbox> load_inbox(Connection& db, const std::string& where,
                                         const std::function<void(Statement&)>& bind) {
    Statement q(db, sql("SELECT ", kInboxColumns, " FROM inbox ", where));
    bind(q);
    if (!q.step()) return std::nullopt;
    return read_inbox(q);
  }

  ClockFn clock_;
  std::string path_;
  std::vector<Change> batch_changes_;  // writer thread only
  std::mutex changes_mu_;
  ChangeListener listener_;
  std::mutex readers_mu_;
  std::condition_variable readers_cv_;
  std::vector<std::unique_ptr<Connection>> readers_;
  WriteQueue writer_;  // its thread starts after everything above exists
  Checkpointer checkpointer_{path_};
};

}  // namespace
}  // namespace sqlite

std::unique_ptr<Store> open_sqlite_store(const SqliteOptions& options) {
  {
    sqlite::Connection db(options.path);
    sqlite::migrate(db);
  }
  return std::make_unique<sqlite::SqliteStore>(options);
}

}  // namespace sb
