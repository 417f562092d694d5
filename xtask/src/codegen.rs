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
            files.push(codegen::File {
                path: "Cargo.lock".into(),
                contents: lock,
            });
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
    let runtime = root
        .join("crates/runtime")
        .canonicalize()
        .context("finding crates/runtime")?;
    Ok(codegen::Options {
        runtime_path: runtime.to_string_lossy().into_owned(),
        standalone: true,
        readme_doctests: None,
    })
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
            eprintln!(
                "error: the specs have errors; {} was not touched",
                out.display()
            );
            return Ok(false);
        }
    };
    let plan = codegen::disk::plan(out, &files)?;
    if check {
        if plan.is_empty() {
            return Ok(true);
        }
        for change in &plan {
            eprintln!("stale: {}", change.describe(out, &files));
        }
        eprintln!(
            "{} is out of date with {}: run `cargo xtask codegen` and commit the result",
            out.display(),
            specs.display()
        );
        return Ok(false);
    }
    codegen::disk::apply(out, &files, &plan)?;
    eprintln!(
        "generated {} files into {} ({} changed) in {:.2?}",
        files.len(),
        out.display(),
        plan.len(),
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
        let root = crate::project_root();
        let out = root.join("generated");
        let files = generate(&root.join("specs"), &out)
            .unwrap()
            .unwrap_or_else(|d| panic!("specs have errors:\n{d}"));
        let stale: Vec<_> = codegen::disk::plan(&out, &files)
            .unwrap()
            .iter()
            .map(|c| c.describe(&out, &files))
            .collect();
        assert!(
            stale.is_empty(),
            "generated/ is stale, run `cargo xtask codegen` and commit the result:\n{}",
            stale.join("\n")
        );
    }
}
