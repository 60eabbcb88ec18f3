#!/usr/bin/env bash
# CPU seconds of two tropescope binaries on the same corpus, alternating, minimum of N runs
# each: on a shared machine wall-clock time moves with the load, the minimum CPU time of
# interleaved runs much less. For judging one change (build the binary before and after).
#
#   scripts/compare-cpu.sh N BEFORE AFTER [CSV]
#   scripts/compare-cpu.sh 5 /tmp/before target/release/tropescope /tmp/imdb30.csv
#
# CSV defaults to /tmp/imdb30.csv, the first 30,000,000 bytes of the decompressed IMDB
# corpus (head -c 30000000 /tmp/tropescope-throughput/imdb.csv > /tmp/imdb30.csv, after
# scripts/throughput.sh has decompressed it). One job, output to a temporary file.
set -euo pipefail
n=${1:?runs}; before=${2:?binary before}; after=${3:?binary after}
csv=${4:-/tmp/imdb30.csv}
out=$(mktemp) times=$(mktemp)
trap 'rm -f "$out" "$times"' EXIT
best_before=999 best_after=999
for _ in $(seq "$n"); do
  for which in before after; do
    bin=$before; [ "$which" = after ] && bin=$after
    # Exit status 2 (some documents were error rows, as the last of a corpus cut at a byte
    # count is) is a finished run; `time` then writes a line before its figures.
    /usr/bin/time -o "$times" -f "%U %S" "$bin" batch "$csv" --text-column text \
      --id-column id --jobs 1 -o "$out" >/dev/null 2>&1 || [ $? -eq 2 ]
    t=$(tail -n 1 "$times" | awk '{print $1 + $2}')
    if [ "$which" = before ]; then
      best_before=$(awk -v a="$t" -v b="$best_before" 'BEGIN{print (a < b) ? a : b}')
    else
      best_after=$(awk -v a="$t" -v b="$best_after" 'BEGIN{print (a < b) ? a : b}')
    fi
  done
done
echo "before: $best_before s CPU   after: $best_after s CPU   (min of $n, $csv)"
