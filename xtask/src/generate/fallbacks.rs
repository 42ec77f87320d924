//! What the generator gives up when progenitor fails on the document: the
//! component schemas typify cannot convert become untyped JSON values (or
//! lose their `default`s), and the operations progenitor cannot generate
//! are left out. Each is found by trial runs of progenitor, given here as a
//! `probe`, on small documents: trying the whole document once per
//! candidate costs a generation of every type each time (minutes on a
//! large spec).

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use crate::document::{self, METHODS, operations_mut, remove_operation};
use crate::json_pointer::{self, schema_name};
use crate::normalize::SkippedOperation;

/// A component schema (or an operation's inline schemas) typify could not
/// convert as published.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UntypedSchema {
    pub pointer: String,
    pub reason: String,
    /// The schema kept its type once its `default`s were dropped; otherwise
    /// it became an untyped JSON value.
    pub kept_type: bool,
}

/// One trial run of progenitor: its error (or panic) message on failure.
pub type Probe<'a> = &'a dyn Fn(&Value) -> Result<(), String>;

/// Finds the component schemas typify cannot convert and replaces each by
/// `{}` (any JSON value), keeping its description; a schema that fails only
/// for its `default`s keeps its type without them.
///
/// The schemas are ordered leaves first and the shortest failing prefix is
/// found by bisection, each trial on a document holding only that prefix
/// (and what it refers to). Its last schema is the culprit: everything it
/// refers to came before it and passed. One culprit costs about
/// log2(schemas) trials.
pub fn untype_failing_schemas(document: &mut Value, probe: Probe<'_>) -> Vec<UntypedSchema> {
    let mut untyped = Vec::new();
    let names: Vec<String> = document
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|schemas| schemas.keys().cloned().collect())
        .unwrap_or_default();
    let order = leaves_first(document, &names);
    untyped.extend(drop_failing_defaults(document, &order, probe));
    let fails =
        |document: &Value, count: usize| probe(&only_schemas(document, &order[..count])).err();
    // Each round removes one culprit; the bound only guards against a
    // failure no schema explains.
    let mut passing = 0;
    for _ in 0..order.len() {
        let Some(reason) = fails(document, order.len()) else {
            break;
        };
        let (failing, reason) =
            shortest_failing_prefix(passing, order.len(), reason, |n| fails(document, n));
        passing = failing - 1;
        let pointer = json_pointer::join("/components/schemas", &order[failing - 1]);
        let Some(schema) = document.pointer_mut(&pointer) else {
            break;
        };
        if schema
            .as_object()
            .is_some_and(|s| s.keys().all(|k| k == "description"))
        {
            // Already untyped and still failing: not a schema's fault.
            break;
        }
        // typify often rejects a schema only for a `default` it cannot
        // express; without its defaults the schema keeps its type.
        let original = std::mem::take(schema);
        let mut without_defaults = original.clone();
        let dropped = drop_defaults(&mut without_defaults);
        *schema = without_defaults;
        if dropped && fails(document, failing).is_none() {
            untyped.push(UntypedSchema {
                pointer,
                reason,
                kept_type: true,
            });
            continue;
        }
        let mut any = Map::new();
        if let Some(description) = original.get("description") {
            any.insert("description".to_owned(), description.clone());
        }
        if let Some(schema) = document.pointer_mut(&pointer) {
            *schema = Value::Object(any);
        }
        untyped.push(UntypedSchema {
            pointer,
            reason,
            kept_type: false,
        });
    }
    untyped
}

/// typify refuses many schemas only for a `default` it cannot check
/// (FastAPI writes them on unions typify makes structs of). When the
/// component schemas all pass once every default is gone, each schema that
/// has one is tried on its own (with what it refers to, their defaults
/// gone): a few small trials where bisection over every schema costs many
/// large ones. Each that fails keeps its type without its defaults.
fn drop_failing_defaults(
    document: &mut Value,
    order: &[String],
    probe: Probe<'_>,
) -> Vec<UntypedSchema> {
    let mut defaultless = only_schemas(document, order);
    if !drop_defaults(&mut defaultless) || probe(&defaultless).is_err() {
        return Vec::new();
    }
    let mut untyped = Vec::new();
    for name in order {
        let pointer = json_pointer::join("/components/schemas", name);
        let Some(schema) = document.pointer(&pointer) else {
            continue;
        };
        let mut with_defaults = schema.clone();
        if !drop_defaults(&mut schema.clone()) {
            continue;
        }
        let mut trial = only_schemas(&defaultless, std::slice::from_ref(name));
        if let Some(slot) = trial.pointer_mut(&pointer) {
            std::mem::swap(slot, &mut with_defaults);
        }
        if let Err(reason) = probe(&trial) {
            if let Some(schema) = document.pointer_mut(&pointer) {
                drop_defaults(schema);
            }
            untyped.push(UntypedSchema {
                pointer,
                reason,
                kept_type: true,
            });
        }
    }
    untyped
}

