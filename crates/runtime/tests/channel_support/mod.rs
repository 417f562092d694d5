//! The channel's part of the stand-in for the generated crate: the change
//! enums and the `ChannelInfo` static the generator will emit, and helpers
//! for the channel tests.

#![allow(dead_code)]

use std::sync::Arc;
use std::time::Duration;

use iot_explorer_runtime::Operation;
use iot_explorer_runtime::channel::{
    ChannelEvent, ChannelInfo, ChannelOptions, DeviceChange, DeviceChanges, Disconnected,
    Reconnected, WireEnum,
};
use iot_explorer_runtime::test_util::{TestChannel, TestServer};

use crate::common::{APP_KEY, APP_SECRET, Counting, ErrorCode, Login, PASSWORD, TOKEN, TestClient};

/// `Type`, as the generator emits it from the docs' table.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ChangeType {
    StatusChange,
    Shadow,
    Property,
    Template,
    Event,
    Action,
    UserDefined,
    Unknown(String),
}

impl From<&str> for ChangeType {
    fn from(s: &str) -> Self {
        match s {
            "StatusChange" => ChangeType::StatusChange,
            "Shadow" => ChangeType::Shadow,
            "Property" => ChangeType::Property,
            "Template" => ChangeType::Template,
            "Event" => ChangeType::Event,
            "Action" => ChangeType::Action,
            "UserDefined" => ChangeType::UserDefined,
            other => ChangeType::Unknown(other.to_owned()),
        }
    }
}

impl WireEnum for ChangeType {
    fn as_str(&self) -> &str {
        match self {
            ChangeType::StatusChange => "StatusChange",
            ChangeType::Shadow => "Shadow",
            ChangeType::Property => "Property",
            ChangeType::Template => "Template",
            ChangeType::Event => "Event",
            ChangeType::Action => "Action",
            ChangeType::UserDefined => "UserDefined",
            ChangeType::Unknown(s) => s,
        }
    }
}

/// `SubType`, as the generator emits it from the docs' table.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ChangeSubType {
    Online,
    Offline,
    Report,
    Push,
    Unknown(String),
}

impl From<&str> for ChangeSubType {
    fn from(s: &str) -> Self {
        match s {
            "Online" => ChangeSubType::Online,
            "Offline" => ChangeSubType::Offline,
            "Report" => ChangeSubType::Report,
            "Push" => ChangeSubType::Push,
            other => ChangeSubType::Unknown(other.to_owned()),
        }
    }
}

impl WireEnum for ChangeSubType {
    fn as_str(&self) -> &str {
        match self {
            ChangeSubType::Online => "Online",
            ChangeSubType::Offline => "Offline",
            ChangeSubType::Report => "Report",
            ChangeSubType::Push => "Push",
            ChangeSubType::Unknown(s) => s,
        }
    }
}

pub static CHANNEL: ChannelInfo = ChannelInfo {
    url: "wss://iot.cloud.tencent.com/ws/explorer",
    ..ChannelInfo::DEFAULT
};

pub type Changes = DeviceChanges<ErrorCode, ChangeType, ChangeSubType>;
pub type Event = ChannelEvent<ErrorCode, ChangeType, ChangeSubType>;
pub type Change = DeviceChange<ChangeType, ChangeSubType>;

/// A token action whose outputs sit in `Data`.
pub static WRAPPED: Operation = Operation {
    action: "AppGetWrapped",
    endpoint: "tokenapi",
    auth: iot_explorer_runtime::Auth::AccessToken,
    fixed_params: &[],
    data_wrapper: true,
    sensitive: &[],
};

impl TestClient {
    /// The method the generator will emit: concrete `String` items, so
    /// that the README's `device_changes(vec!["PRODUCT/dev01".into()])`
    /// (`docs/CONTRACT.md` section 6) infers.
    pub async fn device_changes(
        &self,
        device_ids: impl IntoIterator<Item = String>,
    ) -> Result<Changes, crate::common::Error> {
        self.0.device_changes(&CHANNEL, device_ids).await
    }
}

