//! Configuring a [`Client`].

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use http::HeaderMap;
use secrecy::{ExposeSecret, SecretString};

use super::flow_settings::FlowSettings;
use super::sdk_client::Client;
use crate::auth::{
    CachingTokenProvider, ClientCredentials, DEFAULT_MAX_USERS, StaticToken, TokenProvider,
    UserTokenProvider, UserTokens,
};
use crate::config::{
    BasePath, ConfigError, DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_STREAM_IDLE_TIMEOUT, Host, Location,
    Timeouts, WaitPolicy, env, header_value, secure_url, tls,
};
use crate::transport::{Identity, RequestSettings, RetryBudget, RetryPolicy, Shared};

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
    /// | `MOVEWORKS_BASE_URL` | API base URL (default `https://api.moveworks.ai/rest/v1`), or: |
    /// | `MOVEWORKS_HOST` + `MOVEWORKS_BASE_PATH` | a named [`Host`] (`uk`, `jp`, ...) and [`BasePath`] (`rest/v1`, `assistant/v1`, `rest/v1beta1`), either optional |
    /// | `MOVEWORKS_TOKEN_URL` | token endpoint (default: `/oauth/v1/token` on the API's host when it is a named one, else `https://api.moveworks.ai/oauth/v1/token`) |
    ///
    /// A missing or malformed variable is an error that names it, and so is
    /// `MOVEWORKS_BASE_URL` set with `MOVEWORKS_HOST` or `MOVEWORKS_BASE_PATH`.
    pub fn from_env() -> Result<Self, ConfigError> {
        ClientBuilder::from_env_with(|var| std::env::var(var).ok())?.build()
    }
}

/// The `User-Agent` unless one is set.
const USER_AGENT: &str = concat!("moveworks-ext/", env!("CARGO_PKG_VERSION"));

/// How the client gets its token.
enum CredentialSetting {
    Token(SecretString),
    ClientCredentials { id: String, secret: SecretString },
    Provider(Arc<dyn TokenProvider>),
}

/// Configures a [`Client`]; see [`Client::builder`].
#[derive(Default)]
pub struct ClientBuilder {
    assistant_name: Option<String>,
    credential: Option<CredentialSetting>,
    user_tokens: Option<Arc<dyn UserTokenProvider>>,
    max_users: Option<usize>,
    location: Location,
    timeouts: Timeouts,
    retry: RetryPolicy,
    retry_budget: RetryBudget,
    wait: WaitPolicy,
    user_agent: Option<String>,
    http_client: Option<reqwest::Client>,
    max_response_bytes: Option<usize>,
    stream_idle: Option<Duration>,
}

impl CredentialSetting {
    /// What kind of credential it is, for `Debug`.
    fn kind(&self) -> &'static str {
        match self {
            CredentialSetting::Token(_) => "static token",
            CredentialSetting::ClientCredentials { .. } => "OAuth client credentials",
            CredentialSetting::Provider(_) => "token provider",
        }
    }
}

