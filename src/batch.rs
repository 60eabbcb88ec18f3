//! Batch: a [`Corpus`] → document rows (and mention rows, and a group summary), analysed in
//! parallel, written in input order, in bounded memory.
//!
//! One thread reads the corpus and cuts it into chunks (a few hundred documents, about a
//! MiB of text); the rayon pool decodes, analyses and formats each chunk into bytes; one
//! writer thread puts the chunks back in order and writes them. At most
//! [`BatchOptions::in_flight`] chunks exist at once: the reader waits for the writer, so
//! memory is bounded whatever the corpus size. A chunk is cut early when the corpus would
//! have to wait for its input (a live pipe), and with [`BatchOptions::flush`] each chunk
//! is flushed as it is written: engines that pipe records through `batch` get rows back
//! promptly.

use std::collections::BTreeMap;
use std::io::{self, Write};
use std::sync::mpsc;
use std::sync::Mutex;

use crate::corpus::{Corpus, RawRecord};
use crate::error::{Error, Result};
use crate::pipeline::{Analyzer, Workspace};
use crate::report::csv::{
    document_row, error_row, mention_rows, DOCUMENT_COLUMNS, MENTION_COLUMNS,
};
use crate::report::jsonl;
use crate::report::summary::{GroupEntry, GroupSummary};

/// Row format of the output tables.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum RowFormat {
    /// CSV with a header row.
    #[default]
    Csv,
    /// One JSON object a line.
    JsonLines,
}

/// How to run a batch.
#[derive(Clone, Debug)]
pub struct BatchOptions {
    /// Worker threads (0: one per core).
    pub jobs: usize,
    /// Row format of both tables.
    pub format: RowFormat,
    /// A chunk is cut after this many bytes of text...
    pub chunk_bytes: usize,
    /// ...or this many documents.
    pub chunk_documents: usize,
    /// Chunks read but not yet written, at most (0: four per worker).
    pub in_flight: usize,
    /// Flush the outputs after every chunk (streaming).
    pub flush: bool,
    /// Index into the corpus's kept columns of the column to summarise by.
    pub group_by: Option<usize>,
    /// How many error messages [`BatchSummary::first_errors`] keeps.
    pub keep_errors: usize,
}

impl Default for BatchOptions {
    fn default() -> Self {
        BatchOptions {
            jobs: 0,
            format: RowFormat::Csv,
            chunk_bytes: 1 << 20,
            chunk_documents: 512,
            in_flight: 0,
            flush: false,
            group_by: None,
            keep_errors: 10,
        }
    }
}

/// Where rows go: the document table and optionally the mention table.
pub struct Outputs<'a> {
    /// The document table.
    pub documents: &'a mut (dyn Write + Send),
    /// The mention table.
    pub mentions: Option<&'a mut (dyn Write + Send)>,
}

/// What a batch run did.
#[derive(Default)]
pub struct BatchSummary {
    /// Documents read.
    pub read: u64,
    /// Documents analysed.
    pub ok: u64,
    /// Documents that failed (an `error` row each).
    pub errors: u64,
    /// Bytes of document text read.
    pub bytes: u64,
    /// Mention rows written.
    pub mentions: u64,
    /// The first few error messages, in input order.
    pub first_errors: Vec<String>,
    /// The per-group summary, with [`BatchOptions::group_by`].
    pub groups: Option<GroupSummary>,
    /// Things the user should know that are not errors of a document: a kept column no
    /// input had, a kept column written under another name.
    pub notes: Vec<String>,
}

/// Progress so far, reported after each chunk is written.
#[derive(Clone, Copy, Debug, Default)]
pub struct Progress {
    /// Documents written.
    pub documents: u64,
    /// Bytes of text written.
    pub bytes: u64,
    /// Documents that failed.
    pub errors: u64,
}

/// One chunk's output.
#[derive(Default)]
struct ChunkOut {
    documents: Vec<u8>,
    mentions: Vec<u8>,
    read: u64,
    ok: u64,
    bytes: u64,
    mention_rows: u64,
    errors: Vec<String>,
    groups: Vec<GroupEntry>,
}

/// The header lines of both tables (nothing for JSON Lines).
pub fn write_headers(
    outputs: &mut Outputs<'_>,
    format: RowFormat,
    kept: &[String],
) -> io::Result<()> {
    if format != RowFormat::Csv {
        return Ok(());
    }
    let mut header: Vec<&str> = DOCUMENT_COLUMNS.to_vec();
    header.extend(kept.iter().map(String::as_str));
    write_csv_row(outputs.documents, &header)?;
    if let Some(m) = outputs.mentions.as_deref_mut() {
        write_csv_row(m, MENTION_COLUMNS)?;
    }
    Ok(())
}

