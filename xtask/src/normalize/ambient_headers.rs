//! The `Authorization` and `Assistant-Name` header parameters are set once,
//! by the `moveworks-ext` layer (or by the `reqwest::Client` a user hands to
//! the generated client), not passed to every call. They are removed from
//! operations and path items, whether written inline or as a `$ref`.

use serde_json::Value;

use super::{AMBIENT_HEADERS, NormalizeError, Report};
use crate::document::{deref, parameter_lists_mut};

pub fn strip(document: &mut Value, report: &mut Report) -> Result<(), NormalizeError> {
    let snapshot = document.clone();
    for (pointer, params) in parameter_lists_mut(document) {
        let before = params.len();
        params.retain(|param| !is_ambient(&snapshot, param));
        let removed = before - params.len();
        if removed > 0 {
            report.note(
                pointer,
                format!("removed {removed} ambient header parameter(s)"),
            );
        }
    }
    Ok(())
}

/// Whether `param` (or what it refers to) is one of [`AMBIENT_HEADERS`].
pub(super) fn is_ambient(document: &Value, param: &Value) -> bool {
    let param = deref(document, param).unwrap_or(param);
    param.get("in").and_then(Value::as_str) == Some("header")
        && param
            .get("name")
            .and_then(Value::as_str)
            .is_some_and(|name| AMBIENT_HEADERS.iter().any(|h| h.eq_ignore_ascii_case(name)))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn removes_auth_headers_inline_and_by_reference() {
        let mut doc = json!({
            "paths": {"/x/{id}": {
                "parameters": [{"$ref": "#/components/parameters/Assistant"}],
                "post": {"parameters": [
                    {"name": "id", "in": "path", "required": true},
                    {"name": "authorization", "in": "header", "required": true},
                    {"name": "Authorization", "in": "query"},
                    {"name": "Accept", "in": "header"}
                ]}
            }},
            "components": {"parameters": {"Assistant": {"name": "Assistant-Name", "in": "header"}}}
        });
        let mut report = Report::default();
        strip(&mut doc, &mut report).unwrap();
        assert_eq!(doc["paths"]["/x/{id}"]["parameters"], json!([]));
        assert_eq!(
            doc["paths"]["/x/{id}"]["post"]["parameters"],
            json!([
                {"name": "id", "in": "path", "required": true},
                {"name": "Authorization", "in": "query"},
                {"name": "Accept", "in": "header"}
            ])
        );
        assert_eq!(report.entries.len(), 2);
    }
}
