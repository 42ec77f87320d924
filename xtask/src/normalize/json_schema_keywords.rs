//! JSON Schema keywords that 3.1 schemas may use and 3.0 schemas do not have.
//! Annotations are dropped quietly; validation keywords are dropped with a
//! warning, since the generated types then accept more than the spec allows.

use serde_json::Value;

use super::{NormalizeError, Report};
use crate::document::for_each_schema;

/// Keywords that only document; the generated client never used them.
const ANNOTATIONS: [&str; 9] = [
    "$schema",
    "$id",
    "$anchor",
    "$comment",
    "$dynamicAnchor",
    "$vocabulary",
    "contentMediaType",
    "contentEncoding",
    "contentSchema",
];

/// Keywords that constrain values in ways 3.0 cannot express.
const VALIDATION: [&str; 12] = [
    "prefixItems",
    "unevaluatedItems",
    "unevaluatedProperties",
    "dependentRequired",
    "dependentSchemas",
    "if",
    "then",
    "else",
    "propertyNames",
    "contains",
    "minContains",
    "maxContains",
];

pub fn drop_unsupported(document: &mut Value, report: &mut Report) -> Result<(), NormalizeError> {
    for_each_schema(document, &mut |schema, pointer| {
        for key in ANNOTATIONS {
            if schema.shift_remove(key).is_some() {
                report.note(pointer, format!("dropped annotation `{key}`"));
            }
        }
        for key in VALIDATION {
            if schema.shift_remove(key).is_some() {
                report.warn(
                    pointer,
                    format!("dropped `{key}`: OpenAPI 3.0 cannot express it"),
                );
            }
        }
        if let Some(Value::Array(_)) = schema.get("items") {
            // Tuple validation (2019-09 `items: [...]`): the element types
            // differ, so the only honest 3.0 element type is "any".
            schema.insert("items".to_owned(), Value::Object(Default::default()));
            report.warn(pointer, "tuple `items` list replaced by `items: {}`");
        }
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn drops_keywords_3_0_lacks() {
        let mut doc = json!({"components": {"schemas": {"S": {
            "$comment": "c",
            "type": "array",
            "items": [{"type": "string"}],
            "contains": {"type": "string"},
            "properties": {"if": {"type": "string"}}
        }}}});
        let mut report = Report::default();
        drop_unsupported(&mut doc, &mut report).unwrap();
        assert_eq!(
            doc["components"]["schemas"]["S"],
            json!({"type": "array", "items": {}, "properties": {"if": {"type": "string"}}})
        );
        assert_eq!(report.warnings().count(), 2);
    }
}
