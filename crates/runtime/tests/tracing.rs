//! Tracing output of a call. A test binary of its own, with a global
//! subscriber: tracing caches per-callsite interest process-wide, so a
//! thread-local subscriber next to other tests' threads can miss spans.

#![allow(
    clippy::disallowed_types,
    clippy::disallowed_methods,
    reason = "tests build bodies and replies as values"
)]

mod common;

use std::sync::{Arc, Mutex};

use common::*;
use iot_explorer_runtime::test_util::{Reply, TestServer};
use serde_json::json;

/// Collects span and event fields as text.
#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<String>>>);

struct Fields<'a>(&'a mut String);

impl tracing::field::Visit for Fields<'_> {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        self.0.push_str(&format!(" {}={:?}", field.name(), value));
    }
}

impl tracing::Subscriber for Capture {
    fn enabled(&self, _: &tracing::Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, span: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        let mut line = format!("span {}", span.metadata().name());
        span.record(&mut Fields(&mut line));
        let mut lines = self.0.lock().unwrap();
        lines.push(line);
        tracing::span::Id::from_u64(lines.len() as u64)
    }
    fn record(&self, _: &tracing::span::Id, values: &tracing::span::Record<'_>) {
        let mut line = "record".to_owned();
        values.record(&mut Fields(&mut line));
        self.0.lock().unwrap().push(line);
    }
    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}
    fn event(&self, event: &tracing::Event<'_>) {
        let mut line = format!("event {}", event.metadata().target());
        event.record(&mut Fields(&mut line));
        self.0.lock().unwrap().push(line);
    }
    fn enter(&self, _: &tracing::span::Id) {}
    fn exit(&self, _: &tracing::span::Id) {}
}

#[tokio::test]
async fn calls_are_traced_without_secrets() {
    let capture = Capture::default();
    tracing::subscriber::set_global_default(capture.clone())
        .expect("the only subscriber in this binary");
    let server = TestServer::start().await;
    server.respond_sequence(
        "AppGetDeviceOTAInfo",
        [
            Reply::error("RequestLimitExceeded", format!("slow down {TOKEN}")),
            Reply::success(json!({})),
        ],
    );
    server.respond("AppCreateCellphoneUser", Reply::success(json!({})));
    let client = TestClient::builder()
        .base_url(server.base_url())
        .access_token(TOKEN)
        .app_key(APP_KEY)
        .app_secret(APP_SECRET)
        .retry_policy(fast_retries())
        .build()
        .unwrap();
    client
        .get_info(&GetInfoRequest::new("P", "d"))
        .await
        .unwrap();
    client
        .create_user(&CreateUserRequest::example())
        .await
        .unwrap();

    let lines = capture.0.lock().unwrap().clone();
    let text = lines.join("\n");
    let request_id = server.requests()[0]
        .param("RequestId")
        .unwrap()
        .as_str()
        .unwrap()
        .to_owned();
    assert!(
        lines.iter().any(|l| l.starts_with("span iot_explorer.call")
            && l.contains("action=\"AppGetDeviceOTAInfo\"")
            && l.contains(&request_id)),
        "{text}"
    );
    assert!(text.contains("retrying"), "{text}");
    assert_no_secrets("traces", &text);
    assert!(!text.contains("My!P@ssword"), "{text}");
}
