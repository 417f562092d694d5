//! The cache's file: its text format, checked with a hash of its own
//! text when read, and its place in the workspace's `target/`, written
//! whole beside itself and renamed into place.

use super::{Cache, Digest, Entry, Run};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io;
use std::path::{Path, PathBuf};

const MAGIC: &str = "iot-explorer codegen cache 1";
/// Cache files kept in the folder; older ones are removed.
const KEEP: usize = 32;

/// The cache file for the output folder `out` (normalised):
/// `target/codegen-cache/` of the workspace, one file per folder.
pub fn location(ws: &crate::Workspace, out: &Path) -> PathBuf {
    let name = Digest::of(out.as_os_str().as_encoded_bytes()).hex();
    ws.root().join("target/codegen-cache").join(&name[..16])
}

impl Cache {
    /// The cache at `path`; empty when the file is missing, unreadable,
    /// damaged in any way, or written by another generator.
    pub fn load(path: &Path, generator: Digest) -> Cache {
        std::fs::read_to_string(path)
            .ok()
            .and_then(|text| Cache::parse(&text, generator))
            .unwrap_or_else(|| Cache::empty(generator))
    }

    /// The cache as text (see [`Cache::parse`]).
    fn render(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(s, "{MAGIC}");
        let _ = writeln!(s, "generator {}", self.generator.hex());
        let line_safe = |p: &str| !p.contains(['\n', '\r']);
        for (path, e) in &self.files {
            if line_safe(path) {
                let _ = writeln!(s, "file {} {} {path}", e.key.hex(), e.output.hex());
            }
        }
        if let Some(run) = &self.run
            && run.outputs.keys().all(|p| line_safe(p))
        {
            let _ = writeln!(s, "run {} {}", run.key.hex(), run.warnings);
            for (path, d) in &run.outputs {
                let _ = writeln!(s, "out {} {path}", d.hex());
            }
            let note = serde_json::to_string(&run.note).unwrap_or_default();
            let _ = writeln!(s, "note {note}");
        }
        let check = Digest::of(s.as_bytes());
        let _ = writeln!(s, "check {}", check.hex());
        s
    }

    /// Reads [`Cache::render`]'s text; `None` on anything unexpected.
    fn parse(text: &str, generator: Digest) -> Option<Cache> {
        let body_end = text.rfind("check ")?;
        let (body, check) = text.split_at(body_end);
        let check = check.strip_prefix("check ")?.strip_suffix('\n')?;
        if Digest::parse(check)? != Digest::of(body.as_bytes()) {
            return None;
        }
        let mut lines = body.lines();
        if lines.next()? != MAGIC {
            return None;
        }
        let written_by = Digest::parse(lines.next()?.strip_prefix("generator ")?)?;
        if written_by != generator {
            return None;
        }
        let mut cache = Cache::empty(generator);
        let mut run: Option<Run> = None;
        for line in lines {
            let (tag, rest) = line.split_once(' ')?;
            match tag {
                "file" if run.is_none() => {
                    let (key, rest) = rest.split_once(' ')?;
                    let (output, path) = rest.split_once(' ')?;
                    let entry = Entry {
                        key: Digest::parse(key)?,
                        output: Digest::parse(output)?,
                    };
                    cache.files.insert(path.to_owned(), entry);
                }
                "run" if run.is_none() => {
                    let (key, warnings) = rest.split_once(' ')?;
                    run = Some(Run {
                        key: Digest::parse(key)?,
                        outputs: BTreeMap::new(),
                        note: String::new(),
                        warnings: warnings.parse().ok()?,
                    });
                }
                "out" => {
                    let (d, path) = rest.split_once(' ')?;
                    run.as_mut()?
                        .outputs
                        .insert(path.to_owned(), Digest::parse(d)?);
                }
                "note" => run.as_mut()?.note = serde_json::from_str(rest).ok()?,
                _ => return None,
            }
        }
        cache.run = run;
        Some(cache)
    }

    /// Writes the cache to `path`: whole, beside it first, then renamed
    /// into place, so a reader sees the old cache or the new one. Keeps
    /// the [`KEEP`] most recent cache files of the folder.
    ///
    /// The folder must be a real folder: a link there would take the cache
    /// file, and the pruning of old ones, into a folder codegen does not
    /// own, so it is an error instead (nothing is written).
    pub fn save(&self, path: &Path) -> io::Result<()> {
        let dir = path.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir)?;
        if std::fs::symlink_metadata(dir)?.file_type().is_symlink() {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!(
                    "{} is a symbolic link; the codegen cache is not written through it",
                    dir.display()
                ),
            ));
        }
        let tmp = path.with_extension(format!("{}.tmp", std::process::id()));
        std::fs::write(&tmp, self.render())?;
        if let Err(e) = std::fs::rename(&tmp, path) {
            let _ = std::fs::remove_file(&tmp);
            return Err(e);
        }
        prune(dir, path);
        Ok(())
    }
}

/// Whether `name` is the name [`location`] gives a cache file: only those
/// are ever pruned, whatever else the folder holds.
fn is_cache_name(name: &std::ffi::OsStr) -> bool {
    name.len() == 16
        && name
            .as_encoded_bytes()
            .iter()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(b))
}

/// Removes the oldest cache files of `dir` beyond [`KEEP`] (never `keep`).
fn prune(dir: &Path, keep: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut files: Vec<_> = entries
        .flatten()
        .filter(|e| {
            e.path() != keep
                && is_cache_name(&e.file_name())
                && e.file_type().is_ok_and(|t| t.is_file())
        })
        .map(|e| {
            let modified = e.metadata().and_then(|m| m.modified()).ok();
            (modified, e.path())
        })
        .collect();
    if files.len() < KEEP {
        return;
    }
    files.sort();
    for (_, path) in &files[..files.len() + 1 - KEEP] {
        let _ = std::fs::remove_file(path);
    }
}
