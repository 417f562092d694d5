//! The two reply envelopes, reduced to one outcome.
//!
//! API form: `{"Response": {..., "RequestId": ".."}}`, or with
//! `"Error": {"Code", "Message"}` inside `Response`.
//! SDK form: `{"code": 0, "msg": "..", "data": {...}}`; on failure a
//! non-zero `code` and, usually, `data.Error` as above.
//!
//! Anything else is malformed: a missing or non-object payload is never
//! replaced by an empty one, because that would turn a broken reply into a
//! response whose fields are all `None`.
//!
//! The reply is read without building a `Value` tree: the envelope's few
//! members are borrowed as raw JSON text, and the payload stays text for the
//! response type to decode in one pass. A payload whose text cannot hold an
//! `Error` member is not even scanned for its members unless the caller
//! asks for them ([`Detail`]): on a small reply that scan is a measurable
//! part of the client's own cost.

mod raw;

use serde_json::value::RawValue;

pub(crate) use raw::{Kind, Members, as_string, kind};

#[derive(Debug)]
pub(crate) enum Outcome<'a> {
    Success {
        payload: FoundPayload<'a>,
        request_id: Option<String>,
    },
    /// An error envelope. `code` is `None` when the server sent a message
    /// but no usable code: the message is worth more than a decode error.
    ApiError {
        code: Option<String>,
        message: Option<String>,
        request_id: Option<String>,
    },
}

/// What the SDK form's top level says about a failure, for a `data.Error`
/// that leaves something out.
struct SdkFailure {
    code: String,
    msg: Option<String>,
}

/// A success payload as the envelope holds it: a JSON object, as text
/// borrowed from the reply, and the members of it the client looks at (all
/// `None` unless [`Detail::Members`] was asked for).
#[derive(Debug)]
pub(crate) struct FoundPayload<'a> {
    pub(crate) json: &'a str,
    pub(crate) members: Members<'a>,
}

/// How much [`parse`] needs to find out about a success payload.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Detail {
    /// Only whether it is an error: its `RequestId` and `Data` may be left
    /// unread.
    Outcome,
    /// Its `RequestId` and `Data` members too.
    Members,
}

/// Why a reply is not an envelope; `path` names the member at fault.
#[derive(Debug)]
pub(crate) struct Malformed {
    pub(crate) what: String,
    pub(crate) path: Option<String>,
}

impl Malformed {
    pub(crate) fn at(path: &str, what: impl Into<String>) -> Self {
        Malformed {
            what: what.into(),
            path: Some(path.to_owned()),
        }
    }
}

pub(crate) fn parse(body: &str, detail: Detail) -> Result<Outcome<'_>, Malformed> {
    let top: Members<'_> = serde_json::from_str(body).map_err(|e| not_an_envelope(body, e))?;
    if let Some(response) = top.response {
        if let Some(payload) = error_free(response, detail) {
            return Ok(Outcome::Success {
                payload,
                request_id: None,
            });
        }
        let members = Members::of(response, "Response")?;
        return from_payload(response, members, "Response", None, None);
    }
    if let Some(code) = top.code {
        let Some(code) = serde_json::from_str::<i64>(code.get()).ok() else {
            return Err(Malformed::at(
                "code",
                format!("expected an integer, got {}", kind(code)),
            ));
        };
        let msg = as_string(top.msg);
        let outer_id = [top.request_id, top.request_id_camel, top.req_id]
            .into_iter()
            .find_map(as_string);
        if code == 0 {
            return match top.data_lower {
                Some(data) => match error_free(data, detail) {
                    Some(payload) => Ok(Outcome::Success {
                        payload,
                        request_id: outer_id,
                    }),
                    None => from_payload(data, Members::of(data, "data")?, "data", outer_id, None),
                },
                None => Err(Malformed::at("data", "missing with `code` 0")),
            };
        }
        if let Some(data) = top.data_lower.filter(|d| kind(d) == Kind::Object) {
            let members = Members::of(data, "data")?;
            if members.error.is_some() {
                let failure = SdkFailure {
                    code: code.to_string(),
                    msg,
                };
                return from_payload(data, members, "data", outer_id, Some(failure));
            }
            let request_id = request_id_of(&members).or(outer_id);
            return Ok(Outcome::ApiError {
                code: Some(code.to_string()),
                message: msg,
                request_id,
            });
        }
        return Ok(Outcome::ApiError {
            code: Some(code.to_string()),
            message: msg,
            request_id: outer_id,
        });
    }
    Err(Malformed {
        what: if top.is_empty() {
            "empty JSON object; expected `Response` or `code`".to_owned()
        } else {
            "neither `Response` nor `code` present".to_owned()
        },
        path: None,
    })
}

