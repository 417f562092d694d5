//! The channel's frames as text: what the client sends (`ActivePush`,
//! `YunApi`) and what a frame from the server is (a reply, a push, or
//! something to ignore), read without building a `Value` tree.

use std::borrow::Cow;

use serde::Deserialize;
use serde_json::value::RawValue;

use crate::CommonParams;
use crate::envelope::{Kind, kind};

/// The frame `action` of a subscription.
pub(crate) const ACTIVE_PUSH: &str = "ActivePush";
/// The frame `action` of a call.
pub(crate) const YUN_API: &str = "YunApi";
/// The frame `action` of a pushed change.
pub(crate) const DEVICE_CHANGE: &str = "DeviceChange";

/// Appends `s` as a JSON string.
fn push_json_str(out: &mut String, s: &str) {
    // Writing a `&str` as JSON cannot fail.
    out.push_str(&serde_json::to_string(s).unwrap_or_default());
}

/// `{"action":"ActivePush","reqId":…,"params":{"AccessToken":…,"DeviceIds":[…]}}`.
pub(crate) fn subscribe(
    names: &CommonParams,
    req_id: &str,
    token: &str,
    devices: &[String],
) -> String {
    let mut out = String::with_capacity(96 + token.len() + devices.len() * 32);
    out.push_str("{\"action\":\"");
    out.push_str(ACTIVE_PUSH);
    out.push_str("\",\"reqId\":");
    push_json_str(&mut out, req_id);
    out.push_str(",\"params\":{");
    push_json_str(&mut out, names.access_token);
    out.push(':');
    push_json_str(&mut out, token);
    out.push_str(",\"DeviceIds\":");
    push_device_ids(&mut out, devices);
    out.push_str("}}");
    out
}

fn push_device_ids(out: &mut String, devices: &[String]) {
    out.push('[');
    for (i, d) in devices.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_json_str(out, d);
    }
    out.push(']');
}

/// `{"DeviceIds":[…]}`, the heartbeat's `ActionParams`.
pub(crate) fn heartbeat_params(devices: &[String]) -> String {
    let mut out = String::from("{\"DeviceIds\":");
    push_device_ids(&mut out, devices);
    out.push('}');
    out
}

/// `{"action":"YunApi","reqId":…,"params":{"Action":…,"RequestId":…,"AccessToken":…,"ActionParams":…}}`;
/// `action_params` is the JSON text of an object. The request id doubles
/// as the frame's `reqId`, so that one id finds the call in both logs.
pub(crate) fn yun_api(
    names: &CommonParams,
    request_id: &str,
    action: &str,
    token: &str,
    action_params: &str,
) -> String {
    let mut out = String::with_capacity(160 + token.len() + action_params.len());
    out.push_str("{\"action\":\"");
    out.push_str(YUN_API);
    out.push_str("\",\"reqId\":");
    push_json_str(&mut out, request_id);
    out.push_str(",\"params\":{");
    push_json_str(&mut out, names.action);
    out.push(':');
    push_json_str(&mut out, action);
    out.push(',');
    push_json_str(&mut out, names.request_id);
    out.push(':');
    push_json_str(&mut out, request_id);
    out.push(',');
    push_json_str(&mut out, names.access_token);
    out.push(':');
    push_json_str(&mut out, token);
    out.push_str(",\"ActionParams\":");
    out.push_str(action_params);
    out.push_str("}}");
    out
}

/// A frame from the server, borrowed from its text.
#[derive(Debug)]
pub(crate) enum Incoming<'a> {
    /// `{"push": true, "action": "DeviceChange", "params": "<JSON text>"}`;
    /// `params` is the member as it is written (a string literal, escapes
    /// and all, if the frame is as documented), read later.
    Change { params: Option<&'a RawValue> },
    /// A reply to the frame the client sent with this `reqId`.
    Reply(Reply<'a>),
    /// A push of another action, or a frame without `push` or `reqId`:
    /// nothing the client asked for. Kept for a debug log.
    Other { action: Option<Cow<'a, str>> },
}

/// A reply frame: `{"reqId", "error", "error_message", "data"}`.
#[derive(Debug)]
pub(crate) struct Reply<'a> {
    pub(crate) req_id: String,
    /// `error`, when it says something went wrong: a non-empty string, or
    /// a number other than 0.
    pub(crate) error: Option<String>,
    pub(crate) error_message: Option<String>,
    pub(crate) data: Option<&'a RawValue>,
}

/// Why a frame could not be read; `path` names the member at fault.
#[derive(Debug)]
pub(crate) struct BadFrame {
    pub(crate) what: String,
    pub(crate) path: Option<&'static str>,
}

#[derive(Deserialize)]
struct Raw<'a> {
    #[serde(default)]
    push: Option<bool>,
    #[serde(borrow, default)]
    action: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    params: Option<&'a RawValue>,
    #[serde(rename = "reqId", borrow, default)]
    req_id: Option<&'a RawValue>,
    #[serde(borrow, default)]
    error: Option<&'a RawValue>,
    #[serde(borrow, default)]
    error_message: Option<&'a RawValue>,
    #[serde(borrow, default)]
    data: Option<&'a RawValue>,
}

