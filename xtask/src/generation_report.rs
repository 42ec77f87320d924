//! `openapi/report.md` beside a generated crate: everything of the
//! published spec that the generated client does not carry as published:
//! each operation left out, each schema made untyped or stripped of its
//! defaults, each enum left closed, each lossy normalization. It is
//! committed and under the freshness check, so a review diff shows what a
//! new spec (or generator) loses that the previous one did not.

use std::fmt::Write as _;

use crate::generate::rust_code::RustCode;
use crate::normalize::{Report, SkippedOperation};
use crate::overlay;

/// What one generation gave up, as the report lists it.
pub struct Losses<'a> {
    /// The spec file's name.
    pub spec_file: &'a str,
    /// The generated crate.
    pub crate_name: &'a str,
    /// The first line of every generated file.
    pub marker: &'a str,
    pub report: &'a Report,
    pub code: &'a RustCode,
    /// What the overlay applied to the spec, if there is one.
    pub overlay: Option<&'a overlay::Outcome>,
}

impl Losses<'_> {
    /// Every operation left out: by a normalization pass, then by the
    /// generator after progenitor failed on it.
    pub fn skipped(&self) -> impl Iterator<Item = &SkippedOperation> {
        self.report.skipped.iter().chain(&self.code.skipped)
    }

    pub fn render(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "<!-- {} -->", self.marker.trim_start_matches("// "));
        let _ = writeln!(out, "# Generation report: `{}`\n", self.crate_name);
        let _ = writeln!(
            out,
            "What the generator did not carry over from `{}` as published. \
             `normalized.json` beside this file is the document progenitor read.\n",
            self.spec_file
        );
        let _ = writeln!(
            out,
            "- {} operation(s) generated, {} left out; {} type(s).",
            self.code.operation_count,
            self.skipped().count(),
            self.code.type_count
        );
        if let Some(overlay) = self.overlay {
            let _ = writeln!(
                out,
                "- The overlay `{}` (\"{}\", version {}) was applied to the spec before the \
                 normalization: {} action(s), listed below; `{}` beside this file is a copy.",
                overlay.file_name,
                overlay.title.replace('\n', " "),
                overlay.version,
                overlay.actions.len(),
                overlay::OVERLAY_FILE
            );
        }
        let _ = writeln!(
            out,
            "- {} union(s) the client decodes are open: a kind the spec does not name \
             decodes as their `Unknown` variant, with its JSON{}",
            self.code.open_unions.len(),
            if self.code.open_unions.is_empty() {
                ".".to_owned()
            } else {
                let names: Vec<String> = self.code.open_unions.iter().map(|n| code(n)).collect();
                format!(": {}.", names.join(", "))
            }
        );

        if let Some(overlay) = self.overlay {
            section(
                &mut out,
                "Overlay actions",
                &["#", "target", "change", "nodes", "why"],
                overlay
                    .actions
                    .iter()
                    .enumerate()
                    .map(|(i, a)| {
                        vec![
                            (i + 1).to_string(),
                            code(&a.target),
                            a.kind.to_owned(),
                            a.nodes.to_string(),
                            cell(&a.description),
                        ]
                    })
                    .collect(),
            );
        }
        section(
            &mut out,
            "Operations left out",
            &["operation", "at", "by", "why"],
            self.skipped()
                .map(|s| {
                    vec![
                        code(&s.operation_id),
                        code(&s.pointer),
                        s.by.to_owned(),
                        cell(&s.reason),
                    ]
                })
                .collect(),
        );
        let untyped = |kept_type: bool| -> Vec<Vec<String>> {
            self.code
                .untyped
                .iter()
                .filter(|u| u.kept_type == kept_type)
                .map(|u| vec![code(&u.pointer), cell(&u.reason)])
                .collect()
        };
        section(
            &mut out,
            "Schemas generated as untyped JSON values",
            &["at", "why typify refused it"],
            untyped(false),
        );
        section(
            &mut out,
            "Defaults dropped so that the schema keeps its type",
            &["at", "why typify refused it"],
            untyped(true),
        );
        section(
            &mut out,
            "Enums left closed (an unknown value fails to decode)",
            &["type"],
            self.code
                .closed_enums
                .iter()
                .map(|name| vec![code(name)])
                .collect(),
        );
        section(
            &mut out,
            "Unions left closed (a kind the spec does not name fails to decode)",
            &["type", "why"],
            self.code
                .closed_unions
                .iter()
                .map(|(name, why)| vec![code(name), cell(why)])
                .collect(),
        );
        section(
            &mut out,
            "Types without builders",
            &["why"],
            self.code
                .builders_missing
                .iter()
                .map(|why| vec![cell(why)])
                .collect(),
        );
        section(
            &mut out,
            "Lossy normalization",
            &["pass", "at", "what"],
            self.report
                .warnings()
                .map(|w| vec![w.pass.to_owned(), code(&w.pointer), cell(&w.message)])
                .collect(),
        );
        section(
            &mut out,
            "Union variants named (not `Variant0`, `Variant1`)",
            &["at", "what"],
            self.report
                .union_naming()
                .map(|e| vec![code(&e.pointer), cell(&e.message)])
                .collect(),
        );
        section(
            &mut out,
            "Faithful rewrites, by pass",
            &["pass", "places"],
            self.report
                .note_counts()
                .into_iter()
                .map(|(pass, n)| vec![pass.to_owned(), n.to_string()])
                .collect(),
        );
        out
    }
}

/// A `## title` section: a table of `rows`, or "None."
fn section(out: &mut String, title: &str, header: &[&str], rows: Vec<Vec<String>>) {
    let _ = writeln!(out, "\n## {title}\n");
    if rows.is_empty() {
        out.push_str("None.\n");
        return;
    }
    let _ = writeln!(out, "| {} |", header.join(" | "));
    let _ = writeln!(out, "|{}", "---|".repeat(header.len()));
    for row in rows {
        let _ = writeln!(out, "| {} |", row.join(" | "));
    }
}

