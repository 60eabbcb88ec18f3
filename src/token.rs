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

/// Split `text` into tokens. Whitespace is dropped; every span slices `text`.
pub fn tokenize(text: &str) -> Vec<Token> {
    let mut tokens = Vec::with_capacity(text.len() / 5);
    tokenize_into(text, &mut tokens);
    tokens
}

/// [`tokenize`] into a reused buffer (cleared first): the batch hot path allocates nothing.
///
/// Text made of ASCII, Latin-1 letters and the common typographic marks (curly quotes and
/// apostrophes, en and em dashes, the ellipsis, the no-break space), which is nearly all
/// review text, takes a fast path that applies the same UAX #29 rules with those
/// characters' classes; it gives exactly the tokens of the general path (property tests
/// check it on arbitrary strings). Any other text takes the general path.
///
/// On top of UAX #29, one tailoring: a full stop followed by a space and a lower-case word
/// also ends a sentence ("it's NOT cute. he checks her phone"), as fans write without
/// capitals, unless the word before the stop is an abbreviation ("ep. 4", "e.g. the").
pub fn tokenize_into(text: &str, tokens: &mut Vec<Token>) {
    tokens.clear();
    if fast::supports(text) {
        fast::tokenize_into(text, tokens);
    } else {
        tokenize_unicode(text, tokens);
    }
    split_lowercase_sentences(text, tokens);
}

/// Abbreviations after which a full stop does not end a sentence before a lower-case word.
const ABBREVIATIONS: &[&str] = &[
    "e.g", "i.e", "etc", "vs", "cf", "ep", "eps", "approx", "ca", "mr", "mrs", "ms", "dr", "st",
    "no", "vol", "ch",
];

/// The tailoring of [`tokenize_into`]: renumber sentences after "word. lowercase".
fn split_lowercase_sentences(text: &str, tokens: &mut [Token]) {
    let mut extra = 0u32;
    for i in 1..tokens.len() {
        let boundary = i >= 2 && {
            let (word, stop, next) = (&tokens[i - 2], &tokens[i - 1], &tokens[i]);
            stop.kind == TokenKind::Stop
                && stop.text(text) == "."
                // `stop` is renumbered already, `next` not yet.
                && stop.sentence == next.sentence + extra
                && word.kind == TokenKind::Word
                && word.end == stop.start
                && next.kind == TokenKind::Word
                && next.start > stop.end
                && next.text(text).starts_with(|c: char| c.is_lowercase())
                && word.text(text).chars().count() >= 2
                && !ABBREVIATIONS
                    .iter()
                    .any(|a| word.text(text).eq_ignore_ascii_case(a))
        };
        if boundary {
            extra += 1;
        }
        tokens[i].sentence += extra;
    }
}

/// The general path: `unicode-segmentation`'s sentence and word boundaries.
fn tokenize_unicode(text: &str, tokens: &mut Vec<Token>) {
    let mut words = 0u32;
    for (sentence, (base, s)) in text.split_sentence_bound_indices().enumerate() {
        for (i, w) in s.split_word_bound_indices() {
            push_segment(tokens, s, base, i, w.len(), sentence as u32, &mut words);
        }
    }
}

/// Classify the word segment `sentence[at..at + len]` and push it unless it is whitespace.
#[inline]
fn push_segment(
    tokens: &mut Vec<Token>,
    sentence: &str,
    base: usize,
    at: usize,
    len: usize,
    number: u32,
    words: &mut u32,
) {
    let Some(kind) = classify(&sentence[at..at + len], sentence, at) else {
        return;
    };
    tokens.push(Token {
        start: base + at,
        end: base + at + len,
        kind,
        sentence: number,
        word: *words,
    });
    if kind == TokenKind::Word {
        *words += 1;
    }
}

/// UAX #29 sentence and word boundaries for the characters of [`supports`], ported rule for
/// rule from the `unicode-segmentation` state machines with those characters' rows of its
/// property tables.
mod fast {
    use super::{classify, Token, TokenKind};

    /// Sentence_Break classes of the ASCII characters.
    #[derive(Clone, Copy, PartialEq, Eq)]
    enum Sb {
        Other,
        Cr,
        Lf,
        Sp,
        Lower,
        Upper,
        Numeric,
        ATerm,
        STerm,
        Close,
        SContinue,
    }