/// What the frame `text` is.
pub(crate) fn parse(text: &str) -> Result<Incoming<'_>, BadFrame> {
    let raw: Raw<'_> = serde_json::from_str(text).map_err(|e| {
        let what = match serde_json::from_str::<&RawValue>(text) {
            Err(e) => format!("the frame is not JSON ({e})"),
            Ok(v) if kind(v) != Kind::Object => {
                format!("expected a JSON object, got {}", kind(v))
            }
            Ok(_) => format!("the frame could not be read ({e})"),
        };
        BadFrame { what, path: None }
    })?;
    if raw.push == Some(true) {
        if raw.action.as_deref() == Some(DEVICE_CHANGE) {
            return Ok(Incoming::Change { params: raw.params });
        }
        return Ok(Incoming::Other { action: raw.action });
    }
    let Some(req_id) = raw.req_id.and_then(scalar_text) else {
        return Ok(Incoming::Other { action: raw.action });
    };
    let error = raw.error.and_then(scalar_text).filter(|e| e != "0");
    Ok(Incoming::Reply(Reply {
        req_id,
        error,
        error_message: raw
            .error_message
            .and_then(scalar_text)
            .filter(|m| !m.is_empty()),
        data: raw.data,
    }))
}

/// A string's text or a number's, `None` for anything else and for an
/// empty string.
fn scalar_text(raw: &RawValue) -> Option<String> {
    match kind(raw) {
        Kind::String => serde_json::from_str::<String>(raw.get())
            .ok()
            .filter(|s| !s.is_empty()),
        Kind::Number => Some(raw.get().to_owned()),
        _ => None,
    }
}

/// The accepted devices of a subscription reply's `data`:
/// `{"deviceIds": [...]}`.
pub(crate) fn accepted_devices(data: Option<&RawValue>) -> Result<Vec<String>, BadFrame> {
    #[derive(Deserialize)]
    struct Data {
        #[serde(rename = "deviceIds")]
        device_ids: Option<Vec<String>>,
    }
    let bad = |what: String| BadFrame {
        what,
        path: Some("data.deviceIds"),
    };
    let Some(data) = data else {
        return Err(BadFrame {
            what: "the subscription reply has no `data`".into(),
            path: Some("data"),
        });
    };
    match serde_json::from_str::<Data>(data.get()) {
        Ok(Data {
            device_ids: Some(ids),
        }) => Ok(ids),
        Ok(Data { device_ids: None }) => Err(bad("missing from the subscription reply".into())),
        Err(e) => Err(bad(format!("expected a list of device ids ({e})"))),
    }
}

#[cfg(test)]
#[allow(
    clippy::disallowed_types,
    clippy::disallowed_methods,
    reason = "tests compare frames as values"
)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    #[test]
    fn outgoing_frames_are_the_documented_json() {
        let names = CommonParams::DEFAULT;
        let f = subscribe(&names, "r1", "t\"k", &["P/a".into(), "P/b".into()]);
        let v: Value = serde_json::from_str(&f).unwrap();
        assert_eq!(
            v,
            json!({"action": "ActivePush", "reqId": "r1",
                   "params": {"AccessToken": "t\"k", "DeviceIds": ["P/a", "P/b"]}})
        );
        let f = yun_api(&names, "r2", "AppX", "tok", &heartbeat_params(&[]));
        let v: Value = serde_json::from_str(&f).unwrap();
        assert_eq!(
            v,
            json!({"action": "YunApi", "reqId": "r2", "params": {
                "Action": "AppX", "RequestId": "r2", "AccessToken": "tok",
                "ActionParams": {"DeviceIds": []}}})
        );
    }

    #[test]
    fn incoming_frames_are_classified() {
        let push = r#"{"push":true,"action":"DeviceChange","params":"{\"Seq\":1}"}"#;
        match parse(push).unwrap() {
            Incoming::Change { params } => {
                assert_eq!(params.map(RawValue::get), Some(r#""{\"Seq\":1}""#))
            }
            other => panic!("{other:?}"),
        }
        let other = r#"{"push":true,"action":"Later","params":[1,{"a":2}]}"#;
        assert!(matches!(parse(other).unwrap(), Incoming::Other { .. }));
        let reply = r#"{"error":"","error_message":"","data":{"deviceIds":[]},"reqId":"q"}"#;
        match parse(reply).unwrap() {
            Incoming::Reply(r) => {
                assert_eq!(
                    (r.req_id.as_str(), r.error, r.error_message),
                    ("q", None, None)
                );
                assert_eq!(accepted_devices(r.data).unwrap(), Vec::<String>::new());
            }
            other => panic!("{other:?}"),
        }
        let failed = r#"{"error":"-1","error_message":"后台连接出错","data":{},"reqId":7}"#;
        match parse(failed).unwrap() {
            Incoming::Reply(r) => {
                assert_eq!(r.req_id, "7");
                assert_eq!(r.error.as_deref(), Some("-1"));
                assert_eq!(r.error_message.as_deref(), Some("后台连接出错"));
                assert!(accepted_devices(r.data).is_err());
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            parse(r#"{"hello":1}"#).unwrap(),
            Incoming::Other { .. }
        ));
        assert!(parse("not json").unwrap_err().what.contains("not JSON"));
        assert!(parse("[1]").unwrap_err().what.contains("array"));
        assert!(parse(r#"{"push":"yes"}"#).is_err());
    }
}
