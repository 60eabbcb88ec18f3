//! `tropescope lexicon kwic (PATTERN | --trope ID) CORPUS...`: a keyword-in-context
//! concordance, each hit with its status and the cue that decided it.

use std::io::Write;
use std::path::PathBuf;

use anyhow::{bail, Context};
use tropescope::lexicon::corpus_stats::{kwic_lines, with_query, KwicLine};
use tropescope::{Analyzer, CompiledLexicon, Status};

use super::corpus::{finish, scan, ScanArgs};
use super::LexiconDir;
use crate::Outcome;

/// Output formats of `lexicon kwic`.
#[derive(clap::ValueEnum, Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Format {
    /// Aligned lines: document, status, cue, left context, [match], right context.
    #[default]
    Text,
    /// CSV with a header row, contexts unpadded.
    Csv,
}

/// Statuses on the command line.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum StatusArg {
    /// The work uses it.
    Present,
    /// The work avoids or lacks it.
    Absent,
    /// The genre, other works, hypotheticals.
    Generic,
}

/// Arguments of `lexicon kwic`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// A pattern then the corpus (files, folders, CSV/JSON Lines, .gz/.xz); with --trope,
    /// only the corpus.
    #[arg(value_name = "PATTERN|CORPUS", required = true)]
    pub items: Vec<String>,
    /// Show the hits of this trope instead of a pattern's.
    #[arg(long, value_name = "ID")]
    pub trope: Option<String>,
    /// Only hits with this status.
    #[arg(long, value_enum)]
    pub status: Option<StatusArg>,
    /// Characters of context on each side.
    #[arg(long, default_value_t = 40)]
    pub width: usize,
    /// Show at most this many hits (0: all); the totals still count them all.
    #[arg(long, default_value_t = 50)]
    pub limit: usize,
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

/// Run `lexicon kwic`.
pub fn run(args: Args) -> anyhow::Result<Outcome> {
    let origin = args.lexicon.for_read()?;
    let lexicon = origin.lexicon()?;
    let (mut lexicon, inputs) = match &args.trope {
        Some(id) => {
            if lexicon.trope(id).is_none() {
                bail!("no trope {id:?} in {}", origin.describe());
            }
            (lexicon, args.items.clone())
        }
        None => {
            let (pattern, rest) = args.items.split_first().context("no pattern given")?;
            if rest.is_empty() {
                bail!("no corpus given: kwic PATTERN CORPUS... (or kwic --trope ID CORPUS...)");
            }
            (with_query(&lexicon, pattern)?, rest.to_vec())
        }
    };
    let id = args
        .trope
        .clone()
        .unwrap_or_else(|| tropescope::lexicon::corpus_stats::QUERY_ID.to_string());
    lexicon.switch_learned(args.stage.on());
    let analyzer =
        Analyzer::new(CompiledLexicon::new(lexicon).context("cannot compile the lexicon")?);
    let index = analyzer
        .lexicon()
        .lexicon()
        .tropes
        .iter()
        .position(|t| t.id == id)
        .context("trope vanished")? as u16;
    let want = args.status.map(|s| match s {
        StatusArg::Present => Status::Present,
        StatusArg::Absent => Status::Absent,
        StatusArg::Generic => Status::Generic,
    });
    let inputs: Vec<PathBuf> = inputs.into_iter().map(PathBuf::from).collect();
    let started = std::time::Instant::now();
    let mut shown: Vec<KwicLine> = Vec::new();
    let mut totals = [0u64; 3];
    let mut docs_hit = 0u64;
    let limit = if args.limit == 0 {
        usize::MAX
    } else {
        args.limit
    };
    let stdout = std::io::stdout();
    let mut csv_out = (args.format == Format::Csv).then(|| csv::Writer::from_writer(stdout.lock()));
    if let Some(w) = csv_out.as_mut() {
        w.write_record([
            "document",
            "source",
            "trope",
            "pattern",
            "status",
            "cue",
            "cue_category",
            "left",
            "match",
            "right",
            "start",
            "end",
        ])?;
    }
    let mut written = 0usize;
    let scanned = scan(&inputs, &args.corpus, &[&analyzer], |done| {
        let Ok(analyses) = done.analyses else {
            return Ok(());
        };
        let Some(a) = analyses.first() else {
            return Ok(());
        };
        let lines = kwic_lines(
            analyzer.lexicon(),
            a,
            |m| m.mention.trope == index && want.is_none_or(|s| s == m.decision.status),
            args.width,
        );
        if !lines.is_empty() {
            docs_hit += 1;
        }
        for l in lines {
            totals[Status::ALL.iter().position(|s| *s == l.status).unwrap_or(0)] += 1;
            if written >= limit {
                continue;
            }
            written += 1;
            match csv_out.as_mut() {
                Some(w) => w.write_record([
                    l.document.as_str(),
                    done.source.as_str(),
                    l.trope.as_str(),
                    l.pattern.as_str(),
                    l.status.as_str(),
                    l.cue.as_str(),
                    l.cue_category.as_str(),
                    l.left.as_str(),
                    l.matched.as_str(),
                    l.right.as_str(),
                    &l.start.to_string(),
                    &l.end.to_string(),
                ])?,
                None => shown.push(l),
            }
        }
        Ok(())
    })?;
    if let Some(mut w) = csv_out {
        w.flush()?;
    } else {
        let mut out = stdout.lock();
        write_text(&mut out, &shown, args.width)?;
        let total: u64 = totals.iter().sum();
        writeln!(
            out,
            "{total} hits in {docs_hit} of {} documents (present {}, absent {}, generic {}){}",
            scanned.documents,
            totals[0],
            totals[1],
            totals[2],
            if (total as usize) > shown.len() {
                format!("; showing {}, --limit 0 shows all", shown.len())
            } else {
                String::new()
            }
        )?;
    }
    Ok(finish("kwic", scanned, started))
}

fn cut(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(n.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

/// `s` cut to its last `n` characters (a document's path says most at its end).
fn cut_left(s: &str, n: usize) -> String {
    let len = s.chars().count();
    if len <= n {
        s.to_string()
    } else {
        let mut t = String::from("…");
        t.extend(s.chars().skip(len - n.saturating_sub(1)));
        t
    }
}

/// Aligned lines: the match starts in the same column on every line.
fn write_text(out: &mut impl Write, lines: &[KwicLine], width: usize) -> std::io::Result<()> {
    let docs: Vec<String> = lines.iter().map(|l| cut_left(&l.document, 28)).collect();
    let cues: Vec<String> = lines
        .iter()
        .map(|l| {
            if l.cue.is_empty() {
                "-".to_string()
            } else {
                cut(&format!("{}:{}", l.cue_category, l.cue), 24)
            }
        })
        .collect();
    let dw = docs.iter().map(|d| d.chars().count()).max().unwrap_or(0);
    let cw = cues.iter().map(|c| c.chars().count()).max().unwrap_or(0);
    for ((l, doc), cue) in lines.iter().zip(&docs).zip(&cues) {
        let left = l.left.trim_start();
        let pad = width.saturating_sub(left.chars().count());
        writeln!(
            out,
            "{doc:<dw$}  {:<7}  {cue:<cw$}  {}{left}[{}]{}",
            l.status.as_str(),
            " ".repeat(pad),
            l.matched,
            l.right.trim_end()
        )?;
    }
    Ok(())
}
