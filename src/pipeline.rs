//! The one place that knows the stage order:
//! decode → tokenise → match → learned (when on) → topic gate → context → status (when on)
//! → score.
//!
//! An [`Analyzer`] holds the compiled lexicon and is shared across threads; a [`Workspace`]
//! holds one thread's reusable buffers and word cache, so analysing a stream of documents
//! allocates little beyond each result.

use std::path::Path;

use serde::Serialize;

use crate::context::{classify, Answer, Decision};
use crate::error::Result;
use crate::input::Article;
use crate::learned::{find_learned, LearnedScratch};
use crate::lexicon::{CompiledLexicon, CueCategory, Lexicon, Status};
use crate::matcher::{find_cues, find_mentions, CueHit, MatchScratch, Mention};
use crate::score::{score, ArticleScore, Contribution};
use crate::status::{StatusScratch, StatusVote};
use crate::token::{tokenize_into, word_count, Token};
use crate::topic::{gate, may_be_romance};

/// A mention with everything a report needs: where, what, which status, why, how much.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ClassifiedMention {
    /// The match.
    pub mention: Mention,
    /// Its status and deciding cue.
    pub decision: Decision,
    /// What it added to the scores.
    pub contribution: Contribution,
    /// What the status stage said, when it ran: the rules' status and the model's
    /// probability for the one it chose (`decision.status`).
    pub status_vote: Option<StatusVote>,
}

/// The full analysis of one article.
#[derive(Clone, Debug, PartialEq)]
pub struct Analysis {
    /// The article (its text is what every span points into).
    pub article: Article,
    /// Mentions in text order.
    pub mentions: Vec<ClassifiedMention>,
    /// Scores.
    pub score: ArticleScore,
    /// Mentions the topic gate dropped (`crate::topic`): tropes that need a couple, in a long
    /// document that never speaks of romance. Empty in nearly every document; kept so a
    /// report can show what was left out and why.
    pub off_topic: Vec<Mention>,
}

/// Reusable per-thread buffers. Get one with [`Analyzer::workspace`].
///
/// Its word cache holds what the last analyzer that used it made of each word (the lexicon
/// code, the learned model's stem id); used with another analyzer, it forgets them first.
#[derive(Default)]
pub struct Workspace {
    /// The [`Analyzer::id`] whose word codes the cache holds (0: none yet).
    analyzer: u64,
    pub(crate) tokens: Vec<Token>,
    scratch: MatchScratch,
    learned: LearnedScratch,
    status: StatusScratch,
    pub(crate) mentions: Vec<Mention>,
    off_topic: Vec<Mention>,
    cues: Vec<CueHit>,
    pub(crate) decisions: Vec<Decision>,
    pub(crate) answers: Vec<Answer>,
    contributions: Vec<Contribution>,
}

/// Analyses articles with one compiled lexicon.
///
/// ```
/// use tropescope::Analyzer;
/// let analyzer = Analyzer::embedded().unwrap();
/// let a = analyzer.analyze_text("review", "Gone are the love triangles; instead the leads actually talk.");
/// let tri = a.mentions.iter().find(|m| analyzer.trope_id(m) == "love-triangle").unwrap();
/// assert_eq!(tri.decision.status.as_str(), "absent");
/// ```
#[derive(Debug)]
pub struct Analyzer {
    lexicon: CompiledLexicon,
    /// Unique among the process's analyzers (from 1), so a workspace knows whose word codes
    /// its cache holds.
    id: u64,
}

impl Analyzer {
    /// An analyzer over a compiled lexicon.
    pub fn new(lexicon: CompiledLexicon) -> Analyzer {
        static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
        let id = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        Analyzer { lexicon, id }
    }

    /// An analyzer over the embedded default lexicon.
    pub fn embedded() -> Result<Analyzer> {
        Ok(Analyzer::new(CompiledLexicon::new(Lexicon::embedded()?)?))
    }

    /// An analyzer over `dir`, else `TROPESCOPE_LEXICON`, else the embedded lexicon. The
    /// compile checks every pattern.
    pub fn load(dir: Option<&Path>) -> Result<Analyzer> {
        Analyzer::load_with_learned(dir, None)
    }

