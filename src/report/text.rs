//! Text report for people: the lean and scores, then one line per mention with its status,
//! trope, and the sentence it sits in with the match highlighted. `explain` adds the pattern
//! that matched, the cue that decided the status, and what each mention added to the scores.
//! Colour goes through `termcolor`, so the caller decides (terminal, `--color`, `NO_COLOR`).

use std::borrow::Cow;
use std::io;

use termcolor::{Color, ColorSpec, WriteColor};

use super::{json::round, VERSION};
use crate::lexicon::{CompiledLexicon, Family, Status};
use crate::pipeline::Analysis;
use crate::score::Lean;

/// Options of the text report.
#[derive(Clone, Copy, Debug, Default)]
pub struct TextOptions {
    /// Show pattern, cue and contribution for every mention.
    pub explain: bool,
    /// Characters of context on each side of a match (0 = the whole sentence).
    pub context: usize,
}

fn status_color(s: Status) -> Color {
    match s {
        Status::Present => Color::Red,
        Status::Absent => Color::Green,
        Status::Generic => Color::Blue,
    }
}

fn lean_color(l: Lean) -> Color {
    match l {
        Lean::Mature => Color::Green,
        Lean::Cliche => Color::Red,
        Lean::Mixed => Color::Yellow,
        Lean::None => Color::White,
    }
}

/// `s` with its whitespace runs collapsed to one space, cut to its last (`from_end`) or
/// first `n` characters (all of it when `n` is 0); whether it was cut.
fn clip(s: &str, n: usize, from_end: bool) -> (String, bool) {
    // Flatten only the words near the cut: a run-on sentence of 200 KB, flattened whole for
    // each of its thousands of mentions, took half a minute. Words are taken until the
    // collapsed text is longer than `n`, which is enough to cut it and to know it was cut.
    let mut len = 0;
    let mut near = |w: &&str| {
        let more = n == 0 || len <= n + 1;
        len += w.chars().count() + 1;
        more
    };
    let words: Vec<&str> = if from_end {
        let mut w: Vec<&str> = s.split_whitespace().rev().take_while(&mut near).collect();
        w.reverse();
        w
    } else {
        s.split_whitespace().take_while(&mut near).collect()
    };
    clip_flat(&words.join(" "), n, from_end)
}

/// Clip whitespace-collapsed `s` to its first (or last) `n` characters; whether it cut.
fn clip_flat(s: &str, n: usize, from_end: bool) -> (String, bool) {
    let count = s.chars().count();
    if n == 0 || count <= n {
        return (s.to_string(), false);
    }
    if from_end {
        (s.chars().skip(count - n).collect(), true)
    } else {
        (s.chars().take(n).collect(), true)
    }
}

/// `s` with its control characters (C0, DEL and C1) other than tab and newline written as
/// escapes (`\u{1b}`): a review is untrusted text, and an escape sequence in it would
/// otherwise reach the terminal whatever `--color` says (move the cursor, retitle the
/// window, hide the lines before it).
pub(crate) fn visible(s: &str) -> Cow<'_, str> {
    let shown = |c: char| !c.is_control() || c == '\t' || c == '\n';
    if s.chars().all(shown) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if shown(c) {
            out.push(c);
        } else {
            out.extend(c.escape_default());
        }
    }
    Cow::Owned(out)
}

