//! Where a channel's access token comes from: the client's fixed token, or
//! its session, asked again for every connection.
//!
//! A stream lives for hours or days and its connections come and go; a
//! token taken once at subscribe time would expire under it, and every
//! reconnect after that would subscribe with a token the server refuses.
//! So each connection asks the session (which reuses its token while fresh,
//! as for HTTP calls), and a refusal is handled as `session::send` handles
//! one: the token is forgotten and another fetched, once.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use crate::call::Limits;
use crate::client::Shared;
use crate::credentials::scrub;
use crate::error::{ErrorData, ErrorKind};

/// The tokens of one stream, shared by its task and its handles.
/// How many of the tokens a stream was given it keeps scrubbing.
const KEPT_TOKENS: usize = 16;

pub(crate) struct Tokens {
    source: Source,
    /// Every token the stream has been given: a reply or a broken frame
    /// may quote a token of an earlier connection or of a resent call, not
    /// only the current one. Distinct values only, and the last
    /// [`KEPT_TOKENS`]: a stream that runs for months keeps a bounded list,
    /// and a frame quoting a token that many logins old is not plausible.
    used: Mutex<Vec<Arc<str>>>,
    /// A token was refused since the last fetch: the next one must not be
    /// the provider's cached copy of it (see
    /// [`TokenContext::after_rejection`](crate::TokenContext::after_rejection)),
    /// even when the fetch is a reconnect's rather than a resend's.
    rejected: AtomicBool,
}

enum Source {
    /// `Client::with_access_token` or `ClientBuilder::access_token`: never
    /// fetched again, so a refusal is just the error, as on HTTP.
    Fixed(Arc<str>),
    /// A client built with a token provider (or a login); its `session` is
    /// set.
    Session(Arc<Shared>),
}

impl Tokens {
    /// The tokens of a client with `fixed` as its fixed token, if any;
    /// without one, of its session. A client with neither cannot subscribe.
    pub(crate) fn new(shared: &Arc<Shared>, fixed: Option<&str>) -> Result<Self, Box<ErrorData>> {
        let (source, used) = match (fixed, &shared.session) {
            (Some(token), _) => {
                let token: Arc<str> = Arc::from(token);
                (Source::Fixed(Arc::clone(&token)), vec![token])
            }
            (None, Some(_)) => (Source::Session(Arc::clone(shared)), Vec::new()),
            (None, None) => return Err(missing()),
        };
        Ok(Tokens {
            source,
            used: Mutex::new(used),
            rejected: AtomicBool::new(false),
        })
    }

    fn lock(&self) -> MutexGuard<'_, Vec<Arc<str>>> {
        // Entries are pushed whole, so a poisoned list is a valid one.
        self.used.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// A token for a new connection or a resend of `action`: the fixed one,
    /// or the session's (its cached token while fresh, else a fetch, joined
    /// if one is running). The wait is bounded by the client's timeout, as
    /// an HTTP call's wait for a token is, and its errors are the session's
    /// (a failed login names the login action, a provider's failure
    /// `action`).
    pub(crate) async fn get(
        &self,
        action: &'static str,
        after_rejection: bool,
    ) -> Result<Arc<str>, Box<ErrorData>> {
        let shared = match &self.source {
            Source::Fixed(token) => return Ok(Arc::clone(token)),
            Source::Session(shared) => shared,
        };
        // Set by `new`; kept an error rather than a panic all the same.
        let Some(session) = &shared.session else {
            return Err(missing().with_action(action));
        };
        let after_rejection = self.rejected.swap(false, Ordering::Relaxed) || after_rejection;
        let deadline = Limits::starting_now(shared).deadline;
        let token = session
            .token(shared, &shared.http, action, deadline, after_rejection)
            .await?;
        let mut used = self.lock();
        if !used.iter().any(|t| **t == *token) {
            if used.len() >= KEPT_TOKENS {
                used.remove(0);
            }
            used.push(Arc::clone(&token));
        }
        Ok(token)
    }

    /// Whether `e`, the answer to a frame of `action`, is the server
    /// refusing `token` (one of the session's invalid-token codes) and
    /// another token could help; the session then forgets `token`, unless
    /// it has replaced it already. Always false for a fixed token: there is
    /// no other to fetch.
    pub(crate) fn refused(&self, action: &'static str, token: &str, e: &ErrorData) -> bool {
        let Source::Session(shared) = &self.source else {
            return false;
        };
        let Some(session) = shared.session.as_ref().filter(|s| s.refuses_token(e)) else {
            return false;
        };
        tracing::debug!(
            action,
            code = e.wire_code.as_deref(),
            "channel access token refused; fetching another"
        );
        session.invalidate(token);
        self.rejected.store(true, Ordering::Relaxed);
        true
    }

    /// Takes every token of this stream, and `sensitive`, out of `e`'s
    /// message.
    pub(crate) fn scrub<'a>(
        &self,
        e: &mut ErrorData,
        sensitive: impl IntoIterator<Item = &'a str>,
    ) {
        let used = self.lock();
        let mut secrets: Vec<&str> = used.iter().map(|t| &**t).collect();
        // Pushed one by one: each `&'a str` shortens to the guard's borrow,
        // which `extend` would not do.
        for value in sensitive {
            secrets.push(value);
        }
        scrub(e, secrets);
    }
}

fn missing() -> Box<ErrorData> {
    ErrorData::new(
        ErrorKind::MissingCredentials,
        "no access token; set one with ClientBuilder::access_token or Client::with_access_token, or build the client with ClientBuilder::login or ClientBuilder::token_provider",
    )
}
