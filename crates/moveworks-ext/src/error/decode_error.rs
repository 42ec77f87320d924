//! A success status whose body could not be used.

use std::fmt;

use http::StatusCode;

/// A success status whose body could not be used.
#[derive(Debug)]
pub struct DecodeError {
    pub(crate) status: StatusCode,
    pub(crate) request_id: Option<String>,
    pub(crate) attempts: u32,
    pub(crate) kind: DecodeErrorKind,
}

/// Why a body could not be used.
#[derive(Debug)]
#[non_exhaustive]
pub enum DecodeErrorKind {
    /// Not the JSON the spec describes.
    Json(serde_json::Error),
    /// Longer than the client's response size limit.
    #[non_exhaustive]
    TooLarge {
        /// The limit, in bytes.
        limit: usize,
    },
    /// A success status the spec does not document for this operation.
    UndocumentedStatus,
}

impl DecodeError {
    /// The HTTP status (a success).
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// Why the body could not be used.
    pub fn kind(&self) -> &DecodeErrorKind {
        &self.kind
    }

    /// The request id of the answer (its `x-trace-id` or `x-moveworks-root-uuid`).
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// Requests sent, retries included.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            DecodeErrorKind::Json(e) => write!(
                f,
                "the {} response body is not the documented JSON: {e}",
                self.status
            ),
            DecodeErrorKind::TooLarge { limit } => {
                write!(
                    f,
                    "the {} response body exceeds the {limit}-byte limit",
                    self.status
                )
            }
            DecodeErrorKind::UndocumentedStatus => {
                write!(
                    f,
                    "the API answered {}, a status this operation does not document",
                    self.status
                )
            }
        }
    }
}

impl std::error::Error for DecodeError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.kind {
            DecodeErrorKind::Json(e) => Some(e),
            _ => None,
        }
    }
}
