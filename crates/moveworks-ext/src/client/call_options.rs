//! Options for some calls, applied with [`Client::with_options`](crate::Client::with_options).

use std::time::Duration;

use http::header::{
    ACCEPT, AUTHORIZATION, CONTENT_LENGTH, CONTENT_TYPE, HOST, TRANSFER_ENCODING, USER_AGENT,
};
use http::{HeaderMap, HeaderName};

use super::flow_settings::FlowSettings;
use crate::config::{ConfigError, WaitPolicy, header_value};
use crate::transport::headers::ASSISTANT_NAME;
use crate::transport::{RequestSettings, RetryPolicy};

/// Options for some calls, applied with [`Client::with_options`](crate::Client::with_options).
///
/// Each option overrides one setting of the client and leaves the others
/// as the client has them: [`CallOptions::max_retries`] changes the number
/// of retries of the client's own policy, keeping its statuses and
/// backoff.
#[derive(Debug, Clone, Default)]
#[must_use]
pub struct CallOptions {
    attempt_timeout: Option<Duration>,
    total_timeout: Option<Duration>,
    /// A whole policy, and a number of retries to apply on top of it or of
    /// the client's.
    retry: Option<RetryPolicy>,
    max_retries: Option<u32>,
    idempotent: Option<bool>,
    headers: HeaderMap,
    wait: Option<WaitPolicy>,
    stream_idle: Option<Duration>,
}

/// Headers a call cannot set: the client sets them from its credential,
/// assistant name and user agent, the operation from its spec entry, or
/// the HTTP client from the request, and a second value would be sent
/// beside them or silently lost.
const PROTECTED: [(HeaderName, &str); 8] = [
    (AUTHORIZATION, "the client's credential"),
    (ASSISTANT_NAME, "the client's assistant name"),
    (ACCEPT, "the operation's spec entry"),
    (CONTENT_TYPE, "the operation's spec entry"),
    (USER_AGENT, "ClientBuilder::user_agent"),
    (CONTENT_LENGTH, "the request body"),
    (TRANSFER_ENCODING, "the request body"),
    (HOST, "the base URL"),
];

impl CallOptions {
    /// No overrides.
    pub fn new() -> Self {
        Self::default()
    }

    /// The time limit of one attempt.
    pub fn attempt_timeout(mut self, timeout: Duration) -> Self {
        self.attempt_timeout = Some(timeout);
        self
    }

    /// The time limit of the whole call, retries included.
    pub fn total_timeout(mut self, timeout: Duration) -> Self {
        self.total_timeout = Some(timeout);
        self
    }

    /// Retries after the first attempt (0: none), with the rest of the
    /// client's retry policy (or of the one given with
    /// [`CallOptions::retry_policy`]) unchanged.
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.max_retries = Some(retries);
        self
    }

    /// A whole retry policy, in place of the client's.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self.max_retries = None;
        self
    }

    /// Whether the calls may be sent twice with the effect of once
    /// (`true`), so that they are retried after a timeout or a 5xx too, or
    /// not (`false`), so that they are retried only where they surely were
    /// not processed. By default each operation says (see the crate docs);
    /// set it for operations you know better, such as a submit-feedback
    /// your integration treats as idempotent. It applies to every call
    /// made with these options.
    pub fn idempotent(mut self, idempotent: bool) -> Self {
        self.idempotent = Some(idempotent);
        self
    }

    /// How waiting for a response polls.
    pub fn wait_policy(mut self, policy: WaitPolicy) -> Self {
        self.wait = Some(policy);
        self
    }

    /// The longest wait between two events of a response stream. A value
    /// above the client's own (see
    /// [`ClientBuilder::stream_idle_timeout`](crate::ClientBuilder::stream_idle_timeout))
    /// is cut to it, since the connection's read timeout is set when the
    /// client is built.
    pub fn stream_idle_timeout(mut self, timeout: Duration) -> Self {
        self.stream_idle = Some(timeout);
        self
    }

    /// An extra request header. Headers the client or the operation sets
    /// (`Authorization`, `Assistant-Name`, `Accept`, `Content-Type`,
    /// `User-Agent`, `Content-Length`, `Transfer-Encoding`, `Host`) are
    /// refused, and so are values with control characters.
    pub fn header(mut self, name: &str, value: &str) -> Result<Self, ConfigError> {
        let invalid = |reason: String| ConfigError::invalid("header name", reason);
        let name = HeaderName::from_bytes(name.as_bytes())
            .map_err(|_| invalid(format!("`{name}` is not a valid header name")))?;
        if let Some((_, owner)) = PROTECTED.iter().find(|(protected, _)| *protected == name) {
            return Err(invalid(format!(
                "`{name}` is set from {owner}, not per call"
            )));
        }
        let value = header_value("header value", value, false)?;
        self.headers.insert(name, value);
        Ok(self)
    }

    /// Overrides what these options set.
    pub(super) fn apply(self, settings: &mut RequestSettings, flows: &mut FlowSettings) {
        if let Some(policy) = self.retry {
            settings.retry = policy;
        }
        settings.retry.max_retries = self.max_retries.unwrap_or(settings.retry.max_retries);
        let timeouts = &mut settings.timeouts;
        timeouts.attempt = self.attempt_timeout.unwrap_or(timeouts.attempt);
        timeouts.total = self.total_timeout.unwrap_or(timeouts.total);
        settings.idempotent = self.idempotent.or(settings.idempotent);
        settings.headers.extend(self.headers);
        if let Some(wait) = self.wait {
            flows.wait = wait;
        }
        flows.stream_idle = self.stream_idle.unwrap_or(flows.stream_idle);
    }
}
