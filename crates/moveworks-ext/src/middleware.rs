//! The [`Middleware`] every request of the generated client goes through:
//! it adds the auth headers, sends with retries, timeouts and a response
//! size limit, refreshes the token once on a 401, and traces the call.
//!
//! It holds no per-operation code: every operation the generator emits
//! gets all of this.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use bytes::Bytes;
use http_body_util::BodyExt;
use moveworks_api::Operation;
use moveworks_api::middleware::{BoxError, BoxFuture, Middleware};
use reqwest::ResponseBuilderExt;
use reqwest::header::{
    ACCEPT, AUTHORIZATION, CONTENT_LENGTH, CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue,
    TRANSFER_ENCODING, USER_AGENT,
};
use reqwest::{Request, Response, StatusCode};

use crate::auth::{AccessToken, TokenProvider};
use crate::call_record::note;
use crate::config::Timeouts;
use crate::error::Error;
use crate::retry::{self, Decision, RetryPolicy, decide};
use crate::retry_after;

/// The header Moveworks uses to name the assistant.
pub(crate) const ASSISTANT_NAME: HeaderName = HeaderName::from_static("assistant-name");

/// The response header Moveworks documents for tracing a request. A
/// `HeaderName`, not a `&str`: looking a header up by `&str` parses the name
/// on every call.
pub(crate) const REQUEST_ID: HeaderName = HeaderName::from_static("x-moveworks-root-uuid");

/// What every call of a client shares.
pub(crate) struct Shared {
    pub(crate) provider: Arc<dyn TokenProvider>,
    pub(crate) assistant_name: HeaderValue,
    pub(crate) user_agent: HeaderValue,
    pub(crate) max_response_bytes: usize,
    /// The read timeout of the SDK's own HTTP client (none for one the
    /// user supplied): a stream cannot stay silent longer.
    pub(crate) read_timeout: Option<Duration>,
}

/// What a call may override (see [`CallOptions`](crate::CallOptions)).
#[derive(Debug, Clone)]
pub(crate) struct Settings {
    pub(crate) retry: RetryPolicy,
    pub(crate) timeouts: Timeouts,
    pub(crate) headers: HeaderMap,
    /// Not used per request: read by the waiting helpers.
    pub(crate) wait: crate::wait::WaitPolicy,
    /// Not used per request: the longest wait between two events of a
    /// response stream.
    pub(crate) stream_idle: Duration,
}

pub(crate) struct SdkMiddleware {
    pub(crate) shared: Arc<Shared>,
    pub(crate) settings: Arc<Settings>,
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
        // A token at hand (static, or cached and fresh) is the common case:
        // no token future, and a zero-sized answer, which boxes without
        // allocating.
        if let Some(token) = self.shared.provider.ready_token() {
            self.add_headers(request, &token);
            return Box::pin(Prepared);
        }
        Box::pin(async move {
            let token = match self.shared.provider.token().await {
                Ok(token) => token,
                Err(error) => {
                    note(|facts| facts.failure = Some(Error::Auth(error.clone())));
                    return Err(Box::new(error) as BoxError);
                }
            };
            self.add_headers(request, &token);
            Ok(())
        })
    }

    fn send<'a>(
        &'a self,
        client: &'a reqwest::Client,
        request: Request,
        operation: &'static Operation,
    ) -> BoxFuture<'a, reqwest::Result<Response>> {
        // DEBUG, like tower-http's and the AWS SDK's request spans: a
        // service logging at INFO pays nothing for it; `moveworks_ext=debug`
        // turns it on. Retries and token refreshes are INFO events.
        let span = tracing::debug_span!(
            "moveworks.request",
            operation = operation.id,
            method = operation.method,
            attempts = tracing::field::Empty,
            status = tracing::field::Empty,
            request_id = tracing::field::Empty,
            elapsed_ms = tracing::field::Empty,
        );
        // The span is not entered while the request is in flight: entering
        // on every poll costs a subscriber more than the span itself. Events
        // of this module name it as their parent instead.
        Box::pin(self.send_traced(client, request, operation, span))
    }
}

/// A `prepare` that finished before it was polled.
struct Prepared;

impl std::future::Future for Prepared {
    type Output = Result<(), BoxError>;

