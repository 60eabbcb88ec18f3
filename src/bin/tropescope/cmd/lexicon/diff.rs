//! `tropescope lexicon diff OLD_DIR NEW_DIR CORPUS...`: what an edit of the lexicon does
//! to a corpus: the documents whose lean, mention statuses or scores change, biggest
//! change first, each with the mentions gained and lost in their context.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Context;
use tropescope::lexicon::corpus_stats::{
    compare, left_context, right_context, tally, DocChange, MentionKey,
};
use tropescope::{Analyzer, CompiledLexicon, Lexicon};

use super::corpus::{finish, scan, ScanArgs};
use crate::Outcome;

/// Output formats of `lexicon diff`.
#[derive(clap::ValueEnum, Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Format {
    /// A summary, then the biggest changes with their mentions in context.
    #[default]
    Text,
    /// CSV: one row per changed document, biggest change first.
    Csv,
}

/// Arguments of `lexicon diff`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The lexicon before the edit (e.g. a `git worktree` of HEAD, or a copy).
    #[arg(value_name = "OLD_DIR")]
    pub old: PathBuf,
    /// The lexicon after the edit.
    #[arg(value_name = "NEW_DIR")]
    pub new: PathBuf,
    /// The corpus: files, folders, CSV/JSON Lines files, .gz/.xz.
    #[arg(value_name = "CORPUS", required = true)]
    pub inputs: Vec<PathBuf>,
    /// Show at most this many documents (0: all).
    #[arg(long, default_value_t = 20)]
    pub limit: usize,
    /// Characters of context on each side of a changed mention.
    #[arg(long, default_value_t = 40)]
    pub width: usize,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
    /// Corpus options.
    #[command(flatten)]
    pub corpus: ScanArgs,
    /// The learned stage's switch, for both lexicons.
    #[command(flatten)]
    pub stage: crate::util::LearnedSwitch,
}

fn analyzer(dir: &std::path::Path, learned: Option<bool>) -> anyhow::Result<Analyzer> {
    let mut lexicon = Lexicon::read_dir(dir)
        .with_context(|| format!("cannot load the lexicon {}", dir.display()))?;
    lexicon.switch_learned(learned);
    Ok(Analyzer::new(CompiledLexicon::new(lexicon).with_context(
        || format!("cannot compile the lexicon {}", dir.display()),
    )?))
}

/// A changed document with its changed mentions in context.
struct Shown {
    change: DocChange,
    source: String,
    /// (+ or -, mention, context line).
    lines: Vec<(char, MentionKey, String)>,
}

/// Run `lexicon diff`.
pub fn run(args: Args) -> anyhow::Result<Outcome> {
    let old = analyzer(&args.old, args.stage.on())?;
    let new = analyzer(&args.new, args.stage.on())?;
    let started = std::time::Instant::now();
    let mut changed: Vec<Shown> = Vec::new();
    let scanned = scan(&args.inputs, &args.corpus, &[&old, &new], |done| {
        let Ok(a) = &done.analyses else {
            return Ok(());
        };
        let (Some(o), Some(n)) = (a.first(), a.get(1)) else {
            return Ok(());
        };
        if let Some(change) = compare(old.lexicon(), o, new.lexicon(), n) {
            let text = &o.article.text;
            let context = |k: &MentionKey| {
                format!(
                    "{}[{}]{}",
                    left_context(&text[..k.start], args.width).trim_start(),
                    text[k.start..k.end]
                        .split_whitespace()
                        .collect::<Vec<_>>()
                        .join(" "),
                    right_context(&text[k.end..], args.width).trim_end()
                )
            };
            let mut lines: Vec<(char, MentionKey, String)> = Vec::new();
            for k in &change.removed {
                lines.push(('-', k.clone(), context(k)));
            }
            for k in &change.added {
                lines.push(('+', k.clone(), context(k)));
            }
            lines.sort_by_key(|l| (l.1.start, l.0 == '+'));
            changed.push(Shown {
                change,
                source: done.source,
                lines,
            });
        }
        Ok(())
    })?;
    changed.sort_by(|a, b| DocChange::cmp_biggest_first(&a.change, &b.change));
    let limit = if args.limit == 0 {
        usize::MAX
    } else {
        args.limit
    };
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match args.format {
        Format::Csv => {
            let mut w = csv::Writer::from_writer(&mut out);
            w.write_record([
                "document",
                "source",
                "old_lean",
                "new_lean",
                "old_index",
                "new_index",
                "delta_index",
                "old_cliche",
                "new_cliche",
                "old_mature",
                "new_mature",
                "removed",
                "added",
            ])?;
            let spell = |ks: &[MentionKey]| {
                ks.iter()
                    .map(|k| format!("{}:{}@{}", k.trope, k.status.as_str(), k.start))
                    .collect::<Vec<_>>()
                    .join(" ")
            };
            for s in changed.iter().take(limit) {
                let c = &s.change;
                w.write_record([
                    c.document.clone(),
                    s.source.clone(),
                    c.old_lean.as_str().to_string(),
                    c.new_lean.as_str().to_string(),
                    format!("{:.4}", c.old_index),
                    format!("{:.4}", c.new_index),
                    format!("{:.4}", c.new_index - c.old_index),
                    format!("{:.4}", c.cliche.0),
                    format!("{:.4}", c.cliche.1),
                    format!("{:.4}", c.mature.0),
                    format!("{:.4}", c.mature.1),
                    spell(&c.removed),
                    spell(&c.added),
                ])?;
            }
            w.flush()?;
        }
        Format::Text => {
            let changes: Vec<DocChange> = changed.iter().map(|s| s.change.clone()).collect();
            let leans = changes.iter().filter(|c| c.lean_changed()).count();
            writeln!(
                out,
                "{} documents: {} changed, {} of them change lean ({} -> {})",
                scanned.documents,
                changes.len(),
                leans,
                args.old.display(),
                args.new.display()
            )?;
            let t = tally(&changes);
            if !t.is_empty() {
                writeln!(out, "\nmentions gained and lost, by trope and status:")?;
                let idw = t.keys().map(|(id, _)| id.len()).max().unwrap_or(5);
                for ((id, status), (gained, lost)) in &t {
                    writeln!(
                        out,
                        "  {id:idw$}  {:<7}  +{gained:<5} -{lost}",
                        status.as_str()
                    )?;
                }
            }
            if !changed.is_empty() {
                writeln!(out, "\nbiggest changes first:")?;
            }
            for s in changed.iter().take(limit) {
                let c = &s.change;
                let lean = if c.lean_changed() {
                    format!("lean {} -> {}", c.old_lean.as_str(), c.new_lean.as_str())
                } else {
                    format!("lean {}", c.new_lean.as_str())
                };
                writeln!(
                    out,
                    "\n{}  {lean}  index {:+.2} -> {:+.2}  cliche {:.2} -> {:.2}  mature {:.2} -> {:.2}  ({})",
                    c.document,
                    c.old_index,
                    c.new_index,
                    c.cliche.0,
                    c.cliche.1,
                    c.mature.0,
                    c.mature.1,
                    s.source
                )?;
                for (sign, k, line) in &s.lines {
                    writeln!(out, "  {sign} {} {:<7}  {line}", k.trope, k.status.as_str())?;
                }
            }
            if changed.len() > limit {
                writeln!(
                    out,
                    "\n... {} more changed documents (--limit 0 shows all)",
                    changed.len() - limit
                )?;
            }
        }
    }
    Ok(finish("diff", scanned, started))
}
