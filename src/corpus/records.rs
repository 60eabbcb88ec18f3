//! Containers → documents: a whole file, each row of a CSV file, each line of a JSON Lines
//! file. Every document gives one [`Pending`] record, an error one when it cannot be had.

use std::collections::VecDeque;
use std::io::{BufRead, Read};

use serde_json::Value;

use super::source::{read_line_bounded, Input, Source};
use super::{Body, CorpusOptions};
use crate::input::{self, InputFormat};

/// A record before it is numbered.
pub(crate) struct Pending {
    pub id: String,
    pub source: String,
    pub body: Result<Body, String>,
    pub kept: Vec<String>,
    /// The format to decode with, when it differs from the corpus-wide one.
    pub format: Option<InputFormat>,
}

fn oversized(source: &str, max: usize) -> String {
    format!(
        "{source}: oversized document: over the limit of {max} bytes (raise it with --max-bytes)"
    )
}

/// How much more than `max_bytes` a WordPress export may hold: it is many documents.
const EXPORT_FACTOR: usize = 8;

/// A file that is one document (or a WordPress export of several).
pub(crate) fn whole_document(mut src: Source, opts: &CorpusOptions) -> Vec<Pending> {
    let name = src.name.clone();
    let empty_kept = || vec![String::new(); opts.keep_columns.len()];
    let error = |message: String| {
        vec![Pending {
            id: name.clone(),
            source: name.clone(),
            body: Err(message),
            kept: empty_kept(),
            format: None,
        }]
    };
    // Might this be JSON (a WordPress export, possibly many posts)?
    let json = match src.reader.fill_buf() {
        Ok(head) => {
            let head = head.strip_prefix(b"\xef\xbb\xbf").unwrap_or(head);
            let first = head.iter().find(|b| !b.is_ascii_whitespace());
            matches!(first, Some(b'{' | b'['))
                || opts.input_format == InputFormat::WordPress
                || src.inner_name.to_ascii_lowercase().ends_with(".json")
        }
        Err(e) => return error(format!("{name}: cannot read: {e}")),
    };
    let limit = if json {
        opts.max_bytes.saturating_mul(EXPORT_FACTOR)
    } else {
        opts.max_bytes
    };
    let mut bytes = Vec::new();
    let read = (&mut src.reader)
        .take((limit as u64).saturating_add(1))
        .read_to_end(&mut bytes);
    if let Err(e) = read {
        return error(format!("{name}: cannot read: {e}"));
    }
    if bytes.len() > limit {
        return error(oversized(&name, limit));
    }
    // Compressed files are sniffed by their inner name (`a.html.gz` → HTML).
    let format = if src.compressed && opts.input_format == InputFormat::Auto {
        input::sniff(&src.inner_name, &bytes)
    } else {
        opts.input_format
    };
    if !json {
        return vec![Pending {
            id: name.clone(),
            source: name.clone(),
            body: Ok(Body::Bytes(bytes)),
            kept: empty_kept(),
            format: Some(format),
        }];
    }
    // Each post its own record: one that cannot be decoded is one error row.
    match input::decode_posts(&bytes, format, &name) {
        Ok(posts) => posts
            .into_iter()
            .map(|(id, post)| Pending {
                body: post_body(&id, post, opts),
                id,
                source: name.clone(),
                kept: empty_kept(),
                format: None,
            })
            .collect(),
        Err(e) => error(e.to_string()),
    }
}

/// The body of one decoded WordPress post, or why there is none.
fn post_body(
    id: &str,
    post: crate::error::Result<input::Article>,
    opts: &CorpusOptions,
) -> Result<Body, String> {
    match post {
        Ok(a) if a.text.len() > opts.max_bytes => Err(oversized(id, opts.max_bytes)),
        Ok(a) => Ok(Body::Article(a)),
        Err(e) => Err(e.to_string()),
    }
}

/// Where a CSV stream stands between quotes, as the csv crate reads it.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Quoting {
    FieldStart,
    Unquoted,
    Quoted,
    /// A quote inside a quoted field: the field's end, or the first of a doubled quote.
    QuoteInQuoted,
}

