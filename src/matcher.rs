//! Match: tokens → [`Mention`]s of tropes and [`CueHit`]s of context cues.
//!
//! Every word is mapped to the code of its stem (see [`crate::lexicon::compile`]) through a
//! per-workspace cache, so a word is stemmed once per run rather than once per occurrence.
//! One-word phrases match as each word is encoded; longer ones are found in the code stream
//! through their first two codes, and patterns that multiply out to many phrases are matched
//! slot by slot from where they can start; proximity sides are joined, `re:`
//! patterns run, exclusions veto, and overlapping hits of one trope merge into one mention.
//! All of that runs first for the trope patterns, and for the cues and exclusions only when
//! some trope pattern matched: they decide nothing where there is no mention.

use serde::Serialize;

use crate::lexicon::compile::{
    has_bit, set_bit, Matchers, Owner, Regexes, Target, Template, BREAK, NAME_POSSESSIVE, OTHER,
    SENTENCE, TRANSPARENT,
};
use crate::lexicon::phrases::{Ends, Found};
use crate::lexicon::CompiledLexicon;
use crate::token::{normalize_word, Token, TokenKind};

/// One place where a trope's pattern matched (after exclusions).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Mention {
    /// Index of the trope in the lexicon (sorted by id).
    pub trope: u16,
    /// Index of the pattern within the trope's `patterns`.
    pub pattern: u16,
    /// First token (index into the article's tokens).
    pub first: u32,
    /// Last token, inclusive.
    pub last: u32,
    /// Byte span of the matched words in the article text.
    pub start: usize,
    /// End of the byte span.
    pub end: usize,
    /// 0-based sentence number.
    pub sentence: u32,
    /// Byte span of the whole sentence.
    pub sentence_start: usize,
    /// End of the sentence's byte span.
    pub sentence_end: usize,
    /// Set when the learned stage found this mention rather than a pattern (`pattern` is
    /// then [`crate::learned::LEARNED_PATTERN`]).
    pub learned: Option<crate::learned::Learned>,
}

/// One place where a context cue matched.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct CueHit {
    /// Index of the cue in the lexicon.
    pub cue: u16,
    /// First token.
    pub first: u32,
    /// Last token, inclusive.
    pub last: u32,
    /// Sentence number.
    pub sentence: u32,
    /// Byte span of the cue's words in the article text.
    pub start: usize,
    /// End of the byte span.
    pub end: usize,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Hit {
    rule: u32,
    first: u32,
    last: u32,
}

/// Reusable buffers and the word-code cache. One per thread; reuse it across documents.
#[derive(Default)]
pub struct MatchScratch {
    cache: WordCache,
    norm: String,
    stream: Vec<u16>,
    positions: Vec<u32>,
    hits: Vec<Hit>,
    lefts: Vec<Hit>,
    rights: Vec<Hit>,
    /// The code of each token (see [`MatchScratch::codes`]).
    codes: Vec<u32>,
    /// The learned model's stem id of each token, 0 for none (see `learned`).
    stems: Vec<u16>,
    /// Tokens whose word the front table did not hold.
    misses: Vec<u32>,
    /// A bit a rule, all clear between calls: the rules of the left hits being joined.
    rules: Vec<u64>,
    /// The text with its ASCII letters lower-cased, for the `re:` gates.
    lower: Vec<u8>,
}

/// The cache is cleared when it holds this many words, bounding memory on huge corpora.
const CACHE_LIMIT: usize = 1 << 19;

impl MatchScratch {
    /// Forget every cached word code: they were another lexicon's.
    pub(crate) fn forget_words(&mut self) {
        self.cache.clear();
    }

    /// The code of every word token of `tokens` into `codes` (0 for other tokens). The cache
    /// is keyed by the raw word, so a word seen before costs a hash lookup: no lower-casing,
    /// no stemming.
    ///
    /// Two passes: the front table first for every word, then the big table and the
    /// stemmer for the words it did not hold. The big table's slots are spread over
    /// megabytes, so each of its lookups is a load from far away; done one after another
    /// in their own loop, with little but the load in each step, the processor overlaps
    /// them, where in the per-word loop each waited for the one before.
    ///
    /// The cache holds a word's lexicon code and, above bit 16, its learned model stem id
    /// ([`CompiledLexicon::word_info`]): the two are split here into `codes` and `stems`.
    fn codes(&mut self, lex: &CompiledLexicon, text: &str, tokens: &[Token]) {
        let (codes, stems, misses) = (&mut self.codes, &mut self.stems, &mut self.misses);
        codes.clear();
        stems.clear();
        misses.clear();
        for (i, t) in tokens.iter().enumerate() {
            let info = if t.kind == TokenKind::Word {
                let key = Key::in_text(text.as_bytes(), t.start, t.end);
                self.cache.front(&key).unwrap_or_else(|| {
                    misses.push(i as u32);
                    OTHER
                })
            } else {
                OTHER
            };
            codes.push(info);
        }
        for &i in misses.iter() {
            let t = &tokens[i as usize];
            let word = &text[t.start..t.end];
            let key = Key::in_text(text.as_bytes(), t.start, t.end);
            let info = if let Some(c) = self.cache.get(&key, word.as_bytes()) {
                self.cache.remember(&key, c);
                c
            } else {
                normalize_word(word, &mut self.norm);
                let c = lex.word_info(&self.norm);
                if self.cache.len >= CACHE_LIMIT {
                    self.cache.clear();
                }
                self.cache.insert(&key, word.as_bytes(), c);
                c
            };
            codes[i as usize] = info;
        }
        // With the learned stage off every word's stem id is 0 and the codes are whole:
        // the split is a pass of its own, for the stage only, not a second vector filled
        // in the per-word loop of every document.
        if lex.learned_on() {
            stems.extend(codes.iter().map(|&info| (info >> 16) as u16));
            for code in codes.iter_mut() {
                *code &= 0xffff;
            }
        }
    }

