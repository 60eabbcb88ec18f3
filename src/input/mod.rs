//! decode: raw bytes of one input -> [`Article`]s whose `text` every later stage points into.
//!
//! This is the only stage that knows about file formats. Everything after it sees plain
//! UTF-8 text with LF line ends, so spans computed downstream are byte offsets into
//! [`Article::text`] exactly as decoded here. Typographic quotes, apostrophes and dashes are
//! left as they are: the tokeniser normalises them for matching without rewriting the text.
//!
//! The formats, and where each lives:
//!
//! * plain text and Markdown (this file): UTF-8, a leading BOM dropped, CRLF and lone CR to LF;
//! * HTML (`html.rs`): html5ever's tokenizer with a streaming sink, no tree, so the deepest
//!   nesting costs nothing; scripts, styles and other non-prose content dropped, block
//!   elements turned into paragraph breaks;
//! * WordPress REST JSON (`wordpress.rs`): a post object or an array of posts, decoded from
//!   `title.rendered` and `content.rendered`;
//! * which one a file is ([`sniff`], in `sniff.rs`): the extension first, then the content.
//!
//! Every format ends in the same checks: no NUL bytes near the start (a binary file), valid
//! UTF-8 (the error names the byte), and some text left to analyse.

mod html;
mod sniff;
mod wordpress;

use std::fmt;
use std::path::Path;
use std::str::FromStr;

use crate::error::{Error, Result};

pub use sniff::sniff;

/// How many leading bytes are searched for a NUL byte before a file is called binary.
const BINARY_PROBE_LEN: usize = 8 * 1024;

/// One document, decoded to the text that every later stage and every report points into.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Article {
    /// Identifier: the source name, or for one of several posts in a file `name#<post id or 1-based index>`.
    pub id: String,
    /// The title, when the format has one (HTML `<title>` or first `<h1>`, WordPress `title.rendered`).
    pub title: Option<String>,
    /// The decoded text. When there is a title it is the first paragraph of `text` as well ("title\n\nbody").
    pub text: String,
}

/// The format of an input document.
///
/// ```
/// use tropescope::input::InputFormat;
///
/// let format: InputFormat = "wp".parse().unwrap();
/// assert_eq!(format, InputFormat::WordPress);
/// assert_eq!(format.name(), "wordpress");
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum InputFormat {
    /// Choose from the file extension and the content (see [`sniff`]).
    #[default]
    Auto,
    /// Plain UTF-8 text.
    Text,
    /// An HTML page or fragment.
    Html,
    /// WordPress REST API JSON: one post object or an array of posts.
    WordPress,
    /// Markdown, read as plain text.
    Markdown,
}

impl InputFormat {
    /// Every format, in the order the CLI lists them.
    pub const ALL: [InputFormat; 5] = [
        InputFormat::Auto,
        InputFormat::Text,
        InputFormat::Html,
        InputFormat::WordPress,
        InputFormat::Markdown,
    ];

    /// The format's canonical name, as accepted by [`FromStr`].
    pub fn name(self) -> &'static str {
        match self {
            InputFormat::Auto => "auto",
            InputFormat::Text => "text",
            InputFormat::Html => "html",
            InputFormat::WordPress => "wordpress",
            InputFormat::Markdown => "markdown",
        }
    }
}

impl fmt::Display for InputFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for InputFormat {
    type Err = Error;

    /// Parses a canonical name or one of the short aliases `txt`, `htm`, `wp` and `md`,
    /// ignoring ASCII case.
    fn from_str(s: &str) -> Result<InputFormat> {
        let format = match s.trim().to_ascii_lowercase().as_str() {
            "auto" => InputFormat::Auto,
            "text" | "txt" => InputFormat::Text,
            "html" | "htm" => InputFormat::Html,
            "wordpress" | "wp" => InputFormat::WordPress,
            "markdown" | "md" => InputFormat::Markdown,
            _ => {
                let names: Vec<&str> = InputFormat::ALL.iter().map(|f| f.name()).collect();
                return Err(Error::input(format!(
                    "unknown input format {s:?}: expected one of {}",
                    names.join(", ")
                )));
            }
        };
        Ok(format)
    }
}

