//! What `import` does to each page: matched by [`Key`], each page of DIR
//! is added, replaces its counterpart or is skipped, and each page of the
//! specs DIR no longer has is kept or removed.

use super::pages::{Key, Role};
use crate::folder::Folder;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

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
pub(super) fn writes(plan: &Plan) -> impl Iterator<Item = (&String, &String)> {
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
