//! Access tokens and where they come from.
//!
//! A [`TokenProvider`] hands out the token each request carries. The SDK
//! ships a static one ([`StaticToken`]), a caching one for any source of
//! expiring tokens ([`CachingTokenProvider`](crate::CachingTokenProvider)),
//! and the OAuth 2.0 client-credentials source
//! ([`ClientCredentials`](crate::ClientCredentials)). Tokens are secrets:
//! no `Debug`, `Display`, error or log line of this crate shows one.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use reqwest::header::HeaderValue;
use secrecy::{ExposeSecret, SecretString};

/// A boxed future, as [`TokenProvider`] and [`TokenSource`](crate::TokenSource) return.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// A bearer token, with when it expires.
#[derive(Clone)]
pub struct AccessToken {
    secret: SecretString,
    /// `Bearer <token>`, marked sensitive, built once.
    header: HeaderValue,
    expires_at: Option<Instant>,
}

impl AccessToken {
    /// A token valid for `lifetime` from now (`None`: until the API rejects
    /// it). Refused if it is empty or holds characters a header cannot (a
    /// line break, for instance).
    pub fn new(token: impl Into<String>, lifetime: Option<Duration>) -> Result<Self, AuthError> {
        let token: String = token.into();
        if token.trim().is_empty() {
            return Err(AuthError::new(
                AuthErrorKind::InvalidToken,
                "the token is empty",
            ));
        }
        // Not trimmed: a line break anywhere is refused, never sent.
        let header = crate::config::header_value("token", &format!("Bearer {token}"), true)
            .map_err(|_| {
                AuthError::new(
                    AuthErrorKind::InvalidToken,
                    "the token contains characters a header cannot carry (such as a line break)",
                )
            })?;
        Ok(Self {
            secret: SecretString::from(token),
            header,
            expires_at: lifetime.map(|l| Instant::now() + l),
        })
    }

    /// The token itself. Handle with care: it is a credential.
    pub fn secret(&self) -> &str {
        self.secret.expose_secret()
    }

    /// When the token expires, if known.
    pub fn expires_at(&self) -> Option<Instant> {
        self.expires_at
    }

    /// Whether the token has expired.
    pub fn is_expired(&self) -> bool {
        self.expires_at.is_some_and(|at| Instant::now() >= at)
    }

    /// The `Authorization` header value, marked sensitive.
    pub(crate) fn header(&self) -> &HeaderValue {
        &self.header
    }
}

impl fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AccessToken")
            .field("token", &"[redacted]")
            .field("expires_at", &self.expires_at)
            .finish()
    }
}

/// Supplies the token every request carries.
///
/// Implement it to plug in your own credential store; the future it
/// returns must be `Send`. A provider that can refresh says so through
/// [`can_refresh`](TokenProvider::can_refresh): the client then answers a
/// 401 by calling [`invalidate`](TokenProvider::invalidate) and retrying
/// the request once with a new token.
///
/// ```
/// use std::sync::Arc;
/// use moveworks_ext::{AccessToken, AuthError, BoxFuture, TokenProvider};
///
/// /// Reads the token from a secret store on every call.
/// struct FromVault;
///
/// impl TokenProvider for FromVault {
///     fn token(&self) -> BoxFuture<'_, Result<Arc<AccessToken>, AuthError>> {
///         Box::pin(async { Ok(Arc::new(AccessToken::new("token-from-vault", None)?)) })
///     }
/// }
/// ```
pub trait TokenProvider: Send + Sync + 'static {
    /// A token to send now.
    fn token(&self) -> BoxFuture<'_, Result<Arc<AccessToken>, AuthError>>;

    /// A token that can be sent now without waiting, if the provider has
    /// one at hand (a static token, a cached one not yet due for refresh).
    /// The client asks this first, on every request, and awaits
    /// [`token`](TokenProvider::token) only when it returns `None` (the
    /// default); it must be cheap and must not block.
    fn ready_token(&self) -> Option<Arc<AccessToken>> {
        None
    }

    /// The API rejected `token` (401): stop handing it out.
    fn invalidate(&self, token: &AccessToken) {
        let _ = token;
    }

    /// Whether [`token`](TokenProvider::token) can return a different token
    /// after [`invalidate`](TokenProvider::invalidate).
    fn can_refresh(&self) -> bool {
        false
    }
}

