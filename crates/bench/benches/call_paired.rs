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
//! also prints the ratio within each tenth of the run, to show the spread.

use std::time::{Duration, Instant};

use iot_explorer::AppGetDeviceOtaInfoRequest;

mod common;
use common::by_hand;

const DEFAULT_ROUNDS: usize = 20_000;
const WARM_UP_ROUNDS: usize = 500;

fn main() {
    // `cargo bench` passes `--bench`; a bare number sets the rounds.
    let rounds = std::env::args()
        .skip(1)
        .find_map(|a| a.parse::<usize>().ok())
        .unwrap_or(DEFAULT_ROUNDS)
        .max(10);
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
        let start = Instant::now();
        let out = rt
            .block_on(
                client.app_get_device_ota_info(AppGetDeviceOtaInfoRequest::new("PRODUCT", "dev01")),
            )
            .expect("the documented reply");
        let took = start.elapsed();
        assert!(out.firmware_url.is_some());
        took
    };
    let hand_written = || {
        let start = Instant::now();
        let out = rt
            .block_on(by_hand(&http, &url, "token-from-login", "PRODUCT", "dev01"))
            .expect("the documented reply");
        let took = start.elapsed();
        assert!(out.firmware_url.is_some());
        took
    };

    for _ in 0..WARM_UP_ROUNDS {
        generated();
        hand_written();
    }
    let mut times_generated = Vec::with_capacity(rounds);
    let mut times_hand = Vec::with_capacity(rounds);
    for round in 0..rounds {
        // Alternate which goes first, so neither always finds the other's
        // connection just closed.
        if round % 2 == 0 {
            times_generated.push(generated());
            times_hand.push(hand_written());
        } else {
            times_hand.push(hand_written());
            times_generated.push(generated());
        }
    }

    let g = median(&times_generated);
    let h = median(&times_hand);
    println!("rounds: {rounds} (each: one generated call and one hand-written call)");
    println!("generated client: median {}", micros(g));
    println!("hand-written:     median {}", micros(h));
    println!("ratio of medians: {:.3}", ratio(g, h));
    let tenth = rounds / 10;
    let by_tenth: Vec<String> = (0..10)
        .map(|i| {
            let range = i * tenth..(i + 1) * tenth;
            let r = ratio(
                median(&times_generated[range.clone()]),
                median(&times_hand[range]),
            );
            format!("{r:.3}")
        })
        .collect();
    println!("ratio per tenth: {}", by_tenth.join(" "));
}

fn median(times: &[Duration]) -> Duration {
    let mut sorted = times.to_vec();
    sorted.sort_unstable();
    sorted[sorted.len() / 2]
}

fn ratio(a: Duration, b: Duration) -> f64 {
    a.as_secs_f64() / b.as_secs_f64()
}

fn micros(d: Duration) -> String {
    format!("{:.2} µs", d.as_secs_f64() * 1e6)
}
