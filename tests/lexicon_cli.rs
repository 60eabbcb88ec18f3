//! The curator commands (`tropescope lexicon ...`) run as a person runs them: the built
//! binary, on a copy of the embedded lexicon in a temporary folder.

mod util;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use util::{stderr, stdout};

use tropescope::lexicon::load::embedded_files;

/// A temporary folder holding a copy of the embedded lexicon at `lex/`.
struct Work {
    dir: tempfile::TempDir,
}

impl Work {
    fn new() -> Work {
        let dir = tempfile::tempdir().expect("temp dir");
        for f in embedded_files() {
            let path = dir.path().join("lex").join(&f.path);
            std::fs::create_dir_all(path.parent().expect("has a parent")).expect("mkdir");
            std::fs::write(&path, f.text.as_bytes()).expect("write lexicon file");
        }
        Work { dir }
    }

    /// Set the learned stage on or off in the copy's model.toml.
    fn stage(&self, on: bool) {
        let toml = self.read("lex/model.toml");
        assert!(toml.contains("\nlearned = "), "model.toml sets the stage");
        let toml = toml
            .replace("\nlearned = true", &format!("\nlearned = {on}"))
            .replace("\nlearned = false", &format!("\nlearned = {on}"));
        self.write("lex/model.toml", &toml);
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    fn lex(&self) -> PathBuf {
        self.path("lex")
    }

    fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path(rel)).expect("read")
    }

    fn write(&self, rel: &str, text: &str) {
        let p = self.path(rel);
        std::fs::create_dir_all(p.parent().expect("has a parent")).expect("mkdir");
        std::fs::write(p, text).expect("write");
    }

    /// A command run in the work folder, with no lexicon from the environment.
    fn cmd(&self, args: &[&str]) -> Command {
        let mut c = util::tropescope();
        c.current_dir(self.dir.path())
            .env_remove("TROPESCOPE_TEST_FAULT")
            .arg("lexicon")
            .args(args);
        c
    }

    /// `tropescope lexicon ARGS... --lexicon lex`.
    fn run(&self, args: &[&str]) -> Output {
        let lex = self.lex();
        let mut c = self.cmd(args);
        c.arg("--lexicon").arg(&lex);
        c.output().expect("run tropescope")
    }

    /// `tropescope ARGS...` (any command, not only `lexicon`) in the work folder.
    fn top(&self, args: &[&str], stdin: Option<&str>) -> Output {
        util::run_in(Some(self.dir.path()), args, stdin.map(str::as_bytes))
    }
}

#[track_caller]
fn assert_code(o: &Output, code: i32) {
    assert_eq!(
        o.status.code(),
        Some(code),
        "exit status\n--- stdout\n{}\n--- stderr\n{}",
        stdout(o),
        stderr(o)
    );
}

/// 1-based line of the first line of `text` containing `needle`.
fn line_of(text: &str, needle: &str) -> usize {
    text.lines()
        .position(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("{needle:?} not in\n{text}"))
        + 1
}

/// The first pattern of trope `id` (as written, unescaped) and its line.
fn first_pattern(id: &str) -> (String, usize) {
    let lex = tropescope::Lexicon::embedded().expect("embedded lexicon loads");
    let t = lex.trope(id).expect("trope exists");
    (t.patterns[0].value.clone(), t.patterns[0].line)
}

/// A small corpus: a folder of text files and a CSV file.
fn corpus(w: &Work) -> (PathBuf, PathBuf) {
    w.write(
        "corpus/docs/a.txt",
        "She wakes up with amnesia in episode three, and he has to win her back.",
    );
    w.write(
        "corpus/docs/b.txt",
        "Thankfully there is no amnesia twist here; the leads simply talk things through.",
    );
    w.write(
        "corpus/docs/c.txt",
        "So many dramas reach for amnesia when the writers run out of ideas.",
    );
    w.write(
        "corpus/reviews.csv",
        "id,text\nr1,\"Gone are the love triangles, and nobody gets amnesia.\"\nr2,A quiet film about a baker.\n",
    );
    (w.path("corpus/docs"), w.path("corpus/reviews.csv"))
}

#[test]
fn list_show_test_lint_work_on_the_copy() {
    let w = Work::new();
    let o = w.run(&["list"]);
    assert_code(&o, 0);
    assert!(stdout(&o).contains("amnesia"), "{}", stdout(&o));
    assert!(stdout(&o).contains("tropes,"), "{}", stdout(&o));
    let o = w.run(&["list", "--format", "csv", "--family", "mature"]);
    assert_code(&o, 0);
    assert!(stdout(&o).starts_with("id,family,weight,name"));
    assert!(!stdout(&o).contains("\namnesia,"));

    let o = w.run(&["show", "amnesia"]);
    assert_code(&o, 0);
    let (p, _) = first_pattern("amnesia");
    assert!(stdout(&o).contains(&p), "{}", stdout(&o));
    assert!(stdout(&o).contains("examples ("), "{}", stdout(&o));
    let o = w.run(&["show", "amnesie"]);
    assert_code(&o, 2);
    assert!(
        stderr(&o).contains("did you mean \"amnesia\""),
        "{}",
        stderr(&o)
    );

    let o = w.run(&["test", "--trope", "amnesia", "-v"]);
    assert!(stdout(&o).contains("examples:"), "{}", stdout(&o));

    let o = w.run(&["lint"]);
    assert_code(&o, 0);
    assert!(stdout(&o).contains(" 0 errors"), "{}", stdout(&o));
    let o = w.run(&["lint", "--format", "json", "--verbose"]);
    assert_code(&o, 0);
    for line in stdout(&o).lines() {
        let v: serde_json::Value = serde_json::from_str(line).expect("one JSON object a line");
        assert!(v["file"].is_string() && v["line"].is_u64() && v["code"].is_string());
    }
}

