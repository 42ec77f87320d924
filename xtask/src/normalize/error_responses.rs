//! progenitor gives each operation one error type and panics
//! (`response_types.len() <= 1`) when an operation's error responses use
//! different schemas, or mix bodies with no body. Moveworks documents a
//! separate schema per status (`NotFoundErrorResponse`,
//! `RateLimitExceededErrorResponse`, ...), all of the same shape
//! `{"error": {"code", "message"}}`.
//!
//! This pass merges every error body of the document into one component
//! (`ErrorResponse`, with the union of the documented codes), so that all
//! operations share one error type. When the bodies do not merge, each
//! operation gets its own merged or `anyOf` schema instead. Error responses
//! without a JSON body are removed where others have one: the generated
//! client then reports them as `Error::UnexpectedResponse`, status and body
//! intact, instead of failing to decode an empty body.
//!
//! `default` responses of operations that also document 2xx responses are
//! rewritten as `4XX` and `5XX`: progenitor treats `default` as a possible
//! success too and would otherwise need two success types.

use heck::ToPascalCase;
use serde_json::{Map, Value, json};

use super::reachability::{prune_newly_unused, used_schemas};
use super::schema_merge::merge;
use super::{NormalizeError, Report};
use crate::document::{deref, operations_mut};
use crate::json_pointer::{join, schema_ref};

/// The name the shared error body gets (with a numeric suffix if the
/// document already uses it for something else).
pub const SHARED_ERROR_NAME: &str = "ErrorResponse";

const ERROR_DESCRIPTION: &str = "The body of an error response (any non-2xx status the API documents). \
`error.code` keeps codes this client does not know yet.";

pub fn unify(document: &mut Value, report: &mut Report) -> Result<(), NormalizeError> {
    split_default_responses(document, report);
    inline_response_refs(document);

    let snapshot = document.clone();
    let used_before = used_schemas(document);
    let mut per_operation: Vec<(String, String, Vec<Value>)> = Vec::new();
    let mut mixing: Vec<String> = Vec::new();
    for op in operations_mut(document) {
        if mixes_body_and_none(op.operation) {
            mixing.push(op.pointer.clone());
        }
        let schemas = error_schemas(op.operation);
        let mut distinct: Vec<Value> = Vec::new();
        for schema in schemas.into_iter().flatten() {
            if !distinct.contains(&schema) {
                distinct.push(schema);
            }
        }
        per_operation.push((op.pointer.clone(), op.label(), distinct));
    }

    let all: Vec<Value> = per_operation
        .iter()
        .flat_map(|(_, _, s)| s.iter().cloned())
        .collect();
    let needs_work = per_operation.iter().any(|(_, _, s)| s.len() > 1) || !mixing.is_empty();
    if !needs_work {
        return Ok(());
    }

    if let Some(merged) = merge(&snapshot, &all) {
        let name = free_name(document, SHARED_ERROR_NAME, &merged);
        let mut merged = merged;
        merged["description"] = json!(ERROR_DESCRIPTION);
        insert_schema(document, &name, merged);
        let reference = json!({ "$ref": schema_ref(&name) });
        for op in operations_mut(document) {
            apply(op.operation, &op.pointer, &reference, report);
        }
        report.note(
            "/components/schemas",
            format!("all error bodies share `{name}`"),
        );
        note_pruned(document, &used_before, report);
        return Ok(());
    }

    report.warn(
        "/components/schemas",
        "error bodies do not share a shape; unifying per operation",
    );
    for (pointer, label, distinct) in per_operation {
        // One body type beside body-less errors still needs the body-less
        // ones gone: progenitor takes one error type per operation.
        let reference = match distinct.as_slice() {
            [] => continue,
            [only] if mixing.contains(&pointer) => only.clone(),
            [_] => continue,
            _ => {
                let merged =
                    merge(&snapshot, &distinct).unwrap_or_else(|| json!({ "anyOf": distinct }));
                let name = free_name(document, &format!("{}-error", label), &merged);
                insert_schema(document, &name, merged);
                json!({ "$ref": schema_ref(&name) })
            }
        };
        if let Some(op) = operations_mut(document)
            .into_iter()
            .find(|op| op.pointer == pointer)
        {
            apply(op.operation, &op.pointer, &reference, report);
        }
    }
    note_pruned(document, &used_before, report);
    Ok(())
}

/// Removes the per-status error schemas the merged ones replaced.
fn note_pruned(
    document: &mut Value,
    used_before: &std::collections::BTreeSet<String>,
    report: &mut Report,
) {
    let gone = prune_newly_unused(document, used_before);
    if !gone.is_empty() {
        report.note(
            "/components/schemas",
            format!("removed error schemas now unused: {}", gone.join(", ")),
        );
    }
}

fn is_error_status(status: &str) -> bool {
    status.starts_with('4') || status.starts_with('5')
}

