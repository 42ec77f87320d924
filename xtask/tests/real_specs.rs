//! What the pipeline makes of the five real Moveworks specs in `specs/`:
//! each generates without a panic, skips no operation, and comes out with
//! the shapes the SDK relies on. (`.ci/run` also builds each crate.)

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;
use xtask::change_summary::Changes;
use xtask::codegen::{Options, Plan, Settings, Target, plan, plan_overlaid, workspace_root};
use xtask::overlay;

fn generate(file: &str) -> Plan {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/specs")
        .join(file);
    let spec = std::fs::read_to_string(&path).unwrap();
    let manifest = std::fs::read_to_string(workspace_root().join("Cargo.toml")).unwrap();
    let target = Target::Standalone {
        dir: std::env::temp_dir().join("unused"),
        name: "fixture".to_owned(),
    };
    plan(&spec, file, &target, &manifest).unwrap_or_else(|e| panic!("{file}: {e}"))
}

const SPECS: [(&str, usize); 5] = [
    ("conversations-v1beta1.openapi.yaml", 11),
    ("conversations-assistant-v1.openapi.yaml", 11),
    ("events-v1.openapi.yaml", 4),
    ("data-api.openapi.yaml", 5),
    ("webhook-listeners.openapi.yaml", 1),
];

#[test]
fn every_spec_generates_every_operation() {
    for (file, operations) in SPECS {
        let plan = generate(file);
        assert!(
            plan.skipped.is_empty(),
            "{file}: skipped {:?}",
            plan.skipped
        );
        assert_eq!(plan.code.operation_count, operations, "{file}");
        assert!(
            plan.code.closed_enums.is_empty(),
            "{file}: {:?}",
            plan.code.closed_enums
        );
        // The builder-style run's `types` module agrees with the positional
        // run's apart from the builders (type_builders::adopt checks it).
        assert_eq!(plan.code.builders_missing, None, "{file}");
        let lib = &plan.code.client_lib;
        assert!(
            !lib.contains("\"api-version\""),
            "{file}: api-version header still sent"
        );
        assert_eq!(plan.normalized["openapi"], "3.0.3");
    }
}

#[test]
fn auth_headers_are_not_method_arguments() {
    for (file, _) in SPECS {
        let plan = generate(file);
        for (path, item) in plan.normalized["paths"].as_object().unwrap() {
            for (method, operation) in item.as_object().unwrap() {
                for param in operation
                    .get("parameters")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                {
                    let name = param["name"].as_str().unwrap_or_default();
                    assert!(
                        !name.eq_ignore_ascii_case("authorization")
                            && !name.eq_ignore_ascii_case("assistant-name"),
                        "{file}: {method} {path} still takes {name}"
                    );
                }
            }
        }
    }
}

