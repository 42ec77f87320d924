//! Sending one request with retries, in steps: begin an attempt, send it,
//! judge the answer or the failure, then decide whether to go again.
//!
//! An operation that is not idempotent (it creates something) is sent
//! again only when the first request surely was not processed: the
//! connection could not be made, the API answered 429, or it answered 401
//! and a fresh token is tried. Any other failure after the request left is
//! returned at once, marked as possibly processed.

use std::time::{Duration, Instant, SystemTime};

use http::StatusCode;
use http::header::AUTHORIZATION;
use moveworks_api::Operation;
use reqwest::{Request, Response};

use super::body::{Answer, buffered, wants_event_stream};
use super::call_record::note;
use super::headers::REQUEST_ID;
use super::idempotency::is_idempotent;
use super::middleware::SdkMiddleware;
use super::retry_after;
use super::retry_decision::{Decision, decide, may_have_processed, retries_status};
use super::retry_policy::RetryPolicy;

/// What an attempt's outcome calls for.
enum Next {
    /// The outcome is the call's.
    Finish,
    /// A 401 that a fresh token may cure: send again with one.
    RefreshToken,
    /// A failure worth another attempt, if the policy and the deadline
    /// allow: `asked` is the wait the answer asked for.
    Retry {
        asked: Option<Duration>,
        status: Option<u16>,
    },
}

/// One call's progress through its attempts.
struct Attempts<'a> {
    policy: &'a RetryPolicy,
    attempt_timeout: Duration,
    idempotent: bool,
    /// A streamed response lives as long as its consumer reads it: only the
    /// connect and idle timeouts apply.
    streaming: bool,
    /// When tracing is on: when the call started.
    started: Option<Instant>,
    deadline: Instant,
    /// The first attempt has all the time there is: no clock reading.
    first: Option<Duration>,
    sent: u32,
    retries: u32,
    refreshed_token: bool,
}

impl SdkMiddleware {
    /// Sends `request`, retrying as the policy says, and returns the last
    /// outcome; `trace` gets the attempt count, status and request id.
    ///
    /// One async fn for the whole call, its steps plain functions: every
    /// call allocates this future, and an async block awaiting another
    /// async fn would hold the request (and the inner future) twice.
    pub(super) async fn send_with_retries(
        &self,
        client: &reqwest::Client,
        mut request: Request,
        operation: &'static Operation,
        trace: tracing::Span,
    ) -> reqwest::Result<Response> {
        let mut call = self.start(operation, &trace, &request);
        let span = trace.id();
        let outcome = loop {
            let copy = call.begin(&mut request, self.shared.provider.can_refresh());
            let outcome = match client.execute(request).await {
                Ok(response) => {
                    let answer = Answer::new(response, call.streaming);
                    buffered(answer, self.shared.max_response_bytes).await
                }
                Err(error) => Err(error),
            };
            let next = match &outcome {
                Ok(response) => self.answered(&mut call, response),
                Err(error) => failed(&call, error, span.as_ref()),
            };
            request = match next {
                Next::Finish => break outcome,
                // Boxed, like the sleep below: rare paths whose futures
                // would otherwise enlarge every call's.
                Next::RefreshToken => {
                    match Box::pin(self.with_fresh_token(copy, span.clone())).await {
                        Some(fresh) => fresh,
                        None => break outcome,
                    }
                }
                Next::Retry { asked, status } => match (call.next_wait(asked), copy) {
                    (Some(wait), Some(copy)) => {
                        tracing::info!(
                            parent: span.clone(),
                            attempt = call.sent,
                            status,
                            wait_ms = wait.as_millis() as u64,
                            "retrying"
                        );
                        Box::pin(tokio::time::sleep(wait)).await;
                        copy
                    }
                    _ => break outcome,
                },
            };
        };
        call.record(&trace, &outcome);
        outcome
    }