/// The success payload, its members unread, for a payload that is an
/// object whose text cannot hold an `Error` member, when no more than the
/// outcome is wanted.
///
/// The text is valid JSON, so a member named `Error` appears in it as
/// `"Error"` unless its name is written with a `\u` escape; text with
/// neither is certainly not an error. Anything else is left to the full
/// reading.
fn error_free(raw: &RawValue, detail: Detail) -> Option<FoundPayload<'_>> {
    let json = raw.get();
    let certain =
        detail == Detail::Outcome && kind(raw) == Kind::Object && !may_name_error(json.as_bytes());
    certain.then(|| FoundPayload {
        json,
        members: Members::default(),
    })
}

/// Whether `json` holds `Error` or a `\u` escape. A byte search, not a
/// substring search: a substring searcher costs more to set up than this
/// takes on a reply of a few hundred bytes.
fn may_name_error(json: &[u8]) -> bool {
    memchr::memchr2_iter(b'E', b'\\', json).any(|at| {
        let rest = &json[at..];
        rest.starts_with(b"Error") || rest.starts_with(b"\\u")
    })
}

/// Why `body` could not be read as an envelope at all.
fn not_an_envelope(body: &str, e: serde_json::Error) -> Malformed {
    let what = match serde_json::from_str::<&RawValue>(body) {
        Err(e) => format!("the body is not JSON ({e})"),
        Ok(raw) if kind(raw) != Kind::Object => {
            format!("expected a JSON object, got {}", kind(raw))
        }
        Ok(_) => format!("the body could not be read ({e})"),
    };
    Malformed { what, path: None }
}

/// The object inside an envelope: an error if it holds `Error`, else the
/// success payload.
///
/// An `Error` needs a code or a message to be an API error; what it lacks
/// comes from the SDK form's non-zero `code` and `msg` when there are
/// some, and a missing code otherwise stays missing.
#[expect(
    clippy::disallowed_types,
    reason = "only an error is read as a map: errors are rare and small"
)]
fn from_payload<'a>(
    raw: &'a RawValue,
    members: Members<'a>,
    where_: &str,
    outer_id: Option<String>,
    sdk: Option<SdkFailure>,
) -> Result<Outcome<'a>, Malformed> {
    let request_id = request_id_of(&members).or(outer_id);
    let Some(error) = members.error else {
        return Ok(Outcome::Success {
            payload: FoundPayload {
                json: raw.get(),
                members,
            },
            request_id,
        });
    };
    // Errors are rare and small; a map is simplest here.
    let Ok(err) = serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(error.get())
    else {
        return Err(Malformed::at(
            &format!("{where_}.Error"),
            format!("expected an object, got {}", kind(error)),
        ));
    };
    let (sdk_code, sdk_msg) = match sdk {
        Some(f) => (Some(f.code), f.msg),
        None => (None, None),
    };
    let code = match err.get("Code") {
        Some(serde_json::Value::String(s)) if !s.is_empty() => Some(s.clone()),
        // Some gateways send numeric codes; keep them as text.
        Some(serde_json::Value::Number(n)) => Some(n.to_string()),
        _ => sdk_code,
    };
    let message = err
        .get("Message")
        .and_then(serde_json::Value::as_str)
        .map(str::to_owned)
        .or(sdk_msg);
    if code.is_none() && message.is_none() {
        return Err(Malformed::at(
            &format!("{where_}.Error"),
            "neither a `Code` (a non-empty string or a number) nor a `Message`",
        ));
    }
    Ok(Outcome::ApiError {
        code,
        message,
        request_id,
    })
}

fn request_id_of(members: &Members<'_>) -> Option<String> {
    as_string(members.request_id).filter(|s| !s.is_empty())
}

#[cfg(test)]
#[allow(
    clippy::disallowed_types,
    clippy::disallowed_methods,
    reason = "tests compare bodies and payloads as values"
)]
mod tests {
    use super::*;
    use serde_json::Value;

    fn ok(body: &str) -> (Value, Option<String>) {
        match parse(body, Detail::Members) {
            Ok(Outcome::Success {
                payload,
                request_id,
            }) => (serde_json::from_str(payload.json).unwrap(), request_id),
            other => panic!("{body}: {other:?}"),
        }
    }

