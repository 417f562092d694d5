//! Configuration, credentials and the call path.
//!
//! The generic surface ([`Client::call`]) only writes the request's members
//! as JSON text and decodes the payload text into the response type;
//! everything else runs in non-generic functions, so a crate with hundreds
//! of actions compiles the transport once.

use std::fmt;
use std::marker::PhantomData;
use std::ops::Range;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::Serialize;
use serde::de::DeserializeOwned;
use tokio::time::Instant;
use tracing::Instrument as _;

use crate::body::{Body, BodyError};
use crate::envelope::{self, Detail, Kind, Members, Outcome};
use crate::error::{ErrorData, ErrorKind, excerpt};
use crate::retry::FailedAttempt;
use crate::{Auth, Error, GeneratedClient, Operation, Redacted, RetryPolicy, ServiceInfo};

const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Largest reply body read; a larger one is a decode error rather than an
/// unbounded allocation.
const MAX_BODY_BYTES: usize = 32 * 1024 * 1024;
/// Stands in for a deadline too far away to represent.
const FAR_FUTURE: Duration = Duration::from_secs(100 * 365 * 24 * 3600);
/// Characters of a reply body quoted in an error message.
const EXCERPT_CHARS: usize = 200;
/// Builds a [`GeneratedClient`]; the generated crate re-exports it as
/// `ClientBuilder` and returns it from `Client::builder()`.
pub struct ClientBuilder<T: GeneratedClient> {
    base_url: Option<String>,
    access_token: Option<String>,
    app_key: Option<String>,
    app_secret: Option<String>,
    timeout: Duration,
    connect_timeout: Duration,
    retry: RetryPolicy,
    _client: PhantomData<fn() -> T>,
}

impl<T: GeneratedClient> Default for ClientBuilder<T> {
    fn default() -> Self {
        ClientBuilder {
            base_url: None,
            access_token: None,
            app_key: None,
            app_secret: None,
            timeout: DEFAULT_TIMEOUT,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            retry: RetryPolicy::default(),
            _client: PhantomData,
        }
    }
}

impl<T: GeneratedClient> Clone for ClientBuilder<T> {
    fn clone(&self) -> Self {
        ClientBuilder {
            base_url: self.base_url.clone(),
            access_token: self.access_token.clone(),
            app_key: self.app_key.clone(),
            app_secret: self.app_secret.clone(),
            timeout: self.timeout,
            connect_timeout: self.connect_timeout,
            retry: self.retry.clone(),
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

    /// Access token for post-login ([`Auth::AccessToken`]) actions. An empty
    /// token counts as none.
    pub fn access_token(mut self, token: impl Into<String>) -> Self {
        self.access_token = Some(token.into());
        self
    }

    /// App key for pre-login ([`Auth::Signed`]) actions.
    pub fn app_key(mut self, key: impl Into<String>) -> Self {
        self.app_key = Some(key.into());
        self
    }

    /// App secret that signs pre-login ([`Auth::Signed`]) actions; it is
    /// never sent and never printed.
    pub fn app_secret(mut self, secret: impl Into<String>) -> Self {
        self.app_secret = Some(secret.into());
        self
    }

    /// Limit on a whole call: every attempt, the reading of every reply and
    /// the backoffs between retries. Default 30 s.
    pub fn timeout(mut self, d: Duration) -> Self {
        self.timeout = d;
        self
    }

    /// Limit on opening one connection. Default 10 s.
    pub fn connect_timeout(mut self, d: Duration) -> Self {
        self.connect_timeout = d;
        self
    }

    /// How failed attempts are retried; see [`RetryPolicy`].
    pub fn retry_policy(mut self, p: RetryPolicy) -> Self {
        self.retry = p;
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
        if self.timeout.is_zero() {
            return Err(invalid("the timeout must be greater than zero".into()));
        }
        if self.connect_timeout.is_zero() {
            return Err(invalid(
                "the connect timeout must be greater than zero".into(),
            ));
        }
        let user_agent = format!(
            "{}/{} iot-explorer-runtime/{}",
            service.name,
            service.version,
            env!("CARGO_PKG_VERSION")
        );
        let http = http_client(self.connect_timeout, &user_agent)
            .map_err(|e| invalid(format!("could not set up the HTTP client: {e}")))?;
        let shared = Shared {
            service,
            http,
            base_url,
            app_key: non_empty(self.app_key),
            app_secret: non_empty(self.app_secret),
            timeout: self.timeout,
            connect_timeout: self.connect_timeout,
            retry: self.retry,
            user_agent,
            endpoint_urls: Mutex::new(Vec::new()),
            #[cfg(feature = "blocking")]
            blocking_http: std::sync::OnceLock::new(),
        };
        Ok(T::from_inner(Client {
            shared: Arc::new(shared),
            access_token: non_empty(self.access_token).map(Arc::from),
            _code: PhantomData,
        }))
    }
}

impl<T: GeneratedClient> fmt::Debug for ClientBuilder<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("service", &T::SERVICE.name)
            .field("base_url", &self.base_url.as_deref().map(display_url))
            .field(
                "access_token",
                &self.access_token.as_ref().map(|_| Redacted),
            )
            .field("app_key", &self.app_key)
            .field("app_secret", &self.app_secret.as_ref().map(|_| Redacted))
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("retry_policy", &self.retry)
            .finish()
    }
}

