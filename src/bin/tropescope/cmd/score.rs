//! `tropescope score [FILE|-]...`: analyse documents and report on each.

use std::io::{Read, Write};
use std::path::PathBuf;

use anyhow::Context;
use termcolor::StandardStream;
use tropescope::input::{self, InputFormat};
use tropescope::report::{self, text::TextOptions};

use crate::util::{ColorWhen, LexiconArgs};
use crate::Outcome;

/// Output formats of `score`.
#[derive(clap::ValueEnum, Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Format {
    /// A report for people.
    #[default]
    Text,
    /// One JSON object per document, one per line (schema tropescope.analysis/1).
    Json,
    /// One CSV row per document, and an `error` row per input that could not be read.
    Csv,
}

/// Arguments of `score`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Files to score; `-` (or nothing) reads standard input.
    #[arg(value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
    /// Input format (default: by extension and content).
    #[arg(long, value_name = "FORMAT", default_value = "auto")]
    pub input_format: InputFormat,
    /// Show which pattern matched, which cue decided, and each mention's contribution.
    #[arg(long)]
    pub explain: bool,
    /// Characters of sentence context on each side of a match (0: whole sentence).
    #[arg(long, default_value_t = 90)]
    pub context: usize,
    /// Refuse documents larger than this many bytes (a 1 MB review has ~180,000 words).
    #[arg(long, value_name = "BYTES", default_value_t = 32 << 20)]
    pub max_bytes: u64,
    /// When to use colour.
    #[arg(long, value_enum, default_value_t)]
    pub color: ColorWhen,
    /// Lexicon.
    #[command(flatten)]
    pub lexicon: LexiconArgs,
}

fn too_big(name: &str, max: u64) -> anyhow::Error {
    anyhow::anyhow!("{name}: document is over the --max-bytes limit of {max} bytes; split it, or raise --max-bytes")
}

/// Run `score`.
pub fn run(args: Args) -> anyhow::Result<Outcome> {
    let analyzer = args.lexicon.analyzer()?;
    let lex = analyzer.lexicon();
    let files = if args.files.is_empty() {
        vec![PathBuf::from("-")]
    } else {
        args.files.clone()
    };
    let mut out = StandardStream::stdout(args.color.choice());
    let mut csv_rows = Vec::new();
    let mut failed = false;
    let mut ws = analyzer.workspace();
    let mut first = true;
    for file in &files {
        let articles = if file.as_os_str() == "-" {
            let mut bytes = Vec::new();
            // One byte past the limit tells "too big" from "exactly the limit"; saturating,
            // as `--max-bytes 18446744073709551615` (no limit) would wrap to 0 and read nothing.
            std::io::stdin()
                .take(args.max_bytes.saturating_add(1))
                .read_to_end(&mut bytes)
                .context("cannot read standard input")?;
            if bytes.len() as u64 > args.max_bytes {
                Err(too_big("-", args.max_bytes))
            } else {
                input::decode_posts(&bytes, args.input_format, "-").map_err(anyhow::Error::from)
            }
        } else {
            match std::fs::metadata(file) {
                Ok(m) if m.is_file() && m.len() > args.max_bytes => {
                    Err(too_big(&file.display().to_string(), args.max_bytes))
                }
                _ => input::read_path_posts(file, args.input_format).map_err(anyhow::Error::from),
            }
        };
        // Each post of a WordPress export on its own: one that cannot be read is an error
        // beside the others, not the loss of all of them.
        let source = file.display().to_string();
        let posts: Vec<(String, anyhow::Result<input::Article>)> = match articles {
            Ok(posts) => posts
                .into_iter()
                .map(|(id, post)| (id, post.map_err(anyhow::Error::from)))
                .collect(),
            Err(e) => vec![(source.clone(), Err(e))],
        };
        for (id, post) in posts {
            let article = match post {
                Ok(a) => a,
                Err(e) => {
                    eprintln!("tropescope: error: {e:#}");
                    if args.format == Format::Csv {
                        // As in `batch`: every input has its row, so a table that lost one
                        // says so.
                        csv_rows.push(report::csv::error_row(lex, &id, &source, &format!("{e:#}")));
                    }
                    failed = true;
                    continue;
                }
            };
            let a = analyzer.analyze_with(&mut ws, article);
            match args.format {
                Format::Text => {
                    if !first {
                        writeln!(out)?;
                    }
                    report::text::write(
                        &mut out,
                        lex,
                        &a,
                        TextOptions {
                            explain: args.explain,
                            context: args.context,
                        },
                    )?;
                }
                Format::Json => report::json::write_line(&mut out, lex, &a)?,
                Format::Csv => csv_rows.push(report::csv::document_row(lex, &a, &source)),
            }
            first = false;
        }
    }
    if args.format == Format::Csv {
        report::csv::write_documents(&mut out, &csv_rows)?;
    }
    out.flush()?;
    Ok(if failed { Outcome::Failed } else { Outcome::Ok })
}
