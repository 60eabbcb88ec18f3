//! `tropescope lexicon train GOLD.jsonl... -o FILE`: train the learned stage's model on gold
//! files and the lexicon's examples, and write it atomically (see `tropescope::learned`).

use std::path::{Path, PathBuf};

use anyhow::{bail, Context};
use tropescope::eval::read_gold;
use tropescope::eval::GoldDoc;
use tropescope::input::Article;
use tropescope::learned::model::{DocumentModel, StatusModel};
use tropescope::learned::train::{
    background_windows, example_passages, gold_passages, parse_clusters, train, Clusters, Passage,
    TrainOptions,
};
use tropescope::learned::{LearnedModel, ModelSource, Weighting};
use tropescope::lexicon::edit::write_atomic;
use tropescope::status::train_status;
use tropescope::{Analyzer, CompiledLexicon, Lexicon};

use super::corpus::{scan, ScanArgs};
use super::LexiconDir;
use crate::Outcome;

/// `--weighting`.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum WeightingArg {
    /// 1 where a feature occurs.
    Binary,
    /// A feature's inverse document frequency where it occurs.
    Idf,
}

/// Arguments of `lexicon train`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Gold files (JSON Lines, see spec/gold-format.md) to train on; any status of a gold
    /// trope counts as a reference to it.
    #[arg(value_name = "GOLD", required = true)]
    pub gold: Vec<PathBuf>,
    /// Where to write the model (a lexicon folder's learned.tsv to use it).
    #[arg(short, long, value_name = "FILE")]
    pub output: PathBuf,
    /// Probability at which the stage emits a mention (pick it by cross-validation:
    /// scripts/learned-cv.py).
    #[arg(long, value_name = "P", default_value_t = 0.5)]
    pub threshold: f64,
    /// Sentences on each side of an inference window's middle sentence.
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub window: u32,
    /// L2 penalty on the weights.
    #[arg(long, value_name = "X", default_value_t = 1.0)]
    pub l2: f64,
    /// Labelled passages a feature must occur in to be learned.
    #[arg(long, value_name = "N", default_value_t = 2)]
    pub min_count: u32,
    /// Share of the labelled passages a feature may occur in at most: the commonest words say little
    /// of any trope and cost the most to score.
    #[arg(long, value_name = "X", default_value_t = 1.0)]
    pub max_share: f64,
    /// Weights smaller than this in magnitude are left out of the file.
    #[arg(long, value_name = "X", default_value_t = 0.05)]
    pub prune: f64,
    /// Feature values.
    #[arg(long, value_enum, default_value = "binary")]
    pub weighting: WeightingArg,
    /// General text (files, folders, CSV or JSON Lines files, .gz/.xz): its documents in
    /// which the lexicon finds nothing are cut into windows of the stage's size and learned
    /// as negatives for every trope, so that ordinary words stop passing for tropes.
    #[arg(long, value_name = "INPUT")]
    pub background: Vec<PathBuf>,
    /// Word clusters (`stem<TAB>cluster` lines, `#` comments; `scripts/make-clusters.py`
    /// writes them): each word whose stem is listed also counts as its cluster's feature,
    /// so a word training never saw shares what its cluster learned. The model keeps the
    /// clusters it weighs.
    #[arg(long, value_name = "FILE")]
    pub clusters: Option<PathBuf>,
    /// Take every Nth background document (by position from the first), leaving the rest
    /// to measure the model on.
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub background_every: u64,
    /// Also fit the document regression (one per trope over whole documents: the gold
    /// passages, and the background documents whole rather than cut into windows), which
    /// adds a mention of a trope the document has no other mention of where the whole
    /// document's probability reaches P (README, "The learned stage").
    #[arg(long, value_name = "P")]
    pub document_threshold: Option<f64>,
    /// With --document-threshold: the labelled passages a feature must occur in to be
    /// weighed by the document regression (default: --min-count). Its signal is many small
    /// weights, which pruning would lose: a larger count keeps the file smaller instead.
    #[arg(long, value_name = "N", requires = "document_threshold")]
    pub document_min_count: Option<u32>,
    /// With --document-threshold: its weights smaller than this in magnitude are left out
    /// of the file (default: --prune). Its features' values are scaled by 1 / √words, so
    /// its weights are larger than the windows'.
    #[arg(long, value_name = "X", requires = "document_threshold")]
    pub document_prune: Option<f64>,
    /// Leave the status stage out of the model: its mentions keep the context engine's
    /// status.
    #[arg(long)]
    pub no_status: bool,
    /// Keep the lexicon's own learned model (its `learned.tsv`) for finding mentions and
    /// train only its status stage again: seconds instead of minutes, for trying status
    /// features or data. The detection settings are the kept model's (its `min_count` too),
    /// so their flags and `--background` are refused.
    #[arg(long, conflicts_with_all = [
        "background", "threshold", "window", "l2", "min_count", "max_share", "prune",
        "weighting", "background_every", "no_status", "document_threshold", "document_min_count",
        "document_prune", "clusters",
    ])]
    pub status_only: bool,
    /// The status stage's L2 penalty.
    #[arg(long, value_name = "X", default_value_t = 1.0)]
    pub status_l2: f64,
    /// The probability the status stage needs to overrule the rules' status.
    #[arg(long, value_name = "P", default_value_t = 0.0)]
    pub status_threshold: f64,
    /// The probability the status stage needs to overrule a status a context cue set
    /// (default: --status-threshold).
    #[arg(long, value_name = "P")]
    pub status_cued_threshold: Option<f64>,
    /// Also fit the status stage's `also` regression (does the text give this trope a
    /// second status, as in "the genre's usual amnesia, which this one skips"?) on the gold
    /// documents' mentions; a mention whose `also` probability reaches P gets a second
    /// record with the other status (README, "The status stage").
    #[arg(long, value_name = "P")]
    pub status_also_threshold: Option<f64>,
    /// With --status-also-threshold: the share of the three status probabilities the
    /// second status needs.
    #[arg(long, value_name = "P", requires = "status_also_threshold")]
    pub status_also_share: Option<f64>,
    /// The status stage's weights smaller than this in magnitude are dropped.
    #[arg(long, value_name = "X", default_value_t = 0.01)]
    pub status_prune: f64,
    /// How to read the background inputs (these flags apply to --background only; --docs
    /// reads its first N documents).
    #[command(flatten)]
    pub corpus: ScanArgs,
    /// Lexicon whose tropes and examples to train with.
    #[command(flatten)]
    pub lexicon: LexiconDir,
}

