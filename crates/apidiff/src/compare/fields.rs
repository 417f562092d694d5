//! Fields of requests, responses and structures: where a field lives
//! decides whether adding, removing or retyping it breaks callers.

use super::matching::match_items;
use super::{Out, bare};
use crate::render::code;
use crate::{ChangeKind, Impact};
use apidoc::ir::{Field, Type};

/// Where a list of fields lives; decides the impact of field changes.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum FieldKind {
    /// Request: required fields are `new` parameters, optional ones
    /// `Option` with a `with_*` setter.
    Input,
    /// Response: every field is `Option`.
    Output,
    /// Structure: `#[non_exhaustive]`, built with `new` and setters. One
    /// used in requests (`input`) takes its required fields in `new`, like
    /// a request; one only read from replies has every field `Option`.
    StructField {
        /// Used in some request.
        input: bool,
    },
}

impl FieldKind {
    /// Whether required fields are plain and taken by `new`.
    fn builds_required(self) -> bool {
        matches!(
            self,
            FieldKind::Input | FieldKind::StructField { input: true }
        )
    }
}

pub(super) struct Owner<'a> {
    pub(super) role: FieldKind,
    /// `AppGetProducts input`, ``structure `DeviceInfo` field``.
    pub(super) prefix: String,
    /// Action type name or structure name, for sentences.
    pub(super) type_name: &'a str,
}

impl Owner<'_> {
    /// The constructor callers use: `AppXRequest::new` or `Struct::new`.
    fn ctor(&self) -> String {
        match self.role {
            FieldKind::Input => format!("{}Request::new", self.type_name),
            _ => format!("{}::new", self.type_name),
        }
    }

    fn subject(&self, api_name: &str) -> String {
        format!("{} {}", self.prefix, code(api_name))
    }

    fn noun(&self) -> &'static str {
        match self.role {
            FieldKind::Input => "input",
            FieldKind::Output => "output",
            FieldKind::StructField { .. } => "field",
        }
    }
}

/// A type as callers write it.
fn rust_type(t: &Type) -> String {
    match t {
        Type::String => "String".into(),
        Type::I64 => "i64".into(),
        Type::U64 => "u64".into(),
        Type::F64 => "f64".into(),
        Type::Bool => "bool".into(),
        Type::Json => "serde_json::Value".into(),
        Type::List(inner) => format!("Vec<{}>", rust_type(inner)),
        Type::Struct { name, boxed: true } => format!("Box<{name}>"),
        Type::Struct { name, boxed: false } => name.clone(),
    }
}
/// Returns the `(old, new)` index pairs of the fields on both sides.
pub(super) fn field_list_changes(
    owner: &Owner,
    old: &[Field],
    new: &[Field],
    out: &mut Out,
) -> Vec<(usize, usize)> {
    let m = match_items(old, new, |f| &f.api_name, |f| &f.rust_name);
    for &(i, j) in &m.pairs {
        field_changes(owner, &old[i], &new[j], out);
    }
    for &i in &m.removed {
        let f = &old[i];
        let what = match (owner.role, f.required) {
            (r, true) if r.builds_required() => {
                format!(
                    "`{}` loses its `{}` parameter",
                    owner.ctor(),
                    bare(&f.rust_name)
                )
            }
            (r, false) if r.builds_required() => {
                format!(
                    "field `{}` and setter `with_{}` no longer exist",
                    f.rust_name,
                    bare(&f.rust_name)
                )
            }
            _ => format!("field `{}` no longer exists", f.rust_name),
        };
        out.push(
            ChangeKind::FieldRemoved,
            Impact::Breaking,
            &owner.subject(&f.api_name),
            format!("{} removed: {what}", owner.noun()),
        );
    }
    for &j in &m.added {
        let f = &new[j];
        let t = rust_type(&f.ty);
        let (impact, detail) = match (owner.role, f.required) {
            (r, true) if r.builds_required() => (
                Impact::Breaking,
                format!(
                    "new required {}: `{}` takes a new parameter `{}: {t}`",
                    owner.noun(),
                    owner.ctor(),
                    bare(&f.rust_name)
                ),
            ),
            (r, false) if r.builds_required() => (
                Impact::Compatible,
                format!(
                    "new optional {} `{}: Option<{t}>`, set with `with_{}`",
                    owner.noun(),
                    f.rust_name,
                    bare(&f.rust_name)
                ),
            ),
            // Responses and structures are all-`Option` and
            // `#[non_exhaustive]`: nobody can have listed every field.
            (FieldKind::Output, _) => (
                Impact::Compatible,
                format!("new output field `{}: Option<{t}>`", f.rust_name),
            ),
            (FieldKind::StructField { .. } | FieldKind::Input, _) => (
                Impact::Compatible,
                format!("new field `{}: Option<{t}>`", f.rust_name),
            ),
        };
        out.push(
            ChangeKind::FieldAdded,
            impact,
            &owner.subject(&f.api_name),
            detail,
        );
    }
    m.pairs
}

