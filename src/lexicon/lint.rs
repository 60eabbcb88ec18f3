//! Lint: lexicon files → [`Finding`]s, for curators.
//!
//! Findings are data, not errors: each names a file, line and column, a [`Severity`], a
//! short code and a hint, and the caller decides what they mean (the CLI exits 1 when any
//! is an error). [`lint_files`] first loads each file on its own, so one broken file
//! becomes one finding instead of refusing the whole set, then runs [`lint`] on the files
//! that load. The checks, by code:
//!
//! | code | severity | what |
//! | --- | --- | --- |
//! | `malformed` | error | a file that is not valid TOML, misses a field, or has a bad value |
//! | `unknown-field` | error | a field the format does not have |
//! | `bad-pattern` | error | a pattern that does not compile |
//! | `duplicate-id` | error | two trope files with one id |
//! | `duplicate-pattern` | error | a pattern written twice in one list, or both a pattern and an exclusion |
//! | `placeholder` | error | a `TODO` left by `lexicon new` |
//! | `same-stems` | warning | two patterns of one trope that stem to the same words |
//! | `redundant` | warning | a pattern whose every phrase another pattern of the trope already matches |
//! | `shadowed` | warning | a pattern whose every phrase another trope's pattern also matches |
//! | `cross-example` | warning | a pattern that finds its trope on the very words another trope's example is about |
//! | `cue-overlap` | warning | a pattern that holds a status cue it absorbs, or sits inside a cue it silences (info when the cue is harmless) |
//! | `duplicate-cue` | warning | a cue phrase listed twice |
//! | `missing-example` | warning | a trope without an example of each kind (present, absent, generic, none) |
//! | `stale-model` | error (warning with the stage off) | a `learned.tsv` that weighs a trope the lexicon no longer has (retrain it: with the stage on the lexicon is refused) |
//! | `overlap` | info | a pattern that shares some phrases with another trope's pattern |
//! | `other-trope` | info | a pattern that fires elsewhere in another trope's example |

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;
use std::path::{Path, PathBuf};

use rustc_hash::FxHashMap;
use serde::Serialize;

use super::edit::{check_file, normalize_pattern, PLACEHOLDER};
use super::load::{line_at, SourceFile};
use super::pattern::{self, Pattern, Word};
use super::{CompiledLexicon, Direction, Expect, Lexicon};
use crate::pipeline::Analyzer;
use crate::token::Stemmer;

/// How much a finding matters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The lexicon is broken or wrong: fix before committing (exit 1).
    Error,
    /// Probably a mistake; look at it.
    Warning,
    /// Worth knowing; often intended.
    Info,
}

impl Severity {
    /// The id used in output.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One lint finding.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Finding {
    /// The file, as the lexicon folder joined with its relative path.
    pub file: PathBuf,
    /// 1-based line.
    pub line: usize,
    /// 1-based column (in characters).
    pub col: usize,
    /// How much it matters.
    pub severity: Severity,
    /// A short stable code (see the module doc).
    pub code: &'static str,
    /// What is wrong.
    pub message: String,
    /// What to do about it.
    pub hint: Option<String>,
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}[{}]: {}",
            self.file.display(),
            self.line,
            self.col,
            self.severity,
            self.code,
            self.message
        )?;
        if let Some(h) = &self.hint {
            write!(f, "\n  hint: {h}")?;
        }
        Ok(())
    }
}

