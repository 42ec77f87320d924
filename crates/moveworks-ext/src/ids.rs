//! Checking resource ids before they become path segments.
//!
//! The generated client percent-encodes path parameters, but the URL parser
//! still resolves `.` and `..`, and an empty id leaves an empty segment: a
//! request for message `..` would go to another endpoint. Such ids, and ids
//! with a `/`, are refused here with a typed error before anything is sent.
//! (The generated client also refuses any request whose path no longer
//! matches its template; this check names the argument.)

use crate::error::Error;

/// Refuses ids that cannot be a single path segment.
pub fn check_id(field: &'static str, id: &str) -> Result<(), Error> {
    let reason = if id.is_empty() {
        "it is empty"
    } else if id == "." || id == ".." {
        "`.` and `..` are not ids (they would change the request path)"
    } else if id.contains('/') {
        "it contains `/`"
    } else {
        return Ok(());
    };
    Err(Error::invalid_input(field, reason))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_path_changing_ids_only() {
        for bad in ["", ".", "..", "a/b", "/", "../x"] {
            assert!(
                matches!(
                    check_id("message_id", bad),
                    Err(Error::InvalidInput {
                        field: "message_id",
                        ..
                    })
                ),
                "{bad:?}"
            );
        }
        for ok in [
            "msg_32bt8vagXAoRwRLIdI2Oj",
            "...",
            ".x",
            "a?b#c",
            "a%2Fb",
            "é",
        ] {
            check_id("message_id", ok).unwrap();
        }
    }
}
