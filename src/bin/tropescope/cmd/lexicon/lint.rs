//! `tropescope lexicon lint`: findings with file:line:col, severity, code and hint; exit 1
//! when any is an error.

use std::io::Write;

use anyhow::Context;
use tropescope::lexicon::lint::{lint_files, lint_folder, Severity};
use tropescope::lexicon::load::read_dir_files_partial;

use super::{LexiconDir, Origin};
use crate::Outcome;

/// Output formats of `lexicon lint`.
#[derive(clap::ValueEnum, Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Format {
    /// `file:line:col: severity[code]: message`, then the hint.
    #[default]
    Text,
    /// One JSON object a finding, one a line.
    Json,
}

/// Arguments of `lexicon lint`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Also show `info` findings (overlaps that are often intended).
    #[arg(long, short)]
    pub verbose: bool,
    /// Exit 1 on warnings too.
    #[arg(long)]
    pub deny_warnings: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
    /// Lexicon.
    #[command(flatten)]
    pub lexicon: LexiconDir,
}

/// Run `lexicon lint`.
pub fn run(args: Args) -> anyhow::Result<Outcome> {
    let origin = args.lexicon.for_read()?;
    // A file that is not text is a finding like any other, not the end of the run.
    let findings = match &origin {
        Origin::Dir(dir) => {
            let (files, unreadable) = read_dir_files_partial(dir)
                .with_context(|| format!("cannot read {}", dir.display()))?;
            lint_folder(dir, &files, &unreadable)
        }
        Origin::Embedded => lint_files(&origin.base(), &origin.files()?),
    };
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let count = |s: Severity| findings.iter().filter(|f| f.severity == s).count();
    let (errors, warnings, infos) = (
        count(Severity::Error),
        count(Severity::Warning),
        count(Severity::Info),
    );
    for f in findings
        .iter()
        .filter(|f| args.verbose || f.severity != Severity::Info)
    {
        match args.format {
            Format::Text => writeln!(out, "{f}")?,
            Format::Json => {
                serde_json::to_writer(&mut out, f)?;
                writeln!(out)?;
            }
        }
    }
    if args.format == Format::Text {
        let hidden = if args.verbose || infos == 0 {
            String::new()
        } else {
            " (shown with --verbose)".to_string()
        };
        writeln!(
            out,
            "{}: {errors} errors, {warnings} warnings, {infos} infos{hidden}",
            origin.describe()
        )?;
    }
    Ok(if errors > 0 || (args.deny_warnings && warnings > 0) {
        Outcome::Problems
    } else {
        Outcome::Ok
    })
}
