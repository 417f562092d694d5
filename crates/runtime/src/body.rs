//! The request body, written once per call straight from the request's
//! `Serialize` impl.
//!
//! The body is JSON text from the start. No `serde_json::Value` tree is
//! built: on a small call, that tree and a copy of it per attempt cost about
//! as much as the rest of the client's own work. What the client needs to
//! know about the request's members (their names, to refuse the ones it
//! supplies itself, and their values, for the pre-login signature) is kept
//! as ranges into the text.

mod serialize;

use std::borrow::Cow;
use std::fmt;
use std::ops::Range;

use serde::Serialize;
use serde::ser;

use crate::{Auth, CommonParams, Operation};
use serialize::TopLevel;

/// The parameters a call writes itself; a request that sets one is refused
/// rather than silently overwritten.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Reserved<'a> {
    pub(crate) names: &'a CommonParams,
    pub(crate) auth: Auth,
}

/// A JSON object under construction: `{` and the members so far, without
/// the closing `}`, so that per-attempt credentials can still be appended.
#[derive(Debug, Clone)]
pub(crate) struct Body {
    text: Vec<u8>,
    /// Every member: its name and where its JSON value sits in `text`.
    members: Vec<(Cow<'static, str>, Range<usize>)>,
}

/// Why a request cannot be sent; the message is complete on its own.
#[derive(Debug)]
pub(crate) struct BodyError(pub(crate) String);

impl fmt::Display for BodyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for BodyError {}

impl ser::Error for BodyError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        BodyError(format!("the request could not be serialized: {msg}"))
    }
}

fn json_error(e: serde_json::Error) -> BodyError {
    <BodyError as ser::Error>::custom(e)
}

impl Body {
    /// The request's own members.
    ///
    /// `request` must serialize to a JSON object, or to `null` for no
    /// parameters. Top-level `null` members are left out: `null` means "not
    /// set" for every field the generator emits, and sending it would make
    /// the signature depend on how a server formats null. A member the
    /// client supplies itself (one of `reserved`) is refused.
    pub(crate) fn from_request<Req: Serialize + ?Sized>(
        request: &Req,
        reserved: Reserved<'_>,
    ) -> Result<Body, BodyError> {
        let mut body = Body {
            text: Vec::with_capacity(256),
            // Requests, the common parameters and the credentials: most
            // bodies have fewer members than this.
            members: Vec::with_capacity(16),
        };
        body.text.push(b'{');
        request.serialize(TopLevel {
            body: &mut body,
            reserved,
        })?;
        Ok(body)
    }

    /// Adds the operation's fixed parameters, the action and the request id:
    /// the part of the body that is the same for every attempt.
    pub(crate) fn add_common(
        &mut self,
        op: &Operation,
        names: &CommonParams,
        request_id: &str,
    ) -> Result<(), BodyError> {
        self.add_fixed(op)?;
        self.push_str(names.action, op.action)?;
        self.push_str(names.request_id, request_id)
    }

    /// Adds the operation's fixed parameters, refusing a request that sets
    /// one to another value. A call over the channel adds only these: its
    /// action and request id go beside the parameters, not among them.
    pub(crate) fn add_fixed(&mut self, op: &Operation) -> Result<(), BodyError> {
        for (name, fixed) in op.fixed_params {
            match self.member(name) {
                None => self.push_str(name, fixed)?,
                Some(range) if self.text[range.start] == b'"' && self.value(&range) == *fixed => {}
                Some(_) => {
                    return Err(BodyError(format!(
                        "the request sets `{name}`, which this action fixes to `{fixed}`"
                    )));
                }
            }
        }
        Ok(())
    }

    /// Appends a member whose value is a string.
    pub(crate) fn push_str(&mut self, name: &'static str, value: &str) -> Result<(), BodyError> {
        self.push(name.into(), write_value(value))
    }

    /// Appends a member whose value is an unsigned integer.
    pub(crate) fn push_u64(&mut self, name: &'static str, value: u64) -> Result<(), BodyError> {
        self.push(name.into(), write_value(&value))
    }

    /// The finished body: these members and the closing `}`.
    pub(crate) fn into_bytes(mut self) -> Vec<u8> {
        self.text.push(b'}');
        self.text
    }

    /// Every member as `(name, value)`, strings unquoted and unescaped,
    /// anything else as its compact JSON text: what the signature is
    /// computed over.
    pub(crate) fn pairs(&self) -> impl Iterator<Item = (&str, Cow<'_, str>)> {
        self.members
            .iter()
            .map(|(name, range)| (name.as_ref(), self.value(range)))
    }

