// Full-text search in the store: stems in five languages, prefixes, scope and
// workspace, and an index that follows every write: erasure, retention,
// contact changes. Hostile query text never reaches FTS5 as syntax.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "store/search_index.h"
#include "store/search_queries.h"
#include "store/store.h"
#include "support/test_store.h"

namespace sb {
namespace {

namespace fs = std::filesystem;
constexpr Millis kDay = 24LL * 3600 * 1000;

class SearchStoreTest : public ::testing::TestWithParam<storetest::Backend> {
 protected:
  void SetUp() override {
    db_ = std::make_unique<storetest::TestStore>(GetParam(), [this] { return now_; });
    store_ = db_->open();
    ws_ = store_->create_workspace("Acme");
    other_ws_ = store_->create_workspace("Globex");
    inbox_ = inbox(ws_, "k-acme");
    inbox_b_ = inbox(ws_, "k-acme-b");
    other_inbox_ = inbox(other_ws_, "k-globex");
  }

  void TearDown() override {
    store_.reset();
    db_.reset();
  }

  Id inbox(Id ws, const std::string& key) {
    Inbox i;
    i.workspace_id = ws;
    i.name = key;
    i.public_key = key;
    return store_->create_inbox(i).id;
  }

  Conversation chat(const std::string& message, Id inbox = 0,
                    const std::string& name = "Giulia Bianchi") {
    NewConversation c;
    c.inbox_id = inbox ? inbox : inbox_;
    c.workspace_id = c.inbox_id == other_inbox_ ? other_ws_ : ws_;
    c.visitor_id = "v" + std::to_string(++serial_);
    c.client_id = "c";
    c.name = name;
    c.email = "giulia" + std::to_string(serial_) + "@example.com";
    c.phone = "+39 333 123 " + std::to_string(1000 + serial_);
    c.subject = "Order question";
    c.first_message = message;
    return store_->create_conversation(c).first;
  }

  void note(const Conversation& c, const std::string& body) {
    store_->append_event({c.workspace_id, c.id, "note", {AuthorType::kAgent, 7, "Anna"}, body});
  }

  SearchResults find(const std::string& text, Id ws = 0) {
    SearchQuery q;
    q.workspace_id = ws ? ws : ws_;
    q.text = text;
    q.unrestricted = true;
    return store_->search(q);
  }

  std::vector<Id> message_conversations(const std::string& text, Id ws = 0) {
    std::vector<Id> out;
    for (const auto& h : find(text, ws).messages) out.push_back(h.conversation_id);
    return out;
  }

