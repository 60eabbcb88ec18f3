#!/usr/bin/env python3
"""Adjudicate where the second reading of the training gold disagrees with the first (stdlib).

A second reading (data/agreement/second-reading.jsonl or second-annotator.jsonl, made with
agreement-sample.py) relabels training passages blind. Where the two readers' label sets or
leans differ, an adjudicator sees the text and both readings, as A and B in an order drawn at
random (never which reading was the first), and writes the labels a careful reader would give
(data/agreement/ADJUDICATING.md says how). Passages the readers agree on keep their labels;
rows of held-out files are never drawn (their labels stay as their authors wrote them).

    python3 scripts/adjudicate.py draw data/agreement/second-reading.jsonl \\
        --batches 8 --prefix adj -o /tmp/adj --key /private/adj-key.json
    python3 scripts/adjudicate.py apply /private/adj-key.json /tmp/adj/verdict*.jsonl

`draw` leaves out passages the record (data/agreement/adjudicated.jsonl) already holds, keeps
each passage's first reading in the key, and refuses to overwrite a key or batches without
`--force`. `apply` checks every verdict (ids, trope ids, statuses, lean) and every gold line it
would change before writing anything; then it writes each verdict into its gold file (the
line's other fields and the file's order kept, a first reader's note marked as such, the
file replaced atomically) and records the passage (file, id, the labels and lean decided, and
which reading's label set they equal) in the record. A gold line that no longer holds the
first reading the key kept (applied before, or edited since the draw) is left alone.
"""
import argparse
import glob
import json
import os
import random
import sys

from agreement import ROOT, keyed_labels, load_json, read_jsonl, write_atomic, write_draw
from agreement import pairs as label_set

GOLD = os.path.join(ROOT, "data", "gold")
RECORD = os.path.join(ROOT, "data", "agreement", "adjudicated.jsonl")
# Put before a first reader's note on a line whose labels the adjudication changed: the note
# may speak of labels that are gone.
NOTE_MARK = "[first reader's note; labels adjudicated from two blind readings] "


def pairs(gold):
    return sorted(label_set(gold))


def as_gold(ps):
    return [{"trope": t, "status": s} for t, s in ps]


def gold_lines(name):
    """The gold file `name`'s lines: (line number, parsed) for each, errors naming the line."""
    if name.startswith("holdout"):
        sys.exit(f"{name}: held-out files are never adjudicated here")
    path = os.path.join(GOLD, name)
    if not os.path.exists(path):
        sys.exit(f"{name} is not in {GOLD}")
    out = []
    for n, d in read_jsonl(path):
        if not isinstance(d, dict) or "id" not in d or not isinstance(d.get("gold"), list):
            sys.exit(f"{path}:{n}: not a gold line (an object with id and a gold list)")
        out.append((n, d))
    return out


def record_keys(path):
    return {(d["file"], d["id"]) for _, d in read_jsonl(path)} if os.path.exists(path) else set()


def draw(args):
    for path in (args.key,) + tuple(glob.glob(os.path.join(args.out, "batch*.jsonl"))):
        if os.path.exists(path) and not args.force:
            sys.exit(f"{path} exists: a draw would overwrite it (--force to do so)")
    seconds = []
    held = 0
    for path in args.second:
        for n, d in read_jsonl(path):
            if not isinstance(d, dict) or not {"file", "id", "gold"} <= d.keys():
                sys.exit(f"{path}:{n}: not a reading (file, id, gold)")
            if d["file"].startswith("holdout"):
                held += 1
            else:
                seconds.append((f"{path}:{n}", d))
    first = {}
    for name in sorted({d["file"] for _, d in seconds}):
        for _, d in gold_lines(name):
            first[(name, d["id"])] = d
    done = record_keys(args.record)
    items = []
    for where, d in seconds:
        f = first.get((d["file"], d["id"]))
        if f is None:
            sys.exit(f"{where}: {d['file']} has no passage {d['id']}")
        if "text" not in f:
            sys.exit(f"{where}: {d['id']} is given by path; only inline texts are drawn")
        if (d["file"], d["id"]) in done:
            continue
        if pairs(f["gold"]) == pairs(d["gold"]) and f.get("lean") == d.get("lean"):
            continue
        items.append((d["file"], f, d))
    rng = random.Random(args.seed)
    # Shuffled, so that no adjudicator reads one author's passages in a run.
    rng.shuffle(items)
    rows = []
    for i, (name, f, sec) in enumerate(items):
        readings = [("first", f), ("second", sec)]
        rng.shuffle(readings)
        new = f"{args.prefix}-{i + 1:04d}"
        entry = {"file": name, "id": f["id"], "a": readings[0][0], "b": readings[1][0],
                 "first": pairs(f["gold"]), "first_lean": f.get("lean"),
                 "second": pairs(sec["gold"])}
        row = {"id": new, "text": f["text"]}
        for tag, (_, r) in zip("ab", readings):
            row[tag] = {"gold": as_gold(pairs(r["gold"])), "lean": r.get("lean")}
        rows.append((new, entry, row))
    write_draw(args.out, args.key, rows, args.batches)
    skipped = f"; {held} held-out rows left out" if held else ""
    print(f"{len(items)} passages to adjudicate in {args.batches} batches under {args.out}; "
          f"key {args.key}{skipped}")


