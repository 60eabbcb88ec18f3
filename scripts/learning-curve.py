#!/usr/bin/env python3
"""How much more training gold of the kind we write would buy: a learning curve (stdlib).

For each size N and seed, N of the training gold files (every gold file but holdout*.jsonl)
are drawn at random, the learned stages are trained on them alone with the shipped settings
(`scripts/train-learned.sh` with TRAIN_FILES, so the settings are written once) into a
temporary copy of lexicons/, and the held-out files are measured pooled with that model.
The patterns are the shipped ones throughout (they were written from all the training
files), so the curve measures what the learned stages gain from more files, not what a
curator gains from reading them.

Nothing is tuned from the curve: the held-out files are measured, never read, and the
shipped model is untouched. Needs `cargo build --release` and ../shared (the background).
About 2.5 minutes a point on this machine.

    python3 scripts/learning-curve.py                       # sizes 8, 16, 24, all; seeds 1, 2
    python3 scripts/learning-curve.py --sizes 16,33 --seeds 1
"""
import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile

from agreement import training_files

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def held_out():
    gold = os.path.join(ROOT, "data", "gold")
    return sorted(os.path.join(gold, f) for f in os.listdir(gold)
                  if f.startswith("holdout") and f.endswith(".jsonl"))


def point(binary, files, lexicon):
    """Train on `files` into `lexicon` (a copy of lexicons/), then the pooled held-out
    report as a dict."""
    env = dict(os.environ, TROPESCOPE=binary, LC_ALL="C",
               TRAIN_FILES=" ".join(os.path.relpath(f, ROOT) for f in files))
    subprocess.run([os.path.join(ROOT, "scripts", "train-learned.sh"),
                    os.path.join(lexicon, "learned.tsv")],
                   env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    out = subprocess.run([binary, "eval", "--pooled", *held_out(), "--brief", "--format", "json",
                          "--lexicon", lexicon], check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="8,16,24,all",
                    help="numbers of training files, comma-separated ('all': every one)")
    ap.add_argument("--seeds", default="1,2", help="draws of the files, comma-separated")
    ap.add_argument("--binary", default=os.path.join(ROOT, "target", "release", "tropescope"))
    args = ap.parse_args()
    files = training_files()
    sizes = [len(files) if s == "all" else int(s) for s in args.sizes.split(",")]
    if any(not 0 < n <= len(files) for n in sizes):
        sys.exit(f"learning-curve: sizes must be 1 to {len(files)} (the training files)")
    print("| training files | seed | detection P / R / F1 | status-aware F1 |")
    print("| ---: | ---: | --- | ---: |")
    with tempfile.TemporaryDirectory() as tmp:
        # The binary is copied: a rebuild during the run must not change the measure.
        binary = shutil.copy(args.binary, os.path.join(tmp, "tropescope"))
        lexicon = os.path.join(tmp, "lexicons")
        shutil.copytree(os.path.join(ROOT, "lexicons"), lexicon)
        for n in sizes:
            # Every file: one point, whatever the seed.
            for seed in ([1] if n == len(files) else [int(s) for s in args.seeds.split(",")]):
                drawn = sorted(random.Random(seed).sample(sorted(files), n))
                r = point(binary, drawn, lexicon)
                d, s = r["detection"], r["status_aware"]
                print(f"| {n} | {seed} | {d['precision']:.3f} / {d['recall']:.3f} / {d['f1']:.3f} "
                      f"| {s['f1']:.3f} |", flush=True)


if __name__ == "__main__":
    main()
