//! The OAuth 2.0 client-credentials grant (RFC 6749, section 4.4) against
//! the Moveworks token endpoint (`POST https://api.moveworks.ai/oauth/v1/token`
//! by default): `grant_type=client_credentials`, `client_id`,
//! `client_secret`. The client secret goes to the token endpoint and
//! nowhere else, and never into a message.

use std::fmt;
use std::time::Duration;

use secrecy::SecretString;
use tracing::Instrument;

use super::access_token::AccessToken;
use super::auth_error::AuthError;
use super::token_cache::TokenSource;
use super::token_endpoint::{ClientAuth, TokenEndpoint};
use super::token_provider::BoxFuture;
use crate::config::ConfigError;

/// A [`TokenSource`] for the OAuth 2.0 client-credentials grant.
pub struct ClientCredentials {
    endpoint: TokenEndpoint,
    client_id: String,
    client_secret: SecretString,
}

impl ClientCredentials {
    /// Credentials for `token_url`, fetched with `http`. `token_url` must be
    /// https (or http to a loopback address).
    pub fn new(
        http: reqwest::Client,
        token_url: &str,
        client_id: impl Into<String>,
        client_secret: impl Into<String>,
    ) -> Result<Self, ConfigError> {
        let endpoint = TokenEndpoint::new(http, token_url)?;
        let client_id: String = client_id.into();
        let client_secret: String = client_secret.into();
        if client_id.trim().is_empty() {
            return Err(ConfigError::missing("client id"));
        }
        if client_secret.trim().is_empty() {
            return Err(ConfigError::missing("client secret"));
        }
        Ok(Self {
            endpoint,
            client_id,
            client_secret: SecretString::from(client_secret),
        })
    }

    /// Time limit of one token request (default 30 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.endpoint.set_timeout(timeout);
        self
    }

    async fn request(&self) -> Result<AccessToken, AuthError> {
        let auth = ClientAuth::Form(&self.client_id, &self.client_secret);
        self.endpoint
            .request(&[("grant_type", "client_credentials")], auth)
            .await
    }
}

impl TokenSource for ClientCredentials {
    fn fetch(&self) -> BoxFuture<'_, Result<AccessToken, AuthError>> {
        // Instrumented, not entered: a guard held across an await would
        // leave the span entered on whatever the thread runs meanwhile.
        let span = tracing::debug_span!("moveworks.token", endpoint = %self.endpoint.url());
        Box::pin(self.request().instrument(span))
    }
}

impl fmt::Debug for ClientCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientCredentials")
            .field("token_url", &self.endpoint.url())
            .field("client_id", &self.client_id)
            .field("client_secret", &"[redacted]")
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_the_secret() {
        let source = ClientCredentials::new(
            reqwest::Client::new(),
            "https://api.moveworks.ai/oauth/v1/token",
            "id",
            "sup3r-s3cret",
        )
        .unwrap();
        assert!(!format!("{source:?}").contains("sup3r"));
    }
}
