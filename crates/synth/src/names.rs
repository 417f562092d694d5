//! Unique names, so that no two generated structures, actions or fields
//! become the same Rust identifier.

use crate::rng::Rng;
use std::collections::HashSet;

/// Names already used, compared the way Rust names are made from them
/// (letters and digits, case folded), so no two become the same identifier.
#[derive(Default)]
pub struct Names(HashSet<String>);

impl Names {
    fn key(name: &str) -> String {
        name.chars()
            .filter(char::is_ascii_alphanumeric)
            .map(|c| c.to_ascii_lowercase())
            .collect()
    }

    pub fn insert(&mut self, name: &str) -> bool {
        self.0.insert(Self::key(name))
    }

    pub fn contains(&self, name: &str) -> bool {
        self.0.contains(&Self::key(name))
    }
}

/// Draws names until one is new. After many misses (only when the word
/// lists run out, at hundreds of thousands of pages) a number is appended,
/// which always makes it new, so this never loops forever.
pub fn loop_unique(
    rng: &mut Rng,
    names: &mut Names,
    serial: usize,
    mut draw: impl FnMut(&mut Rng) -> (String, String),
) -> (String, String) {
    for _ in 0..32 {
        let (name, doc) = draw(rng);
        if names.insert(&name) {
            return (name, doc);
        }
    }
    let (name, doc) = draw(rng);
    let name = format!("{name}V{serial}");
    names.insert(&name);
    (name, doc)
}
