//! `cargo xtask codegen`: specs -> IR -> files, written only when every
//! file is computed and every change has been checked, only where the
//! bytes changed, and all or nothing.
//!
//! On the way it says what cargo would: the specs' warnings, each where it
//! is, then a count; and, when the specs folder is in a git work tree,
//! what the regeneration breaks in the public API compared with the specs
//! as committed at `HEAD` (see [`api_changes`]).

use crate::folder::Folder;
use anyhow::{Context, bail};
use apidiff::Impact;
use disk::Workspace;
use disk::cache;
#[cfg(test)]
use disk::cache::Cache;
pub use disk::run::Cached;
use disk::run::Outcome;
use std::io::IsTerminal;
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};

/// What `cargo xtask codegen` was asked to do.
#[derive(Debug, Clone)]
pub struct Args {
    /// The specs folder.
    pub specs: PathBuf,
    /// The crate folder.
    pub out: PathBuf,
    /// Only report stale files.
    pub check: bool,
    /// Warnings fail the run.
    pub deny_warnings: bool,
}

/// The specs and output folders, normalised, and checked not to overlap.
pub fn folders(specs: &Path, out: &Path) -> anyhow::Result<(PathBuf, PathBuf)> {
    let specs =
        disk::path::normalize(specs).with_context(|| format!("--specs `{}`", specs.display()))?;
    let out = disk::path::normalize(out).with_context(|| format!("--out `{}`", out.display()))?;
    if disk::path::overlap(&specs, &out) {
        bail!(
            "the output folder {} and the specs folder {} overlap: codegen would write into its own input; pass an --out outside the specs",
            out.display(),
            specs.display()
        );
    }
    Ok((specs, out))
}

/// `1 warning`, `9 warnings`.
fn count(n: usize, what: &str) -> String {
    format!("{n} {what}{}", if n == 1 { "" } else { "s" })
}

/// Every file of the crate for the specs, in memory; `Err` carries the
/// rendered diagnostics when the specs have errors.
#[cfg(test)]
pub fn generate(
    ws: &Workspace,
    specs: &Path,
    out: &Path,
) -> anyhow::Result<Result<Vec<codegen::File>, String>> {
    let sources =
        apidoc::read_dir(specs).with_context(|| format!("reading {}", specs.display()))?;
    let loaded = apidoc::parse(sources).finish();
    if let Err(text) = disk::run::note(&loaded, false) {
        return Ok(Err(text));
    }
    let options = ws.options_for(out).context("finding crates/runtime")?;
    Ok(Ok(ws.generate(&loaded.api, &options)?))
}

/// The specs as committed at git `HEAD`, compared with the specs being
/// generated.
#[derive(Debug)]
pub enum Previous {
    /// They differ: the specs at `HEAD`.
    Differs(Folder),
    /// The specs are byte for byte those at `HEAD`.
    Same,
    /// Nothing to compare with, and why.
    None(String),
}

/// The specs at git `HEAD` for `sources`, read from `specs`. Without git,
/// outside a work tree, or when `HEAD` has no such folder there is
/// nothing to compare with.
pub fn previous(specs: &Path, sources: &apidoc::Sources) -> Previous {
    if !crate::git::in_work_tree(specs) {
        return Previous::None(format!(
            "{} is not in a git work tree (or git is not installed)",
            specs.display()
        ));
    }
    match crate::git::folder_at(specs, "HEAD") {
        Ok(Some(old)) if same(&old, sources) => Previous::Same,
        Ok(Some(old)) => Previous::Differs(old),
        Ok(None) => Previous::None(format!("{} is not in git HEAD", specs.display())),
        Err(e) => Previous::None(format!("{e:#}")),
    }
}

/// The API change report from the specs at `HEAD` to `new`, and the
/// version at `HEAD`; `None` when there is nothing to compare.
pub fn api_changes(previous: Previous, new: &apidoc::ir::Api) -> Option<(apidiff::Report, String)> {
    match previous {
        Previous::Differs(old) => {
            let old = old.load();
            Some((apidiff::diff(&old.api, new), old.api.service.version))
        }
        Previous::Same => None,
        Previous::None(why) => {
            eprintln!("note: no API change report: {why}");
            None
        }
    }
}

/// Whether a folder from git has exactly the files of `sources`.
fn same(folder: &Folder, sources: &apidoc::Sources) -> bool {
    folder.pages.len() == sources.pages.len()
        && sources
            .pages
            .iter()
            .all(|f| folder.pages.get(&f.path) == Some(&f.bytes))
        && folder.service.as_ref() == sources.service.as_ref().map(|f| &f.bytes)
        && folder.overrides.as_ref() == sources.overrides.as_ref().map(|f| &f.bytes)
}

