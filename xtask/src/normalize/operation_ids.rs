//! progenitor names each generated method after the operation's
//! `operationId`, requires one on every operation and refuses duplicates.
//! Missing ids are derived from the method and path; ids that would give two
//! methods the same Rust name get a numeric suffix. Both are reported.

use std::collections::HashSet;

use serde_json::Value;

use super::{NormalizeError, Report};
use crate::document::operations_mut;
use crate::rust_names::method_name;

pub fn ensure_unique_ids(document: &mut Value, report: &mut Report) -> Result<(), NormalizeError> {
    let mut taken = HashSet::new();
    for op in operations_mut(document) {
        let (id, generated) = match op.operation.get("operationId") {
            Some(Value::String(id)) if id.chars().any(char::is_alphanumeric) => (id.clone(), false),
            _ => (format!("{} {}", op.method, op.path), true),
        };
        let mut unique = id.clone();
        let mut n = 2;
        while !taken.insert(method_name(&unique)) {
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
    fn ids_clash_when_progenitor_gives_them_one_method_name() {
        // `getHTTPStatus` and `get-http-status` are both `get_http_status`.
        let mut doc = json!({"paths": {
            "/a": {"get": {"operationId": "getHTTPStatus"}},
            "/b": {"get": {"operationId": "get-http-status"}}
        }});
        ensure_unique_ids(&mut doc, &mut Report::default()).unwrap();
        assert_eq!(
            doc["paths"]["/b"]["get"]["operationId"],
            "get-http-status-2"
        );
    }
}