/// Finds the operations `probe` fails on and removes them from `document`;
/// an operation whose only fault is a `default` typify cannot check is kept
/// without its defaults (recorded in `untyped`).
///
/// The shortest failing prefix of the operations is found by bisection; its
/// last operation is the culprit. With `reduced`, each trial document holds
/// the prefix's operations and only the components they reach, so a trial
/// converts a few schemas instead of all of them.
pub fn skip_failing_operations(
    document: &mut Value,
    probe: Probe<'_>,
    reduced: bool,
    untyped: &mut Vec<UntypedSchema>,
) -> Vec<SkippedOperation> {
    let operations = operation_pointers(document);
    let trial = |document: &Value, count: usize| -> Value {
        if reduced {
            reduced_document(document, &operations[..count])
        } else {
            only_operations(document, &operations[..count])
        }
    };
    let fails = |document: &Value, count: usize| probe(&trial(document, count)).err();
    let mut skipped = Vec::new();
    let mut passing = 0;
    for _ in 0..operations.len() {
        let Some(reason) = fails(document, operations.len()) else {
            break;
        };
        let (failing, reason) =
            shortest_failing_prefix(passing, operations.len(), reason, |n| fails(document, n));
        passing = failing - 1;
        if passing == 0 && fails(document, 0).is_some() {
            // Fails with no operation at all: not an operation's fault.
            break;
        }
        let (pointer, operation_id) = operations[failing - 1].clone();
        if let Some(operation) = document.pointer_mut(&pointer) {
            let original = operation.clone();
            if drop_defaults(operation) && fails(document, failing).is_none() {
                untyped.push(UntypedSchema {
                    pointer,
                    reason,
                    kept_type: true,
                });
                continue;
            }
            if let Some(operation) = document.pointer_mut(&pointer) {
                *operation = original;
            }
        }
        remove_operation(document, &pointer);
        skipped.push(SkippedOperation {
            operation_id,
            pointer,
            reason,
            by: "progenitor",
        });
    }
    skipped
}

/// The length of the shortest failing prefix of a list, and why it fails,
/// given that the first `passing` items pass and all `total` fail (for
/// `reason`). Culprits are found in list order, so the search gallops up
/// from the last one before bisecting: about 2 log2(distance) runs each.
pub fn shortest_failing_prefix(
    mut passing: usize,
    total: usize,
    mut reason: String,
    fails: impl Fn(usize) -> Option<String>,
) -> (usize, String) {
    let mut failing = total;
    let mut step = 1;
    while passing + step < failing {
        match fails(passing + step) {
            Some(why) => {
                failing = passing + step;
                reason = why;
                break;
            }
            None => {
                passing += step;
                step *= 2;
            }
        }
    }
    while failing - passing > 1 {
        let middle = passing + (failing - passing) / 2;
        match fails(middle) {
            Some(why) => {
                failing = middle;
                reason = why;
            }
            None => passing = middle,
        }
    }
    (failing, reason)
}

/// Removes every `default` inside `schema`; returns whether there was one.
fn drop_defaults(schema: &mut Value) -> bool {
    let mut dropped = false;
    let mut pending = vec![schema];
    while let Some(node) = pending.pop() {
        match node {
            Value::Object(map) => {
                dropped |= map.shift_remove("default").is_some();
                pending.extend(map.values_mut());
            }
            Value::Array(items) => pending.extend(items.iter_mut()),
            _ => {}
        }
    }
    dropped
}

