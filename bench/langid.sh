#!/usr/bin/env bash
# Language identification: accuracy on sentences, word pairs and
# single words among en, it, ru, hu, pl. The sentences are ../shared/data/
# langid/sentences (Leipzig corpora via lingua's test data); pairs and words
# are cut from them deterministically (line n: the tokens at n mod length),
# since chat messages are often that short. Prints one JSON line per set.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
DATA=${DATA:-../shared/data/langid/sentences}
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
cmake --build "$BUILD" --target switchboard >&2
mkdir -p "$OUT/sentences" "$OUT/pairs" "$OUT/words"
for lang in en it ru hu pl; do
  cp "$DATA/$lang.txt" "$OUT/sentences/"
  # Tokens are split on spaces; leading/trailing ASCII punctuation and digits are dropped.
  awk '{ n = 0; for (i = 1; i <= NF; i++) { t = $i; gsub(/^[[:punct:][:digit:]]+|[[:punct:][:digit:]]+$/, "", t);
           if (t != "") w[++n] = t }
         if (n >= 2) { k = NR % (n - 1) + 1; print w[k] " " w[k + 1] } }' "$DATA/$lang.txt" > "$OUT/pairs/$lang.txt"
  awk '{ n = 0; for (i = 1; i <= NF; i++) { t = $i; gsub(/^[[:punct:][:digit:]]+|[[:punct:][:digit:]]+$/, "", t);
           if (t != "") w[++n] = t }
         if (n >= 1) print w[NR % n + 1] }' "$DATA/$lang.txt" > "$OUT/words/$lang.txt"
done
for set in sentences pairs words; do
  printf '%s ' "$set"
  "$BUILD/switchboard" lang-eval "$OUT/$set" 2>/dev/null | tail -1
done
