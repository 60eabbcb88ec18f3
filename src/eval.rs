//! Evaluation against gold files (`spec/gold-format.md`): detection, status-aware and
//! status-accuracy figures per document and micro-averaged, a confusion matrix, lean
//! accuracy, and every miss and false alarm with its evidence.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use serde::Serialize;
use serde_json::Value;

use crate::error::{Error, Result};
use crate::input::{read_path, Article, InputFormat};
use crate::lexicon::{Lexicon, Status};
use crate::pipeline::{Analysis, Analyzer};
use crate::report::text::visible;
use crate::score::Lean;

/// One labelled document of a gold file.
#[derive(Clone, Debug, PartialEq)]
pub struct GoldDoc {
    /// Unique id.
    pub id: String,
    /// 1-based line in the gold file.
    pub line: usize,
    /// The text, read from `text` or from `path`.
    pub article: Article,
    /// Gold (trope, status) pairs.
    pub gold: BTreeSet<(String, Status)>,
    /// Gold lean, when given.
    pub lean: Option<Lean>,
}

/// A gold line that could not be used.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct BadLine {
    /// 1-based line.
    pub line: usize,
    /// What is wrong with it.
    pub message: String,
}

/// Read a gold file: the usable documents and the bad lines. A label naming a trope
/// `lexicon` does not have makes its line bad (see [`parse_gold`]).
///
/// A file with no documents at all (empty, or only blank lines) is an error rather than an
/// empty set: measured over nothing, every figure is a vacuous 1.000 that passes any
/// `--min-f1` bar, so a gold file emptied by mistake would turn CI green. (A file whose
/// lines are all bad is not refused here: its bad lines already fail the run, and name
/// what is wrong.)
pub fn read_gold(path: &Path, lexicon: &Lexicon) -> Result<(Vec<GoldDoc>, Vec<BadLine>)> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(Some(path), e))?;
    let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
    let (docs, bad) = parse_gold(&bytes, &base, lexicon);
    if docs.is_empty() && bad.is_empty() {
        return Err(Error::input(format!(
            "{}: no documents (the file is empty or has only blank lines)",
            path.display()
        )));
    }
    Ok((docs, bad))
}

/// Parse gold JSON Lines; `base` resolves `path` fields.
///
/// Each line is decoded on its own, so one byte that is not UTF-8 makes that line bad, by
/// number, rather than the whole file unreadable; a UTF-8 byte order mark at the start (as
/// some Windows editors write) is skipped, not read as part of line 1.
///
/// Trope ids are judged against `lexicon`: a misspelt id (`amnesai`) could never be found,
/// so it would count silently as a miss, and the real trope as a false alarm.
pub fn parse_gold(bytes: &[u8], base: &Path, lexicon: &Lexicon) -> (Vec<GoldDoc>, Vec<BadLine>) {
    let mut docs = Vec::new();
    let mut bad = Vec::new();
    let mut ids = BTreeSet::new();
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    for (i, line) in bytes.split(|&b| b == b'\n').enumerate() {
        let n = i + 1;
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        let line = match std::str::from_utf8(line) {
            Ok(line) => line,
            Err(e) => {
                bad.push(BadLine {
                    line: n,
                    message: format!(
                        "not valid UTF-8 (byte {} of the line); save the file as UTF-8",
                        e.valid_up_to() + 1
                    ),
                });
                continue;
            }
        };
        if line.trim().is_empty() {
            continue;
        }
        match parse_line(line, n, base, lexicon) {
            Ok(doc) => {
                if !ids.insert(doc.id.clone()) {
                    bad.push(BadLine {
                        line: n,
                        message: format!("duplicate id {:?}", doc.id),
                    });
                } else {
                    docs.push(doc);
                }
            }
            Err(message) => bad.push(BadLine { line: n, message }),
        }
    }
    (docs, bad)
}

