//! [`Error`]: the kind, the call's summary held once, the kind's details
//! and the cause.

use std::time::Duration;

use http::StatusCode;
use moveworks_api::types::{Response, ResponseStatus};

use super::error_code::ErrorCode;
use super::kind::{CallStep, ErrorKind};
use crate::auth::{AuthError, AuthErrorKind, error_body};
use crate::config::{ConfigError, DEFAULT_RETRY_STATUSES};

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// At most this much of an error body is kept for [`Error::body`].
const BODY_SNIPPET_BYTES: usize = 1024;

/// A failed call; see [the error model](crate::error).
///
/// Branch on [`kind`](Error::kind) and the predicates
/// ([`is_retryable`](Error::is_retryable),
/// [`may_have_been_processed`](Error::may_have_been_processed), ...); read
/// the call's facts ([`status`](Error::status),
/// [`request_id`](Error::request_id), [`attempts`](Error::attempts)) and
/// the details of its kind through the other methods, each of which answers
/// for every kind (`None` where it does not apply). One pointer wide, so a
/// `Result<T, Error>` costs little to return.
#[derive(Debug)]
pub struct Error(pub(super) Box<Repr>);

#[derive(Debug)]
pub(super) struct Repr {
    pub(super) kind: ErrorKind,
    pub(super) call: CallSummary,
    pub(super) detail: Detail,
    pub(super) source: Option<BoxError>,
}

/// How the call went, whatever the kind of its failure.
#[derive(Debug, Default, Clone)]
pub(crate) struct CallSummary {
    /// The status of the last answer (the token endpoint's, for an
    /// [`ErrorKind::Auth`] error it answered).
    pub(crate) status: Option<StatusCode>,
    pub(crate) request_id: Option<String>,
    pub(crate) retry_after: Option<Duration>,
    pub(crate) attempts: u32,
    /// A request that is not idempotent failed after it was sent.
    pub(crate) maybe_processed: bool,
    /// A retry was not made because the retry budget was spent.
    pub(crate) budget_spent: bool,
}

/// Why a response stream ended early.
#[derive(Debug)]
pub(crate) enum StreamEnd {
    /// An `ERROR` event.
    ErrorEvent { code: ErrorCode, message: String },
    /// The server ended the stream.
    Closed,
    /// The connection failed (the cause is the source).
    Cut,
    /// No event for this long.
    Idle(Duration),
    /// An event over this many bytes.
    EventTooLarge(usize),
    /// The answer's text over this many bytes.
    AnswerTooLarge(usize),
    /// An event that is not valid, by its name when it had one (the cause
    /// is the source).
    Malformed(Option<String>),
}

/// What a stream had delivered when it ended.
#[derive(Debug)]
pub(crate) struct StreamContext {
    pub(crate) conversation_id: String,
    pub(crate) response_id: Option<String>,
    pub(crate) events: u64,
    pub(crate) last_response: Option<Response>,
    pub(crate) text: String,
}

#[derive(Debug)]
pub(super) enum Detail {
    None,
    Api {
        code: Option<ErrorCode>,
        message: Option<String>,
        body: String,
    },
    Transport {
        transient: bool,
        step: CallStep,
    },
    /// The step a deadline cut, when known.
    Timeout(Option<CallStep>),
    /// Over this size limit, when that is what is wrong with the body.
    Decode(Option<usize>),
    InvalidInput {
        field: &'static str,
        reason: String,
    },
    ResponseFailed(Box<Response>),
    WaitTimeout {
        response_id: String,
        last_status: Option<ResponseStatus>,
        waited: Duration,
        polls: u32,
    },
    Pagination {
        operation: &'static str,
        page: usize,
        cursor: String,
        repeated: bool,
    },
    Stream(Box<(StreamEnd, StreamContext)>),
}

impl Error {
    fn new(kind: ErrorKind, call: CallSummary, detail: Detail, source: Option<BoxError>) -> Self {
        Error(Box::new(Repr {
            kind,
            call,
            detail,
            source,
        }))
    }

    /// An error of no call: nothing was sent.
    fn local(kind: ErrorKind, detail: Detail, source: Option<BoxError>) -> Self {
        Self::new(kind, CallSummary::default(), detail, source)
    }

    /// An error answer: its status, and the code and message its body
    /// holds, whatever the body is (the API's JSON, a proxy's HTML, nothing).
    pub(crate) fn api(body: &[u8], call: CallSummary) -> Self {
        let details = error_body::parse(body).unwrap_or_default();
        let end = body.len().min(BODY_SNIPPET_BYTES);
        let detail = Detail::Api {
            code: details.code.as_deref().map(ErrorCode::parse),
            message: details.message,
            body: String::from_utf8_lossy(&body[..end]).into_owned(),
        };
        Self::new(ErrorKind::Api, call, detail, None)
    }