/// The CSV bytes on their way to the csv crate, watched for a quoted field still open at the
/// end of the input. The csv crate ends such a field at the end without a word, so one stray
/// quote made every row after it part of one field, and those rows were lost unseen. A quoted
/// field is skipped to its next quote and an unquoted one to its end (`memchr`), so the
/// watch costs little beside the parse.
pub(crate) struct QuoteWatch {
    inner: Input,
    delimiter: u8,
    state: Quoting,
    at_end: bool,
    /// Bytes handed to the csv crate, and the offset just past the last line end outside
    /// quotes among them: with the csv crate's position, whether a whole record waits in
    /// its buffer (streaming from a pipe).
    handed: u64,
    record_end: u64,
    /// Line ends handed so far (`\n`, `\r\n` and a lone `\r` each count one), the offset
    /// of the last `\r`, and for each line end outside quotes not yet asked about, its
    /// offset and the count up to it: [`QuoteWatch::line_at`]. The csv crate's own line
    /// numbers lag by one on `\r\n` files and stay at 1 on `\r` ones
    /// (BurntSushi/rust-csv#395). Only line ends between records are kept, so a field of
    /// many lines costs a count, not a list.
    lines: u64,
    last_cr: Option<u64>,
    record_lines: VecDeque<(u64, u64)>,
    lines_before: u64,
}

impl QuoteWatch {
    fn new(inner: Input, delimiter: u8) -> QuoteWatch {
        QuoteWatch {
            inner,
            delimiter,
            state: Quoting::FieldStart,
            at_end: false,
            handed: 0,
            record_end: 0,
            lines: 0,
            last_cr: None,
            record_lines: VecDeque::new(),
            lines_before: 0,
        }
    }

    /// Whether the input has ended inside a quoted field.
    fn ended_in_quotes(&self) -> bool {
        self.at_end && self.state == Quoting::Quoted
    }

    /// The 1-based line of the record that starts at byte `start` (the csv crate's
    /// position). Asked in increasing order.
    fn line_at(&mut self, start: u64) -> u64 {
        // Line ends that begin before the record are before it: its own begin at or after
        // `start`. (For `\r\n` the csv crate may count the record from the `\n`.)
        while let Some(&(at, count)) = self.record_lines.front() {
            if at >= start {
                break;
            }
            self.lines_before = count;
            self.record_lines.pop_front();
        }
        self.lines_before + 1
    }

    /// Count the line end byte `b` (`\r` or `\n`) at `offset`; one outside quotes is kept
    /// for [`QuoteWatch::line_at`].
    fn line_end(&mut self, offset: u64, b: u8, quoted: bool) {
        // The `\n` of a `\r\n` ends the record but was counted as a line at its `\r`.
        let crlf_tail = b == b'\n' && offset > 0 && self.last_cr == Some(offset - 1);
        if b == b'\r' {
            self.last_cr = Some(offset);
        } else if !quoted {
            self.record_end = offset + 1;
        }
        if crlf_tail {
            return;
        }
        self.lines += 1;
        if !quoted {
            self.record_lines.push_back((offset, self.lines));
        }
    }

    fn watch(&mut self, bytes: &[u8]) {
        let (d, base, mut i) = (self.delimiter, self.handed, 0);
        let next = |b: u8| match b {
            b'"' => Quoting::Quoted,
            b'\n' | b'\r' => Quoting::FieldStart,
            b if b == d => Quoting::FieldStart,
            _ => Quoting::Unquoted,
        };
        while i < bytes.len() {
            match self.state {
                Quoting::Quoted => {
                    let end = memchr::memchr(b'"', &bytes[i..]).map_or(bytes.len(), |k| i + k);
                    for k in memchr::memchr2_iter(b'\n', b'\r', &bytes[i..end]) {
                        self.line_end(base + (i + k) as u64, bytes[i + k], true);
                    }
                    if end < bytes.len() {
                        self.state = Quoting::QuoteInQuoted;
                    }
                    i = end + 1;
                }
                Quoting::Unquoted => match memchr::memchr3(d, b'\n', b'\r', &bytes[i..]) {
                    Some(k) => {
                        i += k + 1;
                        let b = bytes[i - 1];
                        if b != d {
                            self.line_end(base + (i - 1) as u64, b, false);
                        }
                        self.state = Quoting::FieldStart;
                    }
                    None => i = bytes.len(),
                },
                // After a quote inside a quoted field, a second quote (`""`) is a quote in
                // the field and the field goes on, as one opens at a field's start;
                // anything else closes it.
                Quoting::FieldStart | Quoting::QuoteInQuoted => {
                    let b = bytes[i];
                    self.state = next(b);
                    if b == b'\n' || b == b'\r' {
                        self.line_end(base + i as u64, b, false);
                    }
                    i += 1;
                }
            }
        }
        self.handed += bytes.len() as u64;
    }
}

impl Read for QuoteWatch {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(out)?;
        if n == 0 && !out.is_empty() {
            self.at_end = true;
        }
        self.watch(&out[..n]);
        Ok(n)
    }
}

