//! Sessions against the loopback server: when a client logs in, how often,
//! and what a refused token or a failed login does. Logins are counted per
//! scenario from the requests the server saw.

#![allow(
    clippy::disallowed_types,
    clippy::disallowed_methods,
    reason = "tests build replies as values"
)]

mod common;

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use common::*;
use iot_explorer_runtime::test_util::{Reply, TestServer};
use iot_explorer_runtime::{ErrorKind, Token};
use serde_json::json;

fn unix_now() -> i64 {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs();
    i64::try_from(secs).unwrap()
}

fn login_reply(token: &str, expire_at: i64) -> Reply {
    Reply::success(json!({"Data": {"Token": token, "ExpireAt": expire_at}}))
}

fn logins(server: &TestServer) -> usize {
    server.requests_for("AppGetToken").len()
}

#[tokio::test]
async fn the_first_token_call_logs_in_through_the_same_client() {
    let server = server_with_info().await;
    server.respond("AppGetToken", login_reply("tok-1", unix_now() + 3600));
    let client = login_client(
        &server.base_url(),
        Login::email("user@example.com", PASSWORD),
    );

    let out = client.get_info(&info()).await.unwrap();
    assert_eq!(out.firmware_url.as_deref(), Some("u"));

    let seen: Vec<_> = server
        .requests()
        .iter()
        .map(|r| r.action().unwrap().to_owned())
        .collect();
    assert_eq!(seen, ["AppGetToken", "AppGetDeviceOTAInfo"]);
    let login = &server.requests_for("AppGetToken")[0];
    assert!(login.path.ends_with("/appapi"), "{}", login.path);
    assert!(login.signature_is_valid(APP_SECRET));
    assert_eq!(login.param("Email"), Some(&json!("user@example.com")));
    assert_eq!(login.param("Password"), Some(&json!(PASSWORD)));
    assert_eq!(login.param("Type"), Some(&json!("email")));
    assert_eq!(tokens_sent(&server), ["tok-1"]);
}

#[tokio::test]
async fn phone_logins_send_the_phone_fields() {
    let server = server_with_info().await;
    server.respond("AppGetToken", login_reply("tok-1", unix_now() + 3600));
    let client = login_client(
        &server.base_url(),
        Login::phone("86", "13800000000", PASSWORD),
    );
    client.get_info(&info()).await.unwrap();
    let login = &server.requests_for("AppGetToken")[0];
    assert_eq!(login.param("CountryCode"), Some(&json!("86")));
    assert_eq!(login.param("PhoneNumber"), Some(&json!("13800000000")));
    assert_eq!(login.param("Type"), Some(&json!("phone")));
}

#[tokio::test]
async fn a_fresh_token_is_reused_by_later_calls_and_clones() {
    let server = server_with_info().await;
    server.respond("AppGetToken", login_reply("tok-1", unix_now() + 3600));
    let client = login_client(&server.base_url(), Login::email("u@example.com", PASSWORD));
    client.get_info(&info()).await.unwrap();
    client.get_info(&info()).await.unwrap();
    client.clone().get_info(&info()).await.unwrap();
    assert_eq!(logins(&server), 1);
    assert_eq!(tokens_sent(&server), ["tok-1", "tok-1", "tok-1"]);
}

#[tokio::test]
async fn a_token_without_expiry_is_reused_until_refused() {
    let server = server_with_info().await;
    server.respond(
        "AppGetToken",
        Reply::success(json!({"Data": {"Token": "tok-1"}})),
    );
    let client = login_client(&server.base_url(), Login::email("u@example.com", PASSWORD));
    for _ in 0..3 {
        client.get_info(&info()).await.unwrap();
    }
    assert_eq!(logins(&server), 1);
}

#[tokio::test]
async fn an_expired_token_is_replaced() {
    let server = server_with_info().await;
    server.respond_sequence(
        "AppGetToken",
        [
            login_reply("tok-1", unix_now() - 10),
            login_reply("tok-2", unix_now() + 3600),
        ],
    );
    let client = login_client(&server.base_url(), Login::email("u@example.com", PASSWORD));
    // The calls that waited for a token use it even if it has expired: the
    // server is the judge, and it may not agree with this machine's clock.
    client.get_info(&info()).await.unwrap();
    client.get_info(&info()).await.unwrap();
    assert_eq!(logins(&server), 2);
    assert_eq!(tokens_sent(&server), ["tok-1", "tok-2"]);
}

