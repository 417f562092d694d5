//! A pushed change from its frame: the frame, the JSON text in its
//! `params`, the base64 `Payload`, and the JSON document inside that.
//!
//! This is the channel's hot path (`crates/bench`, `channel_decode`): the
//! frame and `params` are read into borrowed structs, and the payload,
//! which is free-form, is checked to be JSON and kept as text: no `Value`
//! tree is built.

use std::borrow::Cow;

use base64::Engine as _;
use base64::engine::DecodePaddingMode;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use serde::Deserialize;

use serde_json::value::RawValue;

use super::ChangePayload;

use super::fast;
use super::frame::{self, BadFrame, DEVICE_CHANGE, Incoming};
use super::{DeviceChange, WireEnum};
use crate::envelope::{Kind, kind};
use crate::error::{ErrorData, ErrorKind, excerpt};
use crate::{Error, ErrorCodeType, lenient};

/// Characters of a frame quoted in an error message.
const EXCERPT_CHARS: usize = 200;

/// Standard base64, with or without padding, and tolerant of nonzero
/// trailing bits: encoders differ on both, and neither loses data.
const BASE64: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new()
        .with_decode_padding_mode(DecodePaddingMode::Indifferent)
        .with_decode_allow_trailing_bits(true),
);

/// The members of `params`; strings are borrowed when they hold no escape.
#[derive(Debug, Default, Deserialize)]
pub(super) struct RawChange<'a> {
    #[serde(rename = "Time", borrow, default)]
    pub(super) time: Option<Cow<'a, str>>,
    #[serde(rename = "Type", borrow, default)]
    pub(super) kind: Option<Cow<'a, str>>,
    #[serde(rename = "SubType", borrow, default)]
    pub(super) sub_kind: Option<Cow<'a, str>>,
    #[serde(rename = "Topic", borrow, default)]
    pub(super) topic: Option<Cow<'a, str>>,
    #[serde(rename = "Payload", borrow, default)]
    pub(super) payload: Option<Cow<'a, str>>,
    #[serde(rename = "Seq", default, deserialize_with = "lenient::option")]
    pub(super) seq: Option<i64>,
    #[serde(rename = "DeviceId", borrow, default)]
    pub(super) device_id: Option<Cow<'a, str>>,
}

/// Decodes one frame from the channel into the change it pushes: `None`
/// for a frame that is not a `DeviceChange` push (a reply, another push).
///
/// This is what a [`DeviceChanges`](super::DeviceChanges) stream does with
/// each frame, for callers that read the socket themselves. A frame that
/// is not JSON, whose `params` is not a JSON object in a string, that lacks
/// `Type` or `SubType`, or whose `Payload` is not base64 of a JSON document
/// is an [`ErrorKind::Decode`] error whose
/// [`decode_path`](Error::decode_path) names the member at fault.
pub fn decode_push<C: ErrorCodeType, K: WireEnum, S: WireEnum>(
    frame: &str,
) -> Result<Option<DeviceChange<K, S>>, Error<C>> {
    if let Some(change) = quick(frame) {
        return change.map(Some).map_err(Error::from_data);
    }
    match frame::parse(frame) {
        Ok(Incoming::Change { params }) => {
            change(params, frame).map(Some).map_err(Error::from_data)
        }
        Ok(_) => Ok(None),
        Err(bad) => Err(Error::from_data(bad_frame(bad, frame))),
    }
}

/// A frame that could not be read, as a decode error quoting its start.
pub(crate) fn bad_frame(bad: BadFrame, frame: &str) -> Box<ErrorData> {
    let message = format!(
        "{}; the frame starts: {}",
        bad.what,
        excerpt(frame.as_bytes(), EXCERPT_CHARS)
    );
    let mut e = ErrorData::new(ErrorKind::Decode, message).with_action(DEVICE_CHANGE);
    e.path = bad.path.map(str::to_owned);
    e
}

/// A frame whose member at `path` is wrong, as [`bad_frame`] reports it.
fn bad_member(path: &'static str, what: String, frame: &str) -> Box<ErrorData> {
    bad_frame(
        BadFrame {
            what,
            path: Some(path),
        },
        frame,
    )
}

/// The change in a `DeviceChange` push whose `params` member is `params`
/// (as written in the frame: a string literal holding a JSON object);
/// `frame` is quoted in errors.
pub(crate) fn change<K: WireEnum, S: WireEnum>(
    params: Option<&RawValue>,
    frame: &str,
) -> Result<DeviceChange<K, S>, Box<ErrorData>> {
    let fail = |path, what| bad_member(path, what, frame);
    let Some(params) = params.filter(|p| kind(p) == Kind::String) else {
        return Err(fail(
            "params",
            "expected a string holding a JSON object".into(),
        ));
    };
    let unescaped: String;
    let raw = match fast::read(params.get()) {
        Some(raw) => raw,
        None => {
            // A valid string literal (the frame was read), so this holds.
            unescaped = serde_json::from_str(params.get())
                .map_err(|e| fail("params", format!("not a string ({e})")))?;
            serde_json::from_str(&unescaped)
                .map_err(|e| fail("params", format!("not a JSON object of a change ({e})")))?
        }
    };
    from_raw(raw, frame)
}

