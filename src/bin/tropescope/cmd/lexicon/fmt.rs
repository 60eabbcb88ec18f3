//! `tropescope lexicon fmt [--check]`: rewrite lexicon files into the canonical form.

use anyhow::Context;
use tropescope::lexicon::edit;
use tropescope::lexicon::load::read_dir_files;

use super::{write_file, LexiconDir};
use crate::Outcome;

/// Arguments of `lexicon fmt`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Only these tropes (ids); default: every file of the lexicon.
    #[arg(value_name = "ID")]
    pub ids: Vec<String>,
    /// Change nothing; list the files that are not in canonical form and exit 1 if any.
    #[arg(long)]
    pub check: bool,
    /// Lexicon.
    #[command(flatten)]
    pub lexicon: LexiconDir,
}

/// Run `lexicon fmt`.
pub fn run(args: Args) -> anyhow::Result<Outcome> {
    let dir = args.lexicon.for_edit()?;
    // Held until every file is written: an edit in between would be formatted away.
    let _lock = edit::lock_folder_to_write(&dir, !args.check)?;
    let files = read_dir_files(&dir).with_context(|| format!("cannot read {}", dir.display()))?;
    let wanted: Vec<String> = args.ids.iter().map(|id| edit::trope_path(id)).collect();
    for w in &wanted {
        if !files.iter().any(|f| &f.path == w) {
            anyhow::bail!("no file {}", dir.join(w).display());
        }
    }
    let mut outcome = Outcome::Ok;
    let (mut changed, mut total) = (0, 0);
    for file in &files {
        if !wanted.is_empty() && !wanted.contains(&file.path) {
            continue;
        }
        total += 1;
        let path = dir.join(&file.path);
        let formatted = match edit::format_file(&dir, file) {
            Ok(f) => f,
            Err(e) => {
                eprintln!("tropescope: cannot format {}: {e}", path.display());
                outcome = Outcome::Failed;
                continue;
            }
        };
        if formatted == file.text {
            continue;
        }
        changed += 1;
        if args.check {
            println!("not formatted: {}", path.display());
            if outcome == Outcome::Ok {
                outcome = Outcome::Problems;
            }
        } else {
            write_file(&path, &formatted)?;
            println!("formatted {}", path.display());
        }
    }
    if args.check {
        println!("{total} files checked, {changed} not in canonical form");
    } else {
        println!("{total} files checked, {changed} rewritten");
    }
    Ok(outcome)
}
