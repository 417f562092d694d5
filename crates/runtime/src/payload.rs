//! The payload of a successful reply: the JSON object the response type
//! decodes from, kept as a range of the reply text where it can be.

use std::ops::Range;

use crate::envelope::{self, Kind, Members};
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

/// Where `inner` sits in `outer`, if it is a part of it; lets the payload
/// be kept as a range of the reply instead of a copy.
pub(crate) fn subslice_range(outer: &str, inner: &str) -> Option<Range<usize>> {
    let start = (inner.as_ptr() as usize).checked_sub(outer.as_ptr() as usize)?;
    let end = start.checked_add(inner.len())?;
    (end <= outer.len() && outer.is_char_boundary(start) && outer.is_char_boundary(end))
        .then_some(start..end)
}

/// The payload of an action whose outputs sit in `Data`: that object, with
/// the envelope's `RequestId` added unless `Data` has its own.
pub(crate) fn unwrap_data(payload: envelope::FoundPayload<'_>) -> Result<Payload, Box<ErrorData>> {
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
