//! `docs/CONTRACT.md`, as a downstream crate writes it, against the
//! generated crate's loopback test server and channel. Each test names the
//! section it checks.

use iot_explorer::test_util::{Reply, server};
use iot_explorer::{AppGetDeviceOtaInfoRequest, Client, Error, ErrorCode};

/// Sections 1 to 3: a call, its typed reply, a typed error code.
#[tokio::test]
async fn the_documented_usage_compiles_and_works() -> Result<(), Error> {
    let server = server().await;
    let client = Client::builder()
        .base_url(server.base_url())
        .access_token("token-from-login")
        .timeout(std::time::Duration::from_secs(10))
        .build()?;

    let out = client
        .app_get_device_ota_info(AppGetDeviceOtaInfoRequest::new("PRODUCT", "dev01"))
        .await?;
    let url: Option<String> = out.firmware_url;
    assert_eq!(
        url.as_deref(),
        Some(
            "https://examplebucket-12500000000.cos.ap-guangzhou.myqcloud.com/path/to/firmware?sign=***"
        )
    );

    server.respond(
        "AppGetDeviceOTAInfo",
        Reply::error("InvalidParameterValue.InvalidAccessToken", "Token 无效"),
    );
    match client
        .app_get_device_ota_info(AppGetDeviceOtaInfoRequest::new("PRODUCT", "dev01"))
        .await
    {
        Err(e) if e.code() == Some(&ErrorCode::InvalidParameterValueInvalidAccessToken) => {
            let shown = e.to_string();
            assert!(shown.contains("AppGetDeviceOTAInfo"), "{shown}");
            assert!(
                shown.contains("InvalidParameterValue.InvalidAccessToken"),
                "{shown}"
            );
            assert!(e.request_id().is_some());
            assert!(
                !shown.contains("token-from-login")
                    && !format!("{e:?}").contains("token-from-login")
            );
        }
        other => panic!("expected the typed error code, got {other:?}"),
    }

    let sent = server.requests_for("AppGetDeviceOTAInfo");
    assert_eq!(
        sent[0].param("ProductId"),
        Some(&serde_json::json!("PRODUCT"))
    );
    assert_eq!(
        sent[0].param("AccessToken"),
        Some(&serde_json::json!("token-from-login"))
    );
    Ok(())
}

/// Section 1: the blocking client.
#[test]
fn the_blocking_client_has_the_same_shape() -> Result<(), Error> {
    let server = iot_explorer::test_util::server_blocking();
    let client = iot_explorer::blocking::Client::builder()
        .base_url(server.base_url())
        .access_token("t")
        .build()?;
    let out = client.app_get_products(iot_explorer::AppGetProductsRequest::new(vec![
        "FVYYYEL4ON".to_string(),
    ]))?;
    assert_eq!(out.products.map(|p| p.len()), Some(3));
    Ok(())
}

/// Section 3: error codes.
#[test]
fn error_codes_are_typed_and_never_fail_to_parse() {
    let code: ErrorCode = "InternalError".parse().unwrap();
    assert_eq!(code, ErrorCode::InternalError);
    assert_eq!(code.as_str(), "InternalError");
    assert_eq!(code.description(), Some("内部错误"));
    assert_eq!(
        ErrorCode::from("Some.NewCode"),
        ErrorCode::Unknown("Some.NewCode".into())
    );
    assert_eq!(ErrorCode::from("Some.NewCode").to_string(), "Some.NewCode");
}

/// A login reply whose token expires in an hour.
fn login_reply(token: &str) -> Reply {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    Reply::success(serde_json::json!({"Data": {"Token": token, "ExpireAt": now + 3600}}))
}

/// Section 4: the client logs in once, reuses the token, and logs in again
/// once when the server refuses it.
#[tokio::test]
async fn a_session_logs_in_once_and_again_when_refused() -> Result<(), Error> {
    use iot_explorer::{AppGetFamilyListRequest, Login};
    let server = server().await;
    server.respond_sequence(
        "AppGetToken",
        [login_reply("first-token"), login_reply("second-token")],
    );
    let client = Client::builder()
        .base_url(server.base_url())
        .app_key("app-key")
        .app_secret("app-secret")
        .login(Login::email("user@example.com", "secret-password"))
        .build()?;

    client
        .app_get_family_list(AppGetFamilyListRequest::new())
        .await?;
    client
        .app_get_family_list(AppGetFamilyListRequest::new())
        .await?;
    let logins = server.requests_for("AppGetToken");
    assert_eq!(logins.len(), 1);
    assert_eq!(
        logins[0].param("Email"),
        Some(&serde_json::json!("user@example.com"))
    );
    assert_eq!(logins[0].param("Type"), Some(&serde_json::json!("email")));
    assert!(logins[0].signature_is_valid("app-secret"));
    let calls = server.requests_for("AppGetFamilyList");
    assert!(
        calls
            .iter()
            .all(|r| r.param("AccessToken") == Some(&serde_json::json!("first-token")))
    );

    server.clear_requests();
    server.respond_sequence(
        "AppGetFamilyList",
        [Reply::error(
            "InvalidParameterValue.InvalidAccessToken",
            "Token 无效",
        )],
    );
    client
        .app_get_family_list(AppGetFamilyListRequest::new())
        .await?;
    assert_eq!(server.requests_for("AppGetToken").len(), 1);
    let calls = server.requests_for("AppGetFamilyList");
    assert_eq!(calls.len(), 2, "refused once, sent once more");
    assert_eq!(
        calls[1].param("AccessToken"),
        Some(&serde_json::json!("second-token"))
    );

    // A refused login is the login's own error, without the password.
    let server = iot_explorer::test_util::server().await;
    server.respond(
        "AppGetToken",
        Reply::error("InvalidParameterValue.PasswordNotMatch", "密码错误"),
    );
    let client = Client::builder()
        .base_url(server.base_url())
        .app_key("k")
        .app_secret("s")
        .login(Login::phone("86", "13800000000", "secret-password"))
        .build()?;
    let e = client
        .app_get_family_list(AppGetFamilyListRequest::new())
        .await
        .unwrap_err();
    assert!(e.is_login_failure(), "{e}");
    assert!(e.to_string().contains("AppGetToken"), "{e}");
    assert!(!format!("{e} {e:?}").contains("secret-password"));
    assert!(server.requests_for("AppGetFamilyList").is_empty());
    Ok(())
}

