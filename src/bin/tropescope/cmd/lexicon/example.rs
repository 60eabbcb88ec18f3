//! `tropescope lexicon add-example ID TEXT --expect KIND`.

use tropescope::lexicon::edit;
use tropescope::lexicon::Expect;

use super::{after_edit, trope_file, write_edit, LexiconDir};
use crate::Outcome;

/// What an example expects, on the command line.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExpectArg {
    /// Found, and every mention `present`.
    Present,
    /// Found, and every mention `absent`.
    Absent,
    /// Found, and every mention `generic`.
    Generic,
    /// Not found at all.
    None,
}

/// Arguments of `lexicon add-example`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The trope id.
    #[arg(value_name = "ID")]
    pub id: String,
    /// The example sentence.
    #[arg(value_name = "TEXT")]
    pub text: String,
    /// What the full pipeline must say of the trope on it.
    #[arg(long, value_enum)]
    pub expect: ExpectArg,
    /// Print the edited file instead of writing it.
    #[arg(long)]
    pub dry_run: bool,
    /// Lexicon.
    #[command(flatten)]
    pub lexicon: LexiconDir,
}

/// Run `lexicon add-example`.
pub fn run(args: Args) -> anyhow::Result<Outcome> {
    let dir = args.lexicon.for_edit()?;
    let rel = trope_file(&dir, &args.id)?;
    let expect = match args.expect {
        ExpectArg::Present => Expect::Present,
        ExpectArg::Absent => Expect::Absent,
        ExpectArg::Generic => Expect::Generic,
        ExpectArg::None => Expect::None,
    };
    write_edit(&dir, &rel, args.dry_run, |base, file| {
        edit::add_example(base, file, &args.text, expect)
    })?;
    if args.dry_run {
        return Ok(Outcome::Ok);
    }
    println!(
        "added a {} example to {}",
        expect.as_str(),
        dir.join(&rel).display()
    );
    after_edit(&dir, &args.id)
}
