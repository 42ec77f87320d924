//! Sending one request with retries, in steps: begin an attempt, send it,
//! judge the answer or the failure, then decide whether to go again.
//!
//! Every wait of the call is inside its total deadline: the token (see
//! `token.rs`), connecting, the answer's headers and body (the attempt's
//! time limit, never past the total), and the backoff sleeps (a retry whose
//! wait would end past the deadline is not made). A stream's headers get
//! the attempt limit from a timer of the SDK's own, since the HTTP
//! client's request timeout would also cut the stream's body; after them,
//! the stream's idle timeout applies between events. All of this holds
//! whatever `reqwest::Client` the user passes.
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
use super::call_record::{self, note};
use super::headers::request_id;
use super::idempotency::is_idempotent;
use super::middleware::SdkMiddleware;
use super::retry_after;
use super::retry_decision::{Decision, decide, may_have_processed, retries_status};
use super::retry_policy::RetryPolicy;
use crate::error::{CallStep, is_transient};

/// Why an attempt failed.
enum Failure {
    /// The HTTP client failed, in `step` (headers or body).
    Http {
        error: reqwest::Error,
        step: CallStep,
    },
    /// A deadline of the SDK's own passed, in this step.
    Deadline(CallStep),
}

/// What an attempt's outcome calls for.
enum Next {
    /// The outcome is the call's.
    Finish,
    /// A 401 that a fresh token may cure: send again with one.
    RefreshToken,
    /// A failure worth another attempt, if the policy, the deadline and
    /// the budget allow: `asked` is the wait the answer asked for.
    Retry {
        asked: Option<Duration>,
        status: Option<u16>,
        timed_out: bool,
    },
}

/// One call's progress through its attempts.
struct Attempts<'a> {
    policy: &'a RetryPolicy,
    attempt_timeout: Duration,
    idempotent: bool,
    /// A streamed response lives as long as its consumer reads it: only its
    /// headers are bounded by the attempt's limit.
    streaming: bool,
    /// When tracing is on: when the call started.
    started: Option<Instant>,
    deadline: Instant,
    /// The first attempt has all the time there is: no clock reading.
    first: Option<Duration>,
    sent: u32,
    retries: u32,
    /// Budget tokens this call's retries took.
    leased: u32,
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
            let (copy, limit) = call.begin(&mut request, self.shared.provider.can_refresh());
            let outcome = if call.streaming {
                match tokio::time::timeout(limit, client.execute(request)).await {
                    Ok(Ok(response)) => Ok(response),
                    Ok(Err(error)) => Err(Failure::http(error, CallStep::Headers)),
                    Err(_) => Err(Failure::Deadline(CallStep::Headers)),
                }
            } else {
                match client.execute(request).await {
                    Ok(response) => {
                        let answer = Answer::new(response, false);
                        buffered(answer, self.shared.max_response_bytes)
                            .await
                            .map_err(|error| Failure::http(error, CallStep::Body))
                    }
                    Err(error) => Err(Failure::http(error, CallStep::Headers)),
                }
            };
            let next = match &outcome {
                Ok(response) => self.answered(&mut call, response),
                Err(failure) => failed(&call, failure, span.as_ref()),
            };
            request = match next {
                Next::Finish => break outcome,
                // Boxed, like the sleep below: rare paths whose futures
                // would otherwise enlarge every call's.
                Next::RefreshToken => match Box::pin(self.with_fresh_token(&call, copy)).await {
                    Ok(Some(fresh)) => fresh,
                    Ok(None) => break outcome,
                    Err(step) => break Err(Failure::Deadline(step)),
                },
                Next::Retry {
                    asked,
                    status,
                    timed_out,
                } => match (self.next_wait(&mut call, asked, timed_out), copy) {
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
        outcome.map_err(|failure| failure.into_reqwest(client))
    }

    fn start<'a>(
        &'a self,
        operation: &'static Operation,
        trace: &tracing::Span,
        request: &Request,
    ) -> Attempts<'a> {
        let timeouts = &self.settings.timeouts;
        let traced = (!trace.is_disabled()).then(Instant::now);
        // A call that waited for its token started then.
        let started = call_record::started();
        let first = match started {
            Some(at) => timeouts.total.saturating_sub(at.elapsed()),
            None => timeouts.total,
        };
        let idempotent = self
            .settings
            .idempotent
            .unwrap_or_else(|| is_idempotent(operation));
        Attempts {
            policy: &self.settings.retry,
            attempt_timeout: timeouts.attempt,
            idempotent,
            streaming: wants_event_stream(request.headers()),
            started: traced,
            deadline: crate::config::after(
                started.or(traced).unwrap_or_else(Instant::now),
                timeouts.total,
            ),
            first: Some(first),
            sent: 0,
            retries: 0,
            leased: 0,
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
        if status.is_success() {
            if let Some(bucket) = &self.shared.budget {
                bucket.succeeded(call.leased);
            }
            return Next::Finish;
        }
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
            timed_out: false,
        }
    }

    /// After a 401: the request again with a fresh token in place of the
    /// one sent; `Ok(None)` when none can be had; the token step when the
    /// deadline passed getting one.
    async fn with_fresh_token(
        &self,
        call: &Attempts<'_>,
        copy: Option<Request>,
    ) -> Result<Option<Request>, CallStep> {
        let Some(mut request) = copy else {
            return Ok(None);
        };
        let sent = request.headers().get(AUTHORIZATION).cloned();
        let fresh = self
            .fresh_token(call.remaining(), sent.as_ref())
            .await
            .map_err(|_| CallStep::Token)?;
        Ok(fresh.map(|token| {
            request
                .headers_mut()
                .insert(AUTHORIZATION, token.header().clone());
            tracing::info!("401 answered; retrying once with a refreshed token");
            request
        }))
    }

    /// The wait before the next attempt, or `None` to stop: the policy and
    /// the deadline allow no more, or the budget cannot pay for it.
    fn next_wait(
        &self,
        call: &mut Attempts<'_>,
        asked: Option<Duration>,
        timed_out: bool,
    ) -> Option<Duration> {
        call.retries += 1;
        let Decision::RetryAfter(wait) = decide(call.policy, call.retries, asked, call.remaining())
        else {
            return None;
        };
        match self.pay_for_retry(timed_out) {
            Some(cost) => {
                call.leased += cost;
                Some(wait)
            }
            None => {
                note(|facts| facts.budget_spent = true);
                None
            }
        }
    }
}

