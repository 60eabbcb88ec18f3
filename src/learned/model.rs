//! The learned model's file, `lexicons/learned.tsv`: the only code that knows its format.
//!
//! It is data beside the curated lexicon, written by `tropescope lexicon train` and read with
//! the other lexicon files (so it is embedded, read by `--lexicon DIR`, and part of the
//! fingerprint). Tab-separated lines, one fact a line, so a retrain reads as a diff:
//!
//! ```text
//! # comments and blank lines are ignored
//! format      1
//! threshold   0.6            probability at which the stage emits a mention
//! window      1              sentences on each side of a window's middle sentence
//! weighting   binary         binary | idf (idf is folded into the weights below)
//! l2          1              the training's L2 penalty
//! min_count   2              passages a feature had to occur in to be learned
//! max_share   0.05           the largest share of passages it could occur in
//! prune       0.05           smaller |weight|s were dropped
//! source      data/gold/dev.jsonl   223      a training file and its passages
//! cluster     misplac        7              a word cluster: this stem also counts as feature #7 (optional)
//! bias        amnesia        -3.5           one line a trope
//! feature     love triangl   love-triangle=2.1   second-lead=0.4
//! document_threshold 0.3    probability at which the document regression emits a mention (optional)
//! document_bias amnesia  -6.1           the document regression's biases, one line a trope
//! document    love triangl   love-triangle=1.4                the document regression's weights
//! status_threshold 0.7        the status model's probability that overrules the rules
//! status_cued_threshold 0.8   the same, for a status a cue set (optional: the above)
//! status_also_threshold 0.5  the probability that gives a mention a second status (optional)
//! status_also_share 0.3      the share of the status probabilities that status needs (optional)
//! status_bias present=0.3    absent=-1.2    generic=-1.5     the status stage's biases
//! status      b:never        present=-0.8   absent=1.1       a status feature's weights
//! ```
//!
//! The `document` lines are a second regression per trope, fitted on whole documents (the
//! gold passages, and whole background documents instead of windows), which scores a whole
//! document once ([`DocumentModel`]). The `status` lines are the status stage's model ([`crate::status`]): one regression per
//! status over a mention's context, present only when training gave one.
//!
//! A feature is one stem or two adjacent stems separated by a space, as the project's own
//! tokeniser and stemmer give them, or a word cluster `#N`, which every word whose stem a
//! `cluster` line gives cluster N counts as (see [`super::train::passage_features`]; a
//! model trained without `--clusters` has none). Parsing never panics; any bad line is an
//! error naming the file and line.

use rustc_hash::{FxHashMap, FxHashSet};
use std::fmt::Write as _;
use std::path::Path;

use crate::error::{Error, Result};

/// The path of the model inside a lexicon folder.
pub const MODEL_PATH: &str = "learned.tsv";

/// The format version this code reads and writes.
const FORMAT: u32 = 1;

/// The largest bias or weight a model file may hold: inference keeps sums in fixed point
/// and clamps each value to this ([`super::fixed`]), so a larger one would be read as
/// something it is not.
pub(crate) const MAX_WEIGHT: f64 = 50.0;

/// How feature values were set in training.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Weighting {
    /// 1 where the feature occurs in the passage.
    #[default]
    Binary,
    /// The feature's smoothed inverse document frequency where it occurs. The file's weights
    /// already include it, so inference is the same as for `Binary`.
    Idf,
}

impl Weighting {
    /// The name used in the file and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Weighting::Binary => "binary",
            Weighting::Idf => "idf",
        }
    }

    fn parse(s: &str) -> Option<Weighting> {
        match s {
            "binary" => Some(Weighting::Binary),
            "idf" => Some(Weighting::Idf),
            _ => None,
        }
    }
}

/// A trope id in a feature line's weights, shared by every line that weighs the trope.
pub type TropeId = std::sync::Arc<str>;

/// One feature line: the words and each trope's weight.
#[derive(Clone, Debug, PartialEq)]
pub struct FeatureLine {
    /// One stem, or two adjacent stems.
    pub words: Vec<String>,
    /// (trope id, weight), sorted by trope id; each id is shared by all the lines that
    /// weigh its trope (a model names a few dozen tropes in far more weights).
    pub weights: Vec<(TropeId, f64)>,
    /// 1-based line in the file (0 for a model not read from a file).
    pub line: usize,
}

