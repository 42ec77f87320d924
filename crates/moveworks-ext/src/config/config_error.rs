//! Why a client could not be configured.

use std::fmt;

/// Why a client could not be configured.
///
/// Variants and their fields may be added: match with a `_` arm and `..`.
///
/// ```
/// fn setting(error: &moveworks_ext::ConfigError) -> Option<&str> {
///     match error {
///         moveworks_ext::ConfigError::Invalid { setting, .. } => Some(setting),
///         _ => None,
///     }
/// }
/// ```
///
/// A pattern without `..` does not compile:
///
/// ```compile_fail,E0638
/// fn setting(error: &moveworks_ext::ConfigError) -> Option<&str> {
///     match error {
///         moveworks_ext::ConfigError::Invalid { setting, reason } => Some(setting),
///         _ => None,
///     }
/// }
/// ```
#[derive(Debug)]
#[non_exhaustive]
pub enum ConfigError {
    /// A required setting is missing.
    #[non_exhaustive]
    Missing {
        /// The setting, e.g. `assistant name`.
        setting: &'static str,
    },
    /// A required environment variable is not set.
    #[non_exhaustive]
    MissingEnv {
        /// Its name.
        var: &'static str,
    },
    /// An environment variable is set to something unusable.
    #[non_exhaustive]
    InvalidEnv {
        /// Its name.
        var: &'static str,
        /// What is wrong (never the value of a secret).
        reason: String,
    },
    /// A setting has a value that cannot be used.
    #[non_exhaustive]
    Invalid {
        /// The setting.
        setting: &'static str,
        /// What is wrong (never the value of a secret).
        reason: String,
    },
    /// A URL would send the token in clear text to another machine.
    #[non_exhaustive]
    InsecureUrl {
        /// The setting (`base URL`, `token URL`).
        setting: &'static str,
        /// The URL, without user info.
        url: String,
    },
    /// The HTTP client could not be built (TLS setup, for instance).
    #[non_exhaustive]
    HttpClient {
        /// What the HTTP library reported.
        source: Box<dyn std::error::Error + Send + Sync>,
    },
}

impl ConfigError {
    pub(crate) fn missing(setting: &'static str) -> Self {
        ConfigError::Missing { setting }
    }

    pub(crate) fn invalid(setting: &'static str, reason: impl Into<String>) -> Self {
        ConfigError::Invalid {
            setting,
            reason: reason.into(),
        }
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigError::Missing { setting } => write!(f, "no {setting} configured"),
            ConfigError::MissingEnv { var } => write!(f, "environment variable {var} is not set"),
            ConfigError::InvalidEnv { var, reason } => {
                write!(f, "environment variable {var} is invalid: {reason}")
            }
            ConfigError::Invalid { setting, reason } => write!(f, "invalid {setting}: {reason}"),
            ConfigError::InsecureUrl { setting, url } => write!(
                f,
                "refusing {setting} `{url}`: tokens are only sent over https, or over http to a loopback address"
            ),
            ConfigError::HttpClient { source } => {
                write!(f, "cannot build the HTTP client: {source}")
            }
        }
    }
}

impl std::error::Error for ConfigError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ConfigError::HttpClient { source } => Some(source.as_ref()),
            _ => None,
        }
    }
}
