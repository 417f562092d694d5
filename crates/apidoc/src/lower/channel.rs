//! The pages of a WebSocket channel (`长连接通信`). Each page is one
//! message: a frame the client sends with its reply (it has an input
//! table), or a frame the server pushes (it has only an output table).
//! [`read`] reads a page into a [`MessageDraft`]; [`build`], once the
//! structures are resolved, makes the IR [`Channel`](ir::Channel): the
//! heartbeat the client must send, the value lists of pushed changes
//! (`Type类型` tables) and the documented pushes, each decoded as the
//! client will decode it.

use super::names::unique;
use super::resolve::Structures;
use super::table::{FieldTable, RawField, fields, table_in};
use crate::diagnostic::Diagnostic;
use crate::ir::{self, PushPayload};
use crate::naming;
use crate::page::{Block, Page, Table};
use crate::service::ServiceConfig;
use crate::source::{FileId, SourceDb, Span};
use base64::Engine as _;
use serde_json::Value;
use std::collections::BTreeSet;

/// A channel page as documented, types not yet resolved.
pub(super) struct MessageDraft {
    file: FileId,
    endpoint: String,
    /// The frame's `action`, and where the page says it.
    name: Option<(String, Span)>,
    push: bool,
    /// The action a call frame carries in its parameters (`"Action": …`
    /// in its example).
    calls: Option<(String, Span)>,
    /// The page says its message keeps the connection alive.
    keep_alive: bool,
    doc: String,
    pub(super) inputs: Vec<RawField>,
    pub(super) outputs: Vec<RawField>,
    enums: Vec<EnumDraft>,
    changes: Vec<Change>,
}

/// A `Type类型` table: the documented values of a member of the changes.
struct EnumDraft {
    member: String,
    at: Span,
    values: Vec<(String, String)>,
}

/// A documented change: a push frame, or the change (its `params`) alone.
struct Change {
    line: usize,
    at: Span,
    /// The whole frame, when the page shows one.
    frame: Option<Value>,
    change: Value,
    /// The page's own decoding of its `Payload`, and where it is.
    decoded: Option<(Value, Span)>,
}

/// Words that say a message keeps the connection alive.
const KEEP_ALIVE: &[&str] = &["保活", "心跳", "heartbeat", "keep-alive", "keepalive"];

