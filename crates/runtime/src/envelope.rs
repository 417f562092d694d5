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

use serde_json::{Map, Value};

#[derive(Debug)]
pub(crate) enum Outcome {
    Success {
        payload: Map<String, Value>,
        request_id: Option<String>,
    },
    ApiError {
        code: String,
        message: Option<String>,
        request_id: Option<String>,
    },
}

/// Why a reply is not an envelope; `path` names the member at fault.
#[derive(Debug)]
pub(crate) struct Malformed {
    pub(crate) what: String,
    pub(crate) path: Option<String>,
}

impl Malformed {
    fn at(path: &str, what: impl Into<String>) -> Self {
        Malformed {
            what: what.into(),
            path: Some(path.to_owned()),
        }
    }
}

pub(crate) fn parse(body: &[u8]) -> Result<Outcome, Malformed> {
    let value: Value = serde_json::from_slice(body).map_err(|e| Malformed {
        what: format!("the body is not JSON ({e})"),
        path: None,
    })?;
    let Value::Object(mut top) = value else {
        return Err(Malformed {
            what: format!("expected a JSON object, got {}", type_name(&value)),
            path: None,
        });
    };
    if let Some(response) = top.remove("Response") {
        let Value::Object(response) = response else {
            return Err(Malformed::at(
                "Response",
                format!("expected an object, got {}", type_name(&response)),
            ));
        };
        return from_payload(response, "Response", None);
    }
    if let Some(code) = top.get("code") {
        let Some(code) = code.as_i64() else {
            return Err(Malformed::at(
                "code",
                format!("expected an integer, got {}", type_name(code)),
            ));
        };
        let msg = top.get("msg").and_then(Value::as_str).map(str::to_owned);
        let outer_id = ["RequestId", "requestId", "reqId"]
            .iter()
            .find_map(|k| top.get(*k).and_then(Value::as_str))
            .map(str::to_owned);
        let data = top.remove("data");
        if code == 0 {
            return match data {
                Some(Value::Object(data)) => from_payload(data, "data", outer_id),
                Some(other) => Err(Malformed::at(
                    "data",
                    format!("expected an object, got {}", type_name(&other)),
                )),
                None => Err(Malformed::at("data", "missing with `code` 0")),
            };
        }
        if let Some(Value::Object(data)) = data {
            if data.contains_key("Error") {
                return from_payload(data, "data", outer_id);
            }
            let request_id = request_id_of(&data).or(outer_id);
            return Ok(Outcome::ApiError {
                code: code.to_string(),
                message: msg,
                request_id,
            });
        }
        return Ok(Outcome::ApiError {
            code: code.to_string(),
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

/// The object inside an envelope: an error if it holds `Error`, else the
/// success payload.
fn from_payload(
    mut payload: Map<String, Value>,
    where_: &str,
    outer_id: Option<String>,
) -> Result<Outcome, Malformed> {
    let request_id = request_id_of(&payload).or(outer_id);
    match payload.remove("Error") {
        None => Ok(Outcome::Success {
            payload,
            request_id,
        }),
        Some(Value::Object(err)) => {
            let code = match err.get("Code") {
                Some(Value::String(s)) if !s.is_empty() => s.clone(),
                // Some gateways send numeric codes; keep them as text.
                Some(Value::Number(n)) => n.to_string(),
                _ => {
                    return Err(Malformed::at(
                        &format!("{where_}.Error.Code"),
                        "missing or not a non-empty string",
                    ));
                }
            };
            let message = err
                .get("Message")
                .and_then(Value::as_str)
                .map(str::to_owned);
            Ok(Outcome::ApiError {
                code,
                message,
                request_id,
            })
        }
        Some(other) => Err(Malformed::at(
            &format!("{where_}.Error"),
            format!("expected an object, got {}", type_name(&other)),
        )),
    }
}

fn request_id_of(payload: &Map<String, Value>) -> Option<String> {
    payload
        .get("RequestId")
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(body: &str) -> (Map<String, Value>, Option<String>) {
        match parse(body.as_bytes()) {
            Ok(Outcome::Success {
                payload,
                request_id,
            }) => (payload, request_id),
            other => panic!("{body}: {other:?}"),
        }
    }

    fn api(body: &str) -> (String, Option<String>, Option<String>) {
        match parse(body.as_bytes()) {
            Ok(Outcome::ApiError {
                code,
                message,
                request_id,
            }) => (code, message, request_id),
            other => panic!("{body}: {other:?}"),
        }
    }

    fn bad(body: &str) -> Malformed {
        match parse(body.as_bytes()) {
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
        assert_eq!(e1, ("X.Y".into(), Some("m".into()), Some("r".into())));
    }

    #[test]
    fn sdk_error_without_data_error_uses_numeric_code() {
        assert_eq!(
            api(r#"{"code":1002,"msg":"bad token"}"#),
            ("1002".into(), Some("bad token".into()), None)
        );
        assert_eq!(
            api(r#"{"code":-1,"msg":"m","data":{"RequestId":"r"}}"#),
            ("-1".into(), Some("m".into()), Some("r".into()))
        );
    }

    #[test]
    fn malformed_replies() {
        bad("");
        bad("{}");
        bad("[]");
        bad("null");
        bad("<html>502</html>");
        bad(r#"{"Response":{"A":1"#);
        assert_eq!(bad(r#"{"Response":"x"}"#).path.as_deref(), Some("Response"));
        assert_eq!(
            bad(r#"{"Response":null}"#).path.as_deref(),
            Some("Response")
        );
        bad(r#"{"Other":{}}"#);
        assert_eq!(
            bad(r#"{"Response":{"Error":"boom"}}"#).path.as_deref(),
            Some("Response.Error")
        );
        assert_eq!(
            bad(r#"{"Response":{"Error":{"Message":"m"}}}"#)
                .path
                .as_deref(),
            Some("Response.Error.Code")
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
    }
}
