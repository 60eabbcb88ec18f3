//! The curator's pattern language, parsed into a small syntax tree.
//!
//! ```text
//! wrist grab                   phrase: words in order, adjacent (each word stemmed)
//! amnesi*                      prefix: any word starting with "amnesi"
//! (grab|drag|pull) wrist       alternatives at one slot; `(a|)` makes a slot optional
//! grab ~4 wrist                ordered proximity: right side within 4 words after the left
//! =missing                     exact form: this spelling only, not stemmed ("missed" no)
//! re:truck[- ]of[- ]doom       regex escape hatch, on the lower-cased text
//! !(rescues|saves) herself     absence pattern: a match says the work does without the trope
//! ```
//!
//! Hyphens are word breaks, so `wrist-grab` is the phrase `wrist grab`. Parsing is pure
//! syntax; turning words into stems and codes is [`super::compile`]'s job.

use crate::error::{Error, Result};
use crate::token::{normalize_word, tokenize, TokenKind};

/// One word position of a phrase.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Word {
    /// A word, lower-cased and normalised (stemmed at compile time).
    Exact(String),
    /// A prefix (lower-cased): matches any word that starts with it.
    Prefix(String),
    /// `=word`: this form only, lower-cased and normalised but not stemmed. For the words
    /// whose stem is shared with another sense ("missing" against "miss", "possessive"
    /// against "possess"), which used to need a `re:` pattern that scanned every text.
    Form(String),
}

/// One slot of a sequence: its alternatives, each a run of words (possibly empty).
pub type Slot = Vec<Vec<Word>>;

/// A parsed pattern.
#[derive(Clone, Debug, PartialEq)]
pub enum Pattern {
    /// A sequence of slots, optionally followed by `~N` and a second sequence.
    Seq {
        /// The left (or only) sequence.
        left: Vec<Slot>,
        /// The proximity operator's distance and right-hand sequence.
        right: Option<(u32, Vec<Slot>)>,
    },
    /// `re:` and a regular expression.
    Regex(String),
}

/// The largest number of phrases one pattern may expand to.
pub const MAX_EXPANSIONS: usize = 4096;
/// The largest distance of `~N`.
pub const MAX_DISTANCE: u32 = 30;

#[derive(Debug, PartialEq)]
enum Lex {
    Open,
    Close,
    Bar,
    Near(u32),
    Text(String),
}

fn lex(src: &str) -> Result<Vec<Lex>> {
    let mut out = Vec::new();
    let mut chars = src.char_indices().peekable();
    let mut text = String::new();
    let flush = |text: &mut String, out: &mut Vec<Lex>| {
        if !text.is_empty() {
            out.push(Lex::Text(std::mem::take(text)));
        }
    };
    while let Some((_, c)) = chars.next() {
        match c {
            '(' => {
                flush(&mut text, &mut out);
                out.push(Lex::Open);
            }
            ')' => {
                flush(&mut text, &mut out);
                out.push(Lex::Close);
            }
            '|' => {
                flush(&mut text, &mut out);
                out.push(Lex::Bar);
            }
            '~' => {
                flush(&mut text, &mut out);
                let mut digits = String::new();
                while let Some(&(_, d)) = chars.peek() {
                    if d.is_ascii_digit() {
                        digits.push(d);
                        chars.next();
                    } else {
                        break;
                    }
                }
                let n: u32 = digits.parse().map_err(|_| {
                    Error::pattern(
                        src,
                        "'~' needs a number of words right after it, like `grab ~3 wrist`",
                    )
                })?;
                if n > MAX_DISTANCE {
                    return Err(Error::pattern(
                        src,
                        format!("distance ~{n} is over the limit of {MAX_DISTANCE} words"),
                    ));
                }
                out.push(Lex::Near(n));
            }
            c if c.is_whitespace() => flush(&mut text, &mut out),
            c => text.push(c),
        }
    }
    flush(&mut text, &mut out);
    Ok(out)
}

