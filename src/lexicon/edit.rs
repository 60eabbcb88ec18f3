//! Curators' edits of lexicon files: scaffold a trope, add or remove a pattern, add an
//! example, set a field, and rewrite a file into its canonical form ([`format_file`]).
//!
//! Every edit is a pure function from a file's text to its new text. Edits go through
//! `toml_edit`, which keeps what the curator wrote around the change (comments, order,
//! spacing) byte for byte, so adding a pattern and removing it again gives back the very
//! same file. Each edit checks its result by loading it ([`check_file`]) before handing it
//! back; the caller then writes it with [`write_atomic`] (a temporary file in the same
//! folder, renamed over the original), so a file is never left half-written. A caller
//! that reads, edits and writes holds [`lock_folder`] from the read to the write, so two
//! edits at once run one after the other instead of the later write undoing the earlier.
//!
//! The canonical form of a trope file, which [`format_file`] writes and a test checks:
//! a leading comment block, then the keys `id`, `name`, `family`, `weight`, `description`,
//! `needs_romance`, `patterns`, `exclusions`, then the `[[examples]]` ordered by `expect` (`present`,
//! `absent`, `generic`, `none`) and, within one kind, as written. Patterns and exclusions
//! are deduplicated and sorted, one a line, indented two spaces, each with a trailing
//! comma. Comments above a key, a pattern or an example, and at the end of their line,
//! travel with them. Cue files keep their order (a cue's position breaks ties between
//! cues, see `src/context.rs`); only their `phrases` array is laid out the same way and
//! deduplicated. `model.toml` is left as written.

use std::io::Write;
use std::path::Path;

use toml_edit::{Array, DocumentMut, Item, Table, Value};

use super::compile::{check_owner, check_pattern};
use super::lint::{shape, StemMemo};
use super::load::{line_at, toml_message, valid_id, SourceFile};
use super::{Expect, Family, Lexicon};
use crate::error::{Error, Result};
use crate::token::Stemmer;

/// Which list of a trope a pattern edit works on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PatternList {
    /// `patterns`: what finds the trope.
    Patterns,
    /// `exclusions`: what vetoes an overlapping mention.
    Exclusions,
}

impl PatternList {
    /// The key in the file.
    pub fn key(self) -> &'static str {
        match self {
            PatternList::Patterns => "patterns",
            PatternList::Exclusions => "exclusions",
        }
    }
}

/// A field [`set_field`] may change.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    /// `name`.
    Name,
    /// `weight`.
    Weight,
    /// `description`.
    Description,
}

impl Field {
    /// Parse a field name (`name`, `weight`, `description`).
    pub fn parse(s: &str) -> Option<Field> {
        match s {
            "name" => Some(Field::Name),
            "weight" => Some(Field::Weight),
            "description" => Some(Field::Description),
            _ => None,
        }
    }

    /// The key in the file.
    pub fn key(self) -> &'static str {
        match self {
            Field::Name => "name",
            Field::Weight => "weight",
            Field::Description => "description",
        }
    }
}

/// The placeholder [`scaffold`] leaves for a curator to replace; `lint` reports it.
pub const PLACEHOLDER: &str = "TODO";

/// The relative path of trope `id`'s file.
pub fn trope_path(id: &str) -> String {
    format!("tropes/{id}.toml")
}

/// A new trope file for `id`, with placeholders a curator fills in: the name as a first
/// pattern, and one example of each kind to rewrite.
pub fn scaffold(id: &str, family: Family, name: &str) -> Result<String> {
    if !valid_id(id) {
        return Err(Error::input(format!(
            "invalid trope id {id:?}: ids are lower-case words joined by hyphens, like wrist-grab"
        )));
    }
    let name = name.trim();
    if name.is_empty() {
        return Err(Error::input(
            "the name may not be empty; pass --name \"Wrist grab\"",
        ));
    }
    let mut first = String::new();
    crate::token::normalize_word(name, &mut first);
    let pattern = if check_pattern(&first).is_ok() {
        first
    } else {
        id.replace('-', " ")
    };
    let s = |v: &str| string_repr(v);
    let mut out = String::new();
    out.push_str(&format!(
        "# {name}: {PLACEHOLDER} say what this trope covers, and what belongs to its neighbours.\n"
    ));
    out.push_str(&format!("id = {}\n", s(id)));
    out.push_str(&format!("name = {}\n", s(name)));
    out.push_str(&format!("family = {}\n", s(family.as_str())));
    out.push_str("weight = 1.0\n");
    out.push_str(&format!(
        "description = {}\n",
        s(&format!("{PLACEHOLDER}: one sentence for people."))
    ));
    out.push_str(&format!("patterns = [\n  {},\n]\n", s(&pattern)));
    out.push_str("exclusions = []\n");
    for (expect, what) in [
        ("present", "a sentence saying the work uses it"),
        ("absent", "a sentence saying the work avoids or lacks it"),
        ("generic", "a sentence about the genre or other works"),
        ("none", "a sentence with a pattern's words in another sense"),
    ] {
        out.push_str(&format!(
            "\n[[examples]]\ntext = {}\nexpect = {}\n",
            s(&format!("{PLACEHOLDER}: {what}.")),
            s(expect)
        ));
    }
    Ok(out)
}

