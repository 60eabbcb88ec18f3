//! `tropescope lexicon ...`: the curator's tools.

use std::io::Write;

use tropescope::lexicon::examples::run_examples;

use crate::util::LexiconArgs;
use crate::Outcome;

/// Curator subcommands.
#[derive(clap::Subcommand, Debug)]
pub enum Command {
    /// Run every lexicon example through the full pipeline.
    Test(TestArgs),
}

/// Arguments of `lexicon test`.
#[derive(clap::Args, Debug)]
pub struct TestArgs {
    /// Only this trope's examples.
    #[arg(long, value_name = "ID")]
    pub trope: Option<String>,
    /// Also list the examples that pass.
    #[arg(long, short)]
    pub verbose: bool,
    /// Lexicon.
    #[command(flatten)]
    pub lexicon: LexiconArgs,
}

/// Run a curator subcommand.
pub fn run(cmd: Command) -> anyhow::Result<Outcome> {
    match cmd {
        Command::Test(a) => test(a),
    }
}

fn test(args: TestArgs) -> anyhow::Result<Outcome> {
    let analyzer = args.lexicon.analyzer()?;
    let results = run_examples(&analyzer, args.trope.as_deref());
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let mut failed = 0;
    for r in &results {
        if r.passed() {
            if args.verbose {
                writeln!(
                    out,
                    "ok   {}:{} {} {:?}",
                    r.file,
                    r.line,
                    r.expect.as_str(),
                    r.text
                )?;
            }
            continue;
        }
        failed += 1;
        let found = if r.found.is_empty() {
            "not found".to_string()
        } else {
            r.found
                .iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        };
        writeln!(
            out,
            "FAIL lexicons/{}:{} [{}] expected {}, got {found}\n     {:?}",
            r.file,
            r.line,
            r.trope,
            r.expect.as_str(),
            r.text
        )?;
        for w in &r.why {
            writeln!(out, "     {w}")?;
        }
    }
    writeln!(
        out,
        "{} examples: {} passed, {failed} failed",
        results.len(),
        results.len() - failed
    )?;
    Ok(if failed > 0 {
        Outcome::Problems
    } else {
        Outcome::Ok
    })
}