/// Decode raw bytes of one input into articles (a WordPress array yields one per post).
///
/// `name` is the source name used in ids and error messages (a path or "-" or "record 17").
/// With [`InputFormat::Auto`] the format is chosen by [`sniff`] from `name`'s extension and
/// the content.
///
/// ```
/// use tropescope::input::{decode, InputFormat};
///
/// let articles = decode(b"<title>On tropes</title><p>No amnesia &amp; no triangle.</p>",
///     InputFormat::Auto, "review.html").unwrap();
/// assert_eq!(articles[0].title.as_deref(), Some("On tropes"));
/// assert_eq!(articles[0].text, "On tropes\n\nNo amnesia & no triangle.");
/// ```
pub fn decode(bytes: &[u8], format: InputFormat, name: &str) -> Result<Vec<Article>> {
    decode_str(text_of(bytes, name)?, format, name)
}

/// The bytes of one input as text: refused when UTF-16, binary or not UTF-8.
fn text_of<'b>(bytes: &'b [u8], name: &str) -> Result<&'b str> {
    check_not_utf16(bytes, name)?;
    check_not_binary(bytes, name)?;
    std::str::from_utf8(bytes).map_err(|err| {
        Error::decode(
            name,
            format!(
                "invalid UTF-8 at byte {}; convert the file to UTF-8 (e.g. iconv -f latin1 -t utf-8)",
                err.valid_up_to()
            ),
        )
    })
}

/// [`decode`], each post of a WordPress export on its own: (its id, the article or why it
/// could not be had), so one bad post does not cost the others. Any other format gives one
/// entry. The outer error is for the input as a whole (not UTF-8, binary, JSON that holds
/// no post).
pub fn decode_posts(
    bytes: &[u8],
    format: InputFormat,
    name: &str,
) -> Result<Vec<(String, Result<Article>)>> {
    decode_str_posts(text_of(bytes, name)?, format, name)
}

/// [`decode_posts`] for text already known to be valid UTF-8.
pub fn decode_str_posts(
    text: &str,
    format: InputFormat,
    name: &str,
) -> Result<Vec<(String, Result<Article>)>> {
    let text = strip_bom(text);
    match shape(text, format, name)? {
        Shape::Text => Ok(vec![(name.to_string(), decode_text(text, name))]),
        Shape::Html => Ok(vec![(name.to_string(), decode_html(text, name))]),
        Shape::Posts(value) => wordpress::decode_each(value, name),
    }
}

/// Decode text already known to be valid UTF-8 (used for CSV/JSONL record fields).
///
/// Behaves as [`decode`] on the same text's bytes.
pub fn decode_str(text: &str, format: InputFormat, name: &str) -> Result<Vec<Article>> {
    let text = strip_bom(text);
    match shape(text, format, name)? {
        Shape::Text => Ok(vec![decode_text(text, name)?]),
        Shape::Html => Ok(vec![decode_html(text, name)?]),
        Shape::Posts(value) => wordpress::decode_value(value, name),
    }
}

/// What one input holds: one article, as plain text or HTML, or WordPress posts.
enum Shape {
    Text,
    Html,
    Posts(serde_json::Value),
}

/// The shape of `text` read as `format` (sniffed when `Auto`); refused when binary, or
/// when it should be WordPress JSON and does not parse.
fn shape(text: &str, format: InputFormat, name: &str) -> Result<Shape> {
    check_not_binary(text.as_bytes(), name)?;
    Ok(match format {
        InputFormat::Auto => match sniff::detect(name, text) {
            sniff::Detected::Text => Shape::Text,
            sniff::Detected::Html => Shape::Html,
            sniff::Detected::WordPress => Shape::Posts(wordpress::parse(text, name)?),
            sniff::Detected::WordPressParsed(value) => Shape::Posts(value),
        },
        InputFormat::Text | InputFormat::Markdown => Shape::Text,
        InputFormat::Html => Shape::Html,
        InputFormat::WordPress => Shape::Posts(wordpress::parse(text, name)?),
    })
}

