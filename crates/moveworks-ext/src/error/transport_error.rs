//! The request could not be sent or its answer not received.

use std::fmt;

use super::display::{Attempts, BUDGET_SPENT, MAYBE_PROCESSED};

/// The request could not be sent or its answer not received: the
/// connection could not be made, or was reset or closed early.
///
/// The HTTP library's own error is the [`source`](std::error::Error::source);
/// what callers branch on is a method here, so that the library can change
/// without changing this type.
#[derive(Debug)]
pub struct TransportError {
    source: reqwest::Error,
    attempts: u32,
    maybe_processed: bool,
    budget_spent: bool,
}

impl TransportError {
    pub(crate) fn new(source: reqwest::Error, attempts: u32) -> Self {
        Self {
            source,
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

    /// Whether the connection could not be made (so nothing was sent).
    pub fn is_connect(&self) -> bool {
        self.source.is_connect()
    }

    /// Whether the connection failed while the answer's body was read.
    pub fn is_body(&self) -> bool {
        self.source.is_body()
    }

    /// Whether another attempt could go differently: not for a request
    /// that could not even be built, a refused redirect or an undecodable
    /// answer.
    pub(crate) fn is_transient(&self) -> bool {
        is_transient(&self.source)
    }
}

/// Connection failures, timeouts and interrupted bodies are worth another
/// attempt; a request the client could not even build, a redirect (which
/// the SDK does not follow) and an undecodable answer are not.
pub(crate) fn is_transient(error: &reqwest::Error) -> bool {
    !(error.is_builder() || error.is_redirect() || error.is_status() || error.is_decode())
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "transport error after {}: {}",
            Attempts(self.attempts),
            self.source
        )?;
        if self.budget_spent {
            f.write_str(BUDGET_SPENT)?;
        }
        if self.maybe_processed {
            f.write_str(MAYBE_PROCESSED)?;
        }
        Ok(())
    }
}

impl std::error::Error for TransportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.source)
    }
}