/// Lint a lexicon given as files: each file is loaded on its own (a file that does not
/// load is one finding), then [`lint`] runs on the set of files that do.
pub fn lint_files(base: &Path, files: &[SourceFile]) -> Vec<Finding> {
    let mut findings = Vec::new();
    let mut good: Vec<SourceFile> = Vec::new();
    let mut ids: BTreeMap<String, String> = BTreeMap::new();
    for file in files {
        match check_file(base, file) {
            Err(e) => findings.push(load_finding(base, file, &e.to_string())),
            Ok(lex) => {
                if file.path.starts_with("tropes/") {
                    let id = lex.tropes.first().map(|t| t.id.clone()).unwrap_or_default();
                    if let Some(first) = ids.get(&id) {
                        let line = key_line(&file.text, "id");
                        findings.push(Finding {
                            file: base.join(&file.path),
                            line,
                            col: first_col(&file.text, line),
                            severity: Severity::Error,
                            code: "duplicate-id",
                            message: format!(
                                "trope id {id:?} is already defined in {}",
                                base.join(first).display()
                            ),
                            hint: Some("every trope needs its own id; rename one".into()),
                        });
                        continue;
                    }
                    ids.insert(id, file.path.clone());
                }
                good.push(file.clone());
            }
        }
    }
    if !good.iter().any(|f| f.path.starts_with("tropes/")) {
        findings.push(Finding {
            file: base.join("tropes"),
            line: 1,
            col: 1,
            severity: Severity::Error,
            code: "malformed",
            message: "no trope file loads".into(),
            hint: Some("a lexicon folder holds tropes/<id>.toml files".into()),
        });
        return findings;
    }
    match Lexicon::from_files(&base.display().to_string(), base, good) {
        Ok(lexicon) => findings.extend(lint(&lexicon, base, files)),
        Err(e) => {
            let msg = e.to_string();
            let file = files
                .iter()
                .find(|f| msg.starts_with(&format!("lexicon {}", base.join(&f.path).display())));
            findings.push(match file {
                Some(f) => load_finding(base, f, &msg),
                None => Finding {
                    file: base.to_path_buf(),
                    line: 1,
                    col: 1,
                    severity: Severity::Error,
                    code: "malformed",
                    message: msg,
                    hint: None,
                },
            });
        }
    }
    sort(&mut findings);
    findings
}

/// [`lint_files`] on a folder read with [`super::load::read_dir_files_partial`]: each file
/// that could not be read as text (`unreadable`) is one finding, the only one for that
/// file. Its text decoded lossily is linted with the others all the same, so that a stray
/// byte does not hide what is wrong elsewhere, nor make its trope look missing to the
/// checks of the other files.
pub fn lint_folder(
    base: &Path,
    files: &[SourceFile],
    unreadable: &[super::load::Unreadable],
) -> Vec<Finding> {
    let mut all = files.to_vec();
    all.extend(unreadable.iter().map(|(f, _)| f.clone()));
    all.sort_by(|a, b| a.path.cmp(&b.path));
    let mut findings = lint_files(base, &all);
    // What the lossy text gives (a replacement character where the byte was) is noise.
    findings.retain(|f| !unreadable.iter().any(|(u, _)| f.file == base.join(&u.path)));
    for (file, e) in unreadable {
        findings.push(load_finding(base, file, &e.to_string()));
    }
    sort(&mut findings);
    findings
}

/// Lint a lexicon that loads. `files` (the lexicon's files, relative to `base`) give the
/// columns; without them every finding points at column 1.
pub fn lint(lexicon: &Lexicon, base: &Path, files: &[SourceFile]) -> Vec<Finding> {
    let texts: HashMap<&str, &str> = files.iter().map(|f| (f.path.as_str(), &*f.text)).collect();
    let mut cx = Cx {
        base,
        texts,
        findings: Vec::new(),
    };
    let stemmer = Stemmer::new();
    let mut stems = StemMemo::new(&stemmer);
    // Every pattern's shape, once: both checks below compare them.
    let shapes: Vec<Vec<Option<Shape>>> = lexicon
        .tropes
        .iter()
        .map(|t| {
            t.patterns
                .iter()
                .map(|p| shape(&p.value, &mut stems))
                .collect()
        })
        .collect();
    check_tropes(&mut cx, lexicon, &shapes);
    check_cues(&mut cx, lexicon, &shapes, &mut stems);
    check_examples(&mut cx, lexicon);
    check_model(&mut cx, lexicon);
    let mut findings = cx.findings;
    sort(&mut findings);
    findings
}

/// `stale-model`: the learned model's tropes that the lexicon does not have, on `bias` and
/// `feature` lines alike (`score` refuses either). With the stage
/// on the lexicon is refused for it, so it is an error; with the stage off it is a warning
/// (a curator renames a trope, then retrains). A trope whose file is there but does not
/// load is not stale: that file's own error is the one to fix.
fn check_model(cx: &mut Cx, lexicon: &Lexicon) {
    let Some(model) = lexicon.learned.as_ref().and_then(|m| m.parse().ok()) else {
        return;
    };
    let ids: BTreeSet<&str> = lexicon.tropes.iter().map(|t| t.id.as_str()).collect();
    let severity = if lexicon.model.learned {
        Severity::Error
    } else {
        Severity::Warning
    };
    let on_disk = |id: &str| cx.texts.contains_key(super::edit::trope_path(id).as_str());
    let stale: Vec<(String, usize)> = model
        .trope_refs()
        .filter(|&(id, _)| !ids.contains(id) && !on_disk(id))
        .map(|(id, line)| (id.to_string(), line))
        .collect();
    for (id, line) in stale {
        cx.add(
            Path::new(crate::learned::MODEL_PATH),
            line,
            &id,
            severity,
            "stale-model",
            format!("the learned model weighs trope {id:?}, which the lexicon does not have"),
            Some(
                "retrain it (`scripts/train-learned.sh`, README \"The learned stage\"), or turn \
                 the stage off meanwhile (`--no-learned`, or `learned = false` in model.toml)",
            ),
        );
    }
}

