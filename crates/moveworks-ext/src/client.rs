//! The client: configuration, construction, and calling any operation of
//! the generated client with the SDK's auth, retries and errors.

use std::fmt;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use moveworks_api::{Hooks, ResponseValue};
use reqwest::header::{AUTHORIZATION, HeaderMap, HeaderName};
use secrecy::{ExposeSecret, SecretString};
use serde::Serialize;

use crate::auth::{StaticToken, TokenProvider};
use crate::call_record;
use crate::config::{
    self, ConfigError, DEFAULT_BASE_URL, DEFAULT_TOKEN_URL, EnvReader, Timeouts, env,
};
use crate::error::Error;
use crate::middleware::{ASSISTANT_NAME, SdkMiddleware, Settings, Shared};
use crate::oauth::ClientCredentials;
use crate::retry::RetryPolicy;
use crate::stream::DEFAULT_STREAM_IDLE_TIMEOUT;
use crate::token_cache::CachingTokenProvider;
use crate::wait::WaitPolicy;

/// Responses larger than this (8 MiB) are refused by default.
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 8 * 1024 * 1024;

/// A Moveworks API client: the generated [`moveworks_api::Client`] with
/// authentication, retries, timeouts, typed errors and tracing.
///
/// Cheap to clone (clones share connections and the token cache); build one
/// and reuse it.
///
/// ```no_run
/// # async fn run() -> Result<(), moveworks_ext::Error> {
/// use moveworks_ext::{Client, Feedback};
///
/// let client = Client::from_env()?;
/// let feedback = Feedback::with_callback_id("eyJhY3Rpb24iOiJoZWxwZnVsIi4uLn0").comment("Spot on.");
/// let answer = client.submit_feedback("conv_1", "resp_1", "msg_1", feedback).await?;
/// println!("feedback {}", answer.status);
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct Client {
    /// Holds the base URL and the `reqwest::Client` too.
    api: moveworks_api::Client,
    shared: Arc<Shared>,
    settings: Arc<Settings>,
    credential_kind: &'static str,
}

impl Client {
    /// Starts configuring a client.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// A client configured from the environment:
    ///
    /// | variable | |
    /// |---|---|
    /// | `MOVEWORKS_ASSISTANT_NAME` | required |
    /// | `MOVEWORKS_API_TOKEN` | a static bearer token, or: |
    /// | `MOVEWORKS_CLIENT_ID` + `MOVEWORKS_CLIENT_SECRET` | OAuth client credentials |
    /// | `MOVEWORKS_TOKEN_URL` | token endpoint (default `https://api.moveworks.ai/oauth/v1/token`) |
    /// | `MOVEWORKS_BASE_URL` | API base URL (default `https://api.moveworks.ai/rest/v1beta1`) |
    ///
    /// A missing or malformed variable is an error that names it.
    pub fn from_env() -> Result<Self, ConfigError> {
        ClientBuilder::from_env_with(|var| std::env::var(var).ok())?.build()
    }

    /// The generated client, configured with this client's auth, retries,
    /// timeouts and tracing. Its methods return the generated error type;
    /// [`Client::call`] gives the SDK's [`Error`] instead.
    pub fn api(&self) -> &moveworks_api::Client {
        &self.api
    }

    /// The base URL requests go to.
    pub fn base_url(&self) -> &str {
        moveworks_api::ClientInfo::baseurl(&self.api)
    }

    /// How [`Client::wait_for_response`] and [`Client::ask`] poll.
    pub fn wait_policy(&self) -> WaitPolicy {
        self.settings.wait.clone()
    }

    pub(crate) fn shared(&self) -> &Arc<Shared> {
        &self.shared
    }

    pub(crate) fn settings(&self) -> &Arc<Settings> {
        &self.settings
    }

    /// The largest response body accepted (see
    /// [`ClientBuilder::max_response_bytes`]).
    pub fn max_response_bytes(&self) -> usize {
        self.shared.max_response_bytes
    }

