//! Training the learned stage's model: labelled passages → [`LearnedModel`].
//!
//! One L2-regularised logistic regression per trope over binary (or idf-valued) features,
//! the stemmed words and adjacent word pairs of each passage as the project's own tokeniser
//! and stemmer give them, so inference reads the same features from the matcher's word
//! cache. The classes are weighted to balance (a trope is in a few dozen of ~1,500
//! passages), and each regression is fitted by L-BFGS written here: it is a few dozen
//! lines, the problem is small, and a solver crate would bring in a linear-algebra stack.
//! Everything is ordered (features sorted, tropes by id, no randomness), so the same inputs
//! always give the same file.

use std::collections::{BTreeMap, BTreeSet};

use rayon::prelude::*;

use super::model::{FeatureLine, LearnedModel, TropeId, Weighting, MAX_WEIGHT};
use crate::eval::GoldDoc;
use crate::lexicon::{Expect, Lexicon};
use crate::token::{normalize_word, tokenize, word_count, Stemmer, TokenKind};

/// One training passage: a text and the tropes it refers to (any status).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Passage {
    /// The text.
    pub text: String,
    /// Trope ids it refers to.
    pub tropes: BTreeSet<String>,
}

impl Passage {
    /// A passage of `text` referring to `tropes`.
    pub fn new(text: &str, tropes: &[&str]) -> Passage {
        Passage {
            text: text.to_string(),
            tropes: tropes.iter().map(|t| t.to_string()).collect(),
        }
    }
}

/// The passages of a gold file: every labelled trope counts, whatever its status (the
/// stage finds references; the context engine decides their status).
pub fn gold_passages(docs: &[GoldDoc]) -> Vec<Passage> {
    docs.iter()
        .map(|d| Passage {
            text: d.article.text.clone(),
            tropes: d.gold.iter().map(|(t, _)| t.clone()).collect(),
        })
        .collect()
}

/// The lexicon's examples as passages: one that must be found (`present`, `absent`,
/// `generic`) refers to its trope; one that must not match refers to none.
pub fn example_passages(lexicon: &Lexicon) -> Vec<Passage> {
    let mut out = Vec::new();
    for t in &lexicon.tropes {
        for e in &t.examples {
            out.push(Passage {
                text: e.text.clone(),
                tropes: if e.expect == Expect::None {
                    BTreeSet::new()
                } else {
                    BTreeSet::from([t.id.clone()])
                },
            });
        }
    }
    out
}

/// A background document cut into consecutive windows of `sentences` sentences (the last one
/// may be shorter), the size of the windows the stage scores (it slides them a sentence at a
/// time; disjoint ones are enough to show it ordinary text): general text in which the
/// lexicon found nothing becomes negative passages for every trope (see [`train`]).
pub fn background_windows(text: &str, sentences: usize) -> Vec<Passage> {
    let sentences = u32::try_from(sentences).unwrap_or(u32::MAX).max(1);
    let mut out = Vec::new();
    // (window number, first byte, last byte) of the window being gathered.
    let mut open: Option<(u32, usize, usize)> = None;
    for t in tokenize(text) {
        let w = t.sentence / sentences;
        match &mut open {
            Some((n, _, end)) if *n == w => *end = t.end,
            _ => {
                if let Some((_, start, end)) = open {
                    out.push(Passage::new(&text[start..end], &[]));
                }
                open = Some((w, t.start, t.end));
            }
        }
    }
    if let Some((_, start, end)) = open {
        out.push(Passage::new(&text[start..end], &[]));
    }
    out
}

