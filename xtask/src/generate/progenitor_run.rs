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

use crate::json_pointer::split_last;
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
    /// The same document generated in progenitor's builder style, whose
    /// `types` module carries typify's struct builders (see the
    /// `type_builders` rewrite), or why that generation failed.
    pub builder_style: Result<TokenStream, String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UntypedSchema {
    pub pointer: String,
    pub reason: String,
    /// The schema kept its type once its `default`s were dropped; otherwise
    /// it became an untyped JSON value.
    pub kept_type: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkippedOperation {
    pub operation_id: String,
    pub pointer: String,
    pub reason: String,
}

/// The generator settings every crate is generated with.
fn settings() -> GenerationSettings {
    settings_with(InterfaceStyle::Positional)
}

/// typify generates struct builders only when progenitor's interface is the
/// builder style, so the types are generated a second time in that style.
fn settings_with(interface: InterfaceStyle) -> GenerationSettings {
    let mut settings = GenerationSettings::new();
    settings
        .with_interface(interface)
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
                builder_style: attempt_builder_style(&document),
            });
        }
        Err(whole_failure) => {
            let kept_before = untyped.len();
            skipped = skip_failing_operations(&mut document, client_crate_path, &mut untyped);
            if skipped.is_empty() && untyped.len() == kept_before {
                return Err(format!(
                    "progenitor failed on the document as a whole: {whole_failure}"
                ));
            }
        }
    }
    let (client, httpmock) = attempt(&document, client_crate_path)
        .map_err(|e| format!("progenitor failed after skipping the failing operations: {e}"))?;
    Ok(ProgenitorOutput {
        client,
        httpmock,
        skipped,
        untyped,
        builder_style: attempt_builder_style(&document),
    })
}

/// Finds the operations progenitor fails on and removes them from
/// `document`. As for schemas, trying each alone costs a progenitor run per
/// operation (minutes on a spec with hundreds), so the shortest failing
/// prefix of the operations is found by bisection, and its last operation
/// is the culprit. As for schemas, an operation whose only fault is a
/// `default` typify cannot check is kept without its defaults (recorded in
/// `untyped`).
fn skip_failing_operations(
    document: &mut Value,
    client_crate_path: &str,
    untyped: &mut Vec<UntypedSchema>,
) -> Vec<SkippedOperation> {
    let operations = operation_pointers(document);
    let fails = |document: &Value, count: usize| {
        attempt(
            &only_operations(document, &operations[..count]),
            client_crate_path,
        )
        .err()
    };
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
        });
    }
    skipped
}

