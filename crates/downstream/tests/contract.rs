//! DESIGN.md section 4, as a downstream crate writes it, against the
//! generated crate's loopback test server.

use iot_explorer::test_util::{Reply, server};
use iot_explorer::{AppGetDeviceOtaInfoRequest, Client, Error, ErrorCode};

#[tokio::test]
async fn the_documented_usage_compiles_and_works() -> Result<(), Error> {
    let server = server().await;
    let client = Client::builder()
        .base_url(server.base_url())
        .access_token("token-from-login")
        .timeout(std::time::Duration::from_secs(10))
        .build()?;

    let out = client.app_get_device_ota_info(AppGetDeviceOtaInfoRequest::new("PRODUCT", "dev01")).await?;
    let url: Option<String> = out.firmware_url;
    assert_eq!(url.as_deref(), Some("https://examplebucket-12500000000.cos.ap-guangzhou.myqcloud.com/path/to/firmware?sign=***"));

    server.respond("AppGetDeviceOTAInfo", Reply::error("InvalidParameterValue.InvalidAccessToken", "Token 无效"));
    match client.app_get_device_ota_info(AppGetDeviceOtaInfoRequest::new("PRODUCT", "dev01")).await {
        Err(e) if e.code() == Some(&ErrorCode::InvalidParameterValueInvalidAccessToken) => {
            let shown = e.to_string();
            assert!(shown.contains("AppGetDeviceOTAInfo"), "{shown}");
            assert!(shown.contains("InvalidParameterValue.InvalidAccessToken"), "{shown}");
            assert!(e.request_id().is_some());
            assert!(!shown.contains("token-from-login") && !format!("{e:?}").contains("token-from-login"));
        }
        other => panic!("expected the typed error code, got {other:?}"),
    }

    let sent = server.requests_for("AppGetDeviceOTAInfo");
    assert_eq!(sent[0].param("ProductId"), Some(&serde_json::json!("PRODUCT")));
    assert_eq!(sent[0].param("AccessToken"), Some(&serde_json::json!("token-from-login")));
    Ok(())
}

#[test]
fn the_blocking_client_has_the_same_shape() -> Result<(), Error> {
    let server = iot_explorer::test_util::server_blocking();
    let client = iot_explorer::blocking::Client::builder().base_url(server.base_url()).access_token("t").build()?;
    let out = client.app_get_products(iot_explorer::AppGetProductsRequest::new(vec!["FVYYYEL4ON".to_string()]))?;
    assert_eq!(out.products.map(|p| p.len()), Some(3));
    Ok(())
}

#[test]
fn error_codes_are_typed_and_never_fail_to_parse() {
    let code: ErrorCode = "InternalError".parse().unwrap();
    assert_eq!(code, ErrorCode::InternalError);
    assert_eq!(code.as_str(), "InternalError");
    assert_eq!(code.description(), Some("内部错误"));
    assert_eq!(ErrorCode::from("Some.NewCode"), ErrorCode::Unknown("Some.NewCode".into()));
    assert_eq!(ErrorCode::from("Some.NewCode").to_string(), "Some.NewCode");
}