    fn poll(
        self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Self::Output> {
        std::task::Poll::Ready(Ok(()))
    }
}

impl SdkMiddleware {
    fn add_headers(&self, request: &mut Request, token: &AccessToken) {
        let headers = request.headers_mut();
        for (name, value) in &self.settings.headers {
            headers.insert(name, value.clone());
        }
        headers.insert(AUTHORIZATION, token.header().clone());
        headers.insert(ASSISTANT_NAME, self.shared.assistant_name.clone());
        headers.insert(USER_AGENT, self.shared.user_agent.clone());
    }

    /// Sends `request`, retrying as the policy says, and returns the last
    /// outcome; `trace` gets the attempt count, status and request id.
    ///
    /// An operation that is not idempotent (it creates something) is sent
    /// again only when the first request surely was not processed: the
    /// connection could not be made, the API answered 429, or it answered
    /// 401 and a fresh token is tried. Any other failure after the request
    /// left is returned at once, marked as possibly processed.
    ///
    /// One async fn for the whole call: every call allocates this future,
    /// and an async block awaiting another async fn would hold the request
    /// (and the inner future) twice.
    async fn send_traced(
        &self,
        client: &reqwest::Client,
        mut request: Request,
        operation: &'static Operation,
        trace: tracing::Span,
    ) -> reqwest::Result<Response> {
        let started = (!trace.is_disabled()).then(Instant::now);
        let span = trace.id();
        let now = started.unwrap_or_else(Instant::now);
        let deadline = now + self.settings.timeouts.total;
        // The first attempt has all the time there is: no clock reading.
        let mut first = Some(self.settings.timeouts.total);
        let policy = &self.settings.retry;
        let idempotent = retry::is_idempotent(operation);
        // A streamed response lives as long as its consumer reads it: only
        // the connect and idle timeouts apply.
        let streaming = wants_event_stream(request.headers());
        let mut attempts = 0;
        let mut retries = 0;
        let mut refreshed_token = false;
        let (outcome, attempts) = loop {
            attempts += 1;
            let remaining = first
                .take()
                .unwrap_or_else(|| deadline.saturating_duration_since(Instant::now()));
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
            let outcome = match client.execute(request).await {
                Ok(response) => self.buffered(Answer::new(response, streaming)).await,
                Err(error) => Err(error),
            };
            // No event for an answer that ends the call: the span records
            // its status, and formatting an event per call cost a DEBUG
            // subscriber more than the span itself. An answer that is
            // retried is named by the `retrying` event.
            let mut answered = None;
            let asked = match &outcome {
                Ok(response) => {
                    let status = response.status();
                    answered = Some(status.as_u16());
                    let asked = self.observe(response, attempts);
                    if status == StatusCode::UNAUTHORIZED
                        && !refreshed_token
                        && self.shared.provider.can_refresh()
                    {
                        refreshed_token = true;
                        // Boxed, like the sleep below: rare paths whose
                        // futures would otherwise enlarge every call's.
                        if let Some(fresh) =
                            Box::pin(self.with_fresh_token(copy.take(), span.clone())).await
                        {
                            request = fresh;
                            continue;
                        }
                    }
                    if !retry::retries_status(policy, idempotent, status.as_u16()) {
                        if !idempotent && retry::may_have_processed(status.as_u16()) {
                            note(|facts| facts.maybe_processed = true);
                        }
                        break (outcome, attempts);
                    }
                    asked
                }
                Err(error) => {
                    note(|facts| facts.attempts = attempts);
                    tracing::debug!(parent: span.clone(), attempt = attempts, error = %error.without_url_ref(), "attempt failed");
                    if idempotent && !is_retryable_transport(error) {
                        break (outcome, attempts);
                    }
                    if !idempotent && !error.is_connect() {
                        // Sent (or at least not surely unsent): a second
                        // request could do the work twice.
                        if !error.is_builder() {
                            note(|facts| facts.maybe_processed = true);
                        }
                        break (outcome, attempts);
                    }
                    None
                }
            };
            retries += 1;
            let remaining = deadline.saturating_duration_since(Instant::now());
            match (decide(policy, retries, asked, remaining), copy) {
                (Decision::RetryAfter(wait), Some(copy)) => {
                    tracing::info!(
                        parent: span.clone(),
                        attempt = attempts,
                        status = answered,
                        wait_ms = wait.as_millis() as u64,
                        "retrying"
                    );
                    Box::pin(tokio::time::sleep(wait)).await;
                    request = copy;
                }
                _ => break (outcome, attempts),
            }
        };
        if let Some(started) = started {
            // Recorded once, at the end: each record costs a subscriber some
            // formatting.
            trace.record("attempts", attempts);
            trace.record("elapsed_ms", started.elapsed().as_millis() as u64);
            if let Ok(response) = &outcome {
                trace.record("status", response.status().as_u16());
                if let Some(id) = response
                    .headers()
                    .get(REQUEST_ID)
                    .and_then(|v| v.to_str().ok())
                {
                    trace.record("request_id", id);
                }
            }
        }
        outcome
    }

