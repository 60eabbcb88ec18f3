#!/usr/bin/env python3
"""Cross-validation of the learned stage on the training gold files only (Python stdlib).

The training gold files' passages (the list TUNED below, or with `--all-files` every gold file
but the held-out ones) are split into K folds by a hash of file and id, so the split never
changes, or with `--by-file` by a hash of the file alone: whole files in each fold, so every
test fold is authors and registers the model has not seen, the nearer measure of new text.
For each fold the model is trained with `tropescope lexicon train` on the other folds plus
the lexicon's examples, into a temporary copy of lexicons/, and the
held-out fold is measured with `tropescope eval --learned` at each candidate threshold and
window, and with `--no-learned`. Counts are pooled over the folds (micro-averaged), and the
setting with the best pooled status-aware F1 is reported: the threshold, window, weighting
and L2 penalty to train the shipped model with.

The held-out gold files (holdout*.jsonl) are never read. Needs `cargo build --release`.

    python3 scripts/learned-cv.py                      # the grid below
    python3 scripts/learned-cv.py --quick              # one setting, per-fold figures
    python3 scripts/learned-cv.py --all-files --by-file --train-args="--status-threshold 0.6" ...
"""
import argparse
import hashlib
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile

from agreement import training_files

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# The training files: the five the lexicon was tuned on, and dev5-dev7 (written blind,
# measured untuned, not tuned on): their folds are the ones where the stage has something
# to find.
TUNED = ["dev.jsonl", "dev2.jsonl", "dev3.jsonl", "dev4.jsonl", "samples.jsonl", "dev5.jsonl",
         "dev6.jsonl", "dev7.jsonl", "dev8.jsonl", "dev9.jsonl", "dev10.jsonl", "dev11.jsonl", "dev12.jsonl", "dev13.jsonl",
         "dev14.jsonl", "dev15.jsonl", "dev16.jsonl", "dev17.jsonl", "dev18.jsonl", "dev19.jsonl", "dev20.jsonl"]


def load_passages(names=TUNED, by_file=False):
    """(fold key, json line with `path` made absolute) for every line of the files `names`:
    the key hashes the file and id, or with `by_file` the file alone, so that a file's
    passages (one author, one register) all fall in one fold."""
    out = []
    for name in names:
        path = os.path.join(ROOT, "data", "gold", name)
        base = os.path.dirname(path)
        with open(path, encoding="utf-8") as f:
            for line in f:
                if not line.strip():
                    continue
                j = json.loads(line)
                if "path" in j:
                    j["path"] = os.path.normpath(os.path.join(base, j["path"]))
                key = hashlib.sha256((name if by_file else f"{name}/{j['id']}").encode()).hexdigest()
                out.append((key, j))
    return out


def write_jsonl(path, rows):
    with open(path, "w", encoding="utf-8") as f:
        for j in rows:
            f.write(json.dumps(j, ensure_ascii=False) + "\n")


def run(binary, *args):
    r = subprocess.run([binary, *args], capture_output=True, text=True)
    # eval exits 1 only for --min-f1 bars, which are not given here.
    if r.returncode not in (0,):
        sys.exit(f"{' '.join(args)}: exit {r.returncode}\n{r.stderr}")
    return r.stdout


def counts(binary, gold, lexdir, switch):
    j = json.loads(run(binary, "eval", gold, "--lexicon", lexdir, switch, "--format", "json",
                       "--brief"))
    d, s = j["detection"], j["status_aware"]
    return [d["tp"], d["fp"], d["fn"], s["tp"], s["fp"], s["fn"]]


def prf(tp, fp, fn):
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def describe(c):
    dp, dr, df = prf(*c[:3])
    sp, sr, sf = prf(*c[3:])
    return (f"detection P {dp:.3f} R {dr:.3f} F1 {df:.3f}  "
            f"status-aware P {sp:.3f} R {sr:.3f} F1 {sf:.3f}")


