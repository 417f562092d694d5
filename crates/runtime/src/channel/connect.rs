//! The socket: opening it (the TLS setup reqwest uses, the WebSocket
//! handshake, bounded by the connect timeout), and what one read from it
//! gives.

use std::sync::Arc;
use std::time::Duration;

use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::client::IntoClientRequest as _;
use tokio_tungstenite::tungstenite::http::HeaderValue;
use tokio_tungstenite::tungstenite::http::header::USER_AGENT;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use tokio_tungstenite::tungstenite::{self, Message};
use tokio_tungstenite::{Connector, MaybeTlsStream, WebSocketStream};

use super::frame;
use crate::error::{ErrorData, ErrorKind};

/// An open socket.
pub(crate) type Ws = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// Largest message or frame read from the server. Pushes are a few hundred
/// bytes and call replies rarely more than some kilobytes; the buffer holds
/// decoded items, so this bounds what one frame can cost before decoding.
const MAX_MESSAGE_BYTES: usize = 8 * 1024 * 1024;

/// How to open the socket, again and again.
#[derive(Clone)]
pub(crate) struct Opener {
    pub(crate) url: reqwest::Url,
    pub(crate) user_agent: String,
    pub(crate) connect_timeout: Duration,
    /// `None` for `ws://`.
    tls: Option<Arc<rustls::ClientConfig>>,
}

impl Opener {
    pub(crate) fn new(
        url: reqwest::Url,
        user_agent: String,
        connect_timeout: Duration,
    ) -> Result<Self, String> {
        let tls = match url.scheme() {
            "wss" => Some(tls_config()?),
            _ => None,
        };
        Ok(Opener {
            url,
            user_agent,
            connect_timeout,
            tls,
        })
    }

    /// TCP, TLS and the WebSocket handshake, within the connect timeout.
    pub(crate) async fn open(&self) -> Result<Ws, Box<ErrorData>> {
        let mut request = self.url.as_str().into_client_request().map_err(|e| {
            ErrorData::new(
                ErrorKind::InvalidConfig,
                format!("the channel URL cannot be requested: {e}"),
            )
        })?;
        if let Ok(agent) = HeaderValue::from_str(&self.user_agent) {
            request.headers_mut().insert(USER_AGENT, agent);
        }
        let connector = match &self.tls {
            Some(config) => Connector::Rustls(Arc::clone(config)),
            None => Connector::Plain,
        };
        let config = WebSocketConfig::default()
            .max_message_size(Some(MAX_MESSAGE_BYTES))
            .max_frame_size(Some(MAX_MESSAGE_BYTES));
        // Nagle off: frames are small and a heartbeat should not wait for
        // the next one.
        let handshake = tokio_tungstenite::connect_async_tls_with_config(
            request,
            Some(config),
            true,
            Some(connector),
        );
        match tokio::time::timeout(self.connect_timeout, handshake).await {
            Ok(Ok((ws, _response))) => Ok(ws),
            Ok(Err(e)) => {
                let mut d = ErrorData::new(
                    ErrorKind::Transport,
                    format!("could not open the channel at {}: {e}", self.url),
                );
                d.source = Some(Box::new(e));
                Err(d)
            }
            Err(_elapsed) => {
                let mut d = ErrorData::new(
                    ErrorKind::Timeout,
                    format!("the channel at {} did not open", self.url),
                );
                d.timeout = Some(self.connect_timeout);
                Err(d)
            }
        }
    }
}

/// The TLS client config reqwest builds (its crypto provider, the
/// platform's verifier), with HTTP/1.1 as the only protocol: the
/// WebSocket handshake is an HTTP/1.1 upgrade.
fn tls_config() -> Result<Arc<rustls::ClientConfig>, String> {
    let provider = rustls::crypto::CryptoProvider::get_default()
        .cloned()
        .unwrap_or_else(|| Arc::new(rustls::crypto::aws_lc_rs::default_provider()));
    let verifier = rustls_platform_verifier::Verifier::new(Arc::clone(&provider))
        .map_err(|e| format!("could not set up TLS for the channel: {e}"))?;
    let mut config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| format!("could not set up TLS for the channel: {e}"))?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(verifier))
        .with_no_client_auth();
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(Arc::new(config))
}

/// What one read from the socket gave.
pub(crate) enum Read {
    Text(tungstenite::Utf8Bytes),
    Bad(Box<ErrorData>),
    Skip,
    Closed(Box<ErrorData>),
}

pub(crate) fn read(message: Option<Result<Message, tungstenite::Error>>) -> Read {
    match message {
        Some(Ok(Message::Text(text))) => Read::Text(text),
        // Not what the docs show, but JSON all the same.
        Some(Ok(Message::Binary(bytes))) => {
            let len = bytes.len();
            match tungstenite::Utf8Bytes::try_from(bytes) {
                Ok(text) => Read::Text(text),
                Err(_) => {
                    let mut e = ErrorData::new(
                        ErrorKind::Decode,
                        format!("a binary frame of {len} bytes that is not UTF-8 text"),
                    );
                    e.action = Some(frame::DEVICE_CHANGE);
                    Read::Bad(e)
                }
            }
        }
        Some(Ok(Message::Ping(_) | Message::Pong(_) | Message::Frame(_))) => Read::Skip,
        Some(Ok(Message::Close(frame))) => {
            let why = match frame {
                Some(f) if !f.reason.is_empty() => {
                    format!("the server closed the channel ({}: {})", f.code, f.reason)
                }
                Some(f) => format!("the server closed the channel ({})", f.code),
                None => "the server closed the channel".to_owned(),
            };
            Read::Closed(ErrorData::new(ErrorKind::Transport, why))
        }
        Some(Err(e)) => Read::Closed(transport("the channel connection failed", &e)),
        None => Read::Closed(ErrorData::new(
            ErrorKind::Transport,
            "the channel connection ended",
        )),
    }
}

pub(crate) fn transport(what: &str, e: &tungstenite::Error) -> Box<ErrorData> {
    ErrorData::new(ErrorKind::Transport, format!("{what}: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wss_url_gets_the_platform_verifier() {
        let url = reqwest::Url::parse("wss://iot.cloud.tencent.com/ws/explorer").unwrap();
        let opener = Opener::new(url, "ua".into(), Duration::from_secs(1)).unwrap();
        let tls = opener.tls.expect("TLS for wss");
        assert_eq!(tls.alpn_protocols, vec![b"http/1.1".to_vec()]);
        let url = reqwest::Url::parse("ws://127.0.0.1:9/").unwrap();
        assert!(
            Opener::new(url, "ua".into(), Duration::from_secs(1))
                .unwrap()
                .tls
                .is_none()
        );
    }
}
