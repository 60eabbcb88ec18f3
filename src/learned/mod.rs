//! The learned stage: a trained classifier that finds the tropes the curated patterns miss.
//!
//! The lexicon recognises what its curators have written down and little else. This stage
//! runs after matching and before context: a logistic regression per trope (trained by
//! [`train`] on the tuned gold files and the lexicon's own examples, stored as data in
//! `lexicons/learned.tsv`, see [`model`]) scores windows of consecutive sentences, sized like
//! the training passages. Where a trope's probability reaches the model's threshold and no
//! lexicon mention of that trope lies in the window, it adds one [`Mention`] whose span is the
//! window's strongest positive feature (a stemmed word or an adjacent pair), marked with
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

use crate::error::{Error, Result};
use crate::lexicon::Trope;
use crate::matcher::Mention;
use crate::token::{Token, TokenKind};
pub use model::{LearnedModel, Weighting, MODEL_PATH};

/// The `pattern` index of a mention the learned stage found: no pattern of the trope.
pub const LEARNED_PATTERN: u16 = u16::MAX;

/// What marks a mention as the model's: its probability and the feature its span holds.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Learned {
    /// The window's probability for the trope.
    pub probability: f32,
    /// The feature (index into the compiled model) whose occurrence is the span.
    pub feature: u32,
}

/// No feature (in the stem → feature table).
const NONE: u32 = u32::MAX;

/// The model compiled for inference: stems to small ids, features to weight lists.
#[derive(Debug)]
pub(crate) struct CompiledModel {
    /// Stem → id (1-based; 0 is "no model word"), the id the word cache keeps.
    stems: FxHashMap<String, u16>,
    /// Stem id → its one-word feature, or [`NONE`].
    unigram: Vec<u32>,
    /// Stem id → whether it opens / closes some two-word feature: most adjacent pairs are
    /// turned away by these before the pair table is asked.
    opens: Vec<bool>,
    closes: Vec<bool>,
    /// (first stem id << 16 | second stem id) → feature.
    pairs: FxHashMap<u32, u32>,
    /// Feature `f`'s (trope, weight) entries are `entries[offsets[f]..offsets[f + 1]]`.
    offsets: Vec<u32>,
    entries: Vec<(u16, f32)>,
    /// Feature names ("love triangl"), for evidence.
    names: Vec<String>,
    /// Bias per lexicon trope; `None` for a trope the model has no regression for.
    bias: Vec<Option<f32>>,
    /// The threshold as a logit: comparing sums to it spares an `exp` per window.
    logit: f32,
    /// Sentences on each side of a window's middle.
    window: u32,
}

