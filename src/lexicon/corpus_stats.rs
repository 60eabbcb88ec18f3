//! What a lexicon does on a corpus, for curators: keyword-in-context lines ([`kwic_lines`]),
//! hit counts per trope and per pattern ([`Stats`]), and the documents whose result changes
//! between two lexicons ([`compare`]).
//!
//! Everything here works on finished [`Analysis`] values, so the caller reads the corpus
//! and runs the analyzer (once per document, one workspace per thread) however it likes;
//! these functions only look at the results.

use std::collections::BTreeMap;

use serde::Serialize;

use super::{CompiledLexicon, Lexicon, Status, Trope};
use crate::error::{Error, Result};
use crate::pipeline::{Analysis, ClassifiedMention};
use crate::score::Lean;

/// The id of the stand-in trope [`with_query`] adds for an ad-hoc pattern.
pub const QUERY_ID: &str = "~query";

/// `lexicon` plus a stand-in trope (id [`QUERY_ID`]) whose one pattern is `pattern`, so an
/// ad-hoc pattern runs through the full pipeline with the lexicon's cues. The stand-in
/// sorts last, so every other trope keeps its index.
pub fn with_query(lexicon: &Lexicon, pattern: &str) -> Result<Lexicon> {
    super::compile::check_pattern(pattern)?;
    let mut lexicon = lexicon.clone();
    if lexicon.trope(QUERY_ID).is_some() {
        return Err(Error::input(format!(
            "the lexicon already has a trope {QUERY_ID:?}"
        )));
    }
    lexicon.tropes.push(Trope {
        id: QUERY_ID.to_string(),
        name: "query".to_string(),
        family: super::Family::Cliche,
        weight: 1.0,
        description: String::new(),
        // A query shows every hit of its pattern: no document's topic hides one.
        needs_romance: false,
        patterns: vec![super::Located {
            value: pattern.to_string(),
            line: 0,
        }],
        exclusions: Vec::new(),
        examples: Vec::new(),
        file: "(query)".into(),
    });
    Ok(lexicon)
}

/// One concordance line: a mention in its context, with its status and deciding cue.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct KwicLine {
    /// Document id.
    pub document: String,
    /// Trope id.
    pub trope: String,
    /// The pattern that matched, as written.
    pub pattern: String,
    /// The mention's status.
    pub status: Status,
    /// The words of the deciding cue (empty: no cue).
    pub cue: String,
    /// The deciding cue's category (empty: no cue).
    pub cue_category: String,
    /// Up to `width` characters before the match, whitespace collapsed.
    pub left: String,
    /// The matched words.
    pub matched: String,
    /// Up to `width` characters after the match, whitespace collapsed.
    pub right: String,
    /// Byte offset of the match in the document text.
    pub start: usize,
    /// Byte offset of the end of the match.
    pub end: usize,
}

/// The concordance lines of `analysis` for the mentions `keep` accepts.
pub fn kwic_lines(
    lex: &CompiledLexicon,
    analysis: &Analysis,
    keep: impl Fn(&ClassifiedMention) -> bool,
    width: usize,
) -> Vec<KwicLine> {
    let text = analysis.article.text.as_str();
    analysis
        .mentions
        .iter()
        .filter(|m| keep(m))
        .map(|m| {
            let trope = lex.trope(m.mention.trope);
            let (cue, cue_category) = match analysis.cue(lex, m) {
                Some((words, cat)) => (collapse(words), cat.as_str().to_string()),
                None => (String::new(), String::new()),
            };
            KwicLine {
                document: analysis.article.id.clone(),
                trope: trope.id.clone(),
                pattern: lex.found_by(&m.mention),
                status: m.decision.status,
                cue,
                cue_category,
                left: left_context(&text[..m.mention.start], width),
                matched: collapse(analysis.matched(m)),
                right: right_context(&text[m.mention.end..], width),
                start: m.mention.start,
                end: m.mention.end,
            }
        })
        .collect()
}

/// `s` with every run of whitespace made one space.
fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The last `width` characters of `before`, whitespace collapsed.
pub fn left_context(before: &str, width: usize) -> String {
    // Look back far enough for `width` characters even through runs of whitespace.
    let from = before
        .char_indices()
        .rev()
        .nth(width.saturating_mul(4))
        .map_or(0, |(i, _)| i);
    let mut s = collapse_keep_edges(&before[from..]);
    let n = s.chars().count();
    if n > width {
        s = s.chars().skip(n - width).collect();
    }
    s
}

/// The first `width` characters of `after`, whitespace collapsed.
pub fn right_context(after: &str, width: usize) -> String {
    let to = after
        .char_indices()
        .nth(width.saturating_mul(4))
        .map_or(after.len(), |(i, _)| i);
    collapse_keep_edges(&after[..to])
        .chars()
        .take(width)
        .collect()
}

/// Collapse whitespace runs to one space, keeping one space at either edge if there was
/// whitespace there (so "word [match]" keeps its gap).
fn collapse_keep_edges(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars() {
        if c.is_whitespace() {
            space = true;
        } else {
            if space {
                out.push(' ');
                space = false;
            }
            out.push(c);
        }
    }
    if space {
        out.push(' ');
    }
    out
}