#[tokio::test]
async fn a_token_inside_the_refresh_margin_is_replaced() {
    let server = server_with_info().await;
    let margin = i64::try_from(Token::REFRESH_MARGIN.as_secs()).unwrap();
    server.respond_sequence(
        "AppGetToken",
        [
            login_reply("tok-1", unix_now() + margin - 30),
            login_reply("tok-2", unix_now() + 3600),
        ],
    );
    let client = login_client(&server.base_url(), Login::email("u@example.com", PASSWORD));
    client.get_info(&info()).await.unwrap();
    client.get_info(&info()).await.unwrap();
    client.get_info(&info()).await.unwrap();
    assert_eq!(logins(&server), 2);
    assert_eq!(tokens_sent(&server), ["tok-1", "tok-2", "tok-2"]);
}

/// Moves the runtime's clock forward without waiting; the calls themselves
/// run on a running clock, so real I/O cannot race a frozen one.
async fn skip(d: Duration) {
    tokio::time::pause();
    tokio::time::advance(d).await;
    tokio::time::resume();
}

#[tokio::test]
async fn a_token_is_reused_until_shortly_before_expire_at() {
    let server = server_with_info().await;
    server.respond_sequence(
        "AppGetToken",
        [
            login_reply("tok-1", unix_now() + 3600),
            login_reply("tok-2", unix_now() + 7200),
        ],
    );
    let client = login_client(&server.base_url(), Login::email("u@example.com", PASSWORD));
    client.get_info(&info()).await.unwrap();

    // Ten seconds before the margin starts: still reused.
    skip(Duration::from_secs(3600) - Token::REFRESH_MARGIN - Duration::from_secs(10)).await;
    client.get_info(&info()).await.unwrap();
    assert_eq!(logins(&server), 1);

    // Ten seconds into the margin: replaced before the server can refuse it.
    skip(Duration::from_secs(20)).await;
    client.get_info(&info()).await.unwrap();
    assert_eq!(logins(&server), 2);
    assert_eq!(tokens_sent(&server), ["tok-1", "tok-1", "tok-2"]);
}

#[tokio::test]
async fn a_refused_token_is_replaced_and_the_call_resent_once() {
    let server = TestServer::start().await;
    server.respond_sequence(
        "AppGetToken",
        [
            login_reply("tok-1", unix_now() + 3600),
            login_reply("tok-2", unix_now() + 3600),
        ],
    );
    server.respond_sequence(
        "AppGetDeviceOTAInfo",
        [
            Reply::error(INVALID, "token expired"),
            Reply::success(json!({"FirmwareURL": "u"})),
        ],
    );
    let client = login_client(&server.base_url(), Login::email("u@example.com", PASSWORD));
    let out = client.get_info(&info()).await.unwrap();
    assert_eq!(out.firmware_url.as_deref(), Some("u"));
    assert_eq!(logins(&server), 2);
    assert_eq!(tokens_sent(&server), ["tok-1", "tok-2"]);
    // A new request: a server that remembers request ids must not answer
    // the resend with the refusal it already sent.
    let ids: Vec<_> = server
        .requests_for("AppGetDeviceOTAInfo")
        .iter()
        .map(|r| r.param("RequestId").cloned().unwrap())
        .collect();
    assert_ne!(ids[0], ids[1]);

    // The new token is the one reused.
    server.respond("AppGetDeviceOTAInfo", Reply::success(json!({})));
    client.get_info(&info()).await.unwrap();
    assert_eq!(logins(&server), 2);
}

#[tokio::test]
async fn a_second_refusal_is_the_error_not_a_loop() {
    let server = TestServer::start().await;
    server.respond("AppGetToken", login_reply("tok-1", unix_now() + 3600));
    server.respond("AppGetDeviceOTAInfo", Reply::error(INVALID, "no"));
    let client = login_client(&server.base_url(), Login::email("u@example.com", PASSWORD));
    let err = client.get_info(&info()).await.unwrap_err();
    assert_eq!(
        err.code(),
        Some(&ErrorCode::InvalidParameterValueInvalidAccessToken)
    );
    assert_eq!(err.action(), Some("AppGetDeviceOTAInfo"));
    assert!(!err.is_login_failure());
    assert_eq!(logins(&server), 2);
    assert_eq!(server.requests_for("AppGetDeviceOTAInfo").len(), 2);
}

