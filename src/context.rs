//! Context: decide each mention's [`Status`] from the cues around it (after NegEx and
//! ConText).
//!
//! A cue governs the mentions within its *scope*: on its side (`direction`), in its sentence,
//! up to `scope` words away. The rules, in the order they apply:
//!
//! 1. **Pseudo-cues mask.** A pseudo-cue ("not only", "no doubt", "not without") hides every
//!    other cue it overlaps, so "not only" never negates. So does a mention: a cue word inside
//!    a trope's own words ("skip" in "time skip") is not a cue.
//! 2. **Scopes end** at the sentence boundary, at a semicolon, at a terminator cue ("but",
//!    "however", "although"), and at a dash or colon, unless the dash or colon stands right
//!    next to the cue and so introduces what it governs ("overused tropes: amnesia, ...").
//!    A colon also introduces what the cue governs when only a frame verb
//!    (`colon_frame_words`: "does", "has", ...) stands between: "three things it never does:
//!    make her a klutz, ...".
//!    A genre frame before its mentions also runs through a colon ("ten tropes we're tired
//!    of: the wrist grab, ...") and, before its first list item, through a dash. So does any
//!    cue whose scope reaches another status cue that stands right before the colon: the
//!    outer cue frames the inner one ("it doesn't waste a minute on the stuff I'm tired of:
//!    ..." is `absent`).
//!    *Enumerations:* after such a colon (one a negation cue stands right next to does not
//!    count unless a frame verb makes it one: "I didn't: by the end, ..." explains, it lists
//!    nothing) each comma opens the next item, so the scope's word count starts again there:
//!    "what it skips: the long run through the terminal, the caption, the amnesia" reaches
//!    the amnesia. The fronted-phrase comma rule below does not apply inside one.
//!    *Fronted phrases:* an avoidance cue among the first `fronted_words` words of its
//!    sentence opens a phrase that ends at its comma, and every cue inside that phrase ends
//!    there too, unless a list goes on after the comma (a mention at most one word away):
//!    "Instead of a love triangle, the film gives us honest talk" ends before "the film";
//!    "Without amnesia, a love triangle or a time skip, ..." runs across the list.
//!    *Removals:* a negation or avoidance scope ends at a removal verb (`removal_verbs`:
//!    "shed", "cure", "fix", ...), or at a mention holding one: negating a removal says that
//!    what it would remove stays. "He never sheds his jealousy" keeps the
//!    jealousy `present`; "the show refuses to cure her amnesia with a kiss" keeps the amnesia.
//!    *Contrasts:* a genre cue listed in `contrast_openers` ("where") counts only as the
//!    capitalised first word of a sentence that is no question and that has a comma after
//!    it (without one, "Where the show won me over was its grief" is a cleft about this
//!    work), never toward rule 9, and its phrase ends at its comma like a fronted one: "Where its predecessor had a love triangle, this one has two adults" makes
//!    the love triangle `generic` (another work's) and leaves the adults alone.
//!    *Corrections:* a scope ends at a comma followed by a `corrective_words` word: "no
//!    amnesia, just two people who talk" does not negate the talk.
//!    *Relative clauses:* a negation or avoidance cue right after a relative pronoun ("who",
//!    "which", "that") governs its clause only: before it reaches a mention, its scope ends
//!    at a comma unless a list goes on (a mention at most one word after the comma), and at
//!    "and" before a determiner ("the", "a", "his", ...), which opens a new clause; that
//!    "and" also ends it right after the clause's one mention ("who never once needs
//!    rescuing and the hero stays home"). "a therapist who isn't a plot device, and a slow
//!    return to work" leaves the return alone; "a lead who never sulks, gets amnesia or ..."
//!    still negates the amnesia.
//!    *Negated phrases:* a negation cue listed in `phrase_negations` ("no", "zero") negates
//!    the noun phrase it opens: before the scope reaches a mention, that phrase ends at its
//!    first comma unless a coordinated list goes on (a mention at most one word after the
//!    comma, and "and", "or" or "nor" later in the clause) or the cue itself goes on a run of
//!    negated phrases (", no warning, a love triangle"). "sudden breakup, no explanation, see
//!    you in five years" negates nothing after the comma; "no twist, amnesia or a love
//!    triangle" runs across the list. A phrase that is itself a mention keeps rule 3's lists
//!    ("no amnesia, love triangle, time skip"): without a verb tagger, "no ring in sight, feels
//!    like a choice" cannot be told from one.
//!    *Predicates:* a scope that reaches forward ends at a comma followed by a finite
//!    linking verb ("is", "feels", "seems", ...): that verb opens the predicate of the clause
//!    the cue sat in, not another list item. "The finale, no ring in sight, feels like a
//!    choice" negates the ring only.
//!    *Means clauses:* terminators include "by" before any gerund ("by offering", "by
//!    hanging out with"), "in favour of" and the like, so "it breaks from the formula by
//!    offering honest talk" does not negate the honest talk.
//! 3. **Scopes run across coordinated lists.** Once a scope reaches a mention, it runs on to
//!    the next mention when at most `list_gap` words (besides "and", "or", "nor") stand
//!    between, with no other status cue and no clause-opening subject (`list_breakers`, e.g.
//!    "he", and contracted ones such as "it's", a typographic apostrophe the same as a
//!    straight one) and no finite linking verb right after an item ("the show's idea of
//!    character growth is a new haircut": the verb opens the predicate) in the way: "no amnesia, no love triangle and no airport dash", "gone are
//!    the chaebol families, the flashback twists, and the love triangles". Such a subject
//!    right after a comma or "and" ends any scope: "no umbrella, and he holds his over her
//!    head", "the turning point isn't a kiss, it's the night they talk". Except a relative
//!    pronoun in a genre cue's scope before it has reached a mention: the clause goes on
//!    describing the other work the cue named ("compared with last spring's hit, which piled
//!    on amnesia" makes the amnesia `generic`).
//!    So, after a single item, does ", and" before a determiner ("the", "a", "his", ...): "no
//!    amnesia, and the love triangle takes over" coordinates a new clause; a longer list runs
//!    on ("gone are the chaebol families, the love triangles, and the amnesia").
//! 4. **The outermost cue decides.** When several cues reach a mention, the one farthest from
//!    it wins: an outer cue frames the clause that holds the inner one. "So many dramas
//!    [skip the love triangle]" is `generic`; "gone are [the usual] love triangles" is
//!    `absent`. On a tie, a cue before the mention beats one after it, then absence beats
//!    genre.
//! 5. **No cue, `present`**, with these exceptions:
//!    *A conditional answered by its consequent:* a mention that a one-word hypothetical cue
//!    ("if") opening its sentence (among the first `fronted_words` words) decided, inside the
//!    clause that cue opens (before its comma), takes an absence cue after that comma that
//!    looks back at what was named (direction `after` or `both`): "If you tune in for
//!    a love triangle, prepare to be disappointed" is `absent`; "If you want a love
//!    triangle, try another channel" stays `generic`.
//!    *A conditional frames its counterfactual:* a counterfactual about the work is a
//!    negation cue ("would have", "could've": it says what the work did not do), but a
//!    mention such a cue decided, when the cue opens with a modal ("would", "could",
//!    "wouldn't", ...) and stands after the comma of a one-word hypothetical cue ("if") among
//!    the first `fronted_words` words of its sentence, is `generic`: the conditional imagines
//!    another work. "If this were a typical drama, he would have grabbed her wrist" is
//!    `generic`; "It would have been easy to make him a brooding saviour" stays `absent`.
//!    *A past conditional is unreal:* a mention that a one-word "if" decided, in the clause
//!    it opens (no comma between), is `absent` when that clause is in the past perfect: "had"
//!    at most `PAST_UNREAL_SUBJECT` words after "if", then a word shaped like a participle
//!    ("thrown", "been", "added", "made"), and the mention at most `PAST_UNREAL_OBJECT` words
//!    after it, or a list item right after such a mention. "If the writers had slipped in
//!    amnesia or a love triangle, I'd have quit" makes both `absent`. Not when the subject is
//!    the reader or the writer ("if I had known", "if you had told me"), nor after "had a",
//!    "had to" or "had serious" (a simple past), nor for a mention deep in the clause.
//! 6. **One reference, one status.** A mention no cue reached takes the decision of an earlier
//!    cued mention of the same trope in the same sentence when no terminator, semicolon or dash
//!    stands between them: "a contrived misunderstanding that one phone call would clear up".
//! 7. **A question and its answer.** A mention still without a cue that ends a question (no
//!    word after it before the question mark) takes the status of a cue in the answer: the
//!    first sentence after that question and any questions straight after it, when the
//!    answer has at most `answer_words` words and no mention. "Amnesia? A love triangle?
//!    Not in this one." makes both `absent`; "Was the love triangle needed? No." does not
//!    (the answer is about "needed"), and "Amnesia? Plenty." has no cue, so `present`. A
//!    yes-no question that asks whether the scene happens (an auxiliary, a pronoun subject,
//!    then the mention) is answered whatever follows the mention in it: "Will he run through
//!    the airport to stop her? Reader, he does not." makes the dash `absent`.
//!    *Verdicts:* a mention still without a cue that a colon follows straight after its last
//!    word takes the status of a cue that opens the verdict after the colon, when the verdict
//!    (up to the sentence's end or a comma, semicolon, colon or dash) has at most
//!    `answer_words` words and no mention, and nothing after the cue but `verdict_tails`
//!    words: "Second-lead syndrome: cured." and "The love triangle: none at all." are
//!    `absent`; "Amnesia: cured by a kiss." is no verdict. Verdict words that mean nothing elsewhere ("cured",
//!    "gone": "her memory gone" reports the amnesia) are cues of scope 0, which reach no
//!    mention by scope (`cues/verdict.toml`).
//! 8. **A heading takes its list's frame.** A mention still without a cue in a heading (a
//!    sentence with no closing stop or question mark, of at most `heading_words` words,
//!    followed by a closed sentence: the section it heads) is an item of the list announced
//!    last, and takes the status of the announcement's cue: the first status cue after a
//!    `list_nouns` word ("Here are five tropes it refuses to touch." ... "2. Amnesia" is
//!    `absent`). The first item must follow the announcement with no sentence of text
//!    between (a bare "1." is none); later items have their sections between them. A
//!    heading with a cue of its own, even a pseudo-cue ("the one it can't resist"), ends the
//!    list, and so, once an item has taken the frame, does a heading without a mention.
//!    *Fragments* carry a frame on the same way: a run of two or more fragments (sentences
//!    closed by a stop, of at most `fragment_words` words, opened by a `fragment_openers`
//!    word: "a", "an") is a list of what the sentence just before the run spoke of, and its
//!    mentions no cue reached take the status of that sentence's last genre or avoidance
//!    cue. "For a decade the romance drama ran on a few engines. A chaebol heir. A candy
//!    girl." makes both `generic`; one fragment alone ("A love triangle."), a run after a
//!    sentence with no such cue ("It has everything. A chaebol family. A love triangle."),
//!    or after a negation of that sentence's own verb ("The show never drags. A chaebol
//!    heir. A candy girl.") stays `present`.
//! 9. **A document about the genre.** In a document that names no work under review, holds
//!    at least `genre_document_cues` genre cues (overlapping cues count once; one after an
//!    absence cue in its sentence, as in "rather than the usual clichés", does not count),
//!    and has no more cued `absent` mentions than cued `generic` ones, every mention still
//!    without a cue, or `absent`, is `generic`: a genre essay talks about the genre even
//!    where no cue reaches, and with no work under review nothing is absent from one. A document
//!    names a work when it holds a `work_markers` phrase ("this show", "the finale") or a
//!    `timeline_markers` phrase ("episode 3") outside the clause of a genre cue (no
//!    semicolon, dash or terminator between: "every K-drama lead who coughs in episode 3 and
//!    is dying by episode 14" is the genre's timeline), neither inside a compound such as
//!    "a sixteen-episode drama", or, outside
//!    mentions and headings (sentences without a closing stop or question mark), two
//!    capitalised words in a row or joined by a small word (a title: "Pebble Lane", "Days of Rain") or a hyphenated given name after a
//!    sentence's first word ("Min-ji"), neither inside a title-case run that holds a genre
//!    cue: "7 Things Every K-Drama Fan Has Seen Too Many Times" is a headline about the
//!    genre, not a work's title.
//! 10. **Absence patterns turn the decision around.** A mention matched by an absence
//!     pattern (`!` in the trope file: "!(rescues|saves) herself", "!no wedding") says in its
//!     own words that the work does without the trope: what rules 4–9 decided for it is
//!     turned around, `present` to `absent` and `absent` to `present` ("it's not as if she
//!     rescues herself"); `generic` stays (a genre essay's "heroines who rescue themselves").
//!     Where matches of one trope merge into one mention, an absence pattern among them is
//!     its pattern ("the damsel in distress rescues herself").
//!     An absence pattern that opens with a negation of its own ("!no wedding") and stands
//!     as a list item (after a comma or "and", "or", "nor") keeps `absent` when the list's
//!     negation reaches it: in "there is no time skip, no wedding and no separation" that
//!     "no" distributes over the items, it does not deny twice. Elsewhere a negation does
//!     deny it: "it's not as if there is no wedding" is `present`.
//! 11. **A genre statement answered by the work.** A mention decided `generic` by a genre or
//!     hypothetical cue gains a second decision ([`Answer`], `answer` set) when a clause
//!     after it turns to the work: after a clause break (comma, semicolon, colon, dash,
//!     terminator, or "and", "but", "yet", "so") in its sentence, else the next sentence
//!     only, a subject among the first `ANSWER_OPENING` words: one of `answer_subjects`
//!     ("here", "this one"), a title (as rule 9 finds one), or, in a document that names a
//!     work, one of `answer_pronouns` ("it"). The answer runs to the sentence's end, a
//!     semicolon, colon, dash or terminator, and holds no genre or hypothetical cue and no
//!     mention of the trope. It is `present` from a confirmation cue (`cues/confirm.toml`:
//!     "too", "delivers"; not a negated one, not "too" of degree); `absent` when the genre
//!     statement imagined another work ("would" after its cue, "in any other drama that
//!     drive would end in a crash") and the subject is one of `answer_subjects` ("Here, they
//!     pull over"), or from a negation or avoidance cue at most `ANSWER_NEGATION_WORDS` words
//!     after the subject ("Pebble Lane isn't interested") or a negation among the opening
//!     words before it, only words between ("but not this one", "Never here."; not "No,
//!     here it's the whole plot"). Failing a clause that opens so, one that turns to the
//!     work at its end is tried (before the next sentence): its last words one of
//!     `answer_subjects`, and an avoidance cue or a negation that denies the thing is there
//!     (`ANSWER_NONE`, `ANSWER_FINDING`) at most `ANSWER_TRAILING_WORDS` words before them
//!     with one of `ANSWER_ANAPHORS` between ("but there's none of *it* in this one", "you
//!     won't find *one* here"; not "comfort food, not what I'm recommending here", nor "I
//!     didn't mind it in this one") is `absent`. Otherwise no answer. An absence pattern
//!     turns the answer around as in rule 10.
//! 12. **An expectation that never came.** A mention an `expectation_words` word
//!     ("waiting", "expected", "braced") stands before in its clause, at most
//!     `EXPECTATION_WORDS` words away, is denied by the first clause after it that opens
//!     with an anaphor (`DENIAL_ANAPHORS`: "it", "which", "none", "there"), in its sentence
//!     after a clause break or else the next sentence, when a negation cue follows the
//!     anaphor with one of `arrival_verbs` after it: "I kept waiting for the airport dash,
//!     and it never came", "I expected a love triangle. It never happens.", "but there
//!     wasn't one". Not "it never comes up again" (a particle after the verb), nor "it
//!     came in episode nine". A `present` mention no cue reached turns `absent`, with the
//!     negation as its cue; a `generic` one that rule 11 left unanswered gains the absence
//!     as its answer.
//!
//! The cue lists are data (`lexicons/cues/*.toml`), as are `list_gap`, `list_breakers`,
//! `fronted_words`, `contrast_openers`, `corrective_words`, `verdict_tails`, `removal_verbs`,
//! `colon_frame_words`, `phrase_negations`, `answer_words`, `heading_words`, `list_nouns`,
//! `fragment_words`, `fragment_openers`, `genre_document_cues`, `work_markers`,
//! `timeline_markers`, `answer_subjects`, `answer_pronouns`, `expectation_words` and
//! `arrival_verbs` (`lexicons/model.toml`).

use serde::Serialize;

use crate::lexicon::{CompiledLexicon, CueCategory, Direction, Status};
use crate::matcher::{CueHit, Mention};
use crate::token::{Token, TokenKind};

/// A mention's status and the cue that decided it.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Decision {
    /// The status.
    pub status: Status,
    /// The cue that set it; `None` means no cue reached the mention (so `present`, or
    /// `absent` for an absence pattern).
    pub cue: Option<CueHit>,
    /// Whether rule 10 turned the status around: the mention's pattern is an absence
    /// pattern (`!`).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub turned: bool,
    /// Whether this is the answer to a genre statement (rule 11): a second decision for a
    /// `generic` mention, from a clause that turns to the work. Its `cue` is the answering
    /// words (a confirmation or an absence cue) or, for an other-work hypothetical answered
    /// by "here", the hypothetical's own cue; its sentence is the cue's.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub answer: bool,
}

/// A second decision for a mention: the answer to the genre statement it stands in (rule 11).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Answer {
    /// Index of the mention in `mentions`.
    pub mention: usize,
    /// The answer's decision (`answer` set).
    pub decision: Decision,
}

