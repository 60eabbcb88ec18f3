//! Small pieces several subcommands share: lexicon flags, colour choice, broken pipes.

use std::io::IsTerminal;
use std::path::PathBuf;

use anyhow::Context;
use tropescope::corpus::CorpusOptions;
use tropescope::input::InputFormat;
use tropescope::lexicon::load::LEXICON_ENV;
use tropescope::Analyzer;

/// `--lexicon DIR`, shared by every subcommand that analyses text.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct LexiconArgs {
    /// Lexicon folder to use instead of the embedded one (also: TROPESCOPE_LEXICON).
    #[arg(long, value_name = "DIR")]
    pub lexicon: Option<PathBuf>,
    /// The learned stage's switch.
    #[command(flatten)]
    pub stage: LearnedSwitch,
}

/// `--learned` / `--no-learned`, for every command that analyses text.
#[derive(clap::Args, Debug, Clone, Copy, Default)]
pub struct LearnedSwitch {
    /// Turn the learned stage off, whatever the lexicon's model.toml says.
    #[arg(long, conflicts_with = "learned")]
    pub no_learned: bool,
    /// Turn the learned stage on, whatever model.toml says (the lexicon needs a learned.tsv).
    #[arg(long)]
    pub learned: bool,
}

impl LearnedSwitch {
    /// On, off, or as model.toml says (`None`).
    pub fn on(&self) -> Option<bool> {
        match (self.learned, self.no_learned) {
            (true, _) => Some(true),
            (_, true) => Some(false),
            _ => None,
        }
    }
}

impl LexiconArgs {
    /// Where the lexicon comes from, for an error to name what to fix: `--lexicon`, else
    /// `TROPESCOPE_LEXICON` (which the library reads when no folder is given), else the
    /// embedded set.
    fn source(&self) -> &'static str {
        if self.lexicon.is_some() {
            "given with --lexicon"
        } else if std::env::var_os(LEXICON_ENV).is_some_and(|d| !d.is_empty()) {
            "named by TROPESCOPE_LEXICON"
        } else {
            "embedded in the binary"
        }
    }

    /// Load and compile the chosen lexicon.
    ///
    /// The analyzer serves the whole run, so it is leaked rather than freed at exit: its
    /// tables are many small allocations, and freeing them was a tenth of a `score` run.
    pub fn analyzer(&self) -> anyhow::Result<&'static Analyzer> {
        let analyzer = Analyzer::load_with_learned(self.lexicon.as_deref(), self.stage.on())
            .with_context(|| format!("cannot load the lexicon {}", self.source()))?;
        Ok(Box::leak(Box::new(analyzer)))
    }
}

/// How to read a corpus: the flags `batch`, `lexicon kwic`, `stats` and `diff` share.
#[derive(clap::Args, Debug, Clone)]
pub struct CorpusArgs {
    /// In folders, read only files matching this glob (`*.txt`, `2024/**/*.html`).
    #[arg(long, value_name = "GLOB")]
    pub glob: Option<String>,
    /// CSV column holding the text [default: text].
    #[arg(long, value_name = "NAME")]
    pub text_column: Option<String>,
    /// CSV column holding the document id [default: id when present, else FILE:LINE].
    #[arg(long, value_name = "NAME")]
    pub id_column: Option<String>,
    /// JSON Lines field holding the text; `a.b` reaches into objects [default: text].
    #[arg(long, value_name = "NAME")]
    pub text_field: Option<String>,
    /// JSON Lines field holding the id [default: id when present, else FILE:LINE].
    #[arg(long, value_name = "NAME")]
    pub id_field: Option<String>,
    /// Format of each document's text (default: by extension and content).
    #[arg(long, value_name = "FORMAT", default_value = "auto")]
    pub input_format: InputFormat,
}

impl CorpusArgs {
    /// The library's corpus options, with the columns to keep and the size limit.
    pub fn options(&self, keep_columns: Vec<String>, max_bytes: usize) -> CorpusOptions {
        CorpusOptions {
            glob: self.glob.clone(),
            text_column: self.text_column.clone(),
            id_column: self.id_column.clone(),
            keep_columns,
            text_field: self.text_field.clone(),
            id_field: self.id_field.clone(),
            input_format: self.input_format,
            max_bytes,
        }
    }
}

/// `--color`.
#[derive(clap::ValueEnum, Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ColorWhen {
    /// Colour on a terminal, unless NO_COLOR is set.
    #[default]
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

impl ColorWhen {
    /// The termcolor choice for standard output.
    pub fn choice(self) -> termcolor::ColorChoice {
        match self {
            ColorWhen::Always => termcolor::ColorChoice::Always,
            ColorWhen::Never => termcolor::ColorChoice::Never,
            ColorWhen::Auto => {
                let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
                if no_color || !std::io::stdout().is_terminal() {
                    termcolor::ColorChoice::Never
                } else {
                    termcolor::ColorChoice::Auto
                }
            }
        }
    }
}

/// Whether an error chain ends in a closed pipe (`tropescope ... | head`): exit quietly.
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        e.downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
            || e.downcast_ref::<tropescope::Error>()
                .is_some_and(tropescope::Error::is_broken_pipe)
    })
}
