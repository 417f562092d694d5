//! Turning configuration into a client: [`ClientBuilder`], the checks of the
//! base URL and timeouts, and the HTTP client setup.

use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;
use std::time::Duration;

use crate::client::{Client, Shared};
use crate::error::{ErrorData, ErrorKind};
use crate::{Error, GeneratedClient, LoginProvider, Redacted, RetryPolicy, TokenProvider};

const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// What the builder collects and every clone of the built client shares,
/// apart from the base URL and the access token (which each side keeps in
/// its own form).
#[derive(Clone)]
pub(crate) struct Settings {
    pub(crate) app_key: Option<String>,
    pub(crate) app_secret: Option<String>,
    pub(crate) timeout: Duration,
    pub(crate) connect_timeout: Duration,
    pub(crate) retry: RetryPolicy,
    pub(crate) token_provider: Option<ProviderSlot>,
    pub(crate) channel: crate::channel::ChannelSettings,
}

/// A token provider and what `Debug` says about it (a provider need not
/// implement `Debug`).
#[derive(Clone)]
pub(crate) struct ProviderSlot {
    pub(crate) provider: Arc<dyn TokenProvider>,
    pub(crate) kind: ProviderKind,
}

#[derive(Clone, Copy, Debug)]
pub(crate) enum ProviderKind {
    /// [`ClientBuilder::login`], with the login action.
    Login(#[expect(dead_code, reason = "shown by Debug")] &'static str),
    /// [`ClientBuilder::token_provider`].
    Custom,
}

/// The one `Debug` layout of [`ClientBuilder`] and [`Client`], so that the
/// two cannot drift apart in what they redact.
pub(crate) fn debug_config(
    f: &mut fmt::Formatter<'_>,
    type_name: &str,
    service: &str,
    base_url: &dyn fmt::Debug,
    has_access_token: bool,
    settings: &Settings,
) -> fmt::Result {
    f.debug_struct(type_name)
        .field("service", &service)
        .field("base_url", base_url)
        .field("access_token", &has_access_token.then_some(Redacted))
        .field("app_key", &settings.app_key)
        .field(
            "app_secret",
            &settings.app_secret.as_ref().map(|_| Redacted),
        )
        .field("timeout", &settings.timeout)
        .field("connect_timeout", &settings.connect_timeout)
        .field("retry_policy", &settings.retry)
        .field(
            "token_provider",
            &settings.token_provider.as_ref().map(|p| p.kind),
        )
        .finish()
}

/// Builds a [`GeneratedClient`]; the generated crate re-exports it as
/// `ClientBuilder` and returns it from `Client::builder()`.
pub struct ClientBuilder<T: GeneratedClient> {
    base_url: Option<String>,
    access_token: Option<String>,
    pub(crate) settings: Settings,
    _client: PhantomData<fn() -> T>,
}

impl<T: GeneratedClient> Default for ClientBuilder<T> {
    fn default() -> Self {
        ClientBuilder {
            base_url: None,
            access_token: None,
            settings: Settings {
                app_key: None,
                app_secret: None,
                timeout: DEFAULT_TIMEOUT,
                connect_timeout: DEFAULT_CONNECT_TIMEOUT,
                retry: RetryPolicy::default(),
                token_provider: None,
                channel: Default::default(),
            },
            _client: PhantomData,
        }
    }
}

// By hand: a derive would require `T: Clone`.
impl<T: GeneratedClient> Clone for ClientBuilder<T> {
    fn clone(&self) -> Self {
        ClientBuilder {
            base_url: self.base_url.clone(),
            access_token: self.access_token.clone(),
            settings: self.settings.clone(),
            _client: PhantomData,
        }
    }
}

impl<T: GeneratedClient> ClientBuilder<T> {
    /// A builder with the defaults: the service's base URL, no credentials,
    /// 30 s whole-call timeout, 10 s connect timeout, default retries.
    pub fn new() -> Self {
        Self::default()
    }

