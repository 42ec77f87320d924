//! Why a client could not be configured.

use std::fmt;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Why a client could not be configured: which setting, where it came
/// from (an environment variable, or code), and what is wrong with it.
#[derive(Debug)]
pub struct ConfigError {
    setting: &'static str,
    env_var: Option<&'static str>,
    problem: Problem,
}

#[derive(Debug)]
enum Problem {
    Missing,
    Invalid(String),
    /// A URL that would send tokens in the clear.
    InsecureUrl(String),
    HttpClient(BoxError),
}

impl ConfigError {
    pub(crate) fn missing(setting: &'static str) -> Self {
        Self::new(setting, Problem::Missing)
    }

    pub(crate) fn invalid(setting: &'static str, reason: impl Into<String>) -> Self {
        Self::new(setting, Problem::Invalid(reason.into()))
    }

    pub(crate) fn insecure_url(setting: &'static str, url: impl Into<String>) -> Self {
        Self::new(setting, Problem::InsecureUrl(url.into()))
    }

    pub(crate) fn http_client(source: impl Into<BoxError>) -> Self {
        Self::new("HTTP client", Problem::HttpClient(source.into()))
    }

    /// This error, for a setting read from the environment variable `var`.
    pub(crate) fn via_env(mut self, var: &'static str) -> Self {
        self.env_var = Some(var);
        self
    }

    fn new(setting: &'static str, problem: Problem) -> Self {
        Self {
            setting,
            env_var: None,
            problem,
        }
    }

    /// The setting at fault, as the builder names it (`assistant name`,
    /// `base URL`, `token`, ...).
    pub fn setting(&self) -> &'static str {
        self.setting
    }

    /// The environment variable the setting was read from, if it was.
    pub fn env_var(&self) -> Option<&'static str> {
        self.env_var
    }

    /// Whether the setting is missing (rather than invalid).
    pub fn is_missing(&self) -> bool {
        matches!(self.problem, Problem::Missing)
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let setting = self.setting;
        match (&self.problem, self.env_var) {
            (Problem::Missing, Some(var)) => write!(f, "environment variable {var} is not set"),
            (Problem::Missing, None) => write!(f, "no {setting} configured"),
            (Problem::Invalid(reason), Some(var)) => {
                write!(f, "environment variable {var} is invalid: {reason}")
            }
            (Problem::Invalid(reason), None) => write!(f, "invalid {setting}: {reason}"),
            (Problem::InsecureUrl(url), Some(var)) => write!(
                f,
                "environment variable {var} is invalid: `{url}` would send the token in clear text (use https, or http to a loopback address)"
            ),
            (Problem::InsecureUrl(url), None) => write!(
                f,
                "refusing {setting} `{url}`: tokens are only sent over https, or over http to a loopback address"
            ),
            (Problem::HttpClient(source), _) => write!(f, "cannot build the HTTP client: {source}"),
        }
    }
}

impl std::error::Error for ConfigError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.problem {
            Problem::HttpClient(source) => Some(source.as_ref()),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_the_setting_and_where_it_came_from() {
        let missing = ConfigError::missing("assistant name");
        assert_eq!(missing.to_string(), "no assistant name configured");
        assert!(missing.is_missing());
        let from_env = ConfigError::missing("token").via_env("MOVEWORKS_API_TOKEN");
        assert_eq!(
            from_env.to_string(),
            "environment variable MOVEWORKS_API_TOKEN is not set"
        );
        assert_eq!(from_env.setting(), "token");
        assert_eq!(from_env.env_var(), Some("MOVEWORKS_API_TOKEN"));
        let invalid =
            ConfigError::invalid("base URL", "it has a query").via_env("MOVEWORKS_BASE_URL");
        assert_eq!(
            invalid.to_string(),
            "environment variable MOVEWORKS_BASE_URL is invalid: it has a query"
        );
        assert!(!invalid.is_missing());
    }
}
