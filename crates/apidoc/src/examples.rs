//! The doc examples: found in the examples part of a page, labelled
//! (request, success, error), parsed leniently with every repair reported,
//! and cross-checked against the tables.

use crate::diagnostic::Diagnostic;
use crate::ir::{Example, ExampleKind, Field, Type};
use crate::page::Block;
use crate::source::{FileId, Span};
use serde_json::Value;

/// An example block before it is checked: its kind, name and parsed JSON,
/// and where the JSON starts in the file (for pointing at keys).
pub struct Found {
    /// The page it is on.
    pub file: FileId,
    /// The example as it goes into the IR.
    pub example: Example,
    /// Byte offset of the JSON's first character in the file.
    pub json_start: usize,
    /// The URL of a `POST https://…` line before the JSON in the same
    /// block, and where it is: evidence of the endpoint.
    pub request_url: Option<(String, Span)>,
}

/// Walks the blocks of the examples part in order. A paragraph sets the
/// label for the code blocks after it; a heading-less page still works
/// because labels are matched by their words, not their markup.
pub fn extract(
    file: FileId,
    text: &str,
    blocks: &[&Block],
    diags: &mut Vec<Diagnostic>,
) -> Vec<Found> {
    let mut out = Vec::new();
    let mut label: Option<ExampleKind> = None;
    let mut counts = [0usize; 3];
    for b in blocks {
        match b {
            Block::Paragraph { text: t, .. } => {
                if let Some(k) = kind_of(t) {
                    label = Some(k);
                }
            }
            Block::Code(c) => {
                let body = &text[c.content.clone()];
                let Some(start) = jsonfix::find_json_start(body) else {
                    continue;
                };
                let json_start = c.content.start + start;
                // Without a label, a block with an HTTP request line is a request.
                let kind = label.unwrap_or(if body[..start].contains("POST") {
                    ExampleKind::Request
                } else {
                    ExampleKind::Success
                });
                let line = line_of(text, json_start);
                let request_url = post_url(&body[..start]).map(|(url, at)| {
                    let from = c.content.start + at;
                    (url.to_string(), Span::new(file, from..from + url.len()))
                });
                let value = match jsonfix::parse_lenient(&body[start..]) {
                    Ok(r) => {
                        for rep in &r.repairs {
                            // An insertion has an empty span: point at the character before it.
                            let (a, b) = (json_start + rep.span.start, json_start + rep.span.end);
                            let span = if a == b {
                                Span::new(file, a.saturating_sub(1)..a)
                            } else {
                                Span::new(file, a..b)
                            };
                            diags.push(
                                Diagnostic::warning(
                                    "example-json",
                                    format!(
                                        "broken JSON in the {} example: {}",
                                        kind.label(),
                                        rep.kind.describe()
                                    ),
                                )
                                .at(span),
                            );
                        }
                        r.value
                    }
                    Err(f) => {
                        diags.push(
                            Diagnostic::warning("example-unusable", format!("the {} example is not JSON that can be repaired unambiguously: {}; it is not used", kind.label(), f.message))
                                .at(Span::new(file, json_start + f.span.start..json_start + f.span.end.max(f.span.start + 1))),
                        );
                        continue;
                    }
                };
                let idx = kind as usize;
                counts[idx] += 1;
                let name = format!("{}_{}", kind.label(), counts[idx]);
                out.push(Found {
                    file,
                    example: Example {
                        name,
                        kind,
                        source: String::new(),
                        line,
                        value,
                    },
                    json_start,
                    request_url,
                });
            }
            Block::Table(_) => {}
        }
    }
    out
}

/// The URL on a `POST <url>` line, with its byte offset in `text`.
fn post_url(text: &str) -> Option<(&str, usize)> {
    let mut pos = 0;
    for line in text.split_inclusive('\n') {
        let at = pos;
        pos += line.len();
        if let Some(i) = line.find("POST") {
            let rest = &line[i + 4..];
            let start = rest.find("http")?;
            let url = rest[start..].split_whitespace().next()?;
            return Some((url, at + i + 4 + start));
        }
    }
    None
}

fn kind_of(label: &str) -> Option<ExampleKind> {
    let l = label.trim();
    if l.contains("输入示例") || l.contains("请求示例") || l.contains("输入实例") {
        Some(ExampleKind::Request)
    } else if ["输出示例", "输出实例", "返回示例", "响应示例", "输出样例"]
        .iter()
        .any(|w| l.contains(w))
    {
        Some(if l.contains("失败") || l.contains("错误") {
            ExampleKind::Error
        } else {
            ExampleKind::Success
        })
    } else {
        None
    }
}

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