    /// Base URL without the endpoint segment, e.g.
    /// `https://iot.cloud.tencent.com/api/exploreropen` (the default comes
    /// from the service). Must be `http` or `https`, without query,
    /// fragment or user info; a trailing `/` is ignored.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// Access token for post-login ([`Auth::AccessToken`](crate::Auth::AccessToken))
    /// actions. An empty token counts as none.
    pub fn access_token(mut self, token: impl Into<String>) -> Self {
        self.access_token = Some(token.into());
        self
    }

    /// App key for pre-login ([`Auth::Signed`](crate::Auth::Signed)) actions.
    pub fn app_key(mut self, key: impl Into<String>) -> Self {
        self.settings.app_key = Some(key.into());
        self
    }

    /// App secret that signs pre-login ([`Auth::Signed`](crate::Auth::Signed))
    /// actions; it is never sent and never printed.
    pub fn app_secret(mut self, secret: impl Into<String>) -> Self {
        self.settings.app_secret = Some(secret.into());
        self
    }

    /// Limit on a whole call: every attempt, the reading of every reply and
    /// the backoffs between retries; with a token provider also the wait for
    /// a token and the resend after a refused one. Default 30 s. (A login
    /// call has a limit of its own, since the calls waiting for it share it.)
    pub fn timeout(mut self, d: Duration) -> Self {
        self.settings.timeout = d;
        self
    }

    /// Limit on opening one connection. Default 10 s.
    pub fn connect_timeout(mut self, d: Duration) -> Self {
        self.settings.connect_timeout = d;
        self
    }

    /// Where token calls get their access token, instead of a fixed
    /// [`access_token`](Self::access_token) (setting both is refused by
    /// [`build`](Self::build)).
    ///
    /// The token is fetched on the first token call and reused by every
    /// clone of the client until [`Token::REFRESH_MARGIN`](crate::Token::REFRESH_MARGIN)
    /// before its expiry (a token without expiry until the server refuses
    /// it); concurrent calls share one fetch, and so do their failures. A
    /// call the server answers with an invalid-token code
    /// ([`GeneratedClient::INVALID_TOKEN_CODES`]) is not retried with that
    /// token: the token is forgotten, another is fetched and the request is
    /// sent once more, as a new request (new request id, the retry policy's
    /// full attempts); a second refusal is the call's error. The
    /// whole-call [`timeout`](Self::timeout) covers the wait for a token and
    /// both requests.
    pub fn token_provider(mut self, provider: impl TokenProvider) -> Self {
        self.settings.token_provider = Some(ProviderSlot {
            provider: Arc::new(provider),
            kind: ProviderKind::Custom,
        });
        self
    }

    /// Logs in with the login action: a [`token_provider`](Self::token_provider)
    /// that makes a signed call (so the app key and secret are needed too).
    /// The generated crate's `Login::email(..)` and `Login::phone(..)` turn
    /// into a [`LoginProvider`].
    pub fn login(mut self, login: impl Into<LoginProvider>) -> Self {
        let login = login.into();
        self.settings.token_provider = Some(ProviderSlot {
            kind: ProviderKind::Login(login.action()),
            provider: Arc::new(login),
        });
        self
    }

    /// How failed attempts are retried; see [`RetryPolicy`].
    pub fn retry_policy(mut self, p: RetryPolicy) -> Self {
        self.settings.retry = p;
        self
    }

