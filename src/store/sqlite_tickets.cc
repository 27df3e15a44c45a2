// TicketStore: ticket views and counts, property changes (each one a note the
// timeline keeps), chats turned tickets, merge, split, custom fields and the
// follow-up reminders.
#include <algorithm>

#include "store/sqlite_store.h"

namespace sb {

namespace {
constexpr std::array<std::pair<TicketView, std::string_view>, 10> kViewNames = {{
    {TicketView::kAllOpen, "all_open"},
    {TicketView::kMineOpen, "mine_open"},
    {TicketView::kUnassigned, "unassigned"},
    {TicketView::kPending, "pending"},
    {TicketView::kFollowUpDue, "follow_up_due"},
    {TicketView::kSolved, "solved"},
    {TicketView::kClosed, "closed"},
    {TicketView::kAll, "all"},
    {TicketView::kBreachingSoon, "breaching_soon"},
    {TicketView::kComplaints, "complaints"},
}};
}  // namespace

std::string_view to_string(TicketView v) {
  for (const auto& [view, name] : kViewNames)
    if (view == v) return name;
  return "all_open";
}

std::optional<TicketView> parse_ticket_view(std::string_view s) {
  for (const auto& [view, name] : kViewNames)
    if (name == s) return view;
  return std::nullopt;
}

}  // namespace sb