fn json_schema_of(response: &Value) -> Option<Option<Value>> {
    let content = response.get("content").and_then(Value::as_object)?;
    if content.is_empty() {
        return None;
    }
    Some(
        content
            .iter()
            .find(|(media, _)| {
                *media == "application/json" || media.starts_with("application/json;")
            })
            .and_then(|(_, media)| media.get("schema").cloned()),
    )
}

/// For each error response: `Some(schema)` for a JSON body, `None` otherwise.
fn error_schemas(operation: &Map<String, Value>) -> Vec<Option<Value>> {
    responses(operation)
        .filter(|(status, _)| is_error_status(status))
        .map(|(_, response)| json_schema_of(response).flatten())
        .collect()
}

fn responses(operation: &Map<String, Value>) -> impl Iterator<Item = (&String, &Value)> {
    operation
        .get("responses")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
}

fn mixes_body_and_none(operation: &Map<String, Value>) -> bool {
    let kinds = error_schemas(operation);
    kinds.iter().any(Option::is_some) && kinds.iter().any(Option::is_none)
}

/// Points every JSON error body of the operation at `reference`, and removes
/// error responses without one.
fn apply(
    operation: &mut Map<String, Value>,
    pointer: &str,
    reference: &Value,
    report: &mut Report,
) {
    let has_json = error_schemas(operation).iter().any(Option::is_some);
    let Some(Value::Object(responses)) = operation.get_mut("responses") else {
        return;
    };
    let mut removed = Vec::new();
    responses.retain(|status, response| {
        if !is_error_status(status) {
            return true;
        }
        match json_schema_of(response).flatten() {
            Some(_) => {
                let content = json!({ "application/json": { "schema": reference.clone() } });
                response["content"] = content;
                true
            }
            None if has_json => {
                removed.push(status.clone());
                false
            }
            None => true,
        }
    });
    if !removed.is_empty() {
        report.note(
            join(pointer, "responses"),
            format!(
                "removed error responses without a JSON body ({}); they surface as UnexpectedResponse",
                removed.join(", ")
            ),
        );
    }
}

fn split_default_responses(document: &mut Value, report: &mut Report) {
    for op in operations_mut(document) {
        let Some(Value::Object(responses)) = op.operation.get_mut("responses") else {
            continue;
        };
        let has_success = responses.keys().any(|s| s.starts_with('2'));
        if !has_success || !responses.contains_key("default") {
            continue;
        }
        let Some(default) = responses.shift_remove("default") else {
            continue;
        };
        for range in ["4XX", "5XX"] {
            if !responses.contains_key(range) {
                responses.insert(range.to_owned(), default.clone());
            }
        }
        report.note(
            join(&op.pointer, "responses/default"),
            "default -> 4XX and 5XX",
        );
    }
}

/// Response objects given as `$ref` (to `components/responses`) are copied
/// inline so each operation's copy can be rewritten on its own.
fn inline_response_refs(document: &mut Value) {
    let snapshot = document.clone();
    for op in operations_mut(document) {
        let Some(Value::Object(responses)) = op.operation.get_mut("responses") else {
            continue;
        };
        for response in responses.values_mut() {
            if response.get("$ref").is_some()
                && let Some(target) = deref(&snapshot, response).cloned()
            {
                *response = target;
            }
        }
    }
}

/// `base` (PascalCased), or `base2`, `base3`, ... if a different schema
/// already has the name.
pub(super) fn free_name(document: &Value, base: &str, schema: &Value) -> String {
    let base = pascal_case(base);
    let schemas = document.pointer("/components/schemas");
    let mut name = base.clone();
    let mut n = 2;
    while let Some(existing) = schemas.and_then(|s| s.get(&name)) {
        if existing == schema {
            break;
        }
        name = format!("{base}{n}");
        n += 1;
    }
    name
}

pub(super) fn insert_schema(document: &mut Value, name: &str, schema: Value) {
    let Some(root) = document.as_object_mut() else {
        return;
    };
    let components = root.entry("components").or_insert_with(|| json!({}));
    let schemas = components
        .as_object_mut()
        .map(|c| c.entry("schemas").or_insert_with(|| json!({})));
    if let Some(Value::Object(schemas)) = schemas {
        schemas.insert(name.to_owned(), schema);
    }
}

