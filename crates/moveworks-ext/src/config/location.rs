//! Where the API is: the Moveworks hosts and the base paths the
//! Conversations API is served under, as named values, and the base URL
//! and token endpoint a client derives from them.
//!
//! The default is [`Host::Us`] and [`BasePath::RestV1`]
//! (`https://api.moveworks.ai/rest/v1`): the newest reference pages and
//! Moveworks' demo application use `/rest/v1`, `/assistant/v1` is listed
//! as deprecated, and the lifecycle page gives the beta's endpoints as its
//! example of the deprecated stage. The default does not follow the
//! `servers` of the spec the client was generated from.

use std::fmt;
use std::str::FromStr;

use reqwest::Url;

use super::config_error::ConfigError;

/// The path of the OAuth 2.0 token endpoint on every host.
const TOKEN_PATH: &str = "/oauth/v1/token";

/// A base path the Conversations API is served under; each has the same
/// operations at the same paths below it.
///
/// | base path | status |
/// |---|---|
/// | [`RestV1`](BasePath::RestV1), `/rest/v1` | current: the newest reference pages and Moveworks' demo application use it; the default |
/// | [`AssistantV1`](BasePath::AssistantV1), `/assistant/v1` | deprecated by Moveworks; the spec this client is generated from is the one published for it |
/// | [`RestV1Beta1`](BasePath::RestV1Beta1), `/rest/v1beta1` | the beta; deprecated stage (Moveworks' lifecycle page gives beta endpoints as its example) |
///
/// ```
/// use moveworks_ext::BasePath;
///
/// assert_eq!(BasePath::RestV1.path(), "/rest/v1");
/// assert_eq!("assistant/v1".parse::<BasePath>().unwrap(), BasePath::AssistantV1);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum BasePath {
    /// `/rest/v1`, the current API (the default).
    #[default]
    RestV1,
    /// `/assistant/v1`, deprecated by Moveworks.
    AssistantV1,
    /// `/rest/v1beta1`, the beta (deprecated stage).
    RestV1Beta1,
}

impl BasePath {
    /// Every base path, the default first.
    pub const ALL: [BasePath; 3] = [
        BasePath::RestV1,
        BasePath::AssistantV1,
        BasePath::RestV1Beta1,
    ];

    /// The path, with its leading slash: `/rest/v1`.
    pub fn path(self) -> &'static str {
        match self {
            BasePath::RestV1 => "/rest/v1",
            BasePath::AssistantV1 => "/assistant/v1",
            BasePath::RestV1Beta1 => "/rest/v1beta1",
        }
    }

    /// Its name in settings: the path without its leading slash (`rest/v1`).
    pub fn name(self) -> &'static str {
        &self.path()[1..]
    }

    /// Whether Moveworks lists it as deprecated.
    pub fn is_deprecated(self) -> bool {
        !matches!(self, BasePath::RestV1)
    }

    /// The base URL of this base path at `origin` (a scheme and host, such
    /// as a test server's `http://127.0.0.1:8080`); a trailing slash of
    /// `origin` is dropped.
    pub fn at(self, origin: &str) -> String {
        format!("{}{}", origin.trim_end_matches('/'), self.path())
    }
}

impl fmt::Display for BasePath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for BasePath {
    type Err = ConfigError;

    /// `rest/v1`, `assistant/v1` or `rest/v1beta1`, with or without the
    /// leading slash.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let name = text.trim().trim_start_matches('/').trim_end_matches('/');
        BasePath::ALL
            .into_iter()
            .find(|path| path.name() == name)
            .ok_or_else(|| {
                let known = names(BasePath::ALL.map(BasePath::name));
                ConfigError::invalid("base path", format!("`{text}` is not one of {known}"))
            })
    }
}

/// A Moveworks API host. Requests to the wrong host are answered 404 or
/// `invalid_audience`: use the one your organization is on.
///
/// Choosing a host with
/// [`ClientBuilder::host`](crate::ClientBuilder::host) also points the
/// OAuth token endpoint at it (`https://<host>/oauth/v1/token`), unless a
/// token URL is set.
///
/// ```
/// use moveworks_ext::Host;
///
/// assert_eq!(Host::Uk.domain(), "api.uk.moveworks.com");
/// assert_eq!("jp".parse::<Host>().unwrap(), Host::Japan);
/// assert_eq!("api.moveworksgov.ai".parse::<Host>().unwrap(), Host::Gov);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum Host {
    /// `api.moveworks.ai`, US production (the default).
    #[default]
    Us,
    /// `api.prod3.us.moveworks.com`, US Prod 3.
    UsProd3,
    /// `api.prod4.us.moveworks.com`, US Prod 4.
    UsProd4,
    /// `api.eu.moveworks.ai`, the EU host Moveworks' overview page names.
    Eu,
    /// `api.uk.moveworks.com`, UK production.
    Uk,
    /// `api.jp.moveworks.com`, Japan production.
    Japan,
    /// `api.am-eu-central.moveworks.ai`.
    AmEuCentral,
    /// `api.am-ca-central.moveworks.ai`.
    AmCaCentral,
    /// `api.am-ap-southeast.moveworks.ai`.
    AmApSoutheast,
    /// `api.moveworksgov.ai`, for government.
    Gov,
}

