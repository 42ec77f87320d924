//! The committed generated crates must be exactly what `cargo xtask codegen`
//! produces from `openapi.yaml`: `cargo test --workspace` fails otherwise,
//! with the diff and the command that fixes it.

use std::path::{Path, PathBuf};

use xtask::codegen::{self, Options, Plan, Settings, Target, plan_overlaid, workspace_root};
use xtask::freshness::{compare, describe};
use xtask::overlay::{OVERLAY_FILE, Source};

/// What codegen plans for the workspace at `root` from `spec`, with the
/// workspace's overlay applied as codegen applies it.
fn plan_for(spec: &str, root: &Path) -> Plan {
    let manifest = std::fs::read_to_string(root.join("Cargo.toml")).unwrap();
    let overlay = std::fs::read_to_string(root.join(OVERLAY_FILE)).unwrap();
    plan_overlaid(
        spec,
        Some(Source {
            file_name: OVERLAY_FILE,
            text: &overlay,
        }),
        "openapi.yaml",
        &Target::Workspace {
            root: root.to_path_buf(),
        },
        &manifest,
        Settings::default(),
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

/// A checkout with CRLF line ends (git's `core.autocrlf` on Windows) holds
/// the same generated code: `--check` passes on a copy of the workspace
/// whose every text file has CRLF line ends, and codegen writes nothing.
#[test]
fn check_passes_on_a_crlf_copy_of_the_workspace() {
    let root = workspace_root();
    let copy = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("crlf-workspace");
    let _ = std::fs::remove_dir_all(&copy);
    let mut pending = vec![
        PathBuf::from("openapi.yaml"),
        PathBuf::from(OVERLAY_FILE),
        PathBuf::from("Cargo.toml"),
        PathBuf::from("crates/moveworks-api"),
        PathBuf::from("crates/moveworks-api-httpmock"),
    ];
    let mut converted = 0;
    while let Some(relative) = pending.pop() {
        let from = root.join(&relative);
        if from.is_dir() {
            for entry in std::fs::read_dir(&from).unwrap() {
                let name = entry.unwrap().file_name();
                if name != "target" {
                    pending.push(relative.join(name));
                }
            }
            continue;
        }
        let text = std::fs::read_to_string(&from).unwrap();
        let to = copy.join(&relative);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::write(&to, text.replace('\n', "\r\n")).unwrap();
        converted += 1;
    }
    assert!(converted >= 8, "{converted} files copied");
    let options = |check| Options {
        spec: copy.join("openapi.yaml"),
        target: Target::Workspace { root: copy.clone() },
        check,
        semver: false,
        target_dir: None,
    };
    assert!(codegen::run(&options(true)).unwrap(), "--check found drift");
    let lib = copy.join("crates/moveworks-api/src/lib.rs");
    let before = std::fs::read(&lib).unwrap();
    assert!(codegen::run(&options(false)).unwrap());
    assert_eq!(std::fs::read(&lib).unwrap(), before, "nothing is rewritten");
}
