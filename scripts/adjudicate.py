#!/usr/bin/env python3
"""Adjudicate where the second reading of the training gold disagrees with the first (stdlib).

The second reading (data/agreement/second-reading.jsonl, made with agreement-sample.py)
relabels the training passages blind. Where the two readers' label sets or leans differ, an
adjudicator sees the text and both readings, as A and B in an order drawn at random (never
which reading was the first), and writes the labels a careful reader would give
(data/agreement/ADJUDICATING.md says how). Passages the readers agree on keep their labels.

    python3 scripts/adjudicate.py draw data/agreement/second-reading.jsonl \\
        --batches 8 -o /tmp/adj --key /root/keys/adj-key.json
    python3 scripts/adjudicate.py apply /root/keys/adj-key.json /tmp/adj/verdict*.jsonl \\
        --record data/agreement/adjudicated.jsonl

`apply` writes each verdict into its gold file (the line's other fields and the file's
order kept, the file replaced atomically) and records every adjudicated passage (file, id,
the labels and lean decided, and which reading they match) in the record file, merged with
what it held. The held-out files are never read or written.
"""
import argparse
import json
import os
import random
import sys

from agreement import ROOT, keyed_labels, read_jsonl
from agreement import pairs as label_set

GOLD = os.path.join(ROOT, "data", "gold")


def pairs(gold):
    return sorted(label_set(gold))


def as_gold(ps):
    return [{"trope": t, "status": s} for t, s in ps]


def first_readings(files):
    """(file, id) → the gold file's line (a dict) for every line of `files`."""
    out = {}
    for name in files:
        if name.startswith("holdout"):
            sys.exit(f"{name}: held-out files are never adjudicated here")
        for _, d in read_jsonl(os.path.join(GOLD, name)):
            out[(name, d["id"])] = d
    return out


def draw(args):
    second = [d for _, d in read_jsonl(args.second)]
    first = first_readings(sorted({d["file"] for d in second}))
    done = set()
    if args.record and os.path.exists(args.record):
        done = {(d["file"], d["id"]) for _, d in read_jsonl(args.record)}
    rng = random.Random(args.seed)
    items = []
    for d in second:
        f = first[(d["file"], d["id"])]
        if (d["file"], d["id"]) in done:
            continue
        same_labels = pairs(f["gold"]) == pairs(d["gold"])
        if same_labels and f.get("lean") == d.get("lean"):
            continue
        readings = [("first", f), ("second", d)]
        rng.shuffle(readings)
        items.append((d["file"], d["id"], f["text"], readings))
    os.makedirs(args.out, exist_ok=True)
    key = {}
    per = -(-len(items) // args.batches) if items else 0
    for b in range(args.batches):
        with open(os.path.join(args.out, f"batch{b + 1}.jsonl"), "w", encoding="utf-8") as out:
            for i in range(b * per, min((b + 1) * per, len(items))):
                name, gid, text, readings = items[i]
                new = f"{args.prefix}-{i + 1:04d}"
                key[new] = {"file": name, "id": gid, "a": readings[0][0], "b": readings[1][0]}
                row = {"id": new, "text": text}
                for tag, (_, r) in zip("ab", readings):
                    row[tag] = {"gold": as_gold(pairs(r["gold"])), "lean": r.get("lean")}
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
    with open(args.key, "w", encoding="utf-8") as f:
        json.dump(key, f, indent=0)
    print(f"{len(items)} passages to adjudicate in {args.batches} batches under {args.out}; "
          f"key {args.key}")


def apply(args):
    with open(args.key, encoding="utf-8") as f:
        key = json.load(f)
    verdicts = {d["id"]: d for d in keyed_labels(key, args.verdicts, "adjudicated")}
    second = {}
    if args.second:
        second = {(d["file"], d["id"]): d for _, d in read_jsonl(args.second)}
    by_file = {}
    for new, v in verdicts.items():
        k = key[new]
        by_file.setdefault(k["file"], {})[k["id"]] = v
    record = {}
    if os.path.exists(args.record):
        record = {(d["file"], d["id"]): d for _, d in read_jsonl(args.record)}
    changed = applied = skipped = 0
    for name in sorted(by_file):
        path = os.path.join(GOLD, name)
        if name.startswith("holdout"):
            sys.exit(f"{name}: held-out files are never adjudicated here")
        with open(path, encoding="utf-8") as f:
            lines = f.read().splitlines()
        for i, line in enumerate(lines):
            if not line.strip():
                continue
            d = json.loads(line)
            v = by_file[name].get(d["id"])
            if v is None:
                continue
            if (name, d["id"]) in record:
                # Applied before: the gold line is the verdict now, no longer the first
                # reading, so applying it again would record a wrong match.
                skipped += 1
                continue
            applied += 1
            decided = pairs(v.get("gold", []))
            matches = ["first"] if decided == pairs(d["gold"]) else []
            s = second.get((name, d["id"]))
            if s is not None and decided == pairs(s["gold"]):
                matches.append("second")
            record[(name, d["id"])] = {"file": name, "id": d["id"], "gold": as_gold(decided),
                                       "lean": v.get("lean"), "labels_match": matches}
            if decided != pairs(d["gold"]) or v.get("lean") != d.get("lean"):
                changed += 1
                d["gold"] = as_gold(decided)
                if v.get("lean") is None:
                    d.pop("lean", None)
                else:
                    d["lean"] = v["lean"]
                lines[i] = json.dumps(d, ensure_ascii=False)
        tmp = path + ".tmp"
        with open(tmp, "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")
        os.replace(tmp, path)
    tmp = args.record + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        for k in sorted(record):
            f.write(json.dumps(record[k], ensure_ascii=False) + "\n")
    os.replace(tmp, args.record)
    print(f"{applied} verdicts applied ({skipped} applied before, left alone): {changed} gold "
          f"lines changed; {len(record)} passages in {args.record}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    d = sub.add_parser("draw", help="write the passages to adjudicate, in batches")
    d.add_argument("second", help="the second reading's merged labels")
    d.add_argument("--seed", type=int, default=20261124)
    d.add_argument("--batches", type=int, default=8)
    d.add_argument("--prefix", default="adj")
    d.add_argument("--record", default=os.path.join(ROOT, "data", "agreement", "adjudicated.jsonl"),
                   help="passages already adjudicated there are not drawn again")
    d.add_argument("-o", "--out", required=True)
    d.add_argument("--key", required=True, help="kept where adjudicators do not look")
    a = sub.add_parser("apply", help="write the verdicts into the gold files")
    a.add_argument("key")
    a.add_argument("verdicts", nargs="+")
    a.add_argument("--second", default=os.path.join(ROOT, "data", "agreement", "second-reading.jsonl"),
                   help="the second reading, to record which reading a verdict matches")
    a.add_argument("--record", default=os.path.join(ROOT, "data", "agreement", "adjudicated.jsonl"))
    args = ap.parse_args()
    draw(args) if args.cmd == "draw" else apply(args)


if __name__ == "__main__":
    main()
