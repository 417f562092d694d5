//! Nothing documented is lost: every row of every input, output,
//! structure and error-code table, every structure section and every page
//! ends up in the IR or in a diagnostic at its place.
//!
//! The rows are counted from the page model, with the test's own reading
//! of which table is which (by section heading and header words), not with
//! the lowering code that could drop them. A row is accounted for when the
//! IR has it (a field, an error code, a structure), when it is a common
//! parameter of the action's own auth mode or its sub-command, when a
//! diagnostic points into it, or when `overrides.toml` renames it.

use apidoc::ir::{Action, Api};
use apidoc::page::{Block, Page, Section, Table};
use apidoc::{Diagnostic, FileId, Span};
use std::collections::BTreeMap;
use std::path::Path;

/// What was counted, and how it was accounted for.
#[derive(Default, Debug)]
struct Tally {
    /// (what, how) -> count.
    counts: BTreeMap<(&'static str, &'static str), usize>,
    /// Rows nothing accounts for: `file:line: what`.
    lost: Vec<String>,
}

impl Tally {
    fn add(
        &mut self,
        what: &'static str,
        how: Option<&'static str>,
        place: impl FnOnce() -> String,
    ) {
        match how {
            Some(how) => *self.counts.entry((what, how)).or_default() += 1,
            None => self.lost.push(format!("{}: {what}", place())),
        }
    }

    fn total(&self, what: &str) -> usize {
        self.counts
            .iter()
            .filter(|((w, _), _)| *w == what)
            .map(|(_, n)| n)
            .sum()
    }
}

struct Folder {
    parsed: apidoc::Parsed,
    api: Api,
    diagnostics: Vec<Diagnostic>,
    /// Names `overrides.toml` renames fields from.
    renamed: Vec<String>,
}

fn load(dir: &Path) -> Folder {
    let parsed = apidoc::parse(apidoc::read_dir(dir).expect("folder is readable"));
    let (api, diagnostics) = parsed.lower();
    let diagnostics = diagnostics.sorted().into_iter().cloned().collect();
    let renamed = parsed
        .overrides
        .as_ref()
        .map(|(_, o)| {
            o.field
                .iter()
                .filter(|f| f.get_ref().rename.is_some())
                .map(|f| f.get_ref().name.clone())
                .collect()
        })
        .unwrap_or_default();
    Folder {
        parsed,
        api,
        diagnostics,
        renamed,
    }
}

impl Folder {
    /// Whether a diagnostic points into `range` of `file`, by its primary
    /// or a related place.
    fn diagnosed(&self, file: FileId, range: &std::ops::Range<usize>) -> bool {
        let inside = |s: &Span| {
            s.file == file
                && s.range.start < range.end.max(range.start + 1)
                && s.range.end.max(s.range.start + 1) > range.start
        };
        self.diagnostics.iter().any(|d| {
            d.span.as_ref().is_some_and(inside) || d.related.iter().any(|(s, _)| inside(s))
        })
    }

    /// Whether a diagnostic is about the whole page (placed at its start).
    fn page_diagnosed(&self, file: FileId, kinds: &[&str]) -> bool {
        self.diagnostics.iter().any(|d| {
            kinds.contains(&d.kind)
                && d.span
                    .as_ref()
                    .is_some_and(|s| s.file == file && s.range.start == 0)
        })
    }

    fn path(&self, file: FileId) -> &str {
        &self.parsed.db.get(file).path
    }

    fn place(&self, file: FileId, at: usize) -> String {
        self.parsed.db.location(&Span::new(file, at..at))
    }

    /// The channel messages a page documents.
    fn messages_of(&self, file: FileId) -> Vec<&apidoc::ir::Message> {
        let path = self.path(file);
        self.api
            .channel
            .iter()
            .flat_map(|c| &c.messages)
            .filter(|m| m.source == path)
            .collect()
    }

    /// Whether the IR has the value list a `<Member>类型` table of the page
    /// documents, with every value of the table.
    fn value_list_of(&self, file: FileId, t: &Table) -> bool {
        let path = self.path(file);
        let member = t.header[0].text.trim().trim_end_matches("类型").trim();
        self.api
            .channel
            .iter()
            .flat_map(|c| &c.enums)
            .filter(|e| e.source == path && e.member == member)
            .any(|e| {
                t.rows.iter().all(|r| {
                    let v = r.cells[0].text.trim();
                    v.is_empty() || e.values.iter().any(|x| x.wire == v)
                })
            })
    }

    /// The IR actions a page documents (its own, or merged into another's).
    fn actions_of(&self, file: FileId) -> Vec<&Action> {
        let path = self.path(file);
        self.api
            .actions
            .iter()
            .filter(|a| a.source == path || a.other_sources.iter().any(|p| p == path))
            .collect()
    }
}

