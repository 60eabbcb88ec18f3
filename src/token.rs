//! Tokenise: text → [`Token`]s with byte spans, sentence numbers and word ordinals.
//!
//! Boundaries are Unicode's (UAX #29 words and sentences, from `unicode-segmentation`).
//! A token never rewrites the text: its span points into the decoded article, and the
//! normalised form used for matching (lower case, typographic apostrophes folded, Snowball
//! stem) is computed beside it by [`normalize_word`] and [`Stemmer`]. The matcher caches
//! stems per distinct word, so the tokeniser itself only finds boundaries.

use std::borrow::Cow;
use std::ops::Range;

use unicode_segmentation::UnicodeSegmentation;

/// What a token is. Words carry the signal; punctuation shapes context scopes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TokenKind {
    /// A word or number (starts with a letter or digit).
    Word,
    /// `,`
    Comma,
    /// `;`
    Semicolon,
    /// `:`
    Colon,
    /// An em or en dash, or a hyphen standing between spaces: often opens a new clause.
    Dash,
    /// A hyphen inside a compound ("wrist-grab"): no break for matching.
    Hyphen,
    /// `(`, `)`, `[`, `]`.
    Paren,
    /// `?`
    Question,
    /// `!` and `.` and other sentence-final marks.
    Stop,
    /// Quotes, apostrophes and everything else.
    Other,
}

/// One token of an article: where it is, what it is, which sentence it belongs to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Token {
    /// Byte offset of the first byte in the article text.
    pub start: usize,
    /// Byte offset one past the last byte.
    pub end: usize,
    /// Word or punctuation kind.
    pub kind: TokenKind,
    /// 0-based sentence number.
    pub sentence: u32,
    /// Number of word tokens before this one (so word distances ignore punctuation).
    pub word: u32,
}

impl Token {
    /// The span as a range, for slicing the article text.
    pub fn span(&self) -> Range<usize> {
        self.start..self.end
    }

    /// The token's text.
    pub fn text<'t>(&self, text: &'t str) -> &'t str {
        &text[self.start..self.end]
    }
}

/// The sentences of a text, as byte ranges, in order (UAX #29 sentence boundaries).
pub fn sentences(text: &str) -> Vec<Range<usize>> {
    text.split_sentence_bound_indices()
        .map(|(i, s)| i..i + s.len())
        .collect()
}

/// Split `text` into tokens. Whitespace is dropped; every span slices `text`.
pub fn tokenize(text: &str) -> Vec<Token> {
    let mut tokens = Vec::with_capacity(text.len() / 5);
    tokenize_into(text, &mut tokens);
    tokens
}

/// [`tokenize`] into a reused buffer (cleared first): the batch hot path allocates nothing.
pub fn tokenize_into(text: &str, tokens: &mut Vec<Token>) {
    tokens.clear();
    let mut words = 0u32;
    for (sentence, (base, s)) in text.split_sentence_bound_indices().enumerate() {
        let sentence = sentence as u32;
        for (i, w) in s.split_word_bound_indices() {
            let Some(kind) = classify(w, s, i) else {
                continue;
            };
            tokens.push(Token {
                start: base + i,
                end: base + i + w.len(),
                kind,
                sentence,
                word: words,
            });
            if kind == TokenKind::Word {
                words += 1;
            }
        }
    }
}

/// The kind of one UAX #29 word segment, or `None` for whitespace.
fn classify(seg: &str, sentence: &str, at: usize) -> Option<TokenKind> {
    let mut chars = seg.chars();
    let c = chars.next()?;
    if c.is_alphanumeric() {
        return Some(TokenKind::Word);
    }
    if c.is_whitespace() {
        return None;
    }
    Some(match c {
        ',' | '、' | '，' => TokenKind::Comma,
        ';' => TokenKind::Semicolon,
        ':' => TokenKind::Colon,
        '—' | '–' | '―' => TokenKind::Dash,
        '-' | '‐' | '‑' => {
            // A hyphen with space on either side is a dash; inside a compound it joins.
            let before = sentence[..at].chars().next_back();
            let after = sentence[at + seg.len()..].chars().next();
            let spaced = |c: Option<char>| c.is_none_or(char::is_whitespace);
            if spaced(before) || spaced(after) || sentence[at..].starts_with("--") {
                TokenKind::Dash
            } else {
                TokenKind::Hyphen
            }
        }
        '(' | ')' | '[' | ']' => TokenKind::Paren,
        '?' => TokenKind::Question,
        '.' | '!' | '…' => TokenKind::Stop,
        _ if c.is_alphabetic() || c.is_numeric() => TokenKind::Word,
        _ => TokenKind::Other,
    })
}

