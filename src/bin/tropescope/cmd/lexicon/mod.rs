//! `tropescope lexicon ...`: the curator's tools, one file a subcommand.
//!
//! Which lexicon a command works on: `--lexicon DIR`, else the folder named by
//! `TROPESCOPE_LEXICON`, else the project's `lexicons/` when run inside the tropescope
//! project (a folder holding `lexicons/tropes/` beside a `Cargo.toml` whose package is
//! `tropescope`, here or above). Edit commands stop there with an error that says to pass
//! `--lexicon`; read-only commands fall back to the lexicon compiled into the binary.

mod corpus;
mod diff;
mod example;
mod fmt;
mod kwic;
mod lint;
mod list;
mod new;
mod pattern;
mod set;
mod show;
mod stats;
mod test;
mod train;

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context};
use tropescope::lexicon::edit;
use tropescope::lexicon::examples::{run_examples, ExampleResult};
use tropescope::lexicon::load::{
    check_lexicon_dir, embedded_files, read_dir_files, SourceFile, LEXICON_ENV,
};
use tropescope::{Analyzer, CompiledLexicon, Lexicon};

use crate::Outcome;

/// Curator subcommands.
#[derive(clap::Subcommand, Debug)]
pub enum Command {
    /// List the tropes: id, family, weight, pattern, exclusion and example counts.
    List(list::Args),
    /// Show one trope whole: fields, patterns, exclusions, and its examples run.
    Show(show::Args),
    /// Scaffold a new trope file with placeholders to fill in.
    New(new::Args),
    /// Add a pattern (or, with --exclusion, an exclusion) to a trope.
    AddPattern(pattern::AddArgs),
    /// Remove a pattern (or, with --exclusion, an exclusion) from a trope.
    RemovePattern(pattern::RemoveArgs),
    /// Add an example a trope must (or must not) match.
    AddExample(example::Args),
    /// Set a trope's name, weight or description.
    Set(set::Args),
    /// Rewrite lexicon files into the canonical form (or, with --check, list those that are not).
    Fmt(fmt::Args),
    /// Check the lexicon: broken files, duplicates, shadowed patterns, cue overlaps, missing examples.
    Lint(lint::Args),
    /// Run every lexicon example through the full pipeline.
    Test(test::Args),
    /// Keyword in context: every hit of a pattern or trope in a corpus, with status and cue.
    Kwic(kwic::Args),
    /// Hits per trope and per pattern by status on a corpus, and the patterns that never fire.
    Stats(stats::Args),
    /// The documents of a corpus whose lean, statuses or scores change between two lexicons.
    Diff(diff::Args),
    /// Train the learned stage's model (learned.tsv) on gold files and the examples.
    Train(train::Args),
}

/// Run a curator subcommand.
pub fn run(cmd: Command) -> anyhow::Result<Outcome> {
    match cmd {
        Command::List(a) => list::run(a),
        Command::Show(a) => show::run(a),
        Command::New(a) => new::run(a),
        Command::AddPattern(a) => pattern::run_add(a),
        Command::RemovePattern(a) => pattern::run_remove(a),
        Command::AddExample(a) => example::run(a),
        Command::Set(a) => set::run(a),
        Command::Fmt(a) => fmt::run(a),
        Command::Lint(a) => lint::run(a),
        Command::Test(a) => test::run(a),
        Command::Kwic(a) => kwic::run(a),
        Command::Stats(a) => stats::run(a),
        Command::Diff(a) => diff::run(a),
        Command::Train(a) => train::run(a),
    }
}

/// `--lexicon DIR` for the curator commands.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct LexiconDir {
    /// Lexicon folder [default: $TROPESCOPE_LEXICON, else the project's lexicons/ when run
    /// inside the tropescope project, else (read-only commands) the embedded lexicon].
    #[arg(long, value_name = "DIR")]
    pub lexicon: Option<PathBuf>,
}

/// Where a command's lexicon comes from.
#[derive(Clone, Debug)]
pub enum Origin {
    /// A folder on disk.
    Dir(PathBuf),
    /// The lexicon compiled into the binary.
    Embedded,
}

impl LexiconDir {
    /// The folder an edit command works on.
    pub fn for_edit(&self) -> anyhow::Result<PathBuf> {
        match self.resolve()? {
            Some(dir) => Ok(dir),
            None => bail!(
                "no lexicon folder to edit: not inside the tropescope project (no lexicons/tropes \
                 beside its Cargo.toml here or above); pass --lexicon DIR, a folder holding \
                 tropes/, cues/ and model.toml"
            ),
        }
    }