impl Host {
    /// Every host, the default first.
    pub const ALL: [Host; 10] = [
        Host::Us,
        Host::UsProd3,
        Host::UsProd4,
        Host::Eu,
        Host::Uk,
        Host::Japan,
        Host::AmEuCentral,
        Host::AmCaCentral,
        Host::AmApSoutheast,
        Host::Gov,
    ];

    /// The host name: `api.moveworks.ai`.
    pub fn domain(self) -> &'static str {
        HOST_NAMES[self as usize].1
    }

    /// Its short name in settings: `us`, `us-prod3`, `us-prod4`, `eu`,
    /// `uk`, `jp`, `am-eu-central`, `am-ca-central`, `am-ap-southeast`,
    /// `gov`.
    pub fn name(self) -> &'static str {
        HOST_NAMES[self as usize].0
    }

    /// The API's base URL on this host under `path`:
    /// `https://api.moveworks.ai/rest/v1`.
    pub fn base_url(self, path: BasePath) -> String {
        path.at(&format!("https://{}", self.domain()))
    }

    /// The OAuth 2.0 token endpoint on this host:
    /// `https://api.moveworks.ai/oauth/v1/token`.
    pub fn token_url(self) -> String {
        format!("https://{}{TOKEN_PATH}", self.domain())
    }

    /// The named host a URL is on, if it is on one.
    fn of_url(url: &str) -> Option<Host> {
        let url = Url::parse(url).ok()?;
        let domain = url.host_str()?;
        Host::ALL
            .into_iter()
            .find(|host| host.domain().eq_ignore_ascii_case(domain))
    }
}

/// Each host's short name and host name, in the order of [`Host`]'s
/// variants.
const HOST_NAMES: [(&str, &str); 10] = [
    ("us", "api.moveworks.ai"),
    ("us-prod3", "api.prod3.us.moveworks.com"),
    ("us-prod4", "api.prod4.us.moveworks.com"),
    ("eu", "api.eu.moveworks.ai"),
    ("uk", "api.uk.moveworks.com"),
    ("jp", "api.jp.moveworks.com"),
    ("am-eu-central", "api.am-eu-central.moveworks.ai"),
    ("am-ca-central", "api.am-ca-central.moveworks.ai"),
    ("am-ap-southeast", "api.am-ap-southeast.moveworks.ai"),
    ("gov", "api.moveworksgov.ai"),
];

impl fmt::Display for Host {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Host {
    type Err = ConfigError;

    /// A short name (`us`, `jp`, ...; see [`Host::name`]) or the host name
    /// (`api.jp.moveworks.com`), in any case.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let wanted = text.trim();
        Host::ALL
            .into_iter()
            .find(|host| {
                host.name().eq_ignore_ascii_case(wanted)
                    || host.domain().eq_ignore_ascii_case(wanted)
            })
            .ok_or_else(|| {
                let (known, example) = (names(Host::ALL.map(Host::name)), Host::Us.domain());
                let reason = format!(
                    "`{text}` is not one of {known} (or their host names, such as {example})"
                );
                ConfigError::invalid("host", reason)
            })
    }
}

fn names<const N: usize>(names: [&str; N]) -> String {
    names.map(|name| format!("`{name}`")).join(", ")
}

/// Where a client sends its requests, as configured: a base URL, or a host
/// and base path (each defaulting), but not both.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Location {
    pub(crate) base_url: Option<String>,
    pub(crate) host: Option<Host>,
    pub(crate) base_path: Option<BasePath>,
    pub(crate) token_url: Option<String>,
}

impl Location {
    /// The base URL, unchecked.
    pub(crate) fn base_url(&self) -> Result<String, ConfigError> {
        match (&self.base_url, self.host, self.base_path) {
            (Some(_), Some(_), _) | (Some(_), _, Some(_)) => Err(ConfigError::invalid(
                "base URL",
                "set either a base URL or a host and base path, not both",
            )),
            (Some(url), None, None) => Ok(url.clone()),
            (None, host, path) => Ok(host.unwrap_or_default().base_url(path.unwrap_or_default())),
        }
    }

