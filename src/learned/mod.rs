//! The learned stage: a trained classifier that finds the tropes the curated patterns miss.
//!
//! The lexicon recognises what its curators have written down and little else. This stage
//! runs after matching and before context: a logistic regression per trope (trained by
//! [`train`] on the tuned gold files and the lexicon's own examples, stored as data in
//! `lexicons/learned.tsv`, see [`model`]) scores windows of consecutive sentences, sized like
//! the training passages. Where a trope's probability reaches the model's threshold and no
//! lexicon mention of that trope lies in the window, it adds one [`Mention`] whose span is the
//! window's strongest positive feature (a stemmed word, an adjacent pair, or with a model
//! trained with word clusters a word's cluster), marked with
//! [`Learned`]. The context engine then decides that mention's status like any other's.
//!
//! It is a stage of its own rather than part of the matcher because it answers a different
//! question (how likely, not whether a pattern matched) and can be switched off
//! (`learned = false` in `model.toml`, `--no-learned`) to compare figures. Its per-word cost
//! is one array lookup: the matcher's word cache already holds each word's model stem id
//! beside its lexicon code ([`crate::CompiledLexicon`]), so no word is stemmed or hashed again.

pub mod model;
pub mod train;

use rustc_hash::FxHashMap;
use serde::Serialize;

use self::train::cluster_feature;
use crate::error::{Error, Result};
use crate::matcher::Mention;
use crate::token::{Token, TokenKind};
pub use model::{LearnedModel, Weighting, MODEL_PATH};

/// The model file of a lexicon as read, parsed only when it is needed: a run with the stage
/// off does not pay for parsing it.
#[derive(Clone, Debug, PartialEq)]
pub struct ModelSource {
    /// Its path, for errors.
    pub path: std::path::PathBuf,
    /// Its text (borrowed from the binary for the embedded model).
    pub text: std::borrow::Cow<'static, str>,
}

impl ModelSource {
    /// The model, or an error naming the file and line.
    pub fn parse(&self) -> Result<LearnedModel> {
        LearnedModel::parse(&self.path, &self.text)
    }
}

/// The `pattern` index of a mention the learned stage found: no pattern of the trope.
pub const LEARNED_PATTERN: u16 = u16::MAX;

/// What marks a mention as the model's: its probability and the feature its span holds.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Learned {
    /// The window's (or, for the document regression's, the document's) probability for
    /// the trope.
    pub probability: f32,
    /// The feature (index into the compiled model) whose occurrence is the span.
    pub feature: u32,
    /// Whether the document regression found it (the whole document's probability), not
    /// a window's.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub document: bool,
}

/// No feature (in the stem → feature table).
const NONE: u32 = u32::MAX;
/// Weights are kept as integers in units of 1 / `SCALE`.
const SCALE: f64 = 10_000.0;
/// The sum of a trope with no regression: far below any threshold, and far enough from
/// `i32::MIN` that nothing is ever added to it (it has no weights) or could overflow.
const NO_REGRESSION: i32 = i32::MIN / 2;

/// `x` in units of 1 / [`SCALE`], rounded, clamped to a range no window sum can leave
/// (a window adds at most a few thousand weights). Model files hold no value beyond
/// [`model::MAX_WEIGHT`] (the parser refuses one), so only the threshold's logit can be
/// clamped here.
fn fixed(x: f64) -> i32 {
    let max = model::MAX_WEIGHT * SCALE;
    (x * SCALE).round().clamp(-max, max) as i32
}

/// [`CompiledModel::pair_ends`] bits.
const OPENS: u8 = 1;
const CLOSES: u8 = 2;

/// The model compiled for inference: stems to small ids, features to weight lists.
#[derive(Debug)]
pub(crate) struct CompiledModel {
    /// Stem → id (1-based; 0 is "no model word"), the id the word cache keeps. A stem that
    /// only a `cluster` line names has an id but no feature of its own.
    stems: FxHashMap<String, u16>,
    /// Stem id → its one-word feature, or [`NONE`].
    unigram: Vec<u32>,
    /// Stem id → the stem id of its cluster's feature (`#N`), 0 for none; empty for a
    /// model without clusters.
    cluster_of: Vec<u16>,
    /// Stem id → whether it opens ([`OPENS`]) or closes ([`CLOSES`]) some two-word
    /// feature: most adjacent pairs are turned away by these bits before the pair table is
    /// asked. Id 0 (no model word) does neither.
    pair_ends: Vec<u8>,
    /// (first stem id << 16 | second stem id) → feature.
    pairs: FxHashMap<u32, u32>,
    /// Feature `f`'s (trope, weight) entries are `entries[offsets[f]..offsets[f + 1]]`.
    offsets: Vec<u32>,
    /// Weights in ten-thousandths (the file's precision), so window sums are exact integer
    /// adds and subtracts that never drift, and the per-window test is an integer maximum.
    entries: Vec<(u16, i32)>,
    /// Feature names ("love triangl"), for evidence.
    names: Vec<String>,
    /// Bias per lexicon trope; `None` for a trope the model has no regression for.
    bias: Vec<Option<i32>>,
    /// The threshold as a logit: comparing sums to it spares an `exp` per window.
    logit: i32,
    /// Sentences on each side of a window's middle.
    window: u32,
    /// The document regression, when the model has one.
    document: Option<CompiledDocument>,
    /// Features below this id are the windows' (the file's `feature` lines); those from it
    /// on are weighed by the document regression alone.
    window_features: u32,
}

/// The document regression compiled: its weights by the same feature ids as the windows'
/// (a feature only it weighs has no window weights), its biases and threshold.
#[derive(Debug)]
struct CompiledDocument {
    /// Feature `f`'s (trope, weight) entries are `entries[offsets[f]..offsets[f + 1]]`.
    offsets: Vec<u32>,
    entries: Vec<(u16, i32)>,
    /// Bias per lexicon trope; `None` for a trope it has no regression for.
    bias: Vec<Option<i32>>,
    /// The threshold as a logit.
    logit: i32,
}

