#!/usr/bin/env python3
"""Draw a random sample of tropescope hits on a corpus for a precision audit.

Why: data/audit/imdb-2026-11-22b.csv was drawn this way, so the draw can be
repeated (same mention table, same seed, same exclusions → same sample).

    tropescope batch imdb.csv --text-column text --id-column id \
        -o docs.csv --mentions mentions.csv
    python3 scripts/audit-sample.py mentions.csv --seed 20261122 \
        --exclude data/audit/imdb-2026-11-22.csv --per-trope 3 > sample.csv

Per trope (in id order) the mentions of documents not in any --exclude file
are shuffled with random.Random(seed) and the first --per-trope of distinct
documents kept.  That sample weighs every trope alike, so a rare trope's
precision counts as much as a common one's.  With --uniform N the draw is
instead N mentions shuffled from all of them (one a document): its precision
is the one a researcher reading the whole mention table sees, where common
tropes weigh as much as they occur.  --exclude reads a label file's
`document` column or a sample's `id` column.  The output is the mention table's rows (matched words
included): a worksheet for the judge, not a file for the repository.
"""
import argparse
import csv
import random
import sys
from collections import defaultdict

csv.field_size_limit(sys.maxsize)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("mentions", help="mention table written by `tropescope batch --mentions`")
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--per-trope", type=int, default=3)
    ap.add_argument("--exclude", nargs="*", default=[], metavar="LABELS",
                    help="label files whose documents are left out")
    ap.add_argument("--uniform", type=int, metavar="N",
                    help="draw N mentions from all tropes at once, not per trope")
    args = ap.parse_args()

    judged = set()
    for path in args.exclude:
        with open(path, newline="", encoding="utf-8") as f:
            judged |= {row.get("document") or row["id"] for row in csv.DictReader(f)}
    by_trope = defaultdict(list)
    with open(args.mentions, newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        fields = reader.fieldnames
        for m in reader:
            if m["id"] not in judged:
                by_trope[m["trope"]].append(m)

    rng = random.Random(args.seed)
    out = csv.DictWriter(sys.stdout, fieldnames=fields, lineterminator="\n")
    out.writeheader()
    if args.uniform is not None:
        everything = [m for trope in sorted(by_trope) for m in by_trope[trope]]
        rng.shuffle(everything)
        out.writerows(one_a_document(everything, args.uniform))
        return 0
    for trope in sorted(by_trope):
        mentions = by_trope[trope]
        rng.shuffle(mentions)
        out.writerows(one_a_document(mentions, args.per_trope))
    return 0


def one_a_document(mentions, n):
    """The first n of `mentions` (in their order) from distinct documents."""
    seen = set()
    for m in mentions:
        if len(seen) == n:
            return
        if m["id"] not in seen:
            seen.add(m["id"])
            yield m


if __name__ == "__main__":
    sys.exit(main())
