//! `tropescope eval GOLD.jsonl`: measure the analysis against labelled documents.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Context;
use tropescope::eval;

use crate::util::LexiconArgs;
use crate::Outcome;

/// Output formats of `eval`.
#[derive(clap::ValueEnum, Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Format {
    /// Figures, confusion matrix, misses and false alarms for people.
    #[default]
    Text,
    /// The whole report as one JSON object; with several gold files (not --pooled), one
    /// compact JSON object a line (JSON Lines), one line a file.
    Json,
}

/// Arguments of `eval`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Gold files (JSON Lines, see spec/gold-format.md).
    #[arg(value_name = "GOLD", required = true)]
    pub gold: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
    /// Exit 1 when status-aware F1 falls below this (0 to 1).
    #[arg(long, value_name = "X", value_parser = parse_bar)]
    pub min_f1: Option<f64>,
    /// Also exit 1 when detection F1 falls below this (0 to 1).
    #[arg(long, value_name = "X", value_parser = parse_bar)]
    pub min_detection_f1: Option<f64>,
    /// Only the figures: no per-document table, misses or false alarms.
    #[arg(long)]
    pub brief: bool,
    /// Measure all the gold files as one set (micro-averaged over every document), with
    /// the bars applied to that: "the gold folder" as one figure.
    #[arg(long)]
    pub pooled: bool,
    /// Lexicon.
    #[command(flatten)]
    pub lexicon: LexiconArgs,
}

/// An F1 bar: a number from 0 to 1. NaN is refused because no F1 compares below it, so
/// the bar would never fail; a bar outside [0, 1] always or never fails, which is a typo
/// (`85` for `0.85`) rather than a bar.
fn parse_bar(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(x) if (0.0..=1.0).contains(&x) => Ok(x),
        _ => Err(format!("{s:?} is not an F1 bar: give a number from 0 to 1")),
    }
}

/// Run `eval`.
pub fn run(args: Args) -> anyhow::Result<Outcome> {
    let analyzer = args.lexicon.analyzer()?;
    let mut outcome = Outcome::Ok;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let mut sets = Vec::new();
    for gold in &args.gold {
        let (docs, bad) = eval::read_gold(gold, analyzer.lexicon().lexicon())
            .with_context(|| format!("cannot read gold file {}", gold.display()))?;
        sets.push((gold.display().to_string(), docs, bad));
    }
    if args.pooled && sets.len() > 1 {
        let name = sets
            .iter()
            .map(|(name, ..)| name.as_str())
            .collect::<Vec<_>>()
            .join(" + ");
        // Bad lines say which file they are in, and an id must be unique across the set.
        let (mut docs, mut bad) = (Vec::new(), Vec::new());
        let mut seen: std::collections::HashMap<String, String> = Default::default();
        for (file, d, b) in sets.drain(..) {
            bad.extend(b.into_iter().map(|mut b| {
                b.message = format!("{file}: {}", b.message);
                b
            }));
            for doc in d {
                if let Some(other) = seen.get(&doc.id) {
                    bad.push(eval::BadLine {
                        line: doc.line,
                        message: format!("{file}: duplicate id {:?} (also in {other})", doc.id),
                    });
                    continue;
                }
                seen.insert(doc.id.clone(), file.clone());
                docs.push(doc);
            }
        }
        sets.push((name, docs, bad));
    }
    // One report is one (pretty) JSON document; several are JSON Lines, which a reader can
    // split, where pretty objects back to back are neither.
    let json_lines = sets.len() > 1;
    for (gold, docs, bad) in sets {
        let had_bad = !bad.is_empty();
        let report = eval::evaluate(analyzer, &gold, docs, bad);
        match args.format {
            Format::Text => report.write_text(&mut out, !args.brief)?,
            Format::Json => {
                if json_lines {
                    serde_json::to_writer(&mut out, &report)?;
                } else {
                    serde_json::to_writer_pretty(&mut out, &report)?;
                }
                writeln!(out)?;
            }
        }
        for (bar, name, flag, f1) in [
            (
                args.min_f1,
                "status-aware",
                "--min-f1",
                report.status_aware.f1,
            ),
            (
                args.min_detection_f1,
                "detection",
                "--min-detection-f1",
                report.detection.f1,
            ),
        ] {
            if let Some(min) = bar.filter(|&min| f1 < min) {
                eprintln!("tropescope: {gold}: {name} F1 {f1:.3} is below {flag} {min}");
                outcome = worse(outcome, Outcome::Problems);
            }
        }
        if had_bad {
            eprintln!("tropescope: {gold}: some lines could not be evaluated (see above)");
            outcome = Outcome::Failed;
        }
    }
    Ok(outcome)
}

fn worse(a: Outcome, b: Outcome) -> Outcome {
    match (a, b) {
        (Outcome::Failed, _) | (_, Outcome::Failed) => Outcome::Failed,
        (Outcome::Problems, _) | (_, Outcome::Problems) => Outcome::Problems,
        _ => Outcome::Ok,
    }
}
