//! [`Lexicon`] → [`CompiledLexicon`]: every trope pattern, exclusion and context cue compiled
//! into two groups of matchers, built once per run: the trope patterns', run on every
//! document, and the cues' and exclusions', run only where a trope pattern matched.
//!
//! Each distinct stem that any pattern uses gets a small integer code, and so does each
//! wildcard prefix. A document's tokens are turned into a stream of those codes, and a
//! pattern spells the phrases of codes it matches: one-word phrases are looked up per word,
//! longer ones through their first two codes (`phrases.rs`), and patterns that would spell
//! too many phrases are matched slot by slot. Proximity patterns register their two sides
//! as separate phrases and are joined afterwards; `re:` patterns run as a `RegexSet` over
//! the text, behind a gate of the literals every match contains.

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::BTreeSet;
use std::rc::Rc;

use rustc_hash::FxHashMap;
use std::path::Path;

use aho_corasick::AhoCorasick;
use regex::{Regex, RegexSet};
use regex_syntax::hir::{Hir, HirKind};

use super::pattern::{self, Pattern, Word};
use super::phrases::{Phrases, TemplateStarts};
use super::{Lexicon, Located, Trope};
use crate::error::{Error, Result};
use crate::token::Stemmer;

/// Code of a word that no pattern uses.
pub(crate) const OTHER: u32 = 0;
/// Code of punctuation that breaks a phrase (comma, dash, parenthesis, ...).
pub(crate) const BREAK: u32 = 1;
/// Code between two sentences.
pub(crate) const SENTENCE: u32 = 2;
/// Code of a word that phrases read through: no pattern uses it, and it has one of the
/// model's `transparent_endings` ("he *roughly* grabs her wrist"). It is left out of the code
/// stream, so it neither matches nor separates.
pub(crate) const TRANSPARENT: u32 = 3;
/// Code of a name's possessive ("Dong-hoon's", "Mirae's"): a possessive pronoun of a
/// pattern ("his", "her", "their") accepts it, so "grabs Mirae's wrist" is "grabs her
/// wrist". The matcher gives it from the word's shape (see `matcher::name_possessive`).
pub(crate) const NAME_POSSESSIVE: u32 = 4;
const FIRST_TERM: u32 = 5;
/// The pattern words that accept [`NAME_POSSESSIVE`].
const POSSESSIVE_PRONOUNS: [&str; 3] = ["his", "her", "their"];

/// Whether a pattern word that ends a phrase is an object rather than a possessive: "her"
/// there ("left her", "save her") takes no name's possessive, or "left her" would find
/// "left Mirae's apartment".
fn is_object(w: &Word) -> bool {
    matches!(w, Word::Exact(x) if x == "her")
}
/// Codes fit 14 bits (the word cache stores them in 16, the code stream as `u16`).
const MAX_CODES: u32 = 1 << 14;

/// Whose pattern a rule is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Owner {
    /// `patterns[index]` of trope `trope`.
    Trope { trope: u16, index: u16 },
    /// `exclusions[index]` of trope `trope`.
    Exclusion { trope: u16, index: u16 },
    /// Cue number `cue` of the lexicon.
    Cue { cue: u16 },
}

/// One compiled pattern.
#[derive(Clone, Debug)]
pub(crate) struct Rule {
    pub owner: Owner,
    /// For `a ~N b`: N.
    pub distance: Option<u32>,
}

/// What a phrase's match stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Target {
    /// A whole match of rule `.0`.
    Whole(u32),
    /// The left side of proximity rule `.0`.
    Left(u32),
    /// The right side of proximity rule `.0`.
    Right(u32),
}

impl Target {
    /// The rule this stands for (a part of).
    pub(crate) fn rule(self) -> u32 {
        match self {
            Target::Whole(r) | Target::Left(r) | Target::Right(r) => r,
        }
    }
}

/// A group of `re:` patterns, with a set that answers first whether any matches at all, and
/// in front of it the literal strings one of which every match contains.
#[derive(Debug, Default)]
pub(crate) struct Regexes {
    pub(crate) set: Option<RegexSet>,
    /// Rule and regex for each member of `set`.
    pub(crate) list: Vec<(u32, Regex)>,
    /// Every match of every member contains one of these (ASCII, lower-cased), searched
    /// for in the lower-cased text; `None` when some member has no such literal.
    required: Option<AhoCorasick>,
}

/// Characters outside ASCII that Unicode case folding equates with an ASCII letter (the
/// long s and the Kelvin sign): a text holding one may match a case-insensitive regex
/// whose literal it does not spell in ASCII.
const FOLD_TO_ASCII: [char; 2] = ['\u{17F}', '\u{212A}'];

impl Regexes {
    /// Whether `text`, given with its ASCII letters lower-cased as `lower`, may hold a
    /// match: `false` only when it surely holds none. The literal test runs at memory
    /// speed, where a regex set's own prefilter is built from the patterns' first words
    /// ("ask", "trip", "fell"), common enough to be slower than none.
    ///
    /// The literals are looked for in the lower-cased text rather than in the text ignoring
    /// case: asked to ignore case, the automaton's prefilter stops at every "a" or "A" of
    /// the text for the one literal "arms", and that search was a twentieth of the whole
    /// run; lower-casing a text and searching it for "arms" is a quarter of that.
    #[inline]
    pub(crate) fn may_match(&self, text: &str, lower: &[u8]) -> bool {
        match &self.required {
            None => true,
            Some(ac) => ac.is_match(lower) || (!text.is_ascii() && text.contains(FOLD_TO_ASCII)),
        }
    }

    /// Whether [`Regexes::may_match`] reads the lower-cased text.
    #[inline]
    pub(crate) fn reads_lower(&self) -> bool {
        self.required.is_some()
    }

    fn new(list: Vec<(u32, Regex)>) -> Result<Regexes> {
        if list.is_empty() {
            return Ok(Regexes::default());
        }
        let mut literals = Vec::new();
        for (_, re) in &list {
            match regex_syntax::parse(re.as_str())
                .ok()
                .and_then(|hir| required_literals(&hir))
                .filter(|lits| lits.iter().all(|l| l.is_ascii()))
            {
                Some(lits) => literals.extend(lits),
                None => {
                    literals.clear();
                    break;
                }
            }
        }
        let required = if literals.is_empty() {
            None
        } else {
            Some(
                AhoCorasick::builder()
                    .build(literals.iter().map(|l| l.to_ascii_lowercase()))
                    .map_err(|e| Error::input(format!("cannot build the regex gate: {e}")))?,
            )
        };
        // The same flags as each `re:` regex, or the set would gate out matches its members
        // find ("Possessive" at the start of a sentence).
        let set = regex::RegexSetBuilder::new(list.iter().map(|(_, re)| re.as_str()))
            .case_insensitive(true)
            .size_limit(1 << 24)
            .dfa_size_limit(1 << 24)
            .build()
            .map_err(|e| Error::input(format!("cannot build the regex set: {e}")))?;
        Ok(Regexes {
            set: Some(set),
            list,
            required,
        })
    }
}

