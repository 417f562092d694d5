//! A whole codegen run with its cache, as `cargo xtask codegen` makes it
//! and the benchmarks time it: one copy of its steps, so that what is
//! measured is what runs.
//!
//! [`codegen`] keys the run ([`cache::run_key`]), skips it when the cache
//! recorded it and the folder holds its outputs, otherwise loads the specs
//! and renders their diagnostics, lets the caller look at the IR, then
//! [`Workspace::regenerate_in`] and records and saves what the run made.
//! Printing, the API change report and making the plan's changes are the
//! caller's.

use crate::cache::{self, Cache, Digest};
use crate::out_dir::Plan;
use crate::{RegenerateError, Regenerated, Workspace};
use std::io;
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};

/// Where the codegen cache of a run is, and which generator it is for.
#[derive(Debug, Clone)]
pub struct Cached {
    /// The cache file; `None`: no cache (every file is generated).
    pub path: Option<PathBuf>,
    /// The generator's identity ([`cache::generator`]; a test passes another).
    pub generator: Digest,
}

/// What a run is asked to do.
#[derive(Debug, Clone)]
pub struct Request<'a> {
    /// The output folder, normalised.
    pub out: &'a Path,
    /// The codegen options for `out` ([`Workspace::options_for`]).
    pub options: codegen::Options,
    /// The cache.
    pub cache: &'a Cached,
    /// Whether diagnostics are rendered for a terminal (in colour) or as
    /// plain text.
    pub styled: bool,
    /// Whether a run the cache recorded may be skipped; a caller that needs
    /// the IR whatever happens says no.
    pub may_skip: bool,
}

/// The specs' warnings as a run prints them, and how many there are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    /// Each warning rendered (their places are relative to the specs
    /// folder); empty without warnings.
    pub text: String,
    /// How many warnings the specs have.
    pub warnings: usize,
}

impl Note {
    /// The warnings, then a line with their count that names `specs`, the
    /// folder as this run was given it: a skipped run prints the note of
    /// the run it stands for, which may have named the same files by
    /// another path.
    pub fn render(&self, specs: &Path) -> String {
        let mut text = self.text.clone();
        if self.warnings > 0 {
            text.push_str(&format!(
                "warning: the specs in {} have {} warning{}; `cargo xtask lint` prints every diagnostic\n",
                specs.display(),
                self.warnings,
                if self.warnings == 1 { "" } else { "s" }
            ));
        }
        text
    }
}

/// How a run ended.
#[derive(Debug)]
pub enum Outcome<B> {
    /// The cache recorded a run with the same inputs and the folder holds
    /// exactly its outputs: nothing was loaded or generated.
    Skipped {
        /// What that run said about the specs.
        note: Note,
        /// How many files the crate has.
        files: usize,
    },
    /// The specs have errors: every diagnostic rendered, then the summary.
    /// Nothing was generated.
    Errors(String),
    /// The caller's review stopped the run; nothing was generated.
    Stopped(B),
    /// The crate was generated (the files the cache vouches for aside).
    Planned(Planned),
}

/// What a run that generated the crate found.
#[derive(Debug)]
pub struct Planned {
    /// What brings the folder up to date; nothing has been changed yet.
    pub plan: Plan,
    /// How many files the crate has.
    pub files: usize,
    /// How many of them were emitted and formatted.
    pub emitted: usize,
    /// Why the cache file could not be saved, when it could not.
    pub unsaved: Option<io::Error>,
}

/// Runs codegen on `sources` (the files of `request.specs`) as `request`
/// says.
///
/// A run whose inputs (the specs' bytes, the options, the generator, the
/// lock file a standalone crate copies, how diagnostics are rendered) are
/// those of the run the cache recorded, into a folder that holds exactly
/// what that run produced, loads nothing. Otherwise the specs are loaded;
/// with errors the run ends there. `review` then sees the IR and the
/// warnings before anything is generated, and may stop the run. Only the
/// files the cache cannot vouch for are emitted
/// ([`Workspace::regenerate_in`]), and the cache, with this run recorded, is
/// saved when it changed.
pub fn codegen<B>(
    ws: &Workspace,
    request: &Request<'_>,
    sources: apidoc::Sources,
    review: impl FnOnce(&apidoc::ir::Api, &Note) -> ControlFlow<B>,
) -> Result<Outcome<B>, RegenerateError> {
    let Request {
        out,
        options,
        cache: cached,
        styled,
        may_skip,
    } = request;
    let cache = match &cached.path {
        Some(path) => Cache::load(path, cached.generator),
        None => Cache::empty(cached.generator),
    };
    let lock = if options.standalone {
        std::fs::read(ws.root().join("Cargo.lock")).unwrap_or_default()
    } else {
        Vec::new()
    };
    // The note the run prints again when it is skipped is rendered for one
    // kind of output: a run rendered for the other is another run.
    let run_key = cache::run_key(
        &cached.generator,
        options,
        &sources,
        &[&lock, &[u8::from(*styled)]],
    );
    let folder = crate::out_dir::read(out);
    if *may_skip
        && let Ok(folder) = &folder
        && let Some(run) = cache.unchanged_run(&run_key, folder)
    {
        return Ok(Outcome::Skipped {
            note: Note {
                text: run.note.clone(),
                warnings: run.warnings,
            },
            files: run.outputs.len(),
        });
    }
    let loaded = apidoc::parse(sources).finish();
    let note = match note(&loaded, *styled) {
        Ok(note) => note,
        Err(errors) => return Ok(Outcome::Errors(errors)),
    };
    if let ControlFlow::Break(b) = review(&loaded.api, &note) {
        return Ok(Outcome::Stopped(b));
    }
    let regenerated = folder
        .map_err(RegenerateError::Plan)
        .and_then(|folder| ws.regenerate_in(&loaded.api, options, folder, &cache));
    // The specs' text and the IR are not needed to write the files.
    drop(loaded);
    let Regenerated {
        plan,
        files,
        emitted,
        outputs,
        cache: mut learnt,
    } = regenerated?;
    // What the generator made is true whatever happens to the folder next:
    // a later run trusts a record only where the disk matches it.
    learnt.record_run(cache::Run {
        key: run_key,
        outputs,
        note: note.text,
        warnings: note.warnings,
    });
    let unsaved = match &cached.path {
        Some(path) if learnt != cache => learnt.save(path).err(),
        _ => None,
    };
    Ok(Outcome::Planned(Planned {
        plan,
        files,
        emitted,
        unsaved,
    }))
}

/// The diagnostics of loaded specs as a run prints them: `Err` with every
/// diagnostic rendered and the summary when they have errors, otherwise
/// the [`Note`] of their warnings.
pub fn note(loaded: &apidoc::Loaded, styled: bool) -> Result<Note, String> {
    // Plain text where the output is not a terminal, so that logs and
    // snapshots carry no escape codes.
    let renderer = if styled {
        annotate_snippets::Renderer::styled()
    } else {
        annotate_snippets::Renderer::plain()
    };
    if loaded.diagnostics.has_errors() {
        let mut text = loaded.diagnostics.render(&loaded.db, &renderer);
        text.push_str(&loaded.diagnostics.summary());
        return Err(text);
    }
    let warnings: Vec<_> = loaded
        .diagnostics
        .sorted()
        .into_iter()
        .filter(|d| d.severity == apidoc::Severity::Warning)
        .collect();
    let mut text = String::new();
    for d in &warnings {
        text.push_str(&format!("{}\n\n", d.render(&loaded.db, &renderer)));
    }
    Ok(Note {
        text,
        warnings: warnings.len(),
    })
}
