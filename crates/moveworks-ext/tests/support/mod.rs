//! Shared by the integration tests: the loopback servers of
//! `moveworks-testkit`, and a client configured for them.

#![allow(dead_code)]

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use moveworks_api::types::SubmitFeedbackResponse;
use moveworks_ext::{Client, ClientBuilder, RetryPolicy};
pub use moveworks_testkit::*;
use reqwest::dns::{Addrs, Name, Resolve, Resolving};

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

/// `localhost` on a [`ClosedPort`] that opens, answering with a script, when
/// the name is looked up a second time: a client's first connection is
/// refused and its next one (a retry) answered, whatever the timing.
pub struct RefusedOnce {
    closed: Mutex<Option<(ClosedPort, Vec<Step>)>>,
    addr: SocketAddr,
    lookups: AtomicUsize,
    server: OnceLock<ScriptedServer>,
}

impl RefusedOnce {
    pub fn new(script: Vec<Step>) -> Arc<Self> {
        let port = ClosedPort::new();
        Arc::new(Self {
            addr: port.addr(),
            closed: Mutex::new(Some((port, script))),
            lookups: AtomicUsize::new(0),
            server: OnceLock::new(),
        })
    }

    /// A URL naming the port's host, so that each connection looks it up.
    pub fn url(&self) -> String {
        format!("http://localhost:{}", self.addr.port())
    }

    /// An HTTP client that looks names up here.
    pub fn http_client(self: &Arc<Self>) -> reqwest::Client {
        reqwest::Client::builder()
            .dns_resolver(self.clone())
            .build()
            .unwrap()
    }

    /// How many connections were made: the first was refused.
    pub fn lookups(&self) -> usize {
        self.lookups.load(Ordering::SeqCst)
    }

    /// The server that opened at the second lookup.
    pub fn server(&self) -> &ScriptedServer {
        self.server.get().expect("the port was opened")
    }
}

impl Resolve for RefusedOnce {
    fn resolve(&self, _: Name) -> Resolving {
        if self.lookups.fetch_add(1, Ordering::SeqCst) == 1 {
            let (port, script) = self.closed.lock().unwrap().take().unwrap();
            let _ = self.server.set(port.open(script));
        }
        let addrs: Addrs = Box::new(std::iter::once(self.addr));
        Box::pin(std::future::ready(Ok(addrs)))
    }
}
