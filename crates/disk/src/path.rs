//! Paths as the file system sees them: absolute, with `.`, `..` and the
//! symbolic links of the part that exists resolved.

use std::io;
use std::path::{Component, Path, PathBuf};

/// `path` made absolute (against the current directory) and resolved: the
/// longest part that exists is canonicalised, so `generated/../generated`,
/// `./generated` and a link to `generated` are all the same folder; the
/// rest, which does not exist yet, is cleaned up lexically.
///
/// Fails on an empty path, and when a part that exists cannot be read.
pub fn normalize(path: &Path) -> io::Result<PathBuf> {
    if path.as_os_str().is_empty() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "the path is empty",
        ));
    }
    let absolute = std::path::absolute(path)?;
    let mut out = PathBuf::new();
    let mut exists = true;
    for c in absolute.components() {
        match c {
            Component::Prefix(_) | Component::RootDir => out.push(c),
            Component::CurDir => {}
            Component::ParentDir if exists => {
                out.push("..");
                out = out.canonicalize()?;
            }
            Component::ParentDir => {
                out.pop();
            }
            Component::Normal(name) => {
                out.push(name);
                if exists {
                    match out.canonicalize() {
                        Ok(real) => out = real,
                        Err(e) if e.kind() == io::ErrorKind::NotFound => exists = false,
                        Err(e) => return Err(e),
                    }
                }
            }
        }
    }
    Ok(out)
}

/// Whether one of two normalised paths is the other or inside it.
pub fn overlap(a: &Path, b: &Path) -> bool {
    a.starts_with(b) || b.starts_with(a)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_folder_however_it_is_written() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().canonicalize().unwrap();
        std::fs::create_dir_all(root.join("a/b")).unwrap();
        std::os::unix::fs::symlink(root.join("a/b"), root.join("link")).unwrap();
        let n = |p: &str| normalize(&root.join(p)).unwrap();
        assert_eq!(n("a/b"), root.join("a/b"));
        assert_eq!(n("a/./b/../b"), root.join("a/b"));
        assert_eq!(n("link"), root.join("a/b"));
        // Past what exists: lexical.
        assert_eq!(n("a/new/../other/x"), root.join("a/other/x"));
        assert_eq!(n("link/new"), root.join("a/b/new"));
        assert!(normalize(Path::new("")).is_err());
        assert!(overlap(&n("a"), &n("a/b/new")));
        assert!(overlap(&n("a/b"), &n("link")));
        assert!(!overlap(&n("a/b"), &n("a/bc")));
    }
}
