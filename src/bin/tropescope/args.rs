//! The top-level command line: one variant a subcommand, each subcommand's own arguments
//! living beside its `run` in `cmd/`.

use clap::{Parser, Subcommand};

use crate::cmd;

/// Reads trope and theme signals out of reviews.
#[derive(Parser, Debug)]
#[command(name = "tropescope", version, about, long_about = None, max_term_width = 100)]
pub struct Cli {
    /// The subcommand.
    #[command(subcommand)]
    pub command: Command,
}

/// Subcommands.
#[derive(Subcommand, Debug)]
pub enum Command {
    /// Score reviews: lean, scores, and every trope mention with its status and evidence.
    Score(cmd::score::Args),
    /// Analyse a corpus into a document table (and mention table, group summary).
    Batch(cmd::batch::Args),
    /// Measure the analysis against a gold file of labelled documents.
    Eval(cmd::eval::Args),
    /// Curator tools: list, show, new, add-pattern, remove-pattern, add-example, set, fmt,
    /// lint, test, kwic, stats, diff, train.
    #[command(subcommand)]
    Lexicon(cmd::lexicon::Command),
}
