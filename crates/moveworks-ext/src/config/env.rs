//! Environment variables read by [`Client::from_env`](crate::Client::from_env).

use super::config_error::ConfigError;

/// Base URL (optional; default [`DEFAULT_BASE_URL`](crate::defaults::DEFAULT_BASE_URL)).
/// Not with [`HOST`] or [`BASE_PATH`].
pub const BASE_URL: &str = "MOVEWORKS_BASE_URL";
/// A named host (optional; a [`Host`](crate::Host) name such as `uk`, or
/// its host name), instead of [`BASE_URL`].
pub const HOST: &str = "MOVEWORKS_HOST";
/// A named base path (optional; `rest/v1`, `assistant/v1` or
/// `rest/v1beta1`, see [`BasePath`](crate::BasePath)), instead of
/// [`BASE_URL`].
pub const BASE_PATH: &str = "MOVEWORKS_BASE_PATH";
/// Assistant name sent as `Assistant-Name` (required).
pub const ASSISTANT_NAME: &str = "MOVEWORKS_ASSISTANT_NAME";
/// A static bearer token.
pub const API_TOKEN: &str = "MOVEWORKS_API_TOKEN";
/// OAuth client id (with [`CLIENT_SECRET`]).
pub const CLIENT_ID: &str = "MOVEWORKS_CLIENT_ID";
/// OAuth client secret (with [`CLIENT_ID`]).
pub const CLIENT_SECRET: &str = "MOVEWORKS_CLIENT_SECRET";
/// OAuth token endpoint (optional; default: the one on the host, see
/// [`Host::token_url`](crate::Host::token_url)).
pub const TOKEN_URL: &str = "MOVEWORKS_TOKEN_URL";

/// Reads environment variables through `lookup`, so tests and other
/// configuration sources need not touch the process environment.
pub(crate) struct EnvReader<F> {
    lookup: F,
}

impl<F: Fn(&str) -> Option<String>> EnvReader<F> {
    pub(crate) fn new(lookup: F) -> Self {
        Self { lookup }
    }

    /// The variable's value; unset and empty are the same.
    pub(crate) fn optional(&self, var: &'static str) -> Option<String> {
        (self.lookup)(var).filter(|v| !v.is_empty())
    }

    /// The variable's value checked (and normalized) by `check`, if it is
    /// set; an error names the variable.
    pub(crate) fn checked<T>(
        &self,
        var: &'static str,
        check: impl FnOnce(&str) -> Result<T, ConfigError>,
    ) -> Result<Option<T>, ConfigError> {
        self.optional(var)
            .map(|value| check(&value).map_err(|e| e.via_env(var)))
            .transpose()
    }

    /// The variable's value, or an error naming the variable and the
    /// `setting` it holds.
    pub(crate) fn required(
        &self,
        var: &'static str,
        setting: &'static str,
    ) -> Result<String, ConfigError> {
        self.optional(var)
            .ok_or_else(|| ConfigError::missing(setting).via_env(var))
    }
}
