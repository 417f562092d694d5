//! The channel of a client with a session: where each connection's token
//! comes from, what a refused subscription or heartbeat does, a failed
//! login, and a fixed-token client left as it was. Time is paused and held
//! ([`ClockHold`]) where the test advances it.

#![allow(
    clippy::disallowed_types,
    clippy::disallowed_methods,
    reason = "tests build replies as values"
)]

mod channel_support;
mod common;

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use channel_support::*;
use common::*;
use iot_explorer_runtime::channel::ChannelOptions;
use iot_explorer_runtime::test_util::{ChannelReply, ClockHold, Reply, TestChannel, TestServer};
use iot_explorer_runtime::{ErrorKind, Token};
use serde_json::json;
use tokio::sync::Notify;

const HEARTBEAT: &str = "AppDeviceTraceHeartBeat";

fn options() -> ChannelOptions {
    ChannelOptions::new().with_reconnect_backoff(Duration::from_secs(1), Duration::from_secs(30))
}

fn subscriptions(channel: &TestChannel) -> Vec<String> {
    tokens_of(&channel.frames_where(|f| f.is_subscription()))
}

/// Fails the test if `text` shows any of the first `n` session tokens.
fn assert_no_session_tokens(what: &str, text: &str, n: usize) {
    for i in 1..=n {
        let token = session_token(i);
        assert!(!text.contains(&token), "{what} shows {token}: {text}");
    }
}

/// `work`'s output, which must come within 10 s of real time: a resend
/// that loops fails the test instead of hanging it.
async fn within_10s<T>(work: impl std::future::Future<Output = T>) -> T {
    tokio::select! {
        out = work => out,
        _ = real_time_limit(Duration::from_secs(10)) => panic!("no result within 10 s of real time"),
    }
}

/// Lets the other tasks run until `provider` has been asked for a token;
/// a subscription that never asks fails the test instead of hanging it.
async fn wait_for_a_fetch(provider: &Counting) {
    for _ in 0..10_000 {
        if provider.fetches() > 0 {
            return;
        }
        tokio::task::yield_now().await;
    }
    panic!("the provider was never asked for a token");
}

#[tokio::test(start_paused = true)]
async fn a_session_client_subscribes_heartbeats_and_calls_with_the_providers_token() {
    let _hold = ClockHold::new();
    let channel = TestChannel::start().await;
    let provider = Arc::new(Counting::default());
    let client = session_client(&channel, &provider, options());
    let changes = subscribe(&client, &["P/a"]).await;
    assert_eq!(subscriptions(&channel), [session_token(1)]);

    tokio::time::advance(Duration::from_secs(60)).await;
    let beats = channel
        .wait_for_frames(1, |f| f.is_call_of(HEARTBEAT))
        .await;
    assert_eq!(tokens_of(&beats), [session_token(1)]);

    channel.respond("AppGetDeviceOTAInfo", Reply::success(json!({})));
    let _: GetInfoResponse = changes
        .handle()
        .call(&GET_INFO, &GetInfoRequest::new("P", "a"))
        .await
        .unwrap();
    let calls = channel.frames_where(|f| f.is_call_of("AppGetDeviceOTAInfo"));
    assert_eq!(tokens_of(&calls), [session_token(1)]);
    assert_eq!(provider.fetches(), 1);
    assert_no_session_tokens("DeviceChanges", &format!("{changes:?}"), 1);
    assert_no_session_tokens("ChannelHandle", &format!("{:?}", changes.handle()), 1);
}

