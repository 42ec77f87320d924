//! The checks every call makes on its arguments before anything is sent.
//!
//! Ids: the generated client percent-encodes path parameters, but the URL parser
//! still resolves `.` and `..`, and an empty id leaves an empty segment: a
//! request for message `..` would go to another endpoint. Such ids, and ids
//! with a `/`, are refused here with a typed error before anything is sent.
//! (The generated client also refuses any request whose path no longer
//! matches its template; this check names the argument.)

use crate::error::Error;

/// Refuses ids that cannot be a single path segment: empty, `.`, `..`, or
/// holding a `/`. `field` names the argument in the error.
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

/// Refuses question text the assistant cannot answer (empty or only
/// whitespace), as every call that sends text does.
pub fn check_text(text: &str) -> Result<(), Error> {
    check_not_blank("text", text)
}

/// Refuses a value that is empty or only whitespace; `field` names the
/// argument in the error.
pub(crate) fn check_not_blank(field: &'static str, value: &str) -> Result<(), Error> {
    if value.trim().is_empty() {
        return Err(Error::invalid_input(
            field,
            "it is empty or only whitespace",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused_field(result: Result<(), Error>) -> Option<&'static str> {
        match result {
            Err(error) => error.field(),
            _ => None,
        }
    }

    #[test]
    fn blank_text_is_refused() {
        for blank in ["", " ", "\n\t "] {
            assert_eq!(refused_field(check_text(blank)), Some("text"));
        }
        check_text(" a ").unwrap();
    }

    #[test]
    fn refuses_path_changing_ids_only() {
        for bad in ["", ".", "..", "a/b", "/", "../x"] {
            assert_eq!(
                refused_field(check_id("message_id", bad)),
                Some("message_id"),
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
