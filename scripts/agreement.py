#!/usr/bin/env python3
"""How far two human annotators agree on the gold files, and the analysis against each (stdlib).

A second annotator labels documents of `data/gold` again, blind: the text alone, with
`spec/tropes.md` and the gold format's rules, never the first labels or the tool's output.
Their labels are a JSON Lines file, one document a line:

    {"file": "dev20.jsonl", "id": "dev20-001", "gold": [{"trope": ..., "status": ...}], "lean": ...}

This script sets them beside the first annotator's (the gold files' own labels) and prints,
for the training files and the held-out files apart, the figures `eval` gives, computed the
same way (micro-averaged sets of tropes, and of (trope, status) pairs, per document):

- the second annotator against the first: the agreement two careful readers reach, the
  ceiling a bar on the gold can be read against;
- the analysis against the first annotator and against the second, on the same documents
  (`tropescope eval --pooled` on temporary gold files holding those documents);
- the lean the annotators give, with Cohen's kappa.

For the held-out files it prints only the pooled figures, never a document, so reading its
output tunes nothing.

    python3 scripts/agreement.py data/agreement/second-annotator.jsonl
    TROPESCOPE=/tmp/other/tropescope python3 scripts/agreement.py FILE   # another build
    python3 scripts/agreement.py FILE --no-system                        # annotators only
"""
import argparse
import collections
import glob
import json
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.environ.get("TROPESCOPE", os.path.join(ROOT, "target", "release", "tropescope"))
STATUSES = ("present", "absent", "generic")
LEANS = ("mature", "cliche", "mixed", "none")


def read_jsonl(path):
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if line.strip():
                try:
                    yield n, json.loads(line)
                except json.JSONDecodeError as e:
                    sys.exit(f"{path}:{n}: not JSON ({e}); fix or remove the line")


def pairs(labels):
    return {(g["trope"], g["status"]) for g in labels}


def load_json(path):
    """A JSON file (a draw's key), or a message naming it."""
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except OSError as e:
        sys.exit(f"{path}: {e.strerror}")
    except json.JSONDecodeError as e:
        sys.exit(f"{path}: not JSON ({e})")


def training_files():
    """Every gold file but the held-out ones (holdout*.jsonl), as paths in byte order."""
    files = sorted(glob.glob(os.path.join(ROOT, "data", "gold", "*.jsonl")))
    return [f for f in files if not os.path.basename(f).startswith("holdout")]


def write_draw(out, key_path, rows, batches):
    """A draw for annotators: `rows` ((new id, key entry, the line an annotator reads), in
    order) split into `batches` files `out/batchN.jsonl`, and the key (new id → entry) at
    `key_path`, each written whole or not at all."""
    os.makedirs(out, exist_ok=True)
    per = -(-len(rows) // batches) if rows else 0
    for b in range(batches):
        part = rows[b * per:(b + 1) * per]
        write_atomic(os.path.join(out, f"batch{b + 1}.jsonl"),
                     "".join(json.dumps(r, ensure_ascii=False) + "\n" for _, _, r in part))
    write_atomic(key_path, json.dumps({new: k for new, k, _ in rows}, indent=0))


def write_atomic(path, text):
    """Write `text` to a temporary name beside `path` and rename it: never half a file."""
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, path)


def keyed_labels(key, paths, verb="labelled", require=()):
    """The lines (dicts) of annotators' files whose ids are a draw's `key`, each checked: an id
    the key lacks, one given twice, a field of `require` missing, a gold that is no list of
    trope and status, a status or lean outside the gold format: all stop with the file and
    line."""
    seen = set()
    for path in paths:
        if not os.path.exists(path):
            sys.exit(f"{path}: no such file")
        for n, d in read_jsonl(path):
            where = f"{path}:{n}"
            if not isinstance(d, dict):
                sys.exit(f"{where}: not a JSON object")
            lacking = [f for f in require if f not in d]
            if lacking:
                sys.exit(f"{where}: no {', '.join(lacking)}")
            if not isinstance(d.get("gold", []), list) or not all(
                    isinstance(g, dict) for g in d.get("gold", [])):
                sys.exit(f"{where}: gold is not a list of {{trope, status}}")
            if d.get("id") not in key:
                sys.exit(f"{where}: id {d.get('id')!r} is not in the key")
            if d["id"] in seen:
                sys.exit(f"{where}: {d['id']} {verb} twice")
            seen.add(d["id"])
            for g in d.get("gold", []):
                if g.get("status") not in STATUSES or not g.get("trope"):
                    sys.exit(f"{where}: {g!r} is not a trope with status present/absent/generic")
            if d.get("lean") not in set(LEANS) | {None}:
                sys.exit(f"{where}: lean {d.get('lean')!r} is not mature/cliche/mixed/none")
            yield d


