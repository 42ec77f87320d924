//! Turning an OpenAPI 3.1 document, as Moveworks publishes it, into the
//! OpenAPI 3.0 document progenitor can generate a client from.
//!
//! Each pass is a small function over the JSON tree with its own unit tests.
//! A pass either rewrites the document, records what it did in the
//! [`Report`], or stops the run with a [`NormalizeError`] that names the JSON
//! pointer of the construct it cannot handle.

mod accept_header;
mod ambient_headers;
mod const_keyword;
mod deep_object_parameters;
mod deep_references;
mod enum_values;
mod error_responses;
mod exclusive_bounds;
mod inline_titles;
mod json_schema_keywords;
mod media_schemas;
mod media_types;
mod narrowed_enums;
mod nullable_components;
mod nullable_types;
mod openapi31_keys;
mod openapi_version;
mod operation_ids;
mod parameter_content;
mod path_nullability;
mod path_parameters;
mod path_unions;
mod reachability;
mod ref_siblings;
mod references;
mod response_enums;
mod schema_defaults;
mod schema_examples;
mod schema_merge;
mod schema_patterns;
mod success_range;
mod success_responses;
mod text_bodies;
mod union_variant_names;
mod unsupported_bodies;

use std::fmt;

use serde_json::Value;

pub use accept_header::ACCEPT_EXTENSION;
pub use response_enums::{OPEN_ENUM_EXTENSION, response_types};

/// Header parameters that the `moveworks-ext` layer sets on every request.
/// Left in the spec they would become required arguments of every generated
/// call.
pub const AMBIENT_HEADERS: [&str; 2] = ["Authorization", "Assistant-Name"];

/// For the passes' tests: runs `pass` on a document whose only component
/// schema is `schema`, and gives back the schema and the report.
#[cfg(test)]
fn on_one_schema(
    pass: fn(&mut Value, &mut Report) -> Result<(), NormalizeError>,
    schema: Value,
) -> (Value, Report) {
    let mut doc = serde_json::json!({"components": {"schemas": {"S": schema}}});
    let mut report = Report::default();
    pass(&mut doc, &mut report).expect("the pass succeeds");
    (doc["components"]["schemas"]["S"].take(), report)
}

/// One normalization pass.
struct Pass {
    name: &'static str,
    /// When it must change something; `None` for a pass that rewrites a
    /// construct only some specs have, where changing nothing is normal.
    must: Option<Must>,
    /// Rewrites the document, recording each change in the report.
    run: fn(&mut Value, &mut Report) -> Result<(), NormalizeError>,
}

/// A pass that rewrites a construct only some specs have.
const fn pass(
    name: &'static str,
    run: fn(&mut Value, &mut Report) -> Result<(), NormalizeError>,
) -> Pass {
    Pass {
        name,
        must: None,
        run,
    }
}

/// A condition on the document a pass is given under which it must change
/// something: where it holds and the pass changed nothing, the pass no
/// longer recognizes what it is for, and [`normalize`] fails naming it.
#[derive(Clone, Copy)]
struct Must {
    /// The condition, as the failure states it.
    when: &'static str,
    holds: fn(&Value) -> bool,
}

