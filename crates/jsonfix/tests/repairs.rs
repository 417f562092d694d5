//! One minimal input per repair kind, asserting the value and every repair
//! with its span, plus the strict and `find_json_start` behaviour.

use std::ops::Range;

use jsonfix::{RepairKind, Repaired, find_json_start, parse_lenient};
use serde_json::json;

use RepairKind::*;

#[track_caller]
fn ok(text: &str) -> Repaired {
    match parse_lenient(text) {
        Ok(repaired) => repaired,
        Err(failure) => panic!("{text:?} failed: {failure}"),
    }
}

fn repairs(repaired: &Repaired) -> Vec<(Range<usize>, RepairKind)> {
    repaired
        .repairs
        .iter()
        .map(|r| (r.span.clone(), r.kind))
        .collect()
}

#[test]
fn strict_json_needs_no_repairs() {
    let r =
        ok(r#" {"a": [1, -2.5e3, "x\u00e9\ud83d\ude00", true, false, null, {}], "b": {"c": []}} "#);
    assert_eq!(
        r.value,
        json!({"a": [1, -2500.0, "xé😀", true, false, null, {}], "b": {"c": []}})
    );
    assert!(r.repairs.is_empty());
    assert_eq!(ok("12").value, json!(12));
    assert_eq!(ok(r#""top""#).value, json!("top"));
}

#[test]
fn trailing_comma() {
    let r = ok(r#"{"a":1,}"#);
    assert_eq!(r.value, json!({"a": 1}));
    assert_eq!(repairs(&r), [(6..7, TrailingComma)]);

    let r = ok("[1, 2 , ]");
    assert_eq!(r.value, json!([1, 2]));
    assert_eq!(repairs(&r), [(6..7, TrailingComma)]);
}

#[test]
fn missing_comma() {
    let r = ok("{\"a\":1\n\"b\":2}");
    assert_eq!(r.value, json!({"a": 1, "b": 2}));
    assert_eq!(repairs(&r), [(6..6, MissingComma)]);

    let r = ok(r#"[1 "two" [3]]"#);
    assert_eq!(r.value, json!([1, "two", [3]]));
    assert_eq!(repairs(&r), [(2..2, MissingComma), (8..8, MissingComma)]);
}

#[test]
fn line_comment() {
    let r = ok("{\"a\":1, // note: \"quoted\"\n\"b\":2}");
    assert_eq!(r.value, json!({"a": 1, "b": 2}));
    assert_eq!(repairs(&r), [(8..25, LineComment)]);
}

#[test]
fn block_comment() {
    let r = ok(r#"{"a": /* one */ 1}"#);
    assert_eq!(r.value, json!({"a": 1}));
    assert_eq!(repairs(&r), [(6..15, BlockComment)]);
}

#[test]
fn comment_separates_items_with_a_missing_comma() {
    let r = ok("{\"a\":1// first\n\"b\":2}");
    assert_eq!(r.value, json!({"a": 1, "b": 2}));
    assert_eq!(repairs(&r), [(6..6, MissingComma), (6..14, LineComment)]);
}

#[test]
fn fullwidth_comma_and_colon() {
    let text = "{\"a\"：1，\"b\":2}";
    let r = ok(text);
    assert_eq!(r.value, json!({"a": 1, "b": 2}));
    assert_eq!(
        repairs(&r),
        [(4..7, FullWidthPunctuation), (8..11, FullWidthPunctuation)]
    );
    assert_eq!(&text[4..7], "：");
    assert_eq!(&text[8..11], "，");
}

#[test]
fn fullwidth_trailing_comma_is_both_repairs() {
    let r = ok("{\"a\":1，}");
    assert_eq!(r.value, json!({"a": 1}));
    assert_eq!(
        repairs(&r),
        [(6..9, FullWidthPunctuation), (6..9, TrailingComma)]
    );
}

#[test]
fn fullwidth_quotes_delimit_a_string() {
    let text = "{“a”: “x\"y”}";
    let r = ok(text);
    assert_eq!(r.value, json!({"a": "x\"y"}));
    assert_eq!(
        repairs(&r),
        [
            (1..4, FullWidthPunctuation),
            (5..8, FullWidthPunctuation),
            (10..13, FullWidthPunctuation),
            (16..19, FullWidthPunctuation)
        ]
    );
}

#[test]
fn fullwidth_punctuation_inside_strings_is_content() {
    let r = ok(r#"{"a":"1，2：“3”"}"#);
    assert_eq!(r.value, json!({"a": "1，2：“3”"}));
    assert!(r.repairs.is_empty());
}

#[test]
fn trailing_text() {
    let text = "{\"a\":1}\n:::\n";
    let r = ok(text);
    assert_eq!(r.value, json!({"a": 1}));
    assert_eq!(repairs(&r), [(8..11, TrailingText)]);
}

#[test]
fn comment_after_value_is_a_comment_not_trailing_text() {
    let r = ok("{}\n // about the value\n");
    assert_eq!(repairs(&r), [(4..22, LineComment)]);
}

#[test]
fn unclosed_comment_after_value_is_trailing_text() {
    let r = ok("{} /* never closed");
    assert_eq!(repairs(&r), [(3..18, TrailingText)]);
}

#[test]
fn unclosed_bracket() {
    let r = ok("{\"a\":{\"b\":[1,");
    assert_eq!(r.value, json!({"a": {"b": [1]}}));
    assert_eq!(
        repairs(&r),
        [
            (0..1, UnclosedBracket),
            (5..6, UnclosedBracket),
            (10..11, UnclosedBracket),
            (12..13, TrailingComma)
        ]
    );
}

#[test]
fn unescaped_quote() {
    let text = "{\n\"DataTemplate\":\"{\"version\":\"1.0\",\"profile\":{\"ProductId\":\"FVYYYEL4ON\"}}\",\n\"AppTemplate\":\"\"\n}";
    let r = ok(text);
    let template = r#"{"version":"1.0","profile":{"ProductId":"FVYYYEL4ON"}}"#;
    assert_eq!(
        r.value,
        json!({"DataTemplate": template, "AppTemplate": ""})
    );
    assert_eq!(repairs(&r), [(17..73, UnescapedQuote)]);
    assert_eq!(&text[17..73], format!("\"{template}\""));
}

#[test]
fn unescaped_quote_in_prose_and_arrays() {
    let r = ok(r#"{"msg": "say "hi" now"}"#);
    assert_eq!(r.value, json!({"msg": "say \"hi\" now"}));
    assert_eq!(repairs(&r), [(8..22, UnescapedQuote)]);

    let r = ok("[\"a\"b\"]");
    assert_eq!(r.value, json!(["a\"b"]));
    assert_eq!(repairs(&r), [(1..6, UnescapedQuote)]);
}

#[test]
fn unescaped_quote_keeps_escapes_and_urls() {
    let r = ok(r#"{"d": "{"u":"http://x","n":"a\nb"}"}"#);
    assert_eq!(
        r.value,
        json!({"d": r#"{"u":"http://x","n":"a
b"}"#})
    );
    assert_eq!(repairs(&r), [(6..35, UnescapedQuote)]);
}

#[test]
fn ellipsis_as_member_list() {
    let r = ok(r#"{"Data": {...}, "More": {"a": 1, ...}}"#);
    assert_eq!(r.value, json!({"Data": {}, "More": {"a": 1}}));
    assert_eq!(repairs(&r), [(10..13, Ellipsis), (33..36, Ellipsis)]);
}

#[test]
fn ellipsis_with_the_closer_on_the_next_line() {
    let r = ok("{\"Data\": {...\n  },\n\"ErrorCode\":0}");
    assert_eq!(r.value, json!({"Data": {}, "ErrorCode": 0}));
    assert_eq!(repairs(&r), [(10..13, Ellipsis)]);
}

#[test]
fn ellipsis_as_elements_and_values() {
    let r = ok(r#"[[...], [1, 2, …], {"a": ...}]"#);
    assert_eq!(r.value, json!([[], [1, 2], {"a": null}]));
    assert_eq!(
        repairs(&r),
        [(2..5, Ellipsis), (15..18, Ellipsis), (27..30, Ellipsis)]
    );

    let r = ok("...");
    assert_eq!(r.value, json!(null));
    assert_eq!(repairs(&r), [(0..3, Ellipsis)]);
}

#[test]
fn ellipsis_inside_strings_is_content() {
    let r = ok(r#"{"a": "tf card, censors ..."}"#);
    assert_eq!(r.value, json!({"a": "tf card, censors ..."}));
    assert!(r.repairs.is_empty());
}

#[test]
fn duplicate_keys_keep_the_last_value_in_the_first_place() {
    let r = ok(r#"{"a":1,"b":2,"a":3}"#);
    assert_eq!(serde_json::to_string(&r.value).unwrap(), r#"{"a":3,"b":2}"#);
}

#[test]
fn deep_nesting_up_to_the_limit_is_fine() {
    let text = format!("{}{}", "[".repeat(128), "]".repeat(128));
    assert!(ok(&text).repairs.is_empty());
}

#[test]
fn describe_and_display() {
    let r = ok("[1,]");
    assert_eq!(r.repairs[0].kind.describe(), "trailing comma removed");
    assert_eq!(
        r.repairs[0].to_string(),
        "trailing comma removed at bytes 2..3"
    );
}

#[test]
fn find_json_start_skips_an_http_prefix() {
    let text =
        " POST https://host/api HTTP/1.1\n content-type: application/json\n\n\t{\n\"a\": 1}\n";
    let start = find_json_start(text).unwrap();
    assert_eq!(start, 66);
    assert_eq!(&text[start..start + 1], "{");
    assert_eq!(find_json_start("[1]"), Some(0));
    assert_eq!(find_json_start("GET http://[::1]/x\n\n  [2]"), Some(22));
    assert_eq!(find_json_start("no body here"), None);
}
