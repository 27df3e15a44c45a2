// Private to store/: full-text search over the FTS5 tables of the search
// migration (events, conversations, contacts) and their tokenizer.
#pragma once

#include "store/sqlite_db.h"

namespace sb::sqlite {

// Makes "sb_words" known to this connection; every connection needs it, since
// the triggers that keep the index write through it.
void register_search_tokenizer(sqlite3* db);

// Indexes the messages, notes, conversations and contacts their insert
// triggers listed as pending, one statement per list: the writer calls it once
// per batch, just before COMMIT and outside the jobs' savepoints, so FTS5 writes
// one segment per table and commit (at every savepoint after a table was
// written, FTS5 writes one more). Writes made outside the writer (migrations,
// tools) are indexed by the next batch. If a list fails it stays pending and
// the batch commits without it.
void index_pending(Connection& db);
// The writer's call: while more writes wait behind the batch (the hot path is
// busy) it lets up to kIndexBatch rows, or kIndexLag of time, pile up and
// indexes them in one go — FTS5's cost per row falls with the batch size
// (docs/BENCHMARKS.md). Idle, it indexes at once. So under load a new message,
// ticket or contact may be missing from search for a fraction of a second,
// never longer than kIndexLag.
void index_pending_when_due(Connection& db, bool more_waiting);

namespace search_queries {

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
