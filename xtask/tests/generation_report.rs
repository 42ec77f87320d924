//! `openapi/report.md` lists what a generation left out, and
//! `openapi/normalized.json` is the document progenitor read: a small spec
//! with a multipart upload (which progenitor has no method for) and a
//! schema typify cannot convert (an object with a `format`, as a public
//! spec of the corpus has).

use serde_json::Value;
use xtask::codegen::{Plan, Target, plan, workspace_root};

const SPEC: &str = r#"
openapi: 3.1.0
info: {title: Uploads, version: "1"}
paths:
  /files:
    get:
      operationId: list-files
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/File'}
  /upload:
    post:
      operationId: upload-file
      requestBody:
        content:
          multipart/form-data:
            schema:
              type: object
              properties:
                file: {type: string, format: binary}
      responses:
        '204': {description: uploaded}
components:
  schemas:
    File:
      type: object
      properties:
        name: {type: string}
        checksum: {$ref: '#/components/schemas/Checksum'}
    Checksum:
      description: An object with a format, which typify refuses.
      type: object
      format: object
"#;

fn generate() -> Plan {
    let manifest = std::fs::read_to_string(workspace_root().join("Cargo.toml")).unwrap();
    let target = Target::Standalone {
        dir: std::env::temp_dir().join("xtask-generation-report"),
        name: "uploads".to_owned(),
    };
    plan(SPEC, "uploads.yaml", &target, &manifest).unwrap()
}

fn file<'a>(plan: &'a Plan, name: &str) -> &'a str {
    plan.files
        .iter()
        .find(|f| f.path.ends_with(name))
        .map(|f| f.contents.as_str())
        .unwrap_or_else(|| panic!("no {name} generated"))
}

#[test]
fn the_report_lists_the_skipped_multipart_operation_with_its_pointer() {
    let plan = generate();
    let report = file(&plan, "openapi/report.md");
    assert!(
        report.contains(
            "| `upload-file` | `/paths/~1upload/post` | unsupported-bodies | progenitor 0.15 has no \
             client method for a `multipart/form-data` request body |"
        ),
        "{report}"
    );
    assert!(
        report.contains("- 1 operation(s) generated, 1 left out;"),
        "{report}"
    );
    assert!(
        report.contains("untyped JSON values\n\n| at | why typify refused it |\n|---|---|\n| `/components/schemas/Checksum` |"),
        "{report}"
    );
    assert_eq!(plan.skipped.len(), 1);
    assert!(!plan.code.client_lib.contains("upload_file"));
}

#[test]
fn normalized_json_is_what_progenitor_read() {
    let plan = generate();
    let normalized: Value = serde_json::from_str(file(&plan, "openapi/normalized.json")).unwrap();
    assert_eq!(normalized, plan.normalized);
    let paths: Vec<&String> = normalized["paths"].as_object().unwrap().keys().collect();
    assert_eq!(paths, ["/files"], "the skipped operation is not in it");
    assert_eq!(
        normalized["components"]["schemas"]["Checksum"],
        serde_json::json!({"description": "An object with a format, which typify refuses."}),
        "the schema progenitor read is the untyped one"
    );
}