/// A field present on both sides.
fn field_changes(owner: &Owner, o: &Field, n: &Field, out: &mut Out) {
    let Field {
        api_name,
        rust_name,
        ty,
        required,
        doc,
        sensitive,
    } = n;
    let subject = owner.subject(api_name);
    let subject = subject.as_str();

    if o.api_name != *api_name {
        // Only a case-only respelling with the same Rust name gets here.
        let direction = match owner.role {
            FieldKind::Input => "requests now send",
            FieldKind::Output => "responses are now read from",
            FieldKind::StructField { .. } => "the structure is now (de)serialized as",
        };
        out.push(
            ChangeKind::FieldWireRenamed,
            Impact::Compatible,
            subject,
            format!(
                "wire name changed by case from {} to {}; the Rust field `{}` is unchanged, but {direction} {}",
                code(&o.api_name),
                code(api_name),
                rust_name,
                code(api_name)
            ),
        );
    }
    if o.rust_name != *rust_name {
        out.push(
            ChangeKind::FieldRustRenamed,
            Impact::Breaking,
            subject,
            format!(
                "Rust field renamed from `{}` to `{}` (same wire name)",
                o.rust_name, rust_name
            ),
        );
    }
    if o.ty != *ty {
        out.push(
            ChangeKind::FieldRetyped,
            Impact::Breaking,
            subject,
            format!(
                "type changed from `{}` to `{}`",
                rust_type(&o.ty),
                rust_type(ty)
            ),
        );
    }
    if o.required != *required {
        let kind = if *required {
            ChangeKind::FieldMadeRequired
        } else {
            ChangeKind::FieldMadeOptional
        };
        let t = rust_type(ty);
        let (impact, detail) = match (owner.role, *required) {
            (r, true) if r.builds_required() => (
                Impact::Breaking,
                format!(
                    "now required: `{}` takes `{}: {t}`, the field is no longer `Option` and `with_{}` is gone",
                    owner.ctor(),
                    bare(rust_name),
                    bare(rust_name)
                ),
            ),
            // Dropping a `new` parameter breaks every call of `new`, and
            // the field's type becomes `Option<T>`: as breaking as the
            // opposite direction.
            (r, false) if r.builds_required() => (
                Impact::Breaking,
                format!(
                    "now optional: `{}` no longer takes `{}`, the field becomes `Option<{t}>` set with `with_{}`",
                    owner.ctor(),
                    bare(rust_name),
                    bare(rust_name)
                ),
            ),
            // Responses and reply-only structures are `Option` whatever
            // the docs say; only what callers should fill in changed.
            (_, true) => (
                Impact::Documentation,
                "the docs now mark it required; the generated field stays `Option`".into(),
            ),
            (_, false) => (
                Impact::Documentation,
                "the docs no longer mark it required; the generated field stays `Option`".into(),
            ),
        };
        out.push(kind, impact, subject, detail);
    }
    if o.sensitive != *sensitive {
        // `Debug` output is not an API; but callers who log requests
        // should know when a value starts to appear in their logs.
        let detail = if *sensitive {
            "`Debug` now redacts its value"
        } else {
            "`Debug` now prints its value (no longer redacted)"
        };
        out.push(
            ChangeKind::FieldRedactionChanged,
            Impact::Compatible,
            subject,
            detail,
        );
    }
    if o.doc != *doc {
        out.push(
            ChangeKind::DocChanged,
            Impact::Documentation,
            subject,
            "description changed",
        );
    }
}

/// `new` takes the required inputs in table order. If two of them swap,
/// calls may still compile (two `String`s) and silently fill the wrong
/// fields: the worst kind of break, so it gets its own change.
pub(super) fn inputs_order_changes(
    old: &[Field],
    new: &[Field],
    pairs: Vec<(usize, usize)>,
    type_name: &str,
    out: &mut Out,
) {
    let mut kept: Vec<(usize, usize)> = pairs
        .into_iter()
        .filter(|&(i, j)| old[i].required && new[j].required)
        .collect();
    // In old order, the new positions must still increase.
    kept.sort_unstable();
    if kept.windows(2).all(|w| w[0].1 < w[1].1) {
        return;
    }
    let name = |j: usize| format!("`{}`", bare(&new[j].rust_name));
    let before: Vec<String> = kept.iter().map(|&(_, j)| name(j)).collect();
    let mut now: Vec<usize> = kept.iter().map(|&(_, j)| j).collect();
    now.sort_unstable();
    let (before, after) = (
        before.join(", "),
        now.into_iter().map(name).collect::<Vec<_>>().join(", "),
    );
    out.push(
        ChangeKind::InputsReordered,
        Impact::Breaking,
        &format!("{type_name} inputs"),
        format!(
            "`{type_name}Request::new` takes its parameters in another order: ({after}), was ({before}); calls may still compile but fill the wrong fields"
        ),
    );
}
