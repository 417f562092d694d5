//! Project automation, run as `cargo xtask <command>`; `cargo xtask help`
//! and `cargo xtask <command> --help` describe every command and flag.
//!
//! - `codegen [--check] [--deny-warnings] [--specs DIR] [--out DIR]`:
//!   regenerate the client crate.
//! - `lint [--specs DIR]`: print every diagnostic of a specs folder.
//! - `import DIR [--specs DIR] [--out DIR] [--prune] [--dry-run | --check] [--bump] [--format F]`:
//!   refresh the specs from published pages and report what changed in the API.
//! - `diff [--base REV] [--specs DIR] [--format F]`: the same report between a
//!   git revision and the working tree.
//! - `synth --pages N --out DIR [--seed S]`: a synthetic folder of pages for
//!   benchmarks.
//!
//! Kept thin: the work is in the `apidoc`, `codegen`, `disk` and `apidiff`
//! crates.

mod apply;
mod codegen;
mod diff;
mod flags;
mod folder;
mod git;
mod import;
mod interrupt;
mod lint;
#[cfg(test)]
mod scratch;
mod version;

use anyhow::{Context as _, bail};
use clap::Parser as _;
use disk::Workspace;
use flags::Command;
use std::path::PathBuf;
use std::process::ExitCode;

// See the workspace's Cargo.toml: generation is mostly small allocations.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    // Usage errors exit with 2 and `--help` with 0, as clap does.
    let cli = flags::Cli::parse();
    if let Err(e) = interrupt::install() {
        eprintln!("warning: Ctrl-C will not wait for files being written to be complete: {e}");
    }
    match run(cli.command) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(command: Command) -> anyhow::Result<bool> {
    let here = Here::find()?;
    match command {
        Command::Codegen(a) => {
            let ws = here.workspace("codegen needs crates/runtime of the workspace")?;
            let args = codegen::Args {
                specs: here.or_default(a.specs, "--specs", Workspace::specs)?,
                out: here.or_default(a.out, "--out", Workspace::generated)?,
                check: a.check,
                deny_warnings: a.deny_warnings,
            };
            codegen::run(ws, &args)
        }
        Command::Lint(a) => lint::run(&here.or_default(a.specs, "--specs", Workspace::specs)?),
        Command::Import(a) => {
            let args = import::Args {
                specs: here.or_default(a.specs, "--specs", Workspace::specs)?,
                out: here.or_default(a.out, "--out", Workspace::generated)?,
                dir: a.dir,
                prune: a.prune,
                dry_run: a.dry_run || a.check,
                check: a.check,
                bump: a.bump,
                format: a.format,
            };
            import::run(&args)
        }
        Command::Diff(a) => diff::run(
            &a.base,
            &here.or_default(a.specs, "--specs", Workspace::specs)?,
            a.format,
        ),
        Command::Synth(a) => {
            synth::write(&a.out, a.pages as usize, a.seed)
                .with_context(|| format!("writing {}", a.out.display()))?;
            eprintln!(
                "wrote {} synthetic pages and a structures page to {} (seed {})",
                a.pages,
                a.out.display(),
                a.seed
            );
            Ok(true)
        }
    }
}

/// Where the xtask runs: the current directory and the workspace at or
/// above it, if any. Defaults come from here, not from the checkout the
/// binary was built in.
struct Here {
    cwd: PathBuf,
    workspace: Option<Workspace>,
}

impl Here {
    fn find() -> anyhow::Result<Here> {
        let cwd = std::env::current_dir().context("reading the current directory")?;
        let workspace = Workspace::find(&cwd)
            .with_context(|| format!("looking for the workspace from {}", cwd.display()))?;
        Ok(Here { cwd, workspace })
    }

    fn workspace(&self, why: &str) -> anyhow::Result<&Workspace> {
        match &self.workspace {
            Some(ws) => Ok(ws),
            None => bail!(
                "{} is not inside the workspace (no Cargo.toml with [workspace], xtask/ and crates/runtime/ at or above it); {why}: run from inside the workspace",
                self.cwd.display()
            ),
        }
    }

    /// The path given, or the workspace's default.
    fn or_default(
        &self,
        given: Option<PathBuf>,
        flag: &str,
        default: fn(&Workspace) -> PathBuf,
    ) -> anyhow::Result<PathBuf> {
        match given {
            Some(path) => Ok(path),
            None => Ok(default(
                self.workspace(&format!("without {flag} there is no default"))?,
            )),
        }
    }
}

/// The workspace this crate is in; for tests only (the binary uses [`Here`]).
#[cfg(test)]
pub fn project_root() -> PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
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