  std::unique_ptr<storetest::TestStore> db_;
  Millis now_ = 1'700'000'000'000;
  std::unique_ptr<Store> store_;
  Id ws_ = 0, other_ws_ = 0, inbox_ = 0, inbox_b_ = 0, other_inbox_ = 0;
  int serial_ = 0;
};

TEST_P(SearchStoreTest, WordFormsMatchByStemInEveryLanguage) {
  if (db_->postgres()) GTEST_SKIP() << "stems are the SQLite index's; PostgreSQL matches words";
  struct Case {
    std::string message, query;
  };
  const std::vector<Case> cases = {{"Where are my refunds?", "refund "},
                                   {"Vorrei sapere dei rimborsi", "rimborso "},
                                   {"Статус моего заказа", "заказ "},
                                   {"Nem érkezett meg a rendelésem", "rendelés "},
                                   {"Gdzie jest moje zamówienie", "zamówienia "}};
  for (const auto& c : cases) {
    auto conv = chat(c.message);
    EXPECT_EQ(message_conversations(c.query), std::vector<Id>{conv.id}) << c.query;
  }
}

// A search has the index thread take what waits first; without one, the
// thread indexes new rows by itself within moments, and the writer then
// forgets the changes it took.
TEST_P(SearchStoreTest, TheIndexThreadIndexesNewRowsWithoutASearch) {
  if (db_->postgres()) GTEST_SKIP() << "SQLite's index file";
  chat("Where is my parcel?");
  auto path = db_->sqlite_path();
  sqlite::Connection db(path);
  sqlite::attach_search(db, path);
  auto count = [&](const std::string& sql) {
    sqlite::Statement q(db, sql);
    EXPECT_TRUE(q.step());
    return q.int64(0);
  };
  auto found = [&] {
    return count("SELECT count(*) FROM search_event WHERE search_event MATCH 'parcel'");
  };
  auto waiting = [&] { return count("SELECT count(*) FROM search_change"); };
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while ((found() == 0 || waiting() > 0) && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_EQ(found(), 1);
  EXPECT_EQ(waiting(), 0);
}

TEST_P(SearchStoreTest, CaseAndAccentsFoldAndTheSnippetMarksTheMatch) {
  auto conv = chat("Perché il pacco è in ritardo?");
  auto hits = find("PERCHE ").messages;
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].conversation_id, conv.id);
  std::string marked;
  for (const auto& p : hits[0].snippet)
    if (p.match) marked += p.text;
  EXPECT_EQ(marked, "Perché");
}

TEST_P(SearchStoreTest, TheLastWordIsAPrefixWhileTyping) {
  auto conv = chat("The delivery page is broken");
  EXPECT_EQ(message_conversations("page deliv"), std::vector<Id>{conv.id});
  EXPECT_TRUE(message_conversations("page deliv ").empty());
  EXPECT_TRUE(message_conversations("deliv page").empty());  // only the last word
}

TEST_P(SearchStoreTest, OperatorsAndQuotesAreOnlyWords) {
  chat("plain words here");
  for (std::string text :
       {"\"", "*", "plain*", "plain OR nothing", "NEAR(plain words)", "body:plain", "{body}: plain",
        "^plain", "plain NOT words", "'", "(((", "plain\"words", "-plain", "rowid:1 plain"}) {
    try {
      find(text);
    } catch (const StoreError& e) {
      EXPECT_EQ(e.code(), StoreError::Code::kInvalid) << text;  // no words at all
    }
  }
  EXPECT_TRUE(find("plain OR nothing").messages.empty());  // OR is a word, and required
  EXPECT_TRUE(find("plain NOT words").messages.empty());
  auto expr = sqlite::search_queries::match_expression("a\" OR body:xy*");
  ASSERT_TRUE(expr);
  EXPECT_EQ(*expr, "\"a\" AND \"or\" AND \"body\" AND (\"xy\" OR \"xy\"*)");
  EXPECT_EQ(*sqlite::search_queries::match_expression("a x"),
            "\"a\" AND \"x\"");  // 1 letter: no prefix
  EXPECT_FALSE(sqlite::search_queries::match_expression("*** \"\" ()"));
}

TEST_P(SearchStoreTest, NotesAndMessagesButNotSystemEvents) {
  auto conv = chat("hello");
  note(conv, "escalate to billing");
  store_->set_status(ws_, conv.id, ConversationStatus::kClosed, {AuthorType::kAgent, 7, "Anna"});
  auto hits = find("billing").messages;
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].kind, "note");
  EXPECT_TRUE(find("closed").messages.empty());
}

TEST_P(SearchStoreTest, WorkspaceAndScopeDecideWhatIsSeen) {
  auto a = chat("parcel damaged", inbox_);
  auto b = chat("parcel lost", inbox_b_);
  auto other = chat("parcel elsewhere", other_inbox_);
  EXPECT_EQ(message_conversations("parcel", other_ws_), std::vector<Id>{other.id});
  SearchQuery q;
  q.workspace_id = ws_;
  q.text = "parcel";
  q.agent_id = 99;
  q.scope.inboxes = {inbox_b_};
  auto r = store_->search(q);
  ASSERT_EQ(r.messages.size(), 1u);
  EXPECT_EQ(r.messages[0].conversation_id, b.id);
  ASSERT_EQ(r.conversations.size(), 0u);
  q.text = "Giulia";
  r = store_->search(q);
  ASSERT_EQ(r.contacts.size(), 1u);  // only the contact of the conversation in scope
  EXPECT_EQ(r.contacts[0].conversation_id, b.id);
  q.unrestricted = true;
  EXPECT_EQ(store_->search(q).contacts.size(), 2u);
  (void)a;
}

TEST_P(SearchStoreTest, ContactsByNameEmailAndPhoneDigits) {
  auto conv = chat("hi", inbox_, "Zsófia Nagy");
  auto r = find("zsofia");
  ASSERT_EQ(r.contacts.size(), 1u);
  EXPECT_EQ(r.contacts[0].name, "Zsófia Nagy");
  EXPECT_EQ(r.contacts[0].conversation_id, conv.id);
  ASSERT_EQ(r.conversations.size(), 1u);
  EXPECT_EQ(find(conv.contact.email).contacts.size(), 1u);
  EXPECT_EQ(find("3331231001").contacts.size(), 1u);
  EXPECT_EQ(find("393331231001").contacts.size(), 1u);
  EXPECT_EQ(find("333 123").contacts.size(), 1u);
}

