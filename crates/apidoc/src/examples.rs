//! The doc examples: found in the examples part of a page, labelled
//! (request, success, error), parsed leniently with every repair reported,
//! and cross-checked against the tables.

use crate::diagnostic::Diagnostic;
use crate::ir::{DefectKind, ExampleKind, Field, Type};
use crate::page::Block;
use crate::source::{FileId, Span};
use serde_json::Value;

/// An example block before it is checked: its kind, name and parsed JSON,
/// and where the JSON starts in the file (for pointing at keys).
pub struct Found {
    /// The page it is on.
    pub file: FileId,
    /// Unique within the action: `request_1`, `response_1`, `error_1`.
    /// Examples that cannot be parsed are counted too, so that a
    /// declaration in `overrides.toml` can name them.
    pub name: String,
    /// What it shows.
    pub kind: ExampleKind,
    /// Line of the JSON's first character in the page.
    pub line: usize,
    /// The JSON, or why it cannot be read (a warning not yet reported:
    /// an `unparsable` declaration accounts for it instead).
    pub value: Result<Value, Diagnostic>,
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
                    diags.push(not_json(file, c));
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
                            diags.push(repaired(file, json_start, rep, &format!("the {} example", kind.label())));
                        }
                        Ok(r.value)
                    }
                    Err(f) => Err(Diagnostic::warning("example-unusable", format!("the {} example is not JSON that can be repaired unambiguously: {}; it is not used", kind.label(), f.message))
                        .at(Span::new(file, json_start + f.span.start..json_start + f.span.end.max(f.span.start + 1)))
                        .note_line("if the docs keep it this way, declare it with `defect = \"unparsable\"` in an [[example]] entry of overrides.toml")),
                };
                let idx = kind as usize;
                counts[idx] += 1;
                let name = format!("{}_{}", kind.label(), counts[idx]);
                out.push(Found {
                    file,
                    name,
                    kind,
                    line,
                    value,
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

/// Code that is not JSON (a JavaScript snippet) is not an example a test
/// can use: said rather than skipped.
pub(crate) fn not_json(file: FileId, c: &crate::page::CodeBlock) -> Diagnostic {
    Diagnostic::warning(
        "example-not-json",
        "this code block in the examples has no JSON, so it is not an example a test can use",
    )
    .at(Span::new(file, c.range.start..c.range.start))
}

/// A repair of an example's JSON (`what`: "the request example"), at its
/// place; an insertion has an empty span, so it points at the character
/// before it.
pub(crate) fn repaired(
    file: FileId,
    json_start: usize,
    rep: &jsonfix::Repair,
    what: &str,
) -> Diagnostic {
    let (a, b) = (json_start + rep.span.start, json_start + rep.span.end);
    let span = if a == b {
        Span::new(file, a.saturating_sub(1)..a)
    } else {
        Span::new(file, a..b)
    };
    Diagnostic::warning(
        "example-json",
        format!("broken JSON in {what}: {}", rep.kind.describe()),
    )
    .at(span)
}

/// The line of a byte offset, 1-based.
pub(crate) fn line_of(text: &str, offset: usize) -> usize {
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

/// A way an example differs from its tables, with the warning that says
/// so unless `overrides.toml` declares it.
pub struct Finding {
    /// What differs.
    pub kind: DefectKind,
    /// The member it is about.
    pub field: Option<String>,
    /// The warning, not yet reported.
    pub diagnostic: Diagnostic,
}

/// What the cross-checks need to know about an action.
pub struct Tables<'a> {
    /// Input fields (common parameters removed).
    pub inputs: &'a [Field],
    /// Output fields.
    pub outputs: &'a [Field],
    /// Whether a request member is one the client supplies.
    pub is_common: &'a dyn Fn(&str) -> bool,
    /// Whether the outputs sit in a `Data` object (an override).
    pub data_wrapper: bool,
}

/// Cross-checks one parsed example against the tables.
pub fn check(text: &str, found: &Found, value: &Value, tables: &Tables<'_>) -> Vec<Finding> {
    let file = found.file;
    let what = found.kind.label();
    let mut out = Vec::new();
    let at_key = |key: &str| key_span(file, text, found.json_start, key);
    let at_start = Span::new(file, found.json_start..found.json_start + 1);
    match found.kind {
        ExampleKind::Request => {
            let Some(obj) = value.as_object() else {
                return out;
            };
            compare(
                found,
                obj,
                tables.inputs,
                tables.is_common,
                "input",
                &at_key,
                &mut out,
            );
            for f in tables.inputs.iter().filter(|f| f.required) {
                // A member spelt with other case is reported as misspelt.
                let given = obj
                    .iter()
                    .any(|(k, v)| k.eq_ignore_ascii_case(&f.api_name) && !v.is_null());
                if !given {
                    out.push(Finding {
                        kind: DefectKind::Missing,
                        field: Some(f.api_name.clone()),
                        diagnostic: Diagnostic::warning(
                            "example-missing-field",
                            format!("the {what} example does not give `{}`, which the input table requires", f.api_name),
                        )
                        .at(at_start.clone()),
                    });
                }
            }
        }
        ExampleKind::Success | ExampleKind::Error => {
            let Some(resp) = value.get("Response").and_then(Value::as_object) else {
                out.push(Finding {
                    kind: DefectKind::NoResponse,
                    field: None,
                    diagnostic: Diagnostic::warning(
                        "example-no-response",
                        format!("the {what} example has no `Response` object around its fields"),
                    )
                    .at(at_start),
                });
                return out;
            };
            if found.kind == ExampleKind::Error || resp.contains_key("Error") {
                return out;
            }
            let documented_data = tables.outputs.iter().any(|f| f.api_name == "Data");
            let mut wrapped = false;
            let payload = match resp.get("Data") {
                Some(Value::Object(data)) if tables.data_wrapper => data,
                _ if tables.data_wrapper => {
                    out.push(Finding {
                        kind: DefectKind::Missing,
                        field: Some("Data".into()),
                        diagnostic: Diagnostic::warning(
                            "example-data-wrapper",
                            format!("the {what} example has no `Data` object, although overrides.toml says the replies have one"),
                        )
                        .at(at_start),
                    });
                    return out;
                }
                // Documented fields wrapped in an undocumented `Data`
                // object: one warning for the wrapper, not another for
                // `Data` itself.
                Some(Value::Object(data))
                    if !documented_data
                        && data
                            .keys()
                            .any(|k| tables.outputs.iter().any(|f| f.api_name == *k)) =>
                {
                    out.push(Finding {
                        kind: DefectKind::Undocumented,
                        field: Some("Data".into()),
                        diagnostic: Diagnostic::warning("example-data-wrapper", "the response example wraps documented fields in a `Data` object the output table does not have")
                            .at(at_key("Data"))
                            .note_line("if the server really does this, declare it with `data-wrapper = true` for the action in overrides.toml"),
                    });
                    wrapped = true;
                    resp
                }
                _ => resp,
            };
            let skip = |n: &str| n == "RequestId" || (wrapped && n == "Data");
            compare(
                found,
                payload,
                tables.outputs,
                &skip,
                "output",
                &at_key,
                &mut out,
            );
        }
    }
    out
}

fn compare(
    found: &Found,
    obj: &serde_json::Map<String, Value>,
    table: &[Field],
    skip: &dyn Fn(&str) -> bool,
    side: &str,
    at_key: &dyn Fn(&str) -> Span,
    out: &mut Vec<Finding>,
) {
    let what = found.kind.label();
    for (key, value) in obj {
        if skip(key) {
            continue;
        }
        match table.iter().find(|f| f.api_name == *key) {
            None if table.iter().any(|f| f.api_name.eq_ignore_ascii_case(key)) => {
                let documented = table
                    .iter()
                    .find(|f| f.api_name.eq_ignore_ascii_case(key))
                    .map_or("", |f| f.api_name.as_str());
                out.push(Finding {
                    kind: DefectKind::Misspelt,
                    field: Some(key.clone()),
                    diagnostic: Diagnostic::warning(
                        "example-undocumented-field",
                        format!("the {what} example has `{key}`: the {side} table spells it `{documented}`"),
                    )
                    .at(at_key(key)),
                })
            }
            None => out.push(Finding {
                kind: DefectKind::Undocumented,
                field: Some(key.clone()),
                diagnostic: Diagnostic::warning(
                    "example-undocumented-field",
                    format!(
                        "the {what} example has `{key}`, which the {side} table does not document"
                    ),
                )
                .at(at_key(key)),
            }),
            Some(f) if !value.is_null() && !fits(&f.ty, value) => out.push(Finding {
                kind: DefectKind::Type,
                field: Some(key.clone()),
                diagnostic: Diagnostic::warning(
                    "example-type",
                    format!(
                        "the {what} example gives `{key}` as {}, but the table says {}",
                        json_kind(value),
                        type_name(&f.ty)
                    ),
                )
                .at(at_key(key)),
            }),
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
