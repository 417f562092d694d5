//! Configuration, credentials and the call path.
//!
//! The generic surface ([`Client::call`]) only converts the request to a JSON
//! map and the payload back to the response type; everything else runs in
//! non-generic functions, so a crate with hundreds of actions compiles the
//! transport once.

use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};
use tokio::time::Instant;
use tracing::Instrument as _;

use crate::envelope::{self, Outcome};
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
/// Parameters the client supplies; a request that sets one is refused
/// rather than silently overwritten.
const RESERVED: &[&str] = &[
    "Action",
    "RequestId",
    "AccessToken",
    "AppKey",
    "Timestamp",
    "Nonce",
    "Signature",
];

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
        let params = to_params(op, request).map_err(Error::from_data)?;
        let (payload, request_id) =
            execute(&self.shared, &self.shared.http, op, self.token(), params)
                .await
                .map_err(Error::from_data)?;
        decode(op, &request_id, payload).map_err(Error::from_data)
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
        let params = to_params(op, request).map_err(Error::from_data)?;
        let (payload, request_id) =
            blocking::run(&self.shared, op, self.token(), params).map_err(Error::from_data)?;
        decode(op, &request_id, payload).map_err(Error::from_data)
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

/// The request as a JSON map, checked against the parameters the client
/// adds itself.
fn to_params<Req: Serialize + ?Sized>(
    op: &'static Operation,
    request: &Req,
) -> Result<Map<String, Value>, Box<ErrorData>> {
    let invalid =
        |msg: String| ErrorData::new(ErrorKind::InvalidRequest, msg).with_action(op.action);
    match serde_json::to_value(request) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(Value::Null) => Ok(Map::new()),
        Ok(other) => Err(invalid(format!(
            "the request must serialize to a JSON object, not {}",
            match other {
                Value::Array(_) => "an array",
                Value::String(_) => "a string",
                Value::Number(_) => "a number",
                _ => "a boolean",
            }
        ))),
        Err(e) => Err(invalid(format!("the request could not be serialized: {e}"))),
    }
}

fn decode<Resp: DeserializeOwned>(
    op: &'static Operation,
    request_id: &str,
    payload: Map<String, Value>,
) -> Result<Resp, Box<ErrorData>> {
    serde_path_to_error::deserialize(Value::Object(payload)).map_err(|e| {
        let path = e.path().to_string();
        let mut d = ErrorData::new(ErrorKind::Decode, e.inner().to_string()).with_action(op.action);
        d.path = (path != ".").then_some(path);
        d.request_id = Some(request_id.to_owned());
        d
    })
}