    /// The HTTP client failed to send or to receive, in `step`.
    pub(crate) fn transport(source: reqwest::Error, step: CallStep, call: CallSummary) -> Self {
        let transient = is_transient(&source);
        let detail = Detail::Transport { transient, step };
        Self::new(ErrorKind::Transport, call, detail, Some(source.into()))
    }

    /// A deadline passed in `step`; `source` is the HTTP client's error when
    /// its own timeout fired.
    pub(crate) fn timeout(
        step: Option<CallStep>,
        call: CallSummary,
        source: Option<reqwest::Error>,
    ) -> Self {
        let source = source.map(BoxError::from);
        Self::new(ErrorKind::Timeout, call, Detail::Timeout(step), source)
    }

    /// A success whose body is not the documented JSON (`source` says
    /// why), or, without a source, of a kind the operation does not
    /// document.
    pub(crate) fn decode(source: Option<serde_json::Error>, call: CallSummary) -> Self {
        let source = source.map(BoxError::from);
        Self::new(ErrorKind::Decode, call, Detail::Decode(None), source)
    }

    /// A success whose body is over `limit` bytes.
    pub(crate) fn too_large(limit: usize, call: CallSummary) -> Self {
        Self::new(ErrorKind::Decode, call, Detail::Decode(Some(limit)), None)
    }

    pub(crate) fn invalid_input(field: &'static str, reason: impl Into<String>) -> Self {
        let detail = Detail::InvalidInput {
            field,
            reason: reason.into(),
        };
        Self::local(ErrorKind::InvalidInput, detail, None)
    }

    /// The error of a response whose status is `FAILED`
    /// ([`ErrorKind::ResponseFailed`]), as [`Client::ask`](crate::Client::ask)
    /// and [`ResponseStream::completed`](crate::ResponseStream::completed)
    /// give it, for code that reads a stream's events itself.
    pub fn response_failed(response: Response) -> Self {
        let detail = Detail::ResponseFailed(Box::new(response));
        Self::local(ErrorKind::ResponseFailed, detail, None)
    }

    /// A wait for `response_id` ran out; `last_error` is the last poll's.
    pub(crate) fn wait_timeout(
        response_id: String,
        last_status: Option<ResponseStatus>,
        waited: Duration,
        polls: u32,
        last_error: Option<Error>,
    ) -> Self {
        let detail = Detail::WaitTimeout {
            response_id,
            last_status,
            waited,
            polls,
        };
        let source = last_error.map(BoxError::from);
        Self::local(ErrorKind::WaitTimeout, detail, source)
    }

    /// A list walk stopped at page `page`: `cursor` came back (`repeated`),
    /// or it is the cursor to resume from after the page cap.
    pub(crate) fn pagination(
        operation: &'static str,
        page: usize,
        cursor: String,
        repeated: bool,
    ) -> Self {
        let detail = Detail::Pagination {
            operation,
            page,
            cursor,
            repeated,
        };
        Self::local(ErrorKind::Pagination, detail, None)
    }

    /// A response stream ended early.
    pub(crate) fn stream(
        end: StreamEnd,
        context: StreamContext,
        call: CallSummary,
        source: Option<BoxError>,
    ) -> Self {
        let detail = Detail::Stream(Box::new((end, context)));
        Self::new(ErrorKind::Stream, call, detail, source)
    }

    /// This error with the summary of the call it ended; a status of its
    /// own (the token endpoint's) is kept.
    pub(crate) fn with_call(mut self, call: CallSummary) -> Self {
        let status = self.0.call.status.or(call.status);
        self.0.call = CallSummary { status, ..call };
        self
    }

    /// What kind of failure this is.
    pub fn kind(&self) -> ErrorKind {
        self.0.kind
    }

    /// The HTTP status of the answer this error comes from, if there was
    /// one: the API's, or the token endpoint's for an [`ErrorKind::Auth`]
    /// error it answered.
    pub fn status(&self) -> Option<StatusCode> {
        self.0.call.status
    }

    /// The API error code, if the answer (or a stream's `ERROR` event)
    /// carried one. Codes this crate does not know are kept
    /// ([`ErrorCode::Unknown`]).
    pub fn code(&self) -> Option<&ErrorCode> {
        self.reported().0
    }

    /// The API error message, if the answer (or a stream's `ERROR` event)
    /// carried one.
    pub fn message(&self) -> Option<&str> {
        self.reported().1
    }

