//! Adding a wait to an instant without overflow. A time limit or token
//! lifetime too long to represent (`Duration::MAX` for "no limit", an
//! `expires_in` of 10^19 seconds from a token endpoint) means "later than
//! this process will run", not a panic.

use std::time::{Duration, Instant};

/// About 30 years, as tokio takes "far future" to be: later than anything
/// the SDK waits for, and always addable to an instant of a running
/// process.
const FAR: Duration = Duration::from_secs(30 * 365 * 24 * 60 * 60);

/// `wait`, or about 30 years when longer: for the HTTP client's own
/// timeouts, which reqwest adds to an instant unchecked.
pub(crate) fn capped(wait: Duration) -> Duration {
    wait.min(FAR)
}

/// `start + wait`, with waits beyond about 30 years taken as 30 years.
pub(crate) fn after(start: Instant, wait: Duration) -> Instant {
    start.checked_add(wait.min(FAR)).unwrap_or(start)
}

/// [`after`] for tokio's clock (which tests may pause).
pub(crate) fn after_tokio(start: tokio::time::Instant, wait: Duration) -> tokio::time::Instant {
    start.checked_add(wait.min(FAR)).unwrap_or(start)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn any_wait_gives_an_instant_and_short_ones_are_exact() {
        let now = Instant::now();
        assert_eq!(
            after(now, Duration::from_secs(5)),
            now + Duration::from_secs(5)
        );
        assert_eq!(after(now, Duration::MAX), now + FAR);
        assert_eq!(
            after(now, Duration::from_secs_f64(1.7586817716104425e19)),
            now + FAR
        );
        let tokio_now = tokio::time::Instant::now();
        assert_eq!(after_tokio(tokio_now, Duration::MAX), tokio_now + FAR);
        assert_eq!(
            after_tokio(tokio_now, Duration::from_millis(3)),
            tokio_now + Duration::from_millis(3)
        );
    }
}
