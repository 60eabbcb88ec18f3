#!/usr/bin/env python3
"""Leave-one-file-out cross-validation of the status stage alone (Python stdlib).

For each training gold file (every data/gold/*.jsonl but holdout*), the status stage is
trained again with `tropescope lexicon train --status-only` on the other files and the
lexicon's examples, into a temporary copy of lexicons/, and the left-out file is measured
with `tropescope eval --format json`, with that model and with the model's status lines
removed (the rules' statuses). Counts are pooled over the files (micro-averaged).

The detection model is the lexicon's own (`lexicons/learned.tsv`), which was trained on
every file: the mentions are the in-sample ones, so the figures compare status features,
thresholds and data with each other, not with new text (`scripts/train-learned.sh`'s full
retraining per file, about 2 minutes each, is what measures that). A run takes 3 to 4
minutes on 2 cores (45 files). The held-out gold files are never read.

    python3 scripts/status-cv.py                     # the shipped settings
    python3 scripts/status-cv.py --threshold 0.5     # another status threshold
    python3 scripts/status-cv.py --cued-threshold 0.8  # another bar for overruling a cue
    python3 scripts/status-cv.py --also-threshold 0.6  # another bar for a second status
    python3 scripts/status-cv.py --no-also           # no second statuses (README item 31)
    python3 scripts/status-cv.py --lexicon /tmp/lex  # a changed copy of lexicons/
    TROPESCOPE=/tmp/other/tropescope python3 scripts/status-cv.py   # another build
"""
import argparse
import concurrent.futures
import csv
import json
import os
import shutil
import subprocess
import sys
import tempfile

from agreement import training_files

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.environ.get("TROPESCOPE", os.path.join(ROOT, "target", "release", "tropescope"))


def without_status(model_text):
    return "".join(
        line for line in model_text.splitlines(keepends=True) if not line.startswith("status")
    )


class Failed(Exception):
    pass


def counts(lexicon, gold):
    # --learned: both columns read the model's mentions whatever the copy's model.toml says.
    out = subprocess.run(
        [BIN, "eval", gold, "--lexicon", lexicon, "--learned", "--format", "json"],
        check=False, capture_output=True, text=True,
    )
    if out.returncode != 0:
        raise Failed(f"eval {gold} failed: {out.stderr.strip()}")
    d = json.loads(out.stdout)
    s, t = d["status_aware"], d["detection"]
    return {"tp": s["tp"], "fp": s["fp"], "fn": s["fn"],
            "dtp": t["tp"], "dfp": t["fp"], "dfn": t["fn"]}


def one_file(left_out, files, args, work):
    name = os.path.basename(left_out)[: -len(".jsonl")]
    lexicon = os.path.join(work, name)
    shutil.copytree(args.lexicon, lexicon)
    train = [f for f in files if f != left_out]
    cmd = [BIN, "lexicon", "train", *train, "--lexicon", lexicon, "--status-only",
           "--status-threshold", str(args.threshold), "--status-l2", str(args.l2),
           "--status-prune", str(args.prune),
           "--status-cued-threshold", str(args.cued_threshold),
           *(["--status-also-threshold", str(args.also_threshold),
              "--status-also-share", str(args.also_share)]
             if not args.no_also else []),
           "-o", os.path.join(lexicon, "learned.tsv")]
    out = subprocess.run(cmd, check=False, capture_output=True, text=True)
    if out.returncode != 0:
        raise Failed(f"training without {name} failed: {out.stderr.strip()}")
    stage = counts(lexicon, left_out)
    changes = overrules(lexicon, left_out, work) if args.overrules else []
    model = os.path.join(lexicon, "learned.tsv")
    with open(model, encoding="utf-8") as f:
        text = f.read()
    with open(model, "w", encoding="utf-8") as f:
        f.write(without_status(text))
    rules = counts(lexicon, left_out)
    shutil.rmtree(lexicon)
    return name, rules, stage, changes