/// The change of a frame written as the docs show it, read the quick way
/// (see `fast.rs`); `None` for any other frame, which
/// [`frame::parse`] then reads.
pub(crate) fn quick<K: WireEnum, S: WireEnum>(
    frame: &str,
) -> Option<Result<DeviceChange<K, S>, Box<ErrorData>>> {
    fast::push(frame).map(|raw| from_raw(raw, frame))
}

/// The change from the members of its `params`.
fn from_raw<K: WireEnum, S: WireEnum>(
    raw: RawChange<'_>,
    frame: &str,
) -> Result<DeviceChange<K, S>, Box<ErrorData>> {
    let fail = |path, what| bad_member(path, what, frame);
    let Some(kind) = raw.kind else {
        return Err(fail("params.Type", "missing".into()));
    };
    let Some(sub_kind) = raw.sub_kind else {
        return Err(fail("params.SubType", "missing".into()));
    };
    let payload = match raw.payload.as_deref() {
        None | Some("") => None,
        Some(b64) => Some(payload(b64).map_err(|what| fail("params.Payload", what))?),
    };
    Ok(DeviceChange {
        device_id: raw.device_id.map(Cow::into_owned),
        kind: K::from(&kind),
        sub_kind: S::from(&sub_kind),
        time: raw.time.map(Cow::into_owned).unwrap_or_default(),
        topic: raw.topic.map(Cow::into_owned).unwrap_or_default(),
        payload,
        seq: raw.seq,
    })
}

fn payload(b64: &str) -> Result<ChangePayload, String> {
    thread_local! {
        /// The decoded bytes are needed only until they are parsed; one
        /// buffer per thread saves an allocation per change.
        static BYTES: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    BYTES.with(|cell| match cell.try_borrow_mut() {
        Ok(mut bytes) => {
            bytes.clear();
            let out = payload_from(b64, &mut bytes);
            if bytes.capacity() > MAX_KEPT_BYTES {
                *bytes = Vec::new();
            }
            out
        }
        // Not reached (nothing here re-enters); a fresh buffer is correct.
        Err(_) => payload_from(b64, &mut Vec::new()),
    })
}

/// Largest decode buffer kept for the next change.
const MAX_KEPT_BYTES: usize = 64 * 1024;

fn payload_from(b64: &str, bytes: &mut Vec<u8>) -> Result<ChangePayload, String> {
    BASE64
        .decode_vec(b64.as_bytes(), bytes)
        .map_err(|e| format!("not base64 ({e})"))?;
    // Checked whole, at once, rather than string by string as
    // `from_slice` would.
    let text = std::str::from_utf8(bytes).map_err(|_| {
        format!(
            "the base64 decodes to {} bytes that are not UTF-8 text",
            bytes.len()
        )
    })?;
    ChangePayload::new(text).map_err(|e| {
        format!(
            "the base64 decodes to text that is not JSON ({e}): {}",
            excerpt(text.as_bytes(), EXCERPT_CHARS)
        )
    })
}

#[cfg(test)]
#[allow(
    clippy::disallowed_types,
    clippy::disallowed_methods,
    reason = "tests compare payloads as values"
)]
mod tests {
    use super::*;
    use serde_json::json;