/// Literal strings one of which every match of `hir` contains, or `None` when there is no
/// such finite set (an optional part, a class, an empty match). Of a sequence's required
/// parts, the one with the longest shortest literal, then the fewest, is taken.
fn required_literals(hir: &Hir) -> Option<Vec<String>> {
    match hir.kind() {
        HirKind::Literal(lit) => {
            let s = String::from_utf8_lossy(&lit.0).into_owned();
            (!s.is_empty()).then(|| vec![s])
        }
        HirKind::Capture(c) => required_literals(&c.sub),
        HirKind::Repetition(r) if r.min >= 1 => required_literals(&r.sub),
        HirKind::Concat(parts) => {
            // Runs of literals are one literal; a part that is not a literal ends a run.
            let mut sets = Vec::new();
            let mut run = String::new();
            for part in parts {
                if let HirKind::Literal(lit) = part.kind() {
                    run.push_str(&String::from_utf8_lossy(&lit.0));
                    continue;
                }
                if !run.is_empty() {
                    sets.push(vec![std::mem::take(&mut run)]);
                }
                sets.extend(required_literals(part));
            }
            if !run.is_empty() {
                sets.push(vec![run]);
            }
            sets.into_iter().max_by_key(|set| {
                (
                    set.iter().map(String::len).min().unwrap_or(0),
                    std::cmp::Reverse(set.len()),
                )
            })
        }
        HirKind::Alternation(alts) => {
            let mut all = Vec::new();
            for alt in alts {
                all.extend(required_literals(alt)?);
            }
            Some(all)
        }
        _ => None,
    }
}

/// Everything that matches one group of rules (see [`CompiledLexicon::tropes`] and
/// [`CompiledLexicon::context`]).
#[derive(Debug)]
pub(crate) struct Matchers {
    /// Code → what that one word stands for on its own (`single.of(code)`, often empty).
    ///
    /// One-word phrases ("amnesia", "not", "her" as a proximity side) are looked up as
    /// each word is encoded: they are most of the matches, and cost nothing more there.
    pub(crate) single: ByCode<Target>,
    /// The phrases of two words or more, found through their first two words.
    pub(crate) phrases: Phrases,
    /// Patterns matched slot by slot rather than spelled into phrases (where one can
    /// start is in `phrases`).
    pub(crate) templates: Vec<Template>,
    /// The `re:` patterns.
    pub(crate) regexes: Regexes,
}

impl Matchers {
    /// The matchers of the rules `keep` selects, from every rule's spelled phrases and
    /// regexes, and the templates of those rules.
    fn new(
        strings: &[Vec<u16>],
        targets: &[Vec<Target>],
        templates: Vec<Template>,
        regexes: &[(u32, Regex)],
        codes: u32,
        keep: impl Fn(u32) -> bool,
    ) -> Result<Matchers> {
        let mut single_of = vec![Vec::new(); codes as usize];
        let mut kept: Vec<(&[u16], Cow<[Target]>)> = Vec::new();
        for (s, t) in strings.iter().zip(targets) {
            // Nearly every phrase stands for rules of one group only: borrowed, not copied.
            let t: Cow<[Target]> = if t.iter().all(|t| keep(t.rule())) {
                Cow::Borrowed(t)
            } else {
                t.iter().copied().filter(|t| keep(t.rule())).collect()
            };
            if t.is_empty() {
                continue;
            }
            match *s.as_slice() {
                [code] => single_of[usize::from(code)] = t.into_owned(),
                _ => kept.push((s.as_slice(), t)),
            }
        }
        debug_assert!(templates.iter().all(|t| keep(t.target.rule())));
        let mut template_starts = Vec::with_capacity(templates.len());
        for t in &templates {
            // The pairs are needed only when the template is tried at its pairs: most
            // are tried at their three-word heads.
            let heads = t.heads(MAX_TEMPLATE_HEADS);
            let (pairs, ones) = t.starts(heads.is_none());
            for code in ones {
                let single = &mut single_of[code as usize];
                if !single.contains(&t.target) {
                    single.push(t.target);
                }
            }
            template_starts.push(match heads {
                Some((threes, twos)) => TemplateStarts::Heads { threes, twos },
                None => TemplateStarts::Pairs(pairs),
            });
        }
        let phrases = Phrases::new(
            kept.iter().map(|(s, t)| (*s, t.as_ref())).collect(),
            &template_starts,
        );
        let regexes = regexes
            .iter()
            .filter(|(rule, _)| keep(*rule))
            .cloned()
            .collect();
        Ok(Matchers {
            single: ByCode::new(single_of),
            phrases,
            templates,
            regexes: Regexes::new(regexes)?,
        })
    }
}

/// A list per code, flattened: the items of code `c` are `items[start[c]..start[c + 1]]`.
/// Most codes have none, and the offsets of a few thousand codes stay in the processor's
/// first-level cache where a `Vec` per code did not.
#[derive(Clone, Debug)]
pub(crate) struct ByCode<T> {
    start: Vec<u32>,
    items: Vec<T>,
}

impl<T> ByCode<T> {
    fn new(of: Vec<Vec<T>>) -> ByCode<T> {
        let mut start = Vec::with_capacity(of.len() + 1);
        let mut items = Vec::new();
        for list in of {
            start.push(items.len() as u32);
            items.extend(list);
        }
        start.push(items.len() as u32);
        ByCode { start, items }
    }

    /// The items of `code` (none for a code past the end).
    #[inline]
    pub(crate) fn of(&self, code: u32) -> &[T] {
        match self.start.get(code as usize..code as usize + 2) {
            Some(&[a, b]) => &self.items[a as usize..b as usize],
            _ => &[],
        }
    }
}

/// A template whose three-word starts and two-word matches number more than this is tried
/// by its two-word starts instead.
const MAX_TEMPLATE_HEADS: usize = 512;

/// Patterns that would spell more phrases than this become [`Template`]s instead.
pub(crate) const TEMPLATE_OVER: usize = 64;

/// A pattern whose slots multiply out to many phrases ("(conflict|friction|...) (comes|
/// stems|...) from (|their|her|...) (careers|money|...)"), matched slot by slot from the
/// positions where one could start instead of as thousands of spelled-out phrases: eighty
/// such patterns spelled 74,000 of 79,000 phrases, most of the matchers' size and most of
/// the lexicon's compile time. Where a match can start is indexed with the phrases (by its
/// first two codes, see `phrases.rs`).
#[derive(Clone, Debug)]
pub(crate) struct Template {
    pub(crate) target: Target,
    pub(crate) slots: Vec<TemplateSlot>,
}

