//! Configuration values and their validation: base URLs (a token is only
//! ever sent over https, or over http to this machine), header values, and
//! the environment variables `Client::from_env` reads.

use std::fmt;
use std::net::IpAddr;
use std::time::Duration;

use reqwest::Url;
use reqwest::header::HeaderValue;

/// The API's base URL: the first server of the spec.
pub const DEFAULT_BASE_URL: &str = moveworks_api::DEFAULT_BASE_URL;

/// The OAuth 2.0 token endpoint of the Moveworks auth service.
pub const DEFAULT_TOKEN_URL: &str = "https://api.moveworks.ai/oauth/v1/token";

/// Environment variables read by [`Client::from_env`](crate::Client::from_env).
pub mod env {
    /// Base URL (optional; default [`DEFAULT_BASE_URL`](super::DEFAULT_BASE_URL)).
    pub const BASE_URL: &str = "MOVEWORKS_BASE_URL";
    /// Assistant name sent as `Assistant-Name` (required).
    pub const ASSISTANT_NAME: &str = "MOVEWORKS_ASSISTANT_NAME";
    /// A static bearer token.
    pub const API_TOKEN: &str = "MOVEWORKS_API_TOKEN";
    /// OAuth client id (with [`CLIENT_SECRET`]).
    pub const CLIENT_ID: &str = "MOVEWORKS_CLIENT_ID";
    /// OAuth client secret (with [`CLIENT_ID`]).
    pub const CLIENT_SECRET: &str = "MOVEWORKS_CLIENT_SECRET";
    /// OAuth token endpoint (optional; default
    /// [`DEFAULT_TOKEN_URL`](super::DEFAULT_TOKEN_URL)).
    pub const TOKEN_URL: &str = "MOVEWORKS_TOKEN_URL";
}

/// Time limits of a call.
///
/// Defaults: 5 s to connect, 30 s per attempt, 60 s in all across retries. A
/// retry never sleeps past the total deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timeouts {
    /// Establishing a connection.
    pub connect: Duration,
    /// One attempt, from sending the request to the end of the response
    /// body (streaming responses are limited by `connect` and the idle
    /// timeout only).
    pub attempt: Duration,
    /// The whole call, retries and waits included.
    pub total: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Self {
            connect: Duration::from_secs(5),
            attempt: Duration::from_secs(30),
            total: Duration::from_secs(60),
        }
    }
}

/// Why a client could not be configured.
#[derive(Debug)]
#[non_exhaustive]
pub enum ConfigError {
    /// A required setting is missing.
    Missing {
        /// The setting, e.g. `assistant name`.
        setting: &'static str,
    },
    /// A required environment variable is not set.
    MissingEnv {
        /// Its name.
        var: &'static str,
    },
    /// An environment variable is set to something unusable.
    InvalidEnv {
        /// Its name.
        var: &'static str,
        /// What is wrong (never the value of a secret).
        reason: String,
    },
    /// A setting has a value that cannot be used.
    Invalid {
        /// The setting.
        setting: &'static str,
        /// What is wrong (never the value of a secret).
        reason: String,
    },
    /// A URL would send the token in clear text to another machine.
    InsecureUrl {
        /// The setting (`base URL`, `token URL`).
        setting: &'static str,
        /// The URL, without user info.
        url: String,
    },
    /// The HTTP client could not be built (TLS setup, for instance).
    HttpClient(reqwest::Error),
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
            ConfigError::HttpClient(e) => write!(f, "cannot build the HTTP client: {e}"),
        }
    }
}

impl std::error::Error for ConfigError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ConfigError::HttpClient(e) => Some(e),
            _ => None,
        }
    }
}

