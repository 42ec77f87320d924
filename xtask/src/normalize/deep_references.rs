//! typify reads only references to whole component schemas
//! (`#/components/schemas/NAME`). Specs bundled from several files point
//! anywhere instead: into a property of another component
//! (`#/components/schemas/A/properties/id`), or into an operation
//! (`#/paths/~1companies~1%7BcompanyId%7D/...`, percent-encoded as the URI
//! fragment it is). Each such target is copied into `components/schemas`
//! once, under a name made from its pointer, and every schema reference to
//! it is pointed there. The target itself becomes a reference to the copy:
//! left inline, typify would name it after its place too
//! (`ApiKeyDetails/properties/name` is `ApiKeyDetailsName` either way) and
//! define the type twice.

use std::collections::BTreeMap;

use serde_json::Value;

use super::error_responses::{free_name, insert_schema, pascal_case};
use super::{NormalizeError, Report};
use crate::document::{METHODS, for_each_schema};
use crate::json_pointer::{fragment_pointer, schema_name, schema_ref};

/// Rounds of hoisting: a hoisted copy can hold deep references of its own
/// that were not rewritten in place (those inside a target no schema walk
/// reaches). Real specs need one or two.
const MAX_ROUNDS: usize = 8;

pub fn hoist(document: &mut Value, report: &mut Report) -> Result<(), NormalizeError> {
    // Target pointer -> component name, shared across rounds.
    let mut names: BTreeMap<String, String> = BTreeMap::new();
    for _ in 0..MAX_ROUNDS {
        let mut found: Vec<(String, String)> = Vec::new();
        let snapshot = document.clone();
        for_each_schema(document, &mut |schema, pointer| {
            let Some(Value::String(reference)) = schema.get("$ref") else {
                return;
            };
            if schema_name(reference).is_some() {
                return;
            }
            let Some(target) = fragment_pointer(reference) else {
                return;
            };
            if snapshot.pointer(&target).is_none() {
                // `references` already reported dangling references.
                return;
            }
            let name = match names.get(&target) {
                Some(name) => name.clone(),
                None => {
                    let name = fresh_name(&snapshot, &names, &target);
                    names.insert(target.clone(), name.clone());
                    found.push((target.clone(), name.clone()));
                    name
                }
            };
            schema.insert("$ref".to_owned(), Value::String(schema_ref(&name)));
            report.note(pointer, format!("reference into `{target}` -> `{name}`"));
        });
        if found.is_empty() {
            return Ok(());
        }
        // Deepest first, so a target inside another is a reference by the
        // time the outer one is copied.
        found.sort_by_key(|(target, _)| std::cmp::Reverse(target.matches('/').count()));
        for (target, name) in found {
            // Read after rewriting, so the copy carries the rewritten refs.
            let Some(place) = document.pointer_mut(&target) else {
                continue;
            };
            let reference = serde_json::json!({"$ref": schema_ref(&name)});
            let schema = std::mem::replace(place, reference);
            insert_schema(document, &name, schema);
        }
    }
    Err(NormalizeError::new(
        "",
        format!("references into schemas still nest after {MAX_ROUNDS} rounds of hoisting"),
    ))
}

/// Structural tokens that say nothing about what the target is.
const NOISE: [&str; 9] = [
    "paths",
    "components",
    "schemas",
    "properties",
    "content",
    "schema",
    "requestBody",
    "responses",
    "items",
];