/// Decide the status of every mention (same order as `mentions`).
pub fn classify(
    lex: &CompiledLexicon,
    text: &str,
    tokens: &[Token],
    mentions: &[Mention],
    cues: &[CueHit],
    out: &mut Vec<Decision>,
    answers: &mut Vec<Answer>,
) {
    out.clear();
    answers.clear();
    let lexicon = lex.lexicon();
    let category = |c: &CueHit| lexicon.cues[c.cue as usize].category;
    // Cues and mentions are in text order (by first token), so those that can overlap a
    // span are found by binary search, and no cue is tried against a mention more than
    // `MAX_REACH` words away: the work stays near linear in the text, which a long document
    // (a whole essay, a 2 MB page, a run-on sentence) needs.
    let (cue_span, mention_span) = (
        widest(cues, |c| (c.first, c.last)),
        widest(mentions, |m| (m.first, m.last)),
    );
    // Rule 1: pseudo-cues mask the cues they overlap.
    let masked = |c: &CueHit| {
        starting_in(cues, |p| p.first, c.first.saturating_sub(cue_span), c.last)
            .iter()
            .any(|p| category(p) == CueCategory::Pseudo && p != c && c.first <= p.last)
    };
    // A cue word inside a mention is part of the trope's name, not a cue: "skip" in
    // "time skip", "dropped" in "dropped papers".
    let inside_mention = |c: &CueHit| {
        starting_in(
            mentions,
            |m| m.first,
            c.first.saturating_sub(mention_span),
            c.last,
        )
        .iter()
        .any(|m| c.first <= m.last)
    };
    // Rule 2, contrasts: a `contrast_openers` cue ("Where") counts only as the capitalised
    // first word of a sentence that is no question.
    let misplaced_opener = |c: &CueHit| {
        contrast_opener(lex, c) && {
            let capital = tokens[c.first as usize]
                .text(text)
                .starts_with(|ch: char| ch.is_uppercase());
            let opens = capital
                && !matches!(
                    tokens[..c.first as usize]
                        .iter()
                        .rev()
                        .find(|t| t.kind == TokenKind::Word),
                    Some(t) if t.sentence == c.sentence
                );
            // A contrast closes its clause with a comma; without one, "Where" opens a cleft
            // about this work: "Where the show surprised me was its handling of grief".
            let closed = tokens[c.last as usize + 1..]
                .iter()
                .take_while(|t| t.sentence == c.sentence)
                .any(|t| t.kind == TokenKind::Comma);
            !opens || !closed || last_mark(tokens, c.sentence) == Some(TokenKind::Question)
        }
    };
    let live: Vec<CueHit> = cues
        .iter()
        .filter(|c| {
            category(c) != CueCategory::Pseudo
                && !masked(c)
                && !inside_mention(c)
                && !misplaced_opener(c)
        })
        .copied()
        .collect();
    let walker = Walker {
        lex,
        text,
        tokens,
        mentions,
        cues: &live,
        cue_span: widest(&live, |c| (c.first, c.last)),
        mention_span,
        subjects: Default::default(),
    };
    for m in mentions {
        let mut best: Option<(u32, u8, CueHit, Status)> = None;
        for c in walker.cues_near(m) {
            let cat = category(c);
            let Some(status) = cat.status() else { continue };
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
                turned: false,
                answer: false,
            },
            None => Decision {
                status: Status::Present,
                cue: None,
                turned: false,
                answer: false,
            },
        });
    }
    // Rule 5c: a fronted conditional frames the counterfactual it opens: "If this were a
    // typical drama, he would have grabbed her wrist" imagines another work.
    if lexicon.model.fronted_words > 0 {
        for d in out.iter_mut() {
            if let Some(cue) = d
                .cue
                .filter(|c| category(c) == CueCategory::Negation)
                .and_then(|c| walker.conditional_frame(&c))
            {
                *d = Decision {
                    status: Status::Generic,
                    cue: Some(cue),
                    turned: false,
                    answer: false,
                };
            }
        }
    }
    // Rule 5d: a conditional in the past perfect says what the work did not do: "If the
    // show had thrown in a love triangle, I'd have quit."
    // The clause's object is near its verb, or a list item after one that is.
    let mut unreal: Option<(CueHit, u32)> = None; // (cue, last token of the last object)
    for (m, d) in mentions.iter().zip(out.iter_mut()) {
        let Some(c) = d.cue.filter(|c| category(c) == CueCategory::Hypothetical) else {
            continue;
        };
        let next_item = unreal.is_some_and(|(u, last)| {
            u == c
                && tokens[m.first as usize].word - tokens[last as usize].word
                    <= 1 + lexicon.model.list_gap
        });
        if next_item || walker.past_unreal(&c, m) {
            unreal = Some((c, m.last));
            let cue = c;
            *d = Decision {
                status: Status::Absent,
                cue: Some(cue),
                turned: false,
                answer: false,
            };
        }
    }
    // Rule 5b: a fronted conditional addressed to the reader is answered by its
    // consequent: "If you tune in for a love triangle, prepare to be disappointed."
    if lexicon.model.fronted_words > 0 {
        for (m, d) in mentions.iter().zip(out.iter_mut()) {
            if let Some(cue) = d
                .cue
                .filter(|c| category(c) == CueCategory::Hypothetical)
                .and_then(|c| walker.consequent_absence(&c, m))
            {
                *d = Decision {
                    status: Status::Absent,
                    cue: Some(cue),
                    turned: false,
                    answer: false,
                };
            }
        }
    }
    // Rule 6: a mention no cue reached takes the decision of an earlier cued mention of the same trope
    // in the same sentence, when no terminator stands between them: "a contrived
    // misunderstanding that one phone call would clear up" is one reference.
    for i in 0..mentions.len() {
        if out[i].cue.is_some() {
            continue;
        }
        let m = &mentions[i];
        let donor = (0..i)
            .rev()
            .take_while(|&j| mentions[j].sentence == m.sentence && walker.near(&mentions[j], m))
            .find(|&j| {
                let o = &mentions[j];
                out[j].cue.is_some() && o.trope == m.trope && !walker.separated(o, m)
            });
        if let Some(j) = donor {
            out[i] = out[j];
        }
    }
    // Rule 7: a mention that ends a question answered by a short cued sentence takes the
    // answer's status: "A love triangle? Not in this one."
    let answer_words = lexicon.model.answer_words;
    // So does a mention that labels a short verdict after a colon: "Second-lead syndrome:
    // cured." "The love triangle: none."
    if answer_words > 0 {
        for i in 0..mentions.len() {
            if out[i].cue.is_some() {
                continue;
            }
            let m = &mentions[i];
            let answered = (walker.ends_sentence(m) || walker.asks_whether(m))
                .then(|| walker.answer(m.sentence, answer_words))
                .flatten()
                .or_else(|| walker.verdict(m, answer_words));
            if let Some(cue) = answered {
                if let Some(status) = category(&cue).status() {
                    out[i] = Decision {
                        status,
                        cue: Some(cue),
                        turned: false,
                        answer: false,
                    };
                }
            }
        }
    }
    // Rule 8: a heading's mentions no cue reached take the frame of the list they are an
    // item of: "Five tropes it refuses to touch." ... "2. The love triangle".
    if lexicon.model.heading_words > 0 {
        walker.frame_headings(cues, out);
    }
    // Rule 8, fragments: a run of verbless fragments takes the frame of the sentence before
    // it: "The genre ran on a few engines. A chaebol heir. A candy girl."
    if lexicon.model.fragment_words > 0 {
        walker.frame_fragments(out);
    }
    // Whether the document names a work under review: asked by rules 9 and 11, worked out
    // (a pass over the whole document) at most once.
    let mut names_work: Option<bool> = None;
    // Rule 9: a document about the genre, naming no work under review.
    let min = lexicon.model.genre_document_cues as usize;
    if min > 0 && !mentions.is_empty() {
        // Genre cues that no absence cue before them in their sentence frames: "rather
        // than the usual clichés" speaks of this work.
        // One pass in text order: the earliest end of an absence cue so far in the sentence.
        let mut genre: Vec<CueHit> = Vec::new();
        let mut absence_end: Option<(u32, u32)> = None; // (sentence, smallest last)
        for c in &live {
            let framed = absence_end.is_some_and(|(s, last)| s == c.sentence && last < c.first);
            if genre_frame(lex, c) && !framed {
                genre.push(*c);
            }
            if category(c).status() == Some(Status::Absent) {
                absence_end = match absence_end {
                    Some((s, last)) if s == c.sentence => Some((s, last.min(c.last))),
                    _ => Some((c.sentence, c.last)),
                };
            }
        }
        let decided = |status: Status| {
            out.iter()
                .filter(|d| d.cue.is_some() && d.status == status)
                .count()
        };
        // Overlapping cues ("so many dramas", "dramas") count once; `genre` is in text
        // order already.
        let mut count = 0;
        let mut end = None;
        for c in &genre {
            if end.is_none_or(|e| c.first > e) {
                count += 1;
                end = Some(c.last);
            } else {
                end = end.max(Some(c.last));
            }
        }
        if count >= min
            && decided(Status::Generic) >= decided(Status::Absent)
            && !*names_work.get_or_insert_with(|| walker.names_a_work())
        {
            // With no work under review, nothing is absent from it either: "the best
            // romances end with a choice rather than a bow on top".
            for (m, d) in mentions.iter().zip(out.iter_mut()) {
                if d.cue.is_some() && d.status != Status::Absent {
                    continue;
                }
                // The last genre cue before the mention, else the first.
                let before = genre.partition_point(|c| c.first < m.first);
                let cue = &genre[before.saturating_sub(1)];
                *d = Decision {
                    status: Status::Generic,
                    cue: Some(*cue),
                    turned: false,
                    answer: false,
                };
            }
        }
    }
    // Rule 10: an absence pattern's words say the trope is missing ("she rescues herself"),
    // so what the rules above decided is turned around: with no cue, `absent`; negated
    // ("it's not as if she rescues herself"), `present`; generic stays generic.
    for (m, d) in mentions.iter().zip(out.iter_mut()) {
        if lex.is_absence(m.trope, m.pattern) {
            // "There is no time skip, no wedding and no sudden separation": an absence
            // pattern that opens with a negation of its own ("!no wedding") is a list item
            // that the list's cue reaches; that cue distributes, it does not deny twice.
            let own_negation = starting_in(cues, |c| c.first, m.first, m.first)
                .iter()
                .any(|c| category(c).status() == Some(Status::Absent));
            let list_item = (m.first as usize)
                .checked_sub(1)
                .map(|i| &tokens[i])
                .is_some_and(|t| {
                    t.kind == TokenKind::Comma
                        || (t.kind == TokenKind::Word && is_coordinator(t.text(text)))
                });
            let cue_before = d.cue.is_some_and(|c| c.last < m.first);
            if own_negation && list_item && cue_before && d.status == Status::Absent {
                continue;
            }
            d.turned = d.status != Status::Generic;
            d.status = turned_around(d.status);
        }
    }
    // Rule 11: a genre statement answered by the work: "So many dramas end with a wedding.
    // This one does too." The mention stays `generic` and gains a second decision.
    for (i, (m, d)) in mentions.iter().zip(out.iter()).enumerate() {
        let Some(frame) = d.cue.filter(|c| {
            d.status == Status::Generic
                && matches!(category(c), CueCategory::Genre | CueCategory::Hypothetical)
        }) else {
            continue;
        };
        if let Some(mut answer) = walker.genre_answer(m, &frame, &mut names_work) {
            // An answer is `present` or `absent`, never `generic`: always turned, as rule 10.
            if lex.is_absence(m.trope, m.pattern) {
                answer.turned = true;
                answer.status = turned_around(answer.status);
            }
            answers.push(Answer {
                mention: i,
                decision: answer,
            });
        }
    }
    // Rule 12: an expectation that never came: "I kept waiting for the airport dash, and it
    // never came." A `present` mention no cue reached turns `absent`; a `generic` one without
    // an answer gains the absence as its answer, as in rule 11.
    let answered = answers.len();
    for (i, (m, d)) in mentions.iter().zip(out.iter_mut()).enumerate() {
        let open = match d.status {
            Status::Present => d.cue.is_none(),
            Status::Generic => !answers[..answered].iter().any(|a| a.mention == i),
            Status::Absent => false,
        };
        if !open || lex.is_absence(m.trope, m.pattern) {
            continue;
        }
        let Some(denial) = walker.expectation_denied(m) else {
            continue;
        };
        if d.status == Status::Present {
            d.status = Status::Absent;
            d.cue = Some(denial);
        } else {
            answers.push(Answer {
                mention: i,
                decision: Decision {
                    status: Status::Absent,
                    cue: Some(denial),
                    turned: false,
                    answer: true,
                },
            });
        }
    }
    answers.sort_by_key(|a| a.mention);
}

/// No cue reaches a mention, no mention lends its decision to another (rule 6), and no
/// conditional finds its answer (rule 5b), across more than this many words, list runs
/// included. Real sentences never come near it; it bounds the work on run-on text, where
/// every cue would otherwise be tried against every mention of a sentence that never ends
/// (200 KB without a stop took 30 s).
const MAX_REACH: u32 = 128;

/// Rules 10 and 11: the status an absence pattern's words give what a rule decided:
/// `present` and `absent` swap, `generic` stays.
fn turned_around(status: Status) -> Status {
    match status {
        Status::Present => Status::Absent,
        Status::Absent => Status::Present,
        Status::Generic => Status::Generic,
    }
}

/// Rule 9: whether the lower-cased word `got` is the marker word `want`, or its possessive
/// ("the show's").
fn spells(got: &str, want: &str) -> bool {
    got == want
        || got.strip_suffix("'s") == Some(want)
        || got.strip_suffix("\u{2019}s") == Some(want)
}

/// Rules 9 and 11: the small words a title may hold between capitalised ones ("Days of
/// Rain").
const TITLE_SMALL_WORDS: [&str; 9] = ["of", "the", "and", "in", "on", "to", "at", "for", "a"];

/// Rule 9: the most tokens a title-case run is read for a genre cue that makes it a
/// headline about the genre rather than a work's title.
const HEADLINE_TOKENS: usize = 16;

/// Rule 11: the words a clause may open with before the subject that turns it to the work
/// ("Thankfully, Pebble Lane ..."; "Apparently Pebble Lane ...").
const ANSWER_OPENING: usize = 3;

/// Rule 11: an absence cue answers only this many words after the answer's subject.
const ANSWER_NEGATION_WORDS: u32 = 4;

/// Rule 11: an absence cue answers a clause that turns to the work only at its end from at
/// most this many words before the subject ("there's none of it in this one").
const ANSWER_TRAILING_WORDS: u32 = 5;

/// Rule 11: the words by which such a clause points back at the trope ("none of *it* in this
/// one", "you won't find *one* here").
const ANSWER_ANAPHORS: [&str; 7] = ["it", "one", "any", "that", "them", "those", "such"];

/// Rule 11: negations that by themselves deny a thing is there ("there's *none* of it here").
const ANSWER_NONE: [&str; 4] = ["none", "no", "nothing", "zero"];

/// Rule 11: verbs of finding that, after a negation, deny a thing is there ("you won't
/// *find* one here", "you never *see* it in this one").
const ANSWER_FINDING: [&str; 12] = [
    "find", "see", "spot", "get", "have", "has", "had", "exist", "exists", "happen", "appear",
    "feature",
];

/// Rule 11: what turns an answer to the work.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Subject {
    /// One of `answer_subjects`: "here", "this one".
    Named,
    /// A title (or a name: the two cannot be told apart).
    Title,
    /// One of `answer_pronouns` ("it"), in a document that names a work.
    Pronoun,
}

/// Rule 11: words that open a new clause without punctuation ("and this one ...").
const ANSWER_CONJUNCTIONS: [&str; 4] = ["and", "but", "yet", "so"];

/// Rule 12: the most words an `expectation_words` word stands before the mention it expects
/// ("I kept waiting for the long-lost sister to turn up").
const EXPECTATION_WORDS: u32 = 8;

/// Rule 12: words that may open the clause that denies the expectation, before its anaphor
/// ("but thankfully it never comes").
const DENIAL_OPENERS: [&str; 12] = [
    "and",
    "but",
    "yet",
    "so",
    "then",
    "thankfully",
    "mercifully",
    "luckily",
    "happily",
    "sadly",
    "alas",
    "still",
];

/// Rule 12: the words by which the denying clause points back at what was expected ("*it*
/// never came", "*which* never arrives", "*none* came", "*there* wasn't one").
const DENIAL_ANAPHORS: [&str; 8] = [
    "it", "that", "one", "they", "which", "none", "nothing", "there",
];

/// Rule 12: words that may stand between the negation and the verb of arrival ("it never
/// *actually* comes").
const DENIAL_FILLERS: [&str; 5] = ["ever", "actually", "really", "quite", "once"];

/// Rule 12: particles that make a verb of arrival mean something else: "it never comes *up*
/// again" drops a subject, it does not deny a scene.
const ARRIVAL_PARTICLES: [&str; 10] = [
    "up", "back", "out", "off", "across", "around", "round", "over", "through", "into",
];

/// Rule 2, contrasts: whether cue `c` is one word and one of `contrast_openers` ("where").
fn contrast_opener(lex: &CompiledLexicon, c: &CueHit) -> bool {
    c.first == c.last && lex.contrast_openers[c.cue as usize]
}

/// Rule 9: whether cue `c` frames genre talk: a genre cue that is not a contrast opener
/// (which never counts toward rule 9).
fn genre_frame(lex: &CompiledLexicon, c: &CueHit) -> bool {
    lex.lexicon().cues[c.cue as usize].category == CueCategory::Genre && !contrast_opener(lex, c)
}

/// Whether `word` is one of `list` (a word list of the model or of a rule), ASCII case
/// aside, and a typographic apostrophe the same as a straight one ("it’s" is "it's").
fn one_of(word: &str, list: &[impl AsRef<str>]) -> bool {
    list.iter().any(|w| {
        let w = w.as_ref();
        word.eq_ignore_ascii_case(w)
            || (word.len() == w.len() + 2
                && word.contains('\u{2019}')
                && word.chars().count() == w.chars().count()
                && word
                    .chars()
                    .map(|c| if c == '\u{2019}' { '\'' } else { c })
                    .zip(w.chars())
                    .all(|(a, b)| a.eq_ignore_ascii_case(&b)))
    })
}

/// Rule 5c: the modals that open a counterfactual negation cue ("would have", "could've",
/// "wouldn't"), which a fronted conditional makes hypothetical.
const COUNTERFACTUAL_MODALS: [&str; 12] = [
    "would",
    "could",
    "should",
    "might",
    "would've",
    "could've",
    "should've",
    "might've",
    "wouldn't",
    "couldn't",
    "shouldn't",
    "mightn't",
];

/// Rule 2, predicates: finite linking verbs, which after a comma open a clause's predicate
/// rather than a list's next item ("the finale, no ring in sight, feels like a choice").
const PREDICATE_VERBS: [&str; 16] = [
    "is", "are", "was", "were", "feels", "felt", "seems", "seemed", "looks", "looked", "becomes",
    "became", "remains", "remained", "proves", "proved",
];

/// Rule 5d: how many words may stand between "if" and "had" (the clause's subject: "if the
/// show", "if the second lead").
const PAST_UNREAL_SUBJECT: usize = 4;

/// Rule 5d: how many words may stand between the participle and the first mention it has
/// for object ("had thrown in a secret").
const PAST_UNREAL_OBJECT: u32 = 2;

/// Rule 5d: subjects that make a past conditional the viewer's, not the work's: "if I had
/// known", "if you had told me".
const PAST_UNREAL_PERSONS: [&str; 6] = ["i", "you", "we", "i'd", "you'd", "we'd"];

/// Rule 2, relative clauses: the pronouns that open one.
const RELATIVE_PRONOUNS: [&str; 3] = ["who", "which", "that"];

/// Rule 7: auxiliaries that open a yes-no question ("Will he ...?", "Does anyone ...?").
const QUESTION_AUXILIARIES: [&str; 16] = [
    "do", "does", "did", "will", "would", "can", "could", "should", "is", "are", "was", "were",
    "has", "have", "had", "must",
];

/// Rule 7: subjects after a question's auxiliary that leave the mention to the predicate:
/// "Will he run through the airport to stop her?" asks whether the scene happens, where in
/// "Was the love triangle needed?" the mention is the subject and the question is about it.
const QUESTION_SUBJECTS: [&str; 12] = [
    "he", "she", "they", "it", "there", "anyone", "anybody", "someone", "somebody", "we", "you",
    "i",
];

/// Rule 7: words after a question's mention that make it ask about a kind of the trope, not
/// whether it happens: "Is there a love triangle that works?", "... worth caring about?".
const QUESTION_QUALIFIERS: [&str; 9] = [
    "that", "which", "who", "worth", "i", "you", "we", "anyone", "anybody",
];

/// Rule 7: whether `words` are none, or one determiner: what may stand before a label
/// ("The love triangle: none.") or between a question's subject and its mention ("Is there
/// a love triangle ...?").
fn at_most_a_determiner<'w>(mut words: impl Iterator<Item = &'w str>) -> bool {
    match (words.next(), words.next()) {
        (None, _) => true,
        (Some(w), None) => one_of(w, &DETERMINERS),
        _ => false,
    }
}

/// Rule 2, relative clauses: words that open a noun phrase, so that "and" before one
/// coordinates a new clause rather than another verb of the relative clause.
const DETERMINERS: [&str; 9] = ["the", "a", "an", "his", "her", "their", "its", "my", "our"];

/// Number words a `#` in a work marker stands for, besides digits.
const NUMBERS: [&str; 20] = [
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
];