impl ClientBuilder {
    /// Reads the environment variables of [`Client::from_env`] through
    /// `lookup`, for configuration that comes from somewhere else (or
    /// tests). Settings can still be changed afterwards.
    pub fn from_env_with(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let env = env::EnvReader::new(lookup);
        let mut builder = ClientBuilder::default()
            .assistant_name(env.required(env::ASSISTANT_NAME, "assistant name")?);
        let base_url = env.checked(env::BASE_URL, |url| secure_url("base URL", url))?;
        if base_url.is_some()
            && let Some(var) = [env::HOST, env::BASE_PATH]
                .into_iter()
                .find(|var| env.optional(var).is_some())
        {
            let reason = format!("set either it or {}, not both", env::BASE_URL);
            return Err(ConfigError::invalid("base URL", reason).via_env(var));
        }
        builder.location = Location {
            base_url,
            host: env.checked(env::HOST, str::parse)?,
            base_path: env.checked(env::BASE_PATH, str::parse)?,
            token_url: env.checked(env::TOKEN_URL, |url| secure_url("token URL", url))?,
        };
        let token = env.optional(env::API_TOKEN);
        let client_id = env.optional(env::CLIENT_ID);
        let client_secret = env.optional(env::CLIENT_SECRET);
        builder = match (token, client_id, client_secret) {
            (Some(_), Some(_), _) | (Some(_), _, Some(_)) => {
                let reason = format!(
                    "set either it or {} and {}, not both",
                    env::CLIENT_ID,
                    env::CLIENT_SECRET
                );
                return Err(ConfigError::invalid("token", reason).via_env(env::API_TOKEN));
            }
            (Some(token), None, None) => {
                header_value("token", &token, true).map_err(|e| e.via_env(env::API_TOKEN))?;
                builder.bearer_token(token)
            }
            (None, Some(id), _) => {
                builder.client_credentials(id, env.required(env::CLIENT_SECRET, "client secret")?)
            }
            (None, None, Some(_)) => {
                return Err(ConfigError::missing("client id").via_env(env::CLIENT_ID));
            }
            (None, None, None) => {
                return Err(ConfigError::missing("token").via_env(env::API_TOKEN));
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

    /// The OAuth token endpoint (default: `/oauth/v1/token` on the API's
    /// host when it is one of the named [`Host`]s, else
    /// `https://api.moveworks.ai/oauth/v1/token`).
    pub fn token_url(mut self, url: impl Into<String>) -> Self {
        self.location.token_url = Some(url.into());
        self
    }

    /// Any [`TokenProvider`].
    pub fn token_provider(mut self, provider: impl TokenProvider) -> Self {
        self.credential = Some(CredentialSetting::Provider(Arc::new(provider)));
        self
    }

    /// Issues tokens per user: [`Client::for_user`] makes a handle that
    /// acts for one user with tokens from `provider`, cached by user key
    /// (see [one client, many users](Client#one-client-many-users)). With
    /// it, the client's own credential is optional: without one, only
    /// handles made with [`Client::for_user`] or
    /// [`Client::for_user_with_token`] can call.
    pub fn user_tokens(mut self, provider: impl UserTokenProvider) -> Self {
        self.user_tokens = Some(Arc::new(provider));
        self
    }

    /// How many users' tokens the client keeps (default
    /// [`DEFAULT_MAX_USERS`]; at least 1, or [`build`](Self::build) fails);
    /// the least recently used is dropped first, and fetches a new token at
    /// its next call.
    pub fn max_users(mut self, users: usize) -> Self {
        self.max_users = Some(users);
        self
    }

    /// The API base URL (default
    /// [`DEFAULT_BASE_URL`](crate::defaults::DEFAULT_BASE_URL),
    /// `https://api.moveworks.ai/rest/v1`). Must be https, or http to a
    /// loopback address. For Moveworks' own hosts, prefer
    /// [`host`](Self::host) and [`base_path`](Self::base_path): setting
    /// both a base URL and either of them fails [`build`](Self::build).
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.location.base_url = Some(url.into());
        self
    }

    /// The Moveworks host to call (default [`Host::Us`],
    /// `api.moveworks.ai`). It also points the OAuth token endpoint at that
    /// host, unless [`token_url`](Self::token_url) is set.
    ///
    /// ```
    /// use moveworks_ext::{BasePath, Client, Host};
    ///
    /// let client = Client::builder()
    ///     .assistant_name("acme")
    ///     .bearer_token("token")
    ///     .host(Host::Uk)
    ///     .base_path(BasePath::RestV1)
    ///     .build()?;
    /// assert_eq!(client.base_url(), "https://api.uk.moveworks.com/rest/v1");
    /// # Ok::<(), moveworks_ext::ConfigError>(())
    /// ```
    pub fn host(mut self, host: Host) -> Self {
        self.location.host = Some(host);
        self
    }

    /// The base path the API is called under (default
    /// [`BasePath::RestV1`]); see [`BasePath`] for which to use when.
    pub fn base_path(mut self, path: BasePath) -> Self {
        self.location.base_path = Some(path);
        self
    }

    /// One of the servers the spec lists ([`moveworks_api::SERVERS`]) as
    /// the base URL. The spec lists the base path it was published for;
    /// [`host`](Self::host) and [`base_path`](Self::base_path) name every
    /// one.
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

    /// How many retries the client (and its clones) may make while the API
    /// fails (default [`RetryBudget::default`]: the AWS SDKs' standard
    /// figures; [`RetryBudget::unlimited`] turns it off).
    pub fn retry_budget(mut self, budget: RetryBudget) -> Self {
        self.retry_budget = budget;
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
        self.max_response_bytes = Some(limit);
        self
    }

    /// The longest wait between two events of a response stream (default
    /// 120 s, the time the API docs allow a response to finish); then the
    /// stream ends with [`ErrorKind::Stream`](crate::ErrorKind::Stream). Keep-alive
    /// comments do not count as events: they show the connection is alive,
    /// not that the response progresses. The attempt timeout does not
    /// apply to streams, however long they last.
    pub fn stream_idle_timeout(mut self, timeout: Duration) -> Self {
        self.stream_idle = Some(timeout);
        self
    }

    /// Checks the configuration and builds the client.
    pub fn build(mut self) -> Result<Client, ConfigError> {
        let Some(name) = &self.assistant_name else {
            return Err(ConfigError::missing("assistant name"));
        };
        let assistant_name = header_value("assistant name", name, false)?;
        let base_url = secure_url("base URL", &self.location.base_url()?)?;
        let user_agent = self.user_agent.as_deref().unwrap_or(USER_AGENT);
        let user_agent = header_value("user agent", user_agent, false)?;
        let stream_idle = self.stream_idle.unwrap_or(DEFAULT_STREAM_IDLE_TIMEOUT);
        let (http, read_timeout) = self.connection_pool(stream_idle)?;
        let credential_kind =
            (self.credential.as_ref()).map_or("per-user token provider", CredentialSetting::kind);
        let provider = self.credential(&http)?;
        let users = self.user_cache()?;
        let shared = Arc::new(Shared {
            api: moveworks_api::Client::new_with_client(&base_url, http),
            provider,
            users,
            assistant_name,
            user_agent,
            max_response_bytes: self
                .max_response_bytes
                .unwrap_or(DEFAULT_MAX_RESPONSE_BYTES),
            read_timeout,
            budget: self.retry_budget.bucket(),
        });
        let settings = RequestSettings {
            retry: self.retry,
            timeouts: self.timeouts,
            headers: HeaderMap::new(),
            idempotent: None,
        };
        Ok(Client {
            shared,
            settings: Arc::new(settings),
            flows: FlowSettings {
                wait: self.wait,
                stream_idle,
            },
            credential_kind,
            identity: Identity::Client,
        })
    }

    /// The HTTP client, and the read timeout it has when the SDK built it
    /// (none for one the user supplied).
    fn connection_pool(
        &mut self,
        stream_idle: Duration,
    ) -> Result<(reqwest::Client, Option<Duration>), ConfigError> {
        if let Some(client) = self.http_client.take() {
            return Ok((client, None));
        }
        // Bounds silence on a connection. Other responses have the (shorter)
        // attempt timeout too; a stream has only this and its idle timeout,
        // so it must not be shorter than that.
        let read_timeout = crate::config::capped(self.timeouts.attempt.max(stream_idle));
        let client = tls::client_builder()?
            .connect_timeout(crate::config::capped(self.timeouts.connect))
            .read_timeout(read_timeout)
            // A bearer token is never replayed to wherever a redirect
            // points: redirects are returned, not followed.
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(ConfigError::http_client)?;
        Ok((client, Some(read_timeout)))
    }

    /// The per-user token cache, when a per-user provider is set; a bound
    /// of 0 users is refused rather than taken as "cache nothing".
    fn user_cache(&mut self) -> Result<Option<UserTokens>, ConfigError> {
        let max_users = self.max_users.unwrap_or(DEFAULT_MAX_USERS);
        if max_users == 0 {
            return Err(ConfigError::invalid("max users", "it must be at least 1"));
        }
        Ok((self.user_tokens.take()).map(|provider| UserTokens::new(provider, max_users)))
    }

    /// The client's own token provider; none is needed with a per-user
    /// provider.
    fn credential(
        &mut self,
        http: &reqwest::Client,
    ) -> Result<Option<Arc<dyn TokenProvider>>, ConfigError> {
        let Some(credential) = self.credential.take() else {
            return match self.user_tokens {
                Some(_) => Ok(None),
                None => Err(ConfigError::missing(
                    "credential (a bearer token, OAuth client credentials or a token provider, or user_tokens)",
                )),
            };
        };
        let provider: Arc<dyn TokenProvider> = match credential {
            CredentialSetting::Token(token) => Arc::new(
                StaticToken::new(token.expose_secret())
                    .map_err(|e| ConfigError::invalid("token", e.to_string()))?,
            ),
            CredentialSetting::ClientCredentials { id, secret } => {
                let token_url = self.location.token_url()?;
                let source =
                    ClientCredentials::new(http.clone(), &token_url, id, secret.expose_secret())?
                        .timeout(self.timeouts.attempt);
                Arc::new(CachingTokenProvider::new(source))
            }
            CredentialSetting::Provider(provider) => provider,
        };
        Ok(Some(provider))
    }
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let credential = self
            .credential
            .as_ref()
            .map_or("none", CredentialSetting::kind);
        f.debug_struct("ClientBuilder")
            .field("assistant_name", &self.assistant_name)
            .field("credential", &credential)
            .field("user_tokens", &self.user_tokens.is_some())
            .field("max_users", &self.max_users)
            .field("base_url", &self.location.base_url)
            .field("host", &self.location.host)
            .field("base_path", &self.location.base_path)
            .field("token_url", &self.location.token_url)
            .field("timeouts", &self.timeouts)
            .field("retry", &self.retry)
            .finish_non_exhaustive()
    }
}