/// Read a file and decode it post by post ([`decode_posts`]; errors name the path).
pub fn read_path_posts(path: &Path, format: InputFormat) -> Result<Vec<(String, Result<Article>)>> {
    let bytes = std::fs::read(path).map_err(|err| Error::io(Some(path), err))?;
    decode_posts(&bytes, format, &path.display().to_string())
}

/// Read a file and decode it (errors name the path; the first post of a WordPress export
/// that cannot be read fails the whole, see [`read_path_posts`]).
pub fn read_path(path: &Path, format: InputFormat) -> Result<Vec<Article>> {
    read_path_posts(path, format)?
        .into_iter()
        .map(|(_, article)| article)
        .collect()
}

/// Plain text and Markdown: line ends normalised, nothing else touched.
fn decode_text(text: &str, name: &str) -> Result<Article> {
    finish(name.to_string(), None, normalize_newlines(text))
}

fn decode_html(text: &str, name: &str) -> Result<Article> {
    let page = html::to_text(text);
    finish(name.to_string(), page.title, page.body)
}

/// Builds the article every format ends in: refuses an empty body, and puts the title in
/// front of the body unless the body already opens with it (an `<h1>` title usually does).
fn finish(id: String, title: Option<String>, body: String) -> Result<Article> {
    if body.trim().is_empty() {
        return Err(Error::decode(id, "empty document: no text to analyse"));
    }
    let title = title.filter(|t| !t.trim().is_empty());
    let text = match &title {
        Some(title) if !starts_with_line(&body, title) => {
            let mut text = String::with_capacity(title.len() + 2 + body.len());
            text.push_str(title);
            text.push_str("\n\n");
            text.push_str(&body);
            text
        }
        _ => body,
    };
    Ok(Article { id, title, text })
}

/// Whether `body`'s first line is `line` or begins with it up to a line end.
fn starts_with_line(body: &str, line: &str) -> bool {
    match body.strip_prefix(line) {
        Some(rest) => rest.is_empty() || rest.starts_with('\n'),
        None => false,
    }
}

fn strip_bom(text: &str) -> &str {
    text.strip_prefix('\u{feff}').unwrap_or(text)
}