/// Split one whitespace-free chunk into words, the way the tokeniser splits text. A chunk
/// that starts with `=` is made of exact forms (`=k-dramas` is `=k =dramas`).
fn chunk_words(src: &str, chunk: &str) -> Result<Vec<Word>> {
    if let Some(form) = chunk.strip_prefix('=') {
        if form.contains('*') || form.contains('=') {
            return Err(Error::pattern(
                src,
                format!("`{chunk}`: an exact form is plain words after one '=', like `=missing`"),
            ));
        }
        let words = chunk_words(src, form)?;
        if words.is_empty() {
            return Err(Error::pattern(
                src,
                format!("`{chunk}`: '=' needs a word right after it, like `=missing`"),
            ));
        }
        return Ok(words
            .into_iter()
            .map(|w| match w {
                Word::Exact(w) | Word::Form(w) | Word::Prefix(w) => Word::Form(w),
            })
            .collect());
    }
    if chunk.contains('=') {
        return Err(Error::pattern(
            src,
            format!("`{chunk}`: '=' may only start a word, like `=missing`"),
        ));
    }
    if let Some(prefix) = chunk.strip_suffix('*') {
        let mut norm = String::new();
        normalize_word(prefix, &mut norm);
        let words = tokenize(&norm);
        let single = words.len() == 1
            && words[0].kind == TokenKind::Word
            && words[0].span() == (0..norm.len());
        if !single || norm.contains('*') {
            return Err(Error::pattern(
                src,
                format!("`{chunk}`: a wildcard goes at the end of a single word, like `amnesi*`"),
            ));
        }
        if norm.chars().count() < 3 {
            return Err(Error::pattern(
                src,
                format!("`{chunk}`: a prefix needs at least 3 letters, or it matches far too much"),
            ));
        }
        return Ok(vec![Word::Prefix(norm)]);
    }
    if chunk.contains('*') {
        return Err(Error::pattern(
            src,
            format!("`{chunk}`: '*' may only end a word, like `amnesi*`"),
        ));
    }
    let mut words = Vec::new();
    let mut norm = String::new();
    for t in tokenize(chunk) {
        match t.kind {
            TokenKind::Word => {
                normalize_word(t.text(chunk), &mut norm);
                words.push(Word::Exact(norm.clone()));
            }
            TokenKind::Hyphen | TokenKind::Dash | TokenKind::Other => {}
            _ => {
                return Err(Error::pattern(
                    src,
                    format!(
                        "`{}` in `{chunk}`: punctuation cannot be matched; patterns are words",
                        t.text(chunk)
                    ),
                ))
            }
        }
    }
    Ok(words)
}

/// The pattern after a leading `!`, when `src` is an absence pattern: words that say a work
/// does without the trope ("!she rescues herself", "!no wedding"). Its matches read as
/// `absent` where another pattern's would read as `present`, and the other way round
/// ([`crate::context`], rule 10).
pub fn absence(src: &str) -> Option<&str> {
    src.trim_start().strip_prefix('!')
}

