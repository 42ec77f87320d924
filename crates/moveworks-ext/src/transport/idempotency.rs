//! Which operations may be sent twice.

/// The `POST` operations that may be sent twice: submitting the same rating
/// with the same callback id again records nothing new. Every other `POST`
/// creates something (a conversation, a response) and a second request
/// would create a second one.
const RETRY_SAFE_POSTS: [&str; 1] = ["submit-feedback"];

/// Whether sending `operation` twice has the effect of sending it once.
/// A `POST` that an API regeneration adds is taken as not idempotent until
/// it is listed here: a retry that is not made costs less than a duplicate.
pub(crate) fn is_idempotent(operation: &moveworks_api::Operation) -> bool {
    operation.method != "POST" || RETRY_SAFE_POSTS.contains(&operation.id)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn operation(id: &str) -> &'static moveworks_api::Operation {
        moveworks_api::Operation::by_id(id).unwrap()
    }

    #[test]
    fn only_creating_posts_are_not_idempotent() {
        for id in [
            "create-conversation",
            "create-response",
            "create-response-stream",
        ] {
            assert!(!is_idempotent(operation(id)), "{id}");
        }
        for id in [
            "list-conversations",
            "get-response",
            "update-conversation",
            "submit-feedback",
        ] {
            assert!(is_idempotent(operation(id)), "{id}");
        }
    }
}
