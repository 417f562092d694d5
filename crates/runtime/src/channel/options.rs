//! How the channel behaves: heartbeat, reconnect backoff, buffer, and the
//! URL override; set on the [`ClientBuilder`].

use std::time::Duration;

use crate::builder::ClientBuilder;
use crate::{GeneratedClient, Redacted};

/// How a [`DeviceChanges`](super::DeviceChanges) stream heartbeats,
/// reconnects and buffers; give it to
/// [`ClientBuilder::channel_options`].
///
/// Backoff before reconnect attempt *n* (1-based) is
/// `initial_backoff * 2^(n-1)`, capped at `max_backoff`, of which a random
/// half is taken off ("equal jitter", as [`RetryPolicy`](crate::RetryPolicy)
/// does), so that clients dropped together do not come back together.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ChannelOptions {
    heartbeat_interval: Duration,
    initial_backoff: Duration,
    max_backoff: Duration,
    buffer: usize,
}

impl Default for ChannelOptions {
    /// Heartbeat every 60 s (the docs' recommendation), backoff from 1 s
    /// up to 60 s, a buffer of 1024 items.
    fn default() -> Self {
        ChannelOptions {
            heartbeat_interval: Duration::from_secs(60),
            initial_backoff: Duration::from_secs(1),
            max_backoff: Duration::from_secs(60),
            buffer: 1024,
        }
    }
}

impl ChannelOptions {
    /// The defaults; see [`Default`](#impl-Default-for-ChannelOptions).
    pub fn new() -> Self {
        Self::default()
    }

    /// How often the stream sends the heartbeat that keeps the
    /// subscription and the connection alive. A heartbeat without a reply
    /// within the client's timeout counts as a lost connection. Must be
    /// greater than zero.
    pub fn with_heartbeat_interval(mut self, interval: Duration) -> Self {
        self.heartbeat_interval = interval;
        self
    }

    /// Backoff before the first reconnect attempt and the cap on any
    /// backoff. Zero reconnects at once (for tests; a server that stays
    /// down is then tried without pause).
    pub fn with_reconnect_backoff(mut self, initial: Duration, max: Duration) -> Self {
        self.initial_backoff = initial;
        self.max_backoff = max;
        self
    }

    /// How many items the stream holds for a consumer that is behind; when
    /// it is full the oldest item is dropped and the consumer gets a
    /// [`ChannelEvent::Lagged`](super::ChannelEvent::Lagged) with the
    /// count before the next item, as `tokio::sync::broadcast` reports lag.
    /// At least 1.
    pub fn with_buffer(mut self, items: usize) -> Self {
        self.buffer = items;
        self
    }

    /// The heartbeat interval.
    pub fn heartbeat_interval(&self) -> Duration {
        self.heartbeat_interval
    }

    /// Backoff before the first reconnect attempt.
    pub fn initial_backoff(&self) -> Duration {
        self.initial_backoff
    }

    /// Upper bound on any reconnect backoff.
    pub fn max_backoff(&self) -> Duration {
        self.max_backoff
    }

    /// Items held for a consumer that is behind.
    pub fn buffer(&self) -> usize {
        self.buffer
    }

    /// Backoff before reconnect attempt `attempt` (1 for the first).
    pub(crate) fn backoff(&self, attempt: u32) -> Duration {
        let exp = attempt.saturating_sub(1).min(31);
        let cap = self
            .initial_backoff
            .saturating_mul(1u32 << exp)
            .min(self.max_backoff);
        let half = cap / 2;
        // Whole milliseconds: Tokio's timers have no finer grain.
        let jitter = u64::try_from(half.as_millis()).unwrap_or(u64::MAX);
        half + Duration::from_millis(fastrand::u64(0..=jitter))
    }
}

/// What the builder collects about the channel.
#[derive(Clone, Debug, Default)]
pub(crate) struct ChannelSettings {
    pub(crate) url: Option<String>,
    pub(crate) options: ChannelOptions,
}

