//! Where phrases of two words or more, and templates, can start: indexed by their first two
//! codes (templates by their first three).
//!
//! Every phrase a pattern spells is a run of word codes; a template's matches start with one
//! of a known set of three codes (its two-word matches: pairs). A review's code stream is
//! walked once: each position asks a bit filter small enough for the first-level cache
//! whether the pair of its code and the next may start anything, and only then looks the pair
//! up in a hash table (a quarter of a megabyte of keys for the shipped lexicon); most find
//! nothing, and only the phrases that start with that pair are compared. Where a template's
//! three-word start opens with the pair, the pair's entry says from a 64-bit summary whether
//! the third code may fit, and only then does a second table say which templates to try.
//!
//! This replaced an Aho-Corasick automaton over the stream written two bytes a code, and a
//! template index by first code with a 128-bit summary of second codes. The automaton made
//! two state transitions a word through a table of a few hundred kilobytes and paid for
//! every overlapping match it reported; half the positions of a review start some phrase
//! (its first words are "the", "her", "no", ...), and the summary let a third of the
//! template tries through. An exact pair is seldom seen in prose: about one position in
//! twenty-five has phrases to try.

use std::collections::BTreeSet;

use super::compile::{bits, has_bit, Target};

/// A template with more start pairs than this is tried wherever its first code stands (none
/// of the shipped lexicon's has a tenth as many).
const MAX_TEMPLATE_PAIRS: usize = 4096;

/// The phrases and template starts of one matcher group, indexed by first two codes.
#[derive(Clone, Debug, Default)]
pub(crate) struct Phrases {
    /// Pair key (see [`pair_key`]) → what starts with the pair.
    pairs: Table<u32, Entry>,
    /// One bit a hash of a pair key, set for every key of `pairs` (see [`Phrases::may_start`]).
    filter: Vec<u64>,
    /// Every phrase, grouped by pair.
    list: Vec<Phrase>,
    /// The codes of every phrase after its first two, one run a phrase.
    rest: Vec<u16>,
    /// What each phrase stands for, one run a phrase.
    targets: Vec<Target>,
    /// Templates tried by pair, one run a pair, with the ends to report.
    templates: Vec<(u32, Ends)>,
    /// Triple key (see [`triple_key`]) → its templates, `triple_templates[from..to]`.
    triples: Table<u64, (u32, u32)>,
    /// Templates by triple, one run a triple: tried for their matches of three words or
    /// more.
    triple_templates: Vec<u32>,
    /// Templates tried wherever their first code stands (they have too many start pairs):
    /// (first code, template), sorted.
    loose: Vec<(u16, u32)>,
    /// Bit set of the first codes in `loose`.
    loose_firsts: Vec<u64>,
}

/// A key of a [`Table`]; 0 marks an empty slot, so no key is 0.
trait TableKey: Copy + Eq + Default {
    /// The first slot to probe in a table of `2^bits` slots: the high bits of a product,
    /// which depend on every bit of the key.
    fn home(self, bits: u32) -> usize;
}

impl TableKey for u32 {
    #[inline]
    fn home(self, bits: u32) -> usize {
        (self.wrapping_mul(0x9E37_79B1) >> (32 - bits)) as usize
    }
}

impl TableKey for u64 {
    #[inline]
    fn home(self, bits: u32) -> usize {
        (self.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - bits)) as usize
    }
}

/// Open addressing with linear probing, built once from distinct keys and at most half
/// full, so a key that is absent (most lookups) is answered after a probe or two.
#[derive(Clone, Debug, Default)]
struct Table<K, V> {
    keys: Vec<K>,
    values: Vec<V>,
}

impl<K: TableKey, V: Clone + Default> Table<K, V> {
    fn new(entries: Vec<(K, V)>) -> Table<K, V> {
        let slots = (entries.len() * 2).next_power_of_two().max(16);
        let mut table = Table {
            keys: vec![K::default(); slots],
            values: vec![V::default(); slots],
        };
        for (key, value) in entries {
            let mut slot = key.home(slots.trailing_zeros());
            while table.keys[slot] != K::default() {
                slot = (slot + 1) & (slots - 1);
            }
            table.keys[slot] = key;
            table.values[slot] = value;
        }
        table
    }

