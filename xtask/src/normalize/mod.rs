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
    run: fn(&mut Value, &mut Report) -> Result<(), NormalizeError>,
}

/// The pipeline, in order. Later passes rely on earlier ones: for example,
/// error responses are unified after `$ref` siblings and nullability are in
/// their 3.0 form.
const PASSES: &[Pass] = &[
    Pass {
        name: "openapi-version",
        run: openapi_version::downgrade,
    },
    Pass {
        name: "openapi31-keys",
        run: openapi31_keys::drop_31_only_keys,
    },
    Pass {
        name: "references",
        run: references::check_local_references,
    },
    Pass {
        name: "deep-references",
        run: deep_references::hoist,
    },
    Pass {
        name: "operation-ids",
        run: operation_ids::ensure_unique_ids,
    },
    Pass {
        name: "nullable-types",
        run: nullable_types::to_nullable,
    },
    Pass {
        name: "const-keyword",
        run: const_keyword::const_to_enum,
    },
    Pass {
        name: "schema-examples",
        run: schema_examples::examples_to_example,
    },
    Pass {
        name: "exclusive-bounds",
        run: exclusive_bounds::to_boolean_bounds,
    },
    Pass {
        name: "json-schema-keywords",
        run: json_schema_keywords::drop_unsupported,
    },
    Pass {
        name: "schema-defaults",
        run: schema_defaults::drop_nonconforming,
    },
    Pass {
        name: "schema-patterns",
        run: schema_patterns::to_ecmascript,
    },
    Pass {
        name: "enum-values",
        run: enum_values::make_nameable,
    },
    Pass {
        name: "nullable-components",
        run: nullable_components::move_null_to_uses,
    },
    Pass {
        name: "ref-siblings",
        run: ref_siblings::wrap_in_all_of,
    },
    Pass {
        name: "union-variant-names",
        run: union_variant_names::name_by_tag,
    },
    Pass {
        name: "narrowed-enums",
        run: narrowed_enums::standalone,
    },
    Pass {
        name: "ambient-headers",
        run: ambient_headers::strip,
    },
    Pass {
        name: "accept-header",
        run: accept_header::fixed_accept,
    },
    Pass {
        name: "path-parameters",
        run: path_parameters::match_template,
    },
    Pass {
        name: "path-nullability",
        run: path_nullability::not_nullable,
    },
    Pass {
        name: "path-unions",
        run: path_unions::to_text,
    },
    Pass {
        name: "parameter-content",
        run: parameter_content::to_text,
    },
    Pass {
        name: "deep-object-parameters",
        run: deep_object_parameters::to_form,
    },
    Pass {
        name: "media-schemas",
        run: media_schemas::fill_missing,
    },
    Pass {
        name: "media-types",
        run: media_types::single_request_media_type,
    },
    Pass {
        name: "text-bodies",
        run: text_bodies::plain_strings,
    },
    Pass {
        name: "unsupported-bodies",
        run: unsupported_bodies::skip,
    },
    Pass {
        name: "error-responses",
        run: error_responses::unify,
    },
    Pass {
        name: "success-responses",
        run: success_responses::single_type,
    },
    Pass {
        name: "success-range",
        run: success_range::any_success_status,
    },
    Pass {
        name: "response-enums",
        run: response_enums::open,
    },
    Pass {
        name: "inline-titles",
        run: inline_titles::drop_colliding,
    },
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
    /// nothing are left out).
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
    let mut report = Report::default();
    for pass in PASSES {
        report.current_pass = pass.name;
        let started = std::time::Instant::now();
        (pass.run)(document, &mut report).map_err(|mut e| {
            e.pass = pass.name;
            e
        })?;
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
    fn pass_names_are_unique() {
        let mut names: Vec<_> = PASSES.iter().map(|p| p.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), PASSES.len());
    }
}
