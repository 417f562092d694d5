//! Calls against the loopback server: the wire format, credentials,
//! envelopes, error reporting and redaction.

#![allow(
    clippy::disallowed_types,
    clippy::disallowed_methods,
    reason = "tests build bodies and replies as values"
)]

mod common;

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use common::*;
use hmac::{KeyInit, Mac};
use iot_explorer_runtime::test_util::{Reply, TestServer};
use iot_explorer_runtime::{ErrorKind, RetryPolicy, sign, string_to_sign};
use serde_json::{Map, Value, json};

fn obj(v: Value) -> Map<String, Value> {
    v.as_object().expect("object").clone()
}

// ---------------------------------------------------------------- signing

#[test]
fn signature_matches_the_documented_example() {
    let params = obj(json!({
        "RequestId": "8b8d499bbba1ac28b6da21b4",
        "Action": "AppCreateCellphoneUser",
        "AppKey": "ahPxdK****TGrejd",
        "Timestamp": 1546315200,
        "Nonce": 71087795,
        "CountryCode": "86",
        "PhoneNumber": "13900000000",
        "Password": "My!P@ssword",
        "VerificationCode": "123456",
    }));
    assert_eq!(
        string_to_sign(&params),
        "Action=AppCreateCellphoneUser&AppKey=ahPxdK****TGrejd&CountryCode=86&Nonce=71087795\
         &Password=My!P@ssword&PhoneNumber=13900000000&RequestId=8b8d499bbba1ac28b6da21b4\
         &Timestamp=1546315200&VerificationCode=123456"
    );
    assert_eq!(
        sign("NcbHqk****TCGbKnQH", &params),
        "Szxai9Qs7O3lBoOXahbFbseZ+uE="
    );

    // A Signature already in the map and empty strings take no part.
    let mut with_extras = params.clone();
    with_extras.insert("Signature".into(), json!("stale"));
    with_extras.insert("Remark".into(), json!(""));
    assert_eq!(
        sign("NcbHqk****TCGbKnQH", &with_extras),
        "Szxai9Qs7O3lBoOXahbFbseZ+uE="
    );
}

#[test]
fn signing_turns_underscores_into_dots_and_keeps_raw_values() {
    let params = obj(json!({"Filter_0_Name": "a b&c", "Ids": [1, 2], "On": false}));
    assert_eq!(
        string_to_sign(&params),
        "Filter.0.Name=a b&c&Ids=[1,2]&On=false"
    );
}

// ---------------------------------------------------------------- wire format

#[tokio::test]
async fn token_call_sends_the_documented_body() {
    let server = TestServer::start().await;
    server.respond(
        "AppGetDeviceOTAInfo",
        Reply::success(json!({"FirmwareURL": "https://fw/1.bin", "Count": "3", "Extra": {"x": 1}})),
    );
    let client = token_client(&server.base_url());
    let out = client
        .get_info(&GetInfoRequest::new("PRODUCT", "dev01"))
        .await
        .unwrap();
    assert_eq!(out.firmware_url.as_deref(), Some("https://fw/1.bin"));
    assert_eq!(out.count, Some(3));

    let reqs = server.requests();
    assert_eq!(reqs.len(), 1);
    let req = &reqs[0];
    assert_eq!(req.method, "POST");
    assert_eq!(req.path, "/api/exploreropen/tokenapi");
    assert_eq!(req.header("content-type"), Some("application/json"));
    assert!(
        req.header("user-agent")
            .unwrap()
            .starts_with("iot-explorer-test/0.0.0 ")
    );
    let params = req.params().expect("JSON object body");
    let mut keys: Vec<&str> = params.keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "AccessToken",
            "Action",
            "DeviceName",
            "ProductId",
            "RequestId"
        ]
    );
    assert_eq!(params["Action"], "AppGetDeviceOTAInfo");
    assert_eq!(params["AccessToken"], TOKEN);
    assert_eq!(params["ProductId"], "PRODUCT");
    assert_eq!(params["DeviceName"], "dev01");
    let request_id = params["RequestId"].as_str().unwrap();
    let uuid = uuid::Uuid::parse_str(request_id).expect("RequestId is a UUID");
    assert_eq!(uuid.get_version_num(), 4);
    assert_eq!(out.request_id.as_deref(), Some(request_id));
}