    /// The token endpoint, unchecked: the one set, else the one of the
    /// named host the base URL is on, else Moveworks' default.
    pub(crate) fn token_url(&self) -> Result<String, ConfigError> {
        let host = match (&self.token_url, self.host) {
            (Some(url), _) => return Ok(url.clone()),
            (None, Some(host)) => host,
            (None, None) => Host::of_url(&self.base_url()?).unwrap_or_default(),
        };
        Ok(host.token_url())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{DEFAULT_BASE_URL, DEFAULT_TOKEN_URL};

    fn location(host: Option<Host>, base_path: Option<BasePath>) -> Location {
        Location {
            host,
            base_path,
            ..Location::default()
        }
    }

    #[test]
    fn every_host_and_base_path_gives_its_base_and_token_url() {
        for host in Host::ALL {
            for path in BasePath::ALL {
                let chosen = location(Some(host), Some(path));
                let base = format!("https://{}{}", host.domain(), path.path());
                let token = format!("https://{}/oauth/v1/token", host.domain());
                assert_eq!(chosen.base_url().unwrap(), base);
                assert_eq!(chosen.token_url().unwrap(), token);
                // The same host given as a base URL reaches the same token endpoint.
                let by_url = Location {
                    base_url: Some(base.clone()),
                    ..Location::default()
                };
                assert_eq!(by_url.token_url().unwrap(), token, "{base}");
                // A token URL set wins.
                let set = Location {
                    token_url: Some("https://auth.example.com/token".into()),
                    ..chosen
                };
                assert_eq!(set.token_url().unwrap(), "https://auth.example.com/token");
            }
            assert_eq!(
                location(Some(host), None).base_url().unwrap(),
                format!("https://{}/rest/v1", host.domain())
            );
        }
    }

    #[test]
    fn the_default_is_rest_v1_on_the_us_host() {
        let default = Location::default();
        assert_eq!(default.base_url().unwrap(), DEFAULT_BASE_URL);
        assert_eq!(DEFAULT_BASE_URL, "https://api.moveworks.ai/rest/v1");
        assert_eq!(default.token_url().unwrap(), DEFAULT_TOKEN_URL);
        assert_eq!(
            location(None, Some(BasePath::RestV1Beta1))
                .base_url()
                .unwrap(),
            "https://api.moveworks.ai/rest/v1beta1"
        );
        // A base URL on no named host keeps the default token endpoint.
        let other = Location {
            base_url: Some("http://127.0.0.1:8080/rest/v1".into()),
            ..Location::default()
        };
        assert_eq!(other.token_url().unwrap(), DEFAULT_TOKEN_URL);
    }

    #[test]
    fn a_base_url_with_a_host_or_base_path_is_refused() {
        for (host, path) in [
            (Some(Host::Uk), None),
            (None, Some(BasePath::AssistantV1)),
            (Some(Host::Uk), Some(BasePath::RestV1)),
        ] {
            let both = Location {
                base_url: Some("https://api.moveworks.ai/rest/v1".into()),
                ..location(host, path)
            };
            let error = both.base_url().unwrap_err();
            assert_eq!(error.setting(), "base URL", "{error}");
        }
    }

    #[test]
    fn names_and_host_names_parse_back() {
        // `HOST_NAMES` is indexed by variant: `ALL` lists them in order.
        for (index, host) in Host::ALL.into_iter().enumerate() {
            assert_eq!(host as usize, index);
        }
        assert_eq!(
            (Host::Japan.name(), Host::Gov.domain()),
            ("jp", "api.moveworksgov.ai")
        );
        for host in Host::ALL {
            assert_eq!(host.name().parse::<Host>().unwrap(), host);
            assert_eq!(host.domain().parse::<Host>().unwrap(), host);
            assert_eq!(host.name().to_uppercase().parse::<Host>().unwrap(), host);
            assert_eq!(host.to_string(), host.name());
        }
        for path in BasePath::ALL {
            assert_eq!(path.name().parse::<BasePath>().unwrap(), path);
            assert_eq!(path.path().parse::<BasePath>().unwrap(), path);
            assert_eq!(path.to_string(), path.name());
            assert_eq!(
                path.at("http://127.0.0.1:1/"),
                format!("http://127.0.0.1:1{}", path.path())
            );
        }
        let error = "mars".parse::<Host>().unwrap_err().to_string();
        assert!(
            error.starts_with("invalid host: `mars` is not one of `us`, `us-prod3`"),
            "{error}"
        );
        let error = "v2".parse::<BasePath>().unwrap_err().to_string();
        assert_eq!(
            error,
            "invalid base path: `v2` is not one of `rest/v1`, `assistant/v1`, `rest/v1beta1`"
        );
        assert!(!BasePath::RestV1.is_deprecated());
        assert!(BasePath::AssistantV1.is_deprecated() && BasePath::RestV1Beta1.is_deprecated());
    }
}
