//! The four ways to call submit-feedback that the benchmark compares, all
//! against the same server with the same `reqwest` settings, and a fifth:
//! moveworks-ext through a per-user handle.

use std::time::Duration;

use moveworks_api::types::{SubmitFeedbackRequest, SubmitFeedbackResponse};
use moveworks_ext::auth::{AccessToken, user_token_fn};
use reqwest::header::{ACCEPT, AUTHORIZATION, HeaderMap, HeaderValue, USER_AGENT};

const TOKEN: &str = "bench-token";
const ASSISTANT: &str = "bench-assistant";
/// The user a [`Kind::ExtUser`] handle acts for.
const USER: &str = "employee-0001@example.com";

/// Which client a measurement is of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A hand-built `reqwest` request.
    Raw,
    /// The generated `moveworks-api` client.
    Generated,
    /// `moveworks-ext` with auth, retries and tracing, under a subscriber
    /// logging at INFO, as a service would.
    Ext,
    /// `moveworks-ext` under the same subscriber with `moveworks_ext` at
    /// DEBUG, which records its per-request spans.
    ExtDebug,
    /// A handle of `moveworks-ext` acting for one user
    /// ([`moveworks_ext::Client::for_user`]) whose token is cached, under
    /// the subscriber at INFO: [`Kind::Ext`] plus the per-user lookup.
    /// Measured by the per-user section (see `users.rs`), not among the
    /// clients compared with raw reqwest.
    ExtUser,
}

impl Kind {
    /// The clients compared with raw reqwest, in their tables' order.
    pub const ALL: [Kind; 4] = [Kind::Raw, Kind::Generated, Kind::Ext, Kind::ExtDebug];

    pub fn name(self) -> &'static str {
        match self {
            Kind::Raw => "raw reqwest",
            Kind::Generated => "moveworks-api (generated)",
            Kind::Ext => "moveworks-ext (tracing subscriber at INFO)",
            Kind::ExtDebug => "moveworks-ext (`moveworks_ext=debug`: request spans recorded)",
            Kind::ExtUser => "moveworks-ext, a `for_user` handle (token cached)",
        }
    }

    pub fn id(self) -> &'static str {
        match self {
            Kind::Raw => "raw",
            Kind::Generated => "generated",
            Kind::Ext => "ext",
            Kind::ExtDebug => "ext-debug",
            Kind::ExtUser => "ext-user",
        }
    }

    pub fn parse(text: &str) -> Option<Kind> {
        (Kind::ALL.into_iter())
            .chain([Kind::ExtUser])
            .find(|k| k.id() == text)
    }
}

/// A client of one kind, ready to call.
#[derive(Clone)]
pub struct Caller {
    client: Client,
    body: SubmitFeedbackRequest,
}

#[derive(Clone)]
enum Client {
    Raw { http: reqwest::Client, url: String },
    Generated(moveworks_api::Client),
    Ext(Box<moveworks_ext::Client>),
}

/// The `reqwest` settings moveworks-ext uses for the client it builds.
fn http_client(headers: HeaderMap) -> reqwest::Client {
    reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(5))
        .read_timeout(Duration::from_secs(30))
        .redirect(reqwest::redirect::Policy::none())
        .default_headers(headers)
        .build()
        .expect("a reqwest client")
}

/// A `moveworks-ext` client for `base_url` as the benchmark configures
/// it, but for its credential.
pub fn ext_builder(base_url: &str) -> moveworks_ext::ClientBuilder {
    moveworks_ext::Client::builder()
        .base_url(base_url)
        .assistant_name(ASSISTANT)
        .user_agent("moveworks-bench")
}

/// What raw reqwest and the generated client send on every request, set
/// once on the `reqwest::Client` as their users would.
fn auth_headers() -> HeaderMap {
    let mut headers = HeaderMap::new();
    let mut bearer = HeaderValue::from_str(&format!("Bearer {TOKEN}")).expect("header");
    bearer.set_sensitive(true);
    headers.insert(AUTHORIZATION, bearer);
    headers.insert("assistant-name", HeaderValue::from_static(ASSISTANT));
    headers.insert(USER_AGENT, HeaderValue::from_static("moveworks-bench"));
    headers
}

impl Caller {
    /// Builds only the client `kind` needs, so memory figures are its own.
    pub fn new(kind: Kind, base_url: &str) -> Caller {
        let client = match kind {
            Kind::Raw => Client::Raw {
                http: http_client(auth_headers()),
                url: format!(
                    "{base_url}/conversations/conv_1/responses/resp_1/messages/msg_1/feedback"
                ),
            },
            Kind::Generated => Client::Generated(moveworks_api::Client::new_with_client(
                base_url,
                http_client(auth_headers()),
            )),
            Kind::Ext | Kind::ExtDebug => Client::Ext(Box::new(
                ext_builder(base_url)
                    .bearer_token(TOKEN)
                    .build()
                    .expect("an ext client"),
            )),
            Kind::ExtUser => {
                let client = ext_builder(base_url)
                    .user_tokens(user_token_fn(|_user: String| async {
                        AccessToken::new(TOKEN, None)
                    }))
                    .build()
                    .expect("an ext client");
                Client::Ext(Box::new(client.for_user(USER).expect("a user handle")))
            }
        };
        Caller::with(client)
    }

    /// Calls made by `client`, a `moveworks-ext` client or handle.
    pub fn ext(client: moveworks_ext::Client) -> Caller {
        Caller::with(Client::Ext(Box::new(client)))
    }

    fn with(client: Client) -> Caller {
        Caller {
            client,
            body: {
                let mut body = SubmitFeedbackRequest::new("eyJhY3Rpb24iOiJoZWxwZnVsIi4uLn0");
                body.additional_feedback =
                    Some("The response answered my question clearly.".into());
                body
            },
        }
    }

    /// One submit-feedback call; an error is a benchmark failure.
    pub async fn call(&self) -> Result<SubmitFeedbackResponse, String> {
        match &self.client {
            Client::Raw { http, url } => {
                let response = http
                    .post(url)
                    .header(ACCEPT, "application/json")
                    .json(&self.body)
                    .timeout(Duration::from_secs(30))
                    .send()
                    .await
                    .map_err(|e| e.to_string())?;
                if !response.status().is_success() {
                    return Err(format!("status {}", response.status()));
                }
                let bytes = response.bytes().await.map_err(|e| e.to_string())?;
                serde_json::from_slice(&bytes).map_err(|e| e.to_string())
            }
            Client::Generated(client) => client
                .submit_feedback("conv_1", "resp_1", "msg_1", &self.body)
                .await
                .map(|r| r.into_inner())
                .map_err(|e| e.to_string()),
            Client::Ext(client) => client
                .call(|api| api.submit_feedback("conv_1", "resp_1", "msg_1", &self.body))
                .await
                .map_err(|e| e.to_string()),
        }
    }
}
