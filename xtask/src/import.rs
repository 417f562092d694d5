//! `cargo xtask import DIR`: refresh the specs from a folder of pages as
//! Tencent publishes them.
//!
//! Pages are matched by what they document, not by file name: each page
//! of DIR and of the specs gets a [`Role`] from its content, pages with the
//! same [`Key`] are the same page, and the [`Plan`] says what happens to
//! each. The would-be specs are built in memory and loaded with the specs'
//! `service.toml` and `overrides.toml`; only if that load has no error is
//! anything written (and then only pages, plus the version with `--bump`).

use crate::diff::Output;
use crate::flags::Format;
use crate::folder::{self, Folder};
use crate::version;
use anyhow::{Context, bail};
use apidoc::ir;
use apidoc::lower::PageKind;
use disk::Change;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// Which pages of two folders are the same page.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Key {
    /// An action and its sub-command value, lower-cased: a rename by case
    /// only keeps the method name, so it is the same page.
    Action(String, Option<String>),
    /// The n-th structures page (1-based), in path order.
    Structures(usize),
}

/// What a page is to `import`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Role {
    /// An action or structures page and the file it is in the specs.
    Named {
        key: Key,
        file: String,
        what: String,
    },
    /// Another page for an action that an earlier page (by path) documents;
    /// the loader would ignore it.
    Duplicate { what: String, first: String },
    /// Neither an interface page nor a structures page: the introduction.
    Other,
    /// An interface page whose action cannot be told, or a file that is
    /// not UTF-8. Loading it is an error.
    Unnamed,
    /// An interface page whose action (or sub-command value) is not a
    /// plain identifier, so it cannot name a file in the specs.
    Invalid { what: String },
}

/// Tells what every page of `folder` is, from its content: the actions as
/// the pages name them (before overrides), with `service.toml` applied so
/// that sub-commands are recognised.
pub fn roles(folder: &Folder) -> BTreeMap<String, Role> {
    let loaded = folder.load_without_overrides();
    let by_source: BTreeMap<&str, &ir::Action> = loaded
        .api
        .actions
        .iter()
        .map(|a| (a.source.as_str(), a))
        .collect();
    let mut first: BTreeMap<Key, String> = BTreeMap::new();
    let mut structures = 0;
    let mut out = BTreeMap::new();
    for (path, bytes) in &folder.pages {
        let kind = std::str::from_utf8(bytes)
            .map(|text| apidoc::lower::classify(&apidoc::page::parse(text)));
        let role = match kind {
            Err(_) => Role::Unnamed,
            Ok(PageKind::Other) => Role::Other,
            Ok(PageKind::Structures) => {
                structures += 1;
                let file = if structures == 1 {
                    "structures.md".to_string()
                } else {
                    format!("structures__{structures}.md")
                };
                Role::Named {
                    key: Key::Structures(structures),
                    file,
                    what: "the structures page".into(),
                }
            }
            Ok(PageKind::Action) => {
                // A page the loader skipped as a duplicate is loaded on its own to learn its action.
                let action = by_source
                    .get(path.as_str())
                    .map(|a| (*a).clone())
                    .or_else(|| alone(folder, path, bytes));
                match action {
                    None => Role::Unnamed,
                    Some(a) => {
                        let key = Key::Action(
                            a.name.to_lowercase(),
                            a.sub_command.as_ref().map(|s| s.value.to_lowercase()),
                        );
                        match first.get(&key) {
                            Some(earlier) => Role::Duplicate {
                                what: describe(&a),
                                first: earlier.clone(),
                            },
                            None => match file_name(&a) {
                                Some(file) => {
                                    first.insert(key.clone(), path.clone());
                                    Role::Named {
                                        key,
                                        file,
                                        what: describe(&a),
                                    }
                                }
                                None => Role::Invalid { what: describe(&a) },
                            },
                        }
                    }
                }
            }
        };
        out.insert(path.clone(), role);
    }
    out
}

fn alone(folder: &Folder, path: &str, bytes: &[u8]) -> Option<ir::Action> {
    let page = Folder {
        pages: [(path.to_string(), bytes.to_vec())].into(),
        service: folder.service.clone(),
        overrides: None,
    };
    page.load_without_overrides().api.actions.into_iter().next()
}