    /// Records the attempt count and the answer's status, request id and
    /// `Retry-After` in the call record; returns the `Retry-After`.
    fn observe(&self, response: &Response, attempts: u32) -> Option<Duration> {
        let status = response.status();
        let asked = if status.is_success() {
            None
        } else {
            retry_after::from_headers(response.headers(), SystemTime::now())
        };
        note(|facts| {
            facts.attempts = attempts;
            facts.status = Some(status);
            // The header value (a reference count), not a `String`: most
            // calls never ask for it.
            facts.request_id = response.headers().get(REQUEST_ID).cloned();
            facts.retry_after = asked;
        });
        asked
    }

    /// After a 401: drops the token that was sent and returns the request
    /// again with a fresh one, or `None` when no fresh token can be had.
    async fn with_fresh_token(
        &self,
        copy: Option<Request>,
        span: Option<tracing::Id>,
    ) -> Option<Request> {
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
                tracing::info!(parent: span.clone(), "401 answered; retrying once with a refreshed token");
                Some(request)
            }
            Err(error) => {
                tracing::warn!(parent: span.clone(), %error, "401 answered and the token could not be refreshed");
                None
            }
        }
    }

    /// Reads the body inside the attempt, so that a connection that fails
    /// or stalls mid-body is retried like any other transport failure, and
    /// enforces the size limit: an over-limit body is replaced by an empty
    /// one and the call record says why, so the call fails instead of
    /// exhausting memory. Streamed responses pass through untouched.
    ///
    /// The answer is worked on in place, through references: this future is
    /// part of every call's, and a value moved out of an async fn's argument
    /// and kept across an await is stored twice.
    async fn buffered(&self, mut answer: Answer) -> reqwest::Result<Response> {
        let limit = self.shared.max_response_bytes;
        let Answer::Whole {
            response,
            announced,
            ..
        } = &mut answer
        else {
            return Ok(answer.into_response(None));
        };
        let announced = *announced;
        if announced.is_some_and(|length| length > limit as u64) {
            return Ok(answer.into_response(Some(limit)));
        }
        let mut collected = Collected::Empty;
        while let Some(frame) = response.body_mut().frame().await {
            if let Ok(data) = frame?.into_data()
                && !collected.push(data, limit, announced)
            {
                return Ok(answer.into_response(Some(limit)));
            }
        }
        *response.body_mut() = collected.into_body();
        Ok(answer.into_response(None))
    }
}

/// An attempt's answer, before its body is read.
enum Answer {
    /// An event stream: read by the caller, as it comes.
    Streamed(Response),
    /// Read whole inside the attempt.
    Whole {
        response: http::Response<reqwest::Body>,
        // Converting back to a reqwest response loses the URL unless it is
        // carried over explicitly (and reqwest then parses a placeholder).
        url: reqwest::Url,
        announced: Option<u64>,
    },
}

impl Answer {
    fn new(response: Response, streaming: bool) -> Answer {
        if streaming || wants_event_stream_response(response.headers()) {
            return Answer::Streamed(response);
        }
        Answer::Whole {
            announced: response.content_length(),
            url: response.url().clone(),
            response: http::Response::from(response),
        }
    }

