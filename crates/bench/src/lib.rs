//! The generator's pipeline cut into the stages the benchmarks time: read,
//! parse, lower, emit, format (or both at once: generate), write. Shared by `benches/stages.rs` and the
//! `pipeline` binary.
//!
//! `apidoc::load_dir` is `apidoc::read_dir`, `apidoc::parse` and `Parsed::finish`;
//! [`read`], [`parse`] and [`lower`] call those stages one at a time so each
//! can be timed alone. Choosing the options, generating and writing are the
//! `disk` crate's, exactly as `cargo xtask codegen` calls them: only files
//! whose bytes changed are written.

#![deny(missing_docs)]

use apidoc::Diagnostics;
use apidoc::ir::Api;
use std::io;
use std::path::{Path, PathBuf};

/// This checkout's workspace.
pub fn workspace() -> disk::Workspace {
    disk::Workspace::at(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../.."))
        .expect("the bench crate is inside the workspace")
}

/// The shared sample of real pages (`../shared/corpus` beside the project),
/// if it is there. Only the benchmarks use it; no test does.
pub fn sample_dir() -> Option<PathBuf> {
    let dir = workspace().root().join("../shared/corpus");
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

// ---- emit, format, write ----------------------------------------------------

/// Codegen options as `cargo xtask codegen` picks them
/// (`disk::Workspace::options_for`).
pub fn options_for(out: &Path) -> codegen::Options {
    workspace()
        .options_for(out)
        .expect("the workspace has crates/runtime")
}

/// Stage 6: `disk::write_crate`, as the xtask writes; returns how many
/// files were written or removed.
pub fn write(out: &Path, files: &[codegen::File]) -> Result<usize, disk::WriteError> {
    Ok(disk::write_crate(out, files, &mut disk::RealFs)?.changed)
}

/// `cargo xtask codegen --specs DIR --out DIR` without its messages: load,
/// then the `disk` crate's generate and write. `Err` carries a message
/// when the specs have errors or a stage fails.
pub fn codegen_dir(specs: &Path, out: &Path) -> Result<usize, String> {
    let loaded = apidoc::load_dir(specs).map_err(|e| e.to_string())?;
    if loaded.diagnostics.has_errors() {
        return Err(loaded.diagnostics.summary());
    }
    let ws = workspace();
    let files = ws
        .generate(&loaded.api, &options_for(out))
        .map_err(|e| e.to_string())?;
    write(out, &files).map_err(|e| e.to_string())
}
