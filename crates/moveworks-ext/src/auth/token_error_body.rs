//! What a token endpoint's error answer says, without quoting it whole.
//!
//! Token endpoints answer errors in the OAuth 2.0 form (RFC 6749, section
//! 5.2: `{"error": "invalid_client", "error_description": "..."}`), in the
//! Moveworks form (`{"error": {"code", "message"}}`), or bare
//! (`{"code", "message"}`). Only those fields are read: the rest of a body
//! may echo what was sent.

use serde_json::Value;

/// The reason a token request was refused, for the error message.
pub(crate) fn reason(body: &[u8]) -> String {
    let value: Option<Value> = serde_json::from_slice(body).ok();
    value
        .as_ref()
        .and_then(Value::as_object)
        .and_then(|object| {
            let inner = match object.get("error") {
                Some(Value::Object(inner)) => inner,
                _ => object,
            };
            let text = |key: &str| inner.get(key).and_then(Value::as_str);
            text("error_description")
                .or_else(|| text("message"))
                .or_else(|| text("error"))
                .or_else(|| text("code"))
                .map(str::to_owned)
        })
        .unwrap_or_else(|| "no error details".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_oauth_moveworks_and_bare_forms() {
        assert_eq!(
            reason(br#"{"error": "invalid_client", "error_description": "Unknown client"}"#),
            "Unknown client"
        );
        assert_eq!(reason(br#"{"error": "invalid_grant"}"#), "invalid_grant");
        assert_eq!(
            reason(br#"{"error": {"code": "UNAUTHORIZED", "message": "bad secret"}}"#),
            "bad secret"
        );
        assert_eq!(reason(br#"{"code": "invalid_client"}"#), "invalid_client");
        for other in [&b"<html>"[..], b"", b"[]", b"{}", br#"{"error": 5}"#] {
            assert_eq!(reason(other), "no error details");
        }
    }
}
