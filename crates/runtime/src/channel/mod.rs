//! The WebSocket channel (`长连接通信`): a subscription to live device
//! changes, and calls of token actions over the same socket.
//!
//! [`Client::device_changes`] opens the socket, subscribes (`ActivePush`)
//! and returns [`DeviceChanges`], a [`Stream`](futures_core::Stream) of
//! [`ChannelEvent`]s. A task behind it heartbeats, reconnects with backoff
//! and subscribes again, and ends when the stream is dropped.
//!
//! The access token is the client's fixed one
//! ([`ClientBuilder::access_token`](crate::ClientBuilder::access_token),
//! [`Client::with_access_token`]) or, for a client built with a
//! [`TokenProvider`](crate::TokenProvider) or a login, its session's, under
//! the rules of HTTP token calls: every connection, the first and each
//! reconnect, asks the session, which hands out its token while fresh and
//! fetches another when it has expired. A subscription, heartbeat or call
//! on the socket refused with an invalid-token code makes the session
//! forget the token; the subscription and the call are then sent once more
//! with a new one, and a refused heartbeat ends the connection so that the
//! reconnect subscribes with a new one. A fixed token is never replaced.
//!
//! What the server sends is turned into the same [`Error`] as an HTTP call:
//! a reply frame's `error`/`error_message` and a `Response.Error` inside its
//! `data` are both [`ErrorKind::Api`](crate::ErrorKind::Api) errors with the
//! code as sent, and a frame that cannot be read is an
//! [`ErrorKind::Decode`](crate::ErrorKind::Decode) item: the stream goes on.
//!
//! The change's `Type` and `SubType` are generic ([`WireEnum`]): the
//! generated crate supplies enums read from the docs, and `String` stands
//! in where none is given.
//!
//! # Logging
//!
//! This crate's own `tracing` events never carry the token. The WebSocket
//! library under the channel (tungstenite) writes every frame it sends to
//! the `log` crate at TRACE level, and the subscription frame holds the
//! token; a program that installs a `log` logger should keep the
//! `tungstenite` target at DEBUG or above (`RUST_LOG=tungstenite=debug`
//! with `env_logger`).

mod change_payload;
mod connect;
mod decode;
mod fast;
mod frame;
mod handle;
mod options;
mod queue;
mod task;
mod tokens;

use std::collections::BTreeMap;
use std::fmt;
use std::hash::Hash;
use std::time::Duration;

use crate::{Client, Error, ErrorCodeType};

pub use change_payload::ChangePayload;
pub use decode::decode_push;
pub use handle::ChannelHandle;
pub use options::ChannelOptions;
pub use queue::DeviceChanges;

pub(crate) use options::ChannelSettings;

/// What a generated crate's `service.toml` says about the channel; the
/// generator emits one static and passes it to
/// [`Client::device_changes`], as it passes an
/// [`Operation`](crate::Operation) to [`Client::call`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ChannelInfo {
    /// Where the socket is when the caller does not set a URL
    /// ([`ClientBuilder::channel_url`](crate::ClientBuilder::channel_url)).
    pub url: &'static str,
    /// The action the heartbeat calls through `YunApi`.
    pub heartbeat_action: &'static str,
}

impl ChannelInfo {
    /// The documented channel: `wss://iot.cloud.tencent.com/ws/explorer`,
    /// heartbeat `AppDeviceTraceHeartBeat`. Emitted code writes
    /// `ChannelInfo { url: "…", ..ChannelInfo::DEFAULT }`, so that a field
    /// added later does not break it.
    pub const DEFAULT: ChannelInfo = ChannelInfo {
        url: "wss://iot.cloud.tencent.com/ws/explorer",
        heartbeat_action: "AppDeviceTraceHeartBeat",
    };
}

impl Default for ChannelInfo {
    fn default() -> Self {
        Self::DEFAULT
    }
}

/// An enum over a wire string that never fails to convert: the values the
/// docs list, and an `Unknown(String)` variant for the rest. Implemented by
/// the generated `ChangeType` and `ChangeSubType`, and by `String`, which
/// keeps the text as it is.
pub trait WireEnum:
    Clone + fmt::Debug + Eq + Hash + Send + Sync + 'static + for<'a> From<&'a str>
{
    /// The value exactly as sent, e.g. `StatusChange`.
    fn as_str(&self) -> &str;
}

impl WireEnum for String {
    fn as_str(&self) -> &str {
        self
    }
}

