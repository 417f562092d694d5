//! A full call of the generated client against the loopback test server,
//! next to the same call written by hand with reqwest and serde_json.
//!
//! ```text
//! cargo bench -p bench --bench call
//! ```
//!
//! Both send the same JSON body (`Action`, a fresh UUID `RequestId`,
//! `AccessToken`, `ProductId`, `DeviceName`) in a POST to the same server,
//! which answers with the documented example of `AppGetDeviceOTAInfo`, and
//! both decode the reply into a typed response and check it for an API
//! error. The server closes each connection after one reply, so every
//! call, in both benchmarks, also pays for a TCP connection on loopback.

use divan::Bencher;
use iot_explorer::AppGetDeviceOtaInfoRequest;
use serde::{Deserialize, Serialize};
use std::sync::LazyLock;

fn main() {
    divan::main();
}

/// One thread drives the client, as in a typical single-task caller; the
/// server runs on a thread of its own (`server_blocking`).
fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a Tokio runtime")
}

static SERVER: LazyLock<iot_explorer::test_util::TestServer> = LazyLock::new(iot_explorer::test_util::server_blocking);

#[divan::bench(sample_count = 200, sample_size = 10)]
fn generated_client(b: Bencher) {
    let rt = runtime();
    let client = iot_explorer::Client::builder().base_url(SERVER.base_url()).access_token("token-from-login").build().expect("a client");
    b.bench_local(|| {
        let out = rt.block_on(client.app_get_device_ota_info(AppGetDeviceOtaInfoRequest::new("PRODUCT", "dev01"))).expect("the documented reply");
        assert!(out.firmware_url.is_some());
        out
    });
}

#[divan::bench(sample_count = 200, sample_size = 10)]
fn hand_written(b: Bencher) {
    let rt = runtime();
    let http = reqwest::Client::new();
    let url = format!("{}/tokenapi", SERVER.base_url());
    b.bench_local(|| {
        let out = rt.block_on(by_hand(&http, &url, "token-from-login", "PRODUCT", "dev01")).expect("the documented reply");
        assert!(out.firmware_url.is_some());
        out
    });
}

// ---- the hand-written call ------------------------------------------------------

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct Body<'a> {
    action: &'a str,
    request_id: String,
    access_token: &'a str,
    product_id: &'a str,
    device_name: &'a str,
}

#[derive(Deserialize)]
struct Envelope {
    #[serde(rename = "Response")]
    response: Reply,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Reply {
    error: Option<ApiError>,
    request_id: Option<String>,
    #[serde(rename = "FirmwareURL")]
    firmware_url: Option<String>,
    target_version: Option<String>,
    upload_version: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct ApiError {
    code: String,
    message: String,
}

/// What a caller without the generated client would write: build the body,
/// POST it, decode the envelope, turn an API error into an error.
async fn by_hand(http: &reqwest::Client, url: &str, token: &str, product: &str, device: &str) -> Result<Reply, Box<dyn std::error::Error>> {
    let body = Body {
        action: "AppGetDeviceOTAInfo",
        request_id: uuid::Uuid::new_v4().to_string(),
        access_token: token,
        product_id: product,
        device_name: device,
    };
    let response = http
        .post(url)
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .body(serde_json::to_vec(&body)?)
        .send()
        .await?;
    let bytes = response.bytes().await?;
    let reply = serde_json::from_slice::<Envelope>(&bytes)?.response;
    if let Some(e) = reply.error {
        return Err(format!("{}: {} (request {:?})", e.code, e.message, reply.request_id).into());
    }
    let _ = (&reply.target_version, &reply.upload_version);
    Ok(reply)
}
