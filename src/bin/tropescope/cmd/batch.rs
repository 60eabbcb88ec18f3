//! `tropescope batch INPUT... -o FILE`: a corpus → a document table (and a mention table,
//! and a per-group summary), every input document accounted for.

use std::fs::File;
use std::io::{BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use anyhow::Context;
use tropescope::batch::{self, BatchOptions, Outputs, Progress, RowFormat};
use tropescope::corpus::{self, DEFAULT_MAX_BYTES};

use crate::util::{CorpusArgs, LexiconArgs};
use crate::Outcome;

/// Row formats of `batch`.
#[derive(clap::ValueEnum, Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Format {
    /// CSV with a header row.
    #[default]
    Csv,
    /// One JSON object a line (the CSV columns as keys).
    Jsonl,
}

/// Arguments of `batch`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Files, folders (read recursively), CSV/TSV, JSON Lines and WordPress JSON files, `.gz`
    /// or `.xz` compressed or not; `-` reads standard input.
    #[arg(value_name = "INPUT", required = true)]
    pub inputs: Vec<PathBuf>,
    /// The document table: one row per input document (`-`: standard output).
    #[arg(short, long, value_name = "FILE", default_value = "-")]
    pub output: PathBuf,
    /// Also write the mention table: one row per trope mention.
    #[arg(long, value_name = "FILE")]
    pub mentions: Option<PathBuf>,
    /// Row format of the tables.
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
    /// Summarise by this kept column (a show, a reviewer) into --summary.
    #[arg(long, value_name = "COLUMN", requires = "summary")]
    pub group_by: Option<String>,
    /// Where the --group-by summary goes.
    #[arg(long, value_name = "FILE", requires = "group_by")]
    pub summary: Option<PathBuf>,
    /// Columns (CSV) or fields (JSON Lines) copied to the end of each document row.
    #[arg(long, value_name = "NAME,...", value_delimiter = ',')]
    pub keep_columns: Vec<String>,
    /// How to read the inputs.
    #[command(flatten)]
    pub corpus: CorpusArgs,
    /// Documents larger than this many bytes get an error row.
    #[arg(long, value_name = "BYTES", default_value_t = DEFAULT_MAX_BYTES)]
    pub max_bytes: usize,
    /// Worker threads (0: one per core).
    #[arg(short, long, value_name = "N", default_value_t = 0)]
    pub jobs: usize,
    /// Lexicon.
    #[command(flatten)]
    pub lexicon: LexiconArgs,
}

/// Run `batch`.
pub fn run(args: Args) -> anyhow::Result<Outcome> {
    for (i, k) in args.keep_columns.iter().enumerate() {
        if k.is_empty() {
            anyhow::bail!("--keep-columns: an empty column name; give names separated by commas");
        }
        if args.keep_columns[..i].contains(k) {
            anyhow::bail!("--keep-columns: {k:?} is given twice; give each column once");
        }
    }
    let mut keep = args.keep_columns.clone();
    let group_by = args.group_by.as_ref().map(|g| {
        keep.iter().position(|k| k == g).unwrap_or_else(|| {
            keep.push(g.clone());
            keep.len() - 1
        })
    });
    let corpus_opts = args.corpus.options(keep, args.max_bytes);
    let to_stdout = is_stdout(&args.output);
    let format = match args.format {
        Format::Csv => RowFormat::Csv,
        Format::Jsonl => RowFormat::JsonLines,
    };
    let opts = BatchOptions {
        jobs: args.jobs,
        format,
        flush: to_stdout,
        group_by,
        ..BatchOptions::default()
    };

    check_outputs(&args)?;
    if args.jobs > MAX_JOBS {
        anyhow::bail!(
            "--jobs {}: at most {MAX_JOBS} worker threads (0: one per core)",
            args.jobs
        );
    }
    remove_outputs_on_interrupt();
    let analyzer = args.lexicon.analyzer()?;
    let corpus = corpus::open(&args.inputs, &corpus_opts)?;
    let mut documents = Target::create(&args.output)?;
    let mut mentions = args.mentions.as_deref().map(Target::create).transpose()?;
    let bar = progress_bar();
    let started = Instant::now();
    let summary = batch::run(
        analyzer,
        corpus,
        &opts,
        Outputs {
            documents: documents.writer(),
            mentions: mentions.as_mut().map(Target::writer),
        },
        &|p: Progress| {
            if let Some(bar) = &bar {
                bar.set_message(describe(p, started.elapsed()));
            }
        },
    )?;
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    // Everything written: now, and only now, the outputs take their final names.
    documents.finish()?;
    if let Some(m) = mentions {
        m.finish()?;
    }
    if let (Some(groups), Some(path)) = (&summary.groups, &args.summary) {
        let mut target = Target::create(path)?;
        match format {
            RowFormat::Csv => groups.write_csv(target.writer(), analyzer.lexicon())?,
            RowFormat::JsonLines => groups.write_jsonl(target.writer(), analyzer.lexicon())?,
        }
        target.finish()?;
    }

    for note in &summary.notes {
        eprintln!("tropescope: note: {note}");
    }
    for e in &summary.first_errors {
        eprintln!("tropescope: {e}");
    }
    if summary.errors > summary.first_errors.len() as u64 {
        eprintln!(
            "tropescope: ... and {} more failed documents (status \"error\" in the table)",
            summary.errors - summary.first_errors.len() as u64
        );
    }
    eprintln!(
        "tropescope: {} read, {} ok, {} error; {}",
        summary.read,
        summary.ok,
        summary.errors,
        describe_rate(summary.bytes, started.elapsed())
    );
    Ok(if summary.errors > 0 {
        Outcome::Failed
    } else {
        Outcome::Ok
    })
}