/// A trained model: settings, provenance, one bias a trope and the features' weights.
#[derive(Clone, Debug, PartialEq)]
pub struct LearnedModel {
    /// The probability at or above which the stage emits a mention.
    pub threshold: f64,
    /// Sentences on each side of a window's middle sentence.
    pub window: u32,
    /// How feature values were set in training.
    pub weighting: Weighting,
    /// The L2 penalty training used.
    pub l2: f64,
    /// The fewest training passages a feature occurred in.
    pub min_count: u32,
    /// The largest share of the training passages a feature occurred in.
    pub max_share: f64,
    /// Weights smaller than this in magnitude were dropped.
    pub prune: f64,
    /// Training files (or `lexicon examples`) and how many passages each gave.
    pub sources: Vec<(String, usize)>,
    /// (trope id, bias, line), sorted by trope id.
    pub biases: Vec<(String, f64, usize)>,
    /// Word clusters: (stem, cluster, line), sorted by stem in a trained model (a file's
    /// are kept in its order). A word whose stem is listed
    /// also counts as its cluster's feature, `#N` (see [`super::train::passage_features`]);
    /// only the stems of clusters some feature line weighs are kept.
    pub clusters: Vec<(String, u32, usize)>,
    /// Features, sorted by their words.
    pub features: Vec<FeatureLine>,
    /// The document regression, when the file has one.
    pub document: Option<DocumentModel>,
    /// The status stage's model, when the file has one.
    pub status: Option<StatusModel>,
}

/// The document regression: one logistic regression per trope over the same kind of
/// features, fitted on whole documents, so that a review which describes a quality across
/// many sentences (a couple who talk things through, an unhurried romance), each sentence
/// too weak for a window, is still read as referring to it (README, "The learned stage").
#[derive(Clone, Debug, PartialEq, Default)]
pub struct DocumentModel {
    /// The probability at or above which it emits a mention of a trope the document has no
    /// other mention of.
    pub threshold: f64,
    /// (trope id, bias, line), sorted by trope id.
    pub biases: Vec<(String, f64, usize)>,
    /// Features, sorted by their words.
    pub features: Vec<FeatureLine>,
}

/// The status stage's model: a bias and weights for each of the three statuses (present,
/// absent, generic, in [`crate::lexicon::Status`] order), over named context features
/// (see [`crate::status`] for what the names mean).
#[derive(Clone, Debug, PartialEq, Default)]
pub struct StatusModel {
    /// The probability the model's status needs to overrule the rules' (0: it always
    /// decides).
    pub threshold: f64,
    /// The probability it needs to overrule a status a context cue set (`None`: the
    /// same as `threshold`). A cued status is the rules' surest: a higher bar keeps a
    /// retrain's drift near `threshold` off it (README, "The status stage").
    pub cued_threshold: Option<f64>,
    /// The probability of the `also` regression (the text gives the trope a second status:
    /// the genre's habit and this work's answer to it) that gives a mention a second
    /// record; `None`: no mention gets one.
    pub also_threshold: Option<f64>,
    /// The share of the three status regressions' probabilities the second status needs
    /// (`None`: any).
    pub also_share: Option<f64>,
    /// Each status's bias, then the `also` regression's.
    pub bias: [f64; 4],
    /// (feature name, each status's weight and `also`'s, line), sorted by name; a weight
    /// of 0 is not written.
    pub features: Vec<(String, [f64; 4], usize)>,
}

/// The regressions' names in a `status` line, in the order of [`StatusModel::bias`]: the
/// three statuses, then `also` (a second status).
pub(crate) const STATUS_NAMES: [&str; 4] = ["present", "absent", "generic", "also"];

impl LearnedModel {
    /// Set [`LearnedModel::clusters`] to the stems of `all` whose cluster's feature some
    /// line (the windows' or the document regression's) weighs: the others would add
    /// nothing but lookups.
    pub fn keep_clusters(&mut self, all: &super::train::Clusters) {
        let document = self.document.as_ref().map_or(&[][..], |d| &d.features[..]);
        let used: FxHashSet<u32> = self
            .features
            .iter()
            .chain(document)
            .filter_map(|f| match &f.words[..] {
                [w] => w.strip_prefix('#')?.parse().ok(),
                _ => None,
            })
            .collect();
        self.clusters = all
            .iter()
            .filter(|(_, c)| used.contains(c))
            .map(|(stem, &c)| (stem.clone(), c, 0))
            .collect();
    }

