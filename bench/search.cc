// Full-text search at scale: a store with N messages (default 1,000,000) of real
// sentences in five languages and customer questions, then 1,000 queries as
// agents type them (one or two words, the last often a prefix) through
// Store::search, the code GET /api/v1/search runs. Also the write path: the cost
// the index adds to appending a message. Prints one JSON line.
// Usage: switchboard-search-bench DATA_DIR DB_PATH [MESSAGES] [QUERIES]
#include <algorithm>
#include <boost/json.hpp>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>
#include <sstream>
#include <thread>

#include "kb/kb.h"
#include "store/search_index.h"
#include "store/search_queries.h"
#include "store/store.h"

namespace {

namespace fs = std::filesystem;
namespace json = boost::json;
using Clock = std::chrono::steady_clock;
using sb::Id;

constexpr int kMessagesPerConversation = 10;

// CPU time of the whole process (every thread), in ms: unlike wall time, it
// hardly moves when other work shares the machine.
double cpu_ms() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) * 1e3 + static_cast<double>(t.tv_nsec) / 1e6;
}

double ms_since(Clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

// Sentences of the five languages and customer questions, shuffled together.
std::vector<std::string> corpus(const fs::path& data) {
  std::vector<std::string> out;
  for (const char* lang : {"en", "it", "ru", "hu", "pl"}) {
    std::ifstream in(data / "langid" / "sentences" / (std::string(lang) + ".txt"));
    for (std::string line; std::getline(in, line);)
      if (line.size() > 10) out.push_back(line);
  }
  for (const char* set : {"banking77", "clinc150"}) {
    std::ifstream in(data / "intents" / set / "train.jsonl");
    for (std::string line; std::getline(in, line);)
      if (!line.empty()) out.emplace_back(json::parse(line).at("text").as_string());
  }
  if (out.empty()) throw std::runtime_error("no sentences under " + data.string());
  std::shuffle(out.begin(), out.end(), std::mt19937(7));
  return out;
}

// The workspace and its inbox.
std::pair<Id, Id> make_workspace(const std::string& db) {
  auto store = sb::open_sqlite_store({.path = db});
  sb::Agent admin;
  admin.name = "Bench Admin";
  admin.email = "bench@search.test";
  admin.role = "admin";
  admin.password_hash = "x";
  sb::Inbox inbox;
  inbox.name = "Bench";
  inbox.public_key = "bench";
  auto setup = store->create_workspace("Search bench", admin, inbox);
  return {setup.workspace_id, setup.inbox.id};
}

// Contacts, conversations and events written straight into the tables, so the
// index is built by the same triggers that keep it in step in production.
void fill(const std::string& path, Id ws, int messages, const std::vector<std::string>& text) {
  sb::sqlite::Connection db(path);
  Id inbox = 0;
  {
    sb::sqlite::Statement q(db, "SELECT id FROM inbox WHERE workspace_id = ?");
    q.bind(1, ws);
    if (q.step()) inbox = q.int64(0);
  }
  static const char* kFirst[] = {"Giulia", "Marco",  "Anna", "Piotr", "Olga",
                                 "Ivan",   "Zsófia", "John", "Mary",  "László"};
  static const char* kLast[] = {"Rossi",  "Bianchi", "Kowalska", "Nowak", "Ivanova",
                                "Petrov", "Nagy",    "Smith",    "Brown", "Kovács"};
  std::mt19937 random(42);
  auto pick = [&](std::size_t n) { return static_cast<std::size_t>(random() % n); };
  sb::Millis now = 1'700'000'000'000;
  int conversations = (messages + kMessagesPerConversation - 1) / kMessagesPerConversation;
  db.exec("BEGIN");
  for (int c = 0, written = 0; c < conversations; ++c) {
    std::string name = std::string(kFirst[pick(10)]) + " " + kLast[pick(10)];
    sb::sqlite::Statement contact(db,
                                  "INSERT INTO contact (workspace_id, name, email, phone, "
                                  "created_at) VALUES (?, ?, ?, ?, ?)");
    contact.bind(1, ws)
        .bind(2, name)
        .bind(3, "customer" + std::to_string(c) + "@example.com")
        .bind(4, "+39 333 " + std::to_string(1000000 + c))
        .bind(5, now)
        .run();
    Id contact_id = db.last_insert_id();
    int n = std::min(kMessagesPerConversation, messages - written);
    sb::sqlite::Statement conv(db,
                               "INSERT INTO conversation (workspace_id, inbox_id, contact_id, "
                               "visitor_id, client_id, kind, "
                               "status, subject, last_seq, created_at, updated_at) VALUES (?, ?, "
                               "?, ?, 'c', 'chat', 'closed', ?, ?, ?, ?)");
    conv.bind(1, ws)
        .bind(2, inbox)
        .bind(3, contact_id)
        .bind(4, "v" + std::to_string(c))
        .bind(5, text[pick(text.size())].substr(0, 60))
        .bind(6, n)
        .bind(7, now)
        .bind(8, now)
        .run();
    Id conv_id = db.last_insert_id();
    for (int seq = 1; seq <= n; ++seq, ++written) {
      bool note = seq % 10 == 5;
      std::string body = text[pick(text.size())];
      if (random() % 3 == 0) body += " " + text[pick(text.size())];
      sb::sqlite::Statement ev(db,
                               "INSERT INTO event (workspace_id, conversation_id, seq, kind, "
                               "author_type, author_name, body, created_at) "
                               "VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
      ev.bind(1, ws)
          .bind(2, conv_id)
          .bind(3, seq)
          .bind(4, note ? "note" : "message")
          .bind(5, seq % 2 ? "visitor" : "agent")
          .bind(6, seq % 2 ? name : "Anna")
          .bind(7, body)
          .bind(8, now + written)
          .run();
    }
    if (c % 5000 == 4999) {
      db.exec("COMMIT");
      db.exec("BEGIN");
    }
  }
  db.exec("COMMIT");
  // Indexed as the server's index thread does, then merged into one segment.
  {
    sb::sqlite::SearchIndex index(path, false);
    index.build();     // a file made before the rows: nothing to build,
    index.catch_up();  // the rows are in the change log
  }
  sb::sqlite::attach_search(db, path);
  db.exec("INSERT INTO search_event (search_event) VALUES ('optimize')");
}

// As an agent types: one or two words of a message, the last one often cut short.
std::vector<std::string> queries(const std::vector<std::string>& text, int count) {
  std::mt19937 random(99);
  std::vector<std::string> out;
  while (static_cast<int>(out.size()) < count) {
    auto words = sb::kb::words(text[random() % text.size()]);
    std::erase_if(words, [](const std::string& w) {
      return w.size() < 4 || sb::kb::is_stopword(sb::kb::fold(w), "");
    });
    if (words.empty()) continue;
    std::size_t at = random() % words.size();
    std::string q = words[at];
    if (random() % 3 == 0 && at + 1 < words.size()) q += " " + words[at + 1];
    auto last_space = q.rfind(' ');
    std::size_t last_len = q.size() - (last_space == std::string::npos ? 0 : last_space + 1);
    if (random() % 2 == 0 && last_len > 5) q.resize(q.size() - last_len + 3 + random() % 3);
    while (!q.empty() && (static_cast<unsigned char>(q.back()) & 0xC0) == 0x80)
      q.pop_back();  // whole letters
    if (!q.empty() && (static_cast<unsigned char>(q.back()) & 0xC0) == 0xC0) q.pop_back();
    out.push_back(q);
  }
  return out;
}

double percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<std::size_t>(p * static_cast<double>(v.size())))];
}