/// CRLF and lone CR become LF; text without CR is copied as it is.
fn normalize_newlines(text: &str) -> String {
    if memchr::memchr(b'\r', text.as_bytes()).is_none() {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = memchr::memchr(b'\r', rest.as_bytes()) {
        out.push_str(&rest[..at]);
        out.push('\n');
        rest = &rest[at + 1..];
        if let Some(after) = rest.strip_prefix('\n') {
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

fn check_not_binary(bytes: &[u8], name: &str) -> Result<()> {
    let probe = &bytes[..bytes.len().min(BINARY_PROBE_LEN)];
    if memchr::memchr(0, probe).is_some() {
        return Err(Error::decode(name, "looks like a binary file, not text"));
    }
    Ok(())
}

/// A UTF-16 byte-order mark gets its own message: the file is text, just not UTF-8.
fn check_not_utf16(bytes: &[u8], name: &str) -> Result<()> {
    if bytes.starts_with(&[0xff, 0xfe]) || bytes.starts_with(&[0xfe, 0xff]) {
        return Err(Error::decode(
            name,
            "looks like UTF-16 text; convert the file to UTF-8 (e.g. iconv -f utf-16 -t utf-8)",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn one(bytes: &[u8], format: InputFormat) -> Article {
        let mut articles = decode(bytes, format, "doc").expect("decodes");
        assert_eq!(articles.len(), 1);
        articles.remove(0)
    }

    fn error(bytes: &[u8], format: InputFormat) -> String {
        decode(bytes, format, "doc")
            .expect_err("refused")
            .to_string()
    }

    #[test]
    fn bom_is_dropped() {
        let a = one(b"\xef\xbb\xbfFirst words.", InputFormat::Text);
        assert_eq!(a.text, "First words.");
        assert_eq!(a.id, "doc");
        assert_eq!(a.title, None);
    }

    #[test]
    fn crlf_and_lone_cr_become_lf() {
        let a = one(b"one\r\ntwo\rthree\r\n\r\nfour", InputFormat::Text);
        assert_eq!(a.text, "one\ntwo\nthree\n\nfour");
    }

    #[test]
    fn markdown_is_read_as_text() {
        let a = one(b"# Heading\r\n\r\n*so* many tropes", InputFormat::Markdown);
        assert_eq!(a.text, "# Heading\n\n*so* many tropes");
    }

    #[test]
    fn invalid_utf8_names_the_byte() {
        let msg = error(b"caf\xe9 noir", InputFormat::Text);
        assert!(msg.starts_with("doc: invalid UTF-8 at byte 3;"), "{msg}");
        assert!(msg.contains("iconv"), "{msg}");
    }

    #[test]
    fn binary_is_refused() {
        let msg = error(b"PK\x03\x04\x00\x00binary", InputFormat::Auto);
        assert_eq!(msg, "doc: looks like a binary file, not text");
    }

    #[test]
    fn utf16_is_refused_with_advice() {
        let msg = error(b"\xff\xfeh\x00i\x00", InputFormat::Text);
        assert!(msg.contains("UTF-16"), "{msg}");
    }

    #[test]
    fn empty_is_refused() {
        for input in [&b""[..], b"  \n\t\r\n", b"\xef\xbb\xbf"] {
            let msg = error(input, InputFormat::Text);
            assert_eq!(msg, "doc: empty document: no text to analyse");
        }
    }

    #[test]
    fn html_without_text_is_empty() {
        let msg = error(
            b"<html><head><title>Only a title</title><script>x()</script></head><body> </body></html>",
            InputFormat::Html,
        );
        assert!(msg.contains("empty document"), "{msg}");
    }

    #[test]
    fn html_title_is_prepended() {
        let a = one(
            b"<title>Page title</title><p>Body text here.</p>",
            InputFormat::Html,
        );
        assert_eq!(a.title.as_deref(), Some("Page title"));
        assert_eq!(a.text, "Page title\n\nBody text here.");
    }

    #[test]
    fn html_h1_title_is_not_repeated() {
        let a = one(b"<h1>Heading</h1><p>Body.</p>", InputFormat::Html);
        assert_eq!(a.title.as_deref(), Some("Heading"));
        assert_eq!(a.text, "Heading\n\nBody.");
    }

    #[test]
    fn title_that_is_only_a_prefix_of_the_first_line_is_prepended() {
        let a = one(b"<title>Love</title><p>Lovely day.</p>", InputFormat::Html);
        assert_eq!(a.text, "Love\n\nLovely day.");
    }

    #[test]
    fn decode_str_drops_bom_too() {
        let a = decode_str("\u{feff}<p>x</p>", InputFormat::Auto, "record 3").expect("decodes");
        assert_eq!(a[0].text, "x");
        assert_eq!(a[0].id, "record 3");
    }

    #[test]
    fn json_file_that_is_not_a_post_says_what_is_missing() {
        let msg = decode(br#"{"body": "words"}"#, InputFormat::Auto, "notes.json")
            .expect_err("refused")
            .to_string();
        assert!(msg.starts_with("notes.json: "), "{msg}");
        assert!(msg.contains("\"content\""), "{msg}");
        assert!(msg.contains("--input-format text"), "{msg}");
    }

    #[test]
    fn json_file_read_as_text_when_asked() {
        let a = one(br#"{"body": "words"}"#, InputFormat::Text);
        assert_eq!(a.text, r#"{"body": "words"}"#);
    }

    #[test]
    fn broken_post_in_a_txt_file_names_line_and_column() {
        let msg = decode(
            b"{\"id\": 1,\n \"content\": {\"rendered\": \"x\"\n",
            InputFormat::Auto,
            "post.txt",
        )
        .expect_err("refused")
        .to_string();
        assert!(
            msg.starts_with("post.txt: malformed JSON at line 3 column"),
            "{msg}"
        );
    }

    #[test]
    fn wordpress_post_in_a_txt_file_is_sniffed() {
        let json =
            br#"{"title": {"rendered": "A &amp; B"}, "content": {"rendered": "<p>prose</p>"}}"#;
        let a = one(json, InputFormat::Auto);
        assert_eq!(a.title.as_deref(), Some("A & B"));
        assert_eq!(a.text, "A & B\n\nprose");
    }

    #[test]
    fn html_is_sniffed_in_a_record() {
        let a = decode_str("one<br /><br />two", InputFormat::Auto, "record 17").expect("decodes");
        assert_eq!(a[0].text, "one\n\ntwo");
    }

    #[test]
    fn format_names_round_trip() {
        for format in InputFormat::ALL {
            assert_eq!(
                format.name().parse::<InputFormat>().expect("parses"),
                format
            );
            assert_eq!(format.to_string(), format.name());
        }
        for (alias, format) in [
            ("md", InputFormat::Markdown),
            ("txt", InputFormat::Text),
            ("wp", InputFormat::WordPress),
            ("HTML", InputFormat::Html),
        ] {
            assert_eq!(alias.parse::<InputFormat>().expect("parses"), format);
        }
        assert_eq!(InputFormat::default(), InputFormat::Auto);
    }

    #[test]
    fn unknown_format_lists_the_valid_names() {
        let msg = "pdf"
            .parse::<InputFormat>()
            .expect_err("refused")
            .to_string();
        assert!(
            msg.contains("auto, text, html, wordpress, markdown"),
            "{msg}"
        );
    }

    #[test]
    fn read_path_names_the_missing_file() {
        let path = Path::new("/nonexistent/tropescope/review.txt");
        let msg = read_path(path, InputFormat::Auto)
            .expect_err("refused")
            .to_string();
        assert!(msg.contains("/nonexistent/tropescope/review.txt"), "{msg}");
    }

    #[test]
    #[allow(clippy::print_stderr)] // the note that says why the test did nothing
    fn seed_001_is_a_wordpress_post() {
        let path =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/seeds/001_feff2f9f25c87e2e.txt");
        if !path.exists() {
            eprintln!("note: {} not found; skipping", path.display());
            return;
        }
        let articles = read_path(&path, InputFormat::Auto).expect("seed 001 decodes");
        assert_eq!(articles.len(), 1);
        let a = &articles[0];
        let title = "Why Head Over Heels is the most grown-up romance of the year";
        assert_eq!(a.title.as_deref(), Some(title));
        assert!(a.text.starts_with(&format!("{title}\n\n")), "{}", a.text);
        assert!(a.text.contains("love triangles, accidental kisses"));
        for json in ["{\"", "\"rendered\"", "<p", "</", "&#", "\\u"] {
            assert!(!a.text.contains(json), "text holds {json:?}");
        }
        // The post's tags and excerpt are metadata, not body prose.
        assert!(!a.text.contains("\"tags\""));
    }

    fn markup_soup() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            Just("<".to_string()),
            Just("&".to_string()),
            Just("{".to_string()),
            Just("[".to_string()),
            Just("\"content\":{\"rendered\":\"".to_string()),
            Just("<script>".to_string()),
            Just("</p>".to_string()),
            Just("<svg>".to_string()),
            Just("<title>".to_string()),
            Just("&#x".to_string()),
            Just("<!--".to_string()),
            Just("<template>".to_string()),
            Just("<math>".to_string()),
            Just("<plaintext>".to_string()),
            Just("<pre>".to_string()),
            Just("<h1>".to_string()),
            Just("</title>".to_string()),
            Just("<![CDATA[".to_string()),
            Just("<br/>".to_string()),
            Just("\r".to_string()),
            "\\PC{0,8}",
        ];
        prop::collection::vec(piece, 0..40).prop_map(|v| v.concat())
    }

    proptest! {
        #[test]
        fn decode_never_panics_on_bytes(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
            for format in InputFormat::ALL {
                let _ = decode(&bytes, format, "p");
            }
        }

        #[test]
        fn decode_never_panics_on_markup(text in markup_soup()) {
            for format in InputFormat::ALL {
                if let Ok(articles) = decode(text.as_bytes(), format, "p.txt") {
                    for a in articles {
                        prop_assert!(!a.text.trim().is_empty());
                        prop_assert!(!a.text.contains('\r'));
                    }
                }
            }
        }
    }
}
