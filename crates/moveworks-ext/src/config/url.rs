//! URLs a token is sent to: https, or http to this machine only.

use std::net::IpAddr;

use reqwest::Url;

use super::config_error::ConfigError;

/// Checks a URL a token will be sent to, and returns it without a trailing
/// slash (the generated client appends paths starting with `/`). Refused:
/// unparsable URLs, user info, fragments, queries, schemes other than
/// https, and http to anything but a loopback address.
pub(crate) fn secure_url(setting: &'static str, text: &str) -> Result<String, ConfigError> {
    let invalid = |reason: &str| ConfigError::invalid(setting, reason);
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
        "http" => return Err(ConfigError::insecure_url(setting, url.to_string())),
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
            Err(ref error) if error.to_string().contains("tokens are only sent over https")
        ));
        assert!(matches!(
            secure_url("base URL", "http://10.0.0.1"),
            Err(ref error) if error.to_string().contains("tokens are only sent over https")
        ));
        for bad in [
            "https://user:pw@api.moveworks.ai",
            "https://api.moveworks.ai/#x",
            "https://a/?q=1",
            "ftp://a",
            "nope",
        ] {
            let err = secure_url("base URL", bad).unwrap_err();
            assert!(
                !err.is_missing() && err.setting() == "base URL",
                "{bad}: {err}"
            );
            assert!(
                !err.to_string().contains("pw@"),
                "user info never echoed: {err}"
            );
        }
    }
}
