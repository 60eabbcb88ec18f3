//! CSV report: a wide row per document and a row per mention, ready for pandas, R or a
//! spreadsheet. Column names are stable; trope ids are written as in `spec/tropes.md`.
//! The same rows serve `score --format csv` and `batch`.

use std::io;

use super::{count, ids_with_status, json::round, VERSION};
use crate::lexicon::{CompiledLexicon, Family, Status};
use crate::pipeline::Analysis;

/// Columns of the document table, in order (before any kept input columns).
pub const DOCUMENT_COLUMNS: &[&str] = &[
    "id",
    "source",
    "status",
    "error",
    "words",
    "sentences",
    "cliche_score",
    "mature_score",
    "maturity_index",
    "cliche_density",
    "mature_density",
    "lean",
    "cliche_present",
    "cliche_absent",
    "cliche_generic",
    "mature_present",
    "mature_absent",
    "mature_generic",
    "tropes_present",
    "tropes_absent",
    "tropes_generic",
    "tropes_off_topic",
    "lexicon",
    "version",
];

/// Columns of the mention table.
pub const MENTION_COLUMNS: &[&str] = &[
    "id",
    "trope",
    "family",
    "status",
    "sentence",
    "start",
    "end",
    "text",
    "cue",
    "cue_category",
    "found_by",
    "probability",
    "rules_status",
    "status_probability",
    "pattern",
    "record",
];

/// The document row of a successful analysis.
pub fn document_row(lex: &CompiledLexicon, a: &Analysis, source: &str) -> Vec<String> {
    let s = &a.score;
    let num = |x: f64| format!("{}", round(x));
    vec![
        a.article.id.clone(),
        source.to_string(),
        "ok".into(),
        String::new(),
        s.words.to_string(),
        s.sentences.to_string(),
        num(s.cliche),
        num(s.mature),
        num(s.maturity_index),
        num(s.cliche_density),
        num(s.mature_density),
        s.lean.as_str().into(),
        count(a, Family::Cliche, Status::Present).to_string(),
        count(a, Family::Cliche, Status::Absent).to_string(),
        count(a, Family::Cliche, Status::Generic).to_string(),
        count(a, Family::Mature, Status::Present).to_string(),
        count(a, Family::Mature, Status::Absent).to_string(),
        count(a, Family::Mature, Status::Generic).to_string(),
        ids_with_status(lex, a, Status::Present),
        ids_with_status(lex, a, Status::Absent),
        ids_with_status(lex, a, Status::Generic),
        off_topic_ids(lex, a),
        lex.lexicon().fingerprint.clone(),
        VERSION.into(),
    ]
}

/// The trope ids the topic gate left out (`crate::topic`), sorted, once each.
fn off_topic_ids(lex: &CompiledLexicon, a: &Analysis) -> String {
    let mut ids: Vec<&str> = a
        .off_topic
        .iter()
        .map(|m| lex.trope(m.trope).id.as_str())
        .collect();
    ids.sort_unstable();
    ids.dedup();
    ids.join(";")
}

/// The document row of a document that failed: every score column empty.
pub fn error_row(lex: &CompiledLexicon, id: &str, source: &str, error: &str) -> Vec<String> {
    let mut row = vec![String::new(); DOCUMENT_COLUMNS.len()];
    row[0] = id.to_string();
    row[1] = source.to_string();
    row[2] = "error".into();
    row[3] = error.to_string();
    row[DOCUMENT_COLUMNS.len() - 2] = lex.lexicon().fingerprint.clone();
    row[DOCUMENT_COLUMNS.len() - 1] = VERSION.into();
    row
}

/// The mention rows of an analysis.
pub fn mention_rows(lex: &CompiledLexicon, a: &Analysis) -> Vec<Vec<String>> {
    a.mentions
        .iter()
        .map(|m| {
            let trope = lex.trope(m.mention.trope);
            let (cue, category) = match a.cue(lex, m) {
                Some((text, cat)) => (text.to_string(), cat.as_str().to_string()),
                None => (String::new(), String::new()),
            };
            vec![
                a.article.id.clone(),
                trope.id.clone(),
                trope.family.as_str().into(),
                m.decision.status.as_str().into(),
                m.mention.sentence.to_string(),
                m.mention.start.to_string(),
                m.mention.end.to_string(),
                a.matched(m).to_string(),
                cue,
                category,
                match m.mention.learned {
                    Some(l) if l.document => "document",
                    Some(_) => "model",
                    None => "pattern",
                }
                .into(),
                m.mention
                    .learned
                    .map(|l| format!("{}", round(f64::from(l.probability))))
                    .unwrap_or_default(),
                m.status_vote
                    .map(|v| v.rules.as_str().to_string())
                    .unwrap_or_default(),
                m.status_vote
                    .map(|v| format!("{}", round(f64::from(v.probability))))
                    .unwrap_or_default(),
                // Which pattern fired, as the trope file spells it (empty for the model's
                // mentions): a curator narrowing a pattern reads the table, not `--explain`
                // one review at a time.
                lex.pattern(m.mention.trope, m.mention.pattern)
                    .map(|p| p.value.clone())
                    .unwrap_or_default(),
                // A row that repeats the one before's span with another status says why:
                // rule 11's answer to a genre statement, or the status stage's second status.
                if m.decision.answer {
                    "answer"
                } else if m.status_vote.is_some_and(|v| v.second) {
                    "second"
                } else {
                    "first"
                }
                .into(),
            ]
        })
        .collect()
}

/// Write document rows ([`document_row`], [`error_row`]) as a document table with a header.
pub fn write_documents<W: io::Write>(out: W, rows: &[Vec<String>]) -> io::Result<()> {
    let mut w = ::csv::Writer::from_writer(out);
    w.write_record(DOCUMENT_COLUMNS).map_err(io::Error::other)?;
    for row in rows {
        w.write_record(row).map_err(io::Error::other)?;
    }
    w.flush()
}

/// Write the mentions of analyses as a mention table with a header.
pub fn write_mentions<W: io::Write>(
    out: W,
    lex: &CompiledLexicon,
    analyses: &[Analysis],
) -> io::Result<()> {
    let mut w = ::csv::Writer::from_writer(out);
    w.write_record(MENTION_COLUMNS).map_err(io::Error::other)?;
    for a in analyses {
        for row in mention_rows(lex, a) {
            w.write_record(row).map_err(io::Error::other)?;
        }
    }
    w.flush()
}