    /// The code and message of an error answer or a stream's `ERROR` event.
    fn reported(&self) -> (Option<&ErrorCode>, Option<&str>) {
        match &self.0.detail {
            Detail::Api { code, message, .. } => (code.as_ref(), message.as_deref()),
            Detail::Stream(stream) => match &stream.0 {
                StreamEnd::ErrorEvent { code, message } => (Some(code), Some(message)),
                _ => (None, None),
            },
            _ => (None, None),
        }
    }

    /// The start of an error answer's body (at most 1 KiB), for logs; empty
    /// for other kinds.
    pub fn body(&self) -> &str {
        match &self.0.detail {
            Detail::Api { body, .. } => body,
            _ => "",
        }
    }

    /// The request id of the answer (`x-trace-id` or
    /// `x-moveworks-root-uuid`), if there was one: give it to Moveworks
    /// support.
    pub fn request_id(&self) -> Option<&str> {
        self.0.call.request_id.as_deref()
    }

    /// The wait the API asked for (`Retry-After`), if it did.
    pub fn retry_after(&self) -> Option<Duration> {
        self.0.call.retry_after
    }

    /// Requests sent before giving up (0 when nothing was sent).
    pub fn attempts(&self) -> u32 {
        self.0.call.attempts
    }

    /// Whether a request that creates something (a conversation, a
    /// response, a stream, a rating) failed after it was sent, so that the
    /// API may have done the work: a timeout, a connection cut after
    /// sending, a 5xx or 408 answer, or a response stream that ended early
    /// (the response exists then). Such requests are never retried
    /// automatically; check (list the conversation's messages, for
    /// instance) before sending again, or a second one may be created.
    pub fn may_have_been_processed(&self) -> bool {
        self.0.call.maybe_processed || self.0.kind == ErrorKind::Stream
    }

    /// Whether making the same call again is safe and might succeed: a
    /// connection failure, a timeout, or one of the statuses the default
    /// retry policy retries (408, 429, 500, 502, 503, 504), a token
    /// endpoint that could not be reached, or a wait that ran out; and in
    /// every case only when the request was surely not processed (see
    /// [`Error::may_have_been_processed`]): retrying a request that may
    /// have created a response would ask twice.
    pub fn is_retryable(&self) -> bool {
        let call = &self.0.call;
        if call.maybe_processed {
            return false;
        }
        match (&self.0.detail, self.0.kind) {
            (Detail::Api { .. }, _) => call
                .status
                .is_some_and(|s| DEFAULT_RETRY_STATUSES.contains(&s.as_u16())),
            (Detail::Transport { transient, .. }, _) => *transient,
            (Detail::Timeout(_), _) => true,
            (_, ErrorKind::Auth) => self.as_auth().is_some_and(AuthError::is_retryable),
            // Waiting again may see the response finish.
            (Detail::WaitTimeout { .. }, _) => true,
            // Streaming again would send the message twice; recover with
            // `Client::wait_for_streamed_response` instead.
            _ => false,
        }
    }

    /// Whether a retry was not made because the client's retry budget was
    /// spent (see [`RetryBudget`](crate::RetryBudget)): the API is failing
    /// for many calls at once, and retrying each would add to its load.
    pub fn retry_budget_spent(&self) -> bool {
        self.0.call.budget_spent
    }

    /// Whether a deadline passed: a call's, a wait's, a stream's idle
    /// timeout or the token endpoint's.
    pub fn is_timeout(&self) -> bool {
        match &self.0.detail {
            Detail::Timeout(_) | Detail::WaitTimeout { .. } => true,
            Detail::Stream(stream) => matches!(stream.0, StreamEnd::Idle(_)),
            _ => self
                .as_auth()
                .is_some_and(|auth| auth.kind() == AuthErrorKind::TimedOut),
        }
    }

    /// Whether a connection failed: it could not be made, was reset or cut,
    /// or the server ended a stream early (the API's or the token
    /// endpoint's).
    pub fn is_connection(&self) -> bool {
        match &self.0.detail {
            Detail::Transport { .. } => true,
            Detail::Stream(stream) => matches!(stream.0, StreamEnd::Closed | StreamEnd::Cut),
            _ => self
                .as_auth()
                .is_some_and(|auth| auth.kind() == AuthErrorKind::Unreachable),
        }
    }

    /// Whether a body, a stream's event or a stream's text was over its
    /// size limit.
    pub fn is_too_large(&self) -> bool {
        match &self.0.detail {
            Detail::Decode(too_large) => too_large.is_some(),
            Detail::Stream(stream) => matches!(
                stream.0,
                StreamEnd::EventTooLarge(_) | StreamEnd::AnswerTooLarge(_)
            ),
            _ => false,
        }
    }