def f1(tp, fp, fn):
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def compare(firsts, seconds):
    """The second annotator's labels measured against the first's, as `eval` measures."""
    det = [0, 0, 0]
    sa = [0, 0, 0]
    confusion = collections.Counter()
    for a, b in zip(firsts, seconds):
        pa, pb = pairs(a), pairs(b)
        ta, tb = {t for t, _ in pa}, {t for t, _ in pb}
        det[0] += len(ta & tb)
        det[1] += len(tb - ta)
        det[2] += len(ta - tb)
        sa[0] += len(pa & pb)
        sa[1] += len(pb - pa)
        sa[2] += len(pa - pb)
        # The confusion matrix as eval's: tropes both name with one status each.
        for t in ta & tb:
            sa_t = [s for u, s in pa if u == t]
            sb_t = [s for u, s in pb if u == t]
            if len(sa_t) == 1 and len(sb_t) == 1:
                confusion[(sa_t[0], sb_t[0])] += 1
    return det, sa, confusion


def kappa(xs, ys):
    n = len(xs)
    if n == 0:
        return float("nan")
    agree = sum(x == y for x, y in zip(xs, ys)) / n
    cx, cy = collections.Counter(xs), collections.Counter(ys)
    chance = sum(cx[k] * cy[k] for k in LEANS) / (n * n)
    return (agree - chance) / (1 - chance) if chance < 1 else 1.0


def system(docs, labels):
    """The analysis against `labels` on `docs`: eval's pooled figures, from a temporary file."""
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "gold.jsonl")
        with open(path, "w", encoding="utf-8") as f:
            for d, (gold, lean) in zip(docs, labels):
                line = {"id": d["id"], "text": d["text"], "gold": gold}
                if lean:
                    line["lean"] = lean
                f.write(json.dumps(line, ensure_ascii=False) + "\n")
        out = subprocess.run(
            [BIN, "eval", "--pooled", path, "--format", "json"],
            check=False, capture_output=True, text=True,
        )
        if out.returncode not in (0, 1):
            sys.exit(f"tropescope eval failed: {out.stderr.strip()}")
        return json.loads(out.stdout)


def row(name, det, sa):
    d, s = f1(*det), f1(*sa)
    return f"  {name:<34} detection F1 {d[2]:.3f}   status-aware F1 {s[2]:.3f}"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("second", help="the second annotator's labels (JSON Lines)")
    ap.add_argument("--gold-dir", default=os.path.join(ROOT, "data", "gold"))
    ap.add_argument("--no-system", action="store_true", help="only the annotators")
    args = ap.parse_args()

    gold = {}
    for n, line in read_jsonl(args.second):
        for field in ("file", "id", "gold"):
            if field not in line:
                sys.exit(f"{args.second}:{n}: no `{field}`; every line needs file, id and gold")
        gold.setdefault(line["file"], {})
    first = {}
    for name in gold:
        path = os.path.join(args.gold_dir, name)
        if not os.path.exists(path):
            sys.exit(f"{args.second}: names {name}, which is not in {args.gold_dir}")
        for _, d in read_jsonl(path):
            first[(name, d["id"])] = d
    parts = collections.defaultdict(list)
    for n, line in read_jsonl(args.second):
        key = (line["file"], line["id"])
        if key not in first:
            sys.exit(f"{args.second}:{n}: {key[0]} has no document {key[1]}")
        if "text" not in first[key]:
            sys.exit(f"{args.second}:{n}: {key[1]} is given by path; only inline texts are compared")
        part = "held-out" if line["file"].startswith("holdout") else "training"
        parts[part].append((first[key], line))

    for part in ("training", "held-out"):
        items = parts.get(part, [])
        if not items:
            continue
        docs = [a for a, _ in items]
        firsts = [a["gold"] for a, _ in items]
        seconds = [b["gold"] for _, b in items]
        det, sa, confusion = compare(firsts, seconds)
        print(f"{part} files: {len(items)} documents, "
              f"{sum(len(pairs(x)) for x in firsts)} first labels, "
              f"{sum(len(pairs(x)) for x in seconds)} second labels")
        print(row("second annotator against first", det, sa))
        if not args.no_system:
            for who, labels in (("first", [(a["gold"], a.get("lean")) for a, _ in items]),
                                ("second", [(b["gold"], b.get("lean")) for _, b in items])):
                r = system(docs, labels)
                dd, ss = r["detection"], r["status_aware"]
                print(row(f"the analysis against {who}",
                          (dd["tp"], dd["fp"], dd["fn"]), (ss["tp"], ss["fp"], ss["fn"])))
        print("  status confusion, tropes both name once (rows first, columns second):")
        print("  " + " " * 10 + "".join(f"{s:>9}" for s in STATUSES))
        for s in STATUSES:
            print(f"  {s:>10}" + "".join(f"{confusion[(s, t)]:>9}" for t in STATUSES))
        leans = [(a.get("lean"), b.get("lean")) for a, b in items if a.get("lean") and b.get("lean")]
        if leans:
            xs, ys = zip(*leans)
            same = sum(x == y for x, y in leans)
            print(f"  lean: {same} of {len(leans)} agree ({same / len(leans):.3f}), "
                  f"Cohen's kappa {kappa(xs, ys):.3f}")
        print()


if __name__ == "__main__":
    main()