    /// The longest wait between two events of a response stream (see
    /// [`ClientBuilder::stream_idle_timeout`]).
    pub fn stream_idle_timeout(&self) -> Duration {
        match self.shared.read_timeout {
            Some(read) => self.settings.stream_idle.min(read),
            None => self.settings.stream_idle,
        }
    }

    /// Calls any operation of the generated client and returns its decoded
    /// result, or the SDK's [`Error`] with the status, API error code,
    /// request id and attempt count.
    ///
    /// ```no_run
    /// # async fn run(client: moveworks_ext::Client) -> Result<(), moveworks_ext::Error> {
    /// use moveworks_api::types::SubmitFeedbackRequest;
    ///
    /// let body = SubmitFeedbackRequest::new("cb");
    /// let answer = client.call(|api| api.submit_feedback("conv_1", "resp_1", "msg_1", &body)).await?;
    /// # let _ = answer;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn call<'a, T, E, F, Fut>(&'a self, operation: F) -> Result<T, Error>
    where
        F: FnOnce(&'a moveworks_api::Client) -> Fut,
        Fut: Future<Output = Result<ResponseValue<T>, progenitor_client::Error<E>>>,
        E: Serialize,
    {
        self.call_with_metadata(operation)
            .await
            .map(|answer| answer.value)
    }

    /// Like [`Client::call`], and also says how the call went: status,
    /// request id and attempts, for logging successful calls as well.
    pub async fn call_with_metadata<'a, T, E, F, Fut>(
        &'a self,
        operation: F,
    ) -> Result<WithMetadata<T>, Error>
    where
        F: FnOnce(&'a moveworks_api::Client) -> Fut,
        Fut: Future<Output = Result<ResponseValue<T>, progenitor_client::Error<E>>>,
        E: Serialize,
    {
        let (result, facts) = call_record::recorded(operation(&self.api)).await;
        match result {
            Ok(value) => Ok(WithMetadata {
                metadata: CallMetadata {
                    status: value.status(),
                    request_id: facts.request_id(),
                    attempts: facts.attempts,
                },
                value: value.into_inner(),
            }),
            Err(error) => Err(crate::call_error::from_generated(error, facts).await),
        }
    }

    /// A client for calls with other options (timeouts, retries, extra
    /// headers). It shares connections and the token cache with `self` and
    /// costs a few small allocations to make.
    ///
    /// ```
    /// # fn demo(client: &moveworks_ext::Client) -> Result<(), moveworks_ext::ConfigError> {
    /// use std::time::Duration;
    /// use moveworks_ext::CallOptions;
    ///
    /// let quick = client.with_options(
    ///     CallOptions::new().total_timeout(Duration::from_secs(5)).max_retries(0).header("x-trace-id", "abc123")?,
    /// );
    /// # let _ = quick;
    /// # Ok(())
    /// # }
    /// ```
    pub fn with_options(&self, options: CallOptions) -> Client {
        let mut settings = Settings::clone(&self.settings);
        if let Some(retry) = options.retry {
            settings.retry = retry;
        }
        if let Some(attempt) = options.attempt_timeout {
            settings.timeouts.attempt = attempt;
        }
        if let Some(total) = options.total_timeout {
            settings.timeouts.total = total;
        }
        if let Some(wait) = options.wait {
            settings.wait = wait;
        }
        if let Some(idle) = options.stream_idle {
            settings.stream_idle = idle;
        }
        settings.headers.extend(options.headers);
        let settings = Arc::new(settings);
        let middleware = SdkMiddleware {
            shared: self.shared.clone(),
            settings: settings.clone(),
        };
        let api = moveworks_api::Client::new_with_client(
            self.base_url(),
            moveworks_api::ClientInfo::client(&self.api).clone(),
            Hooks::new(middleware),
        );
        Client {
            api,
            settings,
            ..self.clone()
        }
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.base_url())
            .field("assistant_name", &self.shared.assistant_name)
            .field("credential", &self.credential_kind)
            .field("timeouts", &self.settings.timeouts)
            .field("retry", &self.settings.retry)
            .finish_non_exhaustive()
    }
}

