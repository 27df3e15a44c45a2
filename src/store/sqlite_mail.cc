// MailStore: e-mail tickets — Message-IDs, participants, mail contents, the outbox.
#include "store/sqlite_store.h"

namespace sb::sqlite {

namespace json = boost::json;

namespace {

std::string_view to_string(MailDirection d) {
  return d == MailDirection::kIn ? "in" : "out";
}

std::string_view to_string(OutboxStatus s) {
  return s == OutboxStatus::kQueued ? "queued" : s == OutboxStatus::kSent ? "sent" : "failed";
}

OutboxStatus parse_outbox_status(std::string_view s) {
  return s == "sent"     ? OutboxStatus::kSent
         : s == "failed" ? OutboxStatus::kFailed
                         : OutboxStatus::kQueued;
}

json::array addresses_json(const std::vector<MailAddress>& list) {
  json::array out;
  for (const auto& a : list) out.push_back(json::object{{"name", a.name}, {"address", a.address}});
  return out;
}

std::vector<MailAddress> addresses_of(const json::value& v) {
  std::vector<MailAddress> out;
  if (!v.is_array()) return out;
  for (const auto& a : v.as_array())
    if (a.is_object())
      out.push_back({json_string(a.as_object(), "name").value_or(""),
                     json_string(a.as_object(), "address").value_or("")});
  return out;
}

MailId read_mail_id(const sql::Statement& q) {
  constexpr const auto& c = kMailMessageColumns;
  MailId m;
  m.message_id = q.text(c["message_id"]);
  m.conversation_id = q.int64(c["conversation_id"]);
  if (!q.is_null(c["event_id"])) m.event_id = q.int64(c["event_id"]);
  m.direction = q.text(c["direction"]) == "out" ? MailDirection::kOut : MailDirection::kIn;
  m.created_at = q.int64(c["created_at"]);
  return m;
}

MailContent read_mail_content(const sql::Statement& q) {
  constexpr const auto& c = kMailMessageColumns;
  MailContent m;
  m.subject = q.text(c["subject"]);
  auto sender = addresses_of(parse_or("[" + q.text(c["sender"]) + "]", json::array{}));
  if (!sender.empty()) m.from = sender.front();
  auto rcpt = parse_or(q.text(c["recipients"]), json::object{});
  if (rcpt.is_object()) {
    if (auto* to = rcpt.as_object().if_contains("to")) m.to = addresses_of(*to);
    if (auto* cc = rcpt.as_object().if_contains("cc")) m.cc = addresses_of(*cc);
    if (auto* bcc = rcpt.as_object().if_contains("bcc")) m.bcc = addresses_of(*bcc);
  }
  m.html = q.text(c["html"]);
  m.quoted = q.text(c["quoted"]);
  return m;
}

OutboxMail read_outbox(const sql::Statement& q) {
  constexpr const auto& c = kOutboxColumns;
  OutboxMail m;
  m.id = q.int64(c["id"]);
  m.workspace_id = q.int64(c["workspace_id"]);
  m.conversation_id = q.int64(c["conversation_id"]);
  if (!q.is_null(c["event_id"])) m.event_id = q.int64(c["event_id"]);
  m.message_id = q.text(c["message_id"]);
  m.envelope_from = q.text(c["envelope_from"]);
  m.recipients = parse_strings(q.text(c["recipients"]));
  m.raw = q.blob(c["raw"]);  // bytea on PostgreSQL: bytes, not its text form
  m.status = parse_outbox_status(q.text(c["status"]));
  m.attempts = static_cast<int>(q.int64(c["attempts"]));
  m.next_attempt_at = q.int64(c["next_attempt_at"]);
  m.last_error = q.text(c["last_error"]);
  m.created_at = q.int64(c["created_at"]);
  if (!q.is_null(c["sent_at"])) m.sent_at = q.int64(c["sent_at"]);
  return m;
}

const std::string& select_mail_messages() {
  static const std::string s = "SELECT " + kMailMessageColumns.list() + " FROM mail_message ";
  return s;
}

const std::string& select_outbox() {
  static const std::string s = "SELECT " + kOutboxColumns.list() + " FROM mail_outbox ";
  return s;
}

// Mail of one millisecond in the order it was stored. mail_message has no
// integer key: SQLite's rowid is that order; PostgreSQL has none, and the
// Message-ID at least makes the order stable.
std::string_view insertion_order(const sql::Connection& db) {
  return db.pick("rowid", "message_id");
}

std::optional<MailId> find_mail_id(sql::Connection& db, Id ws, const std::string& message_id) {
  sql::Statement q(db, select_mail_messages() + "WHERE workspace_id = ? AND message_id = ?");
  if (!q.bind(1, ws).bind(2, message_id).step()) return std::nullopt;
  return read_mail_id(q);
}

// Threading's questions, on the writer's connection.
class WriterLookups final : public MailLookups {
 public:
  WriterLookups(sql::Connection& db, Id ws) : db_(db), ws_(ws) {}
  std::optional<MailId> find_mail(const std::string& message_id) override {
    return find_mail_id(db_, ws_, message_id);
  }
  // A merged ticket answers as the ticket it was merged into (a few hops at most).
  std::optional<Conversation> find_ticket(Id number) override {
    auto c = load_conversation(db_, ws_, number);
    for (int hops = 0; c && c->ticket && c->ticket->merged_into && hops < 8; ++hops)
      c = load_conversation(db_, ws_, *c->ticket->merged_into);
    if (!c || !c->ticket) return std::nullopt;
    return c;
  }
  bool on_ticket(Id number, const std::string& address) override {
    sql::Statement q(
        db_,
        "SELECT 1 FROM conversation c WHERE c.workspace_id = ?1 AND c.id = ?2 AND ("
        "EXISTS (SELECT 1 FROM identity i WHERE i.workspace_id = ?1 AND i.kind = 'email' "
        "AND i.value = ?3 AND i.contact_id = c.contact_id) OR "
        "EXISTS (SELECT 1 FROM mail_participant p WHERE p.conversation_id = c.id "
        "AND p.address = ?3))");
    return q.bind(1, ws_).bind(2, number).bind(3, lower_ascii(address)).step();
  }