#[test]
fn add_then_remove_pattern_is_byte_identical() {
    let w = Work::new();
    for (id, pattern, list) in [
        ("amnesia", "(memory|memories) of (nothing|no one)", None),
        ("wrist-grab", "wrist lock", Some("--exclusion")),
        (
            "honest-communication",
            "talk ~2 (openly|frankly) together",
            None,
        ),
    ] {
        let rel = format!("lex/tropes/{id}.toml");
        let before = w.read(&rel);
        let mut args = vec!["add-pattern", id, pattern];
        args.extend(list);
        let o = w.run(&args);
        assert!(
            o.status.code() == Some(0) || o.status.code() == Some(1),
            "{}",
            stderr(&o)
        );
        assert!(stdout(&o).contains("added"), "{}", stdout(&o));
        let added = w.read(&rel);
        assert_ne!(added, before);
        assert!(added.contains(pattern), "{added}");
        args[0] = "remove-pattern";
        let o = w.run(&args);
        assert!(
            o.status.code() == Some(0) || o.status.code() == Some(1),
            "{}",
            stderr(&o)
        );
        assert_eq!(
            w.read(&rel),
            before,
            "{id}: add then remove changed the file"
        );
    }
}

#[test]
fn refused_edits_leave_the_file_untouched_and_say_why() {
    let w = Work::new();
    let rel = "lex/tropes/amnesia.toml";
    let before = w.read(rel);
    let (existing, _) = first_pattern("amnesia");
    let lexicon = tropescope::Lexicon::embedded().expect("embedded lexicon loads");
    let plain = &lexicon.trope("amnesia").expect("trope exists").patterns;
    let plain = &plain
        .iter()
        .find(|p| !p.value.starts_with('!'))
        .expect("a pattern that may be an exclusion")
        .value;
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (
            vec!["add-pattern", "amnesia", "(lost memory"],
            "never closed",
        ),
        (
            vec!["add-pattern", "amnesia", "re:(unclosed"],
            "invalid regex",
        ),
        (
            vec!["add-pattern", "amnesia", "!rescue dog", "--exclusion"],
            "only a trope's pattern can be an absence pattern",
        ),
        (
            vec!["add-pattern", "amnesia", &existing],
            "already in patterns",
        ),
        (
            vec!["add-pattern", "amnesia", plain, "--exclusion"],
            "already in patterns, and may not be in both lists",
        ),
        (
            vec!["remove-pattern", "amnesia", "no such pattern"],
            "is not in patterns",
        ),
        (
            vec!["add-pattern", "amnesi", "x y"],
            "did you mean \"amnesia\"",
        ),
        (vec!["set", "amnesia", "weight", "99"], "out of range"),
        (vec!["set", "amnesia", "weight", "heavy"], "not a number"),
        (
            vec!["add-example", "amnesia", "  ", "--expect", "none"],
            "empty",
        ),
        (
            vec!["new", "amnesia", "--family", "cliche", "--name", "A"],
            "already exists",
        ),
        (
            vec!["new", "Bad_Id", "--family", "cliche", "--name", "A"],
            "invalid trope id",
        ),
    ];
    for (args, why) in cases {
        let o = w.run(&args);
        assert_code(&o, 2);
        assert!(stderr(&o).contains(why), "{args:?}: {}", stderr(&o));
        assert_eq!(w.read(rel), before, "{args:?} changed the file");
    }
    // A pattern that stems to the same words as one already there.
    let o = w.run(&["add-pattern", "amnesia", "amnesia twists"]);
    let o2 = w.run(&["add-pattern", "amnesia", "amnesia twist"]);
    if o.status.code() != Some(2) {
        assert_code(&o2, 2);
        assert!(
            stderr(&o2).contains("stems to the same words"),
            "{}",
            stderr(&o2)
        );
    }
}

#[test]
fn an_interrupted_write_never_leaves_a_half_file() {
    let w = Work::new();
    let rel = "lex/tropes/amnesia.toml";
    let before = w.read(rel);
    let lex = w.lex();

    // An error after the temporary file is written, before the rename.
    let o = w
        .cmd(&["add-pattern", "amnesia", "memory hole"])
        .arg("--lexicon")
        .arg(&lex)
        .env("TROPESCOPE_TEST_FAULT", "fail-before-rename")
        .output()
        .expect("run");
    assert_code(&o, 2);
    assert!(stderr(&o).contains("it is unchanged"), "{}", stderr(&o));
    assert_eq!(w.read(rel), before);
    let names = |dir: &Path| -> Vec<String> {
        std::fs::read_dir(dir)
            .expect("read dir")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect()
    };
    assert!(
        names(&lex.join("tropes"))
            .iter()
            .all(|n| !n.ends_with(".tmp")),
        "the temporary file is removed on error"
    );

    // The process dies between writing the temporary file and the rename.
    let o = w
        .cmd(&["add-pattern", "amnesia", "memory hole"])
        .arg("--lexicon")
        .arg(&lex)
        .env("TROPESCOPE_TEST_FAULT", "abort-before-rename")
        .output()
        .expect("run");
    assert!(!o.status.success());
    assert_eq!(w.read(rel), before, "the original survives a kill");
    for n in names(&lex.join("tropes")) {
        assert!(
            n.ends_with(".toml") && !n.starts_with('.') || n.ends_with(".tmp"),
            "unexpected file {n}"
        );
    }
    // Whatever the kill left behind, the lexicon still loads and lints clean.
    let o = w.run(&["lint"]);
    assert_code(&o, 0);

    // And without a fault the same edit goes through.
    let o = w.run(&["add-pattern", "amnesia", "memory hole"]);
    assert!(
        o.status.code() == Some(0) || o.status.code() == Some(1),
        "{}",
        stderr(&o)
    );
    assert!(w.read(rel).contains("\"memory hole\""));
}