/// A call's result with how the call went.
#[derive(Debug, Clone)]
pub struct WithMetadata<T> {
    /// The decoded result.
    pub value: T,
    /// How the call went.
    pub metadata: CallMetadata,
}

/// How a successful call went.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct CallMetadata {
    /// The status of the answer.
    pub status: reqwest::StatusCode,
    /// The `x-moveworks-root-uuid` of the answer, if it had one.
    pub request_id: Option<String>,
    /// Requests sent, retries included.
    pub attempts: u32,
}

/// Options for some calls, applied with [`Client::with_options`].
#[derive(Debug, Clone, Default)]
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
    /// [`ClientBuilder::stream_idle_timeout`]) is cut to it, since the
    /// connection's read timeout is set when the client is built.
    pub fn stream_idle_timeout(mut self, timeout: Duration) -> Self {
        self.stream_idle = Some(timeout);
        self
    }

    /// An extra request header. The auth headers cannot be overridden this
    /// way, and values with control characters are refused.
    pub fn header(mut self, name: &str, value: &str) -> Result<Self, ConfigError> {
        let name = HeaderName::from_bytes(name.as_bytes()).map_err(|_| ConfigError::Invalid {
            setting: "header name",
            reason: format!("`{name}` is not a valid header name"),
        })?;
        if name == AUTHORIZATION || name == ASSISTANT_NAME {
            return Err(ConfigError::Invalid {
                setting: "header name",
                reason: format!("`{name}` is set from the client's credential and assistant name"),
            });
        }
        let value = config::header_value("header value", value, false)?;
        self.headers.insert(name, value);
        Ok(self)
    }
}

/// How the client gets its token.
enum CredentialSetting {
    Token(SecretString),
    ClientCredentials { id: String, secret: SecretString },
    Provider(Arc<dyn TokenProvider>),
}

/// Configures a [`Client`]; see [`Client::builder`].
pub struct ClientBuilder {
    assistant_name: Option<String>,
    credential: Option<CredentialSetting>,
    token_url: Option<String>,
    base_url: Option<String>,
    timeouts: Timeouts,
    retry: RetryPolicy,
    wait: WaitPolicy,
    user_agent: Option<String>,
    http_client: Option<reqwest::Client>,
    max_response_bytes: usize,
    stream_idle: Duration,
}

impl Default for ClientBuilder {
    fn default() -> Self {
        Self {
            assistant_name: None,
            credential: None,
            token_url: None,
            base_url: None,
            timeouts: Timeouts::default(),
            retry: RetryPolicy::default(),
            wait: WaitPolicy::default(),
            user_agent: None,
            http_client: None,
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            stream_idle: DEFAULT_STREAM_IDLE_TIMEOUT,
        }
    }
}

impl ClientBuilder {
    /// Reads the environment variables of [`Client::from_env`] through
    /// `lookup`, for configuration that comes from somewhere else (or
    /// tests). Settings can still be changed afterwards.
    pub fn from_env_with(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let env = EnvReader::new(lookup);
        let mut builder =
            ClientBuilder::default().assistant_name(env.required(env::ASSISTANT_NAME)?);
        if let Some(url) = env.optional(env::BASE_URL) {
            config::secure_url("base URL", &url)
                .map_err(|e| config::from_env_var(env::BASE_URL, e))?;
            builder = builder.base_url(url);
        }
        if let Some(url) = env.optional(env::TOKEN_URL) {
            config::secure_url("token URL", &url)
                .map_err(|e| config::from_env_var(env::TOKEN_URL, e))?;
            builder = builder.token_url(url);
        }
        let token = env.optional(env::API_TOKEN);
        let client_id = env.optional(env::CLIENT_ID);
        let client_secret = env.optional(env::CLIENT_SECRET);
        builder = match (token, client_id, client_secret) {
            (Some(_), Some(_), _) | (Some(_), _, Some(_)) => {
                return Err(ConfigError::InvalidEnv {
                    var: env::API_TOKEN,
                    reason: format!(
                        "set either it or {} and {}, not both",
                        env::CLIENT_ID,
                        env::CLIENT_SECRET
                    ),
                });
            }
            (Some(token), None, None) => {
                config::header_value("token", &token, true)
                    .map_err(|e| config::from_env_var(env::API_TOKEN, e))?;
                builder.bearer_token(token)
            }
            (None, Some(id), Some(secret)) => builder.client_credentials(id, secret),
            (None, Some(_), None) => {
                return Err(ConfigError::MissingEnv {
                    var: env::CLIENT_SECRET,
                });
            }
            (None, None, Some(_)) => {
                return Err(ConfigError::MissingEnv {
                    var: env::CLIENT_ID,
                });
            }
            (None, None, None) => {
                return Err(ConfigError::MissingEnv {
                    var: env::API_TOKEN,
                });
            }
        };
        Ok(builder)
    }

