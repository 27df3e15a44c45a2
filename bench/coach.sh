#!/usr/bin/env bash
# Etiquette coach benchmark: checks of ~2,000-character drafts in en/it/ru/hu/pl
# with every rule on. Last line of stdout: {"checks":..,"languages":..,"p50_ms":..,"p99_ms":..}
# Argument: checks per language (20000).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
[ -f "$BUILD/build.ninja" ] || cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >&2
cmake --build "$BUILD" --target switchboard-coach-bench >&2
exec "$BUILD/switchboard-coach-bench" tests/coach/cases.json "${1:-20000}"
