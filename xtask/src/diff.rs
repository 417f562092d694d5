//! `cargo xtask diff [--base REV]`: the API change report between the
//! specs at a git revision and the working tree, and how reports are
//! printed (shared with `import`).

use crate::flags::Format;
use crate::folder::Folder;
use std::path::Path;

/// Where output goes: with `--format json` stdout carries only the JSON
/// report, and everything meant for people goes to stderr.
pub struct Output {
    format: Format,
}

impl Output {
    pub fn new(format: Format) -> Output {
        Output { format }
    }

    /// A line or block for people.
    pub fn say(&self, text: &str) {
        match self.format {
            Format::Text => println!("{text}"),
            Format::Json => eprintln!("{text}"),
        }
    }

    /// The report, as text or JSON.
    pub fn report(&self, report: &apidiff::Report) {
        match self.format {
            Format::Text => println!("API changes:\n{}", report.render_text()),
            Format::Json => println!("{}", report.to_json()),
        }
    }
}

/// Prints the report from `specs` at `base` to `specs` in the working tree.
pub fn run(base: &str, specs: &Path, format: Format) -> anyhow::Result<bool> {
    let new = Folder::read(specs)?.load();
    let old = match crate::git::folder_at(specs, base)? {
        Some(folder) => folder.load(),
        None => {
            eprintln!(
                "note: {} is not in `{base}`: comparing with an empty API",
                specs.display()
            );
            let mut empty = apidoc::load(Vec::new(), None);
            // Only the pages are new: the crate settings compare equal.
            empty.api.service = new.api.service.clone();
            empty
        }
    };
    for (loaded, name) in [
        (&old, format!("`{base}`")),
        (&new, "the working tree".to_string()),
    ] {
        if loaded.diagnostics.has_errors() {
            eprintln!(
                "warning: the specs in {name} have errors: the report compares what could be read"
            );
        }
    }
    Output::new(format).report(&apidiff::diff(&old.api, &new.api));
    Ok(true)
}
