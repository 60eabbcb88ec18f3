//! HTML -> prose, with html5ever's tokenizer and a streaming sink.
//!
//! No tree is built: the sink sees tags and text in document order and keeps only a few
//! counters, so a page of 100,000 nested `<div>`s costs no more than a flat one and nothing
//! recurses. The tokenizer does the hard parts (entities, raw-text `<script>` and `<style>`,
//! malformed markup); the sink decides what is prose and where paragraphs break.

use std::cell::RefCell;

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};
use html5ever::TokenizerResult;

/// Input is fed to the tokenizer in pieces of about this many bytes, so that no single
/// tendril (whose length is a `u32`) has to hold a huge document.
const CHUNK_LEN: usize = 1 << 20;

/// The prose of an HTML page or fragment.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct HtmlText {
    /// `<title>`, else the first `<h1>`; whitespace collapsed, never empty.
    pub(crate) title: Option<String>,
    /// The visible text: paragraphs separated by one blank line, lines trimmed, runs of
    /// whitespace collapsed to one space, no leading or trailing whitespace.
    pub(crate) body: String,
}

/// Extracts the title and the visible text of `html`.
pub(crate) fn to_text(html: &str) -> HtmlText {
    breaks_only(html).unwrap_or_else(|| tokenized(html))
}

/// The text of a fragment whose only markup is line breaks (`<br>`, `<br/>`, `<br />`, any
/// case) and which holds no character reference and no NUL, read without the tokenizer:
/// the same [`State`] sees the same text runs and breaks the tokenizer would give it. Most
/// reviews of a scraped corpus are such fragments (IMDB's are text with `<br />`), and the
/// tokenizer, which copies every run into a tendril, was a tenth of a batch run. `None` for
/// anything else.
fn breaks_only(html: &str) -> Option<HtmlText> {
    if memchr::memchr2(b'&', 0, html.as_bytes()).is_some() {
        return None;
    }
    let mut state = State::default();
    let mut rest = html;
    while let Some(at) = memchr::memchr(b'<', rest.as_bytes()) {
        let tag = &rest.as_bytes()[at..];
        let len = [&b"<br>"[..], b"<br/>", b"<br />"]
            .iter()
            .find(|t| {
                tag.get(..t.len())
                    .is_some_and(|b| b.eq_ignore_ascii_case(t))
            })
            .map(|t| t.len())?;
        if at > 0 {
            state.text(&rest[..at]);
        }
        state.line_break();
        rest = &rest[at + len..];
    }
    if !rest.is_empty() {
        state.text(rest);
    }
    Some(state.finish())
}

/// Extracts the title and the visible text of `html` with html5ever's tokenizer.
fn tokenized(html: &str) -> HtmlText {
    let tokenizer = Tokenizer::new(Sink::default(), TokenizerOpts::default());
    let queue = BufferQueue::default();
    let mut rest = html;
    while !rest.is_empty() {
        let mut at = rest.len().min(CHUNK_LEN);
        while !rest.is_char_boundary(at) {
            at -= 1;
        }
        let (chunk, tail) = rest.split_at(at);
        rest = tail;
        queue.push_back(StrTendril::from_slice(chunk));
        // The sink never asks for a script to run, so `feed` always consumes the queue;
        // the loop only guards against that changing.
        while let TokenizerResult::Script(()) = tokenizer.feed(&queue) {}
    }
    tokenizer.end();
    tokenizer.sink.state.into_inner().finish()
}

/// Elements whose start and end tags are paragraph breaks.
fn is_block(name: &str) -> bool {
    matches!(
        name,
        "address"
            | "article"
            | "aside"
            | "blockquote"
            | "body"
            | "caption"
            | "center"
            | "dd"
            | "details"
            | "dialog"
            | "dir"
            | "div"
            | "dl"
            | "dt"
            | "fieldset"
            | "figcaption"
            | "figure"
            | "footer"
            | "form"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "header"
            | "hgroup"
            | "hr"
            | "html"
            | "legend"
            | "li"
            | "listing"
            | "main"
            | "menu"
            | "nav"
            | "ol"
            | "p"
            | "plaintext"
            | "pre"
            | "section"
            | "summary"
            | "table"
            | "tbody"
            | "td"
            | "tfoot"
            | "th"
            | "thead"
            | "tr"
            | "ul"
            | "xmp"
    )
}

