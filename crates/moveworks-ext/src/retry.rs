//! When and how long to wait before trying a request again.
//!
//! Defaults, in line with the Stainless and AWS SDKs: 2 retries; connection
//! errors, timeouts and 408, 429, 500, 502, 503, 504 are retried, no other
//! 4xx; exponential backoff from 0.5 s, doubling, capped at 8 s, with up to
//! 25% jitter; a `Retry-After` of up to 60 s is honoured exactly, a longer
//! one ends the call at once with the wait attached to the error.

use std::time::Duration;

/// Statuses retried by default.
pub(crate) const DEFAULT_RETRY_STATUSES: [u16; 6] = [408, 429, 500, 502, 503, 504];

/// How a client retries.
///
/// ```
/// use std::time::Duration;
/// use moveworks_ext::RetryPolicy;
///
/// let patient = RetryPolicy::default().max_retries(5).max_backoff(Duration::from_secs(20));
/// let never = RetryPolicy::none();
/// # let _ = (patient, never);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    pub(crate) max_retries: u32,
    pub(crate) initial_backoff: Duration,
    pub(crate) max_backoff: Duration,
    pub(crate) max_retry_after: Duration,
    pub(crate) statuses: Vec<u16>,
    pub(crate) jitter: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_retries: 2,
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(8),
            max_retry_after: Duration::from_secs(60),
            statuses: DEFAULT_RETRY_STATUSES.to_vec(),
            jitter: true,
        }
    }
}

impl RetryPolicy {
    /// Never retry.
    pub fn none() -> Self {
        Self {
            max_retries: 0,
            ..Self::default()
        }
    }

    /// Retries after the first attempt (so `n + 1` attempts at most).
    pub fn max_retries(mut self, n: u32) -> Self {
        self.max_retries = n;
        self
    }

    /// The first backoff; each retry doubles it.
    pub fn initial_backoff(mut self, backoff: Duration) -> Self {
        self.initial_backoff = backoff;
        self
    }

    /// The longest backoff.
    pub fn max_backoff(mut self, backoff: Duration) -> Self {
        self.max_backoff = backoff;
        self
    }

    /// The longest `Retry-After` honoured; a longer one fails the call at
    /// once, with the wait in [`Error::retry_after`](crate::Error::retry_after).
    pub fn max_retry_after(mut self, wait: Duration) -> Self {
        self.max_retry_after = wait;
        self
    }

    /// The statuses to retry (default 408, 429, 500, 502, 503, 504).
    pub fn retry_statuses(mut self, statuses: impl IntoIterator<Item = u16>) -> Self {
        self.statuses = statuses.into_iter().collect();
        self
    }

    /// Whether to randomize backoffs (default on; off makes waits exact).
    pub fn jitter(mut self, jitter: bool) -> Self {
        self.jitter = jitter;
        self
    }

    pub(crate) fn retries_status(&self, status: u16) -> bool {
        self.statuses.contains(&status)
    }

    /// The wait before retry number `retry` (0 for the first retry).
    pub(crate) fn backoff(&self, retry: u32) -> Duration {
        let doubled = self
            .initial_backoff
            .saturating_mul(2u32.saturating_pow(retry.min(31)));
        let capped = doubled.min(self.max_backoff);
        if self.jitter {
            capped.mul_f64(1.0 - fastrand::f64() * 0.25)
        } else {
            capped
        }
    }
}

/// The `POST` operations that may be sent twice: submitting the same rating
/// with the same callback id again records nothing new. Every other `POST`
/// creates something (a conversation, a response) and a second request
/// would create a second one.
const RETRY_SAFE_POSTS: [&str; 1] = ["submit-feedback"];

/// Whether sending `operation` twice has the effect of sending it once.
/// A `POST` that an API regeneration adds is taken as not idempotent until
/// it is listed here: a retry that is not made costs less than a duplicate.
pub(crate) fn is_idempotent(operation: &moveworks_api::Operation) -> bool {
    operation.method != "POST" || RETRY_SAFE_POSTS.contains(&operation.id)
}

/// Whether an answer with `status` is worth another attempt. A request
/// that is not idempotent is retried only on 429, which says it was not
/// processed.
pub(crate) fn retries_status(policy: &RetryPolicy, idempotent: bool, status: u16) -> bool {
    policy.retries_status(status) && (idempotent || status == 429)
}

/// Whether an answer with `status` leaves open that the API did the work
/// (a 5xx or a 408 may come after processing; a 4xx rejection does not).
pub(crate) fn may_have_processed(status: u16) -> bool {
    status >= 500 || status == 408
}

