//! The one error type every call returns.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use crate::ErrorCodeType;

/// What kind of failure an [`Error`] is.
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// The server answered with an error envelope; see [`Error::code`].
    Api,
    /// The server answered with a non-2xx status and a body that is not an
    /// error envelope (an HTML error page, a proxy's reply).
    Status,
    /// The request could not be sent or the reply could not be read.
    Transport,
    /// The connect timeout or the whole-call timeout elapsed.
    Timeout,
    /// The reply is not one of the envelopes, or its payload does not match
    /// the response type.
    Decode,
    /// The call needs a credential the client does not hold; nothing was
    /// sent.
    MissingCredentials,
    /// The client configuration is unusable (bad base URL, zero timeout), or
    /// the call was made where it cannot run.
    InvalidConfig,
    /// The request did not serialize to a JSON object, or it sets a
    /// parameter the client supplies itself.
    InvalidRequest,
    /// No access token: the token provider failed, or the login action's
    /// reply carried no token. (A login action that fails on the wire keeps
    /// the kind of that failure; [`Error::is_login_failure`] covers both.)
    Login,
    /// A page walk did not end: it reached its page limit, or the server
    /// sent a page or a cursor it had sent before.
    Pagination,
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ErrorKind::Api => "API error",
            ErrorKind::Status => "HTTP error status",
            ErrorKind::Transport => "transport error",
            ErrorKind::Timeout => "timed out",
            ErrorKind::Decode => "could not decode the response",
            ErrorKind::MissingCredentials => "missing credentials",
            ErrorKind::InvalidConfig => "invalid client configuration",
            ErrorKind::InvalidRequest => "invalid request",
            ErrorKind::Login => "could not get an access token",
            ErrorKind::Pagination => "the pages did not end",
        })
    }
}

/// Everything about a failure except the typed code, so that the transport
/// core is compiled once rather than once per generated error enum.
#[derive(Debug)]
pub(crate) struct ErrorData {
    pub(crate) kind: ErrorKind,
    pub(crate) action: Option<&'static str>,
    /// Code as sent on the wire (API errors only).
    pub(crate) wire_code: Option<String>,
    /// Server message for API errors, this client's description otherwise.
    pub(crate) message: Option<String>,
    /// The id the server echoed, or else the id this client sent.
    pub(crate) request_id: Option<String>,
    pub(crate) status: Option<u16>,
    /// Where in the payload decoding failed.
    pub(crate) path: Option<String>,
    /// Whether the request may have reached the server; decides whether a
    /// transport failure is safe to retry.
    pub(crate) maybe_sent: bool,
    pub(crate) timeout: Option<Duration>,
    /// The call failed getting its access token, not on its own request.
    pub(crate) login: bool,
    pub(crate) source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

impl ErrorData {
    // Boxed from the start: failures travel through several layers of
    // `Result` on the way out, and the success path should not pay for
    // their size.
    pub(crate) fn new(kind: ErrorKind, message: impl Into<String>) -> Box<Self> {
        Box::new(ErrorData {
            kind,
            action: None,
            wire_code: None,
            message: Some(message.into()),
            request_id: None,
            status: None,
            path: None,
            maybe_sent: true,
            timeout: None,
            login: false,
            source: None,
        })
    }

    pub(crate) fn api(code: Option<String>, message: Option<String>) -> Box<Self> {
        let mut d = ErrorData::new(ErrorKind::Api, String::new());
        d.wire_code = code;
        d.message = message;
        d
    }

    pub(crate) fn with_action(mut self: Box<Self>, action: &'static str) -> Box<Self> {
        self.action = Some(action);
        self
    }

    /// A copy of a failure that several calls wait on (one login shared by
    /// concurrent calls), for each of them; the source is shared.
    pub(crate) fn copy_shared(shared: &Arc<ErrorData>) -> Box<ErrorData> {
        let d = &**shared;
        Box::new(ErrorData {
            kind: d.kind,
            action: d.action,
            wire_code: d.wire_code.clone(),
            message: d.message.clone(),
            request_id: d.request_id.clone(),
            status: d.status,
            path: d.path.clone(),
            maybe_sent: d.maybe_sent,
            timeout: d.timeout,
            login: d.login,
            source: d
                .source
                .as_ref()
                .map(|_| Box::new(SharedSource(Arc::clone(shared))) as _),
        })
    }

