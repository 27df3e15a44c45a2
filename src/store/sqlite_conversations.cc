// ConversationStore: conversations, their event logs, attachments, and the
// change listener.
#include "store/contact_queries.h"
#include "store/routing_queries.h"
#include "store/sqlite_store.h"

namespace sb::sqlite {

namespace json = boost::json;

namespace {

std::optional<Event> load_event_by_client_id(sql::Connection& db, Id conversation,
                                             const std::string& client_id) {
  sql::Statement q(db, select_events() + "WHERE e.conversation_id = ? AND e.client_id = ?");
  if (!q.bind(1, conversation).bind(2, client_id).step()) return std::nullopt;
  return read_event(q);
}

}  // namespace

std::optional<TicketFields> ticket_of(const NewConversation& c) {
  if (c.ticket) return c.ticket;
  if (c.kind == ConversationKind::kEmail || c.kind == ConversationKind::kOffline)
    return TicketFields{};
  return std::nullopt;
}

namespace {

void bind_ticket(sql::Statement& q, int first, const std::optional<TicketFields>& t) {
  if (!t) {
    for (int i = 0; i < 7; ++i) q.bind_null(first + i);
    return;
  }
  q.bind(first, to_string(t->status))
      .bind(first + 1, to_string(t->priority))
      .bind(first + 2, serialize_strings(t->tags))
      .bind(first + 3, t->follow_up_at)
      .bind(first + 4, t->first_response_at)
      .bind(first + 5, t->solved_at)
      .bind(first + 6, t->follows);
}

// A ticket merged into another stays closed: its customer goes on in the target
// (their mail and widget messages are forwarded there), so nothing reopens it.
void refuse_merged(const Conversation& conv) {
  if (conv.ticket && conv.ticket->merged_into)
    throw StoreError(StoreError::Code::kConflict,
                     "this ticket was merged into #" + std::to_string(*conv.ticket->merged_into));
}

}  // namespace

Id insert_conversation(sql::Connection& db, const NewConversation& c, Id contact, Millis now) {
  sql::Statement ins(
      db,
      "INSERT INTO conversation (workspace_id, inbox_id, contact_id, visitor_id, "
      "client_id, kind, status, subject, language, meta, created_at, updated_at, "
      "queued_at, detected_language, bot_state, ticket_status, ticket_priority, "
      "ticket_tags, follow_up_at, first_response_at, solved_at, follows_ticket_id) "
      "VALUES (?, ?, ?, ?, ?, ?, 'open', ?, ?, ?, ?, ?, ?11, ?12, ?13, ?14, ?15, ?16, "
      "?17, ?18, ?19, ?20) RETURNING id");
  bind_ticket(ins, 14, ticket_of(c));
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
      .bind(12, c.detected_language)
      .bind(13, to_string(c.bot.phase));
  ins.step();
  return ins.int64(0);
}

namespace {

// An event's values as both backends' inserts number them: ?1 now, ?2 kind,
// ?3 workspace, ?4 conversation, ?5..?8 author type, id, name and body,
// ?9 attachments, ?10 client id, ?11 notice.
void bind_event_values(sql::Statement& q, const NewEvent& e, Millis now) {
  q.bind(1, now)
      .bind(2, e.kind)
      .bind(3, e.workspace_id)
      .bind(4, e.conversation_id)
      .bind(5, to_string(e.author.type))
      .bind(6, e.author.id)
      .bind(7, e.author.name)
      .bind(8, e.body)
      .bind(9, json::serialize(e.attachments));
  if (e.client_id.empty())
    q.bind_null(10);
  else
    q.bind(10, e.client_id);
  if (e.notice.empty())
    q.bind_null(11);
  else
    q.bind(11, json::serialize(e.notice));
}

// The report timings (schema step 28) an event moves, in the statement that
// bumps the conversation's seq (?1 now, ?2 kind, ?5 author type): a customer's
// message starts the wait for a reply unless one is already running; an agent's
// message ends it, counting its length, and is the first reply if none was.
constexpr const char* kReportTimings =
    "customer_messages = customer_messages + CASE WHEN ?2 = 'message' AND ?5 = 'visitor' "
    "THEN 1 ELSE 0 END, "
    "awaiting_since = CASE WHEN ?2 <> 'message' THEN awaiting_since "
    "WHEN ?5 = 'visitor' THEN COALESCE(awaiting_since, ?1) "
    "WHEN ?5 = 'agent' THEN NULL ELSE awaiting_since END, "
    "replies = replies + CASE WHEN ?2 = 'message' AND ?5 = 'agent' AND awaiting_since IS NOT NULL "
    "THEN 1 ELSE 0 END, "
    "reply_ms = reply_ms + CASE WHEN ?2 = 'message' AND ?5 = 'agent' AND awaiting_since IS NOT "
    "NULL "
    "THEN ?1 - awaiting_since ELSE 0 END, "
    "first_reply_at = CASE WHEN ?2 = 'message' AND ?5 = 'agent' THEN COALESCE(first_reply_at, ?1) "
    "ELSE first_reply_at END ";

constexpr const char* kEventColumnsInserted =
    "INSERT INTO event (workspace_id, conversation_id, seq, kind, author_type, author_id, "
    "author_name, body, attachments, client_id, created_at, notice) ";

}  // namespace

Event insert_event(sql::Connection& db, const NewEvent& e, Millis now) {
  std::int64_t id = 0, seq = 0;
  if (db.backend() == sql::Backend::kPostgres) {
    // The seq bump and the insert in one statement, one round trip (the
    // conversation's row stays locked until COMMIT, as with two).
    sql::Statement q(
        db,
        std::string("WITH s AS (UPDATE conversation SET last_seq = last_seq + 1, updated_at = ?1, "
                    "last_message_seq = CASE WHEN ?2 = 'message' THEN last_seq + 1 "
                    "ELSE last_message_seq END, ") +
            kReportTimings + "WHERE workspace_id = ?3 AND id = ?4 RETURNING last_seq) " +
            kEventColumnsInserted +
            "SELECT ?3, ?4, s.last_seq, CAST(?2 AS TEXT), CAST(?5 AS TEXT), ?6, CAST(?7 AS TEXT), "
            "CAST(?8 AS TEXT), CAST(?9 AS JSONB), CAST(?10 AS TEXT), ?1, CAST(?11 AS JSONB) "
            "FROM s RETURNING id, seq");
    bind_event_values(q, e, now);
    if (!q.step()) throw StoreError(StoreError::Code::kNotFound, "conversation not found");
    id = q.int64(0);
    seq = q.int64(1);
  } else {
    sql::Statement bump(
        db, std::string("UPDATE conversation SET last_seq = last_seq + 1, updated_at = ?1, "
                        "last_message_seq = CASE WHEN ?2 = 'message' THEN last_seq + 1 "
                        "ELSE last_message_seq END, ") +
                kReportTimings + "WHERE workspace_id = ?3 AND id = ?4 RETURNING last_seq");
    bump.bind(1, now).bind(2, e.kind).bind(3, e.workspace_id).bind(4, e.conversation_id);
    bump.bind(5, to_string(e.author.type));
    if (!bump.step()) throw StoreError(StoreError::Code::kNotFound, "conversation not found");
    seq = bump.int64(0);
    bump.run();
    sql::Statement ins(db, std::string(kEventColumnsInserted) +
                               "VALUES (?3, ?4, ?12, ?2, ?5, ?6, ?7, ?8, ?9, ?10, ?1, ?11) "
                               "RETURNING id");
    bind_event_values(ins, e, now);
    ins.bind(12, seq);
    ins.step();
    id = ins.int64(0);
  }
  return Event{id,     e.workspace_id, e.conversation_id, seq, e.kind,  e.author,
               e.body, e.client_id,    e.attachments,     now, e.notice};
}

NewEvent system_event(Id ws, Id id, const Notice& n) {
  NewEvent e{ws, id, "system", {AuthorType::kSystem, 0, ""}, n.text, "", {}};
  e.notice = n.json();
  return e;
}

void SqlStore::set_change_listener(ChangeListener l) {
  std::lock_guard lock(changes_mu_);
  listener_ = std::move(l);
}

std::pair<Conversation, bool> SqlStore::create_conversation(const NewConversation& c) {
  return write([&](sql::Connection& db) -> std::pair<Conversation, bool> {
    sql::Statement existing(db,
                            "SELECT id FROM conversation WHERE workspace_id = ? AND visitor_id = ? "
                            "AND client_id = ?");
    existing.bind(1, c.workspace_id).bind(2, c.visitor_id).bind(3, c.client_id);
    if (existing.step())
      return {must_load_conversation(db, c.workspace_id, existing.int64(0)), false};

    Millis now = clock_();
    Id contact = contact_queries::resolve(db, c.workspace_id, c, now);
    // The name given here, not the contact's: a visitor who typed someone else's
    // address must not see that person's name on their own messages.
    NewConversation row = c;
    row.meta["visitor_name"] = c.name;
    Id id = insert_conversation(db, row, contact, now);
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

std::optional<Conversation> SqlStore::get_conversation(Id ws, Id id) {
  return read([&](sql::Connection& db) { return load_conversation(db, ws, id); });
}

std::vector<Conversation> SqlStore::list_conversations(Id ws, const ConversationFilter& f) {
  return read([&](sql::Connection& db) {
    std::string where = "WHERE c.workspace_id = ?1 AND c.status = ?2 ";
    if (f.view == ConversationFilter::View::kUnassigned) where += "AND c.assignee_id IS NULL ";
    if (f.view == ConversationFilter::View::kMine) where += "AND c.assignee_id = ?3 ";
    // AgentScope::covers, in SQL
    if (!f.scope.unrestricted())
      where += "AND (c.assignee_id IS NOT DISTINCT FROM ?3 OR ((?5 = '[]' OR c.inbox_id " +
               in_json_list(db, "?5") + ") AND (?6 = '[]' OR c.team_id IS NULL OR c.team_id " +
               in_json_list(db, "?6") + "))) ";
    where += "ORDER BY c.updated_at DESC, c.id DESC LIMIT ?4";
    return load_conversations(db, where, [&](sql::Statement& q) {
      q.bind(1, ws).bind(2, to_string(f.status)).bind(3, f.agent_id).bind(4, f.limit);
      if (!f.scope.unrestricted())
        q.bind(5, json::serialize(json::value_from(f.scope.inboxes)))
            .bind(6, json::serialize(json::value_from(f.scope.teams)));
    });
  });
}

std::vector<Conversation> SqlStore::list_visitor_conversations(Id ws, const std::string& visitor) {
  return read([&](sql::Connection& db) {
    return load_conversations(
        db, "WHERE c.workspace_id = ? AND c.visitor_id = ? ORDER BY c.id DESC LIMIT 50",
        [&](sql::Statement& q) { q.bind(1, ws).bind(2, visitor); });
  });
}

std::vector<Conversation> SqlStore::contact_history(Id ws, Id contact, Id except) {
  return read([&](sql::Connection& db) {
    return load_conversations(
        db,
        "WHERE c.workspace_id = ? AND c.contact_id = ? AND c.id != ? ORDER BY c.id DESC LIMIT 50",
        [&](sql::Statement& q) { q.bind(1, ws).bind(2, contact).bind(3, except); });
  });
}

AppendResult SqlStore::append_event(const NewEvent& e) {
  return write([&](sql::Connection& db) { return append_in(db, e); });
}

void SqlStore::append_event_async(NewEvent e, AppendDone done) {
  if (pg_) {
    {
      std::lock_guard lock(appends_mu_);
      appends_.push_back({std::move(e), std::move(done)});
    }
    pg_->post([this] { append_queued(); });  // a job an append; most find others took it
    return;
  }
  writer_->run_async<AppendResult>(
      [this, e = std::move(e)](sql::Connection& db) {
        return store_errors([&] { return append_in(db, e); });
      },
      std::move(done));
}

void SqlStore::append_queued() {
  constexpr std::size_t kMostInOneTransaction = 64;
  std::vector<QueuedAppend> batch;
  {
    std::lock_guard lock(appends_mu_);
    while (!appends_.empty() && batch.size() < kMostInOneTransaction) {
      batch.push_back(std::move(appends_.front()));
      appends_.pop_front();
    }
  }
  if (batch.size() == 1) append_alone(std::move(batch[0].event), batch[0].done);
  if (batch.size() <= 1) return;
  // Conversations locked in id order by every batch: two batches never deadlock.
  std::stable_sort(batch.begin(), batch.end(), [](const auto& a, const auto& b) {
    return a.event.conversation_id < b.event.conversation_id;
  });
  std::vector<AppendResult> results;
  std::exception_ptr fault;
  try {
    results = write([&](sql::Connection& db) {
      std::vector<AppendResult> out;
      for (const auto& a : batch) out.push_back(append_in(db, a.event));
      return out;
    });
  } catch (const StoreError& e) {
    // One append's answer (an unknown conversation, say) rolled back them all:
    // each alone, so only that one fails. A fault (the database gone) fails all
    // without a rerun: its COMMIT may have happened, the callers resend.
    if (e.code() != StoreError::Code::kInternal) {
      for (auto& a : batch) append_alone(std::move(a.event), a.done);
      return;
    }
    fault = std::current_exception();
  } catch (...) {
    fault = std::current_exception();
  }
  for (std::size_t i = 0; i < batch.size(); ++i)
    if (fault)
      batch[i].done(std::nullopt, fault);
    else
      batch[i].done(std::move(results[i]), nullptr);
}

void SqlStore::append_alone(NewEvent e, const AppendDone& done) {
  std::optional<AppendResult> result;
  try {
    result = append_event(e);
  } catch (...) {
    done(std::nullopt, std::current_exception());
    return;
  }
  done(std::move(result), nullptr);
}

// On the writer thread, inside its transaction.
AppendResult SqlStore::append_in(sql::Connection& db, const NewEvent& e) {
  auto conv = must_load_conversation(db, e.workspace_id, e.conversation_id);
  if (!e.only_visitor.empty() && conv.visitor_id != e.only_visitor)
    throw StoreError(StoreError::Code::kNotFound,
                     "conversation " + std::to_string(e.conversation_id) + " not found");
  if (!e.client_id.empty())
    if (auto seen = load_event_by_client_id(db, e.conversation_id, e.client_id))
      return {*seen, true, conv};
  NewEvent by = e;
  if (!e.only_visitor.empty()) {
    const auto* given = conv.meta.if_contains("visitor_name");
    by.author = {AuthorType::kVisitor, conv.contact.id,
                 given && given->is_string() ? std::string(given->as_string()) : conv.contact.name};
  }
  Millis now = clock_();
  auto event = insert_event(db, by, now);
  bool visitor = by.author.type == AuthorType::kVisitor;
  if (visitor && conv.ticket && conv.ticket->merged_into)
    forward_to_merged(db, conv, by, now);  // the merged ticket stays closed
  else if (visitor && conv.status == ConversationStatus::kClosed)
    reopen(db, conv, now);
  // What insert_event changed, applied in memory rather than read back.
  conv.last_seq = event.seq;
  conv.updated_at = now;
  if (event.kind == "message") conv.last_message = event;
  record({conv, event, false});
  return {event, false, std::move(conv)};
}

// A customer writing in a ticket that was merged (from the widget, whose
// conversation it is) goes on in the ticket it was merged into, as their mail does.
void SqlStore::forward_to_merged(sql::Connection& db, const Conversation& from, const NewEvent& e,
                                 Millis now) {
  auto into = load_conversation(db, from.workspace_id, *from.ticket->merged_into);
  for (int hops = 0; into && into->ticket && into->ticket->merged_into && hops < 8; ++hops)
    into = load_conversation(db, from.workspace_id, *into->ticket->merged_into);
  if (!into) return;
  NewEvent copy = e;
  copy.conversation_id = into->id;
  copy.only_visitor.clear();
  copy.client_id =
      e.client_id.empty() ? "" : "merged-" + std::to_string(from.id) + "-" + e.client_id;
  auto event = insert_event(db, copy, now);
  if (into->status == ConversationStatus::kClosed) reopen(db, *into, now);
  record({must_load_conversation(db, from.workspace_id, into->id), event, false});
}

std::vector<Event> SqlStore::events_after(Id ws, Id conversation, std::int64_t after, bool notes,
                                          int limit) {
  return read(
      [&](sql::Connection& db) { return load_events(db, ws, conversation, after, notes, limit); });
}

Conversation SqlStore::set_status(Id ws, Id id, ConversationStatus status, const Author& by) {
  return write([&](sql::Connection& db) {
    auto conv = must_load_conversation(db, ws, id);
    if (conv.status == status) return conv;
    if (status == ConversationStatus::kOpen) {
      refuse_merged(conv);
      reopen(db, conv, clock_());
    } else {
      // A ticket an agent closes is solved: the customer's next reply reopens it.
      sql::Statement q(
          db,
          "UPDATE conversation SET status = 'closed', version = version + 1, "
          "updated_at = ?1, ticket_status = CASE WHEN ticket_status IS NULL THEN NULL "
          "WHEN ticket_status = 'closed' THEN 'closed' ELSE 'solved' END, "
          "solved_at = CASE WHEN ticket_status IS NULL THEN NULL ELSE ?1 END, closed_at = ?1 "
          "WHERE id = ?2");
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

Conversation SqlStore::set_ticket_status(Id ws, Id id, TicketStatus status, const Author& by) {
  return write([&](sql::Connection& db) {
    auto conv = must_load_conversation(db, ws, id);
    if (!conv.ticket)
      throw StoreError(StoreError::Code::kNotFound, "ticket " + std::to_string(id) + " not found");
    if (conv.ticket->status == status) return conv;
    auto event = write_ticket_status(db, conv, status, by);
    auto updated = must_load_conversation(db, ws, id);
    record({updated, event, false});
    return updated;
  });
}

// The status and the system event that says so (the SLA replay reads it); the
// caller records the change.
Event SqlStore::write_ticket_status(sql::Connection& db, Conversation& conv, TicketStatus status,
                                    const Author& by) {
  Millis now = clock_();
  bool done = status == TicketStatus::kSolved || status == TicketStatus::kClosed;
  if (!done) refuse_merged(conv);
  if (!done && conv.status == ConversationStatus::kClosed) reopen(db, conv, now);
  sql::Statement q(db,
                   "UPDATE conversation SET ticket_status = ?1, status = ?2, updated_at = ?3, "
                   "solved_at = CASE WHEN ?4 THEN COALESCE(solved_at, ?3) END, "
                   "closed_at = CASE WHEN ?4 THEN ?3 END, version = version + 1 WHERE id = ?5");
  q.bind(1, to_string(status))
      .bind(2, done ? "closed" : "open")
      .bind(3, now)
      .bind(4, done)
      .bind(5, conv.id)
      .run();
  Notice n{
      "Ticket " + std::string(to_string(status)), "ticket_status", {{"status", to_string(status)}}};
  if (!by.name.empty()) {
    n.text += " by " + by.name;
    n.args["by"] = by.name;
  }
  return insert_event(db, system_event(conv.workspace_id, conv.id, n), now);
}

// The agent keeps a reopened conversation only while they have a free slot
// for it; otherwise it waits in the queue again (capacity is never exceeded).
void SqlStore::reopen(sql::Connection& db, Conversation& conv, Millis now) {
  std::optional<Id> keep;
  if (conv.assignee_id)
    if (auto a = load_agent(db, conv.workspace_id, *conv.assignee_id))
      if (routing_queries::load_on(db, conv.workspace_id, a->id, conv.kind) <
          a->routing.capacity[channel_index(conv.kind)])
        keep = a->id;
  sql::Statement q(
      db,
      "UPDATE conversation SET status = 'open', assignee_id = ?, queued_at = ?, "
      "version = version + 1, solved_at = NULL, closed_at = NULL, ticket_status = CASE WHEN "
      "ticket_status IS NULL THEN NULL ELSE 'open' END WHERE id = ?");
  q.bind(1, keep).bind(2, now).bind(3, conv.id).run();
  conv.status = ConversationStatus::kOpen;
  if (conv.ticket) {
    conv.ticket->status = TicketStatus::kOpen;
    conv.ticket->solved_at.reset();
  }
  conv.assignee_id = keep;
  if (!keep) conv.assignee_name.clear();
  conv.queued_at = now;
  ++conv.version;
}

Conversation SqlStore::update_receipts(Id ws, Id id, AuthorType who, std::int64_t delivered,
                                       std::int64_t read) {
  return write([&](sql::Connection& db) {
    auto conv = must_load_conversation(db, ws, id);
    bool visitor = who == AuthorType::kVisitor;
    auto& r = conv.receipts;
    auto& d = visitor ? r.visitor_delivered : r.agent_delivered;
    auto& rd = visitor ? r.visitor_read : r.agent_read;
    auto new_read = std::max(rd, std::min(read, conv.last_seq));
    auto new_delivered = std::max({d, new_read, std::min(delivered, conv.last_seq)});
    if (new_read == rd && new_delivered == d) return conv;  // nothing moved: no write
    std::string prefix = visitor ? "visitor" : "agent";
    sql::Statement q(db, "UPDATE conversation SET " + prefix + "_delivered_seq = ?, " + prefix +
                             "_read_seq = ? WHERE id = ?");
    q.bind(1, new_delivered).bind(2, new_read).bind(3, id).run();
    d = new_delivered;
    rd = new_read;
    record({conv, std::nullopt, true});
    return conv;
  });
}

Conversation SqlStore::set_detected_language(Id ws, Id id, const std::string& language) {
  return update_triage(ws, id, "detected_language = ?1",
                       [&](sql::Statement& q) { q.bind(1, language); });
}

Conversation SqlStore::flag_emotional_peak(Id ws, Id id, const EmotionPeak& peak,
                                           int priority_boost) {
  return update_triage(ws, id,
                       "emotion_peak_at = ?1, emotion_score = ?2, emotion_reasons = ?3, "
                       "priority = priority + ?4",
                       [&](sql::Statement& q) {
                         q.bind(1, peak.at).bind(2, peak.score);
                         q.bind(3, serialize_strings(peak.reasons)).bind(4, priority_boost);
                       });
}

Conversation SqlStore::set_bot_state(Id ws, Id id, const BotState& bot, bool requeue_now) {
  return update_triage(ws, id,
                       "bot_state = ?1, bot_reason = ?2, bot_at = ?3, "
                       "queued_at = CASE WHEN ?4 THEN ?5 ELSE queued_at END",
                       [&](sql::Statement& q) {
                         q.bind(1, to_string(bot.phase)).bind(2, bot.reason).bind(3, bot.at);
                         q.bind(4, requeue_now).bind(5, clock_());
                       });
}

// json_set/jsonb_set change the one key in place: no read-modify-write that a
// concurrent writer of another key could undo.
Conversation SqlStore::set_meta_value(Id ws, Id id, const std::string& key,
                                      const json::value& value, bool notify) {
  return write([&](sql::Connection& db) {
    std::string path = std::string(db.pick("$.", "{")) + key + std::string(db.pick("", "}"));
    sql::Statement q(db, "UPDATE conversation SET meta = " +
                             std::string(db.pick("json_set(meta, ?1, json(?2))",
                                                 "jsonb_set(meta, CAST(?1 AS text[]), "
                                                 "CAST(?2 AS jsonb))")) +
                             ", version = version + CASE WHEN ?5 THEN 1 ELSE 0 END "
                             "WHERE workspace_id = ?3 AND id = ?4");
    q.bind(1, path).bind(2, json::serialize(value)).bind(3, ws).bind(4, id).bind(5, notify).run();
    if (q.affected() == 0)
      throw StoreError(StoreError::Code::kNotFound,
                       "conversation " + std::to_string(id) + " not found");
    auto updated = must_load_conversation(db, ws, id);
    if (notify) record({updated, std::nullopt, false});
    return updated;
  });
}

// `set` names parameters ?1.. (bound by `bind`); the workspace and id come after them.
Conversation SqlStore::update_triage(Id ws, Id id, std::string_view set,
                                     const std::function<void(sql::Statement&)>& bind) {
  return write([&](sql::Connection& db) {
    sql::Statement q(db, "UPDATE conversation SET " + std::string(set) +
                             ", version = version + 1 WHERE workspace_id = ?10 AND id = ?11");
    bind(q);
    q.bind(10, ws).bind(11, id).run();
    if (q.affected() == 0)
      throw StoreError(StoreError::Code::kNotFound,
                       "conversation " + std::to_string(id) + " not found");
    auto updated = must_load_conversation(db, ws, id);
    record({updated, std::nullopt, false});
    return updated;
  });
}

void SqlStore::save_attachment(const Attachment& a) {
  write([&](sql::Connection& db) {
    sql::Statement q(
        db,
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

std::optional<Attachment> SqlStore::get_attachment(Id ws, const std::string& id) {
  return read([&](sql::Connection& db) -> std::optional<Attachment> {
    sql::Statement q(db, select_attachments() + "WHERE workspace_id = ? AND id = ?");
    if (!q.bind(1, ws).bind(2, id).step()) return std::nullopt;
    return read_attachment(q);
  });
}

std::optional<std::string> SqlStore::attachment_bytes(Id ws, const std::string& id) {
  return read([&](sql::Connection& db) -> std::optional<std::string> {
    sql::Statement q(
        db,
        "SELECT b.bytes FROM attachment_bytes b JOIN attachment a ON a.id = b.attachment_id "
        "WHERE a.workspace_id = ? AND a.id = ?");
    if (!q.bind(1, ws).bind(2, id).step()) return std::nullopt;
    return q.blob(0);
  });
}

bool SqlStore::bind_attachment(Id ws, const std::string& id, Id conversation) {
  return write([&](sql::Connection& db) {
    sql::Statement q(
        db,
        "UPDATE attachment SET conversation_id = ?3 WHERE workspace_id = ?1 AND id = ?2 "
        "AND (conversation_id IS NULL OR conversation_id = ?3)");
    q.bind(1, ws).bind(2, id).bind(3, conversation).run();
    return q.affected() == 1;
  });
}

std::vector<Attachment> SqlStore::delete_orphan_attachments(Millis before) {
  return write([&](sql::Connection& db) {
    return read_rows(
        db,
        "DELETE FROM attachment WHERE conversation_id IS NULL AND created_at < ? "
        "AND uploader NOT LIKE 'canned:%' RETURNING " +
            kAttachmentColumns.list(),
        [&](sql::Statement& q) { q.bind(1, before); }, read_attachment);
  });
}

bool SqlStore::move_attachment(Id ws, const std::string& id, const std::string& from,
                               const std::string& to) {
  return write([&](sql::Connection& db) {
    sql::Statement q(db,
                     "UPDATE attachment SET uploader = ? WHERE workspace_id = ? AND id = ? "
                     "AND uploader = ? AND conversation_id IS NULL");
    q.bind(1, to).bind(2, ws).bind(3, id).bind(4, from).run();
    return q.affected() == 1;
  });
}

std::optional<Attachment> SqlStore::delete_attachment(Id ws, const std::string& id,
                                                      const std::string& uploader) {
  return write([&](sql::Connection& db) -> std::optional<Attachment> {
    auto rows = read_rows(
        db,
        "DELETE FROM attachment WHERE workspace_id = ? AND id = ? AND uploader = ? "
        "AND conversation_id IS NULL RETURNING " +
            kAttachmentColumns.list(),
        [&](sql::Statement& q) { q.bind(1, ws).bind(2, id).bind(3, uploader); }, read_attachment);
    if (rows.empty()) return std::nullopt;
    return rows.front();
  });
}

}  // namespace sb::sqlite
