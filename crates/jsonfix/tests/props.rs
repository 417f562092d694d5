//! Properties: no input panics, every span lies on char boundaries of the
//! input, and whatever `serde_json` accepts comes out the same with no
//! repairs.

use jsonfix::{find_json_start, parse_lenient};
use proptest::prelude::*;
use serde_json::Value;

/// Runs both parsers and checks the invariants that hold for any input.
fn check(text: &str) {
    let lenient = parse_lenient(text);
    match &lenient {
        Ok(repaired) => {
            for repair in &repaired.repairs {
                assert!(
                    text.get(repair.span.clone()).is_some(),
                    "repair span {repair:?} in {text:?}"
                );
            }
        }
        Err(failure) => {
            assert!(
                text.get(failure.span.clone()).is_some(),
                "failure span {failure:?} in {text:?}"
            );
        }
    }
    if let Ok(strict) = serde_json::from_str::<Value>(text) {
        let repaired = lenient.unwrap_or_else(|f| panic!("strict {text:?} failed: {f}"));
        assert_eq!(repaired.value, strict, "value of {text:?}");
        assert!(
            repaired.repairs.is_empty(),
            "repairs {:?} on strict {text:?}",
            repaired.repairs
        );
    }
    if let Some(start) = find_json_start(text) {
        assert!(matches!(text.as_bytes()[start], b'{' | b'['));
    }
}

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Value::from),
        any::<String>().prop_map(Value::String),
        "[a-z\"\\\\/…，：“” .]{0,8}".prop_map(Value::String),
    ];
    leaf.prop_recursive(6, 64, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..8).prop_map(Value::Array),
            prop::collection::vec((any::<String>(), inner), 0..8)
                .prop_map(|members| Value::Object(members.into_iter().collect())),
        ]
    })
}

/// Characters that matter to the parser, so mutations hit its edge cases.
const ALPHABET: &[char] = &[
    '{', '}', '[', ']', '"', ',', ':', '\\', '/', '*', '.', '…', '，', '：', '“', '”', ' ', '\n',
    '\t', 'u', 'e', '-', '0', '1', 'a', 'n', 't', 'é',
];

#[derive(Debug, Clone)]
enum Edit {
    Delete(usize),
    Insert(usize, char),
    Duplicate(usize),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        any::<usize>().prop_map(Edit::Delete),
        (any::<usize>(), prop::sample::select(ALPHABET)).prop_map(|(at, c)| Edit::Insert(at, c)),
        any::<usize>().prop_map(Edit::Duplicate),
    ]
}

/// Applies an edit at a char index taken modulo the length, so every
/// generated edit lands somewhere.
fn apply(text: &str, edit: &Edit) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    let len = chars.len();
    match *edit {
        Edit::Delete(at) if len > 0 => {
            chars.remove(at % len);
        }
        Edit::Insert(at, c) => chars.insert(at % (len + 1), c),
        Edit::Duplicate(at) if len > 0 => {
            let c = chars[at % len];
            chars.insert(at % len, c);
        }
        _ => {}
    }
    chars.into_iter().collect()
}

/// 2000 cases unless `PROPTEST_CASES` asks for a longer run.
fn config() -> ProptestConfig {
    let default = ProptestConfig::default();
    let cases = if std::env::var_os("PROPTEST_CASES").is_some() {
        default.cases
    } else {
        2000
    };
    ProptestConfig { cases, ..default }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn arbitrary_strings(text in any::<String>()) {
        check(&text);
    }

    #[test]
    fn json_alphabet_strings(chars in prop::collection::vec(prop::sample::select(ALPHABET), 0..48)) {
        check(&chars.into_iter().collect::<String>());
    }

    #[test]
    fn arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..64)) {
        check(&String::from_utf8_lossy(&bytes));
    }

    #[test]
    fn valid_json_round_trips(value in json_value(), pretty in any::<bool>()) {
        let text = if pretty {
            serde_json::to_string_pretty(&value).unwrap()
        } else {
            serde_json::to_string(&value).unwrap()
        };
        // Compared with serde_json's reading rather than `value`, because
        // without `float_roundtrip` serde_json itself may not restore a float.
        let strict: Value = serde_json::from_str(&text).unwrap();
        let repaired = parse_lenient(&text).unwrap();
        prop_assert_eq!(&repaired.value, &strict);
        prop_assert!(repaired.repairs.is_empty());
        check(&text);
    }

    #[test]
    fn mutated_json(value in json_value(), pretty in any::<bool>(), edits in prop::collection::vec(edit(), 1..4)) {
        let mut text = if pretty {
            serde_json::to_string_pretty(&value).unwrap()
        } else {
            serde_json::to_string(&value).unwrap()
        };
        for edit in &edits {
            text = apply(&text, edit);
        }
        check(&text);
    }
}

#[test]
fn deep_nesting_fails_without_overflowing_the_stack() {
    for open in ["[", "{\"a\":", "[{\"a\":", "{\"a\":[..., "] {
        let text = open.repeat(100_000);
        assert!(
            parse_lenient(&text)
                .unwrap_err()
                .message
                .contains("nesting deeper than 128")
        );
    }
}
