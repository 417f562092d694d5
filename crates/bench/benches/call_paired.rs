//! The `call` benchmark's two calls, interleaved: the generated client and
//! the hand-written reqwest + serde_json call, one after the other in every
//! round, in alternating order.
//!
//! ```text
//! cargo bench -p bench --bench call_paired [-- ROUNDS]
//! ```
//!
//! On a shared machine the speed drifts by more than the difference being
//! measured between two benchmarks run one after the other, as `call` does.
//! Interleaving puts both calls under the same conditions, so the ratio of
//! the two medians is stable even where the medians themselves are not. It
//! also prints the ratio within each tenth of the run, to show the spread,
//! and the allocations per call of each (a counting global allocator).
//! `call_kept_alive` makes the same comparison on a kept-alive connection.

use iot_explorer::AppGetDeviceOtaInfoRequest;

mod common;
mod paired;
use common::by_hand;

#[global_allocator]
static ALLOCATOR: paired::Counting = paired::Counting;

const DEFAULT_ROUNDS: usize = 20_000;
const WARM_UP_ROUNDS: usize = 500;

fn main() {
    let rounds = paired::rounds(DEFAULT_ROUNDS);
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a Tokio runtime");
    let server = iot_explorer::test_util::server_blocking();
    let client = iot_explorer::Client::builder()
        .base_url(server.base_url())
        .access_token("token-from-login")
        .build()
        .expect("a client");
    let http = reqwest::Client::new();
    let url = format!("{}/tokenapi", server.base_url());

    let generated = || {
        paired::sample(|| {
            let out = rt
                .block_on(
                    client.app_get_device_ota_info(AppGetDeviceOtaInfoRequest::new(
                        "PRODUCT", "dev01",
                    )),
                )
                .expect("the documented reply");
            assert!(out.firmware_url.is_some());
        })
    };
    let hand_written = || {
        paired::sample(|| {
            let out = rt
                .block_on(by_hand(&http, &url, "token-from-login", "PRODUCT", "dev01"))
                .expect("the documented reply");
            assert!(out.firmware_url.is_some());
        })
    };
    // Alternating which goes first, so neither always finds the other's
    // connection just closed.
    paired::run_pair(
        rounds,
        WARM_UP_ROUNDS,
        ("generated client", generated),
        ("hand-written", hand_written),
    );
}
