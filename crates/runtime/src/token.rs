//! Where access tokens come from: [`TokenProvider`], and [`LoginProvider`],
//! the provider the generated crate builds for its login action.
//!
//! A provider only fetches. Caching, reuse until shortly before expiry,
//! sharing one fetch between concurrent calls and fetching again after the
//! server refuses a token are the client's (`session.rs`), so a provider
//! written for tokens obtained elsewhere (a WeChat login, a backend) gets
//! all of that without writing any of it.

use std::error::Error as StdError;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::call::{Limits, execute};
use crate::client::Shared;
use crate::error::{ErrorData, ErrorKind};
use crate::{Operation, Redacted};

/// An access token and, when known, when it stops being valid.
///
/// `Debug` never shows the token itself.
#[derive(Clone, PartialEq, Eq)]
pub struct Token {
    pub(crate) value: String,
    expiry: Option<SystemTime>,
}

impl Token {
    /// How long before its expiry a cached token is replaced.
    ///
    /// Five minutes covers a call in flight (the default whole-call limit is
    /// 30 s) and a client clock a few minutes behind the server's. A token
    /// that arrives with less left than this (or already expired) is still
    /// used by the calls that waited for it, but not reused by later calls.
    pub const REFRESH_MARGIN: Duration = Duration::from_secs(5 * 60);

    /// A token without a known expiry: it is reused until the server
    /// refuses it. An empty token counts as no token (the fetch fails).
    pub fn new(value: impl Into<String>) -> Token {
        Token {
            value: value.into(),
            expiry: None,
        }
    }

    /// The same token, valid until `at`.
    pub fn with_expiry(mut self, at: SystemTime) -> Token {
        self.expiry = Some(at);
        self
    }

    /// The same token, valid until `unix_seconds` (the login reply's
    /// `ExpireAt`); a negative time is taken as already expired.
    pub fn with_unix_expiry(self, unix_seconds: i64) -> Token {
        let since_epoch = Duration::from_secs(u64::try_from(unix_seconds).unwrap_or(0));
        // Past the end of `SystemTime`: as good as never expiring.
        match UNIX_EPOCH.checked_add(since_epoch) {
            Some(at) => self.with_expiry(at),
            None => self,
        }
    }

    /// When the token stops being valid, if known.
    pub fn expiry(&self) -> Option<SystemTime> {
        self.expiry
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Token")
            .field("value", &Redacted)
            .field("expiry", &self.expiry)
            .finish()
    }
}

/// The future a [`TokenProvider`] returns.
pub type TokenFuture<'a> = Pin<Box<dyn Future<Output = Result<Token, TokenError>> + Send + 'a>>;

/// Supplies access tokens to a client's token calls; set one with
/// [`ClientBuilder::token_provider`](crate::ClientBuilder::token_provider).
///
/// The client calls [`fetch_token`](Self::fetch_token) when it has no
/// usable token: on the first token call, when the cached token is within
/// [`Token::REFRESH_MARGIN`] of its expiry, and once after the server
/// refuses a token. Concurrent calls share one fetch, so a provider need not
/// cache or deduplicate anything itself.
///
/// The method returns a boxed future rather than being an `async fn`: an
/// `async fn` in a trait makes the trait unusable as `dyn TokenProvider`
/// (the client stores any provider behind one pointer), and gives no way to
/// require the future to be `Send`, which a client used from many tasks
/// needs.
///
/// ```
/// use iot_explorer_runtime::{Token, TokenContext, TokenFuture, TokenProvider};
///
/// struct FromBackend;
///
/// impl TokenProvider for FromBackend {
///     fn fetch_token<'a>(&'a self, cx: TokenContext<'a>) -> TokenFuture<'a> {
///         Box::pin(async move {
///             // Ask the backend; say when the last token was refused, so
///             // that it does not hand the same one back.
///             let _fresh_needed = cx.after_rejection();
///             Ok(Token::new("token-from-backend").with_unix_expiry(4_102_444_800))
///         })
///     }
/// }
/// ```
pub trait TokenProvider: Send + Sync + 'static {
    /// Fetches a new token. An `Err` fails the calls waiting for it with an
    /// [`ErrorKind::Login`] error that keeps the provider's error as its
    /// source.
    fn fetch_token<'a>(&'a self, cx: TokenContext<'a>) -> TokenFuture<'a>;
}

impl<P: TokenProvider + ?Sized> TokenProvider for Arc<P> {
    fn fetch_token<'a>(&'a self, cx: TokenContext<'a>) -> TokenFuture<'a> {
        (**self).fetch_token(cx)
    }
}

/// What the client tells a [`TokenProvider`] about a fetch.
#[derive(Clone, Copy)]
pub struct TokenContext<'a> {
    pub(crate) shared: &'a Shared,
    /// The connection pool of the call that started the fetch (the blocking
    /// client has its own).
    pub(crate) http: &'a reqwest::Client,
    pub(crate) after_rejection: bool,
}

impl TokenContext<'_> {
    /// Whether the server has just refused the previous token, so that a
    /// cached token of the provider's own must not be handed back.
    pub fn after_rejection(&self) -> bool {
        self.after_rejection
    }
}

impl fmt::Debug for TokenContext<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenContext")
            .field("after_rejection", &self.after_rejection)
            .finish_non_exhaustive()
    }
}