/// Component schema names, each after the schemas it refers to (cycles are
/// broken where they are found).
fn leaves_first(document: &Value, names: &[String]) -> Vec<String> {
    let mut order = Vec::new();
    let mut state: BTreeMap<&str, bool> = BTreeMap::new();
    for root in names {
        // (name, children pushed?) on an explicit stack: schema graphs are
        // deep.
        let mut stack = vec![(root.as_str(), false)];
        while let Some((name, expanded)) = stack.pop() {
            if expanded {
                state.insert(name, true);
                order.push(name.to_owned());
                continue;
            }
            if state.contains_key(name) {
                continue;
            }
            state.insert(name, false);
            stack.push((name, true));
            for child in schema_references(document, name) {
                if let Some(known) = names.iter().find(|n| **n == child)
                    && !state.contains_key(known.as_str())
                {
                    stack.push((known.as_str(), false));
                }
            }
        }
    }
    order
}

fn schema_references(document: &Value, name: &str) -> Vec<String> {
    let mut out = Vec::new();
    let schema = document
        .pointer("/components/schemas")
        .and_then(|s| s.get(name));
    for reference in references(schema.into_iter()) {
        out.extend(schema_name(reference));
    }
    out
}

/// Every `$ref` inside `roots`.
fn references<'a>(roots: impl Iterator<Item = &'a Value>) -> Vec<&'a str> {
    roots
        .flat_map(|root| document::references(root).into_iter().map(|(_, r)| r))
        .collect()
}

/// `document` with no operations and only the component schemas `names` and
/// those they refer to, directly or not.
fn only_schemas(document: &Value, names: &[String]) -> Value {
    let mut keep = BTreeSet::new();
    let mut pending = names.to_vec();
    while let Some(next) = pending.pop() {
        if !keep.contains(&next) {
            pending.extend(schema_references(document, &next));
            keep.insert(next);
        }
    }
    let mut copy = skeleton(document);
    if let Some(Value::Object(schemas)) = document.pointer("/components/schemas") {
        let kept: Map<String, Value> = schemas
            .iter()
            .filter(|(name, _)| keep.contains(*name))
            .map(|(name, schema)| (name.clone(), schema.clone()))
            .collect();
        copy["components"] = serde_json::json!({ "schemas": kept });
    }
    copy
}

/// `document` without its paths and components: what every trial document
/// starts from.
fn skeleton(document: &Value) -> Value {
    let mut copy = Map::new();
    for (key, value) in document.as_object().into_iter().flatten() {
        if key != "paths" && key != "components" {
            copy.insert(key.clone(), value.clone());
        }
    }
    copy.insert("paths".to_owned(), Value::Object(Map::new()));
    Value::Object(copy)
}

/// A copy of `document` whose `paths` hold only the operations `keep`.
fn only_operations(document: &Value, keep: &[(String, String)]) -> Value {
    let mut copy = document.clone();
    for (other, _) in operation_pointers(&mut copy) {
        if !keep.iter().any(|(pointer, _)| *pointer == other) {
            remove_operation(&mut copy, &other);
        }
    }
    copy
}

/// The operations `keep` (with their path items' other fields) and only the
/// components they reach through `$ref`s, directly or not.
fn reduced_document(document: &Value, keep: &[(String, String)]) -> Value {
    let mut copy = skeleton(document);
    let mut paths = Map::new();
    for (pointer, _) in keep {
        let (Some((item_pointer, method)), Some(operation)) =
            (json_pointer::split_last(pointer), document.pointer(pointer))
        else {
            continue;
        };
        let (Some((_, path)), Some(Value::Object(item))) = (
            json_pointer::split_last(item_pointer),
            document.pointer(item_pointer),
        ) else {
            continue;
        };
        let entry = paths.entry(path).or_insert_with(|| {
            let shared: Map<String, Value> = item
                .iter()
                .filter(|(key, _)| !METHODS.contains(&key.as_str()))
                .map(|(key, value)| (key.clone(), value.clone()))
                .collect();
            Value::Object(shared)
        });
        entry[method.as_str()] = operation.clone();
    }
    copy["components"] = reached_components(document, &paths);
    copy["paths"] = Value::Object(paths);
    copy
}

