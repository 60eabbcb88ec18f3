//! Score: classified mentions → [`ArticleScore`].
//!
//! The model (constants in `lexicons/model.toml`):
//!
//! - a `present` mention adds its trope's `weight` to its own family's score;
//! - an `absent` cliché adds `weight × avoided_cliche_credit` to the **mature** score (the
//!   work avoids a cliché), and an `absent` mature quality adds
//!   `weight × lacking_mature_credit` to the **cliché** score (the work lacks it);
//! - a `generic` mention adds nothing: talk about the genre says nothing of this work;
//! - only the first mention of a (trope, status) pair counts in full; each further one adds
//!   `repeat_credit` of it, so repeating a word does not swamp the score;
//! - maturity index = (mature − cliché) / (mature + cliché), in [−1, 1], 0 with no evidence;
//! - lean: `none` with no evidence, `mature` at index ≥ `lean_margin`, `cliche` at
//!   index ≤ −`lean_margin`, `mixed` in between;
//! - densities are scores per 1,000 words.

use std::fmt;

use serde::Serialize;

use crate::context::Decision;
use crate::lexicon::{CompiledLexicon, Family, Status};
use crate::matcher::Mention;

/// How an article leans.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Lean {
    /// The evidence leans mature.
    Mature,
    /// The evidence leans clichéd.
    Cliche,
    /// Evidence both ways, close to balanced.
    Mixed,
    /// No scored evidence.
    None,
}

impl Lean {
    /// The id used in reports and gold files.
    pub fn as_str(self) -> &'static str {
        match self {
            Lean::Mature => "mature",
            Lean::Cliche => "cliche",
            Lean::Mixed => "mixed",
            Lean::None => "none",
        }
    }

    /// Parse a lean id.
    pub fn parse(s: &str) -> Option<Lean> {
        match s {
            "mature" => Some(Lean::Mature),
            "cliche" => Some(Lean::Cliche),
            "mixed" => Some(Lean::Mixed),
            "none" => Some(Lean::None),
            _ => None,
        }
    }
}

impl fmt::Display for Lean {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Mention counts of one trope by status.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct TropeCount {
    /// Trope id.
    pub trope: String,
    /// Family.
    pub family: Option<Family>,
    /// `present` mentions.
    pub present: u32,
    /// `absent` mentions.
    pub absent: u32,
    /// `generic` mentions.
    pub generic: u32,
}

/// The scores of one article.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ArticleScore {
    /// Word count.
    pub words: u32,
    /// Sentence count.
    pub sentences: u32,
    /// Cliché score.
    pub cliche: f64,
    /// Mature score.
    pub mature: f64,
    /// (mature − cliché) / (mature + cliché), or 0.
    pub maturity_index: f64,
    /// Cliché score per 1,000 words.
    pub cliche_density: f64,
    /// Mature score per 1,000 words.
    pub mature_density: f64,
    /// The lean.
    pub lean: Lean,
    /// Mention counts by family (cliché, mature) and status (present, absent, generic).
    pub counts: [[u32; 3]; 2],
    /// Counts per trope found, sorted by trope id.
    pub tropes: Vec<TropeCount>,
}

impl ArticleScore {
    /// Mentions of `family` with `status`.
    pub fn count(&self, family: Family, status: Status) -> u32 {
        self.counts[family_index(family)][status_index(status)]
    }
}

/// One mention's contribution: which axis it adds to, and how much.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Contribution {
    /// The axis credited, or `None` for generic mentions.
    pub axis: Option<Family>,
    /// The amount added.
    pub amount: f64,
}

fn family_index(f: Family) -> usize {
    match f {
        Family::Cliche => 0,
        Family::Mature => 1,
    }
}

fn status_index(s: Status) -> usize {
    match s {
        Status::Present => 0,
        Status::Absent => 1,
        Status::Generic => 2,
    }
}

/// Score an article from its classified mentions; `contributions` gets one entry a mention.
pub fn score(
    lex: &CompiledLexicon,
    mentions: &[Mention],
    decisions: &[Decision],
    words: u32,
    sentences: u32,
    contributions: &mut Vec<Contribution>,
) -> ArticleScore {
    let model = &lex.lexicon().model;
    contributions.clear();
    let mut counts = [[0u32; 3]; 2];
    let mut cliche = 0.0;
    let mut mature = 0.0;
    // (trope, status) pairs seen so far, for the repeat rule; articles have few mentions.
    let mut seen: Vec<(u16, Status)> = Vec::new();
    let mut tropes: Vec<TropeCount> = Vec::new();
    for (m, d) in mentions.iter().zip(decisions) {
        let trope = lex.trope(m.trope);
        counts[family_index(trope.family)][status_index(d.status)] += 1;
        let (axis, credit) = match (trope.family, d.status) {
            (f, Status::Present) => (Some(f), 1.0),
            (Family::Cliche, Status::Absent) => (Some(Family::Mature), model.avoided_cliche_credit),
            (Family::Mature, Status::Absent) => (Some(Family::Cliche), model.lacking_mature_credit),
            (_, Status::Generic) => (None, 0.0),
        };
        let repeat = if seen.contains(&(m.trope, d.status)) {
            model.repeat_credit
        } else {
            seen.push((m.trope, d.status));
            1.0
        };
        let amount = trope.weight * credit * repeat;
        match axis {
            Some(Family::Cliche) => cliche += amount,
            Some(Family::Mature) => mature += amount,
            None => {}
        }
        contributions.push(Contribution { axis, amount });
        let count = match tropes.iter_mut().find(|c| c.trope == trope.id) {
            Some(c) => c,
            None => {
                tropes.push(TropeCount {
                    trope: trope.id.clone(),
                    family: Some(trope.family),
                    ..TropeCount::default()
                });
                tropes.last_mut().expect("just pushed")
            }
        };
        match d.status {
            Status::Present => count.present += 1,
            Status::Absent => count.absent += 1,
            Status::Generic => count.generic += 1,
        }
    }
    tropes.sort_by(|a, b| a.trope.cmp(&b.trope));
    let total = cliche + mature;
    let maturity_index = if total > 0.0 {
        (mature - cliche) / total
    } else {
        0.0
    };
    let lean = if total <= 0.0 {
        Lean::None
    } else if maturity_index >= model.lean_margin {
        Lean::Mature
    } else if maturity_index <= -model.lean_margin {
        Lean::Cliche
    } else {
        Lean::Mixed
    };
    let per_k = |x: f64| {
        if words == 0 {
            0.0
        } else {
            x * 1000.0 / f64::from(words)
        }
    };
    ArticleScore {
        words,
        sentences,
        cliche,
        mature,
        maturity_index,
        cliche_density: per_k(cliche),
        mature_density: per_k(mature),
        lean,
        counts,
        tropes,
    }
}
