#!/usr/bin/env bash
# FAQ bot intent model: `switchboard bot-eval` on CLINC150
# (train -> val), on Banking77 (train minus every 10th line -> those lines;
# it has no val split) and on a synthetic FAQ with 10,000 intents (5 training
# phrasings and 1 test phrasing each) for training time and latency at scale.
# Prints one JSON line per run, prefixed with its name. The data stays in
# ../shared/data; derived files go to a temp dir.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
DATA=${DATA:-../shared/data/intents}
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
cmake --build "$BUILD" --target switchboard >&2

awk 'NR % 10 != 0' "$DATA/banking77/train.jsonl" > "$OUT/banking77-train.jsonl"
awk 'NR % 10 == 0' "$DATA/banking77/train.jsonl" > "$OUT/banking77-held.jsonl"

# Synthetic: pseudo-words from syllables; each intent owns 4 key words and a
# phrasing is 2 of 40 shared filler words plus 3 of its key words (so intents
# share characters and fillers, as real ones do). Deterministic (srand(1)).
awk -v intents=10000 -v out="$OUT" 'BEGIN {
  srand(1)
  split("ka ro mi te su na lo pe vi da go ze bu ri fa to ne si mu la", syl, " ")
  split("how do i can you what is my the a to please need help with where when why " \
        "get make change find know tell show want does are for on in of it me this that " \
        "have will", filler, " ")
  for (i = 0; i < intents; i++)
    for (k = 1; k <= 4; k++) {
      w = ""
      n = 2 + int(rand() * 2)
      for (s = 0; s < n; s++) w = w syl[1 + int(rand() * 20)]
      key[i, k] = w
    }
  for (i = 0; i < intents; i++)
    for (p = 0; p < 6; p++) {
      line = filler[1 + int(rand() * 40)] " " filler[1 + int(rand() * 40)]
      for (k = 0; k < 3; k++) line = line " " key[i, 1 + int(rand() * 4)]
      file = p < 5 ? out "/synthetic-train.jsonl" : out "/synthetic-test.jsonl"
      printf "{\"text\": \"%s\", \"intent\": \"intent%d\"}\n", line, i > file
    }
}'

run() {
  printf '%s ' "$1"
  "$BUILD/switchboard" bot-eval --train "$2" --test "$3" 2>/dev/null | tail -1
}
run clinc150 "$DATA/clinc150/train.jsonl" "$DATA/clinc150/val.jsonl"
run banking77 "$OUT/banking77-train.jsonl" "$OUT/banking77-held.jsonl"
run synthetic-10k "$OUT/synthetic-train.jsonl" "$OUT/synthetic-test.jsonl"