/// The features of a text: each stem, and each two stems of adjacent words in one sentence
/// (punctuation between them does not part them), joined by a space. Inference reads the
/// same from the matcher's per-token stem ids (`learned::find_learned`).
///
/// With `clusters` (stem → cluster, `lexicon train --clusters`), each word whose stem has a
/// cluster adds that cluster's feature too, named `#N`: a passage that says "stumbles"
/// where training said "trips" still shares a feature with it.
pub fn passage_features(
    text: &str,
    stemmer: &Stemmer,
    clusters: Option<&Clusters>,
) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut norm = String::new();
    let mut prev: Option<(String, u32)> = None;
    for t in tokenize(text) {
        if t.kind != TokenKind::Word {
            continue;
        }
        normalize_word(t.text(text), &mut norm);
        let stem = stemmer.stem(&norm).into_owned();
        if let Some((p, sentence)) = &prev {
            if *sentence == t.sentence {
                out.insert(format!("{p} {stem}"));
            }
        }
        if let Some(c) = clusters.and_then(|c| c.get(&stem)) {
            out.insert(cluster_feature(*c));
        }
        out.insert(stem.clone());
        prev = Some((stem, t.sentence));
    }
    out
}

/// Word clusters: stem → cluster number (`lexicon train --clusters`, written by
/// `scripts/make-clusters.py`).
pub type Clusters = BTreeMap<String, u32>;

/// The feature name of cluster `c`: no stem holds `#` ([`is_cluster_stem`]), so it names
/// no word.
pub fn cluster_feature(c: u32) -> String {
    format!("#{c}")
}

/// Whether `stem` can be a clustered stem: not empty, and no space (which parts a feature's
/// words), tab (which parts a line's fields) or `#` (which names a cluster's feature). The
/// one rule of the clusters file and of the model's `cluster` lines.
pub fn is_cluster_stem(stem: &str) -> bool {
    !stem.is_empty() && !stem.contains([' ', '\t', '#'])
}

/// A clusters file's text (`path` names it in errors): `stem<TAB>cluster` lines, blank lines
/// and `#` comments skipped. A bad line, or a stem given two clusters, is an error naming
/// the file and line.
pub fn parse_clusters(path: &std::path::Path, text: &str) -> crate::Result<Clusters> {
    let mut out = Clusters::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let at = format!("{}:{}", path.display(), i + 1);
        let parsed = line
            .split_once('\t')
            .and_then(|(stem, c)| Some((stem, c.parse::<u32>().ok()?)))
            .filter(|(stem, _)| is_cluster_stem(stem));
        let Some((stem, c)) = parsed else {
            return Err(crate::Error::input(format!(
                "{at}: expected a stem, a tab and a cluster number, found {line:?}"
            )));
        };
        if out.insert(stem.to_string(), c).is_some() {
            return Err(crate::Error::input(format!(
                "{at}: stem {stem:?} has a second cluster"
            )));
        }
    }
    Ok(out)
}

/// Training settings.
#[derive(Clone, Debug, PartialEq)]
pub struct TrainOptions {
    /// L2 penalty on the weights (not the bias).
    pub l2: f64,
    /// A feature must occur in at least this many labelled passages.
    pub min_count: u32,
    /// A feature must occur in at most this share of the labelled passages: the commonest words and
    /// pairs ("the", "he is") say little about any trope, yet occur in nearly every window,
    /// where their weights would be added and taken back again and again.
    pub max_share: f64,
    /// Weights smaller than this in magnitude are dropped from the file.
    pub prune: f64,
    /// The probability at which the stage will emit a mention (recorded in the file).
    pub threshold: f64,
    /// Sentences on each side of an inference window's middle (recorded in the file).
    pub window: u32,
    /// Binary or idf feature values.
    pub weighting: Weighting,
    /// Fit the document regression: each passage's values scaled by 1 / √(its words).
    pub per_document: bool,
    /// Word clusters whose features are learned beside the stems (see [`passage_features`]).
    pub clusters: Option<std::sync::Arc<Clusters>>,
}

impl Default for TrainOptions {
    fn default() -> TrainOptions {
        TrainOptions {
            l2: 1.0,
            min_count: 2,
            max_share: 1.0,
            prune: 0.05,
            threshold: 0.5,
            window: 1,
            weighting: Weighting::Binary,
            per_document: false,
            clusters: None,
        }
    }
}

