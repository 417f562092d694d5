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
use disk::run::Outcome;
use std::convert::Infallible;
use std::io;
use std::ops::ControlFlow;
use std::path::Path;

/// This checkout's workspace.
pub fn workspace() -> disk::Workspace {
    disk::Workspace::at(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../.."))
        .expect("the bench crate is inside the workspace")
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

/// `cargo xtask codegen --specs DIR --out DIR` as it would run without its
/// cache and its messages: load, then the `disk` crate's generate and
/// write. `Err` carries a message when the specs have errors or a stage
/// fails. [`regenerate`] is the run with the cache, as the xtask makes it.
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

// ---- with the codegen cache -------------------------------------------------

/// What [`regenerate`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Regenerated {
    /// The whole run was skipped: the specs, options and generator are
    /// those of the recorded run, and the folder holds its outputs.
    pub skipped: bool,
    /// Files emitted and formatted (the others were vouched for).
    pub emitted: usize,
    /// Files written or removed.
    pub written: usize,
}

/// `cargo xtask codegen --specs DIR --out DIR` with its cache at `cache`,
/// without its messages and without the git report: read the specs, then
/// `disk::run::codegen`, the xtask's own steps (skip the run if the cache
/// recorded it and the folder holds its outputs, otherwise load, render
/// the warnings, emit only the files the cache cannot vouch for, save the
/// cache), then check and make the changes.
pub fn regenerate(specs: &Path, out: &Path, cache: &Path) -> Result<Regenerated, String> {
    use std::io::IsTerminal as _;
    let ws = workspace();
    let sources = apidoc::read_dir(specs).map_err(|e| e.to_string())?;
    let out = disk::path::normalize(out).map_err(|e| e.to_string())?;
    let cached = disk::run::Cached {
        path: Some(cache.to_path_buf()),
        generator: disk::cache::generator(),
    };
    let request = disk::run::Request {
        out: &out,
        options: options_for(&out),
        cache: &cached,
        // As the xtask decides, so that its key and its rendering are the
        // xtask's where the benchmark runs.
        styled: std::io::stderr().is_terminal(),
        may_skip: true,
    };
    let go_on = |_: &Api, _: &disk::run::Note| ControlFlow::<Infallible>::Continue(());
    let planned = match disk::run::codegen(&ws, &request, sources, go_on) {
        Ok(Outcome::Planned(planned)) => planned,
        Ok(Outcome::Skipped { .. }) => {
            return Ok(Regenerated {
                skipped: true,
                emitted: 0,
                written: 0,
            });
        }
        Ok(Outcome::Errors(diagnostics)) => return Err(diagnostics),
        Ok(Outcome::Stopped(never)) => match never {},
        Err(e) => return Err(e.to_string()),
    };
    if let Some(e) = planned.unsaved {
        return Err(format!("saving the codegen cache {}: {e}", cache.display()));
    }
    let prepared = disk::prepare(planned.plan.changes()).map_err(|problems| {
        let lines: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
        lines.join("\n")
    })?;
    let written = prepared.len();
    prepared
        .apply(&mut disk::RealFs)
        .map_err(|e| e.to_string())?;
    Ok(Regenerated {
        skipped: false,
        emitted: planned.emitted,
        written,
    })
}