/// A CSV file read row by row.
pub(crate) struct CsvFile {
    name: String,
    reader: csv::Reader<QuoteWatch>,
    record: csv::ByteRecord,
    width: usize,
    text: usize,
    text_name: String,
    id: Option<usize>,
    kept: Vec<Option<usize>>,
    /// The header's names, for the note on a kept column it lacks.
    header: Vec<String>,
    /// Read from a pipe: see [`CsvFile::has_buffered`].
    stdin: bool,
    done: bool,
}

impl CsvFile {
    /// The file's name.
    pub(crate) fn name(&self) -> &str {
        &self.name
    }

    /// The header's column names.
    pub(crate) fn header(&self) -> &[String] {
        &self.header
    }

    /// Whether the header has each kept column, in the order of `keep_columns`.
    pub(crate) fn kept_found(&self) -> impl Iterator<Item = bool> + '_ {
        self.kept.iter().map(Option::is_some)
    }

    /// Read the header and find the columns; the error is (source, message).
    pub(crate) fn new(
        src: Source,
        delimiter: u8,
        opts: &CorpusOptions,
    ) -> Result<CsvFile, (String, String)> {
        let (name, stdin) = (src.name, src.stdin);
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .flexible(true)
            .has_headers(true)
            .from_reader(QuoteWatch::new(src.reader, delimiter));
        let fail = |m: String| (name.clone(), m);
        let header: Vec<String> = reader
            .byte_headers()
            .map_err(|e| fail(format!("{name}: cannot read the CSV header: {e}")))?
            .iter()
            .enumerate()
            .map(|(i, h)| {
                let h = String::from_utf8_lossy(h);
                let h = if i == 0 {
                    h.trim_start_matches('\u{feff}')
                } else {
                    &h
                };
                h.trim().to_string()
            })
            .collect();
        let find = |c: &str| header.iter().position(|h| h == c);
        let columns = || {
            if header.is_empty() {
                "none: the file is empty".to_string()
            } else {
                header.join(", ")
            }
        };
        let text_name = opts.text_column.clone().unwrap_or_else(|| "text".into());
        let text = find(&text_name).ok_or_else(|| {
            fail(format!(
                "{name}: no column {text_name:?} in the CSV header (columns: {}); choose one with --text-column",
                columns()
            ))
        })?;
        let id = match &opts.id_column {
            Some(c) => Some(find(c).ok_or_else(|| {
                fail(format!(
                    "{name}: no column {c:?} in the CSV header (columns: {}); choose one with --id-column",
                    columns()
                ))
            })?),
            None => find("id"),
        };
        let kept = opts.keep_columns.iter().map(|c| find(c)).collect();
        Ok(CsvFile {
            name,
            reader,
            record: csv::ByteRecord::new(),
            width: header.len(),
            text,
            text_name,
            id,
            kept,
            header,
            stdin,
            done: false,
        })
    }

    /// The next row's record.
    pub(crate) fn next(&mut self, opts: &CorpusOptions) -> Option<Pending> {
        if self.done {
            return None;
        }
        let start = self.reader.position().byte();
        match self.reader.read_byte_record(&mut self.record) {
            Ok(false) => {
                self.done = true;
                None
            }
            Ok(true) if self.reader.get_ref().ended_in_quotes() => {
                // A stray quote: this record ran on to the end of the input.
                self.done = true;
                let mut row = self.row(opts);
                row.body = Err(format!(
                    "{}: a quoted field that opens in this record never closes: the rest of the file was read as one field, so any rows after it are lost; fix the quoting and run again",
                    row.source
                ));
                Some(row)
            }
            Ok(true) => Some(self.row(opts)),
            Err(e) => {
                // Only I/O (a truncated or corrupt compressed stream) gets here: the rest of
                // the file cannot be read.
                self.done = true;
                let line = self.reader.get_mut().line_at(start);
                let source = format!("{}:{line}", self.name);
                Some(Pending {
                    id: source.clone(),
                    body: Err(format!(
                        "{source}: cannot read further, the rest of the file is skipped: {e}"
                    )),
                    source,
                    kept: vec![String::new(); opts.keep_columns.len()],
                    format: None,
                })
            }
        }
    }

    fn row(&mut self, opts: &CorpusOptions) -> Pending {
        let start = self.record.position().map_or(0, csv::Position::byte);
        let line = self.reader.get_mut().line_at(start);
        let r = &self.record;
        let source = format!("{}:{line}", self.name);
        let field = |i: usize| String::from_utf8_lossy(r.get(i).unwrap_or_default()).into_owned();
        let id = self
            .id
            .and_then(|i| r.get(i))
            .filter(|v| !v.is_empty())
            .map_or_else(
                || source.clone(),
                |v| String::from_utf8_lossy(v).into_owned(),
            );
        let kept = self
            .kept
            .iter()
            .map(|c| c.map(field).unwrap_or_default())
            .collect();
        let body = if r.len() != self.width {
            Err(format!(
                "{source}: malformed CSV record: {} fields where the header has {}",
                r.len(),
                self.width
            ))
        } else {
            let text = r.get(self.text).unwrap_or_default();
            if text.len() > opts.max_bytes {
                Err(oversized(&source, opts.max_bytes))
            } else {
                match std::str::from_utf8(text) {
                    Ok(t) => Ok(Body::Text(t.to_string())),
                    Err(e) => Err(format!(
                        "{source}: invalid UTF-8 at byte {} of column {:?}; convert the file to UTF-8",
                        e.valid_up_to(),
                        self.text_name
                    )),
                }
            }
        };
        Pending {
            id,
            source,
            body,
            kept,
            format: None,
        }
    }

    /// Whether a whole record can be read without waiting on a pipe: one the csv crate has
    /// in its buffer past the last record it gave, or a line in the buffer under it.
    pub(crate) fn has_buffered(&self) -> bool {
        let watch = self.reader.get_ref();
        !self.stdin
            || self.done
            || watch.record_end > self.reader.position().byte()
            || memchr::memchr(b'\n', watch.inner.buffer()).is_some()
    }
}

