//! Unique names: a second structure, field or method that would get a
//! taken Rust name gets a numbered one instead.

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
