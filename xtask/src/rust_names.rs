//! The Rust names progenitor and typify give the spec's names: the
//! normalization must foresee them (two operations whose ids give the same
//! method name clash) and the generator must find the items by them.

use heck::{ToPascalCase, ToSnakeCase};

/// The Rust name progenitor gives an operation's method.
pub fn method_name(operation_id: &str) -> String {
    sanitize(operation_id, |text| text.to_snake_case(), "x")
}

/// The type name typify gives a component schema.
pub fn type_name(schema_name: &str) -> String {
    sanitize(schema_name, |text| text.to_pascal_case(), "X")
}

/// progenitor's and typify's `sanitize`: quotes dropped, other characters
/// that cannot be in an identifier turned into word breaks, `case`
/// applied, and `prefix` put before a name that would start with a digit.
fn sanitize(name: &str, case: fn(&str) -> String, prefix: &str) -> String {
    let cleaned: String = name
        .chars()
        .filter(|c| *c != '\'')
        .map(|c| {
            if c.is_alphanumeric() || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    let name = case(&cleaned);
    match name.chars().next() {
        Some(c) if c.is_alphabetic() || c == '_' => name,
        _ => format!("{prefix}{name}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_progenitor_and_typify() {
        assert_eq!(method_name("submit-feedback"), "submit_feedback");
        assert_eq!(method_name("listConversations"), "list_conversations");
        assert_eq!(method_name("create-o-auth-token"), "create_o_auth_token");
        // heck does not split a digit from the capital after it.
        assert_eq!(type_name("400ErrorResponse"), "X400errorResponse");
        assert_eq!(
            type_name("SubmitFeedbackResponseStatus"),
            "SubmitFeedbackResponseStatus"
        );
    }
}
