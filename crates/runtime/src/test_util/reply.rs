//! What a test sets the server to send ([`Reply`]) and what it shows the
//! test afterwards ([`RecordedRequest`]): the envelopes as JSON, no HTTP.

use std::fmt;
use std::time::Duration;

use serde_json::{Map, Value, json};

use crate::{CommonParams, Redacted};

/// What the server sends back for one request.
#[derive(Clone, Debug)]
pub struct Reply {
    body: ReplyBody,
    pub(super) status: u16,
    pub(super) delay: Option<Duration>,
    pub(super) headers: Vec<(String, String)>,
}

#[derive(Clone, Debug)]
enum ReplyBody {
    Success(Value),
    Error {
        code: String,
        message: String,
    },
    SdkSuccess(Value),
    SdkError {
        code: i64,
        msg: String,
        error: Option<(String, String)>,
    },
    Raw {
        bytes: Vec<u8>,
        content_type: String,
    },
    Drop,
}

impl Reply {
    fn new(body: ReplyBody) -> Self {
        Reply {
            body,
            status: 200,
            delay: None,
            headers: Vec::new(),
        }
    }

    /// `{"Response": payload}` with `RequestId` set to the request's; a
    /// `RequestId` already in `payload` is replaced, so a documented example
    /// can be used as it is.
    pub fn success(payload: Value) -> Self {
        Self::new(ReplyBody::Success(payload))
    }

    /// `{"Response": {"Error": {"Code": code, "Message": message}, "RequestId": ..}}`,
    /// with status 200 as the real service sends it.
    pub fn error(code: impl Into<String>, message: impl Into<String>) -> Self {
        Self::new(ReplyBody::Error {
            code: code.into(),
            message: message.into(),
        })
    }

    /// The SDK envelope: `{"code": 0, "msg": "ok", "data": payload}` with
    /// `data.RequestId` set to the request's.
    pub fn sdk_success(payload: Value) -> Self {
        Self::new(ReplyBody::SdkSuccess(payload))
    }

    /// The SDK envelope for a failure with `data.Error`:
    /// `{"code": code, "msg": msg, "data": {"Error": {"Code", "Message"}, "RequestId"}}`.
    pub fn sdk_error(
        code: i64,
        msg: impl Into<String>,
        error_code: impl Into<String>,
        error_message: impl Into<String>,
    ) -> Self {
        Self::new(ReplyBody::SdkError {
            code,
            msg: msg.into(),
            error: Some((error_code.into(), error_message.into())),
        })
    }

    /// The SDK envelope for a failure without `data.Error`:
    /// `{"code": code, "msg": msg, "data": {"RequestId"}}`.
    pub fn sdk_code(code: i64, msg: impl Into<String>) -> Self {
        Self::new(ReplyBody::SdkError {
            code,
            msg: msg.into(),
            error: None,
        })
    }

    /// `value` as the body, exactly, with the given status.
    pub fn json(status: u16, value: &Value) -> Self {
        Self::raw(status, value.to_string()).with_header("content-type", "application/json")
    }

    /// `body` as it is, with the given status and `text/plain`
    /// (change it with [`with_header`](Self::with_header)).
    pub fn raw(status: u16, body: impl Into<Vec<u8>>) -> Self {
        Reply {
            status,
            ..Self::new(ReplyBody::Raw {
                bytes: body.into(),
                content_type: "text/plain; charset=utf-8".into(),
            })
        }
    }

    /// Read the whole request, record it, then close the connection
    /// without replying: a failure after the request was sent.
    pub fn drop_connection() -> Self {
        Self::new(ReplyBody::Drop)
    }

    /// Send this status instead (the envelopes default to 200).
    pub fn with_status(mut self, status: u16) -> Self {
        self.status = status;
        self
    }

    /// Wait this long before replying (or dropping the connection). The
    /// wait ends early when the server stops.
    pub fn with_delay(mut self, delay: Duration) -> Self {
        self.delay = Some(delay);
        self
    }

