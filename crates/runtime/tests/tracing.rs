//! Tracing output of calls, logins and the channel, captured at every
//! level and target: what it shows, and that no token, app secret or
//! password is in it.
//!
//! A test binary of its own, with a global subscriber: tracing caches
//! per-callsite interest process-wide, so a thread-local subscriber next to
//! other tests' threads can miss spans. The tests share it; each records
//! the thread it ran on, so that what a test expects to see is looked for
//! in its own lines (a current-thread runtime runs the tasks it spawns on
//! the test's thread), while secrets are looked for in every line.

#![allow(
    clippy::disallowed_types,
    clippy::disallowed_methods,
    reason = "tests build bodies and replies as values"
)]

mod channel_support;
mod common;

use std::sync::{Arc, Mutex, OnceLock};
use std::thread::ThreadId;
use std::time::Duration;

use channel_support::*;
use common::*;
use iot_explorer_runtime::channel::ChannelOptions;
use iot_explorer_runtime::test_util::{Reply, TestChange, TestChannel, TestServer};
use serde_json::json;

/// Collects span and event fields as text, with the thread of each line.
#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<(ThreadId, String)>>>);

impl Capture {
    fn push(&self, line: String) -> usize {
        let mut lines = self.0.lock().unwrap();
        lines.push((std::thread::current().id(), line));
        lines.len()
    }

    /// Every line so far, from every test.
    fn all(&self) -> String {
        let lines = self.0.lock().unwrap();
        let lines: Vec<&str> = lines.iter().map(|(_, l)| l.as_str()).collect();
        lines.join("\n")
    }

    /// The lines of the current thread: the current test's.
    fn mine(&self) -> Vec<String> {
        let me = std::thread::current().id();
        let lines = self.0.lock().unwrap();
        lines
            .iter()
            .filter(|(thread, _)| *thread == me)
            .map(|(_, l)| l.clone())
            .collect()
    }
}

/// The binary's subscriber, installed by the first test that asks.
fn capture() -> &'static Capture {
    static CAPTURE: OnceLock<Capture> = OnceLock::new();
    CAPTURE.get_or_init(|| {
        let capture = Capture::default();
        tracing::subscriber::set_global_default(capture.clone())
            .expect("the only subscriber in this binary");
        capture
    })
}

struct Fields<'a>(&'a mut String);

impl tracing::field::Visit for Fields<'_> {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        self.0.push_str(&format!(" {}={:?}", field.name(), value));
    }
}

impl tracing::Subscriber for Capture {
    fn enabled(&self, _: &tracing::Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, span: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        let mut line = format!("span {}", span.metadata().name());
        span.record(&mut Fields(&mut line));
        tracing::span::Id::from_u64(self.push(line) as u64)
    }
    fn record(&self, _: &tracing::span::Id, values: &tracing::span::Record<'_>) {
        let mut line = "record".to_owned();
        values.record(&mut Fields(&mut line));
        self.push(line);
    }
    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}
    fn event(&self, event: &tracing::Event<'_>) {
        let mut line = format!("event {}", event.metadata().target());
        event.record(&mut Fields(&mut line));
        self.push(line);
    }
    fn enter(&self, _: &tracing::span::Id) {}
    fn exit(&self, _: &tracing::span::Id) {}
}

/// Fails the test if any captured line shows the token, the app secret,
/// a password, or any of `tokens`.
fn assert_traces_hide(tokens: &[String]) {
    let text = capture().all();
    assert_no_secrets("traces", &text);
    for secret in [PASSWORD, "My!P@ssword"] {
        assert!(!text.contains(secret), "traces show a password: {text}");
    }
    for token in tokens {
        assert!(
            !text.contains(token.as_str()),
            "traces show {token}: {text}"
        );
    }
}

/// Fails the test unless one of its own lines has every one of `parts`.
#[track_caller]
fn assert_traced(mine: &[String], parts: &[&str]) {
    assert!(
        mine.iter().any(|l| parts.iter().all(|p| l.contains(p))),
        "no line with {parts:?} in:\n{}",
        mine.join("\n")
    );
}