/// Reads a page whose endpoint line names a WebSocket endpoint.
pub(super) fn read(
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
                super::action_name::action_value(&row.doc)
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

/// Reads the page's code blocks: the frame a call sends (`ws.send({…})`,
/// JavaScript around JSON), the pushes and changes it shows, and the
/// decodings of their payloads. Client code with no JSON is reported, as
/// on interface pages.
fn examples(
    file: FileId,
    text: &str,
    page: &Page,
    draft: &mut MessageDraft,
    diags: &mut Vec<Diagnostic>,
) {
    let mut label = String::new();
    for b in page.sections.iter().flat_map(|s| &s.blocks) {
        let c = match b {
            Block::Paragraph { text, .. } => {
                label = text.clone();
                continue;
            }
            Block::Code(c) => c,
            Block::Table(_) => continue,
        };
        let body = &text[c.content.clone()];
        let sent = body
            .find("ws.send(")
            .map(|i| i + "ws.send(".len())
            .and_then(|i| body[i..].find('{').map(|j| i + j));
        let Some(start) = sent.or_else(|| jsonfix::find_json_start(body)) else {
            diags.push(
                Diagnostic::warning(
                    "example-not-json",
                    "this code block in the examples has no JSON, so it is not an example a test can use",
                )
                .at(Span::new(file, c.range.start..c.range.start)),
            );
            continue;
        };
        let json_start = c.content.start + start;
        let at = Span::new(file, json_start..json_start + 1);
        let line = text[..json_start].matches('\n').count() + 1;
        let value = match jsonfix::parse_lenient(&body[start..]) {
            Ok(r) => {
                for rep in r
                    .repairs
                    .iter()
                    .filter(|r| r.kind != jsonfix::RepairKind::TrailingText || sent.is_none())
                {
                    let (a, b) = (json_start + rep.span.start, json_start + rep.span.end);
                    diags.push(
                        Diagnostic::warning(
                            "example-json",
                            format!("broken JSON in the example: {}", rep.kind.describe()),
                        )
                        .at(Span::new(
                            file,
                            a.saturating_sub(usize::from(a == b))..b.max(a),
                        )),
                    );
                }
                r.value
            }
            Err(f) => {
                diags.push(
                    Diagnostic::warning(
                        "example-unusable",
                        format!("the example is not JSON that can be repaired unambiguously: {}; it is not used", f.message),
                    )
                    .at(at),
                );
                continue;
            }
        };
        if sent.is_some() {
            if draft.calls.is_none()
                && let Some(Value::String(a)) = value.pointer("/params/Action")
            {
                let span = crate::examples::key_span(file, text, json_start, "Action");
                draft.calls = Some((a.clone(), span));
            }
            continue;
        }
        let pushed = value.get("push").and_then(Value::as_bool) == Some(true);
        let is_change = value.get("Type").is_some() && value.get("SubType").is_some();
        if pushed {
            let params = value.get("params").and_then(Value::as_str);
            match params.map(serde_json::from_str::<Value>) {
                Some(Ok(change)) if change.is_object() => draft.changes.push(Change {
                    line,
                    at,
                    frame: Some(value),
                    change,
                    decoded: None,
                }),
                _ => diags.push(
                    Diagnostic::warning(
                        "push-params",
                        "this push's `params` is not a JSON object in a string: not used",
                    )
                    .at(at),
                ),
            }
        } else if is_change {
            draft.changes.push(Change {
                line,
                at,
                frame: None,
                change: value,
                decoded: None,
            });
        } else if label.contains("解码") {
            match draft.changes.last_mut() {
                Some(last) if last.decoded.is_none() => last.decoded = Some((value, at)),
                _ => diags.push(
                    Diagnostic::warning(
                        "example-unused",
                        "a decoded payload with no change before it: not used",
                    )
                    .at(at),
                ),
            }
        } else {
            // A reply: its members are the output table's.
            let documented = |k: &String| draft.outputs.iter().any(|f| f.api_name == *k);
            let stray: Vec<String> = value
                .as_object()
                .map(|o| {
                    o.keys()
                        .filter(|k| !documented(k))
                        .map(|k| format!("`{k}`"))
                        .collect()
                })
                .unwrap_or_default();
            if draft.push {
                diags.push(
                    Diagnostic::warning(
                        "example-unused",
                        "this example on the page of a push is not a push (it has no `\"push\": true`): not used",
                    )
                    .at(at),
                );
            } else if !stray.is_empty() {
                diags.push(
                    Diagnostic::warning(
                        "example-undocumented",
                        format!("the reply example has member(s) the output table does not document: {}", stray.join(", ")),
                    )
                    .at(at),
                );
            }
        }
    }
}

/// Standard base64 with or without padding, as the client reads it.
const BASE64: base64::engine::GeneralPurpose = base64::engine::GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    base64::engine::GeneralPurposeConfig::new()
        .with_decode_padding_mode(base64::engine::DecodePaddingMode::Indifferent)
        .with_decode_allow_trailing_bits(true),
);