    /// Word_Break classes of the ASCII characters.
    #[derive(Clone, Copy, PartialEq, Eq)]
    enum Wb {
        Other,
        Cr,
        Lf,
        Newline,
        Space,
        Letter,
        Numeric,
        MidLetter,
        MidNum,
        MidNumLet,
        SingleQuote,
        DoubleQuote,
        ExtendNumLet,
    }

    const fn sb(b: u8) -> Sb {
        match b {
            b'\t' | 0x0b | 0x0c | b' ' => Sb::Sp,
            b'\n' => Sb::Lf,
            b'\r' => Sb::Cr,
            b'!' | b'?' => Sb::STerm,
            b'"' | b'\'' | b'(' | b')' | b'[' | b']' | b'{' | b'}' => Sb::Close,
            b',' | b'-' | b':' | b';' => Sb::SContinue,
            b'.' => Sb::ATerm,
            b'0'..=b'9' => Sb::Numeric,
            b'A'..=b'Z' => Sb::Upper,
            b'a'..=b'z' => Sb::Lower,
            _ => Sb::Other,
        }
    }

    const fn wb(b: u8) -> Wb {
        match b {
            b'\n' => Wb::Lf,
            0x0b | 0x0c => Wb::Newline,
            b'\r' => Wb::Cr,
            b' ' => Wb::Space,
            b'"' => Wb::DoubleQuote,
            b'\'' => Wb::SingleQuote,
            b',' | b';' => Wb::MidNum,
            b'.' => Wb::MidNumLet,
            b':' => Wb::MidLetter,
            b'0'..=b'9' => Wb::Numeric,
            b'A'..=b'Z' | b'a'..=b'z' => Wb::Letter,
            b'_' => Wb::ExtendNumLet,
            _ => Wb::Other,
        }
    }

    const SB: [Sb; 128] = {
        let mut t = [Sb::Other; 128];
        let mut i = 0;
        while i < 128 {
            t[i] = sb(i as u8);
            i += 1;
        }
        t
    };

    const WB: [Wb; 128] = {
        let mut t = [Wb::Other; 128];
        let mut i = 0;
        while i < 128 {
            t[i] = wb(i as u8);
            i += 1;
        }
        t
    };

    /// The classes and UTF-8 length of the character at `b[i]`, for the characters the
    /// fast path takes; `None` for any other.
    #[inline]
    fn class_at(b: &[u8], i: usize) -> Option<(Sb, Wb, usize)> {
        let c = b[i];
        if c < 0x80 {
            return Some((SB[c as usize], WB[c as usize], 1));
        }
        match (c, b.get(i + 1).copied(), b.get(i + 2).copied()) {
            // U+00A0 no-break space.
            (0xc2, Some(0xa0), _) => Some((Sb::Sp, Wb::Other, 2)),
            // U+00C0..U+00FF but × and ÷: letters, upper case up to U+00DE.
            (0xc3, Some(d), _) if (0x80..=0xbf).contains(&d) && d != 0x97 && d != 0xb7 => {
                let sb = if d <= 0x9e { Sb::Upper } else { Sb::Lower };
                Some((sb, Wb::Letter, 2))
            }
            (0xe2, Some(0x80), Some(d)) => match d {
                // – —
                0x93 | 0x94 => Some((Sb::SContinue, Wb::Other, 3)),
                // ‘ ’
                0x98 | 0x99 => Some((Sb::Close, Wb::MidNumLet, 3)),
                // “ ”
                0x9c | 0x9d => Some((Sb::Close, Wb::Other, 3)),
                // …
                0xa6 => Some((Sb::Other, Wb::Other, 3)),
                _ => None,
            },
            _ => None,
        }
    }

    /// Whether every character of `text` is one the fast path takes.
    pub(super) fn supports(text: &str) -> bool {
        let b = text.as_bytes();
        let mut i = 0;
        while i < b.len() {
            if b[i] < 0x80 {
                i += 1;
                continue;
            }
            match class_at(b, i) {
                Some((_, _, len)) => i += len,
                None => return false,
            }
        }
        true
    }

    /// [`class_at`] for text already checked by [`supports`].
    #[inline]
    fn class(b: &[u8], i: usize) -> (Sb, Wb, usize) {
        class_at(b, i).unwrap_or((Sb::Other, Wb::Other, 1))
    }

