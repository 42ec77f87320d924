//! Shared by the integration tests: the loopback servers of
//! `moveworks-testkit`, and a client configured for them.

#![allow(dead_code)]

use std::time::Duration;

use moveworks_ext::{Client, ClientBuilder, RetryPolicy};
pub use moveworks_testkit::*;

/// A client for `base_url` with a static token and fast retries.
pub fn client_for(base_url: &str) -> ClientBuilder {
    Client::builder()
        .base_url(base_url)
        .assistant_name("acme-assistant")
        .bearer_token("test-token-123")
        .retry_policy(RetryPolicy::default().initial_backoff(Duration::from_millis(10)))
}

/// Extension: `server.client()`.
pub trait ClientFor {
    fn client(&self) -> ClientBuilder;
}

impl ClientFor for ScriptedServer {
    fn client(&self) -> ClientBuilder {
        client_for(&self.base_url)
    }
}