/// `AppGetProducts`, or `AppKugouUserCommand` with `KGCommand=song_url`.
fn describe(a: &ir::Action) -> String {
    match &a.sub_command {
        Some(s) => format!("`{}` with `{}={}`", a.name, s.name, s.value),
        None => format!("`{}`", a.name),
    }
}

/// `<Action>.md` or `<Action>__<sub-command>.md`, or `None` when the
/// action is not a plain identifier (ASCII letters, digits and `_`, not
/// starting with a digit) or the sub-command value has anything but ASCII
/// letters, digits and `_`: such a name is refused, never rewritten.
fn file_name(a: &ir::Action) -> Option<String> {
    let name = match &a.sub_command {
        Some(s) => format!("{}__{}.md", a.name, s.value),
        None => format!("{}.md", a.name),
    };
    is_spec_file_name(&name).then_some(name)
}

/// Whether `name` is a file name import may write in the specs:
/// `<ident>.md` or `<ident>__<word>.md`, where a word is ASCII letters,
/// digits and `_` (so also `structures.md` and `structures__2.md`).
pub fn is_spec_file_name(name: &str) -> bool {
    let Some(stem) = name.strip_suffix(".md") else {
        return false;
    };
    let word = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
    let (first, rest) = match stem.split_once("__") {
        Some((a, b)) if !a.is_empty() => (a, Some(b)),
        _ => (stem, None),
    };
    word(first) && !first.as_bytes()[0].is_ascii_digit() && rest.is_none_or(word)
}

/// One thing import does (or would do) to a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// `from` (in DIR) becomes the new page `file`.
    Add { file: String, from: String },
    /// `from` replaces `file`; `old` is the page's current path when it
    /// had another name (it is removed).
    Replace {
        file: String,
        from: String,
        old: Option<String>,
    },
    /// `file` already has the bytes of `from`.
    Unchanged { file: String, from: String },
    /// `file` documents something DIR no longer has; removed (`--prune`).
    Remove { file: String, what: String },
    /// The same, kept (no `--prune`).
    Keep { file: String, what: String },
    /// `from` is not imported.
    Skip { from: String, why: String },
}

/// Every step, in DIR order then specs order, and the DIR pages that
/// cannot be named (they make the would-be specs fail to load).
#[derive(Debug, Default)]
pub struct Plan {
    pub steps: Vec<Step>,
    pub unnamed: Vec<String>,
    /// DIR pages whose action cannot name a file, and what they document.
    pub invalid: Vec<(String, String)>,
}

/// Matches the pages of DIR with those of the specs by [`Key`].
pub fn plan(
    specs: &Folder,
    specs_roles: &BTreeMap<String, Role>,
    dir: &Folder,
    dir_roles: &BTreeMap<String, Role>,
    prune: bool,
) -> Plan {
    let existing: BTreeMap<&Key, (&str, &str)> = specs_roles
        .iter()
        .filter_map(|(path, role)| match role {
            Role::Named { key, what, .. } => Some((key, (path.as_str(), what.as_str()))),
            _ => None,
        })
        .collect();
    let mut plan = Plan::default();
    let mut incoming = BTreeSet::new();
    let mut written = BTreeSet::new();
    for (from, role) in dir_roles {
        let from = from.clone();
        plan.steps.push(match role {
            Role::Named { file, what, .. } if written.contains(file.as_str()) => Step::Skip {
                from,
                why: format!("documents {what}, but another page is imported as {file}"),
            },
            Role::Named { key, file, .. } => {
                incoming.insert(key);
                written.insert(file.as_str());
                let file = file.clone();
                match existing.get(key) {
                    Some(&(old, _)) if old == file && specs.pages[old] == dir.pages[&from] => {
                        Step::Unchanged { file, from }
                    }
                    Some(&(old, _)) => Step::Replace {
                        old: (old != file).then(|| old.to_string()),
                        file,
                        from,
                    },
                    None if specs.pages.contains_key(&file) => Step::Replace {
                        file,
                        from,
                        old: None,
                    },
                    None => Step::Add { file, from },
                }
            }
            Role::Duplicate { what, first } => Step::Skip {
                from,
                why: format!("documents {what} too; imported from {first}"),
            },
            Role::Other => Step::Skip {
                from,
                why: "not an interface page nor a structures page".into(),
            },
            Role::Unnamed => {
                plan.unnamed.push(from);
                continue;
            }
            Role::Invalid { what } => {
                plan.invalid.push((from, what.clone()));
                continue;
            }
        });
    }
    for (key, (file, what)) in existing {
        // A page another page is written over is replaced, not kept.
        if incoming.contains(key) || written.contains(file) {
            continue;
        }
        let (file, what) = (
            file.to_string(),
            format!("{what} is not among the imported pages"),
        );
        plan.steps.push(if prune {
            Step::Remove { file, what }
        } else {
            Step::Keep { file, what }
        });
    }
    plan
}

