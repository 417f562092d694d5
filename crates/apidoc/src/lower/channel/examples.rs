//! The code blocks of a channel page: the frame a call sends, the pushes
//! and changes it shows, and the page's own decodings of their payloads;
//! each change decoded as the client will decode it.

use super::read::MessageDraft;
use crate::diagnostic::Diagnostic;
use crate::ir::{self, PushPayload};
use crate::page::Block;
use crate::page::Page;
use crate::source::{FileId, Span};
use base64::Engine as _;
use serde_json::Value;

/// A documented change: a push frame, or the change (its `params`) alone.
pub(super) struct Change {
    pub(super) line: usize,
    pub(super) at: Span,
    /// The whole frame, when the page shows one.
    pub(super) frame: Option<Value>,
    pub(super) change: Value,
    /// The page's own decoding of its `Payload`, and where it is.
    pub(super) decoded: Option<(Value, Span)>,
}

/// Reads the page's code blocks: the frame a call sends (`ws.send({…})`,
/// JavaScript around JSON), the pushes and changes it shows, and the
/// decodings of their payloads. Client code with no JSON is reported, as
/// on interface pages.
pub(super) fn examples(
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
            diags.push(crate::examples::not_json(file, c));
            continue;
        };
        let json_start = c.content.start + start;
        let at = Span::new(file, json_start..json_start + 1);
        let line = crate::examples::line_of(text, json_start);
        let value = match jsonfix::parse_lenient(&body[start..]) {
            Ok(r) => {
                // The `)` after `ws.send({…})` is the call's, not a defect.
                for rep in r
                    .repairs
                    .iter()
                    .filter(|r| r.kind != jsonfix::RepairKind::TrailingText || sent.is_none())
                {
                    diags.push(crate::examples::repaired(
                        file,
                        json_start,
                        rep,
                        "the example",
                    ));
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

/// A documented change as the client receives it, with its payload decoded
/// and compared with the page's own decoding.
pub(super) fn push_example(
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
