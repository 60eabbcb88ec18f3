//! Which format a document is: the file extension first, then the content.
//!
//! The rules are few and written down so a user can predict them (and override them with
//! `--input-format`): `.html`/`.htm`/`.xhtml` are HTML, `.json` is WordPress, `.md` and
//! `.markdown` are Markdown. Any other name (`.txt`, no extension, "record 17") is judged by
//! its content: JSON holding a post's `content.rendered` is WordPress, markup is HTML, and
//! everything else is text.

use std::path::Path;

use serde_json::Value;

use super::{wordpress, InputFormat};

/// How far into a document to look for HTML tags.
const HTML_PROBE_LEN: usize = 4 * 1024;

/// Tags whose presence near the start makes a document HTML.
const HTML_TAGS: &[&str] = &[
    "a",
    "article",
    "b",
    "blockquote",
    "body",
    "br",
    "div",
    "em",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "hr",
    "html",
    "i",
    "img",
    "li",
    "meta",
    "ol",
    "p",
    "script",
    "section",
    "span",
    "strong",
    "style",
    "table",
    "td",
    "title",
    "tr",
    "ul",
];

/// A format decision, carrying the parsed JSON when sniffing had to parse it anyway.
#[derive(Debug)]
pub(crate) enum Detected {
    Text,
    Html,
    /// WordPress, not yet parsed (by extension, or JSON that looks like a post but is malformed).
    WordPress,
    /// WordPress, already parsed into a post or an array of posts.
    WordPressParsed(Value),
}

/// Choose a format from the file extension (if any) and the content.
///
/// ```
/// use tropescope::input::{sniff, InputFormat};
///
/// assert_eq!(sniff("review.htm", b"plain words"), InputFormat::Html);
/// assert_eq!(sniff("review.txt", b"<!DOCTYPE html><p>hi</p>"), InputFormat::Html);
/// assert_eq!(sniff("-", b"{\"content\": {\"rendered\": \"<p>hi</p>\"}}"), InputFormat::WordPress);
/// assert_eq!(sniff("notes", b"no markup here"), InputFormat::Text);
/// ```
pub fn sniff(name: &str, bytes: &[u8]) -> InputFormat {
    if let Some(format) = by_extension(name) {
        return format;
    }
    // Judge invalid UTF-8 by its valid prefix; decoding will report the bad byte.
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(err) => std::str::from_utf8(&bytes[..err.valid_up_to()]).unwrap_or_default(),
    };
    match by_content(text.strip_prefix('\u{feff}').unwrap_or(text)) {
        Detected::Text => InputFormat::Text,
        Detected::Html => InputFormat::Html,
        Detected::WordPress | Detected::WordPressParsed(_) => InputFormat::WordPress,
    }
}

/// The format of `text` (BOM already removed) named `name`, for decoding.
pub(crate) fn detect(name: &str, text: &str) -> Detected {
    match by_extension(name) {
        Some(InputFormat::Html) => Detected::Html,
        Some(InputFormat::WordPress) => Detected::WordPress,
        Some(_) => Detected::Text,
        None => by_content(text),
    }
}

fn by_extension(name: &str) -> Option<InputFormat> {
    let extension = Path::new(name).extension()?.to_str()?.to_ascii_lowercase();
    match extension.as_str() {
        "html" | "htm" | "xhtml" => Some(InputFormat::Html),
        "json" => Some(InputFormat::WordPress),
        "md" | "markdown" => Some(InputFormat::Markdown),
        _ => None,
    }
}

fn by_content(text: &str) -> Detected {
    let start = text.trim_start();
    if start.starts_with(['{', '[']) {
        match serde_json::from_str::<Value>(start) {
            Ok(value) if wordpress::is_post(&value) => return Detected::WordPressParsed(value),
            Ok(_) => {}
            // Broken JSON that was meant to be a post: say where it broke rather than
            // analysing braces and quotes as prose.
            Err(_) if memchr::memmem::find(start.as_bytes(), b"\"content\"").is_some() => {
                return Detected::WordPress
            }
            Err(_) => {}
        }
    }
    if looks_like_html(start) {
        Detected::Html
    } else {
        Detected::Text
    }
}

