#!/usr/bin/env bash
# E-mail ingest through the real path (MIME parse, threading, files, SQLite with
# group commit, acknowledgements) into a fresh temporary store: generated mail
# sized like real mail (text ~1 KB median, PDFs ~60 KB), ~40% replies (full
# headers, Outlook In-Reply-To only, Outlook with only "[#n]" in the subject),
# some without Message-ID, some fetched twice.
# Last line of stdout:
# {"mails":..,"mails_per_s":..,"tickets":..,"threaded":..,"duplicates_created":..,...}
# Flags pass through: --mails N (at most 20000) --threads T --seed S --heavy
# (bodies of 1-200 KB instead of mail sized like real mail) --no-fsync
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
[ -f "$BUILD/build.ninja" ] || cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >&2
cmake --build "$BUILD" --target switchboard-email-ingest-bench >&2
exec "$BUILD/switchboard-email-ingest-bench" "$@"
