// The store's schema on both backends, from its one list of migrations: the
// PostgreSQL baseline and the SQLite steps must describe the same tables, so
// they are compared through each database's own catalogue, table by table,
// column by column, index by index, with their foreign keys and triggers.
// A step added to one backend only fails here.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

#include "store/migrations.h"
#include "test_db.h"

namespace sb::sqltest {
namespace {

using sql::Statement;

// SQLite keeps JSON in TEXT columns; PostgreSQL in JSONB. These are they.
const std::map<std::string, std::set<std::string>> kJsonColumns = {
    {"agent", {"routing", "scope", "recovery_codes"}},
    {"inbox", {"business_hours", "widget", "prechat_fields", "topics", "routing"}},
    {"conversation", {"meta", "emotion_reasons", "ticket_tags", "ticket_custom"}},
    {"event", {"attachments", "notice"}},
    {"workspace_routing", {"settings"}},
    {"workspace_kb", {"bot"}},
    {"kb_category", {"names"}},
    {"kb_article", {"keywords"}},
    {"faq_intent", {"phrasings"}},
    {"deflection", {"articles"}},
    {"audit_log", {"before", "after"}},
    {"api_token", {"scopes"}},
    {"mail_message", {"recipients"}},
    {"mail_outbox", {"recipients"}},
    {"inbox_mail", {"settings"}},
    {"ticket_field", {"options"}},
    {"sla_policy", {"body"}},
    {"sla_settings", {"automation"}},
    {"contact_merge", {"conversations", "identities", "into_before", "into_after"}},
};

// Search: PostgreSQL's rows carry their terms; SQLite has FTS5 tables, views,
// triggers and a pending list instead.
const std::set<std::string> kPostgresOnlyColumns = {"event.search", "conversation.search",
                                                    "contact.search"};
// The log of changes the SQLite index thread follows (PostgreSQL indexes in place).
const std::set<std::string> kSqliteOnlyTables = {"search_change", "search_origin"};
bool sqlite_only_trigger(const std::string& name) {
  return name.starts_with("search_");
}

struct Column {
  bool not_null = false;
  std::string type;  // PostgreSQL's name for it; SQLite's mapped to that
  bool has_default = false;
  bool operator==(const Column&) const = default;
};

struct Index {
  std::string name;     // empty: SQLite's implicit key or a constraint's index
  std::string columns;  // "workspace_id,lower(email)"
  bool unique = false;
  bool partial = false;
  std::string signature() const {
    return columns + (unique ? " unique" : "") + (partial ? " partial" : "");
  }
};

struct Table {
  std::map<std::string, Column> columns;
  std::vector<Index> indexes;
  std::set<std::string> foreign_keys;  // "contact_id -> contact(id) on delete NO ACTION"
  std::set<std::string> triggers;      // "BEFORE UPDATE"
};
using Schema = std::map<std::string, Table>;

std::string upper(std::string s) {
  for (auto& ch : s) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  return s;
}

// The PostgreSQL type a SQLite column must have (SQLite's affinity rules).
std::string postgres_type_for(const std::string& table, const std::string& column,
                              const std::string& declared) {
  auto t = upper(declared);
  if (t.find("INT") != std::string::npos) return "bigint";
  if (t.find("CHAR") != std::string::npos || t.find("CLOB") != std::string::npos ||
      t.find("TEXT") != std::string::npos) {
    auto json = kJsonColumns.find(table);
    return json != kJsonColumns.end() && json->second.contains(column) ? "jsonb" : "text";
  }
  if (t.empty() || t.find("BLOB") != std::string::npos) return "bytea";
  return "double precision";
}

std::vector<std::string> strings(sql::Connection& c, const std::string& query,
                                 const std::string& arg = "") {
  Statement q(c, query);
  if (!arg.empty()) q.bind(1, arg);
  std::vector<std::string> out;
  while (q.step()) out.push_back(q.text(0));
  return out;
}

void read_sqlite_indexes(sql::Connection& c, const std::string& table, Table& t) {
  Statement list(c, "SELECT name, \"unique\", origin, partial FROM pragma_index_list(?)");
  list.bind(1, table);
  bool has_key_index = false;
  while (list.step()) {
    Index ix{list.text(2) == "c" ? list.text(0) : "", "", list.int64(1) != 0, list.int64(3) != 0};
    has_key_index |= list.text(2) == "pk";
    Statement cols(c,
                   "SELECT coalesce(name, '<expression>'), coll FROM pragma_index_xinfo(?) "
                   "WHERE key = 1 ORDER BY seqno");
    cols.bind(1, list.text(0));
    while (cols.step()) {
      auto name = cols.text(0);
      // NOCASE is what PostgreSQL spells as an index on lower(column).
      if (upper(cols.text(1)) == "NOCASE") name = "lower(" + name + ")";
      ix.columns += (ix.columns.empty() ? "" : ",") + name;
    }
    t.indexes.push_back(ix);
  }
  // An INTEGER PRIMARY KEY is the rowid itself, with no index of its own.
  std::vector<std::string> key;
  for (auto& name : strings(c, "SELECT name FROM pragma_table_info(?) WHERE pk > 0", table))
    key.push_back(name);
  if (!has_key_index && key.size() == 1) t.indexes.push_back({"", key[0], true, false});
}

Schema read_sqlite(sql::Connection& c) {
  Schema s;
  for (auto& name : strings(c,
                            "SELECT name FROM pragma_table_list WHERE schema = 'main' AND "
                            "type = 'table' AND name NOT LIKE 'sqlite%'")) {
    if (kSqliteOnlyTables.contains(name)) continue;
    Table& t = s[name];
    Statement cols(c,
                   "SELECT name, type, \"notnull\", dflt_value IS NOT NULL, pk "
                   "FROM pragma_table_info(?)");
    cols.bind(1, name);
    while (cols.step())
      t.columns[cols.text(0)] = {cols.int64(2) != 0 || cols.int64(4) > 0,
                                 postgres_type_for(name, cols.text(0), cols.text(1)),
                                 cols.int64(3) != 0};
    read_sqlite_indexes(c, name, t);
    Statement fks(c,
                  "SELECT \"from\", \"table\", \"to\", on_delete FROM pragma_foreign_key_list(?)");
    fks.bind(1, name);
    while (fks.step())
      t.foreign_keys.insert(fks.text(0) + " -> " + fks.text(1) + "(" + fks.text(2) +
                            ") on delete " + fks.text(3));
  }
  static const std::regex kTrigger(R"(CREATE\s+TRIGGER\s+\w+\s+(BEFORE|AFTER)\s+(\w+))",
                                   std::regex::icase);
  Statement triggers(c, "SELECT name, tbl_name, sql FROM sqlite_schema WHERE type = 'trigger'");
  while (triggers.step()) {
    if (sqlite_only_trigger(triggers.text(0))) continue;
    std::smatch m;
    auto text = triggers.text(2);
    EXPECT_TRUE(std::regex_search(text, m, kTrigger)) << text;
    s[triggers.text(1)].triggers.insert(upper(m[1]) + " " + upper(m[2]));
  }
  return s;
}

Schema read_postgres(sql::Connection& c) {
  Schema s;
  for (auto& name : strings(c, "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"))
    s[name];
  Statement cols(c,
                 "SELECT t.relname, a.attname, a.attnotnull, format_type(a.atttypid, "
                 "a.atttypmod), a.atthasdef FROM pg_attribute a JOIN pg_class t ON t.oid = "
                 "a.attrelid JOIN pg_namespace n ON n.oid = t.relnamespace "
                 "WHERE n.nspname = 'public' AND t.relkind = 'r' AND a.attnum > 0 AND NOT "
                 "a.attisdropped");
  while (cols.step())
    s[cols.text(0)].columns[cols.text(1)] = {cols.int64(2) != 0, cols.text(3), cols.int64(4) != 0};
  // One row per index column, in order; an index backing a constraint has the
  // constraint's generated name, which SQLite's do not share, so it counts as unnamed.
  Statement ix(c,
               "SELECT t.relname, i.relname, x.indisunique, x.indpred IS NOT NULL, "
               "pg_get_indexdef(x.indexrelid, k.n, true), "
               "EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid) "
               "FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid "
               "JOIN pg_class t ON t.oid = x.indrelid JOIN pg_namespace n ON n.oid = "
               "t.relnamespace CROSS JOIN LATERAL generate_series(1, x.indnkeyatts) AS k(n) "
               "WHERE n.nspname = 'public' ORDER BY t.relname, i.relname, k.n");
  std::string last;
  while (ix.step()) {
    auto& indexes = s[ix.text(0)].indexes;
    auto column = ix.text(4);
    std::erase(column, '"');
    if (ix.text(1) != last) {
      indexes.push_back(
          {ix.int64(5) != 0 ? "" : ix.text(1), column, ix.int64(2) != 0, ix.int64(3) != 0});
      last = ix.text(1);
    } else {
      indexes.back().columns += "," + column;
    }
  }
  Statement fks(c,
                "SELECT t.relname, a.attname, r.relname, ra.attname, k.confdeltype, "
                "cardinality(k.conkey) FROM pg_constraint k "
                "JOIN pg_class t ON t.oid = k.conrelid JOIN pg_class r ON r.oid = k.confrelid "
                "JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = k.conkey[1] "
                "JOIN pg_attribute ra ON ra.attrelid = k.confrelid AND ra.attnum = k.confkey[1] "
                "JOIN pg_namespace n ON n.oid = t.relnamespace "
                "WHERE n.nspname = 'public' AND k.contype = 'f'");
  const std::map<std::string, std::string> actions = {{"a", "NO ACTION"},
                                                      {"r", "RESTRICT"},
                                                      {"c", "CASCADE"},
                                                      {"n", "SET NULL"},
                                                      {"d", "SET DEFAULT"}};
  while (fks.step()) {
    EXPECT_EQ(fks.int64(5), 1) << "a foreign key of several columns on " << fks.text(0);
    s[fks.text(0)].foreign_keys.insert(fks.text(1) + " -> " + fks.text(2) + "(" + fks.text(3) +
                                       ") on delete " + actions.at(fks.text(4)));
  }
  Statement triggers(c,
                     "SELECT event_object_table, action_timing, event_manipulation FROM "
                     "information_schema.triggers WHERE trigger_schema = 'public'");
  while (triggers.step())
    s[triggers.text(0)].triggers.insert(triggers.text(1) + " " + triggers.text(2));
  return s;
}

std::string describe(const Schema& s) {
  std::ostringstream out;
  for (const auto& [name, t] : s) {
    out << name << "\n";
    for (const auto& [c, col] : t.columns)
      out << "  " << c << " " << col.type << (col.not_null ? " not null" : "")
          << (col.has_default ? " default" : "") << "\n";
    std::vector<std::string> ix;
    for (const auto& i : t.indexes) ix.push_back(i.name + " " + i.signature());
    std::sort(ix.begin(), ix.end());
    for (const auto& i : ix) out << "  index " << i << "\n";
    for (const auto& f : t.foreign_keys) out << "  fk " << f << "\n";
    for (const auto& g : t.triggers) out << "  trigger " << g << "\n";
  }
  return out.str();
}

std::multiset<std::string> signatures(const Table& t, const std::string& table, bool postgres) {
  std::multiset<std::string> out;
  for (const auto& i : t.indexes) {
    // A search column's GIN index has no SQLite twin (FTS5 is one).
    if (postgres && kPostgresOnlyColumns.contains(table + "." + i.columns)) continue;
    out.insert(i.signature());
  }
  return out;
}

void expect_same_table(const std::string& name, const Table& lite, const Table& pg) {
  for (const auto& [column, want] : lite.columns) {
    auto it = pg.columns.find(column);
    if (it == pg.columns.end()) {
      ADD_FAILURE() << name << "." << column << " is missing on PostgreSQL";
      continue;
    }
    EXPECT_EQ(it->second.type, want.type) << name << "." << column;
    EXPECT_EQ(it->second.not_null, want.not_null) << name << "." << column << " nullability";
    EXPECT_EQ(it->second.has_default, want.has_default) << name << "." << column << " default";
  }
  for (const auto& [column, got] : pg.columns) {
    if (lite.columns.contains(column)) continue;
    if (kPostgresOnlyColumns.contains(name + "." + column))
      EXPECT_EQ(got.type, "tsvector") << name << "." << column;
    else
      ADD_FAILURE() << name << "." << column << " is on PostgreSQL only";
  }
  EXPECT_EQ(signatures(pg, name, true), signatures(lite, name, false)) << name << "'s indexes";
  for (const auto& want : lite.indexes) {
    if (want.name.empty()) continue;
    auto same = [&](const Index& i) { return i.name == want.name; };
    auto it = std::find_if(pg.indexes.begin(), pg.indexes.end(), same);
    if (it == pg.indexes.end())
      ADD_FAILURE() << "index " << want.name << " is missing on PostgreSQL";
    else
      EXPECT_EQ(it->signature(), want.signature()) << "index " << want.name;
  }
  EXPECT_EQ(pg.foreign_keys, lite.foreign_keys) << name << "'s foreign keys";
  EXPECT_EQ(pg.triggers, lite.triggers) << name << "'s triggers";
}

// What is wrong with a list of steps: the versions must count 1, 2, 3 ...;
// PostgreSQL has nothing before its baseline and something from it on.
std::vector<std::string> step_problems(std::span<const sql::Migration> steps, int baseline) {
  std::vector<std::string> out;
  int expected = 1;
  for (const auto& m : steps) {
    auto v = std::to_string(m.version);
    if (m.version != expected++) out.push_back("step " + v + " is out of sequence");
    if (m.version < baseline && !m.postgres.empty())
      out.push_back("step " + v + " has PostgreSQL text before the baseline");
    if (m.version >= baseline && m.postgres.empty())
      out.push_back("step " + v + " has no PostgreSQL text: write one for every new step");
    if (m.version <= baseline && m.sqlite.empty())
      out.push_back("step " + v + " has no SQLite text");
  }
  return out;
}

TEST(SchemaSteps, EveryStepFromTheBaselineOnHasItsPgText) {
  auto steps = sqlite::schema_steps();
  ASSERT_GE(steps.size(), static_cast<std::size_t>(sqlite::kPostgresBaseline));
  EXPECT_EQ(step_problems(steps, sqlite::kPostgresBaseline), std::vector<std::string>{});
  EXPECT_EQ(steps[sqlite::kPostgresBaseline - 1].postgres, sqlite::postgres_baseline());
}

// The check above can fail: a new step written for SQLite only is caught.
TEST(SchemaSteps, ANewStepForSqliteOnlyIsCaught) {
  std::vector<sql::Migration> steps(sqlite::schema_steps().begin(), sqlite::schema_steps().end());
  steps.push_back({steps.back().version + 1, "ALTER TABLE agent ADD COLUMN x INTEGER", ""});
  auto problems = step_problems(steps, sqlite::kPostgresBaseline);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_NE(problems[0].find("no PostgreSQL text"), std::string::npos) << problems[0];
}

class SchemaPostgres : public ::testing::Test {
 protected:
  void SetUp() override {
    lite_db_.create_core_schema();
    pg_db_.create_core_schema();
    lite_ = lite_db_.connect();
    pg_ = pg_db_.connect();
  }
  TestDatabase lite_db_{sql::Backend::kSqlite}, pg_db_{sql::Backend::kPostgres};
  Conn lite_, pg_;
};

TEST_F(SchemaPostgres, MatchesSqliteTableByTable) {
  auto lite = read_sqlite(*lite_), pg = read_postgres(*pg_);
  ASSERT_GT(lite.size(), 30u);
  for (const auto& [name, table] : lite) {
    auto it = pg.find(name);
    if (it == pg.end())
      ADD_FAILURE() << "table " << name << " is missing on PostgreSQL";
    else
      expect_same_table(name, table, it->second);
  }
  for (const auto& [name, table] : pg)
    EXPECT_TRUE(lite.contains(name)) << "table " << name << " is on PostgreSQL only";
  for (const auto& column : kPostgresOnlyColumns) {
    auto table = column.substr(0, column.find('.'));
    EXPECT_TRUE(pg[table].columns.contains(column.substr(column.find('.') + 1))) << column;
  }
  if (HasFailure()) std::cerr << "SQLite:\n" << describe(lite) << "PostgreSQL:\n" << describe(pg);
}

TEST_F(SchemaPostgres, MigratingAgainChangesNothingAndBothAreAtOneVersion) {
  auto before = describe(read_postgres(*pg_));
  auto last = sqlite::schema_steps().back().version;
  EXPECT_EQ(sql::migrate(*pg_, sqlite::schema_steps(), 1), last);
  EXPECT_EQ(sql::migrate(*lite_, sqlite::schema_steps(), 1), last);
  EXPECT_EQ(describe(read_postgres(*pg_)), before);
  EXPECT_EQ(sql::schema_version(*pg_), last);
  EXPECT_EQ(sql::schema_version(*lite_), last);
  // One row per step on both, the steps before the baseline included.
  for (auto* c : {&*pg_, &*lite_}) {
    Statement q(*c, "SELECT count(*), min(version) FROM schema_migration");
    ASSERT_TRUE(q.step());
    EXPECT_EQ(q.int64(0), last);
    EXPECT_EQ(q.int64(1), 1);
  }
}

// Nodes of a cluster starting together on a new database: one builds the
// schema, the others wait for it and find nothing left to do.
TEST(SchemaPostgresConcurrency, NodesMigratingAtOnceBuildOneSchema) {
  TestDatabase db(sql::Backend::kPostgres);
  constexpr int kNodes = 4;
  std::vector<Conn> conns;
  for (int i = 0; i < kNodes; ++i) conns.push_back(db.connect());
  std::atomic<int> failures{0};
  std::vector<std::thread> nodes;
  for (auto& c : conns)
    nodes.emplace_back([&] {
      try {
        if (sql::migrate(*c, sqlite::schema_steps(), 0) != sqlite::schema_steps().back().version)
          ++failures;
      } catch (const std::exception& e) {
        ++failures;
        std::cerr << e.what() << "\n";
      }
    });
  for (auto& t : nodes) t.join();
  EXPECT_EQ(failures, 0);
  Statement q(*conns[0], "SELECT count(*), count(DISTINCT version) FROM schema_migration");
  ASSERT_TRUE(q.step());
  EXPECT_EQ(q.int64(0), static_cast<std::int64_t>(sqlite::schema_steps().size()));
  EXPECT_EQ(q.int64(1), q.int64(0));
}

// What the schema itself enforces, alike on both: triggers and keys.
class SchemaBehaviour : public BackendTest {
 protected:
  void SetUp() override {
    db_.create_core_schema();
    conn_ = db_.connect();
  }
  sql::Connection& c() { return *conn_; }
  std::int64_t count(const std::string& table) {
    Statement q(c(), "SELECT count(*) FROM " + table);
    return q.step() ? q.int64(0) : -1;
  }
  // Workspace 1, its inbox and contact 1, and e-mail conversation 1.
  void email_conversation() {
    c().exec(R"sql(
      INSERT INTO workspace (id, name, created_at) VALUES (1, 'Acme', 0);
      INSERT INTO inbox (id, workspace_id, name, public_key, timezone, business_hours, widget,
        prechat_fields, topics, created_at) VALUES (1, 1, 'Web', 'k', 'UTC', '{}', '{}', '[]', '[]', 0);
      INSERT INTO contact (id, workspace_id, created_at) VALUES (1, 1, 0);
      INSERT INTO conversation (id, workspace_id, inbox_id, contact_id, visitor_id, client_id, kind,
        status, created_at, updated_at) VALUES (1, 1, 1, 1, 'v', 'c', 'email', 'open', 0, 0);
    )sql");
  }
  Conn conn_;
};

TEST_P(SchemaBehaviour, TheAuditLogIsAppendOnly) {
  c().exec(
      "INSERT INTO audit_log (workspace_id, at, actor_type, action, after) "
      "VALUES (1, 5, 'agent', 'agent.created', '{\"name\":\"Anna\"}')");
  for (const char* change : {"UPDATE audit_log SET action = 'nothing'", "DELETE FROM audit_log"}) {
    try {
      c().exec(change);
      ADD_FAILURE() << change << " was allowed";
    } catch (const sql::Error& e) {
      EXPECT_EQ(e.kind(), sql::ErrorKind::kConstraint) << e.what();
      EXPECT_NE(std::string(e.what()).find("append-only"), std::string::npos) << e.what();
    }
  }
  if (postgres()) {
    EXPECT_THROW(c().exec("TRUNCATE audit_log"), sql::Error);
  }
  EXPECT_EQ(count("audit_log"), 1);
}

TEST_P(SchemaBehaviour, AttachmentBytesGoWithTheirRow) {
  c().exec(
      "INSERT INTO attachment (id, workspace_id, name, content_type, size, created_at) VALUES "
      "('a1', 1, 'a.txt', 'text/plain', 2, 0), ('a2', 1, 'b.txt', 'text/plain', 2, 0)");
  for (const char* id : {"a1", "a2"})
    Statement(c(), "INSERT INTO attachment_bytes (attachment_id, bytes) VALUES (?, ?)")
        .bind(1, id)
        .bind_blob(2, std::string_view("\0\x01", 2))
        .run();
  c().exec("DELETE FROM attachment WHERE id = 'a1'");
  EXPECT_EQ(strings(c(), "SELECT attachment_id FROM attachment_bytes"),
            std::vector<std::string>{"a2"});
}

// A queued mail is bytes (8-bit bodies, any charset): stored and read back as
// they were, not as PostgreSQL's text form of a bytea.
TEST_P(SchemaBehaviour, AnOutgoingMailsBytesComeBackAsTheyWere) {
  email_conversation();
  const std::string raw("Subject: caf\xe9\r\n\r\n\x00\xff\\x41 end", 24);
  Statement(c(),
            "INSERT INTO mail_outbox (workspace_id, conversation_id, message_id, envelope_from, "
            "recipients, raw, next_attempt_at, created_at) VALUES (1, 1, '<m@x>', 'a@x', '[]', ?, "
            "0, 0)")
      .bind_blob(1, raw)
      .run();
  Statement q(c(), "SELECT raw FROM mail_outbox");
  ASSERT_TRUE(q.step());
  EXPECT_EQ(q.blob(0), raw);
}

// SQLite's key is on the address COLLATE NOCASE; PostgreSQL's on lower(address).
TEST_P(SchemaBehaviour, AMailParticipantIsKeyedByItsAddressInAnyCase) {
  email_conversation();
  c().exec(
      "INSERT INTO mail_participant (conversation_id, address) VALUES (1, 'anna@example.com')");
  try {
    c().exec(
        "INSERT INTO mail_participant (conversation_id, address) VALUES (1, 'Anna@Example.COM')");
    ADD_FAILURE() << "the same address in capitals was a second participant";
  } catch (const sql::Error& e) {
    EXPECT_EQ(e.kind(), sql::ErrorKind::kUniqueViolation) << e.what();
  }
  Statement q(c(),
              "INSERT INTO mail_participant (conversation_id, address) VALUES (1, ?) "
              "ON CONFLICT DO NOTHING");
  q.bind(1, "ANNA@example.com").run();
  EXPECT_EQ(q.affected(), 0);
  EXPECT_EQ(count("mail_participant"), 1);
}

SB_ON_BOTH_BACKENDS(SchemaBehaviour);

}  // namespace
}  // namespace sb::sqltest
