//! OAuth 2.0 Token Exchange (RFC 8693): the signed-in user's token from
//! the company's identity provider (Okta, Entra ID) in, a Moveworks bearer
//! for that user out.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use super::access_token::AccessToken;
use super::auth_error::AuthError;
use super::exchange::ExchangeEndpoint;
use super::token_provider::BoxFuture;
use super::user_tokens::UserTokenProvider;
use crate::config::ConfigError;

const GRANT_TYPE: &str = "urn:ietf:params:oauth:grant-type:token-exchange";
const ACCESS_TOKEN_TYPE: &str = "urn:ietf:params:oauth:token-type:access_token";

/// A [`UserTokenProvider`] for the OAuth 2.0 Token Exchange grant
/// (RFC 8693).
///
/// For each user it asks `subject_tokens` for the token the identity
/// provider issued that user (your session store holds it, by the same
/// user key), and posts `grant_type=urn:ietf:params:oauth:grant-type:token-exchange`,
/// `subject_token` and `subject_token_type` (by default
/// `urn:ietf:params:oauth:token-type:access_token`) to the token endpoint,
/// with the optional `audience`, `resource`, `scope` and
/// `requested_token_type`, any other parameter the endpoint wants, and the
/// application's client authentication if it has one. The endpoint and
/// every value are those your Moveworks account team gives you: none is
/// assumed. The answer may be flat or wrapped in `{"data": ...}`; a
/// refusal keeps its OAuth `error` and `error_description`
/// ([`AuthError::oauth_error`](crate::auth::AuthError::oauth_error)).
///
/// ```
/// # fn demo() -> Result<(), moveworks_ext::ConfigError> {
/// use moveworks_ext::auth::{AccessToken, TokenExchange, user_token_fn};
///
/// // The identity provider's token of the signed-in user, from your session store.
/// let subject_tokens = user_token_fn(|user: String| async move {
///     AccessToken::new(format!("idp-token-of-{user}"), None)
/// });
/// let exchange = TokenExchange::new("https://auth.example.com/oauth2/token", subject_tokens)?
///     .audience("moveworks")
///     .client_secret_basic("my-app", "my-app-secret");
/// # let _ = exchange;
/// # Ok(())
/// # }
/// ```
pub struct TokenExchange {
    endpoint: ExchangeEndpoint,
    subject_tokens: Arc<dyn UserTokenProvider>,
    subject_token_type: String,
    optional: Vec<(&'static str, String)>,
}

impl TokenExchange {
    /// Exchanges at `token_url` (https, or http to a loopback address) the
    /// tokens `subject_tokens` gives for each user.
    pub fn new(
        token_url: &str,
        subject_tokens: impl UserTokenProvider,
    ) -> Result<Self, ConfigError> {
        Ok(Self {
            endpoint: ExchangeEndpoint::new(token_url)?,
            subject_tokens: Arc::new(subject_tokens),
            subject_token_type: ACCESS_TOKEN_TYPE.to_owned(),
            optional: Vec::new(),
        })
    }

    /// The `subject_token_type` (default
    /// `urn:ietf:params:oauth:token-type:access_token`; an ID token is
    /// `urn:ietf:params:oauth:token-type:id_token`).
    pub fn subject_token_type(mut self, token_type: impl Into<String>) -> Self {
        self.subject_token_type = token_type.into();
        self
    }

    /// The `audience`: the service the token is for.
    pub fn audience(self, audience: impl Into<String>) -> Self {
        self.optional("audience", audience.into())
    }

    /// The `resource`: the URI of the service the token is for.
    pub fn resource(self, resource: impl Into<String>) -> Self {
        self.optional("resource", resource.into())
    }

    /// The `scope` asked for.
    pub fn scope(self, scope: impl Into<String>) -> Self {
        self.optional("scope", scope.into())
    }

    /// The `requested_token_type`.
    pub fn requested_token_type(self, token_type: impl Into<String>) -> Self {
        self.optional("requested_token_type", token_type.into())
    }

    /// Another form parameter the endpoint wants.
    pub fn param(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.endpoint.push_param(name.into(), value.into());
        self
    }

    /// Authenticates the application with HTTP Basic (`client_secret_basic`).
    pub fn client_secret_basic(mut self, id: impl Into<String>, secret: impl Into<String>) -> Self {
        self.endpoint.set_secret_basic(id.into(), secret.into());
        self
    }

    /// Authenticates the application with `client_id` and `client_secret`
    /// in the form (`client_secret_post`).
    pub fn client_secret_post(mut self, id: impl Into<String>, secret: impl Into<String>) -> Self {
        self.endpoint.set_secret_post(id.into(), secret.into());
        self
    }

    /// The HTTP client for the token endpoint (proxies, custom TLS); by
    /// default one of the SDK's own, which follows no redirect.
    pub fn http_client(mut self, http: reqwest::Client) -> Result<Self, ConfigError> {
        self.endpoint.set_http_client(http)?;
        Ok(self)
    }

    /// The time limit of one request to the token endpoint (default 30 s);
    /// the call's own deadline bounds it too.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.endpoint.set_timeout(timeout);
        self
    }

    fn optional(mut self, name: &'static str, value: String) -> Self {
        self.optional.retain(|(n, _)| *n != name);
        self.optional.push((name, value));
        self
    }

    async fn exchange(&self, user: &str) -> Result<AccessToken, AuthError> {
        let subject = self.subject_tokens.fetch(user).await?;
        let mut form = vec![
            ("grant_type", GRANT_TYPE),
            ("subject_token", subject.secret()),
            ("subject_token_type", self.subject_token_type.as_str()),
        ];
        form.extend(self.optional.iter().map(|(n, v)| (*n, v.as_str())));
        self.endpoint.request(&form).await
    }
}

impl UserTokenProvider for TokenExchange {
    fn fetch<'a>(&'a self, user: &'a str) -> BoxFuture<'a, Result<AccessToken, AuthError>> {
        Box::pin(self.exchange(user))
    }
}

impl fmt::Debug for TokenExchange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let optional: Vec<&str> = self.optional.iter().map(|(name, _)| *name).collect();
        f.debug_struct("TokenExchange")
            .field("endpoint", &self.endpoint)
            .field("subject_token_type", &self.subject_token_type)
            .field("optional", &optional)
            .finish_non_exhaustive()
    }
}
