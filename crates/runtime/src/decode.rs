//! The response type from the payload text, and where a failed decode
//! failed.
//!
//! Decoding is generic over the response type, so every line here that
//! mentions it is compiled once per action in the generated crate. Only
//! one plain serde_json pass is: where decoding failed is worked out
//! afterwards, without the response type, from the position serde_json
//! reports ([`path_at`]). Tracking the path during a second typed pass
//! (serde_path_to_error) would compile every response's `Deserialize`
//! twice.

use serde::de::DeserializeOwned;

use crate::error::{ErrorData, ErrorKind};

pub(crate) fn decode<Resp: DeserializeOwned>(
    action: &'static str,
    request_id: &str,
    json: &str,
) -> Result<Resp, Box<ErrorData>> {
    serde_json::from_str(json).map_err(|e| decode_error(action, request_id, json, &e))
}

fn decode_error(
    action: &'static str,
    request_id: &str,
    json: &str,
    e: &serde_json::Error,
) -> Box<ErrorData> {
    let mut d = ErrorData::new(ErrorKind::Decode, without_position(e)).with_action(action);
    d.path = offset_of(json, e.line(), e.column()).and_then(|at| path_at(json, at));
    d.request_id = Some(request_id.to_owned());
    d
}

/// A serde_json message without its ` at line L column C` suffix: the
/// position is within the payload, not the body, and the path says more.
fn without_position(e: &serde_json::Error) -> String {
    let text = e.to_string();
    let suffix = format!(" at line {} column {}", e.line(), e.column());
    match text.strip_suffix(&suffix) {
        Some(message) => message.to_owned(),
        None => text,
    }
}

/// The byte offset of serde_json's 1-based line and byte column; `None`
/// when the error has no position (line 0).
fn offset_of(json: &str, line: usize, column: usize) -> Option<usize> {
    let line_start = if line == 0 {
        return None;
    } else if line == 1 {
        0
    } else {
        json.match_indices('\n').nth(line - 2)?.0 + 1
    };
    Some((line_start + column).min(json.len()))
}

/// One level of the path being walked.
enum Level {
    /// In an object, after this member name (none yet before the first).
    Object(Option<String>),
    /// In an array, at this element.
    Array(usize),
}

/// The path, as `Devices[1].Online`, of the innermost value of `json` that
/// ends at or spans byte `offset`; `None` for the whole text.
///
/// serde_json reports a decode error just past the value it could not
/// accept (a bad number, a string a lenient field refuses), just past the
/// first byte of a value of the wrong kind, or just past the object that
/// lacks a field; that value is the one the error is about. `json` is valid
/// JSON (the envelope was read before); on anything else the walk stops and
/// gives no path rather than a wrong one.
pub(crate) fn path_at(json: &str, offset: usize) -> Option<String> {
    let bytes = json.as_bytes();
    let mut stack: Vec<Level> = Vec::new();
    let mut i = 0;
    loop {
        i = skip_whitespace(bytes, i);
        // A value serde_json rejects on sight is reported at its first
        // byte or just past it. An object whose visitor refuses it after
        // opening it is reported at its first member name, which is no
        // value of its own. (The same position in an array is its first
        // element, which is what it means there; the lenient visitor reads
        // a list to its end before refusing it, so that is not ambiguous.)
        let first = *bytes.get(i)?;
        let reach = match first {
            b'{' => skip_whitespace(bytes, i + 1),
            b'[' => i,
            _ => i + 1,
        };
        if offset <= reach {
            return render(&stack);
        }
        let end = match first {
            b'{' => {
                stack.push(Level::Object(None));
                i = reach;
                if bytes.get(i) == Some(&b'}') {
                    stack.pop();
                    i + 1
                } else {
                    i = member_name(json, i, &mut stack)?;
                    continue;
                }
            }
            b'[' => {
                stack.push(Level::Array(0));
                i = skip_whitespace(bytes, i + 1);
                if bytes.get(i) == Some(&b']') {
                    stack.pop();
                    i + 1
                } else {
                    continue;
                }
            }
            b'"' => string_at(json, i)?.1,
            _ => scalar_end(bytes, i),
        };
        // A value just ended at `end`: the one the error is about if the
        // offset lies within it or right after it.
        if end >= offset {
            return render(&stack);
        }
        i = skip_whitespace(bytes, end);
        // Close every container that ends here, each one a value too.
        loop {
            match (stack.last_mut(), bytes.get(i)) {
                (Some(Level::Object(_)), Some(b',')) => {
                    i = member_name(json, skip_whitespace(bytes, i + 1), &mut stack)?;
                    break;
                }
                (Some(Level::Array(index)), Some(b',')) => {
                    *index += 1;
                    i += 1;
                    break;
                }
                (Some(Level::Object(_)), Some(b'}')) | (Some(Level::Array(_)), Some(b']')) => {
                    stack.pop();
                    i += 1;
                    if i >= offset {
                        return render(&stack);
                    }
                    i = skip_whitespace(bytes, i);
                }
                _ => return None,
            }
        }
    }
}