#[test]
fn edits_at_once_all_land() {
    // Each edit waits between its read and its rename, so unlocked edits would overlap and
    // all but the last would be lost.
    let w = Work::new();
    let lex = w.lex();
    let children: Vec<_> = (1..=5)
        .map(|i| {
            w.cmd(&["add-pattern", "wrist-grab", &format!("zzconc{i} wrist")])
                .arg("--lexicon")
                .arg(&lex)
                .env("TROPESCOPE_TEST_FAULT", "delay-before-rename")
                .stdout(std::process::Stdio::null())
                .spawn()
                .expect("run")
        })
        .collect();
    for mut c in children {
        let status = c.wait().expect("wait");
        assert!(matches!(status.code(), Some(0 | 1)), "{status}");
    }
    let text = w.read("lex/tropes/wrist-grab.toml");
    for i in 1..=5 {
        assert!(
            text.contains(&format!("\"zzconc{i} wrist\"")),
            "{i}\n{text}"
        );
    }
}

#[test]
fn lint_reports_a_byte_that_is_not_utf8_and_goes_on() {
    let w = Work::new();
    let rel = "lex/tropes/amnesia.toml";
    let text = w.read(rel);
    let line = line_of(&text, "name = ");
    let mut bytes = text.into_bytes();
    let at = bytes
        .windows(7)
        .position(|b| b == b"name = ")
        .expect("a name");
    // Before the key: its lossy text does not parse either.
    bytes.insert(at, 0xe9);
    std::fs::write(w.path(rel), bytes).expect("write");
    // A planted error in another file is still found.
    let other = "lex/tropes/chaebol.toml";
    w.write(other, &w.read(other).replace("weight = ", "weight = 99 #"));
    let o = w.run(&["lint"]);
    assert_code(&o, 1);
    let out = stdout(&o);
    assert!(
        out.contains(&format!(
            "tropes/amnesia.toml:{line}:1: error[malformed]: byte 0xe9 is not UTF-8"
        )),
        "{out}"
    );
    // One finding for the file: not a second one for the replacement character.
    assert_eq!(out.matches("amnesia.toml:").count(), 1, "{out}");
    assert!(out.contains("tropes/chaebol.toml"), "{out}");
    assert!(!out.contains("stale-model"), "{out}");
}

#[test]
fn new_set_add_example_and_fmt() {
    let w = Work::new();
    let o = w.run(&[
        "new",
        "rooftop-talk",
        "--family",
        "mature",
        "--name",
        "Rooftop talk",
    ]);
    assert_code(&o, 0);
    let rel = "lex/tropes/rooftop-talk.toml";
    let text = w.read(rel);
    assert!(text.contains("id = \"rooftop-talk\"") && text.contains("\"rooftop talk\""));
    // The scaffold's placeholders are lint errors, each on its line.
    let o = w.run(&["lint"]);
    assert_code(&o, 1);
    let out = stdout(&o);
    let file = w.lex().join("tropes/rooftop-talk.toml");
    for needle in ["description =", "TODO: a sentence saying the work uses it"] {
        let at = format!("{}:{}:", file.display(), line_of(&text, needle));
        assert!(
            out.lines()
                .any(|l| l.starts_with(&at) && l.contains("error[placeholder]")),
            "{at}\n{out}"
        );
    }

    let o = w.run(&[
        "set",
        "rooftop-talk",
        "description",
        "Two leads talk on a rooftop.",
    ]);
    assert!(
        o.status.code() == Some(0) || o.status.code() == Some(1),
        "{}",
        stderr(&o)
    );
    let o = w.run(&["set", "rooftop-talk", "weight", "0.8"]);
    assert_code(&o, 0);
    let o = w.run(&[
        "add-example",
        "rooftop-talk",
        "On the rooftop talk they finally say what they mean.",
        "--expect",
        "present",
    ]);
    assert!(
        o.status.code() == Some(0) || o.status.code() == Some(1),
        "{}",
        stderr(&o)
    );
    let text = w.read(rel);
    assert!(text.contains("weight = 0.8") && text.contains("Two leads talk on a rooftop."));
    // Edits keep a canonical file canonical.
    let o = w.run(&["fmt", "--check", "rooftop-talk"]);
    assert_code(&o, 0);

    // fmt sorts and deduplicates, and --check notices before it does.
    let messy = text.replacen(
        "patterns = [\n",
        "patterns = [\n  \"zebra talk\",\n  \"zebra talk\",\n",
        1,
    );
    w.write(rel, &messy);
    let o = w.run(&["fmt", "--check"]);
    assert_code(&o, 1);
    assert!(stdout(&o).contains("rooftop-talk.toml"), "{}", stdout(&o));
    assert_eq!(w.read(rel), messy, "--check changes nothing");
    let o = w.run(&["fmt"]);
    assert_code(&o, 0);
    let fixed = w.read(rel);
    assert_eq!(fixed.matches("zebra talk").count(), 1, "{fixed}");
    assert!(fixed.find("rooftop talk") < fixed.find("zebra talk"));
    let o = w.run(&["fmt", "--check"]);
    assert_code(&o, 0);
}

#[test]
fn edit_commands_find_the_project_lexicon_or_ask_for_one() {
    let w = Work::new();
    // Outside any project: edits refuse, read-only commands use the embedded lexicon.
    let o = w
        .cmd(&["add-pattern", "amnesia", "memory hole"])
        .output()
        .expect("run");
    assert_code(&o, 2);
    assert!(stderr(&o).contains("pass --lexicon DIR"), "{}", stderr(&o));
    let o = w.cmd(&["list"]).output().expect("run");
    assert_code(&o, 0);
    assert!(
        stdout(&o).contains("the embedded lexicon"),
        "{}",
        stdout(&o)
    );

    // Inside a tropescope project (here, a sub-folder of one): its lexicons/.
    w.write(
        "proj/Cargo.toml",
        "[package]\nname = \"tropescope\"\nversion = \"0.0.0\"\n",
    );
    for f in embedded_files() {
        w.write(&format!("proj/lexicons/{}", f.path), &f.text);
    }
    w.write("proj/src/.keep", "");
    let o = w
        .cmd(&["add-pattern", "amnesia", "memory hole"])
        .current_dir(w.path("proj/src"))
        .output()
        .expect("run");
    assert!(
        o.status.code() == Some(0) || o.status.code() == Some(1),
        "{}",
        stderr(&o)
    );
    assert!(w
        .read("proj/lexicons/tropes/amnesia.toml")
        .contains("memory hole"));

    // Another crate's lexicons/ is not ours.
    w.write("other/Cargo.toml", "[package]\nname = \"other\"\n");
    w.write("other/lexicons/tropes/x.toml", "");
    let o = w
        .cmd(&["fmt"])
        .current_dir(w.path("other"))
        .output()
        .expect("run");
    assert_code(&o, 2);
}

