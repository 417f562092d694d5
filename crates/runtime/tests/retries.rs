//! Retries and timeouts against the loopback server. Limits are generous and
//! only upper bounds are checked, so a slow machine cannot make these fail.

#![allow(
    clippy::disallowed_types,
    clippy::disallowed_methods,
    reason = "tests build bodies and replies as values"
)]

mod common;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::*;
use iot_explorer_runtime::test_util::{Reply, TestServer};
use iot_explorer_runtime::{ErrorKind, RetryPolicy};
use serde_json::{Value, json};

/// A token client for `server` with the retry policy under test.
fn client_with(server: &TestServer, policy: RetryPolicy) -> TestClient {
    TestClient::builder()
        .base_url(server.base_url())
        .access_token(TOKEN)
        .retry_policy(policy)
        .build()
        .unwrap()
}

fn request_ids(server: &TestServer) -> Vec<String> {
    server
        .requests()
        .iter()
        .map(|r| {
            r.param("RequestId")
                .and_then(Value::as_str)
                .unwrap()
                .to_owned()
        })
        .collect()
}

#[tokio::test]
async fn throttling_is_retried_with_the_same_request_id() {
    let server = TestServer::start().await;
    server.respond_sequence(
        "AppGetDeviceOTAInfo",
        [
            Reply::error("RequestLimitExceeded", "too fast"),
            Reply::error("RequestLimitExceeded.UinLimitExceeded", "too fast"),
            Reply::success(json!({"FirmwareURL": "u"})),
        ],
    );
    let client = token_client(&server.base_url());
    let out = client
        .get_info(&GetInfoRequest::new("P", "d"))
        .await
        .unwrap();
    assert_eq!(out.firmware_url.as_deref(), Some("u"));
    let ids = request_ids(&server);
    assert_eq!(ids.len(), 3);
    assert!(ids.iter().all(|id| *id == ids[0]), "{ids:?}");
    assert_eq!(out.request_id.as_deref(), Some(ids[0].as_str()));
}