    /// The lexicon a read-only command works on.
    pub fn for_read(&self) -> anyhow::Result<Origin> {
        Ok(self.resolve()?.map_or(Origin::Embedded, Origin::Dir))
    }

    fn resolve(&self) -> anyhow::Result<Option<PathBuf>> {
        if let Some(dir) = &self.lexicon {
            check_lexicon_dir(dir).context("--lexicon")?;
            return Ok(Some(dir.clone()));
        }
        if let Some(dir) = std::env::var_os(LEXICON_ENV).filter(|d| !d.is_empty()) {
            let dir = PathBuf::from(dir);
            check_lexicon_dir(&dir).context(LEXICON_ENV)?;
            return Ok(Some(dir));
        }
        let cwd = std::env::current_dir().context("cannot read the current folder")?;
        Ok(project_lexicons(&cwd))
    }
}

/// `lexicons/` of the tropescope project holding `start`, if any.
pub fn project_lexicons(start: &Path) -> Option<PathBuf> {
    for dir in start.ancestors() {
        let lexicons = dir.join("lexicons");
        if !lexicons.join("tropes").is_dir() {
            continue;
        }
        let Ok(manifest) = std::fs::read_to_string(dir.join("Cargo.toml")) else {
            continue;
        };
        let name = manifest
            .parse::<toml::Table>()
            .ok()
            .and_then(|t| t.get("package")?.get("name")?.as_str().map(str::to_string));
        if name.as_deref() == Some("tropescope") {
            return Some(lexicons);
        }
    }
    None
}

impl Origin {
    /// The folder paths are shown under (`lexicons` for the embedded set).
    pub fn base(&self) -> PathBuf {
        match self {
            Origin::Dir(d) => d.clone(),
            Origin::Embedded => PathBuf::from("lexicons"),
        }
    }

    /// The lexicon's files.
    pub fn files(&self) -> anyhow::Result<Vec<SourceFile>> {
        match self {
            Origin::Dir(d) => {
                read_dir_files(d).with_context(|| format!("cannot read {}", d.display()))
            }
            Origin::Embedded => Ok(embedded_files()),
        }
    }

    /// Load the lexicon.
    pub fn lexicon(&self) -> anyhow::Result<Lexicon> {
        match self {
            Origin::Dir(d) => Lexicon::load_dir(d),
            Origin::Embedded => Lexicon::embedded(),
        }
        .context("cannot load the lexicon (`tropescope lexicon lint` says what is wrong)")
    }

    /// Load and compile the lexicon (the compile checks every pattern), with the learned
    /// stage as `learned` says (`None`: as model.toml says).
    pub fn analyzer(&self, learned: Option<bool>) -> anyhow::Result<Analyzer> {
        let mut lexicon = match self {
            Origin::Dir(d) => Lexicon::read_dir(d),
            Origin::Embedded => Lexicon::embedded(),
        }
        .context("cannot load the lexicon (`tropescope lexicon lint` says what is wrong)")?;
        lexicon.switch_learned(learned);
        let compiled = CompiledLexicon::new(lexicon).context("cannot compile the lexicon")?;
        Ok(Analyzer::new(compiled))
    }

    /// [`Origin::analyzer`] as model.toml says, but with the learned stage left out (and a
    /// warning) when its model does not fit the lexicon: a curator who renames a trope is
    /// between the edit and the retraining, and `show` and the checks after an edit should
    /// still work on the patterns.
    pub fn curator_analyzer(&self) -> anyhow::Result<Analyzer> {
        match self.analyzer(None) {
            Ok(a) => Ok(a),
            Err(e)
                if e.downcast_ref::<tropescope::Error>()
                    .is_some_and(tropescope::Error::is_about_learned_model) =>
            {
                eprintln!("tropescope: warning: the learned stage is left out here: {e:#}");
                self.analyzer(Some(false))
            }
            Err(e) => Err(e),
        }
    }

    /// How to name it to a person.
    pub fn describe(&self) -> String {
        match self {
            Origin::Dir(d) => d.display().to_string(),
            Origin::Embedded => "the embedded lexicon".to_string(),
        }
    }
}

