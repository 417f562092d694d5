//! Runtime for the generated IoT Explorer client.
//!
//! The generated crate is thin: one [`Operation`] static per action, request
//! and response structs, an `ErrorCode` enum, and methods that hand a request
//! to [`Client::call`]. Everything that is the same for every action lives
//! here: configuration ([`ClientBuilder`]), credentials and request signing
//! ([`sign`]), transport, the two reply envelopes, errors ([`Error`]),
//! retries ([`RetryPolicy`]), tolerant decoding of loosely typed response
//! fields ([`lenient`]), sessions (a [`TokenProvider`] or a login action's
//! [`LoginProvider`], whose tokens token calls share and renew), page walkers
//! over list actions ([`Client::pages`]), the WebSocket channel of live
//! device changes ([`channel`], [`Client::device_changes`]) and, behind the
//! `test-util` feature, a loopback HTTP server and WebSocket channel that
//! answer like the real API (`test_util`).
//!
//! # Features
//!
//! - `blocking`: `Client::call_blocking`, for callers without an async
//!   runtime.
//! - `test-util`: `test_util::TestServer`, for tests of this crate and of the
//!   generated crate.
//!
//! # Requirements on the caller's runtime
//!
//! [`Client::call`] runs on Tokio and needs its I/O and time drivers (as
//! `#[tokio::main]` and `#[tokio::test]` provide). Called outside any Tokio
//! runtime it returns an [`ErrorKind::InvalidConfig`] error instead of
//! panicking.

#![deny(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

#[cfg(feature = "blocking")]
mod blocking;
mod body;
mod builder;
mod call;
pub mod channel;
mod client;
mod credentials;
mod decode;
mod envelope;
mod error;
pub mod lenient;
mod pages;
mod payload;
mod retry;
mod session;
mod signing;
#[cfg(feature = "test-util")]
#[expect(
    clippy::disallowed_types,
    clippy::disallowed_methods,
    reason = "test support, not the call path: replies are set and requests shown as values"
)]
pub mod test_util;
mod token;

use std::fmt;

pub use builder::ClientBuilder;
pub use client::Client;
pub use error::{Error, ErrorKind};
pub use pages::{CursorPaging, Items, ItemsOf, OffsetPaging, Pages, Paging};
pub use retry::{FailedAttempt, RetryPolicy};
pub use signing::{sign, string_to_sign};
pub use token::{LoginProvider, Token, TokenContext, TokenError, TokenFuture, TokenProvider};

/// What a generated crate's `service.toml` says about the service; the
/// generator emits one constant per crate and [`GeneratedClient::SERVICE`]
/// points at it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServiceInfo {
    /// Name of the generated package, used in the `User-Agent` header.
    pub name: &'static str,
    /// Version of the generated package, used in the `User-Agent` header.
    pub version: &'static str,
    /// Base URL used when the caller does not set one, without the endpoint
    /// segment (`https://iot.cloud.tencent.com/api/exploreropen`).
    pub default_base_url: &'static str,
    /// The names of the parameters the client writes itself.
    pub common_params: CommonParams,
}

/// The names under which the client writes the parameters it supplies
/// itself, by role; the generator emits them from `[common-parameters]` in
/// `service.toml`, and [`CommonParams::DEFAULT`] holds the documented ones.
///
/// Which of them a call writes depends on its [`Auth`], and only those are
/// refused in a request ([`is_reserved`](Self::is_reserved)): some
/// token-auth actions have business parameters that happen to be called
/// `Signature` or `Nonce`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CommonParams {
    /// The action's name (`Action`).
    pub action: &'static str,
    /// The per-call request id (`RequestId`).
    pub request_id: &'static str,
    /// The access token of token calls (`AccessToken`).
    pub access_token: &'static str,
    /// The app key of signed calls (`AppKey`).
    pub app_key: &'static str,
    /// The Unix time of signed calls (`Timestamp`).
    pub timestamp: &'static str,
    /// The random number of signed calls (`Nonce`).
    pub nonce: &'static str,
    /// The signature of signed calls (`Signature`).
    pub signature: &'static str,
}

impl CommonParams {
    /// The names the docs use: `Action`, `RequestId`, `AccessToken`,
    /// `AppKey`, `Timestamp`, `Nonce`, `Signature`.
    pub const DEFAULT: CommonParams = CommonParams {
        action: "Action",
        request_id: "RequestId",
        access_token: "AccessToken",
        app_key: "AppKey",
        timestamp: "Timestamp",
        nonce: "Nonce",
        signature: "Signature",
    };

