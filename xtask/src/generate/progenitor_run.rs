//! Running progenitor on the normalized document, without ever letting one of
//! its panics (`todo!`, `assert!`, `unwrap` on shapes it does not support)
//! take the xtask down.
//!
//! When generation of the whole document fails, each operation is generated
//! on its own to find the ones at fault; those are skipped with a warning
//! naming their JSON pointer and progenitor's message, and the rest is
//! generated. progenitor converts every component schema whatever the
//! operations use, so one schema typify cannot convert would fail every
//! operation: the component schemas are tried first, on their own, and one
//! that fails alone is replaced by an untyped JSON value (with a warning
//! naming it) before operations are tried. Only a failure nothing of this
//! explains is an error.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::{Mutex, PoisonError};

use openapiv3::OpenAPI;
use proc_macro2::TokenStream;
use progenitor_impl::{GenerationSettings, Generator, HooksMode, InterfaceStyle, TagStyle};
use quote::quote;
use serde_json::Value;

use crate::normalize::walk::operations_mut;

/// The two token streams progenitor produces for one document.
#[derive(Debug)]
pub struct ProgenitorOutput {
    pub client: TokenStream,
    pub httpmock: TokenStream,
    /// Operations left out, with the reason.
    pub skipped: Vec<SkippedOperation>,
    /// Component schemas typify could not convert, generated as
    /// `serde_json::Value`.
    pub untyped: Vec<UntypedSchema>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UntypedSchema {
    pub pointer: String,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkippedOperation {
    pub operation_id: String,
    pub pointer: String,
    pub reason: String,
}

/// The generator settings every crate is generated with.
fn settings() -> GenerationSettings {
    let mut settings = GenerationSettings::new();
    settings
        .with_interface(InterfaceStyle::Positional)
        .with_tag(TagStyle::Merged)
        .with_derive("schemars::JsonSchema")
        .with_inner_type(quote!(crate::middleware::Hooks))
        .with_hooks(HooksMode::Expected);
    settings
}

/// Generates the client and httpmock token streams for `document` (the
/// normalized JSON), skipping operations progenitor cannot handle.
pub fn generate(document: &Value, client_crate_path: &str) -> Result<ProgenitorOutput, String> {
    // A document openapiv3 cannot read is an error in the spec (or in a
    // pass), not something to work around by skipping.
    parse(document)?;
    let mut document = document.clone();
    let mut skipped = Vec::new();
    let mut untyped = Vec::new();
    let mut whole = attempt(&document, client_crate_path);
    if whole.is_err() && attempt_client(&without_operations(&document)).is_err() {
        untyped = untype_failing_schemas(&mut document);
        whole = attempt(&document, client_crate_path);
    }
    match whole {
        Ok((client, httpmock)) => {
            return Ok(ProgenitorOutput {
                client,
                httpmock,
                skipped,
                untyped,
            });
        }
        Err(whole_failure) => {
            for (pointer, operation_id) in operation_pointers(&mut document) {
                let alone = only_operation(&document, &pointer);
                if let Err(reason) = attempt(&alone, client_crate_path) {
                    skipped.push(SkippedOperation {
                        operation_id,
                        pointer,
                        reason,
                    });
                }
            }
            if skipped.is_empty() {
                return Err(format!(
                    "progenitor failed on the document as a whole: {whole_failure}"
                ));
            }
        }
    }
    for skip in &skipped {
        remove_operation(&mut document, &skip.pointer);
    }
    let (client, httpmock) = attempt(&document, client_crate_path)
        .map_err(|e| format!("progenitor failed after skipping the failing operations: {e}"))?;
    Ok(ProgenitorOutput {
        client,
        httpmock,
        skipped,
        untyped,
    })
}

/// `document` with no operations: only its components.
fn without_operations(document: &Value) -> Value {
    let mut copy = document.clone();
    if let Some(paths) = copy.get_mut("paths") {
        *paths = Value::Object(serde_json::Map::new());
    }
    copy
}

/// Finds the component schemas typify cannot convert and replaces each by
/// `{}` (any JSON value), keeping its description.
///
/// Trying every schema alone costs one typify run per schema, minutes on a
/// spec with hundreds; instead the schemas are ordered leaves first and the
/// shortest failing prefix is found by bisection. Its last schema is the
/// culprit: everything it refers to came before it and passed. One culprit
/// costs about log2(schemas) runs.
fn untype_failing_schemas(document: &mut Value) -> Vec<UntypedSchema> {
    let mut untyped = Vec::new();
    let names: Vec<String> = document
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|schemas| schemas.keys().cloned().collect())
        .unwrap_or_default();
    let order = leaves_first(document, &names);
    let fails = |document: &Value, count: usize| {
        attempt_client(&only_schemas(document, &order[..count])).err()
    };
    // Each round removes one culprit; the bound only guards against a
    // failure no schema explains.
    for _ in 0..order.len() {
        let Some(mut reason) = fails(document, order.len()) else {
            break;
        };
        let (mut passing, mut failing) = (0, order.len());
        while failing - passing > 1 {
            let middle = passing + (failing - passing) / 2;
            match fails(document, middle) {
                Some(why) => {
                    failing = middle;
                    reason = why;
                }
                None => passing = middle,
            }
        }
        let name = &order[failing - 1];
        let pointer = crate::json_pointer::join("/components/schemas", name);
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
        let mut any = serde_json::Map::new();
        if let Some(description) = schema.get("description") {
            any.insert("description".to_owned(), description.clone());
        }
        *schema = Value::Object(any);
        untyped.push(UntypedSchema { pointer, reason });
    }
    untyped
}

/// Component schema names, each after the schemas it refers to (cycles are
/// broken where they are found).
fn leaves_first(document: &Value, names: &[String]) -> Vec<String> {
    let mut order = Vec::new();
    let mut state: std::collections::BTreeMap<&str, bool> = std::collections::BTreeMap::new();
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
            for child in references_of(document, name) {
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

fn references_of(document: &Value, name: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut pending: Vec<&Value> = document
        .pointer("/components/schemas")
        .and_then(|s| s.get(name))
        .into_iter()
        .collect();
    while let Some(node) = pending.pop() {
        match node {
            Value::Object(map) => {
                for (key, value) in map {
                    match (key.as_str(), value) {
                        ("$ref", Value::String(reference)) => {
                            out.extend(crate::json_pointer::schema_name(reference));
                        }
                        _ => pending.push(value),
                    }
                }
            }
            Value::Array(items) => pending.extend(items),
            _ => {}
        }
    }
    out
}

/// `document` with no operations and only the component schemas `names` and
/// those they refer to, directly or not.
fn only_schemas(document: &Value, names: &[String]) -> Value {
    let mut keep = std::collections::BTreeSet::new();
    let mut pending = names.to_vec();
    while let Some(next) = pending.pop() {
        if !keep.contains(&next) {
            pending.extend(references_of(document, &next));
            keep.insert(next);
        }
    }
    let mut copy = without_operations(document);
    if let Some(Value::Object(schemas)) = copy.pointer_mut("/components/schemas") {
        schemas.retain(|name, _| keep.contains(name));
    }
    copy
}

/// One run of progenitor over `document`: its error or panic message on
/// failure.
fn attempt(
    document: &Value,
    client_crate_path: &str,
) -> Result<(TokenStream, TokenStream), String> {
    let spec: OpenAPI = parse(document)?;
    quietly(|| {
        let client = Generator::new(&settings())
            .generate_tokens(&spec)
            .map_err(|e| e.to_string())?;
        let httpmock = Generator::new(&settings())
            .httpmock(&spec, client_crate_path)
            .map_err(|e| e.to_string())?;
        Ok((client, httpmock))
    })
}

/// The client half of [`attempt`]: enough to tell whether typify converts
/// the schemas, at half the cost.
fn attempt_client(document: &Value) -> Result<TokenStream, String> {
    let spec: OpenAPI = parse(document)?;
    quietly(|| {
        Generator::new(&settings())
            .generate_tokens(&spec)
            .map_err(|e| e.to_string())
    })
}

/// Deserializes the normalized JSON into openapiv3's model, naming the JSON
/// path of the first value it rejects.
pub fn parse(document: &Value) -> Result<OpenAPI, String> {
    serde_path_to_error::deserialize(document).map_err(|e| {
        let path = e.path().to_string();
        format!(
            "the normalized document is not valid OpenAPI 3.0 at `{path}`: {}",
            e.inner()
        )
    })
}

/// Runs `f`, turning a panic into an `Err` with the panic's message, and
/// keeping the default hook from printing it.
fn quietly<T>(f: impl FnOnce() -> Result<T, String>) -> Result<T, String> {
    // The panic hook is process-wide; runs take turns.
    static HOOK: Mutex<()> = Mutex::new(());
    let _turn = HOOK.lock().unwrap_or_else(PoisonError::into_inner);
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let result = catch_unwind(AssertUnwindSafe(f));
    std::panic::set_hook(previous);
    match result {
        Ok(result) => result,
        Err(payload) => {
            let message = payload
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".to_owned());
            Err(format!("progenitor panicked: {message}"))
        }
    }
}

fn operation_pointers(document: &mut Value) -> Vec<(String, String)> {
    operations_mut(document)
        .into_iter()
        .map(|op| (op.pointer.clone(), op.label()))
        .collect()
}

/// A copy of `document` whose `paths` hold only the operation at `pointer`.
fn only_operation(document: &Value, pointer: &str) -> Value {
    let mut copy = document.clone();
    let keep = pointer.to_owned();
    for (other, _) in operation_pointers(&mut copy) {
        if other != keep {
            remove_operation(&mut copy, &other);
        }
    }
    copy
}

fn remove_operation(document: &mut Value, pointer: &str) {
    let Some((item_pointer, method)) = pointer.rsplit_once('/') else {
        return;
    };
    let Some(Value::Object(item)) = document.pointer_mut(item_pointer) else {
        return;
    };
    item.shift_remove(method);
    let has_operations = item
        .keys()
        .any(|k| crate::normalize::walk::METHODS.contains(&k.as_str()));
    if !has_operations {
        let Some((paths_pointer, path_token)) = item_pointer.rsplit_once('/') else {
            return;
        };
        let path = path_token.replace("~1", "/").replace("~0", "~");
        if let Some(Value::Object(paths)) = document.pointer_mut(paths_pointer) {
            paths.shift_remove(&path);
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn operation(id: &str, response_schema: Value) -> Value {
        json!({"post": {"operationId": id, "responses": {"200": {"description": "ok",
            "content": {"application/json": {"schema": response_schema}}}}}})
    }

    fn document(paths: Value) -> Value {
        json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": paths})
    }

    #[test]
    fn generates_a_valid_document() {
        let doc = document(json!({"/a": operation("make-a", json!({"type": "string"}))}));
        let output = generate(&doc, "api").unwrap();
        assert!(output.skipped.is_empty());
        assert!(output.client.to_string().contains("make_a"));
        assert!(output.httpmock.to_string().contains("MakeAWhen"));
    }

    #[test]
    fn skips_the_operation_progenitor_panics_on_and_keeps_the_rest() {
        // Two request media types: progenitor hits a `todo!`.
        let mut bad = operation("bad-op", json!({"type": "string"}));
        bad["post"]["requestBody"] = json!({"content": {
            "application/json": {"schema": {"type": "string"}},
            "text/plain": {"schema": {"type": "string"}}
        }});
        let doc =
            document(json!({"/a": operation("good-op", json!({"type": "string"})), "/b": bad}));
        let output = generate(&doc, "api").unwrap();
        assert_eq!(output.skipped.len(), 1);
        assert_eq!(output.skipped[0].operation_id, "bad-op");
        assert_eq!(output.skipped[0].pointer, "/paths/~1b/post");
        assert!(
            output.skipped[0].reason.contains("panicked"),
            "{}",
            output.skipped[0].reason
        );
        let client = output.client.to_string();
        assert!(client.contains("good_op") && !client.contains("bad_op"));
    }

    #[test]
    fn a_schema_typify_cannot_convert_becomes_untyped_and_the_rest_is_kept() {
        // typify validates patterns with regress; an unclosed group fails it.
        let mut doc = document(
            json!({"/a": operation("get-a", json!({"$ref": "#/components/schemas/Uses"}))}),
        );
        doc["components"] = json!({"schemas": {
            "Bad": {"type": "string", "pattern": "(", "description": "Kept."},
            "Uses": {"type": "object", "properties": {"bad": {"$ref": "#/components/schemas/Bad"},
                                                        "good": {"type": "string"}}}
        }});
        let output = generate(&doc, "api").unwrap();
        assert!(output.skipped.is_empty());
        assert_eq!(output.untyped.len(), 1, "{:?}", output.untyped);
        assert_eq!(output.untyped[0].pointer, "/components/schemas/Bad");
        let client = output.client.to_string();
        assert!(
            client.contains("get_a") && client.contains("pub struct Uses"),
            "{client}"
        );
    }

    #[test]
    fn every_failing_schema_is_found() {
        let mut doc = json!({"components": {"schemas": {
            "A": {"type": "string", "pattern": "("},
            "B": {"properties": {"a": {"$ref": "#/components/schemas/A"}}},
            "C": {"type": "string"},
            "D": {"type": "integer", "default": "x"},
            "E": {"items": {"$ref": "#/components/schemas/D"}}
        }}});
        let mut doc_full = document(json!({}));
        doc_full["components"] = doc.take()["components"].take();
        let untyped = untype_failing_schemas(&mut doc_full);
        let pointers: Vec<_> = untyped.iter().map(|u| u.pointer.as_str()).collect();
        assert_eq!(pointers, ["/components/schemas/A", "/components/schemas/D"]);
        assert!(attempt_client(&doc_full).is_ok());
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
    fn invalid_documents_are_errors_naming_where() {
        let doc = document(
            json!({"/a": {"post": {"operationId": "x", "responses": {"200": {"description": 7}}}}}),
        );
        let err = generate(&doc, "api").unwrap_err();
        assert!(err.contains("not valid OpenAPI 3.0 at `paths`"), "{err}");
        assert!(
            err.contains("invalid type: integer `7`, expected a string"),
            "{err}"
        );
    }
}
