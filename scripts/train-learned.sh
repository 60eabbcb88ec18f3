#!/usr/bin/env bash
# Train the learned stage's shipped model: every gold file but the held-out ones, the
# lexicon's examples, and every 2nd IMDB review as background (README, "The learned
# stage"). The settings are the ones scripts/learned-cv.py picked. Deterministic: the same
# inputs give the same bytes, which CI checks.
#
#   scripts/train-learned.sh                    # writes lexicons/learned.tsv
#   scripts/train-learned.sh /tmp/learned.tsv   # writes elsewhere (CI compares the two)
#   TRAIN_FILES="data/gold/dev.jsonl ..." scripts/train-learned.sh /tmp/learned.tsv
#                                               # trains on those files only (learning-curve.py)
#   CLUSTERS=/tmp/clusters.tsv scripts/train-learned.sh /tmp/learned.tsv
#                                               # with word clusters (lexicon train --clusters;
#                                               # scripts/make-clusters.py; README item 37)
set -euo pipefail
# Paths given are the caller's: made absolute before moving to the repository's root.
abs() { case $1 in /*) echo "$1" ;; *) echo "$PWD/$1" ;; esac; }
out=$(abs "${1:-$(dirname "$0")/../lexicons/learned.tsv}")
bin=$(abs "${TROPESCOPE:-$(dirname "$0")/../target/release/tropescope}")
clusters=${CLUSTERS:+$(abs "$CLUSTERS")}
cd "$(dirname "$0")/.."
background=../shared/corpora/imdb-maas2011/imdb_reviews.csv.xz
if [ ! -f "$background" ]; then
  echo "train-learned: no background corpus at $background (../shared beside the checkout)" >&2
  exit 2
fi
# Every gold file but the held-out ones (holdout*.jsonl), in the C locale's byte order (the
# order is part of the model's bytes). A new blind file placed in data/gold/ is trained on by
# the next run: measure it once (`tropescope eval`) before running this.
export LC_ALL=C
gold=()
if [ -n "${TRAIN_FILES:-}" ]; then
  read -r -a gold <<< "$TRAIN_FILES"
else
  for f in data/gold/*.jsonl; do
    case $(basename "$f") in holdout*) ;; *) gold+=("$f") ;; esac
  done
fi
"$bin" lexicon train "${gold[@]}" --lexicon lexicons \
  --weighting idf --l2 1 --window 1 --threshold 0.95 --prune 0.4 \
  --background "$background" --text-column text --id-column id --background-every 2 \
  --status-threshold 0.6 --status-cued-threshold 0.7 \
  --status-also-threshold 0.5 --status-also-share 0.3 \
  --document-threshold 0.6 --document-prune 0.7 ${clusters:+--clusters "$clusters"} -o "$out"
