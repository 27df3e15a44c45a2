#include "store/contact_queries.h"

#include "store/rows.h"

namespace sb::sqlite::contact_queries {

namespace json = boost::json;

namespace {

std::optional<Id> owner(sql::Connection& db, Id ws, std::string_view kind,
                        const std::string& value) {
  if (value.empty()) return std::nullopt;
  sql::Statement q(
      db, "SELECT contact_id FROM identity WHERE workspace_id = ? AND kind = ? AND value = ?");
  q.bind(1, ws).bind(2, kind).bind(3, value);
  if (q.step()) return q.int64(0);
  return std::nullopt;
}

void link(sql::Connection& db, Id ws, std::string_view kind, const std::string& value, Id contact) {
  if (value.empty()) return;
  sql::Statement q(db,
                   "INSERT INTO identity (workspace_id, kind, value, contact_id) "
                   "VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING");
  q.bind(1, ws).bind(2, kind).bind(3, value).bind(4, contact).run();
}

// Whether the contact already has an identity of this kind other than `value`.
bool has_other(sql::Connection& db, Id ws, Id contact, std::string_view kind,
               const std::string& value) {
  if (value.empty()) return false;
  sql::Statement q(db,
                   "SELECT 1 FROM identity WHERE workspace_id = ? AND contact_id = ? AND kind = ? "
                   "AND value != ? LIMIT 1");
  q.bind(1, ws).bind(2, contact).bind(3, kind).bind(4, value);
  return q.step();
}

// The scope rule of AgentScope::covers on conversation `c`, in SQL: ?7 the agent,
// ?8 its inboxes, ?9 its teams (empty lists: everything).
std::string covers(const sql::Connection& db) {
  return "(c.assignee_id IS NOT DISTINCT FROM ?7 OR ((?8 = '[]' OR c.inbox_id " +
         in_json_list(db, "?8") + ") AND (?9 = '[]' OR c.team_id IS NULL OR c.team_id " +
         in_json_list(db, "?9") + ")))";
}

void bind_scope(sql::Statement& q, const ContactQuery& s) {
  q.bind(7, s.agent_id)
      .bind(8, json::serialize(json::value_from(s.scope.inboxes)))
      .bind(9, json::serialize(json::value_from(s.scope.teams)))
      .bind(10, s.scope.unrestricted() ? 1 : 0);
}

std::string channel_sql(sql::Connection& db) {
  return "CASE WHEN c.kind = 'offline' AND " +
         std::string(db.pick("json_extract(c.meta, '$.source')", "c.meta->>'source'")) +
         " = 'help_center' THEN 'help_center' ELSE c.kind END";
}

void read_counts(sql::Connection& db, Id ws, ContactProfile& p, const ContactQuery& scope) {
  sql::Statement q(db, "SELECT " + channel_sql(db) +
                           ", COUNT(*), SUM(CASE WHEN c.status = 'open' THEN 1 ELSE 0 END), "
                           "MAX(c.updated_at) "
                           "FROM conversation c WHERE c.workspace_id = ?1 AND c.contact_id = ?2 "
                           "AND " +
                           covers(db) + " AND ?10 = ?10 GROUP BY 1 ORDER BY 2 DESC, 1");
  q.bind(1, ws).bind(2, p.contact.id);
  bind_scope(q, scope);
  while (q.step()) {
    int n = static_cast<int>(q.int64(1));
    p.channels.push_back({q.text(0), n});
    p.conversations += n;
    p.open_conversations += static_cast<int>(q.int64(2));
    Millis last = q.int64(3);
    if (!p.last_activity_at || last > *p.last_activity_at) p.last_activity_at = last;
  }
}

std::string digits_of(const std::string& text) {
  std::string d;
  for (char c : text) {
    if (c >= '0' && c <= '9')
      d.push_back(c);
    else if (c != ' ' && c != '-' && c != '(' && c != ')' && c != '+')
      return "";  // not a phone number
  }
  return d.size() >= 3 ? d : "";
}

}  // namespace

// Who a conversation belongs to is decided by what the customer told us, strongest
// first: the e-mail address, then the phone number (unless its contact has another
// address than the one typed), then the browser's visitor id.
// A visitor id is weak evidence (a shared computer), so when the visitor's contact
// already has another address or number than the one typed, it is someone else:
// a new contact. Nothing here shows the customer anything: merging what belongs
// together is the agents' call (ContactStore::merge_contacts).
Id resolve(sql::Connection& db, Id ws, const NewConversation& c, Millis now) {
  std::string email = normalize_email(c.email);
  if (!is_valid_email(email)) email.clear();
  std::string phone = normalize_phone(c.phone);
  auto contact = owner(db, ws, "email", email);
  // A number shared with someone who has another address (a household, an office)
  // does not make the writer that someone: replies go to the contact's address.
  if (!contact)
    if (auto by_phone = owner(db, ws, "phone", phone);
        by_phone && !has_other(db, ws, *by_phone, "email", email))
      contact = by_phone;
  if (!contact) {
    contact = owner(db, ws, "visitor", c.visitor_id);
    if (contact && (has_other(db, ws, *contact, "email", email) ||
                    has_other(db, ws, *contact, "phone", phone)))
      contact.reset();
  }
  // The shown address and number are ones the contact has (not another's).
  auto own = [&](std::string_view kind, const std::string& value) {
    auto o = owner(db, ws, kind, value);
    return !o || (contact && *o == *contact) ? value : std::string();
  };
  std::string shown_email = own("email", email), shown_phone = own("phone", phone);
  if (!contact) {
    sql::Statement ins(db,
                       "INSERT INTO contact (workspace_id, name, email, phone, created_at) "
                       "VALUES (?, ?, ?, ?, ?) RETURNING id");
    ins.bind(1, ws).bind(2, c.name).bind(3, shown_email).bind(4, shown_phone).bind(5, now);
    ins.step();
    contact = ins.int64(0);
  } else {
    // Fill what we did not know yet; never overwrite what the customer told us before.
    // A merge committed meanwhile (another node; this UPDATE waited for its lock)
    // made the record part of another: the conversation joins that one.
    for (int hops = 0; hops < 8; ++hops) {
      sql::Statement up(db,
                        "UPDATE contact SET name = CASE WHEN name = '' THEN ? ELSE name END, "
                        "email = CASE WHEN email = '' THEN ? ELSE email END, "
                        "phone = CASE WHEN phone = '' THEN ? ELSE phone END WHERE id = ? "
                        "RETURNING merged_into");
      up.bind(1, c.name).bind(2, shown_email).bind(3, shown_phone).bind(4, *contact);
      if (!up.step() || up.is_null(0)) break;
      contact = up.int64(0);
    }
  }
  // A help-center form's visitor id is made up per form: nobody's browser.
  const auto* source = c.meta.if_contains("source");
  if (!(source && source->is_string() && source->as_string() == "help_center"))
    link(db, ws, "visitor", c.visitor_id, *contact);
  link(db, ws, "email", email, *contact);
  link(db, ws, "phone", phone, *contact);
  return *contact;
}

std::vector<ContactIdentity> identities(sql::Connection& db, Id ws, Id contact) {
  sql::Statement q(db,
                   "SELECT kind, value FROM identity WHERE workspace_id = ? AND contact_id = ? "
                   "ORDER BY CASE kind WHEN 'email' THEN 0 WHEN 'phone' THEN 1 ELSE 2 END, value");
  q.bind(1, ws).bind(2, contact);
  std::vector<ContactIdentity> out;
  while (q.step()) out.push_back({q.text(0), q.text(1)});
  return out;
}

std::optional<ContactProfile> profile(sql::Connection& db, Id ws, Id id,
                                      const ContactQuery& scope) {
  sql::Statement q(db,
                   "SELECT name, email, phone, created_at, erased_at, notes, merged_into "
                   "FROM contact WHERE workspace_id = ? AND id = ?");
  q.bind(1, ws).bind(2, id);
  if (!q.step()) return std::nullopt;
  ContactProfile p;
  p.contact = {id, ws, q.text(0), q.text(1), q.text(2), q.int64(3)};
  if (!q.is_null(4)) p.erased_at = q.int64(4);
  p.contact.notes = q.text(5);
  if (!q.is_null(6)) p.merged_into = q.int64(6);
  p.identities = identities(db, ws, id);
  read_counts(db, ws, p, scope);
  return p;
}

std::vector<Id> search(sql::Connection& db, Id ws, const ContactQuery& query) {
  std::string text = lower_ascii(trim(query.text));
  std::string instr(db.pick("instr(", "strpos("));
  sql::Statement q(
      db,
      "SELECT ct.id FROM contact ct WHERE ct.workspace_id = ?1 AND ct.merged_into IS NULL "
      "AND ct.erased_at IS NULL AND (?2 = 0 OR ct.id < ?2) "
      "AND (?3 = '' OR " +
          instr +
          "lower(ct.name), ?3) > 0 "
          "  OR EXISTS (SELECT 1 FROM identity i WHERE i.workspace_id = ?1 AND i.contact_id = "
          "ct.id "
          "    AND i.kind = 'email' AND " +
          instr +
          "i.value, ?3) > 0) "
          "  OR (?4 != '' AND EXISTS (SELECT 1 FROM identity i WHERE i.workspace_id = ?1 "
          "    AND i.contact_id = ct.id AND i.kind = 'phone' AND " +
          instr +
          "i.value, ?4) > 0))) "
          "AND (?10 = 1 OR EXISTS (SELECT 1 FROM conversation c WHERE c.workspace_id = ?1 "
          "  AND c.contact_id = ct.id AND " +
          covers(db) + ")) ORDER BY ct.id DESC LIMIT ?5");
  q.bind(1, ws).bind(2, query.before_id).bind(3, text).bind(4, digits_of(text));
  q.bind(5, query.limit);
  bind_scope(q, query);
  std::vector<Id> out;
  while (q.step()) out.push_back(q.int64(0));
  return out;
}

std::vector<Conversation> timeline(sql::Connection& db, Id ws, Id contact,
                                   const ContactQuery& page) {
  return load_conversations(db,
                            "WHERE c.workspace_id = ?1 AND c.contact_id = ?2 "
                            "AND (?3 = 0 OR c.id < ?3) AND " +
                                covers(db) + " AND ?10 = ?10 ORDER BY c.id DESC LIMIT ?4",
                            [&](sql::Statement& q) {
                              q.bind(1, ws).bind(2, contact).bind(3, page.before_id);
                              q.bind(4, page.limit);
                              bind_scope(q, page);
                            });
}

namespace {

std::string kind_words(std::string_view kind) {
  return kind == "email"   ? "the e-mail address"
         : kind == "phone" ? "the phone number"
                           : "the visitor id";
}

// The first identity of a kind, for the contact's shown address or number.
void refresh_primary(sql::Connection& db, Id ws, Id id) {
  sql::Statement q(
      db,
      "UPDATE contact SET "
      "email = CASE WHEN email != '' AND EXISTS (SELECT 1 FROM identity WHERE "
      "  workspace_id = ?1 AND contact_id = ?2 AND kind = 'email' AND value = email) "
      "  THEN email ELSE COALESCE((SELECT MIN(value) FROM identity WHERE workspace_id = ?1 "
      "  AND contact_id = ?2 AND kind = 'email'), '') END, "
      "phone = CASE WHEN phone != '' AND EXISTS (SELECT 1 FROM identity WHERE "
      "  workspace_id = ?1 AND contact_id = ?2 AND kind = 'phone' AND value = phone) "
      "  THEN phone ELSE COALESCE((SELECT MIN(value) FROM identity WHERE workspace_id = ?1 "
      "  AND contact_id = ?2 AND kind = 'phone'), '') END "
      "WHERE workspace_id = ?1 AND id = ?2");
  q.bind(1, ws).bind(2, id).run();
}

}  // namespace

Outcome<ContactProfile> update(sql::Connection& db, Id ws, Id id, const ContactChanges& ch) {
  auto before = profile(db, ws, id, {});
  if (!before) throw StoreError(StoreError::Code::kNotFound, "contact not found");
  if (before->merged_into || before->erased_at)
    return Refused{Refusal::kMerged, before->erased_at ? "this contact was erased"
                                                       : "this contact was merged into contact " +
                                                             std::to_string(*before->merged_into)};
  // Every refusal before the first write: a refused edit changes nothing.
  for (const auto& i : ch.add)
    if (auto other = owner(db, ws, i.kind, i.value); other && *other != id)
      return Refused{Refusal::kIdentityTaken, kind_words(i.kind) + " " + i.value +
                                                  " belongs to contact " + std::to_string(*other)};
  if (ch.name) {
    sql::Statement q(db, "UPDATE contact SET name = ? WHERE workspace_id = ? AND id = ?");
    q.bind(1, *ch.name).bind(2, ws).bind(3, id).run();
  }
  if (ch.notes) {
    sql::Statement q(db, "UPDATE contact SET notes = ? WHERE workspace_id = ? AND id = ?");
    q.bind(1, *ch.notes).bind(2, ws).bind(3, id).run();
  }
  for (const auto& i : ch.remove) {
    sql::Statement q(db,
                     "DELETE FROM identity WHERE workspace_id = ? AND contact_id = ? AND kind = ? "
                     "AND value = ?");
    q.bind(1, ws).bind(2, id).bind(3, i.kind).bind(4, i.value).run();
  }
  for (const auto& i : ch.add) link(db, ws, i.kind, i.value, id);
  refresh_primary(db, ws, id);
  return *profile(db, ws, id, {});
}

}  // namespace sb::sqlite::contact_queries

namespace sb {

std::string normalize_phone(std::string_view s) {
  auto t = trim(s);
  if (!is_valid_phone(t)) return "";
  std::string out;
  for (char c : t)
    if ((c >= '0' && c <= '9') || c == '+') out.push_back(c);
  if (out.starts_with("00")) out.replace(0, 2, "+");
  return out;
}

std::string normalize_email(std::string_view s) {
  return lower_ascii(trim(s));
}

}  // namespace sb