#[test]
fn kwic_stats_and_diff_on_a_corpus() {
    let w = Work::new();
    let (docs, csv) = corpus(&w);
    let docs_s = docs.to_string_lossy().into_owned();
    let csv_s = csv.to_string_lossy().into_owned();

    let o = w.run(&[
        "kwic", "--trope", "amnesia", &docs_s, &csv_s, "--width", "20",
    ]);
    assert_code(&o, 0);
    let out = stdout(&o);
    assert!(out.contains("[amnesia]"), "{out}");
    for status in ["present", "absent", "generic"] {
        assert!(out.contains(status), "{status}: {out}");
    }
    assert!(out.contains("negation:"), "each hit names its cue: {out}");
    // The match starts in the same column on every line.
    let cols: Vec<usize> = out
        .lines()
        .filter(|l| l.contains("[amnesia]"))
        .map(|l| {
            let at = l.find("[amnesia]").expect("has the match");
            l[..at].chars().count()
        })
        .collect();
    assert_eq!(cols.len(), 4, "{out}");
    assert!(cols.windows(2).all(|c| c[0] == c[1]), "{out}");

    let o = w.run(&["kwic", "(baker|bakery)", &csv_s, "--format", "csv"]);
    assert_code(&o, 0);
    let out = stdout(&o);
    assert!(
        out.starts_with("document,source,trope,pattern,status,cue"),
        "{out}"
    );
    assert!(out.contains("r2,") && out.contains(",baker,"), "{out}");
    let o = w.run(&[
        "kwic", "--trope", "amnesia", &docs_s, "--limit", "1", "--status", "present",
    ]);
    assert_code(&o, 0);
    assert_eq!(stdout(&o).matches("[amnesia]").count(), 1, "{}", stdout(&o));

    let o = w.run(&["stats", &docs_s, &csv_s]);
    assert_code(&o, 0);
    let out = stdout(&o);
    assert!(out.contains("5 documents"), "{out}");
    assert!(out.contains("patterns that never fired"), "{out}");
    let row = out
        .lines()
        .find(|l| l.starts_with("amnesia "))
        .unwrap_or_else(|| panic!("{out}"));
    let nums: Vec<&str> = row.split_whitespace().collect();
    assert_eq!(&nums[1..], ["4", "1", "2", "1", "4"], "{row}");
    let o = w.run(&["stats", &docs_s, "--format", "csv", "--trope", "amnesia"]);
    assert_code(&o, 0);
    assert!(stdout(&o).contains("trope,amnesia,"), "{}", stdout(&o));

    // Remove the pattern that finds "amnesia" in a copy: the documents whose lean rests
    // on it change, biggest first.
    let analyzer = tropescope::Analyzer::load(Some(&w.lex())).expect("copy loads");
    let a = analyzer.analyze_text("x", "She wakes up with amnesia.");
    let m = a
        .mentions
        .iter()
        .find(|m| analyzer.trope_id(m) == "amnesia")
        .expect("amnesia found");
    let pattern = analyzer
        .lexicon()
        .lexicon()
        .trope("amnesia")
        .expect("trope")
        .patterns[m.mention.pattern as usize]
        .value
        .clone();
    let new = w.path("new");
    for f in embedded_files() {
        w.write(&format!("new/{}", f.path), &f.text);
    }
    let o = w
        .cmd(&["remove-pattern", "amnesia", &pattern, "--lexicon"])
        .arg(&new)
        .output()
        .expect("run");
    assert!(
        o.status.code() == Some(0) || o.status.code() == Some(1),
        "{}",
        stderr(&o)
    );
    // The patterns' change alone: with the stage on, the model may find what a removed
    // pattern no longer does.
    let o = w
        .cmd(&["diff", "--no-learned"])
        .arg(w.lex())
        .arg(&new)
        .arg(&docs)
        .output()
        .expect("run");
    assert_code(&o, 0);
    let out = stdout(&o);
    assert!(out.contains("3 documents: 3 changed"), "{out}");
    assert!(out.contains("lean cliche -> none"), "{out}");
    assert!(out.contains("- amnesia present"), "{out}");
    let first_doc = out
        .lines()
        .skip_while(|l| !l.starts_with("biggest changes"))
        .find(|l| l.contains("lean"))
        .unwrap_or_default();
    assert!(first_doc.contains("->"), "a lean change comes first: {out}");
    let o = w
        .cmd(&["diff", "--format", "csv"])
        .arg(w.lex())
        .arg(&new)
        .arg(&docs)
        .output()
        .expect("run");
    assert_code(&o, 0);
    assert!(
        stdout(&o).starts_with("document,source,old_lean,new_lean"),
        "{}",
        stdout(&o)
    );
}

/// The findings `lint --verbose` prints for `work`'s copy.
fn lint_lines(w: &Work) -> String {
    let o = w.run(&["lint", "--verbose"]);
    stdout(&o)
}

#[track_caller]
fn assert_finding(out: &str, w: &Work, code: &str, rel: &str, line: usize) {
    let at = format!("{}:{line}:", w.lex().join(rel).display());
    assert!(
        out.lines()
            .any(|l| l.starts_with(&at) && l.contains(&format!("[{code}]"))),
        "{code}: expected a finding at {at}\n{out}"
    );
}

/// Insert `line` as the last item of the array that opens with `open`; returns the new text.
fn append_to_list(w: &Work, rel: &str, open: &str, line: &str) -> String {
    let text = w.read(rel);
    let start = text.find(open).expect("has the array");
    let end = start
        + text[start..]
            .find("\n]\n")
            .expect("array closes on its own line");
    let new = format!("{}\n  {line}{}", &text[..end], &text[end..]);
    w.write(rel, &new);
    new
}