    fn api(body: &str) -> (Option<String>, Option<String>, Option<String>) {
        match parse(body, Detail::Members) {
            Ok(Outcome::ApiError {
                code,
                message,
                request_id,
            }) => (code, message, request_id),
            other => panic!("{body}: {other:?}"),
        }
    }

    fn bad(body: &str) -> Malformed {
        match parse(body, Detail::Members) {
            Err(m) => m,
            other => panic!("{body}: {other:?}"),
        }
    }

    #[test]
    fn both_envelopes_agree() {
        let (p1, id1) = ok(r#"{"Response":{"A":1,"RequestId":"r"}}"#);
        let (p2, id2) = ok(r#"{"code":0,"msg":"ok","data":{"A":1,"RequestId":"r"}}"#);
        assert_eq!(p1, p2);
        assert_eq!(id1, id2);
        let e1 = api(r#"{"Response":{"Error":{"Code":"X.Y","Message":"m"},"RequestId":"r"}}"#);
        let e2 = api(
            r#"{"code":1,"msg":"x","data":{"Error":{"Code":"X.Y","Message":"m"},"RequestId":"r"}}"#,
        );
        assert_eq!(e1, e2);
        assert_eq!(e1, (Some("X.Y".into()), Some("m".into()), Some("r".into())));
    }

    /// `parse` at both details, checked to agree on the outcome.
    fn outcome(body: &str) -> Result<Outcome<'_>, Malformed> {
        let full = parse(body, Detail::Members);
        let quick = parse(body, Detail::Outcome);
        match (&full, &quick) {
            (Ok(Outcome::Success { payload: a, .. }), Ok(Outcome::Success { payload: b, .. })) => {
                assert_eq!(a.json, b.json, "{body}")
            }
            (Ok(Outcome::ApiError { .. }), Ok(Outcome::ApiError { .. })) => {
                assert_eq!(format!("{full:?}"), format!("{quick:?}"), "{body}")
            }
            (Err(a), Err(b)) => assert_eq!((&a.what, &a.path), (&b.what, &b.path), "{body}"),
            _ => panic!("{body}: {full:?} but {quick:?}"),
        }
        quick
    }

    #[test]
    fn the_quick_reading_never_misses_an_error() {
        let errors = [
            r#"{"Response":{"Error":{"Code":"A","Message":"m"}}}"#,
            r#"{"Response":{"\u0045rror":{"Code":"A"}}}"#,
            r#"{"Response":{"Err\u006fr":{"Code":"A"}}}"#,
            r#"{"Response":{"A":1,"Error":{"Code":"A"},"RequestId":"r"}}"#,
            r#"{"code":0,"data":{"Error":{"Code":"A"}}}"#,
            r#"{"code":0,"data":{"\u0045rror":{"Code":"A"}}}"#,
            r#"{"code":3,"data":{"A":1}}"#,
        ];
        for body in errors {
            assert!(
                matches!(outcome(body), Ok(Outcome::ApiError { .. })),
                "{body}"
            );
        }
        let successes = [
            r#"{"Response":{"A":1,"RequestId":"r"}}"#,
            r#"{"Response":{"Message":"Error in a value","ErrorCount":2}}"#,
            r#"{"Response":{"A":"\u4e2d","Nested":{"Error":{"Code":"A"}}}}"#,
            r#"{"code":0,"data":{"A":1}}"#,
            r#"{"code":0,"data":{}}"#,
        ];
        for body in successes {
            assert!(
                matches!(outcome(body), Ok(Outcome::Success { .. })),
                "{body}"
            );
        }
        for body in [
            r#"{"Response":[]}"#,
            r#"{"Response":{"Error":5}}"#,
            r#"{"code":0,"data":"x"}"#,
        ] {
            assert!(outcome(body).is_err(), "{body}");
        }
    }

    #[test]
    fn payload_is_the_text_of_the_inner_object() {
        let body = " { \"Other\": [1, {\"Response\": 2}], \"Response\" : {\"A\": \"\\u4e2d\"} } ";
        match outcome(body).unwrap() {
            Outcome::Success {
                payload,
                request_id,
            } => {
                assert_eq!(payload.json, "{\"A\": \"\\u4e2d\"}");
                assert_eq!(request_id, None);
            }
            other => panic!("{other:?}"),
        }
        // Escaped member names are still recognised.
        let (p, id) = ok(r#"{"Respons\u0065":{"RequestI\u0064":"r"}}"#);
        assert_eq!(p, serde_json::json!({"RequestId": "r"}));
        assert_eq!(id.as_deref(), Some("r"));
    }

    #[test]
    fn request_ids_that_are_not_strings_are_ignored() {
        assert_eq!(ok(r#"{"Response":{"RequestId":5}}"#).1, None);
        assert_eq!(ok(r#"{"Response":{"RequestId":""}}"#).1, None);
        assert_eq!(
            ok(r#"{"code":0,"requestId":7,"reqId":"outer","data":{}}"#)
                .1
                .as_deref(),
            Some("outer")
        );
        // The last of a repeated member counts, as in a map.
        assert_eq!(
            ok(r#"{"Response":{"RequestId":"a","RequestId":"b"}}"#)
                .1
                .as_deref(),
            Some("b")
        );
    }

    #[test]
    fn sdk_error_without_data_error_uses_numeric_code() {
        assert_eq!(
            api(r#"{"code":1002,"msg":"bad token"}"#),
            (Some("1002".into()), Some("bad token".into()), None)
        );
        assert_eq!(
            api(r#"{"code":-1,"msg":"m","data":{"RequestId":"r"}}"#),
            (Some("-1".into()), Some("m".into()), Some("r".into()))
        );
        assert_eq!(
            api(r#"{"Response":{"Error":{"Code":4001,"Message":"m"}}}"#).0,
            Some("4001".into())
        );
    }

    #[test]
    fn an_error_with_a_message_but_no_code_keeps_its_message() {
        let no_code = (None, Some("boom".into()), Some("r".into()));
        for body in [
            r#"{"Response":{"Error":{"Message":"boom"},"RequestId":"r"}}"#,
            r#"{"Response":{"Error":{"Code":"","Message":"boom"},"RequestId":"r"}}"#,
            r#"{"Response":{"Error":{"Code":null,"Message":"boom"},"RequestId":"r"}}"#,
            r#"{"code":0,"msg":"ok","data":{"Error":{"Message":"boom"},"RequestId":"r"}}"#,
        ] {
            assert_eq!(api(body), no_code, "{body}");
            assert!(matches!(outcome(body), Ok(Outcome::ApiError { .. })));
        }
        // The SDK form's own code and message fill in what `data.Error` lacks.
        assert_eq!(
            api(r#"{"code":1002,"msg":"bad","data":{"Error":{"Message":"boom"},"RequestId":"r"}}"#),
            (Some("1002".into()), Some("boom".into()), Some("r".into()))
        );
        assert_eq!(
            api(r#"{"code":1002,"msg":"bad","data":{"Error":{"Code":"X"},"RequestId":"r"}}"#),
            (Some("X".into()), Some("bad".into()), Some("r".into()))
        );
        // Neither a code nor a message: nothing to report but a broken reply.
        for body in [
            r#"{"Response":{"Error":{}}}"#,
            r#"{"Response":{"Error":{"Code":"","Message":7}}}"#,
            r#"{"code":0,"data":{"Error":{}}}"#,
        ] {
            assert!(outcome(body).is_err(), "{body}");
        }
    }

    #[test]
    fn malformed_replies() {
        assert!(bad("").what.contains("not JSON"));
        assert!(bad("{}").what.contains("empty JSON object"));
        assert_eq!(bad("[]").what, "expected a JSON object, got an array");
        assert_eq!(bad("null").what, "expected a JSON object, got null");
        assert!(bad("<html>502</html>").what.contains("not JSON"));
        assert!(bad(r#"{"Response":{"A":1"#).what.contains("not JSON"));
        assert!(bad(r#"{"Response":{}} x"#).what.contains("not JSON"));
        assert_eq!(bad(r#"{"Response":"x"}"#).path.as_deref(), Some("Response"));
        assert_eq!(
            bad(r#"{"Response":null}"#).what,
            "expected an object, got null"
        );
        assert!(bad(r#"{"Other":{}}"#).what.contains("neither"));
        assert_eq!(
            bad(r#"{"Response":{"Error":"boom"}}"#).path.as_deref(),
            Some("Response.Error")
        );
        assert_eq!(
            bad(r#"{"Response":{"Error":{"Code":""}}}"#).path.as_deref(),
            Some("Response.Error")
        );
        assert_eq!(
            bad(r#"{"code":0,"msg":"ok"}"#).path.as_deref(),
            Some("data")
        );
        assert_eq!(bad(r#"{"code":0,"data":[]}"#).path.as_deref(), Some("data"));
        assert_eq!(
            bad(r#"{"code":"0","data":{}}"#).path.as_deref(),
            Some("code")
        );
        assert_eq!(
            bad(r#"{"code":1.0,"data":{}}"#).what,
            "expected an integer, got a number"
        );
    }
}
