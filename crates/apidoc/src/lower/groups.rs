//! `[groups]` of `service.toml`: each action's cargo feature, and the
//! features of the actions that use each structure.

use crate::diagnostic::Diagnostic;
use crate::ir::{self, Type};
use crate::service::{GroupMembers, ServiceConfig};
use crate::source::{FileId, SourceDb, Span};
use std::collections::{BTreeMap, BTreeSet};

/// Puts each action in its `[groups]` feature and gives each structure
/// the features of the actions that use it, directly or through other
/// structures. A name no action has is an error: a stale group entry
/// would silently compile nothing.
pub(super) fn assign(
    db: &SourceDb,
    service: &ServiceConfig,
    actions: &mut [ir::Action],
    structs: &mut [ir::Struct],
    diags: &mut Vec<Diagnostic>,
) {
    let file = service.file;
    let place = |d: Diagnostic, span: std::ops::Range<usize>| match file {
        Some(file) => d.at(Span::new(file, span)),
        None => d,
    };
    // Explicit lists first: they win over a category.
    for group in &service.groups {
        let feature = group.name.get_ref();
        let GroupMembers::Actions(members) = &group.members else {
            continue;
        };
        for m in members {
            let place = |d: Diagnostic| place(d, m.span());
            let hits: Vec<_> = actions
                .iter_mut()
                .filter(|a| a.name == *m.get_ref())
                .collect();
            if hits.is_empty() {
                diags.push(place(
                    Diagnostic::error(
                        "groups",
                        format!(
                            "group `{feature}` lists `{}`, but no page documents that action",
                            m.get_ref()
                        ),
                    )
                    .note_line("remove it from [groups] in service.toml, or fix the name"),
                ));
            }
            for a in hits {
                if let Some(other) = &a.group {
                    diags.push(place(Diagnostic::error(
                        "groups",
                        format!("`{}` is in two groups, `{other}` and `{feature}`", a.name),
                    )));
                }
                a.group = Some(feature.clone());
            }
        }
    }
    // Categories: the folder a page is in.
    let mut by_category: BTreeMap<&str, &str> = BTreeMap::new();
    for group in &service.groups {
        let GroupMembers::Category(category) = &group.members else {
            continue;
        };
        let feature = group.name.get_ref();
        if let Some(other) = by_category.insert(category.get_ref(), feature) {
            diags.push(place(
                Diagnostic::error(
                    "groups",
                    format!(
                        "groups `{other}` and `{feature}` both take the category `{}`",
                        category.get_ref()
                    ),
                ),
                category.span(),
            ));
        }
        if !actions
            .iter()
            .any(|a| category_of(&a.source) == Some(category.get_ref().as_str()))
        {
            diags.push(place(
                Diagnostic::error(
                    "groups",
                    format!(
                        "group `{feature}` takes the category `{}`, but no page is in a folder of that name",
                        category.get_ref()
                    ),
                )
                .note_line("remove it from [groups] in service.toml, or fix the folder name"),
                category.span(),
            ));
        }
    }
    let files: BTreeMap<&str, FileId> = db.iter().map(|(id, f)| (f.path.as_str(), id)).collect();
    for a in actions.iter_mut().filter(|a| a.group.is_none()) {
        let Some(category) = category_of(&a.source) else {
            continue;
        };
        let page = files.get(a.source.as_str()).copied().unwrap_or(FileId(0));
        match by_category.get(category) {
            Some(feature) => a.group = Some(feature.to_string()),
            // A folder without a group is a new category only where the
            // groups follow categories at all.
            None if !by_category.is_empty() => diags.push(
                Diagnostic::warning(
                    "new-category",
                    format!(
                        "`{}` is in the category `{category}` (the folder of its page), which no group takes; it is compiled always",
                        a.name
                    ),
                )
                .at(Span::new(page, 0..0))
                .note_line(format!(
                    "add a group for it under [groups] in service.toml, for example `{} = \"{category}\"`",
                    suggested_feature(category)
                )),
            ),
            None => {}
        }
    }
    // Structure -> features of its users; `None` in the set means "always".
    let mut users: BTreeMap<String, BTreeSet<Option<String>>> = BTreeMap::new();
    fn visit(t: &Type, g: &Option<String>, out: &mut Vec<(String, Option<String>)>) {
        match t {
            Type::List(i) => visit(i, g, out),
            Type::Struct { name, .. } => out.push((name.clone(), g.clone())),
            _ => {}
        }
    }
    let mut work = Vec::new();
    for a in actions.iter() {
        for f in a.inputs.iter().chain(&a.outputs) {
            visit(&f.ty, &a.group, &mut work);
        }
    }
    let by_name: BTreeMap<String, usize> = structs
        .iter()
        .enumerate()
        .map(|(i, s)| (s.rust_name.clone(), i))
        .collect();
    while let Some((name, g)) = work.pop() {
        if users.entry(name.clone()).or_default().insert(g.clone())
            && let Some(&i) = by_name.get(&name)
        {
            for f in &structs[i].fields {
                visit(&f.ty, &g, &mut work);
            }
        }
    }
    for s in structs.iter_mut() {
        let set = users.remove(&s.rust_name).unwrap_or_default();
        s.groups = if set.contains(&None) {
            Vec::new()
        } else {
            set.into_iter().flatten().collect()
        };
    }
}

/// The category of a page: the name of the folder it is in, if any.
pub(super) fn category_of(path: &str) -> Option<&str> {
    let (dir, _) = path.rsplit_once('/')?;
    Some(dir.rsplit('/').next().unwrap_or(dir))
}

/// A feature name to suggest for a category: the folder's name when it is
/// already one, `group` otherwise (the docs' categories are Chinese).
fn suggested_feature(category: &str) -> String {
    let ascii: String = category
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    let trimmed = ascii.trim_matches('-');
    if trimmed.is_empty() || !trimmed.starts_with(|c: char| c.is_ascii_alphabetic()) {
        "new-group".into()
    } else {
        trimmed.to_string()
    }
}

/// Marks the structures some request (`inputs`: of the actions and of the
/// channel's messages) uses, directly or through other structures.
pub(super) fn mark_inputs<'a>(
    inputs: impl IntoIterator<Item = &'a ir::Field>,
    structs: &mut [ir::Struct],
) {
    fn named(t: &Type) -> Option<&str> {
        match t {
            Type::List(i) => named(i),
            Type::Struct { name, .. } => Some(name),
            _ => None,
        }
    }
    let by_name: BTreeMap<String, usize> = structs
        .iter()
        .enumerate()
        .map(|(i, s)| (s.rust_name.clone(), i))
        .collect();
    let mut work: Vec<usize> = inputs
        .into_iter()
        .filter_map(|f| named(&f.ty))
        .filter_map(|n| by_name.get(n).copied())
        .collect();
    while let Some(i) = work.pop() {
        if std::mem::replace(&mut structs[i].input, true) {
            continue;
        }
        work.extend(
            structs[i]
                .fields
                .iter()
                .filter_map(|f| named(&f.ty))
                .filter_map(|n| by_name.get(n).copied()),
        );
    }
}