/// The kind of the last token of sentence `s` that is not a quote or other symbol: how the
/// sentence ends (a stop, a question mark, a word when it has no closing mark).
fn last_mark(tokens: &[Token], s: u32) -> Option<TokenKind> {
    let first = tokens.partition_point(|t| t.sentence < s);
    let end = tokens.partition_point(|t| t.sentence <= s);
    tokens[first..end]
        .iter()
        .rev()
        .find(|t| t.kind != TokenKind::Other)
        .map(|t| t.kind)
}

/// The most tokens any item spans, less one: an item that holds token `i` starts at most
/// this many tokens before it.
fn widest<T>(items: &[T], span: impl Fn(&T) -> (u32, u32)) -> u32 {
    items
        .iter()
        .map(|x| {
            let (first, last) = span(x);
            last - first
        })
        .max()
        .unwrap_or(0)
}

/// The items of `items` (in order of `first`) whose first token is in `lo..=hi`.
fn starting_in<T>(items: &[T], first: impl Fn(&T) -> u32, lo: u32, hi: u32) -> &[T] {
    let a = items.partition_point(|x| first(x) < lo);
    let b = items.partition_point(|x| first(x) <= hi);
    &items[a..b.max(a)]
}

fn is_coordinator(w: &str) -> bool {
    ["and", "or", "nor"]
        .iter()
        .any(|c| w.eq_ignore_ascii_case(c))
}

struct Walker<'a> {
    lex: &'a CompiledLexicon,
    text: &'a str,
    tokens: &'a [Token],
    mentions: &'a [Mention],
    cues: &'a [CueHit],
    /// The most tokens a cue spans, less one ([`widest`]).
    cue_span: u32,
    /// The most tokens a mention spans, less one.
    mention_span: u32,
    /// Rule 11: [`Walker::work_subject`]'s answers by (from, end). The mentions of one
    /// sentence ask it at the same clause breaks; a genre essay, all mentions and breaks,
    /// spent a third of its analysis asking again.
    subjects: std::cell::RefCell<rustc_hash::FxHashMap<(usize, usize), Option<Answerer>>>,
}

/// Rule 11: where an answer's subject ends, and what kind it is.
type Answerer = (usize, Subject);

