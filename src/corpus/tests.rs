use std::io::Write;
use std::path::{Path, PathBuf};

use super::*;

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).expect("write");
    p
}

fn read(inputs: &[PathBuf], opts: &CorpusOptions) -> Vec<Record> {
    open(inputs, opts).expect("opens").collect()
}

fn err(r: &Record) -> &str {
    r.article.as_ref().expect_err("an error record")
}

#[test]
fn csv_rows_with_ids_kept_columns_and_errors() {
    let dir = tempfile::tempdir().expect("temp dir");
    let csv = write(
        dir.path(),
        "r.csv",
        b"id,show,text\nr1,A,\"Two, with comma\"\nr2,B\nr3,C,\xff bad\nr4,D,   \nr5,E,fine words\n",
    );
    let opts = CorpusOptions {
        keep_columns: vec!["show".into(), "nope".into()],
        ..CorpusOptions::default()
    };
    let r = read(&[csv], &opts);
    assert_eq!(r.len(), 5);
    let ids: Vec<_> = r.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids, ["r1", "r2", "r3", "r4", "r5"]);
    assert_eq!(
        r.iter().map(|r| r.index).collect::<Vec<_>>(),
        [0, 1, 2, 3, 4]
    );
    assert_eq!(r[0].article.as_ref().expect("ok").text, "Two, with comma");
    assert_eq!(r[0].article.as_ref().expect("ok").id, "r1");
    assert_eq!(r[0].kept, ["A", ""]);
    assert!(r[0].source.ends_with("r.csv:2"), "{}", r[0].source);
    assert!(err(&r[1]).contains("r.csv:3: malformed CSV record: 2 fields where the header has 3"));
    assert!(
        err(&r[2]).contains("r.csv:4: invalid UTF-8"),
        "{}",
        err(&r[2])
    );
    assert!(err(&r[3]).contains("empty document"), "{}", err(&r[3]));
    assert!(r[4].article.is_ok());
}

#[test]
fn csv_without_the_text_column_is_one_error_naming_the_columns() {
    let dir = tempfile::tempdir().expect("temp dir");
    let csv = write(dir.path(), "r.csv", b"id,body\n1,x\n");
    let r = read(&[csv], &CorpusOptions::default());
    assert_eq!(r.len(), 1);
    assert!(err(&r[0]).contains("columns: id, body"), "{}", err(&r[0]));
    assert!(err(&r[0]).contains("--text-column"));
}