#[tokio::test]
async fn a_refused_token_is_not_retried_even_by_a_classifier_that_retries_everything() {
    let server = TestServer::start().await;
    server.respond("AppGetToken", login_reply("tok-1", unix_now() + 3600));
    server.respond("AppGetDeviceOTAInfo", Reply::error(INVALID, "no"));
    let client = TestClient::builder()
        .base_url(server.base_url())
        .app_key(APP_KEY)
        .app_secret(APP_SECRET)
        .login(Login::email("u@example.com", PASSWORD))
        .retry_policy(
            fast_retries()
                .with_max_attempts(5)
                .with_classifier(|_| true),
        )
        .build()
        .unwrap();
    client.get_info(&info()).await.unwrap_err();
    // One request per token, not five.
    assert_eq!(server.requests_for("AppGetDeviceOTAInfo").len(), 2);
}

#[tokio::test]
async fn other_failures_keep_the_retry_policy_and_do_not_log_in_again() {
    let server = TestServer::start().await;
    server.respond("AppGetToken", login_reply("tok-1", unix_now() + 3600));
    server.respond_sequence(
        "AppGetDeviceOTAInfo",
        [
            Reply::error("RequestLimitExceeded", "slow down"),
            Reply::success(json!({})),
        ],
    );
    let client = login_client(&server.base_url(), Login::email("u@example.com", PASSWORD));
    client.get_info(&info()).await.unwrap();
    assert_eq!(logins(&server), 1);
    assert_eq!(tokens_sent(&server), ["tok-1", "tok-1"]);

    server.respond("AppGetDeviceOTAInfo", Reply::error("InternalError", "oops"));
    let err = client.get_info(&info()).await.unwrap_err();
    assert_eq!(err.code(), Some(&ErrorCode::InternalError));
    assert_eq!(logins(&server), 1);
}

#[tokio::test]
async fn concurrent_first_calls_share_one_login() {
    let server = server_with_info().await;
    // Slow enough that every call is waiting while the login runs.
    server.respond(
        "AppGetToken",
        login_reply("tok-1", unix_now() + 3600).with_delay(Duration::from_millis(200)),
    );
    let client = login_client(&server.base_url(), Login::email("u@example.com", PASSWORD));
    let calls: Vec<_> = (0..16)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { client.get_info(&info()).await })
        })
        .collect();
    for call in calls {
        call.await.unwrap().unwrap();
    }
    assert_eq!(logins(&server), 1);
    assert_eq!(tokens_sent(&server), vec!["tok-1"; 16]);
}

#[tokio::test]
async fn a_failed_login_names_the_login_action_and_hides_the_password() {
    let server = server_with_info().await;
    // A server that quotes the password back.
    server.respond(
        "AppGetToken",
        Reply::error(
            "InternalError",
            format!("InvalidParameterValue.UserLoginFailed|用户登录失败 ({PASSWORD})"),
        ),
    );
    let client = login_client(&server.base_url(), Login::email("u@example.com", PASSWORD));
    let err = client.get_info(&info()).await.unwrap_err();
    assert!(err.is_login_failure());
    assert_eq!(err.action(), Some("AppGetToken"));
    assert_eq!(err.kind(), ErrorKind::Api);
    assert_eq!(err.code(), Some(&ErrorCode::InternalError));
    assert!(err.request_id().is_some());
    for text in [err.to_string(), format!("{err:?}"), format!("{client:?}")] {
        assert!(!text.contains(PASSWORD), "shows the password: {text}");
        assert_no_secrets("login failure", &text);
    }
    assert!(
        err.to_string()
            .starts_with("AppGetToken failed: InternalError"),
        "{err}"
    );
    // The token call was never sent.
    assert!(server.requests_for("AppGetDeviceOTAInfo").is_empty());

    // A failure is not cached: the next call tries again.
    client.get_info(&info()).await.unwrap_err();
    assert_eq!(logins(&server), 2);
}

#[tokio::test]
async fn concurrent_calls_share_a_failed_login() {
    let server = server_with_info().await;
    server.respond(
        "AppGetToken",
        Reply::error("InvalidParameterValue.UserLoginFailed", "wrong password")
            .with_delay(Duration::from_millis(200)),
    );
    let client = login_client(&server.base_url(), Login::email("u@example.com", PASSWORD));
    let calls: Vec<_> = (0..8)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { client.get_info(&info()).await })
        })
        .collect();
    for call in calls {
        let err = call.await.unwrap().unwrap_err();
        assert!(err.is_login_failure());
        assert_eq!(
            err.wire_code(),
            Some("InvalidParameterValue.UserLoginFailed")
        );
    }
    // One wrong password, not eight: a login action may lock the account.
    assert_eq!(logins(&server), 1);
}

