//! `--glob`: shell-style patterns for the files a folder walk keeps.
//!
//! A pattern without `/` is matched against the file name (`*.txt`), one with `/` against
//! the path below the folder given on the command line (`reviews/**/*.html`). `*` and `?`
//! stay within one path component, `**` crosses components, `[abc]`/`[!a-z]` are classes and
//! `{txt,md}` alternatives. Patterns are translated to one anchored regex, compiled once.

use regex::Regex;

use crate::error::{Error, Result};

/// A compiled `--glob` pattern.
#[derive(Clone, Debug)]
pub(crate) struct Glob {
    regex: Regex,
    whole_path: bool,
}

impl Glob {
    /// Compile `pattern`.
    pub(crate) fn new(pattern: &str) -> Result<Glob> {
        let bad = |why: &str| Error::input(format!("invalid --glob {pattern:?}: {why}"));
        let mut re = String::from("^");
        let mut chars = pattern.chars().peekable();
        let mut in_alt = 0usize;
        while let Some(c) = chars.next() {
            match c {
                '*' if chars.peek() == Some(&'*') => {
                    chars.next();
                    if chars.peek() == Some(&'/') {
                        chars.next();
                        re.push_str("(?:.*/)?");
                    } else {
                        re.push_str(".*");
                    }
                }
                '*' => re.push_str("[^/]*"),
                '?' => re.push_str("[^/]"),
                '[' => {
                    re.push('[');
                    if matches!(chars.peek(), Some('!' | '^')) {
                        chars.next();
                        re.push('^');
                    }
                    let mut closed = false;
                    let mut first = true;
                    for c in chars.by_ref() {
                        match c {
                            ']' if !first => {
                                closed = true;
                                break;
                            }
                            '\\' | '[' | ']' | '&' | '~' => {
                                re.push('\\');
                                re.push(c);
                            }
                            '-' => re.push('-'),
                            c => re.push_str(&regex::escape(c.encode_utf8(&mut [0; 4]))),
                        }
                        first = false;
                    }
                    if !closed {
                        return Err(bad("unclosed '['"));
                    }
                    re.push(']');
                }
                '{' => {
                    in_alt += 1;
                    re.push_str("(?:");
                }
                '}' if in_alt > 0 => {
                    in_alt -= 1;
                    re.push(')');
                }
                ',' if in_alt > 0 => re.push('|'),
                c => re.push_str(&regex::escape(c.encode_utf8(&mut [0; 4]))),
            }
        }
        if in_alt > 0 {
            return Err(bad("unclosed '{'"));
        }
        re.push('$');
        let regex = Regex::new(&re).map_err(|e| bad(&e.to_string()))?;
        Ok(Glob {
            regex,
            whole_path: pattern.contains('/'),
        })
    }

    /// Whether a file at `relative` (path below the walked folder, `/`-separated) matches.
    pub(crate) fn is_match(&self, relative: &str) -> bool {
        if self.whole_path {
            self.regex.is_match(relative)
        } else {
            let name = relative.rsplit('/').next().unwrap_or(relative);
            self.regex.is_match(name)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(pattern: &str, path: &str) -> bool {
        Glob::new(pattern).expect("compiles").is_match(path)
    }

    #[test]
    fn name_patterns_match_the_file_name_anywhere() {
        assert!(m("*.txt", "a/b/review.txt"));
        assert!(!m("*.txt", "a/b/review.html"));
        assert!(m("review-?.md", "x/review-1.md"));
        assert!(m("*.{txt,md}", "deep/notes.md"));
        assert!(m("[!.]*", "a/visible"));
        assert!(!m("[a-c]*", "a/dog"));
    }

    #[test]
    fn path_patterns_match_the_relative_path() {
        assert!(m("2024/**/*.html", "2024/jan/x/post.html"));
        assert!(m("2024/**/*.html", "2024/post.html"));
        assert!(!m("2024/*.html", "2024/jan/post.html"));
        assert!(!m("2024/*.html", "2023/post.html"));
    }

    #[test]
    fn regex_characters_are_literal() {
        assert!(m("a+b(1).txt", "a+b(1).txt"));
        assert!(!m("a.txt", "abtxt"));
    }

    #[test]
    fn broken_patterns_are_refused() {
        assert!(Glob::new("[abc").is_err());
        assert!(Glob::new("{a,b").is_err());
    }
}