    /// The reqwest response; with `too_large`, its body replaced by an
    /// empty one because it was over that limit.
    fn into_response(self, too_large: Option<usize>) -> Response {
        match (self, too_large) {
            (Answer::Streamed(response), _) => response,
            (Answer::Whole { response, url, .. }, None) => with_url(response, url),
            (Answer::Whole { response, url, .. }, Some(limit)) => {
                self::too_large(response, url, limit)
            }
        }
    }
}

/// A body read frame by frame. Most answers arrive in one frame, which is
/// kept as it came (a reference count), not copied.
enum Collected {
    Empty,
    One(Bytes),
    Many(Vec<u8>),
}

impl Collected {
    /// Adds `data`; false if the body would then exceed `limit`.
    fn push(&mut self, data: Bytes, limit: usize, announced: Option<u64>) -> bool {
        let held = match self {
            Collected::Empty => 0,
            Collected::One(first) => first.len(),
            Collected::Many(bytes) => bytes.len(),
        };
        if held + data.len() > limit {
            return false;
        }
        match std::mem::replace(self, Collected::Empty) {
            Collected::Empty => *self = Collected::One(data),
            Collected::One(first) => {
                let capacity = announced.map_or(0, |n| n as usize).max(held + data.len());
                let mut bytes = Vec::with_capacity(capacity);
                bytes.extend_from_slice(&first);
                bytes.extend_from_slice(&data);
                *self = Collected::Many(bytes);
            }
            Collected::Many(mut bytes) => {
                bytes.extend_from_slice(&data);
                *self = Collected::Many(bytes);
            }
        }
        true
    }

    fn into_body(self) -> reqwest::Body {
        match self {
            Collected::Empty => reqwest::Body::from(Bytes::new()),
            Collected::One(bytes) => reqwest::Body::from(bytes),
            Collected::Many(bytes) => reqwest::Body::from(bytes),
        }
    }
}

/// `response` (its body now complete) as a reqwest response again, with
/// its `url`.
fn with_url(mut response: http::Response<reqwest::Body>, url: reqwest::Url) -> Response {
    // The body is whole now: no longer chunked.
    response.headers_mut().remove(TRANSFER_ENCODING);
    // reqwest reads the URL from an extension only its builder extension
    // can set.
    if let Some(carrier) = http::Response::builder().url(url).extensions_mut() {
        response.extensions_mut().extend(std::mem::take(carrier));
    }
    Response::from(response)
}

fn too_large(
    mut response: http::Response<reqwest::Body>,
    url: reqwest::Url,
    limit: usize,
) -> Response {
    note(|facts| facts.too_large = Some(limit));
    tracing::warn!(
        limit,
        status = response.status().as_u16(),
        "response body over the size limit"
    );
    response.headers_mut().remove(CONTENT_LENGTH);
    *response.body_mut() = reqwest::Body::from(Bytes::new());
    with_url(response, url)
}

fn wants_event_stream(headers: &HeaderMap) -> bool {
    const EVENT_STREAM: &[u8] = b"text/event-stream";
    // A byte search, not `str::contains`: its searcher's set-up is most of
    // the cost of answering no for `application/json`, on every request.
    headers.get(ACCEPT).is_some_and(|v| {
        v.as_bytes()
            .windows(EVENT_STREAM.len())
            .any(|w| w == EVENT_STREAM)
    })
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

    #[tokio::test]
    async fn bodies_are_collected_whole_and_within_the_limit() {
        let body = |collected: Collected| async move {
            collected.into_body().collect().await.unwrap().to_bytes()
        };
        let mut one = Collected::Empty;
        assert!(one.push(Bytes::from_static(b"{}"), 10, Some(2)));
        assert!(matches!(one, Collected::One(_)));
        assert_eq!(body(one).await, &b"{}"[..]);

        let mut many = Collected::Empty;
        for chunk in [&b"abc"[..], b"def", b"gh"] {
            assert!(many.push(Bytes::from_static(chunk), 8, None));
        }
        assert_eq!(body(many).await, &b"abcdefgh"[..]);

        let mut over = Collected::Empty;
        assert!(over.push(Bytes::from_static(b"abcd"), 6, None));
        assert!(!over.push(Bytes::from_static(b"efg"), 6, None));
        assert!(body(Collected::Empty).await.is_empty());
    }

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
