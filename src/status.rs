//! The status stage: a trained second reading of each mention's status.
//!
//! The context engine decides a status from cues it was written to know ("no", "gone are",
//! "so many dramas"). Writers say absence and genre talk in ways no cue list holds: "the show
//! spares us both the piggyback ride and the jealous sulk", "strangely incurious about
//! burnout", "love, apparently, is cheaper than therapy". This stage runs after context: three
//! one-versus-rest logistic regressions (present, absent, generic; trained by
//! [`train_status`] with the learned model, stored in the same `learned.tsv`, see
//! [`crate::learned::model`]) read the mention's context and the engine's own decision, and
//! the status with the highest probability is the mention's. The engine's status, cue and
//! category are features, so the model learns where to trust them; the mention keeps the cue,
//! and its [`StatusVote`] says what the rules said and how sure the model is.
//!
//! The features of a mention, each 0 or 1 (the document's words ½), named in the model file
//! by a kind and a value:
//!
//! | name | what |
//! | --- | --- |
//! | `rule:S`, `rule-family:S-F` | the engine's status, and with the trope's family |
//! | `category:C`, `cue:P` | the category and pattern of the cue that decided (`none`) |
//! | `family:F`, `by:B` | the trope's family; `pattern` or `model` found it |
//! | `b:W`, `a:W` | a stem before / after the mention in its sentence |
//! | `b4:W`, `a4:W` | one of the four nearest such stems |
//! | `b1:W`, `a1:W` | the nearest such stem |
//! | `at:P` | where the mention stands in its sentence: `start`, `end`, `whole`, `inside` |
//! | `F-b:W`, `F-a:W` | `b` and `a` for the trope's family `F` (`cliche`, `mature`) |
//! | `p:W`, `n:W` | a stem of the previous / next sentence |
//! | `F-d:W` | a stem of the whole document, for family `F` (value ½) |
//!
//! A fourth regression, `also`, reads the same features and asks whether the text gives the
//! mention's trope two statuses ("the shared-umbrella scene every rainy drama includes
//! arrives in episode one": `present` and `generic`); where it is sure and the status
//! regressions find the second status plausible, the mention gets a second record
//! ([`StatusVote::second`]; the pipeline inserts it as it does rule 11's answers).
//!
//! Leave-one-file-out over the training gold files decided these (see README, "The status
//! stage"); it is on with the learned stage and off with `--no-learned`.

use rustc_hash::FxHashMap;
use serde::Serialize;

use crate::context::Decision;
use crate::learned::model::{StatusModel, MAX_WEIGHT};
use crate::learned::train::Rows;
use crate::lexicon::{Family, Lexicon, Status};
use crate::matcher::Mention;
use crate::token::{normalize_word, Stemmer, Token, TokenKind};

/// What the status stage said of a mention.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct StatusVote {
    /// The status the context engine's rules gave.
    pub rules: Status,
    /// The model's probability for the mention's status: its regression's, divided by the
    /// three regressions' sum. Below the model's `status_threshold` the rules' status
    /// stands, and this is the model's probability for it.
    pub probability: f32,
    /// Whether this record is the stage's second reading of the mention before it (its
    /// `also` regression): the same words, the other of the text's two statuses for them.
    /// `probability` is then the `also` regression's.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub second: bool,
}

/// The kinds of word feature, with their names' prefixes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Before,
    After,
    Before4,
    After4,
    Before1,
    After1,
    FamilyBefore,
    FamilyAfter,
    Previous,
    Next,
    Document,
}

impl Kind {
    const ALL: [Kind; 11] = [
        Kind::Before,
        Kind::After,
        Kind::Before4,
        Kind::After4,
        Kind::Before1,
        Kind::After1,
        Kind::FamilyBefore,
        Kind::FamilyAfter,
        Kind::Previous,
        Kind::Next,
        Kind::Document,
    ];