fn is_stdout(path: &Path) -> bool {
    path.as_os_str() == "-"
}

/// The folder a file path is in (`.` for a bare name).
fn folder_of(path: &Path) -> &Path {
    match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    }
}

/// More worker threads than this help no machine and can exhaust a small one's memory.
const MAX_JOBS: usize = 1024;

/// Refuse, before any work, outputs that would lose data or fail only at the end: an
/// output that is a folder, two outputs on one file (or both on standard output, where
/// their rows would interleave), and an output that is one of the inputs (the report
/// would replace the corpus).
fn check_outputs(args: &Args) -> anyhow::Result<()> {
    let outputs: Vec<(&str, &Path)> = [
        Some(("-o", args.output.as_path())),
        args.mentions.as_deref().map(|p| ("--mentions", p)),
        args.summary.as_deref().map(|p| ("--summary", p)),
    ]
    .into_iter()
    .flatten()
    .collect();
    // The same file however it is spelled ("m.csv", "./m.csv"), whether or not it exists
    // yet: the folder resolved, the name kept.
    let resolved = |p: &Path| {
        p.canonicalize()
            .ok()
            .or_else(|| Some(folder_of(p).canonicalize().ok()?.join(p.file_name()?)))
    };
    let same = |a: &Path, b: &Path| match (resolved(a), resolved(b)) {
        (Some(a), Some(b)) => a == b,
        _ => a == b,
    };
    for (i, &(flag, path)) in outputs.iter().enumerate() {
        if is_stdout(path) {
            if let Some((other, _)) = outputs[..i].iter().find(|(_, p)| is_stdout(p)) {
                anyhow::bail!(
                    "{other} and {flag} are both standard output: give one of them a file"
                );
            }
            continue;
        }
        // A device or pipe (`/dev/null` for both tables) is written in place, not replaced.
        if std::fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir()) {
            continue;
        }
        if path.is_dir() || path.as_os_str().to_string_lossy().ends_with('/') {
            anyhow::bail!(
                "{flag} {}: is a folder; give the path of a file to write",
                path.display()
            );
        }
        if let Some((other, _)) = outputs[..i].iter().find(|(_, p)| same(p, path)) {
            anyhow::bail!(
                "{other} and {flag} are the same file ({}): give each its own",
                path.display()
            );
        }
        if let Some(input) = args.inputs.iter().find(|input| same(input, path)) {
            anyhow::bail!(
                "{flag} {}: is an input too ({}); the report would replace it: write it elsewhere",
                path.display(),
                input.display()
            );
        }
    }
    Ok(())
}

