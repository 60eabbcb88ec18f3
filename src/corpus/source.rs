//! Opening one input: a file or standard input, decompressed in place when it is gzip or
//! xz (by magic bytes, so a misnamed file still reads), and the kind of container it is.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::Path;

use super::CorpusOptions;

/// Read buffer size: large enough that one `read` call rarely splits a record.
const BUFFER: usize = 256 * 1024;

/// How much of standard input's first line is read to tell JSON Lines from a document.
const LOOKAHEAD: usize = BUFFER / 2;

/// A boxed reader that can move to another thread.
pub(crate) type Input = BufReader<Box<dyn Read + Send>>;

/// How an input holds its documents.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Container {
    /// The whole input is one document (or a WordPress array of posts).
    Document,
    /// CSV (or TSV) with a header row: one record a row.
    Csv { delimiter: u8 },
    /// JSON Lines: one object a line.
    JsonLines,
}

/// An opened input.
pub(crate) struct Source {
    /// The name used in ids, sources and messages: the path as given, or `-`.
    pub name: String,
    /// The name with any `.gz`/`.xz` suffix removed: what extension sniffing looks at.
    pub inner_name: String,
    /// Decompressed bytes.
    pub reader: Input,
    /// Whether it was compressed.
    pub compressed: bool,
    /// Whether this is standard input (reads may block on a live pipe).
    pub stdin: bool,
}

impl Source {
    /// Open a file.
    pub(crate) fn file(path: &Path) -> io::Result<Source> {
        let file = File::open(path)?;
        Source::wrap(path.display().to_string(), Box::new(file), false)
    }

    /// Open standard input.
    pub(crate) fn stdin() -> io::Result<Source> {
        Source::wrap("-".to_string(), Box::new(io::stdin()), true)
    }

    fn wrap(name: String, raw: Box<dyn Read + Send>, stdin: bool) -> io::Result<Source> {
        let mut raw = BufReader::with_capacity(BUFFER, raw);
        // A pipe's first read may be shorter than a magic number; such tiny inputs are
        // judged as not compressed.
        let magic = raw.fill_buf()?;
        let gz = magic.starts_with(&[0x1f, 0x8b]);
        let xz = magic.starts_with(&[0xfd, b'7', b'z', b'X', b'Z', 0x00]);
        let (reader, compressed): (Box<dyn Read + Send>, bool) = if gz {
            let decoder = flate2::bufread::MultiGzDecoder::new(raw);
            (Box::new(ReadAhead::spawn(Box::new(decoder))), true)
        } else if xz {
            let decoder = xz2::bufread::XzDecoder::new_multi_decoder(raw);
            (Box::new(ReadAhead::spawn(Box::new(decoder))), true)
        } else {
            (Box::new(raw), false)
        };
        let inner_name = strip_compression_suffix(&name).to_string();
        Ok(Source {
            name,
            inner_name,
            reader: BufReader::with_capacity(BUFFER, reader),
            compressed,
            stdin,
        })
    }

    /// The container, from the (inner) extension, the options and, for standard input, the
    /// first bytes.
    pub(crate) fn container(&mut self, opts: &CorpusOptions) -> io::Result<Container> {
        let ext = Path::new(&self.inner_name)
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        match ext.as_deref() {
            Some("csv") => return Ok(Container::Csv { delimiter: b',' }),
            Some("tsv" | "tab") => return Ok(Container::Csv { delimiter: b'\t' }),
            Some("jsonl" | "ndjson") => return Ok(Container::JsonLines),
            _ => {}
        }
        if !self.stdin {
            return Ok(Container::Document);
        }
        if opts.text_column.is_some() {
            return Ok(Container::Csv { delimiter: b',' });
        }
        if opts.text_field.is_some() {
            return Ok(Container::JsonLines);
        }
        // Standard input: JSON Lines when its first line is a whole JSON object.
        let buf = first_text(self.reader.fill_buf()?);
        // Nothing at all (an engine's empty partition): no records, not one empty document.
        if buf.is_empty() {
            return Ok(Container::JsonLines);
        }
        if buf.first() != Some(&b'{') {
            return Ok(Container::Document);
        }
        if memchr::memchr(b'\n', buf).is_none() {
            // A pipe hands over what it holds (64 KiB at most, or a record cut short by a
            // slow writer): the first line is read whole before it is judged, and put back.
            self.read_first_line()?;
        }
        let buf = first_text(self.reader.fill_buf()?);
        let line = match memchr::memchr(b'\n', buf) {
            Some(end) => &buf[..end],
            // A line longer than the lookahead: only a record stream has lines that long
            // beginning with `{` in practice.
            None if buf.len() >= LOOKAHEAD => return Ok(Container::JsonLines),
            None => buf,
        };
        Ok(match serde_json::from_slice::<serde_json::Value>(line) {
            Ok(serde_json::Value::Object(_)) => Container::JsonLines,
            _ => Container::Document,
        })
    }

