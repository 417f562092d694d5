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

use crate::CommonParams;

/// The text the signature is computed over, with the documented names
/// ([`CommonParams::DEFAULT`]); see [`CommonParams::string_to_sign`].
#[expect(clippy::disallowed_types, reason = "public helper; not the call path")]
pub fn string_to_sign(params: &Map<String, Value>) -> String {
    CommonParams::DEFAULT.string_to_sign(params)
}

/// The signature of a pre-login call, with the documented names
/// ([`CommonParams::DEFAULT`]); see [`CommonParams::sign`].
#[expect(clippy::disallowed_types, reason = "public helper; not the call path")]
pub fn sign(secret: &str, params: &Map<String, Value>) -> String {
    CommonParams::DEFAULT.sign(secret, params)
}

impl CommonParams {
    /// The text the signature is computed over.
    ///
    /// Every parameter except the signature itself (named
    /// [`signature`](Self::signature)), sorted by name (byte order, as PHP's
    /// `ksort` in the docs' example), formatted `name=value` and joined with
    /// `&`. Values are raw, not URL-encoded: strings without quotes,
    /// everything else as its compact JSON text. An underscore in a name
    /// becomes `.`. Empty strings are left out, as the docs' FAQ says;
    /// `null` is left out too, because the client treats a top-level `null`
    /// as an absent parameter and does not send it.
    #[expect(clippy::disallowed_types, reason = "public helper; not the call path")]
    pub fn string_to_sign(&self, params: &Map<String, Value>) -> String {
        let pairs = params.iter().filter(|(_, v)| !v.is_null()).map(|(k, v)| {
            let value = match v {
                Value::String(s) => Cow::Borrowed(s.as_str()),
                other => Cow::Owned(other.to_string()),
            };
            (k.as_str(), value)
        });
        canonical(pairs, self.signature)
    }

    /// The signature of a pre-login call:
    /// Base64(HMAC-SHA1(secret, [`string_to_sign`](Self::string_to_sign))).
    ///
    /// `params` is the whole body, the action, request id, app key,
    /// timestamp and nonce included; a signature already in it is ignored.
    #[expect(clippy::disallowed_types, reason = "public helper; not the call path")]
    pub fn sign(&self, secret: &str, params: &Map<String, Value>) -> String {
        hmac_base64(secret, &self.string_to_sign(params))
    }
}

/// [`CommonParams::string_to_sign`] over `(name, raw value)` pairs: strings
/// unquoted, anything else as its compact JSON text.
pub(crate) fn canonical<'a>(
    pairs: impl Iterator<Item = (&'a str, Cow<'a, str>)>,
    signature: &str,
) -> String {
    let mut entries: Vec<(&str, Cow<'_, str>)> = pairs
        .filter(|(k, v)| *k != signature && !v.is_empty())
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

    #[test]
    fn the_signature_left_out_is_the_one_the_service_names() {
        let names = CommonParams {
            signature: "Sig",
            ..CommonParams::DEFAULT
        };
        let params = json!({"A": "1", "Sig": "old", "Signature": "business"});
        let params = params.as_object().unwrap();
        assert_eq!(names.string_to_sign(params), "A=1&Signature=business");
        assert_eq!(string_to_sign(params), "A=1&Sig=old");
        assert_eq!(
            names.sign("k", params),
            hmac_base64("k", "A=1&Signature=business")
        );
    }
}