    /// The name's prefix; family kinds put the family before it (`cliche-b`).
    fn prefix(self) -> &'static str {
        match self {
            Kind::Before => "b",
            Kind::After => "a",
            Kind::Before4 => "b4",
            Kind::After4 => "a4",
            Kind::Before1 => "b1",
            Kind::After1 => "a1",
            Kind::FamilyBefore => "b",
            Kind::FamilyAfter => "a",
            Kind::Previous => "p",
            Kind::Next => "n",
            Kind::Document => "d",
        }
    }

    fn by_family(self) -> bool {
        matches!(
            self,
            Kind::FamilyBefore | Kind::FamilyAfter | Kind::Document
        )
    }

    /// The feature's value: a document word says less of one mention than its sentence does.
    fn value(self) -> f64 {
        if self == Kind::Document {
            0.5
        } else {
            1.0
        }
    }

    /// The name of this kind's feature for `family` and `stem`.
    fn name(self, family: Family, stem: &str) -> String {
        if self.by_family() {
            format!("{}-{}:{stem}", family.as_str(), self.prefix())
        } else {
            format!("{}:{stem}", self.prefix())
        }
    }

    /// The key of a word feature in the compiled tables: kind, family and stem id.
    fn key(self, family: Family, stem: u16) -> u64 {
        let k = self as u64 * 2 + u64::from(self.by_family() && family == Family::Mature);
        k << 32 | u64::from(stem)
    }
}

/// The label features of a mention (those that are no word), as (kind, value, qualifier):
/// the name is `kind:value`, or `kind:value-qualifier` when the qualifier is not empty.
/// Borrowed, so reading them allocates nothing a mention.
fn labels<'a>(
    lex: &'a Lexicon,
    tokens: &[Token],
    m: &Mention,
    d: &Decision,
) -> [(&'static str, &'a str, &'a str); 7] {
    let family = lex.tropes[m.trope as usize].family.as_str();
    let (category, cue) = match d.cue {
        Some(c) => {
            let cue = &lex.cues[c.cue as usize];
            (cue.category.as_str(), cue.pattern.as_str())
        }
        None => ("none", "none"),
    };
    let by = if m.learned.is_some() {
        "model"
    } else {
        "pattern"
    };
    [
        ("rule", d.status.as_str(), ""),
        ("rule-family", d.status.as_str(), family),
        ("category", category, ""),
        ("cue", cue, ""),
        ("family", family, ""),
        ("by", by, ""),
        ("at", position(tokens, m), ""),
    ]
}

/// Where mention `m` stands in its sentence: a bare name that opens a sentence ("Love
/// triangles are the genre's bread and butter") is often talk of the kind, not the show.
fn position(tokens: &[Token], m: &Mention) -> &'static str {
    let word_in = |range: &mut dyn Iterator<Item = &Token>| {
        range
            .take_while(|t| t.sentence == m.sentence)
            .any(|t| t.kind == TokenKind::Word)
    };
    let first = (m.first as usize).min(tokens.len());
    let last = (m.last as usize + 1).min(tokens.len());
    let before = word_in(&mut tokens[..first].iter().rev());
    let after = word_in(&mut tokens[last..].iter());
    match (before, after) {
        (false, true) => "start",
        (true, false) => "end",
        (false, false) => "whole",
        (true, true) => "inside",
    }
}

/// Write a label feature's name into `out`.
fn label_name(out: &mut String, (kind, value, qualifier): (&str, &str, &str)) {
    out.clear();
    out.push_str(kind);
    out.push(':');
    out.push_str(value);
    if !qualifier.is_empty() {
        out.push('-');
        out.push_str(qualifier);
    }
}