namespace sb::sqlite {

namespace json = boost::json;

namespace {

constexpr std::string_view kOpenStatuses = "('new', 'open', 'pending_customer', 'on_hold')";

// AgentScope::covers in SQL; ?2 is the agent, ?5 and ?6 the scope's inboxes and teams.
std::string scope_sql(const sql::Connection& db, const AgentScope& scope) {
  if (scope.unrestricted()) return "";
  return "AND (c.assignee_id IS NOT DISTINCT FROM ?2 OR ((?5 = '[]' OR c.inbox_id " +
         in_json_list(db, "?5") + ") AND (?6 = '[]' OR c.team_id IS NULL OR c.team_id " +
         in_json_list(db, "?6") + "))) ";
}

// Tickets whose live complaint is not resolved yet (a workspace has few of them).
constexpr std::string_view kOpenComplaint =
    "AND c.id IN (SELECT conversation_id FROM complaint WHERE workspace_id = ?1 "
    "AND status = 'open') ";

std::string view_sql(TicketView v) {
  std::string open = "AND c.ticket_status IN " + std::string(kOpenStatuses) + " ";
  switch (v) {
    case TicketView::kAllOpen:
      return open;
    case TicketView::kMineOpen:
      return open + "AND c.assignee_id = ?2 ";
    case TicketView::kUnassigned:
      return open + "AND c.assignee_id IS NULL ";
    case TicketView::kPending:
      return "AND c.ticket_status = 'pending_customer' ";
    case TicketView::kFollowUpDue:
      return open + "AND c.follow_up_at <= ?3 ";
    case TicketView::kSolved:
      return "AND c.ticket_status = 'solved' ";
    case TicketView::kClosed:
      return "AND c.ticket_status = 'closed' ";
    case TicketView::kAll:
      return "";
    case TicketView::kBreachingSoon:  // joined with ticket_sla s (breaching_join)
      return open + "AND s.workspace_id = ?1 AND s.at_risk_at <= ?3 ";
    case TicketView::kComplaints:  // few among many: the complaints drive the query
      return std::string(kOpenComplaint);
  }
  return open;
}

// The breaching-soon view reads the SLA runner's watch; the other views, the ticket alone.
constexpr std::string_view kBreachingJoin = "JOIN ticket_sla s ON s.conversation_id = c.id ";

constexpr std::size_t kViewCount = 10;
constexpr int kFinishedCountCap = 10'000;

void bind_scope(sql::Statement& s, const AgentScope& scope) {
  if (scope.unrestricted()) return;
  s.bind(5, json::serialize(json::value_from(scope.inboxes)))
      .bind(6, json::serialize(json::value_from(scope.teams)));
}

std::string like_pattern(const std::string& text) {
  std::string out = "%";
  for (char ch : text) {
    if (ch == '%' || ch == '_' || ch == '\\') out += '\\';
    out += ch;
  }
  return out + "%";
}

Event insert_note(sql::Connection& db, Id ws, Id id, const Notice& n, const Author& by,
                  Millis now) {
  NewEvent e{ws, id, "note", by, n.text, "", {}};
  e.notice = n.json();
  return insert_event(db, e, now);
}

// "... by <name>" in the English text, and the name for the console to translate with.
Notice by_agent(Notice n, const Author& by) {
  if (!by.name.empty()) {
    n.text += " by " + by.name;
    n.args["by"] = by.name;
  }
  return n;
}

json::array strings(const std::vector<std::string>& v) {
  json::array a;
  for (const auto& s : v) a.emplace_back(s);
  return a;
}

std::vector<std::string> apply_tags(const std::vector<std::string>& now, const TicketChange& c) {
  auto tags = c.tags.value_or(now);
  for (const auto& t : c.add_tags)
    if (std::find(tags.begin(), tags.end(), t) == tags.end()) tags.push_back(t);
  std::erase_if(tags, [&](const std::string& t) {
    return std::find(c.remove_tags.begin(), c.remove_tags.end(), t) != c.remove_tags.end();
  });
  return tags;
}

std::vector<std::string> minus(const std::vector<std::string>& a,
                               const std::vector<std::string>& b) {
  std::vector<std::string> out;
  for (const auto& x : a)
    if (std::find(b.begin(), b.end(), x) == b.end()) out.push_back(x);
  return out;
}

json::value id_or_null(const std::optional<Id>& v) {
  return v ? json::value(*v) : nullptr;
}

TicketFieldDef read_field(const sql::Statement& q) {
  constexpr const auto& c = kTicketFieldColumns;
  TicketFieldDef f;
  f.id = q.int64(c["id"]);
  f.workspace_id = q.int64(c["workspace_id"]);
  f.key = q.text(c["key"]);
  f.label = q.text(c["label"]);
  f.type = q.text(c["type"]);
  f.options = parse_strings(q.text(c["options"]));
  f.required = q.int64(c["required"]) != 0;
  f.position = static_cast<int>(q.int64(c["position"]));
  f.created_at = q.int64(c["created_at"]);
  return f;
}

void set_column(sql::Connection& db, Id id, std::string_view column,
                const std::function<void(sql::Statement&)>& bind, Millis now) {
  sql::Statement q(db, "UPDATE conversation SET " + std::string(column) +
                           " = ?1, version = version + 1, updated_at = ?2 WHERE id = ?3");
  bind(q);
  q.bind(2, now).bind(3, id).run();
}

}  // namespace

std::vector<Conversation> SqlStore::list_tickets(Id ws, const TicketQuery& q) {
  return read([&](sql::Connection& db) {
    bool breaching = q.view == TicketView::kBreachingSoon;
    std::string where = std::string(breaching ? kBreachingJoin : "") +
                        "WHERE c.workspace_id = ?1 AND c.ticket_status IS NOT NULL " +
                        view_sql(q.view) + scope_sql(db, q.scope);
    if (q.status) where += "AND c.ticket_status = ?4 ";
    if (q.priority) where += "AND c.ticket_priority = ?7 ";
    if (!q.tag.empty())
      where += db.pick("AND EXISTS (SELECT 1 FROM json_each(c.ticket_tags) WHERE value = ?8) ",
                       "AND c.ticket_tags @> jsonb_build_array(CAST(?8 AS text)) ");
    if (q.inbox) where += "AND c.inbox_id = ?9 ";
    if (q.assignee) where += "AND c.assignee_id IS NOT DISTINCT FROM ?10 ";
    if (!q.text.empty()) where += "AND lower(c.subject) LIKE lower(?11) ESCAPE '\\' ";
    if (breaching) {
      // The least time left first (overdue ones lead); pages go on after (due_at, id).
      if (q.before) where += "AND (s.due_at > ?12 OR (s.due_at = ?12 AND c.id > ?13)) ";
      where += "ORDER BY s.due_at, c.id LIMIT ?14";
    } else {
      if (q.before) where += "AND (c.updated_at < ?12 OR (c.updated_at = ?12 AND c.id < ?13)) ";
      where += "ORDER BY c.updated_at DESC, c.id DESC LIMIT ?14";
    }
    return load_conversations(db, where, [&](sql::Statement& s) {
      s.bind(1, ws).bind(2, q.agent_id).bind(3, q.now);
      if (q.status) s.bind(4, to_string(*q.status));
      bind_scope(s, q.scope);
      if (q.priority) s.bind(7, to_string(*q.priority));
      s.bind(8, q.tag).bind(9, q.inbox.value_or(0));
      if (q.assignee) s.bind(10, *q.assignee);
      s.bind(11, like_pattern(q.text));
      if (q.before) s.bind(12, q.before->first).bind(13, q.before->second);
      s.bind(14, q.limit);
    });
  });
}

TicketCounts SqlStore::ticket_counts(Id ws, const TicketQuery& q, int top_tags) {
  return read([&](sql::Connection& db) {
    TicketCounts out;
    std::array<std::int64_t, kViewCount> n{};
    auto bind = [&](sql::Statement& s) {
      s.bind(1, ws).bind(2, q.agent_id).bind(3, q.now);
      bind_scope(s, q.scope);
    };
    // Open tickets (an index range; what agents work on is few): one pass, grouped by
    // what the views ask, the views being sums of the groups.
    sql::Statement s(
        db,
        "SELECT c.ticket_status, c.assignee_id IS NOT NULL AND c.assignee_id = ?2, "
        "c.assignee_id IS NULL, c.follow_up_at IS NOT NULL AND c.follow_up_at <= ?3, "
        "COUNT(*) FROM conversation c WHERE c.workspace_id = ?1 AND c.ticket_status IN " +
            std::string(kOpenStatuses) + " " + scope_sql(db, q.scope) + "GROUP BY 1, 2, 3, 4");
    bind(s);
    auto add = [&](TicketView v, std::int64_t k) { n[static_cast<std::size_t>(v)] += k; };
    while (s.step()) {
      auto status = parse_ticket_status(s.text(0)).value_or(TicketStatus::kOpen);
      bool mine = s.int64(1) != 0, nobody = s.int64(2) != 0, due = s.int64(3) != 0;
      auto k = s.int64(4);
      add(TicketView::kAll, k);
      add(TicketView::kAllOpen, k);
      if (mine) add(TicketView::kMineOpen, k);
      if (nobody) add(TicketView::kUnassigned, k);
      if (due) add(TicketView::kFollowUpDue, k);
      if (status == TicketStatus::kPendingCustomer) add(TicketView::kPending, k);
    }
    // Finished tickets pile up for years: counted up to a cap, so the count stays cheap.
    for (auto [view, status] :
         {std::pair{TicketView::kSolved, "solved"}, {TicketView::kClosed, "closed"}}) {
      sql::Statement f(
          db,
          "SELECT COUNT(*) FROM (SELECT 1 FROM conversation c WHERE c.workspace_id = ?1 "
          "AND c.ticket_status = ?4 AND ?2 = ?2 AND ?3 = ?3 " +
              scope_sql(db, q.scope) + "LIMIT " + std::to_string(kFinishedCountCap) + ") AS f");
      bind(f);
      f.bind(4, status);
      f.step();
      add(view, f.int64(0));
      add(TicketView::kAll, f.int64(0));
    }
    // Breaching soon: the watch index's range up to now, joined with the open tickets.
    sql::Statement b(
        db,
        "SELECT COUNT(*) FROM ticket_sla s JOIN conversation c ON c.id = s.conversation_id "
        "WHERE s.workspace_id = ?1 AND s.at_risk_at <= ?3 AND c.workspace_id = ?1 AND "
        "c.ticket_status IN " +
            std::string(kOpenStatuses) + " AND ?2 = ?2 " + scope_sql(db, q.scope));
    bind(b);
    b.step();
    add(TicketView::kBreachingSoon, b.int64(0));
    sql::Statement complaints(db,
                              "SELECT COUNT(*) FROM conversation c WHERE c.workspace_id = ?1 AND "
                              "c.ticket_status IS NOT NULL AND ?2 = ?2 AND ?3 = ?3 " +
                                  std::string(kOpenComplaint) + scope_sql(db, q.scope));
    bind(complaints);
    complaints.step();
    add(TicketView::kComplaints, complaints.int64(0));
    for (std::size_t i = 0; i < n.size(); ++i)
      out.views.emplace_back(static_cast<TicketView>(i), n[i]);
    sql::Statement t(db, "SELECT j.value, COUNT(*) FROM conversation c, " +
                             std::string(db.pick("json_each(c.ticket_tags) j",
                                                 "jsonb_array_elements_text(c.ticket_tags) j")) +
                             " WHERE c.workspace_id = ?1 AND c.ticket_status IN " +
                             std::string(kOpenStatuses) + " AND ?2 = ?2 AND ?3 = ?3 " +
                             scope_sql(db, q.scope) +
                             "GROUP BY j.value ORDER BY 2 DESC, 1 LIMIT ?4");
    bind(t);
    t.bind(4, top_tags);
    while (t.step()) out.tags.emplace_back(t.text(0), t.int64(1));
    return out;
  });
}

// Records one change per event with the conversation as it ends up.
Conversation SqlStore::note_changes(sql::Connection& db, Id ws, Id id,
                                    const std::vector<Notice>& notes, const Author& by,
                                    std::vector<Event> events) {
  Millis now = clock_();
  for (const auto& n : notes) events.push_back(insert_note(db, ws, id, by_agent(n, by), by, now));
  auto updated = must_load_conversation(db, ws, id);
  for (auto& e : events) record({updated, std::move(e), false});
  return updated;
}

Conversation SqlStore::update_ticket(Id ws, Id id, const TicketChange& c, const Author& by) {
  return write([&](sql::Connection& db) {
    auto conv = must_load_conversation(db, ws, id);
    if (!conv.ticket)
      throw StoreError(StoreError::Code::kNotFound, "ticket " + std::to_string(id) + " not found");
    auto& t = *conv.ticket;
    Millis now = clock_();
    std::vector<Notice> notes;
    std::vector<Event> events;
    if (c.subject && *c.subject != conv.subject) {
      set_column(
          db, id, "subject", [&](sql::Statement& q) { q.bind(1, *c.subject); }, now);
      notes.push_back({"Subject changed", "ticket_subject", {{"subject", *c.subject}}});
    }
    if (c.priority && *c.priority != t.priority) {
      set_column(
          db, id, "ticket_priority", [&](sql::Statement& q) { q.bind(1, to_string(*c.priority)); },
          now);
      notes.push_back({"Priority changed to " + std::string(to_string(*c.priority)),
                       "ticket_priority",
                       {{"priority", to_string(*c.priority)}, {"from", to_string(t.priority)}}});
    }
    auto tags = apply_tags(t.tags, c);
    if (tags != t.tags) {
      set_column(
          db, id, "ticket_tags", [&](sql::Statement& q) { q.bind(1, serialize_strings(tags)); },
          now);
      notes.push_back(
          {"Tags changed",
           "ticket_tags",
           {{"added", strings(minus(tags, t.tags))}, {"removed", strings(minus(t.tags, tags))}}});
    }
    if (c.team && *c.team != conv.team_id) {
      set_column(
          db, id, "team_id", [&](sql::Statement& q) { q.bind(1, *c.team); }, now);
      notes.push_back({"Team changed", "ticket_team", {{"team_id", id_or_null(*c.team)}}});
    }
    if (c.assignee && *c.assignee != conv.assignee_id) {
      std::string name;
      if (*c.assignee)
        if (auto a = load_agent(db, ws, **c.assignee)) name = a->name;
      set_column(
          db, id, "assignee_id", [&](sql::Statement& q) { q.bind(1, *c.assignee); }, now);
      notes.push_back(*c.assignee
                          ? Notice{"Assigned to " + name, "ticket_assignee", {{"agent", name}}}
                          : Notice{"Unassigned", "ticket_unassigned", {}});
      conv.assignee_id = *c.assignee;  // a reopen below keeps this one, not the old
    }
    if (!c.custom.empty()) {
      auto custom = t.custom;
      json::array keys;
      for (const auto& [k, v] : c.custom) {
        auto* old = custom.if_contains(k);
        if (v.is_null() ? old == nullptr : (old && *old == v)) continue;
        if (v.is_null())
          custom.erase(k);
        else
          custom[k] = v;
        keys.emplace_back(k);
      }
      if (!keys.empty()) {
        set_column(
            db, id, "ticket_custom", [&](sql::Statement& q) { q.bind(1, json::serialize(custom)); },
            now);
        notes.push_back({"Fields changed", "ticket_fields", {{"keys", keys}}});
      }
    }
    if (c.follow_up_at && *c.follow_up_at != t.follow_up_at) {
      sql::Statement q(db,
                       "UPDATE conversation SET follow_up_at = ?1, follow_up_announced_at = NULL, "
                       "version = version + 1, updated_at = ?2 WHERE id = ?3");
      q.bind(1, *c.follow_up_at).bind(2, now).bind(3, id).run();
      notes.push_back(*c.follow_up_at
                          ? Notice{"Follow-up set", "ticket_follow_up", {{"at", **c.follow_up_at}}}
                          : Notice{"Follow-up cleared", "ticket_follow_up_cleared", {}});
    }
    // Last, so that a ticket solved in the same change is solved with its fields.
    if (c.status && *c.status != t.status)
      events.push_back(write_ticket_status(db, conv, *c.status, by));
    if (notes.empty() && events.empty()) return conv;
    return note_changes(db, ws, id, notes, by, std::move(events));
  });
}

Conversation SqlStore::make_ticket(Id ws, Id id, TicketStatus status,
                                   std::optional<Millis> follow_up_at, const std::string& subject,
                                   const Author& by) {
  return write([&](sql::Connection& db) {
    auto conv = must_load_conversation(db, ws, id);
    if (conv.ticket)
      throw StoreError(StoreError::Code::kConflict,
                       "conversation " + std::to_string(id) + " is a ticket already");
    Millis now = clock_();
    if (conv.status == ConversationStatus::kClosed) reopen(db, conv, now);
    sql::Statement q(db,
                     "UPDATE conversation SET ticket_status = ?1, ticket_priority = 'normal', "
                     "ticket_tags = '[]', follow_up_at = ?2, follow_up_announced_at = NULL, "
                     "subject = CASE WHEN ?3 = '' THEN subject ELSE ?3 END, status = 'open', "
                     "version = version + 1, updated_at = ?4 WHERE id = ?5");
    q.bind(1, to_string(status)).bind(2, follow_up_at).bind(3, subject).bind(4, now).bind(5, id);
    q.run();
    // The SLA replay reads this as the ticket's first status.
    Notice n{
        "Conversation turned into a ticket", "ticket_created", {{"status", to_string(status)}}};
    if (follow_up_at) n.args["follow_up_at"] = *follow_up_at;
    return note_changes(db, ws, id, {n}, by, {});
  });
}

// Merging keeps threading right by moving what threading looks up, not the log:
// the source's Message-IDs (in and out) and its participants move to the target,
// so a reply to any mail of either ticket names a Message-ID that now points at
// the target; the source is closed with `merged_into`, and the lookup of a ticket
// by number (reply address, [#n] in the subject) follows that pointer. The
// source's events stay where they are: seqs are per conversation and gap-free,
// and clients resume by them; both tickets get a note linking the other.
Conversation SqlStore::merge_tickets(Id ws, Id source, Id target, const Author& by) {
  return write([&](sql::Connection& db) {
    auto from = must_load_conversation(db, ws, source);
    auto into = must_load_conversation(db, ws, target);
    if (!from.ticket || !into.ticket)
      throw StoreError(StoreError::Code::kNotFound, "ticket not found");
    if (source == target || from.ticket->merged_into || into.ticket->merged_into)
      throw StoreError(StoreError::Code::kConflict, "these tickets cannot be merged");
    Millis now = clock_();
    sql::Statement ids(db,
                       "UPDATE mail_message SET conversation_id = ?1 WHERE workspace_id = ?2 AND "
                       "conversation_id = ?3");
    ids.bind(1, target).bind(2, ws).bind(3, source).run();
    sql::Statement parts(
        db,
        "INSERT INTO mail_participant (conversation_id, address, name) "
        "SELECT ?1, address, name FROM mail_participant WHERE conversation_id = ?2 "
        "ON CONFLICT DO NOTHING");
    parts.bind(1, target).bind(2, source).run();
    if (from.contact.id != into.contact.id && !from.contact.email.empty()) {
      sql::Statement p(db,
                       "INSERT INTO mail_participant (conversation_id, address, name) "
                       "VALUES (?, ?, ?) ON CONFLICT DO NOTHING");
      p.bind(1, target).bind(2, lower_ascii(from.contact.email)).bind(3, from.contact.name).run();
    }
    TicketChange tags;
    tags.add_tags = from.ticket->tags;
    auto merged_tags = apply_tags(into.ticket->tags, tags);
    set_column(
        db, target, "ticket_tags",
        [&](sql::Statement& q) { q.bind(1, serialize_strings(merged_tags)); }, now);
    set_column(
        db, source, "merged_into", [&](sql::Statement& q) { q.bind(1, target); }, now);
    std::vector<Event> closed;
    if (from.ticket->status != TicketStatus::kClosed)
      closed.push_back(write_ticket_status(db, from, TicketStatus::kClosed, by));
    auto t = "#" + std::to_string(target), s = "#" + std::to_string(source);
    note_changes(db, ws, source,
                 {{"Merged into ticket " + t, "ticket_merged_into", {{"ticket", target}}}}, by,
                 std::move(closed));
    return note_changes(db, ws, target,
                        {{"Ticket " + s + " merged into this one",
                          "ticket_merged_from",
                          {{"ticket", source}, {"subject", from.subject}}}},
                        by, {});
  });
}

Conversation SqlStore::split_ticket(Id ws, Id id, Id event_id, const Author& by) {
  return write([&](sql::Connection& db) {
    auto conv = must_load_conversation(db, ws, id);
    if (!conv.ticket) throw StoreError(StoreError::Code::kNotFound, "ticket not found");
    auto all = load_events(db, ws, id, 0, false, -1);
    auto start =
        std::find_if(all.begin(), all.end(), [&](const Event& e) { return e.id == event_id; });
    if (start == all.end() || start->kind != "message" ||
        start->author.type != AuthorType::kVisitor)
      throw StoreError(StoreError::Code::kInvalid,
                       "event must be a customer message of the ticket");
    Millis now = clock_();
    NewConversation nc{ws, conv.inbox_id, conv.visitor_id,
                       "split-" + std::to_string(id) + "-" + std::to_string(event_id)};
    nc.kind = conv.kind;
    nc.subject = conv.subject;
    nc.language = conv.language;
    TicketFields tf;
    tf.status = TicketStatus::kOpen;
    tf.priority = conv.ticket->priority;
    tf.tags = conv.ticket->tags;
    nc.ticket = tf;
    Id split = insert_conversation(db, nc, conv.contact.id, now);
    std::optional<Event> first;
    for (auto it = start; it != all.end(); ++it) {
      if (it->kind != "message" || it->author.type != AuthorType::kVisitor) continue;
      auto copy =
          insert_event(db, {ws, split, "message", it->author, it->body, "", it->attachments}, now);
      // The customer wrote it then: the new ticket's clocks start from their words.
      sql::Statement at(db, "UPDATE event SET created_at = ? WHERE id = ?");
      at.bind(1, it->created_at).bind(2, copy.id).run();
      copy.created_at = it->created_at;
      // Their mail's Message-ID now names the new ticket: replies to it land there.
      sql::Statement mail(db,
                          "UPDATE mail_message SET conversation_id = ?1, event_id = ?2 "
                          "WHERE workspace_id = ?3 AND event_id = ?4");
      mail.bind(1, split).bind(2, copy.id).bind(3, ws).bind(4, it->id).run();
      if (!first) first = copy;
    }
    sql::Statement created(db, "UPDATE conversation SET created_at = ? WHERE id = ?");
    created.bind(1, start->created_at).bind(2, split).run();
    sql::Statement parts(
        db,
        "INSERT INTO mail_participant (conversation_id, address, name) "
        "SELECT ?1, address, name FROM mail_participant WHERE conversation_id = ?2 "
        "ON CONFLICT DO NOTHING");
    parts.bind(1, split).bind(2, id).run();
    record({must_load_conversation(db, ws, split), first, false, true});
    auto s = "#" + std::to_string(split), o = "#" + std::to_string(id);
    note_changes(db, ws, id, {{"Split into ticket " + s, "ticket_split_to", {{"ticket", split}}}},
                 by, {});
    return note_changes(
        db, ws, split, {{"Split from ticket " + o, "ticket_split_from", {{"ticket", id}}}}, by, {});
  });
}

std::vector<TicketFieldDef> SqlStore::ticket_fields(Id ws) {
  return read([&](sql::Connection& db) {
    return read_rows(
        db,
        "SELECT " + kTicketFieldColumns.list() +
            " FROM ticket_field WHERE workspace_id = ? ORDER BY position, id",
        [&](sql::Statement& q) { q.bind(1, ws); }, read_field);
  });
}

TicketFieldDef SqlStore::save_ticket_field(const TicketFieldDef& f) {
  return write([&](sql::Connection& db) {
    sql::Statement taken(
        db, "SELECT 1 FROM ticket_field WHERE workspace_id = ? AND key = ? AND id != ?");
    if (taken.bind(1, f.workspace_id).bind(2, f.key).bind(3, f.id).step())
      throw StoreError(StoreError::Code::kConflict, "key is taken");
    Id id = f.id;
    if (f.id == 0) {
      sql::Statement q(
          db,
          "INSERT INTO ticket_field (workspace_id, key, label, type, options, required, "
          "position, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
      q.bind(1, f.workspace_id).bind(2, f.key).bind(3, f.label).bind(4, f.type);
      q.bind(5, serialize_strings(f.options)).bind(6, f.required ? 1 : 0).bind(7, f.position);
      q.bind(8, clock_()).step();
      id = q.int64(0);
      q.run();
    } else {
      sql::Statement q(
          db,
          "UPDATE ticket_field SET key = ?, label = ?, type = ?, options = ?, required = ?, "
          "position = ? WHERE workspace_id = ? AND id = ?");
      q.bind(1, f.key).bind(2, f.label).bind(3, f.type).bind(4, serialize_strings(f.options));
      q.bind(5, f.required ? 1 : 0).bind(6, f.position).bind(7, f.workspace_id).bind(8, f.id).run();
      if (q.affected() == 0) throw StoreError(StoreError::Code::kNotFound, "field not found");
    }
    sql::Statement q(db,
                     "SELECT " + kTicketFieldColumns.list() + " FROM ticket_field WHERE id = ?");
    q.bind(1, id).step();
    return read_field(q);
  });
}

void SqlStore::delete_ticket_field(Id ws, Id id) {
  write([&](sql::Connection& db) {
    sql::Statement q(db, "DELETE FROM ticket_field WHERE workspace_id = ? AND id = ?");
    q.bind(1, ws).bind(2, id).run();
    if (q.affected() == 0) throw StoreError(StoreError::Code::kNotFound, "field not found");
    return 0;
  });
}

std::vector<Conversation> SqlStore::announce_due_follow_ups(Millis now, int limit) {
  // A read first: the timer asks every few seconds, and most often nothing is due.
  bool any = read([&](sql::Connection& db) {
    sql::Statement q(db,
                     "SELECT 1 FROM conversation WHERE follow_up_at IS NOT NULL AND "
                     "follow_up_announced_at IS NULL AND follow_up_at <= ? LIMIT 1");
    return q.bind(1, now).step();
  });
  if (!any) return {};
  return write([&](sql::Connection& db) {
    std::vector<std::pair<Id, Id>> due;  // workspace, ticket
    {
      sql::Statement q(
          db,
          "SELECT workspace_id, id FROM conversation WHERE follow_up_at IS NOT NULL AND "
          "follow_up_announced_at IS NULL AND follow_up_at <= ? ORDER BY follow_up_at "
          "LIMIT ?");
      q.bind(1, now).bind(2, limit);
      while (q.step()) due.emplace_back(q.int64(0), q.int64(1));
    }
    std::vector<Conversation> out;
    for (auto [ws, id] : due) {
      sql::Statement mark(db, "UPDATE conversation SET follow_up_announced_at = ? WHERE id = ?");
      mark.bind(1, now).bind(2, id).run();
      auto conv = must_load_conversation(db, ws, id);
      // A finished ticket needs no reminder; it is only marked as done.
      if (!conv.ticket || conv.ticket->status == TicketStatus::kSolved ||
          conv.ticket->status == TicketStatus::kClosed)
        continue;
      out.push_back(note_changes(
          db, ws, id,
          {{"Follow-up due", "ticket_follow_up_due", {{"at", *conv.ticket->follow_up_at}}}},
          {AuthorType::kSystem, 0, ""}, {}));
    }
    return out;
  });
}

}  // namespace sb::sqlite