impl Walker<'_> {
    /// The category of cue hit `c`.
    fn category(&self, c: &CueHit) -> CueCategory {
        self.lex.lexicon().cues[c.cue as usize].category
    }

    /// Whether cue `c` reaches mention `m`, walking from the cue toward the mention.
    ///
    /// A cue of scope 0 reaches no mention: it is a verdict word ("cured", "gone"), which
    /// speaks only as a short answer or a label's verdict (rule 7), for "her memory gone"
    /// reports the amnesia.
    fn reaches(&self, c: &CueHit, m: &Mention, scope: u32, before: bool) -> bool {
        if scope == 0 {
            return false;
        }
        let model = &self.lex.lexicon().model;
        let (from, to) = if before {
            (c.last as usize + 1, m.first as usize)
        } else {
            (m.last as usize + 1, c.first as usize)
        };
        let word = |i: u32| self.tokens[i as usize].word;
        let between = if before {
            word(m.first).saturating_sub(word(c.last) + 1)
        } else {
            word(c.first).saturating_sub(word(m.last) + 1)
        };
        // Punctuation tokens count too: a run of commas is as far as a run of words.
        if between > MAX_REACH || to.saturating_sub(from) > 8 * MAX_REACH as usize {
            return false;
        }
        // Walk from the cue toward the mention: forward for a cue before it, backward after.
        let len = to.saturating_sub(from);
        let at = |k: usize| if before { from + k } else { to - 1 - k };
        let next_to_cue = if before { from } else { to.saturating_sub(1) };
        let category = self.category(c);
        let genre = category == CueCategory::Genre;
        // Rule 2, fronted phrases: the cue stands in a phrase opened by an avoidance cue
        // among the sentence's first `fronted_words` words.
        let fronted = before && self.fronted_at(c.sentence).is_some_and(|f| f <= c.first);
        // Rule 2, removals: an absence cue before a removal verb negates the removal, not
        // what it would remove.
        let removal = before && category.status() == Some(Status::Absent);
        // Rule 2, relative clauses: an absence cue right after a relative pronoun ("a
        // therapist who isn't a plot device, ...") governs that clause only.
        let relative = removal && self.in_relative_clause(c);
        // Rule 2, negated phrases: a `phrase_negations` cue ("no") negates the noun phrase it
        // opens.
        let phrase = before
            && category == CueCategory::Negation
            && self.phrase_negation(c)
            && !self.in_negation_run(c);
        let mut gap = 0u32;
        let mut limit = scope;
        let mut in_list = false;
        // How many mentions the scope has reached so far.
        let mut items = 0u32;
        let mut after_separator = false;
        // Rule 2, enumerations: the scope passed a colon that introduces what the cue
        // governs, so each comma opens the next item of the list.
        let mut enumeration = false;
        let mut k = 0;
        while k < len {
            let i = at(k);
            k += 1;
            let t = &self.tokens[i];
            // Another mention: the scope runs on across a list.
            if let Some(other) = self.mention_at(i) {
                // "He never magically gets over his jealousy": what follows a negated
                // removal that is a trope's own words stays too.
                if removal && self.removes(other.first as usize..=other.last as usize) {
                    return false;
                }
                in_list = true;
                items += 1;
                gap = 0;
                limit = model.list_gap;
                // Skip the rest of that mention's tokens.
                k += if before {
                    other.last as usize - i
                } else {
                    i - other.first as usize
                };
                continue;
            }
            match t.kind {
                TokenKind::Semicolon => return false,
                // A dash or colon opens a new clause, unless it introduces what the cue
                // governs: right next to the cue, or closing a genre header before any list
                // item ("ten tropes we're tired of: the wrist grab, ...").
                // Only a frame verb may stand between: "three things it never does: ...".
                TokenKind::Colon
                    if !(i == next_to_cue
                        || self.frame_colon(c, i)
                        || (before && (genre || self.inner_frame_colon(c, i)))) =>
                {
                    return false
                }
                // A bare negation next to its colon ("I'm glad I didn't: by the midpoint,
                // ...") denies its own verb; what follows explains it, it lists nothing.
                TokenKind::Colon if before => {
                    enumeration = category != CueCategory::Negation || self.frame_colon(c, i);
                }
                TokenKind::Dash if i != next_to_cue && !(genre && before && !in_list) => {
                    return false
                }
                TokenKind::Word => {
                    let w = t.text(self.text);
                    if self.terminator_at(i) || (removal && self.removes(i..=i)) {
                        return false;
                    }
                    if in_list && self.status_cue_at(i, c) {
                        return false;
                    }
                    // A subject after a list item, or after a comma or "and", opens a new
                    // clause: "no umbrella, and he holds his over her head".
                    // Except a relative pronoun after a comma, before any item, in a genre
                    // cue's scope: it goes on describing the other work the cue named
                    // ("compared with last year's hit, which piled on amnesia").
                    let breaker = one_of(w, &model.list_breakers)
                        && !(genre && before && !in_list && one_of(w, &RELATIVE_PRONOUNS));
                    if breaker && (in_list || after_separator) {
                        return false;
                    }
                    // A finite linking verb right after a list item opens the clause's
                    // predicate, not the next item: "the show's idea of character growth is
                    // a new haircut" does not deny the haircut. After a comma or "or" it
                    // opens one ("loses her memory, or is diagnosed with ...").
                    if in_list
                        && !after_separator
                        && i > 0
                        && self.tokens[i - 1].kind != TokenKind::Comma
                        && one_of(w, &PREDICATE_VERBS)
                    {
                        return false;
                    }
                    let coordinator = is_coordinator(w);
                    // "who never needs rescuing and the hero stays home": "and" before a
                    // determiner opens a new clause.
                    if relative
                        && (if in_list { items == 1 } else { gap > 0 })
                        && w.eq_ignore_ascii_case("and")
                        && self.determiner_at(i + 1)
                    {
                        return false;
                    }
                    // ", and the second lead stays home": after a single item, a comma, "and"
                    // and a determiner open a new clause, not the list's next item, when
                    // words go on after the mention ("gone are the heirs, and the love
                    // triangles." is a list of two).
                    if before
                        && in_list
                        && items == 1
                        && w.eq_ignore_ascii_case("and")
                        && i > 0
                        && self.tokens[i - 1].kind == TokenKind::Comma
                        && self.determiner_at(i + 1)
                        && self.clause_goes_on(m)
                    {
                        return false;
                    }
                    after_separator = coordinator;
                    if !coordinator {
                        gap += 1;
                        if gap > limit {
                            return false;
                        }
                    }
                }
                // A fronted absence phrase ends at its comma unless a list goes on:
                // "Rather than a love triangle, the show ...".
                TokenKind::Comma if fronted && !enumeration && !self.list_item_follows(i) => {
                    return false
                }
                // A correction after a comma puts something in place of what the cue
                // named: "no love triangle, just two adults who talk".
                TokenKind::Comma if before && self.corrective_after(i) => return false,
                // A finite linking verb after a comma opens the predicate of a new clause,
                // not a list item: "no ring in sight, feels like a choice".
                TokenKind::Comma if before && self.predicate_after(i) => return false,
                // An enumeration's comma opens its next item: "what it skips: the sprint
                // through the departure hall, the caption, the amnesia".
                TokenKind::Comma if enumeration => {
                    gap = 0;
                    after_separator = true;
                }
                // A negated noun phrase ends at its comma unless a coordinated list goes on:
                // "no explanation, see you in five years".
                TokenKind::Comma
                    if phrase && !in_list && gap > 0 && !self.coordinated_list_follows(i) =>
                {
                    return false
                }
                // A relative clause ends at its comma, unless a list goes on.
                TokenKind::Comma
                    if relative && !in_list && gap > 0 && !self.list_item_follows(i) =>
                {
                    return false
                }
                TokenKind::Comma => after_separator = true,
                _ => {}
            }
        }
        true
    }

    /// Rule 5b: when hypothetical cue `c` is one word (a conditional such as "if") among the
    /// first `fronted_words` words of its sentence, and mention `m` stands in the clause it
    /// opens, before the comma that closes it, the first absence cue after that comma that
    /// looks back (direction `after` or `both`: "keep looking"): the consequent's answer.
    fn consequent_absence(&self, c: &CueHit, m: &Mention) -> Option<CueHit> {
        let lexicon = self.lex.lexicon();
        let (first, end) = self.sentence_range(c.sentence)?;
        let start = self.tokens[first].word;
        // A one-word conditional ("if"), not a wish ("i need something").
        if c.first != c.last
            || c.last >= m.first
            || self.tokens[c.first as usize].word - start >= lexicon.model.fronted_words
        {
            return None;
        }
        let comma =
            (m.last as usize + 1..end).find(|&i| self.tokens[i].kind == TokenKind::Comma)?;
        // The mention must be in the conditional clause: no comma between the cue and it.
        if (c.last as usize + 1..m.first as usize).any(|i| self.tokens[i].kind == TokenKind::Comma)
        {
            return None;
        }
        // The answer is in the consequent's own clause: up to the next comma, semicolon,
        // dash or terminator, within `MAX_REACH` words, with no other mention before it
        // (a cue after another mention answers for that one).
        let limit = self.tokens[comma].word + MAX_REACH;
        let clause_end = (comma + 1..end)
            .find(|&i| {
                let t = &self.tokens[i];
                matches!(
                    t.kind,
                    TokenKind::Comma | TokenKind::Semicolon | TokenKind::Dash
                ) || t.word > limit
                    || self.terminator_at(i)
            })
            .unwrap_or(end);
        let next_mention = self
            .mentions
            .get(self.mentions.partition_point(|x| x.first as usize <= comma))
            .map_or(usize::MAX, |x| x.first as usize);
        let cues = self.cues_in(c.sentence);
        cues[cues.partition_point(|a| a.first as usize <= comma)..]
            .iter()
            .take_while(|a| (a.last as usize) < clause_end.min(next_mention))
            .find(|a| {
                let cue = &lexicon.cues[a.cue as usize];
                // A verdict word (scope 0) answers only for a label or a question.
                cue.category.status() == Some(Status::Absent)
                    && cue.direction != Direction::Before
                    && cue.scope > 0
            })
            .copied()
    }

    /// Rule 5c: the one-word hypothetical cue ("if", "unless") among the first
    /// `fronted_words` words of the sentence of negation cue `c` whose clause a comma closes
    /// before `c`, when `c` opens with a counterfactual modal ([`COUNTERFACTUAL_MODALS`]):
    /// "If this were a typical drama, he would have grabbed her wrist".
    fn conditional_frame(&self, c: &CueHit) -> Option<CueHit> {
        if !one_of(
            self.tokens[c.first as usize].text(self.text),
            &COUNTERFACTUAL_MODALS,
        ) {
            return None;
        }
        let lexicon = self.lex.lexicon();
        let (first, _) = self.sentence_range(c.sentence)?;
        let start = self.tokens[first].word;
        self.cues_in(c.sentence)
            .iter()
            .take_while(|h| h.last < c.first)
            .find(|h| {
                lexicon.cues[h.cue as usize].category == CueCategory::Hypothetical
                    && h.first == h.last
                    && self.tokens[h.first as usize].word - start < lexicon.model.fronted_words
                    && (h.last as usize + 1..c.first as usize)
                        .any(|i| self.tokens[i].kind == TokenKind::Comma)
            })
            .copied()
    }

    /// Rule 2, relative clauses: whether the word before cue `c`, in its sentence, is a
    /// relative pronoun ([`RELATIVE_PRONOUNS`]).
    fn in_relative_clause(&self, c: &CueHit) -> bool {
        self.tokens[..c.first as usize]
            .iter()
            .rev()
            .find(|t| t.kind == TokenKind::Word)
            .is_some_and(|t| {
                t.sentence == c.sentence && one_of(t.text(self.text), &RELATIVE_PRONOUNS)
            })
    }

    /// Rule 3: whether a word follows mention `m` before any punctuation: "and the love
    /// triangle takes over" goes on as a clause, "and the love triangle." is a list item.
    fn clause_goes_on(&self, m: &Mention) -> bool {
        self.tokens
            .get(m.last as usize + 1)
            .is_some_and(|t| t.kind == TokenKind::Word && t.sentence == m.sentence)
    }

    /// Rule 2, relative clauses: whether token `i` is a determiner ([`DETERMINERS`]).
    fn determiner_at(&self, i: usize) -> bool {
        self.tokens
            .get(i)
            .is_some_and(|t| t.kind == TokenKind::Word && one_of(t.text(self.text), &DETERMINERS))
    }

    /// Rule 2, negated phrases: whether cue `c`, as written, is one of `phrase_negations`
    /// ("no"), its words compared one by one (ASCII case aside) so that no string is built:
    /// this is asked for every cue a scope walk meets.
    fn phrase_negation(&self, c: &CueHit) -> bool {
        let list = &self.lex.lexicon().model.phrase_negations;
        let words = || {
            self.tokens[c.first as usize..=c.last as usize]
                .iter()
                .filter(|t| t.kind == TokenKind::Word)
                .map(|t| t.text(self.text))
        };
        list.iter().any(|entry| {
            let (mut ws, mut ps) = (words(), entry.split(' '));
            loop {
                match (ws.next(), ps.next()) {
                    (None, None) => return true,
                    (Some(w), Some(p)) if w.eq_ignore_ascii_case(p) => {}
                    _ => return false,
                }
            }
        })
    }

    /// Rule 2, negated phrases: whether cue `c` goes on a run of negated phrases: a comma
    /// stands right before it, and the phrase before that comma opens with another
    /// `phrase_negations` cue, with no mention in it ("no explanation, no warning, ...").
    fn in_negation_run(&self, c: &CueHit) -> bool {
        let Some(comma) = (c.first as usize).checked_sub(1) else {
            return false;
        };
        let t = &self.tokens[comma];
        if t.kind != TokenKind::Comma || t.sentence != c.sentence {
            return false;
        }
        // The start of the phrase before the comma: after the comma before it, or the
        // sentence's start.
        let (first, _) = self.sentence_range(c.sentence).unwrap_or((0, 0));
        let start = (first..comma)
            .rev()
            .find(|&i| self.tokens[i].kind == TokenKind::Comma)
            .map_or(first, |i| i + 1);
        if (start..comma).any(|i| self.mention_at(i).is_some()) {
            return false;
        }
        let cues = self.cues_in(c.sentence);
        cues.iter().any(|p| {
            p.first as usize == start
                && self.lex.lexicon().cues[p.cue as usize].category == CueCategory::Negation
                && self.phrase_negation(p)
        })
    }

    /// Rule 2, negated phrases: whether the words after the comma at token `comma` go on
    /// as a coordinated list: a mention at most one word after it, and "and", "or" or "nor"
    /// later in the clause (before a semicolon, dash, colon, terminator or the sentence's
    /// end): "no twist, amnesia or love triangle".
    fn coordinated_list_follows(&self, comma: usize) -> bool {
        if !self.list_item_follows(comma) {
            return false;
        }
        let sentence = self.tokens[comma].sentence;
        // No scope reaches past `MAX_REACH` words, so neither does the look for the
        // coordinator: without the bound a long run-on list was quadratic.
        let limit = self.tokens[comma].word + MAX_REACH;
        for i in comma + 1..self.tokens.len() {
            let t = &self.tokens[i];
            if t.sentence != sentence
                || t.word > limit
                || matches!(
                    t.kind,
                    TokenKind::Semicolon | TokenKind::Dash | TokenKind::Colon
                )
                || self.terminator_at(i)
            {
                return false;
            }
            if t.kind == TokenKind::Word && is_coordinator(t.text(self.text)) {
                return true;
            }
        }
        false
    }

    /// Rule 2: whether a `corrective_words` word ("just", "only") follows the comma at token
    /// `comma`.
    fn corrective_after(&self, comma: usize) -> bool {
        let words = &self.lex.lexicon().model.corrective_words;
        self.tokens
            .get(comma + 1)
            .is_some_and(|t| t.kind == TokenKind::Word && one_of(t.text(self.text), words))
    }

    /// Rule 2, predicates: whether the word right after token `comma` is a finite linking
    /// verb ([`PREDICATE_VERBS`]).
    fn predicate_after(&self, comma: usize) -> bool {
        self.tokens.get(comma + 1).is_some_and(|t| {
            t.kind == TokenKind::Word && one_of(t.text(self.text), &PREDICATE_VERBS)
        })
    }

    /// Rule 2: whether tokens `range` hold a `removal_verbs` word.
    fn removes(&self, range: std::ops::RangeInclusive<usize>) -> bool {
        let verbs = &self.lex.lexicon().model.removal_verbs;
        !verbs.is_empty()
            && self.tokens[range]
                .iter()
                .any(|t| t.kind == TokenKind::Word && one_of(t.text(self.text), verbs))
    }

    /// Whether a terminator, semicolon or dash stands between two mentions.
    fn separated(&self, a: &Mention, b: &Mention) -> bool {
        let (from, to) = if a.last < b.first {
            (a.last as usize + 1, b.first as usize)
        } else {
            (b.last as usize + 1, a.first as usize)
        };
        (from..to).any(|i| {
            matches!(self.tokens[i].kind, TokenKind::Semicolon | TokenKind::Dash)
                || self.terminator_at(i)
        })
    }

    /// The token range (first, one past the last) of sentence `s`.
    fn sentence_range(&self, s: u32) -> Option<(usize, usize)> {
        let first = self.tokens.partition_point(|t| t.sentence < s);
        let end = self.tokens.partition_point(|t| t.sentence <= s);
        (first < end).then_some((first, end))
    }

    /// The cues of `m`'s sentence within [`MAX_REACH`] words of it.
    fn cues_near(&self, m: &Mention) -> &[CueHit] {
        let word = |i: u32| self.tokens[i as usize].word;
        let (lo, hi) = (
            word(m.first).saturating_sub(MAX_REACH + 1),
            word(m.last).saturating_add(MAX_REACH + 1),
        );
        let cues = self.cues_in(m.sentence);
        let from = cues.partition_point(|c| word(c.first) + self.cue_span < lo);
        let to = cues.partition_point(|c| word(c.first) <= hi);
        &cues[from..to.max(from)]
    }

    /// Whether at most [`MAX_REACH`] words stand between two mentions, `a` before `b`.
    fn near(&self, a: &Mention, b: &Mention) -> bool {
        let word = |i: u32| self.tokens[i as usize].word;
        word(b.first).saturating_sub(word(a.last) + 1) <= MAX_REACH
    }

    /// The cues of sentence `s`, in text order.
    fn cues_in(&self, s: u32) -> &[CueHit] {
        let first = self.cues.partition_point(|c| c.sentence < s);
        let end = self.cues.partition_point(|c| c.sentence <= s);
        &self.cues[first..end]
    }

    /// Rule 9: whether the text points at a work under review (`work_markers`).
    fn names_a_work(&self) -> bool {
        // A title or a name settles it, before any word is lower-cased.
        if self.proper_name() {
            return true;
        }
        let markers = &self.lex.work_markers;
        // Each word lower-cased once, not once per marker, and copied only when lower-casing
        // changes it (most words of a text are lower-case ASCII already).
        let lower: Vec<Option<std::borrow::Cow<str>>> = self
            .tokens
            .iter()
            .map(|t| {
                (t.kind == TokenKind::Word).then(|| {
                    let w = t.text(self.text);
                    if w.bytes().all(|b| b.is_ascii() && !b.is_ascii_uppercase()) {
                        std::borrow::Cow::Borrowed(w)
                    } else {
                        std::borrow::Cow::Owned(w.to_lowercase())
                    }
                })
            })
            .collect();
        let word = |i: usize| lower[i].as_ref();
        // A timeline marker ("episode #") in the clause of a genre cue is the genre's
        // timeline: "every K-drama lead who coughs in episode 3 ...".
        let in_genre_clause = |i: usize| {
            let t = &self.tokens[i];
            self.cues_in(t.sentence).iter().any(|c| {
                let (from, to) = if c.last < i as u32 {
                    (c.last as usize + 1, i)
                } else {
                    (i + 1, c.first as usize)
                };
                genre_frame(self.lex, c)
                    && self.tokens[from.min(to)]
                        .word
                        .abs_diff(self.tokens[to].word)
                        <= MAX_REACH
                    && !(from..to).any(|k| {
                        matches!(self.tokens[k].kind, TokenKind::Semicolon | TokenKind::Dash)
                            || self.terminator_at(k)
                    })
            })
        };
        let timeline = &self.lex.timeline_markers;
        // Most words open no marker: turned away by the markers' few first words rather than
        // by a walk through every marker (that walk was a fifth of a genre essay's analysis).
        let firsts = &self.lex.marker_firsts;
        let any_number = firsts.iter().any(|f| f == "#");
        let may_open = |w: &str| any_number || firsts.iter().any(|f| spells(w, f));
        (0..self.tokens.len()).any(|start| {
            if !word(start).is_some_and(|w| may_open(w)) {
                return false;
            }
            // Not inside a compound: "a sixteen-episode drama" points at no work.
            let compound = start > 0 && self.tokens[start - 1].kind == TokenKind::Hyphen;
            let in_genre = std::cell::OnceCell::new();
            let counts = |marker: &Vec<String>, weak: bool| {
                !marker.is_empty()
                    && !compound
                    && marker.iter().enumerate().all(|(k, want)| {
                        let Some(got) = (start + k < self.tokens.len())
                            .then(|| word(start + k))
                            .flatten()
                        else {
                            return false;
                        };
                        if want == "#" {
                            got.starts_with(|c: char| c.is_ascii_digit())
                                || NUMBERS.contains(&got.as_ref())
                        } else {
                            spells(got, want)
                        }
                    })
                    && (!weak || !*in_genre.get_or_init(|| in_genre_clause(start)))
            };
            markers.iter().any(|m| counts(m, false)) || timeline.iter().any(|m| counts(m, true))
        })
    }

    /// Rule 9: whether the text names a title or a person, outside any mention and any
    /// heading (a sentence not closed by a stop or question mark): two capitalised words in a
    /// row ("Pebble Beach", "The Heirs"), or a hyphenated given name after the sentence's
    /// first word ("Seo-yun").
    fn proper_name(&self) -> bool {
        let short_lower = |i: usize| {
            let t = &self.tokens[i];
            let w = t.text(self.text);
            t.kind == TokenKind::Word
                && (2..=5).contains(&w.chars().count())
                && w.chars().all(|c| c.is_ascii_lowercase())
        };
        let mut checked: Option<(u32, bool)> = None;
        // The end of the last genre headline found: no title or name inside one.
        let mut headline_end = 0;
        for i in 0..self.tokens.len().saturating_sub(2) {
            if i < headline_end || self.mention_at(i).is_some() || !self.capitalised(i) {
                continue;
            }
            if let Some(end) = self.genre_headline(i) {
                headline_end = end;
                continue;
            }
            let t = &self.tokens[i];
            let title = self.title_at(i);
            let name = i > 0
                && self.tokens[i - 1].sentence == t.sentence
                && t.text(self.text).chars().count() <= 5
                && self.tokens[i + 1].kind == TokenKind::Hyphen
                && short_lower(i + 2)
                && self.mention_at(i + 2).is_none()
                && (i + 3 >= self.tokens.len() || self.tokens[i + 3].kind != TokenKind::Hyphen);
            if !(title || name) {
                continue;
            }
            let ok = match checked {
                Some((s, ok)) if s == t.sentence => ok,
                _ => self.closed(t.sentence),
            };
            checked = Some((t.sentence, ok));
            if ok {
                return true;
            }
        }
        false
    }

    /// Rule 9: whether the run of title-case words that starts at token `i` (capitalised
    /// words, capital letters, hyphens and small words; at most [`HEADLINE_TOKENS`] tokens)
    /// holds a genre cue: a headline about the genre ("7 Things Every K-Drama Fan Has Seen"),
    /// not a work's title. Returns the end of the run (one past its last token).
    fn genre_headline(&self, i: usize) -> Option<usize> {
        let sentence = self.tokens[i].sentence;
        // A headline joins more of them than a title does ("Things to Do With an Umbrella").
        let small = |w: &str| TITLE_SMALL_WORDS.contains(&w) || matches!(w, "an" | "with");
        let end = (i..self.tokens.len().min(i + HEADLINE_TOKENS))
            .find(|&j| {
                let t = &self.tokens[j];
                let w = t.text(self.text);
                t.sentence != sentence
                    || !(t.kind == TokenKind::Hyphen
                        || (t.kind == TokenKind::Word
                            && (w.starts_with(|c: char| c.is_uppercase()) || small(w))))
            })
            .unwrap_or_else(|| self.tokens.len().min(i + HEADLINE_TOKENS));
        (end > i
            && starting_in(self.cues, |c| c.first, i as u32, end as u32 - 1)
                .iter()
                .any(|c| genre_frame(self.lex, c)))
        .then_some(end)
    }

    /// Whether token `i` is a word that starts with a capital and goes on in lower case.
    fn capitalised(&self, i: usize) -> bool {
        let t = &self.tokens[i];
        let w = t.text(self.text);
        let mut chars = w.chars();
        t.kind == TokenKind::Word
            && chars.next().is_some_and(char::is_uppercase)
            && chars.next().is_some_and(char::is_lowercase)
    }

    /// Rules 9 and 11: whether a title starts at token `i`, outside any mention: two
    /// capitalised words in a row ("Pebble Beach"), or with one small word or an ampersand
    /// between ("Days of Linen", "Salt & Honey").
    fn title_at(&self, i: usize) -> bool {
        if !self.capitalised(i) || self.mention_at(i).is_some() {
            return false;
        }
        let sentence = self.tokens[i].sentence;
        let joined = |j: usize| {
            j < self.tokens.len()
                && self.capitalised(j)
                && self.tokens[j].sentence == sentence
                && self.mention_at(j).is_none()
        };
        joined(i + 1)
            || (i + 2 < self.tokens.len()
                && ((self.tokens[i + 1].kind == TokenKind::Word
                    && TITLE_SMALL_WORDS.contains(&self.tokens[i + 1].text(self.text)))
                    || self.tokens[i + 1].text(self.text) == "&")
                && joined(i + 2))
    }

    /// Whether sentence `s` ends with a stop or a question mark; one that does not is a
    /// heading (or a line of a list).
    fn closed(&self, s: u32) -> bool {
        matches!(
            last_mark(self.tokens, s),
            Some(TokenKind::Stop | TokenKind::Question)
        )
    }

    /// Rule 8: whether sentence `s` is a heading of at most `max` words, followed by a
    /// sentence that is not a heading (the section it heads).
    fn heads_a_section(&self, s: u32, max: usize) -> bool {
        self.sentence_range(s).is_some_and(|(first, end)| {
            self.is_heading(s, first, end, max) && self.section_follows(end)
        })
    }

    /// Whether sentence `s` (tokens `first..end`) is a heading: no closing stop or question
    /// mark, at most `max` words.
    fn is_heading(&self, s: u32, first: usize, end: usize, max: usize) -> bool {
        !self.closed(s) && self.short(first, end, max)
    }

    /// Whether the sentence that starts at token `end` is text, not another heading.
    fn section_follows(&self, end: usize) -> bool {
        end < self.tokens.len() && self.closed(self.tokens[end].sentence)
    }

    /// Whether tokens `first..end` hold at most `max` words (looking at no more than that).
    fn short(&self, first: usize, end: usize, max: usize) -> bool {
        self.tokens[first..end]
            .iter()
            .filter(|t| t.kind == TokenKind::Word)
            .nth(max)
            .is_none()
    }

    /// Rule 8, fragments: whether sentence `s` is a fragment: closed by a stop, at most
    /// `fragment_words` words, its first word one of `fragment_openers` ("A chaebol heir.").
    fn fragment(&self, s: u32) -> bool {
        let model = &self.lex.lexicon().model;
        self.sentence_range(s).is_some_and(|(first, end)| {
            last_mark(self.tokens, s) == Some(TokenKind::Stop)
                && self.short(first, end, model.fragment_words as usize)
                && self.tokens[first..end]
                    .iter()
                    .find(|t| t.kind == TokenKind::Word)
                    .is_some_and(|t| one_of(t.text(self.text), &model.fragment_openers))
        })
    }

    /// Rule 8, fragments: give the mentions no cue reached in a run of two or more
    /// fragments the last status cue of the sentence just before the run.
    fn frame_fragments(&self, out: &mut [Decision]) {
        let lexicon = self.lex.lexicon();
        let mut run: Option<(u32, u32, Option<CueHit>)> = None; // (first, last, frame)
        for (m, d) in self.mentions.iter().zip(out.iter_mut()) {
            if d.cue.is_some() {
                continue;
            }
            let s = m.sentence;
            if !run.is_some_and(|(first, last, _)| (first..=last).contains(&s)) {
                run = None;
                if !self.fragment(s) {
                    continue;
                }
                let mut first = s;
                while first > 0 && self.fragment(first - 1) {
                    first -= 1;
                }
                let mut last = s;
                while self.fragment(last + 1) {
                    last += 1;
                }
                let frame = (first > 0 && last > first)
                    .then(|| {
                        self.cues_in(first - 1)
                            .iter()
                            .rev()
                            .find(|c| {
                                // A frame speaks of what follows: a genre or avoidance cue,
                                // not a negation of the sentence's own verb ("The show never
                                // drags. A chaebol heir. A candy girl.").
                                matches!(
                                    lexicon.cues[c.cue as usize].category,
                                    CueCategory::Genre | CueCategory::Avoidance
                                )
                            })
                            .copied()
                    })
                    .flatten();
                run = Some((first, last, frame));
            }
            if let Some((_, _, Some(cue))) = run {
                if let Some(status) = lexicon.cues[cue.cue as usize].category.status() {
                    *d = Decision {
                        status,
                        cue: Some(cue),
                        turned: false,
                        answer: false,
                    };
                }
            }
        }
    }

    /// Rule 8: when sentence `s` announces a list (a `list_nouns` word with a status cue
    /// after it: "seven tropes it refuses to touch"), that cue.
    fn announcement(&self, s: u32, first: usize, end: usize) -> Option<CueHit> {
        let lexicon = self.lex.lexicon();
        let nouns = &lexicon.model.list_nouns;
        let noun = (first..end).find(|&i| {
            let t = &self.tokens[i];
            t.kind == TokenKind::Word && nouns.contains(&t.text(self.text).to_lowercase())
        })? as u32;
        self.cues_in(s)
            .iter()
            .find(|c| c.first > noun && lexicon.cues[c.cue as usize].category.status().is_some())
            .copied()
    }

    /// Rule 8: give the mentions no cue reached in each heading that heads a section the
    /// frame of the list announced last. The first item must follow the announcement with
    /// no sentence of text between; after it, the items' sections stand between items. A
    /// heading with a cue of its own (even a pseudo-cue: "the one it can't resist") ends the
    /// list, and so, once an item has taken the frame, does a heading with no mention.
    fn frame_headings(&self, all_cues: &[CueHit], out: &mut [Decision]) {
        let lexicon = self.lex.lexicon();
        let max = lexicon.model.heading_words as usize;
        // Only a document with such a heading pays for the walk over its sentences.
        let Some(last) = self
            .mentions
            .iter()
            .zip(out.iter())
            .rev()
            .filter(|(m, d)| d.cue.is_none() && self.heads_a_section(m.sentence, max))
            .map(|(m, _)| m.sentence)
            .next()
        else {
            return;
        };
        let mut frame: Option<CueHit> = None;
        let mut started = false;
        for s in 0..=last {
            let Some((first, end)) = self.sentence_range(s) else {
                continue;
            };
            if let Some(cue) = self.announcement(s, first, end) {
                frame = Some(cue);
                started = false;
                continue;
            }
            if !self.is_heading(s, first, end, max) {
                // The items follow their announcement: a sentence of text before the first
                // one ends the list ("1." alone is no text).
                let text = self.tokens[first..end].iter().any(|t| {
                    t.kind == TokenKind::Word && t.text(self.text).chars().any(char::is_alphabetic)
                });
                if text && !started {
                    frame = None;
                }
                continue;
            }
            let a = all_cues.partition_point(|c| c.sentence < s);
            let b = all_cues.partition_point(|c| c.sentence <= s);
            let own_cue = all_cues[a..b]
                .iter()
                .any(|c| self.mention_at(c.first as usize).is_none());
            let mentioned = self.mentions.partition_point(|m| m.sentence < s)
                ..self.mentions.partition_point(|m| m.sentence <= s);
            if own_cue || (mentioned.is_empty() && started) {
                frame = None;
                continue;
            }
            let Some(cue) = frame else { continue };
            let Some(status) = lexicon.cues[cue.cue as usize].category.status() else {
                continue;
            };
            if mentioned.is_empty() || !self.section_follows(end) {
                continue;
            }
            for i in mentioned {
                if out[i].cue.is_none() {
                    out[i] = Decision {
                        status,
                        cue: Some(cue),
                        turned: false,
                        answer: false,
                    };
                }
            }
            started = true;
        }
    }

    /// Rule 2, enumerations: whether the colon at `colon` closes another status cue that
    /// stands after cue `c` (in its scope, as the walk that asks has found): the outer cue
    /// frames the inner one, and the colon introduces what both govern ("it doesn't waste a
    /// minute on the stuff I'm tired of: ...").
    fn inner_frame_colon(&self, c: &CueHit, colon: usize) -> bool {
        let Some(before) = colon.checked_sub(1) else {
            return false;
        };
        let cues = self.cues_in(c.sentence);
        cues[cues.partition_point(|h| h.first <= c.last)..]
            .iter()
            .take_while(|h| (h.first as usize) <= before)
            .any(|h| {
                h.last as usize == before
                    && self.lex.lexicon().cues[h.cue as usize]
                        .category
                        .status()
                        .is_some()
            })
    }

    /// Rule 5d: whether hypothetical cue `c` is a one-word "if" that opens a clause in the
    /// past perfect about something other than the reader or the writer ("if the show had
    /// thrown in", not "if I had known"), and mention `m` stands after its "had" in that
    /// clause (no comma between): what the clause imagines, the work did not do.
    fn past_unreal(&self, c: &CueHit, m: &Mention) -> bool {
        let word = |i: usize| {
            let t = &self.tokens[i];
            (t.kind == TokenKind::Word).then(|| t.text(self.text))
        };
        if c.first != c.last
            || c.last >= m.first
            || !word(c.first as usize).is_some_and(|w| w.eq_ignore_ascii_case("if"))
        {
            return false;
        }
        let (from, to) = (c.last as usize + 1, m.first as usize);
        if word(from).is_some_and(|w| one_of(w, &PAST_UNREAL_PERSONS)) {
            return false;
        }
        let Some(had) = (from..to.min(from + PAST_UNREAL_SUBJECT + 1))
            .find(|&i| word(i).is_some_and(|w| w.eq_ignore_ascii_case("had")))
        else {
            return false;
        };
        // A participle after "had" ("had thrown", "had been"), not "had to", "had a" or
        // "had serious": a word ending as regular and most irregular participles do.
        let participle = had + 1 < to
            && word(had + 1).is_some_and(|w| {
                let b = w.as_bytes();
                let ends = |e: &str| {
                    b[b.len().saturating_sub(e.len())..].eq_ignore_ascii_case(e.as_bytes())
                };
                b.len() > 3 && ["ed", "en", "wn", "ne", "ught", "ot"].into_iter().any(ends)
                    || one_of(
                        w,
                        &["had", "made", "put", "let", "set", "kept", "left", "cut"],
                    )
            });
        // Its object, near it: "if the show had thrown in amnesia", not a mention deep in
        // the clause ("if she had ended up hitting the hit-and-run victim").
        let near = self.tokens[to].word - self.tokens[had + 1].word <= PAST_UNREAL_OBJECT + 1;
        participle && near && (from..to).all(|i| self.tokens[i].kind != TokenKind::Comma)
    }

    /// Rule 2: whether only `colon_frame_words` stand between cue `c` and the colon at
    /// `colon` after it, so the colon introduces what the cue governs.
    fn frame_colon(&self, c: &CueHit, colon: usize) -> bool {
        let words = &self.lex.lexicon().model.colon_frame_words;
        let from = c.last as usize + 1;
        from < colon
            && self.tokens[from..colon]
                .iter()
                .all(|t| t.kind == TokenKind::Word && one_of(t.text(self.text), words))
    }

    /// Whether no word follows mention `m` in its sentence: it is what a question asks about.
    fn ends_sentence(&self, m: &Mention) -> bool {
        self.tokens[m.last as usize + 1..]
            .iter()
            .take_while(|t| t.sentence == m.sentence)
            .all(|t| t.kind != TokenKind::Word)
    }

    /// Rule 7: whether `m` is the predicate of a yes-no question that asks whether it
    /// happens: the question opens with an auxiliary and a pronoun or "there", and `m`
    /// starts right after it or after an article, with no relative clause or new subject
    /// after it (`QUESTION_QUALIFIERS`). "Will he run
    /// through the airport to stop her? Reader, he does not." denies the dash, words after
    /// the mention or not.
    fn asks_whether(&self, m: &Mention) -> bool {
        if !self.is_question(m.sentence) {
            return false;
        }
        let Some((first, end)) = self.sentence_range(m.sentence) else {
            return false;
        };
        let mut words = self.words(first..m.first as usize);
        let (Some(auxiliary), Some(subject)) = (words.next(), words.next()) else {
            return false;
        };
        // Auxiliary, subject, and the mention at once ("Will he run ..."), or after an
        // article ("Is there a love triangle ..."): a verb between ("Will she recover from
        // amnesia ...?", "Can you guess whether ...") makes the question about that verb.
        if !(at_most_a_determiner(words)
            && one_of(auxiliary, &QUESTION_AUXILIARIES)
            && one_of(subject, &QUESTION_SUBJECTS))
        {
            return false;
        }
        // A relative clause after the mention makes the question about a kind of it: "Is
        // there a love triangle that works? No." denies one that works.
        !self
            .words(m.last as usize + 1..end)
            .any(|w| one_of(w, &QUESTION_QUALIFIERS))
    }

    /// The words among tokens `range`, as written.
    fn words(&self, range: std::ops::Range<usize>) -> impl Iterator<Item = &'_ str> + '_ {
        self.tokens[range]
            .iter()
            .filter(|t| t.kind == TokenKind::Word)
            .map(|t| t.text(self.text))
    }

    /// Rule 7: whether tokens `range` hold between one and `max_words` words: a short
    /// answer or verdict.
    fn is_short(&self, range: std::ops::Range<usize>, max_words: u32) -> bool {
        let words = self.words(range).count();
        words > 0 && words <= max_words as usize
    }

    /// Whether sentence `s` is a question: its last punctuation is a question mark.
    fn is_question(&self, s: u32) -> bool {
        last_mark(self.tokens, s) == Some(TokenKind::Question)
    }

    /// Rule 7: when sentence `s` is a question, and it and any questions after it are
    /// followed by a short answer (at most `max_words` words, no mention) holding a status
    /// cue, that cue.
    fn answer(&self, s: u32, max_words: u32) -> Option<CueHit> {
        if !self.is_question(s) {
            return None;
        }
        let mut next = s + 1;
        while self.is_question(next) {
            next += 1;
        }
        let (first, end) = self.sentence_range(next)?;
        if !self.is_short(first..end, max_words) {
            return None;
        }
        let mentioned = self.mentions.partition_point(|m| m.sentence < next)
            ..self.mentions.partition_point(|m| m.sentence <= next);
        if !mentioned.is_empty() {
            return None;
        }
        let lexicon = self.lex.lexicon();
        let cue = self
            .cues_in(next)
            .iter()
            .find(|c| lexicon.cues[c.cue as usize].category.status().is_some())?;
        // A verdict word answers only as a verdict: opening the answer, followed by nothing
        // but `verdict_tails` ("The love triangle? Gone by episode four." is no answer).
        let verdict_word = lexicon.cues[cue.cue as usize].scope == 0;
        let opening = self.tokens[first..end]
            .iter()
            .position(|t| t.kind == TokenKind::Word)
            .map(|k| first + k);
        (!verdict_word || (opening == Some(cue.first as usize) && self.tails_only(cue, end)))
            .then_some(*cue)
    }

    /// Rule 7: whether only `verdict_tails` words stand after cue `c` before token `end`:
    /// "gone, thankfully", not "cured by a kiss".
    fn tails_only(&self, c: &CueHit, end: usize) -> bool {
        let tails = &self.lex.lexicon().model.verdict_tails;
        self.words(c.last as usize + 1..end)
            .all(|w| one_of(w, tails))
    }

    /// Rule 7, verdicts: when a colon follows mention `m` straight after its last word, and
    /// after the colon comes a short verdict (at most `max_words` words and no mention, up
    /// to the sentence's end or a comma, semicolon, colon or dash) that opens with a status
    /// cue followed by nothing but `verdict_tails` words, that cue; when the label is the
    /// mention itself (a determiner at most before it) and the sentence is no question. "Second-lead syndrome:
    /// cured, and good riddance" takes "cured"; "Amnesia: cured by a kiss" takes nothing
    /// (the cure is the verdict's subject), nor does "The love triangle: not bad" ("not bad"
    /// is a pseudo-cue).
    fn verdict(&self, m: &Mention, max_words: u32) -> Option<CueHit> {
        let colon = m.last as usize + 1;
        let t = self.tokens.get(colon)?;
        if t.kind != TokenKind::Colon || t.sentence != m.sentence || self.is_question(m.sentence) {
            return None;
        }
        // The label is the mention, a determiner at most before it ("The love triangle:"),
        // not a phrase about it: "The point of the love triangle: none." judges the point.
        let (start, _) = self.sentence_range(m.sentence)?;
        if !at_most_a_determiner(self.words(start..m.first as usize)) {
            return None;
        }
        let first = colon + 1;
        let end = self.tokens[first..]
            .iter()
            .position(|t| {
                t.sentence != m.sentence
                    || matches!(
                        t.kind,
                        TokenKind::Comma
                            | TokenKind::Semicolon
                            | TokenKind::Colon
                            | TokenKind::Dash
                    )
            })
            .map_or(self.tokens.len(), |n| first + n);
        if !self.is_short(first..end, max_words)
            || (first..end).any(|i| self.mention_at(i).is_some())
        {
            return None;
        }
        let opening = (first..end).find(|&i| self.tokens[i].kind == TokenKind::Word)?;
        let lexicon = self.lex.lexicon();
        let cue = self.cues_in(m.sentence).iter().find(|c| {
            c.first as usize == opening
                && (c.last as usize) < end
                && lexicon.cues[c.cue as usize].category.status().is_some()
        })?;
        // After the cue, only words that leave the verdict as it is.
        self.tails_only(cue, end).then_some(*cue)
    }

    /// Rule 2, fronted phrases: the first token of an avoidance cue, or of a contrast
    /// opener, among the first `fronted_words` words of sentence `s`.
    fn fronted_at(&self, s: u32) -> Option<u32> {
        let lexicon = self.lex.lexicon();
        let max = lexicon.model.fronted_words;
        let (first, _) = self.sentence_range(s)?;
        let start = self.tokens[first].word;
        // Cues are in text order: the first avoidance cue among those that start within the
        // window, and no need to look past it (a long sentence has many cues).
        self.cues_in(s)
            .iter()
            .take_while(|c| self.tokens[c.first as usize].word - start < max)
            .find(|c| {
                lexicon.cues[c.cue as usize].category == CueCategory::Avoidance
                    || contrast_opener(self.lex, c)
            })
            .map(|c| c.first)
    }

    /// Rule 2, fronted phrases: after the comma at token `comma`, whether a list item
    /// follows (a mention at most one word away, not counting "and", "or", "nor").
    fn list_item_follows(&self, comma: usize) -> bool {
        let sentence = self.tokens[comma].sentence;
        let mut words = 0;
        for i in comma + 1..self.tokens.len() {
            let t = &self.tokens[i];
            if t.sentence != sentence {
                return false;
            }
            if self.mention_at(i).is_some() {
                return true;
            }
            if t.kind == TokenKind::Word {
                let w = t.text(self.text);
                if !is_coordinator(w) {
                    words += 1;
                    if words > 1 {
                        return false;
                    }
                }
            } else if t.kind != TokenKind::Other {
                return false;
            }
        }
        false
    }

    fn mention_at(&self, i: usize) -> Option<&Mention> {
        let i = i as u32;
        starting_in(
            self.mentions,
            |m| m.first,
            i.saturating_sub(self.mention_span),
            i,
        )
        .iter()
        .find(|m| i <= m.last)
    }

    /// The cues that cover token `i`.
    fn cues_at(&self, i: usize) -> impl Iterator<Item = &CueHit> {
        let i = i as u32;
        starting_in(self.cues, |c| c.first, i.saturating_sub(self.cue_span), i)
            .iter()
            .filter(move |c| i <= c.last)
    }

    /// Rule 11: the answer to the genre statement that `frame` makes about `m`: a clause
    /// after a clause break in `m`'s sentence, else the next sentence, whose first
    /// `ANSWER_OPENING` words turn to the work (`answer_subjects`, a title, or in a document
    /// that names a work `answer_pronouns`), and that confirms (`present`), or negates or
    /// avoids (`absent`); an other-work hypothetical ("in any other drama ... would")
    /// answered by an `answer_subjects` opener ("here", "this one"; not a title or a
    /// pronoun, which names in conditionals were mistaken for) is `absent` too; failing
    /// those, a clause that turns to the work at its end and denies the trope is there
    /// ([`Walker::trailing_answer`]). No answer from a clause that speaks of other works
    /// itself (a genre or hypothetical cue) or names the trope again.
    fn genre_answer(
        &self,
        m: &Mention,
        frame: &CueHit,
        names_work: &mut Option<bool>,
    ) -> Option<Decision> {
        let (_, end) = self.sentence_range(m.sentence)?;
        let from = m.last.max(frame.last) as usize + 1;
        // Within `MAX_REACH` words, as every scope: a long run-on sentence was quadratic.
        let limit = self.tokens[from - 1].word + MAX_REACH;
        // The answer: its subject (where it ends, and its kind), the clause's first token, and
        // the end of its sentence. The clauses that turn to the work only at their end ("but
        // there's none of it in this one") are kept aside, widest first, in case no clause
        // opens so; they are tried before the next sentence.
        let mut at = None;
        let mut trailing = Vec::new();
        for i in from..end {
            let t = &self.tokens[i];
            if t.word > limit {
                break;
            }
            if self.clause_break_at(i) {
                if let Some(found) = self.work_subject(i + 1, end, names_work) {
                    at = Some((found, i + 1, end));
                    break;
                }
                if let Some((subject, stop)) = self.trailing_subject(i + 1, end) {
                    trailing.push((subject, i + 1, stop));
                }
            }
        }
        if at.is_none() {
            let answer = |&(subject, clause, stop): &(usize, usize, usize)| {
                self.trailing_answer(m, subject, clause, stop)
            };
            if let Some(found) = trailing.iter().find_map(answer) {
                return Some(found);
            }
            let (first, next_end) = self.sentence_range(m.sentence + 1)?;
            at = self
                .work_subject(first, next_end, names_work)
                .map(|found| (found, first, next_end));
            if at.is_none() {
                return self
                    .trailing_subject(first, next_end)
                    .and_then(|(subject, stop)| answer(&(subject, first, stop)));
            }
        }
        let ((subject, kind), clause, end) = at?;
        let stop = self.clause_stop(subject, end);
        let (lo, hi) = (subject as u32, stop as u32);
        // The clause's sentence: the subject may end the text, or its sentence unstopped.
        let s = self.tokens[clause].sentence;
        if self.answers_elsewhere(m, s, lo, hi) {
            return None;
        }
        let within = self
            .cues_in(s)
            .iter()
            .filter(|c| c.first >= lo && c.last < hi);
        let mut confirm = None;
        let mut absence = None;
        for c in within {
            match self.category(c) {
                CueCategory::Confirm if confirm.is_none() && self.confirms(c) => confirm = Some(*c),
                // The negation must be the answer's own verb's, near its subject: "Pebble
                // Lane isn't interested", not "it looks like a TV movie, not exciting".
                CueCategory::Negation | CueCategory::Avoidance
                    if absence.is_none()
                        && self.tokens[c.first as usize].word
                            <= self.tokens[subject].word + ANSWER_NEGATION_WORDS =>
                {
                    absence = Some(*c)
                }
                _ => {}
            }
        }
        // A negation among the opening words before the subject answers too, with nothing
        // but words between: "but not this one", "Never here.", not "No, here it's the
        // whole plot."
        if absence.is_none() {
            absence = self
                .cues_in(s)
                .iter()
                .find(|c| {
                    c.first >= clause as u32
                        && c.last < lo
                        && self.category(c) == CueCategory::Negation
                        && self.tokens[c.last as usize + 1..subject]
                            .iter()
                            .all(|t| t.kind == TokenKind::Word)
                })
                .copied();
        }
        // A confirmation right after a negation ("it doesn't deliver") is negated.
        let negated = |c: &CueHit| {
            self.cues_in(s).iter().any(|n| {
                self.category(n).status() == Some(Status::Absent)
                    && n.last < c.first
                    && self.tokens[c.first as usize].word - self.tokens[n.last as usize].word <= 2
            })
        };
        let (status, cue) = match (confirm, absence) {
            (Some(c), _) if !negated(&c) => (Status::Present, c),
            _ if kind == Subject::Named && self.other_work_hypothetical(m, frame) => {
                (Status::Absent, *frame)
            }
            (_, Some(a)) => (Status::Absent, a),
            _ => return None,
        };
        Some(Decision {
            status,
            cue: Some(cue),
            turned: false,
            answer: true,
        })
    }

    /// Rule 12: the negation cue that says the expectation of `m` never came true: an
    /// `expectation_words` word at most `EXPECTATION_WORDS` words before `m` in its clause
    /// (no semicolon, colon, dash or terminator between), and the first clause after `m`
    /// that opens (after at most two `DENIAL_OPENERS`) with one of `DENIAL_ANAPHORS`, in
    /// its sentence after a clause break or else the next sentence, denies it: a negation
    /// cue at most two words after the anaphor and then, through `DENIAL_FILLERS`, one of
    /// `arrival_verbs` with no `ARRIVAL_PARTICLES` word after it ("and it never came", "It
    /// never happens.", "which never arrives"); after "there", a negation that ends in
    /// "none" or "nothing" or is followed by "one" or "any" ("but there wasn't one").
    fn expectation_denied(&self, m: &Mention) -> Option<CueHit> {
        let model = &self.lex.lexicon().model;
        if model.expectation_words.is_empty() || model.arrival_verbs.is_empty() {
            return None;
        }
        let (first, end) = self.sentence_range(m.sentence)?;
        let at = self.tokens[m.first as usize].word;
        let expects = (first..m.first as usize)
            .rev()
            .take_while(|&i| {
                let t = &self.tokens[i];
                !matches!(
                    t.kind,
                    TokenKind::Semicolon | TokenKind::Colon | TokenKind::Dash
                ) && !self.terminator_at(i)
                    && t.word + EXPECTATION_WORDS >= at
            })
            .any(|i| {
                let t = &self.tokens[i];
                t.kind == TokenKind::Word && one_of(t.text(self.text), &model.expectation_words)
            });
        if !expects {
            return None;
        }
        let limit = self.tokens[m.last as usize].word + MAX_REACH;
        for i in m.last as usize + 1..end {
            let t = &self.tokens[i];
            if t.word > limit {
                return None;
            }
            if self.clause_break_at(i) {
                if let Some(found) = self.denial(i + 1, end) {
                    return found;
                }
            }
        }
        let (next, next_end) = self.sentence_range(m.sentence + 1)?;
        self.denial(next, next_end).flatten()
    }

    /// Rule 12: for a clause from token `from` (its sentence ending at `end`), `None` when it
    /// does not open with one of `DENIAL_ANAPHORS`, else whether it denies what was
    /// expected ([`Walker::expectation_denied`]), with the negation cue that does.
    fn denial(&self, from: usize, end: usize) -> Option<Option<CueHit>> {
        let mut words = (from..end).filter(|&i| self.tokens[i].kind == TokenKind::Word);
        let word = |i: usize| self.tokens[i].text(self.text);
        let mut anaphor = words.next()?;
        for _ in 0..2 {
            if !one_of(word(anaphor), &DENIAL_OPENERS) {
                break;
            }
            anaphor = words.next()?;
        }
        if !one_of(word(anaphor), &DENIAL_ANAPHORS) {
            return None;
        }
        let there = word(anaphor).eq_ignore_ascii_case("there");
        let at = self.tokens[anaphor].word;
        let next_word = |i: usize| {
            self.tokens
                .get(i)
                .filter(|t| t.kind == TokenKind::Word && (i < end))
                .map(|t| t.text(self.text))
        };
        let denies = |c: &CueHit| {
            let mut after = c.last as usize + 1;
            if there {
                return one_of(word(c.last as usize), &["none", "nothing"])
                    || next_word(after).is_some_and(|w| one_of(w, &["one", "any"]));
            }
            while next_word(after).is_some_and(|w| one_of(w, &DENIAL_FILLERS)) {
                after += 1;
            }
            self.lex.lexicon().model.arrival_verbs.iter().any(|v| {
                self.phrase_at(after, end, v).is_some_and(|past| {
                    !next_word(past).is_some_and(|w| one_of(w, &ARRIVAL_PARTICLES))
                })
            })
        };
        let s = self.tokens[anaphor].sentence;
        Some(
            self.cues_in(s)
                .iter()
                .find(|c| {
                    self.category(c) == CueCategory::Negation
                        && c.first as usize >= anaphor
                        && (c.last as usize) < end
                        && self.tokens[c.first as usize].word <= at + 2
                        && denies(c)
                })
                .copied(),
        )
    }

    /// Rule 11: whether a confirmation cue confirms: a one-word "too" before another word is
    /// a degree ("too long"), not an addition.
    fn confirms(&self, c: &CueHit) -> bool {
        let next = self.tokens.get(c.last as usize + 1);
        !(c.first == c.last
            && self.tokens[c.first as usize]
                .text(self.text)
                .eq_ignore_ascii_case("too")
            && next.is_some_and(|t| t.kind == TokenKind::Word))
    }

    /// Rule 11: whether the genre statement imagines another work doing the trope: a genre
    /// or hypothetical cue before the mention and "would" between the two or in the mention
    /// ("in any other drama that drive would end in a crash").
    fn other_work_hypothetical(&self, m: &Mention, frame: &CueHit) -> bool {
        if frame.last >= m.first {
            return false;
        }
        (frame.last as usize + 1..=m.last as usize).any(|i| {
            let t = &self.tokens[i];
            t.kind == TokenKind::Word && one_of(t.text(self.text), &["would", "would've"])
        })
    }

    /// Rule 11: whether the answering clause from token `lo` to `hi` (of sentence `s`) is no
    /// answer about `m`: it speaks of other works itself (a genre or hypothetical cue), or it
    /// names the trope again, and that mention speaks for itself.
    fn answers_elsewhere(&self, m: &Mention, s: u32, lo: u32, hi: u32) -> bool {
        self.cues_in(s).iter().any(|c| {
            c.first >= lo
                && c.last < hi
                && matches!(
                    self.category(c),
                    CueCategory::Genre | CueCategory::Hypothetical
                )
        }) || starting_in(self.mentions, |o| o.first, lo, hi)
            .iter()
            .any(|o| o.trope == m.trope && o.last < hi)
    }

    /// Rule 11: where an answer from token `from` stops (`end` at the latest, its sentence's
    /// end): at a semicolon, a colon, a dash or a terminator, since what a colon or dash
    /// introduces is a list or an aside, not the answer.
    fn clause_stop(&self, from: usize, end: usize) -> usize {
        let limit = self.tokens[from.min(end.saturating_sub(1))].word + MAX_REACH;
        (from..end)
            .find(|&i| {
                self.tokens[i].word > limit
                    || matches!(
                        self.tokens[i].kind,
                        TokenKind::Semicolon | TokenKind::Colon | TokenKind::Dash
                    )
                    || self.terminator_at(i)
            })
            .unwrap_or(end)
    }

    /// Rule 11: the first token of an `answer_subjects` phrase ("here", "this one") that
    /// ends the clause from token `from` ("there's none of it in this one"), and the
    /// clause's stop ([`Walker::clause_stop`]).
    fn trailing_subject(&self, from: usize, end: usize) -> Option<(usize, usize)> {
        let stop = self.clause_stop(from, end);
        let last_word = (from..stop)
            .rev()
            .find(|&i| self.tokens[i].kind == TokenKind::Word)?;
        self.lex
            .lexicon()
            .model
            .answer_subjects
            .iter()
            .find_map(|p| {
                let first = (last_word + 1).checked_sub(p.split_whitespace().count())?;
                (first >= from && self.phrase_at(first, stop, p) == Some(last_word + 1))
                    .then_some((first, stop))
            })
    }

    /// Rule 11: the answer of a clause from token `clause` to `stop` that turns to the work
    /// only at its end, with the subject at token `subject`: `absent` when an avoidance cue,
    /// or a negation that denies the thing is there (ending in one of `ANSWER_NONE`, or
    /// followed by one of `ANSWER_FINDING`), stands at most `ANSWER_TRAILING_WORDS` words
    /// before the subject with one of `ANSWER_ANAPHORS` between ("you won't find one in this
    /// show"; not "I didn't mind it here"), and the clause neither speaks of other works
    /// nor names the trope again.
    fn trailing_answer(
        &self,
        m: &Mention,
        subject: usize,
        clause: usize,
        stop: usize,
    ) -> Option<Decision> {
        let (lo, hi) = (clause as u32, stop as u32);
        let s = self.tokens[subject].sentence;
        if self.answers_elsewhere(m, s, lo, hi) {
            return None;
        }
        let subject_word = self.tokens[subject].word;
        // A word between the cue and the subject must point back at the trope: "none of
        // it here", not "not what I'm recommending here".
        let points_back = |c: &CueHit| {
            self.tokens[c.last as usize + 1..subject]
                .iter()
                .any(|t| t.kind == TokenKind::Word && one_of(t.text(self.text), &ANSWER_ANAPHORS))
        };
        // A negation must deny that the thing is there ("none of it", "won't find one"),
        // not judge it ("didn't mind it", "can't miss it").
        let word = |i: usize| {
            self.tokens
                .get(i)
                .filter(|t| t.kind == TokenKind::Word)
                .map(|t| t.text(self.text))
        };
        let denies_it = |c: &CueHit| {
            self.category(c) == CueCategory::Avoidance
                || word(c.last as usize).is_some_and(|w| one_of(w, &ANSWER_NONE))
                || word(c.last as usize + 1).is_some_and(|w| one_of(w, &ANSWER_FINDING))
        };
        let absence = self.cues_in(s).iter().find(|c| {
            matches!(
                self.category(c),
                CueCategory::Negation | CueCategory::Avoidance
            ) && c.first >= lo
                && (c.last as usize) < subject
                && self.tokens[c.first as usize].word + ANSWER_TRAILING_WORDS >= subject_word
                && points_back(c)
                && denies_it(c)
        })?;
        Some(Decision {
            status: Status::Absent,
            cue: Some(*absence),
            turned: false,
            answer: true,
        })
    }

    /// Rule 11: where a clause from token `from` (to `end`, its sentence's end) turns to the
    /// work: the token after the subject among its first `ANSWER_OPENING` words (a title's
    /// first token), and what kind of subject it is.
    fn work_subject(
        &self,
        from: usize,
        end: usize,
        names_work: &mut Option<bool>,
    ) -> Option<Answerer> {
        if let Some(&found) = self.subjects.borrow().get(&(from, end)) {
            return found;
        }
        let found = self.find_work_subject(from, end, names_work);
        self.subjects.borrow_mut().insert((from, end), found);
        found
    }

    /// [`Walker::work_subject`], worked out.
    fn find_work_subject(
        &self,
        from: usize,
        end: usize,
        names_work: &mut Option<bool>,
    ) -> Option<Answerer> {
        let model = &self.lex.lexicon().model;
        let mut words = 0;
        for i in from..end {
            if self.tokens[i].kind != TokenKind::Word {
                continue;
            }
            if words == ANSWER_OPENING {
                break;
            }
            words += 1;
            if let Some(next) = model
                .answer_subjects
                .iter()
                .find_map(|p| self.phrase_at(i, end, p))
            {
                return Some((next, Subject::Named));
            }
            if self.title_at(i) {
                return Some((i, Subject::Title));
            }
            if let Some(next) = model
                .answer_pronouns
                .iter()
                .find_map(|p| self.phrase_at(i, end, p))
            {
                if *names_work.get_or_insert_with(|| self.names_a_work()) {
                    return Some((next, Subject::Pronoun));
                }
            }
        }
        None
    }

    /// Whether the words from token `i` (before `end`) spell `phrase`, ASCII case aside:
    /// the token after them.
    fn phrase_at(&self, i: usize, end: usize, phrase: &str) -> Option<usize> {
        let mut j = i;
        for want in phrase.split_whitespace() {
            let t = self
                .tokens
                .get(j)
                .filter(|t| j < end && t.kind == TokenKind::Word)?;
            if !one_of(t.text(self.text), &[want]) {
                return None;
            }
            j += 1;
        }
        Some(j)
    }

    /// Rules 11 and 12: whether token `i` opens a new clause: a comma, semicolon, colon or
    /// dash, a terminator, or one of `ANSWER_CONJUNCTIONS` ("and", "but").
    fn clause_break_at(&self, i: usize) -> bool {
        let t = &self.tokens[i];
        match t.kind {
            TokenKind::Comma | TokenKind::Semicolon | TokenKind::Colon | TokenKind::Dash => true,
            TokenKind::Word => {
                self.terminator_at(i) || one_of(t.text(self.text), &ANSWER_CONJUNCTIONS)
            }
            _ => false,
        }
    }

    fn terminator_at(&self, i: usize) -> bool {
        self.cues_at(i)
            .any(|c| self.category(c) == CueCategory::Terminator)
    }

    fn status_cue_at(&self, i: usize, except: &CueHit) -> bool {
        self.cues_at(i)
            .any(|c| c != except && self.category(c).status().is_some())
    }
}