#[tokio::test]
async fn each_call_gets_a_fresh_request_id_and_set_optionals_are_sent() {
    let server = TestServer::start().await;
    server.respond("AppGetDeviceOTAInfo", Reply::success(json!({})));
    let client = token_client(&server.base_url());
    let mut req = GetInfoRequest::new("P", "d");
    client.get_info(&req).await.unwrap();
    req.limit = Some(10);
    req.firmware_version = Some("1.0".into());
    client.get_info(&req).await.unwrap();
    let reqs = server.requests();
    assert_ne!(reqs[0].param("RequestId"), reqs[1].param("RequestId"));
    assert_eq!(reqs[1].param("Limit"), Some(&json!(10)));
    assert_eq!(reqs[1].param("FirmwareVersion"), Some(&json!("1.0")));
}

#[tokio::test]
async fn fixed_params_are_sent() {
    let server = TestServer::start().await;
    server.respond("AppGetSongUrl", Reply::success(json!({})));
    let client = token_client(&server.base_url());
    let _: Map<String, Value> = client
        .0
        .call(&SONG_URL, &json!({"SongId": "s1"}))
        .await
        .unwrap();
    let req = &server.requests()[0];
    assert_eq!(req.param("KGCommand"), Some(&json!("song_url")));
    assert_eq!(req.param("SongId"), Some(&json!("s1")));
}