#[test]
fn json_lines_with_fields_paths_and_errors() {
    let dir = tempfile::tempdir().expect("temp dir");
    let jl = write(
        dir.path(),
        "r.jsonl",
        br#"{"id": 7, "meta": {"show": "A"}, "body": "Some words."}

{"id": "x", "body": 3}
{broken
[1, 2]
{"other": "y"}
{"id": "p", "content": {"rendered": "<p>A post.</p>"}}
"#,
    );
    let opts = CorpusOptions {
        text_field: Some("body".into()),
        keep_columns: vec!["meta.show".into()],
        ..CorpusOptions::default()
    };
    let r = read(&[jl], &opts);
    assert_eq!(r.len(), 6, "{r:#?}");
    assert_eq!(r[0].id, "7");
    assert_eq!(r[0].kept, ["A"]);
    assert!(r[0].source.ends_with("r.jsonl:1"));
    assert!(
        err(&r[1]).contains("field \"body\" is a number"),
        "{}",
        err(&r[1])
    );
    assert!(
        err(&r[2]).contains("r.jsonl:4: malformed JSON record"),
        "{}",
        err(&r[2])
    );
    assert!(err(&r[3]).contains("not a JSON object"), "{}", err(&r[3]));
    assert!(err(&r[4]).contains("no field \"body\""), "{}", err(&r[4]));
    assert_eq!(r[5].article.as_ref().expect("a post").text, "A post.");
    assert_eq!(r[5].id, "p");
}

#[test]
fn folders_files_and_missing_paths_in_order() {
    let dir = tempfile::tempdir().expect("temp dir");
    let d = dir.path();
    std::fs::create_dir(d.join("f")).expect("mkdir");
    write(d, "f/b.txt", b"Second.");
    write(d, "f/a.html", b"<p>First.</p>");
    write(d, "f/c.bin", b"PK\x03\x04\x00\x00");
    let one = write(d, "one.txt", b"Alone.");
    let r = read(
        &[d.join("f"), d.join("missing.txt"), one],
        &CorpusOptions::default(),
    );
    assert_eq!(r.len(), 5);
    assert_eq!(r[0].article.as_ref().expect("ok").text, "First.");
    assert_eq!(r[1].article.as_ref().expect("ok").text, "Second.");
    assert!(err(&r[2]).contains("binary"), "{}", err(&r[2]));
    assert!(
        err(&r[3]).contains("missing.txt: cannot read"),
        "{}",
        err(&r[3])
    );
    assert_eq!(r[4].article.as_ref().expect("ok").text, "Alone.");
}

#[test]
fn wordpress_export_gives_a_record_per_post() {
    let dir = tempfile::tempdir().expect("temp dir");
    let wp = write(
        dir.path(),
        "posts.json",
        br#"[{"id": 1, "content": {"rendered": "<p>One.</p>"}}, {"id": 2, "content": {"rendered": "<p>Two.</p>"}}]"#,
    );
    let r = read(&[wp], &CorpusOptions::default());
    assert_eq!(r.len(), 2);
    assert!(r[0].id.ends_with("posts.json#1"), "{}", r[0].id);
    assert_eq!(r[1].article.as_ref().expect("ok").text, "Two.");
}

#[test]
fn oversized_documents_are_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    let big = write(dir.path(), "big.txt", &[b'a'; 100]);
    let csv = write(
        dir.path(),
        "r.csv",
        format!("text\n{}\nok\n", "b".repeat(100)).as_bytes(),
    );
    let opts = CorpusOptions {
        max_bytes: 50,
        ..CorpusOptions::default()
    };
    let r = read(&[big, csv], &opts);
    assert_eq!(r.len(), 3);
    assert!(err(&r[0]).contains("oversized"), "{}", err(&r[0]));
    assert!(err(&r[1]).contains("r.csv:2: oversized"), "{}", err(&r[1]));
    assert!(r[2].article.is_ok());
}

#[test]
fn compressed_inputs_are_read_in_place() {
    let dir = tempfile::tempdir().expect("temp dir");
    let csv = b"id,text\na,First words.\nb,<p>Second<br />words.</p>\n";
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(csv).expect("gzip");
    let gz = write(dir.path(), "r.csv.gz", &gz.finish().expect("gzip"));
    let mut xz = xz2::write::XzEncoder::new(Vec::new(), 1);
    xz.write_all(csv).expect("xz");
    let xz = write(dir.path(), "r.csv.xz", &xz.finish().expect("xz"));
    let r = read(&[gz, xz], &CorpusOptions::default());
    assert_eq!(r.len(), 4);
    assert_eq!(r[3].article.as_ref().expect("ok").text, "Second\nwords.");
    assert!(r[2].source.ends_with("r.csv.xz:2"));
}

#[test]
fn bad_glob_is_an_option_error() {
    let opts = CorpusOptions {
        glob: Some("[x".into()),
        ..CorpusOptions::default()
    };
    assert!(open(&[PathBuf::from(".")], &opts).is_err());
}