TEST_P(SearchStoreTest, ErasureTakesTheCustomerOutOfTheIndex) {
  auto conv = chat("my secret address is Via Roma 12", inbox_, "Erika Mustermann");
  note(conv, "Erika Mustermann is a VIP");
  ASSERT_EQ(find("Mustermann").contacts.size(), 1u);
  ASSERT_TRUE(store_->erase_contact(ws_, conv.contact.id));
  auto r = find("Mustermann");
  EXPECT_TRUE(r.contacts.empty());
  EXPECT_TRUE(r.conversations.empty());
  EXPECT_TRUE(r.messages.empty());
  if (db_->postgres()) return;  // no copy of the text beside the rows
  // The index's own copy of the text is erased with the rows, before any search.
  auto path = db_->sqlite_path();
  sqlite::Connection db(path);
  sqlite::attach_search(db, path);
  for (const char* sql :
       {"SELECT count(*) FROM search_event WHERE body LIKE '%Roma%' OR body LIKE '%Mustermann%'",
        "SELECT count(*) FROM search_contact WHERE name LIKE '%Mustermann%'",
        "SELECT count(*) FROM search_conversation WHERE name LIKE '%Mustermann%'"}) {
    sqlite::Statement q(db, sql);
    ASSERT_TRUE(q.step());
    EXPECT_EQ(q.int64(0), 0) << sql;
  }
  // The words are gone from the index itself, not only filtered out.
  sqlite::Statement s(
      db, "SELECT count(*) FROM search_event WHERE search_event MATCH 'roma OR mustermann'");
  ASSERT_TRUE(s.step());
  EXPECT_EQ(s.int64(0), 0);
  db.exec("INSERT INTO search_contact (search_contact, rank) VALUES ('integrity-check', 1)");
  db.exec(
      "INSERT INTO search_conversation (search_conversation, rank) VALUES ('integrity-check', 1)");
}

TEST_P(SearchStoreTest, RetentionPurgeLeavesAConsistentIndex) {
  store_->set_retention_days(ws_, 30);
  auto old = chat("ancient complaint about shipping");
  auto fresh = chat("recent complaint about shipping");
  store_->set_status(ws_, old.id, ConversationStatus::kClosed, {AuthorType::kAgent, 7, "Anna"});
  now_ += 40 * kDay;
  EXPECT_EQ(store_->purge_expired_conversations(now_, 10).conversations, 1);
  EXPECT_EQ(message_conversations("complaint shipping"), std::vector<Id>{fresh.id});
  EXPECT_TRUE(find("ancient").messages.empty());
  if (db_->postgres()) return;  // no index file to check
  sqlite::Connection db(db_->sqlite_path());
  sqlite::attach_search(db, db_->sqlite_path());
  db.exec(
      "INSERT INTO search_conversation (search_conversation, rank) VALUES ('integrity-check', 1)");
  sqlite::Statement s(db, "SELECT count(*) FROM search_event WHERE search_event MATCH 'ancient'");
  ASSERT_TRUE(s.step());
  EXPECT_EQ(s.int64(0), 0);
}

TEST_P(SearchStoreTest, PagesGoBackInTime) {
  for (int i = 0; i < 5; ++i) chat("invoice copy please");
  SearchQuery q;
  q.workspace_id = ws_;
  q.text = "invoice";
  q.unrestricted = true;
  q.limit = 2;
  q.type = SearchQuery::Type::kMessages;
  std::vector<Id> seen;
  for (int page = 0; page < 4; ++page) {
    auto r = store_->search(q);
    for (const auto& h : r.messages) seen.push_back(h.event_id);
    if (r.messages.empty()) break;
    q.before = r.messages.back().event_id;
  }
  ASSERT_EQ(seen.size(), 5u);
  EXPECT_TRUE(std::is_sorted(seen.rbegin(), seen.rend()));
}

// A workspace, an inbox, a contact and its conversation, with ids 1.
constexpr const char* kOneConversation = R"sql(
      INSERT INTO workspace (id, name, created_at, slug) VALUES (1, 'Acme', 0, 'acme');
      INSERT INTO inbox (id, workspace_id, name, public_key, timezone, business_hours, widget,
        prechat_fields, topics, created_at) VALUES (1, 1, 'Web', 'k', 'UTC', '{}', '{}', '[]', '[]', 0);
      INSERT INTO contact (id, workspace_id, name, created_at) VALUES (1, 1, 'Olga', 0);
      INSERT INTO conversation (id, workspace_id, inbox_id, contact_id, visitor_id, client_id, kind,
        status, subject, created_at, updated_at) VALUES (1, 1, 1, 1, 'v', 'a', 'chat', 'open', '', 0, 0);
)sql";