/// Elements whose text content the tokenizer must read as raw text (no tags inside), and how.
fn raw_kind(name: &str) -> Option<RawKind> {
    match name {
        "script" => Some(RawKind::ScriptData),
        "style" | "xmp" | "iframe" | "noembed" | "noframes" | "noscript" => Some(RawKind::Rawtext),
        "title" | "textarea" => Some(RawKind::Rcdata),
        _ => None,
    }
}

/// Raw-text elements whose content is not prose.
fn is_dropped_raw(name: &str) -> bool {
    matches!(
        name,
        "script" | "style" | "iframe" | "noembed" | "noframes" | "noscript" | "textarea"
    )
}

/// Elements whose whole subtree is not prose (markup inside them is still tokenized).
fn is_dropped_container(name: &str) -> bool {
    matches!(
        name,
        "template" | "svg" | "math" | "select" | "video" | "audio" | "canvas" | "object"
    )
}

/// Elements allowed in `<head>`; any other start tag ends it, as in a browser.
fn is_head_element(name: &str) -> bool {
    matches!(
        name,
        "base"
            | "basefont"
            | "bgsound"
            | "link"
            | "meta"
            | "noscript"
            | "script"
            | "style"
            | "template"
            | "title"
    )
}

#[derive(Default)]
struct Sink {
    state: RefCell<State>,
}

/// Where the character tokens currently go.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
enum Raw {
    /// Ordinary markup.
    #[default]
    None,
    /// Inside a raw-text element whose content is thrown away; ends at the next end tag.
    Drop,
    /// Inside the first `<title>`; ends at the next end tag.
    Title,
}

#[derive(Default)]
struct State {
    out: String,
    /// Breaks owed before the next visible character: 0, 1 (`\n`) or 2 (`\n\n`).
    pending_break: u8,
    /// A space is owed before the next visible character on the same line.
    pending_space: bool,
    raw: Raw,
    /// The outermost dropped container and how deeply it nests in itself.
    dropped: Option<(String, usize)>,
    in_head: bool,
    /// How many `<pre>` elements are open: inside one, newlines are kept as line breaks.
    pre_depth: usize,
    title: Option<String>,
    /// The first `<h1>`'s text while it is read, then kept once complete.
    h1: Option<String>,
    reading_h1: bool,
}

impl TokenSink for Sink {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        self.state.borrow_mut().token(token)
    }

    fn adjusted_current_node_present_but_not_in_html_namespace(&self) -> bool {
        // Lets `<![CDATA[..]]>` inside <svg>/<math> be read as CDATA (and then dropped).
        self.state.borrow().in_foreign()
    }
}

impl State {
    fn token(&mut self, token: Token) -> TokenSinkResult<()> {
        match token {
            Token::CharacterTokens(text) => self.text(&text),
            Token::TagToken(tag) => {
                let name: &str = &tag.name;
                match tag.kind {
                    TagKind::StartTag => return self.start_tag(name, tag.self_closing),
                    TagKind::EndTag => self.end_tag(name),
                }
            }
            Token::NullCharacterToken
            | Token::CommentToken(_)
            | Token::DoctypeToken(_)
            | Token::EOFToken
            | Token::ParseError(_) => {}
        }
        TokenSinkResult::Continue
    }

    fn in_foreign(&self) -> bool {
        matches!(&self.dropped, Some((name, _)) if name == "svg" || name == "math")
    }

    fn start_tag(&mut self, name: &str, self_closing: bool) -> TokenSinkResult<()> {
        if let Some((outer, depth)) = &mut self.dropped {
            let foreign = outer == "svg" || outer == "math";
            if outer == name && !(foreign && self_closing) {
                *depth += 1;
            }
            // Inside SVG/MathML the tokenizer stays in its normal state, as a browser's does.
            return match raw_kind(name) {
                Some(kind) if !foreign => {
                    self.raw = Raw::Drop;
                    TokenSinkResult::RawData(kind)
                }
                _ => TokenSinkResult::Continue,
            };
        }
        if self.in_head && !is_head_element(name) {
            self.in_head = false;
        }
        match name {
            "head" => self.in_head = true,
            "title" => {
                self.raw = if self.title.is_none() {
                    self.title = Some(String::new());
                    Raw::Title
                } else {
                    Raw::Drop
                };
                return TokenSinkResult::RawData(RawKind::Rcdata);
            }
            "plaintext" => {
                self.paragraph_break();
                return TokenSinkResult::Plaintext;
            }
            "br" => self.line_break(),
            "pre" | "listing" => {
                self.pre_depth += 1;
                self.paragraph_break();
            }
            "h1" if self.h1.is_none() => {
                self.h1 = Some(String::new());
                self.reading_h1 = true;
                self.paragraph_break();
            }
            _ if is_dropped_container(name) => {
                // Void-looking `<svg/>` has no content; other elements ignore the slash.
                let foreign = name == "svg" || name == "math";
                if !(foreign && self_closing) {
                    self.dropped = Some((name.to_string(), 1));
                }
            }
            _ if is_block(name) => self.paragraph_break(),
            _ => {}
        }
        match raw_kind(name) {
            Some(kind) => {
                if is_dropped_raw(name) {
                    self.raw = Raw::Drop;
                }
                TokenSinkResult::RawData(kind)
            }
            None => TokenSinkResult::Continue,
        }
    }