    /// Every trope id the model names, with its line: the windows' biases, the document
    /// regression's, then every feature line's weights (the windows', the document's).
    pub fn trope_refs(&self) -> impl Iterator<Item = (&str, usize)> {
        let document = self.document.as_ref();
        let biases = (self.biases.iter())
            .chain(document.into_iter().flat_map(|d| &d.biases))
            .map(|(id, _, line)| (id.as_str(), *line));
        let weights = (self.features.iter())
            .chain(document.into_iter().flat_map(|d| &d.features))
            .flat_map(|f| f.weights.iter().map(move |(id, _)| (&**id, f.line)));
        biases.chain(weights)
    }

    /// The biases and weights written at the file's bound (±50, `MAX_WEIGHT`) because
    /// training went past it, as `trope` or `trope on "feature"`: the model then differs
    /// from the one trained, so a trainer should say so.
    pub fn at_bound(&self) -> Vec<String> {
        let at = |x: f64| x.abs() >= MAX_WEIGHT;
        let mut out: Vec<String> = self
            .biases
            .iter()
            .filter(|(_, b, _)| at(*b))
            .map(|(id, ..)| id.clone())
            .collect();
        for f in &self.features {
            for (id, w) in &f.weights {
                if at(*w) {
                    out.push(format!("{id} on {:?}", f.words.join(" ")));
                }
            }
        }
        if let Some(d) = &self.document {
            out.extend(
                d.biases
                    .iter()
                    .filter(|(_, b, _)| at(*b))
                    .map(|(id, ..)| format!("{id} (document)")),
            );
            for f in &d.features {
                for (id, w) in &f.weights {
                    if at(*w) {
                        out.push(format!("{id} on {:?} (document)", f.words.join(" ")));
                    }
                }
            }
        }
        if let Some(st) = &self.status {
            for (k, name) in STATUS_NAMES.iter().enumerate() {
                if at(st.bias[k]) {
                    out.push(format!("the status stage's {name} bias"));
                }
                for (f, w, _) in &st.features {
                    if at(w[k]) {
                        out.push(format!("{name} on status feature {f:?}"));
                    }
                }
            }
        }
        out
    }

