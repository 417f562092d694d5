//! Drafts -> IR actions: one per action and sub-command, with method and
//! type names, resolved fields, and examples checked against the tables.

use super::action_page::Draft;
use super::auth::Decided;
use super::names::unique;
use super::resolve::Structures;
use super::table::{ErrorRow, FieldTable};
use crate::diagnostic::Diagnostic;
use crate::examples;
use crate::ir::{self, DefectKind, Type};
use crate::naming;
use crate::service::ServiceConfig;
use crate::source::{FileId, SourceDb, Span};
use std::collections::{BTreeMap, BTreeSet};

/// The actions, sorted by method name, and every documented error code
/// of the actions kept, in action order.
pub(super) fn build(
    db: &SourceDb,
    service: &ServiceConfig,
    drafts: Vec<(Draft, Decided)>,
    structs: &Structures,
    diags: &mut Vec<Diagnostic>,
) -> (Vec<ir::Action>, Vec<ErrorRow>) {
    // One per (name, sub-command); the first page by path wins.
    let mut actions: Vec<ir::Action> = Vec::new();
    let mut seen: BTreeMap<(String, Option<String>), FileId> = BTreeMap::new();
    let mut codes = Vec::new();
    let mut sorted = drafts;
    sorted.sort_by(|(a, _), (b, _)| db.get(a.file).path.cmp(&db.get(b.file).path));
    let mut names = rust_names(db, sorted.iter().map(|(d, _)| d), diags);
    for (d, call) in sorted {
        let key = (
            d.name.clone(),
            d.sub_command.as_ref().map(|s| s.value.clone()),
        );
        if let Some(first) = seen.get(&key) {
            diags.push(
                Diagnostic::warning(
                    "duplicate-action",
                    format!(
                        "action `{}` is documented by two pages; `{}` is used",
                        d.name,
                        db.get(*first).path
                    ),
                )
                .at(Span::new(d.file, 0..0))
                .related(Span::new(*first, 0..0), "used page"),
            );
            continue;
        }
        let Some((method, type_name)) = names.remove(&key) else {
            continue;
        };
        seen.insert(key, d.file);
        let inputs = structs.resolve_fields(&d.inputs, FieldTable::Input, true, diags);
        let mut outputs = structs.resolve_fields(&d.outputs, FieldTable::Output, true, diags);
        if !outputs.iter().any(|f| f.api_name == "RequestId") {
            outputs.push(ir::Field {
                api_name: "RequestId".into(),
                rust_name: "request_id".into(),
                ty: Type::String,
                required: false,
                doc: "Unique request ID, the same as the request's.".into(),
                sensitive: false,
            });
        }
        let own = service.common_parameters.of(call.auth);
        let common =
            |n: &str| own.contains(&n) || d.sub_command.as_ref().is_some_and(|p| p.name == n);
        let tables = examples::Tables {
            inputs: &inputs,
            outputs: &outputs,
            is_common: &common,
            data_wrapper: d.data_wrapper,
        };
        let examples = check_examples(db, &d, &tables, diags);
        let pagination =
            super::pagination::decide(&d.name, &inputs, &outputs, d.paging.as_ref(), diags);
        codes.extend(d.errors.iter().cloned());
        actions.push(ir::Action {
            name: d.name,
            sub_command: d.sub_command,
            method,
            type_name,
            endpoint: call.endpoint,
            auth: call.auth,
            doc: d.doc,
            source: db.get(d.file).path.clone(),
            other_sources: d.merged.iter().map(|f| db.get(*f).path.clone()).collect(),
            inputs,
            outputs,
            errors: d.errors.into_iter().map(|e| e.code).collect(),
            examples,
            data_wrapper: d.data_wrapper,
            group: None,
            pagination,
        });
    }
    actions.sort_by(|a, b| a.method.cmp(&b.method));
    (actions, codes)
}

