//! `tropescope lexicon test`: every example through the full pipeline; a failure shows the
//! words matched, the pattern that matched them and the cue that decided their status.

use std::io::Write;

use tropescope::lexicon::examples::run_examples;

use super::{write_failures, LexiconDir};
use crate::Outcome;

/// Arguments of `lexicon test`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Only this trope's examples.
    #[arg(long, value_name = "ID")]
    pub trope: Option<String>,
    /// Also list the examples that pass.
    #[arg(long, short)]
    pub verbose: bool,
    /// Lexicon.
    #[command(flatten)]
    pub lexicon: LexiconDir,
    /// The learned stage's switch.
    #[command(flatten)]
    pub stage: crate::util::LearnedSwitch,
}

/// Run `lexicon test`.
pub fn run(args: Args) -> anyhow::Result<Outcome> {
    let origin = args.lexicon.for_read()?;
    let analyzer = origin.analyzer(args.stage.on())?;
    if let Some(id) = &args.trope {
        if analyzer.lexicon().lexicon().trope(id).is_none() {
            anyhow::bail!("no trope {id:?} in {}", origin.describe());
        }
    }
    let results = run_examples(&analyzer, args.trope.as_deref());
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let failed = write_failures(&mut out, &origin.base(), &results, args.verbose)?;
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