    /// Read on until the buffer holds the first line (or [`LOOKAHEAD`] bytes, or the end),
    /// then read from a buffer that holds all of it: the bytes read are put back in front.
    fn read_first_line(&mut self) -> io::Result<()> {
        let mut head = Vec::new();
        while !first_text(&head).contains(&b'\n') && head.len() < LOOKAHEAD {
            let buf = self.reader.fill_buf()?;
            if buf.is_empty() {
                break;
            }
            let n = buf.len();
            head.extend_from_slice(buf);
            self.reader.consume(n);
        }
        let rest = std::mem::replace(
            &mut self.reader,
            BufReader::new(Box::new(io::empty()) as Box<dyn Read + Send>),
        );
        let capacity = BUFFER.max(head.len());
        self.reader =
            BufReader::with_capacity(capacity, Box::new(io::Cursor::new(head).chain(rest)));
        Ok(())
    }
}

/// The start of an input from its first text: past a byte-order mark and blank space.
fn first_text(buf: &[u8]) -> &[u8] {
    let buf = buf.strip_prefix(b"\xef\xbb\xbf").unwrap_or(buf);
    let start = buf
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(buf.len());
    &buf[start..]
}

/// A reader run on its own thread, its output handed over in blocks through a bounded
/// channel: decompression (xz runs at tens of MB/s) then overlaps the parsing and analysis
/// instead of adding to them. The thread ends at the end of input, on an error (passed on
/// to the reader), or when the reader is dropped.
struct ReadAhead {
    blocks: std::sync::mpsc::Receiver<io::Result<Vec<u8>>>,
    block: Vec<u8>,
    at: usize,
}

/// Bytes a block; blocks in flight.
const BLOCK: usize = 256 * 1024;
const BLOCKS: usize = 4;

impl ReadAhead {
    fn spawn(mut inner: Box<dyn Read + Send>) -> ReadAhead {
        let (tx, rx) = std::sync::mpsc::sync_channel(BLOCKS);
        std::thread::spawn(move || loop {
            let mut block = vec![0; BLOCK];
            let sent = match inner.read(&mut block) {
                Ok(0) => break,
                Ok(n) => {
                    block.truncate(n);
                    tx.send(Ok(block))
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    let _ = tx.send(Err(e));
                    break;
                }
            };
            if sent.is_err() {
                break;
            }
        });
        ReadAhead {
            blocks: rx,
            block: Vec::new(),
            at: 0,
        }
    }
}

impl Read for ReadAhead {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if self.at == self.block.len() {
            match self.blocks.recv() {
                Ok(Ok(block)) => {
                    self.block = block;
                    self.at = 0;
                }
                Ok(Err(e)) => return Err(e),
                // The thread has finished: end of input.
                Err(_) => return Ok(0),
            }
        }
        let n = out.len().min(self.block.len() - self.at);
        out[..n].copy_from_slice(&self.block[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

/// `a.csv.gz` → `a.csv`.
fn strip_compression_suffix(name: &str) -> &str {
    for suffix in [".gz", ".xz", ".GZ", ".XZ"] {
        if let Some(stem) = name.strip_suffix(suffix) {
            return stem;
        }
    }
    name
}

/// Read one line (up to and without `\n`, and without a trailing `\r`) into `buf`, keeping at
/// most `limit` bytes; the rest of an overlong line is read and dropped.
///
/// Returns `None` at the end of input, else whether the line was cut.
pub(crate) fn read_line_bounded(
    reader: &mut impl BufRead,
    buf: &mut Vec<u8>,
    limit: usize,
) -> io::Result<Option<bool>> {
    buf.clear();
    let mut cut = false;
    let mut any = false;
    loop {
        let available = match reader.fill_buf() {
            Ok(b) => b,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if available.is_empty() {
            break;
        }
        any = true;
        let (piece, done) = match memchr::memchr(b'\n', available) {
            Some(at) => (&available[..at], Some(at + 1)),
            None => (available, None),
        };
        let room = limit.saturating_sub(buf.len());
        if piece.len() > room {
            cut = true;
        }
        buf.extend_from_slice(&piece[..piece.len().min(room)]);
        let used = done.unwrap_or(available.len());
        reader.consume(used);
        if done.is_some() {
            break;
        }
    }
    if !any {
        return Ok(None);
    }
    if buf.last() == Some(&b'\r') {
        buf.pop();
    }
    Ok(Some(cut))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounded_lines() {
        let mut r = BufReader::with_capacity(4, &b"abc\r\ndefghijkl\n\nxy"[..]);
        let mut buf = Vec::new();
        assert_eq!(read_line_bounded(&mut r, &mut buf, 5).unwrap(), Some(false));
        assert_eq!(buf, b"abc");
        assert_eq!(read_line_bounded(&mut r, &mut buf, 5).unwrap(), Some(true));
        assert_eq!(buf, b"defgh");
        assert_eq!(read_line_bounded(&mut r, &mut buf, 5).unwrap(), Some(false));
        assert_eq!(buf, b"");
        assert_eq!(read_line_bounded(&mut r, &mut buf, 5).unwrap(), Some(false));
        assert_eq!(buf, b"xy");
        assert_eq!(read_line_bounded(&mut r, &mut buf, 5).unwrap(), None);
    }

    #[test]
    fn compression_suffix() {
        assert_eq!(strip_compression_suffix("a/b.csv.xz"), "a/b.csv");
        assert_eq!(strip_compression_suffix("b.jsonl.gz"), "b.jsonl");
        assert_eq!(strip_compression_suffix("b.txt"), "b.txt");
    }
}