    /// The learned model's stem id of each token of the last document matched (0 for a
    /// token that is no model word), for the learned stage; empty when it is off.
    pub(crate) fn stems(&self) -> &[u16] {
        &self.stems
    }
}

/// A word's first eight bytes packed, its length and hash: most words fit the eight bytes,
/// so comparing a cached word is one integer comparison.
struct Key {
    head: u64,
    /// Bytes 8..16, zero-padded.
    tail: u64,
    len: u32,
    hash: u64,
}

/// The multiplier of the word hash.
const K: u64 = 0xf135_7aea_2e62_a9c5;

/// Up to eight bytes of `b` from `at`, `n` of them, zero-padded: one unaligned load where
/// the text goes on for eight bytes (nearly always), rather than a copy of `n` bytes.
#[inline]
fn load(b: &[u8], at: usize, n: usize) -> u64 {
    match b.get(at..at + 8) {
        Some(eight) => {
            let v = u64::from_le_bytes(eight.try_into().expect("eight bytes"));
            if n >= 8 {
                v
            } else {
                v & ((1u64 << (8 * n)) - 1)
            }
        }
        None => {
            let mut buf = [0u8; 8];
            let n = n.min(8);
            buf[..n].copy_from_slice(&b[at..at + n]);
            u64::from_le_bytes(buf)
        }
    }
}

impl Key {
    /// The key of the word `text[start..end]`, read in place. Always inlined into the
    /// per-word loop: with the long-word path in it, it was a call with a six-register
    /// prologue for every word of a corpus.
    #[inline(always)]
    fn in_text(text: &[u8], start: usize, end: usize) -> Key {
        let len = end - start;
        if len > 16 {
            return Key::long(&text[start..end]);
        }
        let head = load(text, start, len);
        let mut hash = (head ^ len as u64).wrapping_mul(K);
        let mut tail = 0;
        if len > 8 {
            tail = load(text, start + 8, len - 8);
            hash = (hash.rotate_left(26) ^ tail).wrapping_mul(K);
        }
        Key {
            head,
            tail,
            len: len as u32,
            hash,
        }
    }

    #[inline]
    fn of(word: &[u8]) -> Key {
        if word.len() <= 16 {
            Key::in_text(word, 0, word.len())
        } else {
            Key::long(word)
        }
    }

    /// The key of a word longer than 16 bytes (rare).
    #[cold]
    #[inline(never)]
    fn long(word: &[u8]) -> Key {
        let head = load(word, 0, 8);
        let mut hash = (head ^ word.len() as u64).wrapping_mul(K);
        let mut tail = 0;
        for (i, chunk) in word.get(8..).unwrap_or_default().chunks(8).enumerate() {
            let mut buf = [0u8; 8];
            buf[..chunk.len()].copy_from_slice(chunk);
            let chunk = u64::from_le_bytes(buf);
            if i == 0 {
                tail = chunk;
            }
            hash = (hash.rotate_left(26) ^ chunk).wrapping_mul(K);
        }
        // The high bits of a product depend on every input bit: slots are taken from them.
        Key {
            head,
            tail,
            len: word.len() as u32,
            hash,
        }
    }
}

/// One slot of the word cache, 24 bytes; `len == 0` marks it empty (words are never empty,
/// and words longer than `u16::MAX` bytes are not cached).
#[derive(Clone, Copy)]
struct Slot {
    head: u64,
    /// Where bytes 8.. of a longer word start in the arena.
    rest: u32,
    len: u16,
    /// The word's lexicon code (below bit 16) and learned model stem id (above it).
    code: u32,
}

const EMPTY: Slot = Slot {
    head: 0,
    rest: 0,
    len: 0,
    code: 0,
};

/// Raw word → code: open addressing with linear probing, keys packed into the slots and
/// the tails of long words in one arena, so a lookup allocates nothing and rarely follows a
/// pointer. In front of it, a small two-way table of words up to 16 bytes seen at least
/// twice, which stays in the processor's cache: the few thousand commonest words make up
/// most of any text, while the big table's slots are spread over megabytes. Words seen once
/// (half the distinct words of a corpus) never enter it, so they do not push common ones
/// out.
struct WordCache {
    slots: Vec<Slot>,
    arena: Vec<u8>,
    len: usize,
    /// Two entries a set; the first is the more recently used.
    recent: Vec<[Recent; 2]>,
}

/// A front-table entry; `len == 0` marks it empty.
#[derive(Clone, Copy, Default)]
struct Recent {
    head: u64,
    tail: u64,
    len: u32,
    code: u32,
}

/// Sets of the front table (a power of two): 8,192 sets of two 24-byte entries.
const RECENT_BITS: u32 = 13;
const RECENT: usize = 1 << RECENT_BITS;

impl Default for WordCache {
    fn default() -> Self {
        WordCache {
            slots: vec![EMPTY; 1 << 12],
            arena: Vec::new(),
            len: 0,
            recent: vec![[Recent::default(); 2]; RECENT],
        }
    }
}

impl WordCache {
    /// The code of a word of up to 16 bytes from the front table.
    #[inline]
    fn front(&self, key: &Key) -> Option<u32> {
        let set = &self.recent[(key.hash >> (64 - RECENT_BITS)) as usize];
        // Both entries compared without a branch between them (`&`, not `&&`): which of
        // the two holds a word, and whether a comparison fails at its length or its bytes,
        // is unpredictable, and each misprediction cost more than the compares it skipped.
        // The one branch left, hit or miss, goes the same way for nine words in ten.
        let hit = |e: &Recent| (e.len == key.len) & (e.head == key.head) & (e.tail == key.tail);
        let (first, second) = (hit(&set[0]), hit(&set[1]));
        let code = if first { set[0].code } else { set[1].code };
        ((first | second) & (key.len <= 16)).then_some(code)
    }

