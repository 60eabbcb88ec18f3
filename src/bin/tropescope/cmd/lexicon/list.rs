//! `tropescope lexicon list`: one line a trope.

use std::io::Write;

use tropescope::lexicon::{Expect, Trope};

use super::LexiconDir;
use crate::Outcome;

/// Output formats of `lexicon list`.
#[derive(clap::ValueEnum, Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Format {
    /// An aligned table.
    #[default]
    Text,
    /// CSV with a header row.
    Csv,
}

/// Arguments of `lexicon list`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Only tropes of this family.
    #[arg(long, value_name = "FAMILY", value_parser = ["cliche", "mature"])]
    pub family: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
    /// Lexicon.
    #[command(flatten)]
    pub lexicon: LexiconDir,
}

fn count(t: &Trope, e: Expect) -> usize {
    t.examples.iter().filter(|x| x.expect == e).count()
}

/// Run `lexicon list`.
pub fn run(args: Args) -> anyhow::Result<Outcome> {
    let origin = args.lexicon.for_read()?;
    let lexicon = origin.lexicon()?;
    let tropes: Vec<&Trope> = lexicon
        .tropes
        .iter()
        .filter(|t| {
            args.family
                .as_deref()
                .is_none_or(|f| t.family.as_str() == f)
        })
        .collect();
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match args.format {
        Format::Csv => {
            let mut w = csv::Writer::from_writer(&mut out);
            w.write_record([
                "id",
                "family",
                "weight",
                "name",
                "patterns",
                "exclusions",
                "present",
                "absent",
                "generic",
                "none",
            ])?;
            for t in &tropes {
                w.write_record([
                    t.id.clone(),
                    t.family.to_string(),
                    t.weight.to_string(),
                    t.name.clone(),
                    t.patterns.len().to_string(),
                    t.exclusions.len().to_string(),
                    count(t, Expect::Present).to_string(),
                    count(t, Expect::Absent).to_string(),
                    count(t, Expect::Generic).to_string(),
                    count(t, Expect::None).to_string(),
                ])?;
            }
            w.flush()?;
        }
        Format::Text => {
            let idw = tropes.iter().map(|t| t.id.len()).max().unwrap_or(2).max(2);
            writeln!(
                out,
                "{:idw$}  {:7}  {:>6}  {:>8}  {:>10}  {:>15}  name",
                "id", "family", "weight", "patterns", "exclusions", "examples p/a/g/n"
            )?;
            for t in &tropes {
                let ex = format!(
                    "{}/{}/{}/{}",
                    count(t, Expect::Present),
                    count(t, Expect::Absent),
                    count(t, Expect::Generic),
                    count(t, Expect::None)
                );
                writeln!(
                    out,
                    "{:idw$}  {:7}  {:>6}  {:>8}  {:>10}  {:>15}  {}",
                    t.id,
                    t.family.as_str(),
                    format!("{:.2}", t.weight),
                    t.patterns.len(),
                    t.exclusions.len(),
                    ex,
                    t.name
                )?;
            }
            writeln!(
                out,
                "{} tropes, {} cues ({}, fingerprint {})",
                tropes.len(),
                lexicon.cues.len(),
                origin.describe(),
                lexicon.fingerprint
            )?;
        }
    }
    Ok(Outcome::Ok)
}