impl CompiledModel {
    /// Compile `model` for a lexicon whose tropes are `tropes` (sorted by id); `path` names
    /// the file in errors: a trope the lexicon lacks, or more distinct stems than the word
    /// cache's 16 bits hold.
    pub(crate) fn new(
        model: &LearnedModel,
        tropes: &[Trope],
        path: &std::path::Path,
    ) -> Result<CompiledModel> {
        check_tropes(model, tropes, path)?;
        let trope_index = |id: &str| {
            tropes
                .binary_search_by(|t| t.id.as_str().cmp(id))
                .ok()
                .map(|i| i as u16)
        };
        let mut stems: FxHashMap<String, u16> = FxHashMap::default();
        let mut id_of = |w: &str, line: usize| -> Result<u16> {
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
                        Some("train with a larger --prune or --min-count".into()),
                    )
                })?;
            stems.insert(w.to_string(), id);
            Ok(id)
        };
        let mut keyed = Vec::with_capacity(model.features.len());
        for f in &model.features {
            let ids: Vec<u16> = f
                .words
                .iter()
                .map(|w| id_of(w, f.line))
                .collect::<Result<_>>()?;
            keyed.push(ids);
        }
        let n = stems.len() + 1;
        let mut m = CompiledModel {
            unigram: vec![NONE; n],
            opens: vec![false; n],
            closes: vec![false; n],
            pairs: FxHashMap::default(),
            offsets: vec![0],
            entries: Vec::new(),
            names: Vec::with_capacity(model.features.len()),
            bias: vec![None; tropes.len()],
            logit: (model.threshold / (1.0 - model.threshold)).ln() as f32,
            window: model.window,
            stems,
        };
        for (id, b, _) in &model.biases {
            if let Some(t) = trope_index(id) {
                m.bias[t as usize] = Some(*b as f32);
            }
        }
        for (f, ids) in model.features.iter().zip(keyed) {
            let feature = m.names.len() as u32;
            match ids[..] {
                [a] => m.unigram[a as usize] = feature,
                [a, b] => {
                    m.opens[a as usize] = true;
                    m.closes[b as usize] = true;
                    m.pairs.insert(u32::from(a) << 16 | u32::from(b), feature);
                }
                _ => unreachable!("the parser takes one word or two"),
            }
            for (id, w) in &f.weights {
                if let Some(t) = trope_index(id).filter(|&t| m.bias[t as usize].is_some()) {
                    m.entries.push((t, *w as f32));
                }
            }
            m.offsets.push(m.entries.len() as u32);
            m.names.push(f.words.join(" "));
        }
        Ok(m)
    }

    /// The id of a stem (0 for a stem the model does not use).
    pub(crate) fn stem_id(&self, stem: &str) -> u16 {
        self.stems.get(stem).copied().unwrap_or(0)
    }

    /// The words of feature `f`.
    pub(crate) fn feature_name(&self, f: u32) -> &str {
        self.names.get(f as usize).map_or("", String::as_str)
    }

    fn weights(&self, f: u32) -> &[(u16, f32)] {
        &self.entries[self.offsets[f as usize] as usize..self.offsets[f as usize + 1] as usize]
    }
}

/// Every trope the model weighs must be one of the lexicon's: a model trained for another
/// set of tropes is refused, with the line that names the first unknown one, when the stage
/// is turned on (a curator who renames a trope with the stage off need not retrain first).
fn check_tropes(m: &LearnedModel, tropes: &[Trope], path: &std::path::Path) -> Result<()> {
    let known = |id: &str| tropes.binary_search_by(|t| t.id.as_str().cmp(id)).is_ok();
    let unknown = m
        .biases
        .iter()
        .map(|(id, _, line)| (id.as_str(), *line))
        .chain(
            m.features
                .iter()
                .flat_map(|f| f.weights.iter().map(move |(id, _)| (id.as_str(), f.line))),
        )
        .find(|(id, _)| !known(id));
    match unknown {
        Some((id, line)) => Err(Error::lexicon(
            path,
            Some(line),
            format!("unknown trope {id:?}"),
            Some("the model was trained for other tropes: retrain it with `tropescope lexicon train`".into()),
        )),
        None => Ok(()),
    }
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
    occurrences: Vec<Occurrence>,
    /// Index of the first occurrence of each sentence (and one past the last).
    starts: Vec<u32>,
    /// The window that last counted each feature (a feature counts once a window).
    counted: Vec<u32>,
    /// The window that last touched each trope's sum.
    touched_in: Vec<u32>,
    window: u32,
    sums: Vec<f32>,
    /// Per trope: the largest weight seen in this window and its occurrence.
    best: Vec<(f32, u32)>,
    touched: Vec<u16>,
    /// Per trope: 1 + the sentence of its last learned mention in this document, 0 for none.
    last: Vec<u32>,
    found: Vec<Mention>,
}

