//! Unique names: a second structure, field or method that would get a
//! taken Rust name gets a numbered one instead.

use crate::ir;
use std::collections::BTreeSet;

/// `base`, or `base` plus a separator and a number, whichever is free.
pub(super) fn unique(base: &str, taken: &mut BTreeSet<String>, sep: &str) -> String {
    let mut name = base.to_string();
    let mut n = 2;
    while taken.contains(&name) {
        name = format!("{}{sep}{n}", base.trim_start_matches("r#"));
        n += 1;
    }
    taken.insert(name.clone());
    name
}

/// The Rust type names the IR already uses (the crate's own, the
/// structures', every action's request and response), so that names made
/// later, the channel's enums, keep clear of them.
pub(super) fn type_names(structs: &[ir::Struct], actions: &[ir::Action]) -> BTreeSet<String> {
    crate::naming::RESERVED_TYPE_NAMES
        .iter()
        .map(|s| s.to_string())
        .chain(structs.iter().map(|s| s.rust_name.clone()))
        .chain(actions.iter().flat_map(|a| {
            [
                format!("{}Request", a.type_name),
                format!("{}Response", a.type_name),
            ]
        }))
        .collect()
}