/// Add `pattern` to trope file `file`'s `list`: refused when it does not compile, when
/// the list already has it or a pattern that stems to the same words, or when the other
/// list has it (a pattern that is also an exclusion vetoes itself, and `lint` reports it
/// as `duplicate-pattern`). Goes in sorted position when the list is sorted, else at its
/// end.
pub fn add_pattern(
    base: &Path,
    file: &SourceFile,
    list: PatternList,
    pattern: &str,
) -> Result<String> {
    let full = base.join(&file.path);
    let lexicon = check_file(base, file)?;
    let trope = single_trope(&lexicon, &full)?;
    let pattern = normalize_pattern(pattern);
    check_owner(matches!(list, PatternList::Patterns), &pattern)
        .and_then(|()| check_pattern(&pattern))
        .map_err(|e| {
            Error::lexicon(
                &full,
                None,
                format!("refused: {e}"),
                Some("see lexicons/README.md for the pattern language".into()),
            )
        })?;
    let existing = match list {
        PatternList::Patterns => &trope.patterns,
        PatternList::Exclusions => &trope.exclusions,
    };
    let (other, other_list) = match list {
        PatternList::Patterns => (&trope.exclusions, PatternList::Exclusions),
        PatternList::Exclusions => (&trope.patterns, PatternList::Patterns),
    };
    if let Some(p) = other
        .iter()
        .find(|p| normalize_pattern(&p.value) == pattern)
    {
        return Err(Error::lexicon(
            &full,
            Some(p.line),
            format!(
                "refused: {:?} is already in {}, and may not be in both lists",
                pattern,
                other_list.key()
            ),
            Some(format!(
                "a pattern that is also an exclusion vetoes itself; remove it from {} first",
                other_list.key()
            )),
        ));
    }
    let stemmer = Stemmer::new();
    let mut stems = StemMemo::new(&stemmer);
    let new_shape = shape(&pattern, &mut stems);
    for p in existing {
        if normalize_pattern(&p.value) == pattern {
            return Err(Error::lexicon(
                &full,
                Some(p.line),
                format!("refused: {:?} is already in {}", pattern, list.key()),
                None,
            ));
        }
        if new_shape.is_some() && shape(&p.value, &mut stems) == new_shape {
            return Err(Error::lexicon(
                &full,
                Some(p.line),
                format!(
                    "refused: {:?} stems to the same words as {:?}, already in {}",
                    pattern,
                    p.value,
                    list.key()
                ),
                Some("stemming already makes one pattern match both forms".into()),
            ));
        }
    }
    let mut doc = parse_doc(&full, &file.text)?;
    let root = doc.as_table_mut();
    if !root.contains_key(list.key()) {
        if list == PatternList::Patterns {
            return Err(Error::lexicon(&full, None, "no patterns key", None));
        }
        insert_after(
            root,
            "exclusions",
            Item::Value(Value::Array(Array::new())),
            "patterns",
        );
    }
    let arr = root
        .get_mut(list.key())
        .and_then(Item::as_array_mut)
        .ok_or_else(|| {
            Error::lexicon(
                &full,
                None,
                format!("{} is not an array of strings", list.key()),
                None,
            )
        })?;
    array_insert(arr, &pattern);
    checked(base, file, doc.to_string())
}

/// Remove `pattern` (compared with whitespace normalised) from trope file `file`'s `list`.
pub fn remove_pattern(
    base: &Path,
    file: &SourceFile,
    list: PatternList,
    pattern: &str,
) -> Result<String> {
    let full = base.join(&file.path);
    check_file(base, file)?;
    let pattern = normalize_pattern(pattern);
    let mut doc = parse_doc(&full, &file.text)?;
    let arr = doc
        .as_table_mut()
        .get_mut(list.key())
        .and_then(Item::as_array_mut);
    let index = arr.as_ref().and_then(|arr| {
        arr.iter()
            .position(|v| v.as_str().is_some_and(|s| normalize_pattern(s) == pattern))
    });
    let (Some(arr), Some(index)) = (arr, index) else {
        return Err(Error::lexicon(
            &full,
            None,
            format!("refused: {:?} is not in {}", pattern, list.key()),
            Some("`tropescope lexicon show ID` lists the patterns exactly as written".into()),
        ));
    };
    if list == PatternList::Patterns && arr.len() == 1 {
        return Err(Error::lexicon(
            &full,
            None,
            format!("refused: {pattern:?} is the trope's only pattern"),
            Some("add the replacement pattern first, then remove this one".into()),
        ));
    }
    array_remove(arr, index);
    checked(base, file, doc.to_string())
}