def apply(args):
    key = load_json(args.key)
    tropes = {os.path.basename(p)[: -len(".toml")]
              for p in glob.glob(os.path.join(ROOT, "lexicons", "tropes", "*.toml"))}
    verdicts = {}
    for d in keyed_labels(key, args.verdicts, "adjudicated", require=("gold", "lean")):
        unknown = sorted({g["trope"] for g in d["gold"]} - tropes)
        if unknown:
            sys.exit(f"verdict {d['id']}: unknown trope ids {unknown} (see spec/tropes.md)")
        verdicts[d["id"]] = d
    missing = sorted(set(key) - set(verdicts))
    if missing:
        print(f"note: {len(missing)} passages of the key have no verdict yet "
              f"({', '.join(missing[:5])} ...)", file=sys.stderr)
    by_file = {}
    for new, v in verdicts.items():
        k = key[new]
        by_file.setdefault(k["file"], {})[k["id"]] = (k, v)
    record = {}
    if os.path.exists(args.record):
        record = {(d["file"], d["id"]): d for _, d in read_jsonl(args.record)}
    # Everything is read and checked before anything is written.
    files = {name: gold_lines(name) for name in sorted(by_file)}
    writes = {}
    applied = skipped = changed = 0
    for name, lines in files.items():
        wanted = by_file[name]
        found = {d["id"] for _, d in lines}
        absent = sorted(set(wanted) - found)
        if absent:
            sys.exit(f"{name} has no passages {absent[:5]}: is this key for this gold?")
        out = []
        for _, d in lines:
            if d["id"] not in wanted:
                out.append(d)
                continue
            k, v = wanted[d["id"]]
            current = pairs(d["gold"])
            first = [tuple(p) for p in k["first"]] if "first" in k else current
            if current != first or (name, d["id"]) in record:
                # Applied before (the line is the verdict now), or edited since the draw.
                skipped += 1
                out.append(d)
                continue
            applied += 1
            decided = pairs(v["gold"])
            matches = [r for r in ("first", "second")
                       if [tuple(p) for p in k.get(r, [])] == decided]
            record[(name, d["id"])] = {"file": name, "id": d["id"], "gold": as_gold(decided),
                                       "lean": v["lean"], "labels_match": matches}
            if decided != current or v["lean"] != d.get("lean"):
                changed += 1
                d = dict(d, gold=as_gold(decided))
                if v["lean"] is None:
                    d.pop("lean", None)
                else:
                    d["lean"] = v["lean"]
                if decided != current and d.get("note") and not d["note"].startswith(NOTE_MARK):
                    d["note"] = NOTE_MARK + d["note"]
            out.append(d)
        writes[name] = "".join(json.dumps(d, ensure_ascii=False) + "\n" for d in out)
    for name, text in writes.items():
        path = os.path.join(GOLD, name)
        with open(path, encoding="utf-8") as f:
            if f.read() == text:
                continue
        write_atomic(path, text)
    write_atomic(args.record, "".join(json.dumps(record[k], ensure_ascii=False) + "\n"
                                      for k in sorted(record)))
    print(f"{applied} verdicts applied ({skipped} left alone: applied before, or the gold line "
          f"changed since the draw): {changed} gold lines changed; {len(record)} passages in "
          f"{args.record}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    d = sub.add_parser("draw", help="write the passages to adjudicate, in batches")
    d.add_argument("second", nargs="+", help="second readings' merged labels")
    d.add_argument("--seed", type=int, default=20261124)
    d.add_argument("--batches", type=int, default=8)
    d.add_argument("--prefix", default="adj", help="the ids' prefix: one of its own each draw")
    d.add_argument("--record", default=RECORD,
                   help="passages already adjudicated there are not drawn again")
    d.add_argument("--force", action="store_true", help="overwrite an existing key and batches")
    d.add_argument("-o", "--out", required=True)
    d.add_argument("--key", required=True, help="kept where adjudicators do not look")
    a = sub.add_parser("apply", help="write the verdicts into the gold files")
    a.add_argument("key")
    a.add_argument("verdicts", nargs="+")
    a.add_argument("--record", default=RECORD)
    args = ap.parse_args()
    draw(args) if args.cmd == "draw" else apply(args)


if __name__ == "__main__":
    main()