    /// Whether the built-in policy considers this failure safe to retry:
    /// only what cannot have been processed, or what the server asked us to
    /// slow down for.
    pub(crate) fn default_retryable(&self) -> bool {
        match self.kind {
            ErrorKind::Transport | ErrorKind::Timeout => !self.maybe_sent,
            ErrorKind::Api => {
                self.status == Some(429) || self.wire_code.as_deref().is_some_and(is_throttling)
            }
            ErrorKind::Status => self.status == Some(429),
            _ => false,
        }
    }
}

/// The source of a shared failure, seen through one of its copies.
struct SharedSource(Arc<ErrorData>);

impl SharedSource {
    fn inner(&self) -> Option<&(dyn std::error::Error + Send + Sync + 'static)> {
        self.0.source.as_deref()
    }
}

impl fmt::Debug for SharedSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.inner() {
            Some(e) => fmt::Debug::fmt(e, f),
            None => f.write_str("None"),
        }
    }
}

impl fmt::Display for SharedSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.inner() {
            Some(e) => fmt::Display::fmt(e, f),
            None => Ok(()),
        }
    }
}

impl std::error::Error for SharedSource {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.inner()?.source()
    }
}

fn is_throttling(code: &str) -> bool {
    code == "RequestLimitExceeded" || code.starts_with("RequestLimitExceeded.")
}

/// A failed call.
///
/// Carries the action, the request id (the one the server echoed, or else
/// the one this client sent), and for API errors the typed code and the
/// server's message. `Display` names all of them and never prints a
/// credential or a request body.
pub struct Error<C> {
    data: Box<ErrorData>,
    code: Option<C>,
}

impl<C: ErrorCodeType> Error<C> {
    pub(crate) fn from_data(data: Box<ErrorData>) -> Self {
        let code = data.wire_code.as_deref().map(C::from);
        Error { data, code }
    }
}

impl<C> Error<C> {
    /// The typed error code, for API errors; `None` for the rare API error
    /// whose envelope has a message but no code.
    pub fn code(&self) -> Option<&C> {
        self.code.as_ref()
    }

    /// The error code exactly as the server sent it, for API errors that
    /// have one.
    pub fn wire_code(&self) -> Option<&str> {
        self.data.wire_code.as_deref()
    }

    /// For API errors the server's message; for other kinds this client's
    /// description of what went wrong (for [`ErrorKind::Status`] a short,
    /// bounded excerpt of the body).
    pub fn message(&self) -> Option<&str> {
        self.data.message.as_deref().filter(|m| !m.is_empty())
    }

    /// The request id the server echoed, or else the one this client sent;
    /// `None` when the call failed before a request was built, and for
    /// [`ErrorKind::Pagination`] errors, which are about several replies.
    pub fn request_id(&self) -> Option<&str> {
        self.data.request_id.as_deref()
    }

    /// The action that failed; `None` for errors from
    /// [`ClientBuilder::build`](crate::ClientBuilder::build).
    pub fn action(&self) -> Option<&str> {
        self.data.action
    }

    /// What kind of failure this is.
    pub fn kind(&self) -> ErrorKind {
        self.data.kind
    }

    /// The HTTP status of the reply, when there was one.
    pub fn status(&self) -> Option<u16> {
        self.data.status
    }

    /// For decode errors, where in the payload decoding failed (a serde
    /// path such as `Devices[0].Online`, relative to the object inside the
    /// envelope, or the envelope member that was wrong).
    pub fn decode_path(&self) -> Option<&str> {
        self.data.path.as_deref()
    }

    /// Whether the call failed getting its access token rather than on its
    /// own request: the login action's own error (its action, code and
    /// request id, so [`action`](Self::action) names the login action), or
    /// a token provider's ([`ErrorKind::Login`]). The call's own request
    /// was not sent, or was refused for its token and not sent again.
    pub fn is_login_failure(&self) -> bool {
        self.data.login
    }

    /// Whether a connect or whole-call timeout elapsed.
    pub fn is_timeout(&self) -> bool {
        self.data.kind == ErrorKind::Timeout
    }