/// Call `f(kind, token index)` for each word feature occurrence of mention `m` (repeats
/// included; the callers keep each feature once): the words of its sentence on each side,
/// of the sentences before and after it, and of its neighbourhood ([`NEIGHBOURHOOD`]
/// sentences each side, the mention's own words left out).
fn word_features(tokens: &[Token], m: &Mention, mut f: impl FnMut(Kind, usize)) {
    let s = m.sentence;
    let first = (m.first as usize).min(tokens.len().saturating_sub(1));
    let last = (m.last as usize).clamp(first, tokens.len().saturating_sub(1));
    // The sentence's token range, by binary search (tokens are in sentence order): a walk
    // over the sentence for each of its mentions is quadratic in a run-on one.
    let start = tokens[..first].partition_point(|t| t.sentence < s);
    let end = last + 1 + tokens[last + 1..].partition_point(|t| t.sentence <= s);
    // The words on each side, nearest first, read in place: a mention allocates nothing.
    let is_word = |&i: &usize| tokens[i].kind == TokenKind::Word;
    for (n, i) in (start.max(first.saturating_sub(SIDE))..first)
        .rev()
        .filter(is_word)
        .enumerate()
    {
        f(Kind::Before, i);
        f(Kind::FamilyBefore, i);
        if n < 4 {
            f(Kind::Before4, i);
        }
        if n == 0 {
            f(Kind::Before1, i);
        }
    }
    for (n, i) in (last + 1..end.min(last + 1 + SIDE))
        .filter(is_word)
        .enumerate()
    {
        f(Kind::After, i);
        f(Kind::FamilyAfter, i);
        if n < 4 {
            f(Kind::After4, i);
        }
        if n == 0 {
            f(Kind::After1, i);
        }
    }
    // The sentences before and after: their nearest SIDE tokens.
    if s > 0 {
        let from = tokens[..start].partition_point(|t| t.sentence + 1 < s);
        for i in (from.max(start.saturating_sub(SIDE))..start).rev() {
            if tokens[i].kind == TokenKind::Word {
                f(Kind::Previous, i);
            }
        }
    }
    let to = end + tokens[end..].partition_point(|t| t.sentence <= s + 1);
    for (i, t) in tokens.iter().enumerate().take(to.min(end + SIDE)).skip(end) {
        if t.kind == TokenKind::Word {
            f(Kind::Next, i);
        }
    }
    // The neighbourhood: NEIGHBOURHOOD sentences on each side, the mention's own included,
    // at most REACH tokens each side of the mention.
    let lo = tokens[..start].partition_point(|t| t.sentence + NEIGHBOURHOOD < s);
    let hi = end + tokens[end..].partition_point(|t| t.sentence <= s + NEIGHBOURHOOD);
    let (lo, hi) = (
        lo.max(first.saturating_sub(REACH)),
        hi.min(last + 1 + REACH),
    );
    for (i, t) in tokens.iter().enumerate().take(hi).skip(lo) {
        if t.kind == TokenKind::Word && !(first..=last).contains(&i) {
            f(Kind::Document, i);
        }
    }
}

/// Tokens read on each side of a mention in its sentence, and of the sentences before and
/// after it. Far more than any sentence of the gold holds (79 tokens before a mention at
/// most, 78 after) or of the IMDB corpus (345 and 427), so only a run-on "sentence" of
/// thousands of words is cut short: read whole for each of its mentions, it made the
/// stage's time grow with the square of its length (40,000 unpunctuated words took 47 s).
const SIDE: usize = 512;

/// Tokens read on each side of a mention in its neighbourhood (the gold's widest
/// neighbourhood spans 232 tokens, the IMDB corpus's 725).
const REACH: usize = 1024;

/// Sentences on each side of a mention's whose words are its neighbourhood features
/// (`F-d:`): in a short review, the whole of it; in a long one, the part about the mention.
const NEIGHBOURHOOD: u32 = 3;

/// The feature names of each mention that has a decision, for training: `stems` holds each
/// token's stem (empty for punctuation).
pub(crate) fn mention_feature_names(
    lex: &Lexicon,
    tokens: &[Token],
    stems: &[String],
    mentions: &[Mention],
    decisions: &[Decision],
) -> Vec<Vec<(String, f64)>> {
    mentions
        .iter()
        .zip(decisions)
        .map(|(m, d)| {
            let family = lex.tropes[m.trope as usize].family;
            let mut names: Vec<(String, f64)> = labels(lex, tokens, m, d)
                .into_iter()
                .map(|l| {
                    let mut name = String::new();
                    label_name(&mut name, l);
                    (name, 1.0)
                })
                .collect();
            word_features(tokens, m, |kind, i| {
                names.push((kind.name(family, &stems[i]), kind.value()))
            });
            names.sort_by(|a, b| a.0.cmp(&b.0));
            names.dedup_by(|a, b| a.0 == b.0);
            names
        })
        .collect()
}

/// The status model compiled for inference.
#[derive(Debug)]
pub(crate) struct CompiledStatus {
    /// The probability that overrules the rules.
    threshold: f32,
    /// The probability that overrules a status a cue set.
    cued_threshold: f32,
    /// The `also` probability that gives a mention a second status; above 1 (never)
    /// without one.
    also_threshold: f32,
    /// The share of the three status probabilities the second status needs.
    also_share: f32,
    bias: [f32; 4],
    /// [`Kind::key`] (with the learned model's stem ids) → weights (already multiplied by
    /// the feature's value).
    words: FxHashMap<u64, [f32; 4]>,
    /// Label feature name → weights.
    labels: FxHashMap<String, [f32; 4]>,
}