/// Recomputes the signature the way the docs describe, without the crate's
/// own `sign`.
fn independent_signature(secret: &str, params: &Map<String, Value>) -> String {
    let mut pairs: Vec<(String, String)> = params
        .iter()
        .filter(|(k, v)| *k != "Signature" && **v != json!(""))
        .map(|(k, v)| {
            let value = match v {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            (k.replace('_', "."), value)
        })
        .collect();
    pairs.sort();
    let text = pairs
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&");
    let mut mac = hmac::Hmac::<sha1::Sha1>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(text.as_bytes());
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

#[tokio::test]
async fn signed_call_carries_a_valid_signature() {
    let server = TestServer::start().await;
    server.respond(
        "AppCreateCellphoneUser",
        Reply::success(json!({"UserID": "u1"})),
    );
    let client = signed_client(&server.base_url());
    let out = client
        .create_user(&CreateUserRequest::example())
        .await
        .unwrap();
    assert_eq!(out.user_id.as_deref(), Some("u1"));

    let req = &server.requests()[0];
    assert_eq!(req.path, "/api/exploreropen/appapi");
    let params = req.params().unwrap();
    assert_eq!(params["AppKey"], APP_KEY);
    assert!(params.get("AccessToken").is_none());
    assert!(params.get("AppSecret").is_none());
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let ts = params["Timestamp"]
        .as_u64()
        .expect("Timestamp is an integer");
    assert!(
        ts.abs_diff(now) < 600,
        "Timestamp {ts} is far from now {now}"
    );
    assert!(params["Nonce"].as_u64().expect("Nonce is an integer") > 0);
    let signature = params["Signature"].as_str().unwrap();
    assert_eq!(signature, independent_signature(APP_SECRET, params));
    assert!(req.signature_is_valid(APP_SECRET));
    assert!(!req.signature_is_valid("wrong secret"));
    assert!(
        !req.body
            .windows(APP_SECRET.len())
            .any(|w| w == APP_SECRET.as_bytes())
    );
}

#[tokio::test]
async fn signed_bodies_sign_what_they_send() {
    // Escapes, an empty string (sent but not signed), numbers, an
    // underscore, a nested object: the server's reading of the body must
    // give the signature the client sent.
    let server = TestServer::start().await;
    server.respond(
        "AppGetToken",
        Reply::success(json!({"Data": {"Token": "t"}})),
    );
    let client = signed_client(&server.base_url());
    let request = json!({
        "Password": "p\"a\\s\u{1}s 中",
        "Empty": "",
        "Count": 3,
        "Ratio": 0.5,
        "Flag": true,
        "Snake_Case": "x",
        "Nested": {"K": [1, "two"]},
    });
    let _: GetTokenResponse = client.0.call(&GET_TOKEN, &request).await.unwrap();
    let req = &server.requests()[0];
    let params = req.params().unwrap();
    assert_eq!(params["Password"], "p\"a\\s\u{1}s 中");
    assert_eq!(params["Empty"], "");
    let signature = params["Signature"].as_str().unwrap();
    assert_eq!(signature, independent_signature(APP_SECRET, params));
    assert!(req.signature_is_valid(APP_SECRET));
}

#[tokio::test]
async fn error_members_are_found_however_they_are_written() {
    let server = TestServer::start().await;
    let client = token_client(&server.base_url());
    // `Error` only in a value: a success.
    server.respond(
        "AppGetDeviceOTAInfo",
        Reply::success(json!({"FirmwareURL": "Error.bin", "TargetVersion": "Error"})),
    );
    let out = client
        .get_info(&GetInfoRequest::new("P", "d"))
        .await
        .unwrap();
    assert_eq!(out.firmware_url.as_deref(), Some("Error.bin"));
    // An `Error` member whose name is escaped: still the API error.
    server.respond(
        "AppGetDeviceOTAInfo",
        Reply::raw(
            200,
            r#"{"Response": {"\u0045rror": {"Code": "InternalError", "Message": "m"}, "RequestId": "r"}}"#,
        ),
    );
    let e = client
        .get_info(&GetInfoRequest::new("P", "d"))
        .await
        .unwrap_err();
    assert_eq!(e.code(), Some(&ErrorCode::InternalError), "{e}");
}

#[tokio::test]
async fn one_client_holds_both_credentials() {
    let server = TestServer::start().await;
    server.respond("AppCreateCellphoneUser", Reply::success(json!({})));
    server.respond("AppGetDeviceOTAInfo", Reply::success(json!({})));
    let client = TestClient::builder()
        .base_url(server.base_url())
        .access_token(TOKEN)
        .app_key(APP_KEY)
        .app_secret(APP_SECRET)
        .build()
        .unwrap();
    client
        .create_user(&CreateUserRequest::example())
        .await
        .unwrap();
    client
        .get_info(&GetInfoRequest::new("P", "d"))
        .await
        .unwrap();
    let signed = &server.requests_for("AppCreateCellphoneUser")[0];
    assert!(signed.param("AccessToken").is_none());
    assert!(signed.signature_is_valid(APP_SECRET));
    let token = &server.requests_for("AppGetDeviceOTAInfo")[0];
    assert_eq!(token.param("AccessToken"), Some(&json!(TOKEN)));
    assert!(token.param("Signature").is_none() && token.param("AppKey").is_none());
}

#[tokio::test]
async fn with_access_token_after_login() {
    let server = TestServer::start().await;
    server.respond("AppGetDeviceOTAInfo", Reply::success(json!({})));
    let anonymous = TestClient::builder()
        .base_url(server.base_url())
        .build()
        .unwrap();
    let logged_in = TestClient(anonymous.0.with_access_token("token-from-login"));
    logged_in
        .get_info(&GetInfoRequest::new("P", "d"))
        .await
        .unwrap();
    assert_eq!(
        server.requests()[0].param("AccessToken"),
        Some(&json!("token-from-login"))
    );
    // The original is unchanged.
    let err = anonymous
        .get_info(&GetInfoRequest::new("P", "d"))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::MissingCredentials);
}

#[tokio::test]
async fn missing_credentials_fail_before_sending() {
    let server = TestServer::start().await;
    server.respond("AppGetDeviceOTAInfo", Reply::success(json!({})));
    server.respond("AppCreateCellphoneUser", Reply::success(json!({})));
    let base = server.base_url();

    let no_token = TestClient::builder()
        .base_url(&base)
        .app_key("k")
        .app_secret("s")
        .build()
        .unwrap();
    let e = no_token
        .get_info(&GetInfoRequest::new("P", "d"))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::MissingCredentials);
    assert_eq!(e.action(), Some("AppGetDeviceOTAInfo"));
    assert!(e.to_string().contains("access token"), "{e}");
    assert!(e.to_string().contains("AppGetDeviceOTAInfo"), "{e}");

    let empty_token = TestClient::builder()
        .base_url(&base)
        .access_token("")
        .build()
        .unwrap();
    let e = empty_token
        .get_info(&GetInfoRequest::new("P", "d"))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::MissingCredentials);

    let no_secret = TestClient::builder()
        .base_url(&base)
        .access_token(TOKEN)
        .app_key("k")
        .build()
        .unwrap();
    let e = no_secret
        .create_user(&CreateUserRequest::example())
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::MissingCredentials);
    assert!(
        e.to_string().contains("app secret") && !e.to_string().contains("app key"),
        "{e}"
    );

    let no_key = TestClient::builder()
        .base_url(&base)
        .app_secret("s")
        .build()
        .unwrap();
    let e = no_key
        .create_user(&CreateUserRequest::example())
        .await
        .unwrap_err();
    assert!(
        e.to_string().contains("app key") && !e.to_string().contains("app secret"),
        "{e}"
    );

    let neither = TestClient::builder().base_url(&base).build().unwrap();
    let e = neither
        .create_user(&CreateUserRequest::example())
        .await
        .unwrap_err();
    assert!(
        e.to_string().contains("app key") && e.to_string().contains("app secret"),
        "{e}"
    );
    assert!(!e.is_retryable());

    assert!(
        server.requests().is_empty(),
        "something was sent: {:?}",
        server.requests()
    );
}

