//! Listing a folder without following symbolic links.

use std::io;
use std::path::{Path, PathBuf};

/// What is at a path, as `symlink_metadata` sees it: a link is a link,
/// whatever it points to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A regular file.
    File,
    /// A folder.
    Dir,
    /// A symbolic link (never followed).
    Symlink,
    /// Anything else: a FIFO, a socket, a device.
    Other,
}

impl Kind {
    /// `a folder`, `a symbolic link`, ...: for messages.
    pub fn describe(self) -> &'static str {
        match self {
            Kind::File => "a file",
            Kind::Dir => "a folder",
            Kind::Symlink => "a symbolic link",
            Kind::Other => "not a regular file",
        }
    }

    fn of(t: std::fs::FileType) -> Kind {
        if t.is_symlink() {
            Kind::Symlink
        } else if t.is_dir() {
            Kind::Dir
        } else if t.is_file() {
            Kind::File
        } else {
            Kind::Other
        }
    }
}

/// One entry of a folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Path relative to the folder walked.
    pub rel: PathBuf,
    /// What it is.
    pub kind: Kind,
    /// Whether its permissions have no write bit.
    pub readonly: bool,
}

/// What is at `path` without following a link there, and whether it is
/// read-only; `None` if nothing is.
pub fn kind_of(path: &Path) -> io::Result<Option<(Kind, bool)>> {
    match std::fs::symlink_metadata(path) {
        Ok(m) => Ok(Some((Kind::of(m.file_type()), m.permissions().readonly()))),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

/// Every entry under `root` (not `root` itself), in path order, never
/// following a symbolic link: a link is listed as [`Kind::Symlink`] and
/// not entered. A folder for which `skip(rel)` is true is neither listed
/// nor entered. A missing `root` has no entries.
pub fn walk(root: &Path, skip: &dyn Fn(&Path) -> bool) -> io::Result<Vec<Entry>> {
    let mut out = Vec::new();
    walk_each(root, skip, &mut |e| {
        out.push(e);
        Ok(true)
    })?;
    Ok(out)
}

/// [`walk`], handing each entry to `visit` as it is found; the walk
/// stops when `visit` returns `false`.
pub fn walk_each(
    root: &Path,
    skip: &dyn Fn(&Path) -> bool,
    visit: &mut dyn FnMut(Entry) -> io::Result<bool>,
) -> io::Result<()> {
    match std::fs::symlink_metadata(root) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(context(e, root)),
        Ok(m) if !m.is_dir() => {
            return Err(io::Error::new(
                io::ErrorKind::NotADirectory,
                format!(
                    "{} is {}, not a folder",
                    root.display(),
                    Kind::of(m.file_type()).describe()
                ),
            ));
        }
        Ok(_) => {}
    }
    collect(root, Path::new(""), skip, visit).map(|_| ())
}

/// Returns whether to go on.
fn collect(
    root: &Path,
    rel: &Path,
    skip: &dyn Fn(&Path) -> bool,
    visit: &mut dyn FnMut(Entry) -> io::Result<bool>,
) -> io::Result<bool> {
    let dir = root.join(rel);
    let mut entries = Vec::new();
    for e in std::fs::read_dir(&dir).map_err(|e| context(e, &dir))? {
        let e = e.map_err(|e| context(e, &dir))?;
        let kind = Kind::of(e.file_type().map_err(|err| context(err, &e.path()))?);
        entries.push((rel.join(e.file_name()), kind));
    }
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    for (rel, kind) in entries {
        if kind == Kind::Dir && skip(&rel) {
            continue;
        }
        let path = root.join(&rel);
        let readonly = std::fs::symlink_metadata(&path)
            .map_err(|e| context(e, &path))?
            .permissions()
            .readonly();
        let go_on = visit(Entry {
            rel: rel.clone(),
            kind,
            readonly,
        })?;
        if !go_on || (kind == Kind::Dir && !collect(root, &rel, skip, visit)?) {
            return Ok(false);
        }
    }
    Ok(true)
}

/// Keeps the kind of an I/O error and names the path.
pub(crate) fn context(e: io::Error, path: &Path) -> io::Error {
    io::Error::new(e.kind(), format!("{}: {e}", path.display()))
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn links_are_listed_not_followed() {
        let tmp = tempfile::tempdir().unwrap();
        let (root, other) = (tmp.path().join("root"), tmp.path().join("other"));
        std::fs::create_dir_all(root.join("src")).unwrap();
        std::fs::create_dir_all(other.join("deep")).unwrap();
        std::fs::write(other.join("deep/x.rs"), "").unwrap();
        std::fs::write(root.join("src/lib.rs"), "").unwrap();
        std::os::unix::fs::symlink(&other, root.join("src/link")).unwrap();
        std::fs::create_dir_all(root.join("target/debug")).unwrap();
        let entries = walk(&root, &|rel| rel == Path::new("target")).unwrap();
        let listed: Vec<_> = entries
            .iter()
            .map(|e| (e.rel.to_str().unwrap(), e.kind))
            .collect();
        assert_eq!(
            listed,
            [
                ("src", Kind::Dir),
                ("src/lib.rs", Kind::File),
                ("src/link", Kind::Symlink)
            ]
        );
        assert!(
            walk(&tmp.path().join("missing"), &|_| false)
                .unwrap()
                .is_empty()
        );
        assert!(walk(&root.join("src/lib.rs"), &|_| false).is_err());
    }
}
