//! The [`Middleware`] every request of the generated client goes through:
//! it adds the auth headers, sends with retries, timeouts and a response
//! size limit, refreshes the token once on a 401, and traces the call.
//!
//! It holds no per-operation code: every operation the generator emits
//! gets all of this.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use http_body_util::BodyExt;
use moveworks_api::Operation;
use moveworks_api::middleware::{BoxError, BoxFuture, Middleware};
use reqwest::header::{
    ACCEPT, AUTHORIZATION, CONTENT_LENGTH, CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue,
    TRANSFER_ENCODING, USER_AGENT,
};
use reqwest::{Request, Response, StatusCode};
use tracing::Instrument;

use crate::auth::TokenProvider;
use crate::call_record::{self, note};
use crate::config::Timeouts;
use crate::error::Error;
use crate::retry::{Decision, RetryPolicy, decide};
use crate::retry_after;

/// The header Moveworks uses to name the assistant.
pub(crate) const ASSISTANT_NAME: HeaderName = HeaderName::from_static("assistant-name");

/// The response header Moveworks documents for tracing a request.
pub(crate) const REQUEST_ID: &str = "x-moveworks-root-uuid";

/// What every call of a client shares.
pub(crate) struct Shared {
    pub(crate) provider: Arc<dyn TokenProvider>,
    pub(crate) assistant_name: HeaderValue,
    pub(crate) user_agent: HeaderValue,
    pub(crate) max_response_bytes: usize,
}

/// What a call may override (see [`CallOptions`](crate::CallOptions)).
#[derive(Debug, Clone)]
pub(crate) struct Settings {
    pub(crate) retry: RetryPolicy,
    pub(crate) timeouts: Timeouts,
    pub(crate) headers: HeaderMap,
}

pub(crate) struct SdkMiddleware {
    pub(crate) shared: Arc<Shared>,
    pub(crate) settings: Settings,
}

impl fmt::Debug for SdkMiddleware {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SdkMiddleware")
            .field("assistant_name", &self.shared.assistant_name)
            .field("retry", &self.settings.retry)
            .field("timeouts", &self.settings.timeouts)
            .finish_non_exhaustive()
    }
}

impl Middleware for SdkMiddleware {
    fn prepare<'a>(
        &'a self,
        request: &'a mut Request,
        _: &'static Operation,
    ) -> BoxFuture<'a, Result<(), BoxError>> {
        Box::pin(async move {
            let token = match self.shared.provider.token().await {
                Ok(token) => token,
                Err(error) => {
                    note(|facts| facts.failure = Some(Error::Auth(error.clone())));
                    return Err(Box::new(error) as BoxError);
                }
            };
            let headers = request.headers_mut();
            for (name, value) in &self.settings.headers {
                headers.insert(name, value.clone());
            }
            headers.insert(AUTHORIZATION, token.header().clone());
            headers.insert(ASSISTANT_NAME, self.shared.assistant_name.clone());
            headers.insert(USER_AGENT, self.shared.user_agent.clone());
            Ok(())
        })
    }

    fn send<'a>(
        &'a self,
        client: &'a reqwest::Client,
        request: Request,
        operation: &'static Operation,
    ) -> BoxFuture<'a, reqwest::Result<Response>> {
        let span = tracing::info_span!(
            "moveworks.request",
            operation = operation.id,
            method = operation.method,
            attempts = tracing::field::Empty,
            status = tracing::field::Empty,
            request_id = tracing::field::Empty,
            elapsed_ms = tracing::field::Empty,
        );
        Box::pin(self.send_with_retries(client, request).instrument(span))
    }
}

impl SdkMiddleware {
    async fn send_with_retries(
        &self,
        client: &reqwest::Client,
        mut request: Request,
    ) -> reqwest::Result<Response> {
        let started = Instant::now();
        let deadline = started + self.settings.timeouts.total;
        let policy = &self.settings.retry;
        // A streamed response lives as long as its consumer reads it: only
        // the connect and idle timeouts apply.
        let streaming = wants_event_stream(request.headers());
        let mut attempts = 0;
        let mut retries = 0;
        let mut refreshed_token = false;
        loop {
            attempts += 1;
            let remaining = deadline.saturating_duration_since(Instant::now());
            let may_resend = retries < policy.max_retries
                || (!refreshed_token && self.shared.provider.can_refresh());
            // Sending consumes the request; keep a copy (the body is shared
            // bytes) while another attempt is possible.
            let mut copy = if may_resend {
                request.try_clone()
            } else {
                None
            };
            if !streaming {
                *request.timeout_mut() = Some(
                    self.settings
                        .timeouts
                        .attempt
                        .min(remaining)
                        .max(Duration::from_millis(1)),
                );
            }
            note(|facts| facts.attempts = attempts);
            let outcome = match client.execute(request).await {
                Ok(response) => self.buffered(response, streaming).await,
                Err(error) => Err(error),
            };
            let span = tracing::Span::current();
            span.record("attempts", attempts);
            span.record("elapsed_ms", started.elapsed().as_millis() as u64);

            let asked = match &outcome {
                Ok(response) => {
                    let status = response.status();
                    let asked = self.observe(response);
                    tracing::debug!(
                        attempt = attempts,
                        status = status.as_u16(),
                        "attempt answered"
                    );
                    if status == StatusCode::UNAUTHORIZED
                        && !refreshed_token
                        && self.shared.provider.can_refresh()
                    {
                        refreshed_token = true;
                        if let Some(fresh) = self.with_fresh_token(copy.take()).await {
                            request = fresh;
                            continue;
                        }
                    }
                    if !policy.retries_status(status.as_u16()) {
                        return outcome;
                    }
                    asked
                }
                Err(error) => {
                    tracing::debug!(attempt = attempts, error = %error.without_url_ref(), "attempt failed");
                    if !is_retryable_transport(error) {
                        return outcome;
                    }
                    None
                }
            };
            retries += 1;
            let remaining = deadline.saturating_duration_since(Instant::now());
            match (decide(policy, retries, asked, remaining), copy) {
                (Decision::RetryAfter(wait), Some(copy)) => {
                    tracing::info!(
                        attempt = attempts,
                        wait_ms = wait.as_millis() as u64,
                        "retrying"
                    );
                    tokio::time::sleep(wait).await;
                    request = copy;
                }
                _ => return outcome,
            }
        }
    }

