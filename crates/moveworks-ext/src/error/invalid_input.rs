//! An argument refused before anything was sent.

use std::fmt;

/// An argument refused before anything was sent: an id that would change
/// the request path, blank question text, a page size out of range, an
/// over-long comment, and the like.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidInputError {
    field: &'static str,
    reason: String,
}

impl InvalidInputError {
    pub(crate) fn new(field: &'static str, reason: impl Into<String>) -> Self {
        Self {
            field,
            reason: reason.into(),
        }
    }

    /// The argument, e.g. `conversation_id` or `text`.
    pub fn field(&self) -> &'static str {
        self.field
    }

    /// Why it was refused.
    pub fn reason(&self) -> &str {
        &self.reason
    }
}

impl fmt::Display for InvalidInputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid `{}`: {}", self.field, self.reason)
    }
}

impl std::error::Error for InvalidInputError {}