/// The pipeline, in order. Later passes rely on earlier ones: for example,
/// error responses are unified after `$ref` siblings and nullability are in
/// their 3.0 form.
const PASSES: &[Pass] = &[
    Pass {
        name: "openapi-version",
        must: Some(Must {
            when: "the document is OpenAPI 3.1",
            holds: |document| {
                document
                    .get("openapi")
                    .and_then(Value::as_str)
                    .is_some_and(|version| version.starts_with("3.1."))
            },
        }),
        run: openapi_version::downgrade,
    },
    pass("openapi31-keys", openapi31_keys::drop_31_only_keys),
    pass("references", references::check_local_references),
    pass("deep-references", deep_references::hoist),
    pass("operation-ids", operation_ids::ensure_unique_ids),
    pass("nullable-types", nullable_types::to_nullable),
    pass("const-keyword", const_keyword::const_to_enum),
    pass("schema-examples", schema_examples::examples_to_example),
    pass("exclusive-bounds", exclusive_bounds::to_boolean_bounds),
    pass(
        "json-schema-keywords",
        json_schema_keywords::drop_unsupported,
    ),
    pass("schema-defaults", schema_defaults::drop_nonconforming),
    pass("schema-patterns", schema_patterns::to_ecmascript),
    pass("enum-values", enum_values::make_nameable),
    pass(
        "nullable-components",
        nullable_components::move_null_to_uses,
    ),
    pass("ref-siblings", ref_siblings::wrap_in_all_of),
    pass("union-variant-names", union_variant_names::name_by_tag),
    pass("narrowed-enums", narrowed_enums::standalone),
    Pass {
        name: "ambient-headers",
        must: Some(Must {
            when: "an operation takes an `Authorization` or `Assistant-Name` header",
            holds: |document| {
                let operations = crate::document::operations(document);
                let mut params = operations.iter().flat_map(|op| op.parameters(document));
                params.any(|param| ambient_headers::is_ambient(document, param))
            },
        }),
        run: ambient_headers::strip,
    },
    pass("accept-header", accept_header::fixed_accept),
    pass("path-parameters", path_parameters::match_template),
    pass("path-nullability", path_nullability::not_nullable),
    pass("path-unions", path_unions::to_text),
    pass("parameter-content", parameter_content::to_text),
    pass("deep-object-parameters", deep_object_parameters::to_form),
    pass("media-schemas", media_schemas::fill_missing),
    pass("media-types", media_types::single_request_media_type),
    pass("text-bodies", text_bodies::plain_strings),
    pass("unsupported-bodies", unsupported_bodies::skip),
    pass("error-responses", error_responses::unify),
    pass("success-responses", success_responses::single_type),
    pass("success-range", success_range::any_success_status),
    pass("response-enums", response_enums::open),
    pass("inline-titles", inline_titles::drop_colliding),
];

/// What the passes did: informational notes and warnings about anything
/// lossy, and the operations left out.
#[derive(Debug, Default)]
pub struct Report {
    pub entries: Vec<Entry>,
    pub skipped: Vec<SkippedOperation>,
    pub(crate) current_pass: &'static str,
}

/// An operation the generated client does not have.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkippedOperation {
    pub operation_id: String,
    pub pointer: String,
    pub reason: String,
    /// The pass that left it out, or `progenitor` when generation failed on
    /// it.
    pub by: &'static str,
}

/// One thing a pass did or could not do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub pass: &'static str,
    pub severity: Severity,
    pub pointer: String,
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    /// A faithful rewrite (3.1 syntax to 3.0 syntax, for instance).
    Note,
    /// Something of the published spec that the generated client does not
    /// carry; worth a reviewer's look.
    Warning,
}

impl Report {
    pub fn note(&mut self, pointer: impl Into<String>, message: impl Into<String>) {
        self.push(Severity::Note, pointer.into(), message.into());
    }

    pub fn warn(&mut self, pointer: impl Into<String>, message: impl Into<String>) {
        self.push(Severity::Warning, pointer.into(), message.into());
    }

    /// Records that the operation at `pointer` (already removed) is not
    /// generated, and why.
    pub fn skip(&mut self, pointer: String, operation_id: String, reason: String) {
        self.skipped.push(SkippedOperation {
            operation_id,
            pointer,
            reason,
            by: self.current_pass,
        });
    }

    fn push(&mut self, severity: Severity, pointer: String, message: String) {
        self.entries.push(Entry {
            pass: self.current_pass,
            severity,
            pointer,
            message,
        });
    }

    /// What the `union-variant-names` pass named or inlined, for the
    /// generation report and codegen's summary.
    pub fn union_naming(&self) -> impl Iterator<Item = &Entry> {
        self.entries
            .iter()
            .filter(|e| e.pass == "union-variant-names")
    }

