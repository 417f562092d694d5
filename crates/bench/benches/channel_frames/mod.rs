//! The frames both channel benchmarks decode, and the two decoders.

#![allow(
    clippy::disallowed_types,
    clippy::disallowed_methods,
    dead_code,
    reason = "the floor is a `Value` parse on purpose; each benchmark uses part of this"
)]

use std::sync::LazyLock;

use iot_explorer_runtime::channel::decode_push;
use iot_explorer_runtime::test_util::TestChange;
use serde_json::{Value, json};

/// The docs' first example frame, exactly.
const DOCS_EVENT: &str = r#"{"push": true, "action": "DeviceChange", "params": "{\"Time\":\"2019-03-28T15:17:35+08:00\",\"Type\":\"Event\",\"SubType\":\"Report\",\"Topic\":\"$thing/up/event/LQCSPUNOZ9/testDerive1\",\"Payload\":\"eyJtZXRob2QiOiJldmVudF9wb3N0IiwiY2xpZW50VG9rZW4iOiIxMjMiLCJ2ZXJzaW9uIjoiMS4wIiwiZXZlbnRJZCI6InN0YXR1c19yZXBvcnQiLCJ0aW1lc3RhbXAiOjAsInBhcmFtcyI6eyJzdGF0dXMiOjAsIm1lc3NhZ2UiOiJEZXZpY2VPSyJ9fQ==\",\"Seq\":38,\"DeviceId\":\"LQCSPUNOZ9/testDerive\"}"}"#;

pub const FRAMES: usize = 1024;

pub static FRAME_SET: LazyLock<Vec<String>> = LazyLock::new(|| {
    let device = |i: usize| format!("US4CJ11DIK/dev{:03}", i % 50);
    (0..FRAMES)
        .map(|i| {
            let seq = i as i64;
            let change = match i % 8 {
                0 => return DOCS_EVENT.to_owned(),
                1 => TestChange::new(device(i), "StatusChange", "Online"),
                2 => TestChange::property(
                    device(i),
                    json!({"method": "report", "params": {"timestamp": 0,
                        "params": {"brightness": 59}, "method": "report",
                        "clientToken": "tm20191030104053_1"}}),
                ),
                3 => TestChange::new(device(i), "Event", "Report")
                    .topic(format!("$thing/up/event/{}", device(i)))
                    .payload(&json!({"method": "event_post", "version": "1.0",
                        "eventId": "low_voltage", "params": {"voltage": 2.278081},
                        "clientToken": "clientToken-559"})),
                4 => TestChange::new(device(i), "Action", "Push").payload(&json!({
                    "method": "action", "clientToken": "136947493::req_1",
                    "actionId": "light_blink", "timestamp": 1620912845,
                    "params": {"color": 1, "time": 6, "total_time": 60}})),
                5 => TestChange::new(device(i), "Action", "Report").payload(&json!({
                    "method": "action_reply", "clientToken": "136947493::req_1",
                    "code": 0, "status": "succ", "response": {"result": 1}})),
                6 => TestChange::new(device(i), "Template", "Report").payload(&json!({
                    "type": "update", "state": {"reported": {"test_num_start": 7,
                        "light_switch": 1, "color": 1, "brightness": 41}},
                    "version": 155, "clientToken": "API-ControlDeviceData-1554953110"})),
                _ => TestChange::new(device(i), "StatusChange", "Offline"),
            };
            change.seq(seq).frame()
        })
        .collect()
});

/// `frame` decoded as the generated client decodes a push, into its own
/// change enums.
pub fn decode(frame: &str) -> iot_explorer::DeviceChange {
    decode_push::<iot_explorer::ErrorCode, _, _>(frame)
        .expect("a good frame")
        .expect("a change")
}

/// The floor: the frame parsed into a `Value`, nothing more.
pub fn floor(frame: &str) -> Value {
    serde_json::from_str(frame).expect("JSON")
}