def set_line(model, key, value):
    with open(model, encoding="utf-8") as f:
        text = f.read()
    text = re.sub(rf"(?m)^{key}\t.*$", f"{key}\t{value}", text)
    with open(model, "w", encoding="utf-8") as f:
        f.write(text)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--binary", default=os.path.join(
        os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target")), "release",
        "tropescope"))
    ap.add_argument("--quick", action="store_true", help="only the shipped setting")
    ap.add_argument("--thresholds", default="0.5,0.6,0.7,0.8,0.9,0.95")
    ap.add_argument("--windows", default="0,1")
    ap.add_argument("--weightings", default="binary,idf")
    ap.add_argument("--l2", default="0.5,1,2")
    ap.add_argument("--prune", default="0.4")
    ap.add_argument("--max-share", default="0.05,1")
    ap.add_argument("--background", help="general text for `lexicon train --background` "
                    "(e.g. the IMDB CSV), the same in every fold")
    ap.add_argument("--background-every", default="25")
    ap.add_argument("--background-args", default="--text-column text --id-column id",
                    help="how to read it (corpus flags)")
    ap.add_argument("--all-files", action="store_true",
                    help="every training gold file, not only the list above")
    ap.add_argument("--by-file", action="store_true",
                    help="folds of whole files (new authors in every test fold), not of passages")
    ap.add_argument("--train-args", default="",
                    help="more `lexicon train` flags, the same in every fold "
                         "(e.g. --train-args=\"--status-threshold 0.6\")")
    args = ap.parse_args()
    background = []
    if args.background:
        background = ["--background", args.background, "--background-every",
                      args.background_every, *args.background_args.split()]
    if args.quick:
        args.thresholds, args.windows, args.weightings, args.l2 = "0.98", "1", "idf", "1"
        args.max_share = "1"
    thresholds = args.thresholds.split(",")
    windows = args.windows.split(",")

    passages = sorted(load_passages([os.path.basename(f) for f in training_files()] if args.all_files else TUNED, args.by_file),
                      key=lambda kj: kj[0])
    k = args.folds
    if args.by_file:
        keys = sorted({key for key, _ in passages})
        fold_of = {key: i % k for i, key in enumerate(keys)}
        folds = [[j for key, j in passages if fold_of[key] == f] for f in range(k)]
    else:
        folds = [[j for i, (_, j) in enumerate(passages) if i % k == f] for f in range(k)]
    tmp = tempfile.mkdtemp(prefix="learned-cv.")
    try:
        lexdir = os.path.join(tmp, "lexicons")
        shutil.copytree(os.path.join(ROOT, "lexicons"), lexdir)
        model = os.path.join(lexdir, "learned.tsv")
        if os.path.exists(model):
            os.remove(model)
        pooled = {}
        base_pooled = [0] * 6
        per_fold = {}
        for f in range(k):
            train = os.path.join(tmp, f"train{f}.jsonl")
            test = os.path.join(tmp, f"test{f}.jsonl")
            write_jsonl(train, [j for g in range(k) if g != f for j in folds[g]])
            write_jsonl(test, folds[f])
            if os.path.exists(model):
                os.remove(model)
            base = counts(args.binary, test, lexdir, "--no-learned")
            base_pooled = [a + b for a, b in zip(base_pooled, base)]
            print(f"fold {f} ({len(folds[f])} passages) without the stage: {describe(base)}")
            grid = [(wt, l2, ms) for wt in args.weightings.split(",")
                    for l2 in args.l2.split(",") for ms in args.max_share.split(",")]
            for weighting, l2, share in grid:
                # Window and threshold are read at inference: no retraining for them, except
                # that a background is cut into windows of the stage's size when training.
                for i, w in enumerate(windows):
                    if i == 0 or background:
                        run(args.binary, "lexicon", "train", train, "--lexicon", lexdir, "-o",
                            model, "--weighting", weighting, "--l2", l2, "--prune", args.prune,
                            "--max-share", share, "--window", w, *background,
                            *shlex.split(args.train_args))
                    set_line(model, "window", w)
                    for t in thresholds:
                        set_line(model, "threshold", t)
                        c = counts(args.binary, test, lexdir, "--learned")
                        key = (weighting, l2, share, w, t)
                        pooled[key] = [a + b for a, b in zip(pooled.get(key, [0] * 6), c)]
                        per_fold.setdefault(key, []).append(c)
        print(f"\npooled without the stage: {describe(base_pooled)}")
        best = max(pooled, key=lambda key: (prf(*pooled[key][3:])[2], prf(*pooled[key][:3])[2]))
        for key in sorted(pooled):
            mark = "  <- best" if key == best else ""
            print(f"weighting {key[0]} l2 {key[1]} max_share {key[2]} window {key[3]} "
                  f"threshold {key[4]}: {describe(pooled[key])}{mark}")
        print(f"\nbest setting per fold (weighting {best[0]}, l2 {best[1]}, max_share {best[2]}, "
              f"window {best[3]}, threshold {best[4]}):")
        for f, c in enumerate(per_fold[best]):
            print(f"fold {f}: {describe(c)}")
        print(f"pooled:  {describe(pooled[best])}")
        print(f"without: {describe(base_pooled)}")
        gain = prf(*pooled[best][3:])[2] - prf(*base_pooled[3:])[2]
        print(f"status-aware F1 change with the stage: {gain:+.3f}")
    finally:
        shutil.rmtree(tmp)


if __name__ == "__main__":
    main()