impl Template {
    /// Every pair of codes a match of two words or more can start with (`with_pairs`, else
    /// none), and every code that is a whole match on its own. The one-word matches go to
    /// the one-word table with the phrases', so a template is tried only where its first two
    /// words stand.
    pub(crate) fn starts(&self, with_pairs: bool) -> (BTreeSet<(u32, u32)>, BTreeSet<u32>) {
        let (mut pairs, mut ones) = (BTreeSet::new(), BTreeSet::new());
        let slots = &self.slots;
        for (i, slot) in slots.iter().enumerate() {
            for alt in &slot.alts {
                if let Some(second) = alt.get(1) {
                    if !with_pairs {
                        continue;
                    }
                    pairs.extend(
                        alt[0]
                            .iter()
                            .flat_map(|&a| second.iter().map(move |&b| (a, b))),
                    );
                    continue;
                }
                // A one-word alternative: the next word opens a later slot, the slots
                // between skipped.
                if with_pairs {
                    for later in &slots[i + 1..] {
                        for next in &later.alts {
                            pairs.extend(
                                alt[0]
                                    .iter()
                                    .flat_map(|&a| next[0].iter().map(move |&b| (a, b))),
                            );
                        }
                        if !later.optional {
                            break;
                        }
                    }
                }
                if slots[i + 1..].iter().all(|s| s.optional) {
                    ones.extend(alt[0].iter().copied());
                }
            }
            // The first word lies in a later slot only when this one can be skipped.
            if !slot.optional {
                break;
            }
        }
        (pairs, ones)
    }

    /// The first three codes of every match of three words or more, and every match of
    /// exactly two words; `None` when they multiply out to more than `limit` (the caller then
    /// tries the template by [`Self::starts`]). A template is tried only where three of its
    /// words stand: "in the" starts one of a slot's seventeen alternatives and stands
    /// everywhere, "in the orphanage" seldom.
    #[allow(clippy::type_complexity)]
    pub(crate) fn heads(&self, limit: usize) -> Option<(Vec<[u32; 3]>, Vec<[u32; 2]>)> {
        // Runs of code sets, word by word: the first three words of a match, or a whole
        // match of two. `budget` counts down the codes they multiply out to; the walk stops
        // (false) when it runs out, before it has spelled a large template's every run.
        fn walk<'a>(
            slots: &'a [TemplateSlot],
            i: usize,
            acc: &mut Vec<&'a [u32]>,
            out: &mut Vec<Vec<&'a [u32]>>,
            budget: &mut usize,
        ) -> bool {
            fn push<'a>(
                acc: &[&'a [u32]],
                out: &mut Vec<Vec<&'a [u32]>>,
                budget: &mut usize,
            ) -> bool {
                let size: usize = acc.iter().map(|set| set.len()).product();
                match budget.checked_sub(size) {
                    Some(left) => {
                        *budget = left;
                        out.push(acc.to_vec());
                        true
                    }
                    None => false,
                }
            }
            if i == slots.len() {
                return acc.len() < 2 || push(acc, out, budget);
            }
            let slot = &slots[i];
            if slot.optional && !walk(slots, i + 1, acc, out, budget) {
                return false;
            }
            for alt in &slot.alts {
                let before = acc.len();
                acc.extend(alt.iter().take(3 - before).map(Vec::as_slice));
                let fine = if acc.len() == 3 {
                    push(acc, out, budget)
                } else {
                    walk(slots, i + 1, acc, out, budget)
                };
                acc.truncate(before);
                if !fine {
                    return false;
                }
            }
            true
        }
        let mut runs = Vec::new();
        let mut budget = limit;
        if !walk(&self.slots, 0, &mut Vec::new(), &mut runs, &mut budget) {
            return None;
        }
        let size = limit - budget;
        let (mut threes, mut twos) = (Vec::with_capacity(size), Vec::new());
        for run in runs {
            for &a in run[0] {
                for &b in run[1] {
                    match run.get(2) {
                        Some(third) => threes.extend(third.iter().map(|&c| [a, b, c])),
                        None => twos.push([a, b]),
                    }
                }
            }
        }
        threes.sort_unstable();
        threes.dedup();
        twos.sort_unstable();
        twos.dedup();
        Some((threes, twos))
    }
}

/// A bit set of codes.
pub(crate) fn bits<'a>(codes: impl Iterator<Item = &'a u32>) -> Vec<u64> {
    let mut set = Vec::new();
    for &c in codes {
        set_bit(&mut set, c);
    }
    set
}

/// Put `code` in the bit set, growing it as needed.
#[inline]
pub(crate) fn set_bit(set: &mut Vec<u64>, code: u32) {
    let word = code as usize / 64;
    if set.len() <= word {
        set.resize(word + 1, 0);
    }
    set[word] |= 1 << (code % 64);
}

/// Whether `code` is in the bit set.
#[inline]
pub(crate) fn has_bit(set: &[u64], code: u32) -> bool {
    set.get(code as usize / 64)
        .is_some_and(|w| w & (1 << (code % 64)) != 0)
}

/// One slot: its alternatives, each a run of words given as the codes each word accepts
/// (sorted), and whether the slot may be skipped.
#[derive(Clone, Debug)]
pub(crate) struct TemplateSlot {
    pub(crate) alts: Vec<Vec<Vec<u32>>>,
    pub(crate) optional: bool,
    /// A 256-bit filter of the codes any alternative starts with (bit `code % 256`): most
    /// tries fail at the first word of a slot, and this answers that from the slot itself.
    /// A full bit set of every code was a second load from elsewhere, which missed the
    /// cache on most tries (a third of the function's time); a code that shares a bit with
    /// a first code costs a binary search that finds nothing.
    firsts: [u64; 4],
    /// (first code, alternative) for every code an alternative can start with, sorted: a
    /// slot of twenty alternatives ("(years ago|as a child|in the orphanage|...)") is tried
    /// at every "in the", and only the one or two that start with the word need a look.
    by_first: Vec<(u32, u32)>,
}

impl TemplateSlot {
    fn new(alts: Vec<Vec<Vec<u32>>>, optional: bool) -> TemplateSlot {
        let mut firsts = [0u64; 4];
        for &c in alts.iter().flat_map(|alt| &alt[0]) {
            firsts[(c as usize / 64) % 4] |= 1 << (c % 64);
        }
        let mut by_first: Vec<(u32, u32)> = alts
            .iter()
            .enumerate()
            .flat_map(|(i, alt)| alt[0].iter().map(move |&c| (c, i as u32)))
            .collect();
        by_first.sort_unstable();
        by_first.dedup();
        TemplateSlot {
            alts,
            optional,
            firsts,
            by_first,
        }
    }