    fn end_tag(&mut self, name: &str) {
        // In a raw-text state the tokenizer only emits the matching end tag.
        match std::mem::take(&mut self.raw) {
            Raw::None => {}
            Raw::Drop | Raw::Title => return,
        }
        if let Some((outer, depth)) = &mut self.dropped {
            if outer == name {
                *depth -= 1;
                if *depth == 0 {
                    self.dropped = None;
                }
            }
            return;
        }
        match name {
            "head" => self.in_head = false,
            "br" => self.line_break(),
            "pre" | "listing" => {
                self.pre_depth = self.pre_depth.saturating_sub(1);
                self.paragraph_break();
            }
            "h1" if self.reading_h1 => {
                self.reading_h1 = false;
                self.paragraph_break();
            }
            _ if is_block(name) => self.paragraph_break(),
            _ => {}
        }
    }

    fn text(&mut self, text: &str) {
        match self.raw {
            Raw::Drop => return,
            Raw::Title => {
                if let Some(title) = &mut self.title {
                    title.push_str(text);
                }
                return;
            }
            Raw::None => {}
        }
        if self.dropped.is_some() {
            return;
        }
        if self.in_head {
            if text.chars().all(char::is_whitespace) {
                return;
            }
            // Stray text ends the head, as it does in a browser.
            self.in_head = false;
        }
        if self.reading_h1 {
            if let Some(h1) = &mut self.h1 {
                h1.push_str(text);
            }
        }
        if self.pre_depth == 0 {
            // Outside `<pre>` every run of whitespace is one space: the text between its
            // first and last visible character is copied in as few pieces as it has runs
            // that are not a single ASCII space.
            let body = text.trim_start_matches(char::is_whitespace);
            if body.len() < text.len() {
                self.pending_space = true;
            }
            let trimmed = body.trim_end_matches(char::is_whitespace);
            if !trimmed.is_empty() {
                self.visible("");
                push_collapsed(&mut self.out, trimmed);
            }
            if trimmed.len() < body.len() {
                self.pending_space = true;
            }
            return;
        }
        // Runs of visible characters are written whole: only whitespace needs a look at
        // each character.
        let mut rest = text;
        while !rest.is_empty() {
            let visible = rest.find(char::is_whitespace).unwrap_or(rest.len());
            if visible > 0 {
                self.visible(&rest[..visible]);
            }
            let space = rest[visible..]
                .find(|c: char| !c.is_whitespace())
                .map_or(rest.len(), |n| visible + n);
            for c in rest[visible..space].chars() {
                if c == '\n' && self.pre_depth > 0 {
                    self.pending_break = (self.pending_break + 1).min(2);
                } else {
                    self.pending_space = true;
                }
            }
            rest = &rest[space..];
        }
    }

    /// Writes visible characters, preceded by whatever break or space is owed.
    fn visible(&mut self, run: &str) {
        if !self.out.is_empty() {
            match self.pending_break {
                0 if self.pending_space => self.out.push(' '),
                0 => {}
                1 => self.out.push('\n'),
                _ => self.out.push_str("\n\n"),
            }
        }
        self.pending_break = 0;
        self.pending_space = false;
        self.out.push_str(run);
    }

    fn paragraph_break(&mut self) {
        self.pending_break = 2;
        if self.reading_h1 {
            if let Some(h1) = &mut self.h1 {
                h1.push(' ');
            }
        }
    }

    fn line_break(&mut self) {
        self.pending_break = (self.pending_break + 1).min(2);
        if self.reading_h1 {
            if let Some(h1) = &mut self.h1 {
                h1.push(' ');
            }
        }
    }

    fn finish(self) -> HtmlText {
        let title = [self.title, self.h1]
            .into_iter()
            .flatten()
            .map(|t| collapse_whitespace(&t))
            .find(|t| !t.is_empty());
        HtmlText {
            title,
            body: self.out,
        }
    }
}

