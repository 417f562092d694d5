//! Inputs that must not be repaired, with the span and message reported.

use std::ops::Range;

use jsonfix::parse_lenient;

#[track_caller]
fn fails(text: &str, span: Range<usize>, message: &str) {
    match parse_lenient(text) {
        Ok(repaired) => panic!("{text:?} was accepted as {repaired:?}"),
        Err(failure) => {
            assert_eq!(
                (failure.span, failure.message.as_str()),
                (span, message),
                "input {text:?}"
            );
        }
    }
}

#[test]
fn empty_input() {
    fails("", 0..0, "expected a JSON value, found end of input");
    fails("  \n", 3..3, "expected a JSON value, found end of input");
}

#[test]
fn unquoted_keys() {
    // The signing section of the API introduction lists parameters this way.
    fails(
        "{\n\t\tAction=AppCreateCellphoneUser,\n}",
        4..10,
        "expected a member name in double quotes, found `Action`",
    );
}

#[test]
fn single_quotes() {
    fails(
        "{'a': 1}",
        1..2,
        "expected a member name in double quotes, found `'`",
    );
    fails(r#"{"a": 'x'}"#, 6..7, "expected a JSON value, found `'`");
}

#[test]
fn nan_and_other_words() {
    fails("[NaN]", 1..4, "expected a JSON value, found `NaN`");
    fails("[tru]", 1..4, "expected a JSON value, found `tru`");
    fails(
        "[nullx]",
        5..6,
        "expected `,` or `]` after an array element, found `x`",
    );
}

#[test]
fn strings() {
    fails(r#"{"a": "open"#, 6..11, "string is never closed");
    fails(
        "{\"a\": \"open\n\"}",
        6..11,
        "string is not closed before the end of its line",
    );
    fails(
        "[\"a\tb\"]",
        3..4,
        "control character in string must be escaped",
    );
    fails(r#"["a\qb"]"#, 3..5, "invalid escape in string");
    fails(
        r#"["\u12"]"#,
        2..4,
        "`\\u` must be followed by four hex digits",
    );
    fails(
        r#"["\ud800x"]"#,
        2..8,
        "unpaired surrogate in unicode escape",
    );
    fails(
        r#"["\udc00"]"#,
        2..8,
        "unpaired surrogate in unicode escape",
    );
    fails(
        "{“a”: “x}",
        10..15,
        "string opened with `“` is not closed with `”` on its line",
    );
}

#[test]
fn numbers() {
    fails("[-]", 2..3, "expected a digit in the number, found `]`");
    fails("[1e]", 3..4, "expected a digit in the exponent, found `]`");
    fails("[1e999]", 1..6, "number `1e999` is out of range");
    fails(
        "[01]",
        2..3,
        "expected `,` or `]` after an array element, found `1`",
    );
}

#[test]
fn separators() {
    fails("[,1]", 1..2, "expected an array element or `]`, found `,`");
    fails(
        "[1,,2]",
        3..4,
        "expected an array element or `]`, found `,`",
    );
    fails(
        r#"{"a" 1}"#,
        5..6,
        "expected `:` after the member name, found `1`",
    );
    fails(
        r#"{"a":1"b":2}"#,
        6..7,
        r#"expected `,` or `}` after an object member, found `"`"#,
    );
    fails(
        r#"{"a":1]"#,
        6..7,
        "expected `,` or `}` after an object member, found `]`",
    );
    fails(
        r#"{"a":1 2}"#,
        7..8,
        "expected `,` or `}` after an object member, found `2`",
    );
}

#[test]
fn truncated_inside_a_member() {
    fails(
        r#"{"a":"#,
        5..5,
        "expected a JSON value, found end of input",
    );
    fails(
        r#"{"a""#,
        4..4,
        "expected `:` after the member name, found end of input",
    );
}

#[test]
fn comments() {
    fails("[1 /* open", 3..5, "block comment is never closed");
    fails(
        "[1 / 2]",
        3..4,
        "expected `,` or `]` after an array element, found `/`",
    );
}

#[test]
fn two_dots_are_not_a_placeholder() {
    fails("[..]", 1..2, "expected a JSON value, found `.`");
}

#[test]
fn ambiguous_unescaped_quotes_are_not_guessed() {
    // The last quote on the line belongs to the comment, not the string.
    fails(
        r#"{"a": "x"y", // the "data""#,
        9..10,
        "expected `,` or `}` after an object member, found `y`",
    );
    // No quote after the inner one is followed by a separator.
    fails(
        "{\"a\": \"x\"y\" z\n}",
        9..10,
        "expected `,` or `}` after an object member, found `y`",
    );
    // Member names are never repaired this way.
    fails(
        r#"{"a"b": 1}"#,
        4..5,
        "expected `:` after the member name, found `b`",
    );
}

#[test]
fn nesting_limit() {
    let text = "[".repeat(129);
    fails(&text, 128..129, "nesting deeper than 128 levels");
    let text = format!("{}1{}", "{\"a\":".repeat(200), "}".repeat(200));
    fails(&text, 640..641, "nesting deeper than 128 levels");
}

#[test]
fn failure_is_an_error_with_a_display() {
    let failure = parse_lenient("[1,,2]").unwrap_err();
    let error: &dyn std::error::Error = &failure;
    assert_eq!(
        error.to_string(),
        "expected an array element or `]`, found `,` at bytes 3..4"
    );
}
