//! `cargo xtask codegen`: specs -> IR -> files, written only when every
//! file is computed and only where the bytes changed.

use anyhow::Context;
use std::io::IsTerminal;
use std::path::Path;

/// Generates the crate in memory; `Err` carries the rendered diagnostics
/// when the specs have errors.
pub fn generate(specs: &Path, out: &Path) -> anyhow::Result<Result<Vec<codegen::File>, String>> {
    let loaded = apidoc::load_dir(specs).with_context(|| format!("reading {}", specs.display()))?;
    if loaded.diagnostics.has_errors() {
        let renderer = crate::renderer(std::io::stderr().is_terminal());
        let mut text = loaded.diagnostics.render(&loaded.db, &renderer);
        text.push_str(&loaded.diagnostics.summary());
        return Ok(Err(text));
    }
    let options = codegen::Options::for_output(&crate::project_root(), out)
        .context("finding crates/runtime")?;
    let mut files = codegen::generate(&loaded.api, &options)?;
    options.add_lockfile(&mut files, &crate::project_root());
    Ok(Ok(files))
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
