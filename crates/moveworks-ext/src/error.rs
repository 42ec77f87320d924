//! The one error type of the SDK.
//!
//! Every failure of a call is an [`Error`]; for any HTTP answer the status
//! is kept whatever the body was (the API's JSON, empty, a proxy's HTML,
//! truncated), together with the API error code and message when the body
//! has them, the request id, `Retry-After` and the number of attempts.

use std::fmt;
use std::time::Duration;

use reqwest::StatusCode;

use moveworks_api::types::{Response, ResponseStatus};

use crate::auth::AuthError;
use crate::config::ConfigError;
use crate::pagination::PaginationError;
use crate::stream::{StreamError, StreamErrorKind};

/// A failed call.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The API answered with a status that is not a success.
    Api(ApiError),
    /// The request could not be sent or the response not received: the
    /// connection failed, was reset or closed early.
    Transport {
        /// What went wrong underneath.
        source: reqwest::Error,
        /// Requests sent, retries included.
        attempts: u32,
        /// See [`Error::may_have_been_processed`].
        maybe_processed: bool,
    },
    /// The attempt or total deadline passed before an answer arrived.
    Timeout {
        /// Requests sent, retries included.
        attempts: u32,
        /// The underlying error, when the HTTP client reported it.
        source: Option<reqwest::Error>,
        /// See [`Error::may_have_been_processed`].
        maybe_processed: bool,
    },
    /// A success status whose body is not what the spec says, or larger
    /// than the configured limit.
    Decode(DecodeError),
    /// The client is misconfigured (see [`ConfigError`]).
    Config(ConfigError),
    /// No usable access token (see [`AuthError`]).
    Auth(AuthError),
    /// An argument was refused before anything was sent.
    InvalidInput {
        /// Which argument.
        field: &'static str,
        /// Why it was refused.
        reason: String,
    },
    /// The assistant could not produce the response: its status is
    /// `FAILED`. The response is kept whole.
    ResponseFailed(Box<Response>),
    /// Waiting for a response passed its deadline before the response was
    /// `COMPLETED` or `FAILED`. The work goes on at the API; the response
    /// can still be fetched or waited for again.
    WaitTimeout {
        /// The response waited for.
        response_id: String,
        /// The status the last successful poll saw (`None` if no poll
        /// succeeded).
        last_status: Option<ResponseStatus>,
        /// How long the wait lasted.
        waited: Duration,
        /// Polls made.
        polls: u32,
        /// The last poll's error, if the last poll failed.
        last_error: Option<Box<Error>>,
    },
    /// A list walk stopped before the end of the list.
    Pagination(PaginationError),
    /// A response stream ended before the response was `COMPLETED` or
    /// `FAILED`: an `ERROR` event, the server closing it, a cut
    /// connection, no event for the idle timeout, or an oversized or
    /// malformed event. The response may still finish at the API: wait for
    /// it with [`Client::finish_streamed`](crate::Client::finish_streamed)
    /// rather than streaming again, which would send the message twice.
    Stream(Box<StreamError>),
}

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

    /// The `x-moveworks-root-uuid` response header, which Moveworks support
    /// uses to trace a request.
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

    /// The start of the response body (at most 1 KiB, lossily decoded), for
    /// diagnosing answers that are not the API's JSON, such as a proxy's
    /// HTML page. Not part of `Display`.
    pub fn body(&self) -> &str {
        &self.body
    }
}

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
}

/// An API error code. Codes Moveworks documents are variants; any other is
/// kept as [`ErrorCode::Unknown`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorCode {
    /// `INVALID_REQUEST`: the request is malformed or refers to something
    /// that does not accept it.
    InvalidRequest,
    /// `INVALID_INPUT`: a field of the request (a title, the input text) is
    /// missing or not acceptable.
    InvalidInput,
    /// `INVALID_CURSOR`: a pagination cursor the API does not recognise.
    InvalidCursor,
    /// `UNAUTHORIZED`: the token is missing, invalid or expired.
    Unauthorized,
    /// `FORBIDDEN`: the token may not do this.
    Forbidden,
    /// `NOT_FOUND`: the conversation, response or message does not exist.
    NotFound,
    /// `RATE_LIMIT_EXCEEDED`: too many requests.
    RateLimitExceeded,
    /// `INTERNAL_ERROR`: the API failed.
    InternalError,
    /// A code this version of the SDK does not know, verbatim.
    Unknown(String),
}

impl ErrorCode {
    /// Parses a code as sent by the API.
    pub fn parse(code: &str) -> Self {
        match code {
            "INVALID_REQUEST" => Self::InvalidRequest,
            "INVALID_INPUT" => Self::InvalidInput,
            "INVALID_CURSOR" => Self::InvalidCursor,
            "UNAUTHORIZED" => Self::Unauthorized,
            "FORBIDDEN" => Self::Forbidden,
            "NOT_FOUND" => Self::NotFound,
            "RATE_LIMIT_EXCEEDED" => Self::RateLimitExceeded,
            "INTERNAL_ERROR" => Self::InternalError,
            other => Self::Unknown(other.to_owned()),
        }
    }

