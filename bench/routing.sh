#!/usr/bin/env bash
# Routing benchmark: decision latency with 10,000 waiting and 1,000
# agents, then 1,000,000 randomized operations checked for invariant violations.
# Last line of stdout: {"waiting":..,"agents":..,"p50_us":..,"p99_us":..,"operations":..,"violations":..}
# Flags pass through: --agents N --waiting N --decisions N --operations N --seed N
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
[ -f "$BUILD/build.ninja" ] || cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >&2
cmake --build "$BUILD" --target switchboard-routing-bench >&2
exec "$BUILD/switchboard-routing-bench" "$@"
