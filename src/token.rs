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

/// How many words `tokens` hold (the last token's ordinal, plus one if it is a word).
pub fn word_count(tokens: &[Token]) -> u32 {
    tokens
        .last()
        .map_or(0, |t| t.word + u32::from(t.kind == TokenKind::Word))
}

/// [`tokenize`] into a reused buffer (cleared first): the batch hot path allocates nothing.
///
/// Text made of ASCII, the Latin-1 supplement (but the soft hyphen, ©, ® and the cedilla)
/// and the common typographic marks (curly quotes and apostrophes, en and em dashes, the
/// ellipsis), which is nearly all review text (all but 9 of 22,571 IMDB reviews), takes a
/// fast path that applies the same UAX #29 rules with those characters' classes in one pass;
/// it gives exactly the tokens of the general path (property tests check it on arbitrary
/// strings, review-like text and the corpus). On reaching any other character it gives up
/// and the general path tokenises the whole text.
///
/// On top of UAX #29, one tailoring: a full stop followed by a space and a lower-case word
/// also ends a sentence ("it's NOT cute. he checks her phone"), as fans write without
/// capitals, unless the word before the stop is an abbreviation ("ep. 4", "e.g. the").
pub fn tokenize_into(text: &str, tokens: &mut Vec<Token>) {
    tokens.clear();
    if !fast::tokenize_into(text, tokens) {
        tokens.clear();
        tokenize_unicode(text, tokens);
        split_lowercase_sentences(text, tokens);
    }
}

/// Abbreviations after which a full stop does not end a sentence before a lower-case word.
const ABBREVIATIONS: &[&str] = &[
    "e.g", "i.e", "etc", "vs", "cf", "ep", "eps", "approx", "ca", "mr", "mrs", "ms", "dr", "st",
    "no", "vol", "ch",
];

/// Whether `word` is one of [`ABBREVIATIONS`], in any case.
fn is_abbreviation(word: &[u8]) -> bool {
    ABBREVIATIONS
        .iter()
        .any(|a| word.eq_ignore_ascii_case(a.as_bytes()))
}

/// The tailoring of [`tokenize_into`]: renumber sentences after "word. lowercase".
///
/// The stop and the next word must be in one UAX #29 sentence. The stop is renumbered
/// already and the word not yet, so the word's number plus the splits so far is compared.
/// (Until 2026-11-22 the splits were added on both sides, so only a text's first such stop
/// split; the fast path has the same test, `fast::lowercase_split`.)
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
                && !is_abbreviation(word.text(text).as_bytes())
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

/// UAX #29 sentence and word boundaries for the characters of `class_at`, ported rule for
/// rule from the `unicode-segmentation` state machines with those characters' rows of its
/// property tables, and run in one pass that does only the work a rule can need.
///
/// The pass goes segment by segment, not character by character: a byte table says what a
/// segment is, a word is scanned eight bytes at a time, and the sentence state machine
/// advances once a segment. Sentence rules run only where one could break (after a
/// terminator or a paragraph separator), which is once or twice a sentence; a word that
/// follows a word one space apart, the common case, takes a fast track past all of it.
mod fast {
    /// A lookup table of `f(byte)` for the first `n` byte values, built at compile time.
    macro_rules! table {
        ($init:expr; $n:literal, $f:ident) => {{
            let mut t = [$init; $n];
            let mut i = 0;
            while i < $n {
                t[i] = $f(i as u8);
                i += 1;
            }
            t
        }};
    }

    use super::{Token, TokenKind};

    /// Sentence_Break classes of the ASCII characters.
    #[derive(Clone, Copy, PartialEq, Eq)]
    enum Sb {
        Other,
        Cr,
        Lf,
        /// Next line (U+0085): a paragraph separator like LF, but not after CR (SB3).
        Sep,
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

    const SB: [Sb; 128] = table!(Sb::Other; 128, sb);

    const WB: [Wb; 128] = table!(Wb::Other; 128, wb);

