//! 3.1 spells "may be null" as a type list (`type: [string, "null"]`) or a
//! `{type: "null"}` branch of `anyOf`/`oneOf`; 3.0 spells it `nullable: true`.
//! A type list of several non-null types becomes an `anyOf` with one branch
//! per type, each carrying the keywords that apply to that type.

use serde_json::{Map, Value, json};

use super::{NormalizeError, Report};
use crate::document::for_each_schema;

pub fn to_nullable(document: &mut Value, report: &mut Report) -> Result<(), NormalizeError> {
    for_each_schema(document, &mut |schema, pointer| {
        if type_list(schema) | null_type(schema) | null_branches(schema) {
            report.note(pointer, "null type -> nullable");
        }
    });
    Ok(())
}

/// `type: [T, ..., "null"]`.
fn type_list(schema: &mut Map<String, Value>) -> bool {
    let Some(Value::Array(types)) = schema.get("type") else {
        return false;
    };
    let mut types: Vec<String> = types
        .iter()
        .filter_map(Value::as_str)
        .map(str::to_owned)
        .collect();
    let had_null = types.iter().any(|t| t == "null");
    types.retain(|t| t != "null");
    schema.shift_remove("type");
    if had_null {
        schema.insert("nullable".to_owned(), Value::Bool(true));
    }
    match types.as_slice() {
        [] => {}
        [only] => {
            schema.insert("type".to_owned(), Value::String(only.clone()));
        }
        several => {
            let branches: Vec<Value> = several
                .iter()
                .map(|t| Value::Object(branch_for(schema, t)))
                .collect();
            for branch in &branches {
                for key in branch.as_object().into_iter().flat_map(Map::keys) {
                    schema.shift_remove(key);
                }
            }
            add_any_of(schema, branches);
        }
    }
    true
}

/// `type: "null"` on its own: the value is always null.
fn null_type(schema: &mut Map<String, Value>) -> bool {
    if schema.get("type").and_then(Value::as_str) != Some("null") {
        return false;
    }
    schema.shift_remove("type");
    schema.insert("nullable".to_owned(), Value::Bool(true));
    schema.insert("enum".to_owned(), json!([null]));
    true
}

/// `anyOf`/`oneOf` with `{type: "null"}` branches: drop them and mark the
/// schema nullable. A single remaining branch is moved under `allOf`, which
/// progenitor turns into `Option<Branch>`.
fn null_branches(schema: &mut Map<String, Value>) -> bool {
    let mut changed = false;
    for keyword in ["anyOf", "oneOf"] {
        let Some(Value::Array(branches)) = schema.get_mut(keyword) else {
            continue;
        };
        let before = branches.len();
        branches.retain(|b| !is_null_schema(b));
        if branches.len() == before {
            continue;
        }
        changed = true;
        schema.insert("nullable".to_owned(), Value::Bool(true));
        let Some(Value::Array(branches)) = schema.shift_remove(keyword) else {
            continue;
        };
        match <[Value; 1]>::try_from(branches) {
            Ok([only]) => add_all_of(schema, only),
            Err(rest) if rest.is_empty() => {
                schema.insert("enum".to_owned(), json!([null]));
            }
            Err(rest) => {
                schema.insert(keyword.to_owned(), Value::Array(rest));
            }
        }
    }
    changed
}

fn is_null_schema(schema: &Value) -> bool {
    match schema.get("type") {
        Some(Value::String(t)) => t == "null",
        Some(Value::Array(types)) => types.iter().all(|t| t == "null"),
        _ => false,
    }
}

/// Keywords that only constrain values of one JSON type.
fn keywords_of(json_type: &str) -> &'static [&'static str] {
    match json_type {
        "string" => &["minLength", "maxLength", "pattern", "format"],
        "number" | "integer" => &[
            "minimum",
            "maximum",
            "exclusiveMinimum",
            "exclusiveMaximum",
            "multipleOf",
            "format",
        ],
        "array" => &[
            "items",
            "minItems",
            "maxItems",
            "uniqueItems",
            "prefixItems",
            "contains",
        ],
        "object" => &[
            "properties",
            "required",
            "additionalProperties",
            "minProperties",
            "maxProperties",
            "patternProperties",
            "propertyNames",
        ],
        _ => &[],
    }
}

fn branch_for(schema: &Map<String, Value>, json_type: &str) -> Map<String, Value> {
    let mut branch = Map::new();
    branch.insert("type".to_owned(), Value::String(json_type.to_owned()));
    for key in keywords_of(json_type) {
        if let Some(value) = schema.get(*key) {
            branch.insert((*key).to_owned(), value.clone());
        }
    }
    branch
}

fn add_any_of(schema: &mut Map<String, Value>, branches: Vec<Value>) {
    if schema.contains_key("anyOf") {
        add_all_of(schema, json!({ "anyOf": branches }));
    } else {
        schema.insert("anyOf".to_owned(), Value::Array(branches));
    }
}

fn add_all_of(schema: &mut Map<String, Value>, item: Value) {
    match schema.get_mut("allOf") {
        Some(Value::Array(all)) => all.push(item),
        _ => {
            schema.insert("allOf".to_owned(), json!([item]));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn normalized(schema: Value) -> Value {
        crate::normalize::on_one_schema(to_nullable, schema).0
    }

    #[test]
    fn type_with_null_becomes_nullable() {
        assert_eq!(
            normalized(json!({"type": ["string", "null"], "description": "d"})),
            json!({"description": "d", "nullable": true, "type": "string"})
        );
        assert_eq!(
            normalized(json!({"type": ["integer"]})),
            json!({"type": "integer"})
        );
    }

    #[test]
    fn several_types_become_any_of_with_their_keywords() {
        assert_eq!(
            normalized(
                json!({"type": ["string", "array", "null"], "maxLength": 3, "items": {}, "description": "d"})
            ),
            json!({
                "description": "d",
                "nullable": true,
                "anyOf": [{"type": "string", "maxLength": 3}, {"type": "array", "items": {}}]
            })
        );
    }

    #[test]
    fn null_branches_become_nullable() {
        assert_eq!(
            normalized(json!({"anyOf": [{"$ref": "#/components/schemas/A"}, {"type": "null"}]})),
            json!({"nullable": true, "allOf": [{"$ref": "#/components/schemas/A"}]})
        );
        assert_eq!(
            normalized(
                json!({"oneOf": [{"type": "string"}, {"type": "integer"}, {"type": "null"}]})
            ),
            json!({"nullable": true, "oneOf": [{"type": "string"}, {"type": "integer"}]})
        );
        assert_eq!(
            normalized(json!({"type": "null"})),
            json!({"nullable": true, "enum": [null]})
        );
    }

    #[test]
    fn nested_schemas_are_rewritten_and_others_left_alone() {
        let untouched = json!({"type": "object", "properties": {"type": {"type": "string"}}});
        assert_eq!(normalized(untouched.clone()), untouched);
        assert_eq!(
            normalized(json!({"properties": {"a": {"type": ["boolean", "null"]}}})),
            json!({"properties": {"a": {"type": "boolean", "nullable": true}}})
        );
    }
}