#[cfg(test)]
mod tests {
    use crate::lexicon::Status;
    use crate::pipeline::{test_analyzer, Analyzer};

    /// The shipped cue files and model with a few small tropes, so these tests pin the
    /// engine's rules rather than the curated trope patterns.
    fn analyzer() -> Analyzer {
        test_analyzer(&[
            ("love-triangle", "cliche", &["love triangle"]),
            ("amnesia", "cliche", &["amnesi*"]),
            ("airport-dash", "cliche", &["airport dash"]),
            ("wrist-grab", "cliche", &["wrist grab", "grab ~3 wrist"]),
            ("chaebol", "cliche", &["chaebol famil*"]),
            ("fated-childhood", "cliche", &["childhood flashback"]),
            ("possessive-jealousy", "cliche", &["re:possessive(ness)?"]),
            ("honest-communication", "mature", &["talk it through"]),
        ])
    }

    #[test]
    fn no_cue_reaches_past_max_reach_even_along_a_list() {
        // "No item0, item1, ..., item199.": one list of 200 tropes, each a word and a comma
        // apart (different tropes, so rule 6 lends nothing along it).
        let ids: Vec<(String, [String; 1])> = (0..200)
            .map(|i| (format!("t{i}"), [format!("item{i}")]))
            .collect();
        let tropes: Vec<(&str, &str, &[String])> = ids
            .iter()
            .map(|(id, p)| (id.as_str(), "cliche", p.as_slice()))
            .collect();
        let patterns: Vec<Vec<&str>> = tropes
            .iter()
            .map(|t| t.2.iter().map(String::as_str).collect())
            .collect();
        let tropes: Vec<(&str, &str, &[&str])> = tropes
            .iter()
            .zip(&patterns)
            .map(|(t, p)| (t.0, t.1, p.as_slice()))
            .collect();
        let a = test_analyzer(&tropes);
        let items: Vec<String> = (0..200).map(|i| format!("item{i}")).collect();
        let text = format!("No {}.", items.join(", "));
        let r = a.analyze_text("t", &text);
        assert_eq!(r.mentions.len(), 200);
        for (i, m) in r.mentions.iter().enumerate() {
            // `i` words stand between "No" and item `i`.
            let expected = if i as u32 <= super::MAX_REACH {
                Status::Absent
            } else {
                Status::Present
            };
            assert_eq!(m.decision.status, expected, "item {i}");
        }
    }