    /// The classes and UTF-8 length of the character at `b[i]`, for the characters the
    /// fast path takes; `None` for any other.
    #[inline]
    fn class_at(b: &[u8], i: usize) -> Option<(Sb, Wb, usize)> {
        let c = b[i];
        if c < 0x80 {
            return Some((SB[c as usize], WB[c as usize], 1));
        }
        match (c, b.get(i + 1).copied(), b.get(i + 2).copied()) {
            // U+0080..U+00BF: C1 controls (the Windows-1252 dashes and quotes of mojibake
            // text), signs and symbols, with their rows of the property tables. Not taken:
            // the soft hyphen (Format, which WB4 and SB5 skip), © and ® (Extended_Pictographic)
            // and the cedilla (a word letter but no sentence letter).
            (0xc2, Some(d), _) if (0x80..=0xbf).contains(&d) => match d {
                // Next line: a paragraph separator.
                0x85 => Some((Sb::Sep, Wb::Newline, 2)),
                // No-break space.
                0xa0 => Some((Sb::Sp, Wb::Other, 2)),
                // ª µ º
                0xaa | 0xb5 | 0xba => Some((Sb::Lower, Wb::Letter, 2)),
                // « »
                0xab | 0xbb => Some((Sb::Close, Wb::Other, 2)),
                // Middle dot.
                0xb7 => Some((Sb::Other, Wb::MidLetter, 2)),
                0xa9 | 0xad | 0xae | 0xb8 => None,
                _ => Some((Sb::Other, Wb::Other, 2)),
            },
            // U+00C0..U+00FF but × and ÷: letters, upper case up to U+00DE.
            (0xc3, Some(d), _) if (0x80..=0xbf).contains(&d) && d != 0x97 && d != 0xb7 => {
                let sb = if d <= 0x9e { Sb::Upper } else { Sb::Lower };
                Some((sb, Wb::Letter, 2))
            }
            // × ÷
            (0xc3, Some(0x97 | 0xb7), _) => Some((Sb::Other, Wb::Other, 2)),
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

    /// [`class_at`] for lookahead: a character the fast path does not take counts as Other
    /// there (the pass gives up on reaching it).
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
                        Sb::Lf | Sb::Sep => Part::Lf,
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
                    Sb::Upper | Sb::Cr | Sb::Lf | Sb::Sep | Sb::STerm | Sb::ATerm => return false,
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
        if matches!(cat, Sb::Close | Sb::Sp | Sb::Cr | Sb::Lf | Sb::Sep) && before.sb9() {
            return false;
        }
        if matches!(cat, Sb::Sp | Sb::Cr | Sb::Lf | Sb::Sep) && before.sb8a() {
            return false;
        }
        before.sb11()
    }

    /// What the hot loop does with an ASCII byte (or that it must look at a wider character).
    ///
    /// One table lookup and one jump a segment: letters, spaces and the common marks never go
    /// through the general word and sentence rules, which only run where they can matter.
    #[derive(Clone, Copy)]
    enum Byte {
        /// A letter, digit or `_`: starts a word segment.
        Word,
        /// `' '`: a run of spaces is one segment (WB3d), dropped.
        Space,
        /// Tab, vertical tab, form feed: a one-byte segment, dropped.
        Blank,
        /// `\n`.
        Lf,
        /// `\r` (with a following `\n`, one segment).
        Cr,
        /// `-`: a hyphen or a dash, by its neighbours.
        Hyphen,
        /// Any other ASCII character: a one-byte token of this kind.
        Mark(TokenKind),
        /// The lead byte of a character beyond ASCII.
        Wide,
    }

    const fn byte(b: u8) -> Byte {
        match b {
            b'0'..=b'9' | b'A'..=b'Z' | b'a'..=b'z' | b'_' => Byte::Word,
            b' ' => Byte::Space,
            b'\t' | 0x0b | 0x0c => Byte::Blank,
            b'\n' => Byte::Lf,
            b'\r' => Byte::Cr,
            b'-' => Byte::Hyphen,
            b',' => Byte::Mark(TokenKind::Comma),
            b';' => Byte::Mark(TokenKind::Semicolon),
            b':' => Byte::Mark(TokenKind::Colon),
            b'(' | b')' | b'[' | b']' => Byte::Mark(TokenKind::Paren),
            b'?' => Byte::Mark(TokenKind::Question),
            b'.' | b'!' => Byte::Mark(TokenKind::Stop),
            0x80..=0xff => Byte::Wide,
            _ => Byte::Mark(TokenKind::Other),
        }
    }

    const BYTE: [Byte; 256] = table!(Byte::Wide; 256, byte);

    /// ASCII letters, digits and `_` (Word_Break ALetter, Numeric, ExtendNumLet): inside a
    /// run of these no word or sentence rule breaks, so the scan over them is one lookup a
    /// byte.
    const WORD_BYTE: [bool; 256] = table!(false; 256, word_byte);

    const fn word_byte(b: u8) -> bool {
        matches!(byte(b), Byte::Word)
    }

    /// Whether `b[i..]` opens with a Latin-1 letter (U+00C0..U+00FF but × and ÷; ª µ º).
    #[inline]
    fn latin1_letter(b: &[u8], i: usize) -> bool {
        match b.get(i) {
            Some(0xc3) => {
                matches!(b.get(i + 1), Some(&d) if (0x80..=0xbf).contains(&d) && d != 0x97 && d != 0xb7)
            }
            Some(0xc2) => matches!(b.get(i + 1), Some(0xaa | 0xb5 | 0xba)),
            _ => false,
        }
    }

    /// Word_Break Letter at `b[i]`: its UTF-8 length, or 0.
    #[inline]
    fn letter_len(b: &[u8], i: usize) -> usize {
        match b.get(i) {
            Some(c) if c.is_ascii_alphabetic() => 1,
            _ if latin1_letter(b, i) => 2,
            _ => 0,
        }
    }

    /// The bytes after a run of letters and digits that may continue the word segment: the
    /// joiners `.` `'` `:` `,` `;` and the lead bytes of the wider letters and joiners.
    const MAY_JOIN: [bool; 256] = {
        let mut t = [false; 256];
        let bytes = *b".':,;\xc2\xc3\xe2";
        let mut i = 0;
        while i < bytes.len() {
            t[bytes[i] as usize] = true;
            i += 1;
        }
        t
    };

    /// `b` repeated in every byte of a word.
    const fn splat(b: u8) -> u64 {
        b as u64 * 0x0101_0101_0101_0101
    }

    /// The high bit of each byte of `x` that is an ASCII letter, digit or `_` (SWAR: each byte
    /// compared with its ranges by additions that cannot carry into the next byte).
    #[inline]
    fn word_bytes(x: u64) -> u64 {
        let high = splat(0x80);
        let v = x & splat(0x7f);
        let folded = v | splat(0x20);
        let letter = (folded + splat(0x80 - b'a')) & !(folded + splat(0x7f - b'z'));
        let digit = (v + splat(0x80 - b'0')) & !(v + splat(0x7f - b'9'));
        let underscore = !((v ^ splat(b'_')) + splat(0x7f));
        (letter | digit | underscore) & !x & high
    }

    /// The end of the run of ASCII letters, digits and `_` from `i`, eight bytes at a time.
    ///
    /// A byte loop costs a mispredicted branch at the end of nearly every word (their
    /// lengths vary); here most words end inside their first eight bytes, a branch that
    /// predicts well, and the length is a count of trailing zeros.
    #[inline]
    fn word_run_end(b: &[u8], mut i: usize) -> usize {
        while let Some(chunk) = b.get(i..i + 8) {
            let x = u64::from_le_bytes(chunk.try_into().expect("eight bytes"));
            let stop = !word_bytes(x) & splat(0x80);
            if stop != 0 {
                return i + (stop.trailing_zeros() / 8) as usize;
            }
            i += 8;
        }
        while i < b.len() && WORD_BYTE[b[i] as usize] {
            i += 1;
        }
        i
    }

    /// The end of the word segment that opens at `start` with a letter, digit or `_`
    /// (UAX #29 WB5–WB13b over the fast path's characters).
    ///
    /// Letters, digits and `_` always continue a segment; a MidLetter, MidNumLet or single
    /// quote joins two letters, a MidNum, MidNumLet or single quote two digits. No sentence
    /// boundary can fall inside such a segment (Letter "." Letter is SB7 or SB8, Numeric "."
    /// Numeric SB6, and the other joiners are not terminators), so the scan may look past
    /// where the sentence rules stand. Always inlined: it runs once a word, and as a call it
    /// paid a prologue each time.
    #[inline(always)]
    fn word_end(b: &[u8], start: usize) -> usize {
        let n = b.len();
        let mut i = start;
        loop {
            i = word_run_end(b, i);
            if i == n {
                return n;
            }
            // Most words end at a space or a mark that joins nothing: one lookup.
            if !MAY_JOIN[b[i] as usize] {
                return i;
            }
            if latin1_letter(b, i) {
                i += 2;
                continue;
            }
            // `i > start`: the segment opened with a letter, digit or `_`.
            let prev = b[i - 1];
            let (mid, letters, digits) = match b[i] {
                b'.' => (1, true, true),
                b'\'' => (1, true, true),
                b':' => (1, true, false),
                // Middle dot.
                0xc2 if b.get(i + 1) == Some(&0xb7) => (2, true, false),
                b',' | b';' => (1, false, true),
                // ‘ ’
                0xe2 if b.get(i + 1) == Some(&0x80)
                    && matches!(b.get(i + 2), Some(0x98 | 0x99)) =>
                {
                    (3, true, true)
                }
                _ => return i,
            };
            let after = i + mid;
            if letters && (prev >= 0x80 || prev.is_ascii_alphabetic()) {
                match letter_len(b, after) {
                    0 => return i,
                    len => i = after + len,
                }
            } else if digits
                && prev.is_ascii_digit()
                && b.get(after).is_some_and(u8::is_ascii_digit)
            {
                i = after + 1;
            } else {
                return i;
            }
        }
    }

    /// Whether an ASCII byte is `char::is_whitespace`.
    #[inline]
    fn is_space(b: u8) -> bool {
        matches!(b, b'\t' | b'\n' | 0x0b | 0x0c | b'\r' | b' ')
    }

    /// [`super::classify`] of the hyphen at `b[at]`: a dash when white space (or the text's
    /// edge) is on either side or another hyphen follows, else a hyphen inside a compound.
    ///
    /// The general classifier looks at the neighbours within the sentence; a sentence never
    /// starts at a hyphen except after a paragraph separator (SB8a), which is white space, and
    /// never ends after one, so the neighbours in the whole text give the same answer. The
    /// only white space beyond ASCII the fast path takes is the no-break space.
    #[inline]
    fn hyphen(b: &[u8], at: usize) -> TokenKind {
        let wide_space = |c: &[u8]| c == [0xc2, 0xa0] || c == [0xc2, 0x85];
        let before = at == 0 || is_space(b[at - 1]) || wide_space(&b[at.saturating_sub(2)..at]);
        let rest = &b[at + 1..];
        let after = rest.first().is_none_or(|&c| is_space(c) || c == b'-')
            || rest.get(..2).is_some_and(wide_space);
        if before || after {
            TokenKind::Dash
        } else {
            TokenKind::Hyphen
        }
    }

    /// Whether `b[at..]` opens with a lower-case letter (`char::is_lowercase` over the fast
    /// path's letters: a–z, U+00DF..U+00FF but ÷, and ª µ º).
    #[inline]
    fn lower_at(b: &[u8], at: usize) -> bool {
        match b[at] {
            b'a'..=b'z' => true,
            0xc3 => b.get(at + 1).is_some_and(|&d| d >= 0x9f && d != 0xb7),
            0xc2 => true,
            _ => false,
        }
    }

    /// The tailoring of [`super::tokenize_into`] at a word that opens with a lower-case letter
    /// and would be numbered `sentence` (its UAX #29 sentence plus the splits so far):
    /// whether "word. " before it ends a sentence.
    ///
    /// The same test as [`super::split_lowercase_sentences`], made as the tokens are pushed:
    /// no split happens between the stop and this word, so the stop is in the same UAX #29
    /// sentence exactly when its stored number is `sentence`.
    #[inline]
    fn lowercase_split(b: &[u8], tokens: &[Token], start: usize, sentence: u32) -> bool {
        let [.., word, stop] = tokens else {
            return false;
        };
        stop.kind == TokenKind::Stop
            && stop.end == stop.start + 1
            && b[stop.start] == b'.'
            && stop.sentence == sentence
            && word.kind == TokenKind::Word
            && word.end == stop.start
            && start > stop.end
            && {
                let w = &b[word.start..word.end];
                let chars = w.iter().filter(|&&c| (c as i8) >= -0x40).count();
                chars >= 2 && !super::is_abbreviation(w)
            }
    }

    /// The sentence state after a word segment ending at `end`: "after a letter" or "after an
    /// ordinary character" (a digit or `_`). No rule looks back past such a character (SB7
    /// looks one back from a full stop, the others back over closing marks and spaces to a
    /// terminator), so the state before the word is forgotten.
    #[inline]
    fn after_word(b: &[u8], end: usize) -> State {
        let last = b[end - 1];
        let part = if last >= 0x80 || last.is_ascii_alphabetic() {
            Part::UpperLower
        } else {
            Part::Other
        };
        State([Part::Other, Part::Other, Part::Other, part])
    }

    /// Whether any rule may break a sentence before the next character: only SB4 (after a
    /// paragraph separator) and SB11 (after a terminator, closing marks and spaces) break, so
    /// where neither left side holds, the other rules need not be tried.
    #[inline]
    fn may_break(st: State) -> bool {
        match st.0[3] {
            Part::Other | Part::UpperLower => false,
            Part::Cr | Part::Lf => true,
            _ => st.sb11(),
        }
    }

    /// [`word_run_end`] from the start, for the tests.
    #[cfg(test)]
    pub(super) fn word_run_end_for_test(b: &[u8]) -> usize {
        word_run_end(b, 0)
    }

    /// Tokenise `text` into `tokens` (with the lower-case tailoring applied), or return `false`
    /// on reaching a character the fast path does not take (the tokens are then unfinished).
    ///
    /// One pass, segment by segment: a word segment is scanned in a tight loop, the sentence
    /// state advances once a segment (a word leaves it "after a letter" or "after an ordinary
    /// character", all that any rule looks back at), and the sentence rules run only where one
    /// could break.
    pub(super) fn tokenize_into(text: &str, tokens: &mut Vec<Token>) -> bool {
        let b = text.as_bytes();
        let n = b.len();
        let mut words = 0u32;
        // The UAX #29 sentence, and the sentences the tailoring split before it.
        let (mut raw, mut extra) = (0u32, 0u32);
        // The start of text never breaks (no sentence before it) and no rule looks back past
        // it: it acts as an ordinary character.
        let mut st = State([Part::Other; 4]);
        let mut pos = 0;
        while pos < n {
            let c = b[pos];
            if may_break(st) {
                let cat = if c < 0x80 {
                    SB[c as usize]
                } else {
                    match class_at(b, pos) {
                        Some((cat, _, _)) => cat,
                        None => return false,
                    }
                };
                if breaks_before(st, cat, b, pos) {
                    raw += 1;
                }
            }
            let (kind, end) = match BYTE[c as usize] {
                Byte::Word => {
                    if c >= b'a' && c != b'_' && lowercase_split(b, tokens, pos, raw + extra) {
                        extra += 1;
                    }
                    // The fast track: words that one space apart follow each other. After
                    // "word " no sentence rule can break (no terminator to look back to), and
                    // the tailoring cannot split before a word that follows a word.
                    let mut start = pos;
                    let mut first = c;
                    loop {
                        let end = word_end(b, start);
                        let kind = if first == b'_' {
                            TokenKind::Other
                        } else {
                            TokenKind::Word
                        };
                        tokens.push(Token {
                            start,
                            end,
                            kind,
                            sentence: raw + extra,
                            word: words,
                        });
                        words += (kind == TokenKind::Word) as u32;
                        match b.get(end..end + 2) {
                            Some(&[b' ', next]) if WORD_BYTE[next as usize] => {
                                start = end + 1;
                                first = next;
                            }
                            _ => {
                                st = after_word(b, end);
                                pos = end;
                                break;
                            }
                        }
                    }
                    continue;
                }
                Byte::Space => {
                    st = st.next(Sb::Sp);
                    pos += 1;
                    while pos < n && b[pos] == b' ' {
                        pos += 1;
                    }
                    continue;
                }
                Byte::Mark(kind) => {
                    st = st.next(SB[c as usize]);
                    (kind, pos + 1)
                }
                Byte::Blank => {
                    st = st.next(Sb::Sp);
                    pos += 1;
                    continue;
                }
                Byte::Lf => {
                    st = st.next(Sb::Lf);
                    pos += 1;
                    continue;
                }
                Byte::Cr => {
                    st = st.next(Sb::Cr);
                    pos += 1;
                    // SB3: CR × LF, and one word segment (WB3).
                    if b.get(pos) == Some(&b'\n') {
                        st = st.next(Sb::Lf);
                        pos += 1;
                    }
                    continue;
                }
                Byte::Hyphen => {
                    st = st.next(Sb::SContinue);
                    (hyphen(b, pos), pos + 1)
                }
                Byte::Wide => {
                    let Some((cat, wb, len)) = class_at(b, pos) else {
                        return false;
                    };
                    if wb == Wb::Letter {
                        let end = word_end(b, pos);
                        st = after_word(b, end);
                        if lower_at(b, pos) && lowercase_split(b, tokens, pos, raw + extra) {
                            extra += 1;
                        }
                        (TokenKind::Word, end)
                    } else {
                        st = st.next(cat);
                        let kind = match (len, b[pos + len - 1]) {
                            // No-break space, next line.
                            (2, 0xa0 | 0x85) => {
                                pos += len;
                                continue;
                            }
                            // ¹ ² ³ ¼ ½ ¾: numbers, so words to `char::is_alphanumeric`.
                            (2, 0xb2 | 0xb3 | 0xb9 | 0xbc | 0xbd | 0xbe) if c == 0xc2 => {
                                TokenKind::Word
                            }
                            // – —
                            (3, 0x93 | 0x94) => TokenKind::Dash,
                            // …
                            (3, 0xa6) => TokenKind::Stop,
                            // Quotes, apostrophes, signs and controls.
                            _ => TokenKind::Other,
                        };
                        (kind, pos + len)
                    }
                }
            };
            tokens.push(Token {
                start: pos,
                end,
                kind,
                sentence: raw + extra,
                word: words,
            });
            words += (kind == TokenKind::Word) as u32;
            pos = end;
        }
        true
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

/// Lower-case `word` and fold typographic apostrophes into `'`, writing into `out`; a
/// contraction written without its apostrophe gets it back.
///
/// This is the form patterns are written in; it is what gets stemmed.
pub fn normalize_word(word: &str, out: &mut String) {
    out.clear();
    if word.is_ascii() {
        out.push_str(word);
        out.make_ascii_lowercase();
    } else {
        for c in word.chars() {
            match c {
                '\u{2019}' | '\u{2018}' | '\u{02BC}' | '\u{FF07}' => out.push('\''),
                c => out.extend(c.to_lowercase()),
            }
        }
    }
    if let Some(full) = apostrophe(out) {
        out.clear();
        out.push_str(full);
    }
}

/// The contraction that lower-case `word` writes without its apostrophe, as comments and
/// posts write them ("it doesnt have a love triangle", "im not crying"), so the cues and
/// patterns spelled with it ("doesn't", "i'm") read them too. Only forms that are no other
/// word: "cant", "wont", "ill", "were", "well", "its", "hell", "shell" and "id" stay as
/// written.
pub(crate) fn apostrophe(word: &str) -> Option<&'static str> {
    Some(match word {
        "dont" => "don't",
        "doesnt" => "doesn't",
        "didnt" => "didn't",
        "isnt" => "isn't",
        "arent" => "aren't",
        "wasnt" => "wasn't",
        "werent" => "weren't",
        "hasnt" => "hasn't",
        "havent" => "haven't",
        "hadnt" => "hadn't",
        "couldnt" => "couldn't",
        "wouldnt" => "wouldn't",
        "shouldnt" => "shouldn't",
        "mustnt" => "mustn't",
        "neednt" => "needn't",
        "aint" => "ain't",
        "im" => "i'm",
        "ive" => "i've",
        "youre" => "you're",
        "theyre" => "they're",
        "thats" => "that's",
        "theres" => "there's",
        "whats" => "what's",
        "shes" => "she's",
        "hes" => "he's",
        _ => return None,
    })
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
    fn contractions_without_their_apostrophe_get_it_back_and_other_words_do_not() {
        let mut out = String::new();
        for (word, want) in [
            ("doesnt", "doesn't"),
            ("DONT", "don't"),
            ("Im", "i'm"),
            ("theres", "there's"),
            ("cant", "cant"),
            ("wont", "wont"),
            ("its", "its"),
            ("were", "were"),
            ("ill", "ill"),
            ("dontt", "dontt"),
        ] {
            normalize_word(word, &mut out);
            assert_eq!(out, want, "{word}");
        }
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

    /// The oracle: unicode-segmentation's boundaries with the tailoring.
    fn general(s: &str) -> Vec<Token> {
        let mut unicode = Vec::new();
        tokenize_unicode(s, &mut unicode);
        split_lowercase_sentences(s, &mut unicode);
        unicode
    }

    #[test]
    fn tailoring_is_exact_over_several_splits() {
        // Every ". lower" splits, not only a text's first (a bug until 2026-11-22), on both
        // paths alike.
        for s in [
            "it is bad. he is. she is. we are",
            "Fine. it is bad. he is.\n\nwe are. they are",
            "it is bad.\nhe is.\n\nwe are. they.\n\n\nthem",
            "no. ok. ep. so. it. is. é. àb. Éx. ßx",
            "a.b. c.d. é.f. x1. 12. ok.\u{a0}yes. ok.\u{2019} no",
        ] {
            assert_eq!(tokenize(s), general(s), "{s:?}");
        }
    }

    /// Review-like text: words (lower, capitalised, with apostrophes and inner stops),
    /// abbreviations, numbers, marks, quotes and the paragraph breaks `<br />` leaves.
    fn review_text() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        let piece = prop_oneof![
            8 => "[a-z]{1,8}",
            3 => "[A-Z][a-z]{0,6}",
            2 => proptest::sample::select(vec![
                " ", " ", " ", ". ", ", ", ".", "\n", "\n\n", "\r\n", "  ", "! ", "? ",
                "...", "\u{2026}", " - ", "-", "--", "'", "\"", "(", ")", ";", ":", "_", "\t",
                "\u{2019}", "\u{2018}", "\u{201c}", "\u{201d}", "\u{2013}", "\u{2014}",
                "\u{a0}", "é", "É", "ß", "×", "÷", "\u{85}", "\u{96}", "\u{97}", "\u{91}",
                "\u{92}", "\u{b4}", "£", "½", "²", "«", "»", "\u{b7}", "\u{b8}", "ª", "º", "µ",
                "©", "¡", "¿", "\u{301}", "\u{3000}", "e.g.", "Mr.", "etc.",
                "ep.", "U.S.", "i.e.", "no.", "don't", "it's", "3.5", "1,000", "10/10", "7",
            ]).prop_map(str::to_string),
        ];
        proptest::collection::vec(piece, 0..120).prop_map(|p| p.concat())
    }

    #[test]
    fn word_runs_are_found_eight_bytes_at_a_time() {
        // Every byte value in every position of a chunk, against the byte table.
        for v in 0..=255u8 {
            for at in 0..9 {
                let mut s = vec![b'a'; 12];
                s[at] = v;
                let expected = s
                    .iter()
                    .position(|&c| !c.is_ascii_alphanumeric() && c != b'_')
                    .unwrap_or(s.len());
                assert_eq!(fast::word_run_end_for_test(&s), expected, "{v:#x} at {at}");
            }
        }
    }

    proptest::proptest! {
        // At least 2000 cases; more with PROPTEST_CASES.
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(
            proptest::prelude::ProptestConfig::default().cases.max(2000)
        ))]

        /// Review-like text, long and with every kind of mark, agrees exactly.
        #[test]
        fn review_text_is_exact(s in review_text()) {
            proptest::prop_assert_eq!(tokenize(&s), general(&s));
        }
    }