/// Add an example to trope file `file`: after the last example of its kind (or of an
/// earlier kind), so a canonical file stays canonical.
pub fn add_example(base: &Path, file: &SourceFile, text: &str, expect: Expect) -> Result<String> {
    let full = base.join(&file.path);
    let lexicon = check_file(base, file)?;
    let trope = single_trope(&lexicon, &full)?;
    let text = text.trim();
    if text.is_empty() {
        return Err(Error::input("refused: the example text is empty"));
    }
    if let Some(e) = trope.examples.iter().find(|e| e.text.trim() == text) {
        return Err(Error::lexicon(
            &full,
            Some(e.line),
            format!(
                "refused: this example is already there (expect {})",
                e.expect.as_str()
            ),
            Some("`tropescope lexicon set` cannot change an example; edit the file".into()),
        ));
    }
    let block = format!(
        "[[examples]]\ntext = {}\nexpect = {}\n",
        string_repr(text),
        string_repr(expect.as_str())
    );
    let doc = toml_edit::Document::parse(&*file.text)
        .map_err(|e| toml_edit_error(&full, &file.text, &e))?;
    // Where the first example of a later kind starts (its comments included).
    let mut at = None;
    if let Some(aot) = doc
        .as_table()
        .get("examples")
        .and_then(Item::as_array_of_tables)
    {
        for t in aot.iter() {
            let kind = t
                .get("expect")
                .and_then(Item::as_str)
                .and_then(expect_parse);
            if kind.is_some_and(|k| expect_rank(k) > expect_rank(expect)) {
                let header = t.span().map(|s| s.start);
                let comment = t
                    .decor()
                    .prefix()
                    .and_then(|p| p.span())
                    .and_then(|s| file.text[s.clone()].find('#').map(|i| s.start + i))
                    .map(|i| file.text[..i].rfind('\n').map_or(0, |n| n + 1));
                at = comment.or(header);
                break;
            }
        }
    }
    let mut out = String::with_capacity(file.text.len() + block.len() + 2);
    match at {
        Some(at) => {
            out.push_str(&file.text[..at]);
            out.push_str(&block);
            out.push('\n');
            out.push_str(&file.text[at..]);
        }
        None => {
            out.push_str(&file.text);
            if !out.ends_with('\n') {
                out.push('\n');
            }
            if !out.ends_with("\n\n") {
                out.push('\n');
            }
            out.push_str(&block);
        }
    }
    let new = SourceFile {
        path: file.path.clone(),
        text: out.into(),
    };
    let after = check_file(base, &new)?;
    let added = single_trope(&after, &full)?
        .examples
        .iter()
        .any(|e| e.text == text && e.expect == expect);
    if !added {
        return Err(Error::lexicon(
            &full,
            None,
            "the example could not be placed in the file",
            Some("add it by hand under the other [[examples]]".into()),
        ));
    }
    Ok(new.text.into_owned())
}

/// Set `field` of trope file `file` to `value`, keeping the comments around it.
pub fn set_field(base: &Path, file: &SourceFile, field: Field, value: &str) -> Result<String> {
    let full = base.join(&file.path);
    check_file(base, file)?;
    let new = match field {
        Field::Weight => {
            let w: f64 = value.trim().parse().map_err(|_| {
                Error::input(format!(
                    "refused: weight {value:?} is not a number; use e.g. 1.0 or 1.5"
                ))
            })?;
            Value::from(w)
        }
        Field::Name | Field::Description => {
            let v = value.trim();
            if v.is_empty() {
                return Err(Error::input(format!(
                    "refused: the {} may not be empty",
                    field.key()
                )));
            }
            Value::from(v)
        }
    };
    let mut doc = parse_doc(&full, &file.text)?;
    let item = doc
        .as_table_mut()
        .get_mut(field.key())
        .ok_or_else(|| Error::lexicon(&full, None, format!("no {} key", field.key()), None))?;
    let decor = item
        .as_value()
        .map(|v| v.decor().clone())
        .unwrap_or_default();
    let mut new = new;
    *new.decor_mut() = decor;
    *item = Item::Value(new);
    checked(base, file, doc.to_string())
}

/// `file` rewritten into its canonical form (see the module doc). Refuses a file that
/// does not load: fix what `lint` reports first.
pub fn format_file(base: &Path, file: &SourceFile) -> Result<String> {
    let full = base.join(&file.path);
    check_file(base, file)?;
    let out = if file.path.starts_with("tropes/") {
        format_trope(&full, &file.text)?
    } else if file.path.starts_with("cues/") {
        let mut doc = parse_doc(&full, &file.text)?;
        if let Some(arr) = doc
            .as_table_mut()
            .get_mut("phrases")
            .and_then(Item::as_array_mut)
        {
            normalize_array(arr, false);
        }
        doc.to_string()
    } else {
        file.text.to_string()
    };
    checked(base, file, out)
}

/// Load one lexicon file on its own and return the lexicon it makes: a trope file alone,
/// a cue file or `model.toml` beside a stand-in trope. Every error names the file.
///
/// The learned model (`learned.tsv`) names the tropes it weighs, which a stand-in cannot
/// answer for: alone it is only parsed. Its trope ids are checked when the stage is turned
/// on and the folder compiles (with the stage off a stale model is not an error, so that a
/// curator can rename a trope before retraining).
pub fn check_file(base: &Path, file: &SourceFile) -> Result<Lexicon> {
    let mut files = Vec::new();
    if file.path == crate::learned::MODEL_PATH {
        crate::learned::LearnedModel::parse(&base.join(&file.path), &file.text)?;
    } else {
        files.push(file.clone());
    }
    if !file.path.starts_with("tropes/") {
        files.push(SourceFile {
            path: trope_path(PROBE_ID),
            text: PROBE.into(),
        });
    }
    Lexicon::from_files("check", base, files)
}

const PROBE_ID: &str = "tropescope-probe";
const PROBE: &str = "id = \"tropescope-probe\"\nname = \"probe\"\nfamily = \"cliche\"\n\
weight = 1.0\ndescription = \"probe\"\npatterns = [\"tropescope probe\"]\n";

/// The lock file of a lexicon folder, created by the first edit. A dot-file without the
/// `.toml` extension, so a lexicon folder never loads it.
pub const LOCK_FILE: &str = ".tropescope.lock";

/// An exclusive lock on a lexicon folder, released when dropped (see [`lock_folder`]).
#[derive(Debug)]
pub struct FolderLock {
    _file: std::fs::File,
}

/// Take the exclusive advisory lock on lexicon folder `dir` (on its [`LOCK_FILE`]),
/// waiting while another edit holds it.
///
/// Every edit reads a file, changes it in memory and writes it back whole: without the
/// lock, two edits of one file at once both read the old text and the later rename throws
/// the earlier edit away. Hold the lock from the read to the rename. The lock is advisory:
/// it orders tropescope's own edits, not a text editor's.
pub fn lock_folder(dir: &Path) -> Result<FolderLock> {
    let path = dir.join(LOCK_FILE);
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|e| Error::io(Some(&path), e))?;
    file.lock().map_err(|e| Error::io(Some(&path), e))?;
    Ok(FolderLock { _file: file })
}

