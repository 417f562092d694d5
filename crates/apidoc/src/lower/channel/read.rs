//! A channel page read into a [`MessageDraft`]: its tables, the frame's
//! `action`, whether it keeps the connection alive, and its value lists.

use super::examples::{Change, examples};
use crate::diagnostic::Diagnostic;
use crate::lower::table::{FieldTable, RawField, fields, table_in};
use crate::naming;
use crate::page::{Block, Page, Table};
use crate::source::{FileId, SourceDb, Span};

/// A channel page as documented, types not yet resolved.
pub(in crate::lower) struct MessageDraft {
    pub(super) file: FileId,
    pub(super) endpoint: String,
    /// The frame's `action`, and where the page says it.
    pub(super) name: Option<(String, Span)>,
    pub(super) push: bool,
    /// The action a call frame carries in its parameters (`"Action": …`
    /// in its example).
    pub(super) calls: Option<(String, Span)>,
    /// The page says its message keeps the connection alive.
    pub(super) keep_alive: bool,
    pub(super) doc: String,
    pub(in crate::lower) inputs: Vec<RawField>,
    pub(in crate::lower) outputs: Vec<RawField>,
    pub(super) enums: Vec<EnumDraft>,
    pub(super) changes: Vec<Change>,
}

/// A `Type类型` table: the documented values of a member of the changes.
pub(super) struct EnumDraft {
    pub(super) member: String,
    pub(super) at: Span,
    pub(super) values: Vec<(String, String)>,
}

/// Words that say a message keeps the connection alive.
const KEEP_ALIVE: &[&str] = &["保活", "心跳", "heartbeat", "keep-alive", "keepalive"];

/// Reads a page whose endpoint line names a WebSocket endpoint.
pub(in crate::lower) fn read(
    db: &SourceDb,
    file: FileId,
    page: &Page,
    endpoint: String,
    diags: &mut Vec<Diagnostic>,
) -> MessageDraft {
    let source = db.get(file);
    let text = source.text.as_str();
    let whole = Span::new(file, 0..0);
    // A part is a section with its sub-sections.
    let part_of = |word: &str| -> Option<std::ops::Range<usize>> {
        let i = page
            .sections
            .iter()
            .position(|s| s.heading.contains(word))?;
        let level = page.sections[i].level;
        let n = page.sections[i + 1..]
            .iter()
            .take_while(|s| s.level > level)
            .count();
        Some(i..i + 1 + n)
    };
    let blocks = |r: &Option<std::ops::Range<usize>>| -> Vec<&Block> {
        r.clone()
            .map(|r| page.sections[r].iter().flat_map(|s| &s.blocks).collect())
            .unwrap_or_default()
    };
    let (input_part, output_part) = (part_of("输入参数"), part_of("输出参数"));
    let input_table = table_in(blocks(&input_part));
    let output_table = table_in(blocks(&output_part));
    let inputs = input_table
        .map(|t| fields(file, t, FieldTable::Input, diags))
        .unwrap_or_default();
    let outputs = output_table
        .map(|t| fields(file, t, FieldTable::Output, diags))
        .unwrap_or_default();
    if input_table.is_none() && output_table.is_none() {
        diags.push(
            Diagnostic::warning(
                "channel-page",
                "a channel page with neither an 输入参数 nor an 输出参数 table: no message is read from it",
            )
            .at(whole.clone()),
        );
    }

    let desc = part_of("接口描述").or(if page.sections.is_empty() {
        None
    } else {
        Some(0..1)
    });
    let doc = blocks(&desc)
        .iter()
        .filter_map(|b| match b {
            Block::Paragraph { text, .. } => Some(text.as_str()),
            _ => None,
        })
        .flat_map(str::lines)
        .filter(|l| !l.contains("域名"))
        .map(|l| l.trim().replace("**", ""))
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n");
    let title = source.path.rsplit('/').next().unwrap_or_default();
    let keep_alive = KEEP_ALIVE
        .iter()
        .any(|w| doc.to_lowercase().contains(w) || title.contains(w));

    // The frame's `action`: the input table's row (`本接口取值：X`), or the
    // output table's (`固定为 X`).
    let name = [(&inputs, true), (&outputs, false)]
        .into_iter()
        .find_map(|(rows, input)| {
            let row = rows.iter().find(|f| f.api_name == "action")?;
            let value = if input {
                crate::lower::action_name::action_value(&row.doc)
            } else {
                fixed_value(&row.doc)
            }?;
            Some((value, row.doc_span()))
        });

    let mut draft = MessageDraft {
        file,
        endpoint,
        name,
        push: input_table.is_none() && output_table.is_some(),
        calls: None,
        keep_alive,
        doc,
        inputs,
        outputs,
        enums: Vec::new(),
        changes: Vec::new(),
    };
    let read_tables = [input_table, output_table];
    examples(file, text, page, &mut draft, diags);
    for (i, s) in page.sections.iter().enumerate() {
        let in_tables = [&input_part, &output_part]
            .iter()
            .any(|p| p.as_ref().is_some_and(|p| p.contains(&i)));
        for b in &s.blocks {
            let Block::Table(t) = b else { continue };
            if read_tables.iter().flatten().any(|r| r.range == t.range) {
                continue;
            }
            match value_table(file, t, diags) {
                Some(e) if !in_tables => draft.enums.push(e),
                _ => diags.push(
                    Diagnostic::warning(
                        "table-not-read",
                        format!("this table (under `{}`) is not read: a channel page's members are read from the first table of its 输入参数 and 输出参数 sections, and value lists from tables headed `<Member>类型`", s.heading),
                    )
                    .at(Span::new(file, t.header.first().map_or(t.range.clone(), |c| c.range.clone()))),
                ),
            }
        }
    }
    draft
}

/// `固定为 \`DeviceChange\`，…` -> `DeviceChange`.
fn fixed_value(doc: &str) -> Option<String> {
    let rest = doc.split_once("固定为")?.1.trim_start();
    let rest = rest.strip_prefix('`').unwrap_or(rest);
    let v: String = rest
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    (!v.is_empty()).then_some(v)
}

/// A table headed `<Member>类型 | 描述`: the values of a member.
fn value_table(file: FileId, t: &Table, diags: &mut Vec<Diagnostic>) -> Option<EnumDraft> {
    let head = t.header.first()?;
    let member = head.text.trim().strip_suffix("类型")?.trim();
    if !naming::is_api_identifier(member) {
        return None;
    }
    let doc_col = t
        .header
        .iter()
        .position(|c| ["描述", "说明", "Description"].contains(&c.text.trim()));
    let mut values: Vec<(String, String)> = Vec::new();
    for row in &t.rows {
        let cell = &row.cells[0];
        let value = cell.text.trim();
        if value.is_empty() {
            continue;
        }
        let at = Span::new(file, cell.range.clone());
        if !naming::is_api_identifier(value) {
            diags.push(
                Diagnostic::warning(
                    "bad-value",
                    format!("`{value}` is not a value a member can take: expected letters, digits and `_`; left out"),
                )
                .at(at),
            );
            continue;
        }
        if values.iter().any(|(v, _)| v == value) {
            diags.push(
                Diagnostic::warning("duplicate-value", format!("`{value}` is listed twice")).at(at),
            );
            continue;
        }
        let doc = doc_col
            .map(|c| row.cells[c].text.clone())
            .unwrap_or_default();
        values.push((value.to_string(), doc));
    }
    Some(EnumDraft {
        member: member.to_string(),
        at: Span::new(file, head.range.clone()),
        values,
    })
}
