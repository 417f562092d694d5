//! `cargo xtask codegen`: specs -> IR -> files, written only when every
//! file is computed and every change has been checked, only where the
//! bytes changed, and all or nothing.

use anyhow::{Context, bail};
use disk::Workspace;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

/// The specs and output folders, normalised, and checked not to overlap.
pub fn folders(specs: &Path, out: &Path) -> anyhow::Result<(PathBuf, PathBuf)> {
    let specs =
        disk::path::normalize(specs).with_context(|| format!("--specs `{}`", specs.display()))?;
    let out = disk::path::normalize(out).with_context(|| format!("--out `{}`", out.display()))?;
    if disk::path::overlap(&specs, &out) {
        bail!(
            "the output folder {} and the specs folder {} overlap: codegen would write into its own input; pass an --out outside the specs",
            out.display(),
            specs.display()
        );
    }
    Ok((specs, out))
}

/// Generates the crate in memory; `Err` carries the rendered diagnostics
/// when the specs have errors.
pub fn generate(
    ws: &Workspace,
    specs: &Path,
    out: &Path,
) -> anyhow::Result<Result<Vec<codegen::File>, String>> {
    let loaded = apidoc::load_dir(specs).with_context(|| format!("reading {}", specs.display()))?;
    if loaded.diagnostics.has_errors() {
        let renderer = crate::renderer(std::io::stderr().is_terminal());
        let mut text = loaded.diagnostics.render(&loaded.db, &renderer);
        text.push_str(&loaded.diagnostics.summary());
        return Ok(Err(text));
    }
    let options = ws.options_for(out).context("finding crates/runtime")?;
    Ok(Ok(ws.generate(&loaded.api, &options)?))
}

/// Runs codegen; in check mode nothing is written and stale files fail the run.
pub fn run(ws: &Workspace, specs: &Path, out: &Path, check: bool) -> anyhow::Result<bool> {
    run_with(ws, specs, out, check, &mut disk::RealFs)
}

/// [`run`] with the file operations given, so a test can make one fail.
pub fn run_with(
    ws: &Workspace,
    specs: &Path,
    out: &Path,
    check: bool,
    fs: &mut dyn disk::Fs,
) -> anyhow::Result<bool> {
    let start = std::time::Instant::now();
    let (specs, out) = folders(specs, out)?;
    let (specs, out) = (specs.as_path(), out.as_path());
    let files = match generate(ws, specs, out)? {
        Ok(files) => files,
        Err(diagnostics) => {
            eprintln!("{diagnostics}");
            eprintln!(
                "error: the specs have errors; {} was not touched",
                out.display()
            );
            return Ok(false);
        }
    };
    let plan = match disk::out_dir::plan(out, &files) {
        Ok(plan) => plan,
        Err(e) => {
            eprintln!("error: {e}");
            eprintln!("error: nothing was written");
            return Ok(false);
        }
    };
    if check {
        if plan.is_empty() {
            return Ok(true);
        }
        for item in &plan.items {
            eprintln!("stale: {}", plan.describe(item));
        }
        eprintln!(
            "{} is out of date with {}: run `cargo xtask codegen` and commit the result",
            out.display(),
            specs.display()
        );
        return Ok(false);
    }
    let prepared = match disk::prepare(plan.changes()) {
        Ok(p) => p,
        Err(problems) => {
            for p in &problems {
                eprintln!("error: {p}");
            }
            eprintln!("error: nothing was written to {}", out.display());
            return Ok(false);
        }
    };
    match prepared.apply(fs) {
        Ok(applied) => {
            for (path, e) in &applied.leftovers {
                eprintln!(
                    "warning: could not remove the backup {}: {e}",
                    path.display()
                );
            }
        }
        Err(failed) => {
            eprintln!("error: {failed}");
            if failed.unrestored.is_empty() {
                eprintln!("error: {} is as it was", out.display());
            }
            return Ok(false);
        }
    }
    eprintln!(
        "generated {} files into {} ({} changed) in {:.2?}",
        files.len(),
        out.display(),
        prepared.len(),
        start.elapsed()
    );
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// rust-analyzer's pattern: `cargo test` fails when `generated/` is stale.
    #[test]
    fn generated_crate_is_fresh() {
        let ws = Workspace::at(&crate::project_root()).unwrap();
        let out = ws.generated();
        let files = generate(&ws, &ws.specs(), &out)
            .unwrap()
            .unwrap_or_else(|d| panic!("specs have errors:\n{d}"));
        let plan = disk::out_dir::plan(&out, &files).unwrap();
        let stale: Vec<_> = plan.items.iter().map(|i| plan.describe(i)).collect();
        assert!(
            stale.is_empty(),
            "generated/ is stale, run `cargo xtask codegen` and commit the result:\n{}",
            stale.join("\n")
        );
    }
}