/// The pattern that finds trope `id` in its first `present` example.
fn firing_pattern(id: &str) -> String {
    let analyzer = tropescope::Analyzer::embedded().expect("embedded lexicon loads");
    let trope = analyzer
        .lexicon()
        .lexicon()
        .trope(id)
        .expect("trope exists");
    let ex = trope
        .examples
        .iter()
        .find(|e| e.expect == tropescope::lexicon::Expect::Present)
        .expect("a present example");
    let a = analyzer.analyze_text("x", &ex.text);
    let m = a
        .mentions
        .iter()
        .find(|m| analyzer.trope_id(m) == id)
        .expect("the example finds its trope");
    trope.patterns[m.mention.pattern as usize].value.clone()
}

/// Insert `line` after the line `patterns = [` of a trope file; returns the new text.
fn add_line_to_patterns(w: &Work, rel: &str, line: &str) -> String {
    let text = w.read(rel);
    let new = text.replacen("patterns = [\n", &format!("patterns = [\n  {line}\n"), 1);
    w.write(rel, &new);
    new
}

#[test]
fn lint_names_each_planted_error_with_file_and_line() {
    // Each kind of error planted in its own file (or, for the checks of a loading
    // trope, beside the others in amnesia.toml), then one lint run.
    let w = Work::new();
    let mut expected: Vec<(&str, String, usize)> = Vec::new();
    let mut plant = |code: &'static str, rel: &str, text: String, needle: &str| {
        expected.push((code, rel.to_string(), line_of(&text, needle)));
    };

    let rel = "tropes/airport-dash.toml";
    let t = w
        .read(&format!("lex/{rel}"))
        .replacen("weight =", "weight = = ", 1);
    w.write(&format!("lex/{rel}"), &t);
    plant("malformed", rel, t, "weight = = ");

    let rel = "tropes/back-hug.toml";
    let t = w
        .read(&format!("lex/{rel}"))
        .replacen("family =", "colour = \"red\"\nfamily =", 1);
    w.write(&format!("lex/{rel}"), &t);
    plant("unknown-field", rel, t, "colour");

    let rel = "tropes/birth-secret.toml";
    let t = add_line_to_patterns(&w, &format!("lex/{rel}"), "\"(memory|loss\",");
    plant("bad-pattern", rel, t, "(memory|loss");

    let t = w.read("lex/tropes/chaebol.toml");
    w.write("lex/tropes/extra/chaebol.toml", &t);
    plant("duplicate-id", "tropes/extra/chaebol.toml", t, "id =");

    let rel = "tropes/cinderella.toml";
    let t = w.read(&format!("lex/{rel}"));
    let t = t[..t.find("[[examples]]").expect("has examples")].to_string();
    w.write(&format!("lex/{rel}"), &t);
    plant("missing-example", rel, t, "id =");

    let rel = "cues/negation.toml";
    let t = append_to_list(
        &w,
        &format!("lex/{rel}"),
        "phrases = [",
        "\"no trace of\", # twice",
    );
    plant("duplicate-cue", rel, t, "# twice");

    let rel = "tropes/amnesia.toml";
    let lex_rel = format!("lex/{rel}");
    let (p, _) = first_pattern("amnesia");
    append_to_list(&w, &lex_rel, "patterns = [", &format!("{p:?}, # dup"));
    add_line_to_patterns(&w, &lex_rel, "\"forgetful heroine\",");
    append_to_list(
        &w,
        &lex_rel,
        "patterns = [",
        "\"forgetful heroines\", # plural",
    );
    let borrowed = firing_pattern("wrist-grab");
    add_line_to_patterns(&w, &lex_rel, &format!("{borrowed:?}, # borrowed"));
    add_line_to_patterns(&w, &lex_rel, "\"no memory twist\",");
    // A pattern that stands inside a longer cue phrase ("no trace of", negation).
    let t = add_line_to_patterns(&w, &lex_rel, "\"trace of\", # inside");
    for (code, needle) in [
        ("duplicate-pattern", "# dup"),
        ("same-stems", "# plural"),
        ("shadowed", "# borrowed"),
        ("cross-example", "# borrowed"),
        ("cue-overlap", "no memory twist"),
    ] {
        plant(code, rel, t.clone(), needle);
    }

    let out = lint_lines(&w);
    for (code, rel, line) in &expected {
        assert_finding(&out, &w, code, rel, *line);
    }
    // The two kinds of cue overlap are told apart: the cue absorbed into the mention, and
    // the cue silenced by a mention inside it.
    let finding = |needle: &str| {
        let at = format!("{}:{}:", w.lex().join(rel).display(), line_of(&t, needle));
        out.lines()
            .find(|l| l.starts_with(&at) && l.contains("[cue-overlap]"))
            .unwrap_or_else(|| panic!("no cue-overlap at {at}\n{out}"))
            .to_string()
    };
    assert!(finding("no memory twist").contains("the cue is part of the mention"));
    let inside = finding("# inside");
    assert!(
        inside.contains("\"no trace of\"") && inside.contains("the pattern sits inside the cue"),
        "{inside}"
    );
}

#[test]
fn lint_exits_1_on_errors_only() {
    let w = Work::new();
    let rel = "lex/tropes/amnesia.toml";
    let t = w.read(rel).replacen("family =", "colour = 1\nfamily =", 1);
    w.write(rel, &t);
    let o = w.run(&["lint"]);
    assert_code(&o, 1);
    assert!(stdout(&o).contains("1 errors"), "{}", stdout(&o));
    assert!(stdout(&o).contains("hint: "), "{}", stdout(&o));
}