#[tokio::test]
async fn requests_that_set_client_parameters_are_refused() {
    let server = TestServer::start().await;
    let client = token_client(&server.base_url());
    let e = client
        .0
        .call::<_, Map<String, Value>>(&GET_INFO, &json!({"AccessToken": "other"}))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidRequest);
    assert!(e.to_string().contains("AccessToken"), "{e}");
    let e = client
        .0
        .call::<_, Map<String, Value>>(&SONG_URL, &json!({"KGCommand": "x"}))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidRequest);
    let e = client
        .0
        .call::<_, Map<String, Value>>(&GET_INFO, &json!([1, 2]))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidRequest);
    assert!(server.requests().is_empty());
}

#[test]
fn invalid_configuration_is_refused_at_build() {
    for url in [
        "ftp://example.com",
        "not a url",
        "http://example.com/?x=1",
        "http://u:p@example.com",
    ] {
        let e = TestClient::builder().base_url(url).build().unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidConfig, "{url}");
        assert_eq!(e.action(), None);
    }
    let e = TestClient::builder()
        .timeout(Duration::ZERO)
        .build()
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidConfig);
    let default = TestClient::builder().build().unwrap();
    assert_eq!(
        default.0.base_url(),
        "https://iot.cloud.tencent.com/api/exploreropen"
    );
}

#[test]
fn public_types_are_send_and_sync() {
    fn send_sync<T: Send + Sync + 'static>() {}
    fn send<T: Send>(_: &T) {}
    send_sync::<Error>();
    send_sync::<iot_explorer_runtime::Client<ErrorCode>>();
    send_sync::<iot_explorer_runtime::ClientBuilder<TestClient>>();
    send_sync::<RetryPolicy>();
    // Generated methods are awaited inside `tokio::spawn`.
    let client = token_client("http://127.0.0.1:9");
    let req = GetInfoRequest::new("P", "d");
    send(&client.get_info(&req));
    let boxed: Box<dyn std::error::Error + Send + Sync> = Box::new(
        TestClient::builder()
            .base_url("ftp://x")
            .build()
            .unwrap_err(),
    );
    assert!(boxed.to_string().contains("http"));
}

// ---------------------------------------------------------------- envelopes

#[tokio::test]
async fn both_envelopes_decode_to_the_same_response() {
    let server = TestServer::start().await;
    let payload =
        json!({"FirmwareURL": "u", "Count": 2, "Devices": [{"Name": "a", "Online": true}]});
    let client = token_client(&server.base_url());

    server.respond("AppGetDeviceOTAInfo", Reply::success(payload.clone()));
    let a = client
        .get_info(&GetInfoRequest::new("P", "d"))
        .await
        .unwrap();
    server.respond("AppGetDeviceOTAInfo", Reply::sdk_success(payload));
    let b = client
        .get_info(&GetInfoRequest::new("P", "d"))
        .await
        .unwrap();

    let reqs = server.requests();
    assert_eq!(
        a.request_id.as_deref(),
        reqs[0].param("RequestId").and_then(Value::as_str)
    );
    assert_eq!(
        b.request_id.as_deref(),
        reqs[1].param("RequestId").and_then(Value::as_str)
    );
    assert_eq!(
        GetInfoResponse {
            request_id: None,
            ..a.clone()
        },
        GetInfoResponse {
            request_id: None,
            ..b
        }
    );
    assert_eq!(a.devices.unwrap()[0].online, Some(true));
}