/// Counts by status, in [`Status::ALL`] order.
pub type ByStatus = [u64; 3];

fn slot(s: Status) -> usize {
    match s {
        Status::Present => 0,
        Status::Absent => 1,
        Status::Generic => 2,
    }
}

/// Hits per trope and per pattern, by status, over a corpus.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Stats {
    /// Documents analysed.
    pub documents: u64,
    /// Documents with at least one mention.
    pub documents_with_mentions: u64,
    /// Per trope (by lexicon index): mentions by status.
    pub tropes: Vec<ByStatus>,
    /// Per trope: documents with at least one mention.
    pub trope_documents: Vec<u64>,
    /// Per trope, per pattern: mentions the pattern found, by status.
    pub patterns: Vec<Vec<ByStatus>>,
    /// Per trope: mentions the learned stage found (no pattern), by status.
    pub learned: Vec<ByStatus>,
}

impl Stats {
    /// Empty counts shaped for `lex`.
    pub fn new(lex: &CompiledLexicon) -> Stats {
        let tropes = &lex.lexicon().tropes;
        Stats {
            documents: 0,
            documents_with_mentions: 0,
            tropes: vec![[0; 3]; tropes.len()],
            trope_documents: vec![0; tropes.len()],
            learned: vec![[0; 3]; tropes.len()],
            patterns: tropes
                .iter()
                .map(|t| vec![[0; 3]; t.patterns.len()])
                .collect(),
        }
    }

    /// Count one document's mentions.
    pub fn add(&mut self, analysis: &Analysis) {
        self.documents += 1;
        if !analysis.mentions.is_empty() {
            self.documents_with_mentions += 1;
        }
        let mut seen: Vec<u16> = Vec::new();
        for m in &analysis.mentions {
            let t = m.mention.trope as usize;
            let s = slot(m.decision.status);
            if let Some(c) = self.tropes.get_mut(t) {
                c[s] += 1;
            }
            let found_by = if m.mention.learned.is_some() {
                self.learned.get_mut(t)
            } else {
                self.patterns
                    .get_mut(t)
                    .and_then(|p| p.get_mut(m.mention.pattern as usize))
            };
            if let Some(c) = found_by {
                c[s] += 1;
            }
            if !seen.contains(&m.mention.trope) {
                seen.push(m.mention.trope);
                if let Some(d) = self.trope_documents.get_mut(t) {
                    *d += 1;
                }
            }
        }
    }

    /// Add the counts of `other` (same lexicon) to these.
    pub fn merge(&mut self, other: &Stats) {
        self.documents += other.documents;
        self.documents_with_mentions += other.documents_with_mentions;
        for (a, b) in self.tropes.iter_mut().zip(&other.tropes) {
            add3(a, b);
        }
        for (a, b) in self.trope_documents.iter_mut().zip(&other.trope_documents) {
            *a += b;
        }
        for (a, b) in self.learned.iter_mut().zip(&other.learned) {
            add3(a, b);
        }
        for (pa, pb) in self.patterns.iter_mut().zip(&other.patterns) {
            for (a, b) in pa.iter_mut().zip(pb) {
                add3(a, b);
            }
        }
    }

    /// (trope index, pattern index) of every pattern that found no mention. A pattern whose
    /// hits were always inside a wider hit of another pattern of its trope counts as not
    /// firing: the wider one found the mention.
    pub fn never_fired(&self) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        for (t, ps) in self.patterns.iter().enumerate() {
            for (p, c) in ps.iter().enumerate() {
                if c.iter().sum::<u64>() == 0 {
                    out.push((t, p));
                }
            }
        }
        out
    }
}

fn add3(a: &mut ByStatus, b: &ByStatus) {
    for (x, y) in a.iter_mut().zip(b) {
        *x += y;
    }
}

/// One mention as [`compare`] sees it: trope id, status and where.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct MentionKey {
    /// Byte offset of the match.
    pub start: usize,
    /// End of the match.
    pub end: usize,
    /// Trope id.
    pub trope: String,
    /// Status.
    pub status: Status,
}

/// How one document's result differs between two lexicons.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DocChange {
    /// Document id.
    pub document: String,
    /// Lean with the old lexicon.
    pub old_lean: Lean,
    /// Lean with the new lexicon.
    pub new_lean: Lean,
    /// Maturity index, old.
    pub old_index: f64,
    /// Maturity index, new.
    pub new_index: f64,
    /// Cliché score, old and new.
    pub cliche: (f64, f64),
    /// Mature score, old and new.
    pub mature: (f64, f64),
    /// Mentions only the old lexicon finds (or finds with another status).
    pub removed: Vec<MentionKey>,
    /// Mentions only the new lexicon finds (or finds with another status).
    pub added: Vec<MentionKey>,
}

impl DocChange {
    /// Whether the lean changed.
    pub fn lean_changed(&self) -> bool {
        self.old_lean != self.new_lean
    }

