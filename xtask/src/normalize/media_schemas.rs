//! A media type without a `schema` says only what the body is encoded as.
//! progenitor panics on a JSON one ("media type encoding, no schema") and
//! refuses a request body without one. A JSON body without a schema is any
//! JSON value (`{}`, a `serde_json::Value`); any other media type without a
//! schema is a body of bytes (`type: string, format: binary`).

use serde_json::{Value, json};

use super::{NormalizeError, Report};
use crate::document::operations_mut;
use crate::json_pointer::join;

pub fn fill_missing(document: &mut Value, report: &mut Report) -> Result<(), NormalizeError> {
    let mut holders: Vec<(String, &mut Value)> = Vec::new();
    if let Some(Value::Object(components)) = document.get_mut("components") {
        for kind in ["responses", "requestBodies"] {
            let shared = components.get_mut(kind).and_then(Value::as_object_mut);
            for (name, holder) in shared.into_iter().flatten() {
                fill(&join(&join("/components", kind), name), holder, report);
            }
        }
    }
    for op in operations_mut(document) {
        for (key, value) in op.operation.iter_mut() {
            match key.as_str() {
                "requestBody" => holders.push((join(&op.pointer, "requestBody"), value)),
                "responses" => {
                    let responses_pointer = join(&op.pointer, "responses");
                    for (status, response) in value.as_object_mut().into_iter().flatten() {
                        holders.push((join(&responses_pointer, status), response));
                    }
                }
                _ => {}
            }
        }
    }
    for (pointer, holder) in holders {
        fill(&pointer, holder, report);
    }
    Ok(())
}

/// Fills in the schemas missing from `holder`'s `content`.
fn fill(pointer: &str, holder: &mut Value, report: &mut Report) {
    let Some(Value::Object(content)) = holder.get_mut("content") else {
        return;
    };
    for (media, media_type) in content.iter_mut() {
        let Value::Object(media_type) = media_type else {
            continue;
        };
        if media_type.contains_key("schema") {
            continue;
        }
        let (schema, what) = if is_json(media) {
            (json!({}), "any JSON value")
        } else {
            (json!({"type": "string", "format": "binary"}), "bytes")
        };
        media_type.insert("schema".to_owned(), schema);
        report.note(
            join(&join(pointer, "content"), media),
            format!("no schema: body is {what}"),
        );
    }
}

fn is_json(media: &str) -> bool {
    let essence = media.split(';').next().unwrap_or_default().trim();
    essence == "application/json" || essence.ends_with("+json")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_without_schema_is_any_value_and_other_media_are_bytes() {
        let mut doc = json!({"paths": {"/x": {"post": {
            "requestBody": {"content": {"application/octet-stream": {}}},
            "responses": {
                "200": {"content": {"application/json": {}}},
                "404": {"content": {"application/problem+json": {"example": {}}}},
                "500": {"content": {"text/html": {"schema": {"type": "string"}}}}
            }
        }}}});
        let mut report = Report::default();
        fill_missing(&mut doc, &mut report).unwrap();
        let op = &doc["paths"]["/x"]["post"];
        assert_eq!(
            op["requestBody"]["content"]["application/octet-stream"],
            json!({"schema": {"type": "string", "format": "binary"}})
        );
        assert_eq!(
            op["responses"]["200"]["content"]["application/json"],
            json!({"schema": {}})
        );
        assert_eq!(
            op["responses"]["404"]["content"]["application/problem+json"],
            json!({"example": {}, "schema": {}})
        );
        assert_eq!(
            op["responses"]["500"]["content"]["text/html"],
            json!({"schema": {"type": "string"}})
        );
        assert_eq!(report.entries.len(), 3);
        assert_eq!(
            report.entries[0].pointer,
            "/paths/~1x/post/requestBody/content/application~1octet-stream"
        );
    }
}
