//! The quick reading of a push: the frame as the docs write it, and the
//! JSON object of its `params` read straight from the escaped string
//! literal, without unescaping it into a second string first.
//!
//! `params` is a flat object of strings and numbers written compactly, so
//! in the frame every quote of it is `\"` and nothing else is escaped. This
//! reading accepts exactly that and gives up (`None`) on anything else:
//! members of the frame in another order or besides these three, another
//! escape, `null` or a nested value, a number that is not a plain integer,
//! a member named twice. The full reading (serde, with `params` unescaped)
//! then decides, so the two can only differ in speed; tests check they
//! agree wherever the quick one answers. It checks what it accepts as
//! strictly as serde would: no raw quote or control character in a string.

use std::borrow::Cow;

use super::decode::RawChange;

/// The change of a frame written as the docs show it,
/// `{"push": true, "action": "DeviceChange", "params": "…"}` (whitespace
/// aside); `None` for any other frame.
pub(super) fn push(frame: &str) -> Option<RawChange<'_>> {
    let b = frame.as_bytes();
    let mut i = 0;
    for token in [
        &b"{"[..],
        b"\"push\"",
        b":",
        b"true",
        b",",
        b"\"action\"",
        b":",
        b"\"DeviceChange\"",
        b",",
        b"\"params\"",
        b":",
    ] {
        i = skip_whitespace(b, i);
        i = b.get(i..)?.strip_prefix(token).map(|_| i + token.len())?;
    }
    i = skip_whitespace(b, i);
    let (raw, end) = read_at(frame, i)?;
    i = skip_whitespace(b, end);
    (b.get(i) == Some(&b'}') && skip_whitespace(b, i + 1) == b.len()).then_some(raw)
}

/// The members of `params` from `literal`, the JSON string literal
/// (quotes included) as it stands in the frame; `None` when the quick
/// reading does not apply.
pub(super) fn read(literal: &str) -> Option<RawChange<'_>> {
    read_at(literal, 0).and_then(|(raw, end)| (end == literal.len()).then_some(raw))
}

/// [`read`] of the literal that starts at `frame[start]`, and the offset
/// just past its closing quote.
fn read_at(frame: &str, start: usize) -> Option<(RawChange<'_>, usize)> {
    let b = frame.as_bytes();
    if b.get(start) != Some(&b'"') {
        return None;
    }
    let text = frame;
    let mut i = skip_spaces(b, start + 1);
    if b.get(i) != Some(&b'{') {
        return None;
    }
    i = skip_spaces(b, i + 1);
    let mut out = RawChange::default();
    let mut seen = 0u8;
    if b.get(i) == Some(&b'}') {
        i += 1;
    } else {
        loop {
            let (key, next) = quoted(text, i)?;
            i = skip_spaces(b, next);
            if b.get(i) != Some(&b':') {
                return None;
            }
            i = skip_spaces(b, i + 1);
            let slot = match key {
                "Time" => 0,
                "Type" => 1,
                "SubType" => 2,
                "Topic" => 3,
                "Payload" => 4,
                "Seq" => 5,
                "DeviceId" => 6,
                _ => 7,
            };
            if slot < 7 {
                if seen & (1 << slot) != 0 {
                    return None;
                }
                seen |= 1 << slot;
            }
            if b.get(i) == Some(&b'\\') {
                let (value, next) = quoted(text, i)?;
                i = next;
                let value = Some(Cow::Borrowed(value));
                match slot {
                    0 => out.time = value,
                    1 => out.kind = value,
                    2 => out.sub_kind = value,
                    3 => out.topic = value,
                    4 => out.payload = value,
                    // As `lenient` reads a string: empty is none.
                    5 => out.seq = seq_text(value.as_deref()?)?,
                    6 => out.device_id = value,
                    _ => {}
                }
            } else {
                let end = i + b[i..]
                    .iter()
                    .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'+' | b'.'))
                    .count();
                let scalar = &text[i..end];
                i = end;
                match slot {
                    5 if is_plain_integer(scalar) => out.seq = Some(scalar.parse().ok()?),
                    // Rare, so checked the slow way.
                    7 if serde_json::from_str::<serde::de::IgnoredAny>(scalar).is_ok() => {}
                    _ => return None,
                }
            }
            i = skip_spaces(b, i);
            match b.get(i) {
                Some(b',') => i = skip_spaces(b, i + 1),
                Some(b'}') => {
                    i += 1;
                    break;
                }
                _ => return None,
            }
        }
    }
    i = skip_spaces(b, i);
    (b.get(i) == Some(&b'"')).then_some((out, i + 1))
}