/// A gold file of short passages where "forgets" means amnesia.
const FORGETTING_GOLD: &str = r#"{"id": "a", "text": "She forgets who he is.", "gold": [{"trope": "amnesia", "status": "present"}]}
{"id": "b", "text": "He forgets his own name after the fall.", "gold": [{"trope": "amnesia", "status": "present"}]}
{"id": "c", "text": "By the finale everyone forgets the wedding.", "gold": [{"trope": "amnesia", "status": "present"}]}
{"id": "d", "text": "Then the heir forgets her completely.", "gold": [{"trope": "amnesia", "status": "present"}]}
{"id": "e", "text": "They cook dinner together.", "gold": []}
{"id": "f", "text": "He works late at the office.", "gold": []}
{"id": "g", "text": "The rain falls on the city.", "gold": []}
"#;

/// The work copy with only two trope files (so training reads few examples), the gold file
/// above, and a model trained on them into `lex/learned.tsv`.
fn trained(w: &Work) -> Output {
    for entry in std::fs::read_dir(w.path("lex/tropes")).expect("read tropes") {
        let path = entry.expect("entry").path();
        let keep = ["amnesia.toml", "makeover.toml"]
            .iter()
            .any(|k| path.ends_with(k));
        if !keep {
            std::fs::remove_file(path).expect("remove trope file");
        }
    }
    w.write("gold.jsonl", FORGETTING_GOLD);
    train(w, &[])
}

/// `lexicon train` on the gold file above into `lex/learned.tsv`, with `extra` flags.
fn train(w: &Work, extra: &[&str]) -> Output {
    let mut args = vec![
        "train",
        "gold.jsonl",
        "-o",
        "lex/learned.tsv",
        "--min-count",
        "1",
        "--l2",
        "0.1",
    ];
    args.extend_from_slice(extra);
    w.run(&args)
}

/// `tropescope score --format json ARGS... -` on `text`, with the work copy's lexicon.
fn score_json(w: &Work, args: &[&str], text: &str) -> serde_json::Value {
    let mut all = vec!["score", "--format", "json", "--lexicon", "lex"];
    all.extend_from_slice(args);
    all.push("-");
    let o = w.top(&all, Some(text));
    assert_code(&o, 0);
    serde_json::from_slice(&o.stdout).expect("one JSON object")
}

