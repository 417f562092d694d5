//! The common parameters under the service's names, and the names each
//! auth mode reserves, against the loopback server.

#![allow(
    clippy::disallowed_types,
    clippy::disallowed_methods,
    reason = "tests build bodies and replies as values"
)]

mod common;

use common::*;
use iot_explorer_runtime::test_util::{Reply, TestServer};
use iot_explorer_runtime::{ClientBuilder, ErrorKind};
use serde_json::{Map, Value, json};

fn renamed_client(server: &TestServer) -> RenamedClient {
    ClientBuilder::<RenamedClient>::new()
        .base_url(server.base_url())
        .access_token(TOKEN)
        .app_key(APP_KEY)
        .app_secret(APP_SECRET)
        .retry_policy(fast_retries())
        .build()
        .expect("build client")
}

fn sorted_keys(params: &Map<String, Value>) -> Vec<&str> {
    let mut keys: Vec<&str> = params.keys().map(String::as_str).collect();
    keys.sort_unstable();
    keys
}

#[tokio::test]
async fn a_token_call_writes_the_services_names() {
    let server = TestServer::start_with_params(RENAMED).await;
    server.respond("AppGetDeviceOTAInfo", Reply::success(json!({"Count": 1})));
    let client = renamed_client(&server);
    let out: GetInfoResponse = client
        .0
        .call(&GET_INFO, &GetInfoRequest::new("P", "d"))
        .await
        .expect("the server finds the action under its name");
    assert_eq!(out.count, Some(1));

    let req = &server.requests_for("AppGetDeviceOTAInfo")[0];
    let params = req.params().unwrap();
    assert_eq!(
        sorted_keys(params),
        ["Act", "DeviceName", "ProductId", "ReqId", "Token"]
    );
    assert_eq!(params["Act"], "AppGetDeviceOTAInfo");
    assert_eq!(params["Token"], TOKEN);
    // The server echoes the id it read under the service's name.
    assert_eq!(out.request_id.as_deref(), params["ReqId"].as_str());
    let debug = format!("{req:?}");
    assert_no_secrets("a recorded request's Debug", &debug);
    assert!(
        debug.contains("\"Token\": String(\"** redacted **\")"),
        "{debug}"
    );
}

#[tokio::test]
async fn a_signed_call_writes_and_signs_the_services_names() {
    let server = TestServer::start_with_params(RENAMED).await;
    server.respond(
        "AppCreateCellphoneUser",
        Reply::success(json!({"UserID": "u"})),
    );
    let client = renamed_client(&server);
    let out: CreateUserResponse = client
        .0
        .call(&CREATE_USER, &CreateUserRequest::example())
        .await
        .unwrap();
    assert_eq!(out.user_id.as_deref(), Some("u"));

    let req = &server.requests()[0];
    let params = req.params().unwrap();
    assert_eq!(
        sorted_keys(params),
        [
            "Act",
            "CountryCode",
            "Key",
            "Password",
            "PhoneNumber",
            "Rand",
            "ReqId",
            "Sig",
            "Ts",
            "VerificationCode"
        ]
    );
    assert_eq!(params["Key"], APP_KEY);
    assert!(params["Ts"].is_u64() && params["Rand"].is_u64());
    assert!(req.signature_is_valid(APP_SECRET));
    // Signed over everything but `Sig`, as the service names it.
    let mut unsigned = params.clone();
    let sig = unsigned.remove("Sig").unwrap();
    assert_eq!(sig, RENAMED.sign(APP_SECRET, &unsigned));
    assert_ne!(sig, iot_explorer_runtime::sign(APP_SECRET, params));
}

#[tokio::test]
async fn a_test_server_with_other_names_does_not_read_the_defaults() {
    // A client with the documented names, a server with others: the server
    // finds no action, so the names really come from its parameters.
    let server = TestServer::start_with_params(RENAMED).await;
    server.respond("AppGetDeviceOTAInfo", Reply::success(json!({})));
    let e = token_client(&server.base_url())
        .get_info(&GetInfoRequest::new("P", "d"))
        .await
        .unwrap_err();
    assert_eq!(e.status(), Some(400));
    assert!(server.requests()[0].action().is_none());
}

#[tokio::test]
async fn token_calls_may_send_business_parameters_named_like_signed_ones() {
    // Some token-auth pages document their own `Signature` and `Nonce` (a
    // device's signature); they are the request's, not the client's.
    let server = TestServer::start().await;
    server.respond("AppGetDeviceOTAInfo", Reply::success(json!({})));
    let client = token_client(&server.base_url());
    let request = json!({"Signature": "device-sig", "Nonce": 12, "Timestamp": 3, "AppKey": "k"});
    let _: Map<String, Value> = client.0.call(&GET_INFO, &request).await.unwrap();
    let req = &server.requests()[0];
    assert_eq!(req.param("Signature"), Some(&json!("device-sig")));
    assert_eq!(req.param("Nonce"), Some(&json!(12)));
    assert_eq!(req.param("Timestamp"), Some(&json!(3)));
    assert_eq!(req.param("AppKey"), Some(&json!("k")));
    assert_eq!(req.param("AccessToken"), Some(&json!(TOKEN)));
}

#[tokio::test]
async fn each_auth_mode_refuses_the_names_it_writes() {
    let server = TestServer::start().await;
    let token = token_client(&server.base_url());
    let signed = signed_client(&server.base_url());
    for name in ["Action", "RequestId", "AccessToken"] {
        let e = token
            .0
            .call::<_, Map<String, Value>>(&GET_INFO, &json!({ name: "x" }))
            .await
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidRequest, "{name}");
        assert!(e.to_string().contains(name), "{e}");
    }
    for name in [
        "Action",
        "RequestId",
        "AppKey",
        "Timestamp",
        "Nonce",
        "Signature",
    ] {
        let e = signed
            .0
            .call::<_, Map<String, Value>>(&CREATE_USER, &json!({ name: "x" }))
            .await
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidRequest, "{name}");
    }
    // The renamed service refuses its own names (the body tests show it
    // lets the documented ones through).
    let renamed = renamed_client(&server);
    let e = renamed
        .0
        .call::<_, Map<String, Value>>(&GET_INFO, &json!({"Token": "x"}))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidRequest);
    assert!(server.requests().is_empty(), "a refused request was sent");
}