/// The temporary files of the outputs not yet renamed into place.
static UNFINISHED: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// On Ctrl-C or SIGTERM, remove the unfinished outputs' temporary files and exit 130 (as a
/// shell reports a run stopped by Ctrl-C). The final names are never written before the
/// end in any case; this keeps `.tropescope-*.tmp` files from piling up beside them.
fn remove_outputs_on_interrupt() {
    // Only fails when a handler is set already; the run goes on without it then.
    let _ = ctrlc::set_handler(|| {
        let unfinished = UNFINISHED.lock().unwrap_or_else(PoisonError::into_inner);
        for path in unfinished.iter() {
            let _ = std::fs::remove_file(path);
        }
        eprintln!("\ntropescope: interrupted: no report written");
        std::process::exit(130);
    });
}

/// An output: standard output, or a temporary file beside the final name, renamed into
/// place by [`Target::finish`] (an interrupted run leaves nothing under the final name).
enum Target {
    Stdout(BufWriter<std::io::Stdout>),
    /// An existing path that is not a regular file (`/dev/null`, a named pipe): written
    /// in place, never replaced by a rename.
    Special(BufWriter<File>),
    File {
        writer: BufWriter<tempfile::NamedTempFile>,
        path: PathBuf,
    },
}

impl Target {
    fn create(path: &Path) -> anyhow::Result<Target> {
        if is_stdout(path) {
            return Ok(Target::Stdout(BufWriter::with_capacity(
                1 << 16,
                std::io::stdout(),
            )));
        }
        if std::fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir()) {
            let file = std::fs::OpenOptions::new()
                .write(true)
                .open(path)
                .with_context(|| format!("cannot open {}", path.display()))?;
            return Ok(Target::Special(BufWriter::with_capacity(1 << 16, file)));
        }
        let dir = folder_of(path);
        let tmp = tempfile::Builder::new()
            .prefix(".tropescope-")
            .suffix(".tmp")
            .tempfile_in(dir)
            .with_context(|| format!("cannot create a file in {}", dir.display()))?;
        // The temporary file is created private (0600); the report gets the mode of the
        // file it replaces, or a new file's usual 0644, so others who could read the old
        // report can read the new one.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(path).map_or(0o644, |m| m.permissions().mode() & 0o7777);
            tmp.as_file()
                .set_permissions(std::fs::Permissions::from_mode(mode))
                .with_context(|| format!("cannot create a file in {}", dir.display()))?;
        }
        UNFINISHED
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(tmp.path().to_path_buf());
        Ok(Target::File {
            writer: BufWriter::with_capacity(1 << 20, tmp),
            path: path.to_path_buf(),
        })
    }

    fn writer(&mut self) -> &mut (dyn Write + Send) {
        match self {
            Target::Stdout(w) => w,
            Target::Special(w) => w,
            Target::File { writer, .. } => writer,
        }
    }

    fn finish(self) -> anyhow::Result<()> {
        match self {
            Target::Stdout(mut w) => Ok(w.flush()?),
            Target::Special(mut w) => Ok(w.flush()?),
            Target::File { writer, path } => {
                let tmp = writer
                    .into_inner()
                    .map_err(|e| e.into_error())
                    .with_context(|| format!("cannot write {}", path.display()))?;
                tmp.as_file()
                    .sync_all()
                    .with_context(|| format!("cannot write {}", path.display()))?;
                // Held through the rename, so an interrupt removes the temporary file
                // either before it (nothing under the final name) or not at all.
                let mut unfinished = UNFINISHED.lock().unwrap_or_else(PoisonError::into_inner);
                unfinished.retain(|p| p != tmp.path());
                let file: File = tmp
                    .persist(&path)
                    .map_err(|e| e.error)
                    .with_context(|| format!("cannot rename the output into {}", path.display()))?;
                drop(file);
                Ok(())
            }
        }
    }
}

fn progress_bar() -> Option<indicatif::ProgressBar> {
    if !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = indicatif::ProgressBar::new_spinner();
    bar.set_style(
        indicatif::ProgressStyle::with_template("{spinner} {elapsed_precise} {msg}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
    );
    bar.enable_steady_tick(Duration::from_millis(120));
    Some(bar)
}

fn describe(p: Progress, elapsed: Duration) -> String {
    format!(
        "{} documents ({} errors); {}",
        p.documents,
        p.errors,
        describe_rate(p.bytes, elapsed)
    )
}

fn describe_rate(bytes: u64, elapsed: Duration) -> String {
    let mb = bytes as f64 / 1e6;
    let secs = elapsed.as_secs_f64().max(1e-9);
    format!("{mb:.1} MB of text in {secs:.2} s, {:.1} MB/s", mb / secs)
}