/// Prints the breaking part of the report and the bump it needs; a line
/// for other changes. Returns whether it warned: breaking changes without
/// the version they need in `service.toml`.
fn print_api_changes(changes: Option<(apidiff::Report, String)>, version_now: &str) -> bool {
    let (report, version_then) = match changes {
        Some((report, version)) if !report.is_empty() => (report, version),
        _ => return false,
    };
    let version_then = version_then.as_str();
    let breaking: Vec<_> = report
        .changes
        .iter()
        .filter(|c| c.impact == Impact::Breaking)
        .cloned()
        .collect();
    if breaking.is_empty() {
        let n = |i: Impact| report.changes.iter().filter(|c| c.impact == i).count();
        eprintln!(
            "note: API changes since git HEAD: {} compatible, {} documentation only (semver {}); `cargo xtask diff` lists them",
            n(Impact::Compatible),
            n(Impact::Documentation),
            report.bump.label()
        );
        return false;
    }
    let wanted = report.bump.apply(version_then);
    let bumped = wanted
        .as_ref()
        .is_ok_and(|w| version(version_now) >= version(w) && version(version_now).is_some());
    let level = if bumped { "note" } else { "warning" };
    eprintln!(
        "{level}: this regeneration changes the public API incompatibly, compared with the specs at git HEAD:"
    );
    eprintln!("{}", apidiff::Report::from_changes(breaking).render_text());
    match wanted {
        Ok(w) if bumped => eprintln!(
            "{level}: the version goes from {version_then} to {w} or later: service.toml has {version_now}"
        ),
        Ok(w) => eprintln!(
            "{level}: the version should go from {version_then} to {w}, but service.toml has {version_now}: `cargo xtask import --bump` sets it, or edit `version` in service.toml"
        ),
        Err(e) => eprintln!("{level}: no version to propose: {e}"),
    }
    eprintln!();
    !bumped
}

/// `MAJOR.MINOR.PATCH` as numbers, for comparing.
fn version(v: &str) -> Option<(u64, u64, u64)> {
    let mut parts = v.split('.').map(|p| p.parse::<u64>().ok());
    let v = (parts.next()??, parts.next()??, parts.next()??);
    parts.next().is_none().then_some(v)
}

/// Why `--deny-warnings` stopped the run: the specs' warnings, or else an
/// API that breaks without the version it needs.
fn denied(warnings: usize, out: &Path) {
    let why = if warnings > 0 {
        format!("the specs have {}", count(warnings, "warning"))
    } else {
        "the API breaks without the version it needs".to_string()
    };
    eprintln!(
        "error: --deny-warnings: {why}; {} was not touched",
        out.display()
    );
}

/// Runs codegen; in check mode nothing is written and stale files fail the run.
pub fn run(ws: &Workspace, args: &Args) -> anyhow::Result<bool> {
    run_with(ws, args, &mut disk::RealFs)
}

/// [`run`] with the file operations given, so a test can make one fail.
pub fn run_with(ws: &Workspace, args: &Args, fs: &mut dyn disk::Fs) -> anyhow::Result<bool> {
    let out = folders(&args.specs, &args.out)?.1;
    let cache = Cached {
        path: Some(cache::location(ws, &out)),
        generator: cache::generator(),
    };
    run_cached(ws, args, fs, &cache)
}