// CPU microseconds per appended message through the store: `writers`
// threads, as many visitors sending at once (group commit batches them), each
// in a conversation of its own, with real sentences.
double append_cost_us(sb::Store& store, Id ws, Id inbox, int count, int writers,
                      const std::string& run, const std::vector<std::string>& text) {
  std::vector<sb::Conversation> convs;
  for (int w = 0; w < writers; ++w)
    convs.push_back(store
                        .create_conversation({.workspace_id = ws,
                                              .inbox_id = inbox,
                                              .visitor_id = "write-" + std::to_string(w),
                                              .client_id = run,
                                              .name = "Write Bench"})
                        .first);
  double cpu0 = cpu_ms();
  std::vector<std::thread> threads;
  for (int w = 0; w < writers; ++w)
    threads.emplace_back([&, w] {
      const auto& conv = convs[static_cast<std::size_t>(w)];
      for (int i = w; i < count; i += writers) {
        sb::NewEvent e;
        e.workspace_id = ws;
        e.conversation_id = conv.id;
        e.author = {sb::AuthorType::kVisitor, conv.contact.id, "Write Bench"};
        e.body = text[static_cast<std::size_t>(i) * 7919 % text.size()];
        e.client_id = run + std::to_string(i);
        (void)store.append_event(e);
      }
    });
  for (auto& t : threads) t.join();
  // A search has the index thread take every message first: its CPU counts too.
  (void)store.search({.workspace_id = ws, .text = "x", .unrestricted = true});
  return (cpu_ms() - cpu0) * 1000 / count;
}