/// [`lock_folder`] for a command that writes, nothing for one that does not (a dry run or
/// a check writes nothing, so it needs no lock and works on a read-only folder).
pub fn lock_folder_to_write(dir: &Path, writes: bool) -> Result<Option<FolderLock>> {
    writes.then(|| lock_folder(dir)).transpose()
}

/// Write `bytes` to `path` atomically: into a temporary file in the same folder, flushed
/// to disk, then renamed over `path`. A crash or an error at any point leaves either the
/// old file or the new one, never a mix; the temporary file's name does not end in
/// `.toml`, so a lexicon folder never loads one.
///
/// A rename needs only the folder to be writable, so it would replace a write-protected
/// file, and replace a symlink with a regular file: a write-protected `path` is refused,
/// and a symlink is written through (its target is replaced, the link stays).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    write_atomic_with(path, bytes, |_| Ok(()))
}

/// [`write_atomic`], calling `before_rename` with the temporary file's path once it is
/// complete and before it replaces `path` (tests use it to fail or stop there).
pub fn write_atomic_with(
    path: &Path,
    bytes: &[u8],
    before_rename: impl FnOnce(&Path) -> std::io::Result<()>,
) -> Result<()> {
    let resolved;
    let path = if std::fs::symlink_metadata(path).is_ok_and(|m| m.is_symlink()) {
        resolved = std::fs::canonicalize(path).map_err(|e| Error::io(Some(path), e))?;
        resolved.as_path()
    } else {
        path
    };
    check_writable(path)?;
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let io = |e: std::io::Error| Error::io(Some(path), e);
    let mut tmp = tempfile::Builder::new()
        .prefix(&format!(".{name}."))
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(io)?;
    if let Ok(meta) = std::fs::metadata(path) {
        // Keep the original's permissions; failing to is not worth refusing the edit.
        let _ = tmp.as_file().set_permissions(meta.permissions());
    }
    tmp.write_all(bytes).map_err(io)?;
    tmp.as_file().sync_all().map_err(io)?;
    before_rename(tmp.path()).map_err(io)?;
    tmp.persist(path).map_err(|e| io(e.error))?;
    Ok(())
}

/// Refuse to replace an existing `path` that may not be written: its mode has no write bit
/// (checked on the bits, for root may open any file), or opening it to write is denied.
fn check_writable(path: &Path) -> Result<()> {
    let Ok(meta) = std::fs::metadata(path) else {
        return Ok(()); // a new file
    };
    let denied = meta.permissions().readonly()
        || std::fs::OpenOptions::new()
            .write(true)
            .open(path)
            .is_err_and(|e| e.kind() == std::io::ErrorKind::PermissionDenied);
    if denied {
        return Err(Error::io(
            Some(path),
            std::io::Error::new(
                std::io::ErrorKind::PermissionDenied,
                "the file is write-protected; make it writable (chmod u+w) to edit it",
            ),
        ));
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------
// Helpers.

/// `out`, once it loads as `file`'s new text.
fn checked(base: &Path, file: &SourceFile, out: String) -> Result<String> {
    let new = SourceFile {
        path: file.path.clone(),
        text: out.into(),
    };
    check_file(base, &new)?;
    Ok(new.text.into_owned())
}

fn parse_doc(full: &Path, text: &str) -> Result<DocumentMut> {
    text.parse::<DocumentMut>()
        .map_err(|e| toml_edit_error(full, text, &e))
}

fn toml_edit_error(full: &Path, text: &str, e: &toml_edit::TomlError) -> Error {
    Error::lexicon(
        full,
        e.span().map(|s| line_at(text, s.start)),
        toml_message(text, e.message(), e.span()),
        Some("see lexicons/README.md for the file format".into()),
    )
}

fn single_trope<'a>(lexicon: &'a Lexicon, full: &Path) -> Result<&'a super::Trope> {
    lexicon
        .tropes
        .first()
        .ok_or_else(|| Error::lexicon(full, None, "not a trope file", None))
}