    /// The parts of the sentence state machine's memory (last four classes, runs folded).
    #[derive(Clone, Copy, PartialEq, Eq)]
    enum Part {
        Sot,
        Other,
        Cr,
        Lf,
        ATerm,
        UpperLower,
        ClosePlus,
        SpPlus,
        STerm,
    }

    #[derive(Clone, Copy)]
    struct State([Part; 4]);

    impl State {
        fn next(self, cat: Sb) -> State {
            let p = self.0;
            match (p[3], cat) {
                (Part::ClosePlus, Sb::Close) | (Part::SpPlus, Sb::Sp) => self,
                _ => State([
                    p[1],
                    p[2],
                    p[3],
                    match cat {
                        Sb::Cr => Part::Cr,
                        Sb::Lf => Part::Lf,
                        Sb::ATerm => Part::ATerm,
                        Sb::Upper | Sb::Lower => Part::UpperLower,
                        Sb::Close => Part::ClosePlus,
                        Sb::Sp => Part::SpPlus,
                        Sb::STerm => Part::STerm,
                        _ => Part::Other,
                    },
                ]),
            }
        }

        /// SB8: ATerm Close* Sp* × (¬(OLetter|Upper|Lower|ParaSep|SATerm))* Lower.
        fn sb8(self, ahead: &[u8]) -> bool {
            let p = self.0;
            let mut i = if p[3] == Part::SpPlus { 2 } else { 3 };
            if p[i] == Part::ClosePlus {
                i -= 1;
            }
            if p[i] != Part::ATerm {
                return false;
            }
            let mut i = 0;
            while i < ahead.len() {
                let (sb, _, len) = class(ahead, i);
                match sb {
                    Sb::Lower => return true,
                    Sb::Upper | Sb::Cr | Sb::Lf | Sb::STerm | Sb::ATerm => return false,
                    _ => {}
                }
                i += len;
            }
            false
        }

        /// SB8a's left side: SATerm Close* Sp*.
        fn sb8a(self) -> bool {
            let p = self.0;
            let mut i = if p[3] == Part::SpPlus { 2 } else { 3 };
            if p[i] == Part::ClosePlus {
                i -= 1;
            }
            matches!(p[i], Part::STerm | Part::ATerm)
        }

        /// SB9's left side: SATerm Close*.
        fn sb9(self) -> bool {
            let p = self.0;
            let i = if p[3] == Part::ClosePlus { 2 } else { 3 };
            matches!(p[i], Part::STerm | Part::ATerm)
        }

        /// SB11's left side: SATerm Close* Sp* ParaSep?.
        fn sb11(self) -> bool {
            let p = self.0;
            let mut i = if matches!(p[3], Part::Cr | Part::Lf) {
                2
            } else {
                3
            };
            if p[i] == Part::SpPlus {
                i -= 1;
            }
            if p[i] == Part::ClosePlus {
                i -= 1;
            }
            matches!(p[i], Part::STerm | Part::ATerm)
        }
    }

    /// Whether there is a sentence break before `b[pos]`, given the state before it.
    #[inline]
    fn breaks_before(before: State, cat: Sb, b: &[u8], pos: usize) -> bool {
        let last = before.0[3];
        if last == Part::Sot {
            return true;
        }
        if cat == Sb::Lf && last == Part::Cr {
            return false;
        }
        if matches!(last, Part::Cr | Part::Lf) {
            return true;
        }
        if cat == Sb::Numeric && last == Part::ATerm {
            return false;
        }
        if cat == Sb::Upper && before.0[2] == Part::UpperLower && last == Part::ATerm {
            return false;
        }
        if before.sb8(&b[pos..]) {
            return false;
        }
        if matches!(cat, Sb::SContinue | Sb::STerm | Sb::ATerm) && before.sb8a() {
            return false;
        }
        if matches!(cat, Sb::Close | Sb::Sp | Sb::Cr | Sb::Lf) && before.sb9() {
            return false;
        }
        if matches!(cat, Sb::Sp | Sb::Cr | Sb::Lf) && before.sb8a() {
            return false;
        }
        before.sb11()
    }