/// Add the learned stage's mentions to `mentions` (the matcher's, in text order), keeping
/// text order; `stems` holds each token's model stem id (see `MatchScratch::stems`).
/// Returns how many it added.
pub(crate) fn find_learned(
    model: &CompiledModel,
    tokens: &[Token],
    stems: &[u16],
    mentions: &mut Vec<Mention>,
    s: &mut LearnedScratch,
) -> usize {
    s.occurrences.clear();
    let mut prev: Option<(u32, u16, u32)> = None;
    for (i, t) in tokens.iter().enumerate() {
        if t.kind != TokenKind::Word {
            continue;
        }
        let id = stems[i];
        if id != 0 {
            let u = model.unigram[id as usize];
            if u != NONE {
                s.occurrences.push(Occurrence {
                    feature: u,
                    first: i as u32,
                    last: i as u32,
                    sentence: t.sentence,
                });
            }
            if let Some((p, pid, sentence)) = prev {
                if sentence == t.sentence && model.opens[pid as usize] && model.closes[id as usize]
                {
                    if let Some(&f) = model.pairs.get(&(u32::from(pid) << 16 | u32::from(id))) {
                        s.occurrences.push(Occurrence {
                            feature: f,
                            first: p,
                            last: i as u32,
                            sentence,
                        });
                    }
                }
            }
        }
        prev = Some((i as u32, id, t.sentence));
    }
    let Some(last_token) = tokens.last() else {
        return 0;
    };
    if s.occurrences.is_empty() {
        return 0;
    }
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
    if s.counted.len() != model.names.len() || s.sums.len() != ntropes {
        s.counted = vec![0; model.names.len()];
        s.touched_in = vec![0; ntropes];
        s.sums = vec![0.0; ntropes];
        s.best = vec![(0.0, NONE); ntropes];
        s.window = 0;
    }
    s.last.clear();
    s.last.resize(ntropes, 0);
    s.found.clear();
    let k = model.window as usize;
    let mut previous = (u32::MAX, u32::MAX);
    for middle in 0..sentences {
        let lo = middle.saturating_sub(k);
        let hi = (middle + k).min(sentences - 1);
        let range = (s.starts[lo], s.starts[hi + 1]);
        // An empty window scores nothing; one holding the same occurrences as the window
        // before it scores the same, and could only repeat its mentions.
        if range.0 == range.1 || range == previous {
            continue;
        }
        previous = range;
        s.window = s.window.wrapping_add(1);
        if s.window == 0 {
            s.counted.fill(0);
            s.touched_in.fill(0);
            s.window = 1;
        }
        let window = s.window;
        for o in range.0..range.1 {
            let f = s.occurrences[o as usize].feature;
            if s.counted[f as usize] == window {
                continue;
            }
            s.counted[f as usize] = window;
            for &(t, w) in model.weights(f) {
                let ti = t as usize;
                if s.touched_in[ti] != window {
                    s.touched_in[ti] = window;
                    // Only tropes with a regression have entries (see `CompiledModel::new`).
                    s.sums[ti] = model.bias[ti].unwrap_or(f32::NEG_INFINITY);
                    s.best[ti] = (0.0, NONE);
                    s.touched.push(t);
                }
                s.sums[ti] += w;
                if w > s.best[ti].0 {
                    s.best[ti] = (w, o);
                }
            }
        }
        for j in 0..s.touched.len() {
            let t = s.touched[j];
            let ti = t as usize;
            let (_, o) = s.best[ti];
            if s.sums[ti] < model.logit || o == NONE || s.last[ti] > lo as u32 {
                continue;
            }
            let in_window = |m: &Mention| {
                m.trope == t && (lo as u32..=hi as u32).contains(&m.sentence) && m.learned.is_none()
            };
            if mentions.iter().any(in_window) {
                continue;
            }
            let occ = s.occurrences[o as usize];
            let (ft, lt) = (&tokens[occ.first as usize], &tokens[occ.last as usize]);
            let (sentence_start, sentence_end) =
                crate::matcher::sentence_span(tokens, occ.first as usize);
            s.last[ti] = occ.sentence + 1;
            s.found.push(Mention {
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
                    probability: 1.0 / (1.0 + (-s.sums[ti]).exp()),
                    feature: occ.feature,
                }),
            });
        }
        s.touched.clear();
    }
    let added = s.found.len();
    if added > 0 {
        mentions.append(&mut s.found);
        // The matcher's order: by first token, then trope.
        mentions.sort_by_key(|m| (m.first, m.trope));
    }
    added
}
