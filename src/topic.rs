//! The topic gate, between the learned stage and the context engine: a long document that
//! never speaks of romance is not about a couple, so its mentions of the tropes that need one
//! are other senses of the words.
//!
//! Why: on real reviews of films of every genre (the IMDB audits in `data/audit/`), the
//! largest class of false hits was a romance trope with no romance in sight: the heist crew's
//! "grand confession" to the police, a war film's "airport dash", a thriller's "toxic control"
//! of a city. Each pattern is right in a love story; the document tells which kind it is.
//!
//! The gate reads the whole document once, and only when it would change something: the
//! document has at least `romance_gate_words` words and a mention of a trope marked
//! `needs_romance`. It then looks for any of the model's `romance_words` ("love story",
//! "kiss", "couple", "drama"); with none, those mentions are dropped, and the analysis keeps
//! them in [`crate::Analysis::off_topic`] so a report can say what was dropped and why.
//! Short passages are never gated: a two-line comment about a wrist grab need not say
//! "romance" to be about one.

use rustc_hash::FxHashMap;

use crate::lexicon::CompiledLexicon;
use crate::matcher::Mention;
use crate::token::{normalize_word, word_count, Token, TokenKind};

/// The model's `romance_words`, compiled: each word sequence (lower-case, hyphens read as
/// spaces) filed under its first word, so a document's words are looked up, not compared
/// with every entry.
#[derive(Clone, Debug, Default)]
pub(crate) struct RomanceWords {
    by_first: FxHashMap<String, Vec<Vec<String>>>,
    /// The longest first word, in bytes: a longer plain word is none of them, unless the
    /// normalisation spells it out as a contraction.
    longest: usize,
    /// Whether some first word holds an apostrophe: then a word written without one
    /// ("dont") may normalise to it, and every word takes the full normalisation.
    apostrophes: bool,
}

impl RomanceWords {
    /// Compile the model's list.
    pub(crate) fn new(words: &[String]) -> RomanceWords {
        let mut by_first: FxHashMap<String, Vec<Vec<String>>> = FxHashMap::default();
        for entry in words {
            let mut seq: Vec<String> = entry
                .split(|c: char| c.is_whitespace() || c == '-')
                .filter(|w| !w.is_empty())
                .map(|w| {
                    let mut out = String::new();
                    normalize_word(w, &mut out);
                    out
                })
                .collect();
            if seq.is_empty() {
                continue;
            }
            let first = seq.remove(0);
            by_first.entry(first).or_default().push(seq);
        }
        RomanceWords {
            longest: by_first.keys().map(String::len).max().unwrap_or(0),
            apostrophes: by_first.keys().any(|w| w.contains('\'')),
            by_first,
        }
    }

    /// Whether `w` may be a first word, without normalising it: the scan asks this of
    /// every word of a long document, and most are plain ASCII words that are none. A plain
    /// word (ASCII, no apostrophe) is lower-cased on the stack; one the normalisation spells
    /// out as a contraction ("shes" is "she's", read as "she") passes on, and of the rest,
    /// one longer than every first word is none and a shorter one is looked up. Only a word
    /// that passes (or is not plain) is normalised in full by the caller, which decides.
    fn may_start(&self, w: &str) -> bool {
        let plain = w.is_ascii() && !w.contains('\'') && !self.apostrophes;
        if !plain {
            return true;
        }
        let mut buf = [0u8; 64];
        if w.len() > buf.len() {
            // Too long to look at here (and to be a contraction): a first word as long is
            // left to the full normalisation.
            return w.len() <= self.longest;
        }
        let lower = &mut buf[..w.len()];
        lower.copy_from_slice(w.as_bytes());
        lower.make_ascii_lowercase();
        // ASCII in, ASCII out.
        let Ok(lower) = std::str::from_utf8(lower) else {
            return true;
        };
        crate::token::apostrophe(lower).is_some()
            || (lower.len() <= self.longest && self.by_first.contains_key(lower))
    }

    /// Whether the list is empty (the gate then never fires: it could not tell).
    pub(crate) fn is_empty(&self) -> bool {
        self.by_first.is_empty()
    }

