//! Expanding the command line's inputs into the files to read, in a stable order: each
//! input in the order given; a folder recursively, entries sorted by name, hidden entries
//! (names starting with `.`) skipped, files kept only when they match `--glob`.
//!
//! The walk is lazy (one folder's listing in memory at a time per level), so a folder of
//! millions of files costs its listing, not a list of the whole tree.

use std::collections::VecDeque;
use std::path::{Path, PathBuf};

use super::glob::Glob;

/// The next thing to read.
#[derive(Debug)]
pub(crate) enum Item {
    /// A file (from the command line or a folder).
    File(PathBuf),
    /// Standard input.
    Stdin,
    /// Something that cannot be read at all (a missing path, an unreadable folder).
    Unreadable { source: String, message: String },
}

struct Frame {
    root: PathBuf,
    entries: std::vec::IntoIter<PathBuf>,
}

/// Lazy walk over the inputs.
pub(crate) struct Walk {
    inputs: VecDeque<PathBuf>,
    stack: Vec<Frame>,
    glob: Option<Glob>,
    /// Symlinks to folders met inside a folder, not followed (a link can make a loop).
    pub(crate) linked_folders: Vec<PathBuf>,
}

impl Walk {
    pub(crate) fn new(inputs: &[PathBuf], glob: Option<Glob>) -> Walk {
        Walk {
            inputs: inputs.iter().cloned().collect(),
            stack: Vec::new(),
            glob,
            linked_folders: Vec::new(),
        }
    }

    /// Push a folder's sorted listing, or report why it cannot be listed.
    fn enter(&mut self, root: PathBuf, dir: &Path) -> Option<Item> {
        let listing = match std::fs::read_dir(dir) {
            Ok(l) => l,
            Err(e) => return Some(unreadable(dir, &format!("cannot read folder: {e}"))),
        };
        let mut entries = Vec::new();
        for entry in listing {
            match entry {
                Ok(e) if e.file_name().to_string_lossy().starts_with('.') => {}
                Ok(e) => entries.push(e.path()),
                Err(e) => return Some(unreadable(dir, &format!("cannot read folder: {e}"))),
            }
        }
        entries.sort();
        self.stack.push(Frame {
            root,
            entries: entries.into_iter(),
        });
        None
    }
}

fn unreadable(path: &Path, message: &str) -> Item {
    Item::Unreadable {
        source: path.display().to_string(),
        message: format!("{}: {message}", path.display()),
    }
}

impl Iterator for Walk {
    type Item = Item;

    fn next(&mut self) -> Option<Item> {
        loop {
            if let Some(frame) = self.stack.last_mut() {
                let Some(path) = frame.entries.next() else {
                    self.stack.pop();
                    continue;
                };
                let root = frame.root.clone();
                // Symlinked folders are not followed (no loops), but noted; symlinked files
                // are read.
                let meta = std::fs::symlink_metadata(&path);
                if meta.as_ref().is_ok_and(|m| m.is_dir()) {
                    if let Some(item) = self.enter(root, &path) {
                        return Some(item);
                    }
                    continue;
                }
                if meta.is_ok_and(|m| m.is_symlink())
                    && std::fs::metadata(&path).is_ok_and(|m| m.is_dir())
                {
                    self.linked_folders.push(path);
                    continue;
                }
                if let Some(glob) = &self.glob {
                    let relative = path.strip_prefix(&root).unwrap_or(&path);
                    let relative = relative.to_string_lossy().replace('\\', "/");
                    if !glob.is_match(&relative) {
                        continue;
                    }
                }
                return Some(Item::File(path));
            }
            let input = self.inputs.pop_front()?;
            if input.as_os_str() == "-" {
                return Some(Item::Stdin);
            }
            match std::fs::metadata(&input) {
                Ok(m) if m.is_dir() => {
                    if let Some(item) = self.enter(input.clone(), &input) {
                        return Some(item);
                    }
                }
                Ok(_) => return Some(Item::File(input)),
                Err(e) => return Some(unreadable(&input, &format!("cannot read: {e}"))),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(walk: &mut Walk, base: &Path) -> Vec<String> {
        walk.map(|i| match i {
            Item::File(p) => p
                .strip_prefix(base)
                .expect("below base")
                .display()
                .to_string(),
            Item::Stdin => "-".into(),
            Item::Unreadable { source, .. } => format!("!{source}"),
        })
        .collect()
    }

    #[test]
    fn folders_are_walked_sorted_recursively_with_glob() {
        let dir = tempfile::tempdir().expect("temp dir");
        let d = dir.path();
        for f in [
            "b.txt",
            "a/z.txt",
            "a/y.html",
            "a/b/c.txt",
            ".hidden.txt",
            "c.md",
        ] {
            let p = d.join(f);
            std::fs::create_dir_all(p.parent().expect("has parent")).expect("mkdir");
            std::fs::write(p, "x").expect("write");
        }
        let all = names(&mut Walk::new(&[d.to_path_buf()], None), d);
        assert_eq!(all, ["a/b/c.txt", "a/y.html", "a/z.txt", "b.txt", "c.md"]);
        let glob = Glob::new("*.txt").expect("glob");
        let txt = names(&mut Walk::new(&[d.to_path_buf()], Some(glob)), d);
        assert_eq!(txt, ["a/b/c.txt", "a/z.txt", "b.txt"]);
    }

    #[cfg(unix)]
    #[test]
    fn symlinked_folders_inside_a_folder_are_noted_not_followed() {
        let dir = tempfile::tempdir().expect("temp dir");
        let d = dir.path();
        std::fs::create_dir_all(d.join("c/real")).expect("mkdir");
        std::fs::write(d.join("c/real/a.txt"), "x").expect("write");
        std::fs::write(d.join("c/b.txt"), "x").expect("write");
        // A loop back to the top, and a link to a file (read as the file).
        std::os::unix::fs::symlink(d.join("c"), d.join("c/loop")).expect("symlink");
        std::os::unix::fs::symlink(d.join("c/b.txt"), d.join("c/link.txt")).expect("symlink");
        let mut walk = Walk::new(&[d.join("c")], None);
        let all = names(&mut walk, d);
        assert_eq!(all, ["c/b.txt", "c/link.txt", "c/real/a.txt"]);
        assert_eq!(walk.linked_folders, [d.join("c/loop")]);
    }

    #[test]
    fn missing_inputs_are_reported_in_place() {
        let walk = Walk::new(&[PathBuf::from("/nonexistent/tropescope")], None);
        let items: Vec<_> = walk.collect();
        assert!(
            matches!(&items[..], [Item::Unreadable { message, .. }] if message.contains("/nonexistent/tropescope"))
        );
    }
}
