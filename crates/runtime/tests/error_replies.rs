//! What an error reply leaves in the error: envelopes that lack a part, and
//! what is kept out of messages. Against the loopback server.

#![allow(
    clippy::disallowed_types,
    clippy::disallowed_methods,
    reason = "tests build bodies and replies as values"
)]

mod common;

use common::*;
use iot_explorer_runtime::ErrorKind;
use iot_explorer_runtime::test_util::{Reply, TestServer};
use serde_json::json;

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
