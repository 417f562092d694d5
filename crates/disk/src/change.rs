//! Changes to files, made all or nothing.
//!
//! [`prepare`] checks every change before anything is touched: the folders
//! on the way must be real folders (never links), the target must be a
//! regular file or missing, and nothing that must change may be read-only.
//! [`Prepared::apply`] then works in two phases. First every new file is
//! written beside its target as a temporary file (this is where a full
//! disk fails); then files to replace or remove are renamed aside and the
//! temporary files renamed into place. If any step fails, every step done
//! is undone in reverse order with renames and removals only, so undoing
//! needs no space; the backups are removed only once all succeeded.
//! Every step goes through [`Fs`], so a test can make the n-th one fail.

use crate::walk::{Kind, context, kind_of};
use std::collections::BTreeMap;
use std::ffi::OsString;
use std::fs::Permissions;
use std::io;
use std::path::{Component, Path, PathBuf};

/// One file to write or remove.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// The folder the change is confined to: every folder between it and
    /// the target must be a real folder, never a link.
    pub root: PathBuf,
    /// The target, relative to `root`; plain names only (no `..`).
    pub rel: PathBuf,
    /// The new contents, or `None` to remove the file.
    pub new: Option<Vec<u8>>,
}

impl Change {
    /// Write `bytes` to `root/rel`.
    pub fn write(root: &Path, rel: impl Into<PathBuf>, bytes: impl Into<Vec<u8>>) -> Change {
        Change {
            root: root.to_path_buf(),
            rel: rel.into(),
            new: Some(bytes.into()),
        }
    }

    /// Remove `root/rel`.
    pub fn remove(root: &Path, rel: impl Into<PathBuf>) -> Change {
        Change {
            root: root.to_path_buf(),
            rel: rel.into(),
            new: None,
        }
    }

    /// `root/rel`.
    pub fn path(&self) -> PathBuf {
        self.root.join(&self.rel)
    }
}

/// Why a set of changes cannot be made, found before anything changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Where.
    pub path: PathBuf,
    /// What, as the end of a sentence that starts with the path.
    pub what: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.path.display(), self.what)
    }
}

/// The file operations [`Prepared::apply`] uses; [`RealFs`] does them.
pub trait Fs {
    /// Creates one folder (its parent exists).
    fn create_dir(&mut self, path: &Path) -> io::Result<()>;
    /// Creates a new file with these bytes; fails if anything is at `path`.
    fn write_new(&mut self, path: &Path, bytes: &[u8]) -> io::Result<()>;
    /// Sets a file's permissions.
    fn set_permissions(&mut self, path: &Path, permissions: Permissions) -> io::Result<()>;
    /// Renames a file, replacing what is at `to`.
    fn rename(&mut self, from: &Path, to: &Path) -> io::Result<()>;
    /// Removes a file (a link itself, never what it points to).
    fn remove_file(&mut self, path: &Path) -> io::Result<()>;
    /// Removes an empty folder.
    fn remove_dir(&mut self, path: &Path) -> io::Result<()>;
}

/// The real file system.
#[derive(Debug, Default, Clone, Copy)]
pub struct RealFs;

impl Fs for RealFs {
    fn create_dir(&mut self, path: &Path) -> io::Result<()> {
        std::fs::create_dir(path)
    }

    fn write_new(&mut self, path: &Path, bytes: &[u8]) -> io::Result<()> {
        use std::io::Write as _;
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(path)?;
        let written = file.write_all(bytes);
        drop(file);
        if written.is_err() {
            // A file half written (a full disk) is not left behind.
            let _ = std::fs::remove_file(path);
        }
        written
    }

    fn set_permissions(&mut self, path: &Path, permissions: Permissions) -> io::Result<()> {
        std::fs::set_permissions(path, permissions)
    }

    fn rename(&mut self, from: &Path, to: &Path) -> io::Result<()> {
        std::fs::rename(from, to)
    }

    fn remove_file(&mut self, path: &Path) -> io::Result<()> {
        std::fs::remove_file(path)
    }

    fn remove_dir(&mut self, path: &Path) -> io::Result<()> {
        std::fs::remove_dir(path)
    }
}

/// File names ending like this are this crate's temporary files and
/// backups (`.<name>.<pid>-<n>.xtask-tmp`, `….xtask-old`); they exist only
/// while a change is applied, unless the process was killed.
pub const LEFTOVER_SUFFIXES: [&str; 2] = [".xtask-tmp", ".xtask-old"];

