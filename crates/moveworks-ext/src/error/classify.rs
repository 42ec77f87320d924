//! Turning the generated client's error, plus what the transport recorded
//! during the call, into the SDK's [`Error`].

use http::StatusCode;
use serde::Serialize;

use super::api_error::ApiError;
use super::api_error_body::{self, ErrorBody};
use super::call_facts::CallFacts;
use super::decode_error::{DecodeError, DecodeErrorKind};
use super::error_code::ErrorCode;
use super::sdk_error::Error;
use super::timeout_error::TimeoutError;
use super::transport_error::TransportError;
use crate::auth::{AuthError, AuthErrorKind};

/// At most this much of an error body is kept for [`ApiError::body`].
const BODY_SNIPPET_BYTES: usize = 1024;

/// The SDK's error for a failed call.
pub(crate) async fn from_generated<E: Serialize>(
    error: progenitor_client::Error<E>,
    mut facts: CallFacts,
) -> Error {
    use progenitor_client::Error as Generated;
    match error {
        Generated::Custom(message) => facts.failure.take().map_or_else(
            || Error::Auth(AuthError::new(AuthErrorKind::Provider, message)),
            |failure| *failure,
        ),
        // The generated client refuses a request whose path escaped its
        // template (a `.`, `..` or empty path parameter).
        Generated::InvalidRequest(message) => facts
            .failure
            .take()
            .map_or_else(|| Error::invalid_input("path", message), |failure| *failure),
        // A deadline of the SDK's own (a stream's headers) or a token
        // failure inside `send` arrive with a placeholder source: the
        // record has the real error.
        Generated::CommunicationError(source) | Generated::InvalidUpgrade(source) => {
            match facts.failure.take() {
                Some(failure) => *failure,
                None if facts.own_timeout => own_timeout(&facts),
                None => transport(source, &facts),
            }
        }
        Generated::ResponseBodyError(source) => match (facts.too_large, facts.status) {
            (Some(limit), Some(status)) => too_large(status, limit, &facts),
            _ => transport(source, &facts),
        },
        Generated::ErrorResponse(response) => {
            let status = response.status();
            let body = serde_json::to_value(response.into_inner()).unwrap_or_default();
            let details = api_error_body::from_value(&body).unwrap_or_default();
            api(
                status,
                details,
                snippet(body.to_string().as_bytes()),
                &facts,
            )
        }
        Generated::InvalidResponsePayload(bytes, source) => {
            let status = facts.status.unwrap_or(StatusCode::OK);
            match facts.too_large {
                Some(limit) => too_large(status, limit, &facts),
                None if status.is_success() => {
                    decode(status, &facts, DecodeErrorKind::Json(source))
                }
                // An error status whose body is not the documented JSON (a
                // proxy's HTML, nothing, a cut-off body): the status stays.
                None => api_from_bytes(status, &bytes, &facts),
            }
        }
        Generated::UnexpectedResponse(response) => {
            let status = response.status();
            let bytes = response.bytes().await.unwrap_or_default();
            match facts.too_large {
                Some(limit) => too_large(status, limit, &facts),
                None if status.is_success() => {
                    decode(status, &facts, DecodeErrorKind::UndocumentedStatus)
                }
                None => api_from_bytes(status, &bytes, &facts),
            }
        }
    }
}

fn transport(source: reqwest::Error, facts: &CallFacts) -> Error {
    let flags = (facts.maybe_processed, facts.budget_spent);
    if source.is_timeout() {
        let step = facts.timeout_step;
        Error::Timeout(
            TimeoutError::new(Some(source), step, facts.attempts).with_flags(flags.0, flags.1),
        )
    } else {
        Error::Transport(TransportError::new(source, facts.attempts).with_flags(flags.0, flags.1))
    }
}

/// A deadline of the SDK's own passed; the reqwest error is a placeholder.
fn own_timeout(facts: &CallFacts) -> Error {
    let timeout = TimeoutError::new(None, facts.timeout_step, facts.attempts);
    Error::Timeout(timeout.with_flags(facts.maybe_processed, facts.budget_spent))
}

/// An error answer; the request id and `Retry-After` are those the
/// transport read off the same answer.
fn api(status: StatusCode, details: ErrorBody, body: String, facts: &CallFacts) -> Error {
    Error::Api(ApiError {
        status,
        code: details.code.as_deref().map(ErrorCode::parse),
        message: details.message,
        request_id: facts.request_id(),
        retry_after: facts.retry_after,
        attempts: facts.attempts,
        body,
        maybe_processed: facts.maybe_processed,
        budget_spent: facts.budget_spent,
    })
}

fn api_from_bytes(status: StatusCode, bytes: &[u8], facts: &CallFacts) -> Error {
    let details = api_error_body::parse(bytes).unwrap_or_default();
    api(status, details, snippet(bytes), facts)
}

fn decode(status: StatusCode, facts: &CallFacts, kind: DecodeErrorKind) -> Error {
    Error::Decode(DecodeError {
        status,
        request_id: facts.request_id(),
        attempts: facts.attempts,
        kind,
    })
}

/// An over-limit body: a decode error for a success, an API error (status
/// kept, no details) otherwise.
fn too_large(status: StatusCode, limit: usize, facts: &CallFacts) -> Error {
    if status.is_success() {
        decode(status, facts, DecodeErrorKind::TooLarge { limit })
    } else {
        api_from_bytes(status, b"", facts)
    }
}

fn snippet(bytes: &[u8]) -> String {
    let end = bytes.len().min(BODY_SNIPPET_BYTES);
    String::from_utf8_lossy(&bytes[..end]).into_owned()
}

#[cfg(test)]
mod tests {
    use http::HeaderValue;

    use super::*;

    #[tokio::test]
    async fn error_bodies_that_do_not_decode_keep_their_status() {
        let facts = CallFacts {
            attempts: 3,
            status: Some(StatusCode::BAD_GATEWAY),
            request_id: Some(HeaderValue::from_static("r1")),
            ..CallFacts::default()
        };
        let source = serde_json::from_slice::<serde_json::Value>(b"<html>").unwrap_err();
        let error = from_generated::<()>(
            progenitor_client::Error::InvalidResponsePayload("<html>".into(), source),
            facts,
        )
        .await;
        assert_eq!(error.status(), Some(StatusCode::BAD_GATEWAY));
        assert_eq!(error.attempts(), 3);
        assert_eq!(error.request_id(), Some("r1"));
        let Error::Api(api) = error else {
            panic!("expected an API error")
        };
        assert_eq!(api.body(), "<html>");
        assert_eq!(api.code(), None);
    }

    #[tokio::test]
    async fn success_bodies_that_do_not_decode_are_decode_errors() {
        let facts = CallFacts {
            attempts: 1,
            status: Some(StatusCode::OK),
            ..CallFacts::default()
        };
        let source = serde_json::from_slice::<serde_json::Value>(b"{").unwrap_err();
        let error = from_generated::<()>(
            progenitor_client::Error::InvalidResponsePayload("{".into(), source),
            facts,
        )
        .await;
        assert!(
            matches!(
                error,
                Error::Decode(DecodeError {
                    kind: DecodeErrorKind::Json(_),
                    ..
                })
            ),
            "{error}"
        );
    }
}