#[tokio::test(start_paused = true)]
async fn a_reconnect_after_the_token_expired_subscribes_with_a_new_one() {
    let now = SystemTime::now();
    let expired = now - Duration::from_secs(10);
    let in_margin = now + Token::REFRESH_MARGIN - Duration::from_secs(30);
    for first_expiry in [expired, in_margin] {
        let _hold = ClockHold::new();
        let channel = TestChannel::start().await;
        let provider = Arc::new(Counting {
            first_expiry: Some(first_expiry),
            ..Counting::default()
        });
        let client = session_client(&channel, &provider, options());
        // The subscription that waited for the token uses it, as an HTTP
        // call would: the server is the judge of its expiry.
        let mut changes = subscribe(&client, &["P/a"]).await;
        assert_eq!(subscriptions(&channel), [session_token(1)]);

        channel.drop_connections();
        let d = disconnected(&mut changes).await;
        tokio::time::advance(d.retry_in).await;
        reconnected(&mut changes).await;
        assert_eq!(
            subscriptions(&channel),
            [session_token(1), session_token(2)]
        );
        assert_eq!(provider.fetches(), 2);
        assert_eq!(provider.after_rejection(), 0);

        // The new connection's heartbeats carry its token.
        tokio::time::advance(Duration::from_secs(60)).await;
        let beats = channel
            .wait_for_frames(1, |f| f.is_call_of(HEARTBEAT))
            .await;
        assert_eq!(
            (beats[0].connection, tokens_of(&beats)),
            (1, vec![session_token(2)])
        );
    }
}

#[tokio::test(start_paused = true)]
async fn a_reconnect_with_a_fresh_token_reuses_it() {
    let _hold = ClockHold::new();
    let channel = TestChannel::start().await;
    let provider = Arc::new(Counting::default());
    let client = session_client(&channel, &provider, options());
    let mut changes = subscribe(&client, &["P/a"]).await;
    channel.drop_connections();
    let d = disconnected(&mut changes).await;
    tokio::time::advance(d.retry_in).await;
    reconnected(&mut changes).await;
    assert_eq!(
        subscriptions(&channel),
        [session_token(1), session_token(1)]
    );
    assert_eq!(provider.fetches(), 1);
}

#[tokio::test(start_paused = true)]
async fn a_subscription_refused_for_its_token_is_sent_once_more_with_a_new_one() {
    let _hold = ClockHold::new();
    let channel = TestChannel::start().await;
    channel.respond_once("ActivePush", Reply::error(INVALID, "token expired"));
    let provider = Arc::new(Counting::default());
    let client = session_client(&channel, &provider, options());
    let changes = subscribe(&client, &["P/a"]).await;
    assert_eq!(changes.accepted(), ["P/a"]);
    assert_eq!(
        subscriptions(&channel),
        [session_token(1), session_token(2)]
    );
    assert_eq!((provider.fetches(), provider.after_rejection()), (2, 1));
    // On the same socket: the refusal did not end it.
    assert_eq!(channel.connections().len(), 1);
    let subs = channel.frames_where(|f| f.is_subscription());
    assert_ne!(subs[0].req_id(), subs[1].req_id());
}

#[tokio::test(start_paused = true)]
async fn a_second_refusal_of_the_subscription_is_the_error() {
    let _hold = ClockHold::new();
    let channel = TestChannel::start().await;
    channel.respond(
        "ActivePush",
        Reply::error(INVALID, format!("refused {}", session_token(2))),
    );
    let provider = Arc::new(Counting::default());
    let client = session_client(&channel, &provider, options());
    let subscribing = client
        .0
        .device_changes::<ChangeType, ChangeSubType>(&CHANNEL, ["P/a"]);
    let e = within_10s(subscribing).await.unwrap_err();
    assert_eq!(
        e.code(),
        Some(&ErrorCode::InvalidParameterValueInvalidAccessToken)
    );
    assert_eq!(e.action(), Some("ActivePush"));
    assert!(!e.is_login_failure());
    assert_eq!(provider.fetches(), 2);
    assert_eq!(subscriptions(&channel).len(), 2);
    assert_no_session_tokens("a refused subscription", &format!("{e} {e:?}"), 2);
}