/// What every clone of a client shares.
struct Shared {
    service: &'static ServiceInfo,
    http: reqwest::Client,
    /// Validated, without a trailing `/`.
    base_url: String,
    app_key: Option<String>,
    app_secret: Option<String>,
    timeout: Duration,
    connect_timeout: Duration,
    retry: RetryPolicy,
    #[cfg_attr(not(feature = "blocking"), allow(dead_code))]
    user_agent: String,
    /// The URL of each endpoint used so far, parsed once: parsing a URL
    /// (host normalisation included) costs more than the rest of the
    /// client's own work on a call.
    endpoint_urls: Mutex<Vec<(&'static str, reqwest::Url)>>,
    /// Blocking calls get their own connection pool: a pooled connection is
    /// driven by the runtime that opened it, and the caller's runtime may
    /// not be running while a blocking call waits on it.
    #[cfg(feature = "blocking")]
    blocking_http: std::sync::OnceLock<reqwest::Client>,
}

/// The runtime client under the generated `Client`: configuration,
/// credentials and a connection pool. Cloning is cheap and clones share
/// the pool.
pub struct Client<C> {
    shared: Arc<Shared>,
    // Kept outside `Shared` so that `with_access_token` does not rebuild
    // the pool.
    access_token: Option<Arc<str>>,
    _code: PhantomData<fn() -> C>,
}

impl<C> Clone for Client<C> {
    fn clone(&self) -> Self {
        Client {
            shared: Arc::clone(&self.shared),
            access_token: self.access_token.clone(),
            _code: PhantomData,
        }
    }
}

impl<C> fmt::Debug for Client<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = &self.shared;
        f.debug_struct("Client")
            .field("service", &s.service.name)
            .field("base_url", &s.base_url)
            .field(
                "access_token",
                &self.access_token.as_ref().map(|_| Redacted),
            )
            .field("app_key", &s.app_key)
            .field("app_secret", &s.app_secret.as_ref().map(|_| Redacted))
            .field("timeout", &s.timeout)
            .field("connect_timeout", &s.connect_timeout)
            .field("retry_policy", &s.retry)
            .finish()
    }
}

impl<C: crate::ErrorCodeType> Client<C> {
    /// Calls `op` with `request` and decodes the reply into `Resp`.
    ///
    /// `request` must serialize to a JSON object of the action's own
    /// parameters; the client adds `Action`, `RequestId`, the credentials
    /// and `op.fixed_params`. Top-level `null` values are not sent.
    pub async fn call<Req, Resp>(
        &self,
        op: &'static Operation,
        request: &Req,
    ) -> Result<Resp, Error<C>>
    where
        Req: Serialize + ?Sized,
        Resp: DeserializeOwned,
    {
        let body = request_body(op, request).map_err(Error::from_data)?;
        let (payload, request_id) =
            execute(&self.shared, &self.shared.http, op, self.token(), body)
                .await
                .map_err(Error::from_data)?;
        crate::decode::decode(op.action, &request_id, payload.json()).map_err(Error::from_data)
    }

