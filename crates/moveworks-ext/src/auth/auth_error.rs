//! Why no token could be had.

use std::fmt;

use http::StatusCode;

/// Why no token could be had.
#[derive(Debug, Clone)]
pub struct AuthError {
    kind: AuthErrorKind,
    message: String,
    status: Option<StatusCode>,
    /// The OAuth `error` and `error_description` of a refusal.
    oauth: Option<(String, Option<String>)>,
}

/// The kind of an [`AuthError`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum AuthErrorKind {
    /// A token is empty or not a valid header value.
    InvalidToken,
    /// The token endpoint could not be reached, or the connection failed.
    Unreachable,
    /// The token endpoint did not answer in time.
    TimedOut,
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
            oauth: None,
        }
    }

    pub(crate) fn with_status(mut self, status: StatusCode) -> Self {
        self.status = Some(status);
        self
    }

    pub(crate) fn with_oauth(mut self, error: String, description: Option<String>) -> Self {
        self.oauth = Some((error, description));
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

    /// The token endpoint's OAuth `error` code (`invalid_grant`,
    /// `invalid_client`, ...), when it refused in the OAuth form.
    pub fn oauth_error(&self) -> Option<&str> {
        self.oauth.as_ref().map(|(error, _)| error.as_str())
    }

    /// The token endpoint's OAuth `error_description`, when it gave one.
    pub fn oauth_error_description(&self) -> Option<&str> {
        self.oauth.as_ref()?.1.as_deref()
    }

    /// Whether asking again later might work.
    pub fn is_retryable(&self) -> bool {
        match self.kind {
            AuthErrorKind::Unreachable | AuthErrorKind::TimedOut => true,
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
