//! Options for some calls, applied with [`Client::with_options`](crate::Client::with_options).

use std::time::Duration;

use http::header::AUTHORIZATION;
use http::{HeaderMap, HeaderName};

use super::flow_settings::FlowSettings;
use crate::config::{ConfigError, WaitPolicy, header_value};
use crate::transport::headers::ASSISTANT_NAME;
use crate::transport::{RequestSettings, RetryPolicy};

/// Options for some calls, applied with [`Client::with_options`](crate::Client::with_options).
#[derive(Debug, Clone, Default)]
#[must_use]
pub struct CallOptions {
    attempt_timeout: Option<Duration>,
    total_timeout: Option<Duration>,
    retry: Option<RetryPolicy>,
    headers: HeaderMap,
    wait: Option<WaitPolicy>,
    stream_idle: Option<Duration>,
}

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

    /// Retries after the first attempt (0: none).
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.retry = Some(self.retry.unwrap_or_default().max_retries(retries));
        self
    }

    /// A whole retry policy.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
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

    /// An extra request header. The auth headers cannot be overridden this
    /// way, and values with control characters are refused.
    pub fn header(mut self, name: &str, value: &str) -> Result<Self, ConfigError> {
        let name = HeaderName::from_bytes(name.as_bytes()).map_err(|_| {
            ConfigError::invalid(
                "header name",
                format!("`{name}` is not a valid header name"),
            )
        })?;
        if name == AUTHORIZATION || name == ASSISTANT_NAME {
            return Err(ConfigError::invalid(
                "header name",
                format!("`{name}` is set from the client's credential and assistant name"),
            ));
        }
        let value = header_value("header value", value, false)?;
        self.headers.insert(name, value);
        Ok(self)
    }

    /// Overrides what these options set.
    pub(super) fn apply(self, settings: &mut RequestSettings, flows: &mut FlowSettings) {
        if let Some(retry) = self.retry {
            settings.retry = retry;
        }
        if let Some(attempt) = self.attempt_timeout {
            settings.timeouts.attempt = attempt;
        }
        if let Some(total) = self.total_timeout {
            settings.timeouts.total = total;
        }
        settings.headers.extend(self.headers);
        if let Some(wait) = self.wait {
            flows.wait = wait;
        }
        if let Some(idle) = self.stream_idle {
            flows.stream_idle = idle;
        }
    }
}
