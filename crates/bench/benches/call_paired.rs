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

mod common;
mod paired;

#[global_allocator]
static ALLOCATOR: paired::Counting = paired::Counting;

const DEFAULT_ROUNDS: usize = 20_000;
const WARM_UP_ROUNDS: usize = 500;

fn main() {
    let rounds = paired::rounds(DEFAULT_ROUNDS);
    let rt = paired::runtime();
    let server = iot_explorer::test_util::server_blocking();
    // The test server closes every connection: the calls alternate which
    // goes first, so that neither always finds the other's connection just
    // closed.
    paired::generated_against_hand_written(&rt, &server.base_url(), rounds, WARM_UP_ROUNDS);
}