/// "1 word", "2 words".
fn plural(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// Write the report of one analysis.
pub fn write<W: WriteColor>(
    out: &mut W,
    lex: &CompiledLexicon,
    a: &Analysis,
    opts: TextOptions,
) -> io::Result<()> {
    let s = &a.score;
    let lexicon = lex.lexicon();
    out.set_color(ColorSpec::new().set_bold(true))?;
    write!(out, "{}", visible(&a.article.id))?;
    out.reset()?;
    if let Some(t) = &a.article.title {
        write!(out, "  {t:?}")?;
    }
    writeln!(out)?;
    write!(out, "  lean ")?;
    out.set_color(
        ColorSpec::new()
            .set_fg(Some(lean_color(s.lean)))
            .set_bold(true),
    )?;
    write!(out, "{}", s.lean)?;
    out.reset()?;
    writeln!(
        out,
        "   maturity index {:+.2}   cliché {:.2}   mature {:.2}   per 1,000 words: cliché {:.2}, mature {:.2}",
        s.maturity_index, s.cliche, s.mature, s.cliche_density, s.mature_density
    )?;
    let c = s.counts;
    writeln!(
        out,
        "  {}, {}, {}: cliché {}/{}/{}, mature {}/{}/{} (present/absent/generic)",
        plural(s.words as usize, "word"),
        plural(s.sentences as usize, "sentence"),
        plural(a.mentions.len(), "mention"),
        c[0][0],
        c[0][1],
        c[0][2],
        c[1][0],
        c[1][1],
        c[1][2]
    )?;
    out.set_color(ColorSpec::new().set_dimmed(true))?;
    writeln!(
        out,
        "  lexicon {} ({}), tropescope {VERSION}",
        lexicon.fingerprint, lexicon.origin
    )?;
    out.reset()?;
    if !a.off_topic.is_empty() {
        // What the topic gate left out, so a missing mention is never a mystery.
        let dropped: Vec<String> = a
            .off_topic
            .iter()
            .map(|m| {
                let words = a.article.text[m.start..m.end].split_whitespace();
                format!(
                    "{} {:?}",
                    lex.trope(m.trope).id,
                    words.collect::<Vec<_>>().join(" ")
                )
            })
            .collect();
        out.set_color(ColorSpec::new().set_dimmed(true))?;
        writeln!(
            out,
            "  off topic, left out: {} (no romance word in {}: model.toml's romance_words)",
            dropped.join(", "),
            plural(s.words as usize, "word"),
        )?;
        out.reset()?;
    }
    if a.mentions.is_empty() {
        writeln!(out, "  no trope mentions found")?;
        return Ok(());
    }
    writeln!(out)?;
    let width = a
        .mentions
        .iter()
        .map(|m| lex.trope(m.mention.trope).id.len())
        .max()
        .unwrap_or(0);
    for m in &a.mentions {
        let trope = lex.trope(m.mention.trope);
        let status = m.decision.status;
        write!(out, "  ")?;
        out.set_color(ColorSpec::new().set_fg(Some(status_color(status))))?;
        write!(out, "{:<8}", status.as_str())?;
        out.reset()?;
        write!(out, " {:<width$}  ", trope.id)?;
        let text = &a.article.text;
        // The matcher keeps a mention inside its sentence; should a span ever reach past
        // it, the context shrinks to nothing rather than the slice panicking.
        let before = &text[m.mention.sentence_start.min(m.mention.start)..m.mention.start];
        let after = &text[m.mention.end..m.mention.sentence_end.max(m.mention.end)];
        let flat = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
        let (before, cut_before) = clip(before, opts.context, true);
        let (after, cut_after) = clip(after, opts.context, false);
        let sp_before =
            if before.is_empty() || !text[..m.mention.start].ends_with(char::is_whitespace) {
                ""
            } else {
                " "
            };
        let sp_after =
            if after.is_empty() || !text[m.mention.end..].starts_with(char::is_whitespace) {
                ""
            } else {
                " "
            };
        if cut_before {
            write!(out, "…")?;
        }
        write!(out, "{}{sp_before}", visible(&before))?;
        out.set_color(
            ColorSpec::new()
                .set_fg(Some(status_color(status)))
                .set_bold(true)
                .set_underline(true),
        )?;
        let matched = flat(a.matched(m));
        if out.supports_color() {
            write!(out, "{}", visible(&matched))?;
        } else {
            write!(out, "[{}]", visible(&matched))?;
        }
        out.reset()?;
        write!(out, "{sp_after}{}", visible(&after))?;
        if cut_after {
            write!(out, "…")?;
        }
        writeln!(out)?;
        let pad = " ".repeat(2 + 8 + 1 + width + 2);
        if opts.explain {
            out.set_color(ColorSpec::new().set_dimmed(true))?;
            match (
                m.mention.learned,
                lex.pattern(m.mention.trope, m.mention.pattern),
            ) {
                (Some(l), _) => writeln!(
                    out,
                    "{pad}learned model{}: feature {:?}, probability {:.2} ({})",
                    if l.document { " (whole document)" } else { "" },
                    lex.learned_feature(&m.mention).unwrap_or_default(),
                    l.probability,
                    lexicon.base.join(crate::learned::MODEL_PATH).display()
                )?,
                (None, Some(p)) => writeln!(
                    out,
                    "{pad}pattern {:?} ({}:{})",
                    p.value,
                    trope.file.display(),
                    p.line
                )?,
                (None, None) => {}
            }
            let turned = m.decision.turned;
            // The cue lines say what the rules decided; the status stage may have decided
            // otherwise (its line follows).
            let rules_status = m.status_vote.map_or(status, |v| v.rules);
            let rules = if m.status_vote.is_some() {
                "rules: "
            } else {
                ""
            };
            match m.decision.cue {
                Some(c) => {
                    let cue = &lexicon.cues[c.cue as usize];
                    writeln!(
                        out,
                        "{pad}{rules}status {} from {} cue {:?} (pattern {:?}, {}:{}){}",
                        rules_status,
                        cue.category.as_str(),
                        &text[c.start..c.end],
                        cue.pattern,
                        cue.file.display(),
                        cue.line,
                        if turned {
                            ", turned around by the absence pattern"
                        } else {
                            ""
                        }
                    )?;
                    if m.decision.answer {
                        writeln!(
                            out,
                            "{pad}answer to the genre statement in sentence {}: a second \
                             status for the same words",
                            m.mention.sentence + 1
                        )?;
                    }
                }
                None if turned => writeln!(
                    out,
                    "{pad}{rules}status absent: the absence pattern says so, and no cue reaches it"
                )?,
                None => writeln!(
                    out,
                    "{pad}{rules}status present: no cue reaches this mention"
                )?,
            }
            if let Some(v) = m.status_vote.filter(|v| v.second) {
                writeln!(
                    out,
                    "{pad}status model: a second status for the same words, {}, probability \
                     {:.2} that the text gives this trope two ({})",
                    m.decision.status.as_str(),
                    v.probability,
                    lexicon.base.join(crate::learned::MODEL_PATH).display()
                )?;
            } else if let Some(v) = m.status_vote {
                writeln!(
                    out,
                    "{pad}status model: {}, probability {:.2}{} ({})",
                    m.decision.status.as_str(),
                    v.probability,
                    if v.rules == m.decision.status {
                        ", as the rules said"
                    } else {
                        ", over the rules"
                    },
                    lexicon.base.join(crate::learned::MODEL_PATH).display()
                )?;
            }
            let axis = match m.contribution.axis {
                Some(Family::Cliche) => "cliché",
                Some(Family::Mature) => "mature",
                None => "neither score",
            };
            writeln!(
                out,
                "{pad}adds {:.2} to {axis} (weight {:.2}, {} trope)",
                round(m.contribution.amount),
                trope.weight,
                trope.family
            )?;
            out.reset()?;
        } else if let Some(c) = m.decision.cue {
            out.set_color(ColorSpec::new().set_dimmed(true))?;
            writeln!(
                out,
                "{pad}cue {:?} ({})",
                &text[c.start..c.end],
                lexicon.cues[c.cue as usize].category.as_str()
            )?;
            out.reset()?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::{clip, clip_flat, visible};

    #[test]
    fn visible_escapes_control_characters_but_tab_and_newline() {
        assert_eq!(visible("plain\ttext\n"), "plain\ttext\n");
        assert_eq!(
            visible("a\u{1b}[2Jb\u{7}c\u{9b}d\u{7f}"),
            "a\\u{1b}[2Jb\\u{7}c\\u{9b}d\\u{7f}"
        );
    }

    proptest::proptest! {
        /// Collapsing only the words near the cut gives what collapsing everything gives.
        #[test]
        fn clip_collapses_like_the_whole(s in "[a-c \n\té]{0,60}", n in 0usize..12, end: bool) {
            let flat = s.split_whitespace().collect::<Vec<_>>().join(" ");
            proptest::prop_assert_eq!(clip(&s, n, end), clip_flat(&flat, n, end));
        }
    }
}
