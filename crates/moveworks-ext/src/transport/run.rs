//! A call: attempts of one operation until one answer ends it, judged with
//! the whole answer in hand (status, headers, body) before it is decoded.
//!
//! Each attempt asks the operation for a fresh request (the generated
//! [`Call`]: request and decoder apart), so nothing is cloned for a retry
//! that is never made. Every wait of the call is inside its total deadline:
//! the token, connecting, the answer's headers and body (the attempt's
//! limit, never past the total), and the backoff sleeps (a retry whose wait
//! would end past the deadline is not made).
//!
//! An operation that is not idempotent (it creates something) is sent
//! again only when the first request surely was not processed: the
//! connection could not be made, the API answered 429, or it answered 401
//! and a fresh token is tried. Any other failure after the request left is
//! returned at once, marked as possibly processed.

use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use http::StatusCode;
use http::header::{AUTHORIZATION, USER_AGENT};
use moveworks_api::call::Decoder;
use moveworks_api::{Call, Operation, ResponseValue};
use reqwest::Request;

use super::attempt::{self, Answer, Failure};
use super::headers::{ASSISTANT_NAME, request_id};
use super::idempotency::is_idempotent;
use super::identity::Identity;
use super::retry_after;
use super::settings::{RequestSettings, Shared};
use crate::auth::{AccessToken, TokenProvider};
use crate::error::{CallStep, CallSummary, Error, is_transient};

/// A call's decoded answer, and how many requests it took.
pub(crate) struct Done<T> {
    pub(crate) value: ResponseValue<T>,
    pub(crate) attempts: u32,
}

/// One call's progress through its attempts.
struct Progress<'a> {
    settings: &'a RequestSettings,
    /// Where this call's tokens come from: its identity's, for every
    /// attempt and the refresh after a 401.
    provider: Arc<dyn TokenProvider>,
    started: Instant,
    deadline: Instant,
    /// Known once the first request is built.
    idempotent: bool,
    retries: u32,
    /// Budget tokens this call's retries took.
    leased: u32,
    refreshed_token: bool,
    summary: CallSummary,
}

/// What an attempt's outcome calls for.
enum Next {
    /// Send again after this wait.
    Retry(Duration),
    /// The answer ends the call.
    Answer(Answer),
    Fail(Error),
}

impl Shared {
    /// Runs `operation` for `identity` under `settings`: attempts,
    /// retries, deadlines, then the decoded answer or the typed error.
    pub(crate) async fn run<'a, T, E>(
        &'a self,
        settings: &RequestSettings,
        identity: &Identity,
        operation: impl Fn(&'a moveworks_api::Client) -> Call<'a, T, E>,
    ) -> Result<Done<T>, Error> {
        let mut progress = Progress::new(settings, self.provider_for(identity)?);
        let trace = tracing::debug_span!(
            "moveworks.request",
            operation = tracing::field::Empty,
            attempts = tracing::field::Empty,
            status = tracing::field::Empty,
            request_id = tracing::field::Empty,
            elapsed_ms = tracing::field::Empty,
        );
        let outcome = loop {
            let (request, decode, described) = match build(operation(&self.api)) {
                Ok(parts) => parts,
                Err(error) => break Err(error),
            };
            if progress.summary.attempts == 0 {
                progress.idempotent = settings
                    .idempotent
                    .unwrap_or_else(|| is_idempotent(described));
                trace.record("operation", described.id);
            }
            let streaming = described.accept == Some("text/event-stream");
            match self
                .attempt(&mut progress, request, streaming, &trace)
                .await
            {
                Next::Retry(wait) => tokio::time::sleep(wait).await,
                Next::Answer(answer) => break progress.decode(answer, decode).await,
                Next::Fail(error) => break Err(error),
            }
        };
        progress.record(&trace);
        outcome
    }

    /// Sends one request with the call's token and judges the outcome.
    async fn attempt(
        &self,
        progress: &mut Progress<'_>,
        mut request: Request,
        streaming: bool,
        trace: &tracing::Span,
    ) -> Next {
        let provider = &*progress.provider;
        let token = match self
            .token_until(provider, progress.settings, progress.deadline)
            .await
        {
            Ok(token) => token,
            Err(error) => return Next::Fail(error.with_call(progress.summary.clone())),
        };
        self.add_headers(&mut request, progress.settings, &token);
        progress.summary.attempts += 1;
        let (until, limit) = (progress.attempt_deadline(), self.max_response_bytes);
        let outcome = attempt::send(self.http(), request, until, streaming, limit).await;
        match outcome {
            Ok(answer) => self.answered(progress, answer, &token, trace),
            Err(failure) => self.failed(progress, failure, trace),
        }
    }

