//! Lexicon files → [`Lexicon`]. The only code that knows the file format.
//!
//! A lexicon is a folder: `tropes/*.toml` (one trope a file), `cues/*.toml` (context cues,
//! one category a file) and `model.toml` (scoring and context constants). The same folder
//! is compiled into the binary (see `build.rs`), so the embedded default and a copy on disk
//! load through one path and get one fingerprint. Any error refuses the whole set: a
//! lexicon never half-loads.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use sha2::{Digest, Sha256};
use toml::Spanned;

use super::{Cue, CueCategory, Direction, Example, Expect, Family, Lexicon, Located, Model, Trope};
use crate::error::{Error, Result};

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded_lexicon.rs"));
}

/// The environment variable that names a lexicon folder to use instead of the embedded one.
pub const LEXICON_ENV: &str = "TROPESCOPE_LEXICON";

/// One lexicon file in memory: its path relative to the lexicon folder and its text.
#[derive(Clone, Debug)]
pub struct SourceFile {
    /// Path relative to the lexicon folder, with `/` separators (`tropes/amnesia.toml`).
    pub path: String,
    /// The file's text: borrowed from the binary for the embedded files (the 10 MB model
    /// among them is not copied at every start), owned for a folder's.
    pub text: Cow<'static, str>,
}

/// The files compiled into the binary.
pub fn embedded_files() -> Vec<SourceFile> {
    embedded::FILES
        .iter()
        .map(|&(path, text)| SourceFile {
            path: path.to_string(),
            text: Cow::Borrowed(text),
        })
        .collect()
}

/// The files compiled into the binary but the tropes and the learned model: the cues,
/// settings and topic words, for tests that bring their own tropes (and model). The shipped
/// model weighs the shipped tropes; left in, it would also cost each such test a 10 MB parse.
#[cfg(test)]
pub(crate) fn embedded_engine_files() -> Vec<SourceFile> {
    embedded_files()
        .into_iter()
        .filter(|f| !f.path.starts_with("tropes/") && f.path != crate::learned::MODEL_PATH)
        .collect()
}

/// Read every `.toml` file under `dir`, and the learned model `learned.tsv` at its top
/// (sorted by path). Hidden files and folders (a name starting with `.`) are skipped: they
/// are editors' lock and backup files (Emacs's `.#amnesia.toml` is a symlink to nowhere),
/// an edit's temporary file or the folder's lock, never lexicon files.
pub fn read_dir_files(dir: &Path) -> Result<Vec<SourceFile>> {
    let (files, unreadable) = read_dir_files_partial(dir)?;
    match unreadable.into_iter().next() {
        Some((_, e)) => Err(e),
        None => Ok(files),
    }
}

/// A lexicon file that could not be read as text: its text decoded lossily (empty when it
/// could not be read at all), and why.
pub type Unreadable = (SourceFile, Error);

/// [`read_dir_files`], with the files that cannot be read as text set apart instead of
/// refusing the folder (for `lint`, which reports each and checks the others).
pub fn read_dir_files_partial(dir: &Path) -> Result<(Vec<SourceFile>, Vec<Unreadable>)> {
    type Out = (Vec<SourceFile>, Vec<Unreadable>);
    fn walk(base: &Path, dir: &Path, out: &mut Out) -> Result<()> {
        let entries = std::fs::read_dir(dir).map_err(|e| Error::io(Some(dir), e))?;
        for entry in entries {
            let entry = entry.map_err(|e| Error::io(Some(dir), e))?;
            if entry.file_name().as_encoded_bytes().starts_with(b".") {
                continue;
            }
            let path = entry.path();
            if path.is_dir() {
                walk(base, &path, out)?;
            } else if path.extension().is_some_and(|e| e == "toml")
                || path == base.join(crate::learned::MODEL_PATH)
            {
                let rel = path.strip_prefix(base).unwrap_or(&path);
                let rel = rel.to_string_lossy().replace('\\', "/");
                match read_text(&path) {
                    Ok(text) => out.0.push(SourceFile {
                        path: rel,
                        text: text.into(),
                    }),
                    Err((text, e)) => out.1.push((
                        SourceFile {
                            path: rel,
                            text: text.into(),
                        },
                        e,
                    )),
                }
            }
        }
        Ok(())
    }
    check_lexicon_dir(dir)?;
    let mut out = (Vec::new(), Vec::new());
    walk(dir, dir, &mut out)?;
    out.0.sort_by(|a, b| a.path.cmp(&b.path));
    out.1.sort_by(|a, b| a.0.path.cmp(&b.0.path));
    Ok(out)
}