    /// The alternatives that can start with `code`, as `(code, index into alts)`.
    #[inline]
    pub(crate) fn starting_with(&self, code: u32) -> &[(u32, u32)] {
        if self.firsts[(code as usize / 64) % 4] & (1 << (code % 64)) == 0 {
            return &[];
        }
        let from = self.by_first.partition_point(|&(c, _)| c < code);
        let to = from + self.by_first[from..].partition_point(|&(c, _)| c == code);
        &self.by_first[from..to]
    }
}

/// A lexicon compiled for matching. Build once, share across threads.
pub struct CompiledLexicon {
    lexicon: Lexicon,
    pub(crate) stemmer: Stemmer,
    /// Stem → code. The three maps are read only for a word not yet in a run's word cache,
    /// but that is every new word of a corpus: a fast hash, and prefixes looked up by
    /// length rather than compared one by one.
    pub(crate) vocab: FxHashMap<String, u32>,
    /// Exact form (`=word`) → code.
    pub(crate) forms: FxHashMap<String, u32>,
    /// Wildcard prefix → code.
    pub(crate) prefixes: FxHashMap<String, u32>,
    /// The lengths of the prefixes, longest first.
    pub(crate) prefix_lens: Vec<usize>,
    pub(crate) rules: Vec<Rule>,
    /// The trope patterns' matchers.
    pub(crate) tropes: Matchers,
    /// The cues' and exclusions' matchers: they only change what a trope match is, so they
    /// run only in a document where a trope pattern matched (most reviews have none).
    pub(crate) context: Matchers,
    /// The model's `work_markers`, each split into lower-case words once here rather than
    /// for every document the context engine reads.
    pub(crate) work_markers: Vec<Vec<String>>,
    /// The model's `romance_words`, for the topic gate.
    pub(crate) romance_words: crate::topic::RomanceWords,
    /// The model's `timeline_markers`, split the same way.
    pub(crate) timeline_markers: Vec<Vec<String>>,
    /// The first words of both kinds of marker, sorted and once each: most words of a text
    /// open no marker, and are turned away by these few rather than by every marker.
    pub(crate) marker_firsts: Vec<String>,
    /// For each cue, whether it is a genre cue listed in the model's `contrast_openers`
    /// ("where"): decided once here rather than by comparing strings for every cue of every
    /// document.
    pub(crate) contrast_openers: Vec<bool>,
    /// The model's `transparent_endings` and `opaque_words`, read by
    /// [`CompiledLexicon::code_of`] for a word no pattern uses.
    transparent: Transparent,
    /// The learned stage's model, when the lexicon has one and `model.toml` (or the caller,
    /// see [`Lexicon::model`]'s `learned`) turns the stage on.
    pub(crate) learned: Option<crate::learned::CompiledModel>,
    /// The status stage's model: in the learned model's file, on with the learned stage.
    pub(crate) status: Option<crate::status::CompiledStatus>,
}

/// Which words that no pattern uses phrases read through (see [`TRANSPARENT`]).
#[derive(Debug, Default)]
struct Transparent {
    endings: Vec<String>,
    opaque: rustc_hash::FxHashSet<String>,
}

impl Transparent {
    /// The fewest letters a word needs for an ending to make it transparent: "only", "ugly"
    /// and "July" stay opaque without being listed.
    const MIN_LETTERS: usize = 5;

    fn new(model: &super::Model) -> Transparent {
        Transparent {
            endings: model
                .transparent_endings
                .iter()
                .map(|e| e.to_lowercase())
                .collect(),
            opaque: model
                .opaque_words
                .iter()
                .map(|w| w.to_lowercase())
                .collect(),
        }
    }

    /// Whether the normalised word `norm`, which no pattern uses, is transparent.
    fn holds(&self, norm: &str) -> bool {
        self.endings.iter().any(|e| norm.ends_with(e.as_str()))
            && norm.chars().count() >= Transparent::MIN_LETTERS
            && !self.opaque.contains(norm)
    }
}

impl std::fmt::Debug for CompiledLexicon {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CompiledLexicon")
            .field("fingerprint", &self.lexicon.fingerprint)
            .field("rules", &self.rules.len())
            .field("terms", &self.vocab.len())
            .finish()
    }
}

/// Every pattern of the lexicon with its owner and location, in rule order.
fn all_patterns(lexicon: &Lexicon) -> Vec<(Owner, &str, &Path, usize)> {
    let mut out = Vec::new();
    for (t, trope) in lexicon.tropes.iter().enumerate() {
        let t = t as u16;
        for (i, p) in trope.patterns.iter().enumerate() {
            out.push((
                Owner::Trope {
                    trope: t,
                    index: i as u16,
                },
                p.value.as_str(),
                trope.file.as_path(),
                p.line,
            ));
        }
        for (i, p) in trope.exclusions.iter().enumerate() {
            out.push((
                Owner::Exclusion {
                    trope: t,
                    index: i as u16,
                },
                p.value.as_str(),
                trope.file.as_path(),
                p.line,
            ));
        }
    }
    for (c, cue) in lexicon.cues.iter().enumerate() {
        out.push((
            Owner::Cue { cue: c as u16 },
            cue.pattern.as_str(),
            cue.file.as_path(),
            cue.line,
        ));
    }
    out
}

/// Only a trope's own patterns can be absence patterns (`!`): `src` is refused when it is
/// one and `trope_pattern` is false (an exclusion or a cue).
pub(crate) fn check_owner(trope_pattern: bool, src: &str) -> Result<()> {
    if pattern::absence(src).is_some() && !trope_pattern {
        return Err(Error::pattern(
            src,
            "only a trope's pattern can be an absence pattern (`!`); remove the `!` from \
             this exclusion or cue",
        ));
    }
    Ok(())
}

/// Parse `src` and check that it compiles on its own (for curators' edit commands).
pub fn check_pattern(src: &str) -> Result<()> {
    match pattern::parse(src)? {
        Pattern::Regex(re) => {
            regex_for(src, &re)?;
        }
        Pattern::Seq { left, right } => {
            pattern::check_expansion(src, &left)?;
            if let Some((_, r)) = right {
                pattern::check_expansion(src, &r)?;
            }
        }
    }
    Ok(())
}

