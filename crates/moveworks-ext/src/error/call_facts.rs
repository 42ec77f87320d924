//! What the transport saw during one call, for the error it may end in.
//!
//! The generated client's error type loses some facts (an error body that
//! does not decode loses its status; no error says how many attempts were
//! made; a failed token fetch arrives as a string). The transport writes
//! them down as the call goes, and [`from_generated`](super::from_generated)
//! builds the SDK's [`Error`] from both.

use std::time::{Duration, Instant};

use http::{HeaderValue, StatusCode};

use super::sdk_error::Error;
use super::timeout_error::CallStep;

/// Facts about one call.
#[derive(Debug, Default)]
pub(crate) struct CallFacts {
    /// Requests sent.
    pub(crate) attempts: u32,
    /// Status, request id and wait of the last answer.
    pub(crate) status: Option<StatusCode>,
    pub(crate) request_id: Option<HeaderValue>,
    pub(crate) retry_after: Option<Duration>,
    /// A typed failure from before or around sending (token, input).
    /// Boxed: it is rare, and the record is moved in and out of its
    /// task-local slot on every poll of a call.
    pub(crate) failure: Option<Box<Error>>,
    /// The body of the last answer was over this limit.
    pub(crate) too_large: Option<usize>,
    /// A request that is not idempotent failed after it was sent: the API
    /// may have done the work.
    pub(crate) maybe_processed: bool,
    /// When the call started, if it had to wait for a token before it was
    /// sent: the call's deadline counts from then.
    pub(crate) started: Option<Instant>,
    /// The step the last attempt's timeout cut short.
    pub(crate) timeout_step: Option<CallStep>,
    /// A retry was not made because the retry budget was spent.
    pub(crate) budget_spent: bool,
    /// The last attempt ended at a deadline of the SDK's own, not the HTTP
    /// client's: the error the client saw is a placeholder.
    pub(crate) own_timeout: bool,
}

impl CallFacts {
    /// The request id of the last answer, if it had a readable one.
    pub(crate) fn request_id(&self) -> Option<String> {
        self.request_id
            .as_ref()
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    }
}