#[test]
fn a_quote_that_never_closes_is_an_error_not_rows_lost_in_silence() {
    let dir = tempfile::tempdir().expect("temp dir");
    // One stray quote: the csv crate reads the rest of the file as one field.
    let csv = write(
        dir.path(),
        "r.csv",
        b"id,text\nr1,fine\nr2,\"stray quote\nr3,third\nr4,fourth\n",
    );
    // Doubled quotes inside a quoted field, and a quote inside an unquoted one, are fine.
    let ok = write(
        dir.path(),
        "ok.csv",
        b"id,text\nr1,\"She said \"\"no\"\", twice\"\nr2,a 5\" tall hero\nr3,\"\"\n",
    );
    let tsv = write(dir.path(), "q.tsv", b"id\ttext\nr1\t\"open\nr2\tx\n");
    let r = read(&[csv, ok, tsv], &CorpusOptions::default());
    let ids: Vec<_> = r.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids, ["r1", "r2", "r1", "r2", "r3", "r1"]);
    assert!(r[0].article.is_ok());
    assert!(
        err(&r[1]).contains("r.csv:3: a quoted field"),
        "{}",
        err(&r[1])
    );
    assert!(err(&r[1]).contains("never closes"), "{}", err(&r[1]));
    assert_eq!(
        r[2].article.as_ref().expect("ok").text,
        "She said \"no\", twice"
    );
    assert_eq!(r[3].article.as_ref().expect("ok").text, "a 5\" tall hero");
    assert!(err(&r[4]).contains("empty document"), "{}", err(&r[4]));
    assert!(err(&r[5]).contains("never closes"), "{}", err(&r[5]));
}

#[test]
fn one_bad_post_of_a_wordpress_export_is_one_error_row() {
    let dir = tempfile::tempdir().expect("temp dir");
    let posts = br#"[{"id": 1, "content": {"rendered": "<p>One.</p>"}}, {"id": 2, "content": {"rendered": "<img src=x.jpg>"}}, 5, {"id": 4, "content": {"rendered": "<p>Four.</p>"}}]"#;
    let wp = write(dir.path(), "posts.json", posts);
    // The same export on one line of a JSON Lines file.
    let mut line = posts.to_vec();
    line.push(b'\n');
    let jsonl = write(dir.path(), "posts.jsonl", &line);
    let r = read(&[wp, jsonl], &CorpusOptions::default());
    assert_eq!(r.len(), 8);
    for half in r.chunks(4) {
        assert_eq!(half[0].article.as_ref().expect("ok").text, "One.");
        assert!(
            err(&half[1]).contains("empty document"),
            "{}",
            err(&half[1])
        );
        assert!(err(&half[2]).contains("not an object"), "{}", err(&half[2]));
        assert_eq!(half[3].article.as_ref().expect("ok").text, "Four.");
    }
    assert!(r[1].id.ends_with("posts.json#2"), "{}", r[1].id);
}

#[test]
fn json_lines_bom_utf8_errors_and_arrays_under_text_field() {
    let dir = tempfile::tempdir().expect("temp dir");
    let jsonl = write(
        dir.path(),
        "r.jsonl",
        b"\xef\xbb\xbf{\"id\": \"a\", \"text\": \"First.\"}\r\n{\"id\": \"b\", \"text\": \"caf\xe9\"}\n[{\"id\": 7, \"content\": {\"rendered\": \"<p>x</p>\"}}]\n",
    );
    let r = read(std::slice::from_ref(&jsonl), &CorpusOptions::default());
    assert_eq!(r.len(), 3);
    assert_eq!(r[0].article.as_ref().expect("ok").text, "First.");
    assert!(
        err(&r[1]).contains("r.jsonl:2: invalid UTF-8 at byte"),
        "{}",
        err(&r[1])
    );
    assert!(r[2].article.is_ok(), "a post on a line is read as one");
    // `--text-field` says every line is a record with that field: an array is an error row.
    let opts = CorpusOptions {
        text_field: Some("text".into()),
        ..CorpusOptions::default()
    };
    let r = read(&[jsonl], &opts);
    assert_eq!(r.len(), 3);
    assert!(err(&r[2]).contains("not a JSON object"), "{}", err(&r[2]));
}

mod properties {
    use proptest::prelude::*;

    use super::*;

