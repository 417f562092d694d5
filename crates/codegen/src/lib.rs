//! IR -> Rust tokens -> formatted files of the generated client crate.
//!
//! Every item is built as a `TokenStream` with `quote!`, parsed into a
//! `syn::File` and printed with prettyplease, so the output is always valid
//! Rust and formatted the same way on every machine. This crate only reads
//! the IR; it never looks at the docs.

#![deny(missing_docs)]

mod actions;
mod docs;
mod error_code;
mod examples;
mod fields;
mod format;
mod manifest;
mod root;
mod structs;

pub use format::HEADER;

use spec::ir::Api;

/// Where the generated crate finds the runtime crate, and how its manifest
/// relates to a workspace.
#[derive(Debug, Clone)]
pub struct Options {
    /// Path to `crates/runtime` as written in the generated `Cargo.toml`.
    pub runtime_path: String,
    /// Add an empty `[workspace]` table so the crate builds on its own
    /// wherever it is written (not for the checked-in `generated/`).
    pub standalone: bool,
}

/// A generated file: path relative to the crate root, and its contents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct File {
    /// Relative path with `/` separators (`src/actions/app_get_products.rs`).
    pub path: String,
    /// Full contents.
    pub contents: String,
}

/// Why code could not be generated. The IR is validated before it gets
/// here, so this means a bug in the generator, reported instead of a panic.
#[derive(Debug)]
pub struct Error {
    /// Which file was being generated.
    pub path: String,
    /// What went wrong.
    pub message: String,
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "generating {}: {}", self.path, self.message)
    }
}

impl std::error::Error for Error {}

/// Generates every file of the client crate, sorted by path.
pub fn generate(api: &Api, options: &Options) -> Result<Vec<File>, Error> {
    let mut files = vec![
        File { path: "Cargo.toml".into(), contents: manifest::cargo_toml(api, options) },
        format::rust_file("src/lib.rs", root::lib_rs(api))?,
        format::rust_file("src/error_code.rs", error_code::error_code_rs(api))?,
        format::rust_file("src/structs.rs", structs::structs_rs(api))?,
        format::rust_file("src/actions/mod.rs", actions::mod_rs(api))?,
        format::rust_file("src/test_support.rs", root::test_support_rs(api))?,
    ];
    for action in &api.actions {
        let path = format!("src/actions/{}.rs", action.method.trim_start_matches("r#"));
        files.push(format::rust_file(&path, actions::action_rs(action, &api.service))?);
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}
