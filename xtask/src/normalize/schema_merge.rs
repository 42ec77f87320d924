//! Structural merge of several schemas into one that accepts every value any
//! of them accepts: the tool behind unifying an operation's error bodies.
//!
//! Objects merge property by property (a property is required only if every
//! input requires it); string enums merge into the union of their values; a
//! `oneOf`/`anyOf` of objects merges its branches. Anything else merges only
//! with an identical schema. Titles are dropped (they would name types after
//! one input), and a description survives only if every input agrees.

use serde_json::{Map, Value, json};

use crate::document::deref;

/// Merges `schemas` (which may be `$ref`s into `document`). `None` when the
/// inputs have incompatible shapes.
pub fn merge(document: &Value, schemas: &[Value]) -> Option<Value> {
    let mut resolved = Vec::new();
    for schema in schemas {
        flatten(document, schema, &mut resolved, 0)?;
    }
    merge_resolved(document, &resolved)
}

/// Resolves references and one-element `allOf` wrappers, and splits
/// `oneOf`/`anyOf` into their branches.
fn flatten(document: &Value, schema: &Value, out: &mut Vec<Value>, depth: usize) -> Option<()> {
    // A reference cycle among error bodies has no finite merge.
    if depth > 32 {
        return None;
    }
    let schema = deref(document, schema)?;
    let map = schema.as_object()?;
    if let Some(Value::Array(all)) = map.get("allOf") {
        if let [only] = all.as_slice() {
            let mut inner = Vec::new();
            flatten(document, only, &mut inner, depth + 1)?;
            for mut schema in inner {
                // Siblings of the wrapper (its description) describe the use.
                if let (Some(target), Some(description)) =
                    (schema.as_object_mut(), map.get("description"))
                {
                    target.insert("description".to_owned(), description.clone());
                }
                out.push(schema);
            }
            return Some(());
        }
        return None;
    }
    for keyword in ["oneOf", "anyOf"] {
        if let Some(Value::Array(branches)) = map.get(keyword) {
            for branch in branches {
                flatten(document, branch, out, depth + 1)?;
            }
            return Some(());
        }
    }
    out.push(schema.clone());
    Some(())
}

fn merge_resolved(document: &Value, schemas: &[Value]) -> Option<Value> {
    let first = schemas.first()?;
    let kind = kind_of(first)?;
    if schemas.iter().any(|s| kind_of(s) != Some(kind)) {
        return None;
    }
    let mut merged = match kind {
        Kind::Object => merge_objects(document, schemas)?,
        Kind::String => merge_strings(schemas),
        Kind::Other => {
            let stripped: Vec<_> = schemas.iter().map(without_docs).collect();
            if stripped.iter().any(|s| *s != stripped[0]) {
                return None;
            }
            stripped[0].clone()
        }
    };
    if let Some(description) = common_description(schemas) {
        merged
            .as_object_mut()?
            .insert("description".to_owned(), description);
    }
    Some(merged)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Object,
    String,
    Other,
}

fn kind_of(schema: &Value) -> Option<Kind> {
    let map = schema.as_object()?;
    match map.get("type").and_then(Value::as_str) {
        Some("object") => Some(Kind::Object),
        None if map.contains_key("properties") => Some(Kind::Object),
        Some("string") => Some(Kind::String),
        _ => Some(Kind::Other),
    }
}

fn merge_objects(document: &Value, schemas: &[Value]) -> Option<Value> {
    let mut names: Vec<String> = Vec::new();
    for schema in schemas {
        for name in schema
            .get("properties")
            .and_then(Value::as_object)
            .into_iter()
            .flat_map(Map::keys)
        {
            if !names.contains(name) {
                names.push(name.clone());
            }
        }
    }
    let mut properties = Map::new();
    for name in &names {
        let inputs: Vec<Value> = schemas
            .iter()
            .filter_map(|s| s.get("properties")?.get(name).cloned())
            .collect();
        properties.insert(name.clone(), merge(document, &inputs)?);
    }
    let required: Vec<&String> = names
        .iter()
        .filter(|name| {
            schemas
                .iter()
                .all(|s| required_of(s).any(|r| r == name.as_str()))
        })
        .collect();
    let mut merged = json!({"type": "object", "properties": properties});
    if !required.is_empty() {
        merged["required"] = json!(required);
    }
    Some(merged)
}

