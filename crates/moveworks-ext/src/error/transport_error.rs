//! The request could not be sent or its answer not received.

use std::fmt;

use super::display::{Attempts, MAYBE_PROCESSED};

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
}

impl TransportError {
    pub(crate) fn new(source: reqwest::Error, attempts: u32, maybe_processed: bool) -> Self {
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

    /// Whether the connection could not be made (so nothing was sent).
    pub fn is_connect(&self) -> bool {
        self.source.is_connect()
    }

    /// Whether the connection failed while the answer's body was read.
    pub fn is_body(&self) -> bool {
        self.source.is_body()
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "transport error after {}: {}",
            Attempts(self.attempts),
            self.source
        )?;
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
