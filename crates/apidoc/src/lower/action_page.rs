//! An interface page: its description, endpoint line, input and output
//! tables, error codes and examples, read into a [`Draft`].

use super::action_name::{self, Candidates};
use super::auth::Evidence;
use super::table::{Columns, ErrorRow, FieldTable, RawField, fields, table_in};
use crate::diagnostic::Diagnostic;
use crate::examples;
use crate::ir::FixedParam;
use crate::page::{Block, Table};
use crate::service::ServiceConfig;
use crate::service::Transport;
use crate::source::{FileId, SourceDb, Span};
use crate::types::TypeExpr;

/// An action as its page documents it, types not yet resolved.
pub(super) struct Draft {
    pub(super) file: FileId,
    /// The wire name: the page's, or an override's rename.
    pub(super) name: String,
    /// The name the page gives the action; overrides select by it.
    pub(super) page_name: String,
    pub(super) sub_command: Option<FixedParam>,
    /// What the page says about its endpoint and auth mode.
    pub(super) evidence: Evidence,
    /// An `endpoint` override, and where it is.
    pub(super) endpoint_override: Option<(String, Span)>,
    pub(super) doc: String,
    /// Input fields, the Action row and the sub-command row taken out;
    /// the common parameters go once the auth mode is known.
    pub(super) inputs: Vec<RawField>,
    pub(super) outputs: Vec<RawField>,
    pub(super) errors: Vec<ErrorRow>,
    pub(super) examples: Vec<examples::Found>,
    pub(super) data_wrapper: bool,
    /// Other pages of the same action, merged into this one.
    pub(super) merged: Vec<FileId>,
    /// Known defects of its examples, from `overrides.toml`.
    pub(super) declared_defects: Vec<super::apply_overrides::DeclaredDefect>,
    /// What `overrides.toml` says about its paging.
    pub(super) paging: Option<super::pagination::Declared>,
}

/// Reports every table of an interface page that is not one of the
/// tables read (`read`), so that what it documents is never dropped in
/// silence. A table of `Code` and `Message` rows under an 错误信息
/// heading documents the error envelope, which every call decodes: it is
/// accounted for without a word.
fn unread_tables(
    file: FileId,
    page: &crate::page::Page,
    read: &[Option<&Table>],
    diags: &mut Vec<Diagnostic>,
) {
    let is_read = |t: &Table| read.iter().flatten().any(|r| r.range == t.range);
    for s in &page.sections {
        for b in &s.blocks {
            let Block::Table(t) = b else { continue };
            if is_read(t) || is_error_envelope(&s.heading, t) {
                continue;
            }
            let under = if s.heading.is_empty() {
                "before the first heading".to_string()
            } else {
                format!("under `{}`", s.heading)
            };
            diags.push(
                Diagnostic::warning(
                    "table-not-read",
                    format!("this table ({under}) is not read: an interface page's parameters are read from the first table of its 输入参数 and 输出参数 sections, and its error codes from 错误码"),
                )
                .at(Span::new(file, t.header.first().map_or(t.range.clone(), |c| c.range.clone())))
                .note_line("if it documents parameters, add them with [[field]] overrides in overrides.toml"),
            );
        }
    }
}

/// A table documenting the error envelope: `Code` and `Message` rows
/// under an 错误信息 heading.
fn is_error_envelope(heading: &str, t: &Table) -> bool {
    let names: Vec<&str> = t
        .rows
        .iter()
        .filter_map(|r| r.cells.first())
        .map(|c| c.text.trim())
        .collect();
    heading.contains("错误信息")
        && !names.is_empty()
        && names.iter().all(|n| matches!(*n, "Code" | "Message"))
}

/// What an interface page turned out to be.
pub(super) enum Page {
    /// An HTTP action.
    Action(Box<Draft>),
    /// A message of a WebSocket channel.
    Channel { file: FileId, endpoint: String },
}