/// The specs as they would be after the plan; DIR pages that cannot be
/// named are added under their DIR path so that loading reports them.
pub fn would_be(specs: &Folder, dir: &Folder, plan: &Plan) -> Folder {
    let mut next = specs.clone();
    for step in &plan.steps {
        match step {
            Step::Replace {
                old: Some(file), ..
            }
            | Step::Remove { file, .. } => {
                next.pages.remove(file);
            }
            _ => {}
        }
    }
    for (file, from) in writes(plan).chain(plan.unnamed.iter().map(|f| (f, f))) {
        next.pages.insert(file.clone(), dir.pages[from].clone());
    }
    next
}

/// `(file in the specs, page in DIR)` for every page written.
fn writes(plan: &Plan) -> impl Iterator<Item = (&String, &String)> {
    plan.steps.iter().filter_map(|s| match s {
        Step::Add { file, from } | Step::Replace { file, from, .. } => Some((file, from)),
        _ => None,
    })
}

/// The plan as lines for people, grouped by what happens to the pages.
pub fn render_plan(plan: &Plan, dry_run: bool) -> String {
    let order = |s: &&Step| match s {
        Step::Add { file, .. } => (0, file.clone()),
        Step::Replace { file, .. } => (1, file.clone()),
        Step::Remove { file, .. } => (2, file.clone()),
        Step::Keep { file, .. } => (3, file.clone()),
        Step::Skip { from, .. } => (4, from.clone()),
        Step::Unchanged { file, .. } => (5, file.clone()),
    };
    let mut steps: Vec<&Step> = plan.steps.iter().collect();
    steps.sort_by_key(order);
    let mut s = String::new();
    let mut unchanged = 0;
    for step in steps {
        let _ = match step {
            Step::Add { file, from } => writeln!(s, "  add      {file}  <- {from}"),
            Step::Replace {
                file,
                from,
                old: None,
            } => writeln!(s, "  replace  {file}  <- {from}"),
            Step::Replace {
                file,
                from,
                old: Some(old),
            } => writeln!(s, "  replace  {file} (was {old})  <- {from}"),
            Step::Remove { file, what } => writeln!(s, "  remove   {file}  ({what})"),
            Step::Keep { file, what } => {
                writeln!(s, "  keep     {file}  ({what}; --prune removes it)")
            }
            Step::Skip { from, why } => writeln!(s, "  skip     {from}  ({why})"),
            Step::Unchanged { .. } => {
                unchanged += 1;
                Ok(())
            }
        };
    }
    let _ = writeln!(s, "  unchanged: {unchanged} page(s)");
    let title = if dry_run {
        "Pages (dry run: nothing is written):"
    } else {
        "Pages:"
    };
    format!("{title}\n{s}")
}

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
    match prepared.apply(fs) {
        Ok(applied) => {
            for (path, e) in &applied.leftovers {
                eprintln!(
                    "warning: could not remove the backup {}: {e}",
                    path.display()
                );
            }
        }
        Err(failed) => {
            eprintln!("error: {failed}");
            if failed.unrestored.is_empty() {
                eprintln!("error: nothing was changed");
            }
            return Ok(false);
        }
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
        if !is_spec_file_name(file) {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn page(action: &str) -> Vec<u8> {
        format!("## 1. 接口描述\n本接口（{action}）用于。\n\n## 2. 输入参数\n\n|名称|类型|必选|描述|\n|---|---|---|---|\n|Id|String|是|x|\n").into_bytes()
    }

    fn folder(pages: &[(&str, Vec<u8>)]) -> Folder {
        Folder {
            pages: pages
                .iter()
                .map(|(p, b)| (p.to_string(), b.clone()))
                .collect(),
            ..Folder::default()
        }
    }

    fn plan_for(specs: &Folder, dir: &Folder, prune: bool) -> Vec<Step> {
        plan(specs, &roles(specs), dir, &roles(dir), prune).steps
    }

    #[test]
    fn pages_are_matched_by_action_not_by_file_name() {
        let specs = folder(&[
            ("AppFoo.md", page("AppFoo")),
            ("AppGone.md", page("AppGone")),
            ("notes.md", b"# notes\n".to_vec()),
        ]);
        let dir = folder(&[
            ("a/改名.md", page("AppFOO")),
            ("b/重复.md", page("AppFoo")),
            ("c/新.md", page("AppNew")),
            ("简介.md", "## 简介\n\n文字\n".into()),
        ]);
        let s = |x: &str| x.to_string();
        assert_eq!(
            plan_for(&specs, &dir, false),
            vec![
                // A rename by case is the same page, under its new name.
                Step::Replace {
                    file: s("AppFOO.md"),
                    from: s("a/改名.md"),
                    old: Some(s("AppFoo.md"))
                },
                Step::Skip {
                    from: s("b/重复.md"),
                    why: s("documents `AppFoo` too; imported from a/改名.md")
                },
                Step::Add {
                    file: s("AppNew.md"),
                    from: s("c/新.md")
                },
                Step::Skip {
                    from: s("简介.md"),
                    why: s("not an interface page nor a structures page")
                },
                Step::Keep {
                    file: s("AppGone.md"),
                    what: s("`AppGone` is not among the imported pages")
                },
            ]
        );
        let pruned = plan_for(&specs, &dir, true);
        assert!(pruned.contains(&Step::Remove {
            file: s("AppGone.md"),
            what: s("`AppGone` is not among the imported pages")
        }));
        // Pages that are neither actions nor structures (notes.md) are left alone.
        assert!(
            !pruned
                .iter()
                .any(|st| format!("{st:?}").contains("notes.md"))
        );
    }

    #[test]
    fn the_would_be_specs_apply_the_plan() {
        let specs = folder(&[
            ("AppFoo.md", page("AppFoo")),
            ("AppGone.md", page("AppGone")),
        ]);
        let dir = folder(&[
            ("x/foo.md", page("AppFOO")),
            ("y/broken.md", "## 2. 输入参数\n\nno table\n".into()),
        ]);
        let plan = plan(&specs, &roles(&specs), &dir, &roles(&dir), true);
        assert_eq!(plan.unnamed, vec!["y/broken.md".to_string()]);
        let next = would_be(&specs, &dir, &plan);
        assert_eq!(
            next.pages.keys().collect::<Vec<_>>(),
            ["AppFOO.md", "y/broken.md"]
        );
        assert!(
            next.load().diagnostics.has_errors(),
            "a page that cannot be named fails the load"
        );
    }

    #[test]
    fn only_plain_identifiers_name_pages() {
        for ok in [
            "AppFoo.md",
            "AppKugouUserCommand__song_url.md",
            "structures.md",
            "structures__2.md",
            "_x.md",
        ] {
            assert!(is_spec_file_name(ok), "{ok}");
        }
        for bad in [
            "../../evil.md",
            ".._.._evil.md",
            "a/b.md",
            "AppFoo.txt",
            "1App.md",
            ".md",
            "App__.md",
            "App-x.md",
            "App.x.md",
            "App Foo.md",
            "Äpp.md",
        ] {
            assert!(!is_spec_file_name(bad), "{bad}");
        }
        let specs = Folder::default();
        let evil = std::fs::read_to_string(crate::project_root().join("specs/AppGetProducts.md"))
            .unwrap()
            .replace("AppGetProducts", "../../evil");
        let dir = folder(&[("e.md", evil.into()), ("ok.md", page("AppOk"))]);
        let plan = plan(&specs, &roles(&specs), &dir, &roles(&dir), false);
        // apidoc refuses the name itself (an error at its place), so the
        // page is one whose action cannot be told; were it let through, the
        // importer's own check would refuse it. Either way it is reported
        // and not imported.
        assert!(
            plan.unnamed == vec!["e.md".to_string()]
                || plan.invalid == vec![("e.md".to_string(), "`../../evil`".to_string())],
            "{:?} {:?}",
            plan.unnamed,
            plan.invalid
        );
        assert_eq!(
            plan.steps,
            vec![Step::Add {
                file: "AppOk.md".into(),
                from: "ok.md".into()
            }]
        );
    }

    /// Every file under `dir` with its bytes and mode, never following links.
    #[cfg(unix)]
    fn tree(dir: &Path) -> Vec<(PathBuf, u32, Vec<u8>)> {
        use std::os::unix::fs::PermissionsExt as _;
        disk::walk::walk(dir, &|_| false)
            .unwrap()
            .into_iter()
            .map(|e| {
                let path = dir.join(&e.rel);
                let mode = std::fs::symlink_metadata(&path)
                    .unwrap()
                    .permissions()
                    .mode();
                let bytes = if e.kind == disk::walk::Kind::File {
                    std::fs::read(&path).unwrap()
                } else {
                    Vec::new()
                };
                (e.rel, mode, bytes)
            })
            .collect()
    }

    /// A failure at any step of writing pages, the version and the
    /// changelog leaves the specs and the crate folder as they were.
    #[cfg(unix)]
    #[test]
    fn a_failure_at_any_step_leaves_specs_and_changelog_as_they_were() {
        let root = crate::project_root();
        let tmp = std::env::temp_dir().join(format!("xtask-unit-{}-import", std::process::id()));
        let _ = std::fs::remove_dir_all(&tmp);
        let (specs, dir, out) = (tmp.join("specs"), tmp.join("published"), tmp.join("out"));
        std::fs::create_dir_all(&specs).unwrap();
        std::fs::create_dir_all(dir.join("sub")).unwrap();
        std::fs::create_dir_all(&out).unwrap();
        std::fs::write(out.join("CHANGELOG.md"), "# Changelog\n").unwrap();
        for e in std::fs::read_dir(root.join("specs")).unwrap() {
            let p = e.unwrap().path();
            let name = p.file_name().unwrap().to_str().unwrap().to_string();
            std::fs::copy(&p, specs.join(&name)).unwrap();
            if name.ends_with(".md") && name != "AppGetDeviceOTAInfo.md" {
                std::fs::copy(&p, dir.join("sub").join(format!("x-{name}"))).unwrap();
            }
        }
        // A new page, a changed page, a removed page, the version, the changelog.
        let products = std::fs::read_to_string(specs.join("AppGetProducts.md")).unwrap();
        std::fs::write(
            dir.join("new.md"),
            products.replace("AppGetProducts", "AppZzz"),
        )
        .unwrap();
        std::fs::write(
            dir.join("sub/x-AppGetProducts.md"),
            products.replace("| 设备 ID 数组 ", "| 设备 ID 列表 "),
        )
        .unwrap();
        let service = std::fs::read_to_string(specs.join("service.toml")).unwrap();
        std::fs::write(
            specs.join("service.toml"),
            service
                .replace("\"AppGetDeviceOTAInfo\", ", "")
                .replace(", \"AppGetDeviceOTAInfo\"", ""),
        )
        .unwrap();
        let args = Args {
            dir: dir.clone(),
            specs: specs.clone(),
            out: out.clone(),
            prune: true,
            dry_run: false,
            bump: true,
            format: Format::Text,
        };
        for full_disk in [false, true] {
            let before = (tree(&specs), tree(&out));
            let mut failures = 0;
            for n in 1.. {
                let mut fs = if full_disk {
                    disk::FailingFs::full_disk_at(n)
                } else {
                    disk::FailingFs::nth(n)
                };
                if run_with(&args, &mut fs).unwrap() {
                    break;
                }
                failures += 1;
                assert_eq!((tree(&specs), tree(&out)), before, "n = {n}");
            }
            assert!(failures >= 5, "{failures} failures");
            assert!(specs.join("AppZzz.md").exists());
            assert!(!specs.join("AppGetDeviceOTAInfo.md").exists());
            // Back to the start for the second round.
            std::fs::remove_file(specs.join("AppZzz.md")).unwrap();
            std::fs::copy(
                root.join("specs/AppGetDeviceOTAInfo.md"),
                specs.join("AppGetDeviceOTAInfo.md"),
            )
            .unwrap();
            std::fs::copy(
                root.join("specs/AppGetProducts.md"),
                specs.join("AppGetProducts.md"),
            )
            .unwrap();
            let now = std::fs::read_to_string(specs.join("service.toml")).unwrap();
            let back = now.replace("version = \"0.2.0\"", "version = \"0.1.0\"");
            assert_ne!(now, back, "the version was bumped");
            std::fs::write(specs.join("service.toml"), back).unwrap();
            std::fs::write(out.join("CHANGELOG.md"), "# Changelog\n").unwrap();
        }
        let _ = std::fs::remove_dir_all(&tmp);
    }
}
