//! One call on the wire: the rest of the body, the retry and timeout loop,
//! one attempt, and what a reply means.
//!
//! Nothing here is generic over the request or response type, so it is
//! compiled once however many actions the generated crate has.

use std::sync::PoisonError;
use std::time::Duration;

use tokio::time::Instant;
use tracing::Instrument as _;

use crate::Operation;
use crate::body::{Body, BodyError};
use crate::client::Shared;
use crate::credentials::{Creds, credentials, scrub, signed};
use crate::envelope::Detail;
use crate::error::{ErrorData, ErrorKind, excerpt};
use crate::payload::{self, Payload, Reply};
use crate::retry::FailedAttempt;

/// Largest reply body read; a larger one is a decode error rather than an
/// unbounded allocation.
const MAX_BODY_BYTES: usize = 32 * 1024 * 1024;
/// Stands in for a deadline too far away to represent.
const FAR_FUTURE: Duration = Duration::from_secs(100 * 365 * 24 * 3600);
/// Characters of a reply body quoted in an error message.
const EXCERPT_CHARS: usize = 200;

/// What bounds the attempts of one request, beyond the retry policy.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Limits {
    /// The end of the whole call; a call that logs in first or resends
    /// after a rejected token spends one limit on all of it.
    pub(crate) deadline: Instant,
    /// API error codes that end the attempts whatever the classifier says:
    /// a session's invalid-token codes, which only a new token can fix.
    pub(crate) final_codes: &'static [&'static str],
}

impl Limits {
    /// The client's whole-call limit, starting now, and no final codes.
    pub(crate) fn starting_now(shared: &Shared) -> Limits {
        let now = Instant::now();
        Limits {
            // A caller may pass `Duration::MAX` to mean "no limit"; `Instant`
            // addition would panic on it.
            deadline: now
                .checked_add(shared.settings.timeout)
                .unwrap_or_else(|| now + FAR_FUTURE),
            final_codes: &[],
        }
    }
}

/// Everything between the request's members and the payload text:
/// credentials, the rest of the body, retries, timeouts, the envelope.
/// Returns the payload and the request id.
pub(crate) async fn execute(
    shared: &Shared,
    http: &reqwest::Client,
    op: &'static Operation,
    token: Option<&str>,
    mut body: Body,
    limits: Limits,
) -> Result<(Payload, String), Box<ErrorData>> {
    let fail = |kind, msg: String| Err(ErrorData::new(kind, msg).with_action(op.action));
    require_runtime(op)?;
    let creds = match credentials(shared, op, token) {
        Ok(c) => c,
        Err(msg) => return fail(ErrorKind::MissingCredentials, msg),
    };
    let request_id = uuid::Uuid::new_v4().to_string();
    if let Err(e) = body.add_common(op, &shared.service.common_params, &request_id) {
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
        limits,
    };
    // Read before the body is consumed; empty (no allocation) for the
    // actions without secrets in their request.
    let sensitive = body.values_of(op.sensitive);
    let result = call.run(body).instrument(span).await;
    match result {
        Ok(payload) => Ok((payload, request_id)),
        Err(mut e) => {
            e.action = Some(op.action);
            if e.request_id.is_none() {
                e.request_id = Some(request_id);
            }
            let credentials = [token, shared.settings.app_secret.as_deref()];
            let secrets = credentials.into_iter().flatten();
            scrub(&mut e, secrets.chain(sensitive.iter().map(String::as_str)));
            Err(e)
        }
    }
}

/// An error instead of the panic of Tokio's timers and I/O outside a
/// runtime.
pub(crate) fn require_runtime(op: &Operation) -> Result<(), Box<ErrorData>> {
    if tokio::runtime::Handle::try_current().is_err() {
        return Err(ErrorData::new(
            ErrorKind::InvalidConfig,
            "Client::call must run inside a Tokio runtime (or use call_blocking)",
        )
        .with_action(op.action));
    }
    Ok(())
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

/// What the attempts of one call share.
struct Call<'a> {
    shared: &'a Shared,
    http: &'a reqwest::Client,
    op: &'static Operation,
    creds: Creds<'a>,
    url: reqwest::Url,
    request_id: &'a str,
    limits: Limits,
}

impl Call<'_> {
    /// Attempts until one succeeds, the policy gives up or the deadline
    /// passes.
    async fn run(&self, mut body: Body) -> Result<Payload, Box<ErrorData>> {
        // A token call sends the same bytes on every attempt; a signed one
        // is signed afresh each time.
        let invalid = |e: BodyError| ErrorData::new(ErrorKind::InvalidRequest, e.0);
        let prepared = match self.creds {
            Creds::Token(token) => {
                body.push_str(self.shared.service.common_params.access_token, token)
                    .map_err(invalid)?;
                Prepared::Fixed(bytes::Bytes::from(body.into_bytes()))
            }
            Creds::Signed { key, secret } => Prepared::ToSign { body, key, secret },
        };
        let deadline = self.limits.deadline;
        let mut attempt = 1;
        loop {
            tracing::debug!(attempt, "sending");
            let bytes = match &prepared {
                Prepared::Fixed(bytes) => bytes.clone(),
                Prepared::ToSign { body, key, secret } => signed(
                    body.clone(),
                    &self.shared.service.common_params,
                    key,
                    secret,
                )
                .map_err(invalid)?
                .into(),
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
                    e.timeout = Some(self.shared.settings.timeout);
                    tracing::debug!(attempt, "timed out");
                    return Err(e);
                }
            };
            let failed = FailedAttempt {
                action: self.op.action,
                attempt,
                error: &error,
            };
            let is_final = error
                .wire_code
                .as_deref()
                .is_some_and(|code| self.limits.final_codes.contains(&code));
            if is_final || !self.shared.settings.retry.should_retry(&failed) {
                tracing::debug!(attempt, kind = %error.kind, code = error.wire_code.as_deref(), "failed");
                return Err(error);
            }
            let backoff = self.shared.settings.retry.backoff(attempt);
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
        // The echoed `RequestId` is read only for a debug log.
        let detail = if tracing::enabled!(tracing::Level::DEBUG) {
            Detail::Members
        } else {
            Detail::Outcome
        };
        let located = match payload::read(&text, self.op.data_wrapper, detail) {
            Reply::Api(mut e) => {
                e.status = Some(status);
                return Err(e);
            }
            Reply::Success {
                payload,
                request_id,
            } if success_status => {
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
                payload.map_err(|mut e| {
                    e.status = Some(status);
                    e
                })?
            }
            Reply::Success { .. } => return Err(status_error(reply)),
            Reply::Malformed(_) if !success_status => return Err(status_error(reply)),
            Reply::Malformed(malformed) => {
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
        Ok(located.into_payload(text))
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
            d.timeout = Some(self.shared.settings.connect_timeout);
        }
        d.source = Some(Box::new(e));
        d
    }
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