#[tokio::test]
async fn api_error_in_both_envelopes() {
    let server = TestServer::start().await;
    let client = token_client(&server.base_url());
    for reply in [
        Reply::error("InvalidParameterValue.InvalidAccessToken", "token expired"),
        Reply::sdk_error(
            1001,
            "failed",
            "InvalidParameterValue.InvalidAccessToken",
            "token expired",
        ),
    ] {
        server.clear_requests();
        server.respond("AppGetDeviceOTAInfo", reply);
        let e = client
            .get_info(&GetInfoRequest::new("P", "d"))
            .await
            .unwrap_err();
        let sent_id = server.requests()[0]
            .param("RequestId")
            .unwrap()
            .as_str()
            .unwrap()
            .to_owned();
        assert_eq!(e.kind(), ErrorKind::Api);
        assert_eq!(
            e.code(),
            Some(&ErrorCode::InvalidParameterValueInvalidAccessToken)
        );
        assert_eq!(
            e.wire_code(),
            Some("InvalidParameterValue.InvalidAccessToken")
        );
        assert_eq!(e.message(), Some("token expired"));
        assert_eq!(e.request_id(), Some(sent_id.as_str()));
        assert_eq!(e.action(), Some("AppGetDeviceOTAInfo"));
        assert_eq!(e.status(), Some(200));
        assert!(!e.is_retryable() && !e.is_timeout());
        let shown = e.to_string();
        for part in [
            "AppGetDeviceOTAInfo",
            "InvalidParameterValue.InvalidAccessToken",
            "token expired",
            &sent_id,
        ] {
            assert!(shown.contains(part), "{shown:?} lacks {part:?}");
        }
        assert_no_secrets("Display", &shown);
        assert_no_secrets("Debug", &format!("{e:?}"));
    }
}

#[tokio::test]
async fn sdk_error_without_data_error_uses_the_numeric_code() {
    let server = TestServer::start().await;
    server.respond("AppGetDeviceOTAInfo", Reply::sdk_code(1002, "bad token"));
    let client = token_client(&server.base_url());
    let e = client
        .get_info(&GetInfoRequest::new("P", "d"))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Api);
    assert_eq!(e.code(), Some(&ErrorCode::Unknown("1002".into())));
    assert_eq!(e.message(), Some("bad token"));
}

#[tokio::test]
async fn unknown_codes_are_kept() {
    let server = TestServer::start().await;
    server.respond(
        "AppGetDeviceOTAInfo",
        Reply::error("ResourceNotFound.BrandNewCode", "new"),
    );
    let client = token_client(&server.base_url());
    let e = client
        .get_info(&GetInfoRequest::new("P", "d"))
        .await
        .unwrap_err();
    assert_eq!(
        e.code(),
        Some(&ErrorCode::Unknown("ResourceNotFound.BrandNewCode".into()))
    );
    assert!(e.to_string().contains("ResourceNotFound.BrandNewCode"));
}

#[tokio::test]
async fn http_5xx_with_an_html_page_is_a_status_error() {
    let server = TestServer::start().await;
    let page = format!(
        "<html><head><title>502 Bad Gateway</title></head><body>{}</body></html>",
        "<p>upstream unavailable 网关错误</p>\n".repeat(500)
    );
    server.respond(
        "AppGetDeviceOTAInfo",
        Reply::raw(502, page).with_header("content-type", "text/html"),
    );
    let client = token_client(&server.base_url());
    let e = client
        .get_info(&GetInfoRequest::new("P", "d"))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Status);
    assert_eq!(e.status(), Some(502));
    assert!(e.code().is_none());
    let shown = e.to_string();
    assert!(
        shown.contains("502") && shown.contains("Bad Gateway"),
        "{shown}"
    );
    assert!(shown.contains("AppGetDeviceOTAInfo"), "{shown}");
    assert!(
        shown.chars().count() < 600,
        "excerpt is not bounded: {} chars",
        shown.chars().count()
    );
    // 5xx is not retried by default: one request.
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn http_5xx_with_an_error_envelope_is_an_api_error() {
    let server = TestServer::start().await;
    server.respond(
        "AppGetDeviceOTAInfo",
        Reply::error("InternalError", "boom").with_status(500),
    );
    let client = token_client(&server.base_url());
    let e = client
        .get_info(&GetInfoRequest::new("P", "d"))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Api);
    assert_eq!(e.code(), Some(&ErrorCode::InternalError));
    assert_eq!(e.status(), Some(500));
    assert!(e.to_string().contains("HTTP 500"), "{e}");
}