/// Append `text` (which starts and ends with a visible character) with each run of
/// whitespace made one space. ASCII is scanned a byte at a time; a lone ASCII space, by far
/// the commonest run, is copied with the words around it.
fn push_collapsed(out: &mut String, text: &str) {
    let b = text.as_bytes();
    // Most runs of text are already collapsed (ASCII, single spaces): vector searches say
    // so faster than the loop below can.
    if b.is_ascii()
        && memchr::memchr3(b'\t', b'\n', b'\r', b).is_none()
        && memchr::memchr2(0x0B, 0x0C, b).is_none()
        && memchr::memmem::find(b, b"  ").is_none()
    {
        out.push_str(text);
        return;
    }
    let space_at = |i: usize| -> usize {
        // The length of the whitespace character at `i`, or 0 (also past the end).
        match b.get(i).copied().unwrap_or(b'x') {
            b'\t' | b'\n' | 0x0B | 0x0C | b'\r' | b' ' => 1,
            c if c < 0x80 => 0,
            _ => text[i..]
                .chars()
                .next()
                .filter(|c| c.is_whitespace())
                .map_or(0, char::len_utf8),
        }
    };
    let (mut start, mut i) = (0, 0);
    while i < b.len() {
        let c = b[i];
        if c > b' ' && c < 0x80 {
            i += 1;
            continue;
        }
        let n = space_at(i);
        if n == 0 {
            // A visible character outside ASCII.
            i += text[i..].chars().next().map_or(1, char::len_utf8);
            continue;
        }
        if c == b' ' && space_at(i + 1) == 0 {
            i += 1;
            continue;
        }
        out.push_str(&text[start..i]);
        out.push(' ');
        i += n;
        while i < b.len() {
            match space_at(i) {
                0 => break,
                n => i += n,
            }
        }
        start = i;
    }
    out.push_str(&text[start..]);
}