fn required_of(schema: &Value) -> impl Iterator<Item = &str> {
    schema
        .get("required")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
}

fn merge_strings(schemas: &[Value]) -> Value {
    let mut merged = json!({"type": "string"});
    // Only a value list every input has stays a closed set.
    if schemas.iter().all(|s| s.get("enum").is_some()) {
        let mut values: Vec<Value> = Vec::new();
        for value in schemas
            .iter()
            .filter_map(|s| s.get("enum")?.as_array())
            .flatten()
        {
            if !values.contains(value) {
                values.push(value.clone());
            }
        }
        merged["enum"] = Value::Array(values);
    }
    merged
}

fn without_docs(schema: &Value) -> Value {
    let mut schema = schema.clone();
    if let Some(map) = schema.as_object_mut() {
        for key in ["title", "description", "example", "examples"] {
            map.shift_remove(key);
        }
    }
    schema
}

fn common_description(schemas: &[Value]) -> Option<Value> {
    let first = schemas.first()?.get("description")?;
    schemas
        .iter()
        .all(|s| s.get("description") == Some(first))
        .then(|| first.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn envelope(code: &str) -> Value {
        json!({
            "type": "object",
            "title": format!("{code}Response"),
            "description": format!("{code} error"),
            "properties": {"error": {
                "type": "object",
                "properties": {
                    "code": {"type": "string", "enum": [code]},
                    "message": {"type": "string"}
                },
                "required": ["code", "message"]
            }},
            "required": ["error"]
        })
    }

    #[test]
    fn merges_error_envelopes_into_one_enum_of_codes() {
        let doc = json!({"components": {"schemas": {"NotFound": envelope("NOT_FOUND")}}});
        let merged = merge(
            &doc,
            &[
                envelope("INVALID_REQUEST"),
                json!({"$ref": "#/components/schemas/NotFound"}),
            ],
        )
        .unwrap();
        assert_eq!(
            merged,
            json!({
                "type": "object",
                "properties": {"error": {
                    "type": "object",
                    "properties": {
                        "code": {"type": "string", "enum": ["INVALID_REQUEST", "NOT_FOUND"]},
                        "message": {"type": "string"}
                    },
                    "required": ["code", "message"]
                }},
                "required": ["error"]
            })
        );
    }

    #[test]
    fn optional_when_not_required_everywhere_and_open_when_any_input_is() {
        let merged = merge(
            &json!({}),
            &[
                json!({"properties": {"code": {"type": "string", "enum": ["A"]}}, "required": ["code"]}),
                json!({"oneOf": [
                    {"type": "object", "properties": {"code": {"type": "string"}, "extra": {"type": "integer"}}}
                ]}),
            ],
        )
        .unwrap();
        assert_eq!(
            merged,
            json!({"type": "object", "properties": {"code": {"type": "string"}, "extra": {"type": "integer"}}})
        );
    }

    #[test]
    fn refuses_incompatible_shapes() {
        assert_eq!(
            merge(
                &json!({}),
                &[json!({"type": "object"}), json!({"type": "string"})]
            ),
            None
        );
        assert_eq!(
            merge(
                &json!({}),
                &[json!({"type": "integer"}), json!({"type": "number"})]
            ),
            None
        );
        assert_eq!(merge(&json!({}), &[json!({"$ref": "#/missing"})]), None);
        let same = json!({"type": "array", "items": {"type": "string"}, "title": "x"});
        assert_eq!(
            merge(&json!({}), &[same.clone(), same]),
            Some(json!({"type": "array", "items": {"type": "string"}}))
        );
    }
}
