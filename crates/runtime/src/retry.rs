//! When a failed attempt is tried again, and how long to wait first.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use crate::error::{ErrorData, ErrorKind};

type Classifier = Arc<dyn Fn(&FailedAttempt<'_>) -> bool + Send + Sync>;

/// How a call retries failed attempts.
///
/// Every attempt of one call carries the same `RequestId`, so the server can
/// tell a retry from a new request; signed calls get a fresh `Timestamp`,
/// `Nonce` and `Signature` per attempt, as replay protection expects.
///
/// The default classifier retries only what is safe for any action: a
/// connection that failed before the request was sent, HTTP 429, and the
/// throttling codes `RequestLimitExceeded` and `RequestLimitExceeded.*`.
/// Replace it with [`RetryPolicy::with_classifier`] to retry more (for an
/// action known to be idempotent, say).
///
/// Backoff before retry *n* (1-based) is `initial_backoff * 2^(n-1)`, capped
/// at `max_backoff`, of which a random half is taken off ("equal jitter") so
/// that clients throttled together do not come back together. The client's
/// whole-call timeout also bounds retries: when the next backoff would end
/// after the deadline, the call returns the last error instead of sleeping.
#[derive(Clone)]
pub struct RetryPolicy {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    classifier: Option<Classifier>,
}

impl Default for RetryPolicy {
    /// Three attempts, 200 ms initial backoff, 5 s maximum, default
    /// classifier.
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(5),
            classifier: None,
        }
    }
}

impl RetryPolicy {
    /// Never retry: one attempt per call.
    pub fn none() -> Self {
        RetryPolicy {
            max_attempts: 1,
            ..RetryPolicy::default()
        }
    }

    /// Total attempts per call, the first included; 0 is taken as 1.
    pub fn with_max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// Backoff before the first retry.
    pub fn with_initial_backoff(mut self, backoff: Duration) -> Self {
        self.initial_backoff = backoff;
        self
    }

    /// Upper bound on any single backoff.
    pub fn with_max_backoff(mut self, backoff: Duration) -> Self {
        self.max_backoff = backoff;
        self
    }

    /// Decide retries with `classifier` instead of the default one. It is
    /// asked only when another attempt is allowed; return `true` to retry.
    /// [`FailedAttempt::is_default_retryable`] gives the default answer, so
    /// a classifier can widen or narrow it.
    pub fn with_classifier(
        mut self,
        classifier: impl Fn(&FailedAttempt<'_>) -> bool + Send + Sync + 'static,
    ) -> Self {
        self.classifier = Some(Arc::new(classifier));
        self
    }

    /// Total attempts per call, the first included.
    pub fn max_attempts(&self) -> u32 {
        self.max_attempts
    }

    /// Backoff before the first retry.
    pub fn initial_backoff(&self) -> Duration {
        self.initial_backoff
    }

    /// Upper bound on any single backoff.
    pub fn max_backoff(&self) -> Duration {
        self.max_backoff
    }

    pub(crate) fn should_retry(&self, attempt: &FailedAttempt<'_>) -> bool {
        if attempt.attempt >= self.max_attempts {
            return false;
        }
        match &self.classifier {
            Some(c) => c(attempt),
            None => attempt.is_default_retryable(),
        }
    }

    /// Backoff before retry number `retry` (1 for the first retry).
    pub(crate) fn backoff(&self, retry: u32) -> Duration {
        let exp = retry.saturating_sub(1).min(31);
        let cap = self
            .initial_backoff
            .saturating_mul(1u32 << exp)
            .min(self.max_backoff);
        let half = cap / 2;
        let jitter_nanos = u64::try_from(half.as_nanos()).unwrap_or(u64::MAX);
        half + Duration::from_nanos(fastrand::u64(0..=jitter_nanos))
    }
}

impl fmt::Debug for RetryPolicy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RetryPolicy")
            .field("max_attempts", &self.max_attempts)
            .field("initial_backoff", &self.initial_backoff)
            .field("max_backoff", &self.max_backoff)
            .field(
                "classifier",
                &if self.classifier.is_some() {
                    "custom"
                } else {
                    "default"
                },
            )
            .finish()
    }
}

/// One failed attempt, as shown to a retry classifier.
#[derive(Debug)]
pub struct FailedAttempt<'a> {
    pub(crate) action: &'a str,
    pub(crate) attempt: u32,
    pub(crate) error: &'a ErrorData,
}

impl FailedAttempt<'_> {
    /// The action being called.
    pub fn action(&self) -> &str {
        self.action
    }

    /// Which attempt failed, starting at 1.
    pub fn attempt(&self) -> u32 {
        self.attempt
    }

    /// What kind of failure it was.
    pub fn kind(&self) -> ErrorKind {
        self.error.kind
    }

    /// The HTTP status, when a reply arrived.
    pub fn status(&self) -> Option<u16> {
        self.error.status
    }

    /// The error code as sent on the wire, for API errors.
    pub fn code(&self) -> Option<&str> {
        self.error.wire_code.as_deref()
    }

    /// Whether the request may have reached the server. `false` only when
    /// the connection failed (or its connect timeout elapsed) before
    /// anything was written.
    pub fn may_have_been_sent(&self) -> bool {
        self.error.maybe_sent
    }

    /// What the default classifier answers for this attempt.
    pub fn is_default_retryable(&self) -> bool {
        self.error.default_retryable()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_and_is_capped() {
        let p = RetryPolicy::default()
            .with_initial_backoff(Duration::from_millis(100))
            .with_max_backoff(Duration::from_millis(1000));
        for _ in 0..100 {
            let b1 = p.backoff(1);
            assert!(b1 >= Duration::from_millis(50) && b1 <= Duration::from_millis(100));
            let b3 = p.backoff(3);
            assert!(b3 >= Duration::from_millis(200) && b3 <= Duration::from_millis(400));
            let b40 = p.backoff(40);
            assert!(b40 >= Duration::from_millis(500) && b40 <= Duration::from_millis(1000));
        }
        assert_eq!(RetryPolicy::none().max_attempts(), 1);
        assert_eq!(
            RetryPolicy::default().with_max_attempts(0).max_attempts(),
            1
        );
    }

    #[test]
    fn default_classifier() {
        let check = |data: Box<ErrorData>| {
            RetryPolicy::default().should_retry(&FailedAttempt {
                action: "A",
                attempt: 1,
                error: &data,
            })
        };
        assert!(check(ErrorData::api(
            Some("RequestLimitExceeded".into()),
            None
        )));
        assert!(check(ErrorData::api(
            Some("RequestLimitExceeded.UinLimitExceeded".into()),
            None
        )));
        assert!(!check(ErrorData::api(
            Some("RequestLimitExceededX".into()),
            None
        )));
        assert!(!check(ErrorData::api(Some("InternalError".into()), None)));
        let mut status = ErrorData::new(ErrorKind::Status, "");
        status.status = Some(429);
        assert!(check(status));
        let mut status = ErrorData::new(ErrorKind::Status, "");
        status.status = Some(503);
        assert!(!check(status));
        let mut not_sent = ErrorData::new(ErrorKind::Transport, "");
        not_sent.maybe_sent = false;
        assert!(check(not_sent));
        assert!(!check(ErrorData::new(ErrorKind::Transport, "")));
        assert!(!check(ErrorData::new(ErrorKind::Timeout, "")));
        assert!(!check(ErrorData::new(ErrorKind::Decode, "")));
    }
}
