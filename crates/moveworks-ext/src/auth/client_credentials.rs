//! The OAuth 2.0 client-credentials grant against the Moveworks token
//! endpoint (`POST https://api.moveworks.ai/oauth/v1/token`).
//!
//! The request is the standard form (`client_id`, `client_secret`,
//! `grant_type=client_credentials`); the answer
//! `{"access_token", "expires_in", "token_type"}` is accepted flat, as the
//! Moveworks docs show it, or wrapped in `{"data": {...}}`, as the Events
//! API spec describes it. The client secret goes to the token endpoint and
//! nowhere else, and never into a message.

use std::fmt;
use std::time::Duration;

use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use tracing::Instrument;

use super::access_token::AccessToken;
use super::auth_error::{AuthError, AuthErrorKind};
use super::token_cache::TokenSource;
use super::token_error_body;
use super::token_provider::BoxFuture;
use crate::config::{ConfigError, secure_url};

/// Token endpoint answers larger than this are refused.
const MAX_TOKEN_RESPONSE_BYTES: usize = 64 * 1024;

/// A [`TokenSource`] for the OAuth 2.0 client-credentials grant.
pub struct ClientCredentials {
    http: reqwest::Client,
    token_url: String,
    client_id: String,
    client_secret: SecretString,
    timeout: Duration,
}

impl ClientCredentials {
    /// Credentials for `token_url`, fetched with `http`. `token_url` must be
    /// https (or http to a loopback address).
    pub fn new(
        http: reqwest::Client,
        token_url: &str,
        client_id: impl Into<String>,
        client_secret: impl Into<String>,
    ) -> Result<Self, ConfigError> {
        let token_url = secure_url("token URL", token_url)?;
        let client_id: String = client_id.into();
        let client_secret: String = client_secret.into();
        if client_id.trim().is_empty() {
            return Err(ConfigError::missing("client id"));
        }
        if client_secret.trim().is_empty() {
            return Err(ConfigError::missing("client secret"));
        }
        Ok(Self {
            http,
            token_url,
            client_id,
            client_secret: SecretString::from(client_secret),
            timeout: Duration::from_secs(30),
        })
    }

    /// Time limit of one token request (default 30 s).
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    async fn request(&self) -> Result<AccessToken, AuthError> {
        let form = [
            ("grant_type", "client_credentials"),
            ("client_id", self.client_id.as_str()),
            ("client_secret", self.client_secret.expose_secret()),
        ];
        let response = self
            .http
            .post(&self.token_url)
            .header(reqwest::header::ACCEPT, "application/json")
            .form(&form)
            .timeout(self.timeout)
            .send()
            .await
            .map_err(|e| unreachable("token endpoint unreachable", e))?;
        let status = response.status();
        let body = read_limited(response).await?;
        if !status.is_success() {
            let reason = token_error_body::reason(&body);
            return Err(AuthError::new(
                AuthErrorKind::Rejected,
                format!("token request refused: {reason}"),
            )
            .with_status(status));
        }
        parse_token(&body)
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

impl TokenSource for ClientCredentials {
    fn fetch(&self) -> BoxFuture<'_, Result<AccessToken, AuthError>> {
        // Instrumented, not entered: a guard held across an await would
        // leave the span entered on whatever the thread runs meanwhile.
        let span = tracing::debug_span!("moveworks.token", endpoint = %self.token_url);
        Box::pin(self.request().instrument(span))
    }
}

impl fmt::Debug for ClientCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientCredentials")
            .field("token_url", &self.token_url)
            .field("client_id", &self.client_id)
            .field("client_secret", &"[redacted]")
            .finish()
    }
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

    #[test]
    fn debug_hides_the_secret() {
        let source = ClientCredentials::new(
            reqwest::Client::new(),
            "https://api.moveworks.ai/oauth/v1/token",
            "id",
            "sup3r-s3cret",
        )
        .unwrap();
        assert!(!format!("{source:?}").contains("sup3r"));
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
