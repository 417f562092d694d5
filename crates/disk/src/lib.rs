//! The generator's files on disk, shared by the xtask and the benchmarks.
//!
//! - [`workspace`]: the checkout the tools run in, and the codegen options
//!   it implies for an output folder (the generator itself only emits).
//! - [`out_dir`]: which files of an output folder codegen wrote, and the
//!   plan that brings the folder up to date.
//! - [`change`]: changes to files checked before anything is touched,
//!   then made all or nothing through an [`Fs`] a test can make fail.
//! - [`cache`]: what the generator made before, so that unchanged files
//!   are neither emitted nor formatted again ([`Workspace::regenerate`]).
//! - [`run`]: a whole codegen run with its cache, the steps of
//!   `cargo xtask codegen` that the benchmarks time too.
//! - [`walk`] and [`path`]: listing a folder without following symbolic
//!   links, and comparing paths once normalised.

#![deny(missing_docs)]

pub mod cache;
pub mod change;
pub mod out_dir;
pub mod path;
pub mod run;
pub mod walk;
pub mod workspace;

pub use change::{Applied, Change, Failed, FailingFs, Fs, Prepared, Problem, RealFs, prepare};
pub use workspace::{RegenerateError, Regenerated, Workspace};

use std::path::Path;

/// Why [`write_crate`] wrote nothing, or failed part-way.
#[derive(Debug)]
pub enum WriteError {
    /// The folder is not codegen's, or cannot be read.
    Plan(out_dir::PlanError),
    /// A change cannot be made; nothing was touched.
    Problems(Vec<Problem>),
    /// A step failed; what was done has been undone.
    Failed(Failed),
}

impl std::fmt::Display for WriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WriteError::Plan(e) => write!(f, "{e}"),
            WriteError::Problems(ps) => {
                let lines: Vec<String> = ps.iter().map(|p| p.to_string()).collect();
                write!(f, "{}", lines.join("\n"))
            }
            WriteError::Failed(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for WriteError {}

/// Brings the generated crate in `out` (normalised) up to date with
/// `files`: [`out_dir::plan`], [`prepare`], then [`Prepared::apply`].
pub fn write_crate(
    out: &Path,
    files: &[codegen::File],
    fs: &mut dyn Fs,
) -> Result<Applied, WriteError> {
    let plan = out_dir::plan(out, files).map_err(WriteError::Plan)?;
    let prepared = prepare(plan.changes()).map_err(WriteError::Problems)?;
    prepared.apply(fs).map_err(WriteError::Failed)
}