/// Train a model for the tropes `tropes` (ids) on `sources`: (name, passages) pairs, named
/// in the file's header with their passage counts. A trope with fewer than two positive
/// passages gets no regression. Labels that name no trope of `tropes` are ignored.
///
/// `background` passages (general text, no trope) are negatives for every trope, named in
/// the header too. They teach the model what ordinary writing looks like: labelled
/// passages nearly all refer to some trope, so without them a word as common as
/// "characters" or "talk" can carry a trope's whole probability. They weigh the features
/// the labelled passages have but add none of their own: the vocabulary (and the model
/// file) comes from the labelled passages alone.
pub fn train(
    tropes: &[String],
    sources: &[(String, Vec<Passage>)],
    background: &[(String, Vec<Passage>)],
    opts: &TrainOptions,
) -> LearnedModel {
    let stemmer = Stemmer::new();
    let labelled = sources.iter().map(|(_, p)| p.len()).sum::<usize>();
    let passages: Vec<&Passage> = sources
        .iter()
        .chain(background)
        .flat_map(|(_, p)| p)
        .collect();
    let feats: Vec<BTreeSet<String>> = passages
        .par_iter()
        .map(|p| passage_features(&p.text, &stemmer, opts.clusters.as_deref()))
        .collect();
    let mut df: BTreeMap<&str, u32> = BTreeMap::new();
    for f in &feats[..labelled] {
        for k in f {
            *df.entry(k.as_str()).or_default() += 1;
        }
    }
    let vocab: Vec<(&str, u32)> = df
        .into_iter()
        .filter(|&(_, c)| {
            c >= opts.min_count.max(1) && f64::from(c) <= opts.max_share * labelled as f64
        })
        .collect();
    let index: BTreeMap<&str, u32> = vocab
        .iter()
        .enumerate()
        .map(|(i, &(k, _))| (k, i as u32))
        .collect();
    // Frequencies are the labelled passages' (as the vocabulary is).
    let n = labelled;
    let value: Vec<f64> = vocab
        .iter()
        .map(|&(_, c)| match opts.weighting {
            Weighting::Binary => 1.0,
            // scikit-learn's smoothed idf.
            Weighting::Idf => ((1.0 + n as f64) / (1.0 + f64::from(c))).ln() + 1.0,
        })
        .collect();
    // The rows as vectors only while they are laid out flat: the fits read the flat copy.
    let rows = Rows::new(
        &feats
            .iter()
            .map(|f| {
                f.iter()
                    .filter_map(|k| index.get(k.as_str()).copied())
                    .collect::<Vec<u32>>()
            })
            .collect::<Vec<_>>(),
        value.len(),
    );
    // The document regression reads a passage's features scaled by 1 / √(its words), so
    // that a long review's sum does not grow with its length (inference does the same).
    let scale: Option<Vec<f64>> = opts.per_document.then(|| {
        passages
            .par_iter()
            .map(|p| 1.0 / f64::from(word_count(&tokenize(&p.text)).max(1)).sqrt())
            .collect()
    });
    let data = Data {
        rows: &rows,
        value: &value,
        scale: scale.as_deref(),
    };

    // One regression per trope, each independent of the others: fitted in parallel (the
    // fit dominates training time) and collected in the tropes' order, so the model's bytes
    // do not depend on the number of threads.
    let fits: Vec<(&String, Vec<f64>, f64)> = tropes
        .par_iter()
        .filter_map(|id| {
            let y: Vec<bool> = passages.iter().map(|p| p.tropes.contains(id)).collect();
            let positives = y.iter().filter(|&&b| b).count();
            (positives >= 2).then(|| {
                let (w, b) = fit(&data, &y, opts.l2);
                (id, w, b)
            })
        })
        .collect();
    let mut biases = Vec::new();
    let mut weights: Vec<Vec<(TropeId, f64)>> = vec![Vec::new(); vocab.len()];
    for (id, w, b) in fits {
        let shared = TropeId::from(id.as_str());
        // A model file holds nothing past ±MAX_WEIGHT (its parser refuses more, inference
        // could not represent it): a value a weak penalty let past it is written at it.
        let bound = |x: f64| x.clamp(-MAX_WEIGHT, MAX_WEIGHT);
        biases.push((id.clone(), bound(b), 0));
        for (j, wj) in w.iter().enumerate() {
            let folded = bound(wj * value[j]);
            if folded.abs() >= opts.prune {
                weights[j].push((shared.clone(), folded));
            }
        }
    }
    let features = vocab
        .iter()
        .zip(weights)
        .filter(|(_, w)| !w.is_empty())
        .map(|(&(k, _), weights)| FeatureLine {
            words: k.split(' ').map(str::to_string).collect(),
            weights,
            line: 0,
        })
        .collect();
    let mut model = LearnedModel {
        threshold: opts.threshold,
        window: opts.window,
        weighting: opts.weighting,
        l2: opts.l2,
        min_count: opts.min_count,
        max_share: opts.max_share,
        prune: opts.prune,
        sources: sources
            .iter()
            .chain(background)
            .map(|(name, p)| (name.clone(), p.len()))
            .collect(),
        biases,
        clusters: Vec::new(),
        features,
        document: None,
        status: None,
    };
    if let Some(c) = &opts.clusters {
        model.keep_clusters(c);
    }
    model
}