    /// Whether a call with `auth` writes a parameter called `name` itself,
    /// so that a request must not set it: a token call writes the action,
    /// request id and access token; a signed call the action, request id,
    /// app key, timestamp, nonce and signature.
    pub fn is_reserved(&self, auth: Auth, name: &str) -> bool {
        match auth {
            Auth::AccessToken => [self.action, self.request_id, self.access_token].contains(&name),
            Auth::Signed => [
                self.action,
                self.request_id,
                self.app_key,
                self.timestamp,
                self.nonce,
                self.signature,
            ]
            .contains(&name),
        }
    }
}

impl Default for CommonParams {
    fn default() -> Self {
        Self::DEFAULT
    }
}

/// One API action as the generator saw it in the docs; the generator emits
/// one constant per action and passes it to [`Client::call`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Operation {
    /// Wire value of the `Action` parameter, e.g. `AppGetDeviceOTAInfo`.
    pub action: &'static str,
    /// Path segment under the base URL, e.g. `tokenapi` or `appapi`.
    pub endpoint: &'static str,
    /// Which credentials the action needs.
    pub auth: Auth,
    /// Constant body parameters the docs require for this action, e.g.
    /// `[("KGCommand", "song_url")]`; sent as JSON strings.
    pub fixed_params: &'static [(&'static str, &'static str)],
    /// The reply nests the documented output fields in a `Data` object
    /// (`{"Response": {"Data": {...}, "RequestId": ..}}`); the client then
    /// decodes the response type from `Data`, with the envelope's
    /// `RequestId` added, and a missing or non-object `Data` is a decode
    /// error.
    pub data_wrapper: bool,
    /// Names of the request's top-level parameters that hold secrets
    /// (passwords, verification codes); their values as sent (strings and
    /// numbers of at least four characters) are kept out of error messages,
    /// as the access token and app secret are.
    pub sensitive: &'static [&'static str],
}

/// A generated request type, tied to its action and its response, so that
/// code generic over actions can call any of them: the channel's
/// [`ChannelHandle::send`](channel::ChannelHandle::send), or a caller's own
/// wrapper over [`Client::call`].
pub trait Request: serde::Serialize {
    /// What the action replies.
    type Response: serde::de::DeserializeOwned;
    /// The action.
    const OPERATION: &'static Operation;
}

/// How a call proves who is calling.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Auth {
    /// After login: the body carries `AccessToken`.
    AccessToken,
    /// Before login: the body carries `AppKey`, `Timestamp`, `Nonce` and an
    /// HMAC-SHA1 `Signature` made with the app secret (see [`sign`]).
    ///
    /// These are the default names; a service can rename every common
    /// parameter ([`CommonParams`]).
    Signed,
}

/// Implemented by the generated `ErrorCode` enum.
///
/// Conversion from the wire string must never fail: codes the docs do not
/// list become the enum's `Unknown(String)` variant, so that a new server
/// code cannot turn an API error into a decode error.
pub trait ErrorCodeType:
    Clone
    + fmt::Debug
    + fmt::Display
    + Eq
    + std::hash::Hash
    + Send
    + Sync
    + 'static
    + for<'a> From<&'a str>
{
    /// The code exactly as sent on the wire, e.g.
    /// `InvalidParameterValue.InvalidAccessToken`.
    fn as_str(&self) -> &str;
}

/// Implemented by the generated `Client` newtype, so that
/// [`ClientBuilder::build`] can return it directly.
pub trait GeneratedClient: Sized {
    /// The generated error-code enum.
    type Code: ErrorCodeType;
    /// Service-wide facts, for defaults and the `User-Agent` header.
    const SERVICE: &'static ServiceInfo;
    /// Wraps a built runtime client.
    fn from_inner(inner: Client<Self::Code>) -> Self;

    /// The error codes with which the server refuses an access token; a
    /// client with a [`TokenProvider`] fetches a new token and sends the
    /// request once more when a token call fails with one of them.
    const INVALID_TOKEN_CODES: &'static [&'static str] =
        &["InvalidParameterValue.InvalidAccessToken"];
}

/// Stands in for a sensitive value in `Debug` output.
///
/// Its `Debug` prints `"** redacted **"` (quoted, like the string it
/// replaces), in the style of aws-sdk-rust; generated `Debug` impls use it
/// for password, token and secret fields.
#[derive(Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Redacted;

impl Redacted {
    /// The text shown instead of a secret.
    pub const TEXT: &'static str = "** redacted **";
}

impl fmt::Debug for Redacted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(Self::TEXT, f)
    }
}

impl fmt::Display for Redacted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(Self::TEXT)
    }
}
