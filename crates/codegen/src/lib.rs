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
    /// A Markdown file whose Rust examples are compiled as doctests of the
    /// generated crate, as a path relative to its `src/lib.rs`.
    pub readme_doctests: Option<String>,
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

/// A file before formatting: Rust tokens, or text that is already final.
#[derive(Debug, Clone)]
pub enum Emitted {
    /// Rust source as tokens, to be parsed and pretty-printed.
    Rust(proc_macro2::TokenStream),
    /// Any other file (the manifest).
    Text(String),
}

/// Stage one: IR -> tokens, one entry per file, sorted by path.
pub fn emit(api: &Api, options: &Options) -> Vec<(String, Emitted)> {
    let mut files = vec![
        ("Cargo.toml".to_string(), Emitted::Text(manifest::cargo_toml(api, options))),
        ("src/lib.rs".to_string(), Emitted::Rust(root::lib_rs(api, options))),
        ("src/error_code.rs".to_string(), Emitted::Rust(error_code::error_code_rs(api))),
        ("src/structs.rs".to_string(), Emitted::Rust(structs::structs_rs(api))),
        ("src/actions/mod.rs".to_string(), Emitted::Rust(actions::mod_rs(api))),
        ("src/test_support.rs".to_string(), Emitted::Rust(root::test_support_rs(api))),
        ("src/test_util.rs".to_string(), Emitted::Rust(root::test_util_rs(api))),
    ];
    for action in &api.actions {
        let path = format!("src/actions/{}.rs", action.method.trim_start_matches("r#"));
        files.push((path, Emitted::Rust(actions::action_rs(action, &api.service))));
    }
    files.sort_by(|a, b| a.0.cmp(&b.0));
    files
}

/// Stage two: tokens -> `syn::File` -> prettyplease text with the header.
pub fn format(emitted: Vec<(String, Emitted)>) -> Result<Vec<File>, Error> {
    emitted
        .into_iter()
        .map(|(path, e)| match e {
            Emitted::Rust(tokens) => format::rust_file(&path, tokens),
            Emitted::Text(contents) => Ok(File { path, contents }),
        })
        .collect()
}

/// Both stages: every file of the client crate, sorted by path.
pub fn generate(api: &Api, options: &Options) -> Result<Vec<File>, Error> {
    format(emit(api, options))
}
