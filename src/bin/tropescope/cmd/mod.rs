//! One file a subcommand: its arguments and its `run`.

pub mod batch;
pub mod eval;
pub mod lexicon;
pub mod score;