fn parse_line(
    line: &str,
    n: usize,
    base: &Path,
    lexicon: &Lexicon,
) -> std::result::Result<GoldDoc, String> {
    // serde numbers lines within what it was given, always line 1 here: the bad line's own
    // number is the one that matters, so keep only the column.
    let v: Value = serde_json::from_str(line).map_err(|e| {
        format!(
            "not valid JSON: {} at column {}",
            crate::error::json_message(&e),
            e.column()
        )
    })?;
    let obj = v.as_object().ok_or("a gold line must be a JSON object")?;
    let id = match obj.get("id") {
        None => return Err("missing \"id\" (a string)".into()),
        Some(Value::String(id)) => id.clone(),
        Some(other) => return Err(format!("\"id\" must be a string, not {other}")),
    };
    let article = match (obj.get("text"), obj.get("path")) {
        (Some(_), Some(_)) => {
            return Err(format!(
                "{id}: has both \"text\" and \"path\"; give exactly one"
            ))
        }
        (None, None) => {
            return Err(format!(
                "{id}: has neither \"text\" nor \"path\"; give exactly one"
            ))
        }
        (Some(t), None) => {
            let t = t
                .as_str()
                .ok_or(format!("{id}: \"text\" must be a string"))?;
            // As `score` refuses an empty document: there is nothing to measure in it.
            if t.trim().is_empty() {
                return Err(format!("{id}: \"text\" is empty"));
            }
            Article {
                id: id.clone(),
                title: None,
                text: t.to_string(),
            }
        }
        (None, Some(p)) => {
            let p = p
                .as_str()
                .ok_or(format!("{id}: \"path\" must be a string"))?;
            let full: PathBuf = base.join(p);
            if full.is_dir() {
                return Err(format!(
                    "{id}: path {} is a folder, not a file",
                    full.display()
                ));
            }
            if !full.is_file() {
                return Err(format!("{id}: path {} does not exist", full.display()));
            }
            let mut articles =
                read_path(&full, InputFormat::Auto).map_err(|e| format!("{id}: {e}"))?;
            if articles.len() != 1 {
                // Several posts in one file: analyse them as one document.
                let text = articles
                    .iter()
                    .map(|a| a.text.as_str())
                    .collect::<Vec<_>>()
                    .join("\n\n");
                Article {
                    id: id.clone(),
                    title: None,
                    text,
                }
            } else {
                let mut a = articles.remove(0);
                a.id = id.clone();
                a
            }
        }
    };
    let gold_v = obj
        .get("gold")
        .ok_or(format!("{id}: missing \"gold\" (a list, may be empty)"))?;
    let list = gold_v
        .as_array()
        .ok_or(format!("{id}: \"gold\" must be a list"))?;
    let mut gold = BTreeSet::new();
    for g in list {
        let trope = g
            .get("trope")
            .and_then(Value::as_str)
            .ok_or(format!("{id}: a gold entry lacks \"trope\""))?;
        if lexicon.trope(trope).is_none() {
            return Err(format!(
                "{id}: unknown trope {trope:?} (not in lexicon {}; `tropescope lexicon list` \
                 lists the ids)",
                lexicon.fingerprint
            ));
        }
        let status = g
            .get("status")
            .and_then(Value::as_str)
            .ok_or(format!("{id}: a gold entry lacks \"status\""))?;
        let status = Status::parse(status).ok_or(format!(
            "{id}: unknown status {status:?} (present, absent or generic)"
        ))?;
        gold.insert((trope.to_string(), status));
    }
    let lean = match obj.get("lean") {
        None | Some(Value::Null) => None,
        Some(l) => {
            let l = l
                .as_str()
                .ok_or(format!("{id}: \"lean\" must be a string"))?;
            Some(Lean::parse(l).ok_or(format!(
                "{id}: unknown lean {l:?} (mature, cliche, mixed or none)"
            ))?)
        }
    };
    Ok(GoldDoc {
        id,
        line: n,
        article,
        gold,
        lean,
    })
}

/// Precision, recall, F1 from counts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct Prf {
    /// True positives.
    pub tp: usize,
    /// False positives.
    pub fp: usize,
    /// False negatives; `fn` in JSON (`fn_` only because `fn` is a Rust keyword).
    #[serde(rename = "fn")]
    pub fn_: usize,
    /// tp / (tp + fp), 1 when nothing was predicted.
    pub precision: f64,
    /// tp / (tp + fn), 1 when nothing was expected.
    pub recall: f64,
    /// Harmonic mean.
    pub f1: f64,
}