/// Why a [`TokenProvider`] could not supply a token.
///
/// Any `std::error::Error + Send + Sync` converts into it, so `?` works in
/// a provider; [`TokenError::new`] also takes a message. It deliberately
/// does not implement `std::error::Error` itself, which is what makes that
/// blanket conversion possible.
pub struct TokenError(Repr);

enum Repr {
    /// The login action's own failure, kept whole (action, code, request id).
    Call(Box<ErrorData>),
    Provider(Box<dyn StdError + Send + Sync>),
}

impl TokenError {
    /// An error with this cause: another error, or a message (`&str`,
    /// `String`).
    pub fn new(cause: impl Into<Box<dyn StdError + Send + Sync>>) -> TokenError {
        TokenError(Repr::Provider(cause.into()))
    }

    /// The error of the calls that waited for the token; `login` marks it
    /// as a login failure either way.
    pub(crate) fn into_data(self) -> Box<ErrorData> {
        let mut data = match self.0 {
            Repr::Call(data) => data,
            Repr::Provider(cause) => {
                let mut data = ErrorData::new(ErrorKind::Login, cause.to_string());
                data.maybe_sent = false;
                data.source = Some(cause);
                data
            }
        };
        data.login = true;
        data
    }
}

impl<E: StdError + Send + Sync + 'static> From<E> for TokenError {
    fn from(e: E) -> TokenError {
        TokenError::new(e)
    }
}

impl fmt::Debug for TokenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Repr::Call(data) => f.debug_tuple("TokenError").field(data).finish(),
            Repr::Provider(cause) => f.debug_tuple("TokenError").field(cause).finish(),
        }
    }
}

impl fmt::Display for TokenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Repr::Call(data) => {
                let action = data.action.unwrap_or("the login action");
                match (&data.wire_code, &data.message) {
                    (Some(code), _) => write!(f, "{action} failed: {code}"),
                    (None, Some(message)) => write!(f, "{action} failed: {message}"),
                    (None, None) => write!(f, "{action} failed: {}", data.kind),
                }
            }
            Repr::Provider(cause) => fmt::Display::fmt(cause, f),
        }
    }
}

/// The token provider of a login action: a signed call (`AppGetToken`)
/// made through the client that needs the token, whose reply carries the
/// token and its expiry.
///
/// The generated crate builds one from its `Login` type and passes it to
/// [`ClientBuilder::login`](crate::ClientBuilder::login). The request holds
/// the password: it is serialized for the call and never formatted, and the
/// values of the operation's `sensitive` parameters (`Password`) are kept
/// out of the messages of a failed login, as for any call.
pub struct LoginProvider {
    action: &'static str,
    call: Box<dyn LoginCall>,
}

impl LoginProvider {
    /// Logs in by calling `op` (a signed action) with `request`, and takes
    /// the token from the decoded reply with `token`; a reply from which
    /// `token` returns `None` (or an empty token) is an
    /// [`ErrorKind::Login`] error naming `op`.
    pub fn new<Req, Resp>(
        op: &'static Operation,
        request: Req,
        token: fn(&Resp) -> Option<Token>,
    ) -> LoginProvider
    where
        Req: Serialize + Send + Sync + 'static,
        Resp: DeserializeOwned + 'static,
    {
        LoginProvider {
            action: op.action,
            call: Box::new(TypedLogin { op, request, token }),
        }
    }

    /// The login action, e.g. `AppGetToken`.
    pub fn action(&self) -> &'static str {
        self.action
    }
}

impl fmt::Debug for LoginProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LoginProvider")
            .field("action", &self.action)
            .field("request", &Redacted)
            .finish()
    }
}

impl TokenProvider for LoginProvider {
    fn fetch_token<'a>(&'a self, cx: TokenContext<'a>) -> TokenFuture<'a> {
        Box::pin(async move {
            self.call
                .login(cx)
                .await
                .map_err(|data| TokenError(Repr::Call(data)))
        })
    }
}

/// The login call without its request and response types, so that
/// [`LoginProvider`] is one type whatever the login action's types are.
trait LoginCall: Send + Sync {
    fn login<'a>(
        &'a self,
        cx: TokenContext<'a>,
    ) -> Pin<Box<dyn Future<Output = Result<Token, Box<ErrorData>>> + Send + 'a>>;
}

struct TypedLogin<Req, Resp> {
    op: &'static Operation,
    request: Req,
    token: fn(&Resp) -> Option<Token>,
}

impl<Req, Resp> LoginCall for TypedLogin<Req, Resp>
where
    Req: Serialize + Send + Sync + 'static,
    Resp: DeserializeOwned + 'static,
{
    fn login<'a>(
        &'a self,
        cx: TokenContext<'a>,
    ) -> Pin<Box<dyn Future<Output = Result<Token, Box<ErrorData>>> + Send + 'a>> {
        Box::pin(async move {
            let op = self.op;
            let body = crate::client::request_body(cx.shared, op, &self.request)?;
            // Its own whole-call limit: the login is shared by every call
            // waiting for it, and each of those stops waiting at its own.
            let limits = Limits::starting_now(cx.shared);
            let (payload, request_id) = execute(cx.shared, cx.http, op, None, body, limits).await?;
            let reply: Resp = crate::decode::decode(op.action, &request_id, payload.json())?;
            match (self.token)(&reply) {
                Some(token) if !token.value.is_empty() => Ok(token),
                _ => {
                    let mut e = ErrorData::new(ErrorKind::Login, "the reply carries no token")
                        .with_action(op.action);
                    e.request_id = Some(request_id);
                    Err(e)
                }
            }
        })
    }
}