    /// Add a response header; a `content-type` here replaces the default.
    pub fn with_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        let name = name.into();
        if let ReplyBody::Raw { content_type, .. } = &mut self.body
            && name.eq_ignore_ascii_case("content-type")
        {
            *content_type = value.into();
            return self;
        }
        self.headers.push((name, value.into()));
        self
    }

    /// The body and its content type for a request whose `RequestId` was
    /// `request_id`; `None` when nothing is to be sent.
    pub(super) fn render(&self, request_id: Option<&str>) -> Option<(Vec<u8>, &str)> {
        let rid = Value::String(request_id.unwrap_or("test-request-id").to_owned());
        let (body, content_type) = match &self.body {
            ReplyBody::Drop => return None,
            ReplyBody::Raw {
                bytes,
                content_type,
            } => (bytes.clone(), content_type.as_str()),
            ReplyBody::Success(payload) => (
                json!({"Response": with_request_id(payload, request_id)})
                    .to_string()
                    .into_bytes(),
                "application/json",
            ),
            ReplyBody::Error { code, message } => (
                json!({"Response": {"Error": {"Code": code, "Message": message}, "RequestId": rid}})
                    .to_string()
                    .into_bytes(),
                "application/json",
            ),
            ReplyBody::SdkSuccess(payload) => (
                json!({"code": 0, "msg": "ok", "data": with_request_id(payload, request_id)})
                    .to_string()
                    .into_bytes(),
                "application/json",
            ),
            ReplyBody::SdkError { code, msg, error } => {
                let data = match error {
                    Some((c, m)) => json!({"Error": {"Code": c, "Message": m}, "RequestId": rid}),
                    None => json!({"RequestId": rid}),
                };
                (
                    json!({"code": code, "msg": msg, "data": data})
                        .to_string()
                        .into_bytes(),
                    "application/json",
                )
            }
        };
        Some((body, content_type))
    }
}

/// One request as the server received it.
#[non_exhaustive]
#[derive(Clone)]
pub struct RecordedRequest {
    /// `POST`, normally.
    pub method: String,
    /// Request target, e.g. `/api/exploreropen/tokenapi`.
    pub path: String,
    /// Headers in arrival order, names lower-cased.
    pub headers: Vec<(String, String)>,
    /// The raw body.
    pub body: Vec<u8>,
    /// The body parsed as JSON, when it is JSON.
    pub json: Option<Value>,
    /// The server's names of the common parameters.
    pub(super) names: CommonParams,
}

impl RecordedRequest {
    /// The first header named `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The body's top-level object, when the body is one.
    pub fn params(&self) -> Option<&Map<String, Value>> {
        self.json.as_ref()?.as_object()
    }

    /// One top-level body parameter.
    pub fn param(&self, name: &str) -> Option<&Value> {
        self.params()?.get(name)
    }

    /// The action parameter (`Action`, unless the server was started with
    /// other names).
    pub fn action(&self) -> Option<&str> {
        self.param(self.names.action)?.as_str()
    }

    /// Whether the body's signature is the one [`CommonParams::sign`]
    /// computes over the other parameters with `secret`, as the server would
    /// check.
    pub fn signature_is_valid(&self, secret: &str) -> bool {
        let Some(params) = self.params() else {
            return false;
        };
        match params.get(self.names.signature).and_then(Value::as_str) {
            Some(sig) => self.names.sign(secret, params) == sig,
            None => false,
        }
    }
}

impl fmt::Debug for RecordedRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Test logs get pasted into issues; keep the token out of them.
        let json = self.json.as_ref().map(|v| {
            let mut v = v.clone();
            if let Some(token) = v.get_mut(self.names.access_token) {
                *token = Value::String(Redacted::TEXT.into());
            }
            v
        });
        f.debug_struct("RecordedRequest")
            .field("method", &self.method)
            .field("path", &self.path)
            .field("headers", &self.headers)
            .field("body_len", &self.body.len())
            .field("json", &json)
            .finish()
    }
}

/// `payload` with the request's id, as the real service echoes it.
fn with_request_id(payload: &Value, request_id: Option<&str>) -> Value {
    let mut payload = payload.clone();
    if let Value::Object(map) = &mut payload {
        map.insert(
            "RequestId".into(),
            Value::String(request_id.unwrap_or("test-request-id").to_owned()),
        );
    }
    payload
}
