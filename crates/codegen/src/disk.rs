//! The last stage: generated files -> an output folder, touching only what
//! changed.

use crate::{File, HEADER};
use std::io;
use std::path::{Path, PathBuf};

/// One change to make on disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// Write a file that is missing or differs (an index into the files).
    Write(usize),
    /// Remove a generated file that nothing produces any more.
    Remove(PathBuf),
}

impl Change {
    /// `path differs from what codegen produces`, for `--check`.
    pub fn describe(&self, out: &Path, files: &[File]) -> String {
        match self {
            Change::Write(i) => format!(
                "{} differs from what codegen produces",
                out.join(&files[*i].path).display()
            ),
            Change::Remove(path) => format!("{} is no longer generated", path.display()),
        }
    }
}

/// Compares the files with `out`. `\r\n` on disk counts as `\n`, so a
/// checkout with autocrlf is not stale. Generated Rust files no longer
/// produced are removed; only files that carry the header ever are, so
/// nothing hand-written is lost.
pub fn plan(out: &Path, files: &[File]) -> io::Result<Vec<Change>> {
    let mut changes = Vec::new();
    for (i, f) in files.iter().enumerate() {
        let current = std::fs::read_to_string(out.join(&f.path))
            .ok()
            .map(|s| s.replace("\r\n", "\n"));
        if current.as_deref() != Some(f.contents.as_str()) {
            changes.push(Change::Write(i));
        }
    }
    let wanted: std::collections::BTreeSet<PathBuf> =
        files.iter().map(|f| out.join(&f.path)).collect();
    for path in rust_files(&out.join("src"))? {
        if !wanted.contains(&path)
            && std::fs::read_to_string(&path).is_ok_and(|t| t.starts_with(HEADER.trim_end()))
        {
            changes.push(Change::Remove(path));
        }
    }
    Ok(changes)
}

/// Keeps the kind of an I/O error and says what was being done to which file.
fn context<'a>(what: &'a str, p: &'a Path) -> impl FnOnce(io::Error) -> io::Error + 'a {
    move |e| io::Error::new(e.kind(), format!("{what} {}: {e}", p.display()))
}

fn rust_files(dir: &Path) -> io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(out);
    };
    for e in entries {
        let p = e?.path();
        if p.is_dir() {
            out.extend(rust_files(&p)?);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
    out.sort();
    Ok(out)
}

/// Applies a plan. Each file goes through a temporary sibling and a
/// rename, so a reader never sees half a file.
pub fn apply(out: &Path, files: &[File], plan: &[Change]) -> io::Result<()> {
    let mut made: Option<PathBuf> = None;
    for change in plan {
        match change {
            Change::Write(i) => {
                let target = out.join(&files[*i].path);
                if let Some(dir) = target.parent()
                    && made.as_deref() != Some(dir)
                {
                    std::fs::create_dir_all(dir).map_err(context("creating", dir))?;
                    made = Some(dir.to_path_buf());
                }
                let tmp = target.with_extension("codegen-tmp");
                std::fs::write(&tmp, &files[*i].contents).map_err(context("writing", &tmp))?;
                std::fs::rename(&tmp, &target).map_err(context("writing", &target))?;
            }
            Change::Remove(path) => {
                std::fs::remove_file(path).map_err(context("removing", path))?
            }
        }
    }
    Ok(())
}
