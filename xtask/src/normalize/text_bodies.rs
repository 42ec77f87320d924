//! A `text/plain` request body is a string whatever its schema says, and
//! progenitor takes one only when the schema is exactly `type: string` (no
//! format, pattern or lengths); anything else (FastAPI writes `{title: Body}`,
//! which allows any value) skipped the operation. Such a schema becomes
//! `type: string`, keeping its description.

use serde_json::{Map, Value};

use super::{NormalizeError, Report};
use crate::document::operations_mut;
use crate::json_pointer::join;

/// The text media types progenitor sends as a `String` body.
const TEXT: [&str; 2] = ["text/plain", "text/x-markdown"];

pub fn plain_strings(document: &mut Value, report: &mut Report) -> Result<(), NormalizeError> {
    for op in operations_mut(document) {
        let Some(Value::Object(content)) = op
            .operation
            .get_mut("requestBody")
            .and_then(|body| body.get_mut("content"))
        else {
            continue;
        };
        for (media, media_type) in content.iter_mut() {
            let essence = media.split(';').next().unwrap_or_default().trim();
            if !TEXT.contains(&essence) {
                continue;
            }
            let Some(schema) = media_type.get_mut("schema") else {
                continue;
            };
            if is_plain_string(schema) || schema.get("$ref").is_some() {
                continue;
            }
            let mut plain = Map::new();
            plain.insert("type".to_owned(), Value::String("string".to_owned()));
            if let Some(description) = schema.get("description") {
                plain.insert("description".to_owned(), description.clone());
            }
            *schema = Value::Object(plain);
            report.note(
                join(
                    &join(&join(&op.pointer, "requestBody/content"), media),
                    "schema",
                ),
                "text body schema -> `type: string`",
            );
        }
    }
    Ok(())
}

fn is_plain_string(schema: &Value) -> bool {
    let Some(map) = schema.as_object() else {
        return false;
    };
    map.get("type").and_then(Value::as_str) == Some("string")
        && [
            "format",
            "pattern",
            "minLength",
            "maxLength",
            "enum",
            "nullable",
            "default",
        ]
        .iter()
        .all(|k| !map.contains_key(*k))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn text_bodies_become_plain_strings() {
        let mut doc = json!({"paths": {"/x": {
            "post": {"requestBody": {"content": {"text/plain": {"schema": {"title": "Body", "description": "d"}}}}},
            "put": {"requestBody": {"content": {"text/plain; charset=utf-8": {"schema": {"type": "string", "maxLength": 9}}}}},
            "patch": {"requestBody": {"content": {"text/plain": {"schema": {"type": "string"}}}}},
            "delete": {"requestBody": {"content": {"application/json": {"schema": {"title": "Body"}}}}}
        }}});
        let mut report = Report::default();
        plain_strings(&mut doc, &mut report).unwrap();
        let item = &doc["paths"]["/x"];
        assert_eq!(
            item["post"]["requestBody"]["content"]["text/plain"]["schema"],
            json!({"type": "string", "description": "d"})
        );
        assert_eq!(
            item["put"]["requestBody"]["content"]["text/plain; charset=utf-8"]["schema"],
            json!({"type": "string"})
        );
        assert_eq!(
            item["delete"]["requestBody"]["content"]["application/json"]["schema"],
            json!({"title": "Body"})
        );
        assert_eq!(report.entries.len(), 2);
    }
}
