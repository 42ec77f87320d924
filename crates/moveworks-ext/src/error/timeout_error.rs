//! A deadline passed before an answer arrived.

use std::fmt;

use super::display::{Attempts, BUDGET_SPENT, MAYBE_PROCESSED};

/// The step of a call a deadline cut short.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum CallStep {
    /// Getting the access token (from the token endpoint or your
    /// [`TokenProvider`](crate::TokenProvider)).
    Token,
    /// Connecting to the API.
    Connect,
    /// Waiting for the answer's headers (connecting included, when the
    /// HTTP client sets no connect timeout of its own).
    Headers,
    /// Reading the answer's body.
    Body,
}

impl CallStep {
    fn describe(self) -> &'static str {
        match self {
            CallStep::Token => "getting an access token",
            CallStep::Connect => "connecting",
            CallStep::Headers => "waiting for the response headers",
            CallStep::Body => "reading the response body",
        }
    }
}

/// The attempt or total deadline of a call passed before an answer
/// arrived.
#[derive(Debug)]
pub struct TimeoutError {
    source: Option<reqwest::Error>,
    step: Option<CallStep>,
    attempts: u32,
    maybe_processed: bool,
    budget_spent: bool,
}

impl TimeoutError {
    pub(crate) fn new(
        source: Option<reqwest::Error>,
        step: Option<CallStep>,
        attempts: u32,
    ) -> Self {
        Self {
            source,
            step,
            attempts,
            maybe_processed: false,
            budget_spent: false,
        }
    }

    pub(crate) fn with_flags(mut self, maybe_processed: bool, budget_spent: bool) -> Self {
        self.maybe_processed = maybe_processed;
        self.budget_spent = budget_spent;
        self
    }

    /// The step the deadline cut short, when it is known (it is not when
    /// the HTTP client's own timeout fired, or an outer deadline, such as
    /// a wait's, cut the call).
    pub fn step(&self) -> Option<CallStep> {
        self.step
    }

    /// Requests sent, retries included.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// Whether the API may have done the work of a request that is not
    /// idempotent (see [`Error::may_have_been_processed`](crate::Error::may_have_been_processed)).
    pub fn may_have_been_processed(&self) -> bool {
        self.maybe_processed
    }

    /// Whether a retry was not made because the client's retry budget was
    /// spent (see [`RetryBudget`](crate::RetryBudget)).
    pub fn retry_budget_spent(&self) -> bool {
        self.budget_spent
    }
}

impl fmt::Display for TimeoutError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("timed out")?;
        if let Some(step) = self.step {
            write!(f, " {}", step.describe())?;
        }
        if self.attempts > 0 {
            write!(f, " after {}", Attempts(self.attempts))?;
        }
        if self.budget_spent {
            f.write_str(BUDGET_SPENT)?;
        }
        if self.maybe_processed {
            f.write_str(MAYBE_PROCESSED)?;
        }
        Ok(())
    }
}

impl std::error::Error for TimeoutError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source.as_ref().map(|e| e as _)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_the_step_and_what_it_means() {
        let token = TimeoutError::new(None, Some(CallStep::Token), 0);
        assert_eq!(token.to_string(), "timed out getting an access token");
        let body = TimeoutError::new(None, Some(CallStep::Body), 3).with_flags(true, true);
        assert_eq!(
            body.to_string(),
            format!(
                "timed out reading the response body after 3 attempts{BUDGET_SPENT}{MAYBE_PROCESSED}"
            )
        );
        assert!(body.may_have_been_processed() && body.retry_budget_spent());
        assert_eq!(body.step(), Some(CallStep::Body));
    }
}
