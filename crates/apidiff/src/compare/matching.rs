//! Pairing old and new items, shared by fields and error codes, so that
//! a case-only respelling the Rust API does not see is one change rather
//! than a removal and an addition.

use super::same_ignoring_case;

/// Pairs old and new items by wire name; then, among the rest, by wire
/// name ignoring case when the Rust name is the same (a case-only rename
/// the Rust API does not see). What stays unpaired was removed or added:
/// a respelling that changes the Rust name is a remove plus an add, which
/// is exactly what callers experience.
pub(super) struct Matched {
    /// `(old index, new index)`.
    pub(super) pairs: Vec<(usize, usize)>,
    pub(super) removed: Vec<usize>,
    pub(super) added: Vec<usize>,
}

pub(super) fn match_items<T>(
    old: &[T],
    new: &[T],
    wire: impl Fn(&T) -> &str,
    rust: impl Fn(&T) -> &str,
) -> Matched {
    let mut used = vec![false; new.len()];
    let mut pairs = Vec::new();
    let mut unpaired = Vec::new();
    for (i, o) in old.iter().enumerate() {
        match (0..new.len()).find(|&j| !used[j] && wire(&new[j]) == wire(o)) {
            Some(j) => {
                used[j] = true;
                pairs.push((i, j));
            }
            None => unpaired.push(i),
        }
    }
    let mut removed = Vec::new();
    for i in unpaired {
        let o = &old[i];
        let fallback = |j: &usize| {
            !used[*j] && rust(&new[*j]) == rust(o) && same_ignoring_case(wire(&new[*j]), wire(o))
        };
        match (0..new.len()).find(fallback) {
            Some(j) => {
                used[j] = true;
                pairs.push((i, j));
            }
            None => removed.push(i),
        }
    }
    let added = (0..new.len()).filter(|&j| !used[j]).collect();
    Matched {
        pairs,
        removed,
        added,
    }
}
