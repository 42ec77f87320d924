//! What callers branch on: the kind of a failure, and the step of a call a
//! deadline cut.

/// What kind of failure an [`Error`](crate::Error) is.
///
/// Kinds may be added: match with a `_` arm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The API answered with a status that is not a success.
    Api,
    /// The request could not be sent or the answer not received: the
    /// connection failed, was reset or closed early.
    Transport,
    /// The attempt or total deadline passed before an answer arrived; see
    /// [`Error::step`](crate::Error::step).
    Timeout,
    /// A success status whose body is not what the spec says, or larger
    /// than the configured limit.
    Decode,
    /// The client is misconfigured; the cause is a
    /// [`ConfigError`](crate::ConfigError).
    Config,
    /// No usable access token; the cause is an
    /// [`AuthError`](crate::auth::AuthError).
    Auth,
    /// An argument was refused before anything was sent; see
    /// [`Error::field`](crate::Error::field).
    InvalidInput,
    /// The assistant could not produce the response: its status is
    /// `FAILED`. The response is [`Error::response`](crate::Error::response).
    ResponseFailed,
    /// Waiting for a response passed its deadline before the response was
    /// `COMPLETED` or `FAILED`. The work goes on at the API; the response
    /// can still be fetched or waited for again.
    WaitTimeout,
    /// A list walk stopped before the end of the list: a cursor came back
    /// (the API's fault) or the page cap was reached
    /// ([`Error::resume_cursor`](crate::Error::resume_cursor)).
    Pagination,
    /// A response stream ended before the response was `COMPLETED` or
    /// `FAILED`: an `ERROR` event, the server closing it, a cut connection,
    /// no event for the idle timeout, or an oversized or malformed event.
    /// The response may still finish at the API: wait for it with
    /// [`Client::wait_for_streamed_response`](crate::Client::wait_for_streamed_response)
    /// rather than streaming again, which would send the message twice.
    Stream,
}

impl ErrorKind {
    /// The kind's name in snake case (`api`, `invalid_input`, ...), as
    /// logs and machine-readable output name it.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::Api => "api",
            ErrorKind::Transport => "transport",
            ErrorKind::Timeout => "timeout",
            ErrorKind::Decode => "decode",
            ErrorKind::Config => "config",
            ErrorKind::Auth => "auth",
            ErrorKind::InvalidInput => "invalid_input",
            ErrorKind::ResponseFailed => "response_failed",
            ErrorKind::WaitTimeout => "wait_timeout",
            ErrorKind::Pagination => "pagination",
            ErrorKind::Stream => "stream",
        }
    }
}

/// The step of a call that a deadline cut short.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum CallStep {
    /// Waiting for the access token (a provider, the token endpoint).
    Token,
    /// Establishing the connection.
    Connect,
    /// Waiting for the response headers after sending.
    Headers,
    /// Reading the response body.
    Body,
}

impl CallStep {
    pub(super) fn describe(self) -> &'static str {
        match self {
            CallStep::Token => "getting an access token",
            CallStep::Connect => "connecting",
            CallStep::Headers => "waiting for the response headers",
            CallStep::Body => "reading the response body",
        }
    }
}
