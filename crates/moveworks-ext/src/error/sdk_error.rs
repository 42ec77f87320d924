//! The one error type of the SDK.
//!
//! Every failure of a call is an [`Error`]; for any HTTP answer the status
//! is kept whatever the body was (the API's JSON, empty, a proxy's HTML,
//! truncated), together with the API error code and message when the body
//! has them, the request id, `Retry-After` and the number of attempts.
//!
//! [`WaitTimeoutError`] is here too: it holds the last poll's [`Error`],
//! and [`Error`] holds it, so the two are one unit.

use std::fmt;
use std::time::Duration;

use http::StatusCode;
use moveworks_api::types::{Response, ResponseStatus};

use super::api_error::ApiError;
use super::decode_error::DecodeError;
use super::error_code::ErrorCode;
use super::invalid_input::InvalidInputError;
use super::pagination_error::PaginationError;
use super::stream_error::{StreamError, StreamErrorKind};
use super::timeout_error::TimeoutError;
use super::transport_error::TransportError;
use crate::auth::AuthError;
use crate::config::{ConfigError, DEFAULT_RETRY_STATUSES};

/// A failed call.
///
/// Variants may be added: match with a `_` arm, or use the methods
/// ([`status`](Error::status), [`code`](Error::code),
/// [`request_id`](Error::request_id),
/// [`may_have_been_processed`](Error::may_have_been_processed), ...), which
/// answer for every variant.
///
/// A `match` without a wildcard arm does not compile:
///
/// ```compile_fail,E0004
/// fn describe(error: &moveworks_ext::Error) -> &'static str {
///     use moveworks_ext::Error::*;
///     match error {
///         Api(_) => "api",
///         Transport(_) => "transport",
///         Timeout(_) => "timeout",
///         Decode(_) => "decode",
///         Config(_) => "config",
///         Auth(_) => "auth",
///         InvalidInput(_) => "input",
///         ResponseFailed(_) => "failed",
///         WaitTimeout(_) => "wait",
///         Pagination(_) => "pagination",
///         Stream(_) => "stream",
///     }
/// }
/// ```
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The API answered with a status that is not a success.
    Api(ApiError),
    /// The request could not be sent or the response not received: the
    /// connection failed, was reset or closed early.
    Transport(TransportError),
    /// The attempt or total deadline passed before an answer arrived.
    Timeout(TimeoutError),
    /// A success status whose body is not what the spec says, or larger
    /// than the configured limit.
    Decode(DecodeError),
    /// The client is misconfigured (see [`ConfigError`]).
    Config(ConfigError),
    /// No usable access token (see [`AuthError`]).
    Auth(AuthError),
    /// An argument was refused before anything was sent.
    InvalidInput(InvalidInputError),
    /// The assistant could not produce the response: its status is
    /// `FAILED`. The response is kept whole.
    ResponseFailed(Box<Response>),
    /// Waiting for a response passed its deadline before the response was
    /// `COMPLETED` or `FAILED`. The work goes on at the API; the response
    /// can still be fetched or waited for again.
    WaitTimeout(WaitTimeoutError),
    /// A list walk stopped before the end of the list.
    Pagination(PaginationError),
    /// A response stream ended before the response was `COMPLETED` or
    /// `FAILED`: an `ERROR` event, the server closing it, a cut
    /// connection, no event for the idle timeout, or an oversized or
    /// malformed event. The response may still finish at the API: wait for
    /// it with [`Client::wait_for_streamed_response`](crate::Client::wait_for_streamed_response)
    /// rather than streaming again, which would send the message twice.
    Stream(Box<StreamError>),
}

/// Waiting for a response passed its deadline; see [`Error::WaitTimeout`].
#[derive(Debug)]
pub struct WaitTimeoutError {
    pub(crate) response_id: String,
    pub(crate) last_status: Option<ResponseStatus>,
    pub(crate) waited: Duration,
    pub(crate) polls: u32,
    pub(crate) last_error: Option<Box<Error>>,
}

impl WaitTimeoutError {
    /// The response waited for.
    pub fn response_id(&self) -> &str {
        &self.response_id
    }

    /// The status the last successful poll saw (`None` if no poll
    /// succeeded).
    pub fn last_status(&self) -> Option<&ResponseStatus> {
        self.last_status.as_ref()
    }

    /// How long the wait lasted.
    pub fn waited(&self) -> Duration {
        self.waited
    }

    /// Polls made.
    pub fn polls(&self) -> u32 {
        self.polls
    }

    /// The last poll's error, if the last poll failed.
    pub fn last_error(&self) -> Option<&Error> {
        self.last_error.as_deref()
    }
}

impl Error {
    /// The HTTP status of the answer this error comes from, if there was one.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api(api) => Some(api.status),
            Error::Decode(decode) => Some(decode.status),
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