 private:
  sql::Connection& db_;
  Id ws_;
};

// The contact behind an e-mail address, made on first sight: one customer record
// whichever channel they used before with that address.
Id contact_by_email(sql::Connection& db, Id ws, const MailAddress& from, Millis now) {
  auto email = lower_ascii(from.address);
  if (email.empty()) {  // no sender at all: a contact of its own, found by nobody
    sql::Statement ins(
        db, "INSERT INTO contact (workspace_id, name, created_at) VALUES (?, ?, ?) RETURNING id");
    ins.bind(1, ws).bind(2, from.name).bind(3, now).step();
    return ins.int64(0);
  }
  sql::Statement find(
      db,
      "SELECT contact_id FROM identity WHERE workspace_id = ? AND kind = 'email' AND "
      "value = ?");
  if (find.bind(1, ws).bind(2, email).step()) {
    Id id = find.int64(0);
    sql::Statement fill(db, "UPDATE contact SET name = ? WHERE id = ? AND name = ''");
    fill.bind(1, from.name).bind(2, id).run();
    return id;
  }
  sql::Statement ins(
      db,
      "INSERT INTO contact (workspace_id, name, email, created_at) VALUES (?, ?, ?, ?) "
      "RETURNING id");
  ins.bind(1, ws).bind(2, from.name).bind(3, email).bind(4, now).step();
  Id id = ins.int64(0);
  ins.run();
  sql::Statement link(db,
                      "INSERT INTO identity (workspace_id, kind, value, contact_id) VALUES (?, "
                      "'email', ?, ?)");
  link.bind(1, ws).bind(2, email).bind(3, id).run();
  return id;
}

void insert_mail_id(sql::Connection& db, Id ws, const std::string& message_id, Id conversation,
                    std::optional<Id> event, MailDirection dir, Millis now,
                    const MailContent& content) {
  sql::Statement q(db,
                   "INSERT INTO mail_message (workspace_id, message_id, conversation_id, event_id, "
                   "direction, created_at, subject, sender, recipients, html, quoted) "
                   "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  json::object rcpt{{"to", addresses_json(content.to)}, {"cc", addresses_json(content.cc)}};
  if (!content.bcc.empty()) rcpt["bcc"] = addresses_json(content.bcc);
  q.bind(1, ws)
      .bind(2, message_id)
      .bind(3, conversation)
      .bind(4, event)
      .bind(5, to_string(dir))
      .bind(6, now)
      .bind(7, content.subject)
      .bind(8, json::serialize(addresses_json({content.from})[0]))
      .bind(9, json::serialize(rcpt))
      .bind(10, content.html)
      .bind(11, content.quoted)
      .run();
}

// A mail names at most a few hundred addresses, but a long ticket could collect
// thousands: replies go to the first ones only.
constexpr int kMaxParticipants = 50;

void add_participants(sql::Connection& db, Id conversation, const std::vector<MailAddress>& list,
                      const std::string& contact_email) {
  if (list.empty()) return;
  sql::Statement count(db, "SELECT count(*) FROM mail_participant WHERE conversation_id = ?");
  count.bind(1, conversation).step();
  auto room = kMaxParticipants - count.int64(0);
  for (const auto& p : list) {
    if (room <= 0) return;
    auto address = lower_ascii(p.address);
    if (address.empty() || address == contact_email) continue;
    sql::Statement q(
        db,
        "INSERT INTO mail_participant (conversation_id, address, name) VALUES (?, ?, ?) "
        "ON CONFLICT DO NOTHING");
    q.bind(1, conversation).bind(2, address).bind(3, p.name).run();
    room -= q.affected();
  }
}

void insert_files(sql::Connection& db, const InboundMail& m, Id conversation) {
  for (std::size_t i = 0; i < m.files.size(); ++i) {
    const auto& a = m.files[i];
    sql::Statement q(
        db,
        "INSERT INTO attachment (id, workspace_id, name, content_type, size, created_at, "
        "uploader, conversation_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    q.bind(1, a.id)
        .bind(2, a.workspace_id)
        .bind(3, a.name)
        .bind(4, a.content_type)
        .bind(5, a.size)
        .bind(6, a.created_at)
        .bind(7, a.uploader)
        .bind(8, conversation)
        .run();
    if (i < m.file_bytes.size() && m.file_bytes[i]) {
      sql::Statement b(db, "INSERT INTO attachment_bytes (attachment_id, bytes) VALUES (?, ?)");
      b.bind(1, a.id).bind_blob(2, *m.file_bytes[i]).run();
    }
  }
}

// The From of the contact's latest mail on the ticket: a message (auto-replies and
// bounces are notes), from an address that is one of the contact's identities now
// (a merge may have given it several; a colleague in Cc is not the customer).
MailAddress customer_address(sql::Connection& db, Id ws, Id ticket, Id contact) {
  sql::Statement q(
      db,
      "SELECT m.sender FROM mail_message m JOIN event e ON e.id = m.event_id "
      "WHERE m.workspace_id = ?1 AND m.conversation_id = ?2 AND m.direction = 'in' "
      "AND e.kind = 'message' AND EXISTS (SELECT 1 FROM identity i WHERE "
      "i.workspace_id = ?1 AND i.kind = 'email' AND i.contact_id = ?3 AND "
      "i.value = lower(" +
          std::string(db.pick(
              "json_extract(m.sender, '$.address')",
              "CASE WHEN m.sender LIKE '{%' THEN CAST(m.sender AS jsonb)->>'address' END")) +
          ")) ORDER BY m.created_at DESC, m." + std::string(insertion_order(db)) + " DESC LIMIT 1");
  if (!q.bind(1, ws).bind(2, ticket).bind(3, contact).step()) return {};
  auto from = addresses_of(parse_or("[" + q.text(0) + "]", json::array{}));
  if (from.empty()) return {};
  return {from.front().name, lower_ascii(from.front().address)};
}

// tickets_only: threading and replies; a transcript may come from any conversation.
std::optional<MailThread> load_thread(sql::Connection& db, Id ws, Id ticket,
                                      bool tickets_only = true) {
  auto conv = load_conversation(db, ws, ticket);
  if (!conv || (tickets_only && !conv->ticket)) return std::nullopt;
  MailThread t{*conv, {}, {}, {}};
  t.ids = read_rows(
      db,
      select_mail_messages() +
          "WHERE workspace_id = ? AND conversation_id = ? ORDER BY created_at, " +
          std::string(insertion_order(db)) + " LIMIT 1000",
      [&](sql::Statement& q) { q.bind(1, ws).bind(2, ticket); }, read_mail_id);
  t.participants = read_rows(
      db, "SELECT name, address FROM mail_participant WHERE conversation_id = ? LIMIT 100",
      [&](sql::Statement& q) { q.bind(1, ticket); },
      [](const sql::Statement& q) {
        return MailAddress{q.text(0), q.text(1)};
      });
  t.customer = customer_address(db, ws, ticket, conv->contact.id);
  return t;
}

// The mail into the outbox and its Message-ID into ours; returns it as stored.
OutboxMail enqueue(sql::Connection& db, Id ws, Id ticket, OutboxMail mail, Millis now) {
  sql::Statement q(db,
                   "INSERT INTO mail_outbox (workspace_id, conversation_id, event_id, message_id, "
                   "envelope_from, recipients, raw, next_attempt_at, created_at) "
                   "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
  q.bind(1, ws)
      .bind(2, ticket)
      .bind(3, mail.event_id)
      .bind(4, mail.message_id)
      .bind(5, mail.envelope_from)
      .bind(6, serialize_strings(mail.recipients))
      .bind_blob(7, mail.raw)
      .bind(8, now)
      .bind(9, now)
      .step();
  mail.id = q.int64(0);
  q.run();
  mail.workspace_id = ws;
  mail.conversation_id = ticket;
  mail.next_attempt_at = mail.created_at = now;
  insert_mail_id(db, ws, mail.message_id, ticket, mail.event_id, MailDirection::kOut, now,
                 mail.shown);
  // Whom an agent copied stays on the ticket: later replies go to them too.
  if (mail.event_id) {
    auto contact = load_conversation(db, ws, ticket);
    add_participants(db, ticket, mail.shown.cc,
                     contact ? lower_ascii(contact->contact.email) : std::string());
  }
  return mail;
}

// A machine that answers every mail with a new one (and no Auto-Submitted header)
// would loop with our acknowledgements: a few an hour per contact, then silence.
constexpr int kAcknowledgementsPerHour = 5;
constexpr Millis kHour = 3600 * 1000;

bool acknowledged_lately(sql::Connection& db, Id ws, Id contact, Millis now) {
  sql::Statement q(
      db,
      "SELECT count(*) FROM mail_outbox o JOIN conversation c ON c.id = o.conversation_id "
      "WHERE c.workspace_id = ? AND c.contact_id = ? AND o.event_id IS NULL "
      "AND o.created_at > ?");
  q.bind(1, ws).bind(2, contact).bind(3, now - kHour).step();
  return q.int64(0) >= kAcknowledgementsPerHour;
}

NewEvent mail_event(const InboundMail& m, Id conversation, Id contact) {
  NewEvent e;
  e.workspace_id = m.workspace_id;
  e.conversation_id = conversation;
  e.body = m.body;
  e.client_id = "mail:" + m.message_id;
  e.attachments = m.attachments;
  const auto& from = m.content.from;
  if (m.auto_reply || m.bounce) {
    // Not the customer writing: agents see it, but it counts as no reply.
    e.kind = "note";
    e.author = {AuthorType::kSystem, 0, from.name.empty() ? from.address : from.name};
    e.notice = {{"code", m.bounce ? "mail_bounce" : "mail_auto_reply"}, {"args", json::object{}}};
    if (m.bounce && !m.bounce_error.empty()) e.notice["args"] = {{"error", m.bounce_error}};
  } else {
    e.author = {AuthorType::kVisitor, contact, from.name.empty() ? from.address : from.name};
  }
  return e;
}

}  // namespace

MailIngested SqlStore::ingest_mail(const InboundMail& m) {
  return write([&](sql::Connection& db) {
    MailIngested out;
    if (auto seen = find_mail_id(db, m.workspace_id, m.message_id)) {
      out.duplicate = true;
      out.plan = {MailPlan::Action::kJoin, seen->conversation_id};
      out.conversation = load_conversation(db, m.workspace_id, seen->conversation_id);
      return out;
    }
    WriterLookups lookups(db, m.workspace_id);
    out.plan = m.plan ? m.plan(lookups) : MailPlan{};
    if (out.plan.action == MailPlan::Action::kIgnore) return out;
    Millis now = clock_();
    Id contact = contact_by_email(db, m.workspace_id, m.content.from, now);
    std::optional<Conversation> conv;
    if (out.plan.action == MailPlan::Action::kJoin)
      conv = load_conversation(db, m.workspace_id, out.plan.ticket);
    Id ticket = 0;
    std::string contact_email;
    if (conv) {
      ticket = conv->id;
      contact_email = lower_ascii(conv->contact.email);
      if (out.plan.reopen) reopen_ticket(db, *conv, now);
    } else {
      NewConversation n;
      n.workspace_id = m.workspace_id;
      n.inbox_id = m.inbox_id;
      n.client_id = "mail:" + m.message_id;
      n.kind = ConversationKind::kEmail;
      n.subject = m.content.subject;
      n.language = m.language;
      n.ticket = TicketFields{};
      n.ticket->follows = out.plan.follows;
      ticket = insert_conversation(db, n, contact, now);
      contact_email = lower_ascii(m.content.from.address);
      out.created = true;
    }
    auto event = insert_event(db, mail_event(m, ticket, contact), now);
    insert_mail_id(db, m.workspace_id, m.message_id, ticket, event.id, MailDirection::kIn, now,
                   m.content);
    add_participants(db, ticket, m.participants, contact_email);
    if (!m.auto_reply && !m.bounce) add_participants(db, ticket, {m.content.from}, contact_email);
    insert_files(db, m, ticket);
    if (!out.plan.failed_message_id.empty()) {
      sql::Statement failed(db,
                            "UPDATE mail_outbox SET status = 'failed', last_error = ? "
                            "WHERE workspace_id = ? AND message_id = ?");
      failed.bind(1, m.bounce_error.empty() ? std::string("bounced") : m.bounce_error)
          .bind(2, m.workspace_id)
          .bind(3, out.plan.failed_message_id)
          .run();
    }
    if (out.created && m.acknowledgement && !acknowledged_lately(db, m.workspace_id, contact, now))
      if (auto ack = m.acknowledgement(*load_thread(db, m.workspace_id, ticket), nullptr))
        out.acknowledgement = enqueue(db, m.workspace_id, ticket, std::move(*ack), now);
    conv = must_load_conversation(db, m.workspace_id, ticket);
    record({*conv, event, false, out.created});
    out.conversation = std::move(conv);
    out.event = std::move(event);
    return out;
  });
}

// The customer wrote again: a solved ticket opens (and waits in the queue if its
// agent is full), a ticket waiting for them or on hold is open again.
void SqlStore::reopen_ticket(sql::Connection& db, Conversation& conv, Millis now) {
  if (conv.status == ConversationStatus::kClosed) return reopen(db, conv, now);
  if (!conv.ticket || conv.ticket->status == TicketStatus::kNew ||
      conv.ticket->status == TicketStatus::kOpen)
    return;
  sql::Statement q(db,
                   "UPDATE conversation SET ticket_status = 'open', solved_at = NULL, "
                   "version = version + 1 WHERE id = ?");
  q.bind(1, conv.id).run();
}

std::optional<MailId> SqlStore::find_mail(Id ws, const std::string& message_id) {
  return read([&](sql::Connection& db) { return find_mail_id(db, ws, message_id); });
}

std::optional<MailThread> SqlStore::mail_thread(Id ws, Id ticket) {
  return read([&](sql::Connection& db) { return load_thread(db, ws, ticket); });
}

std::optional<MailContent> SqlStore::mail_content(Id ws, Id event) {
  return read([&](sql::Connection& db) -> std::optional<MailContent> {
    sql::Statement q(db, select_mail_messages() + "WHERE event_id = ? AND workspace_id = ?");
    if (!q.bind(1, event).bind(2, ws).step()) return std::nullopt;
    return read_mail_content(q);
  });
}

std::pair<std::optional<AppendResult>, std::optional<OutboxMail>> SqlStore::append_with_mail(
    const std::optional<NewEvent>& event, Id ws, Id ticket, const BuildMail& build) {
  return write([&](sql::Connection& db) {
    std::pair<std::optional<AppendResult>, std::optional<OutboxMail>> out;
    if (event) {
      out.first = append_in(db, *event);
      if (out.first->duplicate) return out;
    }
    auto thread = load_thread(db, ws, ticket, false);  // `build` decides what may be mailed
    if (!thread) throw StoreError(StoreError::Code::kNotFound, "no such conversation");
    const Event* written = out.first ? &out.first->event : nullptr;
    auto mail = build(*thread, written);
    if (!mail) return out;
    Millis now = clock_();
    auto answer = mail->event_id;  // an agent's message; an acknowledgement has none
    out.second = enqueue(db, ws, ticket, std::move(*mail), now);
    if (answer) {
      // The first answer: the ticket is open now, and its first response is timed
      // (when the agent wrote it, not when its mail was queued).
      sql::Statement q(db,
                       "UPDATE conversation SET first_response_at = COALESCE(first_response_at, "
                       "(SELECT created_at FROM event WHERE id = ?1), ?2), ticket_status = CASE "
                       "ticket_status WHEN 'new' THEN 'open' ELSE ticket_status END, "
                       "version = version + 1 WHERE id = ?3 AND (first_response_at IS NULL OR "
                       "ticket_status = 'new')");
      q.bind(1, *answer).bind(2, now).bind(3, ticket).run();
      if (q.affected() > 0) record({must_load_conversation(db, ws, ticket), std::nullopt, false});
    }
    return out;
  });
}

std::vector<OutboxMail> SqlStore::due_mail(Millis now, int limit) {
  return read([&](sql::Connection& db) {
    return read_rows(
        db,
        select_outbox() +
            "WHERE status = 'queued' AND next_attempt_at <= ? ORDER BY next_attempt_at LIMIT ?",
        [&](sql::Statement& q) { q.bind(1, now).bind(2, limit); }, read_outbox);
  });
}

void SqlStore::mark_mail_sent(Id ws, Id id) {
  write([&](sql::Connection& db) {
    sql::Statement q(
        db,
        "UPDATE mail_outbox SET status = 'sent', attempts = attempts + 1, sent_at = ?, "
        "last_error = '' WHERE workspace_id = ? AND id = ?");
    q.bind(1, clock_()).bind(2, ws).bind(3, id).run();
    return 0;
  });
}

void SqlStore::mark_mail_failed(Id ws, Id id, const std::string& error,
                                std::optional<Millis> retry_at) {
  write([&](sql::Connection& db) {
    sql::Statement q(
        db,
        "UPDATE mail_outbox SET status = ?, attempts = attempts + 1, last_error = ?, "
        "next_attempt_at = COALESCE(?, next_attempt_at) WHERE workspace_id = ? AND id = ?");
    q.bind(1, to_string(retry_at ? OutboxStatus::kQueued : OutboxStatus::kFailed))
        .bind(2, error)
        .bind(3, retry_at)
        .bind(4, ws)
        .bind(5, id)
        .run();
    return 0;
  });
}

std::optional<OutboxMail> SqlStore::outbox_mail(Id ws, const std::string& message_id) {
  return read([&](sql::Connection& db) -> std::optional<OutboxMail> {
    sql::Statement q(db, select_outbox() + "WHERE workspace_id = ? AND message_id = ?");
    if (!q.bind(1, ws).bind(2, message_id).step()) return std::nullopt;
    return read_outbox(q);
  });
}

std::vector<MailEntry> SqlStore::ticket_mail(Id ws, Id ticket, int limit) {
  return read([&](sql::Connection& db) {
    auto entries = read_rows(
        db,
        select_mail_messages() +
            "WHERE workspace_id = ? AND conversation_id = ? ORDER BY created_at, " +
            std::string(insertion_order(db)) + " LIMIT ?",
        [&](sql::Statement& q) { q.bind(1, ws).bind(2, ticket).bind(3, limit); },
        [](const sql::Statement& q) {
          return MailEntry{read_mail_id(q), read_mail_content(q), {}};
        });
    for (auto& e : entries) {
      if (e.id.direction != MailDirection::kOut) continue;
      sql::Statement out(db, select_outbox() + "WHERE workspace_id = ? AND message_id = ?");
      if (!out.bind(1, ws).bind(2, e.id.message_id).step()) continue;
      e.outbox = read_outbox(out);
      e.outbox->raw.clear();  // the console shows states, not bytes
    }
    return entries;
  });
}

bool SqlStore::retry_mail(Id ws, Id ticket, Id event) {
  return write([&](sql::Connection& db) {
    sql::Statement q(
        db,
        "UPDATE mail_outbox SET status = 'queued', next_attempt_at = ?, last_error = '' "
        "WHERE workspace_id = ? AND conversation_id = ? AND event_id = ? "
        "AND status = 'failed'");
    q.bind(1, clock_()).bind(2, ws).bind(3, ticket).bind(4, event).run();
    return q.affected() > 0;
  });
}

std::vector<Event> SqlStore::unmailed_replies(Millis since, int limit) {
  return read([&](sql::Connection& db) {
    sql::Statement q(
        db,
        "SELECT e.id FROM conversation c JOIN event e ON e.conversation_id = c.id "
        "LEFT JOIN contact k ON k.id = c.contact_id "
        "WHERE c.updated_at >= ?1 AND e.created_at >= ?1 AND e.kind = 'message' "
        "AND e.author_type = 'agent' "
        "AND (c.kind = 'email' OR (c.kind = 'offline' AND COALESCE(k.email, '') <> '')) "
        "AND NOT EXISTS (SELECT 1 FROM mail_outbox o WHERE o.event_id = e.id) "
        "ORDER BY e.id LIMIT ?2");
    q.bind(1, since).bind(2, limit);
    std::vector<Event> out;
    while (q.step()) {
      sql::Statement e(db, select_events() + "WHERE e.id = ?");
      if (e.bind(1, q.int64(0)).step()) out.push_back(read_event(e));
    }
    return out;
  });
}

}  // namespace sb::sqlite