/// The text between `\"` at `text[i..]` and the next `\"`, and the offset
/// after it; `None` if another escape comes first, or a raw quote or
/// control character, which a JSON string cannot hold.
fn quoted(text: &str, i: usize) -> Option<(&str, usize)> {
    let b = text.as_bytes();
    if b.get(i..i + 2) != Some(b"\\\"") {
        return None;
    }
    let start = i + 2;
    let end = start + memchr::memchr2(b'\\', b'"', &b[start..])?;
    // Without an early exit, so that the compiler can check many bytes at
    // once: these strings are whole base64 payloads.
    let control = b[start..end]
        .iter()
        .fold(false, |seen, &c| seen | (c < 0x20));
    let ok = b[end] == b'\\' && b.get(end + 1) == Some(&b'"') && !control;
    ok.then(|| (&text[start..end], end + 2))
}

/// JSON whitespace, between the frame's tokens.
fn skip_whitespace(b: &[u8], mut i: usize) -> usize {
    while b
        .get(i)
        .is_some_and(|c| matches!(c, b' ' | b'\t' | b'\n' | b'\r'))
    {
        i += 1;
    }
    i
}

/// Spaces only: any other whitespace is escaped in the literal.
fn skip_spaces(b: &[u8], mut i: usize) -> usize {
    while b.get(i) == Some(&b' ') {
        i += 1;
    }
    i
}

/// JSON's integer grammar: `-?(0|[1-9][0-9]*)`.
fn is_plain_integer(s: &str) -> bool {
    let digits = s.strip_prefix('-').unwrap_or(s).as_bytes();
    match digits {
        [b'0'] => true,
        [b'1'..=b'9', rest @ ..] => rest.iter().all(u8::is_ascii_digit),
        _ => false,
    }
}