/// The components of `document` that `paths` reach through `$ref`s,
/// directly or not, in the document's order (so that typify meets them as
/// it would in the whole document).
fn reached_components(document: &Value, paths: &Map<String, Value>) -> Value {
    let mut components: BTreeMap<String, Map<String, Value>> = BTreeMap::new();
    let mut pending = references(paths.values());
    while let Some(reference) = pending.pop() {
        let Some(pointer) = json_pointer::fragment_pointer(reference) else {
            continue;
        };
        let tokens: Vec<String> = pointer.split('/').map(json_pointer::unescape).collect();
        let [_, section, kind, name] = tokens.as_slice() else {
            continue;
        };
        if section != "components" || components.get(kind).is_some_and(|k| k.contains_key(name)) {
            continue;
        }
        let Some(component) = document.pointer(&pointer) else {
            continue;
        };
        pending.extend(references(std::iter::once(component)));
        components
            .entry(kind.clone())
            .or_default()
            .insert(name.clone(), component.clone());
    }
    let mut ordered = Map::new();
    for (kind, entries) in document
        .get("components")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        let Some(reached) = components.get(kind) else {
            continue;
        };
        let kept: Map<String, Value> = entries
            .as_object()
            .into_iter()
            .flatten()
            .filter_map(|(name, _)| reached.get(name).map(|c| (name.clone(), c.clone())))
            .collect();
        ordered.insert(kind.clone(), Value::Object(kept));
    }
    Value::Object(ordered)
}

