//! The four ways to call submit-feedback that the benchmark compares, all
//! against the same server with the same `reqwest` settings.

use std::time::Duration;

use moveworks_api::types::{SubmitFeedbackRequest, SubmitFeedbackResponse};
use reqwest::header::{ACCEPT, AUTHORIZATION, HeaderMap, HeaderValue, USER_AGENT};

const TOKEN: &str = "bench-token";
const ASSISTANT: &str = "bench-assistant";

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
}

impl Kind {
    pub const ALL: [Kind; 4] = [Kind::Raw, Kind::Generated, Kind::Ext, Kind::ExtDebug];

    pub fn name(self) -> &'static str {
        match self {
            Kind::Raw => "raw reqwest",
            Kind::Generated => "moveworks-api (generated)",
            Kind::Ext => "moveworks-ext (tracing subscriber at INFO)",
            Kind::ExtDebug => "moveworks-ext (`moveworks_ext=debug`: request spans recorded)",
        }
    }

    pub fn id(self) -> &'static str {
        match self {
            Kind::Raw => "raw",
            Kind::Generated => "generated",
            Kind::Ext => "ext",
            Kind::ExtDebug => "ext-debug",
        }
    }

    pub fn parse(text: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.id() == text)
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
                moveworks_ext::Client::builder()
                    .base_url(base_url)
                    .assistant_name(ASSISTANT)
                    .bearer_token(TOKEN)
                    .user_agent("moveworks-bench")
                    .build()
                    .expect("an ext client"),
            )),
        };
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