    /// [`Analyzer::load`], with the learned stage turned on or off whatever the lexicon's
    /// `model.toml` says (`None`: as it says), so figures with and without it compare on
    /// one lexicon. On needs the lexicon's `learned.tsv`: without one it is an error.
    ///
    /// A report names the lexicon by its files' fingerprint; where the switch overrides
    /// `model.toml`, the fingerprint gains `+learned` or `-learned`, so a report still says
    /// what produced it.
    pub fn load_with_learned(dir: Option<&Path>, learned: Option<bool>) -> Result<Analyzer> {
        let mut lexicon = Lexicon::read(dir)?;
        lexicon.switch_learned(learned);
        Ok(Analyzer::new(CompiledLexicon::new(lexicon)?))
    }

    /// The compiled lexicon.
    pub fn lexicon(&self) -> &CompiledLexicon {
        &self.lexicon
    }

    /// The id of a mention's trope.
    pub fn trope_id(&self, m: &ClassifiedMention) -> &str {
        &self.lexicon.trope(m.mention.trope).id
    }

    /// Fresh buffers for one thread.
    pub fn workspace(&self) -> Workspace {
        Workspace {
            analyzer: self.id,
            ..Workspace::default()
        }
    }

    /// Analyse `article` with a temporary workspace.
    pub fn analyze(&self, article: Article) -> Analysis {
        self.analyze_with(&mut self.workspace(), article)
    }

    /// Analyse plain text under an id.
    pub fn analyze_text(&self, id: &str, text: &str) -> Analysis {
        self.analyze(Article {
            id: id.to_string(),
            title: None,
            text: text.to_string(),
        })
    }

    /// Analyse `article`, reusing `ws`.
    pub fn analyze_with(&self, ws: &mut Workspace, article: Article) -> Analysis {
        let lex = &self.lexicon;
        let text = article.text.as_str();
        self.through_context(ws, text);
        match &lex.status {
            Some(model) => crate::status::apply(
                model,
                lex.lexicon(),
                &ws.tokens,
                ws.scratch.stems(),
                &ws.mentions,
                &mut ws.decisions,
                &mut ws.status,
            ),
            None => ws.status.abstain(ws.mentions.len()),
        }
        // Rule 11: an answered genre statement is two references, one span: the answer's
        // record follows its mention's. The answer is the rules' alone. A mention no rule
        // answered may get its second record from the status stage's `also` regression,
        // unless the document gives the trope that status elsewhere. Few documents have
        // either, so inserting is cheap.
        let mut answers = ws.answers.iter().rev().peekable();
        for i in (0..ws.mentions.len()).rev() {
            let (decision, vote) = if let Some(a) = answers.next_if(|a| a.mention == i) {
                (a.decision, None)
            } else if let Some((status, probability)) = ws.status.second[i] {
                let trope = ws.mentions[i].trope;
                let given = ws
                    .mentions
                    .iter()
                    .zip(&ws.decisions)
                    .any(|(m, d)| m.trope == trope && d.status == status);
                if given {
                    continue;
                }
                let decision = Decision {
                    status,
                    cue: None,
                    turned: false,
                    answer: false,
                };
                let vote = StatusVote {
                    rules: ws.decisions[i].status,
                    probability,
                    second: true,
                };
                (decision, Some(vote))
            } else {
                continue;
            };
            let m = ws.mentions[i].clone();
            ws.mentions.insert(i + 1, m);
            ws.decisions.insert(i + 1, decision);
            ws.status.votes.insert(i + 1, vote);
        }
        let words = word_count(&ws.tokens);
        let sentences = ws.tokens.last().map_or(0, |t| t.sentence + 1);
        let score = score(
            lex,
            &ws.mentions,
            &ws.decisions,
            words,
            sentences,
            &mut ws.contributions,
        );
        let mentions = ws
            .mentions
            .iter()
            .zip(&ws.decisions)
            .zip(&ws.contributions)
            .zip(&ws.status.votes)
            .map(|(((m, d), c), v)| ClassifiedMention {
                mention: m.clone(),
                decision: *d,
                contribution: *c,
                status_vote: *v,
            })
            .collect();
        Analysis {
            article,
            mentions,
            score,
            off_topic: ws.off_topic.clone(),
        }
    }

