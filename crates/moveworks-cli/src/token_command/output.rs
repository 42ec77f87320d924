//! What a token command prints: a bare bearer, or JSON
//! `{"access_token": "...", "expires_in": SECONDS | "expires_at": RFC 3339}`.
//! It holds a secret, so no message quotes any of it: a mistake is named by
//! its shape alone.

use std::time::{Duration, SystemTime};

use moveworks_ext::auth::AccessToken;
use serde_json::{Map, Value};

/// The token `stdout` holds, or what is wrong with its shape (to follow
/// "the token command ").
pub fn parse(stdout: &[u8]) -> Result<AccessToken, String> {
    let text = std::str::from_utf8(stdout).map_err(|_| "printed something that is not UTF-8")?;
    let text = text.trim();
    if text.is_empty() {
        return Err("printed nothing".into());
    }
    let (token, lifetime) = if text.starts_with('{') {
        json(text)?
    } else if text.contains(['\n', '\r']) {
        return Err(
            "printed more than one line: print the bearer alone on one line, or a JSON object"
                .into(),
        );
    } else {
        (text.to_owned(), None)
    };
    AccessToken::new(token, lifetime)
        .map_err(|_| "printed a token with characters a header cannot carry".into())
}

fn json(text: &str) -> Result<(String, Option<Duration>), String> {
    let object: Map<String, Value> = serde_json::from_str(text).map_err(|error| {
        // Where, never what: serde's message may quote the text.
        format!(
            "printed JSON that is not an object it can read (at line {}, column {})",
            error.line(),
            error.column()
        )
    })?;
    let field = |name: &str| object.get(name).filter(|value| !value.is_null());
    let token = match field("access_token") {
        Some(Value::String(token)) if !token.trim().is_empty() => token.clone(),
        Some(Value::String(_)) => return Err("printed an empty access_token".into()),
        Some(_) => return Err("printed an access_token that is not a string".into()),
        None => return Err("printed JSON without an access_token".into()),
    };
    let lifetime = match (field("expires_in"), field("expires_at")) {
        (Some(_), Some(_)) => {
            return Err("printed both expires_in and expires_at: give one lifetime".into());
        }
        (Some(seconds), None) => Some(
            seconds
                .as_f64()
                .filter(|s| *s >= 0.0)
                .and_then(|s| Duration::try_from_secs_f64(s).ok())
                .ok_or("printed an expires_in that is not a number of seconds")?,
        ),
        (None, Some(at)) => Some(until(at)?),
        (None, None) => None,
    };
    Ok((token, lifetime))
}

/// How long until `at`, an RFC 3339 time.
fn until(at: &Value) -> Result<Duration, String> {
    let at = at
        .as_str()
        .and_then(|at| chrono::DateTime::parse_from_rfc3339(at).ok())
        .ok_or("printed an expires_at that is not an RFC 3339 time")?;
    SystemTime::from(at)
        .duration_since(SystemTime::now())
        .map_err(|_| "printed an expires_at that has passed".into())
}

#[cfg(test)]
mod tests {
    use std::time::Instant;

    use super::*;

    const SECRET: &str = "s3cr3t-b34r3r";
    const SECOND: Duration = Duration::from_secs(1);

    fn error(stdout: &str) -> String {
        let message = parse(stdout.as_bytes()).unwrap_err();
        assert!(!message.contains("s3cr3t"), "{message}");
        message
    }

    /// The token's lifetime from now, to the second.
    fn lifetime(token: &AccessToken) -> Option<u64> {
        token
            .expires_at()
            .map(|at| (at - Instant::now()).as_secs_f64().round() as u64)
    }

    #[test]
    fn a_bare_token_is_one_line_trimmed() {
        let token = parse(format!("  {SECRET}\n").as_bytes()).unwrap();
        assert_eq!(token.secret(), SECRET);
        assert_eq!(token.expires_at(), None);
        assert_eq!(
            error(&format!("{SECRET}\n{SECRET}\n")),
            "printed more than one line: print the bearer alone on one line, or a JSON object"
        );
        assert_eq!(
            error(&format!("{SECRET}\u{7}")),
            "printed a token with characters a header cannot carry"
        );
    }

    #[test]
    fn json_gives_the_token_and_its_lifetime() {
        let token = parse(
            format!(r#"{{"access_token": "{SECRET}", "expires_in": 900, "token_type": "Bearer"}}"#)
                .as_bytes(),
        )
        .unwrap();
        assert_eq!(token.secret(), SECRET);
        assert_eq!(lifetime(&token), Some(900));

        let at = chrono::DateTime::<chrono::Utc>::from(SystemTime::now() + 1800 * SECOND);
        let token = parse(
            format!(
                r#"{{"access_token": "{SECRET}", "expires_at": "{}"}}"#,
                at.to_rfc3339()
            )
            .as_bytes(),
        )
        .unwrap();
        assert_eq!(lifetime(&token), Some(1800));

        // No lifetime, or a null one: the cache's default applies.
        let token =
            parse(format!(r#"{{"access_token": "{SECRET}", "expires_in": null}}"#).as_bytes())
                .unwrap();
        assert_eq!(token.expires_at(), None);
    }

    #[test]
    fn a_malformed_shape_is_named_without_quoting_it() {
        let cases = [
            (String::new(), "printed nothing"),
            (" \n\t".into(), "printed nothing"),
            (
                format!(r#"{{"access_token": "{SECRET}""#),
                "printed JSON that is not an object it can read (at line 1, column 32)",
            ),
            (
                format!(r#"{{"token": "{SECRET}"}}"#),
                "printed JSON without an access_token",
            ),
            (
                r#"{"access_token": " "}"#.into(),
                "printed an empty access_token",
            ),
            (
                r#"{"access_token": 42}"#.into(),
                "printed an access_token that is not a string",
            ),
            (
                format!(
                    r#"{{"access_token": "{SECRET}", "expires_in": 60, "expires_at": "2030-01-01T00:00:00Z"}}"#
                ),
                "printed both expires_in and expires_at: give one lifetime",
            ),
            (
                format!(r#"{{"access_token": "{SECRET}", "expires_in": "{SECRET}"}}"#),
                "printed an expires_in that is not a number of seconds",
            ),
            (
                format!(r#"{{"access_token": "{SECRET}", "expires_in": -1}}"#),
                "printed an expires_in that is not a number of seconds",
            ),
            (
                format!(r#"{{"access_token": "{SECRET}", "expires_at": "{SECRET}"}}"#),
                "printed an expires_at that is not an RFC 3339 time",
            ),
            (
                format!(r#"{{"access_token": "{SECRET}", "expires_at": "2001-01-01T00:00:00Z"}}"#),
                "printed an expires_at that has passed",
            ),
        ];
        for (stdout, expected) in cases {
            assert_eq!(error(&stdout), expected, "{stdout}");
        }
        assert_eq!(
            parse(&[0xff, 0xfe]).unwrap_err(),
            "printed something that is not UTF-8"
        );
    }
}