    /// Put a word of up to 16 bytes at the front of its set.
    #[inline]
    fn remember(&mut self, key: &Key, code: u32) {
        if key.len <= 16 {
            let set = &mut self.recent[(key.hash >> (64 - RECENT_BITS)) as usize];
            set[1] = set[0];
            set[0] = Recent {
                head: key.head,
                tail: key.tail,
                len: key.len,
                code,
            };
        }
    }

    #[inline]
    fn mask(&self) -> usize {
        self.slots.len() - 1
    }

    /// The first slot to probe for `hash`: its top bits.
    #[inline]
    fn home(&self, hash: u64) -> usize {
        (hash >> (64 - self.slots.len().trailing_zeros())) as usize
    }

    #[inline]
    fn matches(&self, slot: &Slot, key: &Key, word: &[u8]) -> bool {
        u32::from(slot.len) == key.len
            && slot.head == key.head
            && (word.len() <= 8 || {
                let at = slot.rest as usize;
                self.arena.get(at..at + word.len() - 8) == Some(&word[8..])
            })
    }

    #[inline]
    fn get(&self, key: &Key, word: &[u8]) -> Option<u32> {
        let mut i = self.home(key.hash);
        loop {
            let slot = &self.slots[i];
            if slot.len == 0 {
                return None;
            }
            if self.matches(slot, key, word) {
                return Some(slot.code);
            }
            i = (i + 1) & self.mask();
        }
    }

    fn insert(&mut self, key: &Key, word: &[u8], code: u32) {
        let Ok(len) = u16::try_from(key.len) else {
            return;
        };
        if (self.len + 1) * 2 > self.slots.len() {
            self.grow();
        }
        let rest = self.arena.len() as u32;
        if word.len() > 8 {
            self.arena.extend_from_slice(&word[8..]);
        }
        self.place(
            key.hash,
            Slot {
                head: key.head,
                rest,
                len,
                code,
            },
        );
        self.len += 1;
    }

    fn place(&mut self, hash: u64, slot: Slot) {
        let mut i = self.home(hash);
        while self.slots[i].len != 0 {
            i = (i + 1) & self.mask();
        }
        self.slots[i] = slot;
    }

    fn grow(&mut self) {
        let bigger = vec![EMPTY; self.slots.len() * 2];
        let old = std::mem::replace(&mut self.slots, bigger);
        for slot in old.into_iter().filter(|s| s.len != 0) {
            let hash = self.hash_of(&slot);
            self.place(hash, slot);
        }
    }

    /// Rebuild a stored word's key hash.
    fn hash_of(&self, slot: &Slot) -> u64 {
        let len = slot.len as usize;
        let mut word = slot.head.to_le_bytes()[..len.min(8)].to_vec();
        if len > 8 {
            let at = slot.rest as usize;
            word.extend_from_slice(&self.arena[at..at + len - 8]);
        }
        Key::of(&word).hash
    }

    fn clear(&mut self) {
        self.recent.fill([Recent::default(); 2]);
        self.slots.fill(EMPTY);
        self.arena.clear();
        self.len = 0;
    }
}

/// Find trope mentions and cue hits in tokenised `text`. Cues are looked for only where some
/// trope pattern matched (they decide nothing elsewhere): with no mention, `cues` is empty.
pub fn find_mentions(
    lex: &CompiledLexicon,
    text: &str,
    tokens: &[Token],
    scratch: &mut MatchScratch,
    mentions: &mut Vec<Mention>,
    cues: &mut Vec<CueHit>,
) {
    mentions.clear();
    cues.clear();
    scratch.hits.clear();
    scratch.lefts.clear();
    scratch.rights.clear();
    encode(lex, text, tokens, scratch);
    scratch.lower.clear();
    if lex.tropes.regexes.reads_lower() || lex.context.regexes.reads_lower() {
        scratch
            .lower
            .extend(text.bytes().map(|b| b.to_ascii_lowercase()));
    }
    run_matchers(&lex.tropes, text, tokens, scratch);
    join_proximity(lex, tokens, scratch);
    // Cues and exclusions only change what a trope match is. Where no trope pattern
    // matched (most reviews of a general corpus) they are not looked for: the one-word ones
    // ("not", "but", "if") and the `re:` ones ("by" and any gerund) were most of the hits.
    let trope = |h: &Hit| matches!(lex.rules[h.rule as usize].owner, Owner::Trope { .. });
    if !scratch.hits.iter().any(trope) {
        return;
    }
    context_pass(lex, text, tokens, scratch);

    // Split hits by owner.
    let hits = &mut scratch.hits;
    hits.sort_unstable();
    hits.dedup();
    let mut exclusions: Vec<(u16, u32, u32)> = Vec::new();
    for h in hits.iter() {
        match lex.rules[h.rule as usize].owner {
            Owner::Exclusion { trope, .. } => exclusions.push((trope, h.first, h.last)),
            Owner::Cue { cue } => cues.push(cue_hit(cue, h, tokens)),
            Owner::Trope { .. } => {}
        }
    }
    let mut found: Vec<(u16, u16, u32, u32)> = Vec::new();
    for h in hits.iter() {
        if let Owner::Trope { trope, index } = lex.rules[h.rule as usize].owner {
            let vetoed = exclusions
                .iter()
                .any(|&(t, f, l)| t == trope && f <= h.last && h.first <= l);
            if !vetoed {
                found.push((trope, index, h.first, h.last));
            }
        }
    }
    // Overlapping or adjacent hits of one trope in one sentence are one mention ("chaebol
    // heirs" is one reference, not two): keep the widest, then the earliest pattern, but an
    // absence pattern among them over any other.
    found.sort_unstable_by_key(|&(t, i, f, l)| (t, f, std::cmp::Reverse(l), i));
    let mut merged: Vec<(u16, u16, u32, u32)> = Vec::with_capacity(found.len());
    for h in found {
        match merged.last_mut() {
            Some(m)
                if m.0 == h.0
                    && h.2 <= m.3 + 1
                    && tokens[h.2 as usize].sentence == tokens[m.3 as usize].sentence =>
            {
                m.3 = m.3.max(h.3);
                // An absence pattern says what the whole reference means: "the damsel in
                // distress rescues herself" is the damsel's absence.
                if lex.is_absence(h.0, h.1) && !lex.is_absence(m.0, m.1) {
                    m.1 = h.1;
                }
            }
            _ => merged.push(h),
        }
    }
    merged.sort_unstable_by_key(|&(t, _, f, _)| (f, t));
    for (trope, pattern, first, last) in merged {
        let (ft, lt) = (&tokens[first as usize], &tokens[last as usize]);
        let (sentence_start, sentence_end) = sentence_span(tokens, first as usize);
        mentions.push(Mention {
            trope,
            pattern,
            first,
            last,
            start: ft.start,
            end: lt.end,
            sentence: ft.sentence,
            sentence_start,
            sentence_end,
            learned: None,
        });
    }
    cues.sort_unstable_by_key(|c| (c.first, c.last, c.cue));
}