/// Column of the first header cell that contains one of `words`.
fn column(t: &Table, words: &[&str]) -> Option<usize> {
    t.header
        .iter()
        .position(|c| words.iter().any(|w| c.text.contains(w)))
}

/// A name cell as a parameter name: stray punctuation off.
fn name_of(text: &str) -> String {
    text.trim()
        .trim_matches(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .to_string()
}

/// The blocks of a section and of its sub-sections.
fn part(page: &Page, i: usize) -> impl Iterator<Item = &Block> {
    let level = page.sections[i].level;
    std::iter::once(&page.sections[i])
        .chain(
            page.sections[i + 1..]
                .iter()
                .take_while(move |s| s.level > level),
        )
        .flat_map(|s| &s.blocks)
}

fn tables<'p>(blocks: impl Iterator<Item = &'p Block>) -> Vec<&'p Table> {
    blocks
        .filter_map(|b| match b {
            Block::Table(t) => Some(t),
            _ => None,
        })
        .collect()
}

fn is_interface(page: &Page) -> bool {
    page.sections
        .iter()
        .any(|s| s.heading.contains("输入参数") || s.heading.contains("输出参数"))
}

fn account(dir: &Path) -> Tally {
    let f = load(dir);
    let mut tally = Tally::default();
    for (file, page) in &f.parsed.pages {
        let file = *file;
        if is_interface(page) {
            interface_page(&f, file, page, &mut tally);
        } else if page.sections.iter().any(|s| {
            s.level == 2
                && tables(s.blocks.iter())
                    .iter()
                    .any(|t| column(t, &["类型"]).is_some())
        }) {
            structures_page(&f, file, page, &mut tally);
        } else {
            let how = f
                .page_diagnosed(file, &["skipped-page", "empty-page"])
                .then_some("diagnostic");
            tally.add("other page", how, || f.path(file).to_string());
        }
    }
    tally
}

fn interface_page(f: &Folder, file: FileId, page: &Page, tally: &mut Tally) {
    let actions = f.actions_of(file);
    let messages = f.messages_of(file);
    let page_how = if !actions.is_empty() || !messages.is_empty() {
        Some("IR")
    } else if f.page_diagnosed(file, &["channel-page", "duplicate-action"])
        || f.diagnostics.iter().any(|d| {
            d.severity == apidoc::Severity::Error && d.span.as_ref().is_some_and(|s| s.file == file)
        })
    {
        Some("diagnostic")
    } else {
        None
    };
    tally.add("interface page", page_how, || f.path(file).to_string());
    let common = &f.api.service.common_parameters;
    let mut read: Vec<&Table> = Vec::new();
    for (i, s) in page.sections.iter().enumerate() {
        let side = if s.heading.contains("输入参数") {
            "input row"
        } else if s.heading.contains("输出参数") {
            "output row"
        } else if s.heading.contains("错误码") {
            "error-code row"
        } else {
            continue;
        };
        let Some(t) = tables(part(page, i)).into_iter().next() else {
            continue;
        };
        read.push(t);
        let col = if side == "error-code row" {
            column(t, &["错误码", "Code"])
        } else {
            column(t, &["名称", "参数", "字段", "Name"])
        };
        for row in &t.rows {
            let name = col.map(|c| name_of(&row.cells[c].text)).unwrap_or_default();
            if row.cells.iter().all(|c| c.text.trim().is_empty()) {
                continue;
            }
            let in_message = messages.iter().any(|m| match side {
                "input row" => m.inputs.iter().any(|x| x.api_name == name),
                "output row" => m.outputs.iter().any(|x| x.api_name == name),
                _ => false,
            });
            let in_ir = in_message
                || actions.iter().any(|a| match side {
                    "input row" => {
                        a.inputs.iter().any(|x| x.api_name == name)
                            || common.of(a.auth).contains(&name.as_str())
                            || name.eq_ignore_ascii_case(&common.action)
                            || a.sub_command.as_ref().is_some_and(|p| p.name == name)
                    }
                    "output row" => a.outputs.iter().any(|x| x.api_name == name),
                    _ => a.errors.contains(&name),
                });
            let how = if in_ir {
                Some("IR")
            } else if f.diagnosed(file, &row.range) {
                Some("diagnostic")
            } else if f.renamed.contains(&name) {
                Some("override")
            } else if actions.is_empty() && messages.is_empty() && page_how.is_some() {
                // The page itself is accounted for by a diagnostic (a
                // channel page, an unreadable page): so are its rows.
                Some("page diagnostic")
            } else {
                None
            };
            tally.add(side, how, || {
                format!("{} `{name}`", f.place(file, row.range.start))
            });
        }
    }
    for s in &page.sections {
        for t in tables(s.blocks.iter()) {
            if read.iter().any(|r| r.range == t.range) {
                continue;
            }
            let envelope = s.heading.contains("错误信息")
                && t.rows
                    .iter()
                    .all(|r| matches!(r.cells[0].text.trim(), "Code" | "Message"));
            let how = if envelope {
                Some("error envelope")
            } else if f.value_list_of(file, t) {
                Some("IR value list")
            } else if f.diagnosed(file, &t.range) || (actions.is_empty() && page_how.is_some()) {
                Some("diagnostic")
            } else {
                None
            };
            tally.add("other table", how, || f.place(file, t.range.start));
        }
    }
}