impl CompiledModel {
    /// Compile `model` for a lexicon whose trope ids are `ids` (sorted); `path` names
    /// the file in errors: a trope the lexicon lacks, or more distinct stems than the word
    /// cache's 16 bits hold. `more_stems` (with their lines) get ids too, for the status
    /// stage ([`crate::status::word_stems`]), so one word cache serves both stages.
    pub(crate) fn new<'a>(
        model: &LearnedModel,
        ids: &[String],
        path: &std::path::Path,
        more_stems: impl Iterator<Item = (&'a str, usize)>,
    ) -> Result<CompiledModel> {
        // One lookup a weight (some 11,000): through a hash of the few dozen trope ids.
        let index: FxHashMap<&str, u16> = ids
            .iter()
            .enumerate()
            .map(|(i, id)| (id.as_str(), i as u16))
            .collect();
        let trope_index = |id: &str| index.get(id).copied();
        let mut stems: FxHashMap<String, u16> = FxHashMap::default();
        // `cure`: what to train with when the stems run out.
        const FEWER_FEATURES: &str = "a larger --prune or --min-count";
        let mut id_of = |w: &str, line: usize, cure: &str| -> Result<u16> {
            if let Some(&id) = stems.get(w) {
                return Ok(id);
            }
            let id = u16::try_from(stems.len() + 1)
                .ok()
                .filter(|&id| id < u16::MAX)
                .ok_or_else(|| {
                    Error::lexicon(
                        path,
                        Some(line),
                        "more than 65,534 distinct stems",
                        Some(format!("train with {cure}")),
                    )
                })?;
            stems.insert(w.to_string(), id);
            Ok(id)
        };
        let document_features = model.document.as_ref().map_or(&[][..], |d| &d.features);
        let mut keyed = Vec::with_capacity(model.features.len());
        let mut document_keyed = Vec::with_capacity(document_features.len());
        for (lines, keyed) in [
            (&model.features[..], &mut keyed),
            (document_features, &mut document_keyed),
        ] {
            for f in lines {
                let ids: Vec<u16> = f
                    .words
                    .iter()
                    .map(|w| id_of(w, f.line, FEWER_FEATURES))
                    .collect::<Result<_>>()?;
                keyed.push(ids);
            }
        }
        for (w, line) in more_stems {
            id_of(w, line, FEWER_FEATURES)?;
        }
        // Every stem of a kept cluster takes an id: past the limit, the cure is fewer
        // clustered stems, not fewer features.
        let fewer = "fewer clusters (a larger make-clusters.py --min-count)";
        let mut cluster_ids = Vec::with_capacity(model.clusters.len());
        for (stem, c, line) in &model.clusters {
            cluster_ids.push((
                id_of(stem, *line, fewer)?,
                id_of(&cluster_feature(*c), *line, fewer)?,
            ));
        }
        let n = stems.len() + 1;
        let mut cluster_of = vec![0; if cluster_ids.is_empty() { 0 } else { n }];
        for (stem, cluster) in cluster_ids {
            cluster_of[stem as usize] = cluster;
        }
        let mut m = CompiledModel {
            unigram: vec![NONE; n],
            cluster_of,
            pair_ends: vec![0; n],
            pairs: FxHashMap::default(),
            offsets: vec![0],
            entries: Vec::new(),
            names: Vec::with_capacity(model.features.len()),
            bias: vec![None; ids.len()],
            logit: fixed((model.threshold / (1.0 - model.threshold)).ln()),
            window: model.window,
            document: None,
            window_features: model.features.len() as u32,
            stems,
        };
        for (id, b, line) in &model.biases {
            let Some(t) = trope_index(id) else {
                return Err(unknown_trope(model, path, &index, (id, *line)));
            };
            m.bias[t as usize] = Some(fixed(*b));
        }
        for (f, ids) in words_first(&model.features, keyed) {
            let feature = m.feature_of(&ids, &f.words);
            debug_assert_eq!(feature as usize, m.offsets.len() - 1, "features are new");
            for (id, w) in &f.weights {
                let Some(t) = trope_index(id) else {
                    return Err(unknown_trope(model, path, &index, (id, f.line)));
                };
                if m.bias[t as usize].is_some() {
                    m.entries.push((t, fixed(*w)));
                }
            }
            m.offsets.push(m.entries.len() as u32);
        }
        if let Some(d) = &model.document {
            // Each document feature's entries, by feature id: one the windows weigh too
            // keeps its id, one they do not gets a new id with no window weights.
            let mut by_feature: Vec<Vec<(u16, i32)>> = vec![Vec::new(); m.names.len()];
            let mut bias = vec![None; ids.len()];
            for (id, b, line) in &d.biases {
                let t = trope_index(id)
                    .ok_or_else(|| unknown_trope(model, path, &index, (id, *line)))?;
                bias[t as usize] = Some(fixed(*b));
            }
            for (f, keys) in words_first(&d.features, document_keyed) {
                let feature = m.feature_of(&keys, &f.words) as usize;
                if feature == m.offsets.len() - 1 {
                    m.offsets.push(m.entries.len() as u32);
                    by_feature.push(Vec::new());
                }
                for (id, w) in &f.weights {
                    let t = trope_index(id)
                        .ok_or_else(|| unknown_trope(model, path, &index, (id, f.line)))?;
                    if bias[t as usize].is_some() {
                        by_feature[feature].push((t, fixed(*w)));
                    }
                }
            }
            let mut doc = CompiledDocument {
                offsets: vec![0],
                entries: Vec::new(),
                logit: fixed((d.threshold / (1.0 - d.threshold)).ln()),
                bias,
            };
            for e in by_feature {
                doc.entries.extend(e);
                doc.offsets.push(doc.entries.len() as u32);
            }
            m.document = Some(doc);
        }
        // A window sum holds each feature once: bounded by the bias and the sum of all the
        // trope's |weights|, which must stay clear of i32 overflow. The document's sums are
        // bounded the same way, by its own weights.
        let mut bound = sum_bound(&m.bias, &m.entries);
        if let Some(d) = &m.document {
            for (b, d) in bound.iter_mut().zip(sum_bound(&d.bias, &d.entries)) {
                *b = (*b).max(d);
            }
        }
        if bound.iter().any(|&b| b > i64::from(i32::MAX / 4)) {
            return Err(Error::lexicon(
                path,
                None,
                "a trope's weights add up to more than a window sum can hold",
                Some("train with a larger --l2 or --prune".into()),
            ));
        }
        Ok(m)
    }

