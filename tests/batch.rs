//! `tropescope batch`, run as a user (or an engine piping records) would: every input
//! accounted for, rows in input order, CSV that the csv crate reads back, streaming through
//! a pipe, and no output under its final name when a run is cut short.

mod util;

use std::io::{BufRead, BufReader, Write};
use std::process::Stdio;
use std::time::{Duration, Instant};

use util::*;

/// Read a CSV file back with the csv crate: (header, rows).
fn read_csv(path: &std::path::Path) -> (Vec<String>, Vec<csv::StringRecord>) {
    let mut r = csv::Reader::from_path(path).expect("the table opens");
    let header = r
        .headers()
        .expect("a header row")
        .iter()
        .map(String::from)
        .collect();
    let rows = r.records().map(|r| r.expect("a well-formed row")).collect();
    (header, rows)
}

fn col(header: &[String], name: &str) -> usize {
    header
        .iter()
        .position(|h| h == name)
        .unwrap_or_else(|| panic!("no column {name} in {header:?}"))
}

const TEXTS: [&str; 4] = [
    "No amnesia, no love triangle and no airport dash: the leads simply talk.",
    "He grabs her wrist, again, and the cold chaebol heir sulks.",
    "A quiet drama about <b>work</b>, grief and friendship.<br /><br />Lovely.",
    "So many dramas lean on the love triangle; this one \"does\" too.",
];

#[test]
fn ten_thousand_records_with_malformed_ones_give_one_row_each_in_order() {
    let dir = tempdir();
    let mut csv = b"id,show,text\n".to_vec();
    let mut expect_error = Vec::new();
    for i in 0..10_000u32 {
        let text = TEXTS[i as usize % TEXTS.len()];
        let line: Vec<u8> = match i {
            _ if i % 997 == 5 => format!("d{i},S{}\n", i % 7).into_bytes(), // missing field
            _ if i % 1009 == 7 => {
                let mut l = format!("d{i},S{},bad ", i % 7).into_bytes();
                l.extend_from_slice(b"\xff\xfe bytes\n");
                l
            }
            _ if i % 1013 == 9 => format!("d{i},S{},\"   \"\n", i % 7).into_bytes(), // empty
            _ => format!("d{i},S{},\"{}\"\n", i % 7, text.replace('"', "\"\"")).into_bytes(),
        };
        expect_error.push(i % 997 == 5 || i % 1009 == 7 || i % 1013 == 9);
        csv.extend_from_slice(&line);
    }
    let input = write(dir.path(), "corpus.csv", &csv);
    let out = dir.path().join("report.csv");
    let mentions = dir.path().join("mentions.csv");
    let summary = dir.path().join("by-show.csv");
    let o = run(
        &[
            "batch",
            input.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
            "--mentions",
            mentions.to_str().unwrap(),
            "--keep-columns",
            "show",
            "--group-by",
            "show",
            "--summary",
            summary.to_str().unwrap(),
            "--jobs",
            "2",
        ],
        None,
    );
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "some documents failed: {err}");
    let failed = expect_error.iter().filter(|&&e| e).count();
    assert!(
        err.contains(&format!(
            "10000 read, {} ok, {failed} error",
            10_000 - failed
        )),
        "{err}"
    );
    assert!(
        err.contains("corpus.csv:"),
        "errors name file and line: {err}"
    );

    let (header, rows) = read_csv(&out);
    assert_eq!(header.last().map(String::as_str), Some("show"));
    assert_eq!(rows.len(), 10_000, "one row per input document");
    let (id, status, error) = (
        col(&header, "id"),
        col(&header, "status"),
        col(&header, "error"),
    );
    for (i, row) in rows.iter().enumerate() {
        assert_eq!(row.len(), header.len());
        assert_eq!(&row[id], format!("d{i}"), "rows in input order");
        let want = if expect_error[i] { "error" } else { "ok" };
        assert_eq!(&row[status], want, "row {i}: {:?}", row);
        assert_eq!(row[error].is_empty(), !expect_error[i], "row {i}");
    }
    assert!(rows[5][error].contains("corpus.csv:7: malformed CSV record"));
    assert!(rows[7][error].contains("invalid UTF-8"));
    assert!(rows[9][error].contains("empty document"));

    let (mheader, mrows) = read_csv(&mentions);
    assert_eq!(mheader[..4], ["id", "trope", "family", "status"]);
    assert!(!mrows.is_empty());
    // Each mention names the pattern that fired, as its trope file spells it (the model's
    // mentions none): the rows of one document against the library's own analysis of it.
    let analyzer = tropescope::Analyzer::embedded().unwrap();
    let a = analyzer.analyze_text("d1", TEXTS[1]);
    let want: Vec<(String, String)> = a
        .mentions
        .iter()
        .map(|m| {
            let lex = analyzer.lexicon();
            let p = lex.pattern(m.mention.trope, m.mention.pattern);
            (
                lex.trope(m.mention.trope).id.clone(),
                p.map(|p| p.value.clone()).unwrap_or_default(),
            )
        })
        .collect();
    let (id, trope, pattern) = (
        col(&mheader, "id"),
        col(&mheader, "trope"),
        col(&mheader, "pattern"),
    );
    let got: Vec<(String, String)> = mrows
        .iter()
        .filter(|r| &r[id] == "d1")
        .map(|r| (r[trope].to_string(), r[pattern].to_string()))
        .collect();
    assert!(want.iter().any(|(_, p)| !p.is_empty()), "{want:?}");
    assert_eq!(got, want);
    let (sheader, srows) = read_csv(&summary);
    assert_eq!(sheader[0], "group");
    assert_eq!(srows.len(), 7, "one row per show");
    let docs: u64 = srows.iter().map(|r| r[1].parse::<u64>().unwrap()).sum();
    assert_eq!(docs, 10_000);
}

