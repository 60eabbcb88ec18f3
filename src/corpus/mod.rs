//! Corpus: many inputs → a stream of [`Record`]s, one per document, in input order.
//!
//! This is where a corpus's *containers* are understood (folders, CSV and JSON Lines files,
//! WordPress exports, standard input, gzip and xz compression); each document inside is then
//! decoded by [`crate::input`], which knows the document *formats* (text, HTML, WordPress).
//! `batch` and the curator's corpus tools read corpora through this one module.
//!
//! Every input document yields exactly one record. A document that cannot be analysed (an
//! unreadable file, bad encoding, a malformed CSV or JSON record, an empty or oversized
//! document) yields a record whose `article` is `Err(message)`, the message naming the file
//! and line, and the stream goes on. Memory stays bounded: files are read one at a time and
//! record files one record at a time.
//!
//! ```
//! use std::path::PathBuf;
//! use tropescope::corpus::{self, CorpusOptions};
//!
//! let dir = tempfile::tempdir()?;
//! let csv = dir.path().join("reviews.csv");
//! std::fs::write(&csv, "id,show,text\nr1,A,No amnesia here.\nr2,B,\n")?;
//! let opts = CorpusOptions { keep_columns: vec!["show".into()], ..CorpusOptions::default() };
//! let records: Vec<_> = corpus::open(&[csv], &opts)?.collect();
//! assert_eq!(records.len(), 2);
//! assert_eq!(records[0].id, "r1");
//! assert_eq!(records[0].kept, ["A"]);
//! assert!(records[0].article.is_ok());
//! assert!(records[1].article.as_ref().unwrap_err().contains("empty document"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod glob;
mod records;
mod source;
mod walk;

use std::collections::VecDeque;
use std::path::PathBuf;

use crate::error::Result;
use crate::input::{self, Article, InputFormat};

use records::{CsvFile, JsonLinesFile};
use source::{Container, Source};
use walk::{Item, Walk};

/// Default limit on one document's size in bytes.
pub const DEFAULT_MAX_BYTES: usize = 8 * 1024 * 1024;

/// How to read a corpus. `CorpusOptions::default()` reads every file in a folder, CSV text
/// from the column `text` and JSON Lines text from the field `text`, ids from `id` when
/// present, formats sniffed.
#[derive(Clone, Debug)]
pub struct CorpusOptions {
    /// Keep only folder files matching this glob (`*.txt`, `2024/**/*.html`, `*.{md,txt}`).
    pub glob: Option<String>,
    /// CSV column holding the text (default `text`).
    pub text_column: Option<String>,
    /// CSV column holding the document id (default `id` when the header has it, else
    /// `file:line`).
    pub id_column: Option<String>,
    /// Columns (CSV) or fields (JSON Lines) passed through to [`Record::kept`], in this order.
    pub keep_columns: Vec<String>,
    /// JSON Lines field holding the text (default `text`; `a.b` reaches into objects). A
    /// record without it that is a WordPress post is read as the post.
    pub text_field: Option<String>,
    /// JSON Lines field holding the id (default `id` when present, else `file:line`).
    pub id_field: Option<String>,
    /// Format of each document's text (default: sniffed per document).
    pub input_format: InputFormat,
    /// Documents longer than this many bytes are refused with an error record.
    pub max_bytes: usize,
}

impl Default for CorpusOptions {
    fn default() -> Self {
        CorpusOptions {
            glob: None,
            text_column: None,
            id_column: None,
            keep_columns: Vec::new(),
            text_field: None,
            id_field: None,
            input_format: InputFormat::Auto,
            max_bytes: DEFAULT_MAX_BYTES,
        }
    }
}

/// One input document.
#[derive(Clone, Debug)]
pub struct Record {
    /// 0-based position in the whole corpus.
    pub index: u64,
    /// The document id (id column or field, post id, else file name or `file:line`).
    pub id: String,
    /// Where it came from: the file, with `:line` for a record of a CSV or JSON Lines file.
    pub source: String,
    /// The decoded article, or why there is none (the message names file and line).
    pub article: std::result::Result<Article, String>,
    /// Values of [`CorpusOptions::keep_columns`], in order (empty when absent).
    pub kept: Vec<String>,
}

/// A document read but not yet decoded; [`RawRecord::decode`] turns it into a [`Record`].
///
/// Reading is sequential, decoding is not: `batch` reads raw records on one thread and
/// decodes them on the worker threads.
#[derive(Clone, Debug)]
pub struct RawRecord {
    /// 0-based position in the whole corpus.
    pub index: u64,
    /// The document id.
    pub id: String,
    /// Where it came from.
    pub source: String,
    /// The undecoded document, or why there is none.
    pub body: std::result::Result<Body, String>,
    /// Kept column values.
    pub kept: Vec<String>,
    format: InputFormat,
}

