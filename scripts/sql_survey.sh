#!/usr/bin/env bash
# Counts the SQLite-specific constructs in the store's SQL, per construct and
# file, as a Markdown table (docs/CLUSTER-PLAN.md quotes it). Rerun it while the
# store is ported to PostgreSQL: the counts should fall to what stays SQLite-only.
#
#   scripts/sql_survey.sh [DIR]     DIR defaults to src/store
#
# A count is the number of matching lines (grep -c), so two uses on one line
# count once; comments are counted too when they match. Patterns are
# case-sensitive where SQL is written in capitals and C++ has the word in lower case.
set -euo pipefail
cd "$(dirname "$0")/.."
DIR=${1:-src/store}

# label | grep -E pattern | flags ("i" = ignore case) | files (glob under DIR)
CONSTRUCTS=(
  "FTS5 virtual tables (USING fts5)|USING fts5||migrations.cc"
  "FTS5 MATCH in queries|MATCH \\?||*.cc"
  "FTS5 snippet()|snippet\\(search_||*.cc"
  "FTS5 'delete' command rows|'delete', ||*.cc"
  "custom tokenizer / progress handler (C API)|fts5_api|xCreateTokenizer|sqlite3_progress_handler|SQLITE_INTERRUPT||*.cc"
  "json_each()|json_each\\(||*.cc"
  "json_extract()|json_extract\\(||*.cc"
  "json_type/json_valid/json_remove|json_(type|valid|remove)\\(||*.cc"
  "json_group_array/json_object|json_(group_array|object)\\(||*.cc"
  "strftime/date/julianday|strftime\\(|julianday\\(|datetime\\(|unixepoch||*.cc"
  "INSERT OR IGNORE / UPDATE OR IGNORE|(INSERT|UPDATE) OR (IGNORE|REPLACE)||*.cc"
  "INTEGER PRIMARY KEY (rowid alias)|INTEGER PRIMARY KEY||migrations.cc"
  "explicit rowid|[^_]rowid||*.cc"
  "last_insert_id()|last_insert_id\\(\\)||*.cc"
  "changes() (rows affected)|\\.changes\\(\\)||*.cc"
  "AUTOINCREMENT|AUTOINCREMENT||*.cc"
  "typeof()|typeof\\(|i|*.cc"
  "GLOB|GLOB||*.cc"
  "COLLATE NOCASE|COLLATE NOCASE||*.cc"
  "PRAGMA|PRAGMA [a-z_]+||*.cc"
  "partial indexes|INDEX .* WHERE|^  WHERE .* IS (NOT )?NULL;||migrations.cc"
  "triggers|CREATE TRIGGER||migrations.cc"
  "views|CREATE VIEW||migrations.cc"
  "WITHOUT ROWID|WITHOUT ROWID||migrations.cc"
  "table rebuild (agent_v5)|ALTER TABLE [a-z_0-9]+ RENAME||migrations.cc"
  "RETURNING|RETURNING||*.cc"
  "upsert ON CONFLICT|ON CONFLICT||*.cc"
  "null-safe IS ? (PG: IS NOT DISTINCT FROM)| IS \\?[0-9]*||*.cc"
  "integer used as boolean (CASE WHEN ?n / ?n OR)|CASE WHEN \\?[0-9]+ THEN|\\(\\?[0-9]+ OR ||*.cc"
  "group_concat()|group_concat\\(||*.cc"
  "instr()|instr\\(||*.cc"
  "LIKE (ASCII case-insensitive in SQLite)|[^_]LIKE ||*.cc"
  "planner hints (CROSS JOIN, +column)|CROSS JOIN|[ (]\\+c\\.||*.cc"
  "LIMIT ? bound to -1 for all rows (PG refuses)|limit -1|i|*.cc *.h"
  "BEGIN IMMEDIATE / SAVEPOINT|BEGIN IMMEDIATE|SAVEPOINT||*.cc"
)

count_in() {  # pattern flags "file globs"
  local pattern=$1 flags=$2 globs=$3
  # shellcheck disable=SC2086  # the globs expand inside DIR on purpose
  (cd "$DIR" && grep -cHE${flags:+$flags} -- "$pattern" $globs 2>/dev/null || true) |
    awk -F: '$2 > 0 { total += $2; files = files (files ? ", " : "") $1 "(" $2 ")" }
             END { printf "%d|%s\n", total, files }'
}

echo "| construct | lines | files (lines) |"
echo "| --- | ---: | --- |"
for row in "${CONSTRUCTS[@]}"; do
  # The pattern may hold "|" (alternation): the label is the first field, the
  # files the last, the flags the one before.
  label=${row%%|*}
  rest=${row#*|}
  files=${rest##*|}
  rest=${rest%|*}
  flags=${rest##*|}
  pattern=${rest%|*}
  IFS='|' read -r total where < <(count_in "$pattern" "$flags" "$files")
  echo "| $label | $total | $where |"
done

# Statements: SQL texts starting with a verb, and placeholders.
verbs=$( (cd "$DIR" && grep -ohE '"\(?(SELECT|INSERT|UPDATE|DELETE|WITH)\b' ./*.cc) | wc -l)
# Placeholders are counted inside string literals only (C++'s ?: is not one).
literals() { (cd "$DIR" && grep -ohE '"([^"\\]|\\.)*"' ./*.cc); }
numbered=$(literals | grep -oE '\?[0-9]+' | wc -l)
bare=$(literals | grep -oE '\?([^0-9]|$)' | wc -l)
statements=$( (cd "$DIR" && grep -ohE 'Statement [a-z_]+\(' ./*.cc) | wc -l)
rows=$( (cd "$DIR" && grep -ohE 'read_rows\(|load_conversations\(' ./*.cc) | wc -l)
writes=$( (cd "$DIR" && grep -ohE 'write\(\[' ./*.cc) | wc -l)
echo
echo "SQL texts starting with SELECT/INSERT/UPDATE/DELETE/WITH: $verbs"
echo "Statement objects: $statements; read_rows/load_conversations calls: $rows"
echo "placeholders in string literals: numbered ?N: $numbered, bare ?: $bare"
echo "write transactions (write([...]) lambdas run by the single writer): $writes"