    #[derive(Clone, Debug, PartialEq, Eq, Hash)]
    struct Code(String);
    impl From<&str> for Code {
        fn from(s: &str) -> Self {
            Code(s.to_owned())
        }
    }
    impl std::fmt::Display for Code {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str(&self.0)
        }
    }
    impl ErrorCodeType for Code {
        fn as_str(&self) -> &str {
            &self.0
        }
    }

    fn decode(frame: &str) -> Result<Option<DeviceChange>, Error<Code>> {
        decode_push::<Code, String, String>(frame)
    }

    /// The docs' first example, verbatim.
    const DOCS_EVENT: &str = r#"{"push": true, "action": "DeviceChange", "params": "{\"Time\":\"2019-03-28T15:17:35+08:00\",\"Type\":\"Event\",\"SubType\":\"Report\",\"Topic\":\"$thing/up/event/LQCSPUNOZ9/testDerive1\",\"Payload\":\"eyJtZXRob2QiOiJldmVudF9wb3N0IiwiY2xpZW50VG9rZW4iOiIxMjMiLCJ2ZXJzaW9uIjoiMS4wIiwiZXZlbnRJZCI6InN0YXR1c19yZXBvcnQiLCJ0aW1lc3RhbXAiOjAsInBhcmFtcyI6eyJzdGF0dXMiOjAsIm1lc3NhZ2UiOiJEZXZpY2VPSyJ9fQ==\",\"Seq\":38,\"DeviceId\":\"LQCSPUNOZ9/testDerive\"}"}"#;

    #[test]
    fn the_documented_push_decodes() {
        let c = decode(DOCS_EVENT).unwrap().unwrap();
        assert_eq!(c.device_id.as_deref(), Some("LQCSPUNOZ9/testDerive"));
        assert_eq!((c.kind.as_str(), c.sub_kind.as_str()), ("Event", "Report"));
        assert_eq!(c.time, "2019-03-28T15:17:35+08:00");
        assert_eq!(c.topic, "$thing/up/event/LQCSPUNOZ9/testDerive1");
        assert_eq!(c.seq, Some(38));
        assert_eq!(
            c.payload.and_then(|p| p.value().ok()),
            Some(
                json!({"method": "event_post", "clientToken": "123", "version": "1.0",
                        "eventId": "status_report", "timestamp": 0,
                        "params": {"status": 0, "message": "DeviceOK"}})
            )
        );
    }

    #[test]
    fn status_changes_have_no_payload_and_may_lack_a_device() {
        let params = json!({"Time": "2019-03-28T15:17:33+08:00", "Type": "StatusChange",
                            "SubType": "Online", "Topic": "", "Payload": "", "Seq": "6"});
        let frame = json!({"push": true, "action": "DeviceChange", "params": params.to_string()});
        let c = decode(&frame.to_string()).unwrap().unwrap();
        assert_eq!((c.payload, c.device_id, c.seq), (None, None, Some(6)));
    }

    #[test]
    fn other_frames_are_not_changes() {
        assert!(
            decode(r#"{"reqId":"1","error":"","data":{}}"#)
                .unwrap()
                .is_none()
        );
        assert!(
            decode(r#"{"push":true,"action":"Other","params":"x"}"#)
                .unwrap()
                .is_none()
        );
    }

    #[test]
    fn malformed_frames_name_the_member_at_fault() {
        let with_params =
            |p: &str| json!({"push": true, "action": "DeviceChange", "params": p}).to_string();
        let cases = [
            ("{\"push\":true".to_owned(), None),
            (
                r#"{"push":true,"action":"DeviceChange","params":{"Type":"Event"}}"#.to_owned(),
                Some("params"),
            ),
            (with_params("not json"), Some("params")),
            (with_params(r#"{"SubType":"Report"}"#), Some("params.Type")),
            (with_params(r#"{"Type":"Event"}"#), Some("params.SubType")),
            (
                with_params(r#"{"Type":"Event","SubType":"Report","Seq":"x"}"#),
                Some("params"),
            ),
            (
                with_params(r#"{"Type":"Event","SubType":"Report","Payload":"%%%"}"#),
                Some("params.Payload"),
            ),
            // The docs' Template example: valid base64 of text that is not
            // JSON (control characters where quotes belong).
            (
                with_params(
                    r#"{"Type":"Template","SubType":"Report","Payload":"eyJ0eXBlIjoIdXBkYXRlIiwic3RhdGUiOnsicmVwb3J0ZWQiOnsIdGVzdF9udW1fc3RhcnQiOjcsImxpZ2h0X3N3aXRjaCI6MSwiY29sb3IiOjEsImJyaWdodG5lc3MiOjQxfX0sInZlcnNpb24iOjE1NSwiY2xpZW50VG9rZW4iOiJBUEktQ29udHJvbERldmljZURhdGEtMTU1NDk1MzExMCJ9"}"#,
                ),
                Some("params.Payload"),
            ),
        ];
        for (frame, path) in cases {
            let e = decode(&frame).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::Decode, "{frame}");
            assert_eq!(e.decode_path(), path, "{frame}: {e}");
            assert_eq!(e.action(), Some("DeviceChange"));
            assert!(e.to_string().contains("the frame starts"), "{e}");
        }
    }

    #[test]
    fn base64_padding_is_optional() {
        let b64 = |p: &str| {
            json!({"push": true, "action": "DeviceChange",
                   "params": json!({"Type": "Event", "SubType": "Report", "Payload": p}).to_string()})
            .to_string()
        };
        for p in ["eyJhIjoxfQ==", "eyJhIjoxfQ"] {
            let c = decode(&b64(p)).unwrap().unwrap();
            assert_eq!(
                c.payload.and_then(|p| p.value().ok()),
                Some(json!({"a": 1}))
            );
        }
    }
}
