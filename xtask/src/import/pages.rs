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
    /// An action and its sub-command value, lower-cased (a rename by case
    /// only keeps the method name, so it is the same page), and which of
    /// the action's pages it is (1-based, in the loader's rank, see
    /// [`roles`]): some actions have several.
    Action(String, Option<String>, usize),
    /// The n-th structures page (1-based), in the order of their bytes.
    Structures(usize),
    /// A page of a WebSocket channel, by its path: it documents a message,
    /// not an action, so it keeps its published name.
    Channel(String),
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
    /// Neither an interface page nor a structures page: the introduction.
    Other,
    /// An interface page whose action cannot be told, or a file that is
    /// not UTF-8. Loading it is an error.
    Unnamed,
    /// An interface page whose action (or sub-command value), or folder,
    /// cannot name a file in the specs.
    Invalid { what: String },
}

/// Tells what every page of `folder` is, from its content: the actions as
/// the pages name them (before overrides), with `service.toml` applied so
/// that sub-commands are recognised.
///
/// An action page lands in the specs under the folder it is in (its
/// category, `用户管理/AppGetToken.md`), named after its action; an
/// action's second and later pages get `.2`, `.3` before `.md`, and the
/// loader merges them into the first.
///
/// Which page is which is decided by content alone, never by file names,
/// so that a published folder and the specs it became give every page the
/// same name, and importing the specs into themselves changes nothing: the
/// pages of an action are numbered in the order the loader ranks them (the
/// page it uses first, then those it merges in, see `apidoc::lower`'s
/// `merge.rs`: most rows, then bytes); a page the loader did not place
/// comes after, by its bytes.
pub fn roles(folder: &Folder) -> BTreeMap<String, Role> {
    let loaded = folder.load_without_overrides();
    // Each page's action and its rank among the action's pages.
    let mut by_source: BTreeMap<&str, (&ir::Action, usize)> = BTreeMap::new();
    for a in &loaded.api.actions {
        for (rank, path) in std::iter::once(&a.source)
            .chain(&a.other_sources)
            .enumerate()
        {
            by_source.insert(path.as_str(), (a, rank));
        }
    }
    let mut out = BTreeMap::new();
    // Structures pages, to be numbered at the end.
    let mut structures = Vec::new();
    // Action pages by action, each with its rank, to be numbered at the end.
    type ActionId = (String, Option<String>);
    let mut actions: BTreeMap<ActionId, Vec<(usize, &String, ir::Action)>> = BTreeMap::new();
    for (path, bytes) in &folder.pages {
        let kind = std::str::from_utf8(bytes)
            .map(|text| apidoc::lower::classify(&apidoc::page::parse(text)));
        let role = match kind {
            Err(_) => Role::Unnamed,
            Ok(PageKind::Other) => Role::Other,
            Ok(PageKind::Structures) => {
                structures.push(path);
                continue;
            }
            Ok(PageKind::Action) if is_channel_page(&loaded.service, bytes) => {
                if is_channel_file_name(path) {
                    Role::Named {
                        key: Key::Channel(path.clone()),
                        file: path.clone(),
                        what: "a page of the WebSocket channel".into(),
                    }
                } else {
                    Role::Invalid {
                        what: "a page of the WebSocket channel".into(),
                    }
                }
            }
            Ok(PageKind::Action) => {
                // A page the loader could not place is loaded on its own to learn its action.
                let action = match by_source.get(path.as_str()) {
                    Some(&(a, rank)) => Some((rank, a.clone())),
                    None => alone(folder, path, bytes).map(|a| (usize::MAX, a)),
                };
                match action {
                    None => Role::Unnamed,
                    Some((rank, a)) => {
                        let id = (
                            a.name.to_lowercase(),
                            a.sub_command.as_ref().map(|s| s.value.to_lowercase()),
                        );
                        actions.entry(id).or_default().push((rank, path, a));
                        continue;
                    }
                }
            }
        };
        out.insert(path.clone(), role);
    }
    // By their bytes: a second structures page is rare, and nothing ranks
    // them but their content.
    structures.sort_by_key(|p| &folder.pages[*p]);
    for (i, path) in structures.into_iter().enumerate() {
        let n = i + 1;
        let file = if n == 1 {
            "structures.md".to_string()
        } else {
            format!("structures__{n}.md")
        };
        let role = Role::Named {
            key: Key::Structures(n),
            file,
            what: "the structures page".into(),
        };
        out.insert(path.clone(), role);
    }
    for ((name, sub), mut pages) in actions {
        pages.sort_by(|(r1, p1, _), (r2, p2, _)| {
            (r1, &folder.pages[*p1]).cmp(&(r2, &folder.pages[*p2]))
        });
        for (i, (_, path, a)) in pages.into_iter().enumerate() {
            let n = i + 1;
            let role = match spec_path(path, &a, n) {
                Some(file) => Role::Named {
                    key: Key::Action(name.clone(), sub.clone(), n),
                    file,
                    what: describe(&a),
                },
                None => Role::Invalid { what: describe(&a) },
            };
            out.insert(path.clone(), role);
        }
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

/// Where a page of `a` goes in the specs: under the folder it is in (each
/// folder name checked to be a plain name), as `<Action>.md` or
/// `<Action>__<sub-command>.md`, with `.<n>` before `.md` for the n-th page
/// of the action. `None` when the action, the sub-command value or a folder
/// cannot name a file: such a name is refused, never rewritten.
fn spec_path(path: &str, a: &ir::Action, n: usize) -> Option<String> {
    let stem = match &a.sub_command {
        Some(s) => format!("{}__{}", a.name, s.value),
        None => a.name.clone(),
    };
    let name = if n > 1 {
        format!("{stem}.{n}.md")
    } else {
        format!("{stem}.md")
    };
    let file = match path.rsplit_once('/') {
        Some((dir, _)) => format!("{dir}/{name}"),
        None => name,
    };
    is_spec_file_name(&file).then_some(file)
}

/// Whether an interface page is a message of a WebSocket channel, by the
/// endpoint its description names.
fn is_channel_page(service: &apidoc::ServiceConfig, bytes: &[u8]) -> bool {
    std::str::from_utf8(bytes).is_ok_and(|text| {
        apidoc::lower::channel_endpoint(service, text, &apidoc::page::parse(text)).is_some()
    })
}

/// Whether a channel page's published path may be written in the specs as
/// it is: plain folder and file names (see [`is_spec_file_name`]), `.md`.
pub fn is_channel_file_name(path: &str) -> bool {
    path.strip_suffix(".md")
        .is_some_and(|stem| !stem.is_empty() && stem.split('/').all(plain_name))
}

/// A folder or file name with nothing a path could be tricked with: not
/// `.` or `..`, no leading dot or blank, no trailing blank, no control
/// characters or separators, at most 64 characters.
fn plain_name(d: &str) -> bool {
    !d.is_empty()
        && !d.starts_with(['.', ' '])
        && !d.ends_with(' ')
        && d.chars().count() <= 64
        && !d
            .chars()
            .any(|c| c.is_control() || matches!(c, '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|'))
}

/// Whether `path` is a page path import may write in the specs: folders
/// with plain names (no `.` or `..`, no leading dot or blank, no control
/// characters or separators), then `<ident>.md`, `<ident>__<word>.md` or
/// either with `.<n>` (n of 2 or more) before `.md`, where a word is ASCII
/// letters, digits and `_` (so also `structures.md`, `structures__2.md`).
pub fn is_spec_file_name(path: &str) -> bool {
    let mut parts: Vec<&str> = path.split('/').collect();
    let Some(name) = parts.pop() else {
        return false;
    };
    let folder = |d: &str| {
        !d.is_empty()
            && !d.starts_with(['.', ' '])
            && !d.ends_with(' ')
            && d.chars().count() <= 64
            && !d.chars().any(|c| {
                c.is_control() || matches!(c, '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|')
            })
    };
    if !parts.iter().all(|d| folder(d)) {
        return false;
    }
    let Some(stem) = name.strip_suffix(".md") else {
        return false;
    };
    let stem = match stem.rsplit_once('.') {
        Some((s, n)) if n.parse::<usize>().is_ok_and(|n| n >= 2) && !n.starts_with('0') => s,
        _ => stem,
    };
    let word = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
    let (first, rest) = match stem.split_once("__") {
        Some((a, b)) if !a.is_empty() => (a, Some(b)),
        _ => (stem, None),
    };
    word(first) && !first.as_bytes()[0].is_ascii_digit() && rest.is_none_or(word)
}
