//! A component schema that may be null (`nullable: true`, or an enum that
//! lists `null` among its values, `enum: [a, b, null]`) made typify emit a
//! newtype `struct X(Option<X>)` beside the type itself: two items with one
//! name (and, for enums, an open-enum rewrite that could not tell them
//! apart). Nullability is a property of where a schema is used, so it moves
//! there: the component loses it, and every reference to the component is
//! `nullable`, through an `allOf` wrapper. An inline enum listing `null`
//! keeps its string values and becomes `nullable`. A `nullable` member of an
//! `allOf` whose other members are not nullable allows nothing more (a value
//! must satisfy them all), yet made typify wrap the whole merged type the
//! same way; it is dropped.

use std::collections::BTreeSet;

use serde_json::{Map, Value, json};

use super::{NormalizeError, Report};
use crate::document::for_each_schema;
use crate::json_pointer::{join, schema_name};

pub fn move_null_to_uses(document: &mut Value, report: &mut Report) -> Result<(), NormalizeError> {
    let mut nullable_components = BTreeSet::new();
    if let Some(Value::Object(schemas)) = document.pointer_mut("/components/schemas") {
        for (name, schema) in schemas.iter_mut() {
            let Value::Object(schema) = schema else {
                continue;
            };
            if take_null(schema, true) {
                nullable_components.insert(name.clone());
                report.note(
                    join("/components/schemas", name),
                    "nullability moved to the uses",
                );
            }
        }
    }
    // Find the uses first: rewriting while walking would walk into the
    // `allOf` just added and wrap the same reference again.
    let mut uses = Vec::new();
    for_each_schema(document, &mut |schema, pointer| {
        let target = schema
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(schema_name);
        if target.is_some_and(|name| nullable_components.contains(&name)) {
            uses.push(pointer.to_owned());
        } else if !pointer.starts_with("/components/schemas/") || pointer.matches('/').count() > 3 {
            // Inline enums (not a component itself) stay enums, nullable.
            if take_null(schema, false) {
                schema.insert("nullable".to_owned(), Value::Bool(true));
                report.note(pointer, "null moved from the enum to `nullable`");
            }
        }
    });
    for pointer in uses {
        if let Some(Value::Object(site)) = document.pointer_mut(&pointer) {
            let reference = site.shift_remove("$ref").unwrap_or(Value::Null);
            let mut wrapped = Map::new();
            wrapped.insert("allOf".to_owned(), json!([{ "$ref": reference }]));
            wrapped.insert("nullable".to_owned(), Value::Bool(true));
            wrapped.extend(std::mem::take(site));
            *site = wrapped;
            report.note(&pointer, "use of a nullable component marked nullable");
        }
    }
    // After the uses are wrapped: a use that is itself an `allOf` member is
    // one more nullable member, and running this pass again on its own
    // output must find nothing left to drop.
    for_each_schema(document, &mut |schema, pointer| {
        if strip_nullable_all_of_members(schema) {
            report.note(pointer, "`nullable` dropped from `allOf` members");
        }
    });
    Ok(())
}

/// Drops `nullable` from the members of `allOf` unless every member is
/// nullable; returns whether it did.
fn strip_nullable_all_of_members(schema: &mut Map<String, Value>) -> bool {
    let Some(Value::Array(members)) = schema.get_mut("allOf") else {
        return false;
    };
    let nullable = |m: &Value| m.get("nullable") == Some(&Value::Bool(true));
    if members.iter().all(nullable) || !members.iter().any(nullable) {
        return false;
    }
    for member in members.iter_mut() {
        if let Value::Object(member) = member {
            member.shift_remove("nullable");
        }
    }
    true
}