/// A lexicon file's text; else its text decoded lossily and an error that names the line
/// of the first byte that is not UTF-8 (`read_to_string` says only that there is one).
fn read_text(path: &Path) -> std::result::Result<String, (String, Error)> {
    let bytes = std::fs::read(path).map_err(|e| (String::new(), Error::io(Some(path), e)))?;
    String::from_utf8(bytes).map_err(|e| {
        let bytes = e.as_bytes();
        let at = e.utf8_error().valid_up_to();
        let line = memchr::memchr_iter(b'\n', &bytes[..at]).count() + 1;
        let error = Error::lexicon(
            path,
            Some(line),
            format!("byte 0x{:02x} is not UTF-8", bytes[at]),
            Some("lexicon files are UTF-8; convert this one (iconv -f latin1 -t utf-8)".into()),
        );
        (String::from_utf8_lossy(bytes).into_owned(), error)
    })
}

/// Refuse `dir` unless it is a lexicon folder: one holding `tropes/`, `cues/` and
/// `model.toml`. Each file is optional to the loader, but a folder without `cues/` has no
/// negation cue (every mention would be `present`), and one without `model.toml` runs
/// with every context rule off: a folder missing either is a mistake, not a lexicon.
pub fn check_lexicon_dir(dir: &Path) -> Result<()> {
    let hint = || Some("a lexicon folder holds tropes/, cues/ and model.toml".into());
    if !dir.is_dir() {
        return Err(Error::lexicon(dir, None, "not a folder", hint()));
    }
    let missing: Vec<&str> = [
        ("tropes/", dir.join("tropes").is_dir()),
        ("cues/", dir.join("cues").is_dir()),
        ("model.toml", dir.join("model.toml").is_file()),
    ]
    .into_iter()
    .filter(|(_, there)| !there)
    .map(|(name, _)| name)
    .collect();
    if !missing.is_empty() {
        return Err(Error::lexicon(
            dir,
            None,
            format!("not a lexicon folder: it has no {}", missing.join(", no ")),
            Some(
                "a lexicon folder holds tropes/, cues/ and model.toml; copy what is missing \
                 from the project's lexicons/"
                    .into(),
            ),
        ));
    }
    Ok(())
}

impl Lexicon {
    /// The lexicon compiled into the binary.
    ///
    /// Its patterns are not checked one by one as a folder's are: the files are this
    /// repository's `lexicons/`, built into the binary, and a test checks every one of their
    /// patterns (`embedded_patterns_all_check`). Checking them again at every start was a
    /// fifth of `score`'s start-up (the `re:` regexes were compiled twice).
    pub fn embedded() -> Result<Lexicon> {
        Lexicon::parse_files("embedded", Path::new("lexicons"), embedded_files())
    }

    /// Load the lexicon folder `dir`, every pattern checked.
    pub fn load_dir(dir: &Path) -> Result<Lexicon> {
        let files = read_dir_files(dir)?;
        Lexicon::from_files(&dir.display().to_string(), dir, files)
    }

    /// Read the lexicon folder `dir` for compiling: its files are parsed, but its patterns
    /// are left to [`super::CompiledLexicon::new`], which checks each one as it compiles it
    /// (checking them here too compiled every `re:` regex twice). A lexicon read this way
    /// and not compiled may hold a bad pattern: use [`Lexicon::load_dir`] for that.
    pub fn read_dir(dir: &Path) -> Result<Lexicon> {
        let files = read_dir_files(dir)?;
        Lexicon::parse_files(&dir.display().to_string(), dir, files)
    }

    /// `dir` if given, else the folder named by `TROPESCOPE_LEXICON`, else the embedded set,
    /// every pattern checked.
    pub fn load(dir: Option<&Path>) -> Result<Lexicon> {
        match Lexicon::chosen(dir) {
            Some(dir) => Lexicon::load_dir(&dir),
            None => Lexicon::embedded(),
        }
    }