/// What to do after an attempt.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Decision {
    /// Try again after this wait.
    RetryAfter(Duration),
    /// Stop and report the last outcome.
    Stop,
}

/// Decides whether attempt number `attempt` (1-based), which failed in a
/// retryable way, is retried, and after how long. `asked` is the server's
/// `Retry-After`; `remaining` the time left before the total deadline.
pub(crate) fn decide(
    policy: &RetryPolicy,
    attempt: u32,
    asked: Option<Duration>,
    remaining: Duration,
) -> Decision {
    if attempt > policy.max_retries {
        return Decision::Stop;
    }
    let wait = match asked {
        Some(wait) if wait > policy.max_retry_after => return Decision::Stop,
        Some(wait) => wait,
        None => policy.backoff(attempt - 1),
    };
    // A wait that ends past the deadline would only end in a timeout.
    if wait >= remaining {
        Decision::Stop
    } else {
        Decision::RetryAfter(wait)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PLENTY: Duration = Duration::from_secs(3600);

    #[test]
    fn backoff_doubles_from_half_a_second_up_to_eight() {
        let policy = RetryPolicy::default().jitter(false);
        let waits: Vec<u64> = (0..7)
            .map(|n| policy.backoff(n).as_millis() as u64)
            .collect();
        assert_eq!(waits, [500, 1000, 2000, 4000, 8000, 8000, 8000]);
        assert_eq!(policy.backoff(u32::MAX), Duration::from_secs(8));
    }

    #[test]
    fn jitter_only_shortens_by_up_to_a_quarter() {
        let policy = RetryPolicy::default();
        for _ in 0..1000 {
            let wait = policy.backoff(1);
            assert!(
                wait <= Duration::from_secs(1) && wait >= Duration::from_millis(750),
                "{wait:?}"
            );
        }
    }

    #[test]
    fn stops_after_max_retries_and_on_long_or_late_waits() {
        let policy = RetryPolicy::default().jitter(false);
        assert_eq!(
            decide(&policy, 1, None, PLENTY),
            Decision::RetryAfter(Duration::from_millis(500))
        );
        assert_eq!(
            decide(&policy, 2, None, PLENTY),
            Decision::RetryAfter(Duration::from_secs(1))
        );
        assert_eq!(decide(&policy, 3, None, PLENTY), Decision::Stop);
        assert_eq!(
            decide(&policy, 1, Some(Duration::from_secs(60)), PLENTY),
            Decision::RetryAfter(Duration::from_secs(60))
        );
        assert_eq!(
            decide(&policy, 1, Some(Duration::from_secs(61)), PLENTY),
            Decision::Stop
        );
        assert_eq!(
            decide(&policy, 1, Some(Duration::ZERO), PLENTY),
            Decision::RetryAfter(Duration::ZERO)
        );
        assert_eq!(
            decide(
                &policy,
                1,
                Some(Duration::from_secs(5)),
                Duration::from_secs(4)
            ),
            Decision::Stop
        );
        assert_eq!(
            decide(&RetryPolicy::none(), 1, None, PLENTY),
            Decision::Stop
        );
    }

    fn operation(id: &str) -> &'static moveworks_api::Operation {
        moveworks_api::Operation::by_id(id).unwrap()
    }

    #[test]
    fn only_creating_posts_are_not_idempotent() {
        for id in [
            "create-conversation",
            "create-response",
            "create-response-stream",
        ] {
            assert!(!is_idempotent(operation(id)), "{id}");
        }
        for id in [
            "list-conversations",
            "get-response",
            "update-conversation",
            "submit-feedback",
        ] {
            assert!(is_idempotent(operation(id)), "{id}");
        }
    }

    #[test]
    fn creating_requests_retry_only_on_429() {
        let policy = RetryPolicy::default();
        for status in [408, 500, 502, 503, 504] {
            assert!(retries_status(&policy, true, status), "{status}");
            assert!(!retries_status(&policy, false, status), "{status}");
        }
        assert!(retries_status(&policy, false, 429));
        assert!(!retries_status(&policy, true, 404));
        assert!(!retries_status(
            &policy.clone().retry_statuses([500]),
            false,
            429
        ));
    }

    #[test]
    fn server_failures_may_have_been_processed_rejections_not() {
        for status in [500, 502, 503, 504, 408] {
            assert!(may_have_processed(status), "{status}");
        }
        for status in [400, 401, 403, 404, 409, 429, 499] {
            assert!(!may_have_processed(status), "{status}");
        }
    }
}
