//! `tropescope lexicon add-pattern ID PATTERN` and `remove-pattern ID PATTERN`.

use tropescope::lexicon::edit::{self, PatternList};

use super::{after_edit, trope_file, write_edit, LexiconDir};
use crate::Outcome;

/// Arguments of `lexicon add-pattern`.
#[derive(clap::Args, Debug)]
pub struct AddArgs {
    /// The trope id.
    #[arg(value_name = "ID")]
    pub id: String,
    /// The pattern (see lexicons/README.md for the pattern language).
    #[arg(value_name = "PATTERN")]
    pub pattern: String,
    /// Add it to the exclusions instead of the patterns.
    #[arg(long)]
    pub exclusion: bool,
    /// Print the edited file instead of writing it.
    #[arg(long)]
    pub dry_run: bool,
    /// Lexicon.
    #[command(flatten)]
    pub lexicon: LexiconDir,
}

/// Arguments of `lexicon remove-pattern`.
#[derive(clap::Args, Debug)]
pub struct RemoveArgs {
    /// The trope id.
    #[arg(value_name = "ID")]
    pub id: String,
    /// The pattern, as written in the file (runs of spaces may differ).
    #[arg(value_name = "PATTERN")]
    pub pattern: String,
    /// Remove it from the exclusions instead of the patterns.
    #[arg(long)]
    pub exclusion: bool,
    /// Print the edited file instead of writing it.
    #[arg(long)]
    pub dry_run: bool,
    /// Lexicon.
    #[command(flatten)]
    pub lexicon: LexiconDir,
}

fn list(exclusion: bool) -> PatternList {
    if exclusion {
        PatternList::Exclusions
    } else {
        PatternList::Patterns
    }
}

/// Run `lexicon add-pattern`.
pub fn run_add(args: AddArgs) -> anyhow::Result<Outcome> {
    let AddArgs {
        id,
        pattern,
        exclusion,
        dry_run,
        lexicon,
    } = args;
    change(&lexicon, &id, &pattern, list(exclusion), dry_run, true)
}

/// Run `lexicon remove-pattern`.
pub fn run_remove(args: RemoveArgs) -> anyhow::Result<Outcome> {
    let RemoveArgs {
        id,
        pattern,
        exclusion,
        dry_run,
        lexicon,
    } = args;
    change(&lexicon, &id, &pattern, list(exclusion), dry_run, false)
}

fn change(
    lexicon: &LexiconDir,
    id: &str,
    pattern: &str,
    list: PatternList,
    dry_run: bool,
    add: bool,
) -> anyhow::Result<Outcome> {
    let dir = lexicon.for_edit()?;
    let rel = trope_file(&dir, id)?;
    write_edit(&dir, &rel, dry_run, |base, file| {
        if add {
            edit::add_pattern(base, file, list, pattern)
        } else {
            edit::remove_pattern(base, file, list, pattern)
        }
    })?;
    if dry_run {
        return Ok(Outcome::Ok);
    }
    let (done, to) = if add {
        ("added", "to")
    } else {
        ("removed", "from")
    };
    println!(
        "{done} {pattern:?} {to} the {} of {}",
        list.key(),
        dir.join(&rel).display()
    );
    after_edit(&dir, id)
}
