//! `tropescope lexicon set ID FIELD VALUE`: change a trope's name, weight or description.

use tropescope::lexicon::edit::{self, Field};

use super::{after_edit, trope_file, write_edit, LexiconDir};
use crate::Outcome;

/// Arguments of `lexicon set`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The trope id.
    #[arg(value_name = "ID")]
    pub id: String,
    /// The field: name, weight or description.
    #[arg(value_name = "FIELD", value_parser = ["name", "weight", "description"])]
    pub field: String,
    /// The new value.
    #[arg(value_name = "VALUE", allow_hyphen_values = true)]
    pub value: String,
    /// Print the edited file instead of writing it.
    #[arg(long)]
    pub dry_run: bool,
    /// Lexicon.
    #[command(flatten)]
    pub lexicon: LexiconDir,
}

/// Run `lexicon set`.
pub fn run(args: Args) -> anyhow::Result<Outcome> {
    let dir = args.lexicon.for_edit()?;
    let rel = trope_file(&dir, &args.id)?;
    let field = Field::parse(&args.field)
        .ok_or_else(|| anyhow::anyhow!("unknown field {:?}", args.field))?;
    let changed = write_edit(&dir, &rel, args.dry_run, |base, file| {
        edit::set_field(base, file, field, &args.value)
    })?;
    if args.dry_run {
        return Ok(Outcome::Ok);
    }
    if changed {
        println!(
            "set {} of {} to {:?}",
            field.key(),
            dir.join(&rel).display(),
            args.value
        );
    } else {
        println!("{} of {} is already {:?}", field.key(), args.id, args.value);
    }
    if field == Field::Weight {
        return Ok(Outcome::Ok);
    }
    after_edit(&dir, &args.id)
}
