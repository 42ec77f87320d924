//! How errors word what several of them say: the attempts made, that a
//! retry budget stopped the retries, and that a request may have been
//! processed.

use std::fmt;

/// `1 attempt`, `3 attempts`.
pub(super) struct Attempts(pub(super) u32);

impl fmt::Display for Attempts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let noun = if self.0 == 1 { "attempt" } else { "attempts" };
        write!(f, "{} {noun}", self.0)
    }
}

/// Appended to an error that was not retried because the retry budget was
/// spent.
pub(super) const BUDGET_SPENT: &str = "; not retried: the client's retry budget is spent";

/// Appended to an error whose request may have been processed.
pub(super) const MAYBE_PROCESSED: &str =
    "; the request may have been processed: check before sending it again";