fn operation_pointers(document: &mut Value) -> Vec<(String, String)> {
    operations_mut(document)
        .into_iter()
        .map(|op| (op.pointer.clone(), op.label()))
        .collect()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn finds_the_shortest_failing_prefix() {
        for culprit in 1..=20 {
            for passing in 0..culprit {
                let runs = std::cell::Cell::new(0);
                let fails = |n: usize| {
                    runs.set(runs.get() + 1);
                    (n >= culprit).then(|| format!("fails at {n}"))
                };
                let (count, reason) = shortest_failing_prefix(passing, 20, "all".to_owned(), fails);
                assert_eq!(count, culprit, "passing {passing}");
                assert!(
                    count == 20 || reason == format!("fails at {culprit}"),
                    "{reason}"
                );
                assert!(runs.get() <= 10, "{} runs", runs.get());
            }
        }
    }

    #[test]
    fn schemas_are_tried_leaves_first() {
        let doc = json!({"components": {"schemas": {
            "A": {"$ref": "#/components/schemas/B"},
            "B": {"items": {"$ref": "#/components/schemas/C"}},
            "C": {"properties": {"a": {"$ref": "#/components/schemas/A"}}}
        }}});
        let names = ["A".to_owned(), "B".to_owned(), "C".to_owned()];
        assert_eq!(leaves_first(&doc, &names), ["C", "B", "A"]);
    }

    #[test]
    fn a_reduced_document_keeps_only_what_its_operations_reach() {
        let doc = json!({
            "openapi": "3.0.3",
            "paths": {
                "/a": {"parameters": [{"$ref": "#/components/parameters/Id"}],
                       "get": {"operationId": "a", "responses": {"200": {"$ref": "#/components/responses/Ok"}}},
                       "post": {"operationId": "b"}},
                "/c": {"get": {"operationId": "c", "responses": {}}}
            },
            "components": {
                "schemas": {
                    "Unused": {"type": "string"},
                    "Leaf": {"type": "integer"},
                    "Body": {"properties": {"leaf": {"$ref": "#/components/schemas/Leaf"}}}
                },
                "parameters": {"Id": {"name": "id", "in": "path", "schema": {"type": "string"}}},
                "responses": {"Ok": {"description": "ok", "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/Body"}}}}}
            }
        });
        let keep = [("/paths/~1a/get".to_owned(), "a".to_owned())];
        let reduced = reduced_document(&doc, &keep);
        assert_eq!(reduced["openapi"], "3.0.3");
        assert_eq!(
            reduced["paths"],
            json!({"/a": {"parameters": [{"$ref": "#/components/parameters/Id"}],
                          "get": doc["paths"]["/a"]["get"]}})
        );
        let names = |kind: &str| -> Vec<String> {
            reduced["components"][kind]
                .as_object()
                .unwrap()
                .keys()
                .cloned()
                .collect()
        };
        // In the document's order, not the order they were reached in.
        assert_eq!(names("schemas"), ["Leaf", "Body"]);
        assert_eq!(names("parameters"), ["Id"]);
        assert_eq!(names("responses"), ["Ok"]);
        let none = reduced_document(&doc, &[]);
        assert_eq!(none["paths"], json!({}));
        assert_eq!(none["components"], json!({}));
    }

    /// A probe that fails on any operation whose id starts with `bad`, and
    /// on any document holding the schema `Broken`.
    fn picky(document: &Value) -> Result<(), String> {
        let text = document.to_string();
        if text.contains("\"operationId\":\"bad") {
            return Err("a bad operation".to_owned());
        }
        if document
            .pointer("/components/schemas/Broken")
            .is_some_and(|s| s.get("type").is_some())
        {
            return Err("a broken schema".to_owned());
        }
        Ok(())
    }

    #[test]
    fn every_failing_operation_is_found_with_reduced_and_whole_trials() {
        for reduced in [true, false] {
            let mut doc = json!({"paths": {
                "/a": {"get": {"operationId": "a"}}, "/b": {"get": {"operationId": "bad-b"}},
                "/c": {"get": {"operationId": "c"}, "post": {"operationId": "bad-c"}}
            }});
            let mut untyped = Vec::new();
            let skipped = skip_failing_operations(&mut doc, &picky, reduced, &mut untyped);
            let ids: Vec<_> = skipped.iter().map(|s| s.operation_id.as_str()).collect();
            assert_eq!(ids, ["bad-b", "bad-c"]);
            assert_eq!(skipped[1].pointer, "/paths/~1c/post");
            assert_eq!(skipped[0].reason, "a bad operation");
            assert_eq!(skipped[0].by, "progenitor");
            assert_eq!(
                doc["paths"],
                json!({"/a": {"get": {"operationId": "a"}}, "/c": {"get": {"operationId": "c"}}})
            );
            assert!(untyped.is_empty());
        }
    }

    #[test]
    fn a_failure_no_operation_explains_skips_nothing() {
        let mut doc = json!({
            "paths": {"/a": {"get": {"operationId": "a"}}},
            "components": {"schemas": {"Broken": {"type": "string"}}}
        });
        let skipped = skip_failing_operations(&mut doc, &picky, false, &mut Vec::new());
        assert!(skipped.is_empty());
        assert!(doc["paths"]["/a"].get("get").is_some());
    }

    #[test]
    fn schemas_failing_for_their_defaults_alone_are_found_one_by_one() {
        // Fails on any document holding a default of the string "bad".
        let runs = std::cell::Cell::new(0);
        let probe = |document: &Value| {
            runs.set(runs.get() + 1);
            if document.to_string().contains("\"default\":\"bad\"") {
                Err("value does not conform".to_owned())
            } else {
                Ok(())
            }
        };
        let mut doc = json!({"paths": {}, "components": {"schemas": {
            "A": {"type": "string", "default": "fine"},
            "B": {"properties": {"x": {"type": "string", "default": "bad"}, "a": {"$ref": "#/components/schemas/A"}}},
            "C": {"type": "integer"},
            "D": {"items": {"default": "bad"}}
        }}});
        let untyped = untype_failing_schemas(&mut doc, &probe);
        let found: Vec<_> = untyped
            .iter()
            .map(|u| (u.pointer.as_str(), u.kept_type))
            .collect();
        assert_eq!(
            found,
            [
                ("/components/schemas/B", true),
                ("/components/schemas/D", true)
            ]
        );
        let schemas = &doc["components"]["schemas"];
        assert_eq!(
            schemas["A"]["default"], "fine",
            "a default that passes stays"
        );
        assert_eq!(schemas["B"]["properties"]["x"], json!({"type": "string"}));
        assert_eq!(schemas["D"], json!({"items": {}}));
        // All defaults gone, then A, B and D alone, then the whole once.
        assert_eq!(runs.get(), 5, "{} trials", runs.get());
    }

    #[test]
    fn a_failing_schema_becomes_untyped_keeping_its_description() {
        let mut doc = json!({"paths": {}, "components": {"schemas": {
            "Fine": {"type": "string"},
            "Broken": {"type": "string", "description": "Kept."}
        }}});
        let untyped = untype_failing_schemas(&mut doc, &picky);
        assert_eq!(untyped.len(), 1);
        assert_eq!(untyped[0].pointer, "/components/schemas/Broken");
        assert!(!untyped[0].kept_type);
        assert_eq!(
            doc["components"]["schemas"]["Broken"],
            json!({"description": "Kept."})
        );
        assert_eq!(
            doc["components"]["schemas"]["Fine"],
            json!({"type": "string"})
        );
    }
}