    /// (trope, status) of every mention, in text order.
    fn statuses(text: &str) -> Vec<(String, Status)> {
        let a = analyzer();
        let r = a.analyze_text("t", text);
        r.mentions
            .iter()
            .map(|m| (a.trope_id(m).to_string(), m.decision.status))
            .collect()
    }

    /// Assert the (trope, status) of every mention of `text`, in text order.
    fn assert_statuses(text: &str, want: &[(&str, Status)]) {
        let want: Vec<(String, Status)> = want.iter().map(|(t, s)| (t.to_string(), *s)).collect();
        assert_eq!(statuses(text), want, "{text}");
    }

    fn status_of(text: &str, trope: &str) -> Status {
        let s = statuses(text);
        s.iter()
            .find(|(t, _)| t == trope)
            .unwrap_or_else(|| panic!("{trope} not found in {text:?}: {s:?}"))
            .1
    }

    use Status::*;

    #[test]
    fn a_relative_clause_goes_on_describing_the_other_work_a_genre_cue_named() {
        assert_statuses(
            "Compare it with last spring's Blue Hour, which piled on amnesia and a love \
             triangle in one episode.",
            &[("amnesia", Generic), ("love-triangle", Generic)],
        );
        // Only a genre cue's: a negation's scope still ends at the comma before "which".
        assert_statuses(
            "There is no umbrella scene, which is a relief, and the love triangle drags.",
            &[("love-triangle", Present)],
        );
    }

    #[test]
    fn a_genre_statement_answered_by_a_negation_before_the_subject_or_at_the_clause_end() {
        // A negation among the opening words, before the subject.
        for text in [
            "Most dramas have a love triangle, but not this one.",
            "So many dramas lean on a love triangle. Not here.",
            // At the end: a negation a few words before the subject, pointing back.
            "Love triangles are a staple of the genre, but you won't find one in this show.",
            "So many dramas lean on a love triangle, but there's none of it in this one.",
            "So many dramas lean on a love triangle. You won't see one here.",
            // No stop at the end of the text, or of the sentence.
            "Most dramas have a love triangle, but not here",
            "Most dramas have a love triangle. Not this one",
            "Most dramas have a love triangle, but not here\n\nThe leads are great.",
            // A clause that ends with "here" and answers nothing leaves the next sentence
            // to answer.
            "Most dramas cannot resist a love triangle, and I expected one here. Thankfully, \
             Cedar Hill isn't tempted.",
        ] {
            assert_statuses(
                text,
                &[("love-triangle", Generic), ("love-triangle", Absent)],
            );
        }
        for text in [
            // Nothing points back at the trope.
            "So many dramas lean on a love triangle, but that's comfort food, not what I'm \
             recommending here.",
            // The negation too far from the subject.
            "So many dramas lean on a love triangle, but you won't find one after the writers \
             rebuilt the whole second act here.",
            // The negation judges the thing rather than denying it is there.
            "So many dramas lean on a love triangle, but I didn't mind it in this one.",
            "So many dramas lean on a love triangle. You can't miss it here.",
            // An interjection, not a negation of the subject.
            "So many dramas lean on a love triangle. No, here it's the whole plot.",
            // The clause does not end with the subject.
            "So many dramas lean on a love triangle, but there's none of it in this one until \
             the finale.",
        ] {
            assert_statuses(text, &[("love-triangle", Generic)]);
        }
    }

    #[test]
    fn a_genre_statement_answered_by_the_work_gets_a_second_status() {
        // Confirmed: the work has it too.
        assert_statuses(
            "Plenty of dramas lean on amnesia. This one leans into it as well.",
            &[("amnesia", Generic), ("amnesia", Present)],
        );
        assert_statuses(
            "So many dramas stage an airport dash, and Pebble Lane has one too.",
            &[("airport-dash", Generic), ("airport-dash", Present)],
        );
        // Negated: the work does without it.
        assert_statuses(
            "Most dramas cannot resist a love triangle. Thankfully, Cedar Hill isn't tempted.",
            &[("love-triangle", Generic), ("love-triangle", Absent)],
        );
        // Another work imagined, the work under review answers otherwise.
        assert_statuses(
            "In any other drama, the rooftop scene would end in a wrist grab. Here he waits \
             for her to decide.",
            &[("wrist-grab", Generic), ("wrist-grab", Absent)],
        );
        let a = analyzer();
        let r = a.analyze_text(
            "t",
            "So many dramas stage an airport dash. This one does too.",
        );
        let answer = r.mentions.iter().find(|m| m.decision.answer).unwrap();
        assert_eq!(answer.decision.status, Present);
        assert_eq!(r.matched(answer), "airport dash");
        assert_eq!(a.analyze_text("t", "An airport dash.").mentions.len(), 1);
    }

    #[test]
    fn a_genre_statement_without_an_answer_stays_one_reference() {
        // No turn to the work.
        assert_statuses(
            "So many dramas stage an airport dash. Audiences seem to love them too.",
            &[("airport-dash", Generic)],
        );
        // A turn to the work with no confirmation or negation.
        assert_statuses(
            "So many dramas stage an airport dash. This one spends its finale in a kitchen.",
            &[("airport-dash", Generic)],
        );
        // The next sentence speaks of another show.
        assert_statuses(
            "Most dramas love amnesia. Other shows have used it twice in one season too.",
            &[("amnesia", Generic)],
        );
        // Only the next sentence may answer.
        assert_statuses(
            "So many dramas stage an airport dash. The weather was cold. This one has one too.",
            &[("airport-dash", Generic)],
        );
        // A "too" of degree confirms nothing; a pronoun answers only in a document that
        // names a work.
        assert_statuses(
            "Most dramas love amnesia, and it is too tiring to watch.",
            &[("amnesia", Generic)],
        );
    }

    #[test]
    fn regex_patterns_match_any_case() {
        assert_eq!(
            status_of("Possessive boyfriends everywhere.", "possessive-jealousy"),
            Present
        );
    }

    #[test]
    fn no_cue_is_present() {
        assert_eq!(
            status_of("He grabs her wrist, again.", "wrist-grab"),
            Present
        );
    }

    #[test]
    fn negation_before() {
        assert_eq!(
            status_of("There is no love triangle in this one.", "love-triangle"),
            Absent
        );
        assert_eq!(status_of("Nobody gets amnesia.", "amnesia"), Absent);
        assert_eq!(
            status_of(
                "You won't be crying because someone got amnesia.",
                "amnesia"
            ),
            Absent
        );
    }

    #[test]
    fn negation_after() {
        assert_eq!(
            status_of("The love triangle is nowhere to be found.", "love-triangle"),
            Absent
        );
    }

    #[test]
    fn coordinated_list_carries_scope() {
        let s = statuses("No amnesia, no love triangle and no airport dash.");
        assert!(s.iter().all(|(_, st)| *st == Absent), "{s:?}");
        let s = statuses("Gone are the chaebol families, the childhood flashback twists, and the love triangles.");
        assert_eq!(s.len(), 3, "{s:?}");
        assert!(s.iter().all(|(_, st)| *st == Absent), "{s:?}");
    }

    #[test]
    fn list_stops_at_a_new_clause() {
        assert_eq!(
            status_of(
                "No love triangle, and he grabs her wrist twice.",
                "wrist-grab"
            ),
            Present
        );
    }

    #[test]
    fn a_subject_after_a_comma_opens_a_new_clause() {
        assert_eq!(
            status_of("She has no umbrella, and he grabs her wrist.", "wrist-grab"),
            Present
        );
        assert_eq!(
            status_of("There is no scene where he grabs her wrist.", "wrist-grab"),
            Absent
        );
    }

    #[test]
    fn terminator_ends_scope() {
        assert_eq!(
            status_of("No amnesia, but he grabs her wrist.", "wrist-grab"),
            Present
        );
        assert_eq!(
            status_of(
                "Nothing new here; the love triangle is back.",
                "love-triangle"
            ),
            Present
        );
    }

    #[test]
    fn scope_ends_at_sentence() {
        assert_eq!(
            status_of("No spoilers. The love triangle is great.", "love-triangle"),
            Present
        );
    }

    #[test]
    fn avoidance_verbs() {
        for text in [
            "The drama skips the love triangle entirely.",
            "It refuses to lean on amnesia.",
            "Instead of a love triangle, we get two adults.",
            "The show is free of amnesia plots.",
            "It breaks free from the love triangle formula.",
            "The writers spare us the love triangle.",
            "A far cry from the usual love triangle.",
        ] {
            let trope = if text.contains("amnesia") {
                "amnesia"
            } else {
                "love-triangle"
            };
            assert_eq!(status_of(text, trope), Absent, "{text}");
        }
    }

    #[test]
    fn genre_cues() {
        assert_eq!(
            status_of("So many dramas fall into the trap of amnesia.", "amnesia"),
            Generic
        );
        assert_eq!(
            status_of("K-dramas love a love triangle.", "love-triangle"),
            Generic
        );
        assert_eq!(
            status_of(
                "The usual love triangle shows up by episode four.",
                "love-triangle"
            ),
            Generic
        );
    }

    #[test]
    fn an_avoided_pronoun_looks_back_at_what_was_named() {
        assert_eq!(
            status_of(
                "Sold as a love triangle romp, it turns out to be a far cry from that.",
                "love-triangle"
            ),
            Absent
        );
        assert_eq!(
            status_of(
                "Amnesia is the obvious move, and the script avoids it.",
                "amnesia"
            ),
            Absent
        );
        // "without it" is no such cue: "the show would be nothing without it".
        assert_eq!(
            status_of(
                "The love triangle is the engine; the show would be nothing without it.",
                "love-triangle"
            ),
            Present
        );
    }

    #[test]
    fn absence_patterns_turn_the_decision_around() {
        let a = crate::pipeline::test_analyzer(&[(
            "rescue",
            "cliche",
            &["(rescue|rescues|saves) her", "!(rescues|saves) herself"],
        )]);
        let status = |text: &str| -> Vec<(String, Status)> {
            let r = a.analyze_text("t", text);
            r.mentions
                .iter()
                .map(|m| (r.matched(m).to_string(), m.decision.status))
                .collect()
        };
        assert_eq!(
            status("In the finale she saves herself."),
            [("saves herself".to_string(), Absent)]
        );
        // Negated, the absence is itself denied.
        assert_eq!(
            status("She never once rescues herself."),
            [("rescues herself".to_string(), Present)]
        );
        assert_eq!(
            status("So many dramas have a heroine who saves herself."),
            [("saves herself".to_string(), Generic)]
        );
        // An absence pattern with its own negation, as an item of a negated list.
        let a2 = crate::pipeline::test_analyzer(&[
            ("wedding", "cliche", &["wedding finale", "!no wedding"]),
            ("skip", "cliche", &["time skip"]),
        ]);
        let r = a2.analyze_text("t", "There is no time skip, no wedding and no sudden exit.");
        let got: Vec<_> = r.mentions.iter().map(|m| m.decision.status).collect();
        assert_eq!(got, [Absent, Absent]);
        // The other pattern is read as ever.
        assert_eq!(
            status("He rescues her twice."),
            [("rescues her".to_string(), Present)]
        );
    }

    #[test]
    fn absence_patterns_and_real_double_negatives() {
        let a = crate::pipeline::test_analyzer(&[
            (
                "wedding",
                "cliche",
                &["wedding finale", "!no wedding", "!without (a|the) wedding"],
            ),
            ("skip", "cliche", &["time skip"]),
            (
                "damsel",
                "cliche",
                &["damsel in distress", "!(rescues|saves) herself"],
            ),
        ]);
        let status = |text: &str, trope: &str| {
            let r = a.analyze_text("t", text);
            let m = r
                .mentions
                .iter()
                .find(|m| a.trope_id(m) == trope)
                .unwrap_or_else(|| panic!("{trope} not in {text:?}"));
            (m.decision.status, m.decision.turned)
        };
        // A negation that is no list's denies the absence.
        for text in [
            "This drama does not end without a wedding.",
            "It's not as if there is no wedding.",
        ] {
            assert_eq!(status(text, "wedding"), (Present, true), "{text}");
        }
        // A list's "no" distributes over an item that carries its own: not turned.
        assert_eq!(
            status(
                "There is no time skip, no wedding and no separation.",
                "wedding"
            ),
            (Absent, false)
        );
        // Merged with an ordinary match of the trope, the absence pattern decides.
        let r = a.analyze_text("t", "In this one the damsel in distress rescues herself.");
        assert_eq!(r.mentions.len(), 1);
        assert_eq!(
            status(
                "In this one the damsel in distress rescues herself.",
                "damsel"
            ),
            (Absent, true)
        );
    }

