// Private to store/: full-text search over the FTS5 tables of the index file
// (events, conversations, contacts; see search_index.h) and their tokenizer.
#pragma once

#include <optional>

#include "store/sqlite_db.h"

namespace sb::sqlite {

// Makes "sb_words" known to this connection; every connection that reads or
// writes the index needs it.
void register_search_tokenizer(sqlite3* db);

namespace search_queries {

// "+39 333 123", "333-123": a phone number typed as the customer gave it, as its
// digits (3 to 20 of them); nullopt for anything else.
std::optional<std::string> phone_digits(std::string_view text);

// The user's text as an FTS5 query in which every word is a quoted term, so
// quotes, stars, NEAR, AND and column filters cannot change its shape; the last
// word also matches as a prefix unless the text ends in a space. nullopt: no words.
std::optional<std::string> match_expression(std::string_view text);

// Each list, newest first; `complete` false when the time budget ran out first
// (what was found until then is returned).
std::vector<MessageHit> messages(Connection& db, const SearchQuery& q, const std::string& match,
                                 bool* complete);
std::vector<Id> conversation_ids(Connection& db, const SearchQuery& q, const std::string& match,
                                 bool* complete);
std::vector<Conversation> conversations(Connection& db, Id workspace, const std::vector<Id>& ids);
std::vector<ContactHit> contacts(Connection& db, const SearchQuery& q, const std::string& match,
                                 bool* complete);

// A snippet with `open`/`close` around matches, as parts.
std::vector<SnippetPart> split_snippet(std::string_view text, std::string_view open,
                                       std::string_view close);

}  // namespace search_queries
}  // namespace sb::sqlite