/// The `re:` regex: case-insensitive, `'` also matching typographic apostrophes.
///
/// `\b` is compiled as an ASCII word boundary: matches must start and end on tokens anyway,
/// and a Unicode `\b` keeps the regex engine off its fast DFA for any non-ASCII text.
fn regex_for(src: &str, re: &str) -> Result<Regex> {
    let re = re
        .replace('\'', "['\u{2019}\u{2018}]")
        .replace("\\b", "(?-u:\\b)");
    regex::RegexBuilder::new(&re)
        .case_insensitive(true)
        .size_limit(1 << 20)
        .dfa_size_limit(1 << 23)
        .build()
        .map_err(|e| Error::pattern(src, format!("invalid regex: {e}")))
}

/// The learned stage's models of a lexicon, compiling on their own thread
/// ([`CompiledLexicon::compile`]).
enum Models {
    /// The stage is off: no models.
    Off,
    /// The thread, which hands the model file back with the models.
    On(std::thread::JoinHandle<(crate::learned::ModelSource, Result<CompiledModels>)>),
}

/// The learned model, and the status model when the model file has one.
type CompiledModels = (
    crate::learned::CompiledModel,
    Option<crate::status::CompiledStatus>,
);

impl Models {
    /// Start compiling `lexicon`'s models when its stage is on, taking its model file until
    /// [`Models::join`] gives it back. The stage on with no model file is an error, not a
    /// run that silently does without it (its reports would still say "+learned").
    fn spawn(lexicon: &mut Lexicon) -> Result<Models> {
        if !lexicon.model.learned {
            return Ok(Models::Off);
        }
        let Some(source) = lexicon.learned.take() else {
            return Err(Error::lexicon(
                lexicon.base.join("learned.tsv"),
                None,
                "the learned stage is on (model.toml's `learned`, or --learned) but the \
                 lexicon has no learned.tsv"
                    .to_string(),
                Some(
                    "train one with `tropescope lexicon train` (README, \"The learned \
                     stage\"), or run with --no-learned"
                        .into(),
                ),
            ));
        };
        let ids: Vec<String> = lexicon.tropes.iter().map(|t| t.id.clone()).collect();
        Ok(Models::On(std::thread::spawn(move || {
            let models = Models::compile(&source, &ids);
            (source, models)
        })))
    }

    /// Parse and compile the model file `source` for a lexicon whose trope ids are `ids`.
    fn compile(source: &crate::learned::ModelSource, ids: &[String]) -> Result<CompiledModels> {
        let parsed = source.parse()?;
        let status_stems = parsed.status.iter().flat_map(crate::status::word_stems);
        let learned = crate::learned::CompiledModel::new(&parsed, ids, &source.path, status_stems)?;
        let status = parsed
            .status
            .as_ref()
            .map(|s| crate::status::CompiledStatus::new(s, |w| learned.stem_id(w)));
        Ok((learned, status))
    }

    /// The models, the model file given back to `lexicon`.
    fn join(
        self,
        lexicon: &mut Lexicon,
    ) -> Result<(
        Option<crate::learned::CompiledModel>,
        Option<crate::status::CompiledStatus>,
    )> {
        match self {
            Models::Off => Ok((None, None)),
            Models::On(thread) => {
                let (source, models) = thread
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
                lexicon.learned = Some(source);
                let (learned, status) = models?;
                Ok((Some(learned), status))
            }
        }
    }
}

impl CompiledLexicon {
    /// Check every pattern of `lexicon` (errors name file and line under `base`).
    pub(crate) fn validate(lexicon: &Lexicon, base: &Path) -> Result<()> {
        for (owner, src, file, line) in all_patterns(lexicon) {
            check_owner(matches!(owner, Owner::Trope { .. }), src)
                .map_err(|e| locate(e, base, file, line))?;
            check_pattern(src).map_err(|e| locate(e, base, file, line))?;
        }
        Ok(())
    }

    /// Compile `lexicon`.
    pub fn new(lexicon: Lexicon) -> Result<CompiledLexicon> {
        CompiledLexicon::compile(lexicon, TEMPLATE_OVER)
    }

    /// Compile `lexicon`, matching patterns that spell more than `template_over` phrases as
    /// [`Templates`] (the tests compare both ways of matching).
    pub(crate) fn compile(mut lexicon: Lexicon, template_over: usize) -> Result<CompiledLexicon> {
        // The learned stage's models are parsed and compiled on a thread of their own while
        // this one compiles the patterns: the two share nothing, and the models were a
        // sixth of every command's start-up.
        let models = Models::spawn(&mut lexicon)?;
        let stemmer = Stemmer::new();
        let patterns = all_patterns(&lexicon);
        // Errors name the folder the lexicon was read from.
        let base = lexicon.base.as_path();

        // Pass 1: parse everything, collect stems and prefixes.
        let mut parsed = Vec::with_capacity(patterns.len());
        // Each distinct pattern word is stemmed once: the same words recur across patterns.
        let mut stem_of: FxHashMap<String, String> = FxHashMap::default();
        let mut prefixes = BTreeSet::new();
        let mut forms = BTreeSet::new();
        for &(owner, src, file, line) in &patterns {
            check_owner(matches!(owner, Owner::Trope { .. }), src)
                .map_err(|e| locate(e, base, file, line))?;
            let p = pattern::parse(src).map_err(|e| locate(e, base, file, line))?;
            if let Pattern::Seq { left, right } = &p {
                let slots = left.iter().chain(right.iter().flat_map(|(_, r)| r.iter()));
                for word in slots.flatten().flatten() {
                    match word {
                        Word::Exact(w) => {
                            if !stem_of.contains_key(w) {
                                stem_of.insert(w.clone(), stemmer.stem(w).into_owned());
                            }
                        }
                        Word::Prefix(p) => {
                            prefixes.insert(p.clone());
                        }
                        Word::Form(f) => {
                            forms.insert(f.clone());
                        }
                    }
                }
            }
            parsed.push((owner, src, file, line, p));
        }
        let stems: BTreeSet<&String> = stem_of.values().collect();
        let distinct = stems.len() + prefixes.len() + forms.len();
        if distinct as u32 >= MAX_CODES - FIRST_TERM {
            return Err(Error::input(format!(
                "the lexicon uses {} distinct words, over the limit of {}",
                distinct,
                MAX_CODES - FIRST_TERM
            )));
        }
        let mut next = FIRST_TERM;
        let mut vocab: FxHashMap<String, u32> = FxHashMap::default();
        for s in stems {
            vocab.insert(s.clone(), next);
            next += 1;
        }
        let mut prefix_codes: Vec<(String, u32)> = Vec::new();
        for p in prefixes {
            prefix_codes.push((p, next));
            next += 1;
        }
        prefix_codes.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then_with(|| a.0.cmp(&b.0)));
        // An exact form gets a code of its own, taken before its stem's.
        let mut form_codes: FxHashMap<String, u32> = FxHashMap::default();
        for f in forms {
            form_codes.insert(f, next);
            next += 1;
        }

