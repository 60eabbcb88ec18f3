//! `tropescope lexicon train GOLD.jsonl... -o FILE`: train the learned stage's model on gold
//! files and the lexicon's examples, and write it atomically (see `tropescope::learned`).

use std::path::PathBuf;

use anyhow::{bail, Context};
use tropescope::eval::read_gold;
use tropescope::learned::train::{example_passages, gold_passages, train, TrainOptions};
use tropescope::learned::Weighting;
use tropescope::lexicon::edit::write_atomic;

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
    /// Passages a feature must occur in to be learned.
    #[arg(long, value_name = "N", default_value_t = 2)]
    pub min_count: u32,
    /// Share of the passages a feature may occur in at most: the commonest words say little
    /// of any trope and cost the most to score.
    #[arg(long, value_name = "X", default_value_t = 1.0)]
    pub max_share: f64,
    /// Weights smaller than this in magnitude are left out of the file.
    #[arg(long, value_name = "X", default_value_t = 0.05)]
    pub prune: f64,
    /// Feature values.
    #[arg(long, value_enum, default_value = "binary")]
    pub weighting: WeightingArg,
    /// Lexicon whose tropes and examples to train with.
    #[command(flatten)]
    pub lexicon: LexiconDir,
}

/// Run `lexicon train`.
pub fn run(args: Args) -> anyhow::Result<Outcome> {
    if !(args.threshold > 0.0 && args.threshold < 1.0) {
        bail!("--threshold {} is not between 0 and 1", args.threshold);
    }
    if args.window > 10 {
        bail!("--window {} is more than 10 sentences", args.window);
    }
    let positive = |x: f64| x.is_finite() && x > 0.0;
    if !positive(args.l2) || !(positive(args.prune) || args.prune == 0.0) {
        bail!("--l2 must be above 0 and --prune at least 0");
    }
    if !(positive(args.max_share) && args.max_share <= 1.0) {
        bail!("--max-share must be above 0 and at most 1");
    }
    let origin = args.lexicon.for_read()?;
    let lexicon = origin.lexicon()?;
    let mut sources = Vec::new();
    for g in &args.gold {
        let (docs, bad) =
            read_gold(g).with_context(|| format!("cannot read gold file {}", g.display()))?;
        if let Some(b) = bad.first() {
            bail!("{}:{}: {}", g.display(), b.line, b.message);
        }
        sources.push((g.display().to_string(), gold_passages(&docs)));
    }
    sources.push(("lexicon examples".to_string(), example_passages(&lexicon)));
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
    };
    let model = train(&ids, &sources, &opts);
    let text = model.to_text();
    write_atomic(&args.output, text.as_bytes())
        .with_context(|| format!("cannot write {}", args.output.display()))?;
    let weights: usize = model.features.iter().map(|f| f.weights.len()).sum();
    eprintln!(
        "wrote {}: {} tropes, {} features, {weights} weights, {} bytes, from {} passages",
        args.output.display(),
        model.biases.len(),
        model.features.len(),
        text.len(),
        sources.iter().map(|(_, p)| p.len()).sum::<usize>()
    );
    Ok(Outcome::Ok)
}