    /// The value of `key`. The table must have been built with [`Table::new`].
    #[inline]
    fn get(&self, key: K) -> Option<&V> {
        let mask = self.keys.len() - 1;
        let mut slot = key.home(self.keys.len().trailing_zeros());
        loop {
            match self.keys[slot] {
                k if k == key => return Some(&self.values[slot]),
                k if k == K::default() => return None,
                _ => slot = (slot + 1) & mask,
            }
        }
    }
}

/// What starts with one pair: `list[phrases.0..phrases.1]` and
/// `templates[templates.0..templates.1]`.
#[derive(Clone, Copy, Debug, Default)]
struct Entry {
    phrases: (u32, u32),
    templates: (u32, u32),
    /// One bit (see [`third_bit`]) for the third code of each template three-word start
    /// that opens with this pair; 0 when none does. Most pairs that open some start are
    /// followed by a third code none of theirs has, and this answers that from the entry
    /// already read, where the triple table (a megabyte for the shipped lexicon) was a load
    /// from far away: the largest stall of the matcher.
    thirds: u64,
}

/// Which of a template's matches from a position to report: it is tried at a pair for its
/// two-word matches and at a triple for its longer ones, or, when its starts are too many
/// to list, for all of them at a pair or at its first code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Ends {
    /// Matches of two words or more.
    Any,
    /// Matches of exactly two words.
    Two,
    /// Matches of three words or more.
    Longer,
}

/// Where a template's matches of two words or more can start (see
/// [`Template::heads`](super::compile::Template::heads)).
pub(crate) enum TemplateStarts {
    /// The first three codes of its longer matches, and its two-word matches.
    Heads {
        threes: Vec<[u32; 3]>,
        twos: Vec<[u32; 2]>,
    },
    /// Too many of those: the first two codes of its matches.
    Pairs(BTreeSet<(u32, u32)>),
}

/// One phrase: its codes after the first two (`rest[rest..rest + len]`) and its targets.
#[derive(Clone, Copy, Debug)]
struct Phrase {
    rest: u32,
    len: u32,
    targets: (u32, u32),
}

/// A match to report, or a template to try, at a stream position.
pub(crate) enum Found<'a> {
    /// A phrase matched `start..end` (stream positions, `end` exclusive).
    Phrase {
        start: usize,
        end: usize,
        targets: &'a [Target],
    },
    /// Template number `template` may match from `start` on; report the `ends` asked for.
    Template {
        start: usize,
        template: u32,
        ends: Ends,
    },
}

/// The table key of three codes.
#[inline]
fn triple_key(a: u16, b: u16, c: u16) -> u64 {
    u64::from(a) << 32 | u64::from(b) << 16 | u64::from(c)
}

/// Bits in [`Phrases::filter`]: 16 KiB, small enough to stay in the processor's first-level
/// cache beside the stream, where the pair table (256 KiB for the shipped trope lexicon)
/// does not.
const FILTER_BITS: u32 = 17;

/// The filter bit of a pair key.
#[inline]
fn filter_bit(key: u32) -> u32 {
    (u64::from(key).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - FILTER_BITS)) as u32
}

/// The bit of a third code in [`Entry::thirds`].
#[inline]
fn third_bit(code: u16) -> u64 {
    1 << (u32::from(code).wrapping_mul(0x9E37_79B1) >> 26)
}

/// The table key of a pair of codes.
#[inline]
fn pair_key(first: u16, second: u16) -> u32 {
    u32::from(first) << 16 | u32::from(second)
}

/// Code as a stream code: lexicon codes are under 2^14.
fn code16(code: u32) -> u16 {
    u16::try_from(code).expect("lexicon codes fit 16 bits")
}