#[test]
fn conversations_errors_share_one_open_error_type() {
    let plan = generate("conversations-v1beta1.openapi.yaml");
    let lib = &plan.code.client_lib;
    // Every operation's error type is the merged body.
    assert_eq!(
        lib.matches("Error<types::ErrorResponse>").count(),
        11,
        "{lib}"
    );
    let codes = &plan.normalized["components"]["schemas"]["ErrorResponseErrorCode"];
    assert_eq!(codes["x-moveworks-open-enum"], true);
    let codes: Vec<&str> = codes["enum"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    for code in [
        "INVALID_REQUEST",
        "NOT_FOUND",
        "RATE_LIMIT_EXCEEDED",
        "INTERNAL_ERROR",
        "UNAUTHORIZED",
        "FORBIDDEN",
    ] {
        assert!(codes.contains(&code), "{code} missing from {codes:?}");
    }
}

#[test]
fn union_tags_stay_closed_and_other_response_enums_open() {
    let plan = generate("conversations-v1beta1.openapi.yaml");
    let schemas = &plan.normalized["components"]["schemas"];
    assert!(
        schemas["PlainTextContentItemType"]
            .get("x-moveworks-open-enum")
            .is_none()
    );
    for open in [
        "ResponseStatus",
        "ActorType",
        "StreamEventType",
        "SubmitFeedbackResponseStatus",
    ] {
        assert_eq!(schemas[open]["x-moveworks-open-enum"], true, "{open}");
    }
}

#[test]
fn nullable_type_lists_become_options() {
    let plan = generate("conversations-v1beta1.openapi.yaml");
    let next_cursor =
        &plan.normalized["components"]["schemas"]["Metadata"]["properties"]["next_cursor"];
    assert_eq!(next_cursor["nullable"], true);
    assert_eq!(next_cursor["type"], "string");
    assert!(
        plan.code
            .client_lib
            .contains("pub next_cursor: ::std::option::Option<::std::string::String>")
    );
}

#[test]
fn conversations_stream_accept_is_set_by_the_client_and_any_2xx_succeeds() {
    let plan = generate("conversations-v1beta1.openapi.yaml");
    let lib = &plan.code.client_lib;
    assert!(
        lib.contains(r#"accept: Some("text/event-stream")"#),
        "the OPERATIONS table does not fix Accept for the stream"
    );
    let paths = &plan.normalized["paths"];
    let stream = &paths["/conversations/{conversation_id}/responses/stream"]["post"];
    let params = stream["parameters"].as_array().unwrap();
    assert!(
        params.iter().all(|p| p["name"] != "Accept"),
        "Accept is still an argument: {params:?}"
    );
    let create = &paths["/conversations"]["post"]["responses"];
    assert!(
        create["2XX"]["description"]
            .as_str()
            .unwrap()
            .starts_with("201: ")
    );
    assert!(create["2XX"]["content"]["application/json"].is_object());
    let respond = &paths["/conversations/{conversation_id}/responses"]["post"]["responses"];
    assert!(
        respond["2XX"]["description"]
            .as_str()
            .unwrap()
            .starts_with("202: ")
    );
    // The message content union has named variants, not Variant0..2.
    assert!(lib.contains("PlainText {") && lib.contains("MarkdownText {"));
    assert!(!lib.contains("Variant0"));
}

#[test]
fn input_union_variants_are_named_by_what_tells_them_apart() {
    let plan = generate("conversations-assistant-v1.openapi.yaml");
    let lib = &plan.code.client_lib;
    let input = &lib[lib.find("pub enum UserInput {").expect(lib)..];
    let input = &input[..input.find("\n    }").unwrap()];
    // `{"text": ...}` and `{"callback_id": ...}`, once the numbered
    // components UserInput0 and UserInput1 are inlined.
    assert!(
        input.contains("#[serde(rename = \"text\")]\n        Text(::std::string::String),"),
        "{input}"
    );
    assert!(
        input.contains(
            "#[serde(rename = \"callback_id\")]\n        CallbackId(::std::string::String),"
        ),
        "{input}"
    );
    assert!(!lib.contains("UserInput0") && !lib.contains("Input0"));
    assert!(
        plan.normalized["components"]["schemas"]
            .get("UserInput1")
            .is_none()
    );
}

/// Normalizing the normalized document changes nothing: every pass leaves
/// what it produces as it is (a pass that rewrites its own output would
/// drift on each regeneration).
#[test]
fn normalization_is_idempotent_on_every_real_spec() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/specs");
    let mut specs: Vec<PathBuf> = SPECS.iter().map(|(file, _)| dir.join(file)).collect();
    specs.push(dir.join("seed-submit-feedback.openapi.yaml"));
    specs.push(workspace_root().join("openapi.yaml"));
    for path in specs {
        let text = std::fs::read_to_string(&path).unwrap();
        let mut once = xtask::spec_text::parse(&text).unwrap();
        xtask::normalize::normalize(&mut once).unwrap();
        let mut twice = once.clone();
        let report = xtask::normalize::normalize(&mut twice)
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert_eq!(
            xtask::json_pointer::first_difference(&once, &twice),
            None,
            "{}: normalizing again changed the document there; the second run's report: {:#?}",
            path.display(),
            report.entries
        );
    }
}

/// The open unions at run time: a crate generated from the assistant/v1
/// spec and one from a spec whose unions typify makes tagged enums, built
/// with `open_unions/checks.rs`, which decodes kinds the specs do not name
/// (and the recorded `/rest/v1` messages, read where they lie) and writes
/// them back. Builds in a target dir of its own (a minute the first time).
#[test]
fn open_unions_decode_unknown_kinds_and_write_them_back() {
    let here = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests");
    let out = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("open-unions");
    let manifest = std::fs::read_to_string(workspace_root().join("Cargo.toml")).unwrap();
    for (name, spec) in [
        (
            "v1",
            here.join("specs/conversations-assistant-v1.openapi.yaml"),
        ),
        ("tagged", here.join("open_unions/tagged.openapi.yaml")),
    ] {
        let target = Target::Member {
            dir: out.join(name),
            name: name.to_owned(),
        };
        let text = std::fs::read_to_string(&spec).unwrap();
        let plan = plan(&text, name, &target, &manifest).unwrap();
        assert!(
            plan.code.closed_unions.is_empty(),
            "{name}: {:?}",
            plan.code.closed_unions
        );
        for file in &plan.files {
            write(&file.path, &file.contents);
        }
    }
    write(
        &out.join("Cargo.toml"),
        "[workspace]\nresolver = \"3\"\nmembers = [\"v1\", \"tagged\", \"checks\"]\n\n\
         [profile.dev]\ndebug = false\n",
    );
    write(
        &out.join("checks/Cargo.toml"),
        "[package]\nname = \"checks\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
         [dependencies]\nv1 = { path = \"../v1\", default-features = false }\n\
         tagged = { path = \"../tagged\", default-features = false }\n\
         serde = \"1\"\nserde_json = \"1\"\n",
    );
    write(&out.join("checks/src/lib.rs"), "");
    write(
        &out.join("checks/tests/checks.rs"),
        include_str!("open_unions/checks.rs"),
    );
    if !out.join("Cargo.lock").exists() {
        std::fs::copy(workspace_root().join("Cargo.lock"), out.join("Cargo.lock")).unwrap();
    }
    let payloads = workspace_root().join("../shared/specs/moveworks/payloads");
    assert!(
        payloads.is_dir(),
        "the recorded messages are not at {} (the shared specs beside the project)",
        payloads.display()
    );
    let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()))
        .args(["test", "--quiet", "-p", "checks", "--manifest-path"])
        .arg(out.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", out.join("target"))
        .env("MOVEWORKS_PAYLOADS_DIR", &payloads)
        .output()
        .unwrap();
    let report = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(output.status.success(), "{report}");
    assert!(report.contains("7 passed"), "{report}");
}

fn write(path: &Path, contents: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    // Unchanged files keep their time stamps, so cargo rebuilds nothing.
    if std::fs::read_to_string(path).ok().as_deref() != Some(contents) {
        std::fs::write(path, contents).unwrap();
    }
}

fn assistant_v1_with_overlay(overlay_text: &str) -> Result<Plan, String> {
    let spec = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/specs/conversations-assistant-v1.openapi.yaml");
    let manifest = std::fs::read_to_string(workspace_root().join("Cargo.toml")).unwrap();
    let target = Target::Standalone {
        dir: std::env::temp_dir().join("unused"),
        name: "fixture".to_owned(),
    };
    plan_overlaid(
        &std::fs::read_to_string(spec).unwrap(),
        Some(overlay::Source {
            file_name: "assistant-v1.overlay.yaml",
            text: overlay_text,
        }),
        "conversations-assistant-v1.openapi.yaml",
        &target,
        &manifest,
        Settings::default(),
    )
}

const TEST_OVERLAY: &str = include_str!("overlay/assistant-v1.overlay.yaml");

/// The overlay is applied before the normalization: the client, the
/// normalized document (and so the change summary, which compares those)
/// and the report all see the spec with it.
#[test]
fn the_overlay_is_part_of_the_spec_the_client_and_the_summary_see() {
    let without = generate("conversations-assistant-v1.openapi.yaml");
    let with = assistant_v1_with_overlay(TEST_OVERLAY).unwrap();
    let applied = &with.overlay.as_ref().unwrap().actions;
    let nodes: Vec<(&str, usize)> = applied.iter().map(|a| (a.kind, a.nodes)).collect();
    assert_eq!(
        nodes,
        [("update", 1), ("remove", 4), ("update", 1), ("update", 1)]
    );

    let schemas = &with.normalized["components"]["schemas"];
    assert_eq!(
        schemas["ActorType"]["enum"],
        serde_json::json!(["USER", "ASSISTANT", "LIVE_AGENT"])
    );
    assert_eq!(
        schemas["Event"]["required"],
        serde_json::json!(["event_id", "conversation_id", "event_payload"])
    );
    let lib = &with.code.client_lib;
    assert!(
        lib.contains("Self::LiveAgent => \"LIVE_AGENT\""),
        "no LIVE_AGENT"
    );
    assert!(
        lib.contains(
            "pub created_at: ::std::option::Option<::chrono::DateTime<::chrono::offset::Utc>>"
        ),
        "created_at is still required"
    );

    let changes = Changes::between(Some(&without.normalized), &with.normalized, "test");
    assert_eq!(changes.types.changed, ["ActorType", "Event"]);
    assert_eq!(changes.operations.changed, ["list-conversation-messages"]);

    let copy = with
        .files
        .iter()
        .find(|f| f.path.ends_with("openapi/openapi.overlay.yaml"))
        .expect("the crate keeps a copy of the overlay");
    assert_eq!(copy.contents, TEST_OVERLAY);
    let report = with
        .files
        .iter()
        .find(|f| f.path.ends_with("openapi/report.md"))
        .unwrap();
    assert!(
        report.contents.contains(
            "- The overlay `assistant-v1.overlay.yaml` (\"Test overlay\", version 1) was applied"
        ),
        "{}",
        report.contents
    );
    assert!(
        report
            .contents
            .contains("| 2 | `$.components.schemas.Event.required[*]` | remove | 4 |"),
        "{}",
        report.contents
    );
}

#[test]
fn an_overlay_action_that_selects_nothing_fails_the_generation() {
    let stale = TEST_OVERLAY.replace("schemas.ActorType", "schemas.ActorKind");
    let err = assistant_v1_with_overlay(&stale).err().unwrap();
    assert_eq!(
        err,
        "conversations-assistant-v1.openapi.yaml: assistant-v1.overlay.yaml: action 1 (A human \
         agent can answer (test).): target `$.components.schemas.ActorKind` selects nothing in \
         the spec"
    );
}

/// `cargo xtask codegen --spec S` applies the overlay beside S and prints
/// each action.
#[test]
fn codegen_applies_the_overlay_beside_the_spec_and_prints_each_action() {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("overlay-beside");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let spec = dir.join("assistant.openapi.yaml");
    std::fs::copy(
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("tests/specs/conversations-assistant-v1.openapi.yaml"),
        &spec,
    )
    .unwrap();
    std::fs::write(dir.join("assistant.openapi.overlay.yaml"), TEST_OVERLAY).unwrap();
    let options = Options {
        spec,
        target: Target::Standalone {
            dir: dir.join("crate"),
            name: "assistant".to_owned(),
        },
        check: false,
        semver: false,
        target_dir: None,
    };
    let mut out = Vec::new();
    assert!(xtask::codegen::run_to(&options, &mut out).unwrap());
    let out = String::from_utf8(out).unwrap();
    assert!(
        out.contains(
            "  overlay: assistant.openapi.overlay.yaml (\"Test overlay\", version 1): 4 action(s) \
             applied before the normalization\n    1. update `$.components.schemas.ActorType` \
             (1 node(s)): A human agent can answer (test).\n    2. remove"
        ),
        "{out}"
    );
    assert!(dir.join("crate/openapi/openapi.overlay.yaml").exists());
}
