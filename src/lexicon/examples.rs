//! Lexicon examples as tests: each example runs through the full pipeline and must give
//! its trope the expected status (or, for `none`, not find it at all).

use crate::lexicon::{Expect, Status};
use crate::pipeline::Analyzer;

/// The outcome of one example.
#[derive(Clone, Debug, PartialEq)]
pub struct ExampleResult {
    /// Trope id.
    pub trope: String,
    /// File, relative to the lexicon folder.
    pub file: String,
    /// Line of the example.
    pub line: usize,
    /// The example text.
    pub text: String,
    /// What it expects.
    pub expect: Expect,
    /// The statuses the pipeline gave the trope (empty: not found).
    pub found: Vec<Status>,
    /// For each mention of the trope: matched words, pattern, and deciding cue.
    pub why: Vec<String>,
}

impl ExampleResult {
    /// Whether the example passes: `none` finds nothing; otherwise every mention of the
    /// trope has the expected status and there is at least one.
    pub fn passed(&self) -> bool {
        match self.expect.status() {
            None => self.found.is_empty(),
            Some(s) => !self.found.is_empty() && self.found.iter().all(|&f| f == s),
        }
    }
}

/// Run every example of every trope (or only of `only`).
pub fn run_examples(analyzer: &Analyzer, only: Option<&str>) -> Vec<ExampleResult> {
    let lex = analyzer.lexicon();
    let mut ws = analyzer.workspace();
    let mut out = Vec::new();
    for trope in &lex.lexicon().tropes {
        if only.is_some_and(|id| id != trope.id) {
            continue;
        }
        for ex in &trope.examples {
            let a = analyzer.analyze_with(
                &mut ws,
                crate::input::Article {
                    id: format!("{}:{}", trope.id, ex.line),
                    title: None,
                    text: ex.text.clone(),
                },
            );
            let mut found = Vec::new();
            let mut why = Vec::new();
            for m in a
                .mentions
                .iter()
                .filter(|m| lex.trope(m.mention.trope).id == trope.id)
            {
                found.push(m.decision.status);
                let cue = match a.cue(lex, m) {
                    Some((text, cat)) => format!("cue {text:?} ({})", cat.as_str()),
                    None => "no cue".to_string(),
                };
                why.push(format!(
                    "{} {:?} by {}, {cue}",
                    m.decision.status,
                    a.matched(m),
                    match m.mention.learned {
                        Some(_) => lex.found_by(&m.mention),
                        None => format!("pattern {:?}", lex.found_by(&m.mention)),
                    }
                ));
            }
            out.push(ExampleResult {
                trope: trope.id.clone(),
                file: trope.file.display().to_string(),
                line: ex.line,
                text: ex.text.clone(),
                expect: ex.expect,
                found,
                why,
            });
        }
    }
    out
}