    /// The step of the call where it failed: the one a deadline cut
    /// ([`ErrorKind::Timeout`]), or where the connection failed
    /// ([`ErrorKind::Transport`]: [`CallStep::Connect`] when it could not be
    /// made, so the request surely never arrived).
    pub fn step(&self) -> Option<CallStep> {
        match &self.0.detail {
            Detail::Timeout(step) => *step,
            Detail::Transport { step, .. } => Some(*step),
            _ => None,
        }
    }

    /// The argument refused ([`ErrorKind::InvalidInput`]).
    pub fn field(&self) -> Option<&'static str> {
        match &self.0.detail {
            Detail::InvalidInput { field, .. } => Some(field),
            _ => None,
        }
    }

    /// The response that failed ([`ErrorKind::ResponseFailed`]), whole.
    pub fn response(&self) -> Option<&Response> {
        match &self.0.detail {
            Detail::ResponseFailed(response) => Some(response),
            _ => None,
        }
    }

    /// The response this error is about, when there is one: a response
    /// that failed, was waited for too long, or whose stream ended early.
    pub fn response_id(&self) -> Option<&str> {
        match &self.0.detail {
            Detail::ResponseFailed(response) => Some(&response.response_id),
            Detail::WaitTimeout { response_id, .. } => Some(response_id),
            Detail::Stream(stream) => stream.1.response_id.as_deref(),
            _ => None,
        }
    }

    /// The conversation of a response that failed or whose stream ended
    /// early.
    pub fn conversation_id(&self) -> Option<&str> {
        match &self.0.detail {
            Detail::ResponseFailed(response) => Some(&response.conversation_id),
            Detail::Stream(stream) => Some(&stream.1.conversation_id),
            _ => None,
        }
    }

    /// The status the last successful poll of a wait saw
    /// ([`ErrorKind::WaitTimeout`]; `None` if no poll succeeded).
    pub fn last_status(&self) -> Option<&ResponseStatus> {
        match &self.0.detail {
            Detail::WaitTimeout { last_status, .. } => last_status.as_ref(),
            _ => None,
        }
    }

    /// How long a wait lasted and how many polls it made
    /// ([`ErrorKind::WaitTimeout`]).
    pub fn waited(&self) -> Option<(Duration, u32)> {
        match &self.0.detail {
            Detail::WaitTimeout { waited, polls, .. } => Some((*waited, *polls)),
            _ => None,
        }
    }

    /// The cursor to resume a list walk from after it stopped at its page
    /// cap ([`ErrorKind::Pagination`]; `None` when the API repeated a
    /// cursor, which resuming would repeat too).
    pub fn resume_cursor(&self) -> Option<&str> {
        match &self.0.detail {
            Detail::Pagination {
                cursor,
                repeated: false,
                ..
            } => Some(cursor),
            _ => None,
        }
    }

    /// The answer's text a stream had delivered when it ended early
    /// ([`ErrorKind::Stream`]), as
    /// [`ResponseStream::text_so_far`](crate::ResponseStream::text_so_far)
    /// gave it.
    pub fn text_so_far(&self) -> Option<&str> {
        match &self.0.detail {
            Detail::Stream(stream) => Some(&stream.1.text),
            _ => None,
        }
    }

    /// The last snapshot of the response a stream sent before it ended
    /// early ([`ErrorKind::Stream`]), if it sent one.
    pub fn last_response(&self) -> Option<&Response> {
        match &self.0.detail {
            Detail::Stream(stream) => stream.1.last_response.as_ref(),
            _ => None,
        }
    }

    /// The token failure ([`ErrorKind::Auth`]).
    pub fn as_auth(&self) -> Option<&AuthError> {
        self.0.source.as_deref()?.downcast_ref()
    }

    /// The configuration failure ([`ErrorKind::Config`]).
    pub fn as_config(&self) -> Option<&ConfigError> {
        self.0.source.as_deref()?.downcast_ref()
    }
}

/// Whether a failure of the HTTP client is worth another attempt: not a
/// request that cannot be built, a redirect or a decoding failure.
pub(crate) fn is_transient(error: &reqwest::Error) -> bool {
    !(error.is_builder() || error.is_redirect() || error.is_status() || error.is_decode())
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.0.source.as_deref().map(|e| e as _)
    }
}

impl From<ConfigError> for Error {
    fn from(error: ConfigError) -> Self {
        Self::local(ErrorKind::Config, Detail::None, Some(error.into()))
    }
}

impl From<AuthError> for Error {
    fn from(error: AuthError) -> Self {
        let call = CallSummary {
            status: error.status(),
            ..CallSummary::default()
        };
        Self::new(ErrorKind::Auth, call, Detail::None, Some(error.into()))
    }
}
