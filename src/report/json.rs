//! JSON report: one object per document (written as JSON Lines by the CLI).
//!
//! Schema `tropescope.analysis/1` (documented in the README; fields are only ever added):
//! `schema`, `tool`, `lexicon {fingerprint, origin}`, `id`, `title`, `words`, `sentences`,
//! `score {cliche, mature, maturity_index, cliche_density, mature_density, lean}`,
//! `counts {cliche|mature: {present, absent, generic}}`, `tropes [{trope, family, present,
//! absent, generic}]`, `mentions [{trope, family, status, start, end, text, sentence,
//! pattern, cue, contribution {axis, amount}}]` where `cue` is `null` or
//! `{text, category, pattern, start, end}`, and `off_topic [{trope, family, start, end, text,
//! sentence, pattern}]`: the mentions the topic gate left out (`crate::topic`).

use serde_json::{json, Value};

use super::{count, VERSION};
use crate::lexicon::{CompiledLexicon, Family, Status};
use crate::pipeline::Analysis;

/// The schema id written into every object.
pub const SCHEMA: &str = "tropescope.analysis/1";

/// One analysis as a JSON value.
pub fn analysis_value(lex: &CompiledLexicon, a: &Analysis) -> Value {
    let lexicon = lex.lexicon();
    let counts = |f: Family| {
        json!({
            "present": count(a, f, Status::Present),
            "absent": count(a, f, Status::Absent),
            "generic": count(a, f, Status::Generic),
        })
    };
    let mentions: Vec<Value> = a
        .mentions
        .iter()
        .map(|m| {
            let trope = lex.trope(m.mention.trope);
            let cue = m.decision.cue.map(|c| {
                let cue = &lexicon.cues[c.cue as usize];
                json!({
                    "text": &a.article.text[c.start..c.end],
                    "category": cue.category.as_str(),
                    "pattern": cue.pattern,
                    "start": c.start,
                    "end": c.end,
                })
            });
            let mut v = json!({
                "trope": trope.id,
                "family": trope.family.as_str(),
                "status": m.decision.status.as_str(),
                "start": m.mention.start,
                "end": m.mention.end,
                "text": a.matched(m),
                "sentence": m.mention.sentence,
                "pattern": lex.pattern(m.mention.trope, m.mention.pattern).map(|p| &p.value),
                "absence_pattern": lex.is_absence(m.mention.trope, m.mention.pattern),
                "learned": m.mention.learned.map(|l| json!({
                    "feature": lex.learned_feature(&m.mention),
                    "probability": round(f64::from(l.probability)),
                })),
                "cue": cue,
                "status_model": m.status_vote.map(|v| json!({
                    "rules": v.rules.as_str(),
                    "probability": round(f64::from(v.probability)),
                })),
                "contribution": {
                    "axis": m.contribution.axis.map(Family::as_str),
                    "amount": round(m.contribution.amount),
                },
            });
            // Rule 11: the second record of an answered genre statement says so.
            if m.decision.answer {
                v["answer_to_sentence"] = json!(m.mention.sentence);
            }
            // The status stage's second reading says so too (`probability` is then its
            // `also` regression's).
            if m.status_vote.is_some_and(|v| v.second) {
                v["status_model"]["second"] = json!(true);
            }
            v
        })
        .collect();
    let off_topic: Vec<Value> = a
        .off_topic
        .iter()
        .map(|m| {
            let trope = lex.trope(m.trope);
            json!({
                "trope": trope.id,
                "family": trope.family.as_str(),
                "start": m.start,
                "end": m.end,
                "text": &a.article.text[m.start..m.end],
                "sentence": m.sentence,
                "pattern": lex.pattern(m.trope, m.pattern).map(|p| &p.value),
            })
        })
        .collect();
    let s = &a.score;
    json!({
        "schema": SCHEMA,
        "tool": {"name": "tropescope", "version": VERSION},
        "lexicon": {"fingerprint": lexicon.fingerprint, "origin": lexicon.origin},
        "id": a.article.id,
        "title": a.article.title,
        "words": s.words,
        "sentences": s.sentences,
        "score": {
            "cliche": round(s.cliche),
            "mature": round(s.mature),
            "maturity_index": round(s.maturity_index),
            "cliche_density": round(s.cliche_density),
            "mature_density": round(s.mature_density),
            "lean": s.lean.as_str(),
        },
        "counts": {"cliche": counts(Family::Cliche), "mature": counts(Family::Mature)},
        "tropes": s.tropes,
        "mentions": mentions,
        "off_topic": off_topic,
    })
}

/// Round to 4 decimals so reports are stable and readable.
pub fn round(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

/// Write one analysis as a single line of JSON.
pub fn write_line<W: std::io::Write>(
    out: &mut W,
    lex: &CompiledLexicon,
    a: &Analysis,
) -> std::io::Result<()> {
    serde_json::to_writer(&mut *out, &analysis_value(lex, a))?;
    out.write_all(b"\n")
}
