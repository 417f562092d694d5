//! `cargo xtask import DIR`: refresh the specs from a folder of pages as
//! Tencent publishes them.
//!
//! Pages are matched by what they document, not by file name: each page
//! of DIR and of the specs gets a [`Role`] from its content, pages with the
//! same [`Key`] are the same page, and the [`Plan`] says what happens to
//! each. The would-be specs are built in memory and loaded with the specs'
//! `service.toml` and `overrides.toml`; only if that load has no error is
//! anything written (and then only pages, plus the version with `--bump`).

mod pages;
mod plan;
#[cfg(test)]
mod tests;

use pages::{is_channel_file_name, is_spec_file_name, roles};
use plan::{Plan, Step, plan, render_plan, would_be, writes};

use crate::diff::Output;
use crate::flags::Format;
use crate::folder::{self, Folder};
use crate::version;
use anyhow::{Context, bail};
use disk::Change;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// What to import where, with every default resolved.
#[derive(Debug, Clone)]
pub struct Args {
    /// The folder of published pages.
    pub dir: PathBuf,
    /// The specs folder.
    pub specs: PathBuf,
    /// Where `--bump` writes `CHANGELOG.md`.
    pub out: PathBuf,
    /// Remove pages of actions no longer published.
    pub prune: bool,
    /// Write nothing.
    pub dry_run: bool,
    /// Write nothing, and fail if anything would be written.
    pub check: bool,
    /// Set the version and write the changelog entry.
    pub bump: bool,
    /// How the report is printed.
    pub format: Format,
}

/// Runs the import; `Ok(false)` when the imported pages have errors or
/// cannot be written. Nothing is written unless every change passed its
/// checks, and then all changes are made or none.
pub fn run(args: &Args) -> anyhow::Result<bool> {
    run_with(args, &mut disk::RealFs)
}

/// [`run`] with the file operations given, so a test can make one fail.
pub fn run_with(args: &Args, fs: &mut dyn disk::Fs) -> anyhow::Result<bool> {
    let normalize = |p: &Path, flag: &str| {
        disk::path::normalize(p).with_context(|| format!("{flag} `{}`", p.display()))
    };
    let args = &Args {
        dir: normalize(&args.dir, "DIR")?,
        specs: normalize(&args.specs, "--specs")?,
        out: normalize(&args.out, "--out")?,
        ..args.clone()
    };
    let out = Output::new(args.format);
    let specs = Folder::read(&args.specs)?;
    let (dir, links) = Folder::read_published(&args.dir)?;
    for link in &links {
        eprintln!(
            "warning: skipped {}: a symbolic link; import never imports through links",
            args.dir.join(link).display()
        );
    }
    // DIR's own settings files, if any, are not the specs': ignored.
    let dir = Folder {
        service: specs.service.clone(),
        overrides: None,
        ..dir
    };
    if dir.pages.is_empty() {
        bail!("{} has no `.md` or `.txt` pages", args.dir.display());
    }
    let plan = plan(&specs, &roles(&specs), &dir, &roles(&dir), args.prune);
    let next = would_be(&specs, &dir, &plan);
    let new = next.load();
    if new.diagnostics.has_errors() {
        eprintln!("{}", render_errors(&next, &new, &plan, args));
        eprintln!(
            "error: the imported pages have errors; {} was not touched",
            args.specs.display()
        );
        return Ok(false);
    }
    if let Some(page) = plan.unnamed.first() {
        bail!(
            "cannot tell which action {} documents; {} was not touched",
            args.dir.join(page).display(),
            args.specs.display()
        );
    }
    if !plan.invalid.is_empty() {
        for (page, what) in &plan.invalid {
            eprintln!(
                "error: {} documents {what}, which is not a plain identifier: it cannot name a page of the specs (<Action>.md)",
                args.dir.join(page).display()
            );
        }
        eprintln!("error: {} was not touched", args.specs.display());
        return Ok(false);
    }
    let old = specs.load();
    if old.diagnostics.has_errors() {
        eprintln!(
            "warning: {} has errors: the report compares what could be read of it",
            args.specs.display()
        );
    }
    let report = apidiff::diff(&old.api, &new.api);
    out.say(&render_plan(&plan, args.dry_run));
    out.report(&report);

    let current = &old.api.service.version;
    let proposed = report.bump.apply(current);
    out.say(&format!(
        "\n{}",
        version_line(current, &proposed, &report, args)
    ));
    if !new.diagnostics.is_empty() {
        out.say(&format!("lint: {}", new.diagnostics.summary()));
    }
    let mut changes = page_changes(&plan, &dir, &args.specs)?;
    let bumped = match proposed {
        Ok(version) if args.bump && report.bump != apidiff::Bump::None => {
            changes.extend(bump_changes(&args.specs, &args.out, &version, &report)?);
            Some(version)
        }
        Err(e) if args.bump && report.bump != apidiff::Bump::None => bail!(e),
        _ => None,
    };
    // Everything that can fail is checked before the first change, in a
    // dry run too, so that it says whether the real run would succeed.
    let prepared = match disk::prepare(changes) {
        Ok(p) => p,
        Err(problems) => {
            for p in &problems {
                eprintln!("error: {p}");
            }
            eprintln!(
                "error: nothing was written{}",
                if args.dry_run { " (dry run)" } else { "" }
            );
            return Ok(false);
        }
    };
    if args.check {
        if prepared.is_empty() {
            out.say(&format!(
                "up to date: importing {} would change nothing in {}",
                args.dir.display(),
                args.specs.display()
            ));
            return Ok(true);
        }
        for path in prepared.targets() {
            eprintln!("error: the import would change {}", path.display());
        }
        eprintln!(
            "error: {} is not up to date with {}: import it (nothing was written)",
            args.specs.display(),
            args.dir.display()
        );
        return Ok(false);
    }
    if args.dry_run {
        out.say("dry run: nothing was written");
        return Ok(true);
    }
    if prepared.is_empty() {
        out.say(&format!(
            "nothing to write: {} is up to date with {}",
            args.specs.display(),
            args.dir.display()
        ));
        return Ok(true);
    }
    if !crate::apply::apply(&prepared, fs, "nothing was changed") {
        return Ok(false);
    }
    if let Some(version) = bumped {
        out.say(&format!(
            "set version {version} in {} and added its entry to {}",
            args.specs.join(apidoc::SERVICE_FILE).display(),
            args.out.join(disk::out_dir::CHANGELOG).display()
        ));
    }
    out.say(&format!(
        "updated {}; now run `cargo xtask codegen`, review the diff of the generated crate and commit",
        args.specs.display()
    ));
    Ok(true)
}