// CPU microseconds the tokenizer alone spends on a message (the writer runs it
// for every message it indexes): sb_words's words, stems and the stem cache.
double tokenize_us(const std::vector<std::string>& text, int count) {
  sb::sqlite::Connection db(":memory:");
  fts5_api* api = nullptr;
  {
    sqlite3_stmt* stmt = nullptr;
    sqlite3_prepare_v2(db.get(), "SELECT fts5(?1)", -1, &stmt, nullptr);
    sqlite3_bind_pointer(stmt, 1, static_cast<void*>(&api), "fts5_api_ptr", nullptr);
    sqlite3_step(stmt);
    sqlite3_finalize(stmt);
  }
  void* user = nullptr;
  fts5_tokenizer tok{};
  if (!api || api->xFindTokenizer(api, "sb_words", &user, &tok) != SQLITE_OK) return -1;
  Fts5Tokenizer* t = nullptr;
  tok.xCreate(user, nullptr, 0, &t);
  long tokens = 0;
  auto each = [](void* ctx, int, const char*, int, int, int) {
    ++*static_cast<long*>(ctx);
    return SQLITE_OK;
  };
  double cpu0 = cpu_ms();
  for (int i = 0; i < count; ++i) {
    const auto& body = text[static_cast<std::size_t>(i) * 7919 % text.size()];
    tok.xTokenize(t, &tokens, FTS5_TOKENIZE_DOCUMENT, body.data(), static_cast<int>(body.size()),
                  each);
  }
  double us = (cpu_ms() - cpu0) * 1000 / count;
  tok.xDelete(t);
  return us;
}

// How messages are indexed: not at all (every search trigger dropped) or by
// the index thread (now).
enum class Indexing { kNone, kBackground };

void set_indexing(const std::string& path, Indexing how) {
  if (how != Indexing::kNone) return;
  sb::sqlite::Connection db(path);
  sb::sqlite::Statement triggers(
      db, "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'search%'");
  std::vector<std::string> names;
  while (triggers.step()) names.push_back(triggers.text(0));
  for (const auto& name : names) db.exec("DROP TRIGGER " + name);
}

// The median of three rounds, each on a fresh store.
double median_append_us(const std::string& path, Indexing how, int writers,
                        const std::vector<std::string>& text) {
  std::vector<double> rounds;
  for (int round = 0; round < 3; ++round) {
    for (auto suffix : {"", "-wal", "-shm", ".search", ".search-wal", ".search-shm"})
      fs::remove(path + suffix);
    auto [ws, inbox] = make_workspace(path);
    set_indexing(path, how);
    auto store = sb::open_sqlite_store({.path = path});
    append_cost_us(*store, ws, inbox, 500, writers, "warm", text);
    rounds.push_back(append_cost_us(*store, ws, inbox, 5000, writers, "run", text));
  }
  for (auto suffix : {"", "-wal", "-shm", ".search", ".search-wal", ".search-shm"})
    fs::remove(path + suffix);
  return percentile(rounds, 0.5);
}

