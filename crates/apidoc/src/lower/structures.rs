//! The structures page: one `## Name` heading per structure, its text,
//! and its field table.

use super::table::{Columns, FieldTable, RawField, fields, first_table};
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
            Some(table) if Columns::of(table).is_none() => {
                pending.push(
                    Diagnostic::warning("no-field-table", format!("structure `{name}` has a table without a 名称 (name) and a 类型 (type) column, which is not read; it is kept as untyped JSON"))
                        .at(Span::new(file, table.header.first().map_or(table.range.clone(), |c| c.range.clone()))),
                );
                (Vec::new(), true)
            }
            Some(table) => {
                for extra in s
                    .blocks
                    .iter()
                    .filter_map(|b| match b {
                        Block::Table(t) => Some(t),
                        _ => None,
                    })
                    .skip(1)
                {
                    pending.push(
                        Diagnostic::warning(
                            "table-not-read",
                            format!("structure `{name}` has a second table, which is not read: a structure's fields are its first table"),
                        )
                        .at(Span::new(file, extra.range.start..extra.range.start)),
                    );
                }
                (
                    fields(file, table, FieldTable::Structure, &mut pending),
                    false,
                )
            }
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
                // `请求参数这里为空，传递空对象 {} 即可`, `返回值为空`: the
                // page says there are no fields, which is a structure too.
                let documented_empty =
                    rows.is_none() && (doc.contains("为空") || doc.contains("空对象"));
                match rows {
                    _ if documented_empty => {}
                    Some(range) => pending.push(
                        Diagnostic::warning("no-table-header", format!("structure `{name}` has table rows but no header and `---` row, so no table; it is kept as untyped JSON"))
                            .at(Span::new(file, range))
                            .note_line("add a `| 名称 | 类型 | 描述 |` header and a `|---|---|---|` row"),
                    ),
                    // A list, a definition list or an HTML table is not
                    // read: say so rather than make an empty structure.
                    None => pending.push(
                        Diagnostic::warning("no-field-table", format!("structure `{name}` has no field table (`| 名称 | 类型 | 描述 |`); it is kept as untyped JSON"))
                            .at(heading.clone()),
                    ),
                }
                (Vec::new(), !documented_empty)
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
