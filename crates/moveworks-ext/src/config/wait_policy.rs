//! How waiting for a response polls.

use std::time::Duration;

use super::backoff::{Backoff, at_least_one};

/// The least time the poll at the deadline is given.
pub const LAST_POLL_TIME: Duration = Duration::from_secs(1);

/// How long and how often [`Client::wait_for_response`](crate::Client::wait_for_response)
/// polls.
///
/// The schedule: the first poll about 0.5 s after the start, then
/// intervals growing ×1.5 up to 5 s, each shortened by up to a quarter of
/// jitter so that many waiters do not poll in step (the schedule retries
/// back off by too); the last sleep is trimmed to end at the wait's total
/// time, where one last poll is made. Each poll is an
/// ordinary call (with the client's retries), bounded by the time left
/// before the deadline but given at least [`LAST_POLL_TIME`]. A poll that
/// fails in a way worth retrying (a 5xx, a 429, a dropped connection) does
/// not end the wait: the next poll comes after the usual interval, or
/// after the `Retry-After` the API asked for if that is longer. Any other
/// error ends it at once.
///
/// Nothing runs in the background: dropping the future stops the polling.
///
/// ```
/// use std::time::Duration;
/// use moveworks_ext::WaitPolicy;
///
/// let quick = WaitPolicy::default().total(Duration::from_secs(30)).max_interval(Duration::from_secs(2));
/// # let _ = quick;
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct WaitPolicy {
    pub(crate) total: Duration,
    pub(crate) interval: Backoff,
}

impl Default for WaitPolicy {
    /// 120 s in all (the time the Moveworks docs allow a response to
    /// finish), first poll after 0.5 s, ×1.5 up to 5 s, with jitter.
    fn default() -> Self {
        Self {
            total: Duration::from_secs(120),
            interval: Backoff {
                initial: Duration::from_millis(500),
                factor: 1.5,
                max: Duration::from_secs(5),
                jitter: true,
            },
        }
    }
}

impl WaitPolicy {
    /// How long to wait in all before giving up (default 120 s), as
    /// [`Timeouts::total`](crate::Timeouts::total) bounds a call. Each poll
    /// is also bounded by the per-call timeouts.
    pub fn total(mut self, total: Duration) -> Self {
        self.total = total;
        self
    }

    /// The wait before the first poll (default 0.5 s).
    pub fn first_poll(mut self, wait: Duration) -> Self {
        self.interval.initial = wait;
        self
    }

    /// The factor each interval grows by (default 1.5; values below 1 are
    /// taken as 1).
    pub fn growth(mut self, factor: f64) -> Self {
        self.interval.factor = at_least_one(factor);
        self
    }

    /// The longest interval between polls (default 5 s).
    pub fn max_interval(mut self, interval: Duration) -> Self {
        self.interval.max = interval;
        self
    }

    /// Whether to shorten intervals at random by up to a quarter (default
    /// on).
    pub fn jitter(mut self, jitter: bool) -> Self {
        self.interval.jitter = jitter;
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_setter_changes_its_setting_only() {
        let policy = WaitPolicy::default()
            .total(Duration::from_secs(7))
            .first_poll(Duration::from_millis(30))
            .max_interval(Duration::from_secs(3))
            .growth(0.5);
        assert_eq!(policy.total, Duration::from_secs(7));
        assert_eq!(policy.interval.initial, Duration::from_millis(30));
        assert_eq!(policy.interval.max, Duration::from_secs(3));
        assert_eq!(policy.interval.factor, 1.0, "growth below one is one");
        assert!(policy.interval.jitter);
        assert!(!policy.jitter(false).interval.jitter);
    }
}