impl Phrases {
    /// Index `phrases` (each a run of codes with what its matches stand for; one-word
    /// phrases are left out, they are looked up per word) and where each template's
    /// matches of two words or more start. Codes must be non-zero: 0 is the separator of
    /// the code stream.
    pub(crate) fn new(phrases: Vec<(&[u16], &[Target])>, templates: &[TemplateStarts]) -> Phrases {
        let mut phrases: Vec<(&[u16], &[Target])> =
            phrases.into_iter().filter(|(p, _)| p.len() >= 2).collect();
        phrases.sort_by_key(|(p, _)| pair_key(p[0], p[1]));
        let mut starts: Vec<(u32, u32, Ends)> = Vec::new();
        let mut triples: Vec<(u64, u32)> = Vec::new();
        let mut loose = Vec::new();
        for (i, t) in templates.iter().enumerate() {
            let i = i as u32;
            match t {
                TemplateStarts::Heads { threes, twos } => {
                    starts.extend(
                        twos.iter()
                            .map(|&[a, b]| (pair_key(code16(a), code16(b)), i, Ends::Two)),
                    );
                    triples.extend(
                        threes
                            .iter()
                            .map(|&[a, b, c]| (triple_key(code16(a), code16(b), code16(c)), i)),
                    );
                }
                TemplateStarts::Pairs(pairs) if pairs.len() > MAX_TEMPLATE_PAIRS => {
                    loose.extend(pairs.iter().map(|&(f, _)| (code16(f), i)));
                }
                TemplateStarts::Pairs(pairs) => starts.extend(
                    pairs
                        .iter()
                        .map(|&(f, s)| (pair_key(code16(f), code16(s)), i, Ends::Any)),
                ),
            }
        }
        starts.sort_unstable();
        starts.dedup();
        triples.sort_unstable();
        triples.dedup();
        loose.sort_unstable();
        loose.dedup();

        // The run of `key` in a sorted list of keys.
        fn run<K: Ord + Copy>(sorted: &[K], key: K) -> (u32, u32) {
            let from = sorted.partition_point(|&k| k < key);
            let to = sorted.partition_point(|&k| k <= key);
            (from as u32, to as u32)
        }
        let mut index = Phrases::default();
        for (codes, targets) in &phrases {
            let from = index.targets.len() as u32;
            index.targets.extend_from_slice(targets);
            index.list.push(Phrase {
                rest: index.rest.len() as u32,
                len: (codes.len() - 2) as u32,
                targets: (from, index.targets.len() as u32),
            });
            index.rest.extend_from_slice(&codes[2..]);
        }
        index.templates = starts.iter().map(|&(_, t, ends)| (t, ends)).collect();
        let loose_firsts: Vec<u32> = loose.iter().map(|&(f, _)| u32::from(f)).collect();
        index.loose_firsts = bits(loose_firsts.iter());
        index.loose = loose;

        // The triples' own table.
        let triple_keys: Vec<u64> = triples.iter().map(|t| t.0).collect();
        let mut distinct = triple_keys.clone();
        distinct.dedup();
        let mut triple_pairs: Vec<u32> = distinct.iter().map(|&k| (k >> 16) as u32).collect();
        triple_pairs.dedup();
        index.triples = Table::new(
            distinct
                .into_iter()
                .map(|key| (key, run(&triple_keys, key)))
                .collect(),
        );
        index.triple_templates = triples.iter().map(|t| t.1).collect();

        // One entry a distinct pair: phrases, templates by pair, and the pairs triples
        // open with.
        let phrase_keys: Vec<u32> = phrases.iter().map(|(p, _)| pair_key(p[0], p[1])).collect();
        let start_keys: Vec<u32> = starts.iter().map(|s| s.0).collect();
        let keys: BTreeSet<u32> = phrase_keys
            .iter()
            .chain(&start_keys)
            .chain(&triple_pairs)
            .copied()
            .collect();
        let filter_bits: Vec<u32> = keys.iter().map(|&key| filter_bit(key)).collect();
        index.filter = bits(filter_bits.iter());
        index.pairs = Table::new(
            keys.into_iter()
                .map(|key| {
                    let entry = Entry {
                        phrases: run(&phrase_keys, key),
                        templates: run(&start_keys, key),
                        thirds: {
                            // The triples are sorted, so those of one pair are a run.
                            let from = triple_keys.partition_point(|&t| ((t >> 16) as u32) < key);
                            triple_keys[from..]
                                .iter()
                                .take_while(|&&t| (t >> 16) as u32 == key)
                                .fold(0, |bits, &t| bits | third_bit(t as u16))
                        },
                    };
                    (key, entry)
                })
                .collect(),
        );
        index
    }