/// A PascalCase name from the last meaningful tokens of `target`, unused by
/// other components and other hoisted targets.
fn fresh_name(document: &Value, taken: &BTreeMap<String, String>, target: &str) -> String {
    let tokens: Vec<String> = target
        .split('/')
        .map(crate::json_pointer::unescape)
        .filter(|t| {
            !t.is_empty()
                && !NOISE.contains(&t.as_str())
                && !METHODS.contains(&t.as_str())
                && !t.contains('/')
                && !t.chars().all(|c| c.is_ascii_digit())
                && !["allOf", "anyOf", "oneOf", "definitions", "$defs"].contains(&t.as_str())
        })
        .collect();
    let start = tokens.len().saturating_sub(2);
    let mut base = pascal_case(&tokens[start..].join("-"));
    if base.is_empty() || !base.starts_with(|c: char| c.is_ascii_alphabetic()) {
        base = format!("Schema{base}");
    }
    let mut name = free_name(document, &base, &Value::Null);
    let mut n = 2;
    while taken.values().any(|t| *t == name) {
        name = free_name(document, &format!("{base}{n}"), &Value::Null);
        n += 1;
    }
    name
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn hoists_percent_encoded_references_into_operations() {
        let mut doc = json!({
            "paths": {"/companies/{companyId}": {"post": {"requestBody": {"content": {
                "application/json": {"schema": {"properties": {"companyId": {"type": "string", "format": "uuid"}}}}
            }}}}},
            "components": {"schemas": {
                "Company": {"properties": {
                    "id": {"$ref": "#/paths/~1companies~1%7BcompanyId%7D/post/requestBody/content/application~1json/schema/properties/companyId"},
                    "name": {"$ref": "#/components/schemas/Details/properties/name"}
                }},
                "Other": {"properties": {
                    "id": {"$ref": "#/paths/~1companies~1%7BcompanyId%7D/post/requestBody/content/application~1json/schema/properties/companyId"}
                }},
                "Details": {"properties": {"name": {"type": "string"}}}
            }}
        });
        let mut report = Report::default();
        hoist(&mut doc, &mut report).unwrap();
        let schemas = &doc["components"]["schemas"];
        assert_eq!(
            schemas["Company"]["properties"]["id"],
            json!({"$ref": "#/components/schemas/CompanyId"})
        );
        assert_eq!(
            schemas["Other"]["properties"]["id"], schemas["Company"]["properties"]["id"],
            "one target, one component"
        );
        assert_eq!(
            schemas["CompanyId"],
            json!({"type": "string", "format": "uuid"})
        );
        assert_eq!(
            schemas["Company"]["properties"]["name"],
            json!({"$ref": "#/components/schemas/DetailsName"})
        );
        assert_eq!(schemas["DetailsName"], json!({"type": "string"}));
        assert_eq!(
            schemas["Details"]["properties"]["name"],
            json!({"$ref": "#/components/schemas/DetailsName"}),
            "the target is a reference to its copy, not a second type"
        );
        let body =
            "/paths/~1companies~1{companyId}/post/requestBody/content/application~1json/schema";
        assert_eq!(
            doc.pointer(&format!("{body}/properties/companyId")),
            Some(&json!({"$ref": "#/components/schemas/CompanyId"}))
        );
        assert_eq!(report.entries.len(), 3);
    }

    #[test]
    fn self_references_inside_a_target_terminate() {
        let mut doc = json!({"components": {"schemas": {
            "Tree": {"properties": {"node": {"properties": {
                "children": {"items": {"$ref": "#/components/schemas/Tree/properties/node"}}
            }}}}
        }}});
        hoist(&mut doc, &mut Report::default()).unwrap();
        let schemas = &doc["components"]["schemas"];
        assert_eq!(
            schemas["TreeNode"]["properties"]["children"]["items"],
            json!({"$ref": "#/components/schemas/TreeNode"})
        );
        assert_eq!(
            schemas["Tree"]["properties"]["node"],
            json!({"$ref": "#/components/schemas/TreeNode"})
        );
    }

    #[test]
    fn names_of_hoisted_targets_are_distinct_identifiers() {
        let target = |schema: &str| json!({"$ref": format!("#/components/schemas/{schema}/properties/x/properties/id")});
        let mut doc = json!({"components": {"schemas": {
            "A": {"properties": {"x": {"properties": {"id": {"type": "string"}}}}},
            "B": {"properties": {"x": {"properties": {"id": {"type": "integer"}}}}},
            "C": {"properties": {"x": {"properties": {"id": {"type": "boolean"}}}}},
            "1a": {"properties": {"2b": {"type": "number"}}},
            "Uses": {"properties": {
                "a": target("A"), "b": target("B"), "c": target("C"),
                "d": {"$ref": "#/components/schemas/1a/properties/2b"}
            }}
        }}});
        hoist(&mut doc, &mut Report::default()).unwrap();
        let uses = &doc["components"]["schemas"]["Uses"]["properties"];
        let names: Vec<_> = ["a", "b", "c", "d"]
            .iter()
            .map(|p| {
                uses[p]["$ref"]
                    .as_str()
                    .unwrap()
                    .rsplit('/')
                    .next()
                    .unwrap()
            })
            .collect();
        assert_eq!(names, ["XId", "XId2", "XId3", "Schema1a2b"]);
    }

    #[test]
    fn a_target_inside_another_is_copied_once() {
        let mut doc = json!({"components": {"schemas": {
            "A": {"properties": {"outer": {"properties": {"inner": {"type": "string"}}}}},
            "B": {"properties": {
                "o": {"$ref": "#/components/schemas/A/properties/outer"},
                "i": {"$ref": "#/components/schemas/A/properties/outer/properties/inner"}
            }}
        }}});
        hoist(&mut doc, &mut Report::default()).unwrap();
        let schemas = &doc["components"]["schemas"];
        assert_eq!(
            schemas["AOuter"]["properties"]["inner"],
            json!({"$ref": "#/components/schemas/OuterInner"})
        );
        assert_eq!(schemas["OuterInner"], json!({"type": "string"}));
    }
}
