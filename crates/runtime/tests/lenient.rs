//! `lenient::option` on every scalar type the generator emits.

#![allow(
    clippy::disallowed_types,
    clippy::disallowed_methods,
    reason = "tests build bodies and replies as values"
)]

use iot_explorer_runtime::lenient;
use serde::Deserialize;
use serde_json::{Value, json};

#[derive(Debug, Deserialize, PartialEq)]
struct Out {
    #[serde(rename = "I", default, deserialize_with = "lenient::option")]
    i: Option<i64>,
    #[serde(rename = "U", default, deserialize_with = "lenient::option")]
    u: Option<u64>,
    #[serde(rename = "F", default, deserialize_with = "lenient::option")]
    f: Option<f64>,
    #[serde(rename = "B", default, deserialize_with = "lenient::option")]
    b: Option<bool>,
    #[serde(rename = "S", default, deserialize_with = "lenient::option")]
    s: Option<String>,
}

fn field(name: &str, v: Value) -> Result<Out, String> {
    serde_json::from_value(json!({ name: v })).map_err(|e| e.to_string())
}

fn i(v: Value) -> Result<Option<i64>, String> {
    field("I", v).map(|o| o.i)
}
fn u(v: Value) -> Result<Option<u64>, String> {
    field("U", v).map(|o| o.u)
}
fn f(v: Value) -> Result<Option<f64>, String> {
    field("F", v).map(|o| o.f)
}
fn b(v: Value) -> Result<Option<bool>, String> {
    field("B", v).map(|o| o.b)
}
fn s(v: Value) -> Result<Option<String>, String> {
    field("S", v).map(|o| o.s)
}

#[test]
fn missing_and_null_are_none() {
    let out: Out = serde_json::from_value(json!({})).unwrap();
    assert_eq!(
        out,
        Out {
            i: None,
            u: None,
            f: None,
            b: None,
            s: None
        }
    );
    let all_null = json!({"I": null, "U": null, "F": null, "B": null, "S": null});
    assert_eq!(serde_json::from_value::<Out>(all_null).unwrap(), out);
    // Also through a text deserializer, which reports null differently.
    let out2: Out = serde_json::from_str(r#"{"I": null, "S": null}"#).unwrap();
    assert_eq!(out2, out);
}

#[test]
fn signed_integers() {
    assert_eq!(i(json!(12)), Ok(Some(12)));
    assert_eq!(i(json!(-12)), Ok(Some(-12)));
    assert_eq!(i(json!("12")), Ok(Some(12)));
    assert_eq!(i(json!("-7")), Ok(Some(-7)));
    assert_eq!(i(json!(3.0)), Ok(Some(3)));
    assert_eq!(i(json!("")), Ok(None));
    assert_eq!(i(json!(i64::MAX)), Ok(Some(i64::MAX)));
    for bad in [
        json!("12a"),
        json!("1.5"),
        json!(1.5),
        json!(u64::MAX),
        json!("9223372036854775808"),
        json!(true),
        json!([1]),
        json!({"a": 1}),
        json!(" 12"),
    ] {
        assert!(i(bad.clone()).is_err(), "{bad} accepted as i64");
    }
    let msg = i(json!("12a")).unwrap_err();
    assert!(msg.contains("12a"), "{msg}");
}

#[test]
fn unsigned_integers() {
    assert_eq!(u(json!(12)), Ok(Some(12)));
    assert_eq!(u(json!("12")), Ok(Some(12)));
    assert_eq!(u(json!(u64::MAX)), Ok(Some(u64::MAX)));
    assert_eq!(u(json!("18446744073709551615")), Ok(Some(u64::MAX)));
    for bad in [
        json!(-1),
        json!("-1"),
        json!(1.5),
        json!("18446744073709551616"),
        json!("x"),
        json!(false),
    ] {
        assert!(u(bad.clone()).is_err(), "{bad} accepted as u64");
    }
}

#[test]
fn floats() {
    assert_eq!(f(json!(1.5)), Ok(Some(1.5)));
    assert_eq!(f(json!(2)), Ok(Some(2.0)));
    assert_eq!(f(json!("2.25")), Ok(Some(2.25)));
    assert_eq!(f(json!(-3)), Ok(Some(-3.0)));
    assert_eq!(f(json!("")), Ok(None));
    // 2^53 + 1 has no exact f64.
    for bad in [
        json!(9_007_199_254_740_993_i64),
        json!("NaN"),
        json!("inf"),
        json!("1e400"),
        json!("1.5x"),
        json!(true),
    ] {
        assert!(f(bad.clone()).is_err(), "{bad} accepted as f64");
    }
}

#[test]
fn booleans() {
    assert_eq!(b(json!(true)), Ok(Some(true)));
    assert_eq!(b(json!(0)), Ok(Some(false)));
    assert_eq!(b(json!(1)), Ok(Some(true)));
    assert_eq!(b(json!("true")), Ok(Some(true)));
    assert_eq!(b(json!("false")), Ok(Some(false)));
    assert_eq!(b(json!("1")), Ok(Some(true)));
    assert_eq!(b(json!("")), Ok(None));
    for bad in [
        json!(2),
        json!(-1),
        json!(1.0),
        json!("yes"),
        json!("2"),
        json!([]),
    ] {
        assert!(b(bad.clone()).is_err(), "{bad} accepted as bool");
    }
}

#[test]
fn strings() {
    assert_eq!(s(json!("abc")), Ok(Some("abc".into())));
    assert_eq!(s(json!("")), Ok(Some(String::new())));
    assert_eq!(s(json!(12)), Ok(Some("12".into())));
    assert_eq!(s(json!(-12)), Ok(Some("-12".into())));
    assert_eq!(s(json!(1.5)), Ok(Some("1.5".into())));
    assert_eq!(s(json!(true)), Ok(Some("true".into())));
    assert!(s(json!({"a": 1})).is_err());
    assert!(s(json!([1])).is_err());
}
