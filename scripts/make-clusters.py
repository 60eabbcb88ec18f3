#!/usr/bin/env python3
"""Word clusters for the learned stage, from the IMDB reviews (README, Accuracy item 37).

Trains word vectors (gensim's word2vec, skip-gram) on the stems of the 100,000 IMDB reviews
and the training gold passages (never the held-out files), groups the stems into K clusters
by k-means on the unit vectors, and writes a clusters file: one line a stem, its cluster.
`lexicon train --clusters FILE` (or `CLUSTERS=FILE scripts/train-learned.sh OUT`) then makes
each word's cluster a feature beside its stem, so a passage that says "stumbles" where
training said "trips" can still share a feature with it.

The shipped model has no clusters (they gained nothing in cross-validation), so nothing in
the repository or CI needs this script. It needs `pip install gensim scikit-learn
snowballstemmer`. gensim's vectors repeat only with one worker thread (the default) and a
fixed PYTHONHASHSEED (not checked here); WORKERS=2 trains about twice as fast, and the
vectors, and so the clusters, then differ between runs.

    python3 scripts/make-clusters.py --clusters 512 -o /tmp/clusters.tsv
    python3 scripts/make-clusters.py --vectors /tmp/w2v.kv --clusters 1024 -o /tmp/c1024.tsv
                                     # keeps the vectors, and reuses them for another K
"""
import argparse
import csv
import glob
import json
import lzma
import os
import re
import sys

import numpy as np
import snowballstemmer
from gensim.models import KeyedVectors, Word2Vec
from sklearn.cluster import KMeans

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
IMDB = os.path.join(ROOT, "..", "shared", "corpora", "imdb-maas2011", "imdb_reviews.csv.xz")
# Words as the tokeniser cuts them, near enough: letters and digits, with inner apostrophes.
WORD = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)*")
SENTENCE = re.compile(r"(?<=[.!?])\s+|<br\s*/?>")


def sentences(text, stem):
    for s in SENTENCE.split(text):
        words = [w.lower().replace("\u2019", "'") for w in WORD.findall(s)]
        if words:
            yield stem(words)


def corpus(stemmer):
    cache = {}

    def stem(words):
        out = []
        for w in words:
            s = cache.get(w)
            if s is None:
                s = cache[w] = stemmer.stemWord(w)
            out.append(s)
        return out

    out = []
    with lzma.open(IMDB, "rt", encoding="utf-8", newline="") as f:
        csv.field_size_limit(1 << 24)
        for row in csv.DictReader(f):
            out.extend(sentences(row["text"], stem))
    for path in sorted(glob.glob(os.path.join(ROOT, "data", "gold", "*.jsonl"))):
        if os.path.basename(path).startswith("holdout"):
            continue
        with open(path, encoding="utf-8") as f:
            for line in f:
                line = line.strip()
                if line:
                    try:
                        out.extend(sentences(json.loads(line)["text"], stem))
                    except (ValueError, KeyError):
                        pass
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clusters", type=int, default=512)
    ap.add_argument("--min-count", type=int, default=20)
    ap.add_argument("--dim", type=int, default=100)
    ap.add_argument("--epochs", type=int, default=5)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--vectors", help="keep the word vectors in this file, and read them from"
                    " it when it exists (to try other --clusters without training again)")
    ap.add_argument("-o", "--output", required=True)
    a = ap.parse_args()
    if not os.path.exists(IMDB):
        sys.exit(f"make-clusters: no corpus at {IMDB} (../shared beside the checkout)")
    if a.vectors and os.path.exists(a.vectors):
        wv = KeyedVectors.load(a.vectors)
    else:
        stemmer = snowballstemmer.stemmer("english")
        sents = corpus(stemmer)
        print(f"{len(sents)} sentences, {sum(map(len, sents))} words", file=sys.stderr)
        wv = Word2Vec(
            sents,
            vector_size=a.dim,
            window=5,
            min_count=a.min_count,
            sg=1,
            negative=5,
            epochs=a.epochs,
            seed=a.seed,
            workers=int(os.environ.get("WORKERS", "1")),
        ).wv
        if a.vectors:
            wv.save(a.vectors)
    words = sorted(wv.index_to_key)
    vectors = np.array([wv[w] for w in words])
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    km = KMeans(n_clusters=a.clusters, n_init=1, random_state=a.seed).fit(vectors)
    tmp = a.output + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(
            "# Word clusters for the learned stage: stem<TAB>cluster. Written by"
            " scripts/make-clusters.py\n"
            f"# (word2vec skip-gram, {a.dim} dimensions, {a.epochs} epochs, min count"
            f" {a.min_count}; k-means, {a.clusters} clusters, seed {a.seed}) from the IMDB"
            " reviews and the training gold.\n"
        )
        for w, c in zip(words, km.labels_):
            f.write(f"{w}\t{c}\n")
    os.replace(tmp, a.output)
    print(f"{len(words)} stems in {a.clusters} clusters -> {a.output}", file=sys.stderr)


if __name__ == "__main__":
    main()
