//! `overrides.toml` applied to the drafts: fields added, retyped, renamed,
//! made optional or (not) sensitive, actions renamed or given a `Data`
//! wrapper. This runs before types are resolved, so an override writes
//! types the way the docs do.

use super::action_page::Draft;
use super::pagination::Declared;
use super::structures::StructDef;
use super::table::RawField;
use crate::diagnostic::Diagnostic;
use crate::ir::DefectKind;
use crate::naming;
use crate::overrides::{Overrides, Side};
use crate::page::Cell;
use crate::source::{FileId, Span};
use crate::types;

/// An `[[example]]` entry, attached to its action's draft; matched with
/// the example checks once the tables are resolved.
pub(super) struct DeclaredDefect {
    pub(super) example: String,
    pub(super) field: Option<String>,
    pub(super) kind: DefectKind,
    pub(super) reason: String,
    pub(super) span: Span,
}

/// Applies every `[[field]]`, `[[action]]` and `[[example]]` entry; an entry that
/// matches nothing, or changes nothing, is a stale-override error.
pub(super) fn apply(
    file: FileId,
    ov: &Overrides,
    drafts: &mut [Draft],
    structs: &mut [StructDef],
    diags: &mut Vec<Diagnostic>,
) {
    let selects = |d: &Draft, action: &str, sub: &Option<String>| {
        d.page_name == action
            && sub
                .as_ref()
                .is_none_or(|s| d.sub_command.as_ref().is_some_and(|p| &p.value == s))
    };
    for entry in &ov.field {
        let span = Span::new(file, entry.span());
        let f = entry.get_ref();
        let parameter =
            |n: &str| !n.is_empty() && n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        let bad_name = [Some(&f.name).filter(|_| f.add.is_some()), f.rename.as_ref()]
            .into_iter()
            .flatten()
            .find(|n| !parameter(n));
        if let Some(name) = bad_name {
            diags.push(
                Diagnostic::error(
                    "overrides",
                    format!("`{name}` is not a parameter name: expected letters, digits and `_`"),
                )
                .at(span),
            );
            continue;
        }
        let mut tables: Vec<&mut Vec<RawField>> = match (&f.structure, &f.action, f.side) {
            (Some(name), None, None) => structs
                .iter_mut()
                .filter(|s| s.name.eq_ignore_ascii_case(name))
                .map(|s| &mut s.fields)
                .collect(),
            (None, Some(action), Some(side)) => drafts
                .iter_mut()
                .filter(|d| selects(d, action, &f.sub_command))
                .map(|d| {
                    if side == Side::Input {
                        &mut d.inputs
                    } else {
                        &mut d.outputs
                    }
                })
                .collect(),
            _ => {
                diags.push(
                    Diagnostic::error(
                        "overrides",
                        "a [[field]] override needs either `structure`, or `action` and `side`",
                    )
                    .at(span),
                );
                continue;
            }
        };
        let stale = |what: String| {
            Diagnostic::error("stale-override", what)
                .at(span.clone())
                .note_line("remove it: the pages no longer need this correction")
        };
        if tables.is_empty() {
            let owner = f.structure.as_deref().or(f.action.as_deref()).unwrap_or("");
            diags.push(stale(format!(
                "no page documents `{owner}`: this override matches nothing"
            )));
            continue;
        }
        for table in tables.iter_mut() {
            let existing = table.iter().position(|x| x.api_name == f.name);
            if let Some(ty) = &f.add {
                if existing.is_some() {
                    diags.push(stale(format!(
                        "`{}` is documented now: the override that adds it is stale",
                        f.name
                    )));
                    continue;
                }
                table.push(RawField {
                    api_name: f.name.clone(),
                    name_span: span.clone(),
                    ty: types::parse_text(ty.get_ref()),
                    ty_span: Span::new(file, ty.span()),
                    ty_by_override: true,
                    required: f.required.unwrap_or(false) && f.side == Some(Side::Input),
                    doc: f.doc.clone().unwrap_or_default(),
                    doc_cell: Cell::default(),
                    sensitive: f.sensitive,
                });
                continue;
            }
            let Some(i) = existing else {
                diags.push(stale(format!(
                    "no field `{}` in that table: this override matches nothing",
                    f.name
                )));
                continue;
            };
            let field = &mut table[i];
            let mut changed = false;
            if let Some(ty) = &f.retype {
                let new = types::parse_text(ty.get_ref());
                changed |= new != field.ty;
                field.ty = new;
                field.ty_span = Span::new(file, ty.span());
                field.ty_by_override = true;
            }
            if let Some(name) = &f.rename {
                changed |= *name != field.api_name;
                field.api_name = name.clone();
            }
            if f.optional == Some(true) {
                changed |= field.required;
                field.required = false;
            }
            if let Some(sens) = f.sensitive {
                changed |= sens != naming::is_sensitive(&field.api_name);
                field.sensitive = Some(sens);
            }
            if !changed {
                diags.push(stale(format!(
                    "the override of `{}` changes nothing: the pages already say this",
                    f.name
                )));
            }
        }
    }
    // Renames last: every entry names actions as the pages do.
    for entry in &ov.action {
        let span = Span::new(file, entry.span());
        let a = entry.get_ref();
        if let Some(name) = a.rename.as_ref().filter(|n| !naming::is_api_identifier(n)) {
            diags.push(
                Diagnostic::error(
                    "overrides",
                    format!("`{name}` is not an action name: expected an ASCII letter, then letters, digits and `_`"),
                )
                .at(span),
            );
            continue;
        }
        let mut hits = 0;
        for d in drafts
            .iter_mut()
            .filter(|d| selects(d, &a.action, &a.sub_command))
        {
            hits += 1;
            if let Some(name) = &a.rename {
                d.name = name.clone();
            }
            if let Some(w) = a.data_wrapper {
                d.data_wrapper = w;
            }
            if let Some(e) = &a.endpoint {
                d.endpoint_override = Some((e.clone(), span.clone()));
            }
            if a.paginated == Some(false) {
                d.paging = Some(Declared::Not(span.clone()));
            }
        }
        if hits == 0 {
            diags.push(no_such_action(&a.action, span));
        }
    }
    for entry in &ov.example {
        let span = Span::new(file, entry.span());
        let e = entry.get_ref();
        let mut hits = 0;
        for d in drafts
            .iter_mut()
            .filter(|d| selects(d, &e.action, &e.sub_command))
        {
            hits += 1;
            d.declared_defects.push(DeclaredDefect {
                example: e.example.clone(),
                field: e.field.clone(),
                kind: e.defect,
                reason: e.reason.clone(),
                span: span.clone(),
            });
        }
        if hits == 0 {
            diags.push(no_such_action(&e.action, span));
        }
    }
    for entry in &ov.pagination {
        let span = Span::new(file, entry.span());
        let p = entry.get_ref();
        let mut hits = 0;
        for d in drafts
            .iter_mut()
            .filter(|d| selects(d, &p.action, &p.sub_command))
        {
            hits += 1;
            d.paging = Some(Declared::Is(Box::new(p.clone()), span.clone()));
        }
        if hits == 0 {
            diags.push(no_such_action(&p.action, span));
        }
    }
}

/// An override that names an action no page documents: stale.
fn no_such_action(action: &str, span: Span) -> Diagnostic {
    Diagnostic::error(
        "stale-override",
        format!("no page documents the action `{action}`: this override matches nothing"),
    )
    .at(span)
    .note_line("remove it, or update it to the name the pages now use")
}
