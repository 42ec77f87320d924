//! Which operations may be sent twice.
//!
//! By default an operation's method says: `GET`, `HEAD`, `OPTIONS`, `PUT`
//! and `DELETE` are idempotent, `POST` and `PATCH` are not. The spec's
//! operations whose effect says otherwise are listed in [`KNOWN`], each
//! with its reason. An operation a regeneration adds follows its method
//! until it is listed: a retry that is not made costs less than a
//! duplicate. A call can say otherwise with
//! [`CallOptions::idempotent`](crate::CallOptions::idempotent).

use moveworks_api::Operation;

/// Operations whose idempotency is not their method's default, or whose
/// default was decided on purpose: `(operationId, idempotent, why)`.
const KNOWN: [(&str, bool, &str); 2] = [
    (
        "update-conversation",
        true,
        "a PATCH that sets the title and the archived flag to the values sent: \
         sending it again leaves the conversation as the first request did",
    ),
    (
        "submit-feedback",
        false,
        "a POST, and the spec does not say that submitting the same callback id \
         again is ignored: a second request could record the rating and its \
         comment twice, so it is retried only where it surely was not processed",
    ),
];

/// Whether sending `operation` twice has the effect of sending it once.
pub(crate) fn is_idempotent(operation: &Operation) -> bool {
    match KNOWN.iter().find(|(id, ..)| *id == operation.id) {
        Some((_, idempotent, _)) => *idempotent,
        None => matches!(
            operation.method,
            "GET" | "HEAD" | "OPTIONS" | "PUT" | "DELETE"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn operation(id: &str) -> &'static Operation {
        Operation::by_id(id).unwrap()
    }

    #[test]
    fn creating_posts_and_feedback_are_not_idempotent() {
        for id in [
            "create-conversation",
            "create-response",
            "create-response-stream",
            "submit-feedback",
        ] {
            assert!(!is_idempotent(operation(id)), "{id}");
        }
        for id in [
            "list-conversations",
            "get-conversation",
            "get-response",
            "update-conversation",
            "list-events",
        ] {
            assert!(is_idempotent(operation(id)), "{id}");
        }
    }

    #[test]
    fn unlisted_operations_follow_their_method() {
        let with = |method: &'static str| Operation {
            id: "added-later",
            method,
            ..*operation("get-response")
        };
        for method in ["GET", "HEAD", "OPTIONS", "PUT", "DELETE"] {
            assert!(is_idempotent(&with(method)), "{method}");
        }
        for method in ["POST", "PATCH"] {
            assert!(!is_idempotent(&with(method)), "{method}");
        }
    }

    #[test]
    fn every_listed_operation_exists_and_says_why() {
        for (id, _, why) in KNOWN {
            assert!(Operation::by_id(id).is_some(), "{id} is not in the spec");
            assert!(why.len() > 40, "{id}: say why");
        }
    }
}