/// The IR channel from the pages' drafts; `None` when there are no channel
/// pages, or (with a warning) when the heartbeat cannot be decided.
pub(super) fn build(
    service: &ServiceConfig,
    drafts: Vec<MessageDraft>,
    structures: &Structures,
    taken: &mut BTreeSet<String>,
    db: &SourceDb,
    diags: &mut Vec<Diagnostic>,
) -> Option<ir::Channel> {
    let first = drafts.first()?;
    let endpoint = first.endpoint.clone();
    let config = service.endpoints.get(&endpoint)?;
    let url = config.url.clone()?;
    let (drafts, others): (Vec<_>, Vec<_>) =
        drafts.into_iter().partition(|d| d.endpoint == endpoint);
    for d in &others {
        diags.push(
            Diagnostic::warning(
                "channel-page",
                format!(
                    "a page of the WebSocket channel `{}`: the client has one channel, `{endpoint}`, so this page is not generated",
                    d.endpoint
                ),
            )
            .at(Span::new(d.file, 0..0)),
        );
    }

    let Some(heartbeat) = heartbeat(service, &endpoint, &drafts, diags) else {
        for d in &drafts {
            diags.push(
                Diagnostic::warning(
                    "channel-page",
                    format!("a page of the WebSocket channel `{endpoint}`, which is not generated: it has no heartbeat"),
                )
                .at(Span::new(d.file, 0..0)),
            );
        }
        return None;
    };
    let mut messages = Vec::new();
    let mut enums = Vec::new();
    let mut examples = Vec::new();
    for d in &drafts {
        let source = db.get(d.file).path.clone();
        let Some((name, _)) = &d.name else {
            diags.push(
                Diagnostic::warning(
                    "channel-page",
                    "a channel page whose frame names no `action` (an `action` row with `本接口取值：X` or `固定为 X`): not generated",
                )
                .at(Span::new(d.file, 0..0)),
            );
            continue;
        };
        messages.push(ir::Message {
            name: name.clone(),
            push: d.push,
            calls: d.calls.as_ref().map(|(a, _)| a.clone()),
            doc: d.doc.clone(),
            source: source.clone(),
            inputs: structures.resolve_fields(&d.inputs, FieldTable::Input, true, diags),
            outputs: structures.resolve_fields(&d.outputs, FieldTable::Output, true, diags),
        });
        for e in &d.enums {
            let base = format!(
                "{}{}",
                naming::pascal_case(name),
                naming::pascal_case(&e.member)
            );
            let rust_name = unique(&base, taken, "Values");
            let mut variants: BTreeSet<String> = ["Unknown".to_string()].into();
            let values = e
                .values
                .iter()
                .map(|(wire, doc)| ir::WireValue {
                    wire: wire.clone(),
                    variant: unique(&naming::type_ident(wire), &mut variants, "Value"),
                    doc: doc.clone(),
                })
                .collect();
            if !d.changes.iter().any(|c| c.change.get(&e.member).is_some()) {
                diags.push(
                    Diagnostic::warning(
                        "channel-value",
                        format!("no documented change has a `{}` member", e.member),
                    )
                    .at(e.at.clone()),
                );
            }
            enums.push(ir::WireEnum {
                member: e.member.clone(),
                rust_name,
                message: name.clone(),
                source: source.clone(),
                values,
            });
        }
        let own = &enums[enums.len() - d.enums.len()..];
        for c in &d.changes {
            // A value its member's table does not list: the client reads it
            // as `Unknown`, and the docs should say so.
            for e in own {
                if let Some(Value::String(v)) = c.change.get(&e.member)
                    && !e.values.iter().any(|w| w.wire == *v)
                {
                    diags.push(
                        Diagnostic::warning(
                            "channel-value",
                            format!("`{v}` is not among the documented values of `{}`", e.member),
                        )
                        .at(c.at.clone()),
                    );
                }
            }
            let n = examples.len() + 1;
            examples.push(push_example(n, name, &source, c, diags));
        }
    }
    Some(ir::Channel {
        endpoint,
        url,
        heartbeat,
        messages,
        enums,
        examples,
    })
}