/// One pushed change (`DeviceChange`), with its payload decoded.
///
/// `K` is the type of `Type` (`StatusChange`, `Property`, `Event`, …) and
/// `S` of `SubType` (`Online`, `Offline`, `Report`, `Push`).
#[non_exhaustive]
#[derive(Clone, Debug, PartialEq)]
pub struct DeviceChange<K = String, S = String> {
    /// `DeviceId`, `PRODUCT/DeviceName`. `None` when the push leaves it
    /// out, as the docs' own status-change examples do.
    pub device_id: Option<String>,
    /// `Type`: what changed.
    pub kind: K,
    /// `SubType`: which way (`Report` from the device, `Push` to it).
    pub sub_kind: S,
    /// `Time` as sent (RFC 3339 with an offset, e.g.
    /// `2019-03-28T15:17:35+08:00`); empty when left out.
    pub time: String,
    /// `Topic`, e.g. `$thing/up/property/PRODUCT/dev01`; empty for status
    /// changes.
    pub topic: String,
    /// `Payload`, base64-decoded and checked to be JSON; `None` when it is
    /// empty (status changes). Free-form: its shape depends on the
    /// device's data template, so it is kept as text for the caller to
    /// decode ([`ChangePayload::deserialize`]).
    pub payload: Option<ChangePayload>,
    /// `Seq`, the server's sequence number of the change; `None` when left
    /// out.
    pub seq: Option<i64>,
}

/// One item of [`DeviceChanges`].
#[non_exhaustive]
#[derive(Debug)]
pub enum ChannelEvent<C, K = String, S = String> {
    /// A change pushed by the server.
    Change(DeviceChange<K, S>),
    /// The connection was lost, or an attempt to open it again failed; the
    /// stream waits `retry_in` and tries again. Nothing arrives until
    /// [`Reconnected`](Self::Reconnected).
    Disconnected(Disconnected<C>),
    /// The connection is open and subscribed again. Changes sent while it
    /// was down are not replayed: see [`Reconnected::last_seq`].
    Reconnected(Reconnected),
    /// The consumer fell behind: the buffer was full, and this many of the
    /// oldest items were dropped to make room (see
    /// [`ChannelOptions::with_buffer`]).
    Lagged {
        /// Items dropped since the last `Lagged`.
        missed: u64,
    },
}

/// Why the stream is reconnecting, and when it tries next.
#[non_exhaustive]
#[derive(Debug)]
pub struct Disconnected<C> {
    /// What ended the connection (or failed the attempt): a transport
    /// error, a heartbeat with no reply (a timeout), or the subscription
    /// refused (an API error).
    pub error: Error<C>,
    /// The attempt about to be made, 1 for the first after a drop.
    pub attempt: u32,
    /// How long the stream waits before that attempt.
    pub retry_in: Duration,
}

/// The connection is back; changes may have been missed in between.
#[non_exhaustive]
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reconnected {
    /// How many attempts it took, 1 if the first succeeded.
    pub attempts: u32,
    /// From the loss of the old connection to the new subscription's reply.
    pub disconnected_for: Duration,
    /// The last `Seq` received from each device before the loss, for the
    /// devices that sent any: changes after these may have been missed, so
    /// a caller that needs them reads the devices' current state again.
    pub last_seq: BTreeMap<String, i64>,
    /// The devices the new subscription accepted.
    pub accepted: Vec<String>,
    /// The requested devices it did not accept (not bound to the user).
    pub rejected: Vec<String>,
}

impl<C: ErrorCodeType> Client<C> {
    /// Opens the channel, subscribes to changes of `device_ids`
    /// (`PRODUCT/DeviceName`) and returns the stream of changes.
    ///
    /// Returns once the server has answered the subscription; it fails if
    /// the client has neither a fixed access token nor a token provider
    /// ([`ErrorKind::MissingCredentials`](crate::ErrorKind::MissingCredentials)),
    /// the socket cannot be opened, or the subscription is refused. A
    /// subscription that accepts only some of the devices succeeds:
    /// [`DeviceChanges::rejected`] names the others.
    ///
    /// The token is the fixed one if the client has it; otherwise it comes
    /// from the client's session, as for [`Client::call`]: its cached token
    /// while fresh, else a login (or provider fetch) that this call starts
    /// or joins, waited for at most the client's timeout. A failed login is
    /// the session's error ([`Error::is_login_failure`]), and no socket is
    /// opened. A subscription refused with an invalid-token code is sent
    /// once more with a token fetched again; a second refusal is the error.
    /// Each reconnect asks the session again, so a stream outlives the
    /// token it started with.
    ///
    /// The URL is `channel.url` unless the builder set another
    /// ([`ClientBuilder::channel_url`](crate::ClientBuilder::channel_url)),
    /// and heartbeat, backoff and buffer come from
    /// [`ClientBuilder::channel_options`](crate::ClientBuilder::channel_options).
    /// Opening the socket is bounded by the connect timeout, and every
    /// reply on it (the subscription's, heartbeats', calls') by the
    /// client's timeout.
    ///
    /// Must run inside a Tokio runtime with its I/O and time drivers; the
    /// stream's task is spawned on it.
    pub async fn device_changes<K: WireEnum, S: WireEnum>(
        &self,
        channel: &'static ChannelInfo,
        device_ids: impl IntoIterator<Item = impl Into<String>>,
    ) -> Result<DeviceChanges<C, K, S>, Error<C>> {
        let devices = device_ids.into_iter().map(Into::into).collect();
        task::open(self.shared(), self.token(), channel, devices)
            .await
            .map_err(Error::from_data)
    }
}
