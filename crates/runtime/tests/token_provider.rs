//! Token providers written by callers, for tokens obtained elsewhere: one
//! fetch for concurrent calls, the refusal they are told about, their
//! failures and their panics.

#![allow(
    clippy::disallowed_types,
    clippy::disallowed_methods,
    reason = "tests build replies as values"
)]

mod common;

use std::sync::Arc;

use common::*;
use iot_explorer_runtime::test_util::{Reply, TestServer};
use iot_explorer_runtime::{ErrorKind, TokenContext, TokenFuture, TokenProvider};
use serde_json::json;
use tokio::sync::Notify;

fn provider_client(server: &TestServer, provider: Arc<Counting>) -> TestClient {
    TestClient::builder()
        .base_url(server.base_url())
        .token_provider(provider)
        .retry_policy(fast_retries())
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_custom_provider_is_fetched_once_for_concurrent_calls() {
    let server = server_with_info().await;
    let gate = Arc::new(Notify::new());
    let provider = Arc::new(Counting {
        gate: Some(Arc::clone(&gate)),
        ..Counting::default()
    });
    let client = provider_client(&server, Arc::clone(&provider));
    let calls: Vec<_> = (0..10)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { client.get_info(&info()).await })
        })
        .collect();
    // Every call is now waiting on the one fetch, which waits on the gate.
    while provider.fetches() == 0 {
        tokio::task::yield_now().await;
    }
    for _ in 0..10 {
        tokio::task::yield_now().await;
    }
    gate.notify_one();
    for call in calls {
        call.await.unwrap().unwrap();
    }
    assert_eq!(provider.fetches(), 1);
    assert_eq!(tokens_sent(&server), vec![session_token(1); 10]);
}

#[tokio::test]
async fn a_custom_provider_learns_of_a_refusal() {
    let server = TestServer::start().await;
    server.respond_sequence(
        "AppGetDeviceOTAInfo",
        [Reply::error(INVALID, "stale"), Reply::success(json!({}))],
    );
    let provider = Arc::new(Counting::default());
    let client = provider_client(&server, Arc::clone(&provider));
    client.get_info(&info()).await.unwrap();
    assert_eq!(provider.fetches(), 2);
    assert_eq!(provider.after_rejection(), 1);
    assert_eq!(tokens_sent(&server), [session_token(1), session_token(2)]);
}

#[tokio::test]
async fn a_custom_provider_failure_is_a_login_error_with_its_source() {
    let server = server_with_info().await;
    let provider = Arc::new(Counting {
        fail: true,
        ..Counting::default()
    });
    let client = provider_client(&server, provider);
    let err = client.get_info(&info()).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Login);
    assert!(err.is_login_failure());
    assert_eq!(err.action(), Some("AppGetDeviceOTAInfo"));
    assert_eq!(
        err.to_string(),
        "AppGetDeviceOTAInfo failed: could not get an access token: backend unreachable"
    );
    let source = std::error::Error::source(&err).expect("the provider's error");
    assert_eq!(source.to_string(), "backend unreachable");
    assert!(server.requests().is_empty());
}

struct Panics;

impl TokenProvider for Panics {
    fn fetch_token<'a>(&'a self, _cx: TokenContext<'a>) -> TokenFuture<'a> {
        Box::pin(async { panic!("provider bug") })
    }
}

#[tokio::test]
async fn a_panicking_provider_fails_the_waiting_calls_instead_of_hanging_them() {
    let server = server_with_info().await;
    let client = TestClient::builder()
        .base_url(server.base_url())
        .token_provider(Panics)
        .build()
        .unwrap();
    let err = client.get_info(&info()).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Login);
    // And the next call tries again rather than waiting on a dead fetch.
    let err = client.get_info(&info()).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Login);
}