    /// End of the word segment that starts at `start` (UAX #29 word rules).
    #[inline]
    fn word_end(b: &[u8], start: usize) -> usize {
        let n = b.len();
        let (_, first, len) = class(b, start);
        let mut state = match first {
            Wb::Cr => {
                return if b.get(start + 1) == Some(&b'\n') {
                    start + 2
                } else {
                    start + 1
                }
            }
            Wb::Space => {
                let mut i = start + 1;
                while i < n && b[i] == b' ' {
                    i += 1;
                }
                return i;
            }
            c @ (Wb::Letter | Wb::Numeric | Wb::ExtendNumLet) => c,
            _ => return start + len,
        };
        let mut i = start + len;
        while i < n {
            let (_, cat, len) = class(b, i);
            let next = || (i + len < n).then(|| class(b, i + len).1);
            state = match (state, cat) {
                (_, Wb::Letter) => Wb::Letter,
                (_, Wb::Numeric) => Wb::Numeric,
                (_, Wb::ExtendNumLet) => Wb::ExtendNumLet,
                (Wb::Letter, Wb::MidLetter | Wb::MidNumLet | Wb::SingleQuote)
                    if next() == Some(Wb::Letter) =>
                {
                    i += len;
                    Wb::Letter
                }
                (Wb::Numeric, Wb::MidNum | Wb::MidNumLet | Wb::SingleQuote)
                    if next() == Some(Wb::Numeric) =>
                {
                    i += len;
                    Wb::Numeric
                }
                _ => return i,
            };
            i += class(b, i).2;
        }
        n
    }

    /// Whether an ASCII byte is `char::is_whitespace`.
    #[inline]
    fn is_space(b: u8) -> bool {
        matches!(b, b'\t' | b'\n' | 0x0b | 0x0c | b'\r' | b' ')
    }

    /// [`super::classify`] for a segment of ASCII `s` at `at` of `len` bytes.
    #[inline]
    fn kind(s: &[u8], at: usize, len: usize) -> Option<TokenKind> {
        Some(match s[at] {
            b'0'..=b'9' | b'A'..=b'Z' | b'a'..=b'z' => TokenKind::Word,
            c if is_space(c) => return None,
            b',' => TokenKind::Comma,
            b';' => TokenKind::Semicolon,
            b':' => TokenKind::Colon,
            b'-' => {
                let spaced = |c: Option<&u8>| c.map_or(true, |&c| is_space(c));
                let before = at.checked_sub(1).and_then(|i| s.get(i));
                if spaced(before) || spaced(s.get(at + len)) || s[at..].starts_with(b"--") {
                    TokenKind::Dash
                } else {
                    TokenKind::Hyphen
                }
            }
            b'(' | b')' | b'[' | b']' => TokenKind::Paren,
            b'?' => TokenKind::Question,
            b'.' | b'!' => TokenKind::Stop,
            _ => TokenKind::Other,
        })
    }

    /// Word tokens of the sentence `text[from..to]`.
    fn sentence(
        text: &str,
        ascii: bool,
        (from, to): (usize, usize),
        number: u32,
        words: &mut u32,
        tokens: &mut Vec<Token>,
    ) {
        let st = &text[from..to];
        let s = st.as_bytes();
        let mut at = 0;
        while at < s.len() {
            let end = word_end(s, at);
            // A hyphen's neighbours may be other characters than ASCII ones: the general
            // classifier decides then, as it does for every character that is not ASCII.
            let kind = if ascii || (s[at] < 0x80 && s[at] != b'-') {
                kind(s, at, end - at)
            } else {
                classify(&st[at..end], st, at)
            };
            if let Some(kind) = kind {
                tokens.push(Token {
                    start: from + at,
                    end: from + end,
                    kind,
                    sentence: number,
                    word: *words,
                });
                if kind == TokenKind::Word {
                    *words += 1;
                }
            }
            at = end;
        }
    }