/// Lower-case `word` and fold typographic apostrophes into `'`, writing into `out`.
///
/// This is the form patterns are written in; it is what gets stemmed.
pub fn normalize_word(word: &str, out: &mut String) {
    out.clear();
    if word.is_ascii() {
        out.push_str(word);
        out.make_ascii_lowercase();
        return;
    }
    for c in word.chars() {
        match c {
            '\u{2019}' | '\u{2018}' | '\u{02BC}' | '\u{FF07}' => out.push('\''),
            c => out.extend(c.to_lowercase()),
        }
    }
}

/// The Snowball English stemmer, shared by patterns and text so both meet in one form.
pub struct Stemmer(rust_stemmers::Stemmer);

impl Default for Stemmer {
    fn default() -> Self {
        Stemmer::new()
    }
}

impl Stemmer {
    /// The English stemmer.
    pub fn new() -> Stemmer {
        Stemmer(rust_stemmers::Stemmer::create(
            rust_stemmers::Algorithm::English,
        ))
    }

    /// The stem of a normalised (lower-case) word.
    pub fn stem<'w>(&self, word: &'w str) -> Cow<'w, str> {
        // Possessive and contracted forms keep their apostrophe in the stem; fold a
        // trailing "'s" here so "drama's" meets "drama".
        let word = word.strip_suffix("'s").unwrap_or(word);
        self.0.stem(word)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (text, kind, sentence, word ordinal) for every token.
    fn toks(text: &str) -> Vec<(&str, TokenKind, u32, u32)> {
        tokenize(text)
            .into_iter()
            .map(|t| (&text[t.span()], t.kind, t.sentence, t.word))
            .collect()
    }

    #[test]
    fn words_and_punctuation_with_spans() {
        use TokenKind::*;
        assert_eq!(
            toks("He grabs her wrist, again."),
            vec![
                ("He", Word, 0, 0),
                ("grabs", Word, 0, 1),
                ("her", Word, 0, 2),
                ("wrist", Word, 0, 3),
                (",", Comma, 0, 4),
                ("again", Word, 0, 4),
                (".", Stop, 0, 5),
            ]
        );
    }

    #[test]
    fn hyphen_in_compound_joins_spaced_hyphen_is_dash() {
        let kinds: Vec<_> = toks("wrist-grab - again")
            .into_iter()
            .map(|t| t.1)
            .collect();
        use TokenKind::*;
        assert_eq!(kinds, vec![Word, Hyphen, Word, Dash, Word]);
    }

    #[test]
    fn sentences_are_numbered() {
        let t = toks("No amnesia. Gone are the triangles! Really?");
        let last = t.last().unwrap();
        assert_eq!(last.2, 2);
    }

    #[test]
    fn typographic_apostrophe_stays_in_word_and_normalises() {
        let t = toks("doesn’t");
        assert_eq!(t.len(), 1);
        let mut out = String::new();
        normalize_word(t[0].0, &mut out);
        assert_eq!(out, "doesn't");
    }

    #[test]
    fn stems_meet() {
        let s = Stemmer::new();
        assert_eq!(s.stem("grabbing"), s.stem("grab"));
        assert_eq!(s.stem("triangles"), s.stem("triangle"));
        assert_eq!(s.stem("drama's"), s.stem("drama"));
    }

    #[test]
    fn empty_and_whitespace() {
        assert!(tokenize("").is_empty());
        assert!(tokenize(" \n\t ").is_empty());
    }

    proptest::proptest! {
        #[test]
        fn any_string_tokenises_and_spans_slice(s in "\\PC*") {
            for t in tokenize(&s) {
                proptest::prop_assert!(s.get(t.span()).is_some());
                proptest::prop_assert!(t.start < t.end);
            }
        }
    }
}
