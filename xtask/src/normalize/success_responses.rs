//! progenitor gives each operation one success type and panics when 2xx
//! responses differ. Differing JSON bodies become one `anyOf` component
//! (`<OperationId>Success`), decoded by trying each in document order.
//! When some 2xx responses have a body and others none, the body-less ones
//! are removed with a warning: the generated client then returns them as
//! `Error::UnexpectedResponse` whose status is a success.

use serde_json::{Value, json};

use super::error_responses::{free_name, insert_schema};
use super::{NormalizeError, Report};
use crate::document::operations_as_written;
use crate::json_pointer::{join, schema_ref};

pub fn single_type(document: &mut Value, report: &mut Report) -> Result<(), NormalizeError> {
    // Plan with the document read-only, then rewrite.
    let mut plans = Vec::new();
    for op in operations_as_written(document) {
        let kinds = success_kinds(op.operation);
        let mut distinct: Vec<&Kind> = Vec::new();
        for (_, kind) in &kinds {
            if !distinct.contains(&kind) {
                distinct.push(kind);
            }
        }
        if distinct.len() < 2 {
            continue;
        }
        let bodies: Vec<Value> = distinct
            .iter()
            .filter_map(|k| match k {
                Kind::Json(schema) => Some(schema.clone()),
                _ => None,
            })
            .collect();
        let combined = (bodies.len() > 1).then(|| {
            let schema = json!({ "anyOf": bodies });
            (
                free_name(document, &format!("{}-success", op.label()), &schema),
                schema,
            )
        });
        let keep = match (
            &combined,
            distinct.iter().find(|k| !matches!(k, Kind::None)),
        ) {
            (Some(_), _) | (None, Some(Kind::Json(_))) => "json",
            (None, Some(Kind::Raw)) => "raw",
            _ => "none",
        };
        let removed: Vec<String> = kinds
            .iter()
            .filter(|(_, kind)| kind.tag() != keep)
            .map(|(status, _)| status.clone())
            .collect();
        plans.push((op.pointer(), combined, removed));
    }

    for (pointer, combined, removed) in plans {
        let responses_pointer = join(&pointer, "responses");
        if let Some((name, schema)) = combined {
            insert_schema(document, &name, schema);
            let reference = json!({"application/json": {"schema": {"$ref": schema_ref(&name)}}});
            if let Some(Value::Object(responses)) = document.pointer_mut(&responses_pointer) {
                for (status, response) in responses.iter_mut() {
                    let is_json = matches!(success_kind(response), Kind::Json(_));
                    if status.starts_with('2') && is_json {
                        response["content"] = reference.clone();
                    }
                }
            }
            report.warn(
                &responses_pointer,
                format!("2xx bodies differ; combined as `{name}` (anyOf)"),
            );
        }
        if !removed.is_empty() {
            if let Some(Value::Object(responses)) = document.pointer_mut(&responses_pointer) {
                responses.retain(|status, _| !removed.contains(status));
            }
            report.warn(
                &responses_pointer,
                format!("2xx responses of another kind removed ({}); they surface as UnexpectedResponse", removed.join(", ")),
            );
        }
    }
    Ok(())
}

#[derive(PartialEq)]
enum Kind {
    Json(Value),
    Raw,
    None,
}

impl Kind {
    fn tag(&self) -> &'static str {
        match self {
            Kind::Json(_) => "json",
            Kind::Raw => "raw",
            Kind::None => "none",
        }
    }
}

fn success_kinds(operation: &Value) -> Vec<(String, Kind)> {
    let Some(responses) = operation.get("responses").and_then(Value::as_object) else {
        return Vec::new();
    };
    responses
        .iter()
        .filter(|(status, _)| status.starts_with('2'))
        .map(|(status, response)| (status.clone(), success_kind(response)))
        .collect()
}

fn success_kind(response: &Value) -> Kind {
    match response.get("content").and_then(Value::as_object) {
        None => Kind::None,
        Some(c) if c.is_empty() => Kind::None,
        Some(c) => match c
            .iter()
            .find(|(m, _)| *m == "application/json" || m.starts_with("application/json;"))
        {
            Some((_, media)) => Kind::Json(media.get("schema").cloned().unwrap_or(json!({}))),
            None => Kind::Raw,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json_response(schema: Value) -> Value {
        json!({"description": "d", "content": {"application/json": {"schema": schema}}})
    }

    #[test]
    fn differing_bodies_become_one_any_of() {
        let mut doc = json!({"paths": {"/a": {"post": {"operationId": "make-a", "responses": {
            "200": json_response(json!({"type": "string"})),
            "201": json_response(json!({"type": "integer"})),
            "202": json_response(json!({"type": "string"}))
        }}}}});
        let mut report = Report::default();
        single_type(&mut doc, &mut report).unwrap();
        assert_eq!(
            doc["components"]["schemas"]["MakeASuccess"],
            json!({"anyOf": [{"type": "string"}, {"type": "integer"}]})
        );
        for status in ["200", "201", "202"] {
            assert_eq!(
                doc["paths"]["/a"]["post"]["responses"][status]["content"]["application/json"]["schema"],
                json!({"$ref": "#/components/schemas/MakeASuccess"})
            );
        }
    }

    #[test]
    fn body_less_successes_beside_bodies_are_removed() {
        let mut doc = json!({"paths": {"/a": {"delete": {"responses": {
            "200": json_response(json!({"type": "string"})),
            "204": {"description": "gone"}
        }}}}});
        let mut report = Report::default();
        single_type(&mut doc, &mut report).unwrap();
        let responses = doc["paths"]["/a"]["delete"]["responses"]
            .as_object()
            .unwrap();
        assert_eq!(responses.keys().collect::<Vec<_>>(), ["200"]);
        assert_eq!(report.warnings().count(), 1);
    }

    #[test]
    fn uniform_successes_are_untouched() {
        let original = json!({"paths": {"/a": {"get": {"responses": {
            "200": json_response(json!({"type": "string"})),
            "203": json_response(json!({"type": "string"}))
        }}}}});
        let mut doc = original.clone();
        single_type(&mut doc, &mut Report::default()).unwrap();
        assert_eq!(doc, original);
    }
}
