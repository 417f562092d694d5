//! What the interleaved call benchmarks share: the counting allocator, the
//! loop that runs two calls in alternating order and reports the ratio of
//! their medians and their allocations per call, the two calls they
//! compare, and a server that keeps connections open.

use crate::common::by_hand;
use iot_explorer::AppGetDeviceOtaInfoRequest;
use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::time::{Duration, Instant};

/// The system allocator, counting the allocations of each thread.
pub struct Counting;

thread_local! {
    static ALLOCATIONS: Cell<u64> = const { Cell::new(0) };
}

// SAFETY: every call is passed on to the system allocator unchanged; the
// count is a const-initialised thread-local, which never allocates.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let _ = ALLOCATIONS.try_with(|n| n.set(n.get() + 1));
        // SAFETY: the caller's contract is `GlobalAlloc::alloc`'s.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let _ = ALLOCATIONS.try_with(|n| n.set(n.get() + 1));
        // SAFETY: as above.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let _ = ALLOCATIONS.try_with(|n| n.set(n.get() + 1));
        // SAFETY: as above.
        unsafe { System.realloc(ptr, layout, new_size) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: as above.
        unsafe { System.dealloc(ptr, layout) }
    }
}

/// Allocations (and reallocations) made by this thread so far.
pub fn allocations() -> u64 {
    ALLOCATIONS.with(Cell::get)
}

/// One call's time and the allocations the calling thread made in it.
pub struct Sample {
    pub took: Duration,
    pub allocations: u64,
}

/// Times `call` and counts what it allocates on this thread (where a
/// current-thread runtime runs the client and its connection tasks).
pub fn sample(call: impl FnOnce()) -> Sample {
    let before = allocations();
    let start = Instant::now();
    call();
    let took = start.elapsed();
    Sample {
        took,
        allocations: allocations() - before,
    }
}

/// Runs `a` and `b` `rounds` times each after a warm-up, alternating which
/// goes first, and prints medians, the ratio of medians (overall and per
/// tenth of the run) and the allocations per call of each.
pub fn run_pair(
    rounds: usize,
    warm_up: usize,
    (name_a, mut a): (&str, impl FnMut() -> Sample),
    (name_b, mut b): (&str, impl FnMut() -> Sample),
) {
    for _ in 0..warm_up {
        a();
        b();
    }
    let mut sa = Vec::with_capacity(rounds);
    let mut sb = Vec::with_capacity(rounds);
    for round in 0..rounds {
        if round % 2 == 0 {
            sa.push(a());
            sb.push(b());
        } else {
            sb.push(b());
            sa.push(a());
        }
    }
    let times = |s: &[Sample]| s.iter().map(|s| s.took).collect::<Vec<_>>();
    let (ta, tb) = (times(&sa), times(&sb));
    let (ma, mb) = (median(&ta), median(&tb));
    let width = name_a.len().max(name_b.len()) + 1;
    println!("rounds: {rounds} (each: one {name_a} call and one {name_b} call)");
    println!("{:width$} median {}", format!("{name_a}:"), micros(ma));
    println!("{:width$} median {}", format!("{name_b}:"), micros(mb));
    println!("ratio of medians: {:.3}", ratio(ma, mb));
    let tenth = rounds / 10;
    let by_tenth: Vec<String> = (0..10)
        .map(|i| {
            let range = i * tenth..(i + 1) * tenth;
            let r = ratio(median(&ta[range.clone()]), median(&tb[range]));
            format!("{r:.3}")
        })
        .collect();
    println!("ratio per tenth: {}", by_tenth.join(" "));
    let per_call =
        |s: &[Sample]| s.iter().map(|s| s.allocations).sum::<u64>() as f64 / s.len() as f64;
    println!(
        "allocations per call: {name_a} {:.1}, {name_b} {:.1}",
        per_call(&sa),
        per_call(&sb)
    );
}

/// A current-thread runtime: the client and its connection tasks run on
/// the calling thread, whose allocations [`sample`] counts.
pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a Tokio runtime")
}

/// The comparison both call benchmarks make: the generated client's
/// `AppGetDeviceOTAInfo` against the hand-written reqwest + serde_json call,
/// both to the server at `base_url` and run on `rt` (from [`runtime`]),
/// through [`run_pair`].
pub fn generated_against_hand_written(
    rt: &tokio::runtime::Runtime,
    base_url: &str,
    rounds: usize,
    warm_up: usize,
) {
    const TOKEN: &str = "token-from-login";
    let client = iot_explorer::Client::builder()
        .base_url(base_url)
        .access_token(TOKEN)
        .build()
        .expect("a client");
    let http = reqwest::Client::new();
    let url = format!("{base_url}/tokenapi");
    let generated = || {
        sample(|| {
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
        sample(|| {
            let out = rt
                .block_on(by_hand(&http, &url, TOKEN, "PRODUCT", "dev01"))
                .expect("the documented reply");
            assert!(out.firmware_url.is_some());
        })
    };
    run_pair(
        rounds,
        warm_up,
        ("generated client", generated),
        ("hand-written", hand_written),
    );
}

/// `cargo bench` passes `--bench`; a bare number sets the rounds.
pub fn rounds(default: usize) -> usize {
    std::env::args()
        .skip(1)
        .find_map(|a| a.parse::<usize>().ok())
        .unwrap_or(default)
        .max(10)
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

/// A loopback HTTP/1.1 server on a thread of its own that answers every
/// POST with `reply` (200, JSON) and keeps the connection open, as a real
/// server behind a pooled client does. Returns its base URL.
///
/// Bench-only and minimal: requests must have a `content-length` body and
/// are not pipelined (reqwest's pool sends one at a time per connection).
#[allow(
    dead_code,
    reason = "call_paired uses the test server, which closes connections"
)]
pub fn keep_alive_server(reply: Vec<u8>) -> String {
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
    let listener = std::net::TcpListener::bind(("127.0.0.1", 0)).expect("a loopback port");
    listener
        .set_nonblocking(true)
        .expect("a non-blocking listener");
    let url = format!("http://{}", listener.local_addr().expect("its address"));
    let mut response = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
        reply.len()
    )
    .into_bytes();
    response.extend_from_slice(&reply);
    let response: &'static [u8] = response.leak();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a Tokio runtime");
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(listener).expect("a Tokio listener");
            loop {
                let Ok((mut stream, _)) = listener.accept().await else {
                    continue;
                };
                let _ = stream.set_nodelay(true);
                tokio::spawn(async move {
                    let mut buf = Vec::with_capacity(8192);
                    loop {
                        // One request: the head, then content-length bytes.
                        let head_end = loop {
                            if let Some(p) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                                break p + 4;
                            }
                            let mut chunk = [0u8; 4096];
                            match stream.read(&mut chunk).await {
                                Ok(0) | Err(_) => return,
                                Ok(n) => buf.extend_from_slice(&chunk[..n]),
                            }
                        };
                        let head = String::from_utf8_lossy(&buf[..head_end]).to_ascii_lowercase();
                        let length = head
                            .lines()
                            .find_map(|l| l.strip_prefix("content-length:"))
                            .and_then(|v| v.trim().parse::<usize>().ok())
                            .unwrap_or(0);
                        while buf.len() < head_end + length {
                            let mut chunk = [0u8; 4096];
                            match stream.read(&mut chunk).await {
                                Ok(0) | Err(_) => return,
                                Ok(n) => buf.extend_from_slice(&chunk[..n]),
                            }
                        }
                        buf.drain(..head_end + length);
                        if stream.write_all(response).await.is_err() {
                            return;
                        }
                    }
                });
            }
        });
    });
    url
}
