//! Whether an attempt is retried, and after how long.

use std::time::Duration;

use super::retry_policy::RetryPolicy;

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

/// Decides whether attempt number `attempt` (1-based), which failed in a
/// retryable way, is retried: the wait before the retry, or `None` to stop
/// and report the last outcome. `asked` is the server's `Retry-After`;
/// `remaining` the time left before the total deadline.
pub(crate) fn decide(
    policy: &RetryPolicy,
    attempt: u32,
    asked: Option<Duration>,
    remaining: Duration,
) -> Option<Duration> {
    if attempt > policy.max_retries {
        return None;
    }
    let wait = match asked {
        Some(wait) if wait > policy.max_retry_after => return None,
        Some(wait) => wait,
        None => policy.backoff(attempt - 1),
    };
    // A wait that ends past the deadline would only end in a timeout.
    (wait < remaining).then_some(wait)
}

#[cfg(test)]
mod tests {
    use super::*;

    const PLENTY: Duration = Duration::from_secs(3600);

    #[test]
    fn stops_after_max_retries_and_on_long_or_late_waits() {
        let policy = RetryPolicy::default().jitter(false);
        assert_eq!(
            decide(&policy, 1, None, PLENTY),
            Some(Duration::from_millis(500))
        );
        assert_eq!(
            decide(&policy, 2, None, PLENTY),
            Some(Duration::from_secs(1))
        );
        assert_eq!(decide(&policy, 3, None, PLENTY), None);
        assert_eq!(
            decide(&policy, 1, Some(Duration::from_secs(60)), PLENTY),
            Some(Duration::from_secs(60))
        );
        assert_eq!(
            decide(&policy, 1, Some(Duration::from_secs(61)), PLENTY),
            None
        );
        assert_eq!(
            decide(&policy, 1, Some(Duration::ZERO), PLENTY),
            Some(Duration::ZERO)
        );
        assert_eq!(
            decide(
                &policy,
                1,
                Some(Duration::from_secs(5)),
                Duration::from_secs(4)
            ),
            None
        );
        assert_eq!(decide(&RetryPolicy::none(), 1, None, PLENTY), None);
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