/// Parse a pattern.
pub fn parse(src: &str) -> Result<Pattern> {
    let trimmed = absence(src).unwrap_or(src).trim();
    if let Some(re) = trimmed.strip_prefix("re:") {
        if re.trim().is_empty() {
            return Err(Error::pattern(
                src,
                "`re:` needs a regular expression after it",
            ));
        }
        return Ok(Pattern::Regex(re.to_string()));
    }
    if trimmed.is_empty() {
        return Err(Error::pattern(src, "empty pattern"));
    }
    let lexed = lex(trimmed)?;
    let mut sides: Vec<Vec<Slot>> = vec![Vec::new()];
    let mut distance = None;
    let mut i = 0;
    while i < lexed.len() {
        match &lexed[i] {
            Lex::Text(chunk) => {
                for w in chunk_words(src, chunk)? {
                    sides.last_mut().expect("one side").push(vec![vec![w]]);
                }
            }
            Lex::Open => {
                let mut alts: Slot = vec![Vec::new()];
                i += 1;
                loop {
                    match lexed.get(i) {
                        None => return Err(Error::pattern(src, "'(' is never closed with ')'")),
                        Some(Lex::Close) => break,
                        Some(Lex::Bar) => alts.push(Vec::new()),
                        Some(Lex::Text(chunk)) => alts
                            .last_mut()
                            .expect("one alternative")
                            .extend(chunk_words(src, chunk)?),
                        Some(Lex::Open) => {
                            return Err(Error::pattern(
                                src,
                                "alternatives cannot nest: `(a|(b|c))`",
                            ))
                        }
                        Some(Lex::Near(_)) => {
                            return Err(Error::pattern(
                                src,
                                "`~N` cannot stand inside alternatives",
                            ))
                        }
                    }
                    i += 1;
                }
                if alts.iter().all(Vec::is_empty) {
                    return Err(Error::pattern(src, "empty alternatives `()`"));
                }
                sides.last_mut().expect("one side").push(alts);
            }
            Lex::Close => return Err(Error::pattern(src, "')' without a matching '('")),
            Lex::Bar => {
                return Err(Error::pattern(
                    src,
                    "'|' outside parentheses: write alternatives as `(a|b)`",
                ))
            }
            Lex::Near(n) => {
                if distance.is_some() {
                    return Err(Error::pattern(src, "only one `~N` is allowed in a pattern"));
                }
                distance = Some(*n);
                sides.push(Vec::new());
            }
        }
        i += 1;
    }
    for side in &sides {
        // A side made only of optional slots could match nothing at all.
        if side.iter().all(|slot| slot.iter().any(Vec::is_empty)) {
            let what = if sides.len() == 2 {
                "each side of `~N`"
            } else {
                "a pattern"
            };
            return Err(Error::pattern(
                src,
                format!("{what} needs at least one word that must match"),
            ));
        }
    }
    let right = sides.pop().expect("at least one side");
    Ok(match distance {
        None => Pattern::Seq {
            left: right,
            right: None,
        },
        Some(n) => Pattern::Seq {
            left: sides.pop().expect("two sides"),
            right: Some((n, right)),
        },
    })
}

/// The error [`expand`] gives, without building the phrases: validating a lexicon on load
/// needs only this, and building them twice was a sixth of start-up.
pub fn check_expansion(src: &str, slots: &[Slot]) -> Result<()> {
    let mut n = 1usize;
    for slot in slots {
        n = n.saturating_mul(slot.len());
        if n > MAX_EXPANSIONS {
            return Err(Error::pattern(
                src,
                format!(
                    "expands to more than {MAX_EXPANSIONS} phrases; split it into several patterns"
                ),
            ));
        }
    }
    Ok(())
}

