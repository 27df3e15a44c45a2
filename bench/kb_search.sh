#!/usr/bin/env bash
# Help-center search with 10,000 articles (built from CLINC150's training
# questions) queried with CLINC150's validation questions, a third with a typo.
# Prints one JSON line: build time, p50/p99 per query.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
DATA=${DATA:-../shared/data/intents/clinc150}
cmake --build "$BUILD" --target switchboard-kb-search-bench >&2
"$BUILD/switchboard-kb-search-bench" "$DATA/train.jsonl" "$DATA/val.jsonl"