#[tokio::test]
async fn http_429_is_retried() {
    let server = TestServer::start().await;
    server.respond_sequence(
        "AppGetDeviceOTAInfo",
        [Reply::raw(429, "slow down"), Reply::success(json!({}))],
    );
    let client = token_client(&server.base_url());
    client
        .get_info(&GetInfoRequest::new("P", "d"))
        .await
        .unwrap();
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn signed_retries_are_signed_afresh() {
    let server = TestServer::start().await;
    server.respond_sequence(
        "AppCreateCellphoneUser",
        [
            Reply::error("RequestLimitExceeded", "too fast"),
            Reply::success(json!({"UserID": "u"})),
        ],
    );
    let client = signed_client(&server.base_url());
    client
        .create_user(&CreateUserRequest::example())
        .await
        .unwrap();
    let reqs = server.requests();
    assert_eq!(reqs.len(), 2);
    assert_eq!(reqs[0].param("RequestId"), reqs[1].param("RequestId"));
    assert!(reqs.iter().all(|r| r.signature_is_valid(APP_SECRET)));
}

#[tokio::test]
async fn a_connection_dropped_after_sending_is_not_retried() {
    let server = TestServer::start().await;
    server.respond_sequence(
        "AppGetDeviceOTAInfo",
        [Reply::drop_connection(), Reply::success(json!({}))],
    );
    let client = token_client(&server.base_url());
    let e = client
        .get_info(&GetInfoRequest::new("P", "d"))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Transport, "{e}");
    assert!(!e.is_retryable());
    assert_eq!(e.request_id(), Some(request_ids(&server)[0].as_str()));
    assert!(e.to_string().contains("AppGetDeviceOTAInfo"), "{e}");
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn other_errors_are_not_retried_by_default() {
    let server = TestServer::start().await;
    server.respond_sequence(
        "AppGetDeviceOTAInfo",
        [
            Reply::error("InternalError", "boom"),
            Reply::success(json!({})),
        ],
    );
    let client = token_client(&server.base_url());
    let e = client
        .get_info(&GetInfoRequest::new("P", "d"))
        .await
        .unwrap_err();
    assert_eq!(e.code(), Some(&ErrorCode::InternalError));
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn retry_policy_none_makes_one_attempt() {
    let server = TestServer::start().await;
    server.respond(
        "AppGetDeviceOTAInfo",
        Reply::error("RequestLimitExceeded", "too fast"),
    );
    let client = client_with(&server, RetryPolicy::none());
    let e = client
        .get_info(&GetInfoRequest::new("P", "d"))
        .await
        .unwrap_err();
    assert_eq!(e.code(), Some(&ErrorCode::RequestLimitExceeded));
    assert!(e.is_retryable());
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn attempts_stop_at_the_maximum() {
    let server = TestServer::start().await;
    server.respond(
        "AppGetDeviceOTAInfo",
        Reply::error("RequestLimitExceeded", "too fast"),
    );
    let client = client_with(&server, fast_retries().with_max_attempts(4));
    let e = client
        .get_info(&GetInfoRequest::new("P", "d"))
        .await
        .unwrap_err();
    assert_eq!(e.code(), Some(&ErrorCode::RequestLimitExceeded));
    assert_eq!(server.requests().len(), 4);
}

#[tokio::test]
async fn a_custom_classifier_decides() {
    let server = TestServer::start().await;
    server.respond_sequence(
        "AppGetDeviceOTAInfo",
        [
            Reply::error("InternalError", "boom"),
            Reply::success(json!({})),
        ],
    );
    let seen = Arc::new(Mutex::new(Vec::new()));
    let seen_in = Arc::clone(&seen);
    let policy = fast_retries().with_classifier(move |a| {
        seen_in.lock().unwrap().push((
            a.action().to_owned(),
            a.attempt(),
            a.code().map(str::to_owned),
        ));
        a.code() == Some("InternalError") || a.is_default_retryable()
    });
    let client = client_with(&server, policy);
    client
        .get_info(&GetInfoRequest::new("P", "d"))
        .await
        .unwrap();
    assert_eq!(server.requests().len(), 2);
    assert_eq!(
        *seen.lock().unwrap(),
        [(
            "AppGetDeviceOTAInfo".to_owned(),
            1,
            Some("InternalError".to_owned())
        )]
    );
}

#[tokio::test]
async fn a_refused_connection_is_retried() {
    // A port that was just free: connecting to it is refused, so nothing
    // can have been sent.
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let seen = Arc::new(Mutex::new(Vec::new()));
    let seen_in = Arc::clone(&seen);
    let policy = fast_retries()
        .with_max_attempts(3)
        .with_classifier(move |a| {
            seen_in
                .lock()
                .unwrap()
                .push((a.attempt(), a.kind(), a.may_have_been_sent()));
            a.is_default_retryable()
        });
    let client = TestClient::builder()
        .base_url(format!("http://127.0.0.1:{port}/api/exploreropen"))
        .access_token(TOKEN)
        .retry_policy(policy)
        .build()
        .unwrap();
    let e = client
        .get_info(&GetInfoRequest::new("P", "d"))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Transport, "{e}");
    assert!(e.is_retryable());
    assert!(e.request_id().is_some());
    assert_eq!(
        *seen.lock().unwrap(),
        [
            (1, ErrorKind::Transport, false),
            (2, ErrorKind::Transport, false)
        ]
    );
}

#[tokio::test]
async fn a_stalled_server_times_out_within_the_limit() {
    let server = TestServer::start().await;
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
        .get_info(&GetInfoRequest::new("P", "d"))
        .await
        .unwrap_err();
    let took = started.elapsed();
    assert_eq!(e.kind(), ErrorKind::Timeout, "{e}");
    assert!(e.is_timeout() && !e.is_retryable());
    assert!(took < Duration::from_secs(30), "took {took:?}");
    assert_eq!(e.request_id(), Some(request_ids(&server)[0].as_str()));
    let shown = e.to_string();
    assert!(
        shown.contains("AppGetDeviceOTAInfo") && shown.contains("timed out"),
        "{shown}"
    );
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn the_timeout_bounds_retries_too() {
    let server = TestServer::start().await;
    server.respond(
        "AppGetDeviceOTAInfo",
        Reply::error("RequestLimitExceeded", "too fast"),
    );
    // The first backoff (at least 30 s) cannot fit in the 2 s limit, so the
    // call gives up at once with the server's error rather than sleeping.
    let client = TestClient::builder()
        .base_url(server.base_url())
        .access_token(TOKEN)
        .timeout(Duration::from_secs(2))
        .retry_policy(
            RetryPolicy::default()
                .with_initial_backoff(Duration::from_secs(60))
                .with_max_backoff(Duration::from_secs(60)),
        )
        .build()
        .unwrap();
    let started = Instant::now();
    let e = client
        .get_info(&GetInfoRequest::new("P", "d"))
        .await
        .unwrap_err();
    assert_eq!(e.code(), Some(&ErrorCode::RequestLimitExceeded), "{e}");
    assert!(started.elapsed() < Duration::from_secs(30));
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn huge_limits_do_not_overflow() {
    let server = TestServer::start().await;
    server.respond_sequence(
        "AppGetDeviceOTAInfo",
        [
            Reply::error("RequestLimitExceeded", "too fast"),
            Reply::success(json!({})),
        ],
    );
    let client = TestClient::builder()
        .base_url(server.base_url())
        .access_token(TOKEN)
        .timeout(Duration::MAX)
        .connect_timeout(Duration::MAX)
        .retry_policy(
            RetryPolicy::default()
                .with_max_backoff(Duration::MAX)
                .with_initial_backoff(Duration::from_millis(1)),
        )
        .build()
        .unwrap();
    client
        .get_info(&GetInfoRequest::new("P", "d"))
        .await
        .unwrap();
    assert_eq!(server.requests().len(), 2);
}
