//! The semver verdict on real edits of the Moveworks spec: each edit is
//! generated into a crate of its own and judged by cargo-semver-checks
//! against the crate generated from the unedited spec.
//!
//! They need the pinned cargo-semver-checks, so they are ignored by default
//! (libtest would hide a note that they did not run) and CI runs them
//! (`cargo test -p xtask --test semver_verdict -- --ignored`); run without
//! the tool, they fail with the command that installs it.

use std::path::{Path, PathBuf};

use serde_json::{Value, json};
use xtask::codegen::{self, Options, Target};
use xtask::semver::{Baseline, Bump, Subject, Verdict, judge, tool};

const CRATE: &str = "moveworks-api";

fn work_dir() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("semver-verdict")
}

/// Fails, saying how to install it, when the pinned tool is missing.
fn require_tool() {
    if let Err(why) = tool::require() {
        panic!("{why} (or `cargo xtask semver install`)");
    }
}

fn spec() -> Value {
    let text = std::fs::read_to_string(codegen::workspace_root().join("openapi.yaml")).unwrap();
    xtask::spec_text::parse(&text).unwrap()
}

fn generate(name: &str, document: &Value) -> PathBuf {
    let dir = work_dir().join(name);
    let spec = work_dir().join(format!("{name}.openapi.json"));
    std::fs::create_dir_all(work_dir()).unwrap();
    std::fs::write(&spec, serde_json::to_string_pretty(document).unwrap()).unwrap();
    let options = Options {
        spec,
        target: Target::Standalone {
            dir: dir.clone(),
            name: CRATE.to_owned(),
        },
        check: false,
        semver: false,
        target_dir: None,
    };
    assert!(codegen::run(&options).unwrap());
    dir
}

/// Judges `edit` of the spec against the unedited spec, one at a time: the
/// runs share a target dir, where both crates are documented under one
/// name. A file lock, not a mutex, because nextest runs each test in a
/// process of its own; the base crate is generated in the turn too (it is
/// rewritten only if it differs).
fn verdict(name: &str, edit: impl FnOnce(&mut Value)) -> Verdict {
    std::fs::create_dir_all(work_dir()).unwrap();
    let turn = std::fs::File::create(work_dir().join("turn.lock")).unwrap();
    turn.lock().unwrap();
    let base = &generate("base", &spec());
    let mut document = spec();
    edit(&mut document);
    let dir = generate(name, &document);
    let verdict = judge(&Subject {
        package: CRATE.to_owned(),
        manifest: dir.join("Cargo.toml"),
        crate_dir: dir,
        baseline: Baseline::Dir(base.clone()),
        target_dir: Some(work_dir().join("target")),
    })
    .unwrap();
    println!("{verdict}");
    verdict
}

fn names(verdict: &Verdict, lint: &str) -> Vec<String> {
    verdict
        .findings
        .iter()
        .filter(|f| f.lint == lint)
        .flat_map(|f| f.items.iter())
        .map(|item| xtask::semver::report::item_name(item).to_owned())
        .collect()
}

fn assert_minor(verdict: &Verdict) {
    assert_eq!(verdict.bump, Bump::Minor, "{verdict}");
    assert_eq!(verdict.breaking().count(), 0, "{verdict}");
    assert_eq!(verdict.next_version().as_deref(), Some("0.1.1"));
}

#[test]
#[ignore = "needs cargo-semver-checks 0.51.0 (`cargo xtask semver install`); CI runs it"]
fn an_optional_response_field_is_minor() {
    require_tool();
    let v = verdict("optional-response-field", |spec| {
        spec["components"]["schemas"]["Conversation"]["properties"]["language"] =
            json!({"type": "string", "description": "The conversation's language"});
    });
    assert_minor(&v);
    // The builder gained a setter for it.
    assert!(
        names(&v, "inherent_method_added").contains(&"Conversation::language".to_owned()),
        "{v}"
    );
}

#[test]
#[ignore = "needs cargo-semver-checks 0.51.0 (`cargo xtask semver install`); CI runs it"]
fn a_new_enum_value_is_minor() {
    require_tool();
    let v = verdict("new-enum-value", |spec| {
        let values = spec["components"]["schemas"]["ResponseStatus"]["enum"]
            .as_array_mut()
            .unwrap();
        values.insert(1, json!("CANCELLED"));
    });
    assert_minor(&v);
}

#[test]
#[ignore = "needs cargo-semver-checks 0.51.0 (`cargo xtask semver install`); CI runs it"]
fn a_new_operation_is_minor() {
    require_tool();
    let v = verdict("new-operation", |spec| {
        let mut operation = spec["paths"]["/conversations/{conversation_id}"]["get"].clone();
        operation["operationId"] = json!("get-conversation-summary");
        spec["paths"]["/conversations/{conversation_id}/summary"] = json!({"get": operation});
    });
    assert_minor(&v);
    assert!(
        names(&v, "inherent_method_added").contains(&"Client::get_conversation_summary".to_owned()),
        "{v}"
    );
}

#[test]
#[ignore = "needs cargo-semver-checks 0.51.0 (`cargo xtask semver install`); CI runs it"]
fn a_removed_operation_is_breaking_and_named() {
    require_tool();
    let v = verdict("removed-operation", |spec| {
        let path = "/conversations/{conversation_id}/responses/{response_id}/messages/{message_id}/feedback";
        spec["paths"].as_object_mut().unwrap().remove(path);
    });
    assert_eq!(v.bump, Bump::Major, "{v}");
    assert_eq!(v.next_version().as_deref(), Some("0.2.0"));
    assert!(
        names(&v, "inherent_method_missing").contains(&"Client::submit_feedback".to_owned()),
        "{v}"
    );
}

#[test]
#[ignore = "needs cargo-semver-checks 0.51.0 (`cargo xtask semver install`); CI runs it"]
fn a_renamed_field_is_breaking_and_named() {
    require_tool();
    let v = verdict("renamed-field", |spec| {
        let update = &mut spec["components"]["schemas"]["UpdateConversationRequest"];
        let title = update["properties"]
            .as_object_mut()
            .unwrap()
            .shift_remove("title")
            .unwrap();
        update["properties"]["name"] = title;
    });
    assert_eq!(v.bump, Bump::Major, "{v}");
    let missing_fields = names(&v, "struct_pub_field_missing");
    assert!(
        missing_fields
            .iter()
            .any(|n| n.contains("UpdateConversationRequest") && n.contains("title")),
        "{v}"
    );
}

#[test]
#[ignore = "needs cargo-semver-checks 0.51.0 (`cargo xtask semver install`); CI runs it"]
fn a_newly_required_request_field_is_breaking_and_named() {
    require_tool();
    let v = verdict("required-request-field", |spec| {
        spec["components"]["schemas"]["SubmitFeedbackRequest"]["required"] =
            json!(["callback_id", "additional_feedback"]);
    });
    assert_eq!(v.bump, Bump::Major, "{v}");
    let changed = names(&v, "method_parameter_count_changed");
    assert!(
        changed
            .iter()
            .any(|n| n.contains("SubmitFeedbackRequest::new")),
        "{v}"
    );
}