/// Every phrase a sequence of slots can spell (cartesian product), or an error past
/// [`MAX_EXPANSIONS`].
pub fn expand(src: &str, slots: &[Slot]) -> Result<Vec<Vec<Word>>> {
    check_expansion(src, slots)?;
    let mut out: Vec<Vec<Word>> = vec![Vec::new()];
    for slot in slots {
        let mut next = Vec::with_capacity(out.len() * slot.len());
        for prefix in &out {
            for alt in slot {
                let mut p = prefix.clone();
                p.extend(alt.iter().cloned());
                next.push(p);
            }
        }
        out = next;
    }
    out.retain(|p| !p.is_empty());
    out.sort();
    out.dedup();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ex(s: &str) -> Word {
        Word::Exact(s.into())
    }

    #[test]
    fn expansion_limit_is_checked_without_expanding() {
        let slots = |n: usize| {
            let src = vec!["(a|b)"; n].join(" ");
            let Pattern::Seq { left, right: None } = parse(&src).unwrap() else {
                panic!()
            };
            (src, left)
        };
        // 2^12 = MAX_EXPANSIONS phrases is allowed, 2^13 is not, and both checks agree.
        let (src, ok) = slots(12);
        assert!(check_expansion(&src, &ok).is_ok());
        assert_eq!(expand(&src, &ok).unwrap().len(), MAX_EXPANSIONS);
        let (src, over) = slots(13);
        let err = check_expansion(&src, &over).unwrap_err().to_string();
        assert!(err.contains("expands to more than"), "{err}");
        assert_eq!(expand(&src, &over).unwrap_err().to_string(), err);
    }

    #[test]
    fn phrase_splits_hyphens() {
        let Pattern::Seq { left, right: None } = parse("Wrist-grab").unwrap() else {
            panic!()
        };
        assert_eq!(
            expand("", &left).unwrap(),
            vec![vec![ex("wrist"), ex("grab")]]
        );
    }

    #[test]
    fn alternatives_optional_and_prefix() {
        let Pattern::Seq { left, right: None } = parse("(second lead|2nd) synd* (|again)").unwrap()
        else {
            panic!()
        };
        let e = expand("", &left).unwrap();
        assert_eq!(e.len(), 4);
        assert!(e.contains(&vec![ex("2nd"), Word::Prefix("synd".into())]));
        assert!(e.contains(&vec![
            ex("second"),
            ex("lead"),
            Word::Prefix("synd".into()),
            ex("again")
        ]));
    }

    #[test]
    fn proximity() {
        let Pattern::Seq {
            left,
            right: Some((3, right)),
        } = parse("grab ~3 wrist").unwrap()
        else {
            panic!()
        };
        assert_eq!(left, vec![vec![vec![ex("grab")]]]);
        assert_eq!(right, vec![vec![vec![ex("wrist")]]]);
    }

    #[test]
    fn exact_forms() {
        let Pattern::Seq { left, right: None } = parse("=Missing (=k-dramas|show)").unwrap() else {
            panic!()
        };
        let form = |s: &str| Word::Form(s.into());
        assert_eq!(
            left,
            vec![
                vec![vec![form("missing")]],
                vec![vec![form("k"), form("dramas")], vec![ex("show")]],
            ]
        );
    }

    #[test]
    fn errors_say_why() {
        for (src, needle) in [
            ("(a|b", "never closed"),
            ("a) b", "without a matching"),
            ("a | b", "outside parentheses"),
            ("grab ~ wrist", "needs a number"),
            ("a ~1 b ~2 c", "only one"),
            ("am*", "at least 3"),
            ("a*b", "may only end"),
            ("", "empty"),
            ("(|)", "empty alternatives"),
            ("(a|) ~2 b", "at least one word"),
            ("wrist, grab", "punctuation"),
            ("re:", "needs a regular"),
            ("a ~99 b", "over the limit"),
            ("= b", "needs a word"),
            ("a=b", "may only start"),
            ("=amn*", "plain words"),
            ("==a", "plain words"),
        ] {
            let err = parse(src).unwrap_err().to_string();
            assert!(err.contains(needle), "{src:?}: {err}");
        }
    }

    #[test]
    fn expansion_limit() {
        let src = "(a|b|c|d|e|f|g|h) (a|b|c|d|e|f|g|h) (a|b|c|d|e|f|g|h) (a|b|c|d|e|f|g|h) (a|b)";
        let Pattern::Seq { left, .. } = parse(src).unwrap() else {
            panic!()
        };
        assert!(expand(src, &left).is_err());
    }

    proptest::proptest! {
        #[test]
        fn parse_never_panics(s in "[a-z()|~*=0-9 \\-:'re,]{0,40}") {
            if let Ok(Pattern::Seq { left, right }) = parse(&s) {
                let _ = expand(&s, &left);
                if let Some((_, r)) = right { let _ = expand(&s, &r); }
            }
        }
    }
}
