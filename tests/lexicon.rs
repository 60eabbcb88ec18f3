//! The shipped lexicon (`lexicons/`) checked as data: every example passes through the
//! full pipeline, every file is already in `tropescope lexicon fmt`'s canonical form,
//! `lint` finds no errors, and an add-pattern / remove-pattern round trip leaves each
//! trope file byte-identical.

use std::path::{Path, PathBuf};

use tropescope::lexicon::edit::{self, PatternList};
use tropescope::lexicon::examples::run_examples;
use tropescope::lexicon::lint::{lint_files, Severity};
use tropescope::lexicon::load::{read_dir_files, SourceFile};
use tropescope::Analyzer;

fn lexicons() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("lexicons")
}

fn files() -> Vec<SourceFile> {
    read_dir_files(&lexicons()).expect("lexicons/ is readable")
}

#[test]
fn every_example_passes() {
    let analyzer = Analyzer::load(Some(&lexicons())).expect("lexicons/ loads");
    let results = run_examples(&analyzer, None);
    assert!(!results.is_empty(), "the lexicon has examples");
    let failures: Vec<String> = results
        .iter()
        .filter(|r| !r.passed())
        .map(|r| {
            let found = if r.found.is_empty() {
                "not found".to_string()
            } else {
                r.found
                    .iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            format!(
                "lexicons/{}:{} [{}] expected {}, got {found}: {:?}\n    {}",
                r.file,
                r.line,
                r.trope,
                r.expect.as_str(),
                r.text,
                r.why.join("\n    ")
            )
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} lexicon examples fail (`tropescope lexicon test` shows them too):\n{}",
        failures.len(),
        results.len(),
        failures.join("\n")
    );
}

#[test]
fn every_file_is_in_canonical_form() {
    let base = lexicons();
    let mut unformatted = Vec::new();
    for file in files() {
        let formatted = edit::format_file(&base, &file)
            .unwrap_or_else(|e| panic!("lexicons/{} does not load: {e}", file.path));
        if formatted != file.text {
            unformatted.push(format!("lexicons/{}", file.path));
        }
    }
    assert!(
        unformatted.is_empty(),
        "not in canonical form (run `tropescope lexicon fmt`):\n{}",
        unformatted.join("\n")
    );
}

#[test]
fn lint_finds_no_errors() {
    let findings = lint_files(&lexicons(), &files());
    let errors: Vec<String> = findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .map(ToString::to_string)
        .collect();
    assert!(errors.is_empty(), "lint errors:\n{}", errors.join("\n"));
}

#[test]
fn add_then_remove_pattern_round_trips_on_every_trope_file() {
    let base = lexicons();
    for file in files()
        .into_iter()
        .filter(|f| f.path.starts_with("tropes/"))
    {
        for list in [PatternList::Patterns, PatternList::Exclusions] {
            for pattern in ["aaa tropescope probe", "zzz tropescope probe"] {
                let added = edit::add_pattern(&base, &file, list, pattern)
                    .unwrap_or_else(|e| panic!("{}: {e}", file.path));
                let back = edit::remove_pattern(
                    &base,
                    &SourceFile {
                        path: file.path.clone(),
                        text: added.into(),
                    },
                    list,
                    pattern,
                )
                .unwrap_or_else(|e| panic!("{}: {e}", file.path));
                assert_eq!(back, file.text, "{} {:?} {pattern}", file.path, list);
            }
        }
    }
}

/// The shipped cue lists on sentences of the kinds they were written for: genre talk the
/// fandom's way, and a label's verdict after a colon (context rule 7).
#[test]
fn shipped_cues_read_fandom_talk_and_verdicts() {
    let analyzer = Analyzer::embedded().expect("the embedded lexicon compiles");
    let cases = [
        (
            "Fans joke about the truck of doom.",
            "car-accident",
            "generic",
        ),
        (
            "Amnesia has become a running joke among fans.",
            "amnesia",
            "generic",
        ),
        (
            "Love triangles are a dime a dozen.",
            "love-triangle",
            "generic",
        ),
        (
            "As any drama fan knows, the second lead never gets the girl.",
            "second-lead",
            "generic",
        ),
        (
            "Normally I roll my eyes at amnesia plots.",
            "amnesia",
            "generic",
        ),
        ("Second-lead syndrome: cured.", "second-lead", "absent"),
        ("The love triangle: none at all.", "love-triangle", "absent"),
        ("Amnesia? Absent.", "amnesia", "absent"),
        // "isn't" is one word to the tokeniser: the verdict after the mention spells it.
        ("The love triangle isn't here.", "love-triangle", "absent"),
        (
            "The love triangle wasn't a factor.",
            "love-triangle",
            "absent",
        ),
        ("Amnesia isn't in this one.", "amnesia", "absent"),
        ("Amnesia: cured by a kiss.", "amnesia", "present"),
        // "You know the drill" introduces what the work itself does.
        (
            "You know the drill: he grabs her wrist.",
            "wrist-grab",
            "present",
        ),
    ];
    for (text, trope, want) in cases {
        let a = analyzer.analyze_text("t", text);
        let got: Vec<(&str, &str)> = a
            .mentions
            .iter()
            .map(|m| (analyzer.trope_id(m), m.decision.status.as_str()))
            .collect();
        assert!(got.contains(&(trope, want)), "{text}: {got:?}");
    }
}

/// A heist film review of well over 100 words with no romance word in it: the shipped topic
/// gate reads its wrist grab and grand confession as other senses of the words.
fn heist_review(extra: &str) -> String {
    let mut text = String::from("The crew spends the first hour planning the bank job. ");
    for _ in 0..14 {
        text.push_str("The vault sequence is tense, and the score keeps it moving. ");
    }
    text.push_str(
        "At the end the leader grabs her wrist and drags her out of the bank, and the getaway \
         driver makes a grand confession to the police. The amnesia subplot goes nowhere. ",
    );
    text.push_str(extra);
    text
}

fn tropes_of(analyzer: &Analyzer, text: &str) -> (Vec<String>, Vec<String>) {
    let a = analyzer.analyze_text("t", text);
    let kept = a.mentions.iter().map(|m| analyzer.trope_id(m).to_string());
    let lex = analyzer.lexicon();
    let dropped = a.off_topic.iter().map(|m| lex.trope(m.trope).id.clone());
    (kept.collect(), dropped.collect())
}

#[test]
fn topic_gate_drops_couple_tropes_in_a_long_review_that_never_speaks_of_romance() {
    let analyzer = Analyzer::embedded().expect("the embedded lexicon compiles");
    let (kept, dropped) = tropes_of(&analyzer, &heist_review(""));
    assert!(dropped.contains(&"wrist-grab".to_string()), "{dropped:?}");
    assert!(
        dropped.contains(&"grand-confession".to_string()),
        "{dropped:?}"
    );
    assert!(!kept.contains(&"wrist-grab".to_string()), "{kept:?}");
    // Amnesia needs no couple: it stays.
    assert!(kept.contains(&"amnesia".to_string()), "{kept:?}");
    assert!(!dropped.contains(&"amnesia".to_string()), "{dropped:?}");
}

#[test]
fn topic_gate_keeps_them_where_romance_is_named_or_the_text_is_short() {
    let analyzer = Analyzer::embedded().expect("the embedded lexicon compiles");
    // One romance word anywhere in the document (here a possessive) opens the gate.
    let (kept, dropped) = tropes_of(&analyzer, &heist_review("The couple's ending is sweet."));
    assert!(kept.contains(&"wrist-grab".to_string()), "{kept:?}");
    assert!(dropped.is_empty(), "{dropped:?}");
    // A short passage is never gated.
    let (kept, dropped) = tropes_of(
        &analyzer,
        "At the end the leader grabs her wrist and drags her out of the bank.",
    );
    assert!(kept.contains(&"wrist-grab".to_string()), "{kept:?}");
    assert!(dropped.is_empty(), "{dropped:?}");
}

#[test]
fn lint_finds_an_unknown_trope_on_a_feature_line() {
    // `score` refuses a model that weighs a trope the lexicon lacks on any line; lint
    // reports it on a `feature` line as it does on a `bias` line.
    let mut files = files();
    let model = files
        .iter_mut()
        .find(|f| f.path == "learned.tsv")
        .expect("the lexicon has a learned model");
    let at = model.text.find("\nfeature\t").expect("a feature line") + 1;
    let end = at + model.text[at..].find('\n').expect("a whole line");
    model.text.to_mut().insert_str(end, "\tno-such=0.5508");
    let line = model.text[..at].matches('\n').count() + 1;
    let findings = lint_files(&lexicons(), &files);
    let stale: Vec<_> = findings
        .iter()
        .filter(|f| f.code == "stale-model")
        .collect();
    assert_eq!(stale.len(), 1, "{stale:?}");
    assert_eq!(stale[0].line, line);
    assert_eq!(stale[0].severity, Severity::Error);
    assert!(stale[0].file.ends_with("learned.tsv"));
    assert!(
        stale[0].message.contains("\"no-such\""),
        "{}",
        stale[0].message
    );
}