    /// Parse the model file `text`; `path` names it in errors.
    pub fn parse(path: &Path, text: &str) -> Result<LearnedModel> {
        let err = |line: usize, msg: String| {
            Error::lexicon(
                path,
                Some(line),
                msg,
                Some(
                    "learned.tsv is written by `tropescope lexicon train`; retrain rather than \
                     edit it"
                        .into(),
                ),
            )
        };
        let mut m = LearnedModel {
            threshold: f64::NAN,
            window: 0,
            weighting: Weighting::Binary,
            l2: 0.0,
            min_count: 0,
            max_share: 1.0,
            prune: 0.0,
            sources: Vec::new(),
            biases: Vec::new(),
            clusters: Vec::new(),
            features: Vec::new(),
            document: None,
            status: None,
        };
        let mut cluster_stems: FxHashSet<&str> = FxHashSet::default();
        let mut format = None;
        let mut document_bias_ids: FxHashSet<&str> = FxHashSet::default();
        let mut document_keys: FxHashSet<&str> = FxHashSet::default();
        let mut status_names: FxHashSet<&str> = FxHashSet::default();
        // Keys borrow the text: the check allocates nothing a line.
        let mut bias_ids: FxHashSet<&str> = FxHashSet::default();
        let mut feature_keys: FxHashSet<&str> = FxHashSet::default();
        // Each trope id once, shared by the weights that name it.
        let mut trope_ids: FxHashMap<&str, TropeId> = FxHashMap::default();
        // One buffer for every line's fields: a model has some 14,000 lines.
        let mut fields: Vec<&str> = Vec::new();
        for (i, raw) in text.lines().enumerate() {
            let n = i + 1;
            let line = raw.trim_end_matches('\r');
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            fields.clear();
            fields.extend(line.split('\t'));
            let want = |k: usize| -> Result<()> {
                if fields.len() == k {
                    Ok(())
                } else {
                    Err(err(
                        n,
                        format!(
                            "`{}` takes {} tab-separated fields, found {}",
                            fields[0],
                            k - 1,
                            fields.len() - 1
                        ),
                    ))
                }
            };
            let number = |s: &str| -> Result<f64> {
                s.parse::<f64>()
                    .ok()
                    .filter(|x| x.is_finite())
                    .ok_or_else(|| err(n, format!("{s:?} is not a finite number")))
            };
            // A bias or weight beyond this is no trained value (L2 keeps weights within a
            // few units; a bias trained against a large background corpus goes to −15 or
            // so) and would be clamped at inference: refused instead, with its line.
            let weight = |s: &str| -> Result<f64> {
                let w = number(s)?;
                if w.abs() > MAX_WEIGHT {
                    return Err(err(n, format!("weight {w} is beyond ±{MAX_WEIGHT}")));
                }
                Ok(w)
            };
            let count = |s: &str| -> Result<u32> {
                s.parse::<u32>()
                    .map_err(|_| err(n, format!("{s:?} is not a whole number")))
            };
            match fields[0] {
                "format" => {
                    want(2)?;
                    let v = count(fields[1])?;
                    if v != FORMAT {
                        return Err(err(
                            n,
                            format!("format {v} is not the one this version reads ({FORMAT})"),
                        ));
                    }
                    format = Some(v);
                }
                "threshold" => {
                    want(2)?;
                    let t = number(fields[1])?;
                    if !(t > 0.0 && t < 1.0) {
                        return Err(err(n, format!("threshold {t} is not between 0 and 1")));
                    }
                    m.threshold = t;
                }
                "window" => {
                    want(2)?;
                    let w = count(fields[1])?;
                    if w > 10 {
                        return Err(err(n, format!("window {w} is more than 10 sentences")));
                    }
                    m.window = w;
                }
                "weighting" => {
                    want(2)?;
                    m.weighting = Weighting::parse(fields[1]).ok_or_else(|| {
                        err(n, format!("weighting {:?} is not binary or idf", fields[1]))
                    })?;
                }
                "l2" => {
                    want(2)?;
                    m.l2 = number(fields[1])?;
                }
                "min_count" => {
                    want(2)?;
                    m.min_count = count(fields[1])?;
                }
                "max_share" => {
                    want(2)?;
                    m.max_share = number(fields[1])?;
                }
                "prune" => {
                    want(2)?;
                    m.prune = number(fields[1])?;
                }
                "source" => {
                    want(3)?;
                    let rows = count(fields[2])?;
                    m.sources.push((fields[1].to_string(), rows as usize));
                }
                "bias" | "document_bias" => {
                    want(3)?;
                    let id = fields[1];
                    let (seen, biases) = if fields[0] == "bias" {
                        (&mut bias_ids, &mut m.biases)
                    } else {
                        let d = m.document.get_or_insert_with(DocumentModel::default);
                        (&mut document_bias_ids, &mut d.biases)
                    };
                    if !seen.insert(id) {
                        return Err(err(n, format!("a second {} for trope {id:?}", fields[0])));
                    }
                    biases.push((id.to_string(), weight(fields[2])?, n));
                }
                "cluster" => {
                    want(3)?;
                    let stem = fields[1];
                    if !super::train::is_cluster_stem(stem) {
                        return Err(err(n, format!("{stem:?} is no stem")));
                    }
                    if !cluster_stems.insert(stem) {
                        return Err(err(n, format!("stem {stem:?} has a second cluster")));
                    }
                    m.clusters.push((stem.to_string(), count(fields[2])?, n));
                }
                "document_threshold" => {
                    want(2)?;
                    let t = number(fields[1])?;
                    if !(t > 0.0 && t < 1.0) {
                        return Err(err(
                            n,
                            format!("document threshold {t} is not between 0 and 1"),
                        ));
                    }
                    m.document
                        .get_or_insert_with(DocumentModel::default)
                        .threshold = t;
                }
                "feature" | "document" => {
                    if fields.len() < 3 {
                        return Err(err(n, "a feature line needs its words and a weight".into()));
                    }
                    let words: Vec<String> = fields[1].split(' ').map(str::to_string).collect();
                    if words.len() > 2 || words.iter().any(|w| w.is_empty()) {
                        return Err(err(
                            n,
                            format!("feature {:?} is not one word or two", fields[1]),
                        ));
                    }
                    let keys = if fields[0] == "feature" {
                        &mut feature_keys
                    } else {
                        &mut document_keys
                    };
                    if !keys.insert(fields[1]) {
                        return Err(err(n, format!("feature {:?} is listed twice", fields[1])));
                    }
                    let mut weights: Vec<(TropeId, f64)> = Vec::with_capacity(fields.len() - 2);
                    for f in &fields[2..] {
                        let Some((id, w)) = f.split_once('=') else {
                            return Err(err(n, format!("{f:?} is not trope=weight")));
                        };
                        // A line holds a few weights: a scan beats a set.
                        if weights.iter().any(|(seen, _)| **seen == *id) {
                            return Err(err(n, format!("trope {id:?} is weighted twice")));
                        }
                        let id = trope_ids.entry(id).or_insert_with(|| TropeId::from(id));
                        weights.push((id.clone(), weight(w)?));
                    }
                    let line = FeatureLine {
                        words,
                        weights,
                        line: n,
                    };
                    if fields[0] == "feature" {
                        m.features.push(line);
                    } else {
                        m.document
                            .get_or_insert_with(DocumentModel::default)
                            .features
                            .push(line);
                    }
                }
                "status_threshold"
                | "status_cued_threshold"
                | "status_also_threshold"
                | "status_also_share" => {
                    want(2)?;
                    let t = number(fields[1])?;
                    if !(0.0..1.0).contains(&t) {
                        let what = fields[0].replace('_', " ");
                        return Err(err(n, format!("{what} {t} is not in [0, 1)")));
                    }
                    let st = m.status.get_or_insert_with(StatusModel::default);
                    match fields[0] {
                        "status_threshold" => st.threshold = t,
                        "status_cued_threshold" => st.cued_threshold = Some(t),
                        "status_also_threshold" => st.also_threshold = Some(t),
                        _ => st.also_share = Some(t),
                    }
                }
                "status_bias" | "status" => {
                    let named = fields[0] == "status";
                    let skip = 1 + usize::from(named);
                    if fields.len() < skip + 1 || fields[skip - 1].is_empty() {
                        return Err(err(
                            n,
                            format!("a `{}` line needs a name and weights", fields[0]),
                        ));
                    }
                    let mut w = [0.0; 4];
                    let mut seen = [false; 4];
                    for f in &fields[skip..] {
                        let (k, v) = f
                            .split_once('=')
                            .ok_or_else(|| err(n, format!("{f:?} is not status=weight")))?;
                        let Some(i) = STATUS_NAMES.iter().position(|s| *s == k) else {
                            return Err(err(
                                n,
                                format!("{k:?} is not present, absent, generic or also"),
                            ));
                        };
                        if std::mem::replace(&mut seen[i], true) {
                            return Err(err(n, format!("status {k:?} is weighted twice")));
                        }
                        w[i] = weight(v)?;
                    }
                    let model = m.status.get_or_insert_with(StatusModel::default);
                    if !named {
                        model.bias = w;
                    } else if !status_names.insert(fields[1]) {
                        return Err(err(
                            n,
                            format!("status feature {:?} is listed twice", fields[1]),
                        ));
                    } else {
                        model.features.push((fields[1].to_string(), w, n));
                    }
                }
                other => {
                    return Err(err(n, format!("unknown line kind {other:?}")));
                }
            }
        }
        let missing = |what: &str| {
            Error::lexicon(
                path,
                None,
                format!("no `{what}` line"),
                Some("learned.tsv is written by `tropescope lexicon train`".into()),
            )
        };
        if format.is_none() {
            return Err(missing("format"));
        }
        if m.threshold.is_nan() {
            return Err(missing("threshold"));
        }
        if m.document.as_ref().is_some_and(|d| d.threshold == 0.0) {
            return Err(missing("document_threshold"));
        }
        Ok(m)
    }

