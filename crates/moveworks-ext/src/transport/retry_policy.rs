//! When and how long to wait before trying a request again.
//!
//! Defaults, in line with the Stainless and AWS SDKs: 2 retries; connection
//! errors, timeouts and 408, 429, 500, 502, 503, 504 are retried, no other
//! 4xx; exponential backoff from 0.5 s, doubling, capped at 8 s, with up to
//! 25% jitter; a `Retry-After` of up to 60 s is honoured exactly, a longer
//! one ends the call at once with the wait attached to the error.

use std::time::Duration;

use crate::config::{Backoff, DEFAULT_RETRY_STATUSES};

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
#[derive(Debug, Clone, PartialEq)]
pub struct RetryPolicy {
    pub(crate) max_retries: u32,
    pub(crate) backoff: Backoff,
    pub(crate) max_retry_after: Duration,
    pub(crate) statuses: Vec<u16>,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_retries: 2,
            backoff: Backoff {
                initial: Duration::from_millis(500),
                factor: 2.0,
                max: Duration::from_secs(8),
                jitter: true,
            },
            max_retry_after: Duration::from_secs(60),
            statuses: DEFAULT_RETRY_STATUSES.to_vec(),
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
        self.backoff.initial = backoff;
        self
    }

    /// The longest backoff.
    pub fn max_backoff(mut self, backoff: Duration) -> Self {
        self.backoff.max = backoff;
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
        self.backoff.jitter = jitter;
        self
    }

    /// Whether an answer with `status` is worth another attempt. A request
    /// that is not idempotent is retried only on 429, which says it was not
    /// processed.
    pub(crate) fn retries_status(&self, idempotent: bool, status: u16) -> bool {
        self.statuses.contains(&status) && (idempotent || status == 429)
    }

    /// Decides whether attempt number `attempt` (1-based), which failed in a
    /// retryable way, is retried: the wait before the retry, or `None` to
    /// stop and report the last outcome. `asked` is the server's
    /// `Retry-After`; `remaining` the time left before the total deadline.
    pub(crate) fn decide(
        &self,
        attempt: u32,
        asked: Option<Duration>,
        remaining: Duration,
    ) -> Option<Duration> {
        if attempt > self.max_retries {
            return None;
        }
        let wait = match asked {
            Some(wait) if wait > self.max_retry_after => return None,
            Some(wait) => wait,
            None => self.backoff.delay(attempt - 1),
        };
        // A wait that ends past the deadline would only end in a timeout.
        (wait < remaining).then_some(wait)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_from_half_a_second_up_to_eight() {
        let policy = RetryPolicy::default().jitter(false);
        let waits: Vec<u64> = (0..7)
            .map(|n| policy.backoff.delay(n).as_millis() as u64)
            .collect();
        assert_eq!(waits, [500, 1000, 2000, 4000, 8000, 8000, 8000]);
        assert_eq!(policy.backoff.delay(u32::MAX), Duration::from_secs(8));
    }

    #[test]
    fn the_caps_can_be_set() {
        let policy = RetryPolicy::default()
            .jitter(false)
            .initial_backoff(Duration::from_millis(100))
            .max_backoff(Duration::from_millis(250))
            .max_retry_after(Duration::from_secs(5));
        assert_eq!(policy.backoff.delay(0), Duration::from_millis(100));
        assert_eq!(policy.backoff.delay(5), Duration::from_millis(250));
        let plenty = Duration::from_secs(3600);
        let asked = |secs| policy.decide(1, Some(Duration::from_secs(secs)), plenty);
        assert_eq!(asked(5), Some(Duration::from_secs(5)));
        assert_eq!(asked(6), None, "longer than the cap");
    }

    const PLENTY: Duration = Duration::from_secs(3600);

    #[test]
    fn stops_after_max_retries_and_on_long_or_late_waits() {
        let policy = RetryPolicy::default().jitter(false);
        assert_eq!(
            policy.decide(1, None, PLENTY),
            Some(Duration::from_millis(500))
        );
        assert_eq!(policy.decide(2, None, PLENTY), Some(Duration::from_secs(1)));
        assert_eq!(policy.decide(3, None, PLENTY), None);
        assert_eq!(
            policy.decide(1, Some(Duration::from_secs(60)), PLENTY),
            Some(Duration::from_secs(60))
        );
        assert_eq!(
            policy.decide(1, Some(Duration::from_secs(61)), PLENTY),
            None
        );
        assert_eq!(
            policy.decide(1, Some(Duration::ZERO), PLENTY),
            Some(Duration::ZERO)
        );
        assert_eq!(
            policy.decide(1, Some(Duration::from_secs(5)), Duration::from_secs(4)),
            None
        );
        assert_eq!(RetryPolicy::none().decide(1, None, PLENTY), None);
    }

    #[test]
    fn creating_requests_retry_only_on_429() {
        let policy = RetryPolicy::default();
        for status in [408, 500, 502, 503, 504] {
            assert!(policy.retries_status(true, status), "{status}");
            assert!(!policy.retries_status(false, status), "{status}");
        }
        assert!(policy.retries_status(false, 429));
        assert!(!policy.retries_status(true, 404));
        assert!(
            !policy
                .clone()
                .retry_statuses([500])
                .retries_status(false, 429)
        );
    }
}