    #[test]
    fn a_two_item_list_is_not_cut_at_and_the() {
        for text in [
            "Gone are the chaebol families, and the love triangles.",
            "It avoids the amnesia, and the love triangle.",
        ] {
            assert_eq!(status_of(text, "love-triangle"), Absent, "{text}");
        }
        assert_eq!(
            status_of(
                "No amnesia, and the love triangle takes over.",
                "love-triangle"
            ),
            Present
        );
    }

    #[test]
    fn fragments_do_not_take_a_negation_of_the_sentence_before() {
        assert_eq!(
            status_of(
                "The show never drags. A chaebol family with a secret. A love triangle with teeth.",
                "chaebol"
            ),
            Present
        );
    }

    #[test]
    fn only_a_trope_pattern_can_be_an_absence_pattern() {
        use crate::lexicon::load::{embedded_files, SourceFile};
        use crate::lexicon::{CompiledLexicon, Lexicon};
        let mut files = embedded_files();
        files.push(SourceFile {
            path: "tropes/rescue.toml".into(),
            text: "id = \"rescue\"\nname = \"Rescue\"\nfamily = \"cliche\"\nweight = 1.0\n\
                   description = \"d\"\npatterns = [\"rescue\"]\nexclusions = [\"!rescue dog\"]\n"
                .into(),
        });
        let err = Lexicon::from_files("test", std::path::Path::new("test"), files)
            .and_then(CompiledLexicon::new)
            .unwrap_err()
            .to_string();
        assert!(err.contains("absence pattern"), "{err}");
        assert!(err.contains("rescue.toml"), "{err}");
    }

    #[test]
    fn a_relative_clause_scope_ends_with_its_clause() {
        assert_eq!(
            status_of(
                "Grief is handled with care: a therapist who isn't a plot device, and a love triangle that stays gentle.",
                "love-triangle"
            ),
            Present
        );
        assert_eq!(
            status_of(
                "She is a surgeon who never panics and the love triangle stays in the background.",
                "love-triangle"
            ),
            Present
        );
        // A list goes on after the comma.
        assert_eq!(
            status_of(
                "A lead who never sulks, gets amnesia or needs saving.",
                "amnesia"
            ),
            Absent
        );
        // "and" before a verb stays in the clause; outside a relative clause nothing changes.
        assert_eq!(
            status_of("A lead who never sulks and gets amnesia.", "amnesia"),
            Absent
        );
        assert_eq!(
            status_of(
                "No explanation, no warning, a love triangle.",
                "love-triangle"
            ),
            Absent
        );
    }

    #[test]
    fn taste_bans_fashions_and_conditions_speak_of_a_kind() {
        for text in [
            "The love triangle is my guilty pleasure.",
            "Amnesia plots should be banned by now.",
            "Love triangle stories are having a revival on streaming.",
            "A love triangle only works if both rivals are worth choosing.",
            "A love triangle is only a virtue if the rival is a person.",
        ] {
            assert_eq!(statuses(text)[0].1, Generic, "{text}");
        }
        // Said of this work's own handling, without the condition, nothing changes.
        assert_eq!(
            status_of(
                "The love triangle works because both rivals are kind.",
                "love-triangle"
            ),
            Present
        );
    }

    #[test]
    fn a_kind_judged_as_a_kind_is_generic() {
        assert_eq!(
            status_of(
                "The airport dash at the last second is a fantasy that has aged badly.",
                "airport-dash"
            ),
            Generic
        );
    }

    #[test]
    fn a_kind_named_a_formula_of_the_genre_is_generic() {
        for text in [
            "The love triangle is such a reliable formula that networks keep ordering it.",
            "Amnesia plots have been a staple for two decades.",
            "Airport dash finales are one of the genre's conventions by now.",
        ] {
            let id = statuses(text)[0].0.clone();
            assert_eq!(status_of(text, &id), Generic, "{text}");
        }
        // Without an article the noun says the work's own scene is formulaic.
        assert_eq!(
            status_of(
                "The love triangle is pure formula, but the show earns it.",
                "love-triangle"
            ),
            Present
        );
    }

    #[test]
    fn a_request_for_other_works_speaks_of_them() {
        assert_eq!(
            status_of(
                "Recs please: something with a love triangle where nobody is cruel.",
                "love-triangle"
            ),
            Generic
        );
    }

    #[test]
    fn a_judgment_of_the_works_own_scene_is_no_kind_statement() {
        for (text, id) in [
            (
                "The amnesia arc in episode 9 was a hard sell for me.",
                "amnesia",
            ),
            (
                "Their love triangle is a real selling point of this drama.",
                "love-triangle",
            ),
        ] {
            assert_eq!(status_of(text, id), Present, "{text}");
        }
    }

    #[test]
    fn outermost_cue_decides() {
        // A genre frame around an avoidance verb: about other dramas.
        assert_eq!(
            status_of("So many dramas skip the love triangle.", "love-triangle"),
            Generic
        );
        // An avoidance frame around a genre modifier: this work avoids it.
        assert_eq!(
            status_of("Gone are the usual love triangles.", "love-triangle"),
            Absent
        );
    }

    #[test]
    fn pseudo_cues_do_not_negate() {
        assert_eq!(
            status_of(
                "Not only is there a love triangle, it has four sides.",
                "love-triangle"
            ),
            Present
        );
        assert_eq!(
            status_of(
                "The show is not without its love triangle.",
                "love-triangle"
            ),
            Present
        );
        assert_eq!(
            status_of(
                "No doubt the love triangle is the best part.",
                "love-triangle"
            ),
            Present
        );
    }

    #[test]
    fn a_negated_expectation_is_surprise_not_absence() {
        for text in [
            "Nobody could have predicted how well the amnesia plot works.",
            "I did not expect the amnesia in episode four.",
            "I never expected the amnesia arc to land.",
            "I was not expecting the amnesia twist.",
            "I didn't see the amnesia coming.",
        ] {
            assert_eq!(status_of(text, "amnesia"), Present, "{text}");
        }
        // Advice to the reader is a forecast that it is missing.
        assert_eq!(
            status_of("Don't expect amnesia in this one.", "amnesia"),
            Absent
        );
    }

    #[test]
    fn an_expectation_that_never_came_is_absent() {
        for (text, trope) in [
            (
                "I was waiting for the amnesia twist, but it never arrives.",
                "amnesia",
            ),
            (
                "We were all waiting for amnesia to strike. It never happens.",
                "amnesia",
            ),
            (
                "I was hoping for a love triangle, which never materialised.",
                "love-triangle",
            ),
            (
                "All season I anticipated a love triangle, and thankfully it never showed up.",
                "love-triangle",
            ),
        ] {
            assert_statuses(text, &[(trope, Absent)]);
        }
        // The expectation framed the mention `generic`: the denial is its answer.
        assert_statuses(
            "I expected a love triangle, but there is none.",
            &[("love-triangle", Generic), ("love-triangle", Absent)],
        );
        // It came; or the clause drops a subject; or no expectation was named.
        for text in [
            "I was waiting for the amnesia twist, and it came in episode nine.",
            "I was waiting for the amnesia twist. It never comes up again.",
            "She gets amnesia in episode two. It never happens again.",
            "I was waiting for the amnesia twist, but the love triangle never arrives.",
        ] {
            assert_eq!(status_of(text, "amnesia"), Present, "{text}");
        }
    }

    #[test]
    fn concessions_easy_counterfactuals_and_genre_questions() {
        // A concession negates nothing after its comma.
        assert_eq!(
            status_of("It's not perfect, the finale leans on amnesia.", "amnesia"),
            Present
        );
        // The easy counterfactual reaches what it passed up, far after its cue.
        assert_eq!(
            status_of(
                "It would have been so easy to end the eighth episode in a hospital with a case of amnesia, and it doesn't.",
                "amnesia"
            ),
            Absent
        );
        assert_eq!(
            status_of("It stops short of a love triangle.", "love-triangle"),
            Absent
        );
        // A question about the whole genre frames the negation inside it.
        assert_eq!(
            status_of(
                "Is there a single drama from the last decade in which the heroine does not, at some point, get amnesia?",
                "amnesia"
            ),
            Generic
        );
    }

    #[test]
    fn hypothetical_is_generic() {
        assert_eq!(
            status_of(
                "In a more sentimental drama she would get amnesia in the finale.",
                "amnesia"
            ),
            Generic
        );
        assert_eq!(
            status_of(
                "If this were a lesser drama, someone would have amnesia by now.",
                "amnesia"
            ),
            Generic
        );
    }

    #[test]
    fn a_linking_verb_after_a_comma_ends_a_scope() {
        // The verb after the comma is the predicate of the clause the cue sits in.
        assert_statuses(
            "The last act, no amnesia anywhere, is a talk it through between two adults.",
            &[("amnesia", Absent), ("honest-communication", Present)],
        );
        assert_statuses(
            "Her return, with no airport dash at all, felt like a love triangle finally put to rest.",
            &[("airport-dash", Absent), ("love-triangle", Present)],
        );
        // A list still runs on where no linking verb follows the comma.
        assert_eq!(
            status_of(
                "No amnesia, love triangle or airport dash, and I was glad.",
                "airport-dash"
            ),
            Absent
        );
        // A linking verb with no comma before it is no clause break for this rule.
        assert_eq!(
            status_of("There is no love triangle, thankfully.", "love-triangle"),
            Absent
        );
    }

    #[test]
    fn a_counterfactual_about_the_work_is_absent() {
        // What the work would, could or should have done is what it did not do.
        assert_eq!(
            status_of(
                "Frankly the pair should have just sat down to talk it through.",
                "honest-communication"
            ),
            Absent
        );
        assert_eq!(
            status_of(
                "The script could easily have thrown in a love triangle at the midpoint.",
                "love-triangle"
            ),
            Absent
        );
        // The means the work did without, before a counterfactual fix (active: the subject of
        // a passive one is what it would have fixed).
        assert_eq!(
            status_of(
                "Half the middle act is sulking, and a willingness to talk it through could have fixed all of it.",
                "honest-communication"
            ),
            Absent
        );
        // Not the thing a counterfactual would have fixed, nor what stands farther back.
        assert_eq!(
            status_of(
                "Her amnesia could have been fixed with a better doctor.",
                "amnesia"
            ),
            Present
        );
        assert_eq!(
            status_of(
                "We get a love triangle where a phone call could have solved it.",
                "love-triangle"
            ),
            Present
        );
        // "Would have been better without" says the trope is there.
        assert_eq!(
            status_of(
                "The show would have been far better without the love triangle.",
                "love-triangle"
            ),
            Present
        );
        // Before the counterfactual, a mention is not its object.
        assert_eq!(
            status_of(
                "The love triangle would have worked with a kinder rival.",
                "love-triangle"
            ),
            Present
        );
    }

    #[test]
    fn an_imagined_other_work_frames_a_counterfactual() {
        // A lesser, cheaper or typical work imagined: the counterfactual is generic.
        assert_eq!(
            status_of(
                "A lazier writer would have handed her amnesia in episode nine.",
                "amnesia"
            ),
            Generic
        );
        assert_eq!(
            status_of(
                "In your typical romance the rival would have staged an airport dash.",
                "airport-dash"
            ),
            Generic
        );
        // Rule 5c: a fronted conditional frames the counterfactual of its consequent,
        // across the comma and the new subject.
        assert_eq!(
            status_of(
                "If the writers had lost their nerve, she would have woken up with amnesia.",
                "amnesia"
            ),
            Generic
        );
        assert_eq!(
            status_of(
                "If the rival were a cartoon villain, he wouldn't have thought twice about a wrist grab.",
                "wrist-grab"
            ),
            Generic
        );
        // Not a plain negation after the conditional, nor a counterfactual with no
        // conditional opening the sentence.
        assert_eq!(
            status_of(
                "If you came for a love triangle, it is nowhere to be found.",
                "love-triangle"
            ),
            Absent
        );
        assert_eq!(
            status_of(
                "Sadly, the pair would have needed to talk it through much sooner.",
                "honest-communication"
            ),
            Absent
        );
        // A conditional later in the sentence is no frame for what comes before it.
        assert_eq!(
            status_of(
                "The heroine could have had amnesia, if the first draft is to be believed.",
                "amnesia"
            ),
            Absent
        );
    }

    #[test]
    fn one_reference_one_status() {
        let s = statuses("Gone is the chaebol family whose chaebol families feud.");
        assert!(s.iter().all(|(_, st)| *st == Absent), "{s:?}");
        // Only an earlier mention lends its status.
        assert_eq!(
            status_of(
                "He grabs her wrist and does not let go of her wrist.",
                "wrist-grab"
            ),
            Present
        );
        // A terminator separates two references.
        let s = statuses("No love triangle at first, but then a love triangle forms.");
        assert_eq!(s[1].1, Present, "{s:?}");
    }

    #[test]
    fn genre_frame_runs_through_a_colon() {
        let s = statuses("Tropes we are tired of: amnesia, the love triangle, the airport dash.");
        assert_eq!(s.len(), 3);
        assert!(s.iter().all(|(_, st)| *st == Generic), "{s:?}");
        assert_eq!(
            status_of("No spoilers: the love triangle is great.", "love-triangle"),
            Present
        );
    }

    #[test]
    fn a_labels_short_verdict_decides_it() {
        let absent = [
            "The love triangle: cured.",
            "The love triangle: none.",
            "Amnesia: gone, thankfully, and the leads remember everything.",
            "Wrist grabs: zero here.",
            "The love triangle: not here.",
            "The childhood flashback: avoided.",
            // A verdict word answers a question too.
            "The airport dash? Skipped.",
        ];
        let present = [
            // The verdict says something else of the trope, or is no verdict at all.
            "Amnesia: cured by a kiss.",
            "Amnesia: gone by episode four.",
            "The love triangle: not bad.",
            "The love triangle: yes, sadly.",
            "The love triangle: a long, tiresome slog that nobody wanted at all.",
            // The label is a phrase about the trope, not the trope; the verdict says it
            // happened; a verdict word answering with more than tails.
            "The point of the love triangle: none.",
            "Amnesia: cured again.",
            "The love triangle? Gone by episode four.",
            // Elsewhere a verdict word reaches nothing: the memory is gone, so amnesia.
            "She wakes up with amnesia, her memory gone, in a hospital.",
            "The amnesia is back and the heir goes missing.",
        ];
        for (texts, status) in [(&absent[..], Absent), (&present[..], Present)] {
            for text in texts {
                assert_eq!(statuses(text).first().map(|s| s.1), Some(status), "{text}");
            }
        }
    }

    #[test]
    fn a_short_answer_decides_the_questions_before_it() {
        let s = statuses("Amnesia? A love triangle? Not in this one. The leads just talk.");
        assert_eq!(s.len(), 2, "{s:?}");
        assert!(s.iter().all(|(_, st)| *st == Absent), "{s:?}");
        assert_eq!(
            status_of(
                "Will there be a love triangle? Luckily, no.",
                "love-triangle"
            ),
            Absent
        );
        // The answer is about what the question says of the mention, not about the mention.
        assert_eq!(
            status_of(
                "Was the love triangle in the finale needed? No.",
                "love-triangle"
            ),
            Present
        );
        // A yes-no question about whether the scene happens is answered whatever follows
        // the mention in it; one whose subject is the mention is not.
        assert_eq!(
            status_of(
                "Will he grab her wrist to stop her? Reader, he does not.",
                "wrist-grab"
            ),
            Absent
        );
        assert_eq!(
            status_of(
                "Is there a love triangle in it? Not really.",
                "love-triangle"
            ),
            Absent
        );
        assert_eq!(
            status_of("Was the love triangle in it needed? No.", "love-triangle"),
            Present
        );
        // The answer is about a verb before the mention, or a kind of it after.
        for text in [
            "Will she recover from amnesia before the finale? No.",
            "Is there a love triangle that works? No.",
        ] {
            assert_eq!(statuses(text).first().map(|s| s.1), Some(Present), "{text}");
        }
        // An answer without a cue, or a long one, decides nothing.
        assert_eq!(status_of("Amnesia? Plenty of it.", "amnesia"), Present);
        assert_eq!(
            status_of(
                "A love triangle? No, and the writers knew better than to try it here.",
                "love-triangle"
            ),
            Present
        );
    }

    #[test]
    fn a_fronted_avoidance_phrase_ends_at_its_comma() {
        assert_eq!(
            status_of(
                "Instead of leaning on amnesia, the leads talk it through.",
                "honest-communication"
            ),
            Present
        );
        assert_eq!(
            status_of(
                "Instead of leaning on amnesia, the leads talk it through.",
                "amnesia"
            ),
            Absent
        );
        // A cue inside the fronted phrase ends there too.
        assert_eq!(
            status_of(
                "Rather than the usual clichés, the couple talk it through.",
                "honest-communication"
            ),
            Present
        );
        // A list goes on across the comma.
        let s =
            statuses("Without amnesia, a love triangle or an airport dash, the show still moves.");
        assert_eq!(s.len(), 3, "{s:?}");
        assert!(s.iter().all(|(_, st)| *st == Absent), "{s:?}");
        // Not fronted: the scope runs as before.
        assert_eq!(
            status_of(
                "The leads never grab a wrist, shout, or fake amnesia.",
                "amnesia"
            ),
            Absent
        );
    }

    #[test]
    fn a_means_clause_ends_an_avoidance_scope() {
        assert_eq!(
            status_of(
                "It breaks from the old formula by offering leads who talk it through.",
                "honest-communication"
            ),
            Present
        );
        assert_eq!(
            status_of(
                "It drops the love triangle in favour of leads who talk it through.",
                "honest-communication"
            ),
            Present
        );
    }

    #[test]
    fn what_the_work_does_not_go_in_for_and_its_mocking_stand_ins() {
        // Said after the mention: "isn't the show's idea of ...".
        assert_eq!(
            status_of("Amnesia isn't the show's idea of a twist.", "amnesia"),
            Absent
        );
        assert_eq!(
            status_of("Amnesia is the show's idea of a twist.", "amnesia"),
            Present
        );
        // "The show's idea of X is Y": X is what the work lacks, Y what it has; a linking
        // verb right after a list item opens the predicate, it does not carry the list on.
        assert_statuses(
            "The show's idea of talking it through is a wrist grab in the rain.",
            &[("honest-communication", Absent), ("wrist-grab", Present)],
        );
        // After a comma or "or" a linking verb opens the next item of a list.
        assert_statuses(
            "Nobody gets amnesia, or is in a love triangle.",
            &[("amnesia", Absent), ("love-triangle", Absent)],
        );
    }

