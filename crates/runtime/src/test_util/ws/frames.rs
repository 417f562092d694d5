//! What a test tells the channel to send ([`ChannelReply`],
//! [`TestChange`]) and what it shows afterwards ([`RecordedFrame`],
//! [`ConnectionInfo`]): frames as JSON, no sockets.

use std::fmt;

use base64::Engine as _;
use serde_json::{Value, json};

use super::super::Reply;
use crate::{CommonParams, Redacted};

/// What the channel answers to one frame the client sent.
#[derive(Clone, Debug)]
pub struct ChannelReply {
    pub(super) kind: ReplyKind,
}

#[derive(Clone, Debug)]
pub(super) enum ReplyKind {
    /// `data` is what the HTTP [`Reply`] would send as its body.
    Envelope(Reply),
    /// `error` and `error_message` set, `data` empty.
    FrameError { code: String, message: String },
    /// A subscription reply accepting exactly these devices.
    Accept(Vec<String>),
    /// No answer at all.
    Silence,
}

impl ChannelReply {
    /// A reply whose `data` is the body `reply` would send over HTTP:
    /// [`Reply::success`] gives `{"Response": {..}}`, [`Reply::error`] a
    /// `Response.Error`, [`Reply::raw`] its bytes as they are (broken JSON
    /// included). [`Reply::drop_connection`] drops the connection instead
    /// of answering, and [`Reply::with_delay`] waits first.
    pub fn envelope(reply: Reply) -> Self {
        ChannelReply {
            kind: ReplyKind::Envelope(reply),
        }
    }

    /// A failure of the channel itself, as the docs show it:
    /// `{"error": code, "error_message": message, "data": {}}`.
    pub fn frame_error(code: impl Into<String>, message: impl Into<String>) -> Self {
        ChannelReply {
            kind: ReplyKind::FrameError {
                code: code.into(),
                message: message.into(),
            },
        }
    }

    /// For `ActivePush`: `data.deviceIds` is exactly `devices`, whatever
    /// was requested.
    pub fn accept(devices: impl IntoIterator<Item = impl Into<String>>) -> Self {
        ChannelReply {
            kind: ReplyKind::Accept(devices.into_iter().map(Into::into).collect()),
        }
    }

    /// Never answer: the client's reply timeout runs out.
    pub fn silence() -> Self {
        ChannelReply {
            kind: ReplyKind::Silence,
        }
    }
}

impl From<Reply> for ChannelReply {
    fn from(reply: Reply) -> Self {
        ChannelReply::envelope(reply)
    }
}

/// A change for the channel to push, as the docs show one: a
/// `DeviceChange` frame whose `params` is the JSON text of the change and
/// whose `Payload` is base64 of the payload's JSON.
#[derive(Clone, Debug)]
pub struct TestChange {
    device_id: Option<String>,
    kind: String,
    sub_kind: String,
    time: String,
    topic: String,
    payload: String,
    seq: Option<i64>,
}

impl TestChange {
    /// A change of `device_id` (`PRODUCT/DeviceName`) with `Type` `kind`
    /// and `SubType` `sub_kind`, no payload, `Seq` 1.
    pub fn new(
        device_id: impl Into<String>,
        kind: impl Into<String>,
        sub_kind: impl Into<String>,
    ) -> Self {
        TestChange {
            device_id: Some(device_id.into()),
            kind: kind.into(),
            sub_kind: sub_kind.into(),
            time: "2019-03-28T15:17:35+08:00".into(),
            topic: String::new(),
            payload: String::new(),
            seq: Some(1),
        }
    }

    /// A property report of `device_id` carrying `payload`, with the topic
    /// the docs show for one.
    pub fn property(device_id: impl Into<String>, payload: Value) -> Self {
        let device_id = device_id.into();
        let topic = format!("$thing/up/property/{device_id}");
        TestChange::new(device_id, "Property", "Report")
            .topic(topic)
            .payload(&payload)
    }

    /// `Seq`.
    pub fn seq(mut self, seq: i64) -> Self {
        self.seq = Some(seq);
        self
    }

    /// `Time`, as text.
    pub fn time(mut self, time: impl Into<String>) -> Self {
        self.time = time.into();
        self
    }

    /// `Topic`.
    pub fn topic(mut self, topic: impl Into<String>) -> Self {
        self.topic = topic.into();
        self
    }

    /// `Payload`: base64 of `payload`'s JSON text.
    pub fn payload(mut self, payload: &Value) -> Self {
        self.payload = base64::engine::general_purpose::STANDARD.encode(payload.to_string());
        self
    }

