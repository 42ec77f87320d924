//! The one exponential schedule behind both waits of the crate: the backoff
//! between retries ([`RetryPolicy`](crate::RetryPolicy)) and the interval
//! between polls ([`WaitPolicy`]). Each step multiplies the wait by
//! `factor`, up to `max`; with jitter, each wait is shortened at random by
//! up to a quarter, so that many callers do not act in step.

use std::time::Duration;

/// An exponential schedule of waits.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Backoff {
    pub(crate) initial: Duration,
    pub(crate) factor: f64,
    pub(crate) max: Duration,
    pub(crate) jitter: bool,
}

impl Backoff {
    /// The wait before step `step` (0 for the first).
    pub(crate) fn delay(&self, step: u32) -> Duration {
        let grown = self.factor.powi(step.min(64) as i32);
        let wait = Duration::try_from_secs_f64(self.initial.as_secs_f64() * grown)
            .unwrap_or(self.max)
            .min(self.max);
        if self.jitter {
            wait.mul_f64(1.0 - fastrand::f64() * 0.25)
        } else {
            wait
        }
    }
}

/// A growth factor below 1 (or not a number) is 1: waits never shrink.
pub(crate) fn at_least_one(factor: f64) -> f64 {
    if factor.is_finite() {
        factor.max(1.0)
    } else {
        1.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exact(initial_ms: u64, factor: f64, max_ms: u64) -> Backoff {
        Backoff {
            initial: Duration::from_millis(initial_ms),
            factor,
            max: Duration::from_millis(max_ms),
            jitter: false,
        }
    }

    #[test]
    fn grows_by_its_factor_up_to_its_cap() {
        let doubling = exact(500, 2.0, 8000);
        let waits: Vec<u128> = (0..7).map(|n| doubling.delay(n).as_millis()).collect();
        assert_eq!(waits, [500, 1000, 2000, 4000, 8000, 8000, 8000]);
        assert_eq!(doubling.delay(u32::MAX), Duration::from_secs(8));
        let polls = exact(500, 1.5, 5000);
        let waits: Vec<u128> = (0..4).map(|n| polls.delay(n).as_millis()).collect();
        assert_eq!(waits, [500, 750, 1125, 1687]);
        assert_eq!(exact(500, 1.0, 5000).delay(40), Duration::from_millis(500));
    }

    #[test]
    fn jitter_only_shortens_by_up_to_a_quarter() {
        let jittered = Backoff {
            jitter: true,
            ..exact(1000, 2.0, 8000)
        };
        for _ in 0..1000 {
            let wait = jittered.delay(0);
            assert!(
                wait <= Duration::from_secs(1) && wait >= Duration::from_millis(750),
                "{wait:?}"
            );
        }
    }

    #[test]
    fn factors_below_one_are_one() {
        assert_eq!(at_least_one(0.5), 1.0);
        assert_eq!(at_least_one(f64::NAN), 1.0);
        assert_eq!(at_least_one(f64::INFINITY), 1.0);
        assert_eq!(at_least_one(1.5), 1.5);
    }
}
