//! The `channel_decode` benchmark's runtime decode and `Value` floor,
//! interleaved: every round decodes the 1024 frames once with each, in
//! alternating order, so that both run under the same conditions.
//!
//! ```text
//! cargo bench -p bench --bench channel_decode_paired [-- ROUNDS]
//! ```
//!
//! Run one after the other, the two medians drift with the machine's load
//! by about as much as the ratio being measured; interleaved, the ratio of
//! the medians is stable. The ratio within each tenth of the run shows the
//! spread.

use std::time::{Duration, Instant};

mod channel_frames;
use channel_frames::{FRAME_SET, FRAMES, decode, floor};

const DEFAULT_ROUNDS: usize = 2_000;
const WARM_UP_ROUNDS: usize = 50;

fn main() {
    // `cargo bench` passes `--bench`; a bare number sets the rounds.
    let rounds = std::env::args()
        .skip(1)
        .find_map(|a| a.parse::<usize>().ok())
        .unwrap_or(DEFAULT_ROUNDS)
        .max(10);
    let frames = &*FRAME_SET;
    let runtime = || {
        let start = Instant::now();
        for frame in frames {
            std::hint::black_box(decode(std::hint::black_box(frame)));
        }
        start.elapsed()
    };
    let value = || {
        let start = Instant::now();
        for frame in frames {
            std::hint::black_box(floor(std::hint::black_box(frame)));
        }
        start.elapsed()
    };
    for _ in 0..WARM_UP_ROUNDS {
        runtime();
        value();
    }
    let mut pairs = Vec::with_capacity(rounds);
    for round in 0..rounds {
        pairs.push(if round % 2 == 0 {
            (runtime(), value())
        } else {
            let v = value();
            (runtime(), v)
        });
    }
    let per_frame = |d: Duration| d.as_nanos() as f64 / FRAMES as f64;
    let median = |mut v: Vec<Duration>| {
        v.sort_unstable();
        v[v.len() / 2]
    };
    let (r, v): (Vec<_>, Vec<_>) = pairs.iter().copied().unzip();
    let (r, v) = (median(r), median(v));
    println!("channel_decode_paired: {rounds} rounds of {FRAMES} frames, one thread");
    println!(
        "  runtime decode  {:8.1} ns/frame  {:6.0} k frames/s",
        per_frame(r),
        1e6 / per_frame(r)
    );
    println!(
        "  Value floor     {:8.1} ns/frame  {:6.0} k frames/s",
        per_frame(v),
        1e6 / per_frame(v)
    );
    println!(
        "  ratio (medians) {:.2}x",
        r.as_secs_f64() / v.as_secs_f64()
    );
    let tenth = (rounds / 10).max(1);
    let spread: Vec<String> = pairs
        .chunks(tenth)
        .map(|chunk| {
            let (r, v): (Vec<_>, Vec<_>) = chunk.iter().copied().unzip();
            format!("{:.2}", median(r).as_secs_f64() / median(v).as_secs_f64())
        })
        .collect();
    println!("  ratio per tenth {}", spread.join(" "));
}
