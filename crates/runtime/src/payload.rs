//! The payload of a successful reply: the JSON object the response type
//! decodes from, kept as a range of the reply text where it can be; and
//! [`read`], what a reply envelope means, for HTTP calls and calls over the
//! channel alike.

use std::ops::Range;

use crate::envelope::{self, Detail, Kind, Malformed, Members, Outcome};
use crate::error::{ErrorData, ErrorKind};

/// A successful reply: `text[range]` is the JSON object the response type
/// decodes from.
pub(crate) struct Payload {
    pub(crate) text: String,
    pub(crate) range: Range<usize>,
}

impl Payload {
    pub(crate) fn json(&self) -> &str {
        &self.text[self.range.clone()]
    }
}

/// What a reply envelope means to a call, HTTP or channel alike; what
/// else a failure needs (a status, a path under the frame) is the caller's.
pub(crate) enum Reply {
    /// A success envelope, and the `RequestId` it echoed (read only at
    /// [`Detail::Members`]). The payload is an error when a `Data`-wrapped
    /// action's `Data` is not an object.
    Success {
        payload: Result<Located, Box<ErrorData>>,
        request_id: Option<String>,
    },
    /// An error envelope, as the call's error.
    Api(Box<ErrorData>),
    /// Not an envelope.
    Malformed(Malformed),
}

/// Where a success's payload is, found without holding a borrow of the
/// reply, so that the reply can then be moved into the [`Payload`].
pub(crate) enum Located {
    /// `text[range]` of the reply that was read: no copy.
    Within(Range<usize>),
    /// A text of its own (a `Data`-wrapped payload).
    Own(Payload),
}

impl Located {
    /// The payload, given the reply text [`read`] was handed.
    pub(crate) fn into_payload(self, text: String) -> Payload {
        match self {
            Located::Within(range) => Payload { text, range },
            Located::Own(payload) => payload,
        }
    }
}

/// Reads `text` as a reply envelope. `detail` is what the caller needs
/// beyond what the operation does: a `Data`-wrapped payload
/// (`data_wrapper`) is always read to its members.
pub(crate) fn read(text: &str, data_wrapper: bool, detail: Detail) -> Reply {
    let detail = if data_wrapper {
        Detail::Members
    } else {
        detail
    };
    match envelope::parse(text, detail) {
        Ok(Outcome::ApiError {
            code,
            message,
            request_id,
        }) => {
            let mut e = ErrorData::api(code, message);
            e.request_id = request_id;
            Reply::Api(e)
        }
        Ok(Outcome::Success {
            payload,
            request_id,
        }) => {
            let payload = if data_wrapper {
                unwrap_data(payload).map(Located::Own)
            } else {
                Ok(match subslice_range(text, payload.json) {
                    Some(range) => Located::Within(range),
                    // `parse` borrows the payload from `text`, so this is
                    // not reached; a copy would still be correct.
                    None => {
                        let text = payload.json.to_owned();
                        let range = 0..text.len();
                        Located::Own(Payload { text, range })
                    }
                })
            };
            Reply::Success {
                payload,
                request_id,
            }
        }
        Err(malformed) => Reply::Malformed(malformed),
    }
}

/// Where `inner` sits in `outer`, if it is a part of it; lets the payload
/// be kept as a range of the reply instead of a copy.
fn subslice_range(outer: &str, inner: &str) -> Option<Range<usize>> {
    let start = (inner.as_ptr() as usize).checked_sub(outer.as_ptr() as usize)?;
    let end = start.checked_add(inner.len())?;
    (end <= outer.len() && outer.is_char_boundary(start) && outer.is_char_boundary(end))
        .then_some(start..end)
}

