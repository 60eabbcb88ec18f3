//! `tropescope lexicon stats CORPUS...`: hits per trope and per pattern by status, and the
//! patterns that never fire.

use std::io::Write;
use std::path::PathBuf;

use tropescope::lexicon::corpus_stats::Stats;

use super::corpus::{finish, scan, ScanArgs};
use super::{one_line, LexiconDir};
use crate::Outcome;

/// Output formats of `lexicon stats`.
#[derive(clap::ValueEnum, Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Format {
    /// Tables for people.
    #[default]
    Text,
    /// CSV: one row per trope (`kind` = trope) and per pattern (`kind` = pattern).
    Csv,
}

/// Arguments of `lexicon stats`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The corpus: files, folders, CSV/JSON Lines files, .gz/.xz.
    #[arg(value_name = "CORPUS", required = true)]
    pub inputs: Vec<PathBuf>,
    /// Only this trope's rows.
    #[arg(long, value_name = "ID")]
    pub trope: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
    /// Corpus options.
    #[command(flatten)]
    pub corpus: ScanArgs,
    /// Lexicon.
    #[command(flatten)]
    pub lexicon: LexiconDir,
    /// The learned stage's switch.
    #[command(flatten)]
    pub stage: crate::util::LearnedSwitch,
}

/// Run `lexicon stats`.
pub fn run(args: Args) -> anyhow::Result<Outcome> {
    let origin = args.lexicon.for_read()?;
    let analyzer = origin.analyzer(args.stage.on())?;
    let lex = analyzer.lexicon();
    let lexicon = lex.lexicon();
    if let Some(id) = &args.trope {
        if lexicon.trope(id).is_none() {
            anyhow::bail!("no trope {id:?} in {}", origin.describe());
        }
    }
    let started = std::time::Instant::now();
    let mut stats = Stats::new(lex);
    let scanned = scan(&args.inputs, &args.corpus, &[&analyzer], |done| {
        if let Ok(a) = &done.analyses {
            if let Some(a) = a.first() {
                stats.add(a);
            }
        }
        Ok(())
    })?;
    let keep = |t: usize| {
        args.trope
            .as_deref()
            .is_none_or(|id| lexicon.tropes[t].id == id)
    };
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let base = origin.base();
    match args.format {
        Format::Csv => {
            let mut w = csv::Writer::from_writer(&mut out);
            w.write_record([
                "kind",
                "trope",
                "file",
                "line",
                "pattern",
                "documents",
                "present",
                "absent",
                "generic",
                "total",
            ])?;
            // kind, trope, file, line, pattern, documents, then the counts by status.
            let mut row = |head: [&str; 6], c: [u64; 3]| {
                let counts = [c[0], c[1], c[2], c.iter().sum::<u64>()].map(|n| n.to_string());
                w.write_record(
                    head.iter()
                        .copied()
                        .chain(counts.iter().map(String::as_str)),
                )
            };
            for (t, trope) in lexicon.tropes.iter().enumerate().filter(|(t, _)| keep(*t)) {
                let file = base.join(&trope.file).display().to_string();
                let documents = stats.trope_documents[t].to_string();
                row(
                    ["trope", &trope.id, &file, "", "", &documents],
                    stats.tropes[t],
                )?;
                for (p, pat) in trope.patterns.iter().enumerate() {
                    let line = pat.line.to_string();
                    row(
                        ["pattern", &trope.id, &file, &line, &pat.value, ""],
                        stats.patterns[t][p],
                    )?;
                }
                if stats.learned[t].iter().sum::<u64>() > 0 {
                    let model = tropescope::learned::MODEL_PATH;
                    row(["learned", &trope.id, model, "", "", ""], stats.learned[t])?;
                }
            }
            w.flush()?;
        }
        Format::Text => {
            writeln!(
                out,
                "{} documents, {} with mentions, {} unreadable; lexicon {} ({})",
                scanned.documents,
                stats.documents_with_mentions,
                scanned.failed,
                origin.describe(),
                lexicon.fingerprint
            )?;
            let idw = lexicon
                .tropes
                .iter()
                .map(|t| t.id.len())
                .max()
                .unwrap_or(5)
                .max(5);
            writeln!(
                out,
                "\n{:idw$}  {:>6}  {:>8}  {:>7}  {:>7}  {:>6}",
                "trope", "docs", "present", "absent", "generic", "total"
            )?;
            let mut order: Vec<usize> = (0..lexicon.tropes.len()).filter(|&t| keep(t)).collect();
            order.sort_by_key(|&t| (std::cmp::Reverse(stats.tropes[t].iter().sum::<u64>()), t));
            for &t in &order {
                let c = stats.tropes[t];
                writeln!(
                    out,
                    "{:idw$}  {:>6}  {:>8}  {:>7}  {:>7}  {:>6}",
                    lexicon.tropes[t].id,
                    stats.trope_documents[t],
                    c[0],
                    c[1],
                    c[2],
                    c.iter().sum::<u64>()
                )?;
            }
            writeln!(
                out,
                "\npatterns by hits (the pattern that found each mention)\n{:idw$}  {:>5}  {:>8}  {:>7}  {:>7}  pattern",
                "trope", "line", "present", "absent", "generic"
            )?;
            // (hits, trope, pattern): the learned stage's mentions are a row of their own,
            // `None` for the pattern.
            let mut rows: Vec<(u64, usize, Option<usize>)> = Vec::new();
            for &t in &order {
                for (p, c) in stats.patterns[t].iter().enumerate() {
                    let n: u64 = c.iter().sum();
                    if n > 0 {
                        rows.push((n, t, Some(p)));
                    }
                }
                let n: u64 = stats.learned[t].iter().sum();
                if n > 0 {
                    rows.push((n, t, None));
                }
            }
            rows.sort_by_key(|&(n, t, p)| (std::cmp::Reverse(n), t, p));
            for (_, t, p) in rows {
                let trope = &lexicon.tropes[t];
                let (c, line, what) = match p {
                    Some(p) => (
                        stats.patterns[t][p],
                        trope.patterns[p].line.to_string(),
                        one_line(&trope.patterns[p].value),
                    ),
                    None => (stats.learned[t], "-".into(), "(learned model)".into()),
                };
                writeln!(
                    out,
                    "{:idw$}  {:>5}  {:>8}  {:>7}  {:>7}  {}",
                    trope.id, line, c[0], c[1], c[2], what
                )?;
            }
            let never: Vec<(usize, usize)> = stats
                .never_fired()
                .into_iter()
                .filter(|(t, _)| keep(*t))
                .collect();
            let total: usize = order
                .iter()
                .map(|&t| lexicon.tropes[t].patterns.len())
                .sum();
            writeln!(
                out,
                "\npatterns that never fired: {} of {total}",
                never.len()
            )?;
            for (t, p) in never {
                let trope = &lexicon.tropes[t];
                writeln!(
                    out,
                    "  {}:{}  {}  {}",
                    base.join(&trope.file).display(),
                    trope.patterns[p].line,
                    trope.id,
                    one_line(&trope.patterns[p].value)
                )?;
            }
        }
    }
    Ok(finish("stats", scanned, started))
}
