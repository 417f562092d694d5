//! The `call_paired` comparison on a kept-alive connection: the generated
//! client and the hand-written reqwest + serde_json call, interleaved, each
//! on its own pooled connection to a server that keeps connections open,
//! so that what the client adds is not hidden behind connection set-up.
//!
//! ```text
//! taskset -c 1 cargo bench -p bench --bench call_kept_alive [-- ROUNDS]
//! ```
//!
//! The server (`paired::keep_alive_server`) answers every request with the
//! documented example reply of `AppGetDeviceOTAInfo`, as the generated test
//! server does, on a thread of its own. Both calls send the same body and
//! decode the same reply. It prints the ratio of medians and the
//! allocations per call of each (counted on the calling thread, which runs
//! the client and its connection tasks).

mod common;
mod paired;

#[global_allocator]
static ALLOCATOR: paired::Counting = paired::Counting;

const DEFAULT_ROUNDS: usize = 40_000;
const WARM_UP_ROUNDS: usize = 1_000;

fn main() {
    let rounds = paired::rounds(DEFAULT_ROUNDS);
    let rt = paired::runtime();
    let reply = rt.block_on(documented_reply());
    let base_url = paired::keep_alive_server(reply);
    paired::generated_against_hand_written(&rt, &base_url, rounds, WARM_UP_ROUNDS);
}

/// The reply the generated test server sends for `AppGetDeviceOTAInfo`.
async fn documented_reply() -> Vec<u8> {
    let server = iot_explorer::test_util::server().await;
    let body = r#"{"Action":"AppGetDeviceOTAInfo","RequestId":"r","AccessToken":"t","ProductId":"P","DeviceName":"d"}"#;
    let reply = reqwest::Client::new()
        .post(format!("{}/tokenapi", server.base_url()))
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .body(body)
        .send()
        .await
        .expect("the test server answers");
    reply.bytes().await.expect("its reply").to_vec()
}
