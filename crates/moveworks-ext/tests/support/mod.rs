//! Shared by the integration tests: the loopback servers of
//! `moveworks-testkit`, and a client configured for them.

#![allow(dead_code)]

use std::time::Duration;

use moveworks_api::types::SubmitFeedbackResponse;
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

/// The mock of the whole API, and a client carrying the auth headers it
/// requires.
pub async fn mock_api() -> (MockApi, Client) {
    let api = MockApi::start("test-token-123", "acme-assistant").await;
    let client = client_for(&api.base_url()).build().unwrap();
    (api, client)
}

/// A client using OAuth client credentials against `token_url`.
pub fn oauth_builder(base_url: &str, token_url: &str, client_secret: &str) -> ClientBuilder {
    Client::builder()
        .base_url(base_url)
        .assistant_name("acme-assistant")
        .client_credentials("client-id-1", client_secret)
        .token_url(token_url)
}

/// Submits feedback on `conv_1`/`resp_1`/`msg_1` with callback id `cb`.
pub async fn submit(client: &Client) -> Result<SubmitFeedbackResponse, moveworks_ext::Error> {
    let message = moveworks_ext::MessageRef::new("conv_1", "resp_1", "msg_1");
    client
        .submit_feedback(moveworks_ext::Feedback::with_callback_id(message, "cb"))
        .await
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