    /// The request id of the answer (its `x-trace-id` or `x-moveworks-root-uuid`), if there was one.
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
            Error::WaitTimeout(wait) => Some(&wait.response_id),
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
            Error::Transport(transport) => transport.attempts(),
            Error::Timeout(timeout) => timeout.attempts(),
            Error::Stream(stream) => stream.attempts,
            Error::Config(_)
            | Error::Auth(_)
            | Error::InvalidInput(_)
            | Error::ResponseFailed(_)
            | Error::WaitTimeout(_)
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
            Error::Transport(transport) => transport.may_have_been_processed(),
            Error::Timeout(timeout) => timeout.may_have_been_processed(),
            Error::Stream(_) => true,
            _ => false,
        }
    }

    /// Whether making the same call again is safe and might succeed: a
    /// connection failure, a timeout, or one of the statuses the default
    /// retry policy retries (408, 429, 500, 502, 503, 504), and in every
    /// case only when the request was surely not processed (see
    /// [`Error::may_have_been_processed`]): retrying a request that may
    /// have created a response would ask twice.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Api(api) => {
                !api.maybe_processed && DEFAULT_RETRY_STATUSES.contains(&api.status.as_u16())
            }
            Error::Transport(transport) => {
                !transport.may_have_been_processed() && transport.is_transient()
            }
            Error::Timeout(timeout) => !timeout.may_have_been_processed(),
            Error::Auth(auth) => auth.is_retryable(),
            // Waiting again may see the response finish.
            Error::WaitTimeout(_) => true,
            // Streaming again would send the message twice; recover with
            // `Client::wait_for_streamed_response` instead.
            Error::Stream(_)
            | Error::Decode(_)
            | Error::Config(_)
            | Error::InvalidInput(_)
            | Error::ResponseFailed(_)
            | Error::Pagination(_) => false,
        }
    }

    /// Whether a retry was not made because the client's retry budget was
    /// spent (see [`RetryBudget`](crate::RetryBudget)): the API is failing
    /// for many calls at once, and retrying each would add to its load.
    pub fn retry_budget_spent(&self) -> bool {
        match self {
            Error::Api(api) => api.budget_spent,
            Error::Transport(transport) => transport.retry_budget_spent(),
            Error::Timeout(timeout) => timeout.retry_budget_spent(),
            _ => false,
        }
    }

    pub(crate) fn invalid_input(field: &'static str, reason: impl Into<String>) -> Self {
        Error::InvalidInput(InvalidInputError::new(field, reason))
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Api(error) => fmt::Display::fmt(error, f),
            Error::Transport(error) => fmt::Display::fmt(error, f),
            Error::Timeout(error) => fmt::Display::fmt(error, f),
            Error::Decode(error) => fmt::Display::fmt(error, f),
            Error::Config(error) => write!(f, "configuration error: {error}"),
            Error::Auth(error) => write!(f, "authentication failed: {error}"),
            Error::InvalidInput(error) => fmt::Display::fmt(error, f),
            Error::ResponseFailed(response) => write!(
                f,
                "the assistant could not answer: response {} of conversation {} is FAILED",
                response.response_id, response.conversation_id
            ),
            Error::WaitTimeout(error) => fmt::Display::fmt(error, f),
            Error::Pagination(error) => fmt::Display::fmt(error, f),
            Error::Stream(error) => fmt::Display::fmt(error, f),
        }
    }
}

impl fmt::Display for WaitTimeoutError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "response {} did not finish within {:.1}s ({} polls, last status {})",
            self.response_id,
            self.waited.as_secs_f64(),
            self.polls,
            self.last_status.as_ref().map_or("unknown", |s| s.as_str())
        )?;
        if let Some(error) = &self.last_error {
            write!(f, "; last poll: {error}")?;
        }
        Ok(())
    }
}

impl std::error::Error for WaitTimeoutError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.last_error.as_deref().map(|e| e as _)
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Transport(e) => std::error::Error::source(e),
            Error::Timeout(e) => std::error::Error::source(e),
            Error::Decode(e) => std::error::Error::source(e),
            Error::Config(e) => Some(e),
            Error::Auth(e) => Some(e),
            Error::WaitTimeout(e) => std::error::Error::source(e),
            Error::Pagination(e) => Some(e),
            Error::Stream(e) => std::error::Error::source(e.as_ref()),
            Error::Api(_) | Error::InvalidInput(_) | Error::ResponseFailed(_) => None,
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
            budget_spent: false,
        })
    }

    #[test]
    fn retryability_follows_the_status() {
        assert!(api(503).is_retryable());
        assert!(api(429).is_retryable());
        assert!(!api(404).is_retryable());
        assert!(!Error::invalid_input("conversation_id", "empty").is_retryable());
    }

    #[test]
    fn errors_are_send_sync_static() {
        fn assert_bounds<T: std::error::Error + Send + Sync + 'static>() {}
        assert_bounds::<Error>();
    }
}