/// The length of the shortest failing prefix of a list, and why it fails,
/// given that the first `passing` items pass and all `total` fail (for
/// `reason`). Culprits are found in list order, so the search gallops up
/// from the last one before bisecting: about 2 log2(distance) runs each.
fn shortest_failing_prefix(
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
    let mut passing = 0;
    for _ in 0..order.len() {
        let Some(reason) = fails(document, order.len()) else {
            break;
        };
        let (failing, reason) =
            shortest_failing_prefix(passing, order.len(), reason, |n| fails(document, n));
        passing = failing - 1;
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
        let mut any = serde_json::Map::new();
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
    let started = std::time::Instant::now();
    let spec: OpenAPI = parse(document)?;
    let result = quietly(|| {
        let client = Generator::new(&settings())
            .generate_tokens(&spec)
            .map_err(|e| e.to_string())?;
        let httpmock = Generator::new(&settings())
            .httpmock(&spec, client_crate_path)
            .map_err(|e| e.to_string())?;
        Ok((client, httpmock))
    });
    trace("client and httpmock", document, started, &result);
    result
}

/// The client half of [`attempt`]: enough to tell whether typify converts
/// the schemas, at half the cost.
fn attempt_client(document: &Value) -> Result<TokenStream, String> {
    attempt_client_in(document, InterfaceStyle::Positional, "client")
}

/// The client in progenitor's builder style, for its `types` module.
fn attempt_builder_style(document: &Value) -> Result<TokenStream, String> {
    attempt_client_in(document, InterfaceStyle::Builder, "builder-style client")
}

fn attempt_client_in(
    document: &Value,
    interface: InterfaceStyle,
    what: &str,
) -> Result<TokenStream, String> {
    let started = std::time::Instant::now();
    let spec: OpenAPI = parse(document)?;
    let result = quietly(|| {
        Generator::new(&settings_with(interface))
            .generate_tokens(&spec)
            .map_err(|e| e.to_string())
    });
    trace(what, document, started, &result);
    result
}

/// With `XTASK_TRACE` set, one line per progenitor run on stderr: what the
/// search for failing schemas and operations is doing on a large spec.
fn trace<T>(what: &str, document: &Value, started: std::time::Instant, result: &Result<T, String>) {
    if std::env::var_os("XTASK_TRACE").is_none() {
        return;
    }
    let count = |pointer: &str| {
        document
            .pointer(pointer)
            .and_then(Value::as_object)
            .map_or(0, serde_json::Map::len)
    };
    eprintln!(
        "trace: progenitor {what} run, {} path(s), {} schema(s): {} in {:.1}s",
        count("/paths"),
        count("/components/schemas"),
        match result {
            Ok(_) => "ok".to_owned(),
            Err(e) => e
                .lines()
                .next()
                .unwrap_or_default()
                .chars()
                .take(150)
                .collect(),
        },
        started.elapsed().as_secs_f64()
    );
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

fn remove_operation(document: &mut Value, pointer: &str) {
    let Some((item_pointer, method)) = split_last(pointer) else {
        return;
    };
    let Some(Value::Object(item)) = document.pointer_mut(item_pointer) else {
        return;
    };
    item.shift_remove(&method);
    let has_operations = item
        .keys()
        .any(|k| crate::normalize::walk::METHODS.contains(&k.as_str()));
    if !has_operations {
        let Some((paths_pointer, path)) = split_last(item_pointer) else {
            return;
        };
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
        let found: Vec<_> = untyped
            .iter()
            .map(|u| (u.pointer.as_str(), u.kept_type))
            .collect();
        assert_eq!(
            found,
            [
                ("/components/schemas/A", false),
                ("/components/schemas/D", true)
            ]
        );
        assert_eq!(
            doc_full["components"]["schemas"]["D"],
            json!({"type": "integer"}),
            "only the default went"
        );
        assert_eq!(doc_full["components"]["schemas"]["A"], json!({}));
        assert!(attempt_client(&doc_full).is_ok());
    }

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
    fn every_failing_operation_is_skipped() {
        let bad = |id: &str| {
            let mut op = operation(id, json!({"type": "string"}));
            op["post"]["requestBody"] =
                json!({"content": {"multipart/form-data": {"schema": {"type": "object"}}}});
            op
        };
        let good = |id: &str| operation(id, json!({"type": "string"}));
        let doc = document(json!({
            "/a": good("a"), "/b": bad("b"), "/c": good("c"), "/d": good("d"),
            "/e": bad("e"), "/f": good("f")
        }));
        let output = generate(&doc, "api").unwrap();
        let skipped: Vec<_> = output
            .skipped
            .iter()
            .map(|s| s.operation_id.as_str())
            .collect();
        assert_eq!(skipped, ["b", "e"]);
        assert!(output.skipped[0].reason.contains("multipart/form-data"));
        let client = output.client.to_string();
        for id in ["a", "c", "d", "f"] {
            assert!(client.contains(&format!("pub async fn {id}")), "{id}");
        }
    }

    #[test]
    fn an_operation_failing_only_for_a_default_keeps_its_type() {
        // typify makes this `anyOf` a struct of optional branches, which a
        // string default cannot be.
        let mut op = operation("get-a", json!({"type": "string"}));
        op["post"]["parameters"] = json!([{"name": "team", "in": "query", "schema": {
            "anyOf": [{"type": "string", "format": "uuid"}, {"type": "string", "enum": ["auto"]}],
            "default": "auto"
        }}]);
        let output = generate(&document(json!({"/a": op})), "api").unwrap();
        assert!(output.skipped.is_empty(), "{:?}", output.skipped);
        assert_eq!(output.untyped.len(), 1, "{:?}", output.untyped);
        assert_eq!(output.untyped[0].pointer, "/paths/~1a/post");
        assert!(output.untyped[0].kept_type);
        assert!(output.client.to_string().contains("pub async fn get_a"));
    }

    /// Every Rust keyword, strict or reserved in some edition.
    const KEYWORDS: &[&str] = &[
        "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "do",
        "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in",
        "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
        "return", "static", "struct", "trait", "true", "try", "type", "typeof", "unsafe",
        "unsized", "use", "virtual", "where", "while", "yield",
    ];

    fn idents(tokens: TokenStream, out: &mut std::collections::BTreeSet<String>) {
        for tree in tokens {
            match tree {
                proc_macro2::TokenTree::Ident(ident) => {
                    out.insert(ident.to_string());
                }
                proc_macro2::TokenTree::Group(group) => idents(group.stream(), out),
                _ => {}
            }
        }
    }

    /// The generated code needs no rewrite for keywords: typify and
    /// progenitor rename a spec name that is a keyword of any edition,
    /// `gen` (reserved since 2024) included, with a trailing `_`. (An
    /// earlier rewrite made such identifiers raw; it never fired.)
    #[test]
    fn spec_names_that_are_keywords_never_reach_the_code_bare() {
        let strings = |names: &[&str]| -> serde_json::Map<String, Value> {
            names
                .iter()
                .map(|n| ((*n).to_owned(), json!({"type": "string"})))
                .collect()
        };
        let mut paths = serde_json::Map::new();
        for keyword in KEYWORDS {
            paths.insert(
                format!("/{keyword}/{{{keyword}}}"),
                json!({"post": {
                    "operationId": keyword,
                    "parameters": [
                        {"name": keyword, "in": "path", "required": true, "schema": {"type": "string"}},
                        {"name": format!("q-{keyword}"), "in": "query", "schema": {"type": "string"}}
                    ],
                    "requestBody": {"content": {"application/json": {
                        "schema": {"$ref": "#/components/schemas/gen"}}}},
                    "responses": {"200": {"description": "ok", "content": {"application/json": {
                        "schema": {"type": "object", "properties": strings(KEYWORDS)}}}}}
                }}),
            );
        }
        let mut schemas = serde_json::Map::new();
        schemas.insert(
            "gen".to_owned(),
            json!({"type": "object", "properties": strings(KEYWORDS), "required": KEYWORDS}),
        );
        schemas.insert(
            "Values".to_owned(),
            json!({"type": "string", "enum": KEYWORDS}),
        );
        let mut doc = document(Value::Object(paths));
        doc["components"] = json!({"schemas": schemas});
        let output = generate(&doc, "api").unwrap();
        assert!(output.skipped.is_empty() && output.untyped.is_empty());
        let mut found = std::collections::BTreeSet::new();
        idents(output.client, &mut found);
        idents(output.httpmock, &mut found);
        idents(output.builder_style.unwrap(), &mut found);
        // Keywords the generated code never uses as keywords: none may
        // appear at all, and each spec name came out renamed.
        for keyword in [
            "abstract", "become", "box", "do", "final", "gen", "macro", "override", "priv", "try",
            "typeof", "unsized", "virtual", "yield",
        ] {
            assert!(
                !found.contains(keyword),
                "bare `{keyword}` in the generated code"
            );
            assert!(found.contains(&format!("{keyword}_")), "no `{keyword}_`");
        }
        assert!(
            found.iter().all(|ident| !ident.starts_with("r#")),
            "a raw identifier"
        );
        assert!(found.contains("type_") && found.contains("fn_") && found.contains("Gen"));
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