    /// The code as sent by the API.
    pub fn as_str(&self) -> &str {
        match self {
            Self::InvalidRequest => "INVALID_REQUEST",
            Self::InvalidInput => "INVALID_INPUT",
            Self::InvalidCursor => "INVALID_CURSOR",
            Self::Unauthorized => "UNAUTHORIZED",
            Self::Forbidden => "FORBIDDEN",
            Self::NotFound => "NOT_FOUND",
            Self::RateLimitExceeded => "RATE_LIMIT_EXCEEDED",
            Self::InternalError => "INTERNAL_ERROR",
            Self::Unknown(code) => code,
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Error {
    /// The HTTP status of the answer this error comes from, if there was one.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api(api) => Some(api.status),
            Error::Decode(decode) => Some(decode.status),
            Error::Transport { source, .. } => source.status(),
            _ => None,
        }
    }

    /// The API error code, if the answer (or a stream's `ERROR` event)
    /// carried one.
    pub fn code(&self) -> Option<&ErrorCode> {
        match self {
            Error::Api(api) => api.code.as_ref(),
            Error::Stream(stream) => match &stream.kind {
                StreamErrorKind::ErrorEvent { code, .. } => Some(code),
                _ => None,
            },
            _ => None,
        }
    }

    /// The API error message, if the answer (or a stream's `ERROR` event)
    /// carried one.
    pub fn message(&self) -> Option<&str> {
        match self {
            Error::Api(api) => api.message.as_deref(),
            Error::Stream(stream) => match &stream.kind {
                StreamErrorKind::ErrorEvent { message, .. } => Some(message),
                _ => None,
            },
            _ => None,
        }
    }

    /// The `x-moveworks-root-uuid` of the answer, if there was one.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Error::Api(api) => api.request_id.as_deref(),
            Error::Decode(decode) => decode.request_id.as_deref(),
            Error::Stream(stream) => stream.request_id.as_deref(),
            _ => None,
        }
    }

    /// The response this error is about, when there is one: a response
    /// that failed, was waited for too long, or whose stream ended early.
    pub fn response_id(&self) -> Option<&str> {
        match self {
            Error::ResponseFailed(response) => Some(&response.response_id),
            Error::WaitTimeout { response_id, .. } => Some(response_id),
            Error::Stream(stream) => stream.response_id.as_deref(),
            _ => None,
        }
    }

    /// The wait the API asked for, if it did.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Error::Api(api) => api.retry_after,
            _ => None,
        }
    }

    /// Requests sent before giving up (0 when nothing was sent).
    pub fn attempts(&self) -> u32 {
        match self {
            Error::Api(api) => api.attempts,
            Error::Decode(decode) => decode.attempts,
            Error::Transport { attempts, .. } | Error::Timeout { attempts, .. } => *attempts,
            Error::Stream(stream) => stream.attempts,
            Error::Config(_)
            | Error::Auth(_)
            | Error::InvalidInput { .. }
            | Error::ResponseFailed(_)
            | Error::WaitTimeout { .. }
            | Error::Pagination(_) => 0,
        }
    }

    /// Whether a request that creates something (create a conversation, a
    /// response, a stream) failed after it was sent, so that the API may
    /// have done the work: a timeout, a connection cut after sending, a
    /// 5xx or 408 answer, or a response stream that ended early (the
    /// response exists then). Such requests are never retried automatically;
    /// check (list the conversation's messages, for instance) before
    /// sending again, or a second one may be created.
    pub fn may_have_been_processed(&self) -> bool {
        match self {
            Error::Api(api) => api.maybe_processed,
            Error::Transport {
                maybe_processed, ..
            }
            | Error::Timeout {
                maybe_processed, ..
            } => *maybe_processed,
            Error::Stream(_) => true,
            _ => false,
        }
    }

    /// Whether the same call might succeed later: connection failures,
    /// timeouts, and the statuses the default retry policy retries (408,
    /// 429, 500, 502, 503, 504).
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Api(api) => crate::retry::DEFAULT_RETRY_STATUSES.contains(&api.status.as_u16()),
            Error::Transport { .. } | Error::Timeout { .. } => true,
            Error::Auth(auth) => auth.is_retryable(),
            // Waiting again may see the response finish.
            Error::WaitTimeout { .. } => true,
            // Streaming again would send the message twice; recover with
            // `Client::finish_streamed` instead.
            Error::Stream(_)
            | Error::Decode(_)
            | Error::Config(_)
            | Error::InvalidInput { .. }
            | Error::ResponseFailed(_)
            | Error::Pagination(_) => false,
        }
    }

    pub(crate) fn invalid_input(field: &'static str, reason: impl Into<String>) -> Self {
        Error::InvalidInput {
            field,
            reason: reason.into(),
        }
    }
}