    /// [`Lexicon::load`] for compiling: a folder is read with [`Lexicon::read_dir`].
    pub fn read(dir: Option<&Path>) -> Result<Lexicon> {
        match Lexicon::chosen(dir) {
            Some(dir) => Lexicon::read_dir(&dir),
            None => Lexicon::embedded(),
        }
    }

    /// The folder `dir`, else the one `TROPESCOPE_LEXICON` names; `None` for the embedded set.
    fn chosen(dir: Option<&Path>) -> Option<std::path::PathBuf> {
        match dir {
            Some(dir) => Some(dir.to_path_buf()),
            None => std::env::var_os(LEXICON_ENV)
                .filter(|d| !d.is_empty())
                .map(std::path::PathBuf::from),
        }
    }

    /// Build a lexicon from files in memory, every pattern checked. `base` prefixes paths in
    /// error messages.
    pub fn from_files(origin: &str, base: &Path, files: Vec<SourceFile>) -> Result<Lexicon> {
        let lexicon = Lexicon::parse_files(origin, base, files)?;
        // Compiling validates every pattern; a lexicon that loads also compiles.
        super::CompiledLexicon::validate(&lexicon, base)?;
        if let Some(m) = &lexicon.learned {
            m.parse()?;
        }
        Ok(lexicon)
    }

    /// [`Lexicon::from_files`] without the check of every pattern.
    fn parse_files(origin: &str, base: &Path, mut files: Vec<SourceFile>) -> Result<Lexicon> {
        files.sort_by(|a, b| a.path.cmp(&b.path));
        // Before the loop, which consumes `files` (the model's text moves out of them).
        let fingerprint = fingerprint(&files);
        let mut tropes: Vec<Trope> = Vec::new();
        let mut cues = Vec::new();
        let mut model = None;
        let mut learned = None;
        let mut seen: BTreeMap<String, PathBuf> = BTreeMap::new();
        // By value: the model's text moves into the lexicon rather than being copied.
        for file in files {
            let full = base.join(&file.path);
            if file.path.starts_with("tropes/") {
                let trope = parse_trope(&full, &file.path, &file.text)?;
                if let Some(first) = seen.insert(trope.id.clone(), full.clone()) {
                    return Err(Error::lexicon(
                        &full,
                        line_of_key(&file.text, "id"),
                        format!(
                            "duplicate trope id {:?}, already defined in {}",
                            trope.id,
                            first.display()
                        ),
                        Some("every trope needs its own id".into()),
                    ));
                }
                tropes.push(trope);
            } else if file.path.starts_with("cues/") {
                cues.extend(parse_cues(&full, &file.path, &file.text)?);
            } else if file.path == crate::learned::MODEL_PATH {
                learned = Some(crate::learned::ModelSource {
                    path: full,
                    text: file.text,
                });
            } else if file.path == "model.toml" {
                let m: Model =
                    toml::from_str(&file.text).map_err(|e| toml_error(&full, &file.text, &e))?;
                check_model(&full, &file.text, &m)?;
                model = Some(m);
            } else {
                return Err(Error::lexicon(
                    &full,
                    None,
                    "unexpected file in the lexicon folder",
                    Some(
                        "trope files go in tropes/, cue files in cues/, constants in model.toml"
                            .into(),
                    ),
                ));
            }
        }
        if tropes.is_empty() {
            return Err(Error::lexicon(
                base,
                None,
                "no trope files found",
                Some("a lexicon folder holds tropes/<id>.toml files".into()),
            ));
        }
        tropes.sort_by(|a, b| a.id.cmp(&b.id));
        let lexicon = Lexicon {
            tropes,
            cues,
            model: model.unwrap_or_default(),
            learned,
            fingerprint,
            origin: origin.to_string(),
            base: base.to_path_buf(),
        };
        Ok(lexicon)
    }
}

