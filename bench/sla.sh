#!/usr/bin/env bash
# SLA clock benchmark: compute_clocks for 10,000 synthetic tickets in Rome business
# hours, then Calendar::add and ::between alone.
# Last line of stdout: {"tickets":..,"median_ms":..,"best_ms":..,"add_1h_ns":..,"between_30d_ns":..}
# Argument: the number of tickets (10000).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
[ -f "$BUILD/build.ninja" ] || cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >&2
cmake --build "$BUILD" --target switchboard-sla-bench >&2
exec "$BUILD/switchboard-sla-bench" "$@"