/// Reads the member name at `json[i]` into the object on top of `stack`
/// and returns the offset just past the `:` after it.
fn member_name(json: &str, i: usize, stack: &mut [Level]) -> Option<usize> {
    let (key, after) = string_at(json, i)?;
    if let Some(Level::Object(name)) = stack.last_mut() {
        *name = Some(key);
    }
    expect(json.as_bytes(), after, b':')
}

fn render(stack: &[Level]) -> Option<String> {
    let mut out = String::new();
    for level in stack {
        match level {
            Level::Object(Some(name)) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(name);
            }
            // An object before its first member is the value itself.
            Level::Object(None) => {}
            Level::Array(index) => {
                out.push('[');
                out.push_str(&index.to_string());
                out.push(']');
            }
        }
    }
    (!out.is_empty()).then_some(out)
}

fn skip_whitespace(bytes: &[u8], mut i: usize) -> usize {
    while bytes
        .get(i)
        .is_some_and(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
    {
        i += 1;
    }
    i
}

fn expect(bytes: &[u8], i: usize, byte: u8) -> Option<usize> {
    let i = skip_whitespace(bytes, i);
    (bytes.get(i) == Some(&byte)).then_some(i + 1)
}

/// The string starting at `json[i]` (a `"`), unescaped, and the offset
/// just past it.
fn string_at(json: &str, i: usize) -> Option<(String, usize)> {
    let bytes = json.as_bytes();
    if bytes.get(i) != Some(&b'"') {
        return None;
    }
    let mut j = i + 1;
    loop {
        match *bytes.get(j)? {
            b'\\' => j += 2,
            b'"' => break,
            _ => j += 1,
        }
    }
    let end = j + 1;
    let text = serde_json::from_str(json.get(i..end)?).ok()?;
    Some((text, end))
}

/// The offset just past the number, `true`, `false` or `null` at `i`.
fn scalar_end(bytes: &[u8], mut i: usize) -> usize {
    while bytes
        .get(i)
        .is_some_and(|b| !matches!(b, b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r'))
    {
        i += 1;
    }
    i
}

#[cfg(test)]
#[allow(
    clippy::disallowed_types,
    clippy::disallowed_methods,
    reason = "tests compare bodies and payloads as values"
)]
mod tests {
    use super::*;

    /// The path of the value that ends where `marker` ends in `json`.
    fn path_after(json: &str, marker: &str) -> Option<String> {
        let at = json.find(marker).expect("the marker is in the text") + marker.len();
        path_at(json, at)
    }

    #[test]
    fn paths_of_values() {
        let json = r#"{"Devices": [{"Name": "a"}, {"Online": "maybe", "N": 12}], "Count": "12a", "E": {}, "L": []}"#;
        assert_eq!(
            path_after(json, r#""maybe""#).as_deref(),
            Some("Devices[1].Online")
        );
        assert_eq!(path_after(json, "12").as_deref(), Some("Devices[1].N"));
        assert_eq!(
            path_after(json, r#""a""#).as_deref(),
            Some("Devices[0].Name")
        );
        // Just past an object: the object (where a missing field is reported).
        assert_eq!(path_after(json, r#""a"}"#).as_deref(), Some("Devices[0]"));
        assert_eq!(path_after(json, r#""12a""#).as_deref(), Some("Count"));
        assert_eq!(path_after(json, r#""E": {}"#).as_deref(), Some("E"));
        assert_eq!(path_after(json, r#""L": []"#).as_deref(), Some("L"));
        // The whole payload.
        assert_eq!(path_at(json, json.len()), None);
    }

    #[test]
    fn escaped_names_and_whitespace() {
        let json = "{ \"A\\u0062\" :\n [ 1 ,\t{ \"x\\\"y\" : true } ] }";
        assert_eq!(path_after(json, "true").as_deref(), Some("Ab[1].x\"y"));
        assert_eq!(path_after(json, "1").as_deref(), Some("Ab[0]"));
    }

    #[test]
    fn broken_text_gives_no_path_and_no_panic() {
        for json in [
            "",
            "{",
            "{\"a\"",
            "{\"a\":",
            "[1,",
            "{\"a\" 1}",
            "\"abc",
            "{\"a\":1,}",
        ] {
            for at in 0..=json.len() + 1 {
                let _ = path_at(json, at);
            }
        }
        assert_eq!(path_at("{\"a\" 1}", 7), None);
    }

    mod shapes {
        //! Response-like types, decoded the way generated responses are.
        use serde::Deserialize;

        #[derive(Debug, Deserialize)]
        #[allow(dead_code)]
        pub struct Out {
            #[serde(rename = "Count", default, deserialize_with = "crate::lenient::option")]
            count: Option<i64>,
            #[serde(rename = "Devices", default)]
            devices: Option<Vec<Device>>,
            #[serde(rename = "Info", default)]
            info: Option<Info>,
        }

        #[derive(Debug, Deserialize)]
        #[allow(dead_code)]
        pub struct Device {
            #[serde(rename = "Name", default, deserialize_with = "crate::lenient::option")]
            name: Option<String>,
            #[serde(
                rename = "Online",
                default,
                deserialize_with = "crate::lenient::option"
            )]
            online: Option<bool>,
            #[serde(rename = "Tags", default)]
            tags: Option<Vec<String>>,
        }

        #[derive(Debug, Deserialize)]
        #[allow(dead_code)]
        pub struct Info {
            #[serde(rename = "Level", default, deserialize_with = "crate::lenient::option")]
            level: Option<u64>,
            #[serde(rename = "Inner", default)]
            inner: Option<Box<Info>>,
            #[serde(rename = "Required")]
            required: String,
        }
    }

    /// Every leaf of `v`, by its path of keys and indices.
    fn leaves(v: &serde_json::Value, at: Vec<String>, out: &mut Vec<Vec<String>>) {
        match v {
            serde_json::Value::Object(m) if !m.is_empty() => {
                for (k, x) in m {
                    let mut p = at.clone();
                    p.push(k.clone());
                    leaves(x, p, out);
                }
            }
            serde_json::Value::Array(a) if !a.is_empty() => {
                for (i, x) in a.iter().enumerate() {
                    let mut p = at.clone();
                    p.push(i.to_string());
                    leaves(x, p, out);
                }
            }
            _ => out.push(at),
        }
    }

    fn slot<'a>(v: &'a mut serde_json::Value, path: &[String]) -> &'a mut serde_json::Value {
        path.iter().fold(v, |v, k| match v {
            serde_json::Value::Array(a) => &mut a[k.parse::<usize>().unwrap()],
            other => &mut other[k.as_str()],
        })
    }

    /// The paths of `path_at` against serde_path_to_error's, for every leaf
    /// of a document replaced in turn by every kind of wrong value, compact
    /// and pretty-printed.
    #[test]
    fn paths_agree_with_serde_path_to_error() {
        let base = serde_json::json!({
            "Count": "12",
            "Devices": [
                {"Name": "a", "Online": 1, "Tags": ["x", "y"]},
                {"Name": "b\"c", "Online": "true", "Tags": []},
            ],
            "Info": {"Level": 3, "Required": "r", "Inner": {"Level": "4", "Required": "s"}},
            "Other": {"Ignored": [1, 2]},
        });
        let mut paths = Vec::new();
        leaves(&base, Vec::new(), &mut paths);
        let wrong = [
            serde_json::json!({}),
            serde_json::json!([]),
            serde_json::json!([1]),
            serde_json::json!({"K": 1}),
            serde_json::json!("x1"),
            serde_json::json!(1.5),
            serde_json::json!(-3),
            serde_json::json!(true),
            serde_json::json!(null),
        ];
        let mut failures = 0;
        for path in &paths {
            for w in &wrong {
                let mut doc = base.clone();
                *slot(&mut doc, path) = w.clone();
                for text in [doc.to_string(), serde_json::to_string_pretty(&doc).unwrap()] {
                    let tracked = serde_path_to_error::deserialize::<_, shapes::Out>(
                        &mut serde_json::Deserializer::from_str(&text),
                    );
                    let ours = decode::<shapes::Out>("A", "r", &text);
                    match (tracked, ours) {
                        (Ok(_), Ok(_)) => {}
                        (Err(t), Err(o)) => {
                            failures += 1;
                            let expected = t.path().to_string();
                            let expected = (expected != ".").then_some(expected);
                            assert_eq!(o.path, expected, "{text}: {}", t.inner());
                        }
                        (t, o) => panic!("{text}: {t:?} but {o:?}"),
                    }
                }
            }
        }
        // The mutations do exercise failures.
        assert!(failures > 50, "{failures}");
    }

    #[test]
    fn serde_json_positions_point_at_the_failing_value() {
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Device {
            #[serde(rename = "Online")]
            online: Option<bool>,
            #[serde(rename = "Name")]
            name: String,
        }
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Out {
            #[serde(rename = "Devices")]
            devices: Vec<Device>,
        }
        let cases = [
            (
                r#"{"Devices": [{"Name": "a"}, {"Online": "maybe", "Name": "b"}]}"#,
                Some("Devices[1].Online"),
            ),
            (
                "{\"Devices\": [{\"Name\": \"a\"},\n {\"Online\": true}]}",
                Some("Devices[1]"),
            ),
            (r#"{"Devices": {"Name": "a"}}"#, Some("Devices")),
            (r#"{"Other": 1}"#, None),
        ];
        for (json, path) in cases {
            let e = decode::<Out>("A", "r", json).unwrap_err();
            assert_eq!(
                e.path.as_deref(),
                path,
                "{json}: {}",
                e.message.as_deref().unwrap_or("")
            );
            assert_eq!(e.kind, ErrorKind::Decode);
            assert!(
                !e.message.as_deref().unwrap_or("").contains(" at line "),
                "{json}"
            );
        }
    }
}
