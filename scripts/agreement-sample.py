#!/usr/bin/env python3
"""Draw gold passages for a blind second reading (stdlib): texts out, labels kept apart.

Draws `--train` passages at random from the training gold files (every data/gold/*.jsonl
but holdout* and samples.jsonl, whose passages are given by path) and `--held-out` from the
held-out files, shuffles them together under new ids (`iaa-001`, ...), and writes:

- OUT/batchN.jsonl: `{"id", "text"}` only, split into `--batches` files for as many
  annotators; nothing in them says which file a passage came from or how it was labelled;
- KEY (outside any folder an annotator reads): new id → gold file and id.

The annotators follow data/agreement/INSTRUCTIONS.md and write one labels file each; then

    python3 scripts/agreement-sample.py --merge KEY LABELS... -o data/agreement/NAME.jsonl

turns their labels into the form scripts/agreement.py reads (gold file, id, labels, lean;
no text). The passages are drawn with Python's random.Random(SEED), so a seed and the gold
files give the same draw again. The held-out texts go to the annotators only: whoever tunes
the lexicons never reads the batches.

    python3 scripts/agreement-sample.py --seed 20261124 -o /tmp/iaa --key /root/iaa-key.json

The full second reading of the training files (every passage the first draw did not take,
`--train -1`), in batches of about 150:

    python3 scripts/agreement-sample.py --seed 20261125 --train -1 --held-out 0 \
        --exclude data/agreement/second-annotator.jsonl --batches 24 --prefix sr --digits 4 \
        -o /tmp/sr --key /root/sr-key.json
"""
import argparse
import glob
import json
import os
import random
import sys

from agreement import ROOT, keyed_labels, load_json, read_jsonl, write_atomic, write_draw


def passages(files):
    return [(os.path.basename(path), d) for path in files for _, d in read_jsonl(path)
            if "text" in d]


def draw(args):
    gold = sorted(glob.glob(os.path.join(args.gold_dir, "*.jsonl")))
    train = [f for f in gold if not os.path.basename(f).startswith(("holdout", "samples"))]
    held = [f for f in gold if os.path.basename(f).startswith("holdout")]
    rng = random.Random(args.seed)
    pt, ph = passages(train), passages(held)
    done = set()
    for path in args.exclude or []:
        done |= {(d["file"], d["id"]) for _, d in read_jsonl(path)}
    pt = [(name, d) for name, d in pt if (name, d["id"]) not in done]
    if args.train < 0:
        args.train = len(pt)
    if args.train > len(pt) or args.held_out > len(ph):
        sys.exit(f"asked for {args.train} training and {args.held_out} held-out passages; "
                 f"the gold has {len(pt)} and {len(ph)}")
    items = rng.sample(pt, args.train) + rng.sample(ph, args.held_out)
    rng.shuffle(items)
    rows = []
    for i, (name, d) in enumerate(items):
        new = f"{args.prefix}-{i + 1:0{args.digits}d}"
        rows.append((new, {"file": name, "id": d["id"]}, {"id": new, "text": d["text"]}))
    write_draw(args.out, args.key, rows, args.batches)
    print(f"{len(items)} passages in {args.batches} batches under {args.out}; key {args.key}")


def merge(args):
    key = load_json(args.merge[0])
    rows = []
    seen = set()
    for d in keyed_labels(key, args.merge[1:]):
        seen.add(d["id"])
        k = key[d["id"]]
        rows.append({"file": k["file"], "id": k["id"], "gold": d.get("gold", []),
                     "lean": d.get("lean")})
    missing = sorted(set(key) - seen)
    if missing and not args.partial:
        sys.exit(f"no labels for {len(missing)} passages ({', '.join(missing[:5])} ...)")
    rows.sort(key=lambda r: (r["file"], r["id"]))
    write_atomic(args.o, "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))
    print(f"{len(rows)} passages' labels written to {args.o}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--gold-dir", default=os.path.join(ROOT, "data", "gold"))
    ap.add_argument("--seed", type=int, default=20261124)
    ap.add_argument("--train", type=int, default=120)
    ap.add_argument("--held-out", type=int, default=120)
    ap.add_argument("--batches", type=int, default=3)
    ap.add_argument("--exclude", nargs="+", metavar="LABELS",
                    help="leave out the training passages these merged labels files already cover")
    ap.add_argument("--partial", action="store_true",
                    help="merge: the labels so far, though some passages have none yet")
    ap.add_argument("--prefix", default="iaa", help="the new ids' prefix")
    ap.add_argument("--digits", type=int, default=3, help="the new ids' number of digits")
    ap.add_argument("-o", "--out", dest="out", help="draw: folder for the batches")
    ap.add_argument("--key", help="draw: where the private key goes")
    ap.add_argument("--merge", nargs="+", metavar="FILE",
                    help="KEY then the annotators' labels files: write the merged labels (-o)")
    args = ap.parse_args()
    if args.merge:
        if len(args.merge) < 2 or not args.out:
            sys.exit("--merge needs the key, at least one labels file, and -o FILE")
        args.o = args.out
        merge(args)
    else:
        if not args.out or not args.key:
            sys.exit("a draw needs -o FOLDER and --key FILE (kept where annotators do not look)")
        draw(args)


if __name__ == "__main__":
    main()