    fn add_headers(&self, request: &mut Request, settings: &RequestSettings, token: &AccessToken) {
        let headers = request.headers_mut();
        for (name, value) in &settings.headers {
            headers.insert(name, value.clone());
        }
        headers.insert(AUTHORIZATION, token.header().clone());
        headers.insert(ASSISTANT_NAME, self.assistant_name.clone());
        headers.insert(USER_AGENT, self.user_agent.clone());
    }

    /// Judges an answer.
    fn answered(
        &self,
        progress: &mut Progress<'_>,
        answer: Answer,
        token: &Arc<AccessToken>,
        trace: &tracing::Span,
    ) -> Next {
        let response = answer.response();
        let status = response.status();
        let code = status.as_u16();
        let asked = progress.observe(response);
        if status.is_success() {
            if let Some(bucket) = &self.budget {
                bucket.succeeded(progress.leased);
            }
            return Next::Answer(answer);
        }
        if status == StatusCode::UNAUTHORIZED
            && !progress.refreshed_token
            && progress.provider.can_refresh()
        {
            progress.refreshed_token = true;
            progress.provider.invalidate(token);
            tracing::info!(parent: trace, "401 answered; retrying once with a refreshed token");
            return Next::Retry(Duration::ZERO);
        }
        let retried = progress
            .settings
            .retry
            .retries_status(progress.idempotent, code);
        if retried && let Some(wait) = self.next_wait(progress, asked, false) {
            tracing::info!(
                parent: trace,
                attempt = progress.summary.attempts,
                status = code,
                wait_ms = wait.as_millis() as u64,
                "retrying"
            );
            return Next::Retry(wait);
        }
        if !progress.idempotent && may_have_processed(code) {
            progress.summary.maybe_processed = true;
        }
        Next::Answer(answer)
    }

    /// Judges a failure to send or to receive.
    fn failed(&self, progress: &mut Progress<'_>, failure: Failure, trace: &tracing::Span) -> Next {
        let attempt = progress.summary.attempts;
        // Without an error of the HTTP client, the attempt's limit passed.
        let (error, step) = match failure {
            Failure::Http(error, step) => (Some(error), step),
            Failure::Deadline(step) => (None, step),
        };
        tracing::debug!(
            parent: trace,
            attempt,
            ?step,
            error = error.as_ref().map(without_url),
            "attempt failed"
        );
        let timed_out = error.as_ref().is_none_or(reqwest::Error::is_timeout);
        // The connection could not be made: the request surely never arrived.
        let connect = error.as_ref().is_some_and(reqwest::Error::is_connect);
        // A request that is not idempotent is sent again only when it
        // surely did not arrive.
        let retry = if progress.idempotent {
            error.as_ref().is_none_or(is_transient)
        } else {
            connect
        };
        if retry && let Some(wait) = self.next_wait(progress, None, timed_out) {
            let wait_ms = wait.as_millis() as u64;
            tracing::info!(parent: trace, attempt, wait_ms, "retrying");
            return Next::Retry(wait);
        }
        // A request that could not even be built was not sent.
        let built = error.as_ref().is_none_or(|error| !error.is_builder());
        if !progress.idempotent && !connect && built {
            progress.summary.maybe_processed = true;
        }
        let summary = progress.summary.clone();
        Next::Fail(match error {
            Some(error) if !timed_out => Error::transport(error, step, summary),
            error => Error::timeout(Some(step), summary, error),
        })
    }

    /// The wait before the next attempt, or `None` to stop: the policy and
    /// the deadline allow no more, or the budget cannot pay for it.
    fn next_wait(
        &self,
        progress: &mut Progress<'_>,
        asked: Option<Duration>,
        after_timeout: bool,
    ) -> Option<Duration> {
        progress.retries += 1;
        let remaining = progress.remaining();
        let wait = progress
            .settings
            .retry
            .decide(progress.retries, asked, remaining)?;
        let Some(cost) = self.pay_for_retry(after_timeout) else {
            progress.summary.budget_spent = true;
            return None;
        };
        progress.leased += cost;
        Some(wait)
    }

    /// Takes what a retry costs from the budget: the tokens taken (0
    /// without a budget), or `None` when the budget cannot pay.
    pub(super) fn pay_for_retry(&self, after_timeout: bool) -> Option<u32> {
        let budget = self.budget.as_ref();
        budget.map_or(Some(0), |bucket| bucket.withdraw(after_timeout))
    }
}