/// The endpoint a line names (`接口请求域名：…/ws/explorer`), when
/// `service` declares it a WebSocket.
fn websocket_segment(service: &ServiceConfig, line: &str) -> Option<String> {
    super::auth::line_segment(line).filter(|seg| {
        service
            .endpoints
            .get(seg)
            .is_some_and(|e| e.transport == Transport::Websocket)
    })
}

/// The WebSocket endpoint an interface page's endpoint line names, if
/// `service` declares it one: the page is then a message of that channel,
/// not an HTTP action. (The first line with 域名 in the description, as
/// [`read`] takes it.)
pub(super) fn channel_of(
    service: &ServiceConfig,
    text: &str,
    page: &crate::page::Page,
) -> Option<String> {
    let desc = page
        .sections
        .iter()
        .find(|s| s.heading.contains("接口描述"))
        .or(page.sections.first())?;
    let line = desc
        .blocks
        .iter()
        .filter_map(|b| match b {
            Block::Paragraph { range, .. } => text.get(range.clone()),
            _ => None,
        })
        .flat_map(str::lines)
        .find(|l| l.contains("域名"))?;
    websocket_segment(service, line)
}

/// Reads an interface page; `None` (with an error) when it has no usable
/// input table or no action name.
pub(super) fn read(
    db: &SourceDb,
    service: &ServiceConfig,
    file: FileId,
    page: &crate::page::Page,
    diags: &mut Vec<Diagnostic>,
) -> Option<Page> {
    let text = db.get(file).text.as_str();
    let section = |word: &str| page.sections.iter().find(|s| s.heading.contains(word));
    // A part is a section with its sub-sections (`## 4. 示例` / `#### 示例1`).
    let part = |word: &str| -> Vec<&Block> {
        let Some(i) = page.sections.iter().position(|s| s.heading.contains(word)) else {
            return Vec::new();
        };
        let level = page.sections[i].level;
        let subs = page.sections[i + 1..]
            .iter()
            .take_while(|s| s.level > level);
        std::iter::once(&page.sections[i])
            .chain(subs)
            .flat_map(|s| &s.blocks)
            .collect()
    };
    let desc = section("接口描述").or(page.sections.first());
    let whole = Span::new(file, 0..0);

    // Endpoint and the `本接口（X）` sentence live in the description.
    let mut endpoint_line: Option<(String, Span)> = None;
    let mut sentence: Option<(String, Span)> = None;
    let mut doc_lines = Vec::new();
    for b in desc.map(|s| s.blocks.as_slice()).unwrap_or(&[]) {
        let Block::Paragraph { range, .. } = b else {
            continue;
        };
        let mut pos = range.start;
        for line in text[range.clone()].split_inclusive('\n') {
            let start = pos;
            pos += line.len();
            if line.contains("域名") {
                endpoint_line = endpoint_line.or(Some((
                    line.to_string(),
                    Span::new(file, start..start + line.trim_end().len()),
                )));
                continue;
            }
            if let Some((name, r)) = action_name::find_sentence_name(line) {
                sentence = sentence.or(Some((
                    name,
                    Span::new(file, start + r.start..start + r.end),
                )));
            }
            let l = line.trim().replace("**", "");
            if !l.is_empty() {
                doc_lines.push(l);
            }
        }
    }

    // A page of a WebSocket channel is a message, not a call: it is read
    // on its own terms.
    let channel = endpoint_line
        .as_ref()
        .and_then(|(l, _)| websocket_segment(service, l));
    if let Some(endpoint) = channel {
        return Some(Page::Channel { file, endpoint });
    }

    let Some(inputs) = table_in(part("输入参数")) else {
        diags.push(
            Diagnostic::error("missing-input-table", "no input parameter table: expected a `## 输入参数` section with a `| 名称 | 类型 | 必选 | 描述 |` table")
                .at(section("输入参数").map_or(whole, |s| Span::new(file, s.heading_range.clone()))),
        );
        return None;
    };
    if Columns::of(inputs).is_none() {
        diags.push(
            Diagnostic::error(
                "bad-table-header",
                "input table has no 名称 (name) or 类型 (type) column",
            )
            .at(Span::new(
                file,
                inputs
                    .header
                    .first()
                    .map_or(inputs.range.clone(), |c| c.range.clone()),
            )),
        );
        return None;
    }

    // Inputs: the Action row and a sub-command row (`本接口取值：song_url`
    // on a row that is not a common parameter) are noted; the
    // credential rows are evidence of the auth mode.
    let common = &service.common_parameters;
    let mut evidence = Evidence {
        line: endpoint_line,
        ..Evidence::default()
    };
    let mut action_row: Option<(String, Span)> = None;
    let mut sub_command: Option<(FixedParam, Span)> = None;
    let mut input_fields = Vec::new();
    for f in fields(file, inputs, FieldTable::Input, diags) {
        if f.api_name == common.access_token {
            evidence.token_row = Some(f.name_span.clone());
        } else if f.api_name == common.app_key {
            evidence.signed_row = Some(f.name_span.clone());
        }
        if f.api_name.eq_ignore_ascii_case(&common.action) {
            action_row = action_name::action_value(&f.doc).map(|v| (v, f.doc_span()));
        } else if common.all().contains(&f.api_name.as_str()) {
            input_fields.push(f);
        } else if let (Some(v), Ok(TypeExpr::String), None) =
            (action_name::fixed_value(&f.doc), &f.ty, &sub_command)
        {
            // The value names a method and a file, as an action name does.
            if !crate::naming::is_api_identifier(&v) {
                diags.push(
                    Diagnostic::error(
                        "action-name",
                        format!("`{v}` (from the `本接口取值` of `{}`) is not a sub-command value: expected an ASCII letter, then letters, digits and `_`", f.api_name),
                    )
                    .at(f.doc_span()),
                );
                input_fields.push(f);
                continue;
            }
            sub_command = Some((
                FixedParam {
                    name: f.api_name.clone(),
                    value: v,
                },
                f.doc_span(),
            ));
        } else {
            input_fields.push(f);
        }
    }

    let outputs = match table_in(part("输出参数")) {
        Some(t) if Columns::of(t).is_some() => fields(file, t, FieldTable::Output, diags),
        _ => {
            diags.push(
                Diagnostic::warning(
                    "missing-output-table",
                    "no output parameter table: the response will carry only `RequestId`",
                )
                .at(section("输出参数")
                    .map_or(whole.clone(), |s| Span::new(file, s.heading_range.clone()))),
            );
            Vec::new()
        }
    };

    let error_table = table_in(part("错误码"));
    let errors = error_table
        .map(|t| super::table::error_rows(file, t, diags))
        .unwrap_or_default();
    let read = [Some(inputs), table_in(part("输出参数")), error_table];
    unread_tables(file, page, &read, diags);

    let example = action_name::example_action(file, text, &part("示例"));
    let found_examples = examples::extract(file, text, &part("示例"), diags);
    if let Some(request) = found_examples
        .iter()
        .find(|f| f.kind == crate::ir::ExampleKind::Request)
    {
        evidence.example_url = request.request_url.clone();
        let member = |name: &str| {
            request
                .value
                .as_ref()
                .ok()
                .and_then(|v| v.get(name))
                .map(|_| examples::key_span(file, text, request.json_start, name))
        };
        evidence.token_key = member(&common.access_token);
        evidence.signed_key = member(&common.app_key);
    }
    let name = action_name::pick(
        db,
        file,
        Candidates {
            sentence,
            row: action_row,
            example,
        },
        sub_command.as_ref(),
        diags,
    )?;
    Some(Page::Action(Box::new(Draft {
        file,
        page_name: name.clone(),
        name,
        sub_command: sub_command.map(|(p, _)| p),
        evidence,
        endpoint_override: None,
        doc: doc_lines.join("\n"),
        inputs: input_fields,
        outputs,
        errors,
        examples: found_examples,
        data_wrapper: false,
        merged: Vec::new(),
        declared_defects: Vec::new(),
        paging: None,
    })))
}
