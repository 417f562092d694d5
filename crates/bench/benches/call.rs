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
//!
//! The two run one after the other, so their ratio moves with the
//! machine's load; `call_paired` interleaves the same calls and gives the
//! ratio to quote.

use divan::Bencher;
use iot_explorer::AppGetDeviceOtaInfoRequest;
use std::sync::LazyLock;

mod common;
use common::by_hand;

fn main() {
    divan::main();
}

/// One thread drives the client, as in a typical single-task caller; the
/// server runs on a thread of its own (`server_blocking`).
fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a Tokio runtime")
}

static SERVER: LazyLock<iot_explorer::test_util::TestServer> =
    LazyLock::new(iot_explorer::test_util::server_blocking);

#[divan::bench(sample_count = 200, sample_size = 10)]
fn generated_client(b: Bencher) {
    let rt = runtime();
    let client = iot_explorer::Client::builder()
        .base_url(SERVER.base_url())
        .access_token("token-from-login")
        .build()
        .expect("a client");
    b.bench_local(|| {
        let out = rt
            .block_on(
                client.app_get_device_ota_info(AppGetDeviceOtaInfoRequest::new("PRODUCT", "dev01")),
            )
            .expect("the documented reply");
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
        let out = rt
            .block_on(by_hand(&http, &url, "token-from-login", "PRODUCT", "dev01"))
            .expect("the documented reply");
        assert!(out.firmware_url.is_some());
        out
    });
}
