//! Running progenitor on the normalized document, without ever letting one of
//! its panics (`todo!`, `assert!`, `unwrap` on shapes it does not support)
//! take the xtask down.
//!
//! When generation of the whole document fails, each operation is generated
//! on its own to find the ones at fault; those are skipped with a warning
//! naming their JSON pointer and progenitor's message, and the rest is
//! generated. Only a failure no single operation explains is an error.

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
    match attempt(&document, client_crate_path) {
        Ok((client, httpmock)) => {
            return Ok(ProgenitorOutput {
                client,
                httpmock,
                skipped,
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
    })
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