    /// Checks the configuration and builds the client. Credentials are not
    /// required here: a call whose credentials are missing fails on its own,
    /// so one client can serve pre- and post-login actions.
    pub fn build(self) -> Result<T, Error<T::Code>> {
        let invalid = |msg: String| Error::from_data(ErrorData::new(ErrorKind::InvalidConfig, msg));
        let service = T::SERVICE;
        let raw = self.base_url.as_deref().unwrap_or(service.default_base_url);
        let base_url = validate_base_url(raw).map_err(invalid)?;
        let mut settings = self.settings;
        if settings.timeout.is_zero() {
            return Err(invalid("the timeout must be greater than zero".into()));
        }
        if settings.connect_timeout.is_zero() {
            return Err(invalid(
                "the connect timeout must be greater than zero".into(),
            ));
        }
        let access_token = non_empty(self.access_token);
        if access_token.is_some() && settings.token_provider.is_some() {
            return Err(invalid(
                "both an access token and a token provider (or login) are set; a client takes its token from one".into(),
            ));
        }
        settings.channel.check().map_err(invalid)?;
        settings.app_key = non_empty(settings.app_key);
        settings.app_secret = non_empty(settings.app_secret);
        let user_agent = format!(
            "{}/{} iot-explorer-runtime/{}",
            service.name,
            service.version,
            env!("CARGO_PKG_VERSION")
        );
        let http = http_client(settings.connect_timeout, &user_agent)
            .map_err(|e| invalid(format!("could not set up the HTTP client: {e}")))?;
        let session = settings.token_provider.as_ref().map(|slot| {
            crate::session::Session::new(Arc::clone(&slot.provider), T::INVALID_TOKEN_CODES)
        });
        let shared = Shared::new(service, http, base_url, settings, user_agent, session);
        Ok(T::from_inner(Client::new(shared, access_token)))
    }
}

impl<T: GeneratedClient> fmt::Debug for ClientBuilder<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        debug_config(
            f,
            "ClientBuilder",
            T::SERVICE.name,
            &self.base_url.as_deref().map(display_url),
            self.access_token.is_some(),
            &self.settings,
        )
    }
}

pub(crate) fn non_empty(s: Option<String>) -> Option<String> {
    s.filter(|s| !s.is_empty())
}

fn validate_base_url(raw: &str) -> Result<String, String> {
    let url = reqwest::Url::parse(raw.trim())
        .map_err(|e| format!("base URL `{}` is not a valid URL: {e}", display_url(raw)))?;
    if !url.username().is_empty() || url.password().is_some() {
        // Not echoed: it holds credentials.
        return Err("the base URL must not contain a user name or password".into());
    }
    if url.scheme() != "http" && url.scheme() != "https" {
        return Err(format!("base URL `{url}` must use http or https"));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(format!("base URL `{url}` has no host"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(format!(
            "base URL `{url}` must not have a query or fragment"
        ));
    }
    Ok(url.as_str().trim_end_matches('/').to_owned())
}

/// A base URL for messages and `Debug`, with any user info cut out.
fn display_url(raw: &str) -> String {
    match raw.split_once("://") {
        Some((scheme, rest)) => {
            let authority_end = rest.find('/').unwrap_or(rest.len());
            match rest[..authority_end].rfind('@') {
                Some(at) => format!("{scheme}://{}@{}", Redacted::TEXT, &rest[at + 1..]),
                None => raw.to_owned(),
            }
        }
        None => raw.to_owned(),
    }
}

pub(crate) fn http_client(
    connect_timeout: Duration,
    user_agent: &str,
) -> reqwest::Result<reqwest::Client> {
    reqwest::Client::builder()
        .connect_timeout(connect_timeout)
        .user_agent(user_agent)
        // A redirect would resend the body, token included, to wherever the
        // `Location` header points; a 3xx is reported as a status error.
        .redirect(reqwest::redirect::Policy::none())
        .build()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_url_validation() {
        assert_eq!(
            validate_base_url("http://127.0.0.1:8080/api/exploreropen/").unwrap(),
            "http://127.0.0.1:8080/api/exploreropen"
        );
        assert_eq!(
            validate_base_url("https://example.com").unwrap(),
            "https://example.com"
        );
        assert!(validate_base_url("ftp://example.com").is_err());
        assert!(validate_base_url("not a url").is_err());
        assert!(validate_base_url("http://example.com/?a=1").is_err());
        assert!(validate_base_url("http://example.com/#x").is_err());
        let err = validate_base_url("http://user:hunter22@example.com/").unwrap_err();
        assert!(!err.contains("hunter22"));
        assert!(!display_url("http://user:hunter22@example.com/x").contains("hunter22"));
    }
}