/// The payload of an action whose outputs sit in `Data`: that object, with
/// the envelope's `RequestId` added unless `Data` has its own.
fn unwrap_data(payload: envelope::FoundPayload<'_>) -> Result<Payload, Box<ErrorData>> {
    let what = match payload.members.data {
        Some(data) if envelope::kind(data) == Kind::Object => {
            let has_own_id = Members::of(data, "Data").is_ok_and(|m| m.request_id.is_some());
            let text = match payload.members.request_id {
                Some(id) if !has_own_id => with_first_member(data.get(), "RequestId", id.get()),
                _ => data.get().to_owned(),
            };
            let range = 0..text.len();
            return Ok(Payload { text, range });
        }
        None => "missing; this action's outputs are expected inside `Data`",
        Some(data) if envelope::kind(data) == Kind::Null => {
            "null; this action's outputs are expected inside `Data`"
        }
        Some(_) => "expected an object",
    };
    let mut e = ErrorData::new(ErrorKind::Decode, what);
    e.path = Some("Data".into());
    Err(e)
}

/// `object` (the text of a JSON object) with `"name": value` put first.
fn with_first_member(object: &str, name: &str, value: &str) -> String {
    let rest = object.strip_prefix('{').unwrap_or(object);
    let separator = if rest.trim_start().starts_with('}') {
        ""
    } else {
        ","
    };
    let mut out = String::with_capacity(object.len() + name.len() + value.len() + 4);
    out.push('{');
    // Writing a `&str` as JSON cannot fail.
    out.push_str(&serde_json::to_string(name).unwrap_or_default());
    out.push(':');
    out.push_str(value);
    out.push_str(separator);
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subslices_are_found_and_others_are_not() {
        let outer = String::from(r#"{"Response":{"A":"中"}}"#);
        let inner = &outer[12..outer.len() - 1];
        assert_eq!(subslice_range(&outer, inner), Some(12..outer.len() - 1));
        let elsewhere = inner.to_owned();
        assert_eq!(subslice_range(&outer, &elsewhere), None);
    }

    /// The payload text of a data-wrapped reply, as the response type sees it.
    fn data_payload(reply: &str) -> Result<String, String> {
        match envelope::parse(reply, envelope::Detail::Members) {
            Ok(envelope::Outcome::Success { payload, .. }) => unwrap_data(payload)
                .map(|p| p.json().to_owned())
                .map_err(|e| format!("{e:?}")),
            other => panic!("{reply}: {other:?}"),
        }
    }

    #[test]
    fn data_wrapped_payloads_are_data_with_the_request_id_first() {
        assert_eq!(
            data_payload(r#"{"Response":{"Data":{"Token":"t","N":1},"RequestId":"r\"1"}}"#),
            Ok(r#"{"RequestId":"r\"1","Token":"t","N":1}"#.to_owned())
        );
        assert_eq!(
            data_payload(r#"{"Response":{"Data":{ },"RequestId":"r"}}"#),
            Ok(r#"{"RequestId":"r" }"#.to_owned())
        );
        assert_eq!(
            data_payload(r#"{"code":0,"msg":"ok","data":{"Data":{"A":[1]},"RequestId":"r"}}"#),
            Ok(r#"{"RequestId":"r","A":[1]}"#.to_owned())
        );
        // `Data`'s own id wins, and no id at all adds none.
        assert_eq!(
            data_payload(r#"{"Response":{"Data":{"RequestId":"inner"},"RequestId":"outer"}}"#),
            Ok(r#"{"RequestId":"inner"}"#.to_owned())
        );
        assert_eq!(
            data_payload(r#"{"Response":{"Data":{"A":1}}}"#),
            Ok(r#"{"A":1}"#.to_owned())
        );
        assert!(data_payload(r#"{"Response":{"Data":[],"RequestId":"r"}}"#).is_err());
    }

    #[test]
    fn a_member_goes_first_in_an_object() {
        assert_eq!(with_first_member("{}", "R", "\"x\""), r#"{"R":"x"}"#);
        assert_eq!(with_first_member("{ }", "R", "1"), r#"{"R":1 }"#);
        assert_eq!(
            with_first_member(r#"{"A":1}"#, "R", "null"),
            r#"{"R":null,"A":1}"#
        );
        assert_eq!(with_first_member("{}", "a\"b", "1"), r#"{"a\"b":1}"#);
    }
}