    /// [`call`](Self::call) for callers without an async runtime.
    ///
    /// The call runs on a small runtime private to this crate (one worker
    /// thread, started on first use and shared by all clients), with a
    /// connection pool of its own. Called from inside a Tokio runtime it
    /// returns an [`ErrorKind::InvalidConfig`] error instead of blocking the
    /// runtime's thread; use `call(..).await` there.
    #[cfg(feature = "blocking")]
    #[cfg_attr(docsrs, doc(cfg(feature = "blocking")))]
    pub fn call_blocking<Req, Resp>(
        &self,
        op: &'static Operation,
        request: &Req,
    ) -> Result<Resp, Error<C>>
    where
        Req: Serialize + ?Sized,
        Resp: DeserializeOwned,
    {
        let body = request_body(op, request).map_err(Error::from_data)?;
        let (payload, request_id) =
            blocking::run(&self.shared, op, self.token(), body).map_err(Error::from_data)?;
        crate::decode::decode(op.action, &request_id, payload.json()).map_err(Error::from_data)
    }

    /// A client like this one that sends `token` as `AccessToken`, e.g.
    /// after a login call; it shares this client's connection pool and
    /// settings. An empty token counts as none.
    pub fn with_access_token(&self, token: impl Into<String>) -> Self {
        Client {
            shared: Arc::clone(&self.shared),
            access_token: non_empty(Some(token.into())).map(Arc::from),
            _code: PhantomData,
        }
    }

    /// The base URL calls go to, without the endpoint segment.
    pub fn base_url(&self) -> &str {
        &self.shared.base_url
    }

    fn token(&self) -> Option<&str> {
        self.access_token.as_deref()
    }
}

fn non_empty(s: Option<String>) -> Option<String> {
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

fn http_client(connect_timeout: Duration, user_agent: &str) -> reqwest::Result<reqwest::Client> {
    reqwest::Client::builder()
        .connect_timeout(connect_timeout)
        .user_agent(user_agent)
        // A redirect would resend the body, token included, to wherever the
        // `Location` header points; a 3xx is reported as a status error.
        .redirect(reqwest::redirect::Policy::none())
        .build()
}

/// The request's members, checked against the parameters the client adds
/// itself.
fn request_body<Req: Serialize + ?Sized>(
    op: &'static Operation,
    request: &Req,
) -> Result<Body, Box<ErrorData>> {
    Body::from_request(request)
        .map_err(|e| ErrorData::new(ErrorKind::InvalidRequest, e.0).with_action(op.action))
}

/// Everything between the request's members and the payload text:
/// credentials, the rest of the body, retries, timeouts, the envelope.
/// Returns the payload and the request id.
async fn execute(
    shared: &Shared,
    http: &reqwest::Client,
    op: &'static Operation,
    token: Option<&str>,
    mut body: Body,
) -> Result<(Payload, String), Box<ErrorData>> {
    let fail = |kind, msg: String| Err(ErrorData::new(kind, msg).with_action(op.action));
    if tokio::runtime::Handle::try_current().is_err() {
        return fail(
            ErrorKind::InvalidConfig,
            "Client::call must run inside a Tokio runtime (or use call_blocking)".into(),
        );
    }
    let creds = match credentials(shared, op, token) {
        Ok(c) => c,
        Err(msg) => return fail(ErrorKind::MissingCredentials, msg),
    };
    let request_id = uuid::Uuid::new_v4().to_string();
    if let Err(e) = body.add_common(op, &request_id) {
        return fail(ErrorKind::InvalidRequest, e.0);
    }
    let span = tracing::info_span!(
        "iot_explorer.call",
        action = op.action,
        request_id = %request_id,
        endpoint = op.endpoint,
    );
    let call = Call {
        shared,
        http,
        op,
        creds,
        url: match endpoint_url(shared, op.endpoint) {
            Ok(url) => url,
            Err(msg) => return fail(ErrorKind::InvalidConfig, msg),
        },
        request_id: &request_id,
    };
    let result = call.run(body).instrument(span).await;
    match result {
        Ok(payload) => Ok((payload, request_id)),
        Err(mut e) => {
            e.action = Some(op.action);
            if e.request_id.is_none() {
                e.request_id = Some(request_id);
            }
            scrub(&mut e, token, shared.app_secret.as_deref());
            Err(e)
        }
    }
}

/// `base_url/endpoint`, from the cache or parsed and cached.
fn endpoint_url(shared: &Shared, endpoint: &'static str) -> Result<reqwest::Url, String> {
    // A poisoned cache is still a valid cache: entries are pushed whole.
    let mut urls = shared
        .endpoint_urls
        .lock()
        .unwrap_or_else(PoisonError::into_inner);
    if let Some((_, url)) = urls.iter().find(|(e, _)| *e == endpoint) {
        return Ok(url.clone());
    }
    let text = format!("{}/{}", shared.base_url, endpoint.trim_start_matches('/'));
    let url = reqwest::Url::parse(&text)
        .map_err(|e| format!("endpoint URL `{text}` is not a valid URL: {e}"))?;
    urls.push((endpoint, url.clone()));
    Ok(url)
}

enum Creds<'a> {
    Token(&'a str),
    Signed { key: &'a str, secret: &'a str },
}

fn credentials<'a>(
    shared: &'a Shared,
    op: &Operation,
    token: Option<&'a str>,
) -> Result<Creds<'a>, String> {
    match op.auth {
        Auth::AccessToken => token.map(Creds::Token).ok_or_else(|| {
            "no access token; set one with ClientBuilder::access_token or Client::with_access_token".into()
        }),
        Auth::Signed => match (shared.app_key.as_deref(), shared.app_secret.as_deref()) {
            (Some(key), Some(secret)) => Ok(Creds::Signed { key, secret }),
            (None, None) => Err("no app key and no app secret; set them with ClientBuilder::app_key and ClientBuilder::app_secret".into()),
            (None, Some(_)) => Err("no app key; set one with ClientBuilder::app_key".into()),
            (Some(_), None) => Err("no app secret; set one with ClientBuilder::app_secret".into()),
        },
    }
}