#[tokio::test(start_paused = true)]
async fn a_heartbeat_refused_for_its_token_reconnects_with_a_new_one() {
    let _hold = ClockHold::new();
    let channel = TestChannel::start().await;
    let provider = Arc::new(Counting::default());
    let client = session_client(&channel, &provider, options());
    let mut changes = subscribe(&client, &["P/a"]).await;
    channel.respond_once(HEARTBEAT, Reply::error(INVALID, "token expired"));

    tokio::time::advance(Duration::from_secs(60)).await;
    let d = disconnected(&mut changes).await;
    assert_eq!(d.attempt, 1);
    assert_eq!(
        d.error.code(),
        Some(&ErrorCode::InvalidParameterValueInvalidAccessToken)
    );
    assert_eq!(d.error.action(), Some(HEARTBEAT));
    // The old connection is not left open through the backoff.
    channel.wait_for_no_connection().await;

    tokio::time::advance(d.retry_in).await;
    let r = reconnected(&mut changes).await;
    assert_eq!(r.attempts, 1);
    assert_eq!(
        subscriptions(&channel),
        [session_token(1), session_token(2)]
    );
    assert_eq!((provider.fetches(), provider.after_rejection()), (2, 1));
    assert_eq!(channel.connections().len(), 2);
}

#[tokio::test(start_paused = true)]
async fn a_fixed_token_is_never_fetched_again() {
    let _hold = ClockHold::new();
    let channel = TestChannel::start().await;
    let client = channel_client(&channel, options());
    channel.respond_once("ActivePush", Reply::error(INVALID, "token expired"));
    let e = client
        .0
        .device_changes::<ChangeType, ChangeSubType>(&CHANNEL, ["P/a"])
        .await
        .unwrap_err();
    assert_eq!(
        e.code(),
        Some(&ErrorCode::InvalidParameterValueInvalidAccessToken)
    );
    assert_eq!(subscriptions(&channel).len(), 1);

    // A refused heartbeat is an error item, and the connection stays.
    let mut changes = subscribe(&client, &["P/a"]).await;
    channel.respond_once(HEARTBEAT, Reply::error(INVALID, "token expired"));
    tokio::time::advance(Duration::from_secs(60)).await;
    let e = next_error(&mut changes).await;
    assert_eq!(e.wire_code(), Some(INVALID));
    assert_eq!(e.action(), Some(HEARTBEAT));
    channel.push(&iot_explorer_runtime::test_util::TestChange::new(
        "P/a", "Event", "Report",
    ));
    next_change(&mut changes).await;

    // A refused call is the call's error, sent once.
    channel.respond(
        "AppGetDeviceOTAInfo",
        Reply::error(INVALID, "token expired"),
    );
    let e = changes
        .handle()
        .call::<_, GetInfoResponse>(&GET_INFO, &GetInfoRequest::new("P", "a"))
        .await
        .unwrap_err();
    assert_eq!(e.wire_code(), Some(INVALID));
    let calls = channel.frames_where(|f| f.is_call_of("AppGetDeviceOTAInfo"));
    assert_eq!(tokens_of(&calls), [TOKEN]);
    assert_eq!(subscriptions(&channel), [TOKEN, TOKEN]);
    assert_eq!(channel.connections().len(), 2);
}

