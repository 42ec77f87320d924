//! What the two exchange grants share: the token endpoint, how the
//! application authenticates to it, and the extra form parameters an
//! account team may ask for. Nothing here is a Moveworks default: every
//! endpoint, parameter and claim is the application's.

use std::fmt;
use std::time::Duration;

use secrecy::SecretString;

use super::access_token::AccessToken;
use super::auth_error::AuthError;
use super::token_endpoint::{ClientAuth, TokenEndpoint};
use crate::config::{ConfigError, tls};

/// How the application authenticates to the token endpoint.
#[derive(Default)]
enum Client {
    #[default]
    None,
    Basic(String, SecretString),
    Post(String, SecretString),
}

/// The token endpoint of an exchange grant, and what every request to it
/// carries besides the grant's own parameters.
pub(crate) struct ExchangeEndpoint {
    endpoint: TokenEndpoint,
    client: Client,
    params: Vec<(String, String)>,
}

impl ExchangeEndpoint {
    /// `token_url` (https, or http to a loopback address), reached with a
    /// client of the SDK's own TLS that follows no redirect.
    pub(crate) fn new(token_url: &str) -> Result<Self, ConfigError> {
        let http = tls::client_builder()?
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(ConfigError::http_client)?;
        Ok(Self {
            endpoint: TokenEndpoint::new(http, token_url)?,
            client: Client::None,
            params: Vec::new(),
        })
    }

    pub(crate) fn set_http_client(&mut self, http: reqwest::Client) -> Result<(), ConfigError> {
        let mut endpoint = TokenEndpoint::new(http, self.endpoint.url())?;
        endpoint.set_timeout(self.endpoint.timeout());
        self.endpoint = endpoint;
        Ok(())
    }

    pub(crate) fn set_timeout(&mut self, timeout: Duration) {
        self.endpoint.set_timeout(timeout);
    }

    pub(crate) fn set_secret_basic(&mut self, id: String, secret: String) {
        self.client = Client::Basic(id, secret.into());
    }

    pub(crate) fn set_secret_post(&mut self, id: String, secret: String) {
        self.client = Client::Post(id, secret.into());
    }

    pub(crate) fn push_param(&mut self, name: String, value: String) {
        self.params.push((name, value));
    }

    /// Posts the grant's `form`, then the extra parameters, with the
    /// client's authentication.
    pub(crate) async fn request(&self, form: &[(&str, &str)]) -> Result<AccessToken, AuthError> {
        let mut all: Vec<(&str, &str)> = form.to_vec();
        all.extend(self.params.iter().map(|(n, v)| (n.as_str(), v.as_str())));
        let auth = match &self.client {
            Client::None => ClientAuth::None,
            Client::Basic(id, secret) => ClientAuth::Basic(id, secret),
            Client::Post(id, secret) => ClientAuth::Form(id, secret),
        };
        self.endpoint.request(&all, auth).await
    }
}

impl fmt::Debug for ExchangeEndpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let client = match &self.client {
            Client::None => "none",
            Client::Basic(..) => "client_secret_basic",
            Client::Post(..) => "client_secret_post",
        };
        let params: Vec<&str> = self.params.iter().map(|(name, _)| name.as_str()).collect();
        f.debug_struct("ExchangeEndpoint")
            .field("endpoint", &self.endpoint)
            .field("client_authentication", &client)
            // Values may be secrets: their names only.
            .field("params", &params)
            .finish()
    }
}
