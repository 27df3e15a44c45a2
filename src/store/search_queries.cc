#include "store/search_queries.h"

#include <cctype>
#include <cstring>
#include <functional>
#include <limits>
#include <random>

#include "kb/kb.h"
#include "store/rows.h"

namespace sb::sqlite::search_queries {
namespace {

namespace json = boost::json;

constexpr std::size_t kMaxWords = 12;
constexpr std::size_t kMaxWordBytes = 64;  // the tokenizer indexes nothing longer
constexpr int kSnippetTokens = 16;

std::string quoted(std::string_view word) {
  std::string out = "\"";
  for (char c : word) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::size_t code_points(std::string_view s) {
  std::size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

// Every query walks its index newest first and looks rows up by id: CROSS JOIN
// keeps SQLite from scanning a workspace's rows instead (its index on
// conversation looks cheaper than it is next to a rare word).
//
// Parameters every query shares: ?1 match, ?2 workspace, ?3..?6 the asker,
// ?7 before, ?8 limit.
void bind_common(Statement& s, const SearchQuery& q, const std::string& match) {
  s.bind(1, match)
      .bind(2, q.workspace_id)
      .bind(3, q.unrestricted || q.scope.unrestricted() ? 1 : 0)
      .bind(4, q.agent_id)
      .bind(5, json::serialize(json::value_from(q.scope.inboxes)))
      .bind(6, json::serialize(json::value_from(q.scope.teams)))
      .bind(7, q.before.value_or(std::numeric_limits<Id>::max()))
      .bind(8, q.limit);
}

// AgentScope::covers for conversation `c`, in SQL (admins and unscoped agents: ?3).
constexpr const char* kCovers =
    "(?3 OR c.assignee_id IS ?4 OR ((?5 = '[]' OR c.inbox_id IN (SELECT value FROM "
    "json_each(?5))) AND (?6 = '[]' OR c.team_id IS NULL OR c.team_id IN (SELECT value "
    "FROM json_each(?6)))))";

std::string random_marker() {
  thread_local std::mt19937_64 random{std::random_device{}()};
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (auto v = random(); out.size() < 12; v >>= 4) out += kHex[v & 15];
  return out;
}

// Steps through the rows; false when the search's time budget (a progress
// handler on the connection) cut the statement short.
bool each_row(Connection& db, Statement& s, const std::function<void()>& row) {
  try {
    while (s.step()) row();
    return true;
  } catch (const StoreError&) {
    if (sqlite3_errcode(db.get()) != SQLITE_INTERRUPT) throw;
    return false;
  }
}

}  // namespace

// "+39 333 123", "333-123": a phone number typed as the customer gave it is one
// number; contacts store theirs as + and digits (store/contacts normalise_phone).
std::optional<std::string> phone_digits(std::string_view text) {
  std::string digits;
  for (char c : text) {
    if (std::isdigit(static_cast<unsigned char>(c)))
      digits += c;
    else if (!std::strchr(" +-()./", c))
      return std::nullopt;
  }
  if (digits.size() < 3 || digits.size() > 20) return std::nullopt;
  return digits;
}

std::optional<std::string> match_expression(std::string_view text) {
  if (auto digits = phone_digits(text)) {
    auto term = quoted(*digits);
    return "(" + term + " OR " + term + "*)";
  }
  std::vector<std::string> words;
  for (auto& w : kb::words(text))
    if (w.size() <= kMaxWordBytes && words.size() < kMaxWords) words.push_back(std::move(w));
  if (words.empty()) return std::nullopt;
  bool typing = !text.empty() && !std::isspace(static_cast<unsigned char>(text.back()));
  std::string out;
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (i) out += " AND ";
    auto term = quoted(words[i]);
    if (typing && i + 1 == words.size() && code_points(words[i]) >= 2)
      out += "(" + term + " OR " + term + "*)";
    else
      out += term;
  }
  return out;
}

std::vector<SnippetPart> split_snippet(std::string_view text, std::string_view open,
                                       std::string_view close) {
  std::vector<SnippetPart> out;
  auto add = [&](std::string_view part, bool match) {
    if (!part.empty()) out.push_back({std::string(part), match});
  };
  while (!text.empty()) {
    auto start = text.find(open);
    if (start == std::string_view::npos) break;
    auto end = text.find(close, start + open.size());
    if (end == std::string_view::npos) break;
    add(text.substr(0, start), false);
    add(text.substr(start + open.size(), end - start - open.size()), true);
    text.remove_prefix(end + close.size());
  }
  add(text, false);
  return out;
}

std::vector<MessageHit> messages(Connection& db, const SearchQuery& q, const std::string& match,
                                 bool* complete) {
  Statement s(db,
              std::string("SELECT e.id, e.conversation_id, e.seq, e.kind, e.author_type, "
                          "e.author_name, e.created_at, snippet(search_event, 0, ?9, ?10, '…', ") +
                  std::to_string(kSnippetTokens) +
                  ") FROM search_event JOIN event e ON e.id = search_event.rowid "
                  "JOIN conversation c ON c.id = e.conversation_id "
                  "WHERE search_event MATCH ?1 AND search_event.rowid < ?7 "
                  "AND e.workspace_id = ?2 AND c.workspace_id = ?2 AND c.erased_at IS NULL "
                  "AND e.kind IN ('message', 'note') AND " +
                  kCovers + " ORDER BY search_event.rowid DESC LIMIT ?8");
  // Markers no customer can guess, so text they wrote is never taken for a match.
  auto marker = random_marker();
  std::string open = "\x1f[" + marker, close = marker + "]\x1f";
  bind_common(s, q, match);
  s.bind(9, open).bind(10, close);
  std::vector<MessageHit> out;
  *complete = each_row(db, s, [&] {
    MessageHit h;
    h.event_id = s.int64(0);
    h.conversation_id = s.int64(1);
    h.seq = s.int64(2);
    h.kind = s.text(3);
    h.author_type = parse_author_type(s.text(4)).value_or(AuthorType::kSystem);
    h.author_name = s.text(5);
    h.created_at = s.int64(6);
    h.snippet = split_snippet(s.text(7), open, close);
    out.push_back(std::move(h));
  });
  return out;
}

std::vector<Id> conversation_ids(Connection& db, const SearchQuery& q, const std::string& match,
                                 bool* complete) {
  Statement s(db, std::string("SELECT c.id FROM search_conversation "
                              "CROSS JOIN conversation c ON c.id = search_conversation.rowid "
                              "WHERE search_conversation MATCH ?1 "
                              "AND search_conversation.rowid < ?7 AND c.workspace_id = ?2 "
                              "AND c.erased_at IS NULL AND ") +
                      kCovers + " ORDER BY search_conversation.rowid DESC LIMIT ?8");
  bind_common(s, q, match);
  std::vector<Id> ids;
  *complete = each_row(db, s, [&] { ids.push_back(s.int64(0)); });
  return ids;
}

std::vector<Conversation> conversations(Connection& db, Id workspace, const std::vector<Id>& ids) {
  if (ids.empty()) return {};
  // By id; "+" keeps SQLite off the workspace index, which would scan all its rows.
  return load_conversations(
      db,
      "WHERE c.id IN (SELECT value FROM json_each(?2)) AND +c.workspace_id = ?1 ORDER BY c.id DESC",
      [&](sql::Statement& l) {
        l.bind(1, workspace).bind(2, json::serialize(json::value_from(ids)));
      });
}

std::vector<ContactHit> contacts(Connection& db, const SearchQuery& q, const std::string& match,
                                 bool* complete) {
  Statement s(db, std::string("SELECT ct.id, ct.name, ct.email, ct.phone, "
                              "(SELECT MAX(c.id) FROM conversation c WHERE c.workspace_id = ?2 "
                              "AND c.contact_id = ct.id AND c.erased_at IS NULL AND ") +
                      kCovers +
                      ") AS newest FROM search_contact "
                      "CROSS JOIN contact ct ON ct.id = search_contact.rowid "
                      "WHERE search_contact MATCH ?1 AND search_contact.rowid < ?7 "
                      "AND ct.workspace_id = ?2 AND ct.erased_at IS NULL "
                      // A scoped agent sees the contacts of conversations they may open.
                      "AND (?3 OR newest IS NOT NULL) "
                      "ORDER BY search_contact.rowid DESC LIMIT ?8");
  bind_common(s, q, match);
  std::vector<ContactHit> out;
  *complete = each_row(db, s, [&] {
    ContactHit h{s.int64(0), s.text(1), s.text(2), s.text(3), std::nullopt};
    if (!s.is_null(4)) h.conversation_id = s.int64(4);
    out.push_back(std::move(h));
  });
  return out;
}

}  // namespace sb::sqlite::search_queries
