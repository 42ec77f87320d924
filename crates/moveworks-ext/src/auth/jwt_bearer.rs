//! The JWT bearer grant (RFC 7523): a trusted backend signs a short-lived
//! JWT naming the user in `sub` with its own private key, and exchanges it
//! for a Moveworks bearer for that user.
//!
//! Signing is `jsonwebtoken`'s rather than our own: a maintained crate
//! that signs RS256 and ES256 from a PKCS#8 PEM key, with its cryptography
//! from `aws-lc-rs` (no OpenSSL at run time), and nothing else switched on;
//! a JWS encoder and key parser written here would be security code with
//! no second reader.

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::{Map, Value};

use super::access_token::AccessToken;
use super::auth_error::{AuthError, AuthErrorKind};
use super::exchange::ExchangeEndpoint;
use super::token_provider::BoxFuture;
use super::user_tokens::UserTokenProvider;
use crate::config::ConfigError;

const GRANT_TYPE: &str = "urn:ietf:params:oauth:grant-type:jwt-bearer";

/// How the assertion is signed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum JwtAlgorithm {
    /// RSASSA-PKCS1-v1_5 with SHA-256, from an RSA private key.
    Rs256,
    /// ECDSA on P-256 with SHA-256, from an EC private key.
    Es256,
}

/// A [`UserTokenProvider`] for the JWT bearer grant (RFC 7523).
///
/// For each user it signs an assertion with the application's private key
/// (a PKCS#8 PEM; RS256 or ES256) whose claims are `iss` (the issuer you
/// are given), `sub` (the user key), `aud` (the audience you are given),
/// `iat` (now), `exp` (now plus the lifetime, 5 minutes by default), a
/// fresh random `jti` per assertion, and any extra claims; the header names
/// the key (`kid`) when you set one. It posts
/// `grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer` and
/// `assertion` (and `scope`, and any other parameter) to the token endpoint,
/// with the application's client authentication if it has one. Every value
/// is the one your Moveworks account team gives you: none is assumed. The
/// answer may be flat or wrapped in `{"data": ...}`; a refusal keeps its
/// OAuth `error` and `error_description`.
///
/// ```no_run
/// # fn demo(private_key_pem: &str) -> Result<(), moveworks_ext::ConfigError> {
/// use moveworks_ext::auth::{JwtAlgorithm, JwtBearer};
///
/// let grant = JwtBearer::new(
///     "https://auth.example.com/oauth2/token",
///     "my-backend",                         // iss
///     "https://auth.example.com",           // aud
///     private_key_pem,
///     JwtAlgorithm::Es256,
/// )?
/// .key_id("2026-12-key");
/// # let _ = grant;
/// # Ok(())
/// # }
/// ```
pub struct JwtBearer {
    endpoint: ExchangeEndpoint,
    issuer: String,
    audience: String,
    key: EncodingKey,
    algorithm: JwtAlgorithm,
    key_id: Option<String>,
    lifetime: Duration,
    claims: Map<String, Value>,
    scope: Option<String>,
}

impl JwtBearer {
    /// Signs assertions from `issuer` for `audience` with `private_key_pem`
    /// (PKCS#8 PEM), exchanged at `token_url` (https, or http to a loopback
    /// address). A key that does not parse for `algorithm` is refused here.
    pub fn new(
        token_url: &str,
        issuer: impl Into<String>,
        audience: impl Into<String>,
        private_key_pem: &str,
        algorithm: JwtAlgorithm,
    ) -> Result<Self, ConfigError> {
        let pem = private_key_pem.as_bytes();
        let key = match algorithm {
            JwtAlgorithm::Rs256 => EncodingKey::from_rsa_pem(pem),
            JwtAlgorithm::Es256 => EncodingKey::from_ec_pem(pem),
        }
        // The parser's message may quote the key: it is not kept.
        .map_err(|_| {
            ConfigError::invalid(
                "private key",
                "it is not a PKCS#8 PEM key of that algorithm",
            )
        })?;
        Ok(Self {
            endpoint: ExchangeEndpoint::new(token_url)?,
            issuer: issuer.into(),
            audience: audience.into(),
            key,
            algorithm,
            key_id: None,
            lifetime: Duration::from_secs(300),
            claims: Map::new(),
            scope: None,
        })
    }

    /// The key id (`kid`) the token endpoint knows the key by.
    pub fn key_id(mut self, kid: impl Into<String>) -> Self {
        self.key_id = Some(kid.into());
        self
    }

    /// How long an assertion is valid (`exp` - `iat`; default 5 minutes).
    pub fn lifetime(mut self, lifetime: Duration) -> Self {
        self.lifetime = lifetime;
        self
    }

    /// An extra claim. The standard claims (`iss`, `sub`, `aud`, `iat`,
    /// `exp`, `jti`) are the grant's and cannot be replaced.
    pub fn claim(mut self, name: impl Into<String>, value: impl Into<Value>) -> Self {
        self.claims.insert(name.into(), value.into());
        self
    }

    /// The `scope` asked for.
    pub fn scope(mut self, scope: impl Into<String>) -> Self {
        self.scope = Some(scope.into());
        self
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

    /// The signed assertion for `user`, issued now.
    fn assertion(&self, user: &str) -> Result<String, AuthError> {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default()
            .as_secs();
        let mut claims = self.claims.clone();
        let standard = [
            ("iss", Value::from(self.issuer.as_str())),
            ("sub", Value::from(user)),
            ("aud", Value::from(self.audience.as_str())),
            ("iat", Value::from(now)),
            (
                "exp",
                Value::from(now.saturating_add(self.lifetime.as_secs())),
            ),
            ("jti", Value::from(uuid::Uuid::new_v4().to_string())),
        ];
        claims.extend(standard.map(|(name, value)| (name.to_owned(), value)));
        let mut header = Header::new(match self.algorithm {
            JwtAlgorithm::Rs256 => Algorithm::RS256,
            JwtAlgorithm::Es256 => Algorithm::ES256,
        });
        header.kid.clone_from(&self.key_id);
        jsonwebtoken::encode(&header, &claims, &self.key).map_err(|_| {
            AuthError::new(
                AuthErrorKind::Provider,
                "the JWT assertion could not be signed",
            )
        })
    }

    async fn exchange(&self, user: &str) -> Result<AccessToken, AuthError> {
        let assertion = self.assertion(user)?;
        let mut form = vec![
            ("grant_type", GRANT_TYPE),
            ("assertion", assertion.as_str()),
        ];
        if let Some(scope) = &self.scope {
            form.push(("scope", scope));
        }
        self.endpoint.request(&form).await
    }
}

impl UserTokenProvider for JwtBearer {
    fn fetch<'a>(&'a self, user: &'a str) -> BoxFuture<'a, Result<AccessToken, AuthError>> {
        Box::pin(self.exchange(user))
    }
}

impl fmt::Debug for JwtBearer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JwtBearer")
            .field("endpoint", &self.endpoint)
            .field("issuer", &self.issuer)
            .field("audience", &self.audience)
            .field("algorithm", &self.algorithm)
            .field("key_id", &self.key_id)
            .field("lifetime", &self.lifetime)
            .field("private_key", &"[redacted]")
            .finish_non_exhaustive()
    }
}