    /// Records the answer's status, request id and `Retry-After` in the
    /// span and the call record; returns the `Retry-After`.
    fn observe(&self, response: &Response) -> Option<Duration> {
        let status = response.status();
        let request_id = response
            .headers()
            .get(REQUEST_ID)
            .and_then(|v| v.to_str().ok());
        let span = tracing::Span::current();
        span.record("status", status.as_u16());
        if let Some(id) = request_id {
            span.record("request_id", id);
        }
        let asked = if status.is_success() {
            None
        } else {
            retry_after::from_headers(response.headers(), SystemTime::now())
        };
        if call_record::is_recording() {
            let request_id = request_id.map(str::to_owned);
            note(|facts| {
                facts.status = Some(status);
                facts.request_id = request_id;
                facts.retry_after = asked;
            });
        }
        asked
    }

    /// After a 401: drops the token that was sent and returns the request
    /// again with a fresh one, or `None` when no fresh token can be had.
    async fn with_fresh_token(&self, copy: Option<Request>) -> Option<Request> {
        let provider = &self.shared.provider;
        let mut request = copy?;
        let sent = request.headers().get(AUTHORIZATION).cloned();
        if let Ok(current) = provider.token().await
            && Some(current.header()) == sent.as_ref()
        {
            provider.invalidate(&current);
        }
        match provider.token().await {
            Ok(fresh) => {
                request
                    .headers_mut()
                    .insert(AUTHORIZATION, fresh.header().clone());
                tracing::info!("401 answered; retrying once with a refreshed token");
                Some(request)
            }
            Err(error) => {
                tracing::warn!(%error, "401 answered and the token could not be refreshed");
                None
            }
        }
    }

    /// Reads the body inside the attempt, so that a connection that fails
    /// or stalls mid-body is retried like any other transport failure, and
    /// enforces the size limit: an over-limit body is replaced by an empty
    /// one and the call record says why, so the call fails instead of
    /// exhausting memory. Streamed responses pass through untouched.
    async fn buffered(&self, response: Response, streaming: bool) -> reqwest::Result<Response> {
        if streaming || wants_event_stream_response(response.headers()) {
            return Ok(response);
        }
        let limit = self.shared.max_response_bytes;
        let announced = response.content_length();
        let (mut parts, mut body) = http::Response::from(response).into_parts();
        if announced.is_some_and(|length| length > limit as u64) {
            return Ok(too_large(parts, limit));
        }
        let mut bytes = Vec::with_capacity(announced.map_or(0, |length| length as usize));
        while let Some(frame) = body.frame().await {
            if let Ok(data) = frame?.into_data() {
                if bytes.len() + data.len() > limit {
                    return Ok(too_large(parts, limit));
                }
                bytes.extend_from_slice(&data);
            }
        }
        parts.headers.remove(TRANSFER_ENCODING);
        Ok(Response::from(http::Response::from_parts(parts, bytes)))
    }
}

fn too_large(mut parts: http::response::Parts, limit: usize) -> Response {
    note(|facts| facts.too_large = Some(limit));
    tracing::warn!(
        limit,
        status = parts.status.as_u16(),
        "response body over the size limit"
    );
    parts.headers.remove(CONTENT_LENGTH);
    parts.headers.remove(TRANSFER_ENCODING);
    Response::from(http::Response::from_parts(parts, Vec::new()))
}

fn wants_event_stream(headers: &HeaderMap) -> bool {
    headers
        .get(ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/event-stream"))
}

fn wants_event_stream_response(headers: &HeaderMap) -> bool {
    headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/event-stream"))
}

/// Connection failures, timeouts and interrupted bodies are worth another
/// attempt; a request the client could not even build is not.
fn is_retryable_transport(error: &reqwest::Error) -> bool {
    !(error.is_builder() || error.is_redirect() || error.is_status() || error.is_decode())
}

/// Display of a reqwest error without its URL.
trait WithoutUrlRef {
    fn without_url_ref(&self) -> String;
}

impl WithoutUrlRef for reqwest::Error {
    fn without_url_ref(&self) -> String {
        let mut text = self.to_string();
        if let Some(url) = self.url() {
            text = text.replace(url.as_str(), "<url>");
        }
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_stream_detection() {
        let mut headers = HeaderMap::new();
        assert!(!wants_event_stream(&headers));
        headers.insert(ACCEPT, HeaderValue::from_static("text/event-stream"));
        assert!(wants_event_stream(&headers));
        let mut answer = HeaderMap::new();
        answer.insert(
            CONTENT_TYPE,
            HeaderValue::from_static("text/event-stream; charset=utf-8"),
        );
        assert!(wants_event_stream_response(&answer));
    }
}
