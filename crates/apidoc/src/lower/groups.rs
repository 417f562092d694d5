//! `[groups]` of `service.toml`: each action's cargo feature, and the
//! features of the actions that use each structure.

use crate::diagnostic::Diagnostic;
use crate::ir::{self, Type};
use crate::naming;
use crate::service::ServiceConfig;
use crate::source::Span;
use std::collections::{BTreeMap, BTreeSet};

/// Puts each action in its `[groups]` feature and gives each structure
/// the features of the actions that use it, directly or through other
/// structures. A name no action has is an error: a stale group entry
/// would silently compile nothing.
pub(super) fn assign(
    service: &ServiceConfig,
    actions: &mut [ir::Action],
    structs: &mut [ir::Struct],
    diags: &mut Vec<Diagnostic>,
) {
    let reserved = naming::RESERVED_FEATURES;
    let file = service.file;
    let place = |d: Diagnostic, span: std::ops::Range<usize>| match file {
        Some(file) => d.at(Span::new(file, span)),
        None => d,
    };
    for (spanned_feature, members) in &service.groups {
        let feature = spanned_feature.get_ref();
        let valid = !feature.is_empty()
            && feature
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        if !valid || reserved.contains(&feature.as_str()) {
            diags.push(place(
                Diagnostic::error(
                    "groups",
                    format!(
                        "`{feature}` cannot be a group name: use letters, digits, `-` and `_`, and none of {}",
                        reserved.join(", ")
                    ),
                ),
                spanned_feature.span(),
            ));
            continue;
        }
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