impl Prf {
    fn new(tp: usize, fp: usize, fn_: usize) -> Prf {
        let precision = if tp + fp == 0 {
            1.0
        } else {
            tp as f64 / (tp + fp) as f64
        };
        let recall = if tp + fn_ == 0 {
            1.0
        } else {
            tp as f64 / (tp + fn_) as f64
        };
        let f1 = if precision + recall == 0.0 {
            0.0
        } else {
            2.0 * precision * recall / (precision + recall)
        };
        Prf {
            tp,
            fp,
            fn_,
            precision,
            recall,
            f1,
        }
    }
}

/// Where a miss or false alarm can be seen in the text.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Evidence {
    /// The matched words.
    pub text: String,
    /// Byte span.
    pub start: usize,
    /// End of the span.
    pub end: usize,
    /// The sentence.
    pub sentence: String,
    /// The status the tool gave.
    pub status: Status,
    /// The pattern that matched.
    pub pattern: String,
    /// The deciding cue's words and category, if any.
    pub cue: Option<String>,
    /// What the status stage said, when it ran: the rules' status and its probability.
    pub status_model: Option<crate::status::StatusVote>,
}

/// A gold pair the tool did not find, or a found pair not in gold.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Discrepancy {
    /// Document id.
    pub doc: String,
    /// Trope id.
    pub trope: String,
    /// Status of the pair.
    pub status: Status,
    /// The tool's mentions of this trope in the document (empty: not found at all).
    pub evidence: Vec<Evidence>,
}

/// The figures of one document.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DocResult {
    /// Id.
    pub id: String,
    /// Detection figures.
    pub detection: Prf,
    /// Status-aware figures.
    pub status_aware: Prf,
    /// Predicted lean.
    pub lean: Lean,
    /// Gold lean.
    pub gold_lean: Option<Lean>,
    /// Maturity index.
    pub maturity_index: f64,
}

/// The whole evaluation.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct EvalReport {
    /// The gold file.
    pub gold_file: String,
    /// Lexicon fingerprint.
    pub lexicon: String,
    /// Documents evaluated.
    pub documents: usize,
    /// Micro-averaged detection.
    pub detection: Prf,
    /// Micro-averaged status-aware.
    pub status_aware: Prf,
    /// Status accuracy among tropes both found and in gold.
    pub status_accuracy: f64,
    /// Confusion matrix, rows = gold status, columns = predicted (present, absent, generic).
    pub confusion: [[usize; 3]; 3],
    /// Lean accuracy over the documents that give a lean, and how many did.
    pub lean_accuracy: Option<f64>,
    /// Documents with a gold lean.
    pub lean_documents: usize,
    /// Per document.
    pub per_document: Vec<DocResult>,
    /// Gold pairs not found.
    pub misses: Vec<Discrepancy>,
    /// Found pairs not in gold.
    pub false_alarms: Vec<Discrepancy>,
    /// Lines that could not be used.
    pub bad_lines: Vec<BadLine>,
}

fn idx(s: Status) -> usize {
    match s {
        Status::Present => 0,
        Status::Absent => 1,
        Status::Generic => 2,
    }
}

fn evidence(analyzer: &Analyzer, a: &Analysis, trope: &str) -> Vec<Evidence> {
    let lex = analyzer.lexicon();
    a.mentions
        .iter()
        .filter(|m| lex.trope(m.mention.trope).id == trope)
        .map(|m| Evidence {
            text: a.matched(m).to_string(),
            start: m.mention.start,
            end: m.mention.end,
            sentence: a
                .sentence(m)
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" "),
            status: m.decision.status,
            pattern: lex.found_by(&m.mention),
            cue: a
                .cue(lex, m)
                .map(|(text, cat)| format!("{text:?} ({})", cat.as_str())),
            status_model: m.status_vote,
        })
        .collect()
}