/// A feature name split into its word kind, family and stem; `None` for a label feature.
fn word_feature(name: &str) -> Option<(Kind, Family, &str)> {
    let (head, stem) = name.split_once(':')?;
    let (family, prefix) = match head.split_once('-') {
        Some(("cliche", p)) => (Some(Family::Cliche), p),
        Some(("mature", p)) => (Some(Family::Mature), p),
        _ => (None, head),
    };
    let kind = Kind::ALL
        .into_iter()
        .find(|k| k.prefix() == prefix && k.by_family() == family.is_some())?;
    Some((kind, family.unwrap_or(Family::Cliche), stem))
}

/// The stems `model`'s word features name, with their lines: the learned model gives them
/// ids beside its own, so the matcher's word cache holds every token's id for both stages
/// and this one stems nothing.
pub(crate) fn word_stems(model: &StatusModel) -> impl Iterator<Item = (&str, usize)> {
    model
        .features
        .iter()
        .filter_map(|(name, _, line)| word_feature(name).map(|(_, _, stem)| (stem, *line)))
}

impl CompiledStatus {
    /// Compile `model`, its stems named by `stem_id` (the learned model's ids, which
    /// [`word_stems`] gave it).
    pub(crate) fn new(model: &StatusModel, stem_id: impl Fn(&str) -> u16) -> CompiledStatus {
        let f32s = |w: &[f64; 4]| w.map(|x| x as f32);
        let mut c = CompiledStatus {
            threshold: model.threshold as f32,
            cued_threshold: model.cued_threshold.unwrap_or(model.threshold) as f32,
            also_threshold: model.also_threshold.map_or(2.0, |t| t as f32),
            also_share: model.also_share.unwrap_or(0.0) as f32,
            bias: f32s(&model.bias),
            words: FxHashMap::default(),
            labels: FxHashMap::default(),
        };
        for (name, w, _) in &model.features {
            match word_feature(name) {
                Some((kind, family, stem)) => {
                    c.words.insert(kind.key(family, stem_id(stem)), f32s(w));
                }
                None => {
                    c.labels.insert(name.clone(), f32s(w));
                }
            }
        }
        c
    }
}

/// One thread's buffers for the status stage.
#[derive(Default)]
pub struct StatusScratch {
    keys: Vec<u64>,
    name: String,
    /// What the stage said of each mention of the current document.
    pub(crate) votes: Vec<Option<StatusVote>>,
    /// The second status the `also` regression gave each mention, and its probability.
    pub(crate) second: Vec<Option<(Status, f32)>>,
}

impl StatusScratch {
    /// No vote for any of `mentions` mentions: the stage is off.
    pub(crate) fn abstain(&mut self, mentions: usize) {
        self.votes.clear();
        self.votes.resize(mentions, None);
        self.second.clear();
        self.second.resize(mentions, None);
    }
}

/// Decide the status of every mention again with the model, in place: each decision whose
/// status the model changes keeps its cue, and `scratch.votes[i]` records what the rules
/// said.
pub(crate) fn apply(
    model: &CompiledStatus,
    lex: &Lexicon,
    tokens: &[Token],
    stems: &[u16],
    mentions: &[Mention],
    decisions: &mut [Decision],
    scratch: &mut StatusScratch,
) {
    scratch.abstain(mentions.len());
    let StatusScratch {
        keys,
        name,
        votes,
        second,
    } = scratch;
    for (i, (m, d)) in mentions.iter().zip(decisions.iter_mut()).enumerate() {
        let family = lex.tropes[m.trope as usize].family;
        let mut z = model.bias;
        let mut add = |w: &[f32; 4]| {
            for (zi, wi) in z.iter_mut().zip(w) {
                *zi += wi;
            }
        };
        for l in labels(lex, tokens, m, d) {
            label_name(name, l);
            if let Some(w) = model.labels.get(name.as_str()) {
                add(w);
            }
        }
        keys.clear();
        word_features(tokens, m, |kind, t| {
            if stems[t] != 0 {
                keys.push(kind.key(family, stems[t]));
            }
        });
        keys.sort_unstable();
        keys.dedup();
        for k in keys.iter() {
            if let Some(w) = model.words.get(k) {
                add(w);
            }
        }
        let mut best = (0..3)
            .max_by(|&a, &b| z[a].total_cmp(&z[b]))
            .expect("three statuses");
        // Each regression's probability, shared out so the three sum to one.
        let p = z.map(|x| 1.0 / (1.0 + (-x).exp()));
        let share = |k: usize| p[k] / p[..3].iter().sum::<f32>();
        // An unsure model leaves the rules' status: in a long article, one mention in
        // many read the other way is a second status the text does not give.
        let bar = if d.cue.is_some() {
            model.cued_threshold
        } else {
            model.threshold
        };
        if share(best) < bar {
            best = d.status as usize;
        }
        votes[i] = Some(StatusVote {
            rules: d.status,
            probability: share(best),
            second: false,
        });
        d.status = Status::ALL[best];
        // The `also` regression's own probability, not shared: a question of its own. The
        // second status of a work's stance is the genre's; of genre talk, the stance the
        // model finds likelier. The status regressions must not rule it out either.
        if p[3] >= model.also_threshold {
            let other = match d.status {
                Status::Present | Status::Absent => Status::Generic,
                Status::Generic if z[0] >= z[1] => Status::Present,
                Status::Generic => Status::Absent,
            };
            if share(other as usize) >= model.also_share {
                second[i] = Some((other, p[3]));
            }
        }
    }
}