fn sort(findings: &mut [Finding]) {
    findings
        .sort_by(|a, b| (&a.file, a.line, a.col, a.code).cmp(&(&b.file, b.line, b.col, b.code)));
}

struct Cx<'a> {
    base: &'a Path,
    texts: HashMap<&'a str, &'a str>,
    findings: Vec<Finding>,
}

impl Cx<'_> {
    /// Add a finding at `line` of `file`, at the column where `needle` starts on it.
    #[allow(clippy::too_many_arguments)]
    fn add(
        &mut self,
        file: &Path,
        line: usize,
        needle: &str,
        severity: Severity,
        code: &'static str,
        message: String,
        hint: Option<&str>,
    ) {
        let rel = file.to_string_lossy().replace('\\', "/");
        let col = self
            .texts
            .get(rel.as_str())
            .map_or(1, |text| col_of(text, line, needle));
        self.findings.push(Finding {
            file: self.base.join(file),
            line: line.max(1),
            col,
            severity,
            code,
            message,
            hint: hint.map(str::to_string),
        });
    }
}

/// One word of a pattern after stemming: what the automaton compares.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Term {
    /// A word's stem.
    Stem(String),
    /// A wildcard prefix.
    Prefix(String),
    /// An exact form (`=word`).
    Form(String),
}

/// What a pattern matches, as sets of stemmed phrases: two patterns with equal shapes
/// match exactly the same words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Shape {
    /// Phrases.
    Phrases(BTreeSet<Vec<Term>>),
    /// `left ~N right`.
    Near(BTreeSet<Vec<Term>>, u32, BTreeSet<Vec<Term>>),
    /// `re:` (its source).
    Regex(String),
}

/// Stems remembered: a lexicon's patterns expand to many phrases that share their words,
/// and stemming them again and again was most of lint's time.
pub(crate) struct StemMemo<'s> {
    stemmer: &'s Stemmer,
    seen: FxHashMap<String, String>,
}