#[tokio::test]
async fn a_login_reply_without_a_token_is_a_login_error() {
    let server = server_with_info().await;
    server.respond(
        "AppGetToken",
        Reply::success(json!({"Data": {"ExpireAt": 1}})),
    );
    let client = login_client(&server.base_url(), Login::email("u@example.com", PASSWORD));
    let err = client.get_info(&info()).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Login);
    assert_eq!(err.action(), Some("AppGetToken"));
    assert!(err.is_login_failure());
    assert!(err.to_string().contains("no token"), "{err}");
}

#[tokio::test]
async fn the_whole_call_limit_covers_the_wait_for_a_login() {
    let server = server_with_info().await;
    server.respond(
        "AppGetToken",
        login_reply("tok-1", unix_now() + 3600).with_delay(Duration::from_secs(5)),
    );
    let client = TestClient::builder()
        .base_url(server.base_url())
        .app_key(APP_KEY)
        .app_secret(APP_SECRET)
        .login(Login::email("u@example.com", PASSWORD))
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    let err = client.get_info(&info()).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Timeout);
    assert!(err.is_login_failure());
    assert!(server.requests_for("AppGetDeviceOTAInfo").is_empty());
}

#[tokio::test]
async fn a_dropped_call_does_not_cancel_the_login_it_started() {
    let server = server_with_info().await;
    server.respond(
        "AppGetToken",
        login_reply("tok-1", unix_now() + 3600).with_delay(Duration::from_millis(300)),
    );
    let client = login_client(&server.base_url(), Login::email("u@example.com", PASSWORD));
    let first = tokio::time::timeout(Duration::from_millis(50), client.get_info(&info())).await;
    assert!(first.is_err(), "the caller gave up");
    client.get_info(&info()).await.unwrap();
    assert_eq!(logins(&server), 1);
    assert_eq!(tokens_sent(&server), ["tok-1"]);
}

#[tokio::test]
async fn signed_calls_and_fixed_tokens_do_not_log_in() {
    let server = server_with_info().await;
    server.respond(
        "AppCreateCellphoneUser",
        Reply::success(json!({"UserID": "u1"})),
    );
    let client = login_client(&server.base_url(), Login::email("u@example.com", PASSWORD));
    client
        .create_user(&CreateUserRequest::example())
        .await
        .unwrap();
    let fixed = TestClient(client.0.with_access_token(TOKEN));
    fixed.get_info(&info()).await.unwrap();
    assert_eq!(logins(&server), 0);
    assert_eq!(tokens_sent(&server), [TOKEN]);
}

#[test]
fn a_fixed_token_and_a_login_are_refused_together() {
    let err = TestClient::builder()
        .access_token(TOKEN)
        .login(Login::email("u@example.com", PASSWORD))
        .build()
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidConfig);
}

#[test]
fn debug_shows_the_login_action_but_no_password() {
    let builder = TestClient::builder().login(Login::email("u@example.com", PASSWORD));
    let text = format!("{builder:?}");
    assert!(text.contains("AppGetToken"), "{text}");
    assert!(!text.contains(PASSWORD), "{text}");
    let provider: iot_explorer_runtime::LoginProvider =
        Login::email("u@example.com", PASSWORD).into();
    assert!(!format!("{provider:?}").contains(PASSWORD));
    let token = Token::new(TOKEN).with_unix_expiry(1);
    assert!(!format!("{token:?}").contains(TOKEN));
}

#[test]
fn blocking_calls_log_in_too() {
    let server = TestServer::start_blocking();
    server.respond("AppGetToken", login_reply("tok-1", unix_now() + 3600));
    server.respond("AppGetDeviceOTAInfo", Reply::success(json!({})));
    let client = login_client(&server.base_url(), Login::email("u@example.com", PASSWORD));
    let _: GetInfoResponse = client.0.call_blocking(&GET_INFO, &info()).unwrap();
    let _: GetInfoResponse = client.0.call_blocking(&GET_INFO, &info()).unwrap();
    assert_eq!(logins(&server), 1);
    assert_eq!(tokens_sent(&server), ["tok-1", "tok-1"]);
}

#[test]
fn session_types_are_send_and_sync() {
    fn send_sync<T: Send + Sync + 'static>() {}
    send_sync::<Token>();
    send_sync::<iot_explorer_runtime::LoginProvider>();
    send_sync::<iot_explorer_runtime::TokenError>();
    send_sync::<TestClient>();
}
