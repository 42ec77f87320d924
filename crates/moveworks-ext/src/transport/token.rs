//! The token of an attempt: the one at hand (static, or cached and fresh)
//! without waiting; otherwise fetched within the call's total deadline,
//! with transient failures (an unreachable token endpoint, a 5xx or 429
//! answer) retried under the call's retry policy and budget.

use std::sync::Arc;
use std::time::Instant;

use super::settings::{RequestSettings, Shared};
use crate::auth::{AccessToken, AuthErrorKind, TokenProvider};
use crate::error::{CallStep, CallSummary, Error};

impl Shared {
    /// A token of `provider` to send now, fetched before `deadline` if none
    /// is at hand.
    pub(super) async fn token_until(
        &self,
        provider: &dyn TokenProvider,
        settings: &RequestSettings,
        deadline: Instant,
    ) -> Result<Arc<AccessToken>, Error> {
        if let Some(token) = provider.ready_token() {
            return Ok(token);
        }
        let until = tokio::time::Instant::from_std(deadline);
        let mut retries = 0;
        loop {
            let error = match tokio::time::timeout_at(until, provider.token()).await {
                Ok(Ok(token)) => return Ok(token),
                Ok(Err(error)) => error,
                Err(_) => return Err(token_timeout()),
            };
            if !error.is_retryable() {
                return Err(error.into());
            }
            retries += 1;
            let remaining = deadline.saturating_duration_since(Instant::now());
            let timed_out = error.kind() == AuthErrorKind::TimedOut;
            let wait = match settings.retry.decide(retries, None, remaining) {
                Some(wait) if self.pay_for_retry(timed_out).is_some() => wait,
                // The token endpoint's own limit ran out: a deadline, as any.
                _ if timed_out => return Err(token_timeout()),
                _ => return Err(error.into()),
            };
            tracing::info!(%error, wait_ms = wait.as_millis() as u64, "token request failed; retrying");
            tokio::time::sleep(wait).await;
        }
    }
}

fn token_timeout() -> Error {
    Error::timeout(Some(CallStep::Token), CallSummary::default(), None)
}
