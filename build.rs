//! Embeds every `.toml` file under `lexicons/`, and the learned model `lexicons/learned.tsv`,
//! into the binary as the default lexicon.
//!
//! The generated file is a sorted list of `(relative path, include_str!(..))` pairs, so the
//! embedded set and a `--lexicon DIR` copy of it load through the same code and have the
//! same fingerprint.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The learned stage's model, the one lexicon file that is not TOML (see src/learned/model.rs).
const MODEL: &str = "learned.tsv";

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        // Hidden files are editors' lock and backup files, never lexicon files (as in
        // `read_dir_files`).
        if entry.file_name().as_encoded_bytes().starts_with(b".") {
            continue;
        }
        let path = entry.path();
        if path.is_dir() {
            collect(&path, out);
        } else if path.extension().is_some_and(|e| e == "toml")
            || (path.file_name().is_some_and(|n| n == MODEL)
                && path
                    .parent()
                    .and_then(Path::file_name)
                    .is_some_and(|n| n == "lexicons"))
        {
            out.push(path);
        }
    }
}

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let lexicons = root.join("lexicons");
    println!("cargo:rerun-if-changed=lexicons");
    let mut files = Vec::new();
    collect(&lexicons, &mut files);
    files.sort();
    let out =
        PathBuf::from(std::env::var("OUT_DIR").expect("set by cargo")).join("embedded_lexicon.rs");
    let mut f = fs::File::create(&out).expect("OUT_DIR is writable");
    writeln!(
        f,
        "/// The lexicon files compiled into the binary: (path relative to lexicons/, content)."
    )
    .unwrap();
    writeln!(f, "pub static FILES: &[(&str, &str)] = &[").unwrap();
    for path in &files {
        let rel = path
            .strip_prefix(&lexicons)
            .expect("collected below lexicons/");
        let rel = rel.to_string_lossy().replace('\\', "/");
        writeln!(
            f,
            "    ({rel:?}, include_str!({:?})),",
            path.display().to_string()
        )
        .unwrap();
    }
    writeln!(f, "];").unwrap();
}