    /// Whether `text`'s words hold one of the sequences. Hyphens join nothing here
    /// ("k-drama" is "k drama"), a possessive "'s" is read off ("the couple's first date"),
    /// and any other punctuation between two words ends a sequence.
    pub(crate) fn in_text(&self, text: &str, tokens: &[Token]) -> bool {
        let mut word = String::new();
        let mut next = String::new();
        for (i, t) in tokens.iter().enumerate() {
            if t.kind != TokenKind::Word || !self.may_start(t.text(text)) {
                continue;
            }
            normalize(t.text(text), &mut word);
            let Some(rests) = self.by_first.get(word.as_str()) else {
                continue;
            };
            'entry: for rest in rests {
                let mut at = i;
                for want in rest {
                    // The next word, across hyphens only.
                    let mut j = at + 1;
                    while tokens.get(j).is_some_and(|t| t.kind == TokenKind::Hyphen) {
                        j += 1;
                    }
                    match tokens.get(j) {
                        Some(t) if t.kind == TokenKind::Word => {
                            normalize(t.text(text), &mut next);
                            if next != *want {
                                continue 'entry;
                            }
                            at = j;
                        }
                        _ => continue 'entry,
                    }
                }
                return true;
            }
        }
        false
    }
}

/// Lower-case `w` into `out`, folding apostrophes, with a possessive "'s" read off.
fn normalize(w: &str, out: &mut String) {
    out.clear();
    normalize_word(w, out);
    if out.len() > 2 && out.ends_with("'s") {
        out.truncate(out.len() - 2);
    }
}

/// Whether a document may be about a couple, as the gate reads it: it is too short for the
/// gate, or it holds one of the romance words (or the gate is off). The learned stage's
/// document regression adds a mention only to such a document, as the gate would drop most
/// of what it found in another; it asks this last, of a document it would add to (see
/// [`crate::learned::find_learned`]).
pub(crate) fn may_be_romance(lex: &CompiledLexicon, text: &str, tokens: &[Token]) -> bool {
    let min = lex.lexicon().model.romance_gate_words;
    min == 0
        || lex.romance_words.is_empty()
        || word_count(tokens) < min
        || lex.romance_words.in_text(text, tokens)
}

/// The gate: in a document of at least `romance_gate_words` words with none of the
/// `romance_words`, move the mentions of `needs_romance` tropes from `mentions` to
/// `dropped` (cleared first), keeping both in text order.
pub(crate) fn gate(
    lex: &CompiledLexicon,
    text: &str,
    tokens: &[Token],
    mentions: &mut Vec<Mention>,
    dropped: &mut Vec<Mention>,
) {
    dropped.clear();
    let needs = |m: &Mention| lex.trope(m.trope).needs_romance;
    if !mentions.iter().any(needs) || may_be_romance(lex, text, tokens) {
        return;
    }
    dropped.extend(mentions.iter().filter(|m| needs(m)).cloned());
    mentions.retain(|m| !needs(m));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::token::tokenize;

    fn holds(list: &[&str], text: &str) -> bool {
        let words: Vec<String> = list.iter().map(|s| s.to_string()).collect();
        RomanceWords::new(&words).in_text(text, &tokenize(text))
    }

    #[test]
    fn finds_words_and_sequences() {
        assert!(holds(&["kiss"], "Then they KISS."));
        assert!(holds(&["love story"], "It is a love story at heart."));
        assert!(!holds(&["love story"], "I love it. Story-wise, fine."));
        assert!(!holds(&["love story"], "love, story"));
        assert!(holds(&["love story"], "the love-story beats"));
    }

    #[test]
    fn hyphens_and_possessives() {
        assert!(holds(&["k-drama"], "My first K-drama, honestly."));
        assert!(holds(&["k drama"], "My first k-drama."));
        assert!(holds(&["couple"], "The couple's first date."));
        assert!(holds(&["couple"], "The couple’s first date."));
        assert!(!holds(&["couple"], "A couples therapist."));
    }

    #[test]
    fn words_the_quick_look_passes_on_are_normalised_in_full() {
        // Not ASCII: lower-cased and compared in full.
        assert!(holds(&["fiancé"], "Her FIANCÉ returns."));
        // An apostrophe: the possessive is read off.
        assert!(holds(&["kiss"], "The KISS's timing."));
        // A first word longer than the quick look's buffer.
        let long = "a".repeat(80);
        assert!(holds(
            &[long.as_str()],
            &format!("x {} y", long.to_uppercase())
        ));
        // A first word with an apostrophe: a word written without one may normalise to it.
        assert!(holds(&["don't"], "They dont talk."));
        // A contraction written without its apostrophe, read as its first word: "shes" is
        // "she's", and its "'s" is read off. The quick look must pass it on.
        assert!(holds(&["she"], "Shes here."));
        assert!(holds(&["that"], "thats it"));
    }

    #[test]
    fn a_sequence_cut_short_by_the_end_of_the_text() {
        assert!(!holds(&["in love"], "He is in"));
        assert!(!holds(&[], "anything at all"));
    }
}