#[test]
fn train_writes_a_reproducible_model_that_score_uses_unless_switched_off() {
    let w = Work::new();
    let o = trained(&w);
    assert_code(&o, 0);
    assert!(stderr(&o).contains("wrote "), "{}", stderr(&o));
    let first = w.read("lex/learned.tsv");
    assert!(first.contains("\nsource\tgold.jsonl\t7\n"), "{first}");
    assert!(first.contains("\nthreshold\t0.5\n"), "{first}");
    let o = trained(&w);
    assert_code(&o, 0);
    assert_eq!(
        w.read("lex/learned.tsv"),
        first,
        "training is deterministic"
    );

    let text = "After the party she forgets her husband.";
    // model.toml says on.
    let on = score_json(&w, &[], text);
    let m = &on["mentions"][0];
    assert_eq!(m["trope"], "amnesia", "{on}");
    assert_eq!(m["text"], "forgets", "{on}");
    assert_eq!(m["status"], "present", "{on}");
    assert!(m["learned"]["probability"].as_f64().unwrap() >= 0.5, "{on}");
    assert!(m["pattern"].is_null(), "{on}");
    let fingerprint = on["lexicon"]["fingerprint"].as_str().unwrap();
    assert!(!fingerprint.contains("learned"), "no override: {on}");
    // The mention table says which mentions the model found, and how sure it was.
    w.write("doc.txt", text);
    let o = w.top(
        &[
            "batch",
            "doc.txt",
            "--learned",
            "--lexicon",
            "lex",
            "--mentions",
            "m.csv",
            "-o",
            "d.csv",
        ],
        None,
    );
    assert_code(&o, 0);
    let table = w.read("m.csv");
    let mut lines = table.lines();
    assert!(
        lines
            .next()
            .unwrap()
            .ends_with(",found_by,probability,rules_status,status_probability,pattern,record"),
        "{table}"
    );
    let row = lines.next().expect("one mention row");
    assert!(row.contains(",amnesia,cliche,present,"), "{row}");
    assert!(row.contains(",forgets,,,model,0."), "{row}");
    // --no-learned turns it off, and says so in the fingerprint.
    let off = score_json(&w, &["--no-learned"], text);
    assert_eq!(off["mentions"].as_array().unwrap().len(), 0, "{off}");
    let fingerprint = off["lexicon"]["fingerprint"].as_str().unwrap();
    assert!(
        fingerprint.ends_with("-learned"),
        "the override is named: {off}"
    );
    // model.toml says off: --learned turns it on.
    w.stage(false);
    let off = score_json(&w, &[], text);
    assert_eq!(off["mentions"].as_array().unwrap().len(), 0, "{off}");
    let on = score_json(&w, &["--learned"], text);
    assert_eq!(on["mentions"].as_array().unwrap().len(), 1, "{on}");
    let fingerprint = on["lexicon"]["fingerprint"].as_str().unwrap();
    assert!(
        fingerprint.ends_with("+learned"),
        "the override is named: {on}"
    );
    // The status stage came with the model: it read the mention, and says what the rules
    // said.
    assert!(first.contains("\nstatus_bias\tpresent="), "{first}");
    let m = &on["mentions"][0];
    assert_eq!(m["status_model"]["rules"], "present", "{on}");
    assert!(
        m["status_model"]["probability"].as_f64().unwrap() > 0.3,
        "{on}"
    );
    // --no-status trains without it; the mention keeps the rules' status, and says nothing
    // of a model.
    assert_code(&train(&w, &["--no-status"]), 0);
    assert!(
        !w.read("lex/learned.tsv").contains("status"),
        "no status lines"
    );
    let on = score_json(&w, &["--learned"], text);
    assert!(on["mentions"][0]["status_model"].is_null(), "{on}");
    // --status-only trains the status stage again over the lexicon's own model, with that
    // model's settings (its min_count of 1 here): on the same gold, the very model one full
    // training wrote.
    let status_only = |extra: &[&str]| {
        let mut args = vec![
            "train",
            "gold.jsonl",
            "-o",
            "lex/learned.tsv",
            "--status-only",
        ];
        args.extend_from_slice(extra);
        w.run(&args)
    };
    let o = status_only(&[]);
    assert_code(&o, 0);
    assert!(stderr(&o).contains("the status stage of"), "{}", stderr(&o));
    assert_eq!(w.read("lex/learned.tsv"), first);
    // The detection settings are the kept model's: their flags are refused, not ignored.
    for flag in [
        &["--l2", "0.5"][..],
        &["--min-count", "3"],
        &["--no-status"],
    ] {
        let o = status_only(flag);
        assert_code(&o, 2);
        assert!(stderr(&o).contains("cannot be used with"), "{}", stderr(&o));
    }
    // Without a model to keep, it says what to do.
    std::fs::remove_file(w.path("lex/learned.tsv")).expect("remove the model");
    let o = status_only(&[]);
    assert_code(&o, 2);
    assert!(
        stderr(&o).contains("train one without --status-only first"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn the_curator_commands_take_the_learned_switch() {
    let w = Work::new();
    assert_code(&trained(&w), 0);
    w.write("doc.txt", "After the party she forgets her husband.\n");
    let kwic = |extra: &[&str]| {
        let mut args = vec!["kwic", "--trope", "amnesia", "doc.txt"];
        args.extend_from_slice(extra);
        let o = w.run(&args);
        assert_code(&o, 0);
        stdout(&o)
    };
    assert!(
        kwic(&[]).contains("forgets"),
        "model.toml says on: {}",
        kwic(&[])
    );
    assert!(
        !kwic(&["--no-learned"]).contains("forgets"),
        "{}",
        kwic(&["--no-learned"])
    );
    w.stage(false);
    assert!(
        !kwic(&[]).contains("forgets"),
        "model.toml says off: {}",
        kwic(&[])
    );
    assert!(
        kwic(&["--learned"]).contains("forgets"),
        "{}",
        kwic(&["--learned"])
    );
    // stats counts the model's mentions with the stage on.
    let stats = |extra: &[&str]| {
        let mut args = vec!["stats", "doc.txt", "--trope", "amnesia", "--format", "csv"];
        args.extend_from_slice(extra);
        let o = w.run(&args);
        assert_code(&o, 0);
        stdout(&o)
    };
    let on = stats(&["--learned"]);
    assert!(
        on.lines()
            .any(|l| l.starts_with("learned,amnesia,learned.tsv,")),
        "the model's mentions have a row of their own: {on}"
    );
    assert!(!stats(&["--no-learned"]).contains("\nlearned,"));
    // diff from a lexicon to a copy without its model (model.toml still says on): with
    // --no-learned both compile and the patterns are the same, so nothing changes; with the
    // stage on, the copy is refused for the model it lacks.
    let lex = w.path("lex");
    let bare = w.path("bare");
    for f in std::fs::read_dir(&lex).expect("read lex") {
        let f = f.expect("entry").path();
        let to = bare.join(f.file_name().expect("name"));
        if f.is_dir() {
            std::fs::create_dir_all(&to).expect("mkdir");
            for g in std::fs::read_dir(&f).expect("read") {
                let g = g.expect("entry").path();
                std::fs::copy(&g, to.join(g.file_name().expect("name"))).expect("copy");
            }
        } else if !f.ends_with("learned.tsv") {
            std::fs::copy(&f, &to).expect("copy");
        }
    }
    let diff = |stage: &str| {
        let o = w
            .cmd(&["diff", "--format", "csv", stage])
            .arg(&lex)
            .arg(&bare)
            .arg("doc.txt")
            .output()
            .expect("run diff");
        assert_code(&o, 0);
        stdout(&o)
    };
    assert_eq!(
        diff("--no-learned").lines().count(),
        1,
        "{}",
        diff("--no-learned")
    );
    let o = w
        .cmd(&["diff", "--format", "csv", "--learned"])
        .arg(&lex)
        .arg(&bare)
        .arg("doc.txt")
        .output()
        .expect("run diff");
    assert_code(&o, 2);
    assert!(stderr(&o).contains("learned.tsv"), "{}", stderr(&o));
}

#[test]
fn background_documents_that_are_empty_or_not_chosen_do_not_stop_training() {
    let w = Work::new();
    assert_code(&trained(&w), 0);
    // Position 2 is blank (chosen: it adds no window) and position 3 is not UTF-8 (not
    // chosen with --background-every 2).
    let mut bytes = b"id,text\n0,The bus is late. It rains.\n1,A dog barks.\n2,   \n3,".to_vec();
    bytes.extend_from_slice(b"caf\xe9 au lait\n");
    std::fs::write(w.path("bg.csv"), bytes).expect("write bg.csv");
    let o = train(&w, &["--background", "bg.csv", "--background-every", "2"]);
    assert_code(&o, 0);
    assert!(
        stderr(&o).contains("background: 1 of 4 documents"),
        "{}",
        stderr(&o)
    );
    // A chosen document that cannot be read stops it, and says which and what to do.
    let o = train(&w, &["--background", "bg.csv"]);
    assert_code(&o, 2);
    assert!(stderr(&o).contains("bg.csv:"), "{}", stderr(&o));
    assert!(stderr(&o).contains("fix or remove them"), "{}", stderr(&o));
}

#[test]
fn a_model_that_does_not_fit_is_named_once_and_the_curator_commands_go_on() {
    let w = Work::new();
    // A model file that does not parse: one finding, its own, not a second about a missing
    // model.
    let text = w.read("lex/learned.tsv");
    let line = line_of(&text, "bias\t");
    let broken = text.replacen("bias\t", "bias\tamnesia\t99\nbias\t", 1);
    w.write("lex/learned.tsv", &broken);
    let o = w.run(&["lint"]);
    assert_code(&o, 1);
    let out = stdout(&o);
    assert!(out.contains(&format!("learned.tsv:{line}")), "{out}");
    assert!(out.contains("1 errors"), "{out}");
    assert!(!out.contains("no learned.tsv"), "{out}");
    // A stale model (a trope renamed, not retrained): show and the checks after an edit work
    // on the patterns, with a warning.
    w.write(
        "lex/learned.tsv",
        &text.replacen("bias\tamnesia\t", "bias\tamnesiac\t", 1),
    );
    let o = w.run(&["show", "amnesia"]);
    assert_code(&o, 0);
    assert!(
        stderr(&o).contains("learned stage is left out"),
        "{}",
        stderr(&o)
    );
    let o = w.run(&["add-pattern", "amnesia", "zorgle blip"]);
    assert_code(&o, 0);
    assert!(
        stderr(&o).contains("learned stage is left out"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn train_learns_ordinary_words_from_a_background_corpus() {
    let w = Work::new();
    assert_code(&trained(&w), 0);
    // General text in which the lexicon finds nothing, "forgets" in its ordinary sense.
    w.write(
        "background.txt",
        "He forgets his keys again. The bus is late. She forgets the milk.\n\
         Everyone forgets a birthday now and then. The zebra yawns.\n",
    );
    let o = train(&w, &["--background", "background.txt"]);
    assert_code(&o, 0);
    assert!(
        stderr(&o).contains("background: 1 of 1 documents"),
        "{}",
        stderr(&o)
    );
    let model = w.read("lex/learned.tsv");
    assert!(
        model.contains("\nsource\tbackground background.txt (every 1)\t2\n"),
        "two windows of three sentences: {model}"
    );
    assert!(
        !model.contains("zebra"),
        "background words are no features: {model}"
    );
}

#[test]
fn train_with_word_clusters_keeps_the_ones_it_weighs_and_refuses_a_bad_line() {
    let w = Work::new();
    assert_code(&trained(&w), 0);
    let plain = w.read("lex/learned.tsv");
    assert!(!plain.contains("\ncluster\t"), "{plain}");
    // "misplaces" is in no gold passage; its stem shares a cluster with "forgets".
    w.write(
        "clusters.tsv",
        "# stem, cluster\nforget\t3\nmisplac\t3\nzebra\t4\n",
    );
    let o = train(&w, &["--clusters", "clusters.tsv"]);
    assert_code(&o, 0);
    let model = w.read("lex/learned.tsv");
    assert!(model.contains("\ncluster\tforget\t3\n"), "{model}");
    assert!(model.contains("\ncluster\tmisplac\t3\n"), "{model}");
    assert!(model.contains("\nfeature\t#3\t"), "{model}");
    assert!(
        !model.contains("zebra"),
        "a cluster no passage has: {model}"
    );
    let on = score_json(&w, &[], "After the party she misplaces her husband.");
    assert_eq!(on["mentions"][0]["trope"], "amnesia", "{on}");
    assert_eq!(on["mentions"][0]["text"], "misplaces", "{on}");

    w.write("bad.tsv", "forget\t3\nmisplac 3\n");
    let o = train(&w, &["--clusters", "bad.tsv"]);
    assert_code(&o, 2);
    assert!(stderr(&o).contains("bad.tsv:2:"), "{}", stderr(&o));
    assert_eq!(w.read("lex/learned.tsv"), model, "nothing written");
    // The status stage alone keeps the model's detection, its clusters with it; and it
    // refuses --clusters, as it does the other detection settings.
    let status_only = [
        "train",
        "gold.jsonl",
        "-o",
        "lex/learned.tsv",
        "--status-only",
    ];
    assert_code(&w.run(&status_only), 0);
    assert_eq!(w.read("lex/learned.tsv"), model);
    let o = w.run(&[&status_only[..], &["--clusters", "clusters.tsv"]].concat());
    assert_code(&o, 2);
    assert!(stderr(&o).contains("cannot be used with"), "{}", stderr(&o));
}

#[test]
fn lint_finds_a_model_trained_for_a_trope_the_lexicon_lost() {
    let w = Work::new();
    assert_code(&trained(&w), 0);
    let text = w.read("lex/learned.tsv");
    let line = line_of(&text, "bias\tamnesia\t");
    w.write(
        "lex/learned.tsv",
        &text.replacen("bias\tamnesia\t", "bias\tamnesiac\t", 1),
    );
    // With the stage on the lexicon is refused for it: an error, and only that one (the
    // examples are still checked, with the stage off).
    let o = w.run(&["lint"]);
    assert_code(&o, 1);
    let want = format!("learned.tsv:{line}:6: error[stale-model]");
    assert!(stdout(&o).contains(&want), "{}", stdout(&o));
    assert!(stdout(&o).contains("1 errors"), "{}", stdout(&o));
    // A warning with it off: the model is not used.
    w.stage(false);
    let o = w.run(&["lint"]);
    assert_code(&o, 0);
    let want = format!("learned.tsv:{line}:6: warning[stale-model]");
    assert!(stdout(&o).contains(&want), "{}", stdout(&o));
}

#[test]
fn a_broken_model_is_refused_with_its_file_and_line() {
    let w = Work::new();
    let o = trained(&w);
    assert_code(&o, 0);
    let text = w.read("lex/learned.tsv");
    let line = line_of(&text, "feature\t");
    let broken = text.replacen("feature\t", "feature\tthree words here\t", 1);
    w.write("lex/learned.tsv", &broken);
    let o = w.run(&["lint"]);
    assert_code(&o, 1);
    let want = format!("learned.tsv:{line}");
    assert!(stdout(&o).contains(&want), "{}", stdout(&o));
    let o = w.top(&["score", "--learned", "--lexicon", "lex", "-"], None);
    assert_code(&o, 2);
    assert!(stderr(&o).contains(&want), "{}", stderr(&o));
    assert!(stderr(&o).contains("one word or two"), "{}", stderr(&o));
    // No model at all: asked for, the stage is refused, not silently left out.
    std::fs::remove_file(w.path("lex/learned.tsv")).expect("remove the model");
    let o = w.top(&["score", "--learned", "--lexicon", "lex", "-"], None);
    assert_code(&o, 2);
    assert!(stderr(&o).contains("has no learned.tsv"), "{}", stderr(&o));
}
