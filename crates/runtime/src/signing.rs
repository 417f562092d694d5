//! The pre-login request signature (签名算法 in the 应用端 API 简介 page).

use std::borrow::Cow;

use base64::Engine as _;
use hmac::{Hmac, KeyInit, Mac};
#[expect(
    clippy::disallowed_types,
    reason = "the public helpers take a map; the call path signs with `canonical`"
)]
use serde_json::{Map, Value};
use sha1::Sha1;

/// The text the signature is computed over.
///
/// Every parameter except `Signature` itself, sorted by name (byte order, as
/// PHP's `ksort` in the docs' example), formatted `name=value` and joined with
/// `&`. Values are raw, not URL-encoded: strings without quotes, everything
/// else as its compact JSON text. An underscore in a name becomes `.`.
/// Empty strings are left out, as the docs' FAQ says; `null` is left out
/// too, because the client treats a top-level `null` as an absent parameter
/// and does not send it.
#[expect(clippy::disallowed_types, reason = "public helper; not the call path")]
pub fn string_to_sign(params: &Map<String, Value>) -> String {
    canonical(params.iter().filter(|(_, v)| !v.is_null()).map(|(k, v)| {
        let value = match v {
            Value::String(s) => Cow::Borrowed(s.as_str()),
            other => Cow::Owned(other.to_string()),
        };
        (k.as_str(), value)
    }))
}

/// [`string_to_sign`] over `(name, raw value)` pairs: strings unquoted,
/// anything else as its compact JSON text.
pub(crate) fn canonical<'a>(pairs: impl Iterator<Item = (&'a str, Cow<'a, str>)>) -> String {
    let mut entries: Vec<(&str, Cow<'_, str>)> = pairs
        .filter(|(k, v)| *k != "Signature" && !v.is_empty())
        .collect();
    // Whatever order the parameters came in, sorting is what makes the
    // text canonical.
    entries.sort_unstable_by(|a, b| a.0.cmp(b.0));

    let mut out = String::new();
    for (i, (key, value)) in entries.into_iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        out.extend(key.chars().map(|c| if c == '_' { '.' } else { c }));
        out.push('=');
        out.push_str(&value);
    }
    out
}

/// `Signature` for a pre-login call: Base64(HMAC-SHA1(secret, [`string_to_sign`])).
///
/// `params` is the whole body except `Signature` (a `Signature` entry, if
/// present, is ignored), including `Action`, `RequestId`, `AppKey`,
/// `Timestamp` and `Nonce`.
#[expect(clippy::disallowed_types, reason = "public helper; not the call path")]
pub fn sign(secret: &str, params: &Map<String, Value>) -> String {
    hmac_base64(secret, &string_to_sign(params))
}

/// Base64(HMAC-SHA1(secret, text)).
pub(crate) fn hmac_base64(secret: &str, text: &str) -> String {
    let mut mac = <Hmac<Sha1> as KeyInit>::new_from_slice(secret.as_bytes())
        .expect("HMAC takes keys of any length");
    mac.update(text.as_bytes());
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

#[cfg(test)]
#[allow(
    clippy::disallowed_types,
    clippy::disallowed_methods,
    reason = "tests compare bodies and payloads as values"
)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn sorts_formats_and_skips() {
        let params = json!({
            "b_c": "x",
            "a": 1,
            "Signature": "old",
            "Empty": "",
            "Null": null,
            "Flag": true,
            "List": [1, "two"],
            "Obj": {"k": "v"},
        });
        assert_eq!(
            string_to_sign(params.as_object().unwrap()),
            r#"Flag=true&List=[1,"two"]&Obj={"k":"v"}&a=1&b.c=x"#
        );
    }
}