def overrules(lexicon, gold, work):
    """(cue category or "none", rules' status right, stage's status right) for each mention of
    `gold` whose status the stage changed, read from `batch`'s mention table: right means the
    document's gold has the trope with that status. Documents given by path (`samples.jsonl`)
    are left out."""
    labels = {}
    docs = os.path.join(work, os.path.basename(gold) + ".docs.jsonl")
    with open(gold, encoding="utf-8") as f, open(docs, "w", encoding="utf-8") as out:
        for line in f:
            if line.strip():
                d = json.loads(line)
                labels[d["id"]] = {(g["trope"], g["status"]) for g in d["gold"]}
                if "text" in d:
                    out.write(json.dumps({"id": d["id"], "text": d["text"]}) + "\n")
    table = docs + ".mentions.csv"
    out = subprocess.run([BIN, "batch", docs, "--text-field", "text", "--id-field", "id",
                          "--lexicon", lexicon, "--learned", "-o", docs + ".csv", "--mentions",
                          table], check=False, capture_output=True, text=True)
    if out.returncode != 0:
        raise Failed(f"batch {gold} failed: {out.stderr.strip()}")
    out = []
    with open(table, encoding="utf-8", newline="") as f:
        for m in csv.DictReader(f):
            # A second status (`record` second) overrules nothing: its first row stays.
            if m["record"] == "first" and m["rules_status"] and m["rules_status"] != m["status"]:
                gold_set = labels.get(m["id"], set())
                out.append((m["cue_category"] or "none", (m["trope"], m["rules_status"]) in gold_set,
                            (m["trope"], m["status"]) in gold_set))
    return out


def f1(c):
    return 2 * c["tp"] / max(1, 2 * c["tp"] + c["fp"] + c["fn"])


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--threshold", type=float, default=0.6)
    p.add_argument("--cued-threshold", type=float, default=0.7,
                   help="the probability that overrules a status a cue set")
    p.add_argument("--also-share", type=float, default=0.3,
                   help="the share of the status probabilities a second status needs")
    p.add_argument("--also-threshold", type=float, default=0.5,
                   help="the also regression's probability that gives a mention a second status")
    p.add_argument("--no-also", action="store_true",
                   help="fit no also regression: one status a mention, as before item 31")
    p.add_argument("--l2", type=float, default=1.0)
    p.add_argument("--prune", type=float, default=0.01)
    p.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    p.add_argument("--overrules", action="store_true",
                   help="also count, by the rules' cue category, the mentions whose status the "
                        "stage changed and whether the change was right")
    p.add_argument("--lexicon", default=os.path.join(ROOT, "lexicons"),
                   help="lexicon folder to copy (its learned.tsv is the detection model kept)")
    args = p.parse_args()
    files = training_files()
    with tempfile.TemporaryDirectory() as work:
        pool = concurrent.futures.ThreadPoolExecutor(args.jobs)
        futures = [pool.submit(one_file, f, files, args, work) for f in files]
        try:
            # The first failure stops the run: the jobs not started are cancelled.
            for f in concurrent.futures.as_completed(futures):
                f.result()
        except Failed as e:
            pool.shutdown(cancel_futures=True)
            sys.exit(f"status-cv: {e}")
        pool.shutdown()
        results = [f.result() for f in futures]
    total = {k: {x: 0 for x in ("tp", "fp", "fn", "dtp", "dfp", "dfn")}
             for k in ("rules", "stage")}
    print(f"{'left out':<12} {'rules':>7} {'stage':>7}")
    for name, rules, stage, _ in results:
        print(f"{name:<12} {f1(rules):7.3f} {f1(stage):7.3f}")
        for k, c in (("rules", rules), ("stage", stage)):
            for x in total[k]:
                total[k][x] += c[x]
    print(f"{'pooled':<12} {f1(total['rules']):7.3f} {f1(total['stage']):7.3f}"
          f"   (status-aware F1, {len(files)} files; detection in-sample)")
    for k in ("rules", "stage"):
        c = total[k]
        print(f"{k:<12} tp {c['tp']}  fp {c['fp']}  fn {c['fn']}")
    if args.overrules:
        by = {}
        for *_, changes in results:
            for category, rules_right, stage_right in changes:
                c = by.setdefault(category, [0, 0, 0, 0, 0])
                c[0] += 1
                c[1] += stage_right and not rules_right
                c[2] += rules_right and not stage_right
                c[3] += rules_right and stage_right
                c[4] += not (rules_right or stage_right)
        print(f"\n{'cue category':<14} {'changed':>8} {'fixed':>6} {'broke':>6} {'both':>5} "
              f"{'neither':>8}   (mentions whose status the stage changed; both: the gold has "
              "the trope with both statuses)")
        for category in sorted(by):
            print(f"{category:<14} " + " ".join(f"{x:>{w}}" for x, w in zip(by[category], (8, 6, 6, 5, 8))))


if __name__ == "__main__":
    main()
