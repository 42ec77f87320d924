//! The `Authorization` and `Assistant-Name` header parameters are set once,
//! by the `moveworks-ext` layer (or by the `reqwest::Client` a user hands to
//! the generated client), not passed to every call. They are removed from
//! operations and path items, whether written inline or as a `$ref`.

use serde_json::Value;

use super::{AMBIENT_HEADERS, NormalizeError, Report};
use crate::document::{METHODS, deref};
use crate::json_pointer::join;

pub fn strip(document: &mut Value, report: &mut Report) -> Result<(), NormalizeError> {
    let snapshot = document.clone();
    let is_ambient = |param: &Value| {
        let param = deref(&snapshot, param).unwrap_or(param);
        param.get("in").and_then(Value::as_str) == Some("header")
            && param
                .get("name")
                .and_then(Value::as_str)
                .is_some_and(|name| AMBIENT_HEADERS.iter().any(|h| h.eq_ignore_ascii_case(name)))
    };
    let Some(paths) = document.get_mut("paths").and_then(Value::as_object_mut) else {
        return Ok(());
    };
    for (path, item) in paths.iter_mut() {
        let Some(item) = item.as_object_mut() else {
            continue;
        };
        let item_pointer = join("/paths", path);
        for (key, value) in item.iter_mut() {
            let (params, pointer) = if key == "parameters" {
                (Some(value), join(&item_pointer, key))
            } else if METHODS.contains(&key.as_str()) {
                (
                    value.get_mut("parameters"),
                    join(&join(&item_pointer, key), "parameters"),
                )
            } else {
                continue;
            };
            let Some(Value::Array(params)) = params else {
                continue;
            };
            let before = params.len();
            params.retain(|p| !is_ambient(p));
            let removed = before - params.len();
            if removed > 0 {
                report.note(
                    pointer,
                    format!("removed {removed} ambient header parameter(s)"),
                );
            }
        }
    }
    Ok(())
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