    /// The values of the members named in `names`, as they could show up
    /// in a server's message: a string unescaped and, when that differs, as
    /// escaped in the body; a number as its text. Other values are left
    /// out: they are not the shape of a password or a code.
    pub(crate) fn values_of(&self, names: &[&str]) -> Vec<String> {
        let mut out = Vec::new();
        if names.is_empty() {
            return out;
        }
        for (name, range) in &self.members {
            if !names.contains(&name.as_ref()) {
                continue;
            }
            let json = String::from_utf8_lossy(&self.text[range.clone()]);
            match json.as_bytes().first() {
                Some(b'"') => {
                    let value = self.value(range).into_owned();
                    let escaped = &json[1..json.len() - 1];
                    if escaped != value {
                        out.push(escaped.to_owned());
                    }
                    out.push(value);
                }
                Some(b'-' | b'0'..=b'9') => out.push(json.into_owned()),
                _ => {}
            }
        }
        out
    }

    fn member(&self, name: &str) -> Option<Range<usize>> {
        self.members
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, r)| r.clone())
    }

    fn value(&self, range: &Range<usize>) -> Cow<'_, str> {
        // serde_json wrote this text, so it is UTF-8 and reads back.
        let json = String::from_utf8_lossy(&self.text[range.clone()]);
        match json {
            Cow::Borrowed(json) if json.starts_with('"') => {
                serde_json::from_str::<Cow<'_, str>>(json).unwrap_or(Cow::Borrowed(json))
            }
            other => other,
        }
    }

    /// A member of the request itself: refused if the client supplies it.
    fn push_request_member(
        &mut self,
        reserved: Reserved<'_>,
        name: Cow<'static, str>,
        write: impl FnOnce(&mut Vec<u8>) -> Result<(), BodyError>,
    ) -> Result<(), BodyError> {
        if reserved.names.is_reserved(reserved.auth, &name) {
            return Err(BodyError(format!(
                "the request sets `{name}`, which the client supplies itself"
            )));
        }
        self.push(name, write)
    }

    /// Writes `name` and the value `write` produces, and takes both back if
    /// the value is `null`.
    fn push(
        &mut self,
        name: Cow<'static, str>,
        write: impl FnOnce(&mut Vec<u8>) -> Result<(), BodyError>,
    ) -> Result<(), BodyError> {
        let rollback = self.text.len();
        if !self.members.is_empty() {
            self.text.push(b',');
        }
        serde_json::to_writer(&mut self.text, name.as_ref()).map_err(json_error)?;
        self.text.push(b':');
        let start = self.text.len();
        write(&mut self.text)?;
        if self.text.len() == start {
            // serde_json writes something for every value; this keeps an
            // empty value (invalid JSON, and a range `add_common` indexes)
            // out should that ever change.
            return Err(BodyError(format!(
                "the request could not be serialized: `{name}` produced no value"
            )));
        }
        if self.text[start..] == *b"null" {
            self.text.truncate(rollback);
        } else {
            let end = self.text.len();
            self.members.push((name, start..end));
        }
        Ok(())
    }
}

pub(super) fn write_value<T: Serialize + ?Sized>(
    value: &T,
) -> impl FnOnce(&mut Vec<u8>) -> Result<(), BodyError> {
    move |text| serde_json::to_writer(text, value).map_err(json_error)
}

#[cfg(test)]
#[allow(
    clippy::disallowed_types,
    clippy::disallowed_methods,
    reason = "tests compare bodies and payloads as values"
)]
mod tests {
    use super::*;
    use serde_json::{Value, json};
    use std::collections::BTreeMap;

