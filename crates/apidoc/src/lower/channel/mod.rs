//! The pages of a WebSocket channel (`长连接通信`). Each page is one
//! message: a frame the client sends with its reply (it has an input
//! table), or a frame the server pushes (it has only an output table).
//! [`read`] reads a page into a [`MessageDraft`]; [`build`], once the
//! structures are resolved, makes the IR [`Channel`](ir::Channel): the
//! heartbeat the client must send, the value lists of pushed changes
//! (`Type类型` tables) and the documented pushes, each decoded as the
//! client will decode it.

mod examples;
mod read;

pub(super) use read::{MessageDraft, read};

use super::names::unique;
use super::resolve::Structures;
use super::table::FieldTable;
use crate::diagnostic::Diagnostic;
use crate::ir;
use crate::naming;
use crate::service::ServiceConfig;
use crate::source::{SourceDb, Span};
use serde_json::Value;
use std::collections::BTreeSet;

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
            examples.push(examples::push_example(n, name, &source, c, diags));
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