/// Run the cues' and exclusions' matchers over the code stream [`find_mentions`] built,
/// adding their hits to the trope hits.
fn context_pass(lex: &CompiledLexicon, text: &str, tokens: &[Token], scratch: &mut MatchScratch) {
    let (lefts, rights) = (scratch.lefts.len(), scratch.rights.len());
    encode_context(lex, scratch);
    run_matchers(&lex.context, text, tokens, scratch);
    if scratch.lefts.len() > lefts || scratch.rights.len() > rights {
        // Proximity sides of cues and exclusions: join again (the trope hits joined before
        // come out twice and are deduplicated by the caller).
        join_proximity(lex, tokens, scratch);
    }
}

fn cue_hit(cue: u16, h: &Hit, tokens: &[Token]) -> CueHit {
    CueHit {
        cue,
        first: h.first,
        last: h.last,
        sentence: tokens[h.first as usize].sentence,
        start: tokens[h.first as usize].start,
        end: tokens[h.last as usize].end,
    }
}

/// The cue hits of a document in which [`find_mentions`] found no mention, so looked for
/// none, but a later stage (the learned one) did: call it right after `find_mentions`,
/// with the same scratch, so the code stream is still this document's.
pub(crate) fn find_cues(
    lex: &CompiledLexicon,
    text: &str,
    tokens: &[Token],
    scratch: &mut MatchScratch,
    cues: &mut Vec<CueHit>,
) {
    cues.clear();
    context_pass(lex, text, tokens, scratch);
    let hits = &mut scratch.hits;
    hits.sort_unstable();
    hits.dedup();
    for h in hits.iter() {
        if let Owner::Cue { cue } = lex.rules[h.rule as usize].owner {
            cues.push(cue_hit(cue, h, tokens));
        }
    }
    cues.sort_unstable_by_key(|c| (c.first, c.last, c.cue));
}

/// Tokens → code stream (one code a position) and position → token index, recording
/// the matches of one-word phrases on the way ([`CompiledLexicon::tropes`]).
///
/// No pattern holds [`OTHER`], [`BREAK`] or [`SENTENCE`] (patterns are spelled from lexicon
/// words only), so they only ever separate matches: a run of them is written as one
/// separator, which leaves every match as it was and shortens what the matchers read
/// (most words of a review are no lexicon word). A [`TRANSPARENT`] word is left out
/// altogether, so the words on either side of it are adjacent.
fn encode(lex: &CompiledLexicon, text: &str, tokens: &[Token], scratch: &mut MatchScratch) {
    scratch.stream.clear();
    scratch.positions.clear();
    let separator = OTHER as u16;
    let mut sentence = tokens.first().map_or(0, |t| t.sentence);
    // Whether the stream ends in a separator (true at the start: none is needed there).
    let mut separated = true;
    scratch.codes(lex, text, tokens);
    // Tokens before this one were read as part of a name's possessive.
    let mut consumed = 0;
    for (i, t) in tokens.iter().enumerate() {
        if i < consumed {
            continue;
        }
        let code = match t.kind {
            TokenKind::Word => match scratch.codes[i] {
                OTHER | TRANSPARENT => match name_possessive(text.as_bytes(), tokens, i) {
                    // One code for the whole name, at its first part: the parts after it
                    // ("-", "ah's" of "Ji-ah's") add nothing to the stream.
                    Some(last) => {
                        consumed = last + 1;
                        NAME_POSSESSIVE
                    }
                    None => scratch.codes[i],
                },
                code => code,
            },
            TokenKind::Hyphen | TokenKind::Other if t.sentence == sentence => continue,
            TokenKind::Hyphen | TokenKind::Other => SENTENCE,
            _ => BREAK,
        };
        if t.sentence != sentence {
            sentence = t.sentence;
            if !separated {
                scratch.stream.push(separator);
                scratch.positions.push(i as u32);
                separated = true;
            }
        }
        if code == TRANSPARENT {
            continue;
        }
        if code <= SENTENCE {
            if !separated {
                scratch.stream.push(separator);
                scratch.positions.push(i as u32);
                separated = true;
            }
            continue;
        }
        let at = i as u32;
        for &t in lex.tropes.single.of(code) {
            push_target(t, at, at, scratch);
        }
        scratch.stream.push(code as u16);
        scratch.positions.push(at);
        separated = false;
    }
}

/// Subjects whose "'s" is "is" or "has" ("It's", "She's"), not a possessive, at the start of
/// a sentence where they are capitalised like a name.
const CONTRACTED: [&[u8]; 23] = [
    b"it",
    b"he",
    b"she",
    b"that",
    b"there",
    b"what",
    b"let",
    b"here",
    b"who",
    b"where",
    b"how",
    b"when",
    b"why",
    b"this",
    b"everyone",
    b"everybody",
    b"nobody",
    b"someone",
    b"somebody",
    b"one",
    b"everything",
    b"nothing",
    b"something",
];

