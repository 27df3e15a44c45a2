// ScriptStore: scripts per situation and language, agents' proposals and their
// review, and which variant was used in which conversation (P2).
#include <algorithm>

#include "store/sqlite_store.h"

namespace sb::sqlite {

namespace json = boost::json;

namespace {

constexpr std::string_view kScriptColumns =
    "id, workspace_id, situation, language, title, variants, created_by, created_at, updated_at";
constexpr std::string_view kProposalColumns =
    "id, workspace_id, script_id, situation, language, title, variants, note, status, "
    "proposed_by, reviewed_by, review_note, created_at, reviewed_at";

Script read_script(const sql::Statement& q) {
  Script s;
  s.id = q.int64(0);
  s.workspace_id = q.int64(1);
  s.situation = q.text(2);
  s.language = q.text(3);
  s.title = q.text(4);
  auto variants = parse_or(q.text(5), json::array{});
  if (variants.is_array())
    for (const auto& v : variants.as_array()) {
      if (!v.is_object()) continue;
      const auto& o = v.as_object();
      s.variants.push_back({static_cast<int>(json_int(o, "id").value_or(0)),
                            json_string(o, "text").value_or(""),
                            json_bool(o, "retired").value_or(false), 0});
    }
  s.created_by = q.int64(6);
  s.created_at = q.int64(7);
  s.updated_at = q.int64(8);
  return s;
}

std::string variants_json(const std::vector<ScriptVariant>& v) {
  json::array out;
  for (const auto& x : v)
    out.push_back(json::object{{"id", x.id}, {"text", x.text}, {"retired", x.retired}});
  return json::serialize(out);
}

ScriptProposal read_proposal(const sql::Statement& q) {
  ScriptProposal p;
  p.id = q.int64(0);
  p.workspace_id = q.int64(1);
  p.script_id = q.maybe_int64(2);
  p.situation = q.text(3);
  p.language = q.text(4);
  p.title = q.text(5);
  auto variants = parse_or(q.text(6), json::array{});
  if (variants.is_array())
    for (const auto& v : variants.as_array())
      if (v.is_string()) p.variants.emplace_back(v.as_string());
  p.note = q.text(7);
  p.status = q.text(8);
  p.proposed_by = q.int64(9);
  p.reviewed_by = q.maybe_int64(10);
  p.review_note = q.text(11);
  p.created_at = q.int64(12);
  p.reviewed_at = q.maybe_int64(13);
  return p;
}

// Each script's uses per variant, added to `scripts`.
void add_uses(sql::Connection& db, Id ws, std::vector<Script>& scripts,
              std::optional<Id> only = std::nullopt) {
  std::map<Id, Script*> by_id;
  for (auto& s : scripts) by_id[s.id] = &s;
  sql::Statement q(db, std::string("SELECT u.script_id, u.variant, COUNT(*) FROM script_use u "
                                   "JOIN script s ON s.id = u.script_id WHERE s.workspace_id = ?") +
                           (only ? " AND s.id = ?" : "") + " GROUP BY u.script_id, u.variant");
  q.bind(1, ws);
  if (only) q.bind(2, *only);
  while (q.step()) {
    auto it = by_id.find(q.int64(0));
    if (it == by_id.end()) continue;
    for (auto& v : it->second->variants)
      if (v.id == q.int64(1)) v.uses = q.int64(2);
  }
}

std::optional<Script> load_script(sql::Connection& db, Id ws, Id id) {
  sql::Statement q(db, "SELECT " + std::string(kScriptColumns) +
                           " FROM script WHERE workspace_id = ? AND id = ?");
  q.bind(1, ws).bind(2, id);
  if (!q.step()) return std::nullopt;
  std::vector<Script> one{read_script(q)};
  add_uses(db, ws, one, id);
  return one.front();
}

// New variants (id 0) numbered after the highest id the script ever had.
void number_variants(std::vector<ScriptVariant>& v) {
  int next = 0;
  for (const auto& x : v) next = std::max(next, x.id);
  for (auto& x : v)
    if (x.id == 0) x.id = ++next;
}

Id write_script(sql::Connection& db, const Script& given, Millis now) {
  Script s = given;
  number_variants(s.variants);
  if (s.id == 0) {
    sql::Statement q(db,
                     "INSERT INTO script (workspace_id, situation, language, title, variants, "
                     "created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
                     "RETURNING id");
    q.bind(1, s.workspace_id).bind(2, s.situation).bind(3, s.language).bind(4, s.title);
    q.bind(5, variants_json(s.variants)).bind(6, s.created_by).bind(7, now).bind(8, now);
    if (!q.step()) throw StoreError(StoreError::Code::kInternal, "script not saved");
    return q.int64(0);
  }
  sql::Statement q(db,
                   "UPDATE script SET situation = ?, language = ?, title = ?, variants = ?, "
                   "updated_at = ? WHERE workspace_id = ? AND id = ?");
  q.bind(1, s.situation).bind(2, s.language).bind(3, s.title).bind(4, variants_json(s.variants));
  q.bind(5, now).bind(6, s.workspace_id).bind(7, s.id).run();
  if (q.affected() == 0) throw StoreError(StoreError::Code::kNotFound, "no such script");
  return s.id;
}

// An approved proposal's texts on the script: a text already there keeps its
// variant (and its figures); a new text is a new variant; a variant whose text
// is not proposed any more is retired, never deleted (its history stays).
void merge_texts(Script& s, const std::vector<std::string>& texts) {
  for (auto& v : s.variants)
    v.retired = std::find(texts.begin(), texts.end(), v.text) == texts.end();
  for (const auto& t : texts) {
    auto same = std::find_if(s.variants.begin(), s.variants.end(),
                             [&](const ScriptVariant& v) { return v.text == t; });
    if (same == s.variants.end()) s.variants.push_back({0, t, false, 0});
  }
}

}  // namespace

std::vector<Script> SqlStore::scripts(Id ws) {
  return read([&](sql::Connection& db) {
    sql::Statement q(db, "SELECT " + std::string(kScriptColumns) +
                             " FROM script WHERE workspace_id = ? ORDER BY situation, language, "
                             "title, id LIMIT 2000");
    q.bind(1, ws);
    std::vector<Script> out;
    while (q.step()) out.push_back(read_script(q));
    add_uses(db, ws, out);
    return out;
  });
}

std::optional<Script> SqlStore::script(Id ws, Id id) {
  return read([&](sql::Connection& db) { return load_script(db, ws, id); });
}

Script SqlStore::save_script(const Script& s) {
  Id id = write([&](sql::Connection& db) { return write_script(db, s, clock_()); });
  return *script(s.workspace_id, id);
}

bool SqlStore::delete_script(Id ws, Id id) {
  return write([&](sql::Connection& db) {
    sql::Statement q(db, "DELETE FROM script WHERE workspace_id = ? AND id = ?");
    q.bind(1, ws).bind(2, id).run();
    return q.affected() > 0;
  });
}

ScriptProposal SqlStore::propose_script(const ScriptProposal& p) {
  Id id = write([&](sql::Connection& db) {
    if (p.script_id && !load_script(db, p.workspace_id, *p.script_id))
      throw StoreError(StoreError::Code::kNotFound, "no such script");
    json::array texts;
    for (const auto& t : p.variants) texts.emplace_back(t);
    sql::Statement q(db,
                     "INSERT INTO script_proposal (workspace_id, script_id, situation, language, "
                     "title, variants, note, status, proposed_by, created_at) "
                     "VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?) RETURNING id");
    q.bind(1, p.workspace_id).bind(2, p.script_id).bind(3, p.situation).bind(4, p.language);
    q.bind(5, p.title).bind(6, json::serialize(texts)).bind(7, p.note).bind(8, p.proposed_by);
    q.bind(9, clock_());
    if (!q.step()) throw StoreError(StoreError::Code::kInternal, "proposal not saved");
    return q.int64(0);
  });
  return *script_proposal(p.workspace_id, id);
}

std::vector<ScriptProposal> SqlStore::script_proposals(Id ws, const std::string& status,
                                                       int limit) {
  return read([&](sql::Connection& db) {
    sql::Statement q(db, "SELECT " + std::string(kProposalColumns) +
                             " FROM script_proposal WHERE workspace_id = ? AND (? = '' OR "
                             "status = ?) ORDER BY created_at DESC, id DESC LIMIT ?");
    q.bind(1, ws).bind(2, status).bind(3, status).bind(4, limit);
    std::vector<ScriptProposal> out;
    while (q.step()) out.push_back(read_proposal(q));
    return out;
  });
}

std::optional<ScriptProposal> SqlStore::script_proposal(Id ws, Id id) {
  return read([&](sql::Connection& db) -> std::optional<ScriptProposal> {
    sql::Statement q(db, "SELECT " + std::string(kProposalColumns) +
                             " FROM script_proposal WHERE workspace_id = ? AND id = ?");
    q.bind(1, ws).bind(2, id);
    if (!q.step()) return std::nullopt;
    return read_proposal(q);
  });
}

ScriptProposal SqlStore::review_script_proposal(Id ws, Id id, bool approve, Id reviewer,
                                                const std::string& note) {
  write([&](sql::Connection& db) {
    Millis now = clock_();
    // Only a pending one moves, once: two reviewers at once, one wins.
    sql::Statement q(db,
                     "UPDATE script_proposal SET status = ?, reviewed_by = ?, review_note = ?, "
                     "reviewed_at = ? WHERE workspace_id = ? AND id = ? AND status = 'pending'");
    q.bind(1, approve ? "approved" : "rejected").bind(2, reviewer).bind(3, note).bind(4, now);
    q.bind(5, ws).bind(6, id).run();
    if (q.affected() == 0) {
      sql::Statement exists(db, "SELECT 1 FROM script_proposal WHERE workspace_id = ? AND id = ?");
      exists.bind(1, ws).bind(2, id);
      if (!exists.step()) throw StoreError(StoreError::Code::kNotFound, "no such proposal");
      throw StoreError(StoreError::Code::kConflict, "the proposal was already reviewed");
    }
    if (!approve) return 0;
    sql::Statement row(
        db, "SELECT " + std::string(kProposalColumns) + " FROM script_proposal WHERE id = ?");
    row.bind(1, id);
    row.step();
    auto p = read_proposal(row);
    Script s;
    if (p.script_id) {
      auto current = load_script(db, ws, *p.script_id);
      if (!current) throw StoreError(StoreError::Code::kNotFound, "the script was deleted");
      s = *current;
    } else {
      s.workspace_id = ws;
      s.created_by = p.proposed_by;
    }
    s.situation = p.situation;
    s.language = p.language;
    s.title = p.title;
    merge_texts(s, p.variants);
    Id script_id = write_script(db, s, now);
    if (!p.script_id) {
      sql::Statement link(db, "UPDATE script_proposal SET script_id = ? WHERE id = ?");
      link.bind(1, script_id).bind(2, id).run();
    }
    return 0;
  });
  return *script_proposal(ws, id);
}

bool SqlStore::record_script_use(Id ws, Id script, int variant, Id conversation, Id agent) {
  return write([&](sql::Connection& db) {
    sql::Statement exists(db,
                          "SELECT 1 FROM script s, conversation c WHERE s.workspace_id = ? AND "
                          "s.id = ? AND c.workspace_id = ? AND c.id = ?");
    exists.bind(1, ws).bind(2, script).bind(3, ws).bind(4, conversation);
    if (!exists.step()) return false;
    sql::Statement q(db,
                     "INSERT INTO script_use (conversation_id, script_id, variant, agent_id, "
                     "used_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (conversation_id, script_id) "
                     "DO UPDATE SET variant = excluded.variant, agent_id = excluded.agent_id, "
                     "used_at = excluded.used_at");
    q.bind(1, conversation).bind(2, script).bind(3, variant).bind(4, agent).bind(5, clock_());
    q.run();
    return true;
  });
}

}  // namespace sb::sqlite
