#!/usr/bin/env bash
# Full-text search over a store of 1,000,000 messages (real sentences in five
# languages and customer questions): p50/p95/p99 of 1,000 queries typed as
# agents type them, through Store::search (what GET /api/v1/search runs), and
# the cost the index adds to appending a message. The store is kept in
# $DB (rebuilt when MESSAGES changes; its index in $DB.search). WRITE_ONLY=1:
# only the write cost (none: no index; background: the index thread, its CPU
# counted until a search has it catch up); WRITERS="16 64": other numbers of
# concurrent writers (default 1 and 16).
# Prints one JSON line.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
DATA=${DATA:-../shared/data}
DB=${DB:-/tmp/sb-search-bench/search.db}
MESSAGES=${MESSAGES:-1000000}
QUERIES=${QUERIES:-1000}
mkdir -p "$(dirname "$DB")"
cmake --build "$BUILD" --target switchboard-search-bench >&2
"$BUILD/switchboard-search-bench" "$DATA" "$DB" "$MESSAGES" "$QUERIES"