    /// The first reviews of the IMDB corpus, when the shared corpus is there, agree exactly
    /// (`cargo test --release -- --ignored imdb`).
    #[test]
    #[ignore]
    fn imdb_corpus_is_exact() {
        use std::io::Read;
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../shared/corpora/imdb-maas2011/imdb_reviews.csv.xz"
        );
        let Ok(file) = std::fs::File::open(path) else {
            return;
        };
        let mut raw = Vec::new();
        xz2::read::XzDecoder::new(file)
            .take(40_000_000)
            .read_to_end(&mut raw)
            .unwrap();
        let mut reader = csv::Reader::from_reader(&raw[..]);
        let column = reader.headers().unwrap().iter().position(|h| h == "text");
        let mut count = 0;
        for record in reader.records().map_while(|r| r.ok()) {
            let text = &record[column.unwrap()];
            for s in [text.to_string()].into_iter().chain(
                crate::input::decode_str(text, crate::InputFormat::Auto, "r")
                    .map(|mut a| a.pop().unwrap().text),
            ) {
                assert_eq!(tokenize(&s), general(&s), "{s:?}");
                count += 1;
            }
        }
        assert!(count > 10_000);
    }

    proptest::proptest! {
        /// The ASCII fast path gives exactly the tokens of unicode-segmentation.
        #[test]
        fn ascii_fast_path_is_exact(s in "[ -~\t\n\r\x0b\x0c]{0,200}|[aAz.,;:'\"!?() \n\r0-9_-]{0,200}") {
            let mut unicode = Vec::new();
            tokenize_unicode(&s, &mut unicode);
            split_lowercase_sentences(&s, &mut unicode);
            proptest::prop_assert_eq!(tokenize(&s), unicode);
        }

        /// Text mixing ASCII with the other characters the fast path takes (and a few it
        /// does not) agrees exactly with unicode-segmentation.
        #[test]
        fn fast_path_with_typography_is_exact(s in "[aZé É.,;:'\"!? \n0-9_\\-\u{a0}\u{2013}\u{2014}\u{2018}\u{2019}\u{201c}\u{201d}\u{2026}ÿß×÷ª½²\u{85}\u{96}\u{97}\u{b4}\u{b5}\u{b7}\u{b8}\u{ab}\u{bb}\u{ad}\u{301}]{0,150}") {
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