#[derive(Debug)]
struct Step {
    target: PathBuf,
    new: Option<Vec<u8>>,
    /// The permissions of the file there now, if there is one.
    old: Option<Permissions>,
    temp: PathBuf,
    backup: PathBuf,
}

/// Changes that passed every check, ready to apply.
#[derive(Debug)]
pub struct Prepared {
    dirs: Vec<PathBuf>,
    steps: Vec<Step>,
}

/// Checks every change and collects every problem; nothing is changed.
/// A removal of a file that is not there is dropped.
pub fn prepare(changes: Vec<Change>) -> Result<Prepared, Vec<Problem>> {
    let mut problems = Vec::new();
    let mut problem = |path: &Path, what: String| {
        let p = Problem {
            path: path.to_path_buf(),
            what,
        };
        if !problems.contains(&p) {
            problems.push(p);
        }
    };
    let mut kinds = Kinds::default();
    let mut kind = |path: &Path| kinds.get(path);
    let mut dirs: Vec<PathBuf> = Vec::new();
    let mut steps = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    let mut names = Names::default();
    'changes: for c in changes {
        let target = c.path();
        if c.rel.as_os_str().is_empty()
            || !c
                .rel
                .components()
                .all(|x| matches!(x, Component::Normal(_)))
        {
            problem(&target, "is not a plain path inside its folder".into());
            continue;
        }
        if !seen.insert(target.clone()) {
            problem(&target, "is changed twice (a bug in the caller)".into());
            continue;
        }
        // The folders from the root down to the target's parent.
        let mut chain = vec![c.root.clone()];
        if let Some(parent) = c.rel.parent() {
            for part in parent.components() {
                let next = chain[chain.len() - 1].join(part);
                chain.push(next);
            }
        }
        let mut missing = false;
        // The folder in which an entry is created, renamed or removed.
        let mut changed_in: Option<(PathBuf, bool)> = None;
        for (i, dir) in chain.iter().enumerate() {
            if missing {
                if !dirs.contains(dir) {
                    dirs.push(dir.clone());
                }
                continue;
            }
            match kind(dir) {
                Err(e) => {
                    problem(dir, format!("cannot be read: {e}"));
                    continue 'changes;
                }
                Ok(None) => {
                    missing = true;
                    if i == 0 {
                        // The root is new: its nearest existing ancestor
                        // gets the first folder (links above the root are
                        // the caller's business, so they are followed).
                        let above: Vec<&Path> = c.root.ancestors().skip(1).collect();
                        let at = above.iter().position(|a| a.exists());
                        match at.map(|i| above[i]) {
                            Some(a) if a.is_dir() => {
                                let ro = std::fs::metadata(a)
                                    .map(|m| m.permissions().readonly())
                                    .unwrap_or(false);
                                changed_in = Some((a.to_path_buf(), ro));
                            }
                            Some(a) => {
                                problem(a, "is not a folder".into());
                                continue 'changes;
                            }
                            None => {}
                        }
                        let missing_above = &above[..at.unwrap_or(above.len())];
                        for a in missing_above.iter().rev() {
                            if !dirs.iter().any(|d| d == a) {
                                dirs.push(a.to_path_buf());
                            }
                        }
                    }
                    if !dirs.contains(dir) {
                        dirs.push(dir.clone());
                    }
                }
                Ok(Some((Kind::Dir, ro))) => changed_in = Some((dir.clone(), ro)),
                Ok(Some((k, _))) => {
                    let links = if k == Kind::Symlink {
                        "; links are never followed"
                    } else {
                        ""
                    };
                    problem(
                        dir,
                        format!("is {} where a folder must be{links}", k.describe()),
                    );
                    continue 'changes;
                }
            }
        }
        if let Some((dir, true)) = &changed_in {
            problem(dir, "is a read-only folder".into());
            continue;
        }
        let doing = if c.new.is_some() {
            "written"
        } else {
            "removed"
        };
        let old = match if missing { Ok(None) } else { kind(&target) } {
            Err(e) => {
                problem(&target, format!("cannot be read: {e}"));
                continue;
            }
            Ok(None) if c.new.is_none() => continue,
            Ok(None) => None,
            Ok(Some((Kind::File, true))) => {
                problem(&target, "is read-only".into());
                continue;
            }
            Ok(Some((Kind::File, false))) => match std::fs::symlink_metadata(&target) {
                Ok(m) => Some(m.permissions()),
                Err(e) => {
                    problem(&target, format!("cannot be read: {e}"));
                    continue;
                }
            },
            Ok(Some((Kind::Symlink, _))) => {
                problem(
                    &target,
                    format!(
                        "is a symbolic link where a file must be {doing}; links are never written through or replaced"
                    ),
                );
                continue;
            }
            Ok(Some((k, _))) => {
                problem(
                    &target,
                    format!("is {} where a file must be {doing}", k.describe()),
                );
                continue;
            }
        };
        let (temp, backup) = match names.pick(&target, &mut kind) {
            Ok(n) => n,
            Err(e) => {
                problem(&target, format!("cannot be prepared: {e}"));
                continue;
            }
        };
        steps.push(Step {
            target,
            new: c.new,
            old,
            temp,
            backup,
        });
    }
    if problems.is_empty() {
        Ok(Prepared { dirs, steps })
    } else {
        Err(problems)
    }
}

