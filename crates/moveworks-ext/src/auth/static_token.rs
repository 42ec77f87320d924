//! A token that never changes.

use std::fmt;
use std::sync::Arc;

use super::access_token::AccessToken;
use super::auth_error::AuthError;
use super::token_provider::{BoxFuture, TokenProvider};

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_shows_in_debug() {
        assert!(!format!("{:?}", StaticToken::new("s3cr3t-t0ken").unwrap()).contains("s3cr3t"));
    }
}
