//! Reading the code and message out of an error body, whatever its shape:
//! the Moveworks API's `{"error": {"code", "message"}}`, the OAuth 2.0 form
//! of token endpoints (RFC 6749, section 5.2: `{"error": "invalid_grant",
//! "error_description": "..."}`), a bare `{"code", "message"}`, or anything
//! else (none). Only those fields are read: the rest of a body may echo
//! what was sent. One parser for the API's answers and the token
//! endpoints'; it lives in the lowest layer that reads them.

use serde_json::Value;

/// What an error body says about the error.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct ErrorBody {
    /// `error.code`, `code`, or the OAuth `error`.
    pub(crate) code: Option<String>,
    /// `error.message`, `message`, or the OAuth `error_description`.
    pub(crate) message: Option<String>,
}

/// Parses raw bytes; `None` when they are not a JSON object with a code or
/// a message.
pub(crate) fn parse(body: &[u8]) -> Option<ErrorBody> {
    let value: Value = serde_json::from_slice(body).ok()?;
    let object = value.as_object()?;
    let text = |value: Option<&Value>| match value {
        Some(Value::String(s)) => Some(s.clone()),
        // Some gateways send a numeric code: kept as its digits.
        Some(other @ Value::Number(_)) => Some(other.to_string()),
        _ => None,
    };
    let body = match object.get("error") {
        Some(Value::Object(inner)) => ErrorBody {
            code: text(inner.get("code")),
            message: text(inner.get("message")),
        },
        Some(oauth @ Value::String(_)) => ErrorBody {
            code: text(Some(oauth)),
            message: text(object.get("error_description")),
        },
        _ => ErrorBody {
            code: text(object.get("code")),
            message: text(object.get("message")),
        },
    };
    (body.code.is_some() || body.message.is_some()).then_some(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_wrapped_and_bare_bodies() {
        let wrapped = parse(br#"{"error": {"code": "NOT_FOUND", "message": "gone"}}"#).unwrap();
        assert_eq!(
            wrapped,
            ErrorBody {
                code: Some("NOT_FOUND".into()),
                message: Some("gone".into())
            }
        );
        let bare = parse(br#"{"code": "invalid_client", "message": "bad"}"#).unwrap();
        assert_eq!(bare.code.as_deref(), Some("invalid_client"));
        // Some gateways send a numeric code: kept as its digits.
        let numeric = parse(br#"{"error": {"code": 429, "message": "slow"}}"#).unwrap();
        assert_eq!(numeric.code.as_deref(), Some("429"));
        let other = parse(br#"{"code": true, "message": "odd"}"#).unwrap();
        assert_eq!(other.code, None);
        assert_eq!(other.message.as_deref(), Some("odd"));
    }

    #[test]
    fn reads_the_oauth_form() {
        let oauth = parse(br#"{"error": "invalid_client", "error_description": "Unknown client"}"#)
            .unwrap();
        assert_eq!(oauth.code.as_deref(), Some("invalid_client"));
        assert_eq!(oauth.message.as_deref(), Some("Unknown client"));
        let bare = parse(br#"{"error": "invalid_grant"}"#).unwrap();
        assert_eq!(bare.code.as_deref(), Some("invalid_grant"));
        assert_eq!(bare.message, None);
        assert_eq!(parse(br#"{"error": 5}"#), None);
    }

    #[test]
    fn anything_else_has_no_details() {
        for body in [
            &b"<html>502</html>"[..],
            b"",
            b"{\"error\": {\"code\": ",
            b"[]",
            b"{}",
            b"\xff\xfe",
        ] {
            assert_eq!(parse(body), None);
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(512))]

        /// Arbitrary bytes never panic the error-body reader.
        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..4096)) {
            let _ = parse(&bytes);
        }

        /// JSON-shaped input with arbitrary values never panics either, and a
        /// string `code` always comes back verbatim.
        #[test]
        fn json_shaped_bodies_keep_their_code(code in ".*", message in proptest::prelude::any::<Option<String>>()) {
            let body = serde_json::json!({"error": {"code": code, "message": message}});
            let parsed = parse(body.to_string().as_bytes()).expect("an object with a code");
            proptest::prop_assert_eq!(parsed.code.as_deref(), Some(code.as_str()));
        }
    }
}
