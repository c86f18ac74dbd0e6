#!/usr/bin/env bash
# Trains the shipped default models from datasets/ (the one documented command):
#   scripts/train-default-models.sh [OUT_DIR]      (default: models/)
# The same data and seed give the same bytes, so CI retrains and compares with models/.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-models}
mkdir -p "$out"
bin=${STANCEKIT:-target/release/stancekit}
[ -x "$bin" ] || cargo build --release --quiet
# Stance: three labels trained on the train split; the neutral rows of the dev split choose
# the confidence below which a statement is reported as having no clear stance.
"$bin" train --data datasets/stance/*.csv --split train --task stance \
  --abstain-label neutral --abstain-split dev --out "$out/stance.model"
# Sentiment: positive / neutral / negative, with our sentiment lexicon as extra features.
"$bin" train --data datasets/sentiment/*.csv --split train --task sentiment --lexicon \
  --out "$out/sentiment.model"