/// Servers sometimes quote the parameters they reject; keep credentials out
/// of messages that end up in logs.
fn scrub(e: &mut ErrorData, token: Option<&str>, secret: Option<&str>) {
    for secret in [token, secret].into_iter().flatten() {
        if secret.len() < 4 {
            continue;
        }
        if let Some(m) = e.message.as_mut().filter(|m| m.contains(secret)) {
            *m = m.replace(secret, Redacted::TEXT);
        }
    }
}

/// The finished body of a signed attempt: `body` with `AppKey`,
/// `Timestamp`, `Nonce` and the `Signature` over all of them.
fn signed(mut body: Body, key: &str, secret: &str) -> Result<Vec<u8>, BodyError> {
    // Fresh per attempt: the server rejects stale timestamps and may reject
    // a nonce it has seen.
    let timestamp = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    body.push_str("AppKey", key)?;
    body.push_u64("Timestamp", timestamp)?;
    body.push_u64("Nonce", u64::from(fastrand::u32(1..=i32::MAX as u32)))?;
    let signature = crate::signing::hmac_base64(secret, &crate::signing::canonical(body.pairs()));
    body.push_str("Signature", &signature)?;
    Ok(body.into_bytes())
}

/// The body as each attempt needs it.
enum Prepared<'a> {
    /// Complete; sent as is by every attempt.
    Fixed(bytes::Bytes),
    /// Still to be signed, afresh for each attempt.
    ToSign {
        body: Body,
        key: &'a str,
        secret: &'a str,
    },
}

struct Call<'a> {
    shared: &'a Shared,
    http: &'a reqwest::Client,
    op: &'static Operation,
    creds: Creds<'a>,
    url: reqwest::Url,
    request_id: &'a str,
}

