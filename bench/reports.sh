#!/usr/bin/env bash
# Reports benchmark (Q3): EVENTS (1,000,000) events written through the store
# into a temporary SQLite file, then every report over the 90 days, RUNS (20)
# times each. Last line of stdout: {"events","reports","p50_ms","p95_ms","max_ms"}.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
[ -f "$BUILD/build.ninja" ] || cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >&2
cmake --build "$BUILD" --target switchboard-reports-bench >&2
DIR=$(mktemp -d)
trap 'rm -rf "$DIR"' EXIT
"$BUILD/switchboard-reports-bench" "$DIR/reports.db" "${EVENTS:-1000000}" "${RUNS:-20}"