    /// Field text with what breaks CSV and JSON readers: quotes, delimiters, line ends,
    /// a BOM, non-ASCII.
    fn field() -> impl Strategy<Value = String> {
        prop::collection::vec(
            prop_oneof![
                Just("\"".to_string()),
                Just(",".to_string()),
                Just("\n".to_string()),
                Just("\r\n".to_string()),
                Just("\r".to_string()),
                Just("\t".to_string()),
                Just("\u{feff}".to_string()),
                Just("no amnesia".to_string()),
                "[a-z ]{1,6}",
                "\\PC{1,3}",
            ],
            0..8,
        )
        .prop_map(|v| v.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        /// Every row the csv crate writes is one record, in order, its id and kept value
        /// read back as written, its source the line it starts on (with `\n`, `\r\n` or
        /// `\r` line ends, and line ends inside quoted fields), its text a document or an
        /// error (an empty one).
        #[test]
        fn every_csv_row_is_one_record_on_its_line(
            rows in prop::collection::vec((field(), field()), 0..12),
            terminator in prop_oneof![
                Just(csv::Terminator::Any(b'\n')),
                Just(csv::Terminator::CRLF),
                Just(csv::Terminator::Any(b'\r')),
            ],
        ) {
            let dir = tempfile::tempdir().expect("temp dir");
            let mut w = csv::WriterBuilder::new().terminator(terminator).from_writer(Vec::new());
            w.write_record(["id", "show", "text"]).expect("header");
            let mut starts = Vec::new();
            for (i, (show, text)) in rows.iter().enumerate() {
                w.flush().expect("flush");
                starts.push(w.get_ref().len());
                w.write_record([format!("r{i}").as_str(), show, text]).expect("row");
            }
            let bytes = w.into_inner().expect("bytes");
            let csv = write(dir.path(), "p.csv", &bytes);
            let opts = CorpusOptions { keep_columns: vec!["show".into()], ..CorpusOptions::default() };
            let r = read(&[csv], &opts);
            prop_assert_eq!(r.len(), rows.len());
            for (i, (rec, (show, _))) in r.iter().zip(&rows).enumerate() {
                let before = &bytes[..starts[i]];
                let lone_cr = before.windows(2).filter(|w| w[0] == b'\r' && w[1] != b'\n').count()
                    + usize::from(before.last() == Some(&b'\r'));
                let line = before.iter().filter(|&&b| b == b'\n').count() + lone_cr + 1;
                prop_assert_eq!(&rec.id, &format!("r{i}"));
                prop_assert_eq!(rec.index, i as u64);
                prop_assert_eq!(&rec.kept[0], show);
                prop_assert!(rec.source.ends_with(&format!("p.csv:{line}")), "{} {}", rec.source, line);
            }
        }

        /// Every JSON object on a line is one record, in order, whatever its text holds.
        #[test]
        fn every_json_line_is_one_record(texts in prop::collection::vec(field(), 0..12)) {
            let dir = tempfile::tempdir().expect("temp dir");
            let mut lines = Vec::new();
            for (i, t) in texts.iter().enumerate() {
                let line = serde_json::json!({"id": format!("r{i}"), "text": t});
                lines.extend_from_slice(line.to_string().as_bytes());
                lines.push(b'\n');
            }
            let jsonl = write(dir.path(), "p.jsonl", &lines);
            let r = read(&[jsonl], &CorpusOptions::default());
            prop_assert_eq!(r.len(), texts.len());
            for (i, rec) in r.iter().enumerate() {
                prop_assert_eq!(&rec.id, &format!("r{i}"));
            }
        }

        /// Any bytes at all, as a CSV, a JSON Lines, a JSON and a text file: no panic, and
        /// every record names its source.
        #[test]
        fn any_bytes_in_any_container_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
            let dir = tempfile::tempdir().expect("temp dir");
            for name in ["p.csv", "p.tsv", "p.jsonl", "p.json", "p.txt"] {
                let path = write(dir.path(), name, &bytes);
                for text_field in [None, Some("text".to_string())] {
                    let opts = CorpusOptions { text_field, keep_columns: vec!["k".into()], ..CorpusOptions::default() };
                    for r in read(std::slice::from_ref(&path), &opts) {
                        prop_assert!(r.source.contains("p."), "{}", r.source);
                        prop_assert_eq!(r.kept.len(), 1);
                    }
                }
            }
        }
    }
}
