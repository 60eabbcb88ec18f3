//! `tropescope lexicon show ID`: one trope, whole and readable, with its examples run.

use std::io::Write;

use tropescope::lexicon::examples::run_examples;

use super::{one_line, LexiconDir};
use crate::Outcome;

/// Arguments of `lexicon show`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The trope id.
    #[arg(value_name = "ID")]
    pub id: String,
    /// Lexicon.
    #[command(flatten)]
    pub lexicon: LexiconDir,
}

/// Run `lexicon show`.
pub fn run(args: Args) -> anyhow::Result<Outcome> {
    let origin = args.lexicon.for_read()?;
    let analyzer = origin.curator_analyzer()?;
    let lexicon = analyzer.lexicon().lexicon();
    let Some(t) = lexicon.trope(&args.id) else {
        let near = tropescope::lexicon::edit::nearest_id(
            lexicon.tropes.iter().map(|t| t.id.as_str()),
            &args.id,
        );
        match near {
            Some(n) => anyhow::bail!("no trope {:?}; did you mean {n:?}?", args.id),
            None => anyhow::bail!(
                "no trope {:?} (`tropescope lexicon list` shows the ids)",
                args.id
            ),
        }
    };
    let file = origin.base().join(&t.file);
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    writeln!(out, "{}  {}", t.id, t.name)?;
    writeln!(out, "  file         {}", file.display())?;
    writeln!(out, "  family       {}", t.family)?;
    writeln!(out, "  weight       {}", t.weight)?;
    writeln!(out, "  description  {}", one_line(&t.description))?;
    for (what, list) in [("patterns", &t.patterns), ("exclusions", &t.exclusions)] {
        writeln!(out, "{what} ({})", list.len())?;
        for p in list {
            writeln!(out, "  {:>4}  {}", p.line, p.value)?;
        }
    }
    let results = run_examples(&analyzer, Some(&t.id));
    let failed = results.iter().filter(|r| !r.passed()).count();
    writeln!(
        out,
        "examples ({}, {} passing)",
        results.len(),
        results.len() - failed
    )?;
    for r in &results {
        let mark = if r.passed() { "ok  " } else { "FAIL" };
        writeln!(
            out,
            "  {:>4}  {mark}  {:<7}  {}",
            r.line,
            r.expect.as_str(),
            one_line(&r.text)
        )?;
        if !r.passed() {
            if r.why.is_empty() {
                writeln!(out, "              not found")?;
            }
            for w in &r.why {
                writeln!(out, "              {w}")?;
            }
        }
    }
    Ok(Outcome::Ok)
}
