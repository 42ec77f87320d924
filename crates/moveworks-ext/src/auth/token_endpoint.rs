//! An OAuth 2.0 token endpoint: a form posted, a bearer token back.
//!
//! Every grant the SDK speaks (client credentials, and with the
//! `token-exchange` feature RFC 8693 token exchange and the RFC 7523 JWT
//! bearer grant) is one form to one endpoint. The answer
//! `{"access_token", "expires_in", "token_type"}` is accepted flat, as the
//! Moveworks docs show it, or wrapped in `{"data": {...}}`, as the Events
//! API spec describes it; a refusal keeps its OAuth `error` and
//! `error_description`. Nothing sent or received is ever quoted in an
//! error: the form holds secrets, the answer a token.

use std::fmt;
use std::time::Duration;

use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;

use super::access_token::AccessToken;
use super::auth_error::{AuthError, AuthErrorKind};
use super::error_body;
use crate::config::{ConfigError, secure_url};

/// Token endpoint answers larger than this are refused.
const MAX_TOKEN_RESPONSE_BYTES: usize = 64 * 1024;

/// Where tokens come from, and how long one request may take.
#[derive(Clone)]
pub(crate) struct TokenEndpoint {
    http: reqwest::Client,
    url: String,
    timeout: Duration,
}

/// How the client authenticates to the token endpoint.
pub(crate) enum ClientAuth<'a> {
    /// Not at all (the grant itself proves who asks).
    #[cfg_attr(not(feature = "token-exchange"), allow(dead_code))]
    None,
    /// `client_id` and `client_secret` in the form (`client_secret_post`).
    Form(&'a str, &'a SecretString),
    /// HTTP Basic (`client_secret_basic`, RFC 6749, section 2.3.1).
    #[cfg_attr(not(feature = "token-exchange"), allow(dead_code))]
    Basic(&'a str, &'a SecretString),
}

impl TokenEndpoint {
    /// `url` must be https (or http to a loopback address).
    pub(crate) fn new(http: reqwest::Client, url: &str) -> Result<Self, ConfigError> {
        Ok(Self {
            http,
            url: secure_url("token URL", url)?,
            timeout: Duration::from_secs(30),
        })
    }

    pub(crate) fn url(&self) -> &str {
        &self.url
    }

    #[cfg(feature = "token-exchange")]
    pub(crate) fn timeout(&self) -> Duration {
        self.timeout
    }

    pub(crate) fn set_timeout(&mut self, timeout: Duration) {
        self.timeout = timeout;
    }

    /// Posts `form` (with the client's credentials, if any) and reads the
    /// token out of the answer.
    pub(crate) async fn request(
        &self,
        form: &[(&str, &str)],
        auth: ClientAuth<'_>,
    ) -> Result<AccessToken, AuthError> {
        let mut form: Vec<(&str, &str)> = form.to_vec();
        let mut request = self
            .http
            .post(&self.url)
            .header(reqwest::header::ACCEPT, "application/json")
            .timeout(self.timeout);
        match auth {
            ClientAuth::None => {}
            ClientAuth::Form(id, secret) => {
                form.push(("client_id", id));
                form.push(("client_secret", secret.expose_secret()));
            }
            ClientAuth::Basic(id, secret) => {
                request = request.basic_auth(id, Some(secret.expose_secret()));
            }
        }
        let response = request
            .form(&form)
            .send()
            .await
            .map_err(|e| unreachable("token endpoint unreachable", e))?;
        let status = response.status();
        let body = read_limited(response).await?;
        if status.is_success() {
            return parse_token(&body);
        }
        let details = error_body::parse(&body).unwrap_or_default();
        let reason = details
            .message
            .as_deref()
            .or(details.code.as_deref())
            .unwrap_or("no error details");
        let mut error = AuthError::new(
            AuthErrorKind::Rejected,
            format!("token request refused: {reason}"),
        )
        .with_status(status);
        if let Some(code) = details.code {
            error = error.with_oauth(code, details.message);
        }
        Err(error)
    }
}

impl fmt::Debug for TokenEndpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenEndpoint")
            .field("url", &self.url)
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

