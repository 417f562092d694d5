//! Decoding pushed changes: the runtime's `decode_push`, which turns a
//! `DeviceChange` frame into the typed change (the frame, the JSON text in
//! its `params`, the base64 `Payload` and the JSON document inside it,
//! checked and kept as text),
//! next to serde_json merely parsing the same frames into a `Value`, the
//! floor any decoder of the frames pays.
//!
//! ```text
//! cargo bench -p bench --bench channel_decode
//! ```
//!
//! The frames are made in `channel_frames`, from the docs' examples: the
//! first one verbatim, the others with `TestChange` (status changes,
//! property and event reports, action pushes and replies, a template
//! report), 1024 in all, each benchmark decoding every one once per
//! iteration on one thread. divan's items counter gives frames per second;
//! `channel_decode_paired` interleaves the two and gives the ratio to
//! quote.
//! `value_nested` is the obvious hand-written decoder for comparison: the
//! frame, `params` and the payload each parsed into a `Value`.

#![allow(
    clippy::disallowed_types,
    clippy::disallowed_methods,
    reason = "the floor and the comparison are `Value` parses on purpose"
)]

use base64::Engine as _;
use divan::Bencher;
use divan::counter::ItemsCount;
use serde_json::Value;

mod channel_frames;
use channel_frames::{FRAME_SET, FRAMES, decode, floor};

fn main() {
    divan::main();
}

#[divan::bench(sample_count = 100, sample_size = 4)]
fn runtime_decode(b: Bencher) {
    let frames = &*FRAME_SET;
    // Checked once, outside the timing: every frame is a change with its
    // payload decoded.
    let payloads = frames
        .iter()
        .filter(|f| decode(f).payload.is_some())
        .count();
    assert_eq!(payloads, FRAMES - FRAMES / 4);
    b.counter(ItemsCount::new(FRAMES)).bench_local(|| {
        for frame in frames {
            divan::black_box(decode(divan::black_box(frame)));
        }
    });
}

#[divan::bench(sample_count = 100, sample_size = 4)]
fn value_floor(b: Bencher) {
    let frames = &*FRAME_SET;
    b.counter(ItemsCount::new(FRAMES)).bench_local(|| {
        for frame in frames {
            divan::black_box(floor(divan::black_box(frame)));
        }
    });
}

#[divan::bench(sample_count = 100, sample_size = 4)]
fn value_nested(b: Bencher) {
    let frames = &*FRAME_SET;
    b.counter(ItemsCount::new(FRAMES)).bench_local(|| {
        for frame in frames {
            let outer: Value = serde_json::from_str(divan::black_box(frame)).expect("JSON");
            let params: Value =
                serde_json::from_str(outer["params"].as_str().expect("params")).expect("params");
            let payload = match params["Payload"].as_str() {
                Some("") | None => None,
                Some(b64) => {
                    let bytes = base64::engine::general_purpose::STANDARD
                        .decode(b64)
                        .expect("base64");
                    Some(serde_json::from_slice::<Value>(&bytes).expect("payload"))
                }
            };
            divan::black_box((params, payload));
        }
    });
}
