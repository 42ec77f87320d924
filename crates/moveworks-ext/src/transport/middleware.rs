//! The [`Middleware`] every request of the generated client goes through:
//! it adds the auth headers, then sends with retries, timeouts and a
//! response size limit, and traces the call.
//!
//! It holds no per-operation code: every operation the generator emits
//! gets all of this.

use std::fmt;
use std::sync::Arc;
use std::time::Instant;

use http::header::{AUTHORIZATION, USER_AGENT};
use moveworks_api::Operation;
use moveworks_api::middleware::{BoxError, BoxFuture, Middleware};
use reqwest::{Request, Response};

use super::call_record::note;
use super::headers::ASSISTANT_NAME;
use super::settings::{RequestSettings, Shared};
use crate::auth::AccessToken;

/// The SDK's middleware: one per client and set of call options.
pub(crate) struct SdkMiddleware {
    pub(super) shared: Arc<Shared>,
    pub(super) settings: RequestSettings,
}

impl SdkMiddleware {
    pub(crate) fn new(shared: Arc<Shared>, settings: RequestSettings) -> Self {
        Self { shared, settings }
    }

    /// What every call of the client shares.
    pub(crate) fn shared(&self) -> &Arc<Shared> {
        &self.shared
    }

    /// What calls through this middleware use.
    pub(crate) fn settings(&self) -> &RequestSettings {
        &self.settings
    }

    pub(super) fn add_headers(&self, request: &mut Request, token: &AccessToken) {
        let headers = request.headers_mut();
        for (name, value) in &self.settings.headers {
            headers.insert(name, value.clone());
        }
        headers.insert(AUTHORIZATION, token.header().clone());
        headers.insert(ASSISTANT_NAME, self.shared.assistant_name.clone());
        headers.insert(USER_AGENT, self.shared.user_agent.clone());
    }
}

/// A `prepare` that finished before it was polled. Zero-sized, so boxing
/// it allocates nothing (`std::future::Ready` holds its output, which is
/// not).
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
        // Waiting for a token is part of the call: its deadline starts now,
        // and `send` counts from here too.
        Box::pin(async move {
            let started = Instant::now();
            note(|facts| facts.started = Some(started));
            match self.token_within_deadline(started).await {
                Ok(token) => {
                    self.add_headers(request, &token);
                    Ok(())
                }
                Err(error) => {
                    let message = error.to_string();
                    note(|facts| facts.failure = Some(Box::new(error)));
                    Err(message.into())
                }
            }
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
        // of the transport name it as their parent instead.
        Box::pin(self.send_with_retries(client, request, operation, span))
    }
}