#[tokio::test]
async fn http_error_status_with_a_success_envelope_is_a_status_error() {
    let server = TestServer::start().await;
    server.respond(
        "AppGetDeviceOTAInfo",
        Reply::success(json!({"FirmwareURL": "u"})).with_status(503),
    );
    let client = token_client(&server.base_url());
    let e = client
        .get_info(&GetInfoRequest::new("P", "d"))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Status);
    assert_eq!(e.status(), Some(503));
}

#[tokio::test]
async fn replies_that_are_not_envelopes_are_decode_errors() {
    let server = TestServer::start().await;
    let client = token_client(&server.base_url());
    let cases: Vec<(&str, Reply)> = vec![
        ("non-JSON", Reply::raw(200, "OK, fine")),
        ("HTML", Reply::raw(200, "<html><body>hello</body></html>")),
        ("empty body", Reply::raw(200, "")),
        ("{}", Reply::json(200, &json!({}))),
        (
            "missing Response",
            Reply::json(200, &json!({"RequestId": "r", "FirmwareURL": "u"})),
        ),
        (
            "Response not an object",
            Reply::json(200, &json!({"Response": "ok"})),
        ),
        (
            "Response null",
            Reply::json(200, &json!({"Response": null})),
        ),
        ("array", Reply::json(200, &json!([{"Response": {}}]))),
        (
            "truncated",
            Reply::raw(200, r#"{"Response": {"FirmwareURL": "u", "Requ"#),
        ),
        (
            "Error not an object",
            Reply::json(200, &json!({"Response": {"Error": "bad"}})),
        ),
        (
            "SDK success without data",
            Reply::json(200, &json!({"code": 0, "msg": "ok"})),
        ),
        (
            "not UTF-8",
            Reply::raw(200, b"{\"Response\": {\"FirmwareURL\": \"\xff\"}}".to_vec()),
        ),
    ];
    for (name, reply) in cases {
        server.clear_requests();
        server.respond("AppGetDeviceOTAInfo", reply);
        let e = client
            .get_info(&GetInfoRequest::new("P", "d"))
            .await
            .unwrap_err();
        let sent_id = server.requests()[0]
            .param("RequestId")
            .unwrap()
            .as_str()
            .unwrap()
            .to_owned();
        assert_eq!(e.kind(), ErrorKind::Decode, "{name}: {e}");
        assert_eq!(e.request_id(), Some(sent_id.as_str()), "{name}");
        let shown = e.to_string();
        assert!(
            shown.contains("AppGetDeviceOTAInfo") && shown.contains(&sent_id),
            "{name}: {shown}"
        );
        assert_eq!(
            server.requests().len(),
            1,
            "{name}: decode errors are not retried"
        );
    }
}

#[tokio::test]
async fn decode_errors_name_the_path() {
    let server = TestServer::start().await;
    let client = token_client(&server.base_url());
    server.respond(
        "AppGetDeviceOTAInfo",
        Reply::success(json!({"Devices": [{"Name": "a"}, {"Online": "maybe"}]})),
    );
    let e = client
        .get_info(&GetInfoRequest::new("P", "d"))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Decode);
    assert_eq!(e.decode_path(), Some("Devices[1].Online"));
    assert!(e.to_string().contains("Devices[1].Online"), "{e}");

    server.respond(
        "AppGetDeviceOTAInfo",
        Reply::success(json!({"Count": "12a"})),
    );
    let e = client
        .get_info(&GetInfoRequest::new("P", "d"))
        .await
        .unwrap_err();
    assert_eq!(e.decode_path(), Some("Count"));
    assert!(e.to_string().contains("12a"), "{e}");
}