    /// The feature id of the stems `ids` (words `words`): the one a feature of the same
    /// stems already has, else a new one, named and entered in the unigram or pair table.
    fn feature_of(&mut self, ids: &[u16], words: &[String]) -> u32 {
        let existing = match ids[..] {
            [a] => self.unigram[a as usize],
            [a, b] => self
                .pairs
                .get(&(u32::from(a) << 16 | u32::from(b)))
                .copied()
                .unwrap_or(NONE),
            _ => unreachable!("the parser takes one word or two"),
        };
        if existing != NONE {
            return existing;
        }
        let feature = self.names.len() as u32;
        match ids[..] {
            [a] => self.unigram[a as usize] = feature,
            [a, b] => {
                self.pair_ends[a as usize] |= OPENS;
                self.pair_ends[b as usize] |= CLOSES;
                self.pairs
                    .insert(u32::from(a) << 16 | u32::from(b), feature);
            }
            _ => unreachable!("the parser takes one word or two"),
        }
        self.names.push(words.join(" "));
        feature
    }

    /// Whether the document regression reads a document of `tokens`: the model has one,
    /// and the document is longer than one window. A document no longer than one window was
    /// read whole by a window already, at the windows' stricter threshold; read again by
    /// the document regression, a sentence's one strong word carries it ("like a car crash
    /// in slow motion", "heir to a noodle shop"): the regression is for what a longer one
    /// says across its sentences.
    pub(crate) fn reads_whole(&self, tokens: &[Token]) -> bool {
        let sentences = tokens.last().map_or(0, |t| t.sentence + 1);
        self.document.is_some() && sentences > 2 * self.window + 1
    }

    /// The id of a stem (0 for a stem the model does not use).
    pub(crate) fn stem_id(&self, stem: &str) -> u16 {
        self.stems.get(stem).copied().unwrap_or(0)
    }

    /// The words of feature `f`.
    pub(crate) fn feature_name(&self, f: u32) -> &str {
        self.names.get(f as usize).map_or("", String::as_str)
    }

    fn weights(&self, f: u32) -> &[(u16, i32)] {
        &self.entries[self.offsets[f as usize] as usize..self.offsets[f as usize + 1] as usize]
    }

    /// The document regression's weights of feature `f` (none without one).
    fn document_weights(&self, f: u32) -> &[(u16, i32)] {
        match &self.document {
            Some(d) => {
                &d.entries[d.offsets[f as usize] as usize..d.offsets[f as usize + 1] as usize]
            }
            None => &[],
        }
    }
}

/// Feature lines with their stem ids in the order they get feature ids: one-word features
/// first, then pairs, each in the file's order (which, by words, says nothing of how often a
/// feature occurs). A word recurs in far more reviews than a pair of words, so the one-word
/// features' weights, packed together, are the lines the cache keeps. Same weights, same
/// sums: only the ids change (2-3% less CPU on 30 MB of IMDB, BENCHMARKS.md session 21).
fn words_first(
    lines: &[model::FeatureLine],
    ids: Vec<Vec<u16>>,
) -> Vec<(&model::FeatureLine, Vec<u16>)> {
    let mut order: Vec<_> = lines.iter().zip(ids).collect();
    order.sort_by_key(|(_, ids)| ids.len());
    order
}

/// Per trope, the largest a sum of `bias` and each of `entries` once can reach: |bias| plus
/// the trope's |weights|.
fn sum_bound(bias: &[Option<i32>], entries: &[(u16, i32)]) -> Vec<i64> {
    let mut bound: Vec<i64> = bias
        .iter()
        .map(|b| i64::from(b.unwrap_or(0)).abs())
        .collect();
    for &(t, w) in entries {
        bound[t as usize] += i64::from(w).abs();
    }
    bound
}

/// Every trope the model weighs must be one of the lexicon's: a model trained for another
/// set of tropes is refused, with the line that names the first unknown one, when the stage
/// is turned on (a curator who renames a trope with the stage off need not retrain first).
/// First in the file's order, not in the order compiling meets the lines ([`words_first`]):
/// compiling stops at `found`, and this looks for an earlier one (an error's cost only).
fn unknown_trope(
    model: &LearnedModel,
    path: &std::path::Path,
    known: &FxHashMap<&str, u16>,
    found: (&str, usize),
) -> Error {
    let (id, line) = model
        .trope_refs()
        .filter(|(id, _)| !known.contains_key(id))
        .min_by_key(|&(_, line)| line)
        .unwrap_or(found);
    Error::lexicon(
        path,
        Some(line),
        format!("unknown trope {id:?}"),
        Some(
            "the model was trained for other tropes: retrain it (`scripts/train-learned.sh`, or \
             `tropescope lexicon train`), or turn the stage off meanwhile with `--no-learned` \
             or `learned = false` in model.toml"
                .into(),
        ),
    )
}

/// One occurrence of a feature in a document.
#[derive(Clone, Copy, Debug)]
struct Occurrence {
    feature: u32,
    first: u32,
    last: u32,
    sentence: u32,
}