/// `submit-feedback-error` -> `SubmitFeedbackError`, as typify will name
/// the type anyway.
pub fn pascal_case(text: &str) -> String {
    text.to_pascal_case()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error_body(code: &str) -> Value {
        json!({"type": "object", "properties": {"error": {"type": "object", "properties": {
            "code": {"type": "string", "enum": [code]}, "message": {"type": "string"}
        }, "required": ["code", "message"]}}, "required": ["error"]})
    }

    fn json_response(schema: Value) -> Value {
        json!({"description": "d", "content": {"application/json": {"schema": schema}}})
    }

    #[test]
    fn all_operations_share_one_error_type_with_every_code() {
        let mut doc = json!({
            "paths": {
                "/a": {"post": {"responses": {
                    "200": json_response(json!({"type": "string"})),
                    "400": json_response(json!({"$ref": "#/components/schemas/Invalid"})),
                    "404": json_response(error_body("NOT_FOUND")),
                    "502": {"description": "bad gateway"}
                }}},
                "/b": {"get": {"responses": {"500": {"$ref": "#/components/responses/Internal"}}}}
            },
            "components": {
                "schemas": {"Invalid": error_body("INVALID_REQUEST")},
                "responses": {"Internal": json_response(error_body("INTERNAL_ERROR"))}
            }
        });
        let mut report = Report::default();
        unify(&mut doc, &mut report).unwrap();

        let shared = &doc["components"]["schemas"]["ErrorResponse"];
        assert_eq!(
            shared["properties"]["error"]["properties"]["code"]["enum"],
            json!(["INVALID_REQUEST", "NOT_FOUND", "INTERNAL_ERROR"])
        );
        let reference = json!({"$ref": "#/components/schemas/ErrorResponse"});
        let a = &doc["paths"]["/a"]["post"]["responses"];
        assert_eq!(a["400"]["content"]["application/json"]["schema"], reference);
        assert_eq!(a["404"]["content"]["application/json"]["schema"], reference);
        assert_eq!(
            a["200"]["content"]["application/json"]["schema"],
            json!({"type": "string"})
        );
        assert!(a.get("502").is_none(), "body-less error response removed");
        let b = &doc["paths"]["/b"]["get"]["responses"]["500"];
        assert_eq!(b["content"]["application/json"]["schema"], reference);
    }

    #[test]
    fn leaves_consistent_operations_alone() {
        let original = json!({"paths": {"/a": {"get": {"responses": {
            "200": json_response(json!({"type": "string"})),
            "400": json_response(error_body("X")),
            "500": json_response(error_body("X"))
        }}}}});
        let mut doc = original.clone();
        unify(&mut doc, &mut Report::default()).unwrap();
        assert_eq!(doc, original);
    }

    #[test]
    fn unmergeable_bodies_get_an_any_of_per_operation() {
        let mut doc = json!({"paths": {"/a": {"get": {"operationId": "get-a", "responses": {
            "400": json_response(json!({"type": "string"})),
            "500": json_response(json!({"type": "object", "properties": {}}))
        }}}}});
        let mut report = Report::default();
        unify(&mut doc, &mut report).unwrap();
        assert_eq!(
            doc["components"]["schemas"]["GetAError"],
            json!({"anyOf": [{"type": "string"}, {"type": "object", "properties": {}}]})
        );
        assert_eq!(report.warnings().count(), 1);
    }

    #[test]
    fn unshared_bodies_still_lose_body_less_errors() {
        // Two operations whose error bodies cannot merge (an object and a
        // string), so unification is per operation; the first also has an
        // error without a body.
        let mut doc = json!({"paths": {
            "/a": {"post": {"operationId": "a", "responses": {
                "200": {"description": "ok"},
                "401": json_response(json!({"$ref": "#/components/schemas/ApiError"})),
                "409": {"description": "conflict"}
            }}},
            "/b": {"post": {"operationId": "b", "responses": {
                "200": {"description": "ok"},
                "400": json_response(json!({"type": "string"}))
            }}}
        }, "components": {"schemas": {"ApiError": {"type": "object", "properties": {"m": {"type": "string"}}}}}});
        let mut report = Report::default();
        unify(&mut doc, &mut report).unwrap();
        let a = &doc["paths"]["/a"]["post"]["responses"];
        assert!(a.get("409").is_none(), "{a}");
        assert_eq!(
            a["401"]["content"]["application/json"]["schema"],
            json!({"$ref": "#/components/schemas/ApiError"})
        );
        assert!(doc["paths"]["/b"]["post"]["responses"].get("400").is_some());
    }

    #[test]
    fn default_beside_success_becomes_error_ranges() {
        let mut doc = json!({"paths": {"/a": {"get": {"responses": {
            "200": json_response(json!({"type": "string"})),
            "default": json_response(error_body("X"))
        }}}}});
        unify(&mut doc, &mut Report::default()).unwrap();
        let responses = doc["paths"]["/a"]["get"]["responses"].as_object().unwrap();
        assert_eq!(responses.keys().collect::<Vec<_>>(), ["200", "4XX", "5XX"]);
    }

    #[test]
    fn names_avoid_existing_components() {
        let doc = json!({"components": {"schemas": {"ErrorResponse": {"type": "integer"}}}});
        assert_eq!(
            free_name(&doc, "ErrorResponse", &json!({})),
            "ErrorResponse2"
        );
        assert_eq!(
            free_name(&doc, "ErrorResponse", &json!({"type": "integer"})),
            "ErrorResponse"
        );
        assert_eq!(pascal_case("submit-feedback-error"), "SubmitFeedbackError");
    }
}