    /// How big the change is, for ordering: lean changes first, then the change of the
    /// maturity index, then of the scores, then the number of mentions that changed.
    pub fn magnitude(&self) -> (bool, f64, f64, usize) {
        (
            self.lean_changed(),
            (self.new_index - self.old_index).abs(),
            (self.cliche.1 - self.cliche.0).abs() + (self.mature.1 - self.mature.0).abs(),
            self.added.len() + self.removed.len(),
        )
    }

    /// Order for reports: biggest change first, then by document id.
    pub fn cmp_biggest_first(a: &DocChange, b: &DocChange) -> std::cmp::Ordering {
        b.magnitude()
            .partial_cmp(&a.magnitude())
            .unwrap_or(std::cmp::Ordering::Equal)
            .then_with(|| a.document.cmp(&b.document))
    }
}

fn keys(lex: &CompiledLexicon, a: &Analysis) -> Vec<MentionKey> {
    let mut v: Vec<MentionKey> = a
        .mentions
        .iter()
        .map(|m| MentionKey {
            start: m.mention.start,
            end: m.mention.end,
            trope: lex.trope(m.mention.trope).id.clone(),
            status: m.decision.status,
        })
        .collect();
    v.sort();
    v
}

/// How the analysis of one document differs between an old and a new lexicon, or `None`
/// when lean, scores and mentions are all the same.
pub fn compare(
    old_lex: &CompiledLexicon,
    old: &Analysis,
    new_lex: &CompiledLexicon,
    new: &Analysis,
) -> Option<DocChange> {
    let ok = keys(old_lex, old);
    let nk = keys(new_lex, new);
    let removed: Vec<MentionKey> = ok.iter().filter(|k| !nk.contains(k)).cloned().collect();
    let added: Vec<MentionKey> = nk.iter().filter(|k| !ok.contains(k)).cloned().collect();
    let (o, n) = (&old.score, &new.score);
    let same_scores = (o.cliche - n.cliche).abs() < 1e-9 && (o.mature - n.mature).abs() < 1e-9;
    if removed.is_empty() && added.is_empty() && o.lean == n.lean && same_scores {
        return None;
    }
    Some(DocChange {
        document: old.article.id.clone(),
        old_lean: o.lean,
        new_lean: n.lean,
        old_index: o.maturity_index,
        new_index: n.maturity_index,
        cliche: (o.cliche, n.cliche),
        mature: (o.mature, n.mature),
        removed,
        added,
    })
}

/// Per (trope, status): how many mentions a corpus gained and lost between two lexicons.
pub fn tally(changes: &[DocChange]) -> BTreeMap<(String, Status), (u64, u64)> {
    let mut out: BTreeMap<(String, Status), (u64, u64)> = BTreeMap::new();
    for c in changes {
        for k in &c.added {
            out.entry((k.trope.clone(), k.status)).or_default().0 += 1;
        }
        for k in &c.removed {
            out.entry((k.trope.clone(), k.status)).or_default().1 += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Analyzer;

    #[test]
    fn contexts_are_collapsed_and_cut() {
        assert_eq!(left_context("a  b\n\nc ", 3), " c ");
        assert_eq!(left_context("abcdef", 3), "def");
        assert_eq!(right_context(" x\t\ty z", 4), " x y");
        assert_eq!(left_context("", 5), "");
    }

    #[test]
    fn query_kwic_and_stats() {
        let analyzer = Analyzer::embedded().unwrap();
        let lexicon = with_query(analyzer.lexicon().lexicon(), "(rain|storm)").unwrap();
        let lex = CompiledLexicon::new(lexicon).unwrap();
        let q = (lex.lexicon().tropes.len() - 1) as u16;
        let a = Analyzer::new(lex);
        let doc = a.analyze_text("d1", "There is no rain here. The storm   comes.");
        let lines = kwic_lines(a.lexicon(), &doc, |m| m.mention.trope == q, 6);
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0].status, Status::Absent);
        assert!(lines[0].cue.ends_with("no"), "{}", lines[0].cue);
        assert_eq!(lines[1].matched, "storm");
        assert_eq!(lines[1].left, ". The ");
        assert_eq!(lines[1].right, " comes");
        let mut stats = Stats::new(a.lexicon());
        stats.add(&doc);
        assert_eq!(stats.tropes[q as usize], [1, 1, 0]);
        assert!(with_query(a.lexicon().lexicon(), "(a|").is_err());
    }

    #[test]
    fn compare_finds_lean_changes() {
        let a = Analyzer::embedded().unwrap();
        let doc = a.analyze_text("d", "No amnesia here.");
        assert!(compare(a.lexicon(), &doc, a.lexicon(), &doc).is_none());
        let other = a.analyze_text("d", "She gets amnesia.");
        let c = compare(a.lexicon(), &doc, a.lexicon(), &other).unwrap();
        assert!(c.lean_changed());
        assert_eq!(c.removed.len(), 1);
        assert_eq!(c.added.len(), 1);
    }
}
