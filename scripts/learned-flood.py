#!/usr/bin/env python3
"""How much the learned stage adds to a general corpus it was not trained on (stdlib only).

The shipped model is trained with every 2nd IMDB review as background negatives
(`lexicon train --background ... --background-every 2`): the reviews at even positions. This
script runs `tropescope batch --learned` over the corpus and counts the mentions the model
found (`found_by` `model` or `document`) in the reviews at the other positions, which training never saw:
rows per 1,000 reviews, the tropes they go to, and, with --sample N, N of them at random with
their context, for a person to judge right or wrong.

    python3 scripts/learned-flood.py                         # the IMDB corpus beside the checkout
    python3 scripts/learned-flood.py --sample 40 --seed 7    # and 40 rows to read
"""
import argparse
import collections
import csv
import os
import random
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", default=os.path.join(
        ROOT, "..", "shared", "corpora", "imdb-maas2011", "imdb_reviews.csv.xz"))
    ap.add_argument("--every", type=int, default=2,
                    help="the model's --background-every: positions divisible by it are skipped")
    ap.add_argument("--lexicon", help="lexicon folder (default: the embedded one)")
    ap.add_argument("--binary", default=os.path.join(
        os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target")), "release",
        "tropescope"))
    ap.add_argument("--sample", type=int, default=0)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    if not os.path.exists(args.corpus):
        sys.exit(f"no corpus at {args.corpus}")
    csv.field_size_limit(sys.maxsize)
    with tempfile.TemporaryDirectory(prefix="learned-flood.") as tmp:
        docs, mentions = os.path.join(tmp, "docs.csv"), os.path.join(tmp, "mentions.csv")
        cmd = [args.binary, "batch", args.corpus, "--text-column", "text", "--id-column", "id",
               "--learned", "-o", docs, "--mentions", mentions]
        if args.lexicon:
            cmd += ["--lexicon", args.lexicon]
        r = subprocess.run(cmd, capture_output=True, text=True)
        if r.returncode != 0:
            sys.exit(f"{' '.join(cmd)}: exit {r.returncode}\n{r.stderr}")
        with open(docs, newline="", encoding="utf-8") as f:
            position = {row["id"]: i for i, row in enumerate(csv.DictReader(f))}
        unseen = sum(1 for i in position.values() if i % args.every)
        rows, patterns = [], 0
        with open(mentions, newline="", encoding="utf-8") as f:
            for row in csv.DictReader(f):
                if position[row["id"]] % args.every == 0:
                    continue
                # `model`: a window's; `document`: the document regression's.
                if row["found_by"] in ("model", "document"):
                    rows.append(row)
                else:
                    patterns += 1
    whole = sum(1 for r in rows if r["found_by"] == "document")
    print(f"{unseen} reviews the model never saw: {len(rows)} learned mentions "
          f"({1000 * len(rows) / max(unseen, 1):.1f} per 1,000 reviews; {whole} of them the "
          f"document regression's) beside {patterns} pattern mentions")
    by_trope = collections.Counter(r["trope"] for r in rows)
    print("by trope: " + ", ".join(f"{t} {n}" for t, n in by_trope.most_common(12)))
    by_status = collections.Counter(r["status"] for r in rows)
    print("by status: " + ", ".join(f"{s} {n}" for s, n in sorted(by_status.items())))
    if args.sample and rows:
        wanted = {r["id"] for r in rows}
        texts = {}
        r = subprocess.run(["xz", "-dc", args.corpus] if args.corpus.endswith(".xz")
                           else ["cat", args.corpus], capture_output=True, text=True, check=True)
        for row in csv.DictReader(r.stdout.splitlines(keepends=True)):
            if row["id"] in wanted:
                texts[row["id"]] = row["text"]
        random.seed(args.seed)
        for k, row in enumerate(random.sample(rows, min(args.sample, len(rows)))):
            text = texts.get(row["id"], "")
            # Spans point into the decoded text; find the words near where they say.
            at = text.find(row["text"], max(0, int(row["start"]) - 400))
            at = int(row["start"]) if at < 0 else at
            end = at + len(row["text"])
            print(f"\n#{k} {row['id']} {row['trope']} [{row['status']}] p={row['probability']}\n"
                  f"  ...{text[max(0, at - 240):at]}[[{text[at:end]}]]{text[end:end + 160]}...")


if __name__ == "__main__":
    main()