/// Reusable buffers of the learned stage: one per thread, as the matcher's.
#[derive(Debug, Default)]
pub struct LearnedScratch {
    /// The occurrences of the features the windows weigh, in text order.
    occurrences: Vec<Occurrence>,
    /// The occurrences of the features only the document regression weighs (collected
    /// only when it runs): kept apart, the windows never walk them.
    whole_only: Vec<Occurrence>,
    /// Index of the first occurrence of each sentence (and one past the last).
    starts: Vec<u32>,
    /// How many occurrences of each feature the window holds (zero between documents).
    count: Vec<u32>,
    /// Per trope: the bias plus the weights of the features the window holds (in the
    /// document pass: of the whole document's features).
    sums: Vec<i32>,
    /// Per trope: 1 + the sentence of its last learned mention in this document, 0 for none.
    last: Vec<u32>,
    /// The document pass: a bit per feature, set while the feature is in `distinct` (all
    /// clear between documents).
    seen: Vec<u64>,
    /// The document pass: its distinct features, in the order first met.
    distinct: Vec<u32>,
    /// The document pass: each distinct feature's span of the regression's entries.
    spans: Vec<(u32, u32)>,
    found: Vec<Mention>,
}

/// Add the learned stage's mentions to `mentions` (the matcher's, in text order), keeping
/// text order; `stems` holds each token's model stem id (see `MatchScratch::stems`);
/// `whole`: run the document regression too (the pipeline asks
/// [`CompiledModel::reads_whole`]; false for a model without one); `romance`: whether the
/// document may be about a couple ([`crate::topic::may_be_romance`]), asked only when the
/// document regression would add a mention, which it then does only if the answer is yes.
///
/// Why `romance` is asked last: the regression would add a mention to almost no review of a
/// general corpus (on the IMDB corpus a trope's sum reaches the threshold in one long review
/// in ten thousand, and none of those adds one), and the romance-word scan of every long
/// review cost more CPU than the regression's own sums on the reviews it spared
/// (BENCHMARKS.md, session 20). Asked last, it decides the same mentions.
/// Returns how many it added.
pub(crate) fn find_learned(
    model: &CompiledModel,
    tokens: &[Token],
    stems: &[u16],
    whole: bool,
    romance: impl FnOnce() -> bool,
    mentions: &mut Vec<Mention>,
    s: &mut LearnedScratch,
) -> usize {
    s.occurrences.clear();
    s.whole_only.clear();
    let n = tokens.len().min(stems.len());
    let (tokens_n, stems) = (&tokens[..n], &stems[..n]);
    // The previous word: its token, stem id (0 for a word the model does not use, which
    // parts pairs as any word does) and sentence. Punctuation has stem id 0 too, but is no
    // word and parts nothing, as in training.
    let (mut prev_i, mut prev_id, mut prev_sentence) = (0u32, 0u16, u32::MAX);
    debug_assert_eq!(model.unigram[0], NONE, "id 0 has no feature");
    // An occurrence of a feature the windows weigh goes to them; one of a feature only the
    // document regression weighs is kept apart, and only when it runs.
    let mut keep = |o: Occurrence| {
        if o.feature < model.window_features {
            s.occurrences.push(o);
        } else if whole {
            s.whole_only.push(o);
        }
    };
    for (i, (t, &id)) in tokens_n.iter().zip(stems).enumerate() {
        if id == 0 {
            if t.kind == TokenKind::Word {
                prev_id = 0;
            }
            continue;
        }
        let (i, sentence) = (i as u32, t.sentence);
        // The word's own feature, then its cluster's (a model without clusters has none:
        // `cluster_of` is empty, and the second is `NONE`).
        let cluster = model.cluster_of.get(id as usize).map_or(0, |&c| c as usize);
        for u in [model.unigram[id as usize], model.unigram[cluster]] {
            if u != NONE {
                keep(Occurrence {
                    feature: u,
                    first: i,
                    last: i,
                    sentence,
                });
            }
        }
        if prev_sentence == sentence
            && model.pair_ends[prev_id as usize] & OPENS != 0
            && model.pair_ends[id as usize] & CLOSES != 0
        {
            if let Some(&f) = model.pairs.get(&(u32::from(prev_id) << 16 | u32::from(id))) {
                keep(Occurrence {
                    feature: f,
                    first: prev_i,
                    last: i,
                    sentence,
                });
            }
        }
        (prev_i, prev_id, prev_sentence) = (i, id, sentence);
    }
    if s.count.len() != model.names.len() {
        s.count = vec![0; model.names.len()];
    }
    s.found.clear();
    if !s.occurrences.is_empty() {
        find_in_windows(model, tokens, mentions, s);
    }
    if let Some(document) = model.document.as_ref().filter(|_| whole) {
        find_in_document(model, document, tokens, romance, mentions, s);
    }
    let added = s.found.len();
    if added > 0 {
        mentions.append(&mut s.found);
        // The matcher's order: by first token, then trope.
        mentions.sort_by_key(|m| (m.first, m.trope));
    }
    added
}

