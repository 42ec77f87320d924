//! The committed generated crates must be exactly what `cargo xtask codegen`
//! produces from `openapi.yaml`: `cargo test --workspace` fails otherwise,
//! with the diff and the command that fixes it.

use std::path::Path;

use xtask::codegen::{Plan, Target, plan, workspace_root};
use xtask::freshness::{compare, describe};

fn plan_for(spec: &str, root: &Path) -> Plan {
    let manifest = std::fs::read_to_string(root.join("Cargo.toml")).unwrap();
    plan(
        spec,
        "openapi.yaml",
        &Target::Workspace {
            root: root.to_path_buf(),
        },
        &manifest,
    )
    .unwrap()
}

#[test]
fn committed_generated_crates_match_openapi_yaml() {
    let root = workspace_root();
    let spec = std::fs::read_to_string(root.join("openapi.yaml")).unwrap();
    let plan = plan_for(&spec, &root);
    let drift = compare(&plan.files, &plan.owned_dirs);
    assert!(
        drift.is_empty(),
        "{}\ngenerated code is stale: run `cargo xtask codegen` and commit the result",
        describe(&drift, &root)
    );
}

#[test]
fn an_edited_description_is_reported_as_drift() {
    let root = workspace_root();
    let spec = std::fs::read_to_string(root.join("openapi.yaml")).unwrap();
    let edited = spec.replace("Feedback submission status", "Feedback submission state");
    assert_ne!(edited, spec, "the fixture text must occur in openapi.yaml");

    let plan = plan_for(&edited, &root);
    let drift = compare(&plan.files, &plan.owned_dirs);

    let changed: Vec<String> = drift
        .iter()
        .map(|d| d.path().strip_prefix(&root).unwrap().display().to_string())
        .collect();
    assert!(
        changed.contains(&"crates/moveworks-api/src/lib.rs".to_owned()),
        "{changed:?}"
    );
    assert!(
        changed.contains(&"crates/moveworks-api/openapi/openapi.yaml".to_owned()),
        "{changed:?}"
    );
    assert!(
        changed.contains(&"crates/moveworks-api/openapi/normalized.json".to_owned()),
        "{changed:?}"
    );
    let text = describe(&drift, &root);
    assert!(
        text.contains("+    /// Feedback submission state"),
        "{text}"
    );
}

#[test]
fn generation_is_deterministic() {
    let root = workspace_root();
    let spec = std::fs::read_to_string(root.join("openapi.yaml")).unwrap();
    let first = plan_for(&spec, &root).files;
    let second = plan_for(&spec, &root).files;
    assert_eq!(first, second);
}