        // The codes a pattern word accepts. A word whose stem is in the vocabulary gets that
        // stem's code even when it also starts with a prefix, so a prefix also accepts the
        // vocabulary stems that start with it, and longer prefixes that start with it.
        let mut prefix_accepts: FxHashMap<&str, Vec<u32>> = FxHashMap::default();
        for (p, _) in &prefix_codes {
            let mut codes: Vec<u32> = prefix_codes
                .iter()
                .filter(|(q, _)| q.starts_with(p.as_str()))
                .map(|&(_, c)| c)
                .collect();
            codes.extend(
                vocab
                    .iter()
                    .filter(|(s, _)| s.starts_with(p.as_str()))
                    .map(|(_, &c)| c),
            );
            codes.sort_unstable();
            prefix_accepts.insert(p, codes);
        }
        // A form takes words away from the code they would have without it, so every
        // pattern word that accepts that code accepts the form too: `miss` accepts
        // "missing", and `happi*` accepts "happy" (stem "happi") as it did before.
        let mut forms_of_stem: FxHashMap<String, Vec<u32>> = FxHashMap::default();
        for (f, &c) in &form_codes {
            let stem = stemmer.stem(f).into_owned();
            let before = vocab.get(&stem).copied().unwrap_or_else(|| {
                prefix_codes
                    .iter()
                    .find(|(p, _)| f.starts_with(p.as_str()))
                    .map_or(OTHER, |&(_, c)| c)
            });
            for codes in prefix_accepts.values_mut() {
                if codes.binary_search(&before).is_ok() {
                    codes.push(c);
                }
            }
            forms_of_stem.entry(stem).or_default().push(c);
        }
        for codes in prefix_accepts.values_mut() {
            codes.sort_unstable();
        }
        // Asked about 60,000 times for 6,000 distinct words while patterns are spelled and
        // counted: each word's codes are worked out once (3% of the start-up's instructions).
        let accepted: RefCell<FxHashMap<Word, Rc<[u32]>>> = RefCell::default();
        let accepts = |w: &Word| -> Rc<[u32]> {
            if let Some(codes) = accepted.borrow().get(w) {
                return Rc::clone(codes);
            }
            let codes: Rc<[u32]> = match w {
                Word::Exact(w) => {
                    let stem = &stem_of[w];
                    let mut codes = vec![vocab[stem]];
                    codes.extend(forms_of_stem.get(stem).into_iter().flatten());
                    if POSSESSIVE_PRONOUNS.contains(&w.as_str()) {
                        codes.push(NAME_POSSESSIVE);
                    }
                    codes.sort_unstable();
                    codes.into()
                }
                Word::Prefix(p) => prefix_accepts[p.as_str()].as_slice().into(),
                Word::Form(f) => [form_codes[f]].as_slice().into(),
            };
            accepted.borrow_mut().insert(w.clone(), Rc::clone(&codes));
            codes
        };
        // The codes a pattern word accepts where it stands: a "her" that ends a phrase is an
        // object and takes no name's possessive.
        let accepts_at = |w: &Word, ends_phrase: bool| -> Rc<[u32]> {
            let codes = accepts(w);
            if ends_phrase && is_object(w) {
                codes
                    .iter()
                    .copied()
                    .filter(|&c| c != NAME_POSSESSIVE)
                    .collect()
            } else {
                codes
            }
        };
        // Patterns that would spell many phrases are templates (below), so spelling stays
        // small: at most `template_over` phrases a pattern side.
        let spell = |phrases: Vec<Vec<Word>>| -> Vec<Vec<u16>> {
            let mut out: Vec<Vec<u16>> = vec![];
            for phrase in phrases {
                let mut strings = vec![Vec::new()];
                for (k, w) in phrase.iter().enumerate() {
                    let codes = accepts_at(w, k + 1 == phrase.len());
                    let mut grown = Vec::with_capacity(strings.len() * codes.len());
                    for s in &strings {
                        for &c in codes.iter() {
                            let mut s = s.clone();
                            s.push(c as u16);
                            grown.push(s);
                        }
                    }
                    strings = grown;
                }
                out.extend(strings);
            }
            out
        };

        // How many phrases `slots` would spell, counted without spelling them.
        let spelled = |slots: &[pattern::Slot]| -> usize {
            slots.iter().fold(1usize, |n, slot| {
                let alts = slot.iter().fold(0usize, |m, alt| {
                    m.saturating_add(
                        alt.iter()
                            .fold(1usize, |k, w| k.saturating_mul(accepts(w).len())),
                    )
                });
                n.saturating_mul(alts)
            })
        };
        let template = |target: Target, slots: &[pattern::Slot]| Template {
            target,
            slots: slots
                .iter()
                .enumerate()
                .map(|(i, slot)| {
                    let last_slot = i + 1 == slots.len();
                    TemplateSlot::new(
                        slot.iter()
                            .filter(|alt| !alt.is_empty())
                            .map(|alt| {
                                alt.iter()
                                    .enumerate()
                                    .map(|(k, w)| {
                                        accepts_at(w, last_slot && k + 1 == alt.len()).to_vec()
                                    })
                                    .collect()
                            })
                            .collect(),
                        slot.iter().any(Vec::is_empty),
                    )
                })
                .collect(),
        };
        let mut templates: Vec<Template> = Vec::new();

