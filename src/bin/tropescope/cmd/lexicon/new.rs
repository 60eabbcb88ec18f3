//! `tropescope lexicon new ID --family F --name N`: scaffold a trope file.

use std::io::Write;

use anyhow::bail;
use tropescope::lexicon::edit::{self, trope_path};
use tropescope::lexicon::load::read_dir_files;
use tropescope::lexicon::Family;

use super::{write_file, LexiconDir};
use crate::Outcome;

/// Arguments of `lexicon new`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The new trope's id: lower-case words joined by hyphens, like `wrist-grab`.
    #[arg(value_name = "ID")]
    pub id: String,
    /// Its family.
    #[arg(long, value_name = "FAMILY", value_parser = ["cliche", "mature"])]
    pub family: String,
    /// Its name for people.
    #[arg(long, value_name = "NAME")]
    pub name: String,
    /// Print the file instead of writing it.
    #[arg(long)]
    pub dry_run: bool,
    /// Lexicon.
    #[command(flatten)]
    pub lexicon: LexiconDir,
}

/// Run `lexicon new`.
pub fn run(args: Args) -> anyhow::Result<Outcome> {
    let dir = args.lexicon.for_edit()?;
    let family = if args.family == "mature" {
        Family::Mature
    } else {
        Family::Cliche
    };
    let text = edit::scaffold(&args.id, family, &args.name)?;
    let rel = trope_path(&args.id);
    let path = dir.join(&rel);
    // Held from the check that the id is free to the write.
    let _lock = edit::lock_folder_to_write(&dir, !args.dry_run)?;
    let taken = read_dir_files(&dir)?
        .into_iter()
        .find(|f| f.path.starts_with("tropes/") && f.path.ends_with(&format!("/{}.toml", args.id)));
    if let Some(f) = taken {
        bail!(
            "refused: trope {:?} already exists in {}",
            args.id,
            dir.join(f.path).display()
        );
    }
    if args.dry_run {
        std::io::stdout().write_all(text.as_bytes())?;
        return Ok(Outcome::Ok);
    }
    write_file(&path, &text)?;
    println!(
        "created {}: replace the {} placeholders, then run `tropescope lexicon test --trope {}` and `tropescope lexicon lint`",
        path.display(),
        edit::PLACEHOLDER,
        args.id
    );
    Ok(Outcome::Ok)
}
