//! How an [`Error`] reads: what happened, then how the call went (attempts,
//! request id, whether the budget stopped the retries, whether the request
//! may have been processed).

use super::call_error::{CallSummary, Detail, Error, StreamContext, StreamEnd};
use super::error_code::ErrorCode;
use super::kind::{CallStep, ErrorKind};
use std::fmt::{self, Formatter};

type Cause<'a> = Option<&'a (dyn std::error::Error + Send + Sync)>;

/// "1 attempt", "3 attempts".
fn attempts(n: u32) -> String {
    format!("{n} attempt{}", if n == 1 { "" } else { "s" })
}

const BUDGET_SPENT: &str = "; not retried: the client's retry budget is spent";
const MAYBE_PROCESSED: &str =
    "; the request may have been processed: check before sending it again";

impl fmt::Display for Error {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        self.what_happened(f)?;
        if self.0.call.budget_spent {
            f.write_str(BUDGET_SPENT)?;
        }
        if self.0.call.maybe_processed {
            f.write_str(MAYBE_PROCESSED)?;
        }
        Ok(())
    }
}

impl Error {
    /// The message without the notes on the retries.
    fn what_happened(&self, f: &mut Formatter<'_>) -> fmt::Result {
        let call = &self.0.call;
        let cause = self.0.source.as_deref();
        match &self.0.detail {
            Detail::Api { code, message, .. } => api(f, call, code.as_ref(), message.as_deref()),
            Detail::Transport { .. } => {
                write!(f, "transport error after {}", attempts(call.attempts))?;
                cause.map_or(Ok(()), |cause| write!(f, ": {cause}"))
            }
            Detail::Timeout(step) => timeout(f, call, *step),
            Detail::Decode(too_large) => decode(f, call, *too_large, cause),
            Detail::InvalidInput { field, reason } => write!(f, "invalid `{field}`: {reason}"),
            Detail::ResponseFailed(response) => write!(
                f,
                "the assistant could not answer: response {} of conversation {} is FAILED",
                response.response_id, response.conversation_id
            ),
            Detail::WaitTimeout {
                response_id,
                last_status,
                waited,
                polls,
            } => {
                write!(
                    f,
                    "response {response_id} did not finish within {:.1}s ({polls} polls, last status {})",
                    waited.as_secs_f64(),
                    last_status.as_ref().map_or("unknown", |s| s.as_str())
                )?;
                cause.map_or(Ok(()), |last| write!(f, "; last poll: {last}"))
            }
            Detail::Pagination {
                operation,
                page,
                cursor,
                repeated: true,
            } => write!(
                f,
                "{operation}: page {page} points to cursor `{cursor}`, which this walk has already followed"
            ),
            Detail::Pagination {
                operation,
                page,
                cursor,
                ..
            } => write!(
                f,
                "{operation}: stopped at the limit of {page} pages with more to come (resume from cursor `{cursor}`, or raise max_pages)"
            ),
            Detail::Stream(stream) => stream_end(f, call, &stream.0, &stream.1, cause),
            Detail::None => match (self.0.kind, cause) {
                (ErrorKind::Config, Some(cause)) => write!(f, "configuration error: {cause}"),
                (ErrorKind::Auth, Some(cause)) => write!(f, "authentication failed: {cause}"),
                (kind, _) => f.write_str(kind.as_str()),
            },
        }
    }
}

fn status(call: &CallSummary) -> String {
    call.status.map(|s| s.to_string()).unwrap_or_default()
}

fn api(
    f: &mut Formatter<'_>,
    call: &CallSummary,
    code: Option<&ErrorCode>,
    message: Option<&str>,
) -> fmt::Result {
    write!(f, "Moveworks API returned {}", status(call))?;
    if let Some(code) = code {
        write!(f, " {code}")?;
    }
    if let Some(message) = message {
        write!(f, ": {message}")?;
    }
    write!(f, " ({}", attempts(call.attempts))?;
    if let Some(id) = &call.request_id {
        write!(f, ", request id {id}")?;
    }
    if let Some(wait) = call.retry_after {
        write!(f, ", retry after {:.1}s", wait.as_secs_f64())?;
    }
    f.write_str(")")
}

fn timeout(f: &mut Formatter<'_>, call: &CallSummary, step: Option<CallStep>) -> fmt::Result {
    f.write_str("timed out")?;
    if let Some(step) = step {
        write!(f, " {}", step.describe())?;
    }
    if call.attempts > 0 {
        write!(f, " after {}", attempts(call.attempts))?;
    }
    Ok(())
}

fn decode(
    f: &mut Formatter<'_>,
    call: &CallSummary,
    too_large: Option<usize>,
    cause: Cause<'_>,
) -> fmt::Result {
    let status = status(call);
    match (too_large, cause) {
        (Some(limit), _) => write!(
            f,
            "the {status} response body exceeds the {limit}-byte limit"
        ),
        (None, Some(cause)) => write!(
            f,
            "the {status} response body is not the documented JSON: {cause}"
        ),
        (None, None) => write!(
            f,
            "the API answered {status}, a status this operation does not document"
        ),
    }
}

fn stream_end(
    f: &mut Formatter<'_>,
    call: &CallSummary,
    end: &StreamEnd,
    context: &StreamContext,
    cause: Cause<'_>,
) -> fmt::Result {
    f.write_str("response stream incomplete: ")?;
    match (end, cause) {
        (StreamEnd::ErrorEvent { code, message }, _) => {
            write!(f, "the API reported {code}: {message}")?
        }
        (StreamEnd::Closed, _) => f.write_str("the server ended it early")?,
        (StreamEnd::Cut, Some(cause)) => write!(f, "the connection failed: {cause}")?,
        (StreamEnd::Cut, None) => f.write_str("the connection failed")?,
        (StreamEnd::Idle(idle), _) => write!(f, "no event for {:.1}s", idle.as_secs_f64())?,
        (StreamEnd::EventTooLarge(limit), _) => {
            write!(f, "an event exceeds the {limit}-byte limit")?
        }
        (StreamEnd::AnswerTooLarge(limit), _) => {
            write!(f, "the answer's text exceeds the {limit}-byte limit")?
        }
        (StreamEnd::Malformed(event), cause) => write!(
            f,
            "malformed {} event: {}",
            event.as_deref().unwrap_or("SSE"),
            cause.map(ToString::to_string).unwrap_or_default()
        )?,
    }
    write!(f, " (conversation {}", context.conversation_id)?;
    match &context.response_id {
        Some(id) => write!(f, ", response {id}")?,
        None => f.write_str(", response id unknown")?,
    }
    write!(f, ", {} events received", context.events)?;
    if let Some(id) = &call.request_id {
        write!(f, ", request id {id}")?;
    }
    f.write_str(")")
}