/// Run `lexicon train`.
pub fn run(args: Args) -> anyhow::Result<Outcome> {
    if !(args.threshold > 0.0 && args.threshold < 1.0) {
        bail!("--threshold {} is not between 0 and 1", args.threshold);
    }
    if let Some(t) = args.document_threshold.filter(|t| !(*t > 0.0 && *t < 1.0)) {
        bail!("--document-threshold {t} is not between 0 and 1");
    }
    if args.window > 10 {
        bail!("--window {} is more than 10 sentences", args.window);
    }
    let positive = |x: f64| x.is_finite() && x > 0.0;
    let prunes = [Some(args.prune), args.document_prune];
    if !positive(args.l2)
        || prunes
            .into_iter()
            .flatten()
            .any(|p| !(positive(p) || p == 0.0))
    {
        bail!("--l2 must be above 0 and --prune (--document-prune) at least 0");
    }
    // The model file's own range for the status bars (`learned::model` refuses others).
    let thresholds = [
        ("--status-threshold", Some(args.status_threshold)),
        ("--status-cued-threshold", args.status_cued_threshold),
        ("--status-also-threshold", args.status_also_threshold),
        ("--status-also-share", args.status_also_share),
    ];
    for (flag, t) in thresholds {
        if let Some(t) = t.filter(|t| !(0.0..1.0).contains(t)) {
            bail!("{flag} {t} is not in [0, 1)");
        }
    }
    if !positive(args.status_l2) || !(positive(args.status_prune) || args.status_prune == 0.0) {
        bail!("--status-l2 must be above 0 and --status-prune at least 0");
    }
    if args.background_every == 0 {
        bail!("--background-every must be at least 1");
    }
    if !(positive(args.max_share) && args.max_share <= 1.0) {
        bail!("--max-share must be above 0 and at most 1");
    }
    let origin = args.lexicon.for_read()?;
    let lexicon = origin.lexicon()?;
    if args.status_only {
        return retrain_status(&args, &lexicon);
    }
    // Read first: a bad line is reported before minutes of reading a background corpus.
    let clusters = match &args.clusters {
        Some(path) => Some(std::sync::Arc::new(read_clusters(path)?)),
        None => None,
    };
    let mut sources = Vec::new();
    let mut all_docs = Vec::new();
    for g in &args.gold {
        let docs = read_one_gold(g, &lexicon)?;
        sources.push((g.display().to_string(), gold_passages(&docs)));
        all_docs.extend(docs);
    }
    sources.push(("lexicon examples".to_string(), example_passages(&lexicon)));
    let (background, background_documents) = if args.background.is_empty() {
        (Vec::new(), Vec::new())
    } else {
        let (windows, documents) = background_passages(&args, &lexicon)?;
        let name = format!(
            "background {} (every {}{})",
            args.background
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(" "),
            args.background_every,
            args.corpus
                .docs
                .map_or(String::new(), |n| format!(", first {n}"))
        );
        (vec![(name.clone(), windows)], vec![(name, documents)])
    };
    let ids: Vec<String> = lexicon.tropes.iter().map(|t| t.id.clone()).collect();
    let opts = TrainOptions {
        l2: args.l2,
        min_count: args.min_count,
        max_share: args.max_share,
        prune: args.prune,
        threshold: args.threshold,
        window: args.window,
        weighting: match args.weighting {
            WeightingArg::Binary => Weighting::Binary,
            WeightingArg::Idf => Weighting::Idf,
        },
        per_document: false,
        clusters,
    };
    let mut model = train(&ids, &sources, &background, &opts);
    if let Some(threshold) = args.document_threshold {
        let per_document = TrainOptions {
            per_document: true,
            min_count: args.document_min_count.unwrap_or(args.min_count),
            prune: args.document_prune.unwrap_or(args.prune),
            ..opts.clone()
        };
        let whole = train(&ids, &sources, &background_documents, &per_document);
        model.document = Some(DocumentModel {
            threshold,
            biases: whole.biases,
            features: whole.features,
        });
        if let Some(c) = &opts.clusters {
            model.keep_clusters(c);
        }
    }
    if !args.no_status {
        model.status = Some(status_model(
            &args,
            args.min_count,
            &lexicon,
            &model,
            &all_docs,
        )?);
    }
    let text = write_model(&args, &model)?;
    let weights: usize = model.features.iter().map(|f| f.weights.len()).sum();
    eprintln!(
        "wrote {}: {} tropes, {} features, {weights} weights, {} bytes, from {} passages",
        args.output.display(),
        model.biases.len(),
        model.features.len(),
        text.len(),
        sources
            .iter()
            .chain(&background)
            .map(|(_, p)| p.len())
            .sum::<usize>()
    );
    Ok(Outcome::Ok)
}