/// The heartbeat: the action the keep-alive page's example calls, or the
/// one `service.toml` names; a disagreement is reported and the file wins.
fn heartbeat(
    service: &ServiceConfig,
    endpoint: &str,
    drafts: &[MessageDraft],
    diags: &mut Vec<Diagnostic>,
) -> Option<String> {
    let documented: Vec<&(String, Span)> = drafts
        .iter()
        .filter(|d| d.keep_alive)
        .filter_map(|d| d.calls.as_ref())
        .collect();
    let configured = service.endpoints.get(endpoint)?.heartbeat.as_ref();
    match (configured, documented.as_slice()) {
        (Some((h, set)), pages) => {
            for (a, at) in pages.iter().filter(|(a, _)| a != h) {
                let mut d = Diagnostic::warning(
                    "channel-heartbeat",
                    format!(
                        "the keep-alive page calls `{a}`, service.toml's heartbeat is `{h}`: the file is followed"
                    ),
                )
                .at(at.clone());
                if let Some(f) = service.file {
                    d = d.related(Span::new(f, set.clone()), "set here");
                }
                diags.push(d);
            }
            Some(h.clone())
        }
        (None, [(a, _), rest @ ..]) if rest.iter().all(|(b, _)| b == a) => Some(a.clone()),
        (None, pages) => {
            let what = if pages.is_empty() {
                "no page documents the heartbeat (a keep-alive page whose example calls an action)"
                    .to_string()
            } else {
                format!(
                    "the keep-alive pages call different actions ({})",
                    pages
                        .iter()
                        .map(|(a, _)| format!("`{a}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            };
            let at = pages
                .first()
                .map_or_else(|| Span::new(drafts[0].file, 0..0), |(_, at)| at.clone());
            diags.push(
                Diagnostic::warning(
                    "channel-heartbeat",
                    format!("{what}: the channel `{endpoint}` is not generated"),
                )
                .at(at)
                .note_line(format!(
                    "name it in service.toml: `{endpoint} = {{ transport = \"websocket\", url = \"…\", heartbeat = \"…\" }}`"
                )),
            );
            None
        }
    }
}

/// A documented change as the client receives it, with its payload decoded
/// and compared with the page's own decoding.
fn push_example(
    n: usize,
    name: &str,
    source: &str,
    c: &Change,
    diags: &mut Vec<Diagnostic>,
) -> ir::PushExample {
    let frame = match &c.frame {
        Some(f) => f.to_string(),
        None => serde_json::json!({
            "push": true,
            "action": name,
            "params": c.change.to_string(),
        })
        .to_string(),
    };
    let payload = match c.change.get("Payload") {
        None | Some(Value::Null) => PushPayload::Empty,
        Some(Value::String(p)) if p.is_empty() => PushPayload::Empty,
        Some(Value::String(p)) => {
            match BASE64
                .decode(p)
                .map_err(|e| format!("is not base64 ({e})"))
                .and_then(|b| {
                    serde_json::from_slice::<Value>(&b)
                        .map_err(|e| format!("decodes to text that is not JSON ({e})"))
                }) {
                Ok(v) => PushPayload::Json(v),
                Err(why) => {
                    diags.push(
                        Diagnostic::warning(
                            "push-payload",
                            format!("the `Payload` of this change {why}: the client reports such a change as an error item"),
                        )
                        .at(c.at.clone()),
                    );
                    PushPayload::Broken
                }
            }
        }
        Some(_) => {
            diags.push(
                Diagnostic::warning(
                    "push-payload",
                    "the `Payload` of this change is not a string",
                )
                .at(c.at.clone()),
            );
            PushPayload::Broken
        }
    };
    if let (PushPayload::Json(actual), Some((shown, at))) = (&payload, &c.decoded)
        && actual != shown
    {
        diags.push(
            Diagnostic::warning(
                "push-payload",
                "this is not what the `Payload` above decodes to: the example test checks the actual decoding",
            )
            .at(at.clone())
            .related(c.at.clone(), "the change"),
        );
    }
    ir::PushExample {
        name: format!("push_{n}"),
        source: source.to_string(),
        line: c.line,
        frame,
        change: c.change.clone(),
        payload,
    }
}

/// What the generator makes of the channel, for the maintainer.
pub(super) fn summary(c: &ir::Channel) -> Diagnostic {
    let messages: Vec<String> = c
        .messages
        .iter()
        .map(|m| match (&m.calls, m.push) {
            (_, true) => format!("{} (pushed)", m.name),
            (Some(a), _) => format!("{} (calling {a})", m.name),
            (None, _) => m.name.clone(),
        })
        .collect();
    let enums: Vec<String> = c
        .enums
        .iter()
        .map(|e| format!("{} ({} values)", e.rust_name, e.values.len()))
        .collect();
    let mut d = Diagnostic::note(
        "channel",
        format!(
            "the WebSocket channel `{}` ({}): `Client::device_changes`, heartbeat `{}`, {} documented push(es) as tests",
            c.endpoint,
            c.url,
            c.heartbeat,
            c.examples.len()
        ),
    )
    .note_line(format!("messages: {}", messages.join(", ")));
    if !enums.is_empty() {
        d = d.note_line(format!("value lists: {}", enums.join(", ")));
    }
    d
}