    /// The assistant name sent as `Assistant-Name` (required).
    pub fn assistant_name(mut self, name: impl Into<String>) -> Self {
        self.assistant_name = Some(name.into());
        self
    }

    /// A static bearer token.
    pub fn bearer_token(mut self, token: impl Into<String>) -> Self {
        self.credential = Some(CredentialSetting::Token(SecretString::from(token.into())));
        self
    }

    /// OAuth 2.0 client credentials; tokens are fetched from the token
    /// endpoint, cached, and refreshed ahead of expiry.
    pub fn client_credentials(
        mut self,
        client_id: impl Into<String>,
        client_secret: impl Into<String>,
    ) -> Self {
        self.credential = Some(CredentialSetting::ClientCredentials {
            id: client_id.into(),
            secret: SecretString::from(client_secret.into()),
        });
        self
    }

    /// The OAuth token endpoint (default `https://api.moveworks.ai/oauth/v1/token`).
    pub fn token_url(mut self, url: impl Into<String>) -> Self {
        self.token_url = Some(url.into());
        self
    }

    /// Any [`TokenProvider`].
    pub fn token_provider(mut self, provider: impl TokenProvider) -> Self {
        self.credential = Some(CredentialSetting::Provider(Arc::new(provider)));
        self
    }

    /// The API base URL (default `https://api.moveworks.ai/rest/v1beta1`).
    /// Must be https, or http to a loopback address.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// One of the servers the spec lists ([`moveworks_api::SERVERS`]).
    pub fn server(self, server: &moveworks_api::Server) -> Self {
        self.base_url(server.url)
    }

    /// All time limits at once.
    pub fn timeouts(mut self, timeouts: Timeouts) -> Self {
        self.timeouts = timeouts;
        self
    }