    /// Whether the default [`RetryPolicy`](crate::RetryPolicy) classifier
    /// considers this failure safe to retry: a connection that failed
    /// before the request was sent, HTTP 429, or a `RequestLimitExceeded`
    /// code. The call has already been retried per the client's policy.
    pub fn is_retryable(&self) -> bool {
        self.data.default_retryable()
    }
}

impl<C> fmt::Display for Error<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = &*self.data;
        if let Some(action) = d.action {
            write!(f, "{action} failed: ")?;
        }
        match d.kind {
            ErrorKind::Api => {
                match &d.wire_code {
                    Some(code) => f.write_str(code)?,
                    None => write!(f, "{}", ErrorKind::Api)?,
                }
                if let Some(m) = self.message() {
                    write!(f, ": {m}")?;
                }
            }
            ErrorKind::Status => {
                write!(f, "HTTP {}", d.status.unwrap_or(0))?;
            }
            ErrorKind::Timeout => match d.timeout {
                Some(t) => write!(f, "timed out after {t:?}")?,
                None => f.write_str("timed out")?,
            },
            kind => write!(f, "{kind}")?,
        }
        let mut extras: Vec<String> = Vec::new();
        if let Some(s) = d
            .status
            .filter(|s| d.kind == ErrorKind::Api && !(200..300).contains(s))
        {
            extras.push(format!("HTTP {s}"));
        }
        if let Some(id) = &d.request_id {
            extras.push(format!("request id {id}"));
        }
        if !extras.is_empty() {
            write!(f, " ({})", extras.join(", "))?;
        }
        if d.kind != ErrorKind::Api {
            if let Some(p) = &d.path {
                write!(f, " at `{p}`")?;
            }
            if let Some(m) = self.message() {
                write!(f, ": {m}")?;
            }
        }
        Ok(())
    }
}

impl<C: fmt::Debug> fmt::Debug for Error<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = &*self.data;
        let mut s = f.debug_struct("Error");
        s.field("kind", &d.kind);
        s.field("action", &d.action);
        if let Some(code) = &self.code {
            s.field("code", code);
        }
        s.field("message", &d.message)
            .field("request_id", &d.request_id)
            .field("status", &d.status);
        if d.login {
            s.field("login", &true);
        }
        if let Some(p) = &d.path {
            s.field("path", p);
        }
        if let Some(src) = &d.source {
            s.field("source", src);
        }
        s.finish()
    }
}

impl<C: ErrorCodeType> std::error::Error for Error<C> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.data
            .source
            .as_deref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}

/// The start of a body for an error message: at most `max_chars`
/// characters, cut on a character boundary, on one line.
pub(crate) fn excerpt(body: &[u8], max_chars: usize) -> String {
    // Four bytes per char is the UTF-8 maximum, so this slice always holds
    // `max_chars` characters when the body has them; a char cut in half at
    // the end becomes U+FFFD instead of a panic.
    let head = &body[..body.len().min(max_chars * 4 + 4)];
    let text = String::from_utf8_lossy(head);
    let mut out = String::new();
    let mut last_space = false;
    let mut count = 0;
    let mut truncated = head.len() < body.len();
    for c in text.chars() {
        if count == max_chars {
            truncated = true;
            break;
        }
        let c = if c.is_control() || c.is_whitespace() {
            ' '
        } else {
            c
        };
        if c == ' ' && last_space {
            continue;
        }
        last_space = c == ' ';
        out.push(c);
        count += 1;
    }
    let trimmed = out.trim();
    if truncated {
        format!("{trimmed}…")
    } else {
        trimmed.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpt_is_bounded_and_char_safe() {
        let body = "错".repeat(1000);
        let e = excerpt(body.as_bytes(), 10);
        assert_eq!(e, format!("{}…", "错".repeat(10)));
        // A multi-byte char cut by the byte window must not panic.
        let e = excerpt(&body.as_bytes()[..7], 10);
        assert!(e.starts_with("错错"));
        assert_eq!(
            excerpt(b"<html>\n\n  <body>x</body>\n</html>\n", 100),
            "<html> <body>x</body> </html>"
        );
    }
}