/// The stem of every token of `text`'s tokens (empty for punctuation), for training.
pub(crate) fn token_stems(text: &str, tokens: &[Token], stemmer: &Stemmer) -> Vec<String> {
    let mut norm = String::new();
    tokens
        .iter()
        .map(|t| {
            if t.kind == TokenKind::Word {
                normalize_word(t.text(text), &mut norm);
                stemmer.stem(&norm).into_owned()
            } else {
                String::new()
            }
        })
        .collect()
}

/// Train the status model on gold documents: each mention `analyzer` finds (its learned
/// stage on, as set; its status stage left out) of a trope the document's gold labels with
/// exactly one status is an example of that status. Mentions of tropes the gold does not
/// name teach nothing about status and are left out, as are those it names with two
/// statuses, except the `also` regression's examples below, which are examples of both.
///
/// With `also`, a fourth regression is fitted on the mentions of the gold documents'
/// tropes (`examples`, the lexicon's examples, give one status each and so say nothing of
/// a second): does the gold give the mention's trope two statuses? A mention's example of
/// that is one whose sentence holds every mention of its trope in the document, so that
/// it alone must carry both references ("the usual amnesia, but handled with care");
/// where the trope's mentions are spread over several sentences, each may carry one, and
/// such mentions are left out. Its probability gives a mention a second record
/// (`apply`); the mentions rule 11 answers have theirs and are left out too.
///
/// A feature must occur in at least `min_count` examples; weights below `prune` in
/// magnitude are dropped.
pub fn train_status<'a>(
    analyzer: &crate::Analyzer,
    docs: impl IntoIterator<Item = &'a crate::eval::GoldDoc>,
    examples: impl IntoIterator<Item = &'a crate::eval::GoldDoc>,
    also: bool,
    l2: f64,
    min_count: u32,
    prune: f64,
) -> StatusModel {
    let lex = analyzer.lexicon().lexicon();
    let stemmer = Stemmer::new();
    let mut ws = analyzer.workspace();
    let mut statuses: Vec<(usize, Status, Option<Status>)> = Vec::new();
    let mut doubles: Vec<(usize, bool)> = Vec::new();
    let mut mentions: Vec<Vec<(String, f64)>> = Vec::new();
    let docs = docs.into_iter().map(|d| (d, true));
    for (doc, is_gold) in docs.chain(examples.into_iter().map(|d| (d, false))) {
        let text = doc.article.text.as_str();
        analyzer.through_context(&mut ws, text);
        let stems = token_stems(text, &ws.tokens, &stemmer);
        let names = mention_feature_names(lex, &ws.tokens, &stems, &ws.mentions, &ws.decisions);
        for (i, (m, names)) in ws.mentions.iter().zip(names).enumerate() {
            let id = lex.tropes[m.trope as usize].id.as_str();
            let mut labels = doc.gold.iter().filter(|g| g.0 == id).map(|g| g.1);
            let (first, second) = (labels.next(), labels.next());
            let k = mentions.len();
            if let (Some(s), None) = (first, second) {
                statuses.push((k, s, None));
            }
            let alone = || {
                ws.mentions
                    .iter()
                    .all(|o| o.trope != m.trope || o.sentence == m.sentence)
            };
            // Rule 11's answered genre statements have their second record already.
            let answered = ws.answers.iter().any(|a| a.mention == i);
            if also && is_gold && first.is_some() && !answered && alone() {
                doubles.push((k, second.is_some()));
                // Such a mention is an example of both statuses for their regressions.
                if let (Some(a), Some(b)) = (first, second) {
                    statuses.push((k, a, Some(b)));
                }
            }
            mentions.push(names);
        }
    }
    let mut model = StatusModel::default();
    let mut weights: std::collections::BTreeMap<String, [f64; 4]> = Default::default();
    let mut store = |k: usize, (bias, w): (f64, Vec<(&str, f64)>)| {
        model.bias[k] = bias;
        for (name, x) in w {
            weights.entry(name.to_string()).or_default()[k] = x;
        }
    };
    // The three status regressions read the same examples: their features are collected
    // once and fitted once a status.
    let design = Design::new(&mentions, statuses.iter().map(|e| e.0), min_count);
    for (k, status) in Status::ALL.into_iter().enumerate() {
        let y: Vec<bool> = statuses
            .iter()
            .map(|e| e.1 == status || e.2 == Some(status))
            .collect();
        store(k, design.fit(&y, l2, prune));
    }
    if also {
        let design = Design::new(&mentions, doubles.iter().map(|e| e.0), min_count);
        let y: Vec<bool> = doubles.iter().map(|e| e.1).collect();
        store(3, design.fit(&y, l2, prune));
    }
    model.features = weights
        .into_iter()
        .filter(|(_, w)| w.iter().any(|&x| x != 0.0))
        .map(|(n, w)| (n, w, 0))
        .collect();
    model
}

