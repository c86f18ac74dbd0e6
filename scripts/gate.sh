#!/usr/bin/env bash
# The accuracy gate, run by .ci/run: the shipped models must be exactly what
# scripts/train-default-models.sh makes from datasets/, and every score must stay at or above
# a threshold set a little below its measured value (see models/README.md), so a regression
# fails CI. ../shared/data is read to measure, never to train the shipped models.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=target/release/stancekit
cargo build --release --quiet
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

echo "-- retrain the default models and compare with models/"
STANCEKIT=$bin scripts/train-default-models.sh "$tmp" 2>/dev/null
for m in stance sentiment; do
  cmp "models/$m.model" "$tmp/$m.model" || { echo "models/$m.model differs from a retrain: run scripts/train-default-models.sh and commit"; exit 1; }
done
echo "   identical bytes"

gate() { # name, min macro-F1, evaluate args...
  local name=$1 min=$2; shift 2
  printf -- "-- %-62s " "$name (>= $min)"
  "$bin" evaluate --format json --min-macro-f1 "$min" "$@" | python3 -c 'import json,sys; m=json.load(sys.stdin); print("macro-F1 %.4f  accuracy %.4f  n %d" % (m["macro_f1"], m["accuracy"], m["n"]))'
}
shared=../shared/data
gate "stance, our test split (3 labels)" 0.84 \
  --model models/stance.model --data datasets/stance/*.csv --split test --exclude-label neutral
gate "stance, CAMEO/PLOVER dev (neutral rows excluded)" 0.65 \
  --model models/stance.model --data $shared/stance/cameo-dev.csv --exclude-label neutral
gate "sentiment, our test split" 0.84 \
  --model models/sentiment.model --data datasets/sentiment/*.csv --split test
gate "sentiment, NewsMTSC test (never trained on)" 0.55 \
  --model models/sentiment.model --data $shared/sentiment/newsmtsc-test.csv

echo "-- core: train on NewsMTSC train with the C grid, evaluate on its test split"
"$bin" train --data $shared/sentiment/newsmtsc-train.csv --out "$tmp/newsmtsc.model" --task sentiment 2>/dev/null
gate "core, NewsMTSC train -> test" 0.60 --model "$tmp/newsmtsc.model" --data $shared/sentiment/newsmtsc-test.csv
