//! What the transport of a client knows: what every call shares, and what
//! a call may override.

use std::sync::Arc;
use std::time::Duration;

use http::{HeaderMap, HeaderValue};

use super::retry_budget::TokenBucket;
use super::retry_policy::RetryPolicy;
use crate::auth::{TokenProvider, UserTokens};
use crate::config::Timeouts;

/// What every call of a client shares.
pub(crate) struct Shared {
    /// The generated client: the base URL and the HTTP client (its
    /// connection pool).
    pub(crate) api: moveworks_api::Client,
    /// The client's own credential; `None` when it has only a per-user
    /// provider.
    pub(crate) provider: Option<Arc<dyn TokenProvider>>,
    /// Tokens per user, when the client issues them.
    pub(crate) users: Option<UserTokens>,
    pub(crate) assistant_name: HeaderValue,
    pub(crate) user_agent: HeaderValue,
    pub(crate) max_response_bytes: usize,
    /// The read timeout of the SDK's own HTTP client (none for one the
    /// user supplied): a stream cannot stay silent longer.
    pub(crate) read_timeout: Option<Duration>,
    /// The retry budget, shared by the client and its clones (`None`:
    /// unlimited).
    pub(crate) budget: Option<TokenBucket>,
}

impl Shared {
    pub(crate) fn http(&self) -> &reqwest::Client {
        moveworks_api::ClientInfo::client(&self.api)
    }
}

/// What a call may override (see [`CallOptions`](crate::CallOptions)).
#[derive(Debug, Clone)]
pub(crate) struct RequestSettings {
    pub(crate) retry: RetryPolicy,
    pub(crate) timeouts: Timeouts,
    /// Extra headers (never the auth headers).
    pub(crate) headers: HeaderMap,
    /// Whether operations may be sent twice, when a call says so instead
    /// of the operation's default.
    pub(crate) idempotent: Option<bool>,
}