    /// The templates whose longer matches start with `a`, `b`, `c`.
    #[inline]
    fn triple(&self, a: u16, b: u16, c: u16) -> &[u32] {
        match self.triples.get(triple_key(a, b, c)) {
            Some(&(from, to)) => &self.triple_templates[from as usize..to as usize],
            None => &[],
        }
    }

    /// Whether something may start with the pair `key`: `false` for most pairs of a text
    /// (about five in six of those the table does not hold, with the shipped lexicon), read
    /// from a bit set in the first-level cache. The table lookup it saves was a load from the
    /// second-level cache for every word of the stream, a fifth of the whole run's cycles.
    #[inline]
    fn may_start(&self, key: u32) -> bool {
        has_bit(&self.filter, filter_bit(key))
    }

    /// Call `found` for every phrase match in `stream` and every template that may match
    /// from a position: the phrases and pair-indexed templates first, then the loose ones.
    #[inline]
    pub(crate) fn find(&self, stream: &[u16], mut found: impl FnMut(Found<'_>)) {
        if self.pairs.keys.is_empty() {
            return;
        }
        for (p, pair) in stream.windows(2).enumerate() {
            let key = pair_key(pair[0], pair[1]);
            if !self.may_start(key) {
                continue;
            }
            let Some(entry) = self.pairs.get(key) else {
                continue;
            };
            for phrase in &self.list[entry.phrases.0 as usize..entry.phrases.1 as usize] {
                let len = phrase.len as usize;
                let end = p + 2 + len;
                let rest = &self.rest[phrase.rest as usize..phrase.rest as usize + len];
                if stream.get(p + 2..end) == Some(rest) {
                    let (a, b) = phrase.targets;
                    found(Found::Phrase {
                        start: p,
                        end,
                        targets: &self.targets[a as usize..b as usize],
                    });
                }
            }
            for &(template, ends) in
                &self.templates[entry.templates.0 as usize..entry.templates.1 as usize]
            {
                found(Found::Template {
                    start: p,
                    template,
                    ends,
                });
            }
            if entry.thirds != 0 {
                if let Some(&third) = stream
                    .get(p + 2)
                    .filter(|&&c| entry.thirds & third_bit(c) != 0)
                {
                    for &template in self.triple(pair[0], pair[1], third) {
                        found(Found::Template {
                            start: p,
                            template,
                            ends: Ends::Longer,
                        });
                    }
                }
            }
        }
        if self.loose.is_empty() {
            return;
        }
        for (p, &code) in stream.iter().enumerate() {
            if has_bit(&self.loose_firsts, u32::from(code)) {
                let from = self.loose.partition_point(|&(f, _)| f < code);
                for &(_, template) in self.loose[from..].iter().take_while(|(f, _)| *f == code) {
                    found(Found::Template {
                        start: p,
                        template,
                        ends: Ends::Any,
                    });
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every match by brute force: each phrase compared at each position.
    fn brute(phrases: &[(Vec<u16>, Target)], stream: &[u16]) -> Vec<(usize, usize, Target)> {
        let mut out = Vec::new();
        for p in 0..stream.len() {
            for (codes, t) in phrases {
                if stream[p..].starts_with(codes) && codes.len() >= 2 {
                    out.push((p, p + codes.len(), *t));
                }
            }
        }
        out.sort_by_key(|&(a, b, t)| (a, b, t.rule()));
        out
    }

    fn indexed(phrases: &[(Vec<u16>, Target)], stream: &[u16]) -> Vec<(usize, usize, Target)> {
        let targets: Vec<[Target; 1]> = phrases.iter().map(|(_, t)| [*t]).collect();
        let index = Phrases::new(
            phrases
                .iter()
                .zip(&targets)
                .map(|((p, _), t)| (p.as_slice(), t.as_slice()))
                .collect(),
            &[],
        );
        let mut out = Vec::new();
        index.find(stream, |f| match f {
            Found::Phrase {
                start,
                end,
                targets,
            } => out.extend(targets.iter().map(|&t| (start, end, t))),
            Found::Template { .. } => unreachable!("no templates"),
        });
        out.sort_by_key(|&(a, b, t)| (a, b, t.rule()));
        out
    }

    #[test]
    fn finds_overlapping_and_nested_phrases_and_ignores_one_word_ones() {
        let phrases = vec![
            (vec![5, 6], Target::Whole(0)),
            (vec![5, 6, 7], Target::Whole(1)),
            (vec![6, 7], Target::Left(2)),
            (vec![7], Target::Whole(3)),
            (vec![9, 9, 9], Target::Right(4)),
        ];
        let stream = [5, 6, 7, 0, 9, 9, 9, 9, 5];
        let found = indexed(&phrases, &stream);
        assert_eq!(found, brute(&phrases, &stream));
        assert_eq!(
            found,
            [
                (0, 2, Target::Whole(0)),
                (0, 3, Target::Whole(1)),
                (1, 3, Target::Left(2)),
                (4, 7, Target::Right(4)),
                (5, 8, Target::Right(4)),
            ]
        );
        assert!(indexed(&[], &stream).is_empty());
        assert!(indexed(&phrases, &[]).is_empty());
    }

    /// Where `find` says each template may start, and which ends it asks for.
    fn template_tries(starts: &[TemplateStarts], stream: &[u16]) -> Vec<(usize, u32, Ends)> {
        let index = Phrases::new(Vec::new(), starts);
        let mut out = Vec::new();
        index.find(stream, |f| match f {
            Found::Template {
                start,
                template,
                ends,
            } => out.push((start, template, ends)),
            Found::Phrase { .. } => unreachable!("no phrases"),
        });
        out.sort_unstable();
        out
    }

    #[test]
    fn templates_are_tried_where_their_heads_or_start_pairs_stand() {
        let heads = TemplateStarts::Heads {
            threes: vec![[5, 6, 7]],
            twos: vec![[5, 6], [9, 9]],
        };
        let few = TemplateStarts::Pairs([(7, 5)].into());
        let many = TemplateStarts::Pairs(
            (0..=MAX_TEMPLATE_PAIRS as u32)
                .map(|i| (8, 100 + i))
                .collect(),
        );
        let stream = [5, 6, 7, 0, 7, 5, 6, 8, 9, 9, 8];
        assert_eq!(
            template_tries(&[heads, few, many], &stream),
            [
                (0, 0, Ends::Two),
                (0, 0, Ends::Longer),
                (4, 1, Ends::Any),
                (5, 0, Ends::Two),
                (7, 2, Ends::Any),
                (8, 0, Ends::Two),
                (10, 2, Ends::Any),
            ]
        );
    }

    proptest::proptest! {
        #![proptest_config(proptest::test_runner::Config::with_cases(256))]

        /// The index finds exactly what comparing every phrase at every position finds,
        /// over a small alphabet so that pairs collide and phrases share prefixes.
        #[test]
        fn the_index_finds_what_brute_force_finds(
            phrases in proptest::collection::vec(
                (proptest::collection::vec(1u16..6, 1..5), 0u32..4), 0..40),
            stream in proptest::collection::vec(0u16..6, 0..60),
        ) {
            let phrases: Vec<(Vec<u16>, Target)> =
                phrases.into_iter().map(|(p, r)| (p, Target::Whole(r))).collect();
            let mut want = brute(&phrases, &stream);
            want.dedup();
            let mut got = indexed(&phrases, &stream);
            got.dedup();
            proptest::prop_assert_eq!(got, want);
        }
    }
}
