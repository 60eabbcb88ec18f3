//! Context: decide each mention's [`Status`] from the cues around it (after NegEx and
//! ConText).
//!
//! A cue governs the mentions within its *scope*: on its side (`direction`), in its sentence,
//! up to `scope` words away. The rules, in the order they apply:
//!
//! 1. **Pseudo-cues mask.** A pseudo-cue ("not only", "no doubt", "not without") hides every
//!    other cue it overlaps, so "not only" never negates.
//! 2. **Scopes end** at the sentence boundary, at a semicolon, at a terminator cue ("but",
//!    "however", "although"), and at a dash or colon, unless the dash or colon stands right
//!    next to the cue and so introduces what it governs ("overused tropes: amnesia, ...").
//! 3. **Scopes run across coordinated lists.** Once a scope reaches a mention, it runs on to
//!    the next mention when at most `list_gap` words (besides "and", "or", "nor") stand
//!    between, with no other status cue and no clause-opening subject (`list_breakers`, e.g.
//!    "he") in the way: "no amnesia, no love triangle and no airport dash", "gone are the
//!    chaebol families, the flashback twists, and the love triangles".
//! 4. **The outermost cue decides.** When several cues reach a mention, the one farthest from
//!    it wins: an outer cue frames the clause that holds the inner one. "So many dramas
//!    [skip the love triangle]" is `generic`; "gone are [the usual] love triangles" is
//!    `absent`. On a tie, a cue before the mention beats one after it, then absence beats
//!    genre.
//! 5. **No cue, `present`.**
//!
//! The cue lists are data (`lexicons/cues/*.toml`), as are `list_gap` and `list_breakers`
//! (`lexicons/model.toml`).

use serde::Serialize;

use crate::lexicon::{CompiledLexicon, CueCategory, Direction, Status};
use crate::matcher::{CueHit, Mention};
use crate::token::{Token, TokenKind};

/// A mention's status and the cue that decided it.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Decision {
    /// The status.
    pub status: Status,
    /// The cue that set it; `None` means no cue reached the mention (so `present`).
    pub cue: Option<CueHit>,
}

/// Decide the status of every mention (same order as `mentions`).
pub fn classify(
    lex: &CompiledLexicon,
    text: &str,
    tokens: &[Token],
    mentions: &[Mention],
    cues: &[CueHit],
    out: &mut Vec<Decision>,
) {
    out.clear();
    let lexicon = lex.lexicon();
    let category = |c: &CueHit| lexicon.cues[c.cue as usize].category;
    // Rule 1: pseudo-cues mask the cues they overlap.
    let masked = |c: &CueHit| {
        cues.iter().any(|p| {
            category(p) == CueCategory::Pseudo && p != c && p.first <= c.last && c.first <= p.last
        })
    };
    let live: Vec<CueHit> = cues
        .iter()
        .filter(|c| category(c) != CueCategory::Pseudo && !masked(c))
        .copied()
        .collect();
    let walker = Walker {
        lex,
        text,
        tokens,
        mentions,
        cues: &live,
    };
    for m in mentions {
        let mut best: Option<(u32, u8, CueHit, Status)> = None;
        for c in &live {
            let cat = category(c);
            let Some(status) = cat.status() else { continue };
            if c.sentence != m.sentence || (c.first <= m.last && m.first <= c.last) {
                continue;
            }
            let cue = &lexicon.cues[c.cue as usize];
            let before = c.last < m.first;
            let allowed = match cue.direction {
                Direction::Before => before,
                Direction::After => !before,
                Direction::Both => true,
            };
            if !allowed || !walker.reaches(c, m, cue.scope, before) {
                continue;
            }
            let distance = if before {
                tokens[m.first as usize].word - tokens[c.last as usize].word
            } else {
                tokens[c.first as usize].word - tokens[m.last as usize].word
            };
            // Rank: distance, then before over after, then absence over genre.
            let rank = u8::from(before) * 2 + u8::from(status == Status::Absent);
            let better = match &best {
                None => true,
                Some((d, r, _, _)) => (distance, rank) > (*d, *r),
            };
            if better {
                best = Some((distance, rank, *c, status));
            }
        }
        out.push(match best {
            Some((_, _, cue, status)) => Decision {
                status,
                cue: Some(cue),
            },
            None => Decision {
                status: Status::Present,
                cue: None,
            },
        });
    }
}

struct Walker<'a> {
    lex: &'a CompiledLexicon,
    text: &'a str,
    tokens: &'a [Token],
    mentions: &'a [Mention],
    cues: &'a [CueHit],
}

impl Walker<'_> {
    /// Whether cue `c` reaches mention `m`, walking from the cue toward the mention.
    fn reaches(&self, c: &CueHit, m: &Mention, scope: u32, before: bool) -> bool {
        let model = &self.lex.lexicon().model;
        let (from, to) = if before {
            (c.last as usize + 1, m.first as usize)
        } else {
            (m.last as usize + 1, c.first as usize)
        };
        let range: Box<dyn Iterator<Item = usize>> = if before {
            Box::new(from..to)
        } else {
            Box::new((from..to).rev())
        };
        let next_to_cue = if before { from } else { to.saturating_sub(1) };
        let mut gap = 0u32;
        let mut limit = scope;
        let mut in_list = false;
        let mut i_iter = range.peekable();
        while let Some(i) = i_iter.next() {
            let t = &self.tokens[i];
            // Another mention: the scope runs on across a list.
            if let Some(other) = self.mention_at(i) {
                in_list = true;
                gap = 0;
                limit = model.list_gap;
                // Skip the rest of that mention's tokens.
                let skip = if before {
                    other.last as usize - i
                } else {
                    i - other.first as usize
                };
                for _ in 0..skip {
                    i_iter.next();
                }
                continue;
            }
            match t.kind {
                TokenKind::Semicolon => return false,
                TokenKind::Dash | TokenKind::Colon if i != next_to_cue => return false,
                TokenKind::Word => {
                    let w = t.text(self.text);
                    if self.terminator_at(i) {
                        return false;
                    }
                    if in_list && self.status_cue_at(i, c) {
                        return false;
                    }
                    let lower = w.to_lowercase();
                    if in_list && model.list_breakers.iter().any(|b| *b == lower) {
                        return false;
                    }
                    if !matches!(lower.as_str(), "and" | "or" | "nor") {
                        gap += 1;
                        if gap > limit {
                            return false;
                        }
                    }
                }
                _ => {}
            }
        }
        true
    }

    fn mention_at(&self, i: usize) -> Option<&Mention> {
        let i = i as u32;
        self.mentions.iter().find(|m| m.first <= i && i <= m.last)
    }

    fn terminator_at(&self, i: usize) -> bool {
        let i = i as u32;
        self.cues.iter().any(|c| {
            c.first <= i
                && i <= c.last
                && self.lex.lexicon().cues[c.cue as usize].category == CueCategory::Terminator
        })
    }

    fn status_cue_at(&self, i: usize, except: &CueHit) -> bool {
        let i = i as u32;
        self.cues.iter().any(|c| {
            c != except
                && c.first <= i
                && i <= c.last
                && self.lex.lexicon().cues[c.cue as usize]
                    .category
                    .status()
                    .is_some()
        })
    }
}