/// Where `"key"` is in the raw example text, for pointing at it.
pub fn key_span(file: FileId, text: &str, json_start: usize, key: &str) -> Span {
    let needle = format!("\"{key}\"");
    match text[json_start..].find(&needle) {
        Some(i) => Span::new(file, json_start + i..json_start + i + needle.len()),
        None => Span::new(file, json_start..json_start + 1),
    }
}

/// Cross-checks one example against the tables.
pub fn check(
    file: FileId,
    text: &str,
    found: &Found,
    inputs: &[(String, Option<Type>)],
    outputs: &[(String, Option<Type>)],
    is_common: &dyn Fn(&str) -> bool,
    diags: &mut Vec<Diagnostic>,
) {
    let ex = &found.example;
    let what = ex.kind.label();
    match ex.kind {
        ExampleKind::Request => {
            let Some(obj) = ex.value.as_object() else {
                return;
            };
            compare(file, text, found, obj, inputs, is_common, "input", diags);
        }
        ExampleKind::Success | ExampleKind::Error => {
            let Some(resp) = ex.value.get("Response").and_then(Value::as_object) else {
                diags.push(
                    Diagnostic::warning(
                        "example-no-response",
                        format!("the {what} example has no `Response` object around its fields"),
                    )
                    .at(Span::new(file, found.json_start..found.json_start + 1)),
                );
                return;
            };
            if ex.kind == ExampleKind::Error || resp.contains_key("Error") {
                return;
            }
            // Documented fields wrapped in an undocumented `Data` object: one
            // warning for the wrapper, not another for `Data` itself.
            let mut wrapped = false;
            if let Some(data) = resp.get("Data").and_then(Value::as_object) {
                let documented_data = outputs.iter().any(|(n, _)| n == "Data");
                let inner_hits = data
                    .keys()
                    .filter(|k| outputs.iter().any(|(n, _)| n == *k))
                    .count();
                if !documented_data && inner_hits > 0 {
                    wrapped = true;
                    diags.push(
                        Diagnostic::warning("example-data-wrapper", "the response example wraps documented fields in a `Data` object the output table does not have")
                            .at(key_span(file, text, found.json_start, "Data"))
                            .note_line("if the server really does this, declare it with `data-wrapper = true` for the action in overrides.toml"),
                    );
                }
            }
            compare(
                file,
                text,
                found,
                resp,
                outputs,
                &|n| n == "RequestId" || (wrapped && n == "Data"),
                "output",
                diags,
            );
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn compare(
    file: FileId,
    text: &str,
    found: &Found,
    obj: &serde_json::Map<String, Value>,
    table: &[(String, Option<Type>)],
    skip: &dyn Fn(&str) -> bool,
    side: &str,
    diags: &mut Vec<Diagnostic>,
) {
    let what = found.example.kind.label();
    for (key, value) in obj {
        if skip(key) {
            continue;
        }
        match table.iter().find(|(n, _)| n == key) {
            None => diags.push(
                Diagnostic::warning(
                    "example-undocumented-field",
                    format!(
                        "the {what} example has `{key}`, which the {side} table does not document"
                    ),
                )
                .at(key_span(file, text, found.json_start, key)),
            ),
            Some((_, Some(ty))) if !value.is_null() && !fits(ty, value) => diags.push(
                Diagnostic::warning(
                    "example-type",
                    format!(
                        "the {what} example gives `{key}` as {}, but the table says {}",
                        json_kind(value),
                        type_name(ty)
                    ),
                )
                .at(key_span(file, text, found.json_start, key)),
            ),
            Some(_) => {}
        }
    }
}

/// Whether a JSON value has the shape of a documented type.
pub fn fits(ty: &Type, v: &Value) -> bool {
    match ty {
        Type::String => v.is_string(),
        Type::I64 => v.is_i64(),
        Type::U64 => v.is_u64(),
        Type::F64 => v.is_number(),
        Type::Bool => v.is_boolean(),
        Type::Json => true,
        Type::List(inner) => v
            .as_array()
            .is_some_and(|a| a.iter().all(|x| x.is_null() || fits(inner, x))),
        Type::Struct { .. } => v.is_object(),
    }
}

fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn type_name(t: &Type) -> String {
    match t {
        Type::String => "String".into(),
        Type::I64 => "an integer".into(),
        Type::U64 => "an unsigned integer".into(),
        Type::F64 => "a number".into(),
        Type::Bool => "Boolean".into(),
        Type::Json => "JSON".into(),
        Type::List(i) => format!("an array of {}", type_name(i)),
        Type::Struct { name, .. } => format!("the structure {name}"),
    }
}

/// Fields as the cross-checks see them.
pub fn table_of(fields: &[Field]) -> Vec<(String, Option<Type>)> {
    fields
        .iter()
        .map(|f| (f.api_name.clone(), Some(f.ty.clone())))
        .collect()
}