/// `--status-only`: the lexicon's learned model with its status stage trained again.
fn retrain_status(args: &Args, lexicon: &Lexicon) -> anyhow::Result<Outcome> {
    let Some(source) = &lexicon.learned else {
        bail!(
            "--status-only keeps the lexicon's learned model, and this lexicon has none \
             (train one without --status-only first)"
        );
    };
    let mut model = source.parse()?;
    model.status = None;
    let docs = read_all_gold(&args.gold, lexicon)?;
    model.status = Some(status_model(args, model.min_count, lexicon, &model, &docs)?);
    write_model(args, &model)?;
    eprintln!(
        "wrote {}: the status stage of {}, {} features",
        args.output.display(),
        source.path.display(),
        model.status.as_ref().map_or(0, |s| s.features.len())
    );
    Ok(Outcome::Ok)
}

/// The clusters file at `path` ([`parse_clusters`]).
fn read_clusters(path: &Path) -> anyhow::Result<Clusters> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read clusters file {}", path.display()))?;
    Ok(parse_clusters(path, &text)?)
}

/// Every document of the gold files; a bad line is an error naming it.
fn read_all_gold(files: &[PathBuf], lexicon: &Lexicon) -> anyhow::Result<Vec<GoldDoc>> {
    let mut all = Vec::new();
    for g in files {
        all.extend(read_one_gold(g, lexicon)?);
    }
    Ok(all)
}

/// Every document of gold file `g`; a bad line is an error naming it.
fn read_one_gold(g: &Path, lexicon: &Lexicon) -> anyhow::Result<Vec<GoldDoc>> {
    let (docs, bad) =
        read_gold(g, lexicon).with_context(|| format!("cannot read gold file {}", g.display()))?;
    if let Some(b) = bad.first() {
        bail!("{}:{}: {}", g.display(), b.line, b.message);
    }
    Ok(docs)
}

/// Write `model` to `--output` atomically, warning of values written at the file's bound.
fn write_model(args: &Args, model: &LearnedModel) -> anyhow::Result<String> {
    let bound = model.at_bound();
    if let Some(first) = bound.first() {
        eprintln!(
            "tropescope: warning: {} values went past the model file's bound and were written \
             at it (the first: {first}); a larger --l2 (--status-l2 for a status weight) keeps \
             them within it",
            bound.len()
        );
    }
    let text = model.to_text();
    write_atomic(&args.output, text.as_bytes())
        .with_context(|| format!("cannot write {}", args.output.display()))?;
    Ok(text)
}