    const TOKEN_CALL: Reserved<'static> = Reserved {
        names: &CommonParams::DEFAULT,
        auth: Auth::AccessToken,
    };

    static OP: Operation = Operation {
        action: "A",
        endpoint: "tokenapi",
        auth: Auth::AccessToken,
        fixed_params: &[("KGCommand", "song_url")],
        data_wrapper: false,
        sensitive: &[],
    };

    fn finished<Req: Serialize + ?Sized>(request: &Req) -> Result<Value, String> {
        let mut body = Body::from_request(request, TOKEN_CALL).map_err(|e| e.0)?;
        body.add_common(&OP, &CommonParams::DEFAULT, "rid")
            .map_err(|e| e.0)?;
        Ok(serde_json::from_slice(&body.into_bytes()).expect("the body is JSON"))
    }

    #[derive(Serialize)]
    struct Req {
        #[serde(rename = "X")]
        x: i64,
        #[serde(rename = "Y")]
        y: Option<String>,
        #[serde(rename = "Z", skip_serializing_if = "Option::is_none")]
        z: Option<String>,
        #[serde(rename = "Esc")]
        esc: &'static str,
    }

    #[test]
    fn struct_and_map_requests_give_the_same_body() {
        let expected = json!({"X": 1, "Esc": "a\"b\\c\u{1}中", "KGCommand": "song_url", "Action": "A", "RequestId": "rid"});
        let from_struct = finished(&Req {
            x: 1,
            y: None,
            z: None,
            esc: "a\"b\\c\u{1}中",
        })
        .unwrap();
        assert_eq!(from_struct, expected);
        let from_map = finished(&json!({"X": 1, "Y": null, "Esc": "a\"b\\c\u{1}中"})).unwrap();
        assert_eq!(from_map, expected);
    }

    /// The exact bytes of a finished body.
    fn finished_text<Req: Serialize + ?Sized>(request: &Req) -> String {
        let mut body = Body::from_request(request, TOKEN_CALL).expect("a request");
        body.add_common(&OP, &CommonParams::DEFAULT, "rid")
            .expect("the common parameters");
        String::from_utf8(body.into_bytes()).expect("UTF-8")
    }

    #[test]
    fn map_keys_are_written_as_serde_json_writes_them() {
        const COMMON: &str = r#""KGCommand":"song_url","Action":"A","RequestId":"rid"}"#;
        let strings = BTreeMap::from([("a\"b\\c\u{1}中", 1), ("Plain", 2)]);
        assert_eq!(
            finished_text(&strings),
            format!(r#"{{"Plain":2,"a\"b\\c\u0001中":1,{COMMON}"#)
        );
        let numbers = BTreeMap::from([(-7_i64, "x"), (12, "y")]);
        assert_eq!(
            finished_text(&numbers),
            format!(r#"{{"-7":"x","12":"y",{COMMON}"#)
        );
        let flags = BTreeMap::from([(false, 0), (true, 1)]);
        assert_eq!(
            finished_text(&flags),
            format!(r#"{{"false":0,"true":1,{COMMON}"#)
        );
        let chars = BTreeMap::from([('"', 1)]);
        assert_eq!(finished_text(&chars), format!(r#"{{"\"":1,{COMMON}"#));
        // The name read back from the key is the one checked and signed.
        let body = Body::from_request(&BTreeMap::from([("a\"b", "v")]), TOKEN_CALL).unwrap();
        let pairs: Vec<_> = body.pairs().collect();
        assert_eq!(pairs, [("a\"b", Cow::Borrowed("v"))]);
        let reserved = BTreeMap::from([("Action", 1)]);
        assert!(Body::from_request(&reserved, TOKEN_CALL).is_err());
    }

    #[test]
    fn nothing_to_send_is_an_empty_request() {
        let only_common = json!({"KGCommand": "song_url", "Action": "A", "RequestId": "rid"});
        assert_eq!(finished(&()).unwrap(), only_common);
        assert_eq!(finished(&Option::<Req>::None).unwrap(), only_common);
        assert_eq!(finished(&json!({})).unwrap(), only_common);
        assert_eq!(finished(&json!({"Only": null})).unwrap(), only_common);
    }

    /// Whether a request with the one member `name` is accepted, and the
    /// message if not.
    fn accepts(name: &str, names: &CommonParams, auth: Auth) -> Result<(), String> {
        let request = BTreeMap::from([(name, "t")]);
        Body::from_request(&request, Reserved { names, auth })
            .map(drop)
            .map_err(|e| e.0)
    }

    #[test]
    fn each_auth_mode_reserves_the_names_it_writes() {
        let d = &CommonParams::DEFAULT;
        for name in ["Action", "RequestId", "AccessToken"] {
            let e = accepts(name, d, Auth::AccessToken).unwrap_err();
            assert!(e.contains(name) && e.contains("supplies itself"), "{e}");
        }
        // Business parameters of some token-auth actions, e.g. a device's
        // signature.
        for name in ["AppKey", "Timestamp", "Nonce", "Signature"] {
            assert_eq!(accepts(name, d, Auth::AccessToken), Ok(()), "{name}");
        }
        for name in [
            "Action",
            "RequestId",
            "AppKey",
            "Timestamp",
            "Nonce",
            "Signature",
        ] {
            let e = accepts(name, d, Auth::Signed).unwrap_err();
            assert!(e.contains(name) && e.contains("supplies itself"), "{e}");
        }
        assert_eq!(accepts("AccessToken", d, Auth::Signed), Ok(()));
    }

    #[test]
    fn the_service_names_the_reserved_parameters() {
        let renamed = CommonParams {
            action: "Act",
            request_id: "Rid",
            access_token: "Tok",
            app_key: "Key",
            timestamp: "Ts",
            nonce: "N",
            signature: "Sig",
        };
        for auth in [Auth::AccessToken, Auth::Signed] {
            assert!(accepts("Act", &renamed, auth).is_err());
            assert!(accepts("Rid", &renamed, auth).is_err());
            for name in [
                "Action",
                "RequestId",
                "AccessToken",
                "AppKey",
                "Timestamp",
                "Nonce",
                "Signature",
            ] {
                assert_eq!(accepts(name, &renamed, auth), Ok(()), "{name}");
            }
        }
        assert!(accepts("Tok", &renamed, Auth::AccessToken).is_err());
        assert!(accepts("Sig", &renamed, Auth::Signed).is_err());
        let mut body = Body::from_request(
            &json!({"Action": 1}),
            Reserved {
                names: &renamed,
                auth: Auth::AccessToken,
            },
        )
        .unwrap();
        body.add_common(&OP, &renamed, "r").unwrap();
        assert_eq!(
            String::from_utf8(body.into_bytes()).unwrap(),
            r#"{"Action":1,"KGCommand":"song_url","Act":"A","Rid":"r"}"#
        );
    }

    #[test]
    fn conflicting_fixed_members_are_refused() {
        let e = finished(&json!({"KGCommand": "other"})).unwrap_err();
        assert!(e.contains("fixes to `song_url`"), "{e}");
        assert!(finished(&json!({"KGCommand": 1})).is_err());
        assert_eq!(
            finished(&json!({"KGCommand": "song_url"})).unwrap(),
            json!({"KGCommand": "song_url", "Action": "A", "RequestId": "rid"})
        );
    }

    #[test]
    fn other_shapes_are_refused_with_their_json_kind() {
        assert!(finished(&[1, 2]).unwrap_err().contains("not an array"));
        assert!(finished("x").unwrap_err().contains("not a string"));
        assert!(finished(&3).unwrap_err().contains("not a number"));
        assert!(finished(&true).unwrap_err().contains("not a boolean"));
        let mut non_string_keys = std::collections::BTreeMap::new();
        non_string_keys.insert(vec![1], 2);
        assert!(
            finished(&non_string_keys)
                .unwrap_err()
                .contains("key must be a string")
        );
    }

    #[test]
    fn sensitive_values_are_read_as_sent() {
        let request =
            json!({"P": "a\"b中", "N": 123456, "F": 1.5, "B": true, "O": {"k": "v"}, "Other": "x"});
        let body = Body::from_request(&request, TOKEN_CALL).unwrap();
        let mut values = body.values_of(&["P", "N", "F", "B", "O", "Missing"]);
        values.sort();
        assert_eq!(values, ["1.5", "123456", "a\"b中", "a\\\"b中"]);
        assert!(body.values_of(&[]).is_empty());
    }

    #[test]
    fn pairs_give_raw_values() {
        let mut body = Body::from_request(
            &json!({"S": "a\"b", "N": 1.5, "O": {"k": [1, "two"]}, "E": ""}),
            TOKEN_CALL,
        )
        .unwrap();
        body.push_u64("Timestamp", 7).unwrap();
        let mut pairs: Vec<(String, String)> = body
            .pairs()
            .map(|(k, v)| (k.to_owned(), v.into_owned()))
            .collect();
        // A `json!` map's order depends on serde_json's features.
        pairs.sort();
        assert_eq!(
            pairs,
            [
                ("E".to_owned(), String::new()),
                ("N".to_owned(), "1.5".to_owned()),
                ("O".to_owned(), r#"{"k":[1,"two"]}"#.to_owned()),
                ("S".to_owned(), "a\"b".to_owned()),
                ("Timestamp".to_owned(), "7".to_owned()),
            ]
        );
    }
}
