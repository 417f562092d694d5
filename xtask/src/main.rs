//! Project automation, run as `cargo xtask <command>`.
//!
//! - `codegen [--check] [--specs DIR] [--out DIR]`: regenerate the client crate.
//! - `lint [--specs DIR]`: print every diagnostic of a specs folder.
//! - `import DIR [--specs DIR] [--out DIR] [--prune] [--dry-run] [--bump] [--format F]`:
//!   refresh the specs from published pages and report what changed in the API.
//! - `diff [--base REV] [--specs DIR] [--format F]`: the same report between a
//!   git revision and the working tree.
//! - `synth --pages N --out DIR [--seed S]`: a synthetic folder of pages for
//!   benchmarks.
//!
//! Kept thin: the work is in the `apidoc`, `codegen` and `apidiff` crates.

mod codegen;
mod diff;
mod flags;
mod folder;
mod git;
mod import;
mod lint;
mod version;

use anyhow::Context as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = flags::parse(&args).and_then(|cmd| match cmd {
        flags::Command::Codegen { check, specs, out } => {
            codegen::run(&disk::Workspace::at(&project_root())?, &specs, &out, check)
        }
        flags::Command::Lint { specs } => lint::run(&specs),
        flags::Command::Import(args) => import::run(&args),
        flags::Command::Diff {
            base,
            specs,
            format,
        } => diff::run(&base, &specs, format),
        flags::Command::Synth { pages, seed, out } => {
            synth::write(&out, pages, seed)
                .with_context(|| format!("writing {}", out.display()))?;
            eprintln!(
                "wrote {pages} synthetic pages and a structures page to {} (seed {seed})",
                out.display()
            );
            Ok(true)
        }
        flags::Command::Help => {
            println!("{}", flags::USAGE);
            Ok(true)
        }
    });
    match result {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// The workspace root: the parent of this crate's folder.
pub fn project_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask is inside the workspace")
        .to_path_buf()
}

/// Renders diagnostics in colour on a terminal and as plain text otherwise,
/// so that logs and snapshots carry no escape codes.
pub fn renderer(stream_is_terminal: bool) -> annotate_snippets::Renderer {
    if stream_is_terminal {
        annotate_snippets::Renderer::styled()
    } else {
        annotate_snippets::Renderer::plain()
    }
}
