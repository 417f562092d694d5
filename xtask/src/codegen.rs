//! `cargo xtask codegen`: specs -> IR -> files, written only when every
//! file is computed and only where the bytes changed.

use anyhow::Context;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

/// Generates the crate in memory; `Err` carries the rendered diagnostics
/// when the specs have errors.
pub fn generate(specs: &Path, out: &Path) -> anyhow::Result<Result<Vec<codegen::File>, String>> {
    let loaded = spec::load_dir(specs).with_context(|| format!("reading {}", specs.display()))?;
    if loaded.diagnostics.has_errors() {
        let renderer = crate::renderer(std::io::stderr().is_terminal());
        let mut text = loaded.diagnostics.render(&loaded.db, &renderer);
        text.push_str(&loaded.diagnostics.summary());
        return Ok(Err(text));
    }
    let options = options_for(out)?;
    let mut files = codegen::generate(&loaded.api, &options)?;
    if options.standalone {
        // Pin the same dependency versions the workspace tested with.
        if let Ok(lock) = std::fs::read_to_string(crate::project_root().join("Cargo.lock")) {
            files.push(codegen::File { path: "Cargo.lock".into(), contents: lock });
        }
    }
    Ok(Ok(files))
}

/// The checked-in crate is a workspace member next to the runtime; any
/// other output folder gets a standalone manifest with an absolute path.
fn options_for(out: &Path) -> anyhow::Result<codegen::Options> {
    let root = crate::project_root();
    let default_out = root.join("generated");
    if absolute(out)? == absolute(&default_out)? {
        return Ok(codegen::Options {
            runtime_path: "../crates/runtime".into(),
            standalone: false,
            readme_doctests: Some("../../README.md".into()),
        });
    }
    let runtime = root.join("crates/runtime").canonicalize().context("finding crates/runtime")?;
    Ok(codegen::Options { runtime_path: runtime.to_string_lossy().into_owned(), standalone: true, readme_doctests: None })
}

fn absolute(p: &Path) -> anyhow::Result<PathBuf> {
    Ok(std::path::absolute(p)?.components().collect())
}

/// Runs codegen; in check mode nothing is written and stale files fail the run.
pub fn run(specs: &Path, out: &Path, check: bool) -> anyhow::Result<bool> {
    let start = std::time::Instant::now();
    let files = match generate(specs, out)? {
        Ok(files) => files,
        Err(diagnostics) => {
            eprintln!("{diagnostics}");
            eprintln!("error: the specs have errors; {} was not touched", out.display());
            return Ok(false);
        }
    };
    let plan = plan(out, &files)?;
    if check {
        if plan.is_empty() {
            return Ok(true);
        }
        for change in &plan {
            eprintln!("stale: {}", change.describe(out));
        }
        eprintln!("{} is out of date with {}: run `cargo xtask codegen` and commit the result", out.display(), specs.display());
        return Ok(false);
    }
    apply(out, &plan)?;
    eprintln!("generated {} files into {} ({} changed) in {:.2?}", files.len(), out.display(), plan.len(), start.elapsed());
    Ok(true)
}

/// One change to make on disk.
#[derive(Debug, PartialEq, Eq)]
pub enum Change {
    /// Write a file that is missing or differs.
    Write { path: String, contents: String },
    /// Remove a generated file that no action produces any more.
    Remove { path: String },
}

impl Change {
    fn describe(&self, out: &Path) -> String {
        match self {
            Change::Write { path, .. } => format!("{} differs from what codegen produces", out.join(path).display()),
            Change::Remove { path } => format!("{} is no longer generated", out.join(path).display()),
        }
    }
}

/// Compares generated files with the disk. `\r\n` on disk counts as `\n`,
/// so a checkout with autocrlf is not stale.
pub fn plan(out: &Path, files: &[codegen::File]) -> anyhow::Result<Vec<Change>> {
    let mut changes = Vec::new();
    for f in files {
        let current = std::fs::read_to_string(out.join(&f.path)).ok().map(|s| s.replace("\r\n", "\n"));
        if current.as_deref() != Some(f.contents.as_str()) {
            changes.push(Change::Write { path: f.path.clone(), contents: f.contents.clone() });
        }
    }
    // Generated Rust files that are no longer produced: only files that
    // carry the header are ever removed, so nothing hand-written is lost.
    let wanted: std::collections::BTreeSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    for path in rust_files(&out.join("src"))? {
        let rel = path.strip_prefix(out).unwrap_or(&path).components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/");
        if !wanted.contains(rel.as_str()) && std::fs::read_to_string(&path).is_ok_and(|t| t.starts_with(codegen::HEADER.trim_end())) {
            changes.push(Change::Remove { path: rel });
        }
    }
    Ok(changes)
}

fn rust_files(dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else { return Ok(out) };
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

/// Writes each file through a temporary sibling and a rename, so a reader
/// never sees half a file.
pub fn apply(out: &Path, plan: &[Change]) -> anyhow::Result<()> {
    for change in plan {
        match change {
            Change::Write { path, contents } => {
                let target = out.join(path);
                if let Some(dir) = target.parent() {
                    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
                }
                let tmp = target.with_extension("codegen-tmp");
                std::fs::write(&tmp, contents).with_context(|| format!("writing {}", tmp.display()))?;
                std::fs::rename(&tmp, &target).with_context(|| format!("writing {}", target.display()))?;
            }
            Change::Remove { path } => {
                let target = out.join(path);
                std::fs::remove_file(&target).with_context(|| format!("removing {}", target.display()))?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// rust-analyzer's pattern: `cargo test` fails when `generated/` is stale.
    #[test]
    fn generated_crate_is_fresh() {
        let root = crate::project_root();
        let out = root.join("generated");
        let files = generate(&root.join("specs"), &out).unwrap().unwrap_or_else(|d| panic!("specs have errors:\n{d}"));
        let stale: Vec<_> = plan(&out, &files).unwrap().iter().map(|c| c.describe(&out)).collect();
        assert!(stale.is_empty(), "generated/ is stale, run `cargo xtask codegen` and commit the result:\n{}", stale.join("\n"));
    }
}