#[tokio::test]
async fn data_wrapped_outputs_are_unwrapped() {
    let server = TestServer::start().await;
    let client = signed_client(&server.base_url());
    let documented = json!({"Response": {"Data": {"ExpireAt": 1556076201, "Token": "d2**8514"}, "RequestId": "rest-client"}});
    server.respond("AppGetToken", Reply::json(200, &documented));
    let out: GetTokenResponse = client
        .0
        .call(&GET_TOKEN, &json!({"Password": "p"}))
        .await
        .unwrap();
    assert_eq!(
        out,
        GetTokenResponse {
            token: Some("d2**8514".into()),
            expire_at: Some(1556076201),
            request_id: Some("rest-client".into())
        }
    );
    server.respond(
        "AppGetToken",
        Reply::sdk_success(json!({"Data": {"Token": "t"}})),
    );
    let out: GetTokenResponse = client
        .0
        .call(&GET_TOKEN, &json!({"Password": "p"}))
        .await
        .unwrap();
    assert_eq!(out.token.as_deref(), Some("t"));
    assert!(out.request_id.is_some());

    // Without `Data` the reply is not what the docs describe: no empty response.
    for reply in [
        Reply::success(json!({"Token": "t"})),
        Reply::success(json!({"Data": null})),
        Reply::success(json!({"Data": "t"})),
    ] {
        server.respond("AppGetToken", reply);
        let e = client
            .0
            .call::<_, GetTokenResponse>(&GET_TOKEN, &json!({"Password": "p"}))
            .await
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Decode, "{e}");
        assert_eq!(e.decode_path(), Some("Data"));
    }
    // Errors are still errors.
    server.respond("AppGetToken", Reply::error("InternalError", "login failed"));
    let e = client
        .0
        .call::<_, GetTokenResponse>(&GET_TOKEN, &json!({"Password": "p"}))
        .await
        .unwrap_err();
    assert_eq!(e.code(), Some(&ErrorCode::InternalError));
}

// ---------------------------------------------------------------- redaction

#[tokio::test]
async fn secrets_never_show_in_debug_or_display() {
    let server = TestServer::start().await;
    let builder = TestClient::builder()
        .base_url(server.base_url())
        .access_token(TOKEN)
        .app_key(APP_KEY)
        .app_secret(APP_SECRET)
        .retry_policy(RetryPolicy::none());
    let builder_debug = format!("{builder:?}");
    assert_no_secrets("builder Debug", &builder_debug);
    assert!(
        builder_debug.contains("\"** redacted **\""),
        "{builder_debug}"
    );
    let client = builder.build().unwrap();
    let client_debug = format!("{client:?}");
    assert_no_secrets("client Debug", &client_debug);
    assert!(
        client_debug.contains("** redacted **") && client_debug.contains(APP_KEY),
        "{client_debug}"
    );
    assert_no_secrets(
        "client Debug",
        &format!("{:?}", client.0.with_access_token("x")),
    );

    // A server that quotes the credential back in its message.
    server.respond(
        "AppGetDeviceOTAInfo",
        Reply::error(
            "InvalidParameterValue.InvalidAccessToken",
            format!("token {TOKEN} expired"),
        ),
    );
    server.respond(
        "AppCreateCellphoneUser",
        Reply::raw(
            500,
            format!("<html>bad signature for secret {APP_SECRET}</html>"),
        ),
    );
    let errors = [
        client
            .get_info(&GetInfoRequest::new("P", "d"))
            .await
            .unwrap_err(),
        client
            .create_user(&CreateUserRequest::example())
            .await
            .unwrap_err(),
        TestClient::builder()
            .base_url("http://127.0.0.1:1")
            .app_secret(APP_SECRET)
            .build()
            .unwrap()
            .create_user(&CreateUserRequest::example())
            .await
            .unwrap_err(),
    ];
    for e in &errors {
        assert_no_secrets("error Display", &e.to_string());
        assert_no_secrets("error Debug", &format!("{e:?}"));
        assert_no_secrets("error message", e.message().unwrap_or_default());
    }
    assert!(
        errors[0].to_string().contains("** redacted **"),
        "{}",
        errors[0]
    );
}