        // Pass 2: rules, spelled phrases and regexes.
        let mut rules = Vec::new();
        let mut strings: Vec<Vec<u16>> = Vec::new();
        // Compile time is start-up time for `score`: a fast hash for these lookups.
        let mut string_ids: FxHashMap<Vec<u16>, usize> = FxHashMap::default();
        let mut targets: Vec<Vec<Target>> = Vec::new();
        let mut regexes = Vec::new();
        let mut add = |s: Vec<u16>,
                       target: Target,
                       strings: &mut Vec<Vec<u16>>,
                       targets: &mut Vec<Vec<Target>>| {
            let id = *string_ids.entry(s.clone()).or_insert_with(|| {
                strings.push(s);
                targets.push(Vec::new());
                strings.len() - 1
            });
            if !targets[id].contains(&target) {
                targets[id].push(target);
            }
        };
        for (owner, src, file, line, p) in parsed {
            let rule = rules.len() as u32;
            let located = |e: Error| locate(e, base, file, line);
            match p {
                Pattern::Regex(re) => {
                    regexes.push((rule, regex_for(src, &re).map_err(located)?));
                    rules.push(Rule {
                        owner,
                        distance: None,
                    });
                }
                Pattern::Seq { left, right: None } => {
                    if spelled(&left) > template_over {
                        pattern::check_expansion(src, &left).map_err(located)?;
                        templates.push(template(Target::Whole(rule), &left));
                    } else {
                        let phrases = pattern::expand(src, &left).map_err(located)?;
                        for s in spell(phrases) {
                            add(s, Target::Whole(rule), &mut strings, &mut targets);
                        }
                    }
                    rules.push(Rule {
                        owner,
                        distance: None,
                    });
                }
                Pattern::Seq {
                    left,
                    right: Some((n, right)),
                } => {
                    for (side, target) in [(left, Target::Left(rule)), (right, Target::Right(rule))]
                    {
                        if spelled(&side) > template_over {
                            pattern::check_expansion(src, &side).map_err(located)?;
                            templates.push(template(target, &side));
                        } else {
                            let phrases = pattern::expand(src, &side).map_err(located)?;
                            for s in spell(phrases) {
                                add(s, target, &mut strings, &mut targets);
                            }
                        }
                    }
                    rules.push(Rule {
                        owner,
                        distance: Some(n),
                    });
                }
            }
        }
        let is_trope = |rule: u32| matches!(rules[rule as usize].owner, Owner::Trope { .. });
        // Each template belongs to one group: handed over, not copied (a template is nested
        // vectors, and cloning then dropping them was a seventh of the start-up).
        let (trope_templates, context_templates) = templates
            .into_iter()
            .partition(|t: &Template| is_trope(t.target.rule()));
        let tropes = Matchers::new(
            &strings,
            &targets,
            trope_templates,
            &regexes,
            next,
            is_trope,
        )?;
        let context = Matchers::new(&strings, &targets, context_templates, &regexes, next, |r| {
            !is_trope(r)
        })?;
        let contrast_openers = lexicon
            .cues
            .iter()
            .map(|cue| {
                cue.category == super::CueCategory::Genre
                    && lexicon
                        .model
                        .contrast_openers
                        .iter()
                        .any(|o| cue.pattern.eq_ignore_ascii_case(o))
            })
            .collect();
        let split = |markers: &[String]| -> Vec<Vec<String>> {
            markers
                .iter()
                .map(|m| m.split_whitespace().map(str::to_lowercase).collect())
                .collect()
        };
        let work_markers = split(&lexicon.model.work_markers);
        let timeline_markers = split(&lexicon.model.timeline_markers);
        let mut marker_firsts: Vec<String> = work_markers
            .iter()
            .chain(&timeline_markers)
            .filter_map(|m| m.first().cloned())
            .collect();
        marker_firsts.sort_unstable();
        marker_firsts.dedup();
        let (learned, status) = models.join(&mut lexicon)?;
        Ok(CompiledLexicon {
            learned,
            status,
            transparent: Transparent::new(&lexicon.model),
            marker_firsts,
            romance_words: crate::topic::RomanceWords::new(&lexicon.model.romance_words),
            work_markers,
            timeline_markers,
            contrast_openers,
            lexicon,
            stemmer,
            vocab,
            forms: form_codes,
            prefix_lens: {
                let mut lens: Vec<usize> = prefix_codes.iter().map(|(p, _)| p.len()).collect();
                lens.sort_unstable_by(|a, b| b.cmp(a));
                lens.dedup();
                lens
            },
            prefixes: prefix_codes.into_iter().collect(),
            rules,
            tropes,
            context,
        })
    }

    /// The lexicon this was compiled from.
    pub fn lexicon(&self) -> &Lexicon {
        &self.lexicon
    }

    /// The trope with index `i` (as in mentions).
    pub fn trope(&self, i: u16) -> &Trope {
        &self.lexicon.tropes[i as usize]
    }

    /// Pattern `pattern` of trope `trope` as the trope file spells it, with its line (as in
    /// mentions); `None` for the learned stage's mentions, which no pattern found.
    pub fn pattern(&self, trope: u16, pattern: u16) -> Option<&Located<String>> {
        self.trope(trope).patterns.get(pattern as usize)
    }

    /// Whether pattern `pattern` of trope `trope` (as in mentions) is an absence pattern
    /// (`!`: its words say the work does without the trope).
    pub fn is_absence(&self, trope: u16, pattern: u16) -> bool {
        self.pattern(trope, pattern)
            .is_some_and(|p| pattern::absence(&p.value).is_some())
    }

    /// What the word cache keeps for a normalised word: its [`CompiledLexicon::code_of`] in
    /// the low 16 bits, and above them the learned model's id of its stem (0 when the model
    /// does not use it or the stage is off), so the learned stage reads each token's stem
    /// from the cache the matcher fills anyway.
    pub(crate) fn word_info(&self, norm: &str) -> u32 {
        let Some(m) = &self.learned else {
            return self.code_of(norm);
        };
        // Stemmed once for both (a new word's stem is most of what it costs).
        let stem = self.stemmer.stem(norm);
        let code = match self.forms.get(norm) {
            Some(&c) => c,
            None => self.code_of_stemmed(norm, &stem),
        };
        code | u32::from(m.stem_id(&stem)) << 16
    }

    /// Whether the learned stage runs with this lexicon.
    pub fn learned_on(&self) -> bool {
        self.learned.is_some()
    }

    /// The words of the learned feature a mention's span holds, for evidence; `None` for a
    /// mention a pattern found.
    pub fn learned_feature(&self, m: &crate::matcher::Mention) -> Option<&str> {
        let (model, l) = (self.learned.as_ref()?, m.learned?);
        Some(model.feature_name(l.feature))
    }

    /// What found a mention, in words for evidence: its pattern as written, or for the
    /// learned stage's `learned "feature" p=0.87`.
    pub fn found_by(&self, m: &crate::matcher::Mention) -> String {
        match m.learned {
            Some(l) => format!(
                "learned{} {:?} p={:.2}",
                if l.document { " (whole document)" } else { "" },
                self.learned_feature(m).unwrap_or_default(),
                l.probability
            ),
            None => self
                .trope(m.trope)
                .patterns
                .get(m.pattern as usize)
                .map(|p| p.value.clone())
                .unwrap_or_default(),
        }
    }

    /// The code of a normalised word: its exact form's, else its stem's, else the longest
    /// matching prefix's, else [`TRANSPARENT`] or [`OTHER`].
    pub(crate) fn code_of(&self, norm: &str) -> u32 {
        if let Some(&c) = self.forms.get(norm) {
            return c;
        }
        self.code_of_stemmed(norm, &self.stemmer.stem(norm))
    }

    /// [`CompiledLexicon::code_of`] for a word that is no exact form, given its stem.
    fn code_of_stemmed(&self, norm: &str, stem: &str) -> u32 {
        if let Some(&c) = self.vocab.get(stem) {
            return c;
        }
        // The longest prefix the word starts with.
        match self
            .prefix_lens
            .iter()
            .filter_map(|&n| norm.get(..n))
            .find_map(|p| self.prefixes.get(p))
        {
            Some(&c) => c,
            None if self.transparent.holds(norm) => TRANSPARENT,
            None => OTHER,
        }
    }
}