/// The design matrix: each passage's features ([`Rows`]), each feature's value, and
/// optionally each passage's scale (the document regression's 1 / √words, see
/// [`TrainOptions::per_document`]), by which its features' values are multiplied.
pub(crate) struct Data<'a> {
    pub(crate) rows: &'a Rows,
    pub(crate) value: &'a [f64],
    pub(crate) scale: Option<&'a [f64]>,
}

/// Every passage's features in one flat array (compressed sparse rows), as `u16` ids when
/// the vocabulary allows. Each of the fit's few hundred passes over the data streams all
/// of it: the window regression's ~11 million ids take 43 MB as `Vec<Vec<u32>>` rows but
/// 21 MB here, which a last-level cache of 32 MiB (this project's host today) can hold.
/// Each row holds the same features in the same order as the caller's, so every sum adds
/// the same numbers in the same order and the model's bytes do not change.
pub(crate) struct Rows {
    /// Row `i` is `ids[starts[i]..starts[i + 1]]`.
    starts: Vec<usize>,
    /// Each feature's position in [`loss`]'s working array, by how many rows have it
    /// (the commonest first), so that the ids most rows read share a few cache lines.
    /// Rows keep their own order of ids, so every sum adds in the same order.
    ids: Ids,
    /// The feature at each position: `feature[ids[k]]` is the id the caller gave.
    feature: Vec<u32>,
}

enum Ids {
    Narrow(Vec<u16>),
    Wide(Vec<u32>),
}

impl Rows {
    /// The rows of `rows`, each a passage's feature ids. `vocabulary` is the number of
    /// features (the length of [`Data::value`]).
    ///
    /// # Panics
    ///
    /// If an id is not below `vocabulary`.
    pub(crate) fn new<R: AsRef<[u32]>>(rows: &[R], vocabulary: usize) -> Rows {
        let mut starts = Vec::with_capacity(rows.len() + 1);
        starts.push(0);
        let mut end = 0;
        let mut count = vec![0usize; vocabulary];
        for r in rows {
            end += r.as_ref().len();
            starts.push(end);
            for &j in r.as_ref() {
                count[j as usize] += 1;
            }
        }
        let mut feature: Vec<u32> = (0..vocabulary as u32).collect();
        feature.sort_by_key(|&j| std::cmp::Reverse(count[j as usize]));
        let mut position = vec![0u32; vocabulary];
        for (k, &j) in feature.iter().enumerate() {
            position[j as usize] = k as u32;
        }
        let flat = rows
            .iter()
            .flat_map(|r| r.as_ref().iter().map(|&j| position[j as usize]));
        let ids = if vocabulary <= usize::from(u16::MAX) + 1 {
            Ids::Narrow(
                flat.map(|k| u16::try_from(k).expect("positions below 65,536"))
                    .collect(),
            )
        } else {
            Ids::Wide(flat.collect())
        };
        Rows {
            starts,
            ids,
            feature,
        }
    }

