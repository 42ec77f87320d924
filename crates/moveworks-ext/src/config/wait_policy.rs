//! How waiting for a response polls.

use std::time::Duration;

/// The least time the poll at the deadline is given.
pub const LAST_POLL_TIME: Duration = Duration::from_secs(1);

/// How long and how often [`Client::wait_for_response`](crate::Client::wait_for_response)
/// polls.
///
/// The schedule: the first poll about 0.5 s after the start, then
/// intervals growing ×1.5 up to 5 s, each shortened by up to 20% of jitter
/// so that many waiters do not poll in step; the last sleep is trimmed to
/// end at the deadline, where one last poll is made. Each poll is an
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
/// let quick = WaitPolicy::default().deadline(Duration::from_secs(30)).max_interval(Duration::from_secs(2));
/// # let _ = quick;
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct WaitPolicy {
    pub(crate) deadline: Duration,
    pub(crate) first_poll: Duration,
    pub(crate) growth: f64,
    pub(crate) max_interval: Duration,
    pub(crate) jitter: bool,
}

impl Default for WaitPolicy {
    /// 120 s in all (the time the Moveworks docs allow a response to
    /// finish), first poll after 0.5 s, ×1.5 up to 5 s, with jitter.
    fn default() -> Self {
        Self {
            deadline: Duration::from_secs(120),
            first_poll: Duration::from_millis(500),
            growth: 1.5,
            max_interval: Duration::from_secs(5),
            jitter: true,
        }
    }
}

impl WaitPolicy {
    /// How long to wait in all before giving up (default 120 s). This is
    /// separate from the per-call timeouts, which bound each poll.
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = deadline;
        self
    }

    /// The wait before the first poll (default 0.5 s).
    pub fn first_poll(mut self, wait: Duration) -> Self {
        self.first_poll = wait;
        self
    }

    /// The factor each interval grows by (default 1.5; values below 1 are
    /// taken as 1).
    pub fn growth(mut self, factor: f64) -> Self {
        self.growth = if factor.is_finite() {
            factor.max(1.0)
        } else {
            1.0
        };
        self
    }

    /// The longest interval between polls (default 5 s).
    pub fn max_interval(mut self, interval: Duration) -> Self {
        self.max_interval = interval;
        self
    }

    /// Whether to shorten intervals at random by up to 20% (default on).
    pub fn jitter(mut self, jitter: bool) -> Self {
        self.jitter = jitter;
        self
    }

    /// The interval after `interval`.
    pub(crate) fn next_interval(&self, interval: Duration) -> Duration {
        interval.mul_f64(self.growth).min(self.max_interval)
    }

    /// `interval` with this policy's jitter.
    pub(crate) fn jittered(&self, interval: Duration) -> Duration {
        if self.jitter {
            interval.mul_f64(1.0 - fastrand::f64() * 0.2)
        } else {
            interval
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn growth_below_one_is_one() {
        let policy = WaitPolicy::default()
            .growth(0.5)
            .max_interval(Duration::from_secs(9));
        assert_eq!(
            policy.next_interval(Duration::from_secs(2)),
            Duration::from_secs(2)
        );
        assert_eq!(WaitPolicy::default().growth(f64::NAN).growth, 1.0);
    }

    #[test]
    fn each_setter_changes_its_setting_only() {
        let policy = WaitPolicy::default()
            .deadline(Duration::from_secs(7))
            .first_poll(Duration::from_millis(30))
            .max_interval(Duration::from_secs(3));
        assert_eq!(policy.deadline, Duration::from_secs(7));
        assert_eq!(policy.first_poll, Duration::from_millis(30));
        assert_eq!(policy.max_interval, Duration::from_secs(3));
        assert_eq!(policy.growth, WaitPolicy::default().growth);
    }
}