/// Whether the name that word token `i` opens is a possessive, and if so its last token: a
/// capitalised word (any capital: "Éun's") of two letters or more ending in "'s" or "’s", in
/// either case ("Mirae's", "MIRAE'S", not "It's" or "She's"), or a capitalised word of two
/// letters or more followed, hyphen by hyphen with no space, by parts the last of which ends
/// so ("Ji-ah's", the tokens "Ji", "-", "ah's"; not "K-pop's").
fn name_possessive(text: &[u8], tokens: &[Token], i: usize) -> Option<usize> {
    let first = &text[tokens[i].start..tokens[i].end];
    // A capital outside ASCII opens a name too ("Éun's"): the text is UTF-8, so the first
    // character is decoded only when the first byte is not ASCII (rare).
    let capital = match first.first() {
        Some(b) if b.is_ascii() => b.is_ascii_uppercase(),
        Some(_) => std::str::from_utf8(first)
            .ok()
            .and_then(|w| w.chars().next())
            .is_some_and(char::is_uppercase),
        None => false,
    };
    if !capital || letters(first) < 2 {
        return None;
    }
    // The name's last part: on over "-part" pairs.
    let mut last = i;
    while let (Some(hyphen), Some(part)) = (tokens.get(last + 1), tokens.get(last + 2)) {
        if hyphen.kind != TokenKind::Hyphen
            || hyphen.start != tokens[last].end
            || part.kind != TokenKind::Word
            || part.start != hyphen.end
        {
            break;
        }
        last += 2;
    }
    let word = &text[tokens[last].start..tokens[last].end];
    let base = [
        &b"'s"[..],
        b"'S",
        "\u{2019}s".as_bytes(),
        "\u{2019}S".as_bytes(),
    ]
    .iter()
    .find_map(|end| word.strip_suffix(*end))?;
    let possessive = if last > i {
        !base.is_empty()
    } else {
        letters(base) >= 2 && !CONTRACTED.iter().any(|c| base.eq_ignore_ascii_case(c))
    };
    possessive.then_some(last)
}

/// The characters of UTF-8 `word` (its bytes that do not continue a character).
fn letters(word: &[u8]) -> usize {
    word.iter().filter(|&&b| b & 0xC0 != 0x80).count()
}

/// A group's phrases, templates and regexes.
fn run_matchers(m: &Matchers, text: &str, tokens: &[Token], scratch: &mut MatchScratch) {
    let stream = std::mem::take(&mut scratch.stream);
    m.phrases.find(&stream, |found| match found {
        Found::Phrase {
            start,
            end,
            targets,
        } => {
            let (first, last) = (scratch.positions[start], scratch.positions[end - 1]);
            for &t in targets {
                push_target(t, first, last, scratch);
            }
        }
        Found::Template {
            start,
            template,
            ends,
        } => {
            let template = &m.templates[template as usize];
            template_ends(template, 0, start, &stream, &mut |end| {
                // One-word matches are in the one-word table; a template tried at a pair
                // for its two-word matches reports only those, at a triple the longer ones.
                let wanted = match ends {
                    Ends::Any => end > start + 1,
                    Ends::Two => end == start + 2,
                    Ends::Longer => end > start + 2,
                };
                if wanted {
                    let (first, last) = (scratch.positions[start], scratch.positions[end - 1]);
                    push_target(template.target, first, last, scratch);
                }
            });
        }
    });
    scratch.stream = stream;
    run_regexes(&m.regexes, text, &scratch.lower, tokens, &mut scratch.hits);
}

/// The one-word cues and exclusions ([`CompiledLexicon::context`]) of the code
/// stream, found once some trope pattern matched.
fn encode_context(lex: &CompiledLexicon, scratch: &mut MatchScratch) {
    for p in 0..scratch.positions.len() {
        let at = scratch.positions[p];
        for &t in lex.context.single.of(code_at(&scratch.stream, p)) {
            push_target(t, at, at, scratch);
        }
    }
}

/// The code at stream position `i`.
#[inline]
fn code_at(stream: &[u16], i: usize) -> u32 {
    u32::from(stream[i])
}

/// Call `found` with one past the last position of every match of `template`'s slots from
/// `slot` on, starting at stream position `at`.
fn template_ends(
    template: &Template,
    slot: usize,
    at: usize,
    stream: &[u16],
    found: &mut impl FnMut(usize),
) {
    let Some(s) = template.slots.get(slot) else {
        found(at);
        return;
    };
    if s.optional {
        template_ends(template, slot + 1, at, stream, found);
    }
    let n = stream.len();
    if at >= n {
        return;
    }
    // The first word of each alternative found is the code at `at`: the rest is compared.
    for &(_, alt) in s.starting_with(code_at(stream, at)) {
        let alt = &s.alts[alt as usize];
        let fits = at + alt.len() <= n
            && alt
                .iter()
                .enumerate()
                .skip(1)
                .all(|(k, codes)| codes.binary_search(&code_at(stream, at + k)).is_ok());
        if fits {
            template_ends(template, slot + 1, at + alt.len(), stream, found);
        }
    }
}

/// Record a match of `target` over tokens `first..=last`.
#[inline]
fn push_target(target: Target, first: u32, last: u32, scratch: &mut MatchScratch) {
    match target {
        Target::Whole(rule) => scratch.hits.push(Hit { rule, first, last }),
        Target::Left(rule) => scratch.lefts.push(Hit { rule, first, last }),
        Target::Right(rule) => scratch.rights.push(Hit { rule, first, last }),
    }
}