#[tokio::test]
async fn calls_are_traced_without_secrets() {
    let capture = capture();
    let server = TestServer::start().await;
    server.respond_sequence(
        "AppGetDeviceOTAInfo",
        [
            Reply::error("RequestLimitExceeded", format!("slow down {TOKEN}")),
            Reply::success(json!({})),
        ],
    );
    server.respond("AppCreateCellphoneUser", Reply::success(json!({})));
    let client = TestClient::builder()
        .base_url(server.base_url())
        .access_token(TOKEN)
        .app_key(APP_KEY)
        .app_secret(APP_SECRET)
        .retry_policy(fast_retries())
        .build()
        .unwrap();
    client
        .get_info(&GetInfoRequest::new("P", "d"))
        .await
        .unwrap();
    client
        .create_user(&CreateUserRequest::example())
        .await
        .unwrap();

    let lines = capture.mine();
    let text = lines.join("\n");
    let request_id = server.requests()[0]
        .param("RequestId")
        .unwrap()
        .as_str()
        .unwrap()
        .to_owned();
    assert!(
        lines.iter().any(|l| l.starts_with("span iot_explorer.call")
            && l.contains("action=\"AppGetDeviceOTAInfo\"")
            && l.contains(&request_id)),
        "{text}"
    );
    assert!(text.contains("retrying"), "{text}");
    assert_traces_hide(&[]);
}

#[tokio::test]
async fn logins_are_traced_without_the_password_or_the_tokens() {
    let capture = capture();
    let server = server_with_info().await;
    server.respond_sequence(
        "AppGetToken",
        [
            // A server that quotes the password back.
            Reply::error(
                "InvalidParameterValue.UserLoginFailed",
                format!("wrong password {PASSWORD}"),
            ),
            login_reply(1),
            login_reply(2),
        ],
    );
    server.respond_sequence(
        "AppGetDeviceOTAInfo",
        [
            Reply::success(json!({})),
            Reply::error(INVALID, format!("expired: {}", session_token(1))),
        ],
    );
    let client = login_client(&server.base_url(), Login::email("u@example.com", PASSWORD));
    let e = client.get_info(&info()).await.unwrap_err();
    assert!(e.is_login_failure(), "{e}");
    client.get_info(&info()).await.unwrap();
    // Refused: a second login, and the call sent again.
    client.get_info(&info()).await.unwrap();
    assert_eq!(server.requests_for("AppGetToken").len(), 3);
    assert_eq!(
        tokens_sent(&server),
        [session_token(1), session_token(1), session_token(2)]
    );

    let mine = capture.mine();
    assert_traced(&mine, &["span iot_explorer.call", "action=\"AppGetToken\""]);
    assert_traced(
        &mine,
        &[
            "could not get an access token",
            "InvalidParameterValue.UserLoginFailed",
        ],
    );
    assert_traced(&mine, &["got an access token"]);
    assert_traced(&mine, &["access token refused; fetching another"]);
    assert_traces_hide(&[session_token(1), session_token(2)]);
}

/// A login reply with [`session_token`]`(n)` and no expiry.
fn login_reply(n: usize) -> Reply {
    Reply::success(json!({"Data": {"Token": session_token(n)}}))
}

const HEARTBEAT: &str = "AppDeviceTraceHeartBeat";

