// Merging two contacts and undoing it: the merge row keeps exactly what moved
// (conversation ids, identities, the fields filled in on the surviving contact),
// and an undo puts back only what is still where the merge left it.
#include <algorithm>

#include "store/contact_queries.h"
#include "store/rows.h"

namespace sb::sqlite::contact_queries {

namespace json = boost::json;

namespace {

struct Row {
  ContactFields fields;
  std::optional<Id> merged_into;
  bool erased = false;
};

std::optional<Row> load(sql::Connection& db, Id ws, Id id) {
  sql::Statement q(db,
                   "SELECT name, email, phone, notes, merged_into, erased_at FROM contact "
                   "WHERE workspace_id = ? AND id = ?");
  q.bind(1, ws).bind(2, id);
  if (!q.step()) return std::nullopt;
  Row r{{q.text(0), q.text(1), q.text(2), q.text(3)}, std::nullopt, !q.is_null(5)};
  if (!q.is_null(4)) r.merged_into = q.int64(4);
  return r;
}

Row must_load(sql::Connection& db, Id ws, Id id) {
  auto r = load(db, ws, id);
  if (!r)
    throw StoreError(StoreError::Code::kNotFound, "contact " + std::to_string(id) + " not found");
  return *r;
}

std::optional<std::string> unusable(const Row& r, Id id) {
  auto who = "contact " + std::to_string(id);
  if (r.erased) return who + " was erased";
  if (r.merged_into) return who + " was merged into contact " + std::to_string(*r.merged_into);
  return std::nullopt;
}

json::object fields_json(const ContactFields& f) {
  return {{"name", f.name}, {"email", f.email}, {"phone", f.phone}, {"notes", f.notes}};
}

ContactFields fields_of(const json::value& v) {
  auto get = [&](std::string_view k) -> std::string {
    const auto* o = v.if_object();
    const auto* s = o ? o->if_contains(k) : nullptr;
    return s && s->is_string() ? std::string(s->as_string()) : "";
  };
  return {get("name"), get("email"), get("phone"), get("notes")};
}

// `into` keeps what it has; what it lacks comes from `from`; notes are kept both.
ContactFields combined(const ContactFields& into, const ContactFields& from) {
  ContactFields f = into;
  if (f.name.empty()) f.name = from.name;
  if (f.email.empty()) f.email = from.email;
  if (f.phone.empty()) f.phone = from.phone;
  if (f.notes.empty())
    f.notes = from.notes;
  else if (!from.notes.empty())
    f.notes += "\n\n" + from.notes;
  return f;
}

void write_fields(sql::Connection& db, Id ws, Id id, const ContactFields& f) {
  sql::Statement q(db,
                   "UPDATE contact SET name = ?, email = ?, phone = ?, notes = ? "
                   "WHERE workspace_id = ? AND id = ?");
  q.bind(1, f.name).bind(2, f.email).bind(3, f.phone).bind(4, f.notes).bind(5, ws).bind(6, id);
  q.run();
}

void move_conversations(sql::Connection& db, Id ws, const std::vector<Id>& ids, Id to) {
  for (Id c : ids) {
    sql::Statement q(db,
                     "UPDATE conversation SET contact_id = ?, version = version + 1 "
                     "WHERE workspace_id = ? AND id = ?");
    q.bind(1, to).bind(2, ws).bind(3, c).run();
  }
}

void move_identities(sql::Connection& db, Id ws, const std::vector<ContactIdentity>& ids, Id to) {
  for (const auto& i : ids) {
    sql::Statement q(db,
                     "UPDATE identity SET contact_id = ? WHERE workspace_id = ? AND kind = ? "
                     "AND value = ?");
    q.bind(1, to).bind(2, ws).bind(3, i.kind).bind(4, i.value).run();
  }
}

std::vector<Id> conversations_of(sql::Connection& db, Id ws, Id contact) {
  sql::Statement q(
      db, "SELECT id FROM conversation WHERE workspace_id = ? AND contact_id = ? ORDER BY id");
  q.bind(1, ws).bind(2, contact);
  std::vector<Id> out;
  while (q.step()) out.push_back(q.int64(0));
  return out;
}

Id insert_merge(sql::Connection& db, const ContactMerge& m) {
  json::array convs(m.conversations.begin(), m.conversations.end()), ids;
  for (const auto& i : m.identities)
    ids.push_back(json::array{json::value(i.kind), json::value(i.value)});
  sql::Statement q(
      db,
      "INSERT INTO contact_merge (workspace_id, into_id, from_id, by_agent_id, at, "
      "conversations, identities, into_before, into_after) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
      "RETURNING id");
  q.bind(1, m.workspace_id).bind(2, m.into_id).bind(3, m.from_id).bind(4, m.by_agent).bind(5, m.at);
  q.bind(6, json::serialize(convs)).bind(7, json::serialize(ids));
  q.bind(8, json::serialize(fields_json(m.into_before)));
  q.bind(9, json::serialize(fields_json(m.into_after)));
  q.step();
  return q.int64(0);
}

std::optional<ContactMerge> load_merge(sql::Connection& db, Id ws, Id id) {
  sql::Statement q(
      db,
      "SELECT into_id, from_id, by_agent_id, at, conversations, identities, into_before, "
      "into_after, undone_at FROM contact_merge WHERE workspace_id = ? AND id = ?");
  q.bind(1, ws).bind(2, id);
  if (!q.step()) return std::nullopt;
  ContactMerge m{id, ws, q.int64(0), q.int64(1), q.int64(2), q.int64(3)};
  auto convs = parse_or(q.text(4), json::array{});
  auto ids = parse_or(q.text(5), json::array{});
  if (convs.is_array())
    for (const auto& v : convs.as_array())
      if (v.is_int64()) m.conversations.push_back(v.as_int64());
  if (ids.is_array())
    for (const auto& v : ids.as_array())
      if (v.is_array() && v.as_array().size() == 2 && v.as_array()[0].is_string() &&
          v.as_array()[1].is_string())
        m.identities.push_back(
            {std::string(v.as_array()[0].as_string()), std::string(v.as_array()[1].as_string())});
  m.into_before = fields_of(parse_or(q.text(6), nullptr));
  m.into_after = fields_of(parse_or(q.text(7), nullptr));
  if (!q.is_null(8)) m.undone_at = q.int64(8);
  return m;
}

std::string identity_words(const ContactIdentity& i) {
  return (i.kind == "email"   ? "the e-mail address "
          : i.kind == "phone" ? "the phone number "
                              : "the visitor id ") +
         i.value;
}

// Why undoing `m` would not put things back as they were, if it would not.
std::optional<std::string> undo_blocker(sql::Connection& db, const ContactMerge& m) {
  auto into = load(db, m.workspace_id, m.into_id);
  auto from = load(db, m.workspace_id, m.from_id);
  if (!into || !from) return "a contact of this merge no longer exists";
  if (auto why = unusable(*into, m.into_id)) return *why + " since; undo that first";
  if (from->erased) return "contact " + std::to_string(m.from_id) + " was erased since";
  if (from->merged_into != m.into_id)
    return "contact " + std::to_string(m.from_id) + " has changed since";
  for (Id c : m.conversations) {
    sql::Statement q(db, "SELECT contact_id FROM conversation WHERE workspace_id = ? AND id = ?");
    q.bind(1, m.workspace_id).bind(2, c);
    if (!q.step()) return "conversation " + std::to_string(c) + " was deleted since";
    if (q.int64(0) != m.into_id)
      return "conversation " + std::to_string(c) + " has moved to contact " +
             std::to_string(q.int64(0)) + " since";
  }
  for (const auto& i : m.identities) {
    sql::Statement q(
        db, "SELECT contact_id FROM identity WHERE workspace_id = ? AND kind = ? AND value = ?");
    q.bind(1, m.workspace_id).bind(2, i.kind).bind(3, i.value);
    if (!q.step()) return identity_words(i) + " was removed from the contact since";
    if (q.int64(0) != m.into_id)
      return identity_words(i) + " now belongs to contact " + std::to_string(q.int64(0));
  }
  return std::nullopt;
}

// A field the merge filled in goes back, unless an agent has changed it since.
ContactFields restored(const ContactFields& now, const ContactMerge& m) {
  auto back = [](const std::string& cur, const std::string& after, const std::string& before) {
    return cur == after ? before : cur;
  };
  return {back(now.name, m.into_after.name, m.into_before.name),
          back(now.email, m.into_after.email, m.into_before.email),
          back(now.phone, m.into_after.phone, m.into_before.phone),
          back(now.notes, m.into_after.notes, m.into_before.notes)};
}

}  // namespace

namespace {

// Two nodes merging the same record, or undoing one merge twice, take turns on
// PostgreSQL: the contacts are locked (in id order) before they are read.
void lock_contacts(sql::Connection& db, Id ws, Id x, Id y) {
  lock_row(db, "contact", ws, std::min(x, y));
  if (x != y) lock_row(db, "contact", ws, std::max(x, y));
}

}  // namespace

Outcome<Moved> merge(sql::Connection& db, Id ws, Id into, Id from, Id by, Millis now) {
  lock_contacts(db, ws, into, from);
  auto a = must_load(db, ws, into);
  auto b = must_load(db, ws, from);
  if (auto why = unusable(a, into)) return Refused{Refusal::kMerged, *why};
  if (auto why = unusable(b, from)) return Refused{Refusal::kMerged, *why};
  ContactMerge m{0, ws, into, from, by, now};
  m.conversations = conversations_of(db, ws, from);
  m.identities = identities(db, ws, from);
  m.into_before = a.fields;
  m.into_after = combined(a.fields, b.fields);
  move_conversations(db, ws, m.conversations, into);
  move_identities(db, ws, m.identities, into);
  write_fields(db, ws, into, m.into_after);
  sql::Statement hide(db, "UPDATE contact SET merged_into = ? WHERE workspace_id = ? AND id = ?");
  hide.bind(1, into).bind(2, ws).bind(3, from).run();
  m.id = insert_merge(db, m);
  return Moved{m, m.conversations};
}

Outcome<Moved> undo(sql::Connection& db, Id ws, Id id, Millis now) {
  auto m = load_merge(db, ws, id);
  if (!m) throw StoreError(StoreError::Code::kNotFound, "merge not found");
  lock_contacts(db, ws, m->into_id, m->from_id);
  m = load_merge(db, ws, id);  // as the undo before ours (if any) left it
  if (m->undone_at) return Refused{Refusal::kMerged, "this merge was undone already"};
  if (auto why = undo_blocker(db, *m)) return Refused{Refusal::kUndoUnsafe, *why};
  move_conversations(db, ws, m->conversations, m->from_id);
  move_identities(db, ws, m->identities, m->from_id);
  write_fields(db, ws, m->into_id, restored(must_load(db, ws, m->into_id).fields, *m));
  sql::Statement show(db,
                      "UPDATE contact SET merged_into = NULL WHERE workspace_id = ? AND id = ?");
  show.bind(1, ws).bind(2, m->from_id).run();
  sql::Statement done(db,
                      "UPDATE contact_merge SET undone_at = ? WHERE workspace_id = ? AND id = ?");
  done.bind(1, now).bind(2, ws).bind(3, id).run();
  m->undone_at = now;
  return Moved{*m, m->conversations};
}

std::vector<Contact> merged_into(sql::Connection& db, Id ws, Id contact) {
  sql::Statement q(
      db,
      "WITH RECURSIVE m(id) AS (SELECT id FROM contact WHERE workspace_id = ?1 AND "
      "merged_into = ?2 UNION SELECT c.id FROM contact c JOIN m ON c.merged_into = m.id "
      "WHERE c.workspace_id = ?1) "
      "SELECT c.id, c.name, c.email, c.phone, c.created_at, c.notes FROM contact c JOIN m "
      "ON c.id = m.id ORDER BY c.id");
  q.bind(1, ws).bind(2, contact);
  std::vector<Contact> out;
  while (q.step())
    out.push_back({q.int64(0), ws, q.text(1), q.text(2), q.text(3), q.int64(4), q.text(5)});
  return out;
}

void forget_merges(sql::Connection& db, Id ws, const std::vector<Id>& contacts) {
  for (Id c : contacts) {
    sql::Statement q(
        db, "DELETE FROM contact_merge WHERE workspace_id = ?1 AND (into_id = ?2 OR from_id = ?2)");
    q.bind(1, ws).bind(2, c).run();
  }
}

}  // namespace sb::sqlite::contact_queries
