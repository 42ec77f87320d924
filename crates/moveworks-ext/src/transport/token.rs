//! Getting the token of a call that has none at hand: within the call's
//! total deadline, with transient failures (an unreachable token endpoint,
//! a 5xx or 429 answer) retried under the call's retry policy and budget.

use std::sync::Arc;
use std::time::{Duration, Instant};

use super::middleware::SdkMiddleware;
use super::retry_decision::{Decision, decide};
use crate::auth::{AccessToken, AuthErrorKind};
use crate::error::{CallStep, Error, TimeoutError};

impl SdkMiddleware {
    /// A token for a call that started at `started`.
    pub(super) async fn token_within_deadline(
        &self,
        started: Instant,
    ) -> Result<Arc<AccessToken>, Error> {
        let deadline = crate::config::after(started, self.settings.timeouts.total);
        let mut retries = 0;
        loop {
            let remaining = deadline.saturating_duration_since(Instant::now());
            let error = match tokio::time::timeout(remaining, self.shared.provider.token()).await {
                Ok(Ok(token)) => return Ok(token),
                Ok(Err(error)) => error,
                Err(_) => return Err(token_timeout()),
            };
            if !error.is_retryable() {
                return Err(Error::Auth(error));
            }
            retries += 1;
            let remaining = deadline.saturating_duration_since(Instant::now());
            let timed_out = error.kind() == AuthErrorKind::TimedOut;
            let wait = match decide(&self.settings.retry, retries, None, remaining) {
                Decision::RetryAfter(wait) if self.pay_for_retry(timed_out).is_some() => wait,
                // The token endpoint's own limit ran out: a deadline, as any.
                _ if timed_out => return Err(token_timeout()),
                _ => return Err(Error::Auth(error)),
            };
            tracing::info!(%error, wait_ms = wait.as_millis() as u64, "token request failed; retrying");
            tokio::time::sleep(wait).await;
        }
    }

    /// A token after the API refused the one sent (401), within what is
    /// left of the call: `Ok(None)` when none can be had.
    pub(super) async fn fresh_token(
        &self,
        remaining: Duration,
        sent: Option<&http::HeaderValue>,
    ) -> Result<Option<Arc<AccessToken>>, Error> {
        let provider = &self.shared.provider;
        let refresh = async {
            if let Ok(current) = provider.token().await
                && Some(current.header()) == sent
            {
                provider.invalidate(&current);
            }
            provider.token().await
        };
        match tokio::time::timeout(remaining, refresh).await {
            Ok(Ok(fresh)) => Ok(Some(fresh)),
            Ok(Err(error)) => {
                tracing::warn!(%error, "401 answered and the token could not be refreshed");
                Ok(None)
            }
            Err(_) => Err(token_timeout()),
        }
    }

    /// Takes what a retry costs from the budget (`after_timeout`: of a
    /// timeout): the tokens taken (0 without a budget), or `None` when the
    /// budget cannot pay.
    pub(super) fn pay_for_retry(&self, after_timeout: bool) -> Option<u32> {
        match &self.shared.budget {
            Some(bucket) => bucket.withdraw(after_timeout),
            None => Some(0),
        }
    }
}

fn token_timeout() -> Error {
    Error::Timeout(TimeoutError::new(None, Some(CallStep::Token), 0))
}