    /// The stages up to and including context, leaving tokens, mentions and the rules'
    /// decisions (and rule 11's answers, not yet inserted) in `ws`: what the status stage
    /// reads, and what its training reads.
    pub(crate) fn through_context(&self, ws: &mut Workspace, text: &str) {
        let lex = &self.lexicon;
        // Another analyzer's word codes (another lexicon, or the learned stage switched)
        // would be wrong here, and its stem ids out of this model's range.
        if ws.analyzer != self.id {
            ws.scratch.forget_words();
            ws.analyzer = self.id;
        }
        tokenize_into(text, &mut ws.tokens);
        find_mentions(
            lex,
            text,
            &ws.tokens,
            &mut ws.scratch,
            &mut ws.mentions,
            &mut ws.cues,
        );
        if let Some(model) = &lex.learned {
            let matched = ws.mentions.len();
            let tokens = &ws.tokens;
            let added = find_learned(
                model,
                tokens,
                ws.scratch.stems(),
                model.reads_whole(tokens),
                || may_be_romance(lex, text, tokens),
                &mut ws.mentions,
                &mut ws.learned,
            );
            // With no pattern match the matcher looked for no cue: the context engine needs
            // them for the learned mentions.
            if added > 0 && matched == 0 {
                find_cues(lex, text, &ws.tokens, &mut ws.scratch, &mut ws.cues);
            }
        }
        gate(lex, text, &ws.tokens, &mut ws.mentions, &mut ws.off_topic);
        classify(
            lex,
            text,
            &ws.tokens,
            &ws.mentions,
            &ws.cues,
            &mut ws.decisions,
            &mut ws.answers,
        );
    }
}

impl Analysis {
    /// The matched words of a mention.
    pub fn matched<'a>(&'a self, m: &ClassifiedMention) -> &'a str {
        &self.article.text[m.mention.start..m.mention.end]
    }

    /// The sentence holding a mention.
    pub fn sentence<'a>(&'a self, m: &ClassifiedMention) -> &'a str {
        &self.article.text[m.mention.sentence_start..m.mention.sentence_end]
    }

    /// The words of the cue that decided a mention, with the cue's category.
    pub fn cue<'a>(
        &'a self,
        lex: &'a CompiledLexicon,
        m: &ClassifiedMention,
    ) -> Option<(&'a str, CueCategory)> {
        m.decision.cue.map(|c| {
            (
                &self.article.text[c.start..c.end],
                lex.lexicon().cues[c.cue as usize].category,
            )
        })
    }

    /// The distinct (trope index, status) pairs found.
    pub fn pairs(&self) -> Vec<(u16, Status)> {
        let mut v: Vec<_> = self
            .mentions
            .iter()
            .map(|m| (m.mention.trope, m.decision.status))
            .collect();
        v.sort();
        v.dedup();
        v
    }
}

/// The embedded analyzer, built once for every test that shares it: property tests ask for it
/// in each case.
#[cfg(test)]
pub(crate) fn embedded_analyzer() -> &'static Analyzer {
    static EMBEDDED: std::sync::OnceLock<Analyzer> = std::sync::OnceLock::new();
    EMBEDDED.get_or_init(|| Analyzer::embedded().expect("the embedded lexicon compiles"))
}

/// An analyzer over the shipped cue files and model constants with only the given tropes
/// (`(id, family, patterns)`) and the learned stage off, for unit tests that pin the engine
/// rather than the curated patterns.
#[cfg(test)]
pub(crate) fn test_analyzer(tropes: &[(&str, &str, &[&str])]) -> Analyzer {
    test_analyzer_with(tropes, crate::lexicon::compile::TEMPLATE_OVER)
        .expect("test lexicon compiles")
}

/// [`test_analyzer`], matching every pattern that spells more than `template_over` phrases
/// slot by slot (see `lexicon::compile::Templates`); an error when the lexicon does not
/// load or compile.
#[cfg(test)]
pub(crate) fn test_analyzer_with(
    tropes: &[(&str, &str, &[&str])],
    template_over: usize,
) -> Result<Analyzer> {
    use crate::lexicon::load::{embedded_engine_files, SourceFile};

    // The engine's tests run without the learned stage (its own tests train models for their
    // tropes).
    let mut files: Vec<SourceFile> = embedded_engine_files();
    for (id, family, patterns) in tropes {
        files.push(SourceFile {
            path: format!("tropes/{id}.toml"),
            text: format!(
                "id = {id:?}\nname = {id:?}\nfamily = {family:?}\nweight = 1.0\n\
                 description = \"test\"\npatterns = {patterns:?}\n"
            )
            .into(),
        });
    }
    let mut lexicon = Lexicon::from_files("test", Path::new("test"), files)?;
    lexicon.model.learned = false;
    Ok(Analyzer::new(CompiledLexicon::compile(
        lexicon,
        template_over,
    )?))
}