/// A pattern with runs of whitespace made one space (`re:` patterns are left alone).
pub fn normalize_pattern(p: &str) -> String {
    if p.trim_start().starts_with("re:") {
        return p.to_string();
    }
    p.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn expect_parse(s: &str) -> Option<Expect> {
    match s {
        "present" => Some(Expect::Present),
        "absent" => Some(Expect::Absent),
        "generic" => Some(Expect::Generic),
        "none" => Some(Expect::None),
        _ => None,
    }
}

fn expect_rank(e: Expect) -> u8 {
    match e {
        Expect::Present => 0,
        Expect::Absent => 1,
        Expect::Generic => 2,
        Expect::None => 3,
    }
}

/// How `toml_edit` writes a string by default (a basic string, or a literal one when that
/// avoids escapes).
fn string_repr(s: &str) -> String {
    bare(&Value::from(s))
}

/// A value as written, without the whitespace and comments around it.
fn bare(v: &Value) -> String {
    let mut v = v.clone();
    *v.decor_mut() = toml_edit::Decor::new("", "");
    v.to_string()
}

fn raw(r: Option<&toml_edit::RawString>) -> &str {
    r.and_then(|r| r.as_str()).unwrap_or("")
}

/// Insert `item` under `key` right after the key `after` (at the end when it is missing).
fn insert_after(table: &mut Table, key: &str, item: Item, after: &str) {
    let keys: Vec<String> = table.iter().map(|(k, _)| k.to_string()).collect();
    let Some(at) = keys.iter().position(|k| k == after) else {
        table.insert(key, item);
        return;
    };
    let tail: Vec<(toml_edit::Key, Item)> = keys[at + 1..]
        .iter()
        .filter_map(|k| table.remove_entry(k))
        .collect();
    table.insert(key, item);
    for (k, v) in tail {
        table.insert_formatted(&k, v);
    }
}

/// Split an item's prefix into the end of the previous line (spaces and a comment that
/// belongs to the previous item) and the rest (from the first newline on).
fn split_prefix(prefix: &str) -> (&str, &str) {
    match prefix.find('\n') {
        Some(i) => (&prefix[..i], &prefix[i..]),
        None => (prefix, ""),
    }
}

fn is_multiline(arr: &Array) -> bool {
    arr.iter().any(|v| raw(v.decor().prefix()).contains('\n'))
        || raw(Some(arr.trailing())).contains('\n')
}

fn indent_of(arr: &Array) -> String {
    arr.iter()
        .map(|v| raw(v.decor().prefix()))
        .find(|p| p.contains('\n'))
        .and_then(|p| p.rsplit('\n').next())
        .filter(|s| s.chars().all(|c| c == ' ' || c == '\t'))
        .unwrap_or("  ")
        .to_string()
}

/// Insert string `s` into `arr`, in sorted position when `arr` is sorted, else at the end,
/// laid out like its neighbours. [`array_remove`] undoes it byte for byte.
fn array_insert(arr: &mut Array, s: &str) {
    let values: Vec<&str> = arr.iter().filter_map(Value::as_str).collect();
    let sorted = values.windows(2).all(|w| w[0] <= w[1]);
    let index = if sorted {
        values.partition_point(|v| *v < s)
    } else {
        arr.len()
    };
    let mut v = Value::from(s);
    if arr.is_empty() {
        *v.decor_mut() = toml_edit::Decor::new("\n  ", "");
        arr.insert_formatted(0, v);
        arr.set_trailing_comma(true);
        arr.set_trailing("\n");
        return;
    }
    if is_multiline(arr) {
        let indent = indent_of(arr);
        // The end of the previous line stays with the previous item.
        let next_prefix = if index < arr.len() {
            raw(arr.get(index).and_then(|v| v.decor().prefix())).to_string()
        } else {
            raw(Some(arr.trailing())).to_string()
        };
        let (tail, rest) = split_prefix(&next_prefix);
        *v.decor_mut() = toml_edit::Decor::new(format!("{tail}\n{indent}"), "");
        let rest = rest.to_string();
        if index < arr.len() {
            if let Some(next) = arr.get_mut(index) {
                next.decor_mut().set_prefix(rest);
            }
        } else {
            arr.set_trailing(rest);
            if !arr.trailing_comma() {
                arr.set_trailing_comma(true);
            }
        }
        arr.insert_formatted(index, v);
    } else {
        if index == 0 {
            let first = raw(arr.get(0).and_then(|v| v.decor().prefix())).to_string();
            *v.decor_mut() = toml_edit::Decor::new(first, "");
            if let Some(old) = arr.get_mut(0) {
                old.decor_mut().set_prefix(" ");
            }
        } else {
            *v.decor_mut() = toml_edit::Decor::new(" ", "");
        }
        arr.insert_formatted(index, v);
    }
}

/// Remove item `index` of `arr`, giving the end of the previous line (a trailing comment)
/// to whatever follows it. The removed item's own trailing comment, which `toml_edit`
/// keeps at the start of the next item's prefix, goes with it.
fn array_remove(arr: &mut Array, index: usize) {
    let removed = arr.remove(index);
    let prefix = raw(removed.decor().prefix()).to_string();
    if arr.is_empty() {
        arr.set_trailing_comma(false);
        arr.set_trailing("");
        return;
    }
    if prefix.contains('\n') || is_multiline(arr) {
        let (tail, _) = split_prefix(&prefix);
        // What follows the removed item: the end of its line (when a new line follows)
        // is its own, and goes; the rest stays.
        let joined = |next: &str| match split_prefix(next) {
            (_, rest) if !rest.is_empty() => format!("{tail}{rest}"),
            _ => format!("{tail}{next}"),
        };
        if index < arr.len() {
            if let Some(next) = arr.get_mut(index) {
                let p = joined(raw(next.decor().prefix()));
                next.decor_mut().set_prefix(p);
            }
        } else {
            let t = joined(raw(Some(arr.trailing())));
            arr.set_trailing(t);
        }
    } else if index == 0 {
        if let Some(next) = arr.get_mut(0) {
            next.decor_mut().set_prefix(prefix);
        }
    }
}

/// An array item with the comments that go with it.
#[derive(Clone, Debug)]
struct Entry {
    value: String,
    repr: String,
    /// Comment lines above it, without indentation.
    above: Vec<String>,
    /// A comment at the end of its line.
    trailing: Option<String>,
}

fn comment_lines(s: &str) -> Vec<String> {
    s.lines()
        .map(str::trim)
        .filter(|l| l.starts_with('#'))
        .map(str::to_string)
        .collect()
}

fn trailing_comment(s: &str) -> Option<String> {
    let t = s.trim();
    t.starts_with('#').then(|| t.to_string())
}

/// The entries of a string array and the comment lines after its last item.
fn entries(arr: &Array, normalize: bool) -> (Vec<Entry>, Vec<String>) {
    let mut out: Vec<Entry> = Vec::new();
    for v in arr.iter() {
        let prefix = raw(v.decor().prefix());
        let (tail, rest) = split_prefix(prefix);
        if let (Some(prev), Some(c)) = (out.last_mut(), trailing_comment(tail)) {
            prev.trailing = Some(c);
        }
        let above = if prefix.contains('\n') {
            comment_lines(rest)
        } else {
            comment_lines(prefix)
        };
        if let Some(c) = trailing_comment(raw(v.decor().suffix())) {
            if let Some(prev) = out.last_mut() {
                prev.trailing.get_or_insert(c);
            }
        }
        let (value, repr) = match v.as_str() {
            Some(s) => {
                let n = if normalize {
                    normalize_pattern(s)
                } else {
                    s.to_string()
                };
                let repr = if n == s { bare(v) } else { string_repr(&n) };
                (n, repr)
            }
            None => (String::new(), bare(v)),
        };
        out.push(Entry {
            value,
            repr,
            above,
            trailing: None,
        });
    }
    let trailing = raw(Some(arr.trailing()));
    let (tail, rest) = split_prefix(trailing);
    if let (Some(prev), Some(c)) = (out.last_mut(), trailing_comment(tail)) {
        prev.trailing = Some(c);
    }
    let dangling = if trailing.contains('\n') {
        comment_lines(rest)
    } else {
        comment_lines(trailing)
    };
    (out, dangling)
}

/// Deduplicate (keeping the first and its comments, merging the others') and optionally
/// sort.
fn dedup_entries(items: Vec<Entry>, sort: bool) -> Vec<Entry> {
    let mut out: Vec<Entry> = Vec::new();
    for e in items {
        if let Some(first) = out
            .iter_mut()
            .find(|f| f.value == e.value && !f.value.is_empty())
        {
            first.above.extend(e.above);
            if first.trailing.is_none() {
                first.trailing = e.trailing;
            }
        } else {
            out.push(e);
        }
    }
    if sort {
        out.sort_by(|a, b| a.value.cmp(&b.value));
    }
    out
}

/// Lay a string array out one item a line, two-space indent, trailing commas.
fn render_array(items: &[Entry], dangling: &[String]) -> String {
    if items.is_empty() && dangling.is_empty() {
        return "[]".to_string();
    }
    let mut s = String::from("[\n");
    for e in items {
        for c in &e.above {
            s.push_str(&format!("  {c}\n"));
        }
        s.push_str(&format!("  {},", e.repr));
        if let Some(c) = &e.trailing {
            s.push(' ');
            s.push_str(c);
        }
        s.push('\n');
    }
    for c in dangling {
        s.push_str(&format!("  {c}\n"));
    }
    s.push(']');
    s
}

/// Rewrite `arr` in place into the canonical layout.
fn normalize_array(arr: &mut Array, sort: bool) {
    let (items, dangling) = entries(arr, false);
    let items = dedup_entries(items, sort);
    let text = format!("x = {}\n", render_array(&items, &dangling));
    if let Ok(doc) = text.parse::<DocumentMut>() {
        if let Some(new) = doc.get("x").and_then(Item::as_array) {
            let decor = arr.decor().clone();
            *arr = new.clone();
            *arr.decor_mut() = decor;
        }
    }
}

const TROPE_KEYS: [&str; 8] = [
    "id",
    "name",
    "family",
    "weight",
    "description",
    "needs_romance",
    "patterns",
    "exclusions",
];

fn format_trope(full: &Path, text: &str) -> Result<String> {
    let doc = parse_doc(full, text)?;
    let root = doc.as_table();
    let mut out = String::new();
    // The leading comment block: whatever stands above the first key.
    if let Some((first, _)) = root.iter().next() {
        if let Some(key) = root.key(first) {
            let lead = raw(key.leaf_decor().prefix());
            for line in lead.lines() {
                out.push_str(line.trim_end());
                out.push('\n');
            }
        }
    }
    let first_key = root.iter().next().map(|(k, _)| k.to_string());
    for key in TROPE_KEYS {
        let Some((k, item)) = root.get_key_value(key) else {
            continue;
        };
        if first_key.as_deref() != Some(key) {
            for c in comment_lines(raw(k.leaf_decor().prefix())) {
                out.push_str(&c);
                out.push('\n');
            }
        }
        let Some(value) = item.as_value() else {
            continue;
        };
        out.push_str(key);
        out.push_str(" = ");
        match value.as_array() {
            Some(arr) if key == "patterns" || key == "exclusions" => {
                let (items, dangling) = entries(arr, true);
                out.push_str(&render_array(&dedup_entries(items, true), &dangling));
            }
            _ => out.push_str(&bare(value)),
        }
        if let Some(c) = trailing_comment(raw(value.decor().suffix())) {
            out.push(' ');
            out.push_str(&c);
        }
        out.push('\n');
    }
    // Examples, ordered by kind, then as written.
    let mut examples: Vec<(u8, usize, String)> = Vec::new();
    let mut push_example = |i: usize, above: Vec<String>, t: &dyn TableLike| {
        let kind = t
            .str_of("expect")
            .and_then(expect_parse)
            .map_or(9, expect_rank);
        let mut s = String::from("\n");
        for c in above {
            s.push_str(&c);
            s.push('\n');
        }
        s.push_str("[[examples]]\n");
        for key in ["text", "expect"] {
            if let Some((comments, v)) = t.entry(key) {
                for c in comments {
                    s.push_str(&c);
                    s.push('\n');
                }
                s.push_str(&format!("{key} = {v}\n"));
            }
        }
        examples.push((kind, i, s));
    };
    match root.get("examples") {
        Some(Item::ArrayOfTables(aot)) => {
            for (i, t) in aot.iter().enumerate() {
                push_example(i, comment_lines(raw(t.decor().prefix())), t);
            }
        }
        Some(Item::Value(Value::Array(arr))) => {
            for (i, v) in arr.iter().enumerate() {
                if let Some(t) = v.as_inline_table() {
                    push_example(i, comment_lines(raw(v.decor().prefix())), t);
                }
            }
        }
        _ => {}
    }
    examples.sort_by_key(|(kind, i, _)| (*kind, *i));
    for (_, _, s) in examples {
        out.push_str(&s);
    }
    let trailing = comment_lines(doc.trailing().as_str().unwrap_or(""));
    if !trailing.is_empty() {
        out.push('\n');
        for c in trailing {
            out.push_str(&c);
            out.push('\n');
        }
    }
    Ok(out)
}

/// The two kinds of table an example can be written as.
trait TableLike {
    fn str_of(&self, key: &str) -> Option<&str>;
    /// The comments above `key` and its value as written (with an end-of-line comment).
    fn entry(&self, key: &str) -> Option<(Vec<String>, String)>;
}

impl TableLike for Table {
    fn str_of(&self, key: &str) -> Option<&str> {
        self.get(key).and_then(Item::as_str)
    }
    fn entry(&self, key: &str) -> Option<(Vec<String>, String)> {
        let (k, item) = self.get_key_value(key)?;
        let v = item.as_value()?;
        Some((comment_lines(raw(k.leaf_decor().prefix())), with_comment(v)))
    }
}

impl TableLike for toml_edit::InlineTable {
    fn str_of(&self, key: &str) -> Option<&str> {
        self.get(key).and_then(Value::as_str)
    }
    fn entry(&self, key: &str) -> Option<(Vec<String>, String)> {
        let v = self.get(key)?;
        Some((Vec::new(), bare(v)))
    }
}

fn with_comment(v: &Value) -> String {
    let mut s = bare(v);
    if let Some(c) = trailing_comment(raw(v.decor().suffix())) {
        s.push(' ');
        s.push_str(&c);
    }
    s
}

/// Trope ids in a lexicon folder's `tropes/` (file stems), for "did you mean" messages.
pub fn nearest_id<'a>(ids: impl IntoIterator<Item = &'a str>, id: &str) -> Option<&'a str> {
    ids.into_iter()
        .map(|c| (edit_distance(c, id), c))
        .filter(|(d, c)| *d <= 3.max(c.len() / 4))
        .min()
        .map(|(_, c)| c)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur.push((prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    const TROPE: &str = "# Wrist grab: the grab.\nid = \"wrist-grab\"\nname = \"Wrist grab\"\nfamily = \"cliche\"\nweight = 1.0 # typical\ndescription = \"Grabbing someone by the wrist.\"\npatterns = [\n  \"grab ~3 wrist\",\n  \"wrist grab\", # the noun\n  # the verb\n  \"wrist grabbing\",\n]\nexclusions = []\n\n[[examples]]\ntext = \"He grabs her wrist.\"\nexpect = \"present\"\n\n[[examples]]\ntext = \"Nobody grabs a wrist.\"\nexpect = \"absent\"\n";

    fn file(text: &str) -> SourceFile {
        SourceFile {
            path: "tropes/wrist-grab.toml".into(),
            text: text.to_string().into(),
        }
    }

    fn base() -> &'static Path {
        Path::new("lexicons")
    }

    #[test]
    fn add_then_remove_is_byte_identical() {
        for p in ["aaa", "drag ~2 wrist", "zzz", "wrist lock"] {
            for list in [PatternList::Patterns, PatternList::Exclusions] {
                let added = add_pattern(base(), &file(TROPE), list, p).unwrap();
                assert!(added.contains(&format!("\"{p}\"")), "{added}");
                let back = remove_pattern(base(), &file(&added), list, p).unwrap();
                assert_eq!(back, TROPE, "{p} {list:?}\n{added}");
            }
        }
    }

    #[test]
    fn add_keeps_trailing_comment_with_its_item() {
        let added = add_pattern(
            base(),
            &file(TROPE),
            PatternList::Patterns,
            "wrist grab hold",
        )
        .unwrap();
        assert!(
            added.contains("\"wrist grab\", # the noun\n  \"wrist grab hold\",\n  # the verb\n"),
            "{added}"
        );
    }

    #[test]
    fn remove_takes_its_trailing_comment_along() {
        let out =
            remove_pattern(base(), &file(TROPE), PatternList::Patterns, "wrist grab").unwrap();
        assert!(
            out.contains("[\n  \"grab ~3 wrist\",\n  # the verb\n  \"wrist grabbing\",\n]"),
            "{out}"
        );
        // The last item's comment, kept in the array's trailing text, goes too (with the
        // comment above it, as ever).
        let last = TROPE.replace("\"wrist grabbing\",\n]", "\"wrist grabbing\", # last\n]");
        let out = remove_pattern(
            base(),
            &file(&last),
            PatternList::Patterns,
            "wrist grabbing",
        )
        .unwrap();
        assert!(out.contains("\"wrist grab\", # the noun\n]"), "{out}");
        assert!(!out.contains("# last"), "{out}");
    }

    #[test]
    fn refusals_say_why() {
        let e =
            add_pattern(base(), &file(TROPE), PatternList::Patterns, "wrist  grab").unwrap_err();
        assert!(e.to_string().contains("already in patterns"), "{e}");
        let e =
            add_pattern(base(), &file(TROPE), PatternList::Patterns, "wrist grabs").unwrap_err();
        assert!(e.to_string().contains("stems to the same words"), "{e}");
        let e = add_pattern(base(), &file(TROPE), PatternList::Patterns, "(grab|").unwrap_err();
        assert!(e.to_string().contains("never closed"), "{e}");
        let e =
            add_pattern(base(), &file(TROPE), PatternList::Exclusions, "wrist  grab").unwrap_err();
        assert!(e.to_string().contains("already in patterns"), "{e}");
        let with_exclusion =
            add_pattern(base(), &file(TROPE), PatternList::Exclusions, "wrist lock").unwrap();
        let e = add_pattern(
            base(),
            &file(&with_exclusion),
            PatternList::Patterns,
            "wrist lock",
        )
        .unwrap_err();
        assert!(e.to_string().contains("already in exclusions"), "{e}");
        let e = remove_pattern(base(), &file(TROPE), PatternList::Patterns, "nope").unwrap_err();
        assert!(e.to_string().contains("is not in patterns"), "{e}");
    }

    #[test]
    fn add_example_goes_after_its_kind() {
        let out = add_example(
            base(),
            &file(TROPE),
            "She grabs his wrist.",
            Expect::Present,
        )
        .unwrap();
        let a = out.find("She grabs").unwrap();
        let b = out.find("Nobody").unwrap();
        assert!(a < b, "{out}");
        let out = add_example(
            base(),
            &file(TROPE),
            "Dramas love wrist grabs.",
            Expect::Generic,
        )
        .unwrap();
        assert!(out.ends_with("expect = \"generic\"\n"), "{out}");
        assert_eq!(format_file(base(), &file(&out)).unwrap(), out);
    }

    #[test]
    fn set_keeps_comments() {
        let out = set_field(base(), &file(TROPE), Field::Weight, "1.5").unwrap();
        assert!(out.contains("weight = 1.5 # typical\n"), "{out}");
        assert!(set_field(base(), &file(TROPE), Field::Weight, "99").is_err());
    }

    #[test]
    fn fmt_sorts_and_is_idempotent() {
        let messy = TROPE
            .replace("weight = 1.0 # typical\n", "")
            .replace("description =", "weight = 1.0\ndescription =")
            .replace(
                "[\n  \"grab ~3 wrist\",",
                "[\"wrist  grab\", \"grab ~3 wrist\",",
            );
        let messy = format!(
            "{}\n[[examples]]\ntext = \"Dramas love wrist grabs.\"\nexpect = \"generic\"\n\n[[examples]]\ntext = \"x y.\"\nexpect = \"present\"\n",
            messy
        );
        let once = format_file(base(), &file(&messy)).unwrap();
        let twice = format_file(base(), &file(&once)).unwrap();
        assert_eq!(once, twice);
        assert_eq!(once.matches("\"wrist grab\"").count(), 1, "{once}");
        let present = once.rfind("expect = \"present\"").unwrap();
        let absent = once.find("expect = \"absent\"").unwrap();
        assert!(present < absent, "{once}");
        assert!(once.starts_with("# Wrist grab: the grab.\nid = "), "{once}");
        assert!(
            once.contains("  # the verb\n  \"wrist grabbing\",\n"),
            "{once}"
        );
        assert_eq!(format_file(base(), &file(TROPE)).unwrap(), TROPE);
    }

    #[test]
    fn scaffold_loads() {
        let s = scaffold("back-hug", Family::Cliche, "Back hug").unwrap();
        let lex = check_file(
            base(),
            &SourceFile {
                path: "tropes/back-hug.toml".into(),
                text: s.clone().into(),
            },
        )
        .unwrap();
        assert_eq!(lex.tropes[0].patterns[0].value, "back hug");
        assert_eq!(
            format_file(
                base(),
                &SourceFile {
                    path: "tropes/back-hug.toml".into(),
                    text: s.clone().into()
                }
            )
            .unwrap(),
            s
        );
        assert!(scaffold("Back Hug", Family::Cliche, "x").is_err());
    }

    #[test]
    fn atomic_write_failure_leaves_original() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.toml");
        std::fs::write(&path, "old").unwrap();
        let err = write_atomic_with(&path, b"new", |_| {
            Err(std::io::Error::other("simulated crash"))
        })
        .unwrap_err();
        assert!(err.to_string().contains("simulated crash"));
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "old");
        let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(left.len(), 1, "the temporary file is removed");
        write_atomic(&path, b"new").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new");
    }

    #[test]
    fn atomic_write_refuses_a_write_protected_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.toml");
        std::fs::write(&path, "old").unwrap();
        let mut perms = std::fs::metadata(&path).unwrap().permissions();
        perms.set_readonly(true);
        std::fs::set_permissions(&path, perms).unwrap();
        let err = write_atomic(&path, b"new").unwrap_err();
        assert!(err.to_string().contains("write-protected"), "{err}");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "old");
    }

    #[cfg(unix)]
    #[test]
    fn atomic_write_goes_through_a_symlink() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("real")).unwrap();
        let target = dir.path().join("real/a.toml");
        let link = dir.path().join("a.toml");
        std::fs::write(&target, "old").unwrap();
        std::os::unix::fs::symlink("real/a.toml", &link).unwrap();
        write_atomic(&link, b"new").unwrap();
        assert!(std::fs::symlink_metadata(&link).unwrap().is_symlink());
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "new");
        let left = std::fs::read_dir(dir.path()).unwrap().count();
        assert_eq!(left, 2, "no temporary file left beside the link");
    }

    #[test]
    fn folder_lock_is_exclusive_until_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let held = lock_folder(dir.path()).unwrap();
        let other = std::fs::File::open(dir.path().join(LOCK_FILE)).unwrap();
        assert!(other.try_lock().is_err(), "a second lock waits");
        drop(held);
        other.try_lock().unwrap();
    }
}