/// A `Seq` sent as a string, as `lenient` reads it; `None` (give up) when
/// it is not an integer, so that the full reading reports it.
fn seq_text(s: &str) -> Option<Option<i64>> {
    if s.is_empty() {
        return Some(None);
    }
    s.parse().ok().map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Both readings of one `params` object (given as its JSON text).
    fn both(params: &str) -> (Option<String>, Result<String, String>) {
        let literal = serde_json::to_string(params).unwrap();
        let quick = read(&literal).map(|r| format!("{r:?}"));
        let full = serde_json::from_str::<RawChange<'_>>(params)
            .map(|r| format!("{r:?}"))
            .map_err(|e| e.to_string());
        (quick, full)
    }

    #[test]
    fn the_documented_shape_is_read_quickly() {
        let params = r#"{"Time":"2019-03-28T15:17:35+08:00","Type":"Event","SubType":"Report","Topic":"$thing/up/event/P/d","Payload":"eyJhIjoxfQ==","Seq":38,"DeviceId":"P/d"}"#;
        let (quick, full) = both(params);
        assert_eq!(quick.as_deref(), Some(full.unwrap().as_str()));
        for params in [
            r#"{}"#,
            r#"{ "Type" : "Event" , "Seq" : "6" }"#,
            r#"{"Type":"事件","Later":12.5,"More":true,"Seq":-1}"#,
            r#"{"Seq":0,"Payload":""}"#,
        ] {
            let (quick, full) = both(params);
            assert_eq!(quick.as_deref(), Some(full.unwrap().as_str()), "{params}");
        }
    }

    #[test]
    fn frames_as_documented_are_read_quickly_and_others_are_not() {
        let literal =
            serde_json::to_string(r#"{"Type":"Event","SubType":"Report","Seq":1}"#).unwrap();
        let expected = format!("{:?}", read(&literal).unwrap());
        for frame in [
            format!(r#"{{"push":true,"action":"DeviceChange","params":{literal}}}"#),
            format!(
                "{{\n  \"push\": true,\n  \"action\": \"DeviceChange\",\n  \"params\": {literal}\n}}\n"
            ),
        ] {
            assert_eq!(
                push(&frame).map(|r| format!("{r:?}")),
                Some(expected.clone()),
                "{frame}"
            );
        }
        for frame in [
            format!(r#"{{"action":"DeviceChange","push":true,"params":{literal}}}"#),
            format!(r#"{{"push":true,"action":"DeviceChange","params":{literal},"x":1}}"#),
            format!(r#"{{"push":false,"action":"DeviceChange","params":{literal}}}"#),
            format!(r#"{{"push":true,"action":"Other","params":{literal}}}"#),
            r#"{"push":true,"action":"DeviceChange","params":"{"Type":"E"vent"}"}"#.to_owned(),
            "{\"push\":true,\"action\":\"DeviceChange\",\"params\":\"{\\\"Type\\\":\\\"E\u{1}\\\"}\"}".to_owned(),
            r#"{"push":true,"action":"DeviceChange","params":"{"Type":"Event"}"#.to_owned(),
            r#"{"reqId":"1","error":"","data":{}}"#.to_owned(),
        ] {
            assert!(push(&frame).is_none(), "{frame}");
        }
    }

    #[test]
    fn anything_else_is_left_to_the_full_reading() {
        for params in [
            r#"{"Type":"Ev\"ent"}"#,
            r#"{"Type":"Ev\\ent"}"#,
            r#"{"Type":"Line\nbreak"}"#,
            r#"{"T\u0079pe":"Event"}"#,
            r#"{"Type":null}"#,
            r#"{"Later":{"a":1}}"#,
            r#"{"Later":[1]}"#,
            r#"{"Seq":1.0}"#,
            r#"{"Seq":01}"#,
            r#"{"Seq":"x"}"#,
            r#"{"Seq":1,"Seq":2}"#,
            "{\n\"Type\":\"Event\"}",
            r#"{"Type":"Event",}"#,
            r#"{"Type":"Event"} x"#,
            r#"[1]"#,
            r#""{}""#,
        ] {
            assert_eq!(both(params).0, None, "{params}");
        }
    }

    /// Random members in random order, some of them of shapes the quick
    /// reading gives up on: wherever it answers, it agrees with the full
    /// reading.
    #[test]
    fn the_quick_reading_agrees_with_the_full_one() {
        let mut rng = fastrand::Rng::with_seed(7);
        let names = [
            "Time", "Type", "SubType", "Topic", "Payload", "Seq", "DeviceId", "X",
        ];
        let values = [
            r#""Event""#,
            r#""""#,
            r#""a/b c""#,
            r#""中文""#,
            r#""q\"q""#,
            r#""\u00e9""#,
            "7",
            "-3",
            "0",
            "1.5",
            "1e3",
            r#""12""#,
            "null",
            "true",
            "[]",
            r#"{"a":"b"}"#,
        ];
        let mut quick_answers = 0;
        for _ in 0..5000 {
            let members: Vec<String> = (0..rng.usize(0..6))
                .map(|_| {
                    let space = if rng.u8(0..8) == 0 { " " } else { "" };
                    let name = names[rng.usize(..names.len())];
                    let value = values[rng.usize(..values.len())];
                    format!("{space}\"{name}\"{space}:{space}{value}{space}")
                })
                .collect();
            let params = format!("{{{}}}", members.join(","));
            let (quick, full) = both(&params);
            if let Some(quick) = &quick {
                quick_answers += 1;
                assert_eq!(Ok(quick.clone()), full, "{params}");
            }
            // The whole frame reads as its `params` does.
            let literal = serde_json::to_string(&params).unwrap();
            let frame =
                format!("{{\"push\":true,\"action\":\"DeviceChange\",\"params\":{literal}}}");
            assert_eq!(push(&frame).map(|r| format!("{r:?}")), quick, "{frame}");
        }
        assert!(quick_answers > 500, "{quick_answers}");
    }
}
