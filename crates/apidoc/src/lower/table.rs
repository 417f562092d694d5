//! Parameter and error-code tables: which column is which, and each row
//! read into a documented field whose type is not resolved yet.

use crate::diagnostic::Diagnostic;
use crate::page::{Block, Cell, Section, Table};
use crate::source::{FileId, Span};
use crate::types::{self, TypeExpr};
use std::collections::HashMap;

/// The first table of a section.
pub(super) fn first_table(s: &Section) -> Option<&Table> {
    table_in(&s.blocks)
}

/// The first table among some blocks.
pub(super) fn table_in<'p>(blocks: impl IntoIterator<Item = &'p Block>) -> Option<&'p Table> {
    blocks.into_iter().find_map(|b| match b {
        Block::Table(t) => Some(t),
        _ => None,
    })
}

/// Column positions of a parameter table, found by header name.
#[derive(Debug, Clone, Copy)]
pub(super) struct Columns {
    name: usize,
    ty: usize,
    required: Option<usize>,
    doc: Option<usize>,
}

impl Columns {
    /// The columns of `t`, or `None` if it has no name or no type column.
    pub(super) fn of(t: &Table) -> Option<Columns> {
        let find = |names: &[&str]| {
            t.header
                .iter()
                .position(|c| names.iter().any(|n| c.text.trim() == *n))
        };
        Some(Columns {
            name: find(&["名称", "参数名称", "参数名", "字段", "Name"])?,
            ty: find(&["类型", "Type"])?,
            required: find(&["必选", "是否必选", "必填", "Required"]),
            doc: find(&["描述", "说明", "Description"]),
        })
    }
}

/// Which table a field comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum FieldTable {
    /// An action's input table.
    Input,
    /// An action's output table.
    Output,
    /// A structure's table on the structures page.
    Structure,
}

/// A field as documented, its type not yet resolved.
#[derive(Debug, Clone)]
pub(super) struct RawField {
    pub(super) api_name: String,
    pub(super) name_span: Span,
    pub(super) ty: Result<TypeExpr, types::TypeError>,
    pub(super) ty_span: Span,
    /// The type was written in `overrides.toml` (`ty_span` is there): one
    /// that cannot be read is the maintainer's mistake, an error, where a
    /// page's odd spelling is routed around.
    pub(super) ty_by_override: bool,
    pub(super) required: bool,
    pub(super) doc: String,
    /// The description cell, with its links (a bare `Array` names its
    /// element structure there).
    pub(super) doc_cell: Cell,
    /// Set by an override; otherwise judged from the name.
    pub(super) sensitive: Option<bool>,
}

impl RawField {
    /// Where the description is.
    pub(super) fn doc_span(&self) -> Span {
        Span::new(self.name_span.file, self.doc_cell.range.clone())
    }
}

/// Every row of a parameter table that names a field.
pub(super) fn fields(
    file: FileId,
    t: &Table,
    role: FieldTable,
    diags: &mut Vec<Diagnostic>,
) -> Vec<RawField> {
    let Some(cols) = Columns::of(t) else {
        return Vec::new();
    };
    if role == FieldTable::Input && cols.required.is_none() {
        diags.push(
            Diagnostic::warning(
                "no-required-column",
                "input table has no 必选 column: every parameter is taken as optional",
            )
            .at(Span::new(
                file,
                t.header
                    .first()
                    .map_or(t.range.clone(), |c| c.range.clone()),
            )),
        );
    }
    let mut seen: HashMap<String, Span> = HashMap::new();
    let mut out = Vec::new();
    for row in &t.rows {
        let name_cell = &row.cells[cols.name];
        let raw = name_cell.text.trim();
        let name_span = Span::new(file, name_cell.range.clone());
        if raw.is_empty() && row.cells.iter().all(|c| c.text.trim().is_empty()) {
            continue;
        }
        let name = raw.trim_matches(|c: char| !(c.is_ascii_alphanumeric() || c == '_'));
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            diags.push(
                Diagnostic::error(
                    "bad-name",
                    format!("`{raw}` is not a parameter name: expected letters, digits and `_`"),
                )
                .at(name_span),
            );
            continue;
        }
        if name != raw {
            diags.push(
                Diagnostic::warning(
                    "stray-punctuation",
                    format!("parameter name `{raw}` has stray punctuation; read as `{name}`"),
                )
                .at(name_span.clone()),
            );
        }
        if let Some(first) = seen.get(name) {
            diags.push(
                Diagnostic::error(
                    "duplicate-parameter",
                    format!("parameter `{name}` is documented twice in this table"),
                )
                .at(name_span)
                .related(first.clone(), "first documented here"),
            );
            continue;
        }
        seen.insert(name.to_string(), name_span.clone());
        let ty_cell = &row.cells[cols.ty];
        let required = match cols.required {
            Some(c) => required(file, &row.cells[c], diags),
            None => false,
        };
        let doc_cell = cols.doc.map(|c| row.cells[c].clone()).unwrap_or_default();
        out.push(RawField {
            api_name: name.to_string(),
            name_span,
            ty: types::parse_cell(ty_cell),
            ty_span: Span::new(file, ty_cell.range.clone()),
            ty_by_override: false,
            required,
            doc: doc_cell.text.clone(),
            doc_cell,
            sensitive: None,
        });
    }
    out
}

fn required(file: FileId, cell: &Cell, diags: &mut Vec<Diagnostic>) -> bool {
    match cell.text.trim() {
        "是" | "必选" | "Yes" | "yes" | "true" | "Y" => true,
        "否" | "可选" | "No" | "no" | "false" | "N" => false,
        other => {
            diags.push(
                Diagnostic::warning(
                    "required-column",
                    format!("`{other}` in the 必选 column: expected 是 or 否; taken as optional"),
                )
                .at(Span::new(file, cell.range.clone())),
            );
            false
        }
    }
}

/// A documented error code.
#[derive(Debug, Clone)]
pub(super) struct ErrorRow {
    /// The code as sent on the wire.
    pub(super) code: String,
    /// Its description.
    pub(super) description: String,
}

/// The rows of an error-code table (错误码 | 描述).
pub(super) fn error_rows(file: FileId, t: &Table, diags: &mut Vec<Diagnostic>) -> Vec<ErrorRow> {
    let find = |n: &[&str]| t.header.iter().position(|c| n.contains(&c.text.trim()));
    let (Some(code_col), desc_col) = (
        find(&["错误码", "Code"]),
        find(&["描述", "说明", "Description"]),
    ) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for row in &t.rows {
        let cell = &row.cells[code_col];
        let code = cell.text.trim();
        if code.is_empty() {
            continue;
        }
        let valid = code.starts_with(|c: char| c.is_ascii_alphabetic())
            && code
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '_');
        if !valid {
            diags.push(
                Diagnostic::warning(
                    "error-code",
                    format!(
                        "`{code}` is not an error code: expected `Word` or `Word.Word`; row skipped"
                    ),
                )
                .at(Span::new(file, cell.range.clone())),
            );
            continue;
        }
        let description = desc_col
            .map(|c| row.cells[c].text.clone())
            .unwrap_or_default();
        out.push(ErrorRow {
            code: code.to_string(),
            description,
        });
    }
    out
}