/// SHA-256 over each file's path, a NUL, its text with every CRLF read as LF, and a NUL, in
/// the order given (callers sort by path); the first 8 bytes as 16 hex digits.
pub fn fingerprint(files: &[SourceFile]) -> String {
    let mut h = Sha256::new();
    for f in files {
        h.update(f.path.as_bytes());
        h.update([0]);
        // As if every CRLF were LF (a checkout on Windows has the same fingerprint), fed
        // piece by piece rather than through a copy of the text.
        let text = f.text.as_bytes();
        let mut from = 0;
        for crlf in memchr::memmem::find_iter(text, b"\r\n") {
            h.update(&text[from..crlf]);
            h.update(b"\n");
            from = crlf + 2;
        }
        h.update(&text[from..]);
        h.update([0]);
    }
    let digest = h.finalize();
    digest[..8].iter().map(|b| format!("{b:02x}")).collect()
}

/// 1-based line of byte offset `at` in `text`.
pub fn line_at(text: &str, at: usize) -> usize {
    text.as_bytes()[..at.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// [`line_at`] for positions asked for in increasing order (a file's patterns, examples or
/// cues): each call counts only the newlines since the last, where counting from the start
/// every time was quadratic in a file's length, and most of the lexicon's load time.
struct Lines<'t> {
    text: &'t [u8],
    at: usize,
    line: usize,
}

impl<'t> Lines<'t> {
    fn new(text: &'t str) -> Lines<'t> {
        Lines {
            text: text.as_bytes(),
            at: 0,
            line: 1,
        }
    }

    /// The 1-based line of byte `at`.
    fn line_at(&mut self, at: usize) -> usize {
        let at = at.min(self.text.len());
        if at < self.at {
            (self.at, self.line) = (0, 1);
        }
        self.line += memchr::memchr_iter(b'\n', &self.text[self.at..at]).count();
        self.at = at;
        self.line
    }
}

fn line_of_key(text: &str, key: &str) -> Option<usize> {
    text.lines()
        .position(|l| l.trim_start().starts_with(key) && l.contains('='))
        .map(|i| i + 1)
}

fn toml_error(path: &Path, text: &str, e: &toml::de::Error) -> Error {
    let line = e.span().map(|s| line_at(text, s.start));
    let hint = if e.message().contains("unknown field") {
        "remove or rename the field; see lexicons/README.md for the fields a file may have"
    } else if e.message().contains("missing field") {
        "add the field; see lexicons/README.md for the fields a file must have"
    } else {
        "see lexicons/README.md for the file format"
    };
    Error::lexicon(
        path,
        line,
        toml_message(text, e.message(), e.span()),
        Some(hint.into()),
    )
}

/// A TOML parser's message, naming the key when it is a duplicate: `toml` and `toml_edit`
/// say only "duplicate key", and point at the second one.
pub(crate) fn toml_message(text: &str, message: &str, span: Option<Range<usize>>) -> String {
    let message = message.trim();
    let key = span
        .and_then(|s| text.get(s))
        .map(str::trim)
        .filter(|k| !k.is_empty() && !k.contains('\n'));
    match key {
        Some(key) if message == "duplicate key" => format!("duplicate key {key}"),
        _ => message.to_string(),
    }
}

/// The range each number of `model.toml` must be in: (key, value, lowest, highest). The
/// credits are shares of a trope's weight, and the lean margin is compared with the
/// maturity index, which runs from −1 to 1 (see `src/score.rs`).
fn model_ranges(m: &Model) -> [(&'static str, f64, f64, f64); 4] {
    [
        ("avoided_cliche_credit", m.avoided_cliche_credit, 0.0, 1.0),
        ("lacking_mature_credit", m.lacking_mature_credit, 0.0, 1.0),
        ("repeat_credit", m.repeat_credit, 0.0, 1.0),
        ("lean_margin", m.lean_margin, 0.0, 1.0),
    ]
}

/// Refuse `model.toml` constants no run can use: TOML reads `nan` and `inf` as numbers,
/// and a NaN margin or a negative credit makes NaN or meaningless scores without an error.
/// An empty word in a word list is refused too: it is a typo, and matches nothing.
fn check_model(full: &Path, text: &str, m: &Model) -> Result<()> {
    // The file parsed as a `Model`, so it parses here; spans only serve the error's line.
    let doc = toml_edit::Document::parse(text).ok();
    let line_of = |key: &str| -> Option<usize> {
        let span = doc.as_ref()?.get(key)?.span()?;
        Some(line_at(text, span.start))
    };
    for (key, value, lo, hi) in model_ranges(m) {
        if !(value.is_finite() && (lo..=hi).contains(&value)) {
            return Err(Error::lexicon(
                full,
                line_of(key).or_else(|| line_of_key(text, key)),
                format!("{key} = {value} is out of range"),
                Some(format!("{key} takes a number from {lo:?} to {hi:?}")),
            ));
        }
    }
    let Some(doc) = &doc else {
        return Ok(());
    };
    for (key, item) in doc.iter() {
        let Some(words) = item.as_array() else {
            continue;
        };
        if let Some(word) = words
            .iter()
            .find(|w| w.as_str().is_some_and(|w| w.trim().is_empty()))
        {
            return Err(Error::lexicon(
                full,
                word.span().map(|s| line_at(text, s.start)),
                format!("{key} holds an empty string"),
                Some("an empty word matches nothing; remove it".into()),
            ));
        }
    }
    Ok(())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TropeFile {
    id: Spanned<String>,
    name: String,
    family: Family,
    weight: Spanned<f64>,
    description: String,
    #[serde(default)]
    needs_romance: bool,
    patterns: Vec<Spanned<String>>,
    #[serde(default)]
    exclusions: Vec<Spanned<String>>,
    #[serde(default)]
    examples: Vec<Spanned<ExampleFile>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ExampleFile {
    text: String,
    expect: Expect,
}

fn located(text: &str, items: Vec<Spanned<String>>) -> Vec<Located<String>> {
    let mut lines = Lines::new(text);
    items
        .into_iter()
        .map(|s| {
            let line = lines.line_at(s.span().start);
            Located {
                value: s.into_inner(),
                line,
            }
        })
        .collect()
}

/// Whether `id` is a valid trope id: lower-case ASCII words joined by single hyphens.
pub fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && !id.starts_with('-')
        && !id.ends_with('-')
        && !id.contains("--")
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

fn parse_trope(full: &Path, rel: &str, text: &str) -> Result<Trope> {
    let f: TropeFile = toml::from_str(text).map_err(|e| toml_error(full, text, &e))?;
    let at = |span: Range<usize>| Some(line_at(text, span.start));
    let id = f.id.get_ref().clone();
    if !valid_id(&id) {
        return Err(Error::lexicon(
            full,
            at(f.id.span()),
            format!("invalid trope id {id:?}"),
            Some("ids are lower-case words joined by hyphens, like wrist-grab".into()),
        ));
    }
    let stem = Path::new(rel)
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("");
    if stem != id {
        return Err(Error::lexicon(
            full,
            at(f.id.span()),
            format!("trope id {id:?} does not match the file name {stem:?}"),
            Some(format!("rename the file to tropes/{id}.toml")),
        ));
    }
    let weight = *f.weight.get_ref();
    if !(weight.is_finite() && weight > 0.0 && weight <= 10.0) {
        return Err(Error::lexicon(
            full,
            at(f.weight.span()),
            format!("weight {weight} is out of range"),
            Some("use a weight above 0 and at most 10 (1.0 is typical)".into()),
        ));
    }
    if f.patterns.is_empty() {
        return Err(Error::lexicon(
            full,
            line_of_key(text, "patterns"),
            "a trope needs at least one pattern",
            Some("add patterns = [\"...\"]".into()),
        ));
    }
    let mut lines = Lines::new(text);
    let examples = f
        .examples
        .into_iter()
        .map(|s| {
            let line = lines.line_at(s.span().start);
            let e = s.into_inner();
            Example {
                text: e.text,
                expect: e.expect,
                line,
            }
        })
        .collect();
    Ok(Trope {
        id,
        name: f.name,
        family: f.family,
        weight,
        description: f.description,
        needs_romance: f.needs_romance,
        patterns: located(text, f.patterns),
        exclusions: located(text, f.exclusions),
        examples,
        file: PathBuf::from(rel),
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CueFile {
    category: CueCategory,
    #[serde(default)]
    direction: Option<Direction>,
    #[serde(default)]
    scope: Option<u32>,
    #[serde(default)]
    phrases: Vec<Spanned<String>>,
    #[serde(default)]
    cue: Vec<Spanned<CueEntry>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CueEntry {
    phrase: String,
    #[serde(default)]
    direction: Option<Direction>,
    #[serde(default)]
    scope: Option<u32>,
    #[serde(default)]
    category: Option<CueCategory>,
}

fn parse_cues(full: &Path, rel: &str, text: &str) -> Result<Vec<Cue>> {
    let f: CueFile = toml::from_str(text).map_err(|e| toml_error(full, text, &e))?;
    let default_dir = f.direction.unwrap_or(Direction::Before);
    let default_scope = f.scope.unwrap_or(6);
    let mut out = Vec::new();
    let mut lines = Lines::new(text);
    for p in f.phrases {
        let line = lines.line_at(p.span().start);
        out.push(Cue {
            pattern: p.into_inner(),
            category: f.category,
            direction: default_dir,
            scope: default_scope,
            file: PathBuf::from(rel),
            line,
        });
    }
    for c in f.cue {
        let line = lines.line_at(c.span().start);
        let c = c.into_inner();
        out.push(Cue {
            pattern: c.phrase,
            category: c.category.unwrap_or(f.category),
            direction: c.direction.unwrap_or(default_dir),
            scope: c.scope.unwrap_or(default_scope),
            file: PathBuf::from(rel),
            line,
        });
    }
    for c in &out {
        if c.scope > 64 {
            return Err(Error::lexicon(
                full,
                Some(c.line),
                format!(
                    "cue {:?} has scope {}, over the limit of 64 words",
                    c.pattern, c.scope
                ),
                Some("scopes end at the sentence anyway; use a smaller number".into()),
            ));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// Counting lines forward from the last position asked for gives what counting from
        /// the start gives, in any order of asking.
        #[test]
        fn lines_counted_forward_agree_with_counting_from_the_start(
            text in "[a\n]{0,60}",
            ats in proptest::collection::vec(0usize..70, 0..12),
        ) {
            let mut lines = Lines::new(&text);
            for at in ats {
                proptest::prop_assert_eq!(lines.line_at(at), line_at(&text, at));
            }
        }

        /// The fingerprint fed piece by piece is the digest of the texts with every CRLF
        /// made LF, as it was when each text was copied with `replace` first: fingerprints
        /// in existing reports stay valid, and a CRLF checkout has the LF one's.
        #[test]
        fn the_fingerprint_is_that_of_the_text_with_crlf_made_lf(
            // Long enough for memchr's vector search, which the 10 MB model goes through.
            texts in proptest::collection::vec("[a\r\n]{0,300}", 1..4),
        ) {
            proptest::prop_assert_eq!(fingerprint(&files(&texts)), replaced(&texts));
        }
    }

    /// Files `f0`, `f1`, ... holding `texts`.
    fn files(texts: &[String]) -> Vec<SourceFile> {
        texts
            .iter()
            .enumerate()
            .map(|(i, t)| SourceFile {
                path: format!("f{i}"),
                text: t.clone().into(),
            })
            .collect()
    }

    /// The fingerprint as it was defined before it fed the hasher in pieces: each text
    /// copied with every CRLF replaced.
    fn replaced(texts: &[String]) -> String {
        let mut h = Sha256::new();
        for (i, t) in texts.iter().enumerate() {
            h.update(format!("f{i}").as_bytes());
            h.update([0]);
            h.update(t.replace("\r\n", "\n").as_bytes());
            h.update([0]);
        }
        h.finalize()[..8]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }

    #[test]
    fn fingerprints_are_pinned_and_a_crlf_checkout_has_the_lf_ones() {
        // A digest written down (Python's hashlib over the same bytes gives it): the
        // test's copy of the old definition cannot drift with `fingerprint` unnoticed.
        let texts = [
            "a\r\r\nb\r\n".to_string(),
            "\r\n".to_string(),
            String::new(),
        ];
        assert_eq!(fingerprint(&files(&texts)), replaced(&texts));
        assert_eq!(fingerprint(&files(&texts)), "5207b444be80a41f");
        // The shipped lexicon, every LF made CRLF (a Windows checkout), fingerprints as the
        // shipped one: through the model's 10 MB, with a CRLF every few dozen bytes.
        let mut crlf = embedded_files();
        for f in &mut crlf {
            f.text = f.text.replace('\n', "\r\n").into();
        }
        assert_eq!(fingerprint(&crlf), fingerprint(&embedded_files()));
    }

    fn one(path: &str, text: &str) -> Result<Lexicon> {
        let mut files: Vec<SourceFile> = embedded_files()
            .into_iter()
            .filter(|f| !f.path.starts_with("tropes/"))
            .collect();
        files.push(SourceFile {
            path: path.into(),
            text: text.to_string().into(),
        });
        Lexicon::from_files("test", Path::new("t"), files)
    }

    const OK: &str = "id = \"amnesia\"\nname = \"A\"\nfamily = \"cliche\"\nweight = 1.0\ndescription = \"d\"\npatterns = [\"amnesi*\"]\n";

    #[test]
    fn embedded_patterns_all_check() {
        // `Lexicon::embedded` skips the check of every pattern at start-up on the strength
        // of this test: the embedded files load as a folder's would, checks and all.
        let checked =
            Lexicon::from_files("embedded", Path::new("lexicons"), embedded_files()).unwrap();
        let trusted = Lexicon::embedded().unwrap();
        assert_eq!(checked.fingerprint, trusted.fingerprint);
        assert_eq!(checked.tropes.len(), trusted.tropes.len());
    }

    #[test]
    fn a_good_file_loads_and_fingerprints_stably() {
        let a = one("tropes/amnesia.toml", OK).unwrap();
        let b = one("tropes/amnesia.toml", OK).unwrap();
        assert_eq!(a.fingerprint, b.fingerprint);
        let c = one("tropes/amnesia.toml", &OK.replace("1.0", "1.1")).unwrap();
        assert_ne!(a.fingerprint, c.fingerprint);
    }

    #[test]
    fn errors_name_file_line_and_hint() {
        for (text, path, line, needle) in [
            (
                OK.replace("weight = 1.0", "weight = 1.0\ncolour = \"red\""),
                "tropes/amnesia.toml",
                5,
                "unknown field",
            ),
            (
                OK.replace("cliche", "soap"),
                "tropes/amnesia.toml",
                3,
                "unknown variant",
            ),
            (
                OK.to_string(),
                "tropes/memory.toml",
                1,
                "does not match the file name",
            ),
            (
                OK.replace("1.0", "-2"),
                "tropes/amnesia.toml",
                4,
                "out of range",
            ),
            (
                OK.replace("amnesi*", "am*"),
                "tropes/amnesia.toml",
                6,
                "at least 3",
            ),
            (
                OK.replace("name = \"A\"", "name = \"A\"\nname = \"B\""),
                "tropes/amnesia.toml",
                3,
                "duplicate key name",
            ),
            (
                OK.replace("\"amnesia\"", "\"Amnesia!\""),
                "tropes/amnesia.toml",
                1,
                "invalid trope id",
            ),
        ] {
            let err = one(path, &text).unwrap_err().to_string();
            assert!(err.contains(&format!("{path}:{line}")), "{err}");
            assert!(err.contains(needle), "{err}");
        }
    }

    /// The embedded lexicon written to a temporary folder.
    fn on_disk() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for f in embedded_files() {
            let path = dir.path().join(&f.path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, f.text.as_bytes()).unwrap();
        }
        dir
    }

    #[test]
    fn hidden_files_are_not_lexicon_files() {
        let dir = on_disk();
        let want = Lexicon::load_dir(dir.path()).unwrap().fingerprint;
        // An Emacs lock file: a symlink to nowhere, named like the file it locks.
        #[cfg(unix)]
        std::os::unix::fs::symlink(
            "root@host.1234:1700000000",
            dir.path().join("tropes/.#amnesia.toml"),
        )
        .unwrap();
        std::fs::write(dir.path().join("cues/.negation.toml"), "not = [toml").unwrap();
        std::fs::create_dir(dir.path().join("tropes/.backup")).unwrap();
        std::fs::write(dir.path().join("tropes/.backup/amnesia.toml"), OK).unwrap();
        assert_eq!(Lexicon::load_dir(dir.path()).unwrap().fingerprint, want);
    }

    #[test]
    fn a_folder_missing_cues_or_model_is_refused_naming_what_is_missing() {
        let dir = on_disk();
        std::fs::remove_dir_all(dir.path().join("cues")).unwrap();
        let err = Lexicon::load_dir(dir.path()).unwrap_err().to_string();
        assert!(err.contains("it has no cues/ (hint"), "{err}");
        std::fs::remove_file(dir.path().join("model.toml")).unwrap();
        let err = Lexicon::read_dir(dir.path()).unwrap_err().to_string();
        assert!(err.contains("it has no cues/, no model.toml"), "{err}");
    }

    #[test]
    fn a_byte_that_is_not_utf8_is_refused_with_its_line() {
        let dir = on_disk();
        let path = dir.path().join("tropes/amnesia.toml");
        let mut bytes = std::fs::read(&path).unwrap();
        let third = bytes.iter().enumerate().filter(|(_, &b)| b == b'\n').nth(2);
        let at = third.unwrap().0 + 1;
        bytes.insert(at + 2, 0xe9);
        std::fs::write(&path, bytes).unwrap();
        let err = Lexicon::load_dir(dir.path()).unwrap_err().to_string();
        assert!(
            err.contains("amnesia.toml:4: byte 0xe9 is not UTF-8"),
            "{err}"
        );
        assert!(err.contains("convert"), "{err}");
        let (files, unreadable) = read_dir_files_partial(dir.path()).unwrap();
        assert_eq!(unreadable.len(), 1);
        assert_eq!(unreadable[0].0.path, "tropes/amnesia.toml");
        assert!(files.iter().all(|f| f.path != "tropes/amnesia.toml"));
    }

    /// The embedded lexicon with `model.toml` replaced by `model`.
    fn with_model(model: &str) -> Result<Lexicon> {
        let mut files = embedded_files();
        for f in &mut files {
            if f.path == "model.toml" {
                f.text = model.to_string().into();
            }
        }
        Lexicon::parse_files("test", Path::new("t"), files)
    }

    #[test]
    fn model_numbers_out_of_range_are_refused_with_file_line_and_range() {
        let model = embedded_files()
            .into_iter()
            .find(|f| f.path == "model.toml")
            .unwrap()
            .text;
        with_model(&model).unwrap();
        for (from, to, key) in [
            ("lean_margin = 0.2", "lean_margin = nan", "lean_margin"),
            (
                "repeat_credit = 0.25",
                "repeat_credit = inf",
                "repeat_credit",
            ),
            (
                "avoided_cliche_credit = 0.6",
                "avoided_cliche_credit = -5",
                "avoided_cliche_credit",
            ),
            (
                "lacking_mature_credit = 0.6",
                "lacking_mature_credit = 1.5",
                "lacking_mature_credit",
            ),
        ] {
            assert!(model.contains(from), "{from}");
            let err = with_model(&model.replace(from, to))
                .unwrap_err()
                .to_string();
            let line = model.lines().position(|l| l == from).unwrap() + 1;
            assert!(err.contains(&format!("model.toml:{line}")), "{err}");
            assert!(err.contains(key) && err.contains("out of range"), "{err}");
            assert!(err.contains("from 0.0 to 1.0"), "{err}");
        }
        let from = "corrective_words = [\"just\", ";
        assert!(model.contains(from));
        let err = with_model(&model.replace(from, "corrective_words = [\"just\", \"\", "))
            .unwrap_err()
            .to_string();
        let line = model.lines().position(|l| l.starts_with(from)).unwrap() + 1;
        assert!(err.contains(&format!("model.toml:{line}")), "{err}");
        assert!(
            err.contains("corrective_words holds an empty string"),
            "{err}"
        );
    }

    proptest::proptest! {
        #[test]
        fn loading_any_text_never_panics(s in "[a-z=\"\\[\\]{}\\n .,*~()|0-9]{0,300}") {
            let _ = one("tropes/amnesia.toml", &s);
            let _ = one("cues/x.toml", &s);
        }
    }
}