impl Attempts<'_> {
    /// Counts the attempt, bounds it by the time left, and keeps a copy of
    /// the request (the body is shared bytes) while another attempt is
    /// possible, since sending consumes it. Returns the copy and the
    /// attempt's time limit.
    fn begin(&mut self, request: &mut Request, can_refresh: bool) -> (Option<Request>, Duration) {
        self.sent += 1;
        let remaining = self.first.take().unwrap_or_else(|| self.remaining());
        let may_resend =
            self.retries < self.policy.max_retries || (!self.refreshed_token && can_refresh);
        let copy = if may_resend {
            request.try_clone()
        } else {
            None
        };
        let limit = self
            .attempt_timeout
            .min(remaining)
            .max(Duration::from_millis(1));
        if !self.streaming {
            *request.timeout_mut() = Some(limit);
        }
        (copy, limit)
    }

    /// The time left before the total deadline.
    fn remaining(&self) -> Duration {
        self.deadline.saturating_duration_since(Instant::now())
    }

    /// Records the call on its span, once, at the end: each record costs a
    /// subscriber some formatting.
    fn record(&self, trace: &tracing::Span, outcome: &Result<Response, Failure>) {
        let Some(started) = self.started else {
            return;
        };
        trace.record("attempts", self.sent);
        trace.record("elapsed_ms", started.elapsed().as_millis() as u64);
        if let Ok(response) = outcome {
            trace.record("status", response.status().as_u16());
            if let Some(id) = request_id(response.headers()).and_then(|v| v.to_str().ok()) {
                trace.record("request_id", id);
            }
        }
    }
}

impl Failure {
    fn http(error: reqwest::Error, step: CallStep) -> Self {
        // A failure to connect is the connect step, whichever call saw it.
        let step = if error.is_connect() {
            CallStep::Connect
        } else {
            step
        };
        Failure::Http { error, step }
    }

    fn is_timeout(&self) -> bool {
        match self {
            Failure::Http { error, .. } => error.is_timeout(),
            Failure::Deadline(_) => true,
        }
    }

    /// The error `send` returns. A deadline of the SDK's own has no
    /// reqwest error to return: the call record says what happened, and a
    /// placeholder stands in for it.
    fn into_reqwest(self, client: &reqwest::Client) -> reqwest::Error {
        match self {
            Failure::Http { error, .. } => error,
            Failure::Deadline(step) => {
                note(|facts| {
                    facts.timeout_step = Some(step);
                    facts.own_timeout = true;
                });
                placeholder_error(client)
            }
        }
    }
}

/// Judges a failure to send or to receive.
fn failed(call: &Attempts<'_>, failure: &Failure, span: Option<&tracing::Id>) -> Next {
    let attempts = call.sent;
    let timed_out = failure.is_timeout();
    note(|facts| {
        facts.attempts = attempts;
        // Read only for a timeout: a failure of another kind leaves it be.
        if timed_out {
            let (Failure::Http { step, .. } | Failure::Deadline(step)) = failure;
            facts.timeout_step = Some(*step);
        }
    });
    let (transient, connect, built) = match failure {
        Failure::Http { error, .. } => {
            tracing::debug!(parent: span.cloned(), attempt = attempts, error = %without_url(error), "attempt failed");
            (is_transient(error), error.is_connect(), !error.is_builder())
        }
        Failure::Deadline(step) => {
            tracing::debug!(parent: span.cloned(), attempt = attempts, ?step, "attempt timed out");
            (true, false, true)
        }
    };
    if call.idempotent && !transient {
        return Next::Finish;
    }
    if !call.idempotent && !connect {
        // Sent (or at least not surely unsent): a second request could do
        // the work twice. A request that could not even be built was not.
        if built {
            note(|facts| facts.maybe_processed = true);
        }
        return Next::Finish;
    }
    Next::Retry {
        asked: None,
        status: None,
        timed_out,
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
        facts.timeout_step = None;
        // The header value (a reference count), not a `String`: most calls
        // never ask for it.
        facts.request_id = request_id(response.headers()).cloned();
        facts.retry_after = asked;
    });
    asked
}

/// A reqwest error to return where the SDK itself ended an attempt: a
/// request to an unparsable URL, which fails when built, before any I/O.
fn placeholder_error(client: &reqwest::Client) -> reqwest::Error {
    match client.get("http://[").build() {
        Err(error) => error,
        // `http://[` never parses; were it to, a request that is never sent
        // is as good a carrier.
        Ok(request) => match client.get(request.url().as_str()).header("\n", "").build() {
            Err(error) => error,
            Ok(_) => unreachable!("a header named by a line break is refused"),
        },
    }
}

/// Display of a reqwest error without its URL.
fn without_url(error: &reqwest::Error) -> String {
    let mut text = error.to_string();
    if let Some(url) = error.url() {
        text = text.replace(url.as_str(), "<url>");
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_placeholder_is_built_without_io() {
        let error = placeholder_error(&reqwest::Client::new());
        assert!(error.is_builder(), "{error}");
        assert!(!is_transient(&error));
    }
}
