//! What a successful call says about itself.

use http::{HeaderMap, StatusCode};

use crate::transport::headers::request_id;

/// A call's result with how the call went; see
/// [`Client::call_with_metadata`](crate::Client::call_with_metadata).
///
/// Fields may be added: read them, or destructure with `..`.
///
/// ```
/// # fn demo(answer: moveworks_ext::WithMetadata<u8>) {
/// let moveworks_ext::WithMetadata { value, metadata, .. } = answer;
/// # let _ = (value, metadata);
/// # }
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct WithMetadata<T> {
    /// The decoded result.
    pub value: T,
    /// How the call went.
    pub metadata: CallMetadata,
}

impl<T> WithMetadata<T> {
    /// The decoded result, without the metadata.
    pub fn into_value(self) -> T {
        self.value
    }
}

/// How a successful call went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallMetadata {
    pub(super) status: StatusCode,
    pub(super) headers: HeaderMap,
    pub(super) attempts: u32,
}

impl CallMetadata {
    /// The status of the answer.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The headers of the answer (rate-limit headers, for one).
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The request id of the answer (its `x-trace-id` or
    /// `x-moveworks-root-uuid`), if it had a readable one.
    pub fn request_id(&self) -> Option<&str> {
        request_id(&self.headers).and_then(|v| v.to_str().ok())
    }

    /// Requests sent, retries included.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }
}