    /// Tokenise `text` (which [`supports`] takes) into `tokens`.
    pub(super) fn tokenize_into(text: &str, tokens: &mut Vec<Token>) {
        let b = text.as_bytes();
        let ascii = text.is_ascii();
        let mut words = 0u32;
        let mut number = 0u32;
        let mut start = 0usize;
        let mut state = State([Part::Sot; 4]);
        let mut pos = 0;
        while pos < b.len() {
            let (cat, _, len) = class(b, pos);
            let before = state;
            state = state.next(cat);
            // After a letter or an ordinary character no rule can break (the common case).
            if !matches!(before.0[3], Part::Other | Part::UpperLower | Part::Sot)
                && breaks_before(before, cat, b, pos)
            {
                sentence(text, ascii, (start, pos), number, &mut words, tokens);
                number += 1;
                start = pos;
            }
            pos += len;
        }
        if !b.is_empty() {
            sentence(text, ascii, (start, b.len()), number, &mut words, tokens);
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
            let spaced = |c: Option<char>| c.map_or(true, char::is_whitespace);
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
    fn full_stop_before_lower_case_ends_a_sentence() {
        let t = toks("it is NOT cute. he checks her phone");
        assert_eq!(t.iter().find(|t| t.0 == "he").unwrap().2, 1);
        // Every such stop, not only the first of a text.
        let t = toks("so cute. he waits. she runs. they meet");
        let sentence = |w: &str| t.iter().find(|t| t.0 == w).unwrap().2;
        assert_eq!(
            ["so", "he", "she", "they"].map(sentence),
            [0, 1, 2, 3],
            "{t:?}"
        );
        // Not after an abbreviation, not after an ellipsis.
        for text in [
            "see ep. 4 for it",
            "tropes, e.g. the wrist grab",
            "the writers just... gave him",
        ] {
            assert_eq!(toks(text).last().unwrap().2, 0, "{text}");
        }
    }

    #[test]
    fn empty_and_whitespace() {
        assert!(tokenize("").is_empty());
        assert!(tokenize(" \n\t ").is_empty());
    }

    #[test]
    fn ascii_path_agrees_on_tricky_text() {
        for s in [
            "Mr. Smith met Dr. Jones. they talked.",
            "It's 3.14, or 1,000; e.g. \"quoted.\" (Yes!) Next?  No...",
            "a.b a:b a'b 1.2 1,2 1;2 a_b _x x_ 3a a3 \r\n\r\n\n\t\x0b\x0c end",
            "wrist-grab - again -- done. 'Quote' \"x\"",
            ".",
            "..",
            " ",
            "a",
            "A.B.",
            "etc.) the",
            "U.S.A. Then",
        ] {
            let mut unicode = Vec::new();
            tokenize_unicode(s, &mut unicode);
            split_lowercase_sentences(s, &mut unicode);
            assert_eq!(tokenize(s), unicode, "{s:?}");
        }
    }

    proptest::proptest! {
        /// The ASCII fast path gives exactly the tokens of unicode-segmentation.
        #[test]
        fn ascii_fast_path_is_exact(s in "[ -~\t\n\r\x0b\x0c]{0,80}|[aAz.,;:'\"!?() \n\r0-9_-]{0,80}") {
            let mut unicode = Vec::new();
            tokenize_unicode(&s, &mut unicode);
            split_lowercase_sentences(&s, &mut unicode);
            proptest::prop_assert_eq!(tokenize(&s), unicode);
        }

        /// Text mixing ASCII with the other characters the fast path takes (and a few it
        /// does not) agrees exactly with unicode-segmentation.
        #[test]
        fn fast_path_with_typography_is_exact(s in "[aZé É.,;:'\"!? \n0-9_\\-\u{a0}\u{2013}\u{2014}\u{2018}\u{2019}\u{201c}\u{201d}\u{2026}ÿß×\u{ad}\u{301}]{0,60}") {
            let mut unicode = Vec::new();
            tokenize_unicode(&s, &mut unicode);
            split_lowercase_sentences(&s, &mut unicode);
            proptest::prop_assert_eq!(tokenize(&s), unicode);
        }

        /// Any string at all (the fast path only takes some) agrees too.
        #[test]
        fn dispatch_agrees_on_any_string(s in "\\PC{0,60}|[\\x00-\\x7f]{0,60}") {
            let mut unicode = Vec::new();
            tokenize_unicode(&s, &mut unicode);
            split_lowercase_sentences(&s, &mut unicode);
            proptest::prop_assert_eq!(tokenize(&s), unicode);
        }

        #[test]
        fn any_string_tokenises_and_spans_slice(s in "\\PC*") {
            for t in tokenize(&s) {
                proptest::prop_assert!(s.get(t.span()).is_some());
                proptest::prop_assert!(t.start < t.end);
            }
        }
    }
}
