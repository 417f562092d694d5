//! `cargo xtask lint`: every diagnostic of a specs folder, then a summary.

use anyhow::Context;
use std::io::IsTerminal;
use std::path::Path;

/// Prints all diagnostics; succeeds unless one is an error.
pub fn run(specs: &Path) -> anyhow::Result<bool> {
    let loaded = apidoc::load_dir(specs).with_context(|| format!("reading {}", specs.display()))?;
    let renderer = crate::renderer(std::io::stdout().is_terminal());
    print!("{}", loaded.diagnostics.render(&loaded.db, &renderer));
    println!("{}", loaded.diagnostics.summary());
    Ok(!loaded.diagnostics.has_errors())
}