/// Every run of whitespace becomes one space; the ends are trimmed.
pub(crate) fn collapse_whitespace(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    use proptest::strategy::Strategy;

    proptest::proptest! {
        /// Collapsing a trimmed text's whitespace in pieces gives what splitting it at
        /// every whitespace character and joining with one space gives.
        #[test]
        fn whitespace_collapses_like_split_and_join(
            s in "[a-zé \t\n\r\u{b}\u{c}\u{a0}\u{85}\u{2003}\u{3000}.]{0,40}"
        ) {
            let t = s.trim_matches(char::is_whitespace);
            let mut out = String::new();
            super::push_collapsed(&mut out, t);
            let want = t.split(char::is_whitespace).filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ");
            proptest::prop_assert_eq!(out, want);
        }

        /// A fragment read without the tokenizer reads as it does through it; anything the
        /// short cut does not handle goes to the tokenizer.
        #[test]
        fn fragments_of_text_and_line_breaks_read_as_the_tokenizer_reads_them(
            pieces in proptest::collection::vec(proptest::prop_oneof![
                "[a-zé \t\n\r\u{b}\u{c}\u{1}\u{a0}\u{2003}.<>/&;]{0,12}",
                proptest::sample::select(vec![
                    "<br />", "<br/>", "<br>", "<BR />", "<Br>", "</br>", "<br  />", "<brx>",
                    "<b>", "<p>", "<", "&amp;", "\0", "\r\n", "<br /", "<!-- -->",
                ]).prop_map(str::to_string),
            ], 0..12)
        ) {
            let html = pieces.concat();
            if let Some(fast) = breaks_only(&html) {
                proptest::prop_assert_eq!(fast, tokenized(&html), "{:?}", html);
            }
        }
    }

    #[test]
    fn review_text_with_line_breaks_takes_the_short_cut() {
        let html = "Great show.<br /><br />The leads  talk.<BR>No wedding.<br/>";
        let fast = breaks_only(html).expect("only line breaks");
        assert_eq!(fast.body, "Great show.\n\nThe leads talk.\nNo wedding.");
        assert_eq!(fast, tokenized(html));
        for other in ["a &amp; b", "a <b>bold</b>", "a <br", "a\0b", "<brx>"] {
            assert!(breaks_only(other).is_none(), "{other}");
        }
    }

    fn body(html: &str) -> String {
        to_text(html).body
    }

    #[test]
    fn entities_are_decoded() {
        assert_eq!(
            body("<p>Tom &amp; Jerry&#8217;s &ldquo;chaebol&rdquo; &#x2014; &nbsp;done &zzbogus;</p>"),
            "Tom & Jerry\u{2019}s \u{201c}chaebol\u{201d} \u{2014} done &zzbogus;"
        );
    }

    #[test]
    fn scripts_are_dropped() {
        assert_eq!(
            body("<p>before</p><script>if (a < b) { document.write('<p>no</p>') }</script><p>after</p>"),
            "before\n\nafter"
        );
    }

    #[test]
    fn styles_and_noscript_are_dropped() {
        assert_eq!(
            body(
                "<style>p > a { color: red }</style>kept<noscript><p>enable js</p></noscript> text"
            ),
            "kept text"
        );
    }

    #[test]
    fn svg_and_template_are_dropped() {
        assert_eq!(
            body("a<svg><title>icon</title><svg><text>x</text></svg><![CDATA[<p>]]></svg> b<template><p>t</p></template> c"),
            "a b c"
        );
    }

    #[test]
    fn self_closing_svg_drops_nothing_after_it() {
        assert_eq!(body("<p>a<svg/> b</p>"), "a b");
    }

    #[test]
    fn head_content_is_dropped_but_title_kept() {
        let page = to_text(
            "<!DOCTYPE html><html><head><meta charset=utf-8><title> The  title </title>\
             <link rel=x><style>b{}</style></head><body><p>Body</p></body></html>",
        );
        assert_eq!(page.title.as_deref(), Some("The title"));
        assert_eq!(page.body, "Body");
    }

    #[test]
    fn block_elements_break_paragraphs() {
        assert_eq!(
            body("<div>one<p>two</p>three</div><ul><li>four</li><li>five</li></ul><h2>six</h2><table><tr><td>seven</td><td>eight</td></tr></table>"),
            "one\n\ntwo\n\nthree\n\nfour\n\nfive\n\nsix\n\nseven\n\neight"
        );
    }

    #[test]
    fn br_is_a_line_break() {
        assert_eq!(body("<p>one<br>two<br/>three</p>"), "one\ntwo\nthree");
        assert_eq!(body("one<br><br><br><br>two"), "one\n\ntwo");
    }

    #[test]
    fn inline_elements_do_not_break() {
        assert_eq!(
            body("<p>an <em>over</em><strong>used</strong> <a href='#'>trope</a></p>"),
            "an overused trope"
        );
    }

    #[test]
    fn whitespace_collapses_and_lines_are_trimmed() {
        assert_eq!(
            body("\n  <p>  many \t\n  spaces\u{a0} here  </p>\n\n\n   <p>\n next </p>  \n"),
            "many spaces here\n\nnext"
        );
    }

    #[test]
    fn pre_keeps_line_breaks() {
        assert_eq!(
            body("<pre>line one\n  line two\n\n\n\nend</pre>"),
            "line one\nline two\n\nend"
        );
    }

    #[test]
    fn comments_are_dropped() {
        assert_eq!(body("a<!-- <p>hidden</p> -->b"), "ab");
    }

    #[test]
    fn first_h1_is_the_title_when_there_is_no_title_element() {
        let page = to_text("<p>intro</p><h1>First <em>big</em><br>heading</h1><h1>Second</h1>");
        assert_eq!(page.title.as_deref(), Some("First big heading"));
    }

    #[test]
    fn title_element_wins_over_h1() {
        let page = to_text("<h1>Heading</h1><title>Title &amp; more</title>");
        assert_eq!(page.title.as_deref(), Some("Title & more"));
    }

    #[test]
    fn empty_title_falls_back_to_h1() {
        let page = to_text("<title>  </title><h1>Heading</h1>");
        assert_eq!(page.title.as_deref(), Some("Heading"));
    }

    #[test]
    fn unclosed_markup_still_yields_text() {
        assert_eq!(body("<p>one<p>two <b>bold <i>both"), "one\n\ntwo bold both");
        assert_eq!(body("<div class=\"x"), "");
        assert_eq!(body("text <"), "text <");
    }

    #[test]
    fn deep_nesting_does_not_overflow_the_stack() {
        let depth = 100_000;
        let mut html = String::with_capacity(depth * 11 + 16);
        for _ in 0..depth {
            html.push_str("<div>");
        }
        html.push_str("deep text");
        for _ in 0..depth {
            html.push_str("</div>");
        }
        assert_eq!(body(&html), "deep text");
    }

    #[test]
    fn big_input_is_fed_in_chunks() {
        let word = "caf\u{e9} ";
        let html = word.repeat(CHUNK_LEN / 3);
        let text = body(&html);
        assert_eq!(text.len(), html.len() - 1);
    }
}