/// The status stage's model, trained on the gold documents as the lexicon reads them with
/// `model` (the one just trained, or under `--status-only` the kept one); features in fewer
/// than `min_count` examples are left out.
fn status_model(
    args: &Args,
    min_count: u32,
    lexicon: &Lexicon,
    model: &LearnedModel,
    docs: &[GoldDoc],
) -> anyhow::Result<StatusModel> {
    let mut with_model = lexicon.clone();
    with_model.learned = Some(ModelSource {
        path: args.output.clone(),
        text: model.to_text().into(),
    });
    with_model.model.learned = true;
    let analyzer = Analyzer::new(
        CompiledLexicon::new(with_model)
            .context("cannot compile the lexicon with the new model")?,
    );
    // The lexicon's examples are labelled mentions too: each that expects a status is a
    // document whose gold is its trope with that status.
    let examples: Vec<GoldDoc> = lexicon
        .tropes
        .iter()
        .flat_map(|t| t.examples.iter().map(move |e| (t, e)))
        .filter_map(|(t, e)| {
            let status = e.expect.status()?;
            Some(GoldDoc {
                id: format!("{}:{}", t.file.display(), e.line),
                line: e.line,
                article: Article {
                    id: t.id.clone(),
                    title: None,
                    text: e.text.clone(),
                },
                gold: [(t.id.clone(), status)].into(),
                lean: None,
            })
        })
        .collect();
    let mut status = train_status(
        &analyzer,
        docs.iter(),
        &examples,
        args.status_also_threshold.is_some(),
        args.status_l2,
        min_count,
        args.status_prune,
    );
    status.threshold = args.status_threshold;
    status.cued_threshold = args.status_cued_threshold;
    status.also_threshold = args.status_also_threshold;
    status.also_share = args.status_also_share;
    eprintln!(
        "status stage: {} features from the mentions of {} gold documents and lexicon examples",
        status.features.len(),
        docs.len() + examples.len()
    );
    Ok(status)
}

/// The background corpus's windows: every `--background-every`th document that reads and
/// in which the lexicon (its patterns: the stage itself is off here) finds no mention of
/// any status (not even one the topic gate leaves out), cut into windows of `2 × window + 1`
/// sentences; and the same documents whole, for the document regression (only when it is
/// trained: they are the corpus's text again).
fn background_passages(
    args: &Args,
    lexicon: &Lexicon,
) -> anyhow::Result<(Vec<Passage>, Vec<Passage>)> {
    let mut patterns = lexicon.clone();
    patterns.model.learned = false;
    let analyzer =
        Analyzer::new(CompiledLexicon::new(patterns).context("cannot compile the lexicon")?);
    let sentences = 2 * args.window as usize + 1;
    let (mut out, mut whole) = (Vec::new(), Vec::new());
    let (mut position, mut taken, mut unread) = (0u64, 0u64, Vec::new());
    let scanned = scan(&args.background, &args.corpus, &[&analyzer], |done| {
        let chosen = position % args.background_every == 0;
        position += 1;
        match (chosen, &done.analyses) {
            (true, Ok(analyses)) => {
                // A mention the topic gate left out is still a pattern match: the document
                // is no clean negative for the stage that reads words alone.
                let clean =
                    |a: &&tropescope::Analysis| a.mentions.is_empty() && a.off_topic.is_empty();
                if let Some(a) = analyses.first().filter(clean) {
                    taken += 1;
                    out.extend(background_windows(&a.article.text, sentences));
                    if args.document_threshold.is_some() {
                        whole.push(Passage::new(&a.article.text, &[]));
                    }
                }
            }
            // An empty document adds no window, read or not.
            (true, Err(e)) if !e.contains("empty document") => unread.push(done.source),
            _ => {}
        }
        Ok(())
    })?;
    if let Some(first) = unread.first() {
        bail!(
            "{} chosen background documents could not be read (see above; the first is \
             {first}): the model would depend on which were read; fix or remove them, or \
             choose others with --background-every",
            unread.len()
        );
    }
    eprintln!(
        "background: {taken} of {} documents with no mention, {} windows",
        scanned.documents,
        out.len()
    );
    if out.is_empty() {
        eprintln!(
            "tropescope: warning: the background gave no window: the patterns find a mention \
             in every chosen document (or there were none)"
        );
    }
    Ok((out, whole))
}