/// Whether an answer with `status` leaves open that the API did the work
/// (a 5xx or a 408 may come after processing; a 4xx rejection does not).
fn may_have_processed(status: u16) -> bool {
    status >= 500 || status == 408
}

/// Display of a reqwest error without its URL, for logs.
fn without_url(error: &reqwest::Error) -> String {
    let mut text = error.to_string();
    if let Some(url) = error.url() {
        text = text.replace(url.as_str(), "<url>");
    }
    text
}

/// The request, the decoder and the operation of a generated call; a
/// request that could not be built (a path that escaped its template, a
/// header that is not one) is an invalid input, and nothing is sent.
fn build<T, E>(
    call: Call<'_, T, E>,
) -> Result<(Request, Decoder<T, E>, &'static Operation), Error> {
    let operation = call.operation();
    match call.into_parts() {
        Ok((request, decode)) => Ok((request, decode, operation)),
        Err(progenitor_client::Error::InvalidRequest(reason)) => {
            Err(Error::invalid_input("path", reason))
        }
        Err(progenitor_client::Error::CommunicationError(error)) => Err(Error::invalid_input(
            "request",
            format!("it cannot be built: {}", without_url(&error)),
        )),
        Err(_) => Err(Error::invalid_input("request", "it cannot be built")),
    }
}

impl<'a> Progress<'a> {
    fn new(settings: &'a RequestSettings, provider: Arc<dyn TokenProvider>) -> Self {
        let started = Instant::now();
        Self {
            settings,
            provider,
            started,
            deadline: crate::config::after(started, settings.timeouts.total),
            idempotent: false,
            retries: 0,
            leased: 0,
            refreshed_token: false,
            summary: CallSummary::default(),
        }
    }

    /// The time left before the total deadline.
    fn remaining(&self) -> Duration {
        self.deadline.saturating_duration_since(Instant::now())
    }

    /// When the next attempt must end: its own limit, never past the total.
    fn attempt_deadline(&self) -> Instant {
        let limit = self.settings.timeouts.attempt.min(self.remaining());
        crate::config::after(Instant::now(), limit.max(Duration::from_millis(1)))
    }

    /// Notes the answer's status, request id and `Retry-After`; returns the
    /// wait it asks for.
    fn observe(&mut self, response: &reqwest::Response) -> Option<Duration> {
        let status = response.status();
        let asked = if status.is_success() {
            None
        } else {
            retry_after::from_headers(response.headers(), SystemTime::now())
        };
        self.summary.status = Some(status);
        self.summary.request_id = request_id(response.headers())
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        self.summary.retry_after = asked;
        asked
    }

    /// The answer that ends the call, decoded (a success) or as the error
    /// it is.
    async fn decode<T, E>(&self, answer: Answer, decode: Decoder<T, E>) -> Result<Done<T>, Error> {
        let summary = self.summary.clone();
        let attempts = summary.attempts;
        let status = answer.response().status();
        let response = match answer {
            Answer::TooLarge(_, limit) if status.is_success() => {
                return Err(Error::too_large(limit, summary));
            }
            Answer::TooLarge(..) => return Err(Error::api(b"", summary)),
            Answer::Whole(_, bytes) if !status.is_success() => {
                return Err(Error::api(&bytes, summary));
            }
            Answer::Whole(response, _) | Answer::Streamed(response) => response,
        };
        match decode(response).await {
            Ok(value) => Ok(Done { value, attempts }),
            Err(progenitor_client::Error::InvalidResponsePayload(_, source)) => {
                Err(Error::decode(Some(source), summary))
            }
            Err(progenitor_client::Error::ResponseBodyError(source)) => {
                Err(Error::transport(source, CallStep::Body, summary))
            }
            // Every 2xx decodes as the documented success (the generator
            // documents the whole range): anything else is not the answer
            // the spec describes.
            Err(_) => Err(Error::decode(None, summary)),
        }
    }

    /// Records the call on its span, once, at the end: each record costs a
    /// subscriber some formatting.
    fn record(&self, trace: &tracing::Span) {
        if trace.is_disabled() {
            return;
        }
        trace.record("attempts", self.summary.attempts);
        trace.record("elapsed_ms", self.started.elapsed().as_millis() as u64);
        // `None` records nothing.
        trace.record("status", self.summary.status.map(|status| status.as_u16()));
        trace.record("request_id", self.summary.request_id.as_deref());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_failures_may_have_been_processed_rejections_not() {
        for status in [500, 502, 503, 504, 408] {
            assert!(may_have_processed(status), "{status}");
        }
        for status in [400, 401, 403, 404, 409, 429, 499] {
            assert!(!may_have_processed(status), "{status}");
        }
    }
}