impl<'s> StemMemo<'s> {
    pub(crate) fn new(stemmer: &'s Stemmer) -> StemMemo<'s> {
        StemMemo {
            stemmer,
            seen: FxHashMap::default(),
        }
    }

    fn stem(&mut self, word: String) -> String {
        if let Some(s) = self.seen.get(&word) {
            return s.clone();
        }
        let stem = self.stemmer.stem(&word).into_owned();
        self.seen.insert(word, stem.clone());
        stem
    }
}

/// The shape of pattern `src`, or `None` when it does not compile.
pub(crate) fn shape(src: &str, stems: &mut StemMemo<'_>) -> Option<Shape> {
    let mut phrases = |slots: &[pattern::Slot]| -> Option<BTreeSet<Vec<Term>>> {
        let expanded = pattern::expand(src, slots).ok()?;
        Some(
            expanded
                .into_iter()
                .map(|p| {
                    p.into_iter()
                        .map(|w| match w {
                            Word::Exact(w) => Term::Stem(stems.stem(w)),
                            Word::Prefix(p) => Term::Prefix(p),
                            Word::Form(f) => Term::Form(f),
                        })
                        .collect()
                })
                .collect(),
        )
    };
    match pattern::parse(src).ok()? {
        Pattern::Regex(re) => Some(Shape::Regex(re)),
        Pattern::Seq { left, right: None } => Some(Shape::Phrases(phrases(&left)?)),
        Pattern::Seq {
            left,
            right: Some((n, right)),
        } => Some(Shape::Near(phrases(&left)?, n, phrases(&right)?)),
    }
}

fn spell(p: &[Term]) -> String {
    p.iter()
        .map(|t| match t {
            Term::Stem(s) => s.clone(),
            Term::Prefix(p) => format!("{p}*"),
            Term::Form(f) => format!("={f}"),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

struct PatternInfo<'a> {
    trope: usize,
    src: &'a str,
    line: usize,
    file: &'a Path,
    shape: Option<&'a Shape>,
}

fn check_tropes<'a>(cx: &mut Cx<'_>, lexicon: &'a Lexicon, shapes: &'a [Vec<Option<Shape>>]) {
    let mut all: Vec<PatternInfo<'_>> = Vec::new();
    for (t, trope) in lexicon.tropes.iter().enumerate() {
        let file = trope.file.as_path();
        // Placeholders left by `lexicon new`.
        let text = cx
            .texts
            .get(trope.file.to_string_lossy().as_ref())
            .copied()
            .unwrap_or("");
        let mut places: Vec<(usize, &str)> = Vec::new();
        for (key, value) in [("name", &trope.name), ("description", &trope.description)] {
            if value.contains(PLACEHOLDER) {
                places.push((key_line(text, key), key));
            }
        }
        for p in &trope.patterns {
            if p.value.contains(PLACEHOLDER) {
                places.push((p.line, "pattern"));
            }
        }
        for e in &trope.examples {
            if e.text.contains(PLACEHOLDER) {
                places.push((text_line(text, e.line), "example"));
            }
        }
        if let Some(i) = text
            .lines()
            .position(|l| l.trim_start().starts_with('#') && l.contains(PLACEHOLDER))
        {
            places.push((i + 1, "comment"));
        }
        for (line, what) in places {
            cx.add(
                file,
                line,
                PLACEHOLDER,
                Severity::Error,
                "placeholder",
                format!(
                    "{}: the {what} still has the {PLACEHOLDER} placeholder",
                    trope.id
                ),
                Some("replace it with real text (see lexicons/README.md, \"Adding a trope\")"),
            );
        }

        // Duplicates within a list, and a pattern that is also an exclusion.
        for (list, items) in [
            ("patterns", &trope.patterns),
            ("exclusions", &trope.exclusions),
        ] {
            let mut seen: BTreeMap<String, usize> = BTreeMap::new();
            for p in items {
                let n = normalize_pattern(&p.value);
                if let Some(first) = seen.get(&n) {
                    cx.add(
                        file,
                        p.line,
                        &p.value,
                        Severity::Error,
                        "duplicate-pattern",
                        format!(
                            "{}: {:?} is already in {list} at line {first}",
                            trope.id, p.value
                        ),
                        Some("remove one (`tropescope lexicon fmt` does)"),
                    );
                } else {
                    seen.insert(n, p.line);
                }
            }
        }
        for x in &trope.exclusions {
            let n = normalize_pattern(&x.value);
            if let Some(p) = trope
                .patterns
                .iter()
                .find(|p| normalize_pattern(&p.value) == n)
            {
                cx.add(
                    file,
                    x.line,
                    &x.value,
                    Severity::Error,
                    "duplicate-pattern",
                    format!(
                        "{}: {:?} is both a pattern (line {}) and an exclusion, so it vetoes itself",
                        trope.id, x.value, p.line
                    ),
                    Some("keep it in one list"),
                );
            }
        }

        // Same stems and redundancy within the trope.
        let infos: Vec<PatternInfo<'_>> = trope
            .patterns
            .iter()
            .zip(&shapes[t])
            .map(|(p, shape)| PatternInfo {
                trope: t,
                src: &p.value,
                line: p.line,
                file,
                shape: shape.as_ref(),
            })
            .collect();
        let normal: Vec<String> = infos.iter().map(|i| normalize_pattern(i.src)).collect();
        for (i, a) in infos.iter().enumerate() {
            let Some(sa) = &a.shape else { continue };
            for (j, b) in infos.iter().enumerate() {
                if i == j || normal[i] == normal[j] {
                    continue;
                }
                let Some(sb) = &b.shape else { continue };
                if sa == sb {
                    if j < i {
                        cx.add(
                            file,
                            a.line,
                            a.src,
                            Severity::Warning,
                            "same-stems",
                            format!(
                                "{}: {:?} stems to the same words as {:?} (line {})",
                                trope.id, a.src, b.src, b.line
                            ),
                            Some("stemming already makes one pattern match both; remove one"),
                        );
                    }
                } else if let (Shape::Phrases(pa), Shape::Phrases(pb)) = (sa, sb) {
                    if pa.is_subset(pb) {
                        cx.add(
                            file,
                            a.line,
                            a.src,
                            Severity::Warning,
                            "redundant",
                            format!(
                                "{}: every phrase of {:?} is already matched by {:?} (line {})",
                                trope.id, a.src, b.src, b.line
                            ),
                            Some("remove it, or make it say something the other does not"),
                        );
                    }
                }
            }
        }
        all.extend(infos);
    }

    // Patterns shadowed by, or overlapping, another trope's.
    let mut by_phrase: FxHashMap<&Vec<Term>, Vec<usize>> = FxHashMap::default();
    for (k, info) in all.iter().enumerate() {
        if let Some(Shape::Phrases(ps)) = &info.shape {
            for p in ps {
                by_phrase.entry(p).or_default().push(k);
            }
        }
    }
    for info in &all {
        let trope = &lexicon.tropes[info.trope];
        match &info.shape {
            Some(Shape::Phrases(ps)) => {
                let mut shared: BTreeMap<usize, Vec<&Vec<Term>>> = BTreeMap::new();
                for p in ps {
                    for &k in by_phrase.get(p).map_or(&[][..], Vec::as_slice) {
                        if all[k].trope != info.trope {
                            shared.entry(k).or_default().push(p);
                        }
                    }
                }
                for (k, phrases) in shared {
                    let other = &all[k];
                    let ot = &lexicon.tropes[other.trope];
                    let whole = phrases.len() == ps.len();
                    let example = phrases.first().map(|p| spell(p)).unwrap_or_default();
                    let (severity, code, message) = if whole {
                        (
                            Severity::Warning,
                            "shadowed",
                            format!(
                                "{}: every phrase of {:?} is also matched by {:?} of {} ({}:{}), so both tropes fire on the same words",
                                trope.id, info.src, other.src, ot.id, cx.base.join(other.file).display(), other.line
                            ),
                        )
                    } else {
                        (
                            Severity::Info,
                            "overlap",
                            format!(
                                "{}: {:?} shares {} phrase(s), e.g. \"{example}\", with {:?} of {}",
                                trope.id,
                                info.src,
                                phrases.len(),
                                other.src,
                                ot.id
                            ),
                        )
                    };
                    cx.add(
                        info.file,
                        info.line,
                        info.src,
                        severity,
                        code,
                        message,
                        Some("keep the phrase in the trope it belongs to, or add an exclusion"),
                    );
                }
            }
            Some(s @ (Shape::Near(..) | Shape::Regex(_))) => {
                for other in &all {
                    if other.trope != info.trope && other.shape.as_ref() == Some(s) {
                        let ot = &lexicon.tropes[other.trope];
                        cx.add(
                            info.file,
                            info.line,
                            info.src,
                            Severity::Warning,
                            "shadowed",
                            format!(
                                "{}: {:?} matches exactly what {:?} of {} ({}:{}) matches",
                                trope.id,
                                info.src,
                                other.src,
                                ot.id,
                                cx.base.join(other.file).display(),
                                other.line
                            ),
                            Some("keep the pattern in the trope it belongs to"),
                        );
                    }
                }
            }
            None => {}
        }
    }

    // Missing kinds of examples.
    for trope in &lexicon.tropes {
        let missing: Vec<&str> = [
            Expect::Present,
            Expect::Absent,
            Expect::Generic,
            Expect::None,
        ]
        .into_iter()
        .filter(|k| !trope.examples.iter().any(|e| e.expect == *k))
        .map(Expect::as_str)
        .collect();
        if !missing.is_empty() {
            let text = cx
                .texts
                .get(trope.file.to_string_lossy().as_ref())
                .copied()
                .unwrap_or("");
            let line = key_line(text, "id");
            cx.add(
                &trope.file,
                line,
                "id",
                Severity::Warning,
                "missing-example",
                format!(
                    "{}: no example that expects {}",
                    trope.id,
                    missing.join(", ")
                ),
                Some("add one with `tropescope lexicon add-example ID TEXT --expect KIND`"),
            );
        }
    }
}

fn check_cues(
    cx: &mut Cx<'_>,
    lexicon: &Lexicon,
    shapes: &[Vec<Option<Shape>>],
    stems: &mut StemMemo<'_>,
) {
    // Duplicate cue phrases.
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for (i, cue) in lexicon.cues.iter().enumerate() {
        let n = normalize_pattern(&cue.pattern);
        if let Some(&first) = seen.get(&n) {
            let f = &lexicon.cues[first];
            let what = if f.category == cue.category {
                format!("cue {:?} is listed twice", cue.pattern)
            } else {
                format!(
                    "cue {:?} is {} here and {} in {}:{}",
                    cue.pattern,
                    cue.category.as_str(),
                    f.category.as_str(),
                    cx.base.join(&f.file).display(),
                    f.line
                )
            };
            cx.add(
                &cue.file,
                cue.line,
                &cue.pattern,
                Severity::Warning,
                "duplicate-cue",
                format!(
                    "{what} (first at {}:{})",
                    cx.base.join(&f.file).display(),
                    f.line
                ),
                Some("keep one"),
            );
        } else {
            seen.insert(n, i);
        }
    }

    // A cue that overlaps a mention is no cue (src/context.rs, rule 1), so a trope
    // phrase that holds a status cue with words on the side the cue governs decides that
    // status itself ("no memory twist" is a `present` mention), and a trope phrase inside
    // a longer cue silences the cue wherever the trope matches. Both are warnings; a cue
    // inside a phrase with nothing on its governing side ("out of nowhere") is only noted.
    // Pseudo-cues and terminators set no status, so they are left out.
    let mut cue_phrases: FxHashMap<&Term, Vec<(Vec<Term>, usize)>> = FxHashMap::default();
    let cue_shapes: Vec<Option<Shape>> = lexicon
        .cues
        .iter()
        .map(|c| c.category.status().and_then(|_| shape(&c.pattern, stems)))
        .collect();
    for (i, s) in cue_shapes.iter().enumerate() {
        if let Some(Shape::Phrases(ps)) = s {
            for p in ps {
                if let Some(first) = p.first() {
                    cue_phrases.entry(first).or_default().push((p.clone(), i));
                }
            }
        }
    }
    // Every run of consecutive terms that stands inside a longer cue phrase -> the cues
    // (indices, ascending) that hold it: one lookup per trope phrase below, where trying
    // every cue phrase for every trope phrase took most of lint's time.
    let mut inside_cue: FxHashMap<&[Term], BTreeSet<usize>> = FxHashMap::default();
    for (i, s) in cue_shapes.iter().enumerate() {
        if let Some(Shape::Phrases(ps)) = s {
            for p in ps {
                for len in 1..p.len() {
                    for run in p.windows(len) {
                        inside_cue.entry(run).or_default().insert(i);
                    }
                }
            }
        }
    }
    #[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
    enum How {
        /// The trope phrase sits inside the cue: the cue is silenced.
        Silences,
        /// The cue governs words of the phrase: the pattern decides the status.
        Absorbs,
        /// The cue sits at the edge it does not govern.
        Holds,
    }
    for (trope, shapes) in lexicon.tropes.iter().zip(shapes) {
        for (p, shape) in trope.patterns.iter().zip(shapes) {
            let (phrases, whole) = match shape {
                Some(Shape::Phrases(ps)) => (ps.iter().collect::<Vec<_>>(), true),
                Some(Shape::Near(l, _, r)) => (l.iter().chain(r).collect(), false),
                _ => continue,
            };
            // cue index -> (the phrase it was found with, how they overlap)
            let mut hits: BTreeMap<usize, (String, How)> = BTreeMap::new();
            for phrase in &phrases {
                for (k, term) in phrase.iter().enumerate() {
                    for (cp, ci) in cue_phrases.get(term).map_or(&[][..], Vec::as_slice) {
                        if !phrase[k..].starts_with(cp) {
                            continue;
                        }
                        let after = k + cp.len() < phrase.len();
                        let before = k > 0;
                        let governs = match lexicon.cues[*ci].direction {
                            Direction::Before => after,
                            Direction::After => before,
                            Direction::Both => before || after,
                        };
                        let how = if governs { How::Absorbs } else { How::Holds };
                        let e = hits.entry(*ci).or_insert_with(|| (spell(phrase), how));
                        if how < e.1 {
                            *e = (spell(phrase), how);
                        }
                    }
                }
            }
            if whole {
                // Each cue is named with the first phrase that stands inside it.
                let mut silenced = BTreeSet::new();
                for phrase in &phrases {
                    for &ci in inside_cue.get(phrase.as_slice()).into_iter().flatten() {
                        if silenced.insert(ci) {
                            hits.insert(ci, (spell(phrase), How::Silences));
                        }
                    }
                }
            }
            let Some(worst) = hits.values().map(|h| h.1).min() else {
                continue;
            };
            let mut named: Vec<String> = hits
                .iter()
                .filter(|(_, h)| h.1 == worst)
                .take(3)
                .map(|(&ci, (phrase, _))| {
                    let cue = &lexicon.cues[ci];
                    format!(
                        "{} cue {:?} ({}:{}) on \"{phrase}\"",
                        cue.category.as_str(),
                        cue.pattern,
                        cx.base.join(&cue.file).display(),
                        cue.line,
                    )
                })
                .collect();
            let more = hits.values().filter(|h| h.1 == worst).count();
            if more > 3 {
                named.push(format!("and {} more", more - 3));
            }
            let (severity, why, hint) = match worst {
                How::Silences => (
                    Severity::Warning,
                    "the pattern sits inside the cue, and a cue that overlaps a mention is no cue, so wherever this trope matches the cue is silenced",
                    "narrow the pattern so it does not stand inside the cue",
                ),
                How::Absorbs => (
                    Severity::Warning,
                    "the cue is part of the mention, so it never sets the mention's status: the pattern decides it",
                    "write the pattern without the cue's words and let the cue decide the status",
                ),
                How::Holds => (
                    Severity::Info,
                    "the cue's words inside the mention are not a cue there",
                    "fine when the words are part of the trope's name",
                ),
            };
            cx.add(
                &trope.file,
                p.line,
                &p.value,
                severity,
                "cue-overlap",
                format!(
                    "{}: {:?} overlaps {}; {why}",
                    trope.id,
                    p.value,
                    named.join(", ")
                ),
                Some(hint),
            );
        }
    }
}

fn check_examples(cx: &mut Cx<'_>, lexicon: &Lexicon) {
    // A learned model that does not compile is reported, and the examples are still
    // checked, with the stage off. A model for tropes the lexicon lacks (stale, or whose
    // file does not load) already has its finding (`stale-model`, or that file's error).
    let malformed = |message: String| Finding {
        file: cx.base.to_path_buf(),
        line: 1,
        col: 1,
        severity: Severity::Error,
        code: "malformed",
        message,
        hint: None,
    };
    let compiled = CompiledLexicon::new(lexicon.clone()).or_else(|e| {
        if !e.is_about_learned_model() {
            return Err(e);
        }
        let message = e.to_string();
        let mut patterns = lexicon.clone();
        patterns.model.learned = false;
        let c = CompiledLexicon::new(patterns).map_err(|_| e)?;
        // A model file that did not parse is left out of the loaded set and has its own
        // finding; the compile then reports no model at all, which is not the fault.
        let unparsed =
            lexicon.learned.is_none() && cx.texts.contains_key(crate::learned::MODEL_PATH);
        if !message.contains("unknown trope") && !unparsed {
            cx.findings.push(malformed(message));
        }
        Ok(c)
    });
    let analyzer = match compiled {
        Ok(c) => Analyzer::new(c),
        Err(e) => {
            cx.findings.push(malformed(e.to_string()));
            return;
        }
    };
    let lex = analyzer.lexicon();
    let mut ws = analyzer.workspace();
    for (t, trope) in lexicon.tropes.iter().enumerate() {
        for ex in &trope.examples {
            if ex.expect == Expect::None {
                continue;
            }
            let a = analyzer.analyze_with(
                &mut ws,
                crate::input::Article {
                    id: String::new(),
                    title: None,
                    text: ex.text.clone(),
                },
            );
            let own: Vec<_> = a
                .mentions
                .iter()
                .filter(|m| m.mention.trope as usize == t)
                .collect();
            let mut reported = BTreeSet::new();
            // The learned stage's mentions have no pattern to blame: the cross-example check
            // is about the curated patterns.
            let others = a
                .mentions
                .iter()
                .filter(|m| m.mention.trope as usize != t && m.mention.learned.is_none());
            for m in others {
                let other = lex.trope(m.mention.trope);
                let pattern = &other.patterns[m.mention.pattern as usize];
                if !reported.insert((m.mention.trope, m.mention.pattern)) {
                    continue;
                }
                let same_words = own.iter().any(|o| {
                    o.mention.first <= m.mention.last && m.mention.first <= o.mention.last
                });
                let (severity, code, what) = if same_words {
                    (Severity::Warning, "cross-example", "on the same words")
                } else {
                    (Severity::Info, "other-trope", "elsewhere")
                };
                cx.add(
                    &other.file,
                    pattern.line,
                    &pattern.value,
                    severity,
                    code,
                    format!(
                        "{}: {:?} matches {:?} {what} in an example of {} ({}:{}): {:?}",
                        other.id,
                        pattern.value,
                        a.matched(m),
                        trope.id,
                        cx.base.join(&trope.file).display(),
                        ex.line,
                        ex.text
                    ),
                    Some(if same_words {
                        "two tropes claim these words: narrow one pattern or add an exclusion"
                    } else {
                        "fine if the example really mentions both tropes"
                    }),
                );
            }
        }
    }
}

/// A finding for a file that does not load, from the load error's message.
fn load_finding(base: &Path, file: &SourceFile, msg: &str) -> Finding {
    let full = base.join(&file.path);
    let prefix = format!("lexicon {}", full.display());
    let mut line = None;
    let mut body = msg;
    if let Some(rest) = msg.strip_prefix(&prefix) {
        let rest = match rest.strip_prefix(':') {
            Some(r) => {
                let digits = r.chars().take_while(char::is_ascii_digit).count();
                line = r[..digits].parse().ok();
                &r[digits..]
            }
            None => rest,
        };
        body = rest.strip_prefix(": ").unwrap_or(rest);
    }
    let (message, hint) = match body.rfind(" (hint: ") {
        Some(i) if body.ends_with(')') => (
            body[..i].to_string(),
            Some(body[i + 8..body.len() - 1].to_string()),
        ),
        _ => (body.to_string(), None),
    };
    let code = if message.contains("unknown field") {
        "unknown-field"
    } else if message.contains("duplicate trope id") {
        "duplicate-id"
    } else if hint
        .as_deref()
        .is_some_and(|h| h.contains("pattern language"))
    {
        "bad-pattern"
    } else {
        "malformed"
    };
    // A syntax error's column comes from the parser; others from the word it names. The
    // learned model is no TOML: its own parser's line stands.
    let syntax = (file.path != crate::learned::MODEL_PATH)
        .then(|| file.text.parse::<toml_edit::DocumentMut>().err())
        .flatten()
        .and_then(|e| e.span())
        .map(|s| (line_at(&file.text, s.start), col_at(&file.text, s.start)));
    let (line, col) = match (syntax, line) {
        (Some((l, c)), _) => (l, c),
        (None, Some(l)) => {
            let needle = between(&message, '`', '`')
                .or_else(|| between(&message, '"', '"'))
                .unwrap_or("");
            (l, col_of(&file.text, l, needle))
        }
        (None, None) => (1, 1),
    };
    Finding {
        file: full,
        line,
        col,
        severity: Severity::Error,
        code,
        message,
        hint,
    }
}

fn between(s: &str, open: char, close: char) -> Option<&str> {
    let a = s.find(open)? + open.len_utf8();
    let b = s[a..].find(close)? + a;
    Some(&s[a..b])
}

/// 1-based line of the first `key = ...` line.
fn key_line(text: &str, key: &str) -> usize {
    text.lines()
        .position(|l| {
            l.trim_start()
                .strip_prefix(key)
                .is_some_and(|r| r.trim_start().starts_with('='))
        })
        .map_or(1, |i| i + 1)
}

/// The line of an example's `text` key, given the line its table starts on.
fn text_line(text: &str, start: usize) -> usize {
    text.lines()
        .enumerate()
        .skip(start.saturating_sub(1))
        .take(8)
        .find(|(_, l)| {
            l.trim_start()
                .strip_prefix("text")
                .is_some_and(|r| r.trim_start().starts_with('='))
        })
        .map_or(start, |(i, _)| i + 1)
}

/// 1-based column (in characters) of byte offset `at`.
fn col_at(text: &str, at: usize) -> usize {
    let at = at.min(text.len());
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    text.get(start..at).map_or(1, |s| s.chars().count() + 1)
}

/// 1-based column of `needle` on line `line`, else of the line's first non-blank.
fn col_of(text: &str, line: usize, needle: &str) -> usize {
    let Some(l) = text.lines().nth(line.saturating_sub(1)) else {
        return 1;
    };
    let at = (!needle.is_empty())
        .then(|| l.find(needle))
        .flatten()
        .or_else(|| l.find(|c: char| !c.is_whitespace()))
        .unwrap_or(0);
    l[..at].chars().count() + 1
}

fn first_col(text: &str, line: usize) -> usize {
    col_of(text, line, "")
}
