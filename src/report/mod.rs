//! Report: analyses → bytes. One file a format, each writing to any `io::Write`:
//! [`text`] for people (with colour through `termcolor`), [`json`] for programs (a stable,
//! versioned schema), [`csv`] for spreadsheets and pandas (a wide row per document and a
//! row per mention).
//!
//! Every format names the lexicon fingerprint and the tool version, so a report can be
//! reproduced.

pub mod csv;
pub mod json;
pub mod jsonl;
pub mod summary;
pub mod text;

use crate::lexicon::{CompiledLexicon, Family, Status};
use crate::pipeline::Analysis;

/// The tool version written into every report.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The trope ids found with `status`, sorted, joined by `;` (the CSV list form).
pub fn ids_with_status(lex: &CompiledLexicon, a: &Analysis, status: Status) -> String {
    let mut ids: Vec<&str> = a
        .mentions
        .iter()
        .filter(|m| m.decision.status == status)
        .map(|m| lex.trope(m.mention.trope).id.as_str())
        .collect();
    ids.sort_unstable();
    ids.dedup();
    ids.join(";")
}

/// Count of mentions of `family` with `status`.
pub fn count(a: &Analysis, family: Family, status: Status) -> u32 {
    a.score.count(family, status)
}
