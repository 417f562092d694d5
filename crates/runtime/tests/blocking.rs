//! The blocking client, against a server on its own thread.

#![allow(
    clippy::disallowed_types,
    clippy::disallowed_methods,
    reason = "tests build bodies and replies as values"
)]

mod common;

use std::future::Future as _;
use std::pin::pin;
use std::task::{Context, Poll, Waker};
use std::time::{Duration, Instant};

use common::*;
use iot_explorer_runtime::ErrorKind;
use iot_explorer_runtime::test_util::{Reply, TestServer};
use serde_json::{Map, Value, json};

#[test]
fn blocking_calls_work_without_a_runtime() {
    let server = TestServer::start_blocking();
    server.respond(
        "AppGetDeviceOTAInfo",
        Reply::success(json!({"FirmwareURL": "u", "Count": 4})),
    );
    server.respond(
        "AppCreateCellphoneUser",
        Reply::success(json!({"UserID": "u1"})),
    );
    let client = TestClient::builder()
        .base_url(server.base_url())
        .access_token(TOKEN)
        .app_key(APP_KEY)
        .app_secret(APP_SECRET)
        .build()
        .unwrap();

    let out: GetInfoResponse = client
        .0
        .call_blocking(&GET_INFO, &GetInfoRequest::new("P", "d"))
        .unwrap();
    assert_eq!(out.firmware_url.as_deref(), Some("u"));
    assert_eq!(out.count, Some(4));
    let out: CreateUserResponse = client
        .0
        .call_blocking(&CREATE_USER, &CreateUserRequest::example())
        .unwrap();
    assert_eq!(out.user_id.as_deref(), Some("u1"));

    // Several calls on one client, from several threads.
    std::thread::scope(|s| {
        for _ in 0..4 {
            s.spawn(|| {
                let _: GetInfoResponse = client
                    .0
                    .call_blocking(&GET_INFO, &GetInfoRequest::new("P", "d"))
                    .unwrap();
            });
        }
    });

    let reqs = server.requests();
    assert_eq!(reqs.len(), 6);
    assert_eq!(reqs[0].param("AccessToken"), Some(&json!(TOKEN)));
    assert!(reqs[1].signature_is_valid(APP_SECRET));
}

#[test]
fn blocking_errors_match_async_errors() {
    let server = TestServer::start_blocking();
    server.respond_sequence(
        "AppGetDeviceOTAInfo",
        [
            Reply::error("RequestLimitExceeded", "too fast"),
            Reply::error("InvalidParameterValue.InvalidAccessToken", "expired"),
        ],
    );
    let client = TestClient(token_client(&server.base_url()).0);
    let e = client
        .0
        .call_blocking::<_, GetInfoResponse>(&GET_INFO, &GetInfoRequest::new("P", "d"))
        .unwrap_err();
    assert_eq!(
        e.code(),
        Some(&ErrorCode::InvalidParameterValueInvalidAccessToken)
    );
    assert_eq!(
        server.requests().len(),
        2,
        "the throttled attempt was retried"
    );

    let anonymous = TestClient::builder()
        .base_url(server.base_url())
        .build()
        .unwrap();
    let e = anonymous
        .0
        .call_blocking::<_, GetInfoResponse>(&GET_INFO, &GetInfoRequest::new("P", "d"))
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::MissingCredentials);
    assert_eq!(server.requests().len(), 2);
}

#[test]
fn blocking_timeout() {
    let server = TestServer::start_blocking();
    server.respond(
        "AppGetDeviceOTAInfo",
        Reply::success(json!({})).with_delay(Duration::from_secs(120)),
    );
    let client = TestClient::builder()
        .base_url(server.base_url())
        .access_token(TOKEN)
        .timeout(Duration::from_secs(1))
        .build()
        .unwrap();
    let started = Instant::now();
    let e = client
        .0
        .call_blocking::<_, GetInfoResponse>(&GET_INFO, &GetInfoRequest::new("P", "d"))
        .unwrap_err();
    assert!(e.is_timeout(), "{e}");
    assert!(started.elapsed() < Duration::from_secs(30));
}

#[tokio::test]
async fn blocking_inside_a_runtime_is_an_error_not_a_panic() {
    let server = TestServer::start().await;
    let client = token_client(&server.base_url());
    let e = client
        .0
        .call_blocking::<_, Map<String, Value>>(&GET_INFO, &GetInfoRequest::new("P", "d"))
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidConfig);
    assert!(e.to_string().contains("call_blocking"), "{e}");
    assert!(server.requests().is_empty());
}

#[test]
fn async_call_outside_a_runtime_is_an_error_not_a_panic() {
    let client = token_client("http://127.0.0.1:9/api/exploreropen");
    let req = GetInfoRequest::new("P", "d");
    let mut fut = pin!(client.get_info(&req));
    match fut.as_mut().poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(Err(e)) => assert_eq!(e.kind(), ErrorKind::InvalidConfig, "{e}"),
        Poll::Ready(Ok(_)) => panic!("succeeded without a runtime"),
        Poll::Pending => panic!("pending without a runtime"),
    }
}
