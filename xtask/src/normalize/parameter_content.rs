//! A parameter can give its value as `content` instead of `schema`: one
//! media type whose serialization is the value (`metadata` in a query,
//! written as JSON text). progenitor reads only `schema`, and fails the
//! whole operation on `content`. The value on the wire is text in that media
//! type, so the parameter becomes a string the caller serializes; the
//! description says in what, and a warning says the type is not carried.

use serde_json::{Value, json};

use super::{NormalizeError, Report};
use crate::document::parameters_mut;
use crate::json_pointer::join;

pub fn to_text(document: &mut Value, report: &mut Report) -> Result<(), NormalizeError> {
    for (pointer, parameter) in parameters_mut(document) {
        let Value::Object(parameter) = parameter else {
            continue;
        };
        let Some(Value::Object(content)) = parameter.shift_remove("content") else {
            continue;
        };
        let Some(media) = content.keys().next().cloned() else {
            continue;
        };
        let how = format!("Sent as `{media}` text.");
        let description = match parameter.get("description").and_then(Value::as_str) {
            Some(said) if !said.trim().is_empty() => format!("{}\n\n{how}", said.trim_end()),
            _ => how,
        };
        parameter.insert("description".to_owned(), Value::String(description));
        parameter.insert("schema".to_owned(), json!({"type": "string"}));
        report.warn(
            join(&pointer, "content"),
            format!("parameter given as `{media}` content: a string the caller serializes"),
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_parameters_become_strings_in_their_media_type() {
        let mut doc = json!({
            "paths": {"/a": {"get": {"parameters": [
                {"name": "metadata", "in": "query", "description": "Filter. ",
                 "content": {"application/json": {"schema": {"type": "object"}}}},
                {"name": "page", "in": "query", "schema": {"type": "integer"}}
            ]}}},
            "components": {"parameters": {"Q": {"name": "q", "in": "query", "description": " ",
                "content": {"text/plain": {"schema": {"type": "string"}}}}}}
        });
        let mut report = Report::default();
        to_text(&mut doc, &mut report).unwrap();
        let params = &doc["paths"]["/a"]["get"]["parameters"];
        assert_eq!(
            params[0],
            json!({"name": "metadata", "in": "query",
                   "description": "Filter.\n\nSent as `application/json` text.",
                   "schema": {"type": "string"}})
        );
        assert_eq!(params[1]["schema"], json!({"type": "integer"}));
        assert_eq!(
            doc["components"]["parameters"]["Q"],
            json!({"name": "q", "in": "query", "description": "Sent as `text/plain` text.",
                   "schema": {"type": "string"}})
        );
        let warnings: Vec<_> = report.warnings().map(|w| w.pointer.as_str()).collect();
        assert_eq!(
            warnings,
            [
                "/paths/~1a/get/parameters/0/content",
                "/components/parameters/Q/content"
            ]
        );
    }
}