/// `a ~N b`: each left hit joins the nearest right hit that starts after it, in the same
/// sentence, with at most N words between.
fn join_proximity(lex: &CompiledLexicon, tokens: &[Token], scratch: &mut MatchScratch) {
    if scratch.lefts.is_empty() || scratch.rights.is_empty() {
        return;
    }
    // Only a right hit of a rule some left hit has can join: most right sides are common
    // words ("her", "him") whose left side is nowhere near, so they are dropped before the
    // sort rather than sorted.
    for l in &scratch.lefts {
        set_bit(&mut scratch.rules, l.rule);
    }
    let rules = &scratch.rules;
    scratch.rights.retain(|r| has_bit(rules, r.rule));
    for l in &scratch.lefts {
        scratch.rules[l.rule as usize / 64] = 0;
    }
    scratch.rights.sort_unstable();
    for l in &scratch.lefts {
        let n = lex.rules[l.rule as usize].distance.unwrap_or(0);
        let lt = &tokens[l.last as usize];
        let from = scratch
            .rights
            .partition_point(|r| (r.rule, r.first) <= (l.rule, l.last));
        // Only the nearest right hit can join.
        if let Some(r) = scratch.rights.get(from).filter(|r| r.rule == l.rule) {
            let rt = &tokens[r.first as usize];
            if rt.sentence == lt.sentence && rt.word - lt.word <= n + 1 {
                scratch.hits.push(Hit {
                    rule: l.rule,
                    first: l.first,
                    last: r.last,
                });
            }
        }
    }
}

/// `re:` patterns: matches that start and end on word tokens become hits.
fn run_regexes(regexes: &Regexes, text: &str, lower: &[u8], tokens: &[Token], hits: &mut Vec<Hit>) {
    let Some(set) = &regexes.set else { return };
    if !regexes.may_match(text, lower) {
        return;
    }
    // Most documents match no `re:` pattern: the set's lazy DFA answers that fast. When one
    // does, the set says which (an overlapping search of the whole text), and only those
    // search on their own for the spans: cue regexes such as `\blook for\b` match in many
    // reviews, and running all the others there too was a tenth of the run.
    if !set.is_match(text) {
        return;
    }
    for i in set.matches(text).iter() {
        let (rule, re) = &regexes.list[i];
        for m in re.find_iter(text) {
            let first = tokens.partition_point(|t| t.start < m.start());
            let last = tokens.partition_point(|t| t.end < m.end());
            let ok = |i: usize, at: usize, start: bool| {
                tokens.get(i).is_some_and(|t| {
                    t.kind == TokenKind::Word && if start { t.start == at } else { t.end == at }
                })
            };
            if ok(first, m.start(), true) && ok(last, m.end(), false) && first <= last {
                // A match that reads on past its sentence's end (a pattern that wants
                // punctuation and a word after "meant to be", the only lookahead a regex
                // here has) is a mention in its first sentence: it ends at that sentence's
                // last word, as every mention lies inside one sentence.
                let sentence = tokens[first].sentence;
                let mut last =
                    first + tokens[first..=last].partition_point(|t| t.sentence == sentence) - 1;
                while tokens[last].kind != TokenKind::Word {
                    last -= 1;
                }
                hits.push(Hit {
                    rule: *rule,
                    first: first as u32,
                    last: last as u32,
                });
            }
        }
    }
}

/// Byte span of the sentence holding token `i`, from its first to its last token.
pub(crate) fn sentence_span(tokens: &[Token], i: usize) -> (usize, usize) {
    // Tokens are in sentence order: two binary searches, not a walk over a sentence that
    // may be very long.
    let s = tokens[i].sentence;
    let a = tokens[..i].partition_point(|t| t.sentence < s);
    let b = i + tokens[i..].partition_point(|t| t.sentence <= s) - 1;
    (tokens[a].start, tokens[b].end)
}

#[cfg(test)]
mod tests {
    use proptest::strategy::Strategy;

    use crate::pipeline::{test_analyzer, test_analyzer_with, Analyzer};

    /// The shipped cues and model with one small trope.
    fn analyzer() -> Analyzer {
        test_analyzer(&[("chaebol", "cliche", &["chaebol", "heir*", "rich heir"])])
    }

    /// The matched words of every mention.
    fn mentions(text: &str) -> Vec<String> {
        matched(&analyzer(), text)
    }

    /// The matched words of every mention `a` finds in `text`.
    fn matched(a: &Analyzer, text: &str) -> Vec<String> {
        let r = a.analyze_text("t", text);
        r.mentions
            .iter()
            .map(|m| r.matched(m).to_string())
            .collect()
    }

    #[test]
    fn exact_forms_match_their_spelling_only_and_stems_still_match_them() {
        let a = test_analyzer(&[
            (
                "gone",
                "cliche",
                &["=missing (=scene|=scenes)", "key =k-dramas"],
            ),
            ("lack", "cliche", &["miss ~2 chanc*"]),
        ]);
        let found = |text: &str| matched(&a, text);
        assert_eq!(found("The Missing scenes hurt."), ["Missing scenes"]);
        assert_eq!(
            found("She missed scenes and misses a scene."),
            Vec::<String>::new()
        );
        assert_eq!(found("Key K-dramas, key k-drama."), ["Key K-dramas"]);
        // A stemmed word still accepts a form of its stem that another pattern spells
        // exactly ("missing"), and a prefix the forms that start with it.
        assert_eq!(found("Missing the chance again."), ["Missing the chance"]);
    }