/// Removes `null` from a string enum's values and, for a component,
/// `nullable`; returns whether the schema was nullable.
fn take_null(schema: &mut Map<String, Value>, component: bool) -> bool {
    let mut had_null = false;
    if let Some(Value::Array(values)) = schema.get_mut("enum")
        && values.iter().any(Value::is_string)
    {
        let before = values.len();
        values.retain(|v| !v.is_null());
        had_null = values.len() < before;
    }
    let marked = component && schema.shift_remove("nullable") == Some(Value::Bool(true));
    had_null || marked
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_nullable_component_used_as_an_all_of_member_is_normalized_once() {
        let mut doc = json!({"components": {"schemas": {
            "Usage": {"type": "object", "nullable": true, "properties": {"n": {"type": "integer"}}},
            "Chunk": {"properties": {"usage": {"allOf": [
                {"$ref": "#/components/schemas/Usage"}, {"nullable": true}
            ]}}}
        }}});
        move_null_to_uses(&mut doc, &mut Report::default()).unwrap();
        let usage = doc["components"]["schemas"]["Chunk"]["properties"]["usage"].clone();
        assert_eq!(
            usage,
            json!({"allOf": [
                {"allOf": [{"$ref": "#/components/schemas/Usage"}], "nullable": true},
                {"nullable": true}
            ]})
        );
        let once = doc.clone();
        let mut report = Report::default();
        move_null_to_uses(&mut doc, &mut report).unwrap();
        assert_eq!(doc, once);
        assert!(report.entries.is_empty(), "{:?}", report.entries);
    }

    #[test]
    fn nullability_moves_from_components_to_their_uses() {
        let mut doc = json!({"components": {"schemas": {
            "Level": {"type": "string", "enum": [null, "info", "error"]},
            "Mode": {"type": "string", "enum": ["a"], "nullable": true},
            "Details": {"type": "object", "nullable": true, "properties": {"n": {"type": "string"}}},
            "Holder": {"properties": {"details": {"$ref": "#/components/schemas/Details"}}},
            "Event": {"properties": {
                "level": {"$ref": "#/components/schemas/Level"},
                "modes": {"items": {"$ref": "#/components/schemas/Mode"}},
                "inline": {"type": "string", "enum": ["x", null]}
            }}
        }}});
        let mut report = Report::default();
        move_null_to_uses(&mut doc, &mut report).unwrap();
        let schemas = &doc["components"]["schemas"];
        assert_eq!(
            schemas["Level"],
            json!({"type": "string", "enum": ["info", "error"]})
        );
        assert_eq!(schemas["Mode"], json!({"type": "string", "enum": ["a"]}));
        let properties = &schemas["Event"]["properties"];
        assert_eq!(
            properties["level"],
            json!({"allOf": [{"$ref": "#/components/schemas/Level"}], "nullable": true})
        );
        assert_eq!(
            properties["modes"]["items"],
            json!({"allOf": [{"$ref": "#/components/schemas/Mode"}], "nullable": true})
        );
        assert_eq!(
            properties["inline"],
            json!({"type": "string", "enum": ["x"], "nullable": true})
        );
        assert_eq!(
            schemas["Details"],
            json!({"type": "object", "properties": {"n": {"type": "string"}}})
        );
        assert_eq!(
            schemas["Holder"]["properties"]["details"],
            json!({"allOf": [{"$ref": "#/components/schemas/Details"}], "nullable": true})
        );
        assert_eq!(report.entries.len(), 7);
    }

    #[test]
    fn nullable_all_of_members_beside_non_nullable_ones_lose_it() {
        let mut doc = json!({"components": {"schemas": {
            "Both": {"allOf": [{"properties": {"a": {}}}, {"nullable": true, "properties": {"b": {}}}]},
            "All": {"allOf": [{"nullable": true}, {"nullable": true}]}
        }}});
        move_null_to_uses(&mut doc, &mut Report::default()).unwrap();
        let schemas = &doc["components"]["schemas"];
        assert_eq!(
            schemas["Both"],
            json!({"allOf": [{"properties": {"a": {}}}, {"properties": {"b": {}}}]})
        );
        assert_eq!(
            schemas["All"],
            json!({"allOf": [{"nullable": true}, {"nullable": true}]})
        );
    }

    #[test]
    fn enums_without_null_are_untouched() {
        let original = json!({"components": {"schemas": {
            "Level": {"type": "string", "enum": ["info"]},
            "Use": {"properties": {"l": {"$ref": "#/components/schemas/Level"}}},
            "Nums": {"type": "integer", "enum": [1, null]}
        }}});
        let mut doc = original.clone();
        move_null_to_uses(&mut doc, &mut Report::default()).unwrap();
        assert_eq!(doc, original);
    }
}