/// [`run_with`] with the cache given: [`disk::run::codegen`] (the steps
/// the benchmarks time too), with the xtask's messages, the API change
/// report and the writing.
///
/// A run whose inputs (specs bytes, options, generator) are those of the
/// run the cache recorded, into a folder that holds exactly what that run
/// produced, loads nothing: it prints the warnings that run printed and is
/// done. Otherwise the specs are loaded, and only the files the cache
/// cannot vouch for are emitted ([`Workspace::regenerate`]); every other
/// file is compared with the disk byte for byte, as without a cache.
pub fn run_cached(
    ws: &Workspace,
    args: &Args,
    fs: &mut dyn disk::Fs,
    cached: &Cached,
) -> anyhow::Result<bool> {
    let start = std::time::Instant::now();
    let (specs, out) = folders(&args.specs, &args.out)?;
    let (specs, out) = (specs.as_path(), out.as_path());
    let sources =
        apidoc::read_dir(specs).with_context(|| format!("reading {}", specs.display()))?;
    let previous = previous(specs, &sources);
    let options = ws.options_for(out).context("finding crates/runtime")?;
    let styled = std::io::stderr().is_terminal();
    let request = disk::run::Request {
        out,
        options,
        cache: cached,
        styled,
        may_skip: !matches!(previous, Previous::Differs(_)),
    };
    let no_report = match &previous {
        Previous::None(why) => Some(why.clone()),
        _ => None,
    };
    let outcome = disk::run::codegen(ws, &request, sources, |api, note| {
        eprint!("{}", note.render(specs));
        let changes = api_changes(previous, api);
        let unbumped = print_api_changes(changes, &api.service.version);
        let warnings = note.warnings;
        if args.deny_warnings && (warnings > 0 || unbumped) {
            denied(warnings, out);
            return ControlFlow::Break(());
        }
        ControlFlow::Continue(())
    });
    let disk::run::Planned {
        plan,
        files,
        unsaved,
        ..
    } = match outcome {
        Ok(Outcome::Planned(planned)) => planned,
        Ok(Outcome::Skipped { note, files }) => {
            eprint!("{}", note.render(specs));
            if let Some(why) = no_report {
                eprintln!("note: no API change report: {why}");
            }
            if args.deny_warnings && note.warnings > 0 {
                denied(note.warnings, out);
                return Ok(false);
            }
            if !args.check {
                eprintln!(
                    "generated {files} files into {} (0 changed, unchanged since the last run) in {:.2?}",
                    out.display(),
                    start.elapsed()
                );
            }
            return Ok(true);
        }
        Ok(Outcome::Errors(diagnostics)) => {
            eprintln!("{diagnostics}");
            eprintln!(
                "error: the specs have errors; {} was not touched",
                out.display()
            );
            return Ok(false);
        }
        Ok(Outcome::Stopped(())) => return Ok(false),
        Err(disk::RegenerateError::Plan(e)) => {
            eprintln!("error: {e}");
            eprintln!("error: nothing was written");
            return Ok(false);
        }
        Err(disk::RegenerateError::Codegen(e)) => return Err(e.into()),
    };
    if let (Some(e), Some(path)) = (unsaved, &cached.path) {
        eprintln!(
            "warning: could not save the codegen cache {}: {e}",
            path.display()
        );
    }
    if args.check {
        if plan.is_empty() {
            return Ok(true);
        }
        for item in &plan.items {
            eprintln!("stale: {}", plan.describe(item));
        }
        eprintln!(
            "{} is out of date with {}: run `cargo xtask codegen` and commit the result",
            out.display(),
            specs.display()
        );
        return Ok(false);
    }
    let prepared = match disk::prepare(plan.changes()) {
        Ok(p) => p,
        Err(problems) => {
            for p in &problems {
                eprintln!("error: {p}");
            }
            eprintln!("error: nothing was written to {}", out.display());
            return Ok(false);
        }
    };
    if !crate::apply::apply(&prepared, fs, &format!("{} is as it was", out.display())) {
        return Ok(false);
    }
    eprintln!(
        "generated {files} files into {} ({} changed) in {:.2?}",
        out.display(),
        prepared.len(),
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
        let ws = Workspace::at(&crate::project_root()).unwrap();
        let out = ws.generated();
        let files = generate(&ws, &ws.specs(), &out)
            .unwrap()
            .unwrap_or_else(|d| panic!("specs have errors:\n{d}"));
        let plan = disk::out_dir::plan(&out, &files).unwrap();
        let stale: Vec<_> = plan.items.iter().map(|i| plan.describe(i)).collect();
        assert!(
            stale.is_empty(),
            "generated/ is stale, run `cargo xtask codegen` and commit the result:\n{}",
            stale.join("\n")
        );
    }

    /// A full disk or any other failure at any step of the write leaves the
    /// output byte for byte as it was; the run after it succeeds.
    #[cfg(unix)]
    #[test]
    fn a_failure_at_any_step_of_the_write_leaves_the_output_as_it_was() {
        let ws = Workspace::at(&crate::project_root()).unwrap();
        let (tmp, specs) = crate::scratch::seeded("failing");
        let out = tmp.join("out");
        let args = Args {
            specs: specs.clone(),
            out: out.clone(),
            check: false,
            deny_warnings: false,
        };
        assert!(run(&ws, &args).unwrap());
        // Three files change, one is no longer generated.
        let edit = |file: &str, from: &str, to: &str| {
            let path = specs.join(file);
            let text = std::fs::read_to_string(&path).unwrap();
            assert!(text.contains(from), "{from}");
            std::fs::write(path, text.replacen(from, to, 1)).unwrap();
        };
        edit("AppGetProducts.md", "| 设备 ID 数组 ", "| 设备 ID 列表 ");
        edit("structures.md", "产品名称", "产品的名称");
        edit(
            "AppGetDeviceOTAInfo.md",
            "| DeviceName  | String |",
            "| DeviceName  | Int |",
        );
        std::fs::write(out.join("src/actions/obsolete.rs"), codegen::HEADER).unwrap();
        for full_disk in [false, true] {
            let before = crate::scratch::tree(&out);
            let mut failures = 0;
            for n in 1.. {
                let mut fs = if full_disk {
                    disk::FailingFs::full_disk_at(n)
                } else {
                    disk::FailingFs::nth(n)
                };
                if run_with(&ws, &args, &mut fs).unwrap() {
                    break;
                }
                failures += 1;
                assert_eq!(
                    crate::scratch::tree(&out),
                    before,
                    "n = {n}, full disk: {full_disk}"
                );
            }
            assert!(failures >= 4, "{failures} failures");
            if !full_disk {
                // Undo the change for the second round.
                assert!(crate::scratch::tree(&out) != before);
                let _ = std::fs::remove_dir_all(&out);
                let mut first = args.clone();
                first.specs = ws.specs();
                assert!(run(&ws, &first).unwrap());
                std::fs::write(out.join("src/actions/obsolete.rs"), codegen::HEADER).unwrap();
            }
        }
        assert!(!out.join("src/actions/obsolete.rs").exists());
        let _ = std::fs::remove_dir_all(&tmp);
    }

    /// `--check` through the cache stays exact: a run that changed nothing
    /// is skipped whole, but a hand-edited file, a changed page and another
    /// generator are each seen, and a damaged cache is only slower.
    #[test]
    fn the_cache_never_hides_a_stale_file() {
        let ws = Workspace::at(&crate::project_root()).unwrap();
        let (tmp, specs) = crate::scratch::seeded("cache");
        let out = tmp.join("out");
        let mut args = Args {
            specs: specs.clone(),
            out: out.clone(),
            check: false,
            deny_warnings: false,
        };
        let cached = |name: &str| Cached {
            path: Some(tmp.join("cache")),
            generator: cache::Digest::of(name.as_bytes()),
        };
        let run = |args: &Args, c: &Cached| run_cached(&ws, args, &mut disk::RealFs, c).unwrap();
        assert!(run(&args, &cached("a")));
        let check = Args {
            check: true,
            ..args.clone()
        };
        assert!(run(&check, &cached("a")), "fresh");
        let recorded = Cache::load(&tmp.join("cache"), cached("a").generator);
        assert!(!recorded.is_empty());

        // A hand-edited file: the run key matches, the folder does not.
        let file = out.join("src/actions/app_get_products.rs");
        let original = std::fs::read_to_string(&file).unwrap();
        std::fs::write(&file, format!("{original}// edited\n")).unwrap();
        assert!(!run(&check, &cached("a")), "a hand-edited file is stale");
        // A changed page as well: the file-level cache still sees the edit.
        let page = specs.join("AppGetDeviceOTAInfo.md");
        let text = std::fs::read_to_string(&page).unwrap();
        std::fs::write(&page, format!("{text}\n")).unwrap();
        assert!(!run(&check, &cached("a")));
        std::fs::write(&file, &original).unwrap();
        assert!(run(&check, &cached("a")), "a blank line changes no file");

        // Another generator made the edited file and recorded it: this
        // generator does not take its word.
        std::fs::write(&file, format!("{original}// older\n")).unwrap();
        assert!(!run(&check, &cached("b")));
        // A damaged cache is an empty one.
        std::fs::write(tmp.join("cache"), "iot-explorer codegen cache 1\ngarbage").unwrap();
        assert!(!run(&check, &cached("a")));
        args.check = false;
        assert!(run(&args, &cached("a")));
        assert_eq!(std::fs::read_to_string(&file).unwrap(), original);
        assert!(run(&check, &cached("a")));
        let _ = std::fs::remove_dir_all(&tmp);
    }

    #[test]
    fn versions_compare_as_numbers() {
        assert!(version("0.10.0") > version("0.9.1"));
        assert_eq!(version("1.2"), None);
        assert_eq!(version("1.2.3.4"), None);
        assert_eq!(version("1.2.x"), None);
    }
}