    /// The file's text: settings, sources, biases and features in a fixed order, numbers
    /// with a fixed number of decimals, so the same model always writes the same bytes.
    pub fn to_text(&self) -> String {
        let mut s = String::new();
        s.push_str(
            "# The learned stage's model: one L2-regularised logistic regression per trope over\n\
             # stemmed words and adjacent word pairs, trained by `tropescope lexicon train`\n\
             # (see README.md, \"The learned stage\"). Retrain rather than edit by hand.\n",
        );
        let _ = writeln!(s, "format\t{FORMAT}");
        let _ = writeln!(s, "threshold\t{}", self.threshold);
        let _ = writeln!(s, "window\t{}", self.window);
        let _ = writeln!(s, "weighting\t{}", self.weighting.as_str());
        let _ = writeln!(s, "l2\t{}", self.l2);
        let _ = writeln!(s, "min_count\t{}", self.min_count);
        let _ = writeln!(s, "max_share\t{}", self.max_share);
        let _ = writeln!(s, "prune\t{}", self.prune);
        for (name, rows) in &self.sources {
            let _ = writeln!(s, "source\t{name}\t{rows}");
        }
        for (stem, c, _) in &self.clusters {
            let _ = writeln!(s, "cluster\t{stem}\t{c}");
        }
        for (id, b, _) in &self.biases {
            let _ = writeln!(s, "bias\t{id}\t{}", fixed(*b));
        }
        let features = |s: &mut String, kind: &str, features: &[FeatureLine]| {
            for f in features {
                let _ = write!(s, "{kind}\t{}", f.words.join(" "));
                for (id, w) in &f.weights {
                    let _ = write!(s, "\t{id}={}", fixed(*w));
                }
                s.push('\n');
            }
        };
        features(&mut s, "feature", &self.features);
        if let Some(d) = &self.document {
            let _ = writeln!(s, "document_threshold\t{}", d.threshold);
            for (id, b, _) in &d.biases {
                let _ = writeln!(s, "document_bias\t{id}\t{}", fixed(*b));
            }
            features(&mut s, "document", &d.features);
        }
        if let Some(st) = &self.status {
            let weights = |s: &mut String, w: &[f64; 4]| {
                for (name, x) in STATUS_NAMES.iter().zip(w) {
                    if *x != 0.0 {
                        let _ = write!(s, "\t{name}={}", fixed(*x));
                    }
                }
                s.push('\n');
            };
            let _ = writeln!(s, "status_threshold\t{}", st.threshold);
            if let Some(t) = st.cued_threshold {
                let _ = writeln!(s, "status_cued_threshold\t{t}");
            }
            if let Some(t) = st.also_threshold {
                let _ = writeln!(s, "status_also_threshold\t{t}");
            }
            if let Some(t) = st.also_share {
                let _ = writeln!(s, "status_also_share\t{t}");
            }
            s.push_str("status_bias");
            // Every bias is written, zero or not: the line must name one. `also`'s only
            // with its threshold, so a model without it keeps its bytes.
            let biases = if st.also_threshold.is_some() { 4 } else { 3 };
            for (name, x) in STATUS_NAMES.iter().zip(&st.bias).take(biases) {
                let _ = write!(s, "\t{name}={}", fixed(*x));
            }
            s.push('\n');
            // A line of zero weights would name no weight, and says nothing.
            for (name, w, _) in st.features.iter().filter(|f| f.1.iter().any(|&x| x != 0.0)) {
                let _ = write!(s, "status\t{name}");
                weights(&mut s, w);
            }
        }
        s
    }
}