/// The windows' pass: each window of `2 × window + 1` sentences scored by the windows'
/// regressions, a mention added to `s.found` where a trope reaches the threshold and no
/// pattern mention of it lies in the window.
fn find_in_windows(
    model: &CompiledModel,
    tokens: &[Token],
    mentions: &[Mention],
    s: &mut LearnedScratch,
) {
    let Some(last_token) = tokens.last() else {
        return;
    };
    let sentences = last_token.sentence as usize + 1;
    s.starts.clear();
    let mut at = 0;
    for sentence in 0..=sentences as u32 {
        while at < s.occurrences.len() && s.occurrences[at].sentence < sentence {
            at += 1;
        }
        s.starts.push(at as u32);
    }
    let ntropes = model.bias.len();
    s.sums.clear();
    s.sums
        .extend(model.bias.iter().map(|b| b.unwrap_or(NO_REGRESSION)));
    s.last.clear();
    s.last.resize(ntropes, 0);
    let k = model.window as usize;
    // The window slides a sentence at a time: an occurrence entering it adds its feature's
    // weights when the feature was not in the window yet, one leaving subtracts them when
    // it was the feature's last, so each weight is added and taken back about once a
    // stretch of text rather than once a window (sums are integers: nothing drifts).
    let (mut held_lo, mut held_hi) = (0usize, 0usize); // occurrences held: [held_lo, held_hi)
    let mut previous = (u32::MAX, u32::MAX);
    // Whether a pattern mention of a likely trope kept the window before from adding one:
    // the next window may not hold that mention, so it is scored even if it holds the same
    // occurrences.
    let mut blocked = false;
    for middle in 0..sentences {
        let lo = middle.saturating_sub(k);
        let hi = (middle + k).min(sentences - 1);
        let range = (s.starts[lo] as usize, s.starts[hi + 1] as usize);
        // Slices, not the vectors: the loops keep their pointers in registers instead of
        // reloading them after every store.
        let (count, sums) = (&mut s.count[..], &mut s.sums[..]);
        for o in &s.occurrences[held_hi..range.1.max(held_hi)] {
            let c = &mut count[o.feature as usize];
            if *c == 0 {
                for &(t, w) in model.weights(o.feature) {
                    sums[t as usize] += w;
                }
            }
            *c += 1;
        }
        held_hi = held_hi.max(range.1);
        for o in &s.occurrences[held_lo..range.0.max(held_lo)] {
            let c = &mut count[o.feature as usize];
            *c -= 1;
            if *c == 0 {
                for &(t, w) in model.weights(o.feature) {
                    sums[t as usize] -= w;
                }
            }
        }
        held_lo = held_lo.max(range.0);
        // An empty window scores nothing; one holding the same occurrences as the window
        // before it scores the same, and (unless a pattern mention held that one back)
        // could only repeat its mentions.
        let key = (range.0 as u32, range.1 as u32);
        if range.0 == range.1 || (key == previous && !blocked) {
            continue;
        }
        previous = key;
        blocked = false;
        // Most windows reach no threshold: one pass that compiles to vector maxima turns
        // them away before the per-trope checks (a plain fold: `Iterator::max`'s `Option`
        // kept it scalar, 400 instructions a window).
        let top = s.sums.iter().fold(NO_REGRESSION, |m, &x| m.max(x));
        if top < model.logit {
            continue;
        }
        // The pattern mentions of the window's sentences: mentions are in text order, so
        // two binary searches, not a scan of the document's mentions for each window (which
        // made a long document's stage quadratic).
        let held = &mentions[mentions.partition_point(|m| m.sentence < lo as u32)
            ..mentions.partition_point(|m| m.sentence <= hi as u32)];
        for ti in 0..ntropes {
            if s.sums[ti] < model.logit || s.last[ti] > lo as u32 {
                continue;
            }
            let t = ti as u16;
            if held.iter().any(|m| m.trope == t && m.learned.is_none()) {
                blocked = true;
                continue;
            }
            // The span: the window's first occurrence of its strongest positive feature.
            let mut best: Option<(i32, usize)> = None;
            for o in range.0..range.1 {
                let f = s.occurrences[o].feature;
                if let Some(&(_, w)) = model.weights(f).iter().find(|&&(u, _)| u == t) {
                    if w > 0 && best.is_none_or(|(b, _)| w > b) {
                        best = Some((w, o));
                    }
                }
            }
            let Some((_, o)) = best else {
                continue;
            };
            let occ = s.occurrences[o];
            s.last[ti] = occ.sentence + 1;
            s.found
                .push(learned_mention(tokens, t, occ, s.sums[ti], false));
        }
    }
    // Leave every count at zero for the next document.
    for o in held_lo..held_hi {
        s.count[s.occurrences[o].feature as usize] = 0;
    }
}

/// The document regression's pass: the whole document's sum for each trope (each feature
/// once, scaled by 1 / √(the document's words), as in training on whole passages: a long
/// review's sum does not grow with its length); a trope that reaches the threshold and has no
/// mention in the document yet, from the patterns or the windows, gets one on the
/// document's first occurrence of its strongest positive feature.
fn find_in_document(
    model: &CompiledModel,
    document: &CompiledDocument,
    tokens: &[Token],
    romance: impl FnOnce() -> bool,
    mentions: &[Mention],
    s: &mut LearnedScratch,
) {
    s.sums.clear();
    s.sums.resize(document.bias.len(), 0);
    // Three passes over the document's features rather than one. Most of a feature's
    // entries lie beyond the second-level cache, and in one loop (is the feature new? add
    // its entries) each feature's loads waited on the branches of the one before. So: the
    // distinct features first (a bit each, a table that stays in the first-level cache);
    // then their entries' spans, and a load of each span's first entry, loops of
    // independent loads the processor overlaps; then the sums, from cache.
    let words = model.names.len().div_ceil(64);
    if s.seen.len() != words {
        s.seen = vec![0; words];
    }
    s.distinct.clear();
    for o in s.occurrences.iter().chain(&s.whole_only) {
        let (word, bit) = ((o.feature / 64) as usize, 1u64 << (o.feature % 64));
        if s.seen[word] & bit == 0 {
            s.seen[word] |= bit;
            s.distinct.push(o.feature);
        }
    }
    for &f in &s.distinct {
        s.seen[(f / 64) as usize] = 0;
    }
    s.spans.clear();
    s.spans.extend(s.distinct.iter().map(|&f| {
        (
            document.offsets[f as usize],
            document.offsets[f as usize + 1],
        )
    }));
    let mut touched = 0;
    for &(start, end) in &s.spans {
        if start < end {
            touched ^= document.entries[start as usize].1;
        }
    }
    std::hint::black_box(touched);
    let sums = &mut s.sums[..];
    for &(start, end) in &s.spans {
        for &(t, w) in &document.entries[start as usize..end as usize] {
            sums[t as usize] += w;
        }
    }
    let scale = 1.0 / f64::from(crate::token::word_count(tokens).max(1)).sqrt();
    for (sum, bias) in s.sums.iter_mut().zip(&document.bias) {
        *sum = match bias {
            // Within ±(bias + the trope's weights): bounded when the model was compiled.
            Some(b) => b + (f64::from(*sum) * scale).round() as i32,
            None => NO_REGRESSION,
        };
    }
    if s.sums.iter().fold(NO_REGRESSION, |m, &x| m.max(x)) < document.logit {
        return;
    }
    let before = s.found.len();
    for ti in 0..s.sums.len() {
        let t = ti as u16;
        if s.sums[ti] < document.logit || mentions.iter().chain(&s.found).any(|m| m.trope == t) {
            continue;
        }
        // The span: the first occurrence of the strongest positive feature (text order:
        // the two lists are each in it, so ties go to the earlier token).
        let mut best: Option<(i32, u32, Occurrence)> = None;
        for &occ in s.occurrences.iter().chain(&s.whole_only) {
            let weights = model.document_weights(occ.feature);
            if let Some(&(_, w)) = weights.iter().find(|&&(u, _)| u == t) {
                let better =
                    best.is_none_or(|(b, first, _)| w > b || (w == b && occ.first < first));
                if w > 0 && better {
                    best = Some((w, occ.first, occ));
                }
            }
        }
        let Some((_, _, occ)) = best else {
            continue;
        };
        s.found
            .push(learned_mention(tokens, t, occ, s.sums[ti], true));
    }
    // Only a document that may be about a couple keeps them (asked only now: see
    // `find_learned`).
    if s.found.len() > before && !romance() {
        s.found.truncate(before);
    }
}