    #[test]
    fn a_names_possessive_takes_a_possessive_pronouns_place() {
        let a = test_analyzer(&[
            ("wrist-grab", "cliche", &["grab her wrist"]),
            (
                "disapproving-parent",
                "cliche",
                &["(his|their) mother disapproves"],
            ),
            ("sudden-breakup", "cliche", &["left her"]),
        ]);
        let found = |text: &str| matched(&a, text);
        assert_eq!(found("He grabs Mirae's wrist."), ["grabs Mirae's wrist"]);
        assert_eq!(found("He grabs Mirae’s wrist."), ["grabs Mirae’s wrist"]);
        // A hyphenated name, read as one word from its first part.
        assert_eq!(
            found("Then Ji-ah's mother disapproves."),
            ["Ji-ah's mother disapproves"]
        );
        assert_eq!(
            found("Dong-Hoon's mother disapproves."),
            ["Dong-Hoon's mother disapproves"]
        );
        assert_eq!(found("He grabs MIRAE'S wrist."), ["grabs MIRAE'S wrist"]);
        // A capital outside ASCII opens a name; one letter before the "'s" is no name.
        assert_eq!(found("He grabs Éun's wrist."), ["grabs Éun's wrist"]);
        assert_eq!(found("He grabs Ōsaki’s wrist."), ["grabs Ōsaki’s wrist"]);
        assert_eq!(found("He grabs É's wrist."), Vec::<String>::new());
        assert_eq!(found("He grabs éun's wrist."), Vec::<String>::new());
        // Inside a phrase too, the whole name.
        assert_eq!(found("He grabs Ji-ah's wrist."), ["grabs Ji-ah's wrist"]);
        // A "her" that ends a phrase is an object: "left her" is not "left Mirae's".
        assert_eq!(found("He left Mirae's flat."), Vec::<String>::new());
        assert_eq!(found("He left her."), ["left her"]);
        // Not a contraction of "is", nor a word's possessive, nor a bare name, nor a
        // one-letter first part.
        assert_eq!(found("It's mother disapproves."), Vec::<String>::new());
        assert_eq!(found("IT'S mother disapproves."), Vec::<String>::new());
        assert_eq!(
            found("Something's mother disapproves."),
            Vec::<String>::new()
        );
        assert_eq!(found("He grabs K-pop's wrist."), Vec::<String>::new());
        assert_eq!(found("He grabs the girl's wrist."), Vec::<String>::new());
        assert_eq!(found("He grabs Mirae wrist."), Vec::<String>::new());
        assert_eq!(
            found("A well-known's mother disapproves."),
            Vec::<String>::new()
        );
    }

    #[test]
    fn a_hyphenated_name_is_one_position_so_spans_never_run_backwards() {
        // The parts of a name once entered the stream one by one and its possessive at the
        // first part, so a phrase over a middle part ended before it began (a panic).
        let a = test_analyzer(&[
            ("rescue", "cliche", &["save her", "(suddenly|left) ~3 her"]),
            ("gone", "cliche", &["left"]),
        ]);
        for text in [
            "Yoon-Save-ah's mother.",
            "Yoon-Suddenly-Left-ji's.",
            "He left Yoon-Save-Left-ah's flat and saves her.",
            "-'s A-’s ’s’s Ab-'s Ab-c-'s",
        ] {
            let r = a.analyze_text("t", text);
            for m in &r.mentions {
                assert!(m.mention.first <= m.mention.last, "{text}");
                assert!(m.mention.start <= m.mention.end, "{text}");
            }
        }
    }

    #[test]
    fn phrases_read_through_adverbs_that_no_pattern_spells() {
        // The shipped model: any "-ly" word of five letters or more, but not "family"
        // (listed as opaque), nor "gently" once a pattern spells it.
        let a = test_analyzer(&[
            ("wrist-grab", "cliche", &["grab her wrist"]),
            ("chaebol", "cliche", &["his fortune"]),
            ("soft", "mature", &["gently asks"]),
        ]);
        let found = |text: &str| matched(&a, text);
        assert_eq!(
            found("He suddenly grabs roughly her wrist."),
            ["grabs roughly her wrist"]
        );
        // Not across a word that is no adverb, nor across punctuation.
        assert_eq!(found("He grabs the wrist."), Vec::<String>::new());
        assert_eq!(found("He grabs, roughly, her wrist."), Vec::<String>::new());
        assert_eq!(found("His family fortune."), Vec::<String>::new());
        // Nor a verb with the ending, nor a word of four letters (however many bytes).
        assert_eq!(found("He grabs apply her wrist."), Vec::<String>::new());
        assert_eq!(found("He grabs ñaly her wrist."), Vec::<String>::new());
        assert_eq!(
            found("He grabs ñañaly her wrist."),
            ["grabs ñañaly her wrist"]
        );
        // "gently" is a pattern word here, so it separates like any other word.
        assert_eq!(found("He grabs gently her wrist."), Vec::<String>::new());
        assert_eq!(found("He gently asks."), ["gently asks"]);
        // The first word of a sentence is still a sentence apart from the last one.
        assert_eq!(found("He grabs. Really her wrist."), Vec::<String>::new());
    }

    /// The word key as first written: bytes copied into zero-padded eight-byte chunks.
    fn reference_key(word: &[u8]) -> (u64, u64, u32, u64) {
        let chunk = |c: &[u8]| {
            let mut buf = [0u8; 8];
            buf[..c.len()].copy_from_slice(c);
            u64::from_le_bytes(buf)
        };
        let head = chunk(&word[..word.len().min(8)]);
        let mut hash = (head ^ word.len() as u64).wrapping_mul(super::K);
        let mut tail = 0;
        for (i, c) in word.get(8..).unwrap_or_default().chunks(8).enumerate() {
            if i == 0 {
                tail = chunk(c);
            }
            hash = (hash.rotate_left(26) ^ chunk(c)).wrapping_mul(super::K);
        }
        (head, tail, word.len() as u32, hash)
    }

    proptest::proptest! {
        /// A word's key, read in place in the text or from the word alone, is the key as
        /// first written, at every length and near the end of the text, where no eight
        /// bytes follow.
        #[test]
        fn keys_read_in_place_are_the_keys_of_the_word(
            text in "[a-zA-Z' ]{1,40}",
            a in 0usize..40,
            n in 1usize..30,
        ) {
            let b = text.as_bytes();
            let start = a.min(b.len() - 1);
            let end = (start + n).min(b.len());
            let want = reference_key(&b[start..end]);
            for k in [super::Key::in_text(b, start, end), super::Key::of(&b[start..end])] {
                proptest::prop_assert_eq!((k.head, k.tail, k.len, k.hash), want);
            }
        }
    }

