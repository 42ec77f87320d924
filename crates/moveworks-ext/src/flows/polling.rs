//! Polling until something reaches a final state, within a deadline, on
//! the schedule a [`WaitPolicy`] sets (its docs describe it). Nothing runs
//! in the background: dropping the future stops the polling.

use std::future::Future;
use std::time::Duration;

use tokio::time::Instant;

use crate::config::{LAST_POLL_TIME, WaitPolicy};
use crate::error::{CallSummary, Error};

/// What a poll found.
pub(crate) enum Check<T> {
    /// Final: stop with this value.
    Done(T),
    /// Final and a failure: stop with this error.
    Failed(Error),
    /// Not final yet: poll again.
    Pending(T),
}

/// Why waiting ended without a final state.
#[derive(Debug)]
pub(crate) struct Elapsed<T> {
    /// What the last successful poll saw.
    pub(crate) last: Option<T>,
    pub(crate) waited: Duration,
    pub(crate) polls: u32,
    /// The last poll's error, when the last poll failed.
    pub(crate) last_error: Option<Error>,
}

/// Polls with `poll` until `check` says the result is final, or the
/// deadline passes.
pub(crate) async fn poll_until<T, F, Fut>(
    policy: &WaitPolicy,
    mut poll: F,
    check: impl Fn(T) -> Check<T>,
) -> Result<Result<T, Error>, Elapsed<T>>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, Error>>,
{
    let started = Instant::now();
    let deadline = crate::config::after_tokio(started, policy.total);
    let mut wait = policy.interval.delay(0);
    let mut last = None;
    let mut last_error: Option<Error>;
    let mut polls = 0;
    loop {
        let wake = crate::config::after_tokio(Instant::now(), wait).min(deadline);
        tokio::time::sleep_until(wake).await;
        polls += 1;
        let left = deadline
            .saturating_duration_since(Instant::now())
            .max(LAST_POLL_TIME);
        let mut asked = None;
        match tokio::time::timeout(left, poll()).await {
            Ok(Ok(value)) => match check(value) {
                Check::Done(value) => return Ok(Ok(value)),
                Check::Failed(error) => return Ok(Err(error)),
                Check::Pending(value) => {
                    last = Some(value);
                    last_error = None;
                }
            },
            Ok(Err(error)) if error.is_retryable() => {
                asked = error.retry_after();
                last_error = Some(error);
            }
            Ok(Err(error)) => return Ok(Err(error)),
            // The poll itself ran into the deadline: that is the last
            // poll's error now, not whatever an earlier poll saw.
            Err(_) => last_error = Some(Error::timeout(None, CallSummary::default(), None)),
        }
        if Instant::now() >= deadline {
            return Err(Elapsed {
                last,
                waited: started.elapsed(),
                polls,
                last_error,
            });
        }
        wait = policy.interval.delay(polls).max(asked.unwrap_or_default());
    }
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use super::*;

    fn exact() -> WaitPolicy {
        WaitPolicy::default().jitter(false)
    }

    /// Polls answering `script` in order (the last answer repeats), each
    /// recorded with the time since the start.
    async fn run(
        policy: WaitPolicy,
        script: Vec<Result<&'static str, Error>>,
    ) -> (
        Result<Result<&'static str, Error>, Elapsed<&'static str>>,
        Vec<Duration>,
    ) {
        let start = Instant::now();
        let times = Arc::new(Mutex::new(Vec::new()));
        let script = Arc::new(Mutex::new(script));
        let seen = times.clone();
        let outcome = poll_until(
            &policy,
            || {
                seen.lock().unwrap().push(start.elapsed());
                let mut script = script.lock().unwrap();
                let next = if script.len() > 1 {
                    script.remove(0)
                } else {
                    match &script[0] {
                        Ok(value) => Ok(*value),
                        Err(error) if error.is_retryable() => Err(unavailable(None)),
                        Err(_) => Err(Error::invalid_input("test", "repeat")),
                    }
                };
                async move { next }
            },
            |value| match value {
                "done" => Check::Done(value),
                "failed" => Check::Failed(Error::invalid_input("status", "FAILED")),
                other => Check::Pending(other),
            },
        )
        .await;
        let times = times.lock().unwrap().clone();
        (outcome, times)
    }

    fn millis(times: &[Duration]) -> Vec<u64> {
        times.iter().map(|t| t.as_millis() as u64).collect()
    }

    #[tokio::test(start_paused = true)]
    async fn intervals_grow_by_half_up_to_five_seconds() {
        let script = (0..8).map(|_| Ok("running")).chain([Ok("done")]).collect();
        let (outcome, times) = run(exact(), script).await;
        assert_eq!(outcome.unwrap().unwrap(), "done");
        // 0.5, +0.75, +1.125, +1.6875, +2.53125, +3.796875, +5, +5, +5
        // (the timer rounds each sleep up to the millisecond)
        let expected = [500, 1250, 2375, 4062, 6593, 10390, 15390, 20390, 25390];
        let times = millis(&times);
        assert_eq!(times.len(), expected.len());
        for (time, expected) in times.iter().zip(expected) {
            assert!(time.abs_diff(expected) <= 3, "{times:?}");
        }
    }

    #[tokio::test(start_paused = true)]
    async fn the_deadline_trims_the_last_sleep_and_reports_the_last_state() {
        let policy = exact().total(Duration::from_secs(3));
        let (outcome, times) = run(policy, vec![Ok("running")]).await;
        assert_eq!(millis(&times), [500, 1250, 2375, 3000]);
        let elapsed = outcome.unwrap_err();
        assert_eq!(elapsed.last, Some("running"));
        assert_eq!(elapsed.polls, 4);
        assert_eq!(elapsed.waited, Duration::from_secs(3));
    }

    fn unavailable(retry_after: Option<Duration>) -> Error {
        let call = CallSummary {
            status: Some(http::StatusCode::SERVICE_UNAVAILABLE),
            retry_after,
            attempts: 3,
            ..CallSummary::default()
        };
        Error::api(b"", call)
    }

    #[tokio::test(start_paused = true)]
    async fn retryable_errors_keep_polling_after_the_wait_asked_for() {
        let script = vec![
            Err(unavailable(Some(Duration::from_secs(7)))),
            Err(unavailable(None)),
            Ok("done"),
        ];
        let (outcome, times) = run(exact(), script).await;
        assert_eq!(outcome.unwrap().unwrap(), "done");
        assert_eq!(millis(&times), [500, 7500, 8625]);

        let policy = exact().total(Duration::from_secs(2));
        let (outcome, _) = run(
            policy,
            vec![
                Ok("running"),
                Err(unavailable(None)),
                Err(unavailable(None)),
            ],
        )
        .await;
        let elapsed = outcome.unwrap_err();
        assert_eq!(elapsed.last, Some("running"));
        assert_eq!(
            elapsed.last_error.unwrap().status(),
            Some(http::StatusCode::SERVICE_UNAVAILABLE)
        );
    }

    #[tokio::test(start_paused = true)]
    async fn a_last_poll_cut_by_the_deadline_is_the_last_error() {
        let policy = exact().total(Duration::from_secs(3));
        let mut polls = 0;
        let outcome = poll_until(
            &policy,
            || {
                polls += 1;
                let first = polls == 1;
                async move {
                    if first {
                        Err(unavailable(None))
                    } else {
                        std::future::pending().await
                    }
                }
            },
            |value: &'static str| Check::Pending(value),
        )
        .await;
        let elapsed = outcome.unwrap_err();
        assert_eq!(elapsed.polls, 2);
        assert!(
            elapsed
                .last_error
                .as_ref()
                .is_some_and(|e| e.kind() == crate::error::ErrorKind::Timeout),
            "{:?}",
            elapsed.last_error
        );
    }

    #[tokio::test(start_paused = true)]
    async fn failures_and_errors_not_worth_retrying_end_at_once() {
        let (outcome, times) = run(exact(), vec![Ok("running"), Ok("failed")]).await;
        assert!(matches!(&outcome, Ok(Err(e)) if e.field() == Some("status")));
        assert_eq!(times.len(), 2);

        let (outcome, times) = run(
            exact(),
            vec![Err(Error::invalid_input("id", "404")), Ok("done")],
        )
        .await;
        assert!(matches!(&outcome, Ok(Err(e)) if e.field() == Some("id")));
        assert_eq!(times.len(), 1);
    }

    #[tokio::test(start_paused = true)]
    async fn jitter_only_shortens_intervals() {
        let script = (0..3).map(|_| Ok("running")).chain([Ok("done")]).collect();
        let (_, times) = run(WaitPolicy::default(), script).await;
        let gaps: Vec<u64> = std::iter::once(times[0])
            .chain(times.windows(2).map(|w| w[1] - w[0]))
            .map(|d| d.as_millis() as u64)
            .collect();
        for (gap, full) in gaps.iter().zip([500, 750, 1125, 1687]) {
            assert!(*gap <= full && *gap >= full * 3 / 4, "{gaps:?}");
        }
    }
}