/// What is at a path and whether it is read-only; `None` if nothing is.
type Found = Option<(Kind, bool)>;

/// [`kind_of`], asked once per path.
#[derive(Default)]
struct Kinds(BTreeMap<PathBuf, Found>);

impl Kinds {
    fn get(&mut self, path: &Path) -> io::Result<Found> {
        if let Some(k) = self.0.get(path) {
            return Ok(*k);
        }
        let k = kind_of(path)?;
        self.0.insert(path.to_path_buf(), k);
        Ok(k)
    }
}

/// Temporary and backup names beside each target that nothing uses.
#[derive(Default)]
struct Names {
    n: usize,
}

impl Names {
    fn pick(
        &mut self,
        target: &Path,
        kind: &mut dyn FnMut(&Path) -> io::Result<Found>,
    ) -> io::Result<(PathBuf, PathBuf)> {
        let name = target.file_name().unwrap_or_default();
        let pid = std::process::id();
        loop {
            self.n += 1;
            let beside = |suffix: &str| {
                let mut s = OsString::from(".");
                s.push(name);
                s.push(format!(".{pid}-{}{suffix}", self.n));
                target.with_file_name(s)
            };
            let (temp, backup) = (beside(LEFTOVER_SUFFIXES[0]), beside(LEFTOVER_SUFFIXES[1]));
            if kind(&temp)?.is_none() && kind(&backup)?.is_none() {
                return Ok((temp, backup));
            }
        }
    }
}

/// What was done, to undo it.
enum Done<'a> {
    Dir(&'a Path),
    Staged(&'a Path),
    Aside { target: &'a Path, backup: &'a Path },
    Placed { temp: &'a Path, target: &'a Path },
}

/// A change set that failed part-way; what was done has been undone,
/// except for `unrestored`.
#[derive(Debug)]
pub struct Failed {
    /// The step that failed.
    pub error: io::Error,
    /// Paths that could not be put back, and why.
    pub unrestored: Vec<(PathBuf, io::Error)>,
}

impl std::fmt::Display for Failed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.error)?;
        if self.unrestored.is_empty() {
            return write!(f, "; every change was undone");
        }
        write!(f, "; undoing failed, check these paths by hand:")?;
        for (path, e) in &self.unrestored {
            write!(f, "\n  {}: {e}", path.display())?;
        }
        Ok(())
    }
}

impl std::error::Error for Failed {}

/// A change set that was applied.
#[derive(Debug, Default)]
pub struct Applied {
    /// How many files were written or removed.
    pub changed: usize,
    /// Backups that could not be removed afterwards (the changes stand).
    pub leftovers: Vec<(PathBuf, io::Error)>,
}

impl Prepared {
    /// How many files this writes or removes.
    pub fn len(&self) -> usize {
        self.steps.len()
    }

    /// Whether there is nothing to do.
    pub fn is_empty(&self) -> bool {
        self.steps.is_empty()
    }

    /// The files written or removed, in order.
    pub fn targets(&self) -> impl Iterator<Item = &Path> {
        self.steps.iter().map(|s| s.target.as_path())
    }