/// Checks a URL a token will be sent to, and returns it without a trailing
/// slash (the generated client appends paths starting with `/`). Refused:
/// unparsable URLs, user info, fragments, queries, schemes other than
/// https, and http to anything but a loopback address.
pub fn secure_url(setting: &'static str, text: &str) -> Result<String, ConfigError> {
    let invalid = |reason: &str| ConfigError::Invalid {
        setting,
        reason: reason.to_owned(),
    };
    let url = Url::parse(text.trim()).map_err(|e| invalid(&format!("not a URL ({e})")))?;
    if !url.username().is_empty() || url.password().is_some() {
        return Err(invalid(
            "user info (`user:password@`) is not allowed; use the credential settings",
        ));
    }
    if url.fragment().is_some() {
        return Err(invalid("a fragment (`#...`) is not allowed"));
    }
    if url.query().is_some() {
        return Err(invalid("a query (`?...`) is not allowed"));
    }
    match url.scheme() {
        "https" => {}
        "http" if is_loopback(&url) => {}
        "http" => {
            return Err(ConfigError::InsecureUrl {
                setting,
                url: url.to_string(),
            });
        }
        other => return Err(invalid(&format!("scheme `{other}` is not http(s)"))),
    }
    Ok(url.as_str().trim_end_matches('/').to_owned())
}

fn is_loopback(url: &Url) -> bool {
    match url.host_str() {
        Some(host) if host.eq_ignore_ascii_case("localhost") => true,
        Some(host) => host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<IpAddr>()
            .is_ok_and(|ip| ip.is_loopback()),
        None => false,
    }
}

/// A header value from configuration: no control characters (a CR or LF
/// would otherwise let a value inject headers), not empty.
pub fn header_value(
    setting: &'static str,
    value: &str,
    sensitive: bool,
) -> Result<HeaderValue, ConfigError> {
    let invalid = |reason: &str| ConfigError::Invalid {
        setting,
        reason: reason.to_owned(),
    };
    if value.trim().is_empty() {
        return Err(invalid("it is empty"));
    }
    if value.chars().any(char::is_control) {
        return Err(invalid(
            "it contains a control character (such as a line break)",
        ));
    }
    let mut header =
        HeaderValue::from_str(value).map_err(|_| invalid("it is not a valid HTTP header value"))?;
    header.set_sensitive(sensitive);
    Ok(header)
}

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

    pub(crate) fn required(&self, var: &'static str) -> Result<String, ConfigError> {
        self.optional(var).ok_or(ConfigError::MissingEnv { var })
    }
}

/// Rewords a configuration error about a setting as one about the
/// environment variable it came from.
pub(crate) fn from_env_var(var: &'static str, error: ConfigError) -> ConfigError {
    match error {
        ConfigError::Invalid { reason, .. } => ConfigError::InvalidEnv { var, reason },
        ConfigError::InsecureUrl { url, .. } => ConfigError::InvalidEnv {
            var,
            reason: format!(
                "`{url}` would send the token in clear text (use https, or http to a loopback address)"
            ),
        },
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_https_and_loopback_http_and_trims_the_slash() {
        assert_eq!(
            secure_url("base URL", "https://api.moveworks.ai/rest/v1beta1/").unwrap(),
            "https://api.moveworks.ai/rest/v1beta1"
        );
        assert_eq!(
            secure_url("base URL", "http://127.0.0.1:8080").unwrap(),
            "http://127.0.0.1:8080"
        );
        for ok in [
            "http://127.0.0.1:8080",
            "http://localhost/x",
            "http://[::1]:1/",
        ] {
            secure_url("base URL", ok).unwrap();
        }
    }

    #[test]
    fn refuses_insecure_and_ambiguous_urls() {
        assert!(matches!(
            secure_url("base URL", "http://api.moveworks.ai"),
            Err(ConfigError::InsecureUrl { .. })
        ));
        assert!(matches!(
            secure_url("base URL", "http://10.0.0.1"),
            Err(ConfigError::InsecureUrl { .. })
        ));
        for bad in [
            "https://user:pw@api.moveworks.ai",
            "https://api.moveworks.ai/#x",
            "https://a/?q=1",
            "ftp://a",
            "nope",
        ] {
            let err = secure_url("base URL", bad).unwrap_err();
            assert!(matches!(err, ConfigError::Invalid { .. }), "{bad}: {err}");
            assert!(
                !err.to_string().contains("pw@"),
                "user info never echoed: {err}"
            );
        }
    }

    #[test]
    fn header_values_refuse_line_breaks() {
        assert!(header_value("assistant name", "acme\r\nX-Evil: 1", false).is_err());
        assert!(header_value("assistant name", "   ", false).is_err());
        assert!(header_value("assistant name", "acme-assistant", false).is_ok());
        assert!(header_value("token", "abc", true).unwrap().is_sensitive());
    }
}