/// The model's mention of trope `t` on the occurrence `occ`, whose window (or document,
/// `document`) summed to `sum` (a logit in units of 1 / [`SCALE`]).
fn learned_mention(tokens: &[Token], t: u16, occ: Occurrence, sum: i32, document: bool) -> Mention {
    let (ft, lt) = (&tokens[occ.first as usize], &tokens[occ.last as usize]);
    let (sentence_start, sentence_end) = crate::matcher::sentence_span(tokens, occ.first as usize);
    Mention {
        trope: t,
        pattern: LEARNED_PATTERN,
        first: occ.first,
        last: occ.last,
        start: ft.start,
        end: lt.end,
        sentence: occ.sentence,
        sentence_start,
        sentence_end,
        learned: Some(Learned {
            probability: (1.0 / (1.0 + (-f64::from(sum) / SCALE).exp())) as f32,
            feature: occ.feature,
            document,
        }),
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::train::{train, Passage, TrainOptions};
    use super::*;
    use crate::lexicon::load::{embedded_engine_files, SourceFile};
    use crate::lexicon::{CompiledLexicon, Lexicon, Status};
    use crate::pipeline::Analyzer;

    fn passage(text: &str, tropes: &[&str]) -> Passage {
        Passage::new(text, tropes)
    }

    /// A model that learned "forgets" means amnesia, from a handful of passages.
    fn tiny_model() -> LearnedModel {
        train(
            &["amnesia".to_string(), "makeover".to_string()],
            &[("tiny".into(), tiny_passages())],
            &[],
            &tiny_options(),
        )
    }

    /// [`tiny_model`] trained with word clusters (stem, cluster).
    fn tiny_clustered(clusters: &[(&str, u32)]) -> LearnedModel {
        let clusters = clusters.iter().map(|&(w, c)| (w.to_string(), c)).collect();
        train(
            &["amnesia".to_string(), "makeover".to_string()],
            &[("tiny".into(), tiny_passages())],
            &[],
            &TrainOptions {
                clusters: Some(std::sync::Arc::new(clusters)),
                ..tiny_options()
            },
        )
    }

    fn tiny_options() -> TrainOptions {
        TrainOptions {
            l2: 0.1,
            min_count: 1,
            max_share: 1.0,
            prune: 0.01,
            threshold: 0.5,
            window: 1,
            weighting: Weighting::Binary,
            per_document: false,
            clusters: None,
        }
    }

    fn tiny_passages() -> Vec<Passage> {
        vec![
            passage("She forgets who he is.", &["amnesia"]),
            passage("He forgets his own name after the fall.", &["amnesia"]),
            passage("By the finale everyone forgets the wedding.", &["amnesia"]),
            passage("Then the heir forgets her completely.", &["amnesia"]),
            passage("They cook dinner together.", &[]),
            passage("He works late at the office.", &[]),
            passage("The rain falls on the city.", &[]),
            passage("Her mother runs a noodle shop.", &[]),
            passage("The leads talk on the roof.", &[]),
            passage("His friend opens a cafe.", &[]),
        ]
    }

    /// The shipped cues with two tropes whose patterns are "amnesia" and "makeover", the
    /// model `model`, and the stage on or off in model.toml.
    fn files(model: &str, on: bool) -> Vec<SourceFile> {
        let mut files: Vec<SourceFile> = embedded_engine_files();
        for f in files.iter_mut().filter(|f| f.path == "model.toml") {
            assert!(f.text.contains("\nlearned = "), "model.toml sets the stage");
            f.text = f
                .text
                .replace("learned = true", &format!("learned = {on}"))
                .replace("learned = false", &format!("learned = {on}"))
                .into();
        }
        for id in ["amnesia", "makeover"] {
            files.push(SourceFile {
                path: format!("tropes/{id}.toml"),
                text: format!(
                    "id = {id:?}\nname = {id:?}\nfamily = \"cliche\"\nweight = 1.0\n\
                     description = \"test\"\npatterns = [{id:?}]\n"
                )
                .into(),
            });
        }
        files.push(SourceFile {
            path: MODEL_PATH.into(),
            text: model.to_string().into(),
        });
        files
    }

    fn analyzer(model: &str, on: bool) -> crate::Result<Analyzer> {
        let lexicon = Lexicon::from_files("test", Path::new("test"), files(model, on))?;
        Ok(Analyzer::new(CompiledLexicon::new(lexicon)?))
    }

    /// (trope, matched words, status, found by the model) of every mention.
    fn mentions(a: &Analyzer, text: &str) -> Vec<(String, String, Status, bool)> {
        let r = a.analyze_text("t", text);
        r.mentions
            .iter()
            .map(|m| {
                (
                    a.trope_id(m).to_string(),
                    r.matched(m).to_string(),
                    m.decision.status,
                    m.mention.learned.is_some(),
                )
            })
            .collect()
    }

    #[test]
    fn a_passage_the_patterns_miss_gets_a_learned_mention_on_its_strongest_word() {
        let a = analyzer(&tiny_model().to_text(), true).unwrap();
        let found = mentions(
            &a,
            "The show is set in Seoul. After the accident she forgets her husband.",
        );
        assert_eq!(
            found,
            [(
                "amnesia".to_string(),
                "forgets".to_string(),
                Status::Present,
                true
            )]
        );
        let r = a.analyze_text("t", "After the accident she forgets her husband.");
        let p = r.mentions[0].mention.learned.unwrap().probability;
        assert!((0.5..1.0).contains(&p), "{p}");
    }

    #[test]
    fn a_word_training_never_saw_fires_through_its_cluster() {
        // "misplaces" is in no training passage; its cluster is "forgets"' cluster.
        let plain = analyzer(&tiny_model().to_text(), true).unwrap();
        let text = "After the accident she misplaces her husband.";
        assert!(mentions(&plain, text).is_empty());
        let model = tiny_clustered(&[("forget", 7), ("misplac", 7), ("cafe", 9)]);
        // Only the clusters the model weighs are kept, and the file says them.
        assert!(model.features.iter().any(|f| f.words == ["#7"]));
        let written = model.to_text();
        assert!(written.contains("\ncluster\tforget\t7\n"), "{written}");
        assert!(written.contains("\ncluster\tmisplac\t7\n"), "{written}");
        let back = LearnedModel::parse(Path::new("m"), &written).unwrap();
        assert_eq!(back.clusters.len(), model.clusters.len());
        let a = analyzer(&written, true).unwrap();
        let found = mentions(&a, text);
        assert_eq!(
            found,
            [(
                "amnesia".to_string(),
                "misplaces".to_string(),
                Status::Present,
                true
            )]
        );
        assert!(mentions(&a, "He opens a cafe by the sea.").is_empty());
    }

    #[test]
    fn the_context_engine_decides_a_learned_mentions_status() {
        let a = analyzer(&tiny_model().to_text(), true).unwrap();
        let found = mentions(&a, "Thankfully she never forgets who he is.");
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].1, "forgets");
        assert_eq!(found[0].2, Status::Absent, "{found:?}");
    }

    #[test]
    fn no_learned_mention_where_a_pattern_found_the_trope_nor_twice_for_one_word() {
        let a = analyzer(&tiny_model().to_text(), true).unwrap();
        let found = mentions(&a, "Amnesia strikes: she forgets him.");
        assert_eq!(
            found,
            [("amnesia".into(), "Amnesia".into(), Status::Present, false)]
        );
        let text = "She forgets him. She forgets him again. She forgets him once more. \
                    The rain falls. The rain falls. The rain falls. He forgets her too.";
        let r = a.analyze_text("t", text);
        let mut firsts: Vec<u32> = r.mentions.iter().map(|m| m.mention.first).collect();
        let n = firsts.len();
        firsts.dedup();
        assert_eq!(firsts.len(), n, "one occurrence, one mention");
        assert!(
            n >= 2,
            "the second passage, four sentences on, is found again"
        );
        assert!(r.mentions.iter().all(|m| m.mention.learned.is_some()));
    }

    #[test]
    fn a_window_held_back_by_a_pattern_mention_does_not_hide_the_next_one() {
        // The window around "Nothing here." holds the pattern's "Amnesia"; the one around
        // "She forgets him." holds the same occurrences but not that mention, so it adds
        // one, whatever comes after it.
        let a = analyzer(&tiny_model().to_text(), true).unwrap();
        for text in [
            "Amnesia again. Nothing here. She forgets him.",
            "Amnesia again. Nothing here. She forgets him. He forgets her.",
        ] {
            let r = a.analyze_text("t", text);
            let learned: Vec<&str> = r
                .mentions
                .iter()
                .filter(|m| m.mention.learned.is_some())
                .map(|m| &text[m.mention.start..m.mention.end])
                .collect();
            assert_eq!(learned.first(), Some(&"forgets"), "{text}: {learned:?}");
            let at = r
                .mentions
                .iter()
                .find(|m| m.mention.learned.is_some())
                .map(|m| m.mention.sentence);
            assert_eq!(at, Some(2), "{text}");
        }
    }

    /// A model whose windows never fire (bias −50) and whose document regression weighs
    /// "forgets" and "rememb" for amnesia: 10 / √words each.
    const DOCUMENT_MODEL: &str = "format\t1\nthreshold\t0.5\nwindow\t1\n\
        bias\tamnesia\t-50.0000\nfeature\tforget\tamnesia=1.0000\n\
        document_threshold\t0.5\ndocument_bias\tamnesia\t-3.0000\n\
        document\tforget\tamnesia=10.0000\ndocument\trememb\tamnesia=10.0000\n";

    #[test]
    fn the_document_regression_reads_the_whole_document() {
        let a = analyzer(DOCUMENT_MODEL, true).unwrap();
        // Four sentences, five words: 10 / √5 = 4.5 over the bias of −3, p = 0.81.
        let r = a.analyze_text("t", "She forgets. Why? How? When?");
        assert_eq!(r.mentions.len(), 1);
        assert_eq!(
            (a.trope_id(&r.mentions[0]), r.matched(&r.mentions[0])),
            ("amnesia", "forgets")
        );
        let l = r.mentions[0].mention.learned.expect("the model's mention");
        assert!(l.document && (l.probability - 0.81).abs() < 0.01, "{l:?}");
        // Three sentences are one window, which read them whole already: no document pass.
        assert_eq!(mentions(&a, "She forgets. Why? How?"), []);
        // "rememb" is the document regression's alone (no window weighs it), yet it counts.
        let found = mentions(&a, "Remember it all? Yes. No. Maybe.");
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].1, "Remember");
        // Both words, in separate sentences far apart, count once each.
        let filler = "The city is grey and the rain falls. ".repeat(3);
        let far = format!("She forgets. {filler}He does not remember.");
        assert_eq!(
            mentions(&a, &far).len(),
            1,
            "20 / √30 is 3.7, past the bias"
        );
        // One of them in a long document is too little: its sum is scaled by 1 / √words.
        let long = format!("She forgets. {filler}");
        assert_eq!(
            mentions(&a, &long),
            [],
            "10 / √26 is 2.0, short of the bias"
        );
        // A trope the patterns found gets no second mention from the document.
        let found = mentions(&a, "Amnesia again: she forgets. Why? How? When?");
        assert_eq!(found.len(), 1);
        assert!(
            !found[0].3,
            "the pattern's mention, not the model's: {found:?}"
        );
    }

    #[test]
    fn the_document_regression_adds_nothing_to_a_long_text_that_never_speaks_of_romance() {
        // Weights of 40: "forgets" and "remember" over the 112 words below give
        // 80 / √112 = 7.6, past the bias of −3, wherever the pass runs.
        let strong = DOCUMENT_MODEL.replace("=10.0000", "=40.0000");
        let a = analyzer(&strong, true).unwrap();
        // Over the topic gate's 100 words, with no romance word: the pass finds the trope,
        // and the romance question withholds its mention.
        let words = "The heist crew forgets the plan and the vault stays shut. ".repeat(10);
        let text = format!("{words}Remember that.");
        assert_eq!(mentions(&a, &text), [], "no romance word");
        // The same with one romance word is read whole.
        let romantic = format!("{text} Their romance is sweet.");
        assert_eq!(mentions(&a, &romantic).len(), 1);
    }

    #[test]
    fn the_switch_turns_the_stage_off() {
        let model = tiny_model().to_text();
        let off = analyzer(&model, false).unwrap();
        assert!(!off.lexicon().learned_on());
        assert!(mentions(&off, "After the accident she forgets her husband.").is_empty());
        let mut lexicon =
            Lexicon::from_files("test", Path::new("test"), files(&model, false)).unwrap();
        lexicon.model.learned = true;
        let on = Analyzer::new(CompiledLexicon::new(lexicon).unwrap());
        assert_eq!(mentions(&on, "She forgets her husband.").len(), 1);
    }

    #[test]
    fn one_workspace_serves_analyzers_of_other_lexicons() {
        // The word cache holds each word's code and model stem id for the analyzer that
        // filled it: another analyzer's must not be read (they were wrong codes, and stem
        // ids past the end of this model's tables).
        let model = tiny_model().to_text();
        let (off, on) = (
            analyzer(&model, false).unwrap(),
            analyzer(&model, true).unwrap(),
        );
        let embedded = Analyzer::embedded().unwrap();
        let text = "After the accident she forgets her husband, and he grabs her wrist.";
        let article = || crate::input::Article {
            id: "t".into(),
            title: None,
            text: text.into(),
        };
        let mut ws = embedded.workspace();
        for a in [&embedded, &off, &on, &embedded, &on] {
            let reused = a.analyze_with(&mut ws, article());
            let fresh = a.analyze(article());
            assert_eq!(reused.mentions, fresh.mentions);
        }
        assert_eq!(on.analyze_with(&mut ws, article()).mentions.len(), 1);
    }

    #[test]
    fn a_model_for_other_tropes_is_refused_with_its_file_and_line_when_on() {
        let model = tiny_model().to_text().replace("amnesia", "amnesiac");
        let e = analyzer(&model, true).unwrap_err().to_string();
        assert!(e.contains("test/learned.tsv:"), "{e}");
        assert!(e.contains("unknown trope \"amnesiac\""), "{e}");
        assert!(analyzer(&model, false).is_ok(), "off, it is not compiled");
        let e = analyzer("format\t1\nthreshold\t2\n", false)
            .unwrap_err()
            .to_string();
        assert!(e.contains("test/learned.tsv:2: threshold 2"), "{e}");
    }

    #[test]
    fn the_first_unknown_trope_in_the_file_is_named_though_one_word_features_compile_first() {
        let model = "format\t1\nthreshold\t0.5\nbias\tamnesia\t-3\n\
                     feature\tforget her\tamnesiac=1.0\nfeature\tzeal\tmakeovr=1.0\n";
        let e = analyzer(model, true).unwrap_err().to_string();
        assert!(
            e.contains("test/learned.tsv:4: unknown trope \"amnesiac\""),
            "{e}"
        );
    }

    proptest::proptest! {
        /// Any text, with the stage on: no panic, and every learned mention's span slices
        /// the text within its sentence.
        #[test]
        fn any_text_with_the_stage_on_never_panics(
            text in "((She|he|Nobody) (forgets|never forgets|misplaces|cooks)( who he is| the wedding)?[.!?,;]? ?|\\PC{0,12}|\n){0,20}"
        ) {
            // The model of the tiny passages, and the same with word clusters.
            static ON: std::sync::OnceLock<[Analyzer; 2]> = std::sync::OnceLock::new();
            let both = ON.get_or_init(|| {
                let clustered = tiny_clustered(&[("forget", 1), ("misplac", 1), ("cook", 2)]);
                [tiny_model(), clustered].map(|m| analyzer(&m.to_text(), true).unwrap())
            });
            for a in both {
                let r = a.analyze_text("t", &text);
                for m in r.mentions.iter().filter(|m| m.mention.learned.is_some()) {
                    let m = &m.mention;
                    proptest::prop_assert!(text.get(m.start..m.end).is_some());
                    proptest::prop_assert!(
                        m.sentence_start <= m.start && m.end <= m.sentence_end
                    );
                }
            }
        }
    }

    #[test]
    fn training_is_deterministic() {
        assert_eq!(tiny_model().to_text(), tiny_model().to_text());
    }
}