fn plural(attempts: u32) -> &'static str {
    if attempts == 1 { "attempt" } else { "attempts" }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Api(api) => fmt::Display::fmt(api, f),
            Error::Transport {
                source, attempts, ..
            } => {
                write!(
                    f,
                    "transport error after {attempts} {}: {source}",
                    plural(*attempts)
                )?;
                maybe_processed_note(self, f)
            }
            Error::Timeout { attempts, .. } => {
                write!(f, "timed out after {attempts} {}", plural(*attempts))?;
                maybe_processed_note(self, f)
            }
            Error::Decode(decode) => fmt::Display::fmt(decode, f),
            Error::Config(config) => write!(f, "configuration error: {config}"),
            Error::Auth(auth) => write!(f, "authentication failed: {auth}"),
            Error::InvalidInput { field, reason } => write!(f, "invalid `{field}`: {reason}"),
            Error::ResponseFailed(response) => write!(
                f,
                "the assistant could not answer: response {} of conversation {} is FAILED",
                response.response_id, response.conversation_id
            ),
            Error::WaitTimeout {
                response_id,
                last_status,
                waited,
                polls,
                last_error,
            } => {
                write!(
                    f,
                    "response {response_id} did not finish within {:.1}s ({polls} polls, last status {})",
                    waited.as_secs_f64(),
                    last_status.as_ref().map_or("unknown", |s| s.as_str())
                )?;
                if let Some(error) = last_error {
                    write!(f, "; last poll: {error}")?;
                }
                Ok(())
            }
            Error::Pagination(error) => fmt::Display::fmt(error, f),
            Error::Stream(error) => fmt::Display::fmt(error, f),
        }
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
        write!(f, " ({} {}", self.attempts, plural(self.attempts))?;
        if let Some(id) = &self.request_id {
            write!(f, ", request id {id}")?;
        }
        if let Some(wait) = self.retry_after {
            write!(f, ", retry after {:.1}s", wait.as_secs_f64())?;
        }
        f.write_str(")")?;
        if self.maybe_processed {
            f.write_str(MAYBE_PROCESSED)?;
        }
        Ok(())
    }
}

const MAYBE_PROCESSED: &str =
    "; the request may have been processed: check before sending it again";

fn maybe_processed_note(error: &Error, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    if error.may_have_been_processed() {
        f.write_str(MAYBE_PROCESSED)?;
    }
    Ok(())
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

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Transport { source, .. } => Some(source),
            Error::Timeout {
                source: Some(source),
                ..
            } => Some(source),
            Error::Decode(DecodeError {
                kind: DecodeErrorKind::Json(e),
                ..
            }) => Some(e),
            Error::Config(e) => Some(e),
            Error::Auth(e) => Some(e),
            Error::WaitTimeout {
                last_error: Some(e),
                ..
            } => Some(e.as_ref()),
            Error::Pagination(e) => Some(e),
            Error::Stream(e) => std::error::Error::source(e.as_ref()),
            _ => None,
        }
    }
}

impl From<ConfigError> for Error {
    fn from(e: ConfigError) -> Self {
        Error::Config(e)
    }
}

impl From<AuthError> for Error {
    fn from(e: AuthError) -> Self {
        Error::Auth(e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn api(status: u16) -> Error {
        Error::Api(ApiError {
            status: StatusCode::from_u16(status).unwrap(),
            code: Some(ErrorCode::parse("NOT_FOUND")),
            message: Some("message does not exist".into()),
            request_id: Some("f3b2".into()),
            retry_after: None,
            attempts: 1,
            body: String::new(),
            maybe_processed: false,
        })
    }

    #[test]
    fn api_errors_display_status_code_message_and_request_id() {
        assert_eq!(
            api(404).to_string(),
            "Moveworks API returned 404 Not Found NOT_FOUND: message does not exist (1 attempt, request id f3b2)"
        );
    }

    #[test]
    fn retryability_follows_the_status() {
        assert!(api(503).is_retryable());
        assert!(api(429).is_retryable());
        assert!(!api(404).is_retryable());
        assert!(!Error::invalid_input("conversation_id", "empty").is_retryable());
    }

    #[test]
    fn codes_round_trip_and_keep_unknown_ones() {
        for code in [
            "INVALID_REQUEST",
            "INVALID_INPUT",
            "INVALID_CURSOR",
            "UNAUTHORIZED",
            "FORBIDDEN",
            "NOT_FOUND",
            "RATE_LIMIT_EXCEEDED",
            "INTERNAL_ERROR",
            "QUOTA",
        ] {
            assert_eq!(ErrorCode::parse(code).as_str(), code);
        }
        assert_eq!(
            ErrorCode::parse("QUOTA"),
            ErrorCode::Unknown("QUOTA".into())
        );
    }

    #[test]
    fn errors_are_send_sync_static() {
        fn assert_bounds<T: std::error::Error + Send + Sync + 'static>() {}
        assert_bounds::<Error>();
    }
}