    /// Applies every change, or none (see the module docs).
    pub fn apply(&self, fs: &mut dyn Fs) -> Result<Applied, Failed> {
        let mut done = Vec::new();
        match self.forward(fs, &mut done) {
            Ok(()) => {
                let mut leftovers = Vec::new();
                for s in self.steps.iter().filter(|s| s.old.is_some()) {
                    if let Err(e) = fs.remove_file(&s.backup) {
                        leftovers.push((s.backup.clone(), e));
                    }
                }
                Ok(Applied {
                    changed: self.steps.len(),
                    leftovers,
                })
            }
            Err(error) => {
                let mut unrestored = Vec::new();
                for d in done.into_iter().rev() {
                    let (path, result) = match d {
                        Done::Dir(dir) => (dir, fs.remove_dir(dir)),
                        Done::Staged(temp) => (temp, fs.remove_file(temp)),
                        Done::Aside { target, backup } => (target, fs.rename(backup, target)),
                        Done::Placed { temp, target } => (target, fs.rename(target, temp)),
                    };
                    if let Err(e) = result {
                        unrestored.push((path.to_path_buf(), e));
                    }
                }
                Err(Failed { error, unrestored })
            }
        }
    }

    fn forward<'a>(&'a self, fs: &mut dyn Fs, done: &mut Vec<Done<'a>>) -> io::Result<()> {
        let doing = |what: &str, path: &Path| {
            let what = what.to_string();
            let path = path.to_path_buf();
            move |e: io::Error| context(io::Error::new(e.kind(), format!("{what}: {e}")), &path)
        };
        for dir in &self.dirs {
            fs.create_dir(dir)
                .map_err(doing("creating the folder", dir))?;
            done.push(Done::Dir(dir));
        }
        for s in &self.steps {
            if let Some(bytes) = &s.new {
                fs.write_new(&s.temp, bytes)
                    .map_err(doing("writing", &s.target))?;
                done.push(Done::Staged(&s.temp));
                if let Some(p) = &s.old {
                    fs.set_permissions(&s.temp, p.clone())
                        .map_err(doing("keeping the permissions", &s.target))?;
                }
            }
        }
        for s in self.steps.iter().filter(|s| s.old.is_some()) {
            fs.rename(&s.target, &s.backup)
                .map_err(doing("moving aside", &s.target))?;
            done.push(Done::Aside {
                target: &s.target,
                backup: &s.backup,
            });
        }
        for s in self.steps.iter().filter(|s| s.new.is_some()) {
            fs.rename(&s.temp, &s.target)
                .map_err(doing("writing", &s.target))?;
            done.push(Done::Placed {
                temp: &s.temp,
                target: &s.target,
            });
        }
        Ok(())
    }
}

/// An [`Fs`] for tests: the real file system, except that the `n`-th
/// operation (counting from 1) fails, or with `from_then_on` every
/// `write_new` from the `n`-th operation on (a disk that filled up).
#[derive(Debug, Clone)]
pub struct FailingFs {
    /// The operation that fails.
    pub n: usize,
    /// Whether every later write fails too.
    pub from_then_on: bool,
    /// Operations so far.
    pub count: usize,
}

impl FailingFs {
    /// Fails the `n`-th operation only.
    pub fn nth(n: usize) -> FailingFs {
        FailingFs {
            n,
            from_then_on: false,
            count: 0,
        }
    }

    /// Fails every write from the `n`-th operation on, as a full disk does.
    pub fn full_disk_at(n: usize) -> FailingFs {
        FailingFs {
            n,
            from_then_on: true,
            count: 0,
        }
    }

    fn tick(&mut self, write: bool) -> io::Result<()> {
        self.count += 1;
        let fails = if self.from_then_on {
            write && self.count >= self.n
        } else {
            self.count == self.n
        };
        if fails {
            Err(io::Error::new(
                io::ErrorKind::StorageFull,
                format!("injected failure of operation {}", self.count),
            ))
        } else {
            Ok(())
        }
    }
}

impl Fs for FailingFs {
    fn create_dir(&mut self, path: &Path) -> io::Result<()> {
        self.tick(true)?;
        RealFs.create_dir(path)
    }

    fn write_new(&mut self, path: &Path, bytes: &[u8]) -> io::Result<()> {
        self.tick(true)?;
        RealFs.write_new(path, bytes)
    }

    fn set_permissions(&mut self, path: &Path, permissions: Permissions) -> io::Result<()> {
        self.tick(false)?;
        RealFs.set_permissions(path, permissions)
    }

    fn rename(&mut self, from: &Path, to: &Path) -> io::Result<()> {
        self.tick(false)?;
        RealFs.rename(from, to)
    }

    fn remove_file(&mut self, path: &Path) -> io::Result<()> {
        self.tick(false)?;
        RealFs.remove_file(path)
    }

    fn remove_dir(&mut self, path: &Path) -> io::Result<()> {
        self.tick(false)?;
        RealFs.remove_dir(path)
    }
}
