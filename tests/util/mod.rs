//! Helpers shared by the integration tests: run the built binary, make temp files.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// The built `tropescope` binary, with the lexicon environment variable cleared.
pub fn tropescope() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_tropescope"));
    c.env_remove("TROPESCOPE_LEXICON").env_remove("NO_COLOR");
    c
}

/// Run with `args` and `stdin`, returning the output.
pub fn run(args: &[&str], stdin: Option<&[u8]>) -> Output {
    run_in(None, args, stdin)
}

/// [`run`] in the folder `dir` (this process's own when `None`).
pub fn run_in(dir: Option<&Path>, args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut c = tropescope();
    if let Some(dir) = dir {
        c.current_dir(dir);
    }
    c.args(args)
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = c.spawn().expect("the binary runs");
    if let Some(input) = stdin {
        use std::io::Write;
        let mut s = child.stdin.take().expect("piped");
        // The child may exit before reading everything (too large): ignore a broken pipe.
        let _ = s.write_all(input);
    }
    child.wait_with_output().expect("the binary finishes")
}

/// Standard output as text.
pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Standard error as text.
pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A fresh temporary folder.
pub fn tempdir() -> tempfile::TempDir {
    tempfile::tempdir().expect("temp dir")
}

/// Write `bytes` to `dir/name` and return the path.
pub fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).expect("write test file");
    p
}

/// The project root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `../shared` beside the checkout, if present.
pub fn shared() -> Option<PathBuf> {
    let p = root().join("../shared");
    p.join("acceptance/seeds.jsonl").is_file().then_some(p)
}