/// The undecoded content of a [`RawRecord`].
#[derive(Clone, Debug)]
pub enum Body {
    /// A record's text field (UTF-8 already checked).
    Text(String),
    /// A whole file's bytes.
    Bytes(Vec<u8>),
    /// Already decoded (one post of a WordPress export).
    Article(Article),
}

impl RawRecord {
    /// Size of the undecoded document in bytes (0 for an error).
    pub fn len(&self) -> usize {
        match &self.body {
            Ok(Body::Text(t)) => t.len(),
            Ok(Body::Bytes(b)) => b.len(),
            Ok(Body::Article(a)) => a.text.len(),
            Err(_) => 0,
        }
    }

    /// Whether [`RawRecord::len`] is 0.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Decode the document.
    pub fn decode(self) -> Record {
        let article = match self.body {
            Ok(Body::Text(text)) => one(input::decode_str(&text, self.format, &self.source)),
            Ok(Body::Bytes(bytes)) => one(input::decode(&bytes, self.format, &self.source)),
            Ok(Body::Article(a)) => Ok(a),
            Err(e) => Err(e),
        };
        let id = self.id;
        Record {
            index: self.index,
            article: article.map(|mut a| {
                a.id.clone_from(&id);
                a
            }),
            id,
            source: self.source,
            kept: self.kept,
        }
    }
}

/// The one article a single document decodes to.
fn one(decoded: Result<Vec<Article>>) -> std::result::Result<Article, String> {
    let mut articles = decoded.map_err(|e| e.to_string())?;
    match articles.len() {
        1 => Ok(articles.remove(0)),
        n => Err(format!(
            "{}: the record holds {n} posts; give one post a record",
            articles.first().map_or("", |a| a.id.as_str())
        )),
    }
}

/// The file being read record by record.
enum Current {
    Csv(Box<CsvFile>),
    JsonLines(Box<JsonLinesFile>),
}

/// A stream of records over a corpus; see [`open`].
pub struct Corpus {
    opts: CorpusOptions,
    walk: Walk,
    current: Option<Current>,
    ready: VecDeque<RawRecord>,
    next_index: u64,
    kept: KeptTally,
}

/// Where the kept columns were missing, for [`Corpus::notes`]: a name that no input has
/// is most likely misspelt, and its cells would be empty without a word said.
#[derive(Default)]
struct KeptTally {
    /// Per kept column: the CSV files whose header lacks it, and the first such file with
    /// its header.
    csv_missing: Vec<(u64, Option<(String, String)>)>,
    /// JSON Lines records parsed, and per kept field whether any of them had it.
    json_records: u64,
    json_found: Vec<bool>,
}

impl KeptTally {
    fn new(columns: usize) -> KeptTally {
        KeptTally {
            csv_missing: vec![(0, None); columns],
            json_records: 0,
            json_found: vec![false; columns],
        }
    }

    fn csv(&mut self, file: &CsvFile) {
        for (found, (count, first)) in file.kept_found().zip(&mut self.csv_missing) {
            if !found {
                *count += 1;
                first.get_or_insert_with(|| (file.name().to_string(), file.header().join(", ")));
            }
        }
    }

    fn json(&mut self, file: &JsonLinesFile) {
        let (records, found) = file.kept_found();
        self.json_records += records;
        for (all, &one) in self.json_found.iter_mut().zip(found) {
            *all |= one;
        }
    }
}

/// Streams records in input order: files, folders (recursive, sorted, `--glob`), CSV
/// (text/id columns), JSON Lines (text/id fields), WordPress exports, `-` for standard input,
/// `.gz`/`.xz` read in place.
///
/// Fails only on bad options (an invalid glob); everything about the inputs themselves is
/// reported in the records.
pub fn open(inputs: &[PathBuf], opts: &CorpusOptions) -> Result<Corpus> {
    let glob = opts.glob.as_deref().map(glob::Glob::new).transpose()?;
    Ok(Corpus {
        opts: opts.clone(),
        walk: Walk::new(inputs, glob),
        current: None,
        ready: VecDeque::new(),
        next_index: 0,
        kept: KeptTally::new(opts.keep_columns.len()),
    })
}

impl Corpus {
    /// The names of the kept columns, in the order of [`Record::kept`].
    pub fn kept_columns(&self) -> &[String] {
        &self.opts.keep_columns
    }

