//! How an [`Error`] reads: what happened, then how the call went (attempts,
//! request id, whether the budget stopped the retries, whether the request
//! may have been processed).

use std::fmt;

use super::call_error::{Detail, Error, StreamEnd};
use super::kind::ErrorKind;

/// "1 attempt", "3 attempts".
struct Attempts(u32);

impl fmt::Display for Attempts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let noun = if self.0 == 1 { "attempt" } else { "attempts" };
        write!(f, "{} {noun}", self.0)
    }
}

const BUDGET_SPENT: &str = "; not retried: the client's retry budget is spent";
const MAYBE_PROCESSED: &str =
    "; the request may have been processed: check before sending it again";

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let call = &self.0.call;
        let source = self.0.source.as_deref();
        match &self.0.detail {
            Detail::Api { code, message, .. } => {
                let status = call.status.map(|s| s.to_string()).unwrap_or_default();
                write!(f, "Moveworks API returned {status}")?;
                if let Some(code) = code {
                    write!(f, " {code}")?;
                }
                if let Some(message) = message {
                    write!(f, ": {message}")?;
                }
                write!(f, " ({}", Attempts(call.attempts))?;
                if let Some(id) = &call.request_id {
                    write!(f, ", request id {id}")?;
                }
                if let Some(wait) = call.retry_after {
                    write!(f, ", retry after {:.1}s", wait.as_secs_f64())?;
                }
                f.write_str(")")?;
            }
            Detail::Transport { .. } => {
                write!(f, "transport error after {}", Attempts(call.attempts))?;
                if let Some(source) = source {
                    write!(f, ": {source}")?;
                }
            }
            Detail::Timeout { step } => {
                f.write_str("timed out")?;
                if let Some(step) = step {
                    write!(f, " {}", step.describe())?;
                }
                if call.attempts > 0 {
                    write!(f, " after {}", Attempts(call.attempts))?;
                }
            }
            Detail::Decode { too_large } => {
                let status = call.status.map(|s| s.to_string()).unwrap_or_default();
                match (too_large, source) {
                    (Some(limit), _) => write!(
                        f,
                        "the {status} response body exceeds the {limit}-byte limit"
                    )?,
                    (None, Some(source)) => write!(
                        f,
                        "the {status} response body is not the documented JSON: {source}"
                    )?,
                    (None, None) => write!(
                        f,
                        "the API answered {status}, a status this operation does not document"
                    )?,
                }
            }
            Detail::InvalidInput { field, reason } => write!(f, "invalid `{field}`: {reason}")?,
            Detail::ResponseFailed(response) => write!(
                f,
                "the assistant could not answer: response {} of conversation {} is FAILED",
                response.response_id, response.conversation_id
            )?,
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
                if let Some(last) = source {
                    write!(f, "; last poll: {last}")?;
                }
            }
            Detail::Pagination {
                operation,
                page,
                cursor,
                repeated: true,
            } => write!(
                f,
                "{operation}: page {page} points to cursor `{cursor}`, which this walk has already followed"
            )?,
            Detail::Pagination {
                operation,
                page,
                cursor,
                repeated: false,
            } => write!(
                f,
                "{operation}: stopped at the limit of {page} pages with more to come (resume from cursor `{cursor}`, or raise max_pages)"
            )?,
            Detail::Stream(stream) => {
                let (end, context) = stream.as_ref();
                f.write_str("response stream incomplete: ")?;
                match end {
                    StreamEnd::ErrorEvent { code, message } => {
                        write!(f, "the API reported {code}: {message}")?
                    }
                    StreamEnd::Closed => f.write_str("the server ended it early")?,
                    StreamEnd::Cut => match source {
                        Some(source) => write!(f, "the connection failed: {source}")?,
                        None => f.write_str("the connection failed")?,
                    },
                    StreamEnd::Idle(idle) => {
                        write!(f, "no event for {:.1}s", idle.as_secs_f64())?
                    }
                    StreamEnd::EventTooLarge { limit } => {
                        write!(f, "an event exceeds the {limit}-byte limit")?
                    }
                    StreamEnd::AnswerTooLarge { limit } => {
                        write!(f, "the answer's text exceeds the {limit}-byte limit")?
                    }
                    StreamEnd::Malformed { event } => write!(
                        f,
                        "malformed {} event: {}",
                        event.as_deref().unwrap_or("SSE"),
                        source.map(ToString::to_string).unwrap_or_default()
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
                f.write_str(")")?;
            }
            Detail::None => match (self.0.kind, source) {
                (ErrorKind::Config, Some(source)) => write!(f, "configuration error: {source}")?,
                (ErrorKind::Auth, Some(source)) => write!(f, "authentication failed: {source}")?,
                (kind, _) => f.write_str(kind.as_str())?,
            },
        }
        if call.budget_spent {
            f.write_str(BUDGET_SPENT)?;
        }
        if call.maybe_processed {
            f.write_str(MAYBE_PROCESSED)?;
        }
        Ok(())
    }
}
