//! Structures, by Rust name: added, removed, documented differently, or
//! built differently because a request now uses them (or no longer does).

use super::fields::{FieldKind, Owner, field_list_changes};
use super::{Out, bare};
use crate::render::code;
use crate::{ChangeKind, Impact};
use apidoc::ir::Struct;
use std::collections::BTreeMap;

pub(super) fn struct_list_changes(old: &[Struct], new: &[Struct], out: &mut Out) {
    let old: BTreeMap<&str, &Struct> = old.iter().map(|s| (s.rust_name.as_str(), s)).collect();
    let new: BTreeMap<&str, &Struct> = new.iter().map(|s| (s.rust_name.as_str(), s)).collect();
    for (name, o) in &old {
        match new.get(name) {
            Some(n) => struct_changes(o, n, out),
            None => out.push(
                ChangeKind::StructRemoved,
                Impact::Breaking,
                &format!("structure `{name}`"),
                format!("structure removed: the type `{name}` no longer exists"),
            ),
        }
    }
    for (name, n) in &new {
        if !old.contains_key(name) {
            out.push(
                ChangeKind::StructAdded,
                Impact::Compatible,
                &format!("structure `{name}`"),
                if n.api_name == *name {
                    format!("new structure `{name}`")
                } else {
                    format!("new structure `{name}` ({} in the docs)", code(&n.api_name))
                },
            );
        }
    }
}

fn struct_changes(o: &Struct, n: &Struct, out: &mut Out) {
    // `groups` follows from the actions that use the structure, which are
    // compared (and classified) on their own.
    let Struct {
        api_name,
        rust_name,
        doc,
        fields,
        groups: _,
        input,
    } = n;
    let subject = format!("structure `{rust_name}`");
    if o.api_name != *api_name {
        // The heading only names the structure in its docs and anchors.
        out.push(
            ChangeKind::DocChanged,
            Impact::Documentation,
            &subject,
            format!(
                "heading on the structures page changed from {} to {}",
                code(&o.api_name),
                code(api_name)
            ),
        );
    }
    if o.doc != *doc {
        out.push(
            ChangeKind::DocChanged,
            Impact::Documentation,
            &subject,
            "description changed",
        );
    }
    let required: Vec<&str> = fields
        .iter()
        .filter(|f| f.required)
        .map(|f| bare(&f.rust_name))
        .collect();
    if o.input != *input && !required.is_empty() {
        // Which fields are `Option` and what `new` takes follow from
        // whether a request uses the structure.
        let detail = if *input {
            format!(
                "now used in a request: its required fields ({}) are no longer `Option` and `{rust_name}::new` takes them",
                required.join(", ")
            )
        } else {
            format!(
                "no longer used in any request: its required fields ({}) become `Option` and `{rust_name}::new` no longer takes them",
                required.join(", ")
            )
        };
        out.push(
            ChangeKind::StructUsageChanged,
            Impact::Breaking,
            &subject,
            detail,
        );
    }
    // Field by field under the old usage, so that a usage change is not
    // reported once more per field.
    let owner = Owner {
        role: FieldKind::StructField { input: o.input },
        prefix: format!("{subject} field"),
        type_name: rust_name,
    };
    field_list_changes(&owner, &o.fields, fields, out);
}