/// The path of trope `id`'s file relative to `dir`, with a "did you mean" when missing.
pub fn trope_file(dir: &Path, id: &str) -> anyhow::Result<String> {
    let direct = edit::trope_path(id);
    if dir.join(&direct).is_file() {
        return Ok(direct);
    }
    let files = read_dir_files(dir).with_context(|| format!("cannot read {}", dir.display()))?;
    let stem = |p: &str| {
        Path::new(p)
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default()
    };
    if let Some(f) = files
        .iter()
        .find(|f| f.path.starts_with("tropes/") && stem(&f.path) == id)
    {
        return Ok(f.path.clone());
    }
    let ids: Vec<String> = files
        .iter()
        .filter(|f| f.path.starts_with("tropes/"))
        .map(|f| stem(&f.path))
        .collect();
    match edit::nearest_id(ids.iter().map(String::as_str), id) {
        Some(near) => bail!(
            "no trope {id:?} in {}; did you mean {near:?}?",
            dir.display()
        ),
        None => bail!(
            "no trope {id:?} in {} (`tropescope lexicon list` shows the ids)",
            dir.display()
        ),
    }
}

/// The environment variable integration tests set to make an edit fail, or the process
/// die, after the temporary file is written and before it replaces the original:
/// `fail-before-rename` or `abort-before-rename`; `delay-before-rename` waits there a
/// moment instead, so that edits run at once overlap.
const FAULT_ENV: &str = "TROPESCOPE_TEST_FAULT";

/// Read `dir/rel`, edit it, and write the result atomically (or print it, with
/// `dry_run`), holding the folder's lock from the read to the write. Returns whether the
/// text changed.
pub fn write_edit(
    dir: &Path,
    rel: &str,
    dry_run: bool,
    edit: impl FnOnce(&Path, &SourceFile) -> tropescope::Result<String>,
) -> anyhow::Result<bool> {
    let path = dir.join(rel);
    let _lock = edit::lock_folder_to_write(dir, !dry_run)?;
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("cannot read {}", path.display()))?;
    let file = SourceFile {
        path: rel.to_string(),
        text: text.into(),
    };
    let out = edit(dir, &file)?;
    let changed = out != file.text;
    if dry_run {
        std::io::stdout().write_all(out.as_bytes())?;
    } else if changed {
        write_file(&path, &out)?;
    }
    Ok(changed)
}

/// Write a lexicon file atomically (honouring the test fault hook).
pub fn write_file(path: &Path, text: &str) -> anyhow::Result<()> {
    let fault = std::env::var(FAULT_ENV).unwrap_or_default();
    edit::write_atomic_with(path, text.as_bytes(), |_| match fault.as_str() {
        "fail-before-rename" => Err(std::io::Error::other(format!(
            "simulated failure before the rename ({FAULT_ENV})"
        ))),
        "abort-before-rename" => std::process::abort(),
        "delay-before-rename" => {
            std::thread::sleep(std::time::Duration::from_millis(300));
            Ok(())
        }
        _ => Ok(()),
    })
    .with_context(|| format!("cannot write {}; it is unchanged", path.display()))
}

/// After an edit of trope `id` in `dir`: run its examples and say how they fare.
pub fn after_edit(dir: &Path, id: &str) -> anyhow::Result<Outcome> {
    let origin = Origin::Dir(dir.to_path_buf());
    let analyzer = origin.curator_analyzer()?;
    let results = run_examples(&analyzer, Some(id));
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let failed = write_failures(&mut out, dir, &results, false)?;
    writeln!(
        out,
        "{id}: {} examples, {} passed, {failed} failed",
        results.len(),
        results.len() - failed
    )?;
    Ok(if failed > 0 {
        Outcome::Problems
    } else {
        Outcome::Ok
    })
}

/// Print failing examples (and passing ones with `verbose`); returns how many failed.
pub fn write_failures(
    out: &mut impl Write,
    base: &Path,
    results: &[ExampleResult],
    verbose: bool,
) -> std::io::Result<usize> {
    let mut failed = 0;
    for r in results {
        let place = base.join(&r.file);
        if r.passed() {
            if verbose {
                writeln!(
                    out,
                    "ok   {}:{} [{}] {} {:?}",
                    place.display(),
                    r.line,
                    r.trope,
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
            "FAIL {}:{} [{}] expected {}, got {found}\n     {:?}",
            place.display(),
            r.line,
            r.trope,
            r.expect.as_str(),
            r.text
        )?;
        for w in &r.why {
            writeln!(out, "     {w}")?;
        }
    }
    Ok(failed)
}

/// Escape a value for a text table cell: one line.
pub fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}