/// A JSON Lines file read line by line.
pub(crate) struct JsonLinesFile {
    name: String,
    reader: Input,
    stdin: bool,
    buf: Vec<u8>,
    line: u64,
    queue: VecDeque<Pending>,
    done: bool,
    /// Records parsed, and whether any of them had each kept field: a field no record has
    /// is likely misspelt, and the corpus says so at the end.
    records: u64,
    kept_found: Vec<bool>,
}

impl JsonLinesFile {
    pub(crate) fn new(src: Source, opts: &CorpusOptions) -> JsonLinesFile {
        JsonLinesFile {
            name: src.name,
            reader: src.reader,
            stdin: src.stdin,
            buf: Vec::new(),
            line: 0,
            queue: VecDeque::new(),
            done: false,
            records: 0,
            kept_found: vec![false; opts.keep_columns.len()],
        }
    }

    /// JSON records parsed so far, and whether any had each kept field.
    pub(crate) fn kept_found(&self) -> (u64, &[bool]) {
        (self.records, &self.kept_found)
    }

    /// Whether a record can be read without waiting on a pipe.
    pub(crate) fn has_buffered(&self) -> bool {
        // A partial line in the buffer is no record yet: reading on would wait for the rest
        // of it while the records before it sit unanswered.
        !self.queue.is_empty()
            || !self.stdin
            || self.done
            || memchr::memchr(b'\n', self.reader.buffer()).is_some()
    }

    pub(crate) fn next(&mut self, opts: &CorpusOptions) -> Option<Pending> {
        loop {
            if let Some(p) = self.queue.pop_front() {
                return Some(p);
            }
            if self.done {
                return None;
            }
            // The line holds the text escaped plus other fields: allow it twice the room.
            let limit = opts.max_bytes.saturating_mul(2).saturating_add(4096);
            let read = read_line_bounded(&mut self.reader, &mut self.buf, limit);
            self.line += 1;
            // A byte-order mark before the first record is no part of it.
            if self.line == 1 && self.buf.starts_with(b"\xef\xbb\xbf") {
                self.buf.drain(..3);
            }
            let source = format!("{}:{}", self.name, self.line);
            let kept = || vec![String::new(); opts.keep_columns.len()];
            match read {
                Ok(None) => {
                    self.done = true;
                    return None;
                }
                Err(e) => {
                    self.done = true;
                    return Some(Pending {
                        id: source.clone(),
                        body: Err(format!(
                            "{source}: cannot read further, the rest of the file is skipped: {e}"
                        )),
                        source,
                        kept: kept(),
                        format: None,
                    });
                }
                Ok(Some(true)) => {
                    return Some(Pending {
                        id: source.clone(),
                        body: Err(oversized(&source, opts.max_bytes)),
                        source,
                        kept: kept(),
                        format: None,
                    })
                }
                Ok(Some(false)) if self.buf.iter().all(u8::is_ascii_whitespace) => continue,
                Ok(Some(false)) => self.record(source, opts),
            }
        }
    }

