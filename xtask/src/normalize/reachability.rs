//! Which component schemas the operations actually use. Passes that replace
//! schemas (error unification) remove the ones only they made unused, so
//! the generated crate carries no dead types; schemas the published spec
//! already left unused are kept.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::document::references;
use crate::json_pointer::schema_name;

/// Names of component schemas reachable from anything outside
/// `components/schemas` (operations, shared responses, parameters, ...).
pub fn used_schemas(document: &Value) -> BTreeSet<String> {
    let mut roots = Vec::new();
    if let Some(root) = document.as_object() {
        for (key, value) in root {
            if key == "components" {
                for (kind, entries) in value.as_object().into_iter().flatten() {
                    if kind != "schemas" {
                        collect_refs(entries, &mut roots);
                    }
                }
            } else {
                collect_refs(value, &mut roots);
            }
        }
    }
    let mut used = BTreeSet::new();
    while let Some(name) = roots.pop() {
        if used.insert(name.clone())
            && let Some(schema) = document
                .pointer("/components/schemas")
                .and_then(|s| s.get(&name))
        {
            collect_refs(schema, &mut roots);
        }
    }
    used
}

fn collect_refs(node: &Value, out: &mut Vec<String>) {
    out.extend(
        references(node)
            .into_iter()
            .filter_map(|(_, reference)| schema_name(reference)),
    );
}

/// Removes the schemas that were used in `before` and are unused now;
/// returns their names.
pub fn prune_newly_unused(document: &mut Value, before: &BTreeSet<String>) -> Vec<String> {
    let after = used_schemas(document);
    let gone: Vec<String> = before.difference(&after).cloned().collect();
    if let Some(Value::Object(schemas)) = document.pointer_mut("/components/schemas") {
        for name in &gone {
            schemas.shift_remove(name);
        }
    }
    gone
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn follows_references_transitively_and_prunes_only_what_became_unused() {
        let mut doc = json!({
            "paths": {"/a": {"get": {"responses": {"400": {"$ref": "#/components/responses/Bad"}}}}},
            "components": {
                "responses": {"Bad": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Old"}}}}},
                "schemas": {
                    "Old": {"properties": {"inner": {"$ref": "#/components/schemas/OldInner"}}},
                    "OldInner": {},
                    "New": {},
                    "NeverUsed": {}
                }
            }
        });
        let before = used_schemas(&doc);
        assert_eq!(before.iter().collect::<Vec<_>>(), ["Old", "OldInner"]);
        doc["components"]["responses"]["Bad"]["content"]["application/json"]["schema"] =
            json!({"$ref": "#/components/schemas/New"});
        assert_eq!(prune_newly_unused(&mut doc, &before), ["Old", "OldInner"]);
        let left: Vec<_> = doc["components"]["schemas"]
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect();
        assert_eq!(left, ["New", "NeverUsed"]);
    }
}