fn structures_page(f: &Folder, file: FileId, page: &Page, tally: &mut Tally) {
    let unused: String = f
        .diagnostics
        .iter()
        .filter(|d| d.kind == "unused-structures")
        .flat_map(|d| d.notes.iter().cloned())
        .collect::<Vec<_>>()
        .join(", ");
    let listed = |name: &str| {
        unused
            .trim_start_matches("not generated: ")
            .split(", ")
            .any(|n| n == name)
    };
    for s in page.sections.iter().filter(|s| s.level == 2) {
        let name = s.heading.trim();
        if name.is_empty() {
            continue;
        }
        let range = section_range(s);
        let ir = f.api.structs.iter().find(|x| x.api_name == name);
        let section_how = if ir.is_some() {
            Some("IR")
        } else if listed(name) {
            Some("unused-structures note")
        } else if f.diagnosed(file, &range) {
            Some("diagnostic")
        } else {
            None
        };
        tally.add("structure section", section_how, || {
            format!("{} `{name}`", f.place(file, s.heading_range.start))
        });
        for t in tables(s.blocks.iter()) {
            let col = column(t, &["名称", "参数", "字段", "Name"]);
            for row in &t.rows {
                if row.cells.iter().all(|c| c.text.trim().is_empty()) {
                    continue;
                }
                let field = col.map(|c| name_of(&row.cells[c].text)).unwrap_or_default();
                let how = if ir.is_some_and(|x| x.fields.iter().any(|y| y.api_name == field)) {
                    Some("IR")
                } else if f.diagnosed(file, &row.range) {
                    Some("diagnostic")
                } else if f.renamed.contains(&field) {
                    Some("override")
                } else if section_how.is_some() && ir.is_none() {
                    // Not generated (unused, untyped, a duplicate): the
                    // section's diagnostic or note accounts for its rows.
                    Some("section diagnostic")
                } else if ir.is_some() && f.diagnosed(file, &t.range) {
                    Some("diagnostic")
                } else {
                    None
                };
                tally.add("structure row", how, || {
                    format!("{} `{name}.{field}`", f.place(file, row.range.start))
                });
            }
        }
    }
}

/// From a section's heading to the end of its last block.
fn section_range(s: &Section) -> std::ops::Range<usize> {
    let end = s
        .blocks
        .iter()
        .map(|b| match b {
            Block::Paragraph { range, .. } => range.end,
            Block::Table(t) => t.range.end,
            Block::Code(c) => c.range.end,
        })
        .max()
        .unwrap_or(s.heading_range.end);
    s.heading_range.start..end.max(s.heading_range.end)
}

fn assert_conserved(dir: &Path) -> Tally {
    let tally = account(dir);
    assert!(
        tally.lost.is_empty(),
        "{}: documented but neither in the IR nor in a diagnostic:\n{}",
        dir.display(),
        tally.lost.join("\n")
    );
    tally
}

#[test]
fn every_documented_row_of_the_specs_is_accounted_for() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../specs");
    let tally = assert_conserved(&dir);
    for ((what, how), n) in &tally.counts {
        eprintln!("{what:>18} via {how:<24} {n}");
    }
    // The specs hold the whole API: the counts cannot be trivially small.
    assert!(tally.total("input row") > 0, "{tally:?}");
    assert!(tally.total("output row") > 0, "{tally:?}");
    assert!(tally.total("error-code row") > 0, "{tally:?}");
    assert!(tally.total("structure row") > 0, "{tally:?}");
}

#[test]
fn every_documented_row_of_every_fixture_is_accounted_for() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut dirs: Vec<_> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    assert!(dirs.len() >= 12);
    for dir in dirs {
        assert_conserved(&dir);
    }
}

/// The accounting can fail: a row the lowering drops without a word is
/// caught. (A copy of a page whose diagnostics are thrown away.)
#[test]
fn a_row_dropped_in_silence_is_caught() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/unread_forms");
    let mut f = load(&dir);
    f.diagnostics.retain(|d| d.kind != "table-not-read");
    let mut tally = Tally::default();
    for (file, page) in &f.parsed.pages {
        if is_interface(page) {
            interface_page(&f, *file, page, &mut tally);
        }
    }
    assert!(
        tally.lost.iter().any(|l| l.contains("other table")),
        "{:?}",
        tally.lost
    );
}