impl Call<'_> {
    async fn run(&self, mut body: Body) -> Result<Payload, Box<ErrorData>> {
        // A token call sends the same bytes on every attempt; a signed one
        // is signed afresh each time.
        let invalid = |e: BodyError| ErrorData::new(ErrorKind::InvalidRequest, e.0);
        let prepared = match self.creds {
            Creds::Token(token) => {
                body.push_str("AccessToken", token).map_err(invalid)?;
                Prepared::Fixed(bytes::Bytes::from(body.into_bytes()))
            }
            Creds::Signed { key, secret } => Prepared::ToSign { body, key, secret },
        };
        let started = Instant::now();
        // A caller may pass `Duration::MAX` to mean "no limit"; `Instant`
        // addition would panic on it.
        let deadline = started
            .checked_add(self.shared.timeout)
            .unwrap_or_else(|| started + FAR_FUTURE);
        let mut attempt = 1;
        loop {
            tracing::debug!(attempt, "sending");
            let bytes = match &prepared {
                Prepared::Fixed(bytes) => bytes.clone(),
                Prepared::ToSign { body, key, secret } => {
                    signed(body.clone(), key, secret).map_err(invalid)?.into()
                }
            };
            let outcome = tokio::time::timeout_at(deadline, self.attempt(bytes)).await;
            let error = match outcome {
                Ok(Ok(payload)) => {
                    tracing::debug!(attempt, "succeeded");
                    return Ok(payload);
                }
                Ok(Err(e)) => e,
                Err(_elapsed) => {
                    let mut e = ErrorData::new(
                        ErrorKind::Timeout,
                        format!(
                            "no complete reply within the whole-call limit ({attempt} attempt(s))"
                        ),
                    );
                    e.timeout = Some(self.shared.timeout);
                    tracing::debug!(attempt, "timed out");
                    return Err(e);
                }
            };
            let failed = FailedAttempt {
                action: self.op.action,
                attempt,
                error: &error,
            };
            if !self.shared.retry.should_retry(&failed) {
                tracing::debug!(attempt, kind = %error.kind, code = error.wire_code.as_deref(), "failed");
                return Err(error);
            }
            let backoff = self.shared.retry.backoff(attempt);
            if Instant::now()
                .checked_add(backoff)
                .is_none_or(|end| end >= deadline)
            {
                // Sleeping into the deadline would only trade this error
                // for a less useful timeout.
                tracing::debug!(attempt, kind = %error.kind, "failed; no time left to retry");
                return Err(error);
            }
            tracing::debug!(attempt, kind = %error.kind, code = error.wire_code.as_deref(), ?backoff, "retrying");
            tokio::time::sleep(backoff).await;
            attempt += 1;
        }
    }

    /// One request and its reply.
    async fn attempt(&self, bytes: bytes::Bytes) -> Result<Payload, Box<ErrorData>> {
        let mut response = self
            .http
            .post(self.url.clone())
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(bytes)
            .send()
            .await
            .map_err(|e| self.transport_error(e, None))?;
        let status = response.status().as_u16();
        let capacity = response.content_length().map_or(0, |n| {
            usize::try_from(n)
                .unwrap_or(MAX_BODY_BYTES)
                .min(MAX_BODY_BYTES)
        });
        let mut reply = Vec::with_capacity(capacity);
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|e| self.transport_error(e, Some(status)))?
        {
            if reply.len() + chunk.len() > MAX_BODY_BYTES {
                let mut e = ErrorData::new(
                    ErrorKind::Decode,
                    format!("the reply is larger than {MAX_BODY_BYTES} bytes"),
                );
                e.status = Some(status);
                return Err(e);
            }
            reply.extend_from_slice(&chunk);
        }
        self.classify(status, reply)
    }

    fn classify(&self, status: u16, reply: Vec<u8>) -> Result<Payload, Box<ErrorData>> {
        let success_status = (200..300).contains(&status);
        let status_error = |reply: &[u8]| {
            let mut e = ErrorData::new(ErrorKind::Status, excerpt(reply, EXCERPT_CHARS));
            e.status = Some(status);
            e
        };
        let text = match String::from_utf8(reply) {
            Ok(text) => text,
            Err(e) if !success_status => return Err(status_error(e.as_bytes())),
            Err(e) => {
                let message = format!(
                    "the body is not UTF-8 JSON (invalid byte at offset {}); the body starts: {}",
                    e.utf8_error().valid_up_to(),
                    excerpt(e.as_bytes(), EXCERPT_CHARS)
                );
                let mut d = ErrorData::new(ErrorKind::Decode, message);
                d.status = Some(status);
                return Err(d);
            }
        };
        let reply = text.as_bytes();
        // The members are read only where something uses them: the `Data`
        // of a wrapped action, and the echoed `RequestId` in a debug log.
        let detail = if self.op.data_wrapper || tracing::enabled!(tracing::Level::DEBUG) {
            Detail::Members
        } else {
            Detail::Outcome
        };
        let range = match envelope::parse(&text, detail) {
            Ok(Outcome::ApiError {
                code,
                message,
                request_id,
            }) => {
                let mut e = ErrorData::api(code, message);
                e.status = Some(status);
                e.request_id = request_id;
                return Err(e);
            }
            Ok(Outcome::Success {
                payload,
                request_id,
            }) if success_status => {
                if request_id
                    .as_deref()
                    .is_some_and(|id| id != self.request_id)
                {
                    // Worth knowing when tracing a call through a proxy, but
                    // not a reason to reject a good reply.
                    tracing::debug!(
                        server_request_id = request_id.as_deref(),
                        "server echoed another RequestId"
                    );
                }
                if self.op.data_wrapper {
                    return unwrap_data(payload).map_err(|mut e| {
                        e.status = Some(status);
                        e
                    });
                }
                match subslice_range(&text, payload.json) {
                    Some(range) => range,
                    // `parse` borrows the payload from `text`, so this is
                    // not reached; a copy would still be correct.
                    None => {
                        let text = payload.json.to_owned();
                        let range = 0..text.len();
                        return Ok(Payload { text, range });
                    }
                }
            }
            Ok(Outcome::Success { .. }) => return Err(status_error(reply)),
            Err(_) if !success_status => return Err(status_error(reply)),
            Err(malformed) => {
                let message = match malformed.path {
                    Some(_) => malformed.what,
                    None => format!(
                        "{}; the body starts: {}",
                        malformed.what,
                        excerpt(reply, EXCERPT_CHARS)
                    ),
                };
                let mut e = ErrorData::new(ErrorKind::Decode, message);
                e.path = malformed.path;
                e.status = Some(status);
                return Err(e);
            }
        };
        Ok(Payload { text, range })
    }

    fn transport_error(&self, e: reqwest::Error, status: Option<u16>) -> Box<ErrorData> {
        // A connect error means nothing was written, so the request cannot
        // have been processed; anything later might have been.
        let not_sent = status.is_none() && e.is_connect();
        let kind = if e.is_timeout() {
            ErrorKind::Timeout
        } else {
            ErrorKind::Transport
        };
        let mut d = ErrorData::new(kind, error_chain(&e));
        d.maybe_sent = !not_sent;
        d.status = status;
        if kind == ErrorKind::Timeout && not_sent {
            d.timeout = Some(self.shared.connect_timeout);
        }
        d.source = Some(Box::new(e));
        d
    }
}

