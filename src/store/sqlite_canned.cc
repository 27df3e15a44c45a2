// CannedStore: canned answers and how often each variant was used (P1).
#include "store/sqlite_store.h"

namespace sb::sqlite {

namespace json = boost::json;

namespace {

constexpr Millis kDay = 86'400'000;
constexpr std::string_view kColumns =
    "id, workspace_id, scope, team_id, owner_id, language, shortcut, title, variants, actions, "
    "attachments, created_by, created_at, updated_at";

CannedAnswer read_answer(const sql::Statement& q) {
  CannedAnswer a;
  a.id = q.int64(0);
  a.workspace_id = q.int64(1);
  a.scope = q.text(2);
  a.team_id = q.maybe_int64(3);
  a.owner_id = q.maybe_int64(4);
  a.language = q.text(5);
  a.shortcut = q.text(6);
  a.title = q.text(7);
  auto variants = parse_or(q.text(8), json::array{});
  if (variants.is_array())
    for (const auto& v : variants.as_array())
      if (v.is_string()) a.variants.emplace_back(v.as_string());
  auto actions = parse_or(q.text(9), json::object{});
  if (actions.is_object()) a.actions = actions.as_object();
  auto files = parse_or(q.text(10), json::array{});
  if (files.is_array()) a.attachments = files.as_array();
  a.created_by = q.int64(11);
  a.created_at = q.int64(12);
  a.updated_at = q.int64(13);
  a.uses.assign(a.variants.size(), 0);
  return a;
}

// Each answer's uses per variant, added to `answers` (by id).
void add_uses(sql::Connection& db, Id ws, std::vector<CannedAnswer>& answers,
              std::optional<Id> only = std::nullopt) {
  std::map<Id, CannedAnswer*> by_id;
  for (auto& a : answers) by_id[a.id] = &a;
  sql::Statement q(db, std::string("SELECT u.answer_id, u.variant, CAST(SUM(u.uses) AS BIGINT) "
                                   "FROM canned_use u JOIN canned_answer a ON a.id = u.answer_id "
                                   "WHERE a.workspace_id = ?") +
                           (only ? " AND a.id = ?" : "") + " GROUP BY u.answer_id, u.variant");
  q.bind(1, ws);
  if (only) q.bind(2, *only);
  while (q.step()) {
    auto it = by_id.find(q.int64(0));
    auto variant = static_cast<std::size_t>(q.int64(1));
    if (it != by_id.end() && variant < it->second->uses.size())
      it->second->uses[variant] = q.int64(2);
  }
}

json::array to_array(const std::vector<std::string>& v) {
  json::array out;
  for (const auto& s : v) out.emplace_back(s);
  return out;
}

}  // namespace

std::vector<CannedAnswer> SqlStore::canned_answers(Id ws) {
  return read([&](sql::Connection& db) {
    sql::Statement q(db, "SELECT " + std::string(kColumns) +
                             " FROM canned_answer WHERE workspace_id = ? ORDER BY shortcut, id "
                             "LIMIT 5000");
    q.bind(1, ws);
    std::vector<CannedAnswer> out;
    while (q.step()) out.push_back(read_answer(q));
    add_uses(db, ws, out);
    return out;
  });
}

std::optional<CannedAnswer> SqlStore::canned_answer(Id ws, Id id) {
  return read([&](sql::Connection& db) -> std::optional<CannedAnswer> {
    sql::Statement q(db, "SELECT " + std::string(kColumns) +
                             " FROM canned_answer WHERE workspace_id = ? AND id = ?");
    q.bind(1, ws).bind(2, id);
    if (!q.step()) return std::nullopt;
    std::vector<CannedAnswer> one{read_answer(q)};
    add_uses(db, ws, one, id);
    return one.front();
  });
}

CannedAnswer SqlStore::save_canned_answer(const CannedAnswer& a) {
  Id id = write([&](sql::Connection& db) {
    Millis now = clock_();
    Id scope_key = a.team_id.value_or(a.owner_id.value_or(0));
    sql::Statement same(db,
                        "SELECT id FROM canned_answer WHERE workspace_id = ? AND scope = ? AND "
                        "scope_key = ? AND shortcut = ?");
    same.bind(1, a.workspace_id).bind(2, a.scope).bind(3, scope_key);
    same.bind(4, a.shortcut);
    if (same.step() && same.int64(0) != a.id)
      throw StoreError(StoreError::Code::kConflict,
                       "the shortcut /" + a.shortcut + " is already used in this scope");
    auto variants = json::serialize(to_array(a.variants));
    auto actions = json::serialize(a.actions);
    auto files = json::serialize(a.attachments);
    if (a.id == 0) {
      sql::Statement q(
          db,
          "INSERT INTO canned_answer (workspace_id, scope, team_id, owner_id, language, "
          "shortcut, title, variants, actions, attachments, created_by, created_at, "
          "updated_at, scope_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
      q.bind(1, a.workspace_id).bind(2, a.scope).bind(3, a.team_id).bind(4, a.owner_id);
      q.bind(5, a.language).bind(6, a.shortcut).bind(7, a.title).bind(8, variants);
      q.bind(9, actions).bind(10, files).bind(11, a.created_by).bind(12, now).bind(13, now);
      q.bind(14, scope_key);
      if (!q.step()) throw StoreError(StoreError::Code::kInternal, "canned answer not saved");
      return q.int64(0);
    }
    sql::Statement q(db,
                     "UPDATE canned_answer SET scope = ?, team_id = ?, owner_id = ?, language = ?, "
                     "shortcut = ?, title = ?, variants = ?, actions = ?, attachments = ?, "
                     "updated_at = ?, scope_key = ? WHERE workspace_id = ? AND id = ?");
    q.bind(1, a.scope).bind(2, a.team_id).bind(3, a.owner_id).bind(4, a.language);
    q.bind(5, a.shortcut).bind(6, a.title).bind(7, variants).bind(8, actions).bind(9, files);
    q.bind(10, now).bind(11, scope_key).bind(12, a.workspace_id).bind(13, a.id).run();
    if (q.affected() == 0) throw StoreError(StoreError::Code::kNotFound, "no such canned answer");
    // Variants removed or reordered: their old counts no longer mean anything.
    sql::Statement stale(db, "DELETE FROM canned_use WHERE answer_id = ? AND variant >= ?");
    stale.bind(1, a.id).bind(2, static_cast<std::int64_t>(a.variants.size())).run();
    sql::Statement gone(db,
                        "DELETE FROM canned_conversation_use WHERE answer_id = ? AND variant >= ?");
    gone.bind(1, a.id).bind(2, static_cast<std::int64_t>(a.variants.size())).run();
    return a.id;
  });
  return *canned_answer(a.workspace_id, id);
}

bool SqlStore::delete_canned_answer(Id ws, Id id) {
  return write([&](sql::Connection& db) {
    sql::Statement q(db, "DELETE FROM canned_answer WHERE workspace_id = ? AND id = ?");
    q.bind(1, ws).bind(2, id).run();
    return q.affected() > 0;
  });
}

bool SqlStore::count_canned_use(Id ws, const CannedUse& use) {
  return write([&](sql::Connection& db) {
    sql::Statement exists(db, "SELECT 1 FROM canned_answer WHERE workspace_id = ? AND id = ?");
    exists.bind(1, ws).bind(2, use.answer);
    if (!exists.step()) return false;
    sql::Statement q(
        db,
        "INSERT INTO canned_use (answer_id, variant, day, uses) VALUES (?, ?, ?, 1) "
        "ON CONFLICT (answer_id, variant, day) DO UPDATE SET uses = canned_use.uses + 1");
    q.bind(1, use.answer).bind(2, use.variant).bind(3, use.at / kDay).run();
    if (use.conversation) {
      // The last variant used in a conversation is the one its outcome answers for.
      sql::Statement c(db,
                       "INSERT INTO canned_conversation_use (conversation_id, answer_id, variant, "
                       "agent_id, used_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (conversation_id, "
                       "answer_id) DO UPDATE SET variant = excluded.variant, agent_id = "
                       "excluded.agent_id, used_at = excluded.used_at");
      c.bind(1, *use.conversation).bind(2, use.answer).bind(3, use.variant).bind(4, use.agent);
      c.bind(5, use.at).run();
    }
    return true;
  });
}

}  // namespace sb::sqlite
