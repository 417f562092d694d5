//! What each page of a folder is to `import`: which action (or the
//! structures page) it documents, the [`Key`] that matches it across
//! folders, and the file it is in the specs.

use crate::folder::Folder;
use apidoc::ir;
use apidoc::lower::PageKind;
use std::collections::BTreeMap;

/// Which pages of two folders are the same page.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Key {
    /// An action and its sub-command value, lower-cased: a rename by case
    /// only keeps the method name, so it is the same page.
    Action(String, Option<String>),
    /// The n-th structures page (1-based), in path order.
    Structures(usize),
}

/// What a page is to `import`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Role {
    /// An action or structures page and the file it is in the specs.
    Named {
        key: Key,
        file: String,
        what: String,
    },
    /// Another page for an action that an earlier page (by path) documents;
    /// the loader would ignore it.
    Duplicate { what: String, first: String },
    /// Neither an interface page nor a structures page: the introduction.
    Other,
    /// An interface page whose action cannot be told, or a file that is
    /// not UTF-8. Loading it is an error.
    Unnamed,
    /// An interface page whose action (or sub-command value) is not a
    /// plain identifier, so it cannot name a file in the specs.
    Invalid { what: String },
}

/// Tells what every page of `folder` is, from its content: the actions as
/// the pages name them (before overrides), with `service.toml` applied so
/// that sub-commands are recognised.
pub fn roles(folder: &Folder) -> BTreeMap<String, Role> {
    let loaded = folder.load_without_overrides();
    let by_source: BTreeMap<&str, &ir::Action> = loaded
        .api
        .actions
        .iter()
        .map(|a| (a.source.as_str(), a))
        .collect();
    let mut first: BTreeMap<Key, String> = BTreeMap::new();
    let mut structures = 0;
    let mut out = BTreeMap::new();
    for (path, bytes) in &folder.pages {
        let kind = std::str::from_utf8(bytes)
            .map(|text| apidoc::lower::classify(&apidoc::page::parse(text)));
        let role = match kind {
            Err(_) => Role::Unnamed,
            Ok(PageKind::Other) => Role::Other,
            Ok(PageKind::Structures) => {
                structures += 1;
                let file = if structures == 1 {
                    "structures.md".to_string()
                } else {
                    format!("structures__{structures}.md")
                };
                Role::Named {
                    key: Key::Structures(structures),
                    file,
                    what: "the structures page".into(),
                }
            }
            Ok(PageKind::Action) => {
                // A page the loader skipped as a duplicate is loaded on its own to learn its action.
                let action = by_source
                    .get(path.as_str())
                    .map(|a| (*a).clone())
                    .or_else(|| alone(folder, path, bytes));
                match action {
                    None => Role::Unnamed,
                    Some(a) => {
                        let key = Key::Action(
                            a.name.to_lowercase(),
                            a.sub_command.as_ref().map(|s| s.value.to_lowercase()),
                        );
                        match first.get(&key) {
                            Some(earlier) => Role::Duplicate {
                                what: describe(&a),
                                first: earlier.clone(),
                            },
                            None => match file_name(&a) {
                                Some(file) => {
                                    first.insert(key.clone(), path.clone());
                                    Role::Named {
                                        key,
                                        file,
                                        what: describe(&a),
                                    }
                                }
                                None => Role::Invalid { what: describe(&a) },
                            },
                        }
                    }
                }
            }
        };
        out.insert(path.clone(), role);
    }
    out
}

fn alone(folder: &Folder, path: &str, bytes: &[u8]) -> Option<ir::Action> {
    let page = Folder {
        pages: [(path.to_string(), bytes.to_vec())].into(),
        service: folder.service.clone(),
        overrides: None,
    };
    page.load_without_overrides().api.actions.into_iter().next()
}

/// `AppGetProducts`, or `AppKugouUserCommand` with `KGCommand=song_url`.
fn describe(a: &ir::Action) -> String {
    match &a.sub_command {
        Some(s) => format!("`{}` with `{}={}`", a.name, s.name, s.value),
        None => format!("`{}`", a.name),
    }
}

/// `<Action>.md` or `<Action>__<sub-command>.md`, or `None` when the
/// action is not a plain identifier (ASCII letters, digits and `_`, not
/// starting with a digit) or the sub-command value has anything but ASCII
/// letters, digits and `_`: such a name is refused, never rewritten.
fn file_name(a: &ir::Action) -> Option<String> {
    let name = match &a.sub_command {
        Some(s) => format!("{}__{}.md", a.name, s.value),
        None => format!("{}.md", a.name),
    };
    is_spec_file_name(&name).then_some(name)
}

/// Whether `name` is a file name import may write in the specs:
/// `<ident>.md` or `<ident>__<word>.md`, where a word is ASCII letters,
/// digits and `_` (so also `structures.md` and `structures__2.md`).
pub fn is_spec_file_name(name: &str) -> bool {
    let Some(stem) = name.strip_suffix(".md") else {
        return false;
    };
    let word = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
    let (first, rest) = match stem.split_once("__") {
        Some((a, b)) if !a.is_empty() => (a, Some(b)),
        _ => (stem, None),
    };
    word(first) && !first.as_bytes()[0].is_ascii_digit() && rest.is_none_or(word)
}