    fn start<'a>(
        &'a self,
        operation: &'static Operation,
        trace: &tracing::Span,
        request: &Request,
    ) -> Attempts<'a> {
        let timeouts = &self.settings.timeouts;
        let started = (!trace.is_disabled()).then(Instant::now);
        Attempts {
            policy: &self.settings.retry,
            attempt_timeout: timeouts.attempt,
            idempotent: is_idempotent(operation),
            streaming: wants_event_stream(request.headers()),
            started,
            deadline: started.unwrap_or_else(Instant::now) + timeouts.total,
            first: Some(timeouts.total),
            sent: 0,
            retries: 0,
            refreshed_token: false,
        }
    }

    /// Judges an answer. No event for an answer that ends the call: the
    /// span records its status, and formatting an event per call cost a
    /// DEBUG subscriber more than the span itself. An answer that is
    /// retried is named by the `retrying` event.
    fn answered(&self, call: &mut Attempts<'_>, response: &Response) -> Next {
        let status = response.status();
        let asked = observe(response, call.sent);
        if status == StatusCode::UNAUTHORIZED
            && !call.refreshed_token
            && self.shared.provider.can_refresh()
        {
            call.refreshed_token = true;
            return Next::RefreshToken;
        }
        if !retries_status(call.policy, call.idempotent, status.as_u16()) {
            if !call.idempotent && may_have_processed(status.as_u16()) {
                note(|facts| facts.maybe_processed = true);
            }
            return Next::Finish;
        }
        Next::Retry {
            asked,
            status: Some(status.as_u16()),
        }
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
}

impl Attempts<'_> {
    /// Counts the attempt, bounds it by the time left, and keeps a copy of
    /// the request (the body is shared bytes) while another attempt is
    /// possible, since sending consumes it.
    fn begin(&mut self, request: &mut Request, can_refresh: bool) -> Option<Request> {
        self.sent += 1;
        let remaining = self
            .first
            .take()
            .unwrap_or_else(|| self.deadline.saturating_duration_since(Instant::now()));
        let may_resend =
            self.retries < self.policy.max_retries || (!self.refreshed_token && can_refresh);
        let copy = if may_resend {
            request.try_clone()
        } else {
            None
        };
        if !self.streaming {
            *request.timeout_mut() = Some(
                self.attempt_timeout
                    .min(remaining)
                    .max(Duration::from_millis(1)),
            );
        }
        copy
    }

    /// The wait before the next attempt, or `None` to stop.
    fn next_wait(&mut self, asked: Option<Duration>) -> Option<Duration> {
        self.retries += 1;
        let remaining = self.deadline.saturating_duration_since(Instant::now());
        match decide(self.policy, self.retries, asked, remaining) {
            Decision::RetryAfter(wait) => Some(wait),
            Decision::Stop => None,
        }
    }

    /// Records the call on its span, once, at the end: each record costs a
    /// subscriber some formatting.
    fn record(&self, trace: &tracing::Span, outcome: &reqwest::Result<Response>) {
        let Some(started) = self.started else {
            return;
        };
        trace.record("attempts", self.sent);
        trace.record("elapsed_ms", started.elapsed().as_millis() as u64);
        if let Ok(response) = outcome {
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
}

/// Judges a failure to send or to receive.
fn failed(call: &Attempts<'_>, error: &reqwest::Error, span: Option<&tracing::Id>) -> Next {
    let attempts = call.sent;
    note(|facts| facts.attempts = attempts);
    tracing::debug!(parent: span.cloned(), attempt = attempts, error = %without_url(error), "attempt failed");
    if call.idempotent && !is_retryable_transport(error) {
        return Next::Finish;
    }
    if !call.idempotent && !error.is_connect() {
        // Sent (or at least not surely unsent): a second request could do
        // the work twice.
        if !error.is_builder() {
            note(|facts| facts.maybe_processed = true);
        }
        return Next::Finish;
    }
    Next::Retry {
        asked: None,
        status: None,
    }
}

/// Records the attempt count and the answer's status, request id and
/// `Retry-After` in the call record; returns the `Retry-After`.
fn observe(response: &Response, attempts: u32) -> Option<Duration> {
    let status = response.status();
    let asked = if status.is_success() {
        None
    } else {
        retry_after::from_headers(response.headers(), SystemTime::now())
    };
    note(|facts| {
        facts.attempts = attempts;
        facts.status = Some(status);
        // The header value (a reference count), not a `String`: most calls
        // never ask for it.
        facts.request_id = response.headers().get(REQUEST_ID).cloned();
        facts.retry_after = asked;
    });
    asked
}

/// Connection failures, timeouts and interrupted bodies are worth another
/// attempt; a request the client could not even build is not.
fn is_retryable_transport(error: &reqwest::Error) -> bool {
    !(error.is_builder() || error.is_redirect() || error.is_status() || error.is_decode())
}

/// Display of a reqwest error without its URL.
fn without_url(error: &reqwest::Error) -> String {
    let mut text = error.to_string();
    if let Some(url) = error.url() {
        text = text.replace(url.as_str(), "<url>");
    }
    text
}