    /// Parse the line in `buf` and queue its record(s).
    fn record(&mut self, source: String, opts: &CorpusOptions) {
        let kept_empty = vec![String::new(); opts.keep_columns.len()];
        let line = &self.buf[..];
        let mut value: Value = match serde_json::from_slice(line) {
            Ok(v) => v,
            Err(e) => {
                // Bytes that are not UTF-8 say more than the JSON error they cause.
                let message = match std::str::from_utf8(line) {
                    Err(bad) => format!(
                        "{source}: invalid UTF-8 at byte {} of the line; convert the file to UTF-8 (e.g. iconv -f latin1 -t utf-8)",
                        bad.valid_up_to()
                    ),
                    Ok(_) => format!(
                        "{source}: malformed JSON record at column {}: {}",
                        e.column(),
                        crate::error::json_message(&e)
                    ),
                };
                self.queue.push_back(Pending {
                    id: source.clone(),
                    body: Err(message),
                    source,
                    kept: kept_empty,
                    format: None,
                });
                return;
            }
        };
        let id = opts
            .id_field
            .as_deref()
            .or(Some("id"))
            .and_then(|f| field(&value, f))
            .and_then(|v| match v {
                Value::String(s) if !s.is_empty() => Some(s.clone()),
                Value::Number(n) => Some(n.to_string()),
                _ => None,
            })
            .unwrap_or_else(|| source.clone());
        self.records += 1;
        let kept: Vec<String> = opts
            .keep_columns
            .iter()
            .zip(&mut self.kept_found)
            .map(|(k, found)| {
                let v = field(&value, k);
                *found |= v.is_some();
                match v {
                    None | Some(Value::Null) => String::new(),
                    Some(Value::String(s)) => s.clone(),
                    Some(v) => v.to_string(),
                }
            })
            .collect();
        let text_name = opts.text_field.as_deref().unwrap_or("text");
        let body = match take_field(&mut value, text_name) {
            Some(Value::String(s)) if s.len() > opts.max_bytes => {
                Err(oversized(&source, opts.max_bytes))
            }
            Some(Value::String(s)) => Ok(Body::Text(s)),
            Some(other) => Err(format!(
                "{source}: field {text_name:?} is {}, not a string",
                kind(&other)
            )),
            // A WordPress post (or an array of posts) on one line; with `--text-field` every
            // line is one record, so an array of posts is an error row, not several rows.
            None if !(opts.text_field.is_some() && value.is_array())
                && input::sniff("-", &self.buf) == InputFormat::WordPress =>
            {
                match input::decode_str_posts(
                    &String::from_utf8_lossy(&self.buf),
                    InputFormat::WordPress,
                    &source,
                ) {
                    Ok(posts) => {
                        for (post_id, post) in posts {
                            let id = if opts.id_field.is_some() || id != source {
                                id.clone()
                            } else {
                                post_id.clone()
                            };
                            self.queue.push_back(Pending {
                                body: post_body(&post_id, post, opts),
                                id,
                                source: source.clone(),
                                kept: kept.clone(),
                                format: None,
                            });
                        }
                        return;
                    }
                    Err(e) => Err(e.to_string()),
                }
            }
            None => match &value {
                Value::Object(map) => {
                    let fields: Vec<&str> = map.keys().map(String::as_str).collect();
                    Err(format!(
                        "{source}: no field {text_name:?} in the record (fields: {}); choose one with --text-field",
                        fields.join(", ")
                    ))
                }
                other => Err(format!(
                    "{source}: the record is {}, not a JSON object",
                    kind(other)
                )),
            },
        };
        self.queue.push_back(Pending {
            id,
            source,
            body,
            kept,
            format: None,
        });
    }
}

/// `name`, or the dotted path `a.b` into nested objects.
fn field<'v>(value: &'v Value, name: &str) -> Option<&'v Value> {
    let obj = value.as_object()?;
    if let Some(v) = obj.get(name) {
        return Some(v);
    }
    if !name.contains('.') {
        return None;
    }
    name.split('.').try_fold(value, |v, part| v.get(part))
}

/// Take the value at `name` (as [`field`]) out of `value`.
fn take_field(value: &mut Value, name: &str) -> Option<Value> {
    let obj = value.as_object_mut()?;
    if obj.contains_key(name) {
        return obj.remove(name);
    }
    if !name.contains('.') {
        return None;
    }
    let mut v = &mut *value;
    for part in name.split('.') {
        v = v.get_mut(part)?;
    }
    Some(std::mem::take(v))
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}