    pub fn warnings(&self) -> impl Iterator<Item = &Entry> {
        self.entries
            .iter()
            .filter(|e| e.severity == Severity::Warning)
    }

    /// How many notes each pass made, in pipeline order (passes that changed
    /// nothing are left out): the faithful rewrites, for the generation
    /// report.
    pub fn note_counts(&self) -> Vec<(&'static str, usize)> {
        PASSES
            .iter()
            .map(|pass| {
                let count = self
                    .entries
                    .iter()
                    .filter(|e| e.pass == pass.name && e.severity == Severity::Note)
                    .count();
                (pass.name, count)
            })
            .filter(|(_, count)| *count > 0)
            .collect()
    }

    /// How many changes each pass made (notes, warnings and operations
    /// left out), in pipeline order.
    pub fn counts(&self) -> Vec<(&'static str, usize)> {
        PASSES
            .iter()
            .map(|pass| (pass.name, self.changes_by(pass.name)))
            .collect()
    }

    fn changes_by(&self, pass: &str) -> usize {
        let entries = self.entries.iter().filter(|e| e.pass == pass).count();
        entries + self.skipped.iter().filter(|s| s.by == pass).count()
    }
}

/// A construct the pipeline cannot turn into something progenitor accepts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NormalizeError {
    pub pass: &'static str,
    pub pointer: String,
    pub message: String,
}

impl NormalizeError {
    pub fn new(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            pass: "",
            pointer: pointer.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for NormalizeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let pointer = if self.pointer.is_empty() {
            "/"
        } else {
            &self.pointer
        };
        write!(f, "{} (at `{pointer}`, pass {})", self.message, self.pass)
    }
}

impl std::error::Error for NormalizeError {}

/// Runs every pass over `document`, in order.
pub fn normalize(document: &mut Value) -> Result<Report, NormalizeError> {
    run(PASSES, document)
}

fn run(passes: &[Pass], document: &mut Value) -> Result<Report, NormalizeError> {
    let mut report = Report::default();
    for pass in passes {
        report.current_pass = pass.name;
        let started = std::time::Instant::now();
        let must = pass.must.as_ref().filter(|must| (must.holds)(document));
        let named = |mut e: NormalizeError| {
            e.pass = pass.name;
            e
        };
        (pass.run)(document, &mut report).map_err(named)?;
        if let Some(must) = must
            && report.changes_by(pass.name) == 0
        {
            let why = format!("changed nothing, though it must when {}", must.when);
            return Err(named(NormalizeError::new("", why)));
        }
        crate::trace::phase(pass.name, started);
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn errors_name_the_pass_and_pointer() {
        let mut doc = json!({"openapi": "2.0"});
        let err = normalize(&mut doc).unwrap_err();
        assert_eq!(err.pass, "openapi-version");
        assert_eq!(err.pointer, "/openapi");
        assert!(
            err.to_string()
                .contains("(at `/openapi`, pass openapi-version)")
        );
    }

    #[test]
    fn a_pass_that_must_change_something_and_changed_nothing_stops_the_run() {
        let mut doc = json!({"openapi": "3.1.0"});
        let idle = Pass {
            name: "idle",
            must: PASSES[0].must,
            run: |_, _| Ok(()),
        };
        let err = run(&[idle], &mut doc).unwrap_err();
        assert_eq!(
            err.to_string(),
            "changed nothing, though it must when the document is OpenAPI 3.1 (at `/`, pass idle)"
        );
        let report = normalize(&mut doc).unwrap();
        assert_eq!(report.counts()[0], ("openapi-version", 1));
        assert_eq!(report.counts().len(), PASSES.len());
    }

    #[test]
    fn pass_names_are_unique() {
        let mut names: Vec<_> = PASSES.iter().map(|p| p.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), PASSES.len());
    }
}