fn locate(e: Error, base: &Path, file: &Path, line: usize) -> Error {
    if e.is_pattern() {
        Error::lexicon(
            base.join(file),
            (line > 0).then_some(line),
            e.to_string(),
            Some("see lexicons/README.md for the pattern language".into()),
        )
    } else {
        e.in_lexicon_file(&base.join(file))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A template of slots given as alternatives of words (each word one code).
    fn template(slots: &[(&[&[u32]], bool)]) -> Template {
        Template {
            target: Target::Whole(0),
            slots: slots
                .iter()
                .map(|(alts, optional)| {
                    TemplateSlot::new(
                        alts.iter()
                            .map(|alt| alt.iter().map(|&c| vec![c]).collect())
                            .collect(),
                        *optional,
                    )
                })
                .collect(),
        }
    }

    #[test]
    fn template_starts_are_the_first_two_words_of_every_match_and_the_one_word_matches() {
        // (5|6 7|) 8 (9|): matches 5 8, 6 7 8, 8, 5 8 9, 6 7 8 9, 8 9.
        let t = template(&[(&[&[5], &[6, 7]], true), (&[&[8]], false), (&[&[9]], true)]);
        let (pairs, ones) = t.starts(true);
        assert_eq!(
            pairs.into_iter().collect::<Vec<_>>(),
            [(5, 8), (6, 7), (8, 9)]
        );
        assert_eq!(ones.into_iter().collect::<Vec<_>>(), [8]);
        // 5 (6|) (7|): matches 5, 5 6, 5 7, 5 6 7. A one-word alternative reaches past a
        // skipped slot to the next one; nothing starts after a slot that cannot be skipped.
        let t = template(&[(&[&[5]], false), (&[&[6]], true), (&[&[7]], true)]);
        let (pairs, ones) = t.starts(true);
        assert_eq!(pairs.into_iter().collect::<Vec<_>>(), [(5, 6), (5, 7)]);
        assert_eq!(ones.into_iter().collect::<Vec<_>>(), [5]);
    }

    #[test]
    fn template_heads_are_the_first_three_words_of_longer_matches_and_the_two_word_matches() {
        // (5|6 7|) 8 (9|): matches 5 8, 6 7 8, 8, 5 8 9, 6 7 8 9, 8 9.
        let t = template(&[(&[&[5], &[6, 7]], true), (&[&[8]], false), (&[&[9]], true)]);
        let (threes, twos) = t.heads(100).expect("small");
        assert_eq!(threes, [[5, 8, 9], [6, 7, 8]]);
        assert_eq!(twos, [[5, 8], [8, 9]]);
        // Over the limit: the caller falls back to start pairs.
        assert_eq!(t.heads(3), None);
    }

    fn regexes(sources: &[&str]) -> Regexes {
        Regexes::new(
            sources
                .iter()
                .enumerate()
                .map(|(i, s)| (i as u32, regex_for(s, s).unwrap()))
                .collect(),
        )
        .unwrap()
    }

    #[test]
    fn the_regex_gate_takes_a_required_literal_of_each_regex() {
        let r = regexes(&[
            r"\b(trip|trips|fell) ([a-z]+ ){0,3}into (his|her) arms\b",
            r"umbrella,? (so to speak|if you will)",
        ]);
        assert!(!r.may_match(
            "She tripped on the stairs. Nothing else.",
            "She tripped on the stairs. Nothing else."
                .to_ascii_lowercase()
                .as_bytes()
        ));
        assert!(r.may_match(
            "She fell into his ARMS.",
            "She fell into his ARMS.".to_ascii_lowercase().as_bytes()
        ));
        assert!(r.may_match(
            "An Umbrella, So to speak.",
            "An Umbrella, So to speak.".to_ascii_lowercase().as_bytes()
        ));
        // The second regex needs "so to speak" or "if you will", not "umbrella".
        assert!(!r.may_match(
            "An umbrella term.",
            "An umbrella term.".to_ascii_lowercase().as_bytes()
        ));
        // A literal the text spells with the Kelvin sign or the long s still gets the
        // regexes run: case folding equates them with "k" and "s".
        assert!(r.may_match(
            "umbrella, \u{17F}o to speak",
            "umbrella, \u{17F}o to speak"
                .to_ascii_lowercase()
                .as_bytes()
        ));
        // A regex with nothing required opens the gate.
        let open = regexes(&[r"\barms\b", r"[a-z]+ing"]);
        assert!(open.may_match("nothing here", b"nothing here"));
    }

    #[test]
    fn only_the_long_s_and_the_kelvin_sign_fold_to_ascii_letters() {
        use regex_syntax::hir::{ClassUnicode, ClassUnicodeRange};
        let mut class = ClassUnicode::new([
            ClassUnicodeRange::new('a', 'z'),
            ClassUnicodeRange::new('A', 'Z'),
            ClassUnicodeRange::new('0', '9'),
        ]);
        class.case_fold_simple();
        let outside: Vec<char> = class
            .iter()
            .flat_map(|r| r.start()..=r.end())
            .filter(|c| !c.is_ascii())
            .collect();
        assert_eq!(outside, FOLD_TO_ASCII);
    }

    proptest::proptest! {
        /// The gate never turns away a text a regex of the shipped lexicon matches.
        #[test]
        fn the_gate_never_turns_away_a_match(
            words in proptest::collection::vec(proptest::sample::select(vec![
                "she", "trips", "fell", "into", "his", "arms", "ARMS", "asked", "Ask", "her",
                "if", "whether", "wants", "to", "leave", "ready", "years", "later", "in",
                "1999", "umbrella", "so", "speak", "second", "lead", "3", "lead-in", ",", "the",
                "with", "a", "bad", "cold", "by", "offering", "two", "dramas", "\u{17F}o",
            ]), 0..14),
        ) {
            let lex = crate::pipeline::embedded_analyzer().lexicon();
            let text = words.join(" ");
            for r in [&lex.tropes.regexes, &lex.context.regexes] {
                if r.set.as_ref().is_some_and(|s| s.is_match(&text)) {
                    proptest::prop_assert!(
                        r.may_match(&text, text.to_ascii_lowercase().as_bytes()),
                        "{}",
                        text
                    );
                }
            }
        }
    }
}
