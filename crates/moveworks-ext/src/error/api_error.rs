//! An answer of the API with a non-success status.

use std::fmt;
use std::time::Duration;

use http::StatusCode;

use super::display::{Attempts, BUDGET_SPENT, MAYBE_PROCESSED};
use super::error_code::ErrorCode;

/// An answer of the API with a non-success status.
#[derive(Debug, Clone)]
pub struct ApiError {
    pub(crate) status: StatusCode,
    pub(crate) code: Option<ErrorCode>,
    pub(crate) message: Option<String>,
    pub(crate) request_id: Option<String>,
    pub(crate) retry_after: Option<Duration>,
    pub(crate) attempts: u32,
    pub(crate) body: String,
    pub(crate) maybe_processed: bool,
    pub(crate) budget_spent: bool,
}

impl ApiError {
    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The API error code (`error.code` of the body), if the body had one.
    pub fn code(&self) -> Option<&ErrorCode> {
        self.code.as_ref()
    }

    /// The API error message (`error.message`), if the body had one.
    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }

    /// The request id Moveworks support uses to trace a request: the
    /// answer's `x-trace-id` or `x-moveworks-root-uuid` header.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// How long the API asked to wait before retrying (`Retry-After` or
    /// `retry-after-ms`).
    pub fn retry_after(&self) -> Option<Duration> {
        self.retry_after
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

    /// The start of the response body (at most 1 KiB, lossily decoded), for
    /// diagnosing answers that are not the API's JSON, such as a proxy's
    /// HTML page. Not part of `Display`.
    pub fn body(&self) -> &str {
        &self.body
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Moveworks API returned {}", self.status)?;
        if let Some(code) = &self.code {
            write!(f, " {code}")?;
        }
        if let Some(message) = &self.message {
            write!(f, ": {message}")?;
        }
        write!(f, " ({}", Attempts(self.attempts))?;
        if let Some(id) = &self.request_id {
            write!(f, ", request id {id}")?;
        }
        if let Some(wait) = self.retry_after {
            write!(f, ", retry after {:.1}s", wait.as_secs_f64())?;
        }
        f.write_str(")")?;
        if self.budget_spent {
            f.write_str(BUDGET_SPENT)?;
        }
        if self.maybe_processed {
            f.write_str(MAYBE_PROCESSED)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn displays_status_code_message_and_request_id() {
        let error = ApiError {
            status: StatusCode::NOT_FOUND,
            code: Some(ErrorCode::parse("NOT_FOUND")),
            message: Some("message does not exist".into()),
            request_id: Some("f3b2".into()),
            retry_after: None,
            attempts: 1,
            body: String::new(),
            maybe_processed: false,
            budget_spent: false,
        };
        assert_eq!(
            error.to_string(),
            "Moveworks API returned 404 Not Found NOT_FOUND: message does not exist (1 attempt, request id f3b2)"
        );
    }
}
