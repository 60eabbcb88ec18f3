#!/usr/bin/env python3
"""Replay the IMDB precision audits against the current build and lexicon.

Why: the audits of 2026-11-22 judged random samples of real tropescope hits
on IMDB reviews (is it really the trope? which status?).  The labels live in
data/audit/*.csv as ids, byte offsets and our own judgments only -- never
review text.  This script re-runs tropescope on the judged documents and
reports how each sample fares now, and all of them together, so a lexicon or
cue change can be checked for precision on real text, not just on the gold
sets.

Run from the repository root, after `cargo build --release`:

    python3 scripts/audit-replay.py [--lexicon lexicons] [--corpus PATH]
                                    [--labels PATH ...] [--binary PATH] [-v]

Without --labels every CSV file in data/audit is replayed.  The corpus is
read in place (xz CSV: id,split,label,rating,text).  When it is absent the
script prints "skipped" and exits 0.  A judged hit counts as still found when
a current mention has the same document and trope and an overlapping byte
span.
"""
import argparse
import csv
import glob
import lzma
import os
import subprocess
import sys
import tempfile
from collections import defaultdict

csv.field_size_limit(sys.maxsize)


def run_build(args, wanted):
    """Mentions of the current build on the wanted documents: (document, trope) -> spans."""
    with tempfile.TemporaryDirectory() as tmp:
        docs = os.path.join(tmp, "docs.csv")
        mentions = os.path.join(tmp, "mentions.csv")
        found = set()
        with lzma.open(args.corpus, "rt", newline="", encoding="utf-8") as src, \
                open(docs, "w", newline="", encoding="utf-8") as dst:
            out = csv.writer(dst)
            out.writerow(["id", "text"])
            for row in csv.DictReader(src):
                if row["id"] in wanted:
                    out.writerow([row["id"], row["text"]])
                    found.add(row["id"])
        missing = wanted - found
        if missing:
            print(f"warning: {len(missing)} judged documents not in the corpus", file=sys.stderr)

        cmd = [args.binary, "batch", docs, "--text-column", "text", "--id-column", "id",
               "-o", "/dev/null", "--mentions", mentions]
        if args.lexicon:
            cmd += ["--lexicon", args.lexicon]
        subprocess.run(cmd, check=True, stderr=subprocess.DEVNULL)

        current = defaultdict(list)  # (document, trope) -> [(start, end, status)]
        with open(mentions, newline="", encoding="utf-8") as f:
            for m in csv.DictReader(f):
                current[m["id"], m["trope"]].append((int(m["start"]), int(m["end"]), m["status"]))
    return current


def tally(judged, current, verbose):
    """Counts for one label file: true/false hits kept, status agreement."""
    counts = defaultdict(int)
    for j in judged:
        start, end = int(j["start"]), int(j["end"])
        hits = [m for m in current[j["document"], j["trope"]] if m[0] < end and start < m[1]]
        true_hit = j["trope_ok"] == "yes"
        kind = "true" if true_hit else "false"
        counts["judged"] += 1
        counts[kind] += 1
        if hits:
            counts["found"] += 1
            counts[kind + " kept"] += 1
            if true_hit and any(m[2] == j["gold_status"] for m in hits):
                counts["status ok"] += 1
        elif verbose:
            print(f"  gone ({kind} hit): {j['document']} {j['trope']} {start}-{end}")
    return counts


def report(name, counts):
    print(f"{name}")
    print(f"  judged hits still found: {counts['found']} / {counts['judged']}")
    print(f"  true hits (trope_ok=yes): kept {counts['true kept']}, "
          f"lost {counts['true'] - counts['true kept']} (of {counts['true']})")
    print(f"  false hits (trope_ok=no): still found {counts['false kept']}, removed "
          f"{counts['false'] - counts['false kept']} (of {counts['false']})")
    if counts["found"]:
        print(f"  precision on the judged sample: {counts['true kept']} / {counts['found']} = "
              f"{counts['true kept'] / counts['found']:.1%}")
    if counts["true kept"]:
        print(f"  status agreement on kept true hits: {counts['status ok']} / "
              f"{counts['true kept']} = {counts['status ok'] / counts['true kept']:.1%}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--labels", nargs="+", metavar="PATH",
                    help="label files to replay (default: every data/audit/*.csv)")
    ap.add_argument("--corpus", default="../shared/corpora/imdb-maas2011/imdb_reviews.csv.xz")
    ap.add_argument("--binary", default="target/release/tropescope")
    ap.add_argument("--lexicon", help="lexicon folder passed on to tropescope")
    ap.add_argument("-v", "--verbose", action="store_true", help="list judged hits that are gone")
    args = ap.parse_args()

    if not os.path.exists(args.corpus):
        print(f"skipped: corpus {args.corpus} not found")
        return 0

    files = args.labels or sorted(glob.glob("data/audit/*.csv"))
    if not files:
        print("no label files found", file=sys.stderr)
        return 2
    labels = {}
    for path in files:
        with open(path, newline="", encoding="utf-8") as f:
            labels[path] = list(csv.DictReader(f))
    wanted = {row["document"] for rows in labels.values() for row in rows}
    current = run_build(args, wanted)

    total = defaultdict(int)
    for path, judged in labels.items():
        if args.verbose:
            print(f"{path}:")
        counts = tally(judged, current, args.verbose)
        report(path, counts)
        for key, value in counts.items():
            total[key] += value
    if len(labels) > 1:
        report(f"total ({len(labels)} files)", total)
    return 0


if __name__ == "__main__":
    sys.exit(main())