    #[test]
    fn a_document_about_the_genre_is_generic() {
        // Two genre cues, no work named: the airport dash no cue reached is genre talk too.
        let essay = "So many dramas lean on amnesia. The airport dash is a genre habit as well.";
        assert_eq!(status_of(essay, "airport-dash"), Generic);
        // A title, a character's name or a pointer at the work makes it a review.
        for review in [
            "So many dramas lean on amnesia. The airport dash is a genre habit, and Pebble Lane has one.",
            "So many dramas lean on amnesia. The airport dash is a genre habit, and Min-ji runs one.",
            "So many dramas lean on amnesia. The airport dash is a genre habit, and this show has one.",
            "So many dramas lean on amnesia. The airport dash is a genre habit; episode 9 has one.",
        ] {
            assert_eq!(status_of(review, "airport-dash"), Present, "{review}");
        }
        // An episode number in a genre statement's clause is the genre's timeline, not a
        // work's: the essay stays an essay. In a clause of its own it names the work.
        let essay =
            "Every K-drama heroine who faints on a staircase in episode 2 seems to wake up \
                     with amnesia by episode 5.";
        assert_eq!(status_of(essay, "amnesia"), Generic);
        let review = "Every K-drama heroine faints at least once; in episode 2 this heroine wakes \
                      up with amnesia.";
        assert_eq!(status_of(review, "amnesia"), Present);
        // "K-drama" before a person or a world names the kind: a cue, here for the whole
        // document, since the colon ends its scope.
        let essay = "K-drama doctors are a menace: one knock on the head and amnesia sets in.";
        assert_eq!(status_of(essay, "amnesia"), Generic);
        let review = "The doctor is a menace: one knock on the head and amnesia sets in.";
        assert_eq!(status_of(review, "amnesia"), Present);
        // A title-case headline that holds a genre cue is about the genre, not a title.
        let essay = "Nine Things K-Drama Fans Have Survived. The first is easy to guess. \
                     Somebody makes the airport dash before the credits roll.";
        assert_eq!(status_of(essay, "airport-dash"), Generic);
        let review = "Every K-drama viewer has survived a few. Pebble Lane ends with the \
                      airport dash anyway.";
        assert_eq!(status_of(review, "airport-dash"), Present);
        // Nothing is absent from a work when none is under review.
        let essay = "So many dramas lean on amnesia. A good romance has no love triangle at all.";
        assert_eq!(status_of(essay, "love-triangle"), Generic);
        // A heading's capitals do not name a work.
        let essay = "Habits Of The Genre\n\nSo many dramas lean on amnesia. The airport dash is a genre habit as well.";
        assert_eq!(status_of(essay, "airport-dash"), Generic);
        // A document whose cues mostly say absent is a review, named or not.
        assert_eq!(
            status_of(
                "There is no amnesia and no love triangle in it. The airport dash arrives on cue, as genre rules demand.",
                "airport-dash"
            ),
            Present
        );
        // A genre cue framed by an absence cue speaks of the work.
        assert_eq!(
            status_of(
                "Rather than the usual clichés, the couple talk it through.",
                "honest-communication"
            ),
            Present
        );
    }

    #[test]
    fn a_colon_after_a_frame_verb_introduces_what_the_cue_governs() {
        assert_eq!(
            status_of(
                "Two things the show never has: amnesia and a love triangle.",
                "love-triangle"
            ),
            Absent
        );
        // Any other word before the colon still ends the scope.
        assert_eq!(
            status_of(
                "It never drags: the love triangle is over in two episodes.",
                "love-triangle"
            ),
            Present
        );
    }

    #[test]
    fn expectation_and_being_spared() {
        assert_eq!(
            status_of(
                "Half an hour in, you are already waiting for the airport dash.",
                "airport-dash"
            ),
            Generic
        );
        assert_eq!(
            status_of(
                "Mercifully we are spared the airport dash in the finale.",
                "airport-dash"
            ),
            Absent
        );
    }

    #[test]
    fn dropped_after_a_first_appearance_is_absent() {
        assert_eq!(
            status_of(
                "The love triangle is set up in the pilot and is promptly abandoned.",
                "love-triangle"
            ),
            Absent
        );
        assert_eq!(
            status_of(
                "Amnesia comes up once, and then the writers forget all about it.",
                "amnesia"
            ),
            Absent
        );
    }

    #[test]
    fn not_until_and_no_secret_do_not_negate() {
        // "Not ... until" says when it happens, not that it never does.
        assert_eq!(
            status_of(
                "They do not talk it through until the last episode.",
                "honest-communication"
            ),
            Present
        );
        assert_eq!(
            status_of("No love triangle until the second half.", "love-triangle"),
            Present
        );
        assert_eq!(
            status_of(
                "He makes no secret of his possessiveness.",
                "possessive-jealousy"
            ),
            Present
        );
    }

    #[test]
    fn the_kind_named_in_the_singular_or_by_count_is_generic() {
        assert_eq!(
            status_of(
                "A great romance lets its leads talk it through.",
                "honest-communication"
            ),
            Generic
        );
        // Said of the work under review, it is no genre cue.
        assert_eq!(
            status_of(
                "This is a great romance, and the leads talk it through.",
                "honest-communication"
            ),
            Present
        );
        assert_eq!(
            status_of(
                "I have sat through ten dramas with that love triangle.",
                "love-triangle"
            ),
            Generic
        );
        assert_eq!(
            status_of(
                "Amnesia strikes K-drama heroines with alarming regularity.",
                "amnesia"
            ),
            Generic
        );
        assert_eq!(
            status_of(
                "The love triangle is one of romance's oldest habits.",
                "love-triangle"
            ),
            Generic
        );
    }

    #[test]
    fn another_work_and_weariness_are_generic() {
        assert_statuses(
            "Last year's big hit had a love triangle; this one has amnesia.",
            &[("love-triangle", Generic), ("amnesia", Present)],
        );
        assert_eq!(
            status_of("Honestly I'm so over the airport dash.", "airport-dash"),
            Generic
        );
    }

    #[test]
    fn wishes_are_generic() {
        assert_eq!(
            status_of(
                "Give me two leads who talk it through.",
                "honest-communication"
            ),
            Generic
        );
        assert_eq!(
            status_of(
                "Leads who talk it through are what I'm always looking for.",
                "honest-communication"
            ),
            Generic
        );
    }

    #[test]
    fn headings_take_the_frame_of_their_list() {
        let text =
            "Four tropes the show never touches.\n\n1. Amnesia\n\nNobody forgets a thing.\n\n\
                    2. The love triangle\n\nThe rival is married by episode two.\n\n\
                    3. The one it can't resist: the wrist grab\n\nHe does it twice.";
        assert_statuses(
            text,
            &[
                ("amnesia", Absent),
                ("love-triangle", Absent),
                ("wrist-grab", Present),
            ],
        );
        // A list noun with no cue after it announces nothing.
        let text = "Four tropes the show uses.\n\nThe love triangle\n\nIt drags.";
        assert_eq!(status_of(text, "love-triangle"), Present);
        // The first item must follow its announcement.
        let text = "Four tropes the show never touches. It is a calm show.\n\n\
                    The love triangle\n\nIt drags.";
        assert_eq!(status_of(text, "love-triangle"), Present);
        // A last line with nothing under it heads no section.
        let text = "Four tropes the show never touches.\n\nThe love triangle";
        assert_eq!(status_of(text, "love-triangle"), Present);
    }

    #[test]
    fn sarcasm_and_lip_service_deny() {
        assert_eq!(
            status_of(
                "The pair talk it through with all the warmth of a tax form.",
                "honest-communication"
            ),
            Absent
        );
        assert_eq!(
            status_of("Amnesia gets a single scene, in a flashback.", "amnesia"),
            Absent
        );
    }

    #[test]
    fn by_and_any_gerund_opens_a_means_clause() {
        assert_eq!(
            status_of(
                "It never feels stale, mostly by casting two leads who talk it through.",
                "honest-communication"
            ),
            Present
        );
        assert_eq!(
            status_of(
                "It skips the airport dash by inventing a love triangle.",
                "love-triangle"
            ),
            Present
        );
    }

    #[test]
    fn ironic_praise_denies() {
        assert_eq!(
            status_of(
                "To call that a love triangle would be a stretch.",
                "love-triangle"
            ),
            Absent
        );
    }

    #[test]
    fn negating_a_removal_keeps_what_it_would_remove() {
        assert_eq!(
            status_of(
                "He never sheds his possessiveness, not even by the finale.",
                "possessive-jealousy"
            ),
            Present
        );
        assert_eq!(
            status_of(
                "The writers refuse to cure her amnesia with a kiss.",
                "amnesia"
            ),
            Present
        );
        assert_eq!(
            status_of("No kiss ever cured her amnesia.", "amnesia"),
            Present
        );
        // The removal itself is what the cue negates.
        assert_eq!(
            status_of("Nobody will fix this love triangle.", "love-triangle"),
            Present
        );
        assert_eq!(
            status_of("There is no love triangle to fix.", "love-triangle"),
            Absent
        );
    }

    #[test]
    fn a_conditional_is_answered_by_its_consequent() {
        assert_eq!(
            status_of(
                "If you tune in for a love triangle, prepare to be disappointed.",
                "love-triangle"
            ),
            Absent
        );
        // A negation of something else in the consequent is no answer.
        assert_eq!(
            status_of(
                "If amnesia is your thing, don't bother with the rest.",
                "amnesia"
            ),
            Generic
        );
        // An absence cue in a later clause, or after another mention, answers for that
        // clause, not for the conditional.
        assert_eq!(
            status_of(
                "If you want a love triangle, this one delivers, although amnesia is nowhere to be found.",
                "love-triangle"
            ),
            Generic
        );
        // No absence cue after the comma: still hypothetical.
        assert_eq!(
            status_of(
                "If you want a love triangle, try the other channel.",
                "love-triangle"
            ),
            Generic
        );
        // A wish is no conditional.
        assert_eq!(
            status_of(
                "I need something where the leads talk it through, no amnesia please.",
                "honest-communication"
            ),
            Generic
        );
        // Not fronted: the conditional is no frame of the sentence.
        assert_eq!(
            status_of(
                "She would cry if he got amnesia, and nobody does.",
                "amnesia"
            ),
            Generic
        );
    }

    #[test]
    fn a_fronted_where_clause_speaks_of_another_work() {
        assert_statuses(
            "Where the old hit leaned on amnesia, this one has a love triangle.",
            &[("amnesia", Generic), ("love-triangle", Present)],
        );
        // Elsewhere "where" is no cue.
        assert_eq!(
            status_of("There is a scene where he grabs her wrist.", "wrist-grab"),
            Present
        );
        assert_eq!(
            status_of("Where is the love triangle, you ask?", "love-triangle"),
            Present
        );
    }

    #[test]
    fn a_correction_after_a_comma_ends_the_scope() {
        assert_eq!(
            status_of(
                "There is no amnesia, just two people who talk it through.",
                "honest-communication"
            ),
            Present
        );
        assert_eq!(
            status_of("No amnesia, only a love triangle.", "love-triangle"),
            Present
        );
        // A list still runs on.
        assert_eq!(
            status_of("No amnesia, no love triangle.", "love-triangle"),
            Absent
        );
        // Only a cue before the mention is cut: one after it looks back past the aside.
        assert_eq!(
            status_of(
                "The love triangle, only hinted at, never materialises.",
                "love-triangle"
            ),
            Absent
        );
    }

    #[test]
    fn and_with_a_determiner_after_one_item_opens_a_new_clause() {
        assert_statuses(
            "There is no amnesia, and the love triangle takes over the back half.",
            &[("amnesia", Absent), ("love-triangle", Present)],
        );
        assert_statuses(
            "She is a lead who never once gets amnesia and the love triangle stays gentle.",
            &[("amnesia", Absent), ("love-triangle", Present)],
        );
        // A list of more items, or "and" with no determiner, runs on.
        assert_statuses(
            "Gone are the chaebol families, the love triangles, and the amnesia.",
            &[
                ("chaebol", Absent),
                ("love-triangle", Absent),
                ("amnesia", Absent),
            ],
        );
        assert_statuses(
            "There is no amnesia, and no love triangle.",
            &[("amnesia", Absent), ("love-triangle", Absent)],
        );
        assert_statuses(
            "No amnesia and the love triangle is gone too.",
            &[("amnesia", Absent), ("love-triangle", Absent)],
        );
    }

    #[test]
    fn a_run_of_fragments_takes_the_frame_of_the_sentence_before_it() {
        assert_statuses(
            "For a decade the romance drama ran on a few engines. A chaebol family. A love triangle with a rich rival. This one has neither.",
            // Rule 11: the last fragment's genre statement is answered by the next sentence.
            &[
                ("chaebol", Generic),
                ("love-triangle", Generic),
                ("love-triangle", Absent),
            ],
        );
        assert_statuses(
            "It refuses the old furniture. A chaebol family. A love triangle.",
            &[("chaebol", Absent), ("love-triangle", Absent)],
        );
        // One fragment is no list; a run after a sentence with no cue has no frame; a
        // fragment with a cue of its own keeps it.
        assert_statuses(
            "Most dramas love a twist. A love triangle. This show has one.",
            &[("love-triangle", Present)],
        );
        assert_statuses(
            "It has everything. A chaebol family. A love triangle.",
            &[("chaebol", Present), ("love-triangle", Present)],
        );
        assert_statuses(
            "Most dramas ran on a few engines. A chaebol family. A love triangle, never here. This show is different.",
            &[("chaebol", Generic), ("love-triangle", Absent)],
        );
    }

    #[test]
    fn a_negated_noun_phrase_ends_at_its_comma() {
        // The phrase "no" opens ends at the comma: what follows is a new clause.
        assert_statuses(
            "There was no warning, the love triangle simply starts in episode three.",
            &[("love-triangle", Present)],
        );
        assert_statuses(
            "The show just said goodbye, no explanation, a love triangle in the next episode.",
            &[("love-triangle", Present)],
        );
        // A run of negated phrases is a list of the same kind.
        assert_statuses(
            "No explanation, no warning, a love triangle.",
            &[("love-triangle", Absent)],
        );
        // A coordinated list runs on across its commas.
        assert_statuses(
            "No big twist, amnesia or love triangle.",
            &[("amnesia", Absent), ("love-triangle", Absent)],
        );
        assert_statuses(
            "No amnesia, love triangle or airport dash.",
            &[
                ("amnesia", Absent),
                ("love-triangle", Absent),
                ("airport-dash", Absent),
            ],
        );
        // Other negation cues keep their scope across an aside.
        assert_statuses(
            "It never, not even once, turns into a love triangle.",
            &[("love-triangle", Absent)],
        );
    }

    #[test]
    fn mature_quality_absent() {
        assert_eq!(
            status_of(
                "The leads never talk it through, so it drags.",
                "honest-communication"
            ),
            Absent
        );
    }

    #[test]
    fn a_where_without_a_comma_is_a_cleft_not_a_contrast() {
        // A cleft about this work: no comma closes a contrast clause.
        assert_statuses(
            "Where it won me over was the way it handled her amnesia.",
            &[("amnesia", Present)],
        );
        assert_statuses(
            "Where the writing shines is the love triangle in the second half.",
            &[("love-triangle", Present)],
        );
        // A contrast still speaks of the other work before its comma.
        assert_statuses(
            "Where the original leaned on amnesia, the remake lets them talk it through.",
            &[("amnesia", Generic), ("honest-communication", Present)],
        );
    }

    #[test]
    fn a_contracted_subject_after_a_comma_opens_a_new_clause() {
        assert_statuses(
            "The big moment isn't a confession, it's the night they talk it through.",
            &[("honest-communication", Present)],
        );
        assert_statuses(
            "Not a rooftop speech, it\u{2019}s a love triangle that finally ends.",
            &[("love-triangle", Present)],
        );
        assert_statuses(
            "No grand gesture, there's amnesia in episode two instead.",
            &[("amnesia", Present)],
        );
        // A list of items goes on as before.
        assert_statuses(
            "There's no amnesia, love triangle or airport dash.",
            &[
                ("amnesia", Absent),
                ("love-triangle", Absent),
                ("airport-dash", Absent),
            ],
        );
    }

    #[test]
    fn an_enumeration_after_a_colon_stays_in_scope() {
        // Each comma opens the next item, however long the items before it.
        assert_statuses(
            "What the show skips: the long run through the terminal at dawn, the chaebol family, the amnesia.",
            &[("chaebol", Absent), ("amnesia", Absent)],
        );
        assert_statuses(
            "Stuff it sidesteps: a rescue on the stairs, a lift kiss, amnesia.",
            &[("amnesia", Absent)],
        );
        // An outer cue frames the inner one that introduces the list.
        assert_statuses(
            "Things we're all sick of: a love triangle in the lift, a wrist grab, amnesia.",
            &[
                ("love-triangle", Generic),
                ("wrist-grab", Generic),
                ("amnesia", Generic),
            ],
        );
        assert_statuses(
            "It doesn't waste a second on the clichés I'm fed up with: a love triangle in the lift, a wrist grab, amnesia.",
            &[("love-triangle", Absent), ("wrist-grab", Absent), ("amnesia", Absent)],
        );
        // A bare negation before its colon denies its own verb; what follows explains it.
        assert_statuses(
            "I thought I would quit, but I didn't: by the end of the second week, the two of them talk it through.",
            &[("honest-communication", Present)],
        );
    }

    #[test]
    fn a_past_perfect_conditional_says_what_the_work_did_not_do() {
        assert_statuses(
            "If the writers had slipped in amnesia or a love triangle, I'd have stopped watching.",
            &[("amnesia", Absent), ("love-triangle", Absent)],
        );
        assert_statuses(
            "If the second act had been a love triangle, nobody would remember it.",
            &[("love-triangle", Absent)],
        );
        // The viewer's own past, a simple past, a mention deep in the clause: unchanged.
        assert_statuses(
            "If I had known about the love triangle, I might have waited.",
            &[("love-triangle", Generic)],
        );
        assert_statuses(
            "If she had serious amnesia, the plot would make more sense.",
            &[("amnesia", Generic)],
        );
        assert_statuses(
            "If she had ended up caught in a love triangle, I would be surprised.",
            &[("love-triangle", Generic)],
        );
    }

    #[test]
    fn review_idioms_of_absence_and_presence() {
        // A passive counterfactual fix names its means after it.
        assert_statuses(
            "Half the plot could have been cleared up by a talk it through over lunch.",
            &[("honest-communication", Absent)],
        );
        // A tally that comes to nothing.
        assert_statuses("Amnesia count: zero.", &[("amnesia", Absent)]);
        assert_statuses(
            "Love triangle tally for the whole run: 0.",
            &[("love-triangle", Absent)],
        );
        assert_statuses("Amnesia count: three.", &[("amnesia", Present)]);
        // "gone the", "out goes the".
        assert_statuses(
            "Gone are the rich heirs, gone the love triangle.",
            &[("love-triangle", Absent)],
        );
        assert_statuses("Out goes the love triangle.", &[("love-triangle", Absent)]);
        // A double negation affirms; "it's the usual" is this work's.
        assert_statuses(
            "There is never not a wrist grab in this show.",
            &[("wrist-grab", Present)],
        );
        assert_statuses("Yes, it's the usual amnesia plot.", &[("amnesia", Present)]);
        // A question about makers in general.
        assert_statuses(
            "Why do writers keep falling back on amnesia?",
            &[("amnesia", Generic)],
        );
    }

    proptest::proptest! {
        /// Genre statements and the clauses that may answer them (rule 11), in any mix,
        /// often with no stop at the end of a sentence or of the text (where an answer's
        /// subject once indexed past the last token), among stray characters: no panic, and
        /// every mention's span slices the text within its sentence.
        #[test]
        fn genre_statements_and_answers_never_panic(
            text in "(((So many dramas have|Most dramas love|K-dramas love|In any other drama \
                      there would be) (a love triangle|amnesia|a wrist grab)(, but|\\. |; | and|\
                      , | -) ?(not |never |No, |you won't find one in |there's none of it in |\
                      I didn't mind it in |Thankfully, )?(here|this one|Pebble Lane|it|this \
                      show)( too| as well| isn't tempted)?(\\.|!|\n|\n\n| )?)|\\PC{0,6}){1,4}"
        ) {
            let a = crate::pipeline::embedded_analyzer();
            let r = a.analyze_text("t", &text);
            for m in &r.mentions {
                let m = &m.mention;
                proptest::prop_assert!(text.get(m.start..m.end).is_some());
                proptest::prop_assert!(m.sentence_start <= m.start && m.end <= m.sentence_end);
            }
        }
    }
}