#[tokio::test]
async fn a_channel_session_is_traced_without_the_password_or_the_tokens() {
    let capture = capture();
    let server = TestServer::start().await;
    server.respond_sequence(
        "AppGetToken",
        [Reply::error(
            "InvalidParameterValue.UserLoginFailed",
            format!("wrong password {PASSWORD}"),
        )],
    );
    server.respond_sequence("AppGetToken", (1..=3).map(login_reply));
    let channel = TestChannel::start().await;
    let options = ChannelOptions::new()
        .with_heartbeat_interval(Duration::from_millis(100))
        .with_reconnect_backoff(Duration::from_millis(10), Duration::from_millis(50));
    let client = login_channel_client(&server, &channel, options);
    let e = client
        .0
        .device_changes::<ChangeType, ChangeSubType>(&CHANNEL, ["P/a"])
        .await
        .unwrap_err();
    assert!(e.is_login_failure(), "{e}");

    // The subscription is refused for its token once, and so is a call
    // over the socket; the servers echo the token they refused.
    channel.respond_once(
        "ActivePush",
        Reply::error(INVALID, format!("refused {}", session_token(1))),
    );
    channel.respond_once(
        "AppGetDeviceOTAInfo",
        Reply::error(INVALID, format!("refused {}", session_token(2))),
    );
    channel.respond(
        "AppGetDeviceOTAInfo",
        Reply::success(json!({"FirmwareURL": "u"})),
    );
    let mut changes = subscribe(&client, &["P/a"]).await;
    let out: GetInfoResponse = changes
        .handle()
        .call(&GET_INFO, &GetInfoRequest::new("P", "a"))
        .await
        .unwrap();
    assert_eq!(out.firmware_url.as_deref(), Some("u"));
    channel.push(&TestChange::new("P/a", "Event", "Report"));
    next_change(&mut changes).await;
    // A broken frame is quoted in its error.
    channel.push_raw(format!("{{\"echo\":\"{}\"", session_token(3)));
    next_error(&mut changes).await;
    // A refused heartbeat: a new connection, with the session's newer token.
    channel.respond_once(HEARTBEAT, Reply::error(INVALID, "expired"));
    disconnected(&mut changes).await;
    reconnected(&mut changes).await;
    drop(changes);
    channel.wait_for_no_connection().await;

    // The failed login, the first, and one per refusal of the subscription
    // and of the call; the heartbeat was refused for a token the call's
    // resend had already replaced.
    let logins = server.requests_for("AppGetToken").len();
    assert_eq!(logins, 4);
    let mut tokens: Vec<String> = (1..logins).map(session_token).collect();
    tokens.extend(tokens_of(
        &channel.frames_where(|f| f.access_token().is_some()),
    ));
    let mine = capture.mine();
    assert_traced(&mine, &["could not get an access token"]);
    assert_traced(&mine, &["channel subscribed"]);
    assert_traced(
        &mine,
        &["channel access token refused", "action=\"ActivePush\""],
    );
    assert_traced(
        &mine,
        &[
            "channel access token refused",
            "action=\"AppGetDeviceOTAInfo\"",
        ],
    );
    assert_traced(&mine, &["channel down; reconnecting"]);
    assert_traced(&mine, &["channel reconnected"]);
    assert_traces_hide(&tokens);
}

#[tokio::test]
async fn a_channel_with_a_fixed_token_is_traced_without_it() {
    let capture = capture();
    let channel = TestChannel::start().await;
    let client = channel_client(&channel, ChannelOptions::new());
    channel.respond_once(
        "ActivePush",
        Reply::error(INVALID, format!("refused {TOKEN}")),
    );
    client
        .0
        .device_changes::<ChangeType, ChangeSubType>(&CHANNEL, ["P/a"])
        .await
        .unwrap_err();
    let changes = subscribe(&client, &["P/a"]).await;
    channel.respond_once(
        "AppGetDeviceOTAInfo",
        Reply::error(INVALID, format!("refused {TOKEN}")),
    );
    channel.respond("AppGetDeviceOTAInfo", Reply::success(json!({})));
    let request = GetInfoRequest::new("P", "a");
    let handle = changes.handle();
    handle
        .call::<_, GetInfoResponse>(&GET_INFO, &request)
        .await
        .unwrap_err();
    handle
        .call::<_, GetInfoResponse>(&GET_INFO, &request)
        .await
        .unwrap();
    drop((handle, changes));
    channel.wait_for_no_connection().await;
    assert_eq!(
        tokens_of(&channel.frames_where(|f| f.access_token().is_some())),
        [TOKEN; 4]
    );

    assert_traced(&capture.mine(), &["channel subscribed"]);
    assert_traces_hide(&[]);
}
