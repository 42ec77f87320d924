//! Turning the generated client's error, plus what the middleware recorded
//! during the call, into the SDK's [`Error`].

use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde::Serialize;

use crate::api_error_body::{self, ErrorBody};
use crate::auth::{AuthError, AuthErrorKind};
use crate::call_record::Facts;
use crate::error::{ApiError, DecodeError, DecodeErrorKind, Error, ErrorCode};
use crate::middleware::REQUEST_ID;

/// At most this much of an error body is kept for [`ApiError::body`].
const BODY_SNIPPET_BYTES: usize = 1024;

pub(crate) async fn from_generated<E: Serialize>(
    error: progenitor_client::Error<E>,
    facts: Facts,
) -> Error {
    let maybe_processed = facts.maybe_processed;
    let mut error = classify(error, facts).await;
    match &mut error {
        Error::Api(api) => api.maybe_processed = maybe_processed,
        Error::Transport {
            maybe_processed: flag,
            ..
        }
        | Error::Timeout {
            maybe_processed: flag,
            ..
        } => *flag = maybe_processed,
        _ => {}
    }
    error
}

async fn classify<E: Serialize>(error: progenitor_client::Error<E>, mut facts: Facts) -> Error {
    use progenitor_client::Error as Generated;
    let attempts = facts.attempts;
    match error {
        Generated::Custom(message) => facts
            .failure
            .take()
            .unwrap_or_else(|| Error::Auth(AuthError::new(AuthErrorKind::Provider, message))),
        // The generated client refuses a request whose path escaped its
        // template (a `.`, `..` or empty path parameter).
        Generated::InvalidRequest(message) => facts.failure.take().unwrap_or(Error::InvalidInput {
            field: "path",
            reason: message,
        }),
        Generated::CommunicationError(source) | Generated::InvalidUpgrade(source) => {
            transport(source, attempts)
        }
        Generated::ResponseBodyError(source) => match (facts.too_large, facts.status) {
            (Some(limit), Some(status)) => too_large(status, limit, &facts),
            _ => transport(source, attempts),
        },
        Generated::ErrorResponse(response) => {
            let status = response.status();
            let headers = response.headers().clone();
            let body = serde_json::to_value(response.into_inner()).unwrap_or_default();
            let details = api_error_body::from_value(&body).unwrap_or_default();
            api(
                status,
                &headers,
                details,
                snippet(body.to_string().as_bytes()),
                attempts,
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
                None => api_from_facts(status, &facts, &bytes),
            }
        }
        Generated::UnexpectedResponse(response) => {
            let status = response.status();
            let headers = response.headers().clone();
            let bytes = response.bytes().await.unwrap_or_default();
            match facts.too_large {
                Some(limit) => too_large(status, limit, &facts),
                None if status.is_success() => {
                    decode(status, &facts, DecodeErrorKind::UndocumentedStatus)
                }
                None => {
                    let details = api_error_body::parse(&bytes).unwrap_or_default();
                    api(status, &headers, details, snippet(&bytes), attempts)
                }
            }
        }
    }
}

fn transport(source: reqwest::Error, attempts: u32) -> Error {
    if source.is_timeout() {
        Error::Timeout {
            attempts,
            source: Some(source),
            maybe_processed: false,
        }
    } else {
        Error::Transport {
            source,
            attempts,
            maybe_processed: false,
        }
    }
}

fn api(
    status: StatusCode,
    headers: &HeaderMap,
    details: ErrorBody,
    body: String,
    attempts: u32,
) -> Error {
    Error::Api(ApiError {
        status,
        code: details.code.as_deref().map(ErrorCode::parse),
        message: details.message,
        request_id: headers
            .get(REQUEST_ID)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned),
        retry_after: crate::retry_after::from_headers(headers, std::time::SystemTime::now()),
        attempts,
        body,
        maybe_processed: false,
    })
}

fn api_from_facts(status: StatusCode, facts: &Facts, bytes: &[u8]) -> Error {
    let details = api_error_body::parse(bytes).unwrap_or_default();
    Error::Api(ApiError {
        status,
        code: details.code.as_deref().map(ErrorCode::parse),
        message: details.message,
        request_id: facts.request_id(),
        retry_after: facts.retry_after,
        attempts: facts.attempts,
        body: snippet(bytes),
        maybe_processed: false,
    })
}

fn decode(status: StatusCode, facts: &Facts, kind: DecodeErrorKind) -> Error {
    Error::Decode(DecodeError {
        status,
        request_id: facts.request_id(),
        attempts: facts.attempts,
        kind,
    })
}

/// An over-limit body: a decode error for a success, an API error (status
/// kept, no details) otherwise.
fn too_large(status: StatusCode, limit: usize, facts: &Facts) -> Error {
    if status.is_success() {
        decode(status, facts, DecodeErrorKind::TooLarge { limit })
    } else {
        api_from_facts(status, facts, b"")
    }
}

fn snippet(bytes: &[u8]) -> String {
    let end = bytes.len().min(BODY_SNIPPET_BYTES);
    String::from_utf8_lossy(&bytes[..end]).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn error_bodies_that_do_not_decode_keep_their_status() {
        let facts = Facts {
            attempts: 3,
            status: Some(StatusCode::BAD_GATEWAY),
            request_id: Some(reqwest::header::HeaderValue::from_static("r1")),
            ..Facts::default()
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
        let facts = Facts {
            attempts: 1,
            status: Some(StatusCode::OK),
            ..Facts::default()
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