/// Some mentions' features as the trainer reads them: the feature names in at least
/// `min_count` of them (with their values) and each mention's feature indices, for
/// fitting one regression a label over the same examples.
struct Design<'m> {
    vocab: Vec<(&'m str, f64)>,
    rows: Rows,
    value: Vec<f64>,
}

impl<'m> Design<'m> {
    /// The features of `mentions[rows]`.
    fn new(
        mentions: &'m [Vec<(String, f64)>],
        rows: impl Iterator<Item = usize> + Clone,
        min_count: u32,
    ) -> Design<'m> {
        let mut count: std::collections::BTreeMap<&str, (u32, f64)> = Default::default();
        for r in rows.clone() {
            for (n, v) in &mentions[r] {
                count.entry(n.as_str()).or_insert((0, *v)).0 += 1;
            }
        }
        let vocab: Vec<(&str, f64)> = count
            .into_iter()
            .filter(|&(_, (c, _))| c >= min_count.max(1))
            .map(|(n, (_, v))| (n, v))
            .collect();
        let index: FxHashMap<&str, u32> = vocab
            .iter()
            .enumerate()
            .map(|(i, &(n, _))| (n, i as u32))
            .collect();
        let rows: Vec<Vec<u32>> = rows
            .map(|r| {
                let mut f: Vec<u32> = mentions[r]
                    .iter()
                    .filter_map(|(n, _)| index.get(n.as_str()).copied())
                    .collect();
                f.sort_unstable();
                f
            })
            .collect();
        let rows = Rows::new(&rows, vocab.len());
        let value = vocab.iter().map(|&(_, v)| v).collect();
        Design { vocab, rows, value }
    }

    /// One logistic regression with labels `y` (one a row): its bias and (feature name,
    /// weight) pairs, weights folded with the feature's value and pruned. A label the
    /// examples always (or never) have keeps a bias sure to win (or far from it) and no
    /// weights.
    fn fit(&self, y: &[bool], l2: f64, prune: f64) -> (f64, Vec<(&'m str, f64)>) {
        if y.iter().all(|&b| b) || !y.iter().any(|&b| b) {
            let sure = if y.first() == Some(&true) {
                MAX_WEIGHT
            } else {
                -MAX_WEIGHT
            };
            return (sure, Vec::new());
        }
        let data = crate::learned::train::Data {
            rows: &self.rows,
            value: &self.value,
            scale: None,
        };
        let bound = |x: f64| x.clamp(-MAX_WEIGHT, MAX_WEIGHT);
        let (w, b) = crate::learned::train::fit(&data, y, l2);
        let weights = self
            .vocab
            .iter()
            .zip(&w)
            .map(|(&(n, v), wj)| (n, bound(wj * v)))
            .filter(|&(_, x)| x.abs() >= prune)
            .collect();
        (bound(b), weights)
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use crate::lexicon::load::{embedded_engine_files, SourceFile};
    use crate::lexicon::{CompiledLexicon, Lexicon, Status};
    use crate::Analyzer;

    /// An analyzer with the shipped cues, one trope (`amnesia`, pattern "amnesia") and a
    /// model file whose detection part finds nothing and whose status part is `status`.
    fn analyzer(status: &str, learned: bool) -> Analyzer {
        let mut files: Vec<SourceFile> = embedded_engine_files();
        files.push(SourceFile {
            path: "tropes/amnesia.toml".into(),
            text: "id = \"amnesia\"\nname = \"Amnesia\"\nfamily = \"cliche\"\nweight = 1.0\n\
                   description = \"test\"\npatterns = [\"amnesia\"]\n"
                .into(),
        });
        files.push(SourceFile {
            path: crate::learned::MODEL_PATH.into(),
            text: format!("format\t1\nthreshold\t0.5\nbias\tamnesia\t-50\n{status}").into(),
        });
        let mut lexicon = Lexicon::from_files("test", Path::new("test"), files).unwrap();
        lexicon.model.learned = learned;
        Analyzer::new(CompiledLexicon::new(lexicon).unwrap())
    }

    const MODEL: &str = "status_bias\tpresent=1\tabsent=-1\tgeneric=-1\n\
        status\tb:happili\tpresent=-2\tabsent=3\n\
        status\tcliche-d:studio\tgeneric=2.5\n\
        status\tcue:no\tabsent=4\n";

    fn statuses(a: &Analyzer, text: &str) -> Vec<(Status, Option<Status>)> {
        a.analyze_text("t", text)
            .mentions
            .iter()
            .map(|m| (m.decision.status, m.status_vote.map(|v| v.rules)))
            .collect()
    }

    #[test]
    fn the_model_decides_and_says_what_the_rules_said() {
        let a = analyzer(MODEL, true);
        // A word before the mention the rules know nothing of.
        assert_eq!(
            statuses(&a, "Happily the amnesia plot stays out of it."),
            [(Status::Absent, Some(Status::Present))]
        );
        // Its place matters: after the mention it is another feature.
        assert_eq!(
            statuses(&a, "The amnesia plot ends happily."),
            [(Status::Present, Some(Status::Present))]
        );
        // A word anywhere in the document, for the trope's family.
        assert_eq!(
            statuses(&a, "The amnesia plot returns. Studios adore it."),
            [(Status::Generic, Some(Status::Present))]
        );
        // The rules' cue is a feature.
        assert_eq!(
            statuses(&a, "No amnesia."),
            [(Status::Absent, Some(Status::Absent))]
        );
        let m = &a
            .analyze_text("t", "Happily the amnesia plot stays out.")
            .mentions[0];
        let p = m.status_vote.unwrap().probability;
        assert!(p > 0.5 && p < 1.0, "{p}");
    }

    #[test]
    fn a_status_a_cue_set_needs_the_higher_bar() {
        // The word after the mention gives `generic` a share of about 0.77: over the
        // threshold, under the cued one.
        let model = "status_threshold\t0.6\nstatus_cued_threshold\t0.8\n\
            status_bias\tpresent=-2\tabsent=-2\tgeneric=-2\n\
            status\ta1:plot\tgeneric=3.5\n";
        let a = analyzer(model, true);
        assert_eq!(
            statuses(&a, "The amnesia plot returns."),
            [(Status::Generic, Some(Status::Present))]
        );
        assert_eq!(
            statuses(&a, "No amnesia plot returns."),
            [(Status::Absent, Some(Status::Absent))]
        );
        // Without the cued line, one bar for both.
        let a = analyzer(&model.replace("status_cued_threshold\t0.8\n", ""), true);
        assert_eq!(
            statuses(&a, "No amnesia plot returns."),
            [(Status::Generic, Some(Status::Absent))]
        );
    }

    #[test]
    fn the_also_regression_gives_a_second_record() {
        // "twice" after the mention: the `also` regression is sure, and `generic` has about
        // 0.27 of the shared probability; "green" raises it to about 0.5.
        let model = "status_threshold\t0.6\nstatus_also_threshold\t0.5\n\
            status_also_share\t0.3\n\
            status_bias\tpresent=1\tabsent=-3\tgeneric=-1\talso=-3\n\
            status\ta:twice\talso=6\n\
            status\ta:green\tgeneric=1\n";
        let records = |a: &Analyzer, text: &str| -> Vec<(Status, bool)> {
            a.analyze_text("t", text)
                .mentions
                .iter()
                .map(|m| (m.decision.status, m.status_vote.is_some_and(|v| v.second)))
                .collect()
        };
        let a = analyzer(model, true);
        // The work's stance gets the genre's status as a second record.
        assert_eq!(
            records(&a, "The amnesia plot, twice, green."),
            [(Status::Present, false), (Status::Generic, true)]
        );
        // Under the share the status regressions give the second status, none.
        assert_eq!(
            records(&a, "The amnesia plot, twice."),
            [(Status::Present, false)]
        );
        // Without the regression's word, none.
        assert_eq!(
            records(&a, "The amnesia plot, green."),
            [(Status::Present, false)]
        );
        // A status the document gives the trope elsewhere is not given twice.
        let a = analyzer(
            &format!("{model}status\tb:studio\tpresent=-4\tgeneric=6\n"),
            true,
        );
        assert_eq!(
            records(&a, "Studios adore amnesia. The amnesia plot, twice, green."),
            [(Status::Generic, false), (Status::Present, false)]
        );
        // A model without the `also` lines gives no second record.
        let plain = model
            .replace("status_also_threshold\t0.5\n", "")
            .replace("status_also_share\t0.3\n", "");
        let a = analyzer(&plain, true);
        assert_eq!(
            records(&a, "The amnesia plot, twice, green."),
            [(Status::Present, false)]
        );
    }

    #[test]
    fn the_nearest_words_and_the_place_in_the_sentence_are_features() {
        let a = analyzer(
            "status_bias\tpresent=1\tabsent=-1\tgeneric=-1\n\
             status\tat:start\tgeneric=3\n\
             status\ta1:remain\tabsent=4\n",
            true,
        );
        let cases = [
            // A name that opens its sentence, and one that does not.
            ("Amnesia plots sell.", Status::Generic),
            ("Here the amnesia plot sells.", Status::Present),
            // Punctuation before it is no word: the name still opens the sentence.
            ("\"Amnesia plots sell.\"", Status::Generic),
            // The nearest word after it, and only the nearest.
            ("Her amnesia remains.", Status::Absent),
            ("Her amnesia plot remains.", Status::Present),
        ];
        for (text, status) in cases {
            assert_eq!(
                statuses(&a, text),
                [(status, Some(Status::Present))],
                "{text}"
            );
        }
    }

    #[test]
    fn a_run_on_sentence_is_read_near_the_mention_only() {
        let a = analyzer(MODEL, true);
        // "Happily" before the mention, as in the first test: read when it is near...
        let near = format!("Happily{} the amnesia plot.", " and then".repeat(100));
        assert_eq!(
            statuses(&a, &near),
            [(Status::Absent, Some(Status::Present))]
        );
        // ...and past SIDE tokens of an unpunctuated run, not: each mention of such a
        // "sentence" reads a bounded stretch of it, so the document's time stays linear.
        let far = format!("Happily{} the amnesia plot.", " and then".repeat(400));
        assert_eq!(
            statuses(&a, &far),
            [(Status::Present, Some(Status::Present))]
        );
    }

    #[test]
    fn word_features_reads_at_most_side_and_reach_tokens_of_a_mention() {
        use crate::matcher::Mention;
        let text = "word ".repeat(20_000);
        let tokens = crate::token::tokenize(&text);
        assert_eq!(tokens.last().unwrap().sentence, 0, "one sentence");
        let at = 10_000;
        let m = Mention {
            trope: 0,
            pattern: 0,
            first: at,
            last: at,
            start: tokens[at as usize].start,
            end: tokens[at as usize].end,
            sentence: 0,
            sentence_start: 0,
            sentence_end: text.len(),
            learned: None,
        };
        let (mut sides, mut document) = (0, 0);
        super::word_features(&tokens, &m, |kind, i| {
            assert!(i.abs_diff(at as usize) <= super::REACH.max(super::SIDE));
            match kind {
                super::Kind::Before | super::Kind::After => sides += 1,
                super::Kind::Document => document += 1,
                _ => {}
            }
        });
        assert_eq!(sides, 2 * super::SIDE);
        assert_eq!(document, 2 * super::REACH);
    }

    #[test]
    fn off_with_the_learned_stage_or_without_status_lines() {
        for a in [analyzer(MODEL, false), analyzer("", true)] {
            assert_eq!(
                statuses(&a, "Happily the amnesia plot stays out of it."),
                [(Status::Present, None)]
            );
        }
    }
}
