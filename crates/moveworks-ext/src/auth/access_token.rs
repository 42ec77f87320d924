//! A bearer token, with when it expires.

use std::fmt;
use std::time::{Duration, Instant};

use http::HeaderValue;

use super::auth_error::{AuthError, AuthErrorKind};
use crate::config::header_value;

/// A bearer token, with when it expires.
///
/// The token is held once, as the `Authorization` header value it is sent
/// as (`Bearer <token>`, marked sensitive so that no `Debug` shows it): a
/// client serving thousands of users caches thousands of tokens, and a
/// second copy of each would double that memory.
#[derive(Clone)]
pub struct AccessToken {
    header: HeaderValue,
    expires_at: Option<Instant>,
}

/// What precedes the token in its header value.
const SCHEME: &str = "Bearer ";

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
        let header = header_value("token", &format!("{SCHEME}{token}"), true).map_err(|_| {
            AuthError::new(
                AuthErrorKind::InvalidToken,
                "the token contains characters a header cannot carry (such as a line break)",
            )
        })?;
        Ok(Self {
            header,
            expires_at: lifetime.map(|l| crate::config::after(Instant::now(), l)),
        })
    }

    /// The token itself. Handle with care: it is a credential.
    pub fn secret(&self) -> &str {
        // A header value built from a `&str` is that string's bytes.
        let bytes = &self.header.as_bytes()[SCHEME.len()..];
        std::str::from_utf8(bytes).unwrap_or_default()
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_never_show_in_debug() {
        let token = AccessToken::new("s3cr3t-t0ken", Some(Duration::from_secs(60))).unwrap();
        assert!(!format!("{token:?}").contains("s3cr3t"));
        assert!(!format!("{:?}", token.header()).contains("s3cr3t"));
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
