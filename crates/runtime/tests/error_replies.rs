//! What an error reply leaves in the error: envelopes that lack a part, and
//! what is kept out of messages. Against the loopback server.

#![allow(
    clippy::disallowed_types,
    clippy::disallowed_methods,
    reason = "tests build bodies and replies as values"
)]

mod common;

use common::*;
use iot_explorer_runtime::test_util::{Reply, TestServer};
use iot_explorer_runtime::{Auth, ErrorKind, Operation};
use serde_json::{Map, Value, json};

#[tokio::test]
async fn an_error_with_a_message_and_no_code_is_an_api_error() {
    let server = TestServer::start().await;
    let client = token_client(&server.base_url());
    for body in [
        json!({"Response": {"Error": {"Message": "boom"}, "RequestId": "r"}}),
        json!({"code": 0, "msg": "ok", "data": {"Error": {"Message": "boom"}, "RequestId": "r"}}),
    ] {
        server.respond("AppGetDeviceOTAInfo", Reply::json(200, &body));
        let e = client
            .get_info(&GetInfoRequest::new("P", "d"))
            .await
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Api, "{body}: {e:?}");
        assert_eq!(e.code(), None);
        assert_eq!(e.wire_code(), None);
        assert_eq!(e.message(), Some("boom"));
        assert_eq!(e.request_id(), Some("r"));
        assert_eq!(e.decode_path(), None);
        assert!(!e.is_retryable());
        assert_eq!(
            e.to_string(),
            "AppGetDeviceOTAInfo failed: API error: boom (request id r)"
        );
    }
}

#[tokio::test]
async fn an_sdk_error_without_a_code_in_data_uses_the_outer_code() {
    let server = TestServer::start().await;
    let client = token_client(&server.base_url());
    let body = json!({"code": 1002, "msg": "bad", "data": {"Error": {"Message": "boom"}, "RequestId": "r"}});
    server.respond("AppGetDeviceOTAInfo", Reply::json(200, &body));
    let e = client
        .get_info(&GetInfoRequest::new("P", "d"))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Api);
    assert_eq!(e.code(), Some(&ErrorCode::Unknown("1002".into())));
    assert_eq!(e.message(), Some("boom"));
    assert_eq!(e.request_id(), Some("r"));
}

#[tokio::test]
async fn an_error_with_neither_code_nor_message_is_a_decode_error() {
    let server = TestServer::start().await;
    let client = token_client(&server.base_url());
    let body = json!({"Response": {"Error": {}, "RequestId": "r"}});
    server.respond("AppGetDeviceOTAInfo", Reply::json(200, &body));
    let e = client
        .get_info(&GetInfoRequest::new("P", "d"))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Decode);
    assert_eq!(e.decode_path(), Some("Response.Error"));
}

/// A token-auth action whose request holds a numeric secret and a short one.
static SET_PIN: Operation = Operation {
    action: "AppSetPin",
    endpoint: "tokenapi",
    auth: Auth::AccessToken,
    fixed_params: &[],
    data_wrapper: false,
    sensitive: &["Pin", "Hint", "Note"],
};

#[tokio::test]
async fn a_password_the_server_quotes_is_kept_out_of_the_error() {
    let server = TestServer::start().await;
    let request = CreateUserRequest::example();
    let quoted = format!(
        "password {} is too weak; code {} expired; phone {}",
        request.password, request.verification_code, request.phone_number
    );
    server.respond(
        "AppCreateCellphoneUser",
        Reply::error("InvalidParameterValue.Password", quoted.as_str()),
    );
    let client = signed_client(&server.base_url());
    let e = client.create_user(&request).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Api);
    let message = e.message().unwrap();
    assert_eq!(
        message,
        "password ** redacted ** is too weak; code ** redacted ** expired; phone 13900000000"
    );
    for shown in [e.to_string(), format!("{e:?}")] {
        assert!(!shown.contains(&request.password), "{shown}");
        assert!(!shown.contains(&request.verification_code), "{shown}");
        // Not sensitive, so still there to help.
        assert!(shown.contains(&request.phone_number), "{shown}");
    }
}

#[tokio::test]
async fn sensitive_numbers_and_escaped_strings_are_scrubbed_as_sent() {
    let server = TestServer::start().await;
    let client = token_client(&server.base_url());
    let request = json!({"Pin": 987654, "Hint": "a\"quote\"", "Note": "abc", "Other": "visible"});
    server.respond(
        "AppSetPin",
        Reply::error(
            "InvalidParameterValue",
            r#"bad pin 987654 (hint a"quote", sent as a\"quote\"); note abc; other visible"#,
        ),
    );
    let e = client
        .0
        .call::<_, Map<String, Value>>(&SET_PIN, &request)
        .await
        .unwrap_err();
    assert_eq!(
        e.message(),
        Some(
            "bad pin ** redacted ** (hint ** redacted **, sent as ** redacted **); note abc; other visible"
        ),
        "values under four characters are left alone"
    );
}

#[tokio::test]
async fn sensitive_values_echoed_in_a_status_or_decode_error_are_scrubbed() {
    let server = TestServer::start().await;
    let client = signed_client(&server.base_url());
    let request = CreateUserRequest::example();
    let page = format!("<html>bad request: Password={}</html>", request.password);
    for reply in [Reply::raw(500, page.clone()), Reply::raw(200, page.clone())] {
        server.respond("AppCreateCellphoneUser", reply);
        let e = client.create_user(&request).await.unwrap_err();
        assert!(
            matches!(e.kind(), ErrorKind::Status | ErrorKind::Decode),
            "{e:?}"
        );
        let message = e.message().unwrap();
        assert!(message.contains("Password=** redacted **"), "{message}");
        assert!(!message.contains(&request.password), "{message}");
    }
}