// The store of `messages` and the queries over it.
void search_part(json::object& report, const std::string& path, int messages, int query_count,
                 const std::vector<std::string>& text) {
  // The store is kept between runs; a new one is built when the size differs.
  std::string marker = path + ".messages";
  bool reuse = false;
  if (fs::exists(path) && fs::exists(marker)) {
    std::ifstream in(marker);
    int had = 0;
    reuse = (in >> had) && had == messages;
  }
  Id ws = 1;
  if (!reuse) {
    for (auto suffix : {"", "-wal", "-shm", ".search", ".search-wal", ".search-shm", ".messages"})
      fs::remove(path + suffix);
    auto t0 = Clock::now();
    ws = make_workspace(path).first;
    fill(path, ws, messages, text);
    report["build_s"] = ms_since(t0) / 1000;
    std::ofstream(marker) << messages;
  }
  report["db_mb"] = static_cast<double>(fs::file_size(path)) / 1e6;

  auto store = sb::open_sqlite_store({.path = path});
  auto qs = queries(text, query_count);
  std::vector<double> ms;
  std::size_t hits = 0;
  for (const auto& q : qs) {
    sb::SearchQuery sq;
    sq.workspace_id = ws;
    sq.text = q;
    sq.agent_id = 1;
    sq.unrestricted = true;
    auto t0 = Clock::now();
    try {
      auto r = store->search(sq);
      hits += r.messages.size();
    } catch (const sb::StoreError&) {
    }
    ms.push_back(ms_since(t0));
  }
  report["search_p50_ms"] = percentile(ms, 0.50);
  report["search_p95_ms"] = percentile(ms, 0.95);
  report["search_p99_ms"] = percentile(ms, 0.99);
  report["search_max_ms"] = percentile(ms, 1.0);
  report["mean_message_hits"] = static_cast<double>(hits) / static_cast<double>(qs.size());
  std::vector<std::size_t> order(ms.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](auto a, auto b) { return ms[a] > ms[b]; });
  json::array slowest;
  for (std::size_t i = 0; i < std::min<std::size_t>(5, order.size()); ++i)
    slowest.push_back({{"q", qs[order[i]]}, {"ms", ms[order[i]]}});
  report["slowest"] = std::move(slowest);

  // The worst case: an agent whose scope covers none of the many matches of a
  // common word, so every match is looked at and none is shown.
  {
    sb::SearchQuery sq;
    sq.workspace_id = ws;
    sq.text = "card ";
    sq.agent_id = 1;
    sq.scope.inboxes = {999999};
    auto t0 = Clock::now();
    store->search(sq);
    report["scoped_no_match_card_ms"] = ms_since(t0);
  }

  // Where the time goes: each list alone, on the first 200 queries.
  using Type = sb::SearchQuery::Type;
  for (auto [type, name] : {std::pair{Type::kMessages, "messages"},
                            {Type::kConversations, "conversations"},
                            {Type::kContacts, "contacts"}}) {
    std::vector<double> part;
    for (std::size_t i = 0; i < std::min<std::size_t>(200, qs.size()); ++i) {
      sb::SearchQuery sq;
      sq.workspace_id = ws;
      sq.text = qs[i];
      sq.type = type;
      sq.unrestricted = true;
      auto t0 = Clock::now();
      try {
        store->search(sq);
      } catch (const sb::StoreError&) {
      }
      part.push_back(ms_since(t0));
    }
    report[std::string(name) + "_only_p95_ms"] = percentile(part, 0.95);
  }
}

}  // namespace

int run(int argc, char** argv);

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << argv[0] << ": " << e.what() << "\n";
    return 1;
  }
}

int run(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: " << argv[0] << " DATA_DIR DB_PATH [MESSAGES] [QUERIES]\n";
    return 2;
  }
  fs::path data = argv[1];
  std::string path = argv[2];
  int messages = argc > 3 ? std::stoi(argv[3]) : 1'000'000;
  int query_count = argc > 4 ? std::stoi(argv[4]) : 1000;
  auto text = corpus(data);
  json::object report{{"messages", messages}, {"queries", query_count}};

  if (!std::getenv("WRITE_ONLY")) search_part(report, path, messages, query_count, text);

  report["tokenize_us_per_message"] = tokenize_us(text, 5500);
  // The write path: one writer (a transaction per message) and 16 (group commit).
  // WRITE_ONLY=1 skips the store and the queries (bench/search.sh passes it on).
  std::vector<int> writer_counts{1, 16};
  if (const char* w = std::getenv("WRITERS")) {  // e.g. WRITERS="16 64"
    writer_counts.clear();
    std::istringstream in(w);
    for (int n = 0; in >> n;) writer_counts.push_back(n);
  }
  for (int writers : writer_counts)
    for (auto [how, name] :
         {std::pair{Indexing::kNone, "none"}, {Indexing::kBackground, "background"}})
      report["append_us_" + std::to_string(writers) + "_" + name] =
          median_append_us(path + ".write", how, writers, text);
  std::cout << json::serialize(report) << "\n";
  return 0;
}
