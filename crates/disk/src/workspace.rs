//! The workspace the generator runs in, and what it means for the
//! generated crate: where the runtime is, and whether the output is the
//! checked-in member `generated/` or a crate that builds on its own.

use crate::cache::{Cache, Digest};
use crate::out_dir::{Folder, Plan, PlanError};
use crate::path::normalize;
use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};

/// A checkout of this project: a folder whose `Cargo.toml` has a
/// `[workspace]` table, with `xtask/` and `crates/runtime/` in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Workspace {
    root: PathBuf,
}

fn is_workspace(dir: &Path) -> bool {
    let manifest = std::fs::read_to_string(dir.join("Cargo.toml")).unwrap_or_default();
    manifest.lines().any(|l| l.trim() == "[workspace]")
        && dir.join("xtask/Cargo.toml").is_file()
        && dir.join("crates/runtime/Cargo.toml").is_file()
}

impl Workspace {
    /// The nearest workspace at or above `start`, as cargo finds one.
    pub fn find(start: &Path) -> io::Result<Option<Workspace>> {
        let start = normalize(start)?;
        Ok(start
            .ancestors()
            .find(|d| is_workspace(d))
            .map(|d| Workspace {
                root: d.to_path_buf(),
            }))
    }

    /// The workspace at `root`; fails if `root` is not one.
    pub fn at(root: &Path) -> io::Result<Workspace> {
        let root = normalize(root)?;
        if !is_workspace(&root) {
            return Err(io::Error::new(
                io::ErrorKind::NotFound,
                format!(
                    "{} is not this project's workspace (no Cargo.toml with [workspace], xtask/ and crates/runtime/)",
                    root.display()
                ),
            ));
        }
        Ok(Workspace { root })
    }

    /// The workspace folder.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// `specs/`, the default specs folder.
    pub fn specs(&self) -> PathBuf {
        self.root.join("specs")
    }

    /// `generated/`, the checked-in generated crate.
    pub fn generated(&self) -> PathBuf {
        self.root.join("generated")
    }

    /// The codegen options for writing the generated crate to `out`.
    ///
    /// The checked-in `generated/` is a workspace member and refers to the
    /// runtime by a relative path; its doctests include the workspace
    /// README. Anywhere else the crate builds on its own, against the
    /// runtime's absolute path. Paths are compared normalised, so
    /// `generated/../generated` is `generated/`.
    pub fn options_for(&self, out: &Path) -> io::Result<codegen::Options> {
        if normalize(out)? == normalize(&self.generated())? {
            return Ok(codegen::Options {
                runtime_path: "../crates/runtime".into(),
                standalone: false,
                readme_doctests: Some("../../README.md".into()),
            });
        }
        let runtime = self.root.join("crates/runtime").canonicalize()?;
        Ok(codegen::Options {
            runtime_path: runtime.to_string_lossy().into_owned(),
            standalone: true,
            readme_doctests: None,
        })
    }

    /// Every file of the crate, as `cargo xtask codegen` writes it:
    /// [`codegen::generate`], and for a standalone crate the workspace's
    /// `Cargo.lock` (see [`Workspace::add_lockfile`]).
    pub fn generate(
        &self,
        api: &apidoc::ir::Api,
        options: &codegen::Options,
    ) -> Result<Vec<codegen::File>, codegen::Error> {
        let mut files = codegen::generate(api, options)?;
        self.add_lockfile(options, &mut files);
        Ok(files)
    }

    /// Adds the workspace's `Cargo.lock` to the files of a standalone
    /// crate, so that it builds with the dependency versions the workspace
    /// tested. Without a readable lock file nothing is added.
    pub fn add_lockfile(&self, options: &codegen::Options, files: &mut Vec<codegen::File>) {
        if options.standalone
            && let Ok(lock) = std::fs::read_to_string(self.root.join("Cargo.lock"))
        {
            files.push(codegen::File {
                path: "Cargo.lock".into(),
                contents: lock,
            });
            files.sort_by(|a, b| a.path.cmp(&b.path));
        }
    }
}

/// What [`Workspace::regenerate`] found: the plan, and what the cache
/// learnt.
#[derive(Debug)]
pub struct Regenerated {
    /// What brings the folder up to date.
    pub plan: Plan,
    /// How many files the crate has.
    pub files: usize,
    /// How many of them were emitted and formatted (the others were found
    /// unchanged on disk).
    pub emitted: usize,
    /// Every file of the crate and the SHA-1 of its contents, for
    /// [`Cache::record_run`].
    pub outputs: BTreeMap<String, Digest>,
    /// The cache with this run's records (not saved).
    pub cache: Cache,
}

/// Why [`Workspace::regenerate`] could not make a plan.
#[derive(Debug)]
pub enum RegenerateError {
    /// The output folder is not codegen's, or cannot be read.
    Plan(PlanError),
    /// The generator failed.
    Codegen(codegen::Error),
}

impl std::fmt::Display for RegenerateError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RegenerateError::Plan(e) => write!(f, "{e}"),
            RegenerateError::Codegen(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for RegenerateError {}

impl Workspace {
    /// [`Workspace::generate`] and [`crate::out_dir::plan`] for the folder
    /// `out` (normalised), emitting only the files the cache cannot vouch
    /// for: a file whose inputs have the key recorded for it and whose
    /// bytes on disk hash as recorded is kept as it is; every other file
    /// is generated and compared byte for byte.
    pub fn regenerate(
        &self,
        api: &apidoc::ir::Api,
        options: &codegen::Options,
        out: &Path,
        cache: &Cache,
    ) -> Result<Regenerated, RegenerateError> {
        let folder = crate::out_dir::read(out).map_err(RegenerateError::Plan)?;
        self.regenerate_in(api, options, folder, cache)
    }

    /// [`Workspace::regenerate`] for a folder already read.
    pub fn regenerate_in(
        &self,
        api: &apidoc::ir::Api,
        options: &codegen::Options,
        folder: Folder,
        cache: &Cache,
    ) -> Result<Regenerated, RegenerateError> {
        let keys = crate::cache::keys(cache.generator(), api, options);
        let unchanged = cache.unchanged(&keys, &folder);
        let wanted = |path: &str| !unchanged.contains(Path::new(path));
        let mut files =
            codegen::generate_only(api, options, &wanted).map_err(RegenerateError::Codegen)?;
        let emitted = files.len();
        self.add_lockfile(options, &mut files);
        let made = crate::cache::digests_of(&files);
        let mut outputs = made.clone();
        for rel in &unchanged {
            if let (Some(digest), Some(path)) = (folder.digest(rel), rel.to_str()) {
                outputs.insert(path.to_owned(), digest);
            }
        }
        let mut cache = cache.clone();
        cache.record_digests(&keys, &made);
        let plan = folder.plan(&files, &unchanged);
        Ok(Regenerated {
            plan,
            files: files.len() + unchanged.len(),
            emitted,
            outputs,
            cache,
        })
    }
}
