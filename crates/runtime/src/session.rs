//! Token calls of a client with a [`TokenProvider`]: the cached token, one
//! fetch shared by concurrent calls, and the one resend after the server
//! refuses a token.
//!
//! A fetch runs as a task of its own rather than inside the call that
//! started it: the calls waiting for it have their own deadlines, and one of
//! them giving up (or being dropped) must not cancel the login the others
//! wait for. Its result is broadcast on a `watch` channel, failures
//! included, so that N calls waiting on a login with a wrong password cause
//! one failed login, not N (a login action may lock the account).

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::SystemTime;

use tokio::sync::watch;
use tokio::time::Instant;
use tracing::Instrument as _;

use crate::body::Body;
use crate::call::{Limits, execute};
use crate::client::Shared;
use crate::error::{ErrorData, ErrorKind};
use crate::payload::Payload;
use crate::token::{Token, TokenContext, TokenProvider};
use crate::{Auth, Operation};

/// The outcome of one fetch, as every waiter sees it.
type Fetched = Result<Arc<str>, Arc<ErrorData>>;

/// The token state of a client and all its clones.
pub(crate) struct Session {
    provider: Arc<dyn TokenProvider>,
    /// API error codes that mean "this token is not (or no longer) valid".
    invalid_codes: &'static [&'static str],
    state: Mutex<State>,
}

enum State {
    Empty,
    Ready {
        token: Arc<str>,
        /// `None`: no known expiry, reused until refused.
        fresh_until: Option<Instant>,
    },
    Fetching(watch::Receiver<Option<Fetched>>),
}