/// Analyse every gold document and compare.
pub fn evaluate(
    analyzer: &Analyzer,
    gold_file: &str,
    docs: Vec<GoldDoc>,
    bad_lines: Vec<BadLine>,
) -> EvalReport {
    let lex = analyzer.lexicon();
    let mut ws = analyzer.workspace();
    let (mut dt, mut dfp, mut dfn) = (0, 0, 0);
    let (mut st, mut sfp, mut sfn) = (0, 0, 0);
    let mut confusion = [[0usize; 3]; 3];
    let mut lean_ok = 0;
    let mut lean_n = 0;
    let mut per_document = Vec::new();
    let mut misses = Vec::new();
    let mut false_alarms = Vec::new();
    let n = docs.len();
    for doc in docs {
        let a = analyzer.analyze_with(&mut ws, doc.article);
        let found: BTreeSet<(String, Status)> = a
            .pairs()
            .into_iter()
            .map(|(t, s)| (lex.trope(t).id.clone(), s))
            .collect();
        let found_t: BTreeSet<&str> = found.iter().map(|(t, _)| t.as_str()).collect();
        let gold_t: BTreeSet<&str> = doc.gold.iter().map(|(t, _)| t.as_str()).collect();
        let d = Prf::new(
            found_t.intersection(&gold_t).count(),
            found_t.difference(&gold_t).count(),
            gold_t.difference(&found_t).count(),
        );
        let s = Prf::new(
            found.intersection(&doc.gold).count(),
            found.difference(&doc.gold).count(),
            doc.gold.difference(&found).count(),
        );
        dt += d.tp;
        dfp += d.fp;
        dfn += d.fn_;
        st += s.tp;
        sfp += s.fp;
        sfn += s.fn_;
        // Confusion: for each gold pair of a trope found at all, the predicted status that
        // agrees if there is one, else the one the tool gave most often.
        let mut by_trope: BTreeMap<&str, BTreeMap<Status, usize>> = BTreeMap::new();
        for m in &a.mentions {
            *by_trope
                .entry(lex.trope(m.mention.trope).id.as_str())
                .or_default()
                .entry(m.decision.status)
                .or_default() += 1;
        }
        for (t, g) in &doc.gold {
            if let Some(pred) = by_trope.get(t.as_str()) {
                let p = if pred.contains_key(g) {
                    *g
                } else {
                    *pred.iter().max_by_key(|(_, n)| **n).expect("non-empty").0
                };
                confusion[idx(*g)][idx(p)] += 1;
            }
        }
        for (t, g) in doc.gold.difference(&found) {
            misses.push(Discrepancy {
                doc: doc.id.clone(),
                trope: t.clone(),
                status: *g,
                evidence: evidence(analyzer, &a, t),
            });
        }
        for (t, p) in found.difference(&doc.gold) {
            false_alarms.push(Discrepancy {
                doc: doc.id.clone(),
                trope: t.clone(),
                status: *p,
                evidence: evidence(analyzer, &a, t)
                    .into_iter()
                    .filter(|e| e.status == *p)
                    .collect(),
            });
        }
        if let Some(l) = doc.lean {
            lean_n += 1;
            if l == a.score.lean {
                lean_ok += 1;
            }
        }
        per_document.push(DocResult {
            id: doc.id,
            detection: d,
            status_aware: s,
            lean: a.score.lean,
            gold_lean: doc.lean,
            maturity_index: a.score.maturity_index,
        });
    }
    let agree: usize = (0..3).map(|i| confusion[i][i]).sum();
    let total: usize = confusion.iter().flatten().sum();
    EvalReport {
        gold_file: gold_file.to_string(),
        lexicon: lex.lexicon().fingerprint.clone(),
        documents: n,
        detection: Prf::new(dt, dfp, dfn),
        status_aware: Prf::new(st, sfp, sfn),
        status_accuracy: if total == 0 {
            1.0
        } else {
            agree as f64 / total as f64
        },
        confusion,
        lean_accuracy: (lean_n > 0).then(|| lean_ok as f64 / lean_n as f64),
        lean_documents: lean_n,
        per_document,
        misses,
        false_alarms,
        bad_lines,
    }
}

