//! The structures page: one `## Name` heading per structure, its text,
//! and its field table.

use super::table::{FieldRole, RawField, fields, first_table};
use crate::diagnostic::Diagnostic;
use crate::page::{Block, Page};
use crate::source::{FileId, Span};

/// A structure as documented, its field types not yet resolved.
pub(super) struct StructDef {
    /// The heading.
    pub(super) name: String,
    pub(super) heading: Span,
    /// The text between the heading and the table.
    pub(super) doc: String,
    pub(super) fields: Vec<RawField>,
    /// No field table could be read: the structure is untyped JSON.
    pub(super) untyped: bool,
    /// Problems in the table, reported only once it is known whether an
    /// action uses the structure (a defect in an unused one is a warning).
    pub(super) pending: Vec<Diagnostic>,
}

/// Every structure of a structures page.
pub(super) fn read(file: FileId, page: &Page) -> Vec<StructDef> {
    let mut out = Vec::new();
    for s in page.sections.iter().filter(|s| s.level == 2) {
        let heading = Span::new(file, s.heading_range.clone());
        let name = s.heading.trim().to_string();
        if name.is_empty() {
            continue;
        }
        let doc = s
            .blocks
            .iter()
            .take_while(|b| !matches!(b, Block::Table(_)))
            .filter_map(|b| match b {
                Block::Paragraph { text, .. } => Some(text.as_str()),
                _ => None,
            })
            .collect::<Vec<_>>()
            .join("\n");
        let mut pending = Vec::new();
        let (fields, untyped) = match first_table(s) {
            Some(table) => (
                fields(file, table, FieldRole::Structure, &mut pending),
                false,
            ),
            None => {
                // Pipe lines with no header row are not a table to
                // Markdown; guessing their columns could lose fields.
                let rows = s.blocks.iter().find_map(|b| match b {
                    Block::Paragraph { text, range }
                        if text.lines().any(|l| l.trim_start().starts_with('|')) =>
                    {
                        Some(range.clone())
                    }
                    _ => None,
                });
                if let Some(range) = rows.clone() {
                    pending.push(
                        Diagnostic::warning("no-table-header", format!("structure `{name}` has table rows but no header and `---` row, so no table; it is kept as untyped JSON"))
                            .at(Span::new(file, range))
                            .note_line("add a `| 名称 | 类型 | 描述 |` header and a `|---|---|---|` row"),
                    );
                }
                (Vec::new(), rows.is_some())
            }
        };
        out.push(StructDef {
            name,
            heading,
            doc,
            fields,
            untyped,
            pending,
        });
    }
    out
}