/// A successful reply: `text[range]` is the JSON object the response type
/// decodes from.
struct Payload {
    text: String,
    range: Range<usize>,
}

impl Payload {
    fn json(&self) -> &str {
        &self.text[self.range.clone()]
    }
}

/// Where `inner` sits in `outer`, if it is a part of it; lets the payload
/// be kept as a range of the reply instead of a copy.
fn subslice_range(outer: &str, inner: &str) -> Option<Range<usize>> {
    let start = (inner.as_ptr() as usize).checked_sub(outer.as_ptr() as usize)?;
    let end = start.checked_add(inner.len())?;
    (end <= outer.len() && outer.is_char_boundary(start) && outer.is_char_boundary(end))
        .then_some(start..end)
}

/// The payload of an action whose outputs sit in `Data`: that object, with
/// the envelope's `RequestId` added unless `Data` has its own.
fn unwrap_data(payload: envelope::Payload<'_>) -> Result<Payload, Box<ErrorData>> {
    let what = match payload.members.data {
        Some(data) if envelope::kind(data) == Kind::Object => {
            let has_own_id = Members::of(data, "Data").is_ok_and(|m| m.request_id.is_some());
            let text = match payload.members.request_id {
                Some(id) if !has_own_id => with_first_member(data.get(), "RequestId", id.get()),
                _ => data.get().to_owned(),
            };
            let range = 0..text.len();
            return Ok(Payload { text, range });
        }
        None => "missing; this action's outputs are expected inside `Data`",
        Some(data) if envelope::kind(data) == Kind::Null => {
            "null; this action's outputs are expected inside `Data`"
        }
        Some(_) => "expected an object",
    };
    let mut e = ErrorData::new(ErrorKind::Decode, what);
    e.path = Some("Data".into());
    Err(e)
}