    /// Notes for the end of a run: symlinked folders skipped, and each kept column that a
    /// CSV file's header lacks or that no JSON Lines record had (their cells are empty
    /// there, which is right for a column some inputs lack and a silent loss for a
    /// misspelt name).
    pub fn notes(&self) -> Vec<String> {
        let mut notes = Vec::new();
        if let [first, rest @ ..] = &self.walk.linked_folders[..] {
            let more = match rest.len() {
                0 => String::new(),
                n => format!(" and {n} more"),
            };
            notes.push(format!(
                "symbolic links to folders are not followed (a link can make a loop): {}{more} skipped; give a linked folder as an input of its own to read it",
                first.display()
            ));
        }
        let tally = &self.kept;
        for (i, name) in self.opts.keep_columns.iter().enumerate() {
            if let (n, Some((file, header))) = &tally.csv_missing[i] {
                let more = match n {
                    1 => String::new(),
                    n => format!(" (and {} more CSV files)", n - 1),
                };
                notes.push(format!(
                    "no column {name:?} to keep in {file}{more}: its cells are empty there; check the name against the header ({header})"
                ));
            }
            if tally.json_records > 0 && !tally.json_found[i] {
                notes.push(format!(
                    "no field {name:?} to keep in any of the {} JSON Lines records: its cells are empty; check the name",
                    tally.json_records
                ));
            }
        }
        notes
    }

    /// The next record, not yet decoded.
    pub fn next_raw(&mut self) -> Option<RawRecord> {
        loop {
            if let Some(r) = self.ready.pop_front() {
                return Some(r);
            }
            let pending = match &mut self.current {
                Some(Current::Csv(f)) => f.next(&self.opts),
                Some(Current::JsonLines(f)) => f.next(&self.opts),
                None => None,
            };
            if let Some(p) = pending {
                return Some(self.finish(p));
            }
            if let Some(Current::JsonLines(f)) = self.current.take() {
                self.kept.json(&f);
            }
            let item = self.walk.next()?;
            self.start(item);
        }
    }

    /// Whether the next record can be had without waiting for input: false only when
    /// standard input is read record by record and nothing is buffered. `batch` flushes
    /// what it has before it waits, so a live pipe gets its rows back promptly.
    pub fn has_buffered(&self) -> bool {
        if !self.ready.is_empty() {
            return true;
        }
        match &self.current {
            Some(Current::JsonLines(f)) => f.has_buffered(),
            Some(Current::Csv(f)) => f.has_buffered(),
            None => true,
        }
    }

    /// Number a pending record.
    fn finish(&mut self, p: records::Pending) -> RawRecord {
        let index = self.next_index;
        self.next_index += 1;
        RawRecord {
            index,
            id: p.id,
            source: p.source,
            body: p.body,
            kept: p.kept,
            format: p.format.unwrap_or(self.opts.input_format),
        }
    }

    fn push(&mut self, p: records::Pending) {
        let r = self.finish(p);
        self.ready.push_back(r);
    }

    fn fail(&mut self, source: String, message: String) {
        self.push(records::Pending {
            id: source.clone(),
            source,
            body: Err(message),
            kept: vec![String::new(); self.opts.keep_columns.len()],
            format: None,
        });
    }

    /// Open the next input and either queue its document(s) or make it current.
    fn start(&mut self, item: Item) {
        let (name, opened) = match item {
            Item::Unreadable { source, message } => return self.fail(source, message),
            Item::Stdin => ("-".to_string(), Source::stdin()),
            Item::File(path) => (path.display().to_string(), Source::file(&path)),
        };
        let mut src = match opened {
            Ok(s) => s,
            Err(e) => return self.fail(name.clone(), format!("{name}: cannot read: {e}")),
        };
        match src.container(&self.opts) {
            Ok(Container::Csv { delimiter }) => match CsvFile::new(src, delimiter, &self.opts) {
                Ok(f) => {
                    self.kept.csv(&f);
                    self.current = Some(Current::Csv(Box::new(f)));
                }
                Err((source, message)) => self.fail(source, message),
            },
            Ok(Container::JsonLines) => {
                self.current = Some(Current::JsonLines(Box::new(JsonLinesFile::new(
                    src, &self.opts,
                ))));
            }
            Ok(Container::Document) => {
                for p in records::whole_document(src, &self.opts) {
                    self.push(p);
                }
            }
            Err(e) => {
                let name = src.name.clone();
                self.fail(name.clone(), format!("{name}: cannot read: {e}"));
            }
        }
    }
}

impl Iterator for Corpus {
    type Item = Record;

    fn next(&mut self) -> Option<Record> {
        self.next_raw().map(RawRecord::decode)
    }
}

#[cfg(test)]
mod tests;