/// One line of `text`, safe inside a table cell.
fn cell(text: &str) -> String {
    text.lines()
        .next()
        .unwrap_or_default()
        .replace('|', "\\|")
        .trim()
        .to_owned()
}

/// `text` as inline code inside a table cell (an empty pointer is the
/// whole document, `/`).
fn code(text: &str) -> String {
    let text = if text.is_empty() { "/" } else { text };
    format!("`{}`", text.replace('|', "\\|").replace('`', "'"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::fallbacks::UntypedSchema;

    fn code_with(untyped: Vec<UntypedSchema>) -> RustCode {
        RustCode {
            client_lib: String::new(),
            client_call: String::new(),
            httpmock_lib: String::new(),
            crates_used: Default::default(),
            document: serde_json::json!({}),
            skipped: vec![SkippedOperation {
                operation_id: "odd".to_owned(),
                pointer: "/paths/~1odd/get".to_owned(),
                reason: "progenitor panicked: a | b\nsecond line".to_owned(),
                by: "progenitor",
            }],
            progenitor_runs: 9,
            untyped,
            closed_enums: vec!["Status".to_owned()],
            open_unions: vec!["Content".to_owned(), "OutputItem".to_owned()],
            closed_unions: vec![(
                "Shape".to_owned(),
                "serde attribute `rename_all`".to_owned(),
            )],
            builders_missing: None,
            rewrites: Vec::new(),
            operation_count: 3,
            type_count: 7,
        }
    }

    #[test]
    fn lists_every_loss_with_its_pointer() {
        let mut report = Report::default();
        report.skip(
            "/paths/~1upload/post".to_owned(),
            "upload".to_owned(),
            "no client method for a `multipart/form-data` request body".to_owned(),
        );
        report.warn("/components/schemas/A", "pattern dropped");
        report.note("/x", "faithful");
        report.current_pass = "union-variant-names";
        report.note(
            "/components/schemas/U/oneOf",
            "inline variants named: Text, CallbackId",
        );
        let code = code_with(vec![
            UntypedSchema {
                pointer: "/components/schemas/Bad".to_owned(),
                reason: "regex".to_owned(),
                kept_type: false,
            },
            UntypedSchema {
                pointer: "/components/schemas/Dflt".to_owned(),
                reason: "default".to_owned(),
                kept_type: true,
            },
        ]);
        let losses = Losses {
            spec_file: "openapi.yaml",
            crate_name: "moveworks-api",
            marker: "// @generated by test",
            report: &report,
            code: &code,
            overlay: None,
        };
        let text = losses.render();
        assert!(text.starts_with("<!-- @generated by test -->\n"), "{text}");
        assert!(
            text.contains("- 3 operation(s) generated, 2 left out; 7 type(s)."),
            "{text}"
        );
        assert!(
            text.contains("| `upload` | `/paths/~1upload/post` |  | no client method for a `multipart/form-data` request body |"),
            "{text}"
        );
        assert!(
            text.contains(
                "| `odd` | `/paths/~1odd/get` | progenitor | progenitor panicked: a \\| b |"
            ),
            "{text}"
        );
        assert!(text.contains("untyped JSON values\n\n| at | why typify refused it |\n|---|---|\n| `/components/schemas/Bad` | regex |"), "{text}");
        assert!(text.contains("keeps its type\n\n| at | why typify refused it |\n|---|---|\n| `/components/schemas/Dflt` | default |"), "{text}");
        assert!(text.contains("| `Status` |"), "{text}");
        assert!(
            text.contains(
                "- 2 union(s) the client decodes are open: a kind the spec does not name \
                 decodes as their `Unknown` variant, with its JSON: `Content`, `OutputItem`."
            ),
            "{text}"
        );
        assert!(
            text.contains("| `Shape` | serde attribute `rename_all` |"),
            "{text}"
        );
        assert!(
            text.contains("## Types without builders\n\nNone.\n"),
            "{text}"
        );
        assert!(
            text.contains("| `/components/schemas/A` | pattern dropped |"),
            "{text}"
        );
        assert!(!text.contains("second line"), "{text}");
        assert!(!text.contains("overlay"), "{text}");
        let overlay = overlay::Outcome {
            file_name: "openapi.overlay.yaml".to_owned(),
            title: "What the docs say".to_owned(),
            version: "3".to_owned(),
            actions: vec![overlay::Applied {
                target: "$.components.schemas.ActorType".to_owned(),
                kind: "update",
                nodes: 1,
                description: "LIVE_AGENT (the API reference, messages page)\nmore".to_owned(),
            }],
        };
        let losses = Losses {
            overlay: Some(&overlay),
            ..losses
        };
        let text = losses.render();
        assert!(
            text.contains(
                "- The overlay `openapi.overlay.yaml` (\"What the docs say\", version 3) was \
                 applied to the spec before the normalization: 1 action(s), listed below; \
                 `openapi.overlay.yaml` beside this file is a copy.\n"
            ),
            "{text}"
        );
        assert!(
            text.contains(
                "## Overlay actions\n\n| # | target | change | nodes | why |\n|---|---|---|---|---|\n\
                 | 1 | `$.components.schemas.ActorType` | update | 1 | LIVE_AGENT (the API \
                 reference, messages page) |\n"
            ),
            "{text}"
        );
        assert!(
            text.contains(
                "## Union variants named (not `Variant0`, `Variant1`)\n\n| at | what |\n|---|---|\n\
                 | `/components/schemas/U/oneOf` | inline variants named: Text, CallbackId |\n"
            ),
            "{text}"
        );
    }
}
