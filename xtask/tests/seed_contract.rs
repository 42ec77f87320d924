//! The first endpoint this SDK covered is submit-feedback, as Moveworks'
//! API reference page for it (Beta Conversations API, Messages, "Submit
//! feedback") published it with its own OpenAPI spec;
//! `specs/seed-submit-feedback.openapi.yaml` is that spec. The workspace's
//! `openapi.yaml` must keep the operation and every schema it uses exactly
//! as that page defined them (tags aside), so a future spec that changes
//! them is noticed, not absorbed.

use std::collections::BTreeSet;

use serde_json::Value;
use xtask::codegen::workspace_root;
use xtask::spec_text;

const OPERATION_PATH: &str =
    "/conversations/{conversation_id}/responses/{response_id}/messages/{message_id}/feedback";

fn load(path: std::path::PathBuf) -> Value {
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    spec_text::parse(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The operation without its tags, and every component schema it reaches.
fn contract(spec: &Value) -> (Value, Vec<(String, Value)>) {
    let mut operation = spec["paths"][OPERATION_PATH]["post"].clone();
    assert!(operation.is_object(), "no POST {OPERATION_PATH}");
    operation.as_object_mut().unwrap().remove("tags");

    let mut seen = BTreeSet::new();
    let mut pending = Vec::new();
    collect_refs(&operation, &mut pending);
    while let Some(name) = pending.pop() {
        if seen.insert(name.clone()) {
            collect_refs(&spec["components"]["schemas"][&name], &mut pending);
        }
    }
    let schemas = seen
        .into_iter()
        .map(|name| {
            let schema = spec["components"]["schemas"][&name].clone();
            (name, schema)
        })
        .collect();
    (operation, schemas)
}

fn collect_refs(value: &Value, into: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(reference)) = map.get("$ref")
                && let Some(name) = reference.strip_prefix("#/components/schemas/")
            {
                into.push(name.to_owned());
            }
            map.values().for_each(|v| collect_refs(v, into));
        }
        Value::Array(items) => items.iter().for_each(|v| collect_refs(v, into)),
        _ => {}
    }
}

#[test]
fn openapi_yaml_keeps_the_seed_submit_feedback_contract() {
    let seed = load(
        std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("tests/specs/seed-submit-feedback.openapi.yaml"),
    );
    let current = load(workspace_root().join("openapi.yaml"));
    let (seed_operation, seed_schemas) = contract(&seed);
    let (operation, schemas) = contract(&current);
    assert_eq!(
        operation, seed_operation,
        "openapi.yaml changed the submit-feedback operation its reference page defined"
    );
    assert!(
        seed_schemas.len() >= 7,
        "the seed's schemas were not all found: {seed_schemas:?}"
    );
    let names = |list: &[(String, Value)]| list.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
    assert_eq!(names(&schemas), names(&seed_schemas));
    for ((name, schema), (_, seed_schema)) in schemas.iter().zip(&seed_schemas) {
        assert_eq!(
            schema, seed_schema,
            "openapi.yaml changed schema `{name}` of the submit-feedback operation"
        );
    }
}

#[test]
fn the_contract_check_notices_a_changed_schema() {
    let seed = load(
        std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("tests/specs/seed-submit-feedback.openapi.yaml"),
    );
    let mut edited = seed.clone();
    edited["components"]["schemas"]["SubmitFeedbackRequest"]["required"] =
        serde_json::json!(["callback_id", "additional_feedback"]);
    assert_ne!(contract(&edited).1, contract(&seed).1);
    let mut retagged = seed.clone();
    retagged["paths"][OPERATION_PATH]["post"]["tags"] = serde_json::json!(["other"]);
    assert_eq!(contract(&retagged), contract(&seed));
}