/// The examples that could be read, each with the defects declared for
/// it. A difference from the tables that no `[[example]]` entry declares
/// is a warning; a declaration that matches no difference is stale.
fn check_examples(
    db: &SourceDb,
    d: &Draft,
    tables: &examples::Tables<'_>,
    diags: &mut Vec<Diagnostic>,
) -> Vec<ir::Example> {
    let mut used = vec![false; d.declared_defects.len()];
    let mut declared = |name: &str, kind: DefectKind, field: Option<&str>| {
        let i = d
            .declared_defects
            .iter()
            .position(|x| x.example == name && x.kind == kind && x.field.as_deref() == field)?;
        used[i] = true;
        Some(ir::ExampleDefect {
            kind,
            field: field.map(str::to_string),
            reason: d.declared_defects[i].reason.clone(),
        })
    };
    let mut out = Vec::new();
    for found in &d.examples {
        let value = match &found.value {
            Ok(v) => v,
            Err(unusable) => {
                if declared(&found.name, DefectKind::Unparsable, None).is_none() {
                    diags.push(unusable.clone());
                }
                continue;
            }
        };
        let text = &db.get(found.file).text;
        let mut defects = Vec::new();
        for f in examples::check(text, found, value, tables) {
            match declared(&found.name, f.kind, f.field.as_deref()) {
                Some(defect) => defects.push(defect),
                None => diags.push(f.diagnostic.note_line(format!(
                    "if the docs keep it this way, declare it with `example = \"{}\"`, `defect = \"{}\"`{} and a `reason` in an [[example]] entry of overrides.toml",
                    found.name,
                    f.kind.as_str(),
                    f.field.as_ref().map(|x| format!(", `field = \"{x}\"`")).unwrap_or_default()
                ))),
            }
        }
        out.push(ir::Example {
            name: found.name.clone(),
            kind: found.kind,
            source: db.get(found.file).path.clone(),
            line: found.line,
            value: value.clone(),
            defects,
        });
    }
    for (x, used) in d.declared_defects.iter().zip(used) {
        if !used {
            diags.push(
                Diagnostic::error(
                    "stale-override",
                    format!(
                        "`{}` of `{}` has no such defect ({}{}): this override matches nothing",
                        x.example,
                        d.name,
                        x.kind.as_str(),
                        x.field
                            .as_ref()
                            .map(|f| format!(" of `{f}`"))
                            .unwrap_or_default()
                    ),
                )
                .at(x.span.clone())
                .note_line(
                    "remove it: the docs no longer have this defect, or fix the example's name",
                ),
            );
        }
    }
    out
}

/// Each action's method and type name (keyed by action and sub-command).
///
/// Names that differ only in case or punctuation (`AppAuto`, `appAuto`)
/// make the same Rust names, so one action's are numbered, and the
/// maintainer is told. Which one is decided by the names alone, never by
/// where the pages are, so a page added later does not take the names an
/// action already has: an action whose name is already written as its
/// Rust type name comes first, then by the name's bytes.
fn rust_names<'a>(
    db: &SourceDb,
    drafts: impl Iterator<Item = &'a Draft>,
    diags: &mut Vec<Diagnostic>,
) -> BTreeMap<(String, Option<String>), (String, String)> {
    let mut drafts: Vec<&Draft> = drafts.collect();
    let sub = |d: &Draft| d.sub_command.as_ref().map(|s| s.value.clone());
    let type_base = |d: &Draft| {
        format!(
            "{}{}",
            naming::pascal_case(&d.name),
            sub(d)
                .as_deref()
                .map(naming::pascal_case)
                .unwrap_or_default()
        )
    };
    drafts.sort_by_cached_key(|d| {
        let canonical = naming::pascal_case(&d.name) == d.name;
        (
            !canonical,
            d.name.clone(),
            sub(d),
            db.get(d.file).path.clone(),
        )
    });
    let mut methods: BTreeSet<String> = naming::RESERVED_METHODS
        .iter()
        .map(|m| m.to_string())
        .collect();
    let mut type_names: BTreeSet<String> = BTreeSet::new();
    let mut names = BTreeMap::new();
    for d in drafts {
        let key = (d.name.clone(), sub(d));
        if names.contains_key(&key) {
            continue;
        }
        let method_base = naming::method_ident(&d.name, sub(d).as_deref());
        let type_base = type_base(d);
        let method = unique(&method_base, &mut methods, "_");
        let type_name = unique(&type_base, &mut type_names, "");
        if method != method_base || type_name != type_base {
            diags.push(
                Diagnostic::warning(
                    "name-clash",
                    format!(
                        "action `{}` would get the Rust names of another action (`{method_base}`, `{type_base}Request`): it gets `{method}` and `{type_name}Request` instead",
                        d.name
                    ),
                )
                .at(Span::new(d.file, 0..0))
                .note_line("rename one of the actions with an `[[action]]` entry in overrides.toml"),
            );
        }
        names.insert(key, (method, type_name));
    }
    names
}

/// One IR error code per distinct code, sorted; the description is the
/// first one given (in the order of `rows`).
pub(super) fn error_codes(rows: Vec<ErrorRow>) -> Vec<ir::ErrorCode> {
    let mut codes: BTreeMap<String, String> = BTreeMap::new();
    for row in rows {
        codes.entry(row.code).or_insert(row.description);
    }
    let mut variants: BTreeSet<String> = ["Unknown".to_string()].into();
    codes
        .into_iter()
        .map(|(code, description)| {
            let variant = unique(&naming::error_variant(&code), &mut variants, "Code");
            ir::ErrorCode {
                code,
                variant,
                description,
            }
        })
        .collect()
}
