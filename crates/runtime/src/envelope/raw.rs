//! An envelope level read as borrowed raw JSON: the few members the client
//! looks at, and what kind of value a raw member is, without building a
//! tree.

use std::fmt;

use serde::Deserialize;
use serde::de::{self, IgnoredAny, MapAccess, Visitor};
use serde_json::value::RawValue;

use super::Malformed;

/// The members of an envelope level that mean something to the client,
/// as raw JSON; a member that is present with `null` is `Some("null")`.
/// A name sent twice keeps its last value, as a JSON object read into a map
/// would.
#[derive(Debug, Default)]
pub(crate) struct Members<'a> {
    /// How many members the object has, the ignored ones included.
    pub(super) len: usize,
    pub(super) response: Option<&'a RawValue>,
    pub(super) code: Option<&'a RawValue>,
    pub(super) msg: Option<&'a RawValue>,
    pub(super) data_lower: Option<&'a RawValue>,
    pub(super) error: Option<&'a RawValue>,
    /// `Data`, where some actions put their outputs.
    pub(crate) data: Option<&'a RawValue>,
    pub(crate) request_id: Option<&'a RawValue>,
    pub(super) request_id_camel: Option<&'a RawValue>,
    pub(super) req_id: Option<&'a RawValue>,
}

#[derive(Deserialize)]
#[serde(field_identifier)]
enum Key {
    Response,
    #[serde(rename = "code")]
    Code,
    #[serde(rename = "msg")]
    Msg,
    #[serde(rename = "data")]
    DataLower,
    Error,
    Data,
    RequestId,
    #[serde(rename = "requestId")]
    RequestIdCamel,
    #[serde(rename = "reqId")]
    ReqId,
    #[serde(other)]
    Other,
}

impl<'de> Deserialize<'de> for Members<'de> {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Members<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Members<'de>, A::Error> {
                let mut m = Members::default();
                while let Some(key) = map.next_key::<Key>()? {
                    m.len += 1;
                    let slot = match key {
                        Key::Response => &mut m.response,
                        Key::Code => &mut m.code,
                        Key::Msg => &mut m.msg,
                        Key::DataLower => &mut m.data_lower,
                        Key::Error => &mut m.error,
                        Key::Data => &mut m.data,
                        Key::RequestId => &mut m.request_id,
                        Key::RequestIdCamel => &mut m.request_id_camel,
                        Key::ReqId => &mut m.req_id,
                        Key::Other => {
                            map.next_value::<IgnoredAny>()?;
                            continue;
                        }
                    };
                    *slot = Some(map.next_value()?);
                }
                Ok(m)
            }
        }
        d.deserialize_map(V)
    }
}

impl<'a> Members<'a> {
    /// The members of `raw`, which must be a JSON object; `path` names it
    /// in the error otherwise.
    pub(crate) fn of(raw: &'a RawValue, path: &str) -> Result<Members<'a>, Malformed> {
        if kind(raw) != Kind::Object {
            return Err(Malformed::at(
                path,
                format!("expected an object, got {}", kind(raw)),
            ));
        }
        // Valid JSON and an object, so this cannot fail; an error would
        // still be reported rather than trusted away.
        serde_json::from_str(raw.get()).map_err(|e| Malformed::at(path, e.to_string()))
    }

    /// Whether the object has no members at all.
    pub(crate) fn is_empty(&self) -> bool {
        self.len == 0
    }
}

/// What a raw JSON value is, from its first character.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Null,
    Boolean,
    Number,
    String,
    Array,
    Object,
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Kind::Null => "null",
            Kind::Boolean => "a boolean",
            Kind::Number => "a number",
            Kind::String => "a string",
            Kind::Array => "an array",
            Kind::Object => "an object",
        })
    }
}

pub(crate) fn kind(raw: &RawValue) -> Kind {
    // A `RawValue` is one valid JSON value without surrounding whitespace.
    match raw.get().as_bytes().first() {
        Some(b'n') => Kind::Null,
        Some(b't' | b'f') => Kind::Boolean,
        Some(b'"') => Kind::String,
        Some(b'[') => Kind::Array,
        Some(b'{') => Kind::Object,
        _ => Kind::Number,
    }
}

/// A raw value that is a JSON string, unescaped.
pub(crate) fn as_string(raw: Option<&RawValue>) -> Option<String> {
    raw.filter(|r| kind(r) == Kind::String)
        .and_then(|r| serde_json::from_str(r.get()).ok())
}
