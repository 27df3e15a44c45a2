// SearchStore on PostgreSQL: every word of the query must occur in the row as a
// word, case and accents folded (lower() under the database's UTF-8 locale,
// unaccent); the last word while typing as the start of one. No stems (the
// SQLite index's Snowball stems are not here) and no index: a scan of the
// workspace's rows newest first, stopped by a time budget per list
// (complete = false), as on SQLite.
#include <chrono>
#include <cstring>
#include <limits>

#include "kb/kb.h"
#include "store/search_queries.h"
#include "store/sqlite_store.h"

namespace sb::sqlite {
namespace {

namespace json = boost::json;

constexpr std::size_t kMaxWords = 12;
constexpr std::size_t kMaxWordBytes = 64;
constexpr int kListBudgetMs = 150;
constexpr std::size_t kSnippetBytes = 160;

// Words split at ASCII spaces and punctuation; other bytes (UTF-8 letters) stay.
std::vector<std::string> query_words(std::string_view text) {
  if (auto digits = search_queries::phone_digits(text)) return {*digits};
  std::vector<std::string> out;
  std::string word;
  auto flush = [&] {
    if (!word.empty() && word.size() <= kMaxWordBytes && out.size() < kMaxWords)
      out.push_back(word);
    word.clear();
  };
  for (char ch : text) {
    auto c = static_cast<unsigned char>(ch);
    if (c < 0x80 && !std::isalnum(c) && c != '@' && c != '.' && c != '+')
      flush();
    else
      word += ch;
  }
  flush();
  // "anna." at the end of a sentence: the dot is not part of the word.
  for (auto& w : out)
    while (!w.empty() && (w.back() == '.' || w.back() == '+')) w.pop_back();
  std::erase_if(out, [](const std::string& w) { return w.empty(); });
  return out;
}

// What a scoped agent may open, as SQL over conversation c; parameters ?3..?6.
std::string covers(const sql::Connection& db) {
  return "(?3 OR c.assignee_id IS NOT DISTINCT FROM CAST(?4 AS BIGINT) OR ((?5 = '[]' OR "
         "c.inbox_id " +
         in_json_list(db, "?5") + ") AND (?6 = '[]' OR c.team_id IS NULL OR c.team_id " +
         in_json_list(db, "?6") + ")))";
}

// The words for regular expressions: metacharacters escaped.
std::vector<std::string> word_patterns(std::vector<std::string> words) {
  for (auto& w : words) {
    std::string p;
    for (char c : w) {
      if (c && std::strchr(".^$*+?()[]{}|\\-", c)) p += '\\';
      p += c;
    }
    w = std::move(p);
  }
  return words;
}

// " AND <folded hay> ~ ('\m' || <folded ?9> || '\M') ..." for each word from ?9 on
// (?1 is unused): each a whole word, the last one only the start of one while
// typing (no space after it yet).
std::string all_words(std::string_view hay, std::size_t words, bool typing) {
  std::string out;
  for (std::size_t i = 0; i < words; ++i)
    out += " AND unaccent(lower(" + std::string(hay) + ")) ~ ('\\m' || unaccent(lower(?" +
           std::to_string(9 + i) + "))" + (typing && i + 1 == words ? ")" : " || '\\M')");
  return out;
}

void bind_query(sql::Statement& s, const SearchQuery& q, const std::vector<std::string>& words) {
  s.bind(2, q.workspace_id)
      .bind(3, q.unrestricted || q.scope.unrestricted())
      .bind(4, q.agent_id)
      .bind(5, json::serialize(json::value_from(q.scope.inboxes)))
      .bind(6, json::serialize(json::value_from(q.scope.teams)))
      .bind(7, q.before.value_or(std::numeric_limits<Id>::max()))
      .bind(8, q.limit);
  for (std::size_t i = 0; i < words.size(); ++i) s.bind(static_cast<int>(9 + i), words[i]);
}

// A stretch of `body` around the first word found, the words marked: words as
// kb scans them, compared folded, the last query word also as a prefix while typing.
std::vector<SnippetPart> snippet(const std::string& body, const std::vector<std::string>& words,
                                 bool typing) {
  std::vector<std::string> folded;
  for (const auto& w : words) folded.push_back(kb::fold(w));
  auto matches = [&](std::string_view word) {
    auto f = kb::fold(word);
    for (std::size_t i = 0; i < folded.size(); ++i)
      if (f == folded[i] || (typing && i + 1 == folded.size() && f.starts_with(folded[i])))
        return true;
    return false;
  };
  std::vector<std::pair<std::size_t, std::size_t>> found;  // byte ranges
  kb::WordScanner scan(body);
  while (scan.next())
    if (matches(scan.lower())) found.emplace_back(scan.begin(), scan.end());
  std::size_t from =
      found.empty() || found[0].first < kSnippetBytes / 3 ? 0 : found[0].first - kSnippetBytes / 3;
  while (from > 0 && (static_cast<unsigned char>(body[from]) & 0xC0) == 0x80) --from;
  std::size_t to = std::min(body.size(), from + kSnippetBytes);
  while (to < body.size() && (static_cast<unsigned char>(body[to]) & 0xC0) == 0x80) ++to;
  std::vector<SnippetPart> out;
  if (from > 0) out.push_back({"…", false});
  std::size_t at = from;
  for (auto [b, e] : found) {
    if (b < at || e > to) continue;
    if (b > at) out.push_back({body.substr(at, b - at), false});
    out.push_back({body.substr(b, e - b), true});
    at = e;
  }
  if (at < to) out.push_back({body.substr(at, to - at), false});
  if (to < body.size()) out.push_back({"…", false});
  return out;
}

// Runs one list's query under the budget: false when PostgreSQL cancelled it.
bool within_budget(sql::Connection& db, const std::function<void()>& list) {
  try {
    sql::Transaction tx(db, sql::TxMode::kRead);
    db.exec("SET LOCAL statement_timeout = " + std::to_string(kListBudgetMs));
    list();
    tx.commit();
    return true;
  } catch (const sql::Error& e) {
    if (e.code() != "57014") throw;  // query_canceled: the budget ran out
    return false;
  }
}

// A contact's phone as digits, and without a country code of 1-3 digits, so
// the number is found however it is typed.
const char* kDigits =
    "regexp_replace(ct.phone, '[^0-9]', '', 'g') || ' ' || "
    "substr(regexp_replace(ct.phone, '[^0-9]', '', 'g'), 2) || ' ' || "
    "substr(regexp_replace(ct.phone, '[^0-9]', '', 'g'), 3) || ' ' || "
    "substr(regexp_replace(ct.phone, '[^0-9]', '', 'g'), 4)";

}  // namespace

SearchResults SqlStore::search_postgres(const SearchQuery& q) {
  auto words = query_words(q.text);
  auto patterns = word_patterns(words);
  bool typing = search_queries::phone_digits(q.text) ||
                !std::isspace(static_cast<unsigned char>(q.text.back()));
  if (words.empty())
    throw StoreError(StoreError::Code::kInvalid, "the search has no words to look for");
  using Type = SearchQuery::Type;
  auto wants = [&](Type t) { return q.type == Type::kAll || q.type == t; };
  std::string contact_text =
      std::string("ct.name || ' ' || ct.email || ' ' || ct.phone || ' ' || ") + kDigits;
  return read([&](sql::Connection& db) {
    SearchResults r;
    if (wants(Type::kMessages)) {
      r.complete &= within_budget(db, [&] {
        sql::Statement s(db,
                         "SELECT e.id, e.conversation_id, e.seq, e.kind, e.author_type, "
                         "e.author_name, e.created_at, e.body FROM event e "
                         "JOIN conversation c ON c.id = e.conversation_id "
                         "WHERE e.workspace_id = ?2 AND c.workspace_id = ?2 AND "
                         "c.erased_at IS NULL AND e.kind IN ('message', 'note') AND e.id < ?7 "
                         "AND " +
                             covers(db) + all_words("e.body", words.size(), typing) +
                             " ORDER BY e.id DESC LIMIT ?8");
        bind_query(s, q, patterns);
        while (s.step()) {
          MessageHit h;
          h.event_id = s.int64(0);
          h.conversation_id = s.int64(1);
          h.seq = s.int64(2);
          h.kind = s.text(3);
          h.author_type = parse_author_type(s.text(4)).value_or(AuthorType::kSystem);
          h.author_name = s.text(5);
          h.created_at = s.int64(6);
          h.snippet = snippet(s.text(7), words, typing);
          r.messages.push_back(std::move(h));
        }
      });
    }
    if (wants(Type::kConversations)) {
      std::vector<Id> ids;
      r.complete &= within_budget(db, [&] {
        sql::Statement s(
            db,
            "SELECT c.id FROM conversation c JOIN contact ct ON ct.id = c.contact_id "
            "WHERE c.workspace_id = ?2 AND c.erased_at IS NULL AND c.id < ?7 "
            "AND " +
                covers(db) +
                all_words("c.subject || ' ' || " + contact_text, words.size(), typing) +
                " ORDER BY c.id DESC LIMIT ?8");
        bind_query(s, q, patterns);
        while (s.step()) ids.push_back(s.int64(0));
      });
      if (!ids.empty())
        r.conversations = load_conversations(
            db,
            "WHERE c.id " + in_json_list(db, "?2") + " AND c.workspace_id = ?1 ORDER BY c.id DESC",
            [&](sql::Statement& l) {
              l.bind(1, q.workspace_id).bind(2, json::serialize(json::value_from(ids)));
            });
    }
    if (wants(Type::kContacts)) {
      r.complete &= within_budget(db, [&] {
        sql::Statement s(db,
                         "SELECT ct.id, ct.name, ct.email, ct.phone, newest FROM (SELECT ct.*, "
                         "(SELECT MAX(c.id) FROM conversation c WHERE c.workspace_id = ?2 AND "
                         "c.contact_id = ct.id AND c.erased_at IS NULL AND " +
                             covers(db) +
                             ") AS newest FROM contact ct WHERE ct.workspace_id = ?2 AND "
                             "ct.erased_at IS NULL AND ct.id < ?7" +
                             all_words(contact_text, words.size(), typing) +
                             ") ct WHERE (?3 OR newest IS NOT NULL) ORDER BY ct.id DESC LIMIT ?8");
        bind_query(s, q, patterns);
        while (s.step()) {
          ContactHit h{s.int64(0), s.text(1), s.text(2), s.text(3), std::nullopt};
          if (!s.is_null(4)) h.conversation_id = s.int64(4);
          r.contacts.push_back(std::move(h));
        }
      });
    }
    return r;
  });
}

}  // namespace sb::sqlite
