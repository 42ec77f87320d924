//! A deadline passed before an answer arrived.

use std::fmt;

use super::display::{Attempts, MAYBE_PROCESSED};

/// The attempt or total deadline of a call passed before an answer
/// arrived.
#[derive(Debug)]
pub struct TimeoutError {
    source: Option<reqwest::Error>,
    attempts: u32,
    maybe_processed: bool,
}

impl TimeoutError {
    pub(crate) fn new(
        source: Option<reqwest::Error>,
        attempts: u32,
        maybe_processed: bool,
    ) -> Self {
        Self {
            source,
            attempts,
            maybe_processed,
        }
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
}

impl fmt::Display for TimeoutError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "timed out after {}", Attempts(self.attempts))?;
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