    /// The time limit for establishing a connection (default 5 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.timeouts.connect = timeout;
        self
    }

    /// The time limit of one attempt (default 30 s).
    pub fn attempt_timeout(mut self, timeout: Duration) -> Self {
        self.timeouts.attempt = timeout;
        self
    }

    /// The time limit of a whole call, retries included (default 60 s).
    pub fn total_timeout(mut self, timeout: Duration) -> Self {
        self.timeouts.total = timeout;
        self
    }

    /// How calls are retried (default [`RetryPolicy::default`]).
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// How [`Client::wait_for_response`] and [`Client::ask`] poll (default
    /// [`WaitPolicy::default`]: up to 120 s).
    pub fn wait_policy(mut self, policy: WaitPolicy) -> Self {
        self.wait = policy;
        self
    }

    /// The `User-Agent` header (default `moveworks-ext/<version>`).
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = Some(user_agent.into());
        self
    }

    /// Your own `reqwest::Client` (for proxies or custom TLS). Its own
    /// settings apply: the connect timeout and redirect policy of this
    /// builder are not applied to it.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http_client = Some(client);
        self
    }

    /// The largest response body accepted (default 8 MiB); larger ones fail
    /// the call instead of filling memory. In a response stream, it bounds
    /// each event instead.
    pub fn max_response_bytes(mut self, limit: usize) -> Self {
        self.max_response_bytes = limit;
        self
    }

    /// The longest wait between two events of a response stream (default
    /// 120 s, the time the API docs allow a response to finish); then the
    /// stream ends with [`Error::Stream`](crate::Error::Stream). Keep-alive
    /// comments do not count as events: they show the connection is alive,
    /// not that the response progresses. The attempt timeout does not
    /// apply to streams, however long they last.
    pub fn stream_idle_timeout(mut self, timeout: Duration) -> Self {
        self.stream_idle = timeout;
        self
    }

    /// Checks the configuration and builds the client.
    pub fn build(self) -> Result<Client, ConfigError> {
        let assistant_name = self.assistant_name.ok_or(ConfigError::Missing {
            setting: "assistant name",
        })?;
        let assistant_name = config::header_value("assistant name", &assistant_name, false)?;
        let base_url = config::secure_url(
            "base URL",
            self.base_url.as_deref().unwrap_or(DEFAULT_BASE_URL),
        )?;
        let user_agent = self
            .user_agent
            .unwrap_or_else(|| format!("moveworks-ext/{}", env!("CARGO_PKG_VERSION")));
        let user_agent = config::header_value("user agent", &user_agent, false)?;
        // Bounds silence on a connection. Other responses have the (shorter)
        // attempt timeout too; a stream has only this and its idle timeout,
        // so it must not be shorter than that.
        let read_timeout = self.timeouts.attempt.max(self.stream_idle);
        let (http, read_timeout) = match self.http_client {
            Some(client) => (client, None),
            None => (
                crate::tls::client_builder()?
                    .connect_timeout(self.timeouts.connect)
                    .read_timeout(read_timeout)
                    // A bearer token is never replayed to wherever a redirect
                    // points: redirects are returned, not followed.
                    .redirect(reqwest::redirect::Policy::none())
                    .build()
                    .map_err(ConfigError::HttpClient)?,
                Some(read_timeout),
            ),
        };
        let credential = self.credential.ok_or(ConfigError::Missing {
            setting: "credential (a bearer token, OAuth client credentials or a token provider)",
        })?;
        let (provider, credential_kind): (Arc<dyn TokenProvider>, _) = match credential {
            CredentialSetting::Token(token) => {
                let token =
                    StaticToken::new(token.expose_secret()).map_err(|e| ConfigError::Invalid {
                        setting: "token",
                        reason: e.to_string(),
                    })?;
                (Arc::new(token), "static token")
            }
            CredentialSetting::ClientCredentials { id, secret } => {
                let token_url = self.token_url.as_deref().unwrap_or(DEFAULT_TOKEN_URL);
                let source =
                    ClientCredentials::new(http.clone(), token_url, id, secret.expose_secret())?
                        .with_timeout(self.timeouts.attempt);
                (
                    Arc::new(CachingTokenProvider::new(source)),
                    "OAuth client credentials",
                )
            }
            CredentialSetting::Provider(provider) => (provider, "token provider"),
        };
        let shared = Arc::new(Shared {
            provider,
            assistant_name,
            user_agent,
            max_response_bytes: self.max_response_bytes,
            read_timeout,
        });
        let settings = Arc::new(Settings {
            retry: self.retry,
            timeouts: self.timeouts,
            headers: HeaderMap::new(),
            wait: self.wait,
            stream_idle: self.stream_idle,
        });
        let middleware = SdkMiddleware {
            shared: shared.clone(),
            settings: settings.clone(),
        };
        let api =
            moveworks_api::Client::new_with_client(&base_url, http.clone(), Hooks::new(middleware));
        Ok(Client {
            api,
            shared,
            settings,
            credential_kind,
        })
    }
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let credential = match &self.credential {
            None => "none",
            Some(CredentialSetting::Token(_)) => "static token",
            Some(CredentialSetting::ClientCredentials { .. }) => "OAuth client credentials",
            Some(CredentialSetting::Provider(_)) => "token provider",
        };
        f.debug_struct("ClientBuilder")
            .field("assistant_name", &self.assistant_name)
            .field("credential", &credential)
            .field("base_url", &self.base_url)
            .field("token_url", &self.token_url)
            .field("timeouts", &self.timeouts)
            .field("retry", &self.retry)
            .finish_non_exhaustive()
    }
}