impl EvalReport {
    /// Write the report for people; `detail` adds the per-document table, the misses and
    /// the false alarms.
    pub fn write_text<W: Write>(&self, out: &mut W, detail: bool) -> io::Result<()> {
        writeln!(
            out,
            "gold {}: {} documents, lexicon {}",
            self.gold_file, self.documents, self.lexicon
        )?;
        for b in &self.bad_lines {
            writeln!(out, "  bad line {}: {}", b.line, visible(&b.message))?;
        }
        let prf = |out: &mut W, name: &str, p: &Prf| {
            writeln!(
                out,
                "  {name:<13} P {:.3}  R {:.3}  F1 {:.3}   (tp {}, fp {}, fn {})",
                p.precision, p.recall, p.f1, p.tp, p.fp, p.fn_
            )
        };
        prf(out, "detection", &self.detection)?;
        prf(out, "status-aware", &self.status_aware)?;
        writeln!(
            out,
            "  status accuracy {:.3} (tropes both found and in gold)",
            self.status_accuracy
        )?;
        match self.lean_accuracy {
            Some(a) => writeln!(
                out,
                "  lean accuracy {a:.3} ({} documents with a gold lean)",
                self.lean_documents
            )?,
            None => writeln!(out, "  lean accuracy n/a (no gold leans)")?,
        }
        writeln!(out, "\n  confusion (rows gold, columns predicted)")?;
        writeln!(
            out,
            "  {:>10} {:>8} {:>8} {:>8}",
            "", "present", "absent", "generic"
        )?;
        for (i, s) in Status::ALL.iter().enumerate() {
            let r = self.confusion[i];
            writeln!(
                out,
                "  {:>10} {:>8} {:>8} {:>8}",
                s.as_str(),
                r[0],
                r[1],
                r[2]
            )?;
        }
        if detail {
            writeln!(out, "\n  per document")?;
            for d in &self.per_document {
                let gl = d.gold_lean.map_or("-", Lean::as_str);
                let mark = if d.gold_lean.is_some_and(|g| g != d.lean) {
                    " ✗"
                } else {
                    ""
                };
                writeln!(
                    out,
                    "  {:<20} det F1 {:.2}  status F1 {:.2}  lean {} (gold {gl}){mark}  index {:+.2}",
                    visible(&d.id), d.detection.f1, d.status_aware.f1, d.lean, d.maturity_index
                )?;
            }
        }
        let section = |out: &mut W, title: &str, list: &[Discrepancy]| -> io::Result<()> {
            if list.is_empty() {
                return Ok(());
            }
            writeln!(out, "\n  {title} ({})", list.len())?;
            for d in list {
                writeln!(out, "  {} {} {}", visible(&d.doc), d.trope, d.status)?;
                if d.evidence.is_empty() {
                    writeln!(out, "      not found in the text")?;
                }
                for e in &d.evidence {
                    let cue = e.cue.as_deref().unwrap_or("no cue");
                    // Where the status stage overruled the rules, the cue is not why.
                    let model = match e.status_model {
                        Some(v) if v.second => format!(
                            " (status model's second status for these words, p={:.2})",
                            v.probability
                        ),
                        Some(v) if v.rules != e.status => format!(
                            " (status model p={:.2}; the rules said {})",
                            v.probability,
                            v.rules.as_str()
                        ),
                        _ => String::new(),
                    };
                    writeln!(
                        out,
                        "      found {} {:?} @{}..{} by {:?}, {cue}{model}: {}",
                        e.status,
                        e.text,
                        e.start,
                        e.end,
                        e.pattern,
                        visible(&e.sentence)
                    )?;
                }
            }
            Ok(())
        };
        if detail {
            section(out, "misses", &self.misses)?;
            section(out, "false alarms", &self.false_alarms)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The embedded lexicon, loaded once for every test here.
    fn lexicon() -> &'static Lexicon {
        static LEXICON: std::sync::OnceLock<Lexicon> = std::sync::OnceLock::new();
        LEXICON.get_or_init(|| Lexicon::embedded().expect("the embedded lexicon loads"))
    }

    #[test]
    fn gold_line_errors_name_the_problem() {
        let text = "{\"id\":\"a\",\"text\":\"t\",\"gold\":[]}\n{\"id\":\"a\",\"text\":\"t\",\"gold\":[]}\n{\"id\":\"b\",\"text\":\"t\",\"gold\":[{\"trope\":\"amnesia\",\"status\":\"present\"}],\"lean\":\"sideways\"}\n";
        let (docs, bad) = parse_gold(text.as_bytes(), Path::new("."), lexicon());
        assert_eq!(docs.len(), 1);
        assert_eq!(bad.len(), 2);
        assert!(bad[0].message.contains("duplicate id"));
        assert!(bad[1].message.contains("unknown lean"));
        assert_eq!(bad[1].line, 3);
    }

    #[test]
    fn unknown_trope_is_a_bad_line_and_the_rest_still_count() {
        let text = concat!(
            "{\"id\":\"f\",\"text\":\"There is no amnesia.\",\"gold\":[{\"trope\":\"amnesai\",\"status\":\"absent\"}]}\n",
            "{\"id\":\"g\",\"text\":\"There is no amnesia.\",\"gold\":[{\"trope\":\"amnesia\",\"status\":\"absent\"}]}\n",
        );
        let (docs, bad) = parse_gold(text.as_bytes(), Path::new("."), lexicon());
        assert_eq!(docs.len(), 1);
        assert_eq!(docs[0].id, "g");
        assert_eq!(bad.len(), 1);
        assert_eq!(bad[0].line, 1);
        assert!(
            bad[0].message.contains("unknown trope \"amnesai\""),
            "{}",
            bad[0].message
        );
    }

    #[test]
    fn a_byte_order_mark_is_skipped_and_bad_utf8_is_one_bad_line() {
        // A byte order mark, a CRLF line, a Latin-1 "é", a last line with no newline.
        let bytes = b"\xEF\xBB\xBF{\"id\":\"a\",\"text\":\"t\",\"gold\":[]}\r\n\
            {\"id\":\"b\",\"text\":\"caf\xE9\",\"gold\":[]}\n\
            {\"id\":\"c\",\"text\":\"t\",\"gold\":[]}";
        let (docs, bad) = parse_gold(bytes, Path::new("."), lexicon());
        let ids: Vec<&str> = docs.iter().map(|d| d.id.as_str()).collect();
        assert_eq!(ids, ["a", "c"]);
        assert_eq!(bad.len(), 1);
        assert_eq!(bad[0].line, 2);
        assert!(
            bad[0].message.contains("not valid UTF-8"),
            "{}",
            bad[0].message
        );
    }

    #[test]
    fn gold_line_messages_say_what_is_wrong() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        let text = concat!(
            "{\"id\":5,\"text\":\"t\",\"gold\":[]}\n",
            "{\"id\":\"b\",\"text\":\"t\",\"gold\":[}\n",
            "{\"id\":\"c\",\"path\":\"sub\",\"gold\":[]}\n",
            "{\"id\":\"d\",\"text\":\"\",\"gold\":[]}\n",
            "{\"id\":\"e\",\"text\":\" \\n\\t \",\"gold\":[]}\n",
        );
        let (docs, bad) = parse_gold(text.as_bytes(), dir.path(), lexicon());
        assert!(docs.is_empty());
        let messages: Vec<&str> = bad.iter().map(|b| b.message.as_str()).collect();
        assert_eq!(messages[0], "\"id\" must be a string, not 5");
        assert!(
            messages[1].starts_with("not valid JSON: "),
            "{}",
            messages[1]
        );
        assert!(messages[1].ends_with(" at column 30"), "{}", messages[1]);
        assert!(!messages[1].contains("line"), "{}", messages[1]);
        assert!(
            messages[2].ends_with("is a folder, not a file"),
            "{}",
            messages[2]
        );
        assert_eq!(messages[3], "d: \"text\" is empty");
        assert_eq!(messages[4], "e: \"text\" is empty");
    }

    #[test]
    fn prf_edges() {
        let p = Prf::new(0, 0, 0);
        assert_eq!((p.precision, p.recall), (1.0, 1.0));
        assert_eq!(Prf::new(0, 1, 1).f1, 0.0);
        assert!((Prf::new(1, 1, 0).f1 - 2.0 / 3.0).abs() < 1e-9);
    }

    proptest::proptest! {
        #[test]
        fn gold_parsing_never_panics(s in "[{}\\[\\]\":,a-z0-9 \\n]{0,200}") {
            let _ = parse_gold(s.as_bytes(), Path::new("/nonexistent"), lexicon());
        }
    }
}