impl Session {
    pub(crate) fn new(
        provider: Arc<dyn TokenProvider>,
        invalid_codes: &'static [&'static str],
    ) -> Session {
        Session {
            provider,
            invalid_codes,
            state: Mutex::new(State::Empty),
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // Every update replaces the state whole, so a poisoned one is valid.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Whether `e` says the token was refused.
    pub(crate) fn refuses_token(&self, e: &ErrorData) -> bool {
        e.kind == ErrorKind::Api
            && e.wire_code
                .as_deref()
                .is_some_and(|code| self.invalid_codes.contains(&code))
    }

    /// Forgets `token` after the server refused it, unless it was replaced
    /// already (by a concurrent call that was refused first).
    pub(crate) fn invalidate(&self, token: &str) {
        let mut state = self.lock();
        if matches!(&*state, State::Ready { token: t, .. } if **t == *token) {
            *state = State::Empty;
        }
    }

    /// A token for a call of `action` that must have it by `deadline`: the
    /// cached one while fresh, or the result of a fetch, joined if one is
    /// running and started otherwise. `after_rejection` is passed to a
    /// fetch this starts.
    pub(crate) async fn token(
        &self,
        shared: &Arc<Shared>,
        http: &reqwest::Client,
        action: &'static str,
        deadline: Instant,
        after_rejection: bool,
    ) -> Result<Arc<str>, Box<ErrorData>> {
        let mut fetch = {
            let mut state = self.lock();
            match &*state {
                State::Ready { token, fresh_until }
                    if fresh_until.is_none_or(|until| Instant::now() < until) =>
                {
                    return Ok(Arc::clone(token));
                }
                State::Fetching(rx) => rx.clone(),
                State::Ready { .. } | State::Empty => {
                    let (tx, rx) = watch::channel(None);
                    *state = State::Fetching(rx.clone());
                    let pending = Pending {
                        shared: Arc::clone(shared),
                        tx: Some(tx),
                    };
                    let span = tracing::info_span!("iot_explorer.token", after_rejection);
                    let task =
                        pending.run(http.clone(), Arc::clone(&self.provider), after_rejection);
                    tokio::spawn(task.instrument(span));
                    rx
                }
            }
        };
        let outcome = match tokio::time::timeout_at(deadline, fetch.wait_for(Option::is_some)).await
        {
            Ok(Ok(outcome)) => outcome.clone(),
            Ok(Err(_closed)) => None,
            Err(_elapsed) => {
                let mut e = ErrorData::new(
                    ErrorKind::Timeout,
                    "no access token within the whole-call limit (the login goes on for later calls)",
                )
                .with_action(action);
                e.timeout = Some(shared.settings.timeout);
                e.maybe_sent = false;
                e.login = true;
                return Err(e);
            }
        };
        match outcome {
            Some(Ok(token)) => Ok(token),
            Some(Err(failure)) => {
                let mut e = ErrorData::copy_shared(&failure);
                // A provider's own failure names no action; the login
                // action's does.
                e.action.get_or_insert(action);
                Err(e)
            }
            // `Pending` always sends before it goes; not reached.
            None => {
                let mut e =
                    ErrorData::new(ErrorKind::Login, "the token fetch ended without a result")
                        .with_action(action);
                e.login = true;
                Err(e)
            }
        }
    }
}

/// A running fetch: it stores and sends its outcome exactly once, even if
/// the provider panics (then as an error).
struct Pending {
    shared: Arc<Shared>,
    tx: Option<watch::Sender<Option<Fetched>>>,
}

impl Pending {
    async fn run(
        mut self,
        http: reqwest::Client,
        provider: Arc<dyn TokenProvider>,
        after_rejection: bool,
    ) {
        let cx = TokenContext {
            shared: &self.shared,
            http: &http,
            after_rejection,
        };
        let fetched = provider.fetch_token(cx).await;
        let outcome = match fetched {
            Ok(token) if !token.value.is_empty() => {
                let fresh_until = fresh_until(token.expiry());
                tracing::debug!(expires = token.expiry().is_some(), "got an access token");
                Ok((Arc::from(token.value), fresh_until))
            }
            Ok(_) => {
                let mut e = ErrorData::new(
                    ErrorKind::Login,
                    "the token provider returned an empty token",
                );
                e.login = true;
                e.maybe_sent = false;
                Err(e)
            }
            Err(e) => {
                let e = e.into_data();
                tracing::debug!(kind = %e.kind, code = e.wire_code.as_deref(), "could not get an access token");
                Err(e)
            }
        };
        self.finish(outcome);
    }

    fn finish(&mut self, outcome: Result<(Arc<str>, Option<Instant>), Box<ErrorData>>) {
        let Some(tx) = self.tx.take() else { return };
        let Some(session) = self.shared.session.as_ref() else {
            return;
        };
        let fetched = {
            let mut state = session.lock();
            match outcome {
                Ok((token, fresh_until)) => {
                    *state = State::Ready {
                        token: Arc::clone(&token),
                        fresh_until,
                    };
                    Ok(token)
                }
                // Not cached: the next call tries again.
                Err(e) => {
                    *state = State::Empty;
                    Err(Arc::from(e))
                }
            }
        };
        tx.send_replace(Some(fetched));
    }
}

impl Drop for Pending {
    fn drop(&mut self) {
        // Only when `run` did not finish: the provider panicked, or the
        // runtime dropped the task.
        if self.tx.is_some() {
            let mut e = ErrorData::new(
                ErrorKind::Login,
                "the token provider stopped without a result (it panicked, or its runtime shut down)",
            );
            e.login = true;
            e.maybe_sent = false;
            self.finish(Err(e));
        }
    }
}

/// Until when a token that expires at `expiry` is reused, on the runtime's
/// clock: the wall-clock expiry is read once, so that a later change of the
/// system clock does not stretch or cut a token's use.
fn fresh_until(expiry: Option<SystemTime>) -> Option<Instant> {
    let left = expiry?
        .duration_since(SystemTime::now())
        .unwrap_or_default()
        .saturating_sub(Token::REFRESH_MARGIN);
    // Too far away to represent: as good as no expiry.
    Instant::now().checked_add(left)
}

/// One call: with the session's token for a token call of a client that has
/// a session and no fixed token, as [`execute`] otherwise.
///
/// A refused token (one of the session's invalid-token codes) ends that
/// request's attempts at once: retrying with the same token cannot help. The
/// token is then forgotten, a token is fetched again (shared with any other
/// call refused meanwhile) and the request is sent once more, as a new
/// request with its own request id and the retry policy's full attempts; a
/// second refusal is returned. The whole-call limit covers all of it: the
/// wait for a token, both requests and their retries.
pub(crate) async fn send(
    shared: &Arc<Shared>,
    http: &reqwest::Client,
    op: &'static Operation,
    fixed_token: Option<&str>,
    body: Body,
) -> Result<(Payload, String), Box<ErrorData>> {
    let limits = Limits::starting_now(shared);
    let session = match (&shared.session, op.auth, fixed_token) {
        (Some(session), Auth::AccessToken, None) => session,
        _ => return execute(shared, http, op, fixed_token, body, limits).await,
    };
    // A fetch is spawned; outside a runtime that would panic.
    crate::call::require_runtime(op)?;
    let limits = Limits {
        final_codes: session.invalid_codes,
        ..limits
    };
    let token = session
        .token(shared, http, op.action, limits.deadline, false)
        .await?;
    let resend = body.clone();
    match execute(shared, http, op, Some(&token), body, limits).await {
        Err(e) if session.refuses_token(&e) => {
            tracing::debug!(
                action = op.action,
                code = e.wire_code.as_deref(),
                "access token refused; fetching another"
            );
            session.invalidate(&token);
            let token = session
                .token(shared, http, op.action, limits.deadline, true)
                .await?;
            execute(shared, http, op, Some(&token), resend, limits).await
        }
        other => other,
    }
}