    #[test]
    fn cues_are_looked_for_only_where_a_trope_pattern_matched() {
        let a = analyzer();
        let lex = a.lexicon();
        let cues_in = |text: &str| {
            let (mut tokens, mut scratch) = (Vec::new(), super::MatchScratch::default());
            let (mut mentions, mut cues) = (Vec::new(), Vec::new());
            crate::token::tokenize_into(text, &mut tokens);
            super::find_mentions(lex, text, &tokens, &mut scratch, &mut mentions, &mut cues);
            (mentions.len(), cues.len())
        };
        assert_eq!(cues_in("It is not a good film, but never mind."), (0, 0));
        let (mentions, cues) = cues_in("It is not a chaebol story, but never mind.");
        assert_eq!(mentions, 1);
        assert!(cues >= 2, "{cues}");
    }

    #[test]
    fn adjacent_and_overlapping_hits_of_a_trope_are_one_mention() {
        assert_eq!(mentions("Gone are the chaebol heirs."), ["chaebol heirs"]);
        assert_eq!(mentions("She is a rich heir."), ["rich heir"]);
        // Punctuation or a sentence between them: two references.
        assert_eq!(mentions("A chaebol, heirs galore."), ["chaebol", "heirs"]);
        assert_eq!(
            mentions("A chaebol\n\nHeirs everywhere."),
            ["chaebol", "Heirs"]
        );
    }

    const WORDS: &[&str] = &[
        "she", "is", "so", "clumsy", "the", "heir", "heirs", "rich", "a", "very", "not", "her",
    ];

    /// Pattern words: the text's words, stemmed, as exact forms, or as a prefix.
    const PATTERN_WORDS: &[&str] = &[
        "she", "is", "so", "clumsy", "the", "heir", "heirs", "rich", "a", "very", "not", "her",
        "=heirs", "=is", "heir*",
    ];

    fn word() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        proptest::sample::select(PATTERN_WORDS).prop_map(str::to_string)
    }

    /// A pattern side: slots of one to three alternatives of one or two words, some slots
    /// optional.
    fn side() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        let alt = proptest::collection::vec(word(), 1..3).prop_map(|w| w.join(" "));
        let slot = (
            proptest::collection::vec(alt, 1..4),
            proptest::bool::weighted(0.3),
        )
            .prop_map(|(alts, optional)| match (alts.len(), optional) {
                (1, false) => alts[0].clone(),
                (_, false) => format!("({})", alts.join("|")),
                (_, true) => format!("({}|)", alts.join("|")),
            });
        proptest::collection::vec(slot, 1..4).prop_map(|s| s.join(" "))
    }

    #[test]
    fn a_regex_reading_past_the_sentence_end_is_a_mention_in_its_first_sentence() {
        let a = test_analyzer(&[("wrist-grab", "cliche", &[r"re:wrist\. he"])]);
        let analysis = a.analyze_text("t", "He grabs her wrist. He runs away.");
        let m = &analysis.mentions[0].mention;
        assert_eq!(analysis.matched(&analysis.mentions[0]), "wrist");
        assert!(m.sentence_start <= m.start && m.end <= m.sentence_end);
        assert_eq!(
            analysis.sentence(&analysis.mentions[0]),
            "He grabs her wrist."
        );
        // The shipped `destiny` pattern wants punctuation and a word after "meant to be".
        let a = Analyzer::embedded().unwrap();
        let analysis = a.analyze_text("t", "They are meant to be. Everyone says so.");
        let m = analysis
            .mentions
            .iter()
            .find(|m| a.trope_id(m) == "destiny")
            .unwrap();
        assert_eq!(analysis.matched(m), "They are meant to be");
    }

    proptest::proptest! {
        #![proptest_config(proptest::test_runner::Config::with_cases(64))]

        /// Matching a pattern slot by slot finds exactly what its spelled-out phrases find
        /// as phrases, mentions and cues alike.
        #[test]
        fn templates_match_what_the_spelled_phrases_match(
            patterns in proptest::collection::vec(
                (side(), proptest::option::of((0u32..3, side()))), 1..4),
            texts in proptest::collection::vec(
                proptest::collection::vec(
                    proptest::prop_oneof![
                        proptest::sample::select(WORDS).prop_map(str::to_string),
                        proptest::strategy::Just(",".to_string()),
                        proptest::strategy::Just(".".to_string()),
                    ],
                    0..30,
                ),
                1..8,
            ),
        ) {
            let patterns: Vec<String> = patterns
                .into_iter()
                .map(|(l, r)| match r {
                    Some((n, r)) => format!("{l} ~{n} {r}"),
                    None => l,
                })
                .collect();
            let refs: Vec<&str> = patterns
                .iter()
                .map(String::as_str)
                .filter(|p| crate::lexicon::compile::check_pattern(p).is_ok())
                .collect();
            proptest::prop_assume!(!refs.is_empty());
            let tropes = [("t", "cliche", refs.as_slice())];
            let (spelled, slotted) = match (
                test_analyzer_with(&tropes, usize::MAX),
                test_analyzer_with(&tropes, 0),
            ) {
                (Ok(a), Ok(b)) => (a, b),
                // Not a valid pattern (all slots optional, say): both refuse it alike.
                (Err(_), Err(_)) => return Ok(()),
                (a, b) => {
                    proptest::prop_assert!(false, "{:?} / {:?}", a.err(), b.err());
                    unreachable!()
                }
            };
            for words in texts {
                let text = words.join(" ");
                let a = spelled.analyze_text("t", &text);
                let b = slotted.analyze_text("t", &text);
                proptest::prop_assert_eq!(&a.mentions, &b.mentions, "{}", text);
            }
        }
    }
}