fn write_csv_row<W: Write + ?Sized, S: AsRef<[u8]>>(out: &mut W, row: &[S]) -> io::Result<()> {
    let mut w = csv::WriterBuilder::new().from_writer(out);
    w.write_record(row).map_err(io::Error::other)?;
    w.flush()
}

/// Analyse every record of `corpus` and write the rows (headers included) to `outputs`.
///
/// `progress` is called on the writer thread after each chunk. Fails only when an output
/// cannot be written; failed documents are rows, counted in the summary.
pub fn run(
    analyzer: &Analyzer,
    mut corpus: Corpus,
    opts: &BatchOptions,
    mut outputs: Outputs<'_>,
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<BatchSummary> {
    let (kept, mut notes) = kept_headers(corpus.kept_columns());
    write_headers(&mut outputs, opts.format, &kept)?;
    let jobs = if opts.jobs == 0 {
        std::thread::available_parallelism().map_or(1, |n| n.get())
    } else {
        opts.jobs
    };
    let in_flight = if opts.in_flight == 0 {
        4 * jobs
    } else {
        opts.in_flight
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs)
        .thread_name(|i| format!("tropescope-batch-{i}"))
        .build()
        .map_err(|e| Error::input(format!("cannot start {jobs} worker threads: {e}")))?;
    let workspaces: Mutex<Vec<Workspace>> = Mutex::new(Vec::new());
    let (done_tx, done_rx) = mpsc::channel::<(u64, ChunkOut)>();
    let (token_tx, token_rx) = mpsc::sync_channel::<()>(in_flight);
    for _ in 0..in_flight {
        token_tx
            .send(())
            .map_err(|_| Error::input("batch: token channel closed"))?;
    }
    let summary = std::thread::scope(|s| {
        let writer = s.spawn(move || write_in_order(done_rx, token_tx, outputs, opts, progress));
        pool.in_place_scope(|scope| {
            let mut seq = 0u64;
            loop {
                let chunk = read_chunk(&mut corpus, opts);
                if chunk.is_empty() || token_rx.recv().is_err() {
                    break;
                }
                let tx = done_tx.clone();
                let (workspaces, kept) = (&workspaces, &kept);
                scope.spawn(move |_| {
                    let mut ws = workspaces
                        .lock()
                        .map(|mut w| w.pop())
                        .ok()
                        .flatten()
                        .unwrap_or_else(|| analyzer.workspace());
                    let out = process_chunk(analyzer, &mut ws, chunk, kept, opts);
                    if let Ok(mut w) = workspaces.lock() {
                        w.push(ws);
                    }
                    // The writer has gone only when an output failed; its error is reported.
                    let _ = tx.send((seq, out));
                });
                seq += 1;
            }
        });
        drop(done_tx);
        writer
            .join()
            .unwrap_or_else(|_| Err(Error::input("batch: the writer thread panicked")))
    });
    summary.map(|mut summary| {
        notes.extend(corpus.notes());
        summary.notes = notes;
        summary
    })
}

/// The header names of the kept columns: a name the document table has already (`status`,
/// `id`) is written `input_status`, so that neither pandas nor a JSON reader loses one of
/// the two; the notes say which were renamed.
pub fn kept_headers(kept: &[String]) -> (Vec<String>, Vec<String>) {
    let mut names: Vec<String> = Vec::with_capacity(kept.len());
    let mut notes = Vec::new();
    for k in kept {
        let mut name = k.clone();
        while DOCUMENT_COLUMNS.contains(&name.as_str()) || names.contains(&name) {
            name.insert_str(0, "input_");
        }
        if name != *k {
            notes.push(format!(
                "the kept column {k:?} is written as {name:?}: the report has a column {k:?} already"
            ));
        }
        names.push(name);
    }
    (names, notes)
}

/// Read up to one chunk: stop at the size limits, or early when input would block.
fn read_chunk(corpus: &mut Corpus, opts: &BatchOptions) -> Vec<RawRecord> {
    let mut chunk = Vec::new();
    let mut bytes = 0usize;
    while chunk.len() < opts.chunk_documents.max(1) && bytes < opts.chunk_bytes {
        if !chunk.is_empty() && !corpus.has_buffered() {
            break;
        }
        let Some(r) = corpus.next_raw() else { break };
        bytes += r.len();
        chunk.push(r);
    }
    chunk
}

/// Decode, analyse and format one chunk.
fn process_chunk(
    analyzer: &Analyzer,
    ws: &mut Workspace,
    chunk: Vec<RawRecord>,
    kept_names: &[String],
    opts: &BatchOptions,
) -> ChunkOut {
    let lex = analyzer.lexicon();
    let mut out = ChunkOut::default();
    let mut doc_cols: Vec<&str> = DOCUMENT_COLUMNS.to_vec();
    doc_cols.extend(kept_names.iter().map(String::as_str));
    let mut docs = RowSink::new(opts.format);
    let mut ments = RowSink::new(opts.format);
    for raw in chunk {
        out.read += 1;
        out.bytes += raw.len() as u64;
        let record = raw.decode();
        let group = opts
            .group_by
            .and_then(|i| record.kept.get(i))
            .cloned()
            .unwrap_or_default();
        match record.article {
            Ok(article) => {
                out.ok += 1;
                let a = analyzer.analyze_with(ws, article);
                let mut row = document_row(lex, &a, &record.source);
                row.extend(record.kept);
                docs.put(&doc_cols, &row);
                if opts.group_by.is_some() {
                    out.groups.push(GroupEntry::of(group, &a));
                }
                for m in mention_rows(lex, &a) {
                    out.mention_rows += 1;
                    ments.put(MENTION_COLUMNS, &m);
                }
            }
            Err(message) => {
                let mut row = error_row(lex, &record.id, &record.source, &message);
                row.extend(record.kept);
                docs.put(&doc_cols, &row);
                if opts.group_by.is_some() {
                    out.groups.push(GroupEntry::failed(group));
                }
                if out.errors.len() < opts.keep_errors {
                    out.errors.push(message);
                }
            }
        }
    }
    out.documents = docs.into_bytes();
    out.mentions = ments.into_bytes();
    out
}

/// Rows of one chunk, formatted into memory.
enum RowSink {
    Csv(Box<csv::Writer<Vec<u8>>>),
    JsonLines(Vec<u8>),
}

impl RowSink {
    fn new(format: RowFormat) -> RowSink {
        match format {
            RowFormat::Csv => RowSink::Csv(Box::new(csv::Writer::from_writer(Vec::new()))),
            RowFormat::JsonLines => RowSink::JsonLines(Vec::new()),
        }
    }

    // Writing to memory cannot fail, so the results are not checked.
    fn put(&mut self, columns: &[&str], row: &[String]) {
        match self {
            RowSink::Csv(w) => {
                let _ = w.write_record(row);
            }
            RowSink::JsonLines(buf) => {
                let _ = jsonl::write_row(buf, columns, row);
            }
        }
    }

    fn into_bytes(self) -> Vec<u8> {
        match self {
            RowSink::Csv(w) => w.into_inner().unwrap_or_default(),
            RowSink::JsonLines(buf) => buf,
        }
    }
}

/// Put chunks back in input order, write them, give a token back for each.
fn write_in_order(
    done: mpsc::Receiver<(u64, ChunkOut)>,
    tokens: mpsc::SyncSender<()>,
    outputs: Outputs<'_>,
    opts: &BatchOptions,
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<BatchSummary> {
    let Outputs {
        documents,
        mut mentions,
    } = outputs;
    let mut summary = BatchSummary {
        groups: opts.group_by.map(|_| GroupSummary::default()),
        ..BatchSummary::default()
    };
    let mut pending: BTreeMap<u64, ChunkOut> = BTreeMap::new();
    let mut next = 0u64;
    for (seq, out) in done {
        pending.insert(seq, out);
        while let Some(out) = pending.remove(&next) {
            next += 1;
            documents.write_all(&out.documents)?;
            if let Some(m) = mentions.as_deref_mut() {
                m.write_all(&out.mentions)?;
            }
            if opts.flush {
                documents.flush()?;
                if let Some(m) = mentions.as_deref_mut() {
                    m.flush()?;
                }
            }
            summary.read += out.read;
            summary.ok += out.ok;
            summary.errors += out.read - out.ok;
            summary.bytes += out.bytes;
            summary.mentions += out.mention_rows;
            let room = opts.keep_errors.saturating_sub(summary.first_errors.len());
            summary
                .first_errors
                .extend(out.errors.into_iter().take(room));
            if let Some(g) = &mut summary.groups {
                for e in out.groups {
                    g.add(e);
                }
            }
            progress(Progress {
                documents: summary.read,
                bytes: summary.bytes,
                errors: summary.errors,
            });
            // The reader may already have stopped; then no token is wanted.
            let _ = tokens.try_send(());
        }
    }
    documents.flush()?;
    if let Some(m) = mentions {
        m.flush()?;
    }
    Ok(summary)
}