#[test]
fn csv_round_trips_through_the_csv_crate() {
    let dir = tempdir();
    let tricky = "Quotes \"inside\", commas, and a\nnewline; no amnesia here.";
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(["id", "note", "text"]).unwrap();
    w.write_record(["a,1", "x \"y\"", tricky]).unwrap();
    w.write_record(["b", "multi\nline", "The love triangle returns."])
        .unwrap();
    let input = write(dir.path(), "in.csv", &w.into_inner().unwrap());
    let out = dir.path().join("out.csv");
    let o = run(
        &[
            "batch",
            input.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
            "--keep-columns",
            "note",
        ],
        None,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let (header, rows) = read_csv(&out);
    assert_eq!(header[..3], ["id", "source", "status"]);
    assert_eq!(&rows[0][0], "a,1");
    assert_eq!(&rows[0][header.len() - 1], "x \"y\"");
    assert_eq!(&rows[1][header.len() - 1], "multi\nline");
    assert!(rows[1][col(&header, "tropes_present")].contains("love-triangle"));
}

#[test]
fn a_row_that_repeats_a_span_says_which_record_it_is() {
    // Rule 11: a genre statement the work answers is two references, one span, two rows.
    let dir = tempdir();
    let input = write(
        dir.path(),
        "in.jsonl",
        b"{\"id\": \"w\", \"text\": \"So many dramas end with a wedding. This one ends with one too.\"}\n",
    );
    let (docs, mentions) = (dir.path().join("d.csv"), dir.path().join("m.csv"));
    let o = run(
        &[
            "batch",
            input.to_str().unwrap(),
            "-o",
            docs.to_str().unwrap(),
            "--mentions",
            mentions.to_str().unwrap(),
        ],
        None,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let (header, rows) = read_csv(&mentions);
    let (trope, status, record, start) = (
        col(&header, "trope"),
        col(&header, "status"),
        col(&header, "record"),
        col(&header, "start"),
    );
    // The wedding's rows (the learned stage may find another trope in the same words).
    let rows: Vec<_> = rows
        .iter()
        .filter(|r| &r[trope] == "fairy-tale-ending")
        .collect();
    let seen: Vec<(&str, &str)> = rows
        .iter()
        .map(|r| (&r[status][..], &r[record][..]))
        .collect();
    assert_eq!(seen, [("generic", "first"), ("present", "answer")]);
    assert_eq!(rows[0][start], rows[1][start]);
}

#[test]
fn kept_columns_no_input_has_are_noted_and_clashing_names_renamed() {
    let dir = tempdir();
    let a = write(
        dir.path(),
        "a.csv",
        b"id,status,show,text\nr1,draft,A,The love triangle returns.\n",
    );
    let b = write(dir.path(), "b.csv", b"id,text\nr2,No amnesia here.\n");
    let j = write(
        dir.path(),
        "c.jsonl",
        b"{\"id\": \"r3\", \"show\": \"C\", \"text\": \"A slow burn.\"}\n",
    );
    let out = dir.path().join("out.csv");
    let o = run(
        &[
            "batch",
            a.to_str().unwrap(),
            b.to_str().unwrap(),
            j.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
            "--keep-columns",
            "status,show,shwo",
        ],
        None,
    );
    let err = stderr(&o);
    assert!(o.status.success(), "{err}");
    // The report's own `status` stays; the input's is kept beside it, renamed.
    let (header, rows) = read_csv(&out);
    assert_eq!(
        header[header.len() - 3..],
        ["input_status", "show", "shwo"],
        "{header:?}"
    );
    assert_eq!(&rows[0][col(&header, "status")], "ok");
    assert_eq!(&rows[0][col(&header, "input_status")], "draft");
    assert_eq!(&rows[2][col(&header, "show")], "C");
    assert!(
        err.contains(r#"note: the kept column "status" is written as "input_status""#),
        "{err}"
    );
    // `show` is missing from one CSV file; `shwo` from both, and from every JSON record.
    assert!(
        err.contains(r#"no column "show" to keep in "#) && err.contains("b.csv: its cells"),
        "{err}"
    );
    assert!(
        err.contains(r#"no column "shwo" to keep in "#)
            && err.contains("a.csv (and 1 more CSV files)")
            && err.contains("(id, status, show, text)"),
        "{err}"
    );
    assert!(
        err.contains(r#"no field "shwo" to keep in any of the 1 JSON Lines records"#),
        "{err}"
    );
    assert!(!err.contains(r#"no field "show""#), "{err}");

    let twice = run(
        &["batch", b.to_str().unwrap(), "--keep-columns", "show,show"],
        None,
    );
    assert_eq!(twice.status.code(), Some(2));
    assert!(
        stderr(&twice).contains("\"show\" is given twice"),
        "{}",
        stderr(&twice)
    );
}

#[test]
fn folders_globs_wordpress_and_unreadable_inputs() {
    let dir = tempdir();
    let d = dir.path();
    std::fs::create_dir_all(d.join("c/sub")).unwrap();
    write(d, "c/b.txt", TEXTS[0].as_bytes());
    write(d, "c/sub/a.txt", TEXTS[1].as_bytes());
    write(d, "c/skip.md", b"not matched by the glob");
    write(
        d,
        "c/posts.txt",
        br#"[{"id": 4, "content": {"rendered": "<p>One post.</p>"}}, {"id": 5, "content": {"rendered": "<p>Two.</p>"}}]"#,
    );
    let out = d.join("out.jsonl");
    let o = run(
        &[
            "batch",
            d.join("c").to_str().unwrap(),
            d.join("missing.txt").to_str().unwrap(),
            "--glob",
            "*.txt",
            "--format",
            "jsonl",
            "-o",
            out.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let rows: Vec<serde_json::Value> = std::fs::read_to_string(&out)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object a line"))
        .collect();
    let ids: Vec<&str> = rows.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), 5, "{ids:?}");
    assert!(ids[0].ends_with("c/b.txt"));
    assert!(ids[1].ends_with("posts.txt#4"));
    assert!(ids[2].ends_with("posts.txt#5"));
    assert!(ids[3].ends_with("sub/a.txt"));
    assert_eq!(rows[4]["status"], "error");
    assert!(rows[4]["error"].as_str().unwrap().contains("missing.txt"));
    assert!(rows[0]["words"].is_u64());
    assert!(rows[0]["tropes_absent"].is_array());
}

/// Read one line from the child's stdout within `limit`, on a helper thread.
fn line_within(lines: &std::sync::mpsc::Receiver<String>, limit: Duration) -> Option<String> {
    lines.recv_timeout(limit).ok()
}

/// `batch - -o - ARGS` as an engine runs it: its standard input, and its output lines as
/// they come (read on a helper thread).
fn stream(
    args: &[&str],
) -> (
    std::process::Child,
    std::process::ChildStdin,
    std::sync::mpsc::Receiver<String>,
) {
    let mut child = tropescope()
        .args(["batch", "-", "-o", "-"])
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the binary runs");
    let stdin = child.stdin.take().unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    (child, stdin, rx)
}

#[test]
fn streaming_through_a_pipe_answers_each_record_batch() {
    let (mut child, mut stdin, rx) = stream(&["--format", "jsonl", "--keep-columns", "part"]);
    // One record in, its row out, while the pipe is still open: rows are not held back.
    writeln!(
        stdin,
        r#"{{"id": "r1", "part": 1, "text": "{}"}}"#,
        TEXTS[0]
    )
    .unwrap();
    stdin.flush().unwrap();
    let first = line_within(&rx, Duration::from_secs(60)).expect("a row before end of input");
    let first: serde_json::Value = serde_json::from_str(&first).unwrap();
    assert_eq!(first["id"], "r1");
    assert_eq!(first["part"], "1");
    assert!(first["tropes_absent"].as_array().unwrap().len() >= 2);
    writeln!(stdin, r#"{{"id": "r2", "text": "{}"}}"#, TEXTS[1]).unwrap();
    writeln!(stdin, "not json").unwrap();
    drop(stdin);
    let rest: Vec<String> = rx.iter().collect();
    let status = child.wait().unwrap();
    assert_eq!(rest.len(), 2, "{rest:?}");
    assert!(rest[0].contains(r#""id":"r2""#));
    assert!(rest[1].contains(r#""status":"error""#) && rest[1].contains("-:3"));
    assert_eq!(status.code(), Some(2));
}

/// Feed `head` (whole records and the start of one more) to `batch - -o -` with `args`,
/// expect `rows_before` output lines while the pipe is open, then send `tail` and close.
fn stream_with_a_partial_line(
    args: &[&str],
    head: &str,
    rows_before: usize,
    tail: &str,
) -> Vec<String> {
    let (mut child, mut stdin, rx) = stream(args);
    stdin.write_all(head.as_bytes()).unwrap();
    stdin.flush().unwrap();
    let mut lines = Vec::new();
    for _ in 0..rows_before {
        let line = line_within(&rx, Duration::from_secs(60));
        lines.push(line.unwrap_or_else(|| panic!("held back behind a partial line: {lines:?}")));
    }
    stdin.write_all(tail.as_bytes()).unwrap();
    drop(stdin);
    lines.extend(rx.iter());
    assert_eq!(child.wait().unwrap().code(), Some(0));
    lines
}

#[test]
fn a_partial_line_on_a_pipe_holds_back_no_finished_row() {
    // JSON Lines: the second record arrives in two writes.
    let rows = stream_with_a_partial_line(
        &["--format", "jsonl"],
        &format!(
            "{{\"id\": \"r1\", \"text\": \"{}\"}}\n{{\"id\": \"r2\", \"te",
            TEXTS[0]
        ),
        1,
        &format!("xt\": \"{}\"}}\n", TEXTS[1]),
    );
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert!(rows[0].contains(r#""id":"r1""#) && rows[1].contains(r#""id":"r2""#));
    // CSV (the header, then a row; the next row's quoted field open over a line end).
    let rows = stream_with_a_partial_line(
        &["--text-column", "text"],
        &format!(
            "id,text\nr1,{}\nr2,\"The love\n",
            TEXTS[1].replace(',', ";")
        ),
        2,
        " triangle returns.\"\n",
    );
    assert_eq!(rows.len(), 3, "{rows:?}");
    assert!(
        rows[1].starts_with("r1,") && rows[2].starts_with("r2,"),
        "{rows:?}"
    );
    assert!(rows[2].contains("love-triangle"), "{rows:?}");
}

#[test]
fn an_interrupted_run_leaves_no_file_under_the_final_name() {
    let dir = tempdir();
    let out = dir.path().join("report.csv");
    let mut child = tropescope()
        .args(["batch", "-", "-o", out.to_str().unwrap()])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the binary runs");
    let mut stdin = child.stdin.take().unwrap();
    for i in 0..2000 {
        writeln!(stdin, r#"{{"id": "{i}", "text": "{}"}}"#, TEXTS[i % 2]).unwrap();
    }
    stdin.flush().unwrap();
    // The run is waiting for more input: it is mid-run when killed.
    let start = Instant::now();
    while start.elapsed() < Duration::from_millis(300) {
        assert!(child.try_wait().unwrap().is_none(), "still running");
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    drop(stdin);
    assert!(!out.exists(), "no partial output under the final name");

    // The same run allowed to finish does write it.
    let input: String = (0..20)
        .map(|i| format!("{{\"id\": \"{i}\", \"text\": \"{}\"}}\n", TEXTS[i % 2]))
        .collect();
    let o = run(
        &["batch", "-", "-o", out.to_str().unwrap()],
        Some(input.as_bytes()),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(read_csv(&out).1.len(), 20);
}

#[test]
fn ctrl_c_and_sigterm_remove_the_temporary_outputs() {
    for signal in ["INT", "TERM"] {
        let dir = tempdir();
        let out = dir.path().join("report.csv");
        let mentions = dir.path().join("mentions.csv");
        let mut child = tropescope()
            .args(["batch", "-", "-o", out.to_str().unwrap()])
            .args(["--mentions", mentions.to_str().unwrap()])
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the binary runs");
        let mut stdin = child.stdin.take().unwrap();
        writeln!(stdin, r#"{{"id": "1", "text": "{}"}}"#, TEXTS[1]).unwrap();
        stdin.flush().unwrap();
        // Mid-run: both temporary outputs exist and the run waits for more input.
        let files = || -> Vec<String> {
            std::fs::read_dir(dir.path())
                .unwrap()
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect()
        };
        let start = Instant::now();
        while files().len() < 2 {
            assert!(start.elapsed() < Duration::from_secs(60), "{:?}", files());
            assert!(child.try_wait().unwrap().is_none(), "still running");
            std::thread::sleep(Duration::from_millis(20));
        }
        assert!(files().iter().all(|f| f.starts_with(".tropescope-")));
        let killed = std::process::Command::new("sh")
            .args(["-c", &format!("kill -{signal} {}", child.id())])
            .status()
            .unwrap();
        assert!(killed.success());
        let o = child.wait_with_output().unwrap();
        drop(stdin);
        assert_eq!(o.status.code(), Some(130), "SIG{signal}");
        assert!(stderr(&o).contains("interrupted"), "{}", stderr(&o));
        assert_eq!(files(), Vec::<String>::new(), "SIG{signal}: nothing left");
    }
}

#[test]
fn empty_standard_input_is_no_records() {
    // An engine's empty partition: no rows, exit 0.
    let o = run(&["batch", "-", "-o", "-", "--format", "jsonl"], Some(b""));
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stdout(&o), "");
    assert!(
        stderr(&o).contains("0 read, 0 ok, 0 error"),
        "{}",
        stderr(&o)
    );
}

/// Regression: `-o /dev/null` once renamed a temporary file over the device, turning
/// `/dev/null` into a regular file for the whole machine.
#[test]
fn output_to_dev_null_leaves_the_device_alone() {
    use std::os::unix::fs::FileTypeExt;
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("r.txt");
    std::fs::write(&input, "He grabs her wrist.").unwrap();
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_tropescope"))
        .args([
            "batch",
            input.to_str().unwrap(),
            "-o",
            "/dev/null",
            "--mentions",
            "/dev/null",
        ])
        .status()
        .unwrap();
    assert!(status.success());
    assert!(std::fs::metadata("/dev/null")
        .unwrap()
        .file_type()
        .is_char_device());
}

/// A pipe hands over 64 KiB at a time, and a slow writer less: standard input is judged
/// JSON Lines or one document from its whole first line, not from the first read.
#[test]
fn standard_input_json_lines_with_a_long_or_slow_first_line() {
    let long = format!(
        "{{\"id\": \"big\", \"text\": \"{}\"}}\n{{\"id\": \"r2\", \"text\": \"Amnesia again.\"}}\n",
        "No love triangle here. ".repeat(4000)
    );
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_tropescope"))
        .args(["batch", "-", "-o", "-", "--format", "jsonl"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    // The first record in two writes with a pause between: the first read is a part.
    let (head, tail) = long.split_at(30_000);
    stdin.write_all(head.as_bytes()).unwrap();
    stdin.flush().unwrap();
    std::thread::sleep(Duration::from_millis(300));
    stdin.write_all(tail.as_bytes()).unwrap();
    drop(stdin);
    let o = child.wait_with_output().unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let ids: Vec<String> = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["id"].to_string())
        .collect();
    assert_eq!(ids, ["\"big\"", "\"r2\""]);
    // Blank lines and a byte-order mark before the first record are no document.
    let o = run(
        &["batch", "-", "-o", "-", "--format", "jsonl"],
        Some(b"\xef\xbb\xbf\n\n{\"id\": \"a\", \"text\": \"No amnesia.\"}\n{\"id\": \"b\", \"text\": \"x\"}\n"),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stdout(&o).lines().count(), 2, "{}", stdout(&o));
}

/// Outputs that would lose data or fail only at the end are refused before any work.
#[test]
fn outputs_that_would_lose_data_are_refused_up_front() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("r.txt");
    std::fs::write(&input, "He grabs her wrist.").unwrap();
    let input = input.to_str().unwrap();
    let out = dir.path().join("out.csv");
    let out = out.to_str().unwrap();
    let same = format!("{}/./out.csv", dir.path().display());
    let folder = dir.path().to_str().unwrap();
    let cases: [(&[&str], &str); 5] = [
        (&["-o", folder], "is a folder"),
        (&["-o", out, "--mentions", &same], "are the same file"),
        (&["-o", "-", "--mentions", "-"], "both standard output"),
        (&["-o", input], "is an input too"),
        (&["-o", out, "--jobs", "100000"], "at most 1024"),
    ];
    for (args, message) in cases {
        let mut all = vec!["batch", input];
        all.extend_from_slice(args);
        let o = run(&all, None);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(stderr(&o).contains(message), "{args:?}: {}", stderr(&o));
    }
    assert_eq!(
        std::fs::read_to_string(input).unwrap(),
        "He grabs her wrist."
    );
    assert!(!std::path::Path::new(out).exists());
}

/// The report is not left private (the temporary file's 0600): a new one gets 0644, one
/// written over an old report keeps that report's mode.
#[test]
fn outputs_get_a_readable_mode_or_the_replaced_files() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("r.txt");
    std::fs::write(&input, "He grabs her wrist.").unwrap();
    let (new, old) = (dir.path().join("new.csv"), dir.path().join("old.csv"));
    std::fs::write(&old, "x").unwrap();
    std::fs::set_permissions(&old, std::fs::Permissions::from_mode(0o664)).unwrap();
    for out in [&new, &old] {
        let o = run(
            &[
                "batch",
                input.to_str().unwrap(),
                "-o",
                out.to_str().unwrap(),
            ],
            None,
        );
        assert!(o.status.success(), "{}", stderr(&o));
    }
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&new), 0o644);
    assert_eq!(mode(&old), 0o664);
}