async fn read_limited(mut response: reqwest::Response) -> Result<Vec<u8>, AuthError> {
    let mut body = Vec::new();
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|e| unreachable("token response interrupted", e))?
    {
        if body.len() + chunk.len() > MAX_TOKEN_RESPONSE_BYTES {
            return Err(AuthError::new(
                AuthErrorKind::InvalidResponse,
                "token response is too large",
            ));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// A failure to reach the token endpoint or to read its answer: a
/// timeout is told apart from the rest.
fn unreachable(what: &str, error: reqwest::Error) -> AuthError {
    let kind = if error.is_timeout() {
        AuthErrorKind::TimedOut
    } else {
        AuthErrorKind::Unreachable
    };
    AuthError::new(kind, format!("{what}: {}", error.without_url()))
}

#[derive(Deserialize)]
struct TokenFields {
    access_token: String,
    expires_in: Option<serde_json::Value>,
    token_type: Option<String>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum TokenAnswer {
    Wrapped { data: TokenFields },
    Flat(TokenFields),
}

/// Parses a token endpoint answer. Error messages describe the shape only:
/// serde's own messages can quote values, and a value here may be the token.
pub(crate) fn parse_token(body: &[u8]) -> Result<AccessToken, AuthError> {
    let invalid = |what: &str| {
        AuthError::new(
            AuthErrorKind::InvalidResponse,
            format!("token response {what}"),
        )
    };
    let answer: TokenAnswer = serde_json::from_slice(body)
        .map_err(|_| invalid("is not a JSON object with an `access_token` string"))?;
    let fields = match answer {
        TokenAnswer::Wrapped { data } | TokenAnswer::Flat(data) => data,
    };
    if let Some(kind) = &fields.token_type
        && !kind.eq_ignore_ascii_case("bearer")
    {
        return Err(invalid("has a token type other than Bearer"));
    }
    let lifetime = match fields.expires_in {
        None | Some(serde_json::Value::Null) => None,
        Some(serde_json::Value::Number(n)) => Some(
            n.as_f64()
                .filter(|s| s.is_finite() && *s >= 0.0)
                .and_then(|s| Duration::try_from_secs_f64(s).ok())
                .ok_or_else(|| invalid("has an invalid `expires_in`"))?,
        ),
        Some(serde_json::Value::String(s)) => Some(Duration::from_secs(
            s.trim()
                .parse()
                .map_err(|_| invalid("has an invalid `expires_in`"))?,
        )),
        Some(_) => return Err(invalid("has an invalid `expires_in`")),
    };
    AccessToken::new(fields.access_token, lifetime)
        .map_err(|_| invalid("holds an empty or malformed token"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_flat_and_wrapped_answers() {
        let flat =
            parse_token(br#"{"access_token": "abc", "expires_in": 3600, "token_type": "Bearer"}"#)
                .unwrap();
        assert_eq!(flat.secret(), "abc");
        assert!(flat.expires_at().is_some());
        let wrapped = parse_token(
            br#"{"data": {"access_token": "def", "expires_in": "60", "token_type": "bearer"}}"#,
        )
        .unwrap();
        assert_eq!(wrapped.secret(), "def");
        assert!(
            parse_token(br#"{"access_token": "ghi"}"#)
                .unwrap()
                .expires_at()
                .is_none()
        );
    }

    #[test]
    fn a_lifetime_too_long_to_represent_is_a_token_not_a_panic() {
        // Found by arbitrary_token_fields_never_panic: 1.76e19 s fits a
        // Duration but not an Instant after now.
        for expires in ["1.7586817716104425e19", "9.3e18"] {
            let body = format!(r#"{{"access_token": "abc", "expires_in": {expires}}}"#);
            let token = parse_token(body.as_bytes()).unwrap();
            assert!(!token.is_expired());
            assert!(token.expires_at().is_some());
        }
    }

    #[test]
    fn refuses_other_answers_without_quoting_them() {
        for body in [
            &br#"{"access_token": 5}"#[..],
            br#"{"data": "SECRET-TOKEN"}"#,
            br#"{"access_token": "SECRET-TOKEN", "token_type": "mac"}"#,
            br#"{"access_token": "SECRET-TOKEN", "expires_in": -1}"#,
            br#"{"access_token": "SECRET\r\nTOKEN"}"#,
            b"<html>",
            b"",
        ] {
            let err = parse_token(body).unwrap_err();
            assert_eq!(err.kind(), AuthErrorKind::InvalidResponse);
            assert!(!err.to_string().contains("SECRET"), "{err}");
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(512))]

        /// Token endpoint answers of arbitrary bytes never panic, and an
        /// error never quotes the answer (which may hold a token).
        #[test]
        fn arbitrary_token_answers_never_panic_or_leak(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..2048)) {
            if let Err(error) = parse_token(&bytes) {
                let text = error.to_string();
                proptest::prop_assert!(text.len() < 200);
            }
        }

        /// Structured answers with arbitrary field values never panic.
        #[test]
        fn arbitrary_token_fields_never_panic(
            token in ".*",
            secret in "[A-Z0-9]{12,32}",
            expires in proptest::prelude::any::<Option<f64>>(),
            kind in proptest::prelude::any::<Option<String>>(),
            wrapped in proptest::prelude::any::<bool>(),
        ) {
            let fields = serde_json::json!({"access_token": format!("{token}{secret}"), "expires_in": expires, "token_type": kind});
            let body = if wrapped { serde_json::json!({"data": fields}) } else { fields };
            if let Err(error) = parse_token(body.to_string().as_bytes()) {
                proptest::prop_assert!(!error.to_string().contains(&secret));
            }
        }
    }
}