/// Everything between the request map and the payload map: credentials,
/// the body, retries, timeouts, the envelope. Returns the payload and the
/// request id.
async fn execute(
    shared: &Shared,
    http: &reqwest::Client,
    op: &'static Operation,
    token: Option<&str>,
    params: Map<String, Value>,
) -> Result<(Map<String, Value>, String), Box<ErrorData>> {
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
    let body = match base_body(op, params, &request_id) {
        Ok(b) => b,
        Err(msg) => return fail(ErrorKind::InvalidRequest, msg),
    };
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
        url: format!(
            "{}/{}",
            shared.base_url,
            op.endpoint.trim_start_matches('/')
        ),
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

/// Request fields, fixed parameters, `Action` and `RequestId`: the part of
/// the body that is the same for every attempt.
fn base_body(
    op: &Operation,
    mut params: Map<String, Value>,
    request_id: &str,
) -> Result<Map<String, Value>, String> {
    // `null` means "not set" for every field the generator emits; sending it
    // would also make the signature depend on how a server formats null.
    params.retain(|_, v| !v.is_null());
    if let Some(k) = params.keys().find(|k| RESERVED.contains(&k.as_str())) {
        return Err(format!(
            "the request sets `{k}`, which the client supplies itself"
        ));
    }
    for (k, v) in op.fixed_params {
        match params.get(*k) {
            Some(Value::String(existing)) if existing == v => {}
            Some(_) => {
                return Err(format!(
                    "the request sets `{k}`, which this action fixes to `{v}`"
                ));
            }
            None => {
                params.insert((*k).to_owned(), Value::String((*v).to_owned()));
            }
        }
    }
    params.insert("Action".into(), Value::String(op.action.to_owned()));
    params.insert("RequestId".into(), Value::String(request_id.to_owned()));
    Ok(params)
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

struct Call<'a> {
    shared: &'a Shared,
    http: &'a reqwest::Client,
    op: &'static Operation,
    creds: Creds<'a>,
    url: String,
    request_id: &'a str,
}

impl Call<'_> {
    async fn run(&self, body: Map<String, Value>) -> Result<Map<String, Value>, Box<ErrorData>> {
        let started = Instant::now();
        // A caller may pass `Duration::MAX` to mean "no limit"; `Instant`
        // addition would panic on it.
        let deadline = started
            .checked_add(self.shared.timeout)
            .unwrap_or_else(|| started + FAR_FUTURE);
        let mut attempt = 1;
        loop {
            tracing::debug!(attempt, "sending");
            let outcome = tokio::time::timeout_at(deadline, self.attempt(&body)).await;
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
    async fn attempt(
        &self,
        base: &Map<String, Value>,
    ) -> Result<Map<String, Value>, Box<ErrorData>> {
        let mut body = base.clone();
        match self.creds {
            Creds::Token(token) => {
                body.insert("AccessToken".into(), Value::String(token.to_owned()));
            }
            Creds::Signed { key, secret } => {
                // Fresh per attempt: the server rejects stale timestamps and
                // may reject a nonce it has seen.
                let timestamp = SystemTime::now()
                    .duration_since(UNIX_EPOCH)
                    .map_or(0, |d| d.as_secs());
                body.insert("AppKey".into(), Value::String(key.to_owned()));
                body.insert("Timestamp".into(), Value::from(timestamp));
                body.insert(
                    "Nonce".into(),
                    Value::from(fastrand::u32(1..=i32::MAX as u32)),
                );
                let signature = crate::sign(secret, &body);
                body.insert("Signature".into(), Value::String(signature));
            }
        }
        let bytes = serde_json::to_vec(&body).map_err(|e| {
            ErrorData::new(
                ErrorKind::InvalidRequest,
                format!("could not encode the body: {e}"),
            )
        })?;
        drop(body);

        let mut response = self
            .http
            .post(&self.url)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .header(reqwest::header::ACCEPT, "application/json")
            .body(bytes)
            .send()
            .await
            .map_err(|e| self.transport_error(e, None))?;
        let status = response.status().as_u16();
        let mut reply = Vec::new();
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
        self.classify(status, &reply)
    }

    fn classify(&self, status: u16, reply: &[u8]) -> Result<Map<String, Value>, Box<ErrorData>> {
        let success_status = (200..300).contains(&status);
        let status_error = || {
            let mut e = ErrorData::new(ErrorKind::Status, excerpt(reply, EXCERPT_CHARS));
            e.status = Some(status);
            e
        };
        match envelope::parse(reply) {
            Ok(Outcome::ApiError {
                code,
                message,
                request_id,
            }) => {
                let mut e = ErrorData::api(code, message);
                e.status = Some(status);
                e.request_id = request_id;
                Err(e)
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
                    unwrap_data(payload).map_err(|mut e| {
                        e.status = Some(status);
                        e
                    })
                } else {
                    Ok(payload)
                }
            }
            Ok(Outcome::Success { .. }) => Err(status_error()),
            Err(_) if !success_status => Err(status_error()),
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
                Err(e)
            }
        }
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

/// The payload of an action whose outputs sit in `Data`: that object, with
/// the envelope's `RequestId` added unless `Data` has its own.
fn unwrap_data(mut payload: Map<String, Value>) -> Result<Map<String, Value>, Box<ErrorData>> {
    let what = match payload.remove("Data") {
        Some(Value::Object(mut data)) => {
            if let Some(id) = payload.remove("RequestId") {
                data.entry("RequestId").or_insert(id);
            }
            return Ok(data);
        }
        None => "missing; this action's outputs are expected inside `Data`",
        Some(Value::Null) => "null; this action's outputs are expected inside `Data`",
        Some(_) => "expected an object",
    };
    let mut e = ErrorData::new(ErrorKind::Decode, what);
    e.path = Some("Data".into());
    Err(e)
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
        params: Map<String, Value>,
    ) -> Result<(Map<String, Value>, String), Box<ErrorData>> {
        let config_error =
            |msg: String| ErrorData::new(ErrorKind::InvalidConfig, msg).with_action(op.action);
        if tokio::runtime::Handle::try_current().is_ok() {
            return Err(config_error(
                "call_blocking was called inside an async runtime, where it would block the runtime's thread; use `call(..).await` there".into(),
            ));
        }
        let rt = runtime().map_err(config_error)?;
        let http = http(shared).map_err(config_error)?;
        rt.block_on(execute(shared, &http, op, token, params))
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
    fn base_body_rejects_reserved_and_conflicting_params() {
        static OP: Operation = Operation {
            action: "A",
            endpoint: "tokenapi",
            auth: Auth::AccessToken,
            fixed_params: &[("KGCommand", "song_url")],
            data_wrapper: false,
        };
        let map = |v: Value| v.as_object().unwrap().clone();
        let body = base_body(&OP, map(serde_json::json!({"X": 1, "Y": null})), "rid").unwrap();
        assert_eq!(
            Value::Object(body),
            serde_json::json!({"X": 1, "KGCommand": "song_url", "Action": "A", "RequestId": "rid"})
        );
        assert!(base_body(&OP, map(serde_json::json!({"AccessToken": "t"})), "rid").is_err());
        assert!(base_body(&OP, map(serde_json::json!({"KGCommand": "other"})), "rid").is_err());
        assert!(
            base_body(
                &OP,
                map(serde_json::json!({"KGCommand": "song_url"})),
                "rid"
            )
            .is_ok()
        );
    }
}