/// `object` (the text of a JSON object) with `"name": value` put first.
fn with_first_member(object: &str, name: &str, value: &str) -> String {
    let rest = object.strip_prefix('{').unwrap_or(object);
    let separator = if rest.trim_start().starts_with('}') {
        ""
    } else {
        ","
    };
    let mut out = String::with_capacity(object.len() + name.len() + value.len() + 4);
    out.push('{');
    out.push_str(&serde_json::Value::from(name).to_string());
    out.push(':');
    out.push_str(value);
    out.push_str(separator);
    out.push_str(rest);
    out
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        let text = s.to_string();
        // Wrappers often repeat their source's text.
        if !out.ends_with(&text) {
            out.push_str(": ");
            out.push_str(&text);
        }
        source = s.source();
    }
    out
}

#[cfg(feature = "blocking")]
mod blocking {
    use std::sync::OnceLock;

    use super::*;

    static RUNTIME: OnceLock<tokio::runtime::Runtime> = OnceLock::new();

    /// The crate's private runtime. One worker thread keeps pooled
    /// connections and timers serviced between and during blocking calls;
    /// the calling thread only waits.
    fn runtime() -> Result<&'static tokio::runtime::Runtime, String> {
        if let Some(rt) = RUNTIME.get() {
            return Ok(rt);
        }
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("iot-explorer-blocking")
            .enable_all()
            .build()
            .map_err(|e| format!("could not start the blocking runtime: {e}"))?;
        // If another thread won the race, the spare runtime is dropped here,
        // outside any async context, which is allowed.
        Ok(RUNTIME.get_or_init(|| rt))
    }

    fn http(shared: &Shared) -> Result<reqwest::Client, String> {
        if let Some(c) = shared.blocking_http.get() {
            return Ok(c.clone());
        }
        let c = http_client(shared.connect_timeout, &shared.user_agent)
            .map_err(|e| format!("could not set up the HTTP client: {e}"))?;
        Ok(shared.blocking_http.get_or_init(|| c).clone())
    }

    pub(super) fn run(
        shared: &Shared,
        op: &'static Operation,
        token: Option<&str>,
        body: Body,
    ) -> Result<(Payload, String), Box<ErrorData>> {
        let config_error =
            |msg: String| ErrorData::new(ErrorKind::InvalidConfig, msg).with_action(op.action);
        if tokio::runtime::Handle::try_current().is_ok() {
            return Err(config_error(
                "call_blocking was called inside an async runtime, where it would block the runtime's thread; use `call(..).await` there".into(),
            ));
        }
        let rt = runtime().map_err(config_error)?;
        let http = http(shared).map_err(config_error)?;
        rt.block_on(execute(shared, &http, op, token, body))
    }
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

    #[test]
    fn subslices_are_found_and_others_are_not() {
        let outer = String::from(r#"{"Response":{"A":"中"}}"#);
        let inner = &outer[12..outer.len() - 1];
        assert_eq!(subslice_range(&outer, inner), Some(12..outer.len() - 1));
        let elsewhere = inner.to_owned();
        assert_eq!(subslice_range(&outer, &elsewhere), None);
    }

    #[test]
    fn a_member_goes_first_in_an_object() {
        assert_eq!(with_first_member("{}", "R", "\"x\""), r#"{"R":"x"}"#);
        assert_eq!(with_first_member("{ }", "R", "1"), r#"{"R":1 }"#);
        assert_eq!(
            with_first_member(r#"{"A":1}"#, "R", "null"),
            r#"{"R":null,"A":1}"#
        );
    }
}