/// A client of `channel` with the test token.
pub fn channel_client(channel: &TestChannel, options: ChannelOptions) -> TestClient {
    TestClient::builder()
        .base_url("http://127.0.0.1:9/api/exploreropen")
        .access_token(TOKEN)
        .channel_url(channel.url())
        .channel_options(options)
        .build()
        .expect("build client")
}

/// Subscribes `client` to `devices`, failing the test if it cannot.
pub async fn subscribe(client: &TestClient, devices: &[&str]) -> Changes {
    client
        .0
        .device_changes(&CHANNEL, devices.iter().copied())
        .await
        .expect("subscribe")
}

/// The next item, which must come within 10 s of real time (a paused
/// clock cannot bound the wait).
pub async fn next_item(changes: &mut Changes) -> Result<Event, crate::common::Error> {
    let limit = real_time_limit(Duration::from_secs(10));
    tokio::select! {
        item = changes.next() => item.expect("the stream does not end"),
        _ = limit => panic!("no item within 10 s of real time"),
    }
}

/// The next item, which must be an event.
pub async fn next_event(changes: &mut Changes) -> Event {
    match next_item(changes).await {
        Ok(event) => event,
        Err(e) => panic!("expected an event, got {e}"),
    }
}

/// The next item, which must be a change.
pub async fn next_change(changes: &mut Changes) -> Change {
    match next_event(changes).await {
        ChannelEvent::Change(c) => c,
        other => panic!("expected a change, got {other:?}"),
    }
}

/// The next item, which must be a `Disconnected`.
pub async fn disconnected(changes: &mut Changes) -> Disconnected<ErrorCode> {
    match next_event(changes).await {
        ChannelEvent::Disconnected(d) => d,
        other => panic!("expected Disconnected, got {other:?}"),
    }
}

/// The next item, which must be a `Reconnected`.
pub async fn reconnected(changes: &mut Changes) -> Reconnected {
    match next_event(changes).await {
        ChannelEvent::Reconnected(r) => r,
        other => panic!("expected Reconnected, got {other:?}"),
    }
}

/// The next item, which must be an error.
pub async fn next_error(changes: &mut Changes) -> crate::common::Error {
    match next_item(changes).await {
        Err(e) => e,
        Ok(other) => panic!("expected an error, got {other:?}"),
    }
}

/// Resolves after `limit` of real time, whatever Tokio's clock does.
pub fn real_time_limit(limit: Duration) -> tokio::sync::oneshot::Receiver<()> {
    let (tx, rx) = tokio::sync::oneshot::channel();
    std::thread::spawn(move || {
        std::thread::sleep(limit);
        let _ = tx.send(());
    });
    rx
}

/// A client of `channel` whose token calls, and channel, get their token
/// from `provider`.
pub fn session_client(
    channel: &TestChannel,
    provider: &Arc<Counting>,
    options: ChannelOptions,
) -> TestClient {
    TestClient::builder()
        .base_url("http://127.0.0.1:9/api/exploreropen")
        .token_provider(Arc::clone(provider))
        .channel_url(channel.url())
        .channel_options(options)
        .build()
        .expect("build client")
}

/// A client of `channel` that logs in through `server` (the email login
/// with [`PASSWORD`]) for its token calls and its channel.
pub fn login_channel_client(
    server: &TestServer,
    channel: &TestChannel,
    options: ChannelOptions,
) -> TestClient {
    TestClient::builder()
        .base_url(server.base_url())
        .app_key(APP_KEY)
        .app_secret(APP_SECRET)
        .login(Login::email("u@example.com", PASSWORD))
        .channel_url(channel.url())
        .channel_options(options)
        .build()
        .expect("build client")
}

/// The access token each of `frames` carried, in order.
pub fn tokens_of(frames: &[iot_explorer_runtime::test_util::RecordedFrame]) -> Vec<String> {
    frames
        .iter()
        .map(|f| f.access_token().expect("a token").to_owned())
        .collect()
}