impl ChannelSettings {
    /// Checked when the client is built, so that a bad override fails
    /// there rather than at the first subscription.
    pub(crate) fn check(&self) -> Result<(), String> {
        if let Some(url) = &self.url {
            validate_url(url)?;
        }
        if self.options.heartbeat_interval.is_zero() {
            return Err("the channel's heartbeat interval must be greater than zero".into());
        }
        if self.options.buffer == 0 {
            return Err("the channel's buffer must hold at least one item".into());
        }
        Ok(())
    }
}

impl<T: GeneratedClient> ClientBuilder<T> {
    /// URL of the WebSocket channel, instead of the one the generated crate
    /// declares (`wss://iot.cloud.tencent.com/ws/explorer`); for tests, a
    /// `ws://127.0.0.1:PORT/…` of the test channel. Must be `ws` or `wss`,
    /// without user info or fragment.
    pub fn channel_url(mut self, url: impl Into<String>) -> Self {
        self.settings.channel.url = Some(url.into());
        self
    }

    /// Heartbeat, reconnect backoff and buffer of device-change streams;
    /// see [`ChannelOptions`].
    pub fn channel_options(mut self, options: ChannelOptions) -> Self {
        self.settings.channel.options = options;
        self
    }
}

/// `raw` as a channel URL: `ws` or `wss`, a host, no user info or
/// fragment.
pub(crate) fn validate_url(raw: &str) -> Result<reqwest::Url, String> {
    let url = reqwest::Url::parse(raw.trim()).map_err(|e| {
        if raw.contains('@') {
            // Not echoed: it may hold credentials.
            format!("the channel URL is not a valid URL: {e}")
        } else {
            format!("channel URL `{raw}` is not a valid URL: {e}")
        }
    })?;
    if !url.username().is_empty() || url.password().is_some() {
        return Err(format!(
            "the channel URL must not contain a user name or password ({})",
            Redacted::TEXT
        ));
    }
    if url.scheme() != "ws" && url.scheme() != "wss" {
        return Err(format!("channel URL `{url}` must use ws or wss"));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(format!("channel URL `{url}` has no host"));
    }
    if url.fragment().is_some() {
        return Err(format!("channel URL `{url}` must not have a fragment"));
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_the_cap_with_equal_jitter() {
        let o = ChannelOptions::new()
            .with_reconnect_backoff(Duration::from_secs(1), Duration::from_secs(10));
        for _ in 0..200 {
            let b1 = o.backoff(1);
            assert!(b1 >= Duration::from_millis(500) && b1 <= Duration::from_secs(1));
            let b3 = o.backoff(3);
            assert!(b3 >= Duration::from_secs(2) && b3 <= Duration::from_secs(4));
            let b9 = o.backoff(9);
            assert!(b9 >= Duration::from_secs(5) && b9 <= Duration::from_secs(10));
            assert!(o.backoff(u32::MAX) <= Duration::from_secs(10));
        }
        let zero = o.with_reconnect_backoff(Duration::ZERO, Duration::ZERO);
        assert_eq!(zero.backoff(1), Duration::ZERO);
    }

    #[test]
    fn urls_and_options_are_checked() {
        assert!(validate_url("wss://iot.cloud.tencent.com/ws/explorer").is_ok());
        assert!(validate_url("ws://127.0.0.1:9/ws?x=1").is_ok());
        assert!(validate_url("https://iot.cloud.tencent.com/ws").is_err());
        assert!(validate_url("ws://127.0.0.1/#f").is_err());
        let e = validate_url("wss://u:hunter22@example.com/").unwrap_err();
        assert!(!e.contains("hunter22"), "{e}");
        let e = validate_url("wss://u:hunter22@exa mple.com/").unwrap_err();
        assert!(!e.contains("hunter22"), "{e}");
        let mut s = ChannelSettings::default();
        assert!(s.check().is_ok());
        s.options = s.options.with_buffer(0);
        assert!(s.check().is_err());
        s.options = ChannelOptions::new().with_heartbeat_interval(Duration::ZERO);
        assert!(s.check().is_err());
    }
}