/// A token that never changes, such as one from `MOVEWORKS_API_TOKEN`.
#[derive(Clone)]
pub struct StaticToken(Arc<AccessToken>);

impl StaticToken {
    /// Checks and wraps `token`.
    pub fn new(token: impl Into<String>) -> Result<Self, AuthError> {
        Ok(Self(Arc::new(AccessToken::new(token, None)?)))
    }
}

impl fmt::Debug for StaticToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("StaticToken([redacted])")
    }
}

impl TokenProvider for StaticToken {
    fn token(&self) -> BoxFuture<'_, Result<Arc<AccessToken>, AuthError>> {
        let token = self.0.clone();
        Box::pin(async move { Ok(token) })
    }

    fn ready_token(&self) -> Option<Arc<AccessToken>> {
        Some(self.0.clone())
    }
}

/// Why no token could be had.
#[derive(Debug, Clone)]
pub struct AuthError {
    kind: AuthErrorKind,
    message: String,
    status: Option<StatusCode>,
}

/// The kind of an [`AuthError`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum AuthErrorKind {
    /// A token is empty or not a valid header value.
    InvalidToken,
    /// The token endpoint could not be reached or timed out.
    Unreachable,
    /// The token endpoint refused the credentials or failed.
    Rejected,
    /// The token endpoint answered something that is not a token.
    InvalidResponse,
    /// A custom provider failed.
    Provider,
}

impl AuthError {
    /// An error of `kind`; `message` must not contain a secret.
    pub fn new(kind: AuthErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
            status: None,
        }
    }

    pub(crate) fn with_status(mut self, status: StatusCode) -> Self {
        self.status = Some(status);
        self
    }

    /// What went wrong.
    pub fn kind(&self) -> AuthErrorKind {
        self.kind
    }

    /// The token endpoint's status, when it answered.
    pub fn status(&self) -> Option<StatusCode> {
        self.status
    }

    /// Whether asking again later might work.
    pub fn is_retryable(&self) -> bool {
        match self.kind {
            AuthErrorKind::Unreachable => true,
            AuthErrorKind::Rejected => self
                .status
                .is_some_and(|s| s.is_server_error() || s.as_u16() == 429),
            _ => false,
        }
    }
}

impl fmt::Display for AuthError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        if let Some(status) = self.status {
            write!(f, " (token endpoint answered {status})")?;
        }
        Ok(())
    }
}

impl std::error::Error for AuthError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_never_show_in_debug() {
        let token = AccessToken::new("s3cr3t-t0ken", Some(Duration::from_secs(60))).unwrap();
        assert!(!format!("{token:?}").contains("s3cr3t"));
        assert!(!format!("{:?}", token.header()).contains("s3cr3t"));
        assert!(!format!("{:?}", StaticToken::new("s3cr3t-t0ken").unwrap()).contains("s3cr3t"));
        assert_eq!(token.secret(), "s3cr3t-t0ken");
    }

    #[test]
    fn refuses_empty_tokens_and_line_breaks_without_echoing_them() {
        for bad in ["", "  ", "abc\r\nX-Injected: 1", "abc\n"] {
            let err = AccessToken::new(bad, None).unwrap_err();
            assert_eq!(err.kind(), AuthErrorKind::InvalidToken);
            assert!(!err.to_string().contains("Injected"));
        }
    }

    #[test]
    fn expiry_is_tracked() {
        assert!(
            AccessToken::new("t", Some(Duration::ZERO))
                .unwrap()
                .is_expired()
        );
        assert!(!AccessToken::new("t", None).unwrap().is_expired());
    }
}
