//! Reading `code` and `message` out of an error body, whatever its shape:
//! the API's `{"error": {"code", "message"}}`, a bare `{"code", "message"}`
//! (the token endpoint, the Events API), or anything else (none).

use serde_json::Value;

/// What an error body says about the error.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct ErrorBody {
    pub(crate) code: Option<String>,
    pub(crate) message: Option<String>,
}

/// Parses raw bytes; `None` when they are not a JSON object.
pub(crate) fn parse(body: &[u8]) -> Option<ErrorBody> {
    let value: Value = serde_json::from_slice(body).ok()?;
    from_value(&value)
}

/// Reads an already-decoded body.
pub(crate) fn from_value(value: &Value) -> Option<ErrorBody> {
    let object = value.as_object()?;
    let inner = match object.get("error") {
        Some(Value::Object(inner)) => inner,
        _ => object,
    };
    let text = |key: &str| match inner.get(key) {
        Some(Value::String(s)) => Some(s.clone()),
        Some(other @ Value::Number(_)) => Some(other.to_string()),
        _ => None,
    };
    let body = ErrorBody {
        code: text("code"),
        message: text("message"),
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