    /// How many rows.
    pub(crate) fn len(&self) -> usize {
        self.starts.len() - 1
    }
}

/// A feature id as [`Rows`] stores it.
trait FeatureId: Copy {
    fn index(self) -> usize;
}

impl FeatureId for u16 {
    fn index(self) -> usize {
        usize::from(self)
    }
}

impl FeatureId for u32 {
    fn index(self) -> usize {
        self as usize
    }
}

/// `log(1 + e^x)` without overflow.
fn softplus(x: f64) -> f64 {
    if x > 0.0 {
        x + (-x).exp().ln_1p()
    } else {
        x.exp().ln_1p()
    }
}

fn sigmoid(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

/// The class-weighted loss and its gradient at `theta` (the weights, then the bias).
fn loss(data: &Data, y: &[bool], cw: (f64, f64), l2: f64, theta: &[f64], grad: &mut [f64]) -> f64 {
    match &data.rows.ids {
        Ids::Narrow(ids) => loss_with(ids, data, y, cw, l2, theta, grad),
        Ids::Wide(ids) => loss_with(ids, data, y, cw, l2, theta, grad),
    }
}

/// [`loss`] over one width of ids (monomorphised: the row loop is the training's hot path).
fn loss_with<I: FeatureId>(
    ids: &[I],
    data: &Data,
    y: &[bool],
    cw: (f64, f64),
    l2: f64,
    theta: &[f64],
    grad: &mut [f64],
) -> f64 {
    debug_assert_eq!(data.rows.len(), y.len(), "one label a row");
    // Every coordinate of `grad` is written below (the caller reuses it between calls).
    debug_assert_eq!(
        data.rows.feature.len(),
        data.value.len(),
        "one value a feature"
    );
    let d = data.value.len();
    let b = theta[d];
    // Each feature's weight × value, value and gradient side by side, so that the row loop's
    // gather and scatter for one id touch one cache line rather than three (the arithmetic,
    // and so the result, is the same as over separate arrays).
    let mut cells: Vec<[f64; 3]> = data
        .rows
        .feature
        .iter()
        .map(|&j| {
            let v = data.value[j as usize];
            [theta[j as usize] * v, v, 0.0]
        })
        .collect();
    let mut f = 0.0;
    let mut grad_bias = 0.0;
    for (i, (w, &yi)) in data.rows.starts.windows(2).zip(y).enumerate() {
        let row = &ids[w[0]..w[1]];
        let scale = data.scale.map_or(1.0, |s| s[i]);
        let z = b + scale * row.iter().map(|&j| cells[j.index()][0]).sum::<f64>();
        let c = if yi { cw.0 } else { cw.1 };
        f += c * if yi { softplus(-z) } else { softplus(z) };
        let r = c * (sigmoid(z) - if yi { 1.0 } else { 0.0 });
        let rs = r * scale;
        for &j in row {
            let cell = &mut cells[j.index()];
            cell[2] += rs * cell[1];
        }
        grad_bias += r;
    }
    for (cell, &j) in cells.iter().zip(&data.rows.feature) {
        grad[j as usize] = cell[2];
    }
    for j in 0..d {
        f += 0.5 * l2 * theta[j] * theta[j];
        grad[j] += l2 * theta[j];
    }
    grad[d] = grad_bias;
    f
}

/// Fit one regression by L-BFGS (ten pairs of memory, backtracking line search): the
/// weights and the bias. Positives and negatives weigh n / (2 × their count) each, as
/// scikit-learn's `class_weight="balanced"`.
pub(crate) fn fit(data: &Data, y: &[bool], l2: f64) -> (Vec<f64>, f64) {
    const MEMORY: usize = 10;
    const ITERATIONS: usize = 500;
    let n = y.len() as f64;
    let pos = y.iter().filter(|&&b| b).count() as f64;
    let cw = (n / (2.0 * pos), n / (2.0 * (n - pos)));
    let dim = data.value.len() + 1;
    let mut x = vec![0.0; dim];
    let mut g = vec![0.0; dim];
    let mut f = loss(data, y, cw, l2, &x, &mut g);
    let mut s_hist: Vec<Vec<f64>> = Vec::new();
    let mut y_hist: Vec<Vec<f64>> = Vec::new();
    let mut x_new = vec![0.0; dim];
    let mut g_new = vec![0.0; dim];
    let dot = |a: &[f64], b: &[f64]| a.iter().zip(b).map(|(x, y)| x * y).sum::<f64>();
    for _ in 0..ITERATIONS {
        let gmax = g.iter().fold(0.0f64, |m, v| m.max(v.abs()));
        if gmax < 1e-6 * n {
            break;
        }
        // Two-loop recursion: the direction -H g.
        let mut q = g.clone();
        let mut alphas = Vec::with_capacity(s_hist.len());
        for (s, yv) in s_hist.iter().zip(&y_hist).rev() {
            let rho = 1.0 / dot(yv, s);
            let a = rho * dot(s, &q);
            for (qi, yi) in q.iter_mut().zip(yv) {
                *qi -= a * yi;
            }
            alphas.push((a, rho));
        }
        let gamma = match (s_hist.last(), y_hist.last()) {
            (Some(s), Some(yv)) => dot(s, yv) / dot(yv, yv),
            _ => 1.0 / gmax.max(1.0),
        };
        for qi in q.iter_mut() {
            *qi *= gamma;
        }
        for ((s, yv), (a, rho)) in s_hist.iter().zip(&y_hist).zip(alphas.into_iter().rev()) {
            let bcoef = rho * dot(yv, &q);
            for (qi, si) in q.iter_mut().zip(s) {
                *qi += (a - bcoef) * si;
            }
        }
        let slope = -dot(&g, &q);
        if slope >= 0.0 {
            // Not a descent direction (numerical trouble): start the memory afresh.
            s_hist.clear();
            y_hist.clear();
            continue;
        }
        let mut step = 1.0;
        let mut f_new;
        loop {
            for i in 0..dim {
                x_new[i] = x[i] - step * q[i];
            }
            f_new = loss(data, y, cw, l2, &x_new, &mut g_new);
            if f_new <= f + 1e-4 * step * slope || step < 1e-10 {
                break;
            }
            step *= 0.5;
        }
        // The line search gave up without a decrease: this is as low as it gets from here,
        // and a worse point is no step forward.
        if f_new > f {
            break;
        }
        let s: Vec<f64> = x_new.iter().zip(&x).map(|(a, b)| a - b).collect();
        let yv: Vec<f64> = g_new.iter().zip(&g).map(|(a, b)| a - b).collect();
        let converged = (f - f_new).abs() <= 1e-10 * f.abs().max(1.0);
        std::mem::swap(&mut x, &mut x_new);
        std::mem::swap(&mut g, &mut g_new);
        f = f_new;
        if dot(&s, &yv) > 1e-12 {
            if s_hist.len() == MEMORY {
                s_hist.remove(0);
                y_hist.remove(0);
            }
            s_hist.push(s);
            y_hist.push(yv);
        }
        if converged {
            break;
        }
    }
    let b = x.pop().expect("the bias is the last coordinate");
    (x, b)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(text: &str, tropes: &[&str]) -> Passage {
        Passage::new(text, tropes)
    }

    #[test]
    fn features_are_stems_and_adjacent_pairs_within_a_sentence() {
        let f = passage_features("He lost his memories, sadly. Memory", &Stemmer::new(), None);
        let f: Vec<&str> = f.iter().map(String::as_str).collect();
        assert!(f.contains(&"lost his"), "{f:?}");
        assert!(
            f.contains(&"memori sad"),
            "a comma does not part a pair: {f:?}"
        );
        assert!(
            !f.contains(&"sad memori"),
            "a sentence boundary does: {f:?}"
        );
        assert!(f.contains(&"memori"), "{f:?}");
    }

    #[test]
    fn background_windows_cut_whole_sentences() {
        let w = background_windows("One a. Two b. Three c. Four d. Five e. Six f. Seven g.", 3);
        let texts: Vec<&str> = w.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "One a. Two b. Three c.",
                "Four d. Five e. Six f.",
                "Seven g."
            ]
        );
        assert!(w.iter().all(|p| p.tropes.is_empty()));
        assert!(background_windows("", 3).is_empty());
        assert_eq!(background_windows("No full stop", 0).len(), 1);
    }

    #[test]
    fn background_passages_weigh_features_but_add_none() {
        let pass = vec![
            p("the characters all grow up", &["lived-in-cast"]),
            p(
                "every characters has a life of their own",
                &["lived-in-cast"],
            ),
            p("a rich cast of characters with jobs", &["lived-in-cast"]),
            p("she forgets him after the crash", &[]),
            p("the wedding is called off", &[]),
            p("a slow dinner scene", &[]),
        ];
        let background = vec![
            p("the characters were cardboard and the plot dull", &[]),
            p("two characters shout at a helicopter", &[]),
            p("characters die in the zombie siege", &[]),
        ];
        let opts = TrainOptions {
            min_count: 1,
            prune: 0.0,
            l2: 0.1,
            ..TrainOptions::default()
        };
        let ids = ["lived-in-cast".to_string()];
        let weight = |m: &LearnedModel, w: &str| {
            m.features
                .iter()
                .find(|f| f.words.join(" ") == w)
                .map(|f| f.weights[0].1)
        };
        let alone = train(&ids, &[("t".into(), pass.clone())], &[], &opts);
        let with = train(
            &ids,
            &[("t".into(), pass)],
            &[("b".into(), background)],
            &opts,
        );
        let (a, w) = (
            weight(&alone, "charact").unwrap(),
            weight(&with, "charact").unwrap(),
        );
        assert!(
            w < a,
            "ordinary use of the word lowers its weight: {a} -> {w}"
        );
        assert_eq!(
            weight(&with, "zombi"),
            None,
            "background words are not features"
        );
        assert_eq!(
            with.sources,
            [("t".to_string(), 6), ("b".to_string(), 3)],
            "the header names the background"
        );
    }

    #[test]
    fn a_regression_separates_what_it_was_shown() {
        let pass = vec![
            p("she wakes with no memory of him", &["amnesia"]),
            p(
                "after the crash he forgets everything, memory gone",
                &["amnesia"],
            ),
            p("memory loss again for the lead", &["amnesia"]),
            p("they cook dinner and talk", &[]),
            p("a quiet walk home after work", &[]),
            p("the office rivalry is fun", &[]),
        ];
        let m = train(
            &["amnesia".to_string()],
            &[("t".into(), pass)],
            &[],
            &TrainOptions {
                min_count: 1,
                prune: 0.0,
                l2: 0.1,
                ..TrainOptions::default()
            },
        );
        let weight = |w: &str| {
            m.features
                .iter()
                .find(|f| f.words.join(" ") == w)
                .map_or(0.0, |f| f.weights[0].1)
        };
        let top = m
            .features
            .iter()
            .max_by(|a, b| a.weights[0].1.total_cmp(&b.weights[0].1))
            .unwrap();
        assert_eq!(
            top.words,
            ["memori"],
            "the word all positives share weighs most"
        );
        assert!(weight("memori") > 0.5, "{}", weight("memori"));
        assert!(
            weight("talk") < 0.0,
            "a negative passage's word weighs against"
        );
        assert_eq!(m.biases.len(), 1);
    }

    /// The loss as it was written before [`Rows`]: rows as vectors, the three arrays apart.
    fn loss_reference(
        rows: &[Vec<u32>],
        value: &[f64],
        scale: Option<&[f64]>,
        y: &[bool],
        theta: &[f64],
        grad: &mut [f64],
    ) -> f64 {
        let (cw, l2) = ((1.5, 0.75), 0.5);
        let d = value.len();
        grad.fill(0.0);
        let mut f = 0.0;
        let tv: Vec<f64> = theta[..d].iter().zip(value).map(|(t, v)| t * v).collect();
        for (i, (row, &yi)) in rows.iter().zip(y).enumerate() {
            let scale = scale.map_or(1.0, |s| s[i]);
            let z = theta[d] + scale * row.iter().map(|&j| tv[j as usize]).sum::<f64>();
            let c = if yi { cw.0 } else { cw.1 };
            f += c * if yi { softplus(-z) } else { softplus(z) };
            let r = c * (sigmoid(z) - if yi { 1.0 } else { 0.0 });
            for &j in row {
                grad[j as usize] += r * scale * value[j as usize];
            }
            grad[d] += r;
        }
        for j in 0..d {
            f += 0.5 * l2 * theta[j] * theta[j];
            grad[j] += l2 * theta[j];
        }
        f
    }

    #[test]
    fn a_clusters_file_is_read_or_refused_with_its_line() {
        let path = std::path::Path::new("c.tsv");
        let c = parse_clusters(path, "# stem, cluster\r\nforget\t3\r\n\nmisplac\t3\n").unwrap();
        assert_eq!(c.len(), 2);
        assert_eq!(c["misplac"], 3);
        for (bad, line) in [
            ("forget\t3\nmisplac 3\n", 2),
            ("forget\tthree\n", 1),
            ("#3\t3\nforget\t3\nforget\t4\n", 3),
            ("\t3\n", 1),
            ("a#b\t3\n", 1),
        ] {
            let e = parse_clusters(path, bad).unwrap_err().to_string();
            assert!(e.contains(&format!("c.tsv:{line}:")), "{bad:?}: {e}");
        }
    }

    proptest::proptest! {
        /// Any text is read or refused, never a panic.
        #[test]
        fn parsing_any_clusters_text_never_panics(text in "([a-z# \t\r]{0,6}\t?[0-9x-]{0,3}\n|\\PC{0,10}){0,8}") {
            let _ = parse_clusters(std::path::Path::new("c.tsv"), &text);
        }

        /// The flat rows, narrow or wide, with features renumbered by frequency, give the
        /// loss and gradient bit for bit as the plain loop does: the shipped model's bytes
        /// do not depend on the layout.
        #[test]
        fn the_flat_rows_give_the_plain_loops_bits(
            rows in proptest::collection::vec(
                proptest::collection::btree_set(0u32..40, 0..12), 1..60),
            seed in proptest::collection::vec(-3.0f64..3.0, 41),
            scaled in proptest::bool::ANY,
        ) {
            let rows: Vec<Vec<u32>> = rows.into_iter().map(|r| r.into_iter().collect()).collect();
            let base_value: Vec<f64> = (0..40).map(|j| 1.0 + f64::from(j) / 7.0).collect();
            let scale: Vec<f64> = (0..rows.len()).map(|i| 1.0 / (1.0 + i as f64).sqrt()).collect();
            let scale = scaled.then_some(scale.as_slice());
            let y: Vec<bool> = (0..rows.len()).map(|i| i % 3 == 0).collect();
            // Narrow ids, and wide ones: the same features at the top of a vocabulary past
            // u16 (ids 69,960 to 69,999), the features below them in no row.
            for vocabulary in [40, 70_000] {
                let shift = vocabulary - 40;
                let rows: Vec<Vec<u32>> = rows
                    .iter()
                    .map(|r| r.iter().map(|&j| j + shift as u32).collect())
                    .collect();
                let mut value = vec![1.0; shift];
                value.extend(&base_value);
                let mut theta = vec![0.0; shift];
                theta.extend(&seed);
                let mut want = vec![0.0; vocabulary + 1];
                let f = loss_reference(&rows, &value, scale, &y, &theta, &mut want);
                let flat = Rows::new(&rows, vocabulary);
                let data = Data { rows: &flat, value: &value, scale };
                // NaN everywhere first: every coordinate must be written, not added to.
                let mut got = vec![f64::NAN; vocabulary + 1];
                let g = loss(&data, &y, (1.5, 0.75), 0.5, &theta, &mut got);
                proptest::prop_assert_eq!(f.to_bits(), g.to_bits());
                let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
                proptest::prop_assert_eq!(bits(&want), bits(&got));
            }
        }
    }
}
