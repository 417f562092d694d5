//! Synthetic interface docs in the published IoT Explorer format, for scale
//! tests and benchmarks of the generator.
//!
//! [`corpus`] makes `pages` action pages and one structures page
//! (`structures.md`) from a seed. The pages are written from this crate's
//! own templates and word lists, not copied from the real docs, but they
//! have the variety the real sample shows: every spelling of the 类型
//! column the generator accepts, structures linked in all the published
//! ways (some nested, some recursive), optional fields, error tables,
//! request and response examples both as fenced blocks and as
//! `<dx-codeblock>` `:::` blocks, HTTP request lines, both endpoints, both
//! kinds of parentheses in `本接口（X）`, padded and compact tables.
//!
//! Every page lints without errors. A few carry the defects the generator
//! routes around with a warning (a bare `Array` whose description links the
//! structure, a `//` comment or a trailing comma in an example), as the
//! real docs do, so those paths are measured too.
//!
//! Output is a pure function of `(pages, seed)`: the same pair gives the
//! same bytes on every machine and every run.

#![deny(missing_docs)]

mod fields;
mod generate;
mod model;
mod names;
mod render;
mod rng;
mod words;

use model::Model;
use std::io;
use std::path::Path;

/// Name of the structures page in the output.
pub const STRUCTURES_FILE: &str = "structures.md";

/// Name of the marker file [`write`] leaves in its output folder, so that a
/// later run may replace that folder's pages and no other folder's.
pub const MARKER_FILE: &str = ".synth";

/// Makes a corpus: `pages` action pages plus `structures.md`, as
/// `(path relative to the specs folder, text)`, sorted by path.
pub fn corpus(pages: usize, seed: u64) -> Vec<(String, String)> {
    let model = Model::generate(pages, seed);
    let mut out = Vec::with_capacity(pages + 1);
    out.push((STRUCTURES_FILE.to_string(), render::structures_page(&model)));
    for action in &model.actions {
        out.push((
            format!("{}.md", action.name),
            render::action_page(&model, action),
        ));
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// Writes [`corpus`] into `dir` (created if missing).
///
/// A folder that already has entries is only reused if an earlier `write`
/// made it (it holds [`MARKER_FILE`]): its `.md` pages are then replaced.
/// Any other non-empty folder is refused, so pointing this at real specs by
/// mistake cannot delete them.
pub fn write(dir: &Path, pages: usize, seed: u64) -> io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let mut entries = std::fs::read_dir(dir)?.collect::<Result<Vec<_>, _>>()?;
    if !entries.is_empty() {
        if !dir.join(MARKER_FILE).is_file() {
            return Err(io::Error::new(
                io::ErrorKind::AlreadyExists,
                format!(
                    "{} is not empty and was not made by synth: refusing to write pages into it",
                    dir.display()
                ),
            ));
        }
        // Pages of an earlier, larger corpus would otherwise stay behind.
        entries.sort_by_key(|e| e.path());
        for e in entries {
            if e.file_type()?.is_file() && e.path().extension().is_some_and(|x| x == "md") {
                std::fs::remove_file(e.path())?;
            }
        }
    }
    for (path, text) in corpus(pages, seed) {
        std::fs::write(dir.join(path), text)?;
    }
    std::fs::write(
        dir.join(MARKER_FILE),
        format!("synthetic corpus: pages = {pages}, seed = {seed}\n"),
    )
}
