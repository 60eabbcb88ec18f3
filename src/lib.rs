//! tropescope reads reviews and articles about romance drama and tells which tropes they
//! talk about, whether the text says the work **uses** each (`present`), **avoids** it
//! (`absent`) or only speaks of the **genre** (`generic`), and how the article leans on a
//! cliché axis and a mature axis, with the evidence for every number.
//!
//! The pipeline, one module a stage:
//!
//! `input` (decode bytes → [`Article`]) → [`token`] (words, sentences, byte spans) →
//! [`matcher`] (lexicon patterns → [`Mention`]s and cue hits) → [`learned`] (a trained
//! classifier's mentions of tropes the patterns missed) → [`topic`] (a long document that never
//! speaks of romance loses its mentions of the tropes that need a couple) → [`context`] (cues → a
//! [`Status`] per mention) → [`score`] (→ [`ArticleScore`]) → [`report`] (text, JSON, CSV).
//! [`pipeline::Analyzer`] runs the stages in order; [`lexicon`] loads and compiles the
//! curated data that drives them, and [`eval`] measures the result against gold labels.
//!
//! ```
//! use tropescope::{Analyzer, Lean};
//!
//! let analyzer = Analyzer::embedded()?;
//! let analysis = analyzer.analyze_text(
//!     "review",
//!     "No amnesia, no love triangle and no airport dash: the leads simply talk things through.",
//! );
//! assert_eq!(analysis.score.lean, Lean::Mature);
//! # Ok::<(), tropescope::Error>(())
//! ```

#![warn(clippy::print_stdout, clippy::print_stderr)]
#![deny(missing_docs)]

pub mod batch;
pub mod context;
pub mod corpus;
mod error;
pub mod eval;
pub mod input;
pub mod learned;
pub mod lexicon;
pub mod matcher;
pub mod pipeline;
pub mod report;
pub mod score;
pub mod status;
pub mod token;
pub mod topic;

pub use context::Decision;
pub use error::{Error, Result};
pub use input::{Article, InputFormat};
pub use lexicon::{CompiledLexicon, Family, Lexicon, Status};
pub use matcher::Mention;
pub use pipeline::{Analysis, Analyzer, ClassifiedMention, Workspace};
pub use score::{ArticleScore, Lean};
