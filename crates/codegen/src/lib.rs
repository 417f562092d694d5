//! IR -> Rust tokens -> formatted files of the generated client crate.
//!
//! Every item is built as a `TokenStream` with `quote!`, parsed into a
//! `syn::File` and printed with prettyplease, so the output is always valid
//! Rust and formatted the same way on every machine. This crate only reads
//! the IR; it never looks at the docs.

#![deny(missing_docs)]

mod actions;
mod channel;
mod chores;
mod docs;
mod error_code;
mod examples;
mod fields;
mod format;
mod inputs;
mod manifest;
mod root;
mod structs;

pub use format::HEADER;
pub use inputs::{Inputs, Item, Parts, inputs, without_docs};

use apidoc::ir::Api;

/// Where the generated crate finds the runtime crate, and how its manifest
/// relates to a workspace. Plain data from the caller, which knows where
/// the crate goes; the generator never looks at the disk.
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

/// One file to generate.
enum Job<'a> {
    Manifest,
    Lib,
    ErrorCode,
    Channel,
    StructsMod,
    Struct(&'a apidoc::ir::Struct, String),
    ActionsMod,
    ExampleTests,
    TestUtil,
    Action(&'a apidoc::ir::Action),
}

fn jobs(api: &Api) -> Vec<Job<'_>> {
    let mut jobs = vec![
        Job::Manifest,
        Job::Lib,
        Job::ErrorCode,
        Job::StructsMod,
        Job::ActionsMod,
        Job::ExampleTests,
        Job::TestUtil,
    ];
    if api.channel.is_some() {
        jobs.push(Job::Channel);
    }
    jobs.extend(
        api.structs
            .iter()
            .zip(structs::module_names(api))
            .map(|(s, m)| Job::Struct(s, m)),
    );
    jobs.extend(api.actions.iter().map(Job::Action));
    jobs
}

impl Job<'_> {
    fn path(&self) -> String {
        match self {
            Job::Manifest => "Cargo.toml".into(),
            Job::Lib => "src/lib.rs".into(),
            Job::ErrorCode => "src/error_code.rs".into(),
            Job::Channel => "src/channel.rs".into(),
            Job::StructsMod => "src/structs/mod.rs".into(),
            Job::Struct(_, module) => format!("src/structs/{module}.rs"),
            Job::ActionsMod => "src/actions/mod.rs".into(),
            Job::ExampleTests => "src/example_tests.rs".into(),
            Job::TestUtil => "src/test_util.rs".into(),
            Job::Action(a) => format!("src/actions/{}.rs", fields::module_name(&a.method)),
        }
    }

    /// The parts of the IR its emitter is handed (see [`inputs`]).
    fn parts(&self) -> Parts {
        let none = Parts::SERVICE;
        match self {
            Job::Manifest | Job::ExampleTests | Job::Struct(..) => none,
            Job::ErrorCode => Parts {
                error_codes: true,
                ..none
            },
            Job::StructsMod => Parts {
                structs: true,
                ..none
            },
            Job::Channel => Parts {
                channel: true,
                ..none
            },
            // The files that list the actions share one view: the crate
            // docs (the paginated actions, the login, the channel), the
            // modules and the test server (each action's example reply, the
            // channel). Its actions are copied without their prose, once.
            Job::Lib | Job::ActionsMod | Job::TestUtil => Parts {
                actions: true,
                session: true,
                channel: true,
                ..none
            },
            Job::Action(_) => Parts {
                structs: true,
                error_codes: true,
                session: true,
                ..none
            },
        }
    }

    /// Emits the file from its view of the IR and nothing else.
    fn emit(&self, views: &inputs::Views, options: &Options) -> Emitted {
        self.emit_with(views.get(self.parts()), options)
    }

    fn emit_with(&self, api: &Api, options: &Options) -> Emitted {
        match self {
            Job::Manifest => Emitted::Text(manifest::cargo_toml(api, options)),
            Job::Lib => Emitted::Rust(root::lib_rs(api, options)),
            Job::ErrorCode => Emitted::Rust(error_code::error_code_rs(api)),
            Job::Channel => Emitted::Rust(channel::channel_rs(api).unwrap_or_default()),
            Job::StructsMod => Emitted::Rust(structs::mod_rs(api)),
            Job::Struct(s, _) => Emitted::Rust(structs::struct_rs(s)),
            Job::ActionsMod => Emitted::Rust(actions::mod_rs(api)),
            Job::ExampleTests => Emitted::Rust(root::example_tests_rs()),
            Job::TestUtil => Emitted::Rust(root::test_util_rs(api)),
            Job::Action(a) => Emitted::Rust(actions::action_rs(a, api)),
        }
    }
}

impl<'a> Job<'a> {
    fn item(&self) -> Item<'a> {
        match *self {
            Job::Struct(s, _) => Item::Struct(s),
            Job::Action(a) => Item::Action(a),
            _ => Item::None,
        }
    }
}

/// Stage one: IR -> tokens, one entry per file, sorted by path. (The
/// benchmarks time it on its own; [`generate`] interleaves it with
/// formatting.)
pub fn emit(api: &Api, options: &Options) -> Vec<(String, Emitted)> {
    let views = inputs::Views::new(api);
    let mut files: Vec<_> = jobs(api)
        .iter()
        .map(|j| (j.path(), j.emit(&views, options)))
        .collect();
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
///
/// Each file is emitted and formatted before the next is started, so only
/// one file's tokens are alive per thread (they are many times the size of
/// the text), and files are shared out over one thread per core
/// (`apidoc::par::map`: each takes the next file not yet taken). Token
/// streams cannot cross threads, so each thread emits its own.
pub fn generate(api: &Api, options: &Options) -> Result<Vec<File>, Error> {
    generate_only(api, options, &|_| true)
}

/// [`generate`], for the files whose path `wanted` accepts only: a caller
/// that knows a file is unchanged (its [`Inputs`] are) skips it.
pub fn generate_only(
    api: &Api,
    options: &Options,
    wanted: &(dyn Fn(&str) -> bool + Sync),
) -> Result<Vec<File>, Error> {
    let mut jobs = jobs(api);
    jobs.retain(|j| wanted(&j.path()));
    let views = inputs::Views::new(api);
    let one = |job: &Job| match job.emit(&views, options) {
        Emitted::Rust(tokens) => format::rust_file(&job.path(), tokens),
        Emitted::Text(contents) => Ok(File {
            path: job.path(),
            contents,
        }),
    };
    let mut files = apidoc::par::map(&jobs, 2, one)
        .into_iter()
        .collect::<Result<Vec<_>, _>>()?;
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}
