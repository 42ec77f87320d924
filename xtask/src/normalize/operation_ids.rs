//! progenitor names each generated method after the operation's
//! `operationId`, requires one on every operation and refuses duplicates.
//! Missing ids are derived from the method and path; ids that would give two
//! methods the same Rust name get a numeric suffix. Both are reported.

use std::collections::HashSet;

use serde_json::Value;

use super::walk::operations_mut;
use super::{NormalizeError, Report};

pub fn ensure_unique_ids(document: &mut Value, report: &mut Report) -> Result<(), NormalizeError> {
    let mut taken = HashSet::new();
    for op in operations_mut(document) {
        let (id, generated) = match op.operation.get("operationId") {
            Some(Value::String(id)) if !rust_name(id).is_empty() => (id.clone(), false),
            _ => (format!("{} {}", op.method, op.path), true),
        };
        let mut unique = id.clone();
        let mut n = 2;
        while !taken.insert(rust_name(&unique)) {
            unique = format!("{id}-{n}");
            n += 1;
        }
        if generated || unique != id {
            let why = if generated {
                "missing or empty"
            } else {
                "clashes with an earlier operation"
            };
            report.warn(
                format!("{}/operationId", op.pointer),
                format!("operationId {why}; using `{unique}`"),
            );
            op.operation
                .insert("operationId".to_owned(), Value::String(unique));
        }
    }
    Ok(())
}

/// The identifier a method gets: words of letters and digits, snake-cased.
fn rust_name(id: &str) -> String {
    let mut out = String::new();
    let mut previous_lower = false;
    for c in id.chars() {
        if c.is_ascii_alphanumeric() {
            if c.is_ascii_uppercase() && previous_lower {
                out.push('_');
            }
            previous_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
            out.push(c.to_ascii_lowercase());
        } else {
            if !out.is_empty() && !out.ends_with('_') {
                out.push('_');
            }
            previous_lower = false;
        }
    }
    out.trim_end_matches('_').to_owned()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn fills_in_missing_and_renames_clashing_ids() {
        let mut doc = json!({"paths": {
            "/a/{id}": {"get": {"operationId": "getThing"}, "post": {}},
            "/b": {"get": {"operationId": "get-thing"}, "put": {"operationId": "   "}}
        }});
        let mut report = Report::default();
        ensure_unique_ids(&mut doc, &mut report).unwrap();
        assert_eq!(doc["paths"]["/a/{id}"]["get"]["operationId"], "getThing");
        assert_eq!(
            doc["paths"]["/a/{id}"]["post"]["operationId"],
            "post /a/{id}"
        );
        assert_eq!(doc["paths"]["/b"]["get"]["operationId"], "get-thing-2");
        assert_eq!(doc["paths"]["/b"]["put"]["operationId"], "put /b");
        assert_eq!(report.warnings().count(), 3);
    }

    #[test]
    fn rust_names_follow_snake_case() {
        assert_eq!(rust_name("submit-feedback"), "submit_feedback");
        assert_eq!(rust_name("getThing"), "get_thing");
        assert_eq!(rust_name("post /a/{id}"), "post_a_id");
    }
}