// The index thread's work, driven by hand: rows written on one connection (as
// the writer would) reach the index in its own file once committed and the
// index catches up, exactly once, as they are then.

SB_STORE_BACKENDS(SearchStoreTest);

class SearchIndexTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "sb-search-index-XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    path_ = (dir_ / "switchboard.db").string();
    db_ = std::make_unique<sqlite::Connection>(path_);
    sqlite::migrate(*db_, schema());
    db_->exec(kOneConversation);
    if (schema() == SIZE_MAX) {
      open_index();
      index_->build();
    }
  }

  void TearDown() override {
    close_index();
    db_.reset();
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  virtual std::size_t schema() const { return SIZE_MAX; }

  // The index, and a reader of it. `db_` is the writer: it never attaches the
  // index (BEGIN IMMEDIATE would take the index's write lock too).
  void open_index(bool background = false) {
    index_ = std::make_unique<sqlite::SearchIndex>(path_, background);
    reader_ = std::make_unique<sqlite::Connection>(path_);
    sqlite::attach_search(*reader_, path_);
  }

  void close_index() {
    reader_.reset();
    index_.reset();
  }

  // Waits for the index thread to finish building the file from the tables.
  void wait_until_built() {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (!index_->catch_up() && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    ASSERT_TRUE(index_->catch_up());
  }

  void message(Id id, const std::string& body, const std::string& kind = "message") {
    sqlite::Statement s(
        *db_,
        "INSERT INTO event (id, workspace_id, conversation_id, seq, kind, "
        "author_type, body, created_at) VALUES (?1, 1, 1, ?1, ?2, 'visitor', ?3, 0)");
    s.bind(1, id).bind(2, kind).bind(3, body).run();
  }

  std::int64_t count(const std::string& sql) {
    sqlite::Statement s(reader_ ? *reader_ : *db_, sql);
    EXPECT_TRUE(s.step());
    return s.int64(0);
  }

  std::int64_t found(const std::string& table, const std::string& word) {
    return count("SELECT count(*) FROM " + table + " WHERE " + table + " MATCH '" + word + "'");
  }
  std::int64_t matches(const std::string& word) { return found("search_event", word); }

  // Each index's structure agrees with the text it keeps.
  void expect_consistent() {
    for (const char* t : {"search_event", "search_conversation", "search_contact"})
      EXPECT_NO_THROW(reader_->exec(std::string("INSERT INTO ") + t + " (" + t +
                                    ", rank) VALUES ('integrity-check', 1)"))
          << t;
  }

  fs::path dir_;
  std::string path_;
  std::unique_ptr<sqlite::Connection> db_;
  std::unique_ptr<sqlite::SearchIndex> index_;
  std::unique_ptr<sqlite::Connection> reader_;
};

TEST_F(SearchIndexTest, OnlyCommittedRowsAreIndexed) {
  db_->exec("BEGIN IMMEDIATE");
  db_->exec("SAVEPOINT job");
  message(1, "parcel never arrived");
  message(2, "refund requested");
  db_->exec("RELEASE job");
  db_->exec("SAVEPOINT job");
  message(3, "rolled back with its job");
  db_->exec("ROLLBACK TO job");
  db_->exec("RELEASE job");
  // The index catches up while the writer's transaction is open: it sees none of it.
  EXPECT_TRUE(index_->catch_up());
  EXPECT_EQ(matches("parcel"), 0);
  db_->exec("COMMIT");
  EXPECT_EQ(matches("parcel"), 0);  // committed, not yet taken
  index_->catch_up();
  EXPECT_EQ(matches("parcel"), 1);
  EXPECT_EQ(matches("refunds"), 1);  // by stem
  EXPECT_EQ(matches("rolled"), 0);
  expect_consistent();
}

TEST_F(SearchIndexTest, ChangesAreIndexedAsTheyWereLastWritten) {
  message(1, "indexed earlier");
  index_->catch_up();
  db_->exec("BEGIN IMMEDIATE");
  message(2, "secret address Via Roma");
  db_->exec("UPDATE event SET body = 'redacted' WHERE id = 2");  // erasure
  message(3, "deleted soon after");
  db_->exec("DELETE FROM event WHERE id = 3");  // retention
  message(4, "replaced entirely");
  db_->exec("DELETE FROM event WHERE id = 4");
  message(4, "id taken again");  // SQLite reuses the highest rowid once deleted
  db_->exec("UPDATE event SET body = 'indexed later' WHERE id = 1");  // indexed already
  db_->exec("COMMIT");
  index_->catch_up();
  EXPECT_EQ(matches("roma"), 0);
  EXPECT_EQ(matches("redacted"), 1);
  EXPECT_EQ(matches("deleted"), 0);
  EXPECT_EQ(matches("replaced"), 0);
  EXPECT_EQ(matches("taken"), 1);
  EXPECT_EQ(matches("earlier"), 0);
  EXPECT_EQ(matches("later"), 1);
  expect_consistent();
  // Erased text leaves the index's own copy too.
  db_->exec("UPDATE event SET body = 'erased' WHERE id = 2");
  db_->exec("DELETE FROM event WHERE id = 4");
  index_->catch_up();
  EXPECT_EQ(count("SELECT count(*) FROM search_event WHERE body LIKE '%redacted%'"), 0);
  EXPECT_EQ(matches("erased"), 1);
  EXPECT_EQ(matches("taken"), 0);
  expect_consistent();
}

TEST_F(SearchIndexTest, OnlyMessagesAndNotesAreIndexed) {
  message(1, "visible note", "note");
  message(2, "conversation closed", "system");
  index_->catch_up();
  EXPECT_EQ(matches("visible"), 1);
  EXPECT_EQ(matches("closed"), 0);
  db_->exec("UPDATE event SET kind = 'message' WHERE id = 2");  // kinds change rarely, but
  db_->exec("UPDATE event SET kind = 'system' WHERE id = 1");
  index_->catch_up();
  EXPECT_EQ(matches("closed"), 1);
  EXPECT_EQ(matches("visible"), 0);
}

// More than a chunk at once: a search's catch-up takes all of them.
TEST_F(SearchIndexTest, ACatchUpTakesEveryChunk) {
  const auto n = 2 * sqlite::kIndexChunk + 5;
  db_->exec("BEGIN");
  for (Id id = 1; id <= n; ++id) message(id, id == n ? "newest parcel" : "older parcel");
  db_->exec("COMMIT");
  EXPECT_EQ(index_->figures().behind, 0);  // as of the last pass, before these
  index_->catch_up();
  EXPECT_EQ(index_->figures().behind, 0);
  EXPECT_FALSE(index_->figures().building);
  EXPECT_EQ(matches("older"), n - 1);
  EXPECT_EQ(matches("newest"), 1);
  expect_consistent();
}

// Tickets and contacts take the same path; a contact's change reaches the
// conversations that repeat its name, and a deleted row leaves no entry.
TEST_F(SearchIndexTest, ConversationsAndContactsFollowTheirRows) {
  db_->exec(R"sql(
    INSERT INTO contact (id, workspace_id, name, email, created_at)
      VALUES (2, 1, 'Laura Bianchi', 'laura@example.it', 0);
    INSERT INTO conversation (id, workspace_id, inbox_id, contact_id, visitor_id, client_id, kind,
      status, subject, created_at, updated_at)
      VALUES (2, 1, 1, 2, 'v2', 'b', 'ticket', 'open', 'Broken kettle', 0, 0);
    INSERT INTO conversation (id, workspace_id, inbox_id, contact_id, visitor_id, client_id, kind,
      status, subject, created_at, updated_at)
      VALUES (3, 1, 1, 2, 'v2', 'c', 'ticket', 'open', 'Deleted draft', 0, 0);
  )sql");
  db_->exec("UPDATE contact SET name = 'Laura Rossi' WHERE id = 2");
  db_->exec("UPDATE conversation SET subject = 'Broken kettles' WHERE id = 2");
  db_->exec("DELETE FROM conversation WHERE id = 3");
  index_->catch_up();
  EXPECT_EQ(found("search_conversation", "kettle"), 1);  // by stem, as last written
  EXPECT_EQ(found("search_conversation", "rossi"), 1);   // the contact's name, as last written
  EXPECT_EQ(found("search_conversation", "bianchi"), 0);
  EXPECT_EQ(found("search_conversation", "draft"), 0);
  EXPECT_EQ(found("search_contact", "rossi"), 1);
  expect_consistent();
  db_->exec("UPDATE contact SET email = 'laura@example.org' WHERE id = 2");
  index_->catch_up();
  EXPECT_EQ(found("search_contact", "\"example.org\""), 1);
  EXPECT_EQ(found("search_conversation", "\"example.org\""), 1);
  db_->exec("DELETE FROM conversation WHERE id = 2");
  index_->catch_up();
  EXPECT_EQ(found("search_conversation", "kettle"), 0);
  expect_consistent();
}

// The file is derived: deleted, it is built again from the tables while the
// index follows new changes; a file from later than the database (the
// database restored from a backup) or made for another database is thrown
// away and built again.
TEST_F(SearchIndexTest, AMissingOrForeignFileIsBuiltFromTheTables) {
  message(1, "parcel never arrived");
  index_->catch_up();
  db_->exec("VACUUM INTO '" + (dir_ / "backup.db").string() + "'");
  close_index();
  for (const char* suffix : {".search", ".search-wal", ".search-shm"}) fs::remove(path_ + suffix);
  open_index();
  EXPECT_TRUE(index_->figures().building);  // for /metrics
  close_index();
  open_index(true);
  message(2, "refund requested after the restart");
  wait_until_built();
  EXPECT_FALSE(index_->figures().building);
  EXPECT_EQ(matches("parcel"), 1);
  EXPECT_EQ(matches("refund"), 1);
  expect_consistent();

  // The database as it was before message 2, its index file from after.
  close_index();
  db_.reset();
  for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(path_ + suffix);
  sqlite::Connection backup((dir_ / "backup.db").string());
  backup.exec("VACUUM INTO '" + path_ + "'");
  db_ = std::make_unique<sqlite::Connection>(path_);
  open_index(true);
  wait_until_built();
  EXPECT_EQ(matches("parcel"), 1);
  EXPECT_EQ(matches("refund"), 0);
  expect_consistent();

  // Another database given this one's index file (same ids, other rows).
  close_index();
  db_.reset();
  auto other = (dir_ / "other.db").string();
  {
    sqlite::Connection db(other);
    sqlite::migrate(db);
    db.exec(kOneConversation);
    db.exec(
        "INSERT INTO event (id, workspace_id, conversation_id, seq, kind, author_type, body, "
        "created_at) VALUES (1, 1, 1, 1, 'message', 'visitor', 'invoice missing', 0)");
  }
  fs::copy_file(path_ + ".search", other + ".search");
  path_ = other;
  db_ = std::make_unique<sqlite::Connection>(path_);
  open_index(true);
  wait_until_built();
  EXPECT_EQ(matches("parcel"), 0);
  EXPECT_EQ(matches("invoice"), 1);
  expect_consistent();
}

// A damaged index file does not keep the store from opening: it is made again.
TEST_F(SearchIndexTest, AFileThatIsNoDatabaseIsMadeAgain) {
  message(1, "parcel never arrived");
  close_index();
  for (const char* suffix : {".search", ".search-wal", ".search-shm"}) fs::remove(path_ + suffix);
  {
    std::ofstream junk(path_ + ".search", std::ios::binary);
    junk << std::string(8192, 'x');
  }
  open_index(true);
  wait_until_built();
  EXPECT_EQ(matches("parcel"), 1);
  expect_consistent();
}

// A store from before the index had a file of its own: upgraded, the file is
// built from the tables, with what the old index had and what was still listed.
class SearchIndexUpgradeTest : public SearchIndexTest {
 protected:
  std::size_t schema() const override { return 22; }
};

TEST_F(SearchIndexUpgradeTest, EveryMessageIsFoundAfterTheUpgrade) {
  message(1, "parcel never arrived");
  // Indexed as that version's writer did.
  db_->exec(
      "INSERT INTO search_event (rowid, body) SELECT e.id, e.body FROM search_event_pending p "
      "JOIN event e ON e.id = p.id; DELETE FROM search_event_pending");
  message(2, "refund requested twice");  // still listed at the upgrade
  sqlite::migrate(*db_);
  EXPECT_EQ(count("SELECT count(*) FROM sqlite_master WHERE name IN ('search_event', "
                  "'search_event_pending')"),
            0);
  open_index(true);
  wait_until_built();
  EXPECT_EQ(matches("parcel"), 1);
  EXPECT_EQ(matches("refunds"), 1);
  EXPECT_EQ(matches("parc*"), 1);
  EXPECT_EQ(found("search_contact", "olga"), 1);
  expect_consistent();
  db_->exec("DELETE FROM event WHERE id = 1");
  index_->catch_up();
  EXPECT_EQ(matches("parcel"), 0);
  expect_consistent();
}

}  // namespace
}  // namespace sb