/// `x` with four decimals and no negative zero.
fn fixed(x: f64) -> String {
    let s = format!("{x:.4}");
    if s == "-0.0000" {
        "0.0000".into()
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const GOOD: &str = "format\t1\nthreshold\t0.6\nwindow\t1\nweighting\tidf\nl2\t1\n\
        min_count\t2\nprune\t0.05\nsource\ta.jsonl\t3\nbias\tamnesia\t-2.5000\n\
        feature\tamnesia\tamnesia=3.0000\nfeature\tlost memori\tamnesia=1.2500\tchaebol=-0.1000\n\
        status_threshold\t0.6\nstatus_cued_threshold\t0.7\n\
        status_bias\tpresent=0.5000\tabsent=-1.0000\tgeneric=-1.5000\n\
        status\tb:spare\tabsent=2.0000\n\
        status\tcue:so many dramas\tpresent=-1.0000\tgeneric=1.2500\n";

    #[test]
    fn a_written_model_reads_back_the_same() {
        let m = LearnedModel::parse(Path::new("learned.tsv"), GOOD).unwrap();
        assert_eq!(m.threshold, 0.6);
        assert_eq!(m.weighting, Weighting::Idf);
        assert_eq!(m.features[1].words, ["lost", "memori"]);
        assert_eq!(m.features[1].weights[1], ("chaebol".into(), -0.1));
        let again = LearnedModel::parse(Path::new("x"), &m.to_text()).unwrap();
        assert_eq!(again.to_text(), m.to_text());
        assert_eq!(again.biases[0].0, "amnesia");
        let st = again.status.expect("the status stage's lines");
        assert_eq!(st.bias, [0.5, -1.0, -1.5, 0.0]);
        assert_eq!(st.threshold, 0.6);
        assert_eq!(st.cued_threshold, Some(0.7));
        assert_eq!(st.features[0].0, "b:spare");
        assert_eq!(st.features[0].1, [0.0, 2.0, 0.0, 0.0]);
        assert_eq!(st.features[1].0, "cue:so many dramas");
        assert_eq!((st.also_threshold, st.also_share), (None, None));
        // The `also` regression's lines: written only when it was fitted.
        let also = GOOD
            .replace(
                "status_bias\tpresent=0.5000\tabsent=-1.0000\tgeneric=-1.5000\n",
                "status_also_threshold\t0.5\nstatus_also_share\t0.3\n\
                 status_bias\tpresent=0.5000\tabsent=-1.0000\tgeneric=-1.5000\talso=-3.0000\n",
            )
            .replace("absent=2.0000\n", "absent=2.0000\talso=1.5000\n");
        let m = LearnedModel::parse(Path::new("learned.tsv"), &also).unwrap();
        assert!(m
            .to_text()
            .ends_with(&also[also.find("status_threshold").unwrap()..]));
        let st = m.status.expect("the status stage's lines");
        assert_eq!((st.also_threshold, st.also_share), (Some(0.5), Some(0.3)));
        assert_eq!(st.bias, [0.5, -1.0, -1.5, -3.0]);
        assert_eq!(st.features[0].1, [0.0, 2.0, 0.0, 1.5]);
    }

    #[test]
    fn the_document_regression_reads_back_the_same() {
        let doc = GOOD.replace(
            "status_threshold",
            "document_threshold\t0.6\ndocument_bias\tamnesia\t-7.0000\n\
             document\tforget\tamnesia=2.5000\tchaebol=-0.7000\n\
             document\tlove triangl\tamnesia=-1.0000\nstatus_threshold",
        );
        let m = LearnedModel::parse(Path::new("learned.tsv"), &doc).unwrap();
        let d = m.document.as_ref().expect("the document lines");
        assert_eq!(d.threshold, 0.6);
        assert_eq!(d.biases, [("amnesia".to_string(), -7.0, 13)]);
        assert_eq!(d.features[0].words, ["forget"]);
        assert_eq!(d.features[1].words, ["love", "triangl"]);
        assert_eq!(d.features[0].weights[1], ("chaebol".into(), -0.7));
        // The windows' own lines are untouched, and the text is written back whole.
        assert_eq!(m.features.len(), 2);
        assert_eq!(
            m.to_text(),
            LearnedModel::parse(Path::new("x"), &m.to_text())
                .unwrap()
                .to_text()
        );
        assert!(m
            .to_text()
            .contains("document\tforget\tamnesia=2.5000\tchaebol=-0.7000\n"));
        // A model without them keeps its bytes.
        let plain = LearnedModel::parse(Path::new("learned.tsv"), GOOD).unwrap();
        assert!(!plain.to_text().contains("document"));
    }

    #[test]
    fn errors_name_the_file_and_line() {
        for (bad, line, what) in [
            ("threshold\t1.5", 2, "between 0 and 1"),
            ("feature\ta b c\tamnesia=1", 2, "one word or two"),
            ("feature\tamnesia\tamnesia:1", 2, "trope=weight"),
            ("bias\tamnesia\tNaN", 2, "finite"),
            ("bias\tamnesia\t52.5", 2, "beyond ±50"),
            ("feature\tamnesia\tamnesia=-400", 2, "beyond ±50"),
            ("weights\tamnesia", 2, "unknown line kind"),
            ("window\t1\t2", 2, "1 tab-separated fields, found 2"),
            ("status\tb:x\tpresent=1\tpresent=2", 2, "weighted twice"),
            (
                "status\tb:x\tmaybe=1",
                2,
                "not present, absent, generic or also",
            ),
            (
                "status_also_share\t1.5",
                2,
                "status also share 1.5 is not in [0, 1)",
            ),
            ("status\tb:x", 2, "needs a name and weights"),
            ("status_bias\tpresent", 2, "status=weight"),
            ("status\tb:x\tabsent=99", 2, "beyond ±50"),
            ("status_threshold\t1", 2, "not in [0, 1)"),
            ("status_cued_threshold\t-0.1", 2, "not in [0, 1)"),
            (
                "document_threshold\t1",
                2,
                "document threshold 1 is not between 0 and 1",
            ),
            ("document_bias\tamnesia\t60", 2, "beyond ±50"),
            ("document\tforget\tamnesia", 2, "trope=weight"),
            ("cluster\tforget", 2, "2 tab-separated fields, found 1"),
            ("cluster\t#3\t3", 2, "is no stem"),
            ("cluster\tforget\tthree", 2, "not a whole number"),
            (
                "cluster\tforget\t3\ncluster\tforget\t4",
                3,
                "a second cluster",
            ),
        ] {
            let text = format!("format\t1\n{bad}\nthreshold\t0.5\n");
            let e = LearnedModel::parse(Path::new("lex/learned.tsv"), &text)
                .unwrap_err()
                .to_string();
            assert!(
                e.contains(&format!("lex/learned.tsv:{line}")),
                "{bad:?}: no file and line in {e}"
            );
            assert!(e.contains(what), "{bad:?}: {e}");
        }
        let e = LearnedModel::parse(Path::new("m.tsv"), "threshold\t0.5\n").unwrap_err();
        assert!(e.to_string().contains("no `format` line"), "{e}");
        let twice = "format\t1\nthreshold\t0.5\ndocument_threshold\t0.5\n\
                     document_bias\tamnesia\t1\ndocument_bias\tamnesia\t2\n";
        let e = LearnedModel::parse(Path::new("m.tsv"), twice)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("m.tsv:5") && e.contains("a second document_bias"),
            "{e}"
        );
        let again = "format\t1\nthreshold\t0.5\ndocument_threshold\t0.5\n\
                     document\tforget\tamnesia=1\ndocument\tforget\tamnesia=2\n";
        let e = LearnedModel::parse(Path::new("m.tsv"), again)
            .unwrap_err()
            .to_string();
        assert!(e.contains("m.tsv:5") && e.contains("listed twice"), "{e}");
        // A document regression's weights without its threshold cannot be used.
        let e = LearnedModel::parse(
            Path::new("m.tsv"),
            "format\t1\nthreshold\t0.5\ndocument\tforget\tamnesia=1\n",
        )
        .unwrap_err();
        assert!(
            e.to_string().contains("no `document_threshold` line"),
            "{e}"
        );
    }

    proptest! {
        /// Any text is parsed or refused with a message, never a panic; what parses writes
        /// out text that parses to the same model.
        #[test]
        fn parsing_any_text_never_panics(text in "(format\t1\n|threshold\t0.5\n|cluster\t[a-z#]{0,3}\t[0-9x]{0,2}\n|status\t[a-z:]{0,4}\t(present|absent|generic)=[0-9.-]{1,4}\n|status_bias\t|[a-z=\t .0-9#-]{0,40}\n){0,12}") {
            if let Ok(m) = LearnedModel::parse(Path::new("x"), &text) {
                let again = LearnedModel::parse(Path::new("x"), &m.to_text()).unwrap();
                prop_assert_eq!(again.to_text(), m.to_text());
            }
        }

        #[test]
        fn parsing_arbitrary_unicode_never_panics(text in "\\PC{0,200}") {
            let _ = LearnedModel::parse(Path::new("x"), &text);
        }
    }
}
