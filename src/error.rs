//! The library's one error type.
//!
//! `Error` is opaque: callers read its message and, where it matters, ask what went wrong
//! through a few predicates, but the kinds can grow without a breaking change (the lesson
//! of `regex::Error`). Messages are lower-case and name the thing that failed: the file,
//! line, trope id or pattern, and when there is one, what to do about it.

use std::fmt;
use std::path::{Path, PathBuf};

/// A `Result` whose error is [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// An error from tropescope's library.
#[derive(Debug)]
pub struct Error {
    kind: ErrorKind,
}

#[derive(Debug)]
enum ErrorKind {
    /// An input document could not be decoded into text.
    Decode { source: String, message: String },
    /// A lexicon file is broken; the whole lexicon is refused.
    Lexicon {
        path: PathBuf,
        line: Option<usize>,
        message: String,
        hint: Option<String>,
    },
    /// A pattern of the pattern language does not compile.
    Pattern { pattern: String, message: String },
    /// A gold file or another structured input is malformed.
    Input { message: String },
    /// An I/O error, with the path it concerned.
    Io {
        path: Option<PathBuf>,
        err: std::io::Error,
    },
}

impl Error {
    /// An input document that cannot be turned into text (`source` names the document).
    pub(crate) fn decode(source: impl Into<String>, message: impl Into<String>) -> Error {
        Error {
            kind: ErrorKind::Decode {
                source: source.into(),
                message: message.into(),
            },
        }
    }

    /// A broken lexicon file, with the line (1-based) when it is known and a hint.
    pub(crate) fn lexicon(
        path: impl Into<PathBuf>,
        line: Option<usize>,
        message: impl Into<String>,
        hint: Option<String>,
    ) -> Error {
        Error {
            kind: ErrorKind::Lexicon {
                path: path.into(),
                line,
                message: message.into(),
                hint,
            },
        }
    }

    /// The lexicon file a broken-lexicon error names, so a caller can tell which file is
    /// at fault without reading the message.
    pub fn lexicon_file(&self) -> Option<&std::path::Path> {
        match &self.kind {
            ErrorKind::Lexicon { path, .. } => Some(path),
            _ => None,
        }
    }

    /// Whether this is a broken-lexicon error about the learned stage's model file.
    pub fn is_about_learned_model(&self) -> bool {
        self.lexicon_file()
            .is_some_and(|p| p.ends_with(crate::learned::MODEL_PATH))
    }

    /// A pattern that does not compile.
    pub(crate) fn pattern(pattern: impl Into<String>, message: impl Into<String>) -> Error {
        Error {
            kind: ErrorKind::Pattern {
                pattern: pattern.into(),
                message: message.into(),
            },
        }
    }

    /// A malformed structured input (gold file, record, option value).
    pub(crate) fn input(message: impl Into<String>) -> Error {
        Error {
            kind: ErrorKind::Input {
                message: message.into(),
            },
        }
    }

    /// An I/O error on `path`.
    pub(crate) fn io(path: Option<&Path>, err: std::io::Error) -> Error {
        Error {
            kind: ErrorKind::Io {
                path: path.map(Path::to_path_buf),
                err,
            },
        }
    }

    /// Whether this error is about a pattern that does not compile.
    pub fn is_pattern(&self) -> bool {
        matches!(self.kind, ErrorKind::Pattern { .. })
    }

    /// Whether this error is about a document that could not be decoded.
    pub fn is_decode(&self) -> bool {
        matches!(self.kind, ErrorKind::Decode { .. })
    }

    /// Whether this is an I/O error whose cause is a closed pipe, which the CLI treats as success.
    pub fn is_broken_pipe(&self) -> bool {
        matches!(&self.kind, ErrorKind::Io { err, .. } if err.kind() == std::io::ErrorKind::BrokenPipe)
    }

    /// The same error, with the path of the lexicon file it concerns when it had none.
    pub(crate) fn in_lexicon_file(self, file: &Path) -> Error {
        match self.kind {
            ErrorKind::Pattern { pattern, message } => Error::lexicon(
                file,
                None,
                format!("pattern {pattern:?} does not compile: {message}"),
                Some("see lexicons/README.md for the pattern language".into()),
            ),
            kind => Error { kind },
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            ErrorKind::Decode { source, message } => write!(f, "{source}: {message}"),
            ErrorKind::Lexicon {
                path,
                line,
                message,
                hint,
            } => {
                write!(f, "lexicon {}", path.display())?;
                if let Some(line) = line {
                    write!(f, ":{line}")?;
                }
                write!(f, ": {message}")?;
                if let Some(hint) = hint {
                    write!(f, " (hint: {hint})")?;
                }
                Ok(())
            }
            ErrorKind::Pattern { pattern, message } => {
                write!(f, "pattern {pattern:?}: {message}")
            }
            ErrorKind::Input { message } => f.write_str(message),
            ErrorKind::Io { path: Some(p), err } => write!(f, "{}: {err}", p.display()),
            ErrorKind::Io { path: None, err } => write!(f, "{err}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        // The I/O error's text is already part of this error's message.
        None
    }
}

impl From<std::io::Error> for Error {
    fn from(err: std::io::Error) -> Error {
        Error::io(None, err)
    }
}

/// A JSON error's message without serde's " at line L column C": each caller says where
/// in its own terms (a record's line of a file, a column of a line).
pub(crate) fn json_message(e: &serde_json::Error) -> String {
    let full = e.to_string();
    let location = format!(" at line {} column {}", e.line(), e.column());
    match full.strip_suffix(&location) {
        Some(message) => message.to_string(),
        None => full,
    }
}
