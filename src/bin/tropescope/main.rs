//! The `tropescope` command line: parse arguments, dispatch to one subcommand, print any
//! error once, choose the exit code (0 ok, 1 a check found problems, 2 error).

mod args;
mod cmd;
mod util;

/// mimalloc rather than glibc's allocator: the lexicon compile makes some 200,000 small
/// allocations at every start, and glibc spent a quarter of the start-up time in them
/// (BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::process::ExitCode;

use clap::Parser;

/// What a subcommand reports back to `main`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Everything fine: exit 0.
    Ok,
    /// A check found problems (lint findings, failing examples, F1 below the bar): exit 1.
    Problems,
    /// Some inputs failed but the run went on: exit 2.
    Failed,
}

fn main() -> ExitCode {
    let cli = args::Cli::parse();
    let result = match cli.command {
        args::Command::Score(a) => cmd::score::run(a),
        args::Command::Batch(a) => cmd::batch::run(a),
        args::Command::Eval(a) => cmd::eval::run(a),
        args::Command::Lexicon(a) => cmd::lexicon::run(a),
    };
    match result {
        Ok(Outcome::Ok) => ExitCode::SUCCESS,
        Ok(Outcome::Problems) => ExitCode::from(1),
        Ok(Outcome::Failed) => ExitCode::from(2),
        Err(err) => {
            if util::is_broken_pipe(&err) {
                return ExitCode::SUCCESS;
            }
            eprintln!("tropescope: error: {err:#}");
            ExitCode::from(2)
        }
    }
}