#[tokio::test]
async fn a_failed_login_fails_device_changes_with_the_sessions_error() {
    let server = TestServer::start().await;
    server.respond(
        "AppGetToken",
        Reply::error("InvalidParameterValue.UserLoginFailed", "wrong password"),
    );
    let channel = TestChannel::start().await;
    let client = login_channel_client(&server, &channel, ChannelOptions::new());
    let e = client
        .0
        .device_changes::<ChangeType, ChangeSubType>(&CHANNEL, ["P/a"])
        .await
        .unwrap_err();
    assert!(e.is_login_failure(), "{e}");
    assert_eq!(e.kind(), ErrorKind::Api);
    assert_eq!(e.wire_code(), Some("InvalidParameterValue.UserLoginFailed"));
    assert_eq!(e.action(), Some("AppGetToken"));
    for text in [e.to_string(), format!("{e:?}")] {
        assert!(!text.contains(PASSWORD), "{text}");
    }
    assert_eq!(server.requests_for("AppGetToken").len(), 1);
    // No socket for a subscription that has no token.
    assert_eq!(channel.connections().len(), 0);

    // A provider's own failure names the subscription.
    let provider = Arc::new(Counting {
        fail: true,
        ..Counting::default()
    });
    let client = session_client(&channel, &provider, options());
    let e = client
        .0
        .device_changes::<ChangeType, ChangeSubType>(&CHANNEL, ["P/a"])
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Login);
    assert_eq!(e.action(), Some("ActivePush"));
    assert!(e.to_string().contains("backend unreachable"), "{e}");
    assert_eq!(channel.connections().len(), 0);
}

#[tokio::test]
async fn a_login_client_subscribes_with_the_login_token() {
    let server = TestServer::start().await;
    let expire_at = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap()
        .as_secs()
        + 3600;
    server.respond(
        "AppGetToken",
        Reply::success(json!({"Data": {"Token": "login-tok-1", "ExpireAt": expire_at}})),
    );
    let channel = TestChannel::start().await;
    let client = login_channel_client(&server, &channel, ChannelOptions::new());
    subscribe(&client, &["P/a"]).await;
    assert_eq!(subscriptions(&channel), ["login-tok-1"]);
    assert_eq!(server.requests_for("AppGetToken").len(), 1);
}

#[tokio::test]
async fn concurrent_subscriptions_share_one_fetch() {
    let channel = TestChannel::start().await;
    let gate = Arc::new(Notify::new());
    let provider = Arc::new(Counting {
        gate: Some(Arc::clone(&gate)),
        ..Counting::default()
    });
    let client = session_client(&channel, &provider, options());
    let subscribing: Vec<_> = ["P/a", "P/b", "P/c"]
        .into_iter()
        .map(|device| {
            let client = client.clone();
            tokio::spawn(async move { subscribe(&client, &[device]).await })
        })
        .collect();
    wait_for_a_fetch(&provider).await;
    for _ in 0..10 {
        tokio::task::yield_now().await;
    }
    gate.notify_one();
    for s in subscribing {
        s.await.unwrap();
    }
    assert_eq!(provider.fetches(), 1);
    assert_eq!(subscriptions(&channel), vec![session_token(1); 3]);
}

#[tokio::test(start_paused = true)]
async fn the_wait_for_a_token_is_bounded_by_the_client_timeout() {
    let _hold = ClockHold::new();
    let channel = TestChannel::start().await;
    let provider = Arc::new(Counting {
        gate: Some(Arc::new(Notify::new())),
        ..Counting::default()
    });
    let client = TestClient::builder()
        .token_provider(Arc::clone(&provider))
        .channel_url(channel.url())
        .timeout(Duration::from_secs(7))
        .build()
        .unwrap();
    let subscribing = tokio::spawn(async move {
        client
            .0
            .device_changes::<ChangeType, ChangeSubType>(&CHANNEL, ["P/a"])
            .await
            .map(drop)
    });
    wait_for_a_fetch(&provider).await;
    tokio::time::advance(Duration::from_secs(7)).await;
    let e = subscribing.await.unwrap().unwrap_err();
    assert!(e.is_timeout(), "{e}");
    assert!(e.is_login_failure(), "{e}");
    assert_eq!(e.action(), Some("ActivePush"));
    assert_eq!(channel.connections().len(), 0);
}

