//! The generator's pipeline cut into the stages the benchmarks time: read,
//! parse, lower, emit, format (or both at once: generate), write. Shared by `benches/stages.rs` and the
//! `pipeline` binary.
//!
//! `apidoc::load_dir` is `apidoc::read_dir`, `apidoc::parse` and `Parsed::finish`;
//! [`read`], [`parse`] and [`lower`] call those stages one at a time so each
//! can be timed alone. Writing is `codegen::disk`, as `cargo xtask codegen`
//! uses it: only files whose bytes changed are written.

#![deny(missing_docs)]

use apidoc::Diagnostics;
use apidoc::ir::Api;
use std::io;
use std::path::{Path, PathBuf};

/// The project's root (the workspace folder).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap_or_else(|_| Path::new(env!("CARGO_MANIFEST_DIR")).join("../.."))
}

/// The shared sample of real pages (`../shared/corpus` beside the project),
/// if it is there.
pub fn sample_dir() -> Option<PathBuf> {
    let dir = workspace_root().join("../shared/corpus");
    dir.is_dir().then_some(dir)
}

// ---- read, parse, lower ------------------------------------------------------

/// The files of a specs folder.
pub type SpecFiles = apidoc::Sources;
/// Decoded files and page models.
pub use apidoc::Parsed;

/// Stage 1: reads a specs folder (`apidoc::read_dir`).
pub fn read(dir: &Path) -> io::Result<SpecFiles> {
    apidoc::read_dir(dir)
}

/// Stage 2: decodes the files and parses every page (`apidoc::parse`).
pub fn parse(files: SpecFiles) -> Parsed {
    apidoc::parse(files)
}

/// Stage 3: pages -> IR (`Parsed::lower`).
pub fn lower(p: &Parsed) -> (Api, Diagnostics) {
    p.lower()
}

// ---- emit and format ----------------------------------------------------------

/// Codegen options as `cargo xtask codegen` picks them: the checked-in
/// `generated/` is a workspace member; any other folder gets a standalone
/// crate pointing at this checkout's runtime by absolute path.
pub fn options_for(out: &Path) -> codegen::Options {
    codegen::Options::for_output(&workspace_root(), out).expect("the workspace has crates/runtime")
}

/// Stages 4 and 5 as the xtask runs them: `codegen::generate`, which
/// emits and formats file by file on every core, plus the extra file the
/// xtask adds: a standalone crate gets the workspace's `Cargo.lock`, so it
/// builds with the tested versions.
pub fn generate(
    api: &Api,
    options: &codegen::Options,
) -> Result<Vec<codegen::File>, codegen::Error> {
    let mut files = codegen::generate(api, options)?;
    options.add_lockfile(&mut files, &workspace_root());
    Ok(files)
}

// ---- write ------------------------------------------------------------------

pub use codegen::disk::{Change, apply, plan};

/// Stage 6: [`plan`] then [`apply`]; returns how many changes were made.
pub fn write(out: &Path, files: &[codegen::File]) -> io::Result<usize> {
    let plan = plan(out, files)?;
    apply(out, files, &plan)?;
    Ok(plan.len())
}

/// Everything `cargo xtask codegen --specs DIR --out DIR` does, in one call
/// (`apidoc::load_dir`, `codegen::generate`, write changed files). `Err`
/// carries a message when the specs have errors or generation fails.
pub fn codegen_dir(specs: &Path, out: &Path) -> io::Result<Result<usize, String>> {
    let loaded = apidoc::load_dir(specs)?;
    if loaded.diagnostics.has_errors() {
        return Ok(Err(loaded.diagnostics.summary()));
    }
    let options = options_for(out);
    let files = match generate(&loaded.api, &options) {
        Ok(f) => f,
        Err(e) => return Ok(Err(e.to_string())),
    };
    Ok(Ok(write(out, &files)?))
}