/// The errors of the would-be specs, shown where they are: pages from DIR
/// at their DIR path, everything else in the specs folder.
fn render_errors(next: &Folder, loaded: &apidoc::Loaded, plan: &Plan, args: &Args) -> String {
    let origin: BTreeMap<&String, &String> = writes(plan)
        .chain(plan.unnamed.iter().map(|f| (f, f)))
        .collect();
    let label = |path: &str| -> String {
        let full = match origin.get(&path.to_string()) {
            Some(from) => args.dir.join(from),
            None => args.specs.join(path),
        };
        full.display().to_string()
    };
    let shown = next.load_as(&label);
    // Labels change the path order the loader sorts by; never hide an error.
    let shown = if shown.diagnostics.has_errors() {
        &shown
    } else {
        loaded
    };
    folder::render_errors(shown)
}

fn version_line(
    current: &str,
    proposed: &Result<String, String>,
    report: &apidiff::Report,
    args: &Args,
) -> String {
    match (report.bump, proposed) {
        (apidiff::Bump::None, _) => format!("Version: {current}, unchanged (no API changes)"),
        (_, Ok(next)) if args.bump => format!(
            "Version: {current} -> {next}, to be set in service.toml, with a CHANGELOG.md entry"
        ),
        (_, Ok(next)) => format!(
            "Version: {current} -> {next} proposed; `--bump` sets it and writes the CHANGELOG.md entry"
        ),
        (_, Err(e)) => format!("Version: no proposal: {e}"),
    }
}

/// The pages to remove and write. A page is only ever written as
/// `<ident>.md` or `<ident>__<word>.md` at the top of the specs.
fn page_changes(plan: &Plan, dir: &Folder, specs: &Path) -> anyhow::Result<Vec<Change>> {
    let mut changes = Vec::new();
    // A renamed page's old path may be another page's new one: that is a
    // write, and the path is changed once.
    let written: BTreeSet<&String> = writes(plan).map(|(file, _)| file).collect();
    for step in &plan.steps {
        if let Step::Replace {
            old: Some(file), ..
        }
        | Step::Remove { file, .. } = step
            && !written.contains(file)
        {
            changes.push(Change::remove(specs, file));
        }
    }
    for (file, from) in writes(plan) {
        if !is_spec_file_name(file) && !is_channel_file_name(file) {
            bail!("refusing to write `{file}`: not a page name import writes; nothing was written");
        }
        changes.push(Change::write(specs, file, dir.pages[from].clone()));
    }
    Ok(changes)
}

/// The new version line in `service.toml` and the CHANGELOG entry.
fn bump_changes(
    specs: &Path,
    out: &Path,
    version: &str,
    report: &apidiff::Report,
) -> anyhow::Result<Vec<Change>> {
    let service = specs.join(apidoc::SERVICE_FILE);
    let text = std::fs::read_to_string(&service)
        .with_context(|| format!("reading {}", service.display()))?;
    let Some(text) = version::set_version(&text, version) else {
        bail!(
            "{} has no top-level `version = \"…\"` line to bump",
            service.display()
        );
    };
    // The changelog goes beside the generated crate: only into a folder
    // that is codegen's (or does not exist yet).
    if let Err(e) = disk::out_dir::plan(out, &[]) {
        bail!(
            "--bump cannot write {}/{}: {e}",
            out.display(),
            disk::out_dir::CHANGELOG
        );
    }
    let changelog = out.join(disk::out_dir::CHANGELOG);
    let existing = match std::fs::read_to_string(&changelog) {
        Ok(t) => Some(t),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(e).with_context(|| format!("reading {}", changelog.display())),
    };
    let log = version::add_changelog_entry(existing.as_deref(), version, &report.render_markdown());
    Ok(vec![
        Change::write(specs, apidoc::SERVICE_FILE, text),
        Change::write(out, disk::out_dir::CHANGELOG, log),
    ])
}