#[tokio::test(start_paused = true)]
async fn every_token_the_stream_used_is_scrubbed() {
    let _hold = ClockHold::new();
    let channel = TestChannel::start().await;
    let provider = Arc::new(Counting {
        first_expiry: Some(SystemTime::now() - Duration::from_secs(10)),
        ..Counting::default()
    });
    let client = session_client(&channel, &provider, options());
    let mut changes = subscribe(&client, &["P/a"]).await;
    channel.drop_connections();
    let d = disconnected(&mut changes).await;
    tokio::time::advance(d.retry_in).await;
    reconnected(&mut changes).await;
    assert_eq!(provider.fetches(), 2);

    // A broken frame is quoted in its error; a server may echo either token.
    channel.push_raw(format!(
        "{{\"echo\":\"{} {}\"",
        session_token(1),
        session_token(2)
    ));
    let e = next_error(&mut changes).await;
    assert_eq!(e.kind(), ErrorKind::Decode);
    assert_no_session_tokens("a frame error", &format!("{e} {e:?}"), 2);

    channel.respond(
        HEARTBEAT,
        ChannelReply::frame_error(
            "-1",
            format!("bad {} {}", session_token(1), session_token(2)),
        ),
    );
    tokio::time::advance(Duration::from_secs(60)).await;
    let e = next_error(&mut changes).await;
    assert_eq!(e.wire_code(), Some("-1"));
    assert_no_session_tokens("a heartbeat error", &format!("{e} {e:?}"), 2);
}

#[tokio::test(start_paused = true)]
async fn a_call_refused_for_its_token_is_resent_once_with_a_new_one() {
    let _hold = ClockHold::new();
    let channel = TestChannel::start().await;
    let provider = Arc::new(Counting::default());
    let client = session_client(&channel, &provider, options());
    let changes = subscribe(&client, &["P/a"]).await;
    channel.respond_once(
        "AppGetDeviceOTAInfo",
        Reply::error(INVALID, "token expired"),
    );
    channel.respond(
        "AppGetDeviceOTAInfo",
        Reply::success(json!({"FirmwareURL": "u"})),
    );
    let out: GetInfoResponse = changes
        .handle()
        .call(&GET_INFO, &GetInfoRequest::new("P", "a"))
        .await
        .unwrap();
    assert_eq!(out.firmware_url.as_deref(), Some("u"));
    let calls = channel.frames_where(|f| f.is_call_of("AppGetDeviceOTAInfo"));
    assert_eq!(tokens_of(&calls), [session_token(1), session_token(2)]);
    // A new request, on the same connection.
    assert_ne!(calls[0].req_id(), calls[1].req_id());
    assert_eq!((calls[0].connection, calls[1].connection), (0, 0));
    assert_eq!((provider.fetches(), provider.after_rejection()), (2, 1));
    assert_eq!(out.request_id.as_deref(), calls[1].req_id());
}

#[tokio::test(start_paused = true)]
async fn a_second_refusal_of_a_call_is_the_error() {
    let _hold = ClockHold::new();
    let channel = TestChannel::start().await;
    let provider = Arc::new(Counting::default());
    let client = session_client(&channel, &provider, options());
    let changes = subscribe(&client, &["P/a"]).await;
    channel.respond(
        "AppGetDeviceOTAInfo",
        Reply::error(INVALID, format!("no {}", session_token(2))),
    );
    let handle = changes.handle();
    let request = GetInfoRequest::new("P", "a");
    let calling = handle.call::<_, GetInfoResponse>(&GET_INFO, &request);
    let e = within_10s(calling).await.unwrap_err();
    assert_eq!(
        e.code(),
        Some(&ErrorCode::InvalidParameterValueInvalidAccessToken)
    );
    assert_eq!(e.action(), Some("AppGetDeviceOTAInfo"));
    let calls = channel.frames_where(|f| f.is_call_of("AppGetDeviceOTAInfo"));
    assert_eq!(tokens_of(&calls), [session_token(1), session_token(2)]);
    assert_eq!(
        e.request_id(),
        calls[1].params().unwrap()["RequestId"].as_str()
    );
    assert_eq!(provider.fetches(), 2);
    assert_no_session_tokens("a refused call", &format!("{e} {e:?}"), 2);
}