/// A doctype or `<html` at the start, or a common tag in the first few KiB.
fn looks_like_html(start: &str) -> bool {
    let mut end = start.len().min(HTML_PROBE_LEN);
    while !start.is_char_boundary(end) {
        end -= 1;
    }
    let probe = &start.as_bytes()[..end];
    if starts_with_ignore_case(probe, b"<!doctype") || starts_with_ignore_case(probe, b"<html") {
        return true;
    }
    memchr::memchr_iter(b'<', probe).any(|at| {
        let after = &probe[at + 1..];
        let after = after.strip_prefix(b"/").unwrap_or(after);
        HTML_TAGS.iter().any(|tag| {
            starts_with_ignore_case(after, tag.as_bytes())
                && matches!(
                    after.get(tag.len()),
                    Some(b'>' | b'/' | b' ' | b'\t' | b'\n' | b'\r')
                )
        })
    })
}

fn starts_with_ignore_case(haystack: &[u8], prefix: &[u8]) -> bool {
    haystack.len() >= prefix.len() && haystack[..prefix.len()].eq_ignore_ascii_case(prefix)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extension_decides_first() {
        assert_eq!(sniff("a.html", b"plain"), InputFormat::Html);
        assert_eq!(sniff("dir/a.HTM", b"plain"), InputFormat::Html);
        assert_eq!(sniff("a.xhtml", b"plain"), InputFormat::Html);
        assert_eq!(sniff("a.json", b"plain"), InputFormat::WordPress);
        assert_eq!(sniff("a.md", b"<p>x</p>"), InputFormat::Markdown);
        assert_eq!(sniff("a.markdown", b"x"), InputFormat::Markdown);
    }

    #[test]
    fn other_names_are_judged_by_content() {
        assert_eq!(sniff("a.txt", b"just prose"), InputFormat::Text);
        assert_eq!(sniff("-", b"just prose"), InputFormat::Text);
        assert_eq!(sniff("record 17", b"just prose"), InputFormat::Text);
    }

    #[test]
    fn doctype_and_tags_mean_html() {
        assert_eq!(
            sniff("a.txt", b"\xef\xbb\xbf  <!DOCTYPE html>"),
            InputFormat::Html
        );
        assert_eq!(sniff("a.txt", b"<HTML lang=en>"), InputFormat::Html);
        assert_eq!(sniff("a.txt", b"Some words.<br>More."), InputFormat::Html);
        assert_eq!(sniff("a.txt", b"x <div class=y>z</div>"), InputFormat::Html);
        assert_eq!(sniff("a.txt", b"x</p>"), InputFormat::Html);
    }

    #[test]
    fn angle_brackets_in_prose_are_not_html() {
        assert_eq!(
            sniff("a.txt", b"a < b and <3 and <pre-order>"),
            InputFormat::Text
        );
    }

    #[test]
    fn tags_after_the_probe_are_not_looked_at() {
        let mut text = "word ".repeat(1000).into_bytes();
        text.extend_from_slice(b"<p>late</p>");
        assert_eq!(sniff("a.txt", &text), InputFormat::Text);
    }

    #[test]
    fn wordpress_json_in_a_txt_file() {
        let post = br#"  {"id": 1, "content": {"rendered": "<p>x</p>"}}"#;
        assert_eq!(sniff("a.txt", post), InputFormat::WordPress);
        let posts = br#"[{"content": {"rendered": "x"}}, {"other": 1}]"#;
        assert_eq!(sniff("a.txt", posts), InputFormat::WordPress);
    }

    #[test]
    fn other_json_in_a_txt_file_is_text() {
        assert_eq!(sniff("a.txt", br#"{"text": "hello"}"#), InputFormat::Text);
        assert_eq!(sniff("a.txt", b"[Spoilers] a review"), InputFormat::Text);
    }

    #[test]
    fn broken_post_json_is_still_wordpress() {
        let broken = br#"{"content": {"rendered": "x"}"#;
        assert_eq!(sniff("a.txt", broken), InputFormat::WordPress);
    }

    #[test]
    fn invalid_utf8_is_judged_by_its_valid_prefix() {
        assert_eq!(sniff("a.txt", b"<p>ok</p>\xff"), InputFormat::Html);
    }
}