    /// `Payload` exactly as given, for broken ones.
    pub fn raw_payload(mut self, payload: impl Into<String>) -> Self {
        self.payload = payload.into();
        self
    }

    /// Leave `DeviceId` out, as the docs' status-change examples do.
    pub fn without_device_id(mut self) -> Self {
        self.device_id = None;
        self
    }

    /// Leave `Seq` out.
    pub fn without_seq(mut self) -> Self {
        self.seq = None;
        self
    }

    /// The `params` object of the frame.
    pub fn params(&self) -> Value {
        let mut params = json!({
            "Time": self.time,
            "Type": self.kind,
            "SubType": self.sub_kind,
            "Topic": self.topic,
            "Payload": self.payload,
        });
        if let Some(seq) = self.seq {
            params["Seq"] = json!(seq);
        }
        if let Some(d) = &self.device_id {
            params["DeviceId"] = json!(d);
        }
        params
    }

    /// The frame the channel sends:
    /// `{"push": true, "action": "DeviceChange", "params": "<JSON text>"}`.
    pub fn frame(&self) -> String {
        json!({"push": true, "action": "DeviceChange", "params": self.params().to_string()})
            .to_string()
    }
}

/// One frame the client sent, as the channel received it.
#[non_exhaustive]
#[derive(Clone)]
pub struct RecordedFrame {
    /// Which connection it came on: 0 for the first the channel accepted.
    pub connection: usize,
    /// When it arrived, on Tokio's clock (so paused time shows where it
    /// stood).
    pub at: tokio::time::Instant,
    /// The text, exactly.
    pub text: String,
    /// The text as JSON, when it is JSON.
    pub json: Option<Value>,
    pub(super) names: CommonParams,
}

impl RecordedFrame {
    /// The frame's `action`: `ActivePush` or `YunApi`.
    pub fn action(&self) -> Option<&str> {
        self.json.as_ref()?.get("action")?.as_str()
    }

    /// The frame's `reqId`.
    pub fn req_id(&self) -> Option<&str> {
        self.json.as_ref()?.get("reqId")?.as_str()
    }

    /// The frame's `params`.
    pub fn params(&self) -> Option<&Value> {
        self.json.as_ref()?.get("params")
    }

    /// For a `YunApi` frame, the action called (`params.Action`, under the
    /// service's name for it).
    pub fn called_action(&self) -> Option<&str> {
        self.params()?.get(self.names.action)?.as_str()
    }

    /// For a `YunApi` frame, `params.ActionParams`.
    pub fn action_params(&self) -> Option<&Value> {
        self.params()?.get("ActionParams")
    }

    /// The access token the frame carries.
    pub fn access_token(&self) -> Option<&str> {
        self.params()?.get(self.names.access_token)?.as_str()
    }

    /// The device ids the frame names: a subscription's `params.DeviceIds`,
    /// a heartbeat's `params.ActionParams.DeviceIds`.
    pub fn device_ids(&self) -> Vec<String> {
        let ids = self
            .params()
            .and_then(|p| p.get("DeviceIds"))
            .or_else(|| self.action_params().and_then(|p| p.get("DeviceIds")));
        ids.and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Whether it is a subscription (`ActivePush`).
    pub fn is_subscription(&self) -> bool {
        self.action() == Some("ActivePush")
    }

    /// Whether it is a `YunApi` call of `action`.
    pub fn is_call_of(&self, action: &str) -> bool {
        self.action() == Some("YunApi") && self.called_action() == Some(action)
    }
}

impl fmt::Debug for RecordedFrame {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Test logs get pasted into issues; keep the token out of them.
        let json = self.json.as_ref().map(|v| {
            let mut v = v.clone();
            if let Some(token) = v
                .get_mut("params")
                .and_then(|p| p.get_mut(self.names.access_token))
            {
                *token = Value::String(Redacted::TEXT.into());
            }
            v
        });
        f.debug_struct("RecordedFrame")
            .field("connection", &self.connection)
            .field("len", &self.text.len())
            .field("json", &json)
            .finish()
    }
}

/// One connection the channel accepted.
#[non_exhaustive]
#[derive(Clone, Debug)]
pub struct ConnectionInfo {
    /// The request target of the handshake, e.g. `/ws/explorer`.
    pub path: String,
    /// The handshake's headers, names lower-cased.
    pub headers: Vec<(String, String)>,
    /// Whether it is still open.
    pub open: bool,
    /// Whether the client sent a close frame.
    pub closed_by_client: bool,
}

impl ConnectionInfo {
    /// The first header named `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}