/// Section 5: a walk over every page, each an ordinary call.
#[tokio::test]
async fn every_page_of_a_list_is_walked() -> Result<(), Error> {
    use iot_explorer::AppGetFamilyListRequest;
    let server = server().await;
    let family = |id: &str| serde_json::json!({"FamilyId": id, "Name": id});
    server.respond_sequence(
        "AppGetFamilyList",
        [
            Reply::success(
                serde_json::json!({"FamilyList": [family("a"), family("b")], "Total": 3}),
            ),
            Reply::success(serde_json::json!({"FamilyList": [family("c")], "Total": 3})),
        ],
    );
    let client = Client::builder()
        .base_url(server.base_url())
        .access_token("t")
        .build()?;
    let all = client
        .app_get_family_list_pages(AppGetFamilyListRequest::new().with_limit(2))
        .collect_items()
        .await?;
    let ids: Vec<_> = all.iter().map(|f| f.family_id.as_deref()).collect();
    assert_eq!(ids, [Some("a"), Some("b"), Some("c")]);
    let sent = server.requests_for("AppGetFamilyList");
    let offsets: Vec<_> = sent.iter().map(|r| r.param("Offset").cloned()).collect();
    // The first page is the caller's request as it is (the server's default
    // offset is 0); the next one starts after the items received.
    assert_eq!(offsets, [None, Some(serde_json::json!(2))]);
    assert!(
        sent.iter()
            .all(|r| r.param("Limit") == Some(&serde_json::json!(2)))
    );
    Ok(())
}

/// Section 6: a subscription over the loopback channel, typed changes, and
/// the devices the server did not accept.
#[tokio::test]
async fn device_changes_arrive_typed() -> Result<(), Error> {
    use iot_explorer::test_util::{TestChange, channel};
    use iot_explorer::{ChannelEvent, DeviceChangeSubType, DeviceChangeType};
    let channel = channel().await;
    channel.accept_only(["PRODUCT/dev01"]);
    let client = Client::builder()
        .channel_url(channel.url())
        .access_token("token-from-login")
        .build()?;
    let mut changes = client
        .device_changes(vec!["PRODUCT/dev01".into(), "PRODUCT/other".into()])
        .await?;
    assert_eq!(changes.rejected(), ["PRODUCT/other"]);

    channel.push(
        &TestChange::property("PRODUCT/dev01", serde_json::json!({"params": {"on": 1}})).seq(3),
    );
    channel.push(&TestChange::new("PRODUCT/dev01", "StatusChange", "Offline").seq(4));
    channel.push_raw("not json");
    channel.push(&TestChange::new("PRODUCT/dev01", "LaterType", "Report").seq(5));
    let mut next = async || match changes.next().await {
        Some(Ok(ChannelEvent::Change(c))) => Ok(c),
        Some(Ok(other)) => panic!("expected a change, got {other:?}"),
        Some(Err(e)) => Err(e),
        None => panic!("the stream ended"),
    };
    let c = next().await?;
    assert_eq!(
        (c.kind, c.sub_kind, c.seq),
        (
            DeviceChangeType::Property,
            DeviceChangeSubType::Report,
            Some(3)
        )
    );
    // The payload is the device's JSON, read into a type of the caller's.
    type Report = std::collections::BTreeMap<String, std::collections::BTreeMap<String, i64>>;
    let payload: Option<iot_explorer::ChangePayload> = c.payload;
    let report: Report = payload.expect("a payload").deserialize().unwrap();
    assert_eq!(report["params"]["on"], 1);
    let c = next().await?;
    assert_eq!(
        (c.kind, c.sub_kind),
        (DeviceChangeType::StatusChange, DeviceChangeSubType::Offline)
    );
    let broken = next().await.unwrap_err();
    assert_eq!(broken.kind(), iot_explorer::ErrorKind::Decode);
    let c = next().await?;
    assert_eq!(c.kind, DeviceChangeType::Unknown("LaterType".into()));

    let subscriptions = channel.frames_where(|f| f.is_subscription());
    assert_eq!(subscriptions[0].access_token(), Some("token-from-login"));

    // A token action called over the open socket: the same typed response
    // and errors as over HTTP.
    channel.respond(
        "AppGetFamilyList",
        Reply::success(serde_json::json!({"FamilyList": [{"FamilyId": "f1"}], "Total": 1})),
    );
    let handle = changes.handle();
    let out = handle
        .send(&iot_explorer::AppGetFamilyListRequest::new())
        .await?;
    assert_eq!(out.total, Some(1));
    channel.respond(
        "AppGetFamilyList",
        Reply::error("InternalError", "内部错误"),
    );
    let e = handle
        .send(&iot_explorer::AppGetFamilyListRequest::new())
        .await
        .unwrap_err();
    assert_eq!(e.code(), Some(&ErrorCode::InternalError));
    Ok(())
}
