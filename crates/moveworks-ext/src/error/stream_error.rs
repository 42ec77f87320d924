//! Why a response stream ended before the response finished.

use std::fmt;
use std::time::Duration;

use moveworks_api::types::Response;

use super::error_code::ErrorCode;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Why a response stream ended before the response was `COMPLETED` or
/// `FAILED`, and what had arrived by then. See [`Error::Stream`](crate::Error::Stream).
#[derive(Debug)]
pub struct StreamError {
    pub(crate) kind: StreamErrorKind,
    pub(crate) conversation_id: String,
    pub(crate) response_id: Option<String>,
    pub(crate) request_id: Option<String>,
    pub(crate) attempts: u32,
    pub(crate) events: u64,
    pub(crate) last_response: Option<Box<Response>>,
    pub(crate) text_so_far: String,
}

/// How a response stream ended early.
///
/// Variants and their fields may be added: match with a `_` arm and `..`.
#[derive(Debug)]
#[non_exhaustive]
pub enum StreamErrorKind {
    /// The API sent an `ERROR` event.
    #[non_exhaustive]
    ErrorEvent {
        /// The error code (unknown codes kept).
        code: ErrorCode,
        /// The error message.
        message: String,
    },
    /// The server ended the stream.
    Closed,
    /// The connection failed (reset, closed mid-chunk, timed out).
    Cut(BoxError),
    /// No event arrived for this long.
    Idle(Duration),
    /// One event was larger than the client's response size limit.
    #[non_exhaustive]
    EventTooLarge {
        /// The limit, in bytes.
        limit: usize,
    },
    /// The answer's text grew past the client's response size limit.
    #[non_exhaustive]
    AnswerTooLarge {
        /// The limit, in bytes.
        limit: usize,
    },
    /// An event that is not what the spec says for its name, or not UTF-8.
    #[non_exhaustive]
    Malformed {
        /// The event name, when the event could be read that far.
        event: Option<String>,
        /// What is wrong with it.
        source: BoxError,
    },
}

impl StreamError {
    /// How the stream ended.
    pub fn kind(&self) -> &StreamErrorKind {
        &self.kind
    }

    /// The conversation the response belongs to.
    pub fn conversation_id(&self) -> &str {
        &self.conversation_id
    }

    /// The response being streamed, if an event named it. With it the
    /// response can still be waited for: see
    /// [`Client::wait_for_streamed_response`](crate::Client::wait_for_streamed_response).
    pub fn response_id(&self) -> Option<&str> {
        self.response_id.as_deref()
    }

    /// The request id of the stream's answer (its `x-trace-id` or `x-moveworks-root-uuid`).
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// Requests sent before the stream started, retries included.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// Events received before the end (duplicates not counted).
    pub fn events(&self) -> u64 {
        self.events
    }

    /// The last response snapshot received (`CREATED` or `IN_PROGRESS`).
    pub fn last_response(&self) -> Option<&Response> {
        self.last_response.as_deref()
    }

    /// The answer's text as far as it arrived (see
    /// [`ResponseStream::text_so_far`](crate::ResponseStream::text_so_far)).
    pub fn text_so_far(&self) -> &str {
        &self.text_so_far
    }
}

impl fmt::Display for StreamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("response stream incomplete: ")?;
        match &self.kind {
            StreamErrorKind::ErrorEvent { code, message } => {
                write!(f, "the API reported {code}: {message}")?
            }
            StreamErrorKind::Closed => f.write_str("the server ended it early")?,
            StreamErrorKind::Cut(source) => write!(f, "the connection failed: {source}")?,
            StreamErrorKind::Idle(idle) => write!(f, "no event for {:.1}s", idle.as_secs_f64())?,
            StreamErrorKind::EventTooLarge { limit } => {
                write!(f, "an event exceeds the {limit}-byte limit")?
            }
            StreamErrorKind::AnswerTooLarge { limit } => {
                write!(f, "the answer's text exceeds the {limit}-byte limit")?
            }
            StreamErrorKind::Malformed { event, source } => write!(
                f,
                "malformed {} event: {source}",
                event.as_deref().unwrap_or("SSE")
            )?,
        }
        write!(f, " (conversation {}", self.conversation_id)?;
        match &self.response_id {
            Some(id) => write!(f, ", response {id}")?,
            None => f.write_str(", response id unknown")?,
        }
        write!(f, ", {} events received", self.events)?;
        if let Some(id) = &self.request_id {
            write!(f, ", request id {id}")?;
        }
        f.write_str(")")
    }
}

impl std::error::Error for StreamError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.kind {
            StreamErrorKind::Cut(source) | StreamErrorKind::Malformed { source, .. } => {
                Some(source.as_ref())
            }
            _ => None,
        }
    }
}
